package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// setupScreen is the first-run wizard: the office's name, the security
// policy, the three administrators (三员) and the clerks. The window checks
// only that each password was typed the same twice; every other rule is the
// domain's, and its messages appear under the fields they concern.
type setupScreen struct {
	s *Shell

	office   *entry
	policy   *policyForm
	sysAdmin *accountFields
	secAdmin *accountFields
	auditor  *accountFields
	clerks   []*accountFields

	msgs     *fieldMessages // OfficeName, Clerks, and the top line
	clerkBox *fyne.Container
	addClerk *widget.Button
	submit   *widget.Button
	busy     bool
	scroll   *container.Scroll
	content  fyne.CanvasObject
}

func newSetupScreen(s *Shell) *setupScreen {
	w := &setupScreen{s: s, msgs: newFieldMessages()}
	w.buildUI()
	return w
}

func (w *setupScreen) buildUI() {
	w.office = newEntry()
	w.office.SetPlaceHolder("例如 遂安市人民政府办公室机要室")
	w.policy = newPolicyForm()
	w.policy.fill(models.DefaultPolicy)
	w.sysAdmin = newAccountFields("初始密码")
	w.secAdmin = newAccountFields("初始密码")
	w.auditor = newAccountFields("初始密码")
	w.clerkBox = container.NewVBox()
	w.addClerk = widget.NewButtonWithIcon("添加机要员", theme.ContentAddIcon(), w.onAddClerk)
	w.onAddClerk()

	w.submit = widget.NewButtonWithIcon("完成初始化", theme.ConfirmIcon(), w.onSubmit)
	w.submit.Importance = widget.HighImportance

	section := func(title, sub string, body fyne.CanvasObject) fyne.CanvasObject {
		return widget.NewCard(title, sub, body)
	}
	admins := container.NewGridWithColumns(3,
		section(models.RoleSysAdmin.String(), "管理账户、备份和单位设置", w.sysAdmin.content),
		section(models.RoleSecAdmin.String(), "分配角色、制定安全策略", w.secAdmin.content),
		section(models.RoleAuditor.String(), "查阅和校验审计记录", w.auditor.content),
	)
	body := container.NewVBox(
		heading("首次使用：初始化"),
		explain("请建立本单位的账户：系统管理员、安全保密管理员、安全审计员（三员）各一名，机要员至少一名。\n"+
			"· 安全审计员不能与系统管理员、安全保密管理员为同一人（三员分立）。\n"+
			"· 这里设置的是初始密码，每个账户首次登录时必须修改密码。"),
		w.msgs.top,
		container.NewGridWithColumns(2,
			section("单位", "名称打印在各种表单的标题中", formOf(w.msgs.row("OfficeName", "单位名称", w.office))),
			section("安全策略", "以后可由安全保密管理员修改", w.policy.content)),
		admins,
		section("机要员", "登记和管理涉密文件", container.NewVBox(w.clerkBox, w.msgs.line("Clerks"),
			container.NewHBox(w.addClerk))),
		container.NewHBox(layout.NewSpacer(), w.submit),
	)
	w.scroll = container.NewVScroll(container.NewPadded(body))
	w.content = w.scroll
	w.msgs.frame = w.scroll
	for _, a := range w.accounts() {
		a.msgs.frame = w.scroll
	}
	w.policy.msgs.frame = w.scroll
}

// onAddClerk adds the fields of one more clerk; every clerk after the first
// can be taken away again.
func (w *setupScreen) onAddClerk() {
	a := newAccountFields("初始密码")
	a.msgs.frame = w.scroll
	w.clerks = append(w.clerks, a)
	w.layoutClerks()
	if len(w.clerks) > 1 {
		w.s.focus(a.login)
	}
}

func (w *setupScreen) onRemoveClerk(a *accountFields) {
	for i, c := range w.clerks {
		if c == a {
			w.clerks = append(w.clerks[:i], w.clerks[i+1:]...)
			break
		}
	}
	w.layoutClerks()
}

