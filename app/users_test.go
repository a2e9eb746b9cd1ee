package app

import (
	"errors"
	"strings"
	"testing"

	"secdoc/models"
)

// lastWith is the newest audit record whose detail contains part.
func lastWith(t testing.TB, s *Service, part string) (models.AuditRecord, bool) {
	t.Helper()
	var r models.AuditRecord
	err := s.DB().Where("detail LIKE ?", "%"+part+"%").Order("seq DESC").Take(&r).Error
	return r, err == nil
}

// TestResetPassword_OfficerNeedsTheOtherOfficer: the system administrator
// alone can't reset the auditor's or a security officer's password and then
// sign in as them: the other officer types their own login and password.
func TestResetPassword_OfficerNeedsTheOtherOfficer(t *testing.T) {
	for _, c := range []struct {
		target, confirmer, confirmerName string
		role                             models.Role
	}{
		{"auditor", "secadmin", "李娜", models.RoleSecAdmin},
		{"secadmin", "auditor", "赵强", models.RoleAuditor},
	} {
		t.Run(c.target, func(t *testing.T) {
			s := newService(t)
			sys := as(t, s, "sysadmin")
			id := mustUserID(t, s, c.target)
			const temp = "Reset-pass-2026"
			hash := func() string {
				var h string
				s.DB().Raw(`SELECT password_hash FROM users WHERE id = ?`, id).Scan(&h)
				return h
			}
			was := hash()
			refused := func(name string, conf *Confirmation, field, want string) error {
				t.Helper()
				before := auditCount(t, s)
				err := s.ResetPassword(sys, id, temp, conf)
				v, ok := models.AsValidation(err)
				if !ok || !strings.Contains(v.Msg(field), want) {
					t.Fatalf("%s: %v, want %s %q", name, err, field, want)
				}
				r := lastAudit(t, s)
				if r.Event != models.EventRuleDenied || r.Success || r.Object != c.target ||
					!strings.HasPrefix(r.Detail, OfficerResetMark+"重置密码：") {
					t.Fatalf("%s: refusal recorded as %+v", name, r)
				}
				if n := auditCount(t, s) - before; n > 2 {
					t.Fatalf("%s: %d records", name, n)
				}
				if hash() != was {
					t.Fatalf("%s: the password was reset", name)
				}
				return err
			}

			refused("no confirmation", nil, "ConfirmLogin", "须经"+c.role.String()+"确认")
			refused("empty confirmation", &Confirmation{}, "ConfirmLogin", "须经")
			refused("no password", &Confirmation{Login: c.confirmer}, "ConfirmPassword", "输入自己的密码")
			refused("the administrator's own credentials", &Confirmation{Login: "sysadmin", Password: testPassword},
				"ConfirmLogin", "系统管理员不能自己确认")
			if n := failedCount(t, s, "sysadmin"); n != 0 {
				t.Fatalf("the administrator's own confirmation counted: %d", n)
			}
			refused("a clerk", &Confirmation{Login: "wangmin", Password: testPassword}, "ConfirmLogin", "不是"+c.role.String())
			refused("the officer themselves", &Confirmation{Login: c.target, Password: testPassword}, "ConfirmLogin", "被重置密码的人")
			err := refused("unknown login", &Confirmation{Login: "nobody", Password: testPassword},
				"ConfirmPassword", "确认人的登录名或密码不对")
			if !errors.Is(err, models.ErrBadCredentials) {
				t.Fatalf("unknown login: %v", err)
			}

			// A wrong password counts towards the confirming officer's lockout.
			err = refused("wrong password", &Confirmation{Login: c.confirmer, Password: "Wrong-pass-1"},
				"ConfirmPassword", "确认人的登录名或密码不对")
			if !errors.Is(err, models.ErrBadCredentials) || failedCount(t, s, c.confirmer) != 1 {
				t.Fatalf("wrong password: %v, count %d", err, failedCount(t, s, c.confirmer))
			}
			if r, ok := lastWith(t, s, "确认人密码错误（连续第 1 次）"); !ok || r.Object != c.confirmer ||
				r.Login != "sysadmin" || r.Success || !strings.HasPrefix(r.Detail, OfficerResetMark) {
				t.Fatalf("the counted failure recorded as %+v", r)
			}

			// The other officer's own password: done, flagged, naming who confirmed.
			if err := s.ResetPassword(sys, id, temp, &Confirmation{Login: " " + c.confirmer + " ", Password: testPassword}); err != nil {
				t.Fatalf("confirmed reset: %v", err)
			}
			r := lastAudit(t, s)
			if r.Event != models.EventUserChange || !r.Success || r.Object != c.target ||
				!strings.HasPrefix(r.Detail, OfficerResetMark) || !strings.Contains(r.Detail, c.confirmer+"（"+c.confirmerName+"）") {
				t.Fatalf("reset recorded as %+v", r)
			}
			if n := failedCount(t, s, c.confirmer); n != 0 {
				t.Fatalf("the confirming officer's count after the right password: %d", n)
			}
			if _, must, err := s.SignIn(c.target, temp); err != nil || !must {
				t.Fatalf("sign-in with the reset password: must %v, %v", must, err)
			}
			if v, err := s.verifyAll(nil); err != nil || !v.OK {
				t.Fatalf("verdict %+v %v", v, err)
			}
		})
	}
}

