package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// Limits of loans and take-outs (R3).
const (
	MaxTakeOutDays    = 30 // a take-out is due back within 30 days of the request
	MaxLoanDays       = 90 // a loan within 90
	MaxDestinationLen = 100
	MaxReturnNoteLen  = 500
)

// Field names of the loan's messages.
const (
	FieldLoanCarrier = "LoanCarrier"
	FieldLoanKind    = "LoanKind"
	FieldBorrower    = "Borrower"
	FieldDepartment  = "Department"
	FieldLoanPurpose = "LoanPurpose"
	FieldDestination = "Destination"
	FieldDueOn       = "DueOn"
	FieldLoanID      = "Loan"
	FieldReturnCheck = "ReturnCheck"
	FieldReturnNote  = "ReturnNote"
	FieldReturnedOn  = "ReturnedOn"
	FieldCompanion   = "Companion"
	FieldMeasures    = "Measures"
	FieldAbroadDoc   = "AbroadDoc"
	FieldLoanDays    = "LoanDays"
)

// LoanInput is a 借阅 or 外出携带 request as the clerk records it.
type LoanInput struct {
	Kind        models.LoanKind
	CarrierID   string
	Borrower    string // 借阅人 / 携带人
	Department  string
	Purpose     string
	Destination string // 外出地点: take-outs only, required there
	Companion   string // 同行人: take-outs only, required for 绝密
	Measures    string // 保密措施: take-outs only
	Abroad      bool   // leaves the country: needs AbroadDoc
	AbroadDoc   string // the authority's document allowing it
	InOffice    bool   // read in the office's 阅文室: required for 绝密 loans
	// OutsideReason is why a borrower outside the carrier's 知悉范围 borrows
	// it (R27): required then, recorded.
	OutsideReason string
	DueOn         string // 返回日期 yyyy-mm-dd: after today
}

// LoanDecision is a leader's decision on a loan or take-out slip (R9).
type LoanDecision struct {
	LoanID     string
	ApproverID string
	Decision   string // 同意 or 不同意
	Opinion    string
	DecidedOn  string // yyyy-mm-dd
}

// OverdueLoan is a carrier still out after its due date (R3).
type OverdueLoan struct {
	Loan        models.Loan
	Carrier     models.Carrier
	DaysOverdue int
}

// FormatLoanSlipNo prints a loan slip number: 借〔2026〕0001 or 携〔2026〕0001.
func FormatLoanSlipNo(k models.LoanKind, year int, n int64) string {
	return fmt.Sprintf("%s〔%d〕%04d", k.SlipPrefix(), year, n)
}

func loanCounterName(k models.LoanKind, year int) string { return fmt.Sprintf("%s:%d", k, year) }

// loanable applies the state rule to the carrier to be lent or taken out.
func loanable(c *models.Carrier, k models.LoanKind) error {
	if c.State == models.StateVoided {
		return fieldError(FieldLoanCarrier, models.ErrVoided, "该登记已作废，不能%s", k)
	}
	if c.Kind == models.KindCipherTel {
		return fieldError(FieldLoanCarrier, models.ErrLoanLimit, "密码电报不得%s：只在机要室阅办，用后退回机要部门", k)
	}
	if c.State != models.StateInStore {
		return fieldError(FieldLoanCarrier, models.ErrNotInStore, "该载体当前%s，只有在库的载体才能%s", c.State, k)
	}
	return nil
}

// LoanDays is the longest loan or take-out of a carrier of level l, in
// days (R27): the security officer's setting, or DefaultLoanDays; 内部 and
// 非密 by R3's general limits.
func (s *Service) LoanDays(l models.Level, k models.LoanKind) int { return loanDays(s.db, l, k) }

func loanDays(tx *gorm.DB, l models.Level, k models.LoanKind) int {
	general := MaxLoanDays
	if k == models.LoanTakeOut {
		general = MaxTakeOutDays
	}
	if !l.IsStateSecret() {
		return general
	}
	days := models.DefaultLoanDays[l]
	var v string
	tx.Raw(`SELECT value FROM settings WHERE key = ?`, models.SettingLoanDays+strconv.Itoa(int(l))).Scan(&v)
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		days = n
	}
	return min(days, general)
}

