package app

import (
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"secdoc/models"
)

// Users lists every account (the administrators see them; nobody sees hashes).
func (s *Service) Users(sess *Session) (_ []models.User, err error) {
	defer s.refused(sess, "Users", "", &err)
	if err := s.authorize(sess, models.RoleSysAdmin, models.RoleSecAdmin); err != nil {
		return nil, err
	}
	var out []models.User
	err = s.db.Order(`CASE role WHEN 'sysadmin' THEN 0 WHEN 'secadmin' THEN 1 WHEN 'auditor' THEN 2 ELSE 3 END, login`).
		Find(&out).Error
	for i := range out {
		out[i].PasswordHash = ""
	}
	return out, err
}

// CreateUser is the system administrator's: a new account, always a clerk
// at first (the security officer assigns other roles), with a first password
// that must be changed at the first sign-in.
func (s *Service) CreateUser(sess *Session, a NewAccount) (_ models.User, err error) {
	defer s.refused(sess, "CreateUser", a.Login, &err)
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return models.User{}, err
	}
	pol, err := s.Policy()
	if err != nil {
		return models.User{}, err
	}
	var v models.ValidationError
	checkAccount(pol, "", a, &v)
	if len(v.Fields) > 0 {
		for i := range v.Fields {
			v.Fields[i].Field = strings.TrimPrefix(v.Fields[i].Field, ".")
		}
		return models.User{}, &v
	}
	var u models.User
	err = s.write(func(tx *gorm.DB) error {
		u, err = s.createUser(tx, sess.FullName, a, models.RoleClerk, true)
		if err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventUserCreate, u.Login, true,
			fmt.Sprintf("新建账户 %s（%s），角色%s", u.Login, u.FullName, u.Role))
	})
	u.PasswordHash = ""
	return u, err
}

// changeUser loads an account, applies change and audits it in one transaction.
// An account whose row no longer matches its seal is refused: writing it
// would seal what another tool wrote.
func (s *Service) changeUser(sess *Session, id string, event string, change func(tx *gorm.DB, u *models.User) (map[string]any, string, error)) error {
	if err := s.rowIntact("users", whereID, "账户记录", id); err != nil {
		return err
	}
	return s.write(func(tx *gorm.DB) error {
		var u models.User
		if err := tx.Where("id = ?", id).Take(&u).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("account %s: %w", id, models.ErrNotFound)
			}
			return err
		}
		updates, detail, err := change(tx, &u)
		if err != nil {
			return err
		}
		updates["updated_at"] = s.now()
		updates["version"] = gorm.Expr("version + 1")
		if err := tx.Model(&models.User{}).Where("id = ?", u.ID).Updates(updates).Error; err != nil {
			return err
		}
		return s.audit(tx, sess, event, u.Login, true, detail)
	})
}

// Confirmation is another officer's own login and password, typed by that
// officer into the system administrator's reset dialog: the system
// administrator alone can't reset the password of the auditor or of a
// security officer (and then sign in as them).
type Confirmation struct {
	Login, Password string
}

// OfficerResetMark begins the audit detail of every reset of the auditor's
// or a security officer's password, done or refused, so that the auditor
// sees it flagged.
const OfficerResetMark = "【三员密码重置】"

// ResetConfirmer is the role whose officer must confirm the reset of the
// password of an account with role: the security officer for the auditor,
// the auditor for a security officer. ok is false when nobody need confirm
// (a clerk, a system administrator).
func ResetConfirmer(role models.Role) (confirmer models.Role, ok bool) {
	switch role {
	case models.RoleAuditor:
		return models.RoleSecAdmin, true
	case models.RoleSecAdmin:
		return models.RoleAuditor, true
	}
	return "", false
}

