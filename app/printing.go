package app

// 印制 of the office's own documents (R25): the printing, its spoiled
// sheets on a destruction list of their own, and the 定密 it needs first.

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

func printSlipNo(year int, n int64) string { return fmt.Sprintf("印〔%d〕%04d", year, n) }

// ownDocument reads the copies of an outgoing registration (its own 份号,
// not copies made later, not voided), in 份号 order, from any of them.
func ownDocument(tx *gorm.DB, carrierID string) (models.Carrier, []models.Carrier, error) {
	c, err := takeCarrier(tx, carrierID)
	if err != nil {
		return c, nil, err
	}
	if c.Direction != models.DirOutgoing || c.IsCopy {
		return c, nil, fieldError(FieldDispatchCarrier, models.ErrBadDispatch,
			"%s 不是本机关制发文件的印制份，只有本机关制发的文件才登记印制和分发", c.RegNo)
	}
	var cs []models.Carrier
	err = tx.Where("batch_id = ? AND is_copy = 0 AND state <> ?", c.BatchID, models.StateVoided).
		Order("copy_no, seq").Find(&cs).Error
	return c, cs, err
}

// classified refuses an outgoing 国家秘密 document whose 定密 is not
// approved (R24): it can't be printed for distribution or sent.
func classified(tx *gorm.DB, c *models.Carrier, act string) error {
	if !c.Level.IsStateSecret() {
		return nil
	}
	var k []models.Classification
	if err := tx.Where("batch_id = ?", c.BatchID).Limit(1).Find(&k).Error; err != nil {
		return err
	}
	why := "尚无定密记录"
	if len(k) > 0 {
		if k[0].State == models.ClassApproved {
			return nil
		}
		why = "定密 " + k[0].SlipNo + " " + k[0].State.String()
	}
	return fieldError(FieldDispatchCarrier, models.ErrNotClassified,
		"%s 是%s文件，%s：须经定密责任人审定定密后才能%s", c.RegNo, c.Level, why, act)
}

// RecordPrinting records the 印制 of an outgoing registration (R25): 印数
// (equal to the copies registered), the 份号 range, who printed it and
// when, and the spoiled sheets and proofs, which go in the same act onto a
// 销毁 list of their own, so nothing printed is unaccounted for. A 国家秘密
// document must have its 定密 approved first (R24). Clerk only.
func (s *Service) RecordPrinting(sess *Session, in PrintingInput) (_ models.Printing, err error) {
	defer s.refused(sess, "RecordPrinting", in.CarrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Printing{}, err
	}
	in.Printer = strings.TrimSpace(in.Printer)
	var v models.ValidationError
	checkText(&v, FieldPrinter, in.Printer, "印制人或承印单位", MaxRequesterLen, true)
	on := s.pastDay(&v, FieldPrintedOn, "印制日期", in.PrintedOn)
	if in.Copies < 1 {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldPrintCopies, Msg: "请填写印数（印制的份数）"})
	}
	if in.Spoiled < 0 || in.Proofs < 0 || in.Spoiled > 9999 || in.Proofs > 9999 {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldSpoiled, Msg: "废页和校样的数量应为 0 到 9999"})
	}
	if len(v.Fields) > 0 {
		v.Cause = models.ErrBadDispatch
		return models.Printing{}, &v
	}
	var out models.Printing
	err = s.write(func(tx *gorm.DB) error {
		c, cs, err := ownDocument(tx, in.CarrierID)
		if err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&models.Printing{}).Where("batch_id = ?", c.BatchID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return fieldError(FieldDispatchCarrier, models.ErrBadDispatch, "%s 已登记印制", c.RegNo)
		}
		if err := classified(tx, &c, "印制分发"); err != nil {
			return err
		}
		var decided string
		tx.Raw(`SELECT decided_on FROM classifications WHERE batch_id = ?`, c.BatchID).Scan(&decided)
		if on < decided {
			return fieldError(FieldPrintedOn, models.ErrBackdated, "印制日期 %s 早于定密审定日期 %s：须先定密后印制", on, decided)
		}
		if in.Copies != len(cs) {
			return fieldError(FieldPrintCopies, models.ErrBadDispatch,
				"印数 %d 与登记的 %d 份不符：每一份印件都要登记，请先补登或更正登记", in.Copies, len(cs))
		}
		for _, x := range cs {
			if x.State != models.StateInStore {
				return fieldError(FieldDispatchCarrier, models.ErrNotInStore, "%s %s，印制登记须在分发之前", x.RegNo, x.State)
			}
		}
		if on < c.RegDate {
			return fieldError(FieldPrintedOn, models.ErrBackdated, "印制日期 %s 早于登记日期 %s", on, c.RegDate)
		}
		today := s.today()
		seq, err := nextCounter(tx, fmt.Sprintf("print:%d", today.Year()))
		if err != nil {
			return err
		}
		now := s.now()
		out = models.Printing{ID: uuid.NewString(), SlipNo: printSlipNo(today.Year(), seq), BatchID: c.BatchID,
			CarrierID: cs[0].ID, Copies: in.Copies, FirstNo: cs[0].CopyNo, LastNo: cs[len(cs)-1].CopyNo,
			Printer: in.Printer, PrintedOn: on, Spoiled: in.Spoiled, Proofs: in.Proofs, CreatedAt: now,
			CreatedBy: sess.FullName}
		waste := ""
		if in.Spoiled+in.Proofs > 0 {
			b, err := s.wasteBatch(tx, sess, &c, &out)
			if err != nil {
				return err
			}
			out.DestructionID = &b.ID
			waste = "，废页、校样列入销毁单 " + b.SlipNo
		}
		if err := tx.Create(&out).Error; err != nil {
			return fmt.Errorf("insert printing: %w", err)
		}
		what := fmt.Sprintf("印制 %s：印数 %d，份号 %s，%s %s%s", out.SlipNo, out.Copies, out.RangeText(),
			out.Printer, out.PrintedOn, waste)
		for _, x := range cs {
			if err := addEvent(tx, now, sess, x.ID, 0, models.ActionPrinted, "", "", "", what); err != nil {
				return err
			}
		}
		return s.audit(tx, sess, models.EventPrinting, c.RegNo, true,
			what+fmt.Sprintf("，废页 %d 张，校样 %d 份", out.Spoiled, out.Proofs))
	})
	if err != nil {
		return models.Printing{}, err
	}
	return out, nil
}

