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

// Limits of a destruction batch.
const (
	MaxDestructionItems = 500
	MaxPlaceLen         = 100
	MaxEquipmentNoLen   = 50
)

// Field names of the destruction slip's messages.
const (
	FieldDestroyCarriers = "DestroyCarriers"
	FieldDestroyReason   = "DestroyReason"
	FieldDestroyBatch    = "DestroyBatch"
	FieldMethod          = "Method"
	FieldEquipmentNo     = "EquipmentNo"
	FieldPlace           = "Place"
	FieldDestroyedOn     = "DestroyedOn"
	FieldWitnesses       = "Witnesses"
	FieldEscorts         = "Escorts"
	FieldReturnFlag      = "ReturnToIssuer"
)

// DestructionInput is a request to destroy carriers as the clerk records it.
type DestructionInput struct {
	CarrierIDs []string
	Reason     string
	Requester  string
}

// DestructionDecision is a leader's decision on a destruction slip (R2, R9).
type DestructionDecision struct {
	BatchID    string
	ApproverID string
	Decision   string // 同意 or 不同意
	Opinion    string
	DecidedOn  string // yyyy-mm-dd
}

// DestructionRecord is how an approved batch was destroyed (R2, R17).
type DestructionRecord struct {
	Method      models.DestructionMethod
	EquipmentNo string // 自行销毁: the certified equipment's number
	Place       string
	DestroyedOn string // yyyy-mm-dd
	Witness1    string // 监销人
	Witness2    string
	Escort1     string // 送销: the two people who escort the carriers
	Escort2     string
}

// FormatDestructionSlipNo prints a destruction slip number: 销〔2026〕0001.
func FormatDestructionSlipNo(year int, n int64) string {
	return fmt.Sprintf("销〔%d〕%04d", year, n)
}

func destructionCounterName(year int) string { return fmt.Sprintf("destroy:%d", year) }

// destroyable applies the state rule and R16 to a carrier to be destroyed;
// a carrier may sit in one open batch only (except: the batch being checked).
func destroyable(tx *gorm.DB, c *models.Carrier, except string) error {
	if c.State == models.StateVoided {
		return fieldError(FieldDestroyCarriers, models.ErrVoided, "%s 已作废，不能销毁", c.RegNo)
	}
	if c.State != models.StateInStore {
		return fieldError(FieldDestroyCarriers, models.ErrNotInStore,
			"%s 当前%s，只有在库的载体才能销毁", c.RegNo, c.State)
	}
	if c.ReturnToIssuer {
		return fieldError(FieldDestroyCarriers, models.ErrReturnToIssuer,
			"%s 已标记清退，应全部退还来文单位，不得销毁", c.RegNo)
	}
	if c.Kind == models.KindCipherTel && c.Direction == models.DirIncoming {
		return fieldError(FieldDestroyCarriers, models.ErrReturnToIssuer,
			"%s 是密码电报，由机要部门回收，本机关不得自行销毁：请标记清退后退回", c.RegNo)
	}
	var slip string
	err := tx.Raw(`SELECT b.slip_no FROM destruction_items i JOIN destruction_batches b ON b.id = i.batch_id
		WHERE i.carrier_id = ? AND b.state IN ? AND b.id <> ? LIMIT 1`, c.ID,
		[]models.DestructionState{models.DestructionPending, models.DestructionApproved}, except).Scan(&slip).Error
	if err != nil {
		return fmt.Errorf("open batches of %s: %w", c.RegNo, err)
	}
	if slip != "" {
		return fieldError(FieldDestroyCarriers, models.ErrInOpenBatch, "%s 已列入销毁单 %s，不能重复申请", c.RegNo, slip)
	}
	return nil
}

// CheckDestroyable tells whether the carrier id may join a new destruction
// list now, with the reason RequestDestruction would give at 提交: the
// window asks as each carrier is added to a list. Clerk only; a refusal is
// audited like any other.
func (s *Service) CheckDestroyable(sess *Session, id string) (err error) {
	defer s.refused(sess, "CheckDestroyable", id, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return err
	}
	c, err := takeCarrier(s.db, id)
	if err != nil {
		return err
	}
	return destroyable(s.db, &c, "")
}

func takeBatch(tx *gorm.DB, id string) (models.DestructionBatch, error) {
	var b models.DestructionBatch
	err := tx.Where("id = ?", id).Take(&b).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return b, fmt.Errorf("destruction batch %s: %w", id, models.ErrNotFound)
	}
	return b, err
}

