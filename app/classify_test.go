package app

import (
	"testing"

	"secdoc/models"
)

func ownDoc(t *testing.T, s *Service, copies string) []models.Carrier {
	t.Helper()
	f := form()
	f.Direction, f.DocNumber, f.Copies = models.DirOutgoing, "遂发改发〔2026〕9号", copies
	f.TermKind, f.TermYears, f.DocDate = models.TermYears, "10", "2026-11-20"
	return mustRegister(t, s, f)
}

func classifyInput(c models.Carrier) ClassifyInput {
	return ClassifyInput{CarrierID: c.ID, Kind: models.ClassDerived, Level: models.LevelSecret,
		Term: models.Term{Kind: models.TermYears, Years: 10}, NeedToKnow: "办公室主任、分管领导",
		Basis: "依据省发改委川发改〔2026〕3号（机密★10年）派生", Undertaker: "刘洋"}
}

// R24: a 定密 record is proposed only for the office's own 国家秘密
// documents, with an explicit term, a 知悉范围, a basis and a 承办人; each
// refusal leaves the register as it was.
func TestClassify_R24_ProposalRules(t *testing.T) {
	s := newService(t)
	own := ownDoc(t, s, "2")
	recv := mustRegister(t, s, form())[0]
	f := form()
	f.Direction, f.DocNumber, f.Level = models.DirOutgoing, "遂发改发〔2026〕10号", models.LevelInternal
	internal := mustRegister(t, s, f)[0]
	before := countRows(t, s)
	for _, c := range []struct {
		edit        func(*ClassifyInput)
		field, want string
	}{
		{func(in *ClassifyInput) { in.CarrierID = recv.ID }, FieldClassCarrier, "来文机关定密"},
		{func(in *ClassifyInput) { in.CarrierID = internal.ID }, FieldClassCarrier, "不需定密"},
		{func(in *ClassifyInput) { in.Term = models.Term{Kind: models.TermDefault} }, FieldClassTerm, "不能空着"},
		{func(in *ClassifyInput) { in.Basis = " " }, FieldBasis, "定密依据"},
		{func(in *ClassifyInput) { in.NeedToKnow = "" }, FieldNeedToKnow, "知悉范围"},
		{func(in *ClassifyInput) { in.Term = models.Term{Kind: models.TermYears, Years: 25} }, FieldClassTerm, "1 至 20 年"},
	} {
		in := classifyInput(own[0])
		c.edit(&in)
		_, err := s.ProposeClassification(clerk(t, s), in)
		wantRefusal(t, err, nil, c.field, c.want)
		unchanged(t, s, before)
	}
	k, err := s.ProposeClassification(clerk(t, s), classifyInput(own[1]))
	if err != nil || k.State != models.ClassProposed || k.BatchID != own[0].BatchID {
		t.Fatalf("proposal: %+v %v", k, err)
	}
	_, err = s.ProposeClassification(clerk(t, s), classifyInput(own[0]))
	wantRefusal(t, err, models.ErrBadClassification, FieldClassCarrier, "已有定密记录")
}

