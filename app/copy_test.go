package app

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"secdoc/models"
)

// rows counts the rows of the tables a copy can touch.
type rows struct{ carriers, requests, events, approvers int64 }

func countRows(t *testing.T, s *Service) rows {
	t.Helper()
	var r rows
	for _, q := range []struct {
		table string
		n     *int64
	}{{"carriers", &r.carriers}, {"copy_requests", &r.requests}, {"carrier_events", &r.events},
		{"approvers", &r.approvers}} {
		if err := s.db.Raw(`SELECT count(*) FROM ` + q.table).Scan(q.n).Error; err != nil {
			t.Fatal(err)
		}
	}
	return r
}

// unchanged fails the test when the database gained or lost rows since before.
func unchanged(t *testing.T, s *Service, before rows) {
	t.Helper()
	if after := countRows(t, s); after != before {
		t.Fatalf("database changed by a refused act: before %+v, after %+v", before, after)
	}
}

// wantRefusal checks err is a *ValidationError with cause whose message for
// field contains every one of words.
func wantRefusal(t *testing.T, err error, cause error, field string, words ...string) {
	t.Helper()
	if err == nil {
		t.Fatal("accepted, want a refusal")
	}
	if cause != nil && !errors.Is(err, cause) {
		t.Fatalf("err = %v, want errors.Is %v", err, cause)
	}
	v, ok := models.AsValidation(err)
	if !ok {
		t.Fatalf("err = %T %v, want a *ValidationError", err, err)
	}
	msg := v.Msg(field)
	for _, w := range words {
		if !strings.Contains(msg, w) {
			t.Fatalf("message for %s = %q, want it to contain %q (all: %v)", field, msg, w, err)
		}
	}
}

func addApprover(t *testing.T, s *Service, name string, level models.Level, actions ...models.ApprovalAction) models.Approver {
	t.Helper()
	in := ApproverInput{Name: name, Title: "副局长", Actions: actions, MaxLevel: level, Active: true}
	if in.Actions.Has(models.ApproveClassify) {
		in.Designation, in.DesignationDoc = "指定", "遂发改〔2026〕1号"
	}
	a, err := s.AddApprover(as(t, s, "secadmin"), in)
	if err != nil {
		t.Fatalf("add approver: %v", err)
	}
	return a
}

func copyInput(c models.Carrier, n int) CopyRequestInput {
	return CopyRequestInput{CarrierID: c.ID, Copies: n, Purpose: "传达学习", Requester: "刘洋"}
}

func mustRequest(t *testing.T, s *Service, in CopyRequestInput) models.CopyRequest {
	t.Helper()
	r, err := s.RequestCopy(clerk(t, s), in)
	if err != nil {
		t.Fatalf("request copy: %v", err)
	}
	return r
}

func approve(r models.CopyRequest, a models.Approver) CopyDecision {
	return CopyDecision{RequestID: r.ID, ApproverID: a.ID, Decision: models.DecisionApprove,
		Opinion: "同意复制", DecidedOn: "2026-11-23"}
}

func TestCopy_R1_TopSecretRefused(t *testing.T) {
	s := newService(t)
	f := form()
	f.Level = models.LevelTopSecret
	c := mustRegister(t, s, f)[0]
	before := countRows(t, s)
	_, err := s.RequestCopy(clerk(t, s), copyInput(c, 1))
	wantRefusal(t, err, models.ErrCopyForbidden, FieldCopyCarrier, "绝密", "不得复制")
	unchanged(t, s, before)
	// Even with an authority's document, while the policy switch is off.
	in := copyInput(c, 1)
	in.AuthorityDoc = "国保发〔2026〕1号"
	_, err = s.RequestCopy(clerk(t, s), in)
	wantRefusal(t, err, models.ErrCopyForbidden, FieldCopyCarrier, "绝密")
	unchanged(t, s, before)
}

