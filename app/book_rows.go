package app

// What each running book reads of its acts, and its columns (R26).

import (
	"fmt"
	"strings"
	"time"

	"secdoc/models"
	"secdoc/reports"
)

// Widths of the books' columns, in millimetres across A4 landscape (267 mm
// inside the margins) at the books' 8 pt: a slip or register number, a
// date, a 份号, a usual 文号 and marking each fit on one line.
const (
	bwSlip    = 25.0
	bwDate    = 17.5
	bwDocNo   = 35.0
	bwMarking = 26.0
	bwCopyNo  = 12.5
	bwKind    = 15.0
	bwName    = 12.0
)

func bookCol(title string, w float64) reports.BookColumn {
	return reports.BookColumn{Title: title, Width: w}
}

func bookColC(title string, w float64) reports.BookColumn {
	return reports.BookColumn{Title: title, Width: w, Align: "C"}
}

// actColumns are the columns every book of acts on carriers begins with:
// the slip's number, the act's date, and the carrier's 登记号, 文号, 题名
// (which takes the width the others leave) and 密级★期限.
func actColumns(slip, date string, more ...reports.BookColumn) []reports.BookColumn {
	cols := []reports.BookColumn{bookCol(slip, bwSlip), bookColC(date, bwDate), bookCol("登记号", bwSlip),
		bookCol("文号", bwDocNo), bookCol("题名", 0), bookCol("密级★期限", bwMarking)}
	return append(cols, more...)
}

// actRow is a line of a book of actColumns.
func actRow(slip, date string, c *models.Carrier, more ...string) []string {
	return append([]string{slip, date, c.RegNo, c.DocNumber, c.Title, markText(c)}, more...)
}

// readBook reads the lines of a book of kind over p.
func (s *Service) readBook(kind BookKind, p period) (bookLines, error) {
	switch kind {
	case BookCopy:
		return s.copyBook(p)
	case BookLoan, BookTakeOut:
		return s.loanBook(kind, p)
	case BookDestruction:
		return s.destructionBook(p)
	case BookReturn:
		return s.returnBook(p)
	case BookCirculation:
		return s.circulationBook(p)
	case BookSecrecy:
		return s.secrecyBook(p)
	case BookDispatch:
		return s.dispatchBook(p)
	}
	return bookLines{}, fmt.Errorf("%w: %s", ErrUnknownBook, kind)
}

// bookLimit is how many acts a book reads at most: one more than it may
// print, so that a book too large is known without reading it all.
func bookLimit() int { return MaxRegisterRows + 1 }

// carriersByID reads the carriers of ids, a few hundred a query.
func (s *Service) carriersByID(ids []string) (map[string]models.Carrier, error) {
	out := make(map[string]models.Carrier, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		var cs []models.Carrier
		if err := s.db.Where("id IN ?", ids[:n]).Find(&cs).Error; err != nil {
			return nil, err
		}
		for _, c := range cs {
			out[c.ID] = c
		}
		ids = ids[n:]
	}
	return out, nil
}

// withDept is a person with their 部门: 刘洋（综合科）.
func withDept(name, dept string) string {
	if dept = strings.TrimSpace(dept); dept != "" {
		return name + "（" + dept + "）"
	}
	return name
}

// approval is who approved an act as a book prints it, with the decision
// when asked: 陈刚 同意; 无需审批 for 内部 and 非密 carriers, which go on the
// record alone (R21).
func approval(d *models.Decided, decision bool) string {
	switch {
	case d.ApproverName == "":
		return "无需审批"
	case decision:
		return d.ApproverName + " " + d.Decision
	}
	return d.ApproverName
}

