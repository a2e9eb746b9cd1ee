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

	"secdoc/models"
)

// registerScreen is the registration form of incoming and produced documents
// (R12), built for a clerk working through a pile of mail with the keyboard:
// Enter saves, and the form keeps what the next document shares.
type registerScreen struct {
	m *MainUI

	form    *carrierForm
	saveBtn *widget.Button
	result  *widget.Label // what the last save registered

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
	r.saveBtn = widget.NewButtonWithIcon("保存登记", theme.DocumentSaveIcon(), r.onSave)
	r.saveBtn.Importance = widget.HighImportance
	clearBtn := widget.NewButtonWithIcon("清空", theme.ContentClearIcon(), r.onClear)
	r.result = widget.NewLabel("")
	r.result.Importance = widget.SuccessImportance
	r.result.Wrapping = fyne.TextWrapBreak
	r.result.Hide()

	hint := widget.NewLabel("在任一单行输入框按回车即保存；保存后保留收发类别、收文日期、来文单位、载体类型、密级和责任人。")
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapBreak
	buttons := container.NewHBox(r.saveBtn, clearBtn)
	scroll := container.NewVScroll(r.form.content)
	r.form.frame = scroll
	r.content = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), r.result, buttons, hint), nil, nil,
		scroll)
}

// copiesToConfirm is the largest 份数 saved without asking: a number above it
// is more often a slip of the hand (31 for 3) than a real printing.
const copiesToConfirm = 10

// onSave registers what the form holds. Nothing is saved unless the domain
// accepts every field; its messages appear under the fields. A 份数 above
// copiesToConfirm is saved only once the clerk has confirmed that number.
func (r *registerScreen) onSave() {
	setMessage(r.result, "")
	r.checkCustodian()
}

// checkCustodian saves once a 责任人 the register doesn't know has been
// confirmed as a new person: a typo must not make a new custodian.
func (r *registerScreen) checkCustodian() {
	name := r.form.newCustodian()
	if name == "" {
		r.checkCopies()
		return
	}
	msg := widget.NewLabel(fmt.Sprintf("登记簿中还没有责任人“%s”。\n是新的保管人吗？如果是输入错误，请返回修改或按 ↓ 从名单中选择。", name))
	dialog.NewCustomConfirm("新的责任人", "是新的责任人", "返回修改", msg, func(ok bool) {
		if ok {
			r.form.people[name] = true
			r.checkCopies()
			return
		}
		r.m.focus(r.form.custodian)
		selectAllOf(&r.form.custodian.Entry)
	}, r.m.win).Show()
}

// checkCopies saves, once a 份数 above copiesToConfirm is confirmed.
func (r *registerScreen) checkCopies() {
	in := r.form.read()
	if n, err := strconv.Atoi(strings.TrimSpace(in.Copies)); err == nil && n > copiesToConfirm {
		r.confirmCopies(n)
		return
	}
	r.save(in)
}

// confirmCopies asks before n carriers are registered at once; 返回修改 puts
// the cursor back in 份数 with the number selected.
func (r *registerScreen) confirmCopies(n int) {
	msg := widget.NewLabel(fmt.Sprintf("份数为 %d：将登记 %d 份载体，编 %d 个登记号。\n份数无误吗？", n, n, n))
	d := dialog.NewCustomConfirm("确认份数", fmt.Sprintf("确认登记 %d 份", n), "返回修改", msg, func(ok bool) {
		if ok {
			r.save(r.form.read())
			return
		}
		r.m.focus(r.form.copies)
		selectAllOf(&r.form.copies.Entry)
	}, r.m.win)
	d.Show()
}

func (r *registerScreen) save(in models.CarrierForm) {
	cs, err := r.m.b.Register(r.m.sess, in)
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
	if len(cs) == 0 {
		return ""
	}
	first, last := cs[0], cs[len(cs)-1]
	no := func(c models.Carrier) string {
		if c.CopyNo == 0 {
			return "无份号"
		}
		return "份号 " + c.CopyNoText()
	}
	var msg string
	if len(cs) == 1 {
		msg = fmt.Sprintf("已登记 1 份：%s（%s，%s）", first.RegNo, first.Marking(), no(first))
	} else {
		msg = fmt.Sprintf("已登记 %d 份：%s 至 %s（%s，%s 至 %s）", len(cs), first.RegNo, last.RegNo,
			first.Marking(), no(first), no(last))
	}
	// A received 涉密公文 bears a 份号 (党政机关公文处理工作条例 第九条): a
	// missing one is a defect of the document worth noting, never a refusal.
	if first.CopyNo == 0 && first.Direction == models.DirIncoming && first.Level.IsStateSecret() && first.DocNumber != "" {
		msg += "。注意：涉密公文应当标注份号，这份文件没有份号，可在备注中记下并告知来文单位"
	}
	return msg
}
