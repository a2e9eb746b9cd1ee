// Package ui is secdoc's desktop window: the home view with the counts of what
// is held, the registration form, the ledger (台账) with its detail view, and
// the dialogs to edit and void a registration. It talks to the register only
// through the Backend interface it declares, never runs SQL, and does slow work
// off the UI goroutine, applying the results with fyne.Do.
package ui

import (
	"errors"
	"fmt"
	"log"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// Backend is the narrow interface of the use cases the window uses;
// *app.Service satisfies it.
type Backend interface {
	Register(by string, f models.CarrierForm) ([]models.Carrier, error)
	Edit(by, id string, version int, f models.CarrierForm, reason string) (models.Carrier, error)
	Void(by, id string, version int, reason string) error
	Get(id string) (models.Carrier, error)
	History(id string) ([]models.CarrierEvent, error)
	Count(q app.Query) (int64, error)
	Page(q app.Query, offset, limit int) ([]models.Carrier, error)
	Stats() (app.Stats, error)
	Issuers() ([]string, error)
	Years() ([]int, error)
}

// Options say who is working and on which file.
type Options struct {
	Operator string // who is working; recorded in history
	DBPath   string // shown in the status bar
	// StartView is the screen shown first: ViewHome (default), ViewRegister or ViewLedger.
	StartView string
}

// The screens Options.StartView can name.
const (
	ViewHome     = "home"
	ViewRegister = "register"
	ViewLedger   = "ledger"
)

// searchDelay is how long the keyword box waits after the last keystroke.
const searchDelay = 250 * time.Millisecond

// env is what tests replace: how background work runs, the clock, and the
// keyword box's debounce.
type env struct {
	run   func(func()) // runs a loader; the loader applies its result with fyne.Do
	now   func() time.Time
	delay time.Duration
}

// MainUI is the main window's content and the state shared by its screens.
type MainUI struct {
	app  fyne.App // kept for what needs the application (preferences, clipboard)
	win  fyne.Window
	b    Backend
	opts Options
	env  env

	tabs                            *container.AppTabs
	homeTab, registerTab, ledgerTab *container.TabItem

	home     *homeScreen
	register *registerScreen
	ledger   *ledgerScreen
	detail   *detailView

	statusCounts *widget.Label
	content      fyne.CanvasObject

	errDialog dialog.Dialog // the unexpected-error dialog on screen, if any
	statsGen  int
}

// New builds the window's content for backend b and starts loading it. main.go
// puts Content() into the window.
func New(a fyne.App, w fyne.Window, b Backend, opts Options) *MainUI {
	return newMainUI(a, w, b, opts, env{run: func(f func()) { go f() }, now: time.Now, delay: searchDelay})
}

func newMainUI(a fyne.App, w fyne.Window, b Backend, opts Options, e env) *MainUI {
	m := &MainUI{app: a, win: w, b: b, opts: opts, env: e}
	m.home = newHomeScreen(m)
	m.register = newRegisterScreen(m)
	m.detail = newDetailView(m)
	m.ledger = newLedgerScreen(m)
	m.buildUI()
	switch opts.StartView {
	case ViewRegister:
		m.showRegister()
	case ViewLedger:
		m.showLedger()
	}
	m.refreshStats()
	m.refreshLookups()
	m.ledger.reload()
	return m
}

// Content is the object to put into the window.
func (m *MainUI) Content() fyne.CanvasObject { return m.content }

func (m *MainUI) buildUI() {
	m.homeTab = container.NewTabItemWithIcon("首页", theme.HomeIcon(), m.home.content)
	m.registerTab = container.NewTabItemWithIcon("登记", theme.DocumentCreateIcon(), m.register.content)
	m.ledgerTab = container.NewTabItemWithIcon("台账", theme.ListIcon(), m.ledger.content)
	m.tabs = container.NewAppTabs(m.homeTab, m.registerTab, m.ledgerTab)
	m.tabs.OnSelected = m.onTabSelected

	m.statusCounts = widget.NewLabel("正在统计…")
	operator := m.opts.Operator
	if operator == "" {
		operator = "（未设置）"
	}
	status := container.NewHBox(
		m.statusCounts,
		widget.NewSeparator(),
		widget.NewLabel("操作员："+operator),
		widget.NewSeparator(),
		widget.NewLabel("数据库："+m.opts.DBPath),
	)
	m.content = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), status), nil, nil, m.tabs)
}

