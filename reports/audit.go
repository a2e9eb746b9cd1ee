package reports

import (
	"fmt"
	"io"
	"time"
)

// AuditRow is one record of the audit trail as printed.
type AuditRow struct {
	Seq                                int64
	At                                 time.Time
	Login, Role, Event, Object, Result string
	Detail                             string
}

// AuditReport is the auditor's printout of a selection of the audit trail.
type AuditReport struct {
	Office    string // the office's name, in the title
	Filter    string // what was selected, in words
	Verdict   string // the chain check at printing time
	Seal      string // the auditor's seal of the newest record at printing time, to be kept with the report
	PrintedBy string
	Printed   time.Time
	Rows      []AuditRow
}

type column struct {
	title string
	width float64
}

var auditColumns = []column{
	{"序号", 14}, {"时间", 34}, {"用户", 24}, {"角色", 28}, {"事件", 26}, {"对象", 42}, {"结果", 12}, {"详情", 87},
}

const lineH = 5.0

// RenderAuditTrail writes the audit report as an A4 landscape PDF: a title,
// the selection and the chain's verdict, then the records in a table whose
// header repeats on every page, with 第 x 页 共 y 页 at the foot.
func RenderAuditTrail(w io.Writer, r AuditReport) error {
	return renderPDF(w, r, Options{}, drawAuditTrail)
}

func drawAuditTrail(w io.Writer, r AuditReport, o Options) error {
	pdf, err := newDoc("L", r.Printed, o.font)
	if err != nil {
		return err
	}
	pageW, pageH := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	bottom := pageH - 18.0
	pdf.SetFooterFunc(func() {
		pdf.SetY(pageH - 12)
		pdf.SetFont(fontFamily, "", 8)
		pdf.CellFormat(0, 4, fmt.Sprintf("打印：%s  %s", r.PrintedBy, r.Printed.Local().Format("2006-01-02 15:04")),
			"", 0, "L", false, 0, "")
		pdf.SetX(left)
		pdf.CellFormat(pageW-left-right, 4, fmt.Sprintf("第 %d 页 共 {nb} 页", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	header := func() {
		pdf.SetFont(fontFamily, "", 9)
		pdf.SetFillColor(235, 235, 235)
		bold(pdf, true)
		x := left
		for _, c := range auditColumns {
			pdf.SetXY(x, pdf.GetY())
			pdf.CellFormat(c.width, 7, c.title, "1", 0, "C", true, 0, "")
			x += c.width
		}
		bold(pdf, false)
		pdf.Ln(7)
	}
	pdf.AddPage()
	pdf.SetFont(fontFamily, "", 16)
	bold(pdf, true)
	title := "安全审计记录"
	if r.Office != "" {
		title = r.Office + " " + title
	}
	pdf.CellFormat(0, 9, title, "", 1, "C", false, 0, "")
	bold(pdf, false)
	pdf.SetFont(fontFamily, "", 9)
	pdf.CellFormat(0, 5, "查询条件："+r.Filter+fmt.Sprintf("    共 %d 条", len(r.Rows)), "", 1, "L", false, 0, "")
	pdf.MultiCell(0, 5, "完整性校验："+r.Verdict, "", "L", false)
	if r.Seal != "" {
		pdf.CellFormat(0, 5, "审计印记："+r.Seal+"（打印时最新一条记录；请与本报告一并保存，以后用“核对印记”核对）", "", 1, "L", false, 0, "")
	}
	pdf.Ln(2)
	header()
	for _, row := range r.Rows {
		cells := []string{fmt.Sprint(row.Seq), row.At.Local().Format("2006-01-02 15:04:05"), row.Login, row.Role,
			row.Event, row.Object, row.Result, row.Detail}
		wrapped := make([][]string, len(cells))
		lines := 1
		for i, c := range cells {
			wrapped[i] = wrap(pdf, c, auditColumns[i].width-2)
			lines = max(lines, len(wrapped[i]))
		}
		h := float64(lines)*lineH + 1
		if pdf.GetY()+h > bottom {
			pdf.AddPage()
			header()
		}
		y := pdf.GetY()
		x := left
		for i, c := range auditColumns {
			pdf.Rect(x, y, c.width, h, "D")
			for k, l := range wrapped[i] {
				pdf.SetXY(x+1, y+0.5+float64(k)*lineH)
				pdf.CellFormat(c.width-2, lineH, l, "", 0, "L", false, 0, "")
			}
			x += c.width
		}
		pdf.SetXY(left, y+h)
	}
	if len(r.Rows) == 0 {
		pdf.CellFormat(0, 8, "（没有符合条件的记录）", "", 1, "C", false, 0, "")
	}
	return output(pdf, w)
}

func output(pdf *doc, w io.Writer) error {
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("write PDF: %w", err)
	}
	return nil
}
