package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// handlingAct is the detail's 办理登记 of an incoming document (R27): 分办 to
// a 承办部门 or person, 阅知 or 存查, each closing its handling deadline as
// 传阅 does.
type handlingAct struct {
	d      *detailView
	act    *widget.Button
	result statusLine
	dlg    *formDlg
	last   *handlingDlg // the dialog last opened, with its fields
}

// handlingDlg is the 办理登记 dialog's fields.
type handlingDlg struct {
	*formDlg
	kind *widget.RadioGroup
	to   *choiceEntry
	note *entry
}

func newHandlingAct(d *detailView) *handlingAct {
	h := &handlingAct{d: d, result: newStatusLine()}
	h.act = widget.NewButtonWithIcon("办理登记", theme.ConfirmIcon(), h.open)
	h.act.Hide()
	return h
}

func (h *handlingAct) apply(c models.Carrier) {
	if c.Direction != models.DirIncoming || c.IsCopy {
		h.act.Hide()
		return
	}
	h.act.Show()
	if c.State.Held() {
		h.act.Enable()
	} else {
		h.act.Disable()
	}
}

func (h *handlingAct) open() {
	if !h.d.loaded {
		return
	}
	m, c := h.d.m, h.d.carrier
	kinds := make([]string, len(models.HandlingKinds))
	for i, k := range models.HandlingKinds {
		kinds[i] = string(k)
	}
	x := &handlingDlg{kind: widget.NewRadioGroup(kinds, nil), to: m.newPersonEntry(nil), note: newEntry()}
	x.kind.Horizontal = true
	x.kind.SetSelected(string(models.HandleAssign))
	x.to.SetPlaceHolder("分办时必填：承办部门或承办人（签收人）")
	msgs := newFieldMessages()
	rows := [][2]fyne.CanvasObject{
		msgs.row(app.FieldHandlingKind, "办理方式", x.kind),
		msgs.row(app.FieldHandlingTo, "承办部门/人", x.to),
		{widget.NewLabel("说明"), x.note},
	}
	intro := fmt.Sprintf("%s《%s》。登记分办、阅知或存查后，该文件即视为已办理，不再列入超时未处理。", c.RegNo, c.Title)
	h.last = x
	x.formDlg = h.d.openForm(h.result, &h.dlg, "办理登记", intro, "保存", msgs, rows, func() (string, error) {
		got, err := m.b.RecordHandling(m.sess, c.ID, models.HandlingKind(x.kind.Selected), x.to.Text, x.note.Text)
		if err != nil {
			return "", err
		}
		done := "已登记" + string(got.Kind)
		if got.ToWhom != "" {
			done += "至" + got.ToWhom
		}
		return done + "。", nil
	})
}
