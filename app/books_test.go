package app

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"secdoc/models"
	"secdoc/reports"
)

// setDay moves the service's clock (see clock) to 10:00 of day.
func setDay(t *testing.T, now *time.Time, day string) {
	t.Helper()
	d, err := time.ParseInLocation(models.DateLayout, day, time.Local)
	if err != nil {
		t.Fatal(err)
	}
	*now = d.Add(10 * time.Hour)
}

// bookOf reads a book and returns its lines as text, one string a line with
// its cells joined by |, and the book.
func bookOf(t *testing.T, s *Service, kind BookKind, from, to string) ([]string, reports.Book) {
	t.Helper()
	b, err := s.BookRows(clerk(t, s), kind, from, to)
	if err != nil {
		t.Fatalf("book %s %s–%s: %v", kind, from, to, err)
	}
	out := make([]string, len(b.Rows))
	for i, r := range b.Rows {
		if len(r) != len(b.Columns) {
			t.Fatalf("%s line %d has %d cells for %d columns", kind, i+1, len(r), len(b.Columns))
		}
		out[i] = strings.Join(r, "|")
	}
	// SECDOC_FORMS_DIR=DIR keeps the printed book of each test's acts, as
	// docs/forms shows them.
	if dir := os.Getenv("SECDOC_FORMS_DIR"); dir != "" && len(b.Rows) > 0 {
		var pdf bytes.Buffer
		if _, err := s.PrintBook(clerk(t, s), kind, from, to, reports.Options{}, &pdf); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "book-"+string(kind)+".pdf"), pdf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return out, b
}

// cell is the cell of a book's line under the column of title.
func cell(t *testing.T, b reports.Book, line int, title string) string {
	t.Helper()
	for i, c := range b.Columns {
		if c.Title == title {
			return b.Rows[line][i]
		}
	}
	t.Fatalf("%s has no column %q", b.Name, title)
	return ""
}

// column is every cell of a book's column, top to bottom.
func column(t *testing.T, b reports.Book, title string) []string {
	t.Helper()
	out := make([]string, len(b.Rows))
	for i := range b.Rows {
		out[i] = cell(t, b, i, title)
	}
	return out
}

// registeredOn registers form() on day with copy number n and level l.
func registeredOn(t *testing.T, s *Service, n int, l models.Level) models.Carrier {
	t.Helper()
	f := formNo(n)
	f.RegDate, f.Level = "2026-01-05", l
	return mustRegister(t, s, f)[0]
}

// lendOn requests and approves a loan or take-out of c on day, due days later.
func lendOn(t *testing.T, s *Service, now *time.Time, day string, in LoanInput, a models.Approver) models.Loan {
	t.Helper()
	setDay(t, now, day)
	in.DueOn = now.AddDate(0, 0, 7).Format(models.DateLayout)
	l, err := s.DecideLoan(clerk(t, s), LoanDecision{LoanID: mustLoan(t, s, in).ID, ApproverID: a.ID,
		Decision: models.DecisionApprove, Opinion: "同意", DecidedOn: day})
	if err != nil {
		t.Fatalf("lend on %s: %v", day, err)
	}
	return l
}

