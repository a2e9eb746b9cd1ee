package reports

import (
	"fmt"
	"io"
)

// UrgeForm is the 催办催阅单 of a day (R27): the readers keeping a document
// past the office's hours, and the 请示 and 报告 not yet settled, each with
// a column where the clerk notes the chasing.
type UrgeForm struct {
	Head
	Date     string
	Hours    int // 催阅时限
	Reading  []UrgeRow
	Requests []UrgeRow
}

// UrgeRow is one document to chase.
type UrgeRow struct {
	RegNo   string
	Title   string
	Level   string
	DocKind string
	Who     string // the reader holding it (催阅)
	Since   string // 送阅时间 or 收文日期
	Age     string // 已持有 3 天 / 已 8 天
}

var (
	urgeReadingCols = []listColumn{colSeq, colRegNo, colTitle, colLevel, {title: "阅文人", width: 22},
		{title: "送阅时间", width: 30, align: "C"}, {title: "已持有", width: 16, align: "C"}, {title: "催阅情况", width: 30}}
	urgeRequestCols = []listColumn{colSeq, colRegNo, colTitle, {title: "文种", width: 12, align: "C"},
		{title: "收文日期", width: 24, align: "C"}, {title: "已过", width: 16, align: "C"}, {title: "催办情况", width: 42}}
)

// RenderUrgeList writes the 催办催阅单, A4 landscape: what to chase, with
// room to note what was done, and where the clerk signs.
func RenderUrgeList(w io.Writer, f UrgeForm, o Options) error {
	return renderPDF(w, f, o, drawUrgeList)
}

func drawUrgeList(w io.Writer, f UrgeForm, o Options) error {
	s, err := newList("L", "催办催阅单", f.Head, o)
	if err != nil {
		return err
	}
	s.ref = fmtDate(f.Date)
	s.marks()
	s.title()
	s.line(fmt.Sprintf("检查日期：%s    催阅时限：阅文人持有超过 %d 小时    请示、报告：每周检查一次办理情况", fmtDate(f.Date), f.Hours), false, "C")
	field := func(rows []UrgeRow) func(col string, i int, c CarrierLine) string {
		return func(col string, i int, _ CarrierLine) string {
			r := rows[i]
			switch col {
			case "序号":
				return fmt.Sprint(i + 1)
			case "登记号":
				return r.RegNo
			case "文件资料名称":
				return r.Title
			case "密级":
				return r.Level
			case "文种":
				return r.DocKind
			case "阅文人":
				return r.Who
			case "送阅时间", "收文日期":
				return r.Since
			case "已持有", "已过":
				return r.Age
			}
			return ""
		}
	}
	section := func(title string, cols []listColumn, rows []UrgeRow, none string) {
		s.heading(fmt.Sprintf("%s（%d 件）", title, len(rows)), 2*listRowH)
		if len(rows) == 0 {
			s.row(listRowH, value(0, none))
			return
		}
		s.itemTable(cols, make([]CarrierLine, len(rows)), field(rows))
	}
	section("催阅：阅文人持有超过时限", urgeReadingCols, f.Reading, "无")
	s.y += 2
	section("催办：请示、报告尚未办结", urgeRequestCols, f.Requests, "无")
	s.y += 2
	s.signLines([]string{"检查人", "日期"}, []string{"", fmtDate(f.Date)})
	return s.finish(w)
}
