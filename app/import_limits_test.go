package app

// Bad input to the import: CSV bytes of no encoding, zip bombs, sheets past
// the cell and row limits, and cells of megabytes quoted back.

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"secdoc/internal/importfile"
	"secdoc/models"
)

// importFileError reads path and returns the *ImportFileError it is refused with.
func importFileError(t *testing.T, path string) *ImportFileError {
	t.Helper()
	tb, err := ReadImportFile(path, "")
	var fe *ImportFileError
	if !errors.As(err, &fe) {
		t.Fatalf("%s read: %+v, %v; want an *ImportFileError", filepath.Base(path), tb, err)
	}
	return fe
}

// wantAll fails unless msg says every one of parts.
func wantAll(t *testing.T, msg string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(msg, p) {
			t.Errorf("message %q does not say %q", msg, p)
		}
	}
}

// brokenCSVText is a register with a title row: line 1 the title, line 2
// the header (4 named columns and one unnamed), lines 3 to 5 rows. Each @
// is where a test puts bytes.
const brokenCSVText = "2026年涉密文件登记簿@T\r\n" +
	"登记日期,文件资料名称,密级,保管人,@H\r\n" +
	"2026-11-02,关于“保密”的通知,机密,王敏,\r\n" +
	"2026-11-03,关于值班@A的通知,秘密,王敏,附@E\r\n" +
	"2026-11-04,\"关于多行\r\n的通知@Q\",秘密,王敏,\r\n"

// brokenCSV is brokenCSVText in GBK with the marker at the bytes given
// (and the other markers taken out).
func brokenCSV(t *testing.T, marker, with string) []byte {
	t.Helper()
	text := brokenCSVText
	for _, m := range []string{"@T", "@H", "@A", "@E", "@Q"} {
		if m != marker {
			text = strings.ReplaceAll(text, m, "")
		}
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.Replace(gbk, marker, with, 1))
}

func TestReadImportFile_CSVUndecodableBytesRefusedNamingRowAndColumn(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, marker, bytes string
		want                []string
	}{
		// A lone 0xFF, a lead byte cut off by the separator, a four-byte
		// sequence cut short: in GBK cells, under a header, in an unnamed
		// column, in a cell over two lines, in the title and the header.
		{"ff in 题名", "@A", "\xff", []string{"第 4 行“文件资料名称”列"}},
		{"cut lead byte", "@A", "\xb9", []string{"第 4 行“文件资料名称”列"}},
		{"cut four-byte", "@A", "\x81\x30\x81", []string{"第 4 行“文件资料名称”列"}},
		{"unnamed column", "@E", "\x80\xff", []string{"第 4 行第 5 列"}},
		{"cell over two lines", "@Q", "\xfe\x20", []string{"第 5 行“文件资料名称”列"}},
		{"title row", "@T", "\xff", []string{"第 1 行第 1 列"}},
		{"header row", "@H", "\xff", []string{"第 2 行第 5 列"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".csv")
			if err := os.WriteFile(path, brokenCSV(t, c.marker, c.bytes), 0o600); err != nil {
				t.Fatal(err)
			}
			fe := importFileError(t, path)
			wantAll(t, fe.Msg, append(c.want, filepath.Base(path), "无法识别的字节", "UTF-8 或 GBK/GB18030",
				"另存为“CSV UTF-8”")...)
		})
	}

	// UTF-8 with a broken byte, with and without its byte-order mark, and
	// UTF-16 with an unpaired surrogate: refused too, not read as GB18030.
	utf := strings.NewReplacer("@A", "", "@T", "", "@H", "", "@Q", "", "@E", "").Replace(brokenCSVText)
	broken := strings.Replace(utf, "关于值班", "关于值\xe7\x8f班", 1) // 班 cut to two of its three bytes, then 班
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(strings.Replace(utf, "值班", "值@班", 1))
	if err != nil {
		t.Fatal(err)
	}
	at := strings.Index(u16, "@\x00")
	if at < 0 || at%2 != 0 {
		t.Fatalf("@ at %d in UTF-16", at)
	}
	u16 = u16[:at] + "\x00\xd8" + u16[at+2:] // a high surrogate alone
	for name, data := range map[string]string{"utf8.csv": broken, "utf8-bom.csv": "\ufeff" + broken, "utf16.txt": u16} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			os.WriteFile(path, []byte(data), 0o600)
			wantAll(t, importFileError(t, path).Msg, "第 4 行“文件资料名称”列有无法识别的字节")
		})
	}

	// U+FFFD itself, written in GB18030, is a character like any other.
	t.Run("literal U+FFFD", func(t *testing.T) {
		text := strings.NewReplacer("@A", "\ufffd", "@T", "", "@H", "", "@Q", "", "@E", "").Replace(brokenCSVText)
		b, err := simplifiedchinese.GB18030.NewEncoder().String(text)
		if err != nil {
			t.Fatal(err)
		}
		const literal = "\x84\x31\xa4\x37" // U+FFFD in GB18030
		if !strings.Contains(b, literal) {
			t.Fatalf("U+FFFD is not %x in GB18030", literal)
		}
		path := filepath.Join(dir, "literal.csv")
		os.WriteFile(path, []byte(b), 0o600)
		tb, err := ReadImportFile(path, "")
		if err != nil || tb.Encoding != "GB18030" || len(tb.Rows) != 3 || tb.Rows[1].Cells[1] != "关于值班\ufffd的通知" {
			t.Fatalf("%+v %v", tb, err)
		}
	})
}