func TestCopy_R1_CipherTelegramRefused(t *testing.T) {
	s := newService(t)
	f := form()
	f.Kind = models.KindCipherTel
	f.Level = models.LevelConfidential
	c := mustRegister(t, s, f)[0]
	// Not even when 绝密 copying is allowed by policy.
	if err := s.SetTopSecretCopyAllowed(as(t, s, "secadmin"), true); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, s)
	_, err := s.RequestCopy(clerk(t, s), copyInput(c, 2))
	wantRefusal(t, err, models.ErrCopyForbidden, FieldCopyCarrier, "密码电报", "不得复制")
	unchanged(t, s, before)
}

func TestCopy_R1_TopSecretWithPolicySwitchNeedsDocument(t *testing.T) {
	s := newService(t)
	f := form()
	f.Level = models.LevelTopSecret
	c := mustRegister(t, s, f)[0]
	if s.TopSecretCopyAllowed() {
		t.Fatal("the 绝密 copy switch is on by default")
	}
	if err := s.SetTopSecretCopyAllowed(clerk(t, s), true); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("clerk set the switch: %v", err)
	}
	if err := s.SetTopSecretCopyAllowed(as(t, s, "secadmin"), true); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, s)
	_, err := s.RequestCopy(clerk(t, s), copyInput(c, 1))
	wantRefusal(t, err, models.ErrNeedsAuthorityDoc, FieldAuthorityDoc, "原定密机关", "文号")
	unchanged(t, s, before)

	in := copyInput(c, 1)
	in.AuthorityDoc = "国保发〔2026〕1号"
	r := mustRequest(t, s, in)
	if r.AuthorityDoc != "国保发〔2026〕1号" {
		t.Fatalf("authority doc = %q", r.AuthorityDoc)
	}
	// A 机密-level approver can't approve a 绝密 copy; a 绝密 one can.
	low := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveCopy)
	before = countRows(t, s)
	_, _, err = s.DecideCopy(clerk(t, s), approve(r, low))
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "陈刚", "绝密")
	unchanged(t, s, before)
	high := addApprover(t, s, "孙立", models.LevelTopSecret, models.ApproveCopy)
	_, copies, err := s.DecideCopy(clerk(t, s), approve(r, high))
	if err != nil || len(copies) != 1 || copies[0].Level != models.LevelTopSecret {
		t.Fatalf("approved 绝密 copy: %v %+v", err, copies)
	}
}

func TestCopy_NotInStoreRefused(t *testing.T) {
	s := newService(t)
	cs := mustRegister(t, s, func() models.CarrierForm { f := form(); f.Copies = "2"; return f }())
	if err := s.db.Exec(`UPDATE carriers SET state = ? WHERE id = ?`, models.StateOnLoan, cs[0].ID).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.Void(clerk(t, s), cs[1].ID, cs[1].Version, "份号登记错误"); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, s)
	_, err := s.RequestCopy(clerk(t, s), copyInput(cs[0], 1))
	wantRefusal(t, err, models.ErrNotInStore, FieldCopyCarrier, "借出", "在库")
	_, err = s.RequestCopy(clerk(t, s), copyInput(cs[1], 1))
	wantRefusal(t, err, models.ErrVoided, FieldCopyCarrier, "作废")
	unchanged(t, s, before)

	// A carrier lent out between request and decision is not copied either.
	c := mustRegister(t, s, func() models.CarrierForm { f := form(); f.CopyNo = "5"; return f }())[0]
	r := mustRequest(t, s, copyInput(c, 1))
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveCopy)
	if err := s.db.Exec(`UPDATE carriers SET state = ? WHERE id = ?`, models.StateTakenOut, c.ID).Error; err != nil {
		t.Fatal(err)
	}
	before = countRows(t, s)
	_, _, err = s.DecideCopy(clerk(t, s), approve(r, a))
	wantRefusal(t, err, models.ErrNotInStore, FieldCopyCarrier, "外出携带")
	unchanged(t, s, before)
}

