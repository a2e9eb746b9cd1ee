package ui

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"secdoc/models"
)

// Choices of the 保密期限 select, in the order of R15 and R20.
const (
	termChoiceDefault   = "未标注期限"
	termChoiceYears     = "年限"
	termChoiceMonths    = "月数"
	termChoiceUntil     = "解密日期"
	termChoiceCondition = "解密条件"
	termChoiceLong      = "长期"
)

var termChoices = []struct {
	label       string
	kind        models.TermKind
	placeholder string
}{
	{termChoiceDefault, models.TermDefault, "按法定最长期限计算"},
	{termChoiceYears, models.TermYears, "年数，例如 10"},
	{termChoiceMonths, models.TermMonths, "不满一年的月数，例如 6"},
	{termChoiceUntil, models.TermUntil, "例如 2030-06-30"},
	{termChoiceCondition, models.TermCondition, "照文件所写，例如 会议开始前"},
	{termChoiceLong, models.TermLong, "绝密长期，无需填写"},
}

// levelChoices are the levels as the form offers them, the highest first,
// 内部 and 非密 after the three of 国家秘密 (R21).
var levelChoices = []string{models.LevelTopSecret.String(), models.LevelSecret.String(), models.LevelConfidential.String(),
	models.LevelInternal.String(), models.LevelNonSecret.String()}

// termFields are the validation keys whose messages belong under 保密期限.
var termFields = map[string]bool{models.FieldTerm: true, models.FieldTermYears: true, models.FieldTermMonths: true,
	models.FieldTermUntil: true, models.FieldTermCondition: true}

// carrierForm is the registration form of R12: one widget per field in the
// order a clerk copies them from the paper, a red message line under each
// field, and the live mark 密级★期限. The register screen and the edit dialog
// both use it; the domain checks what it holds, the form only shows the answer.
type carrierForm struct {
	direction  *widget.Select
	regDate    *entry
	docDate    *entry
	deadline   *entry // 办理时限 (R27)
	docNumber  *entry
	title      *entry
	issuer     *choiceEntry
	docKind    *choiceEntry
	level      *widget.Select
	termKind   *widget.Select
	termValue  *entry
	marking    *widget.Label
	copyNo     *entry
	copies     *entry
	pages      *entry
	urgency    *widget.Select
	kind       *widget.Select
	needToKnow *entry
	location   *entry
	custodian  *choiceEntry
	people     map[string]bool // the names the register knows (Service.People)
	remarks    *entry
	noCopy     *widget.Check // 不得复制 marked on the document

	issuerLabel *widget.Label
	formErr     *widget.Label            // messages that belong to no single field
	errs        map[string]*widget.Label // field key → its message line

	onSubmit func() // Enter in a single-line entry
	onTyping func() // every change of an entry's text, if set: the clerk is working
	content  fyne.CanvasObject
	// frame is what holds the form (its scroll); it is laid out again when
	// message lines appear or go, so they push the fields down.
	frame fyne.CanvasObject
}

func newCarrierForm(onSubmit func()) *carrierForm {
	f := &carrierForm{onSubmit: onSubmit, errs: map[string]*widget.Label{}}
	f.buildUI()
	return f
}

