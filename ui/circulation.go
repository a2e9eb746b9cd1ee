package ui

import (
	"fmt"
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

// circTime is a step's time, or — when it has not happened.
func circTime(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return t.Local().Format(historyTimeLayout)
}

// readerText is 姓名（职务/部门）.
func readerText(name, dept string) string {
	if dept == "" {
		return name
	}
	return name + "（" + dept + "）"
}

// stepLine is one reader's line of the 传阅单: 姓名, 送出时间, 退回时间, 清点.
func stepLine(st models.CirculationStep) string {
	line := fmt.Sprintf("%d. %s  送出：%s  退回：%s", st.Ord, readerText(st.Reader, st.Department),
		circTime(st.OutAt), circTime(st.BackAt))
	if st.BackAt != nil {
		if st.CountOK {
			line += "  清点：完好"
		} else {
			line += "  清点不符：" + st.Discrepancy
		}
	}
	return line
}

// circulationLine heads one circulation: 单号, 状态, 拟办意见, 批示, 结果.
func circulationLine(ci models.Circulation) string {
	line := fmt.Sprintf("%s  %s  开始：%s %s", ci.SlipNo, ci.State, ci.StartedAt.Local().Format(historyTimeLayout), ci.StartedBy)
	if ci.ProposedHandling != "" {
		line += "\n拟办意见：" + ci.ProposedHandling
	}
	if ci.Instruction != "" {
		line += "\n领导批示：" + ci.Instruction
	}
	if ci.Result != "" {
		line += "\n办理结果：" + ci.Result
	}
	if ci.ClosedAt != nil {
		line += fmt.Sprintf("\n办结：%s %s", ci.ClosedAt.Local().Format(historyTimeLayout), ci.ClosedBy)
		if ci.CloseNote != "" {
			line += "（" + ci.CloseNote + "）"
		}
	}
	return line
}

// nextStep is the first step of the route not yet sent out, or nil.
func nextStep(ci *models.Circulation) *models.CirculationStep {
	for i := range ci.Steps {
		if ci.Steps[i].OutAt == nil {
			return &ci.Steps[i]
		}
	}
	return nil
}

// circSection is the part of the detail about circulation (R6): the 传阅
// button, where the document is now, the open route with its acts, and the
// carrier's earlier circulations.
type circSection struct {
	d *detailView

	c     models.Carrier
	circs []models.Circulation
	where app.Whereabouts
	open  *models.Circulation // the open circulation, if any

	start    *widget.Button // 传阅
	result   statusLine
	whereLbl *widget.Label // 当前位置
	list     *fyne.Container
	sendNext *widget.Button // 送给下一位（name）
	signBack *widget.Button // 退回登记
	instruct *widget.Button // 领导批示/办理结果
	closeBtn *widget.Button // 办结
	actions  *fyne.Container
	content  *fyne.Container

	starting    *circStartDialog
	returning   *signBackDialog
	instructing *instructionDialog
	closing     *circCloseDialog
}

func newCircSection(d *detailView) *circSection {
	s := &circSection{d: d}
	s.buildUI()
	return s
}

func (s *circSection) buildUI() {
	s.start = widget.NewButtonWithIcon("传阅", theme.MailForwardIcon(), s.onStart)
	s.start.Disable()
	s.result = newStatusLine()
	title := widget.NewLabel("传阅记录")
	title.TextStyle.Bold = true
	s.whereLbl = widget.NewLabel("")
	s.whereLbl.TextStyle.Bold = true
	s.whereLbl.Importance = widget.HighImportance
	s.whereLbl.Wrapping = fyne.TextWrapWord
	s.whereLbl.Hide()
	s.list = container.NewVBox()
	s.sendNext = widget.NewButtonWithIcon("送给下一位", theme.MailSendIcon(), s.onSendNext)
	s.sendNext.Importance = widget.HighImportance
	s.signBack = widget.NewButtonWithIcon("退回登记", theme.MailReplyIcon(), s.onSignBack)
	s.signBack.Importance = widget.HighImportance
	s.instruct = widget.NewButtonWithIcon("领导批示/办理结果", theme.DocumentCreateIcon(), s.onInstruct)
	s.closeBtn = widget.NewButtonWithIcon("办结", theme.ConfirmIcon(), s.onClose)
	s.actions = container.NewHBox(s.sendNext, s.signBack, s.instruct, s.closeBtn)
	s.actions.Hide()
	// 当前位置 and the acts are shown near the top of the detail (see detailView.buildUI).
	s.content = container.NewVBox(title, s.list)
}

// apply shows the circulations of c and where it is.
func (s *circSection) apply(c models.Carrier, circs []models.Circulation, where app.Whereabouts) {
	s.c, s.circs, s.where, s.open = c, circs, where, nil
	for i := range circs {
		if circs[i].State == models.CirculationOpen {
			s.open = &circs[i]
			break
		}
	}
	if c.State == models.StateInStore {
		s.start.Enable()
	} else {
		s.start.Disable()
	}
	if s.open != nil {
		s.whereLbl.SetText("当前位置：" + where.Text)
		s.whereLbl.Show()
		s.actions.Show()
		held := s.open.CurrentReader != ""
		next := nextStep(s.open)
		switch {
		case held || next == nil:
			s.sendNext.Hide() // readers return it to the office, never pass it sideways (R6)
		default:
			s.sendNext.SetText("送给下一位（" + next.Reader + "）")
			s.sendNext.Show()
		}
		if held {
			s.signBack.Show()
			s.instruct.Hide()
			s.closeBtn.Hide()
		} else {
			s.signBack.Hide()
			s.instruct.Show()
			s.closeBtn.Show()
		}
	} else {
		s.whereLbl.Hide()
		s.actions.Hide()
	}
	rows := []fyne.CanvasObject{}
	if len(circs) == 0 {
		rows = append(rows, widget.NewLabel("无"))
	}
	for _, ci := range circs {
		head := newCJKText(circulationLine(ci))
		head.TextStyle.Bold = ci.State == models.CirculationOpen
		prints := container.NewHBox(s.d.m.printButton("阅办单", app.FormFlow, ci.SlipNo),
			s.d.m.printButton("传阅单", app.FormCirculation, ci.SlipNo))
		rows = append(rows, container.NewBorder(nil, nil, nil, prints, head))
		for _, st := range ci.Steps {
			l := newCJKText(stepLine(st))
			if st.BackAt != nil && !st.CountOK {
				l.Importance = widget.DangerImportance
			}
			rows = append(rows, l)
		}
	}
	s.list.Objects = rows
	s.list.Refresh()
	s.content.Refresh()
}

// done reloads the detail and, when the carrier's state changed, the ledger.
func (s *circSection) done(msg string, stateChanged bool) {
	s.result.ok(msg)
	s.d.show(s.c.ID)
	if stateChanged {
		s.d.m.changed()
	}
}

// fail shows a refusal of the domain, or the unexpected-error dialog.
func (s *circSection) fail(doing string, err error) {
	if v, ok := models.AsValidation(err); ok {
		msgs := make([]string, 0, len(v.Fields))
		for _, fe := range v.Fields {
			msgs = append(msgs, fe.Msg)
		}
		s.result.fail(strings.Join(msgs, "；"))
		return
	}
	if msg, ok := knownError(err); ok {
		s.result.fail(msg)
		return
	}
	s.d.m.unexpected(doing, err)
}

func (s *circSection) onStart() {
	if !s.d.loaded {
		return
	}
	s.result.clear()
	s.starting = newCircStartDialog(s)
	s.starting.dlg.Show()
	s.d.m.focus(s.starting.handling)
}

// onSendNext hands the document from the office to the next reader of the
// route, now. The domain refuses it while a reader holds it (R6).
func (s *circSection) onSendNext() {
	if s.open == nil {
		return
	}
	s.d.m.touch()
	s.result.clear()
	name := ""
	if next := nextStep(s.open); next != nil {
		name = next.Reader
	}
	ci, err := s.d.m.b.SignOutToReader(s.d.m.sess, s.open.ID, name, s.d.m.env.now())
	if err != nil {
		s.fail("登记送文", err)
		return
	}
	s.done(fmt.Sprintf("阅办单 %s 已送%s阅，阅毕须退回办公室清点。", ci.SlipNo, name), false)
}

func (s *circSection) onSignBack() {
	if s.open == nil {
		return
	}
	s.result.clear()
	s.returning = newSignBackDialog(s, *s.open)
	s.returning.dlg.Show()
}

func (s *circSection) onInstruct() {
	if s.open == nil {
		return
	}
	s.result.clear()
	s.instructing = newInstructionDialog(s, *s.open)
	s.instructing.dlg.Show()
}

func (s *circSection) onClose() {
	if s.open == nil {
		return
	}
	s.result.clear()
	s.closing = newCircCloseDialog(s, *s.open)
	s.closing.dlg.Show()
}

// circStartDialog opens a circulation: 拟办意见 and the route of readers.
type circStartDialog struct {
	s        *circSection
	handling *entry
	name     *choiceEntry
	dept     *entry
	add      *widget.Button
	route    []models.Reader
	outside  *entry // why readers outside the 知悉范围 read it (R27)
	routeBox *fyne.Container
	remove   []*widget.Button // 删除 by place on the route
	up       []*widget.Button // 上移 by place on the route
	msgs     *fieldMessages
	save     *widget.Button
	dlg      *dialog.CustomDialog
}

func newCircStartDialog(s *circSection) *circStartDialog {
	d := &circStartDialog{s: s}
	d.buildUI()
	return d
}

func (d *circStartDialog) buildUI() {
	d.handling = newMultiLineEntry()
	d.handling.SetPlaceHolder("例如“呈张局长阅示，送办公室、综合科阅”")
	d.handling.SetMinRowsVisible(3)
	d.dept = newEntry()
	d.name = d.s.d.m.newPersonEntry(d.dept)
	d.name.SetPlaceHolder("姓名")
	d.dept.SetPlaceHolder("职务/部门，例如“分管副局长”")
	d.add = widget.NewButtonWithIcon("添加", theme.ContentAddIcon(), d.onAdd)
	d.name.OnSubmitted = func(string) { d.onAdd() }
	d.dept.OnSubmitted = func(string) { d.onAdd() }
	d.routeBox = container.NewVBox()
	d.outside = newEntry()
	d.outside.SetPlaceHolder("阅文人不在知悉范围内时填写，例如“局长批示传阅”")
	d.msgs = newFieldMessages()
	c := d.s.c
	intro := widget.NewLabel(fmt.Sprintf("传阅 %s《%s》 %s 份号%s。\n每位阅文人阅毕都须退回办公室清点，再由办公室送下一位；不得横传。",
		c.RegNo, c.Title, c.Marking(), c.CopyNoText()))
	intro.Wrapping = fyne.TextWrapWord
	adder := container.NewBorder(nil, nil, nil, d.add, container.NewGridWithColumns(2, d.name, d.dept))
	body := container.NewVBox(intro, d.msgs.top, formOf(
		d.msgs.row(app.FieldProposedHandling, "拟办意见", d.handling),
		d.msgs.row(app.FieldRoute, "传阅路线", container.NewVBox(d.routeBox, adder)),
		[2]fyne.CanvasObject{widget.NewLabel("知悉范围外"), d.outside},
	))
	d.msgs.frame = body
	d.applyRoute()
	d.dlg, d.save = newFormDialog(d.s.d.m.win, "传阅", container.NewVScroll(body), "开始传阅", theme.MailForwardIcon(),
		d.onSave, d.close, fyne.NewSize(720, 560))
}

// onAdd puts the typed reader at the end of the route.
func (d *circStartDialog) onAdd() {
	name := strings.TrimSpace(d.name.Text)
	if name == "" {
		d.msgs.clear()
		d.msgs.add(app.FieldRoute, "请填写阅文人姓名")
		return
	}
	d.route = append(d.route, models.Reader{Name: name, Department: strings.TrimSpace(d.dept.Text)})
	d.name.SetText("")
	d.dept.SetText("")
	d.applyRoute()
	d.s.d.m.focus(d.name)
}

func (d *circStartDialog) onRemove(i int) {
	if i < 0 || i >= len(d.route) {
		return
	}
	d.route = append(d.route[:i], d.route[i+1:]...)
	d.applyRoute()
}

func (d *circStartDialog) onUp(i int) {
	if i <= 0 || i >= len(d.route) {
		return
	}
	d.route[i-1], d.route[i] = d.route[i], d.route[i-1]
	d.applyRoute()
}

func (d *circStartDialog) applyRoute() {
	d.remove, d.up = nil, nil
	rows := make([]fyne.CanvasObject, 0, len(d.route)+1)
	if len(d.route) == 0 {
		rows = append(rows, note("尚未添加阅文人"))
	}
	for i, r := range d.route {
		i := i
		rm := widget.NewButtonWithIcon("删除", theme.DeleteIcon(), func() { d.onRemove(i) })
		up := widget.NewButtonWithIcon("上移", theme.MoveUpIcon(), func() { d.onUp(i) })
		if i == 0 {
			up.Disable()
		}
		d.remove, d.up = append(d.remove, rm), append(d.up, up)
		rows = append(rows, container.NewBorder(nil, nil, nil, container.NewHBox(up, rm),
			widget.NewLabel(fmt.Sprintf("%d. %s", i+1, readerText(r.Name, r.Department)))))
	}
	d.routeBox.Objects = rows
	d.routeBox.Refresh()
	if d.msgs.frame != nil {
		d.msgs.relayout()
	}
}

func (d *circStartDialog) onSave() {
	d.msgs.clear()
	m := d.s.d.m
	route := make([]models.Reader, len(d.route))
	for i, r := range d.route {
		r.OutsideReason = d.outside.Text // kept only for those outside (R27)
		route[i] = r
	}
	ci, err := m.b.StartCirculation(m.sess, d.s.c.ID, d.handling.Text, route)
	if err != nil {
		d.msgs.explain(err, "开始传阅", m.unexpected)
		return
	}
	d.close()
	d.s.done(fmt.Sprintf("已开始传阅，阅办单 %s；文件在办公室，待送第一位阅文人。", ci.SlipNo), true)
}

func (d *circStartDialog) close() {
	d.dlg.Hide()
	if d.s.starting == d {
		d.s.starting = nil
	}
}

// signBackDialog records the current reader's return, counted at once (R6).
type signBackDialog struct {
	s           *circSection
	ci          models.Circulation
	intact      *widget.Check
	discrepancy *entry
	msgs        *fieldMessages
	save        *widget.Button
	dlg         *dialog.CustomDialog
}

func newSignBackDialog(s *circSection, ci models.Circulation) *signBackDialog {
	d := &signBackDialog{s: s, ci: ci}
	d.buildUI()
	return d
}

func (d *signBackDialog) buildUI() {
	d.intact = widget.NewCheck("完好（页数、附件、份号相符）", nil)
	d.intact.SetChecked(true)
	d.discrepancy = newMultiLineEntry()
	d.discrepancy.SetPlaceHolder("清点不符时必填：缺少哪些页、附件，份号是否相符")
	d.discrepancy.SetMinRowsVisible(3)
	d.msgs = newFieldMessages()
	intro := newCJKText(fmt.Sprintf("阅办单 %s：%s 退回办公室。\n请当面清点后登记。", d.ci.SlipNo, d.s.where.Text))
	body := container.NewVBox(intro, d.msgs.top, formOf(
		[2]fyne.CanvasObject{widget.NewLabel("清点"), d.intact},
		d.msgs.row(app.FieldDiscrepancy, "差异说明", d.discrepancy),
	))
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(d.s.d.m.win, "退回登记", body, "登记退回", theme.DocumentSaveIcon(),
		d.onSave, d.close, fyne.NewSize(620, 400))
}

func (d *signBackDialog) onSave() {
	d.msgs.clear()
	m := d.s.d.m
	ci, err := m.b.SignBack(m.sess, d.ci.ID, m.env.now(), d.intact.Checked, d.discrepancy.Text)
	if err != nil {
		d.msgs.explain(err, "登记退回", m.unexpected)
		return
	}
	d.close()
	msg := fmt.Sprintf("阅办单 %s 已退回办公室，清点完好。", ci.SlipNo)
	if !d.intact.Checked {
		msg = fmt.Sprintf("阅办单 %s 已退回办公室，清点不符，已记录，请追查。", ci.SlipNo)
	}
	d.s.done(msg, false)
}

func (d *signBackDialog) close() {
	d.dlg.Hide()
	if d.s.returning == d {
		d.s.returning = nil
	}
}

// instructionDialog records 领导批示 and 办理结果 on the 阅办单.
type instructionDialog struct {
	s           *circSection
	ci          models.Circulation
	instruction *entry
	result      *entry
	msgs        *fieldMessages
	save        *widget.Button
	dlg         *dialog.CustomDialog
}

func newInstructionDialog(s *circSection, ci models.Circulation) *instructionDialog {
	d := &instructionDialog{s: s, ci: ci}
	d.buildUI()
	return d
}

func (d *instructionDialog) buildUI() {
	d.instruction = newMultiLineEntry()
	d.instruction.SetText(d.ci.Instruction)
	d.instruction.SetMinRowsVisible(3)
	d.result = newMultiLineEntry()
	d.result.SetText(d.ci.Result)
	d.result.SetMinRowsVisible(3)
	d.msgs = newFieldMessages()
	body := container.NewVBox(widget.NewLabel("阅办单 "+d.ci.SlipNo), d.msgs.top, formOf(
		d.msgs.row(app.FieldInstruction, "领导批示", d.instruction),
		d.msgs.row(app.FieldResult, "办理结果", d.result),
	))
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(d.s.d.m.win, "领导批示/办理结果", body, "保存", theme.DocumentSaveIcon(),
		d.onSave, d.close, fyne.NewSize(620, 420))
}

func (d *instructionDialog) onSave() {
	d.msgs.clear()
	m := d.s.d.m
	ci, err := m.b.RecordInstruction(m.sess, d.ci.ID, d.instruction.Text, d.result.Text)
	if err != nil {
		d.msgs.explain(err, "录入领导批示", m.unexpected)
		return
	}
	d.close()
	d.s.done("阅办单 "+ci.SlipNo+" 已录入领导批示和办理结果。", false)
}

func (d *instructionDialog) close() {
	d.dlg.Hide()
	if d.s.instructing == d {
		d.s.instructing = nil
	}
}

// circCloseDialog closes the 阅办单 (办结); readers of the route who did not
// have it need a note.
type circCloseDialog struct {
	s      *circSection
	ci     models.Circulation
	unread []string
	note   *entry
	msgs   *fieldMessages
	save   *widget.Button
	dlg    *dialog.CustomDialog
}

func newCircCloseDialog(s *circSection, ci models.Circulation) *circCloseDialog {
	d := &circCloseDialog{s: s, ci: ci}
	d.buildUI()
	return d
}

func (d *circCloseDialog) buildUI() {
	for _, st := range d.ci.Steps {
		if st.BackAt == nil {
			d.unread = append(d.unread, readerText(st.Reader, st.Department))
		}
	}
	d.note = newMultiLineEntry()
	d.note.SetPlaceHolder("未送阅的原因")
	d.note.SetMinRowsVisible(3)
	d.msgs = newFieldMessages()
	text := fmt.Sprintf("办结阅办单 %s：载体回到在库。", d.ci.SlipNo)
	if len(d.unread) > 0 {
		text += "\n" + strings.Join(d.unread, "、") + "尚未阅文，请写明原因。"
	}
	intro := newCJKText(text)
	body := container.NewVBox(intro, d.msgs.top)
	if len(d.unread) > 0 {
		body.Add(formOf(d.msgs.row(app.FieldCloseNote, "说明", d.note)))
	} else {
		d.note.Hide()
	}
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(d.s.d.m.win, "办结", body, "办结", theme.ConfirmIcon(),
		d.onSave, d.close, fyne.NewSize(600, 320))
}

func (d *circCloseDialog) onSave() {
	d.msgs.clear()
	m := d.s.d.m
	ci, err := m.b.CloseCirculation(m.sess, d.ci.ID, d.note.Text)
	if err != nil {
		d.msgs.explain(err, "办结", m.unexpected)
		return
	}
	d.close()
	d.s.done("阅办单 "+ci.SlipNo+" 已办结，载体已回到在库。", true)
}

func (d *circCloseDialog) close() {
	d.dlg.Hide()
	if d.s.closing == d {
		d.s.closing = nil
	}
}

// handlingOverdueLine is one incoming document not handled in time (R7):
// 登记号, 题名, 缓急, 登记时间, 超时 N 小时/天.
func handlingOverdueLine(o app.OverdueIncoming) string {
	u := o.Carrier.Urgency.String()
	if u == "" {
		u = "平件"
	}
	late := fmt.Sprintf("超时 %d 小时", int(o.Overdue.Hours()))
	if o.Overdue < time.Hour {
		late = fmt.Sprintf("超时 %d 分钟", int(o.Overdue.Minutes()))
	} else if o.Overdue >= 24*time.Hour {
		late = fmt.Sprintf("超时 %d 天", int(o.Overdue.Hours()/24))
	}
	return fmt.Sprintf("%s  《%s》  %s  登记时间：%s  %s", o.Carrier.RegNo, o.Carrier.Title, u,
		o.Carrier.CreatedAt.Local().Format(historyTimeLayout), late)
}

// loadHandling reads the incoming documents not handled in time off the UI goroutine (R7).
func (h *homeScreen) loadHandling() {
	h.handlingGen++
	gen := h.handlingGen
	m := h.m
	m.env.run(func() {
		list, total, err := m.b.OverdueHandling(m.sess, m.env.now(), app.DefaultHandlingThresholds, homeListLimit)
		fyne.Do(func() {
			if gen != h.handlingGen {
				return
			}
			if err != nil {
				if msg, ok := knownError(err); ok {
					h.handlingList.Objects = []fyne.CanvasObject{errorText(msg)}
					h.handlingList.Refresh()
					return
				}
				m.unexpected("读取超时未处理的文件", err)
				return
			}
			h.applyHandling(list, total)
		})
	})
}

// onAllUnhandled opens the ledger on every incoming carrier not yet
// handled, the longest waiting first.
func (h *homeScreen) onAllUnhandled() {
	h.m.showLedger()
	h.m.ledger.state.SetSelected(filterUnhandled)
}

func (h *homeScreen) applyHandling(list []app.OverdueIncoming, total int) {
	h.handling = list
	h.handlingAll = nil
	h.handlingOpen = map[string]*widget.Button{}
	if len(list) == 0 {
		h.handlingList.Objects = []fyne.CanvasObject{widget.NewLabel("暂无")}
		h.handlingList.Refresh()
		return
	}
	rows := make([]fyne.CanvasObject, 0, len(list))
	for _, o := range list {
		l := newCJKText(handlingOverdueLine(o))
		l.Importance = widget.DangerImportance
		id := o.Carrier.ID
		b := widget.NewButtonWithIcon("查看", theme.SearchIcon(), func() { h.onOpenOverdue(id) })
		h.handlingOpen[id] = b
		rows = append(rows, container.NewBorder(nil, nil, nil, b, l))
	}
	if line := moreLine(total, len(list), "超时未处理的收文"); line != "" {
		h.handlingAll = widget.NewButtonWithIcon("全部", theme.ListIcon(), h.onAllUnhandled)
		rows = append(rows, container.NewBorder(nil, nil, nil, h.handlingAll, newCJKText(line)))
	}
	h.handlingList.Objects = rows
	h.handlingList.Refresh()
}