// R26 (R3): the 借阅登记簿 lists every loan that left the office in the
// period, by the day it left, a line each with its slip number, the
// carrier's 登记号, 文号, 题名 and marking, the borrower, the approver, the
// due and return days and the return check; a take-out is in the 外出携带登记簿
// only; a period without loans is an empty book.
func TestBooks_R26_LoanBookByTheDayItLeft(t *testing.T) {
	s := newService(t)
	now := clock(s)
	setDay(t, now, "2026-01-05")
	a := registeredOn(t, s, 1, models.LevelSecret)
	b := registeredOn(t, s, 2, models.LevelConfidential)
	c := registeredOn(t, s, 3, models.LevelConfidential)
	boss := addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveLoan, models.ApproveTakeOut)
	first := lendOn(t, s, now, "2026-03-02", loanIn(a), boss)
	second := lendOn(t, s, now, "2026-03-10", loanIn(b), boss)
	setDay(t, now, "2026-03-12")
	if _, err := s.ReturnLoan(clerk(t, s), first.ID, models.ReturnIntact, "", "2026-03-12"); err != nil {
		t.Fatal(err)
	}
	out := lendOn(t, s, now, "2026-04-01", takeOutIn(c), boss)
	third := lendOn(t, s, now, "2026-05-05", loanIn(a), boss)

	lines, book := bookOf(t, s, BookLoan, "2026-03-01", "2026-03-31")
	if len(lines) != 2 || book.Name != "借阅登记簿" || book.Period != "2026-03-01 至 2026-03-31" {
		t.Fatalf("March: %q %q\n%s", book.Name, book.Period, strings.Join(lines, "\n"))
	}
	want := strings.Join([]string{first.SlipNo, "2026-03-02", a.RegNo, a.DocNumber, a.Title, markText(&a),
		"刘洋（综合科）", "起草年度总结参阅", "陈刚", first.DueOn, "2026-03-12", "完好"}, "|")
	if lines[0] != want {
		t.Errorf("first line\n got %s\nwant %s", lines[0], want)
	}
	if cell(t, book, 1, "借阅单号") != second.SlipNo || cell(t, book, 1, "归还日期") != "未还" ||
		cell(t, book, 1, "归还检查") != "" {
		t.Errorf("second line: %s", lines[1])
	}
	_, book = bookOf(t, s, BookLoan, "2026-01-01", "2026-12-31")
	if got := column(t, book, "借阅单号"); !slices.Equal(got, []string{first.SlipNo, second.SlipNo, third.SlipNo}) {
		t.Errorf("the year's loans %v, want in the order they left", got)
	}
	if lines, _ = bookOf(t, s, BookLoan, "2026-03-03", "2026-03-09"); len(lines) != 0 {
		t.Errorf("a week without loans has lines: %v", lines)
	}
	_, book = bookOf(t, s, BookTakeOut, "2026-01-01", "2026-12-31")
	if len(book.Rows) != 1 || cell(t, book, 0, "携带单号") != out.SlipNo || cell(t, book, 0, "外出地点") != "省保密局" ||
		cell(t, book, 0, "携出日期") != "2026-04-01" || book.Name != "外出携带登记簿" {
		t.Errorf("take-out book: %v", book.Rows)
	}
	// The book bears by default the highest level and longest term in it.
	if _, book = bookOf(t, s, BookLoan, "2026-03-01", "2026-03-31"); book.Marking != listMark([]models.Carrier{a, b}) ||
		!strings.HasPrefix(book.Marking, "机密★") {
		t.Errorf("marking %q", book.Marking)
	}
}

// R26 (R1, R9, R23): the 复制登记簿 lists every copy request decided in the
// period, by the day of its decision, approved or refused, with the
// copies it made; a request still waiting is not in it.
func TestBooks_R26_CopyBookByDecision(t *testing.T) {
	s := newService(t)
	now := clock(s)
	setDay(t, now, "2026-01-05")
	c := registeredOn(t, s, 1, models.LevelSecret)
	a := addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveCopy)
	setDay(t, now, "2026-02-02")
	in := copyInput(c, 3)
	in.Department, in.Maker = "综合科", "本机关文印室"
	ok := mustRequest(t, s, in)
	setDay(t, now, "2026-02-03")
	d := approve(ok, a)
	d.DecidedOn, d.Copies = "2026-02-03", 2
	_, copies, err := s.DecideCopy(clerk(t, s), d)
	if err != nil {
		t.Fatal(err)
	}
	no := mustRequest(t, s, copyInput(c, 1))
	d = approve(no, a)
	d.Decision, d.DecidedOn = models.DecisionRefuse, "2026-02-03"
	if _, _, err := s.DecideCopy(clerk(t, s), d); err != nil {
		t.Fatal(err)
	}
	mustRequest(t, s, copyInput(c, 1)) // waiting

	lines, book := bookOf(t, s, BookCopy, "2026-02-01", "2026-02-28")
	if len(lines) != 2 {
		t.Fatalf("want the approved and the refused request:\n%s", strings.Join(lines, "\n"))
	}
	want := strings.Join([]string{ok.SlipNo, "2026-02-03", c.RegNo, c.DocNumber, c.Title, markText(&c),
		"刘洋（综合科）", "传达学习（承制：本机关文印室）", "3", "2", "陈刚 同意", copies[0].RegNo + "\n" + copies[1].RegNo}, "|")
	if lines[0] != want {
		t.Errorf("approved\n got %s\nwant %s", lines[0], want)
	}
	if cell(t, book, 1, "复制单号") != no.SlipNo || cell(t, book, 1, "审批") != "陈刚 不同意" ||
		cell(t, book, 1, "申请份数") != "1" || cell(t, book, 1, "同意份数") != "0" || cell(t, book, 1, "复制件登记号") != "" {
		t.Errorf("refused: %s", lines[1])
	}
	if lines, _ = bookOf(t, s, BookCopy, "2026-02-02", "2026-02-02"); len(lines) != 0 {
		t.Errorf("the day of the request lists %v: a copy is booked by its decision", lines)
	}
}

