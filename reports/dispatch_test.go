package reports

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// mustBeLandscape checks every page of pdf is wider than tall.
func mustBeLandscape(t *testing.T, pdf []byte) {
	t.Helper()
	for i, p := range wordBoxes(t, pdf) {
		if p.w <= p.h {
			t.Fatalf("page %d is %.0f × %.0f pt, want landscape", i+1, p.w, p.h)
		}
	}
}

// topMarking is the first line of a page as laid out: the form's marking.
func topMarking(t *testing.T, pdf []byte) string {
	t.Helper()
	for _, l := range strings.Split(formText(t, pdf, true)[0], "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return strings.Fields(l)[0]
		}
	}
	return ""
}

// fieldCount counts the words of the pages that are exactly w.
func fieldCount(pages []string, w string) int {
	n := 0
	for _, f := range strings.Fields(strings.Join(pages, "\n")) {
		if f == w {
			n++
		}
	}
	return n
}

// R25: the 发文分发登记表 prints the document, its 印制 and 定密, its
// 分送范围, every 份号 sent with its 签收, 回执 or return, and the copies
// kept, on one landscape page marked with the document's level.
func TestDispatchForm_R25_EveryFieldPrints(t *testing.T) {
	f := sampleDispatch()
	pdf := render(t, func(w *bytes.Buffer) error { return RenderDispatchForm(w, f, Options{}) })
	writeSample(t, "dispatch", pdf)
	mustBeLandscape(t, pdf)
	noOverflow(t, pdf)
	pages := formText(t, pdf, false)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会发文分发登记表", "登记号：发〔2026〕0011",
		"发文字号", "市发改发〔2026〕15号", "成文日期", "2026年11月20日", "密级★期限", "机密★10年",
		"题名", "关于下达2026年第二批重点项目投资计划的通知", "发〔2026〕0011 至 发〔2026〕0016", "份数", "6 份",
		"印制", "印〔2026〕0004：印数 6 份，份号 000001-000006，印制人 文印室 陈静，印制日期 2026年11月21日",
		"定密", "定〔2026〕0002 已定密，定密责任人 王局长，审定日期 2026年11月21日",
		"分送范围", "市财政局 2 份（机要交通）；市住房和城乡建设局 1 份（机要交通）；市审计局 1 份（机要文件交换站，未分发 1 份）；省发展和改革委员会 1 份（机要通信）",
		"分发登记（共 5 份次）", "收文单位", "份号", "登记号", "渠道", "分发日期", "经手人", "密封", "签收", "备注",
		"签收人：李会计", "回执编号：HZ-2026-0107", "误发退回 2026-11-23 误取份号，收回另发",
		"存档份/未分发：", "000005-000006", "第 1 页 共 1 页", "打印：张文书")
	// Marked with the level alone, as a list is: the term is in the head.
	if m := topMarking(t, pdf); m != "机密" {
		t.Errorf("the form is marked %q, want 机密", m)
	}
	// Each sending is a row: 000004 twice (sent in error, then again).
	for no, want := range map[string]int{"000001": 1, "000002": 1, "000003": 1, "000004": 2} {
		if n := fieldCount(pages, no); n != want {
			t.Errorf("份号 %s in %d rows, want %d", no, n, want)
		}
	}
	// Only the settled copies have something in the 签收 column; the two
	// outstanding ones are left to sign, the returned one has a dash.
	if n := strings.Count(squeeze(pages[0]), "签收人："); n != 1 {
		t.Errorf("签收人： %d times, want once", n)
	}
	if n := fieldCount(pages, "—"); n != 5+1 {
		t.Errorf("%d dashes, want 5 in 密封 (none is sealed) and 1 in the returned copy's 签收", n)
	}
}

