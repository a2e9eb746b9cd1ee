package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// startCirculation opens the detail's 传阅 dialog, types the proposed
// handling and the readers, and submits it.
func (fx *fixture) startCirculation(handling string, readers ...models.Reader) *circStartDialog {
	fx.t.Helper()
	s := fx.m.detail.circ
	if s.start.Disabled() {
		fx.t.Fatal("传阅 is disabled")
	}
	test.Tap(s.start)
	d := s.starting
	if d == nil {
		fx.t.Fatal("传阅 opened no dialog")
	}
	test.Type(d.handling, handling)
	for _, r := range readers {
		test.Type(d.name, r.Name)
		test.Type(d.dept, r.Department)
		test.Tap(d.add)
	}
	test.Tap(d.save)
	return d
}

// signBackVia opens 退回登记, sets the count and the note, and saves.
func (fx *fixture) signBackVia(intact bool, discrepancy string) *signBackDialog {
	fx.t.Helper()
	s := fx.m.detail.circ
	if !s.signBack.Visible() {
		fx.t.Fatal("退回登记 is not offered")
	}
	test.Tap(s.signBack)
	d := s.returning
	if d == nil {
		fx.t.Fatal("退回登记 opened no dialog")
	}
	d.intact.SetChecked(intact)
	if discrepancy != "" {
		test.Type(d.discrepancy, discrepancy)
	}
	test.Tap(d.save)
	return d
}

