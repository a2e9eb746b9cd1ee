package ui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// handoverLine is a handover list as the list shows it: 单号, 移交人 → 接收人, 日期.
func handoverLine(h models.Handover) string {
	return fmt.Sprintf("%s  %s → %s  %s", h.SlipNo, h.From, h.To, h.HandedOn)
}

// handoverItemCells is one carrier of a handover list: 序号, 登记号, 密级, 交接时状态.
func handoverItemCells(i int, it models.HandoverItem) []string {
	return []string{fmt.Sprint(i + 1), it.RegNo, it.Level.String(), it.State.String()}
}

var handoverColumns = []string{"序号", "登记号", "密级", "交接时状态"}

// handoverScreen is the clerk's 交接 tab (R5): on a job change everything a
// custodian holds goes to their successor on one handover list. On the left
// the handover being recorded (移交人 from the custodians the register knows,
// with how many carriers will move) and the past handovers; on the right the
// list of the selected handover.
type handoverScreen struct {
	m     *MainUI
	fresh fresh          // what the lists were last read from
	print *widget.Button // 打印 the form shown

	held     map[string]app.InspectionDue // what each custodian holds, by name
	rows     []models.Handover
	gen      generation // answers to an older load are dropped
	selected string     // the handover shown on the right, "" for none
	shown    models.Handover
	items    []models.HandoverItem

	from     *widget.Select
	to       *choiceEntry
	witness  *choiceEntry
	note     *entry
	date     *entry
	only     *entry         // 只移交: the 登记号 of a part, blank for everything
	temp     *widget.Check  // 临时交接 for leave
	back     *entry         // its 收回日期
	giveBack *widget.Button // 收回 the temporary handover shown
	backDlg  *handoverBackDialog
	moving   *widget.Label // 将移交 N 件
	msgs     *fieldMessages
	save     *widget.Button
	result   statusLine
	list     *widget.List
	left     *fyne.Container
	right    *fyne.Container
	content  fyne.CanvasObject

	// The selected handover.
	heading *widget.Label
	info    *widget.Label
	grid    *fyne.Container
	view    fyne.CanvasObject

	confirm *dialog.ConfirmDialog // the open confirmation, if any
	people  map[string]bool       // the names the register knows (Service.People)
}

func newHandoverScreen(m *MainUI) *handoverScreen {
	s := &handoverScreen{m: m, held: map[string]app.InspectionDue{},
		fresh: newFresh(byDay, app.ChangeHandovers, app.ChangeInspections, app.ChangeCarriers, app.ChangeMovements, app.ChangePeople, app.ChangeSettings)}
	s.buildUI()
	return s
}