// batchCarriers returns the carriers of a batch in list order.
func batchCarriers(tx *gorm.DB, batchID string) ([]models.Carrier, error) {
	var out []models.Carrier
	err := tx.Raw(`SELECT c.* FROM destruction_items i JOIN carriers c ON c.id = i.carrier_id
		WHERE i.batch_id = ? ORDER BY i.ord`, batchID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("carriers of batch %s: %w", batchID, err)
	}
	return out, nil
}

// FlagReturnToIssuer sets or clears a carrier's 清退 flag: a flagged carrier
// goes back to its issuer in full and can't be destroyed (R16). Clerk only;
// the carrier must still be held. The change is a history line and an
// audit record; setting the flag it already has changes nothing.
func (s *Service) FlagReturnToIssuer(sess *Session, id string, flag bool) (_ models.Carrier, err error) {
	defer s.refused(sess, "FlagReturnToIssuer", id, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Carrier{}, err
	}
	var c models.Carrier
	err = s.write(func(tx *gorm.DB) error {
		var err error
		if c, err = takeCarrier(tx, id); err != nil {
			return err
		}
		if c.State == models.StateVoided {
			return fieldError(FieldReturnFlag, models.ErrVoided, "%s 已作废", c.RegNo)
		}
		if c.State.Terminal() {
			return fieldError(FieldReturnFlag, models.ErrTerminal, "%s %s，不能再标记清退", c.RegNo, c.State)
		}
		if c.ReturnToIssuer == flag {
			return nil
		}
		if flag {
			// A carrier on an open 销毁 slip is either destroyed or not: it
			// can't also go back to its issuer (R16).
			if _, destroy, err := openSlips(tx, c.ID); err != nil {
				return err
			} else if destroy != "" {
				return fieldError(FieldReturnFlag, models.ErrInOpenBatch,
					"%s 已列入销毁单 %s，不能标记清退；如应退还来文单位，请先让该销毁单不予批准", c.RegNo, destroy)
			}
		}
		if !flag {
			// A carrier on a pending 清退 slip keeps its flag: the slip is
			// handed over whole or voided first.
			var slip string
			if err := tx.Raw(`SELECT b.slip_no FROM return_items i JOIN return_batches b ON b.id = i.batch_id
				WHERE i.carrier_id = ? AND b.state = ? LIMIT 1`, c.ID, models.ReturnPending).Scan(&slip).Error; err != nil {
				return err
			}
			if slip != "" {
				return fieldError(FieldReturnFlag, models.ErrInReturnBatch,
					"%s 已列入清退单 %s，不能取消清退标记；如清退单有误，请先作废该清退单", c.RegNo, slip)
			}
		}
		now := s.now()
		res := tx.Model(&models.Carrier{}).Where("id = ? AND version = ?", c.ID, c.Version).
			Updates(map[string]any{"return_to_issuer": flag, "version": c.Version + 1, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("flag %s: %w", c.RegNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		label := map[bool]string{true: "是", false: "否"}
		if err := addEvent(tx, now, sess, c.ID, 0, models.ActionReturnFlag, "清退", label[c.ReturnToIssuer],
			label[flag], ""); err != nil {
			return err
		}
		c.ReturnToIssuer, c.Version, c.UpdatedAt = flag, c.Version+1, now
		detail := "标记清退"
		if !flag {
			detail = "取消清退标记"
		}
		return s.audit(tx, sess, models.EventReturnFlag, c.RegNo, true, detail)
	})
	if err != nil {
		return models.Carrier{}, err
	}
	return c, nil
}

// RequestDestruction records a request to destroy carriers (R2), to be
// decided by an approver. Clerk only. Every carrier must be 在库, not voided,
// not flagged for return to its issuer (R16) and in no other open batch; a
// refusal names the offending carrier's register number.
func (s *Service) RequestDestruction(sess *Session, in DestructionInput) (_ models.DestructionBatch, err error) {
	defer s.refused(sess, "RequestDestruction", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.DestructionBatch{}, err
	}
	in.Reason = strings.TrimSpace(in.Reason)
	in.Requester = strings.TrimSpace(in.Requester)
	var v models.ValidationError
	ids := uniqueIDs(in.CarrierIDs)
	switch {
	case len(ids) == 0:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDestroyCarriers, Msg: "请选择要销毁的载体"})
	case len(ids) > MaxDestructionItems:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDestroyCarriers,
			Msg: fmt.Sprintf("一张销毁单最多 %d 件载体", MaxDestructionItems)})
	}
	checkText(&v, FieldDestroyReason, in.Reason, "销毁原因", MaxPurposeLen, true)
	checkText(&v, FieldRequester, in.Requester, "申请人", MaxRequesterLen, true)
	if len(v.Fields) > 0 {
		return models.DestructionBatch{}, &v
	}
	var out models.DestructionBatch
	err = s.write(func(tx *gorm.DB) error {
		carriers := make([]models.Carrier, len(ids))
		for i, id := range ids {
			c, err := takeCarrier(tx, id)
			if err != nil {
				return err
			}
			if err := destroyable(tx, &c, ""); err != nil {
				return err
			}
			carriers[i] = c
		}
		today := s.today()
		n, err := nextCounter(tx, destructionCounterName(today.Year()))
		if err != nil {
			return err
		}
		now := s.now()
		out = models.DestructionBatch{ID: uuid.NewString(), SlipNo: FormatDestructionSlipNo(today.Year(), n),
			Reason: in.Reason, Requester: in.Requester, RequestedOn: today.Format(models.DateLayout),
			RequestedAt: now, RequestedBy: sess.FullName, State: models.DestructionPending}
		if err := tx.Create(&out).Error; err != nil {
			return fmt.Errorf("insert destruction batch: %w", err)
		}
		regNos := make([]string, len(carriers))
		for i, c := range carriers {
			it := models.DestructionItem{ID: uuid.NewString(), BatchID: out.ID, Ord: i + 1, CarrierID: c.ID}
			if err := tx.Create(&it).Error; err != nil {
				return fmt.Errorf("insert destruction item %s: %w", c.RegNo, err)
			}
			if err := addEvent(tx, now, sess, c.ID, 0, models.ActionDestroyRequest, "", "",
				fmt.Sprintf("列入销毁单 %s，申请人 %s", out.SlipNo, out.Requester), out.Reason); err != nil {
				return err
			}
			regNos[i] = c.RegNo
		}
		if err := s.audit(tx, sess, models.EventDestroyRequest, out.SlipNo, true,
			fmt.Sprintf("销毁%d件：%s 申请人：%s 原因：%s", len(carriers), strings.Join(regNos, "、"),
				out.Requester, out.Reason)); err != nil {
			return err
		}
		for _, c := range carriers {
			if c.Level.IsStateSecret() {
				return nil
			}
		}
		// A list of 内部 and 非密 alone is destroyed on the record, without a
		// level approval (R21); the destruction itself is still registered.
		if err := s.decide(tx, sess, &models.DestructionBatch{}, out.ID, models.DestructionPending,
			models.DestructionApproved, &out.Decided, nil, NoApproval, "", today.Format(models.DateLayout), nil); err != nil {
			return err
		}
		out.State = models.DestructionApproved
		return nil
	})
	if err != nil {
		return models.DestructionBatch{}, err
	}
	return out, nil
}

