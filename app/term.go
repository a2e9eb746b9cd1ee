package app

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// DefaultWarnMonths is how long before a term ends it is listed (R15).
const DefaultWarnMonths = 3

// Field names of a secrecy change's messages.
const (
	FieldChangeCarrier = "ChangeCarrier"
	FieldChangeKind    = "ChangeKind"
	FieldNewLevel      = "NewLevel"
	FieldNewTerm       = "NewTerm"
	FieldReason        = "Reason"
)

// TermDue is a held carrier whose term ends soon or has ended.
type TermDue struct {
	Carrier  models.Carrier
	Expiry   time.Time // the date the term ends
	DaysLeft int       // negative once it has ended
}

func daysBetween(from, to time.Time) int {
	a := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

func heldCarriers(db *gorm.DB) ([]models.Carrier, error) {
	var cs []models.Carrier
	err := db.Where("state IN ?", models.HeldStates).Order("seq").Find(&cs).Error
	return cs, err
}

// ExpiringTerms lists the held carriers whose secrecy term ends within
// withinMonths of today (DefaultWarnMonths when 0) or has already ended,
// the soonest first (R15). Condition terms have no date and are not listed
// here: they are on the yearly review list. Clerk only.
func (s *Service) ExpiringTerms(sess *Session, today time.Time, withinMonths int) (_ []TermDue, err error) {
	defer s.refused(sess, "ExpiringTerms", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	if withinMonths <= 0 {
		withinMonths = DefaultWarnMonths
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	limit := today.AddDate(0, withinMonths, 0)
	cs, err := heldCarriers(s.db)
	if err != nil {
		return nil, err
	}
	var out []TermDue
	for _, c := range cs {
		d, ok := models.TermExpiry(c)
		if !ok || d.After(limit) {
			continue
		}
		out = append(out, TermDue{Carrier: c, Expiry: d, DaysLeft: daysBetween(today, d)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Expiry.Before(out[j].Expiry) })
	return out, nil
}

// ReviewItem is one line of the yearly review list (R15, 保密法 2024 第二十四条).
type ReviewItem struct {
	Carrier         models.Carrier
	Marking         string
	Expiry          time.Time // zero for a condition term
	Known           bool      // false: a condition term
	ExpiryText      string    // yyyy-mm-dd, or 解密条件：…
	ExpiresInYear   bool      // the term ends in the year reviewed
	Expired         bool      // the term ended before the year reviewed
	ConditionReview bool      // a condition term: review whether the condition is met
}

// ReviewList is the yearly review list: every held carrier with its mark,
// its expiry (or 解密条件), and whether it expires in year or has a
// condition to be reviewed; in register order. Clerk only.
func (s *Service) ReviewList(sess *Session, year int) (_ []ReviewItem, err error) {
	defer s.refused(sess, "ReviewList", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	cs, err := heldCarriers(s.db)
	if err != nil {
		return nil, err
	}
	out := make([]ReviewItem, 0, len(cs))
	for _, c := range cs {
		if !c.Level.IsStateSecret() {
			continue // 内部 and 非密 have no secrecy term to review (R21)
		}
		it := ReviewItem{Carrier: c, Marking: c.Marking()}
		it.Expiry, it.Known = models.TermExpiry(c)
		switch {
		case it.Known:
			it.ExpiryText = it.Expiry.Format(models.DateLayout)
			it.ExpiresInYear = it.Expiry.Year() == year
			it.Expired = it.Expiry.Year() < year
		case c.TermKind == models.TermCondition:
			it.ExpiryText = "解密条件：" + c.TermCondition
			it.ConditionReview = true
		default:
			it.ExpiryText = models.TermText(c.Level, c.Term())
		}
		out = append(out, it)
	}
	return out, nil
}

// TermChange is a decided change of a carrier's mark as the clerk records it (R15).
type TermChange struct {
	CarrierID    string
	Version      int // the carrier's version as shown; 0 skips the check
	Kind         models.TermChangeKind
	NewLevel     models.Level // 降密 only
	NewTerm      models.Term  // 降密 (blank: the new level's maximum), 延期, 变更
	DecidedBy    string       // the approver's ID: 解密/变更 authority up to the carrier's level
	AuthorityDoc string       // the deciding authority's document number: required
	Reason       string
	DecidedOn    string // yyyy-mm-dd, the date of the decision
}

// checkNewTerm checks a re-stated term for level l registered on regDate.
func checkNewTerm(l models.Level, t models.Term, start string) (models.Term, error) {
	bad := func(format string, args ...any) error {
		return fieldError(FieldNewTerm, models.ErrBadTermChange, format, args...)
	}
	max := l.MaxTermYears()
	reg, _ := models.ParseDate(start)
	switch t.Kind {
	case models.TermDefault, "":
		return models.Term{Kind: models.TermDefault}, nil
	case models.TermLong:
		if l != models.LevelTopSecret {
			return t, bad("只有绝密可标“长期”")
		}
		return models.Term{Kind: models.TermLong}, nil
	case models.TermMonths:
		if t.Months < 1 || t.Months > 11 {
			return t, bad("按月计的保密期限为 1 至 11 个月；一年及以上请按年计")
		}
		return models.Term{Kind: models.TermMonths, Months: t.Months}, nil
	case models.TermYears:
		if t.Years < 1 || t.Years > max {
			return t, bad("%s的保密期限为 1 至 %d 年（保守国家秘密法），自 %s 起算", l, max, start)
		}
		return models.Term{Kind: models.TermYears, Years: t.Years}, nil
	case models.TermUntil:
		d, err := models.ParseDate(t.Until)
		switch {
		case err != nil:
			return t, bad("解密日期“%s”不是有效日期，请按 2030-06-30 的格式填写", t.Until)
		case !d.After(reg):
			return t, bad("解密日期必须晚于保密期限的起算日 %s", start)
		case d.After(reg.AddDate(max, 0, 0)):
			return t, bad("%s的保密期限最长 %d 年，解密日期不能晚于 %s", l, max, reg.AddDate(max, 0, 0).Format(models.DateLayout))
		}
		return models.Term{Kind: models.TermUntil, Until: d.Format(models.DateLayout)}, nil
	case models.TermCondition:
		c := strings.TrimSpace(t.Condition)
		if c == "" {
			return t, bad("请写明解密条件")
		}
		if utf8.RuneCountInString(c) > models.MaxShortLen*2 {
			return t, bad("解密条件不能超过 %d 个字", models.MaxShortLen*2)
		}
		return models.Term{Kind: models.TermCondition, Condition: c}, nil
	}
	return t, bad("保密期限的形式不明")
}

func termText(l models.Level, t models.Term) string { return models.TermText(l, t) }

// ChangeSecrecy records a decided declassification, downgrade, extension or
// change of term form (R15). The approver must hold 解密/变更 up to the
// carrier's current level (R9); the deciding authority's document is
// required. 解密 makes the carrier 已解密 (terminal); the original and its
// living copies must all be 在库 first (a loan or route is closed by bringing
// the item back). 降密 needs a strictly
// lower level; its term is re-stated (blank: the new level's statutory
// maximum). 延期 and 变更 are decided before the current term ends: after
// it, the carrier must be declassified (or classified anew by the
// authority). An extension ends later than the old term and, like every
// re-stated term, within the level's statutory maximum counted from the
// register date: 保密法 allows longer terms only where a law provides
// (“除另有规定外”), which this register can't verify, so it refuses them.
// A copy can't change on its own (R16): the change is recorded on the
// original and its living copies change with it, each with its history
// line and its row in secrecy_changes, all in one transaction with the audit
// record. Clerk only. It returns the original as changed.
func (s *Service) ChangeSecrecy(sess *Session, in TermChange) (_ models.Carrier, err error) {
	defer s.refused(sess, "ChangeSecrecy", in.CarrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Carrier{}, err
	}
	in.AuthorityDoc = models.NormalizeDocNumber(strings.TrimSpace(in.AuthorityDoc))
	in.Reason = strings.TrimSpace(in.Reason)
	var v models.ValidationError
	if !in.Kind.Valid() {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldChangeKind, Msg: "请选择解密、降密、延期或变更"})
		v.Cause = models.ErrBadTermChange
	}
	if in.AuthorityDoc == "" {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldAuthorityDoc,
			Msg: "请填写作出决定的机关的文件文号；解密、降密、延期和变更须有书面依据"})
		v.Cause = models.ErrChangeNeedsDoc
	}
	if utf8.RuneCountInString(in.Reason) > MaxPurposeLen {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldReason,
			Msg: fmt.Sprintf("理由不能超过 %d 个字", MaxPurposeLen)})
	}
	if len(v.Fields) > 0 {
		return models.Carrier{}, &v
	}
	on, err := s.checkDecisionInput(models.DecisionApprove, "", strings.TrimSpace(in.DecidedOn), in.DecidedBy)
	if err != nil {
		return models.Carrier{}, err
	}
	var out models.Carrier
	err = s.write(func(tx *gorm.DB) error {
		c, err := takeCarrier(tx, in.CarrierID)
		if err != nil {
			return err
		}
		if !c.Level.IsStateSecret() {
			return fieldError(FieldChangeCarrier, models.ErrBadTermChange,
				"%s文件不属于国家秘密，没有密级和保密期限可以变更", c.Level)
		}
		if c.IsCopy {
			return fieldError(FieldChangeCarrier, models.ErrCopyChangesAlone,
				"复制件的密级和保密期限随原件变更，不能单独变更；请对原件登记变更")
		}
		if c.State == models.StateVoided {
			return fieldError(FieldChangeCarrier, models.ErrVoided, "该登记已作废，不能变更")
		}
		if c.State.Terminal() {
			return fieldError(FieldChangeCarrier, models.ErrTerminal, "该载体%s，密级和保密期限不能再变更", c.State)
		}
		if in.Version != 0 && c.Version != in.Version {
			return models.ErrStale
		}
		if on < c.RegDate {
			return fieldError(FieldDecidedOn, models.ErrBackdated,
				"决定日期 %s 早于登记日期 %s，不得倒签", on, c.RegDate)
		}
		a, err := takeApprover(tx, in.DecidedBy, models.ApproveDeclassify, c.Level)
		if err != nil {
			return err
		}
		today := s.today()
		oldExpiry, oldKnown := models.TermExpiry(c)
		expired := oldKnown && !oldExpiry.After(today)
		start, _ := c.TermStart()
		newLevel, newTerm := c.Level, c.Term()
		state := c.State
		var action string
		switch in.Kind {
		case models.ChangeDeclassify:
			action, state, newLevel, newTerm = models.ActionDeclassify, models.StateDeclassified, models.LevelNone, models.Term{}
		case models.ChangeDowngrade:
			action = models.ActionDowngrade
			if expired {
				return expiredError(c, oldExpiry)
			}
			if !in.NewLevel.Valid() || in.NewLevel >= c.Level {
				return fieldError(FieldNewLevel, models.ErrNotLower, "降密须降为低于%s的密级", c.Level)
			}
			newLevel = in.NewLevel
			if newTerm, err = checkNewTerm(newLevel, in.NewTerm, start); err != nil {
				return err
			}
			if d, ok := models.TermExpiryOf(newLevel, newTerm, start); ok && !d.After(today) {
				return fieldError(FieldNewTerm, models.ErrBadTermChange,
					"按新的保密期限，%s 已届满；应登记解密而不是降密", d.Format(models.DateLayout))
			}
		case models.ChangeExtend, models.ChangeTermForm:
			action = models.ActionExtend
			if in.Kind == models.ChangeTermForm {
				action = models.ActionTermChange
			}
			if expired {
				return expiredError(c, oldExpiry)
			}
			if newTerm, err = checkNewTerm(c.Level, in.NewTerm, start); err != nil {
				return err
			}
			d, ok := models.TermExpiryOf(c.Level, newTerm, start)
			if in.Kind == models.ChangeExtend {
				switch {
				case !oldKnown:
					return fieldError(FieldNewTerm, models.ErrBadTermChange,
						"原保密期限为解密条件，没有届满日期，不能延期；请登记“变更”")
				case !ok:
					return fieldError(FieldNewTerm, models.ErrBadTermChange, "延期须写明新的保密年限或解密日期")
				case !d.After(oldExpiry):
					return fieldError(FieldNewTerm, models.ErrBadTermChange,
						"延期后的届满日期 %s 须晚于原届满日期 %s", d.Format(models.DateLayout), oldExpiry.Format(models.DateLayout))
				}
			} else {
				if newTerm == c.Term() {
					return fieldError(FieldNewTerm, models.ErrBadTermChange, "新的保密期限与原来相同")
				}
				if ok && !d.After(today) {
					return fieldError(FieldNewTerm, models.ErrBadTermChange,
						"按新的保密期限，%s 已届满；应登记解密", d.Format(models.DateLayout))
				}
			}
		}
		targets := []models.Carrier{c}
		var copies []models.Carrier
		if err := tx.Where("original_id = ? AND is_copy AND state IN ?", c.ID, models.HeldStates).
			Order("copy_no, seq").Find(&copies).Error; err != nil {
			return fmt.Errorf("copies of %s: %w", c.RegNo, err)
		}
		targets = append(targets, copies...)
		if in.Kind == models.ChangeDeclassify {
			// 已解密 replaces the state: a carrier lent out or in circulation
			// comes back first, so that its loan or route is closed properly.
			for _, t := range targets {
				if t.State != models.StateInStore {
					return fieldError(FieldChangeCarrier, models.ErrNotInStore,
						"%s 当前%s；解密前须收回在库（原件和复制件一并解密）", t.RegNo, t.State)
				}
				if err := refuseIfOnSlip(tx, FieldChangeCarrier, &t, "解密"); err != nil {
					return err
				}
			}
		}
		now := s.now()
		group := uuid.NewString()
		newMark := models.StateDeclassified.String()
		if newLevel != models.LevelNone {
			newMark = models.Marking(newLevel, newTerm)
		}
		basis := fmt.Sprintf("依据 %s，审批人 %s %s", in.AuthorityDoc, a.Name, on)
		if in.Reason != "" {
			basis += "；" + in.Reason
		}
		for i, t := range targets {
			oldMark := t.Marking()
			upd := map[string]any{"state": state, "version": t.Version + 1, "updated_at": now}
			if newLevel != models.LevelNone {
				upd["level"], upd["term_kind"], upd["term_years"] = newLevel, newTerm.Kind, newTerm.Years
				upd["term_months"] = newTerm.Months
				upd["term_until"], upd["term_condition"] = newTerm.Until, newTerm.Condition
			}
			res := tx.Model(&models.Carrier{}).Where("id = ? AND version = ?", t.ID, t.Version).Updates(upd)
			if res.Error != nil {
				return fmt.Errorf("change %s: %w", t.RegNo, res.Error)
			}
			if res.RowsAffected != 1 {
				return models.ErrStale
			}
			row := models.SecrecyChange{ID: uuid.NewString(), GroupID: group, CarrierID: t.ID, Kind: in.Kind,
				OldLevel: t.Level, OldTermKind: t.TermKind, OldTermYears: t.TermYears, OldTermMonths: t.TermMonths, OldTermUntil: t.TermUntil,
				OldTermCond: t.TermCondition, OldMarking: oldMark, NewLevel: newLevel, NewTermKind: newTerm.Kind,
				NewTermYears: newTerm.Years, NewTermMonths: newTerm.Months, NewTermUntil: newTerm.Until, NewTermCond: newTerm.Condition,
				NewMarking: newMark, ApproverID: a.ID, ApproverName: a.Name, AuthorityDoc: in.AuthorityDoc,
				Reason: in.Reason, DecidedOn: on, RecordedAt: now, RecordedBy: sess.FullName}
			if err := tx.Create(&row).Error; err != nil {
				return fmt.Errorf("record secrecy change of %s: %w", t.RegNo, err)
			}
			reason := basis
			if i > 0 {
				reason = fmt.Sprintf("随原件 %s %s；%s", c.RegNo, in.Kind, basis)
			}
			ord := 0
			if newLevel != t.Level {
				newLv := newLevel.String()
				if newLevel == models.LevelNone {
					newLv = models.StateDeclassified.String()
				}
				if err := addEvent(tx, now, sess, t.ID, ord, action, models.FieldLabels[models.FieldLevel],
					t.Level.String(), newLv, reason); err != nil {
					return err
				}
				ord++
			}
			newT := "—"
			if newLevel != models.LevelNone {
				newT = termText(newLevel, newTerm)
			}
			if newT != termText(t.Level, t.Term()) {
				if err := addEvent(tx, now, sess, t.ID, ord, action, models.FieldLabels[models.FieldTerm],
					termText(t.Level, t.Term()), newT, reason); err != nil {
					return err
				}
			}
			detail := fmt.Sprintf("%s %s → %s %s", in.Kind, oldMark, newMark, basis)
			if i > 0 {
				detail = fmt.Sprintf("复制件随原件 %s %s", c.RegNo, detail)
			}
			if err := s.audit(tx, sess, models.EventSecrecyChange, t.RegNo, true, detail); err != nil {
				return err
			}
		}
		out, err = takeCarrier(tx, c.ID)
		return err
	})
	if err != nil {
		return models.Carrier{}, err
	}
	return out, nil
}

func expiredError(c models.Carrier, expiry time.Time) error {
	return fieldError(FieldChangeKind, models.ErrTermExpired,
		"%s 的保密期限已于 %s 届满，不能再延期或变更；应登记解密，或由定密机关重新定密",
		c.RegNo, expiry.Format(models.DateLayout))
}

// SecrecyChanges lists the recorded mark changes of a carrier, oldest first.
func (s *Service) SecrecyChanges(sess *Session, carrierID string) (_ []models.SecrecyChange, err error) {
	defer s.refused(sess, "SecrecyChanges", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.SecrecyChange
	err = s.db.Where("carrier_id = ?", carrierID).Order("recorded_at, id").Find(&out).Error
	return out, err
}
