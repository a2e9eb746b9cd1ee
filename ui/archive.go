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

// mayArchive reports whether the domain would archive c: 在库 and not
// flagged for return (R16). The button says so before a click; the domain
// still decides, and its refusal is shown.
func mayArchive(c models.Carrier) bool {
	return c.State == models.StateInStore && !c.ReturnToIssuer
}

// archiveFields are the 归档 record's lines of the detail.
func archiveFields(a models.Archive) []detailField {
	out := []detailField{{"档号", a.FileNo}, {"归档日期", a.ArchivedOn + "（" + a.CreatedBy + "）"}}
	if a.Note != "" {
		out = append(out, detailField{"归档备注", a.Note})
	}
	return out
}

func (d *detailView) onArchive() {
	if !d.loaded {
		return
	}
	d.m.touch()
	d.archiveResult.clear()
	d.archiving = newArchiveDialog(d, d.carrier)
	d.archiving.dlg.Show()
	d.m.focus(d.archiving.fileNo)
}

// archiveDialog files a carrier away under its 档号 (归档).
type archiveDialog struct {
	d      *detailView
	c      models.Carrier
	fileNo *entry
	note   *entry
	msgs   *fieldMessages
	save   *widget.Button
	dlg    *dialog.CustomDialog
}

func newArchiveDialog(d *detailView, c models.Carrier) *archiveDialog {
	a := &archiveDialog{d: d, c: c}
	a.buildUI()
	return a
}

func (a *archiveDialog) buildUI() {
	a.fileNo = newEntry()
	a.fileNo.SetPlaceHolder("例如 WS·2026-Y-0012")
	a.note = newEntry()
	a.note.SetPlaceHolder("可不填")
	for _, e := range []*entry{a.fileNo, a.note} {
		e.OnSubmitted = func(string) { a.onSave() }
	}
	a.msgs = newFieldMessages()
	carrier := a.msgs.line(app.FieldArchiveCarrier)
	intro := widget.NewLabel(fmt.Sprintf("归档 %s《%s》 %s 份号 %s。\n归档后它离开在册视图，仍可在台账“全部”中查到，登记和处理记录永久保留。",
		a.c.RegNo, a.c.Title, a.c.Marking(), a.c.CopyNoText()))
	intro.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(intro, a.msgs.top, carrier, formOf(
		a.msgs.row(app.FieldFileNo, "档号", a.fileNo),
		a.msgs.row(app.FieldArchiveNote, "备注", a.note),
	))
	a.msgs.frame = body
	a.dlg, a.save = newFormDialog(a.d.m.win, "归档", body, "确认归档", theme.ConfirmIcon(),
		a.onSave, a.close, fyne.NewSize(600, 300))
}

func (a *archiveDialog) onSave() {
	a.msgs.clear()
	m := a.d.m
	c, err := m.b.Archive(m.sess, a.c.ID, a.fileNo.Text, a.note.Text)
	if err != nil {
		a.msgs.explain(err, "归档", m.unexpected)
		return
	}
	a.close()
	a.d.archiveResult.ok(fmt.Sprintf("%s 已归档，档号 %s。", c.RegNo, a.fileNo.Text))
	a.d.show(c.ID)
	m.changed()
}

func (a *archiveDialog) close() {
	a.dlg.Hide()
	if a.d.archiving == a {
		a.d.archiving = nil
	}
}
