package app

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// Limits of circulation.
const (
	MaxRouteReaders     = 30
	MaxReaderLen        = 40
	MaxHandlingLen      = 500 // 拟办意见, 领导批示, 办理结果
	MaxDiscrepancyLen   = 500
	MaxCloseNoteLen     = 500
	circulationSlipHead = "阅"
)

// Field names of circulation messages.
const (
	FieldCircCarrier      = "CircCarrier"
	FieldCircID           = "Circulation"
	FieldRoute            = "Route"
	FieldProposedHandling = "ProposedHandling"
	FieldCircReader       = "CircReader"
	FieldCircAt           = "CircAt"
	FieldDiscrepancy      = "Discrepancy"
	FieldInstruction      = "Instruction"
	FieldResult           = "Result"
	FieldCloseNote        = "CloseNote"
)

// FormatCirculationSlipNo prints a circulation slip number: 阅〔2026〕0001.
func FormatCirculationSlipNo(year int, n int64) string {
	return fmt.Sprintf("%s〔%d〕%04d", circulationSlipHead, year, n)
}

func circulationCounterName(year int) string { return fmt.Sprintf("circulation:%d", year) }

// Whereabouts is where a carrier is now (R6).
type Whereabouts struct {
	InOffice    bool
	Reader      string    // the reader holding it, when not in the office
	Since       time.Time // since when that reader holds it
	Text        string    // 在办公室, or 张局长（分管副局长）持有，自 2026-11-23 10:00 起
	Circulation *models.Circulation
}

// HandlingThresholds are the deadlines of R7 for incoming documents.
type HandlingThresholds struct {
	Urgent      time.Duration // 加急/特急: within this of registration (1 hour)
	NextMorning time.Duration // others: before this time of day of the next working day (12:00)
}

// DefaultHandlingThresholds are R7's deadlines as R27 sharpens them: urgent
// within one hour; others the same day, at the latest before 12:00 of the
// next working day by the office's calendar.
var DefaultHandlingThresholds = HandlingThresholds{Urgent: time.Hour, NextMorning: 12 * time.Hour}

// OverdueIncoming is an incoming carrier not handled in time (R7).
type OverdueIncoming struct {
	Carrier models.Carrier
	Due     time.Time
	Overdue time.Duration
}

func takeCirculation(tx *gorm.DB, id string) (models.Circulation, error) {
	var c models.Circulation
	err := tx.Where("id = ?", id).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, fmt.Errorf("circulation %s: %w", id, models.ErrNotFound)
	}
	if err != nil {
		return c, err
	}
	return c, loadSteps(tx, &c)
}

func loadSteps(tx *gorm.DB, c *models.Circulation) error {
	if err := tx.Where("circulation_id = ?", c.ID).Order("ord").Find(&c.Steps).Error; err != nil {
		return fmt.Errorf("circulation %s steps: %w", c.SlipNo, err)
	}
	c.Route = make([]models.Reader, len(c.Steps))
	for i, st := range c.Steps {
		c.Route[i] = models.Reader{Name: st.Reader, Department: st.Department}
	}
	return nil
}

func readerLabel(name, dept string) string {
	if dept == "" {
		return name
	}
	return name + "（" + dept + "）"
}

func fmtTime(t time.Time) string { return t.In(time.Local).Format("2006-01-02 15:04") }

// bumpCirculation updates a circulation under its optimistic lock.
func bumpCirculation(tx *gorm.DB, c *models.Circulation, set map[string]any) error {
	set["version"] = c.Version + 1
	res := tx.Model(&models.Circulation{}).Where("id = ? AND version = ?", c.ID, c.Version).Updates(set)
	if res.Error != nil {
		return fmt.Errorf("update circulation %s: %w", c.SlipNo, res.Error)
	}
	if res.RowsAffected != 1 {
		return models.ErrStale
	}
	c.Version++
	return nil
}

