// Package app holds secdoc's use cases: registering, editing and voiding
// carriers, querying the ledger, counting what is held. Each use case is one
// method and one transaction, and the rules of the domain are enforced here,
// whatever client (window, command line, import) calls them. It never imports
// a GUI toolkit.
package app

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"secdoc/app/backup"
	"secdoc/internal/instance"
	"secdoc/internal/private"
	"secdoc/models"
)

// Service is the register of one database file.
type Service struct {
	db   *gorm.DB
	path string
	lock *instance.Lock
	// ctx is the context of every statement the service runs; Close
	// cancels it, which interrupts what is running (a long reading, a
	// write whose transaction then rolls back) so that closing is quick.
	ctx  context.Context
	stop context.CancelFunc

	sessions sync.Map   // token → *sessionState: the live sign-ins
	sessMu   sync.Mutex // guards the sessionStates' fields

	keyDir   string // the folder of its audit key and head, as it was when opened
	dbID     string // the database's identity: names its audit key
	auditKey []byte // nil when the key file is missing: audited writes refuse
	sealer   *sealer

	headMu   sync.Mutex
	head     chainHead        // the chain's head as last written outside the database
	headFile *os.File         // the head file, once written
	headTurn int              // the slot of the head file written last
	alarm    string           // why the chain does not reach its head; "" when it does
	progress func(msg string) // what long work says while the database opens; nil: nothing
	annual   annualCache      // the last year's statistics, until the register changes
	keywords keywordCache     // the last rare keyword's matches, until the register changes
	changes  changeCounts     // what changed since opening, by kind (ChangeCount)
	// Now tells the time; tests replace it.
	Now      func() time.Time
	upgraded *Upgrade // the upgrade this opening made (see Upgraded)
}

// Open takes the single-instance hold on the database file at path (creating
// its folder and the file if needed), opens it and migrates it. A second
// program on the same file gets an *instance.HeldError, a file with several
// names an *instance.LinkedError; both have a Chinese Message.
func Open(path string) (*Service, error) { return OpenWithProgress(path, nil) }

// OpenWithProgress is Open telling progress, in Chinese, what takes long:
// the first opening of a register by this version checks its audit trail
// and seals every row (about three minutes at a million carriers).
func OpenWithProgress(path string, progress func(msg string)) (*Service, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("database path %q: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("create database folder: %w", err)
	}
	lock, err := instance.Acquire(abs)
	if err != nil {
		return nil, err
	}
	// The lock is on the file a symbolic link leads to: everything the
	// program does with the database (its log, its snapshot, a restore's
	// rename) is done there.
	abs = lock.Path()
	for _, p := range []string{abs, abs + "-wal", abs + "-shm"} {
		if err := private.Restrict(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			lock.Release()
			return nil, fmt.Errorf("make the database the owner's only: %w", err)
		}
	}
	// Plaintext copies a killed backup or restore left beside the database
	// go before anything else; their removal is recorded below.
	leftovers, cleanErr := backup.CleanLeftovers(abs)
	var upgraded *Upgrade
	db, err := models.OpenUpgrading(abs, func(plain *gorm.DB, from int) error {
		u, err := safetyCopy(plain, abs, from)
		upgraded = u
		return err
	})
	if err != nil {
		lock.Release()
		return nil, err
	}
	if err := lock.Verify(); err != nil {
		models.Close(db)
		lock.Release()
		return nil, &instance.HeldError{Path: abs}
	}
	sl, err := newSealer()
	if err != nil {
		models.Close(db)
		lock.Release()
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Service{db: db.WithContext(ctx), ctx: ctx, stop: stop, path: abs, lock: lock, Now: time.Now, sealer: sl,
		keyDir: AuditKeyDir(), progress: progress}
	if err := s.loadAuditKey(); err != nil {
		s.Close()
		return nil, err
	}
	if s.auditKey != nil {
		if err := s.startChain(); err != nil {
			s.Close()
			return nil, err
		}
	}
	s.recordCleanup(leftovers, cleanErr)
	s.recordUpgrade(upgraded)
	return s, nil
}

// recordCleanup records the plaintext leftovers removed at opening.
func (s *Service) recordCleanup(removed []string, err error) {
	if len(removed) == 0 && err == nil {
		return
	}
	names := make([]string, len(removed))
	for i, r := range removed {
		names[i] = filepath.Base(r)
	}
	detail := fmt.Sprintf("删除上次备份、恢复或导出 Excel 中断后留下的 %d 个未加密临时文件（夹）：%s", len(names), strings.Join(names, "、"))
	if err != nil {
		detail += fmt.Sprintf("；另有临时文件未能删除：%v", err)
	}
	if aerr := s.auditAlone(nil, models.EventCleanup, filepath.Dir(s.path), err == nil, detail); aerr != nil {
		log.Printf("secdoc: record cleanup: %v (%s)", aerr, detail)
	}
}

// Close closes the database and releases the hold on it.
//
// What still runs on the service when it closes (a screen's loading, an
// export) is interrupted and gets an error; a write it interrupts rolls
// back whole, its audit record with it.
func (s *Service) Close() error {
	s.stop()
	s.closeHeadFile()
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
