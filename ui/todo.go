package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// todoItem is one line of the home's 待办: the text and where its button leads.
type todoItem struct {
	key     string // slip number, or the custodian of an inspection due: what tests find it by
	line    string
	overdue bool // shown in red, like the other overdue lines
	open    func(m *MainUI)
}

// todoData is what the 待办 cards show, read together off the UI goroutine.
type todoData struct {
	approvals []todoItem // copy requests and loans awaiting a decision, destruction slips open
	due       []todoItem // custodians whose self-inspection is overdue (R4, R19)
	returns   []todoItem // 清退 slips not yet handed over (R8)
	outgoing  []todoItem // own documents: 待定密, 待分发, 回执逾期 (R24, R25)
	urges     []todoItem // 催阅 and the weekly 催办 of 请示/报告 (R27)
}

// homeOutgoingLimit bounds each of the 发文 lists on the home: the rest is
// counted, and the ledger's filters list them all.
const homeOutgoingLimit = 8

// homeListLimit is how many carriers each of the home's lists of
// overdue and expiring carriers shows: the most urgent, with a line
// counting the rest.
const homeListLimit = 8

// moreLine counts what a home list leaves out: "" when it shows all.
func moreLine(total, shown int, what string) string {
	if total <= shown {
		return ""
	}
	if total >= app.HomeCountCap {
		return fmt.Sprintf("……另有 %d 件以上%s", total-shown, what)
	}
	return fmt.Sprintf("……另有 %d 件%s", total-shown, what)
}

// todoCards are the home's cards of what waits for the clerk besides
// overdue handling, loans and terms: 待审批, 应自查 and 待交接的清退单.
type todoCards struct {
	h   *homeScreen
	gen generation // answers to an older load are dropped

	data        todoData
	approvals   *fyne.Container
	due         *fyne.Container
	returns     *fyne.Container
	outgoing    *fyne.Container
	urges       *fyne.Container
	open        map[string]*widget.Button // 查看 / 去自查 by todoItem.key
	approvalsCd *widget.Card
	dueCd       *widget.Card
	returnsCd   *widget.Card
	outgoingCd  *widget.Card
	urgesCd     *widget.Card
}

func newTodoCards(h *homeScreen) *todoCards {
	t := &todoCards{h: h, open: map[string]*widget.Button{}}
	t.approvals = container.NewVBox(widget.NewLabel("正在读取…"))
	t.due = container.NewVBox(widget.NewLabel("正在读取…"))
	t.returns = container.NewVBox(widget.NewLabel("正在读取…"))
	t.outgoing = container.NewVBox(widget.NewLabel("正在读取…"))
	t.urges = container.NewVBox(widget.NewLabel("正在读取…"))
	t.approvalsCd = widget.NewCard("待审批", "复制、借阅、外出携带申请待登记审批结果，销毁单待审批或待登记销毁", t.approvals)
	t.dueCd = widget.NewCard("应自查", "自查已到期的责任人", t.due)
	t.returnsCd = widget.NewCard("待交接", "清退单尚未交还来文单位；临时交接到期待收回", t.returns)
	t.outgoingCd = widget.NewCard("发文待办", "本机关制发文件待定密、待分发，分发后回执逾期", t.outgoing)
	printUrge := widget.NewButtonWithIcon("打印催办催阅单", theme.DocumentPrintIcon(), func() {
		h.m.printForm(app.FormUrge, h.m.today())
	})
	t.urgesCd = widget.NewCard("催办催阅", "阅文人持有超过时限；请示、报告每周检查办理情况",
		container.NewBorder(container.NewHBox(printUrge), nil, nil, nil, t.urges))
	return t
}

// copyTodoLine is a copy request awaiting its decision.
func copyTodoLine(r models.CopyRequest, c models.Carrier) string {
	return fmt.Sprintf("复制申请 %s  %s《%s》  复制 %d 份  申请人：%s  申请日期：%s", r.SlipNo, c.RegNo, c.Title, r.Copies,
		r.Requester, r.RequestedOn)
}

// loanTodoLine is a loan or take-out awaiting its decision.
func loanTodoLine(l models.Loan, c models.Carrier) string {
	return fmt.Sprintf("%s申请 %s  %s《%s》  %s：%s  申请日期：%s", l.Kind, l.SlipNo, c.RegNo, c.Title,
		l.Kind.BorrowerLabel(), l.Borrower, l.RequestedOn)
}

// destroyTodoLine is an open destruction slip: awaiting the decision or the destruction.
func destroyTodoLine(b models.DestructionBatch) string {
	next := "待登记审批结果"
	if b.State == models.DestructionApproved {
		next = "已批准，待登记销毁"
	}
	what := fmt.Sprintf("%d 件", b.Items)
	if b.Waste {
		what = b.Reason
	}
	return fmt.Sprintf("销毁单 %s  %s  %s  申请日期：%s", b.SlipNo, what, next, b.RequestedOn)
}

