package app

import (
	"errors"
	"strings"
	"testing"
	"time"

	"secdoc/models"
)

// inspSnap is the state of every table a self-inspection can touch.
type inspSnap struct{ inspections, items, events, settings string }

func snapInsp(t *testing.T, s *Service) inspSnap {
	t.Helper()
	var sn inspSnap
	for _, q := range []struct {
		sql string
		v   *string
	}{
		{`SELECT COALESCE(group_concat(id || ':' || state || ':' || closed_on, ','), '') FROM (SELECT * FROM inspections ORDER BY id)`, &sn.inspections},
		{`SELECT COALESCE(group_concat(inspection_id || ':' || carrier_id || ':' || expected || ':' || found || ':' || status || ':' || resolution, ','), '') FROM (SELECT * FROM inspection_items ORDER BY inspection_id, carrier_id)`, &sn.items},
		{`SELECT CAST(count(*) AS TEXT) FROM carrier_events`, &sn.events},
		{`SELECT COALESCE(group_concat(key || '=' || value, ','), '') FROM (SELECT * FROM settings WHERE key LIKE 'inspection.%' ORDER BY key)`, &sn.settings},
	} {
		if err := s.db.Raw(q.sql).Scan(q.v).Error; err != nil {
			t.Fatal(err)
		}
	}
	return sn
}

func inspUnchanged(t *testing.T, s *Service, before inspSnap) {
	t.Helper()
	if after := snapInsp(t, s); after != before {
		t.Fatalf("database changed by a refused act:\nbefore %+v\nafter  %+v", before, after)
	}
}

// holdings registers n copies held by custodian at level, under docNumber.
func holdings(t *testing.T, s *Service, custodian, docNumber string, level models.Level, n string) []models.Carrier {
	t.Helper()
	f := form()
	f.Custodian, f.DocNumber, f.Level, f.Copies = custodian, docNumber, level, n
	return mustRegister(t, s, f)
}

func mustStart(t *testing.T, s *Service, custodian string) models.Inspection {
	t.Helper()
	in, err := s.StartInspection(clerk(t, s), custodian)
	if err != nil {
		t.Fatalf("start inspection: %v", err)
	}
	return in
}

func mustTick(t *testing.T, s *Service, in models.Inspection, regNo string) models.InspectionItem {
	t.Helper()
	it, err := s.TickFound(clerk(t, s), in.ID, regNo)
	if err != nil {
		t.Fatalf("tick %s: %v", regNo, err)
	}
	return it
}

func regNos(items []models.InspectionItem) string {
	nos := make([]string, len(items))
	for i, it := range items {
		nos[i] = it.RegNo
	}
	return strings.Join(nos, ",")
}

func TestInspection_R19_MissingAndUnexpectedListed(t *testing.T) {
	s := newService(t)
	mine := holdings(t, s, "王敏", "遂安府办发〔2026〕30号", models.LevelSecret, "3")
	theirs := holdings(t, s, "刘洋", "遂安府办发〔2026〕31号", models.LevelConfidential, "1")
	in := mustStart(t, s, "王敏")
	if !strings.HasPrefix(in.SlipNo, "查〔2026〕") || in.State != models.InspectionOpen || in.State.String() != "进行中" {
		t.Fatalf("inspection = %+v", in)
	}
	mustTick(t, s, in, mine[0].RegNo)
	mustTick(t, s, in, mine[1].RegNo)
	it := mustTick(t, s, in, theirs[0].RegNo)
	if it.Expected || !it.Found {
		t.Fatalf("someone else's carrier: %+v, want unexpected and found", it)
	}
	r, err := s.InspectionResult(clerk(t, s), in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if regNos(r.Missing) != mine[2].RegNo || regNos(r.Unexpected) != theirs[0].RegNo || len(r.Found) != 2 ||
		len(r.Away) != 0 || r.Matches() {
		t.Fatalf("result: missing %s unexpected %s found %d away %d", regNos(r.Missing), regNos(r.Unexpected),
			len(r.Found), len(r.Away))
	}
	// A second open inspection of the same custodian is refused.
	before := snapInsp(t, s)
	_, err = s.StartInspection(clerk(t, s), "王敏")
	wantRefusal(t, err, models.ErrInspectionOpen, FieldInspCustodian, "王敏", "尚未完成")
	inspUnchanged(t, s, before)
	// A custodian holding nothing is refused.
	_, err = s.StartInspection(clerk(t, s), "无此人")
	wantRefusal(t, err, models.ErrNotFound, FieldInspCustodian, "无此人")
	inspUnchanged(t, s, before)
}

func TestInspection_R19_OnLoanIsAwayNotMissing(t *testing.T) {
	s := newService(t)
	cs := holdings(t, s, "王敏", "遂安府办发〔2026〕30号", models.LevelSecret, "2")
	a := addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveLoan)
	lend(t, s, loanIn(cs[1]), a)
	in := mustStart(t, s, "王敏")
	mustTick(t, s, in, cs[0].RegNo)
	r, err := s.InspectionResult(clerk(t, s), in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Missing) != 0 || regNos(r.Away) != cs[1].RegNo || r.Away[0].Status != models.StateOnLoan || !r.Matches() {
		t.Fatalf("missing %s away %s", regNos(r.Missing), regNos(r.Away))
	}
	// Nothing to resolve: it closes at once, and the away item takes no resolution.
	before := snapInsp(t, s)
	_, err = s.Resolve(clerk(t, s), in.ID, cs[1].ID, "已借出")
	wantRefusal(t, err, models.ErrNotADifference, FieldInspItem, cs[1].RegNo)
	inspUnchanged(t, s, before)
	closed, err := s.CloseInspection(clerk(t, s), in.ID)
	if err != nil || closed.Inspection.State != models.InspectionClosed || closed.Inspection.ClosedOn != "2026-11-23" {
		t.Fatalf("close: %+v %v", closed.Inspection, err)
	}
}

