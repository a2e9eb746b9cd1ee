package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	"secdoc/models"
)

// loanSnap is what a refused loan act must leave as it was: the row counts
// of the tables it can touch and every carrier's and loan's state.
type loanSnap struct {
	rows
	loans             int64
	carriers, slips   string
	counters, audited string
}

func snapLoans(t *testing.T, s *Service) loanSnap {
	t.Helper()
	sn := loanSnap{rows: countRows(t, s)}
	for _, q := range []struct {
		sql string
		out any
	}{
		{`SELECT count(*) FROM loans`, &sn.loans},
		{`SELECT COALESCE(group_concat(id || ':' || state || ':' || version, ','), '') FROM (SELECT * FROM carriers ORDER BY id)`, &sn.carriers},
		{`SELECT COALESCE(group_concat(id || ':' || state || ':' || decision || ':' || returned_on, ','), '') FROM (SELECT * FROM loans ORDER BY id)`, &sn.slips},
		{`SELECT COALESCE(group_concat(name || '=' || value, ','), '') FROM (SELECT * FROM counters ORDER BY name)`, &sn.counters},
		{`SELECT COALESCE(group_concat(event, ','), '') FROM (SELECT event FROM audit_log WHERE event LIKE 'loan%' ORDER BY seq)`, &sn.audited},
	} {
		if err := s.db.Raw(q.sql).Scan(q.out).Error; err != nil {
			t.Fatal(err)
		}
	}
	return sn
}

func loanUnchanged(t *testing.T, s *Service, before loanSnap) {
	t.Helper()
	if after := snapLoans(t, s); after != before {
		t.Fatalf("database changed by a refused act:\nbefore %+v\nafter  %+v", before, after)
	}
}

func loanIn(c models.Carrier) LoanInput {
	return LoanInput{Kind: models.LoanBorrow, CarrierID: c.ID, Borrower: "刘洋", Department: "综合科",
		Purpose: "起草年度总结参阅", DueOn: "2026-11-30"}
}

func takeOutIn(c models.Carrier) LoanInput {
	return LoanInput{Kind: models.LoanTakeOut, CarrierID: c.ID, Borrower: "刘洋", Department: "综合科",
		Purpose: "赴省厅汇报", Destination: "省保密局", DueOn: "2026-11-27"}
}

func mustLoan(t *testing.T, s *Service, in LoanInput) models.Loan {
	t.Helper()
	l, err := s.RequestLoan(clerk(t, s), in)
	if err != nil {
		t.Fatalf("request loan: %v", err)
	}
	return l
}

func approveLoan(l models.Loan, a models.Approver) LoanDecision {
	return LoanDecision{LoanID: l.ID, ApproverID: a.ID, Decision: models.DecisionApprove, Opinion: "同意",
		DecidedOn: "2026-11-23"}
}

// lend requests and approves a loan (or take-out) of c.
func lend(t *testing.T, s *Service, in LoanInput, a models.Approver) models.Loan {
	t.Helper()
	l, err := s.DecideLoan(clerk(t, s), approveLoan(mustLoan(t, s, in), a))
	if err != nil {
		t.Fatalf("approve loan: %v", err)
	}
	return l
}

func carrierState(t *testing.T, s *Service, id string) models.State {
	t.Helper()
	c, err := s.Get(clerk(t, s), id)
	if err != nil {
		t.Fatal(err)
	}
	return c.State
}

