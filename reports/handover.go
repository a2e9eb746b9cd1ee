package reports

import "io"

// RenderHandoverList writes the 涉密载体交接清单 of one custodian's carriers
// handed to another, A4 portrait: who hands over, who receives, the date,
// the supervisor and a note; the items in a table whose header repeats on
// every page; the totals by 载体类别; and the lines where the one who hands
// over, the one who receives and the supervisor sign. A list without a
// marking is marked with the highest level of its items.
func RenderHandoverList(w io.Writer, f HandoverForm, o Options) error {
	return renderPDF(w, f, o, drawHandoverList)
}

func drawHandoverList(w io.Writer, f HandoverForm, o Options) error {
	name := "涉密载体交接清单"
	switch {
	case f.ReturnOn != "":
		name = "涉密载体临时交接清单"
	case f.GivesBack != "":
		name = "涉密载体临时交接收回清单"
	}
	s, err := newList("P", name, listHead(f.Head, f.Items), o)
	if err != nil {
		return err
	}
	s.marks()
	s.title()
	const cw, vw = listCapW, 66.0
	s.row(listRowH, caption(cw, "移交人"), value(vw, f.From), caption(cw, "接收人"), value(0, f.To))
	s.row(listRowH, caption(cw, "交接日期"), value(vw, fmtDate(f.Date)), caption(cw, "监交人"), value(0, f.Supervisor))
	switch {
	case f.ReturnOn != "":
		s.row(listRowH, caption(cw, "收回日期"), value(0, fmtDate(f.ReturnOn)+"（到期由接收人全部交还移交人）"))
	case f.GivesBack != "":
		s.row(listRowH, caption(cw, "收回"), value(0, "临时交接 "+f.GivesBack))
	}
	s.row(16, caption(cw, "交接说明"), value(0, f.Note))
	s.y += 3
	cols := s.itemTable([]listColumn{colSeq, colRegNo, colTitle, colDocNumber, colCopyNo, colLevel, colKind, colPages,
		colCount}, f.Items, itemField)
	s.totalsRow(cols, f.Items, f.Totals)
	s.y += 2
	s.signLines([]string{"移交人", "接收人", "监交人", "交接日期"}, []string{f.From, f.To, f.Supervisor, fmtDate(f.Date)})
	return s.finish(w)
}
