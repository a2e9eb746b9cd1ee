package app

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// nextCounter hands out the next number of a named sequence. It runs inside
// the caller's write transaction, so numbers are never reused nor skipped.
func nextCounter(tx *gorm.DB, name string) (int64, error) {
	var v int64
	err := tx.Raw(`INSERT INTO counters(name, value) VALUES (?, 1)
		ON CONFLICT(name) DO UPDATE SET value = value + 1 RETURNING value`, name).Scan(&v).Error
	if err != nil {
		return 0, fmt.Errorf("counter %s: %w", name, err)
	}
	return v, nil
}

// FormatRegNo prints a register number: 收〔2026〕0001.
func FormatRegNo(d models.Direction, year int, n int64) string {
	return fmt.Sprintf("%s〔%d〕%04d", d.Prefix(), year, n)
}

func regCounterName(d models.Direction, year int) string {
	return fmt.Sprintf("reg:%s:%d", d, year)
}

// Register records one registration act: 份数 carriers numbered from the form's
// 份号, each with its own register number, history line and index entry, all in
// one transaction. The form is checked first (R12, R15); a 文号 whose copy
// number is already registered is refused.
func (s *Service) Register(sess *Session, form models.CarrierForm) (_ []models.Carrier, err error) {
	defer s.refused(sess, "Register", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	fields, err := form.Check(s.today())
	if err != nil {
		return nil, err
	}
	var out []models.Carrier
	err = s.write(func(tx *gorm.DB) error {
		out, err = s.register(tx, sess, fields)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RegisterMany registers many forms in one transaction: all of them or none.
// A bad form fails the whole call with a *RowError naming it. progress, if not
// nil, is called after each batch of forms written.
func (s *Service) RegisterMany(sess *Session, forms []models.CarrierForm, progress func(done, total int)) (_ int, err error) {
	defer s.refused(sess, "RegisterMany", "", &err)
	return s.registerMany(sess, forms, progress, nil)
}

// registerMany is RegisterMany; finish, if not nil, runs last inside the
// transaction with the number of carriers registered, so that a record of
// the whole act (an import's audit line) stands or falls with it.
func (s *Service) registerMany(sess *Session, forms []models.CarrierForm, progress func(done, total int),
	finish func(tx *gorm.DB, carriers int) error) (int, error) {
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return 0, err
	}
	today := s.today()
	checked := make([]models.CarrierFields, len(forms))
	for i, f := range forms {
		c, err := f.Check(today)
		if err != nil {
			return 0, &RowError{Row: i + 1, Err: err}
		}
		checked[i] = c
	}
	return s.registerChecked(sess, checked, "批量登记", progress, finish)
}

// bulkCacheRows is how many rows make a registration bulk work, which
// writes with a larger page cache (models.BulkCacheKiB).
const bulkCacheRows = 500

// registerChecked registers checked forms in one transaction, in batches of
// about bulkCarriers carriers (bulkregister.go), each sealed by an audit
// record with object as its object. progress, if not nil, is called after
// each batch with the forms done so far.
func (s *Service) registerChecked(sess *Session, checked []models.CarrierFields, object string,
	progress func(done, total int), finish func(tx *gorm.DB, carriers int) error) (int, error) {
	n := 0
	err := s.write(func(tx *gorm.DB) error {
		if len(checked) >= bulkCacheRows {
			if _, err := s.exec(tx, fmt.Sprintf(`PRAGMA cache_size = -%d`, models.BulkCacheKiB)); err != nil {
				return err
			}
			defer s.exec(tx, fmt.Sprintf(`PRAGMA cache_size = -%d`, models.CacheKiB))
		}
		b := &bulkRegister{s: s, tx: tx, sess: sess, object: object, people: map[string]bool{}}
		for lo := 0; lo < len(checked); {
			hi, carriers := lo, 0
			for hi < len(checked) && (hi == lo || carriers+checked[hi].Copies <= bulkCarriers) {
				carriers += checked[hi].Copies
				hi++
			}
			k, err := b.batch(checked[lo:hi], lo)
			if err != nil {
				return err
			}
			n += k
			lo = hi
			if progress != nil {
				progress(hi, len(checked))
			}
		}
		if err := b.flushSearch(); err != nil {
			return err
		}
		if finish != nil {
			return finish(tx, n)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// RowError is a failure of one row of a multi-row call.
type RowError struct {
	Row int
	Err error
}

func (e *RowError) Error() string { return fmt.Sprintf("第 %d 行：%v", e.Row, e.Err) }
func (e *RowError) Unwrap() error { return e.Err }

func (s *Service) register(tx *gorm.DB, sess *Session, f models.CarrierFields) ([]models.Carrier, error) {
	if err := checkDuplicateCopies(tx, f.DocNumber, f.CopyNos, ""); err != nil {
		return nil, err
	}
	if err := s.receiver(tx, sess, models.FieldCustodian, "责任人", f.Custodian); err != nil {
		return nil, err
	}
	now := s.now()
	batch := uuid.NewString()
	year := f.RegDate.Year()
	out := make([]models.Carrier, 0, f.Copies)
	for i := 0; i < f.Copies; i++ {
		seq, err := nextCounter(tx, "seq")
		if err != nil {
			return nil, err
		}
		n, err := nextCounter(tx, regCounterName(f.Direction, year))
		if err != nil {
			return nil, err
		}
		c := newCarrier(f, i, batch, now, sess)
		c.ID, c.Seq, c.RegNo = uuid.NewString(), seq, FormatRegNo(f.Direction, year, n)
		if err := tx.Create(&c).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return nil, duplicateError(f.DocNumber, c.CopyNo, "")
			}
			return nil, fmt.Errorf("insert carrier %s: %w", c.RegNo, err)
		}
		if err := indexCarrier(tx, &c, false); err != nil {
			return nil, err
		}
		summary := fmt.Sprintf("%s %s %s", c.RegNo, c.Marking(), copyNoWords(c.CopyNo))
		if f.Copies > 1 {
			summary += fmt.Sprintf("（共%d份之第%d份）", f.Copies, i+1)
		}
		if err := addEvent(tx, now, sess, c.ID, 0, models.ActionRegister, "", "", summary, ""); err != nil {
			return nil, err
		}
		if err := s.audit(tx, sess, models.EventRegister, c.RegNo, true, c.Marking()+" "+c.Title); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func indexCarrier(tx *gorm.DB, c *models.Carrier, replace bool) error {
	if replace {
		if err := tx.Exec(`DELETE FROM carrier_search WHERE rowid = ?`, c.Seq).Error; err != nil {
			return fmt.Errorf("unindex carrier %s: %w", c.RegNo, err)
		}
	}
	err := tx.Exec(`INSERT INTO carrier_search(rowid, tokens) VALUES (?, ?)`,
		c.Seq, models.SearchTokens(models.SearchFieldsOf(c)...)).Error
	if err != nil {
		return fmt.Errorf("index carrier %s: %w", c.RegNo, err)
	}
	return nil
}

func addEvent(tx *gorm.DB, at time.Time, sess *Session, carrierID string, ord int, action, field, old, new, reason string) error {
	ev := models.CarrierEvent{
		ID: uuid.NewString(), CarrierID: carrierID, At: at, Ord: ord, Actor: sess.FullName, ActorLogin: sess.Login, Action: action,
		Field: field, OldValue: old, NewValue: new, Reason: reason,
	}
	if err := tx.Create(&ev).Error; err != nil {
		return fmt.Errorf("record history of %s: %w", carrierID, err)
	}
	return nil
}

// copyNoWords is a 份号 as history and messages say it: 份号000012, or
// 无份号 (R22).
func copyNoWords(n int) string {
	if n <= 0 {
		return "无份号"
	}
	return "份号" + models.FormatCopyNo(n)
}

// checkDuplicateCopies refuses the copy numbers nums of docNumber that a
// living carrier (other than except) already has; a carrier without a
// number (0) is never a duplicate (R22).
func checkDuplicateCopies(tx *gorm.DB, docNumber string, nums []int, except string) error {
	numbered := make([]int, 0, len(nums))
	for _, n := range nums {
		if n > 0 {
			numbered = append(numbered, n)
		}
	}
	if docNumber == "" || len(numbered) == 0 {
		return nil
	}
	var hits []struct {
		RegNo  string
		CopyNo int
	}
	// The conditions of the partial unique index are written out literally
	// so that SQLite can prove the index applies: with bound parameters it
	// can't, and falls back to scanning every carrier.
	err := tx.Raw(`SELECT reg_no, copy_no FROM carriers
		WHERE doc_number = ? AND doc_number <> '' AND state <> '`+string(models.StateVoided)+`'
		AND copy_no > 0 AND is_copy = 0 AND copy_no IN ? AND id <> ?
		ORDER BY copy_no LIMIT 5`, docNumber, numbered, except).Scan(&hits).Error
	if err != nil {
		return fmt.Errorf("check duplicate copies: %w", err)
	}
	if len(hits) == 0 {
		return nil
	}
	return duplicateError(docNumber, hits[0].CopyNo, hits[0].RegNo)
}

func duplicateError(docNumber string, copyNo int, regNo string) error {
	msg := fmt.Sprintf("文号“%s”的份号 %s 已经登记过", docNumber, models.FormatCopyNo(copyNo))
	if regNo != "" {
		msg += fmt.Sprintf("（登记号 %s）", regNo)
	}
	msg += "，请核对份号；如原登记有误，请先作废原登记"
	return &models.ValidationError{
		Fields: []models.FieldError{{Field: models.FieldCopyNo, Msg: msg}},
		Cause:  models.ErrDuplicateCopy,
	}
}

// Get reads one carrier by id.
func (s *Service) Get(sess *Session, id string) (_ models.Carrier, err error) {
	defer s.refused(sess, "Get", id, &err)
	var c models.Carrier
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return c, err
	}
	err = s.db.Where("id = ?", id).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, fmt.Errorf("carrier %s: %w", id, models.ErrNotFound)
	}
	return c, err
}

// GetByRegNo reads one carrier by its register number, as a barcode scanner types it.
func (s *Service) GetByRegNo(sess *Session, regNo string) (_ models.Carrier, err error) {
	defer s.refused(sess, "GetByRegNo", regNo, &err)
	var c models.Carrier
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return c, err
	}
	regNo = models.NormalizeRegNo(regNo)
	err = s.db.Where("reg_no = ?", regNo).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, fmt.Errorf("carrier %s: %w", regNo, models.ErrNotFound)
	}
	return c, err
}

// History lists a carrier's events, oldest first.
func (s *Service) History(sess *Session, id string) (_ []models.CarrierEvent, err error) {
	defer s.refused(sess, "History", id, &err)
	var evs []models.CarrierEvent
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	err = s.db.Where("carrier_id = ?", id).Order("at, ord").Find(&evs).Error
	return evs, err
}

// FormOf fills a registration form from a stored carrier, for editing.
func FormOf(c models.Carrier) models.CarrierForm {
	f := models.CarrierForm{
		Direction: c.Direction, RegDate: c.RegDate, DocDate: c.DocDate, Deadline: c.Deadline, DocNumber: c.DocNumber, Title: c.Title,
		Issuer: c.Issuer, DocKind: c.DocKind, Level: c.Level, TermKind: c.TermKind,
		TermUntil: c.TermUntil, TermCondition: c.TermCondition,
		CopyNo: models.FormatCopyNo(c.CopyNo), Copies: "1", Pages: c.PagesText(), Urgency: c.Urgency, Kind: c.Kind,
		NeedToKnow: c.NeedToKnow, Location: c.Location, Custodian: c.Custodian, Remarks: c.Remarks,
		NoCopy: c.NoCopy,
	}
	switch c.TermKind {
	case models.TermYears:
		f.TermYears = fmt.Sprint(c.TermYears)
	case models.TermMonths:
		f.TermMonths = fmt.Sprint(c.TermMonths)
	}
	return f
}

// Edit corrects the registration details of one carrier. version is the
// version the editor saw: if someone saved in between, ErrStale. Every changed
// field becomes a history line (field, old, new, who, when). The level, the
// term and the register year can't be edited (R15: the mark changes only
// through a recorded change; a wrong registration is voided and registered
// again), nor can a carrier that has left the register.
func (s *Service) Edit(sess *Session, id string, version int, form models.CarrierForm, reason string) (_ models.Carrier, err error) {
	defer s.refused(sess, "Edit", id, &err)
	cs, err := s.edit(sess, id, version, form, reason, false)
	if err != nil {
		return models.Carrier{}, err
	}
	return cs[0], nil
}

// EditRegistration makes the corrections of carrier id's form to every copy
// registered in the same act (its BatchID) that is still in the register,
// in one transaction: only the fields changed on id are changed on the
// others, each copy keeps its own 份号, and each gets its own history lines.
// The rules of Edit hold for every copy; one refusal refuses them all. It
// returns id's carrier first, then the other copies changed.
func (s *Service) EditRegistration(sess *Session, id string, version int, form models.CarrierForm, reason string) (_ []models.Carrier, err error) {
	defer s.refused(sess, "EditRegistration", id, &err)
	return s.edit(sess, id, version, form, reason, true)
}

func (s *Service) edit(sess *Session, id string, version int, form models.CarrierForm, reason string, all bool) ([]models.Carrier, error) {
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	form.Copies = "1"
	var out []models.Carrier
	err := s.write(func(tx *gorm.DB) error {
		var c models.Carrier
		if err := tx.Where("id = ?", id).Take(&c).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("carrier %s: %w", id, models.ErrNotFound)
			}
			return err
		}
		if err := editable(c); err != nil {
			return err
		}
		if c.Version != version {
			return models.ErrStale
		}
		form.Direction = c.Direction
		f, err := form.Check(s.today())
		if err != nil {
			return err
		}
		if err := checkEdit(tx, c, f); err != nil {
			return err
		}
		changes := diffCarrier(c, f)
		for _, ch := range changes {
			if ch.column == "custodian" {
				// R27: a custodian changes only through a handover, with a 监交人.
				return &models.ValidationError{Fields: []models.FieldError{{Field: models.FieldCustodian,
					Msg: "责任人只能通过交接变更：请在“交接”中办理（须有监交人），或登记临时交接"}},
					Cause: models.ErrBadHandover}
			}
		}
		edited, err := s.applyEdit(tx, sess, c, changes, reason)
		if err != nil {
			return err
		}
		out = append(out, edited)
		if !all || len(changes) == 0 {
			return nil
		}
		only := map[string]bool{}
		for _, ch := range changes {
			if ch.column == "copy_no" {
				return &models.ValidationError{Fields: []models.FieldError{{Field: models.FieldCopyNo,
					Msg: "各份的份号不同，修改全部各份时不能改份号；请只修改这一份"}}}
			}
			only[ch.column] = true
		}
		var others []models.Carrier
		if err := tx.Where("batch_id = ? AND id <> ?", c.BatchID, c.ID).Order("copy_no").Find(&others).Error; err != nil {
			return err
		}
		for _, x := range others {
			if editable(x) != nil {
				continue // voided, destroyed, returned: out of the register
			}
			fx := f
			fx.CopyNos = []int{x.CopyNo}
			if err := checkEdit(tx, x, fx); err != nil {
				return err
			}
			var mine []change
			for _, ch := range diffCarrier(x, fx) {
				if only[ch.column] {
					mine = append(mine, ch)
				}
			}
			if len(mine) == 0 {
				continue
			}
			ex, err := s.applyEdit(tx, sess, x, mine, reason)
			if err != nil {
				return err
			}
			out = append(out, ex)
		}
		return nil
	})
	return out, err
}

// editable refuses a carrier whose registration can't be corrected.
func editable(c models.Carrier) error {
	if c.State == models.StateVoided {
		return models.ErrVoided
	}
	if c.State.Terminal() {
		return &models.ValidationError{Fields: []models.FieldError{{Field: "",
			Msg: fmt.Sprintf("该载体%s，登记信息不能再修改", c.State)}}, Cause: models.ErrTerminal}
	}
	return nil
}

// checkEdit applies the rules of a correction of c to f.
func checkEdit(tx *gorm.DB, c models.Carrier, f models.CarrierFields) error {
	var v models.ValidationError
	if f.RegDate.Year() != c.Year {
		v.Fields = append(v.Fields, models.FieldError{Field: models.FieldRegDate,
			Msg: fmt.Sprintf("收文日期的年份不能改（登记号 %s 按年编号）；如确属登记错误，请作废后重新登记", c.RegNo)})
	}
	if f.Level != c.Level || f.Term != c.Term() {
		v.Fields = append(v.Fields, models.FieldError{Field: models.FieldLevel,
			Msg: "密级和保密期限不能直接修改：登记错误请作废后重新登记；解密、降密或延期须按变更程序记录"})
	}
	if f.Issuer != c.Issuer {
		ret, _, err := openSlips(tx, c.ID)
		if err != nil {
			return err
		}
		if ret != "" {
			v.Fields = append(v.Fields, models.FieldError{Field: models.FieldIssuer,
				Msg: fmt.Sprintf("%s 已列入清退单 %s（退还 %s），来文单位不能修改；如确有错误，请先作废该清退单", c.RegNo, ret, c.Issuer)})
			v.Cause = models.ErrInReturnBatch
		}
	}
	if c.IsCopy && f.NeedToKnow != c.NeedToKnow {
		v.Fields = append(v.Fields, models.FieldError{Field: models.FieldNeedToKnow,
			Msg: "复制件的知悉范围与原件相同，不能单独修改"})
	}
	if len(v.Fields) > 0 {
		return &v
	}
	// A copy keeps its original's 份号 as a reference, outside the issuer's
	// series (R23): only originals are checked for duplicates.
	if !c.IsCopy && (f.DocNumber != c.DocNumber || f.CopyNos[0] != c.CopyNo) {
		if err := checkDuplicateCopies(tx, f.DocNumber, f.CopyNos, c.ID); err != nil {
			return err
		}
	}
	return nil
}

// applyEdit writes changes to c with a history line each and one audit
// record, and returns c as saved.
func (s *Service) applyEdit(tx *gorm.DB, sess *Session, c models.Carrier, changes []change, reason string) (models.Carrier, error) {
	if len(changes) == 0 {
		return c, nil
	}
	now := s.now()
	updates := map[string]any{"version": c.Version + 1, "updated_at": now}
	labels := make([]string, len(changes))
	for i, ch := range changes {
		updates[ch.column] = ch.value
		for k, v := range ch.extra {
			updates[k] = v
		}
		labels[i] = ch.label
		if err := addEvent(tx, now, sess, c.ID, i, models.ActionEdit, ch.label, ch.old, ch.new,
			strings.TrimSpace(reason)); err != nil {
			return c, err
		}
	}
	if err := s.audit(tx, sess, models.EventEdit, c.RegNo, true, "修改 "+strings.Join(labels, "、")); err != nil {
		return c, err
	}
	res := tx.Model(&models.Carrier{}).Where("id = ? AND version = ?", c.ID, c.Version).Updates(updates)
	if res.Error != nil {
		if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
			doc, copyNo := c.DocNumber, c.CopyNo
			if v, ok := updates["doc_number"].(string); ok {
				doc = v
			}
			if v, ok := updates["copy_no"].(int); ok {
				copyNo = v
			}
			return c, duplicateError(doc, copyNo, "")
		}
		return c, fmt.Errorf("update carrier %s: %w", c.RegNo, res.Error)
	}
	if res.RowsAffected != 1 {
		return c, models.ErrStale
	}
	var out models.Carrier
	if err := tx.Where("id = ?", c.ID).Take(&out).Error; err != nil {
		return c, err
	}
	return out, indexCarrier(tx, &out, true)
}