// SetLoanDays sets the longest loan or take-out of a level of 国家秘密, 1 to
// MaxLoanDays days (R27). Security officer only; audited.
func (s *Service) SetLoanDays(sess *Session, l models.Level, days int) (err error) {
	defer s.refused(sess, "SetLoanDays", "", &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return err
	}
	if !l.Valid() {
		return fieldError(FieldLoanDays, models.ErrLoanLimit, "请选择绝密、机密或秘密")
	}
	if days < 1 || days > MaxLoanDays {
		return fieldError(FieldLoanDays, models.ErrLoanLimit, "%s载体的借阅期限应为 1 到 %d 天", l, MaxLoanDays)
	}
	return s.write(func(tx *gorm.DB) error {
		if err := setSetting(tx, models.SettingLoanDays+strconv.Itoa(int(l)), strconv.Itoa(days)); err != nil {
			return fmt.Errorf("write setting: %w", err)
		}
		return s.audit(tx, sess, models.EventSettingsChange, "借阅期限", true,
			fmt.Sprintf("%s载体借阅、外出携带最长 %d 天", l, days))
	})
}

// withinLimits applies R27's limits by level to a loan or take-out of c due
// on due: the longest period of its level, 绝密 loans read in the office,
// 绝密 take-outs with a 同行人.
func (s *Service) withinLimits(tx *gorm.DB, c *models.Carrier, in *LoanInput, due time.Time) error {
	days := loanDays(tx, c.Level, in.Kind)
	if last := s.today().AddDate(0, 0, days); due.After(last) {
		return fieldError(FieldDueOn, models.ErrLoanLimit, "%s载体%s期限不能超过 %d 天，返回日期最晚为 %s",
			c.Level, in.Kind, days, last.Format(models.DateLayout))
	}
	if c.Level != models.LevelTopSecret {
		return nil
	}
	if in.Kind == models.LoanBorrow && !in.InOffice {
		return fieldError(FieldLoanKind, models.ErrLoanLimit, "绝密级载体只能在机要阅文室阅读，请勾选“限在机要阅文室阅读”")
	}
	if in.Kind == models.LoanTakeOut && in.Companion == "" {
		return fieldError(FieldCompanion, models.ErrLoanLimit, "绝密级载体外出携带须有同行人，请填写同行人")
	}
	return nil
}

func checkText(v *models.ValidationError, field, value, label string, max int, required bool) {
	switch n := utf8.RuneCountInString(value); {
	case n == 0 && required:
		v.Fields = append(v.Fields, models.FieldError{Field: field, Msg: "请填写" + label})
	case n > max:
		v.Fields = append(v.Fields, models.FieldError{Field: field, Msg: fmt.Sprintf("%s不能超过 %d 个字", label, max)})
	}
}

