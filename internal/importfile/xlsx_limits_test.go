package importfile

// The reader past the import's limits, on damaged parts, and its speed.

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// A sheet and a shared string table of more than 16 MB are read without a
// file in the temporary folder, where excelize unpacks them.
func TestXLSXReaderWritesNoTempFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and reads 40 MB")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("TMP", tmp)
	t.Setenv("TEMP", tmp)
	if os.TempDir() != tmp {
		t.Fatalf("temp dir %s", os.TempDir())
	}
	path := filepath.Join(t.TempDir(), "big.xlsx")
	const n = 180_000
	var sheetXML, sstXML strings.Builder
	sheetXML.WriteString(sheetStart + header)
	sstXML.WriteString(sstStart)
	for i := range n {
		r := strconv.Itoa(i + 2)
		fmt.Fprintf(&sstXML, "<si><t>关于第%d号文件的通知（共享字符串，较长的一段文字以超过十六兆字节）</t></si>", i)
		sheetXML.WriteString(`<row r="` + r + `"><c r="A` + r + `"><v>46000</v></c><c r="B` + r + `" t="s"><v>` + strconv.Itoa(i) +
			`</v></c><c r="C` + r + `" t="inlineStr"><is><t>机密</t></is></c><c r="D` + r + `" t="inlineStr"><is><t>第` + r + `行的备注文字</t></is></c></row>`)
	}
	sheetXML.WriteString(sheetEnd)
	sstXML.WriteString("</sst>")
	if sheetXML.Len() <= 16<<20 || sstXML.Len() <= 16<<20 {
		t.Fatalf("sheet %d, shared strings %d bytes: not over 16 MB", sheetXML.Len(), sstXML.Len())
	}
	writeRawBook(t, path, rawBook{sheets: []string{sheetXML.String()}, sst: sstXML.String()})

	tempFiles := func() []string {
		t.Helper()
		es, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range es {
			names = append(names, e.Name())
		}
		return names
	}
	// excelize leaves the sheet in the temporary folder while it reads it
	// (and both parts once it has read a shared string): what this test
	// would see of it.
	x, err := excelize.OpenFile(path, excelize.Options{UnzipSizeLimit: MaxImportUnpacked, UnzipXMLSizeLimit: excelize.StreamChunkSize})
	must(t, err)
	if got := tempFiles(); len(got) == 0 || !strings.HasPrefix(got[0], "excelize-") {
		t.Errorf("excelize's temporary files: %q", got)
	}
	x.Close()
	for _, f := range tempFiles() {
		os.Remove(filepath.Join(tmp, f))
	}

	// The new reader, in the middle of the sheet and at the end.
	b, err := openXLSX(path)
	must(t, err)
	rows, err := b.rows("Sheet1", MaxImportCells)
	must(t, err)
	for i := 0; i < n/2 && rows.Next(); i++ {
		if _, err := rows.Columns(); err != nil {
			t.Fatal(err)
		}
	}
	if got := tempFiles(); len(got) != 0 {
		t.Errorf("files in the temporary folder while reading: %q", got)
	}
	rows.Close()
	b.Close()
	tb, err := ReadImportFile(path, "")
	if err != nil || len(tb.Rows) != n {
		t.Fatalf("%v, %d rows", err, len(tb.Rows))
	}
	if got := tempFiles(); len(got) != 0 {
		t.Errorf("files in the temporary folder: %q", got)
	}
	if c := tb.Rows[n-1].Cells; c[1] != fmt.Sprintf("关于第%d号文件的通知（共享字符串，较长的一段文字以超过十六兆字节）", n-1) || c[3] != "第"+strconv.Itoa(n+1)+"行的备注文字" {
		t.Errorf("last row %q", c)
	}
	// What excelize read from its temporary files is what the reader reads.
	want, err := excelizeReadImportFile(path, "")
	if err != nil || !reflect.DeepEqual(tb, want) {
		t.Errorf("excelize read %v", err)
	}
}

