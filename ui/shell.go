package ui

import (
	"fmt"
	"log"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// Options say which file the window works on and where the clerk starts.
type Options struct {
	DBPath string // shown in the clerk's status bar
	// StartView is the clerk's first screen: ViewHome (default), ViewRegister or ViewLedger.
	StartView string
}

// The screens Options.StartView can name.
const (
	ViewHome     = "home"
	ViewRegister = "register"
	ViewLedger   = "ledger"
)

// idleTick is how often the Shell checks whether the window has been left
// idle for the policy's time.
const idleTick = 15 * time.Second

// Shell is the window's content. It leads from the first-run setup and the
// sign-in to the home of the signed-in role, and back on 退出登录; it locks
// the window after the policy's idle minutes (R18, GB/T 22239 8.1.4.1) or
// on 锁定. It shows one screen at a time in a stack whose objects it
// replaces, so that what is not shown is not in the window at all.
//
// Activity. Fyne has no global input hook, so the Shell counts as the
// person working: every use case the session runs (Session.LastUse, kept
// by the service), typing in the register form's entries
// (carrierForm.onTyping), switching the clerk's tabs, and the keys and
// characters the canvas receives while no widget has the focus
// (Canvas().SetOnTypedKey / SetOnTypedRune). Reading a long list without
// touching the keyboard or asking for anything new is not activity: after
// the idle minutes the window locks, as the policy intends.
type Shell struct {
	app  fyne.App
	win  fyne.Window
	svc  Service
	opts Options
	env  env

	stack *fyne.Container   // holds the one screen shown
	shown fyne.CanvasObject // the screen to show when the window is not locked

	// The signed-in person and what was built for them; nil on the setup
	// and sign-in screens.
	sess     *app.Session
	policy   models.Policy
	home     fyne.CanvasObject // the role's home under its top bar
	clerk    *MainUI
	sysAdmin *sysAdminHome
	secAdmin *secAdminHome
	auditor  *auditHome

	setup    *setupScreen
	signIn   *signInScreen
	password *passwordScreen
	lock     *lockScreen

	mu         sync.Mutex
	lastActive time.Time // guarded by mu: loaders touch it from their goroutines

	locked          bool
	hiddenOverlays  []fyne.CanvasObject // dialogs taken off the window while locked
	focusBeforeLock fyne.Focusable
	pendingFocus    fyne.Focusable // asked for before the window showed the Shell

	officeLabel *widget.Label // the office's name in the top bar
	errDialog   dialog.Dialog
}

// NewShell builds the window's content on svc: the setup wizard on a new
// database, otherwise the sign-in. main.go puts Content() into the window
// once; the Shell changes screens itself.
func NewShell(a fyne.App, w fyne.Window, svc Service, opts Options) *Shell {
	s := newShell(a, w, svc, opts, env{run: func(f func()) { go f() }, now: time.Now, delay: searchDelay, tick: idleTick})
	w.SetOnClosed(s.onWindowClosed)
	return s
}

// onWindowClosed ends the session of whoever was signed in when the window
// closes, so that the audit trail shows when their work ended.
func (s *Shell) onWindowClosed() {
	if s.sess != nil {
		if err := s.svc.SignOut(s.sess); err != nil {
			log.Printf("secdoc: sign out %s: %v", s.sess.Login, err)
		}
		s.sess = nil
	}
}

func newShell(a fyne.App, w fyne.Window, svc Service, opts Options, e env) *Shell {
	s := &Shell{app: a, win: w, opts: opts, env: e}
	s.svc = svc
	s.stack = container.NewStack()
	w.Canvas().SetOnTypedKey(s.onKey)
	s.addShortcuts()
	w.Canvas().SetOnTypedRune(func(rune) { s.touch() })

	need, err := s.svc.NeedsSetup()
	switch {
	case err != nil:
		log.Printf("secdoc: read accounts: %v", err)
		s.show(container.NewCenter(widget.NewLabel("读取账户信息时出错，无法登录。请联系系统管理员（详情已记入日志）。")))
	case need:
		s.showSetup()
	default:
		s.showSignIn(upgradeNotice(s.svc.Upgraded()))
	}
	if e.tick > 0 {
		go s.runIdleTicker(e.tick)
	}
	return s
}

// Content is the object to put into the window.
func (s *Shell) Content() fyne.CanvasObject { return s.stack }

// show makes o the screen; while locked it is shown only after unlocking.
func (s *Shell) show(o fyne.CanvasObject) {
	s.shown = o
	if !s.locked {
		s.setStack(o)
	}
}

func (s *Shell) setStack(o fyne.CanvasObject) {
	s.stack.Objects = []fyne.CanvasObject{o}
	s.stack.Refresh()
}

// focus puts the keyboard focus on f. Before the window shows the Shell
// (NewShell runs before main sets the content) it waits for the event loop.
func (s *Shell) focus(f fyne.Focusable) {
	if f == nil {
		return
	}
	if s.win.Canvas().Content() == s.stack {
		s.pendingFocus = nil
		s.win.Canvas().Focus(f)
		return
	}
	s.pendingFocus = f
	s.env.run(func() { fyne.Do(s.focusPending) })
}

// focusPending gives the focus asked for before the Shell was in the window.
func (s *Shell) focusPending() {
	if f := s.pendingFocus; f != nil && s.win.Canvas().Content() == s.stack {
		s.pendingFocus = nil
		s.win.Canvas().Focus(f)
	}
}

// unexpected logs an error nobody could have foreseen and shows a short sentence.
func (s *Shell) unexpected(doing string, err error) { showUnexpected(s.win, &s.errDialog, doing, err) }

// showSetup shows the first-run wizard.
func (s *Shell) showSetup() {
	s.setup = newSetupScreen(s)
	s.show(s.setup.content)
	s.focus(s.setup.office)
}

// setupDone leads from the wizard to the sign-in.
func (s *Shell) setupDone() {
	s.setup = nil
	s.showSignIn("初始化完成。请用刚建立的账户登录；每个账户首次登录时必须修改密码。")
}

// upgradeNotice tells, on the sign-in screen, that this version upgraded
// the database and kept a copy from before; "" when it did not.
func upgradeNotice(u *app.Upgrade) string {
	if u == nil {
		return ""
	}
	return fmt.Sprintf("本程序是新版本，已把数据库升级（结构版本 %d → %d）。升级前的数据库已另存为 %s，与数据库在同一文件夹。",
		u.From, u.To, u.Copy)
}

// showSignIn shows the sign-in screen with notice above it, if any.
func (s *Shell) showSignIn(notice string) {
	s.signIn = newSignInScreen(s, notice)
	s.show(s.signIn.content)
	s.focus(s.signIn.login)
}

// signedIn starts a session: the change of the first password when the
// account must, then the home of its role.
func (s *Shell) signedIn(sess *app.Session, mustChange bool) {
	s.sess = sess
	s.signIn = nil
	if p, err := s.svc.Policy(); err == nil {
		s.policy = p
	} else {
		log.Printf("secdoc: read policy: %v", err)
		s.policy = models.DefaultPolicy
	}
	s.touch()
	if mustChange {
		s.showPasswordChange(true)
		return
	}
	s.showHome()
}

// showPasswordChange shows the change of password; forced at the first
// sign-in, when there is no way around it but signing out.
func (s *Shell) showPasswordChange(forced bool) {
	s.password = newPasswordScreen(s, forced)
	s.show(s.password.content)
	s.focus(s.password.old)
}

// passwordChanged leaves the change of password for the home.
func (s *Shell) passwordChanged(forced bool) {
	s.password = nil
	s.showHome()
	if !forced {
		dialog.ShowInformation("修改密码", "密码已修改，下次登录请使用新密码。", s.win)
	}
}

// passwordCancelled goes back to the home without changing the password.
func (s *Shell) passwordCancelled() {
	s.password = nil
	s.showHome()
}

// showHome shows the home of the session's role, building it the first time.
func (s *Shell) showHome() {
	if s.home == nil {
		s.home = s.buildHome()
		s.show(s.home)
		if s.clerk != nil {
			switch s.opts.StartView {
			case ViewRegister:
				s.focus(s.clerk.register.form.docNumber)
			case ViewLedger:
				s.focus(s.clerk.ledger.keyword)
			}
		}
		return
	}
	s.show(s.home)
}

// buildHome makes what the role works with, and nothing else: the domain
// refuses the rest anyway (R18), the window does not even offer it.
func (s *Shell) buildHome() fyne.CanvasObject {
	switch s.sess.Role {
	case models.RoleClerk:
		s.clerk = newMainUI(s.app, s.win, s.svc, s.sess, s.opts, s.env, s.touch)
		s.clerk.inWindow = s.homeShown
		return s.frame(s.clerk.Content())
	case models.RoleSysAdmin:
		s.sysAdmin = newSysAdminHome(s)
		return s.frame(s.sysAdmin.content)
	case models.RoleSecAdmin:
		s.secAdmin = newSecAdminHome(s)
		return s.frame(s.secAdmin.content)
	case models.RoleAuditor:
		s.auditor = newAuditHome(s)
		return s.frame(s.auditor.content)
	}
	return s.frame(container.NewCenter(widget.NewLabel("这个账户的角色未知，不能使用本程序。请联系安全保密管理员。")))
}

// frame puts a home under the top bar: the program, the office, who is
// signed in, and the buttons every role has.
func (s *Shell) frame(body fyne.CanvasObject) fyne.CanvasObject {
	title := widget.NewLabel("涉密文件管理")
	title.TextStyle.Bold = true
	office := widget.NewLabel(s.svc.OfficeName())
	s.officeLabel = office
	who := widget.NewLabelWithStyle(whoText(s.sess), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	change := widget.NewButtonWithIcon("修改密码", theme.AccountIcon(), s.onChangePassword)
	lock := widget.NewButtonWithIcon("锁定", theme.VisibilityOffIcon(), s.onLockNow)
	out := widget.NewButtonWithIcon("退出登录", theme.LogoutIcon(), s.askSignOut)
	keys := widget.NewButtonWithIcon("快捷键", theme.HelpIcon(), s.showKeys)
	for _, b := range []*widget.Button{change, lock, out, keys} {
		b.Importance = widget.LowImportance
	}
	bar := container.NewBorder(nil, nil, container.NewHBox(title, office),
		container.NewHBox(who, keys, change, lock, out))
	top := container.NewVBox(bar, widget.NewSeparator())
	// A register whose audit chain does not reach its head refuses every
	// change: say so at once, not at the first refused save. (The auditor's
	// screen says it in its own words, with what to do.)
	if alarm := s.svc.ChainAlarm(); alarm != "" && s.sess.Role != models.RoleAuditor {
		l := errorLabel()
		l.TextStyle.Bold = true
		setMessage(l, "审计记录不完整，登记簿已停止一切修改，请立即通知安全审计员："+alarm)
		top.Add(l)
	}
	return container.NewBorder(top, nil, nil, nil, body)
}

// homeShown reports whether the role's home is what the window shows.
func (s *Shell) homeShown() bool {
	return s.home != nil && !s.locked && s.win.Canvas().Content() == s.stack &&
		len(s.stack.Objects) == 1 && s.stack.Objects[0] == s.home
}

func (s *Shell) onChangePassword() { s.showPasswordChange(false) }

func (s *Shell) onLockNow() { s.lockNow("手动锁定") }

// onSignOut ends the session and forgets everything built for it.
func (s *Shell) onSignOut() {
	if s.sess != nil {
		if err := s.svc.SignOut(s.sess); err != nil {
			log.Printf("secdoc: sign out %s: %v", s.sess.Login, err)
		}
	}
	s.removeOverlays()
	s.hiddenOverlays, s.focusBeforeLock = nil, nil
	s.win.Canvas().Unfocus()
	s.sess, s.home, s.locked, s.lock, s.password = nil, nil, false, nil, nil
	s.clerk, s.sysAdmin, s.secAdmin, s.auditor = nil, nil, nil, nil
	s.showSignIn("已退出登录。")
}

// removeOverlays takes every dialog and pop-up off the window, top first,
// and returns them bottom first.
func (s *Shell) removeOverlays() []fyne.CanvasObject {
	ov := s.win.Canvas().Overlays()
	list := append([]fyne.CanvasObject(nil), ov.List()...)
	for i := len(list) - 1; i >= 0; i-- {
		ov.Remove(list[i])
	}
	return list
}

// touch records activity now. Any goroutine may call it.
func (s *Shell) touch() {
	now := s.env.now()
	s.mu.Lock()
	s.lastActive = now
	s.mu.Unlock()
}

func (s *Shell) idleFor() time.Duration {
	s.mu.Lock()
	last := s.lastActive
	s.mu.Unlock()
	if s.sess != nil {
		if used := s.sess.LastUse(); used.After(last) {
			last = used
		}
	}
	return s.env.now().Sub(last)
}

// runIdleTicker checks for idleness every d for as long as the program runs.
func (s *Shell) runIdleTicker(d time.Duration) {
	t := time.NewTicker(d)
	defer t.Stop()
	for range t.C {
		fyne.Do(s.checkIdle)
	}
}

// checkIdle locks the window when someone is signed in and nothing has
// happened for the policy's idle minutes.
func (s *Shell) checkIdle() {
	if s.sess == nil || s.locked || s.policy.IdleMinutes <= 0 {
		return
	}
	if s.idleFor() >= time.Duration(s.policy.IdleMinutes)*time.Minute {
		s.lockNow(fmt.Sprintf("空闲 %d 分钟自动锁定", s.policy.IdleMinutes))
	}
}

// lockNow covers the window with the lock screen. Whatever was shown, with
// its dialogs, leaves the window (it stays in memory, untouched) so that
// nothing of the register can be seen or reached until the password is
// typed again.
func (s *Shell) lockNow(why string) {
	if s.sess == nil || s.locked {
		return
	}
	if err := s.svc.Lock(s.sess, why); err != nil {
		log.Printf("secdoc: record lock: %v", err) // lock all the same
	}
	c := s.win.Canvas()
	s.focusBeforeLock = c.Focused()
	c.Unfocus()
	s.hiddenOverlays = s.removeOverlays()
	s.locked = true
	s.lock = newLockScreen(s)
	s.setStack(s.lock.content)
	s.focus(s.lock.password)
}

// unlocked puts back exactly what the lock covered.
func (s *Shell) unlocked() {
	s.locked, s.lock = false, nil
	s.setStack(s.shown)
	ov := s.win.Canvas().Overlays()
	for _, o := range s.hiddenOverlays {
		if o.Visible() {
			ov.Add(o)
		}
	}
	s.hiddenOverlays = nil
	s.touch()
	if f := s.focusBeforeLock; f != nil {
		s.focusBeforeLock = nil
		s.win.Canvas().Focus(f)
	}
}

// officeChanged shows the office's new name in the top bar.
func (s *Shell) officeChanged() {
	if s.officeLabel != nil {
		s.officeLabel.SetText(s.svc.OfficeName())
	}
}

// policyChanged applies a policy the security officer saved.
func (s *Shell) policyChanged(p models.Policy) { s.policy = p }
