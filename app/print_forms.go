package app

// What each form prints: the records a form is filled from, its lines and its file name.

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"secdoc/models"
	"secdoc/reports"
)

// carrierLine is a carrier as a form lists it.
func carrierLine(c *models.Carrier) reports.CarrierLine {
	l := reports.CarrierLine{RegNo: c.RegNo, Title: c.Title, Issuer: c.Issuer, Kind: string(c.Kind),
		DocNumber: c.DocNumber, Level: c.Level.String(), Marking: c.Marking(), CopyNo: c.CopyNoText(),
		Count: "1", Custodian: c.Custodian, RegDate: c.RegDate, NeedToKnow: c.NeedToKnow, Remarks: c.Remarks}
	if c.Pages > 0 {
		l.Pages = fmt.Sprint(c.Pages)
	}
	if c.DocNumber == "" {
		l.DocNumber = c.RegNo
	}
	return l
}

// slipHead is the head of a form about one carrier: its 份号, marking and urgency.
func slipHead(h reports.Head, slipNo string, c *models.Carrier) reports.Head {
	h.SlipNo, h.RegNo, h.CopyNo, h.Marking = slipNo, c.RegNo, c.CopyNo, c.Marking()
	if c.Urgency != models.UrgencyNormal {
		h.Urgency = c.Urgency.String()
	}
	return h
}

// listHead is the head of a list of carriers: marked by default with the
// highest level and the longest term on it (R16, R26), which the clerk
// confirms or lowers when printing.
func listHead(h reports.Head, slipNo string, cs []models.Carrier) reports.Head {
	h.SlipNo = slipNo
	h.Marking = listMark(cs)
	return h
}

// listJob makes job a list whose marking the clerk confirms (R26), marking
// being its default.
func listJob(job printJob, marking string) printJob {
	job.list, job.out.Marking = true, marking
	return job
}

// listOf lists carriers as a form does, with the totals by carrier kind in
// the order of models.CarrierKinds (unknown kinds last, sorted).
func listOf(cs []models.Carrier) ([]DestructionListItem, []KindTotal) {
	items := make([]DestructionListItem, 0, len(cs))
	counts := map[models.CarrierKind]int{}
	for i, c := range cs {
		items = append(items, DestructionListItem{No: i + 1, Title: c.Title, Issuer: c.Issuer, Kind: c.Kind,
			DocNumber: c.DocNumber, Level: c.Level, Marking: c.Marking(), Pages: c.Pages, CopyNo: c.CopyNoText(),
			Custodian: c.Custodian, RegNo: c.RegNo})
		counts[c.Kind]++
	}
	kinds := append([]models.CarrierKind{}, models.CarrierKinds...)
	var others []models.CarrierKind
	for k := range counts {
		if !k.Valid() {
			others = append(others, k)
		}
	}
	slices.Sort(others)
	var totals []KindTotal
	for _, k := range append(kinds, others...) {
		if n := counts[k]; n > 0 {
			name, unit := models.KindUnit(k)
			totals = append(totals, KindTotal{Kind: k, Name: name, Unit: unit, Count: n})
		}
	}
	return items, totals
}

func reportTotals(ts []KindTotal) []reports.KindTotal {
	out := make([]reports.KindTotal, len(ts))
	for i, t := range ts {
		out[i] = reports.KindTotal{Kind: t.Name, Count: t.Count, Unit: t.Unit}
	}
	return out
}

// linesOf is what a list form prints of its carriers: a line each, the
// totals by kind, and the ids whose history records the printing.
func linesOf(cs []models.Carrier) ([]reports.CarrierLine, []reports.KindTotal, []string) {
	lines := make([]reports.CarrierLine, len(cs))
	ids := make([]string, len(cs))
	for i := range cs {
		lines[i] = carrierLine(&cs[i])
		ids[i] = cs[i].ID
	}
	_, totals := listOf(cs)
	return lines, reportTotals(totals), ids
}