func TestLoan_R3_TakeOutNeedsApprovalAndDueDate(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0] // 机密
	before := snapLoans(t, s)
	// A take-out needs a destination and a due date after today, within 30 days.
	in := takeOutIn(c)
	in.Destination = " "
	_, err := s.RequestLoan(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldDestination, "外出地点")
	for _, due := range []string{"", "明天"} {
		in = takeOutIn(c)
		in.DueOn = due
		_, err = s.RequestLoan(clerk(t, s), in)
		wantRefusal(t, err, models.ErrBadDueDate, FieldDueOn, "返回日期")
	}
	for _, due := range []string{"2026-11-23", "2026-11-01"} {
		in.DueOn = due
		_, err = s.RequestLoan(clerk(t, s), in)
		wantRefusal(t, err, models.ErrBadDueDate, FieldDueOn, "晚于申请日期", "2026-11-23")
	}
	in.DueOn = "2026-12-24" // 31 days
	_, err = s.RequestLoan(clerk(t, s), in)
	wantRefusal(t, err, models.ErrBadDueDate, FieldDueOn, "外出携带", "30 天", "2026-12-23")
	in = takeOutIn(c)
	in.Kind = "walk"
	_, err = s.RequestLoan(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldLoanKind, "借阅或外出携带")
	loanUnchanged(t, s, before)

	// A request alone does not move the carrier: it waits for approval.
	// Within 30 days, but beyond the 15 days of a 机密 carrier (R27).
	in = takeOutIn(c)
	in.DueOn = "2026-12-23"
	_, err = s.RequestLoan(clerk(t, s), in)
	wantRefusal(t, err, models.ErrLoanLimit, FieldDueOn, "机密载体外出携带期限不能超过 15 天", "2026-12-08")
	loanUnchanged(t, s, before)
	in.DueOn = "2026-12-08"
	l := mustLoan(t, s, in)
	if l.SlipNo != "携〔2026〕0001" || l.State != models.LoanPending || l.RequestedOn != "2026-11-23" ||
		l.Destination != "省保密局" || l.DueOn != "2026-12-08" {
		t.Fatalf("take-out request: %+v", l)
	}
	if a := lastAudit(t, s); a.Event != models.EventLoanRequest || a.Object != l.SlipNo || !a.Success {
		t.Fatalf("audit of the request: %+v", a)
	}
	if st := carrierState(t, s, c.ID); st != models.StateInStore {
		t.Fatalf("carrier %s before approval", st)
	}
	// Only an approver holding 外出携带 may approve it (the officer in charge
	// of secrecy); one who approves loans may not.
	loaner := addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveLoan, models.ApproveCopy)
	before = snapLoans(t, s)
	_, err = s.DecideLoan(clerk(t, s), approveLoan(l, loaner))
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "陈刚", "无权审批外出携带")
	loanUnchanged(t, s, before)

	officer := addApprover(t, s, "孙立", models.LevelSecret, models.ApproveTakeOut)
	got, err := s.DecideLoan(clerk(t, s), approveLoan(l, officer))
	if err != nil {
		t.Fatal(err)
	}
	if got.State != models.LoanOut || got.OutOn != "2026-11-23" || got.ApproverName != "孙立" ||
		got.Decision != models.DecisionApprove || got.DecidedBy != "王敏" {
		t.Fatalf("approved take-out: %+v", got)
	}
	if st := carrierState(t, s, c.ID); st != models.StateTakenOut {
		t.Fatalf("carrier %s after approval, want 外出携带", st)
	}
	if a := lastAudit(t, s); a.Event != models.EventLoanDecide || a.Object != l.SlipNo {
		t.Fatalf("audit of the decision: %+v", a)
	}
	h, err := s.History(clerk(t, s), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ev *models.CarrierEvent
	for i := range h {
		if h[i].Action == models.ActionLoanOut {
			ev = &h[i]
		}
	}
	if ev == nil || ev.OldValue != "在库" || ev.NewValue != "外出携带" || !strings.Contains(ev.Reason, "省保密局") ||
		!strings.Contains(ev.Reason, l.SlipNo) || !strings.Contains(ev.Reason, "孙立") {
		t.Fatalf("history of the take-out: %+v", h)
	}
	// A decided slip is not decided again.
	before = snapLoans(t, s)
	_, err = s.DecideLoan(clerk(t, s), approveLoan(l, officer))
	wantRefusal(t, err, models.ErrRequestDecided, FieldLoanID, l.SlipNo)
	loanUnchanged(t, s, before)
}