func TestImport_CSVUndecodableBytesImportsNothing(t *testing.T) {
	s := newService(t)
	before := countAll(t, s)
	path := filepath.Join(t.TempDir(), "登记簿.csv")
	os.WriteFile(path, brokenCSV(t, "@A", "\xff"), 0o600)
	tb, err := ReadImportFile(path, "")
	var fe *ImportFileError
	if !errors.As(err, &fe) || tb != nil {
		t.Fatalf("read: %+v %v", tb, err)
	}
	wantAll(t, fe.Msg, "第 4 行“文件资料名称”列")
	if countAll(t, s) != before {
		t.Fatal("carriers written")
	}
	// The same file with the byte mended reads, and its rows import.
	os.WriteFile(path, brokenCSV(t, "@A", ""), 0o600)
	if tb, err = ReadImportFile(path, ""); err != nil || tb.Encoding != "GB18030" || len(tb.Rows) != 3 {
		t.Fatalf("mended: %+v %v", tb, err)
	}
	m, _ := ApplyDefaultsSpec(GuessMapping(tb.Header), "来文单位=遂安市委办公室")
	if rep, err := s.Import(clerk(t, s), tb, m, nil); err != nil || rep.Carriers != 3 {
		t.Fatalf("import: %+v %v", rep, err)
	}
}

