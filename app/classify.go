package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// Field names of a 定密 record's messages.
const (
	FieldClassCarrier = "ClassCarrier"
	FieldClassKind    = "ClassKind"
	FieldClassLevel   = "ClassLevel"
	FieldClassTerm    = "ClassTerm"
	FieldBasis        = "Basis"
	FieldUndertaker   = "Undertaker"
	FieldSigner       = "Signer"
)

// ClassifyInput is the 定密 the clerk proposes for the 承办人 of one of the
// office's own documents (R24).
type ClassifyInput struct {
	CarrierID  string // any copy of the registration
	Kind       models.ClassKind
	Level      models.Level
	Term       models.Term // explicit: never blank
	NeedToKnow string
	Basis      string // 原始: the 保密事项范围 entry; 派生: the source document (文号, level, term)
	KeyPoints  string // 密点, optional
	Undertaker string // 承办人
}

// ClassDecision is the 定密责任人's approval of a proposal, as proposed or
// changed (R24).
type ClassDecision struct {
	ClassID     string
	AuthorityID string       // an approver holding 定密 up to the level decided
	Level       models.Level // LevelNone: as proposed
	Term        models.Term  // Kind "": as proposed
	Signer      string       // 签发人
	DecidedOn   string
}

func classSlipNo(year int, n int64) string { return fmt.Sprintf("定〔%d〕%04d", year, n) }