func TestCopy_RequestChecksCopiesAndPurpose(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	before := countRows(t, s)
	for _, n := range []int{0, -1, 100} {
		_, err := s.RequestCopy(clerk(t, s), copyInput(c, n))
		wantRefusal(t, err, nil, FieldCopies, "1 至 99")
	}
	in := copyInput(c, 1)
	in.Purpose = "  "
	_, err := s.RequestCopy(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldPurpose, "用途")
	unchanged(t, s, before)
	r := mustRequest(t, s, copyInput(c, 99))
	if r.SlipNo != "复〔2026〕0001" || r.State != models.RequestPending || r.RequestedOn != "2026-11-23" {
		t.Fatalf("request = %+v", r)
	}
	if r2 := mustRequest(t, s, copyInput(c, 1)); r2.SlipNo != "复〔2026〕0002" {
		t.Fatalf("second slip = %s", r2.SlipNo)
	}
}

func TestApproval_R9_DecisionRequired(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	r := mustRequest(t, s, copyInput(c, 1))
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveCopy)
	before := countRows(t, s)
	for _, d := range []string{"", "已核", "陈刚", "阅", "同意。"} {
		in := approve(r, a)
		in.Decision = d
		_, _, err := s.DecideCopy(clerk(t, s), in)
		wantRefusal(t, err, models.ErrNoDecision, FieldDecision, "同意", "不同意", "已核")
	}
	in := approve(r, a)
	in.DecidedOn = ""
	_, _, err := s.DecideCopy(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldDecidedOn, "审批日期")
	in = approve(r, a)
	in.ApproverID = ""
	_, _, err = s.DecideCopy(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldApprover, "审批人")
	unchanged(t, s, before)
	got, _ := s.CopyRequests(clerk(t, s), c.ID)
	if len(got) != 1 || got[0].State != models.RequestPending || got[0].Decision != "" {
		t.Fatalf("request after refusals: %+v", got)
	}
}

func TestApproval_R9_NoBackdating(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	r := mustRequest(t, s, copyInput(c, 1)) // requested on 2026-11-23
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveCopy)
	before := countRows(t, s)
	in := approve(r, a)
	in.DecidedOn = "2026-11-22"
	_, _, err := s.DecideCopy(clerk(t, s), in)
	wantRefusal(t, err, models.ErrBackdated, FieldDecidedOn, "2026-11-22", "2026-11-23", "倒签")
	in.DecidedOn = "2026-11-24" // after today
	_, _, err = s.DecideCopy(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldDecidedOn, "不能晚于今天")
	unchanged(t, s, before)
	in.DecidedOn = "2026-11-23"
	if _, _, err := s.DecideCopy(clerk(t, s), in); err != nil {
		t.Fatalf("same-day approval: %v", err)
	}
}

func TestApproval_R9_ApproverLacksAuthorityForLevel(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0] // 机密
	r := mustRequest(t, s, copyInput(c, 1))
	a := addApprover(t, s, "陈刚", models.LevelConfidential, models.ApproveCopy)
	before := countRows(t, s)
	_, _, err := s.DecideCopy(clerk(t, s), approve(r, a))
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "陈刚", "秘密", "机密")
	// Nor an inactive approver, whatever their level.
	b := addApprover(t, s, "孙立", models.LevelTopSecret, models.ApproveCopy)
	if _, err := s.UpdateApprover(as(t, s, "secadmin"), b.ID, ApproverInput{Name: b.Name, Title: b.Title,
		Actions: b.Actions, MaxLevel: b.MaxLevel, Active: false}); err != nil {
		t.Fatal(err)
	}
	before.approvers++
	_, _, err = s.DecideCopy(clerk(t, s), approve(r, b))
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "孙立", "停用")
	unchanged(t, s, before)
}

