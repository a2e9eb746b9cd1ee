package importfile

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// excelizeReadXLSX is readXLSX as it was, on excelize: the reference the
// reader of xlsx.go is held to.
func excelizeReadXLSX(path, name, sheet string) (*ImportTable, error) {
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true,
		UnzipSizeLimit: MaxImportUnpacked, UnzipXMLSizeLimit: min(excelize.StreamChunkSize, MaxImportUnpacked)})
	if err != nil {
		return nil, &ImportFileError{Msg: notExcel(name), Err: err}
	}
	defer f.Close()
	t := &ImportTable{Name: name, Format: "Excel", Sheets: f.GetSheetList()}
	if len(t.Sheets) == 0 {
		return nil, &ImportFileError{Msg: "“" + name + "”里没有工作表"}
	}
	t.Sheet = t.Sheets[0]
	if sheet != "" {
		found := false
		for _, s := range t.Sheets {
			if s == sheet {
				found = true
			}
		}
		if !found {
			return nil, &ImportFileError{Msg: fmt.Sprintf("“%s”里没有名为“%s”的工作表；有：%s", name, sheet, strings.Join(t.Sheets, "、"))}
		}
		t.Sheet = sheet
	}
	date1904 := false
	if p, err := f.GetWorkbookProps(); err == nil && p.Date1904 != nil {
		date1904 = *p.Date1904
	}
	rows, err := f.Rows(t.Sheet)
	if err != nil {
		return nil, &ImportFileError{Msg: "读不了工作表“" + t.Sheet + "”", Err: err}
	}
	defer rows.Close()
	b := tableBuilder{where: "“" + name + "”的工作表“" + t.Sheet + "”"}
	line := 0
	for rows.Next() {
		line++
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, &ImportFileError{Msg: fmt.Sprintf("读不了工作表“%s”的第 %d 行", t.Sheet, line), Err: err}
		}
		if date1904 {
			cells = append(cells[:0:0], cells...)
			for i, c := range cells {
				cells[i] = shift1904(c)
			}
		}
		if err := b.add(line, cells); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, &ImportFileError{Msg: "读不了工作表“" + t.Sheet + "”", Err: err}
	}
	b.finish(t)
	return t, nil
}

// excelizeReadImportFile is ReadImportFile of an .xlsx as it was.
func excelizeReadImportFile(path, sheet string) (*ImportTable, error) {
	name := filepath.Base(path)
	if err := checkXLSXSize(path, name); err != nil {
		return nil, err
	}
	return excelizeReadXLSX(path, name, sheet)
}

// rawRow is a row as the iteration gives it, before the table is built.
type rawRow struct {
	line  int
	cells []string
}

// excelizeRawRows is every row of sheet as excelize's Rows and
// Columns(RawCellValue) give them, and where it stopped with an error.
func excelizeRawRows(path, sheet string) ([]rawRow, string) {
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true,
		UnzipSizeLimit: MaxImportUnpacked, UnzipXMLSizeLimit: min(excelize.StreamChunkSize, MaxImportUnpacked)})
	if err != nil {
		return nil, "open"
	}
	defer f.Close()
	if sheet == "" {
		if l := f.GetSheetList(); len(l) > 0 {
			sheet = l[0]
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, "rows"
	}
	defer rows.Close()
	var out []rawRow
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return out, "line " + strconv.Itoa(line)
		}
		out = append(out, rawRow{line, cells})
	}
	if rows.Error() != nil {
		return out, "error"
	}
	return out, ""
}

// ourRawRows is excelizeRawRows with the reader of xlsx.go.
func ourRawRows(path, sheet string) ([]rawRow, string) {
	f, err := openXLSX(path)
	if err != nil {
		return nil, "open"
	}
	defer f.Close()
	if sheet == "" {
		if l := f.sheetNames(); len(l) > 0 {
			sheet = l[0]
		}
	}
	rows, err := f.rows(sheet, MaxImportCells)
	if err != nil {
		return nil, "rows"
	}
	defer rows.Close()
	var out []rawRow
	for line := 1; rows.Next(); line++ {
		cells, err := rows.Columns()
		if err != nil {
			return out, "line " + strconv.Itoa(line)
		}
		out = append(out, rawRow{line, cells})
	}
	if rows.Error() != nil {
		return out, "error"
	}
	return out, ""
}

