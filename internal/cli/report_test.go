package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// R26: secdoc report annual lists the year's tables on the screen, with
// the balance check, or writes them to a PDF or an .xlsx file.
func TestReport_CLI_AnnualTextPDFAndExcel(t *testing.T) {
	db, pw := demoDB(t)
	code, out, errs := run("", "report", "annual", "--db", db, "--user", "clerk", "--password-file", pw)
	if code != 0 {
		t.Fatalf("report annual: %d %q", code, errs)
	}
	for _, w := range []string{"年度涉密载体统计表", "涉密载体收发存情况（按密级）", "年初在册", "国家秘密小计",
		"平衡校验：", "相符", "本机关定密情况（按事项计）", "销毁情况（按载体类型）"} {
		if !strings.Contains(out, w) {
			t.Errorf("text lacks %q:\n%s", w, out)
		}
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "统计.pdf")
	code, out, errs = run("", "report", "annual", "--out", pdf, "--db", db, "--user", "clerk", "--password-file", pw)
	if code != 0 || !strings.Contains(out, "已打印《涉密载体年度统计表》") {
		t.Fatalf("report to PDF: %d %q %q", code, out, errs)
	}
	if b, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("PDF: %v", err)
	}
	xlsx := filepath.Join(dir, "统计.xlsx")
	code, out, errs = run("", "report", "annual", "--year", "2025", "--out", xlsx, "--db", db, "--user", "clerk",
		"--password-file", pw)
	if code != 0 || !strings.Contains(out, "已导出2025年度涉密载体统计") {
		t.Fatalf("report to Excel: %d %q %q", code, out, errs)
	}
	if b, err := os.ReadFile(xlsx); err != nil || !strings.HasPrefix(string(b), "PK") {
		t.Fatalf("xlsx: %v", err)
	}
}

func TestReport_CLI_UsageAndRefusals(t *testing.T) {
	if code, out, _ := run("", "report", "--help"); code != 0 || !strings.Contains(out, "secdoc report annual") {
		t.Fatalf("help: %d %q", code, out)
	}
	if code, _, errs := run("", "report", "monthly"); code != 2 || !strings.Contains(errs, "没有“monthly”这种统计") {
		t.Fatalf("unknown report: %d %q", code, errs)
	}
	if code, out, _ := run("", "--help"); code != 0 || !strings.Contains(out, "secdoc report annual") {
		t.Fatal("the usage does not list secdoc report")
	}
	db, pw := demoDB(t)
	code, _, errs := run("", "report", "annual", "--year", "1900", "--db", db, "--user", "clerk", "--password-file", pw)
	if code != 1 || !strings.Contains(errs, "年度应在") {
		t.Fatalf("year 1900: %d %q", code, errs)
	}
	code, _, errs = run("", "report", "annual", "--db", db, "--user", "auditor", "--password-file", pw)
	if code != 1 || !strings.Contains(errs, "无权操作") {
		t.Fatalf("auditor: %d %q", code, errs)
	}
}