// copyBook is the 复制登记簿: every copy request decided in the period,
// by the date of its decision, with the copies it made (R1, R9, R23).
func (s *Service) copyBook(p period) (bookLines, error) {
	out := bookLines{cols: actColumns("复制单号", "审批日期", bookCol("申请人", 23), bookCol("用途", 20),
		bookColC("申请份数", 10), bookColC("同意份数", 10), bookCol("审批", 18), bookCol("复制件登记号", bwSlip))}
	var reqs []models.CopyRequest
	if err := s.db.Where("state IN ? AND decided_on BETWEEN ? AND ?",
		[]models.RequestState{models.RequestApproved, models.RequestRefused}, p.from, p.to).
		Order("decided_on, slip_no").Limit(bookLimit()).Find(&reqs).Error; err != nil {
		return out, err
	}
	for i := range reqs {
		r := &reqs[i]
		sources, err := sourcesOf(s.db, r)
		if err != nil {
			return out, err
		}
		copies, err := s.copiesOnSlip(r.CarrierID, r.SlipNo)
		if err != nil {
			return out, err
		}
		c := sources[0]
		if r.Kind != models.CopyWhole {
			c.Title += fmt.Sprintf("（%s为《%s》，来源 %d 件：%s）", r.Kind, r.NewTitle, len(sources), regNoList(sources))
		}
		purpose := r.Purpose
		if r.Maker != "" {
			purpose += "（承制：" + r.Maker + "）"
		}
		made := make([]string, len(copies))
		for j, cp := range copies {
			made[j] = cp.RegNo
		}
		out.rows = append(out.rows, actRow(r.SlipNo, r.DecidedOn, &c, withDept(r.Requester, r.Department), purpose,
			fmt.Sprint(r.Copies), fmt.Sprint(r.Approved), approval(&r.Decided, true), strings.Join(made, "\n")))
		out.carriers = append(append(out.carriers, sources...), copies...)
	}
	return out, nil
}

// loanBook is the 借阅登记簿 or the 外出携带登记簿: every loan or take-out
// that left the office in the period, by the day it left (R3).
func (s *Service) loanBook(kind BookKind, p period) (bookLines, error) {
	lk := models.LoanBorrow
	out := bookLines{cols: actColumns("借阅单号", "借出日期", bookCol("借阅人", 23), bookCol("用途", 20), bookColC("审批人", bwName),
		bookColC("应还日期", bwDate), bookColC("归还日期", bwDate), bookColC("归还检查", 14.5))}
	if kind == BookTakeOut {
		lk = models.LoanTakeOut
		out.cols = actColumns("携带单号", "携出日期", bookCol("携带人", 23), bookCol("外出地点", 20), bookColC("审批人", bwName),
			bookColC("应返日期", bwDate), bookColC("返回日期", bwDate), bookColC("返回检查", 14.5))
	}
	var loans []models.Loan
	if err := s.db.Where("kind = ? AND out_on <> '' AND out_on BETWEEN ? AND ?", lk, p.from, p.to).
		Order("out_on, slip_no").Limit(bookLimit()).Find(&loans).Error; err != nil {
		return out, err
	}
	ids := make([]string, len(loans))
	for i, l := range loans {
		ids[i] = l.CarrierID
	}
	byID, err := s.carriersByID(ids)
	if err != nil {
		return out, err
	}
	for _, l := range loans {
		c := byID[l.CarrierID]
		who, what := withDept(l.Borrower, l.Department), l.Purpose
		if l.InOffice {
			what += "（限在阅文室阅读）"
		}
		if kind == BookTakeOut {
			what = l.Destination
			if l.Companion != "" {
				who += "，同行 " + l.Companion
			}
		}
		back, check := l.ReturnedOn, strings.TrimSpace(l.ReturnCheck+" "+l.ReturnNote)
		if back == "" {
			back = "未还"
		}
		out.rows = append(out.rows, actRow(l.SlipNo, l.OutOn, &c, who, what, approval(&l.Decided, false), l.DueOn, back, check))
		out.carriers = append(out.carriers, c)
	}
	return out, nil
}

