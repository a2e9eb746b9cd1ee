package app

// The first run: the office, the security policy and the accounts of the
// three administrators and the clerks.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// Policy reads the security policy.
func (s *Service) Policy() (models.Policy, error) {
	p := models.DefaultPolicy
	var rows []models.Setting
	if err := s.db.Where("key LIKE 'policy.%'").Find(&rows).Error; err != nil {
		return p, err
	}
	for _, r := range rows {
		n, err := strconv.Atoi(r.Value)
		if err != nil {
			continue
		}
		switch r.Key {
		case "policy.min_length":
			p.MinLength = n
		case "policy.min_classes":
			p.MinClasses = n
		case "policy.max_failures":
			p.MaxFailures = n
		case "policy.lockout_minutes":
			p.LockoutMinutes = n
		case "policy.idle_minutes":
			p.IdleMinutes = n
		}
	}
	return p, nil
}

// CheckPolicy returns the Chinese reason a policy is unacceptable, or "".
func CheckPolicy(p models.Policy) string {
	switch {
	case p.MinLength < 8 || p.MinLength > 64:
		return "密码最短长度应在 8 到 64 之间"
	case p.MinClasses < 2 || p.MinClasses > 4:
		return "密码字符类别应为 2 到 4 类"
	case p.MaxFailures < 3 || p.MaxFailures > 10:
		return "连续失败次数上限应在 3 到 10 之间"
	case p.LockoutMinutes < 5 || p.LockoutMinutes > 1440:
		return "锁定时长应在 5 到 1440 分钟之间"
	case p.IdleMinutes < 1 || p.IdleMinutes > 60:
		return "空闲锁屏时间应在 1 到 60 分钟之间"
	}
	return ""
}

func writePolicy(tx *gorm.DB, p models.Policy) error {
	for k, v := range map[string]int{"policy.min_length": p.MinLength, "policy.min_classes": p.MinClasses,
		"policy.max_failures": p.MaxFailures, "policy.lockout_minutes": p.LockoutMinutes,
		"policy.idle_minutes": p.IdleMinutes} {
		if err := setSetting(tx, k, strconv.Itoa(v)); err != nil {
			return err
		}
	}
	return nil
}

