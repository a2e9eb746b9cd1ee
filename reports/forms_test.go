package reports

import (
	"bytes"
	"fmt"
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

// sampleDispatch is the 发文分发登记表 of a 机密 document of six copies:
// printed and classified, four recipients, one copy signed for, one
// acknowledged by 回执, one sent in error and sent again, two kept.
func sampleDispatch() DispatchForm {
	h := sampleHead("")
	h.RegNo, h.CopyNo, h.Urgency, h.Marking = "发〔2026〕0011", 0, "", ""
	doc := CarrierLine{RegNo: "发〔2026〕0011", Title: "关于下达2026年第二批重点项目投资计划的通知", Kind: "纸质文件",
		DocNumber: "市发改发〔2026〕15号", Level: "机密", Marking: "机密★10年"}
	send := func(no int, to, ch, on string) SendingLine {
		return SendingLine{RegNo: fmt.Sprintf("发〔2026〕%04d", 10+no), CopyNo: fmt.Sprintf("%06d", no), DocNumber: doc.DocNumber,
			Title: doc.Title, Level: doc.Level, Recipient: to, Channel: ch, SentOn: on, Handler: "王敏"}
	}
	signed := send(1, "市财政局", "机要交通", "2026-11-22")
	signed.Receipt, signed.ReceiptNo, signed.ReceiptOn = "签收", "李会计", "2026-11-22"
	slip := send(3, "市住房和城乡建设局", "机要交通", "2026-11-22")
	slip.Receipt, slip.ReceiptNo, slip.ReceiptOn = "回执", "HZ-2026-0107", "2026-11-23"
	wrong := send(4, "市审计局", "机要文件交换站", "2026-11-22")
	wrong.ReturnedOn, wrong.ReturnNote = "2026-11-23", "误取份号，收回另发"
	return DispatchForm{Head: h, Document: doc, RegNos: "发〔2026〕0011 至 发〔2026〕0016", Copies: 6, DocDate: "2026-11-20",
		Printing: &PrintingRecord{SlipNo: "印〔2026〕0004", Copies: 6, Range: "000001-000006", Printer: "文印室 陈静", On: "2026-11-21"},
		Class:    &ClassRecord{SlipNo: "定〔2026〕0002", State: "已定密", Authority: "王局长", DecidedOn: "2026-11-21"},
		Lines: []DispatchRecipient{
			{Recipient: "市财政局", Copies: 2, Channel: "机要交通", Sent: 2},
			{Recipient: "市住房和城乡建设局", Copies: 1, Channel: "机要交通", Sent: 1},
			{Recipient: "市审计局", Copies: 1, Channel: "机要文件交换站", Sent: 0},
			{Recipient: "省发展和改革委员会", Copies: 1, Channel: "机要通信", Sent: 1},
		},
		Sendings: []SendingLine{signed, send(2, "市财政局", "机要交通", "2026-11-22"), slip, wrong,
			send(4, "省发展和改革委员会", "机要通信", "2026-11-23")},
		Kept: "000005-000006"}
}

// sampleCourier is the 送文簿 of one day, all channels: two documents, one
// of them 绝密 and sealed, by three channels, one copy already signed for.
func sampleCourier() CourierBook {
	h := sampleHead("")
	h.RegNo, h.CopyNo, h.Urgency, h.Marking = "", 0, "", ""
	row := func(regNo, copyNo, docNo, title, level, to, ch, handler string) SendingLine {
		return SendingLine{RegNo: regNo, CopyNo: copyNo, DocNumber: docNo, Title: title, Level: level, Recipient: to,
			Channel: ch, SentOn: "2026-11-23", Handler: handler}
	}
	const a, b = "关于下达2026年第二批重点项目投资计划的通知", "关于重大项目选址方案的请示"
	top := row("发〔2026〕0021", "000001", "市发改发〔2026〕18号", b, "绝密", "市人民政府办公室", "机要交通", "王敏")
	top.Sealed = true
	hand := row("发〔2026〕0016", "000006", "市发改发〔2026〕15号", a, "机密", "市统计局", "机要收发人员", "李机要")
	hand.Receipt, hand.ReceiptNo, hand.ReceiptOn = "签收", "张收发", "2026-11-23"
	return CourierBook{Head: h, Date: "2026-11-23", Rows: []SendingLine{
		row("发〔2026〕0011", "000001", "市发改发〔2026〕15号", a, "机密", "市财政局", "机要交通", "王敏"),
		row("发〔2026〕0012", "000002", "市发改发〔2026〕15号", a, "机密", "市财政局", "机要交通", "王敏"),
		top,
		row("发〔2026〕0014", "000004", "市发改发〔2026〕15号", a, "机密", "省发展和改革委员会", "机要通信", "王敏"),
		row("发〔2026〕0015", "000005", "市发改发〔2026〕15号", a, "机密", "省审计厅", "机要通信", "王敏"),
		hand,
	}}
}