// sameAsExcelize checks that the workbook at path reads the same with the
// new reader as with excelize: row for row, and as a table.
func sameAsExcelize(t *testing.T, path, sheet string) {
	t.Helper()
	want, wantErr := excelizeRawRows(path, sheet)
	got, gotErr := ourRawRows(path, sheet)
	if gotErr != wantErr {
		t.Errorf("rows stop at %q, excelize's at %q", gotErr, wantErr)
	}
	if len(got) != len(want) {
		t.Errorf("%d rows, excelize %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i].line != want[i].line || !slices.Equal(got[i].cells, want[i].cells) {
			t.Errorf("row %d: %.500q, excelize %.500q", want[i].line, got[i].cells, want[i].cells)
			break
		}
	}
	sameTableAsExcelize(t, path, sheet)
}

// sameTableAsExcelize checks that ReadImportFile reads the workbook at path
// as it did with excelize, or refuses it with the same message.
func sameTableAsExcelize(t *testing.T, path, sheet string) {
	t.Helper()
	wantT, errW := excelizeReadImportFile(path, sheet)
	gotT, errG := ReadImportFile(path, sheet)
	if (errW != nil) != (errG != nil) {
		t.Fatalf("error %v, excelize %v", errG, errW)
	}
	if errW != nil {
		var fw, fg *ImportFileError
		if !errors.As(errW, &fw) || !errors.As(errG, &fg) || fw.Msg != fg.Msg {
			t.Errorf("error %q, excelize %q", errG, errW)
		}
		return
	}
	if !reflect.DeepEqual(gotT, wantT) {
		t.Errorf("table\n%.2000v\nexcelize\n%.2000v", fmt.Sprintf("%+v", gotT), fmt.Sprintf("%+v", wantT))
	}
}

// The cases built with excelize, as Excel or WPS would save them.

var testDate = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

