package app

import (
	"strings"
	"testing"
	"time"

	"secdoc/models"
)

// R15: the end of a term the database computes (carriers.term_end, behind
// the home's 保密期限将到期 and the yearly review) is the one
// models.TermExpiry computes, for every kind of term and level, month ends
// and leap days included; no end for 内部, 长期 and 解密条件.
func TestTermEnd_R15_ColumnAgreesWithTermExpiry(t *testing.T) {
	s := newService(t)
	cases := []models.CarrierForm{
		termForm(models.LevelTopSecret, "2026-11-20", models.TermDefault, ""),
		termForm(models.LevelSecret, "2024-02-29", models.TermDefault, ""),
		termForm(models.LevelConfidential, "2026-01-31", models.TermDefault, ""),
		termForm(models.LevelConfidential, "2026-08-31", models.TermMonths, "6"),
		termForm(models.LevelSecret, "2026-01-31", models.TermMonths, "1"),
		termForm(models.LevelSecret, "2024-02-29", models.TermYears, "1"),
		termForm(models.LevelSecret, "2026-11-20", models.TermYears, "15"),
		termForm(models.LevelSecret, "2026-11-20", models.TermUntil, "2027-06-30"),
		termForm(models.LevelSecret, "2026-11-20", models.TermCondition, "工程竣工验收后"),
		termForm(models.LevelTopSecret, "2026-11-20", models.TermLong, ""),
		termForm(models.LevelInternal, "2026-11-20", models.TermDefault, ""),
	}
	withDocDate := termForm(models.LevelSecret, "2026-11-20", models.TermYears, "2")
	withDocDate.DocDate = "2025-12-31"
	cases = append(cases, withDocDate)
	for i, f := range cases {
		f.DocNumber = ""
		f.Title = f.Title + strings.Repeat("甲", i+1)
		c := one(t, s, f)
		var end *string
		if err := s.db.Raw(`SELECT term_end FROM carriers WHERE id = ?`, c.ID).Scan(&end).Error; err != nil {
			t.Fatal(err)
		}
		d, ok := models.TermExpiry(c)
		switch {
		case !ok && end != nil:
			t.Errorf("%s %s: column %s, TermExpiry none", c.Marking(), c.RegDate, *end)
		case ok && (end == nil || *end != d.Format(models.DateLayout)):
			t.Errorf("%s %s: column %v, TermExpiry %s", c.Marking(), c.RegDate, end, d.Format(models.DateLayout))
		}
	}
}

// explain is SQLite's plan of a query, one line per step.
func explain(t *testing.T, s *Service, q string, args ...any) string {
	t.Helper()
	rows, err := s.db.Raw(`EXPLAIN QUERY PLAN `+q, args...).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n")
}

// The home's lists of carriers read a few rows from an index whatever the
// size of the register: each query's plan searches the index named and
// neither scans nor sorts (the queries name their index: SQLite refuses
// one it cannot use, and a later change that breaks it fails here).
func TestHomeLists_ServedByIndexes(t *testing.T) {
	s := newService(t)
	for _, c := range []struct {
		index, query string
		args         []any
	}{
		{"idx_carriers_term_end", `SELECT * FROM carriers INDEXED BY idx_carriers_term_end WHERE term_end IS NOT NULL AND ` + models.HeldSQL +
			` AND term_end <= ? ORDER BY term_end, seq LIMIT 5`, []any{"2027-03-01"}},
		{"idx_carriers_unhandled", `SELECT * FROM carriers INDEXED BY idx_carriers_unhandled WHERE ` + unhandledSQL +
			` AND urgency = ? AND created_at < ? ORDER BY created_at, seq LIMIT 5`, []any{"", "2026-11-23 00:00:00"}},
	} {
		plan := explain(t, s, c.query, c.args...)
		if !strings.Contains(plan, "USING INDEX "+c.index) && !strings.Contains(plan, "USING COVERING INDEX "+c.index) {
			t.Errorf("not from %s:\n%s", c.index, plan)
		}
		if strings.Contains(plan, "SCAN carriers") || strings.Contains(plan, "TEMP B-TREE") {
			t.Errorf("scans or sorts:\n%s", plan)
		}
	}
}