// R24: the 定密责任人 approves or changes the proposal within the level he
// may fix; every copy takes the decided mark; 原始定密 beyond the office's
// 定密权 waits as 报请上级确定.
func TestClassify_R24_DecisionByTheResponsiblePerson(t *testing.T) {
	s := newService(t)
	own := ownDoc(t, s, "2")
	k, err := s.ProposeClassification(clerk(t, s), classifyInput(own[0]))
	if err != nil {
		t.Fatal(err)
	}
	low := addApprover(t, s, "赵一", models.LevelConfidential, models.ApproveClassify)
	noAct := addApprover(t, s, "钱二", models.LevelTopSecret, models.ApproveCopy)
	chief := addApprover(t, s, "孙局长", models.LevelTopSecret, models.ApproveClassify)
	before := countRows(t, s)
	d := ClassDecision{ClassID: k.ID, AuthorityID: low.ID, DecidedOn: "2026-11-23", Signer: "孙局长"}
	_, err = s.DecideClassification(clerk(t, s), d)
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "赵一", "只能审批秘密")
	d.AuthorityID = noAct.ID
	_, err = s.DecideClassification(clerk(t, s), d)
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "无权审批定密")
	d.AuthorityID, d.DecidedOn = chief.ID, "2026-11-01"
	_, err = s.DecideClassification(clerk(t, s), d)
	wantRefusal(t, err, models.ErrBackdated, FieldDecidedOn, "倒签")
	unchanged(t, s, before)

	// Changed: 机密★10年 → 机密★5年 on every copy.
	d.DecidedOn, d.Term = "2026-11-23", models.Term{Kind: models.TermYears, Years: 5}
	got, err := s.DecideClassification(clerk(t, s), d)
	if err != nil || got.State != models.ClassApproved || got.Authority != "孙局长" || got.Signer != "孙局长" ||
		got.Changed != "机密★10年 改为 机密★5年" {
		t.Fatalf("decision: %+v %v", got, err)
	}
	for _, c := range own {
		cur, _ := s.Get(clerk(t, s), c.ID)
		if cur.Marking() != "机密★5年" {
			t.Errorf("%s mark %s", cur.RegNo, cur.Marking())
		}
	}
	if _, err := s.DecideClassification(clerk(t, s), d); err == nil {
		t.Fatal("an approved 定密 decided again")
	}

	// 原始定密 without the office's own 定密权: 报请上级确定.
	f := form()
	f.Direction, f.DocNumber, f.TermKind, f.TermYears = models.DirOutgoing, "遂发改发〔2026〕11号", models.TermYears, "5"
	orig := mustRegister(t, s, f)[0]
	in := classifyInput(orig)
	in.Kind, in.Basis = models.ClassOriginal, "本机关保密事项范围第3项"
	k2, err := s.ProposeClassification(clerk(t, s), in)
	if err != nil {
		t.Fatal(err)
	}
	got, err = s.DecideClassification(clerk(t, s), ClassDecision{ClassID: k2.ID, AuthorityID: chief.ID, DecidedOn: "2026-11-23"})
	if err != nil || got.State != models.ClassReferred {
		t.Fatalf("原始 without 定密权: %+v %v", got, err)
	}
	// With the power up to 机密, set by the security officer (the clerk can't),
	// the office decides it itself.
	if err := s.SetOriginalClassLevel(clerk(t, s), models.LevelSecret); err == nil {
		t.Fatal("the clerk set the office's 定密权")
	}
	if err := s.SetOriginalClassLevel(as(t, s, "secadmin"), models.LevelSecret); err != nil {
		t.Fatal(err)
	}
	got, err = s.DecideClassification(clerk(t, s), ClassDecision{ClassID: k2.ID, AuthorityID: chief.ID, DecidedOn: "2026-11-23"})
	if err != nil || got.State != models.ClassApproved {
		t.Fatalf("原始 within the office's 定密权: %+v %v", got, err)
	}
}

// R24: a 定密责任人 is 法定 or 指定, the 指定 one with the document that
// designates him.
func TestClassify_R24_ResponsiblePersonsDesignation(t *testing.T) {
	s := newService(t)
	sa := as(t, s, "secadmin")
	in := ApproverInput{Name: "孙局长", Title: "局长", Actions: models.ActionSet{models.ApproveClassify},
		MaxLevel: models.LevelTopSecret, Active: true}
	_, err := s.AddApprover(sa, in)
	wantRefusal(t, err, nil, FieldDesignation, "法定", "指定")
	in.Designation = "指定"
	_, err = s.AddApprover(sa, in)
	wantRefusal(t, err, nil, FieldDesignation, "指定文件的文号")
	in.Designation = "法定"
	a, err := s.AddApprover(sa, in)
	if err != nil || a.Designation != "法定" {
		t.Fatalf("法定: %+v %v", a, err)
	}
}