// newJob is the print job of a form about the carriers ids, printed as
// object into a file of its own name.
func newJob(object, fileName string, ids []string, render func(io.Writer, reports.Options) error) printJob {
	return printJob{out: Printout{Object: object, FileName: fileName, Carriers: len(ids)}, carriers: ids, render: render}
}

func decisionOf(approver, decision, opinion, on string) reports.Decision {
	return reports.Decision{Approver: approver, Decision: decision, Opinion: opinion, Date: on}
}

// slipFileName is the file name of a slip: the form's name and its number.
func slipFileName(form, slipNo string) string {
	return safeFileName(form+"-"+slipNo) + ".pdf"
}

// documentFileName follows R13 for a form about one document:
// 文号-文种-标题(yyyy.mm.dd), then the form's name.
func documentFileName(c *models.Carrier, form string) string {
	var parts []string
	for _, p := range []string{c.DocNumber, c.DocKind, c.Title} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, c.RegNo)
	}
	name := strings.Join(parts, "-")
	if utf8.RuneCountInString(name) > 80 {
		name = string([]rune(name)[:80]) + "…"
	}
	date := c.RegDate
	if d, err := models.ParseDate(date); err == nil {
		date = d.Format("2006.01.02")
	}
	return safeFileName(fmt.Sprintf("%s(%s)-%s", name, date, form)) + ".pdf"
}

// safeFileName replaces what Windows and Linux file systems refuse in a name.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '/', '\\', ':', '*', '?', '"', '<', '>', '|':
			return '_'
		}
		if r < 0x20 {
			return -1
		}
		return r
	}, s)
}

// findBySlip reads the row of table whose slip_no is slipNo into out.
func (s *Service) findBySlip(out any, slipNo, what string) error {
	err := s.db.Where("slip_no = ?", slipNo).Take(out).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fieldError("", models.ErrNotFound, "没有编号为 %s 的%s，请核对编号", slipNo, what)
	}
	return err
}

func (s *Service) carrierByRegNo(regNo string) (models.Carrier, error) {
	var c models.Carrier
	err := s.db.Where("reg_no = ?", regNo).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, fieldError("", models.ErrNotFound, "没有登记号为 %s 的载体，请核对登记号", regNo)
	}
	return c, err
}

func (s *Service) carrierByID(id string) (models.Carrier, error) {
	var c models.Carrier
	err := s.db.Where("id = ?", id).Take(&c).Error
	return c, err
}

// circulationFor finds a circulation by its slip number, or the latest of
// the carrier with that register number; none is no error for a flow sheet.
func (s *Service) circulationFor(id string) (models.Circulation, models.Carrier, error) {
	var ci models.Circulation
	var c models.Carrier
	var err error
	if strings.HasPrefix(id, circulationSlipHead) {
		if err = s.findBySlip(&ci, id, "阅办单"); err != nil {
			return ci, c, err
		}
		if err = loadSteps(s.db, &ci); err != nil {
			return ci, c, err
		}
		c, err = s.carrierByID(ci.CarrierID)
		return ci, c, err
	}
	if c, err = s.carrierByRegNo(id); err != nil {
		return ci, c, err
	}
	err = s.db.Where("carrier_id = ?", c.ID).Order("started_at DESC, slip_no DESC").Take(&ci).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return models.Circulation{}, c, nil
	}
	if err != nil {
		return ci, c, err
	}
	return ci, c, loadSteps(s.db, &ci)
}

func (s *Service) flowJob(h reports.Head, id string) (printJob, error) {
	ci, c, err := s.circulationFor(id)
	if err != nil {
		return printJob{}, err
	}
	f := reports.FlowSheet{Head: slipHead(h, ci.SlipNo, &c), Carrier: carrierLine(&c), ReceivedOn: c.RegDate,
		Proposed: ci.ProposedHandling, Instructions: ci.Instruction, Result: ci.Result}
	f.Carrier.Count = fmt.Sprint(c.CopyCount)
	if c.Urgency != models.UrgencyNormal {
		f.Urgency = c.Urgency.String()
	}
	object := c.RegNo
	if ci.SlipNo != "" {
		object = ci.SlipNo
	}
	return newJob(object, documentFileName(&c, "阅办单"), []string{c.ID},
		func(w io.Writer, o reports.Options) error { return reports.RenderFlowSheet(w, f, o) }), nil
}

func fmtStepTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04")
}

func (s *Service) circulationJob(h reports.Head, id string) (printJob, error) {
	ci, c, err := s.circulationFor(id)
	if err != nil {
		return printJob{}, err
	}
	if ci.ID == "" {
		return printJob{}, fieldError("", models.ErrNotFound, "%s 还没有传阅记录：请先在载体详情中发起传阅", c.RegNo)
	}
	f := reports.CirculationSheet{Head: slipHead(h, ci.SlipNo, &c), Carrier: carrierLine(&c), Remarks: ci.CloseNote}
	f.Carrier.Count = fmt.Sprint(c.CopyCount)
	for _, st := range ci.Steps {
		count := ""
		switch {
		case st.BackAt != nil && st.CountOK:
			count = "齐全"
		case st.BackAt != nil:
			count = st.Discrepancy
		}
		reader := st.Reader
		if st.Department != "" {
			reader += "（" + st.Department + "）"
		}
		f.Route = append(f.Route, reports.RouteStep{Ord: st.Ord, Reader: reader, Out: fmtStepTime(st.OutAt),
			Back: fmtStepTime(st.BackAt), Count: count})
	}
	return newJob(ci.SlipNo, documentFileName(&c, "传阅单"), []string{c.ID},
		func(w io.Writer, o reports.Options) error { return reports.RenderCirculationSheet(w, f, o) }), nil
}

func (s *Service) copyJob(h reports.Head, id string) (printJob, error) {
	var req models.CopyRequest
	if err := s.findBySlip(&req, id, "复制审批单"); err != nil {
		return printJob{}, err
	}
	c, err := s.carrierByID(req.CarrierID)
	if err != nil {
		return printJob{}, err
	}
	f := reports.CopySlip{Head: slipHead(h, req.SlipNo, &c), RequestedOn: req.RequestedOn, Requester: req.Requester,
		Carrier: carrierLine(&c), Copies: req.Copies, Purpose: req.Purpose, AuthorityDoc: req.AuthorityDoc,
		Dept: req.Department, Maker: req.Maker, PagesEach: c.PagesText()}
	opinion := req.Opinion
	if req.Approved > 0 && req.Approved < req.Copies {
		opinion = strings.TrimSpace(fmt.Sprintf("同意复制 %d 份。%s", req.Approved, opinion))
	}
	f.Decision = decisionOf(req.ApproverName, req.Decision, opinion, req.DecidedOn)
	ids := []string{c.ID}
	copies, err := s.copiesOnSlip(c.ID, req.SlipNo)
	if err != nil {
		return printJob{}, err
	}
	for _, cp := range copies {
		f.CopyNos = append(f.CopyNos, fmt.Sprintf("%s（份号%s）", cp.RegNo, cp.CopyNoText()))
		ids = append(ids, cp.ID)
	}
	return newJob(req.SlipNo, slipFileName("复制审批单", req.SlipNo), ids,
		func(w io.Writer, o reports.Options) error { return reports.RenderCopySlip(w, f, o) }), nil
}

// copiesOnSlip are the copies of original made on copy slip slipNo, known
// by their registration's history line (which, unlike 备注, can't be edited).
func (s *Service) copiesOnSlip(original, slipNo string) ([]models.Carrier, error) {
	var copies []models.Carrier
	err := s.db.Where(`(original_id = ? OR id IN (SELECT carrier_id FROM carrier_sources WHERE source_id = ?))
		AND id IN (SELECT carrier_id FROM carrier_events WHERE action = ? AND new_value LIKE ?)`,
		original, original, models.ActionRegister, "%复制单 "+slipNo+"，%").
		Order("copy_serial, copy_no").Find(&copies).Error
	return copies, err
}

