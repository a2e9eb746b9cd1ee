package app

import (
	"errors"
	"strings"
	"testing"

	"secdoc/models"
)

// destroySnap is what a refused destruction act must leave as it was: row
// counts, every carrier's state, version and 清退 flag, every batch's state,
// the counters and the destruction audit records.
type destroySnap struct {
	rows
	batches, items    int64
	carriers, slips   string
	counters, audited string
}

func snapDestroy(t *testing.T, s *Service) destroySnap {
	t.Helper()
	sn := destroySnap{rows: countRows(t, s)}
	for _, q := range []struct {
		sql string
		out any
	}{
		{`SELECT count(*) FROM destruction_batches`, &sn.batches},
		{`SELECT count(*) FROM destruction_items`, &sn.items},
		{`SELECT COALESCE(group_concat(id || ':' || state || ':' || version || ':' || return_to_issuer, ','), '') FROM (SELECT * FROM carriers ORDER BY id)`, &sn.carriers},
		{`SELECT COALESCE(group_concat(id || ':' || state || ':' || decision || ':' || destroyed_on, ','), '') FROM (SELECT * FROM destruction_batches ORDER BY id)`, &sn.slips},
		{`SELECT COALESCE(group_concat(name || '=' || value, ','), '') FROM (SELECT * FROM counters ORDER BY name)`, &sn.counters},
		{`SELECT COALESCE(group_concat(event, ','), '') FROM (SELECT event FROM audit_log WHERE event LIKE 'destroy%' OR event = 'return_flag' ORDER BY seq)`, &sn.audited},
	} {
		if err := s.db.Raw(q.sql).Scan(q.out).Error; err != nil {
			t.Fatal(err)
		}
	}
	return sn
}

func destroyUnchanged(t *testing.T, s *Service, before destroySnap) {
	t.Helper()
	if after := snapDestroy(t, s); after != before {
		t.Fatalf("database changed by a refused act:\nbefore %+v\nafter  %+v", before, after)
	}
}

func destroyIn(cs ...models.Carrier) DestructionInput {
	in := DestructionInput{Reason: "已过保管期限，经清点无保存价值", Requester: "刘洋"}
	for _, c := range cs {
		in.CarrierIDs = append(in.CarrierIDs, c.ID)
	}
	return in
}

func mustRequestDestruction(t *testing.T, s *Service, cs ...models.Carrier) models.DestructionBatch {
	t.Helper()
	b, err := s.RequestDestruction(clerk(t, s), destroyIn(cs...))
	if err != nil {
		t.Fatalf("request destruction: %v", err)
	}
	return b
}

func approveDestruction(b models.DestructionBatch, a models.Approver) DestructionDecision {
	return DestructionDecision{BatchID: b.ID, ApproverID: a.ID, Decision: models.DecisionApprove,
		Opinion: "同意销毁", DecidedOn: "2026-11-23"}
}

// approvedBatch requests and approves the destruction of cs.
func approvedBatch(t *testing.T, s *Service, cs ...models.Carrier) models.DestructionBatch {
	t.Helper()
	a := addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveDestroy)
	b, err := s.DecideDestruction(clerk(t, s), approveDestruction(mustRequestDestruction(t, s, cs...), a))
	if err != nil {
		t.Fatalf("approve destruction: %v", err)
	}
	return b
}

func selfRecord() DestructionRecord {
	return DestructionRecord{Method: models.MethodSelf, EquipmentNo: "BMXH-2026-003", Place: "机要室销毁间",
		DestroyedOn: "2026-11-23", Witness1: "李明", Witness2: "周红"}
}

func sentRecord() DestructionRecord {
	return DestructionRecord{Method: models.MethodSent, Place: "市保密局销毁中心", DestroyedOn: "2026-11-23",
		Witness1: "李明", Witness2: "周红", Escort1: "孙亮", Escort2: "吴芳"}
}

