package reports

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/boombuler/barcode/code128"

	"secdoc/models"
)

// Options are the printing choices common to every form.
type Options struct {
	// DataOnly prints only what was filled in, for paper forms that already
	// carry the printed frame (套打): no lines, captions, titles or footers.
	DataOnly bool
	// OffsetX and OffsetY move everything on the page, in millimetres
	// (right and down are positive), to match a printer's feed.
	OffsetX, OffsetY float64
	// Marking is the 密级★期限 the clerk confirmed for a list or book in the
	// print dialog (R26: printing one is itself a 派生定密); "" keeps the
	// form's own (Head.Marking, for a list the default of its contents).
	Marking string
	// Classifier is the 定密责任人 who decided Marking, recorded with the
	// printing (it is not printed).
	Classifier string

	// font is the characters the document's font has, set by renderPDF for
	// each attempt; nil is the whole font.
	font *docFont
}

// Head is what every form carries above its body.
type Head struct {
	Office  string // the office's name, put before the form's name in the title
	SlipNo  string // 编号 of the request, batch or slip; printed with its barcode
	RegNo   string // 登记号 of the carrier, for single-carrier slips; with its barcode
	CopyNo  int    // 份号, printed as six digits top-left; 0 prints none
	Marking string // 密级★期限, e.g. 绝密★30年; printed bold 16 pt under the 份号
	Urgency string // 缓急, under the marking; blank prints none

	PrintedBy string    // who printed, in the footer
	Printed   time.Time // when; also the PDF's creation date
}

// Page geometry, in millimetres.
const (
	margin    = 15.0
	cellPadX  = 1.5
	cellPadY  = 1.2
	bodyPt    = 10.5
	bodyLineH = 5.2
	footerH   = 12.0
)

// sheet lays a form out from top to bottom: marks and barcodes, the title,
// then rows of cells or a table, starting a new page whenever the next piece
// would not fit. Captions and lines are the frame, which 套打 leaves out;
// the filled-in values are the data, which is always printed.
type sheet struct {
	pdf   *doc
	opt   Options
	head  Head
	form  string // the form's name
	ref   string // what a continuation page names the form by when it has no slip number
	pageW float64
	pageH float64
	left  float64
	width float64 // usable width
	y     float64
	open  bool // a translation is open on the current page

	// onNewPage runs after a continuation page's small heading, e.g. to
	// repeat a table's header.
	onNewPage func()

	// tablePt is the font size of table's rows and header; 0 is 9.5 pt.
	tablePt float64
	// tableLH and tablePadY are a table's line height and its cells' padding
	// above and below; 0 is tableLineH and cellPadY. Books set them tight so
	// that twenty rows or more fit on a page (R26).
	tableLH, tablePadY float64
	// sections are the parts of a printout that number their pages each
	// from 1: the books of a register printed together, a book's volumes
	// (册). firstLabel names the part before the first section.
	sections   []section
	firstLabel string
}

// section is a part of a printout that starts on page start and is named
// label in the footer (发文登记簿, 第 2 册).
type section struct {
	start int
	label string
}

// startSection begins a part numbered on its own on a fresh page.
func (s *sheet) startSection(label string) {
	s.addPage()
	s.sections = append(s.sections, section{start: s.pdf.PageNo(), label: label})
}

// lineH is a table's line height.
func (s *sheet) lineH() float64 {
	if s.tableLH > 0 {
		return s.tableLH
	}
	return tableLineH
}

// padY is the padding above and below a table cell's text.
func (s *sheet) padY() float64 {
	if s.tablePadY > 0 {
		return s.tablePadY
	}
	return cellPadY
}

