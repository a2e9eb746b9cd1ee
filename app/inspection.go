package app

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// Field names of the self-inspection's messages.
const (
	FieldInspCustodian  = "InspCustodian"
	FieldInspection     = "Inspection"
	FieldInspRegNo      = "InspRegNo"
	FieldInspItem       = "InspItem"
	FieldInspResolution = "InspResolution"
	FieldInspPeriod     = "InspPeriod"
)

// MaxResolutionLen is the longest resolution note of a difference.
const MaxResolutionLen = 500

// FormatInspectionSlipNo prints a self-inspection number: 查〔2026〕0001.
func FormatInspectionSlipNo(year int, n int64) string { return fmt.Sprintf("查〔%d〕%04d", year, n) }

func inspectionCounterName(year int) string { return fmt.Sprintf("inspection:%d", year) }

// InspectionResult is the comparison of the register with what was found
// (账物相符, R19). Missing and Unexpected are the differences (R4).
type InspectionResult struct {
	Inspection models.Inspection
	Items      []models.InspectionItem // every item, by register number
	Missing    []models.InspectionItem // expected in store, not found
	Unexpected []models.InspectionItem // found, but not listed for this custodian
	Away       []models.InspectionItem // on loan, taken out or circulating: expected elsewhere
	Found      []models.InspectionItem // expected and found
	Unresolved []models.InspectionItem // differences still without a resolution
}

// Matches reports 账物相符: no difference at all.
func (r InspectionResult) Matches() bool { return len(r.Missing) == 0 && len(r.Unexpected) == 0 }

// InspectionDue is one custodian's self-inspection status (R4, R19).
type InspectionDue struct {
	Custodian    string
	Held         int          // carriers the register says they hold
	HighestLevel models.Level // decides the period
	PeriodMonths int
	LastDone     string // yyyy-mm-dd of the last completed inspection; "" if never
	DueOn        string // yyyy-mm-dd the next is due; "" if never inspected (due now)
	Overdue      bool
	Open         bool // an inspection is under way
}

func takeInspection(tx *gorm.DB, id string) (models.Inspection, error) {
	var in models.Inspection
	err := tx.Where("id = ?", id).Take(&in).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return in, fmt.Errorf("inspection %s: %w", id, models.ErrNotFound)
	}
	return in, err
}

func takeOpenInspection(tx *gorm.DB, id string) (models.Inspection, error) {
	in, err := takeInspection(tx, id)
	if err != nil {
		return in, err
	}
	if in.State != models.InspectionOpen {
		return in, fieldError(FieldInspection, models.ErrInspectionClosed, "自查 %s 已完成，不能再修改", in.SlipNo)
	}
	return in, nil
}

