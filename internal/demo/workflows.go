package demo

import (
	"fmt"

	"secdoc/app"
	"secdoc/models"
)

// WorkflowSummary says what Workflows left in the register.
type WorkflowSummary struct {
	Approvers, Circulating, CopiesMade, PendingApprovals, Loans, ReturnBatches int
}

func (s WorkflowSummary) String() string {
	return fmt.Sprintf("审批人 %d 名，传阅中 %d 件，已复制 %d 份，待审批 %d 项，借出 %d 件，清退单 %d 张",
		s.Approvers, s.Circulating, s.CopiesMade, s.PendingApprovals, s.Loans, s.ReturnBatches)
}

// Workflows puts a fresh demo register to work, the way an office's week
// leaves it: approvers on the list, documents circulating among readers,
// copies made and a copy request waiting for its slip to come back signed,
// a loan out and a take-out waiting, an old batch waiting for destruction
// approval, and an issuer's documents gathered on a return list. Everything
// goes through the use cases, signed in as the clerk (and the security
// officer for the approvers), dated today.
func Workflows(svc *app.Service, clerk, secAdmin *app.Session) (WorkflowSummary, error) {
	var sum WorkflowSummary
	today := svc.Now()
	day := func(d int) string { return today.AddDate(0, 0, d).Format(models.DateLayout) }

	_, err := svc.AddApprover(secAdmin, app.ApproverInput{Name: "陈建国", Title: "局长",
		Actions: models.ApprovalActions, MaxLevel: models.LevelTopSecret, Active: true, Designation: "法定"})
	if err != nil {
		return sum, fmt.Errorf("demo approver: %w", err)
	}
	deputy, err := svc.AddApprover(secAdmin, app.ApproverInput{Name: "林晓红", Title: "办公室主任",
		Actions: models.ActionSet{models.ApproveCopy, models.ApproveLoan}, MaxLevel: models.LevelSecret, Active: true})
	if err != nil {
		return sum, fmt.Errorf("demo approver: %w", err)
	}
	sum.Approvers = 2

	// Paper documents in store, newest first; the oldest few go to destruction.
	inStore, err := svc.Page(clerk, app.Query{States: []models.State{models.StateInStore},
		Kinds: []models.CarrierKind{models.KindPaper}, Levels: []models.Level{models.LevelConfidential, models.LevelSecret}}, 0, 40)
	if err != nil {
		return sum, err
	}
	if len(inStore) < 12 {
		return sum, nil // too small a register to show the workflows
	}
	next := 0
	take := func() models.Carrier { c := inStore[next]; next++; return c }

	route := []models.Reader{{Name: "陈建国", Department: "局领导"}, {Name: "王立新", Department: "局领导"},
		{Name: "林晓红", Department: "办公室"}}
	for i := 0; i < 2; i++ {
		c := take()
		ci, err := svc.StartCirculation(clerk, c.ID, "拟请陈局长阅示，办公室牵头办理。", route)
		if err != nil {
			return sum, fmt.Errorf("demo circulation: %w", err)
		}
		if i == 0 {
			if _, err := svc.SignOutToReader(clerk, ci.ID, route[0].Name, svc.Now()); err != nil {
				return sum, fmt.Errorf("demo circulation: %w", err)
			}
		}
		sum.Circulating++
	}

	req, err := svc.RequestCopy(clerk, app.CopyRequestInput{CarrierID: take().ID, Copies: 2, Purpose: "供两个科室传达学习",
		Requester: "刘洋"})
	if err != nil {
		return sum, fmt.Errorf("demo copy: %w", err)
	}
	_, copies, err := svc.DecideCopy(clerk, app.CopyDecision{RequestID: req.ID, ApproverID: deputy.ID,
		Decision: models.DecisionApprove, Opinion: "同意，限本单位内传达，阅后收回。", DecidedOn: day(0)})
	if err != nil {
		return sum, fmt.Errorf("demo copy decision: %w", err)
	}
	sum.CopiesMade = len(copies)
	if _, err := svc.RequestCopy(clerk, app.CopyRequestInput{CarrierID: take().ID, Copies: 1, Purpose: "报送市委办公室备案",
		Requester: "赵明"}); err != nil {
		return sum, fmt.Errorf("demo copy: %w", err)
	}
	sum.PendingApprovals++

	loan, err := svc.RequestLoan(clerk, app.LoanInput{Kind: models.LoanBorrow, CarrierID: take().ID, Borrower: "孙浩",
		Department: "综合科", Purpose: "起草年度工作总结参阅", DueOn: day(7)})
	if err != nil {
		return sum, fmt.Errorf("demo loan: %w", err)
	}
	if _, err := svc.DecideLoan(clerk, app.LoanDecision{LoanID: loan.ID, ApproverID: deputy.ID,
		Decision: models.DecisionApprove, Opinion: "同意，按期归还。", DecidedOn: day(0)}); err != nil {
		return sum, fmt.Errorf("demo loan decision: %w", err)
	}
	sum.Loans++
	if _, err := svc.RequestLoan(clerk, app.LoanInput{Kind: models.LoanTakeOut, CarrierID: take().ID, Borrower: "周强",
		Department: "规划科", Purpose: "赴省厅汇报工作", Destination: "川江省发展改革委", DueOn: day(3)}); err != nil {
		return sum, fmt.Errorf("demo take-out: %w", err)
	}
	sum.PendingApprovals++

	// Two carriers of one issuer flagged to go back, gathered on its return list.
	ret := take()
	if _, err := svc.FlagReturnToIssuer(clerk, ret.ID, true); err != nil {
		return sum, fmt.Errorf("demo return: %w", err)
	}
	for _, c := range inStore[next:] {
		if c.Issuer == ret.Issuer {
			if _, err := svc.FlagReturnToIssuer(clerk, c.ID, true); err != nil {
				return sum, fmt.Errorf("demo return: %w", err)
			}
			break
		}
	}
	if _, err := svc.CreateReturnBatch(clerk, ret.Issuer); err != nil {
		return sum, fmt.Errorf("demo return batch: %w", err)
	}
	sum.ReturnBatches++

	// The oldest documents of the page wait for destruction approval.
	var old []string
	for _, c := range inStore[len(inStore)-3:] {
		if !c.ReturnToIssuer && c.Issuer != ret.Issuer {
			old = append(old, c.ID)
		}
	}
	if len(old) > 0 {
		if _, err := svc.RequestDestruction(clerk, app.DestructionInput{CarrierIDs: old,
			Reason: "已办结且超过保存期限，经清点无归档价值", Requester: "刘洋"}); err != nil {
			return sum, fmt.Errorf("demo destruction: %w", err)
		}
		sum.PendingApprovals++
	}
	return sum, nil
}