// StartCirculation opens a 阅办单/传阅单 for a carrier in store: the clerk's
// proposed handling and the ordered route of readers. No reader may follow
// himself on the route. The carrier becomes 传阅中 (history, audit), and is
// in the office until the first sign-out. Clerk only.
func (s *Service) StartCirculation(sess *Session, carrierID, proposedHandling string, route []models.Reader) (_ models.Circulation, err error) {
	defer s.refused(sess, "StartCirculation", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Circulation{}, err
	}
	proposedHandling = strings.TrimSpace(proposedHandling)
	var v models.ValidationError
	checkText(&v, FieldProposedHandling, proposedHandling, "拟办意见", MaxHandlingLen, false)
	clean := make([]models.Reader, 0, len(route))
	for _, r := range route {
		clean = append(clean, models.Reader{Name: strings.TrimSpace(r.Name), Department: strings.TrimSpace(r.Department),
			OutsideReason: strings.TrimSpace(r.OutsideReason)})
	}
	switch {
	case len(clean) == 0:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldRoute, Msg: "请填写传阅路线：至少一位阅文人"})
		v.Cause = models.ErrBadRoute
	case len(clean) > MaxRouteReaders:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldRoute,
			Msg: fmt.Sprintf("传阅路线不能超过 %d 位阅文人", MaxRouteReaders)})
		v.Cause = models.ErrBadRoute
	}
	for i, r := range clean {
		switch {
		case r.Name == "":
			v.Fields = append(v.Fields, models.FieldError{Field: FieldRoute, Msg: fmt.Sprintf("第 %d 位阅文人未填写姓名", i+1)})
			v.Cause = models.ErrBadRoute
		case utf8.RuneCountInString(r.Name) > MaxReaderLen || utf8.RuneCountInString(r.Department) > MaxReaderLen:
			v.Fields = append(v.Fields, models.FieldError{Field: FieldRoute,
				Msg: fmt.Sprintf("第 %d 位阅文人的姓名或职务不能超过 %d 个字", i+1, MaxReaderLen)})
			v.Cause = models.ErrBadRoute
		case i > 0 && r.Name == clean[i-1].Name:
			v.Fields = append(v.Fields, models.FieldError{Field: FieldRoute,
				Msg: fmt.Sprintf("%s连续两次出现在传阅路线上（第 %d、%d 位）", r.Name, i, i+1)})
			v.Cause = models.ErrBadRoute
		}
	}
	if len(v.Fields) > 0 {
		return models.Circulation{}, &v
	}
	var out models.Circulation
	err = s.write(func(tx *gorm.DB) error {
		c, err := takeCarrier(tx, carrierID)
		if err != nil {
			return err
		}
		var outside []string
		for i, r := range clean {
			if err := s.receiver(tx, sess, FieldRoute, "阅文人", r.Name); err != nil {
				return err
			}
			note, err := checkNeedToKnow(tx, &c, r.Name, r.OutsideReason, FieldRoute, "传阅")
			if err != nil {
				return err
			}
			if note == "" {
				clean[i].OutsideReason = ""
			} else {
				outside = append(outside, note)
			}
		}
		if c.State == models.StateVoided {
			return fieldError(FieldCircCarrier, models.ErrVoided, "该登记已作废，不能传阅")
		}
		if c.State != models.StateInStore {
			return fieldError(FieldCircCarrier, models.ErrNotInStore, "该载体当前%s，只有在库的载体才能传阅", c.State)
		}
		now := s.now()
		year := s.today().Year()
		n, err := nextCounter(tx, circulationCounterName(year))
		if err != nil {
			return err
		}
		out = models.Circulation{ID: uuid.NewString(), SlipNo: FormatCirculationSlipNo(year, n), CarrierID: c.ID,
			ProposedHandling: proposedHandling, State: models.CirculationOpen, StartedAt: now,
			StartedBy: sess.FullName, Version: 1}
		if err := tx.Create(&out).Error; err != nil {
			return fmt.Errorf("insert circulation: %w", err)
		}
		names := make([]string, len(clean))
		for i, r := range clean {
			st := models.CirculationStep{CirculationID: out.ID, Ord: i + 1, Reader: r.Name, Department: r.Department,
				OutsideReason: r.OutsideReason}
			if err := tx.Create(&st).Error; err != nil {
				return fmt.Errorf("insert circulation step: %w", err)
			}
			out.Steps = append(out.Steps, st)
			names[i] = readerLabel(r.Name, r.Department)
		}
		out.Route = clean
		reason := fmt.Sprintf("阅办单 %s，传阅路线：%s", out.SlipNo, strings.Join(names, " → "))
		if len(outside) > 0 {
			reason += "；" + strings.Join(outside, "；")
		}
		if err := s.setCarrierState(tx, sess, &c, models.StateInStore, models.StateInCirculation,
			models.ActionCirculate, reason, now); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventCirculationStart, out.SlipNo, true, c.RegNo+" "+reason)
	})
	if err != nil {
		return models.Circulation{}, err
	}
	return out, nil
}