// ProposeClassification records the 定密 proposed for an outgoing
// document of 国家秘密 (R24): 原始 or 派生, the level, an explicit term,
// the 知悉范围, the basis, the 承办人. One per registration; 内部 and 非密
// skip it. Clerk only.
func (s *Service) ProposeClassification(sess *Session, in ClassifyInput) (_ models.Classification, err error) {
	defer s.refused(sess, "ProposeClassification", in.CarrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Classification{}, err
	}
	in.NeedToKnow, in.Basis = strings.TrimSpace(in.NeedToKnow), strings.TrimSpace(in.Basis)
	in.KeyPoints, in.Undertaker = strings.TrimSpace(in.KeyPoints), strings.TrimSpace(in.Undertaker)
	var v models.ValidationError
	add := func(field, format string, args ...any) {
		v.Fields = append(v.Fields, models.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	if in.Kind != models.ClassOriginal && in.Kind != models.ClassDerived {
		add(FieldClassKind, "请选择原始定密或派生定密")
	}
	if !in.Level.Valid() {
		add(FieldClassLevel, "请选择密级（绝密、机密或秘密）")
	}
	if in.Term.Kind == models.TermDefault || in.Term.Kind == "" {
		add(FieldClassTerm, "定密须明确保密期限（年限、月数、日期、解密条件或长期），不能空着")
	}
	for _, f := range []struct{ key, label, text string }{{FieldNeedToKnow, "知悉范围", in.NeedToKnow},
		{FieldBasis, "定密依据", in.Basis}, {FieldUndertaker, "承办人", in.Undertaker}} {
		if f.text == "" {
			add(f.key, "请填写%s", f.label)
		} else if utf8.RuneCountInString(f.text) > models.MaxShortLen*2 {
			add(f.key, "%s最多 %d 个字", f.label, models.MaxShortLen*2)
		}
	}
	if utf8.RuneCountInString(in.KeyPoints) > MaxPurposeLen {
		add(FieldBasis, "密点最多 %d 个字", MaxPurposeLen)
	}
	if len(v.Fields) > 0 {
		v.Cause = models.ErrBadClassification
		return models.Classification{}, &v
	}
	var out models.Classification
	err = s.write(func(tx *gorm.DB) error {
		c, err := takeCarrier(tx, in.CarrierID)
		if err != nil {
			return err
		}
		switch {
		case c.Direction != models.DirOutgoing:
			return fieldError(FieldClassCarrier, models.ErrBadClassification, "收文由来文机关定密；本机关只为自己制发的文件定密")
		case !c.Level.IsStateSecret():
			return fieldError(FieldClassCarrier, models.ErrBadClassification, "%s文件不属于国家秘密，不需定密", c.Level)
		case !c.State.Held():
			return fieldError(FieldClassCarrier, models.ErrTerminal, "该载体%s，不能再定密", c.State)
		}
		var n int64
		if err := tx.Model(&models.Classification{}).Where("batch_id = ?", c.BatchID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fieldError(FieldClassCarrier, models.ErrBadClassification, "%s 已有定密记录", c.RegNo)
		}
		start, _ := c.TermStart()
		term, err := checkNewTerm(in.Level, in.Term, start)
		if err != nil {
			return reField(err, FieldNewTerm, FieldClassTerm)
		}
		today := s.today()
		seq, err := nextCounter(tx, fmt.Sprintf("classify:%d", today.Year()))
		if err != nil {
			return err
		}
		out = models.Classification{ID: uuid.NewString(), SlipNo: classSlipNo(today.Year(), seq), BatchID: c.BatchID,
			CarrierID: c.ID, Kind: in.Kind, Level: in.Level, TermKind: term.Kind, TermYears: term.Years,
			TermMonths: term.Months, TermUntil: term.Until, TermCond: term.Condition, NeedToKnow: in.NeedToKnow,
			Basis: in.Basis, KeyPoints: in.KeyPoints, Undertaker: in.Undertaker,
			ProposedOn: today.Format(models.DateLayout), ProposedAt: s.now(), ProposedBy: sess.FullName,
			State: models.ClassProposed}
		if err := tx.Create(&out).Error; err != nil {
			return fmt.Errorf("insert classification: %w", err)
		}
		return s.audit(tx, sess, models.EventClassify, out.SlipNo, true,
			fmt.Sprintf("%s 提出%s定密 %s 知悉范围：%s 依据：%s 承办人：%s", c.RegNo, in.Kind,
				models.Marking(in.Level, term), in.NeedToKnow, in.Basis, in.Undertaker))
	})
	if err != nil {
		return models.Classification{}, err
	}
	return out, nil
}

func takeClassification(tx *gorm.DB, id string) (models.Classification, error) {
	var k models.Classification
	err := tx.Where("id = ?", id).Take(&k).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return k, fmt.Errorf("classification %s: %w", id, models.ErrNotFound)
	}
	return k, err
}

// overridden is the level and term of a 定密 record as a decision leaves
// them: each as recorded unless the decision gives another (LevelNone, a
// term of Kind "": as recorded).
func overridden(k *models.Classification, l models.Level, t models.Term) (models.Level, models.Term) {
	level, term := k.Level, k.Term()
	if l != models.LevelNone {
		level = l
	}
	if t.Kind != "" {
		term = t
	}
	return level, term
}

// reField moves a validation message from one field to another.
func reField(err error, from, to string) error {
	var v *models.ValidationError
	if !errors.As(err, &v) {
		return err
	}
	out := *v
	out.Fields = make([]models.FieldError, len(v.Fields))
	for i, f := range v.Fields {
		if f.Field == from {
			f.Field = to
		}
		out.Fields[i] = f
	}
	return &out
}

// originalClassLevel is the highest level the office may fix by 原始定密
// itself (a setting of the security officer); LevelNone when it has none.
func originalClassLevel(tx *gorm.DB) models.Level {
	var v string
	tx.Raw(`SELECT value FROM settings WHERE key = ?`, models.SettingOriginalClassLevel).Scan(&v)
	n, err := strconv.Atoi(v)
	if err != nil || !models.Level(n).Valid() {
		return models.LevelNone
	}
	return models.Level(n)
}

// DecideClassification records the 定密责任人's approval of a proposal, as
// proposed or changed (R24): an approver holding 定密 up to the level
// decided (one above it is refused), never dated before the proposal. An
// explicit term stays required. 原始定密 above the office's own 定密权 is
// recorded as 报请上级确定: the document is protected at the level decided
// until the superior's decision is entered. On approval every living copy
// of the registration takes the decided mark, with a history line. Clerk
// only.
func (s *Service) DecideClassification(sess *Session, d ClassDecision) (_ models.Classification, err error) {
	defer s.refused(sess, "DecideClassification", d.ClassID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Classification{}, err
	}
	d.Signer = strings.TrimSpace(d.Signer)
	on, err := s.checkDecisionInput(models.DecisionApprove, "", strings.TrimSpace(d.DecidedOn), d.AuthorityID)
	if err != nil {
		return models.Classification{}, err
	}
	var out models.Classification
	err = s.write(func(tx *gorm.DB) error {
		var err error
		if out, err = takeClassification(tx, d.ClassID); err != nil {
			return err
		}
		if out.State == models.ClassApproved {
			return fieldError(FieldClassCarrier, models.ErrRequestDecided, "定密 %s 已审定", out.SlipNo)
		}
		if on < out.ProposedOn {
			return fieldError(FieldDecidedOn, models.ErrBackdated, "审定日期 %s 早于提出日期 %s，不得倒签", on, out.ProposedOn)
		}
		c, err := takeCarrier(tx, out.CarrierID)
		if err != nil {
			return err
		}
		level, term := overridden(&out, d.Level, d.Term)
		if !level.Valid() {
			return fieldError(FieldClassLevel, models.ErrBadClassification, "请选择密级（绝密、机密或秘密）")
		}
		if term.Kind == models.TermDefault {
			return fieldError(FieldClassTerm, models.ErrBadClassification, "定密须明确保密期限，不能空着")
		}
		start, _ := c.TermStart()
		if term, err = checkNewTerm(level, term, start); err != nil {
			return reField(err, FieldNewTerm, FieldClassTerm)
		}
		a, err := takeApprover(tx, d.AuthorityID, models.ApproveClassify, level)
		if err != nil {
			return err
		}
		var changed []string
		if level != out.Level || term != out.Term() {
			changed = append(changed, fmt.Sprintf("%s 改为 %s", models.Marking(out.Level, out.Term()), models.Marking(level, term)))
		}
		state := models.ClassApproved
		if out.Kind == models.ClassOriginal && originalClassLevel(tx) < level {
			state = models.ClassReferred
		}
		now := s.now()
		upd := map[string]any{"state": state, "level": level, "term_kind": term.Kind, "term_years": term.Years,
			"term_months": term.Months, "term_until": term.Until, "term_cond": term.Condition,
			"authority_id": a.ID, "authority": a.Name, "changed": strings.Join(changed, "；"), "signer": d.Signer,
			"decided_on": on, "decided_at": now, "decided_by": sess.FullName}
		res := tx.Model(&models.Classification{}).Where("id = ? AND state = ?", out.ID, out.State).Updates(upd)
		if res.Error != nil {
			return fmt.Errorf("decide classification %s: %w", out.SlipNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		if err := tx.Where("id = ?", out.ID).Take(&out).Error; err != nil {
			return err
		}
		what := "审定"
		if state == models.ClassReferred {
			what = "审定（原始定密超出本机关定密权限，报请上级确定）"
		}
		if err := s.audit(tx, sess, models.EventClassify, out.SlipNo, true, fmt.Sprintf("%s %s %s 定密责任人：%s %s %s",
			c.RegNo, what, models.Marking(level, term), a.Name, on, out.Changed)); err != nil {
			return err
		}
		return s.markBatch(tx, sess, c.BatchID, level, term,
			fmt.Sprintf("定密 %s，定密责任人 %s %s", out.SlipNo, a.Name, on))
	})
	if err != nil {
		return models.Classification{}, err
	}
	return out, nil
}

// SuperiorDecision is the superior's decision on a 原始定密 the office
// referred to it (报请上级确定, R24), as its written reply gives it.
type SuperiorDecision struct {
	ClassID   string
	Superior  string       // 上级机关
	DocNo     string       // the reply's 文号
	Level     models.Level // LevelNone: as referred
	Term      models.Term  // Kind "": as referred
	DecidedOn string
}

// Field names of a superior's decision.
const (
	FieldSuperior    = "Superior"
	FieldSuperiorDoc = "SuperiorDoc"
)

// RecordSuperiorDecision enters the superior's decision on a referred
// 原始定密 (R24): the record becomes 已定密 with the level and term the
// superior fixed, and every living copy takes the mark. Clerk only.
func (s *Service) RecordSuperiorDecision(sess *Session, d SuperiorDecision) (_ models.Classification, err error) {
	defer s.refused(sess, "RecordSuperiorDecision", d.ClassID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Classification{}, err
	}
	d.Superior, d.DocNo = strings.TrimSpace(d.Superior), strings.TrimSpace(d.DocNo)
	var v models.ValidationError
	checkText(&v, FieldSuperior, d.Superior, "上级机关", models.MaxShortLen, true)
	checkText(&v, FieldSuperiorDoc, d.DocNo, "批复文号", models.MaxShortLen, true)
	on := s.pastDay(&v, FieldDecidedOn, "批复日期", d.DecidedOn)
	if len(v.Fields) > 0 {
		v.Cause = models.ErrBadClassification
		return models.Classification{}, &v
	}
	var out models.Classification
	err = s.write(func(tx *gorm.DB) error {
		var err error
		if out, err = takeClassification(tx, d.ClassID); err != nil {
			return err
		}
		if out.State != models.ClassReferred {
			return fieldError(FieldClassCarrier, models.ErrRequestDecided, "定密 %s %s，不是报请上级确定", out.SlipNo, out.State)
		}
		if on < out.DecidedOn {
			return fieldError(FieldDecidedOn, models.ErrBackdated, "批复日期 %s 早于报请日期 %s", on, out.DecidedOn)
		}
		c, err := takeCarrier(tx, out.CarrierID)
		if err != nil {
			return err
		}
		level, term := overridden(&out, d.Level, d.Term)
		if !level.Valid() || term.Kind == models.TermDefault {
			return fieldError(FieldClassTerm, models.ErrBadClassification, "请写明上级确定的密级和明确的保密期限")
		}
		start, _ := c.TermStart()
		if term, err = checkNewTerm(level, term, start); err != nil {
			return reField(err, FieldNewTerm, FieldClassTerm)
		}
		changed := out.Changed
		if level != out.Level || term != out.Term() {
			changed = strings.Trim(changed+"；上级确定为 "+models.Marking(level, term), "；")
		}
		res := tx.Model(&models.Classification{}).Where("id = ? AND state = ?", out.ID, models.ClassReferred).
			Updates(map[string]any{"state": models.ClassApproved, "level": level, "term_kind": term.Kind,
				"term_years": term.Years, "term_months": term.Months, "term_until": term.Until, "term_cond": term.Condition,
				"changed": changed, "superior": d.Superior, "superior_doc": d.DocNo, "superior_on": on})
		if res.Error != nil {
			return fmt.Errorf("superior decision %s: %w", out.SlipNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		if err := tx.Where("id = ?", out.ID).Take(&out).Error; err != nil {
			return err
		}
		what := fmt.Sprintf("%s 上级确定 %s：%s %s %s", c.RegNo, models.Marking(level, term), d.Superior, d.DocNo, on)
		if err := s.audit(tx, sess, models.EventClassify, out.SlipNo, true, what); err != nil {
			return err
		}
		return s.markBatch(tx, sess, c.BatchID, level, term, fmt.Sprintf("定密 %s，%s %s %s确定", out.SlipNo, d.Superior, d.DocNo, on))
	})
	if err != nil {
		return models.Classification{}, err
	}
	return out, nil
}

// markBatch gives every living copy of a registration the mark decided by
// its 定密, with a history line where it changes.
func (s *Service) markBatch(tx *gorm.DB, sess *Session, batch string, level models.Level, term models.Term, reason string) error {
	var cs []models.Carrier
	if err := tx.Where("batch_id = ? AND state IN ?", batch, models.HeldStates).Order("seq").Find(&cs).Error; err != nil {
		return err
	}
	now := s.now()
	for _, c := range cs {
		if c.Level == level && c.Term() == term {
			continue
		}
		old := c.Marking()
		res := tx.Model(&models.Carrier{}).Where("id = ? AND version = ?", c.ID, c.Version).Updates(map[string]any{
			"level": level, "term_kind": term.Kind, "term_years": term.Years, "term_months": term.Months,
			"term_until": term.Until, "term_condition": term.Condition, "version": c.Version + 1, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("mark %s: %w", c.RegNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		if err := addEvent(tx, now, sess, c.ID, 0, models.ActionClassify, "密级★期限", old, models.Marking(level, term), reason); err != nil {
			return err
		}
	}
	return nil
}

// ClassificationOf is the 定密 record of a carrier's registration, nil when
// it has none.
func (s *Service) ClassificationOf(sess *Session, carrierID string) (_ *models.Classification, err error) {
	defer s.refused(sess, "ClassificationOf", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.Classification
	err = s.db.Raw(`SELECT k.* FROM classifications k JOIN carriers c ON c.batch_id = k.batch_id WHERE c.id = ?`,
		carrierID).Scan(&out).Error
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}

// OriginalClassLevel is the highest level the office may fix by 原始定密
// itself (its 定密权, R24); LevelNone when it has none, as most offices.
func (s *Service) OriginalClassLevel() models.Level { return originalClassLevel(s.db) }

// SetOriginalClassLevel records the office's 原始定密权: none (LevelNone)
// or up to a level. Security officer only; audited.
func (s *Service) SetOriginalClassLevel(sess *Session, l models.Level) (err error) {
	defer s.refused(sess, "SetOriginalClassLevel", "", &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return err
	}
	if l != models.LevelNone && !l.Valid() {
		return fieldError(FieldClassLevel, models.ErrBadClassification, "原始定密权限只能是无、秘密、机密或绝密")
	}
	detail := "本机关原始定密权限：无（原始定密须报请上级确定）"
	if l != models.LevelNone {
		detail = "本机关原始定密权限：" + l.String() + "及以下"
	}
	return s.write(func(tx *gorm.DB) error {
		if err := setSetting(tx, models.SettingOriginalClassLevel, strconv.Itoa(int(l))); err != nil {
			return fmt.Errorf("write setting: %w", err)
		}
		return s.audit(tx, sess, models.EventSettingsChange, models.SettingOriginalClassLevel, true, detail)
	})
}
