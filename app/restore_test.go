package app

import (
	"bytes"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"secdoc/app/backup"
	"secdoc/models"
)

// bkRecovery is the security officer's recovery passphrase in the tests.
var bkRecovery = backup.RecoverySecret{Passphrase: "恢复口令-审计之外的第二人-2026"}

// restoreIn is what the two people give to restore file.
func restoreIn(file string) RestoreInput {
	return RestoreInput{File: file, Secret: bkSecret, Recovery: bkRecovery}
}

// fileState is what a restore must leave alone when it refuses: every
// row of the register (the trail only gains the record of the refusal)
// and the audit key.
func fileState(t *testing.T, s *Service) []byte {
	t.Helper()
	var out []byte
	d := dump(t, s, append(businessTables, "settings", "backups")...)
	for _, tb := range append(businessTables, "settings", "backups") {
		out = append(out, strings.Join(d[tb], "\n")...)
	}
	key, err := os.ReadFile(s.AuditKeyPath())
	if err != nil {
		t.Fatal(err)
	}
	return append(out, key...)
}

// TestRestore_ForgedRegisterRefused replays the forged-restore attack: an
// insider holding a plaintext copy of the register and its key (the file
// and the key folder, say) makes the clerk a security officer, adds a
// system administrator of their own, removes the records that tell of it
// and chains the rest again under the key, adds a trigger that clears
// every lockout, and makes a backup of it with the office's passphrase
// and recovery key. Restored over the office's register, it is refused:
// the schema is not this version's, and its chain is not the register's.
// The live database and its key are left as they were.
func TestRestore_ForgedRegisterRefused(t *testing.T) {
	s := newService(t)
	registered(t, s, 5)
	// 1. The insider's plaintext copy, with the installation's key.
	s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	forged := filepath.Join(t.TempDir(), "forged.db")
	raw, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(forged, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	key := append([]byte(nil), s.auditKey...)
	// 2. Roles changed, an account added, the records of it removed and the
	// rest chained again under the key, a trigger that clears lockouts.
	db, err := sql.Open("sqlite", "file:"+forged)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, db,
		`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`,
		`UPDATE users SET role = 'secadmin' WHERE login = 'wangmin'`,
		`INSERT INTO users(id, login, full_name, role, password_hash, must_change, created_at, created_by, updated_at)
		 SELECT 'evil-0000', 'evil', '伪造', 'sysadmin', password_hash, 0, created_at, created_by, updated_at FROM users WHERE login = 'sysadmin'`,
		`DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 3 FROM audit_log)`,
		`CREATE TRIGGER no_lockout AFTER UPDATE OF failed_count ON users BEGIN UPDATE users SET failed_count = 0, locked_until = NULL WHERE id = NEW.id; END`)
	forger := &Service{auditKey: key}
	rows, err := db.Query(`SELECT seq, at, login, role, event, object, success, detail, v, seals, digest FROM audit_log ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	var recs []models.AuditRecord
	for rows.Next() {
		var r models.AuditRecord
		var role string
		rows.Scan(&r.Seq, &r.At, &r.Login, &role, &r.Event, &r.Object, &r.Success, &r.Detail, &r.V, &r.Seals, &r.Digest)
		r.Role = models.Role(role)
		recs = append(recs, r)
	}
	rows.Close()
	prev := ""
	for i := range recs {
		recs[i].Hash = forger.recordHash(prev, &recs[i])
		mustExec(t, db, `UPDATE audit_log SET hash = '`+recs[i].Hash+`' WHERE seq = `+strconv.FormatInt(recs[i].Seq, 10))
		prev = recs[i].Hash
	}
	mustExec(t, db, `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
			BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`,
		`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
			BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`)
	db.Close()
	// 3. Backed up with the office's passphrase and recovery key.
	rec, ok, err := s.recoveryKey()
	if err != nil || !ok {
		t.Fatalf("recovery key: %v %v", ok, err)
	}
	fdb, err := sql.Open("sqlite", "file:"+forged)
	if err != nil {
		t.Fatal(err)
	}
	info, err := backup.Create(backup.Source{DB: fdb, Path: forged, AuditKey: key, Program: "forger"}, t.TempDir(), bkSecret,
		rec, fixedNow, nil)
	fdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	// 4. Restored over the office's register: refused, nothing changed.
	admin := as(t, s, "sysadmin")
	before := fileState(t, s)
	_, err = s.Restore(admin, restoreIn(info.Path), nil)
	msg := RestoreMessage(err)
	if err == nil || !strings.Contains(msg, "数据库结构") || !strings.Contains(msg, "no_lockout") {
		t.Fatalf("forged restore: %v", err)
	}
	if after := fileState(t, s); !bytes.Equal(before, after) {
		t.Fatal("the refused restore changed the register or its key")
	}
	if r := lastAudit(t, s); r.Event != models.EventRestore || r.Success || !strings.Contains(r.Detail, "no_lockout") {
		t.Fatalf("refusal not recorded: %+v", r)
	}
	// Without the extra trigger, the chain gives it away: it is not this
	// register's earlier state.
	db, _ = sql.Open("sqlite", "file:"+forged)
	mustExec(t, db, `DROP TRIGGER no_lockout`)
	db.Close()
	fdb, _ = sql.Open("sqlite", "file:"+forged)
	info, err = backup.Create(backup.Source{DB: fdb, Path: forged, AuditKey: key, Program: "forger"}, t.TempDir(), bkSecret,
		rec, fixedNow, nil)
	fdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	before = fileState(t, s)
	_, err = s.Restore(admin, restoreIn(info.Path), nil)
	if msg := RestoreMessage(err); err == nil || !strings.Contains(msg, "审计记录或登记簿校验不通过") && !strings.Contains(msg, "不是这个登记簿较早的状态") {
		t.Fatalf("forged restore without the trigger: %v", err)
	}
	if after := fileState(t, s); !bytes.Equal(before, after) {
		t.Fatal("the refused restore changed the register or its key")
	}
}

// TestRestore_ExtraTriggerInTheBackupRefused: one trigger more than the
// schema of its version makes is enough.
func TestRestore_ExtraTriggerInTheBackupRefused(t *testing.T) {
	s := newService(t)
	registered(t, s, 2)
	admin := as(t, s, "sysadmin")
	mustExec(t, rawDB(t, s), `CREATE TRIGGER spy AFTER INSERT ON carriers BEGIN SELECT 1; END`)
	rec, err := s.Backup(admin, t.TempDir(), bkSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Restore(admin, restoreIn(rec.Path), nil)
	if msg := RestoreMessage(err); !strings.Contains(msg, "多出触发器 spy") {
		t.Fatalf("restore of a backup with an extra trigger: %v", err)
	}
}

// TestRestore_DatabaseIDWithPathElementsRefused: a database id names key
// files; one with path elements is refused at restore and at opening, with
// nothing written outside the key folder.
func TestRestore_DatabaseIDWithPathElementsRefused(t *testing.T) {
	s := newService(t)
	registered(t, s, 1)
	admin := as(t, s, "sysadmin")
	// The id leads out of the key folder, to a file beside it.
	victim := filepath.Join(filepath.Dir(AuditKeyDir()), "victim.key")
	if err := os.WriteFile(victim, []byte("the victim's key, untouched"), 0o600); err != nil {
		t.Fatal(err)
	}
	bad := "0/../../victim"
	// A backup whose database says that id.
	s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	b, _ := os.ReadFile(s.Path())
	os.WriteFile(copyPath, b, 0o600)
	db, _ := sql.Open("sqlite", "file:"+copyPath)
	mustExec(t, db, `UPDATE settings SET value = '`+bad+`' WHERE key = 'db_id'`)
	rec, _, _ := s.recoveryKey()
	info, err := backup.Create(backup.Source{DB: db, Path: copyPath, AuditKey: s.auditKey, Program: "x"}, t.TempDir(), bkSecret,
		rec, fixedNow, nil)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	keysBefore := listDir(t, AuditKeyDir())
	_, err = s.Restore(admin, restoreIn(info.Path), nil)
	if !errors.Is(err, ErrBadDBID) {
		t.Fatalf("restore of a backup with the id %q: %v", bad, err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "the victim's key, untouched" {
		t.Fatal("the victim's file was touched")
	}
	if after := listDir(t, AuditKeyDir()); strings.Join(after, ",") != strings.Join(keysBefore, ",") {
		t.Fatalf("key folder changed: %v → %v", keysBefore, after)
	}
	// Opened directly, the same database is refused before any key is read or made.
	if _, err := Open(copyPath); !errors.Is(err, ErrBadDBID) {
		t.Fatalf("open with the id %q: %v", bad, err)
	}
	if got, _ := os.ReadFile(victim); string(got) != "the victim's key, untouched" {
		t.Fatal("the victim's file was touched by opening")
	}
}

// TestRestore_BothPeopleNeeded: the backup passphrase alone reads nothing,
// and a wrong recovery passphrase restores nothing.
func TestRestore_BothPeopleNeeded(t *testing.T) {
	s := newService(t)
	registered(t, s, 2)
	admin := as(t, s, "sysadmin")
	rec, err := s.Backup(admin, t.TempDir(), bkSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The administrator alone can check the file, not read it.
	info, err := s.VerifyBackup(admin, rec.Path, bkSecret, nil, nil)
	if err != nil || info.SHA256 != rec.SHA256 || info.Counts.Carriers != 0 {
		t.Fatalf("check alone: %+v %v", info, err)
	}
	in := restoreIn(rec.Path)
	in.Recovery.Passphrase = "不是这个口令-不是这个口令"
	before := fileState(t, s)
	if _, err := s.Restore(admin, in, nil); !errors.Is(err, backup.ErrWrongRecovery) {
		t.Fatalf("restore with a wrong recovery passphrase: %v", err)
	}
	if after := fileState(t, s); !bytes.Equal(before, after) {
		t.Fatal("a refused restore changed something")
	}
	// With both, it reads and tells what is inside.
	info, err = s.VerifyBackup(admin, rec.Path, bkSecret, &bkRecovery, nil)
	if err != nil || info.Counts.Carriers != 2 {
		t.Fatalf("check with both: %+v %v", info, err)
	}
}

// TestRestore_MoveNeedsTheAuditor: on a machine without the register's key
// (a new installation), the restore is a move, which the auditor of the
// register in the backup signs in to; recorded with the old and new heads.
func TestRestore_MoveNeedsTheAuditor(t *testing.T) {
	src := newService(t)
	registered(t, src, 3)
	rec, err := src.Backup(as(t, src, "sysadmin"), t.TempDir(), bkSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SECDOC_KEY_DIR", t.TempDir()) // the new machine has no keys
	dst, err := Open(filepath.Join(t.TempDir(), "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	dst.Now = src.Now
	_, err = dst.Restore(nil, restoreIn(rec.Path), nil)
	if !errors.Is(err, ErrNeedsAuditor) {
		t.Fatalf("move without the auditor: %v", err)
	}
	in := restoreIn(rec.Path)
	in.AuditorLogin, in.AuditorPassword = "sysadmin", testPassword
	if _, err := dst.Restore(nil, in, nil); !errors.Is(err, ErrNeedsAuditor) {
		t.Fatalf("move confirmed by the system administrator: %v", err)
	}
	in.AuditorLogin = "auditor"
	rep, err := dst.Restore(nil, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Moved || !rep.Audit.OK {
		t.Fatalf("report %+v", rep)
	}
	if r := lastAudit(t, dst); r.Event != models.EventRestore || !strings.Contains(r.Detail, "迁移") {
		t.Fatalf("move not recorded: %+v", r)
	}
}

// TestRollbacks_ListedRemovedKept: rollback copies are owner-only, listed,
// removed with a record, and no more than the setting are kept.
func TestRollbacks_ListedRemovedKept(t *testing.T) {
	s := newService(t)
	registered(t, s, 1)
	admin := as(t, s, "sysadmin")
	rec, err := s.Backup(admin, t.TempDir(), bkSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRollbackKeep(admin, 2); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		s.Now = func() time.Time { return fixedNow.Add(time.Duration(i+1) * time.Minute) }
		if _, err := s.Restore(admin, restoreIn(rec.Path), nil); err != nil {
			t.Fatal(err)
		}
		admin, _, err = s.SignIn("sysadmin", testPassword)
		if err != nil {
			t.Fatal(err)
		}
	}
	rs, err := s.Rollbacks(admin)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 || !rs[0].Taken.After(rs[1].Taken) {
		t.Fatalf("rollbacks %+v, want the newest 2", rs)
	}
	for _, r := range rs {
		st, _ := os.Stat(filepath.Join(filepath.Dir(s.Path()), r.Name))
		if st.Mode().Perm() != 0o600 || r.Size != st.Size() {
			t.Errorf("%s: mode %v size %d", r.Name, st.Mode().Perm(), r.Size)
		}
	}
	if err := s.RemoveRollback(admin, "../"+rs[0].Name); err == nil {
		t.Fatal("a path accepted as a rollback's name")
	}
	if err := s.RemoveRollback(admin, rs[1].Name); err != nil {
		t.Fatal(err)
	}
	if r := lastAudit(t, s); !strings.Contains(r.Detail, "删除回滚副本") || !strings.Contains(r.Detail, rs[1].Name) {
		t.Fatalf("removal not recorded: %+v", r)
	}
	if rs2, _ := s.Rollbacks(admin); len(rs2) != 1 || rs2[0].Name != rs[0].Name {
		t.Fatalf("after removal: %+v", rs2)
	}
	if err := s.SetRollbackKeep(clerk(t, s), 5); err == nil {
		t.Fatal("the clerk set the rollback count")
	}
}