// openCirculation loads an open circulation and its carrier.
func openCirculation(tx *gorm.DB, id string) (models.Circulation, models.Carrier, error) {
	ci, err := takeCirculation(tx, id)
	if err != nil {
		return ci, models.Carrier{}, err
	}
	if ci.State != models.CirculationOpen {
		return ci, models.Carrier{}, fieldError(FieldCircID, models.ErrCirculationClosed, "阅办单 %s 已办结", ci.SlipNo)
	}
	c, err := takeCarrier(tx, ci.CarrierID)
	return ci, c, err
}

// lastMove is the latest time the document moved on this circulation.
func lastMove(ci *models.Circulation) time.Time {
	t := ci.StartedAt
	for _, st := range ci.Steps {
		for _, x := range []*time.Time{st.OutAt, st.BackAt} {
			if x != nil && x.After(t) {
				t = *x
			}
		}
	}
	return t
}

func (s *Service) checkMoveTime(ci *models.Circulation, at time.Time, what string) error {
	if at.IsZero() {
		return fieldError(FieldCircAt, models.ErrBadCirculationTime, "请填写%s时间", what)
	}
	if at.After(s.now().Add(time.Minute)) {
		return fieldError(FieldCircAt, models.ErrBadCirculationTime, "%s时间 %s 晚于现在", what, fmtTime(at))
	}
	if last := lastMove(ci); at.Before(last) {
		return fieldError(FieldCircAt, models.ErrBadCirculationTime, "%s时间 %s 早于上一次登记的时间 %s",
			what, fmtTime(at), fmtTime(last))
	}
	return nil
}

// SignOutToReader (the brief's SignOut; Service.SignOut ends a session) hands the document from the office to the next reader on the
// route (送阅). Refused while a reader holds it: readers return it to the
// office and never pass it sideways (R6). The reader must be the next one of
// the route who has not yet had it. Clerk only.
func (s *Service) SignOutToReader(sess *Session, circID, reader string, at time.Time) (_ models.Circulation, err error) {
	defer s.refused(sess, "SignOutToReader", circID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Circulation{}, err
	}
	reader = strings.TrimSpace(reader)
	var ci models.Circulation
	err = s.write(func(tx *gorm.DB) error {
		var c models.Carrier
		var err error
		if ci, c, err = openCirculation(tx, circID); err != nil {
			return err
		}
		if ci.CurrentReader != "" {
			return fieldError(FieldCircReader, models.ErrSidewaysPass,
				"文件现在%s手中，须先退回办公室清点，再由办公室送给%s；不得横传", ci.CurrentReader, reader)
		}
		next := -1
		for i, st := range ci.Steps {
			if st.OutAt == nil {
				next = i
				break
			}
		}
		if next < 0 {
			return fieldError(FieldCircReader, models.ErrNotNextReader, "传阅路线上的阅文人均已阅毕")
		}
		st := &ci.Steps[next]
		if reader != st.Reader {
			return fieldError(FieldCircReader, models.ErrNotNextReader,
				"按传阅路线，下一位阅文人是%s，不是%s", readerLabel(st.Reader, st.Department), reader)
		}
		if err := s.checkMoveTime(&ci, at, "送文"); err != nil {
			return err
		}
		at = at.UTC()
		res := tx.Model(&models.CirculationStep{}).Where("circulation_id = ? AND ord = ? AND out_at IS NULL", ci.ID, st.Ord).
			Update("out_at", at)
		if res.Error != nil {
			return fmt.Errorf("sign out %s: %w", ci.SlipNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		st.OutAt = &at
		if err := bumpCirculation(tx, &ci, map[string]any{"current_reader": reader}); err != nil {
			return err
		}
		ci.CurrentReader = reader
		label := readerLabel(st.Reader, st.Department)
		reason := fmt.Sprintf("阅办单 %s 第 %d 位，送文时间 %s", ci.SlipNo, st.Ord, fmtTime(at))
		if err := addEvent(tx, s.now(), sess, c.ID, 0, models.ActionCirculationOut, "所在", models.InOffice, label, reason); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventCirculationOut, ci.SlipNo, true, c.RegNo+" 送 "+label+" "+reason)
	})
	if err != nil {
		return models.Circulation{}, err
	}
	return ci, nil
}

// SignBack records the current reader's return of the document to the
// office (退文), counted at once: a count that is not complete needs a note
// of the discrepancy, to be investigated (R6). The return cannot be dated
// before the sign-out. Clerk only.
func (s *Service) SignBack(sess *Session, circID string, at time.Time, countOK bool, discrepancy string) (_ models.Circulation, err error) {
	defer s.refused(sess, "SignBack", circID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Circulation{}, err
	}
	discrepancy = strings.TrimSpace(discrepancy)
	var v models.ValidationError
	if !countOK && discrepancy == "" {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDiscrepancy,
			Msg: "清点不符，请写明缺少或不符的情况（页数、附件、份号），以便追查"})
		v.Cause = models.ErrCountNeedsNote
	}
	checkText(&v, FieldDiscrepancy, discrepancy, "清点情况", MaxDiscrepancyLen, false)
	if len(v.Fields) > 0 {
		return models.Circulation{}, &v
	}
	var ci models.Circulation
	err = s.write(func(tx *gorm.DB) error {
		var c models.Carrier
		var err error
		if ci, c, err = openCirculation(tx, circID); err != nil {
			return err
		}
		if ci.CurrentReader == "" {
			return fieldError(FieldCircID, models.ErrNotWithReader, "文件现在办公室，没有待退回的阅文人")
		}
		var st *models.CirculationStep
		for i := range ci.Steps {
			if ci.Steps[i].OutAt != nil && ci.Steps[i].BackAt == nil {
				st = &ci.Steps[i]
			}
		}
		if st == nil {
			return fmt.Errorf("circulation %s: reader %s holds it but no step is out: %w", ci.SlipNo, ci.CurrentReader, models.ErrStale)
		}
		if err := s.checkMoveTime(&ci, at, "退文"); err != nil {
			return err
		}
		at = at.UTC()
		res := tx.Model(&models.CirculationStep{}).Where("circulation_id = ? AND ord = ? AND back_at IS NULL", ci.ID, st.Ord).
			Updates(map[string]any{"back_at": at, "count_ok": countOK, "discrepancy": discrepancy})
		if res.Error != nil {
			return fmt.Errorf("sign back %s: %w", ci.SlipNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		st.BackAt, st.CountOK, st.Discrepancy = &at, countOK, discrepancy
		if err := bumpCirculation(tx, &ci, map[string]any{"current_reader": ""}); err != nil {
			return err
		}
		ci.CurrentReader = ""
		label := readerLabel(st.Reader, st.Department)
		count := "清点无误"
		if !countOK {
			count = "清点不符：" + discrepancy
		}
		reason := fmt.Sprintf("阅办单 %s 第 %d 位退回，退文时间 %s，%s", ci.SlipNo, st.Ord, fmtTime(at), count)
		if err := addEvent(tx, s.now(), sess, c.ID, 0, models.ActionCirculationBack, "所在", label, models.InOffice, reason); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventCirculationBack, ci.SlipNo, true, c.RegNo+" "+label+" "+reason)
	})
	if err != nil {
		return models.Circulation{}, err
	}
	return ci, nil
}