// copyLabelsJob gathers the 复制戳 stickers of the copies made on a slip (R23).
func (s *Service) copyLabelsJob(h reports.Head, id string) (printJob, error) {
	var req models.CopyRequest
	if err := s.findBySlip(&req, id, "复制件标识"); err != nil {
		return printJob{}, err
	}
	c, err := s.carrierByID(req.CarrierID)
	if err != nil {
		return printJob{}, err
	}
	copies, err := s.copiesOnSlip(c.ID, req.SlipNo)
	if err != nil {
		return printJob{}, err
	}
	if len(copies) == 0 {
		return printJob{}, fieldError("", models.ErrNotFound, "复制单 %s 没有已登记的复制件（未获同意或尚未审批）", req.SlipNo)
	}
	h.SlipNo, h.Marking = req.SlipNo, c.Marking()
	f := reports.CopyLabels{Head: h}
	ids := make([]string, len(copies))
	for i, cp := range copies {
		f.Labels = append(f.Labels, reports.CopyLabel{Stamp: cp.CopyStamp, Marking: cp.Marking(), RegNo: cp.RegNo,
			Original: fmt.Sprintf("%s %s", c.RegNo, copyNoWords(c.CopyNo))})
		ids[i] = cp.ID
	}
	if !copies[0].IsCopy {
		return printJob{}, fieldError("", models.ErrNotFound, "复制单 %s 是%s，制成的是新文件，没有复制戳", req.SlipNo, req.Kind)
	}
	return newJob(req.SlipNo, slipFileName("复制件标识", req.SlipNo), ids,
		func(w io.Writer, o reports.Options) error { return reports.RenderCopyLabels(w, f, o) }), nil
}

// classifyJob gathers the 定密审批表 of a 定密 record (R24).
func (s *Service) classifyJob(h reports.Head, id string) (printJob, error) {
	var k models.Classification
	if err := s.findBySlip(&k, id, "定密审批表"); err != nil {
		return printJob{}, err
	}
	c, err := s.carrierByID(k.CarrierID)
	if err != nil {
		return printJob{}, err
	}
	mark := models.Marking(k.Level, k.Term())
	h = slipHead(h, k.SlipNo, &c)
	h.CopyNo, h.Marking = 0, mark
	f := reports.ClassSlip{Head: h, Carrier: carrierLine(&c), Kind: string(k.Kind), Marking: mark,
		NeedToKnow: k.NeedToKnow, Basis: k.Basis, KeyPoints: k.KeyPoints, Undertaker: k.Undertaker,
		ProposedOn: k.ProposedOn, Signer: k.Signer}
	if k.State != models.ClassProposed {
		opinion := "同意。"
		if k.Changed != "" {
			opinion = "定为" + mark + "（" + k.Changed + "）。"
		}
		if k.State == models.ClassReferred {
			opinion += "原始定密超出本机关定密权限，报请上级确定。"
		}
		f.Decision = decisionOf(k.Authority, "审定", opinion, k.DecidedOn)
		f.Decision.Role = "定密责任人"
	}
	return newJob(k.SlipNo, slipFileName("定密审批表", k.SlipNo), []string{c.ID},
		func(w io.Writer, o reports.Options) error { return reports.RenderClassSlip(w, f, o) }), nil
}