// RequestLoan records a request to lend a carrier or take it out of the
// office (R3), to be decided by an approver. Clerk only. The carrier must be
// 在库; a take-out needs a destination; both need a due date after today,
// within MaxTakeOutDays (take-out) or MaxLoanDays (loan).
func (s *Service) RequestLoan(sess *Session, in LoanInput) (_ models.Loan, err error) {
	defer s.refused(sess, "RequestLoan", in.CarrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Loan{}, err
	}
	in.Borrower = strings.TrimSpace(in.Borrower)
	in.Department = strings.TrimSpace(in.Department)
	in.Purpose = strings.TrimSpace(in.Purpose)
	in.Destination = strings.TrimSpace(in.Destination)
	today := s.today()
	var v models.ValidationError
	var cause error
	if !in.Kind.Valid() {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldLoanKind, Msg: "请选择借阅或外出携带"})
	}
	checkText(&v, FieldBorrower, in.Borrower, in.Kind.BorrowerLabel(), MaxRequesterLen, true)
	checkText(&v, FieldDepartment, in.Department, "部门", MaxRequesterLen, false)
	checkText(&v, FieldLoanPurpose, in.Purpose, "用途", MaxPurposeLen, true)
	in.Companion, in.Measures, in.AbroadDoc = strings.TrimSpace(in.Companion), strings.TrimSpace(in.Measures),
		strings.TrimSpace(in.AbroadDoc)
	if in.Kind == models.LoanTakeOut {
		checkText(&v, FieldDestination, in.Destination, "外出地点", MaxDestinationLen, true)
		checkText(&v, FieldCompanion, in.Companion, "同行人", MaxRequesterLen, false)
		checkText(&v, FieldMeasures, in.Measures, "保密措施", MaxPurposeLen, false)
		checkText(&v, FieldAbroadDoc, in.AbroadDoc, "出境批准文件的文号", MaxDestinationLen, in.Abroad)
		in.InOffice = false
	} else {
		in.Destination, in.Companion, in.Measures, in.Abroad, in.AbroadDoc = "", "", "", false, ""
	}
	if !in.Abroad {
		in.AbroadDoc = ""
	}
	maxDays := MaxLoanDays
	if in.Kind == models.LoanTakeOut {
		maxDays = MaxTakeOutDays
	}
	due, derr := models.ParseDate(strings.TrimSpace(in.DueOn))
	switch {
	case strings.TrimSpace(in.DueOn) == "":
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDueOn,
			Msg: fmt.Sprintf("请填写返回日期，例如 %s", today.AddDate(0, 0, 7).Format(models.DateLayout))})
		cause = models.ErrBadDueDate
	case derr != nil:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDueOn,
			Msg: fmt.Sprintf("返回日期应写作 年-月-日，例如 %s", today.AddDate(0, 0, 7).Format(models.DateLayout))})
		cause = models.ErrBadDueDate
	case !due.After(today):
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDueOn,
			Msg: fmt.Sprintf("返回日期应晚于申请日期（%s）", today.Format(models.DateLayout))})
		cause = models.ErrBadDueDate
	case due.After(today.AddDate(0, 0, maxDays)):
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDueOn,
			Msg: fmt.Sprintf("%s期限不能超过 %d 天，返回日期最晚为 %s", in.Kind, maxDays,
				today.AddDate(0, 0, maxDays).Format(models.DateLayout))})
		cause = models.ErrBadDueDate
	}
	if len(v.Fields) > 0 {
		v.Cause = cause
		return models.Loan{}, &v
	}
	var out models.Loan
	err = s.write(func(tx *gorm.DB) error {
		c, err := takeCarrier(tx, in.CarrierID)
		if err != nil {
			return err
		}
		if err := loanable(&c, in.Kind); err != nil {
			return err
		}
		if err := s.withinLimits(tx, &c, &in, due); err != nil {
			return err
		}
		if err := s.receiver(tx, sess, FieldBorrower, in.Kind.BorrowerLabel(), in.Borrower); err != nil {
			return err
		}
		outside, err := checkNeedToKnow(tx, &c, in.Borrower, in.OutsideReason, FieldOutsideReason, in.Kind.String())
		if err != nil {
			return err
		}
		if outside == "" {
			in.OutsideReason = ""
		}
		n, err := nextCounter(tx, loanCounterName(in.Kind, today.Year()))
		if err != nil {
			return err
		}
		out = models.Loan{ID: uuid.NewString(), SlipNo: FormatLoanSlipNo(in.Kind, today.Year(), n), Kind: in.Kind,
			CarrierID: c.ID, Borrower: in.Borrower, Department: in.Department, Purpose: in.Purpose,
			Destination: in.Destination, Companion: in.Companion, Measures: in.Measures, Abroad: in.Abroad,
			AbroadDoc: in.AbroadDoc, InOffice: in.InOffice, OutsideReason: strings.TrimSpace(in.OutsideReason),
			RequestedOn: today.Format(models.DateLayout),
			DueOn:       due.Format(models.DateLayout), RequestedAt: s.now(), RequestedBy: sess.FullName,
			State: models.LoanPending}
		if err := tx.Create(&out).Error; err != nil {
			return fmt.Errorf("insert loan: %w", err)
		}
		if err := s.audit(tx, sess, models.EventLoanRequest, out.SlipNo, true, loanDetail(&c, &out)); err != nil {
			return err
		}
		if c.Level.IsStateSecret() {
			return nil
		}
		// 内部 and 非密 go out on the record alone (R21).
		on := today.Format(models.DateLayout)
		if err := s.decide(tx, sess, &models.Loan{}, out.ID, models.LoanPending, models.LoanOut, &out.Decided,
			nil, NoApproval, "", on, map[string]any{"out_on": on}); err != nil {
			return err
		}
		out.State, out.OutOn = models.LoanOut, on
		reason := fmt.Sprintf("%s单 %s，%s %s，返回日期 %s，%s", out.Kind, out.SlipNo, out.Kind.BorrowerLabel(),
			out.Borrower, out.DueOn, NoApproval)
		return s.setCarrierState(tx, sess, &c, models.StateInStore, out.Kind.OutState(), models.ActionLoanOut, reason, *out.DecidedAt)
	})
	if err != nil {
		return models.Loan{}, err
	}
	return out, nil
}