// R24: the 定密审批表 prints the proposal and the 定密责任人's decision.
func TestPrint_R24_ClassificationSlip(t *testing.T) {
	s := newService(t)
	own := ownDoc(t, s, "1")
	k, err := s.ProposeClassification(clerk(t, s), classifyInput(own[0]))
	if err != nil {
		t.Fatal(err)
	}
	chief := addApprover(t, s, "孙局长", models.LevelTopSecret, models.ApproveClassify)
	mustPrint(t, s, FormClassify, k.SlipNo, "定密审批表", k.SlipNo, own[0].RegNo, "派生定密", "机密★10年",
		"办公室主任、分管领导", "川发改〔2026〕3号", "承办人：刘洋", "定密责任人签字")
	if _, err := s.DecideClassification(clerk(t, s), ClassDecision{ClassID: k.ID, AuthorityID: chief.ID,
		DecidedOn: "2026-11-23", Signer: "孙局长", Term: models.Term{Kind: models.TermYears, Years: 5}}); err != nil {
		t.Fatal(err)
	}
	mustPrint(t, s, FormClassify, k.SlipNo, "机密★5年", "审定", "机密★10年改为机密★5年", "孙局长", "2026年11月23日")
}

// R24: a 原始定密 referred to the superior waits, protected at the level
// proposed, until the superior's decision is entered; then every copy takes
// the mark the superior fixed, and the document may be printed and sent.
func TestClassify_R24_SuperiorDecisionEntered(t *testing.T) {
	s := newService(t)
	own := ownDoc(t, s, "2")
	in := classifyInput(own[0])
	in.Kind, in.Basis = models.ClassOriginal, "本机关保密事项范围第3项"
	k, err := s.ProposeClassification(clerk(t, s), in)
	if err != nil {
		t.Fatal(err)
	}
	chief := addApprover(t, s, "孙局长", models.LevelTopSecret, models.ApproveClassify)
	_, err = s.RecordSuperiorDecision(clerk(t, s), SuperiorDecision{ClassID: k.ID, Superior: "遂安市保密局",
		DocNo: "遂保〔2026〕5号", DecidedOn: "2026-11-23"})
	wantRefusal(t, err, models.ErrRequestDecided, FieldClassCarrier, "不是报请上级确定")
	if k, err = s.DecideClassification(clerk(t, s), ClassDecision{ClassID: k.ID, AuthorityID: chief.ID, DecidedOn: "2026-11-23"}); err != nil || k.State != models.ClassReferred {
		t.Fatalf("referral: %+v %v", k, err)
	}
	_, err = s.RecordPrinting(clerk(t, s), printInput(own[0], 2))
	wantRefusal(t, err, models.ErrNotClassified, FieldDispatchCarrier, "报请上级确定")
	before := dispatchRows(t, s)
	_, err = s.RecordSuperiorDecision(clerk(t, s), SuperiorDecision{ClassID: k.ID, Superior: "遂安市保密局", DecidedOn: "2026-11-23"})
	wantRefusal(t, err, models.ErrBadClassification, FieldSuperiorDoc, "批复文号")
	if after := dispatchRows(t, s); after != before {
		t.Fatalf("refusal changed %s → %s", before, after)
	}
	got, err := s.RecordSuperiorDecision(clerk(t, s), SuperiorDecision{ClassID: k.ID, Superior: "遂安市保密局",
		DocNo: "遂保〔2026〕5号", Level: models.LevelConfidential, Term: models.Term{Kind: models.TermYears, Years: 5},
		DecidedOn: "2026-11-23"})
	if err != nil || got.State != models.ClassApproved || got.SuperiorDoc != "遂保〔2026〕5号" || got.Authority != "孙局长" {
		t.Fatalf("superior decision: %+v %v", got, err)
	}
	for _, c := range own {
		if now, _ := takeCarrier(s.db, c.ID); now.Marking() != "秘密★5年" {
			t.Fatalf("%s marked %s after the superior's decision", c.RegNo, now.Marking())
		}
	}
	if _, err := s.RecordPrinting(clerk(t, s), printInput(own[0], 2)); err != nil {
		t.Fatalf("printing after the superior's decision: %v", err)
	}
}
