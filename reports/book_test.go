package reports

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// The columns of two books as the app gives them (app/book_rows.go).
func bookCols(slip, date string, more ...BookColumn) []BookColumn {
	return append([]BookColumn{{Title: slip, Width: 25}, {Title: date, Width: 17.5, Align: "C"}, {Title: "登记号", Width: 25},
		{Title: "文号", Width: 35}, {Title: "题名"}, {Title: "密级★期限", Width: 18}}, more...)
}

var (
	loanBookCols = bookCols("借阅单号", "借出日期", BookColumn{Title: "借阅人", Width: 23}, BookColumn{Title: "用途", Width: 20},
		BookColumn{Title: "审批人", Width: 12, Align: "C"}, BookColumn{Title: "应还日期", Width: 17.5, Align: "C"},
		BookColumn{Title: "归还日期", Width: 17.5, Align: "C"}, BookColumn{Title: "归还检查", Width: 14.5, Align: "C"})
	destructionBookCols = bookCols("销毁单号", "销毁日期", BookColumn{Title: "份号", Width: 12.5, Align: "C"},
		BookColumn{Title: "载体类别", Width: 15, Align: "C"}, BookColumn{Title: "批准人", Width: 12, Align: "C"},
		BookColumn{Title: "销毁方式", Width: 26}, BookColumn{Title: "销毁地点", Width: 18}, BookColumn{Title: "监销人", Width: 18})
)

func bookHead() Head {
	return Head{Office: "某市发展和改革委员会", Marking: "机密★2036年11月2日", PrintedBy: "张文书", Printed: printedAt}
}

// sampleLoanBook is a 借阅登记簿 of n loans whose every cell fits its
// column on one line: titles of up to 13 characters (a longer one takes a
// second line).
func sampleLoanBook(n int) Book {
	titles := []string{"关于年度保密检查工作的通知", "关于重点项目投资计划的请示", "第三季度经济运行分析", "保密工作会议纪要"}
	b := Book{Head: bookHead(), Name: "借阅登记簿", Period: "2026-01-01 至 2026-12-31", Columns: loanBookCols}
	for i := range n {
		day := fmt.Sprintf("2026-%02d-%02d", 1+i/28, 1+i%28)
		back, check := day, "完好"
		if i%5 == 4 {
			back, check = "未还", ""
		}
		b.Rows = append(b.Rows, []string{fmt.Sprintf("借〔2026〕%04d", i+1), day,
			fmt.Sprintf("收〔2026〕%04d", 100+i), fmt.Sprintf("省保密〔2026〕%d号", i+1), titles[i%len(titles)],
			[]string{"机密★10年", "秘密★5年"}[i%2], []string{"刘洋（综合科）", "王芳（办公室）"}[i%2], "起草总结参阅", "陈刚",
			day, back, check})
	}
	return b
}

// sampleDestructionBook is a 销毁登记簿 of two slips, one of them of three
// carriers.
func sampleDestructionBook() Book {
	b := Book{Head: bookHead(), Name: "销毁登记簿", Period: "2026-01-01 至 2026-12-31", Columns: destructionBookCols}
	items := sampleItems()
	for i, c := range items {
		slip, day, method, place := "销〔2026〕0001", "2026-06-18", "自行销毁，设备 BMXH-2026-003", "机要室销毁间"
		if i >= 2 {
			slip, day, method, place = "销〔2026〕0002", "2026-11-25", "送销，护送 孙亮、吴芳", "市保密销毁中心"
		}
		b.Rows = append(b.Rows, []string{slip, day, c.RegNo, c.DocNumber, c.Title, c.Marking, c.CopyNo,
			c.Kind, "王局长", method, place, "钱监销、孙监督"})
	}
	return b
}

var bookSlip = regexp.MustCompile(`借〔2026〕\d{4}`)

