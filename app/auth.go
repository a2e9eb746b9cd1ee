package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/crypto/argon2"
	"gorm.io/gorm"

	"secdoc/models"
)

// Session is a signed-in user. Every use case takes one and checks, against
// the database, that its account may still do what is asked.
type Session struct {
	UserID   string
	Login    string
	FullName string
	Role     models.Role

	token string // identifies the sign-in among the service's live sessions
}

// sessionState is what the service knows of a live sign-in.
type sessionState struct {
	locked bool
}

// ErrSessionLocked means the window that holds the session is locked.
var ErrSessionLocked = errors.New("session locked")

func (s *Service) startSession(sess *Session) {
	sess.token = uuid.NewString()
	s.sessions.Store(sess.token, &sessionState{})
}

// live checks that sess is a sign-in of this service, not ended and not
// locked: a locked or signed-out window's session can do nothing.
func (s *Service) live(sess *Session) error {
	if sess == nil || sess.token == "" {
		return models.ErrNotSignedIn
	}
	v, ok := s.sessions.Load(sess.token)
	if !ok {
		return models.ErrNotSignedIn
	}
	s.sessMu.Lock()
	defer s.sessMu.Unlock()
	if v.(*sessionState).locked {
		return ErrSessionLocked
	}
	return nil
}

func (s *Service) setLocked(sess *Session, locked bool) {
	if sess == nil {
		return
	}
	if v, ok := s.sessions.Load(sess.token); ok {
		s.sessMu.Lock()
		v.(*sessionState).locked = locked
		s.sessMu.Unlock()
	}
}

// Argon2Params are the argon2id cost parameters for new password hashes.
// Tests lower them; stored hashes carry their own.
var Argon2Params = struct {
	Time, MemoryKiB uint32
	Threads         uint8
}{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}

func hashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	p := Argon2Params
	sum := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.MemoryKiB, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(sum))
}

func checkPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash makes a sign-in with an unknown login cost as much as a real one.
var dummyHash = ""

// CheckPassword tests a new password against the policy and returns the
// Chinese reason it is refused, or "".
func CheckPassword(p models.Policy, login, pw string) string {
	if n := utf8.RuneCountInString(pw); n < p.MinLength {
		return fmt.Sprintf("密码至少 %d 位，现在只有 %d 位", p.MinLength, n)
	}
	var upper, lower, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsSpace(r):
			return "密码不能含空格"
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{upper, lower, digit, other} {
		if b {
			classes++
		}
	}
	if classes < p.MinClasses {
		return fmt.Sprintf("密码须包含大写字母、小写字母、数字、符号中的至少 %d 类", p.MinClasses)
	}
	if login != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(login)) {
		return "密码不能包含登录名"
	}
	return ""
}

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

// SignInError says why a sign-in failed, in a way that does not reveal
// whether the login exists.
type SignInError struct {
	Err   error
	Until time.Time // for ErrLockedOut
	Left  int       // attempts left before lockout, when unlocking one's own window
	// The policy, said alike for an unknown login and a wrong password.
	MaxFailures, LockoutMinutes int
}

func (e *SignInError) Error() string { return e.Err.Error() }
func (e *SignInError) Unwrap() error { return e.Err }

// Message is the Chinese sentence for the sign-in screen.
func (e *SignInError) Message() string {
	switch {
	case errors.Is(e.Err, models.ErrLockedOut):
		return fmt.Sprintf("连续输错密码次数过多，账户已锁定，请于 %s 后再试，或请系统管理员解锁", e.Until.Local().Format("15:04"))
	case errors.Is(e.Err, models.ErrDisabled):
		return "该账户已停用，请联系系统管理员"
	}
	if e.Left > 0 { // unlocking one's own window: the account is known
		return fmt.Sprintf("密码不对（再错 %d 次账户将被锁定）", e.Left)
	}
	// The same words for an unknown login and a wrong password: which
	// logins exist is not told to a guesser.
	if e.MaxFailures > 0 {
		return fmt.Sprintf("登录名或密码不对（同一账户连续输错 %d 次将被锁定 %d 分钟）", e.MaxFailures, e.LockoutMinutes)
	}
	return "登录名或密码不对"
}

