package app

import (
	"errors"
	"strings"
	"testing"

	"secdoc/models"
)

// returnSnap is what a refused 清退 or 归档 act must leave as it was.
type returnSnap struct {
	rows
	batches, items, archives int64
	carriers, slips          string
	counters, audited        string
}

func snapReturns(t *testing.T, s *Service) returnSnap {
	t.Helper()
	sn := returnSnap{rows: countRows(t, s)}
	for _, q := range []struct {
		sql string
		out any
	}{
		{`SELECT count(*) FROM return_batches`, &sn.batches},
		{`SELECT count(*) FROM return_items`, &sn.items},
		{`SELECT count(*) FROM archives`, &sn.archives},
		{`SELECT COALESCE(group_concat(id || ':' || state || ':' || version || ':' || return_to_issuer, ','), '') FROM (SELECT * FROM carriers ORDER BY id)`, &sn.carriers},
		{`SELECT COALESCE(group_concat(id || ':' || state || ':' || handed_over_on || ':' || handed_to, ','), '') FROM (SELECT * FROM return_batches ORDER BY id)`, &sn.slips},
		{`SELECT COALESCE(group_concat(name || '=' || value, ','), '') FROM (SELECT * FROM counters ORDER BY name)`, &sn.counters},
		{`SELECT COALESCE(group_concat(event, ','), '') FROM (SELECT event FROM audit_log WHERE event LIKE 'return%' OR event = 'archive' OR event LIKE 'destroy%' ORDER BY seq)`, &sn.audited},
	} {
		if err := s.db.Raw(q.sql).Scan(q.out).Error; err != nil {
			t.Fatal(err)
		}
	}
	return sn
}

func returnsUnchanged(t *testing.T, s *Service, before returnSnap) {
	t.Helper()
	if after := snapReturns(t, s); after != before {
		t.Fatalf("database changed by a refused act:\nbefore %+v\nafter  %+v", before, after)
	}
}

func flagForReturn(t *testing.T, s *Service, cs ...models.Carrier) {
	t.Helper()
	for _, c := range cs {
		if _, err := s.FlagReturnToIssuer(clerk(t, s), c.ID, true); err != nil {
			t.Fatalf("flag %s: %v", c.RegNo, err)
		}
	}
}

const returnIssuerA = "遂安市人民政府办公室"

func otherIssuerForm() models.CarrierForm {
	f := form()
	f.Issuer, f.DocNumber, f.Title = "省保密局", "省保发〔2026〕7号", "关于开展涉密载体清退工作的通知"
	f.Kind, f.Pages = models.KindDisc, "1"
	return f
}

func mustCreateReturn(t *testing.T, s *Service, issuer string) models.ReturnBatch {
	t.Helper()
	b, err := s.CreateReturnBatch(clerk(t, s), issuer)
	if err != nil {
		t.Fatalf("create return batch: %v", err)
	}
	return b
}

