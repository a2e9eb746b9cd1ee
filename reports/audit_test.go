package reports

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var printed = time.Date(2026, 11, 23, 10, 30, 0, 0, time.UTC)

// pdfText extracts a PDF's text with pdftotext, page by page.
func pdfText(t *testing.T, pdf []byte) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed; make test installs it")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Split(strings.TrimRight(string(out), "\f\n"), "\f")
}

func auditReport(n int) AuditReport {
	r := AuditReport{Office: "遂安市机要局", Filter: "全部记录", Verdict: "完整（共 300 条）",
		Seal: "第 300 条 3F9A-C2D1-77B0-1E4D", PrintedBy: "赵强（安全审计员）", Printed: printed}
	for i := 1; i <= n; i++ {
		detail := "登录成功"
		if i == 7 {
			detail = strings.Repeat("这是一条很长的详情，用来检查换行不丢字。", 12) + "结尾标记"
		}
		r.Rows = append(r.Rows, AuditRow{Seq: int64(i), At: printed.Add(time.Duration(i) * time.Minute),
			Login: "wangmin", Role: "机要员", Event: "登记", Object: fmt.Sprintf("收〔2026〕%04d", i),
			Result: "成功", Detail: detail})
	}
	return r
}

func TestAuditTrailPDF_HeaderOnEveryPagePageNumbersAndWrapping(t *testing.T) {
	var buf bytes.Buffer
	if err := RenderAuditTrail(&buf, auditReport(300)); err != nil {
		t.Fatal(err)
	}
	pages := pdfText(t, buf.Bytes())
	if len(pages) < 5 {
		t.Fatalf("300 records on %d pages", len(pages))
	}
	if !strings.Contains(pages[0], "遂安市机要局 安全审计记录") || !strings.Contains(pages[0], "完整性校验：完整（共 300 条）") ||
		!strings.Contains(pages[0], "审计印记：第 300 条 3F9A-C2D1-77B0-1E4D") {
		t.Errorf("first page lacks title or verdict:\n%s", pages[0])
	}
	for i, p := range pages {
		for _, h := range []string{"序号", "时间", "用户", "角色", "事件", "对象", "结果", "详情"} {
			if !strings.Contains(p, h) {
				t.Errorf("page %d lacks header %s", i+1, h)
			}
		}
		if want := fmt.Sprintf("第 %d 页 共 %d 页", i+1, len(pages)); !strings.Contains(p, want) {
			t.Errorf("page %d lacks %q", i+1, want)
		}
	}
	all := strings.Join(pages, "\n")
	for _, want := range []string{"收〔2026〕0001", "收〔2026〕0300", "结尾标记"} {
		if !strings.Contains(all, want) {
			t.Errorf("text lacks %s", want)
		}
	}
	// The long detail is wrapped inside its cell without losing a character.
	flat := strings.Join(strings.Fields(all), "")
	if strings.Count(flat, "用来检查换行不丢字") < 12 {
		t.Errorf("long detail lost text: %d repetitions", strings.Count(flat, "用来检查换行不丢字"))
	}
}

func TestAuditTrailPDF_Deterministic(t *testing.T) {
	var a, b bytes.Buffer
	if err := RenderAuditTrail(&a, auditReport(20)); err != nil {
		t.Fatal(err)
	}
	if err := RenderAuditTrail(&b, auditReport(20)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the same report printed twice differs")
	}
	if a.Len() > 200_000 {
		t.Errorf("a short report is %d bytes: is the font subset?", a.Len())
	}
}

func TestWrap_PunctuationNeverStartsALine(t *testing.T) {
	pdf, err := newDoc("P", printed, nil)
	if err != nil {
		t.Fatal(err)
	}
	pdf.SetFont(fontFamily, "", 10)
	text := strings.Repeat("保密工作，", 40)
	for _, w := range []float64{20, 23, 31, 47} {
		lines := wrap(pdf, text, w)
		if strings.Join(lines, "") != text {
			t.Fatalf("width %.0f: wrapping lost text", w)
		}
		for _, l := range lines[1:] {
			if strings.HasPrefix(l, "，") {
				t.Fatalf("width %.0f: a line starts with punctuation: %q", w, l)
			}
		}
	}
}
