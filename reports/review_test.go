package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// R26: the yearly review list prints every line with its end date, why it
// is listed and its outcome, the header on each page, and the lines where
// the 定密责任人 signs.
func TestReviewList_R26_LinesOutcomesAndSignatures(t *testing.T) {
	r := ReviewList{Head: listHeadFor(""), Year: 2026}
	r.SlipNo, r.Marking = "", "机密★2030年12月31日"
	whys := []string{"本年到期", "已过期", "核查解密条件", "本年已变更"}
	outcomes := []string{"保持 机密★2026年12月31日", "待审核", "待审核", "延期 机密★2030年12月31日"}
	for i := range 45 {
		c := sampleCarrier()
		c.RegNo = fmt.Sprintf("收〔2026〕%04d", i+1)
		l := ReviewLine{Carrier: c, Expiry: "2026-12-31", Why: whys[i%4], Outcome: outcomes[i%4]}
		if i%4 == 2 {
			l.Expiry = ""
		}
		if i%4 == 0 {
			l.By, l.On = "陈刚", "2026-11-23"
		}
		r.Lines = append(r.Lines, l)
	}
	pdf := render(t, func(w *bytes.Buffer) error { return RenderReviewList(w, r, Options{}) })
	writeSample(t, "review", pdf)
	pages := formText(t, pdf, false)
	if len(pages) < 2 {
		t.Fatalf("45 lines on %d page", len(pages))
	}
	mustContain(t, pages[0], "机密★2030年12月31日", "2026年度国家秘密保密期限审核清单", "共 45 件", "届满日期", "审核事由",
		"审核结果", "保持 机密★2026年12月31日", "陈刚", "（解密条件）", "核查解密条件")
	for p, text := range pages {
		mustContain(t, text, fmt.Sprintf("第 %d 页 共 %d 页", p+1, len(pages)))
		if strings.Contains(text, "收〔2026〕") {
			mustContain(t, text, "序号", "审核结果")
		}
	}
	all := strings.Join(pages, "")
	if i, j := strings.Index(all, "收〔2026〕0045"), strings.Index(all, "保密工作机构负责人"); i < 0 || j < i {
		t.Error("the signatures do not follow the last line")
	}
}

// A list's marking that names many 解密条件 wraps within the page: every
// condition is on the first page (pdftotext reads only what is on the
// page), and each page after it keeps its heading.
func TestReviewList_R22_LongMarkingWrapsOnThePage(t *testing.T) {
	conds := []string{"相关案件审结后解密", "会议精神公开传达后解密", "演练结束后解密", "项目竣工验收后解密",
		"正式文件公开印发后解密", "规划正式公布后解密"}
	r := ReviewList{Head: listHeadFor(""), Year: 2026}
	r.SlipNo, r.Marking = "", "绝密★"+strings.Join(conds, "；")
	for i := range 60 {
		c := sampleCarrier()
		c.RegNo = fmt.Sprintf("收〔2026〕%04d", i+1)
		r.Lines = append(r.Lines, ReviewLine{Carrier: c, Expiry: "2026-12-31", Why: "本年到期", Outcome: "待审核"})
	}
	pdf := render(t, func(w *bytes.Buffer) error { return RenderReviewList(w, r, Options{}) })
	writeSample(t, "review-long-marking", pdf)
	pages := formText(t, pdf, false)
	if len(pages) < 2 {
		t.Fatalf("60 lines on %d page", len(pages))
	}
	first := strings.Join(strings.Fields(pages[0]), "")
	for _, c := range conds {
		if !strings.Contains(first, c) {
			t.Errorf("the first page's marking lacks %s: %.200s", c, first)
		}
	}
	for p, text := range pages[1:] {
		mustContain(t, text, "审核清单（续）", fmt.Sprintf("第 %d 页", p+2))
	}
}
