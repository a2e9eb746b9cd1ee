package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// copyData is what the detail shows about copying a carrier: its copy
// requests, newest first, and, for an original, its living copies.
type copyData struct {
	requests    []models.CopyRequest
	outstanding []models.Carrier
}

// loadCopyData reads copyData for c; call it off the UI goroutine.
func loadCopyData(m *MainUI, c models.Carrier) (copyData, error) {
	var out copyData
	var err error
	out.requests, err = m.b.CopyRequests(m.sess, c.ID)
	if err != nil || c.IsCopy {
		return out, err
	}
	out.outstanding, err = m.b.OutstandingCopies(m.sess, c.ID)
	return out, err
}

// copyLabel is a copy's register number with its copy number.
func copyLabel(c models.Carrier) string {
	return fmt.Sprintf("%s（份号%s）", c.RegNo, c.CopyNoText())
}

// copySection is the part of the detail about copying (R1): the 复制申请
// button, the carrier's copy requests with a 登记审批结果 button on each
// pending one, and the copies of an original not yet destroyed.
type copySection struct {
	d *detailView

	c           models.Carrier
	requests    []models.CopyRequest
	outstanding []models.Carrier

	request     *widget.Button            // 复制申请
	result      statusLine                // what the last request or decision did
	list        *fyne.Container           // one row per request
	decide      map[string]*widget.Button // 登记审批结果 by request id
	copiesLine  *widget.Label             // 未销毁的复制件
	copiesTitle *widget.Label
	content     *fyne.Container

	why      string        // why 复制申请 is not offered for this carrier, "" when it is
	asking   *copyDialog   // the open 复制申请 dialog, if any
	deciding *decideDialog // the open 登记审批结果 dialog, if any
}

func newCopySection(d *detailView) *copySection {
	s := &copySection{d: d}
	s.buildUI()
	return s
}

func (s *copySection) buildUI() {
	s.request = widget.NewButtonWithIcon("复制申请", theme.ContentCopyIcon(), s.onRequest)
	s.request.Disable()
	s.result = newStatusLine()
	title := widget.NewLabel("复制申请")
	title.TextStyle.Bold = true
	s.list = container.NewVBox()
	s.copiesTitle = widget.NewLabel("未销毁的复制件")
	s.copiesTitle.TextStyle.Bold = true
	s.copiesLine = widget.NewLabel("")
	s.copiesLine.Wrapping = fyne.TextWrapWord
	// The detail puts result under its buttons, where the clerk looks.
	s.content = container.NewVBox(title, s.list, s.copiesTitle, s.copiesLine)
}

// apply shows the copy data of c.
func (s *copySection) apply(c models.Carrier, cp copyData) {
	s.c, s.requests, s.outstanding = c, cp.requests, cp.outstanding
	// The domain refuses these anyway; the button says so before a click,
	// with the reason beside the acts.
	if why := app.CopyRefusal(c, s.d.m.b.TopSecretCopyAllowed()); why == "" {
		s.request.Enable()
		s.why = ""
	} else {
		s.request.Disable()
		s.why = "不能复制：" + why
	}
	s.decide = map[string]*widget.Button{}
	rows := make([]fyne.CanvasObject, 0, len(cp.requests)+1)
	if len(cp.requests) == 0 {
		rows = append(rows, widget.NewLabel("无"))
	}
	for _, r := range cp.requests {
		l := newCJKText(requestLine(r))
		pr := s.d.m.printButton("打印审批单", app.FormCopy, r.SlipNo)
		if r.State == models.RequestApproved {
			labels := s.d.m.printButton("打印复制件标识", app.FormCopyLabels, r.SlipNo)
			rows = append(rows, container.NewBorder(nil, nil, nil, container.NewHBox(pr, labels), l))
			continue
		}
		if r.State != models.RequestPending {
			rows = append(rows, container.NewBorder(nil, nil, nil, pr, l))
			continue
		}
		req := r
		b := widget.NewButtonWithIcon("登记审批结果", theme.ConfirmIcon(), func() { s.onDecide(req) })
		s.decide[r.ID] = b
		rows = append(rows, container.NewBorder(nil, nil, nil, container.NewHBox(pr, b), l))
	}
	s.list.Objects = rows
	s.list.Refresh()
	if c.IsCopy {
		s.copiesTitle.Hide()
		s.copiesLine.Hide()
	} else {
		s.copiesTitle.Show()
		s.copiesLine.Show()
		s.copiesLine.SetText(s.outstandingText())
	}
	s.content.Refresh()
}

