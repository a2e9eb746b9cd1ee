package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// destroyBatchRow is one line of the list of batches: the batch and how
// many carriers it holds.
type destroyBatchRow struct {
	b     models.DestructionBatch
	count int
}

// batchLine is a batch as the list shows it: 单号, 件数, 状态, 申请日期.
func batchLine(r destroyBatchRow) string {
	return fmt.Sprintf("%s  %d 件  %s  申请日期 %s", r.b.SlipNo, r.count, r.b.State, r.b.RequestedOn)
}

// destroyListColumns are the columns of a 销毁清单.
var destroyListColumns = []string{"序号", "题名", "来文单位", "载体类型", "文号", "密级★期限", "页数", "份号", "责任人"}

// destroyListWidths are their widths (题名 takes what is left), as on the 清退 screen.
var destroyListWidths = []float32{50, 0, 150, 80, 170, 110, 50, 70, 70}

// destroyItemCells is one item of a 销毁清单, cell by cell.
func destroyItemCells(it app.DestructionListItem) []string {
	return []string{strconv.Itoa(it.No), it.Title, it.Issuer, string(it.Kind), it.DocNumber, it.Marking,
		strconv.Itoa(it.Pages), it.CopyNo, it.Custodian}
}

// destroyScreen is the clerk's 销毁 tab (R2, R16, R17): the destruction
// batches on the left; on the right a new batch being put together, or the
// 销毁清单 of the selected batch with what can be done next.
type destroyScreen struct {
	m     *MainUI
	fresh fresh          // what the batches were last read from
	print *widget.Button // 打印 the form shown

	rows     []destroyBatchRow
	gen      generation // answers to an older load are dropped
	selected string     // the batch shown on the right, "" for none
	list     destroyListData

	batches  *widget.List
	newBatch *widget.Button
	result   statusLine
	left     *fyne.Container
	right    *fyne.Container
	content  fyne.CanvasObject

	// The selected batch.
	heading  *widget.Label
	info     *widget.Label
	items    *fyne.Container
	totals   *widget.Label
	decide   *widget.Button // 登记审批结果, pending batches
	complete *widget.Button // 登记销毁, approved batches
	view     fyne.CanvasObject

	request    *destroyRequestPanel   // the new batch being put together, if any
	deciding   *destroyDecideDialog   // the open decision dialog, if any
	completing *destroyCompleteDialog // the open destruction dialog, if any
}

// destroyListData is the loaded 销毁清单 of the selected batch.
type destroyListData struct {
	loaded bool
	l      app.DestructionList
}

func newDestroyScreen(m *MainUI) *destroyScreen {
	s := &destroyScreen{m: m, fresh: newFresh(nil, app.ChangeDestruction, app.ChangeCarriers, app.ChangeSettings)}
	s.buildUI()
	return s
}

func (s *destroyScreen) buildUI() {
	s.batches = widget.NewList(
		func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			return widget.NewLabel("销〔2026〕0000  000 件  待审批  申请日期 2026-01-01")
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(s.rows) {
				o.(*widget.Label).SetText(batchLine(s.rows[id]))
			}
		})
	s.batches.OnSelected = s.onSelect
	s.newBatch = widget.NewButtonWithIcon("新建销毁批次", theme.ContentAddIcon(), s.onNew)
	s.newBatch.Importance = widget.HighImportance
	s.result = newStatusLine()
	title := widget.NewLabel("销毁批次")
	title.TextStyle.Bold = true
	s.left = container.NewBorder(container.NewVBox(container.NewHBox(title, layout.NewSpacer(), s.newBatch),
		s.result.Label), nil, nil, nil, s.batches)

	s.heading = widget.NewLabel("")
	s.heading.TextStyle.Bold = true
	s.info = widget.NewLabel("")
	s.info.Wrapping = fyne.TextWrapWord
	s.items = container.NewVBox()
	s.totals = widget.NewLabel("")
	s.totals.TextStyle.Bold = true
	s.decide = widget.NewButtonWithIcon("登记审批结果", theme.ConfirmIcon(), s.onDecide)
	s.complete = widget.NewButtonWithIcon("登记销毁", theme.DeleteIcon(), s.onComplete)
	s.complete.Importance = widget.DangerImportance
	s.decide.Hide()
	s.complete.Hide()
	s.print = widget.NewButtonWithIcon("打印审批表和清单", theme.DocumentPrintIcon(), func() {
		if s.list.loaded {
			s.m.printForm(app.FormDestruction, s.list.l.Batch.SlipNo)
		}
	})
	s.view = container.NewVScroll(container.NewVBox(s.heading, s.info, container.NewHBox(s.decide, s.complete, s.print),
		widget.NewLabel("销毁清单"), s.items, s.totals))
	placeholder := newCJKText("在左侧选择一个销毁批次查看销毁清单，或新建销毁批次。")
	s.right = container.NewStack(placeholder)
	split := container.NewHSplit(s.left, s.right)
	split.Offset = 0.3
	s.content = split
}

