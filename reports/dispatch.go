package reports

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"secdoc/models"
)

// The 发文分发登记表 and the 送文簿 of the office's own documents (R25), both
// A4 landscape: their tables have a column to sign in besides the copy's
// particulars.

// sendingColumns are the columns of the 发文分发登记表's sendings: one row
// per 份号, with its 登记号 (the 份号 of a copy without one is blank).
var sendingColumns = []listColumn{
	colSeq,
	{title: "份号", width: 16, align: "C"},
	{title: "登记号", width: 27, align: "C"},
	{title: "收文单位"},
	{title: "渠道", width: 26, align: "C"},
	{title: "分发日期", width: 22, align: "C"},
	{title: "经手人", width: 18, align: "C"},
	{title: "密封", width: 11, align: "C"},
	{title: "签收", width: 46, align: "C"},
	{title: "备注", width: 38},
}

// courierColumns are the columns of the 送文簿: the recipient signs and
// writes the time in the last two.
var courierColumns = []listColumn{
	colSeq,
	{title: "发文字号", width: 38},
	{title: "题名"},
	{title: "密级", width: 11, align: "C"},
	{title: "份号", width: 16, align: "C"},
	{title: "收文单位", width: 36},
	{title: "渠道", width: 26, align: "C"},
	{title: "密封", width: 11, align: "C"},
	{title: "签收人", width: 32, align: "C"},
	{title: "签收时间", width: 32, align: "C"},
}

// RenderDispatchForm writes the 发文分发登记表 of one of the office's own
// documents (R25), A4 landscape: the document (发文字号, 成文日期, mark,
// 题名, the 登记号 of its copies), its 印制 and 定密, its 分送范围 (each
// recipient's copies and channel, and what is still to send); then a
// row per 份号 sent, with the recipient, channel, date, 经手人 and seal,
// the recorded 签收 or 回执 or, while outstanding, an empty box to sign in,
// and a copy sent in error noted as returned; and the copies kept. The
// table's header repeats on every page. The form is marked with the
// document's level, as a list is; its barcode is the 登记号 in the head.
func RenderDispatchForm(w io.Writer, f DispatchForm, o Options) error {
	return renderPDF(w, f, o, drawDispatchForm)
}

func drawDispatchForm(w io.Writer, f DispatchForm, o Options) error {
	d := f.Document
	h := listHead(f.Head, []CarrierLine{d})
	s, err := newList("L", "发文分发登记表", h, o)
	if err != nil {
		return err
	}
	s.ref = h.RegNo
	s.marks()
	s.title()
	const cw, vw = listCapW, 66.0
	s.row(listRowH, caption(cw, "发文字号"), value(vw, d.DocNumber), caption(cw, "成文日期"), value(vw, fmtDate(f.DocDate)),
		caption(cw, "密级★期限"), value(0, d.Marking))
	s.row(listRowH, caption(cw, "题名"), value(0, d.Title))
	s.row(listRowH, caption(cw, "登记号"), value(vw+cw+vw, f.RegNos), caption(cw, "份数"), value(0, fmt.Sprintf("%d 份", f.Copies)))
	s.row(listRowH, caption(cw, "印制"), value(0, printingText(f.Printing)))
	s.row(listRowH, caption(cw, "定密"), value(0, classText(f.Class, d)))

	s.row(listRowH, caption(cw, "分送范围"), value(0, linesText(f.Lines)))
	s.y += 2

	rows := make([][]string, len(f.Sendings))
	for i, x := range f.Sendings {
		rows[i] = sendingRow(i, x)
	}
	title := "分发登记"
	if len(rows) > 0 {
		title = fmt.Sprintf("分发登记（共 %d 份次）", len(rows))
	}
	s.heading(title, s.tableStart(sendingColumns, rows)+listRowH)
	s.slipTable(sendingColumns, rows, slipSignH, 0, -1)
	if len(rows) == 0 {
		s.row(listRowH, value(0, "尚未分发"))
	}
	s.y += 2
	kept := f.Kept
	if kept == "" {
		kept = "无"
	}
	labels, values := []string{"存档份/未分发"}, []string{kept}
	if f.Elsewhere != "" {
		labels, values = append(labels, "其他未分发"), append(values, f.Elsewhere)
	}
	s.fieldLines(labels, values)
	return s.finish(w)
}

// linesText is a document's 分送范围 as the form's head shows it: each
// recipient with its copies and channel, and the copies still to send on
// the line.
func linesText(lines []DispatchRecipient) string {
	if len(lines) == 0 {
		return "尚未确定分送范围"
	}
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = fmt.Sprintf("%s %d 份（%s", l.Recipient, l.Copies, l.Channel)
		if l.Sent < l.Copies {
			parts[i] += fmt.Sprintf("，未分发 %d 份", l.Copies-l.Sent)
		}
		parts[i] += "）"
	}
	return strings.Join(parts, "；")
}

// printingText is a document's 印制 as the form's head shows it.
func printingText(p *PrintingRecord) string {
	if p == nil {
		return "未登记印制"
	}
	return fmt.Sprintf("%s：印数 %d 份，份号 %s，印制人 %s，印制日期 %s", p.SlipNo, p.Copies, p.Range, p.Printer, fmtDate(p.On))
}

