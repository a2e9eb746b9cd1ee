package app

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
	"secdoc/reports"
)

// Field names of a review's messages.
const (
	FieldReviewYear = "ReviewYear"
	FieldReviewNote = "ReviewNote"
)

// Why a term is on a year's review list (R26).
const (
	ReviewExpiring = "本年到期"
	ReviewExpired  = "已过期"
	ReviewCheck    = "核查解密条件"
	ReviewChanged  = "本年已变更"
)

// ReviewRow is one line of the yearly review list (保密法 每年审核, R26): a
// held 国家秘密 carrier whose term needs a decision in the year (it ends in
// the year or has ended, or its 解密条件 must be checked), or one whose term
// was changed or lifted in the year, with the outcome recorded.
type ReviewRow struct {
	Carrier models.Carrier
	Expiry  string // yyyy-mm-dd; "" for a condition
	Why     string // ReviewExpiring, ReviewExpired, ReviewCheck or ReviewChanged
	Outcome string // 待审核, 保持, or the change recorded (延期 机密★2036年…, 解密)
	By      string // who decided the outcome
	On      string // when
}

// A year's review list, named arguments @first and @last the year's first
// and last days, is read in two parts, each through its own index and
// never whole: first the held 国家秘密 carriers whose term ends by the
// year's end (carriers.term_end, models.TermExpiry's arithmetic), by that
// end and then registration order, as idx_carriers_term_end holds them;
// then, in registration order, those whose term is a condition to check
// and those whose term was changed or lifted in the year (and are in
// neither of the first two).
const (
	reviewDueSQL = `FROM carriers c INDEXED BY idx_carriers_term_end
		WHERE c.term_end IS NOT NULL AND ` + models.HeldSQL + ` AND c.term_end <= @last`
	reviewRestSQL = `SELECT c.seq, c.id FROM carriers c INDEXED BY idx_carriers_condition
		WHERE c.term_kind = 'condition' AND c.level > 0 AND ` + models.HeldSQL + `
	UNION ALL
	SELECT c.seq, c.id FROM carriers c
		WHERE c.id IN (SELECT carrier_id FROM secrecy_changes WHERE decided_on BETWEEN @first AND @last)
		AND NOT (c.term_end IS NOT NULL AND ` + models.HeldSQL + ` AND c.term_end <= @last)
		AND NOT (c.term_kind = 'condition' AND c.level > 0 AND ` + models.HeldSQL + `)`
)

// ReviewCount is how many carriers a year's review lists.
func (s *Service) ReviewCount(sess *Session, year int) (_ int64, err error) {
	defer s.refused(sess, "ReviewCount", "", &err)
	if err := s.authorize(sess, models.RoleClerk, models.RoleSecAdmin); err != nil {
		return 0, err
	}
	due, err := s.reviewDueCount(year)
	if err != nil {
		return 0, err
	}
	var rest int64
	err = s.db.Raw(`SELECT count(*) FROM (`+reviewRestSQL+`)`, reviewArgs(year)).Scan(&rest).Error
	return due + rest, err
}

// reviewDueCount counts the first part of a year's review list: the terms
// ending by the year's end.
func (s *Service) reviewDueCount(year int) (due int64, err error) {
	err = s.db.Raw(`SELECT count(*) `+reviewDueSQL, reviewArgs(year)).Scan(&due).Error
	return due, err
}

func reviewArgs(year int) map[string]any {
	return map[string]any{"last": fmt.Sprintf("%04d-12-31", year), "first": fmt.Sprintf("%04d-01-01", year)}
}

