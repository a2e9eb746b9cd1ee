package models

import (
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// migration is one step of the schema. The list is append-only: a released
// step is never edited, a change is a new step.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
}

func execAll(stmts ...string) func(tx *gorm.DB) error {
	return func(tx *gorm.DB) error {
		for _, s := range stmts {
			if err := tx.Exec(s).Error; err != nil {
				return fmt.Errorf("%.60s…: %w", s, err)
			}
		}
		return nil
	}
}

// rewriteCheck changes CHECK constraints of table in place, each old
// clause of its CREATE statement to the new one, the way SQLite documents
// for constraints that leave the stored rows as they are: the statement
// text is rewritten and the schema version bumped, in the migration's
// transaction, without copying the table. The rows must already satisfy
// the new constraints (they are wider than the old here).
func rewriteCheck(tx *gorm.DB, table string, clauses map[string]string) error {
	var sql string
	if err := tx.Raw(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, table).Scan(&sql).Error; err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	for old, repl := range clauses {
		if strings.Count(sql, old) != 1 {
			return fmt.Errorf("%s: clause %q not found once", table, old)
		}
		sql = strings.Replace(sql, old, repl, 1)
	}
	var version int
	if err := tx.Raw(`PRAGMA schema_version`).Scan(&version).Error; err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	return execAll(
		`PRAGMA writable_schema = ON`,
		fmt.Sprintf(`UPDATE sqlite_master SET sql = '%s' WHERE type = 'table' AND name = '%s'`,
			strings.ReplaceAll(sql, "'", "''"), table),
		fmt.Sprintf(`PRAGMA schema_version = %d`, version+1),
		`PRAGMA writable_schema = OFF`,
	)(tx)
}

// SchemaVersion is the schema version this build writes.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// SchemaOf is the schema version of a database: 0 for a new one.
func SchemaOf(db *gorm.DB) (int, error) {
	var n int
	if err := db.Raw(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).
		Scan(&n).Error; err != nil || n == 0 {
		return 0, err
	}
	err := db.Raw(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&n).Error
	return n, err
}

// Migrate applies every migration the database lacks, each in its own
// transaction, and refuses a database written by a newer program.
func Migrate(db *gorm.DB) error { return migrateTo(db, SchemaVersion()) }

// migrateTo applies the migrations up to version.
func migrateTo(db *gorm.DB, version int) error {
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at DATETIME NOT NULL)`).Error; err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	var current int
	if err := db.Raw(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&current).Error; err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if current > SchemaVersion() {
		return fmt.Errorf("%w: database schema %d, program knows %d", ErrNewerSchema, current, SchemaVersion())
	}
	for _, m := range migrations {
		if m.version <= current || m.version > version {
			continue
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			if err := m.up(tx); err != nil {
				return err
			}
			return tx.Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, time.Now().UTC()).Error
		})
		if err != nil {
			return fmt.Errorf("migration %d %s: %w", m.version, m.name, err)
		}
	}
	return nil
}
