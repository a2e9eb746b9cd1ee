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

func TestRegister_R12_EnterSavesAndLedgerShowsRow(t *testing.T) {
	fx := newFixture(t)
	fx.m.showRegister()
	fx.typeDoc("遂安府办发〔2026〕30号", "关于做好2026年度保密自查工作的通知", "遂安市人民政府办公室")
	pressEnter(fx.form().title)

	if got, want := fx.m.register.result.Text, "已登记 1 份：收〔2026〕0001"; !strings.HasPrefix(got, want) {
		t.Fatalf("result = %q, want prefix %q", got, want)
	}
	rows := fx.dataRows()
	if len(rows) != 1 {
		t.Fatalf("ledger rows = %v, want 1", rows)
	}
	want := []string{"收〔2026〕0001", "机密★20年", "关于做好2026年度保密自查工作的通知", "在库", "000001",
		"遂安府办发〔2026〕30号", "2026-11-23", "遂安市人民政府办公室", "纸质文件", operator}
	if strings.Join(rows[0], "|") != strings.Join(want, "|") {
		t.Errorf("row = %v\nwant  %v", rows[0], want)
	}
	if got := fx.m.ledger.total.Text; got != "共 1 件" {
		t.Errorf("total = %q, want 共 1 件", got)
	}
	if got := fx.m.statusCounts.Text; got != "在册 1 件 · 绝密 0 · 机密 1 · 秘密 0" {
		t.Errorf("status bar = %q", got)
	}
}

func TestRegister_R12_ButtonSaves(t *testing.T) {
	fx := newFixture(t)
	fx.m.showRegister()
	fx.typeDoc("遂安府办发〔2026〕31号", "关于召开年度工作会议的通知", "遂安市人民政府办公室")
	test.Tap(fx.m.register.saveBtn)
	if n := fx.count(app.HeldQuery()); n != 1 {
		t.Fatalf("held = %d, want 1", n)
	}
	if got := fx.m.ledger.cellText(0, colTitle); got != "关于召开年度工作会议的通知" {
		t.Errorf("ledger title = %q", got)
	}
}

func TestRegister_R12_BadDateSavesNothing(t *testing.T) {
	fx := newFixture(t)
	fx.m.showRegister()
	f := fx.form()
	f.regDate.SetText("")
	test.Type(f.regDate, "2026-02-30")
	fx.typeDoc("遂安府办发〔2026〕32号", "关于加强涉密载体管理的通知", "遂安市保密局")
	pressEnter(f.docNumber)

	want := "收文日期“2026-02-30”不是有效日期，请按 2026-03-05 的格式填写"
	if got := f.fieldError(models.FieldRegDate); got != want {
		t.Errorf("date message = %q, want %q", got, want)
	}
	d := fyne.CurrentApp().Driver()
	fieldPos, msgPos := d.AbsolutePositionForObject(f.regDate), d.AbsolutePositionForObject(f.errs[models.FieldRegDate])
	if msgPos.Y < fieldPos.Y+f.regDate.Size().Height || msgPos.Y > d.AbsolutePositionForObject(f.docNumber).Y {
		t.Errorf("date message at y=%v is not between the date field (y=%v) and 文号", msgPos.Y, fieldPos.Y)
	}
	if n := fx.count(app.Query{}); n != 0 {
		t.Errorf("count = %d after a bad date, want 0", n)
	}
	if fx.m.register.result.Visible() {
		t.Errorf("success line shown: %q", fx.m.register.result.Text)
	}
	if got := f.title.Text; got != "关于加强涉密载体管理的通知" {
		t.Errorf("title cleared after a failed save: %q", got)
	}
	// Changing another field leaves the message; changing the date takes it
	// away, since it may no longer be true.
	test.Type(f.title, "。")
	if f.fieldError(models.FieldRegDate) == "" {
		t.Error("typing in 题名 cleared the date's message")
	}
	f.regDate.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
	if got := f.fieldError(models.FieldRegDate); got != "" {
		t.Errorf("the date changed, its message stays: %q", got)
	}
}

