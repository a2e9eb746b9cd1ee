package reports

import (
	"io"
	"strconv"
	"strings"
)

// RenderCopySlip writes the 涉密文件复制（复印）审批单: who asks for copies,
// the original's particulars, how many copies, what for and who makes them,
// the approver's box (the recorded decision, or empty for the leader to
// write in) with a line to sign, and the copies issued when there are any.
func RenderCopySlip(w io.Writer, f CopySlip, o Options) error {
	return renderPDF(w, f, o, drawCopySlip)
}

func drawCopySlip(w io.Writer, f CopySlip, o Options) error {
	c := f.Carrier
	s, err := newSheet("P", "涉密文件复制（复印）审批单", slipHead(f.Head, c), o)
	if err != nil {
		return err
	}
	s.marks()
	s.title()
	const cw, vw, ww = slipCapW, slipValW, slipWideW
	s.row(slipRowH, caption(cw, "申请人"), value(vw, f.Requester), caption(cw, "部门"), value(vw, f.Dept),
		caption(cw, "申请日期"), value(0, fmtDate(f.RequestedOn)))
	s.row(slipTallH, caption(cw, "文件名称"), value(0, c.Title))
	s.row(slipRowH, caption(cw, "文号"), value(ww, c.DocNumber), caption(cw, "登记号"), value(0, c.RegNo))
	pages := f.PagesEach
	if pages == "" {
		pages = c.Pages
	}
	s.row(slipRowH, caption(cw, "密级"), value(vw, c.Marking), caption(cw, "份号"), value(vw, c.CopyNo),
		caption(cw, "每份页数"), value(0, pages))
	copies := ""
	if f.Copies > 0 {
		copies = strconv.Itoa(f.Copies)
	}
	s.row(slipRowH, caption(cw, "复制份数"), value(vw, copies), caption(cw, "承制单位"), value(0, f.Maker))
	if f.AuthorityDoc != "" || strings.HasPrefix(c.Marking, "绝密") || c.Level == "绝密" {
		s.row(slipRowH, caption(cw, "原定密机关\n批准文件"), value(0, f.AuthorityDoc))
	}

	// The boxes to write in share what the list of issued copies leaves of
	// the page.
	after := 0.0
	if len(f.CopyNos) > 0 {
		after = 3 + 8 + float64(len(f.CopyNos))*7.0
	}
	s.slipBoxes(after,
		slipBox{caption: "复制用途", text: f.Purpose, foot: "申请人" + signFoot, minH: 30, weight: 2},
		slipBox{caption: "审批意见", text: slipDecision(f.Decision), foot: slipApproverFoot, minH: 50, weight: 3})
	if len(f.CopyNos) > 0 {
		s.y += 3
		rows := make([][]string, len(f.CopyNos))
		for i, n := range f.CopyNos {
			rows[i] = []string{strconv.Itoa(i + 1), n}
		}
		s.slipTable([]listColumn{
			{title: "序号", width: cw, align: "C"},
			{title: "已发复制件（登记号、份号）"},
		}, rows, 7, 0, -1)
	}
	return s.finish(w)
}
