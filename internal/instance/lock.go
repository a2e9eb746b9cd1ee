// Package instance keeps a second copy of the program away from a database
// file that one copy already has open.
package instance

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// ErrHeld means another process holds the database file.
var ErrHeld = errors.New("database file is open in another instance")

// HeldError says which process holds the file.
type HeldError struct {
	Path string
	PID  int // 0 when unknown
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("%s is held by process %d", e.Path, e.PID)
}

func (e *HeldError) Unwrap() error { return ErrHeld }

// Lock is an exclusive hold on a database file, kept until Release or exit.
type Lock struct {
	f *os.File
}

// Acquire takes the hold for dbPath through the lock file dbPath+".lock". It
// never waits: if another process holds it, it returns a *HeldError at once.
// The operating system drops the hold when the process ends, however it ends,
// so a crash never leaves the database locked.
func Acquire(dbPath string) (*Lock, error) {
	name := dbPath + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := lockFile(f); err != nil {
		pid := 0
		if b, rerr := os.ReadFile(name); rerr == nil {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
		f.Close()
		return nil, &HeldError{Path: dbPath, PID: pid}
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &Lock{f: f}, nil
}

// Release gives up the hold.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	unlockFile(l.f)
	err := l.f.Close()
	l.f = nil
	return err
}
