package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// Limits of returns and archiving.
const (
	MaxIssuerLen = 100
	MaxFileNoLen = 50
)

// Field names of the 清退 and 归档 messages.
const (
	FieldReturnIssuer   = "ReturnIssuer"
	FieldReturnCarriers = "ReturnCarriers"
	FieldReturnBatch    = "ReturnBatch"
	FieldReturnVoid     = "ReturnVoid"
	FieldHandedTo       = "HandedTo"
	FieldHandedOverOn   = "HandedOverOn"
	FieldFileNo         = "FileNo"
	FieldArchiveNote    = "ArchiveNote"
	FieldArchiveCarrier = "ArchiveCarrier"
)

// FormatReturnSlipNo prints a 清退 slip number: 退〔2026〕0001.
func FormatReturnSlipNo(year int, n int64) string {
	return fmt.Sprintf("退〔%d〕%04d", year, n)
}

func returnCounterName(year int) string { return fmt.Sprintf("return:%d", year) }

// flaggedOf returns the held carriers of issuer flagged for return that sit
// in no pending 清退 batch, in registration order.
func flaggedOf(tx *gorm.DB, issuer string) ([]models.Carrier, error) {
	var out []models.Carrier
	err := tx.Raw(`SELECT * FROM carriers c WHERE c.issuer = ? AND c.return_to_issuer AND c.state IN ?
		AND NOT EXISTS (SELECT 1 FROM return_items i JOIN return_batches b ON b.id = i.batch_id
			WHERE i.carrier_id = c.id AND b.state = ?)
		ORDER BY c.seq`, issuer, models.HeldStates, models.ReturnPending).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("carriers flagged for return to %s: %w", issuer, err)
	}
	return out, nil
}

func takeReturnBatch(tx *gorm.DB, id string) (models.ReturnBatch, error) {
	var b models.ReturnBatch
	err := tx.Where("id = ?", id).Take(&b).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return b, fmt.Errorf("return batch %s: %w", id, models.ErrNotFound)
	}
	return b, err
}

// returnCarriers returns the carriers of a 清退 batch in list order.
func returnCarriers(tx *gorm.DB, batchID string) ([]models.Carrier, error) {
	var out []models.Carrier
	err := tx.Raw(`SELECT c.* FROM return_items i JOIN carriers c ON c.id = i.carrier_id
		WHERE i.batch_id = ? ORDER BY i.ord`, batchID).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("carriers of return batch %s: %w", batchID, err)
	}
	return out, nil
}

// openSlips names the open slips that list a carrier: a pending 清退 slip
// and a pending or approved 销毁 slip ("" for none). While a slip lists a
// carrier, the carrier may not leave the register by another way (作废,
// 解密, 清退 or 归档), or the slip could never be handed over or completed.
func openSlips(tx *gorm.DB, carrierID string) (returnSlip, destroySlip string, err error) {
	if err = tx.Raw(`SELECT b.slip_no FROM return_items i JOIN return_batches b ON b.id = i.batch_id
		WHERE i.carrier_id = ? AND b.state = ? LIMIT 1`, carrierID, models.ReturnPending).Scan(&returnSlip).Error; err != nil {
		return "", "", fmt.Errorf("open return slips of %s: %w", carrierID, err)
	}
	if err = tx.Raw(`SELECT b.slip_no FROM destruction_items i JOIN destruction_batches b ON b.id = i.batch_id
		WHERE i.carrier_id = ? AND b.state IN ? LIMIT 1`, carrierID,
		[]models.DestructionState{models.DestructionPending, models.DestructionApproved}).Scan(&destroySlip).Error; err != nil {
		return "", "", fmt.Errorf("open destruction slips of %s: %w", carrierID, err)
	}
	return returnSlip, destroySlip, nil
}

// refuseIfOnSlip refuses act on carrier c while an open slip lists it.
func refuseIfOnSlip(tx *gorm.DB, field string, c *models.Carrier, act string) error {
	ret, destroy, err := openSlips(tx, c.ID)
	if err != nil {
		return err
	}
	if ret != "" {
		return fieldError(field, models.ErrInReturnBatch,
			"%s 已列入清退单 %s，不能%s；如清退单有误，请先作废该清退单", c.RegNo, ret, act)
	}
	if destroy != "" {
		return fieldError(field, models.ErrInOpenBatch,
			"%s 已列入销毁单 %s，不能%s；须待该销毁单销毁完成或不予批准", c.RegNo, destroy, act)
	}
	return nil
}

