package app

import (
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"secdoc/models"

	"gorm.io/gorm"
)

// SortKey is a column the ledger can be sorted by.
type SortKey int

const (
	SortSeq       SortKey = iota // 登记号: registration order (default, newest first)
	SortRegDate                  // 收文日期
	SortLevel                    // 密级
	SortTitle                    // 题名
	SortIssuer                   // 来文单位
	SortDocNumber                // 文号
)

// Query selects and orders rows of the ledger. Empty filters match everything.
type Query struct {
	Keyword string // Chinese substrings of 题名/文号/来文单位/登记号; spaces separate terms that must all occur
	Levels  []models.Level
	States  []models.State // nil means every state
	Kinds   []models.CarrierKind
	Year    int // 0: every year
	// From and To keep the registrations of a period, by 收文日期
	// (yyyy-mm-dd, inclusive); "" leaves that end open.
	From, To string
	Issuer   string
	// Direction keeps 收文 or 发文 alone; "" keeps both.
	Direction models.Direction
	// NoDocDate keeps the 国家秘密 carriers without a 成文日期, whose term
	// counts from the 收文日期 until the clerk fills it in (R20).
	NoDocDate bool
	// ReceiptsDueBy keeps the copies sent on or before this day
	// (yyyy-mm-dd) whose 签收 or 回执 is still missing (R25); see
	// Service.ReceiptCutoff.
	ReceiptsDueBy string
	// Unhandled keeps the incoming carriers in store that no handling act
	// has touched (R7, R27), the longest waiting first whatever Sort says:
	// what the home's 待办文件 card counts.
	Unhandled bool
	Sort      SortKey
	Asc       bool // ascending; the zero Query reads newest registration first
}

// HeldQuery is the register's default view: everything the office still holds.
func HeldQuery() Query { return Query{States: models.HeldStates} }

// sqlParts builds the FROM and WHERE of a ledger query the count tables
// and the filter indexes don't answer (see ledgerplan.go). With a keyword
// the search index drives the join, so the newest matches come straight out
// of its row order.
func (q Query) sqlParts() (from, where string, args []any, searching bool) {
	var conds []string
	if expr, ok := models.SearchMatch(q.Keyword); ok {
		from = `carrier_search CROSS JOIN carriers c ON c.seq = carrier_search.rowid`
		conds = append(conds, `carrier_search MATCH ?`)
		args = append(args, expr)
		searching = true
	} else {
		from = `carriers c`
	}
	// 状态, 密级, 载体类型 and year, as the filter indexes' walks write them.
	rc, ra := q.residual("")
	conds, args = append(conds, rc...), append(args, ra...)
	if q.From != "" {
		conds = append(conds, `c.reg_date >= ?`)
		args = append(args, q.From)
	}
	if q.To != "" {
		conds = append(conds, `c.reg_date <= ?`)
		args = append(args, q.To)
	}
	if q.Issuer != "" {
		conds = append(conds, `c.issuer = ?`)
		args = append(args, q.Issuer)
	}
	if q.Direction != "" {
		conds = append(conds, `c.direction = ?`)
		args = append(args, string(q.Direction))
	}
	if q.NoDocDate {
		// Written out literally so that the partial index applies.
		conds = append(conds, `c.doc_date = '' AND c.level > 0`)
	}
	if q.ReceiptsDueBy != "" {
		// Written out literally so that the partial index of outstanding sendings applies.
		conds = append(conds, `c.id IN (SELECT carrier_id FROM sendings WHERE receipt_on = '' AND returned_on = '' AND sent_on <= ?)`)
		args = append(args, q.ReceiptsDueBy)
	}
	if q.Unhandled {
		conds = append(conds, unhandledSQLc)
	}
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	return from, where, args, searching
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func (q Query) orderBy(searching bool) string {
	desc := !q.Asc
	dir := func(d bool) string {
		if d {
			return " DESC"
		}
		return " ASC"
	}
	seq := "c.seq"
	if searching {
		seq = "carrier_search.rowid"
	}
	switch q.Sort {
	case SortRegDate:
		return "c.reg_date" + dir(desc) + ", c.seq" + dir(desc)
	case SortLevel:
		return "c.level" + dir(desc) + ", c.seq DESC"
	case SortTitle:
		return "c.title" + dir(desc) + ", c.seq DESC"
	case SortIssuer:
		return "c.issuer" + dir(desc) + ", c.seq DESC"
	case SortDocNumber:
		return "c.doc_number" + dir(desc) + ", c.copy_no" + dir(desc)
	}
	return seq + dir(desc)
}

// Count counts the carriers the query selects.
func (s *Service) Count(sess *Session, q Query) (_ int64, err error) {
	defer s.refused(sess, "Count", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return 0, err
	}
	if q.unhandledWalk() {
		_, where, args, _ := q.sqlParts()
		var n int64
		if err := s.db.Raw(`SELECT count(*) FROM carriers c INDEXED BY idx_carriers_unhandled`+where, args...).Scan(&n).Error; err != nil {
			return 0, fmt.Errorf("count ledger: %w", err)
		}
		return n, nil
	}
	if q.counted() {
		all, issuer, err := s.countRows(q)
		if err != nil {
			return 0, err
		}
		return q.countedMatches(all, issuer), nil
	}
	from, where, args, _ := q.sqlParts()
	var n int64
	if err := s.db.Raw(`SELECT count(*) FROM `+from+where, args...).Scan(&n).Error; err != nil {
		return 0, fmt.Errorf("count ledger: %w", err)
	}
	return n, nil
}

// KeywordCountCap is where the ledger first stops counting keyword
// matches: a common one-character term matches a quarter of a million-row
// register, and counting every match exactly takes half a second. The
// window counts on, by this many times five each time, when the clerk
// scrolls to the end of what was counted.
const KeywordCountCap = 2_000

// CountUpTo counts like Count, but stops at limit when the query has a
// keyword: more reports that there are more matches than limit.
func (s *Service) CountUpTo(sess *Session, q Query, limit int) (n int64, more bool, err error) {
	defer s.refused(sess, "CountUpTo", "", &err)
	if _, ok := models.SearchMatch(q.Keyword); !ok {
		n, err = s.Count(sess, q)
		return n, false, err
	}
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return 0, false, err
	}
	if seqs, ok, err := s.rareKeyword(q); err != nil {
		return 0, false, err
	} else if ok {
		where, args := q.amongSeqs(seqs)
		if err := s.db.Raw(`SELECT count(*) FROM carriers c`+where, args...).Scan(&n).Error; err != nil {
			return 0, false, fmt.Errorf("count ledger: %w", err)
		}
		if n > int64(limit) {
			return int64(limit), true, nil
		}
		return n, false, nil
	}
	from, where, args, _ := q.sqlParts()
	sql := `SELECT count(*) FROM (SELECT 1 FROM ` + from + where + ` LIMIT ?)`
	if err := s.db.Raw(sql, append(args, limit+1)...).Scan(&n).Error; err != nil {
		return 0, false, fmt.Errorf("count ledger: %w", err)
	}
	if n > int64(limit) {
		return int64(limit), true, nil
	}
	return n, false, nil
}