// destructionBook is the 销毁登记簿: a line for every carrier destroyed in
// the period, by the day of its destruction, the slip's number repeated
// (R2, R17); the spoiled sheets of a printing on a slip are a line of their
// own (R25).
func (s *Service) destructionBook(p period) (bookLines, error) {
	out := bookLines{cols: actColumns("销毁单号", "销毁日期", bookColC("份号", bwCopyNo), bookColC("载体类别", bwKind),
		bookColC("批准人", bwName), bookCol("销毁方式", 26), bookCol("销毁地点", 18), bookCol("监销人", 18))}
	var batches []models.DestructionBatch
	if err := s.db.Where("state = ? AND destroyed_on BETWEEN ? AND ?", models.DestructionDestroyed, p.from, p.to).
		Order("destroyed_on, slip_no").Limit(bookLimit()).Find(&batches).Error; err != nil {
		return out, err
	}
	for _, b := range batches {
		cs, err := batchCarriers(s.db, b.ID)
		if err != nil {
			return out, err
		}
		method := string(b.Method)
		if b.EquipmentNo != "" {
			method += "，设备 " + b.EquipmentNo
		}
		if b.Escort1 != "" {
			method += "，护送 " + strings.Trim(b.Escort1+"、"+b.Escort2, "、")
		}
		witnesses := strings.Trim(b.Witness1+"、"+b.Witness2, "、")
		for i := range cs {
			c := &cs[i]
			out.rows = append(out.rows, actRow(b.SlipNo, b.DestroyedOn, c, c.CopyNoText(), string(c.Kind),
				approval(&b.Decided, false), method, b.Place, witnesses))
		}
		out.carriers = append(out.carriers, cs...)
		pr, doc, err := wasteOf(s.db, b.ID)
		if err != nil {
			return out, err
		}
		if pr != nil {
			w := *doc
			w.Title += fmt.Sprintf("（印制 %s 废页 %d 张、校样 %d 份）", pr.SlipNo, pr.Spoiled, pr.Proofs)
			out.rows = append(out.rows, actRow(b.SlipNo, b.DestroyedOn, &w, "", "废页、校样",
				approval(&b.Decided, false), method, b.Place, witnesses))
			out.carriers = append(out.carriers, *doc)
		}
		if len(out.rows) > MaxRegisterRows {
			break
		}
	}
	return out, nil
}

// returnBook is the 清退登记簿: a line for every carrier handed back to its
// issuer in the period, by the day of the handover, the slip's number
// repeated (R8).
func (s *Service) returnBook(p period) (bookLines, error) {
	out := bookLines{cols: actColumns("清退单号", "清退日期", bookColC("份号", bwCopyNo), bookColC("载体类别", bwKind),
		bookCol("退往单位", 34), bookColC("接收人", 14), bookColC("清退人", bwName))}
	var batches []models.ReturnBatch
	if err := s.db.Where("state = ? AND handed_over_on BETWEEN ? AND ?", models.ReturnHandedOver, p.from, p.to).
		Order("handed_over_on, slip_no").Limit(bookLimit()).Find(&batches).Error; err != nil {
		return out, err
	}
	for _, b := range batches {
		cs, err := returnCarriers(s.db, b.ID)
		if err != nil {
			return out, err
		}
		for i := range cs {
			c := &cs[i]
			out.rows = append(out.rows, actRow(b.SlipNo, b.HandedOverOn, c, c.CopyNoText(), string(c.Kind),
				b.Issuer, b.HandedTo, b.HandedBy))
		}
		out.carriers = append(out.carriers, cs...)
		if len(out.rows) > MaxRegisterRows {
			break
		}
	}
	return out, nil
}