// reload loads the batches off the UI goroutine, and the selected batch's list.
func (s *destroyScreen) reload() {
	stale := s.gen.next()
	m := s.m
	var rows []destroyBatchRow
	m.loadFresh(&s.fresh, func() error {
		bs, err := m.b.DestructionBatches(m.sess)
		for _, b := range bs {
			rows = append(rows, destroyBatchRow{b: b, count: b.Items})
		}
		return err
	}, stale, s.result, "读取销毁批次", func() {
		s.rows = rows
		s.batches.Refresh()
		s.left.Refresh() // the result line may have changed its height
		if s.selected == "" {
			return
		}
		for i, r := range rows {
			if r.b.ID == s.selected {
				s.batches.Select(i)
			}
		}
		s.showBatch(s.selected)
	})
}

func (s *destroyScreen) onSelect(id widget.ListItemID) {
	if id < 0 || id >= len(s.rows) {
		return
	}
	s.m.touch()
	if b := s.rows[id].b.ID; b != s.selected || !s.list.loaded || s.list.l.Batch.ID != b {
		s.showBatch(b)
	}
}

// showBatch loads batch id's 销毁清单 and shows it on the right.
func (s *destroyScreen) showBatch(id string) {
	s.selected = id
	m := s.m
	var l app.DestructionList
	m.loadThen(func() (err error) { l, err = m.b.DestructionList(m.sess, id); return err },
		func() bool { return s.selected != id }, s.result, "读取销毁清单", func() { s.applyList(l) })
}

func (s *destroyScreen) applyList(l app.DestructionList) {
	s.list = destroyListData{loaded: true, l: l}
	b := l.Batch
	s.heading.SetText(fmt.Sprintf("销毁单 %s  %s", b.SlipNo, b.State))
	info := fmt.Sprintf("销毁原因：%s\n申请人：%s  申请日期：%s", b.Reason, b.Requester, b.RequestedOn)
	if b.State != models.DestructionPending {
		info += fmt.Sprintf("\n审批人：%s %s %s", b.ApproverName, b.Decision, b.DecidedOn)
		if b.Opinion != "" {
			info += "（" + b.Opinion + "）"
		}
	}
	if b.State == models.DestructionDestroyed {
		info += fmt.Sprintf("\n销毁：%s %s %s", b.DestroyedOn, b.Place, b.Method)
		if b.Method == models.MethodSelf {
			info += "，设备编号 " + b.EquipmentNo
		} else {
			info += "，护送人 " + b.Escort1 + "、" + b.Escort2
		}
		info += "，监销人 " + b.Witness1 + "、" + b.Witness2
	}
	s.info.SetText(info)
	rows := make([]fyne.CanvasObject, 0, len(l.Items)+1)
	rows = append(rows, listRow(destroyListWidths, destroyListColumns, true))
	for _, it := range l.Items {
		rows = append(rows, listRow(destroyListWidths, destroyItemCells(it), false))
	}
	s.items.Objects = rows
	s.items.Refresh()
	s.totals.SetText("合计：" + l.TotalsText())
	s.decide.Hide()
	s.complete.Hide()
	switch b.State {
	case models.DestructionPending:
		s.decide.Show()
	case models.DestructionApproved:
		s.complete.Show()
	}
	s.request = nil
	s.right.Objects = []fyne.CanvasObject{s.view}
	s.right.Refresh()
}

