package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/assets"
	"secdoc/models"
)

// fieldMessages puts the domain's messages beside the fields they name: a red
// line under each field, keyed like models.FieldError.Field, and one line at
// the top for messages that name no field shown.
type fieldMessages struct {
	top   *widget.Label
	byKey map[string]*widget.Label
	// frame is laid out again when lines appear or go, so that they push the
	// fields below them down (Fyne's window would on the next frame; the test
	// canvas does not).
	frame fyne.CanvasObject
}

func newFieldMessages() *fieldMessages {
	return &fieldMessages{top: errorLabel(), byKey: map[string]*widget.Label{}}
}

// row returns a field's label and the field above its message line: the two
// cells of a form layout.
func (m *fieldMessages) row(key, label string, field fyne.CanvasObject) [2]fyne.CanvasObject {
	msg := errorLabel()
	m.byKey[key] = msg
	watchEdits(field, func() {
		if msg.Visible() {
			setMessage(msg, "")
			m.relayout()
		}
	})
	return [2]fyne.CanvasObject{widget.NewLabel(label), container.NewVBox(field, msg)}
}

// formOf lays rows out as a two-column form.
func formOf(rows ...[2]fyne.CanvasObject) *fyne.Container {
	objs := make([]fyne.CanvasObject, 0, 2*len(rows))
	for _, r := range rows {
		objs = append(objs, r[0], r[1])
	}
	return container.New(layout.NewFormLayout(), objs...)
}

// line returns a message line for key that belongs to no single field,
// such as a whole section's.
func (m *fieldMessages) line(key string) *widget.Label {
	l := errorLabel()
	m.byKey[key] = l
	return l
}

// has reports whether a field has the key.
func (m *fieldMessages) has(key string) bool {
	_, ok := m.byKey[key]
	return ok
}

// add appends msg to the line of key, or to the top line when no field has
// the key.
func (m *fieldMessages) add(key, msg string) {
	l, ok := m.byKey[key]
	if !ok {
		l = m.top
	}
	if l.Visible() && l.Text != "" {
		msg = l.Text + "；" + msg
	}
	setMessage(l, msg)
	m.relayout()
}

// explain shows why err refused what was asked: the domain's messages
// beside their fields, a known error on the top line; anything else is
// unexpected, logged and said shortly by unexpected(doing, err).
func (m *fieldMessages) explain(err error, doing string, unexpected func(doing string, err error)) {
	if v, ok := models.AsValidation(err); ok {
		m.show(v)
		return
	}
	if msg, ok := knownError(err); ok {
		m.add("", msg)
		return
	}
	unexpected(doing, err)
}

// show adds every message of v.
func (m *fieldMessages) show(v *models.ValidationError) {
	for _, fe := range v.Fields {
		m.add(fe.Field, fe.Msg)
	}
}

// clear hides every line.
func (m *fieldMessages) clear() {
	setMessage(m.top, "")
	for _, l := range m.byKey {
		setMessage(l, "")
	}
	m.relayout()
}

// text is the message shown under key ("" for the top line), "" when none.
func (m *fieldMessages) text(key string) string {
	l, ok := m.byKey[key]
	if key == "" {
		l, ok = m.top, true
	}
	if ok && l.Visible() {
		return l.Text
	}
	return ""
}

func (m *fieldMessages) relayout() {
	if m.frame != nil {
		m.frame.Refresh()
	}
}

// accountFields are the four entries of a new account: 登录名, 姓名, a first
// password and its confirmation, with their message lines keyed Login,
// FullName, Password and Confirm.
type accountFields struct {
	login, fullName   *entry
	password, confirm *entry
	msgs              *fieldMessages
	content           *fyne.Container
}

func newAccountFields(passwordLabel string) *accountFields {
	a := &accountFields{msgs: newFieldMessages()}
	a.login = newEntry()
	a.login.SetPlaceHolder("字母或数字，例如 wangmin")
	a.fullName = newEntry()
	a.fullName.SetPlaceHolder("使用这个账户的人的姓名")
	a.password = newPasswordEntry()
	a.confirm = newPasswordEntry()
	a.content = formOf(
		a.msgs.row("Login", "登录名", a.login),
		a.msgs.row("FullName", "姓名", a.fullName),
		a.msgs.row("Password", passwordLabel, a.password),
		a.msgs.row("Confirm", "确认密码", a.confirm),
	)
	return a
}

// read returns the account as typed.
func (a *accountFields) read() app.NewAccount {
	return app.NewAccount{Login: a.login.Text, FullName: a.fullName.Text, Password: a.password.Text}
}