func TestRegister_R12_LevelRequiredWithoutDefault(t *testing.T) {
	fx := newFixture(t)
	f := fx.form()
	if f.level.Selected != "" {
		t.Fatalf("level preselected: %q", f.level.Selected)
	}
	test.Type(f.title, "关于印发保密工作要点的通知")
	test.Type(f.issuer, "遂安市保密局")
	pressEnter(f.title)
	if got := f.fieldError(models.FieldLevel); got != "请选择密级（秘密、机密或绝密）" {
		t.Errorf("level message = %q", got)
	}
	if n := fx.count(app.Query{}); n != 0 {
		t.Errorf("count = %d, want 0", n)
	}
}

func TestRegister_R12_ThreeCopiesMakeThreeRows(t *testing.T) {
	fx := newFixture(t)
	f := fx.form()
	fx.typeDoc("遂安府办发〔2026〕33号", "关于做好年终保密检查的通知", "遂安市人民政府办公室")
	f.copies.SetText("")
	test.Type(f.copies, "3")
	pressEnter(f.copies)

	if got, want := fx.m.register.result.Text, "已登记 3 份：收〔2026〕0001 至 收〔2026〕0003"; !strings.HasPrefix(got, want) {
		t.Errorf("result = %q, want prefix %q", got, want)
	}
	rows := fx.dataRows()
	if len(rows) != 3 {
		t.Fatalf("rows = %v, want 3", rows)
	}
	// Newest first: the copy numbers count down.
	for i, want := range []string{"000003", "000002", "000001"} {
		if rows[i][colCopy] != want {
			t.Errorf("row %d copy no = %q, want %q", i, rows[i][colCopy], want)
		}
	}
	if got := fx.m.ledger.total.Text; got != "共 3 件" {
		t.Errorf("total = %q", got)
	}
}

func TestRegister_R12_DuplicateCopyShownUnderCopyNo(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕34号", "关于保密教育培训的通知", "遂安市人民政府办公室")
	fx.typeDoc("遂安府办发〔2026〕34号", "关于保密教育培训的通知", "")
	pressEnter(fx.form().title)

	got := fx.form().fieldError(models.FieldCopyNo)
	if !strings.Contains(got, "份号 000001 已经登记过") || !strings.Contains(got, "收〔2026〕0001") {
		t.Errorf("copy no message = %q", got)
	}
	if n := fx.count(app.Query{}); n != 1 {
		t.Errorf("count = %d, want 1", n)
	}
}

func TestRegister_R12_KeepsSharedFieldsClearsTheRest(t *testing.T) {
	fx := newFixture(t)
	f := fx.form()
	f.kind.SetSelected(string(models.KindDisc))
	test.Type(f.location, "机要室3号柜")
	fx.register("遂安府办发〔2026〕35号", "关于报送保密自查报告的通知", "遂安市保密局")

	keep := map[string]string{"收发类别": f.direction.Selected, "收文日期": f.regDate.Text, "来文单位": f.issuer.Text,
		"载体类型": f.kind.Selected, "密级": f.level.Selected, "责任人": f.custodian.Text}
	want := map[string]string{"收发类别": "收文", "收文日期": "2026-11-23", "来文单位": "遂安市保密局",
		"载体类型": "光盘", "密级": "机密", "责任人": operator}
	for k, v := range want {
		if keep[k] != v {
			t.Errorf("%s = %q after save, want %q kept", k, keep[k], v)
		}
	}
	for name, got := range map[string]string{"文号": f.docNumber.Text, "题名": f.title.Text, "文种": f.docKind.Text,
		"页数": f.pages.Text, "存放位置": f.location.Text} {
		if got != "" {
			t.Errorf("%s = %q after save, want it cleared", name, got)
		}
	}
	if f.copies.Text != "1" || f.copyNo.Text != "1" {
		t.Errorf("copies/copy no = %q/%q, want 1/1", f.copies.Text, f.copyNo.Text)
	}
	if got := fx.w.Canvas().Focused(); got != f.docNumber {
		t.Errorf("focus after save on %T, want 文号", got)
	}
	// The next document needs only what differs.
	test.Type(f.docNumber, "遂安府办发〔2026〕36号")
	test.Type(f.title, "关于开展保密宣传月活动的通知")
	pressEnter(f.title)
	if n := fx.count(app.Query{Issuer: "遂安市保密局", Kinds: []models.CarrierKind{models.KindDisc}}); n != 2 {
		t.Errorf("second save with kept fields: %d carriers, want 2; form error %q", n, f.formErr.Text)
	}
}