func newSheet(orientation, form string, h Head, o Options) (*sheet, error) {
	pdf, err := newDoc(orientation, h.Printed, o.font)
	if err != nil {
		return nil, err
	}
	pdf.SetTitle(strings.TrimSpace(h.Office+form), true)
	if o.Marking != "" {
		h.Marking = o.Marking
	}
	s := &sheet{pdf: pdf, opt: o, head: h, form: form}
	s.pageW, s.pageH = pdf.GetPageSize()
	s.left = margin
	s.width = s.pageW - 2*margin
	s.addPage()
	return s, nil
}

// bottom is the lowest y the body may reach.
func (s *sheet) bottom() float64 { return s.pageH - margin - footerH + 4 }

func (s *sheet) addPage() {
	if s.open {
		s.pdf.TransformEnd()
	}
	s.pdf.AddPage()
	s.pdf.TransformBegin()
	s.pdf.TransformTranslate(s.opt.OffsetX, s.opt.OffsetY)
	s.open = true
	s.y = margin
}

// newPage continues the form on a fresh page with a small heading that
// names the form, its number and its marking.
func (s *sheet) newPage() {
	pt, _ := s.pdf.GetFontSize()
	defer s.font(pt)
	s.addPage()
	s.font(9)
	y := s.y
	// A list's marking can name many 解密条件: it wraps in its half.
	for _, line := range wrap(s.pdf, s.head.Marking, s.width/2-2) {
		s.pdf.SetXY(s.left, y)
		s.pdf.CellFormat(s.width/2-2, 4.5, line, "", 0, "L", false, 0, "")
		y += 4.5
	}
	if !s.opt.DataOnly {
		ref := s.head.SlipNo
		if ref == "" {
			ref = s.ref
		}
		s.pdf.SetXY(s.left+s.width/2, s.y)
		s.pdf.CellFormat(s.width/2, 5, strings.TrimSpace(s.form+"（续）  "+ref), "", 0, "R", false, 0, "")
	}
	s.y = max(y, s.y+5) + 3
	if s.onNewPage != nil {
		s.onNewPage()
	}
}

// need starts a new page unless h more millimetres fit on this one.
func (s *sheet) need(h float64) {
	if s.y+h > s.bottom() {
		s.newPage()
	}
}

func (s *sheet) font(pt float64) {
	s.pdf.SetFont(fontFamily, "", pt)
}

// marks prints the GB/T 9704 marks top-left: 份号 in six digits, then
// 密级★期限 bold at 16 pt, then 缓急 in the same size; and the barcodes of the
// slip and register numbers top-right.
func (s *sheet) marks() {
	pdf := s.pdf
	y := s.y
	if s.head.CopyNo > 0 {
		s.font(12)
		pdf.SetXY(s.left, y)
		pdf.CellFormat(60, 6, fmt.Sprintf("%06d", s.head.CopyNo), "", 0, "L", false, 0, "")
	}
	y += 7
	s.font(16)
	// The marks take the width the barcodes leave; a list's marking that
	// names many 解密条件 wraps there.
	room := s.width
	if s.head.SlipNo != "" || s.head.RegNo != "" {
		room -= 66
	}
	bold(pdf, true)
	for _, m := range []string{s.head.Marking, s.head.Urgency} {
		if m == "" {
			continue
		}
		for _, line := range wrap(pdf, m, room) {
			pdf.SetXY(s.left, y)
			pdf.CellFormat(room, 8, line, "", 0, "L", false, 0, "")
			y += 8.5
		}
	}
	bold(pdf, false)
	by := s.y
	for _, b := range []struct{ label, no string }{{"编号", s.head.SlipNo}, {"登记号", s.head.RegNo}} {
		if b.no == "" {
			continue
		}
		s.barcode(s.left+s.width-62, by, 62, 8, b.no)
		s.font(8)
		pdf.SetXY(s.left+s.width-62, by+8.3)
		pdf.CellFormat(62, 3.6, b.label+"："+b.no, "", 0, "C", false, 0, "")
		by += 14
	}
	s.y = max(y, by) + 1
}

