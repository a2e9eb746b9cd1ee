package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func xlsxRows(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestExport_CLI_WholeRegisterAndFiltered(t *testing.T) {
	db, pw := demoDB(t)
	dir := t.TempDir()
	all := filepath.Join(dir, "台账.xlsx")
	code, out, errs := run("", "export", "--out", all, "--db", db, "--user", "clerk", "--password-file", pw)
	if code != 0 || !strings.Contains(out, "已导出 40 件") || !strings.Contains(out, "全部登记") {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	if rows := xlsxRows(t, all); len(rows) != 41 || rows[0][0] != "登记号" {
		t.Fatalf("rows: %d, header %v", len(rows), rows[0])
	}
	some := filepath.Join(dir, "机密")
	code, out, errs = run("", "export", "--out", some, "--level", "机密", "--state", "在册", "--db", db,
		"--user", "clerk", "--password-file", pw)
	if code != 0 || !strings.Contains(out, "密级 机密，状态 在册") {
		t.Fatalf("filtered export: %d %q %q", code, out, errs)
	}
	rows := xlsxRows(t, some+".xlsx")
	if len(rows) < 2 || len(rows) >= 41 {
		t.Fatalf("filtered rows: %d", len(rows))
	}
	for _, r := range rows[1:] {
		if r[8] != "机密" {
			t.Fatalf("row of another level: %v", r)
		}
	}
	if code, _, errs := run("", "export", "--out", all, "--level", "特密", "--db", db, "--user", "clerk", "--password-file", pw); code != 2 || !strings.Contains(errs, "--level") {
		t.Fatalf("bad level: %d %q", code, errs)
	}
	if code, _, errs := run("", "export", "--db", db, "--user", "clerk", "--password-file", pw); code != 2 || !strings.Contains(errs, "--out") {
		t.Fatalf("no --out: %d %q", code, errs)
	}
	if code, _, errs := run("", "export", "--out", all, "--db", db, "--user", "auditor", "--password-file", pw); code != 1 || !strings.Contains(errs, "无权操作") {
		t.Fatalf("auditor exporting: %d %q", code, errs)
	}
}

func TestImport_CLI_DryRunListsProblemsThenImportsAll(t *testing.T) {
	db, pw := demoDB(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "登记簿.csv")
	bad := "\ufeff序号,时间,内容,制作发文单位,载体类别,文号或编号,密级,份数,份号,保管人\n" +
		"1,2025-03-02,关于年度考核的通知,遂安市委办公室,纸介质,遂委办〔2025〕901号,机密★10年,1,1,王敏\n" +
		"2,2025-13-02,关于会议安排的通知,遂安市委办公室,纸介质,遂委办〔2025〕902号,机密,1,1,王敏\n" +
		"3,2025-03-04,关于项目的报告,遂安市发改委,U盘,遂发改〔2025〕903号,特密,2,1,王敏\n" +
		"4,2025-03-05,关于项目的报告,遂安市发改委,U盘,遂委办〔2025〕901号,秘密,1,1,王敏\n"
	os.WriteFile(path, []byte(bad), 0o600)
	stats := func() string {
		_, out, _ := run("", "stats", "--db", db, "--user", "clerk", "--password-file", pw)
		return out
	}
	before := stats()

	// 时间 and 内容 are not names we know: --map says where 收文日期 and 题名 are.
	code, out, errs := run("", "import", path, "--dry-run", "--db", db, "--user", "clerk", "--password-file", pw,
		"--map", "收文日期=时间，题名=C")
	if code != 1 || !strings.Contains(errs, "4 行中有 3 行有问题") || !strings.Contains(errs, "没有导入任何一行") {
		t.Fatalf("dry run with problems: %d %q %q", code, out, errs)
	}
	for _, want := range []string{"收文日期 ← B栏“时间”", "第 3 行\t收文日期\t“2025-13-02”", "第 4 行\t密级\t“特密”",
		"第 5 行\t份号", "与第 2 行重复", "不导入：", "A栏“序号”"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// Without the flags, the required 收文日期 and 题名 are missing: one line each.
	code, out, errs = run("", "import", "--db", db, "--user", "clerk", "--password-file", pw, path)
	if code != 1 || !strings.Contains(out, "对应关系\t收文日期") || !strings.Contains(out, "对应关系\t题名") || !strings.Contains(errs, "字段对应不完整") {
		t.Fatalf("unmapped: %d %q", code, out)
	}
	if stats() != before {
		t.Fatal("a refused import changed the register")
	}

	good := strings.NewReplacer("2025-13-02", "2025-03-02", ",特密,", ",内部,", "U盘,遂委办〔2025〕901号", "U盘,遂委办〔2025〕904号").Replace(bad)
	os.WriteFile(path, []byte(good), 0o600)
	code, out, errs = run("", "import", path, "--dry-run", "--db", db, "--user", "clerk", "--password-file", pw,
		"--map", "收文日期=时间,题名=内容")
	if code != 0 || !strings.Contains(out, "试导入通过：4 行都没有问题，将登记 5 件") || stats() != before {
		t.Fatalf("clean dry run: %d %q %q", code, out, errs)
	}
	code, out, errs = run("", "import", path, "--db", db, "--user", "clerk", "--password-file", pw,
		"--map", "收文日期=时间,题名=内容")
	if code != 0 || !strings.Contains(out, "已导入 4 行，登记 5 件") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	if after := stats(); !strings.Contains(after, "登记总数 45") {
		t.Fatalf("stats after import: %q", after)
	}
	// The same file again: every row is a duplicate now, and nothing is written.
	code, out, _ = run("", "import", path, "--db", db, "--user", "clerk", "--password-file", pw, "--map", "收文日期=时间,题名=内容")
	if code != 1 || strings.Count(out, "已经登记过") != 4 {
		t.Fatalf("second import: %d %q", code, out)
	}
	if code, _, errs := run("", "import", filepath.Join(dir, "旧.xls"), "--db", db, "--user", "clerk", "--password-file", pw); code != 1 || !strings.Contains(errs, "打不开") {
		t.Fatalf("missing file: %d %q", code, errs)
	}
	if code, _, errs := run("", "import", "--db", db, "--user", "clerk"); code != 2 || !strings.Contains(errs, "用法") {
		t.Fatalf("no file: %d %q", code, errs)
	}
}

// R20, R21, R22: an office's register with terms in months, a condition
// after ★, 内部 and 非密 rows, blank 份号 on two copies of one 文号 and a
// capacity for a USB stick imports whole, and its marks and expiries come
// out of the export as the law writes them, counted from the 成文日期.
func TestImport_CLI_R20_R21_R22_AnOfficesRegister(t *testing.T) {
	db, pw := makeDemo(t, 1)
	dir := t.TempDir()
	path := filepath.Join(dir, "收文登记簿.csv")
	csv := "登记日期,文号,文件资料名称,制作发文单位,载体类别,密级,页数或容量,份数,份号,成文日期\n" +
		"2026-01-20,川委办发〔2026〕9号,关于年度考核的通知,川委办,纸介质,秘密★1年,4,1,,2025-12-01\n" +
		"2026-01-21,川委办发〔2026〕9号,关于年度考核的通知,川委办,纸介质,秘密★1年,4,1,,2025-12-01\n" +
		"2026-02-03,川府发〔2026〕2号,关于会议安排的通知,川府办,纸介质,机密★会议开始前,2,1,000012,2026-02-01\n" +
		"2026-02-04,川府函〔2026〕5号,关于预算编制的函,川财政局,纸介质,秘密★6个月,3,1,000007,2026-01-30\n" +
		"2026-02-05,,内部明电,川府办,明电,内部,1,1,,\n" +
		"2026-02-06,川办〔2026〕1号,工作简报,川府办,纸介质,非密,8,1,,\n" +
		"2026-02-07,SM-U-0007,会议材料,川保密局,U盘,机密★10年,8GB,1,000001,2026-02-01\n"
	os.WriteFile(path, []byte(csv), 0o600)
	args := []string{"import", path, "--db", db, "--user", "clerk", "--password-file", pw, "--set", "责任人=王敏"}
	code, out, errs := run("", append(args, "--dry-run")...)
	if code != 0 || !strings.Contains(out, "7 行都没有问题") {
		t.Fatalf("dry run: %d %q %q", code, out, errs)
	}
	if code, out, errs = run("", args...); code != 0 || !strings.Contains(out, "已导入 7 行，登记 7 件") {
		t.Fatalf("import: %d %q %q", code, out, errs)
	}
	xlsx := filepath.Join(dir, "导出.xlsx")
	if code, out, errs = run("", "export", "--out", xlsx, "--db", db, "--user", "clerk", "--password-file", pw); code != 0 {
		t.Fatalf("export: %d %q %q", code, out, errs)
	}
	rows := xlsxRows(t, xlsx)
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	got := map[string]string{}
	for _, r := range rows[1:] {
		cell := func(name string) string {
			if i := col[name]; i < len(r) {
				return r[i]
			}
			return ""
		}
		got[cell("收文日期")+cell("题名")] = strings.Join([]string{cell("密级"), cell("保密期限"), cell("届满日期"), cell("份号"), cell("页数或容量")}, "|")
	}
	want := map[string]string{
		"2026-01-20关于年度考核的通知": "秘密|1年|2026-12-01||4",
		"2026-01-21关于年度考核的通知": "秘密|1年|2026-12-01||4",
		"2026-02-03关于会议安排的通知": "机密|会议开始前||000012|2",
		"2026-02-04关于预算编制的函":  "秘密|6个月|2026-07-30|000007|3",
		"2026-02-05内部明电":      "内部||||1",
		"2026-02-06工作简报":      "非密||||8",
		"2026-02-07会议材料":      "机密|10年|2036-02-01|000001|8GB",
	}
	for d, w := range want {
		if got[d] != w {
			t.Errorf("%s: %q, want %q", d, got[d], w)
		}
	}
}
