package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// dueLine is one custodian of the 应自查 list: 责任人, 在册件数, 最高密级,
// 上次自查, 应查日期 and 逾期.
func dueLine(d app.InspectionDue) string {
	last, due := d.LastDone, d.DueOn
	if last == "" {
		last = "从未自查"
	}
	if due == "" {
		due = "现在"
	}
	s := fmt.Sprintf("%s  在册 %d 件  最高密级 %s  上次自查 %s  应查日期 %s", d.Custodian, d.Held, d.HighestLevel,
		last, due)
	if d.Open {
		s += "  自查进行中"
	}
	if d.Overdue {
		s += "  逾期"
	}
	return s
}

// inspectionLine is an inspection as the list shows it: 单号, 责任人, 状态, 日期.
func inspectionLine(in models.Inspection) string {
	s := fmt.Sprintf("%s  %s  %s  开始 %s", in.SlipNo, in.Custodian, in.State, in.StartedOn)
	if in.State == models.InspectionClosed {
		s += "  完成 " + in.ClosedOn
	}
	return s
}

// inspectionCounts is the count line of a result: 应在 N / 已找到 N / 缺少 N / 多出 N / 在外 N.
func inspectionCounts(r app.InspectionResult) string {
	expected := len(r.Items) - len(r.Unexpected)
	return fmt.Sprintf("应在 %d / 已找到 %d / 缺少 %d / 多出 %d / 在外 %d", expected, len(r.Found)+len(r.Unexpected),
		len(r.Missing), len(r.Unexpected), len(r.Away))
}

// firstMessage is the clerk's sentence of an error the domain refused with.
func firstMessage(err error) (string, bool) {
	if v, ok := models.AsValidation(err); ok && len(v.Fields) > 0 {
		msgs := make([]string, len(v.Fields))
		for i, f := range v.Fields {
			msgs[i] = f.Msg
		}
		return strings.Join(msgs, "；"), true
	}
	return knownError(err)
}

// inspectionPane is the tab's content: it keeps the screen so that it can be
// found from the tab.
type inspectionPane struct {
	widget.BaseWidget
	s *inspectionScreen
}

func (p *inspectionPane) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.s.content)
}

// addInspectionTab appends the clerk's 自查 tab (R4, R19) and loads it
// when it is selected and the register changed since it last loaded.
func (m *MainUI) addInspectionTab() {
	s := newInspectionScreen(m)
	p := &inspectionPane{s: s}
	p.ExtendBaseWidget(p)
	tab := screenTab("自查", theme.SearchIcon(), p)
	m.tabs.Append(tab)
	prev := m.tabs.OnSelected
	m.tabs.OnSelected = func(t *container.TabItem) {
		if prev != nil {
			prev(t)
		}
		if t == tab {
			s.fresh.refresh(m.b, m.env.now(), s.reload)
		}
	}
}

// inspectionTab is the 自查 tab and its screen.
func (m *MainUI) inspectionTab() (*container.TabItem, *inspectionScreen) {
	for _, t := range m.tabs.Items {
		content := t.Content
		if sc, ok := content.(*container.Scroll); ok {
			content = sc.Content
		}
		if p, ok := content.(*inspectionPane); ok {
			return t, p.s
		}
	}
	return nil, nil
}

// showInspection switches to the self-inspections.
func (m *MainUI) showInspection() *inspectionScreen {
	t, s := m.inspectionTab()
	if t != nil {
		m.tabs.Select(t)
	}
	return s
}