func (f *carrierForm) buildUI() {
	f.direction = widget.NewSelect([]string{models.DirIncoming.String(), models.DirOutgoing.String()}, nil)
	f.direction.SetSelected(models.DirIncoming.String())
	f.direction.OnChanged = f.onDirectionChanged

	f.regDate = f.entry("例如 2026-03-05")
	f.docDate = f.entry("文件落款日期；不知道可留空")
	f.deadline = f.entry("须办结的日期；没有可留空")
	f.docNumber = f.entry("例如 遂安府办发〔2026〕30号")
	f.title = f.entry("文件标题")
	f.issuer = newChoiceEntry(nil)
	f.issuer.SetPlaceHolder("来文机关全称")
	f.issuer.OnSubmitted = f.onSubmitted
	f.issuer.OnChanged = f.onChanged
	f.docKind = newChoiceEntry(models.DocKinds)
	f.docKind.SetPlaceHolder("通知、请示、函……")
	f.docKind.OnSubmitted = f.onSubmitted
	f.docKind.OnChanged = f.onChanged

	f.level = widget.NewSelect(levelChoices, nil)
	f.level.PlaceHolder = "请选择密级"
	f.level.OnChanged = f.onLevelChanged
	labels := make([]string, len(termChoices))
	for i, c := range termChoices {
		labels[i] = c.label
	}
	f.termKind = widget.NewSelect(labels, nil)
	f.termKind.SetSelected(termChoiceDefault)
	f.termKind.OnChanged = f.onTermKindChanged
	f.termValue = f.entry("")
	f.termValue.OnChanged = func(s string) {
		f.onChanged(s)
		f.updateMarking()
	}
	f.marking = widget.NewLabel("")
	f.marking.TextStyle.Bold = true
	f.marking.Importance = widget.DangerImportance

	f.copyNo = f.entry("无份号留空；如 000012 或 000012、000037")
	f.copies = f.entry("1")
	f.pages = f.entry("纸质填页数，光盘、U盘填容量如 8GB")
	urgencies := make([]string, len(models.Urgencies))
	for i, u := range models.Urgencies {
		urgencies[i] = u.String()
	}
	f.urgency = widget.NewSelect(urgencies, nil)
	kinds := make([]string, len(models.CarrierKinds))
	for i, k := range models.CarrierKinds {
		kinds[i] = string(k)
	}
	f.kind = widget.NewSelect(kinds, nil)
	f.kind.OnChanged = f.onKindChanged
	f.needToKnow = f.entry("例如 办公室主任、分管领导")
	f.location = f.entry("例如 机要室3号柜")
	f.custodian = newChoiceEntry(nil)
	f.custodian.SetPlaceHolder("保管人姓名，按 ↓ 选择")
	f.custodian.OnSubmitted = f.onSubmitted
	f.custodian.OnChanged = f.onChanged
	f.remarks = f.entry("")
	f.noCopy = widget.NewCheck("文件标有“不得复制”", nil)

	f.formErr = errorLabel()
	f.issuerLabel = widget.NewLabel(models.FieldLabels[models.FieldIssuer])
	// Built by hand so that the select comes before the value in Tab order
	// (NewBorder would put the centre object first).
	term := container.New(layout.NewBorderLayout(nil, nil, f.termKind, nil), f.termKind, f.termValue)

	// Two columns, each in field order, so Tab walks the fields as R12 lists them.
	left := f.column(
		f.row(models.FieldDirection, nil, f.direction),
		f.row(models.FieldRegDate, nil, f.regDate),
		f.row(models.FieldDocDate, nil, f.docDate),
		f.row(models.FieldDocNumber, nil, f.docNumber),
		f.row(models.FieldTitle, nil, f.title),
		f.row(models.FieldIssuer, f.issuerLabel, f.issuer),
		f.row(models.FieldDocKind, nil, f.docKind),
		f.row(models.FieldLevel, nil, f.level),
		f.row(models.FieldTerm, nil, container.NewVBox(term, f.marking)),
	)
	right := f.column(
		f.row(models.FieldCopyNo, nil, f.copyNo),
		f.row(models.FieldCopies, nil, f.copies),
		f.row(models.FieldPages, nil, f.pages),
		f.row(models.FieldUrgency, nil, f.urgency),
		f.row(models.FieldDeadline, nil, f.deadline),
		f.row(models.FieldKind, nil, f.kind),
		f.row(models.FieldNeedToKnow, nil, f.needToKnow),
		f.row(models.FieldLocation, nil, f.location),
		f.row(models.FieldCustodian, nil, f.custodian),
		f.row(models.FieldRemarks, nil, f.remarks),
		f.row(models.FieldNoCopy, widget.NewLabel(""), f.noCopy),
	)
	f.content = container.NewVBox(f.formErr, container.NewGridWithColumns(2, left, right))
	f.reset("", "")
}

