package reports

import (
	"io"
	"strconv"
)

// circulationRows is the least number of rows of a circulation sheet's
// route, filled in or empty for readers added by hand.
const circulationRows = 8

// RenderCirculationSheet writes the 文件传阅单 of a document: its
// particulars, then the route of readers with the times the document went
// out to each and came back, the count on its return and a column for the
// reader's signature. A short route is padded with empty rows down to the
// 备注 box at the foot of the page; a long one continues on further pages
// under the table's header.
func RenderCirculationSheet(w io.Writer, f CirculationSheet, o Options) error {
	return renderPDF(w, f, o, drawCirculationSheet)
}

func drawCirculationSheet(w io.Writer, f CirculationSheet, o Options) error {
	c := f.Carrier
	s, err := newSheet("P", "文件传阅单", slipHead(f.Head, c), o)
	if err != nil {
		return err
	}
	s.marks()
	s.title()
	const cw, vw, ww = slipCapW, slipValW, slipWideW
	s.row(slipRowH, caption(cw, "文件编号"), value(ww, c.DocNumber), caption(cw, "登记号"), value(0, c.RegNo))
	s.row(slipTallH, caption(cw, "文件标题"), value(0, c.Title))
	s.row(slipRowH, caption(cw, "来文单位"), value(ww, c.Issuer), caption(cw, "登记日期"), value(0, fmtDate(c.RegDate)))
	s.row(slipRowH, caption(cw, "密级"), value(vw, c.Marking), caption(cw, "份号"), value(vw, c.CopyNo),
		caption(cw, "份数"), value(0, c.Count))
	s.y += 3

	rows := make([][]string, len(f.Route))
	for i, r := range f.Route {
		ord := r.Ord
		if ord <= 0 {
			ord = i + 1
		}
		rows[i] = []string{strconv.Itoa(ord), r.Reader, r.Out, r.Back, r.Count, ""}
	}
	// The empty rows stop above the 备注 box, or fill the page when the
	// remarks are too long to follow on it.
	remarks := slipBox{caption: "备注", text: f.Remarks, minH: 24, weight: 1}
	reserve := s.slipBoxNeed(remarks) + 3
	s.slipTable([]listColumn{
		{title: "序号", width: 12, align: "C"},
		{title: "姓名", width: 28, align: "C"},
		{title: "送文时间", width: 33, align: "C"},
		{title: "退文时间", width: 33, align: "C"},
		{title: "清点情况", width: 28, align: "C"},
		{title: "签字", align: "C"},
	}, rows, slipSignH, circulationRows, reserve)
	s.y += 3
	s.slipBoxes(0, remarks)
	return s.finish(w)
}
