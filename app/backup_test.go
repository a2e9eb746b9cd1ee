package app

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"secdoc/app/backup"
	"secdoc/models"
)

func init() {
	backup.KDF = backup.KDFParams{Time: 1, MemoryKiB: 1024, Threads: 1}
	backup.RecoveryKDF = backup.KDF
}

var bkSecret = backup.Secret{Passphrase: "备份口令-2026-春-机要室-U盘甲"}

// dump reads every row of the tables as text, in a fixed order.
func dump(t *testing.T, s *Service, tables ...string) map[string][]string {
	t.Helper()
	order := map[string]string{"carriers": "seq", "carrier_events": "carrier_id, at, ord", "users": "login",
		"audit_log": "seq", "settings": "key", "counters": "name", "backups": "created_at, id"}
	out := map[string][]string{}
	for _, tb := range tables {
		rows, err := s.db.Raw(`SELECT * FROM ` + tb + ` ORDER BY ` + order[tb]).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			out[tb] = append(out[tb], fmt.Sprint(vals...))
		}
		rows.Close()
	}
	return out
}

var businessTables = []string{"carriers", "carrier_events", "users", "counters"}

// registered fills s with carriers, an edit and a void: history and audit.
func registered(t *testing.T, s *Service, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		f := form()
		f.DocNumber = fmt.Sprintf("遂安府办发〔2026〕%d号", i+1)
		cs := mustRegister(t, s, f)
		if i == 0 {
			f.Title += "（修订）"
			c, err := s.Edit(clerk(t, s), cs[0].ID, cs[0].Version, f, "题名有误")
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Void(clerk(t, s), c.ID, c.Version, "重复登记"); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestBackupRestore_RoundTripRecordForRecord: what a backup holds comes
// back row for row — register, history, accounts, audit trail — and the
// restored trail verifies under the restored key (R14, R18).
func TestBackupRestore_RoundTripRecordForRecord_R14_R18(t *testing.T) {
	s := newService(t)
	registered(t, s, 25)
	admin := as(t, s, "sysadmin")
	before := dump(t, s, append(businessTables, "audit_log")...)

	rec, err := s.Backup(admin, t.TempDir(), bkSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Carriers != 25 || rec.VerifiedAt == nil || len(rec.SHA256) != 64 || rec.Size == 0 {
		t.Fatalf("record %+v", rec)
	}
	if r := lastAudit(t, s); r.Event != models.EventBackup || !r.Success || r.Object != rec.Path {
		t.Fatalf("backup not audited: %+v", r)
	}
	// Work goes on after the backup; the restore takes it back.
	f := form()
	f.DocNumber = "遂安府办发〔2026〕999号"
	mustRegister(t, s, f)
	afterBackup := dump(t, s, "carriers")

	s.Now = func() time.Time { return fixedNow.Add(time.Hour) }
	rep, err := s.Restore(admin, restoreIn(rec.Path), nil)
	if err != nil {
		t.Fatal(err)
	}
	after := dump(t, s, append(businessTables, "audit_log")...)
	for _, tb := range businessTables {
		if strings.Join(before[tb], "\n") != strings.Join(after[tb], "\n") || len(after[tb]) == 0 && tb != "counters" {
			t.Errorf("%s: %d rows before, %d after the round trip", tb, len(before[tb]), len(after[tb]))
		}
	}
	// The restored trail is the backed-up one and the restore's own record.
	if n := len(before["audit_log"]); len(after["audit_log"]) != n+1 ||
		strings.Join(after["audit_log"][:n], "\n") != strings.Join(before["audit_log"], "\n") {
		t.Fatalf("audit trail: %d records before, %d after", n, len(after["audit_log"]))
	}
	if r := lastAudit(t, s); r.Event != models.EventRestore || !r.Success || !strings.Contains(r.Detail, "回滚") {
		t.Fatalf("restore not audited in the restored trail: %+v", r)
	}
	// The register in the backup was checked whole, before the swap.
	if !rep.Audit.OK || rep.Audit.Records != int64(len(after["audit_log"])-1) || rep.From != rep.To {
		t.Fatalf("report %+v", rep)
	}
	if v, err := s.verifyAll(nil); err != nil || !v.OK {
		t.Fatalf("after the restore: %+v %v", v, err)
	}
	// The check of the head tells a key that does not open the trail.
	realKey := s.auditKey
	s.auditKey = make([]byte, 32)
	if v, err := s.verifyAll(nil); err != nil || v.OK {
		t.Fatalf("a wrong key passed the head check: %+v %v", v, err)
	}
	s.auditKey = realKey
	// The replaced database is kept, whole, with the later work in it.
	if filepath.Dir(rep.Rollback) != filepath.Dir(s.path) || !strings.Contains(filepath.Base(rep.Rollback), ".回滚-20261123-") {
		t.Fatalf("rollback at %s", rep.Rollback)
	}
	old, err := models.Open(rep.Rollback)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	old.Raw(`SELECT count(*) FROM carriers`).Scan(&n)
	models.Close(old)
	if n != int64(len(afterBackup["carriers"])) {
		t.Fatalf("rollback copy holds %d carriers, want %d", n, len(afterBackup["carriers"]))
	}
	// Everyone signs in again; the old session is over.
	if _, err := s.Users(admin); !errors.Is(err, models.ErrNotSignedIn) {
		t.Fatalf("session survived the restore: %v", err)
	}
	sessions.Range(func(k, _ any) bool { sessions.Delete(k); return true })
	if st, err := s.Stats(clerk(t, s)); err != nil || st.Total != 25 {
		t.Fatalf("stats after the restore: %+v %v", st, err)
	}
	// The count tables came back with the rows they count.
	if d, err := s.CountsDiffer(clerk(t, s)); err != nil || len(d) != 0 {
		t.Fatalf("counts after the restore: %v %v", d, err)
	}
	// The restored backup counts as the last verified one.
	st, err := s.BackupStatus(clerk(t, s))
	if err != nil || st.Last == nil || st.Last.SHA256 != rec.SHA256 {
		t.Fatalf("status %+v %v", st, err)
	}
	// Nothing is left beside the database but it, its lock, and the rollback.
	for _, e := range listDir(t, filepath.Dir(s.path)) {
		if strings.Contains(e, ".secdoc-tmp-") || strings.Contains(e, "snapshot") {
			t.Fatalf("left beside the database: %s", e)
		}
	}
}

func listDir(t *testing.T, dir string) []string {
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

func fileSum(t *testing.T, p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// TestRestore_BadFilesLeaveTheDatabaseUnchanged: a wrong passphrase, a
// flipped bit, a cut file, a file that is no backup, one from a newer
// version: each says which it is, and the database keeps every record as it
// was; only the trail gains the record of the failed attempt.
func TestRestore_BadFilesLeaveTheDatabaseUnchanged(t *testing.T) {
	s := newService(t)
	registered(t, s, 20)
	admin := as(t, s, "sysadmin")
	rec, err := s.Backup(admin, t.TempDir(), bkSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(rec.Path)
	flipped := append([]byte(nil), good...)
	flipped[len(flipped)/2] ^= 1

	// A backup from a newer program: its database has a newer schema.
	s.db.Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (99, 'future', ?)`, time.Now())
	newer, err := s.Backup(admin, t.TempDir(), bkSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.db.Exec(`DELETE FROM schema_migrations WHERE version = 99`)

	write := func(b []byte) string {
		p := filepath.Join(t.TempDir(), "x.sdbk")
		os.WriteFile(p, b, 0o600)
		return p
	}
	cases := []struct {
		name, file string
		secret     backup.Secret
		want       error
		msg        string
	}{
		{"wrong passphrase", rec.Path, backup.Secret{Passphrase: "不是这个口令-2026"}, backup.ErrWrongSecret, "备份口令不对"},
		{"flipped bit", write(flipped), bkSecret, backup.ErrCorrupt, "备份文件已损坏"},
		{"truncated", write(good[:len(good)*3/4]), bkSecret, backup.ErrTruncated, "备份文件不完整（被截断）"},
		{"not a backup", s.path, bkSecret, backup.ErrNotBackup, "不是本程序的备份文件"},
		{"newer version", newer.Path, bkSecret, backup.ErrNewer, "备份来自更新版本的程序"},
	}
	for _, c := range cases {
		folder := listDir(t, filepath.Dir(s.path))
		before := dump(t, s, append(businessTables, "audit_log", "backups")...)
		_, err := s.Restore(admin, RestoreInput{File: c.file, Secret: c.secret, Recovery: bkRecovery}, nil)
		if !errors.Is(err, c.want) || !strings.HasPrefix(backup.Message(err), c.msg) {
			t.Errorf("%s: %v (%q)", c.name, err, backup.Message(err))
			continue
		}
		after := dump(t, s, append(businessTables, "audit_log", "backups")...)
		for _, tb := range append(businessTables, "backups") {
			if strings.Join(before[tb], "\n") != strings.Join(after[tb], "\n") {
				t.Errorf("%s: table %s changed", c.name, tb)
			}
		}
		if len(after["audit_log"]) != len(before["audit_log"])+1 {
			t.Errorf("%s: %d audit records added", c.name, len(after["audit_log"])-len(before["audit_log"]))
		}
		if r := lastAudit(t, s); r.Event != models.EventRestore || r.Success || !strings.HasPrefix(r.Detail, c.msg) {
			t.Errorf("%s: failure audited as %+v", c.name, r)
		}
		if got := listDir(t, filepath.Dir(s.path)); strings.Join(got, ",") != strings.Join(folder, ",") {
			t.Errorf("%s: the database's folder changed: %v → %v", c.name, folder, got)
		}
	}
}

// TestRestore_BadFileLeavesTheFileByteForByte: with the trail's record of the
// attempt aside (the file is compared with the database closed, around a
// restore that fails before it opens anything), the database file itself
// is untouched by extraction.
func TestRestore_ExtractNeverTouchesTheDatabaseFile(t *testing.T) {
	s := newService(t)
	registered(t, s, 5)
	rec, err := s.Backup(as(t, s, "sysadmin"), t.TempDir(), bkSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	sum := fileSum(t, s.path)
	b, _ := os.ReadFile(rec.Path)
	cut := filepath.Join(t.TempDir(), "cut.sdbk")
	os.WriteFile(cut, b[:len(b)-10], 0o600)
	if _, _, err := backup.Extract(cut, bkSecret, bkRecovery, s.path+".恢复中-x", nil); !errors.Is(err, backup.ErrTruncated) {
		t.Fatal(err)
	}
	if fileSum(t, s.path) != sum {
		t.Fatal("the database file changed")
	}
}

func TestBackup_OnlyTheSystemAdministrator_R18(t *testing.T) {
	s := newService(t)
	for _, who := range []string{"王敏", "secadmin", "auditor"} {
		_, err := s.Backup(as(t, s, who), t.TempDir(), bkSecret, nil)
		if !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s backed up: %v", who, err)
		}
		if _, err := s.Restore(as(t, s, who), restoreIn("x.sdbk"), nil); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s restored: %v", who, err)
		}
		if _, err := s.VerifyBackup(as(t, s, who), "x.sdbk", bkSecret, nil, nil); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s verified: %v", who, err)
		}
	}
	if _, err := s.Restore(nil, restoreIn("x.sdbk"), nil); !errors.Is(err, models.ErrNotSignedIn) {
		t.Fatalf("restore without a session on a database with accounts: %v", err)
	}
}

func TestBackupAndVerify_FailuresAndSuccessesAudited(t *testing.T) {
	s := newService(t)
	admin := as(t, s, "sysadmin")
	gone := filepath.Join(t.TempDir(), "pulled-out")
	if _, err := s.Backup(admin, gone, bkSecret, nil); err == nil {
		t.Fatal("backup into a missing folder")
	}
	if r := lastAudit(t, s); r.Event != models.EventBackup || r.Success || r.Object != gone {
		t.Fatalf("failed backup audited as %+v", r)
	}
	rec, err := s.Backup(admin, t.TempDir(), bkSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return fixedNow.Add(48 * time.Hour) }
	info, err := s.VerifyBackup(admin, rec.Path, bkSecret, &bkRecovery, nil)
	if err != nil || info.Counts.Users != 4 {
		t.Fatalf("verify: %v %+v", err, info)
	}
	if r := lastAudit(t, s); r.Event != models.EventBackup || !r.Success || !strings.Contains(r.Detail, "校验通过") {
		t.Fatalf("verify audited as %+v", r)
	}
	recs, _ := s.Backups(admin, 0)
	if len(recs) != 1 || !recs[0].VerifiedAt.Equal(fixedNow.Add(48*time.Hour).UTC()) {
		t.Fatalf("verification not recorded: %+v", recs)
	}
	if _, err := s.VerifyBackup(admin, rec.Path, backup.Secret{Passphrase: "错误的口令-1234567890"}, nil, nil); !errors.Is(err, backup.ErrWrongSecret) {
		t.Fatal(err)
	}
	if r := lastAudit(t, s); r.Success || !strings.Contains(r.Detail, "口令不对") {
		t.Fatalf("failed verify audited as %+v", r)
	}
}

func TestBackupStatus_RemindsAfterTheConfiguredDays(t *testing.T) {
	s := newService(t)
	admin := as(t, s, "sysadmin")
	st, err := s.BackupStatus(clerk(t, s))
	if err != nil || st.Last != nil || !st.Overdue || st.RemindDays != DefaultBackupRemindDays {
		t.Fatalf("no backup yet: %+v %v", st, err)
	}
	if _, err := s.Backup(admin, t.TempDir(), bkSecret, nil); err != nil {
		t.Fatal(err)
	}
	if st, _ = s.BackupStatus(clerk(t, s)); st.Last == nil || st.Days != 0 || st.Overdue {
		t.Fatalf("fresh backup: %+v", st)
	}
	s.Now = func() time.Time { return fixedNow.Add(8 * 24 * time.Hour) }
	if st, _ = s.BackupStatus(admin); st.Days != 8 || !st.Overdue {
		t.Fatalf("8 days on: %+v", st)
	}
	if err := s.SetBackupRemindDays(clerk(t, s), 10); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("clerk set the reminder: %v", err)
	}
	if err := s.SetBackupRemindDays(admin, 0); err == nil {
		t.Fatal("0 days accepted")
	}
	if err := s.SetBackupRemindDays(admin, 10); err != nil {
		t.Fatal(err)
	}
	if st, _ = s.BackupStatus(admin); st.RemindDays != 10 || st.Overdue {
		t.Fatalf("10-day reminder: %+v", st)
	}
}

// TestRestore_OlderBackupIsMigratedForward: a backup of a database of the
// previous schema (no backups table yet) restores, migrated to this one.
func TestRestore_OlderBackupIsMigratedForward(t *testing.T) {
	old := newService(t)
	registered(t, old, 3)
	// Undo every step after version 2 (3: backups; 4: approvers and copy requests; 5: loans;
	// 6: destruction batches and the return flag; 7: secrecy changes; 8: circulation; 9: self-inspections and handovers).
	for _, q := range []string{`DROP INDEX idx_carriers_custodian`, `DROP TABLE archives`, `DROP TABLE return_items`, `DROP TABLE return_batches`, `DROP TABLE handover_items`, `DROP TABLE handovers`, `DROP TABLE inspection_items`, `DROP TABLE inspections`, `DROP TABLE circulation_steps`, `DROP TABLE circulations`, `DROP TABLE secrecy_changes`, `DROP TABLE destruction_items`, `DROP TABLE destruction_batches`,
		`ALTER TABLE carriers DROP COLUMN return_to_issuer`, `DROP TABLE loans`, `DROP TABLE copy_requests`, `DROP TABLE approvers`, `DROP INDEX idx_carriers_original`,
		`DROP TABLE backups`, `DELETE FROM schema_migrations WHERE version >= 3`} {
		// With a SQLite connection of its own: the program's connections
		// carry triggers naming today's columns.
		if _, err := rawDB(t, old).Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	unseal(t, old)
	sqlDB, _ := old.db.DB()
	rk, _, _ := old.recoveryKey()
	info, err := backup.Create(backup.Source{DB: sqlDB, Path: old.path, AuditKey: old.auditKey}, t.TempDir(), bkSecret, rk, fixedNow, nil)
	if err != nil || info.Schema != 2 {
		t.Fatalf("old backup: %v schema %d", err, info.Schema)
	}
	s := newService(t)
	in := restoreIn(info.Path)
	in.AuditorLogin, in.AuditorPassword = "auditor", testPassword // another register: a move
	rep, err := s.Restore(as(t, s, "sysadmin"), in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.From != 2 || rep.To != models.SchemaVersion() || !rep.Audit.OK {
		t.Fatalf("report %+v", rep)
	}
	var n int64
	s.db.Raw(`SELECT count(*) FROM carriers`).Scan(&n)
	if n != 3 || !strings.Contains(lastAudit(t, s).Detail, "从版本 2 升级到") {
		t.Fatalf("%d carriers; %q", n, lastAudit(t, s).Detail)
	}
}

// unseal turns s's database back into one from before rows were sealed
// (schema 11): no row_seals, version 1 audit records chained as they were
// then, and the chain's head kept in the settings.
func unseal(t *testing.T, s *Service) {
	t.Helper()
	var recs []models.AuditRecord
	if err := s.db.Order("seq").Find(&recs).Error; err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, s) // the program's connections carry triggers naming today's tables
	undoMigration13(t, raw)
	for _, q := range []string{`DROP TABLE row_seals`, `DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`,
		`ALTER TABLE audit_log DROP COLUMN seals`, `ALTER TABLE audit_log DROP COLUMN digest`, `ALTER TABLE audit_log DROP COLUMN v`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	prev := ""
	for i := range recs {
		r := &recs[i]
		r.V, r.Seals, r.Digest = 1, nil, ""
		r.Hash = s.recordHash(prev, r)
		if _, err := raw.Exec(`UPDATE audit_log SET hash = ? WHERE seq = ?`, r.Hash, r.Seq); err != nil {
			t.Fatal(err)
		}
		prev = r.Hash
	}
	last := recs[len(recs)-1]
	for _, q := range []string{
		`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
			BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`,
		`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
			BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`,
		fmt.Sprintf(`INSERT INTO settings(key, value) VALUES ('audit_head', '%d:%s:%s')`, last.Seq, last.Hash,
			headSeal(s.auditKey, last.Seq, last.Hash)),
		`DELETE FROM schema_migrations WHERE version >= 12`,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// TestRestore_IntoANewDatabaseWithoutAccounts: on a new machine the database
// is empty; the two passphrases and the register's auditor move it in.
func TestRestore_IntoANewDatabaseWithoutAccounts(t *testing.T) {
	src := newService(t)
	registered(t, src, 4)
	rec, err := src.Backup(as(t, src, "sysadmin"), t.TempDir(), bkSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	srcID, srcKey := src.dbID, src.auditKey
	t.Setenv("SECDOC_KEY_DIR", t.TempDir()) // the new machine has no keys
	fresh, err := Open(filepath.Join(t.TempDir(), "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	in := restoreIn(rec.Path)
	in.AuditorLogin, in.AuditorPassword = "auditor", testPassword // a move: the register's auditor signs in
	rep, err := fresh.Restore(nil, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Audit.OK || fresh.dbID != srcID {
		t.Fatalf("restored trail %+v, id %s", rep.Audit, fresh.dbID)
	}
	key, err := os.ReadFile(filepath.Join(AuditKeyDir(), "audit-"+srcID+".key"))
	if err != nil || string(key) != string(srcKey) {
		t.Fatalf("audit key not put back: %v", err)
	}
	if _, _, err := fresh.SignIn("wangmin", testPassword); err != nil {
		t.Fatal(err)
	}
}

// TestRestore_ConcurrentReadersWaitAndGoOn: calls on other goroutines during
// the swap wait for it and then read the restored file (run under -race by
// make test).
func TestRestore_ConcurrentReadersWaitAndGoOn(t *testing.T) {
	s := newService(t)
	registered(t, s, 6)
	admin := as(t, s, "sysadmin")
	rec, err := s.Backup(admin, t.TempDir(), bkSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := clerk(t, s)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var bad error
	var mu sync.Mutex
	for g := 0; g < 3; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.Count(c, Query{}); err != nil && !errors.Is(err, models.ErrNotSignedIn) {
					mu.Lock()
					bad = err
					mu.Unlock()
				}
			}
		}()
	}
	if _, err := s.Restore(admin, restoreIn(rec.Path), nil); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	if bad != nil {
		t.Fatalf("a concurrent reader failed: %v", bad)
	}
	var n int64
	if err := s.db.Raw(`SELECT count(*) FROM carriers`).Scan(&n).Error; err != nil || n != 6 {
		t.Fatalf("after the restore: %d carriers, %v", n, err)
	}
}

// undoMigration13 takes a register back to before migrations 13 to 15: the
// narrower checks on level and 份号, the old duplicate index, no 成文日期,
// months or capacity columns.
// undoMigration28 takes a register back to schema 27: no counts tables, no
// home list or filter indexes, no term_end column.
func undoMigration28(t *testing.T, raw *sql.DB) {
	t.Helper()
	for _, q := range []string{`DROP TRIGGER IF EXISTS carrier_blocks_insert`, `DROP TRIGGER IF EXISTS carrier_blocks_update`, `DROP TABLE IF EXISTS carrier_blocks`,
		`DROP TRIGGER IF EXISTS issuer_counts_insert`, `DROP TRIGGER IF EXISTS issuer_counts_update`,
		`DROP TABLE IF EXISTS issuer_counts`, `DROP INDEX IF EXISTS idx_carriers_by_seq`, `DROP INDEX IF EXISTS idx_carriers_by_state`,
		`DROP INDEX IF EXISTS idx_carriers_by_level`, `DROP INDEX IF EXISTS idx_carriers_by_kind`, `DROP INDEX IF EXISTS idx_carriers_by_year`,
		`DROP INDEX IF EXISTS idx_carriers_issuer`, `CREATE INDEX idx_carriers_issuer ON carriers(issuer, seq)`,
		`DROP TRIGGER IF EXISTS carrier_counts_insert`, `DROP TRIGGER IF EXISTS carrier_counts_update`,
		`DROP TABLE IF EXISTS carrier_counts`, `DROP TRIGGER IF EXISTS custodian_counts_insert`,
		`DROP TRIGGER IF EXISTS custodian_counts_update`, `DROP TABLE IF EXISTS custodian_counts`, `DROP INDEX IF EXISTS idx_carriers_term_end`, `DROP INDEX IF EXISTS idx_carriers_unhandled`,
		`DROP INDEX IF EXISTS idx_carriers_condition`,
		`ALTER TABLE carriers DROP COLUMN term_end`, `DELETE FROM schema_migrations WHERE version >= 28`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func undoMigration13(t *testing.T, raw *sql.DB) {
	t.Helper()
	exec := func(stmts ...string) {
		for _, q := range stmts {
			if _, err := raw.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
	}
	var n int
	raw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'secrecy_changes'`).Scan(&n)
	var requests, approvers int
	raw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'copy_requests'`).Scan(&requests)
	raw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'approvers'`).Scan(&approvers)
	undoMigration28(t, raw)
	exec(`DROP TABLE IF EXISTS term_reviews`, `DELETE FROM schema_migrations WHERE version >= 27`)
	exec(`DROP INDEX idx_carriers_deadline`, `ALTER TABLE carriers DROP COLUMN deadline`,
		`DELETE FROM schema_migrations WHERE version >= 26`)
	var steps int
	raw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'circulation_steps'`).Scan(&steps)
	if steps > 0 {
		exec(`ALTER TABLE circulation_steps DROP COLUMN outside_reason`)
	}
	var loans25 int
	raw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'loans'`).Scan(&loans25)
	if loans25 > 0 {
		exec(`ALTER TABLE loans DROP COLUMN outside_reason`)
	}
	exec(`DELETE FROM schema_migrations WHERE version >= 25`)
	exec(`DROP TABLE persons`, `DELETE FROM settings WHERE key = 'people.built'`,
		`DELETE FROM schema_migrations WHERE version >= 24`)
	var handovers int
	raw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'handovers'`).Scan(&handovers)
	if handovers > 0 {
		exec(`DROP INDEX idx_handovers_ends`, `ALTER TABLE handovers DROP COLUMN temporary`,
			`ALTER TABLE handovers DROP COLUMN return_on`, `ALTER TABLE handovers DROP COLUMN ends_id`)
	}
	exec(`DELETE FROM schema_migrations WHERE version >= 23`)
	var loans int
	raw.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'loans'`).Scan(&loans)
	if loans > 0 {
		exec(`ALTER TABLE loans DROP COLUMN companion`, `ALTER TABLE loans DROP COLUMN measures`,
			`ALTER TABLE loans DROP COLUMN abroad`, `ALTER TABLE loans DROP COLUMN abroad_doc`,
			`ALTER TABLE loans DROP COLUMN in_office`)
	}
	exec(`DELETE FROM schema_migrations WHERE version >= 22`)
	exec(`DROP TABLE handlings`, `DROP TABLE calendar_days`, `DELETE FROM schema_migrations WHERE version >= 21`)
	exec(`DROP INDEX idx_carriers_own_pending`, `DELETE FROM schema_migrations WHERE version >= 20`)
	exec(`DROP TABLE sendings`, `DROP TABLE dispatch_lines`, `DROP TABLE printings`,
		`ALTER TABLE classifications DROP COLUMN superior`, `ALTER TABLE classifications DROP COLUMN superior_doc`,
		`ALTER TABLE classifications DROP COLUMN superior_on`, `DELETE FROM schema_migrations WHERE version >= 19`)
	exec(`DROP TABLE classifications`)
	if approvers > 0 {
		exec(`ALTER TABLE approvers DROP COLUMN designation`, `ALTER TABLE approvers DROP COLUMN designation_doc`)
	}
	exec(`DELETE FROM schema_migrations WHERE version >= 18`)
	exec(`DROP TABLE carrier_sources`, `DROP TABLE copy_request_sources`)
	if requests > 0 {
		exec(`ALTER TABLE copy_requests DROP COLUMN kind`,
			`ALTER TABLE copy_requests DROP COLUMN new_title`, `ALTER TABLE copy_requests DROP COLUMN need_to_know`)
	}
	exec(`DELETE FROM schema_migrations WHERE version >= 17`)
	exec(`DROP INDEX idx_carriers_doc_copy`,
		`CREATE UNIQUE INDEX idx_carriers_doc_copy ON carriers(doc_number, copy_no)
			WHERE doc_number <> '' AND copy_no > 0 AND state <> 'voided'`,
		`ALTER TABLE carriers DROP COLUMN copy_serial`, `ALTER TABLE carriers DROP COLUMN copy_stamp`,
		`ALTER TABLE carriers DROP COLUMN no_copy`)
	if requests > 0 {
		exec(`ALTER TABLE copy_requests DROP COLUMN approved`, `ALTER TABLE copy_requests DROP COLUMN department`,
			`ALTER TABLE copy_requests DROP COLUMN maker`)
	}
	exec(`DELETE FROM schema_migrations WHERE version >= 16`)
	rewrite := func(table string, pairs ...string) {
		var create string
		var version int
		if err := raw.QueryRow(`SELECT sql FROM sqlite_master WHERE name = ?`, table).Scan(&create); err != nil {
			t.Fatal(err)
		}
		if err := raw.QueryRow(`PRAGMA schema_version`).Scan(&version); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(pairs); i += 2 {
			create = strings.Replace(create, pairs[i], pairs[i+1], 1)
		}
		exec(`PRAGMA writable_schema = ON`,
			fmt.Sprintf(`UPDATE sqlite_master SET sql = '%s' WHERE name = '%s'`, strings.ReplaceAll(create, "'", "''"), table),
			fmt.Sprintf(`PRAGMA schema_version = %d`, version+1),
			`PRAGMA writable_schema = OFF`)
	}
	if n > 0 {
		rewrite("secrecy_changes",
			"approver_id TEXT REFERENCES approvers(id)", "approver_id TEXT NOT NULL REFERENCES approvers(id)",
			"CHECK (authority_doc <> '' OR basis = 'expired')", "CHECK (authority_doc <> '')")
		exec(`ALTER TABLE secrecy_changes DROP COLUMN authority`, `ALTER TABLE secrecy_changes DROP COLUMN basis`)
	}
	exec(`DELETE FROM schema_migrations WHERE version >= 15`,
		`DROP INDEX idx_carriers_no_doc_date`, `DELETE FROM schema_migrations WHERE version >= 14`,
		`ALTER TABLE carriers DROP COLUMN doc_date`, `ALTER TABLE carriers DROP COLUMN term_from`, `ALTER TABLE carriers DROP COLUMN term_months`,
		`ALTER TABLE carriers DROP COLUMN capacity`,
		`DROP INDEX idx_carriers_doc_copy`,
		`CREATE UNIQUE INDEX idx_carriers_doc_copy ON carriers(doc_number, copy_no)
			WHERE doc_number <> '' AND state <> 'voided'`)
	if n > 0 {
		exec(`ALTER TABLE secrecy_changes DROP COLUMN old_term_months`, `ALTER TABLE secrecy_changes DROP COLUMN new_term_months`)
	}
	rewrite("carriers",
		"CHECK (level IN (-2, -1, 1, 2, 3))", "CHECK (level BETWEEN 1 AND 3)",
		"CHECK (copy_no BETWEEN 0 AND 999999)", "CHECK (copy_no BETWEEN 1 AND 999999)")
	exec(`DELETE FROM schema_migrations WHERE version >= 13`)
}
