package backup_test

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"secdoc/app/backup"
	"secdoc/internal/instance"
	"secdoc/models"
)

// wantOwnerOnly checks a plaintext copy's mode on Unix (Windows: the
// access list, tested in internal/private).
func wantOwnerOnly(t *testing.T, path string) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("%s: mode %v, want 0600", path, st.Mode())
	}
}

func touch(t *testing.T, path string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestTempName_OwnPatternPerDatabase(t *testing.T) {
	d := t.TempDir()
	db := filepath.Join(d, "secdoc.db")
	a, err := backup.TempName(db, backup.TempSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := backup.TempName(db, backup.TempSnapshot)
	c, _ := backup.TempName(filepath.Join(d, "notes.db"), backup.TempSnapshot)
	if a == b || filepath.Dir(a) != d || !strings.HasPrefix(filepath.Base(a), ".secdoc-tmp-snapshot-") || !strings.HasSuffix(a, ".db") {
		t.Fatalf("names %s %s", a, b)
	}
	// Another database of the folder: another tag.
	if a[:len(a)-len("0123456789abcdef.db")] == c[:len(c)-len("0123456789abcdef.db")] {
		t.Fatalf("same tag for two databases: %s %s", a, c)
	}
	if _, err := backup.TempName(db, "../x"); err == nil {
		t.Fatal("a purpose that is a path")
	}
	p, err := backup.CreateTemp(db, backup.TempRestore)
	if err != nil {
		t.Fatal(err)
	}
	wantOwnerOnly(t, p)
	if st, _ := os.Stat(p); st.Size() != 0 {
		t.Fatal("not empty")
	}
}

// CleanLeftovers removes this database's temporary copies (the program's
// names, current and earlier) and nothing else.
func TestCleanLeftovers_RemovesOnlyTheProgramsCopies(t *testing.T) {
	d := t.TempDir()
	db := filepath.Join(d, "secdoc.db")
	var want []string
	leftover := func(purpose string, suffixes ...string) {
		p, err := backup.TempName(db, purpose)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range append([]string{""}, suffixes...) {
			touch(t, p+s)
			want = append(want, filepath.Base(p+s))
		}
	}
	leftover(backup.TempSnapshot, "-journal")
	leftover(backup.TempRestore, "-wal", "-shm")
	for _, n := range []string{".secdoc-snapshot-123456789.db", "secdoc.db.恢复中-20261123-100000",
		"secdoc.db.恢复中-20261123-100000-wal", "secdoc.db.恢复中-20261123-100000-2", "secdoc.db.恢复中-20261123-100000-2-shm"} {
		touch(t, filepath.Join(d, n))
		want = append(want, n)
	}

	keep := []string{"secdoc.db", "secdoc.db-wal", "secdoc.db-shm", "secdoc.db.lock", "notes.db", "notes.db-wal",
		"secdoc.db.回滚-20261123-100000", "secdoc.db.恢复中-x", ".secdoc-tmp-snapshot-xyz.db",
		".secdoc-snapshot-abc.db", "secdoc-备份-20261123-100000.sdbk", "secdoc-备份-20261123-100000.sdbk.tmp"}
	// Another database's copy in the same folder, perhaps in use by the
	// program that has that database open.
	other, _ := backup.TempName(filepath.Join(d, "notes.db"), backup.TempSnapshot)
	keep = append(keep, filepath.Base(other))
	// A copy's name with something after it is not a copy.
	near, _ := backup.TempName(db, backup.TempSnapshot)
	keep = append(keep, filepath.Base(near)+".bak", filepath.Base(near)+"-wal2")
	for _, n := range keep {
		touch(t, filepath.Join(d, n))
	}
	// A folder named like a copy is not a file the program made.
	folder, _ := backup.TempName(db, backup.TempSnapshot)
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	keep = append(keep, filepath.Base(folder))

	// A killed export's work folder, with the part of a sheet it spilled
	// and a link out of it, goes whole; the link's target stays.
	work, err := backup.TempDir(db, backup.TempWorkbook)
	if err != nil {
		t.Fatal(err)
	}
	touch(t, filepath.Join(work, "excelize-123"))
	outside := filepath.Join(t.TempDir(), "target")
	touch(t, outside)
	if err := os.Symlink(outside, filepath.Join(work, "link")); err != nil {
		t.Fatal(err)
	}
	want = append(want, filepath.Base(work))
	// Another database's work folder, and a link named like one of ours.
	otherWork, err := backup.TempDir(filepath.Join(d, "notes.db"), backup.TempWorkbook)
	if err != nil {
		t.Fatal(err)
	}
	keep = append(keep, filepath.Base(otherWork))
	linked, _ := backup.TempName(db, backup.TempWorkbook)
	linked = strings.TrimSuffix(linked, ".db") + ".d"
	if err := os.Symlink(t.TempDir(), linked); err != nil {
		t.Fatal(err)
	}
	keep = append(keep, filepath.Base(linked))

	removed, err := backup.CleanLeftovers(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(outside); err != nil {
		t.Fatalf("the target of a link in a work folder: %v", err)
	}
	sort.Strings(want)
	if strings.Join(removed, "\n") != strings.Join(want, "\n") {
		t.Fatalf("removed\n%s\nwant\n%s", strings.Join(removed, "\n"), strings.Join(want, "\n"))
	}
	sort.Strings(keep)
	if left := names(t, d); strings.Join(left, "\n") != strings.Join(keep, "\n") {
		t.Fatalf("left\n%s\nwant\n%s", strings.Join(left, "\n"), strings.Join(keep, "\n"))
	}
	if removed, err := backup.CleanLeftovers(db); err != nil || len(removed) != 0 {
		t.Fatalf("second clean: %v %v", removed, err)
	}
}

// Through a symbolic link, the copies beside the real file are found.
func TestCleanLeftovers_ThroughSymlink(t *testing.T) {
	d := t.TempDir()
	db := filepath.Join(d, "real", "secdoc.db")
	os.MkdirAll(filepath.Dir(db), 0o700)
	touch(t, db)
	link := filepath.Join(d, "secdoc.db")
	if err := os.Symlink(db, link); err != nil {
		t.Skip(err)
	}
	p, err := backup.CreateTemp(link, backup.TempSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(p) != filepath.Dir(mustReal(t, db)) {
		t.Fatalf("copy %s not beside the real file", p)
	}
	removed, err := backup.CleanLeftovers(link)
	if err != nil || len(removed) != 1 || removed[0] != filepath.Base(p) {
		t.Fatalf("removed %v %v", removed, err)
	}
}

func mustReal(t *testing.T, p string) string {
	t.Helper()
	r, err := filepath.EvalSymlinks(p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The snapshot, made either way, is the owner's only from the start and
// named as the program's; none is left after the backup.
func TestSnapshot_OwnerOnlyAndNamed(t *testing.T) {
	for _, vacuum := range []bool{false, true} {
		name := "copy"
		if vacuum {
			name = "vacuum"
		}
		t.Run(name, func(t *testing.T) {
			if vacuum {
				defer backup.ForceVacuumSnapshot()()
			}
			d := newDB(t, 3)
			dbDir := filepath.Dir(d.path)
			seen := ""
			progress := func(stage string, _ float64) {
				if stage != backup.StageWrite || seen != "" {
					return
				}
				for _, n := range names(t, dbDir) {
					if strings.HasPrefix(n, ".secdoc-tmp-snapshot-") && strings.HasSuffix(n, ".db") {
						seen = filepath.Join(dbDir, n)
						wantOwnerOnly(t, seen)
					}
				}
			}
			if _, err := backup.Create(d.source(t), t.TempDir(), secret, recKey(), fixedNow, progress); err != nil {
				t.Fatal(err)
			}
			if seen == "" {
				t.Fatalf("no snapshot seen beside the database: %v", names(t, dbDir))
			}
			for _, n := range names(t, dbDir) {
				if strings.HasPrefix(n, ".secdoc-tmp-") {
					t.Fatalf("left beside the database: %s", n)
				}
			}
		})
	}
}

// A restore's extracted database is the owner's only, and found by
// CleanLeftovers when a killed restore leaves it (with the -wal and -shm
// that migrating it makes).
func TestExtract_OwnerOnlyAndCleanable(t *testing.T) {
	d := newDB(t, 2)
	info := makeBackup(t, d)
	staged, err := backup.TempName(d.path, backup.TempRestore)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := backup.Extract(info.Path, secret, recovery, staged, nil); err != nil {
		t.Fatal(err)
	}
	wantOwnerOnly(t, staged)
	touch(t, staged+"-wal")
	touch(t, staged+"-shm")
	removed, err := backup.CleanLeftovers(d.path)
	if err != nil || len(removed) != 3 {
		t.Fatalf("removed %v %v", removed, err)
	}
	if _, err := os.Stat(d.path); err != nil {
		t.Fatal(err)
	}
}

// The child of TestKilledBackup_LeftoverCleaned: opens the database named by
// the environment, starts a backup, says where its snapshot is once the
// snapshot is being copied, and waits there to be killed.
const killedBackupEnv = "SECDOC_BACKUP_KILLED_CHILD"

func TestKilledBackupChild(t *testing.T) {
	path := os.Getenv(killedBackupEnv)
	if path == "" {
		t.Skip("run by TestKilledBackup_LeftoverCleaned")
	}
	db, err := models.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	d := &testDB{path: path, db: db, key: make([]byte, 32)}
	progress := func(stage string, f float64) {
		if stage != backup.StageSnapshot || f == 0 {
			return
		}
		// Inside the snapshot's copy, under its write lock.
		for _, n := range names(t, filepath.Dir(d.path)) {
			if strings.HasPrefix(n, ".secdoc-tmp-snapshot-") {
				os.Stdout.WriteString("snapshot " + n + "\n")
			}
		}
		select {} // until killed
	}
	backup.Create(d.source(t), t.TempDir(), secret, recKey(), fixedNow, progress)
	t.Fatal("the backup finished")
}

// A backup killed in the middle of its snapshot leaves a plaintext copy of
// the database; CleanLeftovers, run by the next holder, removes it and
// leaves the database whole.
func TestKilledBackup_LeftoverCleaned(t *testing.T) {
	d := newDB(t, 5)
	db := d.path
	carriers := d.count(t, "carriers")
	if err := d.close(); err != nil {
		t.Fatal(err)
	}
	notes := filepath.Join(filepath.Dir(db), "notes.db")
	touch(t, notes)

	cmd := exec.Command(os.Args[0], "-test.run=^TestKilledBackupChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), killedBackupEnv+"="+db)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if !strings.HasPrefix(line, "snapshot ") {
		t.Fatalf("child said %q: %v", line, err)
	}
	snap := strings.TrimSpace(strings.TrimPrefix(line, "snapshot "))
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no deferred removal runs
		t.Fatal(err)
	}
	cmd.Wait()
	snapPath := filepath.Join(filepath.Dir(db), snap)
	if _, err := os.Stat(snapPath); err != nil {
		t.Fatalf("the killed backup left no snapshot: %v", err)
	}
	wantOwnerOnly(t, snapPath)

	lock, err := instance.Acquire(db) // the killed program's hold is gone
	if err != nil {
		t.Fatal(err)
	}
	removed, err := backup.CleanLeftovers(db)
	lock.Release()
	if err != nil || len(removed) != 1 || removed[0] != snap {
		t.Fatalf("removed %v %v, want %s", removed, err, snap)
	}
	for _, n := range names(t, filepath.Dir(db)) {
		if strings.HasPrefix(n, ".secdoc-") {
			t.Fatalf("left: %s", n)
		}
	}
	if _, err := os.Stat(notes); err != nil {
		t.Fatalf("an unrelated file went: %v", err)
	}
	again, err := models.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer models.Close(again)
	if n := (&testDB{db: again}).count(t, "carriers"); n != carriers {
		t.Fatalf("%d carriers after the killed backup, want %d", n, carriers)
	}
	var res string
	if err := again.Raw(`PRAGMA integrity_check`).Scan(&res).Error; err != nil || res != "ok" {
		t.Fatalf("integrity %q %v", res, err)
	}
}

// A work folder is made beside the database, the owner's only, new each time.
func TestTempDir_BesideTheDatabaseOwnerOnly(t *testing.T) {
	d := t.TempDir()
	db := filepath.Join(d, "secdoc.db")
	a, err := backup.TempDir(db, backup.TempWorkbook)
	if err != nil {
		t.Fatal(err)
	}
	b, err := backup.TempDir(db, backup.TempWorkbook)
	if err != nil {
		t.Fatal(err)
	}
	if a == b || filepath.Dir(a) != d || !strings.HasPrefix(filepath.Base(a), ".secdoc-tmp-xlsx-") || !strings.HasSuffix(a, ".d") {
		t.Fatalf("folders %s %s", a, b)
	}
	st, err := os.Stat(a)
	if err != nil || !st.IsDir() {
		t.Fatalf("%s: %v %v", a, st, err)
	}
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o700 {
		t.Fatalf("%s: mode %v, want 0700", a, st.Mode())
	}
	if _, err := backup.TempDir(db, "../x"); err == nil {
		t.Fatal("a purpose that is a path")
	}
}