// A circulation through two readers: the document goes back to the office
// after each, is never passed sideways, is counted on return (a discrepancy
// needs a note), and on 办结 the carrier is 在库 again with every step in its
// history (R6).
func TestCirculationUI_R6_RouteThroughOfficeNoSidewaysPass(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕50号", "关于做好冬季安全生产工作的通知", "遂安市人民政府办公室")
	d := fx.openDetailOf("000001")
	s := d.circ
	if s.actions.Visible() || !contains(texts(s.list), "无") {
		t.Fatalf("传阅记录 before any circulation = %q", texts(s.content))
	}

	// No reader: the domain's message, the dialog stays.
	dlg := fx.startCirculation("呈张局长阅示")
	if got := dlg.msgs.text(app.FieldRoute); !strings.Contains(got, "至少一位阅文人") {
		t.Fatalf("route message = %q", got)
	}
	if s.starting == nil {
		t.Fatal("the dialog closed on a refusal")
	}
	dlg.close()

	// Two readers, typed in the wrong order and put right with 上移.
	test.Tap(s.start)
	dlg = s.starting
	test.Type(dlg.handling, "呈张局长阅示，送李主任阅")
	for _, r := range []models.Reader{{Name: "李主任", Department: "办公室"}, {Name: "张局长", Department: "分管副局长"}} {
		test.Type(dlg.name, r.Name)
		test.Type(dlg.dept, r.Department)
		test.Tap(dlg.add)
	}
	if len(dlg.route) != 2 || len(dlg.up) != 2 {
		t.Fatalf("route = %+v", dlg.route)
	}
	test.Tap(dlg.up[1])
	if dlg.route[0].Name != "张局长" || dlg.route[1].Name != "李主任" {
		t.Fatalf("route after 上移 = %+v", dlg.route)
	}
	test.Tap(dlg.save)
	if s.starting != nil {
		t.Fatalf("start refused: %q %q", dlg.msgs.text(""), dlg.msgs.text(app.FieldRoute))
	}
	if got := fx.stateOf("000001"); got != "传阅中" {
		t.Fatalf("ledger state = %q, want 传阅中", got)
	}
	if s.open == nil || !strings.Contains(s.whereLbl.Text, "在办公室") {
		t.Fatalf("当前位置 = %q, open %v", s.whereLbl.Text, s.open)
	}
	if !s.sendNext.Visible() || s.sendNext.Text != "送给下一位（张局长）" || s.signBack.Visible() {
		t.Fatalf("buttons in the office: 送 %v %q, 退回 %v", s.sendNext.Visible(), s.sendNext.Text, s.signBack.Visible())
	}

	// Sent to the first reader.
	fx.advance(10 * time.Minute)
	test.Tap(s.sendNext)
	if !strings.Contains(s.result.Text, "已送张局长阅") {
		t.Fatalf("result = %q", s.result.Text)
	}
	if !strings.Contains(s.whereLbl.Text, "张局长（分管副局长）持有") {
		t.Fatalf("当前位置 = %q", s.whereLbl.Text)
	}
	// While he holds it, 送给下一位 is not offered, and the domain refuses it anyway (R6).
	if s.sendNext.Visible() || !s.signBack.Visible() || s.closeBtn.Visible() {
		t.Fatalf("buttons while a reader holds it: 送 %v, 退回 %v, 办结 %v", s.sendNext.Visible(), s.signBack.Visible(), s.closeBtn.Visible())
	}
	s.onSendNext()
	if !strings.Contains(s.result.Text, "不得横传") {
		t.Fatalf("sideways refusal = %q", s.result.Text)
	}

	// Back with a discrepancy but no note: the domain's message, still out.
	fx.advance(30 * time.Minute)
	rd := fx.signBackVia(false, "")
	if got := rd.msgs.text(app.FieldDiscrepancy); !strings.Contains(got, "清点不符") {
		t.Fatalf("discrepancy message = %q", got)
	}
	if s.returning == nil {
		t.Fatal("the dialog closed on a refusal")
	}
	test.Type(rd.discrepancy, "附件2缺第3页")
	test.Tap(rd.save)
	if s.returning != nil {
		t.Fatalf("sign-back refused: %q", rd.msgs.text(""))
	}
	if !strings.Contains(s.whereLbl.Text, "在办公室") || s.sendNext.Text != "送给下一位（李主任）" {
		t.Fatalf("after the return: 当前位置 %q, %q", s.whereLbl.Text, s.sendNext.Text)
	}

	// The second reader, back complete.
	fx.advance(10 * time.Minute)
	test.Tap(s.sendNext)
	fx.advance(20 * time.Minute)
	if rd := fx.signBackVia(true, ""); s.returning != nil {
		t.Fatalf("sign-back refused: %q", rd.msgs.text(""))
	}

	// 领导批示, then 办结: 在库 again.
	test.Tap(s.instruct)
	id := s.instructing
	if id == nil {
		t.Fatal("领导批示/办理结果 opened no dialog")
	}
	test.Type(id.instruction, "请综合科研究落实")
	test.Type(id.result, "已落实")
	test.Tap(id.save)
	if s.instructing != nil {
		t.Fatalf("instruction refused: %q", id.msgs.text(""))
	}
	test.Tap(s.closeBtn)
	cd := s.closing
	if cd == nil {
		t.Fatal("办结 opened no dialog")
	}
	if cd.note.Visible() {
		t.Error("办结 asks for a note though every reader returned it")
	}
	test.Tap(cd.save)
	if s.closing != nil {
		t.Fatalf("close refused: %q", cd.msgs.text(""))
	}
	if got := fx.stateOf("000001"); got != "在库" {
		t.Fatalf("ledger state after 办结 = %q, want 在库", got)
	}
	if s.actions.Visible() || s.start.Disabled() || !strings.Contains(d.marking.Text, "在库") {
		t.Errorf("detail after 办结: marking %q", d.marking.Text)
	}
	list := strings.Join(texts(s.list), "\n")
	for _, want := range []string{"已办结", "领导批示：请综合科研究落实", "1. 张局长（分管副局长）", "清点不符：附件2缺第3页",
		"2. 李主任（办公室）", "清点：完好"} {
		if !strings.Contains(list, want) {
			t.Errorf("传阅记录 %q lacks %q", list, want)
		}
	}
	hist := strings.Join(d.lines, "\n")
	for _, want := range []string{"张局长（分管副局长）", "李主任（办公室）", "附件2缺第3页", "办结"} {
		if !strings.Contains(hist, want) {
			t.Errorf("history %q lacks %q", hist, want)
		}
	}
}

// 办结 with a reader who never had it needs a note (R6).
func TestCirculationUI_R6_CloseWithUnvisitedReaderNeedsNote(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕51号", "关于印发值班安排的通知", "遂安市人民政府办公室")
	d := fx.openDetailOf("000001")
	s := d.circ
	if dlg := fx.startCirculation("送阅", models.Reader{Name: "张局长"}); s.starting != nil {
		t.Fatalf("start refused: %q", dlg.msgs.text(app.FieldRoute))
	}
	test.Tap(s.closeBtn)
	cd := s.closing
	if cd == nil || !cd.note.Visible() {
		t.Fatal("办结 asks for no note with an unvisited reader")
	}
	test.Tap(cd.save)
	if got := cd.msgs.text(app.FieldCloseNote); !strings.Contains(got, "尚未阅文") {
		t.Fatalf("close message = %q", got)
	}
	test.Type(cd.note, "张局长出差，改由会议传达")
	test.Tap(cd.save)
	if s.closing != nil {
		t.Fatalf("close refused: %q", cd.msgs.text(""))
	}
	if got := fx.stateOf("000001"); got != "在库" {
		t.Fatalf("ledger state = %q", got)
	}
}

