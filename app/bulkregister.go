package app

// Registration in bulk: an import or the demo register thousands of forms in
// one transaction. Each batch of about bulkCarriers carriers is written with
// a few multi-row statements (carriers, their history lines, their index
// entries), its numbers are taken from the counters in one step per
// sequence, and one audit record seals every row of the batch. On the
// pure-Go SQLite a statement costs more to parse than to run (the driver
// parses it again at every run, prepared or not), and the keyword index
// writes a segment whenever a statement begins: fewer, larger statements,
// and the index's rows written last, are what make a bulk registration fast.

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// bulkCarriers is about how many carriers one batch registers and one audit
// record seals (with their history lines, well under sealBatch rows).
const bulkCarriers = 2000

// carrierColumns are the columns a registration writes, in the order of
// carrierValues, then the three every carrier of a batch shares
// (carrierShared). bulkregister_test.go checks them against the model.
var carrierColumns = []string{"id", "seq", "reg_no", "direction", "year", "reg_date", "doc_date", "deadline",
	"term_from", "doc_number", "title", "issuer", "doc_kind", "level", "term_kind", "term_years", "term_months",
	"term_until", "term_condition", "copy_no", "copy_count", "batch_id", "pages", "capacity", "urgency", "kind",
	"need_to_know", "location", "custodian", "remarks", "state", "void_reason", "return_to_issuer", "is_copy",
	"original_id", "copy_serial", "copy_stamp", "no_copy", "version",
	"created_at", "created_by", "updated_at"}

// carrierValues appends c's values in the order of carrierColumns, less
// the shared ones; true and false as 1 and 0, as the driver binds them.
func carrierValues(args []any, c *models.Carrier) []any {
	return append(args, c.ID, c.Seq, c.RegNo, string(c.Direction), c.Year, c.RegDate, c.DocDate, c.Deadline,
		c.TermFrom, c.DocNumber, c.Title, c.Issuer, c.DocKind, int(c.Level), string(c.TermKind), c.TermYears, c.TermMonths,
		c.TermUntil, c.TermCondition, c.CopyNo, c.CopyCount, c.BatchID, c.Pages, c.Capacity, string(c.Urgency), string(c.Kind),
		c.NeedToKnow, c.Location, c.Custodian, c.Remarks, string(c.State), c.VoidReason, flag(c.ReturnToIssuer), flag(c.IsCopy),
		c.OriginalID, c.CopySerial, c.CopyStamp, flag(c.NoCopy), c.Version)
}

func flag(b bool) int {
	if b {
		return 1
	}
	return 0
}

// eventColumns are the columns of a history line, in the order of
// eventValues, then the three every line of a batch shares.
var eventColumns = []string{"id", "carrier_id", "ord", "action", "field", "old_value", "new_value", "reason",
	"at", "actor", "actor_login"}

func eventValues(args []any, e *models.CarrierEvent) []any {
	return append(args, e.ID, e.CarrierID, e.Ord, e.Action, e.Field, e.OldValue, e.NewValue, e.Reason)
}

// maxBoundValues is the most values one statement of insertRows binds: the
// driver finds each value of a statement by walking its list of values, so
// binding costs the square of their number.
const maxBoundValues = 999

// insertRows inserts n rows into table. values appends row i's values, one
// for each of cols but the last len(shared), which every row takes from
// shared (bound, as the driver writes them: the batch's time). The rows'
// own values are written into one statement as SQL literals (text quoted
// as SQLite quotes it, its single quotes doubled), so that neither parsing
// nor binding is paid per row; text a literal can't carry exactly (not
// UTF-8, or with a NUL) makes the batch go in bound value by value.
func (s *Service) insertRows(tx *gorm.DB, table string, cols []string, shared []any, n int, values func(args []any, i int) []any) error {
	if n == 0 {
		return nil
	}
	own := len(cols) - len(shared)
	var tail []byte
	for j := range shared {
		tail = append(tail, ", ?"...)
		tail = strconv.AppendInt(tail, int64(j+1), 10)
	}
	tail = append(tail, ')')
	buf := make([]byte, 0, 64+600*n)
	buf = append(buf, "INSERT INTO "+table+"("+strings.Join(cols, ", ")+") VALUES "...)
	row := make([]any, 0, own)
	for i := 0; i < n; i++ {
		row = values(row[:0], i)
		if len(row) != own {
			return fmt.Errorf("insert into %s: %d values for %d columns", table, len(row), own)
		}
		if i > 0 {
			buf = append(buf, ", "...)
		}
		var ok bool
		if buf, ok = appendSQLRow(buf, row); !ok {
			return s.insertBound(tx, table, cols, shared, n, values)
		}
		buf = append(buf, tail...)
	}
	_, err := s.exec(tx, string(buf), shared...)
	return err
}

