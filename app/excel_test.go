package app

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"secdoc/app/backup"
	"secdoc/models"
)

// writeXLSX writes rows (the first row may be a title) to a new workbook;
// time.Time values become date cells, as Excel stores them.
func writeXLSX(t testing.TB, path string, rows [][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// readXLSXRows reads back the first sheet of a workbook as text.
func readXLSXRows(t testing.TB, path string) [][]string {
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

// registerHeader is the header of a register as offices keep it in Excel
// (the 登记簿 of domain.md), not our names.
var registerHeader = []any{"序号", "登记日期", "文件资料名称", "制作发文单位", "载体类别", "文号或编号", "密级",
	"页数或容量", "份数", "份号", "使用范围", "保管人", "备注", "登记号"}

func regRow(n int, date any, title, issuer, kind, docNo, level string, pages, copies, copyNo any) []any {
	return []any{n, date, title, issuer, kind, docNo, level, pages, copies, copyNo, "办公室主任", "王敏", "", ""}
}

func TestExport_FilterColumnsTextCellsAndAudit(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies = "3"
	mustRegister(t, s, f) // 3 机密 carriers, 份号 000001-000003
	g := form()
	g.DocNumber, g.Level, g.TermKind, g.TermYears = "遂安府发〔2026〕7号", models.LevelTopSecret, models.TermYears, "25"
	g.Title, g.Urgency = "关于绝密事项的通知", models.UrgencyExtreme
	mustRegister(t, s, g)

	path := filepath.Join(t.TempDir(), "台账.xlsx")
	os.WriteFile(path, []byte("old content"), 0o600) // replaced whole
	var calls int
	n, err := s.ExportLedgerFile(clerk(t, s), Query{Levels: []models.Level{models.LevelSecret}, States: models.HeldStates},
		path, func(done, total int) { calls++ })
	if err != nil || n != 3 || calls == 0 {
		t.Fatalf("export: %d %v (progress %d)", n, err, calls)
	}
	rows := readXLSXRows(t, path)
	if len(rows) != 4 || strings.Join(rows[0], "|") != strings.Join(ExportColumns(), "|") {
		t.Fatalf("rows %d, header %v", len(rows), rows[0])
	}
	col := func(title string) int {
		for i, c := range ExportColumns() {
			if c == title {
				return i
			}
		}
		t.Fatalf("no column %s", title)
		return -1
	}
	// Newest first, as the ledger reads.
	r := rows[1]
	if r[col("份号")] != "000003" || r[col("收文日期")] != "2026-11-20" || r[col("密级")] != "机密" ||
		r[col("保密期限")] != "未标注期限" || r[col("届满日期")] != "2046-11-20（按收文日期）" || r[col("文号")] != "遂安府办发〔2026〕30号" || r[col("状态")] != "在库" ||
		r[col("份数")] != "1" || r[col("页数或容量")] != "6" || r[col("缓急")] != "普通" || r[col("载体类型")] != "纸质文件" {
		t.Fatalf("row: %v", r)
	}
	// 份号 and dates are text cells, the header bold and frozen.
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	for _, ref := range []string{"D2", "B2", "A2"} {
		if typ, _ := x.GetCellType(ExportSheet, ref); typ != excelize.CellTypeInlineString {
			t.Errorf("%s: type %v, want text", ref, typ)
		}
	}
	st, _ := x.GetCellStyle(ExportSheet, "A1")
	style, err := x.GetStyle(st)
	if err != nil || style.Font == nil || !style.Font.Bold {
		t.Errorf("header not bold: %+v %v", style, err)
	}
	if p, err := x.GetPanes(ExportSheet); err != nil || !p.Freeze || p.YSplit != 1 {
		t.Errorf("header not frozen: %+v %v", p, err)
	}
	if w, _ := x.GetColWidth(ExportSheet, "F"); w < 40 {
		t.Errorf("题名 column width %v", w)
	}
	// No temporary file is left beside it.
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("files beside the export: %v", ents)
	}
	a := lastAudit(t, s)
	if a.Event != models.EventExport || !a.Success || a.Object != "台账.xlsx" ||
		!strings.Contains(a.Detail, "密级 机密") || !strings.Contains(a.Detail, "状态 在册") || !strings.Contains(a.Detail, "共 3 件") {
		t.Fatalf("audit: %+v", a)
	}
}

func TestExport_PagesThroughTheWholeRegister(t *testing.T) {
	s := newService(t)
	exportPageSize = 3
	t.Cleanup(func() { exportPageSize = ExportPageSize })
	f := form()
	f.Copies = "7"
	mustRegister(t, s, f)
	path := filepath.Join(t.TempDir(), "all.xlsx")
	var last [2]int
	n, err := s.ExportLedgerFile(clerk(t, s), Query{Sort: SortDocNumber, Asc: true}, path,
		func(done, total int) { last = [2]int{done, total} })
	if err != nil || n != 7 || last != [2]int{7, 7} {
		t.Fatalf("export: %d %v %v", n, err, last)
	}
	rows := readXLSXRows(t, path)
	if len(rows) != 8 || rows[1][4] != "000001" || rows[7][4] != "000007" {
		t.Fatalf("rows: %v", rows)
	}

	// Past Excel's rows per sheet, the export goes on in another sheet, with its header.
	sheetRows = 3
	t.Cleanup(func() { sheetRows = excelize.TotalRows - 1 })
	if n, err := s.ExportLedgerFile(clerk(t, s), Query{Sort: SortDocNumber, Asc: true}, path, nil); err != nil || n != 7 {
		t.Fatalf("export: %d %v", n, err)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if sh := x.GetSheetList(); len(sh) != 3 || sh[2] != ExportSheet+"（3）" {
		t.Fatalf("sheets: %v", sh)
	}
	third, _ := x.GetRows(ExportSheet + "（3）")
	if len(third) != 2 || third[0][0] != "登记号" || third[1][4] != "000007" {
		t.Fatalf("third sheet: %v", third)
	}
}

func TestExport_OnlyTheClerk_R18(t *testing.T) {
	s := newService(t)
	path := filepath.Join(t.TempDir(), "x.xlsx")
	for _, who := range []string{"auditor", "sysadmin", "secadmin"} {
		if _, err := s.ExportLedgerFile(as(t, s, who), Query{}, path, nil); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s exported: %v", who, err)
		}
		if _, err := s.ImportDryRun(as(t, s, who), &ImportTable{}, ImportMapping{}); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s dry run: %v", who, err)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatal("a refused export left a file")
	}
}

func TestGuessMapping_RegisterHeaderNames(t *testing.T) {
	header := make([]string, len(registerHeader))
	for i, h := range registerHeader {
		header[i] = h.(string)
	}
	m := GuessMapping(header)
	want := map[string]int{models.FieldRegDate: 1, models.FieldTitle: 2, models.FieldIssuer: 3, models.FieldKind: 4,
		models.FieldDocNumber: 5, models.FieldLevel: 6, models.FieldPages: 7, models.FieldCopies: 8, models.FieldCopyNo: 9,
		models.FieldNeedToKnow: 10, models.FieldCustodian: 11, models.FieldRemarks: 12, FieldOrigRegNo: 13}
	for k, c := range want {
		if got, ok := m.Column(k); !ok || got != c {
			t.Errorf("%s: column %d %v, want %d", ImportFieldLabel(k), got, ok, c)
		}
	}
	if len(m.Columns) != len(want) {
		t.Errorf("mapped %v", m.Columns)
	}
	if m.Defaults[models.FieldDirection] != "收文" || m.Defaults[models.FieldKind] != "" {
		t.Errorf("defaults %v", m.Defaults)
	}
	// Our own names win over the register's, and a header with notes still counts.
	m = GuessMapping([]string{"日期", "收文日期", "标题", "页数（页）", "文号"})
	if c, _ := m.Column(models.FieldRegDate); c != 1 {
		t.Errorf("收文日期 from column %d", c)
	}
	if c, _ := m.Column(models.FieldPages); c != 3 {
		t.Errorf("页数 from column %d", c)
	}
	if m.Defaults[models.FieldKind] != "纸质文件" {
		t.Errorf("no 载体类型 column: default %q", m.Defaults[models.FieldKind])
	}
	// The command line's overrides.
	m, err := ApplyMappingSpec(m, "题名=A，收文日期=收文日期,文号=-", []string{"日期", "收文日期", "标题", "页数（页）", "文号"})
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := m.Column(models.FieldTitle); c != 0 {
		t.Errorf("题名=A: %d", c)
	}
	if _, ok := m.Column(models.FieldDocNumber); ok {
		t.Error("文号=- still mapped")
	}
	if _, err := ApplyMappingSpec(m, "题目=标题", nil); err == nil || !strings.Contains(err.Error(), "没有名为“题目”的字段") {
		t.Errorf("unknown field: %v", err)
	}
	if _, err := ApplyMappingSpec(m, "题名=名字", []string{"标题"}); err == nil || !strings.Contains(err.Error(), "表头里没有“名字”") {
		t.Errorf("unknown column: %v", err)
	}
	if m, err = ApplyDefaultsSpec(m, "保管人=王敏"); err != nil || m.Defaults[models.FieldCustodian] != "王敏" {
		t.Errorf("default: %v %v", m.Defaults, err)
	}
}

// problemsOf indexes a report's problems by line and field.
func problemsOf(r ImportReport) map[int]map[string]string {
	out := map[int]map[string]string{}
	for _, p := range r.Problems {
		if out[p.Line] == nil {
			out[p.Line] = map[string]string{}
		}
		out[p.Line][p.Field] = p.Msg
	}
	return out
}

// badRegister writes a register with a title row and every kind of problem.
// Its rows are lines 3 to 10 of the sheet.
func badRegister(t testing.TB, dir string) string {
	path := filepath.Join(dir, "2026年登记簿.xlsx")
	date := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	writeXLSX(t, path, [][]any{
		{"2026年涉密文件登记簿"},
		registerHeader,
		regRow(1, date, "关于年度考核的通知", "遂安市委办公室", "纸介质", "遂委办〔2026〕1号", "机密★10年", 6, 1, "000001"),      // 3: fine
		regRow(2, "2026-13-01", "关于会议安排的通知", "遂安市委办公室", "纸介质", "遂委办〔2026〕2号", "机密", 4, 1, 1),         // 4: bad date
		regRow(3, date, "关于内部事项的函", "遂安市委办公室", "纸介质", "遂委办〔2026〕3号", "特密", 2, 1, 1),                  // 5: unknown 密级
		regRow(4, date, "关于做好2026年度保密自查工作的通知", "遂安市人民政府办公室", "纸介质", "遂安府办发[2026]30号", "机密", 6, 1, 1), // 6: in the register already
		regRow(5, date, "关于项目的报告", "遂安市发改委", "U盘", "遂发改〔2026〕9号", "秘密", "", 3, "1-3"),                // 7: fine (3 copies)
		regRow(6, date, "关于项目的报告", "遂安市发改委", "U盘", "遂发改〔2026〕9号", "秘密", "", 1, "000002"),             // 8: repeats line 7
		regRow(7, "", "", "遂安市委办公室", "软盘机", "遂委办〔2026〕4号", "绝密★40年", "三页", 1, 1),                     // 9: many problems
		regRow(8, date, "关于保密检查的通报", "遂安市保密局", "光盘", "遂保〔2026〕5号", "秘密★2027年1月1日", 1, 1, 1),          // 10: fine
	})
	return path
}

func TestImportDryRun_ListsEveryRowsProblemsAndWritesNothing(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form()) // 遂安府办发〔2026〕30号 份号 000001
	before := countAll(t, s)
	auditBefore := lastAudit(t, s).Seq

	tb, err := ReadImportFile(badRegister(t, t.TempDir()), "")
	if err != nil {
		t.Fatal(err)
	}
	if tb.HeaderLine != 2 || len(tb.Rows) != 8 || tb.Rows[0].Line != 3 || tb.Format != "Excel" {
		t.Fatalf("table: header line %d, %d rows, first line %d", tb.HeaderLine, len(tb.Rows), tb.Rows[0].Line)
	}
	rep, err := s.ImportDryRun(clerk(t, s), tb, GuessMapping(tb.Header))
	if err != nil {
		t.Fatal(err)
	}
	p := problemsOf(rep)
	for _, line := range []int{3, 7, 10} {
		if len(p[line]) > 0 {
			t.Errorf("line %d is fine but has %v", line, p[line])
		}
	}
	expect := func(line int, field, part string) {
		t.Helper()
		if msg := p[line][field]; !strings.Contains(msg, part) {
			t.Errorf("line %d %s: %q, want it to say %q", line, ImportFieldLabel(field), msg, part)
		}
	}
	expect(4, models.FieldRegDate, "不是有效日期")
	expect(5, models.FieldLevel, "密级“特密”无法识别")
	expect(6, models.FieldCopyNo, "已经登记过（登记号 收〔2026〕0001）")
	expect(8, models.FieldCopyNo, "份号 000002 与第 7 行重复")
	expect(9, models.FieldRegDate, "请填写收文日期")
	expect(9, models.FieldTitle, "请填写题名")
	expect(9, models.FieldKind, "载体类型“软盘机”无法识别")
	expect(9, models.FieldTerm, "保密年限应在 1 到 30 之间")
	expect(9, models.FieldPages, "页数或容量“三页”无法识别")
	if rep.Rows != 8 || rep.BadRows != 5 || len(p) != 5 {
		t.Fatalf("report: %d rows, %d bad, problems on %d lines: %+v", rep.Rows, rep.BadRows, len(p), rep.Problems)
	}
	// Every problem names its cell, and the rows are in order.
	for i, pr := range rep.Problems {
		if pr.Label == "" || (i > 0 && pr.Line < rep.Problems[i-1].Line) {
			t.Errorf("problem %d: %+v", i, pr)
		}
	}
	if rep.OK() {
		t.Fatal("report with problems says OK")
	}
	if countAll(t, s) != before || lastAudit(t, s).Seq != auditBefore {
		t.Fatal("the dry run wrote something")
	}

	// Importing anyway is refused, writes nothing, and is audited as a failure.
	if _, err := s.Import(clerk(t, s), tb, GuessMapping(tb.Header), nil); !errors.Is(err, ErrImportProblems) {
		t.Fatalf("import with problems: %v", err)
	}
	if countAll(t, s) != before {
		t.Fatal("an import with problems wrote rows")
	}
	if a := lastAudit(t, s); a.Event != models.EventImport || a.Success || !strings.Contains(a.Detail, "8 行中 5 行有问题") ||
		a.Object != "2026年登记簿.xlsx" {
		t.Fatalf("audit: %+v", a)
	}
}

func TestImportDryRun_UnmappedRequiredFieldIsOneProblem(t *testing.T) {
	s := newService(t)
	path := filepath.Join(t.TempDir(), "r.csv")
	os.WriteFile(path, []byte("日期,标题,密级\n2026-11-02,关于某事的通知,机密\n"), 0o600)
	tb, err := ReadImportFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.ImportDryRun(clerk(t, s), tb, GuessMapping(tb.Header))
	if err != nil {
		t.Fatal(err)
	}
	p := problemsOf(rep)[0]
	if len(rep.Problems) != 2 || !strings.Contains(p[models.FieldCustodian], "没有对应“责任人”") ||
		!strings.Contains(p[models.FieldIssuer], "来文单位") {
		t.Fatalf("%+v", rep.Problems)
	}
	// A default fills the column in.
	m, _ := ApplyDefaultsSpec(GuessMapping(tb.Header), "责任人=王敏,来文单位=遂安市委办公室")
	if rep, err = s.ImportDryRun(clerk(t, s), tb, m); err != nil || !rep.OK() || rep.Carriers != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
}

func TestImport_AllRowsOrNone(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	dir := t.TempDir()
	path := filepath.Join(dir, "good.xlsx")
	date := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	writeXLSX(t, path, [][]any{
		registerHeader,
		regRow(1, date, "关于年度考核的通知", "遂安市委办公室", "纸介质", "遂委办〔2026〕1号", "机密★10年", 6, 1, "000001"),
		regRow(2, "2026.11.3", "关于项目的报告", "遂安市发改委", "U盘", "遂发改〔2026〕9号", "秘密", "", 3, "1-3"),
		regRow(3, "2026年11月4日", "关于保密检查的通报", "遂安市保密局", "光盘", "遂保〔2026〕5号", "秘密★2027年1月1日", 1, 1, 1),
		regRow(4, "20261105", "关于值班安排的通知", "遂安市委办公室", "纸质文件", "遂委办〔2026〕8号", "绝密", 2, 2, ""),
	})
	tb, err := ReadImportFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	m := GuessMapping(tb.Header)
	before := countAll(t, s)
	rep, err := s.ImportDryRun(clerk(t, s), tb, m)
	if err != nil || !rep.OK() || rep.Carriers != 7 {
		t.Fatalf("dry run: %+v %v", rep, err)
	}

	// The register changes after the dry run: row 4 (遂保〔2026〕5号 份号 1)
	// is registered meanwhile. Nothing of the file is written, not even the
	// rows before it, and the error names the row.
	beforeImportWrite = func() {
		f := form()
		f.DocNumber = "遂保〔2026〕5号"
		mustRegister(t, s, f)
	}
	_, err = s.Import(clerk(t, s), tb, m, nil)
	beforeImportWrite = nil
	var re *RowError
	if !errors.As(err, &re) || re.Row != 4 || !errors.Is(err, models.ErrDuplicateCopy) {
		t.Fatalf("import racing a registration: %v", err)
	}
	if got := countAll(t, s); got != before+1 {
		t.Fatalf("carriers: %d, want %d (only the racing registration)", got, before+1)
	}
	if a := lastAudit(t, s); a.Event != models.EventImport || a.Success || !strings.Contains(a.Detail, "第 4 行") {
		t.Fatalf("audit of the failed import: %+v", a)
	}

	// With that row's copy number moved, everything goes in at once.
	tb.Rows[2].Cells[9] = "2"
	var progress []int
	rep, err = s.Import(clerk(t, s), tb, m, func(done, total int) { progress = append(progress, done) })
	if err != nil || rep.Carriers != 7 || rep.Rows != 4 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	if got := countAll(t, s); got != before+1+7 {
		t.Fatalf("carriers: %d", got)
	}
	// Progress comes after each batch written: these 4 rows make one.
	if len(progress) != 1 || progress[0] != 4 {
		t.Fatalf("progress: %v", progress)
	}
	a := lastAudit(t, s)
	if a.Event != models.EventImport || !a.Success || a.Object != "good.xlsx" || !strings.Contains(a.Detail, "4 行，登记 7 件") {
		t.Fatalf("audit: %+v", a)
	}
	// The rows came in as the file says.
	rows, err := s.Page(clerk(t, s), Query{Keyword: "遂"}, 0, 100)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]models.Carrier{}
	for _, c := range rows {
		by[c.DocNumber+"/"+c.CopyNoText()] = c
	}
	c := by["遂委办〔2026〕1号/000001"]
	if c.Marking() != "机密★10年" || c.RegDate != "2026-11-02" || c.Kind != models.KindPaper || c.Pages != 6 ||
		c.Custodian != "王敏" || c.NeedToKnow != "办公室主任" || c.Direction != models.DirIncoming || c.Issuer != "遂安市委办公室" {
		t.Fatalf("row 1: %+v", c)
	}
	for _, k := range []string{"遂发改〔2026〕9号/000001", "遂发改〔2026〕9号/000003"} {
		if _, ok := by[k]; !ok {
			t.Errorf("%s not registered", k)
		}
	}
	// R22: two copies registered without a 份号 stay without one.
	unnumbered := 0
	for _, c := range rows {
		if c.DocNumber == "遂委办〔2026〕8号" && c.CopyNo == 0 {
			unnumbered++
		}
	}
	if unnumbered != 2 {
		t.Errorf("遂委办〔2026〕8号: %d copies without a 份号, want 2", unnumbered)
	}
	if c := by["遂发改〔2026〕9号/000002"]; c.Kind != models.KindUSB || c.RegDate != "2026-11-03" {
		t.Errorf("row 2: %+v", c)
	}
	if c := by["遂保〔2026〕5号/000002"]; c.Marking() != "秘密★2027年1月1日" || c.Kind != models.KindDisc {
		t.Errorf("row 3: %+v", c)
	}
}

