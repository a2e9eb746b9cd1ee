package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// candidateLine is one issuer's carriers flagged for return: 来文单位, how
// many, how many in store and away.
func candidateLine(c app.ReturnCandidate) string {
	s := fmt.Sprintf("%s  标记清退 %d 件  在库 %d 件", c.Issuer, c.Count, c.InStore)
	if c.Away > 0 {
		s += fmt.Sprintf("  在外 %d 件（须收回后才能清退）", c.Away)
	}
	return s
}

// returnBatchLine is a 清退 slip as the list shows it: 单号, 来文单位, 件数, 状态, 日期.
func returnBatchLine(b models.ReturnBatch) string {
	s := fmt.Sprintf("%s  %s  %d 件  %s", b.SlipNo, b.Issuer, b.Items, b.State)
	if b.State == models.ReturnHandedOver {
		s += "  交接 " + b.HandedOverOn
	} else {
		s += "  登记 " + b.CreatedAt.Local().Format(models.DateLayout)
	}
	return s
}

// returnListColumns are the columns of a 清退清单, with their widths: 题名
// (0) takes what the others leave.
var returnListColumns = []string{"序号", "登记号", "题名", "文号", "载体类型", "密级★期限", "份号", "页数"}

var returnListWidths = []float32{50, 125, 0, 170, 80, 110, 70, 50}

// columnsLayout lays its objects out in a row of columns of fixed widths;
// the column of width 0 takes the space left. The row is as tall as its
// tallest object.
type columnsLayout struct{ widths []float32 }

func (l columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		if i < len(l.widths) {
			w += l.widths[i]
		}
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(w+160, h) // the flexible column keeps at least 160
}

