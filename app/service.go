// Package app holds secdoc's use cases: registering, editing and voiding
// carriers, querying the ledger, counting what is held. Each use case is one
// method and one transaction, and the rules of the domain are enforced here,
// whatever client (window, command line, import) calls them. It never imports
// a GUI toolkit.
package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"gorm.io/gorm"

	"secdoc/internal/instance"
	"secdoc/models"
)

// Service is the register of one database file.
type Service struct {
	db   *gorm.DB
	path string
	lock *instance.Lock

	sessions sync.Map   // token → *sessionState: the live sign-ins
	sessMu   sync.Mutex // guards the sessionStates' fields

	dbID     string // the database's identity: names its audit key
	auditKey []byte // nil when the key file is missing: audited writes refuse
	// Now tells the time; tests replace it.
	Now func() time.Time
}

// Open takes the single-instance hold on the database file at path (creating
// its folder and the file if needed), opens it and migrates it. A second
// program on the same file gets an error that errors.Is(err, models.ErrLocked).
func Open(path string) (*Service, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("database path %q: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	lock, err := instance.Acquire(abs)
	if err != nil {
		var held *instance.HeldError
		if errors.As(err, &held) {
			return nil, &LockedError{PID: held.PID, Path: abs}
		}
		return nil, err
	}
	db, err := models.Open(abs)
	if err != nil {
		lock.Release()
		return nil, err
	}
	s := &Service{db: db, path: abs, lock: lock, Now: time.Now}
	if err := s.loadAuditKey(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// LockedError reports that another program instance has the database open.
type LockedError struct {
	PID  int
	Path string
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("database %s is in use by process %d", e.Path, e.PID)
}

func (e *LockedError) Unwrap() error { return models.ErrLocked }

// Close closes the database and releases the hold on it.
func (s *Service) Close() error {
	err := models.Close(s.db)
	if rerr := s.lock.Release(); err == nil {
		err = rerr
	}
	return err
}

// Path is the database file's absolute path.
func (s *Service) Path() string { return s.path }

// DB exposes the database to the command line's maintenance tools and tests.
func (s *Service) DB() *gorm.DB { return s.db }

func (s *Service) now() time.Time { return s.Now().UTC() }

// today is the local calendar date, the one a clerk means by 今天.
func (s *Service) today() time.Time {
	t := s.Now()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// DefaultDBPath is where the database lives when no --db or SECDOC_DB is
// given: the user's configuration folder (e.g. ~/.config/secdoc/secdoc.db).
func DefaultDBPath() string {
	if p := os.Getenv("SECDOC_DB"); p != "" {
		return p
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "secdoc", "secdoc.db")
}
