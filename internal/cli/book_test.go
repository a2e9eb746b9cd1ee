package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"secdoc/app"
)

// R26: secdoc print book prints a running book of this year to a PDF named
// after it and its period, or exports it to .xlsx, with the marking given.
func TestPrint_CLI_R26_Book(t *testing.T) {
	db, pw := makeDemo(t, 40, "--workflows")
	dir := t.TempDir()
	sign := []string{"--db", db, "--user", "clerk", "--password-file", pw}
	year := time.Now().Format("2006")
	code, out, errs := run("", append([]string{"print", "book", "--kind", "借阅", "--out", dir}, sign...)...)
	name := "借阅登记簿(" + year + ".01.01-" + year + ".12.31).pdf"
	if code != 0 || !strings.Contains(out, "已打印《借阅登记簿》"+year+"-01-01 至 "+year+"-12-31") || !strings.Contains(out, name) {
		t.Fatalf("print book: %d %q %q", code, out, errs)
	}
	pdf := filepath.Join(dir, name)
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", pdf, "-").Output()
		sq := strings.Join(strings.Fields(string(text)), "")
		for _, w := range []string{"借阅登记簿", "借阅单号", "借〔" + year + "〕0001", "孙浩"} {
			if err != nil || !strings.Contains(sq, w) {
				t.Errorf("the printed book lacks %q: %v", w, err)
			}
		}
	} else if _, err := os.Stat(pdf); err != nil {
		t.Fatal(err)
	}
	xlsx := filepath.Join(dir, "复制.xlsx")
	code, out, errs = run("", append([]string{"print", "book", "--kind", "copy", "--from", year + "-01-01", "--to",
		time.Now().Format("2006-01-02"), "--marking", "秘密★1年", "--classifier", "陈建国", "--out", xlsx}, sign...)...)
	if code != 0 || !strings.Contains(out, "已导出《复制登记簿》（1 条）") {
		t.Fatalf("export book: %d %q %q", code, out, errs)
	}
	f, err := excelize.OpenFile(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("复制登记簿")
	if err != nil || len(rows) != 4 || rows[0][0] != "秘密★1年" || rows[2][0] != "复制单号" ||
		!strings.HasPrefix(rows[3][0], "复〔"+year+"〕") {
		t.Fatalf("rows %q %v", rows, err)
	}
}

// R26: a book that is not one, a missing --kind and a bad period are
// explained; only the clerk prints books; --help lists every book.
func TestPrint_CLI_R26_BookBadInputExplained(t *testing.T) {
	db, pw := demoDB(t)
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"print", "book"}, 2, "请用 --kind 指定运行登记簿"},
		{[]string{"print", "book", "--kind", "归档"}, 2, "没有“归档”这种登记簿"},
		{[]string{"print", "book", "--kind", "销毁", "--from", "2026-13-01"}, 1, "起始日期“2026-13-01”不是有效的日期"},
		{[]string{"print", "book", "--kind", "销毁", "--from", "2026-12-01", "--to", "2026-11-01"}, 1, "晚于截止日期"},
		{[]string{"print", "book", "--kind", "销毁", "--marking", "特密"}, 1, "密级标志“特密”无法识别"},
		{[]string{"print", "book", "--kind", "销毁", "--marking", "秘密★1年", "--classifier", "张无名"}, 1, "定密责任人张无名不在审批人名单中"},
	} {
		args := append(c.args, "--out", dir, "--db", db, "--user", "clerk", "--password-file", pw)
		code, out, errs := run("", args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: %d %q %q, want %d and %q", c.args, code, out, errs, c.code, c.want)
		}
	}
	code, _, errs := run("", "print", "book", "--kind", "借阅", "--out", dir, "--db", db, "--user", "auditor", "--password-file", pw)
	if code != 1 || !strings.Contains(errs, "无权操作") {
		t.Fatalf("auditor printing a book: %d %q", code, errs)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Fatalf("refused books left %d files", len(files))
	}
	for _, help := range [][]string{{"print", "--help"}, {"print", "book", "--help"}} {
		code, out, _ := run("", help...)
		if code != 0 {
			t.Fatalf("%v: exit %d", help, code)
		}
		for _, b := range app.Books {
			if !strings.Contains(out, b.Name) || !strings.Contains(out, string(b.Kind)) {
				t.Errorf("%v lacks %s", help, b.Name)
			}
		}
	}
}