// appendSQLRow appends the start of a row of VALUES: "(" and row's values
// as SQL literals (text, integers, blobs, NULL), without the closing parenthesis;
// false when a text can't be written as a literal exactly.
func appendSQLRow(buf []byte, row []any) ([]byte, bool) {
	buf = append(buf, '(')
	for j, v := range row {
		if j > 0 {
			buf = append(buf, ", "...)
		}
		switch x := v.(type) {
		case string:
			var ok bool
			if buf, ok = appendSQLText(buf, x); !ok {
				return buf, false
			}
		case *string:
			if x == nil {
				buf = append(buf, "NULL"...)
				continue
			}
			var ok bool
			if buf, ok = appendSQLText(buf, *x); !ok {
				return buf, false
			}
		case int:
			buf = strconv.AppendInt(buf, int64(x), 10)
		case int64:
			buf = strconv.AppendInt(buf, x, 10)
		case []byte:
			if x == nil {
				buf = append(buf, "NULL"...)
				continue
			}
			buf = append(buf, "X'"...)
			buf = hex.AppendEncode(buf, x)
			buf = append(buf, '\'')
		default:
			return buf, false
		}
	}
	return buf, true
}

// appendSQLText appends s as an SQLite text literal: in single quotes, each
// single quote doubled (SQLite knows no other escape). False for text that
// is not UTF-8 or holds a NUL, which the statement's text could not carry.
func appendSQLText(buf []byte, s string) ([]byte, bool) {
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return buf, false
	}
	buf = append(buf, '\'')
	for {
		i := strings.IndexByte(s, '\'')
		if i < 0 {
			break
		}
		buf = append(buf, s[:i+1]...)
		buf = append(buf, '\'')
		s = s[i+1:]
	}
	buf = append(buf, s...)
	return append(buf, '\''), true
}

