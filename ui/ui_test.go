package ui

import (
	"bytes"
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/assets"
	"secdoc/models"
)

func TestTheme_R11_EmbeddedFontForEveryStyle(t *testing.T) {
	th := NewTheme()
	for _, style := range []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Bold: true, Italic: true}, {Monospace: true}} {
		f := th.Font(style)
		if f == nil || !bytes.Equal(f.Content(), assets.Font) {
			t.Errorf("Font(%+v) is not the embedded font", style)
		}
	}
	light := theme.DefaultTheme().Color(theme.ColorNameBackground, theme.VariantLight)
	if got := th.Color(theme.ColorNameBackground, theme.VariantDark); got != light {
		t.Errorf("background in dark variant = %v, want the light %v", got, light)
	}
}

func TestLedger_SearchFindsTwoAndFourCharacterTerms(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕40号", "关于做好保密自查工作的通知", "遂安市人民政府办公室")
	fx.register("遂安府办发〔2026〕41号", "关于召开年度工作会议的通知", "遂安市人民政府办公室")
	fx.register("遂委办发〔2026〕5号", "涉密载体清退工作方案", "中共遂安市委办公室")

	for _, tc := range []struct {
		term  string
		want  []string
		total string
	}{
		{"保密", []string{"关于做好保密自查工作的通知"}, "共 1 件"},
		{"保密自查", []string{"关于做好保密自查工作的通知"}, "共 1 件"},
		{"会议", []string{"关于召开年度工作会议的通知"}, "共 1 件"},
		{"通知", []string{"关于召开年度工作会议的通知", "关于做好保密自查工作的通知"}, "共 2 件"},
		{"委办", []string{"涉密载体清退工作方案"}, "共 1 件"},
		{"遂安市委", []string{"涉密载体清退工作方案"}, "共 1 件"},
		{"收〔2026〕0002", []string{"关于召开年度工作会议的通知"}, "共 1 件"},
		{"没有这个词", nil, "共 0 件"},
	} {
		fx.search(tc.term)
		var titles []string
		for _, r := range fx.dataRows() {
			titles = append(titles, r[colTitle])
		}
		if strings.Join(titles, "|") != strings.Join(tc.want, "|") {
			t.Errorf("search %q shows %v, want %v", tc.term, titles, tc.want)
		}
		if got := fx.m.ledger.total.Text; got != tc.total {
			t.Errorf("search %q: %q, want %q", tc.term, got, tc.total)
		}
	}
	fx.search("")
	if got := len(fx.dataRows()); got != 3 {
		t.Errorf("empty search shows %d rows, want 3", got)
	}
}

func TestLedger_EnterSearchesAtOnce(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕42号", "关于做好保密自查工作的通知", "遂安市人民政府办公室")
	fx.register("遂安府办发〔2026〕43号", "关于召开年度工作会议的通知", "遂安市人民政府办公室")
	fx.m.env.delay = 1e12 // typing alone would wait "forever"
	fx.search("会议")
	if got := fx.m.ledger.total.Text; got != "共 2 件" {
		t.Fatalf("search ran before the pause: %q", got)
	}
	pressEnter(fx.m.ledger.keyword)
	if got := fx.m.ledger.total.Text; got != "共 1 件" {
		t.Errorf("after Enter: %q, want 共 1 件", got)
	}
}

