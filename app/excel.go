package app

// Excel: the ledger exported to .xlsx, and an existing register (Excel or
// CSV) imported through a column mapping, a dry run that lists every row's
// problems, and one transaction.

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"gorm.io/gorm"

	"secdoc/models"
)

// ---------------------------------------------------------------- export

// ExportPageSize is how many carriers one read of an export brings: the
// rows of a page are written out before the next is read, so a register
// of any size never sits in memory.
const ExportPageSize = 5000

// exportPageSize is ExportPageSize; tests make it small.
var exportPageSize = ExportPageSize

// ExportSheet is the name of the exported worksheet.
const ExportSheet = "涉密文件登记簿"

// exportColumn is one column of the exported register.
type exportColumn struct {
	title string
	width float64 // in Excel's character widths
	text  bool    // a text column: stays text when edited in Excel (份号 keeps its zeros)
	value func(c *models.Carrier) any
}

// exportColumns are the register's columns (R12), in the order of the file.
// Each row is one carrier, that is one copy: its 份数 is 1, so that the file
// can be imported again without doubling copies.
var exportColumns = []exportColumn{
	{"登记号", 16, true, func(c *models.Carrier) any { return c.RegNo }},
	{"收文日期", 12, true, func(c *models.Carrier) any { return c.RegDate }},
	{"文号", 26, true, func(c *models.Carrier) any { return c.DocNumber }},
	{"份号", 9, true, func(c *models.Carrier) any { return c.CopyNoText() }},
	{"题名", 48, false, func(c *models.Carrier) any { return c.Title }},
	{"来文单位", 24, false, func(c *models.Carrier) any { return c.Issuer }},
	{"文种", 8, false, func(c *models.Carrier) any { return c.DocKind }},
	{"密级", 7, false, func(c *models.Carrier) any { return c.Level.String() }},
	{"保密期限", 22, false, func(c *models.Carrier) any { return c.Marking() }},
	{"份数", 6, false, func(c *models.Carrier) any { return 1 }},
	{"页数", 6, false, func(c *models.Carrier) any {
		if c.Pages == 0 {
			return nil
		}
		return c.Pages
	}},
	{"缓急", 6, false, func(c *models.Carrier) any { return c.Urgency.String() }},
	{"载体类型", 16, false, func(c *models.Carrier) any { return string(c.Kind) }},
	{"知悉范围", 24, false, func(c *models.Carrier) any { return c.NeedToKnow }},
	{"存放位置", 16, false, func(c *models.Carrier) any { return c.Location }},
	{"责任人", 9, false, func(c *models.Carrier) any { return c.Custodian }},
	{"状态", 9, false, func(c *models.Carrier) any { return c.State.String() }},
	{"备注", 30, false, func(c *models.Carrier) any { return c.Remarks }},
	{"收发类别", 10, false, func(c *models.Carrier) any { return c.Direction.String() }},
}

// ExportColumns lists the titles of the exported register's columns.
func ExportColumns() []string {
	out := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		out[i] = c.title
	}
	return out
}

// Describe says in Chinese what the query selects, for the audit trail and
// the clerk: 密级 机密，状态 在册，年份 2026，关键词“通知”.
func (q Query) Describe() string {
	var parts []string
	if len(q.Levels) > 0 {
		names := make([]string, len(q.Levels))
		for i, l := range q.Levels {
			names[i] = l.String()
		}
		parts = append(parts, "密级 "+strings.Join(names, "、"))
	}
	if len(q.States) > 0 {
		if sameStates(q.States, models.HeldStates) {
			parts = append(parts, "状态 在册")
		} else {
			names := make([]string, len(q.States))
			for i, s := range q.States {
				names[i] = s.String()
			}
			parts = append(parts, "状态 "+strings.Join(names, "、"))
		}
	}
	if len(q.Kinds) > 0 {
		names := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			names[i] = string(k)
		}
		parts = append(parts, "载体类型 "+strings.Join(names, "、"))
	}
	if q.Year > 0 {
		parts = append(parts, fmt.Sprintf("年份 %d", q.Year))
	}
	if q.Issuer != "" {
		parts = append(parts, "来文单位 "+q.Issuer)
	}
	if k := strings.TrimSpace(q.Keyword); k != "" {
		parts = append(parts, "关键词“"+k+"”")
	}
	if len(parts) == 0 {
		return "全部登记"
	}
	return strings.Join(parts, "，")
}

func sameStates(a, b []models.State) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[models.State]bool{}
	for _, s := range a {
		seen[s] = true
	}
	for _, s := range b {
		if !seen[s] {
			return false
		}
	}
	return true
}

// ExportLedger writes the carriers q selects, in q's order, to w as an
// Excel workbook: a bold, frozen header row, the register's columns with
// their widths, dates and 份号 as text. Rows are read ExportPageSize at a
// time and streamed to the sheet. Only the clerk may (R18); the export, its
// filter and its row count are audited. progress, if not nil, is called
// after each page.
func (s *Service) ExportLedger(sess *Session, q Query, w io.Writer, progress func(done, total int)) (_ int, err error) {
	defer s.refused(sess, "ExportLedger", "", &err)
	return s.exportAudited(sess, q, "Excel", progress, func(write func(io.Writer) (int, error)) (int, error) {
		return write(w)
	})
}

// ExportLedgerFile is ExportLedger to the file at path. The workbook is
// written to a temporary file beside it and renamed over path only when
// complete, so a failed export never leaves a half-written file.
func (s *Service) ExportLedgerFile(sess *Session, q Query, path string, progress func(done, total int)) (_ int, err error) {
	defer s.refused(sess, "ExportLedgerFile", path, &err)
	return s.exportAudited(sess, q, filepath.Base(path), progress, func(write func(io.Writer) (int, error)) (int, error) {
		return writeFileAtomic(path, write)
	})
}

// exportAudited checks the role, runs the export through out and audits it.
func (s *Service) exportAudited(sess *Session, q Query, object string, progress func(done, total int),
	out func(write func(io.Writer) (int, error)) (int, error)) (int, error) {
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return 0, err
	}
	n, err := out(func(w io.Writer) (int, error) { return s.writeLedger(sess, q, w, progress) })
	if err != nil {
		s.auditAlone(sess, models.EventExport, object, false,
			fmt.Sprintf("导出台账 Excel（%s）失败：%v", q.Describe(), err))
		return 0, err
	}
	return n, s.auditAlone(sess, models.EventExport, object, true,
		fmt.Sprintf("导出台账 Excel（%s），共 %d 件", q.Describe(), n))
}

// writeFileAtomic writes path through a temporary file in its folder.
func writeFileAtomic(path string, write func(io.Writer) (int, error)) (int, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("create export file in %s: %w", dir, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	n, err := write(tmp)
	if err != nil {
		return 0, err
	}
	if err := tmp.Sync(); err != nil {
		return 0, fmt.Errorf("write export file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("write export file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		done = true
		return 0, fmt.Errorf("save export file %s: %w", path, err)
	}
	done = true
	return n, nil
}

// sheetRows is how many carriers one worksheet takes: Excel's limit of
// rows less the header. A larger export continues on further sheets.
var sheetRows = excelize.TotalRows - 1

// writeLedger streams the workbook to w: rows are read a page at a time and
// written to the sheet's temporary file, and the workbook is compressed
// straight into w, so neither the rows nor the file sit in memory.
func (s *Service) writeLedger(sess *Session, q Query, w io.Writer, progress func(done, total int)) (int, error) {
	total, err := s.Count(sess, q)
	if err != nil {
		return 0, err
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	head, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
	})
	if err != nil {
		return 0, err
	}
	textFmt := "@"
	text, err := f.NewStyle(&excelize.Style{CustomNumFmt: &textFmt})
	if err != nil {
		return 0, err
	}
	row := make([]any, len(exportColumns))
	var sw *excelize.StreamWriter
	sheets, line := 0, 0 // line: the last row written on the current sheet
	newSheet := func() error {
		if sw != nil {
			if err := sw.Flush(); err != nil {
				return err
			}
		}
		sheets++
		name := ExportSheet
		if sheets == 1 {
			if err := f.SetSheetName(f.GetSheetName(0), name); err != nil {
				return err
			}
		} else {
			name = fmt.Sprintf("%s（%d）", ExportSheet, sheets)
			if _, err := f.NewSheet(name); err != nil {
				return err
			}
		}
		var err error
		if sw, err = f.NewStreamWriter(name); err != nil {
			return err
		}
		for i, c := range exportColumns {
			if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
				return err
			}
			if c.text {
				if err := sw.SetColStyle(i+1, i+1, text); err != nil {
					return err
				}
			}
		}
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return err
		}
		for i, c := range exportColumns {
			row[i] = excelize.Cell{StyleID: head, Value: c.title}
		}
		line = 1
		return sw.SetRow("A1", row, excelize.RowOpts{Height: 20})
	}
	if err := newSheet(); err != nil {
		return 0, err
	}
	n := 0
	for {
		page, err := s.Page(sess, q, n, exportPageSize)
		if err != nil {
			return 0, err
		}
		for i := range page {
			if line > sheetRows {
				if err := newSheet(); err != nil {
					return 0, err
				}
			}
			c := &page[i]
			for j, col := range exportColumns {
				row[j] = col.value(c)
			}
			line++
			cell, _ := excelize.CoordinatesToCellName(1, line)
			if err := sw.SetRow(cell, row); err != nil {
				return 0, fmt.Errorf("write row %d: %w", line, err)
			}
			n++
		}
		if progress != nil {
			progress(n, max(n, int(total)))
		}
		if len(page) < exportPageSize {
			break
		}
	}
	if err := sw.Flush(); err != nil {
		return 0, err
	}
	// The zip writer set above sends the workbook to w as it is compressed;
	// what excelize buffers for its own writer stays empty.
	if err := f.Write(io.Discard); err != nil {
		return 0, fmt.Errorf("write workbook: %w", err)
	}
	return n, nil
}