func TestInspection_R4_CloseNeedsResolutions(t *testing.T) {
	s := newService(t)
	mine := holdings(t, s, "王敏", "遂安府办发〔2026〕30号", models.LevelSecret, "2")
	theirs := holdings(t, s, "刘洋", "遂安府办发〔2026〕31号", models.LevelSecret, "1")
	in := mustStart(t, s, "王敏")
	mustTick(t, s, in, mine[0].RegNo)
	mustTick(t, s, in, theirs[0].RegNo)

	before := snapInsp(t, s)
	_, err := s.CloseInspection(clerk(t, s), in.ID)
	wantRefusal(t, err, models.ErrUnresolved, FieldInspResolution, "2 项差异", mine[1].RegNo, theirs[0].RegNo)
	inspUnchanged(t, s, before)
	_, err = s.Resolve(clerk(t, s), in.ID, mine[1].ID, "  ")
	wantRefusal(t, err, models.ErrNeedsNote, FieldInspResolution, "处理结果")
	inspUnchanged(t, s, before)

	if _, err := s.Resolve(clerk(t, s), in.ID, mine[1].ID, "经查已送局长室阅办，当日收回"); err != nil {
		t.Fatal(err)
	}
	before = snapInsp(t, s)
	_, err = s.CloseInspection(clerk(t, s), in.ID)
	wantRefusal(t, err, models.ErrUnresolved, FieldInspResolution, "1 项差异", theirs[0].RegNo)
	inspUnchanged(t, s, before)

	if _, err := s.Resolve(clerk(t, s), in.ID, theirs[0].ID, "刘洋误放入本柜，已交还"); err != nil {
		t.Fatal(err)
	}
	r, err := s.CloseInspection(clerk(t, s), in.ID)
	if err != nil || r.Inspection.State != models.InspectionClosed {
		t.Fatalf("close: %+v %v", r.Inspection, err)
	}
	// Closed is final, and audited.
	before = snapInsp(t, s)
	_, err = s.TickFound(clerk(t, s), in.ID, mine[1].RegNo)
	wantRefusal(t, err, models.ErrInspectionClosed, FieldInspection, "已完成")
	_, err = s.Resolve(clerk(t, s), in.ID, mine[1].ID, "改")
	wantRefusal(t, err, models.ErrInspectionClosed, FieldInspection, "已完成")
	inspUnchanged(t, s, before)
	var n int64
	s.db.Raw(`SELECT count(*) FROM audit_log WHERE event = ? AND object = ? AND success`, models.EventInspectionClose, in.SlipNo).Scan(&n)
	if n != 1 {
		t.Fatalf("close audited %d times, want 1", n)
	}
	// The records are kept.
	if err := s.db.Exec(`DELETE FROM inspection_items`).Error; err == nil {
		t.Fatal("inspection items deleted")
	}
}

func TestInspection_ScannerTypesRegNo(t *testing.T) {
	s := newService(t)
	cs := holdings(t, s, "王敏", "遂安府办发〔2026〕30号", models.LevelSecret, "1")
	in := mustStart(t, s, "王敏")
	typed := strings.NewReplacer("〔", "[", "〕", "]").Replace(cs[0].RegNo) + "\n"
	it := mustTick(t, s, in, typed)
	if it.CarrierID != cs[0].ID || !it.Found || !it.Expected {
		t.Fatalf("scanned %q: %+v", typed, it)
	}
	// Twice is harmless.
	before := snapInsp(t, s)
	if it2 := mustTick(t, s, in, typed); !it2.Found || it2.CarrierID != cs[0].ID {
		t.Fatalf("second tick: %+v", it2)
	}
	inspUnchanged(t, s, before)
	// An unknown number is a clear refusal.
	_, err := s.TickFound(clerk(t, s), in.ID, "收[2026]9999")
	wantRefusal(t, err, models.ErrNotFound, FieldInspRegNo, "收〔2026〕9999", "没有")
	inspUnchanged(t, s, before)
}