func (s *destroyScreen) onNew() {
	s.m.touch()
	s.result.clear()
	s.selected = ""
	s.list = destroyListData{}
	s.batches.UnselectAll()
	s.request = newDestroyRequestPanel(s)
	s.right.Objects = []fyne.CanvasObject{s.request.content}
	s.right.Refresh()
	s.m.focus(s.request.regNo)
}

func (s *destroyScreen) onDecide() {
	if !s.list.loaded {
		return
	}
	s.result.clear()
	s.deciding = newDestroyDecideDialog(s, s.list.l)
	s.deciding.dlg.Show()
	s.deciding.load()
}

func (s *destroyScreen) onComplete() {
	if !s.list.loaded {
		return
	}
	s.result.clear()
	s.completing = newDestroyCompleteDialog(s, s.list.l)
	s.completing.dlg.Show()
}

// done shows msg, reloads the batches with batch id selected, and the ledger
// and counts when carriers changed state.
func (s *destroyScreen) done(msg, id string, stateChanged bool) {
	s.result.ok(msg)
	s.selected = id
	s.reload()
	if stateChanged {
		s.m.changed()
	}
}

// destroyRequestPanel puts a new destruction batch together: the carriers
// typed or scanned by register number, the reason and the requester (R2).
type destroyRequestPanel struct {
	s        *destroyScreen
	carriers []models.Carrier
	regNo    *entry
	add      *widget.Button
	lines    *fyne.Container
	remove   []*widget.Button // 移除, one per carrier
	reason   *entry
	request  *entry // 申请人
	msgs     *fieldMessages
	save     *widget.Button
	cancel   *widget.Button
	content  fyne.CanvasObject
}

func newDestroyRequestPanel(s *destroyScreen) *destroyRequestPanel {
	p := &destroyRequestPanel{s: s}
	p.buildUI()
	return p
}