func TestDestroy_R2_WithoutApprovalRefused(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	b := mustRequestDestruction(t, s, c)
	before := snapDestroy(t, s)
	_, err := s.CompleteDestruction(clerk(t, s), b.ID, selfRecord())
	wantRefusal(t, err, models.ErrNotApproved, FieldDestroyBatch, b.SlipNo, "待审批")
	destroyUnchanged(t, s, before)
	// A refused batch is never destroyed either, and frees its carriers.
	a := addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveDestroy)
	d := approveDestruction(b, a)
	d.Decision = models.DecisionRefuse
	if _, err := s.DecideDestruction(clerk(t, s), d); err != nil {
		t.Fatal(err)
	}
	before = snapDestroy(t, s)
	_, err = s.CompleteDestruction(clerk(t, s), b.ID, selfRecord())
	wantRefusal(t, err, models.ErrNotApproved, FieldDestroyBatch, "已拒绝")
	destroyUnchanged(t, s, before)
	if carrierState(t, s, c.ID) != models.StateInStore {
		t.Fatal("carrier left the store without approval")
	}
	mustRequestDestruction(t, s, c)
}

func TestDestroy_R17_OneWitnessRefused(t *testing.T) {
	s := newService(t)
	b := approvedBatch(t, s, mustRegister(t, s, form())...)
	before := snapDestroy(t, s)
	r := selfRecord()
	r.Witness2 = " "
	_, err := s.CompleteDestruction(clerk(t, s), b.ID, r)
	wantRefusal(t, err, models.ErrWitnesses, FieldWitnesses, "两名监销人")
	destroyUnchanged(t, s, before)
}

func TestDestroy_R17_WitnessesMustDiffer(t *testing.T) {
	s := newService(t)
	b := approvedBatch(t, s, mustRegister(t, s, form())...)
	before := snapDestroy(t, s)
	r := selfRecord()
	r.Witness2 = " " + r.Witness1
	_, err := s.CompleteDestruction(clerk(t, s), b.ID, r)
	wantRefusal(t, err, models.ErrWitnesses, FieldWitnesses, "不同的人")
	destroyUnchanged(t, s, before)
}

func TestDestroy_R17_RequesterAsWitnessRefused(t *testing.T) {
	s := newService(t)
	b := approvedBatch(t, s, mustRegister(t, s, form())...)
	before := snapDestroy(t, s)
	for _, swap := range []func(*DestructionRecord){
		func(r *DestructionRecord) { r.Witness1 = b.Requester },
		func(r *DestructionRecord) { r.Witness2 = b.Requester },
	} {
		r := selfRecord()
		swap(&r)
		_, err := s.CompleteDestruction(clerk(t, s), b.ID, r)
		wantRefusal(t, err, models.ErrWitnesses, FieldWitnesses, "申请人", b.Requester)
		destroyUnchanged(t, s, before)
	}
}

func TestDestroy_R17_SelfDestructionNeedsEquipmentNo(t *testing.T) {
	s := newService(t)
	b := approvedBatch(t, s, mustRegister(t, s, form())...)
	before := snapDestroy(t, s)
	r := selfRecord()
	r.EquipmentNo = ""
	_, err := s.CompleteDestruction(clerk(t, s), b.ID, r)
	wantRefusal(t, err, models.ErrNeedsEquipmentNo, FieldEquipmentNo, "设备的编号")
	destroyUnchanged(t, s, before)
	// 送销 is escorted by two different people.
	r = sentRecord()
	r.Escort2 = ""
	_, err = s.CompleteDestruction(clerk(t, s), b.ID, r)
	wantRefusal(t, err, models.ErrNeedsEscorts, FieldEscorts, "两人护送")
	r.Escort2 = r.Escort1
	_, err = s.CompleteDestruction(clerk(t, s), b.ID, r)
	wantRefusal(t, err, models.ErrNeedsEscorts, FieldEscorts, "不同的人")
	// No method, no place, a date in the future or before the approval.
	r = selfRecord()
	r.Method = "烧掉"
	_, err = s.CompleteDestruction(clerk(t, s), b.ID, r)
	wantRefusal(t, err, nil, FieldMethod, "送销", "自行销毁")
	r = selfRecord()
	r.Place = ""
	_, err = s.CompleteDestruction(clerk(t, s), b.ID, r)
	wantRefusal(t, err, nil, FieldPlace, "销毁地点")
	r = selfRecord()
	r.DestroyedOn = "2026-11-24"
	_, err = s.CompleteDestruction(clerk(t, s), b.ID, r)
	wantRefusal(t, err, models.ErrBadDestroyDate, FieldDestroyedOn, "不能晚于今天")
	r.DestroyedOn = "2026-11-22"
	_, err = s.CompleteDestruction(clerk(t, s), b.ID, r)
	wantRefusal(t, err, models.ErrBadDestroyDate, FieldDestroyedOn, "早于审批日期")
	destroyUnchanged(t, s, before)
}

