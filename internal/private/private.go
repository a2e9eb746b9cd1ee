// Package private creates files and folders only their owner can read: the
// database, its temporary copies, exported registers, keys. On Unix that is
// mode 0600 for a file and 0700 for a folder, whatever the umask; on
// Windows an access list of its own (the current user, and SYSTEM, full
// control), protected from the folder's inherited entries, so that a file
// in a folder other users may read is still not theirs to read.
//
// On Windows the list is put on the file as it is created where the
// function creates it, and by name (SetNamedSecurityInfo) in every case, so
// an existing file that is opened again loses any wider access it had.
package private

import (
	"os"
)

// File and folder modes on Unix.
const (
	FileMode os.FileMode = 0o600
	DirMode  os.FileMode = 0o700
)

// MkdirAll creates path and any missing parents (0700) and makes path
// itself the owner's only: an existing folder with wider bits is narrowed
// (parents that already existed are left as they are).
func MkdirAll(path string) error {
	if err := os.MkdirAll(path, DirMode); err != nil {
		return err
	}
	return restrict(path, true)
}

// Create creates or truncates the file at path for writing, as os.Create,
// but the owner's only: a new file is created so, and an existing one is
// narrowed.
func Create(path string) (*os.File, error) {
	return open(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC)
}

// CreateExcl creates a new file at path for writing, the owner's only; it
// fails (fs.ErrExist) if something is already there, a symbolic link too.
func CreateExcl(path string) (*os.File, error) {
	return open(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL)
}

// WriteFile writes data to the file at path, created or truncated, the
// owner's only, as os.WriteFile. It does not sync.
func WriteFile(path string, data []byte) error {
	f, err := Create(path)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Restrict makes the existing file or folder at path the owner's only:
// 0600 for a file, 0700 for a folder on Unix (through a symbolic link, its
// target). On Windows a folder's list is inherited by what is in it and
// what is created in it later.
func Restrict(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	return restrict(path, st.IsDir())
}
