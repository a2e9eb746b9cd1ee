package reports

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func sampleCirculation() CirculationSheet {
	return CirculationSheet{Head: sampleHead("阅〔2026〕0012"), Carrier: sampleCarrier(),
		Route: []RouteStep{
			{Ord: 1, Reader: "王局长", Out: "2026-11-03 09:10", Back: "2026-11-03 16:40", Count: "齐全"},
			{Ord: 2, Reader: "李副局长", Out: "2026-11-04 08:50", Back: "2026-11-05 10:20", Count: "缺第3页"},
			{Ord: 3, Reader: "赵处长", Out: "2026-11-05 14:00"},
		},
		Remarks: "阅后请于当日退回机要室，不得复印、摘抄。"}
}

func sampleCopySlip() CopySlip {
	return CopySlip{Head: sampleHead("复〔2026〕0003"), RequestedOn: "2026-11-20", Requester: "刘干事",
		Dept: "办公室", Carrier: sampleCarrier(), Copies: 2, PagesEach: "12", Purpose: "供两个处室学习传达。",
		Maker: "机要室", Decision: Decision{Approver: "王局长", Decision: "同意", Opinion: "限在本单位内传达，阅后收回。",
			Date: "2026-11-21"},
		CopyNos: []string{"收〔2026〕0043（份号000003复1）", "收〔2026〕0044（份号000003复2）"}}
}

func sampleLoanSlip(takeOut bool) LoanSlip {
	slip := "借〔2026〕0005"
	if takeOut {
		slip = "携〔2026〕0005"
	}
	return LoanSlip{Head: sampleHead(slip), TakeOut: takeOut, RequestedOn: "2026-11-22", Requester: "陈科长",
		Handler: "张文书", Dept: "规划处", Destination: "省发展改革委会议中心", Companion: "李副科长",
		Measures: "密码箱专人携带，全程不离身", Abroad: "否", Purpose: "参加全省保密工作会议汇报使用。",
		DueOn: "2026-11-28", Carrier: sampleCarrier(),
		Decision:   Decision{Approver: "王局长", Decision: "同意", Opinion: "专人携带，全程不离身。", Date: "2026-11-22"},
		ReturnedOn: "2026-11-27", ReturnCheck: "完好"}
}

// slipRenderers renders each slip of this file from its sample, with a
// change to its head and carrier applied first.
var slipRenderers = []struct {
	name   string
	labels []string // captions printed on the frame
	render func(w *bytes.Buffer, edit func(*Head, *CarrierLine), o Options) error
}{
	{"circulation", []string{"文件传阅单", "文件编号", "序号", "送文时间", "退文时间", "清点情况", "备注"},
		func(w *bytes.Buffer, edit func(*Head, *CarrierLine), o Options) error {
			f := sampleCirculation()
			edit(&f.Head, &f.Carrier)
			return RenderCirculationSheet(w, f, o)
		}},
	{"copy", []string{"复制（复印）审批单", "申请人", "文件名称", "每份页数", "复制用途", "审批意见", "审批人签字"},
		func(w *bytes.Buffer, edit func(*Head, *CarrierLine), o Options) error {
			f := sampleCopySlip()
			edit(&f.Head, &f.Carrier)
			return RenderCopySlip(w, f, o)
		}},
	{"loan", []string{"借阅审批单", "借阅人", "经办人", "保密编号", "借阅用途", "审批意见", "归还检查情况"},
		func(w *bytes.Buffer, edit func(*Head, *CarrierLine), o Options) error {
			f := sampleLoanSlip(false)
			edit(&f.Head, &f.Carrier)
			return RenderLoanSlip(w, f, o)
		}},
	{"takeout", []string{"外出携带审批单", "携带人", "外出地点", "携带用途", "返回检查情况"},
		func(w *bytes.Buffer, edit func(*Head, *CarrierLine), o Options) error {
			f := sampleLoanSlip(true)
			edit(&f.Head, &f.Carrier)
			return RenderLoanSlip(w, f, o)
		}},
}

func noEdit(*Head, *CarrierLine) {}

// mustKeepAll checks that every character of long arrives in order in the
// extracted pages, with only captions and page furniture between, and that
// its end is there whole.
func mustKeepAll(t *testing.T, pages []string, long string) {
	t.Helper()
	all := squeeze(strings.Join(pages, ""))
	rs := []rune(all)
	k := 0
	for i, r := range []rune(long) {
		for k < len(rs) && rs[k] != r {
			k++
		}
		if k == len(rs) {
			t.Fatalf("text lost from character %d on", i)
		}
		k++
	}
	end := []rune(long)
	if !strings.Contains(all, string(end[len(end)-8:])) {
		t.Error("the end of the text is missing")
	}
}