func TestImport_RoundTripOfAnExport(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies, f.Remarks, f.Urgency = "2", "领导已阅", models.UrgencyUrgent
	f.Deadline = "2026-12-10" // 办理时限 (R27) goes out and comes back
	mustRegister(t, s, f)
	g := form()
	g.Direction, g.DocNumber, g.Issuer, g.TermKind, g.TermCondition = models.DirOutgoing, "遂安府发〔2026〕1号", "",
		models.TermCondition, "会议结束后"
	mustRegister(t, s, g)
	path := filepath.Join(t.TempDir(), "export.xlsx")
	if _, err := s.ExportLedgerFile(clerk(t, s), Query{}, path, nil); err != nil {
		t.Fatal(err)
	}

	s2 := newService(t)
	tb, err := ReadImportFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	if tb.Sheet != ExportSheet || tb.HeaderLine != 1 {
		t.Fatalf("sheet %q header %d", tb.Sheet, tb.HeaderLine)
	}
	rep, err := s2.Import(clerk(t, s2), tb, GuessMapping(tb.Header), nil)
	if err != nil || rep.Carriers != 3 {
		t.Fatalf("import: %+v %v", rep, err)
	}
	a, _ := s.Page(clerk(t, s), Query{Sort: SortDocNumber, Asc: true}, 0, 10)
	b, _ := s2.Page(clerk(t, s2), Query{Sort: SortDocNumber, Asc: true}, 0, 10)
	if len(a) != 3 || len(b) != 3 {
		t.Fatalf("%d %d", len(a), len(b))
	}
	var due int
	for i := range a {
		x, y := a[i], b[i]
		if y.Deadline == "2026-12-10" {
			due++
		}
		if x.DocNumber != y.DocNumber || x.CopyNo != y.CopyNo || x.Title != y.Title || x.Marking() != y.Marking() ||
			x.Direction != y.Direction || x.Urgency != y.Urgency || x.RegDate != y.RegDate || x.Issuer != y.Issuer ||
			x.Deadline != y.Deadline || y.Remarks != strings.TrimPrefix(x.Remarks+"；", "；")+"原登记号："+x.RegNo {
			t.Errorf("row %d:\n%+v\n%+v", i, x, y)
		}
	}
	if due != 2 {
		t.Errorf("%d imported copies keep the 办理时限, want 2", due)
	}
}

