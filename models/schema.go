package models

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Schema is the shape of a database: every table, index, trigger and view
// with the SQL that made it, and every table's columns. The program knows the
// exact schema its migrations make (ExpectedSchema); a database whose schema
// differs from it (an extra trigger, a dropped one, a changed column) has
// been altered outside the program.
type Schema struct {
	Version int
	Objects map[string]SchemaObject // by name
	Columns map[string][]Column     // by table, in declaration order
}

// SchemaObject is one row of sqlite_master.
type SchemaObject struct {
	Type  string // table, index, trigger, view
	Name  string
	Table string
	SQL   string
}

// Column is one column of a table as PRAGMA table_info describes it.
type Column struct {
	Name    string
	Type    string
	NotNull bool
	// Default is the default as SQLite's quote() would print the value it
	// stores ("''", "0", "NULL" when there is none).
	Default string
	PK      int // position in the primary key, 0 when not part of it
}

var (
	expectedMu      sync.Mutex
	expectedSchemas = map[int]*Schema{}
)

// ExpectedSchema is the schema this build's migrations make, read once from
// a fresh database in memory.
func ExpectedSchema() (*Schema, error) { return ExpectedSchemaAt(SchemaVersion()) }

// ExpectedSchemaAt is the schema this build's migrations make up to
// version: what a database written by the program at that version is, and
// nothing else. A restored database of an older version is compared with
// it before it is migrated.
func ExpectedSchemaAt(version int) (*Schema, error) {
	expectedMu.Lock()
	defer expectedMu.Unlock()
	if s, ok := expectedSchemas[version]; ok {
		return s, nil
	}
	if version < 1 || version > SchemaVersion() {
		return nil, fmt.Errorf("no schema version %d", version)
	}
	db, err := gorm.Open(sqlite.Open("file::memory:"), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	defer sqlDB.Close()
	sqlDB.SetMaxOpenConns(1) // one connection: one in-memory database
	if err := migrateTo(db, version); err != nil {
		return nil, err
	}
	s, err := ReadSchema(db)
	if err != nil {
		return nil, err
	}
	expectedSchemas[version] = s
	return s, nil
}

// ReadSchema reads the schema of db.
func ReadSchema(db *gorm.DB) (*Schema, error) {
	s := &Schema{Objects: map[string]SchemaObject{}, Columns: map[string][]Column{}}
	if err := db.Raw(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&s.Version).Error; err != nil {
		return nil, fmt.Errorf("read schema version: %w", err)
	}
	var objs []struct {
		Type, Name, TblName string
		SQL                 *string
	}
	if err := db.Raw(`SELECT type, name, tbl_name, sql FROM sqlite_master`).Scan(&objs).Error; err != nil {
		return nil, fmt.Errorf("read schema: %w", err)
	}
	for _, o := range objs {
		sql := ""
		if o.SQL != nil {
			sql = *o.SQL
		}
		s.Objects[o.Name] = SchemaObject{Type: o.Type, Name: o.Name, Table: o.TblName, SQL: sql}
	}
	for _, o := range s.Objects {
		if o.Type != "table" {
			continue
		}
		var cols []struct {
			Name      string
			Type      string
			NotNull   bool
			DfltValue *string
			PK        int
		}
		if err := db.Raw(`SELECT name, type, "notnull" AS not_null, dflt_value, pk FROM pragma_table_info(?)`,
			o.Name).Scan(&cols).Error; err != nil {
			return nil, fmt.Errorf("read columns of %s: %w", o.Name, err)
		}
		for _, c := range cols {
			d := "NULL"
			if c.DfltValue != nil {
				d = *c.DfltValue
			}
			s.Columns[o.Name] = append(s.Columns[o.Name], Column{Name: c.Name, Type: c.Type, NotNull: c.NotNull, Default: d, PK: c.PK})
		}
	}
	return s, nil
}

// Diff lists, in Chinese, every way got differs from s: objects missing,
// extra or changed, grouped by kind. Internal objects SQLite makes for itself
// (autoindexes, the search index's shadow tables) are compared like any
// other.
func (s *Schema) Diff(got *Schema) []string {
	var out []string
	kind := map[string]string{"table": "表", "index": "索引", "trigger": "触发器", "view": "视图"}
	label := func(t string) string {
		if k, ok := kind[t]; ok {
			return k
		}
		return t
	}
	if got.Version != s.Version {
		out = append(out, fmt.Sprintf("结构版本为 %d，应为 %d", got.Version, s.Version))
	}
	var missing, extra, changed [][2]string // kind, name
	for _, n := range sortedNames(s.Objects) {
		want := s.Objects[n]
		have, ok := got.Objects[n]
		switch {
		case !ok:
			missing = append(missing, [2]string{want.Type, n})
		case have.Type != want.Type || have.SQL != want.SQL || have.Table != want.Table:
			changed = append(changed, [2]string{want.Type, n})
		}
	}
	for _, n := range sortedNames(got.Objects) {
		if _, ok := s.Objects[n]; !ok {
			extra = append(extra, [2]string{got.Objects[n].Type, n})
		}
	}
	group := func(what string, objs [][2]string) {
		byKind := map[string][]string{}
		var kinds []string
		for _, o := range objs {
			if _, ok := byKind[o[0]]; !ok {
				kinds = append(kinds, o[0])
			}
			byKind[o[0]] = append(byKind[o[0]], o[1])
		}
		sort.Strings(kinds)
		for _, k := range kinds {
			names := byKind[k]
			msg := what + label(k) + " " + strings.Join(names, "、")
			if len(names) > 1 {
				msg += fmt.Sprintf("（共 %d 个）", len(names))
			}
			out = append(out, msg)
		}
	}
	group("缺少", missing)
	group("多出", extra)
	group("定义被改动的", changed)
	return out
}

func sortedNames(m map[string]SchemaObject) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