func TestInspection_R19_PeriodPerLevelAndOverdue(t *testing.T) {
	s := newService(t)
	holdings(t, s, "王敏", "遂安府办发〔2026〕30号", models.LevelConfidential, "1")
	holdings(t, s, "刘洋", "遂安府办发〔2026〕31号", models.LevelTopSecret, "1")
	holdings(t, s, "刘洋", "遂安府办发〔2026〕32号", models.LevelConfidential, "1")

	// Defaults: monthly for every level.
	p, err := s.InspectionPeriods(as(t, s, "secadmin"))
	if err != nil || p[models.LevelConfidential] != 1 || p[models.LevelTopSecret] != 1 {
		t.Fatalf("default periods %v %v", p, err)
	}
	before := snapInsp(t, s)
	err = s.SetInspectionPeriod(as(t, s, "secadmin"), models.LevelConfidential, 13)
	wantRefusal(t, err, models.ErrBadPeriod, FieldInspPeriod, "1 至 12")
	inspUnchanged(t, s, before)
	if err := s.SetInspectionPeriod(as(t, s, "secadmin"), models.LevelConfidential, 3); err != nil {
		t.Fatal(err)
	}
	var v string
	s.db.Raw(`SELECT value FROM settings WHERE key = 'inspection.period.confidential'`).Scan(&v)
	if v != "3" {
		t.Fatalf("setting = %q", v)
	}

	// Never inspected: overdue.
	due, err := s.InspectionsDue(clerk(t, s), time.Time{}, nil)
	if err != nil || len(due) != 2 || !due[0].Overdue || !due[1].Overdue {
		t.Fatalf("due %+v %v", due, err)
	}
	// Both inspected on 2026-10-10, with nothing missing.
	s.Now = func() time.Time { return time.Date(2026, 10, 10, 9, 0, 0, 0, time.Local) }
	for _, who := range []string{"王敏", "刘洋"} {
		in := mustStart(t, s, who)
		r, _ := s.InspectionResult(clerk(t, s), in.ID)
		for _, it := range r.Items {
			mustTick(t, s, in, it.RegNo)
		}
		if _, err := s.CloseInspection(clerk(t, s), in.ID); err != nil {
			t.Fatal(err)
		}
	}
	s.Now = func() time.Time { return fixedNow }

	// On 2026-11-23: 刘洋 holds 绝密 (monthly, due 11-10) → overdue;
	// 王敏 holds only 秘密 (three months, due 2027-01-10) → not.
	due, err = s.InspectionsDue(clerk(t, s), time.Time{}, nil)
	if err != nil || len(due) != 2 {
		t.Fatalf("due %+v %v", due, err)
	}
	byName := map[string]InspectionDue{due[0].Custodian: due[0], due[1].Custodian: due[1]}
	liu, wang := byName["刘洋"], byName["王敏"]
	if !liu.Overdue || liu.HighestLevel != models.LevelTopSecret || liu.PeriodMonths != 1 ||
		liu.LastDone != "2026-10-10" || liu.DueOn != "2026-11-10" || liu.Held != 2 {
		t.Fatalf("刘洋 %+v", liu)
	}
	if wang.Overdue || wang.PeriodMonths != 3 || wang.DueOn != "2027-01-10" {
		t.Fatalf("王敏 %+v", wang)
	}
	if due[0].Custodian != "刘洋" {
		t.Fatalf("overdue should come first: %+v", due)
	}
	// Periods passed in override the settings.
	due, _ = s.InspectionsDue(clerk(t, s), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC),
		map[models.Level]int{models.LevelTopSecret: 2, models.LevelConfidential: 1})
	for _, d := range due {
		if d.Custodian == "刘洋" && d.Overdue || d.Custodian == "王敏" && !d.Overdue {
			t.Fatalf("with periods given: %+v", due)
		}
	}
}