// ResetPassword is the system administrator's: a temporary password the
// account must change at its next sign-in; it also lifts a lockout. The
// password of the auditor needs the confirmation of the security officer,
// that of a security officer the auditor's (confirm: their own login and
// password, checked like a sign-in: a wrong password counts towards their
// account's lockout); confirm is ignored for other accounts. Such a reset
// is recorded with a detail beginning with OfficerResetMark that names who
// confirmed.
func (s *Service) ResetPassword(sess *Session, id, temp string, confirm *Confirmation) (err error) {
	defer s.refused(sess, "ResetPassword", id, &err)
	var target models.User
	officer := false
	defer func() {
		// A refused reset of an officer's password is recorded flagged too
		// (and then once only).
		var done *refusalError
		event, reason, ok := refusal(err)
		if !officer || !ok || errors.As(err, &done) {
			return
		}
		if s.auditAlone(sess, event, target.Login, false,
			OfficerResetMark+OperationLabel("ResetPassword")+"："+reason) == nil {
			err = &refusalError{err}
		}
	}()
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return err
	}
	pol, err := s.Policy()
	if err != nil {
		return err
	}
	if err := s.db.Where("id = ?", id).Take(&target).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("account %s: %w", id, models.ErrNotFound)
		}
		return err
	}
	_, officer = ResetConfirmer(target.Role)
	// The temporary password first: a confirmation is not spent on a
	// reset the policy refuses anyway.
	if msg := CheckPassword(pol, target.Login, temp); msg != "" {
		return fieldErr("Password", "%s", msg)
	}
	var confirmer *models.User
	if need, ok := ResetConfirmer(target.Role); ok {
		c, err := s.checkConfirmation(sess, target, need, confirm, pol)
		if err != nil {
			return err
		}
		confirmer = &c
	}
	return s.changeUser(sess, id, models.EventUserChange, func(tx *gorm.DB, u *models.User) (map[string]any, string, error) {
		if msg := CheckPassword(pol, u.Login, temp); msg != "" {
			return nil, "", fieldErr("Password", "%s", msg)
		}
		updates := map[string]any{"password_hash": hashPassword(temp), "must_change": true, "failed_count": 0,
			"locked_until": nil}
		need, ok := ResetConfirmer(u.Role)
		if !ok && confirmer == nil {
			return updates, "重置密码（下次登录须修改）", nil
		}
		if u.Role != target.Role {
			return nil, "", fieldErr("", "%s 的角色刚刚改变，请重新选择账户后再重置密码", u.Login)
		}
		// The confirming officer as they are now: still enabled, of the
		// role, and not locked out.
		c, err := reloadUser(tx, confirmer.ID)
		if err != nil {
			return nil, "", err
		}
		if c.Disabled || c.Role != need || s.now().Before(c.LockedUntil) {
			return nil, "", fieldErr("ConfirmLogin", "确认人 %s 的账户刚刚停用、锁定或改变了角色，不能确认", c.Login)
		}
		// The right password clears the confirming account's count of
		// failures, as a sign-in does.
		if c.FailedCount != 0 {
			if err := tx.Model(&models.User{}).Where("id = ?", c.ID).Update("failed_count", 0).Error; err != nil {
				return nil, "", err
			}
		}
		return updates, fmt.Sprintf("%s重置%s %s（%s）的密码（下次登录须修改），经%s %s（%s）本人输入密码确认",
			OfficerResetMark, u.Role, u.Login, u.FullName, c.Role, c.Login, c.FullName), nil
	})
}

