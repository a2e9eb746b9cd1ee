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
func (s *Service) changeUser(sess *Session, id string, event string, change func(tx *gorm.DB, u *models.User) (map[string]any, string, error)) error {
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

// ResetPassword is the system administrator's: a temporary password the
// account must change at its next sign-in; it also lifts a lockout.
func (s *Service) ResetPassword(sess *Session, id, temp string) (err error) {
	defer s.refused(sess, "ResetPassword", id, &err)
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return err
	}
	pol, err := s.Policy()
	if err != nil {
		return err
	}
	return s.changeUser(sess, id, models.EventUserChange, func(tx *gorm.DB, u *models.User) (map[string]any, string, error) {
		if msg := CheckPassword(pol, u.Login, temp); msg != "" {
			return nil, "", fieldErr("Password", "%s", msg)
		}
		return map[string]any{"password_hash": hashPassword(temp), "must_change": true, "failed_count": 0,
			"locked_until": nil}, "重置密码（下次登录须修改）", nil
	})
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