func (p *destroyRequestPanel) buildUI() {
	p.regNo = newEntry()
	p.regNo.SetPlaceHolder("输入或扫描登记号后按回车，例如 收〔2026〕0001")
	p.regNo.OnSubmitted = func(string) { p.onAdd() }
	p.add = widget.NewButtonWithIcon("加入", theme.ContentAddIcon(), p.onAdd)
	p.lines = container.NewVBox()
	p.reason = newEntry()
	p.reason.SetPlaceHolder("例如“已过保管期限，无保存价值”")
	p.request = newEntry()
	p.request.SetText(p.s.m.sess.FullName)
	p.msgs = newFieldMessages()
	title := widget.NewLabel("新建销毁批次")
	title.TextStyle.Bold = true
	p.save = widget.NewButtonWithIcon("提交销毁申请", theme.DocumentSaveIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	p.cancel = widget.NewButtonWithIcon("取消", theme.CancelIcon(), p.onCancel)
	// The buttons sit on the title's line: messages appearing under the
	// fields never move them from under the pointer.
	body := container.NewVBox(container.NewBorder(nil, nil, nil, container.NewHBox(p.cancel, p.save), title), p.msgs.top, formOf(
		p.msgs.row(app.FieldDestroyCarriers, "登记号", container.NewBorder(nil, nil, nil, p.add, p.regNo)),
		[2]fyne.CanvasObject{widget.NewLabel("载体"), p.lines},
		p.msgs.row(app.FieldDestroyReason, "销毁原因", p.reason),
		p.msgs.row(app.FieldRequester, "申请人", container.New(widthLayout{200}, p.request)),
	), note("须经审批人批准后才能销毁；标记清退的载体应退还来文单位，不得销毁。"))
	p.msgs.frame = body
	p.content = container.NewVScroll(body)
	p.showLines()
}

// showLines lists the carriers added so far, each with its 移除 button.
func (p *destroyRequestPanel) showLines() {
	p.remove = nil
	rows := make([]fyne.CanvasObject, 0, len(p.carriers)+1)
	if len(p.carriers) == 0 {
		rows = append(rows, widget.NewLabel("尚未加入载体"))
	}
	for i, c := range p.carriers {
		lbl := newCJKText(fmt.Sprintf("%d. %s《%s》 %s 份号%s", i+1, c.RegNo, c.Title, c.Marking(), c.CopyNoText()))
		id := c.ID
		b := widget.NewButtonWithIcon("移除", theme.ContentRemoveIcon(), func() { p.onRemove(id) })
		p.remove = append(p.remove, b)
		rows = append(rows, container.NewBorder(nil, nil, nil, b, lbl))
	}
	p.lines.Objects = rows
	p.lines.Refresh()
	p.msgs.relayout()
}

func (p *destroyRequestPanel) onAdd() {
	p.msgs.clear()
	regNo := strings.TrimSpace(p.regNo.Text)
	if regNo == "" {
		p.msgs.add(app.FieldDestroyCarriers, "请输入或扫描登记号")
		return
	}
	m := p.s.m
	c, err := m.b.GetByRegNo(m.sess, regNo)
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			p.msgs.add(app.FieldDestroyCarriers, "找不到登记号为 "+regNo+" 的载体")
			return
		}
		if msg, ok := knownError(err); ok {
			p.msgs.add(app.FieldDestroyCarriers, msg)
			return
		}
		m.unexpected("查找载体", err)
		return
	}
	for _, have := range p.carriers {
		if have.ID == c.ID {
			p.msgs.add(app.FieldDestroyCarriers, c.RegNo+" 已在本批次中")
			return
		}
	}
	// A carrier that can't be destroyed (on loan, marked for return, in
	// another list) is refused now, with the reason, not at 提交.
	if err := m.b.CheckDestroyable(m.sess, c.ID); err != nil {
		if v, ok := models.AsValidation(err); ok {
			p.msgs.show(v)
			selectAllOf(&p.regNo.Entry)
			return
		}
		if msg, ok := knownError(err); ok {
			p.msgs.add(app.FieldDestroyCarriers, msg)
			return
		}
		m.unexpected("查找载体", err)
		return
	}
	p.carriers = append(p.carriers, c)
	p.regNo.SetText("")
	p.showLines()
	m.focus(p.regNo)
}

func (p *destroyRequestPanel) onRemove(id string) {
	for i, c := range p.carriers {
		if c.ID == id {
			p.carriers = append(p.carriers[:i], p.carriers[i+1:]...)
			break
		}
	}
	p.showLines()
}

func (p *destroyRequestPanel) read() app.DestructionInput {
	in := app.DestructionInput{Reason: p.reason.Text, Requester: p.request.Text}
	for _, c := range p.carriers {
		in.CarrierIDs = append(in.CarrierIDs, c.ID)
	}
	return in
}

func (p *destroyRequestPanel) onSave() {
	p.msgs.clear()
	m := p.s.m
	b, err := m.b.RequestDestruction(m.sess, p.read())
	if err != nil {
		p.msgs.explain(err, "登记销毁申请", m.unexpected)
		return
	}
	if p.s.request == p {
		p.s.request = nil
	}
	if b.State == models.DestructionApproved {
		p.s.done(fmt.Sprintf("已登记销毁单 %s：内部、非密文件无需审批，销毁后请登记销毁。", b.SlipNo), b.ID, true)
		return
	}
	p.s.done(fmt.Sprintf("已登记销毁申请 %s，待审批人批示后登记审批结果。", b.SlipNo), b.ID, false)
}