func saveBook(t *testing.T, f *excelize.File, path string) {
	t.Helper()
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// tricky are texts that need escaping or keep their spaces.
var tricky = []string{
	"A & B", "<机密>", `"引号" 'apos'`, "第一行\n第二行", "tab\there", "_x000D_", "_x0041_", "a_x005F_b",
	"_x005F_x000D_", "  前后空格  ", " ", "x\r\ny", "😀 emoji", "&amp; literal", "]]>", "100%", "a\u00a0b",
}

var excelizeCases = map[string]func(t *testing.T, path string){
	"shared strings, numbers, booleans, dates": func(t *testing.T, path string) {
		f := excelize.NewFile()
		rows := [][]any{
			{"2021—2026年涉密文件登记簿"},
			{"序号", "登记日期", "文件资料名称", "密级", "份数", "保管人", "备注", "是否"},
			{1, testDate, "关于做好保密工作的通知", "机密", 2, "王敏", "", true},
			{2, testDate.AddDate(0, 1, 3), "会议纪要", "秘密", 1.5, "李强", "无", false},
			{3, "2026-11-02", "  前后空格  ", "绝密★10年", -3, "张 三", 0.1 + 0.2, 1e20},
			{4, testDate, "x", "机密", int64(1234567890123456789), "王敏", 3.14159265358979, uint8(7)},
		}
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+1)
			must(t, f.SetSheetRow("Sheet1", cell, &r))
		}
		saveBook(t, f, path)
	},
	"inline strings from the stream writer": func(t *testing.T, path string) {
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		must(t, err)
		dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
		must(t, sw.SetRow("A1", []any{"2021—2026年涉密文件登记簿"}))
		must(t, sw.SetRow("A2", []any{"序号", "登记日期", "文件资料名称", "密级", "备注"}))
		for i, s := range tricky {
			cell, _ := excelize.CoordinatesToCellName(1, i+3)
			must(t, sw.SetRow(cell, []any{i + 1, excelize.Cell{StyleID: dateStyle, Value: testDate}, s, "机密", s + s}))
		}
		must(t, sw.Flush())
		saveBook(t, f, path)
	},
	"tricky shared strings": func(t *testing.T, path string) {
		f := excelize.NewFile()
		must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"登记日期", "文件资料名称", "密级"}))
		for i, s := range tricky {
			must(t, f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+2), &[]any{testDate, s, s}))
		}
		saveBook(t, f, path)
	},
	"rich text": func(t *testing.T, path string) {
		f := excelize.NewFile()
		must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"登记日期", "文件资料名称", "密级"}))
		must(t, f.SetCellRichText("Sheet1", "B2", []excelize.RichTextRun{
			{Text: "关于"}, {Text: "保密", Font: &excelize.Font{Bold: true}}, {Text: " 工作 & <通知> "},
		}))
		must(t, f.SetCellRichText("Sheet1", "C2", []excelize.RichTextRun{{Text: "机"}, {Text: "密", Font: &excelize.Font{Color: "FF0000"}}}))
		must(t, f.SetCellRichText("Sheet1", "B3", []excelize.RichTextRun{{Text: "_x0041_"}, {Text: "\n换行\t"}}))
		must(t, f.SetCellValue("Sheet1", "A2", testDate))
		saveBook(t, f, path)
	},
	"gaps between cells and rows, empty rows": func(t *testing.T, path string) {
		f := excelize.NewFile()
		must(t, f.SetCellValue("Sheet1", "C2", "登记簿"))
		must(t, f.SetSheetRow("Sheet1", "B4", &[]any{"登记日期", nil, "文件资料名称", "", "密级"}))
		must(t, f.SetCellValue("Sheet1", "B7", testDate))
		must(t, f.SetCellValue("Sheet1", "F7", "机密"))
		must(t, f.SetCellValue("Sheet1", "D9", "题名"))
		must(t, f.SetCellValue("Sheet1", "AA9", "远处"))
		must(t, f.SetCellValue("Sheet1", "A30", ""))
		must(t, f.SetCellStyle("Sheet1", "A31", "C33", 0))
		must(t, f.SetRowHeight("Sheet1", 40, 30))
		saveBook(t, f, path)
	},
	"empty rows from the stream writer": func(t *testing.T, path string) {
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		must(t, err)
		must(t, sw.SetRow("A1", []any{"登记日期", "文件资料名称", "密级"}))
		must(t, sw.SetRow("A2", []any{}))
		must(t, sw.SetRow("A3", []any{nil, nil}))
		must(t, sw.SetRow("A4", []any{"", ""}))
		must(t, sw.SetRow("A6", []any{testDate, "通知", "秘密"}))
		must(t, sw.SetRow("B9", []any{"x", nil, "y"}))
		must(t, sw.Flush())
		saveBook(t, f, path)
	},
	"formulas": func(t *testing.T, path string) {
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		must(t, err)
		must(t, sw.SetRow("A1", []any{"登记日期", "文件资料名称", "密级", "份数"}))
		must(t, sw.SetRow("A2", []any{testDate, excelize.Cell{Formula: `"关于"&"通知"`, Value: "关于通知"}, "机密",
			excelize.Cell{Formula: "1+1", Value: 2}}))
		must(t, sw.SetRow("A3", []any{testDate, "x", "秘密", excelize.Cell{Formula: "D2*2"}}))
		must(t, sw.SetRow("A4", []any{excelize.Cell{Formula: "A3"}}))
		must(t, sw.Flush())
		must(t, f.SetCellFormula("Sheet1", "E2", "D2+1"))
		must(t, f.SetCellFormula("Sheet1", "G5", `"尾"`))
		saveBook(t, f, path)
	},
	"several sheets": func(t *testing.T, path string) {
		f := excelize.NewFile()
		must(t, f.SetSheetName("Sheet1", "说明"))
		must(t, f.SetCellValue("说明", "A1", "本文件是登记簿"))
		for _, name := range []string{"2025年", "2026年 登记簿", "Sheet3"} {
			_, err := f.NewSheet(name)
			must(t, err)
			must(t, f.SetSheetRow(name, "A1", &[]any{"登记日期", "文件资料名称", "密级"}))
			must(t, f.SetSheetRow(name, "A2", &[]any{testDate, name + "的通知", "机密"}))
		}
		saveBook(t, f, path)
	},
	"date1904": func(t *testing.T, path string) {
		f := excelize.NewFile()
		yes := true
		must(t, f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &yes}))
		must(t, f.SetSheetRow("Sheet1", "A1", &[]any{"登记日期", "文件资料名称", "密级", "份数"}))
		must(t, f.SetSheetRow("Sheet1", "A2", &[]any{testDate, "通知", "机密", 12345}))
		must(t, f.SetSheetRow("Sheet1", "A3", &[]any{43000, "纪要", "秘密", "44000"}))
		saveBook(t, f, path)
	},
}

