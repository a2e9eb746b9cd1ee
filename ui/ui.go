// Package ui is secdoc's desktop window. The Shell leads from the first-run
// setup and the sign-in to the home of the signed-in role, and locks the
// window when it is left idle. The clerk's home is MainUI: the counts of what
// is held, the registration form, the ledger (台账) with its detail view, and
// the dialogs to edit and void a registration; the three administrators (三员)
// have their own homes. The package talks to the register only through the
// Service interface it declares, never runs SQL, and does slow work off the UI
// goroutine, applying the results with fyne.Do.
package ui

import (
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

// searchDelay is how long the keyword box waits after the last keystroke.
const searchDelay = 250 * time.Millisecond

// env is what tests replace: how background work runs, the clock, the
// keyword box's debounce and how often the idle lock is checked.
type env struct {
	run   func(func()) // runs a loader; the loader applies its result with fyne.Do
	now   func() time.Time
	delay time.Duration
	tick  time.Duration           // 0: no idle ticker (tests call checkIdle themselves)
	open  func(path string) error // opens a file or folder with the desktop's program; nil: openWithSystem
}

// openFile opens path with the desktop's program for it.
func (e env) openFile(path string) error {
	if e.open != nil {
		return e.open(path)
	}
	return openWithSystem(path)
}

// MainUI is the clerk's home: the tabs of the register and the state shared
// by its screens.
type MainUI struct {
	app   fyne.App // kept for what needs the application (preferences, clipboard)
	win   fyne.Window
	b     Service
	sess  *app.Session
	opts  Options
	env   env
	touch func() // typing in the register form: the person is working
	// inWindow reports whether the home is the window's content; nil until
	// the Shell shows it.
	inWindow func() bool

	tabs                                        *container.AppTabs
	homeTab, registerTab, ledgerTab, destroyTab *container.TabItem

	home      *homeScreen
	register  *registerScreen
	ledger    *ledgerScreen
	detail    *detailView
	destroy   *destroyScreen
	returns   *returnScreen   // 清退 (R8, R16)
	handover  *handoverScreen // 交接 (R5)
	people    *peopleScreen   // 人员 (R27)
	review    *reviewPane     // 年度审核 (R26)
	reviewTab *container.TabItem
	inspect   *inspectScreen // 保密检查 (R26)
	peopleTab *container.TabItem

	returnTab, handoverTab *container.TabItem

	printing *printDialog // the last 打印 dialog opened

	statusCounts *widget.Label
	content      fyne.CanvasObject

	errDialog dialog.Dialog // the unexpected-error dialog on screen, if any
	statsGen  int
	// What the status bar's counts and the lookups (来文单位, years,
	// people) were last read from.
	statsFresh, lookupsFresh fresh
}

// newMainUI builds the clerk's home for session sess and starts loading it.
// touch is called whenever the clerk types into the register form.
func newMainUI(a fyne.App, w fyne.Window, b Service, sess *app.Session, opts Options, e env, touch func()) *MainUI {
	if touch == nil {
		touch = func() {}
	}
	m := &MainUI{app: a, win: w, b: b, sess: sess, opts: opts, env: e, touch: touch,
		statsFresh: newFresh(nil, app.ChangeCarriers), lookupsFresh: newFresh(nil, app.ChangeCarriers, app.ChangePeople)}
	m.home = newHomeScreen(m)
	m.register = newRegisterScreen(m)
	m.detail = newDetailView(m)
	m.ledger = newLedgerScreen(m)
	m.destroy = newDestroyScreen(m)
	m.returns = newReturnScreen(m)
	m.handover = newHandoverScreen(m)
	m.people = newPeopleScreen(m)
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
	if m.tabs.Selected() == m.homeTab {
		m.home.show()
	}
	return m
}

// Content is the object to put into the window.
func (m *MainUI) Content() fyne.CanvasObject { return m.content }

func (m *MainUI) buildUI() {
	m.homeTab = screenTab("首页", theme.HomeIcon(), m.home.content)
	m.registerTab = screenTab("登记", theme.DocumentCreateIcon(), m.register.content)
	m.ledgerTab = screenTab("台账", theme.ListIcon(), m.ledger.content)
	m.destroyTab = screenTab("销毁", theme.DeleteIcon(), m.destroy.content)
	m.tabs = container.NewAppTabs(m.homeTab, m.registerTab, m.ledgerTab, m.destroyTab)
	m.tabs.OnSelected = m.onTabSelected
	m.addInspectionTab() // 自查, after 销毁 (R4, R19)
	m.returnTab = screenTab("清退", theme.MailReplyIcon(), m.returns.content)
	m.handoverTab = screenTab("交接", theme.AccountIcon(), m.handover.content)
	m.tabs.Append(m.returnTab)
	m.tabs.Append(m.handoverTab)
	m.peopleTab = screenTab("人员", theme.AccountIcon(), m.people.content)
	m.tabs.Append(m.peopleTab)
	m.review = newReviewPane(m.b, m.sess, m.env, m.win, m)
	m.reviewTab = screenTab("年度审核", theme.HistoryIcon(), container.NewPadded(m.review.content))
	m.tabs.Append(m.reviewTab)
	m.addStatsTab() // 统计 (R26)
	m.inspect = newInspectScreen(m)
	m.tabs.Append(screenTab("保密检查", theme.FileIcon(), container.NewPadded(m.inspect.content)))

	m.statusCounts = widget.NewLabel("正在统计…")
	status := container.NewBorder(nil, nil, container.NewHBox(
		m.statusCounts,
		widget.NewSeparator(),
		widget.NewLabel(whoText(m.sess)),
		widget.NewSeparator(),
	), nil, truncated("数据库："+m.opts.DBPath))
	m.content = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), status), nil, nil, m.tabs)
}

