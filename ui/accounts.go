package ui

import (
	"fmt"
	"image/color"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// userColumns are the columns of the accounts table.
var userColumns = []tableColumn{{"登录名", 150}, {"姓名", 150}, {"角色", 160}, {"状态", 280}}

// userStatus is an account's state as the administrators read it.
func userStatus(u models.User, now time.Time) string {
	switch {
	case u.Disabled:
		return "已停用"
	case now.Before(u.LockedUntil):
		return "锁定至 " + u.LockedUntil.Local().Format("2006-01-02 15:04")
	case u.MustChange:
		return "须改密码"
	}
	return "正常"
}

// usersTable lists every account; one can be selected.
type usersTable struct {
	now      func() time.Time
	users    []models.User
	selected string // the selected account's id, "" for none
	table    *widget.Table
	onSelect func(u *models.User) // nil u: nothing selected
}

func newUsersTable(now func() time.Time, onSelect func(*models.User)) *usersTable {
	t := &usersTable{now: now, onSelect: onSelect}
	t.table = newHeaderTable(userColumns, func() int { return len(t.users) }, newLabelCell, t.updateCell)
	t.table.OnSelected = t.onSelected
	return t
}

// cellText is the text at row, col.
func (t *usersTable) cellText(row, col int) string {
	if row < 0 || row >= len(t.users) {
		return ""
	}
	u := t.users[row]
	switch col {
	case 0:
		return u.Login
	case 1:
		return u.FullName
	case 2:
		return u.Role.String()
	case 3:
		return userStatus(u, t.now())
	}
	return ""
}

func (t *usersTable) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	imp := widget.MediumImportance
	if id.Col == 3 && id.Row < len(t.users) && t.cellText(id.Row, 3) != "正常" {
		imp = widget.WarningImportance
	}
	setCell(o.(*widget.Label), t.cellText(id.Row, id.Col), imp)
}

func (t *usersTable) onSelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(t.users) {
		return
	}
	t.selected = t.users[id.Row].ID
	t.onSelect(&t.users[id.Row])
}

// current is the selected account, nil when none.
func (t *usersTable) current() *models.User {
	for i := range t.users {
		if t.users[i].ID == t.selected {
			return &t.users[i]
		}
	}
	return nil
}

// set shows a fresh list, administrators first, keeping the selected account selected.
func (t *usersTable) set(users []models.User) {
	rank := map[models.Role]int{}
	for i, r := range models.Roles {
		rank[r] = i
	}
	sort.SliceStable(users, func(i, j int) bool {
		if rank[users[i].Role] != rank[users[j].Role] {
			return rank[users[i].Role] < rank[users[j].Role]
		}
		return users[i].Login < users[j].Login
	})
	t.users = users
	t.table.Refresh()
	for i, u := range users {
		if u.ID == t.selected {
			// Select calls onSelected only when the row changes; the
			// account's state may have changed all the same.
			t.table.Select(widget.TableCellID{Row: i, Col: 0})
			t.onSelect(&t.users[i])
			return
		}
	}
	t.selected = ""
	t.table.UnselectAll()
	t.onSelect(nil)
}

// selectLogin selects the account with the login, as a click would.
func (t *usersTable) selectLogin(login string) bool {
	for i, u := range t.users {
		if u.Login == login {
			t.table.Select(widget.TableCellID{Row: i, Col: 0})
			return true
		}
	}
	return false
}

// loadUsers reads the accounts off the UI goroutine into t.
func loadUsers(s *Shell, t *usersTable) {
	sess := s.sess
	s.env.run(func() {
		users, err := s.svc.Users(sess)
		fyne.Do(func() {
			if err != nil {
				if msg, ok := accountError(err); ok {
					dialog.ShowInformation("无法读取账户", msg, s.win)
					return
				}
				s.unexpected("读取账户", err)
				return
			}
			t.set(users)
		})
	})
}

// sysAdminHome is the system administrator's: the accounts (create, reset a
// password, lift a lockout, disable and enable) and the office's settings.
// Roles are the security officer's, the audit trail the auditor's.
type sysAdminHome struct {
	s *Shell

	users   *usersTable
	create  *widget.Button
	reset   *widget.Button
	unlock  *widget.Button
	toggle  *widget.Button
	status  statusLine
	creator *newAccountDialog // the open 新建账户 dialog, if any
	reseter *resetDialog      // the open 重置密码 dialog, if any

	office     *entry
	officeSave *widget.Button
	officeMsg  statusLine

	backup *backupPane // 备份与恢复; its reminder line tops the home

	tabs    *container.AppTabs
	content fyne.CanvasObject
}

func newSysAdminHome(s *Shell) *sysAdminHome {
	h := &sysAdminHome{s: s}
	h.buildUI()
	loadUsers(s, h.users)
	return h
}

