package app

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"secdoc/models"
)

// The register is sealed row by row in the audit chain, so that a change
// made to any table of the register with another tool is found, not only a
// change to the audit trail itself:
//
//   - Each program connection has TEMP triggers (models.SealTriggers) that
//     note every row a transaction inserts, updates or deletes. They exist
//     only on the program's own connections: a SQLite tool changes rows
//     unnoted.
//   - The audit record that ends a transaction reads each noted row, hashes
//     it with the audit key (a row seal: HMAC-SHA256 of the table, the row's
//     key and its columns, cut to 128 bits), lists the seals in the record
//     (column seals) and stores them as the rows' current seals in
//     row_seals. The record's own hash covers the list.
//   - Every record also carries the register's digest: the sum, modulo
//     2^256, of a keyed hash of every current seal. A seal replaced by an
//     older one, or removed with its row, changes the sum, which only the
//     key can make again.
//
// The audit check (verify.go) recomputes every row's seal and compares it
// with row_seals (naming each row changed, inserted or deleted outside the
// program), sums row_seals and compares the sum with the newest record's
// digest, and, if they differ, replays the seals listed in the chain to name
// the rows whose seals were removed or rolled back.

const rowHashLen = 16

// sealEntry is one row version a record seals.
type sealEntry struct {
	Table string
	Key   string
	Hash  []byte // nil: the row no longer exists
	Cols  []byte // a 2-byte tag per column, to name what changed; not part of the chain
	Old   []byte // the seal it replaces, nil when the row had none

	before *string // the values the row had before the transaction updated it
}

// sealer knows the sealed tables of this build.
type sealer struct {
	tables []models.SealedTable
	byName map[string]*models.SealedTable
}

func newSealer() (*sealer, error) {
	ts, err := models.SealedTables()
	if err != nil {
		return nil, err
	}
	sl := &sealer{tables: ts, byName: map[string]*models.SealedTable{}}
	for i := range ts {
		sl.byName[ts[i].Name] = &sl.tables[i]
	}
	return sl, nil
}

func writeField(m hash.Hash, s string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(s)))
	m.Write(n[:])
	m.Write([]byte(s))
}

// rowSeal is the keyed hash of one row.
func rowSeal(key []byte, t *models.SealedTable, rowKey string, vals []string) []byte {
	m := hmac.New(sha256.New, key)
	writeField(m, "secdoc-row")
	writeField(m, t.Name)
	writeField(m, rowKey)
	m.Write(t.Canonical(vals))
	return m.Sum(nil)[:rowHashLen]
}

// colTags are a 2-byte tag of each column's value: they say which column
// of a changed row differs. They are a hint, kept beside the seal: the
// seal alone decides whether the row is intact.
func colTags(t *models.SealedTable, vals []string) []byte {
	out := make([]byte, 0, 2*len(vals))
	for i, q := range vals {
		h := fnv.New32a()
		h.Write([]byte(t.Columns[i].Name))
		h.Write([]byte{0})
		h.Write([]byte(q))
		v := h.Sum32()
		out = append(out, byte(v>>8), byte(v))
	}
	return out
}

// digest is the register's digest: a sum modulo 2^256, in four limbs, least
// significant first.
type digest [4]uint64

// sumTerm is what one seal adds to the digest.
func sumTerm(key []byte, table, rowKey string, seal []byte) digest {
	m := hmac.New(sha256.New, key)
	writeField(m, "secdoc-sum")
	writeField(m, table)
	writeField(m, rowKey)
	m.Write(seal)
	b := m.Sum(nil)
	var d digest
	for i := 0; i < 4; i++ {
		d[i] = binary.BigEndian.Uint64(b[24-8*i:])
	}
	return d
}

func (d *digest) add(x digest) {
	var carry uint64
	for i := 0; i < 4; i++ {
		s := d[i] + x[i]
		c1 := uint64(0)
		if s < d[i] {
			c1 = 1
		}
		s2 := s + carry
		if s2 < s {
			c1 = 1
		}
		d[i], carry = s2, c1
	}
}

func (d *digest) sub(x digest) {
	var borrow uint64
	for i := 0; i < 4; i++ {
		s := d[i] - x[i]
		b1 := uint64(0)
		if d[i] < x[i] {
			b1 = 1
		}
		s2 := s - borrow
		if s < borrow {
			b1 = 1
		}
		d[i], borrow = s2, b1
	}
}