// loadTodo reads the 待办 off the UI goroutine.
func (t *todoCards) load() {
	stale := t.gen.next()
	m := t.h.m
	m.env.run(func() {
		d, err := readTodo(m)
		fyne.Do(func() {
			if stale() {
				return
			}
			if err != nil {
				if msg, ok := firstMessage(err); ok {
					for _, c := range []*fyne.Container{t.approvals, t.due, t.returns, t.outgoing, t.urges} {
						c.Objects = []fyne.CanvasObject{errorText(msg)}
						c.Refresh()
					}
					return
				}
				m.unexpected("读取待办", err)
				return
			}
			t.apply(d)
		})
	})
}

// readTodo gathers the 待办; it runs off the UI goroutine.
func readTodo(m *MainUI) (todoData, error) {
	var d todoData
	carriers := map[string]models.Carrier{}
	carrier := func(id string) (models.Carrier, error) {
		if c, ok := carriers[id]; ok {
			return c, nil
		}
		c, err := m.b.Get(m.sess, id)
		if err == nil {
			carriers[id] = c
		}
		return c, err
	}
	openCarrier := func(id string) func(*MainUI) { return func(m *MainUI) { m.home.onOpenOverdue(id) } }

	copies, err := m.b.PendingCopyRequests(m.sess)
	if err != nil {
		return d, err
	}
	for _, r := range copies {
		c, err := carrier(r.CarrierID)
		if err != nil {
			return d, err
		}
		d.approvals = append(d.approvals, todoItem{key: r.SlipNo, line: copyTodoLine(r, c), open: openCarrier(c.ID)})
	}
	loans, err := m.b.PendingLoans(m.sess)
	if err != nil {
		return d, err
	}
	for _, l := range loans {
		c, err := carrier(l.CarrierID)
		if err != nil {
			return d, err
		}
		d.approvals = append(d.approvals, todoItem{key: l.SlipNo, line: loanTodoLine(l, c), open: openCarrier(c.ID)})
	}
	batches, err := m.b.DestructionBatches(m.sess)
	if err != nil {
		return d, err
	}
	for i := len(batches) - 1; i >= 0; i-- { // oldest first, like the requests
		b := batches[i]
		if !b.State.Open() {
			continue
		}
		id := b.ID
		d.approvals = append(d.approvals, todoItem{key: b.SlipNo, line: destroyTodoLine(b),
			open: func(m *MainUI) { m.openDestroyBatch(id) }})
	}

	due, err := m.b.InspectionsDue(m.sess, time.Time{}, nil)
	if err != nil {
		return d, err
	}
	for _, x := range due {
		if !x.Overdue {
			continue
		}
		name := x.Custodian
		d.due = append(d.due, todoItem{key: name, line: dueLine(x), overdue: true,
			open: func(m *MainUI) { m.openInspectionOf(name) }})
	}

	rbs, err := m.b.ReturnBatches(m.sess)
	if err != nil {
		return d, err
	}
	for i := len(rbs) - 1; i >= 0; i-- {
		b := rbs[i]
		if b.State != models.ReturnPending {
			continue
		}
		id := b.ID
		d.returns = append(d.returns, todoItem{key: b.SlipNo, line: returnBatchLine(b),
			open: func(m *MainUI) { m.openReturnBatch(id) }})
	}
	// Temporary handovers due back (R27).
	temps, err := m.b.TemporaryOpen(m.sess)
	if err != nil {
		return d, err
	}
	today := m.today()
	for _, h := range temps {
		if h.ReturnOn > today {
			continue
		}
		id := h.ID
		d.returns = append(d.returns, todoItem{key: h.SlipNo, overdue: h.ReturnOn < today,
			line: fmt.Sprintf("临时交接 %s  %s 交 %s  应于 %s 收回", h.SlipNo, h.From, h.To, h.ReturnOn),
			open: func(m *MainUI) { m.openHandover(id) }})
	}
	reading, requests, nr, nq, err := m.b.Urges(m.sess, m.env.now(), homeOutgoingLimit)
	if err != nil {
		return d, err
	}
	for _, l := range append(reading, requests...) {
		line := fmt.Sprintf("%s  %s《%s》  %s", l.What, l.RegNo, l.Title, l.DocKind)
		if l.Reader != "" {
			line = fmt.Sprintf("%s  %s《%s》  %s 持有 %s 起", l.What, l.RegNo, l.Title, l.Reader,
				l.Since.Local().Format(historyTimeLayout))
		} else {
			line += fmt.Sprintf("  收文 %s，已 %d 天", l.RegDate, l.Days)
			if l.Deadline != "" {
				line += "，办理时限 " + l.Deadline
			}
		}
		d.urges = append(d.urges, todoItem{key: l.What + l.RegNo, line: line, overdue: l.Reader != "", open: openCarrier(l.CarrierID)})
	}
	if rest := nr + nq - len(reading) - len(requests); rest > 0 {
		d.urges = append(d.urges, todoItem{key: "urge-more", line: fmt.Sprintf("……另有 %d 件，见催办催阅单", rest)})
	}
	return d, readOutgoing(m, &d, openCarrier)
}

