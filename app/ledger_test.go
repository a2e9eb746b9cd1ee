package app

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"secdoc/internal/instance"
	"secdoc/models"
)

// ledgerFixture registers a small, varied register.
func ledgerFixture(t *testing.T) *Service {
	s := newService(t)
	items := []struct {
		title, issuer, doc, date string
		level                    models.Level
		kind                     models.CarrierKind
	}{
		{"关于做好保密自查工作的通知", "遂安市人民政府办公室", "遂安府办发〔2026〕30号", "2026-03-02", models.LevelSecret, models.KindPaper},
		{"关于国产密码算法应用的意见", "市国家保密局", "遂保发〔2026〕5号", "2026-04-10", models.LevelTopSecret, models.KindPaper},
		{"防汛抗旱工作会议纪要", "中共遂安市委办公室", "遂办纪〔2025〕12号", "2025-07-01", models.LevelConfidential, models.KindDisc},
		{"关于涉密人员管理的报告", "市国家保密局", "遂保发〔2025〕9号", "2025-09-15", models.LevelSecret, models.KindUSB},
		{"安全生产大检查情况通报", "遂安市应急管理局", "遂应急发〔2026〕3号", "2026-06-18", models.LevelConfidential, models.KindCipherTel},
	}
	for _, it := range items {
		f := form()
		f.Title, f.Issuer, f.DocNumber, f.RegDate, f.Level, f.Kind = it.title, it.issuer, it.doc, it.date, it.level, it.kind
		mustRegister(t, s, f)
	}
	return s
}

