package backup_test

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"

	"secdoc/app/backup"
)

// FuzzRead feeds the reader real backups (written by Create from a demo
// database), cut and changed: it must never panic, never accept anything
// but an untouched backup, and fail only with one of the bad-file errors.
// (The reader computes its SHA-256 while reading: ReadBytes is Verify on a
// file held in memory.)
//
//	go test ./app/backup -run '^$' -fuzz FuzzRead -fuzztime 60s
func FuzzRead(f *testing.F) {
	svc := newDB(f, 3)
	info, _ := makeBackup(f, svc)
	good, err := os.ReadFile(info.Path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:60])
	f.Add(append(bytes.Clone(good), 1, 2, 3))
	b := bytes.Clone(good)
	b[len(b)-20] ^= 4
	f.Add(b)
	f.Add([]byte(backup.Magic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := backup.ReadBytes(data, secret)
		if err == nil {
			// Each fuzzing process makes its own seed backup (its own salt and
			// database), and is handed the others' seeds too: whatever reads
			// must be one of those, intact.
			if got.Counts != info.Counts || got.Size != int64(len(data)) || len(got.DBSHA256) != 64 {
				t.Fatalf("a changed file was accepted (%d bytes)", len(data))
			}
			return
		}
		if !backup.IsBadFile(err) {
			t.Fatalf("not a bad-file error: %v", err)
		}
		if backup.Message(err) == "" {
			t.Fatalf("no message for %v", err)
		}
	})
}

// FuzzMembers feeds the payload parser (what decryption and decompression
// give) anything: it must not panic nor allocate what a length field asks.
func FuzzMembers(f *testing.F) {
	var ok bytes.Buffer
	put := func(name string, data []byte) {
		binary.Write(&ok, binary.BigEndian, uint16(len(name)))
		ok.WriteString(name)
		binary.Write(&ok, binary.BigEndian, uint64(len(data)))
		ok.Write(data)
	}
	put("audit.key", make([]byte, 32))
	put("secdoc.db", []byte("SQLite format 3\x00rest"))
	ok.Write([]byte{0, 0})
	f.Add(ok.Bytes(), int64(20))
	f.Add(ok.Bytes()[:40], int64(20))
	f.Fuzz(func(t *testing.T, data []byte, size int64) {
		backup.ReadMembers(data, size)
	})
}