func (s *handoverScreen) buildUI() {
	s.from = widget.NewSelect(nil, s.onFrom)
	s.from.PlaceHolder = "选择移交人（现责任人）"
	s.to = newChoiceEntry(nil)
	s.to.SetPlaceHolder("接收人（新责任人）的姓名")
	s.witness = s.m.newPersonEntry(nil)
	s.witness.SetPlaceHolder("必填：移交人、接收人以外的第三人")
	s.only = newEntry()
	s.only.SetPlaceHolder("空白为全部；只交一部分时输入或扫描登记号，以空格或逗号分隔")
	s.back = newEntry()
	s.back.SetPlaceHolder("年-月-日")
	s.back.Disable()
	s.temp = widget.NewCheck("临时交接（休假、出差等，到期收回）", func(on bool) {
		if on {
			s.back.Enable()
		} else {
			s.back.SetText("")
			s.back.Disable()
		}
	})
	s.note = newEntry()
	s.note.SetPlaceHolder("例如“岗位调整”")
	s.date = newEntry()
	s.date.SetPlaceHolder("年-月-日，空白为今天")
	s.moving = widget.NewLabel("")
	s.moving.Wrapping = fyne.TextWrapWord
	s.msgs = newFieldMessages()
	s.save = widget.NewButtonWithIcon("交接", theme.ConfirmIcon(), s.onSave)
	s.save.Importance = widget.HighImportance
	s.result = newStatusLine()
	title := widget.NewLabel("登记交接")
	title.TextStyle.Bold = true
	// 交接 sits on the title's line: messages appearing under the fields
	// never move it from under the pointer.
	form := container.NewVBox(container.NewBorder(nil, nil, nil, s.save, title), s.msgs.top, formOf(
		s.msgs.row(app.FieldHandoverFrom, "移交人", s.from),
		[2]fyne.CanvasObject{widget.NewLabel("移交载体"), s.moving},
		s.msgs.row(app.FieldHandoverItems, "只移交", s.only),
		s.msgs.row(app.FieldHandoverTo, "接收人", s.to),
		s.msgs.row(app.FieldHandoverWitness, "监交人", s.witness),
		s.msgs.row(app.FieldHandoverOn, "交接日期", s.date),
		s.msgs.row(app.FieldHandoverNote, "备注", s.note),
		s.msgs.row(app.FieldHandoverReturnOn, "", container.NewBorder(nil, nil, s.temp, nil, s.back)),
	), note("在库、借出、外出携带、传阅中的载体一并移交（或只交所列登记号），逐件记入处理记录；责任人只能通过交接变更。"), s.result.Label)
	s.msgs.frame = form
	s.list = widget.NewList(
		func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			return widget.NewLabel("交〔2026〕0000  张三三 → 李四四  2026-01-01")
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(s.rows) {
				o.(*widget.Label).SetText(handoverLine(s.rows[id]))
			}
		})
	s.list.OnSelected = s.onSelect
	past := widget.NewLabel("交接记录")
	past.TextStyle.Bold = true
	s.left = container.NewBorder(container.NewVBox(form, widget.NewSeparator(), past), nil, nil, nil, s.list)

	s.heading = widget.NewLabel("")
	s.heading.TextStyle.Bold = true
	s.info = widget.NewLabel("")
	s.info.Wrapping = fyne.TextWrapWord
	s.grid = container.New(layout.NewGridLayout(len(handoverColumns)))
	s.print = widget.NewButtonWithIcon("打印交接清单", theme.DocumentPrintIcon(), func() {
		if s.shown.SlipNo != "" {
			s.m.printForm(app.FormHandover, s.shown.SlipNo)
		}
	})
	s.giveBack = widget.NewButtonWithIcon("收回临时交接", theme.MailReplyIcon(), s.onGiveBack)
	s.giveBack.Hide()
	s.view = container.NewVScroll(container.NewVBox(container.NewBorder(nil, nil, nil,
		container.NewHBox(s.giveBack, s.print), s.heading), s.info,
		widget.NewLabel("交接清单"), s.grid))
	s.right = container.NewStack(s.placeholder())
	split := container.NewHSplit(s.left, s.right)
	split.Offset = 0.45
	s.content = split
	s.onFrom("")
}

func (s *handoverScreen) placeholder() fyne.CanvasObject {
	l := newCJKText("在左侧登记交接，或选择一次交接查看交接清单。")
	return l
}

// reload loads the custodians and the handovers off the UI goroutine.
func (s *handoverScreen) reload() {
	stale := s.gen.next()
	m := s.m
	var due []app.InspectionDue
	var rows []models.Handover
	var people []string
	m.loadFresh(&s.fresh, func() (err error) {
		if due, err = m.b.InspectionsDue(m.sess, time.Time{}, nil); err == nil {
			rows, err = m.b.Handovers(m.sess)
		}
		if err == nil {
			people, err = m.b.People(m.sess)
		}
		return err
	}, stale, s.result, "读取交接记录", func() {
		s.applyLists(due, rows)
		s.to.SetOptions(people) // the receiver is picked from the people the register knows
		s.people = make(map[string]bool, len(people))
		for _, p := range people {
			s.people[p] = true
		}
		if s.selected != "" {
			s.showHandover(s.selected)
		}
	})
}

func (s *handoverScreen) applyLists(due []app.InspectionDue, rows []models.Handover) {
	s.held = make(map[string]app.InspectionDue, len(due))
	names := make([]string, 0, len(due))
	for _, d := range due {
		s.held[d.Custodian] = d
		names = append(names, d.Custodian)
	}
	sort.Strings(names)
	s.from.Options = names
	if _, ok := s.held[s.from.Selected]; !ok && s.from.Selected != "" {
		s.from.ClearSelected()
	}
	s.from.Refresh()
	if s.date.Text == "" {
		s.date.SetText(s.m.today())
	}
	s.onFrom(s.from.Selected)
	s.rows = rows
	s.list.UnselectAll()
	s.list.Refresh()
	for i, r := range rows {
		if r.ID == s.selected {
			s.list.Select(i)
		}
	}
	s.left.Refresh()
}

