package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"secdoc/models"
)

// R26: the inspector's copy writes the year's books, the register as
// .xlsx, every running book and the review list into a new folder, each
// marked as the 定密责任人 confirmed, and records it; without a 定密责任人,
// or for a year not begun, it is refused and leaves no folder.
func TestInspectorCopy_R26_TheYearsPapersInOneFolder(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	ownDoc(t, s, "1")
	addApprover(t, s, "吴定", models.LevelTopSecret, models.ApproveClassify)
	dir := t.TempDir()
	n := auditCount(t, s)
	_, err := s.WriteInspectorCopy(clerk(t, s), 2026, dir, "", nil)
	wantRefusal(t, err, models.ErrBadMarking, FieldClassifier, "定密责任人")
	_, err = s.WriteInspectorCopy(clerk(t, s), 2027, dir, "吴定", nil)
	wantRefusal(t, err, models.ErrBadPeriod, FieldReviewYear, "检查年度")
	if left, _ := os.ReadDir(dir); len(left) != 0 || auditCount(t, s) < n+2 {
		t.Fatalf("refusals left %v, audit %d → %d", left, n, auditCount(t, s))
	}

	var calls, last int
	res, err := s.WriteInspectorCopy(clerk(t, s), 2026, dir, "吴定", func(done, total int) { calls, last = calls+1, total })
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(res.Dir) != "保密检查材料(2026年)" || len(res.Files) != 6+2*len(Books) || calls != len(res.Files)+1 || last != len(res.Files) {
		t.Fatalf("copy %s: %d files %v, progress %d/%d", res.Dir, len(res.Files), res.Files, calls, last)
	}
	for _, f := range res.Files {
		b, err := os.ReadFile(filepath.Join(res.Dir, f))
		if err != nil {
			t.Fatal(err)
		}
		magic := "%PDF"
		if strings.HasSuffix(f, ".xlsx") {
			magic = "PK"
		}
		if !strings.HasPrefix(string(b), magic) {
			t.Errorf("%s is not a %s file", f, magic)
		}
	}
	if st, _ := os.Stat(res.Dir); st.Mode().Perm() != 0o700 {
		t.Errorf("folder mode %v", st.Mode().Perm())
	}
	pdf, _ := os.ReadFile(filepath.Join(res.Dir, res.Files[0]))
	text := printedText(t, pdf)
	if !strings.HasPrefix(text, "机密★") || !strings.Contains(text, "收文登记簿") {
		t.Errorf("收文登记簿 %.60q", text)
	}
	if r := lastAudit(t, s); !strings.Contains(r.Detail, "生成 2026 年度保密检查材料") || !strings.Contains(r.Detail, "吴定") {
		t.Errorf("audit %q", r.Detail)
	}
	again, err := s.WriteInspectorCopy(clerk(t, s), 2026, dir, "吴定", nil)
	if err != nil || filepath.Base(again.Dir) != "保密检查材料(2026年) (2)" {
		t.Fatalf("a second copy: %q %v", again.Dir, err)
	}
}

// R26: a year too large for one printout goes into the inspector's copy as
// runs of whole months, each within the limit, together the whole year.
func TestInspectorCopy_R26_LargeYearInPartsByMonth(t *testing.T) {
	s := newService(t)
	for _, d := range []string{"2026-01-10", "2026-02-10", "2026-02-20", "2026-05-01", "2026-11-20"} {
		f := form()
		f.RegDate, f.DocNumber = d, "遂安府发〔2026〕"+d[5:7]+d[8:]+"号"
		mustRegister(t, s, f)
	}
	defer func(n int) { MaxRegisterRows = n }(MaxRegisterRows)
	MaxRegisterRows = 3
	parts, err := s.registerParts(clerk(t, s), 2026, models.DirIncoming)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, q := range parts {
		got = append(got, q.From+"/"+q.To)
	}
	if strings.Join(got, " ") != "2026-01-01/2026-02-28 2026-05-01/2026-11-30" {
		t.Fatalf("parts %v", got)
	}
}
