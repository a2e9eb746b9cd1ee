package app

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
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
