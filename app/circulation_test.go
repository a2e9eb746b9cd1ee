package app

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"secdoc/models"
)

// circSnap is what a refused circulation act must leave as it was.
type circSnap struct {
	rows
	carriers, circs, steps, counters, audited string
}

func snapCirc(t *testing.T, s *Service) circSnap {
	t.Helper()
	sn := circSnap{rows: countRows(t, s)}
	for _, q := range []struct {
		sql string
		out *string
	}{
		{`SELECT COALESCE(group_concat(id || ':' || state || ':' || version, ','), '') FROM (SELECT * FROM carriers ORDER BY id)`, &sn.carriers},
		{`SELECT COALESCE(group_concat(id || ':' || state || ':' || current_reader || ':' || version || ':' || instruction || ':' || close_note, ','), '') FROM (SELECT * FROM circulations ORDER BY id)`, &sn.circs},
		{`SELECT COALESCE(group_concat(circulation_id || ':' || ord || ':' || COALESCE(out_at, '-') || ':' || COALESCE(back_at, '-') || ':' || count_ok || ':' || discrepancy, ','), '') FROM (SELECT * FROM circulation_steps ORDER BY circulation_id, ord)`, &sn.steps},
		{`SELECT COALESCE(group_concat(name || '=' || value, ','), '') FROM (SELECT * FROM counters ORDER BY name)`, &sn.counters},
		{`SELECT COALESCE(group_concat(event, ','), '') FROM (SELECT event FROM audit_log WHERE event LIKE 'circulation%' ORDER BY seq)`, &sn.audited},
	} {
		if err := s.db.Raw(q.sql).Scan(q.out).Error; err != nil {
			t.Fatal(err)
		}
	}
	return sn
}

func circUnchanged(t *testing.T, s *Service, before circSnap) {
	t.Helper()
	if after := snapCirc(t, s); after != before {
		t.Fatalf("database changed by a refused act:\nbefore %+v\nafter  %+v", before, after)
	}
}

// refusedWith checks err is the sentinel and its message says want.
func refusedWith(t *testing.T, err, sentinel error, want string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("want %v, got %v", sentinel, err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("message %q lacks %q", err.Error(), want)
	}
}

var route = []models.Reader{{Name: "陈局长", Department: "局长"}, {Name: "刘副局长", Department: "分管副局长"},
	{Name: "孙科长", Department: "综合科"}}

// formNo is form() with copy number n, so several can be registered.
func formNo(n int) models.CarrierForm {
	f := form()
	f.CopyNo = strconv.Itoa(n)
	return f
}

// clock lets a test move the service's time.
func clock(s *Service) *time.Time {
	now := fixedNow
	s.Now = func() time.Time { return now }
	return &now
}

func startCirc(t *testing.T, s *Service) (models.Carrier, models.Circulation) {
	t.Helper()
	c := mustRegister(t, s, form())[0]
	ci, err := s.StartCirculation(clerk(t, s), c.ID, "请陈局长阅示，综合科办理", route)
	if err != nil {
		t.Fatalf("start circulation: %v", err)
	}
	return c, ci
}

func TestCirculation_StartSetsInCirculation(t *testing.T) {
	s := newService(t)
	c, ci := startCirc(t, s)
	if ci.SlipNo != "阅〔2026〕0001" || ci.State != models.CirculationOpen || len(ci.Route) != 3 || ci.CurrentReader != "" {
		t.Fatalf("circulation: %+v", ci)
	}
	if st := carrierState(t, s, c.ID); st != models.StateInCirculation {
		t.Fatalf("carrier state %s", st)
	}
	var n int64
	s.db.Raw(`SELECT count(*) FROM carrier_events WHERE carrier_id = ? AND action = ?`, c.ID, models.ActionCirculate).Scan(&n)
	if n != 1 {
		t.Fatalf("history lines %d", n)
	}
	s.db.Raw(`SELECT count(*) FROM audit_log WHERE event = ?`, models.EventCirculationStart).Scan(&n)
	if n != 1 {
		t.Fatalf("audit lines %d", n)
	}
	// Bad routes are refused.
	c2 := mustRegister(t, s, formNo(2))[0]
	before := snapCirc(t, s)
	_, err := s.StartCirculation(clerk(t, s), c2.ID, "", nil)
	refusedWith(t, err, models.ErrBadRoute, "至少一位阅文人")
	_, err = s.StartCirculation(clerk(t, s), c2.ID, "", []models.Reader{{Name: "陈局长"}, {Name: "陈局长"}})
	refusedWith(t, err, models.ErrBadRoute, "连续两次")
	circUnchanged(t, s, before)
}

