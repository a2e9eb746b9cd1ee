package app

import (
	"fmt"
	"strings"
	"testing"

	"secdoc/models"
)

// dispatchRows counts what 定密, 印制 and 分发 can write, and the copies
// sent: a refused act must leave every count as it was.
func dispatchRows(t *testing.T, s *Service) string {
	t.Helper()
	var out []string
	for _, q := range []string{`carriers`, `carrier_events`, `classifications`, `printings`, `dispatch_lines`,
		`sendings`, `destruction_batches`, `carriers WHERE state = 'sent'`, `sendings WHERE receipt_on <> ''`} {
		var n int64
		if err := s.db.Raw(`SELECT count(*) FROM ` + q).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%s=%d", q, n))
	}
	return strings.Join(out, " ")
}

// wantAuditedRefusal checks the refusal left the register as it was and was
// recorded.
func wantAuditedRefusal(t *testing.T, s *Service, before string, n int64) {
	t.Helper()
	if after := dispatchRows(t, s); after != before {
		t.Fatalf("a refused act changed the register:\n before %s\n after  %s", before, after)
	}
	if auditCount(t, s) != n+1 {
		t.Fatalf("audit records %d, want %d: the refusal is recorded once", auditCount(t, s), n+1)
	}
	if r := lastAudit(t, s); r.Event != models.EventRuleDenied || r.Success {
		t.Fatalf("last audit record %+v, want a rule refusal", r)
	}
}

// refuse runs a refused act and checks it left nothing but its audit record.
func mustRefuse(t *testing.T, s *Service, act func() error, cause error, field string, words ...string) {
	t.Helper()
	before, n := dispatchRows(t, s), auditCount(t, s)
	wantRefusal(t, act(), cause, field, words...)
	wantAuditedRefusal(t, s, before, n)
}

// classifiedDoc registers an outgoing 秘密 document of copies and has its
// 定密 approved by a 定密责任人.
func classifiedDoc(t *testing.T, s *Service, copies string) []models.Carrier {
	t.Helper()
	own := ownDoc(t, s, copies)
	k, err := s.ProposeClassification(clerk(t, s), classifyInput(own[0]))
	if err != nil {
		t.Fatal(err)
	}
	a := addApprover(t, s, "孙局长", models.LevelTopSecret, models.ApproveClassify)
	if _, err := s.DecideClassification(clerk(t, s), ClassDecision{ClassID: k.ID, AuthorityID: a.ID,
		DecidedOn: "2026-11-23", Signer: "孙局长"}); err != nil {
		t.Fatal(err)
	}
	return own
}

func printInput(c models.Carrier, copies int) PrintingInput {
	return PrintingInput{CarrierID: c.ID, Copies: copies, Printer: "文印室 陈静", PrintedOn: "2026-11-23", Spoiled: 3, Proofs: 1}
}