func (h *sysAdminHome) buildUI() {
	h.users = newUsersTable(h.s.env.now, h.onSelect)
	h.create = widget.NewButtonWithIcon("新建账户", theme.ContentAddIcon(), h.onCreate)
	h.create.Importance = widget.HighImportance
	h.reset = widget.NewButtonWithIcon("重置密码", theme.ViewRefreshIcon(), h.onReset)
	h.unlock = widget.NewButtonWithIcon("解除锁定", theme.LoginIcon(), h.onUnlock)
	h.toggle = widget.NewButtonWithIcon("停用", theme.CancelIcon(), h.onToggle)
	refresh := widget.NewButtonWithIcon("刷新", theme.ViewRefreshIcon(), h.onRefresh)
	h.status = newStatusLine()
	h.onSelect(nil)
	accounts := container.NewBorder(container.NewVBox(
		container.NewHBox(h.create, h.reset, h.unlock, h.toggle, layout.NewSpacer(), refresh),
		h.status.Label,
		note("新建的账户都是机要员，首次登录须修改密码；其他角色由安全保密管理员分配。账户不能删除，只能停用，以便它签署过的记录始终有名可查。"),
	), nil, nil, nil, h.users.table)

	h.office = newEntry()
	h.office.SetText(h.s.svc.OfficeName())
	h.office.OnSubmitted = func(string) { h.onSaveOffice() }
	h.officeSave = widget.NewButtonWithIcon("保存", theme.DocumentSaveIcon(), h.onSaveOffice)
	h.officeSave.Importance = widget.HighImportance
	h.officeMsg = newStatusLine()
	settings := container.NewVBox(
		formOf([2]fyne.CanvasObject{widget.NewLabel("单位名称"), h.office}),
		h.officeMsg.Label,
		container.NewHBox(h.officeSave),
		note("单位名称打印在各种表单的标题中。"),
	)
	h.tabs = container.NewAppTabs(
		screenTab("账户管理", theme.AccountIcon(), container.NewPadded(accounts)),
		screenTab("单位设置", theme.SettingsIcon(), container.NewPadded(leftColumn(720, settings))),
	)
	h.backup = newBackupPane(h.s)
	h.tabs.Append(screenTab("备份与恢复", theme.StorageIcon(), container.NewPadded(h.backup.content)))
	h.content = container.NewBorder(container.NewPadded(h.backup.reminder), nil, nil, nil, h.tabs)
}

// onSelect offers what can be done to the selected account, and nothing to
// the administrator's own (the domain refuses disabling oneself).
func (h *sysAdminHome) onSelect(u *models.User) {
	if u == nil {
		h.reset.Disable()
		h.unlock.Disable()
		h.toggle.SetText("停用")
		h.toggle.Disable()
		return
	}
	h.reset.Enable()
	if h.s.env.now().Before(u.LockedUntil) {
		h.unlock.Enable()
	} else {
		h.unlock.Disable()
	}
	if u.Disabled {
		h.toggle.SetText("启用")
		h.toggle.SetIcon(theme.ConfirmIcon())
	} else {
		h.toggle.SetText("停用")
		h.toggle.SetIcon(theme.CancelIcon())
	}
	if u.ID == h.s.sess.UserID {
		h.toggle.Disable()
	} else {
		h.toggle.Enable()
	}
}

func (h *sysAdminHome) onRefresh() {
	h.status.clear()
	loadUsers(h.s, h.users)
}

// done shows the answer to an action and reads the accounts again.
func (h *sysAdminHome) done(doing string, err error, success string) bool {
	if err != nil {
		if msg, ok := accountError(err); ok {
			h.status.fail(msg)
			return false
		}
		h.s.unexpected(doing, err)
		return false
	}
	h.status.ok(success)
	loadUsers(h.s, h.users)
	return true
}

func (h *sysAdminHome) onCreate() {
	h.status.clear()
	h.creator = newNewAccountDialog(h)
	h.creator.dlg.Show()
	h.s.win.Canvas().Focus(h.creator.fields.login)
}

func (h *sysAdminHome) onReset() {
	u := h.users.current()
	if u == nil {
		return
	}
	h.status.clear()
	h.reseter = newResetDialog(h, *u)
	h.reseter.dlg.Show()
	h.s.win.Canvas().Focus(h.reseter.password)
}

func (h *sysAdminHome) onUnlock() {
	u := h.users.current()
	if u == nil {
		return
	}
	err := h.s.svc.UnlockAccount(h.s.sess, u.ID)
	h.done("解除锁定", err, fmt.Sprintf("已解除 %s（%s）的锁定", u.Login, u.FullName))
}