// onFrom shows how many carriers the chosen custodian will hand over.
func (s *handoverScreen) onFrom(name string) {
	d, ok := s.held[name]
	switch {
	case name == "":
		s.moving.SetText("请先选择移交人")
		s.moving.Importance = widget.MediumImportance
	case !ok:
		s.moving.SetText(name + " 名下没有在册载体")
		s.moving.Importance = widget.MediumImportance
	default:
		t := fmt.Sprintf("将移交 %d 件（最高密级 %s）", d.Held, d.HighestLevel)
		s.moving.Importance = widget.MediumImportance
		if d.Open {
			t += "；其自查尚未完成，须完成后才能交接"
			s.moving.Importance = widget.WarningImportance
		}
		s.moving.SetText(t)
	}
	s.moving.Refresh()
}

func (s *handoverScreen) read() (app.HandoverInput, bool) {
	in := app.HandoverInput{From: s.from.Selected, To: s.to.Text, Witness: s.witness.Text, Note: s.note.Text,
		On: s.date.Text, Temporary: s.temp.Checked, ReturnOn: s.back.Text}
	for _, no := range strings.FieldsFunc(models.NormalizeWidth(s.only.Text), func(r rune) bool {
		return r == ' ' || r == ',' || r == '，' || r == '、' || r == ';' || r == '；'
	}) {
		c, err := s.m.b.GetByRegNo(s.m.sess, no)
		if err != nil {
			s.msgs.add(app.FieldHandoverItems, "登记簿中没有登记号 "+no+"，请检查后再交接")
			return in, false
		}
		in.CarrierIDs = append(in.CarrierIDs, c.ID)
	}
	return in, true
}

// onSave asks to confirm the handover, naming how many carriers move.
func (s *handoverScreen) onSave() {
	s.m.touch()
	s.msgs.clear()
	s.result.clear()
	in, ok := s.read()
	if !ok {
		return
	}
	n := s.held[in.From].Held
	if in.From == "" {
		s.handOver(in) // nothing to confirm: the domain says what is missing
		return
	}
	what := fmt.Sprintf("%d 件载体全部", n)
	if len(in.CarrierIDs) > 0 {
		what = fmt.Sprintf("载体中所列 %d 件", len(in.CarrierIDs))
	}
	kind := "移交给"
	if in.Temporary {
		kind = "临时交给"
	}
	msg := fmt.Sprintf("将 %s 保管的 %s%s %s？\n交接后责任人随之变更，交接清单永久保留。", in.From, what, kind, in.To)
	if to := strings.TrimSpace(in.To); to != "" && s.people != nil && !s.people[to] {
		msg += fmt.Sprintf("\n\n注意：登记簿中还没有“%s”这个人，交接后将成为新的责任人。如果是输入错误，请取消后按 ↓ 从名单中选择。", to)
	}
	s.confirm = dialog.NewConfirm("确认交接", msg, func(ok bool) {
		s.confirm = nil
		if ok {
			s.handOver(in)
		}
	}, s.m.win)
	s.confirm.SetConfirmText("确认交接")
	s.confirm.SetDismissText("取消")
	s.confirm.Show()
}

// handOver records the handover; the domain says whether it may be.
func (s *handoverScreen) handOver(in app.HandoverInput) {
	m := s.m
	h, items, err := m.b.Handover(m.sess, in)
	if err != nil {
		s.msgs.explain(err, "登记交接", m.unexpected)
		return
	}
	s.result.ok(fmt.Sprintf("已登记交接清单 %s：%s 移交 %s，共 %d 件。", h.SlipNo, h.From, h.To, len(items)))
	s.from.ClearSelected()
	s.to.SetText("")
	s.witness.SetText("")
	s.note.SetText("")
	s.only.SetText("")
	s.temp.SetChecked(false)
	s.selected = h.ID
	s.reload()
	m.changed()
}

func (s *handoverScreen) onSelect(id widget.ListItemID) {
	if id < 0 || id >= len(s.rows) {
		return
	}
	s.m.touch()
	if h := s.rows[id].ID; h != s.selected || s.shown.ID != h {
		s.showHandover(h)
	}
}

