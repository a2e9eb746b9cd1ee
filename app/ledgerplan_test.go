package app

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"secdoc/models"
)

// filterFixture is a register of 120 carriers spread over every 状态,
// 密级, 载体类型, four years and three issuers (the states and years set
// with SQL, which the count triggers follow as they follow the program).
func filterFixture(t *testing.T) *Service {
	t.Helper()
	s := newService(t)
	levels := []models.Level{models.LevelConfidential, models.LevelSecret, models.LevelTopSecret,
		models.LevelInternal, models.LevelNonSecret}
	kinds := []models.CarrierKind{models.KindPaper, models.KindPaper, models.KindDisc, models.KindUSB}
	issuers := []string{"遂安市人民政府办公室", "市国家保密局", "遂安市应急管理局"}
	for i := 0; i < 120; i++ {
		f := formNo(i + 1)
		f.Level, f.Kind, f.Issuer = levels[i%len(levels)], kinds[i%7%len(kinds)], issuers[i%11%len(issuers)]
		if !f.Level.IsStateSecret() {
			f.TermKind = ""
		}
		mustRegister(t, s, f)
	}
	raw := rawDB(t, s)
	// Most carriers in store, the newest and the oldest in the rarer states.
	states := models.States
	mustExec(t, raw, fmt.Sprintf(`UPDATE carriers SET year = 2023 + seq %% 4,
		state = CASE WHEN seq %% 3 = 0 THEN 'in_store' ELSE (%s) END`, stateCase(states)))
	return s
}

// stateCase is SQL that picks one of states by seq.
func stateCase(states []models.State) string {
	var b strings.Builder
	b.WriteString("CASE seq % " + fmt.Sprint(len(states)))
	for i, st := range states {
		fmt.Fprintf(&b, " WHEN %d THEN '%s'", i, st)
	}
	b.WriteString(" END")
	return b.String()
}

// windowQueries are the ledger queries the window's filters can make in
// registration order, both directions: every 密级, every 状态 and 在册
// (the held ones), two 载体类型, a year and an issuer, each alone and in
// every combination.
func windowQueries(issuer string) []Query {
	levels := [][]models.Level{nil}
	for _, l := range models.AllLevels {
		levels = append(levels, []models.Level{l})
	}
	states := [][]models.State{nil, models.HeldStates}
	for _, st := range models.States {
		states = append(states, []models.State{st})
	}
	var out []Query
	for _, lv := range levels {
		for _, st := range states {
			for _, k := range [][]models.CarrierKind{nil, {models.KindDisc}, {models.KindPaper}} {
				for _, y := range []int{0, 2024} {
					for _, is := range []string{"", issuer} {
						for _, asc := range []bool{false, true} {
							out = append(out, Query{Levels: lv, States: st, Kinds: k, Year: y, Issuer: is, Asc: asc})
						}
					}
				}
			}
		}
	}
	return out
}

// bruteSeqs reads q's registration numbers the slow way, every row checked.
func bruteSeqs(t *testing.T, s *Service, q Query) []int64 {
	t.Helper()
	from, where, args, searching := q.sqlParts()
	var seqs []int64
	if err := s.db.Raw(`SELECT c.seq FROM `+from+where+` ORDER BY `+q.orderBy(searching), args...).Scan(&seqs).Error; err != nil {
		t.Fatal(err)
	}
	return seqs
}

// R3: every filter of the ledger and every combination of them gives the
// same count and the same pages as reading every row, anywhere in the list.
func TestLedgerFilters_R3_SameRowsAsReadingEveryRow(t *testing.T) {
	s := filterFixture(t)
	sess := clerk(t, s)
	nonEmpty := 0
	for _, q := range windowQueries("市国家保密局") {
		want := bruteSeqs(t, s, q)
		n, err := s.Count(sess, q)
		if err != nil {
			t.Fatal(err)
		}
		if int(n) != len(want) {
			t.Fatalf("%+v: counted %d, the rows are %d", q, n, len(want))
		}
		if len(want) > 0 {
			nonEmpty++
		}
		for _, off := range []int{0, 3, len(want) / 2, len(want) - 1, len(want)} {
			page, err := s.Page(sess, q, max(off, 0), 4)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, c := range page {
				got = append(got, c.Seq)
			}
			exp := want[min(max(off, 0), len(want)):min(max(off, 0)+4, len(want))]
			if !slices.Equal(got, exp) && !(len(got) == 0 && len(exp) == 0) {
				t.Fatalf("%+v at %d: %v, want %v", q, off, got, exp)
			}
		}
	}
	if nonEmpty < 300 {
		t.Fatalf("only %d of the queries select anything: the fixture does not spread", nonEmpty)
	}
}