func TestLoan_R3_OverdueFlagged(t *testing.T) {
	s := newService(t)
	cs := mustRegister(t, s, func() models.CarrierForm { f := form(); f.Copies = "3"; return f }())
	a := addApprover(t, s, "孙立", models.LevelSecret, models.ApproveLoan, models.ApproveTakeOut)
	out := lend(t, s, takeOutIn(cs[0]), a) // due 2026-11-27
	in := loanIn(cs[1])                    // due 2026-11-30
	lent := lend(t, s, in, a)
	back := lend(t, s, loanIn(cs[2]), a)
	if _, err := s.ReturnLoan(clerk(t, s), back.ID, models.ReturnIntact, "", "2026-11-23"); err != nil {
		t.Fatal(err)
	}
	if l, err := s.OverdueLoans(clerk(t, s), time.Time{}); err != nil || len(l) != 0 {
		t.Fatalf("overdue today: %v %+v", err, l)
	}
	if l, _ := s.OverdueLoans(clerk(t, s), time.Date(2026, 11, 27, 0, 0, 0, 0, time.Local)); len(l) != 0 {
		t.Fatalf("overdue on the due date itself: %+v", l)
	}
	l, err := s.OverdueLoans(clerk(t, s), time.Date(2026, 11, 28, 9, 0, 0, 0, time.Local))
	if err != nil || len(l) != 1 || l[0].Loan.ID != out.ID || l[0].DaysOverdue != 1 || l[0].Carrier.ID != cs[0].ID {
		t.Fatalf("overdue on 11-28: %v %+v", err, l)
	}
	l, _ = s.OverdueLoans(clerk(t, s), time.Date(2026, 12, 5, 0, 0, 0, 0, time.Local))
	if len(l) != 2 || l[0].Loan.ID != out.ID || l[0].DaysOverdue != 8 || l[1].Loan.ID != lent.ID || l[1].DaysOverdue != 5 {
		t.Fatalf("overdue on 12-05 (most overdue first): %+v", l)
	}
	// The returned one is never overdue.
	for _, o := range l {
		if o.Loan.ID == back.ID {
			t.Fatal("a returned loan is flagged overdue")
		}
	}
}

func TestLoan_R9_DecisionRequired(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	l := mustLoan(t, s, loanIn(c))
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveLoan)
	before := snapLoans(t, s)
	for _, d := range []string{"", "已核", "陈刚", "阅", "同意。"} {
		in := approveLoan(l, a)
		in.Decision = d
		_, err := s.DecideLoan(clerk(t, s), in)
		wantRefusal(t, err, models.ErrNoDecision, FieldDecision, "同意", "不同意", "已核")
	}
	in := approveLoan(l, a)
	in.DecidedOn = ""
	_, err := s.DecideLoan(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldDecidedOn, "审批日期")
	in = approveLoan(l, a)
	in.ApproverID = ""
	_, err = s.DecideLoan(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldApprover, "审批人")
	loanUnchanged(t, s, before)

	// 不同意 is a decision: recorded, and the carrier stays.
	in = approveLoan(l, a)
	in.Decision, in.Opinion = models.DecisionRefuse, "无必要"
	got, err := s.DecideLoan(clerk(t, s), in)
	if err != nil || got.State != models.LoanRefused || got.OutOn != "" {
		t.Fatalf("refused loan: %v %+v", err, got)
	}
	if st := carrierState(t, s, c.ID); st != models.StateInStore {
		t.Fatalf("carrier %s after a refusal", st)
	}
	if ls, _ := s.Loans(clerk(t, s), c.ID); len(ls) != 1 || ls[0].Decision != models.DecisionRefuse {
		t.Fatalf("loans: %+v", ls)
	}
	// A refused loan can't be returned.
	before = snapLoans(t, s)
	_, err = s.ReturnLoan(clerk(t, s), l.ID, models.ReturnIntact, "", "2026-11-23")
	wantRefusal(t, err, models.ErrLoanNotOut, FieldLoanID, l.SlipNo)
	loanUnchanged(t, s, before)
}

