package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/xuri/excelize/v2"

	"secdoc/app"
	"secdoc/models"
)

func TestExcel_ButtonsOnTheLedger(t *testing.T) {
	fx := newFixture(t)
	fx.m.showLedger()
	shown := texts(fx.m.ledger.content)
	if !contains(shown, "导出 Excel") || !contains(shown, "导入") {
		t.Fatalf("ledger shows %q", shown)
	}
}

func TestExcel_ExportsTheCurrentFilter(t *testing.T) {
	fx := newFixture(t)
	for i, lv := range []models.Level{models.LevelSecret, models.LevelConfidential, models.LevelSecret} {
		f := validForm("遂安府办发〔2026〕"+string(rune('1'+i))+"号", "关于保密工作的通知")
		f.Level = lv
		if _, err := fx.svc.Register(fx.sess, f); err != nil {
			t.Fatal(err)
		}
	}
	fx.m.showLedger()
	fx.m.ledger.level.SetSelected("机密")
	path := filepath.Join(t.TempDir(), "台账.xlsx")
	x := fx.m.ledger.excel
	x.exportTo(path)
	if !strings.Contains(x.said, "已导出 2 件（密级 机密，状态 在册）") || !strings.Contains(fx.topDialogText(), "导出完成") {
		t.Fatalf("said %q; dialog %q", x.said, fx.topDialogText())
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(app.ExportSheet)
	if len(rows) != 3 || rows[1][8] != "机密" || rows[2][8] != "机密" || rows[1][4] != "000001" {
		t.Fatalf("rows: %v", rows)
	}
	if x.exportBtn.Disabled() {
		t.Error("export button left disabled")
	}
}

// writeRegisterCSV writes a register as an office keeps it, with a 时间
// column whose name we don't know.
func writeRegisterCSV(t *testing.T, rows ...string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "登记簿.csv")
	text := "序号,时间,文件资料名称,制作发文单位,载体类别,文号或编号,密级,份数,份号,保管人\n" + strings.Join(rows, "\n") + "\n"
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// openImport opens the import dialog on path and maps 收文日期 to the 时间 column.
func openImport(t *testing.T, fx *fixture, path string) *importDialog {
	t.Helper()
	x := fx.m.ledger.excel
	x.openImport(path, "")
	d := x.importer
	if d == nil {
		t.Fatalf("no import dialog; said %q", x.said)
	}
	if got := d.cols[models.FieldTitle].Selected; got != "C：文件资料名称" {
		t.Errorf("题名 guessed as %q", got)
	}
	if got := d.cols[models.FieldCustodian].Selected; got != "J：保管人" {
		t.Errorf("责任人 guessed as %q", got)
	}
	if got := d.cols[models.FieldRegDate].Selected; got != noColumn {
		t.Errorf("收文日期 guessed as %q", got)
	}
	d.cols[models.FieldRegDate].SetSelected("B：时间")
	if got := d.samples[models.FieldRegDate].Text; got != "2026-11-02" {
		t.Errorf("sample of 收文日期: %q", got)
	}
	return d
}

func TestExcel_ImportDryRunReportThenAllRows(t *testing.T) {
	fx := newFixture(t)
	if _, err := fx.svc.Register(fx.sess, validForm("遂安府办发〔2026〕30号", "关于保密工作的通知")); err != nil {
		t.Fatal(err)
	}
	before := fx.count(app.Query{})

	bad := writeRegisterCSV(t,
		"1,2026-11-02,关于年度考核的通知,遂安市委办公室,纸介质,遂委办〔2026〕1号,机密★10年,1,1,王敏",
		"2,2026-13-01,关于会议的通知,遂安市委办公室,纸介质,遂委办〔2026〕2号,机密,1,1,王敏",
		"3,2026-11-03,关于内部事项的函,遂安市委办公室,纸介质,遂委办〔2026〕3号,特密,1,1,王敏",
		"4,2026-11-04,关于保密工作的通知,遂安市人民政府办公室,纸介质,遂安府办发〔2026〕30号,机密,1,1,王敏")
	d := openImport(t, fx, bad)
	test.Tap(d.check)
	if len(d.problems) != 3 || !d.run.Disabled() || !d.table.Visible() {
		t.Fatalf("report: %d problems, 导入 disabled %v: %+v", len(d.problems), d.run.Disabled(), d.problems)
	}
	if !strings.Contains(d.summary.Text, "4 行中有 3 行有问题") {
		t.Errorf("summary %q", d.summary.Text)
	}
	want := [][]string{
		{"第 3 行", "收文日期", "2026-13-01", "不是有效日期"},
		{"第 4 行", "密级", "特密", "无法识别"},
		{"第 5 行", "份号", "000001", "已经登记过"},
	}
	for i, w := range want {
		for col, part := range w {
			if got := d.problemText(i, col); !strings.Contains(got, part) {
				t.Errorf("report row %d col %d: %q, want %q", i, col, got, part)
			}
		}
	}
	test.Tap(d.run) // disabled: nothing happens
	if fx.count(app.Query{}) != before {
		t.Fatal("a file with problems was imported")
	}
	test.Tap(d.back)
	if d.body.Objects[0] != d.mapView {
		t.Fatal("返回修改对应 did not go back to the mapping")
	}
	test.Tap(d.cancel)
	if fx.m.ledger.excel.importer != nil {
		t.Fatal("dialog still open after 取消")
	}

	good := writeRegisterCSV(t,
		"1,2026-11-02,关于年度考核的通知,遂安市委办公室,纸介质,遂委办〔2026〕1号,机密★10年,1,1,王敏",
		"2,2026-11-02,关于项目的报告,遂安市发改委,U盘,遂发改〔2026〕9号,秘密,3,1-3,王敏")
	d = openImport(t, fx, good)
	test.Tap(d.check)
	if len(d.problems) != 0 || d.run.Disabled() || !strings.Contains(d.summary.Text, "2 行都没有问题，将登记 4 件") {
		t.Fatalf("clean report: %q %+v", d.summary.Text, d.problems)
	}
	test.Tap(d.run)
	x := fx.m.ledger.excel
	if x.importer != nil || !strings.Contains(x.said, "导入 2 行，登记 4 件") {
		t.Fatalf("after 导入: dialog %v, said %q, msg %q", x.importer != nil, x.said, d.msg.Text)
	}
	if got := fx.count(app.Query{}); got != before+4 {
		t.Fatalf("carriers %d, want %d", got, before+4)
	}
	if fx.m.ledger.count != int(before+4) {
		t.Errorf("ledger shows %d rows", fx.m.ledger.count)
	}
}

// racingService registers a conflicting carrier just before the import,
// as another clerk could between the dry run and 导入.
type racingService struct {
	*app.Service
	race func()
}

func (r *racingService) Import(sess *app.Session, t *app.ImportTable, m app.ImportMapping, progress func(done, total int)) (app.ImportReport, error) {
	if r.race != nil {
		r.race()
	}
	return r.Service.Import(sess, t, m, progress)
}

func TestExcel_ImportAllOrNothingWhenTheRegisterChanged(t *testing.T) {
	rs := &racingService{}
	fx := newFixtureWith(t, func(s *app.Service) Service { rs.Service = s; return rs })
	path := writeRegisterCSV(t,
		"1,2026-11-02,关于年度考核的通知,遂安市委办公室,纸介质,遂委办〔2026〕1号,机密,1,1,王敏",
		"2,2026-11-02,关于项目的报告,遂安市发改委,U盘,遂发改〔2026〕9号,秘密,1,1,王敏")
	d := openImport(t, fx, path)
	test.Tap(d.check)
	if len(d.problems) != 0 {
		t.Fatalf("problems: %+v", d.problems)
	}
	before := fx.count(app.Query{})
	rs.race = func() {
		if _, err := fx.svc.Register(fx.sess, validForm("遂发改〔2026〕9号", "另一位机要员登记的报告")); err != nil {
			t.Fatal(err)
		}
	}
	test.Tap(d.run)
	if got := fx.count(app.Query{}); got != before+1 {
		t.Fatalf("carriers %d, want %d: only the racing registration", got, before+1)
	}
	if fx.m.ledger.excel.importer != d || !d.msg.Visible() {
		t.Fatal("the dialog closed on a refused import")
	}
	// The refusal names the row; the other row went in neither.
	if msg := d.msg.Text; !strings.Contains(msg, "检查之后有了变化") || !strings.Contains(msg, "什么都没有写入") {
		t.Fatalf("message %q", msg)
	}
	if len(d.problems) != 1 || d.problems[0].Line != 3 || !strings.Contains(d.problems[0].Msg, "份号 000001 已经登记过") {
		t.Fatalf("problems: %+v", d.problems)
	}
	if !d.run.Disabled() {
		t.Error("导入 still offered after the refusal")
	}
}
