//go:build ignore

// mkzip writes a zip file that is the same bytes for the same input:
//
//	go run .ci/windows/mkzip.go -epoch SECONDS OUT.zip DIR
//
// Every file under DIR goes in, named by its path relative to DIR's parent
// (so the zip opens to one folder), in byte order of the names, with the
// date SECONDS (as Beijing time, what Windows shows) and no owner or mode.
// Names that are not ASCII are flagged as UTF-8, which Windows' own zip
// folders and 7-Zip read correctly; Info-ZIP's zip 3.0 does not set the flag.
package main

import (
	"archive/zip"
	"flag"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"time"
)

func main() {
	epoch := flag.Int64("epoch", 0, "the date of every entry, in seconds since 1970")
	flag.Parse()
	if flag.NArg() != 2 {
		log.Fatal("usage: mkzip -epoch SECONDS OUT.zip DIR")
	}
	out, dir := flag.Arg(0), filepath.Clean(flag.Arg(1))
	base := filepath.Dir(dir)
	var names []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, err := filepath.Rel(base, p)
			if err != nil {
				return err
			}
			names = append(names, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	sort.Strings(names)
	when := time.Unix(*epoch, 0).In(time.FixedZone("CST", 8*3600))
	f, err := os.Create(out)
	if err != nil {
		log.Fatal(err)
	}
	w := zip.NewWriter(f)
	for _, name := range names {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: when}
		dst, err := w.CreateHeader(h)
		if err != nil {
			log.Fatal(err)
		}
		src, err := os.Open(filepath.Join(base, filepath.FromSlash(name)))
		if err != nil {
			log.Fatal(err)
		}
		if _, err := io.Copy(dst, src); err != nil {
			log.Fatal(err)
		}
		src.Close()
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}