// checkConfirm is the one check the window makes itself: the password typed
// twice is the same. It reports whether it is.
func (a *accountFields) checkConfirm() bool {
	if a.password.Text != a.confirm.Text {
		a.msgs.add("Confirm", "两次输入的密码不一致")
		return false
	}
	return true
}

// policyForm is the five numbers of the security policy.
type policyForm struct {
	minLength, minClasses, maxFailures, lockout, idle *entry
	msgs                                              *fieldMessages
	content                                           fyne.CanvasObject
}

func newPolicyForm() *policyForm {
	p := &policyForm{msgs: newFieldMessages()}
	num := func(hint string) *entry {
		e := newEntry()
		e.SetPlaceHolder(hint)
		return e
	}
	p.minLength = num("8 到 64")
	p.minClasses = num("2 到 4")
	p.maxFailures = num("3 到 10")
	p.lockout = num("5 到 1440")
	p.idle = num("1 到 60")
	p.content = container.NewVBox(p.msgs.top, formOf(
		p.msgs.row("MinLength", "密码最短长度（位）", p.minLength),
		p.msgs.row("MinClasses", "字符类别数（大写、小写、数字、符号中至少几类）", p.minClasses),
		p.msgs.row("MaxFailures", "连续失败次数（达到即锁定账户）", p.maxFailures),
		p.msgs.row("LockoutMinutes", "锁定分钟", p.lockout),
		p.msgs.row("IdleMinutes", "空闲锁屏分钟（无操作多久锁定窗口）", p.idle),
	))
	return p
}

// fill shows a policy.
func (p *policyForm) fill(pol models.Policy) {
	p.minLength.SetText(strconv.Itoa(pol.MinLength))
	p.minClasses.SetText(strconv.Itoa(pol.MinClasses))
	p.maxFailures.SetText(strconv.Itoa(pol.MaxFailures))
	p.lockout.SetText(strconv.Itoa(pol.LockoutMinutes))
	p.idle.SetText(strconv.Itoa(pol.IdleMinutes))
}

// read returns the policy typed and whether every field is a whole number;
// a field that is not gets its message. Whether the numbers are acceptable
// is the domain's to say (app.CheckPolicy).
func (p *policyForm) read() (models.Policy, bool) {
	var out models.Policy
	ok := true
	for _, f := range []struct {
		key string
		e   *entry
		to  *int
	}{
		{"MinLength", p.minLength, &out.MinLength}, {"MinClasses", p.minClasses, &out.MinClasses},
		{"MaxFailures", p.maxFailures, &out.MaxFailures}, {"LockoutMinutes", p.lockout, &out.LockoutMinutes},
		{"IdleMinutes", p.idle, &out.IdleMinutes},
	} {
		n, err := strconv.Atoi(strings.TrimSpace(models.NormalizeWidth(f.e.Text)))
		if err != nil {
			p.msgs.add(f.key, "请填写整数")
			ok = false
		}
		*f.to = n
	}
	return out, ok
}

// policyWords states the password rules of a policy in a sentence.
func policyWords(p models.Policy) string {
	return fmt.Sprintf("密码至少 %d 位，须包含大写字母、小写字母、数字、符号中的至少 %d 类，不能含空格，也不能包含登录名。",
		p.MinLength, p.MinClasses)
}

// whoText names a signed-in person with their role: 王敏（机要员）.
func whoText(sess *app.Session) string {
	if sess == nil {
		return ""
	}
	return fmt.Sprintf("%s（%s）", sess.FullName, sess.Role)
}

// accountError turns an error of accounts and permissions into the Chinese
// sentence to show, when it is one.
func accountError(err error) (string, bool) { return app.Explain(err) }

// statusLine is a one-line answer to the last action: red for a refusal,
// green for a success, hidden while it has nothing to say.
type statusLine struct{ *widget.Label }

func newStatusLine() statusLine { return statusLine{errorLabel()} }

func (s statusLine) fail(msg string) {
	s.Importance = widget.DangerImportance
	setMessage(s.Label, msg)
}

func (s statusLine) ok(msg string) {
	s.Importance = widget.SuccessImportance
	setMessage(s.Label, msg)
}

func (s statusLine) clear() { setMessage(s.Label, "") }

// widthLayout gives its objects a fixed width, or the space there is when
// less, and their tallest minimum height: a form that stays readable in the
// middle of a large window.
type widthLayout struct{ width float32 }

