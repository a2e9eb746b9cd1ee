//go:build unix

package instance

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// noteFlags keeps writeNote from following a symbolic link planted in the
// note's place.
const noteFlags = syscall.O_NOFOLLOW

// openDB opens the database file read-write, following symbolic links,
// creating it (0600) when create is set. O_NONBLOCK keeps a FIFO planted in
// its place from hanging the open; only a regular file is accepted.
func openDB(path string, create bool) (*os.File, error) {
	flag := os.O_RDWR | syscall.O_NONBLOCK
	if create {
		flag |= os.O_CREATE
	}
	f, err := os.OpenFile(path, flag, 0o600)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	return f, nil
}

// lockHandle takes an exclusive flock on f without waiting.
func lockHandle(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) || errors.Is(err, syscall.EAGAIN) {
		return errWouldBlock
	}
	return err
}

func unlockHandle(f *os.File) { syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// linkCount is the number of hard links (names) of the open file.
func linkCount(f *os.File) (uint64, error) {
	st, err := f.Stat()
	if err != nil {
		return 0, err
	}
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, errors.New("no link count")
	}
	return uint64(sys.Nlink), nil
}