// RecordInstruction records the leader's instruction (领导批示) and the
// result of handling (办理结果) on the 阅办单, while the document is in the
// office. Clerk only.
func (s *Service) RecordInstruction(sess *Session, circID, instruction, result string) (_ models.Circulation, err error) {
	defer s.refused(sess, "RecordInstruction", circID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Circulation{}, err
	}
	instruction, result = strings.TrimSpace(instruction), strings.TrimSpace(result)
	var v models.ValidationError
	checkText(&v, FieldInstruction, instruction, "领导批示", MaxHandlingLen, false)
	checkText(&v, FieldResult, result, "办理结果", MaxHandlingLen, false)
	if len(v.Fields) > 0 {
		return models.Circulation{}, &v
	}
	var ci models.Circulation
	err = s.write(func(tx *gorm.DB) error {
		var c models.Carrier
		var err error
		if ci, c, err = openCirculation(tx, circID); err != nil {
			return err
		}
		if ci.CurrentReader != "" {
			return fieldError(FieldCircID, models.ErrNotInOffice, "文件现在%s手中，退回办公室后再录入批示", ci.CurrentReader)
		}
		if err := bumpCirculation(tx, &ci, map[string]any{"instruction": instruction, "result": result}); err != nil {
			return err
		}
		ci.Instruction, ci.Result = instruction, result
		return s.audit(tx, sess, models.EventCirculationInstruction, ci.SlipNo, true,
			fmt.Sprintf("%s 领导批示：%s 办理结果：%s", c.RegNo, instruction, result))
	})
	if err != nil {
		return models.Circulation{}, err
	}
	return ci, nil
}