// barcode draws no as a Code 128 barcode of vector bars, fitted into the
// box at (x, y) and centred in it; a number that can't be coded is left out.
func (s *sheet) barcode(x, y, w, h float64, no string) {
	text := models.BarcodeText(no)
	if text == "" {
		return
	}
	bc, err := code128.Encode(text)
	if err != nil {
		return
	}
	n := bc.Bounds().Dx()
	// Bars of at least 0.25 mm scan reliably; shrink the box rather than the bars.
	module := min(w/float64(n), 0.5)
	x += (w - module*float64(n)) / 2
	s.pdf.SetFillColor(0, 0, 0)
	for i := 0; i < n; {
		r, _, _, _ := bc.At(i, 0).RGBA()
		if r != 0 {
			i++
			continue
		}
		j := i
		for j < n {
			if r, _, _, _ := bc.At(j, 0).RGBA(); r != 0 {
				break
			}
			j++
		}
		s.pdf.Rect(x+float64(i)*module, y, float64(j-i)*module, h, "F")
		i = j
	}
}

// title prints the office's name and the form's name, centred and bold,
// wrapped if the office's name is long.
func (s *sheet) title() {
	if s.opt.DataOnly {
		s.y += 12
		return
	}
	s.font(18)
	bold(s.pdf, true)
	for _, line := range wrap(s.pdf, strings.TrimSpace(s.head.Office+s.form), s.width) {
		s.pdf.SetXY(s.left, s.y)
		s.pdf.CellFormat(s.width, 9, line, "", 0, "C", false, 0, "")
		s.y += 9
	}
	bold(s.pdf, false)
	s.y += 3
}

// line prints a line of text across the page: a caption (frame) or data.
func (s *sheet) line(text string, frame bool, align string) {
	s.font(bodyPt)
	lines := wrap(s.pdf, text, s.width)
	for _, l := range lines {
		s.need(bodyLineH)
		if !frame || !s.opt.DataOnly {
			s.pdf.SetXY(s.left, s.y)
			s.pdf.CellFormat(s.width, bodyLineH, l, "", 0, align, false, 0, "")
		}
		s.y += bodyLineH
	}
	s.y += 1
}

// cell is one box of a form's row: a printed caption, or a filled-in value
// with an optional printed foot such as a signature and date line.
type cell struct {
	w       float64 // width in millimetres; the row's last cell takes what is left when 0
	text    string
	caption bool   // a printed caption: part of the frame
	align   string // "L" (default) or "C"
	foot    string // printed at the cell's bottom right, e.g. 签字：      年  月  日
}

func caption(w float64, text string) cell { return cell{w: w, text: text, caption: true, align: "C"} }
func value(w float64, text string) cell   { return cell{w: w, text: text} }

// signFoot is the printed line for a handwritten signature and date.
const signFoot = "签字：                    年    月    日"

