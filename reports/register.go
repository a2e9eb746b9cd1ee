package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// VolumeRows is how many rows a volume (册) of a printed book holds: about
// a hundred pages, what one binder takes. A larger book starts a new volume
// on a fresh page with its own title and page numbers.
var VolumeRows = 2000

// Table font and spacing of the books, tight enough for twenty rows or more
// on an A4 landscape page with titles on two lines (R26).
const (
	bookPt   = 7.0
	bookLH   = 3.1
	bookPadY = 0.7
)

// registerColumns are the columns of the 收文登记簿 across A4 landscape, in
// millimetres; the 题名 takes the rest. The 发文登记簿 names two of them
// differently (registerTitles).
var registerColumns = []listColumn{
	{title: "序号", width: 9, align: "C"},
	{title: "登记号", width: 23},
	{title: "收文日期", width: 15.5, align: "C"},
	{title: "文号", width: 27},
	{title: "份号", width: 11.5, align: "C"},
	{title: "题名"},
	{title: "来文单位", width: 19},
	{title: "密级★期限", width: 23},
	{title: "载体类型", width: 12, align: "C"},
	{title: "页数或容量", width: 10, align: "C"},
	{title: "份数", width: 6.5, align: "C"},
	{title: "知悉范围", width: 15},
	{title: "责任人", width: 11, align: "C"},
	{title: "状态/去向", width: 27},
	{title: "备注", width: 14},
}

// name is the book's title: 收文登记簿, 发文登记簿, or 涉密文件登记簿.
func (b RegisterBook) name() string {
	if b.Name != "" {
		return b.Name
	}
	return "涉密文件登记簿"
}

// columns are the book's columns: the 发文登记簿 dates by 成文日期 and
// names the 发文单位.
func (b RegisterBook) columns() []listColumn {
	cols := append([]listColumn(nil), registerColumns...)
	if b.Outgoing {
		cols[2].title, cols[6].title = "成文日期", "发文单位"
	}
	return cols
}

// registerField is a carrier's value in a column of the register books;
// seq is its 序号.
func registerField(col string, seq int, c CarrierLine) string {
	switch col {
	case "序号":
		return strconv.Itoa(seq)
	case "收文日期":
		return c.RegDate
	case "成文日期":
		if c.DocDate != "" {
			return c.DocDate
		}
		return c.RegDate
	case "文号":
		return c.DocNumber
	case "题名":
		return c.Title
	case "来文单位", "发文单位":
		return c.Issuer
	case "密级★期限":
		return c.Marking
	case "载体类型":
		return c.Kind
	case "知悉范围":
		return c.NeedToKnow
	case "责任人":
		return c.Custodian
	case "状态/去向":
		return c.Where
	}
	return itemField(col, seq-1, c)
}

// RenderRegister writes one register book for a selection of the ledger;
// see RenderRegisters.
func RenderRegister(w io.Writer, f RegisterBook, o Options) error {
	return RenderRegisters(w, []RegisterBook{f}, o)
}

// RenderRegisters writes the register books (R26), the 收文登记簿 and the
// 发文登记簿, one after the other: A4 landscape, each in registration order
// with its selection under its title, its rows numbered from 1 in a table
// whose header repeats on every page, and split into volumes of VolumeRows
// rows, each starting on a fresh page with its title. Pages are numbered
// within each book or volume when there are several. The books have no slip
// number; they bear Head.Marking of the first, or when that is blank the
// highest level they contain (the print dialog's confirmed level replaces
// either, see Options.Marking).
func RenderRegisters(w io.Writer, books []RegisterBook, o Options) error {
	return renderPDF(w, books, o, drawRegisters)
}

func drawRegisters(w io.Writer, books []RegisterBook, o Options) error {
	if len(books) == 0 {
		return fmt.Errorf("no register book to print")
	}
	var all []CarrierLine
	for _, b := range books {
		all = append(all, b.Rows...)
	}
	s, err := newList("L", books[0].name(), listHead(books[0].Head, all), o)
	if err != nil {
		return err
	}
	s.tablePt, s.tableLH, s.tablePadY = bookPt, bookLH, bookPadY
	vols := func(b RegisterBook) int { return max(1, (len(b.Rows)+VolumeRows-1)/VolumeRows) }
	several := len(books) > 1
	for bi, b := range books {
		s.form = b.name()
		cols := s.resolve(b.columns())
		for v := 0; v < vols(b); v++ {
			label := ""
			if several {
				label = b.name()
			}
			if vols(b) > 1 {
				label = strings.TrimSpace(fmt.Sprintf("%s 第 %d 册", label, v+1))
			}
			if bi == 0 && v == 0 {
				s.firstLabel = label
			} else {
				s.startSection(label)
			}
			from, to := v*VolumeRows, min((v+1)*VolumeRows, len(b.Rows))
			s.marks()
			s.title()
			s.line(bookScope(b, from, to, vols(b)), true, "C")
			rows := make([][]string, 0, to-from)
			for i := from; i < to; i++ {
				r := make([]string, len(cols))
				for j, c := range cols {
					r[j] = registerField(c.title, i+1, b.Rows[i])
				}
				rows = append(rows, r)
			}
			s.table(cols, rows)
		}
	}
	return s.finish(w)
}

// bookScope is the line under a book's title: its selection and size, and
// which volume this is with its 序号 range.
func bookScope(b RegisterBook, from, to, vols int) string {
	filter := strings.TrimSpace(b.Filter)
	if filter == "" {
		filter = "全部"
	}
	out := fmt.Sprintf("范围：%s（共 %d 件）", filter, len(b.Rows))
	if vols > 1 {
		out += fmt.Sprintf("  第 %d 册 共 %d 册，序号 %d—%d", from/VolumeRows+1, vols, from+1, to)
	}
	return out
}