func mustLine(t *testing.T, s *Service, c models.Carrier, to string, n int, ch models.Channel) models.DispatchLine {
	t.Helper()
	l, err := s.AddDispatchLine(clerk(t, s), DispatchLineInput{CarrierID: c.ID, Recipient: to, Copies: n, Channel: ch})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func mustSend(t *testing.T, s *Service, l models.DispatchLine, on string, cs ...models.Carrier) []models.Sending {
	t.Helper()
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	out, err := s.Send(clerk(t, s), SendInput{LineID: l.ID, CarrierIDs: ids, SentOn: on, Handler: "王敏"})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// R24: an outgoing 国家秘密 document whose 定密 is not approved can be
// neither printed for distribution nor sent; each refusal is audited and
// changes nothing. 内部 documents skip 定密.
func TestDispatch_R24_UnclassifiedRefusedForPrintingAndSending(t *testing.T) {
	s := newService(t)
	own := ownDoc(t, s, "2")
	mustRefuse(t, s, func() error { _, err := s.RecordPrinting(clerk(t, s), printInput(own[0], 2)); return err },
		models.ErrNotClassified, FieldDispatchCarrier, own[0].RegNo, "尚无定密记录", "印制分发")
	k, err := s.ProposeClassification(clerk(t, s), classifyInput(own[0]))
	if err != nil {
		t.Fatal(err)
	}
	mustRefuse(t, s, func() error { _, err := s.RecordPrinting(clerk(t, s), printInput(own[0], 2)); return err },
		models.ErrNotClassified, FieldDispatchCarrier, k.SlipNo, "待定密责任人审定")

	// A disc needs no 印制, but still its 定密 before it is sent.
	f := form()
	f.Direction, f.DocNumber, f.Kind, f.Copies, f.Pages = models.DirOutgoing, "遂发改发〔2026〕11号",
		models.KindDisc, "1", "700MB"
	f.TermKind, f.TermYears, f.Level = models.TermYears, "5", models.LevelConfidential
	disc := mustRegister(t, s, f)[0]
	line := mustLine(t, s, disc, "遂安市财政局", 1, models.ChannelCourier)
	mustRefuse(t, s, func() error {
		_, err := s.Send(clerk(t, s), SendInput{LineID: line.ID, CarrierIDs: []string{disc.ID}, SentOn: "2026-11-23", Handler: "王敏"})
		return err
	}, models.ErrNotClassified, FieldSendCopies, "是秘密文件", "须经定密责任人审定定密后才能分发")

	// 内部: printed and sent without a 定密 record.
	f = form()
	f.Direction, f.DocNumber, f.Level, f.Copies = models.DirOutgoing, "遂发改发〔2026〕12号", models.LevelInternal, "2"
	internal := mustRegister(t, s, f)
	p, err := s.RecordPrinting(clerk(t, s), printInput(internal[0], 2))
	if err != nil || p.RangeText() != "000001-000002" {
		t.Fatalf("printing of an 内部 document: %+v %v", p, err)
	}
	mustSend(t, s, mustLine(t, s, internal[0], "遂安市财政局", 1, models.ChannelHand), "2026-11-23", internal[1])
}

// R25: 印数 must match the copies registered, and the spoiled sheets and
// proofs go onto a destruction list of the document's level, which a leader
// decides as any other.
func TestDispatch_R25_PrintingPutsSpoiledSheetsOnADestructionList(t *testing.T) {
	s := newService(t)
	own := classifiedDoc(t, s, "3")
	mustRefuse(t, s, func() error { _, err := s.RecordPrinting(clerk(t, s), printInput(own[0], 4)); return err },
		models.ErrBadDispatch, FieldPrintCopies, "印数 4", "登记的 3 份")
	in := printInput(own[0], 3)
	in.PrintedOn = "2026-11-24"
	mustRefuse(t, s, func() error { _, err := s.RecordPrinting(clerk(t, s), in); return err },
		models.ErrBadDispatch, FieldPrintedOn, "不能晚于今天")
	in = printInput(own[0], 3)
	in.Printer = ""
	mustRefuse(t, s, func() error { _, err := s.RecordPrinting(clerk(t, s), in); return err },
		models.ErrBadDispatch, FieldPrinter, "印制人")

	p, err := s.RecordPrinting(clerk(t, s), printInput(own[1], 3))
	if err != nil {
		t.Fatal(err)
	}
	if p.Copies != 3 || p.RangeText() != "000001-000003" || p.DestructionID == nil || !strings.HasPrefix(p.SlipNo, "印〔2026〕") {
		t.Fatalf("printing = %+v", p)
	}
	mustRefuse(t, s, func() error { _, err := s.RecordPrinting(clerk(t, s), printInput(own[2], 3)); return err },
		models.ErrBadDispatch, FieldDispatchCarrier, "已登记印制")

	list, err := s.DestructionList(clerk(t, s), *p.DestructionID)
	if err != nil {
		t.Fatal(err)
	}
	if list.Batch.State != models.DestructionPending || len(list.Items) != 1 ||
		!strings.Contains(list.Items[0].Title, "废页 3 张、校样 1 份") || list.Items[0].RegNo != own[0].RegNo ||
		list.Items[0].Level != models.LevelSecret {
		t.Fatalf("waste list = %+v", list)
	}
	batches, err := s.DestructionBatches(clerk(t, s))
	if err != nil || len(batches) != 1 || batches[0].Items != 1 || !batches[0].Waste || !strings.Contains(list.TotalsText(), "废页 3 张") {
		t.Fatalf("destruction batches = %+v %v", batches, err)
	}
	// The waste is decided at the document's level, then destroyed: no
	// carrier changes state.
	low := addApprover(t, s, "赵一", models.LevelSecret, models.ApproveDestroy)
	if _, err := s.DecideDestruction(clerk(t, s), DestructionDecision{BatchID: *p.DestructionID, ApproverID: low.ID,
		Decision: models.DecisionApprove, DecidedOn: "2026-11-23"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CompleteDestruction(clerk(t, s), *p.DestructionID, DestructionRecord{Method: models.MethodSelf,
		EquipmentNo: "XH-01", Place: "机要室", DestroyedOn: "2026-11-23", Witness1: "王敏", Witness2: "刘洋"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range own {
		if got, _ := takeCarrier(s.db, c.ID); got.State != models.StateInStore {
			t.Fatalf("%s became %s by the waste's destruction", c.RegNo, got.State)
		}
	}
}

// R25: a sent copy leaves the held counts and the custodian's next
// self-inspection, which still expects the 存档份; it can't be copied,
// lent or destroyed; sent in error, it comes back to 在库.
func TestDispatch_R25_SentCopyLeavesWhatTheOfficeHolds(t *testing.T) {
	s := newService(t)
	own := classifiedDoc(t, s, "3")
	if _, err := s.RecordPrinting(clerk(t, s), printInput(own[0], 3)); err != nil {
		t.Fatal(err)
	}
	st0, err := s.Stats(clerk(t, s))
	if err != nil {
		t.Fatal(err)
	}
	line := mustLine(t, s, own[0], "遂安市财政局", 2, models.ChannelCourier)
	sent := mustSend(t, s, line, "2026-11-23", own[0], own[1])
	if len(sent) != 2 || sent[0].Recipient != "遂安市财政局" || !sent[0].Outstanding() {
		t.Fatalf("sendings = %+v", sent)
	}
	st, err := s.Stats(clerk(t, s))
	if err != nil {
		t.Fatal(err)
	}
	if st.Held != st0.Held-2 || st.ByState[models.StateSent] != 2 {
		t.Fatalf("held %d → %d, sent %d: a sent copy must leave the held count", st0.Held, st.Held, st.ByState[models.StateSent])
	}
	in := mustStart(t, s, "王敏")
	r, err := s.InspectionResult(clerk(t, s), in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if regNos(r.Missing) != own[2].RegNo {
		t.Fatalf("self-inspection expects %s, want the 存档份 %s alone", regNos(r.Missing), own[2].RegNo)
	}
	for _, act := range []struct {
		name string
		do   func() error
	}{
		{"copy", func() error {
			_, err := s.RequestCopy(clerk(t, s), CopyRequestInput{CarrierID: own[0].ID, Copies: 1, Purpose: "工作需要", Requester: "刘洋"})
			return err
		}},
		{"loan", func() error {
			_, err := s.RequestLoan(clerk(t, s), LoanInput{Kind: models.LoanBorrow, CarrierID: own[0].ID, Borrower: "刘洋",
				Purpose: "阅研", DueOn: "2026-11-30"})
			return err
		}},
		{"destroy", func() error {
			_, err := s.RequestDestruction(clerk(t, s), DestructionInput{CarrierIDs: []string{own[0].ID}, Reason: "到期", Requester: "刘洋"})
			return err
		}},
	} {
		before, n := dispatchRows(t, s), auditCount(t, s)
		err := act.do()
		if err == nil || !strings.Contains(err.Error(), "已分发") {
			t.Fatalf("%s of a sent copy: %v, want a refusal naming 已分发", act.name, err)
		}
		wantAuditedRefusal(t, s, before, n)
	}
	// The line is spent: a third copy is refused.
	mustRefuse(t, s, func() error {
		_, err := s.Send(clerk(t, s), SendInput{LineID: line.ID, CarrierIDs: []string{own[2].ID}, SentOn: "2026-11-23", Handler: "王敏"})
		return err
	}, models.ErrBadDispatch, FieldSendCopies, "已分发 2 份")
	// Sent in error: back in store with the note, and counted again.
	back, err := s.ReturnSent(clerk(t, s), sent[1].ID, "2026-11-23", "错发，财政局只应收一份")
	if err != nil || back.ReturnedOn != "2026-11-23" {
		t.Fatalf("return: %+v %v", back, err)
	}
	if c, _ := takeCarrier(s.db, own[1].ID); c.State != models.StateInStore {
		t.Fatalf("returned copy is %s", c.State)
	}
	mustRefuse(t, s, func() error { _, err := s.ReturnSent(clerk(t, s), sent[1].ID, "2026-11-23", "再退"); return err },
		models.ErrRequestDecided, FieldSendReturnNote, "已于 2026-11-23 退回")
	lines, err := s.DispatchLines(clerk(t, s), own[0].ID)
	if err != nil || len(lines) != 1 || lines[0].Sent != 1 {
		t.Fatalf("lines = %+v %v", lines, err)
	}
}

// R25: 绝密 never goes through a 交换站 and always in a sealed envelope;
// the 分送范围 can't ask for more copies than were registered.
func TestDispatch_R25_ChannelsAndCopies(t *testing.T) {
	s := newService(t)
	own := classifiedDoc(t, s, "2")
	mustRefuse(t, s, func() error {
		_, err := s.AddDispatchLine(clerk(t, s), DispatchLineInput{CarrierID: own[0].ID, Recipient: "遂安市财政局", Copies: 3,
			Channel: models.ChannelCourier})
		return err
	}, models.ErrBadDispatch, FieldLineCopies, "合计 3", "2 份")
	mustRefuse(t, s, func() error {
		_, err := s.AddDispatchLine(clerk(t, s), DispatchLineInput{CarrierID: own[0].ID, Recipient: "遂安市财政局", Copies: 1,
			Channel: "快递"})
		return err
	}, models.ErrBadDispatch, FieldChannel, "分送渠道")
	recv := mustRegister(t, s, form())[0]
	mustRefuse(t, s, func() error {
		_, err := s.AddDispatchLine(clerk(t, s), DispatchLineInput{CarrierID: recv.ID, Recipient: "遂安市财政局", Copies: 1,
			Channel: models.ChannelCourier})
		return err
	}, models.ErrBadDispatch, FieldDispatchCarrier, "本机关制发")
	// A paper document is printed before it is sent.
	line := mustLine(t, s, own[0], "遂安市财政局", 1, models.ChannelExchange)
	mustRefuse(t, s, func() error {
		_, err := s.Send(clerk(t, s), SendInput{LineID: line.ID, CarrierIDs: []string{own[0].ID}, SentOn: "2026-11-23", Handler: "王敏"})
		return err
	}, models.ErrNotSendable, FieldSendCopies, "尚未登记印制")

	f := form()
	f.Direction, f.DocNumber, f.Level, f.Copies = models.DirOutgoing, "遂发改发〔2026〕20号", models.LevelTopSecret, "1"
	f.TermKind, f.TermYears, f.Kind, f.Pages = models.TermLong, "", models.KindDisc, "4GB"
	top := mustRegister(t, s, f)[0]
	mustRefuse(t, s, func() error {
		_, err := s.AddDispatchLine(clerk(t, s), DispatchLineInput{CarrierID: top.ID, Recipient: "省发改委", Copies: 1,
			Channel: models.ChannelExchange})
		return err
	}, models.ErrBadDispatch, FieldChannel, "绝密级文件不得通过机要文件交换站")
	k, err := s.ProposeClassification(clerk(t, s), ClassifyInput{CarrierID: top.ID, Kind: models.ClassDerived,
		Level: models.LevelTopSecret, Term: models.Term{Kind: models.TermLong}, NeedToKnow: "主要领导",
		Basis: "依据省委文件派生", Undertaker: "刘洋"})
	if err != nil {
		t.Fatal(err)
	}
	chief := addApprover(t, s, "周书记", models.LevelTopSecret, models.ApproveClassify)
	if _, err := s.DecideClassification(clerk(t, s), ClassDecision{ClassID: k.ID, AuthorityID: chief.ID, DecidedOn: "2026-11-23"}); err != nil {
		t.Fatal(err)
	}
	tl := mustLine(t, s, top, "省发改委", 1, models.ChannelCourier)
	in := SendInput{LineID: tl.ID, CarrierIDs: []string{top.ID}, SentOn: "2026-11-23", Handler: "机要交通员 何平"}
	mustRefuse(t, s, func() error { _, err := s.Send(clerk(t, s), in); return err }, models.ErrNotSendable, FieldSealed, "密封")
	in.Sealed = true
	x, err := s.Send(clerk(t, s), in)
	if err != nil || !x[0].Sealed {
		t.Fatalf("sealed sending: %+v %v", x, err)
	}
}

// R25: a copy whose 签收 or 回执 is missing past the configured days is
// overdue on the home's list and in the ledger's filter until it is
// recorded.
func TestDispatch_R25_OverdueReceipts(t *testing.T) {
	s := newService(t)
	f := form()
	f.Direction, f.DocNumber, f.Level, f.Copies, f.RegDate = models.DirOutgoing, "遂发改发〔2026〕5号", models.LevelInternal, "3", "2026-10-01"
	doc := mustRegister(t, s, f)
	if _, err := s.RecordPrinting(clerk(t, s), PrintingInput{CarrierID: doc[0].ID, Copies: 3, Printer: "文印室", PrintedOn: "2026-10-10"}); err != nil {
		t.Fatal(err)
	}
	line := mustLine(t, s, doc[0], "遂安市财政局", 2, models.ChannelPost)
	old := mustSend(t, s, line, "2026-10-20", doc[0])
	mustSend(t, s, line, "2026-11-20", doc[1])
	overdue := func() (string, int) {
		rows, total, err := s.OverdueReceipts(clerk(t, s), 10)
		if err != nil {
			t.Fatal(err)
		}
		var nos []string
		for _, r := range rows {
			nos = append(nos, r.RegNo)
		}
		n, err := s.Count(clerk(t, s), Query{ReceiptsDueBy: s.ReceiptCutoff()})
		if err != nil || int(n) != total {
			t.Fatalf("ledger filter counts %d, home %d: %v", n, total, err)
		}
		return strings.Join(nos, ","), total
	}
	if got, n := overdue(); got != doc[0].RegNo || n != 1 {
		t.Fatalf("overdue after 30 days: %s (%d), want %s", got, n, doc[0].RegNo)
	}
	if err := s.SetReceiptDays(as(t, s, "secadmin"), 40); err != nil {
		t.Fatal(err)
	}
	if got, _ := overdue(); got != "" {
		t.Fatalf("overdue after 40 days: %s, want none", got)
	}
	if err := s.SetReceiptDays(clerk(t, s), 10); err == nil {
		t.Fatal("the clerk set the receipt days")
	}
	if err := s.SetReceiptDays(as(t, s, "secadmin"), 2); err != nil {
		t.Fatal(err)
	}
	if _, n := overdue(); n != 2 {
		t.Fatalf("overdue after 2 days: %d, want 2", n)
	}
	mustRefuse(t, s, func() error {
		_, err := s.RecordReceipt(clerk(t, s), ReceiptInput{SendingID: old[0].ID, Kind: models.ReceiptSlip, No: "回2026-118", On: "2026-10-19"})
		return err
	}, models.ErrBackdated, FieldReceiptOn, "早于分发日期")
	mustRefuse(t, s, func() error {
		_, err := s.RecordReceipt(clerk(t, s), ReceiptInput{SendingID: old[0].ID, Kind: models.ReceiptSlip, On: "2026-11-01"})
		return err
	}, models.ErrBadDispatch, FieldReceiptNo, "回执编号")
	x, err := s.RecordReceipt(clerk(t, s), ReceiptInput{SendingID: old[0].ID, Kind: models.ReceiptSlip, No: "回2026-118", On: "2026-11-01"})
	if err != nil || x.Outstanding() {
		t.Fatalf("receipt: %+v %v", x, err)
	}
	if got, _ := overdue(); got != doc[1].RegNo {
		t.Fatalf("overdue after the receipt: %s, want %s", got, doc[1].RegNo)
	}
	mustRefuse(t, s, func() error {
		_, err := s.RecordReceipt(clerk(t, s), ReceiptInput{SendingID: old[0].ID, Kind: models.ReceiptSigned, No: "李四", On: "2026-11-02"})
		return err
	}, models.ErrRequestDecided, FieldReceiptNo, "回执（2026-11-01）")
	// A sending, once acknowledged, can't be rewritten even from outside the program's rules.
	if err := s.db.Exec(`UPDATE sendings SET receipt_no = 'x' WHERE id = ?`, old[0].ID).Error; err == nil {
		t.Fatal("an acknowledged sending was rewritten")
	}
	// The courier's run lists the day's sendings.
	run, err := s.CourierRun(clerk(t, s), "2026-11-20", models.ChannelPost)
	if err != nil || len(run) != 1 || run[0].RegNo != doc[1].RegNo {
		t.Fatalf("run = %+v %v", run, err)
	}
}

// R24, R25: the home's 待定密 and 待分发 lists follow a document through its steps.
func TestDispatch_R25_HomeListsFollowTheSteps(t *testing.T) {
	s := newService(t)
	own := ownDoc(t, s, "2")
	steps := func() (string, string) {
		a, na, err := s.AwaitingClassification(clerk(t, s), 10)
		if err != nil || na != len(a) {
			t.Fatalf("awaiting classification %d/%d %v", len(a), na, err)
		}
		b, nb, err := s.AwaitingDispatch(clerk(t, s), 10)
		if err != nil || nb != len(b) {
			t.Fatalf("awaiting dispatch %d/%d %v", len(b), nb, err)
		}
		var x, y []string
		for _, d := range a {
			x = append(x, d.RegNo+" "+d.Step)
		}
		for _, d := range b {
			y = append(y, d.RegNo+" "+d.Step)
		}
		return strings.Join(x, ","), strings.Join(y, ",")
	}
	if a, b := steps(); a != own[0].RegNo+" 待提出定密" || b != "" {
		t.Fatalf("registered: %q %q", a, b)
	}
	k, err := s.ProposeClassification(clerk(t, s), classifyInput(own[0]))
	if err != nil {
		t.Fatal(err)
	}
	if a, _ := steps(); a != own[0].RegNo+" 待定密责任人审定" {
		t.Fatalf("proposed: %q", a)
	}
	chief := addApprover(t, s, "孙局长", models.LevelTopSecret, models.ApproveClassify)
	if _, err := s.DecideClassification(clerk(t, s), ClassDecision{ClassID: k.ID, AuthorityID: chief.ID, DecidedOn: "2026-11-23"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordPrinting(clerk(t, s), printInput(own[0], 2)); err != nil {
		t.Fatal(err)
	}
	if a, b := steps(); a != "" || b != own[0].RegNo+" 待定分送范围" {
		t.Fatalf("printed: %q %q", a, b)
	}
	line := mustLine(t, s, own[0], "遂安市财政局", 1, models.ChannelCourier)
	if _, b := steps(); b != own[0].RegNo+" 待分发 1 份" {
		t.Fatalf("planned: %q", b)
	}
	mustSend(t, s, line, "2026-11-23", own[0])
	if a, b := steps(); a != "" || b != "" {
		t.Fatalf("sent: %q %q", a, b)
	}
}
