package instance

import (
	"bufio"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/glebarez/go-sqlite" // the "sqlite" driver, as the program uses it
)

// The child processes: the test binary run again with helperEnv set to
// "MODE PATH...". Modes:
//
//	hold PATH            Acquire PATH, print "held", wait until killed
//	try  MS PATH...      Acquire each PATH in turn for MS milliseconds; print
//	                     "got N" with the number of holds obtained, "err …"
//	                     for a refusal that is neither held nor linked
//	sql  PATH            write a row to the SQLite database at PATH (not
//	                     through Acquire), print "wrote"
const helperEnv = "SECDOC_INSTANCE_HELPER"

func TestMain(m *testing.M) {
	if spec := os.Getenv(helperEnv); spec != "" {
		os.Exit(helper(strings.Fields(spec)))
	}
	os.Exit(m.Run())
}

func helper(args []string) int {
	switch args[0] {
	case "hold":
		l, err := Acquire(args[1])
		if err != nil {
			fmt.Println("err", err)
			return 1
		}
		defer l.Release()
		fmt.Println("held")
		io.Copy(io.Discard, os.Stdin) // until killed (or the parent goes)
		return 0
	case "try":
		ms, _ := strconv.Atoi(args[1])
		got := 0
		for end := time.Now().Add(time.Duration(ms) * time.Millisecond); time.Now().Before(end); {
			for _, p := range args[2:] {
				l, err := Acquire(p)
				if err == nil {
					got++
					l.Release()
				} else if !errors.Is(err, ErrHeld) && !errors.Is(err, ErrLinked) {
					fmt.Println("err", err)
				}
			}
		}
		fmt.Println("got", got)
		return 0
	case "sql":
		db, err := sql.Open("sqlite", "file:"+args[1]+"?_pragma=busy_timeout(10000)")
		if err == nil {
			_, err = db.Exec(`INSERT INTO t (v) VALUES ('from another process')`)
			db.Close()
		}
		if err != nil {
			fmt.Println("err", err)
			return 1
		}
		fmt.Println("wrote")
		return 0
	}
	return 2
}

// child starts the test binary as a helper.
func child(t *testing.T, args ...string) (*exec.Cmd, *bufio.Reader) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"="+strings.Join(args, " "))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd, bufio.NewReader(out)
}

func line(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	s, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("helper said %q: %v", s, err)
	}
	return strings.TrimSpace(s)
}

