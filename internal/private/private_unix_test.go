//go:build unix

package private

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// The tests run with no umask, so that only this package narrows modes.
func TestMain(m *testing.M) {
	syscall.Umask(0)
	os.Exit(m.Run())
}

func wantPrivate(t *testing.T, path string, dir bool) {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	want := FileMode
	if dir {
		want = DirMode
	}
	if st.IsDir() != dir || st.Mode().Perm() != want {
		t.Fatalf("%s: mode %v, want %v", path, st.Mode(), want)
	}
}

func loosen(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != mode {
		t.Fatalf("could not loosen %s", path)
	}
}

func TestSetUmask(t *testing.T) {
	defer syscall.Umask(syscall.Umask(0)) // put the test's umask back
	SetUmask()
	d := t.TempDir()
	f := filepath.Join(d, "plain.db")
	if err := os.WriteFile(f, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(d, "sub")
	if err := os.Mkdir(sub, 0o777); err != nil {
		t.Fatal(err)
	}
	wantPrivate(t, f, false)
	wantPrivate(t, sub, true)
	if old := syscall.Umask(0o077); old != 0o077 {
		t.Fatalf("umask %o", old)
	}
}
