package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"secdoc/app"
)

// firstRegNo reads the register number of the newest carrier of the demo database.
func firstRegNo(t *testing.T, db string) string {
	t.Helper()
	svc, err := app.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	sess, _, err := svc.SignIn("clerk", demoPW)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.SignOut(sess)
	page, err := svc.Page(sess, app.Query{}, 0, 1)
	if err != nil || len(page) != 1 {
		t.Fatalf("page: %v", err)
	}
	return page[0].RegNo
}

func TestPrint_CLI_FormAndRegister(t *testing.T) {
	db, pw := demoDB(t)
	regNo := firstRegNo(t, db)
	dir := t.TempDir()
	code, out, errs := run("", "print", "flow", "--id", regNo, "--out", dir, "--db", db, "--user", "clerk", "--password-file", pw)
	if code != 0 || !strings.Contains(out, "已打印《文件阅办单》") || !strings.Contains(out, "阅办单.pdf") {
		t.Fatalf("print flow: %d %q %q", code, out, errs)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*阅办单.pdf"))
	if len(files) != 1 {
		t.Fatalf("files in %s: %v", dir, files)
	}
	reg := filepath.Join(dir, "登记簿.pdf")
	code, out, errs = run("", "print", "register", "--level", "机密", "--state", "在册", "--out", reg, "--db", db,
		"--user", "clerk", "--password-file", pw)
	if code != 0 || !strings.Contains(out, "涉密文件登记簿") {
		t.Fatalf("print register: %d %q %q", code, out, errs)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		text, err := exec.Command("pdftotext", reg, "-").Output()
		if err != nil || !strings.Contains(string(text), "密级 机密，状态 在册") {
			t.Fatalf("register text: %v %q", err, text)
		}
	}
	if b, err := os.ReadFile(reg); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("register file: %v", err)
	}
}

func TestPrint_CLI_HelpListsEveryForm(t *testing.T) {
	code, out, _ := run("", "print", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, f := range app.Forms {
		if !strings.Contains(out, string(f.Kind)) || !strings.Contains(out, f.Name) {
			t.Errorf("help lacks %s %s", f.Kind, f.Name)
		}
	}
	if !strings.Contains(out, "套打") {
		t.Error("help does not explain 套打")
	}
}

func TestPrint_CLI_BadInputExplained(t *testing.T) {
	db, pw := demoDB(t)
	dir := t.TempDir()
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"print", "slip"}, 2, "没有“slip”这种表单"},
		{[]string{"print", "copy", "--out", dir}, 2, "请用 --id 指定复制单号"},
		{[]string{"print", "copy", "--id", "复〔2026〕0099", "--out", dir}, 1, "没有编号为 复〔2026〕0099 的复制审批单"},
		{[]string{"print", "flow", "--id", "收〔2026〕0001", "--offset-x", "80", "--out", dir}, 2, "-50 到 50"},
		{[]string{"print", "register", "--level", "特密", "--out", dir}, 2, "--level"},
	}
	for _, c := range cases {
		args := append(c.args, "--db", db, "--user", "clerk", "--password-file", pw)
		code, out, errs := run("", args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: %d %q %q, want %d and %q", c.args, code, out, errs, c.code, c.want)
		}
	}
	code, _, errs := run("", "print", "register", "--out", dir, "--db", db, "--user", "auditor", "--password-file", pw)
	if code != 1 || !strings.Contains(errs, "无权操作") {
		t.Fatalf("auditor printing: %d %q", code, errs)
	}
}