// R7: the home reads the few most overdue incoming documents, urgent and
// normal merged by how late they are, and counts all of them.
func TestOverdueHandling_R7_MostOverdueFirstAndCounted(t *testing.T) {
	s := newService(t)
	var normal, urgent []string
	for i := 0; i < 4; i++ {
		s.Now = func() time.Time { return fixedNow.Add(time.Duration(i) * time.Minute) }
		f := formNo(i + 1)
		normal = append(normal, one(t, s, f).ID)
		f = formNo(i + 11)
		f.Urgency = models.UrgencyExtreme
		urgent = append(urgent, one(t, s, f).ID)
	}
	s.Now = func() time.Time { return fixedNow }
	// Monday 10:00 registrations; Tuesday 12:05: the urgent were due at
	// 11:00 on Monday, the normal at 12:00 on Tuesday.
	now := time.Date(2026, 11, 24, 12, 5, 0, 0, time.Local)
	list, total, err := s.OverdueHandling(clerk(t, s), now, HandlingThresholds{}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if total != 8 || len(list) != 3 {
		t.Fatalf("%d listed, %d counted", len(list), total)
	}
	for i, id := range urgent[:3] {
		if list[i].Carrier.ID != id {
			t.Errorf("line %d: %s, want the urgent registered %d minutes after ten", i+1, list[i].Carrier.RegNo, i)
		}
	}
	all, total, _ := s.OverdueHandling(clerk(t, s), now, HandlingThresholds{}, 0)
	if len(all) != 8 || total != 8 || all[4].Carrier.ID != normal[0] || all[7].Carrier.ID != normal[3] {
		t.Fatalf("all eight: %d, %d", len(all), total)
	}
}

// The counts the home reads (carrier_counts) follow every change in its
// transaction; one changed with a SQLite tool is named by the audit check
// and by CountsDiffer, and nothing else is blamed.
func TestCounts_KeptExactAndRecountedByTheAuditCheck(t *testing.T) {
	s := ledgerFixture(t)
	c, _ := s.Page(clerk(t, s), Query{Levels: []models.Level{models.LevelTopSecret}}, 0, 1)
	if err := s.Void(as(t, s, "王敏"), c[0].ID, c[0].Version, "重复登记，作废"); err != nil {
		t.Fatal(err)
	}
	mustRegister(t, s, formNo(77))
	if d, err := s.CountsDiffer(clerk(t, s)); err != nil || len(d) != 0 {
		t.Fatalf("counts differ after changes: %v %v", d, err)
	}
	if _, err := s.CountsDiffer(as(t, s, "auditor")); err == nil {
		t.Fatal("the auditor reads no business records (R18)")
	}
	before, _ := s.Stats(clerk(t, s))
	mustExec(t, rawDB(t, s), `UPDATE carrier_counts SET n = n + 7 WHERE (state, level, kind, year) =
		(SELECT state, level, kind, year FROM carrier_counts WHERE state = 'in_store' AND level = 2 LIMIT 1)`)
	after, _ := s.Stats(clerk(t, s))
	if after.HeldByLevel[models.LevelSecret] != before.HeldByLevel[models.LevelSecret]+7 {
		t.Fatalf("the home does not read the table: %d → %d", before.HeldByLevel[models.LevelSecret],
			after.HeldByLevel[models.LevelSecret])
	}
	d, err := s.CountsDiffer(clerk(t, s))
	if err != nil || len(d) != 1 || !strings.Contains(d[0], "机密") || !strings.Contains(d[0], "在库") {
		t.Fatalf("differences %v %v", d, err)
	}
	mustExec(t, rawDB(t, s), `UPDATE custodian_counts SET n = n - 1 WHERE (custodian, state, level) =
		(SELECT custodian, state, level FROM custodian_counts WHERE state = 'in_store' AND n > 0 LIMIT 1)`)
	v, err := s.VerifyAudit(as(t, s, "auditor"))
	if err != nil || v.OK || len(v.Findings) != 2 || !strings.Contains(v.Findings[0], "统计表") ||
		!strings.Contains(v.Findings[1], "统计表中责任人") {
		t.Fatalf("verdict %+v %v", v, err)
	}
}
