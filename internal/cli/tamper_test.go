package cli

import (
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/glebarez/go-sqlite" // the attacker's SQLite tool
)

// Each test here is an insider's attack on the register with a SQLite tool
// and the database file, made after the program has closed it, and then
// `secdoc audit verify`, which must exit 3 and name what was done.

// workflowDB is a demo database with work in progress: copies, loans,
// circulations, slips.
func workflowDB(t *testing.T) (db, pwFile string) {
	t.Helper()
	return makeDemo(t, 30, "--workflows")
}

// sqliteTool opens the database file as a SQLite tool would: no program
// connection hooks, no keys.
func sqliteTool(t *testing.T, db string) *sql.DB {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+db+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	conn.SetMaxOpenConns(1)
	t.Cleanup(func() { conn.Close() })
	return conn
}

// attack drops every trigger of the database, then runs stmts.
func attack(t *testing.T, db string, stmts ...string) {
	t.Helper()
	conn := sqliteTool(t, db)
	rows, err := conn.Query(`SELECT name FROM sqlite_master WHERE type = 'trigger'`)
	if err != nil {
		t.Fatal(err)
	}
	var triggers []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		triggers = append(triggers, n)
	}
	rows.Close()
	for _, tr := range triggers {
		stmts = append([]string{`DROP TRIGGER "` + tr + `"`}, stmts...)
	}
	for _, st := range stmts {
		if _, err := conn.Exec(st); err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
	conn.Close()
}

// pick reads one value with the SQLite tool.
func pick(t *testing.T, db, query string) string {
	t.Helper()
	var v string
	if err := sqliteTool(t, db).QueryRow(query).Scan(&v); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return v
}

// verifyNames runs audit verify and checks it exits 3 naming every one of want.
func verifyNames(t *testing.T, db, pw string, want ...string) string {
	t.Helper()
	code, out, errs := run("", "audit", "verify", "--db", db, "--user", "auditor", "--password-file", pw)
	if code != 3 {
		t.Fatalf("audit verify exit %d, want 3: %q %q", code, out, errs)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Fatalf("audit verify does not say %q:\n%s", w, out)
		}
	}
	return out
}

func TestAttack_DeleteTheLastAuditRecord_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	last := pick(t, db, `SELECT max(seq) FROM audit_log`)
	attack(t, db, `DELETE FROM audit_log WHERE seq = `+last)
	verifyNames(t, db, pw, "审计记录缺少第 "+last+" 至第 "+last+" 条")
}

func TestAttack_DeleteEveryAuditRecord_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	attack(t, db, `DELETE FROM audit_log`)
	verifyNames(t, db, pw, "审计记录已被清空")
}

func TestAttack_RaiseACarriersLevelDown_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	reg := pick(t, db, `SELECT reg_no FROM carriers WHERE level = 3 LIMIT 1`)
	attack(t, db, `UPDATE carriers SET level = 1 WHERE reg_no = '`+reg+`'`)
	verifyNames(t, db, pw, "载体登记（carriers） "+reg, "密级（level）现为 1")
}

func TestAttack_ChangeACarriersState_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	reg := pick(t, db, `SELECT reg_no FROM carriers WHERE state = 'in_store' LIMIT 1`)
	attack(t, db, `UPDATE carriers SET state = 'destroyed' WHERE reg_no = '`+reg+`'`)
	verifyNames(t, db, pw, "载体登记（carriers） "+reg, "状态（state）现为 destroyed")
}

func TestAttack_InsertACarrier_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	attack(t, db, `INSERT INTO carriers SELECT 'forged-0000-0000-0000-000000000000', seq + 100000, reg_no || '伪', direction, year,
		reg_date, doc_number || '伪', title, issuer, doc_kind, level, term_kind, term_years, term_until, term_condition, copy_no,
		copy_count, batch_id, pages, urgency, kind, need_to_know, location, custodian, remarks, state, void_reason, is_copy,
		original_id, version, created_at, created_by, updated_at, return_to_issuer, doc_date, term_from, term_months, capacity, copy_serial, copy_stamp, no_copy, deadline FROM carriers LIMIT 1`)
	verifyNames(t, db, pw, "forged-0000-0000-0000-000000000000", "没有封存值：在程序之外插入")
}

func TestAttack_DeleteACarrier_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	id := pick(t, db, `SELECT id FROM carriers LIMIT 1 OFFSET 5`)
	attack(t, db, `DELETE FROM carriers WHERE id = '`+id+`'`)
	verifyNames(t, db, pw, "载体登记（carriers） "+id+" 被删除")
}

func TestAttack_DeleteACarrierWithItsSeal_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	id := pick(t, db, `SELECT id FROM carriers LIMIT 1 OFFSET 7`)
	attack(t, db, `DELETE FROM carriers WHERE id = '`+id+`'`, `DELETE FROM row_seals WHERE row_key = '`+id+`'`)
	verifyNames(t, db, pw, "载体登记（carriers） "+id+" 连同封存值一起被删除")
}

func TestAttack_DeleteAHistoryLine_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	id := pick(t, db, `SELECT id FROM carrier_events LIMIT 1 OFFSET 11`)
	attack(t, db, `DELETE FROM carrier_events WHERE id = '`+id+`'`)
	verifyNames(t, db, pw, "处理记录（carrier_events） "+id+" 被删除")
}

