package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app/backup"
)

// recoveryPane is the security officer's 备份恢复密钥 tab: the key without
// which no backup can be read. Backups are made for it by the system
// administrator alone; reading one back needs both of them.
type recoveryPane struct {
	s *Shell

	status       *widget.Label
	pass, again  *entry
	generated    *widget.Label
	set, gen     *widget.Button
	check        *entry
	checkBtn     *widget.Button
	msg, checked statusLine

	content fyne.CanvasObject
}

func newRecoveryPane(s *Shell) *recoveryPane {
	p := &recoveryPane{s: s}
	p.status = widget.NewLabel("正在读取…")
	p.status.Wrapping = fyne.TextWrapWord
	p.pass, p.again, p.check = newPasswordEntry(), newPasswordEntry(), newPasswordEntry()
	p.again.OnSubmitted = func(string) { p.onSet() }
	p.check.OnSubmitted = func(string) { p.onCheck() }
	p.generated = widget.NewLabel("")
	p.generated.TextStyle = fyne.TextStyle{Bold: true}
	p.generated.Selectable = true
	p.generated.Hide()
	p.gen = widget.NewButtonWithIcon("生成口令", theme.ViewRefreshIcon(), func() {
		pw := backup.GeneratePassphrase()
		p.pass.SetText(pw)
		p.again.SetText(pw)
		p.generated.SetText("请抄下这个恢复口令，由您本人保管：" + pw)
		p.generated.Show()
	})
	p.set = widget.NewButtonWithIcon("设置恢复密钥", theme.ConfirmIcon(), p.onSet)
	p.set.Importance = widget.HighImportance
	p.checkBtn = widget.NewButtonWithIcon("核对", theme.SearchIcon(), p.onCheck)
	p.msg, p.checked = newStatusLine(), newStatusLine()
	p.content = container.NewVScroll(leftColumn(760, container.NewVBox(
		p.status,
		note("备份由系统管理员一人即可完成，但解开备份须两人：系统管理员的备份口令和您的恢复口令。"+
			"恢复口令只有您知道，程序不保存它；忘记它，之后的备份都无法恢复。更换恢复密钥后，以前的备份仍须用原来的恢复口令。"),
		widget.NewCard("设置或更换恢复密钥", "", container.NewVBox(
			formOf([2]fyne.CanvasObject{widget.NewLabel("恢复口令"), p.pass},
				[2]fyne.CanvasObject{widget.NewLabel("再输入一次"), p.again}),
			container.NewHBox(p.gen, p.set), p.generated, p.msg.Label,
			note("恢复口令至少 16 个字符。"))),
		widget.NewCard("核对恢复口令", "确认您记得的口令能解开现在的恢复密钥", container.NewVBox(
			formOf([2]fyne.CanvasObject{widget.NewLabel("恢复口令"), container.NewBorder(nil, nil, nil, p.checkBtn, p.check)}),
			p.checked.Label)),
	)))
	p.load()
	return p
}

func (p *recoveryPane) load() {
	s, sess := p.s, p.s.sess
	s.env.run(func() {
		st, err := s.svc.RecoveryKeyStatus(sess)
		fyne.Do(func() {
			switch {
			case err != nil:
				p.status.SetText("读不出恢复密钥的状态")
			case st.ID == "":
				p.status.Importance = widget.DangerImportance
				p.status.SetText("还没有设置恢复密钥：系统管理员在设置之前不能备份。")
			default:
				p.status.Importance = widget.MediumImportance
				p.status.SetText("备份恢复密钥 " + st.ID + "（设置于 " + st.SetOn + "）：新的备份都为它而做。")
			}
			p.status.Refresh()
		})
	})
}

func (p *recoveryPane) onSet() {
	err := p.s.svc.SetRecoveryKey(p.s.sess, p.pass.Text, p.again.Text)
	p.pass.SetText("")
	p.again.SetText("")
	if err != nil {
		if msg, ok := accountError(err); ok {
			p.msg.fail(msg)
			return
		}
		p.s.unexpected("设置恢复密钥", err)
		return
	}
	p.generated.Hide()
	p.generated.SetText("")
	p.msg.ok("已设置恢复密钥：之后的备份都须您的恢复口令才能解开。")
	p.load()
}

func (p *recoveryPane) onCheck() {
	err := p.s.svc.CheckRecoveryPassphrase(p.s.sess, p.check.Text)
	p.check.SetText("")
	if err != nil {
		if msg, ok := accountError(err); ok {
			p.checked.fail(msg)
			return
		}
		p.s.unexpected("核对恢复口令", err)
		return
	}
	p.checked.ok("口令正确，能解开现在的恢复密钥。")
}
