package app

import (
	"fmt"
	"slices"
	"strings"
	"sync"

	"secdoc/models"
)

// The ledger's filters (状态, 密级, 载体类型, year, 来文单位) in
// registration order are answered without reading the register row by row
// (R3): the count from carrier_counts and issuer_counts, which triggers keep
// exact, and the page by walking one index that starts with a filter's
// column and then runs in registration order, carrying the other filters'
// columns (schema 30). Which index is the cheapest walk follows from the
// same counts: the one whose rows hold the most matches per row walked. A
// filter with no match reads nothing at all; a rare one (借出 in a register
// of a million) walks its own few rows instead of the whole register.

// countRow is one row of carrier_counts or issuer_counts.
type countRow struct {
	State string
	Level int
	Kind  string
	Year  int
	N     int64
}

// counted says the count tables answer q exactly: no keyword, and no
// filter they don't keep (a period, a direction, 未填成文日期, late receipts).
func (q Query) counted() bool {
	_, searching := models.SearchMatch(q.Keyword)
	return !searching && q.From == "" && q.To == "" && q.Direction == "" && !q.NoDocDate && q.ReceiptsDueBy == "" &&
		!q.Unhandled
}

// planned says Page reads q by the plan below: a counted query in
// registration order.
func (q Query) planned() bool { return q.counted() && q.Sort == SortSeq }

// matches says whether the carriers counted in r are selected by q's
// filters other than the issuer.
func (q Query) matches(r countRow) bool {
	return (len(q.States) == 0 || slices.Contains(q.States, models.State(r.State))) &&
		(len(q.Levels) == 0 || slices.Contains(q.Levels, models.Level(r.Level))) &&
		(len(q.Kinds) == 0 || slices.Contains(q.Kinds, models.CarrierKind(r.Kind))) &&
		(q.Year == 0 || q.Year == r.Year)
}

// countRows reads carrier_counts, and issuer_counts of q's issuer when it
// has one: a few hundred rows however large the register.
func (s *Service) countRows(q Query) (all, issuer []countRow, err error) {
	if err := s.db.Raw(`SELECT state, level, kind, year, n FROM carrier_counts WHERE n <> 0`).Scan(&all).Error; err != nil {
		return nil, nil, fmt.Errorf("ledger counts: %w", err)
	}
	if q.Issuer != "" {
		if err := s.db.Raw(`SELECT state, level, kind, year, n FROM issuer_counts WHERE issuer = ? AND n <> 0`,
			q.Issuer).Scan(&issuer).Error; err != nil {
			return nil, nil, fmt.Errorf("ledger counts: %w", err)
		}
	}
	return all, issuer, nil
}

// countedMatches is the number of carriers q selects, from the count rows.
func (q Query) countedMatches(all, issuer []countRow) int64 {
	rows := all
	if q.Issuer != "" {
		rows = issuer
	}
	var n int64
	for _, r := range rows {
		if q.matches(r) {
			n += r.N
		}
	}
	return n
}

// filterIndex is an index of carriers that starts with one filter's column
// and continues in registration order (schema 30).
type filterIndex struct {
	name, column string
	value        func(countRow) any // the row's value of column
}

var (
	bySeq         = filterIndex{name: "idx_carriers_by_seq"}
	filterIndexes = []filterIndex{
		{"idx_carriers_by_state", "state", func(r countRow) any { return r.State }},
		{"idx_carriers_by_level", "level", func(r countRow) any { return r.Level }},
		{"idx_carriers_by_kind", "kind", func(r countRow) any { return r.Kind }},
		{"idx_carriers_by_year", "year", func(r countRow) any { return r.Year }},
	}
	byIssuer = filterIndex{name: "idx_carriers_issuer", column: "issuer"}
)

// ledgerPlan is how Page walks: an index and, when it starts with a
// filter's column, the values of that column with a match, one walk each.
type ledgerPlan struct {
	index  filterIndex
	values []any
	cost   float64 // index entries the walks are expected to read
}