func TestReadImportFile_CSVEncodingsAndOldExcel(t *testing.T) {
	dir := t.TempDir()
	text := "登记日期,文件资料名称,密级,保管人\r\n2026-11-02,\"关于“保密”的通知,附件\",机密,王敏\r\n\r\n2026-11-03,关于值班的通知,秘密,王敏\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]struct{ data, enc string }{
		"utf8.csv": {text, "UTF-8"}, "bom.csv": {"\ufeff" + text, "UTF-8"}, "gbk.csv": {gbk, "GB18030"},
		"tab.txt": {strings.ReplaceAll(strings.ReplaceAll(text, ",", "\t"), "\"关于“保密”的通知\t附件\"", "关于“保密”的通知，附件"), "UTF-8"},
	}
	for name, f := range files {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(f.data), 0o600)
		tb, err := ReadImportFile(path, "")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if tb.Encoding != f.enc || len(tb.Header) != 4 || tb.Header[1] != "文件资料名称" || len(tb.Rows) != 2 ||
			tb.Rows[1].Line != 4 || !strings.HasPrefix(tb.Rows[0].Cells[1], "关于“保密”的通知") {
			t.Errorf("%s: %+v", name, tb)
		}
	}
	old := filepath.Join(dir, "旧.xls")
	os.WriteFile(old, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), 0o600)
	var fe *ImportFileError
	if _, err := ReadImportFile(old, ""); !errors.As(err, &fe) || !strings.Contains(fe.Msg, "另存为") {
		t.Fatalf("old Excel: %v", err)
	}
	if _, err := ReadImportFile(filepath.Join(dir, "none.xlsx"), ""); !errors.As(err, &fe) {
		t.Fatalf("missing file: %v", err)
	}
	xl := filepath.Join(dir, "two.xlsx")
	writeXLSX(t, xl, [][]any{{"题名"}})
	if _, err := ReadImportFile(xl, "第二页"); !errors.As(err, &fe) || !strings.Contains(fe.Msg, "Sheet1") {
		t.Fatalf("missing sheet: %v", err)
	}
}

