package app

// Handovers of what a custodian holds (R5, R27): everything or a part, with
// a 监交人, and the temporary handover for leave that comes back by one act.

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// Field names of the handover's messages.
const (
	FieldHandoverFrom     = "HandoverFrom"
	FieldHandoverTo       = "HandoverTo"
	FieldHandoverWitness  = "HandoverWitness"
	FieldHandoverNote     = "HandoverNote"
	FieldHandoverOn       = "HandoverOn"
	FieldHandoverItems    = "HandoverItems"
	FieldHandoverReturnOn = "HandoverReturnOn"
)

// HandoverInput is a handover as the clerk records it (R5, R27).
type HandoverInput struct {
	From    string // 移交人: the custodian leaving
	To      string // 接收人
	Witness string // 监交人: required, neither of the two
	Note    string
	On      string // 交接日期 yyyy-mm-dd, not after today; blank means today
	// CarrierIDs is the part of what From holds that is handed over; empty
	// means everything.
	CarrierIDs []string
	// Temporary covers leave: everything comes back by ReturnHandover,
	// due by ReturnOn (after On).
	Temporary bool
	ReturnOn  string
}

// FormatHandoverSlipNo prints a handover list number: 交〔2026〕0001.
func FormatHandoverSlipNo(year int, n int64) string { return fmt.Sprintf("交〔%d〕%04d", year, n) }

// Handover hands over what the register says From holds (in store, on
// loan, taken out or circulating), everything or the part chosen, to To on
// one handover list, in the presence of a 监交人 who is neither (R5, R27):
// each carrier's custodian changes, with a history line, in one
// transaction. A temporary handover for leave says when it comes back.
// Refused while From has an open self-inspection. Clerk only.
func (s *Service) Handover(sess *Session, in HandoverInput) (_ models.Handover, _ []models.HandoverItem, err error) {
	defer s.refused(sess, "Handover", in.From, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Handover{}, nil, err
	}
	in.From, in.To = strings.TrimSpace(in.From), strings.TrimSpace(in.To)
	in.Witness, in.Note = strings.TrimSpace(in.Witness), strings.TrimSpace(in.Note)
	var v models.ValidationError
	checkText(&v, FieldHandoverFrom, in.From, "移交人", MaxRequesterLen, true)
	checkText(&v, FieldHandoverTo, in.To, "接收人", MaxRequesterLen, true)
	checkText(&v, FieldHandoverWitness, in.Witness, "监交人", MaxRequesterLen, true)
	checkText(&v, FieldHandoverNote, in.Note, "备注", MaxResolutionLen, false)
	on := s.handoverDay(&v, in.On)
	var returnOn string
	if in.Temporary {
		d, err := models.ParseDate(strings.TrimSpace(in.ReturnOn))
		switch {
		case err != nil:
			v.Fields = append(v.Fields, models.FieldError{Field: FieldHandoverReturnOn,
				Msg: "临时交接请填写收回日期（年-月-日），例如假期结束的第二天"})
		case !d.After(on):
			v.Fields = append(v.Fields, models.FieldError{Field: FieldHandoverReturnOn, Msg: "收回日期应晚于交接日期"})
		default:
			returnOn = d.Format(models.DateLayout)
		}
	}
	switch {
	case in.From != "" && in.From == in.To:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldHandoverTo, Msg: "接收人不能是移交人本人"})
	case in.Witness != "" && (in.Witness == in.From || in.Witness == in.To):
		v.Fields = append(v.Fields, models.FieldError{Field: FieldHandoverWitness, Msg: "监交人须是移交人、接收人以外的第三人"})
	}
	if len(v.Fields) > 0 {
		v.Cause = models.ErrBadHandover
		return models.Handover{}, nil, &v
	}
	var h models.Handover
	var items []models.HandoverItem
	err = s.write(func(tx *gorm.DB) error {
		cs, err := handedOver(tx, in.From, in.CarrierIDs)
		if err != nil {
			return err
		}
		if err := s.receiver(tx, sess, FieldHandoverTo, "接收人", in.To); err != nil {
			return err
		}
		h, items, err = s.handOver(tx, sess, in, on, cs, func(h *models.Handover) {
			h.Temporary, h.ReturnOn = in.Temporary, returnOn
		})
		return err
	})
	if err != nil {
		return models.Handover{}, nil, err
	}
	return h, items, nil
}