// insertBound is insertRows with every value bound, as many rows in one
// statement as maxBoundValues allows.
func (s *Service) insertBound(tx *gorm.DB, table string, cols []string, shared []any, n int, values func(args []any, i int) []any) error {
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	head := "INSERT INTO " + table + "(" + strings.Join(cols, ", ") + ") VALUES "
	per := max(1, maxBoundValues/len(cols))
	var sb strings.Builder
	args := make([]any, 0, min(n, per)*len(cols))
	for lo := 0; lo < n; lo += per {
		hi := min(lo+per, n)
		sb.Reset()
		sb.WriteString(head)
		args = args[:0]
		for i := lo; i < hi; i++ {
			if i > lo {
				sb.WriteString(", ")
			}
			sb.WriteString(tuple)
			args = append(values(args, i), shared...)
		}
		if _, err := s.exec(tx, sb.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// takeNumbers hands out k numbers of the named sequence at once and returns
// the first; like nextCounter, inside the write transaction.
func takeNumbers(tx *gorm.DB, name string, k int) (int64, error) {
	var v int64
	err := tx.Raw(`INSERT INTO counters(name, value) VALUES (?, ?)
		ON CONFLICT(name) DO UPDATE SET value = value + excluded.value RETURNING value`, name, k).Scan(&v).Error
	if err != nil {
		return 0, fmt.Errorf("counter %s: %w", name, err)
	}
	return v - int64(k) + 1, nil
}

// bulkRegister is one bulk registration in progress, inside its transaction.
type bulkRegister struct {
	s       *Service
	tx      *gorm.DB
	sess    *Session
	object  string          // the audit records' object: the file imported, or 批量登记
	people  map[string]bool // 责任人 already checked in this transaction
	batches int
	search  []searchEntry // the keyword index's rows, written last (flushSearch)
}

// searchEntry is a carrier's row of the keyword index: its seq and the
// fields the index takes.
type searchEntry struct {
	seq    int64
	fields []string
}

// searchChunk is how many index rows one statement of flushSearch writes.
const searchChunk = 20000

// searchHashSize is how much the keyword index gathers in memory before it
// writes a segment, while flushSearch writes (FTS5's hashsize; 1 MB by
// default): a few large segments instead of a hundred small ones, which it
// would spend its time merging.
const searchHashSize = 32 << 20

// flushSearch writes the keyword index's rows of every carrier registered.
// They are written last, after every other row: the index writes what it
// has gathered whenever a statement of the transaction begins, so written
// batch by batch it would be cut into a segment per batch.
func (b *bulkRegister) flushSearch() error {
	if len(b.search) == 0 {
		return nil
	}
	s, tx := b.s, b.tx
	var old string
	if err := tx.Raw(`SELECT coalesce((SELECT v FROM carrier_search_config WHERE k = 'hashsize'), '')`).Scan(&old).Error; err != nil {
		return fmt.Errorf("read index settings: %w", err)
	}
	set := func(v any) error {
		_, err := s.exec(tx, `INSERT INTO carrier_search(carrier_search, rank) VALUES ('hashsize', ?)`, v)
		return err
	}
	if err := set(searchHashSize); err != nil {
		return fmt.Errorf("index settings: %w", err)
	}
	for rest := b.search; len(rest) > 0; {
		part := rest[:min(len(rest), searchChunk)]
		rest = rest[len(part):]
		err := s.insertRows(tx, "carrier_search", []string{"rowid", "tokens"}, nil, len(part), func(args []any, i int) []any {
			return append(args, part[i].seq, models.SearchTokens(part[i].fields...))
		})
		if err != nil {
			return fmt.Errorf("index carriers: %w", err)
		}
	}
	b.search = nil
	if old == "" {
		old = "1048576" // FTS5's own default
	}
	if err := set(old); err != nil {
		return fmt.Errorf("index settings: %w", err)
	}
	return nil
}

// batch registers fs, the forms of rows first+1.. of the call, numbered
// exactly as one registration after the other would number them, and seals
// them with one audit record; their keyword index rows wait for
// flushSearch. It returns how many carriers it registered.
func (b *bulkRegister) batch(fs []models.CarrierFields, first int) (int, error) {
	s, tx, sess := b.s, b.tx, b.sess
	for i, f := range fs {
		if name := strings.TrimSpace(f.Custodian); name != "" && !b.people[name] {
			if err := s.receiver(tx, sess, models.FieldCustodian, "责任人", f.Custodian); err != nil {
				return 0, &RowError{Row: first + i + 1, Err: err}
			}
			b.people[name] = true
		}
	}
	// The numbers: registration order, then each direction and year's own.
	total := 0
	perSeries := map[string]int{}
	var series []string
	for _, f := range fs {
		total += f.Copies
		name := regCounterName(f.Direction, f.RegDate.Year())
		if _, ok := perSeries[name]; !ok {
			series = append(series, name)
		}
		perSeries[name] += f.Copies
	}
	if total == 0 {
		return 0, nil
	}
	seq, err := takeNumbers(tx, "seq", total)
	if err != nil {
		return 0, err
	}
	next := make(map[string]int64, len(series))
	for _, name := range series {
		if next[name], err = takeNumbers(tx, name, perSeries[name]); err != nil {
			return 0, err
		}
	}
	now := s.now()
	cs := make([]models.Carrier, 0, total)
	row := make([]int, 0, total) // each carrier's form, from 0
	nth := make([]int, 0, total) // and its place among the form's copies, from 1
	for i, f := range fs {
		batch := sortedID()
		year := f.RegDate.Year()
		name := regCounterName(f.Direction, year)
		for k := 0; k < f.Copies; k++ {
			c := newCarrier(f, k, batch, now, sess)
			c.ID, c.Seq, c.RegNo = sortedID(), seq, FormatRegNo(f.Direction, year, next[name])
			seq++
			next[name]++
			cs = append(cs, c)
			row = append(row, i)
			nth = append(nth, k+1)
		}
	}
	err = s.insertRows(tx, "carriers", carrierColumns, []any{now, sess.FullName, now}, len(cs),
		func(args []any, i int) []any { return carrierValues(args, &cs[i]) })
	if err != nil {
		// The failed statement wrote nothing: a 文号+份号 taken since the
		// dry run is named by its row, as a registration would name it.
		if derr := b.whichDuplicate(fs, cs, row, first); derr != nil {
			return 0, derr
		}
		return 0, fmt.Errorf("insert carriers: %w", err)
	}
	for i := range cs {
		b.search = append(b.search, searchEntry{seq: cs[i].Seq, fields: models.SearchFieldsOf(&cs[i])})
	}
	evs := make([]models.CarrierEvent, len(cs))
	for i := range cs {
		c := &cs[i]
		f := fs[row[i]]
		summary := c.RegNo + " " + c.Marking() + " " + copyNoWords(c.CopyNo)
		if f.Copies > 1 {
			summary += fmt.Sprintf("（共%d份之第%d份）", f.Copies, nth[i])
		}
		evs[i] = models.CarrierEvent{ID: sortedID(), CarrierID: c.ID, Action: models.ActionRegister, NewValue: summary}
	}
	err = s.insertRows(tx, "carrier_events", eventColumns, []any{now, sess.FullName, sess.Login}, len(evs),
		func(args []any, i int) []any { return eventValues(args, &evs[i]) })
	if err != nil {
		return 0, fmt.Errorf("record history: %w", err)
	}
	b.batches++
	detail := fmt.Sprintf("批量登记第 %d 批：%d 份登记，%d 件（%s）", b.batches, len(fs), len(cs), regNoRanges(cs))
	if err := s.sealNow(tx, sess, models.EventRegister, b.object, detail); err != nil {
		return 0, err
	}
	return len(cs), nil
}

// sortedID is a new row id that sorts after the ones made before it (a
// time-ordered UUID, version 7): the rows of a batch then go into the
// indexes of ids side by side, where random ids would each touch a page of
// their own, which the statement must first copy to its journal.
func sortedID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return id.String()
}

// newCarrier is copy k (from 0) of the registration f, without its id and
// numbers.
func newCarrier(f models.CarrierFields, k int, batch string, now time.Time, sess *Session) models.Carrier {
	return models.Carrier{
		Direction: f.Direction, Year: f.RegDate.Year(),
		RegDate: f.RegDate.Format(models.DateLayout), DocDate: f.DocDate, Deadline: f.Deadline,
		DocNumber: f.DocNumber, Title: f.Title, Issuer: f.Issuer, DocKind: f.DocKind,
		Level: f.Level, TermKind: f.Term.Kind, TermYears: f.Term.Years, TermMonths: f.Term.Months,
		TermUntil: f.Term.Until, TermCondition: f.Term.Condition,
		CopyNo: f.CopyNos[k], CopyCount: f.Copies, BatchID: batch, Pages: f.Pages, Capacity: f.Capacity,
		Urgency: f.Urgency, Kind: f.Kind, NeedToKnow: f.NeedToKnow, Location: f.Location,
		Custodian: f.Custodian, Remarks: f.Remarks, NoCopy: f.NoCopy,
		State: models.StateInStore, Version: 1,
		CreatedAt: now, CreatedBy: sess.FullName, UpdatedAt: now,
	}
}

// whichDuplicate names the first form of fs one of whose 份号 a carrier
// already registered, or an earlier carrier of cs (whose forms row gives),
// has; nil when none.
func (b *bulkRegister) whichDuplicate(fs []models.CarrierFields, cs []models.Carrier, row []int, first int) error {
	type docCopy struct {
		doc string
		no  int
	}
	seen := map[docCopy]string{}
	k := 0
	for i, f := range fs {
		if err := checkDuplicateCopies(b.tx, f.DocNumber, f.CopyNos, ""); err != nil {
			return &RowError{Row: first + i + 1, Err: err}
		}
		for ; k < len(cs) && row[k] == i; k++ {
			c := &cs[k]
			if c.DocNumber == "" || c.CopyNo <= 0 {
				continue
			}
			if regNo, ok := seen[docCopy{c.DocNumber, c.CopyNo}]; ok {
				return &RowError{Row: first + i + 1, Err: duplicateError(c.DocNumber, c.CopyNo, regNo)}
			}
			seen[docCopy{c.DocNumber, c.CopyNo}] = c.RegNo
		}
	}
	return nil
}

// regNoRanges lists the register numbers of cs, in runs: 收〔2026〕0001—0987、发〔2026〕0001—0013.
func regNoRanges(cs []models.Carrier) string {
	var parts []string
	for i := 0; i < len(cs); {
		j := i
		for j+1 < len(cs) && cs[j+1].Direction == cs[i].Direction && cs[j+1].Year == cs[i].Year &&
			regSerial(cs[j+1].RegNo) == regSerial(cs[j].RegNo)+1 {
			j++
		}
		if j == i {
			parts = append(parts, cs[i].RegNo)
		} else {
			parts = append(parts, cs[i].RegNo+"—"+cs[j].RegNo)
		}
		i = j + 1
	}
	return strings.Join(parts, "、")
}

// regSerial is the serial at the end of a register number, -1 when none.
func regSerial(regNo string) int {
	i := strings.LastIndex(regNo, "〕")
	if i < 0 {
		return -1
	}
	n := 0
	for _, r := range regNo[i+len("〕"):] {
		if r < '0' || r > '9' {
			return -1
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// sealNow appends an audit record now, inside tx, that seals every row tx
// has changed so far (more than sealBatch rows go on into records of their
// own, as at a transaction's end); records queued earlier in tx still come
// at its end.
func (s *Service) sealNow(tx *gorm.DB, sess *Session, event, object, detail string) error {
	entries, err := s.drainPending(tx)
	if err != nil {
		return err
	}
	at := s.now()
	first := entries[:min(len(entries), sealBatch)]
	if err := s.appendRecordAt(tx, sess, event, object, true, detail, at, first); err != nil {
		return err
	}
	for rest := entries[len(first):]; len(rest) > 0; {
		n := min(len(rest), sealBatch)
		if err := s.appendRecordAt(tx, sess, models.EventSeal, object, true,
			fmt.Sprintf("封存同一事务（%s）改动的其余 %d 行", EventLabel(event), n), at, rest[:n]); err != nil {
			return err
		}
		rest = rest[n:]
	}
	return nil
}