// ReviewPage reads a page of a year's review list with each line's
// outcome: the soonest end first, then the conditions and the changed, in
// registration order.
func (s *Service) ReviewPage(sess *Session, year, offset, limit int) (_ []ReviewRow, err error) {
	defer s.refused(sess, "ReviewPage", "", &err)
	if err := s.authorize(sess, models.RoleClerk, models.RoleSecAdmin); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	type row struct {
		models.Carrier
		Expiry string
	}
	var rows []row
	due, err := s.reviewDueCount(year)
	if err != nil {
		return nil, err
	}
	args := reviewArgs(year)
	if int64(offset) < due {
		args["limit"], args["offset"] = limit, offset
		if err := s.db.Raw(`SELECT c.*, c.term_end AS expiry `+reviewDueSQL+`
			ORDER BY c.term_end, c.seq LIMIT @limit OFFSET @offset`, args).Scan(&rows).Error; err != nil {
			return nil, err
		}
	}
	if len(rows) < limit {
		// The rest, in registration order: their ids first, then the rows.
		args["limit"], args["offset"] = limit-len(rows), max(0, int64(offset)-due)
		var ids []string
		if err := s.db.Raw(`SELECT id FROM (`+reviewRestSQL+`) ORDER BY seq LIMIT @limit OFFSET @offset`, args).
			Scan(&ids).Error; err != nil {
			return nil, err
		}
		var cs []models.Carrier
		if len(ids) > 0 {
			if err := s.db.Where("id IN ?", ids).Order("seq").Find(&cs).Error; err != nil {
				return nil, err
			}
		}
		for _, c := range cs {
			rows = append(rows, row{Carrier: c})
		}
	}
	out := make([]ReviewRow, len(rows))
	ids := make([]string, len(rows))
	first := fmt.Sprintf("%04d-01-01", year)
	for i, r := range rows {
		out[i] = ReviewRow{Carrier: r.Carrier, Expiry: r.Expiry, Outcome: "待审核"}
		switch {
		case r.Carrier.State == models.StateDeclassified || r.Expiry == "" && r.Carrier.TermKind != models.TermCondition:
			out[i].Why = ReviewChanged
		case r.Carrier.TermKind == models.TermCondition:
			out[i].Why = ReviewCheck
		case r.Expiry < first:
			out[i].Why = ReviewExpired
		default:
			out[i].Why = ReviewExpiring
		}
		ids[i] = r.Carrier.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var kept []models.TermReview
	if err := s.db.Where("year = ? AND carrier_id IN ?", year, ids).Find(&kept).Error; err != nil {
		return nil, err
	}
	var changes []models.SecrecyChange
	if err := s.db.Where("carrier_id IN ? AND decided_on BETWEEN ? AND ?", ids, first, fmt.Sprintf("%04d-12-31", year)).
		Order("decided_on, recorded_at").Find(&changes).Error; err != nil {
		return nil, err
	}
	byID := make(map[string]*ReviewRow, len(out))
	for i := range out {
		byID[out[i].Carrier.ID] = &out[i]
	}
	for _, k := range kept {
		if r := byID[k.CarrierID]; r != nil {
			r.Outcome, r.By, r.On = "保持 "+k.Marking, k.ApproverName, k.DecidedOn
		}
	}
	for _, c := range changes { // a change outranks a 保持 recorded before it
		if r := byID[c.CarrierID]; r != nil {
			r.Outcome, r.By, r.On = string(c.Kind)+" "+c.NewMarking, c.ApproverName, c.DecidedOn
			if c.Kind == models.ChangeDeclassify {
				r.Outcome = "解密"
			}
		}
	}
	return out, nil
}

// ReviewInput records that a carrier's term stands after the year's review
// (保持), as the approver decided on the signed review list.
type ReviewInput struct {
	Year       int
	CarrierID  string
	ApproverID string // an approver for 解密/变更 up to the carrier's level
	DecidedOn  string // yyyy-mm-dd
	Note       string
}

// KeepTerm records the outcome 保持 of a carrier's yearly review (R26): the
// carrier must be on that year's list and still held, the year not in the
// future, the decision by an approver for 解密/变更 at the carrier's level,
// dated in the year reviewed and not in the future, and the carrier not
// reviewed yet that year. A term that ended can't be kept: it is extended
// or lifted through a secrecy change. Clerk only; audited.
func (s *Service) KeepTerm(sess *Session, in ReviewInput) (_ models.TermReview, err error) {
	defer s.refused(sess, "KeepTerm", in.CarrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.TermReview{}, err
	}
	var out models.TermReview
	err = s.write(func(tx *gorm.DB) error {
		c, err := takeCarrier(tx, in.CarrierID)
		if err != nil {
			return err
		}
		var v models.ValidationError
		today := s.today()
		if in.Year < 2000 || in.Year > today.Year() {
			v.Fields = append(v.Fields, models.FieldError{Field: FieldReviewYear,
				Msg: fmt.Sprintf("审核年度应为 2000 至 %d 年之间的年份", today.Year())})
		}
		on := s.pastDay(&v, FieldDecidedOn, "审核日期", in.DecidedOn)
		if on != "" && !strings.HasPrefix(on, fmt.Sprintf("%04d-", in.Year)) {
			v.Fields = append(v.Fields, models.FieldError{Field: FieldDecidedOn,
				Msg: fmt.Sprintf("审核日期 %s 不在审核年度 %d 年内", on, in.Year)})
		}
		if len([]rune(in.Note)) > models.MaxShortLen*2 {
			v.Fields = append(v.Fields, models.FieldError{Field: FieldReviewNote, Msg: fmt.Sprintf("说明最多 %d 个字", models.MaxShortLen*2)})
		}
		if len(v.Fields) > 0 {
			return &v
		}
		var listed int64
		args := reviewArgs(in.Year)
		args["id"] = c.ID
		if err := tx.Raw(`SELECT count(*) FROM carriers c WHERE c.id = @id AND c.`+models.HeldSQL+` AND (
			(c.term_end IS NOT NULL AND c.term_end <= @last) OR (c.term_kind = 'condition' AND c.level > 0)
			OR c.id IN (SELECT carrier_id FROM secrecy_changes WHERE decided_on BETWEEN @first AND @last))`, args).
			Scan(&listed).Error; err != nil {
			return err
		}
		if listed == 0 {
			return fieldError("", models.ErrNotListed, "%s %s 不在 %d 年度审核清单上（保密期限本年未到期，或已不在册）", c.RegNo, c.Marking(), in.Year)
		}
		if exp, ok := models.TermExpiry(c); ok && exp.Before(today) {
			return fieldError("", models.ErrTermExpired, "%s 的保密期限已于 %s 届满，不能“保持”：请办理延期或解密",
				c.RegNo, exp.Format(models.DateLayout))
		}
		var done int64
		if err := tx.Model(&models.TermReview{}).Where("year = ? AND carrier_id = ?", in.Year, c.ID).Count(&done).Error; err != nil {
			return err
		}
		if done > 0 {
			return fieldError("", models.ErrReviewed, "%s 在 %d 年度已登记过审核结果", c.RegNo, in.Year)
		}
		a, err := takeApprover(tx, in.ApproverID, models.ApproveDeclassify, c.Level)
		if err != nil {
			return err
		}
		out = models.TermReview{ID: uuid.NewString(), Year: in.Year, CarrierID: c.ID, Marking: c.Marking(),
			ApproverID: &a.ID, ApproverName: a.Name, DecidedOn: on, Note: strings.TrimSpace(in.Note),
			RecordedAt: s.now(), RecordedBy: sess.FullName}
		if err := tx.Create(&out).Error; err != nil {
			return err
		}
		reason := fmt.Sprintf("%d 年度审核：保持 %s（%s %s 决定）", in.Year, out.Marking, a.Name, on)
		if err := addEvent(tx, out.RecordedAt, sess, c.ID, 0, models.ActionTermReview, "", "", "", reason); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventTermReview, c.RegNo, true, reason)
	})
	return out, err
}

