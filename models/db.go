// Package models owns secdoc's stored data: the GORM structs and enums of the
// register, the validation of what a clerk types, the search index encoding,
// and opening and migrating the SQLite file. It knows nothing of windows.
package models

import (
	"fmt"
	"net/url"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Open opens (creating if needed) the database file at path and brings its
// schema up to date. Foreign keys, WAL, a busy timeout and secure_delete are on
// for every pooled connection; write transactions begin IMMEDIATE so that
// concurrent saves queue on the busy timeout instead of failing.
func Open(path string) (*gorm.DB, error) {
	q := url.Values{}
	for _, p := range []string{
		"foreign_keys(1)",
		"journal_mode(WAL)",
		"busy_timeout(10000)",
		"secure_delete(1)",
		"synchronous(NORMAL)",
		"cache_size(-65536)",
		"temp_store(MEMORY)",
	} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	dsn := "file:" + path + "?" + q.Encode()
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{
		TranslateError:         true,
		Logger:                 logger.Default.LogMode(logger.Silent),
		NowFunc:                func() time.Time { return time.Now().UTC() },
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
	})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(4)
	sqlDB.SetMaxIdleConns(4)
	if err := Migrate(db); err != nil {
		sqlDB.Close()
		return nil, err
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
