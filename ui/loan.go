package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// loanLine is one loan or take-out: 单号, 类别, 借阅人, 应还日期, 状态, and
// what was decided and checked.
func loanLine(l models.Loan) string {
	line := fmt.Sprintf("%s  %s  %s：%s", l.SlipNo, l.Kind, l.Kind.BorrowerLabel(), l.Borrower)
	if l.Department != "" {
		line += "（" + l.Department + "）"
	}
	line += fmt.Sprintf("  应还日期：%s  %s", l.DueOn, l.State)
	if l.Destination != "" {
		line += "  外出地点：" + l.Destination
	}
	if l.Companion != "" {
		line += "  同行人：" + l.Companion
	}
	if l.InOffice {
		line += "  限在机要阅文室阅读"
	}
	if l.State != models.LoanPending {
		line += fmt.Sprintf("  审批人：%s %s %s", l.ApproverName, l.Decision, l.DecidedOn)
	}
	if l.State == models.LoanReturned {
		line += fmt.Sprintf("  归还：%s %s", l.ReturnedOn, l.ReturnCheck)
		if l.ReturnNote != "" {
			line += "（" + l.ReturnNote + "）"
		}
	}
	return line
}

// loanSection is the part of the detail about loans and take-outs (R3): the
// 借阅申请 and 外出携带申请 buttons, and the carrier's 借阅/外出记录 with
// 登记审批结果 on pending ones and 归还登记 on those out.
type loanSection struct {
	d *detailView

	c     models.Carrier
	loans []models.Loan

	borrow  *widget.Button // 借阅申请
	takeOut *widget.Button // 外出携带申请
	result  statusLine
	list    *fyne.Container
	decide  map[string]*widget.Button // 登记审批结果 by loan id
	ret     map[string]*widget.Button // 归还登记 by loan id
	content *fyne.Container

	asking    *loanDialog       // the open request dialog, if any
	deciding  *loanDecideDialog // the open decision dialog, if any
	returning *returnDialog     // the open return dialog, if any
}

func newLoanSection(d *detailView) *loanSection {
	s := &loanSection{d: d}
	s.buildUI()
	return s
}

func (s *loanSection) buildUI() {
	s.borrow = widget.NewButtonWithIcon("借阅申请", theme.DocumentIcon(), s.onBorrow)
	s.borrow.Disable()
	s.takeOut = widget.NewButtonWithIcon("外出携带申请", theme.LogoutIcon(), s.onTakeOut)
	s.takeOut.Disable()
	s.result = newStatusLine()
	title := widget.NewLabel("借阅/外出记录")
	title.TextStyle.Bold = true
	s.list = container.NewVBox()
	s.content = container.NewVBox(title, s.list)
}

