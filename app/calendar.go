package app

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// Field names of the calendar's and handling's messages.
const (
	FieldCalendarDay  = "CalendarDay"
	FieldCalendarName = "CalendarName"
	FieldHandlingKind = "HandlingKind"
	FieldHandlingTo   = "HandlingTo"
)

// builtInDays are the State Council's schedules the program knows.
func builtInDays() []models.CalendarDay {
	return append(append([]models.CalendarDay(nil), models.Holidays2026...), models.Holidays2027...)
}

// calendar is the working calendar every deadline counts by (R27): the
// built-in schedules, then what the security officer entered over them.
func calendar(tx *gorm.DB) (models.Calendar, error) {
	var set []models.CalendarDay
	if err := tx.Order("day").Find(&set).Error; err != nil {
		return models.Calendar{}, err
	}
	return models.NewCalendar(append(builtInDays(), set...)), nil
}

// Calendar is the working calendar every deadline counts by.
func (s *Service) Calendar() (models.Calendar, error) { return calendar(s.db) }

// CalendarEntry is one day of the calendar that differs from the week's
// rule, and whether the security officer entered it.
type CalendarEntry struct {
	models.CalendarDay
	Entered bool // entered by the security officer (else the built-in schedule)
}

// CalendarYear lists a year's days off on weekdays and worked weekend
// days, built-in and entered, in date order.
func (s *Service) CalendarYear(sess *Session, year int) (_ []CalendarEntry, err error) {
	defer s.refused(sess, "CalendarYear", "", &err)
	if err := s.authorize(sess, models.RoleSecAdmin, models.RoleClerk); err != nil {
		return nil, err
	}
	prefix := fmt.Sprintf("%04d-", year)
	byDay := map[string]CalendarEntry{}
	for _, d := range builtInDays() {
		if strings.HasPrefix(d.Day, prefix) {
			byDay[d.Day] = CalendarEntry{CalendarDay: d}
		}
	}
	var set []models.CalendarDay
	if err := s.db.Where("day LIKE ?", prefix+"%").Find(&set).Error; err != nil {
		return nil, err
	}
	for _, d := range set {
		byDay[d.Day] = CalendarEntry{CalendarDay: d, Entered: true}
	}
	out := make([]CalendarEntry, 0, len(byDay))
	for _, e := range byDay {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Day < out[j].Day })
	return out, nil
}

// SetCalendarDay enters a day of the working calendar (R27): a weekday off
// (放假, with the holiday's name), a weekend day worked (调休上班), or back to
// the week's rule. Security officer only; audited, and the entry is kept
// as its last state.
func (s *Service) SetCalendarDay(sess *Session, day string, kind models.DayKind, name string) (err error) {
	defer s.refused(sess, "SetCalendarDay", "", &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return err
	}
	name = strings.TrimSpace(name)
	d, perr := models.ParseDate(strings.TrimSpace(day))
	var v models.ValidationError
	wd := d.Weekday()
	weekend := wd == time.Saturday || wd == time.Sunday
	switch {
	case perr != nil:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldCalendarDay, Msg: "日期应写作 年-月-日，例如 2026-10-01"})
	case !kind.Valid():
		v.Fields = append(v.Fields, models.FieldError{Field: FieldCalendarDay, Msg: "请选择放假、上班或按星期"})
	case kind == models.DayHoliday && weekend:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldCalendarDay,
			Msg: fmt.Sprintf("%s 是星期%s，本就休息：只需登记工作日放假的日子", d.Format(models.DateLayout), weekdayName(wd))})
	case kind == models.DayWorkday && !weekend:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldCalendarDay,
			Msg: fmt.Sprintf("%s 是星期%s，本就上班：只需登记调休上班的周末", d.Format(models.DateLayout), weekdayName(wd))})
	}
	if kind != models.DayNormal {
		checkText(&v, FieldCalendarName, name, "名称（如国庆节、国庆节调休上班）", models.MaxShortLen, true)
	}
	if len(v.Fields) > 0 {
		v.Cause = models.ErrBadCalendarDay
		return &v
	}
	on := d.Format(models.DateLayout)
	return s.write(func(tx *gorm.DB) error {
		row := models.CalendarDay{Day: on, Kind: kind, Name: name}
		if err := tx.Save(&row).Error; err != nil {
			return fmt.Errorf("calendar day %s: %w", on, err)
		}
		what := fmt.Sprintf("工作日历：%s（星期%s）%s", on, weekdayName(wd), kind)
		if name != "" {
			what += "，" + name
		}
		return s.audit(tx, sess, models.EventSettingsChange, "工作日历", true, what)
	})
}

func weekdayName(wd time.Weekday) string {
	return [...]string{"日", "一", "二", "三", "四", "五", "六"}[wd]
}

// RecordHandling records how an incoming document was handled besides 传阅
// (R27): 分办 to a 承办部门 or person (named), 阅知 or 存查. Any of them closes
// its handling deadline. Clerk only; the document must be held.
func (s *Service) RecordHandling(sess *Session, carrierID string, kind models.HandlingKind, to, note string) (_ models.Handling, err error) {
	defer s.refused(sess, "RecordHandling", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Handling{}, err
	}
	to, note = strings.TrimSpace(to), strings.TrimSpace(note)
	var v models.ValidationError
	if !kind.Valid() {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldHandlingKind, Msg: "请选择分办、阅知或存查"})
	}
	checkText(&v, FieldHandlingTo, to, "承办部门或承办人", models.MaxShortLen, kind == models.HandleAssign)
	checkText(&v, FieldHandlingKind, note, "说明", MaxPurposeLen, false)
	if len(v.Fields) > 0 {
		v.Cause = models.ErrBadHandling
		return models.Handling{}, &v
	}
	var out models.Handling
	err = s.write(func(tx *gorm.DB) error {
		c, err := takeCarrier(tx, carrierID)
		if err != nil {
			return err
		}
		switch {
		case c.Direction != models.DirIncoming:
			return fieldError(FieldHandlingKind, models.ErrBadHandling, "%s 不是收文：分办、阅知、存查只登记收到的文件", c.RegNo)
		case !c.State.Held():
			return fieldError(FieldHandlingKind, models.ErrTerminal, "%s %s，不能再登记办理", c.RegNo, c.State)
		}
		now := s.now()
		out = models.Handling{ID: uuid.NewString(), CarrierID: c.ID, Kind: kind, ToWhom: to, Note: note, At: now,
			ByName: sess.FullName}
		if err := tx.Create(&out).Error; err != nil {
			return fmt.Errorf("insert handling: %w", err)
		}
		what := string(kind)
		if to != "" {
			what += "至" + to
		}
		if note != "" {
			what += "：" + note
		}
		if err := addEvent(tx, now, sess, c.ID, 0, models.ActionHandle, "", "", "", what); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventHandling, c.RegNo, true, what)
	})
	if err != nil {
		return models.Handling{}, err
	}
	return out, nil
}