func TestApproval_R9_ApproverLacksAction(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	r := mustRequest(t, s, copyInput(c, 1))
	a := addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveLoan, models.ApproveDestroy)
	before := countRows(t, s)
	_, _, err := s.DecideCopy(clerk(t, s), approve(r, a))
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "陈刚", "无权审批复制")
	unchanged(t, s, before)
}

func TestCopy_R16_CopiesKeepLevelTermNeedToKnow(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies, f.CopyNo = "3", "1" // 份号 000001–000003
	f.TermKind, f.TermYears = models.TermYears, "10"
	origs := mustRegister(t, s, f)
	other := form() // same 文号, 份号 000007, registered separately
	other.CopyNo = "7"
	mustRegister(t, s, other)
	orig := origs[1]
	r := mustRequest(t, s, copyInput(orig, 2))
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveCopy, models.ApproveLoan)
	req, copies, err := s.DecideCopy(clerk(t, s), approve(r, a))
	if err != nil {
		t.Fatal(err)
	}
	if req.State != models.RequestApproved || req.ApproverName != "陈刚" || req.DecidedOn != "2026-11-23" {
		t.Fatalf("request = %+v", req)
	}
	if len(copies) != 2 {
		t.Fatalf("%d copies", len(copies))
	}
	regNos := map[string]bool{}
	for _, c := range origs {
		regNos[c.RegNo] = true
	}
	for i, c := range copies {
		got, err := s.Get(clerk(t, s), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Level != orig.Level || got.Term() != orig.Term() || got.NeedToKnow != orig.NeedToKnow ||
			got.Marking() != "机密★10年" {
			t.Fatalf("copy %d changed level/term/need-to-know: %+v", i, got)
		}
		if !got.IsCopy || got.OriginalID == nil || *got.OriginalID != orig.ID || !strings.Contains(got.Remarks, "复制件") {
			t.Fatalf("copy %d not marked and linked: %+v", i, got)
		}
		// R23: numbered in the original's own series, its 份号 kept as a
		// reference, never the issuer's next numbers; stamped.
		if got.CopyNo != orig.CopyNo || got.CopySerial != 1+i || got.DocNumber != orig.DocNumber ||
			got.CopyNoText() != fmt.Sprintf("%s复%d", orig.CopyNoText(), 1+i) ||
			got.CopyStamp != fmt.Sprintf("遂安市机要局复制 2026年11月23日 复制件第%d份", 1+i) {
			t.Fatalf("copy %d: 份号 %s (serial %d), stamp %q", i, got.CopyNoText(), got.CopySerial, got.CopyStamp)
		}
		if regNos[got.RegNo] || got.RegNo == "" {
			t.Fatalf("copy %d reuses register number %s", i, got.RegNo)
		}
		regNos[got.RegNo] = true
		if got.State != models.StateInStore {
			t.Fatalf("copy state %s", got.State)
		}
		h, _ := s.History(clerk(t, s), c.ID)
		if len(h) != 1 || h[0].Action != models.ActionRegister || !strings.Contains(h[0].NewValue, r.SlipNo) {
			t.Fatalf("copy history = %+v", h)
		}
	}
	h, _ := s.History(clerk(t, s), orig.ID)
	if last := h[len(h)-1]; last.Action != models.ActionCopy || !strings.Contains(last.NewValue, copies[1].RegNo) ||
		!strings.Contains(last.NewValue, "陈刚") {
		t.Fatalf("original's history = %+v", h)
	}
	out, err := s.OutstandingCopies(clerk(t, s), orig.ID)
	if err != nil || len(out) != 2 || out[0].ID != copies[0].ID {
		t.Fatalf("outstanding = %v %+v", err, out)
	}
	// A voided copy is no longer outstanding.
	if err := s.Void(clerk(t, s), copies[1].ID, copies[1].Version, "复制份数录入有误"); err != nil {
		t.Fatal(err)
	}
	if out, _ := s.OutstandingCopies(clerk(t, s), orig.ID); len(out) != 1 {
		t.Fatalf("outstanding after void = %d", len(out))
	}
	// The decision is final.
	before := countRows(t, s)
	_, _, err = s.DecideCopy(clerk(t, s), approve(r, a))
	wantRefusal(t, err, models.ErrRequestDecided, FieldCopyRequestID, r.SlipNo)
	unchanged(t, s, before)
	// Editing a copy can't change its level, term or need-to-know.
	cp := copies[0]
	for _, change := range []struct {
		field string
		edit  func(*models.CarrierForm)
	}{
		{models.FieldLevel, func(f *models.CarrierForm) { f.Level = models.LevelConfidential }},
		{models.FieldLevel, func(f *models.CarrierForm) { f.TermYears = "5" }},
		{models.FieldNeedToKnow, func(f *models.CarrierForm) { f.NeedToKnow = "全体人员" }},
	} {
		ef := FormOf(cp)
		change.edit(&ef)
		_, err := s.Edit(clerk(t, s), cp.ID, cp.Version, ef, "试改")
		if v, ok := models.AsValidation(err); !ok || v.Msg(change.field) == "" {
			t.Fatalf("edit of a copy's %s: %v", change.field, err)
		}
	}
	// Other details of a copy may still be corrected.
	ef := FormOf(cp)
	ef.Location = "机要室5号柜"
	if _, err := s.Edit(clerk(t, s), cp.ID, cp.Version, ef, "换柜"); err != nil {
		t.Fatalf("edit a copy's location: %v", err)
	}
	before.events++
	unchanged(t, s, before)
	// The audit trail has the request, the decision and each copy.
	var n int64
	s.db.Raw(`SELECT count(*) FROM audit_log WHERE event IN (?, ?, ?)`, models.EventCopyRequest,
		models.EventCopyDecide, models.EventCopy).Scan(&n)
	if n != 4 {
		t.Fatalf("%d audit records of the copy, want 4", n)
	}
}

