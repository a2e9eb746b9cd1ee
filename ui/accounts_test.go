package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// accountsFixture signs the system administrator in and returns their home.
func accountsFixture(t *testing.T) (*fixture, *sysAdminHome) {
	t.Helper()
	fx := newShellFixture(t, newService(t, true, true), nil)
	fx.signIn(loginSysAdmin, testPassword)
	if fx.s.sysAdmin == nil {
		t.Fatalf("no system administrator's home: %q", fx.s.signIn.msg.Text)
	}
	return fx, fx.s.sysAdmin
}

// openReset selects login and opens 重置密码 on it.
func openReset(t *testing.T, h *sysAdminHome, login string) *resetDialog {
	t.Helper()
	if !h.users.selectLogin(login) {
		t.Fatalf("no account %s", login)
	}
	test.Tap(h.reset)
	if h.reseter == nil || h.reseter.u.Login != login {
		t.Fatalf("重置密码 did not open for %s", login)
	}
	return h.reseter
}

// TestResetDialog_PasswordsClearedHoweverItCloses: cancelled, closed by
// the window, refused or done, the reset dialog keeps no password, and
// opens again empty.
func TestResetDialog_PasswordsClearedHoweverItCloses(t *testing.T) {
	fx, h := accountsFixture(t)
	r := openReset(t, h, loginClerk)
	if r.confirmLogin != nil || fx.onCanvas("确认人登录名") {
		t.Error("a clerk's reset asks for a confirmation")
	}
	test.Type(r.password, "Reset-pass-2026")
	test.Type(r.confirm, "Reset-pass-2026")
	test.Tap(findButton(t, fx.w.Canvas().Overlays().Top(), "取消"))
	if h.reseter != nil || r.password.Text != "" || r.confirm.Text != "" {
		t.Fatalf("after 取消: open %v, password %q, confirm %q", h.reseter != nil, r.password.Text, r.confirm.Text)
	}
	r = openReset(t, h, loginClerk)
	if r.password.Text != "" || r.confirm.Text != "" {
		t.Fatal("the dialog opened again with a password in it")
	}

	// Closed some other way (the dialog hidden by the window).
	test.Type(r.password, "Reset-pass-2026")
	test.Type(r.confirm, "Reset-pass-2026")
	r.dlg.Hide()
	if r.password.Text != "" || r.confirm.Text != "" {
		t.Fatal("a hidden dialog kept its password")
	}

	// Refused: the password the policy refuses is not kept either.
	r = openReset(t, h, loginClerk)
	test.Type(r.password, "short")
	test.Type(r.confirm, "short")
	test.Tap(r.save)
	if h.reseter == nil || !strings.HasPrefix(r.msgs.text("Password"), "密码至少") || r.password.Text != "" || r.confirm.Text != "" {
		t.Fatalf("refused: message %q, password %q", r.msgs.text("Password"), r.password.Text)
	}

	// Done.
	test.Type(r.password, "Reset-pass-2026")
	test.Type(r.confirm, "Reset-pass-2026")
	test.Tap(r.save)
	if h.reseter != nil || r.password.Text != "" || r.confirm.Text != "" || !strings.Contains(h.status.Text, "已重置 wangmin") {
		t.Fatalf("done: open %v, password %q, status %q", h.reseter != nil, r.password.Text, h.status.Text)
	}
}

// TestResetDialog_OfficerConfirmedByTheOtherOfficer: the auditor's password
// is reset only with the security officer's own login and password, typed
// into the same dialog, whose box never shows it nor keeps it.
func TestResetDialog_OfficerConfirmedByTheOtherOfficer(t *testing.T) {
	fx, h := accountsFixture(t)
	r := openReset(t, h, loginAuditor)
	if r.confirmLogin == nil || r.confirmPassword == nil || !fx.onCanvas("安全保密管理员确认") ||
		!fx.onCanvas("安全审计员的密码不能由系统管理员一人重置") {
		t.Fatal("the auditor's reset does not ask for the security officer")
	}
	if _, plain := r.confirmPassword.ActionItem.(*canvas.Rectangle); !r.confirmPassword.Password || !plain {
		t.Errorf("the confirming password can be shown: %T", r.confirmPassword.ActionItem)
	}
	test.Type(r.password, "Reset-pass-2026")
	test.Type(r.confirm, "Reset-pass-2026")
	test.Tap(r.save)
	if got := r.msgs.text("ConfirmLogin"); !strings.Contains(got, "须经安全保密管理员确认") || h.reseter == nil {
		t.Fatalf("no confirmation: %q", got)
	}
	try := func(login, pw, field, want string) {
		t.Helper()
		r.confirmLogin.SetText("")
		test.Type(r.confirmLogin, login)
		test.Type(r.confirmPassword, pw)
		pressEnter(r.confirmPassword)
		if got := r.msgs.text(field); !strings.Contains(got, want) || h.reseter == nil {
			t.Fatalf("%s: %s says %q, want %q", login, field, got, want)
		}
		if r.confirmPassword.Text != "" {
			t.Fatalf("%s: the confirming password stayed in its box", login)
		}
	}
	try(loginSysAdmin, testPassword, "ConfirmLogin", "系统管理员不能自己确认")
	try(loginSecAdmin, "Wrong-pass-1", "ConfirmPassword", "确认人的登录名或密码不对")
	if r.password.Text != "Reset-pass-2026" {
		t.Error("a wrong confirmation cleared the administrator's temporary password")
	}
	test.Type(r.confirmPassword, testPassword)
	pressEnter(r.confirmPassword)
	if h.reseter != nil || !strings.Contains(h.status.Text, "经安全保密管理员确认") {
		t.Fatalf("confirmed reset: open %v, status %q, messages %q %q", h.reseter != nil, h.status.Text,
			r.msgs.text("ConfirmLogin"), r.msgs.text("ConfirmPassword"))
	}
	if r.password.Text != "" || r.confirmPassword.Text != "" {
		t.Error("passwords kept after the reset")
	}
	var d string
	fx.svc.DB().Raw(`SELECT detail FROM audit_log WHERE event = ? AND success = 1 ORDER BY seq DESC LIMIT 1`,
		models.EventUserChange).Scan(&d)
	if !strings.HasPrefix(d, app.OfficerResetMark) || !strings.Contains(d, loginSecAdmin+"（李娜）") {
		t.Errorf("reset recorded as %q", d)
	}

	// A security officer's reset asks the auditor; cancelled, nothing stays.
	r = openReset(t, h, loginSecAdmin)
	if !fx.onCanvas("安全审计员确认") {
		t.Error("the security officer's reset does not ask for the auditor")
	}
	test.Type(r.password, "Reset-pass-2026")
	test.Type(r.confirmLogin, loginAuditor)
	test.Type(r.confirmPassword, "Some-pass-2026")
	test.Tap(findButton(t, fx.w.Canvas().Overlays().Top(), "取消"))
	if r.password.Text != "" || r.confirmPassword.Text != "" {
		t.Error("passwords kept after 取消")
	}
}