func (w *setupScreen) layoutClerks() {
	objs := make([]fyne.CanvasObject, 0, len(w.clerks))
	for i, c := range w.clerks {
		title := widget.NewLabel(fmt.Sprintf("机要员 %d", i+1))
		title.TextStyle.Bold = true
		head := []fyne.CanvasObject{title, layout.NewSpacer()}
		if i > 0 {
			c := c
			remove := widget.NewButtonWithIcon("移除", theme.ContentRemoveIcon(), func() { w.onRemoveClerk(c) })
			remove.Importance = widget.LowImportance
			head = append(head, remove)
		}
		objs = append(objs, container.NewVBox(container.NewHBox(head...), c.content))
	}
	w.clerkBox.Objects = []fyne.CanvasObject{container.NewGridWithColumns(3, objs...)}
	w.clerkBox.Refresh()
}

// accounts lists every account's fields with its validation key prefix.
func (w *setupScreen) accounts() map[string]*accountFields {
	m := map[string]*accountFields{"SysAdmin": w.sysAdmin, "SecAdmin": w.secAdmin, "Auditor": w.auditor}
	for i, c := range w.clerks {
		m["Clerks."+strconv.Itoa(i)] = c
	}
	return m
}

// read returns what was typed.
func (w *setupScreen) read() (app.SetupInput, bool) {
	pol, ok := w.policy.read()
	in := app.SetupInput{OfficeName: w.office.Text, Policy: pol, SysAdmin: w.sysAdmin.read(),
		SecAdmin: w.secAdmin.read(), Auditor: w.auditor.read()}
	for _, c := range w.clerks {
		in.Clerks = append(in.Clerks, c.read())
	}
	return in, ok
}

func (w *setupScreen) clearMessages() {
	w.msgs.clear()
	w.policy.msgs.clear()
	for _, a := range w.accounts() {
		a.msgs.clear()
	}
}

// place puts one message of the domain under its field: keys like
// OfficeName, Clerks, SysAdmin.Login or Clerks.0.Password.
func (w *setupScreen) place(fe models.FieldError) {
	if w.msgs.has(fe.Field) {
		w.msgs.add(fe.Field, fe.Msg)
		return
	}
	if i := strings.LastIndex(fe.Field, "."); i > 0 {
		if a, ok := w.accounts()[fe.Field[:i]]; ok && a.msgs.has(fe.Field[i+1:]) {
			a.msgs.add(fe.Field[i+1:], fe.Msg)
			return
		}
	}
	w.msgs.add("", fe.Msg)
}

// onSubmit sets the database up. Nothing is created unless everything is
// accepted.
func (w *setupScreen) onSubmit() {
	if w.busy {
		return
	}
	w.clearMessages()
	in, ok := w.read()
	for _, a := range w.accounts() {
		ok = a.checkConfirm() && ok
	}
	if ok {
		// Setup would quietly fall back to the default policy: say what is wrong instead.
		if msg := app.CheckPolicy(in.Policy); msg != "" {
			w.policy.msgs.add("", msg)
			ok = false
		}
	}
	if !ok {
		w.msgs.add("", "没有建立任何账户：请按红字提示修改后再提交")
		w.scroll.ScrollToTop()
		return
	}
	w.busy = true
	w.submit.Disable()
	w.s.env.run(func() {
		err := w.s.svc.Setup(in)
		fyne.Do(func() {
			w.busy = false
			w.submit.Enable()
			w.onResult(err)
		})
	})
}

func (w *setupScreen) onResult(err error) {
	if w.s.setup != w {
		return
	}
	if err == nil {
		w.s.setupDone()
		return
	}
	if v, ok := models.AsValidation(err); ok {
		w.msgs.add("", "没有建立任何账户：请按红字提示修改后再提交")
		for _, fe := range v.Fields {
			w.place(fe)
		}
		w.scroll.ScrollToTop()
		return
	}
	if errors.Is(err, models.ErrAlreadySetUp) {
		w.s.showSignIn("本数据库已经初始化，请登录。")
		return
	}
	if msg, ok := accountError(err); ok {
		w.msgs.add("", msg)
		return
	}
	w.s.unexpected("初始化", err)
}