// entry makes a single-line entry that saves the form on Enter.
func (f *carrierForm) entry(placeholder string) *entry {
	e := newEntry()
	e.SetPlaceHolder(placeholder)
	e.OnSubmitted = f.onSubmitted
	e.OnChanged = f.onChanged
	return e
}

// row returns a field's label and the field above its message line, the two
// cells of a form layout. The label comes from models.FieldLabels unless given.
func (f *carrierForm) row(key string, label *widget.Label, field fyne.CanvasObject) [2]fyne.CanvasObject {
	if label == nil {
		label = widget.NewLabel(models.FieldLabels[key])
	}
	msg := errorLabel()
	f.errs[key] = msg
	watchEdits(field, func() {
		if msg.Visible() {
			setMessage(msg, "")
			f.relayout()
		}
	})
	return [2]fyne.CanvasObject{label, container.NewVBox(field, msg)}
}

// column lays rows out as a two-column form.
func (f *carrierForm) column(rows ...[2]fyne.CanvasObject) *fyne.Container {
	objs := make([]fyne.CanvasObject, 0, 2*len(rows))
	for _, r := range rows {
		objs = append(objs, r[0], r[1])
	}
	return container.New(layout.NewFormLayout(), objs...)
}

// reset empties the form to its defaults: incoming, dated date, one copy
// numbered 1, paper, normal urgency, held by custodian, no level chosen.
func (f *carrierForm) reset(date, custodian string) {
	f.direction.SetSelected(models.DirIncoming.String())
	f.regDate.SetText(date)
	f.issuer.SetText("")
	f.level.ClearSelected()
	f.kind.SetSelected(string(models.KindPaper))
	f.custodian.SetText(custodian)
	f.clearForNext()
}

// clearForNext empties what differs from one document to the next, keeping
// 收发类别, 收文日期, 来文单位, 载体类型, 密级 and 责任人: a clerk registers a
// pile of mail from one day and one sender in a row.
func (f *carrierForm) clearForNext() {
	f.docDate.SetText("")
	f.deadline.SetText("")
	f.docNumber.SetText("")
	f.title.SetText("")
	f.docKind.SetText("")
	f.termKind.SetSelected(termChoiceDefault)
	f.termValue.SetText("")
	f.copyNo.SetText("")
	f.copies.SetText("1")
	f.pages.SetText("")
	f.urgency.SetSelected(models.UrgencyNormal.String())
	f.needToKnow.SetText("")
	f.location.SetText("")
	f.remarks.SetText("")
	f.noCopy.SetChecked(false)
	f.clearErrors()
	f.updateMarking()
}

// fill shows a stored registration, for editing.
func (f *carrierForm) fill(v models.CarrierForm) {
	f.direction.SetSelected(v.Direction.String())
	f.regDate.SetText(v.RegDate)
	f.docDate.SetText(v.DocDate)
	f.deadline.SetText(v.Deadline)
	f.docNumber.SetText(v.DocNumber)
	f.title.SetText(v.Title)
	f.issuer.SetText(v.Issuer)
	f.docKind.SetText(v.DocKind)
	if v.Level.Registrable() {
		f.level.SetSelected(v.Level.String())
	} else {
		f.level.ClearSelected()
	}
	value := ""
	switch v.TermKind {
	case models.TermYears:
		value = v.TermYears
	case models.TermMonths:
		value = v.TermMonths
	case models.TermUntil:
		value = v.TermUntil
	case models.TermCondition:
		value = v.TermCondition
	}
	f.termKind.SetSelected(termLabel(v.TermKind))
	f.termValue.SetText(value)
	f.copyNo.SetText(v.CopyNo)
	f.copies.SetText(v.Copies)
	f.pages.SetText(v.Pages)
	f.urgency.SetSelected(v.Urgency.String())
	f.kind.SetSelected(string(v.Kind))
	f.needToKnow.SetText(v.NeedToKnow)
	f.location.SetText(v.Location)
	f.custodian.SetText(v.Custodian)
	f.remarks.SetText(v.Remarks)
	f.noCopy.SetChecked(v.NoCopy)
	f.clearErrors()
	f.updateMarking()
}