// SignIn checks a login and password. Failures are counted; after the
// policy's number of failures in a row the account is locked out for the
// policy's time. Every attempt is audited. A session whose account must
// change its password can do nothing but ChangePassword.
func (s *Service) SignIn(login, password string) (*Session, bool, error) {
	login = strings.TrimSpace(login)
	pol, err := s.Policy()
	if err != nil {
		return nil, false, err
	}
	var u models.User
	err = s.db.Where("login = ?", login).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		if dummyHash == "" {
			dummyHash = hashPassword("secdoc-dummy")
		}
		checkPassword(dummyHash, password)
		s.auditAlone(nil, models.EventSignIn, login, false, "登录名不存在")
		return nil, false, &SignInError{Err: models.ErrBadCredentials, MaxFailures: pol.MaxFailures,
			LockoutMinutes: pol.LockoutMinutes}
	}
	if err != nil {
		return nil, false, err
	}
	now := s.now()
	sess := &Session{UserID: u.ID, Login: u.Login, FullName: u.FullName, Role: u.Role}
	if u.Disabled {
		s.auditAlone(sess, models.EventSignIn, u.Login, false, "账户已停用")
		return nil, false, &SignInError{Err: models.ErrDisabled}
	}
	if now.Before(u.LockedUntil) {
		s.auditAlone(sess, models.EventSignIn, u.Login, false, "账户锁定中")
		return nil, false, &SignInError{Err: models.ErrLockedOut, Until: u.LockedUntil}
	}
	if !checkPassword(u.PasswordHash, password) {
		return nil, false, s.failedSignIn(sess, u, pol, models.EventSignIn)
	}
	if err := s.rowIntact("users", whereID, "账户记录", u.ID); err != nil {
		var te *TamperedError
		if errors.As(err, &te) {
			s.auditAlone(sess, models.EventSignIn, u.Login, false, "账户记录与审计记录封存的不符，拒绝登录")
		}
		return nil, false, err
	}
	err = s.write(func(tx *gorm.DB) error {
		if err := tx.Model(&models.User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"failed_count": 0, "locked_until": nil}).Error; err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventSignIn, u.Login, true, "登录成功")
	})
	if err != nil {
		return nil, false, err
	}
	s.startSession(sess)
	return sess, u.MustChange, nil
}

func (s *Service) failedSignIn(sess *Session, u models.User, pol models.Policy, event string) error {
	now := s.now()
	fails := u.FailedCount + 1
	updates := map[string]any{"failed_count": fails}
	detail := fmt.Sprintf("密码错误（连续第 %d 次）", fails)
	var until time.Time
	if fails >= pol.MaxFailures {
		until = now.Add(time.Duration(pol.LockoutMinutes) * time.Minute)
		updates["locked_until"], updates["failed_count"] = until, 0
		detail += fmt.Sprintf("，账户锁定至 %s", until.Local().Format("2006-01-02 15:04"))
	}
	err := s.write(func(tx *gorm.DB) error {
		if err := tx.Model(&models.User{}).Where("id = ?", u.ID).Updates(updates).Error; err != nil {
			return err
		}
		return s.audit(tx, sess, event, u.Login, false, detail)
	})
	if err != nil {
		return err
	}
	if !until.IsZero() {
		return &SignInError{Err: models.ErrLockedOut, Until: until}
	}
	if event == models.EventSignIn {
		return &SignInError{Err: models.ErrBadCredentials, MaxFailures: pol.MaxFailures, LockoutMinutes: pol.LockoutMinutes}
	}
	return &SignInError{Err: models.ErrBadCredentials, Left: pol.MaxFailures - fails}
}

// account reloads the session's account.
func (s *Service) account(sess *Session) (models.User, error) {
	var u models.User
	if sess == nil {
		return u, models.ErrNotSignedIn
	}
	err := s.db.Where("id = ?", sess.UserID).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, models.ErrNotSignedIn
	}
	return u, err
}

