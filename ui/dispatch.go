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

// dispatchData is what the detail shows of an outgoing document's 印制 and
// 分发 (R25), read with the carrier.
type dispatchData struct {
	printing *models.Printing
	class    *models.Classification
	lines    []models.DispatchLine
	sendings []app.SendingRow
}

func loadDispatchData(m *MainUI, c models.Carrier) (dispatchData, error) {
	var d dispatchData
	if c.Direction != models.DirOutgoing || c.IsCopy {
		return d, nil
	}
	var err error
	if d.printing, err = m.b.PrintingOf(m.sess, c.ID); err != nil {
		return d, err
	}
	if d.lines, err = m.b.DispatchLines(m.sess, c.ID); err != nil {
		return d, err
	}
	d.sendings, err = m.b.SendingsOf(m.sess, c.ID)
	return d, err
}

// dispatchSection is the detail's 印制与分发 of one of the office's own
// documents (R25): its printing, its 分送范围 with what was sent on each
// line, every copy sent with its 签收 or 回执, and the button for the next
// step (登记印制, then 分发).
type dispatchSection struct {
	d    *detailView
	c    models.Carrier
	data dispatchData

	act      *widget.Button // the next step, among the detail's acts
	plan     *widget.Button // 增加分送单位
	send     *widget.Button // 分发
	print    *widget.Button // 打印分发登记表
	line     *cjkText       // the printing
	lines    *fyne.Container
	sendings *fyne.Container
	result   statusLine
	content  fyne.CanvasObject

	receipt map[string]*widget.Button // 登记回执 by 份号, for tests and keys
	back    map[string]*widget.Button // 误发退回 by 份号
	dlg     *formDlg                  // the open dialog, if any

	// The dialogs last opened, each with its fields.
	printing  *printingDlg
	planning  *lineDlg
	sending   *sendDlg
	receiving *receiptDlg
	returning *returnDlg
}

func newDispatchSection(d *detailView) *dispatchSection {
	s := &dispatchSection{d: d}
	s.act = widget.NewButtonWithIcon("登记印制", theme.DocumentPrintIcon(), s.onAct)
	s.act.Hide()
	s.plan = widget.NewButtonWithIcon("增加分送单位", theme.ContentAddIcon(), s.onPlan)
	s.send = widget.NewButtonWithIcon("分发", theme.MailSendIcon(), s.onSend)
	s.print = widget.NewButtonWithIcon("打印分发登记表", theme.DocumentPrintIcon(), func() {
		s.d.m.printForm(app.FormDispatch, s.c.RegNo)
	})
	s.line = newCJKText("")
	s.lines = container.NewVBox()
	s.sendings = container.NewVBox()
	s.result = newStatusLine()
	title := widget.NewLabel("印制与分发")
	title.TextStyle.Bold = true
	tools := container.NewHBox(s.plan, s.send, s.print)
	s.content = container.NewVBox(title, tools, s.line, s.lines, s.sendings)
	s.content.Hide()
	return s
}

// printingLine describes a 印制 record in one line.
func printingLine(p *models.Printing) string {
	line := fmt.Sprintf("印制 %s  印数 %d  份号 %s  %s  %s", p.SlipNo, p.Copies, p.RangeText(), p.Printer, p.PrintedOn)
	if p.Spoiled+p.Proofs > 0 {
		line += fmt.Sprintf("  废页 %d 张、校样 %d 份已列入销毁单", p.Spoiled, p.Proofs)
	}
	return line
}

// sendingLine describes one copy sent.
func sendingLine(x app.SendingRow) string {
	line := fmt.Sprintf("份号 %s → %s  %s  %s  经手人 %s", models.FormatCopyNo(x.CopyNo), x.Recipient, x.Channel,
		x.SentOn, x.Handler)
	if x.Sealed {
		line += "  密封"
	}
	switch {
	case x.ReturnedOn != "":
		line += fmt.Sprintf("  误发退回 %s（%s）", x.ReturnedOn, x.ReturnNote)
	case x.ReceiptOn != "":
		line += fmt.Sprintf("  %s %s %s", x.Receipt, x.ReceiptNo, x.ReceiptOn)
	default:
		line += "  待签收/回执"
	}
	return line
}

