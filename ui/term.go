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

// changeKindLabel is how the dialog offers each kind of change (R15).
func changeKindLabel(k models.TermChangeKind) string {
	if k == models.ChangeTermForm {
		return "变更期限形式"
	}
	return string(k)
}

func changeKindOf(label string) models.TermChangeKind {
	for _, k := range models.TermChangeKinds {
		if changeKindLabel(k) == label {
			return k
		}
	}
	return ""
}

// termDueLine is one item of the home card: 登记号, 题名, 密级★期限, 到期日, 还有 N 天.
func termDueLine(t app.TermDue) string {
	left := fmt.Sprintf("还有 %d 天", t.DaysLeft)
	if t.DaysLeft < 0 {
		left = fmt.Sprintf("已到期 %d 天", -t.DaysLeft)
	} else if t.DaysLeft == 0 {
		left = "今天到期"
	}
	return fmt.Sprintf("%s  《%s》  %s  到期日：%s  %s", t.Carrier.RegNo, t.Carrier.Title, t.Carrier.Marking(),
		t.Expiry.Format(models.DateLayout), left)
}

// loadExpiring reads the terms that end within three months off the UI goroutine (R15).
func (h *homeScreen) loadExpiring() {
	h.expiringGen++
	gen := h.expiringGen
	m := h.m
	m.env.run(func() {
		list, total, err := m.b.ExpiringTerms(m.sess, m.env.now(), app.DefaultWarnMonths, homeListLimit)
		fyne.Do(func() {
			if gen != h.expiringGen {
				return
			}
			if err != nil {
				if msg, ok := knownError(err); ok {
					h.expiringList.Objects = []fyne.CanvasObject{errorText(msg)}
					h.expiringList.Refresh()
					return
				}
				m.unexpected("读取保密期限将到期的载体", err)
				return
			}
			h.applyExpiring(list, total)
		})
	})
}

func (h *homeScreen) applyExpiring(list []app.TermDue, total int) {
	h.expiring = list
	h.expiringAll = nil
	h.expiringOpen = map[string]*widget.Button{}
	if len(list) == 0 {
		h.expiringList.Objects = []fyne.CanvasObject{widget.NewLabel("暂无")}
		h.expiringList.Refresh()
		return
	}
	rows := make([]fyne.CanvasObject, 0, len(list))
	for _, t := range list {
		l := newCJKText(termDueLine(t))
		if t.DaysLeft < 0 {
			l.Importance = widget.DangerImportance
		}
		id := t.Carrier.ID
		b := widget.NewButtonWithIcon("查看", theme.SearchIcon(), func() { h.onOpenOverdue(id) })
		h.expiringOpen[id] = b
		rows = append(rows, container.NewBorder(nil, nil, nil, b, l))
	}
	if line := moreLine(total, len(list), "保密期限将到期或已到期的载体"); line != "" {
		h.expiringAll = widget.NewButtonWithIcon("年度审核", theme.ListIcon(), func() { h.m.tabs.Select(h.m.reviewTab) })
		rows = append(rows, container.NewBorder(nil, nil, nil, h.expiringAll, newCJKText(line)))
	}
	h.expiringList.Objects = rows
	h.expiringList.Refresh()
}

// changeLine is one recorded change: date, kind, old → new mark, document, approver.
func changeLine(c models.SecrecyChange) string {
	line := fmt.Sprintf("%s  %s  %s → %s  依据：%s  审批人：%s", c.DecidedOn, c.Kind, c.OldMarking, c.NewMarking,
		c.AuthorityDoc, c.ApproverName)
	if c.Reason != "" {
		line += "  理由：" + c.Reason
	}
	return line
}

// termSection is the part of the detail about the carrier's mark (R15): the
// 密级/期限变更 button and the recorded changes.
type termSection struct {
	d *detailView

	c       models.Carrier
	changes []models.SecrecyChange

	change  *widget.Button // 密级/期限变更
	result  statusLine
	list    *fyne.Container
	content *fyne.Container

	changing *termDialog // the open dialog, if any
}

func newTermSection(d *detailView) *termSection {
	s := &termSection{d: d}
	s.buildUI()
	return s
}