// checkConfirmation checks the officer's confirmation of the reset of
// target's password: the login of an enabled account of the role need,
// held by someone other than the system administrator resetting, whose
// password is known (not a first or reset one still to be changed), and
// its password, checked like a sign-in's: a wrong one counts towards that
// account's lockout and is audited. It returns the confirming account.
func (s *Service) checkConfirmation(sess *Session, target models.User, need models.Role, confirm *Confirmation, pol models.Policy) (models.User, error) {
	var c models.User
	if confirm == nil || strings.TrimSpace(confirm.Login) == "" {
		return c, fieldErr("ConfirmLogin", "重置%s的密码须经%s确认：请%s本人在此输入自己的登录名和密码",
			target.Role, need, need)
	}
	if confirm.Password == "" {
		return c, fieldErr("ConfirmPassword", "请%s本人输入自己的密码", need)
	}
	wrong := func(cause error, format string, args ...any) error {
		v := fieldErr("ConfirmPassword", format, args...)
		v.Cause = cause
		return v
	}
	login := strings.TrimSpace(confirm.Login)
	err := s.db.Where("login = ?", login).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		checkDummy(confirm.Password)
		return c, wrong(models.ErrBadCredentials, "确认人的登录名或密码不对")
	}
	if err != nil {
		return c, err
	}
	samePerson := strings.TrimSpace(c.FullName) == strings.TrimSpace(sess.FullName)
	switch {
	case c.ID == sess.UserID || samePerson:
		return c, fieldErr("ConfirmLogin", "须由%s本人确认，系统管理员不能自己确认", need)
	case c.ID == target.ID || strings.TrimSpace(c.FullName) == strings.TrimSpace(target.FullName):
		return c, fieldErr("ConfirmLogin", "须由%s确认，不能由被重置密码的人自己确认", need)
	case c.Role != need:
		return c, fieldErr("ConfirmLogin", "%s 不是%s账户：重置%s的密码须由%s确认", c.Login, need, target.Role, need)
	case c.Disabled:
		return c, fieldErr("ConfirmLogin", "%s 的账户已停用，不能确认", c.Login)
	case c.MustChange:
		return c, fieldErr("ConfirmLogin", "%s 须先登录修改初始密码（现在的密码可能为他人所知），才能确认", c.Login)
	case s.now().Before(c.LockedUntil):
		return c, wrong(models.ErrLockedOut, "确认人的账户因连续输错密码已锁定，请于 %s 后再试",
			c.LockedUntil.Local().Format("15:04"))
	}
	if err := s.rowIntact("users", whereID, "账户记录", c.ID); err != nil {
		return c, err
	}
	if !checkPassword(c.PasswordHash, confirm.Password) {
		f, err := s.countFailure(sess, c, pol, models.EventUserChange, c.Login,
			fmt.Sprintf("%s确认重置%s %s 的密码：确认人密码错误", OfficerResetMark, target.Role, target.Login))
		switch {
		case err != nil:
			return c, err
		case f.bar != nil && errors.Is(f.bar, models.ErrDisabled):
			return c, fieldErr("ConfirmLogin", "%s 的账户已停用，不能确认", c.Login)
		case f.bar != nil:
			return c, wrong(models.ErrLockedOut, "确认人的账户因连续输错密码已锁定，请于 %s 后再试", f.bar.Until.Local().Format("15:04"))
		case !f.until.IsZero():
			return c, wrong(models.ErrLockedOut, "确认人的登录名或密码不对；该账户连续输错次数过多，已锁定至 %s",
				f.until.Local().Format("15:04"))
		}
		return c, wrong(models.ErrBadCredentials, "确认人的登录名或密码不对")
	}
	return c, nil
}

// UnlockAccount is the system administrator's: lifts a lockout.
func (s *Service) UnlockAccount(sess *Session, id string) (err error) {
	defer s.refused(sess, "UnlockAccount", id, &err)
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return err
	}
	return s.changeUser(sess, id, models.EventUserChange, func(tx *gorm.DB, u *models.User) (map[string]any, string, error) {
		return map[string]any{"failed_count": 0, "locked_until": nil}, "解除锁定", nil
	})
}