// openHandover shows handover id in the 交接 tab.
func (m *MainUI) openHandover(id string) {
	m.handover.selected = id
	if m.tabs.Selected() == m.handoverTab {
		m.handover.reload()
		return
	}
	m.tabs.Select(m.handoverTab)
}

// readOutgoing gathers the 发文 lists, each bounded, with a line counting
// the rest.
func readOutgoing(m *MainUI, d *todoData, openCarrier func(string) func(*MainUI)) error {
	more := func(total, shown int, what string) {
		if total <= shown {
			return
		}
		d.outgoing = append(d.outgoing, todoItem{key: what, line: moreLine(total, shown, what)})
	}
	docs := func(list []app.OwnDocument, total int, what string) {
		for _, x := range list {
			d.outgoing = append(d.outgoing, todoItem{key: x.RegNo, open: openCarrier(x.CarrierID),
				line: fmt.Sprintf("%s  %s《%s》 %s  %d 份  %s", what, x.RegNo, x.Title, x.Marking, x.Copies, x.Step)})
		}
		more(total, len(list), what)
	}
	list, total, err := m.b.AwaitingClassification(m.sess, homeOutgoingLimit)
	if err != nil {
		return err
	}
	docs(list, total, "待定密")
	if list, total, err = m.b.AwaitingDispatch(m.sess, homeOutgoingLimit); err != nil {
		return err
	}
	docs(list, total, "待分发")
	late, total, err := m.b.OverdueReceipts(m.sess, homeOutgoingLimit)
	if err != nil {
		return err
	}
	for _, x := range late {
		d.outgoing = append(d.outgoing, todoItem{key: x.RegNo, overdue: true, open: openCarrier(x.CarrierID),
			line: fmt.Sprintf("回执逾期  %s 份号 %s《%s》  %s 分发至%s（%s）", x.RegNo, models.FormatCopyNo(x.CopyNo),
				x.Title, x.SentOn, x.Recipient, x.Channel)})
	}
	more(total, len(late), "回执逾期")
	return nil
}

func (t *todoCards) apply(d todoData) {
	t.data = d
	t.open = map[string]*widget.Button{}
	t.fill(t.approvals, d.approvals, "查看", "暂无待审批")
	t.fill(t.due, d.due, "去自查", "暂无到期的自查")
	t.fill(t.returns, d.returns, "查看", "暂无")
	t.fill(t.outgoing, d.outgoing, "查看", "暂无")
	t.fill(t.urges, d.urges, "查看", "暂无")
}

func (t *todoCards) fill(c *fyne.Container, items []todoItem, button, none string) {
	if len(items) == 0 {
		c.Objects = []fyne.CanvasObject{widget.NewLabel(none)}
		c.Refresh()
		return
	}
	rows := make([]fyne.CanvasObject, 0, len(items))
	for _, it := range items {
		l := newCJKText(it.line)
		if it.overdue {
			l.Importance = widget.DangerImportance
		}
		open := it.open
		if open == nil { // a line counting the rest
			rows = append(rows, l)
			continue
		}
		b := widget.NewButtonWithIcon(button, theme.SearchIcon(), func() { open(t.h.m) })
		t.open[it.key] = b
		rows = append(rows, container.NewBorder(nil, nil, nil, b, l))
	}
	c.Objects = rows
	c.Refresh()
}

// openDestroyBatch shows destruction slip id in the 销毁 tab.
func (m *MainUI) openDestroyBatch(id string) {
	m.destroy.selected = id
	if m.tabs.Selected() == m.destroyTab {
		m.destroy.reload()
		return
	}
	m.showDestroy()
}

// openReturnBatch shows 清退 slip id in the 清退 tab.
func (m *MainUI) openReturnBatch(id string) {
	m.returns.selected = id
	if m.tabs.Selected() == m.returnTab {
		m.returns.reload()
		return
	}
	m.showReturns()
}

// openInspectionOf shows the 自查 tab with custodian chosen for 开始自查.
func (m *MainUI) openInspectionOf(custodian string) {
	t, s := m.inspectionTab()
	if s == nil {
		return
	}
	s.preselect = custodian
	if m.tabs.Selected() == t {
		s.reload()
		return
	}
	m.tabs.Select(t)
}
