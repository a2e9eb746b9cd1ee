package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

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
	want := []string{"收〔2026〕0001", "机密", "关于做好2026年度保密自查工作的通知", "在库", "000001",
		"遂安府办发〔2026〕30号", "2026-11-23", "", "遂安市人民政府办公室", "纸质文件", operator}
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
	if got := f.fieldError(models.FieldLevel); got != "请选择密级（绝密、机密、秘密、内部或非密）" {
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
	if f.copies.Text != "1" || f.copyNo.Text != "" {
		t.Errorf("copies/copy no = %q/%q, want 1 and blank", f.copies.Text, f.copyNo.Text)
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
	if got := f.marking.Text; got != "标志：机密" {
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
	if got := d.value("密级★期限"); got != "机密" {
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

// A field's list opens under it, or above it near the window's foot: it
// never covers what is typed.
func TestChoices_NeverCoverTheField(t *testing.T) {
	field := fyne.NewSize(300, 36)
	if got := choicesAt(fyne.NewPos(10, 100), field, 200, 668); got != fyne.NewPos(10, 136) {
		t.Errorf("room below: %v", got)
	}
	if got := choicesAt(fyne.NewPos(10, 560), field, 200, 668); got != fyne.NewPos(10, 360) {
		t.Errorf("near the foot: %v, want above the field", got)
	}
}

// Chinese text in the window wraps as it is set: no line begins with
// closing punctuation or ends with opening punctuation.
func TestCJKText_NoLineStartsWithClosingPunctuation(t *testing.T) {
	// Every character 10 wide, lines of at most 6 characters.
	measure := func(rune) float32 { return 10 }
	got := breakLines("只有在库的载体才能借出，现在是传阅中。（见《办法》）", measure, 60)
	for _, line := range strings.Split(got, "\n") {
		rs := []rune(line)
		if len([]rune(line)) > 6 {
			t.Errorf("line %q is wider than the room", line)
		}
		if strings.ContainsRune(noLineStart, rs[0]) || strings.ContainsRune(noLineEnd, rs[len(rs)-1]) {
			t.Errorf("line %q in %q", line, got)
		}
	}
	if strings.ReplaceAll(got, "\n", "") != "只有在库的载体才能借出，现在是传阅中。（见《办法》）" {
		t.Errorf("characters lost or added: %q", got)
	}
	// Fyne's own wrapping would start a line with "，" here: 11 characters
	// fit, the 12th is the comma.
	if got := breakLines("只有在库的载体才能借出，现在", measure, 110); strings.HasPrefix(strings.Split(got, "\n")[1], "，") {
		t.Errorf("comma begins a line: %q", got)
	}
}

// Dates, numbers and words in Latin letters are not split, and a space a
// line breaks at is dropped, not carried to either line.
func TestCJKText_KeepsDatesWhole(t *testing.T) {
	measure := func(rune) float32 { return 10 }
	got := breakLines("销毁单 销〔2026〕0001 3 件 待登记审批结果 申请日期：2026-12-03", measure, 260)
	if !strings.Contains(got, "2026-12-03") {
		t.Errorf("the date is split: %q", got)
	}
	for _, line := range strings.Split(got, "\n") {
		if strings.HasPrefix(line, " ") || strings.HasSuffix(line, " ") {
			t.Errorf("line %q keeps the space it broke at", line)
		}
	}
}

// R20, R21, R22: the form takes a 成文日期 the term counts from, a term in
// months, 内部 without a term (the term select is locked), a 明电 that is
// 非密 unless said otherwise, and a list of 份号.
func TestRegister_R20_R21_R22_MarksAsTheLawWritesThem(t *testing.T) {
	fx := newFixture(t)
	f := fx.form()
	fx.typeDoc("川府函〔2026〕5号", "关于预算编制的函", "川财政局")
	f.level.SetSelected("秘密")
	f.termKind.SetSelected(termChoiceMonths)
	test.Type(f.termValue, "6")
	if got := f.marking.Text; got != "标志：秘密★6个月" {
		t.Errorf("marking %q", got)
	}
	test.Type(f.docDate, "2026-01-30")
	f.copyNo.SetText("")
	test.Type(f.copyNo, "000007、000009")
	f.copies.SetText("")
	test.Type(f.copies, "2")
	test.Tap(fx.m.register.saveBtn)
	if msg := fx.m.register.result.Text; !strings.HasPrefix(msg, "已登记") {
		t.Fatalf("save: %q %q", msg, f.formErr.Text)
	}
	cs, err := fx.svc.Page(fx.sess, app.Query{Keyword: "预算编制"}, 0, 10)
	if err != nil || len(cs) != 2 {
		t.Fatalf("registered %d: %v", len(cs), err)
	}
	for _, c := range cs {
		d, ok := models.TermExpiry(c)
		if c.DocDate != "2026-01-30" || !ok || d.Format(models.DateLayout) != "2026-07-30" || (c.CopyNo != 7 && c.CopyNo != 9) {
			t.Errorf("%s: 成文日期 %s, expiry %v, 份号 %d", c.RegNo, c.DocDate, d, c.CopyNo)
		}
	}

	// 内部 bears no term: the select goes back to blank and is locked.
	f.termKind.SetSelected(termChoiceYears)
	f.level.SetSelected("内部")
	if !f.termKind.Disabled() || f.termKind.Selected != termChoiceDefault || f.marking.Text != "标志：内部" {
		t.Errorf("内部: term %q disabled %v, marking %q", f.termKind.Selected, f.termKind.Disabled(), f.marking.Text)
	}
	f.level.SetSelected("机密")
	if f.termKind.Disabled() {
		t.Error("term still locked for 机密")
	}

	// A 明电 with no level chosen is 非密.
	f.level.ClearSelected()
	f.kind.SetSelected(string(models.KindPlainTel))
	if f.level.Selected != "非密" {
		t.Errorf("明电 level %q, want 非密", f.level.Selected)
	}
}

// R22: a received 涉密公文 without a 份号 is registered, with a note that
// the document lacks one.
func TestRegister_R22_MissingCopyNumberNoted(t *testing.T) {
	fx := newFixture(t)
	f := fx.form()
	fx.typeDoc("遂安府办发〔2026〕77号", "关于无份号文件的通知", "遂安市人民政府办公室")
	f.copyNo.SetText("")
	test.Tap(fx.m.register.saveBtn)
	if msg := fx.m.register.result.Text; !strings.Contains(msg, "无份号") || !strings.Contains(msg, "应当标注份号") {
		t.Fatalf("result %q", msg)
	}
}