func setSetting(tx *gorm.DB, key, value string) error {
	return tx.Exec(`INSERT INTO settings(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value).Error
}

// OfficeName is the office's name as forms print it.
func (s *Service) OfficeName() string {
	var v string
	s.db.Raw(`SELECT value FROM settings WHERE key = 'office_name'`).Scan(&v)
	return v
}

// NeedsSetup reports whether no account exists yet: the first run.
func (s *Service) NeedsSetup() (bool, error) {
	var n int64
	err := s.db.Model(&models.User{}).Count(&n).Error
	return n == 0, err
}

// NewAccount is an account to create: login, the person's name, a first password.
type NewAccount struct {
	Login, FullName, Password string
}

// SetupInput is what the first-run wizard collects.
type SetupInput struct {
	OfficeName                  string
	Policy                      models.Policy
	SysAdmin, SecAdmin, Auditor NewAccount
	Clerks                      []NewAccount
}

func fieldErr(field, format string, args ...any) *models.ValidationError {
	return &models.ValidationError{Fields: []models.FieldError{{Field: field, Msg: fmt.Sprintf(format, args...)}}}
}

// checkAccount validates a new account (field names are prefixed by the caller's key).
func checkAccount(p models.Policy, key string, a NewAccount, v *models.ValidationError) {
	if strings.TrimSpace(a.Login) == "" || strings.ContainsAny(a.Login, " \t:") {
		v.Fields = append(v.Fields, models.FieldError{Field: key + ".Login", Msg: "请填写登录名（不含空格和冒号）"})
	}
	if strings.TrimSpace(a.FullName) == "" {
		v.Fields = append(v.Fields, models.FieldError{Field: key + ".FullName", Msg: "请填写使用这个账户的人的姓名"})
	}
	if msg := CheckPassword(p, a.Login, a.Password); msg != "" {
		v.Fields = append(v.Fields, models.FieldError{Field: key + ".Password", Msg: msg})
	}
}

// separatePeople refuses one person as auditor and as another administrator (R18).
func separatePeople(auditor string, admins ...string) string {
	for _, a := range admins {
		if strings.TrimSpace(a) != "" && strings.TrimSpace(a) == strings.TrimSpace(auditor) {
			return fmt.Sprintf("安全审计员不能与系统管理员或安全保密管理员是同一人（%s）", strings.TrimSpace(a))
		}
	}
	return ""
}

// Setup creates the first accounts: the three administrators and at least one
// clerk, the office name and the policy. It works only once, on a database
// without accounts. Every account must choose its own password at its first
// sign-in: the passwords typed here are known to whoever ran the setup.
func (s *Service) Setup(in SetupInput) error {
	var v models.ValidationError
	if msg := CheckPolicy(in.Policy); msg != "" {
		return fieldErr("Policy", "%s", msg)
	}
	if strings.TrimSpace(in.OfficeName) == "" {
		v.Fields = append(v.Fields, models.FieldError{Field: "OfficeName", Msg: "请填写单位名称（打印在表单标题中）"})
	}
	checkAccount(in.Policy, "SysAdmin", in.SysAdmin, &v)
	checkAccount(in.Policy, "SecAdmin", in.SecAdmin, &v)
	checkAccount(in.Policy, "Auditor", in.Auditor, &v)
	if len(in.Clerks) == 0 {
		v.Fields = append(v.Fields, models.FieldError{Field: "Clerks", Msg: "至少要有一名机要员"})
	}
	for i, c := range in.Clerks {
		checkAccount(in.Policy, fmt.Sprintf("Clerks.%d", i), c, &v)
	}
	if msg := separatePeople(in.Auditor.FullName, in.SysAdmin.FullName, in.SecAdmin.FullName); msg != "" {
		v.Fields = append(v.Fields, models.FieldError{Field: "Auditor.FullName", Msg: msg})
	}
	logins := map[string]bool{}
	all := append([]NewAccount{in.SysAdmin, in.SecAdmin, in.Auditor}, in.Clerks...)
	for _, a := range all {
		if logins[a.Login] && a.Login != "" {
			v.Fields = append(v.Fields, models.FieldError{Field: "Login", Msg: fmt.Sprintf("登录名“%s”重复了", a.Login)})
		}
		logins[a.Login] = true
	}
	if len(v.Fields) > 0 {
		return &v
	}
	return s.write(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&models.User{}).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return models.ErrAlreadySetUp
		}
		if err := setSetting(tx, "office_name", strings.TrimSpace(in.OfficeName)); err != nil {
			return err
		}
		if err := writePolicy(tx, in.Policy); err != nil {
			return err
		}
		roles := []models.Role{models.RoleSysAdmin, models.RoleSecAdmin, models.RoleAuditor}
		for i, a := range all {
			role := models.RoleClerk
			if i < 3 {
				role = roles[i]
			}
			if _, err := s.createUser(tx, "初始化", a, role, true); err != nil {
				return err
			}
		}
		return s.audit(tx, nil, models.EventSetup, strings.TrimSpace(in.OfficeName), true,
			fmt.Sprintf("建立三员账户和 %d 名机要员账户", len(in.Clerks)))
	})
}

func (s *Service) createUser(tx *gorm.DB, by string, a NewAccount, role models.Role, mustChange bool) (models.User, error) {
	now := s.now()
	u := models.User{ID: uuid.NewString(), Login: strings.TrimSpace(a.Login), FullName: strings.TrimSpace(a.FullName),
		Role: role, PasswordHash: hashPassword(a.Password), MustChange: mustChange,
		CreatedAt: now, CreatedBy: by, UpdatedAt: now, Version: 1}
	if err := tx.Create(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return u, fieldErr("Login", "登录名“%s”已被使用", u.Login)
		}
		return u, fmt.Errorf("create account %s: %w", u.Login, err)
	}
	return u, nil
}
