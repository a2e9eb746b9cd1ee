// Package instance keeps a second copy of the program away from a database
// file that one copy already has open.
//
// The hold is on the database file itself, not on a name: on Linux an
// exclusive flock(2) on a descriptor of the database file, on Windows an
// exclusive LockFileEx of one byte far past anything SQLite touches, on a
// handle of the database file. Whatever name reaches the file (a symbolic
// link, another spelling of the path, a bind mount) reaches the same lock.
// A file with more than one hard link is refused outright (*LinkedError):
// two names of one file are a trap even when nothing holds it now.
//
// A symbolic link to a database nobody holds is allowed: the lock is on the
// file it leads to, which Path reports. The caller must then use Path, not
// the name it was given, for everything it does with the database: SQLite
// resolves the link itself (its -wal and -shm are beside the real file), and
// renaming a file over the link would replace the link, not the database.
//
// Beside the database, NAME.lock notes the holder's process id, for the
// message a refused program shows; it is only a note, never the lock.
//
// On Unix systems other than Linux (the BSDs, macOS) flock and SQLite's
// POSIX locks interact, so a flock on the database would block SQLite in
// the very process holding it. There the note file, beside the database's
// resolved path, carries the flock (the old scheme), and the link count is
// still checked; this is weaker (a bind mount or a hard link made after the
// check gets past it) and those systems are not the program's targets.
//
// The locks are advisory for everything but this program: the sqlite3 tool
// or a file manager can still write the file. The database must be on a
// local disk: over NFS or SMB Linux emulates flock with byte-range locks,
// which interact with SQLite's.
package instance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// ErrHeld means another process (or another hold in this one) holds the
// database file.
var ErrHeld = errors.New("database file is open in another instance")

// ErrLinked means the database file has more than one name (hard links).
var ErrLinked = errors.New("database file has more than one hard link")

// HeldError says which process holds the file.
type HeldError struct {
	Path string
	PID  int // 0 when unknown
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("%s is held by process %d", e.Path, e.PID)
}

func (e *HeldError) Unwrap() error { return ErrHeld }

// Message is the Chinese sentence to show.
func (e *HeldError) Message() string {
	pid := ""
	if e.PID > 0 {
		pid = fmt.Sprintf("（进程号 %d）", e.PID)
	}
	return "另一个涉密文件管理程序" + pid + "正在使用这个数据库：" + e.Path +
		"。为防止数据损坏，本程序不再打开它：请先关闭另一个程序，或选择另一个数据库文件。"
}

// LinkedError refuses a database file with several hard links: a second
// program could reach it by another name.
type LinkedError struct {
	Path  string
	Links uint64
}

func (e *LinkedError) Error() string {
	return fmt.Sprintf("%s has %d hard links", e.Path, e.Links)
}

func (e *LinkedError) Unwrap() error { return ErrLinked }

// Message is the Chinese sentence to show.
func (e *LinkedError) Message() string {
	return fmt.Sprintf("数据库文件 %s 有 %d 个硬链接（同一个文件的多个名字），另一个程序可能通过别的名字同时写入而损坏数据，"+
		"因此拒绝打开。请删除多余的链接后重试。", e.Path, e.Links)
}

// errWouldBlock is what lockHandle returns when another holder has the lock.
var errWouldBlock = errors.New("lock is held")

// Lock is an exclusive hold on a database file, kept until Release or exit.
type Lock struct {
	mu   sync.Mutex
	f    *os.File    // the locked file: the database (the note where lockNote)
	db   os.FileInfo // the database file held, for Verify
	path string      // the database's real path: symbolic links resolved
	note string      // path+".lock"
}

// ErrMoved means the database's name no longer leads to the held file.
var ErrMoved = errors.New("the database file was replaced")

// Acquire takes the hold on the database file at dbPath, creating the file
// (empty, mode 0600) if it is missing. It never waits: if another process
// holds the file, by whatever name, it returns a *HeldError at once; if the
// file has several hard links, a *LinkedError, held or not. The operating
// system drops the hold when the process ends, however it ends, so a crash
// never leaves the database locked.
//
// On Unix, closing any descriptor of a file drops every POSIX lock the
// process has on it, SQLite's included; a refused Acquire closes the one it
// opened. Within the program that is harmless (SQLite coordinates its own
// connections in memory, and other copies of the program are kept out by
// this lock), but it is one more reason for the hold to be taken before the
// database is opened and released after it is closed.
func Acquire(dbPath string) (*Lock, error) {
	f, err := openDB(dbPath, true)
	if err != nil {
		return nil, fmt.Errorf("open database file: %w", err)
	}
	real, err := realPath(dbPath, f)
	if err != nil {
		f.Close()
		return nil, err
	}
	dbInfo, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	note := real + ".lock"
	held := f
	if lockNote {
		if held, err = os.OpenFile(note, os.O_RDWR|os.O_CREATE|noteFlags, 0o600); err != nil {
			f.Close()
			return nil, fmt.Errorf("open lock file: %w", err)
		}
	}
	closeAll := func() {
		if held != f {
			held.Close()
		}
		f.Close()
	}
	lockErr := lockHandle(held)
	// The links are counted once the lock is held: a link made before
	// this moment is seen here, and one made after by someone who means to
	// get past the lock is refused to the program that would use it.
	links, err := linkCount(f)
	if err != nil {
		if lockErr == nil {
			unlockHandle(held)
		}
		closeAll()
		return nil, fmt.Errorf("inspect database file: %w", err)
	}
	if links > 1 {
		if lockErr == nil {
			unlockHandle(held)
		}
		closeAll()
		return nil, &LinkedError{Path: dbPath, Links: links}
	}
	if lockErr != nil {
		closeAll()
		if errors.Is(lockErr, errWouldBlock) {
			return nil, &HeldError{Path: dbPath, PID: readNote(note)}
		}
		return nil, fmt.Errorf("lock database file: %w", lockErr)
	}
	if held != f {
		f.Close()
	}
	writeNote(note)
	return &Lock{f: held, db: dbInfo, path: real, note: note}, nil
}