func TestRegister_R15_MarkingFollowsTermAndLimitsShowUnderTerm(t *testing.T) {
	fx := newFixture(t)
	f := fx.form()
	if !f.termValue.Disabled() {
		t.Error("term value enabled for the statutory term")
	}
	f.level.SetSelected("机密")
	if got := f.marking.Text; got != "标志：机密★20年" {
		t.Errorf("marking = %q", got)
	}
	f.termKind.SetSelected(termChoiceYears)
	if f.termValue.Disabled() {
		t.Fatal("term value disabled for 年限")
	}
	test.Type(f.termValue, "10")
	if got := f.marking.Text; got != "标志：机密★10年" {
		t.Errorf("marking = %q", got)
	}
	f.termKind.SetSelected(termChoiceUntil)
	test.Type(f.termValue, "2030-06-30")
	if got := f.marking.Text; got != "标志：机密★2030年6月30日" {
		t.Errorf("marking = %q", got)
	}

	f.termKind.SetSelected(termChoiceYears)
	test.Type(f.termValue, "25")
	test.Type(f.title, "关于保密期限的通知")
	test.Type(f.issuer, "遂安市保密局")
	pressEnter(f.termValue)
	if got := f.fieldError(models.FieldTerm); !strings.Contains(got, "最长 20 年") {
		t.Errorf("term message = %q", got)
	}
	if n := fx.count(app.Query{}); n != 0 {
		t.Errorf("count = %d, want 0", n)
	}
}

func TestRegister_R12_TabOrderFollowsFields(t *testing.T) {
	fx := newFixture(t)
	fx.m.showRegister()
	f := fx.form()
	var want []fyne.Focusable
	for _, w := range f.focusOrder() {
		if d, ok := w.(fyne.Disableable); !ok || !d.Disabled() {
			want = append(want, w)
		}
	}
	c := fx.w.Canvas()
	c.Focus(want[0])
	for i := 1; i < len(want); i++ {
		test.FocusNext(c)
		if got := c.Focused(); got != want[i] {
			t.Fatalf("Tab from field %d goes to %T, want field %d (R12 order)", i-1, got, i)
		}
	}
	f.termKind.SetSelected(termChoiceYears)
	c.Focus(f.termKind)
	test.FocusNext(c)
	if c.Focused() != f.termValue {
		t.Errorf("with 年限 chosen, Tab from 保密期限 goes to %T, want the value entry", c.Focused())
	}
}

