package app

import (
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"secdoc/app/backup"
	"secdoc/internal/instance"
	"secdoc/models"
)

// The attacks here need the program's own view (its key, its record hash):
// the insider who holds the key folder too, and the rolled-back row. The
// attacks an insider makes with a SQLite tool alone are in
// internal/cli/tamper_test.go, through `secdoc audit verify`.

// rawDB opens the database file as a SQLite tool would.
func rawDB(t *testing.T, s *Service) *sql.DB {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+s.Path()+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	conn.SetMaxOpenConns(1)
	t.Cleanup(func() { conn.Close() })
	return conn
}

func mustExec(t *testing.T, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, st := range stmts {
		if _, err := db.Exec(st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
}

func findings(v AuditVerdict) string { return strings.Join(v.Findings, "\n") }

// A row put back as it was, with the seal it had then: both are genuine,
// but not the newest; the register's digest tells, and the chain names it.
func TestAttack_RollBackARowWithItsOldSeal_Detected(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	var oldRow struct{ Location, UpdatedAt string }
	var oldSeal []byte
	s.db.Raw(`SELECT location, updated_at FROM carriers WHERE id = ?`, c.ID).Scan(&oldRow)
	s.db.Raw(`SELECT hash FROM row_seals WHERE tbl = 'carriers' AND row_key = ?`, c.ID).Row().Scan(&oldSeal)
	f := FormOf(c)
	f.Location = "机要室9号柜"
	if _, err := s.Edit(clerk(t, s), c.ID, c.Version, f, "换柜"); err != nil {
		t.Fatal(err)
	}
	raw := rawDB(t, s)
	if _, err := raw.Exec(`UPDATE carriers SET location = ?, version = 1, updated_at = ? WHERE id = ?`,
		oldRow.Location, oldRow.UpdatedAt, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE row_seals SET hash = ? WHERE tbl = 'carriers' AND row_key = ?`, oldSeal, c.ID); err != nil {
		t.Fatal(err)
	}
	v, err := s.verifyAll(nil)
	if err != nil {
		t.Fatal(err)
	}
	if v.OK || !strings.Contains(findings(v), "载体登记（carriers） "+c.ID+" 的封存值被换成了旧的") {
		t.Fatalf("verdict %+v", v)
	}
}

// Someone holding the database and the key folder can rewrite the chain
// so that it verifies; the seal the auditor wrote down before still sees it.
func TestAttack_KeyHolderRewritesTheChain_CaughtByTheAuditorsSeal(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	aud := as(t, s, "auditor")
	seal, err := s.CurrentAuditSeal(aud)
	if err != nil {
		t.Fatal(err)
	}
	// The insider rewrites record 2 and re-chains everything after it, the
	// head file included, with the key.
	var recs []models.AuditRecord
	s.db.Order("seq").Find(&recs)
	raw := rawDB(t, s)
	mustExec(t, raw, `DROP TRIGGER audit_log_no_update`)
	prev := ""
	for i := range recs {
		r := &recs[i]
		if r.Seq == 2 {
			r.Detail = "改写的记录"
		}
		r.Hash = s.recordHash(prev, r)
		if _, err := raw.Exec(`UPDATE audit_log SET detail = ?, hash = ? WHERE seq = ?`, r.Detail, r.Hash, r.Seq); err != nil {
			t.Fatal(err)
		}
		prev = r.Hash
	}
	mustExec(t, raw, `CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
			BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END`)
	last := recs[len(recs)-1]
	if err := s.writeHeadFile(chainHead{last.Seq, last.Hash}, true); err != nil {
		t.Fatal(err)
	}
	s.headMu.Lock()
	s.head = chainHead{last.Seq, last.Hash}
	s.headMu.Unlock()
	if v, err := s.verifyAll(nil); err != nil || !v.OK {
		t.Fatalf("a consistent rewrite with the key verifies (as the README says): %+v %v", v, err)
	}
	ok, msg, err := s.CheckAuditSeal(aud, seal.String())
	if err != nil || ok || !strings.Contains(msg, "被改写过") {
		t.Fatalf("seal check: %v %q %v", ok, msg, err)
	}
}

// TestAttack_OlderFileWhileClosed_RefusedAtOpening: the database file put
// back from an earlier copy is seen when the program opens it; changes are
// refused with the gap named, and the refusal is recorded.
func TestAttack_OlderFileWhileClosed_RefusedAtOpening(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	path := s.Path()
	s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f := form()
	f.DocNumber = "遂安府办发〔2026〕99号"
	mustRegister(t, s, f)
	s.Close()
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	s2.Now = s.Now
	if !strings.Contains(s2.ChainAlarm(), "审计记录缺少第") {
		t.Fatalf("alarm %q", s2.ChainAlarm())
	}
	sess, _, err := s2.SignIn("wangmin", testPassword)
	if err != nil {
		t.Fatalf("signing in goes on: %v", err)
	}
	_, err = s2.Register(sess, f)
	var ce *ChainError
	if !errors.As(err, &ce) || !strings.Contains(ce.Message(), "登记簿已停止一切修改") {
		t.Fatalf("register on the old file: %v", err)
	}
	r := lastAudit(t, s2)
	if r.Event != models.EventRuleDenied || !strings.HasPrefix(r.Detail, "登记：审计记录缺少第") {
		t.Fatalf("refusal record %+v", r)
	}
}

// TestAttack_EmptiedTrailLooksNew_Refused: a trail emptied and the
// register's seals removed would look like a register never sealed; the
// head file beside the key says otherwise.
func TestAttack_EmptiedTrailAndSeals_RefusedAtOpening(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	path := s.Path()
	s.Close()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, raw, `DROP TRIGGER audit_log_no_delete`, `DELETE FROM audit_log`, `DELETE FROM row_seals`)
	raw.Close()
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if !strings.Contains(s2.ChainAlarm(), "审计记录已被清空") {
		t.Fatalf("alarm %q", s2.ChainAlarm())
	}
}

// TestOpen_UpgradeSealsAnOlderRegisterOnce: a register from before rows
// were sealed is checked and sealed, once, when this version opens it.
func TestOpen_UpgradeSealsAnOlderRegisterOnce(t *testing.T) {
	s := newService(t)
	for i := 0; i < 3; i++ {
		f := form()
		f.CopyNo = string(rune('1' + i))
		mustRegister(t, s, f)
	}
	unseal(t, s)
	s2, path := reopenAsOlderVersion(t, s)
	defer s2.Close()
	s2.Now = s.Now
	if a := s2.ChainAlarm(); a != "" {
		t.Fatalf("alarm after upgrade: %s", a)
	}
	var r models.AuditRecord // the seal, followed by the upgrade's own record
	s2.db.Where("event = ?", models.EventSeal).Order("seq DESC").Take(&r)
	if u := lastAudit(t, s2); u.Event != models.EventUpgrade || u.Seq != r.Seq+1 {
		t.Fatalf("the upgrade's record %+v after the seal %d", u, r.Seq)
	}
	if !strings.Contains(r.Detail, "已校验完整") || !strings.Contains(r.Detail, "载体登记（carriers） 3 行") {
		t.Fatalf("seal record %+v", r)
	}
	if v, err := s2.verifyAll(nil); err != nil || !v.OK {
		t.Fatalf("verdict after upgrade %+v %v", v, err)
	}
	var n int64
	s2.db.Raw(`SELECT count(*) FROM audit_log WHERE event = 'seal'`).Scan(&n)
	s2.Close()
	s3, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	var m int64
	s3.db.Raw(`SELECT count(*) FROM audit_log WHERE event = 'seal'`).Scan(&m)
	if m != n {
		t.Fatalf("sealed again on the next opening: %d → %d records", n, m)
	}
}

// reopenAsOlderVersion closes s and opens its file again without the head
// file, as this version opens a register an older one wrote.
func reopenAsOlderVersion(t *testing.T, s *Service) (*Service, string) {
	t.Helper()
	path := s.Path()
	s.Close()
	os.Remove(s.HeadPath())
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return s2, path
}

// TestOpen_UpgradeRefusesATamperedOlderRegister: an older register whose
// trail does not verify is not sealed on its word.
func TestOpen_UpgradeRefusesATamperedOlderRegister(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	unseal(t, s)
	mustExec(t, rawDB(t, s), `DROP TRIGGER audit_log_no_update`, `UPDATE audit_log SET detail = '改' WHERE seq = 3`)
	s2, _ := reopenAsOlderVersion(t, s)
	defer s2.Close()
	if a := s2.ChainAlarm(); !strings.Contains(a, "升级前的审计记录校验不通过") || !strings.Contains(a, "第 3 条") {
		t.Fatalf("alarm %q", a)
	}
}

// TestFiles_OwnerOnly: the database, its log and shared memory, the key
// and the head beside it, the keys' folder, a rollback copy and an export
// are the owner's only.
func TestFiles_OwnerOnly(t *testing.T) {
	if os.PathSeparator != '/' {
		t.Skip("modes are Unix")
	}
	s := newService(t)
	mustRegister(t, s, form())
	admin := as(t, s, "sysadmin")
	rec, err := s.Backup(admin, t.TempDir(), bkSecret, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Restore(admin, restoreIn(rec.Path), nil)
	if err != nil {
		t.Fatal(err)
	}
	again, _, err := s.SignIn("wangmin", testPassword) // the restore ended every session
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Register(again, formNo(2)); err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(t.TempDir(), "台账.xlsx")
	if _, err := s.ExportLedgerFile(again, Query{}, xlsx, nil); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{s.Path(), s.Path() + "-wal", s.Path() + "-shm", s.AuditKeyPath(), s.HeadPath(), rep.Rollback, xlsx} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want owner-only", filepath.Base(p), st.Mode().Perm())
		}
	}
	if st, _ := os.Stat(AuditKeyDir()); st.Mode().Perm() != 0o700 {
		t.Errorf("keys folder is %v", st.Mode().Perm())
	}
}

// TestOpen_LeftoversOfAKilledBackupRemovedAndRecorded.
func TestOpen_LeftoversOfAKilledBackupRemovedAndRecorded(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	path := s.Path()
	left, err := backup.TempName(path, backup.TempSnapshot)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.WriteFile(left, []byte("SQLite format 3\x00 plaintext"), 0o600); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := os.Stat(left); !os.IsNotExist(err) {
		t.Fatalf("leftover still there: %v", err)
	}
	r := lastAudit(t, s2)
	if r.Event != models.EventCleanup || !strings.Contains(r.Detail, filepath.Base(left)) || !r.Success {
		t.Fatalf("cleanup record %+v", r)
	}
}

// TestOpen_SecondNameOfTheFileRefused: a hard link to the database, and a
// symbolic link to a database another program holds, are refused.
func TestOpen_SecondNameOfTheFileRefused(t *testing.T) {
	if os.PathSeparator != '/' {
		t.Skip("links are tried on Unix")
	}
	s := newService(t)
	dir := t.TempDir()
	sym := filepath.Join(dir, "sym.db")
	if err := os.Symlink(s.Path(), sym); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(sym); !errors.Is(err, instance.ErrHeld) {
		t.Fatalf("through a symbolic link: %v", err)
	}
	hard := filepath.Join(dir, "hard.db")
	if err := os.Link(s.Path(), hard); err != nil {
		t.Fatal(err)
	}
	var le *instance.LinkedError
	if _, err := Open(hard); !errors.As(err, &le) || le.Links != 2 || !strings.Contains(le.Message(), "硬链接") {
		t.Fatalf("through a hard link: %v", err)
	}
}

// TestAttack_ChangeLaunderedByTheNextSave_Refused: a carrier changed with a
// SQLite tool and then edited in the program would have the tool's change
// sealed with the program's; the program refuses the edit instead, says
// why, and records the refusal.
func TestAttack_ChangeLaunderedByTheNextSave_Refused(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	mustExec(t, rawDB(t, s), `UPDATE carriers SET level = 1 WHERE id = '`+c.ID+`'`)
	c, err := s.Get(clerk(t, s), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	f := FormOf(c)
	f.Location = "机要室8号柜"
	_, err = s.Edit(clerk(t, s), c.ID, c.Version, f, "换柜")
	var te *TamperedError
	if !errors.As(err, &te) || !strings.Contains(te.Message(), c.RegNo) {
		t.Fatalf("edit of a tampered carrier: %v", err)
	}
	if r := lastAudit(t, s); r.Event != models.EventDenied || !strings.Contains(r.Detail, "修改登记") {
		t.Fatalf("refusal record %+v", r)
	}
	v, err := s.verifyAll(nil)
	if err != nil || v.OK || !strings.Contains(findings(v), "密级（level）现为 1") {
		t.Fatalf("verdict after the refused edit: %+v %v", v, err)
	}
}
