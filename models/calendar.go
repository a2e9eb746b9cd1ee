package models

import (
	"errors"
	"time"
)

// DayKind says how a calendar day departs from the week's rule (R27): a
// weekday off (法定节假日 and the days off around it), a weekend day worked
// (调休上班), or back to the rule.
type DayKind string

const (
	DayHoliday DayKind = "holiday" // 放假: Monday to Friday, not worked
	DayWorkday DayKind = "workday" // 上班: Saturday or Sunday, worked
	DayNormal  DayKind = "normal"  // as the week goes: an entry withdrawn, kept in the history
)

// Valid reports whether k is a known kind.
func (k DayKind) Valid() bool { return k == DayHoliday || k == DayWorkday || k == DayNormal }

func (k DayKind) String() string {
	switch k {
	case DayHoliday:
		return "放假"
	case DayWorkday:
		return "上班"
	case DayNormal:
		return "按星期"
	}
	return string(k)
}

// CalendarDay is one day of the office's working calendar that differs
// from Monday-to-Friday (R27), kept by the security officer.
type CalendarDay struct {
	Day  string  `gorm:"primaryKey;type:text"` // yyyy-mm-dd
	Kind DayKind `gorm:"not null"`
	Name string  `gorm:"not null"` // 国庆节, 春节调休上班…
}

// Calendar answers whether a day is worked: Monday to Friday, except the
// holidays it lists, and the weekend days it lists as worked.
type Calendar struct {
	days map[string]DayKind
}

// NewCalendar builds a calendar of the days given.
func NewCalendar(days []CalendarDay) Calendar {
	c := Calendar{days: make(map[string]DayKind, len(days))}
	for _, d := range days { // a later entry of a day replaces an earlier one
		if d.Kind == DayHoliday || d.Kind == DayWorkday {
			c.days[d.Day] = d.Kind
		} else {
			delete(c.days, d.Day)
		}
	}
	return c
}

// Workday reports whether the date of t (its own calendar date) is worked.
func (c Calendar) Workday(t time.Time) bool {
	switch c.days[t.Format(DateLayout)] {
	case DayHoliday:
		return false
	case DayWorkday:
		return true
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// NextWorkday is the first worked day after the date of t, at midnight in
// t's location.
func (c Calendar) NextWorkday(t time.Time) time.Time {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location()).AddDate(0, 0, 1)
	for i := 0; i < 60 && !c.Workday(d); i++ { // no office rests sixty days in a row
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// Holidays2026 is the State Council's schedule of 2026 (国务院办公厅关于
// 2026年部分节假日安排的通知, 2025-11-04): the weekdays off and the weekend
// days worked. The security officer adds each later year's as it is
// published.
var Holidays2026 = []CalendarDay{
	{"2026-01-01", DayHoliday, "元旦"}, {"2026-01-02", DayHoliday, "元旦"}, {"2026-01-04", DayWorkday, "元旦调休上班"},
	{"2026-02-14", DayWorkday, "春节调休上班"},
	{"2026-02-16", DayHoliday, "春节"}, {"2026-02-17", DayHoliday, "春节"}, {"2026-02-18", DayHoliday, "春节"},
	{"2026-02-19", DayHoliday, "春节"}, {"2026-02-20", DayHoliday, "春节"}, {"2026-02-23", DayHoliday, "春节"},
	{"2026-02-28", DayWorkday, "春节调休上班"},
	{"2026-04-06", DayHoliday, "清明节"},
	{"2026-05-01", DayHoliday, "劳动节"}, {"2026-05-04", DayHoliday, "劳动节"}, {"2026-05-05", DayHoliday, "劳动节"},
	{"2026-05-09", DayWorkday, "劳动节调休上班"},
	{"2026-06-19", DayHoliday, "端午节"},
	{"2026-09-20", DayWorkday, "国庆节调休上班"},
	{"2026-09-25", DayHoliday, "中秋节"},
	{"2026-10-01", DayHoliday, "国庆节"}, {"2026-10-02", DayHoliday, "国庆节"}, {"2026-10-05", DayHoliday, "国庆节"},
	{"2026-10-06", DayHoliday, "国庆节"}, {"2026-10-07", DayHoliday, "国庆节"},
	{"2026-10-10", DayWorkday, "国庆节调休上班"},
}

// Holidays2027 are the weekdays of 2027 that 《全国年节及纪念日放假办法》
// (2024 revision) itself makes holidays: 元旦, 除夕 and 正月初三 of 春节
// (2-05, 2-08; 初一 and 初二 fall on the weekend), 清明, 端午 and 中秋 on
// their lunar dates, and 国庆 1 October. The State Council's schedule of
// 2027, with its 调休 days, was not published when this was built; the
// security officer enters it over these days.
var Holidays2027 = []CalendarDay{
	{"2027-01-01", DayHoliday, "元旦"},
	{"2027-02-05", DayHoliday, "春节（除夕）"}, {"2027-02-08", DayHoliday, "春节（正月初三）"},
	{"2027-04-05", DayHoliday, "清明节"},
	{"2027-06-09", DayHoliday, "端午节"},
	{"2027-09-15", DayHoliday, "中秋节"},
	{"2027-10-01", DayHoliday, "国庆节"},
}

// SchedulePublished reports whether the built-in days of year are the
// State Council's published schedule with its 调休 (2026), rather than only
// the statutory holidays (2027) or nothing.
func SchedulePublished(year int) bool { return year == 2026 }

// Errors of the calendar and of handling.
var (
	ErrBadCalendarDay = errors.New("bad calendar day")
	ErrBadHandling    = errors.New("bad handling")
)

// HandlingKind is how an incoming document was handled besides 传阅 (R27):
// each closes its handling deadline.
type HandlingKind string

const (
	HandleAssign HandlingKind = "分办" // to a 承办部门 or person, against a 签收
	HandleRead   HandlingKind = "阅知" // read by whom it concerns, nothing to do
	HandleFile   HandlingKind = "存查" // kept for reference
)

// HandlingKinds lists them in the order the interface shows them.
var HandlingKinds = []HandlingKind{HandleAssign, HandleRead, HandleFile}

// Valid reports whether k is a known kind.
func (k HandlingKind) Valid() bool { return k == HandleAssign || k == HandleRead || k == HandleFile }

// Handling is one handling act recorded on an incoming document (R27).
type Handling struct {
	ID        string       `gorm:"primaryKey;type:text"`
	CarrierID string       `gorm:"not null"`
	Kind      HandlingKind `gorm:"not null"`
	ToWhom    string       // 分办: the 承办部门 or person who signed for it
	Note      string
	At        time.Time `gorm:"not null"`
	ByName    string    `gorm:"not null"` // the clerk who recorded it
}

// ActionHandle records a handling act in a carrier's history.
const ActionHandle = "handle"