func TestReturn_R8_BatchPerIssuerHandedOver(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies, f.CopyNo = "3", "1"
	a := mustRegister(t, s, f)
	b := mustRegister(t, s, otherIssuerForm())
	keep := mustRegister(t, s, formNo(4))[0] // same issuer, not flagged: stays
	flagForReturn(t, s, a[0], a[2], b[0])

	cands, err := s.ReturnCandidates(clerk(t, s))
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 2 {
		t.Fatalf("candidates = %+v, want two issuers", cands)
	}
	for _, c := range cands {
		want := map[string]int{returnIssuerA: 2, "省保密局": 1}[c.Issuer]
		if c.Count != want || c.InStore != want || c.Away != 0 {
			t.Fatalf("candidate %s = %d carriers %d in store %d away, want %d", c.Issuer, c.Count,
				c.InStore, c.Away, want)
		}
	}

	batch := mustCreateReturn(t, s, returnIssuerA)
	if batch.SlipNo != "退〔2026〕0001" || batch.State != models.ReturnPending || batch.State.String() != "待交接" {
		t.Fatalf("batch = %+v", batch)
	}
	list, err := s.ReturnList(clerk(t, s), batch.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 2 || list.Items[0].RegNo != a[0].RegNo || list.Items[1].RegNo != a[2].RegNo {
		t.Fatalf("list items = %+v", list.Items)
	}
	it := list.Items[1]
	if it.No != 2 || it.Title != f.Title || it.DocNumber != a[2].DocNumber || it.CopyNo != "000003" ||
		it.Marking != a[2].Marking() || it.Pages != 6 {
		t.Fatalf("item = %+v", it)
	}
	if list.Pages != 12 || list.TotalsText() != "纸介质 2 份" {
		t.Fatalf("totals = %d pages, %q", list.Pages, list.TotalsText())
	}
	// Listed carriers are no longer candidates; a second slip for the issuer has nothing.
	before := snapReturns(t, s)
	_, err = s.CreateReturnBatch(clerk(t, s), returnIssuerA)
	wantRefusal(t, err, models.ErrNothingToReturn, FieldReturnIssuer, returnIssuerA)
	returnsUnchanged(t, s, before)

	// A handover dated in the future or without a receiver is refused.
	_, err = s.HandOverReturnBatch(clerk(t, s), batch.ID, "", "2026-11-23")
	wantRefusal(t, err, nil, FieldHandedTo, "接收人")
	_, err = s.HandOverReturnBatch(clerk(t, s), batch.ID, "周敏", "2026-11-24")
	wantRefusal(t, err, nil, FieldHandedOverOn, "晚于今天")
	returnsUnchanged(t, s, before)

	done, err := s.HandOverReturnBatch(clerk(t, s), batch.ID, "周敏", "2026-11-23")
	if err != nil {
		t.Fatal(err)
	}
	if done.State != models.ReturnHandedOver || done.HandedTo != "周敏" || done.HandedOverOn != "2026-11-23" ||
		done.HandedBy != "王敏" || done.Items != 2 {
		t.Fatalf("handed over = %+v", done)
	}
	for _, c := range []models.Carrier{a[0], a[2]} {
		if st := carrierState(t, s, c.ID); st != models.StateReturned {
			t.Fatalf("%s state = %s, want 已清退", c.RegNo, st)
		}
	}
	for _, c := range []models.Carrier{a[1], b[0], keep} {
		if st := carrierState(t, s, c.ID); st != models.StateInStore {
			t.Fatalf("%s state = %s, want 在库", c.RegNo, st)
		}
	}
	var ev int64
	s.db.Raw(`SELECT count(*) FROM carrier_events WHERE action = ? AND new_value = ?`, models.ActionReturn,
		models.StateReturned.String()).Scan(&ev)
	if ev != 2 {
		t.Fatalf("return events = %d, want 2", ev)
	}
	var audits int64
	s.db.Raw(`SELECT count(*) FROM audit_log WHERE event = ? AND object = ?`, models.EventReturnHandover,
		batch.SlipNo).Scan(&audits)
	if audits != 1 {
		t.Fatalf("handover audits = %d", audits)
	}
	// Handing over again is refused.
	before = snapReturns(t, s)
	_, err = s.HandOverReturnBatch(clerk(t, s), batch.ID, "周敏", "2026-11-23")
	wantRefusal(t, err, models.ErrReturnDone, FieldReturnBatch, batch.SlipNo, "已交接")
	returnsUnchanged(t, s, before)

	// The other issuer gets its own slip, numbered on.
	other := mustCreateReturn(t, s, "省保密局")
	if other.SlipNo != "退〔2026〕0002" || other.Issuer != "省保密局" {
		t.Fatalf("other = %+v", other)
	}
	ol, err := s.ReturnList(clerk(t, s), other.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ol.Items) != 1 || ol.TotalsText() != "光盘 1 张" {
		t.Fatalf("other list = %+v %q", ol.Items, ol.TotalsText())
	}
	all, err := s.ReturnBatches(clerk(t, s))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Items+all[1].Items != 3 {
		t.Fatalf("batches = %+v", all)
	}
}

func TestReturn_R8_AwayItemsRefused(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies = "2"
	cs := mustRegister(t, s, f)
	flagForReturn(t, s, cs...)
	ap := addApprover(t, s, "孙立", models.LevelTopSecret, models.ApproveLoan)
	l := lend(t, s, loanIn(cs[1]), ap)

	cands, err := s.ReturnCandidates(clerk(t, s))
	if err != nil {
		t.Fatal(err)
	}
	if len(cands) != 1 || cands[0].InStore != 1 || cands[0].Away != 1 {
		t.Fatalf("candidates = %+v", cands)
	}
	before := snapReturns(t, s)
	_, err = s.CreateReturnBatch(clerk(t, s), returnIssuerA)
	wantRefusal(t, err, models.ErrAwayForReturn, FieldReturnCarriers, cs[1].RegNo, "借出", "收回")
	if v, _ := models.AsValidation(err); strings.Contains(v.Msg(FieldReturnCarriers), cs[0].RegNo) {
		t.Fatalf("message names the carrier in store: %v", err)
	}
	returnsUnchanged(t, s, before)

	// Back in store: the slip lists both.
	if _, err := s.ReturnLoan(clerk(t, s), l.ID, models.ReturnIntact, "", "2026-11-23"); err != nil {
		t.Fatal(err)
	}
	b := mustCreateReturn(t, s, returnIssuerA)
	list, err := s.ReturnList(clerk(t, s), b.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 2 {
		t.Fatalf("items = %+v", list.Items)
	}

	// An issuer with nothing flagged has no slip.
	before = snapReturns(t, s)
	_, err = s.CreateReturnBatch(clerk(t, s), "省保密局")
	wantRefusal(t, err, models.ErrNothingToReturn, FieldReturnIssuer, "省保密局")
	returnsUnchanged(t, s, before)
}

func TestReturn_R16_FlaggedCarrierGoesBackNotDestroyed(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	flagForReturn(t, s, c)
	before := snapReturns(t, s)
	_, err := s.RequestDestruction(clerk(t, s), destroyIn(c))
	wantRefusal(t, err, models.ErrReturnToIssuer, FieldDestroyCarriers, c.RegNo)
	returnsUnchanged(t, s, before)
	_, err = s.Archive(clerk(t, s), c.ID, "WS·2026-Y-0001", "")
	wantRefusal(t, err, models.ErrReturnToIssuer, FieldArchiveCarrier, c.RegNo)
	returnsUnchanged(t, s, before)

	b := mustCreateReturn(t, s, returnIssuerA)
	if _, err := s.HandOverReturnBatch(clerk(t, s), b.ID, "周敏", "2026-11-23"); err != nil {
		t.Fatal(err)
	}
	if st := carrierState(t, s, c.ID); st != models.StateReturned {
		t.Fatalf("state = %s, want 已清退", st)
	}
	// Returned: terminal, never destroyed, never flagged back.
	before = snapReturns(t, s)
	_, err = s.RequestDestruction(clerk(t, s), destroyIn(c))
	wantRefusal(t, err, models.ErrNotInStore, FieldDestroyCarriers, c.RegNo, "已清退")
	_, err = s.FlagReturnToIssuer(clerk(t, s), c.ID, false)
	wantRefusal(t, err, models.ErrTerminal, FieldReturnFlag, c.RegNo)
	returnsUnchanged(t, s, before)

	// A carrier listed on a pending slip can't be unflagged: the slip would be stuck.
	f := formNo(2)
	f.Copies = "2"
	cs := mustRegister(t, s, f)
	flagForReturn(t, s, cs...)
	b2 := mustCreateReturn(t, s, returnIssuerA)
	before = snapReturns(t, s)
	_, err = s.FlagReturnToIssuer(clerk(t, s), cs[1].ID, false)
	wantRefusal(t, err, models.ErrInReturnBatch, FieldReturnFlag, cs[1].RegNo, b2.SlipNo)
	returnsUnchanged(t, s, before)
}

func TestArchive_NeedsFileNo(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	before := snapReturns(t, s)
	for _, no := range []string{"", "   "} {
		_, err := s.Archive(clerk(t, s), c.ID, no, "年度归档")
		wantRefusal(t, err, models.ErrNeedsFileNo, FieldFileNo, "档号")
	}
	_, err := s.Archive(clerk(t, s), c.ID, strings.Repeat("档", MaxFileNoLen+1), "")
	wantRefusal(t, err, nil, FieldFileNo, "档号")
	returnsUnchanged(t, s, before)

	got, err := s.Archive(clerk(t, s), c.ID, " WS·2026-Y-0012 ", "年度归档")
	if err != nil {
		t.Fatal(err)
	}
	if got.State != models.StateArchived || got.Version != c.Version+1 {
		t.Fatalf("archived = %+v", got)
	}
	a, err := s.ArchiveOf(clerk(t, s), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a.FileNo != "WS·2026-Y-0012" || a.Note != "年度归档" || a.ArchivedOn != "2026-11-23" || a.CreatedBy != "王敏" {
		t.Fatalf("archive = %+v", a)
	}
	var ev, audits int64
	s.db.Raw(`SELECT count(*) FROM carrier_events WHERE carrier_id = ? AND action = ? AND reason LIKE ?`, c.ID,
		models.ActionArchive, "%WS·2026-Y-0012%").Scan(&ev)
	s.db.Raw(`SELECT count(*) FROM audit_log WHERE event = ? AND object = ?`, models.EventArchive, c.RegNo).Scan(&audits)
	if ev != 1 || audits != 1 {
		t.Fatalf("events %d audits %d", ev, audits)
	}
	// Not in store: refused.
	d := mustRegister(t, s, formNo(2))[0]
	ap := addApprover(t, s, "孙立", models.LevelTopSecret, models.ApproveLoan)
	lend(t, s, loanIn(d), ap)
	before = snapReturns(t, s)
	_, err = s.Archive(clerk(t, s), d.ID, "WS·2026-Y-0013", "")
	wantRefusal(t, err, models.ErrNotInStore, FieldArchiveCarrier, d.RegNo, "借出")
	returnsUnchanged(t, s, before)
}

func TestArchive_StaysSearchable(t *testing.T) {
	s := newService(t)
	f := form()
	f.Title = "关于档案移交归档工作的通知"
	c := mustRegister(t, s, f)[0]
	if _, err := s.Archive(clerk(t, s), c.ID, "WS·2026-Y-0012", ""); err != nil {
		t.Fatal(err)
	}
	all, err := s.Page(clerk(t, s), Query{Keyword: "移交归档"}, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].ID != c.ID || all[0].State != models.StateArchived {
		t.Fatalf("全部 search = %+v", all)
	}
	if n, err := s.Count(clerk(t, s), Query{Keyword: "移交归档", States: []models.State{models.StateArchived}}); err != nil || n != 1 {
		t.Fatalf("已归档 search = %d %v", n, err)
	}
	held, err := s.Page(clerk(t, s), Query{Keyword: "移交归档", States: models.HeldStates}, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	if len(held) != 0 {
		t.Fatalf("archived carrier in the held view: %+v", held)
	}
}

func TestArchive_ReturnedOrArchivedNeverChanges(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies = "2"
	cs := mustRegister(t, s, f)
	arch, ret := cs[0], cs[1]
	if _, err := s.Archive(clerk(t, s), arch.ID, "WS·2026-Y-0012", ""); err != nil {
		t.Fatal(err)
	}
	flagForReturn(t, s, ret)
	b := mustCreateReturn(t, s, returnIssuerA)
	if _, err := s.HandOverReturnBatch(clerk(t, s), b.ID, "周敏", "2026-11-23"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{arch.ID, ret.ID} {
		c, err := s.Get(clerk(t, s), id)
		if err != nil {
			t.Fatal(err)
		}
		if !c.State.Terminal() {
			t.Fatalf("%s state %s not terminal", c.RegNo, c.State)
		}
		before := snapReturns(t, s)
		ef := form()
		ef.Remarks = "改一下"
		if _, err := s.Edit(clerk(t, s), c.ID, c.Version, ef, "补充备注"); !errors.Is(err, models.ErrTerminal) {
			t.Fatalf("edit %s: %v", c.State, err)
		}
		if err := s.Void(clerk(t, s), c.ID, c.Version, "份号登记错误，应为000003"); !errors.Is(err, models.ErrNotInStore) {
			t.Fatalf("void %s: %v", c.State, err)
		}
		_, err = s.RequestCopy(clerk(t, s), CopyRequestInput{CarrierID: c.ID, Copies: 1, Purpose: "会议使用",
			Requester: "刘洋"})
		if !errors.Is(err, models.ErrNotInStore) && !errors.Is(err, models.ErrTerminal) {
			t.Fatalf("copy %s: %v", c.State, err)
		}
		if _, err := s.Archive(clerk(t, s), c.ID, "WS·2026-Y-0099", ""); !errors.Is(err, models.ErrTerminal) {
			t.Fatalf("archive %s: %v", c.State, err)
		}
		if _, err := s.FlagReturnToIssuer(clerk(t, s), c.ID, c.State == models.StateArchived); !errors.Is(err, models.ErrTerminal) {
			t.Fatalf("flag %s: %v", c.State, err)
		}
		if _, err := s.RequestLoan(clerk(t, s), loanIn(c)); err == nil {
			t.Fatalf("loan of %s accepted", c.State)
		}
		returnsUnchanged(t, s, before)
	}
}

func TestReturn_R18_RolesEnforced(t *testing.T) {
	s := newService(t)
	cs := mustRegister(t, s, form())
	flagForReturn(t, s, cs...)
	other := mustRegister(t, s, formNo(2))[0]
	before := snapReturns(t, s)
	for _, who := range []string{"secadmin", "sysadmin", "auditor"} {
		sess := as(t, s, who)
		if _, err := s.CreateReturnBatch(sess, returnIssuerA); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s created a return batch: %v", who, err)
		}
		if _, err := s.ReturnCandidates(sess); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s listed candidates: %v", who, err)
		}
		if _, err := s.Archive(sess, other.ID, "WS·2026-Y-0012", ""); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s archived: %v", who, err)
		}
		if _, err := s.ArchiveOf(sess, other.ID); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s read an archive record: %v", who, err)
		}
	}
	returnsUnchanged(t, s, before)
	b := mustCreateReturn(t, s, returnIssuerA)
	before = snapReturns(t, s)
	for _, who := range []string{"secadmin", "sysadmin", "auditor"} {
		sess := as(t, s, who)
		if _, err := s.HandOverReturnBatch(sess, b.ID, "周敏", "2026-11-23"); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s handed over: %v", who, err)
		}
		if _, err := s.ReturnBatches(sess); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s listed return batches: %v", who, err)
		}
		if _, err := s.ReturnList(sess, b.ID); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s read a return list: %v", who, err)
		}
	}
	returnsUnchanged(t, s, before)
}