func (s *Service) loanJob(h reports.Head, id string) (printJob, error) {
	var l models.Loan
	if err := s.findBySlip(&l, id, "借阅或外出携带审批单"); err != nil {
		return printJob{}, err
	}
	c, err := s.carrierByID(l.CarrierID)
	if err != nil {
		return printJob{}, err
	}
	f := reports.LoanSlip{Head: slipHead(h, l.SlipNo, &c), TakeOut: l.Kind == models.LoanTakeOut,
		RequestedOn: l.RequestedOn, Requester: l.Borrower, Handler: l.RequestedBy, Dept: l.Department,
		Destination: l.Destination, Companion: l.Companion, Measures: l.Measures, InOffice: l.InOffice,
		Purpose: l.Purpose, DueOn: l.DueOn, Carrier: carrierLine(&c),
		Decision: decisionOf(l.ApproverName, l.Decision, l.Opinion, l.DecidedOn), ReturnedOn: l.ReturnedOn}
	if l.ReturnCheck != "" {
		f.ReturnCheck = strings.TrimSpace(l.ReturnCheck + " " + l.ReturnNote)
	}
	if f.TakeOut {
		f.Abroad = "否"
		if l.Abroad {
			f.Abroad = "是（批准文件 " + l.AbroadDoc + "）"
		}
	}
	name := "借阅审批单"
	if f.TakeOut {
		name = "外出携带审批单"
	}
	info, _ := FormByKind(FormLoan)
	info.Name = "涉密载体" + name
	return printJob{
		out:      Printout{Form: info, Object: l.SlipNo, FileName: slipFileName(name, l.SlipNo), Carriers: 1},
		carriers: []string{c.ID},
		render:   func(w io.Writer, o reports.Options) error { return reports.RenderLoanSlip(w, f, o) },
	}, nil
}

func (s *Service) destructionJob(h reports.Head, id string) (printJob, error) {
	var b models.DestructionBatch
	if err := s.findBySlip(&b, id, "销毁审批表"); err != nil {
		return printJob{}, err
	}
	cs, err := batchCarriers(s.db, b.ID)
	if err != nil {
		return printJob{}, err
	}
	lines, totals, ids := linesOf(cs)
	p, doc, err := wasteOf(s.db, b.ID)
	if err != nil {
		return printJob{}, err
	}
	if p != nil {
		// The spoiled sheets and proofs of a printing (R25): one line, of
		// the document's mark, counted apart from the carriers.
		l := carrierLine(doc)
		l.CopyNo, l.Count, l.Pages, l.Custodian = "", "", fmt.Sprintf("废页 %d 张、校样 %d 份", p.Spoiled, p.Proofs), p.Printer
		l.Title += "（印制 " + p.SlipNo + " 废页、校样）"
		lines = append(lines, l)
		totals = append(totals, reports.KindTotal{Kind: "废页", Count: p.Spoiled, Unit: "张"},
			reports.KindTotal{Kind: "校样", Count: p.Proofs, Unit: "份"})
		cs = append(cs, *doc)
	}
	method := string(b.Method)
	if b.EquipmentNo != "" {
		method += "（设备编号 " + b.EquipmentNo + "）"
	}
	if b.Escort1 != "" {
		method += "（护送人 " + strings.Trim(b.Escort1+"、"+b.Escort2, "、") + "）"
	}
	f := reports.DestructionForm{Head: listHead(h, b.SlipNo, cs), RequestedOn: b.RequestedOn, Requester: b.Requester,
		Reason: b.Reason, Items: lines, Totals: totals,
		Decision: decisionOf(b.ApproverName, b.Decision, b.Opinion, b.DecidedOn),
		Method:   method, Place: b.Place, Date: b.DestroyedOn, Witnesses: [2]string{b.Witness1, b.Witness2}}
	return listJob(newJob(b.SlipNo, slipFileName("销毁审批表", b.SlipNo), ids,
		func(w io.Writer, o reports.Options) error { return reports.RenderDestructionForm(w, f, o) }), f.Head.Marking), nil
}

func (s *Service) returnJob(h reports.Head, id string) (printJob, error) {
	var b models.ReturnBatch
	if err := s.findBySlip(&b, id, "清退清单"); err != nil {
		return printJob{}, err
	}
	cs, err := returnCarriers(s.db, b.ID)
	if err != nil {
		return printJob{}, err
	}
	lines, totals, ids := linesOf(cs)
	f := reports.ReturnListForm{Head: listHead(h, b.SlipNo, cs), Issuer: b.Issuer, Items: lines,
		Totals: totals, HandedTo: b.HandedTo, Date: b.HandedOverOn, Clerk: b.HandedBy}
	return listJob(newJob(b.SlipNo, slipFileName("清退清单", b.SlipNo), ids,
		func(w io.Writer, o reports.Options) error { return reports.RenderReturnList(w, f, o) }), f.Head.Marking), nil
}

