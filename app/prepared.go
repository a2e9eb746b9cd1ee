package app

import (
	"context"
	"database/sql"
	"fmt"

	"gorm.io/gorm"
)

// Statements of the sealing and the chain, run on the transaction's own
// connection (or the pool). The pure-Go driver prepares a statement afresh
// each time it runs, prepared or not, so none is kept prepared: what saves
// time is running fewer.
const (
	sqlSealed     = `SELECT 1 FROM row_seals WHERE tbl = ? AND row_key = ?`
	sqlLastRecord = `SELECT seq, hash, digest, v FROM audit_log ORDER BY seq DESC LIMIT 1`
	sqlAppend     = `INSERT INTO audit_log(seq, at, login, role, event, object, success, detail, hash, v, seals, digest)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	whereID = ` WHERE id = ?`
)

// runner runs statements: a transaction or the pool.
type runner interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// runnerFor is what runs statements for tx (nil: the pool).
func (s *Service) runnerFor(tx *gorm.DB) (context.Context, runner, error) {
	if tx == nil {
		sqlDB, err := s.db.DB()
		return s.ctx, sqlDB, err
	}
	ctx := tx.Statement.Context
	if ctx == nil {
		ctx = s.ctx
	}
	r, ok := tx.Statement.ConnPool.(runner)
	if !ok {
		return ctx, nil, fmt.Errorf("unexpected connection pool %T", tx.Statement.ConnPool)
	}
	return ctx, r, nil
}

// query runs query in tx (nil: on the pool).
func (s *Service) query(tx *gorm.DB, query string, args ...any) (*sql.Rows, error) {
	ctx, r, err := s.runnerFor(tx)
	if err != nil {
		return nil, err
	}
	return r.QueryContext(ctx, query, args...)
}

// queryRow runs query for one row in tx (nil: on the pool).
func (s *Service) queryRow(tx *gorm.DB, query string, args ...any) rowScanner {
	ctx, r, err := s.runnerFor(tx)
	if err != nil {
		return errRow{err}
	}
	return r.QueryRowContext(ctx, query, args...)
}

// exec runs the statement in tx (nil: on the pool).
func (s *Service) exec(tx *gorm.DB, query string, args ...any) (sql.Result, error) {
	ctx, r, err := s.runnerFor(tx)
	if err != nil {
		return nil, err
	}
	return r.ExecContext(ctx, query, args...)
}

type rowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