func TestReturn_R16_FlagStaysWhileOnAPendingSlip(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, otherIssuerForm())[0]
	flagForReturn(t, s, c)
	b := mustCreateReturn(t, s, "省保密局")
	before := snapReturns(t, s)
	_, err := s.FlagReturnToIssuer(clerk(t, s), c.ID, false)
	wantRefusal(t, err, models.ErrInReturnBatch, FieldReturnFlag, b.SlipNo, "先作废")
	returnsUnchanged(t, s, before)
	if got, _ := s.Get(clerk(t, s), c.ID); !got.ReturnToIssuer {
		t.Fatal("the flag was cleared")
	}
}

func TestReturn_VoidedSlipFreesItsCarriersAndIsKept(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, otherIssuerForm())[0]
	flagForReturn(t, s, c)
	b := mustCreateReturn(t, s, "省保密局")

	before := snapReturns(t, s)
	_, err := s.VoidReturnBatch(clerk(t, s), b.ID, "  ")
	wantRefusal(t, err, nil, FieldReturnVoid, "作废原因")
	returnsUnchanged(t, s, before)

	v, err := s.VoidReturnBatch(clerk(t, s), b.ID, "来文单位要求分两次清退")
	if err != nil || v.State != models.ReturnCancelled || v.Items != 1 {
		t.Fatalf("void: %+v %v", v, err)
	}
	// Kept, marked 已作废, and can be neither handed over nor voided again.
	list, err := s.ReturnList(clerk(t, s), b.ID)
	if err != nil || list.Batch.State != models.ReturnCancelled || len(list.Items) != 1 {
		t.Fatalf("voided slip's list: %+v %v", list.Batch, err)
	}
	_, err = s.HandOverReturnBatch(clerk(t, s), b.ID, "钱进", "2026-11-23")
	wantRefusal(t, err, models.ErrReturnDone, FieldReturnBatch, "已作废")
	_, err = s.VoidReturnBatch(clerk(t, s), b.ID, "再次作废")
	wantRefusal(t, err, models.ErrReturnDone, FieldReturnBatch, "已作废")

	var n int64
	s.db.Raw(`SELECT count(*) FROM carrier_events WHERE carrier_id = ? AND action = ?`, c.ID, models.ActionReturnVoid).Scan(&n)
	if n != 1 {
		t.Fatalf("history lines of the voiding: %d", n)
	}
	s.db.Raw(`SELECT count(*) FROM audit_log WHERE event = ? AND object = ?`, models.EventReturnVoid, b.SlipNo).Scan(&n)
	if n != 1 {
		t.Fatalf("audit records of the voiding: %d", n)
	}
	// The carrier is free: unflagged, or put on a new slip.
	b2 := mustCreateReturn(t, s, "省保密局")
	if b2.SlipNo == b.SlipNo || b2.Items != 1 {
		t.Fatalf("new slip %+v", b2)
	}
	if _, err := s.VoidReturnBatch(clerk(t, s), b2.ID, "改为下月清退"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FlagReturnToIssuer(clerk(t, s), c.ID, false); err != nil {
		t.Fatalf("unflag after voiding: %v", err)
	}
}
