package app

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"secdoc/models"
)

func auditCount(t testing.TB, s *Service) int64 {
	t.Helper()
	var n int64
	if err := s.DB().Raw(`SELECT count(*) FROM audit_log`).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func lastAudit(t testing.TB, s *Service) models.AuditRecord {
	t.Helper()
	var r models.AuditRecord
	if err := s.DB().Order("seq DESC").Take(&r).Error; err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSetup_NoDefaultAccountsAndOnlyOnce(t *testing.T) {
	t.Setenv("SECDOC_KEY_DIR", t.TempDir())
	s, err := Open(filepath.Join(t.TempDir(), "fresh.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if need, _ := s.NeedsSetup(); !need {
		t.Fatal("a fresh database claims to be set up")
	}
	for _, login := range []string{"admin", "sysadmin", "root", "clerk"} {
		if _, _, err := s.SignIn(login, "admin"); !errors.Is(err, models.ErrBadCredentials) {
			t.Fatalf("%s signed in on a fresh database: %v", login, err)
		}
	}
	newService(t) // sets up and signs in fine
	s2 := newService(t)
	err = s2.Setup(SetupInput{OfficeName: "x", Policy: models.DefaultPolicy,
		SysAdmin: NewAccount{"a1", "甲", "Aa-123456789"}, SecAdmin: NewAccount{"a2", "乙", "Aa-123456789"},
		Auditor: NewAccount{"a3", "丙", "Aa-123456789"}, Clerks: []NewAccount{{"a4", "丁", "Aa-123456789"}}})
	if !errors.Is(err, models.ErrAlreadySetUp) {
		t.Fatalf("second setup: %v", err)
	}
}

func TestSetup_R18_AuditorNotSamePersonAndFieldsChecked(t *testing.T) {
	t.Setenv("SECDOC_KEY_DIR", t.TempDir())
	s, err := Open(filepath.Join(t.TempDir(), "fresh.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in := SetupInput{OfficeName: "遂安市机要局", Policy: models.DefaultPolicy,
		SysAdmin: NewAccount{"sys", "张伟", "Aa-123456789"}, SecAdmin: NewAccount{"sec", "李娜", "short"},
		Auditor: NewAccount{"aud", "张伟", "Aa-123456789"}}
	err = s.Setup(in)
	v, ok := models.AsValidation(err)
	if !ok {
		t.Fatalf("want field errors, got %v", err)
	}
	for field, want := range map[string]string{"Auditor.FullName": "同一人", "SecAdmin.Password": "至少 10 位",
		"Clerks": "至少要有一名机要员"} {
		if !strings.Contains(v.Msg(field), want) {
			t.Errorf("%s: %q, want %q", field, v.Msg(field), want)
		}
	}
	if need, _ := s.NeedsSetup(); !need {
		t.Fatal("a refused setup created accounts")
	}
}

func TestSignIn_R18_FailuresCountedLockoutAndRelease(t *testing.T) {
	s := newService(t)
	before := auditCount(t, s)
	for i := 1; i <= 4; i++ {
		_, _, err := s.SignIn("wangmin", "wrong-password")
		var se *SignInError
		var fails int
		s.db.Raw(`SELECT failed_count FROM users WHERE login = 'wangmin'`).Scan(&fails)
		if !errors.As(err, &se) || !errors.Is(err, models.ErrBadCredentials) || fails != i {
			t.Fatalf("failure %d: %v (counted %d)", i, err, fails)
		}
	}
	_, _, err := s.SignIn("wangmin", "wrong-password")
	var se *SignInError
	if !errors.As(err, &se) || !errors.Is(err, models.ErrLockedOut) || !strings.Contains(se.Message(), "已锁定") {
		t.Fatalf("fifth failure: %v", err)
	}
	// Locked: even the right password is refused for 15 minutes.
	if _, _, err := s.SignIn("wangmin", testPassword); !errors.Is(err, models.ErrLockedOut) {
		t.Fatalf("right password while locked: %v", err)
	}
	if got := auditCount(t, s) - before; got != 6 {
		t.Fatalf("%d sign-in attempts audited, want 6", got)
	}
	if r := lastAudit(t, s); r.Event != models.EventSignIn || r.Success || r.Login != "wangmin" {
		t.Fatalf("last audit %+v", r)
	}
	s.Now = func() time.Time { return fixedNow.Add(16 * time.Minute) }
	if _, _, err := s.SignIn("wangmin", testPassword); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	// The system administrator can lift a lockout early.
	for i := 0; i < 5; i++ {
		s.SignIn("wangmin", "wrong-password")
	}
	var u models.User
	s.DB().Where("login = ?", "wangmin").Take(&u)
	if err := s.UnlockAccount(as(t, s, "sysadmin"), u.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SignIn("wangmin", testPassword); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	// An unknown login fails the same way, and is audited too.
	if _, _, err := s.SignIn("nobody", "x"); !errors.Is(err, models.ErrBadCredentials) {
		t.Fatalf("unknown login: %v", err)
	}
}

func TestSignIn_ForcedPasswordChangeFirst(t *testing.T) {
	s := newService(t)
	admin := as(t, s, "sysadmin")
	u, err := s.CreateUser(admin, NewAccount{Login: "liqiang", FullName: "李强", Password: "First-pass-1"})
	if err != nil || u.Role != models.RoleClerk || !u.MustChange {
		t.Fatalf("new account: %+v %v", u, err)
	}
	sess, must, err := s.SignIn("liqiang", "First-pass-1")
	if err != nil || !must {
		t.Fatalf("first sign-in: must=%v %v", must, err)
	}
	if _, err := s.Register(sess, form()); !errors.Is(err, models.ErrMustChange) {
		t.Fatalf("work before changing the first password: %v", err)
	}
	for pw, msg := range map[string]string{"Ab-1": "至少 10 位", "abcdefghijkl": "至少 3 类",
		"First-pass-1": "不能与原密码相同", "Liqiang-2026": "不能包含登录名"} {
		err := s.ChangePassword(sess, "First-pass-1", pw)
		if v, ok := models.AsValidation(err); !ok || !strings.Contains(v.Msg("NewPassword"), msg) {
			t.Errorf("new password %q: %v, want %q", pw, err, msg)
		}
	}
	if err := s.ChangePassword(sess, "wrong", "Good-pass-2026"); err == nil {
		t.Fatal("wrong old password accepted")
	}
	if err := s.ChangePassword(sess, "First-pass-1", "Good-pass-2026"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Register(sess, form()); err != nil {
		t.Fatalf("after the change: %v", err)
	}
}

func TestRoles_R18_EachRoleRefusedWhatItMustNotDo(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	sys, sec, aud, clk := as(t, s, "sysadmin"), as(t, s, "secadmin"), as(t, s, "auditor"), clerk(t, s)
	var clerkID string
	s.DB().Raw(`SELECT id FROM users WHERE login = 'wangmin'`).Scan(&clerkID)
	cases := map[string]func() error{
		"sysadmin opens a carrier":  func() error { _, err := s.Get(sys, c.ID); return err },
		"sysadmin reads the ledger": func() error { _, err := s.Page(sys, Query{}, 0, 10); return err },
		"secadmin registers":        func() error { _, err := s.Register(sec, form()); return err },
		"auditor edits a record": func() error {
			_, err := s.Edit(aud, c.ID, c.Version, FormOf(c), "")
			return err
		},
		"auditor voids a record":     func() error { return s.Void(aud, c.ID, c.Version, "审计员试图作废") },
		"auditor counts the ledger":  func() error { _, err := s.Stats(aud); return err },
		"clerk reads the audit":      func() error { _, _, err := s.AuditTrail(clk, AuditQuery{}); return err },
		"clerk verifies the audit":   func() error { _, err := s.VerifyAudit(clk); return err },
		"sysadmin reads the audit":   func() error { _, _, err := s.AuditTrail(sys, AuditQuery{}); return err },
		"secadmin reads the audit":   func() error { _, _, err := s.AuditTrail(sec, AuditQuery{}); return err },
		"clerk lists accounts":       func() error { _, err := s.Users(clk); return err },
		"sysadmin assigns a role":    func() error { return s.SetRole(sys, clerkID, models.RoleSecAdmin) },
		"secadmin creates accounts":  func() error { _, err := s.CreateUser(sec, NewAccount{"x1", "某", "Aa-123456789"}); return err },
		"clerk changes the policy":   func() error { return s.SetPolicy(clk, models.DefaultPolicy) },
		"auditor renames the office": func() error { return s.SetOfficeName(aud, "别的单位") },
	}
	for name, do := range cases {
		before := auditCount(t, s)
		err := do()
		var fe *ForbiddenError
		if !errors.Is(err, models.ErrForbidden) || !errors.As(err, &fe) || !strings.Contains(fe.Message(), "三员分立") {
			t.Errorf("%s: want a refusal, got %v", name, err)
			continue
		}
		if r := lastAudit(t, s); auditCount(t, s) != before+1 || r.Event != models.EventDenied || r.Success {
			t.Errorf("%s: refusal not audited: %+v", name, r)
		}
	}
	got, _ := s.Get(clk, c.ID)
	if got.Version != c.Version || got.State != models.StateInStore {
		t.Fatalf("a refused act changed the carrier: %+v", got)
	}
}

func TestRoles_R18_AuditorNeverTheSamePersonAsAnotherAdmin(t *testing.T) {
	s := newService(t)
	sys, sec := as(t, s, "sysadmin"), as(t, s, "secadmin")
	// 张伟 (the system administrator) gets a second account…
	u, err := s.CreateUser(sys, NewAccount{Login: "zhangwei2", FullName: "张伟", Password: "First-pass-1"})
	if err != nil {
		t.Fatal(err)
	}
	// …which the security officer may not make an auditor.
	err = s.SetRole(sec, u.ID, models.RoleAuditor)
	if v, ok := models.AsValidation(err); !ok || !strings.Contains(v.Msg("Role"), "同一人") {
		t.Fatalf("auditor = system administrator: %v", err)
	}
	// The only security officer can't be demoted, nor change their own role.
	var secID string
	s.DB().Raw(`SELECT id FROM users WHERE login = 'secadmin'`).Scan(&secID)
	if err := s.SetRole(sec, secID, models.RoleClerk); err == nil {
		t.Fatal("security officer changed their own role")
	}
	if err := s.SetRole(sec, u.ID, models.RoleClerk); err != nil {
		t.Fatalf("a plain role change: %v", err)
	}
	// Disabling keeps the records' names: accounts are never deleted.
	if err := s.SetDisabled(sys, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := s.DB().Exec(`DELETE FROM users WHERE id = ?`, u.ID).Error; err == nil {
		t.Fatal("an account was deleted")
	}
	if _, _, err := s.SignIn("zhangwei2", "First-pass-1"); !errors.Is(err, models.ErrDisabled) {
		t.Fatalf("disabled account signed in: %v", err)
	}
}

func TestHistory_CarriesTheSignedInUser(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	h, _ := s.History(clerk(t, s), c.ID)
	if h[0].Actor != "王敏" || h[0].ActorLogin != "wangmin" || c.CreatedBy != "王敏" {
		t.Fatalf("history %+v, created by %s", h[0], c.CreatedBy)
	}
	r := lastAudit(t, s)
	if r.Event != models.EventRegister || r.Login != "wangmin" || r.Role != models.RoleClerk || r.Object != c.RegNo || !r.Success {
		t.Fatalf("register audit %+v", r)
	}
}

func TestAudit_WrittenWithTheChangeOrNotAtAll(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	before := auditCount(t, s)
	if _, err := s.Register(clerk(t, s), form()); !errors.Is(err, models.ErrDuplicateCopy) {
		t.Fatalf("duplicate: %v", err)
	}
	// The refused registration itself left nothing; its refusal is recorded.
	if n := auditCount(t, s); n != before+1 {
		t.Fatalf("a refused registration left %d audit records, want the one of the refusal", n-before)
	}
	if r := lastAudit(t, s); r.Event != models.EventRuleDenied || r.Success || !strings.HasPrefix(r.Detail, "登记：") ||
		!strings.Contains(r.Detail, "已经登记过") || len(r.Seals) != 0 {
		t.Fatalf("refusal record %+v", r)
	}
}

// mixedOps runs n operations of every kind the trail records.
func mixedOps(t testing.TB, s *Service, n int) {
	clk := clerk(t, s)
	var live []models.Carrier
	for i := 0; i < n; i++ {
		switch {
		case i%10 == 3 && len(live) > 0:
			c := live[len(live)-1]
			f := FormOf(c)
			f.Location = fmt.Sprintf("机要室%d号柜", i)
			got, err := s.Edit(clk, c.ID, c.Version, f, "调整存放位置")
			if err != nil {
				t.Fatal(err)
			}
			live[len(live)-1] = got
		case i%10 == 7 && len(live) > 0:
			c := live[0]
			if err := s.Void(clk, c.ID, c.Version, "登记错误，作废"); err != nil {
				t.Fatal(err)
			}
			live = live[1:]
		case i%10 == 9:
			s.SignIn("wangmin", "wrong-password")
			s.UnlockAccount(as(t, s, "sysadmin"), mustUserID(t, s, "wangmin"))
		case i%25 == 5:
			s.Stats(as(t, s, "auditor")) // refused, audited
		default:
			f := form()
			f.DocNumber = fmt.Sprintf("混合〔2026〕%d号", i)
			cs, err := s.Register(clk, f)
			if err != nil {
				t.Fatal(err)
			}
			live = append(live, cs...)
		}
	}
}

func mustUserID(t testing.TB, s *Service, login string) string {
	var id string
	if err := s.DB().Raw(`SELECT id FROM users WHERE login = ?`, login).Scan(&id).Error; err != nil || id == "" {
		t.Fatalf("user %s: %v", login, err)
	}
	return id
}

func TestAudit_R18_ChainVerifiesAfter10000MixedOperations(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 operations")
	}
	s := newService(t)
	mixedOps(t, s, 10_000)
	v, err := s.VerifyAudit(as(t, s, "auditor"))
	if err != nil {
		t.Fatal(err)
	}
	if !v.OK || v.Records < 10_000 {
		t.Fatalf("verdict %+v", v)
	}
	recs, total, err := s.AuditTrail(as(t, s, "auditor"), AuditQuery{Event: models.EventVoid, Limit: 5})
	if err != nil || total != 1000 || len(recs) != 5 || recs[0].Seq < recs[1].Seq {
		t.Fatalf("void records: %d of %d, %v", len(recs), total, err)
	}
}

// tamper runs statements on the file directly, as someone with a SQLite tool
// would, after dropping the triggers that refuse them.
func tamper(t *testing.T, s *Service, stmts ...string) {
	t.Helper()
	for _, st := range append([]string{`DROP TRIGGER IF EXISTS audit_log_no_update`,
		`DROP TRIGGER IF EXISTS audit_log_no_delete`}, stmts...) {
		if err := s.DB().Exec(st).Error; err != nil {
			t.Fatalf("%s: %v", st, err)
		}
	}
}

func TestAudit_R18_AnyChangeDeletionOrInsertionDetectedAndNamed(t *testing.T) {
	cases := []struct {
		name   string
		stmts  []string
		broken int64
		msg    string
	}{
		{"change a detail", []string{`UPDATE audit_log SET detail = '无事发生' WHERE seq = 20`}, 20, "被修改"},
		{"change the user", []string{`UPDATE audit_log SET login = 'intruder' WHERE seq = 33`}, 33, "被修改"},
		{"flip a failure to success", []string{`UPDATE audit_log SET success = 1 WHERE seq = (SELECT min(seq) FROM audit_log WHERE success = 0)`}, 0, "被修改"},
		{"delete one in the middle", []string{`DELETE FROM audit_log WHERE seq = 25`}, 25, "第 25 至第 25 条审计记录缺失"},
		{"delete the last", []string{`DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)`}, -1, "审计记录缺少第"},
		{"insert a forged one", []string{`UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 30`,
			`UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1030`,
			`INSERT INTO audit_log(seq, at, login, role, event, object, success, detail, hash)
			 SELECT 30, at, login, role, event, object, success, '伪造', hash FROM audit_log WHERE seq = 29`}, 30, "被修改"},
		{"rewrite a hash too", []string{`UPDATE audit_log SET detail = 'x', hash = '00' WHERE seq = 12`}, 12, "被修改"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := newService(t)
			mixedOps(t, s, 60)
			aud := as(t, s, "auditor")
			if v, _ := s.verifyAll(nil); !v.OK {
				t.Fatalf("untampered chain fails: %+v", v)
			}
			var failSeq, lastSeq int64
			s.DB().Raw(`SELECT min(seq) FROM audit_log WHERE success = 0`).Scan(&failSeq)
			s.DB().Raw(`SELECT max(seq) FROM audit_log`).Scan(&lastSeq)
			tamper(t, s, c.stmts...)
			v, err := s.VerifyAudit(aud)
			if err != nil {
				t.Fatal(err)
			}
			want := c.broken
			if want == 0 {
				want = failSeq
			}
			if want == -1 {
				want = lastSeq
			}
			if v.OK || v.BrokenAt != want || !strings.Contains(strings.Join(v.Findings, "\n"), c.msg) {
				t.Fatalf("verdict %+v; want broken at %d with %q", v, want, c.msg)
			}
		})
	}
}

func TestAudit_KeyOutsideTheDatabase(t *testing.T) {
	s := newService(t)
	if !strings.HasPrefix(s.AuditKeyPath(), AuditKeyDir()) || filepath.Dir(s.AuditKeyPath()) == filepath.Dir(s.Path()) {
		t.Fatalf("key %s beside the database %s", s.AuditKeyPath(), s.Path())
	}
	// Without its key the trail can be neither written nor verified, and says so.
	path := s.Path()
	s.Close()
	t.Setenv("SECDOC_KEY_DIR", t.TempDir())
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, _, err := s2.SignIn("wangmin", testPassword); !errors.Is(err, ErrAuditKey) {
		t.Fatalf("sign-in without the audit key: %v", err)
	}
}

func TestAuditExport_CSVAndPDFForTheAuditorOnly(t *testing.T) {
	s := newService(t)
	mixedOps(t, s, 30)
	aud := as(t, s, "auditor")
	var csvOut, pdfOut strings.Builder
	n, err := s.ExportAuditCSV(aud, AuditQuery{Event: models.EventRegister}, &csvOut)
	if err != nil || n == 0 {
		t.Fatalf("csv: %d %v", n, err)
	}
	lines := strings.Split(strings.TrimSpace(csvOut.String()), "\n")
	if !strings.HasPrefix(lines[0], "\xef\xbb\xbf序号,时间,用户,角色,事件,对象,结果,详情") || len(lines) != n+1 ||
		!strings.Contains(lines[1], ",wangmin,机要员,登记,") {
		t.Fatalf("csv head %q, %d lines for %d records", lines[0], len(lines), n)
	}
	if r := lastAudit(t, s); r.Event != models.EventExport || r.Login != "auditor" {
		t.Fatalf("export not audited: %+v", r)
	}
	if _, err := s.ExportAuditPDF(aud, AuditQuery{}, &pdfOut); err != nil || !strings.HasPrefix(pdfOut.String(), "%PDF") {
		t.Fatalf("pdf: %v", err)
	}
	if _, err := s.ExportAuditPDF(clerk(t, s), AuditQuery{}, &pdfOut); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("clerk exporting the audit trail: %v", err)
	}
}

// A locked window's session can do nothing but unlock; a signed-out one nothing at all.
func TestSession_R18_LockedOrSignedOutRefused(t *testing.T) {
	s := newService(t)
	sess, _, err := s.SignIn("wangmin", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Register(sess, form())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Lock(sess, "空闲 10 分钟自动锁定"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(sess, c[0].ID); !errors.Is(err, ErrSessionLocked) {
		t.Fatalf("reading behind the lock: %v", err)
	}
	if err := s.Unlock(sess, "wrong-password"); !errors.Is(err, models.ErrBadCredentials) {
		t.Fatalf("unlock with a wrong password: %v", err)
	}
	if _, err := s.Get(sess, c[0].ID); !errors.Is(err, ErrSessionLocked) {
		t.Fatalf("a failed unlock opened the session: %v", err)
	}
	if err := s.Unlock(sess, testPassword); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(sess, c[0].ID); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	if err := s.SignOut(sess); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(sess, c[0].ID); !errors.Is(err, models.ErrNotSignedIn) {
		t.Fatalf("after sign-out: %v", err)
	}
	// A session of another database file is no session here.
	other := newService(t)
	if _, err := other.Stats(sess); !errors.Is(err, models.ErrNotSignedIn) {
		t.Fatalf("a foreign session: %v", err)
	}
}

// TestAuditCSV_FormulaCellsNeutralised: a failed sign-in with the login
// =HYPERLINK(…) is exported as text, not as a formula Excel would run.
func TestAuditCSV_FormulaCellsNeutralised(t *testing.T) {
	s := newService(t)
	for _, login := range []string{`=HYPERLINK("http://x","y")`, "+1+1", "-2", "@SUM(A1)"} {
		if _, _, err := s.SignIn(login, "whatever"); err == nil {
			t.Fatal("unknown login signed in")
		}
	}
	var buf bytes.Buffer
	if _, err := s.ExportAuditCSV(as(t, s, "auditor"), AuditQuery{Event: models.EventSignIn}, &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, r := range recs[1:] {
		for _, cell := range []string{r[2], r[5], r[7]} {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				t.Errorf("cell %q would be a formula", cell)
			}
		}
		if strings.HasPrefix(r[5], "'=HYPERLINK") {
			seen++
		}
	}
	if seen != 1 {
		t.Errorf("the =HYPERLINK login exported %d times as text", seen)
	}
}

// TestSignIn_UnknownLoginAndWrongPasswordSayTheSame: a guesser can't tell
// which logins exist from the answer.
func TestSignIn_UnknownLoginAndWrongPasswordSayTheSame(t *testing.T) {
	s := newService(t)
	_, _, e1 := s.SignIn("wangmin", "Wrong-pass-1")
	_, _, e2 := s.SignIn("nobody", "Wrong-pass-1")
	var a, b *SignInError
	if !errors.As(e1, &a) || !errors.As(e2, &b) || a.Message() != b.Message() {
		t.Fatalf("wrong password %v / unknown login %v", e1, e2)
	}
}

// failureDetails are the details of the failed records of event on login.
func failureDetails(t testing.TB, s *Service, event, login string) []string {
	t.Helper()
	var out []string
	if err := s.DB().Raw(`SELECT detail FROM audit_log WHERE event = ? AND object = ? AND success = 0 ORDER BY seq`,
		event, login).Scan(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

func failedCount(t testing.TB, s *Service, login string) int {
	t.Helper()
	var n int
	if err := s.DB().Raw(`SELECT failed_count FROM users WHERE login = ?`, login).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSignIn_ConcurrentFailuresEachCountedOnceThenLocked: attempts made at
// once for one account are each counted (none reads the count and writes it
// back), exactly up to the policy's limit, which locks the account; the rest
// find it locked. Unknown logins tried at the same time share the one dummy
// hash. Run under the race detector by `make test`.
func TestSignIn_ConcurrentFailuresEachCountedOnceThenLocked(t *testing.T) {
	s := newService(t)
	const attempts, unknown = 20, 10
	max := models.DefaultPolicy.MaxFailures
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, attempts+unknown)
	for i := 0; i < attempts+unknown; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			login := "wangmin"
			if i >= attempts {
				login = fmt.Sprintf("nobody%d", i)
			}
			_, _, err := s.SignIn(login, fmt.Sprintf("Wrong-pass-%d", i))
			if i < attempts {
				errs <- err
			} else if !errors.Is(err, models.ErrBadCredentials) {
				errs <- fmt.Errorf("unknown login: %w", err)
			}
		}(i)
	}
	close(start)
	wg.Wait()
	close(errs)
	var bad, locked int
	for err := range errs {
		var se *SignInError
		switch {
		case !errors.As(err, &se):
			t.Fatalf("not a sign-in answer: %v", err)
		case errors.Is(err, models.ErrBadCredentials):
			bad++
		case errors.Is(err, models.ErrLockedOut):
			locked++
		default:
			t.Fatalf("unexpected answer %v", err)
		}
	}
	if bad != max-1 || locked != attempts-max+1 {
		t.Errorf("%d wrong-password and %d locked-out answers, want %d and %d", bad, locked, max-1, attempts-max+1)
	}
	counted := map[string]int{}
	details := failureDetails(t, s, models.EventSignIn, "wangmin")
	for _, d := range details {
		if i := strings.Index(d, "连续第 "); i >= 0 {
			counted[d[i:]]++
		}
	}
	if len(details) != attempts {
		t.Errorf("%d failed sign-ins recorded, want %d", len(details), attempts)
	}
	for k := 1; k <= max; k++ {
		found := 0
		for d, n := range counted {
			if strings.HasPrefix(d, fmt.Sprintf("连续第 %d 次", k)) {
				found += n
			}
		}
		if found != 1 {
			t.Errorf("failure %d counted %d times (%v)", k, found, counted)
		}
	}
	if len(counted) != max {
		t.Errorf("counted failures %v, want 1 to %d once each", counted, max)
	}
	var u models.User
	s.DB().Where("login = ?", "wangmin").Take(&u)
	if !fixedNow.Before(u.LockedUntil) || u.FailedCount != 0 {
		t.Fatalf("account not locked: until %v, count %d", u.LockedUntil, u.FailedCount)
	}
	if _, _, err := s.SignIn("wangmin", testPassword); !errors.Is(err, models.ErrLockedOut) {
		t.Fatalf("right password during the lockout: %v", err)
	}
	if v, err := s.VerifyAudit(as(t, s, "auditor")); err != nil || !v.OK {
		t.Fatalf("verdict %+v %v", v, err)
	}
}

// TestChangePassword_WrongOldPasswordCountsTowardsLockout: 修改密码 at an
// unlocked window is no place to guess the account's password.
func TestChangePassword_WrongOldPasswordCountsTowardsLockout(t *testing.T) {
	s := newService(t)
	sess := clerk(t, s)
	max := models.DefaultPolicy.MaxFailures
	// The same count as the sign-in's: two failed sign-ins first.
	for i := 0; i < 2; i++ {
		s.SignIn("wangmin", "Wrong-pass-1")
	}
	for i := 3; i < max; i++ {
		err := s.ChangePassword(sess, "Wrong-pass-1", "Good-pass-2027")
		v, ok := models.AsValidation(err)
		if !ok || v.Msg("OldPassword") != "原密码不对" || !errors.Is(err, models.ErrBadCredentials) ||
			!strings.Contains(v.Msg(""), fmt.Sprintf("再输错 %d 次", max-i)) {
			t.Fatalf("wrong old password %d: %v", i, err)
		}
		if n := failedCount(t, s, "wangmin"); n != i {
			t.Fatalf("after wrong old password %d: count %d", i, n)
		}
	}
	err := s.ChangePassword(sess, "Wrong-pass-1", "Good-pass-2027")
	var se *SignInError
	if !errors.As(err, &se) || !errors.Is(err, models.ErrLockedOut) || !strings.Contains(se.Message(), "已锁定") {
		t.Fatalf("wrong old password %d: %v", max, err)
	}
	d := failureDetails(t, s, models.EventPasswordChange, "wangmin")
	if len(d) != max-2 || d[0] != "原密码错误（连续第 3 次）" || !strings.Contains(d[len(d)-1], "账户锁定至 2026-11-23 10:15") {
		t.Fatalf("recorded %q", d)
	}
	// Locked out: neither the right old password nor a sign-in gets through.
	before := auditCount(t, s)
	if err := s.ChangePassword(sess, testPassword, "Good-pass-2027"); !errors.Is(err, models.ErrLockedOut) {
		t.Fatalf("change during the lockout: %v", err)
	}
	if r := lastAudit(t, s); auditCount(t, s) != before+1 || r.Event != models.EventPasswordChange || r.Success ||
		!strings.Contains(r.Detail, "锁定") {
		t.Fatalf("refused change recorded as %+v", r)
	}
	if _, _, err := s.SignIn("wangmin", testPassword); !errors.Is(err, models.ErrLockedOut) {
		t.Fatalf("sign-in during the lockout: %v", err)
	}
	s.Now = func() time.Time { return fixedNow.Add(16 * time.Minute) }
	if err := s.ChangePassword(sess, testPassword, "Good-pass-2027"); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	if n := failedCount(t, s, "wangmin"); n != 0 {
		t.Fatalf("count after a good change: %d", n)
	}
	if _, _, err := s.SignIn("wangmin", "Good-pass-2027"); err != nil {
		t.Fatal(err)
	}
}

// writeHash stores a password hash for login through the program (sealed
// and audited), as a database holding a crafted one would have it.
func writeHash(t *testing.T, s *Service, login, hash string) {
	t.Helper()
	err := s.write(func(tx *gorm.DB) error {
		if err := tx.Exec(`UPDATE users SET password_hash = ? WHERE login = ?`, hash, login).Error; err != nil {
			return err
		}
		return s.audit(tx, nil, models.EventUserChange, login, true, "测试：写入构造的密码散列")
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestArgon2_CraftedCostsMatchNothingQuickly: a stored hash's cost is not
// trusted: zero passes (which makes argon2 panic), gigabytes of memory,
// 255 threads, garbage: each matches no password, at once.
func TestArgon2_CraftedCostsMatchNothingQuickly(t *testing.T) {
	salt := base64.RawStdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 16))
	sum := base64.RawStdEncoding.EncodeToString(bytes.Repeat([]byte{9}, 32))
	crafted := map[string]string{
		"zero passes":      "$argon2id$v=19$m=1024,t=0,p=1$" + salt + "$" + sum,
		"4 GiB":            "$argon2id$v=19$m=4194304,t=1,p=1$" + salt + "$" + sum,
		"257 MiB":          "$argon2id$v=19$m=263168,t=1,p=1$" + salt + "$" + sum,
		"255 threads":      "$argon2id$v=19$m=65536,t=1,p=255$" + salt + "$" + sum,
		"zero threads":     "$argon2id$v=19$m=1024,t=1,p=0$" + salt + "$" + sum,
		"256 threads":      "$argon2id$v=19$m=65536,t=1,p=256$" + salt + "$" + sum,
		"11 passes":        "$argon2id$v=19$m=1024,t=11,p=1$" + salt + "$" + sum,
		"passes overflow":  "$argon2id$v=19$m=1024,t=4294967297,p=1$" + salt + "$" + sum,
		"negative":         "$argon2id$v=19$m=1024,t=-1,p=1$" + salt + "$" + sum,
		"memory below 8p":  "$argon2id$v=19$m=31,t=1,p=4$" + salt + "$" + sum,
		"garbage base64":   "$argon2id$v=19$m=1024,t=1,p=1$!!!!$" + sum,
		"garbage hash":     "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "$%%%%",
		"short salt":       "$argon2id$v=19$m=1024,t=1,p=1$" + base64.RawStdEncoding.EncodeToString([]byte("12345678")) + "$" + sum,
		"empty hash":       "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "$",
		"huge hash length": "$argon2id$v=19$m=1024,t=1,p=1$" + salt + "$" + base64.RawStdEncoding.EncodeToString(make([]byte, 4096)),
		"other version":    "$argon2id$v=16$m=1024,t=1,p=1$" + salt + "$" + sum,
		"argon2i":          "$argon2i$v=19$m=1024,t=1,p=1$" + salt + "$" + sum,
		"extra cost field": "$argon2id$v=19$m=1024,t=1,p=1,k=2$" + salt + "$" + sum,
		"spaces":           "$argon2id$v=19$m= 1024,t=1,p=1$" + salt + "$" + sum,
		"not a hash":       "plain-text-password",
		"empty":            "",
	}
	for name, h := range crafted {
		start := time.Now()
		if checkPassword(h, "anything") {
			t.Errorf("%s: matched", name)
		}
		if d := time.Since(start); d > 100*time.Millisecond {
			t.Errorf("%s: took %v", name, d)
		}
	}
	// Within the bounds, hashes of every cost this program makes still match.
	for _, p := range []struct{ t, m uint32 }{{1, 8}, {3, 64 * 1024}, {10, 1024}} {
		old := Argon2Params
		Argon2Params.Time, Argon2Params.MemoryKiB, Argon2Params.Threads = p.t, p.m, 1
		h := hashPassword("Mima-2026-ok")
		Argon2Params = old
		if !checkPassword(h, "Mima-2026-ok") || checkPassword(h, "Mima-2026-no") {
			t.Errorf("t=%d m=%d: %s", p.t, p.m, h)
		}
	}
	if _, ok := parseArgon2("$argon2id$v=19$m=262144,t=10,p=16$" + salt + "$" + sum); !ok {
		t.Error("the largest cost allowed is refused")
	}

	// Signing in to an account holding such a hash fails like a wrong
	// password, quickly, and counts.
	s := newService(t)
	for _, name := range []string{"zero passes", "4 GiB", "255 threads", "garbage base64"} {
		writeHash(t, s, "wangmin", crafted[name])
		start := time.Now()
		_, _, err := s.SignIn("wangmin", testPassword)
		if !errors.Is(err, models.ErrBadCredentials) {
			t.Errorf("%s: sign-in %v", name, err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%s: sign-in took %v", name, d)
		}
	}
	if n := failedCount(t, s, "wangmin"); n != 4 {
		t.Errorf("failures counted: %d", n)
	}
}

// TestSignIn_FailureOnATamperedAccountIsNotSealed: a wrong password for an
// account whose row another tool changed is refused without counting, so
// that the program never seals what the tool wrote.
func TestSignIn_FailureOnATamperedAccountIsNotSealed(t *testing.T) {
	s := newService(t)
	mustExec(t, rawDB(t, s), `UPDATE users SET role = 'sysadmin' WHERE login = 'wangmin'`)
	for i := 0; i < 2; i++ {
		var te *TamperedError
		if _, _, err := s.SignIn("wangmin", "Wrong-pass-1"); !errors.As(err, &te) {
			t.Fatalf("wrong password on a tampered account: %v", err)
		}
	}
	if _, _, err := s.SignIn("wangmin", testPassword); err == nil {
		t.Fatal("signed in to a tampered account")
	}
	if v, err := s.VerifyAudit(as(t, s, "auditor")); err != nil || v.OK {
		t.Fatalf("the tampered row is no longer found: %+v %v", v, err)
	}
}