// The ledger's export of a register whose sheet is past 16 MB (the size
// from which the workbook library spilled a sheet into a temporary file)
// writes nothing but the file: no work folder beside the database, nothing
// in the system's temporary folder. The books and the year's statistics,
// written through that library, spill into a work folder beside the
// database: one a killed export left goes at the next opening, recorded.
func TestExport_SpillsNothingIntoTheSystemsTemp(t *testing.T) {
	if testing.Short() {
		t.Skip("registers 18,000 carriers")
	}
	sysTemp := t.TempDir()
	t.Setenv("TMPDIR", sysTemp)
	t.Setenv("TMP", sysTemp)
	t.Setenv("TEMP", sysTemp)
	s := newService(t)
	tb := bulkTable(9000)
	if _, err := s.Import(clerk(t, s), tb, GuessMapping(tb.Header), nil); err != nil {
		t.Fatal(err)
	}
	workDirs := func() []string {
		t.Helper()
		m, err := filepath.Glob(filepath.Join(filepath.Dir(s.path), ".secdoc-tmp-xlsx-*.d"))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	out := t.TempDir()
	path := filepath.Join(out, "全部.xlsx")
	var during, beside []string
	var sysDuring []os.DirEntry
	n, err := s.ExportLedgerFile(clerk(t, s), Query{}, path, func(done, total int) {
		if done < total {
			return
		}
		during = workDirs()
		sysDuring, _ = os.ReadDir(sysTemp)
		es, _ := os.ReadDir(out)
		for _, e := range es {
			beside = append(beside, e.Name())
		}
	})
	if err != nil || n < 17000 {
		t.Fatalf("export: %d %v", n, err)
	}
	if len(during) != 0 || len(sysDuring) != 0 || len(beside) != 1 || !strings.HasPrefix(beside[0], ".全部.xlsx.") {
		t.Fatalf("during the export: work folders %v, in the system's temporary folder %v, beside the file %v", during, sysDuring, beside)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() < 1<<20 {
		t.Fatalf("the export: %v %v", fi, err)
	}
	if rows := readXLSXRows(t, path); len(rows) != n+1 {
		t.Fatalf("read back %d rows, want %d", len(rows), n+1)
	}
	if es, _ := os.ReadDir(sysTemp); len(es) != 0 {
		t.Fatalf("in the system's temporary folder: %v", es)
	}

	// A killed export's folder goes at the next opening, and is recorded.
	dir, err := backup.TempDir(s.path, backup.TempWorkbook)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "excelize-1"), []byte("<row>"), 0o600); err != nil {
		t.Fatal(err)
	}
	db := s.path
	s.Close()
	s2, err := Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if left := workDirs(); len(left) != 0 {
		t.Fatalf("left after reopening: %v", left)
	}
	var detail string
	if err := s2.db.Raw(`SELECT detail FROM audit_log WHERE event = ? ORDER BY seq DESC LIMIT 1`, models.EventCleanup).Scan(&detail).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(detail, filepath.Base(dir)) {
		t.Fatalf("cleanup record: %q", detail)
	}
}