func titles(t *testing.T, s *Service, q Query) []string {
	t.Helper()
	rows, err := s.Page(clerk(t, s), q, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Count(clerk(t, s), q)
	if err != nil {
		t.Fatal(err)
	}
	if int(n) != len(rows) {
		t.Fatalf("count %d but page has %d rows", n, len(rows))
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Title
	}
	return out
}

func TestLedger_KeywordFindsChineseSubstringsOfAnyLength(t *testing.T) {
	s := ledgerFixture(t)
	cases := map[string]int{
		"密":       3, // one character: 保密, 密码, 涉密 in titles; 保密局 in issuers
		"保密":      3, // two characters: title 1 + issuer 市国家保密局 ×2
		"密码算法":    1,
		"保密自查工作":  1,
		"〔2025〕":  2, // 文号 fragment with its brackets
		"[2025]":  2, // typed with ASCII brackets
		"收〔2026〕": 3, // register number prefix (two were registered in 2025)
		"0003":    1, // register number tail
		"纪要 防汛":   1, // two terms, both must occur
		"纪要 保密":   0,
		"国家保密局":   2,
		"不存在":     0,
		"自查通知":    0, // characters present but not adjacent
	}
	for kw, want := range cases {
		got := titles(t, s, Query{Keyword: kw})
		if len(got) != want {
			t.Errorf("keyword %q: %d rows %v; want %d", kw, len(got), got, want)
		}
	}
}

// The index finds every substring of every title, and nothing else: compared
// with strings.Contains over random Chinese text.
func TestLedger_KeywordMatchesStringsContains(t *testing.T) {
	s := newService(t)
	r := rand.New(rand.NewPCG(7, 11))
	alphabet := []rune("保密工作通知关于做好的涉密载体管理规定市局办公室〔〕2026号一二三")
	var titlesOnly []string
	for i := 0; i < 60; i++ {
		n := 4 + r.IntN(14)
		rs := make([]rune, n)
		for j := range rs {
			rs[j] = alphabet[r.IntN(len(alphabet))]
		}
		title := string(rs)
		titlesOnly = append(titlesOnly, title)
		f := form()
		f.Title, f.DocNumber, f.Issuer = title, "", "某单位"
		mustRegister(t, s, f)
	}
	rows, err := s.Page(clerk(t, s), Query{}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 300; i++ {
		src := []rune(titlesOnly[r.IntN(len(titlesOnly))])
		a := r.IntN(len(src))
		b := a + 1 + r.IntN(min(5, len(src)-a))
		if i%3 == 0 { // also terms that may not occur anywhere
			src = []rune{alphabet[r.IntN(len(alphabet))], alphabet[r.IntN(len(alphabet))], alphabet[r.IntN(len(alphabet))]}
			a, b = 0, 1+r.IntN(3)
		}
		term := string(src[a:b])
		want := 0
		for _, row := range rows {
			for _, field := range models.SearchFieldsOf(&row) {
				if strings.Contains(field, term) {
					want++
					break
				}
			}
		}
		if got, _ := s.Count(clerk(t, s), Query{Keyword: term}); int(got) != want {
			t.Fatalf("term %q: index found %d, strings.Contains finds %d", term, got, want)
		}
	}
}

func TestLedger_FiltersAndSorts(t *testing.T) {
	s := ledgerFixture(t)
	if got := titles(t, s, Query{Levels: []models.Level{models.LevelTopSecret}}); len(got) != 1 || got[0] != "关于国产密码算法应用的意见" {
		t.Errorf("level filter: %v", got)
	}
	if got := titles(t, s, Query{Year: 2025}); len(got) != 2 {
		t.Errorf("year filter: %v", got)
	}
	if got := titles(t, s, Query{Issuer: "市国家保密局"}); len(got) != 2 {
		t.Errorf("issuer filter: %v", got)
	}
	if got := titles(t, s, Query{Kinds: []models.CarrierKind{models.KindDisc, models.KindUSB}}); len(got) != 2 {
		t.Errorf("kind filter: %v", got)
	}
	if got := titles(t, s, Query{Levels: []models.Level{models.LevelSecret}, Year: 2026, Keyword: "通知"}); len(got) != 1 {
		t.Errorf("combined filter: %v", got)
	}
	// Default order: newest registration first.
	if got := titles(t, s, Query{}); got[0] != "安全生产大检查情况通报" || got[4] != "关于做好保密自查工作的通知" {
		t.Errorf("default order: %v", got)
	}
	if got := titles(t, s, Query{Sort: SortRegDate}); got[0] != "安全生产大检查情况通报" || got[4] != "防汛抗旱工作会议纪要" {
		t.Errorf("by date, newest first: %v", got)
	}
	if got := titles(t, s, Query{Sort: SortRegDate, Asc: true}); got[0] != "防汛抗旱工作会议纪要" {
		t.Errorf("by date ascending: %v", got)
	}
	if got := titles(t, s, Query{Sort: SortLevel}); got[0] != "关于国产密码算法应用的意见" {
		t.Errorf("by level, highest first: %v", got)
	}
	// Keyword results honour the sort too.
	if got := titles(t, s, Query{Keyword: "保密", Sort: SortSeq, Asc: true}); got[0] != "关于做好保密自查工作的通知" {
		t.Errorf("keyword ascending: %v", got)
	}
}

func TestLedger_PagesAreContiguous(t *testing.T) {
	s := newService(t)
	f := form()
	f.DocNumber, f.Copies = "", "250"
	mustRegister(t, s, f)
	var seen []int64
	for off := 0; off < 250; off += 64 {
		rows, err := s.Page(clerk(t, s), Query{}, off, 64)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			seen = append(seen, r.Seq)
		}
	}
	if len(seen) != 250 {
		t.Fatalf("%d rows over pages", len(seen))
	}
	for i, sq := range seen {
		if sq != int64(250-i) {
			t.Fatalf("row %d has seq %d", i, sq)
		}
	}
}

func TestStats_CountsHeldByLevelAndState(t *testing.T) {
	s := ledgerFixture(t)
	c, _ := s.Page(clerk(t, s), Query{Levels: []models.Level{models.LevelTopSecret}}, 0, 1)
	if err := s.Void(as(t, s, "王敏"), c[0].ID, c[0].Version, "重复登记，作废"); err != nil {
		t.Fatal(err)
	}
	st, err := s.Stats(clerk(t, s))
	if err != nil {
		t.Fatal(err)
	}
	if st.Held != 4 || st.Total != 5 || st.ByState[models.StateVoided] != 1 || st.ByState[models.StateInStore] != 4 {
		t.Fatalf("stats %+v", st)
	}
	if st.HeldByLevel[models.LevelTopSecret] != 0 || st.HeldByLevel[models.LevelSecret] != 2 ||
		st.HeldByLevel[models.LevelConfidential] != 2 || st.RegisteredTY != 3 {
		t.Fatalf("by level %+v", st)
	}
	issuers, _ := s.Issuers(clerk(t, s))
	if len(issuers) != 4 {
		t.Fatalf("issuers %v", issuers)
	}
}

func TestOpen_SecondInstanceRefused(t *testing.T) {
	t.Setenv("SECDOC_KEY_DIR", t.TempDir())
	path := filepath.Join(t.TempDir(), "one.db")
	first, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	first.Now = func() time.Time { return fixedNow }
	if err := first.SetupDemo("Demo-pass-2026"); err != nil {
		t.Fatal(err)
	}
	sess, _, err := first.SignIn("clerk", "Demo-pass-2026")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := first.Register(sess, form()); err != nil {
		t.Fatal(err)
	}
	second, err := Open(path)
	if err == nil {
		second.Close()
		t.Fatal("a second instance opened the same database")
	}
	var held *instance.HeldError
	if !errors.As(err, &held) || held.PID == 0 {
		t.Fatalf("want HeldError with the holder's pid, got %v", err)
	}
	first.Close()
	again, err := Open(path)
	if err != nil {
		t.Fatalf("open after the first closed: %v", err)
	}
	defer again.Close()
	sess, _, err = again.SignIn("clerk", "Demo-pass-2026")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := again.Count(sess, Query{}); n != 1 {
		t.Fatalf("data lost: %d", n)
	}
}

func TestOpen_PragmasOnEveryConnection(t *testing.T) {
	s := newService(t)
	db, err := s.DB().DB()
	if err != nil {
		t.Fatal(err)
	}
	// Hold several connections at once so the pool opens more than one;
	// each must have the pragmas.
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		conn, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var fk, sd, bt int
		var jm string
		for _, q := range []struct {
			sql string
			to  any
		}{{`PRAGMA foreign_keys`, &fk}, {`PRAGMA secure_delete`, &sd}, {`PRAGMA busy_timeout`, &bt}, {`PRAGMA journal_mode`, &jm}} {
			if err := conn.QueryRowContext(ctx, q.sql).Scan(q.to); err != nil {
				t.Fatalf("connection %d: %s: %v", i, q.sql, err)
			}
		}
		if fk != 1 || sd != 1 || bt < 1000 || jm != "wal" {
			t.Fatalf("connection %d: foreign_keys=%d secure_delete=%d busy_timeout=%d journal_mode=%s", i, fk, sd, bt, jm)
		}
	}
}