// onTabSelected shows a screen as it last was, and loads it again only when
// what it shows changed since (or, for what falls due, the day turned).
func (m *MainUI) onTabSelected(t *container.TabItem) {
	m.touch()
	m.reloadStale(t)
	switch t {
	case m.registerTab:
		m.focus(m.register.form.docNumber)
	case m.ledgerTab:
		m.focus(m.ledger.keyword)
	}
}

// reloadStale loads the screen of tab t again if what it shows changed
// since it last loaded. The 自查 and 统计 tabs do the same themselves.
func (m *MainUI) reloadStale(t *container.TabItem) {
	now := m.env.now()
	switch t {
	case m.homeTab:
		m.home.fresh.refresh(m.b, now, m.home.loadOverdue)
	case m.ledgerTab:
		m.ledger.fresh.refresh(m.b, now, m.ledger.reload)
	case m.destroyTab:
		m.destroy.fresh.refresh(m.b, now, m.destroy.reload)
	case m.returnTab:
		m.returns.fresh.refresh(m.b, now, m.returns.reload)
	case m.handoverTab:
		m.handover.fresh.refresh(m.b, now, m.handover.reload)
	case m.peopleTab:
		m.people.fresh.refresh(m.b, now, m.people.reload)
	case m.reviewTab:
		m.review.show()
	}
}

// showRegister switches to the registration form, ready for typing.
func (m *MainUI) showRegister() { m.tabs.Select(m.registerTab) }

// showLedger switches to the ledger.
func (m *MainUI) showLedger() { m.tabs.Select(m.ledgerTab) }

// showDestroy switches to the destruction batches.
func (m *MainUI) showDestroy() { m.tabs.Select(m.destroyTab) }

// showReturns switches to the 清退 slips.
func (m *MainUI) showReturns() { m.tabs.Select(m.returnTab) }

// showHandover switches to the handovers.
func (m *MainUI) showHandover() { m.tabs.Select(m.handoverTab) }

// today is the local date as the form shows it.
func (m *MainUI) today() string { return m.env.now().Format(models.DateLayout) }

