package app

import (
	"bytes"
	"strings"
	"testing"

	"secdoc/models"
	"secdoc/reports"
)

// sentDoc is a 机密 document of five copies, classified and printed, sent
// on 2026-11-23: two copies to 遂安市财政局 by 机要交通 (the first signed
// for), one to 遂安市审计局 by 机要通信 (sent in error, back, and sent
// again), one to 遂安市统计局 by 机要收发人员; the fifth is kept.
func sentDoc(t *testing.T, s *Service) ([]models.Carrier, models.Printing) {
	t.Helper()
	own := classifiedDoc(t, s, "5")
	p, err := s.RecordPrinting(clerk(t, s), printInput(own[0], 5))
	if err != nil {
		t.Fatal(err)
	}
	const day = "2026-11-23"
	first := mustSend(t, s, mustLine(t, s, own[0], "遂安市财政局", 2, models.ChannelCourier), day, own[0], own[1])
	audit := mustLine(t, s, own[0], "遂安市审计局", 1, models.ChannelPost)
	wrong := mustSend(t, s, audit, day, own[2])
	mustSend(t, s, mustLine(t, s, own[0], "遂安市统计局", 1, models.ChannelHand), day, own[3])
	if _, err := s.RecordReceipt(clerk(t, s), ReceiptInput{SendingID: first[0].ID, Kind: models.ReceiptSigned,
		No: "李会计", On: day}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReturnSent(clerk(t, s), wrong[0].ID, day, "信封错装，收回重发"); err != nil {
		t.Fatal(err)
	}
	mustSend(t, s, audit, day, own[2])
	return own, p
}

// R25: the 发文分发登记表 of a document, from any copy's 登记号 or a
// carrier's id, prints the document, its 印制 and 定密, its 分送范围, each
// 份号 sent with its recipient and channel, and the copy kept; the
// printing is recorded on every copy.
func TestPrint_R25_DispatchForm(t *testing.T) {
	s := newService(t)
	own, p := sentDoc(t, s)
	k, err := s.ClassificationOf(clerk(t, s), own[0].ID)
	if err != nil || k == nil {
		t.Fatalf("classification: %v", err)
	}
	words := []string{"遂安市机要局发文分发登记表", "发文字号", "遂发改发〔2026〕9号", "关于做好2026年度保密自查工作的通知",
		"机密★10年", "2026年11月20日", own[0].RegNo + "至" + own[4].RegNo, "5份",
		p.SlipNo + "：印数5份，份号000001-000005，印制人文印室陈静", k.SlipNo + "已定密，定密责任人孙局长",
		"遂安市财政局2份（机要交通）", "遂安市审计局1份（机要通信）", "遂安市统计局1份（机要收发人员）",
		"分发登记（共5份次）", "000001", "000002", "000003", "000004", own[2].RegNo, "签收人：李会计",
		"误发退回2026-11-23", "信封错装，收回重发", "存档份/未分发：", "000005"}
	po, text := mustPrint(t, s, FormDispatch, own[4].RegNo, words...)
	if po.Object != own[0].RegNo || po.Carriers != 5 || po.Form.Name != "发文分发登记表" ||
		!strings.HasSuffix(po.FileName, "-分发登记表.pdf") {
		t.Fatalf("printout %+v", po)
	}
	// 000003 is on two rows: sent in error, then again.
	if n := strings.Count(text, "000003"); n != 2 {
		t.Errorf("份号 000003 on %d rows, want 2", n)
	}
	// By a carrier's id, as the window asks for it: the same form.
	mustPrint(t, s, FormDispatch, own[1].ID, words...)
	for _, c := range own {
		if evs := printEvents(t, s, c.ID); len(evs) != 2 || !strings.Contains(evs[0].Reason, "发文分发登记表") {
			t.Fatalf("%s: print history %+v, want both printings", c.RegNo, evs)
		}
	}

	// An incoming document has none; an unknown number is named.
	recv := mustRegister(t, s, form())[0]
	var b bytes.Buffer
	_, err = s.Print(clerk(t, s), FormDispatch, recv.RegNo, reports.Options{}, &b)
	wantRefusal(t, err, models.ErrBadDispatch, FieldDispatchCarrier, recv.RegNo, "本机关制发")
	_, err = s.Print(clerk(t, s), FormDispatch, "发〔2026〕0099", reports.Options{}, &b)
	wantRefusal(t, err, models.ErrNotFound, "", "发〔2026〕0099", "核对")
	if b.Len() != 0 {
		t.Fatal("a refused printout wrote something")
	}
}

// R25: a document printed but not yet sent has its form too, every copy
// kept; one not yet printed says so.
func TestPrint_R25_DispatchFormBeforeSending(t *testing.T) {
	s := newService(t)
	own := classifiedDoc(t, s, "2")
	mustPrint(t, s, FormDispatch, own[0].RegNo, "未登记印制", "尚未确定分送范围", "尚未分发", "000001-000002")
	if _, err := s.RecordPrinting(clerk(t, s), printInput(own[0], 2)); err != nil {
		t.Fatal(err)
	}
	_, text := mustPrint(t, s, FormDispatch, own[1].RegNo, "印数2份", "存档份/未分发：000001-000002")
	if strings.Contains(text, "未登记印制") {
		t.Error("a printed document's form says 未登记印制")
	}
}

// R25: the 送文簿 of a day lists every copy sent that day, channel by
// channel in the window's order, with columns to sign in; of one channel,
// only that channel's; a day without sendings is refused with a message,
// not printed empty, and records nothing.
func TestPrint_R25_CourierBook(t *testing.T) {
	s := newService(t)
	own, _ := sentDoc(t, s)
	po, text := mustPrint(t, s, FormCourier, "2026-11-23", "遂安市机要局送文簿", "分发日期：2026年11月23日", "渠道：全部渠道",
		"共5份", "签收人", "签收时间", "遂发改发〔2026〕9号", own[0].RegNo, own[3].RegNo, "000001", "000004",
		"遂安市财政局", "遂安市审计局", "遂安市统计局", "李会计", "误发退回")
	if po.Object != "2026-11-23" || po.Carriers != 4 || po.FileName != "送文簿-2026.11.23.pdf" {
		t.Fatalf("printout %+v", po)
	}
	// 机要通信 comes before 机要收发人员, as the window lists the channels
	// (the database would sort them the other way round).
	heads := []string{"机要交通（2份，经手人：王敏）", "机要通信（2份，经手人：王敏）", "机要收发人员（1份，经手人：王敏）"}
	at := -1
	for _, h := range heads {
		i := strings.Index(text, h)
		if i < 0 || i < at {
			t.Fatalf("heading %q missing or out of order in %s", h, text)
		}
		at = i
	}
	for i, c := range own {
		want := 1
		if i == 4 {
			want = 0 // kept, not on the book
		}
		if n := len(printEvents(t, s, c.ID)); n != want {
			t.Errorf("%s: %d print events, want %d", c.RegNo, n, want)
		}
	}

	po, text = mustPrint(t, s, FormCourier, "2026-11-23/机要通信", "渠道：机要通信", "共2份", "遂安市审计局", "000003")
	if strings.Contains(text, "遂安市财政局") || strings.Contains(text, "全部渠道") || po.Carriers != 1 ||
		po.FileName != "送文簿-2026.11.23-机要通信.pdf" {
		t.Fatalf("the 机要通信 book lists other channels or is misnamed: %+v\n%s", po, text)
	}

	for _, c := range []struct {
		id    string
		cause error
		words []string
	}{
		{"2026-11-22", models.ErrNotFound, []string{"2026年11月22日没有分发记录", "没有可打印的送文簿"}},
		{"2026-11-23/机要文件交换站", models.ErrNotFound, []string{"2026年11月23日没有经机要文件交换站分发的文件"}},
		{"11-23", models.ErrBadDispatch, []string{"年-月-日", "2026-11-23/机要交通"}},
		{"2026-11-23/快递", models.ErrBadDispatch, []string{"没有“快递”这种分发渠道", "机要交通、机要通信"}},
	} {
		before, n := dispatchRows(t, s), auditCount(t, s)
		var b bytes.Buffer
		_, err := s.Print(clerk(t, s), FormCourier, c.id, reports.Options{}, &b)
		wantRefusal(t, err, c.cause, "", c.words...)
		if b.Len() != 0 {
			t.Fatalf("%s: a refused 送文簿 wrote %d bytes", c.id, b.Len())
		}
		wantAuditedRefusal(t, s, before, n)
	}
}