// handoverDay reads a handover's date: blank is today, never after it.
func (s *Service) handoverDay(v *models.ValidationError, day string) time.Time {
	if strings.TrimSpace(day) != "" {
		if d, err := models.ParseDate(s.pastDay(v, FieldHandoverOn, "交接日期", day)); err == nil {
			return d
		}
	}
	return s.today()
}

// handedOver is what from holds and hands over: every held carrier, or the
// ones chosen, each checked to be held by from. Refused while from has an
// open self-inspection.
func handedOver(tx *gorm.DB, from string, ids []string) ([]models.Carrier, error) {
	var open int64
	if err := tx.Model(&models.Inspection{}).Where("custodian = ? AND state = ?", from, models.InspectionOpen).
		Count(&open).Error; err != nil {
		return nil, err
	}
	if open > 0 {
		return nil, fieldError(FieldHandoverFrom, models.ErrInspectionOpen, "%s 的自查尚未完成，请完成后再交接", from)
	}
	var cs []models.Carrier
	if len(ids) == 0 {
		if err := tx.Where("custodian = ? AND state IN ?", from, models.HeldStates).Order("reg_no").Find(&cs).Error; err != nil {
			return nil, err
		}
		if len(cs) == 0 {
			return nil, fieldError(FieldHandoverFrom, models.ErrNotFound, "登记簿中没有 %s 保管的载体", from)
		}
		return cs, nil
	}
	for _, id := range uniqueIDs(ids) {
		c, err := takeCarrier(tx, id)
		if err != nil {
			return nil, err
		}
		switch {
		case c.Custodian != from:
			return nil, fieldError(FieldHandoverItems, models.ErrBadHandover, "%s 的责任人是%s，不是%s", c.RegNo, c.Custodian, from)
		case !c.State.Held():
			return nil, fieldError(FieldHandoverItems, models.ErrTerminal, "%s %s，已不在保管中", c.RegNo, c.State)
		}
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b models.Carrier) int { return strings.Compare(a.RegNo, b.RegNo) })
	return cs, nil
}