func (m *MainUI) focus(f fyne.Focusable) {
	o, ok := f.(fyne.CanvasObject)
	c := m.win.Canvas()
	if !ok || c == nil {
		return
	}
	// An object the window has drawn is on the canvas; one just brought into
	// view (a tab shown for the first time) is in the content's tree but not
	// drawn yet: the canvas finds it while the home is in the window.
	if fyne.CurrentApp().Driver().CanvasForObject(o) != nil || (m.inWindow != nil && m.inWindow()) {
		c.Focus(f)
	}
}

// changed is called after every change the clerk makes: the status bar,
// the lookups, the ledger and the screen shown load again what the change
// touched; the other screens do when they are next shown.
func (m *MainUI) changed() {
	m.refreshStats()
	m.refreshLookups()
	m.ledger.fresh.refresh(m.b, m.env.now(), m.ledger.reload)
	if t := m.tabs.Selected(); t != m.ledgerTab {
		m.reloadStale(t)
	}
}

// refreshStats loads the counts of the status bar and the home's tiles,
// when the register's carriers changed since they were read.
func (m *MainUI) refreshStats() {
	if !m.statsFresh.stale(m.b, m.env.now()) {
		return
	}
	m.statsFresh.start(m.b, m.env.now())
	m.statsGen++
	gen := m.statsGen
	m.env.run(func() {
		st, err := m.b.Stats(m.sess)
		fyne.Do(func() {
			if err != nil {
				m.statsFresh.forget()
			}
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

// refreshLookups loads the lists that filters and completions offer, when
// the carriers or the people changed since they were read.
func (m *MainUI) refreshLookups() {
	if !m.lookupsFresh.stale(m.b, m.env.now()) {
		return
	}
	m.lookupsFresh.start(m.b, m.env.now())
	m.env.run(func() {
		issuers, err := m.b.Issuers(m.sess)
		var years []int
		var people []string
		if err == nil {
			years, err = m.b.Years(m.sess)
		}
		if err == nil {
			people, err = m.b.People(m.sess)
		}
		fyne.Do(func() {
			if err != nil {
				m.lookupsFresh.forget()
				m.unexpected("读取来文单位、年份和人员", err)
				return
			}
			m.register.form.setIssuers(issuers)
			m.register.form.setPeople(people)
			m.ledger.setLookups(issuers, years)
		})
	})
}

// heldSummary is the status bar's count of 国家秘密 held: 在册 1,234 件 ·
// 绝密 12 · 机密 345 · 秘密 877, then 内部、非密 apart when there are any (R21).
func heldSummary(st app.Stats) string {
	s := fmt.Sprintf("在册 %s 件 · 绝密 %s · 机密 %s · 秘密 %s", thousands(st.HeldSecret),
		thousands(st.HeldByLevel[models.LevelTopSecret]), thousands(st.HeldByLevel[models.LevelSecret]),
		thousands(st.HeldByLevel[models.LevelConfidential]))
	if n := st.Held - st.HeldSecret; n > 0 {
		s += " · 另有内部、非密 " + thousands(n)
	}
	return s
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
func knownError(err error) (string, bool) { return app.Explain(err) }

// unexpected logs an error nobody could have foreseen, with everything it
// says, and shows the clerk a short sentence without SQL or file paths.
// doing names the action in Chinese, e.g. 保存登记.
func (m *MainUI) unexpected(doing string, err error) { showUnexpected(m.win, &m.errDialog, doing, err) }

// showUnexpected logs err and shows the short sentence of unexpected, unless
// *open, the dialog of an earlier error, is still on screen: a broken disk
// must not bury the window in dialogs.
func showUnexpected(w fyne.Window, open *dialog.Dialog, doing string, err error) {
	log.Printf("secdoc: %s: %v", doing, err)
	if *open != nil {
		return
	}
	msg := fmt.Sprintf("%s时出错，操作没有完成。\n请重试；如果仍然出错，请联系系统管理员（详情已记入日志）。", doing)
	d := dialog.NewInformation("出错了", msg, w)
	d.SetOnClosed(func() { *open = nil })
	*open = d
	d.Show()
}

// errorLabel is a red message line, hidden while it has nothing to say.
func errorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapBreak
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
