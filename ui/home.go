package ui

import (
	"fmt"
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// levelColors mark the levels the way the office's folders and stamps do.
var levelColors = map[models.Level]color.Color{
	models.LevelTopSecret:    color.NRGBA{R: 0xb7, G: 0x1c, B: 0x1c, A: 0xff},
	models.LevelSecret:       color.NRGBA{R: 0xd8, G: 0x6a, B: 0x00, A: 0xff},
	models.LevelConfidential: color.NRGBA{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xff},
}

// tile is one big count with its caption.
type tile struct {
	value   *canvas.Text
	caption *widget.Label
	content fyne.CanvasObject
}

func newTile(caption string, c color.Color) *tile {
	t := &tile{value: canvas.NewText("…", c), caption: widget.NewLabel(caption)}
	t.value.TextSize = 34
	t.value.TextStyle.Bold = true
	t.value.Alignment = fyne.TextAlignCenter
	t.caption.Alignment = fyne.TextAlignCenter
	bar := canvas.NewRectangle(c)
	bar.SetMinSize(fyne.NewSize(0, 4))
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = 6
	t.content = container.NewStack(bg, container.NewBorder(bar, nil, nil, nil,
		container.NewPadded(container.NewVBox(t.value, t.caption))))
	return t
}

func (t *tile) set(n int64) {
	t.value.Text = thousands(n)
	t.value.Refresh()
}

// homeScreen shows what the office holds, by level, state and kind, and
// leads to the two daily tasks: registering and looking up.
type homeScreen struct {
	m *MainUI

	held         *tile
	unclassified *tile // 内部 and 非密 held
	levels       map[models.Level]*tile
	registered   *tile
	byState      *widget.Label
	byKind       *widget.Label
	backup       *widget.Label // 上次备份：N 天前（已校验）, red when overdue

	overdue     []app.OverdueLoan         // 逾期未还, most overdue first (R3)
	overdueList *fyne.Container           // one line per overdue loan, or 暂无逾期
	overdueOpen map[string]*widget.Button // 查看 by loan id
	overdueGen  int

	expiring     []app.TermDue             // 保密期限将到期, the soonest first (R15)
	expiringList *fyne.Container           // one line per carrier, or 暂无
	expiringOpen map[string]*widget.Button // 查看 by carrier id
	expiringGen  int

	handling     []app.OverdueIncoming     // 待办文件（超时未处理）, most overdue first (R7)
	handlingList *fyne.Container           // one line per carrier, or 暂无
	handlingAll  *widget.Button            // 全部, when the card leaves some out
	expiringAll  *widget.Button            // 年度审核, when the card leaves some out
	handlingOpen map[string]*widget.Button // 查看 by carrier id
	handlingGen  int

	todo *todoCards // 待审批, 应自查, 待交接的清退单

	fresh fresh // what the lists were last read from

	content fyne.CanvasObject
}

func newHomeScreen(m *MainUI) *homeScreen {
	// The lists depend on the minute: the working-hour limits of 待办文件.
	h := &homeScreen{m: m, fresh: newFresh(byMinute, app.ChangeCarriers, app.ChangeMovements, app.ChangeDestruction,
		app.ChangeReturns, app.ChangeHandovers, app.ChangeInspections, app.ChangeReviews, app.ChangePeople, app.ChangeSettings)}
	h.buildUI()
	loadReminder(m.env, m.b, m.sess, h.backup)
	return h
}

func (h *homeScreen) buildUI() {
	h.held = newTile("在册涉密载体（件）", theme.Color(theme.ColorNameForeground))
	h.levels = map[models.Level]*tile{}
	tiles := []fyne.CanvasObject{h.held.content}
	for i := len(models.Levels) - 1; i >= 0; i-- {
		l := models.Levels[i]
		h.levels[l] = newTile(l.String()+"（在册）", levelColors[l])
		tiles = append(tiles, h.levels[l].content)
	}
	// 内部 and 非密 are counted apart from 国家秘密 (R21).
	h.unclassified = newTile("内部、非密（在册）", theme.Color(theme.ColorNameForeground))
	tiles = append(tiles, h.unclassified.content)
	h.registered = newTile("本年登记（件）", theme.Color(theme.ColorNamePrimary))
	tiles = append(tiles, h.registered.content)

	h.byState = widget.NewLabel("")
	h.byKind = widget.NewLabel("")
	h.overdueList = container.NewVBox(widget.NewLabel("正在读取…"))
	h.expiringList = container.NewVBox(widget.NewLabel("正在读取…"))
	h.handlingList = container.NewVBox(widget.NewLabel("正在读取…"))
	h.todo = newTodoCards(h)

	register := widget.NewButtonWithIcon("登记新文件", theme.DocumentCreateIcon(), h.onRegister)
	register.Importance = widget.HighImportance
	ledger := widget.NewButtonWithIcon("打开台账", theme.ListIcon(), h.onLedger)
	buttons := container.NewHBox(layout.NewSpacer(),
		container.NewGridWrap(fyne.NewSize(220, 56), register),
		container.NewGridWrap(fyne.NewSize(220, 56), ledger), layout.NewSpacer())

	title := widget.NewLabel("涉密载体在册情况")
	title.SizeName = theme.SizeNameSubHeadingText
	title.TextStyle.Bold = true
	h.backup = newReminder()
	h.content = container.NewVScroll(container.NewVBox(
		title,
		h.backup,
		container.NewGridWithColumns(len(tiles), tiles...),
		// 待办: the short lists side by side, so that all of them show at once.
		container.NewGridWithColumns(2,
			widget.NewCard("待办文件（超时未处理）", "收文当天处理，最迟下一个工作日 12 时前；加急、特急的一小时内", h.handlingList),
			h.todo.approvalsCd),
		container.NewGridWithColumns(2,
			widget.NewCard("逾期未还", "借阅、外出携带超过返回日期仍未归还的载体", h.overdueList),
			h.todo.returnsCd),
		container.NewGridWithColumns(2, h.todo.dueCd, h.todo.outgoingCd),
		h.todo.urgesCd,
		widget.NewCard("保密期限将到期（三个月内）", "期限届满前须由定密机关决定解密或延期", h.expiringList),
		container.NewGridWithColumns(2,
			widget.NewCard("按状态", "全部登记，含已离开台账的", h.byState),
			widget.NewCard("按载体类型", "在册", h.byKind)),
		buttons,
	))
}

// apply shows freshly counted stats.
func (h *homeScreen) apply(st app.Stats) {
	h.held.set(st.HeldSecret)
	for l, t := range h.levels {
		t.set(st.HeldByLevel[l])
	}
	h.unclassified.set(st.Held - st.HeldSecret)
	h.registered.set(st.RegisteredTY)

	var states []string
	for _, s := range models.States {
		if n := st.ByState[s]; n > 0 || s.Held() {
			states = append(states, fmt.Sprintf("%s  %s 件", s, thousands(n)))
		}
	}
	states = append(states, fmt.Sprintf("合计  %s 件", thousands(st.Total)))
	h.byState.SetText(strings.Join(states, "\n"))

	var kinds []string
	for _, k := range models.CarrierKinds {
		if n := st.HeldByKind[k]; n > 0 {
			kinds = append(kinds, fmt.Sprintf("%s  %s", k, thousands(n)))
		}
	}
	if len(kinds) == 0 {
		kinds = append(kinds, "暂无")
	}
	h.byKind.SetText(strings.Join(kinds, "\n"))
}

func (h *homeScreen) onRegister() { h.m.showRegister() }

func (h *homeScreen) onLedger() { h.m.showLedger() }

// show is the home shown again: its lists load when what they list
// changed since, or the minute turned.
func (h *homeScreen) show() { h.fresh.refresh(h.m.b, h.m.env.now(), h.loadOverdue) }

// loadOverdue reads the home's lists off the UI goroutine.
func (h *homeScreen) loadOverdue() {
	h.fresh.start(h.m.b, h.m.env.now())
	h.loadExpiring()
	h.loadHandling()
	h.todo.load()
	h.overdueGen++
	gen := h.overdueGen
	m := h.m
	m.env.run(func() {
		list, err := m.b.OverdueLoans(m.sess, time.Time{})
		fyne.Do(func() {
			if gen != h.overdueGen {
				return
			}
			if err != nil {
				if msg, ok := knownError(err); ok {
					h.overdueList.Objects = []fyne.CanvasObject{errorText(msg)}
					h.overdueList.Refresh()
					return
				}
				m.unexpected("读取逾期未还", err)
				return
			}
			h.applyOverdue(list)
		})
	})
}

func errorText(msg string) *widget.Label {
	l := widget.NewLabel(msg)
	l.Importance = widget.DangerImportance
	return l
}

// overdueLine is one overdue item: 登记号, 题名, 借阅人, 应还日期, 逾期 N 天.
func overdueLine(o app.OverdueLoan) string {
	return fmt.Sprintf("%s  《%s》  %s：%s  应还日期：%s  逾期 %d 天", o.Carrier.RegNo, o.Carrier.Title,
		o.Loan.Kind.BorrowerLabel(), o.Loan.Borrower, o.Loan.DueOn, o.DaysOverdue)
}

func (h *homeScreen) applyOverdue(list []app.OverdueLoan) {
	h.overdue = list
	h.overdueOpen = map[string]*widget.Button{}
	if len(list) == 0 {
		h.overdueList.Objects = []fyne.CanvasObject{widget.NewLabel("暂无逾期")}
		h.overdueList.Refresh()
		return
	}
	rows := make([]fyne.CanvasObject, 0, len(list))
	for _, o := range list {
		l := newCJKText(overdueLine(o))
		l.Importance = widget.DangerImportance
		id := o.Carrier.ID
		b := widget.NewButtonWithIcon("查看", theme.SearchIcon(), func() { h.onOpenOverdue(id) })
		h.overdueOpen[o.Loan.ID] = b
		rows = append(rows, container.NewBorder(nil, nil, nil, b, l))
	}
	h.overdueList.Objects = rows
	h.overdueList.Refresh()
}

// onOpenOverdue shows the carrier in the ledger's detail.
func (h *homeScreen) onOpenOverdue(carrierID string) {
	h.m.showLedger()
	h.m.ledger.showDetail()
	h.m.detail.show(carrierID)
}