// R26 (R2, R17): the 销毁登记簿 has a line for every carrier destroyed in
// the period, the slip's number repeated, with its 份号, how, where and who
// witnessed; a batch approved and not yet destroyed is not in it.
func TestBooks_R26_DestructionBookLinePerCarrier(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies, f.CopyNo = "3", "1"
	cs := mustRegister(t, s, f)
	b := approvedBatch(t, s, cs[0], cs[1])
	if _, err := s.CompleteDestruction(clerk(t, s), b.ID, selfRecord()); err != nil {
		t.Fatal(err)
	}
	mustRequestDestruction(t, s, cs[2])
	lines, book := bookOf(t, s, BookDestruction, "2026-11-01", "2026-11-30")
	if len(lines) != 2 {
		t.Fatalf("lines:\n%s", strings.Join(lines, "\n"))
	}
	for i, c := range cs[:2] {
		want := strings.Join([]string{b.SlipNo, "2026-11-23", c.RegNo, c.DocNumber, c.Title, markText(&c),
			c.CopyNoText(), "纸质文件", "陈刚", "自行销毁，设备 BMXH-2026-003", "机要室销毁间", "李明、周红"}, "|")
		if lines[i] != want {
			t.Errorf("line %d\n got %s\nwant %s", i+1, lines[i], want)
		}
	}
	if column(t, book, "份号")[1] != "000002" {
		t.Errorf("份号 %v", column(t, book, "份号"))
	}
	if lines, _ = bookOf(t, s, BookDestruction, "2026-11-24", "2026-12-31"); len(lines) != 0 {
		t.Errorf("after the destruction: %v", lines)
	}
}

// R26 (R8): the 清退登记簿 has a line for every carrier handed back in the
// period, with its issuer and who received it; a batch not yet handed over
// is not in it.
func TestBooks_R26_ReturnBookLinePerCarrier(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies, f.CopyNo = "2", "1"
	a := mustRegister(t, s, f)
	flagForReturn(t, s, a...)
	batch := mustCreateReturn(t, s, returnIssuerA)
	if _, err := s.HandOverReturnBatch(clerk(t, s), batch.ID, "周接收", "2026-11-23"); err != nil {
		t.Fatal(err)
	}
	other := mustRegister(t, s, otherIssuerForm())
	flagForReturn(t, s, other...)
	mustCreateReturn(t, s, "省保密局")
	lines, book := bookOf(t, s, BookReturn, "2026-11-01", "2026-11-30")
	if len(lines) != 2 {
		t.Fatalf("lines:\n%s", strings.Join(lines, "\n"))
	}
	for i, c := range a {
		if cell(t, book, i, "清退单号") != batch.SlipNo || cell(t, book, i, "登记号") != c.RegNo ||
			cell(t, book, i, "份号") != c.CopyNoText() || cell(t, book, i, "退往单位") != returnIssuerA ||
			cell(t, book, i, "接收人") != "周接收" || cell(t, book, i, "清退日期") != "2026-11-23" ||
			cell(t, book, i, "清退人") != "王敏" {
			t.Errorf("line %d: %s", i+1, lines[i])
		}
	}
}

