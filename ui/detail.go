package ui

import (
	"fmt"
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

// historyTimeLayout is how history times are shown, in local time.
const historyTimeLayout = "2006-01-02 15:04"

// detailField is one labelled value of the detail view.
type detailField struct{ label, value string }

// detailView shows one carrier: every registered field, its mark and state,
// its whole history, and the buttons to correct or void it.
type detailView struct {
	m *MainUI

	carrier models.Carrier // what is shown
	loaded  bool
	gen     generation // answers to an older load are dropped
	fields  []detailField
	lines   []string // history, oldest first

	placeholder   *widget.Label
	heading       *widget.Label
	marking       *widget.Label
	grid          *fyne.Container
	history       *fyne.Container
	edit          *widget.Button
	void          *widget.Button
	returnFlag    *widget.Button // 标记清退 / 取消清退 (R16)
	flagResult    statusLine
	archive       *widget.Button // 归档, carriers in store and not flagged for return
	archiveResult statusLine
	body          *fyne.Container
	content       fyne.CanvasObject
	scroll        *container.Scroll
	voidWhy       *cjkText // why 作废 is not offered, when it is not
	whyNot        *cjkText // under the acts: why those greyed out are not offered

	onClose func() // the 关闭 button: the ledger takes the pane away

	editing   *editDialog    // the open edit dialog, if any
	voiding   *voidDialog    // the open void dialog, if any
	archiving *archiveDialog // the open 归档 dialog, if any
	print     *widget.Button // 打印阅办单

	copies *copySection     // 复制申请, its requests and the copies not yet destroyed
	loans  *loanSection     // 借阅申请, 外出携带申请 and the carrier's loans (R3)
	terms  *termSection     // 密级/期限变更 and the carrier's recorded changes (R15)
	class  *classSection    // 定密 of an outgoing 国家秘密 document (R24)
	disp   *dispatchSection // 印制 and 分发 of an outgoing document (R25)
	handle *handlingAct     // 办理登记: 分办, 阅知, 存查 of an incoming document (R27)
	circ   *circSection     // 传阅, where it is now and the carrier's circulations (R6)
}

func newDetailView(m *MainUI) *detailView {
	d := &detailView{m: m}
	d.buildUI()
	return d
}

// actButtonWidth is the width of each act's button in the detail pane: the
// longest, 密级/期限变更, with its icon.
const actButtonWidth = 150

func (d *detailView) buildUI() {
	d.placeholder = widget.NewLabel("在左侧台账中选择一行，查看详情和处理记录。")
	d.placeholder.Wrapping = fyne.TextWrapWord
	d.heading = widget.NewLabel("")
	d.heading.TextStyle.Bold = true
	d.heading.Wrapping = fyne.TextWrapWord
	d.marking = widget.NewLabel("")
	d.marking.TextStyle.Bold = true
	d.marking.Importance = widget.DangerImportance
	d.grid = container.New(layout.NewFormLayout())
	d.history = container.NewVBox()
	d.edit = widget.NewButtonWithIcon("修改", theme.DocumentCreateIcon(), d.onEdit)
	d.void = widget.NewButtonWithIcon("作废", theme.DeleteIcon(), d.onVoid)
	d.void.Importance = widget.DangerImportance
	d.voidWhy = note("")
	d.returnFlag = widget.NewButtonWithIcon("标记清退", theme.MailReplyIcon(), d.onReturnFlag)
	d.returnFlag.Disable()
	d.flagResult = newStatusLine()
	d.archive = widget.NewButtonWithIcon("归档", theme.StorageIcon(), d.onArchive)
	d.archive.Disable()
	d.archiveResult = newStatusLine()
	d.print = widget.NewButtonWithIcon("打印阅办单", theme.DocumentPrintIcon(), func() {
		if d.loaded {
			d.m.printForm(app.FormFlow, d.carrier.RegNo)
		}
	})
	d.copies = newCopySection(d)
	d.loans = newLoanSection(d)
	d.terms = newTermSection(d)
	d.class = newClassSection(d)
	d.disp = newDispatchSection(d)
	d.handle = newHandlingAct(d)
	d.circ = newCircSection(d)
	historyTitle := widget.NewLabel("处理记录")
	historyTitle.TextStyle.Bold = true
	closeBtn := widget.NewButtonWithIcon("关闭", theme.CancelIcon(), func() {
		if d.onClose != nil {
			d.onClose()
		}
	})
	closeBtn.Importance = widget.LowImportance
	// The everyday acts flow in as many rows as the pane's width needs: the
	// pane is narrow beside the ledger on a 1024-pixel screen. 作废 stands
	// apart at the end, away from 修改.
	acts := container.NewGridWrap(fyne.NewSize(actButtonWidth, d.edit.MinSize().Height),
		d.edit, d.handle.act, d.class.act, d.disp.act, d.copies.request, d.circ.start, d.loans.borrow, d.loans.takeOut, d.terms.change, d.print,
		d.returnFlag, d.archive)
	d.whyNot = note("")
	d.whyNot.Hide()
	d.body = container.NewVBox(container.NewBorder(nil, nil, nil, closeBtn, d.heading), d.marking, acts, d.whyNot,
		d.handle.result.Label, d.class.result.Label, d.disp.result.Label, d.copies.result.Label, d.loans.result.Label, d.terms.result.Label, d.circ.result.Label, d.flagResult.Label,
		d.archiveResult.Label,
		d.circ.whereLbl, d.circ.actions, d.grid,
		widget.NewSeparator(), d.class.content, d.disp.content, widget.NewSeparator(), d.circ.content, widget.NewSeparator(), d.copies.content, widget.NewSeparator(), d.loans.content,
		widget.NewSeparator(), d.terms.content,
		widget.NewSeparator(), historyTitle, d.history,
		widget.NewSeparator(), container.NewBorder(nil, nil, d.void, nil, d.voidWhy))
	d.body.Hide()
	d.scroll = container.NewVScroll(container.NewVBox(d.placeholder, d.body))
	d.content = d.scroll
}

// show loads carrier id and its history off the UI goroutine and shows them.
func (d *detailView) show(id string) {
	stale := d.gen.next()
	if id != d.carrier.ID {
		d.scroll.ScrollToTop() // another carrier opens at its top, its buttons in view
		d.copies.result.clear()
		d.loans.result.clear()
		d.terms.result.clear()
		d.circ.result.clear()
		d.class.result.clear()
		d.disp.result.clear()
		d.handle.result.clear()
		d.flagResult.clear()
		d.archiveResult.clear()
	}
	d.m.env.run(func() {
		c, err := d.m.b.Get(d.m.sess, id)
		var evs []models.CarrierEvent
		if err == nil {
			evs, err = d.m.b.History(d.m.sess, id)
		}
		var cp copyData
		if err == nil {
			cp, err = loadCopyData(d.m, c)
		}
		var loans []models.Loan
		if err == nil {
			loans, err = d.m.b.Loans(d.m.sess, id)
		}
		var changes []models.SecrecyChange
		if err == nil {
			changes, err = d.m.b.SecrecyChanges(d.m.sess, id)
		}
		var class *models.Classification
		if err == nil {
			class, err = d.m.b.ClassificationOf(d.m.sess, id)
		}
		var disp dispatchData
		if err == nil {
			disp, err = loadDispatchData(d.m, c)
			disp.class = class
		}
		var circs []models.Circulation
		if err == nil {
			circs, err = d.m.b.Circulations(d.m.sess, id)
		}
		var where app.Whereabouts
		if err == nil {
			where, err = d.m.b.WhereIs(d.m.sess, id)
		}
		var arch *models.Archive
		if err == nil && c.State == models.StateArchived {
			var a models.Archive
			if a, err = d.m.b.ArchiveOf(d.m.sess, id); err == nil {
				arch = &a
			}
		}
		fyne.Do(func() {
			if stale() {
				return
			}
			if err != nil {
				if msg, ok := knownError(err); ok {
					dialog.ShowInformation("无法显示", msg, d.m.win)
					return
				}
				d.m.unexpected("读取登记详情", err)
				return
			}
			d.apply(c, evs, arch)
			d.copies.apply(c, cp)
			d.loans.apply(c, loans)
			d.terms.apply(c, changes)
			d.class.apply(c, class)
			d.disp.apply(c, disp)
			d.handle.apply(c)
			d.circ.apply(c, circs, where)
			d.showWhyNot(c)
		})
	})
}

func (d *detailView) apply(c models.Carrier, evs []models.CarrierEvent, arch *models.Archive) {
	d.carrier, d.loaded = c, true
	d.fields = carrierFields(c)
	if arch != nil {
		d.fields = append(d.fields, archiveFields(*arch)...)
	}
	d.lines = nil
	for _, ev := range evs {
		d.lines = append(d.lines, historyLine(ev))
	}

	d.heading.SetText(c.Title)
	mark := fmt.Sprintf("%s    份号 %s    %s", c.Marking(), c.CopyNoText(), c.State)
	if c.IsCopy {
		mark += "    复制件"
	}
	if c.ReturnToIssuer {
		mark += "    待清退"
	}
	if arch != nil {
		mark += "    档号 " + arch.FileNo
	}
	d.marking.SetText(mark)
	objs := make([]fyne.CanvasObject, 0, 2*len(d.fields))
	for _, f := range d.fields {
		k := widget.NewLabel(f.label)
		k.TextStyle.Bold = true
		v := widget.NewLabel(f.value)
		v.Wrapping = fyne.TextWrapWord
		v.Selectable = true
		objs = append(objs, k, v)
	}
	d.grid.Objects = objs
	d.grid.Refresh()
	lines := make([]fyne.CanvasObject, len(d.lines))
	for i, s := range d.lines {
		lines[i] = newCJKText(s)
	}
	d.history.Objects = lines
	d.history.Refresh()

	// The domain refuses these anyway; the buttons say so before a click.
	if c.State.Held() {
		d.edit.Enable()
	} else {
		d.edit.Disable()
	}
	if c.State == models.StateInStore {
		d.void.Enable()
		d.voidWhy.SetText("作废用于撤销登记错误的记录，须写明原因。")
	} else {
		d.void.Disable()
		d.voidWhy.SetText("只有“在库”的载体可以作废；现在是“" + c.State.String() + "”。")
	}
	if c.ReturnToIssuer {
		d.returnFlag.SetText("取消清退")
	} else {
		d.returnFlag.SetText("标记清退")
	}
	if c.State.Held() {
		d.returnFlag.Enable()
	} else {
		d.returnFlag.Disable()
	}
	if mayArchive(c) {
		d.archive.Enable()
	} else {
		d.archive.Disable()
	}
	d.placeholder.Hide()
	d.body.Show()
	d.content.Refresh()
}

// onReturnFlag sets or clears the carrier's 清退 flag: a flagged carrier
// goes back to its issuer in full and can't be destroyed (R16).
func (d *detailView) onReturnFlag() {
	if !d.loaded {
		return
	}
	d.m.touch()
	d.flagResult.clear()
	if d.carrier.ReturnToIssuer {
		d.setReturnFlag(false)
		return
	}
	// Marking asks first: the carrier then may not be destroyed and goes on
	// the next 清退 slip. Until a slip lists it, 取消清退 undoes it.
	dialog.ShowCustomConfirm("标记清退", "标记清退", "取消",
		widget.NewLabel(d.carrier.RegNo+"《"+d.carrier.Title+"》将标记为应退还来文单位：\n"+
			"标记后不得销毁，生成清退单时列入。清退单列入之前可以取消标记。"),
		func(ok bool) {
			if ok {
				d.setReturnFlag(true)
			}
		}, d.m.win)
}

// setReturnFlag marks the carrier shown for return to its issuer, or clears
// the mark.
func (d *detailView) setReturnFlag(on bool) {
	c, err := d.m.b.FlagReturnToIssuer(d.m.sess, d.carrier.ID, on)
	if err != nil {
		if v, ok := models.AsValidation(err); ok {
			msgs := make([]string, 0, len(v.Fields))
			for _, fe := range v.Fields {
				msgs = append(msgs, fe.Msg)
			}
			d.flagResult.fail(strings.Join(msgs, "；"))
			return
		}
		if msg, ok := knownError(err); ok {
			d.flagResult.fail(msg)
			return
		}
		d.m.unexpected("标记清退", err)
		return
	}
	if c.ReturnToIssuer {
		d.flagResult.ok(c.RegNo + " 已标记清退：应全部退还来文单位，不得销毁。")
	} else {
		d.flagResult.ok(c.RegNo + " 已取消清退标记。")
	}
	d.show(c.ID)
}

// value is the shown value of a labelled field, for tests and the edit dialog.
func (d *detailView) value(label string) string {
	for _, f := range d.fields {
		if f.label == label {
			return f.value
		}
	}
	return ""
}

// carrierFields lists everything registered about c, with the form's labels.
func carrierFields(c models.Carrier) []detailField {
	label := func(key string) string { return models.FieldLabels[key] }
	issuer, regDate := label(models.FieldIssuer), label(models.FieldRegDate)
	if c.Direction == models.DirOutgoing {
		issuer, regDate = "发文机关", "登记日期"
	}
	copyNo := c.CopyNoText()
	if c.CopyCount > 1 {
		copyNo += fmt.Sprintf("（同批登记 %d 份）", c.CopyCount)
	}
	pages := ""
	if c.Pages > 0 {
		pages = fmt.Sprint(c.Pages)
	}
	out := []detailField{
		{"登记号", c.RegNo},
		{label(models.FieldDirection), c.Direction.String()},
		{regDate, c.RegDate},
		{label(models.FieldDeadline), c.Deadline},
		{label(models.FieldDocNumber), c.DocNumber},
		{label(models.FieldTitle), c.Title},
		{issuer, c.Issuer},
		{label(models.FieldDocKind), c.DocKind},
		{"密级★期限", c.Marking()},
		{label(models.FieldCopyNo), copyNo},
		{label(models.FieldPages), pages},
		{label(models.FieldUrgency), c.Urgency.String()},
		{label(models.FieldKind), string(c.Kind)},
		{label(models.FieldNeedToKnow), c.NeedToKnow},
		{label(models.FieldLocation), c.Location},
		{label(models.FieldCustodian), c.Custodian},
		{label(models.FieldRemarks), c.Remarks},
		{"状态", c.State.String()},
	}
	if c.State == models.StateVoided {
		out = append(out, detailField{label(models.FieldVoidReason), c.VoidReason})
	}
	if c.IsCopy {
		out = append(out, detailField{"复制件", "是"})
	}
	out = append(out,
		detailField{"登记人", c.CreatedBy},
		detailField{"登记时间", c.CreatedAt.Local().Format(historyTimeLayout)})
	return out
}

// historyLine renders one event: time, who, what, old → new, why.
func historyLine(ev models.CarrierEvent) string {
	parts := []string{ev.At.Local().Format(historyTimeLayout), ev.Actor, models.ActionLabel(ev.Action)}
	switch {
	case ev.Field != "":
		parts = append(parts, fmt.Sprintf("%s：%s → %s", ev.Field, orBlank(ev.OldValue), orBlank(ev.NewValue)))
	case ev.NewValue != "":
		parts = append(parts, ev.NewValue)
	}
	if ev.Reason != "" {
		parts = append(parts, "原因："+ev.Reason)
	}
	return strings.Join(parts, "  ")
}

func orBlank(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}

func (d *detailView) onEdit() {
	if !d.loaded {
		return
	}
	d.editing = newEditDialog(d.m, d.carrier)
	d.editing.dlg.Show()
	d.m.focus(d.editing.form.docNumber)
}

func (d *detailView) onVoid() {
	if !d.loaded {
		return
	}
	d.voiding = newVoidDialog(d.m, d.carrier)
	d.voiding.dlg.Show()
	d.m.focus(d.voiding.reason)
}

// editDialog corrects a registration: the register form filled with the
// carrier, an optional reason, and the domain's answer under each field.
type editDialog struct {
	m      *MainUI
	c      models.Carrier
	form   *carrierForm
	reason *entry
	all    *widget.Check // the correction goes to every copy of the registration
	save   *widget.Button
	dlg    *dialog.CustomDialog
}

func newEditDialog(m *MainUI, c models.Carrier) *editDialog {
	e := &editDialog{m: m, c: c}
	e.buildUI()
	return e
}

func (e *editDialog) buildUI() {
	e.form = newCarrierForm(e.onSave)
	e.form.onTyping = e.m.touch
	e.form.fill(app.FormOf(e.c))
	e.form.lockForEdit()
	// A registration of several copies is usually corrected in all of them.
	e.all = widget.NewCheck(fmt.Sprintf("同时修改本次登记的全部 %d 份（份号除外；已作废、销毁或清退的不改）", e.c.CopyCount), nil)
	e.all.SetChecked(e.c.CopyCount > 1)
	if e.c.CopyCount <= 1 {
		e.all.Hide()
	}
	e.reason = newEntry()
	e.reason.SetPlaceHolder("可不填，例如“文号录入有误”")
	e.reason.OnSubmitted = func(string) { e.onSave() }
	note := widget.NewLabel("密级和保密期限不能在此修改：登记错误请作废后重新登记。")
	note.Importance = widget.LowImportance
	body := container.NewVBox(
		widget.NewLabel("登记号 "+e.c.RegNo),
		e.form.content,
		container.New(layout.NewFormLayout(), widget.NewLabel("修改原因"), e.reason),
		e.all,
		note,
	)
	scroll := container.NewVScroll(body)
	e.form.frame = scroll
	e.dlg, e.save = newFormDialog(e.m.win, "修改登记", scroll, "保存修改", theme.DocumentSaveIcon(),
		e.onSave, e.onCancel, fyne.NewSize(980, 680))
}

// onSave saves the correction with the version the clerk saw.
func (e *editDialog) onSave() {
	var err error
	if e.all.Visible() && e.all.Checked {
		_, err = e.m.b.EditRegistration(e.m.sess, e.c.ID, e.c.Version, e.form.read(), e.reason.Text)
	} else {
		_, err = e.m.b.Edit(e.m.sess, e.c.ID, e.c.Version, e.form.read(), e.reason.Text)
	}
	if err != nil {
		if v, ok := models.AsValidation(err); ok {
			e.form.showErrors(v)
			return
		}
		if msg, ok := knownError(err); ok {
			e.form.clearErrors()
			e.form.showFormError(msg)
			return
		}
		e.m.unexpected("保存修改", err)
		return
	}
	e.close()
	e.m.detail.show(e.c.ID)
	e.m.changed()
}

func (e *editDialog) onCancel() { e.close() }

func (e *editDialog) close() {
	e.dlg.Hide()
	if e.m.detail.editing == e {
		e.m.detail.editing = nil
	}
}

// voidDialog voids a mistaken registration with a reason (R14).
type voidDialog struct {
	m       *MainUI
	c       models.Carrier
	reason  *entry
	msg     *widget.Label
	body    *fyne.Container
	confirm *widget.Button
	dlg     *dialog.CustomDialog
}

func newVoidDialog(m *MainUI, c models.Carrier) *voidDialog {
	v := &voidDialog{m: m, c: c}
	v.buildUI()
	return v
}

func (v *voidDialog) buildUI() {
	v.reason = newEntry()
	v.reason.SetPlaceHolder("例如“份号登记错误，应为000002”")
	v.reason.OnSubmitted = func(string) { v.onConfirm() }
	v.msg = errorLabel()
	intro := widget.NewLabel(fmt.Sprintf("作废 %s《%s》。\n作废后它不再计入在册，但登记和处理记录永久保留。",
		v.c.RegNo, v.c.Title))
	intro.Wrapping = fyne.TextWrapWord
	v.body = container.NewVBox(intro,
		container.New(layout.NewFormLayout(), widget.NewLabel(models.FieldLabels[models.FieldVoidReason]),
			container.NewVBox(v.reason, v.msg)))
	v.dlg, v.confirm = newFormDialog(v.m.win, "作废登记", v.body, "确认作废", theme.DeleteIcon(), v.onConfirm, v.onCancel,
		fyne.NewSize(560, 260))
	v.confirm.Importance = widget.DangerImportance
}

func (v *voidDialog) onConfirm() {
	err := v.m.b.Void(v.m.sess, v.c.ID, v.c.Version, v.reason.Text)
	if err != nil {
		if ve, ok := models.AsValidation(err); ok {
			v.showMessage(ve.Error())
			return
		}
		if msg, ok := knownError(err); ok {
			v.showMessage(msg)
			return
		}
		v.m.unexpected("作废登记", err)
		return
	}
	v.close()
	v.m.detail.show(v.c.ID)
	v.m.changed()
}

func (v *voidDialog) showMessage(msg string) {
	setMessage(v.msg, msg)
	v.body.Refresh()
}

func (v *voidDialog) onCancel() { v.close() }

func (v *voidDialog) close() {
	v.dlg.Hide()
	if v.m.detail.voiding == v {
		v.m.detail.voiding = nil
	}
}

// showWhyNot says under the acts why each one greyed out is not offered
// for c: the same reasons the domain would give at 提交.
func (d *detailView) showWhyNot(c models.Carrier) {
	var lines []string
	if !c.State.Held() {
		lines = append(lines, "不能修改、借阅或外出携带：该载体已"+c.State.String())
	} else if c.State != models.StateInStore {
		lines = append(lines, "不能借阅或外出携带：只有在库的载体才能借出，现在是"+c.State.String())
	} else if c.Kind == models.KindCipherTel {
		lines = append(lines, "不能借阅或外出携带：密码电报只在机要室阅办，用后退回机要部门")
	}
	if d.copies.why != "" && c.State.Held() {
		lines = append(lines, d.copies.why)
	}
	if len(lines) == 0 {
		d.whyNot.Hide()
		return
	}
	d.whyNot.SetText(strings.Join(lines, "\n"))
	d.whyNot.Show()
}