func TestDestroy_R16_FlaggedForReturnRefused(t *testing.T) {
	s := newService(t)
	cs := mustRegister(t, s, func() models.CarrierForm { f := form(); f.Copies = "2"; return f }())
	flagged, err := s.FlagReturnToIssuer(clerk(t, s), cs[1].ID, true)
	if err != nil || !flagged.ReturnToIssuer {
		t.Fatalf("flag: %v %+v", err, flagged)
	}
	h, err := s.History(clerk(t, s), cs[1].ID)
	if err != nil || h[len(h)-1].Action != models.ActionReturnFlag || h[len(h)-1].NewValue != "是" {
		t.Fatalf("history %v %+v", err, h)
	}
	if a := lastAudit(t, s); a.Event != models.EventReturnFlag || a.Object != cs[1].RegNo {
		t.Fatalf("audit %+v", a)
	}
	before := snapDestroy(t, s)
	_, err = s.RequestDestruction(clerk(t, s), destroyIn(cs...))
	wantRefusal(t, err, models.ErrReturnToIssuer, FieldDestroyCarriers, cs[1].RegNo, "清退")
	destroyUnchanged(t, s, before)
	// Once on an approved slip, a carrier can't be flagged for return: it
	// would be both destroyed and handed back.
	if _, err := s.FlagReturnToIssuer(clerk(t, s), cs[1].ID, false); err != nil {
		t.Fatal(err)
	}
	b := approvedBatch(t, s, cs...)
	before = snapDestroy(t, s)
	_, err = s.FlagReturnToIssuer(clerk(t, s), cs[1].ID, true)
	wantRefusal(t, err, models.ErrInOpenBatch, FieldReturnFlag, cs[1].RegNo, b.SlipNo)
	destroyUnchanged(t, s, before)
	if _, err := s.CompleteDestruction(clerk(t, s), b.ID, selfRecord()); err != nil {
		t.Fatalf("the slip can still be completed: %v", err)
	}
}

// A carrier on an open slip may not leave the register another way, or the
// slip could never be completed or handed over.
func TestSlips_CarrierOnAnOpenSlipCannotLeaveAnotherWay(t *testing.T) {
	s := newService(t)
	cs := mustRegister(t, s, func() models.CarrierForm { f := form(); f.Copies = "2"; return f }())
	b := approvedBatch(t, s, cs[0])
	ret := mustRegister(t, s, otherIssuerForm())[0]
	flagForReturn(t, s, ret)
	rb := mustCreateReturn(t, s, "省保密局")
	a := addApprover(t, s, "林晓红", models.LevelTopSecret, models.ApproveDeclassify)
	for _, c := range []struct {
		c    models.Carrier
		slip string
		err  error
	}{{cs[0], b.SlipNo, models.ErrInOpenBatch}, {ret, rb.SlipNo, models.ErrInReturnBatch}} {
		before := snapReturns(t, s)
		cur, _ := s.Get(clerk(t, s), c.c.ID)
		err := s.Void(clerk(t, s), cur.ID, cur.Version, "登记错误，应作废重登")
		wantRefusal(t, err, c.err, models.FieldVoidReason, cur.RegNo, c.slip, "作废")
		_, err = s.ChangeSecrecy(clerk(t, s), termChange(cur, a, models.ChangeDeclassify))
		wantRefusal(t, err, c.err, FieldChangeCarrier, cur.RegNo, c.slip, "解密")
		returnsUnchanged(t, s, before)
	}
	// The issuer of a carrier on a pending 清退 slip stays as listed.
	cur, _ := s.Get(clerk(t, s), ret.ID)
	f := FormOf(cur)
	f.Issuer = "市委办公室"
	before := snapReturns(t, s)
	_, err := s.Edit(clerk(t, s), ret.ID, cur.Version, f, "来文单位登记错误")
	wantRefusal(t, err, models.ErrInReturnBatch, models.FieldIssuer, rb.SlipNo)
	returnsUnchanged(t, s, before)
}