func TestMigrate_IdempotentAndRefusesNewer(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := models.Migrate(s.DB()); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if err := s.DB().Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, 'future', '2030-01-01')`,
		models.SchemaVersion()+1).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(path)
	if !errors.Is(err, models.ErrNewerSchema) {
		t.Fatalf("want ErrNewerSchema, got %v", err)
	}
}

func TestLedger_KeywordCountStopsAtTheCap(t *testing.T) {
	s := ledgerFixture(t)
	sess := clerk(t, s)
	for _, c := range []struct {
		q     Query
		limit int
		n     int64
		more  bool
	}{
		{Query{Keyword: "关于"}, 2, 2, true},
		{Query{Keyword: "关于"}, 3, 3, false},
		{Query{Keyword: "关于"}, 10, 3, false},
		{Query{}, 2, 5, false}, // without a keyword the count is exact
	} {
		n, more, err := s.CountUpTo(sess, c.q, c.limit)
		if err != nil || n != c.n || more != c.more {
			t.Errorf("CountUpTo(%q, %d) = %d, %v, %v; want %d, %v", c.q.Keyword, c.limit, n, more, err, c.n, c.more)
		}
	}
}

func TestLedger_KeywordTakesAScannedBarcode(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	mustRegister(t, s, otherIssuerForm())
	got, err := s.Page(clerk(t, s), Query{Keyword: models.BarcodeText(c.RegNo)}, 0, 10)
	if err != nil || len(got) != 1 || got[0].ID != c.ID {
		t.Fatalf("scanned %s: %d rows %v", models.BarcodeText(c.RegNo), len(got), err)
	}
}

// Issuers and People list the register's distinct values as a DISTINCT
// query would, found by seeking through their indexes.
func TestIssuersAndPeople_SameAsDistinct(t *testing.T) {
	s := newService(t)
	sess := clerk(t, s)
	for i, who := range []string{"李明", "王敏", "李明", "张伟", "赵强"} {
		f := form()
		f.DocNumber = fmt.Sprintf("遂安府办发〔2026〕%d号", 80+i)
		f.Issuer = []string{"遂安市保密局", "遂安市人民政府办公室", "遂安市保密局", "中共遂安市委办公室", "遂安市财政局"}[i]
		f.Custodian = who
		mustRegister(t, s, f)
	}
	var want []string
	if err := s.DB().Raw(`SELECT DISTINCT issuer FROM carriers WHERE issuer <> '' ORDER BY issuer`).Scan(&want).Error; err != nil {
		t.Fatal(err)
	}
	got, err := s.Issuers(sess)
	if err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("Issuers = %q (%v), want %q", got, err, want)
	}
	if err := s.DB().Raw(`SELECT custodian FROM carriers GROUP BY custodian UNION SELECT full_name FROM users
		WHERE NOT disabled ORDER BY 1`).Scan(&want).Error; err != nil {
		t.Fatal(err)
	}
	got, err = s.People(sess)
	if err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("People = %q (%v), want %q", got, err, want)
	}
}

// R20: the ledger lists the 国家秘密 carriers whose term counts from the
// 收文日期 because no 成文日期 is recorded; filling it in takes them off.
func TestLedger_R20_CarriersWithoutADocumentDate(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies = "2"
	noDate := mustRegister(t, s, f)
	g := form()
	g.DocNumber, g.DocDate = "遂安府办发〔2026〕31号", "2026-11-02"
	mustRegister(t, s, g)
	h := form()
	h.DocNumber, h.Level = "遂安府办发〔2026〕32号", models.LevelInternal
	mustRegister(t, s, h)
	q := Query{NoDocDate: true}
	if n, err := s.Count(clerk(t, s), q); err != nil || n != 2 {
		t.Fatalf("without 成文日期: %d %v", n, err)
	}
	edit := FormOf(noDate[0])
	edit.DocDate = "2026-11-01"
	if _, err := s.Edit(clerk(t, s), noDate[0].ID, noDate[0].Version, edit, "补填成文日期"); err != nil {
		t.Fatal(err)
	}
	page, err := s.Page(clerk(t, s), q, 0, 10)
	if err != nil || len(page) != 1 || page[0].ID != noDate[1].ID {
		t.Fatalf("after filling one in: %v %v", page, err)
	}
	hist, _ := s.History(clerk(t, s), noDate[0].ID)
	if last := hist[len(hist)-1]; last.Field != "成文日期" || last.OldValue != "" || last.NewValue != "2026-11-01" {
		t.Fatalf("history %+v", last)
	}
}