func (s *termSection) buildUI() {
	s.change = widget.NewButtonWithIcon("密级/期限变更", theme.DocumentCreateIcon(), s.onChange)
	s.change.Disable()
	s.result = newStatusLine()
	title := widget.NewLabel("密级/期限变更记录")
	title.TextStyle.Bold = true
	s.list = container.NewVBox()
	s.content = container.NewVBox(title, s.list)
}

func (s *termSection) apply(c models.Carrier, changes []models.SecrecyChange) {
	s.c, s.changes = c, changes
	if c.State.Held() {
		s.change.Enable()
	} else {
		s.change.Disable()
	}
	rows := make([]fyne.CanvasObject, 0, len(changes)+1)
	if len(changes) == 0 {
		rows = append(rows, widget.NewLabel("无"))
	}
	for _, ch := range changes {
		l := newCJKText(changeLine(ch))
		rows = append(rows, l)
	}
	s.list.Objects = rows
	s.list.Refresh()
	s.content.Refresh()
}

func (s *termSection) onChange() {
	if !s.d.loaded {
		return
	}
	s.result.clear()
	s.changing = newTermDialog(s, s.c)
	s.changing.dlg.Show()
	s.changing.load()
}

func (s *termSection) done(msg string) {
	s.result.ok(msg)
	s.d.show(s.c.ID)
	s.d.m.changed()
}

// Bases of a change as the dialog offers them (R20).
const (
	basisChoiceDecision = "本机关定密责任人决定"
	basisChoiceNotice   = "原定密机关或上级机关通知"
	basisChoiceExpired  = "保密期限届满，自行解密"
)

// termDialog records a 解密, 降密, 延期 or change of term form on its basis:
// a decision of the office's 定密责任人, an authority's notice, or the
// term's own end (R15, R20, R9).
type termDialog struct {
	s           *termSection
	c           models.Carrier
	approvers   []models.Approver
	basis       *widget.RadioGroup
	authority   *entry
	noExtension *widget.Check
	kind        *widget.RadioGroup
	level       *widget.Select
	termKind    *widget.Select
	termValue   *entry
	marking     *widget.Label
	approver    *widget.Select
	doc         *entry
	reason      *entry
	date        *entry
	msgs        *fieldMessages
	save        *widget.Button
	dlg         *dialog.CustomDialog
}

func newTermDialog(s *termSection, c models.Carrier) *termDialog {
	d := &termDialog{s: s, c: c}
	d.buildUI()
	return d
}

func (d *termDialog) buildUI() {
	// A received document changes only on its authority's notice (R20).
	bases := []string{basisChoiceNotice, basisChoiceExpired}
	if d.c.Direction == models.DirOutgoing {
		bases = append([]string{basisChoiceDecision}, bases...)
	}
	d.basis = widget.NewRadioGroup(bases, nil)
	d.authority = newEntry()
	d.authority.SetPlaceHolder("例如 遂安市保密局")
	d.noExtension = widget.NewCheck("已核实没有收到延期通知", nil)
	kinds := make([]string, len(models.TermChangeKinds))
	for i, k := range models.TermChangeKinds {
		kinds[i] = changeKindLabel(k)
	}
	d.kind = widget.NewRadioGroup(kinds, nil)
	d.kind.Horizontal = true
	levels := make([]string, 0, len(models.Levels))
	for _, l := range models.Levels {
		if l < d.c.Level {
			levels = append(levels, l.String())
		}
	}
	d.level = widget.NewSelect(levels, nil)
	d.level.PlaceHolder = "降密时选择"
	labels := make([]string, len(termChoices))
	for i, c := range termChoices {
		labels[i] = c.label
	}
	d.termKind = widget.NewSelect(labels, nil)
	d.termValue = newEntry()
	d.marking = widget.NewLabel("")
	d.approver = widget.NewSelect(nil, nil)
	d.approver.PlaceHolder = "正在读取审批人…"
	d.doc = newEntry()
	d.doc.SetPlaceHolder("决定或通知的文号")
	d.reason = newEntry()
	d.date = newEntry()
	d.date.SetText(d.s.d.m.env.now().Format(models.DateLayout))
	d.msgs = newFieldMessages()

	d.termKind.SetSelected(termChoiceDefault)
	d.basis.OnChanged = d.onBasisChanged
	d.kind.OnChanged = d.onKindChanged
	d.level.OnChanged = func(string) { d.updateMarking() }
	d.termKind.OnChanged = d.onTermKindChanged
	d.termValue.OnChanged = func(string) { d.updateMarking() }
	d.basis.SetSelected(bases[0])
	d.onKindChanged("")

	term := container.NewBorder(nil, nil, d.termKind, nil, d.termValue)
	how := "收文的密级和保密期限只能依据原定密机关或其上级机关的书面通知变更。"
	if d.c.Direction == models.DirOutgoing {
		how = "本机关文件由定密责任人决定变更，并书面通知知悉范围内的单位和人员。"
	}
	intro := newCJKText(fmt.Sprintf("%s《%s》 现标志 %s。%s延期须在期限届满前决定；期限届满的可自行解密，解密不等于可以公开。",
		d.c.RegNo, d.c.Title, d.c.Marking(), how))
	body := container.NewVBox(intro, d.msgs.top, formOf(
		d.msgs.row(app.FieldChangeBasis, "依据", d.basis),
		d.msgs.row(app.FieldChangeKind, "变更类型", d.kind),
		d.msgs.row(app.FieldNewLevel, "新密级", d.level),
		d.msgs.row(app.FieldNewTerm, "新保密期限", container.NewVBox(term, d.marking)),
		d.msgs.row(app.FieldApprover, "定密责任人", d.approver),
		d.msgs.row(app.FieldAuthority, "通知机关", d.authority),
		d.msgs.row(app.FieldAuthorityDoc, "文号", d.doc),
		d.msgs.row(app.FieldNoExtension, "", d.noExtension),
		d.msgs.row(app.FieldReason, "理由或情况", d.reason),
		d.msgs.row(app.FieldDecidedOn, "日期", container.New(widthLayout{160}, d.date)),
	))
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(d.s.d.m.win, "密级/期限变更", body, "登记变更", theme.DocumentSaveIcon(),
		d.onSave, d.close, fyne.NewSize(720, 560))
}