// dir is a fresh folder, its symbolic links resolved (macOS's /tmp is one).
func dir(t *testing.T) string {
	t.Helper()
	d, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func acquire(t *testing.T, p string) *Lock {
	t.Helper()
	l, err := Acquire(p)
	if err != nil {
		t.Fatalf("acquire %s: %v", p, err)
	}
	t.Cleanup(func() { l.Release() })
	return l
}

func wantHeld(t *testing.T, p string, pid int) {
	t.Helper()
	l, err := Acquire(p)
	if err == nil {
		l.Release()
		t.Fatalf("a second hold on %s was granted", p)
	}
	var held *HeldError
	if !errors.As(err, &held) || !errors.Is(err, ErrHeld) {
		t.Fatalf("acquire %s: want HeldError, got %v", p, err)
	}
	if pid >= 0 && held.PID != pid {
		t.Fatalf("acquire %s: holder pid %d, want %d", p, held.PID, pid)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
}

func hardlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Link(target, link); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
}

func TestSecondAcquireRefused(t *testing.T) {
	db := filepath.Join(dir(t), "secdoc.db")
	l := acquire(t, db)
	st, err := os.Stat(db)
	if err != nil {
		t.Fatalf("the database file was not created: %v", err)
	}
	if st.Size() != 0 || (isUnix() && st.Mode().Perm() != 0o600) {
		t.Fatalf("new database file: size %d mode %v", st.Size(), st.Mode())
	}
	if l.Path() != db {
		t.Fatalf("Path %q, want %q", l.Path(), db)
	}
	wantHeld(t, db, os.Getpid())

	// The same, from another process, which names this one.
	_, out := child(t, "try", "50", db)
	if got := line(t, out); got != "got 0" {
		t.Fatalf("another process: %s", got)
	}
	if err := l.Release(); err != nil {
		t.Fatal(err)
	}
	if err := l.Release(); err != nil {
		t.Fatalf("second release: %v", err)
	}
	acquire(t, db).Release()
}

func TestHeldByChildNamesIt(t *testing.T) {
	db := filepath.Join(dir(t), "secdoc.db")
	cmd, out := child(t, "hold", db)
	if got := line(t, out); got != "held" {
		t.Fatalf("helper: %s", got)
	}
	wantHeld(t, db, cmd.Process.Pid)
}

func TestHardLinkRefused(t *testing.T) {
	d := dir(t)
	db := filepath.Join(d, "secdoc.db")
	other := filepath.Join(d, "other.db")
	l := acquire(t, db)
	hardlink(t, db, other)

	_, err := Acquire(other)
	var linked *LinkedError
	if !errors.As(err, &linked) || !errors.Is(err, ErrLinked) || linked.Links != 2 || linked.Path != other {
		t.Fatalf("through a hard link: want LinkedError with 2 links, got %v", err)
	}
	// Nobody holds it: still refused while it has two names, by either.
	l.Release()
	for _, p := range []string{db, other} {
		if _, err := Acquire(p); !errors.As(err, &linked) {
			t.Fatalf("%s with two links, not held: want LinkedError, got %v", p, err)
		}
	}
	if err := os.Remove(other); err != nil {
		t.Fatal(err)
	}
	acquire(t, db)
}

func TestSymlinkToHeldRefused(t *testing.T) {
	d := dir(t)
	db := filepath.Join(d, "secdoc.db")
	acquire(t, db)
	link := filepath.Join(d, "link.db")
	symlink(t, db, link)
	wantHeld(t, link, os.Getpid())

	// A link to the folder: another spelling of the same file.
	other := filepath.Join(dir(t), "folder")
	symlink(t, d, other)
	wantHeld(t, filepath.Join(other, "secdoc.db"), os.Getpid())
	wantHeld(t, filepath.Join(d, ".", "x", "..", "secdoc.db"), os.Getpid())
}

// A symbolic link to a file nobody holds is allowed: the lock is on the
// file it leads to, and Path names that file.
func TestSymlinkToFreeAllowed(t *testing.T) {
	d := dir(t)
	real := filepath.Join(d, "real", "secdoc.db")
	if err := os.MkdirAll(filepath.Dir(real), 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(d, "secdoc.db")
	symlink(t, real, link) // dangling: Acquire creates the file it names
	l := acquire(t, link)
	if l.Path() != real {
		t.Fatalf("Path %q, want the real file %q", l.Path(), real)
	}
	if _, err := os.Stat(real); err != nil {
		t.Fatal(err)
	}
	wantHeld(t, real, os.Getpid())
	// The note is beside the real file, so a refusal through either name
	// finds it.
	if pid := readNote(real + ".lock"); pid != os.Getpid() {
		t.Fatalf("note names %d", pid)
	}
}

func TestNotAFile(t *testing.T) {
	d := dir(t)
	if _, err := Acquire(d); err == nil || errors.Is(err, ErrHeld) {
		t.Fatalf("a folder as the database: %v", err)
	}
}

// SQLite works as usual on a file this package holds: on Linux the flock
// and SQLite's POSIX byte-range locks don't interfere, in rollback-journal
// mode (where every write takes an exclusive lock on the database file
// itself) and in WAL mode, with two connections in this process and one in
// another.
func TestSQLiteUnderLock(t *testing.T) {
	for _, mode := range []string{"DELETE", "WAL"} {
		t.Run(mode, func(t *testing.T) {
			db := filepath.Join(dir(t), "secdoc.db")
			l := acquire(t, db)
			sqlDB := openSQL(t, l.Path(), mode)
			sqlDB.SetMaxOpenConns(2)
			if _, err := sqlDB.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)`); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make(chan error, 2)
			for g := 0; g < 2; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < 50; i++ {
						if _, err := sqlDB.Exec(`INSERT INTO t (v) VALUES (?)`, fmt.Sprint(g, i)); err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatalf("write under the lock: %v", err)
			}
			var n int
			if err := sqlDB.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 100 {
				t.Fatalf("count %d %v", n, err)
			}
			var got string
			if err := sqlDB.QueryRow(`PRAGMA journal_mode`).Scan(&got); err != nil || !strings.EqualFold(got, mode) {
				t.Fatalf("journal mode %q %v", got, err)
			}
			// Another process's SQLite, which knows nothing of the flock,
			// takes its byte-range locks and writes too.
			_, out := child(t, "sql", l.Path())
			if got := line(t, out); got != "wrote" {
				t.Fatalf("another process's SQLite: %s", got)
			}
			if err := sqlDB.QueryRow(`SELECT count(*) FROM t`).Scan(&n); err != nil || n != 101 {
				t.Fatalf("count %d %v", n, err)
			}
			integrity(t, sqlDB)
			wantHeld(t, db, os.Getpid())
		})
	}
}

func openSQL(t *testing.T, path, mode string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode("+mode+")")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func integrity(t *testing.T, db *sql.DB) {
	t.Helper()
	var res string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("integrity_check: %q %v", res, err)
	}
}

// While the holder writes to the database, other goroutines and processes
// keep trying to take it through a symbolic link, another spelling of the
// path and a link to its folder: every try is refused, and the database
// is whole afterwards.
func TestRaceThroughOtherNames(t *testing.T) {
	d := dir(t)
	db := filepath.Join(d, "secdoc.db")
	l := acquire(t, db)
	link := filepath.Join(d, "link.db")
	symlink(t, db, link)
	folder := filepath.Join(dir(t), "folder")
	symlink(t, d, folder)
	names := []string{link, filepath.Join(folder, "secdoc.db"), filepath.Join(d, ".", "secdoc.db")}

	sqlDB := openSQL(t, l.Path(), "WAL")
	if _, err := sqlDB.Exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)`); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	wrote := make(chan int)
	go func() {
		n := 0
		defer func() { wrote <- n }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if _, err := sqlDB.Exec(`INSERT INTO t (v) VALUES (randomblob(4000))`); err != nil {
				t.Errorf("write: %v", err)
				return
			}
			n++
		}
	}()

	const ms = 700
	var procs []*bufio.Reader
	for i := 0; i < 3; i++ {
		_, out := child(t, append([]string{"try", strconv.Itoa(ms)}, names...)...)
		procs = append(procs, out)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	granted := 0
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for end := time.Now().Add(ms * time.Millisecond); time.Now().Before(end); {
				for _, p := range names {
					l, err := Acquire(p)
					if err == nil {
						l.Release()
						mu.Lock()
						granted++
						mu.Unlock()
					} else if !errors.Is(err, ErrHeld) {
						t.Errorf("%s: %v", p, err)
					}
				}
			}
		}()
	}
	wg.Wait()
	for _, out := range procs {
		if got := line(t, out); got != "got 0" {
			t.Errorf("another process: %s", got)
		}
	}
	close(stop)
	n := <-wrote
	if granted != 0 {
		t.Fatalf("%d holds granted in this process", granted)
	}
	if n == 0 {
		t.Fatal("the holder wrote nothing")
	}
	integrity(t, sqlDB)
	var rows int
	if err := sqlDB.QueryRow(`SELECT count(*) FROM t`).Scan(&rows); err != nil || rows != n {
		t.Fatalf("%d rows, %d written: %v", rows, n, err)
	}
}

// A program killed outright leaves no lock behind: the system drops it.
func TestKilledHolderLeavesNoLock(t *testing.T) {
	db := filepath.Join(dir(t), "secdoc.db")
	cmd, out := child(t, "hold", db)
	if got := line(t, out); got != "held" {
		t.Fatalf("helper: %s", got)
	}
	wantHeld(t, db, cmd.Process.Pid)
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix
		t.Fatal(err)
	}
	cmd.Wait()
	l := acquire(t, db)
	if pid := readNote(l.Path() + ".lock"); pid != os.Getpid() {
		t.Fatalf("note names %d after the takeover", pid)
	}
}