// R23: each original has its own copy series, continued by a later
// request; a decision may approve fewer copies than asked, but not more.
func TestCopy_R23_OwnSeriesAndFewerApproved(t *testing.T) {
	s := newService(t)
	f := form()
	f.DocNumber, f.Copies = "", "2"
	origs := mustRegister(t, s, f)
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveCopy)
	r := mustRequest(t, s, copyInput(origs[0], 1))
	_, copies, err := s.DecideCopy(clerk(t, s), approve(r, a))
	if err != nil || len(copies) != 1 || copies[0].CopySerial != 1 {
		t.Fatalf("first copy: %v %+v", err, copies)
	}
	r = mustRequest(t, s, copyInput(origs[0], 3))
	before := countRows(t, s)
	d := approve(r, a)
	d.Copies = 4
	_, _, err = s.DecideCopy(clerk(t, s), d)
	wantRefusal(t, err, models.ErrBadCopies, FieldCopies, "1 至 3 份")
	unchanged(t, s, before)
	d.Copies = 2
	req, copies, err := s.DecideCopy(clerk(t, s), d)
	if err != nil || len(copies) != 2 || copies[0].CopySerial != 2 || copies[1].CopySerial != 3 || req.Approved != 2 {
		t.Fatalf("fewer approved: %v approved %d, %+v", err, req.Approved, copies)
	}
	// The other original of the batch starts its own series.
	r = mustRequest(t, s, copyInput(origs[1], 1))
	if _, copies, err = s.DecideCopy(clerk(t, s), approve(r, a)); err != nil || copies[0].CopySerial != 1 {
		t.Fatalf("second original: %v %+v", err, copies)
	}
}