// outstandingText lists the register numbers of the living copies.
func (s *copySection) outstandingText() string {
	if len(s.outstanding) == 0 {
		return "无"
	}
	parts := make([]string, len(s.outstanding))
	for i, c := range s.outstanding {
		parts[i] = copyLabel(c)
	}
	return strings.Join(parts, "、")
}

// requestLine is one request: 复制单号, 份数, 状态 and the decision.
func requestLine(r models.CopyRequest) string {
	line := fmt.Sprintf("%s  %d 份  %s  申请人：%s  用途：%s", r.SlipNo, r.Copies, r.State, r.Requester, r.Purpose)
	if r.State != models.RequestPending {
		line += fmt.Sprintf("  审批人：%s %s %s", r.ApproverName, r.Decision, r.DecidedOn)
		if r.Opinion != "" {
			line += "（" + r.Opinion + "）"
		}
	}
	return line
}

func (s *copySection) onRequest() {
	if !s.d.loaded {
		return
	}
	s.result.clear()
	s.asking = newCopyDialog(s, s.c)
	s.asking.dlg.Show()
	s.d.m.focus(s.asking.copies)
}

func (s *copySection) onDecide(r models.CopyRequest) {
	s.result.clear()
	s.deciding = newDecideDialog(s, s.c, r)
	s.deciding.dlg.Show()
	s.deciding.load()
}

// copyDialog records a copy request: 份数, 用途, 申请人, and for 绝密 the
// originating authority's approval document (R1).
type copyDialog struct {
	s         *copySection
	c         models.Carrier
	copies    *entry
	purpose   *entry
	requester *choiceEntry
	dept      *entry             // 部门 of the requester
	maker     *entry             // 承制单位
	how       *widget.RadioGroup // 复制, 摘录 or 汇编 (R23)
	title     *entry             // 摘录/汇编: the new document's 题名
	sources   *entry             // 汇编: the other sources' 登记号
	scope     *entry             // 摘录/汇编: 知悉范围
	authority *entry             // nil unless the carrier is 绝密
	msgs      *fieldMessages
	save      *widget.Button
	dlg       *dialog.CustomDialog
}

func newCopyDialog(s *copySection, c models.Carrier) *copyDialog {
	d := &copyDialog{s: s, c: c}
	d.buildUI()
	return d
}