type change struct {
	column, label, old, new string
	value                   any
	extra                   map[string]any // more columns the one change writes
}

func diffCarrier(c models.Carrier, f models.CarrierFields) []change {
	var out []change
	str := func(col, field, old, new string) {
		if old != new {
			out = append(out, change{column: col, label: models.FieldLabels[field], old: old, new: new, value: new})
		}
	}
	str("reg_date", models.FieldRegDate, c.RegDate, f.RegDate.Format(models.DateLayout))
	str("doc_date", models.FieldDocDate, c.DocDate, f.DocDate)
	str("deadline", models.FieldDeadline, c.Deadline, f.Deadline)
	str("doc_number", models.FieldDocNumber, c.DocNumber, f.DocNumber)
	str("title", models.FieldTitle, c.Title, f.Title)
	str("issuer", models.FieldIssuer, c.Issuer, f.Issuer)
	str("doc_kind", models.FieldDocKind, c.DocKind, f.DocKind)
	if c.CopyNo != f.CopyNos[0] {
		out = append(out, change{column: "copy_no", label: models.FieldLabels[models.FieldCopyNo],
			old: c.CopyNoText(), new: models.FormatCopyNo(f.CopyNos[0]), value: f.CopyNos[0]})
	}
	if c.Pages != f.Pages || c.Capacity != f.Capacity {
		after := models.Carrier{Pages: f.Pages, Capacity: f.Capacity}
		out = append(out, change{column: "pages", label: models.FieldLabels[models.FieldPages],
			old: c.PagesText(), new: after.PagesText(), value: f.Pages, extra: map[string]any{"capacity": f.Capacity}})
	}
	if c.Urgency != f.Urgency {
		out = append(out, change{column: "urgency", label: models.FieldLabels[models.FieldUrgency],
			old: c.Urgency.String(), new: f.Urgency.String(), value: string(f.Urgency)})
	}
	if c.Kind != f.Kind {
		out = append(out, change{column: "kind", label: models.FieldLabels[models.FieldKind],
			old: string(c.Kind), new: string(f.Kind), value: string(f.Kind)})
	}
	str("need_to_know", models.FieldNeedToKnow, c.NeedToKnow, f.NeedToKnow)
	str("location", models.FieldLocation, c.Location, f.Location)
	str("custodian", models.FieldCustodian, c.Custodian, f.Custodian)
	str("remarks", models.FieldRemarks, c.Remarks, f.Remarks)
	if c.NoCopy != f.NoCopy {
		yes := map[bool]string{true: "是", false: "否"}
		out = append(out, change{column: "no_copy", label: models.FieldLabels[models.FieldNoCopy],
			old: yes[c.NoCopy], new: yes[f.NoCopy], value: f.NoCopy})
	}
	return out
}