func (p *destroyRequestPanel) onCancel() {
	if p.s.request == p {
		p.s.request = nil
	}
	placeholder := widget.NewLabel("在左侧选择一个销毁批次查看销毁清单，或新建销毁批次。")
	p.s.right.Objects = []fyne.CanvasObject{placeholder}
	p.s.right.Refresh()
}

// destroyDecideDialog records the leader's decision on a destruction batch
// (R2, R9), the same way as on a copy or loan.
type destroyDecideDialog struct {
	*decisionDialog
	s *destroyScreen
	l app.DestructionList
}

func newDestroyDecideDialog(s *destroyScreen, l app.DestructionList) *destroyDecideDialog {
	d := &destroyDecideDialog{s: s, l: l}
	b := l.Batch
	var top models.Level // the highest level on the list
	for _, it := range l.Items {
		top = max(top, it.Level)
	}
	d.decisionDialog = newDecisionDialog(s.m, models.ApproveDestroy, top,
		fmt.Sprintf("销毁单 %s：%d 件（%s），原因 %s，申请人 %s，申请日期 %s。",
			b.SlipNo, len(l.Items), l.TotalsText(), b.Reason, b.Requester, b.RequestedOn),
		"机密、绝密载体的销毁须经领导审批；审批人须有“销毁”权限且可审批的密级不低于清单中最高密级。",
		460, d.onSave, d.close)
	return d
}

func (d *destroyDecideDialog) read() app.DestructionDecision {
	return app.DestructionDecision{BatchID: d.l.Batch.ID, ApproverID: d.approverID(),
		Decision: d.decision.Selected, Opinion: d.opinion.Text, DecidedOn: d.date.Text}
}

func (d *destroyDecideDialog) onSave() {
	d.msgs.clear()
	m := d.s.m
	b, err := m.b.DecideDestruction(m.sess, d.read())
	if d.failed(err) {
		return
	}
	d.close()
	if b.State == models.DestructionApproved {
		d.s.done(fmt.Sprintf("%s 已同意（审批人 %s %s），销毁后请登记销毁。", b.SlipNo, b.ApproverName, b.DecidedOn),
			b.ID, false)
		return
	}
	d.s.done(fmt.Sprintf("%s 审批人 %s %s：%s，载体仍在库。", b.SlipNo, b.ApproverName, b.DecidedOn, b.Decision),
		b.ID, false)
}

func (d *destroyDecideDialog) close() {
	d.dlg.Hide()
	if d.s.deciding == d {
		d.s.deciding = nil
	}
}

// destroyMethods are the two ways of destruction (R17).
var destroyMethods = []string{string(models.MethodSent), string(models.MethodSelf)}

// destroyCompleteDialog records how an approved batch was destroyed (R2,
// R17): the method, with the equipment number for 自行销毁 or the two escorts
// for 送销, the place, the date and the two witnesses.
type destroyCompleteDialog struct {
	s         *destroyScreen
	l         app.DestructionList
	method    *widget.RadioGroup
	equipment *entry
	escort1   *choiceEntry
	escort2   *choiceEntry
	place     *entry
	date      *entry
	witness1  *choiceEntry
	witness2  *choiceEntry
	equipRow  [2]fyne.CanvasObject
	escortRow [2]fyne.CanvasObject
	msgs      *fieldMessages
	save      *widget.Button
	dlg       *dialog.CustomDialog
}

func newDestroyCompleteDialog(s *destroyScreen, l app.DestructionList) *destroyCompleteDialog {
	d := &destroyCompleteDialog{s: s, l: l}
	d.buildUI()
	return d
}