func TestDestroy_OnLoanRefused(t *testing.T) {
	s := newService(t)
	cs := mustRegister(t, s, func() models.CarrierForm { f := form(); f.Copies = "2"; return f }())
	la := addApprover(t, s, "黄磊", models.LevelTopSecret, models.ApproveLoan)
	lend(t, s, loanIn(cs[0]), la)
	before := snapDestroy(t, s)
	_, err := s.RequestDestruction(clerk(t, s), destroyIn(cs...))
	wantRefusal(t, err, models.ErrNotInStore, FieldDestroyCarriers, cs[0].RegNo, "借出")
	destroyUnchanged(t, s, before)
	// Lent out after the approval: the destruction waits for its return.
	b := approvedBatch(t, s, cs[1])
	lend(t, s, loanIn(cs[1]), la)
	before = snapDestroy(t, s)
	_, err = s.CompleteDestruction(clerk(t, s), b.ID, selfRecord())
	wantRefusal(t, err, models.ErrNotInStore, FieldDestroyCarriers, cs[1].RegNo, "借出")
	destroyUnchanged(t, s, before)
}

func TestDestroy_R9_ApproverLevelBelowItems(t *testing.T) {
	s := newService(t)
	secret := mustRegister(t, s, form())[0] // 机密
	f := form()
	f.DocNumber, f.Level = "遂安府办发〔2026〕31号", models.LevelConfidential
	conf := mustRegister(t, s, f)[0] // 秘密
	b := mustRequestDestruction(t, s, secret, conf)
	low := addApprover(t, s, "陈刚", models.LevelConfidential, models.ApproveDestroy) // 秘密 only
	noAction := addApprover(t, s, "黄磊", models.LevelTopSecret, models.ApproveCopy, models.ApproveLoan)
	before := snapDestroy(t, s)
	_, err := s.DecideDestruction(clerk(t, s), approveDestruction(b, low))
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "陈刚", "机密")
	_, err = s.DecideDestruction(clerk(t, s), approveDestruction(b, noAction))
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "黄磊", "无权审批销毁")
	d := approveDestruction(b, low)
	d.Decision = "已核"
	_, err = s.DecideDestruction(clerk(t, s), d)
	wantRefusal(t, err, models.ErrNoDecision, FieldDecision)
	d = approveDestruction(b, low)
	d.DecidedOn = "2026-11-22"
	_, err = s.DecideDestruction(clerk(t, s), d)
	wantRefusal(t, err, models.ErrBackdated, FieldDecidedOn, "倒签")
	destroyUnchanged(t, s, before)
	// A leader authorised for 机密 approves; the decision is final.
	high := addApprover(t, s, "周局长", models.LevelSecret, models.ApproveDestroy)
	got, err := s.DecideDestruction(clerk(t, s), approveDestruction(b, high))
	if err != nil || got.State != models.DestructionApproved || got.ApproverName != "周局长" {
		t.Fatalf("decide: %v %+v", err, got)
	}
	before = snapDestroy(t, s)
	_, err = s.DecideDestruction(clerk(t, s), approveDestruction(b, high))
	wantRefusal(t, err, models.ErrRequestDecided, FieldDestroyBatch, b.SlipNo)
	destroyUnchanged(t, s, before)
}

