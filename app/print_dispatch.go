package app

// The forms of 印制 and 分发 (R25): the 发文分发登记表 of one of the
// office's own documents and the 送文簿 of a day's sendings.

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"secdoc/models"
	"secdoc/reports"
)

// dispatchJob gathers the 发文分发登记表 of one of the office's own
// documents, found by the 登记号 of any of its copies or a carrier's id:
// the document, its 印制 and 定密, its 分送范围, every 份号 sent and the
// copies kept. The printing is recorded on every copy.
func (s *Service) dispatchJob(sess *Session, h reports.Head, id string) (printJob, error) {
	c, err := s.carrierByRegNo(id)
	if errors.Is(err, models.ErrNotFound) {
		if byID, e := s.carrierByID(id); e == nil {
			c, err = byID, nil
		}
	}
	if err != nil {
		return printJob{}, err
	}
	_, cs, err := ownDocument(s.db, c.ID)
	if err != nil {
		return printJob{}, err
	}
	if len(cs) == 0 {
		return printJob{}, fieldError("", models.ErrNotFound, "%s 的各份均已作废，没有分发登记可打印", c.RegNo)
	}
	first := &cs[0]
	p, err := s.PrintingOf(sess, first.ID)
	if err != nil {
		return printJob{}, err
	}
	k, err := s.ClassificationOf(sess, first.ID)
	if err != nil {
		return printJob{}, err
	}
	lines, err := s.DispatchLines(sess, first.ID)
	if err != nil {
		return printJob{}, err
	}
	sent, err := s.SendingsOf(sess, first.ID)
	if err != nil {
		return printJob{}, err
	}

	h = listHead(h, "", cs)
	h.RegNo = first.RegNo
	doc := carrierLine(first)
	doc.DocNumber = first.DocNumber
	f := reports.DispatchForm{Head: h, Document: doc, RegNos: regNoSpan(cs), Copies: len(cs), DocDate: first.DocDate}
	if p != nil {
		f.Printing = &reports.PrintingRecord{SlipNo: p.SlipNo, Copies: p.Copies, Range: p.RangeText(), Printer: p.Printer,
			On: p.PrintedOn}
	}
	if k != nil {
		f.Class = &reports.ClassRecord{SlipNo: k.SlipNo, State: k.State.String(), Authority: k.Authority, DecidedOn: k.DecidedOn}
	}
	for _, l := range lines {
		f.Lines = append(f.Lines, reports.DispatchRecipient{Recipient: l.Recipient, Copies: l.Copies,
			Channel: string(l.Channel), Sent: l.Sent})
	}
	for i := range sent {
		f.Sendings = append(f.Sendings, sendingLine(&sent[i]))
	}
	var keptNos []int
	var keptRegNos, elsewhere []string
	ids := make([]string, len(cs))
	for i := range cs {
		x := &cs[i]
		ids[i] = x.ID
		switch {
		case x.State == models.StateSent:
		case x.State == models.StateInStore && x.CopyNo > 0:
			keptNos = append(keptNos, x.CopyNo)
		case x.State == models.StateInStore:
			keptRegNos = append(keptRegNos, x.RegNo)
		default:
			elsewhere = append(elsewhere, fmt.Sprintf("%s（%s）", copyOrRegNo(x), x.State))
		}
	}
	var kept []string
	if n := models.FormatCopyNos(keptNos); n != "" {
		kept = append(kept, n)
	}
	f.Kept = strings.Join(append(kept, keptRegNos...), "、")
	f.Elsewhere = strings.Join(elsewhere, "、")
	return newJob(first.RegNo, documentFileName(first, "分发登记表"), ids,
		func(w io.Writer, o reports.Options) error { return reports.RenderDispatchForm(w, f, o) }), nil
}

// regNoSpan is the 登记号 of a document's copies, registered together:
// the first to the last.
func regNoSpan(cs []models.Carrier) string {
	lo, hi := &cs[0], &cs[0]
	for i := range cs {
		if cs[i].Seq < lo.Seq {
			lo = &cs[i]
		}
		if cs[i].Seq > hi.Seq {
			hi = &cs[i]
		}
	}
	if lo == hi {
		return lo.RegNo
	}
	return lo.RegNo + " 至 " + hi.RegNo
}

// copyOrRegNo names a copy by its 份号, or its 登记号 when it bears none.
func copyOrRegNo(c *models.Carrier) string {
	if c.CopyNo > 0 {
		return c.CopyNoText()
	}
	return c.RegNo
}