// handOver writes one handover list of cs from in.From to in.To, with the
// custodian of each changed and its history line; more fills the list's
// own columns.
func (s *Service) handOver(tx *gorm.DB, sess *Session, in HandoverInput, on time.Time, cs []models.Carrier,
	more func(*models.Handover)) (models.Handover, []models.HandoverItem, error) {
	today := s.today()
	now := s.now()
	n, err := nextCounter(tx, fmt.Sprintf("handover:%d", today.Year()))
	if err != nil {
		return models.Handover{}, nil, err
	}
	h := models.Handover{ID: uuid.NewString(), SlipNo: FormatHandoverSlipNo(today.Year(), n), From: in.From,
		To: in.To, Witness: in.Witness, Note: in.Note, HandedOn: on.Format(models.DateLayout),
		CreatedAt: now, CreatedBy: sess.FullName}
	more(&h)
	if err := tx.Create(&h).Error; err != nil {
		return h, nil, fmt.Errorf("insert handover: %w", err)
	}
	kind := "交接清单"
	switch {
	case h.Temporary:
		kind = "临时交接清单"
	case h.EndsID != nil:
		kind = "临时交接收回清单"
	}
	reason := fmt.Sprintf("%s %s：%s 移交 %s，监交人 %s", kind, h.SlipNo, in.From, in.To, in.Witness)
	if h.Temporary {
		reason += "，" + h.ReturnOn + " 前收回"
	}
	var items []models.HandoverItem
	for _, c := range cs {
		it := models.HandoverItem{HandoverID: h.ID, CarrierID: c.ID, RegNo: c.RegNo, Level: c.Level, State: c.State}
		if err := tx.Create(&it).Error; err != nil {
			return h, nil, fmt.Errorf("insert handover item %s: %w", c.RegNo, err)
		}
		res := tx.Model(&models.Carrier{}).Where("id = ? AND version = ? AND custodian = ?", c.ID, c.Version, in.From).
			Updates(map[string]any{"custodian": in.To, "version": c.Version + 1, "updated_at": now})
		if res.Error != nil {
			return h, nil, fmt.Errorf("carrier %s custodian: %w", c.RegNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return h, nil, models.ErrStale
		}
		if err := addEvent(tx, now, sess, c.ID, 0, models.ActionHandover, "责任人", in.From, in.To, reason); err != nil {
			return h, nil, err
		}
		items = append(items, it)
	}
	return h, items, s.audit(tx, sess, models.EventHandover, h.SlipNo, true, fmt.Sprintf("%s，共 %d 件", reason, len(cs)))
}

// ReturnHandover gives back, by one act, what a temporary handover gave
// for leave (R27): every carrier of it that the stand-in still holds goes
// back to its custodian, on a handover list of its own with a 监交人.
// Carriers that have left the register meanwhile stay as they are. Clerk
// only.
func (s *Service) ReturnHandover(sess *Session, handoverID, witness, on string) (_ models.Handover, _ []models.HandoverItem, err error) {
	defer s.refused(sess, "ReturnHandover", handoverID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Handover{}, nil, err
	}
	witness = strings.TrimSpace(witness)
	var v models.ValidationError
	checkText(&v, FieldHandoverWitness, witness, "监交人", MaxRequesterLen, true)
	day := s.handoverDay(&v, on)
	if len(v.Fields) > 0 {
		v.Cause = models.ErrBadHandover
		return models.Handover{}, nil, &v
	}
	var h models.Handover
	var items []models.HandoverItem
	err = s.write(func(tx *gorm.DB) error {
		var t models.Handover
		if err := tx.Where("id = ?", handoverID).Take(&t).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("handover %s: %w", handoverID, models.ErrNotFound)
			}
			return err
		}
		var ended int64
		if err := tx.Model(&models.Handover{}).Where("ends_id = ?", t.ID).Count(&ended).Error; err != nil {
			return err
		}
		switch {
		case !t.Temporary:
			return fieldError(FieldHandoverItems, models.ErrBadHandover, "%s 不是临时交接，不能收回", t.SlipNo)
		case ended > 0:
			return fieldError(FieldHandoverItems, models.ErrRequestDecided, "%s 已收回", t.SlipNo)
		case witness == t.From || witness == t.To:
			return fieldError(FieldHandoverWitness, models.ErrBadHandover, "监交人须是%s、%s以外的第三人", t.From, t.To)
		case day.Format(models.DateLayout) < t.HandedOn:
			return fieldError(FieldHandoverOn, models.ErrBackdated, "收回日期早于临时交接日期 %s", t.HandedOn)
		}
		var cs []models.Carrier
		if err := tx.Raw(`SELECT c.* FROM handover_items i JOIN carriers c ON c.id = i.carrier_id
			WHERE i.handover_id = ? AND c.custodian = ? AND c.state IN ? ORDER BY c.reg_no`,
			t.ID, t.To, models.HeldStates).Scan(&cs).Error; err != nil {
			return err
		}
		if len(cs) == 0 {
			return fieldError(FieldHandoverItems, models.ErrNotFound, "%s 交出的载体已不在%s保管中，没有可收回的", t.SlipNo, t.To)
		}
		in := HandoverInput{From: t.To, To: t.From, Witness: witness, Note: "收回临时交接 " + t.SlipNo}
		h, items, err = s.handOver(tx, sess, in, day, cs, func(h *models.Handover) { h.EndsID = &t.ID })
		return err
	})
	if err != nil {
		return models.Handover{}, nil, err
	}
	return h, items, nil
}

// TemporaryOpen lists the temporary handovers not yet given back, the
// earliest due first: the home reminds of those due (R27).
func (s *Service) TemporaryOpen(sess *Session) (_ []models.Handover, err error) {
	defer s.refused(sess, "TemporaryOpen", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.Handover
	err = s.db.Where("temporary = 1 AND id NOT IN (SELECT ends_id FROM handovers WHERE ends_id IS NOT NULL)").
		Order("return_on, slip_no").Limit(MaxDispatchList).Find(&out).Error
	return out, err
}

// Handovers lists the handovers, newest first. Clerk only.
func (s *Service) Handovers(sess *Session) (_ []models.Handover, err error) {
	defer s.refused(sess, "Handovers", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.Handover
	err = s.db.Order("created_at DESC, slip_no DESC").Find(&out).Error
	return out, err
}

// HandoverItems lists the carriers of one handover list, by register number. Clerk only.
func (s *Service) HandoverItems(sess *Session, handoverID string) (_ []models.HandoverItem, err error) {
	defer s.refused(sess, "HandoverItems", handoverID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.HandoverItem
	err = s.db.Where("handover_id = ?", handoverID).Order("reg_no").Find(&out).Error
	return out, err
}
