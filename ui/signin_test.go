package ui

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// fillAccount types an account into the wizard's fields.
func fillAccount(a *accountFields, login, name, pw string) {
	test.Type(a.login, login)
	test.Type(a.fullName, name)
	test.Type(a.password, pw)
	test.Type(a.confirm, pw)
}

// fillSetup types the whole first run of setupInput into the wizard.
func fillSetup(w *setupScreen) {
	in := setupInput()
	test.Type(w.office, in.OfficeName)
	fillAccount(w.sysAdmin, in.SysAdmin.Login, in.SysAdmin.FullName, firstPassword)
	fillAccount(w.secAdmin, in.SecAdmin.Login, in.SecAdmin.FullName, firstPassword)
	fillAccount(w.auditor, in.Auditor.Login, in.Auditor.FullName, firstPassword)
	fillAccount(w.clerks[0], in.Clerks[0].Login, in.Clerks[0].FullName, firstPassword)
}

func TestSetup_R18_CreatesThreeAdminsAndClerksThenSignIn(t *testing.T) {
	svc := newService(t, false, false)
	fx := newShellFixture(t, svc, nil)
	w := fx.s.setup
	if w == nil || fx.shown() != w.content {
		t.Fatal("a new database does not open on the setup wizard")
	}
	if fx.w.Canvas().Focused() != w.office {
		t.Errorf("focus on %T, want 单位名称", fx.w.Canvas().Focused())
	}
	for _, s := range []string{"每个账户首次登录时必须修改密码", "安全审计员不能与系统管理员、安全保密管理员为同一人"} {
		if !fx.onCanvas(s) {
			t.Errorf("the wizard does not say %q", s)
		}
	}
	if w.policy.idle.Text != "10" || w.policy.minLength.Text != "10" {
		t.Errorf("policy not prefilled with the defaults: %q %q", w.policy.minLength.Text, w.policy.idle.Text)
	}
	fillSetup(w)
	test.Tap(w.addClerk)
	fillAccount(w.clerks[1], "liqiang", "李强", firstPassword)
	test.Tap(w.submit)

	if fx.s.signIn == nil || fx.shown() != fx.s.signIn.content {
		t.Fatalf("no sign-in after setup; wizard says %q", w.msgs.text(""))
	}
	if got := fx.s.signIn.notice.Text; !strings.Contains(got, "首次登录时必须修改密码") {
		t.Errorf("sign-in notice = %q", got)
	}
	if need, _ := svc.NeedsSetup(); need {
		t.Fatal("no accounts created")
	}
	for login, role := range map[string]models.Role{loginSysAdmin: models.RoleSysAdmin, loginSecAdmin: models.RoleSecAdmin,
		loginAuditor: models.RoleAuditor, loginClerk: models.RoleClerk, "liqiang": models.RoleClerk} {
		sess, must, err := svc.SignIn(login, firstPassword)
		if err != nil || !must || sess.Role != role {
			t.Errorf("%s: role %v, must change %v, err %v", login, sess, must, err)
		}
	}
	if got := svc.OfficeName(); got != "遂安市人民政府办公室机要室" {
		t.Errorf("office = %q", got)
	}
}

func TestSetup_R18_AuditorNotSamePerson(t *testing.T) {
	svc := newService(t, false, false)
	fx := newShellFixture(t, svc, nil)
	w := fx.s.setup
	fillSetup(w)
	w.auditor.fullName.SetText("")
	test.Type(w.auditor.fullName, "张伟") // the system administrator's name
	test.Tap(w.submit)

	if got := w.auditor.msgs.text("FullName"); !strings.Contains(got, "安全审计员不能与系统管理员或安全保密管理员是同一人") {
		t.Errorf("message beside the auditor's 姓名 = %q", got)
	}
	if need, _ := svc.NeedsSetup(); !need {
		t.Error("accounts created although the auditor is the system administrator")
	}
	if fx.shown() != w.content {
		t.Error("the wizard was left")
	}
}