// onBasisChanged enables the fields the basis uses: the approver for a
// decision, the authority for a notice, the check of no extension and the
// day the term ended for 自行解密, which only declassifies.
func (d *termDialog) onBasisChanged(label string) {
	set := func(on bool, ws ...fyne.Disableable) {
		for _, w := range ws {
			if on {
				w.Enable()
			} else {
				w.Disable()
			}
		}
	}
	set(label == basisChoiceDecision, d.approver)
	set(label == basisChoiceNotice, d.authority)
	set(label != basisChoiceExpired, d.doc)
	set(label == basisChoiceExpired, d.noExtension)
	if label == basisChoiceExpired {
		d.kind.SetSelected(changeKindLabel(models.ChangeDeclassify))
		d.kind.Disable()
		if end, ok := models.TermExpiry(d.c); ok {
			d.date.SetText(end.Format(models.DateLayout))
		}
	} else {
		d.kind.Enable()
	}
}

// onKindChanged enables the fields the kind of change uses.
func (d *termDialog) onKindChanged(string) {
	k := changeKindOf(d.kind.Selected)
	if k == models.ChangeDowngrade {
		d.level.Enable()
	} else {
		d.level.ClearSelected()
		d.level.Disable()
	}
	if k == models.ChangeDowngrade || k == models.ChangeExtend || k == models.ChangeTermForm {
		d.termKind.Enable()
	} else {
		d.termKind.Disable()
	}
	d.onTermKindChanged(d.termKind.Selected)
}

func (d *termDialog) onTermKindChanged(label string) {
	d.termValue.SetText("")
	for _, c := range termChoices {
		if c.label == label {
			d.termValue.SetPlaceHolder(c.placeholder)
		}
	}
	if k := termKindOf(label); k == models.TermDefault || k == models.TermLong || d.termKind.Disabled() {
		d.termValue.Disable()
	} else {
		d.termValue.Enable()
	}
	d.updateMarking()
}

// newLevel is the level after the change.
func (d *termDialog) newLevel() models.Level {
	if changeKindOf(d.kind.Selected) == models.ChangeDowngrade {
		l, _ := models.ParseLevel(d.level.Selected)
		return l
	}
	return d.c.Level
}

func (d *termDialog) newTerm() models.Term {
	t := models.Term{Kind: termKindOf(d.termKind.Selected)}
	v := strings.TrimSpace(d.termValue.Text)
	switch t.Kind {
	case models.TermYears:
		t.Years, _ = strconv.Atoi(v)
	case models.TermMonths:
		t.Months, _ = strconv.Atoi(v)
	case models.TermUntil:
		t.Until = v
	case models.TermCondition:
		t.Condition = v
	}
	return t
}