func TestRegister_ChoiceEntryOffersMatchingIssuers(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕20号", "关于保密工作的通知", "遂安市人民政府办公室")
	fx.register("遂保发〔2026〕2号", "关于保密检查的通知", "遂安市保密局")
	f := fx.form()
	if got := strings.Join(f.issuer.options, "|"); got != "遂安市人民政府办公室|遂安市保密局" {
		t.Fatalf("issuer options = %q", got)
	}
	f.issuer.SetText("")
	test.Type(f.issuer, "保密")
	if got := strings.Join(f.issuer.choices(), "|"); got != "遂安市保密局" {
		t.Errorf("choices for 保密 = %q", got)
	}
	f.issuer.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	top := fx.w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("Down opens no list")
	}
	var item fyne.Tappable
	walk(top, func(o fyne.CanvasObject) { // the deepest tappable showing the name is its menu item
		if tp, ok := o.(fyne.Tappable); ok && contains(texts(o), "遂安市保密局") {
			item = tp
		}
	})
	if item == nil {
		t.Fatal("no list item 遂安市保密局")
	}
	test.Tap(item)
	if f.issuer.Text != "遂安市保密局" {
		t.Errorf("picked issuer = %q", f.issuer.Text)
	}
	if fx.w.Canvas().Focused() != f.issuer {
		t.Errorf("focus after picking is on %T, want 来文单位", fx.w.Canvas().Focused())
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

func TestEdit_R14_ChangesFieldAndHistoryShowsOldToNew(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕70号", "关于做好保密自查工作的通知", "遂安市人民政府办公室")
	fx.m.showLedger()
	fx.selectRow(0)
	d := fx.m.detail
	if got := d.value("题名"); got != "关于做好保密自查工作的通知" {
		t.Fatalf("detail title = %q", got)
	}
	if got := d.value("份号"); got != "000001" {
		t.Errorf("detail copy no = %q", got)
	}
	if got := d.value("密级★期限"); got != "机密★20年" {
		t.Errorf("detail mark = %q", got)
	}
	if len(d.lines) != 1 || !strings.HasPrefix(d.lines[0], fixedNow.Format(historyTimeLayout)+"  王敏  登记") {
		t.Errorf("history = %q", d.lines)
	}

	test.Tap(d.edit)
	e := d.editing
	if e == nil || e.form.title.Text != "关于做好保密自查工作的通知" || e.form.level.Selected != "机密" {
		t.Fatal("edit dialog not prefilled")
	}
	e.form.title.SetText("")
	test.Type(e.form.title, "关于做好2026年度保密自查工作的通知")
	test.Type(e.reason, "题名漏了年份")
	test.Tap(e.save)

	if d.editing != nil {
		t.Fatalf("dialog still open: %q", e.form.formErr.Text)
	}
	if got := d.value("题名"); got != "关于做好2026年度保密自查工作的通知" {
		t.Errorf("detail title after edit = %q", got)
	}
	last := d.lines[len(d.lines)-1]
	want := "王敏  修改  题名：关于做好保密自查工作的通知 → 关于做好2026年度保密自查工作的通知  原因：题名漏了年份"
	if !strings.HasSuffix(last, want) {
		t.Errorf("history line = %q, want suffix %q", last, want)
	}
	if got := fx.m.ledger.cellText(0, colTitle); got != "关于做好2026年度保密自查工作的通知" {
		t.Errorf("ledger title after edit = %q", got)
	}
	if !strings.Contains(strings.Join(texts(d.content), "\n"), want) {
		t.Error("history line not on screen")
	}
}

func TestEdit_BadFieldShownInDialog(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕71号", "关于保密工作的通知", "遂安市人民政府办公室")
	fx.m.showLedger()
	fx.selectRow(0)
	test.Tap(fx.m.detail.edit)
	e := fx.m.detail.editing
	e.form.title.SetText("")
	pressEnter(e.form.docNumber)
	if got := e.form.fieldError(models.FieldTitle); got != "请填写题名（文件标题）" {
		t.Errorf("title message = %q", got)
	}
	if fx.m.detail.editing == nil {
		t.Error("dialog closed on a bad field")
	}
	c, _ := fx.svc.Get(fx.sess, fx.m.detail.carrier.ID)
	if c.Title != "关于保密工作的通知" || c.Version != 1 {
		t.Errorf("carrier changed: %q v%d", c.Title, c.Version)
	}
}

func TestEdit_StaleVersionShowsMessage(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕72号", "关于保密工作的通知", "遂安市人民政府办公室")
	fx.m.showLedger()
	fx.selectRow(0)
	test.Tap(fx.m.detail.edit)
	e := fx.m.detail.editing

	// Someone else saves first.
	c := fx.m.detail.carrier
	other := app.FormOf(c)
	other.Location = "机要室1号柜"
	if _, err := fx.svc.Edit(fx.otherClerk("李强"), c.ID, c.Version, other, ""); err != nil {
		t.Fatal(err)
	}
	test.Type(e.form.pages, "8")
	test.Tap(e.save)
	if got := e.form.formErr.Text; got != "该记录已被他人修改，请关闭后重新打开" {
		t.Errorf("stale message = %q", got)
	}
}

func TestVoid_R14_ShortReasonShowsDomainMessage(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕80号", "关于保密工作的通知", "遂安市人民政府办公室")
	fx.m.showLedger()
	fx.selectRow(0)
	test.Tap(fx.m.detail.void)
	v := fx.m.detail.voiding
	test.Type(v.reason, "错")
	test.Tap(v.confirm)
	if got := v.msg.Text; !strings.HasPrefix(got, "请写明作废原因（至少 4 个字）") || !v.msg.Visible() {
		t.Errorf("reason message = %q", got)
	}
	if n := fx.count(app.HeldQuery()); n != 1 {
		t.Errorf("held = %d, want 1", n)
	}
}

func TestVoid_R14_GoodReasonLeavesHeldViewButStaysUnderAll(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕81号", "关于保密工作的通知", "遂安市人民政府办公室")
	fx.register("遂安府办发〔2026〕82号", "关于保密检查的通知", "遂安市人民政府办公室")
	fx.m.showLedger()
	fx.selectRow(0) // the newest: 82号
	test.Tap(fx.m.detail.void)
	v := fx.m.detail.voiding
	test.Type(v.reason, "文号登记错误，应为83号")
	pressEnter(v.reason)

	if fx.m.detail.voiding != nil {
		t.Fatalf("dialog still open: %q", v.msg.Text)
	}
	l := fx.m.ledger
	if got := l.total.Text; got != "共 1 件" {
		t.Errorf("held view after void: %q", got)
	}
	for _, r := range fx.dataRows() {
		if r[colDoc] == "遂安府办发〔2026〕82号" {
			t.Errorf("voided row still in 在册 view: %v", r)
		}
	}
	if got := fx.m.detail.value("状态"); got != "已作废" {
		t.Errorf("detail state = %q", got)
	}
	if got := fx.m.detail.value("作废原因"); got != "文号登记错误，应为83号" {
		t.Errorf("detail void reason = %q", got)
	}
	if !fx.m.detail.void.Disabled() || !fx.m.detail.edit.Disabled() {
		t.Error("void/edit still offered for a voided carrier")
	}
	if got := fx.m.statusCounts.Text; !strings.HasPrefix(got, "在册 1 件") {
		t.Errorf("status bar = %q", got)
	}

	l.state.SetSelected(filterAll)
	rows := fx.dataRows()
	if len(rows) != 2 || rows[0][colDoc] != "遂安府办发〔2026〕82号" || rows[0][colState] != "已作废" {
		t.Errorf("全部 view = %v", rows)
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

// Reached by the keyboard, a pre-filled field is replaced by what is typed,
// not prepended to: 份数 1 then 3 is 3, not 31; 责任人 is the name typed.
func TestRegister_TypingIntoAPrefilledFieldReplacesIt(t *testing.T) {
	fx := newFixture(t)
	fx.m.showRegister()
	f := fx.form()
	c := fx.w.Canvas()
	if f.copies.Text != "1" || f.custodian.Text != operator {
		t.Fatalf("pre-filled 份数 %q, 责任人 %q", f.copies.Text, f.custodian.Text)
	}
	c.Focus(f.pages)
	test.FocusNext(c) // Tab, as the clerk would, from 页数 …
	for c.Focused() != f.copies {
		test.FocusNext(c)
	}
	test.Type(f.copies, "3")
	if f.copies.Text != "3" {
		t.Errorf("份数 after typing 3 = %q, want 3", f.copies.Text)
	}
	c.Focus(f.custodian)
	test.Type(f.custodian, "李娜")
	if f.custodian.Text != "李娜" {
		t.Errorf("责任人 after typing 李娜 = %q", f.custodian.Text)
	}
	// Typing on in a field already entered goes on after what was typed.
	test.Type(f.custodian, "娜")
	if f.custodian.Text != "李娜娜" {
		t.Errorf("责任人 typed on = %q, want 李娜娜", f.custodian.Text)
	}
}

// A 份数 above copiesToConfirm is saved only after the clerk confirms the
// number; 返回修改 saves nothing and selects the number to retype.
func TestRegister_ManyCopiesAskFirst(t *testing.T) {
	fx := newFixture(t)
	fx.m.showRegister()
	f := fx.form()
	fx.typeDoc("遂安府办发〔2026〕34号", "关于印发应急预案的通知", "遂安市人民政府办公室")
	f.copies.SetText("31")
	pressEnter(f.copies)
	if got := fx.topDialogText(); !strings.Contains(got, "份数为 31") {
		t.Fatalf("no question before 31 copies; dialog %q", got)
	}
	if n := fx.count(app.Query{}); n != 0 {
		t.Fatalf("%d carriers registered before the answer", n)
	}
	fx.tapButton("返回修改")
	if n := fx.count(app.Query{}); n != 0 || fx.w.Canvas().Focused() != f.copies {
		t.Fatalf("返回修改: %d registered, focus on %T", n, fx.w.Canvas().Focused())
	}
	test.Type(f.copies, "3") // replaces the selected 31
	if f.copies.Text != "3" {
		t.Fatalf("份数 retyped = %q", f.copies.Text)
	}
	f.copies.SetText("12")
	pressEnter(f.copies)
	fx.tapButton("确认登记 12 份")
	if n := fx.count(app.Query{}); n != 12 {
		t.Errorf("after confirming: %d carriers, want 12", n)
	}
	// Ten or fewer are saved at once.
	fx.typeDoc("遂安府办发〔2026〕35号", "关于值班安排的通知", "")
	f.copies.SetText("10")
	pressEnter(f.copies)
	if fx.topDialogText() != "" {
		t.Errorf("10 copies asked: %q", fx.topDialogText())
	}
	if n := fx.count(app.Query{}); n != 22 {
		t.Errorf("after 10 more: %d carriers, want 22", n)
	}
}

// A 责任人 the register doesn't know is saved only once confirmed as a new
// person: a typo can't make a new custodian who then shows as overdue.
func TestRegister_NewCustodianAsksFirst(t *testing.T) {
	fx := newFixture(t)
	fx.m.showRegister()
	f := fx.form()
	if !contains(f.custodian.options, operator) {
		t.Fatalf("责任人 offers %q, not the signed-in clerk", f.custodian.options)
	}
	fx.typeDoc("遂安府办发〔2026〕36号", "关于年终总结的通知", "遂安市人民政府办公室")
	fx.w.Canvas().Focus(f.custodian)
	test.Type(f.custodian, "王敏敏") // a slip of the hand
	pressEnter(f.title)
	if got := fx.topDialogText(); !strings.Contains(got, "还没有责任人“王敏敏”") {
		t.Fatalf("no question for a new custodian; dialog %q", got)
	}
	fx.key(fyne.KeyEscape) // 返回修改
	if n := fx.count(app.Query{}); n != 0 || fx.w.Canvas().Focused() != f.custodian {
		t.Fatalf("返回修改: %d registered, focus on %T", n, fx.w.Canvas().Focused())
	}
	test.Type(f.custodian, "李红") // really someone new
	pressEnter(f.title)
	fx.tapButton("是新的责任人")
	if n := fx.count(app.Query{}); n != 1 {
		t.Fatalf("confirmed new custodian: %d registered", n)
	}
	// Known now: the next registration for 李红 asks nothing.
	fx.typeDoc("遂安府办发〔2026〕37号", "关于值班的通知", "")
	pressEnter(f.title)
	if fx.topDialogText() != "" || fx.count(app.Query{}) != 2 {
		t.Errorf("a known custodian asked again: %q", fx.topDialogText())
	}
	if !contains(f.custodian.options, "李红") {
		t.Errorf("李红 not offered after saving: %q", f.custodian.options)
	}
}

// A correction of a three-copy registration goes to all three copies in one
// act when 同时修改全部 is ticked (the default); untick it and only the copy
// opened changes.
func TestEdit_AllCopiesOfARegistrationInOneAct(t *testing.T) {
	fx := newFixture(t)
	fx.m.showRegister()
	f := fx.form()
	fx.typeDoc("遂安府办发〔2026〕71号", "关于做好保密检查的同志", "遂安市人民政府办公室")
	f.copies.SetText("3")
	pressEnter(f.title)
	fx.m.showLedger()
	d := fx.openDetailOf("000002")
	test.Tap(d.edit)
	e := d.editing
	if !e.all.Visible() || !e.all.Checked || !strings.Contains(e.all.Text, "全部 3 份") {
		t.Fatalf("the all-copies choice: visible %v checked %v %q", e.all.Visible(), e.all.Checked, e.all.Text)
	}
	e.form.title.SetText("关于做好保密检查的通知")
	test.Tap(e.save)
	for _, r := range fx.dataRows() {
		if r[colTitle] != "关于做好保密检查的通知" {
			t.Errorf("copy %s still titled %q", r[colCopy], r[colTitle])
		}
	}
	d = fx.openDetailOf("000003")
	test.Tap(d.edit)
	e = d.editing
	e.all.SetChecked(false)
	e.form.remarks.SetText("仅第三份")
	test.Tap(e.save)
	for _, r := range fx.dataRows() {
		c, _ := fx.svc.GetByRegNo(fx.sess, r[0])
		if (c.Remarks == "仅第三份") != (c.CopyNo == 3) {
			t.Errorf("份号 %d: remarks %q", c.CopyNo, c.Remarks)
		}
	}
}
