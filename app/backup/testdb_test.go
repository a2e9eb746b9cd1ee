package backup_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"secdoc/app/backup"
	"secdoc/models"
)

// The tests make their databases with models alone, not through secdoc/app
// (which calls this package): a schema as the program makes it, rows as
// plain inserts.

func init() {
	backup.KDF = backup.KDFParams{Time: 1, MemoryKiB: 1024, Threads: 1}
	backup.RecoveryKDF = backup.KDFParams{Time: 1, MemoryKiB: 1024, Threads: 1}
	backup.ChunkSize = 16 << 10 // many chunks even in a small test database
}

const (
	pass    = "备份口令-correct horse"
	recPass = "恢复口令-battery staple 2026"
)

var (
	secret   = backup.Secret{Passphrase: pass}
	recovery = backup.RecoverySecret{Passphrase: recPass}
	wrongPW  = backup.Secret{Passphrase: pass + "x"}
	wrongRec = backup.RecoverySecret{Passphrase: recPass + "x"}
)

var fixedNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)

// recKey is the security officer's recovery key the tests back up for.
var recKey = sync.OnceValue(func() backup.RecoveryKey {
	k, err := backup.NewRecoveryKey(recPass)
	if err != nil {
		panic(err)
	}
	return k
})

// testDB is a database of the program's schema with some rows.
type testDB struct {
	path string
	db   *gorm.DB
	key  []byte // its audit key
}

// newDB makes a database with 4 accounts and n registered carriers, the
// first one edited (so there is history), each with an audit record.
func newDB(t testing.TB, n int) *testDB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secdoc.db")
	db, err := models.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	d := &testDB{path: path, db: db, key: make([]byte, 32)}
	t.Cleanup(func() { d.close() })
	rand.Read(d.key)
	now := time.Now().UTC()
	for i, role := range []string{"clerk", "secadmin", "sysadmin", "auditor"} {
		if err := db.Exec(`INSERT INTO users(id, login, full_name, role, password_hash, created_at, created_by, updated_at)
			VALUES (?, ?, ?, ?, 'x', ?, 'setup', ?)`, fmt.Sprintf("u%d", i), role, "用户"+role, role, now, now).Error; err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < n; i++ {
		if err := d.register(i); err != nil {
			t.Fatal(err)
		}
	}
	if n > 0 {
		if err := db.Exec(`INSERT INTO carrier_events(id, carrier_id, at, ord, actor, action, field, old_value, new_value, reason)
			VALUES ('e-edit', 'c-000000', ?, 2, '王敏', 'edit', 'title', '旧题名', '新题名', '题名有误')`, now).Error; err != nil {
			t.Fatal(err)
		}
	}
	return d
}

// register adds carrier i, its history line and its audit record, in one transaction.
func (d *testDB) register(i int) error {
	now := time.Now().UTC()
	id := fmt.Sprintf("c-%06d", i)
	return d.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(`INSERT INTO carriers(id, seq, reg_no, direction, year, reg_date, doc_number, title, issuer,
			doc_kind, level, term_kind, copy_no, copy_count, batch_id, pages, kind, custodian, state, created_at,
			created_by, updated_at) VALUES (?, ?, ?, 'in', 2026, '2026-11-20', ?, ?, '遂安市人民政府办公室', '通知', 2,
			'default', 1, 1, ?, 6, '纸质文件', '王敏', 'in_store', ?, 'clerk', ?)`,
			id, i+1, fmt.Sprintf("收-2026-%06d", i+1), fmt.Sprintf("遂安府办发〔2026〕%d号", i+1),
			fmt.Sprintf("关于做好2026年度保密自查工作的通知之%d", i+1), "b-"+id, now, now).Error; err != nil {
			return err
		}
		if err := tx.Exec(`INSERT INTO carrier_events(id, carrier_id, at, ord, actor, action) VALUES (?, ?, ?, 1, '王敏', 'register')`,
			"e-"+id, id, now).Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO audit_log(at, login, role, event, object, success, detail, hash)
			VALUES (?, 'clerk', 'clerk', 'register', ?, 1, '登记', 'h')`, now, id).Error
	})
}

// noise adds n random bytes to the database (as hex text): what no
// compression shrinks much, for backups of several chunks.
func (d *testDB) noise(t testing.TB, n int) {
	t.Helper()
	b := make([]byte, n)
	rand.Read(b)
	if err := d.db.Exec(`INSERT INTO settings(key, value) VALUES (?, ?)`, fmt.Sprintf("noise-%x", b[:4]),
		hex.EncodeToString(b)).Error; err != nil {
		t.Fatal(err)
	}
}

func (d *testDB) close() error {
	if d.db == nil {
		return nil
	}
	err := models.Close(d.db)
	d.db = nil
	return err
}

func (d *testDB) source(t testing.TB) backup.Source {
	t.Helper()
	sqlDB, err := d.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	return backup.Source{DB: sqlDB, Path: d.path, AuditKey: d.key, Program: "secdoc (schema test)"}
}

func (d *testDB) count(t testing.TB, table string) int64 {
	t.Helper()
	var n int64
	if err := d.db.Raw(`SELECT count(*) FROM ` + table).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func (d *testDB) dbID(t testing.TB) string {
	t.Helper()
	var id string
	if err := d.db.Raw(`SELECT value FROM settings WHERE key = 'db_id'`).Scan(&id).Error; err != nil || id == "" {
		t.Fatalf("db id %q: %v", id, err)
	}
	return id
}

// makeBackup backs d up into a new folder and returns what Create said.
func makeBackup(t testing.TB, d *testDB) backup.Info {
	t.Helper()
	info, err := backup.Create(d.source(t), t.TempDir(), secret, recKey(), fixedNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// readFile is the bytes of a backup.
func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// writeFile puts b in a new file and returns its path.
func writeFile(t testing.TB, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "bad.sdbk")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func names(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
