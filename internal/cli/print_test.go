package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"secdoc/app"
	"secdoc/models"
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
	if code != 0 || !strings.Contains(out, "收文登记簿") {
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
	// R26: one book for a period; a marking without its term is refused.
	code, out, errs = run("", "print", "register", "--direction", "发文", "--from", "2026-01-01", "--to", "2026-12-31",
		"--out", reg, "--db", db, "--user", "clerk", "--password-file", pw)
	if code != 0 || !strings.Contains(out, "《发文登记簿》") || !strings.Contains(out, "收文日期 2026-01-01 至 2026-12-31") {
		t.Fatalf("print the 发文登记簿: %d %q %q", code, out, errs)
	}
	code, _, errs = run("", "print", "register", "--marking", "机密", "--out", reg, "--db", db,
		"--user", "clerk", "--password-file", pw)
	if code != 1 || !strings.Contains(errs, "须同时标明保密期限") {
		t.Fatalf("a marking without a term: %d %q", code, errs)
	}
	code, _, errs = run("", "print", "register", "--from", "2026-13-01", "--out", reg, "--db", db,
		"--user", "clerk", "--password-file", pw)
	if code != 2 || !strings.Contains(errs, "--from 应为日期") {
		t.Fatalf("a bad --from: %d %q", code, errs)
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

// sentToday registers an outgoing 内部 document of two copies in the demo
// database (内部 needs no 定密), records its printing and sends its first
// copy today by 机要通信; it returns the copies' register numbers and today.
func sentToday(t *testing.T, db string) ([]string, string) {
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
	today := time.Now().Format(models.DateLayout)
	cs, err := svc.Register(sess, models.CarrierForm{Direction: models.DirOutgoing, RegDate: today, DocDate: today,
		DocNumber: "遂发改发〔2026〕88号", Title: "关于分发测试的通知", DocKind: "通知", Level: models.LevelInternal,
		TermKind: models.TermDefault, Copies: "2", CopyNo: "1-2", Pages: "3", Kind: models.KindPaper,
		NeedToKnow: "办公室", Location: "机要室", Custodian: "王敏"})
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	if _, err := svc.RecordPrinting(sess, app.PrintingInput{CarrierID: cs[0].ID, Copies: 2, Printer: "文印室", PrintedOn: today}); err != nil {
		t.Fatalf("printing: %v", err)
	}
	l, err := svc.AddDispatchLine(sess, app.DispatchLineInput{CarrierID: cs[0].ID, Recipient: "遂安市测试局", Copies: 1,
		Channel: models.ChannelPost})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Send(sess, app.SendInput{LineID: l.ID, CarrierIDs: []string{cs[0].ID}, SentOn: today, Handler: "王敏"}); err != nil {
		t.Fatalf("send: %v", err)
	}
	return []string{cs[0].RegNo, cs[1].RegNo}, today
}

// R25: secdoc print dispatch and secdoc print courier print the 发文分发登记表
// of a document (by any copy's 登记号) and the 送文簿 of a day or of a day's
// channel; a day without sendings is refused with a message and no file.
func TestPrint_CLI_R25_DispatchAndCourier(t *testing.T) {
	db, pw := demoDB(t)
	regNos, today := sentToday(t, db)
	dir := t.TempDir()
	sign := []string{"--out", dir, "--db", db, "--user", "clerk", "--password-file", pw}
	code, out, errs := run("", append([]string{"print", "dispatch", "--id", regNos[1]}, sign...)...)
	if code != 0 || !strings.Contains(out, "已打印《发文分发登记表》"+regNos[0]+"（2 件）") || !strings.Contains(out, "分发登记表.pdf") {
		t.Fatalf("print dispatch: %d %q %q", code, out, errs)
	}
	code, out, errs = run("", append([]string{"print", "courier", "--id", today + "/机要通信"}, sign...)...)
	if code != 0 || !strings.Contains(out, "已打印《送文簿》"+today+" 机要通信") {
		t.Fatalf("print courier: %d %q %q", code, out, errs)
	}
	book := filepath.Join(dir, "送文簿-"+strings.ReplaceAll(today, "-", ".")+"-机要通信.pdf")
	disp, _ := filepath.Glob(filepath.Join(dir, "*分发登记表.pdf"))
	if len(disp) != 1 {
		t.Fatalf("dispatch form files: %v", disp)
	}
	if _, err := exec.LookPath("pdftotext"); err == nil {
		for file, words := range map[string][]string{
			disp[0]: {"发文分发登记表", "遂发改发〔2026〕88号", regNos[0], "遂安市测试局", "机要通信", "000001", "存档份/未分发：000002"},
			book:    {"送文簿", "遂发改发〔2026〕88号", regNos[0], "遂安市测试局", "机要通信", "000001", "签收人"},
		} {
			text, err := exec.Command("pdftotext", file, "-").Output()
			sq := strings.Join(strings.Fields(string(text)), "")
			for _, w := range words {
				if err != nil || !strings.Contains(sq, w) {
					t.Errorf("%s lacks %q: %v", filepath.Base(file), w, err)
				}
			}
		}
	} else if _, err := os.Stat(book); err != nil {
		t.Fatal(err)
	}
	empty := t.TempDir()
	code, out, errs = run("", "print", "courier", "--id", "2000-01-03", "--out", empty, "--db", db, "--user", "clerk",
		"--password-file", pw)
	if code != 1 || !strings.Contains(errs, "2000年1月3日没有分发记录") {
		t.Fatalf("courier book of a day without sendings: %d %q %q", code, out, errs)
	}
	if files, _ := os.ReadDir(empty); len(files) != 0 {
		t.Fatalf("a refused 送文簿 left %d files", len(files))
	}
}