// reviewJob gathers a year's review list for printing (id: the year).
func (s *Service) reviewJob(sess *Session, h reports.Head, id string) (printJob, error) {
	year, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(id), "年"))
	if err != nil || year < 2000 || year > 9999 {
		return printJob{}, fieldError("", models.ErrNotFound, "审核年度“%s”应为四位年份，例如 %d", id, s.today().Year())
	}
	n, err := s.ReviewCount(sess, year)
	if err != nil {
		return printJob{}, err
	}
	if n > int64(MaxRegisterRows) {
		return printJob{}, fieldError("", models.ErrTooLarge, "%d 年度审核清单共 %d 件，超过一次打印的上限 %d 件", year, n, MaxRegisterRows)
	}
	r := reports.ReviewList{Head: h, Year: year}
	var cs []models.Carrier
	var ids []string
	for off := 0; off < int(n); off += 1000 {
		page, err := s.ReviewPage(sess, year, off, 1000)
		if err != nil {
			return printJob{}, err
		}
		for i := range page {
			p := &page[i]
			l := carrierLine(&p.Carrier)
			l.Marking = markText(&p.Carrier)
			r.Lines = append(r.Lines, reports.ReviewLine{Carrier: l, Expiry: p.Expiry, Why: p.Why, Outcome: p.Outcome,
				By: p.By, On: p.On})
			cs = append(cs, p.Carrier)
			ids = append(ids, p.Carrier.ID)
		}
	}
	r.Marking = listMark(cs)
	no := fmt.Sprintf("%d年度", year)
	job := newJob(no, safeFileName(fmt.Sprintf("%d年度保密期限审核清单", year))+".pdf", ids,
		func(w io.Writer, o reports.Options) error { return reports.RenderReviewList(w, r, o) })
	job.out.Object = no + "审核清单"
	return listJob(job, r.Marking), nil
}