func TestLoan_R9_NoBackdating(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	l := mustLoan(t, s, loanIn(c)) // requested on 2026-11-23
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveLoan)
	before := snapLoans(t, s)
	in := approveLoan(l, a)
	in.DecidedOn = "2026-11-22"
	_, err := s.DecideLoan(clerk(t, s), in)
	wantRefusal(t, err, models.ErrBackdated, FieldDecidedOn, "2026-11-22", "2026-11-23", "倒签")
	in.DecidedOn = "2026-11-24"
	_, err = s.DecideLoan(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldDecidedOn, "不能晚于今天")
	loanUnchanged(t, s, before)
	in.DecidedOn = "2026-11-23"
	if _, err := s.DecideLoan(clerk(t, s), in); err != nil {
		t.Fatalf("same-day approval: %v", err)
	}
}

func TestLoan_R9_ApproverLacksAction(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	l := mustLoan(t, s, loanIn(c))
	a := addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveCopy, models.ApproveTakeOut)
	before := snapLoans(t, s)
	_, err := s.DecideLoan(clerk(t, s), approveLoan(l, a))
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "陈刚", "无权审批借阅")
	loanUnchanged(t, s, before)
}

func TestLoan_R9_ApproverLacksLevel(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0] // 机密
	l := mustLoan(t, s, takeOutIn(c))
	a := addApprover(t, s, "陈刚", models.LevelConfidential, models.ApproveLoan, models.ApproveTakeOut)
	before := snapLoans(t, s)
	_, err := s.DecideLoan(clerk(t, s), approveLoan(l, a))
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "陈刚", "秘密", "机密", "外出携带")
	loanUnchanged(t, s, before)
	// Nor an inactive approver.
	b := addApprover(t, s, "孙立", models.LevelTopSecret, models.ApproveTakeOut)
	if _, err := s.UpdateApprover(as(t, s, "secadmin"), b.ID, ApproverInput{Name: b.Name, Title: b.Title,
		Actions: b.Actions, MaxLevel: b.MaxLevel, Active: false}); err != nil {
		t.Fatal(err)
	}
	before = snapLoans(t, s)
	_, err = s.DecideLoan(clerk(t, s), approveLoan(l, b))
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "孙立", "停用")
	loanUnchanged(t, s, before)
}

func TestLoan_NotInStoreRefused(t *testing.T) {
	s := newService(t)
	cs := mustRegister(t, s, func() models.CarrierForm { f := form(); f.Copies = "2"; return f }())
	a := addApprover(t, s, "孙立", models.LevelSecret, models.ApproveLoan, models.ApproveTakeOut)
	lend(t, s, loanIn(cs[0]), a)
	if err := s.Void(clerk(t, s), cs[1].ID, cs[1].Version, "份号登记错误"); err != nil {
		t.Fatal(err)
	}
	before := snapLoans(t, s)
	_, err := s.RequestLoan(clerk(t, s), loanIn(cs[0]))
	wantRefusal(t, err, models.ErrNotInStore, FieldLoanCarrier, "借出", "在库")
	_, err = s.RequestLoan(clerk(t, s), takeOutIn(cs[0]))
	wantRefusal(t, err, models.ErrNotInStore, FieldLoanCarrier, "借出", "外出携带")
	_, err = s.RequestLoan(clerk(t, s), loanIn(cs[1]))
	wantRefusal(t, err, models.ErrVoided, FieldLoanCarrier, "作废")
	loanUnchanged(t, s, before)

	// Two requests for one carrier: the first approval takes it; the second
	// is refused at decision time, and nothing of it is recorded.
	c := mustRegister(t, s, func() models.CarrierForm { f := form(); f.CopyNo = "5"; return f }())[0]
	first, second := mustLoan(t, s, loanIn(c)), mustLoan(t, s, takeOutIn(c))
	if second.SlipNo != "携〔2026〕0001" || first.SlipNo != "借〔2026〕0002" {
		t.Fatalf("slip numbers %s %s", first.SlipNo, second.SlipNo)
	}
	if _, err := s.DecideLoan(clerk(t, s), approveLoan(first, a)); err != nil {
		t.Fatal(err)
	}
	before = snapLoans(t, s)
	_, err = s.DecideLoan(clerk(t, s), approveLoan(second, a))
	wantRefusal(t, err, models.ErrNotInStore, FieldLoanCarrier, "借出")
	loanUnchanged(t, s, before)
}