// apply shows the loans of c.
func (s *loanSection) apply(c models.Carrier, loans []models.Loan) {
	s.c, s.loans = c, loans
	// The domain refuses other states anyway; the buttons say so before a click.
	for _, b := range []*widget.Button{s.borrow, s.takeOut} {
		if c.State == models.StateInStore && c.Kind != models.KindCipherTel {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	s.decide, s.ret = map[string]*widget.Button{}, map[string]*widget.Button{}
	rows := make([]fyne.CanvasObject, 0, len(loans)+1)
	if len(loans) == 0 {
		rows = append(rows, widget.NewLabel("无"))
	}
	for _, l := range loans {
		lbl := newCJKText(loanLine(l))
		loan := l
		var b *widget.Button
		switch l.State {
		case models.LoanPending:
			b = widget.NewButtonWithIcon("登记审批结果", theme.ConfirmIcon(), func() { s.onDecide(loan) })
			s.decide[l.ID] = b
		case models.LoanOut:
			b = widget.NewButtonWithIcon("归还登记", theme.MailReplyIcon(), func() { s.onReturn(loan) })
			s.ret[l.ID] = b
		}
		pr := s.d.m.printButton("打印审批单", app.FormLoan, l.SlipNo)
		if b == nil {
			rows = append(rows, container.NewBorder(nil, nil, nil, pr, lbl))
			continue
		}
		rows = append(rows, container.NewBorder(nil, nil, nil, container.NewHBox(pr, b), lbl))
	}
	s.list.Objects = rows
	s.list.Refresh()
	s.content.Refresh()
}

func (s *loanSection) onBorrow() { s.openRequest(models.LoanBorrow) }

func (s *loanSection) onTakeOut() { s.openRequest(models.LoanTakeOut) }

func (s *loanSection) openRequest(k models.LoanKind) {
	if !s.d.loaded {
		return
	}
	s.result.clear()
	s.asking = newLoanDialog(s, s.c, k)
	s.asking.dlg.Show()
	s.d.m.focus(s.asking.borrower)
}

func (s *loanSection) onDecide(l models.Loan) {
	s.result.clear()
	s.deciding = newLoanDecideDialog(s, s.c, l)
	s.deciding.dlg.Show()
	s.deciding.load()
}

func (s *loanSection) onReturn(l models.Loan) {
	s.result.clear()
	s.returning = newReturnDialog(s, s.c, l)
	s.returning.dlg.Show()
}

// done reloads the detail, and with it the ledger and counts when the
// carrier's state changed.
func (s *loanSection) done(msg string, stateChanged bool) {
	s.result.ok(msg)
	s.d.show(s.c.ID)
	if stateChanged {
		s.d.m.changed()
	}
}

// loanDialog records a 借阅 or 外出携带 request (R3).
type loanDialog struct {
	s           *loanSection
	c           models.Carrier
	kind        models.LoanKind
	borrower    *choiceEntry
	department  *entry
	purpose     *entry
	destination *entry // nil for a loan
	companion   *entry // take-outs: 同行人
	measures    *entry // take-outs: 保密措施
	abroad      *widget.Check
	abroadDoc   *entry
	inOffice    *widget.Check // loans: read in the 阅文室
	outside     *entry        // why a borrower outside the 知悉范围 borrows (R27)
	due         *entry
	msgs        *fieldMessages
	save        *widget.Button
	dlg         *dialog.CustomDialog
}

func newLoanDialog(s *loanSection, c models.Carrier, k models.LoanKind) *loanDialog {
	d := &loanDialog{s: s, c: c, kind: k}
	d.buildUI()
	return d
}

func (d *loanDialog) buildUI() {
	d.department = newEntry()
	d.borrower = d.s.d.m.newPersonEntry(d.department)
	d.purpose = newEntry()
	d.purpose.SetPlaceHolder("例如“起草文件参阅”")
	d.due = newEntry()
	d.due.SetPlaceHolder("年-月-日，例如 " + d.s.d.m.env.now().AddDate(0, 0, 7).Format(models.DateLayout))
	d.msgs = newFieldMessages()
	rows := [][2]fyne.CanvasObject{
		d.msgs.row(app.FieldBorrower, d.kind.BorrowerLabel(), d.borrower),
		d.msgs.row(app.FieldDepartment, "部门", d.department),
		d.msgs.row(app.FieldLoanPurpose, "用途", d.purpose),
	}
	entries := []*entry{&d.borrower.entry, d.department, d.purpose}
	if d.kind == models.LoanTakeOut {
		d.destination = newEntry()
		d.destination.SetPlaceHolder("例如“省委办公厅”")
		d.companion, d.measures, d.abroadDoc = newEntry(), newEntry(), newEntry()
		if d.c.Level == models.LevelTopSecret {
			d.companion.SetPlaceHolder("绝密级载体外出携带必填")
		}
		d.measures.SetPlaceHolder("例如“密码箱专人携带，不离身”")
		d.abroadDoc.SetPlaceHolder("出境时必填：批准文件的文号")
		d.abroad = widget.NewCheck("携带出境", nil)
		rows = append(rows, d.msgs.row(app.FieldDestination, "外出地点", d.destination),
			d.msgs.row(app.FieldCompanion, "同行人", d.companion),
			d.msgs.row(app.FieldMeasures, "保密措施", d.measures),
			d.msgs.row(app.FieldAbroadDoc, "出境", container.NewBorder(nil, nil, d.abroad, nil, d.abroadDoc)))
		entries = append(entries, d.destination, d.companion, d.measures, d.abroadDoc)
	} else {
		d.inOffice = widget.NewCheck("限在机要阅文室阅读", nil)
		d.inOffice.SetChecked(d.c.Level == models.LevelTopSecret)
		rows = append(rows, d.msgs.row(app.FieldLoanKind, "阅读地点", d.inOffice))
	}
	d.outside = newEntry()
	d.outside.SetPlaceHolder("不在知悉范围（" + d.c.NeedToKnow + "）内时填写理由")
	rows = append(rows, d.msgs.row(app.FieldDueOn, "归还日期", container.New(widthLayout{160}, d.due)),
		d.msgs.row(app.FieldOutsideReason, "知悉范围外", d.outside))
	for _, e := range append(entries, d.due) {
		e.OnSubmitted = func(string) { d.onSave() }
	}
	// The limits of the carrier's level (R27), said before anything is typed.
	m := d.s.d.m
	limit := m.b.LoanDays(d.c.Level, d.kind)
	last := m.env.now().AddDate(0, 0, limit).Format(models.DateLayout)
	rule := fmt.Sprintf("%s载体%s期限不超过 %d 天，归还日期最晚 %s", d.c.Level, d.kind, limit, last)
	if !d.c.Level.IsStateSecret() {
		rule = fmt.Sprintf("期限不超过 %d 天，归还日期最晚 %s", limit, last)
	}
	if d.c.Level == models.LevelTopSecret {
		if d.kind == models.LoanTakeOut {
			rule += "；须有同行人"
		} else {
			rule += "；只能在机要阅文室阅读"
		}
	}
	intro := widget.NewLabel(fmt.Sprintf("%s %s《%s》 %s 份号%s。\n须经审批人批准后才能%s；%s。",
		d.kind, d.c.RegNo, d.c.Title, d.c.Marking(), d.c.CopyNoText(), d.kind, rule))
	intro.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(intro, d.msgs.top, formOf(rows...))
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(d.s.d.m.win, d.kind.String()+"申请", body, "提交申请", theme.DocumentSaveIcon(),
		d.onSave, d.close, fyne.NewSize(640, 440))
}

func (d *loanDialog) read() app.LoanInput {
	in := app.LoanInput{Kind: d.kind, CarrierID: d.c.ID, Borrower: d.borrower.Text, Department: d.department.Text,
		Purpose: d.purpose.Text, DueOn: d.due.Text}
	if d.destination != nil {
		in.Destination, in.Companion, in.Measures = d.destination.Text, d.companion.Text, d.measures.Text
		in.Abroad, in.AbroadDoc = d.abroad.Checked, d.abroadDoc.Text
	}
	if d.inOffice != nil {
		in.InOffice = d.inOffice.Checked
	}
	in.OutsideReason = d.outside.Text
	return in
}

func (d *loanDialog) onSave() {
	d.msgs.clear()
	m := d.s.d.m
	l, err := m.b.RequestLoan(m.sess, d.read())
	if err != nil {
		if v, ok := models.AsValidation(err); ok {
			d.msgs.show(v)
			return
		}
		if msg, ok := knownError(err); ok {
			d.msgs.add("", msg)
			return
		}
		m.unexpected("登记"+d.kind.String()+"申请", err)
		return
	}
	d.close()
	if l.State == models.LoanOut {
		d.s.done(fmt.Sprintf("已登记%s %s：内部、非密文件无需审批，已%s。", l.Kind, l.SlipNo, l.Kind.OutState()), true)
		return
	}
	d.s.done(fmt.Sprintf("已登记%s申请 %s，待审批人批示后登记审批结果。", l.Kind, l.SlipNo), false)
}

func (d *loanDialog) close() {
	d.dlg.Hide()
	if d.s.asking == d {
		d.s.asking = nil
	}
}

// loanDecideDialog records the leader's decision on a loan or take-out (R9,
// R3), the same way as on a copy request.
type loanDecideDialog struct {
	*decisionDialog
	s *loanSection
	c models.Carrier
	l models.Loan
}

func newLoanDecideDialog(s *loanSection, c models.Carrier, l models.Loan) *loanDecideDialog {
	d := &loanDecideDialog{s: s, c: c, l: l}
	text := fmt.Sprintf("%s单 %s：%s《%s》 %s，%s %s，用途 %s，返回日期 %s，申请日期 %s。",
		l.Kind, l.SlipNo, c.RegNo, c.Title, c.Marking(), l.Kind.BorrowerLabel(), l.Borrower,
		l.Purpose, l.DueOn, l.RequestedOn)
	if l.Destination != "" {
		text += "\n外出地点：" + l.Destination
	}
	d.decisionDialog = newDecisionDialog(s.d.m, l.Kind.Action(), c.Level, text,
		"请按审批单如实录入：仅有签名或“已核”不是审批；审批日期不得早于申请日期。", 460, d.onSave, d.close)
	return d
}

func (d *loanDecideDialog) read() app.LoanDecision {
	return app.LoanDecision{LoanID: d.l.ID, ApproverID: d.approverID(), Decision: d.decision.Selected,
		Opinion: d.opinion.Text, DecidedOn: d.date.Text}
}

func (d *loanDecideDialog) onSave() {
	d.msgs.clear()
	m := d.s.d.m
	l, err := m.b.DecideLoan(m.sess, d.read())
	if d.failed(err) {
		return
	}
	d.close()
	if l.State == models.LoanOut {
		d.s.done(fmt.Sprintf("%s 已同意（审批人 %s %s），载体已%s，返回日期 %s。", l.SlipNo, l.ApproverName,
			l.DecidedOn, l.Kind.OutState(), l.DueOn), true)
		return
	}
	d.s.done(fmt.Sprintf("%s 审批人 %s %s：%s，载体仍在库。", l.SlipNo, l.ApproverName, l.DecidedOn, l.Decision), false)
}

func (d *loanDecideDialog) close() {
	d.dlg.Hide()
	if d.s.deciding == d {
		d.s.deciding = nil
	}
}

// returnChecks are the two results of counting a returned carrier.
var returnChecks = []string{models.ReturnIntact, models.ReturnDamaged}

// returnDialog records a carrier's return: the count (完好/缺损), a note
// (required for 缺损) and the date (R3, R6).
type returnDialog struct {
	s     *loanSection
	c     models.Carrier
	l     models.Loan
	check *widget.RadioGroup
	note  *entry
	date  *entry
	msgs  *fieldMessages
	save  *widget.Button
	dlg   *dialog.CustomDialog
}

func newReturnDialog(s *loanSection, c models.Carrier, l models.Loan) *returnDialog {
	d := &returnDialog{s: s, c: c, l: l}
	d.buildUI()
	return d
}

func (d *returnDialog) buildUI() {
	d.check = widget.NewRadioGroup(returnChecks, nil)
	d.check.Horizontal = true
	d.note = newMultiLineEntry()
	d.note.SetPlaceHolder("缺损时必填：缺少哪些页、何种损坏")
	d.note.SetMinRowsVisible(3)
	d.date = newEntry()
	d.date.SetText(d.s.d.m.env.now().Format(models.DateLayout))
	d.date.OnSubmitted = func(string) { d.onSave() }
	d.msgs = newFieldMessages()
	intro := widget.NewLabel(fmt.Sprintf("%s单 %s：%s《%s》 %s 份号%s，%s %s，%s 借出，应还日期 %s。\n请当面清点后登记。",
		d.l.Kind, d.l.SlipNo, d.c.RegNo, d.c.Title, d.c.Marking(), d.c.CopyNoText(), d.l.Kind.BorrowerLabel(),
		d.l.Borrower, d.l.OutOn, d.l.DueOn))
	intro.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(intro, d.msgs.top, formOf(
		d.msgs.row(app.FieldReturnCheck, "清点结果", d.check),
		d.msgs.row(app.FieldReturnNote, "情况说明", d.note),
		d.msgs.row(app.FieldReturnedOn, "归还日期", container.New(widthLayout{160}, d.date)),
	))
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(d.s.d.m.win, "归还登记", body, "登记归还", theme.DocumentSaveIcon(),
		d.onSave, d.close, fyne.NewSize(640, 440))
}

func (d *returnDialog) onSave() {
	d.msgs.clear()
	m := d.s.d.m
	l, err := m.b.ReturnLoan(m.sess, d.l.ID, d.check.Selected, d.note.Text, d.date.Text)
	if err != nil {
		d.msgs.explain(err, "登记归还", m.unexpected)
		return
	}
	d.close()
	d.s.done(fmt.Sprintf("%s 已于 %s 归还，清点%s，载体已回到在库。", l.SlipNo, l.ReturnedOn, l.ReturnCheck), true)
}

func (d *returnDialog) close() {
	d.dlg.Hide()
	if d.s.returning == d {
		d.s.returning = nil
	}
}