// row prints one row of boxes, as tall as its fullest cell and at least
// minH. A row taller than what is left of the page is split: its values
// continue in the same boxes on the next page, under their captions again.
func (s *sheet) row(minH float64, cells ...cell) {
	s.font(bodyPt)
	used := 0.0
	for i := range cells {
		used += cells[i].w
	}
	lines := make([][]string, len(cells)) // what is still to print of each value
	for i := range cells {
		if cells[i].w == 0 {
			cells[i].w = s.width - used
		}
		if cells[i].text != "" {
			lines[i] = wrap(s.pdf, cells[i].text, cells[i].w-2*cellPadX)
		}
	}
	footH := 0.0
	for _, c := range cells {
		if c.foot != "" {
			footH = bodyLineH + 1
		}
	}
	freshH := s.bottom() - margin - 8 // the body height of a continuation page
	first, fresh := true, false
	for first || valuesLeft(cells, lines) {
		most := 0
		for _, l := range lines {
			most = max(most, len(l))
		}
		h := max(minH, float64(most)*bodyLineH+2*cellPadY+footH)
		if avail := s.bottom() - s.y; h > avail {
			fit := int((avail - 2*cellPadY - footH) / bodyLineH)
			// Move the row whole to the next page if it fits there, or if
			// too little of it fits here; split it otherwise.
			if !fresh && (fit < 2 || h <= freshH) {
				s.newPage()
				fresh = true
				continue
			}
			h = avail
		}
		fit := int((h - 2*cellPadY - footH) / bodyLineH)
		x := s.left
		for i, c := range cells {
			n := min(fit, len(lines[i]))
			if !s.opt.DataOnly {
				s.pdf.Rect(x, s.y, c.w, h, "D")
			}
			if !c.caption || !s.opt.DataOnly {
				align := c.align
				if align == "" {
					align = "L"
				}
				// A caption is centred vertically; a value starts at the top.
				ty := s.y + cellPadY
				if c.caption {
					ty = s.y + (h-float64(n)*bodyLineH)/2
				}
				for k := 0; k < n; k++ {
					s.pdf.SetXY(x+cellPadX, ty+float64(k)*bodyLineH)
					s.pdf.CellFormat(c.w-2*cellPadX, bodyLineH, lines[i][k], "", 0, align, false, 0, "")
				}
			}
			if !c.caption {
				lines[i] = lines[i][n:]
			}
			if c.foot != "" && !s.opt.DataOnly && len(lines[i]) == 0 {
				s.pdf.SetXY(x+cellPadX, s.y+h-cellPadY-bodyLineH)
				s.pdf.CellFormat(c.w-2*cellPadX-2, bodyLineH, c.foot, "", 0, "R", false, 0, "")
			}
			x += c.w
		}
		s.y += h
		first, fresh = false, false
		if valuesLeft(cells, lines) {
			s.newPage()
			fresh = true
		}
	}
}

// valuesLeft reports whether any value of a row is not printed yet.
func valuesLeft(cells []cell, lines [][]string) bool {
	for i, l := range lines {
		if !cells[i].caption && len(l) > 0 {
			return true
		}
	}
	return false
}

// column is one column of a list's table.
type listColumn struct {
	title string
	width float64 // the last column takes what is left when 0
	align string
}

// tableLineH is the height of a line of text in a table's cells.
const tableLineH = 4.6

// tableLayout is a table's columns with their widths resolved (the one of
// width 0 takes what the others leave), its font size (s.tablePt, 9.5 pt
// when 0) and the height of its header row.
func (s *sheet) tableLayout(cols []listColumn) ([]listColumn, float64, float64) {
	pt := s.tablePt
	if pt == 0 {
		pt = 9.5
	}
	cols = append([]listColumn(nil), cols...)
	used := 0.0
	for _, c := range cols {
		used += c.width
	}
	for i := range cols {
		if cols[i].width == 0 {
			cols[i].width = s.width - used
		}
	}
	s.font(pt)
	headH := 7.0
	for _, c := range cols {
		if n := len(wrap(s.pdf, c.title, c.width-2*cellPadX)); float64(n)*s.lineH()+2 > headH {
			headH = float64(n)*s.lineH() + 2
		}
	}
	return cols, pt, headH
}

// tableLines wraps a row's cells into their columns, in the current font.
func (s *sheet) tableLines(cols []listColumn, r []string) [][]string {
	lines := make([][]string, len(cols))
	for i := range cols {
		if i < len(r) && r[i] != "" {
			lines[i] = wrap(s.pdf, r[i], cols[i].width-2*cellPadX)
		}
	}
	return lines
}

// tableStart is the height a table needs to start on the current page:
// its header and its first row, or two lines of a first row that would be
// split anyway because it is taller than a fresh page.
func (s *sheet) tableStart(cols []listColumn, rows [][]string) float64 {
	cols, _, headH := s.tableLayout(cols)
	most := 1
	if len(rows) > 0 {
		for _, l := range s.tableLines(cols, rows[0]) {
			most = max(most, len(l))
		}
	}
	h := float64(most)*s.lineH() + 2*s.padY()
	if fresh := s.bottom() - margin - 8 - headH; h > fresh {
		h = 2*s.lineH() + 2*s.padY()
	}
	return headH + h
}