// ReturnCandidate is what one issuer has flagged for return and not yet
// listed on a 清退 slip: how many are in store, how many away.
type ReturnCandidate struct {
	Issuer  string
	Count   int // flagged and held
	InStore int
	Away    int // 传阅中, 借出, 外出携带: must come back before the batch
}

// ReturnCandidates lists, per issuer, the held carriers flagged for return
// (R8, R16) that are on no pending 清退 slip. Clerk only.
func (s *Service) ReturnCandidates(sess *Session) (_ []ReturnCandidate, err error) {
	defer s.refused(sess, "ReturnCandidates", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	// Counted per issuer: the carriers themselves are listed on the slip.
	var out []ReturnCandidate
	err = s.db.Raw(`SELECT c.issuer, count(*) AS count, sum(c.state = ?) AS in_store, sum(c.state <> ?) AS away
		FROM carriers c WHERE c.return_to_issuer AND c.state IN ?
		AND NOT EXISTS (SELECT 1 FROM return_items i JOIN return_batches b ON b.id = i.batch_id
			WHERE i.carrier_id = c.id AND b.state = ?)
		GROUP BY c.issuer ORDER BY c.issuer`, models.StateInStore, models.StateInStore, models.HeldStates, models.ReturnPending).
		Scan(&out).Error
	return out, err
}

// CreateReturnBatch lists on one 清退 slip every held carrier of issuer
// flagged for return (R8, R16). Every one must be 在库: carriers away are
// named and the slip refused until they come back. Clerk only.
func (s *Service) CreateReturnBatch(sess *Session, issuer string) (_ models.ReturnBatch, err error) {
	defer s.refused(sess, "CreateReturnBatch", issuer, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.ReturnBatch{}, err
	}
	issuer = strings.TrimSpace(issuer)
	var v models.ValidationError
	checkText(&v, FieldReturnIssuer, issuer, "来文单位", MaxIssuerLen, true)
	if len(v.Fields) > 0 {
		return models.ReturnBatch{}, &v
	}
	var out models.ReturnBatch
	err = s.write(func(tx *gorm.DB) error {
		carriers, err := flaggedOf(tx, issuer)
		if err != nil {
			return err
		}
		if len(carriers) == 0 {
			return fieldError(FieldReturnIssuer, models.ErrNothingToReturn,
				"%s 没有标记清退且尚未列入清退单的载体", issuer)
		}
		var away []string
		for _, c := range carriers {
			if c.State != models.StateInStore {
				away = append(away, fmt.Sprintf("%s（%s）", c.RegNo, c.State))
			}
		}
		if len(away) > 0 {
			return fieldError(FieldReturnCarriers, models.ErrAwayForReturn,
				"以下标记清退的载体不在库，须收回后才能清退：%s", strings.Join(away, "、"))
		}
		today := s.today()
		n, err := nextCounter(tx, returnCounterName(today.Year()))
		if err != nil {
			return err
		}
		now := s.now()
		out = models.ReturnBatch{ID: uuid.NewString(), SlipNo: FormatReturnSlipNo(today.Year(), n), Issuer: issuer,
			State: models.ReturnPending, CreatedAt: now, CreatedBy: sess.FullName, Items: len(carriers)}
		if err := tx.Create(&out).Error; err != nil {
			return fmt.Errorf("insert return batch: %w", err)
		}
		regNos := make([]string, len(carriers))
		for i, c := range carriers {
			it := models.ReturnItem{BatchID: out.ID, Ord: i + 1, CarrierID: c.ID}
			if err := tx.Create(&it).Error; err != nil {
				return fmt.Errorf("insert return item %s: %w", c.RegNo, err)
			}
			if err := addEvent(tx, now, sess, c.ID, 0, models.ActionReturnList, "", "",
				fmt.Sprintf("列入清退单 %s，退还 %s", out.SlipNo, issuer), ""); err != nil {
				return err
			}
			regNos[i] = c.RegNo
		}
		return s.audit(tx, sess, models.EventReturnBatch, out.SlipNo, true,
			fmt.Sprintf("清退%d件，退还 %s：%s", len(carriers), issuer, strings.Join(regNos, "、")))
	})
	if err != nil {
		return models.ReturnBatch{}, err
	}
	return out, nil
}

// HandOverReturnBatch records that a 清退 slip's carriers were handed back to
// the issuer's receiver on date: every carrier, checked again to be 在库 and
// still flagged, becomes 已清退 in one transaction (R8, R16). Clerk only.
func (s *Service) HandOverReturnBatch(sess *Session, batchID, handedTo, date string) (_ models.ReturnBatch, err error) {
	defer s.refused(sess, "HandOverReturnBatch", batchID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.ReturnBatch{}, err
	}
	handedTo, date = strings.TrimSpace(handedTo), strings.TrimSpace(date)
	today := s.today()
	var v models.ValidationError
	checkText(&v, FieldHandedTo, handedTo, "接收人", MaxRequesterLen, true)
	d, derr := models.ParseDate(date)
	switch {
	case date == "":
		v.Fields = append(v.Fields, models.FieldError{Field: FieldHandedOverOn,
			Msg: fmt.Sprintf("请填写交接日期，例如 %s", today.Format(models.DateLayout))})
	case derr != nil:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldHandedOverOn,
			Msg: fmt.Sprintf("交接日期应写作 年-月-日，例如 %s", today.Format(models.DateLayout))})
	case d.After(today):
		v.Fields = append(v.Fields, models.FieldError{Field: FieldHandedOverOn,
			Msg: fmt.Sprintf("交接日期不能晚于今天（%s）", today.Format(models.DateLayout))})
	}
	if len(v.Fields) > 0 {
		return models.ReturnBatch{}, &v
	}
	on := d.Format(models.DateLayout)
	var b models.ReturnBatch
	err = s.write(func(tx *gorm.DB) error {
		var err error
		if b, err = takeReturnBatch(tx, batchID); err != nil {
			return err
		}
		if b.State != models.ReturnPending {
			return fieldError(FieldReturnBatch, models.ErrReturnDone, "清退单 %s %s，不能再次交接", b.SlipNo, b.State)
		}
		if created := b.CreatedAt.In(today.Location()).Format(models.DateLayout); on < created {
			return fieldError(FieldHandedOverOn, models.ErrBackdated,
				"交接日期 %s 早于清退单登记日期 %s", on, created)
		}
		carriers, err := returnCarriers(tx, b.ID)
		if err != nil {
			return err
		}
		var away []string
		for _, c := range carriers {
			switch {
			case c.State != models.StateInStore:
				away = append(away, fmt.Sprintf("%s（%s）", c.RegNo, c.State))
			case !c.ReturnToIssuer:
				return fieldError(FieldReturnCarriers, models.ErrReturnToIssuer,
					"%s 已取消清退标记，不能按清退单 %s 交接", c.RegNo, b.SlipNo)
			}
		}
		if len(away) > 0 {
			return fieldError(FieldReturnCarriers, models.ErrAwayForReturn,
				"以下载体不在库，须收回后才能交接：%s", strings.Join(away, "、"))
		}
		now := s.now()
		reason := fmt.Sprintf("清退单 %s，%s 交 %s 接收人 %s", b.SlipNo, on, b.Issuer, handedTo)
		regNos := make([]string, len(carriers))
		for i := range carriers {
			c := &carriers[i]
			if err := s.setCarrierState(tx, sess, c, models.StateInStore, models.StateReturned,
				models.ActionReturn, reason, now); err != nil {
				return err
			}
			regNos[i] = c.RegNo
		}
		res := tx.Model(&models.ReturnBatch{}).Where("id = ? AND state = ?", b.ID, models.ReturnPending).
			Updates(map[string]any{"state": models.ReturnHandedOver, "handed_over_on": on, "handed_to": handedTo,
				"handed_by": sess.FullName, "handed_at": now})
		if res.Error != nil {
			return fmt.Errorf("hand over %s: %w", b.SlipNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		b.State, b.HandedOverOn, b.HandedTo, b.HandedBy, b.HandedAt = models.ReturnHandedOver, on, handedTo,
			sess.FullName, &now
		b.Items = len(carriers)
		return s.audit(tx, sess, models.EventReturnHandover, b.SlipNo, true,
			fmt.Sprintf("%s %d件：%s", reason, len(carriers), strings.Join(regNos, "、")))
	})
	if err != nil {
		return models.ReturnBatch{}, err
	}
	return b, nil
}

// ReturnBatches lists the 清退 slips, newest first. Clerk only.
func (s *Service) ReturnBatches(sess *Session) (_ []models.ReturnBatch, err error) {
	defer s.refused(sess, "ReturnBatches", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.ReturnBatch
	if err := s.db.Order("created_at DESC, slip_no DESC").Find(&out).Error; err != nil {
		return nil, err
	}
	n, err := s.itemCounts("return_items")
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Items = n[out[i].ID]
	}
	return out, nil
}

// ReturnList is the data of a 清退清单, printed per issuer (R8).
type ReturnList struct {
	Batch  models.ReturnBatch
	Items  []DestructionListItem // 序号, 题名, 文号, 份号, 密级★期限, 页数…
	Totals []KindTotal           // in the order of models.CarrierKinds, kinds present only
	Pages  int                   // 页数 in all
}

// TotalsText joins the totals: 纸介质 2 份，U盘 1 个.
func (l ReturnList) TotalsText() string {
	parts := make([]string, len(l.Totals))
	for i, t := range l.Totals {
		parts[i] = t.String()
	}
	return strings.Join(parts, "，")
}

// ReturnList returns the 清退清单 of a batch: its items in order and the
// totals by carrier kind. Clerk only.
func (s *Service) ReturnList(sess *Session, batchID string) (_ ReturnList, err error) {
	defer s.refused(sess, "ReturnList", batchID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return ReturnList{}, err
	}
	var out ReturnList
	if out.Batch, err = takeReturnBatch(s.db, batchID); err != nil {
		return ReturnList{}, err
	}
	carriers, err := returnCarriers(s.db, batchID)
	if err != nil {
		return ReturnList{}, err
	}
	out.Batch.Items = len(carriers)
	out.Items, out.Totals = listOf(carriers)
	for _, c := range carriers {
		out.Pages += c.Pages
	}
	return out, nil
}

// VoidReturnBatch voids a 清退 slip made in error, before it is handed over:
// the slip and its list are kept (R14), marked 已作废 with the reason in
// every carrier's history and the audit trail; its carriers keep their
// 清退 flag and may go on a new slip, or be unflagged. Clerk only.
func (s *Service) VoidReturnBatch(sess *Session, batchID, reason string) (_ models.ReturnBatch, err error) {
	defer s.refused(sess, "VoidReturnBatch", batchID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.ReturnBatch{}, err
	}
	reason = strings.TrimSpace(reason)
	var v models.ValidationError
	checkText(&v, FieldReturnVoid, reason, "作废原因", MaxResolutionLen, true)
	if len(v.Fields) > 0 {
		return models.ReturnBatch{}, &v
	}
	var b models.ReturnBatch
	err = s.write(func(tx *gorm.DB) error {
		var err error
		if b, err = takeReturnBatch(tx, batchID); err != nil {
			return err
		}
		if b.State != models.ReturnPending {
			return fieldError(FieldReturnBatch, models.ErrReturnDone, "清退单 %s %s，不能作废", b.SlipNo, b.State)
		}
		if err := tx.Model(&models.ReturnBatch{}).Where("id = ? AND state = ?", b.ID, models.ReturnPending).
			Update("state", models.ReturnCancelled).Error; err != nil {
			return fmt.Errorf("void return batch %s: %w", b.SlipNo, err)
		}
		b.State = models.ReturnCancelled
		carriers, err := returnCarriers(tx, b.ID)
		if err != nil {
			return err
		}
		b.Items = len(carriers)
		now := s.now()
		why := fmt.Sprintf("清退单 %s 作废：%s", b.SlipNo, reason)
		for _, c := range carriers {
			if err := addEvent(tx, now, sess, c.ID, 0, models.ActionReturnVoid, "", "", "", why); err != nil {
				return err
			}
		}
		return s.audit(tx, sess, models.EventReturnVoid, b.SlipNo, true, fmt.Sprintf("%s，共 %d 件", why, len(carriers)))
	})
	if err != nil {
		return models.ReturnBatch{}, err
	}
	return b, nil
}

// Archive files a carrier away for good under its 档号 (归档): the carrier
// must be 在库, not flagged for return (R16) and on no open destruction slip;
// it becomes 已归档, a terminal state, and stays in the register's 全部 view.
// Clerk only.
func (s *Service) Archive(sess *Session, carrierID, fileNo, note string) (_ models.Carrier, err error) {
	defer s.refused(sess, "Archive", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Carrier{}, err
	}
	fileNo, note = strings.TrimSpace(fileNo), strings.TrimSpace(note)
	var v models.ValidationError
	if fileNo == "" {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldFileNo, Msg: "请填写档号，例如 WS·2026-Y-0012"})
		v.Cause = models.ErrNeedsFileNo
	}
	checkText(&v, FieldFileNo, fileNo, "档号", MaxFileNoLen, false)
	checkText(&v, FieldArchiveNote, note, "备注", MaxPurposeLen, false)
	if len(v.Fields) > 0 {
		return models.Carrier{}, &v
	}
	var c models.Carrier
	err = s.write(func(tx *gorm.DB) error {
		var err error
		if c, err = takeCarrier(tx, carrierID); err != nil {
			return err
		}
		switch {
		case c.State == models.StateVoided:
			return fieldError(FieldArchiveCarrier, models.ErrVoided, "%s 已作废，不能归档", c.RegNo)
		case c.State.Terminal():
			return fieldError(FieldArchiveCarrier, models.ErrTerminal, "%s %s，不能归档", c.RegNo, c.State)
		case c.State != models.StateInStore:
			return fieldError(FieldArchiveCarrier, models.ErrNotInStore,
				"%s 当前%s，只有在库的载体才能归档", c.RegNo, c.State)
		case c.ReturnToIssuer:
			return fieldError(FieldArchiveCarrier, models.ErrReturnToIssuer,
				"%s 已标记清退，应全部退还来文单位，不得归档", c.RegNo)
		}
		var slip string
		err = tx.Raw(`SELECT b.slip_no FROM destruction_items i JOIN destruction_batches b ON b.id = i.batch_id
			WHERE i.carrier_id = ? AND b.state IN ? LIMIT 1`, c.ID,
			[]models.DestructionState{models.DestructionPending, models.DestructionApproved}).Scan(&slip).Error
		if err != nil {
			return fmt.Errorf("open batches of %s: %w", c.RegNo, err)
		}
		if slip != "" {
			return fieldError(FieldArchiveCarrier, models.ErrInOpenBatch, "%s 已列入销毁单 %s，不能归档", c.RegNo, slip)
		}
		now := s.now()
		a := models.Archive{CarrierID: c.ID, FileNo: fileNo, Note: note,
			ArchivedOn: s.today().Format(models.DateLayout), CreatedAt: now, CreatedBy: sess.FullName}
		if err := tx.Create(&a).Error; err != nil {
			return fmt.Errorf("insert archive %s: %w", c.RegNo, err)
		}
		reason := "档号 " + fileNo
		if note != "" {
			reason += "，" + note
		}
		if err := s.setCarrierState(tx, sess, &c, models.StateInStore, models.StateArchived,
			models.ActionArchive, reason, now); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventArchive, c.RegNo, true,
			fmt.Sprintf("%s 份号%s %s", c.Marking(), c.CopyNoText(), reason))
	})
	if err != nil {
		return models.Carrier{}, err
	}
	return c, nil
}

// ArchiveOf returns the 归档 record of a carrier: its 档号. Clerk only.
func (s *Service) ArchiveOf(sess *Session, carrierID string) (_ models.Archive, err error) {
	defer s.refused(sess, "ArchiveOf", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Archive{}, err
	}
	var a models.Archive
	err = s.db.Where("carrier_id = ?", carrierID).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return a, fmt.Errorf("archive of %s: %w", carrierID, models.ErrNotFound)
	}
	return a, err
}
