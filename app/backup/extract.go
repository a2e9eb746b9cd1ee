package backup

import (
	"bufio"
	"os"

	"secdoc/internal/private"
)

// localWriter marks failures to write the restored database as the local disk's.
type localWriter struct {
	f    *os.File
	path string
}

func (w localWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		err = &DiskError{Op: "local", Path: w.path, Err: err}
	}
	return n, err
}

// Extract verifies the backup at path with both secrets (see Verify) and
// writes the database inside to dst, a new file readable by its owner only,
// synced. dst should be named by TempName(database, TempRestore), so that
// CleanLeftovers removes it if the program is killed before it is swapped
// in or removed (it is a plaintext database). It returns what the backup
// holds (Depth DepthContents) and its audit key. A backup whose database is
// of a newer schema than this program knows is refused from its meta, the
// first thing inside (authenticated, as every chunk is), before anything is
// written. On any failure dst is removed. Extract does not migrate the
// database nor put it in place: the caller does.
//
// The database is not checked again here: every chunk was authenticated,
// and the trailer's MAC covers the whole file, so the bytes written to dst
// are, byte for byte, those of the snapshot that passed its check when the
// backup was made (CheckPages; PRAGMA integrity_check in earlier versions).
// A second check of the same bytes would prove nothing more, and at a
// million carriers it took longer than all the rest of the restore.
func Extract(path string, secret Secret, recovery RecoverySecret, dst string, progress ProgressFunc) (Info, []byte, error) {
	if progress == nil {
		progress = func(string, float64) {}
	}
	out, err := private.CreateExcl(dst)
	if err != nil {
		return Info{Path: path}, nil, &DiskError{Op: "local", Path: dst, Err: err}
	}
	ok := false
	defer func() {
		if !ok {
			out.Close()
			os.Remove(dst)
		}
	}()
	bw := bufio.NewWriterSize(localWriter{f: out, path: dst}, 1<<20)
	newer := func(m *Meta) error { return Info{Meta: *m}.Restorable() }
	info, key, err := readPath(path, readRequest{secret: secret, recovery: &recovery, db: bw, accept: newer,
		progress: func(f float64) { progress(StageExtract, f) }})
	if err != nil {
		return info, nil, err
	}
	if err := bw.Flush(); err != nil {
		return info, nil, err
	}
	if err := out.Sync(); err != nil {
		return info, nil, &DiskError{Op: "local", Path: dst, Err: err}
	}
	if err := out.Close(); err != nil {
		return info, nil, &DiskError{Op: "local", Path: dst, Err: err}
	}
	ok = true
	return info, key, nil
}