func (d *destroyCompleteDialog) buildUI() {
	d.method = widget.NewRadioGroup(destroyMethods, d.onMethod)
	d.method.Horizontal = true
	d.equipment = newEntry()
	d.equipment.SetPlaceHolder("合格销毁设备的编号")
	d.escort1 = d.s.m.newPersonEntry(nil)
	d.escort1.SetPlaceHolder("护送人1")
	d.escort2 = d.s.m.newPersonEntry(nil)
	d.escort2.SetPlaceHolder("护送人2")
	d.place = newEntry()
	d.place.SetPlaceHolder("例如“市保密局销毁中心”")
	d.date = newEntry()
	d.date.SetText(d.s.m.today())
	d.witness1 = d.s.m.newPersonEntry(nil)
	d.witness1.SetPlaceHolder("监销人1")
	d.witness2 = d.s.m.newPersonEntry(nil)
	d.witness2.SetPlaceHolder("监销人2")
	d.msgs = newFieldMessages()
	b := d.l.Batch
	intro := widget.NewLabel(fmt.Sprintf("销毁单 %s：%d 件（%s），审批人 %s %s 同意。\n两名监销人应为不同的人，且都不是申请人 %s。",
		b.SlipNo, len(d.l.Items), d.l.TotalsText(), b.ApproverName, b.DecidedOn, b.Requester))
	intro.Wrapping = fyne.TextWrapWord
	d.equipRow = d.msgs.row(app.FieldEquipmentNo, "设备编号", d.equipment)
	d.escortRow = d.msgs.row(app.FieldEscorts, "护送人", container.NewGridWithColumns(2, d.escort1, d.escort2))
	body := container.NewVBox(intro, d.msgs.top, formOf(
		d.msgs.row(app.FieldMethod, "方式", d.method),
		d.equipRow,
		d.escortRow,
		d.msgs.row(app.FieldPlace, "地点", d.place),
		d.msgs.row(app.FieldDestroyedOn, "日期", container.New(widthLayout{160}, d.date)),
		d.msgs.row(app.FieldWitnesses, "监销人", container.NewGridWithColumns(2, d.witness1, d.witness2)),
	))
	d.msgs.frame = body
	d.onMethod("")
	d.dlg, d.save = newFormDialog(d.s.m.win, "登记销毁", body, "登记销毁", theme.DocumentSaveIcon(), d.onSave, d.close,
		fyne.NewSize(680, 520))
	d.save.Importance = widget.DangerImportance
}

// onMethod shows the equipment number for 自行销毁 and the escorts for 送销.
func (d *destroyCompleteDialog) onMethod(string) {
	show := func(row [2]fyne.CanvasObject, on bool) {
		for _, o := range row {
			if on {
				o.Show()
			} else {
				o.Hide()
			}
		}
	}
	show(d.equipRow, d.method.Selected == string(models.MethodSelf))
	show(d.escortRow, d.method.Selected == string(models.MethodSent))
	d.msgs.relayout()
}

func (d *destroyCompleteDialog) read() app.DestructionRecord {
	return app.DestructionRecord{Method: models.DestructionMethod(d.method.Selected), EquipmentNo: d.equipment.Text,
		Place: d.place.Text, DestroyedOn: d.date.Text, Witness1: d.witness1.Text, Witness2: d.witness2.Text,
		Escort1: d.escort1.Text, Escort2: d.escort2.Text}
}

func (d *destroyCompleteDialog) onSave() {
	d.msgs.clear()
	m := d.s.m
	b, err := m.b.CompleteDestruction(m.sess, d.l.Batch.ID, d.read())
	if err != nil {
		d.msgs.explain(err, "登记销毁", m.unexpected)
		return
	}
	d.close()
	d.s.done(fmt.Sprintf("%s 已于 %s 在%s销毁（%s），共 %s。", b.SlipNo, b.DestroyedOn, b.Place, b.Method,
		d.l.TotalsText()), b.ID, true)
}

func (d *destroyCompleteDialog) close() {
	d.dlg.Hide()
	if d.s.completing == d {
		d.s.completing = nil
	}
}