func TestAttack_EditAHistoryLine_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	id := pick(t, db, `SELECT id FROM carrier_events LIMIT 1 OFFSET 3`)
	attack(t, db, `UPDATE carrier_events SET actor = '无名氏' WHERE id = '`+id+`'`)
	verifyNames(t, db, pw, "处理记录（carrier_events） "+id+" 的内容与第", "actor现为 无名氏")
}

func TestAttack_InsertAHistoryLine_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	attack(t, db, `INSERT INTO carrier_events(id, carrier_id, at, ord, actor, action, reason, actor_login)
		SELECT 'forged-event', id, created_at, 9, '无名氏', '登记', '', 'clerk' FROM carriers LIMIT 1`)
	verifyNames(t, db, pw, "处理记录（carrier_events） forged-event 没有封存值")
}

func TestAttack_PromoteTheClerkToSystemAdministrator_DetectedAndRefused(t *testing.T) {
	db, pw := workflowDB(t)
	attack(t, db, `UPDATE users SET role = 'sysadmin' WHERE login = 'clerk'`)
	verifyNames(t, db, pw, "账户（users） clerk（", "角色（role）现为 sysadmin")
	// The forged role gets the clerk nothing: its account no longer matches its seal.
	code, out, errs := run("", "backup", "--to", t.TempDir(), "--db", db, "--user", "clerk", "--password-file", pw,
		"--passphrase-file", pw)
	if code == 0 || !strings.Contains(out+errs, "账户记录与审计记录封存的不符") {
		t.Fatalf("backup by the promoted clerk: %d %q %q", code, out, errs)
	}
}

func TestAttack_ChangeASlipsDecision_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	slip := pick(t, db, `SELECT slip_no FROM destruction_batches LIMIT 1`)
	attack(t, db, `UPDATE destruction_batches SET state = 'approved', decision = '同意', approver_name = '某领导'
		WHERE slip_no = '`+slip+`'`)
	verifyNames(t, db, pw, "销毁单（destruction_batches） "+slip, "审批意见（decision）现为 同意")
}

func TestAttack_ChangeTheLockoutPolicy_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	attack(t, db, `UPDATE settings SET value = '10' WHERE key = 'policy.max_failures'`)
	verifyNames(t, db, pw, "设置（settings） policy.max_failures", "值（value）现为 10")
}

func TestAttack_PutBackAnOlderCopyOfTheDatabaseWithItsLog_Detected(t *testing.T) {
	db, pw := workflowDB(t)
	old := t.TempDir()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		copyIfExists(t, db+suffix, filepath.Join(old, "copy"+suffix))
	}
	// The office works on: the clerk signs in and out, and so on.
	if code, _, errs := run("", "stats", "--db", db, "--user", "clerk", "--password-file", pw); code != 0 {
		t.Fatalf("stats: %s", errs)
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(db + suffix)
		copyIfExists(t, filepath.Join(old, "copy"+suffix), db+suffix)
	}
	verifyNames(t, db, pw, "审计记录缺少第")
	// Changes are refused until the auditor has looked, and say why.
	code, out, errs := run("", "demo", "--n", "1", "--db", db, "--user", "clerk", "--password-file", pw)
	if code == 0 || !strings.Contains(out+errs, "登记簿已停止一切修改") {
		t.Fatalf("register on the old copy: %d %q %q", code, out, errs)
	}
	// The auditor accepts it, with a reason; then it verifies and work goes on.
	if code, out, errs := run("", "audit", "accept", "--reason", "经核查，数据库从旧副本恢复", "--db", db, "--user", "auditor",
		"--password-file", pw); code != 0 {
		t.Fatalf("accept: %d %q %q", code, out, errs)
	}
	if code, out, errs := run("", "audit", "verify", "--db", db, "--user", "auditor", "--password-file", pw); code != 0 {
		t.Fatalf("verify after accepting: %d %q %q", code, out, errs)
	}
	if code, out, errs := run("", "demo", "--n", "1", "--db", db, "--user", "clerk", "--password-file", pw); code != 0 {
		t.Fatalf("register after accepting: %d %q %q", code, out, errs)
	}
}

func TestAuditSeal_WrittenDownThenChecked(t *testing.T) {
	db, pw := workflowDB(t)
	code, out, _ := run("", "audit", "seal", "--db", db, "--user", "auditor", "--password-file", pw)
	if code != 0 || !strings.Contains(out, "审计印记：第 ") {
		t.Fatalf("seal: %d %q", code, out)
	}
	seal := strings.TrimSpace(strings.SplitN(strings.TrimPrefix(out, "审计印记："), "\n", 2)[0])
	if code, out, _ := run("", "audit", "verify", "--seal", seal, "--db", db, "--user", "auditor", "--password-file", pw); code != 0 ||
		!strings.Contains(out, "与抄录的审计印记相符") {
		t.Fatalf("verify with the seal: %d %q", code, out)
	}
	wrong := seal[:len(seal)-1] + map[bool]string{true: "1", false: "0"}[strings.HasSuffix(seal, "0")]
	if code, out, _ := run("", "audit", "verify", "--seal", wrong, "--db", db, "--user", "auditor", "--password-file", pw); code != 3 ||
		!strings.Contains(out, "与抄录的") || !strings.Contains(out, "不符") {
		t.Fatalf("verify with a wrong seal: %d %q", code, out)
	}
}

func copyIfExists(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	out.Close()
}
