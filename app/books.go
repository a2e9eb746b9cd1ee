package app

// The running books (运行登记簿, R26): one book for each kind of act, for
// any period, one line per act (per carrier of an act that lists several)
// with the number of its signed slip, printed to PDF and exported to Excel.

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"secdoc/models"
	"secdoc/reports"
)

// BookKind names a running book.
type BookKind string

// The running books.
const (
	BookCopy        BookKind = "copy"        // 复制登记簿
	BookLoan        BookKind = "loan"        // 借阅登记簿
	BookTakeOut     BookKind = "takeout"     // 外出携带登记簿
	BookDestruction BookKind = "destruction" // 销毁登记簿
	BookReturn      BookKind = "return"      // 清退登记簿
	BookCirculation BookKind = "circulation" // 传阅登记簿
	BookSecrecy     BookKind = "secrecy"     // 密级变更登记簿
	BookDispatch    BookKind = "dispatch"    // 分发登记簿
)

// BookInfo describes a running book for menus and --help.
type BookInfo struct {
	Kind  BookKind
	Short string // the act: 借阅
	Name  string // the book: 借阅登记簿
	Dated string // the date that puts an act in the period: 借出日期
}

// Books lists the running books in the order of the acts' life.
var Books = []BookInfo{
	{BookCopy, "复制", "复制登记簿", "审批日期"},
	{BookLoan, "借阅", "借阅登记簿", "借出日期"},
	{BookTakeOut, "外出携带", "外出携带登记簿", "携出日期"},
	{BookCirculation, "传阅", "传阅登记簿", "传阅开始日期"},
	{BookSecrecy, "密级变更", "密级变更登记簿", "变更日期"},
	{BookDispatch, "分发", "分发登记簿", "分发日期"},
	{BookReturn, "清退", "清退登记簿", "清退日期"},
	{BookDestruction, "销毁", "销毁登记簿", "销毁日期"},
}

// BookByName finds a book by its kind (loan), its act (借阅) or its name
// (借阅登记簿).
func BookByName(name string) (BookInfo, bool) {
	name = strings.TrimSpace(name)
	for _, b := range Books {
		if name == string(b.Kind) || name == b.Short || name == b.Name {
			return b, true
		}
	}
	return BookInfo{}, false
}

// FormBook is what a printed running book is recorded as; it is printed by
// PrintBook, not Print.
const FormBook FormKind = "book"

// Field names of a book's messages.
const (
	FieldBookKind = "BookKind"
	FieldBookFrom = "BookFrom"
	FieldBookTo   = "BookTo"
)

// Errors of the books.
var (
	ErrUnknownBook = errors.New("unknown running book")
)

// period is a span of days, both ends included, as yyyy-mm-dd.
type period struct{ from, to string }

func (p period) String() string { return p.from + " 至 " + p.to }

// fileText is the period in a file name: 2026.01.01-2026.12.31.
func (p period) fileText() string {
	return strings.ReplaceAll(p.from, "-", ".") + "-" + strings.ReplaceAll(p.to, "-", ".")
}

func (p period) has(day string) bool { return day >= p.from && day <= p.to }

// parsePeriod reads the first and last day of a period as clerks type
// dates; the first may not come after the last.
func parsePeriod(from, to string) (period, error) {
	var p period
	for _, e := range []struct {
		in, field, label string
		out              *string
	}{{from, FieldBookFrom, "起始日期", &p.from}, {to, FieldBookTo, "截止日期", &p.to}} {
		if strings.TrimSpace(e.in) == "" {
			return p, fieldError(e.field, models.ErrBadPeriod, "请填写%s，如 2026-01-01", e.label)
		}
		d, err := models.ParseDate(e.in)
		if err != nil {
			return p, fieldError(e.field, models.ErrBadPeriod, "%s“%s”不是有效的日期，请写作 2026-01-01", e.label, strings.TrimSpace(e.in))
		}
		*e.out = d.Format(models.DateLayout)
	}
	if p.from > p.to {
		return p, fieldError(FieldBookFrom, models.ErrBadPeriod, "起始日期 %s 晚于截止日期 %s，请重新选择期间", p.from, p.to)
	}
	return p, nil
}

// bookLines is what a book's reader gives: its columns, its lines, and
// the carriers it names, whose levels and terms mark it.
type bookLines struct {
	cols     []reports.BookColumn
	rows     [][]string
	carriers []models.Carrier
}

// BookRows gathers the book of kind (a BookKind, or the act's or book's
// Chinese name) over the days from to to (yyyy-mm-dd, both included): the
// acts dated in it (see BookInfo.Dated), oldest first, then by slip number;
// a line each, or a line for each carrier of an act that lists several.
// The book's Marking is its default (R26): the highest level and longest
// term of the carriers in it, which the clerk confirms or lowers. Clerk only.
func (s *Service) BookRows(sess *Session, kind BookKind, from, to string) (_ reports.Book, err error) {
	defer s.refused(sess, "BookRows", "", &err)
	b, _, _, err := s.book(sess, kind, from, to)
	return b, err
}