// authorize checks that the session's account exists, is enabled, has
// changed its first password and holds one of roles. The use case records
// a refusal (refuse.go).
func (s *Service) authorize(sess *Session, roles ...models.Role) error {
	if err := s.live(sess); err != nil {
		return err
	}
	// The account as the program last wrote it: its row must match its
	// seal, or a role given with another tool would count.
	u, found, err := s.sealedRow("users", whereID, "账户记录", sess.UserID)
	switch {
	case err != nil:
		return err
	case !found:
		return models.ErrNotSignedIn
	case u["disabled"] != "0":
		return models.ErrDisabled
	case u["must_change"] != "0":
		return models.ErrMustChange
	}
	role := models.Role(unquote(u["role"]))
	for _, r := range roles {
		if role == r {
			return nil
		}
	}
	return &ForbiddenError{Role: role, Need: roles} // recorded by the use case's refused
}

// ForbiddenError is a refusal by role (R18).
type ForbiddenError struct {
	Role models.Role
	Need []models.Role
}

func (e *ForbiddenError) Error() string { return fmt.Sprintf("role %s may not do this", e.Role) }
func (e *ForbiddenError) Unwrap() error { return models.ErrForbidden }

// Message is the Chinese sentence for the refusal.
func (e *ForbiddenError) Message() string {
	names := make([]string, len(e.Need))
	for i, r := range e.Need {
		names[i] = r.String()
	}
	return fmt.Sprintf("%s不能进行这项操作，只有%s可以（三员分立）", e.Role, strings.Join(names, "或"))
}

// ChangePassword sets a new password after checking the old one and the policy.
func (s *Service) ChangePassword(sess *Session, old, new string) error {
	if err := s.live(sess); err != nil {
		return err
	}
	u, err := s.account(sess)
	if err != nil {
		return err
	}
	pol, err := s.Policy()
	if err != nil {
		return err
	}
	if !checkPassword(u.PasswordHash, old) {
		s.auditAlone(sess, models.EventPasswordChange, u.Login, false, "原密码错误")
		return fieldErr("OldPassword", "原密码不对")
	}
	if msg := CheckPassword(pol, u.Login, new); msg != "" {
		return fieldErr("NewPassword", "%s", msg)
	}
	if checkPassword(u.PasswordHash, new) {
		return fieldErr("NewPassword", "新密码不能与原密码相同")
	}
	return s.write(func(tx *gorm.DB) error {
		if err := tx.Model(&models.User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"password_hash": hashPassword(new), "must_change": false, "updated_at": s.now(),
			"version": gorm.Expr("version + 1")}).Error; err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventPasswordChange, u.Login, true, "密码已修改")
	})
}

// Lock records that the window locked (idle or by hand).
// From then on the session can do nothing but Unlock or SignOut.
func (s *Service) Lock(sess *Session, why string) error {
	if err := s.live(sess); err != nil && !errors.Is(err, ErrSessionLocked) {
		return err
	}
	s.setLocked(sess, true)
	return s.auditAlone(sess, models.EventLock, sess.Login, true, why)
}

// Unlock checks the password of the session's own account to reopen a locked
// window. Failures count towards lockout like a sign-in's.
func (s *Service) Unlock(sess *Session, password string) error {
	if err := s.live(sess); err != nil && !errors.Is(err, ErrSessionLocked) {
		return err
	}
	u, err := s.account(sess)
	if err != nil {
		return err
	}
	pol, err := s.Policy()
	if err != nil {
		return err
	}
	if u.Disabled {
		return &SignInError{Err: models.ErrDisabled}
	}
	if s.now().Before(u.LockedUntil) {
		return &SignInError{Err: models.ErrLockedOut, Until: u.LockedUntil}
	}
	if !checkPassword(u.PasswordHash, password) {
		return s.failedSignIn(sess, u, pol, models.EventUnlock)
	}
	err = s.write(func(tx *gorm.DB) error {
		if err := tx.Model(&models.User{}).Where("id = ?", u.ID).
			Updates(map[string]any{"failed_count": 0}).Error; err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventUnlock, u.Login, true, "解锁")
	})
	if err == nil {
		s.setLocked(sess, false)
	}
	return err
}

// SignOut records the end of a session.
// The session is over: every later call with it is refused.
func (s *Service) SignOut(sess *Session) error {
	if sess == nil {
		return nil
	}
	if _, ok := s.sessions.LoadAndDelete(sess.token); !ok {
		return nil // already signed out
	}
	return s.auditAlone(sess, models.EventSignOut, sess.Login, true, "退出")
}

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
