package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// formWidth is the width of the sign-in, lock and password forms.
const formWidth = 460

// signInScreen asks for a login and password. Enter in the login goes to the
// password, Enter in the password signs in.
type signInScreen struct {
	s *Shell

	login    *entry
	password *entry
	submit   *widget.Button
	notice   *widget.Label // e.g. what the setup did
	msg      *widget.Label // why the last attempt failed
	busy     bool

	content fyne.CanvasObject
}

func newSignInScreen(s *Shell, notice string) *signInScreen {
	v := &signInScreen{s: s}
	v.buildUI(notice)
	return v
}

func (v *signInScreen) buildUI(notice string) {
	title := heading("涉密文件管理")
	title.Alignment = fyne.TextAlignCenter
	office := widget.NewLabel(v.s.svc.OfficeName())
	office.Alignment = fyne.TextAlignCenter
	v.notice = widget.NewLabel("")
	v.notice.Importance = widget.SuccessImportance
	v.notice.Wrapping = fyne.TextWrapBreak
	setMessage(v.notice, notice)

	v.login = newEntry()
	v.login.SetPlaceHolder("登录名")
	v.login.OnSubmitted = v.onLoginSubmitted
	v.password = newPasswordEntry()
	v.password.SetPlaceHolder("密码")
	v.password.OnSubmitted = func(string) { v.onSubmit() }
	v.msg = errorLabel()
	v.submit = widget.NewButtonWithIcon("登录", theme.LoginIcon(), v.onSubmit)
	v.submit.Importance = widget.HighImportance

	form := formOf(
		[2]fyne.CanvasObject{widget.NewLabel("登录名"), v.login},
		[2]fyne.CanvasObject{widget.NewLabel("密码"), v.password},
	)
	v.content = centered(formWidth, container.NewVBox(appIcon(), title, office, widget.NewSeparator(), v.notice, form,
		v.msg, container.NewHBox(layout.NewSpacer(), v.submit),
		centeredNote("本机为涉密计算机，严禁联网；登录和操作均记入审计记录")))
}

func (v *signInScreen) onLoginSubmitted(string) {
	if v.password.Text == "" {
		v.s.focus(v.password)
		return
	}
	v.onSubmit()
}

// onSubmit checks the login and password off the UI goroutine (hashing takes
// a moment on purpose) and signs in, or says why not.
func (v *signInScreen) onSubmit() {
	if v.busy {
		return
	}
	login, pw := strings.TrimSpace(v.login.Text), v.password.Text
	if login == "" {
		setMessage(v.msg, "请填写登录名")
		v.s.focus(v.login)
		return
	}
	v.busy = true
	v.submit.Disable()
	v.s.env.run(func() {
		sess, mustChange, err := v.s.svc.SignIn(login, pw)
		fyne.Do(func() {
			v.busy = false
			v.submit.Enable()
			v.onResult(sess, mustChange, err)
		})
	})
}

func (v *signInScreen) onResult(sess *app.Session, mustChange bool, err error) {
	if v.s.signIn != v {
		v.password.SetText("")
		return // the screen was left meanwhile
	}
	if err != nil {
		v.password.SetText("")
		setMessage(v.notice, "")
		var se *app.SignInError
		if errors.As(err, &se) {
			setMessage(v.msg, se.Message())
			v.content.Refresh()
			v.s.focus(v.password)
			return
		}
		// A missing audit key, a tampered account, a broken chain: said in
		// words, not as an unexpected error.
		if msg, ok := accountError(err); ok {
			setMessage(v.msg, msg)
			v.content.Refresh()
			return
		}
		v.s.unexpected("登录", err)
		return
	}
	v.password.SetText("") // the screen is left; its password is not kept
	v.s.signedIn(sess, mustChange)
}

// passwordScreen changes the signed-in person's password: forced at the
// first sign-in (the first password is known to whoever set the account
// up), or asked for from the top bar.
type passwordScreen struct {
	s      *Shell
	forced bool

	old, new, confirm *entry
	msgs              *fieldMessages
	save              *widget.Button
	busy              bool

	content fyne.CanvasObject
}

func newPasswordScreen(s *Shell, forced bool) *passwordScreen {
	p := &passwordScreen{s: s, forced: forced, msgs: newFieldMessages()}
	p.buildUI()
	return p
}