// R26 (R6): the 传阅登记簿 has a line for each circulation started in the
// period, its route with the times each reader took and gave back the
// document, the count on return and whether it is closed.
func TestBooks_R26_CirculationBookRoute(t *testing.T) {
	s := newService(t)
	now := clock(s)
	c, ci := startCirc(t, s)
	*now = now.Add(time.Hour)
	if _, err := s.SignOutToReader(clerk(t, s), ci.ID, "陈局长", *now); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(2 * time.Hour)
	if _, err := s.SignBack(clerk(t, s), ci.ID, *now, true, ""); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(time.Hour)
	if _, err := s.SignOutToReader(clerk(t, s), ci.ID, "刘副局长", *now); err != nil {
		t.Fatal(err)
	}
	lines, book := bookOf(t, s, BookCirculation, "2026-11-23", "2026-11-23")
	if len(lines) != 1 {
		t.Fatalf("lines: %v", lines)
	}
	route := "陈局长 11-23 11:00→11-23 13:00\n刘副局长 11-23 14:00→未退\n孙科长 未送"
	if cell(t, book, 0, "阅办单号") != ci.SlipNo || cell(t, book, 0, "登记号") != c.RegNo ||
		cell(t, book, 0, "传阅日期") != "2026-11-23" || cell(t, book, 0, "阅文人及送退时间") != route ||
		cell(t, book, 0, "清点") != "齐全" || cell(t, book, 0, "办结") != "传阅中" {
		t.Errorf("line: %q", lines[0])
	}
	for _, p := range [][2]string{{"2026-11-22", "2026-11-22"}, {"2026-11-24", "2026-11-30"}} {
		if lines, _ := bookOf(t, s, BookCirculation, p[0], p[1]); len(lines) != 0 {
			t.Errorf("%v lists %v", p, lines)
		}
	}
}

// R26 (R15, R20): the 密级变更登记簿 has a line for each carrier whose mark
// changed in the period, under the document the change rests on, with the
// old and the new mark; it is marked by default as its carriers were
// before the change.
func TestBooks_R26_SecrecyBookOldAndNewMark(t *testing.T) {
	s := newService(t)
	f := termForm(models.LevelSecret, "2026-11-20", models.TermYears, "10")
	c := one(t, s, f)
	in := termChange(c, declassifier(t, s), models.ChangeDowngrade)
	in.NewLevel, in.NewTerm = models.LevelConfidential, models.Term{Kind: models.TermYears, Years: 5}
	if _, err := s.ChangeSecrecy(clerk(t, s), in); err != nil {
		t.Fatal(err)
	}
	lines, book := bookOf(t, s, BookSecrecy, "2026-11-01", "2026-11-30")
	want := strings.Join([]string{"遂安保密〔2026〕12号", "2026-11-23", c.RegNo, c.DocNumber, c.Title, "降密",
		"机密★10年", "秘密★5年", "遂安市保密局 通知", "年度审核"}, "|")
	if len(lines) != 1 || lines[0] != want {
		t.Fatalf("lines\n got %v\nwant %s", lines, want)
	}
	if !strings.HasPrefix(book.Marking, "机密★") {
		t.Errorf("marking %q: the book names what was 机密", book.Marking)
	}
}

// R26 (R25): the 分发登记簿 has a line for each 份号 sent in the period, by
// day and channel (the 送文簿 it was signed on), with its recipient and its
// 签收 or 回执.
func TestBooks_R26_DispatchBookPerCopy(t *testing.T) {
	s := newService(t)
	own := classifiedDoc(t, s, "3")
	if _, err := s.RecordPrinting(clerk(t, s), printInput(own[0], 3)); err != nil {
		t.Fatal(err)
	}
	l := mustLine(t, s, own[0], "市财政局", 2, models.ChannelCourier)
	sent := mustSend(t, s, l, "2026-11-23", own[0], own[1])
	if _, err := s.RecordReceipt(clerk(t, s), ReceiptInput{SendingID: sent[0].ID, Kind: models.ReceiptSigned,
		No: "李会计", On: "2026-11-23"}); err != nil {
		t.Fatal(err)
	}
	lines, book := bookOf(t, s, BookDispatch, "2026-11-23", "2026-11-23")
	if len(lines) != 2 {
		t.Fatalf("lines: %v", lines)
	}
	want := strings.Join([]string{"2026-11-23", "机要交通", own[0].RegNo, "000001", own[0].DocNumber, own[0].Title,
		markText(&own[0]), "市财政局", "王敏", "签收 李会计 2026-11-23", ""}, "|")
	if lines[0] != want {
		t.Errorf("first\n got %s\nwant %s", lines[0], want)
	}
	if cell(t, book, 1, "份号") != "000002" || cell(t, book, 1, "签收或回执") != "未签收" {
		t.Errorf("second: %s", lines[1])
	}
}