// circulationBook is the 传阅登记簿: every circulation started in the
// period (by the local day it started), with each reader's sign-out and
// sign-back, the count on return and whether it is closed (R6).
func (s *Service) circulationBook(p period) (bookLines, error) {
	out := bookLines{cols: actColumns("阅办单号", "传阅日期", bookCol("阅文人及送退时间", 55), bookCol("清点", 14), bookColC("办结", bwDate))}
	first, _ := time.ParseInLocation(models.DateLayout, p.from, time.Local)
	last, _ := time.ParseInLocation(models.DateLayout, p.to, time.Local)
	// Read a day more on each side and keep the local days of the period.
	var circs []models.Circulation
	if err := s.db.Where("started_at >= ? AND started_at < ?", first.AddDate(0, 0, -1).UTC(), last.AddDate(0, 0, 2).UTC()).
		Order("started_at, slip_no").Find(&circs).Error; err != nil {
		return out, err
	}
	kept := circs[:0]
	for _, ci := range circs {
		if p.has(localDay(ci.StartedAt)) && len(kept) < bookLimit() {
			kept = append(kept, ci)
		}
	}
	ids, carrierIDs := make([]string, len(kept)), make([]string, len(kept))
	for i, ci := range kept {
		ids[i], carrierIDs[i] = ci.ID, ci.CarrierID
	}
	steps, err := s.stepsOf(ids)
	if err != nil {
		return out, err
	}
	byID, err := s.carriersByID(carrierIDs)
	if err != nil {
		return out, err
	}
	for _, ci := range kept {
		c := byID[ci.CarrierID]
		route, count := routeText(steps[ci.ID])
		closed := "传阅中"
		if ci.ClosedAt != nil {
			closed = localDay(*ci.ClosedAt)
		}
		out.rows = append(out.rows, actRow(ci.SlipNo, localDay(ci.StartedAt), &c, route, count, closed))
		out.carriers = append(out.carriers, c)
	}
	return out, nil
}

func localDay(t time.Time) string { return t.In(time.Local).Format(models.DateLayout) }

// stepsOf reads the route of each circulation of ids, in order.
func (s *Service) stepsOf(ids []string) (map[string][]models.CirculationStep, error) {
	out := make(map[string][]models.CirculationStep, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 500)
		var steps []models.CirculationStep
		if err := s.db.Where("circulation_id IN ?", ids[:n]).Order("circulation_id, ord").Find(&steps).Error; err != nil {
			return nil, err
		}
		for _, st := range steps {
			out[st.CirculationID] = append(out[st.CirculationID], st)
		}
		ids = ids[n:]
	}
	return out, nil
}

// routeText is a route as the book prints it, a reader a line (陈局长
// 11-23 10:00→11-23 15:00), and the count on return: 齐全 when every
// reader gave it back complete, the differences found otherwise.
func routeText(steps []models.CirculationStep) (route, count string) {
	stamp := func(t *time.Time) string { return t.In(time.Local).Format("01-02 15:04") }
	lines := make([]string, len(steps))
	var diffs []string
	back := 0
	for i, st := range steps {
		switch {
		case st.OutAt == nil:
			lines[i] = st.Reader + " 未送"
		case st.BackAt == nil:
			lines[i] = st.Reader + " " + stamp(st.OutAt) + "→未退"
		default:
			lines[i] = st.Reader + " " + stamp(st.OutAt) + "→" + stamp(st.BackAt)
			back++
			if !st.CountOK {
				diffs = append(diffs, st.Reader+"："+st.Discrepancy)
			}
		}
	}
	switch {
	case len(diffs) > 0:
		count = strings.Join(diffs, "；")
	case back > 0:
		count = "齐全"
	}
	return strings.Join(lines, "\n"), count
}

