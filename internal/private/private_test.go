package private

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestCreateNewAndExisting(t *testing.T) {
	d := t.TempDir()
	p := filepath.Join(d, "a.db")
	f, err := Create(p)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("one")
	f.Close()
	wantPrivate(t, p, false)

	loosen(t, p, 0o644)
	f, err = Create(p) // truncates, and narrows the old file
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("2")
	f.Close()
	wantPrivate(t, p, false)
	if b, _ := os.ReadFile(p); string(b) != "2" {
		t.Fatalf("content %q", b)
	}
}

func TestCreateExcl(t *testing.T) {
	d := t.TempDir()
	p := filepath.Join(d, "new.db")
	f, err := CreateExcl(p)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	wantPrivate(t, p, false)
	if _, err := CreateExcl(p); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second CreateExcl: %v", err)
	}
	link := filepath.Join(d, "link.db")
	if err := os.Symlink(filepath.Join(d, "target.db"), link); err == nil {
		if _, err := CreateExcl(link); !errors.Is(err, fs.ErrExist) {
			t.Fatalf("CreateExcl through a dangling link: %v", err)
		}
		if _, err := os.Lstat(filepath.Join(d, "target.db")); err == nil {
			t.Fatal("CreateExcl created a link's target")
		}
	}
}

func TestWriteFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "k.key")
	if err := WriteFile(p, []byte("secret")); err != nil {
		t.Fatal(err)
	}
	wantPrivate(t, p, false)
	loosen(t, p, 0o666)
	if err := WriteFile(p, []byte("s2")); err != nil {
		t.Fatal(err)
	}
	wantPrivate(t, p, false)
	if b, _ := os.ReadFile(p); string(b) != "s2" {
		t.Fatalf("content %q", b)
	}
}

func TestMkdirAll(t *testing.T) {
	d := t.TempDir()
	p := filepath.Join(d, "a", "b")
	if err := MkdirAll(p); err != nil {
		t.Fatal(err)
	}
	wantPrivate(t, p, true)
	loosen(t, p, 0o755)
	if err := MkdirAll(p); err != nil {
		t.Fatal(err)
	}
	wantPrivate(t, p, true)
	f := filepath.Join(d, "file")
	os.WriteFile(f, nil, 0o600)
	if err := MkdirAll(f); err == nil {
		t.Fatal("MkdirAll over a file")
	}
}

func TestRestrict(t *testing.T) {
	d := t.TempDir()
	f := filepath.Join(d, "f")
	if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	loosen(t, f, 0o644)
	sub := filepath.Join(d, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	loosen(t, sub, 0o755)
	for _, c := range []struct {
		path string
		dir  bool
	}{{f, false}, {sub, true}} {
		if err := Restrict(c.path); err != nil {
			t.Fatal(err)
		}
		wantPrivate(t, c.path, c.dir)
	}
	if err := Restrict(filepath.Join(d, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Restrict of a missing file: %v", err)
	}
}