// The cases written as XML, for what excelize doesn't write but other
// programs, or a damaged or crafted file, may.

const (
	xmlHead    = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	sheetStart = xmlHead + `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1"/><sheetData>`
	sheetEnd = `</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`
	sstStart = xmlHead + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="9" uniqueCount="9">`
)

// rawBook is a workbook as its parts' text.
type rawBook struct {
	sheets     []string          // the sheets' XML, named Sheet1, Sheet2, …
	names      []string          // or these names
	sst        string            // xl/sharedStrings.xml, if any
	workbookPr string            // the attributes of <workbookPr>, if any
	parts      map[string]string // parts added or replaced ("" leaves one out)
}

func writeRawBook(t testing.TB, path string, b rawBook) {
	t.Helper()
	if err := os.WriteFile(path, rawBookBytes(b), 0o600); err != nil {
		t.Fatal(err)
	}
}

// rawBookBytes is the .xlsx file of b.
func rawBookBytes(b rawBook) []byte {
	parts := map[string]string{
		"[Content_Types].xml": xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
		"_rels/.rels": xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
	}
	var sheets, rels strings.Builder
	for i, s := range b.sheets {
		name := "Sheet" + strconv.Itoa(i+1)
		if i < len(b.names) {
			name = b.names[i]
		}
		var esc bytes.Buffer
		xml.EscapeText(&esc, []byte(name))
		fmt.Fprintf(&sheets, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, esc.String(), i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
		parts["xl/worksheets/sheet"+strconv.Itoa(i+1)+".xml"] = s
	}
	pr := ""
	if b.workbookPr != "" {
		pr = "<workbookPr " + b.workbookPr + "/>"
	}
	parts["xl/workbook.xml"] = xmlHead + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` + pr +
		`<sheets>` + sheets.String() + `</sheets></workbook>`
	if b.sst != "" {
		parts["xl/sharedStrings.xml"] = b.sst
		rels.WriteString(`<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`)
	}
	parts["xl/_rels/workbook.xml.rels"] = xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		rels.String() + `</Relationships>`
	for k, v := range b.parts {
		if v == "" {
			delete(parts, k)
		} else {
			parts[k] = v
		}
	}
	var out bytes.Buffer
	z := zip.NewWriter(&out)
	names := make([]string, 0, len(parts))
	for k := range parts {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		w, _ := z.Create(k)
		io.WriteString(w, parts[k])
	}
	z.Close()
	return out.Bytes()
}

func sheet(rows string) string { return sheetStart + rows + sheetEnd }

const header = `<row r="1"><c r="A1" t="inlineStr"><is><t>登记日期</t></is></c><c r="B1" t="inlineStr"><is><t>文件资料名称</t></is></c><c r="C1" t="inlineStr"><is><t>密级</t></is></c></row>`