// table prints a list with its header row repeated at the top of every page.
// Each row's cells wrap inside their column, in s.tablePt (9.5 pt when 0).
// The table starts on a new page unless its header and first row fit on
// this one. A row is kept whole on one page when it fits on a fresh one; a
// row taller than that is split, its cells continuing on the next page
// under the header.
func (s *sheet) table(cols []listColumn, rows [][]string) {
	s.tableWith(cols, rows, tableStyle{reserve: -1})
}

// tableStyle is how a table of a slip differs from a list's: rows tall
// enough to write in by hand, their text centred, and empty rows added.
type tableStyle struct {
	minH    float64 // the least height of a row
	center  bool    // centre a row's text vertically (a split row's pieces start at the top)
	minRows int     // empty rows are added up to minRows rows in all
	// reserve: when not negative, more empty rows follow, as many as fit on
	// the page the table ends on above its last reserve millimetres (or down
	// to the page's end when reserve millimetres are no longer left there).
	reserve float64
}

// tableWith prints a table as table does, in style st.
func (s *sheet) tableWith(cols []listColumn, rows [][]string, st tableStyle) {
	lh, padY := s.lineH(), s.padY()
	s.need(max(s.tableStart(cols, rows), st.minH+7))
	cols, pt, headH := s.tableLayout(cols)
	if st.minH > 0 {
		headH = max(headH, 8) // a slip's header matches its taller rows
	}
	header := func() {
		s.font(pt)
		if !s.opt.DataOnly {
			x := s.left
			s.pdf.SetFillColor(235, 235, 235)
			for _, c := range cols {
				s.pdf.Rect(x, s.y, c.width, headH, "FD")
				ls := wrap(s.pdf, c.title, c.width-2*cellPadX)
				ty := s.y + (headH-float64(len(ls))*lh)/2
				for k, l := range ls {
					s.pdf.SetXY(x+cellPadX, ty+float64(k)*lh)
					s.pdf.CellFormat(c.width-2*cellPadX, lh, l, "", 0, "C", false, 0, "")
				}
				x += c.width
			}
		}
		s.y += headH
	}
	prev := s.onNewPage
	s.onNewPage = header
	defer func() { s.onNewPage = prev }()
	header()
	// The body height of a continuation page, under its heading and header.
	freshH := s.bottom() - margin - 8 - headH
	printRow := func(r []string) {
		s.font(pt)
		lines := s.tableLines(cols, r)
		fresh := false
		for {
			most := 0
			for _, l := range lines {
				most = max(most, len(l))
			}
			h := max(st.minH, float64(max(most, 1))*lh+2*padY)
			n := most // lines to print of each cell on this page
			if avail := s.bottom() - s.y; h > avail {
				fit := int((avail - 2*padY) / lh)
				// Move the row whole to the next page if it fits there, or
				// if too little of it fits here; split it otherwise.
				if !fresh && (fit < 2 || h <= freshH) {
					s.newPage()
					fresh = true
					continue
				}
				n = max(fit, 1)
				h = float64(n)*lh + 2*padY
			}
			x := s.left
			for i, c := range cols {
				if !s.opt.DataOnly {
					s.pdf.Rect(x, s.y, c.width, h, "D")
				}
				align := c.align
				if align == "" {
					align = "L"
				}
				k := min(n, len(lines[i]))
				ty := s.y + padY
				if st.center && n >= most {
					ty = s.y + (h-float64(k)*lh)/2
				}
				for j, l := range lines[i][:k] {
					s.pdf.SetXY(x+cellPadX, ty+float64(j)*lh)
					s.pdf.CellFormat(c.width-2*cellPadX, lh, l, "", 0, align, false, 0, "")
				}
				lines[i] = lines[i][k:]
				x += c.width
			}
			s.y += h
			if n >= most {
				return
			}
			s.newPage()
			fresh = true
		}
	}
	for _, r := range rows {
		printRow(r)
	}
	for n := len(rows); n < st.minRows; n++ {
		printRow(nil)
	}
	if st.reserve < 0 {
		return
	}
	reserve := st.reserve
	if s.y+reserve > s.bottom() {
		reserve = 0 // what comes next goes to the next page anyway
	}
	for s.y+st.minH <= s.bottom()-reserve {
		printRow(nil)
	}
}

