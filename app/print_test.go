package app

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"secdoc/models"
	"secdoc/reports"
)

// printedText extracts the text of a PDF with pdftotext, spaces removed.
func printedText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed; make test installs it")
	}
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), "")
}

func mustPrint(t *testing.T, s *Service, form FormKind, id string, words ...string) (Printout, string) {
	t.Helper()
	var b bytes.Buffer
	p, err := s.Print(clerk(t, s), form, id, reports.Options{}, &b)
	if err != nil {
		t.Fatalf("print %s %s: %v", form, id, err)
	}
	text := printedText(t, b.Bytes())
	for _, w := range words {
		if !strings.Contains(text, strings.Join(strings.Fields(w), "")) {
			t.Errorf("%s %s: printout lacks %q", form, id, w)
		}
	}
	return p, text
}

func printEvents(t *testing.T, s *Service, carrierID string) []models.CarrierEvent {
	t.Helper()
	var evs []models.CarrierEvent
	if err := s.db.Where("carrier_id = ? AND action = ?", carrierID, models.ActionPrint).Find(&evs).Error; err != nil {
		t.Fatal(err)
	}
	return evs
}

func TestPrint_CopySlipRecordedInHistoryAndAudit(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveCopy)
	req := mustRequest(t, s, copyInput(c, 2))
	if _, _, err := s.DecideCopy(clerk(t, s), approve(req, a)); err != nil {
		t.Fatal(err)
	}
	p, _ := mustPrint(t, s, FormCopy, req.SlipNo, "遂安市机要局", "涉密文件复制", "审批单", req.SlipNo, c.RegNo,
		c.Title, "传达学习", "刘洋", "陈刚", "同意复制", "机密", "收〔2026〕0003")
	if p.FileName != "复制审批单-复〔2026〕0001.pdf" || p.Form.Kind != FormCopy {
		t.Fatalf("printout %+v", p)
	}
	evs := printEvents(t, s, c.ID)
	if len(evs) != 1 || !strings.Contains(evs[0].Reason, "复制（复印）审批单") || evs[0].ActorLogin != "wangmin" {
		t.Fatalf("history of the original: %+v", evs)
	}
	copies, _ := s.OutstandingCopies(clerk(t, s), c.ID)
	if len(copies) != 2 || len(printEvents(t, s, copies[0].ID)) != 1 {
		t.Fatalf("copies' history should record the printing too: %d copies", len(copies))
	}
	var n int64
	s.db.Raw(`SELECT count(*) FROM audit_log WHERE event = ? AND object = ?`, models.EventPrint, req.SlipNo).Scan(&n)
	if n != 1 {
		t.Fatalf("audit records of the printing: %d", n)
	}
	// The slip still lists a copy whose 备注 was since rewritten.
	f := FormOf(copies[1])
	f.Remarks = "存放于分管领导处"
	if _, err := s.Edit(clerk(t, s), copies[1].ID, copies[1].Version, f, "备注更正"); err != nil {
		t.Fatal(err)
	}
	mustPrint(t, s, FormCopy, req.SlipNo, copies[0].RegNo, copies[1].RegNo)
}

func TestPrint_FlowSheetFoundByScannedBarcode(t *testing.T) {
	s := newService(t)
	c, ci := startCirc(t, s)
	code := models.BarcodeText(c.RegNo)
	p, _ := mustPrint(t, s, FormFlow, code, "文件阅办单", ci.SlipNo, c.DocNumber, "请陈局长阅示，综合科办理")
	if p.Object != ci.SlipNo {
		t.Fatalf("object %q, want the circulation's slip", p.Object)
	}
	// R13: 文号-文种-标题(yyyy.mm.dd), then the form.
	want := "遂安府办发〔2026〕30号-通知-关于做好2026年度保密自查工作的通知(2026.11.20)-阅办单.pdf"
	if p.FileName != want {
		t.Fatalf("file name %q, want %q", p.FileName, want)
	}
	mustPrint(t, s, FormCirculation, ci.SlipNo, "文件传阅单", route[0].Name, route[2].Name)
}