// SetDisabled is the system administrator's: stops or restores an account.
// Accounts are never deleted, so that the records they signed keep a name.
func (s *Service) SetDisabled(sess *Session, id string, disabled bool) (err error) {
	defer s.refused(sess, "SetDisabled", id, &err)
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return err
	}
	return s.changeUser(sess, id, models.EventUserChange, func(tx *gorm.DB, u *models.User) (map[string]any, string, error) {
		if u.ID == sess.UserID {
			return nil, "", fieldErr("Disabled", "不能停用自己的账户")
		}
		if disabled {
			if err := keepOne(tx, u, ""); err != nil {
				return nil, "", err
			}
			return map[string]any{"disabled": true}, "停用账户", nil
		}
		if msg := s.personConflict(tx, u.FullName, u.Role, u.ID); msg != "" {
			return nil, "", fieldErr("Role", "%s", msg)
		}
		return map[string]any{"disabled": false}, "启用账户", nil
	})
}

// keepOne refuses a change that would leave an administrator role without
// an enabled account.
func keepOne(tx *gorm.DB, u *models.User, newRole models.Role) error {
	if !u.Role.Admin() || u.Disabled || newRole == u.Role {
		return nil
	}
	var n int64
	tx.Model(&models.User{}).Where("role = ? AND disabled = 0 AND id <> ?", u.Role, u.ID).Count(&n)
	if n == 0 {
		return fieldErr("Role", "至少要保留一个可用的%s账户", u.Role)
	}
	return nil
}

// personConflict returns why fullName can't hold role beside their other
// enabled accounts: the auditor is never the same person as the system
// administrator or the security officer (R18).
func (s *Service) personConflict(tx *gorm.DB, fullName string, role models.Role, except string) string {
	var others []models.User
	tx.Where("full_name = ? AND disabled = 0 AND id <> ?", strings.TrimSpace(fullName), except).Find(&others)
	for _, o := range others {
		if (role == models.RoleAuditor && (o.Role == models.RoleSysAdmin || o.Role == models.RoleSecAdmin)) ||
			(o.Role == models.RoleAuditor && (role == models.RoleSysAdmin || role == models.RoleSecAdmin)) {
			return fmt.Sprintf("%s已有%s账户（%s）：安全审计员不能与系统管理员或安全保密管理员是同一人",
				fullName, o.Role, o.Login)
		}
	}
	return ""
}

// SetRole is the security officer's: assigns an account's role, keeping the
// three administrators separate (R18).
func (s *Service) SetRole(sess *Session, id string, role models.Role) (err error) {
	defer s.refused(sess, "SetRole", id, &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return err
	}
	if !role.Valid() {
		return fieldErr("Role", "请选择角色")
	}
	return s.changeUser(sess, id, models.EventUserChange, func(tx *gorm.DB, u *models.User) (map[string]any, string, error) {
		if u.ID == sess.UserID {
			return nil, "", fieldErr("Role", "不能改变自己的角色")
		}
		if err := keepOne(tx, u, role); err != nil {
			return nil, "", err
		}
		if msg := s.personConflict(tx, u.FullName, role, u.ID); msg != "" {
			return nil, "", fieldErr("Role", "%s", msg)
		}
		return map[string]any{"role": role}, fmt.Sprintf("角色 %s → %s", u.Role, role), nil
	})
}

// SetPolicy is the security officer's.
func (s *Service) SetPolicy(sess *Session, p models.Policy) (err error) {
	defer s.refused(sess, "SetPolicy", "", &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return err
	}
	if msg := CheckPolicy(p); msg != "" {
		return fieldErr("Policy", "%s", msg)
	}
	old, err := s.Policy()
	if err != nil {
		return err
	}
	return s.write(func(tx *gorm.DB) error {
		if err := writePolicy(tx, p); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventPolicyChange, "安全策略", true, fmt.Sprintf("%+v → %+v", old, p))
	})
}

// SetOfficeName is the system administrator's: the name forms print.
func (s *Service) SetOfficeName(sess *Session, name string) (err error) {
	defer s.refused(sess, "SetOfficeName", "", &err)
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return fieldErr("OfficeName", "请填写单位名称")
	}
	old := s.OfficeName()
	return s.write(func(tx *gorm.DB) error {
		if err := setSetting(tx, "office_name", name); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventSettingsChange, "单位名称", true, old+" → "+name)
	})
}