func (p *passwordScreen) buildUI() {
	title := heading("修改密码")
	intro := note(whoText(p.s.sess) + "，请设置新的密码。")
	if p.forced {
		title.SetText("首次登录：请修改密码")
		intro.SetText(whoText(p.s.sess) + "，这是首次登录（或密码已被重置）。初始密码为他人所知，必须换成只有您自己知道的密码后才能继续。")
	}
	p.old = newPasswordEntry()
	p.new = newPasswordEntry()
	p.confirm = newPasswordEntry()
	p.old.OnSubmitted = func(string) { p.s.focus(p.new) }
	p.new.OnSubmitted = func(string) { p.s.focus(p.confirm) }
	p.confirm.OnSubmitted = func(string) { p.onSave() }
	rules := newCJKText("规则：" + policyWords(p.s.policy))

	p.save = widget.NewButtonWithIcon("修改密码", theme.ConfirmIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	var other *widget.Button
	if p.forced {
		other = widget.NewButtonWithIcon("退出登录", theme.LogoutIcon(), p.onSignOut)
	} else {
		other = widget.NewButtonWithIcon("取消", theme.CancelIcon(), p.onCancel)
	}
	body := container.NewVBox(title, intro, rules, p.msgs.top, formOf(
		p.msgs.row("OldPassword", "原密码", p.old),
		p.msgs.row("NewPassword", "新密码", p.new),
		p.msgs.row("Confirm", "确认新密码", p.confirm),
	), container.NewHBox(layout.NewSpacer(), other, p.save))
	p.content = centered(formWidth+80, body)
	p.msgs.frame = p.content
}

// onSave changes the password; the window checks only that the new one was
// typed the same twice, the domain checks the rest.
func (p *passwordScreen) onSave() {
	if p.busy {
		return
	}
	p.msgs.clear()
	if p.new.Text != p.confirm.Text {
		p.msgs.add("Confirm", "两次输入的新密码不一致")
		p.confirm.SetText("")
		p.s.focus(p.confirm)
		return
	}
	sess, old, pw := p.s.sess, p.old.Text, p.new.Text
	p.busy = true
	p.save.Disable()
	p.s.env.run(func() {
		err := p.s.svc.ChangePassword(sess, old, pw)
		fyne.Do(func() {
			p.busy = false
			p.save.Enable()
			p.onResult(err)
		})
	})
}

func (p *passwordScreen) onResult(err error) {
	if p.s.password != p {
		p.clearSecrets()
		return // the screen was left meanwhile
	}
	if err == nil {
		p.clearSecrets()
		p.s.passwordChanged(p.forced)
		return
	}
	if v, ok := models.AsValidation(err); ok {
		p.msgs.show(v)
		if p.msgs.text("OldPassword") != "" {
			p.old.SetText("")
			p.s.focus(p.old)
		} else {
			p.new.SetText("")
			p.confirm.SetText("")
			p.s.focus(p.new)
		}
		return
	}
	// A lockout (wrong old passwords count towards it), a broken chain:
	// nothing typed here is of use any more.
	p.clearSecrets()
	if msg, ok := accountError(err); ok {
		p.msgs.add("", msg)
		return
	}
	p.s.unexpected("修改密码", err)
}

// clearSecrets empties the three password boxes: the screen is left, or
// what was typed can't be used.
func (p *passwordScreen) clearSecrets() {
	p.old.SetText("")
	p.new.SetText("")
	p.confirm.SetText("")
}

func (p *passwordScreen) onCancel() {
	p.clearSecrets()
	p.s.passwordCancelled()
}

func (p *passwordScreen) onSignOut() {
	p.clearSecrets()
	p.s.onSignOut()
}

// lockScreen covers the window while it is locked: who it belongs to, the
// password to unlock it, and 切换用户 to sign out instead.
type lockScreen struct {
	s *Shell

	password   *entry
	unlock     *widget.Button
	switchUser *widget.Button
	msg        *widget.Label
	busy       bool

	content fyne.CanvasObject
}

func newLockScreen(s *Shell) *lockScreen {
	l := &lockScreen{s: s}
	l.buildUI()
	return l
}

func (l *lockScreen) buildUI() {
	title := heading("已锁定")
	title.Alignment = fyne.TextAlignCenter
	who := widget.NewLabelWithStyle(whoText(l.s.sess), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	l.password = newPasswordEntry()
	l.password.SetPlaceHolder("输入密码解锁")
	l.password.OnSubmitted = func(string) { l.onUnlock() }
	l.msg = errorLabel()
	l.unlock = widget.NewButtonWithIcon("解锁", theme.LoginIcon(), l.onUnlock)
	l.unlock.Importance = widget.HighImportance
	l.switchUser = widget.NewButtonWithIcon("切换用户", theme.LogoutIcon(), l.onSwitchUser)
	l.content = centered(formWidth, container.NewVBox(
		appIcon(), title, who,
		centeredText("窗口已锁定，内容已隐藏。请输入本账户的密码解锁；\n切换用户将退出当前登录，未保存的内容会丢失。"),
		formOf([2]fyne.CanvasObject{widget.NewLabel("密码"), l.password}), l.msg,
		container.NewHBox(layout.NewSpacer(), l.switchUser, l.unlock)))
}

// onUnlock checks the password of the session's own account; failures count
// towards the lockout like a sign-in's.
func (l *lockScreen) onUnlock() {
	if l.busy {
		return
	}
	sess, pw := l.s.sess, l.password.Text
	l.busy = true
	l.unlock.Disable()
	l.s.env.run(func() {
		err := l.s.svc.Unlock(sess, pw)
		fyne.Do(func() {
			l.busy = false
			l.unlock.Enable()
			l.onResult(err)
		})
	})
}

func (l *lockScreen) onResult(err error) {
	if l.s.lock != l {
		l.password.SetText("")
		return // switched user meanwhile
	}
	if err == nil {
		l.password.SetText("")
		l.s.unlocked()
		return
	}
	l.password.SetText("")
	if msg, ok := accountError(err); ok {
		setMessage(l.msg, msg)
		l.content.Refresh()
		l.s.focus(l.password)
		return
	}
	l.s.unexpected("解锁", err)
}

func (l *lockScreen) onSwitchUser() {
	l.password.SetText("")
	l.s.onSignOut()
}