// Page reads limit rows of the ledger from offset, in the query's order.
// Rows are found by their sequence numbers first, then read whole, so a deep
// page costs a walk over an index, not over the rows.
func (s *Service) Page(sess *Session, q Query, offset, limit int) (_ []models.Carrier, err error) {
	defer s.refused(sess, "Page", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var seqs []int64
	if q.unhandledWalk() {
		if seqs, err = s.unhandledSeqs(q, offset, limit); err != nil {
			return nil, err
		}
	} else if q.planned() {
		if seqs, err = s.plannedSeqs(q, offset, limit); err != nil {
			return nil, err
		}
	} else if rare, ok, err := s.rareKeyword(q); err != nil {
		return nil, err
	} else if ok {
		where, args := q.amongSeqs(rare)
		sql := `SELECT c.seq FROM carriers c` + where + ` ORDER BY ` + q.orderBy(false) + ` LIMIT ? OFFSET ?`
		if err := s.db.Raw(sql, append(args, limit, offset)...).Scan(&seqs).Error; err != nil {
			return nil, fmt.Errorf("ledger page: %w", err)
		}
	} else {
		from, where, args, searching := q.sqlParts()
		sql := `SELECT c.seq FROM ` + from + where + ` ORDER BY ` + q.orderBy(searching) + ` LIMIT ? OFFSET ?`
		if err := s.db.Raw(sql, append(args, limit, offset)...).Scan(&seqs).Error; err != nil {
			return nil, fmt.Errorf("ledger page: %w", err)
		}
	}
	if len(seqs) == 0 {
		return nil, nil
	}
	var rows []models.Carrier
	if err := s.db.Where("seq IN ?", seqs).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("ledger rows: %w", err)
	}
	pos := make(map[int64]int, len(seqs))
	for i, sq := range seqs {
		pos[sq] = i
	}
	out := make([]models.Carrier, len(seqs))
	for _, r := range rows {
		out[pos[r.Seq]] = r
	}
	return out, nil
}

