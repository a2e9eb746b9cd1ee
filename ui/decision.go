package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// decisionDialog is the 登记审批结果 dialog that copy, loan and destruction
// requests share: the clerk records the leader's signed slip (R9) — an
// active approver, 同意 or 不同意 (a choice, never free text), the opinion and
// the date. The request's own dialog embeds it, builds the request from
// approverID and the fields, and sends it to its use case.
type decisionDialog struct {
	m         *MainUI
	approvers []models.Approver // the active ones, as the select lists them: those who may decide first
	action    models.ApprovalAction
	level     models.Level // the request's carrier's level (a destruction list's highest)
	approver  *widget.Select
	decision  *widget.RadioGroup
	opinion   *entry
	date      *entry
	msgs      *fieldMessages
	save      *widget.Button
	dlg       *dialog.CustomDialog
}

// newDecisionDialog builds the dialog: intro describes the request, rule is
// the note under the fields, onSave and onCancel are the request dialog's;
// extra rows, if any, come after the decision.
func newDecisionDialog(m *MainUI, action models.ApprovalAction, level models.Level, intro, rule string, height float32,
	onSave, onCancel func(), extra ...func(*fieldMessages) [2]fyne.CanvasObject) *decisionDialog {
	d := &decisionDialog{m: m, action: action, level: level}
	d.approver = widget.NewSelect(nil, nil)
	d.approver.OnChanged = func(string) { d.checkApprover() }
	d.approver.PlaceHolder = "正在读取审批人…"
	d.decision = widget.NewRadioGroup(decisionChoices, nil)
	d.decision.Horizontal = true
	d.opinion = newEntry()
	d.opinion.SetPlaceHolder("审批单上的批示，可不填")
	d.date = newEntry()
	d.date.SetText(m.today())
	d.msgs = newFieldMessages()
	label := newCJKText(intro)
	rows := [][2]fyne.CanvasObject{
		d.msgs.row(app.FieldApprover, "审批人", d.approver),
		d.msgs.row(app.FieldDecision, "决定", d.decision),
	}
	for _, row := range extra {
		rows = append(rows, row(d.msgs))
	}
	rows = append(rows,
		[2]fyne.CanvasObject{widget.NewLabel("意见"), d.opinion},
		d.msgs.row(app.FieldDecidedOn, "审批日期", container.New(widthLayout{160}, d.date)))
	body := container.NewVBox(label, d.msgs.top, formOf(rows...), note(rule))
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(m.win, "登记审批结果", body, "保存", theme.DocumentSaveIcon(),
		onSave, onCancel, fyne.NewSize(680, height))
	return d
}

// load reads the active approvers off the UI goroutine into the select.
func (d *decisionDialog) load() {
	m := d.m
	m.env.run(func() {
		list, err := m.b.Approvers(m.sess)
		fyne.Do(func() {
			if err != nil {
				if msg, ok := knownError(err); ok {
					d.msgs.add(app.FieldApprover, msg)
					return
				}
				m.unexpected("读取审批人", err)
				return
			}
			d.setApprovers(list)
		})
	})
}

func (d *decisionDialog) setApprovers(list []models.Approver) {
	d.approvers = nil
	var able, unable []models.Approver
	for _, a := range list {
		switch {
		case !a.Active:
		case a.May(d.action, d.level):
			able = append(able, a)
		default:
			unable = append(unable, a)
		}
	}
	d.approvers = append(able, unable...)
	var names []string
	for _, a := range d.approvers {
		names = append(names, d.approverLabel(a))
	}
	d.approver.Options = names
	d.approver.PlaceHolder = "请选择"
	if len(names) == 0 {
		d.approver.PlaceHolder = "没有在用的审批人"
		d.msgs.add(app.FieldApprover, "还没有在用的审批人，请安全保密管理员在“审批人”中添加")
	}
	d.approver.Refresh()
}

// approverLabel names an approver with what they may decide, and marks one
// who can't decide this request, with why:
// 刘建国（局长）　复制、借阅，至机密　✗ 不能审批：只能审批秘密及以下.
func (d *decisionDialog) approverLabel(a models.Approver) string {
	name := a.Name
	if a.Title != "" {
		name += "（" + a.Title + "）"
	}
	name += "　" + a.Actions.Normalized().String() + "，至" + a.MaxLevel.String()
	if why := d.cannotDecide(a); why != "" {
		name += "　✗ " + why
	}
	return name
}

// cannotDecide is why approver a can't decide this request, "" when they
// can: the domain's own rule.
func (d *decisionDialog) cannotDecide(a models.Approver) string {
	return a.CannotDecide(d.action, d.level)
}

// checkApprover says at once, under the field, when the approver chosen
// can't decide this request.
func (d *decisionDialog) checkApprover() {
	if i := d.approver.SelectedIndex(); i >= 0 && i < len(d.approvers) {
		if why := d.cannotDecide(d.approvers[i]); why != "" {
			d.msgs.add(app.FieldApprover, "审批人"+d.approvers[i].Name+why)
		}
	}
}

// selectApprover selects the approver named name, as a click would.
func (d *decisionDialog) selectApprover(name string) bool {
	for i, a := range d.approvers {
		if a.Name == name {
			d.approver.SetSelectedIndex(i)
			return true
		}
	}
	return false
}

// approverID is the chosen approver's id, "" when none is chosen (the
// domain then says so beside the field).
func (d *decisionDialog) approverID() string {
	if i := d.approver.SelectedIndex(); i >= 0 && i < len(d.approvers) {
		return d.approvers[i].ID
	}
	return ""
}

// failed shows a refused decision beside its field, or as an unexpected
// error; it reports whether there was one.
func (d *decisionDialog) failed(err error) bool {
	if err == nil {
		return false
	}
	if v, ok := models.AsValidation(err); ok {
		d.msgs.show(v)
	} else if msg, ok := knownError(err); ok {
		d.msgs.add("", msg)
	} else {
		d.m.unexpected("登记审批结果", err)
	}
	return true
}