// classText is a document's 定密 as the form's head shows it.
func classText(k *ClassRecord, d CarrierLine) string {
	if k == nil {
		if l, ok := models.ParseLevel(itemLevel(d)); ok && !l.IsStateSecret() {
			return "不需定密（" + l.String() + "）"
		}
		return "无定密记录"
	}
	parts := []string{k.SlipNo + " " + k.State}
	if k.Authority != "" {
		parts = append(parts, "定密责任人 "+k.Authority)
	}
	if k.DecidedOn != "" {
		parts = append(parts, "审定日期 "+fmtDate(k.DecidedOn))
	}
	return strings.Join(parts, "，")
}

// sendingRow is a sending as the 发文分发登记表 lists it.
func sendingRow(i int, x SendingLine) []string {
	note := ""
	if x.ReturnedOn != "" {
		note = strings.TrimSpace("误发退回 " + x.ReturnedOn + "\n" + x.ReturnNote)
	}
	return []string{strconv.Itoa(i + 1), x.CopyNo, x.RegNo, x.Recipient, x.Channel, x.SentOn, x.Handler,
		sealText(x), receiptText(x), note}
}

// sealText is the 密封 column: 是 for a 绝密 copy in its sealed envelope.
func sealText(x SendingLine) string {
	if x.Sealed {
		return "是"
	}
	return "—"
}

// receiptText is the 签收 column: blank to sign in while the copy is
// outstanding, the recorded 签收 or 回执 with its date, or a dash for a
// copy that came back.
func receiptText(x SendingLine) string {
	switch {
	case x.ReturnedOn != "":
		return "—"
	case x.ReceiptOn == "":
		return ""
	case x.Receipt == string(models.ReceiptSlip):
		return "回执编号：" + x.ReceiptNo + "\n" + x.ReceiptOn
	}
	return "签收人：" + x.ReceiptNo + "\n" + x.ReceiptOn
}

// RenderCourierBook writes the 送文簿 of one day's sendings, of one channel
// or all (R25), A4 landscape: the day, the channel and the count under the
// title; then, channel by channel, a heading with the 经手人 and a row per
// 份号 (发文字号 with the copy's 登记号, 题名, 密级, 份号, recipient, channel
// and seal) with the 签收人 and 签收时间 left to write in by hand, or the
// recorded 签收 or 回执. The table's header repeats on every page. The book
// has no number; it is marked with the highest level on it.
func RenderCourierBook(w io.Writer, f CourierBook, o Options) error {
	return renderPDF(w, f, o, drawCourierBook)
}

func drawCourierBook(w io.Writer, f CourierBook, o Options) error {
	levels := make([]CarrierLine, len(f.Rows))
	for i, x := range f.Rows {
		levels[i] = CarrierLine{Level: x.Level}
	}
	ch := f.Channel
	if ch == "" {
		ch = "全部渠道"
	}
	s, err := newList("L", "送文簿", listHead(f.Head, levels), o)
	if err != nil {
		return err
	}
	s.ref = strings.TrimSpace(fmtDate(f.Date) + " " + f.Channel)
	s.marks()
	s.title()
	s.line(fmt.Sprintf("分发日期：%s　　渠道：%s　　共 %d 份", fmtDate(f.Date), ch, len(f.Rows)), true, "C")
	for start := 0; start < len(f.Rows); {
		end := start
		var handlers []string
		for end < len(f.Rows) && f.Rows[end].Channel == f.Rows[start].Channel {
			if h := f.Rows[end].Handler; h != "" && !slices.Contains(handlers, h) {
				handlers = append(handlers, h)
			}
			end++
		}
		rows := make([][]string, 0, end-start)
		for i := start; i < end; i++ {
			rows = append(rows, courierRow(i, f.Rows[i]))
		}
		title := fmt.Sprintf("%s（%d 份", f.Rows[start].Channel, end-start)
		if len(handlers) > 0 {
			title += "，经手人：" + strings.Join(handlers, "、")
		}
		title += "）"
		s.heading(title, s.tableStart(courierColumns, rows))
		s.slipTable(courierColumns, rows, slipSignH, 0, -1)
		s.y += 2
		start = end
	}
	return s.finish(w)
}

// courierRow is a sending as the 送文簿 lists it, numbered through the book.
func courierRow(i int, x SendingLine) []string {
	doc := x.DocNumber
	if x.RegNo != "" && x.RegNo != doc {
		doc = strings.TrimSpace(doc + "\n" + x.RegNo)
	}
	signer, at := "", ""
	switch {
	case x.ReturnedOn != "":
		signer, at = "误发退回", x.ReturnedOn
	case x.ReceiptOn != "" && x.Receipt == string(models.ReceiptSlip):
		signer, at = "回执 "+x.ReceiptNo, x.ReceiptOn
	case x.ReceiptOn != "":
		signer, at = x.ReceiptNo, x.ReceiptOn
	}
	return []string{strconv.Itoa(i + 1), doc, x.Title, x.Level, x.CopyNo, x.Recipient, x.Channel, sealText(x), signer, at}
}