func TestLedger_HeaderTapSortsAndFlips(t *testing.T) {
	fx := newFixture(t)
	fx.register("B〔2026〕1号", "乙文件", "遂安市保密局")
	fx.register("A〔2026〕1号", "甲文件", "遂安市保密局")
	fx.register("C〔2026〕1号", "丙文件", "遂安市保密局")

	header := func() []string { return fx.rows()[0] }
	if got := header()[0]; got != "登记号 ▼" {
		t.Errorf("default header = %q, want 登记号 ▼", got)
	}
	docNumbers := func() string {
		var out []string
		for _, r := range fx.dataRows() {
			out = append(out, r[colDoc])
		}
		return strings.Join(out, " ")
	}
	if got := docNumbers(); got != "C〔2026〕1号 A〔2026〕1号 B〔2026〕1号" {
		t.Errorf("default order = %s", got)
	}
	tapHeader := func(title string) {
		t.Helper()
		var hit bool
		walk(fx.m.ledger.table, func(o fyne.CanvasObject) {
			if b, ok := o.(*widget.Button); ok && !hit && strings.HasPrefix(b.Text, title) {
				test.Tap(b)
				hit = true
			}
		})
		if !hit {
			t.Fatalf("no header %q", title)
		}
	}
	tapHeader("文号")
	if got := header()[colDoc]; got != "文号 ▲" {
		t.Errorf("header = %q, want 文号 ▲", got)
	}
	if got := docNumbers(); got != "A〔2026〕1号 B〔2026〕1号 C〔2026〕1号" {
		t.Errorf("sorted by 文号 = %s", got)
	}
	tapHeader("文号")
	if got := header()[colDoc]; got != "文号 ▼" {
		t.Errorf("header = %q, want 文号 ▼", got)
	}
	if got := docNumbers(); got != "C〔2026〕1号 B〔2026〕1号 A〔2026〕1号" {
		t.Errorf("sorted by 文号 descending = %s", got)
	}
	if got := header()[0]; got != "登记号" {
		t.Errorf("登记号 header keeps its arrow: %q", got)
	}
}

func TestLedger_FiltersByLevelAndState(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕50号", "机密文件一", "遂安市保密局")
	f := fx.form()
	f.level.SetSelected("秘密")
	test.Type(f.docNumber, "遂安府办发〔2026〕51号")
	test.Type(f.title, "秘密文件二")
	pressEnter(f.title)

	l := fx.m.ledger
	fx.m.showLedger()
	l.level.SetSelected("秘密")
	if got := l.total.Text; got != "共 1 件" {
		t.Errorf("秘密 filter: %q", got)
	}
	if got := fx.dataRows()[0][colTitle]; got != "秘密文件二" {
		t.Errorf("秘密 filter shows %q", got)
	}
	l.level.SetSelected(filterAll)
	l.year.SetSelected("2026")
	if got := l.total.Text; got != "共 2 件" {
		t.Errorf("year 2026: %q", got)
	}
	if !contains(l.year.Options, "2026") || !contains(l.issuer.options, "遂安市保密局") {
		t.Errorf("lookups not offered: years %v issuers %v", l.year.Options, l.issuer.options)
	}
	l.state.SetSelected(models.StateVoided.String())
	if got := l.total.Text; got != "共 0 件" {
		t.Errorf("已作废 filter: %q", got)
	}
	test.Tap(findButton(t, l.content, "重置"))
	if l.state.Selected != filterHeld || l.year.Selected != filterAll || l.total.Text != "共 2 件" {
		t.Errorf("reset: state %q year %q total %q", l.state.Selected, l.year.Selected, l.total.Text)
	}
}

// pageSpy records how the ledger reads rows.
type pageSpy struct {
	Service
	calls []string
}

func (s *pageSpy) Page(sess *app.Session, q app.Query, offset, limit int) ([]models.Carrier, error) {
	s.calls = append(s.calls, fmt.Sprintf("%d+%d", offset, limit))
	return s.Service.Page(sess, q, offset, limit)
}