func (l columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var fixed float32
	for _, w := range l.widths {
		fixed += w
	}
	x := float32(0)
	for i, o := range objs {
		w := float32(0)
		if i < len(l.widths) {
			w = l.widths[i]
		}
		if w == 0 {
			w = max(160, size.Width-fixed)
		}
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

// listRow is one row of a list in columns: labels that never wrap, cut
// with an ellipsis when too long for their column.
func listRow(widths []float32, cells []string, bold bool) *fyne.Container {
	objs := make([]fyne.CanvasObject, len(cells))
	for i, t := range cells {
		l := widget.NewLabel(t)
		l.TextStyle.Bold = bold
		l.Truncation = fyne.TextTruncateEllipsis
		objs[i] = l
	}
	return container.New(columnsLayout{widths}, objs...)
}

func returnItemCells(it app.DestructionListItem) []string {
	return []string{strconv.Itoa(it.No), it.RegNo, it.Title, it.DocNumber, string(it.Kind), it.Marking, it.CopyNo,
		strconv.Itoa(it.Pages)}
}

// returnScreen is the clerk's 清退 tab (R8, R16): on the left what is
// flagged for return, by issuer, with 生成清退单, and the 清退 slips; on the
// right the selected slip's 清退清单 with 交还 while it is open.
type returnScreen struct {
	m     *MainUI
	fresh fresh // what the lists were last read from

	cands    []app.ReturnCandidate
	rows     []models.ReturnBatch
	gen      generation // answers to an older load are dropped
	selected string     // the slip shown on the right, "" for none
	list     app.ReturnList
	loaded   bool

	candBox *fyne.Container
	create  map[string]*widget.Button // 生成清退单 by issuer
	result  statusLine
	batches *widget.List
	left    *fyne.Container
	right   *fyne.Container
	content fyne.CanvasObject

	// The selected slip.
	heading  *widget.Label
	info     *widget.Label
	items    *fyne.Container
	totals   *widget.Label
	handOver *widget.Button // 交还, pending slips
	voidSlip *widget.Button // 作废清退单, pending slips
	print    *widget.Button // 打印清退清单
	view     fyne.CanvasObject

	handing *handOverDialog // the open 交还 dialog, if any
	voiding *voidSlipDialog // the open 作废 dialog, if any
	printed *printDialog    // the last 打印 dialog
}

func newReturnScreen(m *MainUI) *returnScreen {
	s := &returnScreen{m: m, fresh: newFresh(nil, app.ChangeReturns, app.ChangeCarriers)}
	s.buildUI()
	return s
}

func (s *returnScreen) buildUI() {
	s.candBox = container.NewVBox(widget.NewLabel("正在读取…"))
	s.result = newStatusLine()
	s.batches = widget.NewList(
		func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			return widget.NewLabel("退〔2026〕0000  遂安市人民政府办公室  000 件  待交接  登记 2026-01-01")
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(s.rows) {
				o.(*widget.Label).SetText(returnBatchLine(s.rows[id]))
			}
		})
	s.batches.OnSelected = s.onSelect
	bold := func(t string) *widget.Label {
		l := widget.NewLabel(t)
		l.TextStyle.Bold = true
		return l
	}
	top := container.NewVBox(bold("待清退（按来文单位）"), s.candBox,
		note("在台账中打开载体，用“标记清退”标记来文单位要求退还的载体。"),
		s.result.Label, bold("清退单"))
	s.left = container.NewBorder(top, nil, nil, nil, s.batches)

	s.heading = widget.NewLabel("")
	s.heading.TextStyle.Bold = true
	s.info = widget.NewLabel("")
	s.info.Wrapping = fyne.TextWrapWord
	s.items = container.NewVBox()
	s.totals = widget.NewLabel("")
	s.totals.TextStyle.Bold = true
	s.handOver = widget.NewButtonWithIcon("交还", theme.MailSendIcon(), s.onHandOver)
	s.handOver.Importance = widget.HighImportance
	s.handOver.Hide()
	s.voidSlip = widget.NewButtonWithIcon("作废清退单", theme.DeleteIcon(), s.onVoid)
	s.voidSlip.Hide()
	s.print = widget.NewButtonWithIcon("打印清退清单", theme.DocumentPrintIcon(), func() {
		if s.loaded {
			s.printed = s.m.printForm(app.FormReturn, s.list.Batch.SlipNo)
		}
	})
	// Scrolls both ways: the list's columns must not push the split over.
	s.view = container.NewScroll(container.NewVBox(s.heading, s.info, container.NewHBox(s.handOver, s.print, s.voidSlip),
		widget.NewLabel("清退清单"), s.items, s.totals))
	s.right = container.NewStack(s.placeholder())
	split := container.NewHSplit(s.left, s.right)
	split.Offset = 0.4
	s.content = split
}

func (s *returnScreen) placeholder() fyne.CanvasObject {
	l := newCJKText("在左侧为来文单位生成清退单，或选择一张清退单查看清退清单。")
	return l
}

// reload loads the candidates and the slips off the UI goroutine, and the
// selected slip's list again.
func (s *returnScreen) reload() {
	stale := s.gen.next()
	m := s.m
	var cands []app.ReturnCandidate
	var rows []models.ReturnBatch
	m.loadFresh(&s.fresh, func() (err error) {
		if cands, err = m.b.ReturnCandidates(m.sess); err == nil {
			rows, err = m.b.ReturnBatches(m.sess)
		}
		return err
	}, stale, s.result, "读取清退单", func() {
		s.applyLists(cands, rows)
		if s.selected != "" {
			s.showBatch(s.selected)
		}
	})
}

func (s *returnScreen) applyLists(cands []app.ReturnCandidate, rows []models.ReturnBatch) {
	s.cands, s.rows = cands, rows
	s.create = map[string]*widget.Button{}
	lines := make([]fyne.CanvasObject, 0, len(cands)+1)
	if len(cands) == 0 {
		lines = append(lines, widget.NewLabel("暂无标记清退且未列入清退单的载体"))
	}
	for _, c := range cands {
		l := newCJKText(candidateLine(c))
		if c.Away > 0 {
			l.Importance = widget.WarningImportance
		}
		issuer := c.Issuer
		b := widget.NewButtonWithIcon("生成清退单", theme.ContentAddIcon(), func() { s.onCreate(issuer) })
		s.create[issuer] = b
		lines = append(lines, container.NewBorder(nil, nil, nil, b, l))
	}
	s.candBox.Objects = lines
	s.candBox.Refresh()
	s.batches.UnselectAll()
	s.batches.Refresh()
	for i, r := range rows {
		if r.ID == s.selected {
			s.batches.Select(i)
		}
	}
	s.left.Refresh()
}

func (s *returnScreen) onSelect(id widget.ListItemID) {
	if id < 0 || id >= len(s.rows) {
		return
	}
	s.m.touch()
	if b := s.rows[id].ID; b != s.selected || !s.loaded || s.list.Batch.ID != b {
		s.showBatch(b)
	}
}

// selectBatch selects the slip with id, as a click would; false when it is not listed.
func (s *returnScreen) selectBatch(id string) bool {
	for i, r := range s.rows {
		if r.ID == id {
			s.batches.Select(i)
			return true
		}
	}
	return false
}

// showBatch loads slip id's 清退清单 and shows it on the right.
func (s *returnScreen) showBatch(id string) {
	s.selected = id
	m := s.m
	var l app.ReturnList
	m.loadThen(func() (err error) { l, err = m.b.ReturnList(m.sess, id); return err },
		func() bool { return s.selected != id }, s.result, "读取清退清单", func() { s.applyList(l) })
}

func (s *returnScreen) applyList(l app.ReturnList) {
	s.list, s.loaded = l, true
	b := l.Batch
	s.heading.SetText(fmt.Sprintf("清退单 %s  %s", b.SlipNo, b.State))
	info := fmt.Sprintf("退还：%s\n登记：%s（%s）", b.Issuer, b.CreatedAt.Local().Format(historyTimeLayout), b.CreatedBy)
	if b.State == models.ReturnHandedOver {
		info += fmt.Sprintf("\n交接：%s 交 %s 接收人 %s（%s 登记）", b.HandedOverOn, b.Issuer, b.HandedTo, b.HandedBy)
	}
	s.info.SetText(info)
	rows := make([]fyne.CanvasObject, 0, len(l.Items)+1)
	rows = append(rows, listRow(returnListWidths, returnListColumns, true))
	for _, it := range l.Items {
		rows = append(rows, listRow(returnListWidths, returnItemCells(it), false))
	}
	s.items.Objects = rows
	s.items.Refresh()
	s.totals.SetText(fmt.Sprintf("合计：%s，共 %d 页", l.TotalsText(), l.Pages))
	if b.State == models.ReturnPending {
		s.handOver.Show()
		s.voidSlip.Show()
	} else {
		s.handOver.Hide()
		s.voidSlip.Hide()
	}
	s.right.Objects = []fyne.CanvasObject{s.view}
	s.right.Refresh()
}

// onCreate lists every carrier of issuer flagged for return on a new slip.
func (s *returnScreen) onCreate(issuer string) {
	s.m.touch()
	s.result.clear()
	m := s.m
	b, err := m.b.CreateReturnBatch(m.sess, issuer)
	if err != nil {
		if msg, ok := firstMessage(err); ok {
			s.result.fail(msg)
			s.left.Refresh()
			return
		}
		m.unexpected("生成清退单", err)
		return
	}
	s.done(fmt.Sprintf("已生成清退单 %s：%d 件退还 %s。交还后请登记“交还”。", b.SlipNo, b.Items, b.Issuer), b.ID, false)
}

func (s *returnScreen) onHandOver() {
	if !s.loaded || s.list.Batch.State != models.ReturnPending {
		return
	}
	s.result.clear()
	s.handing = newHandOverDialog(s, s.list)
	s.handing.dlg.Show()
	s.m.focus(s.handing.handedTo)
}

func (s *returnScreen) onVoid() {
	if !s.loaded || s.list.Batch.State != models.ReturnPending {
		return
	}
	s.result.clear()
	s.voiding = newVoidSlipDialog(s, s.list.Batch)
	s.voiding.dlg.Show()
	s.m.focus(s.voiding.reason)
}

// voidSlipDialog asks why a pending 清退 slip made in error is voided; its
// carriers keep their flag and may go on a new slip.
type voidSlipDialog struct {
	s      *returnScreen
	b      models.ReturnBatch
	reason *entry
	msg    *widget.Label
	save   *widget.Button
	dlg    *dialog.CustomDialog
}

func newVoidSlipDialog(s *returnScreen, b models.ReturnBatch) *voidSlipDialog {
	d := &voidSlipDialog{s: s, b: b}
	d.reason = newEntry()
	d.reason.SetPlaceHolder("如：来文单位要求分两次清退")
	d.reason.OnSubmitted = func(string) { d.onSave() }
	d.msg = errorLabel()
	intro := widget.NewLabel(fmt.Sprintf("作废清退单 %s（退还 %s）。清退单和清退清单保留并标为“已作废”，\n其中的载体仍标记清退，可重新生成清退单或取消标记。", b.SlipNo, b.Issuer))
	body := container.NewVBox(intro, widget.NewForm(widget.NewFormItem("作废原因", d.reason)), d.msg)
	d.dlg, d.save = newFormDialog(s.m.win, "作废清退单", body, "确认作废", theme.ConfirmIcon(), d.onSave,
		func() { d.dlg.Hide() }, fyne.NewSize(620, 240))
	d.save.Importance = widget.DangerImportance
	return d
}

func (d *voidSlipDialog) onSave() {
	m := d.s.m
	b, err := m.b.VoidReturnBatch(m.sess, d.b.ID, d.reason.Text)
	if err != nil {
		if msg, ok := firstMessage(err); ok {
			setMessage(d.msg, msg)
			return
		}
		d.dlg.Hide()
		m.unexpected("作废清退单", err)
		return
	}
	d.dlg.Hide()
	d.s.done(fmt.Sprintf("清退单 %s 已作废，其中 %d 件仍标记清退。", b.SlipNo, b.Items), b.ID, true)
}

// done shows msg, reloads with slip id selected, and the ledger and counts
// when carriers changed state.
func (s *returnScreen) done(msg, id string, stateChanged bool) {
	s.result.ok(msg)
	s.selected = id
	s.reload()
	if stateChanged {
		s.m.changed()
	}
}

// handOverDialog records that a 清退 slip's carriers were handed back to the
// issuer's receiver: 接收人 and 交接日期 (R8).
type handOverDialog struct {
	s        *returnScreen
	l        app.ReturnList
	handedTo *entry
	date     *entry
	msgs     *fieldMessages
	save     *widget.Button
	dlg      *dialog.CustomDialog
}

func newHandOverDialog(s *returnScreen, l app.ReturnList) *handOverDialog {
	d := &handOverDialog{s: s, l: l}
	d.buildUI()
	return d
}

func (d *handOverDialog) buildUI() {
	d.handedTo = newEntry()
	d.handedTo.SetPlaceHolder("来文单位接收人的姓名")
	d.date = newEntry()
	d.date.SetText(d.s.m.today())
	for _, e := range []*entry{d.handedTo, d.date} {
		e.OnSubmitted = func(string) { d.onSave() }
	}
	d.msgs = newFieldMessages()
	carriers := d.msgs.line(app.FieldReturnCarriers)
	b := d.l.Batch
	intro := widget.NewLabel(fmt.Sprintf("清退单 %s：%d 件（%s）交还 %s。\n交接后这些载体全部变为“已清退”，离开台账的在册视图，记录永久保留。",
		b.SlipNo, len(d.l.Items), d.l.TotalsText(), b.Issuer))
	intro.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(intro, d.msgs.top, carriers, formOf(
		d.msgs.row(app.FieldHandedTo, "接收人", d.handedTo),
		d.msgs.row(app.FieldHandedOverOn, "交接日期", container.New(widthLayout{160}, d.date)),
	))
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(d.s.m.win, "交还来文单位", body, "确认交还", theme.ConfirmIcon(),
		d.onSave, d.close, fyne.NewSize(620, 300))
}

func (d *handOverDialog) onSave() {
	d.msgs.clear()
	m := d.s.m
	b, err := m.b.HandOverReturnBatch(m.sess, d.l.Batch.ID, d.handedTo.Text, d.date.Text)
	if err != nil {
		d.msgs.explain(err, "登记清退交接", m.unexpected)
		return
	}
	d.close()
	d.s.done(fmt.Sprintf("清退单 %s 已于 %s 交 %s 接收人 %s，%d 件已清退。", b.SlipNo, b.HandedOverOn, b.Issuer,
		b.HandedTo, b.Items), b.ID, true)
}

func (d *handOverDialog) close() {
	d.dlg.Hide()
	if d.s.handing == d {
		d.s.handing = nil
	}
}