func TestSetup_OnlyMismatchIsTheWindowsCheck(t *testing.T) {
	svc := newService(t, false, false)
	fx := newShellFixture(t, svc, nil)
	w := fx.s.setup
	fillSetup(w)
	w.secAdmin.confirm.SetText("")
	test.Type(w.secAdmin.confirm, "Other-pass-1")
	test.Tap(w.submit)
	if got := w.secAdmin.msgs.text("Confirm"); got != "两次输入的密码不一致" {
		t.Errorf("confirm message = %q", got)
	}
	if need, _ := svc.NeedsSetup(); !need {
		t.Fatal("accounts created with mismatched passwords")
	}

	// The domain's own messages land beside their fields: a clerk's short
	// password, an empty office name, a login used twice.
	w.secAdmin.confirm.SetText(firstPassword)
	w.office.SetText("")
	w.clerks[0].password.SetText("short")
	w.clerks[0].confirm.SetText("short")
	w.sysAdmin.login.SetText(loginSecAdmin)
	test.Tap(w.submit)
	if got := w.clerks[0].msgs.text("Password"); !strings.HasPrefix(got, "密码至少 10 位") {
		t.Errorf("clerk password message = %q", got)
	}
	if got := w.msgs.text("OfficeName"); got == "" {
		t.Error("no message beside 单位名称")
	}
	if got := w.msgs.text(""); !strings.Contains(got, "登录名“lina”重复了") {
		t.Errorf("top message = %q", got)
	}
	if w.secAdmin.msgs.text("Confirm") != "" {
		t.Error("an old message stayed")
	}
	if need, _ := svc.NeedsSetup(); !need {
		t.Fatal("accounts created despite the domain's refusal")
	}
}

func TestSetup_PolicyOutOfRangeIsSaidNotReplaced(t *testing.T) {
	svc := newService(t, false, false)
	fx := newShellFixture(t, svc, nil)
	w := fx.s.setup
	fillSetup(w)
	w.policy.minLength.SetText("6")
	w.policy.idle.SetText("十")
	test.Tap(w.submit)
	if got := w.policy.msgs.text("IdleMinutes"); got != "请填写整数" {
		t.Errorf("idle message = %q", got)
	}
	w.policy.idle.SetText("10")
	test.Tap(w.submit)
	if got := w.policy.msgs.text(""); got != "密码最短长度应在 8 到 64 之间" {
		t.Errorf("policy message = %q", got)
	}
	if need, _ := svc.NeedsSetup(); !need {
		t.Fatal("accounts created with a policy the domain refuses")
	}
}

func TestSignIn_R18_WrongPasswordAndUnknownLoginSayTheSame(t *testing.T) {
	fx := newShellFixture(t, newService(t, true, true), nil)
	v := fx.s.signIn
	if fx.w.Canvas().Focused() != v.login {
		t.Errorf("focus on %T, want 登录名", fx.w.Canvas().Focused())
	}
	if !fx.onCanvas("涉密文件管理") || !fx.onCanvas("遂安市人民政府办公室机要室") {
		t.Error("sign-in lacks the title or the office")
	}
	fx.signIn(loginClerk, "Wrong-pass-1")
	const same = "登录名或密码不对（同一账户连续输错 5 次将被锁定 15 分钟）"
	if got := v.msg.Text; got != same || !v.msg.Visible() {
		t.Errorf("message = %q", got)
	}
	fx.signIn("nobody", "Wrong-pass-1")
	if got := v.msg.Text; got != same {
		t.Errorf("unknown login: message = %q", got)
	}
	if v.password.Text != "" {
		t.Error("password not cleared")
	}
	if fx.s.sess != nil || fx.shown() != v.content {
		t.Error("signed in with a wrong password")
	}
}

