package app

import (
	"fmt"
	"strings"

	"secdoc/models"
	"secdoc/reports"
)

// Fields of the marking a list or book is printed with.
const (
	FieldMarking    = "Marking"
	FieldClassifier = "Classifier"
)

// listMark is the default marking of a printed list or book (R16, R26):
// the highest level among its carriers and, for a 国家秘密, the longest
// term as the 汇编 rule gives it (长期 when one is; else the latest expiry;
// conditions kept). "" when the list names no carrier; 内部 or 非密 when no
// carrier is a 国家秘密. The clerk confirms or lowers it in the print dialog.
func listMark(cs []models.Carrier) string {
	if len(cs) == 0 {
		return ""
	}
	l, t := models.CombinedMark(cs)
	return models.Marking(l, t)
}

// confirmMarking checks the marking the clerk confirmed for a list or book
// (R26: printing one is a 派生定密): a level that can be read and, for a
// 国家秘密, a term (never a level with no term), decided by a 定密责任人
// whose level covers it. opt.Marking is rewritten as the law writes it. It
// returns what the audit records: the marking and who decided it, or that
// the default was printed. Forms about one carrier keep their own marking.
func (s *Service) confirmMarking(job printJob, opt *reports.Options) (string, error) {
	if job.out.Marking == "" && !job.list {
		if opt.Marking != "" {
			return "", fieldError(FieldMarking, models.ErrBadMarking, "该表单按所涉载体标志密级，不能另行确定")
		}
		return "", nil
	}
	if strings.TrimSpace(opt.Marking) == "" {
		if job.out.Marking == "" {
			return "", nil
		}
		if strings.TrimSpace(opt.Classifier) == "" {
			return fmt.Sprintf("，标志 %s（默认）", job.out.Marking), nil
		}
		opt.Marking = job.out.Marking // the default, confirmed by the 定密责任人 named
	}
	level, term, hasTerm, ok := models.ParseMarking(opt.Marking)
	switch {
	case !ok:
		return "", fieldError(FieldMarking, models.ErrBadMarking,
			"密级标志“%s”无法识别，请写成 机密★10年、秘密★2030年6月30日、内部 或 非密 这样的形式", opt.Marking)
	case level.IsStateSecret() && (!hasTerm || term.Kind == models.TermDefault):
		return "", fieldError(FieldMarking, models.ErrBadMarking,
			"%s级的清单、登记簿须同时标明保密期限，例如 %s★10年", level, level)
	}
	opt.Marking = models.Marking(level, term)
	if !level.IsStateSecret() && opt.Marking == job.out.Marking {
		return fmt.Sprintf("，标志 %s（默认）", opt.Marking), nil
	}
	// A 国家秘密 marking, or one other than the default (lowered, say), is a
	// 定密 decision: its 定密责任人 must cover the higher of the two levels.
	need := level
	if dl, _, _, _ := models.ParseMarking(job.out.Marking); dl > need {
		need = dl
	}
	name := strings.TrimSpace(opt.Classifier)
	if name == "" {
		if opt.Marking == job.out.Marking {
			return "", fieldError(FieldClassifier, models.ErrBadMarking, "标志“%s”须写明作出该定密决定的定密责任人", opt.Marking)
		}
		return "", fieldError(FieldClassifier, models.ErrBadMarking,
			"标志“%s”（默认为“%s”）须写明作出该决定的定密责任人", opt.Marking, orNone(job.out.Marking))
	}
	var approvers []models.Approver
	if err := s.db.Where("name = ? AND active", name).Find(&approvers).Error; err != nil {
		return "", err
	}
	why := "不在审批人名单中，或已停用"
	for i := range approvers {
		if why = approvers[i].CannotDecide(models.ApproveClassify, need); why == "" {
			return fmt.Sprintf("，标志 %s（默认 %s；定密责任人 %s 确定）", opt.Marking, orNone(job.out.Marking), name), nil
		}
	}
	return "", fieldError(FieldClassifier, models.ErrBadMarking, "定密责任人%s%s", name, why)
}

func orNone(s string) string {
	if s == "" {
		return "无"
	}
	return s
}

// IsList reports whether the form is a list or book whose marking the
// clerk confirms when printing (R26).
func (k FormKind) IsList() bool {
	switch k {
	case FormRegister, FormDestruction, FormReturn, FormHandover, FormInspection, FormReview:
		return true
	}
	return false
}

// DefaultMarking is the marking a list or book prints with unless the
// clerk decides otherwise (R16, R26): form and id name a list as Print
// takes them; for the register, q is the selection. "" for a form that is
// not a list.
func (s *Service) DefaultMarking(sess *Session, form FormKind, id string, q Query) (_ string, err error) {
	defer s.refused(sess, "DefaultMarking", id, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return "", err
	}
	if form == AnnualForm.Kind {
		return AnnualMarking, nil
	}
	if form == FormBook { // id is the book's kind, q the period
		b, _, _, err := s.book(sess, BookKind(id), q.From, q.To)
		return b.Marking, err
	}
	if !form.IsList() {
		return "", nil
	}
	if form != FormRegister {
		job, err := s.formJob(sess, form, id)
		return job.out.Marking, err
	}
	if err := checkPeriod(q.From, q.To); err != nil {
		return "", err
	}
	from, where, args, _ := q.sqlParts()
	var top *int
	if err := s.db.Raw(`SELECT max(c.level) FROM `+from+where, args...).Scan(&top).Error; err != nil || top == nil {
		return "", err
	}
	and := " WHERE "
	if where != "" {
		and = where + " AND "
	}
	var cs []models.Carrier
	err = s.db.Raw(`SELECT c.* FROM `+from+and+`c.level = ? LIMIT ?`, append(args, *top, MaxRegisterRows)...).Scan(&cs).Error
	return listMark(cs), err
}