func (s *Service) handoverJob(h reports.Head, id string) (printJob, error) {
	var ho models.Handover
	if err := s.findBySlip(&ho, id, "交接清单"); err != nil {
		return printJob{}, err
	}
	var cs []models.Carrier
	if err := s.db.Raw(`SELECT c.* FROM handover_items i JOIN carriers c ON c.id = i.carrier_id
		WHERE i.handover_id = ? ORDER BY c.seq`, ho.ID).Scan(&cs).Error; err != nil {
		return printJob{}, err
	}
	lines, totals, ids := linesOf(cs)
	f := reports.HandoverForm{Head: listHead(h, ho.SlipNo, cs), From: ho.From, To: ho.To, Date: ho.HandedOn,
		Supervisor: ho.Witness, Note: ho.Note, Items: lines, Totals: totals}
	if ho.Temporary {
		f.ReturnOn = ho.ReturnOn
	}
	if ho.EndsID != nil {
		var t models.Handover
		if err := s.db.Where("id = ?", *ho.EndsID).Take(&t).Error; err != nil {
			return printJob{}, err
		}
		f.GivesBack = t.SlipNo
	}
	return listJob(newJob(ho.SlipNo, slipFileName("交接清单", ho.SlipNo), ids,
		func(w io.Writer, o reports.Options) error { return reports.RenderHandoverList(w, f, o) }), f.Head.Marking), nil
}

func (s *Service) inspectionJob(h reports.Head, id string) (printJob, error) {
	var in models.Inspection
	if err := s.findBySlip(&in, id, "自查登记表"); err != nil {
		return printJob{}, err
	}
	items, err := inspectionItems(s.db, in.ID)
	if err != nil {
		return printJob{}, err
	}
	res := resultOf(in, items)
	var cs []models.Carrier
	if err := s.db.Raw(`SELECT c.* FROM inspection_items i JOIN carriers c ON c.id = i.carrier_id
		WHERE i.inspection_id = ? ORDER BY c.seq`, in.ID).Scan(&cs).Error; err != nil {
		return printJob{}, err
	}
	byID := map[string]*models.Carrier{}
	for i := range cs {
		byID[cs[i].ID] = &cs[i]
	}
	lines, _, ids := linesOf(cs)
	f := reports.InspectionForm{Head: listHead(h, in.SlipNo, cs), Custodian: in.Custodian, Started: in.StartedOn,
		Closed: in.ClosedOn, Inspector: in.StartedBy, Items: lines}
	for _, it := range res.Items {
		if it.Expected {
			f.Held++
		}
		if it.Found {
			f.Found++
		}
	}
	diff := func(items []models.InspectionItem, what string) {
		for _, it := range items {
			if c := byID[it.CarrierID]; c != nil {
				f.Diffs = append(f.Diffs, reports.InspectionDiff{Carrier: carrierLine(c), What: what, Resolution: it.Resolution})
			}
		}
	}
	diff(res.Missing, "缺失（账有物无）")
	diff(res.Unexpected, "账外（物有账无）")
	diff(res.Away, "不在库（借出、外出或传阅中）")
	switch {
	case in.State != models.InspectionClosed:
		f.Conclusion = "自查进行中"
	case res.Matches():
		f.Conclusion = "账物相符"
	default:
		f.Conclusion = fmt.Sprintf("账物不符：缺失 %d 件，账外 %d 件，均已写明处理结果", len(res.Missing), len(res.Unexpected))
	}
	return listJob(newJob(in.SlipNo, slipFileName("自查登记表", in.SlipNo), ids,
		func(w io.Writer, o reports.Options) error { return reports.RenderInspectionForm(w, f, o) }), f.Head.Marking), nil
}
