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

// classSection is the detail's 定密 of an outgoing 国家秘密 document (R24):
// its record, and the button for the next step (提出定密, then 登记定密审定).
type classSection struct {
	d       *detailView
	c       models.Carrier
	rec     *models.Classification
	act     *widget.Button
	print   *widget.Button // 打印定密审批表
	line    *cjkText
	result  statusLine
	content fyne.CanvasObject
	dlg     *classDialog // the open dialog, if any
}

func newClassSection(d *detailView) *classSection {
	s := &classSection{d: d}
	s.act = widget.NewButtonWithIcon("定密", theme.DocumentCreateIcon(), s.onAct)
	s.act.Hide()
	s.line = newCJKText("")
	s.result = newStatusLine()
	s.print = widget.NewButtonWithIcon("打印定密审批表", theme.DocumentPrintIcon(), func() {
		if s.rec != nil {
			s.d.m.printForm(app.FormClassify, s.rec.SlipNo)
		}
	})
	title := widget.NewLabel("定密")
	title.TextStyle.Bold = true
	s.content = container.NewVBox(container.NewBorder(nil, nil, title, s.print), s.line)
	s.content.Hide()
	return s
}

// classLine describes a 定密 record in one line.
func classLine(k *models.Classification) string {
	line := fmt.Sprintf("%s  %s定密  %s  知悉范围：%s  依据：%s  承办人：%s  %s", k.SlipNo, k.Kind,
		models.Marking(k.Level, k.Term()), k.NeedToKnow, k.Basis, k.Undertaker, k.State)
	if k.Authority != "" {
		line += fmt.Sprintf("  定密责任人：%s %s", k.Authority, k.DecidedOn)
	}
	if k.Changed != "" {
		line += "（" + k.Changed + "）"
	}
	if k.Signer != "" {
		line += "  签发人：" + k.Signer
	}
	if k.Superior != "" {
		line += fmt.Sprintf("  上级确定：%s %s %s", k.Superior, k.SuperiorDoc, k.SuperiorOn)
	}
	return line
}

func (s *classSection) apply(c models.Carrier, rec *models.Classification) {
	s.c, s.rec = c, rec
	own := c.Direction == models.DirOutgoing && c.Level.IsStateSecret()
	if !own {
		s.act.Hide()
		s.content.Hide()
		return
	}
	s.content.Show()
	s.act.Show()
	if rec == nil {
		s.print.Hide()
	} else {
		s.print.Show()
	}
	switch {
	case rec == nil:
		s.act.SetText("提出定密")
		s.line.SetText("尚未定密：本机关制发的国家秘密文件须由定密责任人审定。")
	case rec.State == models.ClassApproved:
		s.act.SetText("定密")
		s.line.SetText(classLine(rec))
	case rec.State == models.ClassReferred:
		s.act.SetText("登记上级批复")
		s.line.SetText(classLine(rec))
	default:
		s.act.SetText("登记定密审定")
		s.line.SetText(classLine(rec))
	}
	if c.State.Held() && (rec == nil || rec.State != models.ClassApproved) {
		s.act.Enable()
	} else {
		s.act.Disable()
	}
}

func (s *classSection) onAct() {
	if !s.d.loaded {
		return
	}
	s.result.clear()
	s.dlg = newClassDialog(s)
	s.dlg.dlg.Show()
	if s.dlg.approver != nil {
		s.dlg.load()
	}
}

// classDialog proposes a 定密 (no record yet) or records the 定密责任人's
// decision on it (R24).
type classDialog struct {
	*termInput
	s          *classSection
	kind       *widget.RadioGroup
	level      *widget.Select
	scope      *entry
	basis      *entry
	keyPoints  *entry
	undertaker *entry
	approver   *widget.Select // deciding only
	approvers  []models.Approver
	superior   *entry // the superior's decision on a referral only
	replyNo    *entry
	signer     *entry
	date       *entry
	msgs       *fieldMessages
	save       *widget.Button
	dlg        *dialog.CustomDialog
}

