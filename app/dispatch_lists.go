package app

// What the lists, the books and the home read of 分发 (R25) and of the
// office's own documents awaiting their next step.

import (
	"fmt"
	"strconv"

	"gorm.io/gorm"

	"secdoc/models"
)

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