// StartInspection begins a self-inspection of what custodian holds (R4,
// R19): every carrier the register lists with them in a held state is
// snapshotted; those 借出, 外出携带 or 传阅中 are listed as expected
// elsewhere, not missing. One open inspection per custodian. Clerk only.
func (s *Service) StartInspection(sess *Session, custodian string) (_ models.Inspection, err error) {
	defer s.refused(sess, "StartInspection", custodian, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Inspection{}, err
	}
	custodian = strings.TrimSpace(custodian)
	if custodian == "" {
		return models.Inspection{}, fieldError(FieldInspCustodian, nil, "请填写自查的责任人")
	}
	today, now := s.today(), s.now()
	var out models.Inspection
	err = s.write(func(tx *gorm.DB) error {
		var open int64
		if err := tx.Model(&models.Inspection{}).Where("custodian = ? AND state = ?", custodian, models.InspectionOpen).
			Count(&open).Error; err != nil {
			return err
		}
		if open > 0 {
			return fieldError(FieldInspCustodian, models.ErrInspectionOpen, "%s 的自查尚未完成，请先完成后再开始新的自查", custodian)
		}
		// The monthly count is of 国家秘密 (R4, R19, R21): 内部 and 非密 are
		// registered and accounted for by their own records.
		var cs []models.Carrier
		if err := tx.Where("custodian = ? AND state IN ? AND level > 0", custodian, models.HeldStates).Order("reg_no").
			Find(&cs).Error; err != nil {
			return err
		}
		if len(cs) == 0 {
			return fieldError(FieldInspCustodian, models.ErrNotFound, "登记簿中没有 %s 保管的涉密载体", custodian)
		}
		n, err := nextCounter(tx, inspectionCounterName(today.Year()))
		if err != nil {
			return err
		}
		out = models.Inspection{ID: uuid.NewString(), SlipNo: FormatInspectionSlipNo(today.Year(), n),
			Custodian: custodian, StartedOn: today.Format(models.DateLayout), StartedAt: now,
			StartedBy: sess.FullName, State: models.InspectionOpen}
		if err := tx.Create(&out).Error; err != nil {
			return fmt.Errorf("insert inspection: %w", err)
		}
		away := 0
		for _, c := range cs {
			it := models.InspectionItem{InspectionID: out.ID, CarrierID: c.ID, RegNo: c.RegNo, Level: c.Level,
				Expected: true, Status: c.State}
			if c.State != models.StateInStore {
				away++
			}
			if err := tx.Create(&it).Error; err != nil {
				return fmt.Errorf("insert inspection item %s: %w", c.RegNo, err)
			}
		}
		return s.audit(tx, sess, models.EventInspectionStart, out.SlipNo, true,
			fmt.Sprintf("责任人：%s 账面 %d 件（其中借出/外出/传阅中 %d 件）", custodian, len(cs), away))
	})
	if err != nil {
		return models.Inspection{}, err
	}
	return out, nil
}

// TickFound records that the carrier with register number regNo (as a
// barcode scanner types it: ASCII brackets and full-width characters are
// normalised) was found. A listed carrier becomes found; a carrier not
// listed for this custodian is recorded as unexpected. Ticking twice changes
// nothing. Clerk only.
func (s *Service) TickFound(sess *Session, inspID, regNo string) (_ models.InspectionItem, err error) {
	defer s.refused(sess, "TickFound", inspID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.InspectionItem{}, err
	}
	regNo = models.NormalizeRegNo(regNo)
	if regNo == "" {
		return models.InspectionItem{}, fieldError(FieldInspRegNo, nil, "请扫描或输入登记号")
	}
	var it models.InspectionItem
	err = s.write(func(tx *gorm.DB) error {
		in, err := takeOpenInspection(tx, inspID)
		if err != nil {
			return err
		}
		var c models.Carrier
		err = tx.Where("reg_no = ?", regNo).Take(&c).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fieldError(FieldInspRegNo, models.ErrNotFound, "登记簿中没有登记号 %s，请核对", regNo)
		}
		if err != nil {
			return err
		}
		now := s.now()
		err = tx.Where("inspection_id = ? AND carrier_id = ?", in.ID, c.ID).Take(&it).Error
		switch {
		case err == nil:
			if it.Found {
				return nil // ticked already: harmless
			}
			res := tx.Model(&models.InspectionItem{}).Where("inspection_id = ? AND carrier_id = ? AND found = ?", in.ID, c.ID, false).
				Updates(map[string]any{"found": true, "found_at": now})
			if res.Error != nil {
				return fmt.Errorf("tick %s: %w", c.RegNo, res.Error)
			}
			if res.RowsAffected != 1 {
				return models.ErrStale
			}
			it.Found, it.FoundAt = true, &now
		case errors.Is(err, gorm.ErrRecordNotFound):
			it = models.InspectionItem{InspectionID: in.ID, CarrierID: c.ID, RegNo: c.RegNo, Level: c.Level,
				Expected: false, Found: true, FoundAt: &now, Status: c.State}
			if err := tx.Create(&it).Error; err != nil {
				return fmt.Errorf("insert unexpected item %s: %w", c.RegNo, err)
			}
		default:
			return err
		}
		what := "账物相符"
		if !it.Expected {
			what = fmt.Sprintf("账外发现（登记责任人：%s，状态：%s）", c.Custodian, c.State)
		}
		if err := addEvent(tx, now, sess, c.ID, 0, models.ActionInspectFound, "自查", "", what,
			fmt.Sprintf("自查 %s（责任人 %s）", in.SlipNo, in.Custodian)); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventInspectionTick, in.SlipNo, true, c.RegNo+" "+what)
	})
	if err != nil {
		return models.InspectionItem{}, err
	}
	return it, nil
}