// MinVoidReason is the shortest reason accepted for voiding.
const MinVoidReason = 4

// Void marks a mistaken registration as 作废 with a reason (R14). The carrier
// stays in the database and its history; its 文号 and 份号 become free for a
// correct registration; its register number is never given out again.
func (s *Service) Void(sess *Session, id string, version int, reason string) (err error) {
	defer s.refused(sess, "Void", id, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) < MinVoidReason {
		return &models.ValidationError{Fields: []models.FieldError{{Field: models.FieldVoidReason,
			Msg: fmt.Sprintf("请写明作废原因（至少 %d 个字），例如“份号登记错误，应为000002”", MinVoidReason)}}}
	}
	return s.write(func(tx *gorm.DB) error {
		var c models.Carrier
		if err := tx.Where("id = ?", id).Take(&c).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("carrier %s: %w", id, models.ErrNotFound)
			}
			return err
		}
		if c.State == models.StateVoided {
			return models.ErrVoided
		}
		if c.State != models.StateInStore {
			return &models.ValidationError{Fields: []models.FieldError{{Field: models.FieldVoidReason,
				Msg: fmt.Sprintf("该载体当前%s，只有在库的载体才能作废", c.State)}}, Cause: models.ErrNotInStore}
		}
		if c.Version != version {
			return models.ErrStale
		}
		if err := refuseIfOnSlip(tx, models.FieldVoidReason, &c, "作废"); err != nil {
			return err
		}
		now := s.now()
		res := tx.Model(&models.Carrier{}).Where("id = ? AND version = ?", c.ID, c.Version).Updates(map[string]any{
			"state": models.StateVoided, "void_reason": reason, "version": c.Version + 1, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("void carrier %s: %w", c.RegNo, res.Error)
		}
		if res.RowsAffected != 1 {
			return models.ErrStale
		}
		if err := addEvent(tx, now, sess, c.ID, 0, models.ActionVoid, models.FieldLabels[models.FieldVoidReason],
			c.State.String(), models.StateVoided.String(), reason); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventVoid, c.RegNo, true, reason)
	})
}