// R26: a book of 60 loans pages with its header on every page, twenty rows
// and more to a page, each row once, 第 x 页 共 y 页 at the foot.
func TestBook_R26_60RowsPagesWithTheHeaderOnEach(t *testing.T) {
	b := sampleLoanBook(60)
	pdf := render(t, func(w *bytes.Buffer) error { return RenderBook(w, b, Options{}) })
	writeSample(t, "book-loan", pdf)
	pages := formText(t, pdf, true)
	if len(pages) < 3 {
		t.Fatalf("%d pages: 60 rows don't fit on two", len(pages))
	}
	mustContain(t, pages[0], "机密★2036年11月2日", "某市发展和改革委员会借阅登记簿", "期间：2026-01-01 至 2026-12-31（共 60 条）")
	seen := map[string]int{}
	for p, text := range pages {
		mustContain(t, text, "借阅单号", "借出日期", "登记号", "文号", "题名", "密级★期限", "借阅人", "用途", "审批人",
			"应还日期", "归还日期", fmt.Sprintf("第 %d 页 共 %d 页", p+1, len(pages)))
		if p > 0 {
			mustContain(t, text, "借阅登记簿（续）", "2026-01-01 至 2026-12-31", "机密★2036年11月2日")
		}
		slips := bookSlip.FindAllString(text, -1)
		if p < len(pages)-1 && len(slips) < 20 {
			t.Errorf("page %d holds %d rows, want at least 20", p+1, len(slips))
		}
		for _, s := range slips {
			seen[s]++
		}
	}
	for i := range 60 {
		if n := seen[fmt.Sprintf("借〔2026〕%04d", i+1)]; n != 1 {
			t.Errorf("row %d printed %d times", i+1, n)
		}
	}
	// A row's cells are on one line, as laid out: slip, date, 登记号 and the rest.
	mustContain(t, pages[0], "借〔2026〕0001 2026-01-01 收〔2026〕0100 省保密〔2026〕1号")
	noOverflow(t, pdf)
	for _, p := range wordBoxes(t, pdf) {
		if p.w <= p.h {
			t.Fatalf("page of %.0f × %.0f pt, want landscape", p.w, p.h)
		}
	}
}

// R26: the 销毁登记簿 lists every carrier with its slip's number repeated,
// and every cell's text wraps inside its column.
func TestBook_R26_DestructionBookEveryCell(t *testing.T) {
	b := sampleDestructionBook()
	pdf := render(t, func(w *bytes.Buffer) error { return RenderBook(w, b, Options{}) })
	writeSample(t, "book-destruction", pdf)
	pages := formText(t, pdf, false)
	if len(pages) != 1 {
		t.Fatalf("%d pages", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会销毁登记簿", "共 5 条", "第 1 页 共 1 页")
	if n := strings.Count(pages[0], "销〔2026〕0002"); n != 3 {
		t.Errorf("the second slip's number is on %d lines, want 3", n)
	}
	boxes := wordBoxes(t, pdf)
	cols := make([]listColumn, len(b.Columns))
	for i, c := range b.Columns {
		cols[i] = listColumn{title: c.Title, width: c.Width}
	}
	for _, r := range b.Rows {
		for j, c := range b.Columns {
			if c.Title == "题名" || c.Title == "销毁方式" || c.Title == "监销人" {
				mustContain(t, columnText(t, boxes, 0, "L", cols, c.Title), r[j])
			} else {
				mustContain(t, pages[0], r[j])
			}
		}
	}
	noOverflow(t, pdf)
}

// R26: the marking the clerk confirmed replaces the book's default; a book
// without one prints none; a book with no lines says so under its header.
func TestBook_R26_MarkingAndEmptyBook(t *testing.T) {
	b := sampleLoanBook(3)
	pages := formText(t, render(t, func(w *bytes.Buffer) error { return RenderBook(w, b, Options{Marking: "秘密★1年"}) }), false)
	if !strings.HasPrefix(strings.TrimSpace(pages[0]), "秘密★1年") || strings.Contains(pages[0], "机密★2036") {
		t.Errorf("confirmed marking not printed top-left:\n%.200s", pages[0])
	}
	b.Marking, b.Rows = "", nil
	pages = formText(t, render(t, func(w *bytes.Buffer) error { return RenderBook(w, b, Options{}) }), false)
	if len(pages) != 1 || !strings.HasPrefix(strings.TrimSpace(pages[0]), "某市发展和改革委员会借阅登记簿") {
		t.Fatalf("empty book: %q", pages)
	}
	mustContain(t, pages[0], "借阅登记簿", "（共 0 条）", "借阅单号", "本期间没有登记的事项。", "第 1 页 共 1 页")
}

// Long text in every cell wraps inside its column and continues on the next
// page under the header; nothing is lost or printed outside the page.
func TestBook_LongCellsStayInside(t *testing.T) {
	b := sampleLoanBook(30)
	long := strings.Repeat("借阅期间严格遵守保密规定，不得复制、摘抄、拍照，阅后及时归还。", 20)
	b.Rows[12][7] = long
	b.Rows[13][4] = strings.Repeat("关于印发《机关涉密载体管理办法（修订）》的通知及其附件汇编", 3)
	pdf := render(t, func(w *bytes.Buffer) error { return RenderBook(w, b, Options{}) })
	writeSample(t, "book-long", pdf)
	noOverflow(t, pdf)
	all := squeeze(strings.Join(formText(t, pdf, false), ""))
	if !strings.Contains(all, "借〔2026〕0030") {
		t.Error("the rows after the long one are lost")
	}
}

func TestBook_SameDataSameBytes(t *testing.T) {
	a := render(t, func(w *bytes.Buffer) error { return RenderBook(w, sampleLoanBook(25), Options{}) })
	b := render(t, func(w *bytes.Buffer) error { return RenderBook(w, sampleLoanBook(25), Options{}) })
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings of the same book differ")
	}
}
