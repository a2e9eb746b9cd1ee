package app

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// Field names of 印制 and 分发 messages.
const (
	FieldDispatchCarrier = "DispatchCarrier"
	FieldPrintCopies     = "PrintCopies"
	FieldPrinter         = "Printer"
	FieldPrintedOn       = "PrintedOn"
	FieldSpoiled         = "Spoiled"
	FieldRecipient       = "Recipient"
	FieldLineCopies      = "LineCopies"
	FieldChannel         = "Channel"
	FieldSendCopies      = "SendCopies"
	FieldSentOn          = "SentOn"
	FieldHandler         = "Handler"
	FieldSealed          = "Sealed"
	FieldReceiptNo       = "ReceiptNo"
	FieldReceiptOn       = "ReceiptOn"
	FieldSendReturnNote  = "SendReturnNote"
	FieldReceiptDays     = "ReceiptDays"
)

// MaxDispatchList bounds the lists the window and the books read at once.
const MaxDispatchList = 2000

// PrintingInput is the 印制 of an outgoing registration (R25).
type PrintingInput struct {
	CarrierID string // any copy of the registration
	Copies    int    // 印数: must match the copies registered
	Printer   string // 印制人 or 承印单位
	PrintedOn string
	Spoiled   int // 废页, sheets
	Proofs    int // 校样, sets
}

// DispatchLineInput is one line of a document's 分送范围.
type DispatchLineInput struct {
	CarrierID string
	Recipient string
	Copies    int
	Channel   models.Channel
}

// SendInput sends copies of a registration to the recipient of one line of
// its 分送范围.
type SendInput struct {
	LineID     string
	CarrierIDs []string
	SentOn     string
	Handler    string // 经手人
	Sealed     bool   // 绝密: in a sealed special envelope
}

// ReceiptInput records that a sent copy was acknowledged.
type ReceiptInput struct {
	SendingID string
	Kind      models.ReceiptKind
	No        string // 回执编号, or the name of who signed
	On        string
}

// AddDispatchLine adds a line to a document's 分送范围 (R25): a recipient
// unit, its copies and the channel. 绝密 never goes through a 机要文件交换站,
// and the lines together can't ask for more copies than were registered.
// Clerk only.
func (s *Service) AddDispatchLine(sess *Session, in DispatchLineInput) (_ models.DispatchLine, err error) {
	defer s.refused(sess, "AddDispatchLine", in.CarrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.DispatchLine{}, err
	}
	in.Recipient = strings.TrimSpace(in.Recipient)
	var v models.ValidationError
	checkText(&v, FieldRecipient, in.Recipient, "收文单位", models.MaxShortLen, true)
	if in.Copies < 1 || in.Copies > 999 {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldLineCopies, Msg: "份数应为 1 到 999"})
	}
	if !in.Channel.Valid() {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldChannel,
			Msg: "请选择分送渠道（机要交通、机要通信、机要文件交换站或机要收发人员）"})
	}
	if len(v.Fields) > 0 {
		v.Cause = models.ErrBadDispatch
		return models.DispatchLine{}, &v
	}
	var out models.DispatchLine
	err = s.write(func(tx *gorm.DB) error {
		c, cs, err := ownDocument(tx, in.CarrierID)
		if err != nil {
			return err
		}
		if in.Channel == models.ChannelExchange && c.Level == models.LevelTopSecret {
			return fieldError(FieldChannel, models.ErrBadDispatch, "绝密级文件不得通过机要文件交换站传递，请选择机要交通或机要通信")
		}
		var planned struct{ N, Lines int }
		if err := tx.Raw(`SELECT coalesce(sum(copies), 0) AS n, count(*) AS lines FROM dispatch_lines WHERE batch_id = ?`,
			c.BatchID).Scan(&planned).Error; err != nil {
			return err
		}
		if planned.N+in.Copies > len(cs) {
			return fieldError(FieldLineCopies, models.ErrBadDispatch,
				"分送份数合计 %d 超过该文件的 %d 份（已列入分送范围 %d 份）", planned.N+in.Copies, len(cs), planned.N)
		}
		out = models.DispatchLine{ID: uuid.NewString(), BatchID: c.BatchID, Ord: planned.Lines + 1,
			Recipient: in.Recipient, Copies: in.Copies, Channel: in.Channel, CreatedAt: s.now(), CreatedBy: sess.FullName}
		if err := tx.Create(&out).Error; err != nil {
			return fmt.Errorf("insert dispatch line: %w", err)
		}
		return s.audit(tx, sess, models.EventDispatch, c.RegNo, true,
			fmt.Sprintf("分送范围第 %d 项：%s %d 份，%s", out.Ord, out.Recipient, out.Copies, out.Channel))
	})
	if err != nil {
		return models.DispatchLine{}, err
	}
	return out, nil
}