// read returns the form as typed; the domain checks it.
func (f *carrierForm) read() models.CarrierForm {
	level, _ := models.ParseLevel(f.level.Selected)
	out := models.CarrierForm{
		Direction:  directionOf(f.direction.Selected),
		RegDate:    f.regDate.Text,
		DocDate:    f.docDate.Text,
		Deadline:   f.deadline.Text,
		DocNumber:  f.docNumber.Text,
		Title:      f.title.Text,
		Issuer:     f.issuer.Text,
		DocKind:    f.docKind.Text,
		Level:      level,
		TermKind:   termKindOf(f.termKind.Selected),
		CopyNo:     f.copyNo.Text,
		Copies:     f.copies.Text,
		Pages:      f.pages.Text,
		Urgency:    urgencyOf(f.urgency.Selected),
		Kind:       models.CarrierKind(f.kind.Selected),
		NeedToKnow: f.needToKnow.Text,
		Location:   f.location.Text,
		Custodian:  f.custodian.Text,
		Remarks:    f.remarks.Text,
		NoCopy:     f.noCopy.Checked,
	}
	switch out.TermKind {
	case models.TermYears:
		out.TermYears = f.termValue.Text
	case models.TermMonths:
		out.TermMonths = f.termValue.Text
	case models.TermUntil:
		out.TermUntil = f.termValue.Text
	case models.TermCondition:
		out.TermCondition = f.termValue.Text
	}
	return out
}

// showErrors puts each message of v under its field; messages of no shown
// field go to the top of the form.
func (f *carrierForm) showErrors(v *models.ValidationError) {
	f.clearErrors()
	msgs := map[*widget.Label][]string{}
	var order []*widget.Label
	for _, fe := range v.Fields {
		key := fe.Field
		if termFields[key] {
			key = models.FieldTerm
		}
		l, ok := f.errs[key]
		if !ok {
			l = f.formErr
		}
		if _, seen := msgs[l]; !seen {
			order = append(order, l)
		}
		msgs[l] = append(msgs[l], fe.Msg)
	}
	for _, l := range order {
		setMessage(l, strings.Join(msgs[l], "；"))
	}
	f.relayout()
}

// showFormError shows a message that concerns the whole form.
func (f *carrierForm) showFormError(msg string) {
	setMessage(f.formErr, msg)
	f.relayout()
}

func (f *carrierForm) clearErrors() {
	setMessage(f.formErr, "")
	for _, l := range f.errs {
		setMessage(l, "")
	}
	f.relayout()
}

// relayout lays the form out again after message lines changed. Fyne's
// window does it on the next frame anyway; the test canvas does not.
func (f *carrierForm) relayout() {
	if f.frame != nil {
		f.frame.Refresh()
	} else if f.content != nil {
		f.content.Refresh()
	}
}

// fieldError is the message shown under a field, "" when there is none.
func (f *carrierForm) fieldError(key string) string {
	if l, ok := f.errs[key]; ok && l.Visible() {
		return l.Text
	}
	return ""
}

// setIssuers offers the issuers already in the register while typing 来文单位.
func (f *carrierForm) setIssuers(issuers []string) { f.issuer.SetOptions(issuers) }

// setPeople offers the people the register knows for 责任人.
func (f *carrierForm) setPeople(people []string) {
	f.custodian.SetOptions(people)
	f.people = make(map[string]bool, len(people))
	for _, p := range people {
		f.people[p] = true
	}
}

// newCustodian is the 责任人 typed when the register doesn't know that
// person yet (a typo, or really someone new), "" otherwise.
func (f *carrierForm) newCustodian() string {
	name := strings.TrimSpace(f.custodian.Text)
	if name == "" || f.people == nil || f.people[name] {
		return ""
	}
	return name
}

// lockForEdit disables what an edit can't change (the domain refuses it too):
// the direction, the mark (R15: it changes only through a recorded change) and
// the number of copies.
func (f *carrierForm) lockForEdit() {
	f.direction.Disable()
	f.level.Disable()
	f.termKind.Disable()
	f.termValue.Disable()
	f.copies.Disable()
}