func TestLedger_ReadsPagesNeverAllRows(t *testing.T) {
	var spy *pageSpy
	fx := newFixtureWith(t, func(s *app.Service) Service { spy = &pageSpy{Service: s}; return spy })
	f := validForm("遂安府办发〔2026〕60号", "关于分发学习材料的通知")
	f.Copies = "950"
	if _, err := fx.svc.Register(fx.sess, f); err != nil {
		t.Fatal(err)
	}
	l := fx.m.ledger
	l.maxPages = 3
	l.reload()
	if l.count != 950 || l.total.Text != "共 950 件" {
		t.Fatalf("count %d, total %q", l.count, l.total.Text)
	}
	if rows, _ := l.length(); rows != 950 {
		t.Errorf("table length = %d, want 950", rows)
	}
	// Newest first: row 0 is copy 950, row 949 is copy 1.
	if got := l.cellText(0, colCopy); got != "000950" {
		t.Errorf("row 0 copy = %q", got)
	}
	if got := l.cellText(949, colCopy); got != "000001" {
		t.Errorf("row 949 copy = %q", got)
	}
	for _, r := range []int{420, 610, 230, 10} {
		if got, want := l.cellText(r, colCopy), models.FormatCopyNo(950-r); got != want {
			t.Errorf("row %d copy = %q, want %q", r, got, want)
		}
	}
	if len(l.pages) > 3 {
		t.Errorf("%d pages cached, want at most 3", len(l.pages))
	}
	fx.m.showLedger()
	l.table.ScrollToBottom()
	if got := fx.dataRows(); len(got) == 0 || got[len(got)-1][colCopy] != "000001" {
		t.Errorf("bottom of the table does not show copy 000001")
	}
	for _, c := range spy.calls {
		if !strings.HasSuffix(c, fmt.Sprintf("+%d", pageSize)) {
			t.Errorf("page read %s, want pages of %d", c, pageSize)
		}
	}
	if !contains(spy.calls, "800+200") || !contains(spy.calls, "400+200") {
		t.Errorf("page reads %v", spy.calls)
	}
}

// A keyword of more matches than first counted lists the newest and says
// so; scrolling to the end of them counts on, until every match is listed.
func TestLedger_KeywordCountsOnWhenScrolledToTheEnd(t *testing.T) {
	defer func(v int) { keywordFirstCount = v }(keywordFirstCount)
	keywordFirstCount = 250
	fx := newFixture(t)
	for _, no := range []string{"61", "62", "63"} {
		f := validForm("遂安府办发〔2026〕"+no+"号", "关于分发学习材料的通知")
		f.Copies = "700"
		if _, err := fx.svc.Register(fx.sess, f); err != nil {
			t.Fatal(err)
		}
	}
	fx.search("学习材料")
	l := fx.m.ledger
	l.reload()
	if l.count != 250 || !l.more || !strings.Contains(l.total.Text, "超过 250 件（已列出最新 250 件，滚动到底继续列出") {
		t.Fatalf("count %d, more %v, %q", l.count, l.more, l.total.Text)
	}
	if got := l.cellText(0, colCopy); got != "000700" {
		t.Fatalf("row 0 copy = %q", got)
	}
	l.cellText(249, colCopy) // the last counted row: counts on
	if l.count != 1250 || !l.more {
		t.Fatalf("after the end: count %d, more %v", l.count, l.more)
	}
	l.cellText(1249, colCopy)
	if l.count != 2100 || l.more || l.total.Text != "共 2,100 件" {
		t.Fatalf("after the second end: count %d, more %v, %q", l.count, l.more, l.total.Text)
	}
	if got := l.cellText(2099, colCopy); got != "000001" {
		t.Fatalf("last row copy = %q", got)
	}
}

// failingService breaks one use case the way a disk or driver can.
type failingService struct{ Service }

var errDriver = errors.New(`insert carrier 收〔2026〕0001: SQL logic error: near "INSERT INTO carriers": /var/lib/secdoc/secdoc.db is locked`)

func (failingService) Register(*app.Session, models.CarrierForm) ([]models.Carrier, error) {
	return nil, errDriver
}

func TestErrors_UnexpectedIsLoggedAndShownShort(t *testing.T) {
	var logged bytes.Buffer
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	fx := newFixtureWith(t, func(s *app.Service) Service { return failingService{s} })
	fx.typeDoc("遂安府办发〔2026〕90号", "关于保密工作的通知", "遂安市人民政府办公室")
	pressEnter(fx.form().title)

	if !strings.Contains(logged.String(), errDriver.Error()) {
		t.Errorf("log = %q, want the full error", logged.String())
	}
	shown := fx.topDialogText()
	if !strings.Contains(shown, "保存登记时出错") {
		t.Errorf("dialog = %q", shown)
	}
	for _, leak := range []string{"SQL", "INSERT", "/var/lib", "secdoc.db"} {
		if strings.Contains(shown, leak) {
			t.Errorf("dialog shows %q: %q", leak, shown)
		}
	}
	if fx.form().title.Text == "" {
		t.Error("form cleared although nothing was saved")
	}
}