// inspectionScreen is the clerk's 自查 tab (R4, R19): on the left who is due
// for a self-inspection, 开始自查, and the inspections so far; on the right
// the selected inspection: scanning, the counts, the differences with their
// 处理说明, and 完成自查.
type inspectionScreen struct {
	m     *MainUI
	fresh fresh          // what the lists were last read from
	print *widget.Button // 打印 the form shown

	due      []app.InspectionDue
	rows     []models.Inspection
	gen      generation // answers to an older load are dropped
	selected string     // the inspection shown on the right, "" for none
	// preselect is the custodian to choose for 开始自查 once the list is
	// loaded: the home's 去自查.
	preselect string
	res       app.InspectionResult
	loaded    bool

	custodian *widget.Select
	start     *widget.Button
	result    statusLine
	dueBox    *fyne.Container
	list      *widget.List
	left      *fyne.Container
	right     *fyne.Container
	content   fyne.CanvasObject

	// The selected inspection.
	heading  *widget.Label
	info     *widget.Label
	scan     *entry
	scanRow  fyne.CanvasObject
	ticked   statusLine // what was ticked, or the domain's message
	counts   *widget.Label
	missing  *fyne.Container
	unexp    *fyne.Container
	away     *fyne.Container
	notes    map[string]*entry         // 处理说明 by carrier ID
	saves    map[string]*widget.Button // 保存 by carrier ID
	closeBtn *widget.Button
	closeMsg statusLine
	view     fyne.CanvasObject
}

func newInspectionScreen(m *MainUI) *inspectionScreen {
	s := &inspectionScreen{m: m, fresh: newFresh(byDay, app.ChangeInspections, app.ChangeCarriers, app.ChangeMovements, app.ChangeSettings)}
	s.buildUI()
	return s
}

func (s *inspectionScreen) buildUI() {
	s.custodian = widget.NewSelect(nil, nil)
	s.custodian.PlaceHolder = "选择责任人"
	s.start = widget.NewButtonWithIcon("开始自查", theme.MediaPlayIcon(), s.onStart)
	s.start.Importance = widget.HighImportance
	s.result = newStatusLine()
	s.dueBox = container.NewVBox()
	s.list = widget.NewList(
		func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			return widget.NewLabel("查〔2026〕0000  张三  进行中  开始 2026-01-01  完成 2026-01-01")
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(s.rows) {
				o.(*widget.Label).SetText(inspectionLine(s.rows[id]))
			}
		})
	s.list.OnSelected = s.onSelect
	title := widget.NewLabel("应自查")
	title.TextStyle.Bold = true
	past := widget.NewLabel("自查记录")
	past.TextStyle.Bold = true
	top := container.NewVBox(title, s.dueBox,
		container.NewBorder(nil, nil, nil, s.start, s.custodian), s.result.Label, past)
	s.left = container.NewBorder(top, nil, nil, nil, s.list)

	s.heading = widget.NewLabel("")
	s.heading.TextStyle.Bold = true
	s.info = widget.NewLabel("")
	s.info.Wrapping = fyne.TextWrapWord
	s.scan = newEntry()
	s.scan.SetPlaceHolder("扫描或输入登记号后按回车，例如 收〔2026〕0001")
	s.scan.OnSubmitted = func(string) { s.onScan() }
	s.scanRow = container.NewBorder(nil, nil, widget.NewLabel("扫描或输入登记号"), nil, s.scan)
	s.ticked = newStatusLine()
	s.counts = widget.NewLabel("")
	s.counts.TextStyle.Bold = true
	s.missing = container.NewVBox()
	s.unexp = container.NewVBox()
	s.away = container.NewVBox()
	s.closeBtn = widget.NewButtonWithIcon("完成自查", theme.ConfirmIcon(), s.onClose)
	s.closeBtn.Importance = widget.HighImportance
	s.closeMsg = newStatusLine()
	heading := func(t string) *widget.Label {
		l := widget.NewLabel(t)
		l.TextStyle.Bold = true
		return l
	}
	s.print = widget.NewButtonWithIcon("打印自查登记表", theme.DocumentPrintIcon(), func() {
		if s.loaded {
			s.m.printForm(app.FormInspection, s.res.Inspection.SlipNo)
		}
	})
	s.view = container.NewVScroll(container.NewVBox(container.NewBorder(nil, nil, nil, s.print, s.heading), s.info, s.scanRow, s.ticked.Label, s.counts,
		heading("缺少"), s.missing, heading("多出"), s.unexp, heading("在外（借出/外出/传阅中）"), s.away,
		note("每项差异都须写明处理说明并保存后才能完成自查。"),
		container.NewHBox(layout.NewSpacer(), s.closeBtn), s.closeMsg.Label))
	s.right = container.NewStack(s.placeholder())
	split := container.NewHSplit(s.left, s.right)
	split.Offset = 0.35
	s.content = split
}