// onToggle enables a disabled account at once, and disables one after asking.
func (h *sysAdminHome) onToggle() {
	u := h.users.current()
	if u == nil {
		return
	}
	if u.Disabled {
		h.setDisabled(*u, false)
		return
	}
	target := *u
	dialog.ShowConfirm("停用账户",
		fmt.Sprintf("停用 %s（%s，%s）？\n停用后不能再登录；账户和它签署过的记录都保留，可以再启用。", target.Login, target.FullName, target.Role),
		func(ok bool) {
			if ok {
				h.setDisabled(target, true)
			}
		}, h.s.win)
}

func (h *sysAdminHome) setDisabled(u models.User, disabled bool) {
	err := h.s.svc.SetDisabled(h.s.sess, u.ID, disabled)
	what := "启用"
	if disabled {
		what = "停用"
	}
	h.done(what+"账户", err, fmt.Sprintf("已%s %s（%s）", what, u.Login, u.FullName))
}

func (h *sysAdminHome) onSaveOffice() {
	err := h.s.svc.SetOfficeName(h.s.sess, h.office.Text)
	if err != nil {
		if msg, ok := accountError(err); ok {
			h.officeMsg.fail(msg)
			return
		}
		h.s.unexpected("保存单位名称", err)
		return
	}
	h.s.officeChanged()
	h.officeMsg.ok("已保存。表单和登录界面从现在起使用新的单位名称。")
}

// newAccountDialog asks for a new account's login, name and first password.
type newAccountDialog struct {
	h      *sysAdminHome
	fields *accountFields
	save   *widget.Button
	dlg    *dialog.CustomDialog
}

func newNewAccountDialog(h *sysAdminHome) *newAccountDialog {
	d := &newAccountDialog{h: h}
	d.buildUI()
	return d
}

func (d *newAccountDialog) buildUI() {
	d.fields = newAccountFields("初始密码")
	d.fields.confirm.OnSubmitted = func(string) { d.onSave() }
	body := container.NewVBox(d.fields.msgs.top, d.fields.content,
		note("新账户的角色为机要员；"+policyWords(d.h.s.policy)+"首次登录时须修改密码。"))
	d.fields.msgs.frame = body
	d.dlg, d.save = newFormDialog(d.h.s.win, "新建账户", body, "建立账户", theme.ConfirmIcon(), d.onSave, d.close,
		fyne.NewSize(620, 420))
	// However the dialog goes (saved, cancelled, closed by the window),
	// the passwords typed into it go with it.
	d.dlg.SetOnClosed(d.clearSecrets)
}

// clearSecrets empties the password boxes.
func (d *newAccountDialog) clearSecrets() {
	d.fields.password.SetText("")
	d.fields.confirm.SetText("")
}

func (d *newAccountDialog) onSave() {
	d.fields.msgs.clear()
	if !d.fields.checkConfirm() {
		d.fields.confirm.SetText("")
		return
	}
	u, err := d.h.s.svc.CreateUser(d.h.s.sess, d.fields.read())
	if err != nil {
		if v, ok := models.AsValidation(err); ok {
			d.fields.msgs.show(v)
			if v.Msg("Password") != "" {
				d.clearSecrets()
				d.h.s.win.Canvas().Focus(d.fields.password)
			}
			return
		}
		if msg, ok := accountError(err); ok {
			d.fields.msgs.add("", msg)
			return
		}
		d.h.s.unexpected("新建账户", err)
		return
	}
	d.close()
	d.h.users.selected = u.ID
	d.h.done("新建账户", nil, fmt.Sprintf("已建立账户 %s（%s，%s），首次登录须修改密码", u.Login, u.FullName, u.Role))
}

func (d *newAccountDialog) close() {
	d.dlg.Hide()
	d.clearSecrets()
	if d.h.creator == d {
		d.h.creator = nil
	}
}

// resetDialog gives an account a temporary password it must change. The
// auditor's or a security officer's password can't be reset by the system
// administrator alone: the other officer (the security officer for the
// auditor, the auditor for a security officer) types their own login and
// password into the same dialog.
type resetDialog struct {
	h                 *sysAdminHome
	u                 models.User
	password, confirm *entry
	msgs              *fieldMessages
	save              *widget.Button
	dlg               *dialog.CustomDialog

	// The confirming officer's, when the account is an officer's.
	confirmer                     models.Role
	needConfirm                   bool
	confirmLogin, confirmPassword *entry
}

func newResetDialog(h *sysAdminHome, u models.User) *resetDialog {
	d := &resetDialog{h: h, u: u, msgs: newFieldMessages()}
	d.confirmer, d.needConfirm = app.ResetConfirmer(u.Role)
	d.buildUI()
	return d
}

// hiddenPasswordEntry is a password box whose text can't be shown: another
// person's password, typed at the system administrator's window.
func hiddenPasswordEntry() *entry {
	e := newPasswordEntry()
	// Any action item keeps the entry from adding its reveal button.
	e.ActionItem = canvas.NewRectangle(color.Transparent)
	return e
}