// CloseCirculation closes the 阅办单 (办结) when the document is in the office
// and every reader of the route has returned it; when some readers did not
// have it, note says why (it is required then). The carrier goes back to 在库
// (history, audit). Clerk only.
func (s *Service) CloseCirculation(sess *Session, circID, note string) (_ models.Circulation, err error) {
	defer s.refused(sess, "CloseCirculation", circID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Circulation{}, err
	}
	note = strings.TrimSpace(note)
	var v models.ValidationError
	checkText(&v, FieldCloseNote, note, "说明", MaxCloseNoteLen, false)
	if len(v.Fields) > 0 {
		return models.Circulation{}, &v
	}
	var ci models.Circulation
	err = s.write(func(tx *gorm.DB) error {
		var c models.Carrier
		var err error
		if ci, c, err = openCirculation(tx, circID); err != nil {
			return err
		}
		if ci.CurrentReader != "" {
			return fieldError(FieldCircID, models.ErrNotInOffice, "文件现在%s手中，须退回办公室清点后才能办结", ci.CurrentReader)
		}
		var unread []string
		for _, st := range ci.Steps {
			if st.BackAt == nil {
				unread = append(unread, readerLabel(st.Reader, st.Department))
			}
		}
		if len(unread) > 0 && note == "" {
			return fieldError(FieldCloseNote, models.ErrRouteIncomplete,
				"%s尚未阅文；请写明未送阅的原因，或送阅退回后再办结", strings.Join(unread, "、"))
		}
		now := s.now()
		if err := bumpCirculation(tx, &ci, map[string]any{"state": models.CirculationClosed, "closed_at": now,
			"closed_by": sess.FullName, "close_note": note}); err != nil {
			return err
		}
		ci.State, ci.ClosedAt, ci.ClosedBy, ci.CloseNote = models.CirculationClosed, &now, sess.FullName, note
		reason := "阅办单 " + ci.SlipNo + " 办结"
		if len(unread) > 0 {
			reason += "，未阅：" + strings.Join(unread, "、") + "（" + note + "）"
		}
		if err := s.setCarrierState(tx, sess, &c, models.StateInCirculation, models.StateInStore,
			models.ActionCirculationClose, reason, now); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventCirculationClose, ci.SlipNo, true, c.RegNo+" "+reason)
	})
	if err != nil {
		return models.Circulation{}, err
	}
	return ci, nil
}

// WhereIs says where a carrier is (R6): in the office, or with which reader
// of its open circulation and since when. Clerk only.
func (s *Service) WhereIs(sess *Session, carrierID string) (_ Whereabouts, err error) {
	defer s.refused(sess, "WhereIs", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return Whereabouts{}, err
	}
	c, err := takeCarrier(s.db, carrierID)
	if err != nil {
		return Whereabouts{}, err
	}
	var ci models.Circulation
	err = s.db.Where("carrier_id = ? AND state = ?", c.ID, models.CirculationOpen).Take(&ci).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		if c.State == models.StateInStore {
			return Whereabouts{InOffice: true, Text: models.InOffice}, nil
		}
		return Whereabouts{Text: c.State.String()}, nil
	case err != nil:
		return Whereabouts{}, err
	}
	if err := loadSteps(s.db, &ci); err != nil {
		return Whereabouts{}, err
	}
	if ci.CurrentReader == "" {
		return Whereabouts{InOffice: true, Text: models.InOffice, Circulation: &ci}, nil
	}
	w := Whereabouts{Reader: ci.CurrentReader, Circulation: &ci}
	for _, st := range ci.Steps {
		if st.OutAt != nil && st.BackAt == nil {
			w.Since = *st.OutAt
			w.Text = fmt.Sprintf("%s持有，自 %s 起", readerLabel(st.Reader, st.Department), fmtTime(*st.OutAt))
		}
	}
	if w.Text == "" {
		w.Text = ci.CurrentReader + "持有"
	}
	return w, nil
}