// plan chooses the walk that reads the fewest index entries to find need
// rows of q. For each value v of a filter's column, the rows with v are
// range(v), of which match(v) are selected; finding need of them reads
// about need·range(v)/match(v) entries (at most range(v)), the matches
// spread evenly, which the count tables cannot promise but which holds for
// every filter but the year: the year's own index is always at least as
// cheap as a walk of the whole register for a query with a year, so the
// order of registration and the year never meet in a walk.
func (q Query) plan(all, issuer []countRow, need int64) ledgerPlan {
	walk := func(rng, match int64) float64 {
		if match == 0 {
			return 0
		}
		c := float64(need) * float64(rng) / float64(match)
		return min(c, float64(rng))
	}
	var total, matched int64
	for _, r := range all {
		total += r.N
		if q.Issuer == "" && q.matches(r) {
			matched += r.N
		}
	}
	if q.Issuer != "" {
		// The issuer's own index walks its rows; the others would walk
		// rows of every issuer for this one's matches.
		var rng int64
		for _, r := range issuer {
			rng += r.N
			if q.matches(r) {
				matched += r.N
			}
		}
		return ledgerPlan{index: byIssuer, values: []any{q.Issuer}, cost: walk(rng, matched)}
	}
	best := ledgerPlan{index: bySeq, cost: walk(total, matched)}
	for _, fi := range filterIndexes {
		if !q.filters(fi.column) {
			continue
		}
		rng, match := map[any]int64{}, map[any]int64{}
		var order []any
		for _, r := range all {
			v := fi.value(r)
			if q.matchesColumn(fi.column, r) {
				if _, seen := rng[v]; !seen {
					order = append(order, v)
				}
				rng[v] += r.N
				if q.matches(r) {
					match[v] += r.N
				}
			}
		}
		p := ledgerPlan{index: fi}
		for _, v := range order {
			if match[v] == 0 {
				continue
			}
			p.values = append(p.values, v)
			p.cost += walk(rng[v], match[v])
		}
		// One walk more costs about a page of entries.
		if len(p.values) > 1 {
			p.cost += float64(len(p.values)-1) * float64(need)
		}
		if p.cost < best.cost {
			best = p
		}
	}
	return best
}

// filters says q filters on column.
func (q Query) filters(column string) bool {
	switch column {
	case "state":
		return len(q.States) > 0
	case "level":
		return len(q.Levels) > 0
	case "kind":
		return len(q.Kinds) > 0
	case "year":
		return q.Year != 0
	}
	return false
}

// matchesColumn says whether r passes q's filter on column alone.
func (q Query) matchesColumn(column string, r countRow) bool {
	switch column {
	case "state":
		return slices.Contains(q.States, models.State(r.State))
	case "level":
		return slices.Contains(q.Levels, models.Level(r.Level))
	case "kind":
		return slices.Contains(q.Kinds, models.CarrierKind(r.Kind))
	case "year":
		return q.Year == r.Year
	}
	return true
}

// residual is q's filters on 状态, 密级, 载体类型 and year but the one on
// column ("" for all four), over the columns every filter index carries.
func (q Query) residual(column string) (conds []string, args []any) {
	if column != "state" && len(q.States) > 0 {
		conds = append(conds, `c.state IN (`+placeholders(len(q.States))+`)`)
		for _, s := range q.States {
			args = append(args, string(s))
		}
	}
	if column != "level" && len(q.Levels) > 0 {
		conds = append(conds, `c.level IN (`+placeholders(len(q.Levels))+`)`)
		for _, l := range q.Levels {
			args = append(args, int(l))
		}
	}
	if column != "kind" && len(q.Kinds) > 0 {
		conds = append(conds, `c.kind IN (`+placeholders(len(q.Kinds))+`)`)
		for _, k := range q.Kinds {
			args = append(args, string(k))
		}
	}
	if column != "year" && q.Year > 0 {
		conds = append(conds, `c.year = ?`)
		args = append(args, q.Year)
	}
	return conds, args
}