// A row, or a shared string table, past the import's cell limit stops
// the reading, with the message the cell limit has.
func TestXLSXReaderLimits(t *testing.T) {
	dir := t.TempDir()
	t.Cleanup(func() { MaxImportCells = 5_000_000 })
	MaxImportCells = 100

	wide := filepath.Join(dir, "wide.xlsx")
	var row strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&row, `<c><v>%d</v></c>`, i)
	}
	writeRawBook(t, wide, rawBook{sheets: []string{sheet(header + `<row r="2">` + row.String() + `</row>`)}})
	sameTableAsExcelize(t, wide, "")
	_, err := ReadImportFile(wide, "")
	var fe *ImportFileError
	if !errors.As(err, &fe) || !strings.Contains(fe.Msg, "读到第 2 行时已超过 100 个单元格") {
		t.Fatalf("%v", err)
	}

	// A cell far to the right, after many empty ones, is not filled out.
	far := filepath.Join(dir, "far.xlsx")
	writeRawBook(t, far, rawBook{sheets: []string{sheet(header + `<row r="2">` + strings.Repeat(`<c/>`, 100_000) + `<c><v>far</v></c></row>`)}})
	b, err := openXLSX(far)
	must(t, err)
	rows, err := b.rows("Sheet1", 100)
	must(t, err)
	rows.Next()
	rows.Columns()
	rows.Next()
	if cells, err := rows.Columns(); err != nil || len(cells) != 101-3 {
		t.Errorf("%d cells, %v", len(cells), err)
	}
	if rows.Next() || rows.Error() != errXLSXRowCut {
		t.Errorf("read on after the cut: %v", rows.Error())
	}
	b.Close()
	if _, err := ReadImportFile(far, ""); !errors.As(err, &fe) || !strings.Contains(fe.Msg, "读到第 2 行时已超过 100 个单元格") {
		t.Errorf("%v", err)
	}

	many := filepath.Join(dir, "many.xlsx")
	writeRawBook(t, many, rawBook{sst: sstStart + strings.Repeat(`<si><t>x</t></si>`, 101) + `</sst>`,
		sheets: []string{sheet(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)}})
	if _, err := ReadImportFile(many, ""); !errors.As(err, &fe) || !strings.Contains(fe.Msg, "共享字符串表超过 100 项") {
		t.Errorf("%v", err)
	}
	writeRawBook(t, many, rawBook{sst: sstStart + strings.Repeat(`<si><t>x</t></si>`, 100) + `</sst>`,
		sheets: []string{sheet(`<row r="1"><c r="A1" t="s"><v>0</v></c></row>`)}})
	if _, err := ReadImportFile(many, ""); err != nil {
		t.Errorf("%v", err)
	}
}

// Damaged and malformed parts: excelize stopped silently at XML it could
// not parse, and ignored a wrong checksum; the reader refuses both.
func TestXLSXReaderRefusesDamage(t *testing.T) {
	dir := t.TempDir()
	var fe *ImportFileError
	for name, xmlText := range map[string]string{
		"unclosed":        sheetStart + header + `<row r="2"><c r="A2"><v>1</v>`,
		"mismatched":      sheetStart + header + `<row r="2"><c r="A2"><v>1</c></v></row>` + sheetEnd,
		"bad entity":      sheet(header + `<row r="2"><c r="A2"><v>&nbsp;</v></c></row>`),
		"bad utf-8":       sheet(header + `<row r="2"><c r="A2" t="inlineStr"><is><t>` + "\xff\xfe" + `</t></is></c></row>`),
		"control char":    sheet(header + `<row r="2"><c r="A2" t="inlineStr"><is><t>` + "\x01" + `</t></is></c></row>`),
		"char ref 0":      sheet(header + `<row r="2"><c r="A2"><v>&#0;</v></c></row>`),
		"unquoted attr":   sheet(header + `<row r=2><c r="A2"><v>1</v></c></row>`),
		"gbk declared":    `<?xml version="1.0" encoding="GBK"?>` + sheet(header)[len(xmlHead):],
		"too deep":        sheet(header + `<row r="2"><c r="A2">` + strings.Repeat("<x>", 300) + strings.Repeat("</x>", 300) + `</c></row>`),
		"lt in attribute": sheet(header + `<row r="2"><c r="A<2"><v>1</v></c></row>`),
	} {
		path := filepath.Join(dir, name+".xlsx")
		writeRawBook(t, path, rawBook{sheets: []string{xmlText}})
		_, err := ReadImportFile(path, "")
		if !errors.As(err, &fe) || !strings.HasPrefix(fe.Msg, "读不了工作表“Sheet1”") {
			t.Errorf("%s: %v", name, err)
		}
	}

	// A part whose bytes don't match its checksum, or that unpacks to more
	// than declared, is a damaged file.
	good := filepath.Join(dir, "good.xlsx")
	writeRawBook(t, good, rawBook{sheets: []string{sheet(header + `<row r="2"><c r="A2"><v>46000</v></c></row>`)}})
	for _, damage := range []string{"checksum", "size"} {
		path := filepath.Join(dir, damage+".xlsx")
		rewriteZip(t, good, path, func(h *zip.FileHeader, data []byte) []byte {
			if h.Name == "xl/worksheets/sheet1.xml" {
				if damage == "checksum" {
					h.CRC32++
				} else {
					h.UncompressedSize64 -= 10
				}
			}
			return data
		})
		_, err := ReadImportFile(path, "")
		if !errors.As(err, &fe) || fe.Msg != notExcel(damage+".xlsx") {
			t.Errorf("%s: %v", damage, err)
		}
	}
	// So is one packed by a method archive/zip can't unpack.
	path := filepath.Join(dir, "method.xlsx")
	rewriteZip(t, good, path, func(h *zip.FileHeader, data []byte) []byte {
		if h.Name == "xl/styles.xml" || h.Name == "docProps/app.xml" || h.Name == "[Content_Types].xml" {
			h.Method = 14 // LZMA
		}
		return data
	})
	_, err := ReadImportFile(path, "")
	if !errors.As(err, &fe) || fe.Msg != notExcel("method.xlsx") {
		t.Errorf("method: %v", err)
	}
	if _, err := excelizeReadImportFile(path, ""); !errors.As(err, &fe) || fe.Msg != notExcel("method.xlsx") {
		t.Errorf("excelize, method: %v", err)
	}
}