func inspectionItems(tx *gorm.DB, id string) ([]models.InspectionItem, error) {
	var items []models.InspectionItem
	err := tx.Where("inspection_id = ?", id).Order("reg_no").Find(&items).Error
	return items, err
}

func resultOf(in models.Inspection, items []models.InspectionItem) InspectionResult {
	r := InspectionResult{Inspection: in, Items: items}
	for _, it := range items {
		switch {
		case !it.Expected:
			r.Unexpected = append(r.Unexpected, it)
		case it.Found:
			r.Found = append(r.Found, it)
		case it.Away():
			r.Away = append(r.Away, it)
		default:
			r.Missing = append(r.Missing, it)
		}
		if it.Difference() && it.Resolution == "" {
			r.Unresolved = append(r.Unresolved, it)
		}
	}
	return r
}

// InspectionResult compares the register with what was found (R19): the
// missing, unexpected, away and found items. Clerk only.
func (s *Service) InspectionResult(sess *Session, inspID string) (_ InspectionResult, err error) {
	defer s.refused(sess, "InspectionResult", inspID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return InspectionResult{}, err
	}
	in, err := takeInspection(s.db, inspID)
	if err != nil {
		return InspectionResult{}, err
	}
	items, err := inspectionItems(s.db, in.ID)
	if err != nil {
		return InspectionResult{}, err
	}
	return resultOf(in, items), nil
}

// Resolve records how a difference (missing or unexpected carrier) was
// resolved (R4). Only differences take a resolution; a note is required.
// Clerk only.
func (s *Service) Resolve(sess *Session, inspID, carrierID, note string) (_ models.InspectionItem, err error) {
	defer s.refused(sess, "Resolve", inspID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.InspectionItem{}, err
	}
	note = strings.TrimSpace(note)
	switch n := utf8.RuneCountInString(note); {
	case n == 0:
		return models.InspectionItem{}, fieldError(FieldInspResolution, models.ErrNeedsNote,
			"请写明差异的处理结果（查找经过、原因、处理意见）")
	case n > MaxResolutionLen:
		return models.InspectionItem{}, fieldError(FieldInspResolution, nil, "处理结果不能超过 %d 个字", MaxResolutionLen)
	}
	var it models.InspectionItem
	err = s.write(func(tx *gorm.DB) error {
		in, err := takeOpenInspection(tx, inspID)
		if err != nil {
			return err
		}
		err = tx.Where("inspection_id = ? AND carrier_id = ?", in.ID, carrierID).Take(&it).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fieldError(FieldInspItem, models.ErrNotFound, "该载体不在自查 %s 中", in.SlipNo)
		}
		if err != nil {
			return err
		}
		if !it.Difference() {
			return fieldError(FieldInspItem, models.ErrNotADifference, "%s 账物相符，无需处理", it.RegNo)
		}
		now := s.now()
		res := tx.Model(&models.InspectionItem{}).Where("inspection_id = ? AND carrier_id = ?", in.ID, carrierID).
			Updates(map[string]any{"resolution": note, "resolved_at": now, "resolved_by": sess.FullName})
		if res.Error != nil {
			return fmt.Errorf("resolve %s: %w", it.RegNo, res.Error)
		}
		old := it.Resolution
		it.Resolution, it.ResolvedAt, it.ResolvedBy = note, &now, sess.FullName
		if err := addEvent(tx, now, sess, carrierID, 0, models.ActionInspectResolve, "自查差异处理", old, note,
			"自查 "+in.SlipNo); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventInspectionResolve, in.SlipNo, true, it.RegNo+" "+note)
	})
	if err != nil {
		return models.InspectionItem{}, err
	}
	return it, nil
}

