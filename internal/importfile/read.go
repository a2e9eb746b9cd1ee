package importfile

// An existing register read from .xlsx or CSV (UTF-8, UTF-16 or GB18030) into a table.

import (
	"archive/zip"
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

	"secdoc/models"
)

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
	// before anything is unpacked. (archive/zip, and the reader, refuse a
	// part that unpacks to more than it declares, so the declared sizes
	// hold.) A CSV file may be no larger either.
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
		f.TermCondition, f.CopyNo, f.Copies, f.Pages, f.NeedToKnow, f.Location, f.Custodian, f.Deadline, f.Remarks} {
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

// ClipError is err, or err with its message's long quotes of f cut short.
func ClipError(err error, f models.CarrierForm) error {
	msg := err.Error()
	if c := clipEchoes(msg, formEchoes(f)); c != msg {
		return &clippedError{msg: c, err: err}
	}
	return err
}

// SizeText is a size in bytes as a message gives it: 512 MB, 95 MB, 300 KB.
func SizeText(n uint64) string {
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
			name, SizeText(uint64(size)), SizeText(uint64(MaxImportUnpacked)))}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &ImportFileError{Msg: "读不了文件“" + name + "”", Err: err}
	}
	return readCSV(b, name)
}

// notExcel is the message of a file that can't be opened as a workbook.
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
		size := SizeText(total)
		if size == SizeText(limit) { // just over: say by how much
			size = strconv.FormatUint(total, 10) + " 字节"
		}
		return &ImportFileError{Msg: fmt.Sprintf("“%s”解压后有 %s，超过导入的上限 %s（10 万行的登记簿解压后约 95 MB）："+
			"文件可能损坏或是恶意构造的（“压缩炸弹”），没有读取；如确是登记簿，请分成几个文件分别导入",
			name, size, SizeText(limit))}
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
				name, ClipCell(f.Name), ratio, SizeText(c), SizeText(u), MaxImportRatio)}
		}
	}
	return nil
}

func readXLSX(path, name, sheet string) (*ImportTable, error) {
	f, err := openXLSX(path)
	if err != nil {
		return nil, &ImportFileError{Msg: notExcel(name), Err: err}
	}
	defer f.Close()
	t := &ImportTable{Name: name, Format: "Excel", Sheets: f.sheetNames()}
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
	date1904 := f.date1904
	rows, err := f.rows(t.Sheet, MaxImportCells)
	if err != nil {
		return nil, xlsxError(name, "读不了工作表“"+t.Sheet+"”", err)
	}
	defer rows.Close()
	b := tableBuilder{where: "“" + name + "”的工作表“" + t.Sheet + "”"}
	line := 0
	for rows.Next() {
		line++
		cells, err := rows.Columns()
		if err != nil {
			return nil, xlsxError(name, fmt.Sprintf("读不了工作表“%s”的第 %d 行", t.Sheet, line), err)
		}
		if date1904 {
			cells = append(cells[:0:0], cells...)
			for i, c := range cells {
				cells[i] = shift1904(c)
			}
		}
		// A row cut short at MaxImportCells (xlsxRows.Columns) is refused
		// here.
		if err := b.add(line, cells); err != nil {
			return nil, err
		}
	}
	if err := rows.Error(); err != nil {
		return nil, xlsxError(name, "读不了工作表“"+t.Sheet+"”", err)
	}
	b.finish(t)
	return t, nil
}

// xlsxError is the error of a sheet that can't be read: msg, or, for a part
// that can't be unpacked, notExcel, or for too many shared strings the
// import's limit.
func xlsxError(name, msg string, err error) error {
	var damaged *xlsxDamagedError
	var many *xlsxStringsError
	switch {
	case errors.As(err, &damaged):
		msg = notExcel(name)
	case errors.As(err, &many):
		msg = fmt.Sprintf("“%s”的共享字符串表超过 %s 项，超出一次导入的上限（%s 个单元格、%s 行数据）："+
			"文件可能损坏或是恶意构造的，没有读取；如确是登记簿，请分成几个文件分别导入",
			name, countText(many.limit), countText(MaxImportCells), countText(MaxImportRows))
		err = nil
	}
	return &ImportFileError{Msg: msg, Err: err}
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
