package demo

import (
	"fmt"

	"secdoc/app"
	"secdoc/models"
)

// WorkflowSummary says what Workflows left in the register.
type WorkflowSummary struct {
	Approvers, Circulating, CopiesMade, PendingApprovals, Loans, ReturnBatches int
	// The office's own documents at each stage (R24, R25).
	Proposed, Printed, Sent, Receipts, ReceiptsOverdue int
}

func (s WorkflowSummary) String() string {
	return fmt.Sprintf("审批人 %d 名，传阅中 %d 件，已复制 %d 份，待审批 %d 项，借出 %d 件，清退单 %d 张；"+
		"发文待定密责任人审定 %d 件，已印制 %d 件，已分发 %d 份（已回执 %d 份，回执逾期 %d 份）",
		s.Approvers, s.Circulating, s.CopiesMade, s.PendingApprovals, s.Loans, s.ReturnBatches,
		s.Proposed, s.Printed, s.Sent, s.Receipts, s.ReceiptsOverdue)
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

	chief, err := svc.AddApprover(secAdmin, app.ApproverInput{Name: "陈建国", Title: "局长",
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
	// The outgoing workflows leave alone every registration with a copy used
	// above: a copy on a destruction list can be neither printed nor sent.
	used := map[string]bool{}
	for _, c := range inStore[:next] {
		used[c.BatchID] = true
	}
	for _, c := range inStore[len(inStore)-3:] {
		used[c.BatchID] = true
	}
	return sum, outgoing(svc, clerk, chief, used, &sum)
}

// outgoing takes the office's own documents through 定密, 印制 and 分发
// (R24, R25), leaving one at each stage: one not yet proposed, one proposed
// and waiting for the 定密责任人, one printed waiting for its 分送范围, one
// sent in part with a 回执 recorded and its 存档份 kept, and a 内部 one sent
// long ago whose 回执 is overdue.
func outgoing(svc *app.Service, clerk *app.Session, chief models.Approver, used map[string]bool,
	sum *WorkflowSummary) error {
	page, err := svc.Page(clerk, app.Query{Direction: models.DirOutgoing, States: []models.State{models.StateInStore},
		Kinds: []models.CarrierKind{models.KindPaper}}, 0, 400)
	if err != nil {
		return err
	}
	today := svc.Now()
	seen := map[string]bool{}
	var secret, internal []models.Carrier
	for _, c := range page {
		if seen[c.BatchID] || c.IsCopy || c.CopyCount < 2 || used[c.BatchID] {
			continue
		}
		seen[c.BatchID] = true
		switch {
		case c.Level.IsStateSecret() && c.TermKind != models.TermDefault:
			secret = append(secret, c)
		case !c.Level.IsStateSecret() && c.RegDate <= today.AddDate(0, 0, -45).Format(models.DateLayout):
			internal = append(internal, c)
		}
	}
	on := today.Format(models.DateLayout)
	// secret[0] stays as registered: 待提出定密.
	for i := 1; i < len(secret) && i <= 3; i++ {
		c := secret[i]
		k, err := svc.ProposeClassification(clerk, app.ClassifyInput{CarrierID: c.ID, Kind: models.ClassDerived,
			Level: c.Level, Term: c.Term(), NeedToKnow: "局领导、办公室", Basis: "依据上级来文的密级和保密期限派生",
			Undertaker: "刘洋"})
		if err != nil {
			return fmt.Errorf("demo classification: %w", err)
		}
		if i == 1 {
			sum.Proposed++
			continue
		}
		if _, err := svc.DecideClassification(clerk, app.ClassDecision{ClassID: k.ID, AuthorityID: chief.ID,
			Signer: chief.Name, DecidedOn: on}); err != nil {
			return fmt.Errorf("demo classification decision: %w", err)
		}
		if err := printAndSend(svc, clerk, c, on, on, i == 3, sum); err != nil {
			return err
		}
	}
	if len(internal) > 0 {
		c := internal[0]
		sent := today.AddDate(0, 0, -40).Format(models.DateLayout)
		if err := printAndSend(svc, clerk, c, c.RegDate, sent, true, sum); err != nil {
			return err
		}
	}
	return nil
}

// printAndSend records a document's printing and, with send, its 分送范围
// and the sending of all but its 存档份 on sentOn.
func printAndSend(svc *app.Service, clerk *app.Session, c models.Carrier, printedOn, sentOn string, send bool,
	sum *WorkflowSummary) error {
	if _, err := svc.RecordPrinting(clerk, app.PrintingInput{CarrierID: c.ID, Copies: c.CopyCount,
		Printer: "文印室 陈静", PrintedOn: printedOn, Spoiled: 2, Proofs: 1}); err != nil {
		return fmt.Errorf("demo printing: %w", err)
	}
	sum.Printed++
	if !send {
		return nil
	}
	copies, err := svc.Unsent(clerk, c.ID)
	if err != nil {
		return err
	}
	out := copies[:len(copies)-1] // the last stays as the 存档份
	half := (len(out) + 1) / 2
	var sendings []models.Sending
	for i, part := range [][]models.Carrier{out[:half], out[half:]} {
		if len(part) == 0 {
			continue
		}
		to := []string{"川江省发展改革委", "遂安市人民政府办公室"}[i]
		l, err := svc.AddDispatchLine(clerk, app.DispatchLineInput{CarrierID: c.ID, Recipient: to, Copies: len(part),
			Channel: models.ChannelCourier})
		if err != nil {
			return fmt.Errorf("demo dispatch line: %w", err)
		}
		ids := make([]string, len(part))
		for j, x := range part {
			ids[j] = x.ID
		}
		xs, err := svc.Send(clerk, app.SendInput{LineID: l.ID, CarrierIDs: ids, SentOn: sentOn, Handler: "机要交通员 何平",
			Sealed: c.Level == models.LevelTopSecret})
		if err != nil {
			return fmt.Errorf("demo sending: %w", err)
		}
		sendings = append(sendings, xs...)
	}
	sum.Sent += len(sendings)
	if len(sendings) > 0 && sentOn == printedOn {
		x := sendings[0]
		if _, err := svc.RecordReceipt(clerk, app.ReceiptInput{SendingID: x.ID, Kind: models.ReceiptSlip,
			No: "回" + x.SentOn[:4] + "-017", On: x.SentOn}); err != nil {
			return fmt.Errorf("demo receipt: %w", err)
		}
		sum.Receipts++
	} else {
		sum.ReceiptsOverdue += len(sendings)
	}
	return nil
}