// secrecyBook is the 密级变更登记簿: every change of a carrier's mark
// decided in the period (解密, 降密, 延期, 变更), a line for the original
// and one for each copy changed with it, under the number of the decision
// or notice it rests on (R15, R20).
func (s *Service) secrecyBook(p period) (bookLines, error) {
	out := bookLines{cols: []reports.BookColumn{bookCol("依据文号", bwDocNo), bookColC("变更日期", bwDate), bookCol("登记号", bwSlip), bookCol("文号", bwDocNo), bookCol("题名", 0),
		bookColC("变更", 10), bookCol("原标志", 20), bookCol("新标志", 20), bookCol("决定或通知", 22), bookCol("事由", 18)}}
	var rows []struct {
		models.SecrecyChange
		Seq int64
	}
	if err := s.db.Raw(`SELECT x.*, c.seq FROM secrecy_changes x JOIN carriers c ON c.id = x.carrier_id
		WHERE x.decided_on BETWEEN ? AND ? ORDER BY x.decided_on, x.authority_doc, x.recorded_at, x.group_id, c.seq LIMIT ?`,
		p.from, p.to, bookLimit()).Scan(&rows).Error; err != nil {
		return out, err
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.CarrierID
	}
	byID, err := s.carriersByID(ids)
	if err != nil {
		return out, err
	}
	for _, r := range rows {
		c := byID[r.CarrierID]
		doc := r.AuthorityDoc
		if doc == "" {
			doc = "—"
		}
		out.rows = append(out.rows, []string{doc, r.DecidedOn, c.RegNo, c.DocNumber, c.Title, string(r.Kind),
			r.OldMarking, r.NewMarking, changeBasis(&r.SecrecyChange), r.Reason})
		// The book names the carrier as it was marked before the change.
		c.Level, c.TermKind, c.TermYears, c.TermMonths = r.OldLevel, r.OldTermKind, r.OldTermYears, r.OldTermMonths
		c.TermUntil, c.TermCondition = r.OldTermUntil, r.OldTermCond
		out.carriers = append(out.carriers, c)
	}
	return out, nil
}

// changeBasis says who decided a change: the 定密责任人, the authority
// whose notice it rests on, or the term that ran out (R20).
func changeBasis(x *models.SecrecyChange) string {
	switch ChangeBasis(x.Basis) {
	case BasisExpired:
		return "保密期限届满，自行解密"
	case BasisNotice:
		return x.Authority + " 通知"
	}
	return "定密责任人 " + x.ApproverName
}

// dispatchBook is the 分发登记簿: every 份号 sent in the period, by the day
// it was sent and its channel (the 送文簿 it was signed on), with its 签收
// or 回执, or its return when sent in error (R25).
func (s *Service) dispatchBook(p period) (bookLines, error) {
	out := bookLines{cols: []reports.BookColumn{bookColC("分发日期", bwDate), bookColC("渠道", 16), bookCol("登记号", bwSlip), bookColC("份号", bwCopyNo), bookCol("文号", bwDocNo),
		bookCol("题名", 0), bookCol("密级★期限", bwMarking), bookCol("收文单位", 26), bookColC("经手人", 12), bookCol("签收或回执", 26),
		bookCol("备注", 16)}}
	var sent []models.Sending
	if err := s.db.Raw(`SELECT x.* FROM sendings x JOIN carriers c ON c.id = x.carrier_id
		WHERE x.sent_on BETWEEN ? AND ? ORDER BY x.sent_on, x.channel, x.sent_at, c.seq LIMIT ?`,
		p.from, p.to, bookLimit()).Scan(&sent).Error; err != nil {
		return out, err
	}
	ids := make([]string, len(sent))
	for i, x := range sent {
		ids[i] = x.CarrierID
	}
	byID, err := s.carriersByID(ids)
	if err != nil {
		return out, err
	}
	for _, x := range sent {
		c := byID[x.CarrierID]
		out.rows = append(out.rows, []string{x.SentOn, string(x.Channel), c.RegNo, c.CopyNoText(), c.DocNumber,
			c.Title, markText(&c), x.Recipient, x.Handler, receiptText(&x), sendingNote(&x)})
		out.carriers = append(out.carriers, c)
	}
	return out, nil
}

// receiptText is a sending's 签收 or 回执 as the book prints it.
func receiptText(x *models.Sending) string {
	switch {
	case x.ReceiptOn != "":
		return strings.Join(strings.Fields(string(x.Receipt)+" "+x.ReceiptNo+" "+x.ReceiptOn), " ")
	case x.ReturnedOn != "":
		return ""
	}
	return "未签收"
}

// sendingNote is what the book's 备注 says of a sending: sealed, or sent in
// error and back.
func sendingNote(x *models.Sending) string {
	var parts []string
	if x.Sealed {
		parts = append(parts, "密封专用信封")
	}
	if x.ReturnedOn != "" {
		parts = append(parts, strings.TrimSpace("误发退回 "+x.ReturnedOn+" "+x.ReturnNote))
	}
	return strings.Join(parts, "；")
}