// DecideDestruction records the approver's decision on a destruction batch
// (R2, R9). The approver must be active and hold the 销毁 action up to the
// highest level among the batch's carriers (机密/绝密 destruction approved by
// a leader). On 同意 every carrier is checked again. Clerk only.
func (s *Service) DecideDestruction(sess *Session, d DestructionDecision) (_ models.DestructionBatch, err error) {
	defer s.refused(sess, "DecideDestruction", d.BatchID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.DestructionBatch{}, err
	}
	d.Decision = strings.TrimSpace(d.Decision)
	d.Opinion = strings.TrimSpace(d.Opinion)
	on, err := s.checkDecisionInput(d.Decision, d.Opinion, strings.TrimSpace(d.DecidedOn), d.ApproverID)
	if err != nil {
		return models.DestructionBatch{}, err
	}
	var b models.DestructionBatch
	err = s.write(func(tx *gorm.DB) error {
		var err error
		if b, err = takeBatch(tx, d.BatchID); err != nil {
			return err
		}
		if b.State != models.DestructionPending {
			return fieldError(FieldDestroyBatch, models.ErrRequestDecided,
				"销毁单 %s %s，不能再次审批", b.SlipNo, b.State)
		}
		if on < b.RequestedOn {
			return fieldError(FieldDecidedOn, models.ErrBackdated,
				"审批日期 %s 早于申请日期 %s，不得倒签", on, b.RequestedOn)
		}
		carriers, err := batchCarriers(tx, b.ID)
		if err != nil {
			return err
		}
		top := models.LevelConfidential
		for _, c := range carriers {
			if c.Level > top {
				top = c.Level
			}
		}
		if _, doc, err := wasteOf(tx, b.ID); err != nil {
			return err
		} else if doc != nil && doc.Level > top {
			top = doc.Level
		}
		a, err := takeApprover(tx, d.ApproverID, models.ApproveDestroy, top)
		if err != nil {
			return err
		}
		if d.Decision == models.DecisionApprove {
			for i := range carriers {
				if err := destroyable(tx, &carriers[i], b.ID); err != nil {
					return err
				}
			}
		}
		state := models.DestructionRefused
		if d.Decision == models.DecisionApprove {
			state = models.DestructionApproved
		}
		if err := s.decide(tx, sess, &models.DestructionBatch{}, b.ID, models.DestructionPending, state, &b.Decided,
			&a, d.Decision, d.Opinion, on, nil); err != nil {
			return err
		}
		b.State = state
		return s.audit(tx, sess, models.EventDestroyDecide, b.SlipNo, true,
			fmt.Sprintf("%d件 %s 审批人：%s %s%s", len(carriers), d.Decision, a.Name, on, opinionNote(d.Opinion)))
	})
	if err != nil {
		return models.DestructionBatch{}, err
	}
	return b, nil
}

