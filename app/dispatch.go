package app

import (
	"errors"
	"fmt"
	"strconv"
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

func printSlipNo(year int, n int64) string { return fmt.Sprintf("印〔%d〕%04d", year, n) }

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

// SendingRow is a sending with what the lists show of its copy.
type SendingRow struct {
	models.Sending
	RegNo     string
	CopyNo    int
	Title     string
	DocNumber string
	Level     models.Level
	Marking   string
}

const sendingRowSQL = `SELECT x.*, c.reg_no, c.copy_no, c.title, c.doc_number, c.level,
	c.term_kind, c.term_years, c.term_months, c.term_until, c.term_condition
	FROM sendings x JOIN carriers c ON c.id = x.carrier_id `

func (s *Service) sendingRows(query string, args ...any) ([]SendingRow, error) {
	var raw []struct {
		models.Sending
		RegNo, Title, DocNumber  string
		CopyNo                   int
		Level                    models.Level
		TermKind                 models.TermKind
		TermYears, TermMonths    int
		TermUntil, TermCondition string
	}
	if err := s.db.Raw(sendingRowSQL+query, args...).Scan(&raw).Error; err != nil {
		return nil, err
	}
	out := make([]SendingRow, len(raw))
	for i, r := range raw {
		t := models.Term{Kind: r.TermKind, Years: r.TermYears, Months: r.TermMonths, Until: r.TermUntil, Condition: r.TermCondition}
		out[i] = SendingRow{Sending: r.Sending, RegNo: r.RegNo, CopyNo: r.CopyNo, Title: r.Title,
			DocNumber: r.DocNumber, Level: r.Level, Marking: models.Marking(r.Level, t)}
	}
	return out, nil
}

// SendingsOf lists the sendings of a carrier's registration, in 份号 order.
func (s *Service) SendingsOf(sess *Session, carrierID string) (_ []SendingRow, err error) {
	defer s.refused(sess, "SendingsOf", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	return s.sendingRows(`WHERE x.batch_id = (SELECT batch_id FROM carriers WHERE id = ?)
		ORDER BY c.copy_no, x.sent_at LIMIT ?`, carrierID, MaxDispatchList)
}

// CourierRun lists the sendings of one day, of one channel or all, in the
// order they were recorded: the 送文簿 of a day's or a courier's run.
func (s *Service) CourierRun(sess *Session, day string, ch models.Channel) (_ []SendingRow, err error) {
	defer s.refused(sess, "CourierRun", day, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	if _, err := models.ParseDate(day); err != nil {
		return nil, fieldError(FieldSentOn, models.ErrBadDispatch, "日期应写作 年-月-日")
	}
	if ch == "" {
		return s.sendingRows(`WHERE x.sent_on = ? ORDER BY x.channel, x.sent_at, c.copy_no LIMIT ?`, day, MaxDispatchList)
	}
	return s.sendingRows(`WHERE x.sent_on = ? AND x.channel = ? ORDER BY x.sent_at, c.copy_no LIMIT ?`,
		day, ch, MaxDispatchList)
}

// ReceiptDays is after how many days a missing 回执 is overdue (R25).
func (s *Service) ReceiptDays() int { return receiptDays(s.db) }

func receiptDays(tx *gorm.DB) int {
	var v string
	tx.Raw(`SELECT value FROM settings WHERE key = ?`, models.SettingReceiptDays).Scan(&v)
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return n
	}
	return models.DefaultReceiptDays
}

// SetReceiptDays sets after how many days a missing 回执 is overdue, 1 to
// 365. Security officer only; audited.
func (s *Service) SetReceiptDays(sess *Session, days int) (err error) {
	defer s.refused(sess, "SetReceiptDays", "", &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return err
	}
	if days < 1 || days > 365 {
		return fieldError(FieldReceiptDays, models.ErrBadDispatch, "回执期限应为 1 到 365 天")
	}
	return s.write(func(tx *gorm.DB) error {
		if err := setSetting(tx, models.SettingReceiptDays, strconv.Itoa(days)); err != nil {
			return fmt.Errorf("write setting: %w", err)
		}
		return s.audit(tx, sess, models.EventSettingsChange, models.SettingReceiptDays, true,
			fmt.Sprintf("回执期限：分发后 %d 天未回执即为逾期", days))
	})
}

// ReceiptCutoff is the last 分发日期 whose missing 回执 is overdue today:
// the ledger's 回执逾期 is Query.ReceiptsDueBy set to it.
func (s *Service) ReceiptCutoff() string {
	return s.today().AddDate(0, 0, -receiptDays(s.db)).Format(models.DateLayout)
}

// OverdueReceipts lists copies sent without a 签收 or 回执 past the
// configured days, oldest first, at most limit, with their total up to
// HomeCountCap (R25).
func (s *Service) OverdueReceipts(sess *Session, limit int) (_ []SendingRow, total int, err error) {
	defer s.refused(sess, "OverdueReceipts", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, 0, err
	}
	cut := s.ReceiptCutoff()
	var n int64
	if err := s.db.Raw(`SELECT count(*) FROM (SELECT 1 FROM sendings WHERE receipt_on = '' AND returned_on = ''
		AND sent_on <= ? LIMIT ?)`, cut, HomeCountCap).Scan(&n).Error; err != nil {
		return nil, 0, err
	}
	rows, err := s.sendingRows(`WHERE x.receipt_on = '' AND x.returned_on = '' AND x.sent_on <= ?
		ORDER BY x.sent_on, c.seq LIMIT ?`, cut, limit)
	return rows, int(n), err
}

// OwnDocument is one outgoing registration on the home's lists.
type OwnDocument struct {
	CarrierID string
	RegNo     string
	Title     string
	Marking   string
	Copies    int
	Step      string // what it waits for
}

// HomeCountCap bounds the totals the home's 发文 lists count: beyond it
// the home says "以上" and the ledger's filters list them all, so that the
// home does not grow with twenty years of register.
const HomeCountCap = 1000

// ownPending is the copies of the office's own 国家秘密 documents still in
// store, written as the partial index idx_carriers_own_pending is, so that
// it applies.
const ownPending = `c.direction = 'out' AND c.is_copy = 0 AND c.level > 0 AND c.state = 'in_store'`

// AwaitingClassification lists outgoing 国家秘密 registrations still held
// whose 定密 is not approved (待定密), newest first, at most limit, with
// their total up to HomeCountCap (R24). Each is read off the partial index
// of such copies, newest first, one line per registration.
func (s *Service) AwaitingClassification(sess *Session, limit int) (_ []OwnDocument, total int, err error) {
	defer s.refused(sess, "AwaitingClassification", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, 0, err
	}
	const notApproved = ` AND NOT EXISTS (SELECT 1 FROM classifications a WHERE a.batch_id = c.batch_id AND a.state = 'approved')`
	var n int64
	if err := s.db.Raw(`SELECT count(*) FROM (SELECT DISTINCT c.batch_id FROM carriers c INDEXED BY idx_carriers_own_pending WHERE `+ownPending+notApproved+
		` LIMIT ?)`, HomeCountCap).Scan(&n).Error; err != nil {
		return nil, 0, err
	}
	// The first copy in store of each registration stands for it.
	var rows []struct {
		models.Carrier
		Copies int
		KState *models.ClassState
	}
	err = s.db.Raw(`SELECT c.*, (SELECT count(*) FROM carriers x WHERE x.batch_id = c.batch_id AND x.is_copy = 0
			AND x.state <> 'voided') AS copies,
		(SELECT k.state FROM classifications k WHERE k.batch_id = c.batch_id) AS k_state
		FROM carriers c INDEXED BY idx_carriers_own_pending WHERE `+ownPending+notApproved+`
		AND NOT EXISTS (SELECT 1 FROM carriers y INDEXED BY idx_carriers_batch WHERE y.batch_id = c.batch_id AND y.seq < c.seq AND y.direction = 'out'
			AND y.is_copy = 0 AND y.level > 0 AND y.state = 'in_store')
		ORDER BY c.seq DESC LIMIT ?`, limit).Scan(&rows).Error
	out := make([]OwnDocument, len(rows))
	for i, r := range rows {
		step := "待提出定密"
		if r.KState != nil {
			step = r.KState.String()
		}
		out[i] = OwnDocument{CarrierID: r.ID, RegNo: r.RegNo, Title: r.Title, Marking: r.Marking(), Copies: r.Copies, Step: step}
	}
	return out, int(n), err
}

// AwaitingDispatch lists printed registrations with copies still to send
// (待分发): a 分送范围 not yet set, or lines with copies not yet sent,
// newest first, at most limit, with their total up to HomeCountCap (R25).
func (s *Service) AwaitingDispatch(sess *Session, limit int) (_ []OwnDocument, total int, err error) {
	defer s.refused(sess, "AwaitingDispatch", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, 0, err
	}
	// Per printing, from the indexes of its lines and sendings.
	const open = `FROM (SELECT p.rowid AS prow, p.carrier_id, p.copies,
			(SELECT sum(l.copies) FROM dispatch_lines l WHERE l.batch_id = p.batch_id) AS planned,
			(SELECT count(*) FROM sendings x WHERE x.batch_id = p.batch_id AND x.returned_on = '') AS sent
		FROM printings p) p WHERE (p.planned IS NULL OR p.planned > p.sent)`
	var n int64
	if err := s.db.Raw(`SELECT count(*) FROM (SELECT 1 `+open+` LIMIT ?)`, HomeCountCap).Scan(&n).Error; err != nil {
		return nil, 0, err
	}
	var rows []struct {
		models.Carrier
		Copies  int
		Planned *int
		Sent    int
	}
	err = s.db.Raw(`SELECT c.*, p.copies, p.planned, p.sent FROM carriers c JOIN (SELECT p.* `+open+
		` ORDER BY p.prow DESC LIMIT ?) p ON c.id = p.carrier_id ORDER BY p.prow DESC`, limit).Scan(&rows).Error
	if err != nil {
		return nil, 0, err
	}
	out := make([]OwnDocument, len(rows))
	for i, r := range rows {
		step := "待定分送范围"
		if r.Planned != nil {
			step = fmt.Sprintf("待分发 %d 份", *r.Planned-r.Sent)
		}
		out[i] = OwnDocument{CarrierID: r.ID, RegNo: r.RegNo, Title: r.Title, Marking: r.Marking(), Copies: r.Copies, Step: step}
	}
	return out, int(n), nil
}

// Unsent lists the copies of a carrier's registration that are 在库 and
// can be sent, in 份号 order.
func (s *Service) Unsent(sess *Session, carrierID string) (_ []models.Carrier, err error) {
	defer s.refused(sess, "Unsent", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.Carrier
	err = s.db.Where("batch_id = (SELECT batch_id FROM carriers WHERE id = ?) AND is_copy = 0 AND state = ?",
		carrierID, models.StateInStore).Order("copy_no, seq").Limit(MaxDispatchList).Find(&out).Error
	return out, err
}