var rawCases = map[string]rawBook{
	"rows without r": {sheets: []string{sheet(
		`<row><c t="inlineStr"><is><t>登记日期</t></is></c><c t="inlineStr"><is><t>文件资料名称</t></is></c></row>` +
			`<row><c><v>46000</v></c><c t="inlineStr"><is><t>甲</t></is></c></row>` +
			`<row r="5"><c r="A5"><v>1</v></c></row><row><c r="B6"><v>2</v></c></row><row/><row><c><v>3</v></c></row>`)}},
	"first row without r after a gap": {sheets: []string{sheet(
		`<row r="3"><c r="A3"><v>1</v></c></row><row><c r="A9"><v>2</v></c></row><row r="2"><c r="A2"><v>3</v></c></row><row><c><v>4</v></c></row>`)}},
	"gaps in row numbers": {sheets: []string{sheet(header +
		`<row r="4"><c r="A4"><v>46000</v></c><c r="C4" t="inlineStr"><is><t>机密</t></is></c></row>` +
		`<row r="10" spans="1:3"><c r="B10" t="inlineStr"><is><t>十</t></is></c></row><row r="11"></row><row r="200"><c r="E200"><v>5</v></c></row>`)}},
	"the first row far down": {sheets: []string{sheet(`<row r="25"><c r="A25"><v>1</v></c><c r="B25"><v>2</v></c></row>`)}},
	"cells without r and out of order": {sheets: []string{sheet(header +
		`<row r="2"><c><v>1</v></c><c/><c><v>3</v></c><c r="F2"><v>6</v></c><c><v>7</v></c></row>` +
		`<row r="3"><c r="C3"><v>3</v></c><c r="A3"><v>1</v></c><c><v>2</v></c><c r="C3"><v>again</v></c></row>` +
		`<row r="4"><c r="$B$4"><v>b</v></c><c r="d4"><v>d</v></c><c r="AA4"><v>aa</v></c></row>`)}},
	"repeated and backward row numbers": {sheets: []string{sheet(header +
		`<row r="3"><c r="A3"><v>1</v></c></row><row r="3"><c r="B3"><v>2</v></c></row>` +
		`<row r="2"><c r="A2"><v>x</v></c><c r="D2"><v>y</v></c></row><row r="0"><c r="A1"><v>zero</v></c></row><row r="6"><c><v>6</v></c></row>`)}},
	"cell types": {sst: sstStart + `<si><t>零</t></si><si><t>一</t></si></sst>`, sheets: []string{sheet(header +
		`<row r="2"><c r="A2" t="b"><v>1</v></c><c r="B2" t="b"><v>0</v></c><c r="C2" t="e"><v>#N/A</v></c><c r="D2" t="d"><v>2026-11-02T00:00:00Z</v></c>` +
		`<c r="E2" t="n"><v>1.50</v></c><c r="F2"><v>1E+20</v></c><c r="G2" t="str"><v>_x0041_ str</v></c><c r="H2" t="xyz"><v>other</v></c>` +
		`<c r="I2" t="s"><v>1</v></c><c r="J2" t="s"><v> 1 </v></c><c r="K2" t="s"><v>abc</v></c><c r="L2" t="s"><v>7</v></c>` +
		`<c r="M2" t="s"><v>-1</v></c><c r="N2" t="s"><v>99999999999999999999</v></c><c r="O2" t="s"></c><c r="P2" t="inlineStr"><v>v, not is</v></c>` +
		`<c r="Q2" t="inlineStr"></c><c r="R2" t="s"><v>1</v><v>0</v></c><c r="S2" s="3"><v>46000</v></c></row>`)}},
	"formulas with and without values": {sheets: []string{sheet(header +
		`<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="C2" t="str"><f>"x"</f></c>` +
		`<c r="E2"><f t="shared" ref="E2:E3" si="0">A2</f></c><c r="F2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>` +
		`<row r="3"><c r="E3"><f t="shared" si="0"/></c></row><row r="4"><c r="A4"><f/></c></row>`)}},
	"inline and rich strings": {sheets: []string{sheet(header +
		`<row r="2"><c r="A2" t="inlineStr"><is><r><t>关于</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 保密 </t></r></is></c>` +
		`<c r="B2" t="inlineStr"><is><t>拼音</t><rPh sb="0" eb="2"><t>pinyin</t></rPh><phoneticPr fontId="1"/></is></c>` +
		`<c r="C2" t="inlineStr"><is><r><t>run</t></r><t>plain</t></is></c>` +
		`<c r="D2" t="inlineStr"><is><t>one</t><t>two</t></is></c><c r="E2" t="inlineStr"><is><r><t>a</t><t>b</t></r><r><rPr/></r></is></c>` +
		`<c r="F2" t="inlineStr"><is><t>_x0041__x005F_x0042__xD800_z_x12_</t></is></c><c r="G2" t="inlineStr"><is><t>_x00</t><r><t>41_</t></r></is></c>` +
		`<c r="H2" t="inlineStr"><is></is></c><c r="I2" t="inlineStr"><is><t/></is></c><c r="J2" t="inlineStr"><is><x><t>hidden</t></x></is></c>` +
		`<c r="K2" t="inlineStr"><is><t>first</t></is><is><t>second</t><r><t>R</t></r></is></c></row>`)}},
	"shared strings with runs and phonetics": {
		sst: sstStart + `<si><t>登记日期</t></si><si><t>文件资料名称</t></si><si><r><t>机</t></r><r><rPr><b/></rPr><t>密</t></r></si>` +
			`<si><t>秘密</t><rPh sb="0" eb="2"><t>ひみつ</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>` +
			`<si><t xml:space="preserve">  空格  </t></si><si/><si><t>_x005F_x000D_ and _x000D_</t></si>` +
			`<si><r><t>a</t></r><t>b</t></si><foo><si><t>nested</t></si></foo><si><rPh><t>only phonetic</t></rPh></si><si><t>last</t></si></sst>`,
		sheets: []string{sheet(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>` +
			`<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2" t="s"><v>5</v></c><c r="D2" t="s"><v>6</v></c>` +
			`<c r="E2" t="s"><v>7</v></c><c r="F2" t="s"><v>8</v></c><c r="G2" t="s"><v>9</v></c><c r="H2" t="s"><v>10</v></c></row>`)}},
	"text decoding": {sheets: []string{sheet(header +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x4e2d;&#20013;&#x1F600;</t></is></c>` +
		`<c r="B2" t="inlineStr"><is><t><![CDATA[<cdata> & ]] text]]></t></is></c><c r="C2"><v>1<!-- comment -->2<?pi x?>3</v></c>` +
		`<c r="D2" t="inlineStr"><is><t>crlf` + "\r\n" + `cr` + "\r" + `lf` + "\n" + `tab` + "\t" + `&#13;&#10;</t></is></c>` +
		`<c r="E2" t="str"><v>a<b>skipped</b>c</v></c><c r="F2" t="inlineStr"><is><t xml:space="preserve">  both  </t></is></c>` +
		`<c r="G2" t="inlineStr"><is><t>  no preserve  </t></is></c><c r="H2" t="inlineStr"><is><t>]]&gt; &#xFFFD; &#xD800;</t></is></c></row>`)}},
	"prefixes, namespaces and odd markup": {sheets: []string{xmlHead + "\ufeff" + `<!-- generated -->` +
		`<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>` +
		`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>登记日期</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>题名</x:t></x:is></x:c></x:row>` +
		"\n  " + `<x:row r = '2' ><x:c r='A2' ><x:v >46000</x:v ></x:c ><x:c r="B2" t="inlineStr" xmlns:y="urn:y" y:foo="1"><x:is><x:t>甲</x:t></x:is></x:c></x:row>` +
		`<x:row r="3"><x:c r="A3"><x:extLst><x:v>inside</x:v></x:extLst></x:c><x:c r="B3" t="inlineStr"><x:v>v</x:v><x:is><x:t>is</x:t></x:is></x:c></x:row>` +
		`</x:sheetData></x:worksheet><!-- after -->`}},
	"an xmlns:r attribute on a cell": {sheets: []string{sheet(header + `<row r="2"><c r="A2"><v>1</v></c><c r="B2" xmlns:r="urn:r"><v>r from xmlns</v></c></row>`)}},
	"a bad style attribute": {sheets: []string{sheet(header +
		`<row r="2"><c r="A2"><v>1</v></c><c r="B2" s="x"><v>lost</v></c><c><v>after</v></c><c s="1" r="E2"><v>e</v></c><c r="F2" s=""><v>f</v></c></row>`)}},
	"a bad row number": {sheets: []string{sheet(header +
		`<row r="2"><c r="A2"><v>1</v></c></row><row r="x3"><c r="A3"><v>2</v></c></row>`)}},
	"a bad first row number":               {sheets: []string{sheet(`<row r="-"><c r="A1"><v>1</v></c></row>`)}},
	"a negative row number":                {sheets: []string{sheet(`<row r="2"><c r="A2"><v>1</v></c></row><row r="-3"><c r="B3"><v>2</v></c></row><row r="4"><c r="A4"><v>3</v></c></row>`)}},
	"a bad cell reference":                 {sheets: []string{sheet(header + `<row r="2"><c r="A2"><v>1</v></c><c r="2B"><v>2</v></c></row>`)}},
	"bad cell references":                  {sheets: []string{sheet(header + `<row r="2"><c r="A1B2"><v>2</v></c></row>`)}},
	"a column past XFD":                    {sheets: []string{sheet(header + `<row r="2"><c r="XFE2"><v>2</v></c></row>`)}},
	"the last column":                      {sheets: []string{sheet(header + `<row r="2"><c r="XFD2"><v>2</v></c></row>`)}},
	"a cell past the last row":             {sheets: []string{sheet(header + `<row r="2"><c r="A1048577"><v>2</v></c></row>`)}},
	"the last row":                         {sheets: []string{sheet(header + `<row r="1048576"><c r="A1048576"><v>2</v></c></row>`)}},
	"a row past the last":                  {sheets: []string{sheet(header + `<row r="2"><c r="A2"><v>1</v></c></row><row r="1048577"><c r="A3"><v>2</v></c></row>`)}},
	"a first row past the last":            {sheets: []string{sheet(`<row r="99999999999999999999"><c r="A3"><v>2</v></c></row>`)}},
	"rows after sheetData":                 {sheets: []string{sheetStart + header + `</sheetData><row r="5"><c r="A5"><v>late</v></c></row><sheetData><row r="7"><c r="A7"><v>7</v></c></row>` + sheetEnd}},
	"an empty sheet":                       {sheets: []string{sheet("")}},
	"an empty sheet part":                  {sheets: []string{""}},
	"a sheet of only a declaration":        {sheets: []string{xmlHead}},
	"no shared strings for an s cell":      {sheets: []string{sheet(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c></row>`)}},
	"an empty shared string table":         {sst: sstStart + `</sst>`, sheets: []string{sheet(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c></row>`)}},
	"an empty shared strings part":         {sst: " ", sheets: []string{sheet(`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><v>1</v></c></row>`)}},
	"shared strings in no namespace":       {sst: `<sst><si><t>x</t></si></sst>`, sheets: []string{sheet(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)}},
	"shared strings in no namespace later": {sst: `<sst><si><t>x</t></si></sst>`, sheets: []string{sheet(`<row r="3"><c r="A3" t="s"><v>0</v></c></row>`)}},
	"shared strings with a bad count":      {sst: strings.Replace(sstStart, `count="9"`, `count="many"`, 1) + `<si><t>x</t></si></sst>`, sheets: []string{sheet(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)}},
	"shared strings, root prefixed": {sst: `<s:sst xmlns:s="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count=" 1 "><s:si><s:t>x</s:t></s:si></s:sst>`,
		sheets: []string{sheet(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)}},
	"several raw sheets": {names: []string{"说明", "登记簿", "a'b"}, sheets: []string{
		sheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>说明</t></is></c></row>`),
		sheet(header + `<row r="2"><c r="A2"><v>46000</v></c></row>`),
		sheet(`<row r="1"><c r="A1"><v>1</v></c></row>`)}},
	"a sheet name excelize refuses": {names: []string{"这是一个非常非常非常非常非常非常非常非常长的工作表名称超过三十一"}, sheets: []string{sheet(header)}},
	"a sheet name with a colon":     {names: []string{"a:b"}, sheets: []string{sheet(header)}},
	"a blank sheet name":            {names: []string{""}, sheets: []string{sheet(header)}},
	"date1904 true":                 {workbookPr: `date1904="true"`, sheets: []string{sheet(header + `<row r="2"><c r="A2"><v>45000</v></c><c r="B2"><v>12345</v></c><c r="C2"><v>123456</v></c></row>`)}},
	"date1904 1":                    {workbookPr: `date1904="1"`, sheets: []string{sheet(header + `<row r="2"><c r="A2"><v>45000</v></c></row>`)}},
	"date1904 false":                {workbookPr: `date1904="false" filterPrivacy="1"`, sheets: []string{sheet(header + `<row r="2"><c r="A2"><v>45000</v></c></row>`)}},
	"date1904 empty":                {workbookPr: `date1904=""`, sheets: []string{sheet(header + `<row r="2"><c r="A2"><v>45000</v></c></row>`)}},
	"date1904 spaced":               {workbookPr: `date1904=" 1 "`, sheets: []string{sheet(header + `<row r="2"><c r="A2"><v>45000</v></c></row>`)}},
	"date1904 yes":                  {workbookPr: `date1904="yes"`, sheets: []string{sheet(header + `<row r="2"><c r="A2"><v>45000</v></c></row>`)}},
	"no sheets":                     {sheets: nil},
	"no workbook part":              {sheets: []string{sheet(header)}, parts: map[string]string{"xl/workbook.xml": ""}},
	"no package relationships":      {sheets: []string{sheet(header)}, parts: map[string]string{"_rels/.rels": ""}},
	"no workbook relationships":     {sheets: []string{sheet(header)}, parts: map[string]string{"xl/_rels/workbook.xml.rels": ""}},
	"a missing sheet part":          {sheets: []string{sheet(header)}, parts: map[string]string{"xl/worksheets/sheet1.xml": ""}},
	"a workbook that isn't one":     {sheets: []string{sheet(header)}, parts: map[string]string{"xl/workbook.xml": xmlHead + `<book xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`}},
	"a workbook in no namespace":    {sheets: []string{sheet(header)}, parts: map[string]string{"xl/workbook.xml": `<workbook><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`}},
	"a workbook of bad XML":         {sheets: []string{sheet(header)}, parts: map[string]string{"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>`}},
	"a bad sheetId": {sheets: []string{sheet(header)}, parts: map[string]string{"xl/workbook.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="one" r:id="rId1"/></sheets></workbook>`}},
	"absolute targets and odd prefixes": {sheets: []string{sheet(header + `<row r="2"><c r="A2"><v>46000</v></c></row>`)}, parts: map[string]string{
		"xl/workbook.xml": `<w:workbook xmlns:w="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<w:workbookPr date1904="1"/><w:sheets><w:sheet name="甲" sheetId="1" rel:id="rIdA"/><w:sheet name="乙" sheetId="2" rel:id="rIdB"/><w:sheet name="丙" sheetId="3" rel:id="none"/></w:sheets></w:workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rIdA" Target="/xl/worksheets/sheet1.xml" Type="x"/><Relationship Id="rIdB" Target="worksheets/../worksheets/sheet1.xml" Type="x"/></Relationships>`}},
	"the strict namespaces": {sheets: []string{sheet(header + `<row r="2"><c r="A2"><v>46000</v></c></row>`)}, parts: map[string]string{
		"_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="/xl/workbook.xml"/></Relationships>`,
		"xl/workbook.xml": `<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships">` +
			`<workbookPr date1904="true"/><sheets><sheet name="Strict" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`}},
	"a workbook elsewhere": {sheets: []string{sheet(header)}, parts: map[string]string{
		"_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="book/wb.xml"/></Relationships>`,
		"book/wb.xml": `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<sheets><sheet name="Moved" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"book/_rels/wb.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="x" Target="../xl/worksheets/sheet1.xml"/></Relationships>`,
		"xl/workbook.xml": ""}},
}

func TestXLSXReaderMatchesExcelize(t *testing.T) {
	dir := t.TempDir()
	for name, build := range excelizeCases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".xlsx")
			build(t, path)
			sameAsExcelize(t, path, "")
			f, err := excelize.OpenFile(path)
			must(t, err)
			sheets := f.GetSheetList()
			f.Close()
			for _, s := range sheets[1:] {
				sameAsExcelize(t, path, s)
			}
			sameAsExcelize(t, path, "没有这个表")
		})
	}
	for name, b := range rawCases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name+".xlsx")
			writeRawBook(t, path, b)
			sameAsExcelize(t, path, "")
			for _, s := range b.names {
				if s != "" {
					sameAsExcelize(t, path, s)
				}
			}
		})
	}
}