// checkRecord applies R2 and R17 to the record of a destruction, apart from
// what depends on the batch (the requester, the approval's date).
func (s *Service) checkRecord(r *DestructionRecord) error {
	for _, p := range []*string{&r.EquipmentNo, &r.Place, &r.DestroyedOn, &r.Witness1, &r.Witness2,
		&r.Escort1, &r.Escort2} {
		*p = strings.TrimSpace(*p)
	}
	r.Method = models.DestructionMethod(strings.TrimSpace(string(r.Method)))
	var v models.ValidationError
	add := func(field string, cause error, msg string) {
		v.Fields = append(v.Fields, models.FieldError{Field: field, Msg: msg})
		if v.Cause == nil {
			v.Cause = cause
		}
	}
	switch {
	case r.Witness1 == "" || r.Witness2 == "":
		add(FieldWitnesses, models.ErrWitnesses, "销毁须有两名监销人")
	case r.Witness1 == r.Witness2:
		add(FieldWitnesses, models.ErrWitnesses, "两名监销人应为不同的人")
	case utf8.RuneCountInString(r.Witness1) > MaxRequesterLen || utf8.RuneCountInString(r.Witness2) > MaxRequesterLen:
		add(FieldWitnesses, models.ErrWitnesses, fmt.Sprintf("监销人姓名不能超过 %d 个字", MaxRequesterLen))
	}
	switch r.Method {
	case models.MethodSelf:
		checkText(&v, FieldEquipmentNo, r.EquipmentNo, "销毁设备编号", MaxEquipmentNoLen, false)
		if r.EquipmentNo == "" {
			add(FieldEquipmentNo, models.ErrNeedsEquipmentNo, "自行销毁须填写所用合格销毁设备的编号")
		}
		r.Escort1, r.Escort2 = "", ""
	case models.MethodSent:
		switch {
		case r.Escort1 == "" || r.Escort2 == "":
			add(FieldEscorts, models.ErrNeedsEscorts, "送销须由两人护送，请填写两名护送人")
		case r.Escort1 == r.Escort2:
			add(FieldEscorts, models.ErrNeedsEscorts, "两名护送人应为不同的人")
		case utf8.RuneCountInString(r.Escort1) > MaxRequesterLen || utf8.RuneCountInString(r.Escort2) > MaxRequesterLen:
			add(FieldEscorts, models.ErrNeedsEscorts, fmt.Sprintf("护送人姓名不能超过 %d 个字", MaxRequesterLen))
		}
		r.EquipmentNo = ""
	default:
		add(FieldMethod, nil, "请选择销毁方式：送销或自行销毁")
	}
	checkText(&v, FieldPlace, r.Place, "销毁地点", MaxPlaceLen, true)
	today := s.today()
	d, err := models.ParseDate(r.DestroyedOn)
	switch {
	case r.DestroyedOn == "":
		add(FieldDestroyedOn, models.ErrBadDestroyDate, "请填写销毁日期")
	case err != nil:
		add(FieldDestroyedOn, models.ErrBadDestroyDate,
			fmt.Sprintf("销毁日期应写作 年-月-日，例如 %s", today.Format(models.DateLayout)))
	case d.After(today):
		add(FieldDestroyedOn, models.ErrBadDestroyDate,
			fmt.Sprintf("销毁日期不能晚于今天（%s）", today.Format(models.DateLayout)))
	default:
		r.DestroyedOn = d.Format(models.DateLayout)
	}
	if len(v.Fields) > 0 {
		return &v
	}
	return nil
}