func TestHome_CountsAndButtons(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕91号", "关于保密工作的通知", "遂安市人民政府办公室")
	fx.m.tabs.Select(fx.m.homeTab)
	h := fx.m.home
	if h.held.value.Text != "1" || h.levels[models.LevelSecret].value.Text != "1" ||
		!strings.Contains(h.byState.Text, "在库  1 件") || h.registered.value.Text != "1" {
		t.Errorf("home: %q %q %q %q", h.held.value.Text, h.levels[models.LevelSecret].value.Text,
			h.byState.Text, h.registered.value.Text)
	}
	test.Tap(findButton(t, h.content, "登记新文件"))
	if fx.m.tabs.Selected() != fx.m.registerTab || fx.w.Canvas().Focused() != fx.form().docNumber {
		t.Error("登记新文件 does not open the form ready for 文号")
	}
	fx.m.tabs.Select(fx.m.homeTab)
	test.Tap(findButton(t, h.content, "打开台账"))
	if fx.m.tabs.Selected() != fx.m.ledgerTab {
		t.Error("打开台账 does not open the ledger")
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 12: "12", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func findButton(t *testing.T, root fyne.CanvasObject, text string) fyne.Tappable {
	t.Helper()
	var found fyne.Tappable
	walk(root, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && found == nil && b.Text == text {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}

func TestForm_MessagesOfNoShownFieldGoToTheTop(t *testing.T) {
	test.NewTempApp(t)
	f := newCarrierForm(nil)
	f.showErrors(&models.ValidationError{Fields: []models.FieldError{
		{Field: "", Msg: "该载体已销毁，登记信息不能再修改"},
		{Field: models.FieldTermUntil, Msg: "解密日期必须晚于收文日期"},
		{Field: models.FieldTitle, Msg: "请填写题名（文件标题）"},
		{Field: "Unknown", Msg: "另一条"},
	}})
	if got := f.formErr.Text; got != "该载体已销毁，登记信息不能再修改；另一条" || !f.formErr.Visible() {
		t.Errorf("top message = %q", got)
	}
	if got := f.fieldError(models.FieldTerm); got != "解密日期必须晚于收文日期" {
		t.Errorf("term message = %q", got)
	}
	if got := f.fieldError(models.FieldTitle); got != "请填写题名（文件标题）" {
		t.Errorf("title message = %q", got)
	}
	f.clearErrors()
	if f.formErr.Visible() || f.fieldError(models.FieldTitle) != "" {
		t.Error("messages not cleared")
	}
}

// The table has the whole width until a row is chosen; the detail pane then
// opens beside it and its 关闭 button gives the width back.
func TestLedger_DetailPaneOpensOnSelectionAndCloses(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕30号", "关于做好保密自查工作的通知", "遂安市人民政府办公室")
	fx.m.showLedger()
	l := fx.m.ledger
	if l.detailShown || l.body.Objects[0] != l.left {
		t.Fatal("detail pane shown before any selection")
	}
	fx.selectRow(0)
	if !l.detailShown || l.body.Objects[0] != l.split {
		t.Fatal("selecting a row did not open the detail pane")
	}
	if got := fx.m.detail.value("题名"); got != "关于做好保密自查工作的通知" {
		t.Fatalf("detail shows %q", got)
	}
	var closeBtn *widget.Button
	walk(fx.m.detail.content, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "关闭" {
			closeBtn = b
		}
	})
	if closeBtn == nil {
		t.Fatal("no 关闭 button in the detail pane")
	}
	test.Tap(closeBtn)
	if l.detailShown || l.body.Objects[0] != l.left {
		t.Fatal("关闭 did not give the table its width back")
	}
}
