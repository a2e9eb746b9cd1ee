package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// upperIssuer is the upper-level office whose documents go back (R8).
const upperIssuer = "中共川江省委办公厅"

// registerFrom registers n carriers of issuer through the service and
// returns them.
func (fx *fixture) registerFrom(issuer string, n int) []models.Carrier {
	fx.t.Helper()
	var out []models.Carrier
	for i := 0; i < n; i++ {
		prefix := string([]rune(issuer)[:2]) // one series of 文号 per issuer
		f := validForm(fmt.Sprintf("%s发〔2026〕%d号", prefix, 10+i), fmt.Sprintf("关于年度清退的文件之%d", i+1))
		f.Issuer = issuer
		cs, err := fx.svc.Register(fx.sess, f)
		if err != nil {
			fx.t.Fatal(err)
		}
		out = append(out, cs...)
	}
	return out
}

// flagForReturn flags carriers for return to their issuer through the service.
func (fx *fixture) flagForReturn(cs ...models.Carrier) {
	fx.t.Helper()
	for _, c := range cs {
		if _, err := fx.svc.FlagReturnToIssuer(fx.sess, c.ID, true); err != nil {
			fx.t.Fatal(err)
		}
	}
}

// lendOut lends carrier c out through the service, approved by a leader.
func (fx *fixture) lendOut(c models.Carrier) models.Loan {
	fx.t.Helper()
	a := fx.addApprover("孙科长", models.ActionSet{models.ApproveLoan}, models.LevelTopSecret)
	l, err := fx.svc.RequestLoan(fx.sess, app.LoanInput{Kind: models.LoanBorrow, CarrierID: c.ID, Borrower: "赵一",
		Purpose: "起草文件参阅", DueOn: "2026-11-30"})
	if err != nil {
		fx.t.Fatal(err)
	}
	if l, err = fx.svc.DecideLoan(fx.sess, app.LoanDecision{LoanID: l.ID, ApproverID: a.ID,
		Decision: models.DecisionApprove, DecidedOn: fx.now.Format(models.DateLayout)}); err != nil {
		fx.t.Fatal(err)
	}
	return l
}

// openReturns shows the 清退 tab.
func (fx *fixture) openReturns() *returnScreen {
	fx.t.Helper()
	fx.m.showReturns()
	if fx.m.tabs.Selected() != fx.m.returnTab {
		fx.t.Fatal("the 清退 tab is not shown")
	}
	return fx.m.returns
}

