package app

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// ChangeBasis is on what a change of a carrier's mark rests (R20).
type ChangeBasis string

const (
	// BasisDecision: the office's own documents (发文/自产), decided by its
	// 定密责任人 (an approver holding 解密/变更 up to the carrier's level).
	BasisDecision ChangeBasis = "decision"
	// BasisNotice: the written notice of the originating authority or its
	// superior: the only basis for changing a received document.
	BasisNotice ChangeBasis = "notice"
	// BasisExpired: 自行解密, the term has run out (a duration or a date
	// reached, or a condition met); no document to invent.
	BasisExpired ChangeBasis = "expired"
)

// Field names of a secrecy change's messages, besides those of term.go.
const (
	FieldChangeBasis = "ChangeBasis"
	FieldAuthority   = "Authority"
	FieldNoExtension = "NoExtension"
)

// TermChange is a change of a carrier's mark as the clerk records it (R15, R20).
type TermChange struct {
	CarrierID    string
	Version      int // the carrier's version as shown; 0 skips the check
	Kind         models.TermChangeKind
	Basis        ChangeBasis  // "": a decision
	NewLevel     models.Level // 降密 only
	NewTerm      models.Term  // 降密 (blank: the new level's maximum), 延期, 变更
	DecidedBy    string       // a decision: the approver's ID (解密/变更 up to the carrier's level)
	Authority    string       // a notice: the authority that sent it (原定密机关 or its superior)
	AuthorityDoc string       // a decision or a notice: the document's 文号
	Reason       string       // for a condition met: how the office learned it
	DecidedOn    string       // yyyy-mm-dd: the decision's or the notice's date; 自行解密: the day the term ran out or the condition was met
	NoExtension  bool         // 自行解密: the clerk checked that no extension notice came
}

// changePlan is what a change does to one carrier and its copies, worked
// out from the carrier and the checked input alone.
type changePlan struct {
	action   string
	state    models.State
	level    models.Level // LevelNone: declassified
	term     models.Term
	newMark  string
	declass  bool
	approver bool // an approver decides it (BasisDecision)
}

// checkChangeInput applies the rules that need neither the database nor
// the carrier: a known kind and basis, the document, authority and reason
// each basis needs, the date.
func (s *Service) checkChangeInput(in TermChange) (TermChange, string, error) {
	in.AuthorityDoc = models.NormalizeDocNumber(strings.TrimSpace(in.AuthorityDoc))
	in.Authority = strings.TrimSpace(in.Authority)
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Basis == "" {
		in.Basis = BasisDecision
	}
	var v models.ValidationError
	add := func(field, msg string, cause error) {
		v.Fields = append(v.Fields, models.FieldError{Field: field, Msg: msg})
		if cause != nil {
			v.Cause = cause
		}
	}
	if !in.Kind.Valid() {
		add(FieldChangeKind, "请选择解密、降密、延期或变更", models.ErrBadTermChange)
	}
	switch in.Basis {
	case BasisDecision, BasisNotice:
		if in.AuthorityDoc == "" {
			add(FieldAuthorityDoc, "请填写决定或通知的文号；解密、降密、延期和变更须有书面依据", models.ErrChangeNeedsDoc)
		}
		if in.Basis == BasisNotice && in.Authority == "" {
			add(FieldAuthority, "请填写发出通知的机关（原定密机关或其上级机关）", models.ErrChangeNeedsDoc)
		}
	case BasisExpired:
		if in.Kind != models.ChangeDeclassify {
			add(FieldChangeBasis, "保密期限届满只能自行解密；降密、延期和变更须有决定或通知", models.ErrBadTermChange)
		}
		if !in.NoExtension {
			add(FieldNoExtension, "自行解密前须核实未收到延期通知，核实后请勾选", models.ErrBadTermChange)
		}
	default:
		add(FieldChangeBasis, "请选择变更的依据", models.ErrBadTermChange)
	}
	checkLen := func(field, label, text string, max int) {
		if utf8.RuneCountInString(text) > max {
			add(field, fmt.Sprintf("%s不能超过 %d 个字", label, max), nil)
		}
	}
	checkLen(FieldReason, "理由", in.Reason, MaxPurposeLen)
	checkLen(FieldAuthority, "机关名称", in.Authority, models.MaxShortLen)
	if len(v.Fields) > 0 {
		return in, "", &v
	}
	approver := in.DecidedBy
	if in.Basis != BasisDecision {
		approver = "-" // none is chosen: the notice or the term itself decides
	}
	on, err := s.checkDecisionInput(models.DecisionApprove, "", strings.TrimSpace(in.DecidedOn), approver)
	return in, on, err
}

