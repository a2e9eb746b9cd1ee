package reports

import (
	"fmt"
	"io"
	"strings"
)

// Book is a running book (运行登记簿) of one kind of act over a period
// (R26): the 复制, 借阅, 外出携带, 销毁, 清退, 传阅, 密级变更 or 分发登记簿,
// one row per act (per carrier of an act that lists several), each with the
// number of its signed slip.
type Book struct {
	Head
	Name    string // the book's name: 借阅登记簿
	Period  string // the period it covers: 2026-01-01 至 2026-12-31
	Columns []BookColumn
	Rows    [][]string // a cell per column
}

// BookColumn is one column of a book.
type BookColumn struct {
	Title string
	Width float64 // millimetres across A4 landscape; 0 takes what the others leave
	Align string  // "L" (default) or "C"
}

// RenderBook writes a running book: A4 landscape, marked top-left with
// Head.Marking (or Options.Marking), the office's name and the book's under
// it, the period and the number of rows, then the rows in a table whose
// header repeats on every page, text wrapping inside its cell, with
// 第 x 页 共 y 页 at the foot.
func RenderBook(w io.Writer, b Book, o Options) error {
	return renderPDF(w, b, o, drawBook)
}

func drawBook(w io.Writer, b Book, o Options) error {
	s, err := newList("L", b.Name, b.Head, o)
	if err != nil {
		return err
	}
	// A smaller face than the lists': a row of a dozen columns stays on one
	// line, and twenty and more rows fit on a page.
	s.tablePt, s.tableLH = smallPt, smallLineH
	s.ref = b.Period
	s.bookMark()
	s.title()
	s.line(fmt.Sprintf("期间：%s（共 %d 条）", strings.TrimSpace(b.Period), len(b.Rows)), true, "C")
	cols := make([]listColumn, len(b.Columns))
	for i, c := range b.Columns {
		cols[i] = listColumn{title: c.Title, width: c.Width, align: c.Align}
	}
	s.table(cols, b.Rows)
	if len(b.Rows) == 0 {
		s.line("本期间没有登记的事项。", true, "C")
	}
	return s.finish(w)
}

// bookMark prints a book's marking top-left, bold at 16 pt: a book has no
// 份号, slip number or barcode, so nothing else shares its first lines.
func (s *sheet) bookMark() {
	if s.head.Marking == "" {
		return
	}
	s.font(16)
	bold(s.pdf, true)
	for _, line := range wrap(s.pdf, s.head.Marking, s.width) {
		s.pdf.SetXY(s.left, s.y)
		s.pdf.CellFormat(s.width, 8, line, "", 0, "L", false, 0, "")
		s.y += 8.5
	}
	bold(s.pdf, false)
	s.y += 1
}
