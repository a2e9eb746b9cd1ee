package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

	token   string       // identifies the sign-in among the service's live sessions
	lastUse atomic.Int64 // when a use case last ran for it, unix nanoseconds of the service's clock
}

// LastUse is when a use case last ran in this session: the person at the
// window asked for something. The window's idle lock counts it as activity,
// with the keys and clicks it sees itself.
func (sess *Session) LastUse() time.Time {
	if sess == nil || sess.lastUse.Load() == 0 {
		return time.Time{}
	}
	return time.Unix(0, sess.lastUse.Load())
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
	sess.lastUse.Store(s.now().UnixNano())
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

// The bounds of a stored hash's argon2id cost and lengths. A stored hash
// carries its own cost, and the database is not trusted with it: zero
// passes would make argon2 panic, a memory cost of gigabytes would exhaust
// the machine at every sign-in. Outside these bounds a hash matches no
// password.
const (
	maxArgon2Time      = 10
	maxArgon2MemoryKiB = 256 * 1024 // 256 MiB
	maxArgon2Threads   = 16
	minArgon2Bytes     = 16 // salt and hash
	maxArgon2Bytes     = 64
)

// argon2Hash is a stored password hash, taken apart.
type argon2Hash struct {
	time, memoryKiB uint32
	threads         uint8
	salt, sum       []byte
}

// parseArgon2 takes a stored hash apart, checking every part against the
// bounds above; ok is false for anything else.
func parseArgon2(encoded string) (h argon2Hash, ok bool) {
	if len(encoded) > 512 {
		return h, false
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return h, false
	}
	cost := strings.Split(parts[3], ",")
	if len(cost) != 3 {
		return h, false
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		v, found := strings.CutPrefix(cost[i], name)
		if !found {
			return h, false
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return h, false
		}
		vals[i] = n
	}
	m, t, p := vals[0], vals[1], vals[2]
	if t < 1 || t > maxArgon2Time || p < 1 || p > maxArgon2Threads || m < 8*p || m > maxArgon2MemoryKiB {
		return h, false
	}
	enc := base64.RawStdEncoding
	if len(parts[4]) > enc.EncodedLen(maxArgon2Bytes) || len(parts[5]) > enc.EncodedLen(maxArgon2Bytes) {
		return h, false
	}
	salt, err1 := enc.DecodeString(parts[4])
	sum, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < minArgon2Bytes || len(salt) > maxArgon2Bytes ||
		len(sum) < minArgon2Bytes || len(sum) > maxArgon2Bytes {
		return h, false
	}
	return argon2Hash{time: uint32(t), memoryKiB: uint32(m), threads: uint8(p), salt: salt, sum: sum}, true
}

// checkPassword reports whether pw matches the stored hash. A hash that is
// malformed or whose cost is out of bounds matches nothing.
func checkPassword(encoded, pw string) bool {
	h, ok := parseArgon2(encoded)
	if !ok {
		return false
	}
	got := argon2.IDKey([]byte(pw), h.salt, h.time, h.memoryKiB, h.threads, uint32(len(h.sum)))
	return subtle.ConstantTimeCompare(got, h.sum) == 1
}

// dummyHash makes a sign-in with an unknown login cost as much as a real
// one; it is made once, at the first such sign-in.
var (
	dummyOnce sync.Once
	dummyHash string
)

// checkDummy spends on pw what checking a real account's password costs.
func checkDummy(pw string) {
	dummyOnce.Do(func() { dummyHash = hashPassword("secdoc-dummy") })
	checkPassword(dummyHash, pw)
}

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
	Own   bool      // unlocking one's own window: only a password was asked for
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
	if e.Own { // unlocking one's own window: the account is known
		if e.Left > 0 {
			return fmt.Sprintf("密码不对（再错 %d 次账户将被锁定）", e.Left)
		}
		return "密码不对"
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
		checkDummy(password)
		s.auditAlone(nil, models.EventSignIn, login, false, "登录名不存在")
		return nil, false, &SignInError{Err: models.ErrBadCredentials, MaxFailures: pol.MaxFailures,
			LockoutMinutes: pol.LockoutMinutes}
	}
	if err != nil {
		return nil, false, err
	}
	sess := &Session{UserID: u.ID, Login: u.Login, FullName: u.FullName, Role: u.Role}
	if bar, why := s.accountBar(u); bar != nil {
		s.auditAlone(sess, models.EventSignIn, u.Login, false, why)
		return nil, false, bar
	}
	if !checkPassword(u.PasswordHash, password) {
		f, err := s.countFailure(sess, u, pol, models.EventSignIn, u.Login, "密码错误")
		if err != nil {
			return nil, false, err
		}
		return nil, false, f.signInError(pol, false)
	}
	if err := s.rowIntact("users", whereID, "账户记录", u.ID); err != nil {
		var te *TamperedError
		if errors.As(err, &te) {
			s.auditAlone(sess, models.EventSignIn, u.Login, false, "账户记录与审计记录封存的不符，拒绝登录")
		}
		return nil, false, err
	}
	cur, barred, err := s.passwordAccepted(sess, u, models.EventSignIn,
		map[string]any{"failed_count": 0, "locked_until": nil}, "登录成功")
	if err != nil {
		return nil, false, err
	}
	if barred != nil {
		return nil, false, barred
	}
	s.startSession(sess)
	return sess, cur.MustChange, nil
}