// sendingLine is a sending as the forms list it.
func sendingLine(x *SendingRow) reports.SendingLine {
	return reports.SendingLine{RegNo: x.RegNo, CopyNo: models.FormatCopyNo(x.CopyNo), DocNumber: x.DocNumber,
		Title: x.Title, Level: x.Level.String(), Recipient: x.Recipient, Channel: string(x.Channel), SentOn: x.SentOn,
		Handler: x.Handler, Sealed: x.Sealed, Receipt: string(x.Receipt), ReceiptNo: x.ReceiptNo, ReceiptOn: x.ReceiptOn,
		ReturnedOn: x.ReturnedOn, ReturnNote: x.ReturnNote}
}

// courierJob gathers the 送文簿 of a day's sendings, of every channel (the
// id is the day: 2026-11-23) or of one (2026-11-23/机要交通), grouped by
// channel in the order the window shows them. A day without sendings is
// refused rather than printed empty. The printing is recorded on every
// copy listed.
func (s *Service) courierJob(sess *Session, h reports.Head, id string) (printJob, error) {
	day, ch, err := s.courierID(id)
	if err != nil {
		return printJob{}, err
	}
	rows, err := s.CourierRun(sess, day.Format(models.DateLayout), ch)
	if err != nil {
		return printJob{}, err
	}
	when := fmt.Sprintf("%d年%d月%d日", day.Year(), int(day.Month()), day.Day())
	switch {
	case len(rows) == 0 && ch == "":
		return printJob{}, fieldError("", models.ErrNotFound, "%s没有分发记录，没有可打印的送文簿", when)
	case len(rows) == 0:
		return printJob{}, fieldError("", models.ErrNotFound, "%s没有经%s分发的文件，没有可打印的送文簿", when, ch)
	case len(rows) >= MaxDispatchList:
		return printJob{}, fieldError("", models.ErrTooLarge, "%s分发超过 %d 份，请按渠道分别打印送文簿", when, MaxDispatchList-1)
	}
	rank := func(c models.Channel) int {
		if i := slices.Index(models.Channels, c); i >= 0 {
			return i
		}
		return len(models.Channels)
	}
	slices.SortStableFunc(rows, func(a, b SendingRow) int {
		return cmp.Or(cmp.Compare(rank(a.Channel), rank(b.Channel)), cmp.Compare(a.Channel, b.Channel))
	})
	book := reports.CourierBook{Head: h, Date: day.Format(models.DateLayout), Channel: string(ch)}
	var ids []string
	top := models.Level(0)
	for i := range rows {
		book.Rows = append(book.Rows, sendingLine(&rows[i]))
		if !slices.Contains(ids, rows[i].CarrierID) {
			ids = append(ids, rows[i].CarrierID)
		}
		top = max(top, rows[i].Level)
	}
	if top > 0 {
		book.Marking = top.String()
	}
	object := strings.TrimSpace(book.Date + " " + string(ch))
	name := "送文簿-" + day.Format("2006.01.02")
	if ch != "" {
		name += "-" + string(ch)
	}
	return newJob(object, safeFileName(name)+".pdf", ids,
		func(w io.Writer, o reports.Options) error { return reports.RenderCourierBook(w, book, o) }), nil
}

// courierID reads the id of a 送文簿: a day, then optionally a channel
// after a slash or a space.
func (s *Service) courierID(id string) (time.Time, models.Channel, error) {
	if d, err := models.ParseDate(id); err == nil {
		return d, "", nil
	}
	today := s.today().Format(models.DateLayout)
	bad := fieldError("", models.ErrBadDispatch, "送文簿按分发日期打印：请写作 年-月-日，例如 %s；只打印一种渠道时写作 %s/%s",
		today, today, models.ChannelCourier)
	i := strings.LastIndexAny(id, "/ ")
	if i < 0 {
		return time.Time{}, "", bad
	}
	d, err := models.ParseDate(id[:i])
	if err != nil {
		return time.Time{}, "", bad
	}
	ch := models.Channel(strings.TrimSpace(id[i+1:]))
	if !ch.Valid() {
		names := make([]string, len(models.Channels))
		for i, c := range models.Channels {
			names[i] = string(c)
		}
		return time.Time{}, "", fieldError("", models.ErrBadDispatch, "没有“%s”这种分发渠道，可选：%s", ch,
			strings.Join(names, "、"))
	}
	return d, ch, nil
}
