package reports

import "io"

// RenderClassSlip writes the 定密审批表 (R24): the document's particulars,
// how its level is determined, the level and term, 知悉范围, the basis and
// 密点, the 承办人's box, and the 定密责任人's box (the recorded decision,
// or empty for him to write in) with the 签发人.
func RenderClassSlip(w io.Writer, f ClassSlip, o Options) error {
	return renderPDF(w, f, o, drawClassSlip)
}

func drawClassSlip(w io.Writer, f ClassSlip, o Options) error {
	c := f.Carrier
	s, err := newSheet("P", "定密审批表", slipHead(f.Head, c), o)
	if err != nil {
		return err
	}
	s.marks()
	s.title()
	const cw, vw, ww = slipCapW, slipValW, slipWideW
	s.row(slipTallH, caption(cw, "文件标题"), value(0, c.Title))
	s.row(slipRowH, caption(cw, "文号"), value(ww, c.DocNumber), caption(cw, "登记号"), value(0, c.RegNo))
	s.row(slipRowH, caption(cw, "定密方式"), value(vw, f.Kind+"定密"), caption(cw, "密级★期限"), value(vw, f.Marking),
		caption(cw, "登记日期"), value(0, fmtDate(c.RegDate)))
	s.row(slipTallH, caption(cw, "知悉范围"), value(0, f.NeedToKnow))
	s.row(slipTallH, caption(cw, "定密依据"), value(0, f.Basis))
	s.row(slipRowH, caption(cw, "密点"), value(0, f.KeyPoints))
	s.slipBoxes(0,
		slipBox{caption: "承办人意见", text: "拟按上述密级、保密期限和知悉范围定密。\n承办人：" + f.Undertaker + "　" + fmtDate(f.ProposedOn),
			foot: "承办人" + signFoot, minH: 30, weight: 2},
		slipBox{caption: "定密责任人\n审定意见", text: slipDecision(f.Decision), foot: "定密责任人签字：              年    月    日",
			minH: 40, weight: 3},
		slipBox{caption: "签发人", text: f.Signer, foot: signFoot, minH: 20, weight: 1})
	return s.finish(w)
}