// Verify checks that the database's name still leads to the held file. A
// program that opens the database by name after Acquire should call it once
// the database is open: if another program's restore renamed a new file
// over the name in between (the moment its hold moves, see Switch, on a
// file system without hard links), this program holds the replaced file
// and has opened the new one, which is not its to use; Verify then returns
// an error wrapping ErrMoved, and the program should close the database,
// Release, and report the database as held.
func (l *Lock) Verify() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return errors.New("verify a released lock")
	}
	named, err := os.Stat(l.path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrMoved, err)
	}
	if !os.SameFile(l.db, named) {
		return fmt.Errorf("%w: %s", ErrMoved, l.path)
	}
	return nil
}

// Path is the locked database file's absolute path, symbolic links
// resolved: the name to open it by.
func (l *Lock) Path() string { return l.path }

// Switch moves the hold to the file at next, for a restore that is about
// to rename next over the held database: next is locked first, then the
// current file let go, so that after the rename the database's name leads
// to a held file. Without it the hold would stay with the replaced file
// (now the rollback copy) and a second program could open the restored one.
//
// The expected order: close SQLite's connections to the database; copy it
// to its rollback name; Switch(staged); rename staged over Path(). If the
// rename fails, Switch(Path()) takes the hold back on the database, which
// is still the old file, and only then may the rollback copy be removed.
// Between Switch and the rename (a moment) the old file is unheld; a
// newcomer that takes it then finds, with Verify, that the name has moved
// on once it has opened the database.
//
// next's link count is not checked: it is the caller's own file (and a
// Switch back finds the old file with its rollback link). Where the hold is
// on the note file (not Linux or Windows), Switch does nothing: the note's
// name does not change, and only the file Verify expects changes.
func (l *Lock) Switch(next string) error {
	if l == nil {
		return errors.New("switch a nil lock")
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return errors.New("switch a released lock")
	}
	f, err := openDB(next, false)
	if err != nil {
		return fmt.Errorf("open database file: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	if lockNote {
		f.Close()
		l.db = st
		return nil
	}
	if err := lockHandle(f); err != nil {
		f.Close()
		if errors.Is(err, errWouldBlock) {
			return &HeldError{Path: next}
		}
		return fmt.Errorf("lock database file: %w", err)
	}
	unlockHandle(l.f)
	l.f.Close()
	l.f, l.db = f, st
	return nil
}

// Release gives up the hold. Close the database first (see Acquire).
func (l *Lock) Release() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f == nil {
		return nil
	}
	unlockHandle(l.f)
	err := l.f.Close()
	l.f = nil
	return err
}

// realPath is the absolute path of the file open as f, reached by p, with
// symbolic links resolved; it fails if that name no longer leads to f (a
// link changed between the open and now).
func realPath(p string, f *os.File) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("resolve database path: %w", err)
	}
	held, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("inspect database file: %w", err)
	}
	named, err := os.Stat(real)
	if err != nil {
		return "", fmt.Errorf("inspect database file: %w", err)
	}
	if !os.SameFile(held, named) {
		return "", fmt.Errorf("%s was replaced while it was being opened", p)
	}
	return real, nil
}

// readNote is the process id the note names, 0 when it can't be read.
func readNote(note string) int {
	b, err := os.ReadFile(note)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}

// writeNote records this process as the holder. A failure only costs the
// process id in a refused program's message.
func writeNote(note string) {
	f, err := os.OpenFile(note, os.O_RDWR|os.O_CREATE|noteFlags, 0o600)
	if err != nil {
		return
	}
	defer f.Close()
	// Not O_TRUNC: where the note carries the lock, truncating on open
	// would be harmless too, but a reader should see either the old or
	// the new process id, and a short write then a truncate gets closest.
	b := []byte(strconv.Itoa(os.Getpid()) + "\n")
	if _, err := f.WriteAt(b, 0); err == nil {
		f.Truncate(int64(len(b)))
	}
}