func TestSignIn_R18_FiveFailuresLockTheAccount(t *testing.T) {
	fx := newShellFixture(t, newService(t, true, true), nil)
	v := fx.s.signIn
	for i := 0; i < 5; i++ {
		fx.signIn(loginClerk, fmt.Sprintf("Wrong-pass-%d", i))
	}
	if got := v.msg.Text; !strings.Contains(got, "账户已锁定") || !strings.Contains(got, "10:15") {
		t.Errorf("after 5 failures: %q", got)
	}
	fx.signIn(loginClerk, testPassword)
	if fx.s.sess != nil || !strings.Contains(v.msg.Text, "账户已锁定") {
		t.Errorf("right password during the lockout: signed in %v, message %q", fx.s.sess != nil, v.msg.Text)
	}
	fx.advance(16 * time.Minute)
	fx.signIn(loginClerk, testPassword)
	if fx.s.clerk == nil {
		t.Errorf("not signed in after the lockout: %q", v.msg.Text)
	}
}

func TestSignIn_R18_FirstSignInForcesPasswordChange(t *testing.T) {
	fx := newShellFixture(t, newService(t, true, false), nil)
	fx.signIn(loginClerk, firstPassword)
	p := fx.s.password
	if p == nil || !p.forced || fx.shown() != p.content {
		t.Fatal("first sign-in does not force the change of password")
	}
	if fx.s.clerk != nil || fx.onCanvas("台账") {
		t.Fatal("the register is reachable before the password is changed")
	}
	if !fx.onCanvas("密码至少 10 位，须包含大写字母、小写字母、数字、符号中的至少 3 类") {
		t.Error("the policy is not stated")
	}

	test.Type(p.old, firstPassword)
	test.Type(p.new, "Short-1")
	test.Type(p.confirm, "Short-1")
	test.Tap(p.save)
	if got := p.msgs.text("NewPassword"); got != "密码至少 10 位，现在只有 7 位" {
		t.Errorf("short password message = %q", got)
	}
	p.new.SetText("Mima-2026-ok")
	p.confirm.SetText("Mima-2026-no")
	test.Tap(p.save)
	if got := p.msgs.text("Confirm"); got != "两次输入的新密码不一致" {
		t.Errorf("mismatch message = %q", got)
	}
	p.old.SetText("Wrong-pass-1")
	p.confirm.SetText("Mima-2026-ok")
	test.Tap(p.save)
	if got := p.msgs.text("OldPassword"); got != "原密码不对" {
		t.Errorf("old password message = %q", got)
	}
	if fx.s.clerk != nil {
		t.Fatal("home shown before a valid change")
	}

	p.old.SetText(firstPassword)
	p.new.SetText(testPassword)
	p.confirm.SetText(testPassword)
	pressEnter(p.confirm)
	if fx.s.clerk == nil || fx.shown() != fx.s.home {
		t.Fatalf("no clerk home after a valid change: %q %q", p.msgs.text(""), p.msgs.text("NewPassword"))
	}
	if !fx.onCanvas("王敏（机要员）") || !fx.onCanvas("台账") {
		t.Error("the clerk's home lacks 王敏（机要员） or 台账")
	}
}

// registerHalf starts a registration the clerk has not saved yet.
func (fx *fixture) registerHalf(title string) {
	fx.m.showRegister()
	test.Type(fx.form().docNumber, "遂安府办发〔2026〕99号")
	test.Type(fx.form().title, title)
}