// sql is the plan as one statement that reads the registration numbers
// (seq) of the page at offset: one walk of the index, or, when it starts
// with a column of several values with matches (在库 and 借出 of the held
// carriers), one walk per value, each stopping after offset+limit rows,
// merged.
//
// bound, when not zero, starts the walks at a block (see blockStart): below
// it going down, from it going up.
func (p ledgerPlan) sql(q Query, offset, limit int, bound int64) (string, []any) {
	dir := " DESC"
	if q.Asc {
		dir = " ASC"
	}
	conds, rargs := q.residual(p.index.column)
	if bound != 0 {
		if q.Asc {
			conds = append(conds, `c.seq >= ?`)
		} else {
			conds = append(conds, `c.seq < ?`)
		}
		rargs = append(rargs, bound)
	}
	walk := func(v any) (string, []any) {
		cs := conds
		var args []any
		if p.index.column != "" {
			cs = append([]string{`c.` + p.index.column + ` = ?`}, conds...)
			args = append(args, v)
		}
		args = append(args, rargs...)
		where := ""
		if len(cs) > 0 {
			where = ` WHERE ` + strings.Join(cs, ` AND `)
		}
		return `SELECT c.seq FROM carriers c INDEXED BY ` + p.index.name + where + ` ORDER BY c.seq` + dir, args
	}
	if len(p.values) <= 1 {
		var v any
		if len(p.values) == 1 {
			v = p.values[0]
		}
		s, args := walk(v)
		return s + ` LIMIT ? OFFSET ?`, append(args, limit, offset)
	}
	var parts []string
	var args []any
	for _, v := range p.values {
		s, a := walk(v)
		parts = append(parts, `SELECT seq FROM (`+s+` LIMIT ?)`)
		args = append(append(args, a...), offset+limit)
	}
	return strings.Join(parts, ` UNION ALL `) + ` ORDER BY seq` + dir + ` LIMIT ? OFFSET ?`, append(args, limit, offset)
}

// plannedSeqs reads the registration numbers of a page of a planned query.
func (s *Service) plannedSeqs(q Query, offset, limit int) ([]int64, error) {
	all, issuer, err := s.countRows(q)
	if err != nil {
		return nil, err
	}
	if q.countedMatches(all, issuer) <= int64(offset) {
		return nil, nil
	}
	var bound int64
	if offset >= blockSkipFrom && q.Issuer == "" {
		if bound, offset, err = s.blockStart(q, offset); err != nil {
			return nil, err
		}
	}
	p := q.plan(all, issuer, int64(offset+limit))
	if p.index.column != "" && len(p.values) == 0 {
		return nil, nil
	}
	sql, args := p.sql(q, offset, limit, bound)
	var seqs []int64
	if err := s.db.Raw(sql, args...).Scan(&seqs).Error; err != nil {
		return nil, fmt.Errorf("ledger page: %w", err)
	}
	return seqs, nil
}

// blockBits is the size of carrier_blocks' blocks: 1 << 13 registration
// numbers (schema 31).
const blockBits = 13

// blockSkipFrom is how deep a page must be for Page to skip blocks by their
// counts rather than walk to it: about a block's walk.
var blockSkipFrom = 1 << blockBits

// blockStart finds, from carrier_blocks, the block in which the row at
// offset of q's list lies: it returns the registration number the walk
// starts from (the block's end going down, its start going up) and the
// offset of the row from there. The blocks are a few thousand rows for a
// million carriers; nothing of the register itself is read.
func (s *Service) blockStart(q Query, offset int) (bound int64, local int, err error) {
	order := "DESC"
	if q.Asc {
		order = "ASC"
	}
	rows, err := s.db.Raw(`SELECT blk, state, level, kind, year, n FROM carrier_blocks WHERE n <> 0 ORDER BY blk ` + order).Rows()
	if err != nil {
		return 0, 0, fmt.Errorf("ledger blocks: %w", err)
	}
	defer rows.Close()
	var before int64 // matches in the blocks before the current one
	cur, inCur := int64(-1), int64(0)
	var r countRow
	for rows.Next() {
		var blk int64
		if err := rows.Scan(&blk, &r.State, &r.Level, &r.Kind, &r.Year, &r.N); err != nil {
			return 0, 0, fmt.Errorf("ledger blocks: %w", err)
		}
		if blk != cur {
			if cur >= 0 && before+inCur > int64(offset) {
				break
			}
			before += inCur
			cur, inCur = blk, 0
		}
		if q.matches(r) {
			inCur += r.N
		}
	}
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("ledger blocks: %w", err)
	}
	if cur < 0 || before+inCur <= int64(offset) {
		return 0, offset, nil // past the end: the walk finds nothing either way
	}
	if q.Asc {
		return cur << blockBits, offset - int(before), nil
	}
	return (cur + 1) << blockBits, offset - int(before), nil
}

// rareKeywordMatches is how many matches of the keyword index alone make a
// keyword rare. Up to this many, the ledger reads every match's
// registration number from the index in the index's own order, which is
// quick however common each character pair of the term is (a 文号's 〔2,
// 20, 02 are in every 文号; walking such a phrase newest first took 75 ms
// at a million carriers, in order 3 ms), and filters, counts and orders
// them through the carriers' own index. A commoner keyword is read newest
// first through the join, whose first page comes at once.
var rareKeywordMatches = 2_000

