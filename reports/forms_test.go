package reports

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var printedAt = time.Date(2026, 11, 23, 9, 30, 0, 0, time.Local)

// formText extracts the text of a PDF with pdftotext, page by page,
// in reading order or (layout) as laid out.
func formText(t *testing.T, pdf []byte, layout bool) []string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-enc", "UTF-8"}
	if layout {
		args = append(args, "-layout")
	}
	out, err := exec.Command("pdftotext", append(args, in, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(string(out), "\f")
	if len(pages) > 0 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	return pages
}

// squeeze drops the spaces and line breaks pdftotext puts into wrapped text.
func squeeze(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func mustContain(t *testing.T, text string, want ...string) {
	t.Helper()
	sq := squeeze(text)
	for _, w := range want {
		if !strings.Contains(sq, squeeze(w)) {
			t.Errorf("missing %q", w)
		}
	}
}

// writeSample keeps a rendered form when SECDOC_FORMS_DIR is set, for
// turning into PNG pages and looking at.
func writeSample(t *testing.T, name string, pdf []byte) {
	if dir := os.Getenv("SECDOC_FORMS_DIR"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func sampleHead(slip string) Head {
	return Head{Office: "某市发展和改革委员会", SlipNo: slip, RegNo: "收〔2026〕0042", CopyNo: 3,
		Marking: "机密★10年", Urgency: "特急", PrintedBy: "张文书", Printed: printedAt}
}

func sampleCarrier() CarrierLine {
	return CarrierLine{RegNo: "收〔2026〕0042", Title: "关于做好2026年度保密检查工作的通知", Issuer: "省国家保密局",
		Kind: "纸质文件", DocNumber: "省保密〔2026〕17号", Level: "机密", Marking: "机密★10年", CopyNo: "000003",
		Pages: "12", Count: "1", Custodian: "张文书", RegDate: "2026-11-02", NeedToKnow: "局领导、办公室"}
}

func render(t *testing.T, f func(w *bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestFlowSheet_EveryFieldAndLabelPrints(t *testing.T) {
	f := FlowSheet{Head: sampleHead("阅〔2026〕0007"), Carrier: sampleCarrier(), Urgency: "特急",
		ReceivedOn: "2026-11-02", Proposed: "请办公室牵头，拟呈王局长阅示。", Instructions: "同意，请抓紧落实。",
		DeptOpinion: "已组织学习。", Result: "已按要求完成自查并报送。"}
	f.Carrier.Count = "2"
	pdf := render(t, func(w *bytes.Buffer) error { return RenderFlowSheet(w, f, Options{}) })
	writeSample(t, "flow", pdf)
	pages := formText(t, pdf, false)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会文件阅办单", "000003", "机密★10年", "特急",
		"编号：阅〔2026〕0007", "登记号：收〔2026〕0042",
		"收文号", "收〔2026〕0042", "收文日期", "2026年11月2日", "来文机关", "省国家保密局", "来文号", "省保密〔2026〕17号",
		"密级", "缓急", "份数", "文件标题", "关于做好2026年度保密检查工作的通知",
		"拟办意见", "请办公室牵头，拟呈王局长阅示。", "领导批示", "同意，请抓紧落实。", "部门意见", "已组织学习。",
		"办理结果", "已按要求完成自查并报送。", "签字", "第 1 页 共 1 页", "张文书")
}

func TestFlowSheet_LongProposalWrapsWithoutLoss(t *testing.T) {
	var b strings.Builder
	for b.Len() < 2000*3 {
		b.WriteString("请各处室认真学习领会文件精神，结合实际抓好贯彻落实，")
	}
	long := string([]rune(b.String())[:2000]) + "完。"
	f := FlowSheet{Head: sampleHead("阅〔2026〕0008"), Carrier: sampleCarrier(), Proposed: long}
	pdf := render(t, func(w *bytes.Buffer) error { return RenderFlowSheet(w, f, Options{}) })
	writeSample(t, "flow-long", pdf)
	pages := formText(t, pdf, false)
	if len(pages) < 2 {
		t.Fatalf("2,002 characters in one box should continue on a second page, got %d page(s)", len(pages))
	}
	all := squeeze(strings.Join(pages, ""))
	// Every character arrives, in order: the whole text is a subsequence of
	// the extracted text, with only captions and page furniture between.
	rs := []rune(all)
	k := 0
	for _, r := range long {
		for k < len(rs) && rs[k] != r {
			k++
		}
		if k == len(rs) {
			t.Fatalf("text lost: ran out of output matching the proposal")
		}
		k++
	}
	if !strings.Contains(all, squeeze(long[len(long)-60:])) {
		t.Error("the end of the proposal is missing")
	}
	mustContain(t, pages[1], "文件阅办单（续）", "拟办意见", "第 2 页")
}

func TestFlowSheet_TopSecretMarkingOnFirstPage(t *testing.T) {
	h := sampleHead("阅〔2026〕0009")
	h.Marking = "绝密★长期"
	f := FlowSheet{Head: h, Carrier: sampleCarrier()}
	pages := formText(t, render(t, func(w *bytes.Buffer) error { return RenderFlowSheet(w, f, Options{}) }), false)
	mustContain(t, pages[0], "绝密★长期")
}

func TestFlowSheet_DataOnlyLeavesOutTheFrame(t *testing.T) {
	f := FlowSheet{Head: sampleHead("阅〔2026〕0010"), Carrier: sampleCarrier(), Proposed: "拟请王局长阅示。"}
	pdf := render(t, func(w *bytes.Buffer) error {
		return RenderFlowSheet(w, f, Options{DataOnly: true, OffsetX: 2.5, OffsetY: -1})
	})
	writeSample(t, "flow-data-only", pdf)
	text := squeeze(strings.Join(formText(t, pdf, false), ""))
	for _, frame := range []string{"文件阅办单", "拟办意见", "收文号", "签字", "第1页"} {
		if strings.Contains(text, frame) {
			t.Errorf("套打 printed the frame text %q", frame)
		}
	}
	mustContain(t, text, "拟请王局长阅示。", "收〔2026〕0042", "机密★10年")
}

func TestFlowSheet_SameDataSameBytes(t *testing.T) {
	f := FlowSheet{Head: sampleHead("阅〔2026〕0011"), Carrier: sampleCarrier(), Proposed: "拟办。"}
	a := render(t, func(w *bytes.Buffer) error { return RenderFlowSheet(w, f, Options{}) })
	b := render(t, func(w *bytes.Buffer) error { return RenderFlowSheet(w, f, Options{}) })
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same data differ")
	}
}
