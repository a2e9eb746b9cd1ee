package reports

import (
	"io"
	"strings"
)

// CopyLabel is one sticker of a copy: its 复制戳 as recorded (复制机关,
// 复制日期, 复制件序号, separated by spaces), its mark, its register number
// (also as a barcode) and its original.
type CopyLabel struct {
	Stamp    string
	Marking  string
	RegNo    string
	Original string // the original's 登记号 and 份号
}

// CopyLabels is the sheet of stickers for the copies made on one slip.
type CopyLabels struct {
	Head
	Labels []CopyLabel
}

// Label sheet geometry: two columns of five stickers on A4, the common
// 2×5 sticker paper (88 × 46 mm each).
const (
	labelW, labelH   = 88.0, 46.0
	labelGapX        = 4.0
	labelGapY        = 3.0
	labelCols        = 2
	labelRowsPerPage = 5
)

// RenderCopyLabels writes the 复制戳 stickers of copies, one per copy, for
// the clerk to stick on each copy (R23; 条例: 复制件应当加盖复制机关戳记).
// Each sticker shows the stamp's lines, the copy's mark, its register
// number and barcode, and its original.
func RenderCopyLabels(w io.Writer, f CopyLabels, o Options) error {
	return renderPDF(w, f, o, drawCopyLabels)
}

func drawCopyLabels(w io.Writer, f CopyLabels, o Options) error {
	s, err := newSheet("P", "复制件标识", f.Head, o)
	if err != nil {
		return err
	}
	heading := func() {
		s.font(9)
		s.pdf.SetXY(s.left, s.y)
		s.pdf.CellFormat(s.width, 5, strings.TrimSpace("复制件标识  复制单 "+f.SlipNo+"  沿框线剪下，贴于复制件首页"), "", 0, "L", false, 0, "")
		s.y += 8
	}
	heading()
	top := s.y
	for i, l := range f.Labels {
		slot := i % (labelCols * labelRowsPerPage)
		if i > 0 && slot == 0 {
			s.addPage()
			heading()
			top = s.y
		}
		x := s.left + float64(slot%labelCols)*(labelW+labelGapX)
		y := top + float64(slot/labelCols)*(labelH+labelGapY)
		s.copyLabel(x, y, l)
	}
	return s.finish(w)
}

// copyLabel draws one sticker with its top-left corner at (x, y).
func (s *sheet) copyLabel(x, y float64, l CopyLabel) {
	pdf := s.pdf
	pdf.SetLineWidth(0.3)
	pdf.SetDashPattern([]float64{1.2, 1}, 0)
	pdf.Rect(x, y, labelW, labelH, "D")
	pdf.SetDashPattern([]float64{}, 0)
	pad := 3.0
	s.font(13)
	bold(pdf, true)
	pdf.SetXY(x+pad, y+pad)
	pdf.CellFormat(30, 6, "复制件", "", 0, "L", false, 0, "")
	pdf.SetXY(x+pad+30, y+pad)
	pdf.CellFormat(labelW-2*pad-30, 6, l.Marking, "", 0, "R", false, 0, "")
	bold(pdf, false)
	s.font(10)
	ly := y + pad + 8
	for _, line := range strings.Fields(l.Stamp) {
		pdf.SetXY(x+pad, ly)
		pdf.CellFormat(labelW-2*pad, 5, line, "", 0, "L", false, 0, "")
		ly += 5
	}
	s.font(8.5)
	pdf.SetXY(x+pad, ly+0.5)
	pdf.CellFormat(labelW-2*pad, 4.5, "原件："+l.Original, "", 0, "L", false, 0, "")
	s.barcode(x+pad, y+labelH-pad-11, labelW-2*pad, 7, l.RegNo)
	pdf.SetXY(x+pad, y+labelH-pad-3.8)
	pdf.CellFormat(labelW-2*pad, 3.6, "登记号："+l.RegNo, "", 0, "C", false, 0, "")
}