func (m *MainUI) onTabSelected(t *container.TabItem) {
	switch t {
	case m.registerTab:
		m.focus(m.register.form.docNumber)
	case m.ledgerTab:
		m.focus(m.ledger.keyword)
	}
}

// showRegister switches to the registration form, ready for typing.
func (m *MainUI) showRegister() { m.tabs.Select(m.registerTab) }

// showLedger switches to the ledger.
func (m *MainUI) showLedger() { m.tabs.Select(m.ledgerTab) }

// today is the local date as the form shows it.
func (m *MainUI) today() string { return m.env.now().Format(models.DateLayout) }

func (m *MainUI) focus(f fyne.Focusable) {
	o, ok := f.(fyne.CanvasObject)
	if !ok || fyne.CurrentApp().Driver().CanvasForObject(o) == nil {
		return // not on screen yet (the window's content is set after New)
	}
	if c := m.win.Canvas(); c != nil {
		c.Focus(f)
	}
}

// changed is called after every save, edit or void: everything that counts
// or lists carriers is loaded again.
func (m *MainUI) changed() {
	m.refreshStats()
	m.refreshLookups()
	m.ledger.reload()
}

// refreshStats loads the counts of the status bar and the home view.
func (m *MainUI) refreshStats() {
	m.statsGen++
	gen := m.statsGen
	m.env.run(func() {
		st, err := m.b.Stats()
		fyne.Do(func() {
			if gen != m.statsGen {
				return
			}
			if err != nil {
				m.unexpected("统计在册数量", err)
				return
			}
			m.statusCounts.SetText(heldSummary(st))
			m.home.apply(st)
		})
	})
}

// refreshLookups loads the lists that filters and completions offer.
func (m *MainUI) refreshLookups() {
	m.env.run(func() {
		issuers, err := m.b.Issuers()
		var years []int
		if err == nil {
			years, err = m.b.Years()
		}
		fyne.Do(func() {
			if err != nil {
				m.unexpected("读取来文单位和年份", err)
				return
			}
			m.register.form.setIssuers(issuers)
			m.ledger.setLookups(issuers, years)
		})
	})
}

// heldSummary is the status bar's count: 在册 1,234 件 · 绝密 12 · 机密 345 · 秘密 877.
func heldSummary(st app.Stats) string {
	return fmt.Sprintf("在册 %s 件 · 绝密 %s · 机密 %s · 秘密 %s", thousands(st.Held),
		thousands(st.HeldByLevel[models.LevelTopSecret]), thousands(st.HeldByLevel[models.LevelSecret]),
		thousands(st.HeldByLevel[models.LevelConfidential]))
}

// thousands prints n with a comma every three digits, as counts are read in the office.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// knownError turns an error the clerk can act on into a Chinese sentence.
func knownError(err error) (string, bool) {
	switch {
	case errors.Is(err, models.ErrStale):
		return "该记录已被他人修改，请关闭后重新打开", true
	case errors.Is(err, models.ErrVoided):
		return "该记录已作废，不能再修改或作废", true
	case errors.Is(err, models.ErrNotFound):
		return "找不到该记录，请刷新台账后重试", true
	case errors.Is(err, models.ErrLocked):
		return "数据库正被另一个程序使用，请关闭它后重试", true
	}
	return "", false
}

// unexpected logs an error nobody could have foreseen, with everything it
// says, and shows the clerk a short sentence without SQL or file paths.
// doing names the action in Chinese, e.g. 保存登记.
func (m *MainUI) unexpected(doing string, err error) {
	log.Printf("secdoc: %s: %v", doing, err)
	if m.errDialog != nil {
		return // one dialog at a time: a broken disk must not bury the window in dialogs
	}
	msg := fmt.Sprintf("%s时出错，操作没有完成。\n请重试；如果仍然出错，请联系系统管理员（详情已记入日志）。", doing)
	d := dialog.NewInformation("出错了", msg, m.win)
	d.SetOnClosed(func() { m.errDialog = nil })
	m.errDialog = d
	d.Show()
}

// errorLabel is a red message line, hidden while it has nothing to say.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// setMessage shows msg in l, hiding l when msg is empty.
func setMessage(l *widget.Label, msg string) {
	l.SetText(msg)
	if msg == "" {
		l.Hide()
	} else {
		l.Show()
	}
}