// updateMarking shows the mark the change will give.
func (d *termDialog) updateMarking() {
	switch changeKindOf(d.kind.Selected) {
	case "":
		d.marking.SetText("请先选择变更类型")
	case models.ChangeDeclassify:
		d.marking.SetText("变更后：已解密")
	default:
		l := d.newLevel()
		if !l.Valid() {
			d.marking.SetText("变更后：请先选择新密级")
			return
		}
		d.marking.SetText("变更后：" + models.Marking(l, d.newTerm()))
	}
}

// load reads the approvers off the UI goroutine into the select.
func (d *termDialog) load() {
	m := d.s.d.m
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

func (d *termDialog) setApprovers(list []models.Approver) {
	d.approvers = nil
	var names []string
	for _, a := range list {
		if !a.Active || !a.Actions.Has(models.ApproveDeclassify) {
			continue
		}
		d.approvers = append(d.approvers, a)
		name := a.Name
		if a.Title != "" {
			name += "（" + a.Title + "）"
		}
		names = append(names, name)
	}
	d.approver.Options = names
	d.approver.PlaceHolder = "请选择"
	if len(names) == 0 {
		d.approver.PlaceHolder = "没有可决定解密/变更的审批人"
		d.msgs.add(app.FieldApprover, "还没有可决定解密/变更的在用审批人，请安全保密管理员在“审批人”中添加")
	}
	d.approver.Refresh()
}

// selectApprover selects the approver named name, as a click would.
func (d *termDialog) selectApprover(name string) bool {
	for i, a := range d.approvers {
		if a.Name == name {
			d.approver.SetSelectedIndex(i)
			return true
		}
	}
	return false
}

func (d *termDialog) read() app.TermChange {
	k := changeKindOf(d.kind.Selected)
	in := app.TermChange{CarrierID: d.c.ID, Version: d.c.Version, Kind: k, Reason: d.reason.Text,
		DecidedOn: strings.TrimSpace(d.date.Text)}
	switch d.basis.Selected {
	case basisChoiceDecision:
		in.Basis, in.AuthorityDoc = app.BasisDecision, d.doc.Text
	case basisChoiceNotice:
		in.Basis, in.AuthorityDoc, in.Authority = app.BasisNotice, d.doc.Text, d.authority.Text
	case basisChoiceExpired:
		in.Basis, in.NoExtension = app.BasisExpired, d.noExtension.Checked
	}
	if k == models.ChangeDowngrade {
		in.NewLevel = d.newLevel()
	}
	if k == models.ChangeDowngrade || k == models.ChangeExtend || k == models.ChangeTermForm {
		in.NewTerm = d.newTerm()
		if in.NewTerm.Kind == models.TermYears && in.NewTerm.Years == 0 && strings.TrimSpace(d.termValue.Text) != "" {
			d.msgs.add(app.FieldNewTerm, "保密年限请填写整数年数，例如 10")
		}
	}
	if i := d.approver.SelectedIndex(); i >= 0 && i < len(d.approvers) && in.Basis == app.BasisDecision {
		in.DecidedBy = d.approvers[i].ID
	}
	return in
}

func (d *termDialog) onSave() {
	d.msgs.clear()
	m := d.s.d.m
	in := d.read()
	if d.msgs.text(app.FieldNewTerm) != "" {
		return
	}
	c, err := m.b.ChangeSecrecy(m.sess, in)
	if err != nil {
		d.msgs.explain(err, "登记密级/期限变更", m.unexpected)
		return
	}
	d.close()
	if in.Kind == models.ChangeDeclassify {
		basis := in.AuthorityDoc
		if in.Basis == app.BasisExpired {
			basis = "保密期限届满"
		}
		d.s.done(fmt.Sprintf("%s 已登记解密（%s），已离开在册台账。", c.RegNo, basis))
		return
	}
	d.s.done(fmt.Sprintf("%s 已登记%s，现标志 %s。", c.RegNo, in.Kind, c.Marking()))
}

func (d *termDialog) close() {
	d.dlg.Hide()
	if d.s.changing == d {
		d.s.changing = nil
	}
}