// R26: a period that is not two dates, first to last, and a book that is
// not one are refused with a message naming the fault, and recorded.
func TestBooks_R26_BadPeriodRefused(t *testing.T) {
	s := newService(t)
	for _, c := range []struct {
		kind         BookKind
		from, to     string
		cause        error
		field, words string
	}{
		{BookLoan, "", "2026-12-31", models.ErrBadPeriod, FieldBookFrom, "请填写起始日期"},
		{BookLoan, "2026-02-30", "2026-12-31", models.ErrBadPeriod, FieldBookFrom, "起始日期“2026-02-30”不是有效的日期"},
		{BookLoan, "2026-01-01", "明年", models.ErrBadPeriod, FieldBookTo, "截止日期“明年”不是有效的日期"},
		{BookLoan, "2026-12-31", "2026-01-01", models.ErrBadPeriod, FieldBookFrom, "起始日期 2026-12-31 晚于截止日期 2026-01-01"},
		{"归档", "2026-01-01", "2026-12-31", ErrUnknownBook, FieldBookKind, "没有“归档”这种登记簿"},
	} {
		sess := clerk(t, s)
		n := auditCount(t, s)
		_, err := s.BookRows(sess, c.kind, c.from, c.to)
		wantRefusal(t, err, c.cause, c.field, c.words)
		if auditCount(t, s) != n+1 || lastAudit(t, s).Event != models.EventRuleDenied {
			t.Errorf("%v: the refusal is not recorded", c)
		}
	}
	// Chinese names and dates as clerks type them are understood.
	if _, book := bookOf(t, s, "借阅登记簿", "2026年1月1日", "2026.12.31"); book.Period != "2026-01-01 至 2026-12-31" {
		t.Errorf("period %q", book.Period)
	}
	if _, book := bookOf(t, s, "销毁", "20260101", "2026-1-31"); book.Name != "销毁登记簿" {
		t.Errorf("book %q", book.Name)
	}
}

// R18: only the clerk reads, prints or exports the books; the others are
// refused and the refusal recorded.
func TestBooks_R18_ClerkOnly(t *testing.T) {
	s := newService(t)
	for _, who := range []string{"auditor", "secadmin", "sysadmin"} {
		sess := as(t, s, who)
		n := auditCount(t, s)
		_, err := s.BookRows(sess, BookLoan, "2026-01-01", "2026-12-31")
		var fe *ForbiddenError
		if !errors.As(err, &fe) {
			t.Fatalf("%s read a book: %v", who, err)
		}
		if _, err := s.PrintBook(sess, BookLoan, "2026-01-01", "2026-12-31", reports.Options{}, &bytes.Buffer{}); !errors.As(err, &fe) {
			t.Fatalf("%s printed a book: %v", who, err)
		}
		path := filepath.Join(t.TempDir(), "b.xlsx")
		if _, err := s.ExportBookFile(sess, BookLoan, "2026-01-01", "2026-12-31", reports.Options{}, path); !errors.As(err, &fe) {
			t.Fatalf("%s exported a book: %v", who, err)
		}
		if _, err := os.Stat(path); err == nil {
			t.Fatalf("a refused export left %s", path)
		}
		if got := auditCount(t, s) - n; got != 3 {
			t.Errorf("%s: %d records of 3 refusals", who, got)
		}
	}
}

// R26: a book longer than a printing may be is refused whole, with the
// way to print it in volumes.
func TestBooks_R26_TooLargeRefused(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies, f.CopyNo = "3", "1"
	cs := mustRegister(t, s, f)
	b := approvedBatch(t, s, cs...)
	if _, err := s.CompleteDestruction(clerk(t, s), b.ID, selfRecord()); err != nil {
		t.Fatal(err)
	}
	defer func(n int) { MaxRegisterRows = n }(MaxRegisterRows)
	MaxRegisterRows = 2
	_, err := s.BookRows(clerk(t, s), BookDestruction, "2026-01-01", "2026-12-31")
	if !errors.Is(err, models.ErrTooLarge) || !strings.Contains(err.Error(), "请缩短期间后分册打印") {
		t.Fatalf("err %v", err)
	}
	var buf bytes.Buffer
	if _, err := s.PrintBook(clerk(t, s), BookDestruction, "2026-01-01", "2026-12-31", reports.Options{}, &buf); !errors.Is(err, models.ErrTooLarge) || buf.Len() != 0 {
		t.Fatalf("print: %v, %d bytes", err, buf.Len())
	}
	MaxRegisterRows = 3
	if lines, _ := bookOf(t, s, BookDestruction, "2026-01-01", "2026-12-31"); len(lines) != 3 {
		t.Fatalf("at the limit: %d lines", len(lines))
	}
}

