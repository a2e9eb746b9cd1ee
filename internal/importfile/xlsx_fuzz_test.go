package importfile

// Fuzzing the reader, and random sheets read as excelize reads them.

import (
	"bytes"
	"encoding/xml"
	"io"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// Any bytes as a sheet: the scanner neither panics nor reads without end;
// the rows keep to the limits.
func FuzzXLSXSheet(f *testing.F) {
	for _, b := range rawCases {
		for _, s := range b.sheets {
			f.Add([]byte(s))
		}
		if b.sst != "" {
			f.Add([]byte(b.sst))
		}
	}
	f.Add([]byte(`<row r="1048576"/><row/><row/>`))
	f.Add([]byte(`<sheetData><row><c r="XFD1"><v>1</v></c></row></sheetData>`))
	f.Add([]byte(`<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>`))
	strs := []string{"零", "一", "二"}
	f.Fuzz(func(t *testing.T, data []byte) {
		const maxCells = 1000
		rows := newXLSXRows(bytes.NewReader(data), "sheet",
			func(int) ([]string, error) { return strs, nil }, maxCells)
		n, cells := 0, 0
		for rows.Next() {
			n++
			c, err := rows.Columns()
			cells += len(c)
			if err != nil {
				break
			}
			if n > xlsxMaxRows+len(data) {
				t.Fatalf("%d rows from %d bytes", n, len(data))
			}
		}
		if cells > maxCells+1 {
			t.Fatalf("%d cells", cells)
		}
		if ss, err := readSharedStrings(bytes.NewReader(data), "sst", 50); err == nil && len(ss) > 50 {
			t.Fatalf("%d shared strings", len(ss))
		}
	})
}

func xmlWellFormed(data []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(data))
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return true
		}
		if err != nil {
			return false
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > xlsxMaxDepth {
				return false
			}
		case xml.EndElement:
			depth--
		}
	}
}

// Well-formed XML as a sheet, with a shared string table, reads as
// excelize read it.
func FuzzXLSXSheetLikeExcelize(f *testing.F) {
	for _, b := range rawCases {
		for _, s := range b.sheets {
			f.Add([]byte(s))
		}
	}
	sst := sstStart + `<si><t>零</t></si><si><r><t>一</t></r></si><si><t>_x0032_</t></si></sst>`
	strs := []string{"零", "一", "2"}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !xmlWellFormed(data) {
			return
		}
		x, err := excelize.OpenReader(bytes.NewReader(rawBookBytes(rawBook{sheets: []string{string(data)}, sst: sst})))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		var want []rawRow
		wantErr := ""
		if xr, err := x.Rows("Sheet1"); err != nil {
			t.Fatal(err)
		} else {
			for line := 1; xr.Next() && line <= 1000; line++ {
				cells, err := xr.Columns(excelize.Options{RawCellValue: true})
				if err != nil {
					wantErr = "line " + strconv.Itoa(line)
					break
				}
				want = append(want, rawRow{line, cells})
			}
			if wantErr == "" && xr.Error() != nil {
				wantErr = "error"
			}
		}
		var got []rawRow
		gotErr := ""
		rows := newXLSXRows(bytes.NewReader(data), "sheet", func(int) ([]string, error) { return strs, nil }, 1<<20)
		for line := 1; rows.Next() && line <= 1000; line++ {
			cells, err := rows.Columns()
			if err != nil {
				gotErr = "line " + strconv.Itoa(line)
				break
			}
			got = append(got, rawRow{line, cells})
		}
		if gotErr == "" && rows.Error() != nil {
			gotErr = "error"
		}
		if gotErr != wantErr || len(got) != len(want) {
			t.Fatalf("%d rows to %q (%v), excelize %d to %q", len(got), gotErr, rows.Error(), len(want), wantErr)
		}
		for i := range got {
			if got[i].line != want[i].line || !slices.Equal(got[i].cells, want[i].cells) {
				t.Fatalf("row %d: %q, excelize %q", want[i].line, got[i].cells, want[i].cells)
			}
		}
	})
}