func TestIdleLock_R18_LocksAfterIdleMinutesAndHidesEverything(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕30号", "关于做好保密自查工作的通知", "遂安市人民政府办公室")
	fx.registerHalf("半截登记的题名")
	fx.w.Canvas().Focus(fx.form().title)

	fx.advance(9 * time.Minute)
	fx.s.checkIdle()
	if fx.s.locked {
		t.Fatal("locked after 9 of 10 idle minutes")
	}
	fx.advance(time.Minute)
	fx.s.checkIdle()
	if !fx.s.locked || fx.s.lock == nil || fx.shown() != fx.s.lock.content {
		t.Fatal("not locked after 10 idle minutes")
	}
	for _, s := range []string{"关于做好保密自查工作的通知", "半截登记的题名", "台账", "登记", "遂安府办发"} {
		if fx.onCanvas(s) {
			t.Errorf("%q is in the canvas while locked", s)
		}
	}
	if !fx.onCanvas("已锁定") || !fx.onCanvas("王敏（机要员）") {
		t.Error("the lock screen does not say whose window is locked")
	}
	if fx.w.Canvas().Focused() != fx.s.lock.password {
		t.Errorf("focus on %T while locked, want the password", fx.w.Canvas().Focused())
	}
	recs, _, _ := fx.svc.AuditTrail(fx.session(loginAuditor), app.AuditQuery{Event: models.EventLock})
	if len(recs) != 1 || recs[0].Detail != "空闲 10 分钟自动锁定" || recs[0].Login != loginClerk {
		t.Errorf("lock audit = %+v", recs)
	}

	l := fx.s.lock
	test.Type(l.password, "Wrong-pass-1")
	test.Tap(l.unlock)
	if got := l.msg.Text; got != "密码不对（再错 4 次账户将被锁定）" || !fx.s.locked {
		t.Errorf("wrong password: locked %v, message %q", fx.s.locked, got)
	}
	if l.password.Text != "" {
		t.Error("password not cleared")
	}
	test.Type(l.password, testPassword)
	pressEnter(l.password)
	if fx.s.locked || fx.shown() != fx.s.home {
		t.Fatalf("not unlocked: %q", l.msg.Text)
	}
	if got := fx.form().title.Text; got != "半截登记的题名" {
		t.Errorf("half-typed title after unlock = %q", got)
	}
	if fx.m.tabs.Selected() != fx.m.registerTab || fx.w.Canvas().Focused() != fx.form().title {
		t.Error("unlock does not return to the form where the clerk was")
	}
	// Idle time counts again from the unlock.
	fx.advance(9 * time.Minute)
	fx.s.checkIdle()
	if fx.s.locked {
		t.Error("locked again 9 minutes after unlocking")
	}
}

func TestIdleLock_R18_TypingAndServiceCallsAreActivity(t *testing.T) {
	fx := newFixture(t)
	fx.registerHalf("关于")
	fx.advance(9 * time.Minute)
	test.Type(fx.form().title, "保密工作的通知") // typing in the form
	fx.advance(9 * time.Minute)
	fx.s.checkIdle()
	if fx.s.locked {
		t.Fatal("locked 9 minutes after typing")
	}
	fx.advance(5 * time.Minute)
	fx.m.ledger.reload() // reading the register through the service
	fx.advance(9 * time.Minute)
	fx.s.checkIdle()
	if fx.s.locked {
		t.Fatal("locked 9 minutes after a service call")
	}
	fx.w.Canvas().Unfocus()
	fx.advance(9 * time.Minute)
	test.TypeOnCanvas(fx.w.Canvas(), "x") // a key with nothing focused
	fx.advance(9 * time.Minute)
	fx.s.checkIdle()
	if fx.s.locked {
		t.Fatal("locked 9 minutes after a key on the canvas")
	}
	fx.advance(2 * time.Minute)
	fx.s.checkIdle()
	if !fx.s.locked {
		t.Fatal("not locked after 11 idle minutes")
	}
}

func TestIdleLock_R18_OpenDialogLeavesTheWindowUntilUnlocked(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕30号", "关于做好保密自查工作的通知", "遂安市人民政府办公室")
	fx.m.showLedger()
	fx.selectRow(0)
	test.Tap(fx.m.detail.edit)
	e := fx.m.detail.editing
	test.Type(e.reason, "题名漏了年份")
	top := fx.w.Canvas().Overlays().Top()

	test.Tap(findButton(t, fx.s.home, "锁定"))
	if !fx.s.locked || len(fx.w.Canvas().Overlays().List()) != 0 {
		t.Fatalf("locked %v with %d overlays", fx.s.locked, len(fx.w.Canvas().Overlays().List()))
	}
	if fx.onCanvas("关于做好保密自查工作的通知") || fx.onCanvas("题名漏了年份") {
		t.Error("the edit dialog's content is in the canvas while locked")
	}
	recs, _, _ := fx.svc.AuditTrail(fx.session(loginAuditor), app.AuditQuery{Event: models.EventLock})
	if len(recs) != 1 || recs[0].Detail != "手动锁定" {
		t.Errorf("lock audit = %+v", recs)
	}
	test.Type(fx.s.lock.password, testPassword)
	test.Tap(fx.s.lock.unlock)
	if fx.w.Canvas().Overlays().Top() != top || e.reason.Text != "题名漏了年份" {
		t.Error("the edit dialog did not come back as it was")
	}
	test.Tap(e.save)
	if got := fx.m.detail.value("题名"); got != "关于做好保密自查工作的通知" || fx.m.detail.editing != nil {
		t.Errorf("saving after unlock: detail %q, dialog open %v", got, fx.m.detail.editing != nil)
	}
}