// CompleteDestruction records that an approved batch was destroyed (R2,
// R17): method, equipment number or escorts, place, date and two witnesses,
// different people and neither the requester. In one transaction every
// carrier, checked again to be 在库 and not flagged for return, becomes 已销毁
// with a history line and an audit record, and the batch 已销毁. Clerk only.
func (s *Service) CompleteDestruction(sess *Session, batchID string, r DestructionRecord) (_ models.DestructionBatch, err error) {
	defer s.refused(sess, "CompleteDestruction", batchID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.DestructionBatch{}, err
	}
	if err := s.checkRecord(&r); err != nil {
		return models.DestructionBatch{}, err
	}
	var b models.DestructionBatch
	err = s.write(func(tx *gorm.DB) error {
		var err error
		if b, err = takeBatch(tx, batchID); err != nil {
			return err
		}
		if b.State != models.DestructionApproved {
			return fieldError(FieldDestroyBatch, models.ErrNotApproved,
				"销毁单 %s %s，未经审批同意不得销毁", b.SlipNo, b.State)
		}
		if r.Witness1 == b.Requester || r.Witness2 == b.Requester {
			return fieldError(FieldWitnesses, models.ErrWitnesses, "申请人%s不能担任监销人", b.Requester)
		}
		if r.DestroyedOn < b.DecidedOn {
			return fieldError(FieldDestroyedOn, models.ErrBadDestroyDate,
				"销毁日期 %s 早于审批日期 %s", r.DestroyedOn, b.DecidedOn)
		}
		carriers, err := batchCarriers(tx, b.ID)
		if err != nil {
			return err
		}
		now := s.now()
		how := string(r.Method)
		if r.Method == models.MethodSelf {
			how += "，设备编号 " + r.EquipmentNo
		} else {
			how += "，护送人 " + r.Escort1 + "、" + r.Escort2
		}
		approval := fmt.Sprintf("审批人 %s %s", b.ApproverName, b.DecidedOn)
		if b.ApproverID == nil {
			approval = b.Decision
		}
		reason := fmt.Sprintf("销毁单 %s，%s %s，%s，监销人 %s、%s，%s", b.SlipNo, r.DestroyedOn, r.Place,
			how, r.Witness1, r.Witness2, approval)
		for i := range carriers {
			c := &carriers[i]
			if err := destroyable(tx, c, b.ID); err != nil {
				return err
			}
			if err := s.setCarrierState(tx, sess, c, models.StateInStore, models.StateDestroyed,
				models.ActionDestroy, reason, now); err != nil {
				return err
			}
			if err := s.audit(tx, sess, models.EventDestroy, c.RegNo, true,
				fmt.Sprintf("%s 份号%s %s", c.Marking(), c.CopyNoText(), reason)); err != nil {
				return err
			}
		}
		if len(carriers) == 0 {
			// The spoiled sheets of a printing (R25): the list itself is what was destroyed.
			if err := s.audit(tx, sess, models.EventDestroy, b.SlipNo, true, b.Reason+" "+reason); err != nil {
				return err
			}
		}
		res := tx.Model(&models.DestructionBatch{}).Where("id = ? AND state = ?", b.ID, models.DestructionApproved).
			Updates(map[string]any{"state": models.DestructionDestroyed, "method": r.Method,
				"equipment_no": r.EquipmentNo, "place": r.Place, "destroyed_on": r.DestroyedOn,
				"witness1": r.Witness1, "witness2": r.Witness2, "escort1": r.Escort1, "escort2": r.Escort2,
				"destroyed_at": now, "destroyed_by": sess.FullName})
		if res.Error != nil {
			return fmt.Errorf("complete %s: %w", b.SlipNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		b.State, b.Method, b.EquipmentNo, b.Place, b.DestroyedOn = models.DestructionDestroyed, r.Method,
			r.EquipmentNo, r.Place, r.DestroyedOn
		b.Witness1, b.Witness2, b.Escort1, b.Escort2, b.DestroyedAt, b.DestroyedBy = r.Witness1, r.Witness2,
			r.Escort1, r.Escort2, &now, sess.FullName
		return nil
	})
	if err != nil {
		return models.DestructionBatch{}, err
	}
	return b, nil
}

// DestructionListItem is one line of a 销毁清单.
type DestructionListItem struct {
	No        int    // 序号
	Title     string // 题名
	Issuer    string // 来文单位
	Kind      models.CarrierKind
	DocNumber string // 文号
	Level     models.Level
	Marking   string // 密级★期限
	Pages     int
	CopyNo    string // 份号, six digits
	Custodian string // 责任人
	RegNo     string
}

// KindTotal counts a batch's carriers of one kind: 纸介质 3 份.
type KindTotal struct {
	Kind  models.CarrierKind
	Name  string // 纸介质, U盘, 光盘…
	Unit  string // 份, 个, 张…
	Count int
}

func (k KindTotal) String() string { return fmt.Sprintf("%s %d %s", k.Name, k.Count, k.Unit) }

// DestructionList is the data of a batch's 销毁清单 (R2, R17).
type DestructionList struct {
	Batch  models.DestructionBatch
	Items  []DestructionListItem
	Totals []KindTotal // in the order of models.CarrierKinds, kinds present only
}

// TotalsText joins the totals: 纸介质 2 份，U盘 1 个.
func (l DestructionList) TotalsText() string {
	parts := make([]string, len(l.Totals))
	for i, t := range l.Totals {
		parts[i] = t.String()
	}
	return strings.Join(parts, "，")
}

// DestructionList returns the 销毁清单 of a batch: its items in order and the
// totals by carrier kind. Clerk only.
func (s *Service) DestructionList(sess *Session, batchID string) (_ DestructionList, err error) {
	defer s.refused(sess, "DestructionList", batchID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return DestructionList{}, err
	}
	var out DestructionList
	if out.Batch, err = takeBatch(s.db, batchID); err != nil {
		return DestructionList{}, err
	}
	carriers, err := batchCarriers(s.db, batchID)
	if err != nil {
		return DestructionList{}, err
	}
	out.Items, out.Totals = listOf(carriers)
	p, doc, err := wasteOf(s.db, batchID)
	if err != nil || p == nil {
		return out, err
	}
	out.Items = append(out.Items, DestructionListItem{No: len(out.Items) + 1,
		Title:  doc.Title + "（印制 " + p.SlipNo + " 废页 " + strconv.Itoa(p.Spoiled) + " 张、校样 " + strconv.Itoa(p.Proofs) + " 份）",
		Issuer: doc.Issuer, Kind: doc.Kind, DocNumber: doc.DocNumber, Level: doc.Level, Marking: doc.Marking(),
		Pages: p.Spoiled, Custodian: p.Printer, RegNo: doc.RegNo})
	out.Totals = append(out.Totals, KindTotal{Kind: models.KindPaper, Name: "废页", Unit: "张", Count: p.Spoiled},
		KindTotal{Kind: models.KindPaper, Name: "校样", Unit: "份", Count: p.Proofs})
	return out, nil
}

// DestructionBatches lists the destruction batches, newest first.
func (s *Service) DestructionBatches(sess *Session) (_ []models.DestructionBatch, err error) {
	defer s.refused(sess, "DestructionBatches", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.DestructionBatch
	if err := s.db.Order("requested_at DESC, slip_no DESC").Find(&out).Error; err != nil {
		return nil, err
	}
	n, err := s.itemCounts("destruction_items")
	if err != nil {
		return nil, err
	}
	var waste []string
	if err := s.db.Raw(`SELECT destruction_id FROM printings WHERE destruction_id IS NOT NULL`).Scan(&waste).Error; err != nil {
		return nil, err
	}
	isWaste := map[string]bool{}
	for _, id := range waste {
		n[id]++ // the spoiled sheets of a printing are one line of the list
		isWaste[id] = true
	}
	for i := range out {
		out[i].Items, out[i].Waste = n[out[i].ID], isWaste[out[i].ID]
	}
	return out, nil
}
