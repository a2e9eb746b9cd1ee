package app

import (
	"testing"
	"time"

	"secdoc/models"
)

// R27: 次日上午 is before 12:00 of the next working day by the calendar:
// 国庆 and 春节 are off, a 调休 weekend day is worked.
func TestCalendar_R27_DeadlinesCountWorkingDays(t *testing.T) {
	s := newService(t)
	cal, err := s.Calendar()
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.Local) }
	for _, c := range []struct {
		name     string
		received time.Time
		due      time.Time
	}{
		{"the afternoon before 国庆: the first working day after it", at(2026, 9, 30, 15), at(2026, 10, 8, 12)},
		{"Friday before the 调休 Saturday: that Saturday", at(2026, 10, 9, 9), at(2026, 10, 10, 12)},
		{"Friday before the 调休 Sunday: that Sunday", at(2026, 9, 18, 16), at(2026, 9, 20, 12)},
		{"before 春节: the Tuesday after it", at(2026, 2, 13, 11), at(2026, 2, 14, 12)},
		{"the 调休 Saturday of 春节: the day after the holiday", at(2026, 2, 14, 10), at(2026, 2, 24, 12)},
		{"an ordinary Friday: Monday", at(2026, 11, 27, 16), at(2026, 11, 30, 12)},
		{"2027, the day before 中秋 (statutory, built in): the day after it", at(2027, 9, 14, 15), at(2027, 9, 16, 12)},
		{"2027, the Thursday before 除夕: the Tuesday after 初三", at(2027, 2, 4, 15), at(2027, 2, 9, 12)},
	} {
		if got := HandlingDue(c.received, models.UrgencyNormal, DefaultHandlingThresholds, cal); !got.Equal(c.due) {
			t.Errorf("%s: due %s, want %s", c.name, got.Format("2006-01-02 15:04"), c.due.Format("2006-01-02 15:04"))
		}
	}
	if got := HandlingDue(at(2026, 9, 30, 15), models.UrgencyUrgent, DefaultHandlingThresholds, cal); !got.Equal(at(2026, 9, 30, 16)) {
		t.Errorf("urgent: due %s, want within the hour", got)
	}
}

// R27: the security officer keeps the calendar; the clerk can't, a holiday
// on a weekend or a worked weekday is refused, and every refusal is audited
// and changes nothing. A day entered moves the deadlines.
func TestCalendar_R27_SecurityOfficerKeepsIt(t *testing.T) {
	s := newService(t)
	sec := as(t, s, "secadmin")
	count := func() int64 {
		var n int64
		s.db.Raw(`SELECT count(*) FROM calendar_days`).Scan(&n)
		return n
	}
	for _, c := range []struct {
		day   string
		kind  models.DayKind
		name  string
		field string
		want  string
	}{
		{"2026-11-28", models.DayHoliday, "调休", FieldCalendarDay, "本就休息"},
		{"2026-11-24", models.DayWorkday, "加班", FieldCalendarDay, "本就上班"},
		{"11月24日", models.DayHoliday, "假", FieldCalendarDay, "年-月-日"},
		{"2026-11-24", models.DayHoliday, "", FieldCalendarName, "名称"},
	} {
		n := auditCount(t, s)
		err := s.SetCalendarDay(sec, c.day, c.kind, c.name)
		wantRefusal(t, err, models.ErrBadCalendarDay, c.field, c.want)
		if count() != 0 || auditCount(t, s) != n+1 {
			t.Fatalf("%s: refused entry changed the calendar or was not audited", c.day)
		}
	}
	if err := s.SetCalendarDay(clerk(t, s), "2026-11-24", models.DayHoliday, "本地假日"); err == nil {
		t.Fatal("the clerk changed the calendar")
	}
	mon := time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)
	if err := s.SetCalendarDay(sec, "2026-11-24", models.DayHoliday, "本地假日"); err != nil {
		t.Fatal(err)
	}
	cal, _ := s.Calendar()
	if due := HandlingDue(mon, models.UrgencyNormal, DefaultHandlingThresholds, cal); due.Format("2006-01-02 15:04") != "2026-11-25 12:00" {
		t.Fatalf("with Tuesday off: due %s", due)
	}
	// A built-in holiday withdrawn: back to the week's rule, kept in the list as entered.
	if err := s.SetCalendarDay(sec, "2026-10-01", models.DayNormal, ""); err != nil {
		t.Fatal(err)
	}
	cal, _ = s.Calendar()
	if !cal.Workday(time.Date(2026, 10, 1, 0, 0, 0, 0, time.Local)) {
		t.Fatal("a withdrawn holiday is still off")
	}
	year, err := s.CalendarYear(sec, 2026)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, e := range year {
		if e.Day == "2026-10-01" {
			found = e.Entered && e.Kind == models.DayNormal
		}
	}
	if !found || len(year) != len(models.Holidays2026)+1 {
		t.Fatalf("year list: %d entries, 10-01 entered as normal %v", len(year), found)
	}
}

// R27: a document is handled once any handling act is recorded, not only
// 传阅: 阅知, 存查 or 分办 (to someone named) close its deadline.
func TestHandling_R27_AnyRecordedActCloses(t *testing.T) {
	s := newService(t)
	a := mustRegister(t, s, formNo(1))[0]
	b := mustRegister(t, s, formNo(2))[0]
	late := time.Date(2026, 11, 24, 12, 1, 0, 0, time.Local)
	if ids := overdueIDs(t, s, late); len(ids) != 2 {
		t.Fatalf("overdue before handling: %v", ids)
	}
	before := countRows(t, s)
	_, err := s.RecordHandling(clerk(t, s), a.ID, models.HandleAssign, "", "")
	wantRefusal(t, err, models.ErrBadHandling, FieldHandlingTo, "承办部门")
	unchanged(t, s, before)
	f := formNo(3)
	f.Direction, f.TermKind, f.TermYears = models.DirOutgoing, models.TermYears, "5"
	out := mustRegister(t, s, f)[0]
	_, err = s.RecordHandling(clerk(t, s), out.ID, models.HandleRead, "", "")
	wantRefusal(t, err, models.ErrBadHandling, FieldHandlingKind, "不是收文")
	if _, err := s.RecordHandling(clerk(t, s), a.ID, models.HandleAssign, "综合科 李明", "请于本周内办结"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordHandling(clerk(t, s), b.ID, models.HandleFile, "", ""); err != nil {
		t.Fatal(err)
	}
	if ids := overdueIDs(t, s, late); len(ids) != 0 {
		t.Fatalf("overdue after handling: %v", ids)
	}
	evs, err := s.History(clerk(t, s), a.ID)
	if err != nil || evs[len(evs)-1].Action != models.ActionHandle || evs[len(evs)-1].Reason != "分办至综合科 李明：请于本周内办结" {
		t.Fatalf("history %+v %v", evs[len(evs)-1], err)
	}
}