func (d *copyDialog) buildUI() {
	d.copies = newEntry()
	d.copies.SetText("1")
	d.purpose = newEntry()
	d.purpose.SetPlaceHolder("例如“分送各科室学习”")
	d.dept = newEntry()
	d.requester = d.s.d.m.newPersonEntry(d.dept)
	d.requester.SetText(d.s.d.m.sess.FullName)
	d.dept.SetPlaceHolder("申请人所在部门")
	d.maker = newEntry()
	d.maker.SetText(d.s.d.m.b.OfficeName())
	d.maker.SetPlaceHolder("本机关，或经批准的定点单位")
	d.how = widget.NewRadioGroup([]string{models.CopyWhole.String(), models.CopyExtract.String(), models.CopyCompile.String()}, nil)
	d.how.Horizontal = true
	d.title = newEntry()
	d.title.SetPlaceHolder("摘录本或汇编本的题名")
	d.sources = newEntry()
	d.sources.SetPlaceHolder("其余来源文件的登记号，以顿号分开")
	d.scope = newEntry()
	d.scope.SetText(d.c.NeedToKnow)
	d.scope.SetPlaceHolder("不得宽于来源文件中最窄的知悉范围")
	d.how.OnChanged = d.onHow
	for _, e := range []*entry{d.copies, d.purpose, &d.requester.entry, d.dept, d.maker, d.title, d.sources, d.scope} {
		e.OnSubmitted = func(string) { d.onSave() }
	}
	d.msgs = newFieldMessages()
	rows := [][2]fyne.CanvasObject{
		d.msgs.row(app.FieldCopyKind, "方式", d.how),
		d.msgs.row(app.FieldNewTitle, "新文件题名", d.title),
		d.msgs.row(app.FieldSources, "其余来源", d.sources),
		d.msgs.row(app.FieldNeedToKnow, "知悉范围", d.scope),
		d.msgs.row(app.FieldCopies, "份数", container.New(widthLayout{120}, d.copies)),
		d.msgs.row(app.FieldPurpose, "用途", d.purpose),
		d.msgs.row(app.FieldRequester, "申请人", d.requester),
		d.msgs.row(app.FieldDepartment, "部门", d.dept),
		d.msgs.row(app.FieldMaker, "承制单位", d.maker),
	}
	if d.c.Level == models.LevelTopSecret {
		d.authority = newEntry()
		d.authority.SetPlaceHolder("原定密机关批准文件的文号")
		d.authority.OnSubmitted = func(string) { d.onSave() }
		rows = append(rows, d.msgs.row(app.FieldAuthorityDoc, "原定密机关批准文件", d.authority))
	}
	intro := newCJKText(fmt.Sprintf("复制 %s《%s》 %s 份号%s。复制件与原件密级、保密期限和知悉范围相同，各自登记，按原件的复制件序号编号并加盖复制戳。",
		d.c.RegNo, d.c.Title, d.c.Marking(), d.c.CopyNoText()))
	body := container.NewVBox(intro, d.msgs.top, formOf(rows...))
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(d.s.d.m.win, "复制申请", body, "提交申请", theme.DocumentSaveIcon(),
		d.onSave, d.close, fyne.NewSize(680, 560))
	d.how.SetSelected(models.CopyWhole.String())
}

// onHow enables what a 摘录 or 汇编 needs besides a copy: the new title and
// 知悉范围, and for a 汇编 its other sources (R23).
func (d *copyDialog) onHow(string) {
	k := d.kind()
	for _, e := range []*entry{d.title, d.scope} {
		if k == models.CopyWhole {
			e.Disable()
		} else {
			e.Enable()
		}
	}
	if k == models.CopyCompile {
		d.sources.Enable()
	} else {
		d.sources.Disable()
	}
}

func (d *copyDialog) kind() models.CopyKind {
	switch d.how.Selected {
	case models.CopyExtract.String():
		return models.CopyExtract
	case models.CopyCompile.String():
		return models.CopyCompile
	}
	return models.CopyWhole
}

// read is what the dialog says; a 份数 that is no number reads as 0, which
// the domain refuses with its message.
func (d *copyDialog) read() app.CopyRequestInput {
	n, err := strconv.Atoi(strings.TrimSpace(d.copies.Text))
	if err != nil {
		n = 0
	}
	in := app.CopyRequestInput{CarrierID: d.c.ID, Copies: n, Purpose: d.purpose.Text, Requester: d.requester.Text,
		Department: d.dept.Text, Maker: d.maker.Text, Kind: d.kind()}
	if in.Kind != models.CopyWhole {
		in.Title, in.NeedToKnow = d.title.Text, d.scope.Text
	}
	if in.Kind == models.CopyCompile {
		in.Sources = strings.FieldsFunc(d.sources.Text, func(r rune) bool {
			return r == '、' || r == ',' || r == '，' || r == ' ' || r == '　' || r == ';' || r == '；'
		})
	}
	if d.authority != nil {
		in.AuthorityDoc = d.authority.Text
	}
	return in
}