// passwordAccepted records a right password for the account u in one
// transaction: it reads the account again (attempts made at once were each
// checked against the state before any of them counted, and a right
// password must not lift a lockout the others set meanwhile), then either
// audits the bar that now holds, or clears the reset columns and audits
// event as done. It returns the account as read and the bar, if any.
func (s *Service) passwordAccepted(sess *Session, u models.User, event string, reset map[string]any,
	detail string) (models.User, *SignInError, error) {
	var cur models.User
	var barred *SignInError
	err := s.write(func(tx *gorm.DB) error {
		var err error
		if cur, err = reloadUser(tx, u.ID); err != nil {
			return err
		}
		barred = nil
		if bar, why := s.accountBar(cur); bar != nil {
			barred = bar
			return s.audit(tx, sess, event, u.Login, false, why)
		}
		if err := tx.Model(&models.User{}).Where("id = ?", u.ID).Updates(reset).Error; err != nil {
			return err
		}
		return s.audit(tx, sess, event, u.Login, true, detail)
	})
	return cur, barred, err
}

// reloadUser reads the account with id inside the transaction tx.
func reloadUser(tx *gorm.DB, id string) (models.User, error) {
	var u models.User
	err := tx.Where("id = ?", id).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, fmt.Errorf("account %s: %w", id, models.ErrNotFound)
	}
	return u, err
}

// accountBar is why the account u can't be let in by its password now
// (disabled, or locked out), with the words for the audit trail; nil when
// nothing bars it.
func (s *Service) accountBar(u models.User) (*SignInError, string) {
	switch {
	case u.Disabled:
		return &SignInError{Err: models.ErrDisabled}, "账户已停用"
	case s.now().Before(u.LockedUntil):
		return &SignInError{Err: models.ErrLockedOut, Until: u.LockedUntil}, "账户锁定中"
	}
	return nil, ""
}

// failure is what a wrong password did to its account.
type failure struct {
	fails int          // failures in a row, this one included; 0 when this one locked the account
	until time.Time    // the end of the lockout this failure started
	bar   *SignInError // the account was found disabled or locked out: not counted again
}

// signInError is the answer to the attempt: own is true when the person is
// known to hold the account (unlocking their own window), so the attempts
// left may be told.
func (f failure) signInError(pol models.Policy, own bool) *SignInError {
	switch {
	case f.bar != nil:
		return f.bar
	case !f.until.IsZero():
		return &SignInError{Err: models.ErrLockedOut, Until: f.until}
	case own:
		return &SignInError{Err: models.ErrBadCredentials, Left: pol.MaxFailures - f.fails, Own: true}
	}
	return &SignInError{Err: models.ErrBadCredentials, MaxFailures: pol.MaxFailures, LockoutMinutes: pol.LockoutMinutes}
}