func (d *resetDialog) buildUI() {
	d.password = newPasswordEntry()
	d.confirm = newPasswordEntry()
	d.password.OnSubmitted = func(string) { d.h.s.win.Canvas().Focus(d.confirm) }
	d.confirm.OnSubmitted = func(string) { d.onSave() }
	parts := []fyne.CanvasObject{
		widget.NewLabel(fmt.Sprintf("为 %s（%s，%s）设置临时密码。", d.u.Login, d.u.FullName, d.u.Role)),
		d.msgs.top,
		formOf(d.msgs.row("Password", "临时密码", d.password), d.msgs.row("Confirm", "确认密码", d.confirm)),
	}
	size := fyne.NewSize(620, 340)
	if d.needConfirm {
		d.confirmLogin = newEntry()
		d.confirmLogin.SetPlaceHolder(d.confirmer.String() + "的登录名")
		d.confirmPassword = hiddenPasswordEntry()
		d.confirmPassword.SetPlaceHolder(d.confirmer.String() + "本人输入")
		d.confirm.OnSubmitted = func(string) { d.h.s.win.Canvas().Focus(d.confirmLogin) }
		d.confirmLogin.OnSubmitted = func(string) { d.h.s.win.Canvas().Focus(d.confirmPassword) }
		d.confirmPassword.OnSubmitted = func(string) { d.onSave() }
		who := widget.NewLabel(d.confirmer.String() + "确认")
		who.TextStyle.Bold = true
		parts = append(parts, widget.NewSeparator(), who,
			note(fmt.Sprintf("%s的密码不能由系统管理员一人重置：请%s本人在下面输入自己的登录名和密码。"+
				"输错的密码计入%s账户的连续失败次数；这次重置将在审计记录中特别标出，注明确认人。",
				d.u.Role, d.confirmer, d.confirmer)),
			formOf(d.msgs.row("ConfirmLogin", "确认人登录名", d.confirmLogin),
				d.msgs.row("ConfirmPassword", "确认人密码", d.confirmPassword)))
		size = fyne.NewSize(660, 560)
	}
	parts = append(parts, note(policyWords(d.h.s.policy)+"账户下次登录时须修改密码；重置也解除锁定。"))
	body := container.NewVBox(parts...)
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(d.h.s.win, "重置密码", body, "重置密码", theme.ConfirmIcon(), d.onSave, d.close, size)
	// However the dialog goes (done, cancelled, closed by the window), the
	// passwords typed into it go with it.
	d.dlg.SetOnClosed(d.clearSecrets)
}

// clearSecrets empties every password box of the dialog.
func (d *resetDialog) clearSecrets() {
	d.password.SetText("")
	d.confirm.SetText("")
	if d.confirmPassword != nil {
		d.confirmPassword.SetText("")
	}
}

func (d *resetDialog) onSave() {
	d.msgs.clear()
	if d.password.Text != d.confirm.Text {
		d.msgs.add("Confirm", "两次输入的密码不一致")
		d.confirm.SetText("")
		d.h.s.win.Canvas().Focus(d.confirm)
		return
	}
	var conf *app.Confirmation
	if d.needConfirm {
		conf = &app.Confirmation{Login: d.confirmLogin.Text, Password: d.confirmPassword.Text}
	}
	err := d.h.s.svc.ResetPassword(d.h.s.sess, d.u.ID, d.password.Text, conf)
	if err != nil {
		// The other officer's password is never left in the box: they
		// type it again for the next try.
		if d.confirmPassword != nil {
			d.confirmPassword.SetText("")
		}
		if v, ok := models.AsValidation(err); ok {
			d.msgs.show(v)
			switch {
			case v.Msg("Password") != "":
				d.password.SetText("")
				d.confirm.SetText("")
				d.h.s.win.Canvas().Focus(d.password)
			case v.Msg("ConfirmLogin") != "" && d.confirmLogin != nil:
				d.h.s.win.Canvas().Focus(d.confirmLogin)
			case d.confirmPassword != nil:
				d.h.s.win.Canvas().Focus(d.confirmPassword)
			}
			return
		}
		if msg, ok := accountError(err); ok {
			d.msgs.add("", msg)
			return
		}
		d.h.s.unexpected("重置密码", err)
		return
	}
	d.close()
	what := fmt.Sprintf("已重置 %s（%s）的密码，下次登录须修改", d.u.Login, d.u.FullName)
	if d.needConfirm {
		what += "（经" + d.confirmer.String() + "确认，已记入审计记录）"
	}
	d.h.done("重置密码", nil, what)
}

func (d *resetDialog) close() {
	d.dlg.Hide()
	d.clearSecrets()
	if d.h.reseter == d {
		d.h.reseter = nil
	}
}
