package app

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"secdoc/models"
	"secdoc/reports"
)

// The 催办 and 催阅 the seeds ask for (R27): the weekly check of 请示 and
// 报告 not yet settled (seed 000), and readers keeping a document longer
// than the office allows (seed 003).

// SettingRemindHours is after how many hours a reader holding a document
// is reminded (催阅); DefaultRemindHours when not set.
const (
	SettingRemindHours = "circulation.remind_hours"
	DefaultRemindHours = 24
	FieldRemindHours   = "RemindHours"
)

// UrgeLine is one document to chase: a 请示/报告 not settled, or a reader
// keeping a document too long.
type UrgeLine struct {
	CarrierID string
	RegNo     string
	Title     string
	DocKind   string
	Marking   string
	RegDate   string
	Reader    string    // 催阅: who holds it
	Since     time.Time // 催阅: since when; 催办: registered
	Days      int       // how long, in whole days
	What      string    // 催阅 / 催办
	Deadline  string    // 办理时限, when it has one
}

// RemindHours is after how many hours a reader is reminded.
func (s *Service) RemindHours() int {
	var v string
	s.db.Raw(`SELECT value FROM settings WHERE key = ?`, SettingRemindHours).Scan(&v)
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return n
	}
	return DefaultRemindHours
}

// SetRemindHours sets after how many hours, 1 to 720, a reader holding a
// document is reminded. Security officer only; audited.
func (s *Service) SetRemindHours(sess *Session, hours int) (err error) {
	defer s.refused(sess, "SetRemindHours", "", &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return err
	}
	if hours < 1 || hours > 720 {
		return fieldError(FieldRemindHours, models.ErrBadRoute, "催阅时限应为 1 到 720 小时")
	}
	return s.write(func(tx *gorm.DB) error {
		if err := setSetting(tx, SettingRemindHours, strconv.Itoa(hours)); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventSettingsChange, SettingRemindHours, true,
			fmt.Sprintf("催阅时限：阅文人持有 %d 小时未退回即催阅", hours))
	})
}

// Urges lists, at now, the readers holding a document longer than the
// configured hours (催阅, longest first) and the incoming 请示 and 报告, and
// the documents past their 办理时限, still held, whose circulation is not
// closed and that were not settled by 阅知 or 存查 (催办, oldest first): each at most limit, with their totals up
// to HomeCountCap. Clerk only.
func (s *Service) Urges(sess *Session, now time.Time, limit int) (reading, requests []UrgeLine, nReading, nRequests int, err error) {
	defer s.refused(sess, "Urges", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, nil, 0, 0, err
	}
	if now.IsZero() {
		now = s.now()
	}
	cut := now.Add(-time.Duration(s.RemindHours()) * time.Hour)
	type row struct {
		models.Carrier
		Reader string
		OutAt  time.Time
	}
	var out []row
	const held = `FROM circulation_steps st JOIN circulations ci ON ci.id = st.circulation_id
		JOIN carriers c ON c.id = ci.carrier_id
		WHERE st.out_at IS NOT NULL AND st.back_at IS NULL AND st.out_at < ?`
	var n int64
	if err := s.db.Raw(`SELECT count(*) FROM (SELECT 1 `+held+` LIMIT ?)`, cut, HomeCountCap).Scan(&n).Error; err != nil {
		return nil, nil, 0, 0, err
	}
	nReading = int(n)
	if err := s.db.Raw(`SELECT c.*, st.reader, st.out_at `+held+` ORDER BY st.out_at LIMIT ?`, cut, limit).
		Scan(&out).Error; err != nil {
		return nil, nil, 0, 0, err
	}
	for _, r := range out {
		reading = append(reading, UrgeLine{CarrierID: r.ID, RegNo: r.RegNo, Title: r.Title, DocKind: r.DocKind,
			Marking: r.Marking(), RegDate: r.RegDate, Reader: r.Reader, Since: r.OutAt,
			Days: int(now.Sub(r.OutAt).Hours() / 24), What: "催阅"})
	}
	// 请示 and 报告 each week, and whatever is past its 办理时限.
	const open = `FROM carriers c WHERE c.direction = 'in' AND c.is_copy = 0
		AND (c.doc_kind IN ('请示', '报告') OR (c.deadline <> '' AND c.deadline < @today))
		AND c.state IN ('in_store', 'in_circulation')
		AND NOT EXISTS (SELECT 1 FROM circulations ci WHERE ci.carrier_id = c.id AND ci.state = 'closed')
		AND NOT EXISTS (SELECT 1 FROM handlings h WHERE h.carrier_id = c.id AND h.kind IN ('阅知', '存查'))`
	day := map[string]any{"today": now.In(time.Local).Format(models.DateLayout), "cap": HomeCountCap, "limit": limit}
	if err := s.db.Raw(`SELECT count(*) FROM (SELECT 1 `+open+` LIMIT @cap)`, day).Scan(&n).Error; err != nil {
		return nil, nil, 0, 0, err
	}
	nRequests = int(n)
	var cs []models.Carrier
	if err := s.db.Raw(`SELECT c.* `+open+` ORDER BY c.seq LIMIT @limit`, day).Scan(&cs).Error; err != nil {
		return nil, nil, 0, 0, err
	}
	for _, c := range cs {
		requests = append(requests, UrgeLine{CarrierID: c.ID, RegNo: c.RegNo, Title: c.Title, DocKind: c.DocKind,
			Marking: c.Marking(), RegDate: c.RegDate, Since: c.CreatedAt, Days: int(now.Sub(c.CreatedAt).Hours() / 24),
			What: "催办", Deadline: c.Deadline})
	}
	return reading, requests, nReading, nRequests, nil
}

