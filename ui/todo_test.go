package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// showHome selects the home tab, which reads the 待办 again if they changed.
func (fx *fixture) showHome() *homeScreen {
	fx.t.Helper()
	if fx.m.tabs.Selected() == fx.m.homeTab {
		fx.m.home.show()
	} else {
		fx.m.tabs.Select(fx.m.homeTab)
	}
	return fx.m.home
}

// The home's 待办 (R9, R4, R19): a pending copy request, a pending loan and a
// destruction slip awaiting its decision are listed under 待审批, the
// custodian never inspected under 应自查; each line is one click from its
// carrier, slip or inspection. A decision the domain refuses (dated before
// the request) leaves the request listed; once decided it goes.
func TestHomeTodo_PendingCopyRequestOpensCarrier(t *testing.T) {
	fx := newFixture(t)
	copyApprover := fx.addApprover("刘建国", models.ActionSet{models.ApproveCopy}, models.LevelSecret)
	cs := fx.registerHeld(operator, 3)
	var carriers []models.Carrier
	for _, r := range cs {
		c, err := fx.svc.GetByRegNo(fx.sess, r)
		if err != nil {
			t.Fatal(err)
		}
		carriers = append(carriers, c)
	}
	req, err := fx.svc.RequestCopy(fx.sess, app.CopyRequestInput{CarrierID: carriers[0].ID, Copies: 2,
		Purpose: "会议学习", Requester: "赵一"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.RequestLoan(fx.sess, app.LoanInput{Kind: models.LoanBorrow, CarrierID: carriers[1].ID,
		Borrower: "钱二", Purpose: "起草文件参阅", DueOn: "2026-11-30"}); err != nil {
		t.Fatal(err)
	}
	if _, err := fx.svc.RequestDestruction(fx.sess, app.DestructionInput{CarrierIDs: []string{carriers[2].ID},
		Reason: "已过保管期限", Requester: operator}); err != nil {
		t.Fatal(err)
	}

	h := fx.showHome()
	approvals := strings.Join(texts(h.todo.approvals), "\n")
	for _, want := range []string{
		"复制申请 复〔2026〕0001  " + carriers[0].RegNo + "《" + carriers[0].Title + "》  复制 2 份  申请人：赵一",
		"借阅申请 借〔2026〕0001  " + carriers[1].RegNo,
		"销毁单 销〔2026〕0001  1 件  待登记审批结果",
	} {
		if !strings.Contains(approvals, want) {
			t.Errorf("待审批 %q lacks %q", approvals, want)
		}
	}
	if due := strings.Join(texts(h.todo.due), "\n"); !strings.Contains(due, operator+"  在册 3 件") {
		t.Errorf("应自查 %q", due)
	}

	// One click from the carrier: the ledger's detail with its pending request.
	test.Tap(h.todo.open["复〔2026〕0001"])
	d := fx.m.detail
	if fx.m.tabs.Selected() != fx.m.ledgerTab || !fx.m.ledger.detailShown || d.carrier.ID != carriers[0].ID {
		t.Fatalf("查看 opened tab %q, carrier %q", fx.m.tabs.Selected().Text, d.carrier.RegNo)
	}
	if len(d.copies.decide) != 1 {
		t.Errorf("the detail offers %d 登记审批结果", len(d.copies.decide))
	}

	// The destruction slip in the 销毁 tab; the custodian in the 自查 tab.
	h = fx.showHome()
	test.Tap(h.todo.open["销〔2026〕0001"])
	if fx.m.tabs.Selected() != fx.m.destroyTab || fx.m.destroy.list.l.Batch.SlipNo != "销〔2026〕0001" {
		t.Fatalf("查看 opened tab %q, slip %q", fx.m.tabs.Selected().Text, fx.m.destroy.list.l.Batch.SlipNo)
	}
	h = fx.showHome()
	test.Tap(h.todo.open[operator])
	if _, s := fx.m.inspectionTab(); s == nil || s.custodian.Selected != operator {
		t.Fatal("去自查 did not choose the custodian in the 自查 tab")
	}

	// A backdated decision is refused (R9): the request stays listed.
	_, _, err = fx.svc.DecideCopy(fx.sess, app.CopyDecision{RequestID: req.ID, ApproverID: copyApprover.ID,
		Decision: models.DecisionApprove, DecidedOn: "2026-11-20"})
	if err == nil {
		t.Fatal("a decision dated before its request was accepted")
	}
	h = fx.showHome()
	if h.todo.open["复〔2026〕0001"] == nil {
		t.Fatal("the refused decision took the request off 待审批")
	}
	if _, _, err := fx.svc.DecideCopy(fx.sess, app.CopyDecision{RequestID: req.ID, ApproverID: copyApprover.ID,
		Decision: models.DecisionApprove, DecidedOn: "2026-11-23"}); err != nil {
		t.Fatal(err)
	}
	h = fx.showHome()
	if h.todo.open["复〔2026〕0001"] != nil {
		t.Error("a decided request is still listed under 待审批")
	}
}