// planChange works out a change of c recorded on the day on, as of today
// (R15, R16, R20, R21). It reads nothing but its arguments.
func planChange(c models.Carrier, in TermChange, on string, today time.Time) (changePlan, error) {
	p := changePlan{state: c.State, level: c.Level, term: c.Term(), approver: in.Basis == BasisDecision}
	switch {
	case !c.Level.IsStateSecret():
		return p, fieldError(FieldChangeCarrier, models.ErrBadTermChange,
			"%s文件不属于国家秘密，没有密级和保密期限可以变更", c.Level)
	case c.IsCopy:
		return p, fieldError(FieldChangeCarrier, models.ErrCopyChangesAlone,
			"复制件的密级和保密期限随原件变更，不能单独变更；请对原件登记变更")
	case c.State == models.StateVoided:
		return p, fieldError(FieldChangeCarrier, models.ErrVoided, "该登记已作废，不能变更")
	case c.State.Terminal():
		return p, fieldError(FieldChangeCarrier, models.ErrTerminal, "该载体%s，密级和保密期限不能再变更", c.State)
	case in.Version != 0 && c.Version != in.Version:
		return p, models.ErrStale
	case in.Basis == BasisDecision && c.Direction == models.DirIncoming:
		return p, fieldError(FieldChangeBasis, models.ErrBadTermChange,
			"收文的密级和保密期限只能依据原定密机关或其上级机关的书面通知变更，本机关不能决定；请选择“依据通知”")
	}
	if on < c.RegDate && in.Basis != BasisExpired {
		return p, fieldError(FieldDecidedOn, models.ErrBackdated, "决定日期 %s 早于登记日期 %s，不得倒签", on, c.RegDate)
	}
	start, _ := c.TermStart()
	oldExpiry, oldKnown := models.TermExpiry(c)
	expired := oldKnown && !oldExpiry.After(today)
	if in.Basis == BasisExpired {
		switch {
		case c.TermKind == models.TermLong:
			return p, fieldError(FieldChangeBasis, models.ErrBadTermChange, "“长期”的保密期限不会自行届满，解密须有决定或通知")
		case c.TermKind == models.TermCondition:
			if in.Reason == "" {
				return p, fieldError(FieldReason, models.ErrBadTermChange,
					"请写明解密条件“%s”何时、如何达成，本机关从何得知", c.TermCondition)
			}
			if on < start {
				return p, fieldError(FieldDecidedOn, models.ErrBadTermChange, "条件达成的日期不能早于保密期限的起算日 %s", start)
			}
		case !expired:
			return p, fieldError(FieldChangeBasis, models.ErrBadTermChange,
				"保密期限到 %s 才届满，不能自行解密；提前解密须有决定或通知", oldExpiry.Format(models.DateLayout))
		case on != oldExpiry.Format(models.DateLayout):
			return p, fieldError(FieldDecidedOn, models.ErrBadTermChange,
				"自行解密的日期是保密期限届满之日 %s", oldExpiry.Format(models.DateLayout))
		}
	}
	var err error
	switch in.Kind {
	case models.ChangeDeclassify:
		p.action, p.state, p.level, p.term, p.declass = models.ActionDeclassify, models.StateDeclassified, models.LevelNone, models.Term{}, true
	case models.ChangeDowngrade:
		p.action = models.ActionDowngrade
		if expired {
			return p, expiredError(c, oldExpiry)
		}
		if !in.NewLevel.Valid() || in.NewLevel >= c.Level {
			return p, fieldError(FieldNewLevel, models.ErrNotLower, "降密须降为低于%s的密级", c.Level)
		}
		p.level = in.NewLevel
		if p.term, err = checkNewTerm(p.level, in.NewTerm, start); err != nil {
			return p, err
		}
		if d, ok := models.TermExpiryOf(p.level, p.term, start); ok && !d.After(today) {
			return p, fieldError(FieldNewTerm, models.ErrBadTermChange,
				"按新的保密期限，%s 已届满；应登记解密而不是降密", d.Format(models.DateLayout))
		}
	case models.ChangeExtend, models.ChangeTermForm:
		p.action = models.ActionExtend
		if in.Kind == models.ChangeTermForm {
			p.action = models.ActionTermChange
		}
		if expired {
			return p, expiredError(c, oldExpiry)
		}
		if p.term, err = checkNewTerm(c.Level, in.NewTerm, start); err != nil {
			return p, err
		}
		if err := checkRestated(c, in.Kind, p.term, start, oldExpiry, oldKnown, today); err != nil {
			return p, err
		}
	}
	p.newMark = models.StateDeclassified.String()
	if !p.declass {
		p.newMark = models.Marking(p.level, p.term)
	}
	return p, nil
}

