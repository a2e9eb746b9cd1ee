package demo

import (
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"secdoc/app"
	"secdoc/models"
)

var testNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)

func init() {
	app.Argon2Params.Time, app.Argon2Params.MemoryKiB, app.Argon2Params.Threads = 1, 1024, 1
}

// clerks holds the demo clerk's session of each test database.
var clerks = map[*app.Service]*app.Session{} // services live until their test ends

func sessOf(s *app.Service) *app.Session { return clerks[s] }

func openService(t *testing.T) *app.Service {
	t.Helper()
	t.Setenv("SECDOC_KEY_DIR", t.TempDir())
	s, err := app.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return testNow }
	t.Cleanup(func() { s.Close() })
	if err := s.SetupDemo("Demo-pass-2026"); err != nil {
		t.Fatal(err)
	}
	sess, _, err := s.SignIn("clerk", "Demo-pass-2026")
	if err != nil {
		t.Fatal(err)
	}
	clerks[s] = sess
	return s
}

// all reads every carrier in registration order.
func all(t *testing.T, s *app.Service) []models.Carrier {
	t.Helper()
	rows, err := s.Page(sessOf(s), app.Query{Sort: app.SortSeq, Asc: true}, 0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

var docNumberRe = regexp.MustCompile(`^\p{Han}+〔(\d{4})〕\d+号$`)

func TestGenerate(t *testing.T) {
	s := openService(t)
	var calls, last int
	err := Generate(s, sessOf(s), 500, 42, func(done, total int) {
		calls++
		if total != 500 || done < last || done > total {
			t.Errorf("progress(%d, %d) after %d", done, total, last)
		}
		last = done
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || last != 500 {
		t.Errorf("progress called %d times, last done %d; want last 500", calls, last)
	}
	n, err := s.Count(sessOf(s), app.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if n != 500 {
		t.Fatalf("Count = %d, want exactly 500", n)
	}

	rows := all(t, s)
	if len(rows) != 500 {
		t.Fatalf("read %d rows, want 500", len(rows))
	}
	today := testNow.Format(models.DateLayout)
	from := testNow.AddDate(-Years, 0, 0).Format(models.DateLayout)
	levels := map[models.Level]int{}
	dirs := map[models.Direction]int{}
	issuers := map[string]bool{}
	seenCopy := map[string]bool{}
	voided := 0
	prevDate := ""
	for _, c := range rows {
		if c.RegDate > today || c.RegDate < from {
			t.Errorf("%s: date %s outside %s..%s", c.RegNo, c.RegDate, from, today)
		}
		if c.RegDate < prevDate {
			t.Errorf("%s: date %s before the previous registration's %s", c.RegNo, c.RegDate, prevDate)
		}
		prevDate = c.RegDate
		if c.CreatedBy != "演示机要员" {
			t.Errorf("%s: created by %q", c.RegNo, c.CreatedBy)
		}
		if c.DocNumber != "" {
			m := docNumberRe.FindStringSubmatch(c.DocNumber)
			if m == nil {
				t.Errorf("%s: 文号 %q not like 遂安府办发〔2024〕37号", c.RegNo, c.DocNumber)
			} else if y, _ := strconv.Atoi(m[1]); y != c.Year {
				t.Errorf("%s: 文号 %q year differs from register year %d", c.RegNo, c.DocNumber, c.Year)
			}
			key := c.DocNumber + "/" + strconv.Itoa(c.CopyNo)
			if seenCopy[key] {
				t.Errorf("%s: 文号 and 份号 %s registered twice", c.RegNo, key)
			}
			seenCopy[key] = true
		}
		if c.Title == "" || c.Custodian == "" || !c.Kind.Valid() || !c.Level.Registrable() {
			t.Errorf("%s: incomplete carrier %+v", c.RegNo, c)
		}
		// Check again, as the registration form would: every row is valid.
		if _, err := app.FormOf(c).Check(testNow); err != nil {
			t.Errorf("%s: stored carrier fails the form's checks: %v", c.RegNo, err)
		}
		levels[c.Level]++
		dirs[c.Direction]++
		issuers[c.Issuer] = true
		if c.State == models.StateVoided {
			voided++
			if c.VoidReason == "" {
				t.Errorf("%s voided without a reason", c.RegNo)
			}
		}
	}
	// Rough shares: 60% 秘密, 32% 机密, 8% 绝密; 85% incoming.
	if levels[models.LevelConfidential] < 250 || levels[models.LevelSecret] < 100 || levels[models.LevelTopSecret] < 10 {
		t.Errorf("level mix %v is off", levels)
	}
	if dirs[models.DirIncoming] < 350 || dirs[models.DirOutgoing] < 30 {
		t.Errorf("direction mix %v is off", dirs)
	}
	if len(issuers) < 25 {
		t.Errorf("only %d issuers", len(issuers))
	}
	if voided > 10 {
		t.Errorf("%d voided, want about 0.3%%", voided)
	}

	for _, kw := range []string{"遂安市人民政府办公室", "保密", "通知"} {
		n, err := s.Count(sessOf(s), app.Query{Keyword: kw})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("Count(keyword %q) = 0", kw)
		}
	}
}

func TestGenerateDeterministic(t *testing.T) {
	titles := func(seed int64) []string {
		s := openService(t)
		if err := Generate(s, sessOf(s), 300, seed, nil); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range all(t, s) {
			out = append(out, c.RegDate+" "+c.DocNumber+" "+c.Title+" "+c.RegNo)
		}
		return out
	}
	a, b, c := titles(7), titles(7), titles(8)
	if len(a) != 300 || len(b) != 300 {
		t.Fatalf("got %d and %d rows", len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("row %d differs for the same seed:\n%s\n%s", i, a[i], b[i])
		}
	}
	same := 0
	for i := range a {
		if a[i] == c[i] {
			same++
		}
	}
	if same == len(a) {
		t.Error("another seed gave the same data")
	}
}

// Generating twice into one register must not collide on 文号 and 份号.
func TestGenerateTwice(t *testing.T) {
	s := openService(t)
	for i := range 2 {
		if err := Generate(s, sessOf(s), 200, 1, nil); err != nil {
			t.Fatalf("run %d: %v", i+1, err)
		}
	}
	if n, err := s.Count(sessOf(s), app.Query{}); err != nil || n != 400 {
		t.Fatalf("Count = %d, %v; want 400", n, err)
	}
}

// A chunk boundary inside a form of several copies still stops at exactly n.
func TestGenerateChunks(t *testing.T) {
	s := openService(t)
	if err := Generate(s, sessOf(s), ChunkForms+7, 3, nil); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.Count(sessOf(s), app.Query{}); n != ChunkForms+7 {
		t.Fatalf("Count = %d, want %d", n, ChunkForms+7)
	}
}

// Forms gives the forms Generate registers: exactly n carriers, all valid.
func TestForms(t *testing.T) {
	forms := Forms(testNow, 1000, 42)
	total := 0
	for i, f := range forms {
		if _, err := f.Check(testNow); err != nil {
			t.Fatalf("form %d: %v", i+1, err)
		}
		k, _ := strconv.Atoi(f.Copies)
		total += k
	}
	if total != 1000 {
		t.Fatalf("forms make %d carriers, want 1000", total)
	}
	again := Forms(testNow, 1000, 42)
	for i := range forms {
		if forms[i] != again[i] {
			t.Fatalf("form %d differs for the same seed", i+1)
		}
	}
}
