package app

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"secdoc/models"
	"secdoc/reports"
)

// annualSample is a register with a year of work: carriers received and
// produced at several levels and kinds, copies, a destruction, an archive.
func annualSample(t *testing.T) (*Service, *Session) {
	t.Helper()
	s := newService(t)
	sess := clerk(t, s)
	for i, l := range []models.Level{models.LevelTopSecret, models.LevelSecret, models.LevelConfidential, models.LevelInternal} {
		f := form()
		f.DocNumber, f.Level, f.Copies = fmt.Sprintf("遂安府办发〔2026〕%d号", 40+i), l, fmt.Sprint(i+1)
		mustRegister(t, s, f)
	}
	f := form()
	f.DocNumber, f.Kind, f.Pages = "遂安府办发〔2026〕49号", models.KindUSB, "8GB"
	u := mustRegister(t, s, f)[0]
	rec := sentRecord()
	b := approvedBatch(t, s, u)
	if _, err := s.CompleteDestruction(sess, b.ID, rec); err != nil {
		t.Fatal(err)
	}
	return s, sess
}

// The printed statistics (R26): A4 landscape, marked 内部 by default (the
// marking the clerk gives otherwise), every table with its figures, the
// balance check; the printing is audited.
func TestAnnual_R26_Printed(t *testing.T) {
	s, sess := annualSample(t)
	var b bytes.Buffer
	before := auditCount(t, s)
	p, err := s.PrintAnnual(sess, 2026, reports.Options{}, &b)
	if err != nil {
		t.Fatal(err)
	}
	if auditCount(t, s) != before+1 || lastAudit(t, s).Event != models.EventPrint {
		t.Errorf("printing not audited: %+v", lastAudit(t, s))
	}
	if !strings.HasSuffix(p.FileName, ".pdf") || !strings.Contains(p.FileName, "2026年度涉密载体统计表") {
		t.Errorf("file name %q", p.FileName)
	}
	if dir := os.Getenv("SECDOC_FORMS_DIR"); dir != "" { // docs/forms shows it
		if err := os.WriteFile(filepath.Join(dir, "annual.pdf"), b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	text := printedText(t, b.Bytes())
	for _, w := range []string{"内部", "遂安市机要局2026年度涉密载体统计表", "统计期间：2026年1月1日至2026年11月23日",
		"一、涉密载体收发存情况（按密级）", "二、涉密载体收发存情况（按载体类型）", "本机关定密情况", "借阅和外出携带情况",
		"自查情况", "销毁情况（按载体类型）", "平衡校验：年初在册0+收文11+自产0+复制0−分发0−清退0−归档0−销毁1−解密0=10，期末在册10，相符",
		"U盘（个）", "填表人", "审核人"} {
		if !strings.Contains(text, strings.Join(strings.Fields(w), "")) {
			t.Errorf("printout lacks %q", w)
		}
	}
	b.Reset()
	addApprover(t, s, "吴定", models.LevelTopSecret, models.ApproveClassify)
	if _, err := s.PrintAnnual(sess, 2026, reports.Options{Marking: "秘密★1年", Classifier: "吴定"}, &b); err != nil {
		t.Fatal(err)
	}
	if text := printedText(t, b.Bytes()); !strings.Contains(text, "秘密★1年") {
		t.Error("the marking given is not printed")
	}
	dir := t.TempDir()
	_, path, err := s.PrintAnnualToFile(as(t, s, "secadmin"), 2026, reports.Options{}, dir)
	if err != nil || filepath.Dir(path) != dir {
		t.Fatalf("print to folder: %s %v", path, err)
	}
}

// The exported statistics (R26): the summary sheet with every table, each
// figure linked to the sheet listing what it counts; a sheet per flow whose
// lines, by 统计密级 and 载体类型, make each figure; a cut list says so.
func TestAnnual_R26_Exported(t *testing.T) {
	s, sess := annualSample(t)
	r, err := s.Annual(sess, 2026)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "统计.xlsx")
	n, err := s.ExportAnnualFile(sess, 2026, path)
	if err != nil {
		t.Fatal(err)
	}
	if lastAudit(t, s).Event != models.EventExport {
		t.Errorf("export not audited: %+v", lastAudit(t, s))
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	for _, want := range []string{AnnualSummarySheet, "收文", "销毁", "期末在册"} {
		if !containsString(sheets, want) {
			t.Errorf("sheets %v lack %s", sheets, want)
		}
	}
	if containsString(sheets, "分发") {
		t.Errorf("a sheet for a flow of nothing: %v", sheets)
	}
	rows, _ := f.GetRows("收文")
	if len(rows) != 1+r.Flow(FlowReceived, 0, "") || rows[0][0] != "序号" {
		t.Fatalf("收文 sheet: %d rows, header %v", len(rows), rows[0])
	}
	byLevel := map[string]int{}
	for _, row := range rows[1:] {
		byLevel[row[5]]++
	}
	for _, l := range models.AllLevels {
		if byLevel[l.String()] != r.Flow(FlowReceived, l, "") {
			t.Errorf("收文 sheet has %d of %s, the figure is %d", byLevel[l.String()], l, r.Flow(FlowReceived, l, ""))
		}
	}
	listed := 0
	for _, sh := range sheets[1:] {
		rows, _ := f.GetRows(sh)
		listed += len(rows) - 1
	}
	if listed != n {
		t.Errorf("export says %d lines, sheets hold %d", n, listed)
	}
	// A figure links to its sheet.
	summary, _ := f.GetRows(AnnualSummarySheet)
	found := false
	for i, row := range summary {
		if len(row) > 0 && row[0] == "合计" && len(row) > 2 && row[2] == fmt.Sprint(r.Flow(FlowReceived, 0, "")) {
			cell, _ := excelize.CoordinatesToCellName(3, i+1)
			ok, target, err := f.GetCellHyperLink(AnnualSummarySheet, cell)
			if err != nil || !ok || target != "'收文'!A1" {
				t.Errorf("合计 收文 links to %q (%v %v)", target, ok, err)
			}
			found = true
			break
		}
	}
	if !found {
		t.Errorf("no 合计 row with the figure of 收文 in %v", summary)
	}

	// A list longer than a sheet takes is cut, and the sheet says so.
	defer func(n int) { MaxAnnualSheetRows = n }(MaxAnnualSheetRows)
	MaxAnnualSheetRows = 3
	if _, err := s.ExportAnnualFile(sess, 2026, path); err != nil {
		t.Fatal(err)
	}
	g, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	rows, _ = g.GetRows("收文")
	if len(rows) != 6 || !strings.Contains(rows[5][0], "仅列出前 3 行，共 11 行") {
		t.Errorf("cut sheet: %v", rows)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