// urgeJob gathers the 催办催阅单 of a day (the id is the day: today's is
// as of now, an earlier day's as of its end), marked with the highest
// level on it. A day with nothing to chase is refused rather than printed
// empty.
func (s *Service) urgeJob(sess *Session, h reports.Head, id string) (printJob, error) {
	day, err := models.ParseDate(strings.TrimSpace(id))
	if err != nil {
		return printJob{}, fieldError("", models.ErrBadRoute, "催办催阅单按检查日期打印：请写作 年-月-日，例如 %s",
			s.today().Format(models.DateLayout))
	}
	now := s.now()
	if d := day.Format(models.DateLayout); d != s.today().Format(models.DateLayout) {
		now = time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 0, 0, time.Local)
	}
	reading, requests, _, _, err := s.Urges(sess, now, MaxDispatchList)
	if err != nil {
		return printJob{}, err
	}
	if len(reading)+len(requests) == 0 {
		return printJob{}, fieldError("", models.ErrNotFound, "%s 没有需要催办、催阅的文件", day.Format(models.DateLayout))
	}
	f := reports.UrgeForm{Head: h, Date: day.Format(models.DateLayout), Hours: s.RemindHours()}
	var ids []string
	top := models.Level(0)
	add := func(lines []UrgeLine, to *[]reports.UrgeRow) {
		for _, l := range lines {
			r := reports.UrgeRow{RegNo: l.RegNo, Title: l.Title, DocKind: l.DocKind, Who: l.Reader, Since: l.RegDate,
				Age: fmt.Sprintf("%d 天", l.Days)}
			if l.Reader != "" {
				r.Since = l.Since.Local().Format("2006-01-02 15:04")
			}
			c, err := s.carrierByID(l.CarrierID)
			if err == nil {
				r.Level = c.Level.String()
				top = max(top, c.Level)
			}
			*to = append(*to, r)
			ids = append(ids, l.CarrierID)
		}
	}
	add(reading, &f.Reading)
	add(requests, &f.Requests)
	if top > 0 {
		f.Marking = top.String()
	}
	return newJob(f.Date, safeFileName("催办催阅单-"+day.Format("2006.01.02"))+".pdf", ids,
		func(w io.Writer, o reports.Options) error { return reports.RenderUrgeList(w, f, o) }), nil
}