func newClassDialog(s *classSection) *classDialog {
	d := &classDialog{s: s, msgs: newFieldMessages()}
	c, rec := s.c, s.rec
	d.termInput = newTermInput()
	d.level = widget.NewSelect(levelNames(), func(string) {})
	level, term := c.Level, c.Term()
	if rec != nil {
		level, term = rec.Level, rec.Term()
	}
	d.level.SetSelected(level.String())
	d.setTerm(term)
	var rows [][2]fyne.CanvasObject
	title, ok := "提出定密", "提交"
	if rec == nil {
		d.kind = widget.NewRadioGroup([]string{string(models.ClassDerived), string(models.ClassOriginal)}, nil)
		d.kind.Horizontal = true
		d.kind.SetSelected(string(models.ClassDerived))
		d.scope = newEntry()
		d.scope.SetText(c.NeedToKnow)
		d.basis = newEntry()
		d.basis.SetPlaceHolder("派生：来源文件文号、密级和期限；原始：保密事项范围的条目")
		d.keyPoints = newEntry()
		d.keyPoints.SetPlaceHolder("可不填")
		d.undertaker = newEntry()
		rows = append(rows,
			d.msgs.row(app.FieldClassKind, "定密方式", d.kind),
			d.msgs.row(app.FieldClassLevel, "密级", container.New(widthLayout{160}, d.level)),
			d.msgs.row(app.FieldClassTerm, "保密期限", d.termInput.content),
			d.msgs.row(app.FieldNeedToKnow, "知悉范围", d.scope),
			d.msgs.row(app.FieldBasis, "定密依据", d.basis),
			[2]fyne.CanvasObject{widget.NewLabel("密点"), d.keyPoints},
			d.msgs.row(app.FieldUndertaker, "承办人", d.undertaker))
	} else if rec.State == models.ClassReferred {
		title, ok = "登记上级批复", "保存"
		d.superior, d.replyNo, d.date = newEntry(), newEntry(), newEntry()
		d.date.SetText(s.d.m.today())
		rows = append(rows,
			d.msgs.row(app.FieldSuperior, "上级机关", d.superior),
			d.msgs.row(app.FieldSuperiorDoc, "批复文号", d.replyNo),
			d.msgs.row(app.FieldClassLevel, "确定密级", container.New(widthLayout{160}, d.level)),
			d.msgs.row(app.FieldClassTerm, "确定期限", d.termInput.content),
			d.msgs.row(app.FieldDecidedOn, "批复日期", container.New(widthLayout{160}, d.date)))
	} else {
		title, ok = "登记定密审定", "保存"
		d.approver = widget.NewSelect(nil, nil)
		d.approver.PlaceHolder = "正在读取定密责任人…"
		d.signer = newEntry()
		d.date = newEntry()
		d.date.SetText(s.d.m.today())
		rows = append(rows,
			d.msgs.row(app.FieldApprover, "定密责任人", d.approver),
			d.msgs.row(app.FieldClassLevel, "审定密级", container.New(widthLayout{160}, d.level)),
			d.msgs.row(app.FieldClassTerm, "审定期限", d.termInput.content),
			d.msgs.row(app.FieldSigner, "签发人", d.signer),
			d.msgs.row(app.FieldDecidedOn, "审定日期", container.New(widthLayout{160}, d.date)))
	}
	intro := newCJKText(fmt.Sprintf("%s《%s》 现标志 %s。定密须有明确的保密期限；定密责任人只能在其权限的密级内审定。",
		c.RegNo, c.Title, c.Marking()))
	body := container.NewVBox(intro, d.msgs.top, formOf(rows...))
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(s.d.m.win, title, body, ok, theme.DocumentSaveIcon(), d.onSave, d.close,
		fyne.NewSize(700, 520))
	return d
}

// load reads the 定密责任人 (active approvers holding 定密).
func (d *classDialog) load() {
	m := d.s.d.m
	m.env.run(func() {
		list, err := m.b.Approvers(m.sess)
		fyne.Do(func() {
			if err != nil {
				d.msgs.explain(err, "读取定密责任人", m.unexpected)
				return
			}
			var names []string
			d.approvers = nil
			for _, a := range list {
				if a.Active && a.Actions.Has(models.ApproveClassify) {
					d.approvers = append(d.approvers, a)
					names = append(names, fmt.Sprintf("%s（%s定密责任人，至%s）", a.Name, a.Designation, a.MaxLevel))
				}
			}
			d.approver.Options = names
			d.approver.PlaceHolder = "请选择"
			if len(names) == 0 {
				d.msgs.add(app.FieldApprover, "还没有定密责任人：请安全保密管理员在“审批人”中添加持有“定密”的人员")
			}
			d.approver.Refresh()
		})
	})
}