// mustStayInFrame checks with pdftotext -bbox that no word is printed
// outside the frame of the form: left of its left edge, right of its right
// edge or below the footer. A closing punctuation mark may hang half a
// character past the right edge (wrap pulls it up rather than start a line
// with it; its ink is in its left half, inside the box).
func mustStayInFrame(t *testing.T, pdf []byte) {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	const pt = 72 / 25.4 // points per millimetre
	left, right, bottom := margin*pt, (210-margin)*pt+bodyPt/2, (297-margin)*pt
	words := regexp.MustCompile(`<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
	n := 0
	for _, m := range words.FindAllStringSubmatch(string(out), -1) {
		x0, _ := strconv.ParseFloat(m[1], 64)
		x1, _ := strconv.ParseFloat(m[2], 64)
		y1, _ := strconv.ParseFloat(m[3], 64)
		if x0 < left-0.5 || x1 > right || y1 > bottom {
			t.Errorf("%q printed outside the frame: x %.1f–%.1f pt, bottom %.1f pt", m[4], x0, x1, y1)
		}
		n++
	}
	if n == 0 {
		t.Fatal("pdftotext -bbox found no words")
	}
}

func longText(n int) string {
	var b strings.Builder
	for i := 1; b.Len() < n*3; i++ {
		fmt.Fprintf(&b, "第%d项：按照保密管理规定做好涉密载体的登记、使用和保管，", i)
	}
	return string([]rune(b.String())[:n]) + "完。"
}

func TestCirculationSheet_EveryFieldAndLabelPrints(t *testing.T) {
	f := sampleCirculation()
	pdf := render(t, func(w *bytes.Buffer) error { return RenderCirculationSheet(w, f, Options{}) })
	writeSample(t, "circulation", pdf)
	pages := formText(t, pdf, false)
	mustStayInFrame(t, pdf)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会文件传阅单", "000003", "机密★10年", "特急",
		"编号：阅〔2026〕0012", "登记号：收〔2026〕0042",
		"文件编号", "省保密〔2026〕17号", "登记号", "收〔2026〕0042", "文件标题", "关于做好2026年度保密检查工作的通知",
		"来文单位", "省国家保密局", "登记日期", "2026年11月2日", "密级", "份号", "份数",
		"序号", "姓名", "送文时间", "退文时间", "清点情况", "签字",
		"1", "王局长", "2026-11-03 09:10", "2026-11-03 16:40", "齐全",
		"2", "李副局长", "2026-11-04 08:50", "2026-11-05 10:20", "缺第3页",
		"3", "赵处长", "2026-11-05 14:00",
		"备注", "阅后请于当日退回机要室，不得复印、摘抄。", "第 1 页 共 1 页", "张文书")
}

func TestCirculationSheet_ShortRouteLeavesRowsForHandwriting(t *testing.T) {
	s, err := newSheet("P", "文件传阅单", sampleHead("阅〔2026〕0013"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	cols := []listColumn{{title: "序号", width: 12}, {title: "签字"}}
	y := s.y
	s.slipTable(cols, [][]string{{"1", ""}, {"2", ""}}, slipSignH, circulationRows, -1)
	if got, want := s.y-y, 8+circulationRows*slipSignH; got < want-0.01 || got > want+0.01 {
		t.Errorf("a 2-step route took %.1f mm, want the header and %d rows of %.0f mm (%.1f mm)",
			got, circulationRows, slipSignH, want)
	}
	// With room to spare the rows go on down to what is kept for below.
	s.y = y
	s.slipTable(cols, nil, slipSignH, circulationRows, 30)
	if s.y > s.bottom()-30 || s.y+slipSignH <= s.bottom()-30 {
		t.Errorf("the empty rows end at %.1f mm, want them to fill the page down to %.1f mm", s.y, s.bottom()-30)
	}
	// What is reserved and would not fit anyway goes to the next page:
	// the rows fill this one to its end.
	s.y = y
	s.slipTable(cols, nil, slipSignH, circulationRows, 500)
	if s.y > s.bottom() || s.y+slipSignH <= s.bottom() {
		t.Errorf("the empty rows end at %.1f mm, want them to fill the page down to %.1f mm", s.y, s.bottom())
	}
}

func TestCirculationSheet_LongRouteContinuesUnderItsHeader(t *testing.T) {
	f := sampleCirculation()
	f.Route = nil
	for i := 1; i <= 40; i++ {
		f.Route = append(f.Route, RouteStep{Ord: i, Reader: fmt.Sprintf("读者%02d", i), Out: "2026-11-03 09:10"})
	}
	pdf := render(t, func(w *bytes.Buffer) error { return RenderCirculationSheet(w, f, Options{}) })
	writeSample(t, "circulation-route-long", pdf)
	pages := formText(t, pdf, false)
	mustStayInFrame(t, pdf)
	if len(pages) < 2 {
		t.Fatalf("40 readers should need a second page, got %d page(s)", len(pages))
	}
	last := pages[len(pages)-1]
	mustContain(t, last, "文件传阅单（续）", "序号", "姓名", "送文时间", "签字", "读者40", "备注",
		fmt.Sprintf("第 %d 页 共 %d 页", len(pages), len(pages)))
	for i := 1; i <= 40; i++ {
		mustContain(t, strings.Join(pages, ""), fmt.Sprintf("读者%02d", i))
	}
}

func TestCopySlip_EveryFieldAndLabelPrints(t *testing.T) {
	f := sampleCopySlip()
	pdf := render(t, func(w *bytes.Buffer) error { return RenderCopySlip(w, f, Options{}) })
	writeSample(t, "copy", pdf)
	pages := formText(t, pdf, false)
	mustStayInFrame(t, pdf)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会涉密文件复制（复印）审批单", "000003", "机密★10年",
		"编号：复〔2026〕0003", "登记号：收〔2026〕0042",
		"申请人", "刘干事", "部门", "办公室", "申请日期", "2026年11月20日",
		"文件名称", "关于做好2026年度保密检查工作的通知", "文号", "省保密〔2026〕17号", "登记号", "收〔2026〕0042",
		"密级", "份号", "000003", "每份页数", "12", "复制份数", "2", "承制单位", "机要室",
		"复制用途", "供两个处室学习传达。", "申请人签字",
		"审批意见", "同意。限在本单位内传达，阅后收回。", "审批人：王局长", "2026年11月21日", "审批人签字",
		"序号", "已发复制件", "收〔2026〕0043（份号000003复1）", "收〔2026〕0044（份号000003复2）",
		"第 1 页 共 1 页", "张文书")
}

func TestCopySlip_UndecidedLeavesTheBoxForTheLeader(t *testing.T) {
	f := sampleCopySlip()
	f.Decision, f.CopyNos, f.Copies = Decision{}, nil, 0
	pdf := render(t, func(w *bytes.Buffer) error { return RenderCopySlip(w, f, Options{}) })
	writeSample(t, "copy-undecided", pdf)
	text := squeeze(strings.Join(formText(t, pdf, false), ""))
	mustContain(t, text, "审批意见", "审批人签字")
	for _, no := range []string{"同意", "审批人：", "已发复制件"} {
		if strings.Contains(text, no) {
			t.Errorf("an undecided slip prints %q", no)
		}
	}
}

func TestCopySlip_TopSecretShowsTheAuthoritysApproval(t *testing.T) {
	f := sampleCopySlip()
	f.Head.Marking = "" // the slip takes its carrier's marking
	f.Carrier.Level, f.Carrier.Marking = "绝密", "绝密★长期"
	f.AuthorityDoc = "国保发〔2026〕3号批复"
	pdf := render(t, func(w *bytes.Buffer) error { return RenderCopySlip(w, f, Options{}) })
	writeSample(t, "copy-top-secret", pdf)
	text := formText(t, pdf, false)[0]
	mustContain(t, text, "绝密★长期", "原定密机关批准文件", "国保发〔2026〕3号批复")
}

func TestLoanSlip_EveryFieldAndLabelPrints(t *testing.T) {
	f := sampleLoanSlip(false)
	pdf := render(t, func(w *bytes.Buffer) error { return RenderLoanSlip(w, f, Options{}) })
	writeSample(t, "loan", pdf)
	pages := formText(t, pdf, false)
	mustStayInFrame(t, pdf)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	text := pages[0]
	mustContain(t, text, "某市发展和改革委员会涉密载体借阅审批单", "000003", "机密★10年",
		"编号：借〔2026〕0005", "登记号：收〔2026〕0042",
		"借阅人", "陈科长", "部门", "规划处", "申请日期", "2026年11月22日", "经办人", "张文书",
		"编号", "借〔2026〕0005", "归还日期", "2026年11月28日",
		"载体名称", "关于做好2026年度保密检查工作的通知", "文号", "省保密〔2026〕17号", "保密编号", "收〔2026〕0042",
		"载体类别", "纸质文件", "密级", "份号", "000003", "页数", "12",
		"借阅用途", "参加全省保密工作会议汇报使用。", "借阅人签字",
		"审批意见", "同意。专人携带，全程不离身。", "审批人：王局长", "审批人签字",
		"归还检查情况", "实际归还日期：2026年11月27日", "检查情况：完好", "检查人签字", "第 1 页 共 1 页")
	for _, no := range []string{"外出", "携带人", "返回日期"} {
		if strings.Contains(squeeze(text), no) {
			t.Errorf("a loan slip prints %q", no)
		}
	}
}

func TestLoanSlip_TakeOutShowsItsTitleAndDestination(t *testing.T) {
	f := sampleLoanSlip(true)
	pdf := render(t, func(w *bytes.Buffer) error { return RenderLoanSlip(w, f, Options{}) })
	writeSample(t, "takeout", pdf)
	pages := formText(t, pdf, false)
	mustStayInFrame(t, pdf)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会涉密载体外出携带审批单", "编号：携〔2026〕0005",
		"携带人", "陈科长", "经办人", "张文书", "申请日期", "2026年11月22日", "编号", "携〔2026〕0005",
		"外出地点", "省发展改革委会议中心", "同行人", "李副科长", "保密措施", "密码箱专人携带，全程不离身",
		"是否出境", "返回日期", "2026年11月28日", "密级", "机密★10年", "保密编号",
		"携带用途", "参加全省保密工作会议汇报使用。", "携带人签字", "审批意见", "同意。专人携带，全程不离身。",
		"返回检查情况", "实际返回日期：2026年11月27日", "检查情况：完好", "检查人签字")
	if strings.Contains(squeeze(pages[0]), "借阅") {
		t.Error("a take-out slip prints 借阅")
	}
}

func TestLoanSlip_NotYetReturnedLeavesTheCheckEmpty(t *testing.T) {
	f := sampleLoanSlip(true)
	f.ReturnedOn, f.ReturnCheck, f.Decision = "", "", Decision{}
	text := squeeze(formText(t, render(t, func(w *bytes.Buffer) error { return RenderLoanSlip(w, f, Options{}) }), false)[0])
	mustContain(t, text, "返回检查情况", "检查人签字", "审批人签字")
	for _, no := range []string{"实际返回日期", "检查情况：", "审批人："} {
		if strings.Contains(text, no) {
			t.Errorf("a slip not yet decided or returned prints %q", no)
		}
	}
}

func TestSlips_TopSecretMarkingOnFirstPage(t *testing.T) {
	for _, r := range slipRenderers {
		t.Run(r.name, func(t *testing.T) {
			// The head's own marking, and, when the head has none, the carrier's.
			for _, headMarks := range []bool{true, false} {
				pdf := render(t, func(w *bytes.Buffer) error {
					return r.render(w, func(h *Head, c *CarrierLine) {
						c.Level, c.Marking = "绝密", "绝密★长期"
						h.Marking = ""
						if headMarks {
							h.Marking = "绝密★长期"
						}
					}, Options{})
				})
				pages := formText(t, pdf, true)
				// The marking stands alone on a line of the page's top-left.
				top := strings.SplitN(pages[0], "\n", 6)
				found := false
				for _, l := range top[:len(top)-1] {
					if strings.HasPrefix(strings.TrimSpace(l), "绝密★长期") {
						found = true
					}
				}
				if !found {
					t.Errorf("head marking %v: no 绝密★长期 at the top of page 1:\n%s", headMarks, strings.Join(top, "\n"))
				}
			}
		})
	}
}

func TestSlips_DataOnlyLeavesOutCaptions(t *testing.T) {
	for _, r := range slipRenderers {
		t.Run(r.name, func(t *testing.T) {
			pdf := render(t, func(w *bytes.Buffer) error {
				return r.render(w, noEdit, Options{DataOnly: true, OffsetX: 2.5, OffsetY: -1})
			})
			writeSample(t, r.name+"-data-only", pdf)
			text := squeeze(strings.Join(formText(t, pdf, false), ""))
			for _, frame := range append(r.labels, "签字", "密级", "第1页") {
				if strings.Contains(text, squeeze(frame)) {
					t.Errorf("套打 printed the frame text %q", frame)
				}
			}
			mustContain(t, text, "关于做好2026年度保密检查工作的通知", "机密★10年", "收〔2026〕0042")
		})
	}
}

func TestSlips_LongTextWrapsWithoutLoss(t *testing.T) {
	long := longText(1000)
	cases := []struct {
		name   string
		render func(w *bytes.Buffer) error
	}{
		{"copy-long", func(w *bytes.Buffer) error {
			f := sampleCopySlip()
			f.Purpose = long
			return RenderCopySlip(w, f, Options{})
		}},
		{"takeout-long", func(w *bytes.Buffer) error {
			f := sampleLoanSlip(true)
			f.Purpose = long
			return RenderLoanSlip(w, f, Options{})
		}},
		{"loan-long-opinion", func(w *bytes.Buffer) error {
			f := sampleLoanSlip(false)
			f.Decision.Opinion = long
			return RenderLoanSlip(w, f, Options{})
		}},
		{"circulation-long-count", func(w *bytes.Buffer) error {
			f := sampleCirculation()
			f.Route[1].Count = long
			return RenderCirculationSheet(w, f, Options{})
		}},
		{"circulation-long-remarks", func(w *bytes.Buffer) error {
			f := sampleCirculation()
			f.Remarks = long
			return RenderCirculationSheet(w, f, Options{})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pdf := render(t, c.render)
			writeSample(t, c.name, pdf)
			pages := formText(t, pdf, false)
			mustKeepAll(t, pages, long)
			mustStayInFrame(t, pdf)
		})
	}
}

func TestSlips_SameDataSameBytes(t *testing.T) {
	for _, r := range slipRenderers {
		t.Run(r.name, func(t *testing.T) {
			a := render(t, func(w *bytes.Buffer) error { return r.render(w, noEdit, Options{}) })
			b := render(t, func(w *bytes.Buffer) error { return r.render(w, noEdit, Options{}) })
			if !bytes.Equal(a, b) {
				t.Fatal("two renderings of the same data differ")
			}
		})
	}
}

// R23: the 复制戳 stickers fill two columns of five on A4, one per copy,
// each inside the page and with its stamp, mark and register number.
func TestCopyLabels_OnePerCopyTenAPage(t *testing.T) {
	f := CopyLabels{Head: Head{Office: "某市发展和改革委员会", SlipNo: "复〔2026〕0003", Marking: "机密★10年",
		PrintedBy: "张文书", Printed: printedAt}}
	for i := 1; i <= 12; i++ {
		f.Labels = append(f.Labels, CopyLabel{
			Stamp:   fmt.Sprintf("某市发展和改革委员会复制 2026年11月21日 复制件第%d份", i),
			Marking: "机密★10年", RegNo: fmt.Sprintf("收〔2026〕%04d", 42+i), Original: "收〔2026〕0042 份号000003"})
	}
	pdf := render(t, func(w *bytes.Buffer) error { return RenderCopyLabels(w, f, Options{}) })
	writeSample(t, "copylabels", pdf)
	mustStayInFrame(t, pdf)
	pages := formText(t, pdf, false)
	if len(pages) != 2 {
		t.Fatalf("%d pages, want 2 for 12 stickers", len(pages))
	}
	if n := strings.Count(pages[0], "复制件第"); n != 10 {
		t.Errorf("first page: %d stickers, want 10", n)
	}
	mustContain(t, pages[1], "复制件第11份", "复制件第12份", "收〔2026〕0054", "原件：收〔2026〕0042份号000003",
		"某市发展和改革委员会复制", "2026年11月21日", "机密★10年", "第 2 页 共 2 页")
}

// R24: the 定密审批表 prints every particular, the 承办人's proposal and the
// 定密责任人's decision, on one page inside the frame.
func TestClassSlip_R24_EveryFieldPrints(t *testing.T) {
	h := sampleHead("定〔2026〕0002")
	h.CopyNo, h.Urgency, h.Marking = 0, "", "机密★5年"
	f := ClassSlip{Head: h, Carrier: sampleCarrier(), Kind: "派生", Marking: "机密★5年",
		NeedToKnow: "局领导、办公室主任", Basis: "依据省保密〔2026〕17号（机密★10年）派生，密点同来源文件第三部分",
		KeyPoints: "第三部分的项目选址", Undertaker: "刘干事", ProposedOn: "2026-11-20",
		Decision: Decision{Role: "定密责任人", Approver: "王局长", Decision: "审定", Opinion: "定为机密★5年（机密★10年 改为 机密★5年）。", Date: "2026-11-21"},
		Signer:   "王局长"}
	pdf := render(t, func(w *bytes.Buffer) error { return RenderClassSlip(w, f, Options{}) })
	writeSample(t, "classify", pdf)
	mustStayInFrame(t, pdf)
	pages := formText(t, pdf, false)
	if len(pages) != 1 {
		t.Fatalf("%d pages", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会定密审批表", "编号：定〔2026〕0002", "文件标题", "文号", "登记号",
		"派生定密", "机密★5年", "知悉范围", "局领导、办公室主任", "定密依据", "密点", "第三部分的项目选址",
		"承办人：刘干事", "审定", "定密责任人：王局长", "2026年11月21日", "定密责任人签字", "签发人")
}