func TestInspection_R18_RolesEnforced(t *testing.T) {
	s := newService(t)
	cs := holdings(t, s, "王敏", "遂安府办发〔2026〕30号", models.LevelSecret, "1")
	in := mustStart(t, s, "王敏")
	before := snapInsp(t, s)
	for _, who := range []string{"sysadmin", "secadmin", "auditor"} {
		sess := as(t, s, who)
		errs := map[string]error{}
		_, errs["start"] = s.StartInspection(sess, "王敏")
		_, errs["tick"] = s.TickFound(sess, in.ID, cs[0].RegNo)
		_, errs["result"] = s.InspectionResult(sess, in.ID)
		_, errs["resolve"] = s.Resolve(sess, in.ID, cs[0].ID, "x")
		_, errs["close"] = s.CloseInspection(sess, in.ID)
		_, errs["list"] = s.Inspections(sess, "")
		_, errs["due"] = s.InspectionsDue(sess, time.Time{}, nil)
		for what, err := range errs {
			if !errors.Is(err, models.ErrForbidden) {
				t.Fatalf("%s %s: err = %v, want ErrForbidden", who, what, err)
			}
		}
	}
	for _, who := range []string{"clerk", "sysadmin", "auditor"} {
		if err := s.SetInspectionPeriod(as(t, s, who), models.LevelSecret, 2); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s set period: %v, want ErrForbidden", who, err)
		}
	}
	inspUnchanged(t, s, before)
}

func TestHandover_R5_EverythingHeldIsHandedOver(t *testing.T) {
	s := newService(t)
	cs := holdings(t, s, "王敏", "遂安府办发〔2026〕30号", models.LevelSecret, "2")
	other := holdings(t, s, "刘洋", "遂安府办发〔2026〕31号", models.LevelSecret, "1")
	a := addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveLoan)
	lend(t, s, loanIn(cs[1]), a)

	before := snapInsp(t, s)
	_, _, err := s.Handover(clerk(t, s), HandoverInput{From: "王敏", To: " 王敏 "})
	wantRefusal(t, err, models.ErrBadHandover, FieldHandoverTo)
	inspUnchanged(t, s, before)
	in := mustStart(t, s, "王敏")
	before = snapInsp(t, s)
	_, _, err = s.Handover(clerk(t, s), HandoverInput{From: "王敏", To: "孙丽", Witness: "李主任"})
	wantRefusal(t, err, models.ErrInspectionOpen, FieldHandoverFrom, "自查尚未完成")
	inspUnchanged(t, s, before)
	for _, c := range cs[:1] {
		mustTick(t, s, in, c.RegNo)
	}
	if _, err := s.CloseInspection(clerk(t, s), in.ID); err != nil {
		t.Fatal(err)
	}

	h, items, err := s.Handover(clerk(t, s), HandoverInput{From: "王敏", To: "孙丽", Witness: "李主任"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h.SlipNo, "交〔2026〕") || len(items) != 2 || items[1].State != models.StateOnLoan {
		t.Fatalf("handover %+v items %+v", h, items)
	}
	for _, c := range cs {
		got, _ := s.Get(clerk(t, s), c.ID)
		if got.Custodian != "孙丽" {
			t.Fatalf("%s custodian %q", c.RegNo, got.Custodian)
		}
		evs, _ := s.History(clerk(t, s), c.ID)
		if last := evs[len(evs)-1]; last.Action != models.ActionHandover || last.OldValue != "王敏" || last.NewValue != "孙丽" {
			t.Fatalf("history %+v", last)
		}
	}
	if got, _ := s.Get(clerk(t, s), other[0].ID); got.Custodian != "刘洋" {
		t.Fatalf("someone else's carrier moved: %q", got.Custodian)
	}
	if listed, _ := s.HandoverItems(clerk(t, s), h.ID); len(listed) != 2 {
		t.Fatalf("handover list %d items", len(listed))
	}
	if _, _, err := s.Handover(as(t, s, "secadmin"), HandoverInput{From: "孙丽", To: "王敏"}); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("secadmin handover: %v", err)
	}
}

func TestHandover_R5_DatedAsItHappened(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	before := countRows(t, s)
	for _, bad := range []struct{ on, want string }{{"2026-11-24", "不能晚于今天"}, {"上周五", "年-月-日"}} {
		_, _, err := s.Handover(clerk(t, s), HandoverInput{From: "王敏", To: "刘洋", Witness: "李主任", On: bad.on})
		wantRefusal(t, err, nil, FieldHandoverOn, bad.want)
		unchanged(t, s, before)
	}
	h, _, err := s.Handover(clerk(t, s), HandoverInput{From: "王敏", To: "刘洋", Witness: "李主任", On: "2026.11.20"})
	if err != nil || h.HandedOn != "2026-11-20" {
		t.Fatalf("handover dated 2026-11-20: %+v %v", h, err)
	}
	h, _, err = s.Handover(clerk(t, s), HandoverInput{From: "刘洋", To: "王敏", Witness: "李主任"})
	if err != nil || h.HandedOn != "2026-11-23" {
		t.Fatalf("undated handover is today's: %+v %v", h, err)
	}
}
