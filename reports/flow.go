package reports

import "io"

// RenderFlowSheet writes the 文件阅办单 of an incoming document: its
// particulars, then the boxes for the proposed handling, the leaders'
// instructions, the departments' opinions and the result, each with a line
// for a signature and date. Long text wraps inside its box and continues on
// the next page under the same caption.
func RenderFlowSheet(w io.Writer, f FlowSheet, o Options) error {
	return renderPDF(w, f, o, drawFlowSheet)
}

func drawFlowSheet(w io.Writer, f FlowSheet, o Options) error {
	s, err := newSheet("P", "文件阅办单", f.Head, o)
	if err != nil {
		return err
	}
	s.marks()
	s.title()
	c := f.Carrier
	const cw, vw = 24.0, 66.0
	s.row(9, caption(cw, "收文号"), value(vw, c.RegNo), caption(cw, "收文日期"), value(0, fmtDate(f.ReceivedOn)))
	s.row(9, caption(cw, "来文机关"), value(vw, c.Issuer), caption(cw, "来文号"), value(0, c.DocNumber))
	s.row(9, caption(cw, "密级"), value(36, c.Marking), caption(18, "缓急"), value(36, f.Urgency),
		caption(18, "份数"), value(0, c.Count))
	s.row(14, caption(cw, "文件标题"), value(0, c.Title))
	s.row(34, caption(cw, "拟办意见"), cell{text: f.Proposed, foot: signFoot})
	s.row(48, caption(cw, "领导批示"), cell{text: f.Instructions, foot: signFoot})
	s.row(30, caption(cw, "部门意见"), cell{text: f.DeptOpinion, foot: signFoot})
	s.row(30, caption(cw, "办理结果"), cell{text: f.Result, foot: signFoot})
	return s.finish(w)
}