// An urgent incoming document not put into circulation within an hour
// appears on the home card; an ordinary one registered at the same time does
// not yet (R7).
func TestCirculationUI_R7_UrgentIncomingOverdueOnHomeCard(t *testing.T) {
	fx := newFixture(t)
	f := validForm("遂安府办发〔2026〕52号", "关于紧急做好寒潮防范工作的通知")
	f.Urgency = models.UrgencyUrgent
	urgent, err := fx.svc.Register(fx.sess, f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.Register(fx.sess, validForm("遂安府办发〔2026〕53号", "关于年度考核的通知")); err != nil {
		t.Fatal(err)
	}
	h := fx.m.home
	fx.m.showLedger()
	fx.m.tabs.Select(fx.m.homeTab)
	if got := texts(h.handlingList); len(h.handling) != 0 || !contains(got, "暂无") {
		t.Fatalf("handling card at once = %q", got)
	}

	fx.m.showLedger()
	fx.advance(3 * time.Hour)
	fx.m.tabs.Select(fx.m.homeTab)
	if len(h.handling) != 1 || h.handling[0].Carrier.ID != urgent[0].ID {
		t.Fatalf("handling = %+v", h.handling)
	}
	line := strings.Join(texts(h.handlingList), "\n")
	for _, want := range []string{urgent[0].RegNo, "关于紧急做好寒潮防范工作的通知", "加急", "登记时间：2026-11-23 10:00", "超时 2 小时"} {
		if !strings.Contains(line, want) {
			t.Errorf("handling card %q lacks %q", line, want)
		}
	}
	for _, b := range h.handlingOpen {
		test.Tap(b)
	}
	if fx.m.tabs.Selected() != fx.m.ledgerTab || !fx.m.ledger.detailShown || fx.m.detail.carrier.ID != urgent[0].ID {
		t.Error("查看 did not open the carrier in the ledger's detail")
	}
}

// The home's 待办文件 card shows the most overdue few and counts the rest:
// it makes no widget per carrier of a large register (R7).
func TestCirculationUI_R7_HomeCardShowsAFewAndCountsTheRest(t *testing.T) {
	fx := newFixture(t)
	n := homeListLimit + 3
	for i := 0; i < n; i++ {
		f := validForm(fmt.Sprintf("遂安府办发〔2026〕%d号", 60+i), fmt.Sprintf("关于第%d批紧急事项的通知", i+1))
		f.Urgency = models.UrgencyExtreme
		if _, err := fx.svc.Register(fx.sess, f); err != nil {
			t.Fatal(err)
		}
	}
	h := fx.m.home
	fx.m.showLedger()
	fx.advance(3 * time.Hour)
	fx.m.tabs.Select(fx.m.homeTab)
	if len(h.handling) != homeListLimit || len(h.handlingOpen) != homeListLimit {
		t.Fatalf("%d carriers and %d buttons on the card", len(h.handling), len(h.handlingOpen))
	}
	got := strings.Join(texts(h.handlingList), "\n")
	if !strings.Contains(got, "……另有 3 件超时未处理的收文") || !strings.Contains(got, "关于第1批紧急事项的通知") ||
		strings.Contains(got, fmt.Sprintf("关于第%d批紧急事项的通知", n)) {
		t.Fatalf("card = %q", got)
	}
	// 全部 opens the ledger on every one of them, the longest waiting first.
	if h.handlingAll == nil {
		t.Fatal("no 全部 on the card")
	}
	test.Tap(h.handlingAll)
	l := fx.m.ledger
	if fx.m.tabs.Selected() != fx.m.ledgerTab || l.state.Selected != "未办理收文" || l.count != n ||
		l.total.Text != fmt.Sprintf("共 %d 件", n) {
		t.Fatalf("ledger: %q, %d rows, %q", l.state.Selected, l.count, l.total.Text)
	}
	if got := l.cellText(0, colTitle); got != "关于第1批紧急事项的通知" {
		t.Fatalf("first row %q", got)
	}
	if got := l.headerText(0); strings.ContainsAny(got, "▲▼") {
		t.Fatalf("the header claims an order the list does not have: %q", got)
	}
	// Handled, a document leaves the list.
	first, _ := l.row(0)
	if _, err := fx.svc.RecordHandling(fx.sess, first.ID, models.HandleRead, "", ""); err != nil {
		t.Fatal(err)
	}
	l.reload()
	if l.count != n-1 || l.cellText(0, colTitle) != "关于第2批紧急事项的通知" {
		t.Fatalf("after handling: %d rows, first %q", l.count, l.cellText(0, colTitle))
	}
}