// rewriteZip copies the zip at from to to, each entry's header and
// compressed bytes through edit.
func rewriteZip(t *testing.T, from, to string, edit func(h *zip.FileHeader, raw []byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(from)
	must(t, err)
	defer zr.Close()
	out, err := os.Create(to)
	must(t, err)
	defer out.Close()
	zw := zip.NewWriter(out)
	for _, f := range zr.File {
		r, err := f.OpenRaw()
		must(t, err)
		raw, err := io.ReadAll(r)
		must(t, err)
		h := f.FileHeader
		raw = edit(&h, raw)
		w, err := zw.CreateRaw(&h)
		must(t, err)
		w.Write(raw)
	}
	must(t, zw.Close())
}

func TestUnescapeXLSX(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                "plain",
		"_x0041_":              "A",
		"_x005F_x0041_":        "_x0041_",
		"_x005f_":              "_",
		"a_x000D_b":            "a\rb",
		"_xD800_x":             "x",
		"_x0041":               "_x0041",
		"_X0041_":              "_X0041_",
		"_x00G1_":              "_x00G1_",
		"__x0041__":            "_A_",
		"_x4E2D__x6587_":       "中文",
		"_x0000_":              "\x00",
		"x_x005F__x005F_x0041": "x__x0041",
	} {
		if got := string(unescapeXLSX(nil, []byte(in))); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// The scanner's text is encoding/xml's, or both refuse it.
func TestXMLTextLikeEncodingXML(t *testing.T) {
	for _, text := range []string{
		"", "plain", "&lt;&gt;&amp;&apos;&quot;", "&#65;&#x41;&#x4E2D;&#0065;", "a\r\nb\rc\n", "]]>", "]]&gt;", "] ]>",
		"&#xD800;", "&#x110000;", "&#0;", "&#9;&#10;&#13;", "&#x;", "&#;", "&;", "&lt", "&lt x;", "&nbsp;", "&#X41;",
		"\xff", "\xef\xbf\xbe", "\x01", "\t\n", "<![CDATA[a<b]]>", "<![CDATA[a\r\nb]]>", "a<!--c-->b", "a<?x y?>b",
		"a<b>c</b>d", "a<b/>d", "&#1114111;", "&#x10FFFF;", "&#xFFFE;", "中文\u00a0", "&amp;amp;",
	} {
		doc := "<v>" + text + "</v>"
		var want string
		wantErr := xml.NewDecoder(strings.NewReader(doc)).Decode(&want)
		s := newXMLScanner(strings.NewReader(doc), "t")
		var got []byte
		ok := s.next() == tokStart
		if ok {
			got, ok = s.readText(nil)
		}
		if ok != (wantErr == nil) || ok && string(got) != want {
			t.Errorf("%q: %q %v, encoding/xml %q %v", text, got, s.err, want, wantErr)
		}
	}
}

// BenchmarkReadXLSX reads a register of 20,000 rows written as the app's
// import benchmark writes it, with the reader and with excelize.
//
//	CGO_ENABLED=0 go test ./internal/importfile -run '^$' -bench ReadXLSX
func BenchmarkReadXLSX(b *testing.B) {
	path := filepath.Join(b.TempDir(), "登记簿.xlsx")
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	sw.SetRow("A1", []any{"2021—2026年涉密文件登记簿"})
	sw.SetRow("A2", []any{"序号", "登记日期", "文件资料名称", "制作发文单位", "载体类别", "文号或编号", "密级", "页数或容量",
		"份数", "份号", "使用范围", "保管人", "备注", "文种", "缓急", "存放位置", "收发类别"})
	for i := range 20_000 {
		sw.SetRow("A"+strconv.Itoa(i+3), []any{i + 1, excelize.Cell{StyleID: dateStyle, Value: testDate.AddDate(0, 0, -i%3000)},
			fmt.Sprintf("关于做好第%d季度保密工作检查的通知", i), "遂安市委办公室", "纸介质", fmt.Sprintf("遂委发〔2026〕%d号", i),
			"机密★10年", 1 + i%40, 1 + i%3, fmt.Sprintf("%04d", i), "办公室主任", "王敏", "", "通知", "", "机要室", "收文"})
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	f.Close()
	for _, r := range []struct {
		name string
		read func(string, string) (*ImportTable, error)
	}{{"reader", ReadImportFile}, {"excelize", excelizeReadImportFile}} {
		b.Run(r.name, func(b *testing.B) {
			for b.Loop() {
				if tb, err := r.read(path, ""); err != nil || len(tb.Rows) != 20_000 {
					b.Fatal(err)
				}
			}
		})
	}
}

// xmlWellFormed is whether encoding/xml reads all of data without an error,
// nesting no deeper than the scanner allows.