// R3: the page of every filter combination is one walk (or one walk per
// value of a filter of several) of a filter index in registration order:
// no scan of the table, and no sort but the merge of the walks. A change
// that falls back to a scan fails here.
func TestLedgerFilters_R3_EveryPageFromAnIndex(t *testing.T) {
	s := filterFixture(t)
	all, _, err := s.countRows(Query{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, q := range windowQueries("市国家保密局") {
		_, issuer, err := s.countRows(q)
		if err != nil {
			t.Fatal(err)
		}
		for _, need := range []int64{50, 400} {
			p := q.plan(all, issuer, need)
			if p.index.column != "" && len(p.values) == 0 {
				continue // nothing matches: nothing is read
			}
			seen[p.index.name] = true
			sql, args := p.sql(q, int(need)-50, 50, 0)
			plan := explain(t, s, sql, args...)
			for _, line := range strings.Split(plan, "\n") {
				if strings.Contains(line, "SCAN c") && !strings.Contains(line, "INDEX "+p.index.name) ||
					strings.Contains(line, "SEARCH c") && !strings.Contains(line, "INDEX "+p.index.name) {
					t.Fatalf("%+v reads the table other than by %s:\n%s", q, p.index.name, plan)
				}
				if strings.Contains(line, "TEMP B-TREE") && len(p.values) < 2 {
					t.Fatalf("%+v sorts:\n%s", q, plan)
				}
			}
			if !strings.Contains(plan, "COVERING INDEX "+p.index.name) {
				t.Fatalf("%+v: not from %s alone:\n%s", q, p.index.name, plan)
			}
		}
	}
	for _, name := range []string{"idx_carriers_by_seq", "idx_carriers_by_state", "idx_carriers_by_level",
		"idx_carriers_by_kind", "idx_carriers_by_year", "idx_carriers_issuer"} {
		if !seen[name] {
			t.Errorf("no query walks %s", name)
		}
	}
}

// R3: a rare state in a register where the newest carriers are all in
// store walks that state's own rows, and a state nobody is in reads
// nothing: the choice follows the counts.
func TestLedgerFilters_R3_RareStateWalksItsOwnRows(t *testing.T) {
	rows := []countRow{
		{State: "in_store", Level: 1, Kind: "纸质文件", Year: 2026, N: 900_000},
		{State: "on_loan", Level: 1, Kind: "纸质文件", Year: 2026, N: 12},
		{State: "destroyed", Level: 2, Kind: "光盘", Year: 2019, N: 40_000},
	}
	q := Query{States: []models.State{models.StateOnLoan}}
	if p := q.plan(rows, nil, 50); p.index.name != "idx_carriers_by_state" || len(p.values) != 1 || p.cost > 12 {
		t.Fatalf("借出: %+v", p)
	}
	q = Query{States: []models.State{models.StateTakenOut}}
	if n := q.countedMatches(rows, nil); n != 0 {
		t.Fatalf("外出携带 (none, so Page reads nothing): %d", n)
	}
	q = HeldQuery()
	if p := q.plan(rows, nil, 50); p.index.name != "idx_carriers_by_seq" {
		t.Fatalf("在册: %+v", p)
	}
	q = Query{Kinds: []models.CarrierKind{models.KindDisc}}
	if p := q.plan(rows, nil, 50); p.index.name != "idx_carriers_by_kind" || p.cost > 50 {
		t.Fatalf("光盘: %+v", p)
	}
}

// The counts by 来文单位 are recounted by the audit check like the others.
func TestIssuerCounts_RecountedByTheAuditCheck(t *testing.T) {
	s := ledgerFixture(t)
	if d, err := s.CountsDiffer(clerk(t, s)); err != nil || len(d) != 0 {
		t.Fatalf("counts differ: %v %v", d, err)
	}
	mustExec(t, rawDB(t, s), `UPDATE issuer_counts SET n = n + 2 WHERE issuer = '市国家保密局' AND level = 3`)
	d, err := s.CountsDiffer(clerk(t, s))
	if err != nil || len(d) != 1 || !strings.Contains(d[0], "来文单位“市国家保密局”") || !strings.Contains(d[0], "记为 3 件，登记簿中实有 1 件") {
		t.Fatalf("differences %v %v", d, err)
	}
	n, _ := s.Count(clerk(t, s), Query{Issuer: "市国家保密局"})
	if n != 4 {
		t.Fatalf("the ledger does not read the table: %d", n)
	}
}

// spread copies the register's rows k times with SQL, each copy's
// registration numbers 3,000 further on, so that the list spans many
// blocks of carrier_blocks (the triggers count the copies as they count
// the program's registrations).
func spread(t *testing.T, s *Service, k int) {
	t.Helper()
	raw := rawDB(t, s)
	rows, err := raw.Query(`SELECT name FROM pragma_table_info('carriers')`)
	if err != nil {
		t.Fatal(err)
	}
	var cols, vals []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		cols = append(cols, c)
		switch c {
		case "id", "reg_no", "doc_number":
			vals = append(vals, c+" || '-' || k")
		case "seq":
			vals = append(vals, "seq + k * 3000")
		case "original_id":
			vals = append(vals, "NULL")
		default:
			vals = append(vals, c)
		}
	}
	rows.Close()
	mustExec(t, raw, fmt.Sprintf(`WITH RECURSIVE ks(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM ks WHERE k < %d)
		INSERT INTO carriers (%s) SELECT %s FROM carriers, ks WHERE seq < 3000`,
		k, strings.Join(cols, ", "), strings.Join(vals, ", ")))
}

// R3: a page deep in the list skips the blocks before it by their counts
// (carrier_blocks) and gives the rows reading every row gives, for every
// filter combination, at every depth, in both directions; the block counts
// are recounted by the audit check.
func TestLedgerFilters_R3_DeepPagesSkipBlocks(t *testing.T) {
	s := filterFixture(t)
	spread(t, s, 90) // 10,920 carriers over 34 blocks
	sess := clerk(t, s)
	if d, err := s.CountsDiffer(sess); err != nil || len(d) != 0 {
		t.Fatalf("counts after the copies: %v %v", d, err)
	}
	defer func(v int) { blockSkipFrom = v }(blockSkipFrom)
	blockSkipFrom = 0
	checked := 0
	for i, q := range windowQueries("") {
		if i%5 != 0 || q.Issuer != "" {
			continue
		}
		want := bruteSeqs(t, s, q)
		for _, off := range []int{0, 1, 199, len(want) / 3, len(want) / 2, len(want) - 3, len(want)} {
			if off < 0 {
				continue
			}
			page, err := s.Page(sess, q, off, 5)
			if err != nil {
				t.Fatal(err)
			}
			var got []int64
			for _, c := range page {
				got = append(got, c.Seq)
			}
			exp := want[min(off, len(want)):min(off+5, len(want))]
			if !slices.Equal(got, exp) && !(len(got) == 0 && len(exp) == 0) {
				t.Fatalf("%+v at %d of %d: %v, want %v", q, off, len(want), got, exp)
			}
			checked++
		}
	}
	if checked < 500 {
		t.Fatalf("only %d pages checked", checked)
	}
	mustExec(t, rawDB(t, s), `UPDATE carrier_blocks SET n = n + 1 WHERE (blk, state, level, kind, year) =
		(SELECT blk, state, level, kind, year FROM carrier_blocks WHERE blk = 3 AND state = 'in_store' LIMIT 1)`)
	d, err := s.CountsDiffer(sess)
	if err != nil || len(d) != 1 || !strings.Contains(d[0], "第 3 段") {
		t.Fatalf("differences %v %v", d, err)
	}
}

// R3: a keyword with few matches is read from the keyword index in its own
// order and filtered through the carriers; a common one through the join,
// newest first. Both give the same count and pages, with every filter and
// every sort.
func TestLedgerKeyword_R3_RareAndCommonReadsAgree(t *testing.T) {
	s := filterFixture(t)
	sess := clerk(t, s)
	read := func(q Query) (int64, bool, []int64) {
		n, more, err := s.CountUpTo(sess, q, 50)
		if err != nil {
			t.Fatal(err)
		}
		var seqs []int64
		for _, off := range []int{0, 7, 30} {
			page, err := s.Page(sess, q, off, 7)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range page {
				seqs = append(seqs, c.Seq)
			}
		}
		return n, more, seqs
	}
	defer func(v int) { rareKeywordMatches = v }(rareKeywordMatches)
	compared := 0
	for _, kw := range []string{"关于", "〔2026〕1", "保密 通知", "遂安", "府办发", "没有这个词"} {
		for _, q := range windowQueries("市国家保密局")[:200] {
			q.Keyword = kw
			for _, sort := range []SortKey{SortSeq, SortTitle, SortRegDate} {
				q.Sort = sort
				rareKeywordMatches = 2000
				n1, m1, p1 := read(q)
				rareKeywordMatches = 0
				n2, m2, p2 := read(q)
				if n1 != n2 || m1 != m2 || !slices.Equal(p1, p2) {
					t.Fatalf("%+v: rare read %d %v %v, common read %d %v %v", q, n1, m1, p1, n2, m2, p2)
				}
				if n1 > 0 {
					compared++
				}
			}
		}
	}
	if compared < 300 {
		t.Fatalf("only %d queries with matches compared", compared)
	}
}

// R7, R27: the ledger's 未办理收文 are what the home's 待办文件 card counts,
// the longest waiting first across 缓急, read from the index of them;
// handling one takes it off the list.
func TestLedgerUnhandled_R7_LongestWaitingFirstFromItsIndex(t *testing.T) {
	s := newService(t)
	var want []int64
	for i := 0; i < 9; i++ {
		s.Now = func() time.Time { return fixedNow.Add(time.Duration(i) * time.Minute) }
		f := formNo(i + 1)
		f.Urgency = models.Urgencies[i%3]
		want = append(want, one(t, s, f).Seq)
	}
	s.Now = func() time.Time { return fixedNow.Add(time.Hour) }
	sess := clerk(t, s)
	c := one(t, s, formNo(50)) // registered last, handled at once
	if _, err := s.RecordHandling(sess, c.ID, models.HandleRead, "", ""); err != nil {
		t.Fatal(err)
	}
	q := Query{Unhandled: true}
	n, err := s.Count(sess, q)
	if err != nil || n != 9 {
		t.Fatalf("count %d %v", n, err)
	}
	var got []int64
	for _, off := range []int{0, 4, 8} {
		page, err := s.Page(sess, q, off, 4)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page {
			got = append(got, c.Seq)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("pages %v, want %v (oldest first)", got, want)
	}
	// With a filter and with a keyword too.
	q.Levels = []models.Level{models.LevelSecret}
	if n, _ := s.Count(sess, q); n != 9 {
		t.Fatalf("with the level: %d", n)
	}
	q.Keyword = "没有这个词"
	if n, _ := s.Count(sess, q); n != 0 {
		t.Fatalf("with a keyword nothing has: %d", n)
	}
	q = Query{Unhandled: true}
	_, where, args, _ := q.sqlParts()
	plan := explain(t, s, `SELECT c.seq FROM carriers c INDEXED BY idx_carriers_unhandled`+where+
		` AND c.urgency = ? ORDER BY c.created_at, c.seq LIMIT 5`, append(args, "")...)
	if !strings.Contains(plan, "idx_carriers_unhandled") || strings.Contains(plan, "TEMP B-TREE") {
		t.Fatalf("plan:\n%s", plan)
	}
}

// The matches of a rare keyword are read once for its count and its page,
// and again as soon as the register changes: a registration, an edit, a
// restore each leave a new newest audit record.
func TestLedgerKeyword_ReadAgainAfterAChange(t *testing.T) {
	s := ledgerFixture(t)
	sess := clerk(t, s)
	q := Query{Keyword: "保密局"}
	if n, _, _ := s.CountUpTo(sess, q, 100); n != 2 {
		t.Fatalf("before: %d", n)
	}
	f := formNo(90)
	f.Issuer = "市国家保密局"
	mustRegister(t, s, f)
	if n, _, _ := s.CountUpTo(sess, q, 100); n != 3 {
		t.Fatalf("after a registration: %d", n)
	}
	page, err := s.Page(sess, q, 0, 10)
	if err != nil || len(page) != 3 || page[0].DocNumber != f.DocNumber {
		t.Fatalf("page %d %v", len(page), err)
	}
}