func TestDestroy_CompletesWithTotalsByKind(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies = "2"
	paper := mustRegister(t, s, f)
	f = form()
	f.DocNumber, f.Title, f.Kind, f.Level = "遂安府办发〔2026〕32号", "保密检查资料", models.KindUSB, models.LevelConfidential
	usb := mustRegister(t, s, f)[0]
	f.DocNumber, f.Title, f.Kind = "遂安府办发〔2026〕33号", "会议录像", models.KindDisc
	disc := mustRegister(t, s, f)[0]
	all := append(append([]models.Carrier{}, paper...), usb, disc)
	b := mustRequestDestruction(t, s, all...)
	if b.SlipNo != "销〔2026〕0001" || b.State != models.DestructionPending {
		t.Fatalf("batch %+v", b)
	}
	// A carrier sits in one open batch only.
	before := snapDestroy(t, s)
	_, err := s.RequestDestruction(clerk(t, s), destroyIn(disc))
	wantRefusal(t, err, models.ErrInOpenBatch, FieldDestroyCarriers, disc.RegNo, b.SlipNo)
	destroyUnchanged(t, s, before)

	a := addApprover(t, s, "周局长", models.LevelTopSecret, models.ApproveDestroy)
	if _, err := s.DecideDestruction(clerk(t, s), approveDestruction(b, a)); err != nil {
		t.Fatal(err)
	}
	done, err := s.CompleteDestruction(clerk(t, s), b.ID, sentRecord())
	if err != nil {
		t.Fatal(err)
	}
	if done.State != models.DestructionDestroyed || done.Escort1 != "孙亮" || done.Escort2 != "吴芳" ||
		done.Method != models.MethodSent || done.DestroyedOn != "2026-11-23" {
		t.Fatalf("batch %+v", done)
	}
	for _, c := range all {
		if st := carrierState(t, s, c.ID); st != models.StateDestroyed {
			t.Fatalf("%s is %s", c.RegNo, st)
		}
		h, err := s.History(clerk(t, s), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		last := h[len(h)-1]
		if last.Action != models.ActionDestroy || last.NewValue != models.StateDestroyed.String() ||
			!strings.Contains(last.Reason, b.SlipNo) || !strings.Contains(last.Reason, "李明") {
			t.Fatalf("history of %s: %+v", c.RegNo, last)
		}
	}
	var n int64
	s.db.Raw(`SELECT count(*) FROM audit_log WHERE event = ?`, models.EventDestroy).Scan(&n)
	if n != int64(len(all)) {
		t.Fatalf("%d destruction audit records, want %d", n, len(all))
	}
	l, err := s.DestructionList(clerk(t, s), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != 4 || l.Items[0].No != 1 || l.Items[1].CopyNo != "000002" || l.Items[2].Kind != models.KindUSB ||
		l.Items[0].Issuer != "遂安市人民政府办公室" || l.Items[0].Custodian != "王敏" || l.Items[0].Pages != 6 ||
		l.Items[3].Marking == "" || l.Items[3].DocNumber != "遂安府办发〔2026〕33号" {
		t.Fatalf("items %+v", l.Items)
	}
	if got := l.TotalsText(); got != "纸介质 2 份，光盘 1 张，U盘 1 个" {
		t.Fatalf("totals %q", got)
	}
	// The destroyed batch is final.
	before = snapDestroy(t, s)
	_, err = s.CompleteDestruction(clerk(t, s), b.ID, sentRecord())
	wantRefusal(t, err, models.ErrNotApproved, FieldDestroyBatch, "已销毁")
	destroyUnchanged(t, s, before)
}

func TestDestroy_DestroyedCarrierNeverChanges(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	b := approvedBatch(t, s, c)
	if _, err := s.CompleteDestruction(clerk(t, s), b.ID, selfRecord()); err != nil {
		t.Fatal(err)
	}
	c, err := s.Get(clerk(t, s), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	before := snapDestroy(t, s)
	if _, err := s.Edit(clerk(t, s), c.ID, c.Version, form(), "更正题名"); !errors.Is(err, models.ErrTerminal) {
		t.Fatalf("edit: %v", err)
	}
	if err := s.Void(clerk(t, s), c.ID, c.Version, "登记错误需要作废"); !errors.Is(err, models.ErrNotInStore) {
		t.Fatalf("void: %v", err)
	}
	if _, err := s.RequestCopy(clerk(t, s), copyInput(c, 1)); !errors.Is(err, models.ErrNotInStore) {
		t.Fatalf("copy: %v", err)
	}
	if _, err := s.RequestLoan(clerk(t, s), loanIn(c)); !errors.Is(err, models.ErrNotInStore) {
		t.Fatalf("loan: %v", err)
	}
	if _, err := s.RequestLoan(clerk(t, s), takeOutIn(c)); !errors.Is(err, models.ErrNotInStore) {
		t.Fatalf("take out: %v", err)
	}
	if _, err := s.FlagReturnToIssuer(clerk(t, s), c.ID, true); !errors.Is(err, models.ErrTerminal) {
		t.Fatalf("flag: %v", err)
	}
	if _, err := s.RequestDestruction(clerk(t, s), destroyIn(c)); !errors.Is(err, models.ErrNotInStore) {
		t.Fatalf("destroy again: %v", err)
	}
	destroyUnchanged(t, s, before)
}

func TestDestroy_R18_RolesEnforced(t *testing.T) {
	s := newService(t)
	cs := mustRegister(t, s, func() models.CarrierForm { f := form(); f.Copies = "2"; return f }())
	b := approvedBatch(t, s, cs[0])
	pending := mustRequestDestruction(t, s, cs[1])
	a := addApprover(t, s, "周局长", models.LevelTopSecret, models.ApproveDestroy)
	before := snapDestroy(t, s)
	for _, who := range []string{"secadmin", "sysadmin", "auditor"} {
		sess := as(t, s, who)
		for name, err := range map[string]error{
			"request": func() error { _, err := s.RequestDestruction(sess, destroyIn(cs[1])); return err }(),
			"decide":  func() error { _, err := s.DecideDestruction(sess, approveDestruction(pending, a)); return err }(),
			"complete": func() error {
				_, err := s.CompleteDestruction(sess, b.ID, selfRecord())
				return err
			}(),
			"list":    func() error { _, err := s.DestructionList(sess, b.ID); return err }(),
			"batches": func() error { _, err := s.DestructionBatches(sess); return err }(),
			"flag":    func() error { _, err := s.FlagReturnToIssuer(sess, cs[1].ID, true); return err }(),
		} {
			if !errors.Is(err, models.ErrForbidden) {
				t.Fatalf("%s: %s: %v", who, name, err)
			}
		}
	}
	destroyUnchanged(t, s, before)
}

func TestDestroy_RequestChecksReasonAndCarriers(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	before := snapDestroy(t, s)
	in := destroyIn(c)
	in.Reason = "  "
	_, err := s.RequestDestruction(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldDestroyReason, "销毁原因")
	in = destroyIn(c)
	in.Requester = ""
	_, err = s.RequestDestruction(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldRequester, "申请人")
	_, err = s.RequestDestruction(clerk(t, s), destroyIn())
	wantRefusal(t, err, nil, FieldDestroyCarriers, "请选择")
	destroyUnchanged(t, s, before)
	if err := s.Void(clerk(t, s), c.ID, c.Version, "份号登记错误需要作废"); err != nil {
		t.Fatal(err)
	}
	before = snapDestroy(t, s)
	_, err = s.RequestDestruction(clerk(t, s), destroyIn(c))
	wantRefusal(t, err, models.ErrVoided, FieldDestroyCarriers, c.RegNo, "作废")
	destroyUnchanged(t, s, before)
}

func TestDestroy_BatchListCountsItems(t *testing.T) {
	s := newService(t)
	a, b := mustRegister(t, s, form())[0], func() models.Carrier {
		f := form()
		f.DocNumber = "遂安府办发〔2026〕31号"
		return mustRegister(t, s, f)[0]
	}()
	if _, err := s.RequestDestruction(clerk(t, s), DestructionInput{CarrierIDs: []string{a.ID, b.ID},
		Reason: "已过保密期限且无保存价值", Requester: "王敏"}); err != nil {
		t.Fatal(err)
	}
	bs, err := s.DestructionBatches(clerk(t, s))
	if err != nil || len(bs) != 1 || bs[0].Items != 2 {
		t.Fatalf("batches %+v, %v", bs, err)
	}
}
