package app

// The demo accounts, one per role.

import (
	"gorm.io/gorm"

	"secdoc/models"
)

// DemoLogins are the accounts SetupDemo creates, one per role.
var DemoLogins = []struct {
	Login, FullName string
	Role            models.Role
}{
	{"sysadmin", "演示系统管理员", models.RoleSysAdmin},
	{"secadmin", "演示安全保密管理员", models.RoleSecAdmin},
	{"auditor", "演示安全审计员", models.RoleAuditor},
	{"clerk", "演示机要员", models.RoleClerk},
}

// SetupDemo is Setup for trying the program only: one account per role, all
// with the same password and no forced change, on a database without accounts.
func (s *Service) SetupDemo(password string) error {
	if msg := CheckPassword(models.DefaultPolicy, "", password); msg != "" {
		return fieldErr("Password", "演示密码不符合密码策略：%s", msg)
	}
	return s.write(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.User{}).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return models.ErrAlreadySetUp
		}
		if err := setSetting(tx, "office_name", "遂安市演示单位机要室"); err != nil {
			return err
		}
		if err := writePolicy(tx, models.DefaultPolicy); err != nil {
			return err
		}
		for _, d := range DemoLogins {
			if _, err := s.createUser(tx, "演示", NewAccount{Login: d.Login, FullName: d.FullName, Password: password},
				d.Role, false); err != nil {
				return err
			}
		}
		return s.audit(tx, nil, models.EventSetup, "演示数据库", true, "建立演示账户（仅供试用）")
	})
}