// signLines prints the lines where people sign by hand: each label with the
// name already known (if any), a line to sign on and a date.
func (s *sheet) signLines(labels []string, names []string) {
	s.font(bodyPt)
	s.need(float64(len(labels)+1) * 9)
	s.y += 3
	colW := s.width / 2
	for i, l := range labels {
		x := s.left + float64(i%2)*colW
		if i%2 == 0 && i > 0 {
			s.y += 10
		}
		if !s.opt.DataOnly {
			s.pdf.SetXY(x, s.y)
			s.pdf.CellFormat(colW, 6, l+"：", "", 0, "L", false, 0, "")
			lx := x + s.pdf.GetStringWidth(l+"：") + 1
			s.pdf.Line(lx, s.y+5.5, x+colW-8, s.y+5.5)
		}
		if i < len(names) && names[i] != "" {
			s.pdf.SetXY(x+s.pdf.GetStringWidth(l+"：")+3, s.y)
			s.pdf.CellFormat(colW-30, 6, names[i], "", 0, "L", false, 0, "")
		}
	}
	s.y += 12
}

// finish writes every page's footer (打印人 and 第 x 页 共 y 页) and the PDF.
func (s *sheet) finish(w io.Writer) error {
	if s.open {
		s.pdf.TransformEnd()
		s.open = false
	}
	n := s.pdf.PageCount()
	if !s.opt.DataOnly {
		for p := 1; p <= n; p++ {
			s.pdf.SetPage(p)
			s.pdf.TransformBegin()
			s.pdf.TransformTranslate(s.opt.OffsetX, s.opt.OffsetY)
			s.font(8)
			fy := s.pageH - margin - 4
			s.pdf.SetXY(s.left, fy)
			who := strings.TrimSpace(s.head.PrintedBy + "  " + s.head.Printed.Local().Format("2006-01-02 15:04"))
			s.pdf.CellFormat(s.width/2, 4, "打印："+who, "", 0, "L", false, 0, "")
			s.pdf.SetXY(s.left+s.width/2, fy)
			s.pdf.CellFormat(s.width/2, 4, s.pageLabel(p, n), "", 0, "R", false, 0, "")
			s.pdf.TransformEnd()
		}
	}
	if err := s.pdf.Error(); err != nil {
		return err
	}
	return s.pdf.Output(w)
}

// pageLabel is page p's number in the footer: 第 p 页 共 n 页, or within
// its section when the printout has several (发文登记簿 第 p 页 共 z 页).
func (s *sheet) pageLabel(p, n int) string {
	if len(s.sections) == 0 {
		return fmt.Sprintf("第 %d 页 共 %d 页", p, n)
	}
	first, last, label := 1, n, s.firstLabel
	for _, sec := range s.sections {
		if p >= sec.start {
			first, label = sec.start, sec.label
		} else {
			last = sec.start - 1
			break
		}
	}
	return strings.TrimSpace(fmt.Sprintf("%s 第 %d 页 共 %d 页", label, p-first+1, last-first+1))
}

// fmtDate prints a yyyy-mm-dd date the way forms write it: 2026年11月23日;
// anything else is printed as it is.
func fmtDate(d string) string {
	t, err := models.ParseDate(d)
	if err != nil {
		return d
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}