// rareKeyword returns the registration numbers the keyword index matches
// for q's keyword, ok when there are at most rareKeywordMatches of them.
func (s *Service) rareKeyword(q Query) (seqs []int64, ok bool, err error) {
	expr, searching := models.SearchMatch(q.Keyword)
	if !searching {
		return nil, false, nil
	}
	// The window counts the matches, then reads the first page: the second
	// asks again for what the first read, unless the register has changed
	// since, which the audit trail's newest record says (every change is
	// recorded; its hash tells a restored register from this one).
	var head struct {
		Seq  int64
		Hash string
	}
	if err := s.db.Raw(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&head).Error; err != nil {
		return nil, false, fmt.Errorf("keyword: %w", err)
	}
	stamp := fmt.Sprintf("%d/%s/%d", head.Seq, head.Hash, rareKeywordMatches)
	s.keywords.mu.Lock()
	if c := &s.keywords; c.expr == expr && c.stamp == stamp {
		seqs, ok = c.seqs, c.ok
		s.keywords.mu.Unlock()
		return seqs, ok, nil
	}
	s.keywords.mu.Unlock()
	if err := s.db.Raw(`SELECT rowid FROM carrier_search WHERE carrier_search MATCH ? ORDER BY rowid LIMIT ?`,
		expr, rareKeywordMatches+1).Scan(&seqs).Error; err != nil {
		return nil, false, fmt.Errorf("keyword: %w", err)
	}
	ok = len(seqs) <= rareKeywordMatches
	if !ok {
		seqs = nil
	}
	s.keywords.mu.Lock()
	s.keywords.expr, s.keywords.stamp, s.keywords.seqs, s.keywords.ok = expr, stamp, seqs, ok
	s.keywords.mu.Unlock()
	return seqs, ok, nil
}

// keywordCache is the last keyword rareKeyword read, with the register's
// state it was read in.
type keywordCache struct {
	mu          sync.Mutex
	expr, stamp string
	seqs        []int64
	ok          bool
}

// amongSeqs is the WHERE of q's filters but its keyword, over carriers c,
// kept to the registration numbers seqs.
func (q Query) amongSeqs(seqs []int64) (string, []any) {
	rest := q
	rest.Keyword = ""
	_, where, args, _ := rest.sqlParts()
	if len(seqs) == 0 {
		seqs = []int64{0} // matches nothing: seq starts at 1
	}
	in := `c.seq IN (` + placeholders(len(seqs)) + `)`
	ins := make([]any, len(seqs))
	for i, v := range seqs {
		ins[i] = v
	}
	if where == "" {
		return " WHERE " + in, ins
	}
	return where + " AND " + in, append(args, ins...)
}

// unhandledSQLc is unhandledSQL over carriers c.
var unhandledSQLc = strings.ReplaceAll(unhandledSQL, "carriers.id", "c.id")

// unhandledWalk says Page and Count read q from the index of the unhandled
// incoming carriers: q asks for them, without a keyword.
func (q Query) unhandledWalk() bool {
	_, searching := models.SearchMatch(q.Keyword)
	return q.Unhandled && !searching
}

// unhandledSeqs reads a page of the unhandled incoming carriers, the
// longest waiting first: one walk of idx_carriers_unhandled per 缓急 (the
// index runs by 缓急, then time of registration), each stopping after
// offset+limit rows, merged.
func (s *Service) unhandledSeqs(q Query, offset, limit int) ([]int64, error) {
	_, where, args, _ := q.sqlParts()
	var parts []string
	var all []any
	for _, u := range models.Urgencies {
		parts = append(parts, `SELECT * FROM (SELECT c.seq, c.created_at FROM carriers c INDEXED BY idx_carriers_unhandled`+
			where+` AND c.urgency = ? ORDER BY c.created_at, c.seq LIMIT ?)`)
		all = append(append(all, args...), string(u), offset+limit)
	}
	var rows []struct{ Seq int64 }
	if err := s.db.Raw(strings.Join(parts, ` UNION ALL `)+` ORDER BY created_at, seq LIMIT ? OFFSET ?`,
		append(all, limit, offset)...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("ledger page: %w", err)
	}
	seqs := make([]int64, len(rows))
	for i, r := range rows {
		seqs[i] = r.Seq
	}
	return seqs, nil
}
