package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// R24, R25: an outgoing 机密 document through the window, from its 定密 to
// a 回执: printing is offered only once the 定密 is approved, the spoiled
// sheets go to destruction, two copies are sent and one 回执 recorded, and
// the home lists what is left to do.
func TestDispatchUI_R25_FromClassificationToReceipt(t *testing.T) {
	fx := newFixture(t)
	chief := fx.addApprover("孙局长", models.ActionSet{models.ApproveClassify}, models.LevelTopSecret)
	f := validForm("遂发改发〔2026〕30号", "关于本机关年度工作要点的报告")
	f.Direction, f.TermKind, f.TermYears, f.Copies = models.DirOutgoing, models.TermYears, "10", "3"
	cs, err := fx.svc.Register(fx.sess, f)
	if err != nil {
		t.Fatal(err)
	}
	fx.m.changed()
	d := fx.openDetailOf(cs[0].CopyNoText())
	s := d.disp
	if !s.act.Visible() || !s.act.Disabled() || !strings.Contains(s.line.Text, "须先经定密责任人审定") {
		t.Fatalf("before 定密: act visible %v disabled %v, %q", s.act.Visible(), s.act.Disabled(), s.line.Text)
	}
	if !strings.Contains(strings.Join(texts(fx.m.home.todo.outgoing), "|"), "待定密") {
		t.Fatal("the home does not list the document as 待定密")
	}
	k, err := fx.svc.ProposeClassification(fx.sess, app.ClassifyInput{CarrierID: cs[0].ID, Kind: models.ClassDerived,
		Level: models.LevelSecret, Term: models.Term{Kind: models.TermYears, Years: 10}, NeedToKnow: "办公室主任",
		Basis: "依据川发改〔2026〕3号派生", Undertaker: "刘洋"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.DecideClassification(fx.sess, app.ClassDecision{ClassID: k.ID, AuthorityID: chief.ID,
		DecidedOn: "2026-11-23"}); err != nil {
		t.Fatal(err)
	}
	fx.m.changed()
	fx.openDetailOf(cs[0].CopyNoText())
	if s.act.Disabled() || s.act.Text != "登记印制" {
		t.Fatalf("after 定密: %q disabled %v", s.act.Text, s.act.Disabled())
	}

	// 印制: a wrong 印数 is explained beside its field and nothing is saved.
	test.Tap(s.act)
	p := s.dlg
	pd := s.printing
	pd.copies.SetText("")
	test.Type(pd.copies, "4")
	test.Type(pd.printer, "文印室 陈静")
	pd.spoiled.SetText("")
	test.Type(pd.spoiled, "2")
	test.Tap(p.save)
	if got := p.msgs.text(app.FieldPrintCopies); !strings.Contains(got, "印数 4") {
		t.Fatalf("印数 message %q (top %q)", got, p.msgs.text(""))
	}
	pd.copies.SetText("")
	test.Type(pd.copies, "3")
	test.Tap(p.save)
	if s.dlg != nil {
		t.Fatalf("printing refused: %q", p.msgs.text(""))
	}
	if !strings.Contains(s.line.Text, "份号 000001-000003") || !strings.Contains(s.line.Text, "废页 2 张") {
		t.Fatalf("printing line %q", s.line.Text)
	}
	if !strings.Contains(s.result.Text, "销毁") {
		t.Fatalf("result %q", s.result.Text)
	}

	// 分送范围, then 分发 of two copies.
	if s.act.Text != "分发" {
		t.Fatalf("next step %q", s.act.Text)
	}
	test.Tap(s.plan)
	l := s.planning
	test.Type(l.recipient, "遂安市财政局")
	l.copies.SetText("")
	test.Type(l.copies, "2")
	test.Tap(l.save)
	if s.dlg != nil {
		t.Fatalf("line refused: %q", l.msgs.text(""))
	}
	test.Tap(s.act)
	x := s.sending
	if len(x.copies.Options) != 3 {
		t.Fatalf("copies offered %v", x.copies.Options)
	}
	x.copies.SetSelected([]string{"000001", "000002"})
	test.Tap(x.save)
	if s.dlg != nil {
		t.Fatalf("sending refused: %q %q", x.msgs.text(""), x.msgs.text(app.FieldSendCopies))
	}
	if len(s.receipt) != 2 || !s.send.Disabled() {
		t.Fatalf("after sending: %d receipt buttons, send disabled %v", len(s.receipt), s.send.Disabled())
	}
	st, err := fx.svc.Stats(fx.sess)
	if err != nil || st.ByState[models.StateSent] != 2 {
		t.Fatalf("stats %+v %v", st.ByState, err)
	}

	// The 回执 of 000001.
	test.Tap(s.receipt["000001"])
	r := s.receiving
	test.Type(r.no, "回2026-031")
	test.Tap(r.save)
	if s.dlg != nil {
		t.Fatalf("receipt refused: %q", r.msgs.text(""))
	}
	if len(s.receipt) != 1 || s.receipt["000002"] == nil {
		t.Fatalf("outstanding after the receipt: %v", s.receipt)
	}
	if !strings.Contains(strings.Join(texts(s.sendings), "|"), "回执 回2026-031 2026-11-23") {
		t.Fatal("the receipt is not shown")
	}
}

// R25: a copy sent long ago without its 回执 shows on the home's 发文待办
// and under the ledger's 回执逾期 filter, and leaves both once the 回执 is
// recorded.
func TestDispatchUI_R25_OverdueReceiptOnHomeAndLedger(t *testing.T) {
	fx := newFixture(t)
	f := validForm("遂发改发〔2026〕31号", "关于机关内部管理的通知")
	f.Direction, f.Level, f.Copies, f.RegDate = models.DirOutgoing, models.LevelInternal, "2", "2026-10-01"
	cs, err := fx.svc.Register(fx.sess, f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.RecordPrinting(fx.sess, app.PrintingInput{CarrierID: cs[0].ID, Copies: 2, Printer: "文印室",
		PrintedOn: "2026-10-01"}); err != nil {
		t.Fatal(err)
	}
	l, err := fx.svc.AddDispatchLine(fx.sess, app.DispatchLineInput{CarrierID: cs[0].ID, Recipient: "遂安市财政局",
		Copies: 1, Channel: models.ChannelPost})
	if err != nil {
		t.Fatal(err)
	}
	x, err := fx.svc.Send(fx.sess, app.SendInput{LineID: l.ID, CarrierIDs: []string{cs[0].ID}, SentOn: "2026-10-02", Handler: "王敏"})
	if err != nil {
		t.Fatal(err)
	}
	fx.showHome()
	home := strings.Join(texts(fx.m.home.todo.outgoing), "|")
	if !strings.Contains(home, "回执逾期  "+cs[0].RegNo) {
		t.Fatalf("home 发文待办: %s", home)
	}
	fx.m.ledger.state.SetSelected(filterLate)
	rows := fx.dataRows()
	if len(rows) != 1 || !strings.Contains(strings.Join(rows[0], "|"), "已分发") {
		t.Fatalf("回执逾期 rows %q", rows)
	}
	if _, err := fx.svc.RecordReceipt(fx.sess, app.ReceiptInput{SendingID: x[0].ID, Kind: models.ReceiptSigned,
		No: "李会计", On: "2026-10-09"}); err != nil {
		t.Fatal(err)
	}
	fx.m.changed()
	if rows := fx.dataRows(); len(rows) != 0 {
		t.Fatalf("回执逾期 after the receipt: %q", rows)
	}
	if home := strings.Join(texts(fx.showHome().todo.outgoing), "|"); strings.Contains(home, "回执逾期") {
		t.Fatalf("home after the receipt: %s", home)
	}
}

// R24: a 原始定密 referred to the superior is completed in the window by
// entering the superior's reply.
func TestDispatchUI_R24_SuperiorReplyEntered(t *testing.T) {
	fx := newFixture(t)
	chief := fx.addApprover("孙局长", models.ActionSet{models.ApproveClassify}, models.LevelTopSecret)
	f := validForm("遂发改发〔2026〕32号", "关于重点项目选址的报告")
	f.Direction, f.TermKind, f.TermYears = models.DirOutgoing, models.TermYears, "10"
	cs, err := fx.svc.Register(fx.sess, f)
	if err != nil {
		t.Fatal(err)
	}
	k, err := fx.svc.ProposeClassification(fx.sess, app.ClassifyInput{CarrierID: cs[0].ID, Kind: models.ClassOriginal,
		Level: models.LevelSecret, Term: models.Term{Kind: models.TermYears, Years: 10}, NeedToKnow: "局领导",
		Basis: "本机关保密事项范围第3项", Undertaker: "刘洋"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.DecideClassification(fx.sess, app.ClassDecision{ClassID: k.ID, AuthorityID: chief.ID,
		DecidedOn: "2026-11-23"}); err != nil {
		t.Fatal(err)
	}
	fx.m.changed()
	s := fx.openDetailOf(cs[0].CopyNoText()).class
	if s.act.Text != "登记上级批复" || s.act.Disabled() {
		t.Fatalf("act %q disabled %v", s.act.Text, s.act.Disabled())
	}
	test.Tap(s.act)
	dlg := s.dlg
	test.Type(dlg.superior, "遂安市保密局")
	test.Tap(dlg.save)
	if got := dlg.msgs.text(app.FieldSuperiorDoc); !strings.Contains(got, "批复文号") {
		t.Fatalf("reply number message %q (top %q)", got, dlg.msgs.text(""))
	}
	test.Type(dlg.replyNo, "遂保〔2026〕5号")
	test.Tap(dlg.save)
	if s.dlg != nil {
		t.Fatalf("reply refused: %q", dlg.msgs.text(""))
	}
	if !strings.Contains(s.line.Text, "已定密") || !strings.Contains(s.line.Text, "上级确定：遂安市保密局 遂保〔2026〕5号") {
		t.Fatalf("after the reply: %q", s.line.Text)
	}
}

// R27: 办理登记 in the window closes an incoming document's handling
// deadline: 分办 needs whom it goes to.
func TestHandlingUI_R27_RecordedActLeavesTheOverdueList(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕40号", "关于年度考核工作的通知", "遂安市人民政府办公室")
	fx.advance(30 * time.Hour) // Tuesday 16:00: past 12:00 of the next working day
	fx.showHome()
	if len(fx.m.home.handling) != 1 {
		t.Fatalf("overdue before handling: %d", len(fx.m.home.handling))
	}
	h := fx.openDetailOf("000001").handle
	if !h.act.Visible() || h.act.Disabled() {
		t.Fatal("办理登记 not offered on an incoming document")
	}
	test.Tap(h.act)
	x := h.last
	test.Tap(x.save)
	if got := x.msgs.text(app.FieldHandlingTo); !strings.Contains(got, "承办部门") {
		t.Fatalf("分办 without whom: %q (top %q)", got, x.msgs.text(""))
	}
	test.Type(x.to, "综合科 李明")
	test.Tap(x.save)
	if h.dlg != nil {
		t.Fatalf("handling refused: %q", x.msgs.text(""))
	}
	if !strings.Contains(h.result.Text, "已登记分办至综合科 李明") {
		t.Fatalf("result %q", h.result.Text)
	}
	if n := len(fx.showHome().handling); n != 0 {
		t.Fatalf("still overdue after 分办: %d", n)
	}
}

// R27: the security officer enters a day of the working calendar on its tab;
// a holiday on a weekend is explained and not saved.
func TestCalendarUI_R27_SecurityOfficerEntersADay(t *testing.T) {
	fx := newShellFixture(t, newService(t, true, true), nil)
	fx.signIn(loginSecAdmin, testPassword)
	p := fx.s.secAdmin.calendar
	if !strings.Contains(strings.Join(texts(p.list), "|"), "2026-10-01  放假  国庆节  （内置）") {
		t.Fatalf("built-in days not listed: %q", texts(p.list))
	}
	test.Type(p.day, "2026-11-28")
	test.Type(p.name, "本地假日")
	test.Tap(p.save)
	if got := p.msgs.text(app.FieldCalendarDay); !strings.Contains(got, "本就休息") {
		t.Fatalf("weekend holiday message %q", got)
	}
	p.day.SetText("")
	test.Type(p.day, "2026-11-27")
	test.Tap(p.save)
	if !strings.Contains(p.status.Text, "已登记") ||
		!strings.Contains(strings.Join(texts(p.list), "|"), "2026-11-27  放假  本地假日  （已登记）") {
		t.Fatalf("after saving: %q %q", p.status.Text, texts(p.list))
	}
}

// R27: the home's 催办催阅 lists a 请示 not yet settled and a reader keeping
// a document past the hours, each one click from its carrier.
func TestUrgeUI_R27_HomeCard(t *testing.T) {
	fx := newFixture(t)
	f := validForm("遂安府办发〔2026〕60号", "关于申请专项经费的请示")
	f.DocKind = "请示"
	if _, err := fx.svc.Register(fx.sess, f); err != nil {
		t.Fatal(err)
	}
	g := validForm("遂安府办发〔2026〕61号", "关于保密检查的通知")
	g.CopyNo = "2"
	cs, err := fx.svc.Register(fx.sess, g)
	if err != nil {
		t.Fatal(err)
	}
	ci, err := fx.svc.StartCirculation(fx.sess, cs[0].ID, "", []models.Reader{{Name: "陈局长"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.SignOutToReader(fx.sess, ci.ID, "陈局长", fx.now); err != nil {
		t.Fatal(err)
	}
	fx.advance(25 * time.Hour)
	fx.m.changed()
	text := strings.Join(texts(fx.m.home.todo.urges), "|")
	if !strings.Contains(text, "催办  ") || !strings.Contains(text, "关于申请专项经费的请示") ||
		!strings.Contains(text, "催阅  ") || !strings.Contains(text, "陈局长 持有") {
		t.Fatalf("催办催阅 card: %s", text)
	}
}