// book is BookRows without its own record of refusals, with the book's
// description and period.
func (s *Service) book(sess *Session, kind BookKind, from, to string) (reports.Book, BookInfo, period, error) {
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return reports.Book{}, BookInfo{}, period{}, err
	}
	info, ok := BookByName(string(kind))
	if !ok {
		return reports.Book{}, info, period{}, fieldError(FieldBookKind, ErrUnknownBook, "没有“%s”这种登记簿，可选：%s", kind, bookNames())
	}
	p, err := parsePeriod(from, to)
	if err != nil {
		return reports.Book{}, info, p, err
	}
	lines, err := s.readBook(info.Kind, p)
	if err != nil {
		return reports.Book{}, info, p, err
	}
	if len(lines.rows) > MaxRegisterRows {
		return reports.Book{}, info, p, fieldError("", models.ErrTooLarge,
			"%s在 %s 期间的记录超过一次打印的上限 %d 条，请缩短期间后分册打印", info.Name, p, MaxRegisterRows)
	}
	b := reports.Book{Head: s.printHead(sess), Name: info.Name, Period: p.String(), Columns: lines.cols, Rows: lines.rows}
	b.Marking = listMark(lines.carriers)
	return b, info, p, nil
}

func bookNames() string {
	names := make([]string, len(Books))
	for i, b := range Books {
		names[i] = b.Short
	}
	return strings.Join(names, "、")
}

// bookJob gathers a book for printing: a list whose marking the clerk
// confirms (R26), the book's default otherwise.
func (s *Service) bookJob(sess *Session, kind BookKind, from, to string) (printJob, error) {
	b, info, p, err := s.book(sess, kind, from, to)
	if err != nil {
		return printJob{}, err
	}
	return printJob{
		list: true,
		out: Printout{Form: FormInfo{Kind: FormBook, Name: info.Name, ID: "期间"}, Object: p.String(), Carriers: len(b.Rows),
			Marking: b.Marking, FileName: safeFileName(fmt.Sprintf("%s(%s)", info.Name, p.fileText())) + ".pdf"},
		render: func(w io.Writer, o reports.Options) error { return reports.RenderBook(w, b, o) },
	}, nil
}

// PrintBook prints a running book (see BookRows) as PDF onto w, marked with
// opt.Marking or, when that is blank, the book's default. The printing is
// audited with the marking. Clerk only.
func (s *Service) PrintBook(sess *Session, kind BookKind, from, to string, opt reports.Options, w io.Writer) (_ Printout, err error) {
	defer s.refused(sess, "PrintBook", "", &err)
	job, err := s.bookJob(sess, kind, from, to)
	if err != nil {
		return Printout{}, err
	}
	return job.out, s.writePrintout(sess, job, opt, toWriter(w))
}

// PrintBookToFile is PrintBook into a file or folder, as PrintToFile: in a
// folder the file is named 借阅登记簿(2026.01.01-2026.12.31).pdf.
func (s *Service) PrintBookToFile(sess *Session, kind BookKind, from, to string, opt reports.Options, path string) (_ Printout, _ string, err error) {
	defer s.refused(sess, "PrintBookToFile", "", &err)
	job, err := s.bookJob(sess, kind, from, to)
	if err != nil {
		return Printout{}, "", err
	}
	return s.saveJob(sess, job, opt, path)
}

// ExportBookFile writes a running book (see BookRows) to the .xlsx file at
// path, through a temporary file renamed over it when complete: one sheet
// named after the book, its marking (opt's, confirmed as for printing, or
// the book's default) in the first row, the title, a bold frozen header, and a row per line,
// every cell text. The export is audited. Clerk only. It
// returns the number of lines.
func (s *Service) ExportBookFile(sess *Session, kind BookKind, from, to string, opt reports.Options, path string) (_ int, err error) {
	defer s.refused(sess, "ExportBookFile", "", &err)
	b, info, p, err := s.book(sess, kind, from, to)
	if err != nil {
		return 0, err
	}
	marked, err := s.confirmMarking(printJob{list: true, out: Printout{Marking: b.Marking}}, &opt)
	if err != nil {
		return 0, err
	}
	if opt.Marking != "" {
		b.Marking = opt.Marking
	}
	what := fmt.Sprintf("导出《%s》（%s）Excel%s", info.Name, p, marked)
	n, err := writeFileAtomic(path, func(w io.Writer) (int, error) {
		f, done, err := s.newWorkbook()
		if err != nil {
			return 0, err
		}
		defer done()
		return writeBookXLSX(f, w, b)
	})
	if err != nil {
		s.auditAlone(sess, models.EventExport, filepath.Base(path), false, fmt.Sprintf("%s失败：%v", what, err))
		return 0, err
	}
	return n, s.auditAlone(sess, models.EventExport, filepath.Base(path), true, fmt.Sprintf("%s，共 %d 条", what, n))
}
