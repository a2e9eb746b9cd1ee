package models

import (
	"path/filepath"
	"testing"

	"github.com/glebarez/sqlite"
)

// R20–R22: a register of schema 12 takes the wider constraints in place:
// its rows and their values stay as they were, 内部, 非密 and a blank 份号
// are accepted after, a level outside the five is still refused, and the
// schema is the one a new register gets.
func TestMigration13_WidensLevelsAndCopyNumbersInPlace(t *testing.T) {
	db, err := openGorm(sqlite.Open("file:" + filepath.Join(t.TempDir(), "old.db") + "?_pragma=foreign_keys(1)"))
	if err != nil {
		t.Fatal(err)
	}
	defer Close(db)
	if err := migrateTo(db, 12); err != nil {
		t.Fatal(err)
	}
	seq := 0
	insert := func(id string, level, copyNo int) error {
		seq++
		return db.Exec(`INSERT INTO carriers(id, seq, reg_no, direction, year, reg_date, title, level, term_kind,
			copy_no, copy_count, batch_id, kind, state, created_at, created_by, updated_at)
			VALUES (?, ?, ?, 'in', 2026, '2026-01-20', '题名', ?, 'default', ?, 1, 'b', '纸质文件', 'in_store',
			'2026-01-20', 'x', '2026-01-20')`, id, seq, "收"+id, level, copyNo).Error
	}
	if err := insert("a", 2, 1); err != nil {
		t.Fatal(err)
	}
	if insert("b", -1, 0) == nil {
		t.Fatal("schema 12 took 内部 and a blank 份号")
	}
	if err := Migrate(db); err != nil {
		t.Fatal(err)
	}
	var c Carrier
	if err := db.Take(&c, "id = ?", "a").Error; err != nil || c.Level != LevelSecret || c.CopyNo != 1 || c.DocDate != "" {
		t.Fatalf("old row after migration: %+v %v", c, err)
	}
	for i, ok := range []struct {
		level, copyNo int
		want          bool
	}{{-1, 0, true}, {-2, 0, true}, {1, 0, true}, {0, 1, false}, {4, 1, false}, {-3, 1, false}, {2, -1, false}} {
		id := string(rune('c' + i))
		if err := insert(id, ok.level, ok.copyNo); (err == nil) != ok.want {
			t.Errorf("level %d 份号 %d: err %v, want accepted %v", ok.level, ok.copyNo, err, ok.want)
		}
	}
	var check string
	if err := db.Raw(`PRAGMA integrity_check`).Scan(&check).Error; err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	want, err := ExpectedSchema()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadSchema(db)
	if err != nil {
		t.Fatal(err)
	}
	if d := want.Diff(got); len(d) > 0 {
		t.Fatalf("migrated schema differs from a new one: %v", d)
	}
}
