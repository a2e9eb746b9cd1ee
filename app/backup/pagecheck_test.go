package backup_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"secdoc/app/backup"
)

// closedCopy makes a database with overflow pages (noise), a free list
// (deleted rows) and n carriers, folds its log in, and returns a copy of
// its file nobody has open, with its page size.
func closedCopy(t *testing.T, n int) (string, int) {
	t.Helper()
	d := newDB(t, n)
	d.noise(t, 20000) // a value longer than a page: an overflow chain
	d.noise(t, 30000) // and one whose pages are freed
	if err := d.db.Exec(`DELETE FROM settings WHERE key LIKE 'noise-%' AND length(value) = 60000`).Error; err != nil {
		t.Fatal(err)
	}
	var ps int
	d.db.Raw(`PRAGMA page_size`).Scan(&ps)
	d.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	if err := d.close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(p, readFile(t, d.path), 0o600); err != nil {
		t.Fatal(err)
	}
	return p, ps
}

func openRO(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?immutable=1&mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// quickCheck is SQLite's own verdict on the file's structure.
func quickCheck(t *testing.T, path string) string {
	t.Helper()
	var out []string
	rows, err := openRO(t, path).Query(`PRAGMA quick_check`)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	for rows.Next() {
		var m string
		rows.Scan(&m)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		out = append(out, err.Error())
	}
	return strings.Join(out, "; ")
}

func rootPage(t *testing.T, path, name string) int {
	t.Helper()
	var root int
	if err := openRO(t, path).QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = ?`, name).Scan(&root); err != nil {
		t.Fatal(err)
	}
	return root
}

func TestCheckPages_SoundDatabasePasses(t *testing.T) {
	p, _ := closedCopy(t, 400)
	if q := quickCheck(t, p); q != "ok" {
		t.Fatalf("quick_check of the sound copy: %s", q)
	}
	var free int
	openRO(t, p).QueryRow(`PRAGMA freelist_count`).Scan(&free)
	if free == 0 {
		t.Fatal("the test database has no free list: the test would not cover it")
	}
	if err := backup.CheckPages(context.Background(), p, backup.ErrSourceCorrupt); err != nil {
		t.Fatal(err)
	}
}

// TestCheckPages_DamageFound: each kind of damage a medium or a crash does
// to pages is found, and SQLite's quick_check agrees that it is damage.
func TestCheckPages_DamageFound(t *testing.T) {
	good, ps := closedCopy(t, 400)
	orig := readFile(t, good)
	idx := rootPage(t, good, "idx_carriers_reg_no")
	tbl := rootPage(t, good, "carriers")
	events := rootPage(t, good, "carrier_events")
	last := len(orig) / ps
	at := func(pg int) int { return (pg - 1) * ps }
	cases := []struct {
		name   string
		damage func(b []byte) []byte
	}{
		{"an index page torn: its second half zeroed", func(b []byte) []byte {
			clear(b[at(idx)+ps/2 : at(idx)+ps])
			return b
		}},
		{"a table's root page zeroed", func(b []byte) []byte {
			clear(b[at(tbl) : at(tbl)+ps])
			return b
		}},
		{"a page overwritten with another one", func(b []byte) []byte {
			copy(b[at(events):at(events)+ps], b[at(idx):at(idx)+ps])
			return b
		}},
		{"a cell pointer off by one", func(b []byte) []byte {
			h, hdr := at(idx), 8
			if b[h] == 0x02 {
				hdr = 12 // an interior page's header
			}
			b[h+hdr+1]++ // the first cell pointer's low byte
			return b
		}},
		{"the free list count changed", func(b []byte) []byte {
			b[39]++
			return b
		}},
		{"the last page cut off", func(b []byte) []byte { return b[:at(last)] }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "bad.db")
			if err := os.WriteFile(p, c.damage(bytes.Clone(orig)), 0o600); err != nil {
				t.Fatal(err)
			}
			if q := quickCheck(t, p); q == "ok" {
				t.Fatalf("quick_check finds nothing wrong: the damage is not damage")
			}
			err := backup.CheckPages(context.Background(), p, backup.ErrSourceCorrupt)
			if !errors.Is(err, backup.ErrSourceCorrupt) {
				t.Fatalf("CheckPages: %v (quick_check: %s)", err, quickCheck(t, p))
			}
		})
	}
}

// TestCheckPages_IndexContentIsTheFullChecks: an index entry changed in
// place (the page's structure intact) is beyond CheckPages, as it is beyond
// quick_check: the full check, PRAGMA integrity_check, finds it.
func TestCheckPages_IndexContentIsTheFullChecks(t *testing.T) {
	p, ps := closedCopy(t, 30)
	b := readFile(t, p)
	idx := rootPage(t, p, "idx_carriers_reg_no")
	page := b[(idx-1)*ps : idx*ps]
	from, to := []byte("收-2026-000007"), []byte("收-2026-000008")
	if i := bytes.Index(page, from); i < 0 {
		t.Fatal("the index entry is not on the index's root page")
	} else {
		copy(page[i:], to)
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := backup.CheckPages(context.Background(), p, backup.ErrSourceCorrupt); err != nil {
		t.Fatalf("CheckPages: %v", err)
	}
	findings, err := backup.FullCheck(context.Background(), openRO(t, p))
	if err != nil || len(findings) == 0 {
		t.Fatalf("integrity_check: %v %v", findings, err)
	}
}

// TestCreate_DamagedDatabaseRefused: a database with a damaged index page
// is not backed up: no file is left in the folder, nor a snapshot beside
// the database, and the error says so in Chinese.
func TestCreate_DamagedDatabaseRefused(t *testing.T) {
	d := newDB(t, 50)
	d.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	var ps, idx int
	d.db.Raw(`PRAGMA page_size`).Scan(&ps)
	d.db.Raw(`SELECT rootpage FROM sqlite_schema WHERE name = 'idx_carriers_reg_no'`).Scan(&idx)
	f, err := os.OpenFile(d.path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(make([]byte, ps/2), int64((idx-1)*ps+ps/2)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	dir := t.TempDir()
	_, err = backup.Create(d.source(t), dir, secret, recKey(), fixedNow, nil)
	if !errors.Is(err, backup.ErrSourceCorrupt) || !strings.Contains(err.Error(), fmt.Sprintf("page %d", idx)) {
		t.Fatalf("Create: %v", err)
	}
	if m := backup.Message(err); !strings.HasPrefix(m, "当前数据库没有通过完整性检查，没有生成备份") {
		t.Fatalf("message %q", m)
	}
	if got := names(t, dir); len(got) != 0 {
		t.Fatalf("the folder holds %v", got)
	}
	for _, n := range names(t, filepath.Dir(d.path)) {
		if strings.Contains(n, "snapshot") {
			t.Fatalf("snapshot left beside the database: %s", n)
		}
	}
}
