package reports

import (
	"io"
	"strings"
)

// RenderDestructionForm writes the 涉密载体销毁审批表 and, from a new page,
// its 销毁清单, both A4 portrait. The approval form: who asks and when, the
// reason, a summary of the items (how many of each 载体类别, the highest
// 密级), the approver's box with the recorded decision and a line to sign,
// the approver and date, how, where and when the carriers are destroyed, and
// the lines where the destroyer, the approver and the two witnesses sign.
// The list: every item in a table whose header repeats on every page, the
// totals by 载体类别, and the lines for the signatures, date, place and
// method. A form without a marking is marked with the highest level of its
// items.
func RenderDestructionForm(w io.Writer, f DestructionForm, o Options) error {
	return renderPDF(w, f, o, drawDestructionForm)
}

func drawDestructionForm(w io.Writer, f DestructionForm, o Options) error {
	s, err := newList("P", "涉密载体销毁审批表", listHead(f.Head, f.Items), o)
	if err != nil {
		return err
	}
	s.marks()
	s.title()
	const cw, vw = listCapW, 66.0
	s.row(listRowH, caption(cw, "申请人"), value(vw, f.Requester), caption(cw, "申请日期"), value(0, fmtDate(f.RequestedOn)))
	s.row(24, caption(cw, "销毁事由"), value(0, f.Reason))
	summary := totalsText(f.Items, f.Totals)
	if len(f.Items) > 0 {
		summary += "（详见销毁清单）"
	}
	s.row(14, caption(cw, "销毁载体"), value(vw, summary), caption(cw, "最高密级"), value(0, highestLevel(f.Items)))
	approver := []cell{caption(cw, "批准人"), value(vw, f.Decision.Approver), caption(cw, "批准日期"),
		value(0, fmtDate(f.Decision.Date))}
	method := []cell{caption(cw, "销毁方式"), value(0, f.Method)}
	place := []cell{caption(cw, "销毁地点"), value(vw, f.Place), caption(cw, "销毁日期"), value(0, fmtDate(f.Date))}
	// The approver's box takes what the rows and the signature lines below
	// it leave of the page.
	below := s.rowHeight(listRowH, approver...) + s.rowHeight(listRowH, method...) + s.rowHeight(listRowH, place...) +
		4 + 5*9
	s.row(max(42, s.bottom()-s.y-below), caption(cw, "审批意见"), cell{text: decisionText(f.Decision), foot: signFoot})
	s.row(listRowH, approver...)
	s.row(listRowH, method...)
	s.row(listRowH, place...)
	s.y += 4
	s.signLines([]string{"销毁人", "批准人", "监销人", "监销人"},
		[]string{f.Destroyer, f.Decision.Approver, f.Witnesses[0], f.Witnesses[1]})

	s.addPage()
	s.form = "涉密载体销毁清单"
	s.marks()
	s.title()
	s.tablePt, s.tableLH = smallPt, smallLineH
	cols := s.itemTable(destructionColumns, f.Items, destructionField)
	s.totalsRow(cols, f.Items, f.Totals)
	s.y += 2
	s.signLines([]string{"销毁人", "批准人", "监销人", "监销人"},
		[]string{f.Destroyer, f.Decision.Approver, f.Witnesses[0], f.Witnesses[1]})
	s.fieldLines([]string{"日期", "地点", "方式"}, []string{fmtDate(f.Date), f.Place, f.Method})
	return s.finish(w)
}

// destructionColumns are the columns of the 销毁清单 across A4 portrait,
// in millimetres at smallPt; the title takes the rest. The 登记号 leads each row, so
// that every copy destroyed is found in the register by it.
var destructionColumns = []listColumn{
	{title: "序号", width: 9, align: "C"},
	{title: "登记号", width: 24},
	colTitle,
	{title: "制作发文单位", width: 18},
	{title: "载体类别", width: 15, align: "C"},
	{title: "文号或编号", width: 35},
	{title: "密级", width: 9, align: "C"},
	{title: "页数或容量", width: 12, align: "C"},
	{title: "份数或数量", width: 11, align: "C"},
	{title: "保管人", width: 12, align: "C"},
}

// destructionField is a carrier's value in the 销毁清单: its copy number
// goes under its document number, for the list names the very copies that
// are destroyed.
func destructionField(col string, i int, c CarrierLine) string {
	if col == "文号或编号" && c.CopyNo != "" {
		if c.DocNumber == "" {
			return "份号 " + c.CopyNo
		}
		return c.DocNumber + "\n份号 " + c.CopyNo
	}
	return itemField(col, i, c)
}

// decisionText is a recorded decision as its box shows it: 同意。 and the
// opinion.
func decisionText(d Decision) string {
	dec, op := strings.TrimSpace(d.Decision), strings.TrimSpace(d.Opinion)
	switch {
	case dec == "" || strings.HasPrefix(op, dec):
		return op
	case op == "":
		return dec
	case strings.ContainsRune("。，；！,.;!", []rune(dec)[len([]rune(dec))-1]):
		return dec + op
	}
	return dec + "。" + op
}