func TestPrint_UnknownNumberRefusedNothingRecorded(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	before := countRows(t, s)
	var b bytes.Buffer
	_, err := s.Print(clerk(t, s), FormCopy, "复〔2026〕0099", reports.Options{}, &b)
	wantRefusal(t, err, models.ErrNotFound, "", "复〔2026〕0099", "核对")
	if b.Len() != 0 {
		t.Fatal("something was written for a refused printout")
	}
	unchanged(t, s, before)
	if _, err := s.Print(clerk(t, s), FormKind("nonsense"), "x", reports.Options{}, &b); !errors.Is(err, ErrUnknownForm) {
		t.Fatalf("unknown form: %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestPrint_FailedWriteRecordsNothing(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	before := countRows(t, s)
	if _, err := s.Print(clerk(t, s), FormFlow, c.RegNo, reports.Options{}, failingWriter{}); err == nil {
		t.Fatal("a failed write reported success")
	}
	unchanged(t, s, before)
	var n int64
	s.db.Raw(`SELECT count(*) FROM audit_log WHERE event = ?`, models.EventPrint).Scan(&n)
	if n != 0 {
		t.Fatalf("a failed printout was audited: %d", n)
	}
}

func TestPrint_ToFolderNamesByR13AndNeverReplaces(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	dir := t.TempDir()
	_, p1, err := s.PrintToFile(clerk(t, s), FormFlow, c.RegNo, reports.Options{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	_, p2, err := s.PrintToFile(clerk(t, s), FormFlow, c.RegNo, reports.Options{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(p1) != "遂安府办发〔2026〕30号-通知-关于做好2026年度保密自查工作的通知(2026.11.20)-阅办单.pdf" ||
		filepath.Base(p2) != "遂安府办发〔2026〕30号-通知-关于做好2026年度保密自查工作的通知(2026.11.20)-阅办单 (2).pdf" {
		t.Fatalf("names %q, %q", p1, p2)
	}
	for _, p := range []string{p1, p2} {
		if b, err := os.ReadFile(p); err != nil || !bytes.HasPrefix(b, []byte("%PDF")) {
			t.Fatalf("%s: %v", p, err)
		}
	}
	if n := len(printEvents(t, s, c.ID)); n != 2 {
		t.Fatalf("two printings, %d history lines", n)
	}
	// A file path is used as given, .pdf added.
	_, p3, err := s.PrintToFile(clerk(t, s), FormFlow, c.RegNo, reports.Options{}, filepath.Join(dir, "阅办单"))
	if err != nil || filepath.Base(p3) != "阅办单.pdf" {
		t.Fatalf("file path: %q %v", p3, err)
	}
}

func TestPrint_R18_OnlyTheClerkPrints(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	for _, who := range []string{"auditor", "sysadmin", "secadmin"} {
		var b bytes.Buffer
		if _, err := s.Print(as(t, s, who), FormFlow, c.RegNo, reports.Options{}, &b); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s printing: %v", who, err)
		}
		if _, err := s.PrintRegister(as(t, s, who), Query{}, reports.Options{}, &b); !errors.Is(err, models.ErrForbidden) {
			t.Fatalf("%s printing the register: %v", who, err)
		}
	}
}

func TestPrint_LoanAndTakeOutSlips(t *testing.T) {
	s := newService(t)
	cs := mustRegister(t, s, func() models.CarrierForm { f := form(); f.Copies = "2"; return f }())
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveLoan, models.ApproveTakeOut)
	l := lend(t, s, loanIn(cs[0]), a)
	mustPrint(t, s, FormLoan, l.SlipNo, "借阅审批单", l.SlipNo, "刘洋", "综合科", "起草年度总结参阅", "2026年11月30日", "陈刚")
	o := lend(t, s, takeOutIn(cs[1]), a)
	p, _ := mustPrint(t, s, FormLoan, o.SlipNo, "外出携带审批单", o.SlipNo, "省保密局", "赴省厅汇报")
	if p.FileName != "外出携带审批单-"+o.SlipNo+".pdf" || p.Form.Name != "涉密载体外出携带审批单" {
		t.Fatalf("file name %q", p.FileName)
	}
}

func TestPrint_DestructionApprovalAndList(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies = "3"
	cs := mustRegister(t, s, f)
	b := approvedBatch(t, s, cs...)
	if _, err := s.CompleteDestruction(clerk(t, s), b.ID, selfRecord()); err != nil {
		t.Fatal(err)
	}
	p, _ := mustPrint(t, s, FormDestruction, b.SlipNo, "销毁审批表", "销毁清单", b.SlipNo, "已过保管期限",
		"陈刚", "同意销毁", "李明", "周红", "机要室销毁间", "BMXH-2026-003", cs[2].DocNumber, "000003")
	if p.Carriers != 3 {
		t.Fatalf("carriers %d", p.Carriers)
	}
	// A destroyed carrier's history still records the printing of its list.
	if len(printEvents(t, s, cs[0].ID)) != 1 {
		t.Fatal("printing the list of destroyed carriers is not in their history")
	}
}

func TestPrint_ReturnHandoverAndInspectionLists(t *testing.T) {
	s := newService(t)
	cs := mustRegister(t, s, func() models.CarrierForm { f := form(); f.Copies = "2"; return f }())
	other := mustRegister(t, s, otherIssuerForm())[0]
	flagForReturn(t, s, other)
	rb := mustCreateReturn(t, s, "省保密局")
	if _, err := s.HandOverReturnBatch(clerk(t, s), rb.ID, "省保密局 钱进", "2026-11-23"); err != nil {
		t.Fatal(err)
	}
	mustPrint(t, s, FormReturn, rb.SlipNo, "清退清单", rb.SlipNo, "省保密局", other.Title, "钱进")

	in, err := s.StartInspection(clerk(t, s), "王敏")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.TickFound(clerk(t, s), in.ID, cs[0].RegNo); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Resolve(clerk(t, s), in.ID, cs[1].ID, "经查在分管领导处，已收回"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CloseInspection(clerk(t, s), in.ID); err != nil {
		t.Fatal(err)
	}
	mustPrint(t, s, FormInspection, in.SlipNo, "自查登记表", in.SlipNo, "王敏", cs[1].RegNo, "缺失",
		"经查在分管领导处，已收回")

	h, _, err := s.Handover(clerk(t, s), HandoverInput{From: "王敏", To: "刘洋", Witness: "李娜", Note: "岗位调整"})
	if err != nil {
		t.Fatal(err)
	}
	mustPrint(t, s, FormHandover, h.SlipNo, "交接清单", h.SlipNo, "王敏", "刘洋", "李娜", "岗位调整", cs[0].RegNo)
}

func TestPrint_RegisterOfAFilter(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	f := otherIssuerForm()
	f.Level = models.LevelConfidential
	c := mustRegister(t, s, f)[0]
	var b bytes.Buffer
	p, err := s.PrintRegister(clerk(t, s), Query{Levels: []models.Level{models.LevelConfidential}}, reports.Options{}, &b)
	if err != nil {
		t.Fatal(err)
	}
	text := printedText(t, b.Bytes())
	if p.Carriers != 1 || !strings.Contains(text, c.Title) || strings.Contains(text, form().Title) {
		t.Fatalf("register of 机密 only: %d carriers; text %q", p.Carriers, text)
	}
	if !strings.Contains(text, "收文登记簿") || !strings.Contains(text, "密级秘密") {
		t.Fatalf("register text %q", text)
	}
	if !strings.HasPrefix(p.FileName, "收文登记簿(2026.11.23)") {
		t.Fatalf("file name %q", p.FileName)
	}
}

func TestPrint_DataOnlyIsRecordedAsSuch(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	var b bytes.Buffer
	if _, err := s.Print(clerk(t, s), FormFlow, c.RegNo, reports.Options{DataOnly: true, OffsetX: 1.5}, &b); err != nil {
		t.Fatal(err)
	}
	text := printedText(t, b.Bytes())
	if strings.Contains(text, "文件阅办单") || !strings.Contains(text, c.Title) {
		t.Fatalf("套打 text %q", text)
	}
	evs := printEvents(t, s, c.ID)
	if len(evs) != 1 || !strings.Contains(evs[0].Reason, "套打") {
		t.Fatalf("history %+v", evs)
	}
}

func TestPrint_RegisterTooLargeIsRefusedWithAWayOut(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies = "3"
	mustRegister(t, s, f)
	defer func(n int) { MaxRegisterRows = n }(MaxRegisterRows)
	MaxRegisterRows = 2
	before := countRows(t, s)
	var b bytes.Buffer
	_, err := s.PrintRegister(clerk(t, s), Query{}, reports.Options{}, &b)
	wantRefusal(t, err, models.ErrTooLarge, "", "共 3 件", "上限 2 件", "分册打印")
	if b.Len() != 0 {
		t.Fatal("a refused register was written")
	}
	unchanged(t, s, before)
}

// R23: the 复制戳 stickers of a slip's copies print one per copy, with the
// stamp, the mark and the register number; a refused request has none.
func TestPrint_R23_CopyLabelsOnePerCopy(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	a := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveCopy)
	req := mustRequest(t, s, copyInput(c, 2))
	if _, _, err := s.DecideCopy(clerk(t, s), approve(req, a)); err != nil {
		t.Fatal(err)
	}
	p, text := mustPrint(t, s, FormCopyLabels, req.SlipNo, "复制件标识", req.SlipNo,
		"遂安市机要局复制", "2026年11月23日", "复制件第1份", "复制件第2份", "收〔2026〕0002", "收〔2026〕0003",
		"原件："+c.RegNo+" 份号000001")
	if p.Carriers != 2 || strings.Count(text, "复制件第") != 2 || strings.Count(text, "收〔2026〕0001") != 2 {
		t.Fatalf("labels: %d carriers, text %q", p.Carriers, text)
	}
	refused := mustRequest(t, s, copyInput(c, 1))
	d := approve(refused, a)
	d.Decision = models.DecisionRefuse
	if _, _, err := s.DecideCopy(clerk(t, s), d); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := s.Print(clerk(t, s), FormCopyLabels, refused.SlipNo, reports.Options{}, &b); err == nil {
		t.Fatal("labels of a refused request printed")
	}
}

// R26: the register prints as the 收文登记簿 and the 发文登记簿, each in
// registration order, with every carrier's 状态/去向; a period selects by
// 收文日期, and a bad period is refused with nothing recorded.
func TestPrint_R26_RegisterBooksInOrderWithWhereabouts(t *testing.T) {
	s := newService(t)
	first := mustRegister(t, s, form())[0]
	f := otherIssuerForm()
	f.RegDate = "2026-11-10"
	second := mustRegister(t, s, f)[0]
	own := ownDoc(t, s, "1")[0]
	a := addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveLoan)
	lend(t, s, loanIn(first), a)
	if _, err := s.Archive(clerk(t, s), second.ID, "2026-永久-0007", ""); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	p, err := s.PrintRegister(clerk(t, s), Query{}, reports.Options{}, &b)
	if err != nil {
		t.Fatal(err)
	}
	text := printedText(t, b.Bytes())
	in, outBook, ok := strings.Cut(text, "发文登记簿")
	if !ok || !strings.Contains(in, "收文登记簿") || p.Carriers != 3 {
		t.Fatalf("books: %d carriers, text %q", p.Carriers, text)
	}
	if i, j := strings.Index(in, first.RegNo), strings.Index(in, second.RegNo); i < 0 || j < i {
		t.Errorf("收文登记簿 not in registration order: %q", in)
	}
	for _, want := range []string{"借出刘洋至2026-11-30", "已归档2026-11-23档号2026-永久-0007"} {
		if !strings.Contains(in, want) {
			t.Errorf("状态/去向 %q missing from %q", want, in)
		}
	}
	if !strings.Contains(outBook, own.RegNo) || strings.Contains(outBook, first.RegNo) || !strings.Contains(outBook, "成文日期") {
		t.Errorf("发文登记簿 %q", outBook)
	}
	if p.Marking == "" || !strings.HasPrefix(text, p.Marking) {
		t.Errorf("default marking %q, text starts %.40q", p.Marking, text)
	}

	b.Reset()
	if _, err := s.PrintRegister(clerk(t, s), Query{From: "2026-11-15", To: "2026-12-31", Direction: models.DirIncoming}, reports.Options{}, &b); err != nil {
		t.Fatal(err)
	}
	if text := printedText(t, b.Bytes()); strings.Contains(text, second.RegNo) || !strings.Contains(text, first.RegNo) ||
		strings.Contains(text, "发文登记簿") || !strings.Contains(text, "收文日期2026-11-15至2026-12-31") {
		t.Errorf("a period of the 收文登记簿: %q", text)
	}
	before := countRows(t, s)
	n := auditCount(t, s)
	b.Reset()
	_, err = s.PrintRegister(clerk(t, s), Query{From: "2026-12-31", To: "2026-01-01"}, reports.Options{}, &b)
	wantRefusal(t, err, models.ErrBadPeriod, "", "晚于截止日期")
	if b.Len() != 0 || auditCount(t, s) != n+1 {
		t.Fatal("a refused period printed or was not audited")
	}
	unchanged(t, s, before)
}