// R25: a 绝密 copy is sent sealed; a document not yet printed, classified,
// given its 分送范围 or sent says so, and lists every copy as kept.
func TestDispatchForm_R25_SealedAndNothingYet(t *testing.T) {
	f := sampleDispatch()
	f.Document.Level, f.Document.Marking = "绝密", "绝密★长期"
	f.Sendings = f.Sendings[:1]
	f.Sendings[0].Sealed = true
	pdf := render(t, func(w *bytes.Buffer) error { return RenderDispatchForm(w, f, Options{}) })
	text := formText(t, pdf, false)[0]
	if m := topMarking(t, pdf); m != "绝密" {
		t.Errorf("a 绝密 document's form is marked %q", m)
	}
	if fieldCount([]string{text}, "是") != 1 || fieldCount([]string{text}, "—") != 0 {
		t.Errorf("the sealed copy's 密封 should read 是:\n%s", text)
	}

	f = sampleDispatch()
	f.Printing, f.Class, f.Lines, f.Sendings, f.Kept = nil, nil, nil, nil, "000001-000006"
	f.Elsewhere = "000003（借出）"
	pdf = render(t, func(w *bytes.Buffer) error { return RenderDispatchForm(w, f, Options{}) })
	writeSample(t, "dispatch-nothing-yet", pdf)
	pages := formText(t, pdf, false)
	if strings.Contains(pages[0], "份次") {
		t.Error("a document not sent counts its sendings")
	}
	mustContain(t, pages[0], "未登记印制", "无定密记录", "分送范围", "尚未确定分送范围", "分发登记",
		"尚未分发", "存档份/未分发：", "000001-000006", "其他未分发：", "000003（借出）")

	f.Document.Level, f.Document.Marking = "内部", "内部"
	pdf = render(t, func(w *bytes.Buffer) error { return RenderDispatchForm(w, f, Options{}) })
	mustContain(t, formText(t, pdf, false)[0], "不需定密（内部）")
}

// R25: a long distribution goes on over pages, the table's header and the
// document's 登记号 on each, every 份号 once.
func TestDispatchForm_R25_LongDistributionRepeatsTheHeader(t *testing.T) {
	f := sampleDispatch()
	f.Sendings = nil
	for i := 1; i <= 60; i++ {
		x := f.Sendings
		x = append(x, SendingLine{RegNo: fmt.Sprintf("发〔2026〕%04d", 100+i), CopyNo: fmt.Sprintf("%06d", i),
			Recipient: fmt.Sprintf("第%d区人民政府办公室", i), Channel: "机要交通", SentOn: "2026-11-22", Handler: "王敏"})
		f.Sendings = x
	}
	f.Printing.Range = "无份号" // keep 000001 out of the head
	pdf := render(t, func(w *bytes.Buffer) error { return RenderDispatchForm(w, f, Options{}) })
	writeSample(t, "dispatch-long", pdf)
	noOverflow(t, pdf)
	pages := formText(t, pdf, false)
	if len(pages) < 3 {
		t.Fatalf("60 rows to sign in take at least 3 landscape pages, got %d", len(pages))
	}
	for p, text := range pages {
		mustContain(t, text, "份号", "收文单位", "经手人", "签收", "备注", fmt.Sprintf("第 %d 页 共 %d 页", p+1, len(pages)))
		if p > 0 {
			mustContain(t, text, "发文分发登记表（续） 发〔2026〕0011", "机密")
		}
	}
	for i := 1; i <= 60; i++ {
		if n := fieldCount(pages, fmt.Sprintf("%06d", i)); n != 1 {
			t.Errorf("份号 %06d printed %d times, want once", i, n)
		}
	}
	mustContain(t, pages[len(pages)-1], "存档份/未分发：")
}