// R26: a book prints to PDF under its name and period, in a folder by the
// naming rule, marked with the marking the clerk confirmed (or its
// default); the printing and the marking are audited.
func TestBooks_R26_PrintBookToFile(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies, f.CopyNo = "2", "1"
	cs := mustRegister(t, s, f)
	b := approvedBatch(t, s, cs...)
	if _, err := s.CompleteDestruction(clerk(t, s), b.ID, selfRecord()); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	p, path, err := s.PrintBookToFile(clerk(t, s), "销毁", "2026-01-01", "2026-12-31", reports.Options{}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != "销毁登记簿(2026.01.01-2026.12.31).pdf" || p.Form.Name != "销毁登记簿" || p.Carriers != 2 {
		t.Fatalf("printout %+v at %s", p, path)
	}
	pdf, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := printedText(t, pdf)
	for _, w := range []string{"遂安市机要局销毁登记簿", "期间：2026-01-01至2026-12-31（共2条）", b.SlipNo, cs[0].RegNo,
		cs[1].RegNo, "000002", "李明、周红", "第1页共1页", listMark(cs)} {
		if !strings.Contains(text, w) {
			t.Errorf("the printed book lacks %q", w)
		}
	}
	r := lastAudit(t, s)
	if r.Event != models.EventPrint || !strings.Contains(r.Detail, "打印《销毁登记簿》") ||
		!strings.Contains(r.Detail, "标志 "+listMark(cs)+"（默认）") {
		t.Errorf("audit %+v", r)
	}
	var buf bytes.Buffer
	addApprover(t, s, "吴定", models.LevelSecret, models.ApproveClassify)
	if _, err := s.PrintBook(clerk(t, s), BookDestruction, "2026-01-01", "2026-12-31",
		reports.Options{Marking: "秘密★2030年6月30日", Classifier: "吴定"}, &buf); err != nil {
		t.Fatal(err)
	}
	if text := printedText(t, buf.Bytes()); !strings.HasPrefix(text, "秘密★2030年6月30日") {
		t.Errorf("the confirmed marking is not printed top-left: %.80s", text)
	}
	if r := lastAudit(t, s); !strings.Contains(r.Detail, "标志 秘密★2030年6月30日（默认 "+listMark(cs)+"；定密责任人 吴定 确定）") {
		t.Errorf("audit %+v", r)
	}
	_, err = s.PrintBook(clerk(t, s), BookDestruction, "2026-01-01", "2026-12-31", reports.Options{Marking: "特密★3年"}, &buf)
	wantRefusal(t, err, models.ErrBadMarking, FieldMarking, "“特密★3年”无法识别")
}

// R26: a book exports to .xlsx: one sheet named after it, the marking in
// the first row, the title, the bold frozen header, a row per line; the
// numbers of slips and registrations, dates and 份号 stay text.
func TestBooks_R26_ExportBookXLSX(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies, f.CopyNo = "2", "1"
	cs := mustRegister(t, s, f)
	b := approvedBatch(t, s, cs...)
	if _, err := s.CompleteDestruction(clerk(t, s), b.ID, selfRecord()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "销毁.xlsx")
	n, err := s.ExportBookFile(clerk(t, s), BookDestruction, "2026-11-01", "2026-11-30", reports.Options{}, path)
	if err != nil || n != 2 {
		t.Fatalf("export: %d %v", n, err)
	}
	if r := lastAudit(t, s); r.Event != models.EventExport || !strings.Contains(r.Detail, "导出《销毁登记簿》（2026-11-01 至 2026-11-30）Excel") ||
		!strings.Contains(r.Detail, "共 2 条") {
		t.Errorf("audit %+v", r)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if sheets := x.GetSheetList(); len(sheets) != 1 || sheets[0] != "销毁登记簿" {
		t.Fatalf("sheets %v", sheets)
	}
	rows, err := x.GetRows("销毁登记簿")
	if err != nil {
		t.Fatal(err)
	}
	_, book := bookOf(t, s, BookDestruction, "2026-11-01", "2026-11-30")
	if len(rows) != 5 || rows[0][0] != listMark(cs) || !strings.Contains(rows[1][0], "遂安市机要局销毁登记簿（2026-11-01 至 2026-11-30，共 2 条）") {
		t.Fatalf("rows %q", rows)
	}
	for i, c := range book.Columns {
		if rows[2][i] != c.Title {
			t.Errorf("header %d %q, want %q", i, rows[2][i], c.Title)
		}
	}
	for i, r := range book.Rows {
		if !slices.Equal(rows[3+i], r[:len(rows[3+i])]) {
			t.Errorf("row %d\n got %q\nwant %q", i+1, rows[3+i], r)
		}
	}
	// Every cell is a string, never a number Excel would strip of its zeros.
	for _, ref := range []string{"A4", "B4", "C4", "G4", "G5"} {
		if got, _ := x.GetCellType("销毁登记簿", ref); got != excelize.CellTypeSharedString && got != excelize.CellTypeInlineString {
			t.Errorf("%s is of type %v, want text", ref, got)
		}
	}
	if v, _ := x.GetCellValue("销毁登记簿", "G5"); v != "000002" {
		t.Errorf("份号 %q", v)
	}
	if id, err := x.GetCellStyle("销毁登记簿", "G5"); err != nil {
		t.Fatal(err)
	} else if st, err := x.GetStyle(id); err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "@" {
		t.Errorf("份号 is not formatted as text: %+v %v", st, err)
	}
	panes, err := x.GetPanes("销毁登记簿")
	if err != nil || !panes.Freeze || panes.YSplit != 3 {
		t.Errorf("panes %+v %v", panes, err)
	}
	// A confirmed marking replaces the default; a bad one is refused and
	// leaves no file.
	addApprover(t, s, "吴定", models.LevelSecret, models.ApproveClassify)
	if _, err := s.ExportBookFile(clerk(t, s), BookDestruction, "2026-11-01", "2026-11-30",
		reports.Options{Marking: "内部", Classifier: "吴定"}, path); err != nil {
		t.Fatal(err)
	}
	if x2, err := excelize.OpenFile(path); err != nil {
		t.Fatal(err)
	} else if v, _ := x2.GetCellValue("销毁登记簿", "A1"); v != "内部" {
		t.Errorf("A1 %q", v)
	}
	bad := filepath.Join(t.TempDir(), "bad.xlsx")
	_, err = s.ExportBookFile(clerk(t, s), BookDestruction, "2026-11-01", "2026-11-30", reports.Options{Marking: "特密"}, bad)
	wantRefusal(t, err, models.ErrBadMarking, FieldMarking, "无法识别")
	if _, err := os.Stat(bad); err == nil {
		t.Error("a refused export left a file")
	}
}

// Every book of Books is read, printed and exported, empty or not.
func TestBooks_EveryKindPrintsAndExports(t *testing.T) {
	s := newService(t)
	for _, b := range Books {
		for _, name := range []string{string(b.Kind), b.Short, b.Name} {
			if got, ok := BookByName(name); !ok || got.Kind != b.Kind {
				t.Errorf("BookByName(%q) = %v %v", name, got, ok)
			}
		}
		var buf bytes.Buffer
		p, err := s.PrintBook(clerk(t, s), b.Kind, "2026-01-01", "2026-12-31", reports.Options{}, &buf)
		if err != nil {
			t.Fatalf("%s: %v", b.Name, err)
		}
		text := printedText(t, buf.Bytes())
		if p.Carriers != 0 || !strings.Contains(text, "遂安市机要局"+b.Name) || !strings.Contains(text, "本期间没有登记的事项") {
			t.Errorf("%s: %+v %.200s", b.Name, p, text)
		}
		if _, err := s.ExportBookFile(clerk(t, s), b.Kind, "2026-01-01", "2026-12-31", reports.Options{}, filepath.Join(t.TempDir(), "x.xlsx")); err != nil {
			t.Errorf("%s: %v", b.Name, err)
		}
	}
}

// R26 (R23): a 汇编 is one line under its first source, naming the
// document made and every source, with the 汇编本 it made; the book bears
// the highest level and longest term of them all.
func TestBooks_R26_CopyBookCompilation(t *testing.T) {
	s := newService(t)
	f := form()
	f.TermKind, f.TermYears, f.DocDate = models.TermYears, "5", "2026-01-05"
	a := mustRegister(t, s, f)[0]
	g := form()
	g.DocNumber, g.Level, g.TermKind, g.TermYears, g.DocDate = "遂安府办发〔2026〕41号", models.LevelConfidential,
		models.TermYears, "10", "2026-02-01"
	b := mustRegister(t, s, g)[0]
	appr := addApprover(t, s, "陈刚", models.LevelSecret, models.ApproveCopy)
	req := mustRequest(t, s, CopyRequestInput{CarrierID: a.ID, Copies: 1, Purpose: "编印学习材料", Requester: "刘洋",
		Kind: models.CopyCompile, Sources: []string{b.RegNo}, Title: "保密工作文件汇编", NeedToKnow: "办公室主任"})
	_, made, err := s.DecideCopy(clerk(t, s), approve(req, appr))
	if err != nil {
		t.Fatal(err)
	}
	lines, book := bookOf(t, s, BookCopy, "2026-11-23", "2026-11-23")
	if len(lines) != 1 || cell(t, book, 0, "登记号") != a.RegNo || cell(t, book, 0, "复制件登记号") != made[0].RegNo ||
		cell(t, book, 0, "题名") != a.Title+"（汇编为《保密工作文件汇编》，来源 2 件："+a.RegNo+"、"+b.RegNo+"）" {
		t.Fatalf("lines %q", lines)
	}
	if book.Marking != "机密★2036年2月1日" {
		t.Errorf("marking %q", book.Marking)
	}
}

// R26 (R25): the spoiled sheets and proofs of a printing, destroyed on a
// slip of their own, are a line of the 销毁登记簿 under the document.
func TestBooks_R26_DestructionBookSpoiledSheets(t *testing.T) {
	s := newService(t)
	own := classifiedDoc(t, s, "2")
	p, err := s.RecordPrinting(clerk(t, s), printInput(own[0], 2))
	if err != nil || p.DestructionID == nil {
		t.Fatalf("printing %+v %v", p, err)
	}
	a := addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveDestroy)
	if _, err := s.DecideDestruction(clerk(t, s), DestructionDecision{BatchID: *p.DestructionID, ApproverID: a.ID,
		Decision: models.DecisionApprove, Opinion: "同意", DecidedOn: "2026-11-23"}); err != nil {
		t.Fatal(err)
	}
	b, err := s.CompleteDestruction(clerk(t, s), *p.DestructionID, selfRecord())
	if err != nil {
		t.Fatal(err)
	}
	lines, book := bookOf(t, s, BookDestruction, "2026-11-23", "2026-11-23")
	if len(lines) != 1 || cell(t, book, 0, "销毁单号") != b.SlipNo || cell(t, book, 0, "登记号") != own[0].RegNo ||
		cell(t, book, 0, "载体类别") != "废页、校样" || cell(t, book, 0, "份号") != "" ||
		!strings.HasSuffix(cell(t, book, 0, "题名"), "（印制 "+p.SlipNo+" 废页 3 张、校样 1 份）") {
		t.Fatalf("lines %q", lines)
	}
}

// R26 (R21): an 内部 carrier goes out on the record alone; its line says
// no approval was needed, and the book bears no ★.
func TestBooks_R26_InternalLoanNeedsNoApproval(t *testing.T) {
	s := newService(t)
	f := form()
	f.Level = models.LevelInternal
	c := mustRegister(t, s, f)[0]
	l := mustLoan(t, s, loanIn(c))
	_, book := bookOf(t, s, BookLoan, "2026-11-23", "2026-11-23")
	if len(book.Rows) != 1 || cell(t, book, 0, "借阅单号") != l.SlipNo || cell(t, book, 0, "审批人") != "无需审批" ||
		book.Marking != "内部" {
		t.Fatalf("book %q marked %q", book.Rows, book.Marking)
	}
}
