package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/models"
)

// registerScreen is the registration form of incoming and produced documents
// (R12), built for a clerk working through a pile of mail with the keyboard:
// Enter saves, and the form keeps what the next document shares.
type registerScreen struct {
	m *MainUI

	form   *carrierForm
	save   *widget.Button
	result *widget.Label // what the last save registered

	content fyne.CanvasObject
}

func newRegisterScreen(m *MainUI) *registerScreen {
	r := &registerScreen{m: m}
	r.buildUI()
	return r
}

func (r *registerScreen) buildUI() {
	r.form = newCarrierForm(r.onSave)
	r.form.onTyping = r.m.touch
	r.form.reset(r.m.today(), r.m.sess.FullName)
	r.save = widget.NewButtonWithIcon("保存登记", theme.DocumentSaveIcon(), r.onSave)
	r.save.Importance = widget.HighImportance
	clearBtn := widget.NewButtonWithIcon("清空", theme.ContentClearIcon(), r.onClear)
	r.result = widget.NewLabel("")
	r.result.Importance = widget.SuccessImportance
	r.result.Wrapping = fyne.TextWrapBreak
	r.result.Hide()

	hint := widget.NewLabel("在任一单行输入框按回车即保存；保存后保留收发类别、收文日期、来文单位、载体类型、密级和责任人。")
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapBreak
	buttons := container.NewHBox(r.save, clearBtn)
	scroll := container.NewVScroll(r.form.content)
	r.form.frame = scroll
	r.content = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), r.result, buttons, hint), nil, nil,
		scroll)
}

// onSave registers what the form holds. Nothing is saved unless the domain
// accepts every field; its messages appear under the fields.
func (r *registerScreen) onSave() {
	setMessage(r.result, "")
	cs, err := r.m.b.Register(r.m.sess, r.form.read())
	if err != nil {
		if v, ok := models.AsValidation(err); ok {
			r.form.showErrors(v)
			return
		}
		if msg, ok := knownError(err); ok {
			r.form.showFormError(msg)
			return
		}
		r.m.unexpected("保存登记", err)
		return
	}
	setMessage(r.result, savedMessage(cs))
	r.form.clearForNext()
	r.m.focus(r.form.docNumber)
	r.m.changed()
}

func (r *registerScreen) onClear() {
	setMessage(r.result, "")
	r.form.reset(r.m.today(), r.m.sess.FullName)
	r.m.focus(r.form.docNumber)
}

// savedMessage names the register numbers handed out:
// 已登记 3 份：收〔2026〕0001 至 收〔2026〕0003.
func savedMessage(cs []models.Carrier) string {
	switch len(cs) {
	case 0:
		return ""
	case 1:
		c := cs[0]
		return fmt.Sprintf("已登记 1 份：%s（%s，份号 %s）", c.RegNo, c.Marking(), c.CopyNoText())
	}
	first, last := cs[0], cs[len(cs)-1]
	return fmt.Sprintf("已登记 %d 份：%s 至 %s（%s，份号 %s 至 %s）", len(cs), first.RegNo, last.RegNo,
		first.Marking(), first.CopyNoText(), last.CopyNoText())
}
