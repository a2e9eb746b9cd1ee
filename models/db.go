// Package models owns secdoc's stored data: the GORM structs and enums of the
// register, the validation of what a clerk types, the search index encoding,
// and opening and migrating the SQLite file. It knows nothing of windows.
package models

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Open opens (creating if needed) the database file at path and brings its
// schema up to date. Foreign keys, WAL, a busy timeout and secure_delete are on
// for every pooled connection; write transactions begin IMMEDIATE so that
// concurrent saves queue on the busy timeout instead of failing; every commit
// is synced to disk (synchronous FULL), so that what the program reported
// saved, and sealed in the audit chain's head outside the file, survives a
// power cut. Each pooled connection also gets the TEMP triggers that note
// the rows a transaction changes, for the audit record that seals them.
func Open(path string) (*gorm.DB, error) { return OpenUpgrading(path, nil) }

// CacheKiB is each connection's page cache. The window's readings go
// through indexes and touch few pages, which the system's file cache holds
// anyway; a larger cache per connection (there are four) only grows the
// window's memory with the register. Bulk work raises its own (BulkCacheKiB).
const CacheKiB = 8192

// BulkCacheKiB is the page cache of a connection while it writes a bulk
// registration, whose index pages are written again and again.
const BulkCacheKiB = 65536

// OpenUpgrading is Open that, when the database was written by an older
// version and is about to be migrated, first calls before with the open,
// not yet migrated database and its schema version; an error from before
// stops the opening with the database untouched.
func OpenUpgrading(path string, before func(db *gorm.DB, from int) error) (*gorm.DB, error) {
	q := url.Values{}
	for _, p := range []string{
		"foreign_keys(1)",
		"journal_mode(WAL)",
		"busy_timeout(10000)",
		"secure_delete(1)",
		"synchronous(FULL)",
		fmt.Sprintf("cache_size(-%d)", CacheKiB),
		"temp_store(MEMORY)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()

	// Migrate on a connection of its own, without the triggers: they are
	// made for the tables the migrations leave.
	plain, err := openGorm(sqlite.Open(dsn))
	if err != nil {
		return nil, err
	}
	if before != nil {
		from, err := SchemaOf(plain)
		if err == nil && from > 0 && from < SchemaVersion() {
			err = before(plain, from)
		}
		if err != nil {
			Close(plain)
			return nil, err
		}
	}
	err = Migrate(plain)
	Close(plain)
	if err != nil {
		return nil, err
	}

	tables, err := SealedTables()
	if err != nil {
		return nil, err
	}
	setup := []string{PendingSealsTable}
	for _, t := range tables {
		setup = append(setup, t.SealTriggers()...)
	}
	probe, err := sql.Open(sqlite.DriverName, "")
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	drv := probe.Driver()
	probe.Close()
	sqlDB := sql.OpenDB(&sealingConnector{drv: drv, dsn: dsn, setup: setup})
	sqlDB.SetMaxOpenConns(4)
	sqlDB.SetMaxIdleConns(4)
	db, err := openGorm(&sqlite.Dialector{Conn: sqlDB})
	if err != nil {
		sqlDB.Close()
		return nil, err
	}
	return db, nil
}

func openGorm(d gorm.Dialector) (*gorm.DB, error) {
	db, err := gorm.Open(d, &gorm.Config{
		TranslateError:         true,
		Logger:                 logger.Default.LogMode(logger.Silent),
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	return db, nil
}

// sealingConnector opens connections of the SQLite driver and runs the
// sealing set-up on each before the pool hands it out.
type sealingConnector struct {
	drv   driver.Driver
	dsn   string
	setup []string
}

func (c *sealingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	ex, ok := conn.(driver.ExecerContext)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("sqlite connection can't execute statements")
	}
	for _, stmt := range c.setup {
		if _, err := ex.ExecContext(ctx, stmt, nil); err != nil {
			// A sealed table that is missing (dropped with another tool) gets
			// no trigger; the audit check names what is missing.
			if isNoSuchTable(err) {
				continue
			}
			conn.Close()
			return nil, fmt.Errorf("prepare connection: %.60s…: %w", stmt, err)
		}
	}
	return conn, nil
}

func (c *sealingConnector) Driver() driver.Driver { return c.drv }

func isNoSuchTable(err error) bool {
	return err != nil && strings.Contains(err.Error(), "no such table")
}

// OpenReadOnly opens the database file at path for reading only, as it is:
// no migration, no triggers, no writes (a file being restored, to compare
// its schema and read its accounts before anything is changed).
func OpenReadOnly(path string) (*gorm.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "query_only(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := openGorm(sqlite.Open("file:" + path + "?mode=ro&" + q.Encode()))
	if err != nil {
		return nil, err
	}
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.SetMaxOpenConns(1)
	}
	return db, nil
}

// Close closes the database's connections.
func Close(db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}