func TestCirculation_R6_SidewaysPassRefused(t *testing.T) {
	s := newService(t)
	now := clock(s)
	_, ci := startCirc(t, s)
	*now = fixedNow.Add(10 * time.Minute)
	if _, err := s.SignOutToReader(clerk(t, s), ci.ID, "陈局长", *now); err != nil {
		t.Fatal(err)
	}
	*now = fixedNow.Add(20 * time.Minute)
	before := snapCirc(t, s)
	// 陈局长 holds it: handing it straight to the next reader is sideways passing.
	_, err := s.SignOutToReader(clerk(t, s), ci.ID, "刘副局长", *now)
	refusedWith(t, err, models.ErrSidewaysPass, "不得横传")
	circUnchanged(t, s, before)
	// Back to the office first; then skipping a reader of the route is refused too.
	if _, err := s.SignBack(clerk(t, s), ci.ID, *now, true, ""); err != nil {
		t.Fatal(err)
	}
	before = snapCirc(t, s)
	_, err = s.SignOutToReader(clerk(t, s), ci.ID, "孙科长", *now)
	refusedWith(t, err, models.ErrNotNextReader, "下一位阅文人是刘副局长")
	circUnchanged(t, s, before)
	if _, err := s.SignOutToReader(clerk(t, s), ci.ID, "刘副局长", *now); err != nil {
		t.Fatalf("next reader from the office: %v", err)
	}
}

func TestCirculation_R6_CountDiscrepancyNeedsNote(t *testing.T) {
	s := newService(t)
	now := clock(s)
	_, ci := startCirc(t, s)
	out := fixedNow.Add(30 * time.Minute)
	*now = fixedNow.Add(2 * time.Hour)
	if _, err := s.SignOutToReader(clerk(t, s), ci.ID, "陈局长", out); err != nil {
		t.Fatal(err)
	}
	before := snapCirc(t, s)
	_, err := s.SignBack(clerk(t, s), ci.ID, *now, false, "  ")
	refusedWith(t, err, models.ErrCountNeedsNote, "清点不符")
	circUnchanged(t, s, before)
	// A return dated before the sign-out is refused.
	_, err = s.SignBack(clerk(t, s), ci.ID, out.Add(-time.Minute), true, "")
	refusedWith(t, err, models.ErrBadCirculationTime, "早于")
	circUnchanged(t, s, before)
	got, err := s.SignBack(clerk(t, s), ci.ID, *now, false, "缺附件2第3页")
	if err != nil {
		t.Fatal(err)
	}
	if st := got.Steps[0]; st.CountOK || st.Discrepancy != "缺附件2第3页" || st.BackAt == nil {
		t.Fatalf("step: %+v", st)
	}
	var reason string
	s.db.Raw(`SELECT reason FROM carrier_events WHERE action = ?`, models.ActionCirculationBack).Scan(&reason)
	if !strings.Contains(reason, "清点不符：缺附件2第3页") {
		t.Fatalf("history reason %q", reason)
	}
}