// Circulations lists a carrier's circulations, newest first, with steps.
// Clerk only.
func (s *Service) Circulations(sess *Session, carrierID string) (_ []models.Circulation, err error) {
	defer s.refused(sess, "Circulations", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.Circulation
	if err := s.db.Where("carrier_id = ?", carrierID).Order("started_at DESC, slip_no DESC").Find(&out).Error; err != nil {
		return nil, err
	}
	for i := range out {
		if err := loadSteps(s.db, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// HandlingDue is when an incoming carrier registered at registered must be
// handled (R7, R27): urgent ones within th.Urgent; others before
// th.NextMorning of the next working day by cal (法定节假日 off, 调休
// weekends worked), in local time.
func HandlingDue(registered time.Time, u models.Urgency, th HandlingThresholds, cal models.Calendar) time.Time {
	if u == models.UrgencyUrgent || u == models.UrgencyExtreme {
		return registered.Add(th.Urgent)
	}
	return cal.NextWorkday(registered.In(time.Local)).Add(th.NextMorning)
}

// OverdueHandling lists the incoming carriers (收文) registered and still in
// store, never put into circulation, whose handling deadline (R7) is before
// now: the most overdue first, at most limit of them, and how many there
// are (counted up to HomeCountCap). Zero thresholds take the defaults.
// Copies are not incoming documents and are left out. Clerk only.
//
// The deadline grows with the registration time within each 缓急, so the
// overdue are, per 缓急, those registered before a cutoff: the oldest few
// of each are read from the index of the unhandled incoming carriers and
// merged, and the counts stop at the cap; nothing reads the register.
func (s *Service) OverdueHandling(sess *Session, now time.Time, th HandlingThresholds, limit int) (_ []OverdueIncoming, total int, err error) {
	defer s.refused(sess, "OverdueHandling", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, 0, err
	}
	if th.Urgent <= 0 {
		th.Urgent = DefaultHandlingThresholds.Urgent
	}
	if th.NextMorning <= 0 {
		th.NextMorning = DefaultHandlingThresholds.NextMorning
	}
	if now.IsZero() {
		now = s.now()
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	cal, err := calendar(s.db)
	if err != nil {
		return nil, 0, err
	}
	var out []OverdueIncoming
	for _, u := range []models.Urgency{models.UrgencyNormal, models.UrgencyUrgent, models.UrgencyExtreme} {
		cut := handlingCutoff(now, u, th, cal)
		// Handled is any handling act recorded (R27): 传阅, or 分办, 阅知,
		// 存查; 归档 and the rest leave the store.
		var n int64
		if err := s.db.Raw(`SELECT count(*) FROM (SELECT 1 FROM carriers INDEXED BY idx_carriers_unhandled WHERE `+
			unhandledSQL+` AND urgency = ? AND created_at < ? LIMIT ?)`, u, cut, HomeCountCap).Scan(&n).Error; err != nil {
			return nil, 0, err
		}
		total += int(n)
		var cs []models.Carrier
		if err := s.db.Raw(`SELECT * FROM carriers INDEXED BY idx_carriers_unhandled WHERE `+unhandledSQL+
			` AND urgency = ? AND created_at < ? ORDER BY created_at, seq LIMIT ?`, u, cut, limit).Scan(&cs).Error; err != nil {
			return nil, 0, err
		}
		for _, c := range cs {
			due := HandlingDue(c.CreatedAt, c.Urgency, th, cal)
			if now.After(due) {
				out = append(out, OverdueIncoming{Carrier: c, Due: due, Overdue: now.Sub(due)})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Overdue > out[j].Overdue })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, min(total, HomeCountCap), nil
}

// unhandledSQL is the condition on a carriers row that it is an incoming
// carrier in store that no handling act has touched (R7, R27), in the
// words of the partial index idx_carriers_unhandled.
const unhandledSQL = `direction = 'in' AND state = 'in_store' AND is_copy = 0
	AND NOT EXISTS (SELECT 1 FROM circulations x WHERE x.carrier_id = carriers.id)
	AND NOT EXISTS (SELECT 1 FROM handlings h WHERE h.carrier_id = carriers.id)`

// handlingCutoff is the registration time (as stored: UTC text, to the
// second) before which a carrier of urgency u is overdue at now: an hour
// before now for the urgent; for the others the start of the latest
// working day whose deadline hour has passed, since one registered on an
// earlier day was due by then and one registered on it or later is due on
// a later working day (HandlingDue).
func handlingCutoff(now time.Time, u models.Urgency, th HandlingThresholds, cal models.Calendar) string {
	const layout = "2006-01-02 15:04:05"
	if u == models.UrgencyUrgent || u == models.UrgencyExtreme {
		return now.Add(-th.Urgent).UTC().Format(layout)
	}
	l := now.In(time.Local)
	d := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.Local)
	for i := 0; i < 60 && !(cal.Workday(d) && now.After(d.Add(th.NextMorning))); i++ {
		d = d.AddDate(0, 0, -1)
	}
	return d.UTC().Format(layout)
}
