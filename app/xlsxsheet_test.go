package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Text a cell could hold, written by sheetWriter and read back by the
// import's reader and by excelize, comes back as it was: escapes, blanks at
// the ends, control characters (as Excel writes them, _xHHHH_), a literal
// _xHHHH_, characters past the BMP; text longer than a cell holds is cut at
// Excel's limit, and bytes that are not UTF-8 read as U+FFFD.
func TestSheetWriter_TextComesBackAsItWas(t *testing.T) {
	cols := []exportColumn{{title: "甲", width: 10, text: true}, {title: "乙&<>\"", width: 20}, {title: "丙", width: 8}}
	same := []string{
		"普通文字", "a & b < c > d \" e ' f", "  前后空格  ", "\t制表\t", "换\n行", "回车\r换行\r\n",
		"控制\x01\x1f字符", "字面 _x0041_ 与 _x005F_ 与 _x", "𠀀𪚥 表外字", "000001", "=1+1", "<c r=\"A1\">",
	}
	long := strings.Repeat("长", maxCellChars+10)
	var buf bytes.Buffer
	sw, err := newSheetWriter(&buf, cols)
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.newSheet("登记簿"); err != nil {
		t.Fatal(err)
	}
	for i, s := range same {
		if err := sw.row([]any{s, s, i}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.row([]any{long, "坏\xff字节", nil}); err != nil {
		t.Fatal(err)
	}
	if err := sw.row([]any{3.5}); err == nil {
		t.Fatal("a cell of a type the export does not write")
	}
	if err := sw.newSheet("登记簿（2）"); err != nil {
		t.Fatal(err)
	}
	if err := sw.row([]any{"第二页", "", 7}); err != nil {
		t.Fatal(err)
	}
	if err := sw.close(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "x.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if sh := x.GetSheetList(); strings.Join(sh, "|") != "登记簿|登记簿（2）" {
		t.Fatalf("sheets %v", sh)
	}
	rows, err := x.GetRows("登记簿", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], "|") != "甲|乙&<>\"|丙" {
		t.Fatalf("header %q", rows[0])
	}
	for i, s := range same {
		r := rows[i+1]
		if len(r) != 3 || r[0] != s || r[1] != s || r[2] != strconv.Itoa(i) {
			t.Errorf("excelize row %d: %q, want %q", i+2, r, s)
		}
	}
	last := rows[len(same)+1]
	if len([]rune(last[0])) != maxCellChars || last[1] != "坏\uFFFD字节" {
		t.Errorf("long and bad text: %d characters, %q", len([]rune(last[0])), last[1])
	}
	if typ, _ := x.GetCellType("登记簿", "C2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("a number cell: %v", typ)
	}
	// The header bold and frozen, the text column in Excel's text format.
	st, _ := x.GetCellStyle("登记簿", "B1")
	if style, err := x.GetStyle(st); err != nil || style.Font == nil || !style.Font.Bold {
		t.Errorf("header style %+v %v", style, err)
	}
	st, _ = x.GetCellStyle("登记簿", "A2")
	if style, err := x.GetStyle(st); err != nil || style.NumFmt != 49 {
		t.Errorf("text column style %+v %v", style, err)
	}
	if p, err := x.GetPanes("登记簿"); err != nil || !p.Freeze || p.YSplit != 1 {
		t.Errorf("panes %+v %v", p, err)
	}
	if w, _ := x.GetColWidth("登记簿", "B"); w != 20 {
		t.Errorf("width %v", w)
	}
	second, _ := x.GetRows("登记簿（2）")
	if len(second) != 2 || second[0][0] != "甲" || second[1][0] != "第二页" || second[1][2] != "7" {
		t.Errorf("second sheet %q", second)
	}

	// The import reads the same text back (less the blanks at its ends,
	// which it trims).
	tb, err := ReadImportFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range same {
		s = strings.TrimSpace(s)
		if c := tb.Rows[i].Cells; c[0] != s || c[1] != s {
			t.Errorf("import row %d: %q, want %q", i+2, c, s)
		}
	}
}