func TestLoan_ReturnWithDamageNeedsNote(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	a := addApprover(t, s, "孙立", models.LevelSecret, models.ApproveTakeOut)
	l := lend(t, s, takeOutIn(c), a)
	before := snapLoans(t, s)
	_, err := s.ReturnLoan(clerk(t, s), l.ID, models.ReturnDamaged, "  ", "2026-11-23")
	wantRefusal(t, err, models.ErrNeedsNote, FieldReturnNote, "缺损情况")
	_, err = s.ReturnLoan(clerk(t, s), l.ID, "已核", "", "2026-11-23")
	wantRefusal(t, err, nil, FieldReturnCheck, "完好", "缺损")
	_, err = s.ReturnLoan(clerk(t, s), l.ID, models.ReturnIntact, "", "2026-11-24")
	wantRefusal(t, err, models.ErrBadReturnDay, FieldReturnedOn, "不能晚于今天")
	_, err = s.ReturnLoan(clerk(t, s), l.ID, models.ReturnIntact, "", "2026-11-22")
	wantRefusal(t, err, models.ErrBadReturnDay, FieldReturnedOn, "2026-11-22", "早于借出日期", "2026-11-23")
	_, err = s.ReturnLoan(clerk(t, s), l.ID, models.ReturnIntact, "", "")
	wantRefusal(t, err, nil, FieldReturnedOn, "归还日期")
	loanUnchanged(t, s, before)

	got, err := s.ReturnLoan(clerk(t, s), l.ID, models.ReturnDamaged, "第5页缺失", "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	if got.State != models.LoanReturned || got.ReturnCheck != models.ReturnDamaged || got.ReturnNote != "第5页缺失" ||
		got.ReturnedOn != "2026-11-23" || got.ReturnedBy != "王敏" {
		t.Fatalf("returned: %+v", got)
	}
	if st := carrierState(t, s, c.ID); st != models.StateInStore {
		t.Fatalf("carrier %s after return", st)
	}
	if a := lastAudit(t, s); a.Event != models.EventLoanReturn || a.Object != l.SlipNo || !strings.Contains(a.Detail, "第5页缺失") {
		t.Fatalf("audit of the return: %+v", a)
	}
	h, _ := s.History(clerk(t, s), c.ID)
	last := h[len(h)-1]
	for _, e := range h {
		if e.Action == models.ActionLoanReturn {
			last = e
		}
	}
	if last.Action != models.ActionLoanReturn || last.OldValue != "外出携带" || last.NewValue != "在库" ||
		!strings.Contains(last.Reason, "缺损") || !strings.Contains(last.Reason, "第5页缺失") {
		t.Fatalf("history of the return: %+v", h)
	}
	// Returned once is returned for good.
	before = snapLoans(t, s)
	_, err = s.ReturnLoan(clerk(t, s), l.ID, models.ReturnIntact, "", "2026-11-23")
	wantRefusal(t, err, models.ErrLoanNotOut, FieldLoanID, "已归还")
	loanUnchanged(t, s, before)

	// A returned carrier can be lent again.
	again := lend(t, s, loanIn(c), addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveLoan))
	if again.State != models.LoanOut || carrierState(t, s, c.ID) != models.StateOnLoan {
		t.Fatalf("lent again: %+v", again)
	}
	if ls, _ := s.Loans(clerk(t, s), c.ID); len(ls) != 2 {
		t.Fatalf("loans of the carrier: %+v", ls)
	}
}

