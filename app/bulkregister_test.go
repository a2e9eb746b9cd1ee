package app

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"gorm.io/gorm/schema"

	"secdoc/models"
)

// bulkTable is an import of n rows as an office's register writes them:
// incoming and outgoing, two years, one to three copies, six custodians
// (new to the people list), and a few rows without a 份号.
func bulkTable(n int) *ImportTable {
	tb := &ImportTable{Name: "登记簿.xlsx", Format: "Excel", HeaderLine: 1,
		Header: []string{"登记日期", "文件资料名称", "制作发文单位", "载体类别", "文号或编号", "密级", "页数或容量",
			"份数", "份号", "使用范围", "保管人", "收发类别"}}
	for i := 0; i < n; i++ {
		date, dir, issuer := "2026-03-02", "收文", "遂安市委办公室"
		if i%3 == 0 {
			date = "2025-12-30"
		}
		if i%7 == 0 {
			dir, issuer = "发文/自产", ""
		}
		copies := 1 + i%3
		copyNo := fmt.Sprintf("1-%d", copies)
		if copies == 1 {
			copyNo = "1"
		}
		if i%11 == 0 {
			copyNo = ""
		}
		tb.Rows = append(tb.Rows, ImportRow{Line: i + 2, Cells: []string{date,
			fmt.Sprintf("关于第%d项保密工作的通知", i), issuer, "纸介质", fmt.Sprintf("遂委办〔2026〕%d号", i+1),
			"机密★10年", "6", fmt.Sprint(copies), copyNo, "办公室主任", fmt.Sprintf("保管员%d", i%6), dir}})
	}
	return tb
}