func TestCirculation_R6_AlwaysKnowsWhere(t *testing.T) {
	s := newService(t)
	now := clock(s)
	c, ci := startCirc(t, s)
	where := func() Whereabouts {
		t.Helper()
		w, err := s.WhereIs(clerk(t, s), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	if w := where(); !w.InOffice || w.Text != models.InOffice {
		t.Fatalf("before sign-out: %+v", w)
	}
	out := fixedNow.Add(15 * time.Minute)
	*now = out
	if _, err := s.SignOutToReader(clerk(t, s), ci.ID, "陈局长", out); err != nil {
		t.Fatal(err)
	}
	w := where()
	if w.InOffice || w.Reader != "陈局长" || !w.Since.Equal(out) || !strings.Contains(w.Text, "陈局长（局长）持有") {
		t.Fatalf("with reader: %+v", w)
	}
	*now = out.Add(time.Hour)
	if _, err := s.SignBack(clerk(t, s), ci.ID, *now, true, ""); err != nil {
		t.Fatal(err)
	}
	if w := where(); !w.InOffice {
		t.Fatalf("after return: %+v", w)
	}
}

func TestCirculation_NotInStoreRefused(t *testing.T) {
	s := newService(t)
	c, _ := startCirc(t, s)
	before := snapCirc(t, s)
	_, err := s.StartCirculation(clerk(t, s), c.ID, "", route)
	refusedWith(t, err, models.ErrNotInStore, "只有在库的载体才能传阅")
	circUnchanged(t, s, before)
}

func TestCirculation_CloseOnlyWhenBack(t *testing.T) {
	s := newService(t)
	now := clock(s)
	c, ci := startCirc(t, s)
	*now = fixedNow.Add(time.Hour)
	if _, err := s.SignOutToReader(clerk(t, s), ci.ID, "陈局长", *now); err != nil {
		t.Fatal(err)
	}
	before := snapCirc(t, s)
	_, err := s.CloseCirculation(clerk(t, s), ci.ID, "")
	refusedWith(t, err, models.ErrNotInOffice, "须退回办公室")
	_, err = s.RecordInstruction(clerk(t, s), ci.ID, "同意", "")
	refusedWith(t, err, models.ErrNotInOffice, "退回办公室")
	circUnchanged(t, s, before)
	if _, err := s.SignBack(clerk(t, s), ci.ID, *now, true, ""); err != nil {
		t.Fatal(err)
	}
	before = snapCirc(t, s)
	_, err = s.CloseCirculation(clerk(t, s), ci.ID, "")
	refusedWith(t, err, models.ErrRouteIncomplete, "刘副局长（分管副局长）、孙科长（综合科）尚未阅文")
	circUnchanged(t, s, before)
	if _, err := s.RecordInstruction(clerk(t, s), ci.ID, "请综合科抓好落实。陈", "已按要求完成自查"); err != nil {
		t.Fatal(err)
	}
	got, err := s.CloseCirculation(clerk(t, s), ci.ID, "刘副局长出差，陈局长批示直接交综合科办理")
	if err != nil {
		t.Fatal(err)
	}
	if got.State != models.CirculationClosed || got.Instruction != "请综合科抓好落实。陈" || got.ClosedAt == nil {
		t.Fatalf("closed: %+v", got)
	}
	if st := carrierState(t, s, c.ID); st != models.StateInStore {
		t.Fatalf("carrier state %s", st)
	}
	before = snapCirc(t, s)
	_, err = s.SignOutToReader(clerk(t, s), ci.ID, "刘副局长", *now)
	refusedWith(t, err, models.ErrCirculationClosed, "已办结")
	circUnchanged(t, s, before)
	// A full route closes without a note, and the carrier can circulate again.
	ci2, err := s.StartCirculation(clerk(t, s), c.ID, "", route[:1])
	if err != nil || ci2.SlipNo != "阅〔2026〕0002" {
		t.Fatalf("second circulation %s: %v", ci2.SlipNo, err)
	}
	if _, err := s.SignOutToReader(clerk(t, s), ci2.ID, "陈局长", *now); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SignBack(clerk(t, s), ci2.ID, *now, true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseCirculation(clerk(t, s), ci2.ID, ""); err != nil {
		t.Fatal(err)
	}
}

func overdueIDs(t *testing.T, s *Service, now time.Time) []string {
	t.Helper()
	list, total, err := s.OverdueHandling(clerk(t, s), now, HandlingThresholds{}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != len(list) {
		t.Fatalf("%d listed, %d counted", len(list), total)
	}
	var ids []string
	for _, o := range list {
		ids = append(ids, o.Carrier.ID)
	}
	return ids
}

func TestCirculation_R7_UrgentOverdueAfterOneHour(t *testing.T) {
	s := newService(t)
	for i, u := range []models.Urgency{models.UrgencyUrgent, models.UrgencyExtreme} {
		f := formNo(i + 1)
		f.Urgency = u
		c := mustRegister(t, s, f)[0]
		if ids := overdueIDs(t, s, fixedNow.Add(59*time.Minute)); len(ids) != 0 {
			t.Fatalf("%s overdue within the hour: %v", u, ids)
		}
		if ids := overdueIDs(t, s, fixedNow.Add(61*time.Minute)); len(ids) != 1 || ids[0] != c.ID {
			t.Fatalf("%s not overdue after the hour: %v", u, ids)
		}
		// Put into circulation, it is being handled.
		if _, err := s.StartCirculation(clerk(t, s), c.ID, "", route); err != nil {
			t.Fatal(err)
		}
		if ids := overdueIDs(t, s, fixedNow.Add(2*time.Hour)); len(ids) != 0 {
			t.Fatalf("circulated still overdue: %v", ids)
		}
	}
	// Configurable threshold.
	f := formNo(3)
	f.Urgency = models.UrgencyUrgent
	mustRegister(t, s, f)
	list, _, err := s.OverdueHandling(clerk(t, s), fixedNow.Add(61*time.Minute), HandlingThresholds{Urgent: 2 * time.Hour}, 0)
	if err != nil || len(list) != 0 {
		t.Fatalf("two-hour threshold: %v %v", list, err)
	}
}

func TestCirculation_R7_NormalOverdueNextMorning(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0] // Monday 10:00
	tue := time.Date(2026, 11, 24, 12, 0, 0, 0, time.Local)
	if ids := overdueIDs(t, s, tue.Add(-time.Minute)); len(ids) != 0 {
		t.Fatalf("overdue before next morning: %v", ids)
	}
	list, _, err := s.OverdueHandling(clerk(t, s), tue.Add(time.Minute), HandlingThresholds{}, 0)
	if err != nil || len(list) != 1 || list[0].Carrier.ID != c.ID || !list[0].Due.Equal(tue) {
		t.Fatalf("next morning: %+v %v", list, err)
	}
	// Outgoing documents are not incoming work.
	f := formNo(2)
	f.Direction, f.TermKind, f.TermYears = models.DirOutgoing, models.TermYears, "5"
	mustRegister(t, s, f)
	if ids := overdueIDs(t, s, tue.Add(time.Minute)); len(ids) != 1 {
		t.Fatalf("outgoing listed: %v", ids)
	}
	// Friday's documents are due on Monday morning.
	fri := time.Date(2026, 11, 27, 16, 0, 0, 0, time.Local)
	if due := HandlingDue(fri, models.UrgencyNormal, DefaultHandlingThresholds, models.NewCalendar(nil)); !due.Equal(time.Date(2026, 11, 30, 12, 0, 0, 0, time.Local)) {
		t.Fatalf("friday due %v", due)
	}
}

func TestCirculation_R18_RolesEnforced(t *testing.T) {
	s := newService(t)
	c, ci := startCirc(t, s)
	for _, who := range []string{"sysadmin", "secadmin", "auditor"} {
		sess := as(t, s, who)
		before := snapCirc(t, s)
		c2 := c
		for name, act := range map[string]func() error{
			"start": func() error { _, err := s.StartCirculation(sess, c2.ID, "", route); return err },
			"out":   func() error { _, err := s.SignOutToReader(sess, ci.ID, "陈局长", fixedNow); return err },
			"back":  func() error { _, err := s.SignBack(sess, ci.ID, fixedNow, true, ""); return err },
			"instr": func() error { _, err := s.RecordInstruction(sess, ci.ID, "同意", ""); return err },
			"close": func() error { _, err := s.CloseCirculation(sess, ci.ID, "x"); return err },
			"where": func() error { _, err := s.WhereIs(sess, c2.ID); return err },
			"list":  func() error { _, err := s.Circulations(sess, c2.ID); return err },
			"overdue": func() error {
				_, _, err := s.OverdueHandling(sess, fixedNow, HandlingThresholds{}, 5)
				return err
			},
		} {
			if err := act(); !errors.Is(err, models.ErrForbidden) {
				t.Fatalf("%s %s: want forbidden, got %v", who, name, err)
			}
		}
		circUnchanged(t, s, before)
	}
}