func TestLoan_OnLoanCarrierCannotBeCopiedOrVoided(t *testing.T) {
	s := newService(t)
	cs := mustRegister(t, s, func() models.CarrierForm { f := form(); f.Copies = "2"; return f }())
	a := addApprover(t, s, "孙立", models.LevelSecret, models.ApproveLoan, models.ApproveTakeOut, models.ApproveCopy)
	// A copy requested before the loan is not made while the carrier is out.
	early := mustRequest(t, s, copyInput(cs[0], 1))
	lend(t, s, loanIn(cs[0]), a)
	lend(t, s, takeOutIn(cs[1]), a)
	before := snapLoans(t, s)
	_, err := s.RequestCopy(clerk(t, s), copyInput(cs[0], 1))
	wantRefusal(t, err, models.ErrNotInStore, FieldCopyCarrier, "借出", "在库")
	_, err = s.RequestCopy(clerk(t, s), copyInput(cs[1], 1))
	wantRefusal(t, err, models.ErrNotInStore, FieldCopyCarrier, "外出携带")
	_, _, err = s.DecideCopy(clerk(t, s), approve(early, a))
	wantRefusal(t, err, models.ErrNotInStore, FieldCopyCarrier, "借出")
	for _, c := range cs {
		got, _ := s.Get(clerk(t, s), c.ID)
		err = s.Void(clerk(t, s), c.ID, got.Version, "份号登记错误")
		wantRefusal(t, err, models.ErrNotInStore, models.FieldVoidReason, "在库")
	}
	loanUnchanged(t, s, before)

	// Editing the registration while it is out corrects fields but can't
	// change where it is.
	got, _ := s.Get(clerk(t, s), cs[0].ID)
	f := form()
	f.Title = "关于做好2026年度保密自查工作的通知（修订）"
	f.CopyNo = "1"
	edited, err := s.Edit(clerk(t, s), got.ID, got.Version, f, "题名录入有误")
	if err != nil {
		t.Fatal(err)
	}
	if edited.State != models.StateOnLoan || carrierState(t, s, cs[0].ID) != models.StateOnLoan {
		t.Fatalf("state after an edit: %s", edited.State)
	}
	// The edit bumped the version; the return still works.
	ls, _ := s.Loans(clerk(t, s), cs[0].ID)
	if _, err := s.ReturnLoan(clerk(t, s), ls[0].ID, models.ReturnIntact, "", "2026-11-23"); err != nil {
		t.Fatal(err)
	}
	// Back in store, it can be copied again.
	if _, err := s.RequestCopy(clerk(t, s), copyInput(cs[0], 1)); err != nil {
		t.Fatalf("copy after return: %v", err)
	}
}

func TestLoan_R18_RolesEnforced(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	a := addApprover(t, s, "孙立", models.LevelSecret, models.ApproveLoan)
	before := snapLoans(t, s)
	for _, who := range []string{"secadmin", "sysadmin", "auditor"} {
		if _, err := s.RequestLoan(as(t, s, who), loanIn(c)); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s requested a loan: %v", who, err)
		}
	}
	loanUnchanged(t, s, before)
	l := mustLoan(t, s, loanIn(c))
	before = snapLoans(t, s)
	for _, who := range []string{"secadmin", "sysadmin", "auditor"} {
		sess := as(t, s, who)
		if _, err := s.DecideLoan(sess, approveLoan(l, a)); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s recorded a decision: %v", who, err)
		}
		if _, err := s.Loans(sess, ""); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s listed loans: %v", who, err)
		}
		if _, err := s.PendingLoans(sess); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s listed pending loans: %v", who, err)
		}
		if _, err := s.OverdueLoans(sess, time.Time{}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s listed overdue loans: %v", who, err)
		}
	}
	loanUnchanged(t, s, before)
	if _, err := s.DecideLoan(clerk(t, s), approveLoan(l, a)); err != nil {
		t.Fatal(err)
	}
	before = snapLoans(t, s)
	for _, who := range []string{"secadmin", "sysadmin", "auditor"} {
		if _, err := s.ReturnLoan(as(t, s, who), l.ID, models.ReturnIntact, "", "2026-11-23"); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s recorded a return: %v", who, err)
		}
	}
	loanUnchanged(t, s, before)
	if p, err := s.PendingLoans(clerk(t, s)); err != nil || len(p) != 0 {
		t.Fatalf("pending: %v %+v", err, p)
	}
}
