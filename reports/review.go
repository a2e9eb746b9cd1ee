package reports

import (
	"fmt"
	"io"
	"strconv"
)

// ReviewList is the yearly review list of secrecy terms (保密法 每年审核,
// R26): the carriers whose term needs a decision in the year, with the
// outcome recorded for each.
type ReviewList struct {
	Head
	Year  int
	Lines []ReviewLine
}

// ReviewLine is one carrier of the review list.
type ReviewLine struct {
	Carrier CarrierLine // its Marking is the 密级★期限 as marked
	Expiry  string      // the day the term ends; "" for a condition
	Why     string      // 本年到期, 已过期, 核查解密条件, 本年已变更
	Outcome string      // 待审核, 保持 …, 延期 …, 解密
	By      string      // who decided
	On      string      // when
}

var reviewColumns = []listColumn{
	{title: "序号", width: 9, align: "C"},
	{title: "登记号", width: 23},
	{title: "文号", width: 28},
	{title: "题名"},
	{title: "密级★期限", width: 24},
	{title: "届满日期", width: 18, align: "C"},
	{title: "审核事由", width: 18, align: "C"},
	{title: "审核结果", width: 34},
	{title: "决定人", width: 14, align: "C"},
	{title: "决定日期", width: 16, align: "C"},
}

// RenderReviewList writes the yearly review list: A4 landscape, its lines
// soonest end first as the list gives them, the header on every page, and
// the lines where the 定密责任人 and the head of the secrecy office sign.
func RenderReviewList(w io.Writer, r ReviewList, o Options) error {
	return renderPDF(w, r, o, drawReviewList)
}

func drawReviewList(w io.Writer, r ReviewList, o Options) error {
	s, err := newList("L", fmt.Sprintf("%d年度国家秘密保密期限审核清单", r.Year), r.Head, o)
	if err != nil {
		return err
	}
	s.tablePt, s.tableLH, s.tablePadY = bookPt, bookLH, bookPadY
	s.marks()
	s.title()
	s.line(fmt.Sprintf("共 %d 件：保密期限本年届满或已届满、解密条件待核查，以及本年已变更或解密的载体。"+
		"逐件审核，确定保持、变更或解密；变更、解密另按规定办理。", len(r.Lines)), true, "L")
	cols := s.resolve(reviewColumns)
	rows := make([][]string, len(r.Lines))
	for i, l := range r.Lines {
		expiry := l.Expiry
		if expiry == "" && l.Why != "本年已变更" {
			expiry = "（解密条件）"
		}
		rows[i] = []string{strconv.Itoa(i + 1), l.Carrier.RegNo, l.Carrier.DocNumber, l.Carrier.Title, l.Carrier.Marking,
			expiry, l.Why, l.Outcome, l.By, l.On}
	}
	s.table(cols, rows)
	s.signLines([]string{"定密责任人", "保密工作机构负责人"}, nil)
	return s.finish(w)
}
