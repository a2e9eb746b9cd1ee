package app

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"secdoc/models"

	"gorm.io/gorm"
)

// checkDecisionInput applies R9's rules that need no database to any
// decision (copy, loan, destruction, secrecy change): an explicit 同意 or
// 不同意 (a bare signature or 已核 is no approval), a date not after today, an
// approver chosen. It returns the date as stored. Checks against the request
// (no backdating) and the approver's authority need the transaction.
func (s *Service) checkDecisionInput(decision, opinion, decidedOn, approverID string) (string, error) {
	today := s.today()
	var v models.ValidationError
	if decision != models.DecisionApprove && decision != models.DecisionRefuse {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDecision,
			Msg: "请录入审批人明确的意见“同意”或“不同意”；仅签名或“已核”不视为审批"})
		v.Cause = models.ErrNoDecision
	}
	if utf8.RuneCountInString(opinion) > MaxPurposeLen {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDecision,
			Msg: fmt.Sprintf("审批意见不能超过 %d 个字", MaxPurposeLen)})
	}
	d, err := models.ParseDate(decidedOn)
	switch {
	case decidedOn == "":
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDecidedOn,
			Msg: fmt.Sprintf("请填写审批日期，例如 %s", today.Format(models.DateLayout))})
	case err != nil:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDecidedOn,
			Msg: fmt.Sprintf("审批日期应写作 年-月-日，例如 %s", today.Format(models.DateLayout))})
	case d.After(today):
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDecidedOn,
			Msg: fmt.Sprintf("审批日期不能晚于今天（%s）", today.Format(models.DateLayout))})
	}
	if approverID == "" {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldApprover, Msg: "请选择审批人"})
	}
	if len(v.Fields) > 0 {
		return "", &v
	}
	return d.Format(models.DateLayout), nil
}

// itemCounts counts the items of every batch in table (destruction_items,
// return_items), by batch id, in one query.
func (s *Service) itemCounts(table string) (map[string]int, error) {
	var counts []struct {
		BatchID string
		N       int
	}
	if err := s.db.Raw(`SELECT batch_id, count(*) AS n FROM ` + table + ` GROUP BY batch_id`).Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("count %s: %w", table, err)
	}
	n := make(map[string]int, len(counts))
	for _, c := range counts {
		n[c.BatchID] = c.N
	}
	return n, nil
}

// opinionNote is the approver's opinion in brackets for an audit record, or
// nothing when none was given.
func opinionNote(opinion string) string {
	if opinion = strings.TrimSpace(opinion); opinion == "" {
		return ""
	}
	return "（" + opinion + "）"
}

// takeApprover reads the approver who decides action on carriers up to
// level, refusing one who is disabled or has no authority for it.
func takeApprover(tx *gorm.DB, id string, action models.ApprovalAction, level models.Level) (models.Approver, error) {
	var a models.Approver
	if err := tx.Where("id = ?", id).Take(&a).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return a, fmt.Errorf("approver %s: %w", id, models.ErrNotFound)
		}
		return a, err
	}
	if why := a.CannotDecide(action, level); why != "" {
		return a, fieldError(FieldApprover, models.ErrNoAuthority, "审批人%s%s", a.Name, why)
	}
	return a, nil
}

// NoApproval is what a slip of 内部 and 非密 carriers records where an
// approver's decision would be: they are copied, lent, taken out and
// destroyed with a record, without level approvals (R21).
const NoApproval = "无需审批（内部、非密）"

// decide fills dec with the decision of approver a (nil: NoApproval),
// dated on, and writes it with the slip's new state (and any extra
// columns) onto row id of model, which must still be in state pending: a
// slip decided meanwhile is stale.
func (s *Service) decide(tx *gorm.DB, sess *Session, model any, id string, pending, state any, dec *models.Decided,
	a *models.Approver, decision, opinion, on string, extra map[string]any) error {
	now := s.now()
	*dec = models.Decided{Decision: decision, Opinion: opinion, DecidedOn: on, DecidedAt: &now, DecidedBy: sess.FullName}
	cols := map[string]any{"state": state, "decision": decision, "opinion": opinion, "decided_on": on,
		"decided_at": now, "decided_by": sess.FullName}
	if a != nil {
		dec.ApproverID, dec.ApproverName = &a.ID, a.Name
		cols["approver_id"], cols["approver_name"] = a.ID, a.Name
	}
	for k, v := range extra {
		cols[k] = v
	}
	res := tx.Model(model).Where("id = ? AND state = ?", id, pending).Updates(cols)
	if res.Error != nil {
		return fmt.Errorf("record decision %s: %w", id, res.Error)
	}
	if res.RowsAffected != 1 {
		return models.ErrStale
	}
	return nil
}

// pastDay checks a date field that records something done: written
// 年-月-日 and not after today. It returns the day in storage form.
func (s *Service) pastDay(v *models.ValidationError, field, label, value string) string {
	today := s.today()
	value = strings.TrimSpace(value)
	d, err := models.ParseDate(value)
	msg := ""
	switch {
	case value == "":
		msg = fmt.Sprintf("请填写%s，例如 %s", label, today.Format(models.DateLayout))
	case err != nil:
		msg = fmt.Sprintf("%s应写作 年-月-日，例如 %s", label, today.Format(models.DateLayout))
	case d.After(today):
		msg = fmt.Sprintf("%s不能晚于今天（%s）", label, today.Format(models.DateLayout))
	default:
		return d.Format(models.DateLayout)
	}
	v.Fields = append(v.Fields, models.FieldError{Field: field, Msg: msg})
	return ""
}