// TestResetPassword_WrongConfirmationsLockTheOfficerOut: the confirmation is
// a sign-in by another door: its failures lock the confirming account.
func TestResetPassword_WrongConfirmationsLockTheOfficerOut(t *testing.T) {
	s := newService(t)
	sys := as(t, s, "sysadmin")
	id := mustUserID(t, s, "auditor")
	s.SignIn("secadmin", "Wrong-pass-1") // the same count as the sign-in's
	for i := 2; i <= models.DefaultPolicy.MaxFailures; i++ {
		s.ResetPassword(sys, id, "Reset-pass-2026", &Confirmation{Login: "secadmin", Password: "Wrong-pass-1"})
	}
	if _, _, err := s.SignIn("secadmin", testPassword); !errors.Is(err, models.ErrLockedOut) {
		t.Fatalf("the security officer after 5 failures: %v", err)
	}
	err := s.ResetPassword(sys, id, "Reset-pass-2026", &Confirmation{Login: "secadmin", Password: testPassword})
	if v, ok := models.AsValidation(err); !ok || !errors.Is(err, models.ErrLockedOut) ||
		!strings.Contains(v.Msg("ConfirmPassword"), "已锁定") {
		t.Fatalf("confirmation by a locked-out officer: %v", err)
	}
}

// TestResetPassword_ConfirmingOfficerMustBeAnotherPersonWithAKnownPassword:
// the system administrator's own second account, or an officer whose
// password is a first one (known to whoever set it), can't confirm.
func TestResetPassword_ConfirmingOfficerMustBeAnotherPersonWithAKnownPassword(t *testing.T) {
	s := newService(t)
	sys, sec := as(t, s, "sysadmin"), as(t, s, "secadmin")
	id := mustUserID(t, s, "auditor")
	// 张伟, the system administrator, also holds a security officer's account.
	u, err := s.CreateUser(sys, NewAccount{Login: "zhangwei2", FullName: "张伟", Password: "First-pass-1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRole(sec, u.ID, models.RoleSecAdmin); err != nil {
		t.Fatal(err)
	}
	err = s.ResetPassword(sys, id, "Reset-pass-2026", &Confirmation{Login: "zhangwei2", Password: "First-pass-1"})
	if v, ok := models.AsValidation(err); !ok || !strings.Contains(v.Msg("ConfirmLogin"), "系统管理员不能自己确认") {
		t.Fatalf("confirmed by the administrator's own second account: %v", err)
	}
	// 孙丽, a new security officer, has not chosen her own password yet.
	u, err = s.CreateUser(sys, NewAccount{Login: "sunli", FullName: "孙丽", Password: "First-pass-1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRole(sec, u.ID, models.RoleSecAdmin); err != nil {
		t.Fatal(err)
	}
	err = s.ResetPassword(sys, id, "Reset-pass-2026", &Confirmation{Login: "sunli", Password: "First-pass-1"})
	if v, ok := models.AsValidation(err); !ok || !strings.Contains(v.Msg("ConfirmLogin"), "须先登录修改初始密码") {
		t.Fatalf("confirmed with a first password: %v", err)
	}
	// A disabled officer can't confirm either.
	if err := s.SetDisabled(sys, u.ID, true); err != nil {
		t.Fatal(err)
	}
	err = s.ResetPassword(sys, id, "Reset-pass-2026", &Confirmation{Login: "sunli", Password: "First-pass-1"})
	if v, ok := models.AsValidation(err); !ok || !strings.Contains(v.Msg("ConfirmLogin"), "已停用") {
		t.Fatalf("confirmed by a disabled officer: %v", err)
	}
	// A temporary password the policy refuses is refused before the
	// confirmation is checked (and counted).
	err = s.ResetPassword(sys, id, "short", &Confirmation{Login: "secadmin", Password: "Wrong-pass-1"})
	if v, ok := models.AsValidation(err); !ok || v.Msg("Password") == "" || failedCount(t, s, "secadmin") != 0 {
		t.Fatalf("short temporary password: %v, count %d", err, failedCount(t, s, "secadmin"))
	}
}

// TestResetPassword_ClerkOrAdministratorNeedsNoConfirmation: only the two
// officers' passwords need another officer.
func TestResetPassword_ClerkOrAdministratorNeedsNoConfirmation(t *testing.T) {
	s := newService(t)
	sys, sec := as(t, s, "sysadmin"), as(t, s, "secadmin")
	if err := s.ResetPassword(sys, mustUserID(t, s, "wangmin"), "Reset-pass-2026", nil); err != nil {
		t.Fatalf("a clerk's reset: %v", err)
	}
	r := lastAudit(t, s)
	if r.Event != models.EventUserChange || !r.Success || r.Detail != "重置密码（下次登录须修改）" {
		t.Fatalf("clerk's reset recorded as %+v", r)
	}
	if _, must, err := s.SignIn("wangmin", "Reset-pass-2026"); err != nil || !must {
		t.Fatalf("clerk after reset: %v %v", must, err)
	}
	u, err := s.CreateUser(sys, NewAccount{Login: "sysadmin2", FullName: "钱军", Password: "First-pass-1"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRole(sec, u.ID, models.RoleSysAdmin); err != nil {
		t.Fatal(err)
	}
	if err := s.ResetPassword(sys, u.ID, "Reset-pass-2026", nil); err != nil {
		t.Fatalf("another system administrator's reset: %v", err)
	}
	// A confirmation given where none is needed changes nothing.
	if err := s.ResetPassword(sys, u.ID, "Reset-pass-2027", &Confirmation{Login: "secadmin", Password: "Wrong-pass-1"}); err != nil {
		t.Fatalf("reset with a needless confirmation: %v", err)
	}
	if n := failedCount(t, s, "secadmin"); n != 0 {
		t.Fatalf("a needless confirmation counted: %d", n)
	}
	// Only the system administrator resets.
	if err := s.ResetPassword(sec, mustUserID(t, s, "auditor"), "Reset-pass-2026", nil); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("the security officer resets: %v", err)
	}
}