// R23: a document marked 不得复制 is never copied, refused at the request.
func TestCopy_R23_NoCopyMarkRefused(t *testing.T) {
	s := newService(t)
	f := form()
	f.NoCopy = true
	c := mustRegister(t, s, f)[0]
	before := countRows(t, s)
	_, err := s.RequestCopy(clerk(t, s), copyInput(c, 1))
	wantRefusal(t, err, models.ErrCopyForbidden, FieldCopyCarrier, "不得复制")
	unchanged(t, s, before)
	if why := CopyRefusal(c, true); !strings.Contains(why, "不得复制") {
		t.Fatalf("refusal %q", why)
	}
}

func TestCopy_RefusedDecisionCreatesNothing(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	r := mustRequest(t, s, copyInput(c, 3))
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveCopy)
	before := countRows(t, s)
	in := approve(r, a)
	in.Decision, in.Opinion = models.DecisionRefuse, "无必要复制"
	req, copies, err := s.DecideCopy(clerk(t, s), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(copies) != 0 || req.State != models.RequestRefused || req.Decision != "不同意" {
		t.Fatalf("refused: %+v %+v", req, copies)
	}
	unchanged(t, s, before)
	if out, _ := s.OutstandingCopies(clerk(t, s), c.ID); len(out) != 0 {
		t.Fatalf("outstanding copies after 不同意: %d", len(out))
	}
	// A refused request can't be approved afterwards.
	_, _, err = s.DecideCopy(clerk(t, s), approve(r, a))
	wantRefusal(t, err, models.ErrRequestDecided, FieldCopyRequestID, "已拒绝")
	unchanged(t, s, before)
}

func TestCopy_R18_RolesEnforced(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	before := countRows(t, s)
	for _, who := range []string{"secadmin", "sysadmin", "auditor"} {
		if _, err := s.RequestCopy(as(t, s, who), copyInput(c, 1)); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s requested a copy: %v", who, err)
		}
	}
	in := ApproverInput{Name: "陈刚", Actions: models.ActionSet{models.ApproveCopy}, MaxLevel: models.LevelSecret}
	for _, who := range []string{"clerk", "sysadmin", "auditor"} {
		if _, err := s.AddApprover(as(t, s, who), in); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s added an approver: %v", who, err)
		}
	}
	unchanged(t, s, before)
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveCopy)
	if _, err := s.UpdateApprover(clerk(t, s), a.ID, in); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("clerk changed an approver: %v", err)
	}
	r := mustRequest(t, s, copyInput(c, 1))
	if _, _, err := s.DecideCopy(as(t, s, "secadmin"), approve(r, a)); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("secadmin recorded a decision: %v", err)
	}
	// Both the clerk and the security officer read the list; the others don't.
	for _, who := range []string{"clerk", "secadmin"} {
		if l, err := s.Approvers(as(t, s, who)); err != nil || len(l) != 1 {
			t.Fatalf("%s lists approvers: %v %d", who, err, len(l))
		}
	}
	if _, err := s.Approvers(as(t, s, "auditor")); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("auditor listed approvers: %v", err)
	}
}

func TestApprover_InputChecked(t *testing.T) {
	s := newService(t)
	before := countRows(t, s)
	_, err := s.AddApprover(as(t, s, "secadmin"), ApproverInput{Name: " "})
	wantRefusal(t, err, nil, FieldApproverName, "姓名")
	wantRefusal(t, err, nil, FieldApproverActions, "审批事项")
	wantRefusal(t, err, nil, FieldApproverMaxLevel, "密级")
	_, err = s.AddApprover(as(t, s, "secadmin"), ApproverInput{Name: "陈刚",
		Actions: models.ActionSet{"签字"}, MaxLevel: models.LevelSecret})
	wantRefusal(t, err, nil, FieldApproverActions, "签字")
	unchanged(t, s, before)
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveLoan, models.ApproveCopy, models.ApproveCopy)
	l, _ := s.Approvers(clerk(t, s))
	if len(l) != 1 || l[0].Actions.String() != "复制、借阅" || !l[0].Active || !l[0].May(models.ApproveCopy, models.LevelSecret) ||
		l[0].May(models.ApproveCopy, models.LevelTopSecret) || l[0].ID != a.ID {
		t.Fatalf("approvers = %+v", l)
	}
}