func (l widthLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		if o.Visible() {
			h = max(h, o.MinSize().Height)
		}
	}
	return fyne.NewSize(l.width, h)
}

func (l widthLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
		o.Move(fyne.NewPos(0, 0))
	}
}

// centered puts content of the given width in the middle of the space, on
// a panel that sets it off from the window's background.
func centered(width float32, content fyne.CanvasObject) fyne.CanvasObject {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameSeparator)
	bg.StrokeWidth = 1
	bg.CornerRadius = 8
	return container.NewCenter(container.New(widthLayout{width},
		container.NewStack(bg, container.New(layout.NewCustomPaddedLayout(16, 16, 20, 20), content))))
}

// leftColumn gives content a fixed width at the left of its space: a form
// of short fields that must not stretch across a wide window.
func leftColumn(width float32, content fyne.CanvasObject) fyne.CanvasObject {
	return container.NewHBox(container.New(widthLayout{width}, content))
}

// appIcon is the program's icon at the size of a title.
func appIcon() fyne.CanvasObject {
	img := canvas.NewImageFromResource(fyne.NewStaticResource("icon.png", assets.Icon))
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(72, 72))
	return container.NewCenter(img)
}

// heading is a large bold title.
func heading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameHeadingText
	l.TextStyle.Bold = true
	return l
}

// note is a line of explanation in low importance, wrapped as Chinese is.
func note(text string) *cjkText {
	l := newCJKText(text)
	l.Importance = widget.LowImportance
	return l
}

// centeredNote is a note in the middle of its line.
func centeredNote(text string) *cjkText {
	l := note(text)
	l.Alignment = fyne.TextAlignCenter
	return l
}

// centeredText is a wrapped line of ordinary text in the middle of its space.
func centeredText(text string) *cjkText {
	l := newCJKText(text)
	l.Alignment = fyne.TextAlignCenter
	return l
}

// explain is a wrapped paragraph of ordinary text that says what a screen is for.
func explain(text string) *cjkText { return newCJKText(text) }

// loadThen runs load off the UI goroutine, then, on it: nothing when stale
// says a newer load has begun; a refusal of the domain on status; any other
// error reported as unexpected while doing; otherwise apply.
func (m *MainUI) loadThen(load func() error, stale func() bool, status statusLine, doing string, apply func()) {
	m.loadFresh(nil, load, stale, status, doing, apply)
}

// screenTab is a tab whose screen sits in a scroll of its own. A screen
// that fits (all of them, at 1024×768 and up) shows as it is; one that grows
// with what it holds (a long list of findings, a message) scrolls inside the
// window instead of making the window grow past the screen.
func screenTab(text string, icon fyne.Resource, content fyne.CanvasObject) *container.TabItem {
	return container.NewTabItemWithIcon(text, icon, container.NewScroll(content))
}

// truncated is a one-line label that gives up its end rather than widen the
// window: a long path in the status bar.
func truncated(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// fitIn is size made no larger than the window less a margin, so that a
// large dialog on a 1024×768 screen keeps a rim of the window around it
// (Fyne would only clip it to the window's very edge).
func fitIn(win fyne.Window, size fyne.Size) fyne.Size {
	room := win.Canvas().Size()
	if room.Width > 40 && room.Height > 40 {
		size.Width = min(size.Width, room.Width-24)
		size.Height = min(size.Height, room.Height-24)
	}
	return size
}

// generation tells a load's answer from a newer load's: a screen that
// reloads while an older load is still reading drops the older answer.
type generation struct{ n int }

// next starts a load and returns what tells, on the window's goroutine,
// whether a newer one has started since.
func (g *generation) next() (stale func() bool) {
	g.n++
	n := g.n
	return func() bool { return n != g.n }
}

// newFormDialog is a dialog of fields with 取消 and a blue main button at
// its foot, sized to fit the window: Esc presses 取消 and Enter the main
// button (keys.go), wherever the focus is.
func newFormDialog(win fyne.Window, title string, body fyne.CanvasObject, okText string, okIcon fyne.Resource,
	onOK, onCancel func(), size fyne.Size) (*dialog.CustomDialog, *widget.Button) {
	ok := widget.NewButtonWithIcon(okText, okIcon, onOK)
	ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("取消", theme.CancelIcon(), onCancel)
	d := dialog.NewCustomWithoutButtons(title, body, win)
	d.SetButtons([]fyne.CanvasObject{cancel, layout.NewSpacer(), ok})
	d.Resize(fitIn(win, size))
	return d, ok
}