// ---------------------------------------------------------------- reading a file

// ImportTable is a register read from an Excel or CSV file: its header row
// and its data rows, as text.
type ImportTable struct {
	Name       string   // the file's name, without its folder
	Format     string   // "Excel" or "CSV"
	Encoding   string   // CSV: "UTF-8" or "GB18030"
	Sheets     []string // Excel: every worksheet, in order
	Sheet      string   // Excel: the worksheet read
	HeaderLine int      // the header's row number in the file, from 1
	Header     []string
	Rows       []ImportRow // the data rows after the header; blank rows left out
}

// ImportRow is one data row: its row number in the file, as Excel shows
// it, and its cells.
type ImportRow struct {
	Line  int
	Cells []string
}

// ImportFileError is a file that can't be read as a register; Msg says why
// in Chinese.
type ImportFileError struct {
	Msg string
	Err error
}

func (e *ImportFileError) Error() string {
	if e.Err != nil {
		return e.Msg + "：" + e.Err.Error()
	}
	return e.Msg
}
func (e *ImportFileError) Unwrap() error { return e.Err }

// headerScan is how many rows from the top may hold the header: a register
// often has its title (2026年涉密文件登记簿) above it.
const headerScan = 20

// The limits of a file to be imported, which keep a damaged or crafted file
// (a “zip bomb”: a few megabytes that unpack to gigabytes) from taking the
// machine's memory and minutes before it is refused. A register of 100,000
// rows as the benchmark writes it (17 columns, 1.7 million cells) is an
// .xlsx of 10 MB that unpacks to 95 MB (a sheet compressed 9:1); the limits
// leave room for three times as many rows and five times the text.
var (
	// MaxImportUnpacked is the most the parts of an .xlsx may unpack to, in
	// bytes, summed over the sizes its zip directory declares; it is checked
	// before anything is unpacked, and excelize is given the same limit.
	// (archive/zip refuses a part that unpacks to more than it declares, so
	// the declared sizes hold.) A CSV file may be no larger either.
	MaxImportUnpacked int64 = 512 << 20
	// MaxImportRatio is the most any part of an .xlsx larger than 1 MiB
	// unpacked may be compressed, as unpacked size to packed size: registers
	// compress about 9:1, a sheet of one word repeated 24:1, a zip bomb of
	// repeated bytes 1000:1.
	MaxImportRatio int64 = 100
	// MaxImportCells is the most cells one import reads: the cells each row
	// of the sheet or CSV file has (up to its last one), added up over the
	// rows, blank ones included. Reading stops as soon as it is passed.
	MaxImportCells = 5_000_000
	// MaxImportRows is the most data rows (non-blank rows after the header)
	// one import reads. Reading stops as soon as it is passed.
	MaxImportRows = 300_000
)

// ratioFloor is the unpacked size from which MaxImportRatio applies: small
// parts may compress well without harm.
const ratioFloor = 1 << 20

// cellQuoteRunes is how many characters of a cell the import quotes back.
const cellQuoteRunes = 40

// ClipCell is a cell as the import quotes it back in a message or a problem
// list: whole when it has at most 40 characters, else its first 40 and
// “…（共 N 字）”, so that a cell of megabytes is not printed back in full.
func ClipCell(s string) string {
	if len(s) <= cellQuoteRunes {
		return s
	}
	n := utf8.RuneCountInString(s)
	if n <= cellQuoteRunes {
		return s
	}
	k, cut := 0, len(s)
	for i := range s {
		if k == cellQuoteRunes {
			cut = i
			break
		}
		k++
	}
	return s[:cut] + "…（共 " + strconv.Itoa(n) + " 字）"
}

// clipEchoes cuts short, with ClipCell, each of values that msg quotes: a
// message of the form checks (models) quotes the value it refuses. values
// are as formEchoes gives them.
func clipEchoes(msg string, values []string) string {
	for _, v := range values {
		if len(v) < len(msg) && strings.Contains(msg, v) {
			if c := ClipCell(v); c != v {
				msg = strings.ReplaceAll(msg, v, c)
			}
		}
	}
	return msg
}