// focusOrder lists the form's focusable fields in Tab order.
func (f *carrierForm) focusOrder() []fyne.Focusable {
	return []fyne.Focusable{f.direction, f.regDate, f.docDate, f.docNumber, f.title, f.issuer, f.docKind, f.level, f.termKind,
		f.termValue, f.copyNo, f.copies, f.pages, f.urgency, f.deadline, f.kind, f.needToKnow, f.location,
		f.custodian, f.remarks, f.noCopy}
}

func (f *carrierForm) onSubmitted(string) {
	if f.onSubmit != nil {
		f.onSubmit()
	}
}

func (f *carrierForm) onChanged(string) {
	if f.onTyping != nil {
		f.onTyping()
	}
}

func (f *carrierForm) onDirectionChanged(s string) {
	if directionOf(s) == models.DirOutgoing {
		f.issuerLabel.SetText("发文机关")
	} else {
		f.issuerLabel.SetText(models.FieldLabels[models.FieldIssuer])
	}
}

func (f *carrierForm) onTermKindChanged(label string) {
	f.termValue.SetText("")
	for _, c := range termChoices {
		if c.label == label {
			f.termValue.SetPlaceHolder(c.placeholder)
		}
	}
	if k := termKindOf(label); k == models.TermDefault || k == models.TermLong || f.termKind.Disabled() {
		f.termValue.Disable()
	} else {
		f.termValue.Enable()
	}
	f.updateMarking()
}

// onLevelChanged takes the term away from 内部 and 非密, which bear none
// (R21), and gives it back for a level of 国家秘密.
func (f *carrierForm) onLevelChanged(s string) {
	level, ok := models.ParseLevel(s)
	locked := f.direction.Disabled() // an edit: the mark changes only through a recorded change
	switch {
	case ok && !level.IsStateSecret():
		if f.termKind.Selected != termChoiceDefault {
			f.termKind.SetSelected(termChoiceDefault)
		}
		f.termKind.Disable()
		f.termValue.Disable()
	case !locked:
		f.termKind.Enable()
		f.onTermKindChanged(f.termKind.Selected)
	}
	f.updateMarking()
}

// onKindChanged gives a 明电 the level 非密 when none is chosen yet (R21).
func (f *carrierForm) onKindChanged(s string) {
	if models.CarrierKind(s) == models.KindPlainTel && f.level.Selected == "" && !f.level.Disabled() {
		f.level.SetSelected(models.LevelNonSecret.String())
	}
}

// updateMarking shows the mark the form will give, e.g. 机密★20年, as it is typed.
func (f *carrierForm) updateMarking() {
	level, ok := models.ParseLevel(f.level.Selected)
	if !ok {
		f.marking.SetText("标志：请先选择密级")
		return
	}
	t := models.Term{Kind: termKindOf(f.termKind.Selected)}
	v := strings.TrimSpace(models.NormalizeWidth(f.termValue.Text))
	switch t.Kind {
	case models.TermYears:
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			f.marking.SetText("标志：" + level.String() + "★__年")
			return
		}
		t.Years = n
	case models.TermMonths:
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			f.marking.SetText("标志：" + level.String() + "★__个月")
			return
		}
		t.Months = n
	case models.TermUntil:
		t.Until = v
	case models.TermCondition:
		t.Condition = v
	}
	f.marking.SetText("标志：" + models.Marking(level, t))
}

func directionOf(label string) models.Direction {
	for _, d := range models.Directions {
		if d.String() == label {
			return d
		}
	}
	return ""
}

func urgencyOf(label string) models.Urgency {
	for _, u := range models.Urgencies {
		if u.String() == label {
			return u
		}
	}
	return models.Urgency(label)
}

func termKindOf(label string) models.TermKind {
	for _, c := range termChoices {
		if c.label == label {
			return c.kind
		}
	}
	return models.TermDefault
}

func termLabel(k models.TermKind) string {
	for _, c := range termChoices {
		if c.kind == k {
			return c.label
		}
	}
	return termChoiceDefault
}