// writeBomb writes an .xlsx whose sheet is size bytes of one letter
// repeated, deflated to about a thousandth of that: a zip bomb. It is built
// from one compressed MiB repeated, so that it takes no time to make.
func writeBomb(t *testing.T, path string, mib int) {
	t.Helper()
	chunk := bytes.Repeat([]byte{'A'}, 1<<20)
	var part, tail bytes.Buffer
	w, _ := flate.NewWriter(&part, flate.BestCompression)
	w.Write(chunk)
	w.Flush() // ends byte-aligned: the same blocks may follow again
	n := part.Len()
	w.Close()
	tail.Write(part.Bytes()[n:])
	part.Truncate(n)
	crc := uint32(0)
	for i := 0; i < mib; i++ {
		crc = crc32.Update(crc, crc32.IEEETable, chunk)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z := zip.NewWriter(f)
	ct, _ := z.Create("[Content_Types].xml")
	ct.Write([]byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`))
	raw, err := z.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(mib*part.Len() + tail.Len()), UncompressedSize64: uint64(mib) << 20})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < mib; i++ {
		raw.Write(part.Bytes())
	}
	raw.Write(tail.Bytes())
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestReadImportFile_ZipBombRefusedBeforeReading(t *testing.T) {
	dir := t.TempDir()
	// 600 MiB in a file of well under 1 MB, past importfile.MaxImportUnpacked.
	bomb := filepath.Join(dir, "登记簿.xlsx")
	writeBomb(t, bomb, 600)
	if fi, _ := os.Stat(bomb); fi.Size() > 1<<20 {
		t.Fatalf("bomb of %d bytes", fi.Size())
	}
	// It is a real one: it unpacks to what it says.
	if z, err := zip.OpenReader(bomb); err != nil {
		t.Fatal(err)
	} else {
		r, err := z.File[1].Open()
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 3<<20)
		if n, err := r.Read(buf); n == 0 || err != nil || buf[n-1] != 'A' {
			t.Fatalf("bomb reads %d %v", n, err)
		}
		r.Close()
		z.Close()
	}
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	start := time.Now()
	fe := importFileError(t, bomb)
	took := time.Since(start)
	runtime.ReadMemStats(&m1)
	wantAll(t, fe.Msg, "“登记簿.xlsx”解压后有 600 MB", "超过导入的上限 512 MB", "压缩炸弹", "没有读取")
	if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 16<<20 || took > 2*time.Second {
		t.Errorf("refusing the bomb allocated %d bytes in %v", alloc, took)
	}

	// 64 MiB is under the limit, but compressed a thousand to one.
	small := filepath.Join(dir, "small.xlsx")
	writeBomb(t, small, 64)
	runtime.ReadMemStats(&m0)
	wantAll(t, importFileError(t, small).Msg, "“xl/worksheets/sheet1.xml”压缩了", "超过导入的上限 100 倍", "压缩炸弹")
	runtime.ReadMemStats(&m1)
	if alloc := m1.TotalAlloc - m0.TotalAlloc; alloc > 16<<20 {
		t.Errorf("refusing the small bomb allocated %d bytes", alloc)
	}

	// A real register within the limits reads; with the limit lowered
	// below what it unpacks to, it is refused the same way.
	good := badRegister(t, dir)
	if _, err := ReadImportFile(good, ""); err != nil {
		t.Fatal(err)
	}
	importfile.MaxImportUnpacked = 4 << 10
	t.Cleanup(func() { importfile.MaxImportUnpacked = 512 << 20 })
	wantAll(t, importFileError(t, good).Msg, "超过导入的上限 4 KB")
	// So is a CSV file larger than it.
	csvPath := filepath.Join(dir, "big.csv")
	os.WriteFile(csvPath, []byte("题名,密级\n"+strings.Repeat("关于某事的通知,机密\n", 400)), 0o600)
	wantAll(t, importFileError(t, csvPath).Msg, "“big.csv”有 ", "超过一次导入的上限 4 KB")
}

// gridRows is a register of n rows of 5 cells under a header.
func gridRows(n int) [][]any {
	rows := [][]any{{"登记日期", "题名", "密级", "责任人", "备注"}}
	for i := 1; i <= n; i++ {
		rows = append(rows, []any{"2026-11-02", fmt.Sprintf("关于第%d件事的通知", i), "机密", "王敏", "无"})
	}
	return rows
}

func TestReadImportFile_CellAndRowLimitsStopTheReading(t *testing.T) {
	dir := t.TempDir()
	xlsx := filepath.Join(dir, "grid.xlsx")
	writeXLSX(t, xlsx, gridRows(30)) // 155 cells, 30 data rows
	var csvText strings.Builder
	for _, r := range gridRows(30) {
		for i, c := range r {
			if i > 0 {
				csvText.WriteByte(',')
			}
			fmt.Fprint(&csvText, c)
		}
		csvText.WriteString("\n")
	}
	csvPath := filepath.Join(dir, "grid.csv")
	os.WriteFile(csvPath, []byte(csvText.String()), 0o600)
	for _, p := range []string{xlsx, csvPath} {
		if tb, err := ReadImportFile(p, ""); err != nil || len(tb.Rows) != 30 {
			t.Fatalf("%s: %+v %v", p, tb, err)
		}
	}
	t.Cleanup(func() { importfile.MaxImportCells, importfile.MaxImportRows = 5_000_000, 300_000 })

	// 50 cells: the 11th row brings the count to 55.
	importfile.MaxImportCells = 50
	wantAll(t, importFileError(t, xlsx).Msg, "“grid.xlsx”的工作表“Sheet1”读到第 11 行时已超过 50 个单元格",
		"超出一次导入的上限", "分成几个文件")
	wantAll(t, importFileError(t, csvPath).Msg, "“grid.csv”读到第 11 行时已超过 50 个单元格")
	importfile.MaxImportCells = 5_000_000

	// 20 data rows: the 21st, on line 22, is one too many.
	importfile.MaxImportRows = 20
	wantAll(t, importFileError(t, xlsx).Msg, "“grid.xlsx”的工作表“Sheet1”的数据超过 20 行（读到第 22 行）")
	wantAll(t, importFileError(t, csvPath).Msg, "“grid.csv”的数据超过 20 行")
	importfile.MaxImportRows = 30
	if _, err := ReadImportFile(xlsx, ""); err != nil {
		t.Fatalf("exactly at the limit: %v", err)
	}
}

func TestClipCell(t *testing.T) {
	forty := strings.Repeat("密", 40)
	for in, want := range map[string]string{
		"":                         "",
		"机密":                       "机密",
		forty:                      forty,
		forty + "级":                forty + "…（共 41 字）",
		strings.Repeat("a1", 1000): strings.Repeat("a1", 20) + "…（共 2000 字）",
	} {
		if got := ClipCell(in); got != want {
			t.Errorf("ClipCell(%d runes) = %q, want %q", utf8.RuneCountInString(in), got, want)
		}
	}
}

func TestImportDryRun_CellsOfMegabytesQuotedCutShort(t *testing.T) {
	s := newService(t)
	const size = 10 << 20
	title := strings.Repeat("题", size/3)       // too long a 题名: the form checks say so without quoting it
	pages := strings.Repeat("7", size)         // not a number: the form checks quote it
	level := strings.Repeat("绝", size/3) + "密" // no 密级: the import's own message quotes it
	docNo := "遂委办〔2026〕" + strings.Repeat("9", size) + "号"
	path := filepath.Join(t.TempDir(), "huge.csv")
	csvText := "登记日期,文件资料名称,制作发文单位,文号或编号,密级,页数或容量,保管人\n" +
		"2026-11-02," + title + ",遂安市委办公室," + docNo + "," + level + "," + pages + ",王敏\n" +
		"2026-11-03,关于值班的通知,遂安市委办公室,遂委办〔2026〕1号,机密,3,王敏\n"
	os.WriteFile(path, []byte(csvText), 0o600)
	tb, err := ReadImportFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	m := GuessMapping(tb.Header)
	rep, err := s.ImportDryRun(clerk(t, s), tb, m)
	if err != nil {
		t.Fatal(err)
	}
	p := map[string]ImportProblem{}
	for _, pr := range rep.Problems {
		if pr.Line != 2 {
			t.Errorf("problem of line %d: %+v", pr.Line, pr)
		}
		if len(pr.Value) > 200 || len(pr.Msg) > 400 {
			t.Errorf("%s: value of %d bytes, message of %d: %.300q", pr.Label, len(pr.Value), len(pr.Msg), pr.Msg)
		}
		p[pr.Field] = pr
	}
	total := func(s string) string { return fmt.Sprintf("…（共 %d 字）", utf8.RuneCountInString(s)) }
	if v := p[models.FieldTitle].Value; v != strings.Repeat("题", 40)+total(title) {
		t.Errorf("题名 value %q", v)
	}
	wantAll(t, p[models.FieldTitle].Msg, "题名最多")
	wantAll(t, p[models.FieldPages].Msg, "页数“"+strings.Repeat("7", 40)+total(pages)+"”不是整数")
	wantAll(t, p[models.FieldLevel].Msg, "密级“"+strings.Repeat("绝", 40)+total(level)+"”无法识别")
	wantAll(t, p[models.FieldLevel].Value, total(level))
	wantAll(t, p[models.FieldDocNumber].Value, "…（共 ")
	if len(p) != 4 {
		t.Errorf("problems: %v", rep.Problems)
	}

	// The refused import writes nothing, and its audit record is short too.
	before := countAll(t, s)
	if _, err := s.Import(clerk(t, s), tb, m, nil); !errors.Is(err, ErrImportProblems) {
		t.Fatalf("import: %v", err)
	}
	if a := lastAudit(t, s); countAll(t, s) != before || len(a.Detail) > 400 {
		t.Fatalf("import wrote %d carriers, audit %.400q", countAll(t, s)-before, a.Detail)
	}

	// A header of megabytes is named cut short where the mapping can't find a column.
	_, err = ApplyMappingSpec(m, "题名=标题", []string{"日期", strings.Repeat("表", size/3)})
	if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "…（共 ") {
		t.Errorf("mapping error: %.400v", err)
	}
	if c := PreviewCell(models.FieldTitle, title); c != p[models.FieldTitle].Value {
		t.Errorf("preview %q", c)
	}
}

func TestImport_RowErrorQuotesCellsCutShort(t *testing.T) {
	long := strings.Repeat("９", 100)
	f := form()
	f.Pages = long
	_, err := f.Check(fixedNow)
	if err == nil || !strings.Contains(err.Error(), strings.Repeat("9", 100)) {
		t.Fatalf("the form check does not quote the cell: %v", err)
	}
	err = importfile.ClipError(&RowError{Row: 3, Err: err}, f)
	var v *models.ValidationError
	if strings.Contains(err.Error(), strings.Repeat("9", 41)) || !strings.Contains(err.Error(), "（共 100 字）") ||
		!errors.As(err, &v) {
		t.Fatalf("clipped: %v", err)
	}
}