// wasteBatch puts a printing's spoiled sheets and proofs onto a 销毁 list
// of their own (R25): a batch without carriers, of the document's level,
// decided and destroyed as any other. Its lines come from the printing.
func (s *Service) wasteBatch(tx *gorm.DB, sess *Session, c *models.Carrier, p *models.Printing) (models.DestructionBatch, error) {
	today := s.today()
	n, err := nextCounter(tx, destructionCounterName(today.Year()))
	if err != nil {
		return models.DestructionBatch{}, err
	}
	b := models.DestructionBatch{ID: uuid.NewString(), SlipNo: FormatDestructionSlipNo(today.Year(), n),
		Reason: fmt.Sprintf("%s 印制废页 %d 张、校样 %d 份", c.RegNo, p.Spoiled, p.Proofs), Requester: p.Printer,
		RequestedOn: today.Format(models.DateLayout), RequestedAt: s.now(), RequestedBy: sess.FullName,
		State: models.DestructionPending}
	if err := tx.Create(&b).Error; err != nil {
		return b, fmt.Errorf("insert destruction batch: %w", err)
	}
	if err := s.audit(tx, sess, models.EventDestroyRequest, b.SlipNo, true, b.Reason); err != nil {
		return b, err
	}
	if c.Level.IsStateSecret() {
		return b, nil
	}
	err = s.decide(tx, sess, &models.DestructionBatch{}, b.ID, models.DestructionPending, models.DestructionApproved,
		&b.Decided, nil, NoApproval, "", today.Format(models.DateLayout), nil)
	b.State = models.DestructionApproved
	return b, err
}

// wasteOf is the printing whose spoiled sheets a destruction batch lists,
// nil for a batch of carriers.
func wasteOf(tx *gorm.DB, batchID string) (*models.Printing, *models.Carrier, error) {
	var ps []models.Printing
	if err := tx.Where("destruction_id = ?", batchID).Limit(1).Find(&ps).Error; err != nil || len(ps) == 0 {
		return nil, nil, err
	}
	c, err := takeCarrier(tx, ps[0].CarrierID)
	if err != nil {
		return nil, nil, err
	}
	return &ps[0], &c, nil
}

// PrintingOf is the 印制 record of a carrier's registration, nil when none.
func (s *Service) PrintingOf(sess *Session, carrierID string) (_ *models.Printing, err error) {
	defer s.refused(sess, "PrintingOf", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.Printing
	err = s.db.Raw(`SELECT p.* FROM printings p JOIN carriers c ON c.batch_id = p.batch_id WHERE c.id = ? LIMIT 1`,
		carrierID).Scan(&out).Error
	if err != nil || len(out) == 0 {
		return nil, err
	}
	return &out[0], nil
}
