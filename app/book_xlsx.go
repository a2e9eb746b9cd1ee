package app

// A running book written to .xlsx (R26).

import (
	"archive/zip"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"secdoc/reports"
)

// bookPageW is the width of a book's table on the page, in millimetres:
// A4 landscape less its margins; the column of width 0 takes what the
// others leave of it.
const bookPageW = 297 - 2*15.0

// xlsxWidth is the Excel width (in characters of the default font) of a
// column w millimetres wide on the printed book: about as many Chinese
// characters to a line, each two of Excel's characters wide.
func xlsxWidth(w float64) float64 {
	return max(6, float64(int((w-3)*0.72+1.5)))
}

// bookWidths are the Excel widths of a book's columns.
func bookWidths(cols []reports.BookColumn) []float64 {
	used := 0.0
	for _, c := range cols {
		used += c.Width
	}
	out := make([]float64, len(cols))
	for i, c := range cols {
		w := c.Width
		if w == 0 {
			w = max(bookPageW-used, 40)
		}
		out[i] = xlsxWidth(w)
	}
	return out
}

// bookStyles are the styles of a book's sheet.
type bookStyles struct{ mark, title, head, text int }

func newBookStyles(f *excelize.File) (bookStyles, error) {
	var st bookStyles
	var err error
	if st.head, _, err = sheetStyles(f); err != nil {
		return st, err
	}
	textFmt := "@"
	top := &excelize.Alignment{Vertical: "top", WrapText: true}
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.mark, excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 16},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&st.text, excelize.Style{CustomNumFmt: &textFmt, Alignment: top}},
	} {
		if *s.id, err = f.NewStyle(&s.style); err != nil {
			return st, err
		}
	}
	return st, nil
}

// writeBookXLSX writes the book to w through f, a new workbook, as one
// sheet named after it: the marking (or an empty row), the title with the
// period and the count, the header (bold, frozen with the rows above it),
// then the lines. Every cell is text, so that a slip number, a date or a
// 份号 stays as printed. It returns the lines written.
func writeBookXLSX(f *excelize.File, w io.Writer, b reports.Book) (int, error) {
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	st, err := newBookStyles(f)
	if err != nil {
		return 0, err
	}
	if err := f.SetSheetName(f.GetSheetName(0), b.Name); err != nil {
		return 0, err
	}
	sw, err := f.NewStreamWriter(b.Name)
	if err != nil {
		return 0, err
	}
	for i, wd := range bookWidths(b.Columns) {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return 0, err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"}); err != nil {
		return 0, err
	}
	if err := bookHead(sw, b, st); err != nil {
		return 0, err
	}
	row := make([]any, len(b.Columns))
	for n, r := range b.Rows {
		for i := range b.Columns {
			v := ""
			if i < len(r) {
				v = r[i]
			}
			row[i] = excelize.Cell{StyleID: st.text, Value: v}
		}
		cell, _ := excelize.CoordinatesToCellName(1, n+4)
		if err := sw.SetRow(cell, row); err != nil {
			return 0, fmt.Errorf("write row %d: %w", n+4, err)
		}
	}
	if err := sw.Flush(); err != nil {
		return 0, err
	}
	if err := f.Write(io.Discard); err != nil {
		return 0, fmt.Errorf("write workbook: %w", err)
	}
	return len(b.Rows), nil
}

// bookHead writes a book sheet's first three rows: the marking, the title
// across the columns, and the header.
func bookHead(sw *excelize.StreamWriter, b reports.Book, st bookStyles) error {
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: st.mark, Value: b.Marking}}, excelize.RowOpts{Height: 22}); err != nil {
		return err
	}
	title := fmt.Sprintf("%s%s（%s，共 %d 条）", b.Office, b.Name, strings.TrimSpace(b.Period), len(b.Rows))
	if err := sw.SetRow("A2", []any{excelize.Cell{StyleID: st.title, Value: title}}, excelize.RowOpts{Height: 28}); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(b.Columns), 2)
	if err := sw.MergeCell("A2", last); err != nil {
		return err
	}
	head := make([]any, len(b.Columns))
	for i, c := range b.Columns {
		head[i] = excelize.Cell{StyleID: st.head, Value: c.Title}
	}
	return sw.SetRow("A3", head, excelize.RowOpts{Height: 20})
}
