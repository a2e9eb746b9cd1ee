package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"strings"
	"time"

	_ "github.com/glebarez/go-sqlite" // the "sqlite" driver, as models uses it
)

// snapshotTries is how often the fast copy is tried before VACUUM INTO.
var snapshotTries = 5

// snapshot copies the live database at path, open as db, to dst (an empty
// file, made by CreateTemp so that it is the owner's only: SQLite's VACUUM
// INTO accepts an empty file and keeps its mode), consistently: a copy of
// the committed database at one moment. On failure the caller removes dst.
//
// The fast way is a plain file copy while no write can happen: the log is
// folded into the file (wal_checkpoint TRUNCATE), then a write transaction
// (BEGIN IMMEDIATE) keeps every writer out while the file is copied. If the
// log is empty once the lock is held, the file alone is the whole database
// and nothing can change it until the lock is let go: no writer can append
// to the log, so no checkpoint has anything to copy into the file. Readers
// go on meanwhile; writers wait (the busy timeout covers the copy: about a
// second per gigabyte). When the log can't be emptied (a long reader), it
// falls back to VACUUM INTO, which is slower but needs no lock.
func snapshot(db *sql.DB, path, dst string, progress func(float64)) error {
	ctx := context.Background()
	for attempt := 0; attempt < snapshotTries; attempt++ {
		copied, err := snapshotLocked(ctx, db, path, dst, progress)
		if copied || err != nil {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 50 * time.Millisecond)
	}
	if err := os.Truncate(dst, 0); err != nil {
		return &DiskError{Op: "local", Path: dst, Err: err}
	}
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("vacuum into snapshot: %w", err)
	}
	return nil
}

// snapshotLocked copies the file under the write lock if the log is empty;
// it reports false, having copied nothing, when the log is not.
func snapshotLocked(ctx context.Context, db *sql.DB, path, dst string, progress func(float64)) (bool, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	var busy, logFrames, done int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done); err != nil {
		return false, fmt.Errorf("checkpoint: %w", err)
	}
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
		return false, fmt.Errorf("lock for snapshot: %w", err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)
	st, err := os.Stat(path + "-wal")
	if err == nil && st.Size() > 0 {
		return false, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return false, err
	}
	return true, copyFile(path, dst, progress)
}

// copyFile copies src over the existing file dst in large steps (the kernel
// copies when it can), reporting the fraction done. dst keeps its mode (and
// on Windows its access list).
func copyFile(src, dst string, progress func(float64)) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return &DiskError{Op: "local", Path: dst, Err: err}
	}
	const step = 64 << 20
	var done int64
	for {
		n, err := io.CopyN(out, in, step)
		done += n
		if progress != nil && st.Size() > 0 {
			progress(float64(done) / float64(st.Size()))
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			out.Close()
			os.Remove(dst)
			return &DiskError{Op: "local", Path: dst, Err: err}
		}
	}
	if err := out.Close(); err != nil {
		os.Remove(dst)
		return &DiskError{Op: "local", Path: dst, Err: err}
	}
	return nil
}

// uriPath escapes what SQLite's file: URIs give a meaning to.
func uriPath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// openFrozen opens a database file nobody writes to (a snapshot, or a file
// being restored) without locks or a log.
func openFrozen(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "cache_size(-65536)")
	q.Add("_pragma", "temp_store(MEMORY)")
	db, err := sql.Open("sqlite", "file:"+uriPath(path)+"?immutable=1&mode=ro&"+q.Encode())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(2)
	return db, nil
}

// facts reads what a backup's header says of the database.
func facts(db *sql.DB) (schema int, dbID string, c Counts, err error) {
	if err = db.QueryRow(`SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&schema); err != nil {
		return 0, "", c, fmt.Errorf("read schema version: %w", err)
	}
	db.QueryRow(`SELECT value FROM settings WHERE key = 'db_id'`).Scan(&dbID)
	count := func(table string) int64 {
		var n int64
		db.QueryRow(`SELECT count(*) FROM ` + table).Scan(&n) // 0 where an old schema lacks the table
		return n
	}
	c = Counts{Carriers: count("carriers"), Events: count("carrier_events"), Audit: count("audit_log"), Users: count("users")}
	return schema, dbID, c, nil
}

// FullCheck runs PRAGMA integrity_check on db: every page, every index
// against its table, every constraint it can check (about two minutes at a
// million carriers in this program's pure Go SQLite, where CheckPages takes
// seconds). It returns what the check found wrong (at most 10 lines; none
// when the database is sound), and an error only when it could not run.
func FullCheck(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		if damaged(err) {
			return []string{err.Error()}, nil
		}
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	defer rows.Close()
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			return nil, err
		}
		if len(msgs) < 10 {
			msgs = append(msgs, m)
		}
	}
	if err := rows.Err(); err != nil {
		if len(msgs) == 0 && damaged(err) {
			return []string{err.Error()}, nil // damaged past reading: a finding too
		}
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	if len(msgs) == 1 && msgs[0] == "ok" {
		return nil, nil
	}
	return msgs, nil
}

// damaged says whether SQLite's err means a damaged file.
func damaged(err error) bool {
	m := err.Error()
	return strings.Contains(m, "malformed") || strings.Contains(m, "not a database")
}