func (d *classDialog) onSave() {
	d.msgs.clear()
	m := d.s.d.m
	level, _ := models.ParseLevel(d.level.Selected)
	term, bad := d.term()
	if bad != "" {
		d.msgs.add(app.FieldClassTerm, bad)
		return
	}
	var err error
	var done string
	if d.s.rec != nil && d.s.rec.State == models.ClassReferred {
		var k models.Classification
		k, err = m.b.RecordSuperiorDecision(m.sess, app.SuperiorDecision{ClassID: d.s.rec.ID, Superior: d.superior.Text,
			DocNo: d.replyNo.Text, Level: level, Term: term, DecidedOn: strings.TrimSpace(d.date.Text)})
		done = fmt.Sprintf("%s 已定密：%s（%s %s）。", k.SlipNo, models.Marking(k.Level, k.Term()), k.Superior, k.SuperiorDoc)
	} else if d.s.rec == nil {
		var k models.Classification
		k, err = m.b.ProposeClassification(m.sess, app.ClassifyInput{CarrierID: d.s.c.ID,
			Kind: models.ClassKind(d.kind.Selected), Level: level, Term: term, NeedToKnow: d.scope.Text,
			Basis: d.basis.Text, KeyPoints: d.keyPoints.Text, Undertaker: d.undertaker.Text})
		done = fmt.Sprintf("已提出定密 %s，请定密责任人审定后登记。", k.SlipNo)
	} else {
		in := app.ClassDecision{ClassID: d.s.rec.ID, Level: level, Term: term, Signer: d.signer.Text,
			DecidedOn: strings.TrimSpace(d.date.Text)}
		if i := d.approver.SelectedIndex(); i >= 0 && i < len(d.approvers) {
			in.AuthorityID = d.approvers[i].ID
		}
		var k models.Classification
		k, err = m.b.DecideClassification(m.sess, in)
		done = fmt.Sprintf("%s %s：%s。", k.SlipNo, k.State, models.Marking(k.Level, k.Term()))
	}
	if err != nil {
		d.msgs.explain(err, "登记定密", m.unexpected)
		return
	}
	d.close()
	d.s.result.ok(done)
	d.s.d.show(d.s.c.ID)
	m.changed()
}

func (d *classDialog) close() {
	d.dlg.Hide()
	if d.s.dlg == d {
		d.s.dlg = nil
	}
}

// termInput is a term typed as its form and its value, the way the
// registration form takes it.
type termInput struct {
	kind    *widget.Select
	value   *entry
	content fyne.CanvasObject
}

func newTermInput() *termInput {
	t := &termInput{}
	labels := make([]string, 0, len(termChoices))
	for _, c := range termChoices {
		if c.kind != models.TermDefault { // 定密 fixes an explicit term (R24)
			labels = append(labels, c.label)
		}
	}
	t.value = newEntry()
	t.kind = widget.NewSelect(labels, func(label string) {
		for _, c := range termChoices {
			if c.label == label {
				t.value.SetPlaceHolder(c.placeholder)
			}
		}
		if termKindOf(label) == models.TermLong {
			t.value.SetText("")
			t.value.Disable()
		} else {
			t.value.Enable()
		}
	})
	t.content = container.NewBorder(nil, nil, t.kind, nil, t.value)
	return t
}

func (t *termInput) setTerm(term models.Term) {
	if term.Kind == models.TermDefault || term.Kind == "" {
		t.kind.SetSelected(termChoiceYears)
		return
	}
	t.kind.SetSelected(termLabel(term.Kind))
	switch term.Kind {
	case models.TermYears:
		t.value.SetText(strconv.Itoa(term.Years))
	case models.TermMonths:
		t.value.SetText(strconv.Itoa(term.Months))
	case models.TermUntil:
		t.value.SetText(term.Until)
	case models.TermCondition:
		t.value.SetText(term.Condition)
	}
}

// term is the term typed, or why the value can't be read.
func (t *termInput) term() (models.Term, string) {
	k := termKindOf(t.kind.Selected)
	v := strings.TrimSpace(models.NormalizeWidth(t.value.Text))
	out := models.Term{Kind: k}
	switch k {
	case models.TermYears, models.TermMonths:
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return out, "请填写保密期限的年数或月数（整数）"
		}
		if k == models.TermYears {
			out.Years = n
		} else {
			out.Months = n
		}
	case models.TermUntil:
		out.Until = v
	case models.TermCondition:
		out.Condition = v
	}
	return out, ""
}