func loanDetail(c *models.Carrier, l *models.Loan) string {
	d := fmt.Sprintf("%s %s %s %s：%s", c.RegNo, c.Marking(), l.Kind, l.Kind.BorrowerLabel(), l.Borrower)
	if l.Department != "" {
		d += "（" + l.Department + "）"
	}
	if l.Destination != "" {
		d += " 外出地点：" + l.Destination
	}
	if l.Companion != "" {
		d += " 同行人：" + l.Companion
	}
	if l.Measures != "" {
		d += " 保密措施：" + l.Measures
	}
	if l.Abroad {
		d += " 出境（批准文件：" + l.AbroadDoc + "）"
	}
	if l.InOffice {
		d += " 限在机要阅文室阅读"
	}
	if l.OutsideReason != "" {
		d += " 知悉范围外，理由：" + l.OutsideReason
	}
	return d + " 用途：" + l.Purpose + " 返回日期：" + l.DueOn
}

func takeLoan(tx *gorm.DB, id string) (models.Loan, error) {
	var l models.Loan
	err := tx.Where("id = ?", id).Take(&l).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return l, fmt.Errorf("loan %s: %w", id, models.ErrNotFound)
	}
	return l, err
}

// setCarrierState moves a carrier from one state to another under its
// optimistic lock, and writes the history line.
func (s *Service) setCarrierState(tx *gorm.DB, sess *Session, c *models.Carrier, from, to models.State,
	action, reason string, now time.Time) error {
	res := tx.Model(&models.Carrier{}).Where("id = ? AND version = ? AND state = ?", c.ID, c.Version, from).
		Updates(map[string]any{"state": to, "version": c.Version + 1, "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("carrier %s state: %w", c.RegNo, res.Error)
	}
	if res.RowsAffected != 1 {
		return models.ErrStale
	}
	c.State, c.Version, c.UpdatedAt = to, c.Version+1, now
	return addEvent(tx, now, sess, c.ID, 0, action, "状态", from.String(), to.String(), reason)
}

// DecideLoan records the approver's decision on a loan or take-out (R9, R3).
// The approver must be active and hold the 借阅 (loan) or 外出携带 (take-out)
// action up to the carrier's level. On 同意 the carrier leaves in the same
// transaction: it becomes 借出 or 外出携带, with a history line, provided it
// is still 在库. Clerk only.
func (s *Service) DecideLoan(sess *Session, d LoanDecision) (_ models.Loan, err error) {
	defer s.refused(sess, "DecideLoan", d.LoanID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Loan{}, err
	}
	d.Decision = strings.TrimSpace(d.Decision)
	d.Opinion = strings.TrimSpace(d.Opinion)
	on, err := s.checkDecisionInput(d.Decision, d.Opinion, strings.TrimSpace(d.DecidedOn), d.ApproverID)
	if err != nil {
		return models.Loan{}, err
	}
	var l models.Loan
	err = s.write(func(tx *gorm.DB) error {
		var err error
		if l, err = takeLoan(tx, d.LoanID); err != nil {
			return err
		}
		if l.State != models.LoanPending {
			return fieldError(FieldLoanID, models.ErrRequestDecided, "%s申请 %s %s，不能再次审批", l.Kind, l.SlipNo, l.State)
		}
		if on < l.RequestedOn {
			return fieldError(FieldDecidedOn, models.ErrBackdated,
				"审批日期 %s 早于申请日期 %s，不得倒签", on, l.RequestedOn)
		}
		c, err := takeCarrier(tx, l.CarrierID)
		if err != nil {
			return err
		}
		a, err := takeApprover(tx, d.ApproverID, l.Kind.Action(), c.Level)
		if err != nil {
			return err
		}
		approved := d.Decision == models.DecisionApprove
		if approved {
			// The carrier may have changed since the request: check again.
			if err := loanable(&c, l.Kind); err != nil {
				return err
			}
		}
		state, outOn := models.LoanRefused, ""
		if approved {
			state, outOn = models.LoanOut, s.today().Format(models.DateLayout)
		}
		if err := s.decide(tx, sess, &models.Loan{}, l.ID, models.LoanPending, state, &l.Decided,
			&a, d.Decision, d.Opinion, on, map[string]any{"out_on": outOn}); err != nil {
			return err
		}
		l.State, l.OutOn = state, outOn
		detail := fmt.Sprintf("%s %s %s 审批人：%s %s%s", c.RegNo, l.Kind, d.Decision, a.Name, on, opinionNote(d.Opinion))
		if err := s.audit(tx, sess, models.EventLoanDecide, l.SlipNo, true, detail); err != nil {
			return err
		}
		if !approved {
			return nil
		}
		reason := fmt.Sprintf("%s单 %s，%s %s，返回日期 %s，审批人 %s %s", l.Kind, l.SlipNo,
			l.Kind.BorrowerLabel(), l.Borrower, l.DueOn, a.Name, on)
		if l.Destination != "" {
			reason += "，外出地点 " + l.Destination
		}
		return s.setCarrierState(tx, sess, &c, models.StateInStore, l.Kind.OutState(), models.ActionLoanOut, reason, *l.DecidedAt)
	})
	if err != nil {
		return models.Loan{}, err
	}
	return l, nil
}

// ReturnLoan records a carrier's return from a loan or take-out: it is
// checked (完好 or 缺损; a 缺损 return needs a note describing what is
// missing or damaged) and goes back to 在库, with a history line. The return
// date can be neither before the day it went out nor after today. Clerk only.
func (s *Service) ReturnLoan(sess *Session, loanID, check, note, returnedOn string) (_ models.Loan, err error) {
	defer s.refused(sess, "ReturnLoan", loanID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Loan{}, err
	}
	check, note = strings.TrimSpace(check), strings.TrimSpace(note)
	today := s.today()
	var v models.ValidationError
	var cause error
	switch check {
	case models.ReturnIntact, models.ReturnDamaged:
	default:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldReturnCheck, Msg: "请选择返回检查情况：完好或缺损"})
	}
	if check == models.ReturnDamaged && note == "" {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldReturnNote,
			Msg: "返回检查有缺损，请写明缺损情况（缺少哪些页、何种损坏），以便追查"})
		cause = models.ErrNeedsNote
	}
	if utf8.RuneCountInString(note) > MaxReturnNoteLen {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldReturnNote,
			Msg: fmt.Sprintf("检查说明不能超过 %d 个字", MaxReturnNoteLen)})
	}
	on, derr := models.ParseDate(strings.TrimSpace(returnedOn))
	switch {
	case strings.TrimSpace(returnedOn) == "":
		v.Fields = append(v.Fields, models.FieldError{Field: FieldReturnedOn,
			Msg: fmt.Sprintf("请填写归还日期，例如 %s", today.Format(models.DateLayout))})
	case derr != nil:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldReturnedOn,
			Msg: fmt.Sprintf("归还日期应写作 年-月-日，例如 %s", today.Format(models.DateLayout))})
	case on.After(today):
		v.Fields = append(v.Fields, models.FieldError{Field: FieldReturnedOn,
			Msg: fmt.Sprintf("归还日期不能晚于今天（%s）", today.Format(models.DateLayout))})
		cause = models.ErrBadReturnDay
	}
	if len(v.Fields) > 0 {
		v.Cause = cause
		return models.Loan{}, &v
	}
	var l models.Loan
	err = s.write(func(tx *gorm.DB) error {
		var err error
		if l, err = takeLoan(tx, loanID); err != nil {
			return err
		}
		if l.State != models.LoanOut {
			return fieldError(FieldLoanID, models.ErrLoanNotOut, "%s单 %s %s，不能登记归还", l.Kind, l.SlipNo, l.State)
		}
		rOn := on.Format(models.DateLayout)
		if rOn < l.OutOn {
			return fieldError(FieldReturnedOn, models.ErrBadReturnDay, "归还日期 %s 早于借出日期 %s", rOn, l.OutOn)
		}
		c, err := takeCarrier(tx, l.CarrierID)
		if err != nil {
			return err
		}
		now := s.now()
		res := tx.Model(&models.Loan{}).Where("id = ? AND state = ?", l.ID, models.LoanOut).
			Updates(map[string]any{"state": models.LoanReturned, "returned_on": rOn, "return_check": check,
				"return_note": note, "returned_at": now, "returned_by": sess.FullName})
		if res.Error != nil {
			return fmt.Errorf("record return %s: %w", l.SlipNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		l.State, l.ReturnedOn, l.ReturnCheck, l.ReturnNote, l.ReturnedAt, l.ReturnedBy =
			models.LoanReturned, rOn, check, note, &now, sess.FullName
		reason := fmt.Sprintf("%s单 %s 归还 %s，检查：%s", l.Kind, l.SlipNo, rOn, check)
		if note != "" {
			reason += "（" + note + "）"
		}
		if err := s.setCarrierState(tx, sess, &c, l.Kind.OutState(), models.StateInStore,
			models.ActionLoanReturn, reason, now); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventLoanReturn, l.SlipNo, true, c.RegNo+" "+reason)
	})
	if err != nil {
		return models.Loan{}, err
	}
	return l, nil
}