// TestChangePassword_FieldsClearedOnCancelAndReopenEmpty: 修改密码 keeps
// nothing typed once left, and its wrong old passwords lock the account.
func TestChangePassword_FieldsClearedOnCancelAndReopenEmpty(t *testing.T) {
	fx := newFixture(t)
	test.Tap(findButton(t, fx.s.home, "修改密码"))
	p := fx.s.password
	test.Type(p.old, testPassword)
	test.Type(p.new, "Neues-pass-2026")
	test.Type(p.confirm, "Neues-pass-2026")
	test.Tap(findButton(t, p.content, "取消"))
	if p.old.Text != "" || p.new.Text != "" || p.confirm.Text != "" {
		t.Fatalf("after 取消: %q %q %q", p.old.Text, p.new.Text, p.confirm.Text)
	}
	test.Tap(findButton(t, fx.s.home, "修改密码"))
	p = fx.s.password
	if p.old.Text != "" || p.new.Text != "" || p.confirm.Text != "" {
		t.Fatal("修改密码 opened again with text in it")
	}

	// A new password the policy refuses is not kept.
	test.Type(p.old, testPassword)
	test.Type(p.new, "short")
	test.Type(p.confirm, "short")
	test.Tap(p.save)
	if p.msgs.text("NewPassword") == "" || p.new.Text != "" || p.confirm.Text != "" {
		t.Fatalf("refused new password: %q, kept %q", p.msgs.text("NewPassword"), p.new.Text)
	}

	// Wrong old passwords count towards the lockout, and say so.
	for i := 1; i <= models.DefaultPolicy.MaxFailures; i++ {
		for _, e := range []*entry{p.old, p.new, p.confirm} {
			e.SetText("")
		}
		test.Type(p.old, fmt.Sprintf("Wrong-pass-%d", i))
		test.Type(p.new, "Neues-pass-2026")
		test.Type(p.confirm, "Neues-pass-2026")
		test.Tap(p.save)
		if i < models.DefaultPolicy.MaxFailures && (p.msgs.text("OldPassword") != "原密码不对" ||
			!strings.Contains(p.msgs.text(""), fmt.Sprintf("再输错 %d 次", models.DefaultPolicy.MaxFailures-i))) {
			t.Fatalf("wrong old password %d: %q / %q", i, p.msgs.text("OldPassword"), p.msgs.text(""))
		}
	}
	if !strings.Contains(p.msgs.text(""), "账户已锁定") || p.old.Text != "" || p.new.Text != "" || p.confirm.Text != "" {
		t.Fatalf("after the lockout: %q, kept %q %q %q", p.msgs.text(""), p.old.Text, p.new.Text, p.confirm.Text)
	}
}

// TestLockAndSignIn_PasswordsNotKeptOnceUsed: the lock screen's and the
// sign-in screen's passwords are emptied when they have done their work.
func TestLockAndSignIn_PasswordsNotKeptOnceUsed(t *testing.T) {
	fx := newShellFixture(t, newService(t, true, true), nil)
	v := fx.s.signIn
	fx.signIn(loginClerk, testPassword)
	if fx.s.clerk == nil || v.password.Text != "" {
		t.Fatalf("signed in %v, password kept %q", fx.s.clerk != nil, v.password.Text)
	}
	fx.s.lockNow("手动锁定")
	l := fx.s.lock
	test.Type(l.password, testPassword)
	test.Tap(l.unlock)
	if fx.s.locked || l.password.Text != "" {
		t.Fatalf("unlocked %v, password kept %q", !fx.s.locked, l.password.Text)
	}
	fx.s.lockNow("手动锁定")
	l = fx.s.lock
	test.Type(l.password, "half-typed")
	test.Tap(l.switchUser)
	if fx.s.sess != nil || l.password.Text != "" {
		t.Fatalf("switched user: signed out %v, password kept %q", fx.s.sess == nil, l.password.Text)
	}
}