// A large import goes in batch by batch, each sealed by one audit record:
// afterwards the kept counts equal the rows, every row is numbered as one
// registration after another would number it and found by the keyword
// box, the audit check passes row by row, and a row of the import changed
// with a SQLite tool is named.
func TestImport_BulkCountsNumbersSealsAndTamper(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	tb := bulkTable(1500)
	m := GuessMapping(tb.Header)
	rep, err := s.ImportDryRun(clerk(t, s), tb, m)
	if err != nil || !rep.OK() {
		t.Fatalf("dry run: %+v %v", rep.Problems[:min(3, len(rep.Problems))], err)
	}
	var progress []int
	rep, err = s.Import(clerk(t, s), tb, m, func(done, total int) { progress = append(progress, done) })
	if err != nil || rep.Carriers != 3000 {
		t.Fatalf("import: %d carriers, %v", rep.Carriers, err)
	}
	if len(progress) < 2 || progress[len(progress)-1] != 1500 {
		t.Fatalf("progress %v", progress)
	}

	// The counts the home reads equal the rows.
	if diff, err := s.CountsDiffer(clerk(t, s)); err != nil || len(diff) > 0 {
		t.Fatalf("counts differ from the rows: %v %v", diff, err)
	}
	var carriers, events, indexed, people int64
	s.db.Raw(`SELECT count(*) FROM carriers`).Scan(&carriers)
	s.db.Raw(`SELECT count(*) FROM carrier_events WHERE action = ?`, models.ActionRegister).Scan(&events)
	s.db.Raw(`SELECT count(*) FROM carrier_search`).Scan(&indexed)
	s.db.Raw(`SELECT count(*) FROM persons WHERE name LIKE '保管员%'`).Scan(&people)
	if carriers != 3001 || events != 3001 || indexed != 3001 || people != 6 {
		t.Fatalf("%d carriers, %d registration lines, %d index rows, %d people", carriers, events, indexed, people)
	}

	// Numbers: registration order without a gap, each series counted on.
	var seqs []int64
	s.db.Raw(`SELECT seq FROM carriers ORDER BY seq`).Scan(&seqs)
	for i, q := range seqs {
		if q != int64(i+1) {
			t.Fatalf("seq %d at %d", q, i)
		}
	}
	for _, series := range []struct {
		prefix string
		year   int
	}{{"收", 2026}, {"收", 2025}, {"发", 2026}, {"发", 2025}} {
		var regs []string
		s.db.Raw(`SELECT reg_no FROM carriers WHERE reg_no LIKE ? ORDER BY seq`,
			fmt.Sprintf("%s〔%d〕%%", series.prefix, series.year)).Scan(&regs)
		if len(regs) == 0 {
			t.Fatalf("no carrier of %s %d", series.prefix, series.year)
		}
		for i, r := range regs {
			if want := fmt.Sprintf("%s〔%d〕%04d", series.prefix, series.year, i+1); r != want {
				t.Fatalf("%s at %d, want %s", r, i, want)
			}
		}
	}
	// The three copies of one row: one registration act, numbered in turn.
	var row3 []models.Carrier
	s.db.Where("doc_number = ?", "遂委办〔2026〕3号").Order("seq").Find(&row3)
	if len(row3) != 3 || row3[0].BatchID != row3[2].BatchID || row3[0].CopyNo != 1 || row3[2].CopyNo != 3 ||
		row3[0].CopyCount != 3 || row3[2].Seq != row3[0].Seq+2 {
		t.Fatalf("copies of row 3: %+v", row3)
	}
	evs, err := s.History(clerk(t, s), row3[1].ID)
	if err != nil || len(evs) != 1 || !strings.Contains(evs[0].NewValue, "（共3份之第2份）") ||
		!strings.HasPrefix(evs[0].NewValue, row3[1].RegNo+" 机密★10年 份号000002") {
		t.Fatalf("history %+v %v", evs, err)
	}
	var hashsize string
	s.db.Raw(`SELECT v FROM carrier_search_config WHERE k = 'hashsize'`).Scan(&hashsize)
	if hashsize != "1048576" {
		t.Fatalf("the index's hashsize was left at %q", hashsize)
	}
	page, err := s.Page(clerk(t, s), Query{Keyword: "第1234项"}, 0, 10)
	if err != nil || len(page) != 2 || page[0].DocNumber != "遂委办〔2026〕1235号" { // its two copies
		t.Fatalf("keyword search: %v %v", page, err)
	}

	// One record per batch, each sealing its own carriers and their history.
	var batches []models.AuditRecord
	s.db.Where("event = ? AND object = ?", models.EventRegister, tb.Name).Order("seq").Find(&batches)
	if len(batches) != len(progress) {
		t.Fatalf("%d batch records for %d batches (of up to %d carriers)", len(batches), len(progress), bulkCarriers)
	}
	sealed := 0
	for i, r := range batches {
		n := 0
		if err := decodeSeals(r.Seals, func(table, key string, seal []byte) {
			if table == "carriers" {
				n++
			}
		}); err != nil {
			t.Fatal(err)
		}
		if (n < bulkCarriers-2 && i < len(batches)-1) || n > bulkCarriers || !strings.Contains(r.Detail, fmt.Sprintf("%d 件", n)) {
			t.Fatalf("record %d seals %d carriers: %s", r.Seq, n, r.Detail)
		}
		sealed += n
	}
	if sealed != 3000 {
		t.Fatalf("the batch records seal %d carriers, want 3000", sealed)
	}
	if a := lastAudit(t, s); a.Event != models.EventImport || !strings.Contains(a.Detail, "1500 行，登记 3000 件") {
		t.Fatalf("import record %+v", a)
	}

	aud := as(t, s, "auditor")
	v, err := s.VerifyAudit(aud)
	if err != nil || !v.OK || v.Rows < 6000 {
		t.Fatalf("verdict after the import: %+v %v", v, err)
	}

	// A carrier of the last batch, changed outside the program.
	victim := row3[0]
	s.db.Where("doc_number = ?", "遂委办〔2026〕1400号").Take(&victim)
	raw := rawDB(t, s)
	mustExec(t, raw, `UPDATE carriers SET custodian = '李四' WHERE id = '`+victim.ID+`'`)
	v, err = s.VerifyAudit(aud)
	if err != nil || v.OK || !strings.Contains(findings(v), victim.ID) {
		t.Fatalf("verdict after changing an imported row: %+v %v", v, err)
	}
}

