package demo

import (
	"testing"

	"secdoc/models"
)

func TestWorkflows_LeaveSomethingInEveryToDoList(t *testing.T) {
	s := openService(t)
	clerk := sessOf(s)
	if err := Generate(s, clerk, 300, 1, nil); err != nil {
		t.Fatal(err)
	}
	sec, _, err := s.SignIn("secadmin", "Demo-pass-2026")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Workflows(s, clerk, sec)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Approvers != 2 || sum.Circulating != 2 || sum.CopiesMade != 2 || sum.PendingApprovals != 3 ||
		sum.Loans != 1 || sum.ReturnBatches != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if got, _ := s.PendingCopyRequests(clerk); len(got) != 1 {
		t.Errorf("pending copy requests %d", len(got))
	}
	if got, _ := s.PendingLoans(clerk); len(got) != 1 {
		t.Errorf("pending loans %d", len(got))
	}
	batches, _ := s.DestructionBatches(clerk)
	if len(batches) != 1+sum.Printed || batches[len(batches)-1].State != models.DestructionPending {
		t.Errorf("destruction batches %+v: one of carriers, one of each printing's spoiled sheets", batches)
	}
	// The office's own documents at every stage (R24, R25).
	if sum.Proposed != 1 || sum.Printed != 3 || sum.Sent < 2 || sum.Receipts != 1 || sum.ReceiptsOverdue < 1 {
		t.Errorf("outgoing stages %+v", sum)
	}
	if _, n, _ := s.AwaitingClassification(clerk, 5); n < 2 {
		t.Errorf("待定密 %d, want one not proposed and one proposed", n)
	}
	if _, n, _ := s.AwaitingDispatch(clerk, 5); n < 1 {
		t.Errorf("待分发 %d", n)
	}
	if _, n, _ := s.OverdueReceipts(clerk, 5); n != sum.ReceiptsOverdue {
		t.Errorf("回执逾期 %d, want %d", n, sum.ReceiptsOverdue)
	}
	rbs, _ := s.ReturnBatches(clerk)
	if len(rbs) != 1 || rbs[0].Items < 1 {
		t.Errorf("return batches %+v", rbs)
	}
	st, err := s.Stats(clerk)
	if err != nil {
		t.Fatal(err)
	}
	if st.ByState[models.StateInCirculation] != 2 || st.ByState[models.StateOnLoan] != 1 {
		t.Errorf("states %+v", st.ByState)
	}
	if overdue, _ := s.OverdueLoans(clerk, testNow.AddDate(0, 0, 30)); len(overdue) != 1 {
		t.Errorf("the loan should be overdue a month on: %d", len(overdue))
	}
}

// Every register size the demo command offers takes the workflows: a
// carrier listed for destruction is never also printed or sent (the demo
// of 60 carriers once stopped on exactly that).
func TestWorkflows_EverySmallRegisterSize(t *testing.T) {
	for n := 20; n <= 140; n += 10 {
		s := openService(t)
		clerk := sessOf(s)
		if err := Generate(s, clerk, n, 1, nil); err != nil {
			t.Fatal(err)
		}
		sec, _, err := s.SignIn("secadmin", "Demo-pass-2026")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Workflows(s, clerk, sec); err != nil {
			t.Errorf("%d carriers: %v", n, err)
		}
	}
}

// The counts kept by triggers follow every act of the workflows: loans,
// copies, circulation, sendings, destruction lists (schema 29).
func TestWorkflows_CountsStayExact(t *testing.T) {
	s := openService(t)
	clerk := sessOf(s)
	if err := Generate(s, clerk, 300, 1, nil); err != nil {
		t.Fatal(err)
	}
	sec, _, err := s.SignIn("secadmin", "Demo-pass-2026")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Workflows(s, clerk, sec); err != nil {
		t.Fatal(err)
	}
	if d, err := s.CountsDiffer(clerk); err != nil || len(d) != 0 {
		t.Fatalf("counts differ: %v %v", d, err)
	}
}