func (d digest) String() string {
	var b [32]byte
	for i := 0; i < 4; i++ {
		binary.BigEndian.PutUint64(b[24-8*i:], d[i])
	}
	return hex.EncodeToString(b[:])
}

func parseDigest(s string) (digest, error) {
	var d digest
	if s == "" {
		return d, nil
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 32 {
		return d, fmt.Errorf("bad digest %q", s)
	}
	for i := 0; i < 4; i++ {
		d[i] = binary.BigEndian.Uint64(b[24-8*i:])
	}
	return d, nil
}

// encodeSeals writes a record's seals: per entry the table, the key and the
// seal (empty for a row that no longer exists), each length-prefixed.
func encodeSeals(es []sealEntry) []byte {
	if len(es) == 0 {
		return nil
	}
	var b []byte
	for _, e := range es {
		b = binary.AppendUvarint(b, uint64(len(e.Table)))
		b = append(b, e.Table...)
		b = binary.AppendUvarint(b, uint64(len(e.Key)))
		b = append(b, e.Key...)
		b = append(b, byte(len(e.Hash)))
		b = append(b, e.Hash...)
	}
	return b
}

var errBadSeals = errors.New("bad seal list")

// decodeSeals reads what encodeSeals wrote, calling fn for each entry.
func decodeSeals(b []byte, fn func(table, key string, seal []byte)) error {
	str := func() (string, bool) {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			return "", false
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s, true
	}
	for len(b) > 0 {
		t, ok1 := str()
		k, ok2 := str()
		if !ok1 || !ok2 || len(b) < 1 || len(b) < 1+int(b[0]) {
			return errBadSeals
		}
		n := int(b[0])
		seal := b[1 : 1+n]
		b = b[1+n:]
		fn(t, k, seal)
	}
	return nil
}

// drainPending seals the rows the transaction tx changed, with the seal
// each replaces, and empties the list of them. It reads the list and
// empties it in one statement, and each table's rows with their seals in
// one more: on the pure-Go SQLite a statement costs more to parse than to run.
func (s *Service) drainPending(tx *gorm.DB) ([]sealEntry, error) {
	rows, err := s.query(tx, `DELETE FROM pending_seals RETURNING tbl, row_key, rid, rowid, old`)
	if err != nil {
		return nil, fmt.Errorf("read changed rows: %w", err)
	}
	type note struct {
		pendingRow
		ord int64
		old *string
	}
	latest := map[[2]string]note{}
	first := map[[2]string]note{}
	for rows.Next() {
		var n note
		if err := rows.Scan(&n.Table, &n.Key, &n.RowID, &n.ord, &n.old); err != nil {
			rows.Close()
			return nil, err
		}
		k := [2]string{n.Table, n.Key}
		if prev, ok := latest[k]; !ok || n.ord > prev.ord {
			latest[k] = n // noted again: the newest note counts
		}
		if prev, ok := first[k]; !ok || n.ord < prev.ord {
			first[k] = n // the oldest says what the row was before
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(latest) == 0 {
		return nil, nil
	}
	byTable := map[string][]pendingRow{}
	for k, n := range latest {
		p := n.pendingRow
		if f := first[k]; f.old != nil {
			p.before = f.old
		}
		byTable[n.Table] = append(byTable[n.Table], p)
	}
	return s.sealRows(tx, byTable)
}

// pendingRow is a row a transaction changed, as the triggers noted it.
type pendingRow struct {
	Table, Key string
	RowID      int64
	before     *string // the row's values before the transaction updated it, when it did
}

// sealRows seals the noted rows, reading them, of whatever tables, in one
// statement. A row no longer there (or holding another key now) gets no
// seal.
func (s *Service) sealRows(tx *gorm.DB, byTable map[string][]pendingRow) ([]sealEntry, error) {
	tables := make([]string, 0, len(byTable))
	for t := range byTable {
		if s.sealer.byName[t] == nil {
			return nil, fmt.Errorf("changed row of unknown table %s", t)
		}
		tables = append(tables, t)
	}
	sort.Strings(tables)
	have := map[[2]string][]string{}
	// One statement for up to maxIn rows, of whatever tables: a save reads
	// its few rows at once, an import of thousands in steps. The rowids are
	// written into it: binding costs the driver the square of their number.
	const maxIn = 2000
	var sql []byte
	in := 0
	read := func() error {
		if in == 0 {
			return nil
		}
		rows, err := s.query(tx, string(sql))
		sql, in = sql[:0], 0
		if err != nil {
			return fmt.Errorf("read changed rows: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var table, key, array string
			if err := rows.Scan(&table, &key, &array); err != nil {
				return err
			}
			vals, err := s.sealer.byName[table].RowValues(array)
			if err != nil {
				return err
			}
			have[[2]string{table, key}] = vals
		}
		return rows.Err()
	}
	for _, name := range tables {
		pend := byTable[name]
		for len(pend) > 0 {
			n := min(len(pend), maxIn-in)
			if in > 0 {
				sql = append(sql, " UNION ALL "...)
			}
			sql = append(sql, "SELECT '"+name+"', "+
				strings.TrimPrefix(s.sealer.byName[name].SelectSQL(), "SELECT ")+" WHERE rowid IN ("...)
			for i, p := range pend[:n] {
				if i > 0 {
					sql = append(sql, ',')
				}
				sql = strconv.AppendInt(sql, p.RowID, 10)
			}
			sql = append(sql, ')')
			in += n
			pend = pend[n:]
			if in == maxIn {
				if err := read(); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := read(); err != nil {
		return nil, err
	}
	var out []sealEntry
	for _, name := range tables {
		t := s.sealer.byName[name]
		pend := byTable[name]
		sort.Slice(pend, func(i, j int) bool { return pend[i].Key < pend[j].Key })
		for _, p := range pend {
			e := sealEntry{Table: name, Key: p.Key, before: p.before}
			if vals, ok := have[[2]string{name, p.Key}]; ok {
				e.Hash = rowSeal(s.auditKey, t, p.Key, vals)
				e.Cols = colTags(t, vals)
			}
			out = append(out, e) // the seal it replaces is read back when it is stored
		}
	}
	return out, nil
}

type scanner interface{ Scan(dest ...any) error }

// scanSealRow scans a row of SelectSQL: its key and its columns' values.
func scanSealRow(rows scanner, t *models.SealedTable) (string, []string, error) {
	var key, array string
	if err := rows.Scan(&key, &array); err != nil {
		return "", nil, err
	}
	vals, err := t.RowValues(array)
	return key, vals, err
}

// storeSeals makes the entries the rows' current seals, sealed by record
// seq, and fills in the seal each replaces (read back by the same
// statements); it drops the entries of rows made and removed again before
// they were ever sealed. The seals go in as literals, up to sealsPerStatement
// rows a statement: the driver's binding costs the square of the values
// bound, and a statement's fixed cost is paid once for many rows.
func (s *Service) storeSeals(tx *gorm.DB, seq int64, es []sealEntry) ([]sealEntry, error) {
	old := map[[2]string][]byte{}
	var put []*sealEntry
	var buf []byte
	const head = `INSERT INTO row_seals(tbl, row_key, seq, hash, cols) VALUES `
	const tail = ` ON CONFLICT(tbl, row_key) DO UPDATE SET prev = row_seals.hash, seq = excluded.seq, hash = excluded.hash,
			cols = excluded.cols RETURNING tbl, row_key, prev`
	store := func(stmt string, args ...any) error {
		rows, err := s.query(tx, stmt, args...)
		if err != nil {
			return fmt.Errorf("store seals: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var t, k string
			var prev []byte
			if err := rows.Scan(&t, &k, &prev); err != nil {
				return err
			}
			old[[2]string{t, k}] = prev
		}
		return rows.Err()
	}
	flush := func() error {
		if len(put) == 0 {
			return nil
		}
		defer func() { put = put[:0] }()
		buf = append(buf[:0], head...)
		row := make([]any, 0, 5)
		for i, e := range put {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			var ok bool
			if buf, ok = appendSQLRow(buf, append(row[:0], e.Table, e.Key, seq, e.Hash, e.Cols)); !ok {
				return s.storeSealsBound(put, seq, head, tail, store)
			}
			buf = append(buf, ')')
		}
		buf = append(buf, tail...)
		return store(string(buf))
	}
	for i := range es {
		e := &es[i]
		if e.Hash == nil {
			var prev []byte
			err := s.queryRow(tx, `DELETE FROM row_seals WHERE tbl = ? AND row_key = ? RETURNING hash`, e.Table, e.Key).Scan(&prev)
			if err != nil && !isNoRows(err) {
				return nil, fmt.Errorf("remove seal of %s %s: %w", e.Table, e.Key, err)
			}
			old[[2]string{e.Table, e.Key}] = prev
			continue
		}
		if put = append(put, e); len(put) == sealsPerStatement {
			if err := flush(); err != nil {
				return nil, err
			}
		}
	}
	if err := flush(); err != nil {
		return nil, err
	}
	out := es[:0]
	for _, e := range es {
		e.Old = old[[2]string{e.Table, e.Key}]
		if e.Hash == nil && e.Old == nil {
			continue
		}
		out = append(out, e)
	}
	return out, nil
}

// sealsPerStatement is how many seals one statement of storeSeals stores.
const sealsPerStatement = 2000

// storeSealsBound stores the seals of put with their values bound, 100 to a
// statement: for a key a literal can't carry (not UTF-8, or with a NUL).
func (s *Service) storeSealsBound(put []*sealEntry, seq int64, head, tail string, store func(string, ...any) error) error {
	for len(put) > 0 {
		part := put[:min(len(put), 100)]
		put = put[len(part):]
		marks := make([]string, len(part))
		args := make([]any, 0, 5*len(part))
		for i, e := range part {
			marks[i] = "(?, ?, ?, ?, ?)"
			args = append(args, e.Table, e.Key, seq, e.Hash, e.Cols)
		}
		if err := store(head+strings.Join(marks, ", ")+tail, args...); err != nil {
			return err
		}
	}
	return nil
}

// checkBefore refuses a transaction that updated a row whose values before
// it did not match the row's seal: the row had been changed outside the
// program, and sealing the program's change would seal that one too.
func (s *Service) checkBefore(es []sealEntry) error {
	for _, e := range es {
		if e.before == nil {
			continue
		}
		t := s.sealer.byName[e.Table]
		vals, err := t.RowValues(*e.before)
		if err != nil {
			return err
		}
		if e.Old == nil || !hmac.Equal(e.Old, rowSeal(s.auditKey, t, e.Key, vals)) {
			return &TamperedError{What: fmt.Sprintf("%s %s 的记录", tableLabel(e.Table), rowName(t, e.Key, vals))}
		}
	}
	return nil
}

// nextDigest is the digest after es.
func (s *Service) nextDigest(d digest, es []sealEntry) digest {
	for _, e := range es {
		if e.Old != nil {
			d.sub(sumTerm(s.auditKey, e.Table, e.Key, e.Old))
		}
		if e.Hash != nil {
			d.add(sumTerm(s.auditKey, e.Table, e.Key, e.Hash))
		}
	}
	return d
}

// sealBatch is how many rows one record of the first sealing lists.
const sealBatch = 5000

// sealUnsealed seals, in records of sealBatch rows, every row that has no
// seal: on the first start of this version, every row of the register. It
// is one transaction: all rows or none.
func (s *Service) sealUnsealed(why string) (int64, error) {
	var total int64
	err := s.write(func(tx *gorm.DB) error {
		var batch []sealEntry
		batches := 0
		flush := func() error {
			if len(batch) == 0 {
				return nil
			}
			counts := map[string]int{}
			for _, e := range batch {
				counts[e.Table]++
			}
			names := make([]string, 0, len(counts))
			for n := range counts {
				names = append(names, n)
			}
			sort.Strings(names)
			batches++
			detail := fmt.Sprintf("%s，第 %d 批", why, batches)
			for _, n := range names {
				detail += fmt.Sprintf("；%s %d 行", tableLabel(n), counts[n])
			}
			total += int64(len(batch))
			err := s.appendRecord(tx, nil, models.EventSeal, "登记簿", true, detail, batch)
			batch = batch[:0]
			return err
		}
		var all, done int64
		for i := range s.sealer.tables {
			var n int64
			if err := s.queryRow(tx, `SELECT count(*) FROM main."`+s.sealer.tables[i].Name+`"`).Scan(&n); err != nil {
				return err
			}
			all += n
		}
		for i := range s.sealer.tables {
			t := &s.sealer.tables[i]
			rows, err := s.query(tx, t.SelectSQL())
			if err != nil {
				return fmt.Errorf("read %s: %w", t.Name, err)
			}
			for rows.Next() {
				key, quoted, err := scanSealRow(rows, t)
				if err != nil {
					rows.Close()
					return err
				}
				if done++; done%20000 == 0 {
					s.say(fmt.Sprintf("首次以本版本打开：正在封存登记簿的每一行（%d / %d）…", done, all))
				}
				var one int
				err = s.queryRow(tx, sqlSealed, t.Name, key).Scan(&one)
				if err == nil {
					continue // sealed already
				}
				if !isNoRows(err) {
					rows.Close()
					return err
				}
				batch = append(batch, sealEntry{Table: t.Name, Key: key, Hash: rowSeal(s.auditKey, t, key, quoted),
					Cols: colTags(t, quoted)})
				if len(batch) == sealBatch {
					if err := flush(); err != nil {
						rows.Close()
						return err
					}
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		if err := flush(); err != nil {
			return err
		}
		// The rows just read were noted by nobody; the list must be empty.
		_, err := s.exec(tx, `DELETE FROM pending_seals`)
		return err
	})
	return total, err
}

// tableLabels name the sealed tables in Chinese for the auditor.
var tableLabels = map[string]string{
	"carriers": "载体登记", "carrier_events": "处理记录", "users": "账户", "settings": "设置",
	"counters": "编号计数", "approvers": "审批人", "copy_requests": "复制申请", "loans": "借阅/外出携带",
	"destruction_batches": "销毁单", "destruction_items": "销毁清单条目", "secrecy_changes": "密级/期限变更",
	"circulations": "传阅", "circulation_steps": "传阅环节", "inspections": "自查", "inspection_items": "自查条目",
	"handovers": "交接", "handover_items": "交接条目", "return_batches": "清退单", "return_items": "清退条目",
	"archives": "归档", "backups": "备份记录", "classifications": "定密", "copy_request_sources": "摘录/汇编来源",
	"carrier_sources": "摘录/汇编来源", "printings": "印制", "dispatch_lines": "分送范围", "sendings": "分发",
	"calendar_days": "工作日历", "handlings": "办理登记", "persons": "人员",
	"term_reviews": "年度审核",
}

func tableLabel(t string) string {
	if l, ok := tableLabels[t]; ok {
		return l + "（" + t + "）"
	}
	return t
}

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// TamperedError refuses the use of a row that no longer matches its seal: it
// was changed outside the program (an account given another role, say).
type TamperedError struct {
	What string // Chinese: 账户记录
}

func (e *TamperedError) Error() string { return "row does not match its seal: " + e.What }

// Message is the Chinese sentence to show.
func (e *TamperedError) Message() string {
	return e.What + "与审计记录封存的不符（在程序之外被改动过），为安全起见拒绝使用。请立即通知安全审计员。"
}

// sealedRow reads one row of table, checked against its seal: its values
// by column, as json_array writes them (text quoted: see unquote), and
// whether it exists. A row that does not match its seal (or has none) is a
// *TamperedError, what naming it. Without the audit key nothing can be
// checked (and every write refuses): the row is read as it is.
func (s *Service) sealedRow(table, where, what string, args ...any) (map[string]string, bool, error) {
	t := s.sealer.byName[table]
	if t == nil {
		return nil, false, fmt.Errorf("no sealed table %s", table)
	}
	// The row and its seal in one statement: a write committing between two
	// reads would make them differ.
	rows, err := s.query(nil, t.SelectWithSealSQL()+where, args...)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return nil, false, rows.Err()
	}
	var key, array string
	var seal []byte
	if err := rows.Scan(&key, &array, &seal); err != nil {
		return nil, false, err
	}
	vals, err := t.RowValues(array)
	if err != nil {
		return nil, false, err
	}
	if s.auditKey != nil && !hmac.Equal(seal, rowSeal(s.auditKey, t, key, vals)) {
		return nil, true, &TamperedError{What: what}
	}
	out := make(map[string]string, len(vals))
	for i, c := range t.Columns {
		out[c.Name] = vals[i]
	}
	return out, true, nil
}

// rowIntact checks one row of table against its seal: nil when it matches
// (or does not exist), a *TamperedError when it does not.
func (s *Service) rowIntact(table, where, what string, args ...any) error {
	_, _, err := s.sealedRow(table, where, what, args...)
	return err
}

// say tells the progress of long work done while the database opens.
func (s *Service) say(msg string) {
	if s.progress != nil {
		s.progress(msg)
	}
}
