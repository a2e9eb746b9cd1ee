package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func sampleAnnual(custodians int) Annual {
	flows := []string{"年初在册", "收文", "自产", "复制", "降密转入", "分发", "清退", "归档", "销毁", "解密", "降密转出", "年末在册", "平衡"}
	levels := AnnualTable{Title: "涉密载体收发存情况（按密级）", Head: "密级", Columns: flows}
	for i, l := range []string{"绝密", "机密", "秘密", "国家秘密小计", "内部", "非密", "合计"} {
		row := AnnualRow{Label: l}
		for j := range flows[:len(flows)-1] {
			row.Cells = append(row.Cells, fmt.Sprint(1000*i+j))
		}
		levels.Rows = append(levels.Rows, AnnualRow{Label: row.Label, Cells: append(row.Cells, "相符")})
	}
	insp := AnnualTable{Title: "自查情况", Head: "责任人",
		Columns: []string{"自查周期（月）", "应自查次数", "完成次数", "未按期次数", "清点载体", "账物不符", "账外发现"},
		Notes:   []string{"应自查次数按全年12个月和责任人所持最高密级的自查周期计算。"}}
	for i := range custodians {
		insp.Rows = append(insp.Rows, AnnualRow{Label: fmt.Sprintf("责任人%02d", i+1),
			Cells: []string{"1", "12", "11", "1", "340", "0", "1"}})
	}
	return Annual{Head: Head{Office: "某市发展和改革委员会", Marking: "内部", PrintedBy: "张文书", Printed: printedAt},
		Year: 2026, Period: "统计期间：2026年1月1日至2026年12月31日", Tables: []AnnualTable{levels, insp},
		Balance: []string{"平衡校验：年初在册 6000 + 收文 6001 = 12001，年末在册 12001，相符。"},
		Notes:   []string{"年初在册：上年12月31日在册。"}}
}

// R26: the year's statistics print on A4 landscape, marked top-left, with
// every table numbered, the balance check under the first, the figures in
// their boxes, the header of a long table repeated on its next page, and
// lines for the 填表人 and 审核人.
func TestAnnual_R26_Printed(t *testing.T) {
	a := sampleAnnual(40)
	pdf := render(t, func(w *bytes.Buffer) error { return RenderAnnual(w, a, Options{}) })
	writeSample(t, "annual", pdf)
	mustBeLandscape(t, pdf)
	noOverflow(t, pdf)
	pages := formText(t, pdf, false)
	if len(pages) < 2 {
		t.Fatalf("%d pages: the 40 custodians should take a second", len(pages))
	}
	all := strings.Join(pages, "\n")
	mustContain(t, all, "某市发展和改革委员会2026年度涉密载体统计表", "统计期间：2026年1月1日至2026年12月31日",
		"一、涉密载体收发存情况（按密级）", "二、自查情况", "降密转入", "国家秘密小计", "6011", "相符",
		"平衡校验：年初在册 6000 + 收文 6001 = 12001，年末在册 12001，相符。", "责任人40", "说明", "填表人", "审核人",
		"第 2 页 共")
	if m := topMarking(t, pdf); m != "内部" {
		t.Errorf("marked %q, want 内部", m)
	}
	last := pages[len(pages)-1]
	if !strings.Contains(squeeze(last), "责任人") || !strings.Contains(squeeze(last), "应自查次数") {
		t.Error("the continued table does not repeat its header")
	}
	// The clerk's marking replaces the default.
	pdf = render(t, func(w *bytes.Buffer) error { return RenderAnnual(w, a, Options{Marking: "秘密★1年"}) })
	if m := topMarking(t, pdf); m != "秘密★1年" {
		t.Errorf("marked %q, want the marking given", m)
	}
	// The same data print the same bytes.
	again := render(t, func(w *bytes.Buffer) error { return RenderAnnual(w, a, Options{}) })
	if first := render(t, func(w *bytes.Buffer) error { return RenderAnnual(w, a, Options{}) }); !bytes.Equal(first, again) {
		t.Error("the same statistics print different bytes")
	}
}