// countFailure records a wrong password for the account u, whatever asked
// for it (a sign-in, an unlock, a change of password, an officer's
// confirmation of a reset): in one transaction the account's count of
// failures in a row goes up by one in SQL, the account is locked out for
// the policy's time when the count reaches the policy's limit, and the
// audit record (event on object, what followed by the count) is written.
// Attempts made at once are each counted: none reads the count and writes
// it back. An account found disabled or locked out inside the transaction
// (another attempt locked it meanwhile) is not counted again; the record
// says so. An account whose row no longer matches its seal is refused
// without counting: writing it would seal what another tool wrote.
func (s *Service) countFailure(sess *Session, u models.User, pol models.Policy, event, object, what string) (failure, error) {
	if err := s.rowIntact("users", whereID, "账户记录", u.ID); err != nil {
		var te *TamperedError
		if errors.As(err, &te) {
			s.auditAlone(sess, event, object, false, what+"；账户记录与审计记录封存的不符，未计数")
		}
		return failure{}, err
	}
	var f failure
	err := s.write(func(tx *gorm.DB) error {
		f = failure{}
		cur, err := reloadUser(tx, u.ID)
		if err != nil {
			return err
		}
		if bar, why := s.accountBar(cur); bar != nil {
			f.bar = bar
			return s.audit(tx, sess, event, object, false, what+"（"+why+"，未计数）")
		}
		if err := tx.Raw(`UPDATE users SET failed_count = failed_count + 1 WHERE id = ? RETURNING failed_count`,
			u.ID).Scan(&f.fails).Error; err != nil {
			return err
		}
		detail := fmt.Sprintf("%s（连续第 %d 次）", what, f.fails)
		if f.fails >= pol.MaxFailures {
			f.until = s.now().Add(time.Duration(pol.LockoutMinutes) * time.Minute)
			if err := tx.Model(&models.User{}).Where("id = ?", u.ID).
				Updates(map[string]any{"failed_count": 0, "locked_until": f.until}).Error; err != nil {
				return err
			}
			detail += fmt.Sprintf("，账户锁定至 %s", f.until.Local().Format("2006-01-02 15:04"))
			f.fails = 0
		}
		return s.audit(tx, sess, event, object, false, detail)
	})
	return f, err
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

// ChangePassword sets a new password after checking the old one and the
// policy. A wrong old password counts towards the lockout as a failed
// sign-in does (the same count, the same lockout, audited), so an unlocked
// window is no place to guess at its account's password; a locked-out
// account can't change its password until the lockout ends.
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
	if bar, why := s.accountBar(u); bar != nil {
		s.auditAlone(sess, models.EventPasswordChange, u.Login, false, why+"，不能修改密码")
		return bar
	}
	if !checkPassword(u.PasswordHash, old) {
		f, err := s.countFailure(sess, u, pol, models.EventPasswordChange, u.Login, "原密码错误")
		if err != nil {
			return err
		}
		if f.bar != nil || !f.until.IsZero() {
			return f.signInError(pol, true)
		}
		return &models.ValidationError{Cause: models.ErrBadCredentials, Fields: []models.FieldError{
			{Field: "OldPassword", Msg: "原密码不对"},
			{Field: "", Msg: fmt.Sprintf("原密码再输错 %d 次，账户将被锁定 %d 分钟", pol.MaxFailures-f.fails, pol.LockoutMinutes)},
		}}
	}
	if msg := CheckPassword(pol, u.Login, new); msg != "" {
		return fieldErr("NewPassword", "%s", msg)
	}
	if checkPassword(u.PasswordHash, new) {
		return fieldErr("NewPassword", "新密码不能与原密码相同")
	}
	if err := s.rowIntact("users", whereID, "账户记录", u.ID); err != nil {
		return err
	}
	var barred *SignInError
	err = s.write(func(tx *gorm.DB) error {
		cur, err := reloadUser(tx, u.ID)
		if err != nil {
			return err
		}
		barred = nil
		if bar, why := s.accountBar(cur); bar != nil {
			barred = bar
			return s.audit(tx, sess, models.EventPasswordChange, u.Login, false, why+"，不能修改密码")
		}
		if err := tx.Model(&models.User{}).Where("id = ?", u.ID).Updates(map[string]any{
			"password_hash": hashPassword(new), "must_change": false, "failed_count": 0, "updated_at": s.now(),
			"version": gorm.Expr("version + 1")}).Error; err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventPasswordChange, u.Login, true, "密码已修改")
	})
	if err != nil {
		return err
	}
	if barred != nil {
		return barred
	}
	return nil
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
	if bar, _ := s.accountBar(u); bar != nil {
		return bar
	}
	if !checkPassword(u.PasswordHash, password) {
		f, err := s.countFailure(sess, u, pol, models.EventUnlock, u.Login, "密码错误")
		if err != nil {
			return err
		}
		return f.signInError(pol, true)
	}
	if err := s.rowIntact("users", whereID, "账户记录", u.ID); err != nil {
		return err
	}
	_, barred, err := s.passwordAccepted(sess, u, models.EventUnlock, map[string]any{"failed_count": 0}, "解锁")
	if err == nil && barred != nil {
		return barred
	}
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