// CloseInspection completes a self-inspection (已完成). It is refused while
// any difference lacks a resolution (R4). Clerk only.
func (s *Service) CloseInspection(sess *Session, inspID string) (_ InspectionResult, err error) {
	defer s.refused(sess, "CloseInspection", inspID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return InspectionResult{}, err
	}
	var r InspectionResult
	err = s.write(func(tx *gorm.DB) error {
		in, err := takeOpenInspection(tx, inspID)
		if err != nil {
			return err
		}
		items, err := inspectionItems(tx, in.ID)
		if err != nil {
			return err
		}
		r = resultOf(in, items)
		if len(r.Unresolved) > 0 {
			nos := make([]string, len(r.Unresolved))
			for i, it := range r.Unresolved {
				nos[i] = it.RegNo
			}
			return fieldError(FieldInspResolution, models.ErrUnresolved,
				"尚有 %d 项差异未写明处理结果，不能完成自查：%s", len(nos), strings.Join(nos, "、"))
		}
		now, today := s.now(), s.today().Format(models.DateLayout)
		res := tx.Model(&models.Inspection{}).Where("id = ? AND state = ?", in.ID, models.InspectionOpen).
			Updates(map[string]any{"state": models.InspectionClosed, "closed_on": today, "closed_at": now,
				"closed_by": sess.FullName})
		if res.Error != nil {
			return fmt.Errorf("close inspection %s: %w", in.SlipNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		r.Inspection.State, r.Inspection.ClosedOn, r.Inspection.ClosedAt, r.Inspection.ClosedBy =
			models.InspectionClosed, today, &now, sess.FullName
		verdict := "账物相符"
		if !r.Matches() {
			verdict = "账物不符，差异已处理"
		}
		return s.audit(tx, sess, models.EventInspectionClose, in.SlipNo, true,
			fmt.Sprintf("责任人：%s %s：清点到 %d，外出/借出/传阅 %d，缺失 %d，账外 %d", in.Custodian, verdict,
				len(r.Found), len(r.Away), len(r.Missing), len(r.Unexpected)))
	})
	if err != nil {
		return InspectionResult{}, err
	}
	return r, nil
}

// Inspections lists the self-inspections of custodian (all when ""), newest first. Clerk only.
func (s *Service) Inspections(sess *Session, custodian string) (_ []models.Inspection, err error) {
	defer s.refused(sess, "Inspections", custodian, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	q := s.db.Order("started_at DESC, slip_no DESC")
	if c := strings.TrimSpace(custodian); c != "" {
		q = q.Where("custodian = ?", c)
	}
	var out []models.Inspection
	err = q.Find(&out).Error
	return out, err
}

func inspectionPeriods(tx *gorm.DB) map[models.Level]int {
	out := make(map[models.Level]int, len(models.Levels))
	for _, l := range models.Levels {
		out[l] = models.DefaultInspectionMonths
		var v string
		tx.Raw(`SELECT value FROM settings WHERE key = ?`, models.SettingInspectionPeriod(l)).Scan(&v)
		if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= models.MaxInspectionMonths {
			out[l] = n
		}
	}
	return out
}

// InspectionPeriods reads the self-inspection period in months of each
// level (R19; monthly unless the security officer set otherwise). Clerk or
// security officer.
func (s *Service) InspectionPeriods(sess *Session) (_ map[models.Level]int, err error) {
	defer s.refused(sess, "InspectionPeriods", "", &err)
	if err := s.authorize(sess, models.RoleClerk, models.RoleSecAdmin); err != nil {
		return nil, err
	}
	return inspectionPeriods(s.db), nil
}

// SetInspectionPeriod sets the self-inspection period of carriers of level
// to months (1 to MaxInspectionMonths), R19. Security officer only; audited.
func (s *Service) SetInspectionPeriod(sess *Session, level models.Level, months int) (err error) {
	defer s.refused(sess, "SetInspectionPeriod", "", &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return err
	}
	if !level.Valid() {
		return fieldError(FieldInspPeriod, models.ErrBadPeriod, "请选择密级")
	}
	if months < 1 || months > models.MaxInspectionMonths {
		return fieldError(FieldInspPeriod, models.ErrBadPeriod, "自查周期应为 1 至 %d 个月", models.MaxInspectionMonths)
	}
	return s.write(func(tx *gorm.DB) error {
		old := inspectionPeriods(tx)[level]
		if err := setSetting(tx, models.SettingInspectionPeriod(level), strconv.Itoa(months)); err != nil {
			return fmt.Errorf("write setting: %w", err)
		}
		return s.audit(tx, sess, models.EventSettingsChange, models.SettingInspectionPeriod(level), true,
			fmt.Sprintf("%s载体自查周期：%d 个月 → %d 个月", level, old, months))
	})
}

// InspectionsDue lists, for every custodian holding carriers, the last
// completed self-inspection and whether the next is overdue by the period
// of the highest level they hold (R4, R19). periods overrides the stored
// periods when not nil (a missing level means monthly); a zero today means
// the service's today. Custodians never inspected are overdue. Overdue first.
// Clerk only.
func (s *Service) InspectionsDue(sess *Session, today time.Time, periods map[models.Level]int) (_ []InspectionDue, err error) {
	defer s.refused(sess, "InspectionsDue", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	if today.IsZero() {
		today = s.today()
	} else {
		today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	}
	if periods == nil {
		periods = inspectionPeriods(s.db)
	}
	var held []struct {
		Custodian string
		N         int
		Top       models.Level
	}
	// From the counts kept by 责任人 (schema 29), not the register.
	if err := s.db.Raw(`SELECT custodian, sum(n) AS n, max(level) AS top FROM custodian_counts
		WHERE ` + models.HeldSQL + ` AND custodian <> '' AND level > 0 AND n > 0 GROUP BY custodian`).Scan(&held).Error; err != nil {
		return nil, err
	}
	out := make([]InspectionDue, 0, len(held))
	for _, h := range held {
		d := InspectionDue{Custodian: h.Custodian, Held: h.N, HighestLevel: h.Top, PeriodMonths: periods[h.Top]}
		if d.PeriodMonths < 1 {
			d.PeriodMonths = models.DefaultInspectionMonths
		}
		var last string
		if err := s.db.Raw(`SELECT COALESCE(MAX(closed_on), '') FROM inspections WHERE custodian = ? AND state = ?`,
			h.Custodian, models.InspectionClosed).Scan(&last).Error; err != nil {
			return nil, err
		}
		var open int64
		if err := s.db.Model(&models.Inspection{}).Where("custodian = ? AND state = ?", h.Custodian,
			models.InspectionOpen).Count(&open).Error; err != nil {
			return nil, err
		}
		d.Open, d.LastDone = open > 0, last
		if last == "" {
			d.Overdue = true
		} else {
			lastDay, err := models.ParseDate(last)
			if err != nil {
				return nil, fmt.Errorf("inspection of %s closed on %q: %w", h.Custodian, last, err)
			}
			due := lastDay.AddDate(0, d.PeriodMonths, 0)
			d.DueOn = due.Format(models.DateLayout)
			d.Overdue = today.After(due)
		}
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Overdue != out[j].Overdue {
			return out[i].Overdue
		}
		if out[i].DueOn != out[j].DueOn {
			return out[i].DueOn < out[j].DueOn
		}
		return out[i].Custodian < out[j].Custodian
	})
	return out, nil
}