func (s *inspectionScreen) placeholder() fyne.CanvasObject {
	l := newCJKText("在左侧选择责任人开始自查，或选择一次自查查看结果。")
	return l
}

// reload loads who is due and the inspections off the UI goroutine, and
// the selected inspection again.
func (s *inspectionScreen) reload() {
	stale := s.gen.next()
	m := s.m
	var due []app.InspectionDue
	var rows []models.Inspection
	m.loadFresh(&s.fresh, func() (err error) {
		if due, err = m.b.InspectionsDue(m.sess, time.Time{}, nil); err == nil {
			rows, err = m.b.Inspections(m.sess, "")
		}
		return err
	}, stale, s.result, "读取自查", func() {
		s.applyLists(due, rows)
		if s.selected != "" {
			s.showInspection(s.selected)
		}
	})
}

func (s *inspectionScreen) applyLists(due []app.InspectionDue, rows []models.Inspection) {
	s.due, s.rows = due, rows
	lines := make([]fyne.CanvasObject, 0, len(due)+1)
	names := make([]string, 0, len(due))
	if len(due) == 0 {
		lines = append(lines, widget.NewLabel("登记簿中没有责任人保管的载体"))
	}
	for _, d := range due {
		l := newCJKText(dueLine(d))
		if d.Overdue {
			l.Importance = widget.DangerImportance
		}
		lines = append(lines, l)
		names = append(names, d.Custodian)
	}
	s.dueBox.Objects = lines
	s.dueBox.Refresh()
	s.custodian.Options = names
	if s.preselect != "" && slices.Contains(names, s.preselect) {
		s.custodian.SetSelected(s.preselect)
	}
	s.preselect = ""
	s.custodian.Refresh()
	s.list.UnselectAll()
	s.list.Refresh()
	for i, r := range rows {
		if r.ID == s.selected {
			s.list.Select(i)
		}
	}
	s.left.Refresh()
}

func (s *inspectionScreen) onSelect(id widget.ListItemID) {
	if id < 0 || id >= len(s.rows) {
		return
	}
	s.m.touch()
	if in := s.rows[id].ID; in != s.selected || !s.loaded {
		s.showInspection(in)
	}
}

// showInspection loads inspection id's result and shows it on the right.
func (s *inspectionScreen) showInspection(id string) {
	s.selected = id
	m := s.m
	var r app.InspectionResult
	m.loadThen(func() (err error) { r, err = m.b.InspectionResult(m.sess, id); return err },
		func() bool { return s.selected != id }, s.result, "读取自查结果", func() { s.apply(r) })
}

// itemRow is one difference or away item: its register number and level,
// and for a difference its 处理说明 (an entry and 保存 while open).
func (s *inspectionScreen) itemRow(it models.InspectionItem, open bool) fyne.CanvasObject {
	text := fmt.Sprintf("%s  %s  %s", it.RegNo, it.Level, it.Status)
	lbl := widget.NewLabel(text)
	if !it.Difference() {
		return lbl
	}
	if !open {
		r := it.Resolution
		if r == "" {
			r = "（未写明）"
		}
		res := newCJKText("处理说明：" + r + "  " + it.ResolvedBy)
		return container.NewVBox(lbl, res)
	}
	e := newEntry()
	e.SetPlaceHolder("处理说明：查找经过、原因、处理意见")
	e.SetText(it.Resolution)
	id := it.CarrierID
	b := widget.NewButtonWithIcon("保存", theme.DocumentSaveIcon(), func() { s.onResolve(id) })
	s.notes[id], s.saves[id] = e, b
	if it.Resolution == "" {
		lbl.Importance = widget.DangerImportance
		lbl.SetText(text + "  未处理")
	}
	return container.NewVBox(lbl, container.NewBorder(nil, nil, nil, b, e))
}

func (s *inspectionScreen) fill(c *fyne.Container, items []models.InspectionItem, open bool) {
	rows := make([]fyne.CanvasObject, 0, len(items)+1)
	if len(items) == 0 {
		rows = append(rows, widget.NewLabel("无"))
	}
	for _, it := range items {
		rows = append(rows, s.itemRow(it, open))
	}
	c.Objects = rows
	c.Refresh()
}