// OverdueLoans lists the loans and take-outs still out whose due date is
// before today (R3), most overdue first. A zero today means the service's
// today. Clerk only.
func (s *Service) OverdueLoans(sess *Session, today time.Time) (_ []OverdueLoan, err error) {
	defer s.refused(sess, "OverdueLoans", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	if today.IsZero() {
		today = s.today()
	} else {
		today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	}
	var loans []models.Loan
	if err := s.db.Where("state = ? AND due_on < ?", models.LoanOut, today.Format(models.DateLayout)).
		Order("due_on, slip_no").Find(&loans).Error; err != nil {
		return nil, err
	}
	out := make([]OverdueLoan, 0, len(loans))
	for _, l := range loans {
		c, err := takeCarrier(s.db, l.CarrierID)
		if err != nil {
			return nil, err
		}
		due, err := models.ParseDate(l.DueOn)
		if err != nil {
			return nil, fmt.Errorf("loan %s due date %q: %w", l.SlipNo, l.DueOn, err)
		}
		out = append(out, OverdueLoan{Loan: l, Carrier: c, DaysOverdue: int(today.Sub(due).Hours() / 24)})
	}
	return out, nil
}

// Loans lists the loans and take-outs of a carrier (all carriers when
// carrierID is ""), newest first. Clerk only.
func (s *Service) Loans(sess *Session, carrierID string) (_ []models.Loan, err error) {
	defer s.refused(sess, "Loans", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	q := s.db.Order("requested_at DESC, slip_no DESC")
	if carrierID != "" {
		q = q.Where("carrier_id = ?", carrierID)
	}
	var out []models.Loan
	err = q.Find(&out).Error
	return out, err
}

// PendingLoans lists the loans and take-outs awaiting a decision, oldest first.
func (s *Service) PendingLoans(sess *Session) (_ []models.Loan, err error) {
	defer s.refused(sess, "PendingLoans", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.Loan
	err = s.db.Where("state = ?", models.LoanPending).Order("requested_at, slip_no").Find(&out).Error
	return out, err
}