// needsClass reports whether the document still waits for its 定密 (R24).
func (s *dispatchSection) needsClass() bool {
	return s.c.Level.IsStateSecret() && (s.data.class == nil || s.data.class.State != models.ClassApproved)
}

func (s *dispatchSection) apply(c models.Carrier, data dispatchData) {
	s.c, s.data = c, data
	if c.Direction != models.DirOutgoing || c.IsCopy {
		s.act.Hide()
		s.content.Hide()
		return
	}
	s.content.Show()
	s.act.Show()
	printed := data.printing != nil || c.Kind != models.KindPaper
	switch {
	case data.printing != nil:
		s.line.SetText(printingLine(data.printing))
	case c.Kind != models.KindPaper:
		s.line.SetText("电子载体不登记印制，可直接分发。")
	case s.needsClass():
		s.line.SetText("尚未登记印制：须先经定密责任人审定定密。")
	default:
		s.line.SetText("尚未登记印制：登记印数、份号和废页、校样后才能分发。")
	}
	if printed {
		s.act.SetText("分发")
		s.act.SetIcon(theme.MailSendIcon())
	} else {
		s.act.SetText("登记印制")
		s.act.SetIcon(theme.DocumentPrintIcon())
	}
	remaining := 0
	rows := make([]fyne.CanvasObject, 0, len(data.lines)+1)
	if len(data.lines) > 0 {
		rows = append(rows, widget.NewLabel("分送范围"))
	}
	for _, l := range data.lines {
		remaining += l.Copies - l.Sent
		rows = append(rows, newCJKText(fmt.Sprintf("%d. %s  %d 份  %s  已分发 %d 份", l.Ord, l.Recipient, l.Copies,
			l.Channel, l.Sent)))
	}
	s.lines.Objects = rows
	s.lines.Refresh()
	s.receipt, s.back = map[string]*widget.Button{}, map[string]*widget.Button{}
	sent := make([]fyne.CanvasObject, 0, len(data.sendings))
	for _, x := range data.sendings {
		text := newCJKText(sendingLine(x))
		if !x.Outstanding() {
			sent = append(sent, text)
			continue
		}
		x := x
		no := models.FormatCopyNo(x.CopyNo)
		rb := widget.NewButton("登记回执", func() { s.onReceipt(x) })
		bb := widget.NewButton("误发退回", func() { s.onReturn(x) })
		if x.ReturnedOn != "" {
			rb.Disable()
		}
		s.receipt[no], s.back[no] = rb, bb
		sent = append(sent, container.NewBorder(nil, nil, nil, container.NewHBox(rb, bb), text))
	}
	s.sendings.Objects = sent
	s.sendings.Refresh()
	enable := func(b *widget.Button, on bool) {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	live := c.State.Held() || c.State == models.StateSent
	enable(s.plan, live)
	enable(s.send, live && printed && remaining > 0 && !s.needsClass())
	enable(s.act, live && !s.needsClass() && (!printed || remaining > 0 || len(data.lines) == 0))
	enable(s.print, len(data.lines) > 0 || len(data.sendings) > 0)
}

func (s *dispatchSection) onAct() {
	switch {
	case !s.d.loaded:
	case s.data.printing == nil && s.c.Kind == models.KindPaper:
		s.onPrinting()
	case len(s.data.lines) == 0:
		s.onPlan()
	default:
		s.onSend()
	}
}

// formDlg is a small dialog of fields whose main button calls the domain
// and, once it accepts, closes and shows the carrier again.
type formDlg struct {
	msgs *fieldMessages
	save *widget.Button
	dlg  *dialog.CustomDialog
}

func (s *dispatchSection) openForm(title, intro, okText string, msgs *fieldMessages, rows [][2]fyne.CanvasObject,
	do func() (string, error)) *formDlg {
	return s.d.openForm(s.result, &s.dlg, title, intro, okText, msgs, rows, do)
}

// openForm opens a formDlg of the detail, kept in *slot while it is open;
// once do accepts, the dialog closes, result says what was done, and the
// carrier shows again.
func (d *detailView) openForm(result statusLine, slot **formDlg, title, intro, okText string, msgs *fieldMessages,
	rows [][2]fyne.CanvasObject, do func() (string, error)) *formDlg {
	m := d.m
	f := &formDlg{msgs: msgs}
	body := container.NewVBox(newCJKText(intro), f.msgs.top, formOf(rows...))
	f.msgs.frame = body
	closeIt := func() {
		f.dlg.Hide()
		if *slot == f {
			*slot = nil
		}
	}
	f.dlg, f.save = newFormDialog(m.win, title, body, okText, theme.DocumentSaveIcon(), func() {
		f.msgs.clear()
		done, err := do()
		if err != nil {
			f.msgs.explain(err, title, m.unexpected)
			return
		}
		if done == "" { // a problem the dialog itself found and showed
			return
		}
		closeIt()
		result.ok(done)
		d.show(d.carrier.ID)
		m.changed()
	}, closeIt, fyne.NewSize(640, 460))
	result.clear()
	*slot = f
	f.dlg.Show()
	return f
}

// intField reads a whole number typed in e; blank reads as 0.
func intField(e *entry) (int, bool) {
	t := strings.TrimSpace(models.NormalizeWidth(e.Text))
	if t == "" {
		return 0, true
	}
	n, err := strconv.Atoi(t)
	return n, err == nil
}

// printingDlg records the 印制 of the document.
type printingDlg struct {
	*formDlg
	copies, printer, on, spoiled, proofs *entry
}

func (s *dispatchSection) onPrinting() *printingDlg {
	m := s.d.m
	p := &printingDlg{copies: newEntry(), printer: newEntry(), on: newEntry(), spoiled: newEntry(), proofs: newEntry()}
	p.copies.SetText(strconv.Itoa(s.c.CopyCount))
	p.on.SetText(m.today())
	p.spoiled.SetText("0")
	p.proofs.SetText("0")
	p.printer.SetPlaceHolder("文印室经办人或承印单位")
	msgs := newFieldMessages()
	narrow := func(e *entry) fyne.CanvasObject { return container.New(widthLayout{160}, e) }
	rows := [][2]fyne.CanvasObject{
		msgs.row(app.FieldPrintCopies, "印数（份）", narrow(p.copies)),
		msgs.row(app.FieldPrinter, "印制人/承印单位", p.printer),
		msgs.row(app.FieldPrintedOn, "印制日期", narrow(p.on)),
		msgs.row(app.FieldSpoiled, "废页（张）", narrow(p.spoiled)),
		{widget.NewLabel("校样（份）"), narrow(p.proofs)},
	}
	intro := fmt.Sprintf("%s《%s》 %s，登记 %d 份。印数须与登记的份数一致；废页和校样随即列入销毁单，按销毁审批办理。",
		s.c.RegNo, s.c.Title, s.c.Marking(), s.c.CopyCount)
	p.formDlg = s.openForm("登记印制", intro, "保存", msgs, rows, func() (string, error) {
		copies, ok1 := intField(p.copies)
		spoiled, ok2 := intField(p.spoiled)
		proofs, ok3 := intField(p.proofs)
		if !ok1 || !ok2 || !ok3 {
			msgs.add(app.FieldSpoiled, "印数、废页和校样请填写整数")
			return "", nil
		}
		r, err := m.b.RecordPrinting(m.sess, app.PrintingInput{CarrierID: s.c.ID, Copies: copies,
			Printer: p.printer.Text, PrintedOn: p.on.Text, Spoiled: spoiled, Proofs: proofs})
		if err != nil {
			return "", err
		}
		done := fmt.Sprintf("已登记印制 %s：印数 %d，份号 %s。", r.SlipNo, r.Copies, r.RangeText())
		if r.DestructionID != nil {
			done += "废页、校样已列入销毁单，请在“销毁”中办理。"
		}
		return done, nil
	})
	s.printing = p
	return p
}

// lineDlg adds a line to the 分送范围.
type lineDlg struct {
	*formDlg
	recipient, copies *entry
	channel           *widget.Select
}

func channelNames() []string {
	out := make([]string, len(models.Channels))
	for i, c := range models.Channels {
		out[i] = string(c)
	}
	return out
}

func (s *dispatchSection) onPlan() {
	s.openPlan()
}

func (s *dispatchSection) openPlan() *lineDlg {
	m := s.d.m
	l := &lineDlg{recipient: newEntry(), copies: newEntry(), channel: widget.NewSelect(channelNames(), nil)}
	l.copies.SetText("1")
	l.channel.SetSelected(string(models.ChannelCourier))
	msgs := newFieldMessages()
	rows := [][2]fyne.CanvasObject{
		msgs.row(app.FieldRecipient, "收文单位", l.recipient),
		msgs.row(app.FieldLineCopies, "份数", container.New(widthLayout{160}, l.copies)),
		msgs.row(app.FieldChannel, "渠道", l.channel),
	}
	intro := fmt.Sprintf("%s《%s》 %s。绝密级文件不得经机要文件交换站传递；机密、秘密级经交换站的限于本市范围。",
		s.c.RegNo, s.c.Title, s.c.Marking())
	l.formDlg = s.openForm("增加分送单位", intro, "保存", msgs, rows, func() (string, error) {
		n, ok := intField(l.copies)
		if !ok {
			msgs.add(app.FieldLineCopies, "份数请填写整数")
			return "", nil
		}
		r, err := m.b.AddDispatchLine(m.sess, app.DispatchLineInput{CarrierID: s.c.ID, Recipient: l.recipient.Text,
			Copies: n, Channel: models.Channel(l.channel.Selected)})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("已列入分送范围：%s %d 份，%s。", r.Recipient, r.Copies, r.Channel), nil
	})
	s.planning = l
	return l
}

// sendDlg sends copies to the recipient of one line.
type sendDlg struct {
	*formDlg
	line    *widget.Select
	lines   []models.DispatchLine
	copies  *widget.CheckGroup
	ids     map[string]string // 份号 shown → carrier id
	on      *entry
	handler *choiceEntry
	sealed  *widget.Check
}

func (s *dispatchSection) onSend() { s.openSend() }

func (s *dispatchSection) openSend() *sendDlg {
	m := s.d.m
	x := &sendDlg{copies: widget.NewCheckGroup(nil, nil), ids: map[string]string{}, on: newEntry(), handler: m.newPersonEntry(nil)}
	x.copies.Horizontal = true
	var names []string
	for _, l := range s.data.lines {
		if l.Copies > l.Sent {
			x.lines = append(x.lines, l)
			names = append(names, fmt.Sprintf("%s（%s，还有 %d 份未发）", l.Recipient, l.Channel, l.Copies-l.Sent))
		}
	}
	x.line = widget.NewSelect(names, nil)
	if len(names) > 0 {
		x.line.SetSelectedIndex(0)
	}
	x.on.SetText(m.today())
	x.handler.SetText(m.sess.FullName)
	x.sealed = widget.NewCheck("已装入密封的专用信封（绝密）", nil)
	if s.c.Level != models.LevelTopSecret {
		x.sealed.Hide()
	}
	msgs := newFieldMessages()
	rows := [][2]fyne.CanvasObject{
		msgs.row(app.FieldRecipient, "分送单位", x.line),
		msgs.row(app.FieldSendCopies, "份号", container.NewHScroll(x.copies)),
		msgs.row(app.FieldSentOn, "分发日期", container.New(widthLayout{160}, x.on)),
		msgs.row(app.FieldHandler, "经手人", x.handler),
		msgs.row(app.FieldSealed, "", x.sealed),
	}
	intro := fmt.Sprintf("%s《%s》 %s。分发的份离开本机关的在册数；存档份留在库中。", s.c.RegNo, s.c.Title, s.c.Marking())
	s.sending = x
	x.formDlg = s.openForm("分发", intro, "分发", msgs, rows, func() (string, error) {
		i := x.line.SelectedIndex()
		if i < 0 || i >= len(x.lines) {
			msgs.add(app.FieldRecipient, "请先在分送范围中增加分送单位")
			return "", nil
		}
		var ids []string
		for _, no := range x.copies.Selected {
			ids = append(ids, x.ids[no])
		}
		out, err := m.b.Send(m.sess, app.SendInput{LineID: x.lines[i].ID, CarrierIDs: ids, SentOn: x.on.Text,
			Handler: x.handler.Text, Sealed: x.sealed.Checked})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("已分发 %d 份至%s，待签收或回执。", len(out), x.lines[i].Recipient), nil
	})
	m.env.run(func() {
		cs, err := m.b.Unsent(m.sess, s.c.ID)
		fyne.Do(func() {
			if err != nil {
				msgs.explain(err, "读取在库的份", m.unexpected)
				return
			}
			opts := make([]string, 0, len(cs))
			for _, c := range cs {
				no := c.CopyNoText()
				if no == "" {
					no = c.RegNo
				}
				x.ids[no] = c.ID
				opts = append(opts, no)
			}
			x.copies.Options = opts
			x.copies.Refresh()
			if len(opts) == 0 {
				msgs.add(app.FieldSendCopies, "没有在库的份可以分发")
			}
		})
	})
	return x
}

// receiptDlg records a 签收 or 回执.
type receiptDlg struct {
	*formDlg
	kind   *widget.RadioGroup
	no, on *entry
}

func (s *dispatchSection) onReceipt(x app.SendingRow) *receiptDlg {
	m := s.d.m
	r := &receiptDlg{kind: widget.NewRadioGroup([]string{string(models.ReceiptSlip), string(models.ReceiptSigned)}, nil),
		no: newEntry(), on: newEntry()}
	r.kind.Horizontal = true
	r.kind.SetSelected(string(models.ReceiptSlip))
	r.no.SetPlaceHolder("回执编号，或签收人姓名")
	r.on.SetText(m.today())
	msgs := newFieldMessages()
	rows := [][2]fyne.CanvasObject{
		{widget.NewLabel("方式"), r.kind},
		msgs.row(app.FieldReceiptNo, "回执编号/签收人", r.no),
		msgs.row(app.FieldReceiptOn, "日期", container.New(widthLayout{160}, r.on)),
	}
	intro := fmt.Sprintf("%s 份号 %s 于 %s 分发至%s（%s）。", x.RegNo, models.FormatCopyNo(x.CopyNo), x.SentOn, x.Recipient, x.Channel)
	s.receiving = r
	r.formDlg = s.openForm("登记签收/回执", intro, "保存", msgs, rows, func() (string, error) {
		got, err := m.b.RecordReceipt(m.sess, app.ReceiptInput{SendingID: x.ID, Kind: models.ReceiptKind(r.kind.Selected),
			No: r.no.Text, On: r.on.Text})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("已登记%s：份号 %s，%s %s。", got.Receipt, models.FormatCopyNo(x.CopyNo), got.ReceiptNo, got.ReceiptOn), nil
	})
	return r
}

// returnDlg records a copy sent in error and taken back.
type returnDlg struct {
	*formDlg
	on, note *entry
}

func (s *dispatchSection) onReturn(x app.SendingRow) *returnDlg {
	m := s.d.m
	r := &returnDlg{on: newEntry(), note: newEntry()}
	r.on.SetText(m.today())
	msgs := newFieldMessages()
	rows := [][2]fyne.CanvasObject{
		msgs.row(app.FieldReceiptOn, "收回日期", container.New(widthLayout{160}, r.on)),
		msgs.row(app.FieldSendReturnNote, "说明", r.note),
	}
	intro := fmt.Sprintf("%s 份号 %s 误发至%s：收回后回到在库，分发记录保留并注明退回。", x.RegNo, models.FormatCopyNo(x.CopyNo), x.Recipient)
	s.returning = r
	r.formDlg = s.openForm("误发退回", intro, "保存", msgs, rows, func() (string, error) {
		if _, err := m.b.ReturnSent(m.sess, x.ID, r.on.Text, r.note.Text); err != nil {
			return "", err
		}
		return fmt.Sprintf("份号 %s 已收回在库。", models.FormatCopyNo(x.CopyNo)), nil
	})
	return r
}