// Stats are the counts the home view and status bar show.
type Stats struct {
	Held         int64                  // carriers still held (在库, 传阅中, 借出, 外出携带)
	HeldSecret   int64                  // of those, the 国家秘密 ones; the rest are 内部 and 非密 (R21)
	HeldByLevel  map[models.Level]int64 // of those, by 密级
	ByState      map[models.State]int64 // every carrier ever registered, by state
	Total        int64
	HeldByKind   map[models.CarrierKind]int64
	RegisteredTY int64 // registered this year
}

// Stats reads the register's counts from carrier_counts, which triggers
// keep exact in every change's transaction: a few dozen rows however many
// carriers there are (the audit check recounts them; see countsDiffer).
func (s *Service) Stats(sess *Session) (_ Stats, err error) {
	defer s.refused(sess, "Stats", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return Stats{}, err
	}
	st := Stats{HeldByLevel: map[models.Level]int64{}, ByState: map[models.State]int64{},
		HeldByKind: map[models.CarrierKind]int64{}}
	var rows []struct {
		State string
		Level int
		Kind  string
		N     int64
	}
	if err := s.db.Raw(`SELECT state, level, kind, sum(n) AS n FROM carrier_counts WHERE n <> 0
		GROUP BY state, level, kind`).Scan(&rows).Error; err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	for _, r := range rows {
		state := models.State(r.State)
		st.ByState[state] += r.N
		st.Total += r.N
		if state.Held() {
			st.Held += r.N
			st.HeldByLevel[models.Level(r.Level)] += r.N
			if models.Level(r.Level).IsStateSecret() {
				st.HeldSecret += r.N
			}
			st.HeldByKind[models.CarrierKind(r.Kind)] += r.N
		}
	}
	year := s.today().Year()
	if err := s.db.Raw(`SELECT coalesce(sum(n), 0) FROM carrier_counts WHERE year = ?`, year).Scan(&st.RegisteredTY).Error; err != nil {
		return st, fmt.Errorf("stats: %w", err)
	}
	return st, nil
}

// Issuers lists the distinct 来文单位 of the register, for the filter and
// for completing what the clerk types.
func (s *Service) Issuers(sess *Session) (_ []string, err error) {
	defer s.refused(sess, "Issuers", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	return distinctValues(s.db, "issuer", "idx_carriers_issuer")
}

// maxDistinct bounds the values distinctValues lists.
const maxDistinct = 20000

// distinctValues lists the distinct non-empty values of a column of
// carriers, sorted, by seeking through an index that begins with it from
// each value to the next: as many seeks as there are values, however many
// carriers there are (a full scan takes 200 ms at a million).
func distinctValues(db *gorm.DB, column, index string) ([]string, error) {
	q := fmt.Sprintf(`SELECT min(%s) FROM carriers INDEXED BY %s WHERE %s > ?`, column, index, column)
	var out []string
	last := ""
	for len(out) < maxDistinct {
		var next sql.NullString
		if err := db.Raw(q, last).Scan(&next).Error; err != nil {
			return nil, err
		}
		if !next.Valid {
			break
		}
		out = append(out, next.String)
		last = next.String
	}
	return out, nil
}

// People lists the names the register knows as people: every 责任人 it
// has recorded and every active account's name, sorted. The window offers
// them for the 责任人 and 接收人 fields, so that a typo is not taken for a
// new person unasked.
func (s *Service) People(sess *Session) (_ []string, err error) {
	defer s.refused(sess, "People", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	// The people list (R27), made from the register's names the first time.
	if err := s.buildPeople(sess); err != nil {
		return nil, err
	}
	var custodians []string
	if err := s.db.Raw(`SELECT name FROM persons WHERE has_left = 0 ORDER BY name`).Scan(&custodians).Error; err != nil {
		return nil, err
	}
	var names []string
	if err := s.db.Raw(`SELECT full_name FROM users WHERE NOT disabled AND full_name <> ''`).Scan(&names).Error; err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(custodians)+len(names))
	out := make([]string, 0, len(custodians)+len(names))
	for _, n := range append(custodians, names...) {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out, nil
}

// Years lists the register years present, newest first. Every year that
// has a register number has a counter, so this reads a handful of rows.
func (s *Service) Years(sess *Session) (_ []int, err error) {
	defer s.refused(sess, "Years", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var names []string
	if err := s.db.Raw(`SELECT name FROM counters WHERE name LIKE 'reg:%'`).Scan(&names).Error; err != nil {
		return nil, err
	}
	seen := map[int]bool{}
	var out []int
	for _, n := range names {
		var y int
		if i := strings.LastIndexByte(n, ':'); i >= 0 {
			fmt.Sscan(n[i+1:], &y)
		}
		if y > 0 && !seen[y] {
			seen[y] = true
			out = append(out, y)
		}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(out)))
	return out, nil
}