// showHandover loads handover id's list and shows it on the right.
func (s *handoverScreen) showHandover(id string) {
	s.selected = id
	var h models.Handover
	for _, r := range s.rows {
		if r.ID == id {
			h = r
		}
	}
	if h.ID == "" {
		return
	}
	m := s.m
	var items []models.HandoverItem
	m.loadThen(func() (err error) { items, err = m.b.HandoverItems(m.sess, id); return err },
		func() bool { return s.selected != id }, s.result, "读取交接清单", func() { s.apply(h, items) })
}

func (s *handoverScreen) apply(h models.Handover, items []models.HandoverItem) {
	s.shown, s.items = h, items
	s.heading.SetText(fmt.Sprintf("交接清单 %s  共 %d 件", h.SlipNo, len(items)))
	info := fmt.Sprintf("移交人：%s  接收人：%s", h.From, h.To)
	if h.Witness != "" {
		info += "  监交人：" + h.Witness
	}
	info += fmt.Sprintf("\n交接日期：%s（%s 登记）", h.HandedOn, h.CreatedBy)
	s.giveBack.Hide()
	if h.Temporary {
		info += "\n临时交接，收回日期：" + h.ReturnOn
		if s.openTemporary(h.ID) {
			s.giveBack.Show()
		} else {
			info += "（已收回）"
		}
	}
	if h.Note != "" {
		info += "\n备注：" + h.Note
	}
	s.info.SetText(info)
	cells := make([]fyne.CanvasObject, 0, len(handoverColumns)*(len(items)+1))
	for _, c := range handoverColumns {
		l := widget.NewLabel(c)
		l.TextStyle.Bold = true
		cells = append(cells, l)
	}
	for i, it := range items {
		for _, t := range handoverItemCells(i, it) {
			cells = append(cells, widget.NewLabel(t))
		}
	}
	s.grid.Objects = cells
	s.grid.Refresh()
	s.right.Objects = []fyne.CanvasObject{s.view}
	s.right.Refresh()
}

// openTemporary reports whether temporary handover id is not yet given back.
func (s *handoverScreen) openTemporary(id string) bool {
	for _, r := range s.rows {
		if r.EndsID != nil && *r.EndsID == id {
			return false
		}
	}
	return true
}

// handoverBackDialog gives back a temporary handover, with its 监交人 (R27).
type handoverBackDialog struct {
	witness *choiceEntry
	date    *entry
	msgs    *fieldMessages
	save    *widget.Button
	dlg     *dialog.CustomDialog
}

func (s *handoverScreen) onGiveBack() {
	h := s.shown
	d := &handoverBackDialog{witness: s.m.newPersonEntry(nil), date: newEntry(), msgs: newFieldMessages()}
	d.witness.SetPlaceHolder("必填：双方以外的第三人")
	d.date.SetText(s.m.today())
	body := container.NewVBox(newCJKText(fmt.Sprintf("收回临时交接 %s：%s 仍保管的载体全部交还 %s。", h.SlipNo, h.To, h.From)),
		d.msgs.top, formOf(d.msgs.row(app.FieldHandoverWitness, "监交人", d.witness),
			d.msgs.row(app.FieldHandoverOn, "收回日期", container.New(widthLayout{160}, d.date)),
			[2]fyne.CanvasObject{widget.NewLabel(""), d.msgs.line(app.FieldHandoverItems)}))
	d.msgs.frame = body
	closeIt := func() { d.dlg.Hide(); s.backDlg = nil }
	d.dlg, d.save = newFormDialog(s.m.win, "收回临时交接", body, "收回", theme.ConfirmIcon(), func() {
		d.msgs.clear()
		back, items, err := s.m.b.ReturnHandover(s.m.sess, h.ID, d.witness.Text, d.date.Text)
		if err != nil {
			d.msgs.explain(err, "收回临时交接", s.m.unexpected)
			return
		}
		closeIt()
		s.result.ok(fmt.Sprintf("已收回：交接清单 %s，%s 交还 %s，共 %d 件。", back.SlipNo, back.From, back.To, len(items)))
		s.selected = back.ID
		s.reload()
		s.m.changed()
	}, closeIt, fyne.NewSize(560, 320))
	s.backDlg = d
	d.dlg.Show()
}
