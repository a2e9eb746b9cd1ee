package reports

import "io"

// RenderLoanSlip writes the 涉密载体借阅审批单, or for a take-out
// (f.TakeOut) the 涉密载体外出携带审批单 with its 外出地点: who asks and
// who handles it, the carrier's particulars, the purpose, the approver's box
// with a line to sign, and the box where the carrier's return and its check
// are recorded and signed for.
func RenderLoanSlip(w io.Writer, f LoanSlip, o Options) error {
	return renderPDF(w, f, o, drawLoanSlip)
}

func drawLoanSlip(w io.Writer, f LoanSlip, o Options) error {
	form, who, due, purpose, back := "涉密载体借阅审批单", "借阅人", "归还日期", "借阅用途", "归还检查\n情况"
	if f.TakeOut {
		form, who, due, purpose, back = "涉密载体外出携带审批单", "携带人", "返回日期", "携带用途", "返回检查\n情况"
	}
	c := f.Carrier
	s, err := newSheet("P", form, slipHead(f.Head, c), o)
	if err != nil {
		return err
	}
	s.marks()
	s.title()
	const cw, vw, ww = slipCapW, slipValW, slipWideW
	s.row(slipRowH, caption(cw, who), value(vw, f.Requester), caption(cw, "部门"), value(vw, f.Dept),
		caption(cw, "申请日期"), value(0, fmtDate(f.RequestedOn)))
	s.row(slipRowH, caption(cw, "经办人"), value(vw, f.Handler), caption(cw, "编号"), value(vw, f.SlipNo),
		caption(cw, due), value(0, fmtDate(f.DueOn)))
	s.row(slipTallH, caption(cw, "载体名称"), value(ww, c.Title), caption(cw, "载体类别"), value(0, c.Kind))
	s.row(slipRowH, caption(cw, "文号"), value(ww, c.DocNumber), caption(cw, "保密编号"), value(0, c.RegNo))
	s.row(slipRowH, caption(cw, "密级"), value(vw, c.Marking), caption(cw, "份号"), value(vw, c.CopyNo),
		caption(cw, "页数"), value(0, c.Pages))
	if f.TakeOut {
		s.row(slipRowH, caption(cw, "外出地点"), value(ww, f.Destination), caption(cw, "同行人"), value(0, f.Companion))
		s.row(slipRowH, caption(cw, "保密措施"), value(ww, f.Measures), caption(cw, "是否出境"), value(0, f.Abroad))
	} else if f.InOffice {
		s.row(slipRowH, caption(cw, "阅读地点"), value(0, "限在机要阅文室阅读，当日归还"))
	}
	s.slipBoxes(0,
		slipBox{caption: purpose, text: f.Purpose, foot: who + signFoot, minH: 28, weight: 3},
		slipBox{caption: "审批意见", text: slipDecision(f.Decision), foot: slipApproverFoot, minH: 44, weight: 4},
		slipBox{caption: back, text: loanReturn(f), foot: slipCheckerFoot, minH: 34, weight: 3})
	return s.finish(w)
}

// loanReturn is what the return box shows once the carrier is back: the
// day it came back and the check on it. Before, the box is empty.
func loanReturn(f LoanSlip) string {
	text := ""
	if f.ReturnedOn != "" {
		text = "实际归还日期：" + fmtDate(f.ReturnedOn)
		if f.TakeOut {
			text = "实际返回日期：" + fmtDate(f.ReturnedOn)
		}
	}
	if f.ReturnCheck != "" {
		if text != "" {
			text += "\n"
		}
		text += "检查情况：" + f.ReturnCheck
	}
	return text
}