// The benchmark's register, of a few hundred rows, reads the same.
func TestXLSXReaderMatchesExcelizeOnARegister(t *testing.T) {
	path := filepath.Join(t.TempDir(), "登记簿.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	must(t, err)
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	must(t, sw.SetRow("A1", []any{"2021—2026年涉密文件登记簿"}))
	must(t, sw.SetRow("A2", []any{"序号", "登记日期", "文件资料名称", "制作发文单位", "载体类别", "文号或编号", "密级", "页数或容量",
		"份数", "份号", "使用范围", "保管人", "备注"}))
	for i := range 500 {
		var pages any
		if i%7 != 0 {
			pages = i % 40
		}
		must(t, sw.SetRow("A"+strconv.Itoa(i+3), []any{i + 1, excelize.Cell{StyleID: dateStyle, Value: testDate.AddDate(0, 0, -i)},
			fmt.Sprintf("关于第%d号文件的通知 & <附件>", i), "遂安市委办公室", "纸介质", fmt.Sprintf("遂委发〔2026〕%d号", i),
			"机密★10年", pages, 1 + i%3, fmt.Sprintf("%04d", i), "办公室主任", "王敏", strings.Repeat(" ", i%3)}))
	}
	must(t, sw.Flush())
	saveBook(t, f, path)
	sameAsExcelize(t, path, "")
	tb, err := ReadImportFile(path, "")
	if err != nil || len(tb.Rows) != 500 || tb.HeaderLine != 2 || tb.Rows[0].Cells[1] != "46328" {
		t.Fatalf("%v %+v", err, tb)
	}
}
