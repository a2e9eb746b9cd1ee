package reports

import (
	"bytes"
	"testing"
)

func sampleUrge() UrgeForm {
	h := listHeadFor("")
	h.Marking = "机密"
	return UrgeForm{Head: h,
		Date: "2026-11-23", Hours: 24,
		Reading: []UrgeRow{{RegNo: "收〔2026〕0042", Title: "关于做好2026年度保密检查工作的通知", Level: "机密", Who: "陈局长",
			Since: "2026-11-20 15:10", Age: "2 天"}},
		Requests: []UrgeRow{{RegNo: "收〔2026〕0051", Title: "关于申请重点项目前期工作经费的请示", Level: "秘密", DocKind: "请示",
			Since: "2026-11-16", Age: "7 天"}, {RegNo: "收〔2026〕0057", Title: "关于第三季度经济运行情况的报告", Level: "秘密",
			DocKind: "报告", Since: "2026-11-18", Age: "5 天"}}}
}

// R27: the 催办催阅单 lists the readers to chase and the 请示 and 报告 not
// settled, with room to note the chasing, under the highest level on it.
func TestUrgeList_R27_EveryFieldPrints(t *testing.T) {
	pdf := render(t, func(w *bytes.Buffer) error { return RenderUrgeList(w, sampleUrge(), Options{}) })
	writeSample(t, "urge", pdf)
	pages := formText(t, pdf, false)
	if len(pages) != 1 {
		t.Fatalf("%d pages", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会催办催阅单", "机密", "检查日期：2026年11月23日", "催阅时限",
		"催阅：阅文人持有超过时限（1 件）", "陈局长", "2026-11-20 15:10", "2 天", "催阅情况",
		"催办：请示、报告尚未办结（2 件）", "关于申请重点项目前期工作经费的请示", "请示", "报告", "7 天", "催办情况",
		"检查人", "第 1 页 共 1 页")
}