// DispatchLines is a document's 分送范围, in order, each with the copies
// sent on it and not returned.
func (s *Service) DispatchLines(sess *Session, carrierID string) (_ []models.DispatchLine, err error) {
	defer s.refused(sess, "DispatchLines", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.DispatchLine
	err = s.db.Raw(`SELECT l.* FROM dispatch_lines l
		WHERE l.batch_id = (SELECT batch_id FROM carriers WHERE id = ?) ORDER BY l.ord`, carrierID).Scan(&out).Error
	if err != nil || len(out) == 0 {
		return out, err
	}
	var sent []struct {
		LineID string
		N      int
	}
	if err := s.db.Raw(`SELECT line_id, count(*) AS n FROM sendings WHERE batch_id = ? AND returned_on = ''
		GROUP BY line_id`, out[0].BatchID).Scan(&sent).Error; err != nil {
		return nil, err
	}
	for _, x := range sent {
		for i := range out {
			if out[i].ID == x.LineID {
				out[i].Sent = x.N
			}
		}
	}
	return out, nil
}

// Send records that copies of an outgoing document left for the recipient
// of a line of its 分送范围 (R25): each 在库 份号 of the registration becomes
// 已分发, leaving what the office holds, with a history line and an audit
// record. Refused for a 国家秘密 document without an approved 定密 (R24), a
// paper document without its 印制, more copies than the line has left, and
// 绝密 without a sealed special envelope. Clerk only.
func (s *Service) Send(sess *Session, in SendInput) (_ []models.Sending, err error) {
	defer s.refused(sess, "Send", in.LineID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	in.Handler = strings.TrimSpace(in.Handler)
	ids := uniqueIDs(in.CarrierIDs)
	var v models.ValidationError
	if len(ids) == 0 {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldSendCopies, Msg: "请选择要分发的份号"})
	}
	checkText(&v, FieldHandler, in.Handler, "经手人", MaxRequesterLen, true)
	on := s.pastDay(&v, FieldSentOn, "分发日期", in.SentOn)
	if len(v.Fields) > 0 {
		v.Cause = models.ErrBadDispatch
		return nil, &v
	}
	var out []models.Sending
	err = s.write(func(tx *gorm.DB) error {
		var line models.DispatchLine
		if err := tx.Where("id = ?", in.LineID).Take(&line).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("dispatch line %s: %w", in.LineID, models.ErrNotFound)
			}
			return err
		}
		var sent int64
		if err := tx.Model(&models.Sending{}).Where("line_id = ? AND returned_on = ''", line.ID).Count(&sent).Error; err != nil {
			return err
		}
		if int(sent)+len(ids) > line.Copies {
			return fieldError(FieldSendCopies, models.ErrBadDispatch, "分送范围中%s为 %d 份，已分发 %d 份，不能再发 %d 份",
				line.Recipient, line.Copies, sent, len(ids))
		}
		now := s.now()
		for _, id := range ids {
			c, err := takeCarrier(tx, id)
			if err != nil {
				return err
			}
			if err := s.sendable(tx, &c, &line, in.Sealed, on); err != nil {
				return err
			}
			x := models.Sending{ID: uuid.NewString(), BatchID: line.BatchID, LineID: line.ID, CarrierID: c.ID,
				Recipient: line.Recipient, Channel: line.Channel, SentOn: on, Handler: in.Handler,
				Sealed: in.Sealed && c.Level == models.LevelTopSecret, SentAt: now, SentBy: sess.FullName}
			if err := tx.Create(&x).Error; err != nil {
				return fmt.Errorf("insert sending %s: %w", c.RegNo, err)
			}
			why := fmt.Sprintf("分发至%s，%s，%s，经手人 %s", x.Recipient, x.Channel, on, x.Handler)
			if x.Sealed {
				why += "，密封专用信封"
			}
			if err := s.setCarrierState(tx, sess, &c, models.StateInStore, models.StateSent, models.ActionSend, why, now); err != nil {
				return err
			}
			if err := s.audit(tx, sess, models.EventDispatch, c.RegNo, true,
				fmt.Sprintf("%s 份号%s %s", c.Marking(), c.CopyNoText(), why)); err != nil {
				return err
			}
			out = append(out, x)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func uniqueIDs(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range in {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// sendable applies R24 and R25 to one copy about to be sent on line.
func (s *Service) sendable(tx *gorm.DB, c *models.Carrier, line *models.DispatchLine, sealed bool, on string) error {
	switch {
	case c.BatchID != line.BatchID || c.IsCopy:
		return fieldError(FieldSendCopies, models.ErrNotSendable, "%s 不是该文件的印制份，不能按这份分送范围分发", c.RegNo)
	case c.State != models.StateInStore:
		return fieldError(FieldSendCopies, models.ErrNotInStore, "%s 当前%s，只有在库的份才能分发", c.RegNo, c.State)
	case c.Level == models.LevelTopSecret && !sealed:
		return fieldError(FieldSealed, models.ErrNotSendable, "绝密级文件须装入密封的专用信封分发，请确认已密封")
	case c.Level == models.LevelTopSecret && line.Channel == models.ChannelExchange:
		return fieldError(FieldSendCopies, models.ErrNotSendable, "绝密级文件不得通过机要文件交换站传递")
	case on < c.RegDate:
		return fieldError(FieldSentOn, models.ErrBackdated, "分发日期 %s 早于登记日期 %s", on, c.RegDate)
	}
	if err := refuseIfOnSlip(tx, FieldSendCopies, c, "分发"); err != nil {
		return err
	}
	if err := classified(tx, c, "分发"); err != nil {
		return reField(err, FieldDispatchCarrier, FieldSendCopies)
	}
	if c.Kind != models.KindPaper {
		return nil
	}
	var p []models.Printing
	if err := tx.Where("batch_id = ?", c.BatchID).Limit(1).Find(&p).Error; err != nil {
		return err
	}
	if len(p) == 0 {
		return fieldError(FieldSendCopies, models.ErrNotSendable, "%s 尚未登记印制：请先登记印数、份号和废页，再分发", c.RegNo)
	}
	if on < p[0].PrintedOn {
		return fieldError(FieldSentOn, models.ErrBackdated, "分发日期 %s 早于印制日期 %s", on, p[0].PrintedOn)
	}
	return nil
}

func takeSending(tx *gorm.DB, id string) (models.Sending, error) {
	var x models.Sending
	err := tx.Where("id = ?", id).Take(&x).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return x, fmt.Errorf("sending %s: %w", id, models.ErrNotFound)
	}
	return x, err
}

// RecordReceipt records the 签收 or the 回执 of a sent copy (R25). Clerk only.
func (s *Service) RecordReceipt(sess *Session, in ReceiptInput) (_ models.Sending, err error) {
	defer s.refused(sess, "RecordReceipt", in.SendingID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Sending{}, err
	}
	in.No = strings.TrimSpace(in.No)
	var v models.ValidationError
	label := "回执编号"
	switch in.Kind {
	case models.ReceiptSigned:
		label = "签收人"
	case models.ReceiptSlip:
	default:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldReceiptNo, Msg: "请选择签收或回执"})
	}
	checkText(&v, FieldReceiptNo, in.No, label, MaxRequesterLen, true)
	on := s.pastDay(&v, FieldReceiptOn, "签收或回执日期", in.On)
	if len(v.Fields) > 0 {
		v.Cause = models.ErrBadDispatch
		return models.Sending{}, &v
	}
	var x models.Sending
	err = s.write(func(tx *gorm.DB) error {
		var err error
		if x, err = takeSending(tx, in.SendingID); err != nil {
			return err
		}
		c, err := takeCarrier(tx, x.CarrierID)
		if err != nil {
			return err
		}
		switch {
		case !x.Outstanding():
			return fieldError(FieldReceiptNo, models.ErrRequestDecided, "%s 的分发已%s，不能再登记", c.RegNo, settledText(&x))
		case on < x.SentOn:
			return fieldError(FieldReceiptOn, models.ErrBackdated, "签收或回执日期 %s 早于分发日期 %s", on, x.SentOn)
		}
		res := tx.Model(&models.Sending{}).Where("id = ? AND receipt_on = '' AND returned_on = ''", x.ID).
			Updates(map[string]any{"receipt": in.Kind, "receipt_no": in.No, "receipt_on": on})
		if res.Error != nil {
			return fmt.Errorf("receipt %s: %w", c.RegNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		x.Receipt, x.ReceiptNo, x.ReceiptOn = in.Kind, in.No, on
		what := fmt.Sprintf("%s%s %s %s", x.Recipient, in.Kind, in.No, on)
		if err := addEvent(tx, s.now(), sess, c.ID, 0, models.ActionReceipt, "", "", "", what); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventDispatch, c.RegNo, true, what)
	})
	if err != nil {
		return models.Sending{}, err
	}
	return x, nil
}

// settledText says how a sending was settled.
func settledText(x *models.Sending) string {
	if x.ReturnedOn != "" {
		return "于 " + x.ReturnedOn + " 退回"
	}
	return string(x.Receipt) + "（" + x.ReceiptOn + "）"
}

// ReturnSent records that a copy sent in error came back (R25): it is 在库
// again, with the note in its history; the sending is kept, marked
// returned. Clerk only.
func (s *Service) ReturnSent(sess *Session, sendingID, on, note string) (_ models.Sending, err error) {
	defer s.refused(sess, "ReturnSent", sendingID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Sending{}, err
	}
	note = strings.TrimSpace(note)
	var v models.ValidationError
	checkText(&v, FieldSendReturnNote, note, "退回说明", MaxPurposeLen, true)
	on = s.pastDay(&v, FieldReceiptOn, "退回日期", on)
	if len(v.Fields) > 0 {
		v.Cause = models.ErrBadDispatch
		return models.Sending{}, &v
	}
	var x models.Sending
	err = s.write(func(tx *gorm.DB) error {
		var err error
		if x, err = takeSending(tx, sendingID); err != nil {
			return err
		}
		c, err := takeCarrier(tx, x.CarrierID)
		if err != nil {
			return err
		}
		switch {
		case x.ReturnedOn != "":
			return fieldError(FieldSendReturnNote, models.ErrRequestDecided, "%s 已于 %s 退回", c.RegNo, x.ReturnedOn)
		case c.State != models.StateSent:
			return fieldError(FieldSendReturnNote, models.ErrStale, "%s 当前%s，不是已分发", c.RegNo, c.State)
		case on < x.SentOn:
			return fieldError(FieldReceiptOn, models.ErrBackdated, "退回日期 %s 早于分发日期 %s", on, x.SentOn)
		}
		res := tx.Model(&models.Sending{}).Where("id = ? AND returned_on = ''", x.ID).
			Updates(map[string]any{"returned_on": on, "return_note": note})
		if res.Error != nil {
			return fmt.Errorf("return %s: %w", c.RegNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		x.ReturnedOn, x.ReturnNote = on, note
		why := fmt.Sprintf("误发退回：原分发至%s（%s），%s 收回，%s", x.Recipient, x.SentOn, on, note)
		if err := s.setCarrierState(tx, sess, &c, models.StateSent, models.StateInStore, models.ActionSendUndo, why, s.now()); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventDispatch, c.RegNo, true, why)
	})
	if err != nil {
		return models.Sending{}, err
	}
	return x, nil
}