// formEchoes are the texts of a form longer than ClipCell leaves whole, as
// the form checks may quote them (as typed, and trimmed with full-width
// digits made ASCII), longest first.
func formEchoes(f models.CarrierForm) []string {
	var out []string
	for _, v := range []string{f.RegDate, f.DocNumber, f.Title, f.Issuer, f.DocKind, f.TermYears, f.TermUntil,
		f.TermCondition, f.CopyNo, f.Copies, f.Pages, f.NeedToKnow, f.Location, f.Custodian, f.Remarks} {
		if len(v) <= cellQuoteRunes {
			continue
		}
		out = append(out, v)
		if n := strings.TrimSpace(models.NormalizeWidth(v)); n != v && len(n) > cellQuoteRunes {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}

// clippedError is an error whose message quotes cells cut short; it still
// unwraps to the error it stands for.
type clippedError struct {
	msg string
	err error
}

func (e *clippedError) Error() string { return e.msg }
func (e *clippedError) Unwrap() error { return e.err }

// clipError is err, or err with its message's long quotes of f cut short.
func clipError(err error, f models.CarrierForm) error {
	msg := err.Error()
	if c := clipEchoes(msg, formEchoes(f)); c != msg {
		return &clippedError{msg: c, err: err}
	}
	return err
}

// sizeText is a size in bytes as a message gives it: 512 MB, 95 MB, 300 KB.
func sizeText(n uint64) string {
	switch {
	case n >= 10<<20:
		return strconv.FormatUint(n>>20, 10) + " MB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	}
	return strconv.FormatUint((n+1023)>>10, 10) + " KB"
}

// countText is a count with a comma every three digits: 5,000,000.
func countText(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r != '-' && s[i-1] != '-' && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ReadImportFile reads a register from path: an Excel workbook (.xlsx or
// .xlsm; sheet names the worksheet, "" the first) or a CSV file (UTF-8 with
// or without a byte-order mark, or GB18030/GBK as Chinese Excel saves it;
// comma, semicolon or tab separated). The header is the first row among the
// top ones that names at least two of our fields, else the first non-blank
// row. A file past the limits (MaxImportUnpacked, MaxImportRatio,
// MaxImportCells, MaxImportRows), or a CSV file with bytes that are neither
// UTF-8 nor GB18030, is refused with an *ImportFileError that says where.
func ReadImportFile(path, sheet string) (*ImportTable, error) {
	name := filepath.Base(path)
	kind := strings.ToLower(filepath.Ext(path))
	head := make([]byte, 8)
	var size int64
	if f, err := os.Open(path); err != nil {
		return nil, &ImportFileError{Msg: "打不开文件“" + name + "”", Err: err}
	} else {
		k, _ := io.ReadFull(f, head)
		head = head[:k]
		if fi, err := f.Stat(); err == nil {
			size = fi.Size()
		}
		f.Close()
	}
	switch {
	case strings.HasPrefix(string(head), "PK\x03\x04"):
		kind = ".xlsx"
	case strings.HasPrefix(string(head), "\xd0\xcf\x11\xe0"):
		return nil, &ImportFileError{Msg: "“" + name + "”是旧的 Excel 97-2003（.xls）或 WPS 格式，不能直接导入：请在 Excel 或 WPS 中“另存为” .xlsx 或 CSV 后再导入"}
	}
	switch kind {
	case ".xlsx", ".xlsm":
		if err := checkXLSXSize(path, name); err != nil {
			return nil, err
		}
		return readXLSX(path, name, sheet)
	case ".xls", ".et":
		return nil, &ImportFileError{Msg: "“" + name + "”是旧的 Excel 97-2003（.xls）或 WPS 格式，不能直接导入：请在 Excel 或 WPS 中“另存为” .xlsx 或 CSV 后再导入"}
	}
	if size > MaxImportUnpacked {
		return nil, &ImportFileError{Msg: fmt.Sprintf("“%s”有 %s，超过一次导入的上限 %s：请把登记簿分成几个文件分别导入",
			name, sizeText(uint64(size)), sizeText(uint64(MaxImportUnpacked)))}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &ImportFileError{Msg: "读不了文件“" + name + "”", Err: err}
	}
	return readCSV(b, name)
}

// notExcel is the message of a file excelize or archive/zip can't open.
func notExcel(name string) string {
	return "“" + name + "”不是能读取的 Excel 文件（文件损坏、加了密码，或不是 .xlsx 格式）"
}

// checkXLSXSize refuses, before anything of it is unpacked, a workbook whose
// parts would unpack to more than MaxImportUnpacked, or one part of which is
// compressed more than MaxImportRatio to one. It reads the zip directory only.
func checkXLSXSize(path, name string) error {
	z, err := zip.OpenReader(path)
	if err != nil {
		return &ImportFileError{Msg: notExcel(name), Err: err}
	}
	defer z.Close()
	limit := uint64(max(MaxImportUnpacked, 0))
	var total uint64
	for _, f := range z.File {
		if total += f.UncompressedSize64; total < f.UncompressedSize64 {
			total = math.MaxUint64 // a crafted directory: the sum overflowed
		}
	}
	if total > limit {
		size := sizeText(total)
		if size == sizeText(limit) { // just over: say by how much
			size = strconv.FormatUint(total, 10) + " 字节"
		}
		return &ImportFileError{Msg: fmt.Sprintf("“%s”解压后有 %s，超过导入的上限 %s（10 万行的登记簿解压后约 95 MB）："+
			"文件可能损坏或是恶意构造的（“压缩炸弹”），没有读取；如确是登记簿，请分成几个文件分别导入",
			name, size, sizeText(limit))}
	}
	for _, f := range z.File {
		u, c := f.UncompressedSize64, f.CompressedSize64
		if u > ratioFloor && (c == 0 || u/c > uint64(MaxImportRatio)) {
			ratio := "无穷"
			if c > 0 {
				ratio = strconv.FormatUint(u/c, 10)
			}
			return &ImportFileError{Msg: fmt.Sprintf("“%s”中的“%s”压缩了 %s 倍（%s 解压后为 %s），超过导入的上限 %d 倍（登记簿约 10 倍）："+
				"文件可能损坏或是恶意构造的（“压缩炸弹”），没有读取",
				name, ClipCell(f.Name), ratio, sizeText(c), sizeText(u), MaxImportRatio)}
		}
	}
	return nil
}

func readXLSX(path, name, sheet string) (*ImportTable, error) {
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

// shift1904 turns a date serial of a workbook counting from 1904 into one
// counting from 1900, which is what excelDate reads.
func shift1904(c string) string {
	if len(c) == 5 && isDigitString(c) {
		n, _ := strconv.Atoi(c)
		return strconv.Itoa(n + 1462)
	}
	return c
}

func readCSV(b []byte, name string) (*ImportTable, error) {
	t := &ImportTable{Name: name, Format: "CSV", Encoding: "UTF-8"}
	text, enc, bad, err := decodeText(b)
	if err != nil {
		return nil, &ImportFileError{Msg: "“" + name + "”的文字编码无法识别（应为 UTF-8 或 GBK/GB18030）", Err: err}
	}
	t.Encoding = enc
	tb := tableBuilder{where: "“" + name + "”"}
	// With undecodable bytes at bad, the rows are read on until the one
	// holding them, and then until the header is known, to name the cell.
	badLine, badCol, found := 0, 0, false
	var atLine, atCol int // bad as the CSV reader counts: line and byte column, from 1
	if bad >= 0 {
		atLine = 1 + strings.Count(text[:bad], "\n")
		atCol = bad - strings.LastIndexByte(text[:bad], '\n')
	}
	errFound := errors.New("found the undecodable cell")
	err = readCSVRows(text, func(line int, cells []string, r *csv.Reader) error {
		if bad >= 0 && !found && bad < int(r.InputOffset()) {
			found, badLine = true, line
			for i := range cells {
				if l, c := r.FieldPos(i); l < atLine || l == atLine && c <= atCol {
					badCol = i
				}
			}
		}
		if err := tb.add(line, cells); err != nil {
			return err
		}
		if found && tb.done {
			return errFound
		}
		return nil
	})
	if found || bad >= 0 && err == nil {
		if !tb.done {
			tb.decide()
		}
		if !found { // not in a record: can't be, but say where anyway
			badLine, badCol = atLine, 0
		}
		col := fmt.Sprintf("第 %d 列", badCol+1)
		if h := tb.t.Header; badLine > tb.t.HeaderLine && badCol < len(h) && h[badCol] != "" {
			col = "“" + ClipCell(h[badCol]) + "”列"
		}
		return nil, &ImportFileError{Msg: fmt.Sprintf("“%s”第 %d 行%s有无法识别的字节（文件应为 UTF-8 或 GBK/GB18030 编码），"+
			"请在 Excel 中另存为“CSV UTF-8”后再导入", name, badLine, col)}
	}
	if err != nil {
		var fe *ImportFileError
		if errors.As(err, &fe) {
			return nil, fe
		}
		return nil, &ImportFileError{Msg: "“" + name + "”不是能读取的 CSV 文件", Err: err}
	}
	tb.finish(t)
	return t, nil
}

// tableBuilder finds the header among the first rows and keeps the rows
// after it, refusing a file past MaxImportCells or MaxImportRows.
type tableBuilder struct {
	top   []ImportRow // the rows before the header is decided
	done  bool
	t     ImportTable
	where string // the file or sheet, for messages: “登记簿.xlsx”的工作表“Sheet1”
	cells int    // cells read so far
}

func (b *tableBuilder) add(line int, cells []string) error {
	if b.cells += len(cells); b.cells > MaxImportCells {
		return &ImportFileError{Msg: fmt.Sprintf("%s读到第 %s 行时已超过 %s 个单元格，超出一次导入的上限（%s 个单元格、%s 行数据）："+
			"请把登记簿分成几个文件分别导入", b.where, countText(line), countText(MaxImportCells),
			countText(MaxImportCells), countText(MaxImportRows))}
	}
	for i, c := range cells {
		cells[i] = strings.TrimSpace(strings.TrimPrefix(c, "\ufeff"))
	}
	if blankRow(cells) {
		return nil
	}
	if b.done {
		if len(b.t.Rows) >= MaxImportRows {
			return &ImportFileError{Msg: fmt.Sprintf("%s的数据超过 %s 行（读到第 %s 行），超出一次导入的上限："+
				"请把登记簿分成几个文件分别导入", b.where, countText(MaxImportRows), countText(line))}
		}
		b.t.Rows = append(b.t.Rows, ImportRow{Line: line, Cells: cells})
		return nil
	}
	b.top = append(b.top, ImportRow{Line: line, Cells: cells})
	if len(b.top) >= headerScan || headerScore(cells) >= 2 {
		b.decide()
	}
	return nil
}

func (b *tableBuilder) decide() {
	b.done = true
	at := 0
	for i, r := range b.top {
		if headerScore(r.Cells) >= 2 {
			at = i
			break
		}
	}
	if len(b.top) == 0 {
		return
	}
	b.t.HeaderLine, b.t.Header = b.top[at].Line, b.top[at].Cells
	b.t.Rows = append(b.t.Rows, b.top[at+1:]...)
	b.top = nil
}

func (b *tableBuilder) finish(t *ImportTable) {
	if !b.done {
		b.decide()
	}
	t.HeaderLine, t.Header, t.Rows = b.t.HeaderLine, b.t.Header, b.t.Rows
}

func blankRow(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}

// headerScore counts the cells that name one of our fields.
func headerScore(cells []string) int {
	n := 0
	for _, c := range cells {
		if fieldOfHeader(c) != "" {
			n++
		}
	}
	return n
}

// ColumnName is the Excel name of the column with 0-based index i: A, B, …, AA.
func ColumnName(i int) string {
	s, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return strconv.Itoa(i + 1)
	}
	return s
}

// ---------------------------------------------------------------- mapping

// FieldOrigRegNo is the import-only field of the file's own register number:
// the carriers get new register numbers, and the old one goes into 备注.
const FieldOrigRegNo = "OrigRegNo"

// ImportField is one of our fields a column of the file can be mapped to.
type ImportField struct {
	Key      string   // models.Field… or FieldOrigRegNo
	Label    string   // its Chinese name, as the mapping step and --map show it
	Aliases  []string // the header names it is guessed from, besides Label
	Required bool     // rows can't be registered without it (收文 also needs 来文单位)
}

// ImportFields are the fields of an import, in the order of a register.
var ImportFields = []ImportField{
	{models.FieldRegDate, "收文日期", []string{"登记日期", "收文时间", "收到日期", "登记时间", "日期"}, true},
	{models.FieldDocNumber, "文号", []string{"文号或编号", "发文字号", "发文号", "来文号", "来文字号", "文件编号", "文件号", "编号"}, false},
	{models.FieldTitle, "题名", []string{"文件资料名称", "标题", "文件标题", "文件名称", "文件题名", "资料名称", "名称"}, true},
	{models.FieldIssuer, "来文单位", []string{"制作发文单位", "发文单位", "来文机关", "发文机关", "制发单位", "制作单位", "发文机构"}, false},
	{models.FieldDocKind, "文种", []string{"文件种类", "公文种类"}, false},
	{models.FieldLevel, "密级", []string{"密级★期限", "密级和保密期限", "密级及保密期限", "秘密等级", "密级标志"}, true},
	{models.FieldTerm, "保密期限", []string{"期限", "保密期", "密期", "保密年限"}, false},
	{models.FieldCopyNo, "份号", []string{"份序号", "份数序号"}, false},
	{models.FieldCopies, "份数", []string{"份数或数量", "数量", "件数"}, false},
	{models.FieldPages, "页数", []string{"页数或容量", "张数", "页码数"}, false},
	{models.FieldUrgency, "缓急", []string{"紧急程度", "缓急程度", "急缓"}, false},
	{models.FieldKind, "载体类型", []string{"载体类别", "载体", "载体形式", "介质类型", "载体种类"}, false},
	{models.FieldNeedToKnow, "知悉范围", []string{"使用范围", "阅知范围", "发放范围", "知密范围", "阅读范围"}, false},
	{models.FieldLocation, "存放位置", []string{"存放地点", "存放处", "保存位置", "存放"}, false},
	{models.FieldCustodian, "责任人", []string{"保管人", "保管责任人", "管理人", "签收人", "经办人"}, true},
	{models.FieldRemarks, "备注", []string{"说明", "附注"}, false},
	{models.FieldDirection, "收发类别", []string{"收发", "收/发", "收文或发文"}, false},
	{FieldOrigRegNo, "原登记号", []string{"登记号", "收文编号", "收文号", "登记编号", "收发文编号"}, false},
}

func importField(key string) (ImportField, bool) {
	for _, f := range ImportFields {
		if f.Key == key {
			return f, true
		}
	}
	return ImportField{}, false
}

// ImportFieldLabel is the Chinese name of an import field key.
func ImportFieldLabel(key string) string {
	if f, ok := importField(key); ok {
		return f.Label
	}
	if l, ok := models.FieldLabels[key]; ok {
		return l
	}
	return key
}

// normHeader reduces a header cell to what is compared: no spaces, no
// required-marks, no notes in brackets (页数（页） → 页数), ASCII digits and letters.
func normHeader(s string) string {
	s = models.NormalizeWidth(s)
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '（', '[', '【':
			depth++
			continue
		case ')', '）', ']', '】':
			if depth > 0 {
				depth--
			}
			continue
		case ' ', '\t', '\n', '\r', '*', ':', '：':
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return strings.ToLower(b.String())
}

// fieldOfHeader is the field a header cell names exactly, or "".
func fieldOfHeader(h string) string {
	h = normHeader(h)
	if h == "" {
		return ""
	}
	for _, f := range ImportFields {
		if h == normHeader(f.Label) {
			return f.Key
		}
	}
	for _, f := range ImportFields {
		for _, a := range f.Aliases {
			if h == normHeader(a) {
				return f.Key
			}
		}
	}
	return ""
}

// ImportMapping says where each of our fields comes from.
type ImportMapping struct {
	// Columns maps a field key to the 0-based index of its column in the
	// file; a field not in it is not read from the file.
	Columns map[string]int
	// Defaults maps a field key to the value used where its column is not
	// mapped or its cell is blank.
	Defaults map[string]string
}

// Clone copies m, so that changing the copy leaves m alone.
func (m ImportMapping) Clone() ImportMapping {
	out := ImportMapping{Columns: map[string]int{}, Defaults: map[string]string{}}
	for k, v := range m.Columns {
		out.Columns[k] = v
	}
	for k, v := range m.Defaults {
		out.Defaults[k] = v
	}
	return out
}

// Column is the column field is mapped to, and whether it is.
func (m ImportMapping) Column(field string) (int, bool) {
	c, ok := m.Columns[field]
	return c, ok && c >= 0
}

// GuessMapping maps our fields to the header's columns by their names:
// exact names first (收文日期, 题名 …), then the names registers use
// (登记日期, 文件资料名称, 制作发文单位, 载体类别, 文号或编号, 页数或容量, 使用范围, 保管人 …).
// Each column is used once. 收发类别 defaults to 收文, and 载体类型 to 纸质文件
// when the file has no such column.
func GuessMapping(header []string) ImportMapping {
	m := ImportMapping{Columns: map[string]int{}, Defaults: map[string]string{
		models.FieldDirection: models.DirIncoming.String()}}
	used := map[int]bool{}
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = normHeader(h)
	}
	try := func(f ImportField, name string) bool {
		n := normHeader(name)
		for i, h := range norm {
			if h != "" && h == n && !used[i] {
				m.Columns[f.Key] = i
				used[i] = true
				return true
			}
		}
		return false
	}
	for _, f := range ImportFields {
		try(f, f.Label)
	}
	for _, f := range ImportFields {
		if _, ok := m.Columns[f.Key]; ok {
			continue
		}
		for _, a := range f.Aliases {
			if try(f, a) {
				break
			}
		}
	}
	if _, ok := m.Columns[models.FieldKind]; !ok {
		m.Defaults[models.FieldKind] = string(models.KindPaper)
	}
	return m
}

// fieldByName finds one of our fields by its label, key or alias.
func fieldByName(name string) (ImportField, bool) {
	n := normHeader(name)
	for _, f := range ImportFields {
		if n == normHeader(f.Label) || n == strings.ToLower(f.Key) {
			return f, true
		}
	}
	for _, f := range ImportFields {
		for _, a := range f.Aliases {
			if n == normHeader(a) {
				return f, true
			}
		}
	}
	return ImportField{}, false
}

func fieldNames() string {
	names := make([]string, len(ImportFields))
	for i, f := range ImportFields {
		names[i] = f.Label
	}
	return strings.Join(names, "、")
}

// splitSpec splits "a=b,c=d" (also with Chinese commas) into pairs.
func splitSpec(spec string) ([][2]string, error) {
	var out [][2]string
	for _, item := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == '，' || r == ';' || r == '；' }) {
		k, v, ok := strings.Cut(item, "=")
		if !ok {
			k, v, ok = strings.Cut(item, "＝")
		}
		if !ok {
			return nil, fmt.Errorf("“%s”应写成 字段=值", strings.TrimSpace(item))
		}
		out = append(out, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
	}
	return out, nil
}

// ApplyMappingSpec changes m by a spec as the command line takes it:
// "题名=标题,收文日期=日期,备注=-". The left side is one of our fields (its
// name, e.g. 题名); the right side a header of the file, or a column letter
// (C), or - to read the field from no column.
func ApplyMappingSpec(m ImportMapping, spec string, header []string) (ImportMapping, error) {
	m = m.Clone()
	pairs, err := splitSpec(spec)
	if err != nil {
		return m, err
	}
	for _, p := range pairs {
		f, ok := fieldByName(p[0])
		if !ok {
			return m, fmt.Errorf("没有名为“%s”的字段；可用的字段：%s", p[0], fieldNames())
		}
		if p[1] == "" || p[1] == "-" || p[1] == "无" {
			delete(m.Columns, f.Key)
			continue
		}
		col := -1
		for i, h := range header {
			if normHeader(h) == normHeader(p[1]) {
				col = i
				break
			}
		}
		if col < 0 {
			if n, err := excelize.ColumnNameToNumber(strings.ToUpper(p[1])); err == nil && len(p[1]) <= 3 && isLetters(p[1]) {
				col = n - 1
			}
		}
		if col < 0 {
			names := make([]string, len(header))
			for i, h := range header {
				names[i] = ClipCell(h)
			}
			return m, fmt.Errorf("文件的表头里没有“%s”（%s=%s）；表头有：%s", p[1], p[0], p[1], strings.Join(names, "、"))
		}
		m.Columns[f.Key] = col
	}
	return m, nil
}

// ApplyDefaultsSpec sets default values by a spec: "责任人=王敏,载体类型=纸质文件".
func ApplyDefaultsSpec(m ImportMapping, spec string) (ImportMapping, error) {
	m = m.Clone()
	pairs, err := splitSpec(spec)
	if err != nil {
		return m, err
	}
	for _, p := range pairs {
		f, ok := fieldByName(p[0])
		if !ok {
			return m, fmt.Errorf("没有名为“%s”的字段；可用的字段：%s", p[0], fieldNames())
		}
		if p[1] == "" {
			delete(m.Defaults, f.Key)
		} else {
			m.Defaults[f.Key] = p[1]
		}
	}
	return m, nil
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

func isDigitString(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// ---------------------------------------------------------------- one row → one form

// rowReader turns the cells of one row into a registration form.
type rowReader struct {
	m     ImportMapping
	cells []string
	probs []ImportProblem
	line  int
}

// value is the cell of field, or its default.
func (r *rowReader) value(field string) string {
	v := ""
	if c, ok := r.m.Column(field); ok && c < len(r.cells) {
		v = strings.TrimSpace(r.cells[c])
	}
	if v == "" {
		v = strings.TrimSpace(r.m.Defaults[field])
	}
	return v
}

// fail notes a problem of the row's cell of field; the message quotes cells
// through ClipCell, and so does the problem.
func (r *rowReader) fail(field, value, format string, args ...any) {
	r.probs = append(r.probs, ImportProblem{Line: r.line, Field: field, Label: ImportFieldLabel(field),
		Value: ClipCell(value), Msg: fmt.Sprintf(format, args...)})
}

func (r *rowReader) failed(field string) bool {
	for _, p := range r.probs {
		if p.Field == field {
			return true
		}
	}
	return false
}

// kindNames maps the names registers give carrier kinds to ours.
var kindNames = map[string]models.CarrierKind{
	"纸质文件": models.KindPaper, "纸质": models.KindPaper, "纸介质": models.KindPaper, "纸件": models.KindPaper,
	"纸质载体": models.KindPaper, "纸质文档": models.KindPaper, "纸": models.KindPaper, "文件": models.KindPaper,
	"密码电报": models.KindCipherTel, "密电": models.KindCipherTel, "密码电": models.KindCipherTel,
	"明电": models.KindPlainTel, "明码电报": models.KindPlainTel, "电报": models.KindPlainTel,
	"光盘": models.KindDisc, "光碟": models.KindDisc, "cd": models.KindDisc, "dvd": models.KindDisc, "磁盘光盘": models.KindDisc,
	"u盘/移动存储介质": models.KindUSB, "u盘": models.KindUSB, "优盘": models.KindUSB, "移动存储介质": models.KindUSB,
	"移动存储": models.KindUSB, "移动硬盘": models.KindUSB, "存储介质": models.KindUSB, "磁介质": models.KindUSB,
	"笔记本": models.KindNotebook, "涉密笔记本": models.KindNotebook,
	"其他": models.KindOther, "其它": models.KindOther,
}

// ParseCarrierKind reads a carrier kind as registers write it: ours, or a
// synonym (纸介质 → 纸质文件, U盘 → U盘/移动存储介质, 密电 → 密码电报).
func ParseCarrierKind(s string) (models.CarrierKind, bool) {
	k, ok := kindNames[strings.ToLower(strings.ReplaceAll(models.NormalizeWidth(strings.TrimSpace(s)), " ", ""))]
	return k, ok
}

// ParseUrgency reads 缓急: blank, 普通, 平件 or 一般; 加急 or 急件; 特急.
func ParseUrgency(s string) (models.Urgency, bool) {
	switch strings.TrimSpace(s) {
	case "", "普通", "平件", "一般", "平", "无", "否", "-":
		return models.UrgencyNormal, true
	case "加急", "急件", "急", "紧急":
		return models.UrgencyUrgent, true
	case "特急", "特急件":
		return models.UrgencyExtreme, true
	}
	return models.UrgencyNormal, false
}

// parseDirection reads 收发类别.
func parseDirection(s string) (models.Direction, bool) {
	switch strings.TrimSpace(s) {
	case "", "收文", "收", "来文", "收件":
		return models.DirIncoming, true
	case "发文", "发", "自产", "发文/自产", "发文自产", "发件":
		return models.DirOutgoing, true
	}
	return models.DirIncoming, false
}

// termSpec is a secrecy term as read from a file, in the form's text fields.
type termSpec struct {
	kind                   models.TermKind
	years, until, condText string
}

func (t termSpec) String() string {
	switch t.kind {
	case models.TermYears:
		return t.years + "年"
	case models.TermUntil:
		return t.until
	case models.TermCondition:
		return "解密条件：" + t.condText
	}
	return "法定最长期限"
}

// parseTerm reads the part of a mark after ★, or a 保密期限 cell: 10年, 10,
// 2030-06-30, 2030年6月30日, 解密条件：…; blank is the statutory maximum.
func parseTerm(s string) (termSpec, bool) {
	s = strings.TrimSpace(models.NormalizeWidth(s))
	if s == "" {
		return termSpec{kind: models.TermDefault}, true
	}
	for _, p := range []string{"解密条件", "条件"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			rest = strings.TrimSpace(strings.TrimLeft(rest, ":：是为 "))
			return termSpec{kind: models.TermCondition, condText: rest}, rest != ""
		}
	}
	if y := strings.TrimSpace(strings.TrimSuffix(s, "年")); isDigitString(y) && len(y) <= 3 {
		return termSpec{kind: models.TermYears, years: y}, true
	}
	if d, ok := excelDate(s); ok {
		return termSpec{kind: models.TermUntil, until: d}, true
	}
	if d, err := models.ParseDate(stripTime(s)); err == nil {
		return termSpec{kind: models.TermUntil, until: d.Format(models.DateLayout)}, true
	}
	return termSpec{}, false
}

// parseMarking reads a level as registers write it, alone or with its term:
// 机密, 机密级, 机密★, 机密★10年, 机密★2030年6月30日, 机密★解密条件：…;
// hasTerm says whether the cell carried a term.
func parseMarking(s string) (level models.Level, term termSpec, hasTerm, ok bool) {
	s = strings.ReplaceAll(strings.TrimSpace(models.NormalizeWidth(s)), " ", "")
	name, rest, star := s, "", false
	for _, sep := range []string{"★", "☆", "*"} {
		if a, b, found := strings.Cut(s, sep); found {
			name, rest, star = a, b, true
			break
		}
	}
	name = strings.TrimSuffix(name, "级")
	level, ok = models.ParseLevel(name)
	if !ok {
		return models.LevelNone, termSpec{}, false, false
	}
	if !star || rest == "" {
		return level, termSpec{kind: models.TermDefault}, false, true
	}
	term, ok = parseTerm(rest)
	return level, term, true, ok
}

// excelDate reads an Excel date serial (a date cell read raw): five digits,
// possibly with a time fraction, 10000 to 99999 (1927 to 2173).
func excelDate(s string) (string, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(whole) != 5 || !isDigitString(whole) || (frac != "" && !isDigitString(frac)) {
		return "", false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(v, false)
	if err != nil {
		return "", false
	}
	return t.Format(models.DateLayout), true
}

// stripTime drops a time of day after a date: 2026-03-05 10:30 → 2026-03-05.
func stripTime(s string) string {
	if d, t, ok := strings.Cut(strings.TrimSpace(s), " "); ok && strings.Contains(t, ":") {
		return d
	}
	return s
}

// readDate is a date cell as the form takes it.
func readDate(s string) string {
	if d, ok := excelDate(s); ok {
		return d
	}
	return stripTime(s)
}

// readNumber is a count cell as the form takes it: 6.0 → 6, 6页 → 6.
func readNumber(s string) string {
	s = strings.TrimSpace(models.NormalizeWidth(s))
	n := s
	for _, unit := range []string{"页", "份", "张", "个", "件", "册", "盘", "本", "号"} {
		n = strings.TrimSpace(strings.TrimSuffix(n, unit))
	}
	if whole, frac, ok := strings.Cut(n, "."); ok && isDigitString(whole) && isDigitString(frac+"0") && strings.Trim(frac, "0") == "" {
		n = whole
	}
	if isDigitString(n) {
		return n
	}
	return s
}

// readCopyNos reads a 份号 cell: one number (000001), or a range of
// copies (1-3, 000001～000003, 1至3) or a list of consecutive ones (1、2、3).
func readCopyNos(s string) (first, n string, ok bool) {
	s = strings.TrimSpace(models.NormalizeWidth(s))
	if s == "" {
		return "", "", true
	}
	for _, sep := range []string{"-", "~", "～", "—", "－", "至", "到"} {
		if a, b, found := strings.Cut(s, sep); found {
			x, err1 := strconv.Atoi(readNumber(a))
			y, err2 := strconv.Atoi(readNumber(b))
			if err1 != nil || err2 != nil || y < x {
				return "", "", false
			}
			return strconv.Itoa(x), strconv.Itoa(y - x + 1), true
		}
	}
	if parts := strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ' ' }); len(parts) > 1 {
		var nums []int
		for _, p := range parts {
			v, err := strconv.Atoi(readNumber(p))
			if err != nil {
				return "", "", false
			}
			nums = append(nums, v)
		}
		for i := 1; i < len(nums); i++ {
			if nums[i] != nums[i-1]+1 {
				return "", "", false
			}
		}
		return strconv.Itoa(nums[0]), strconv.Itoa(len(nums)), true
	}
	return readNumber(s), "", true
}

// form reads the row into a registration form, noting what can't be read.
func (r *rowReader) form() models.CarrierForm {
	var f models.CarrierForm
	dv := r.value(models.FieldDirection)
	d, ok := parseDirection(dv)
	if !ok {
		r.fail(models.FieldDirection, dv, "收发类别“%s”只能是收文或发文", ClipCell(dv))
	}
	f.Direction = d
	f.RegDate = readDate(r.value(models.FieldRegDate))
	f.DocNumber = r.value(models.FieldDocNumber)
	f.Title = r.value(models.FieldTitle)
	f.Issuer = r.value(models.FieldIssuer)
	f.DocKind = r.value(models.FieldDocKind)

	lv := r.value(models.FieldLevel)
	level, term, hasTerm, ok := parseMarking(lv)
	switch {
	case lv == "":
		r.fail(models.FieldLevel, lv, "请填写密级（秘密、机密或绝密）")
	case level == models.LevelNone:
		r.fail(models.FieldLevel, lv, "密级“%s”无法识别：只能是秘密、机密或绝密，可带期限，如“机密★10年”", ClipCell(lv))
	case !ok:
		r.fail(models.FieldLevel, lv, "“%s”的保密期限无法识别：应为年限（机密★10年）、解密日期（机密★2030年6月30日）或解密条件", ClipCell(lv))
	}
	f.Level = level
	if tv := r.value(models.FieldTerm); tv != "" {
		var t termSpec
		var tok bool
		if strings.ContainsAny(models.NormalizeWidth(tv), "★☆*") {
			tl, tt, has, okm := parseMarking(tv)
			switch {
			case tl == models.LevelNone || !okm:
				r.fail(models.FieldTerm, tv, "保密期限“%s”无法识别：应为年限（10年）、解密日期（2030-06-30）或解密条件，留空为法定最长期限", ClipCell(tv))
			case level != models.LevelNone && tl != level:
				r.fail(models.FieldTerm, tv, "保密期限栏的“%s”与密级栏的“%s”密级不一致，请核对", ClipCell(tv), ClipCell(lv))
			}
			t, tok = tt, okm && tl != models.LevelNone
			if !has {
				t = termSpec{kind: models.TermDefault}
			}
		} else {
			t, tok = parseTerm(tv)
			if !tok {
				r.fail(models.FieldTerm, tv, "保密期限“%s”无法识别：应为年限（10年）、解密日期（2030-06-30）或解密条件，留空为法定最长期限", ClipCell(tv))
			}
		}
		if tok && hasTerm && ok && t != term {
			r.fail(models.FieldTerm, tv, "密级栏的期限（%s）与保密期限栏（%s）不一致，请核对", ClipCell(term.String()), ClipCell(t.String()))
		}
		if tok {
			term, hasTerm = t, true
		}
	}
	f.TermKind = term.kind
	if f.TermKind == "" {
		f.TermKind = models.TermDefault
	}
	f.TermYears, f.TermUntil, f.TermCondition = term.years, term.until, term.condText

	cv := r.value(models.FieldCopyNo)
	first, n, ok := readCopyNos(cv)
	if !ok {
		r.fail(models.FieldCopyNo, cv, "份号“%s”无法识别：应为一个数字（000001）或连续的一段（000001-000003）", ClipCell(cv))
	}
	f.CopyNo = first
	f.Copies = readNumber(r.value(models.FieldCopies))
	if n != "" {
		if f.Copies != "" && f.Copies != n {
			r.fail(models.FieldCopies, f.Copies, "份数 %s 与份号“%s”的份数（%s 份）不一致，请核对", ClipCell(f.Copies), ClipCell(cv), n)
		}
		f.Copies = n
	}
	f.Pages = readNumber(r.value(models.FieldPages))

	uv := r.value(models.FieldUrgency)
	u, ok := ParseUrgency(uv)
	if !ok {
		r.fail(models.FieldUrgency, uv, "缓急“%s”只能是普通、加急或特急", ClipCell(uv))
	}
	f.Urgency = u
	kv := r.value(models.FieldKind)
	if kv != "" {
		k, ok := ParseCarrierKind(kv)
		if !ok {
			names := make([]string, len(models.CarrierKinds))
			for i, k := range models.CarrierKinds {
				names[i] = string(k)
			}
			r.fail(models.FieldKind, kv, "载体类型“%s”无法识别：应为%s之一", ClipCell(kv), strings.Join(names, "、"))
		}
		f.Kind = k
	} else {
		r.fail(models.FieldKind, kv, "请填写载体类型")
	}
	f.NeedToKnow = r.value(models.FieldNeedToKnow)
	f.Location = r.value(models.FieldLocation)
	f.Custodian = r.value(models.FieldCustodian)
	f.Remarks = r.value(models.FieldRemarks)
	if old := r.value(FieldOrigRegNo); old != "" {
		note := "原登记号：" + old
		if f.Remarks != "" {
			f.Remarks += "；" + note
		} else {
			f.Remarks = note
		}
	}
	return f
}

// PreviewCell is a cell as the mapping step shows it: a date cell of a date
// field as a date (Excel stores 2026-11-02 as 46328), anything else as is,
// cut short by ClipCell.
func PreviewCell(field, cell string) string {
	return ClipCell(previewCell(field, cell))
}

// previewCell is PreviewCell whole.
func previewCell(field, cell string) string {
	if field == models.FieldRegDate || field == models.FieldTerm {
		if d, ok := excelDate(strings.TrimSpace(cell)); ok {
			return d
		}
	}
	return cell
}

// cellOf is what the file says for a field named in a validation error.
func (r *rowReader) cellOf(field string) string {
	switch field {
	case models.FieldTermYears, models.FieldTermUntil, models.FieldTermCondition, models.FieldTerm:
		if v := r.value(models.FieldTerm); v != "" {
			return previewCell(models.FieldTerm, v)
		}
		return r.value(models.FieldLevel)
	}
	return previewCell(field, r.value(field))
}

// ---------------------------------------------------------------- dry run and import

// ImportProblem is one problem of one row: the row number in the file (0
// for a problem of the mapping itself), the field, the cell and what is wrong.
type ImportProblem struct {
	Line  int
	Field string // models.Field… or FieldOrigRegNo
	Label string // the field's Chinese name
	Value string // the cell as the file has it, cut short by ClipCell
	Msg   string
}

// ImportReport is what a dry run or an import found.
type ImportReport struct {
	File     string
	Sheet    string
	Rows     int // data rows read
	Carriers int // carriers the rows register (份数 summed)
	BadRows  int // rows with at least one problem
	// Problems lists every problem of every row, by row; nothing is
	// written while there is one.
	Problems []ImportProblem
}

// OK reports whether the rows can be imported as they are.
func (r ImportReport) OK() bool { return len(r.Problems) == 0 }

// ErrImportProblems is an import refused because rows have problems; the
// report lists them.
var ErrImportProblems = errors.New("import rows have problems")

// ErrImportEmpty is a file with no data rows.
var ErrImportEmpty = errors.New("import file has no data rows")

// ImportDryRun reads every row of t into a registration form by m and checks
// it as registration would (every field, with the form's Chinese messages),
// then checks 文号+份号 against the register and against the other rows of
// the file. It lists every problem of every row and writes nothing. Only the
// clerk may (R18).
func (s *Service) ImportDryRun(sess *Session, t *ImportTable, m ImportMapping) (_ ImportReport, err error) {
	defer s.refused(sess, "ImportDryRun", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return ImportReport{}, err
	}
	rep, _, _, err := s.checkImport(t, m)
	return rep, err
}

// Import registers every row of t in ONE transaction: all of them or none.
// It runs the dry run first and refuses, writing nothing, while any row has a
// problem (ErrImportProblems, with the report). If the register changed since
// and a row's 文号+份号 is taken meanwhile, nothing is written and the
// *RowError names the row by its number in the file. progress, if not nil,
// is called after each row is written. The import, its file, rows and
// outcome are audited.
func (s *Service) Import(sess *Session, t *ImportTable, m ImportMapping, progress func(done, total int)) (_ ImportReport, err error) {
	defer s.refused(sess, "Import", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return ImportReport{}, err
	}
	rep, forms, lines, err := s.checkImport(t, m)
	where := t.Name
	if t.Sheet != "" {
		where += "（工作表 " + t.Sheet + "）"
	}
	if err != nil {
		if errors.Is(err, ErrImportEmpty) {
			s.auditAlone(sess, models.EventImport, t.Name, false, "导入 "+where+"：没有数据行，未写入")
		}
		return rep, err
	}
	if !rep.OK() {
		s.auditAlone(sess, models.EventImport, t.Name, false, fmt.Sprintf("导入 %s：%d 行中 %d 行有问题（共 %d 处），未写入",
			where, rep.Rows, rep.BadRows, len(rep.Problems)))
		return rep, ErrImportProblems
	}
	if beforeImportWrite != nil {
		beforeImportWrite()
	}
	n, err := s.registerMany(sess, forms, progress, func(tx *gorm.DB, n int) error {
		return s.audit(tx, sess, models.EventImport, t.Name, true,
			fmt.Sprintf("导入 %s：%d 行，登记 %d 件", where, len(forms), n))
	})
	if err != nil {
		var re *RowError
		if errors.As(err, &re) && re.Row >= 1 && re.Row <= len(lines) {
			err = &RowError{Row: lines[re.Row-1], Err: clipError(re.Err, forms[re.Row-1])}
		}
		s.auditAlone(sess, models.EventImport, t.Name, false, fmt.Sprintf("导入 %s 失败，未写入：%v", where, err))
		return rep, &refusalError{err} // recorded: once is enough
	}
	rep.Carriers = n
	return rep, nil
}

// beforeImportWrite, when a test sets it, runs between an import's dry run
// and its transaction: where another registration can slip in.
var beforeImportWrite func()

// checkImport is the dry run: the report, and the forms of the rows with
// their line numbers.
func (s *Service) checkImport(t *ImportTable, m ImportMapping) (ImportReport, []models.CarrierForm, []int, error) {
	rep := ImportReport{File: t.Name, Sheet: t.Sheet, Rows: len(t.Rows)}
	if len(t.Rows) == 0 {
		return rep, nil, nil, ErrImportEmpty
	}
	if probs := mappingProblems(m); len(probs) > 0 {
		rep.Problems = probs
		return rep, nil, nil, nil
	}
	today := s.today()
	forms := make([]models.CarrierForm, len(t.Rows))
	lines := make([]int, len(t.Rows))
	checked := make([]models.CarrierFields, len(t.Rows))
	probs := make([][]ImportProblem, len(t.Rows))
	for i, row := range t.Rows {
		r := rowReader{m: m, cells: row.Cells, line: row.Line}
		f := r.form()
		c, err := f.Check(today)
		if v, ok := models.AsValidation(err); ok {
			var echoes []string // the form's long texts, when a message may quote one
			for _, fe := range v.Fields {
				field := fe.Field
				if field == models.FieldTermYears || field == models.FieldTermUntil || field == models.FieldTermCondition {
					field = models.FieldTerm
				}
				if r.failed(field) {
					continue // the reader's message about the cell says it better
				}
				if echoes == nil {
					echoes = formEchoes(f)
				}
				r.probs = append(r.probs, ImportProblem{Line: row.Line, Field: field, Label: ImportFieldLabel(field),
					Value: ClipCell(r.cellOf(fe.Field)), Msg: clipEchoes(fe.Msg, echoes)})
			}
		} else if err != nil {
			return rep, nil, nil, err
		}
		forms[i], lines[i], checked[i], probs[i] = f, row.Line, c, r.probs
		if err == nil {
			rep.Carriers += c.Copies
		}
	}
	if err := s.duplicateProblems(t, checked, probs); err != nil {
		return rep, nil, nil, err
	}
	for i := range probs {
		if len(probs[i]) > 0 {
			rep.BadRows++
			rep.Problems = append(rep.Problems, probs[i]...)
		}
	}
	return rep, forms, lines, nil
}

// mappingProblems are the required fields that come from neither a column
// nor a default.
func mappingProblems(m ImportMapping) []ImportProblem {
	var out []ImportProblem
	has := func(key string) bool {
		_, col := m.Column(key)
		return col || strings.TrimSpace(m.Defaults[key]) != ""
	}
	for _, f := range ImportFields {
		if f.Required && !has(f.Key) {
			out = append(out, ImportProblem{Field: f.Key, Label: f.Label,
				Msg: fmt.Sprintf("没有对应“%s”的一栏：请指明文件里哪一栏是%s，或给出默认值", f.Label, f.Label)})
		}
	}
	if d, _ := parseDirection(m.Defaults[models.FieldDirection]); d == models.DirIncoming && !has(models.FieldIssuer) {
		_, dirCol := m.Column(models.FieldDirection)
		if !dirCol {
			out = append(out, ImportProblem{Field: models.FieldIssuer, Label: "来文单位",
				Msg: "没有对应“来文单位”的一栏：收文须填写来文单位，请指明文件里哪一栏是来文单位（如“制作发文单位”），或给出默认值"})
		}
	}
	return out
}

// copyRange is the copy numbers one row registers.
type copyRange struct {
	row         int // index into the rows
	first, last int
}

// duplicateProblems adds a problem to every row whose 文号+份号 is already
// registered, or is also registered by an earlier row of the file.
func (s *Service) duplicateProblems(t *ImportTable, checked []models.CarrierFields, probs [][]ImportProblem) error {
	byDoc := map[string][]copyRange{}
	for i, c := range checked {
		if c.DocNumber == "" || c.CopyNo <= 0 || c.Copies <= 0 {
			continue
		}
		byDoc[c.DocNumber] = append(byDoc[c.DocNumber], copyRange{row: i, first: c.CopyNo, last: c.CopyNo + c.Copies - 1})
	}
	add := func(i int, msg string) {
		c := checked[i]
		value := models.FormatCopyNo(c.CopyNo)
		if c.Copies > 1 {
			value += "-" + models.FormatCopyNo(c.CopyNo+c.Copies-1)
		}
		probs[i] = append(probs[i], ImportProblem{Line: t.Rows[i].Line, Field: models.FieldCopyNo,
			Label: ImportFieldLabel(models.FieldCopyNo), Value: value, Msg: msg})
	}
	// Within the file: sort each 文号's ranges and sweep.
	docs := make([]string, 0, len(byDoc))
	for d, rs := range byDoc {
		docs = append(docs, d)
		if len(rs) < 2 {
			continue
		}
		sort.Slice(rs, func(a, b int) bool {
			if rs[a].first != rs[b].first {
				return rs[a].first < rs[b].first
			}
			return rs[a].row < rs[b].row
		})
		reach := rs[0]
		for _, r := range rs[1:] {
			if r.first <= reach.last {
				a, b := reach.row, r.row
				if a > b {
					a, b = b, a
				}
				add(b, fmt.Sprintf("文号“%s”的份号 %s 与第 %d 行重复：同一文号的每个份号只能登记一次",
					ClipCell(d), models.FormatCopyNo(r.first), t.Rows[a].Line))
			}
			if r.last > reach.last {
				reach = r
			}
		}
	}
	// Against the register: read the living copies of these 文号, a chunk at a time.
	sort.Strings(docs)
	const chunk = 400
	for lo := 0; lo < len(docs); lo += chunk {
		part := docs[lo:min(lo+chunk, len(docs))]
		args := make([]any, len(part))
		for i, d := range part {
			args[i] = d
		}
		var hits []struct {
			DocNumber string
			CopyNo    int
			RegNo     string
		}
		// The conditions of the partial unique index are written out
		// literally, so that SQLite uses it (see checkDuplicateCopies).
		err := s.db.Raw(`SELECT doc_number, copy_no, reg_no FROM carriers
			WHERE doc_number IN (`+placeholders(len(part))+`) AND doc_number <> '' AND state <> '`+
			string(models.StateVoided)+`' ORDER BY doc_number, copy_no`, args...).Scan(&hits).Error
		if err != nil {
			return fmt.Errorf("check duplicate copies: %w", err)
		}
		held := map[string][]int{}
		regNo := map[string]map[int]string{}
		for _, h := range hits {
			held[h.DocNumber] = append(held[h.DocNumber], h.CopyNo)
			if regNo[h.DocNumber] == nil {
				regNo[h.DocNumber] = map[int]string{}
			}
			regNo[h.DocNumber][h.CopyNo] = h.RegNo
		}
		for _, d := range part {
			copies := held[d]
			if len(copies) == 0 {
				continue
			}
			for _, r := range byDoc[d] {
				k := sort.SearchInts(copies, r.first)
				if k < len(copies) && copies[k] <= r.last {
					add(r.row, fmt.Sprintf("文号“%s”的份号 %s 已经登记过（登记号 %s）：请核对份号；如原登记有误，请先作废原登记",
						ClipCell(d), models.FormatCopyNo(copies[k]), regNo[d][copies[k]]))
				}
			}
		}
	}
	// Keep each row's problems in the order of the fields.
	order := map[string]int{}
	for i, f := range ImportFields {
		order[f.Key] = i
	}
	for i := range probs {
		if len(probs[i]) > 1 {
			sort.SliceStable(probs[i], func(a, b int) bool { return order[probs[i][a].Field] < order[probs[i][b].Field] })
		}
	}
	return nil
}

// decodeText reads a text file as UTF-8 (with or without a byte-order
// mark), UTF-16 with its mark (Excel's “Unicode text”), or else GB18030,
// the superset of GBK that Chinese Excel and WPS save CSV in. bad is where
// in the text the first bytes are that the encoding can't read (their
// offset in the text returned, which holds them as U+FFFD or as they are),
// or -1: they are never turned silently into other characters. A file that
// is UTF-8 but for a few broken bytes counts as UTF-8 with bad bytes, not
// as GB18030 (which would read it as other characters).
func decodeText(b []byte) (text, enc string, bad int, err error) {
	switch {
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		b = b[3:]
		return string(b), "UTF-8", utf8Bad(b), nil
	case bytes.HasPrefix(b, []byte("\xff\xfe")), bytes.HasPrefix(b, []byte("\xfe\xff")):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return "", "", -1, err
		}
		bad := -1
		if bytes.ContainsRune(out, utf8.RuneError) {
			bad = utf16Bad(b[2:], b[0] == 0xfe)
		}
		return string(out), "UTF-16", bad, nil
	case utf8.Valid(b):
		return string(b), "UTF-8", -1, nil
	case mostlyUTF8(b):
		return string(b), "UTF-8", utf8Bad(b), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return "", "", -1, err
	}
	bad = -1
	if bytes.ContainsRune(out, utf8.RuneError) {
		bad = gb18030Bad(b)
	}
	return string(out), "GB18030", bad, nil
}

// utf8Bad is the offset of the first byte of b that is not UTF-8, or -1.
func utf8Bad(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// mostlyUTF8 reports whether b, which is not all UTF-8, is UTF-8 with a few
// broken bytes: its characters of three or four bytes (Chinese in UTF-8)
// far outnumber the bytes that are not UTF-8. Text in GBK is nearly all
// bytes that are not UTF-8, and only here and there one that looks like it.
func mostlyUTF8(b []byte) bool {
	wide, broken := 0, 0
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			broken++
		case n >= 3:
			wide++
		}
		i += n
	}
	return wide > 4*broken
}

// utf16Bad is the offset, in the text the UTF-16 b (after its byte-order
// mark) decodes to, of its first unpaired surrogate or odd last byte, or -1.
func utf16Bad(b []byte, bigEndian bool) int {
	unit := func(i int) rune {
		if bigEndian {
			return rune(b[i])<<8 | rune(b[i+1])
		}
		return rune(b[i+1])<<8 | rune(b[i])
	}
	out := 0
	for i := 0; i+1 < len(b); i += 2 {
		switch u := unit(i); {
		case u < 0xd800 || u > 0xdfff:
			out += utf8.RuneLen(u)
		case u < 0xdc00 && i+3 < len(b) && unit(i+2) >= 0xdc00 && unit(i+2) <= 0xdfff:
			out += 4
			i += 2
		default:
			return out
		}
	}
	if len(b)%2 == 1 {
		return out
	}
	return -1
}

// gb18030Literal is U+FFFD itself in GB18030.
const gb18030Literal = "\x84\x31\xa4\x37"

// gb18030Bad is the offset, in the text GB18030 decodes b to, of the first
// byte sequence of b that is not GB18030, or -1. The decoder of x/text turns
// such a sequence into U+FFFD, as it does U+FFFD itself (84 31 A4 37), so
// they are told apart here, a sequence at a time, cut as the decoder cuts
// them.
func gb18030Bad(b []byte) int {
	dec := simplifiedchinese.GB18030.NewDecoder()
	var buf [32]byte
	out := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			i++
			out++
			continue
		}
		n := 0 // the length of the sequence, 0 for bytes no sequence starts with
		switch {
		case c == 0x80: // the euro sign of code page 936
			n = 1
		case c == 0xff || i+1 >= len(b):
		case b[i+1] >= 0x40 && b[i+1] != 0x7f && b[i+1] != 0xff:
			n = 2
		case b[i+1] >= 0x30 && b[i+1] < 0x40 && i+3 < len(b) &&
			b[i+2] >= 0x81 && b[i+2] != 0xff && b[i+3] >= 0x30 && b[i+3] <= 0x39:
			n = 4
		}
		if n == 0 {
			return out
		}
		dec.Reset()
		nd, _, err := dec.Transform(buf[:], b[i:i+n], true)
		if err != nil || bytes.ContainsRune(buf[:nd], utf8.RuneError) && string(b[i:i+n]) != gb18030Literal {
			return out
		}
		out += nd
		i += n
	}
	return -1
}

// readCSVRows calls fn with each record of text and the line it starts on,
// and the reader, which knows where its fields are; an error of fn stops it.
// The separator is the comma, or a tab or semicolon when the first line has
// more of those.
func readCSVRows(text string, fn func(line int, cells []string, r *csv.Reader) error) error {
	first, _, _ := strings.Cut(strings.TrimLeft(text, "\r\n"), "\n")
	comma := ','
	best := strings.Count(first, ",")
	for _, c := range []rune{'\t', ';'} {
		if n := strings.Count(first, string(c)); n > best {
			comma, best = c, n
		}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		line, _ := r.FieldPos(0)
		if err := fn(line, rec, r); err != nil {
			return err
		}
	}
}