// checkRestated checks a term re-stated by 延期 or 变更: an extension ends
// later than the old term; a changed form differs and has not run out.
func checkRestated(c models.Carrier, kind models.TermChangeKind, term models.Term, start string,
	oldExpiry time.Time, oldKnown bool, today time.Time) error {
	d, ok := models.TermExpiryOf(c.Level, term, start)
	if kind == models.ChangeExtend {
		switch {
		case !oldKnown:
			return fieldError(FieldNewTerm, models.ErrBadTermChange,
				"原保密期限没有届满日期（解密条件或长期），不能延期；请登记“变更”")
		case !ok:
			return fieldError(FieldNewTerm, models.ErrBadTermChange, "延期须写明新的保密年限、月数或解密日期")
		case !d.After(oldExpiry):
			return fieldError(FieldNewTerm, models.ErrBadTermChange,
				"延期后的届满日期 %s 须晚于原届满日期 %s", d.Format(models.DateLayout), oldExpiry.Format(models.DateLayout))
		}
		return nil
	}
	if term == c.Term() {
		return fieldError(FieldNewTerm, models.ErrBadTermChange, "新的保密期限与原来相同")
	}
	if ok && !d.After(today) {
		return fieldError(FieldNewTerm, models.ErrBadTermChange, "按新的保密期限，%s 已届满；应登记解密", d.Format(models.DateLayout))
	}
	return nil
}

// ChangeSecrecy records a change of a carrier's mark: a declassification,
// downgrade, extension or change of term form (R15, R20). It rests on one
// of three bases: the decision of the office's 定密责任人 for its own
// documents (an approver holding 解密/变更 up to the carrier's level, with
// the decision's 文号); the written notice of the originating authority or
// its superior (which one, its 文号 and date), the only basis for a received
// document; or, for a declassification only, the term itself having run out
// (自行解密: on the day it ended, or for a condition, the day it was met and
// how the office learned it; the clerk confirms no extension notice came).
// 解密 makes the carrier 已解密 (terminal); the original and its living
// copies must all be 在库 first. 降密 needs a strictly lower level; 延期 and
// 变更 come before the current term ends, an extension ending later, every
// re-stated term within the level's statutory maximum counted from the
// term's start (保密法 allows longer terms only where a law provides, which
// this register can't verify). A copy can't change on its own (R16): its
// original's change carries it, each with its history line and its row in
// secrecy_changes, in one transaction with the audit record. Clerk only. It
// returns the original as changed.
func (s *Service) ChangeSecrecy(sess *Session, in TermChange) (_ models.Carrier, err error) {
	defer s.refused(sess, "ChangeSecrecy", in.CarrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Carrier{}, err
	}
	in, on, err := s.checkChangeInput(in)
	if err != nil {
		return models.Carrier{}, err
	}
	var out models.Carrier
	err = s.write(func(tx *gorm.DB) error {
		c, err := takeCarrier(tx, in.CarrierID)
		if err != nil {
			return err
		}
		p, err := planChange(c, in, on, s.today())
		if err != nil {
			return err
		}
		var a *models.Approver
		if p.approver {
			ap, err := takeApprover(tx, in.DecidedBy, models.ApproveDeclassify, c.Level)
			if err != nil {
				return err
			}
			a = &ap
		}
		targets, err := changeTargets(tx, c, p.declass)
		if err != nil {
			return err
		}
		if err := s.applyChange(tx, sess, in, on, p, a, targets); err != nil {
			return err
		}
		out, err = takeCarrier(tx, c.ID)
		return err
	})
	if err != nil {
		return models.Carrier{}, err
	}
	return out, nil
}

// changeTargets are c and its living copies (R16); to be declassified they
// must all be 在库 and on no open slip.
func changeTargets(tx *gorm.DB, c models.Carrier, declass bool) ([]models.Carrier, error) {
	targets := []models.Carrier{c}
	var copies []models.Carrier
	if err := tx.Where("original_id = ? AND is_copy AND state IN ?", c.ID, models.HeldStates).
		Order("copy_no, seq").Find(&copies).Error; err != nil {
		return nil, fmt.Errorf("copies of %s: %w", c.RegNo, err)
	}
	targets = append(targets, copies...)
	if !declass {
		return targets, nil
	}
	// 已解密 replaces the state: a carrier lent out or in circulation comes
	// back first, so that its loan or route is closed properly.
	for _, t := range targets {
		if t.State != models.StateInStore {
			return nil, fieldError(FieldChangeCarrier, models.ErrNotInStore,
				"%s 当前%s；解密前须收回在库（原件和复制件一并解密）", t.RegNo, t.State)
		}
		if err := refuseIfOnSlip(tx, FieldChangeCarrier, &t, "解密"); err != nil {
			return nil, err
		}
	}
	return targets, nil
}

