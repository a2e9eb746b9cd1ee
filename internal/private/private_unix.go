//go:build unix

package private

import (
	"os"
	"syscall"
)

// SetUmask makes the process create everything the owner's only (umask
// 077), whoever creates it: SQLite's -wal, -shm and journal files, PDFs,
// Excel files, Fyne's settings. Call it first thing in main.
func SetUmask() { syscall.Umask(0o077) }

func open(path string, flag int) (*os.File, error) {
	f, err := os.OpenFile(path, flag, FileMode)
	if err != nil {
		return nil, err
	}
	// The mode given to open only applies to a new file, and the umask
	// could have narrowed it further (harmless) but never wider; an
	// existing file keeps its own mode until changed here.
	if err := f.Chmod(FileMode); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func restrict(path string, dir bool) error {
	mode := FileMode
	if dir {
		mode = DirMode
	}
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if st.Mode().Perm() == mode {
		return nil
	}
	return os.Chmod(path, mode)
}