func (d *copyDialog) onSave() {
	d.msgs.clear()
	m := d.s.d.m
	r, err := m.b.RequestCopy(m.sess, d.read())
	if err != nil {
		d.msgs.explain(err, "登记复制申请", m.unexpected)
		return
	}
	d.close()
	if r.State == models.RequestApproved {
		d.s.result.ok(fmt.Sprintf("已登记%s %s（%d 份）：内部、非密文件无需审批，已登记。", r.Kind, r.SlipNo, r.Copies))
		d.s.d.show(d.c.ID)
		m.changed()
		return
	}
	d.s.result.ok(fmt.Sprintf("已登记%s申请 %s（%d 份），待审批人批示后登记审批结果。", r.Kind, r.SlipNo, r.Copies))
	d.s.d.show(d.c.ID)
}

func (d *copyDialog) close() {
	d.dlg.Hide()
	if d.s.asking == d {
		d.s.asking = nil
	}
}

// decisionChoices are the only decisions a leader writes (R9).
var decisionChoices = []string{models.DecisionApprove, models.DecisionRefuse}

// decideDialog records the leader's decision on a copy request (R9): who,
// 同意 or 不同意, the opinion and the date written on the slip.
type decideDialog struct {
	*decisionDialog
	s        *copySection
	c        models.Carrier
	r        models.CopyRequest
	approved *entry // 同意份数: the leader may allow fewer copies than asked (R23)
}

func newDecideDialog(s *copySection, c models.Carrier, r models.CopyRequest) *decideDialog {
	d := &decideDialog{s: s, c: c, r: r}
	d.approved = newEntry()
	d.approved.SetText(strconv.Itoa(r.Copies))
	d.decisionDialog = newDecisionDialog(s.d.m, models.ApproveCopy, c.Level,
		fmt.Sprintf("复制单 %s：%s《%s》 %s，复制 %d 份，申请人 %s，申请日期 %s。",
			r.SlipNo, c.RegNo, c.Title, c.Marking(), r.Copies, r.Requester, r.RequestedOn),
		"请按审批单如实录入：仅有签名或“已核”不是审批；审批日期不得早于申请日期；批准份数少于申请时改“同意份数”。", 480,
		d.onSave, d.close, func(msgs *fieldMessages) [2]fyne.CanvasObject {
			return msgs.row(app.FieldCopies, "同意份数", container.New(widthLayout{120}, d.approved))
		})
	return d
}

func (d *decideDialog) read() app.CopyDecision {
	in := app.CopyDecision{RequestID: d.r.ID, ApproverID: d.approverID(), Decision: d.decision.Selected,
		Opinion: d.opinion.Text, DecidedOn: d.date.Text}
	if in.Decision == models.DecisionApprove {
		n, err := strconv.Atoi(strings.TrimSpace(d.approved.Text))
		if err != nil {
			n = -1 // not a number: the domain says what is wrong
		}
		in.Copies = n
	}
	return in
}

func (d *decideDialog) onSave() {
	d.msgs.clear()
	m := d.s.d.m
	r, copies, err := m.b.DecideCopy(m.sess, d.read())
	if d.failed(err) {
		return
	}
	d.close()
	if len(copies) > 0 {
		labels := make([]string, len(copies))
		for i, c := range copies {
			labels[i] = copyLabel(c)
		}
		d.s.result.ok(fmt.Sprintf("%s 已同意（审批人 %s %s），复制 %d 份，已登记：%s", r.SlipNo, r.ApproverName,
			r.DecidedOn, len(copies), strings.Join(labels, "、")))
	} else {
		d.s.result.ok(fmt.Sprintf("%s 审批人 %s %s：%s，未复制。", r.SlipNo, r.ApproverName, r.DecidedOn, r.Decision))
	}
	d.s.d.show(d.c.ID)
	if len(copies) > 0 {
		m.changed()
	}
}

func (d *decideDialog) close() {
	d.dlg.Hide()
	if d.s.deciding == d {
		d.s.deciding = nil
	}
}