// A restore's swap: the hold moves to the staged file before it is renamed
// over the database, so the database's name always leads to a held file.
func TestSwitchForRestore(t *testing.T) {
	d := dir(t)
	db := filepath.Join(d, "secdoc.db")
	staged := filepath.Join(d, "staged.db")
	rollback := filepath.Join(d, "secdoc.db.rollback")
	l := acquire(t, db)
	if err := os.WriteFile(staged, []byte("restored"), 0o600); err != nil {
		t.Fatal(err)
	}
	hardlink(t, db, rollback)
	if err := l.Switch(staged); err != nil {
		t.Fatal(err)
	}
	if lockNote {
		t.Skip("the hold is on the note file here")
	}
	if err := os.Rename(staged, db); err != nil {
		t.Fatal(err)
	}
	if err := l.Verify(); err != nil {
		t.Fatalf("after the swap: %v", err)
	}
	wantHeld(t, db, os.Getpid())
	// The replaced file, now only the rollback, is free.
	acquire(t, rollback).Release()
	if err := l.Switch(filepath.Join(d, "missing.db")); err == nil {
		t.Fatal("switched to a missing file")
	}
	wantHeld(t, db, os.Getpid()) // a failed Switch keeps the hold
	l.Release()
	acquire(t, db)
}

func TestSwitchBackAfterFailedRename(t *testing.T) {
	d := dir(t)
	db := filepath.Join(d, "secdoc.db")
	staged := filepath.Join(d, "staged.db")
	l := acquire(t, db)
	if err := os.WriteFile(staged, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := l.Switch(staged); err != nil {
		t.Fatal(err)
	}
	if err := l.Switch(db); err != nil {
		t.Fatal(err)
	}
	wantHeld(t, db, os.Getpid())
	if !lockNote {
		acquire(t, staged)
	}
}

// A program that took the hold and then finds another file under the
// database's name (a restore renamed it there) is told by Verify.
func TestVerifyCatchesReplacedFile(t *testing.T) {
	d := dir(t)
	db := filepath.Join(d, "secdoc.db")
	l := acquire(t, db)
	if err := l.Verify(); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(d, "other.db")
	if err := os.WriteFile(other, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(other, db); err != nil {
		if !isUnix() {
			t.Skipf("Windows keeps a file open with its lock from being replaced: %v", err)
		}
		t.Fatal(err)
	}
	if err := l.Verify(); !errors.Is(err, ErrMoved) {
		t.Fatalf("want ErrMoved, got %v", err)
	}
	os.Remove(db)
	if err := l.Verify(); !errors.Is(err, ErrMoved) {
		t.Fatalf("removed: want ErrMoved, got %v", err)
	}
	l.Release()
	if err := l.Verify(); err == nil {
		t.Fatal("verified a released lock")
	}
}