// R25: the 送文簿 lists a day's sendings channel by channel, each under its
// heading with the 经手人, with columns to sign in; it is marked with the
// highest level on it.
func TestCourierBook_R25_GroupedByChannelForSignatures(t *testing.T) {
	f := sampleCourier()
	pdf := render(t, func(w *bytes.Buffer) error { return RenderCourierBook(w, f, Options{}) })
	writeSample(t, "courier", pdf)
	mustBeLandscape(t, pdf)
	noOverflow(t, pdf)
	pages := formText(t, pdf, false)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	text := squeeze(pages[0])
	lines := strings.Split(formText(t, pdf, true)[0], "\n")
	mustContain(t, text, "某市发展和改革委员会送文簿", "分发日期：2026年11月23日", "渠道：全部渠道", "共 6 份",
		"序号", "发文字号", "题名", "密级", "份号", "收文单位", "渠道", "密封", "签收人", "签收时间",
		"市发改发〔2026〕15号", "发〔2026〕0011", "关于重大项目选址方案的请示", "省审计厅", "张收发", "第 1 页 共 1 页")
	if m := topMarking(t, pdf); m != "绝密" {
		t.Errorf("the book is marked %q, want 绝密, the highest level on it", m)
	}
	// The channels in the order given, each heading once with its count and 经手人.
	heads := []string{"机要交通（3份，经手人：王敏）", "机要通信（2份，经手人：王敏）", "机要收发人员（1份，经手人：李机要）"}
	at := -1
	for _, h := range heads {
		i := slices.IndexFunc(lines, func(l string) bool { return squeeze(l) == h })
		if i < 0 {
			t.Fatalf("no heading %q on a line of its own", h)
		}
		if i < at {
			t.Errorf("heading %q out of order", h)
		}
		at = i
	}
	// Numbered through the book; only the 绝密 copy is sealed.
	if fieldCount(pages, "6") < 1 || fieldCount(pages, "是") != 1 {
		t.Errorf("rows are numbered to 6 and one is sealed:\n%s", pages[0])
	}
	// The columns to sign in take a name and a time written by hand.
	for _, c := range courierColumns {
		if (c.title == "签收人" || c.title == "签收时间") && c.width < 30 {
			t.Errorf("%s is %.0f mm wide, too narrow to sign in", c.title, c.width)
		}
	}
}

// R25: the 送文簿 of one channel names it; a long one continues under its
// header with the day and channel on each page.
func TestCourierBook_R25_OneChannelOverPages(t *testing.T) {
	f := sampleCourier()
	f.Channel = "机要交通"
	f.Rows = nil
	for i := 1; i <= 40; i++ {
		f.Rows = append(f.Rows, SendingLine{RegNo: fmt.Sprintf("发〔2026〕%04d", i), CopyNo: fmt.Sprintf("%06d", i),
			DocNumber: "市发改发〔2026〕15号", Title: "关于下达2026年第二批重点项目投资计划的通知", Level: "秘密",
			Recipient: fmt.Sprintf("第%d区人民政府办公室", i), Channel: "机要交通", SentOn: "2026-11-23", Handler: "王敏"})
	}
	pdf := render(t, func(w *bytes.Buffer) error { return RenderCourierBook(w, f, Options{}) })
	writeSample(t, "courier-long", pdf)
	noOverflow(t, pdf)
	pages := formText(t, pdf, false)
	if len(pages) < 3 {
		t.Fatalf("%d pages for 40 rows to sign in, want at least 3", len(pages))
	}
	mustContain(t, pages[0], "渠道：机要交通", "共 40 份", "机要交通（40 份，经手人：王敏）")
	if strings.Contains(pages[0], "全部渠道") {
		t.Error("a one-channel book says 全部渠道")
	}
	for p, text := range pages {
		mustContain(t, text, "签收人", "签收时间", fmt.Sprintf("第 %d 页 共 %d 页", p+1, len(pages)))
		if p > 0 {
			mustContain(t, text, "送文簿（续） 2026年11月23日 机要交通")
		}
	}
	for i := 1; i <= 40; i++ {
		if n := fieldCount(pages, fmt.Sprintf("%06d", i)); n != 1 {
			t.Errorf("份号 %06d printed %d times, want once", i, n)
		}
	}
}