func (s *inspectionScreen) apply(r app.InspectionResult) {
	s.res, s.loaded = r, true
	in := r.Inspection
	open := in.State == models.InspectionOpen
	s.heading.SetText(fmt.Sprintf("自查 %s  %s", in.SlipNo, in.State))
	info := fmt.Sprintf("责任人：%s  开始：%s（%s）", in.Custodian, in.StartedOn, in.StartedBy)
	if !open {
		verdict := "账物相符"
		if !r.Matches() {
			verdict = "账物不符，差异已处理"
		}
		info += fmt.Sprintf("\n完成：%s（%s） %s", in.ClosedOn, in.ClosedBy, verdict)
	}
	s.info.SetText(info)
	s.counts.SetText(inspectionCounts(r))
	s.notes, s.saves = map[string]*entry{}, map[string]*widget.Button{}
	s.fill(s.missing, r.Missing, open)
	s.fill(s.unexp, r.Unexpected, open)
	s.fill(s.away, r.Away, open)
	if open {
		s.scanRow.Show()
		s.closeBtn.Show()
	} else {
		s.scanRow.Hide()
		s.closeBtn.Hide()
		s.ticked.clear()
	}
	s.right.Objects = []fyne.CanvasObject{s.view}
	s.right.Refresh()
	if open {
		s.m.focus(s.scan)
	}
}

func (s *inspectionScreen) onStart() {
	s.m.touch()
	s.result.clear()
	m := s.m
	in, err := m.b.StartInspection(m.sess, s.custodian.Selected)
	if err != nil {
		if msg, ok := firstMessage(err); ok {
			s.result.fail(msg)
			return
		}
		m.unexpected("开始自查", err)
		return
	}
	s.result.ok(fmt.Sprintf("已开始自查 %s（责任人 %s），请逐件扫描或输入登记号。", in.SlipNo, in.Custodian))
	s.ticked.clear()
	s.closeMsg.clear()
	s.selected = in.ID
	s.loaded = false
	s.reload()
}

func (s *inspectionScreen) onScan() {
	s.m.touch()
	if !s.loaded {
		return
	}
	m := s.m
	regNo := s.scan.Text
	it, err := m.b.TickFound(m.sess, s.res.Inspection.ID, regNo)
	s.scan.SetText("")
	if err != nil {
		if msg, ok := firstMessage(err); ok {
			s.ticked.fail(msg)
			m.focus(s.scan)
			return
		}
		m.unexpected("自查清点", err)
		return
	}
	switch {
	case !it.Expected:
		s.ticked.fail(fmt.Sprintf("%s 不在 %s 的账上：已记为多出，请写明处理说明", it.RegNo, s.res.Inspection.Custodian))
	default:
		s.ticked.ok(fmt.Sprintf("已找到 %s", it.RegNo))
	}
	s.closeMsg.clear()
	s.showInspection(s.res.Inspection.ID)
	m.focus(s.scan)
}

func (s *inspectionScreen) onResolve(carrierID string) {
	s.m.touch()
	e := s.notes[carrierID]
	if e == nil || !s.loaded {
		return
	}
	m := s.m
	it, err := m.b.Resolve(m.sess, s.res.Inspection.ID, carrierID, e.Text)
	if err != nil {
		if msg, ok := firstMessage(err); ok {
			s.closeMsg.fail(msg)
			return
		}
		m.unexpected("保存处理说明", err)
		return
	}
	s.closeMsg.ok(fmt.Sprintf("已保存 %s 的处理说明。", it.RegNo))
	s.showInspection(s.res.Inspection.ID)
}

func (s *inspectionScreen) onClose() {
	s.m.touch()
	if !s.loaded {
		return
	}
	m := s.m
	r, err := m.b.CloseInspection(m.sess, s.res.Inspection.ID)
	if err != nil {
		if msg, ok := firstMessage(err); ok {
			s.closeMsg.fail(msg)
			return
		}
		m.unexpected("完成自查", err)
		return
	}
	verdict := "账物相符"
	if !r.Matches() {
		verdict = "账物不符，差异已处理"
	}
	s.closeMsg.clear()
	s.result.ok(fmt.Sprintf("自查 %s 已完成：%s。", r.Inspection.SlipNo, verdict))
	s.reload()
}