// A 文号+份号 that an earlier form of the same call has, in the same batch
// or in an earlier one, fails the whole call naming its form and the
// carrier that has it; nothing is written, the counters included.
func TestRegisterMany_DuplicateWritesNothing(t *testing.T) {
	for _, dup := range []int{bulkCarriers / 2, bulkCarriers + 100} {
		s := newService(t)
		var forms []models.CarrierForm
		for i := 0; i < bulkCarriers+200; i++ {
			f := form()
			f.DocNumber = fmt.Sprintf("遂安府办发〔2026〕%d号", i+1)
			forms = append(forms, f)
		}
		forms[dup].DocNumber = forms[7].DocNumber
		before := countAll(t, s)
		var seqBefore int64
		s.db.Raw(`SELECT coalesce(max(value), 0) FROM counters WHERE name = 'seq'`).Scan(&seqBefore)
		_, err := s.RegisterMany(clerk(t, s), forms, nil)
		var re *RowError
		if !errors.As(err, &re) || re.Row != dup+1 || !errors.Is(err, models.ErrDuplicateCopy) {
			t.Fatalf("duplicate of form %d: %v", dup+1, err)
		}
		if !strings.Contains(err.Error(), "遂安府办发〔2026〕8号") || !strings.Contains(err.Error(), "（登记号 收〔2026〕0008）") {
			t.Fatalf("message %q", err.Error())
		}
		var seqAfter int64
		s.db.Raw(`SELECT coalesce(max(value), 0) FROM counters WHERE name = 'seq'`).Scan(&seqAfter)
		if got := countAll(t, s); got != before || seqAfter != seqBefore {
			t.Fatalf("%d carriers, seq %d: something was written", got, seqAfter)
		}
	}
}

// Carriers registered in bulk are the rows one registration writes, column
// for column, but their own ids: text with quotes, backslashes, control
// characters, parameter marks and SQL goes into the literals of a batch exactly, and text a literal
// can't carry (not UTF-8) goes in bound value by value.
func TestRegisterMany_SameRowsAsRegister(t *testing.T) {
	for _, remarks := range []string{"领导已阅", "“批示”\"原文\"\\附件\t第2页\n完'引'", "备注\xff\xfe",
		"见附件?1 ?2 :a $1 @b', 'x'); DROP TABLE carriers; --", "/* 未完"} {
		one, many := newService(t), newService(t)
		f := form()
		f.Copies, f.CopyNo, f.Remarks, f.NoCopy, f.Urgency = "2", "3", remarks, true, models.UrgencyUrgent
		f.TermKind, f.TermMonths, f.DocDate = models.TermMonths, "6", "2026-11-01"
		a := mustRegister(t, one, f)
		if _, err := many.RegisterMany(clerk(t, many), []models.CarrierForm{f}, nil); err != nil {
			t.Fatal(err)
		}
		read := func(s *Service) []map[string]any {
			var rows []map[string]any
			s.db.Table("carriers").Order("seq").Find(&rows)
			for _, r := range rows {
				for _, k := range []string{"id", "batch_id"} {
					delete(r, k)
				}
			}
			return rows
		}
		x, y := read(one), read(many)
		if len(x) != 2 || fmt.Sprintf("%#v", x) != fmt.Sprintf("%#v", y) {
			t.Fatalf("Register:\n%#v\nRegisterMany:\n%#v", x, y)
		}
		hx, _ := one.History(clerk(t, one), a[1].ID)
		var b models.Carrier
		many.db.Where("copy_no = 4").Take(&b)
		hy, _ := many.History(clerk(t, many), b.ID)
		if len(hx) != 1 || len(hy) != 1 || hx[0].NewValue != hy[0].NewValue || hx[0].Action != hy[0].Action ||
			hx[0].ActorLogin != hy[0].ActorLogin || hx[0].Actor != hy[0].Actor || !hx[0].At.Equal(hy[0].At) {
			t.Fatalf("history %+v\n%+v", hx, hy)
		}
		if b.Remarks != remarks {
			t.Fatalf("remarks %q, want %q", b.Remarks, remarks)
		}
		aud := as(t, many, "auditor")
		if v, err := many.VerifyAudit(aud); err != nil || !v.OK {
			t.Fatalf("verdict %+v %v", v, err)
		}
	}
}

// The columns the bulk statements write are every column of the models.
func TestBulkColumns_AreTheModels(t *testing.T) {
	for _, c := range []struct {
		model any
		cols  []string
	}{{&models.Carrier{}, carrierColumns}, {&models.CarrierEvent{}, eventColumns}} {
		sch, err := schema.Parse(c.model, &sync.Map{}, schema.NamingStrategy{})
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, f := range sch.Fields {
			if f.DBName != "" {
				want = append(want, f.DBName)
			}
		}
		got := append([]string(nil), c.cols...)
		sort.Strings(want)
		sort.Strings(got)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: bulk columns\n%v\nmodel columns\n%v", sch.Table, got, want)
		}
	}
}