// randomSheet is a sheet of random rows and cells in the constructs the
// reader must read as excelize did: row numbers missing, repeated, going
// back or skipping; cells with and without references, of every type, with
// formulas, rich text, phonetic runs, escapes and comments.
func randomSheet(rnd *rand.Rand) string {
	pick := func(xs ...string) string { return xs[rnd.IntN(len(xs))] }
	text := func() string {
		var b strings.Builder
		for range rnd.IntN(4) {
			b.WriteString(pick("登记", "a", " ", "  x  ", "&amp;", "&lt;&gt;", "&#x4E2D;", "&#20013;", "_x0041_", "_x005F_x0041_",
				"_xD800_", "<![CDATA[c&d]]>", "<!--note-->", "\n", "\r\n", "\t", "&quot;'", "123", "0", "_x00", "41_"))
		}
		return b.String()
	}
	var b strings.Builder
	b.WriteString(sheetStart)
	row := 0
	for range rnd.IntN(12) {
		switch rnd.IntN(10) {
		case 0:
			b.WriteString("<row>")
		case 1:
			b.WriteString(`<row r="` + strconv.Itoa(max(row-rnd.IntN(3), 0)) + `">`)
		case 2:
			b.WriteString(`<row spans="1:3"/>`)
			continue
		default:
			row += 1 + rnd.IntN(3)
			b.WriteString(`<row r="` + strconv.Itoa(row) + `">`)
		}
		col := 0
		for range rnd.IntN(7) {
			b.WriteString("<c")
			switch rnd.IntN(6) {
			case 0:
			case 1:
				b.WriteString(` r="` + pick("A", "B", "$C$", "d", "AA", "XFD") + strconv.Itoa(max(row, 1)) + `"`)
			default:
				col += 1 + rnd.IntN(3)
				name, _ := excelize.ColumnNumberToName(col)
				b.WriteString(` r="` + name + strconv.Itoa(max(row, 1)) + `"`)
			}
			if rnd.IntN(3) == 0 {
				b.WriteString(` s="` + pick("0", "1", "12") + `"`)
			}
			typ := pick("", "s", "s", "inlineStr", "inlineStr", "str", "b", "e", "n", "d", "x")
			if typ != "" {
				b.WriteString(` t="` + typ + `"`)
			}
			if rnd.IntN(8) == 0 {
				b.WriteString("/>")
				continue
			}
			b.WriteString(">")
			for range rnd.IntN(3) {
				switch rnd.IntN(7) {
				case 0:
					b.WriteString("<f>" + pick("1+1", "A1&amp;B1", "") + "</f>")
				case 1:
					b.WriteString("<f/>")
				case 2, 3:
					v := text()
					if typ == "s" {
						v = pick("0", "1", "2", " 1 ", "3", "x", "", "-1")
					}
					b.WriteString("<v>" + v + "</v>")
				case 4:
					b.WriteString("<is>")
					for range rnd.IntN(4) {
						switch rnd.IntN(4) {
						case 0:
							b.WriteString("<t>" + text() + "</t>")
						case 1:
							b.WriteString(`<r><rPr><b/></rPr><t xml:space="preserve">` + text() + "</t></r>")
						case 2:
							b.WriteString(`<rPh sb="0" eb="1"><t>` + text() + "</t></rPh>")
						default:
							b.WriteString("<r/>")
						}
					}
					b.WriteString("</is>")
				case 5:
					b.WriteString("<extLst><v>" + text() + "</v></extLst>")
				default:
					b.WriteString("<!-- c -->")
				}
			}
			b.WriteString("</c>")
		}
		b.WriteString("</row>")
	}
	b.WriteString(sheetEnd)
	return b.String()
}

func TestXLSXReaderMatchesExcelizeOnRandomSheets(t *testing.T) {
	rnd := rand.New(rand.NewPCG(20261102, 1))
	sst := sstStart + `<si><t>零</t></si><si><r><t>一</t></r><rPh><t>yi</t></rPh></si><si><t>_x0032_ </t></si></sst>`
	dir := t.TempDir()
	n := 400
	if testing.Short() {
		n = 50
	}
	for i := range n {
		path := filepath.Join(dir, "random"+strconv.Itoa(i)+".xlsx")
		xmlText := randomSheet(rnd)
		if !xmlWellFormed([]byte(xmlText)) {
			t.Fatalf("not well-formed: %s", xmlText)
		}
		writeRawBook(t, path, rawBook{sheets: []string{xmlText}, sst: sst})
		sameAsExcelize(t, path, "")
		if t.Failed() {
			t.Fatalf("sheet %d:\n%s", i, xmlText)
		}
	}
}