// R23: a 汇编 is approved like a copy and makes a new document of the
// office's own with the highest level and longest term of its sources, its
// sources listed on it; a 摘录 comes from one carrier only; a 不得复制 or
// 绝密 source refuses the whole request, naming it.
func TestCopy_R23_ExtractsAndCompilations(t *testing.T) {
	s := newService(t)
	f := form()
	f.TermKind, f.TermYears, f.DocDate = models.TermYears, "5", "2026-01-05"
	a1 := mustRegister(t, s, f)[0] // 机密★5年 from 2026-01-05
	g := form()
	g.DocNumber, g.Level, g.TermKind, g.TermYears, g.DocDate = "遂安府办发〔2026〕41号", models.LevelConfidential, models.TermYears, "10", "2026-02-01"
	b1 := mustRegister(t, s, g)[0] // 秘密★10年 from 2026-02-01
	appr := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveCopy)
	in := CopyRequestInput{CarrierID: a1.ID, Copies: 2, Purpose: "编印学习材料", Requester: "刘洋",
		Kind: models.CopyCompile, Sources: []string{b1.RegNo}, Title: "保密工作文件汇编", NeedToKnow: "办公室主任"}

	bad := in
	bad.Sources = nil
	_, err := s.RequestCopy(clerk(t, s), bad)
	wantRefusal(t, err, nil, FieldSources, "两份以上")
	bad = in
	bad.Kind = models.CopyExtract
	_, err = s.RequestCopy(clerk(t, s), bad)
	wantRefusal(t, err, nil, FieldSources, "只能取自一份")
	bad = in
	bad.NeedToKnow = ""
	_, err = s.RequestCopy(clerk(t, s), bad)
	wantRefusal(t, err, nil, FieldNeedToKnow, "知悉范围")
	h := form()
	h.DocNumber, h.NoCopy = "遂安府办发〔2026〕42号", true
	nc := mustRegister(t, s, h)[0]
	before := countRows(t, s)
	bad = in
	bad.Sources = []string{b1.RegNo, nc.RegNo}
	_, err = s.RequestCopy(clerk(t, s), bad)
	wantRefusal(t, err, models.ErrCopyForbidden, FieldSources, nc.RegNo, "不得复制")
	unchanged(t, s, before)

	req := mustRequest(t, s, in)
	got, made, err := s.DecideCopy(clerk(t, s), approve(req, appr))
	if err != nil || len(made) != 2 || got.Kind != models.CopyCompile {
		t.Fatalf("汇编: %v %d made", err, len(made))
	}
	for i, c := range made {
		if c.Direction != models.DirOutgoing || c.IsCopy || c.Title != "保密工作文件汇编" || c.NeedToKnow != "办公室主任" ||
			c.Marking() != "机密★2036年2月1日" || c.CopyNo != i+1 || c.DocKind != "汇编本" {
			t.Fatalf("汇编本 %d: %+v (%s)", i, c, c.Marking())
		}
		srcs, err := s.Sources(clerk(t, s), c.ID)
		if err != nil || len(srcs) != 2 || srcs[0].ID != a1.ID || srcs[1].ID != b1.ID {
			t.Fatalf("sources of %s: %v %v", c.RegNo, srcs, err)
		}
	}
	hist, _ := s.History(clerk(t, s), b1.ID)
	if last := hist[len(hist)-1]; last.Action != models.ActionCopy || !strings.Contains(last.NewValue, "汇编入《保密工作文件汇编》") {
		t.Fatalf("source history %+v", last)
	}
	// The slip lists what was made.
	mustPrint(t, s, FormCopy, req.SlipNo, made[0].RegNo, made[1].RegNo)
}