// basisWords says on what a change rests, for history and audit.
func basisWords(in TermChange, on string, a *models.Approver) string {
	var w string
	switch {
	case in.Basis == BasisExpired:
		w = "保密期限届满自行解密（" + on + "），已核实未收到延期通知"
	case in.Basis == BasisNotice:
		w = fmt.Sprintf("依据 %s 通知 %s（%s）", in.Authority, in.AuthorityDoc, on)
	case a != nil:
		w = fmt.Sprintf("依据 %s，定密责任人 %s %s", in.AuthorityDoc, a.Name, on)
	}
	if in.Reason != "" {
		w += "；" + in.Reason
	}
	return w
}

// applyChange writes the plan onto every target: its new mark or state, a
// row in secrecy_changes, its history lines and an audit record.
func (s *Service) applyChange(tx *gorm.DB, sess *Session, in TermChange, on string, p changePlan,
	a *models.Approver, targets []models.Carrier) error {
	now := s.now()
	group := uuid.NewString()
	basis := basisWords(in, on, a)
	orig := targets[0]
	who, whoID := in.Authority, (*string)(nil)
	switch {
	case a != nil:
		who, whoID = a.Name, &a.ID
	case in.Basis == BasisExpired:
		who = "保密期限届满"
	}
	for i, t := range targets {
		oldMark := t.Marking()
		upd := map[string]any{"state": p.state, "version": t.Version + 1, "updated_at": now}
		if !p.declass {
			upd["level"], upd["term_kind"], upd["term_years"] = p.level, p.term.Kind, p.term.Years
			upd["term_months"], upd["term_until"], upd["term_condition"] = p.term.Months, p.term.Until, p.term.Condition
		}
		res := tx.Model(&models.Carrier{}).Where("id = ? AND version = ?", t.ID, t.Version).Updates(upd)
		if res.Error != nil {
			return fmt.Errorf("change %s: %w", t.RegNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		row := models.SecrecyChange{ID: uuid.NewString(), GroupID: group, CarrierID: t.ID, Kind: in.Kind,
			Basis: string(in.Basis), Authority: in.Authority,
			OldLevel: t.Level, OldTermKind: t.TermKind, OldTermYears: t.TermYears, OldTermMonths: t.TermMonths,
			OldTermUntil: t.TermUntil, OldTermCond: t.TermCondition, OldMarking: oldMark,
			NewLevel: p.level, NewTermKind: p.term.Kind, NewTermYears: p.term.Years, NewTermMonths: p.term.Months,
			NewTermUntil: p.term.Until, NewTermCond: p.term.Condition, NewMarking: p.newMark,
			ApproverID: whoID, ApproverName: who, AuthorityDoc: in.AuthorityDoc,
			Reason: in.Reason, DecidedOn: on, RecordedAt: now, RecordedBy: sess.FullName}
		if err := tx.Create(&row).Error; err != nil {
			return fmt.Errorf("record secrecy change of %s: %w", t.RegNo, err)
		}
		reason := basis
		if i > 0 {
			reason = fmt.Sprintf("随原件 %s %s；%s", orig.RegNo, in.Kind, basis)
		}
		if err := changeEvents(tx, now, sess, t, p, reason); err != nil {
			return err
		}
		detail := fmt.Sprintf("%s %s → %s %s", in.Kind, oldMark, p.newMark, basis)
		if i > 0 {
			detail = fmt.Sprintf("复制件随原件 %s %s", orig.RegNo, detail)
		}
		if err := s.audit(tx, sess, models.EventSecrecyChange, t.RegNo, true, detail); err != nil {
			return err
		}
	}
	return nil
}

// changeEvents writes a carrier's history lines of a change: its level,
// then its term, each when it changed.
func changeEvents(tx *gorm.DB, now time.Time, sess *Session, t models.Carrier, p changePlan, reason string) error {
	ord := 0
	if p.level != t.Level {
		newLv := p.level.String()
		if p.declass {
			newLv = models.StateDeclassified.String()
		}
		if err := addEvent(tx, now, sess, t.ID, ord, p.action, models.FieldLabels[models.FieldLevel],
			t.Level.String(), newLv, reason); err != nil {
			return err
		}
		ord++
	}
	newT := "—"
	if !p.declass {
		newT = models.TermText(p.level, p.term)
	}
	if old := models.TermText(t.Level, t.Term()); newT != old {
		return addEvent(tx, now, sess, t.ID, ord, p.action, models.FieldLabels[models.FieldTerm], old, newT, reason)
	}
	return nil
}

func expiredError(c models.Carrier, expiry time.Time) error {
	return fieldError(FieldChangeKind, models.ErrTermExpired,
		"%s 的保密期限已于 %s 届满，不能再延期或变更；应登记解密，或由定密机关重新定密",
		c.RegNo, expiry.Format(models.DateLayout))
}

// checkNewTerm checks a re-stated term for level l counted from start.
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
