package reports

import (
	"fmt"
	"io"
	"strings"
)

// Annual is the year's statistics as printed for the 保密 inspection (R26):
// tables of figures, the balance check and what the figures mean.
type Annual struct {
	Head    Head
	Year    int
	Period  string // 统计期间：2026年1月1日至2026年12月31日
	Tables  []AnnualTable
	Balance []string // printed under the first table
	Notes   []string // printed at the end
}

// AnnualTable is one table: a column of row headings, then the figures.
type AnnualTable struct {
	Title   string
	Head    string   // the heading of the rows' column: 密级, 载体类型, 责任人
	Columns []string // the headings of the figures' columns
	Rows    []AnnualRow
	Notes   []string // under the table, in small print
}

// AnnualRow is a row of a table: its heading and its figures as printed.
type AnnualRow struct {
	Label string
	Cells []string
}

// annualLabelW is the width of the rows' heading column, in millimetres.
const annualLabelW = 30.0

// chineseNumbers number the tables: 一、二、…
var chineseNumbers = []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
	"十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"}

// RenderAnnual writes the <office><year>年度涉密载体统计表: A4 landscape,
// marked top-left with the marking the clerk confirmed (Options.Marking,
// else Head.Marking), the period under the title, then each table numbered
// with its heading repeated on a new page, the balance check under the
// first, the notes and the lines for the 填表人 and 审核人 to sign at the end.
func RenderAnnual(w io.Writer, a Annual, o Options) error {
	return renderPDF(w, a, o, drawAnnual)
}

func drawAnnual(w io.Writer, a Annual, o Options) error {
	s, err := newList("L", fmt.Sprintf("%d年度涉密载体统计表", a.Year), a.Head, o)
	if err != nil {
		return err
	}
	s.marks()
	s.title()
	if a.Period != "" {
		s.line(a.Period, true, "C")
	}
	for i, t := range a.Tables {
		num := fmt.Sprint(i + 1)
		if i < len(chineseNumbers) {
			num = chineseNumbers[i]
		}
		s.annualTable(num+"、"+t.Title, t)
		if i == 0 {
			s.notes(a.Balance, bodyPt)
		}
	}
	if len(a.Notes) > 0 {
		s.heading("说明", 2*tableLineH)
		s.notes(a.Notes, 9)
	}
	s.signLines([]string{"填表人", "审核人"}, []string{a.Head.PrintedBy, ""})
	return s.finish(w)
}

// annualTable prints one table under its heading, kept with its first rows.
func (s *sheet) annualTable(title string, t AnnualTable) {
	n := max(len(t.Columns), 1)
	colW := (s.width - annualLabelW) / float64(n)
	cols := []listColumn{{title: t.Head, width: annualLabelW, align: "L"}}
	for _, c := range t.Columns {
		cols = append(cols, listColumn{title: c, width: colW, align: "C"})
	}
	rows := make([][]string, len(t.Rows))
	for i, r := range t.Rows {
		row := append([]string{r.Label}, r.Cells...)
		for len(row) < len(cols) {
			row = append(row, "")
		}
		rows[i] = row
	}
	s.heading(title, s.tableStart(cols, rows)+2*tableLineH)
	s.table(cols, rows)
	s.y += 1
	s.notes(t.Notes, 9)
}

// notes prints lines of small print across the page.
func (s *sheet) notes(lines []string, pt float64) {
	if len(lines) == 0 {
		return
	}
	s.y += 1
	for _, l := range lines {
		s.font(pt)
		for _, part := range wrap(s.pdf, strings.TrimSpace(l), s.width) {
			s.need(tableLineH)
			s.pdf.SetXY(s.left, s.y)
			s.pdf.CellFormat(s.width, tableLineH, part, "", 0, "L", false, 0, "")
			s.y += tableLineH
		}
	}
	s.y += 2
}
