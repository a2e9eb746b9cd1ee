package reports

import "io"

// RenderReturnList writes the 涉密载体清退清单 of one issuer's return batch,
// A4 portrait: the issuer the carriers go back to, the date, who returns and
// who receives them; the items in a table whose header repeats on every
// page; the totals by 载体类别; and the lines where the one who returns and
// the one who receives sign and date. A list without a marking is marked
// with the highest level of its items.
func RenderReturnList(w io.Writer, f ReturnListForm, o Options) error {
	return renderPDF(w, f, o, drawReturnList)
}

func drawReturnList(w io.Writer, f ReturnListForm, o Options) error {
	s, err := newList("P", "涉密载体清退清单", listHead(f.Head, f.Items), o)
	if err != nil {
		return err
	}
	s.marks()
	s.title()
	const cw, vw = listCapW, 66.0
	s.row(listRowH, caption(cw, "发文单位"), value(vw, f.Issuer), caption(cw, "清退日期"), value(0, fmtDate(f.Date)))
	s.row(listRowH, caption(cw, "清退人"), value(vw, f.Clerk), caption(cw, "接收人"), value(0, f.HandedTo))
	s.y += 3
	cols := s.itemTable([]listColumn{colSeq, colRegNo, colTitle, colDocNumber, colCopyNo, colLevel, colKind, colPages,
		colCount}, f.Items, itemField)
	s.totalsRow(cols, f.Items, f.Totals)
	s.y += 2
	s.signLines([]string{"清退人", "日期", "接收人", "日期"}, []string{f.Clerk, fmtDate(f.Date), f.HandedTo, ""})
	return s.finish(w)
}