// A return batch for one issuer (R8): the carriers flagged for return are
// listed by issuer with their count; 生成清退单 lists them on a slip that
// the home shows as waiting; 交还 with the receiver and date makes every one
// 已清退, and the ledger says so.
func TestReturnUI_R8_BatchCreatedAndHandedOver(t *testing.T) {
	fx := newFixture(t)
	back := fx.registerFrom(upperIssuer, 2)
	fx.registerFrom("遂安市保密局", 1) // not flagged: stays
	fx.flagForReturn(back...)

	s := fx.openReturns()
	cands := strings.Join(texts(s.candBox), "\n")
	if !strings.Contains(cands, upperIssuer+"  标记清退 2 件  在库 2 件") || strings.Contains(cands, "遂安市保密局") {
		t.Fatalf("待清退 lists %q", cands)
	}
	b := s.create[upperIssuer]
	if b == nil {
		t.Fatalf("no 生成清退单 for %s", upperIssuer)
	}
	test.Tap(b)
	if !strings.Contains(s.result.Text, "已生成清退单 退〔2026〕0001：2 件退还 "+upperIssuer) {
		t.Fatalf("生成清退单: %q", s.result.Text)
	}
	if !s.loaded || s.heading.Text != "清退单 退〔2026〕0001  待交接" || !s.handOver.Visible() {
		t.Fatalf("the new slip is not shown: %q, 交还 shown %v", s.heading.Text, s.handOver.Visible())
	}
	items := strings.Join(texts(s.items), "\n")
	for _, c := range back {
		if !strings.Contains(items, c.RegNo) || !strings.Contains(items, c.Title) {
			t.Errorf("清退清单 %q lacks %s《%s》", items, c.RegNo, c.Title)
		}
	}
	if s.totals.Text != "合计：纸介质 2 份，共 0 页" {
		t.Errorf("totals %q", s.totals.Text)
	}
	if got := strings.Join(texts(s.candBox), "\n"); !strings.Contains(got, "暂无") {
		t.Errorf("after the slip, 待清退 still lists %q", got)
	}

	// The home lists the open slip; one click leads back to it.
	fx.m.tabs.Select(fx.m.homeTab)
	open := fx.m.home.todo.open["退〔2026〕0001"]
	if open == nil {
		t.Fatalf("待交接的清退单 lists %q", texts(fx.m.home.todo.returns))
	}
	test.Tap(open)
	if fx.m.tabs.Selected() != fx.m.returnTab || s.list.Batch.SlipNo != "退〔2026〕0001" {
		t.Fatalf("查看 on the home opened tab %q, slip %q", fx.m.tabs.Selected().Text, s.list.Batch.SlipNo)
	}

	test.Tap(s.handOver)
	d := s.handing
	if d == nil {
		t.Fatal("交还 opened no dialog")
	}
	if d.date.Text != "2026-11-23" {
		t.Errorf("交接日期 defaults to %q", d.date.Text)
	}
	test.Type(d.handedTo, "刘洋")
	test.Tap(d.save)
	if s.handing != nil {
		t.Fatalf("交还 refused: %q", fx.topDialogText())
	}
	if !strings.Contains(s.result.Text, "2 件已清退") || s.heading.Text != "清退单 退〔2026〕0001  已交接" ||
		s.handOver.Visible() {
		t.Fatalf("after 交还: result %q, heading %q", s.result.Text, s.heading.Text)
	}
	if !strings.Contains(s.info.Text, "接收人 刘洋") {
		t.Errorf("info %q", s.info.Text)
	}
	for _, c := range back {
		got, err := fx.svc.Get(fx.sess, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != models.StateReturned {
			t.Errorf("%s is %s, want 已清退", c.RegNo, got.State)
		}
	}
	fx.m.showLedger()
	fx.m.ledger.state.SetSelected(filterAll)
	returned := 0
	for _, r := range fx.dataRows() {
		if len(r) > colState && r[colState] == "已清退" {
			returned++
		}
	}
	if returned != 2 {
		t.Errorf("the ledger shows %d rows 已清退, want 2: %q", returned, fx.dataRows())
	}
	fx.m.tabs.Select(fx.m.homeTab)
	if got := strings.Join(texts(fx.m.home.todo.returns), "\n"); strings.Contains(got, "退〔") || !strings.Contains(got, "暂无") {
		t.Errorf("待交接的清退单 after the hand-over: %q", got)
	}
}

// A carrier flagged for return that is on loan keeps the issuer's slip
// from being made (R8, R16): the domain's message names it, and no slip is
// created; 交还 without a receiver is refused and leaves the slip open.
func TestReturnUI_R16_AwayCarrierRefused(t *testing.T) {
	fx := newFixture(t)
	back := fx.registerFrom(upperIssuer, 2)
	fx.flagForReturn(back...)
	fx.lendOut(back[0])

	s := fx.openReturns()
	if cands := strings.Join(texts(s.candBox), "\n"); !strings.Contains(cands, "在外 1 件") {
		t.Fatalf("待清退 lists %q", cands)
	}
	test.Tap(s.create[upperIssuer])
	if !strings.Contains(s.result.Text, "不在库") || !strings.Contains(s.result.Text, back[0].RegNo) {
		t.Fatalf("a slip with a carrier on loan: %q", s.result.Text)
	}
	if bs, err := fx.svc.ReturnBatches(fx.sess); err != nil || len(bs) != 0 {
		t.Fatalf("slips after the refusal: %v %v", bs, err)
	}

	// Back in store, the slip is made; 交还 needs the receiver.
	loans, err := fx.svc.Loans(fx.sess, back[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.ReturnLoan(fx.sess, loans[0].ID, models.ReturnIntact, "", "2026-11-23"); err != nil {
		t.Fatal(err)
	}
	s.reload()
	test.Tap(s.create[upperIssuer])
	if !strings.HasPrefix(s.result.Text, "已生成清退单") {
		t.Fatalf("生成清退单: %q", s.result.Text)
	}
	test.Tap(s.handOver)
	d := s.handing
	test.Tap(d.save)
	if s.handing == nil || !strings.Contains(d.msgs.text(app.FieldHandedTo), "接收人") {
		t.Fatalf("交还 without 接收人: %q", d.msgs.text(app.FieldHandedTo))
	}
	d.date.SetText("2026-11-24")
	test.Type(d.handedTo, "刘洋")
	test.Tap(d.save)
	if s.handing == nil || !strings.Contains(d.msgs.text(app.FieldHandedOverOn), "不能晚于今天") {
		t.Fatalf("交还 dated tomorrow: %q", d.msgs.text(app.FieldHandedOverOn))
	}
	for _, c := range back {
		if got, _ := fx.svc.Get(fx.sess, c.ID); got.State != models.StateInStore {
			t.Errorf("%s is %s after the refusals", c.RegNo, got.State)
		}
	}
}

// A slip made in error is voided with a reason: it stays, marked 已作废, its
// carriers keep their flag and wait for a new slip; without a reason
// nothing changes.
func TestReturnUI_SlipVoidedWithAReason(t *testing.T) {
	fx := newFixture(t)
	back := fx.registerFrom(upperIssuer, 2)
	fx.flagForReturn(back...)
	b, err := fx.svc.CreateReturnBatch(fx.sess, upperIssuer)
	if err != nil {
		t.Fatal(err)
	}
	s := fx.openReturns()
	if !s.selectBatch(b.ID) || !s.voidSlip.Visible() {
		t.Fatalf("slip %s not shown with 作废清退单", b.SlipNo)
	}
	test.Tap(s.voidSlip)
	d := s.voiding
	if d == nil {
		t.Fatal("作废清退单 opened no dialog")
	}
	test.Tap(d.save)
	if !strings.Contains(d.msg.Text, "作废原因") {
		t.Fatalf("no reason: message %q", d.msg.Text)
	}
	if got, _ := fx.svc.ReturnList(fx.sess, b.ID); got.Batch.State != models.ReturnPending {
		t.Fatalf("voided without a reason: %s", got.Batch.State)
	}
	test.Type(d.reason, "来文单位要求分两次清退")
	test.Tap(d.save)
	got, _ := fx.svc.ReturnList(fx.sess, b.ID)
	if got.Batch.State != models.ReturnCancelled {
		t.Fatalf("state %s, want 已作废", got.Batch.State)
	}
	if !strings.Contains(s.heading.Text, "已作废") || s.voidSlip.Visible() || s.handOver.Visible() {
		t.Fatalf("heading %q; 作废 %v 交还 %v", s.heading.Text, s.voidSlip.Visible(), s.handOver.Visible())
	}
	cands, _ := fx.svc.ReturnCandidates(fx.sess)
	if len(cands) != 1 || cands[0].Issuer != upperIssuer {
		t.Fatalf("the carriers should wait for a new slip: %+v", cands)
	}
}