func TestIdleLock_R18_UnlockFailuresLockOutAndSwitchUserSignsOut(t *testing.T) {
	fx := newFixture(t)
	fx.s.lockNow("手动锁定")
	l := fx.s.lock
	for i := 0; i < 5; i++ {
		test.Type(l.password, fmt.Sprintf("Wrong-pass-%d", i))
		test.Tap(l.unlock)
	}
	if got := l.msg.Text; !strings.Contains(got, "账户已锁定") {
		t.Errorf("after 5 failures: %q", got)
	}
	test.Type(l.password, testPassword)
	test.Tap(l.unlock)
	if !fx.s.locked || !strings.Contains(l.msg.Text, "账户已锁定") {
		t.Error("unlocked during the lockout")
	}
	test.Tap(l.switchUser)
	if fx.s.sess != nil || fx.s.locked || fx.s.signIn == nil || fx.shown() != fx.s.signIn.content {
		t.Fatal("切换用户 does not sign out")
	}
	if fx.onCanvas("台账") {
		t.Error("the clerk's home is still in the canvas")
	}
	recs, _, _ := fx.svc.AuditTrail(fx.session(loginAuditor), app.AuditQuery{Event: models.EventSignOut, Login: loginClerk})
	if len(recs) != 1 {
		t.Errorf("the clerk's sign-out audit = %+v", recs)
	}
}

// A database upgraded by this version says so on the sign-in screen, with
// the copy kept from before.
func TestSignIn_UpgradeIsToldWithItsCopy(t *testing.T) {
	svc := newService(t, true, true)
	path := svc.Path()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	// Back to schema 28: what schemas 29 and 30 add dropped.
	for _, q := range []string{`DROP TRIGGER IF EXISTS carrier_blocks_insert`, `DROP TRIGGER IF EXISTS carrier_blocks_update`, `DROP TABLE IF EXISTS carrier_blocks`,
		`DROP TRIGGER IF EXISTS issuer_counts_insert`, `DROP TRIGGER IF EXISTS issuer_counts_update`,
		`DROP TABLE IF EXISTS issuer_counts`, `DROP INDEX IF EXISTS idx_carriers_by_seq`, `DROP INDEX IF EXISTS idx_carriers_by_state`,
		`DROP INDEX IF EXISTS idx_carriers_by_level`, `DROP INDEX IF EXISTS idx_carriers_by_kind`, `DROP INDEX IF EXISTS idx_carriers_by_year`,
		`DROP INDEX IF EXISTS idx_carriers_issuer`, `CREATE INDEX idx_carriers_issuer ON carriers(issuer, seq)`,
		`DROP TRIGGER carrier_counts_insert`, `DROP TRIGGER carrier_counts_update`,
		`DROP TABLE carrier_counts`, `DROP TRIGGER custodian_counts_insert`, `DROP TRIGGER custodian_counts_update`,
		`DROP TABLE custodian_counts`, `DELETE FROM schema_migrations WHERE version >= 29`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()
	svc.Close()
	svc, err = app.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	svc.Now = func() time.Time { return fixedNow }
	fx := newShellFixture(t, svc, nil)
	if got := fx.s.signIn.notice.Text; !strings.Contains(got, fmt.Sprintf("已把数据库升级（结构版本 28 → %d）", models.SchemaVersion())) ||
		!strings.Contains(got, svc.Upgraded().Copy) {
		t.Fatalf("sign-in notice %q", got)
	}
	fx.signIn(loginClerk, testPassword)
}
