package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// requestLoan opens the detail's 借阅申请 or 外出携带申请 dialog, fills it and
// submits it.
func (fx *fixture) requestLoan(k models.LoanKind, borrower, purpose, destination, due string) *loanDialog {
	fx.t.Helper()
	s := fx.m.detail.loans
	b := s.borrow
	if k == models.LoanTakeOut {
		b = s.takeOut
	}
	if b.Disabled() {
		fx.t.Fatalf("%s申请 is disabled", k)
	}
	test.Tap(b)
	d := s.asking
	if d == nil {
		fx.t.Fatalf("%s申请 opened no dialog", k)
	}
	test.Type(d.borrower, borrower)
	if d.department.Text == "" { // a person on the list brings his 部门
		test.Type(d.department, "综合科")
	}
	test.Type(d.purpose, purpose)
	if d.destination != nil {
		test.Type(d.destination, destination)
	} else if k == models.LoanTakeOut {
		fx.t.Fatal("the take-out dialog asks for no 外出地点")
	}
	test.Type(d.due, due)
	test.Tap(d.save)
	return d
}

// openLoanDecision taps the 登记审批结果 button of the only pending loan.
func (fx *fixture) openLoanDecision() *loanDecideDialog {
	fx.t.Helper()
	s := fx.m.detail.loans
	if len(s.decide) != 1 {
		fx.t.Fatalf("%d 登记审批结果 buttons, want 1; loans %+v", len(s.decide), s.loans)
	}
	for _, b := range s.decide {
		test.Tap(b)
	}
	if s.deciding == nil {
		fx.t.Fatal("登记审批结果 opened no dialog")
	}
	return s.deciding
}

// approveLoan records 同意 by approver, dated today.
func (fx *fixture) approveLoan(approver string) {
	fx.t.Helper()
	dec := fx.openLoanDecision()
	if !dec.selectApprover(approver) {
		fx.t.Fatalf("approvers offered = %q", dec.approver.Options)
	}
	dec.decision.SetSelected("同意")
	test.Tap(dec.save)
	if fx.m.detail.loans.deciding != nil {
		fx.t.Fatalf("decision refused: %q", fx.topDialogText())
	}
}

// stateOf is the ledger's 状态 of the row with 份号 copyNo.
func (fx *fixture) stateOf(copyNo string) string {
	fx.t.Helper()
	for _, r := range fx.dataRows() {
		if len(r) > colState && r[colCopy] == copyNo {
			return r[colState]
		}
	}
	fx.t.Fatalf("no ledger row with 份号 %s", copyNo)
	return ""
}

// A take-out requested, approved by an approver with 外出携带 authority,
// shown as 外出携带 in the ledger, and returned: 缺损 needs a note (R3).
func TestLoanUI_R3_TakeOutApprovedAndReturned(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("孙科长", models.ActionSet{models.ApproveLoan}, models.LevelTopSecret)
	fx.addApprover("刘建国", models.ActionSet{models.ApproveTakeOut}, models.LevelSecret)
	fx.register("遂安府办发〔2026〕40号", "关于做好年终保密检查的通知", "遂安市人民政府办公室")
	d := fx.openDetailOf("000001")
	if d.loans.borrow.Disabled() || d.loans.takeOut.Disabled() {
		t.Fatal("借阅申请 / 外出携带申请 disabled for a 在库 carrier")
	}

	// A take-out without a destination is refused with the domain's message.
	dlg := fx.requestLoan(models.LoanTakeOut, "赵一", "赴省委汇报", "", "2026-11-30")
	if got := dlg.msgs.text(app.FieldDestination); !strings.Contains(got, "外出地点") {
		t.Fatalf("destination message = %q", got)
	}
	test.Type(dlg.destination, "省委办公厅")
	test.Tap(dlg.save)
	if d.loans.asking != nil {
		t.Fatalf("request refused: %q", dlg.msgs.text(""))
	}
	if !strings.Contains(d.loans.result.Text, "已登记外出携带申请 携〔2026〕0001") {
		t.Errorf("result = %q", d.loans.result.Text)
	}
	if len(d.loans.loans) != 1 {
		t.Fatalf("loans = %+v", d.loans.loans)
	}
	line := loanLine(d.loans.loans[0])
	for _, want := range []string{"携〔2026〕0001", "外出携带", "携带人：赵一", "应还日期：2026-11-30", "待审批"} {
		if !strings.Contains(line, want) {
			t.Errorf("loan line %q lacks %q", line, want)
		}
	}

	// An approver of loans only may not approve a take-out (R3).
	dec := fx.openLoanDecision()
	dec.selectApprover("孙科长")
	dec.decision.SetSelected("同意")
	test.Tap(dec.save)
	if got := dec.msgs.text(app.FieldApprover); !strings.Contains(got, "无权审批外出携带") {
		t.Fatalf("authority message = %q", got)
	}
	dec.close()
	fx.approveLoan("刘建国")
	if !strings.Contains(d.loans.result.Text, "已外出携带") {
		t.Errorf("result = %q", d.loans.result.Text)
	}
	if got := fx.stateOf("000001"); got != "外出携带" {
		t.Fatalf("ledger state = %q, want 外出携带", got)
	}
	if !strings.Contains(d.marking.Text, "外出携带") || !d.loans.takeOut.Disabled() || !d.loans.borrow.Disabled() {
		t.Errorf("detail after approval: marking %q, buttons enabled", d.marking.Text)
	}
	if len(d.loans.ret) != 1 || len(d.loans.decide) != 0 {
		t.Fatalf("%d 归还登记, %d 登记审批结果 buttons", len(d.loans.ret), len(d.loans.decide))
	}

	// Returned 缺损 without a note: the domain's message, still out.
	for _, b := range d.loans.ret {
		test.Tap(b)
	}
	rd := d.loans.returning
	if rd == nil {
		t.Fatal("归还登记 opened no dialog")
	}
	if rd.date.Text != "2026-11-23" {
		t.Errorf("归还日期 defaults to %q", rd.date.Text)
	}
	rd.check.SetSelected("缺损")
	test.Tap(rd.save)
	if got := rd.msgs.text(app.FieldReturnNote); !strings.Contains(got, "请写明缺损情况") {
		t.Fatalf("note message = %q", got)
	}
	if d.loans.returning == nil {
		t.Fatal("the dialog closed on a refusal")
	}
	if got := fx.stateOf("000001"); got != "外出携带" {
		t.Fatalf("ledger state after a refused return = %q", got)
	}

	// With a note it is back 在库.
	test.Type(rd.note, "第3页缺失")
	test.Tap(rd.save)
	if d.loans.returning != nil {
		t.Fatalf("return refused: %q", rd.msgs.text(""))
	}
	if got := fx.stateOf("000001"); got != "在库" {
		t.Fatalf("ledger state after return = %q, want 在库", got)
	}
	if line := loanLine(d.loans.loans[0]); !strings.Contains(line, "已归还") || !strings.Contains(line, "第3页缺失") {
		t.Errorf("loan line after return = %q", line)
	}
	if d.loans.takeOut.Disabled() || !strings.Contains(d.marking.Text, "在库") {
		t.Errorf("detail after return: marking %q", d.marking.Text)
	}
}

// A loan decision dated before its request is backdating (R9).
func TestLoanUI_R9_BackdatedDecisionRefused(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("刘建国", models.ActionSet{models.ApproveLoan}, models.LevelTopSecret)
	fx.register("遂安府办发〔2026〕41号", "关于印发工作要点的通知", "遂安市人民政府办公室")
	d := fx.openDetailOf("000001")
	if dlg := fx.requestLoan(models.LoanBorrow, "钱二", "起草文件参阅", "", "2026-12-01"); d.loans.asking != nil {
		t.Fatalf("request refused: %q", dlg.msgs.text(""))
	}
	dec := fx.openLoanDecision()
	dec.selectApprover("刘建国")
	dec.decision.SetSelected("同意")
	dec.date.SetText("2026-11-22")
	test.Tap(dec.save)
	if got := dec.msgs.text(app.FieldDecidedOn); !strings.Contains(got, "不得倒签") {
		t.Errorf("backdating message = %q", got)
	}
	if d.loans.deciding == nil {
		t.Error("the dialog closed on a refusal")
	}
	if got := fx.stateOf("000001"); got != "在库" {
		t.Errorf("ledger state after a backdated approval = %q", got)
	}
	if l, _ := fx.svc.PendingLoans(fx.sess); len(l) != 1 {
		t.Errorf("pending loans = %d, want 1", len(l))
	}
}

// A loan past its due date appears on the home card, and its button opens
// the carrier in the ledger's detail (R3).
func TestLoanUI_R3_OverdueLoanOnHomeCard(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("刘建国", models.ActionSet{models.ApproveLoan}, models.LevelTopSecret)
	fx.register("遂安府办发〔2026〕42号", "关于保密检查的通报", "遂安市人民政府办公室")
	d := fx.openDetailOf("000001")
	fx.requestLoan(models.LoanBorrow, "孙三", "学习参阅", "", "2026-11-25")
	fx.approveLoan("刘建国")
	h := fx.m.home
	fx.m.tabs.Select(fx.m.homeTab)
	if got := texts(h.overdueList); len(h.overdue) != 0 || !contains(got, "暂无逾期") {
		t.Fatalf("overdue card before the due date = %q", got)
	}

	fx.m.showLedger()
	fx.advance(5 * 24 * time.Hour) // 2026-11-28: three days late
	fx.m.tabs.Select(fx.m.homeTab)
	if len(h.overdue) != 1 {
		t.Fatalf("overdue = %+v", h.overdue)
	}
	line := strings.Join(texts(h.overdueList), "\n")
	for _, want := range []string{d.carrier.RegNo, "关于保密检查的通报", "借阅人：孙三", "应还日期：2026-11-25", "逾期 3 天"} {
		if !strings.Contains(line, want) {
			t.Errorf("overdue card %q lacks %q", line, want)
		}
	}
	for _, b := range h.overdueOpen {
		test.Tap(b)
	}
	if fx.m.tabs.Selected() != fx.m.ledgerTab || !fx.m.ledger.detailShown || fx.m.detail.carrier.ID != d.carrier.ID {
		t.Error("查看 did not open the carrier in the ledger's detail")
	}
}

// R21: a 内部 document goes out on the record alone; the window says so.
func TestLoanUI_R21_InternalGoesOutWithoutApproval(t *testing.T) {
	fx := newFixture(t)
	f := validForm("遂安府办发〔2026〕88号", "关于内部事项的通知")
	f.Level = models.LevelInternal
	cs, err := fx.svc.Register(fx.sess, f)
	if err != nil {
		t.Fatal(err)
	}
	fx.m.changed()
	fx.openDetailOf(cs[0].CopyNoText())
	fx.requestLoan(models.LoanBorrow, "刘洋", "参阅", "", "2026-11-30")
	s := fx.m.detail.loans
	if s.asking != nil {
		t.Fatal("the request was refused")
	}
	if got := s.result.Text; !strings.Contains(got, "无需审批") {
		t.Errorf("result %q", got)
	}
	if c, _ := fx.svc.Get(fx.sess, cs[0].ID); c.State != models.StateOnLoan {
		t.Errorf("state %s", c.State)
	}
}

// R27: the loan dialog says the level's limit before anything is typed, and
// a 绝密 loan beyond a day is refused beside its date with the same words;
// a 密码电报 offers no loan at all.
func TestLoanUI_R27_LevelLimitShownAndEnforced(t *testing.T) {
	fx := newFixture(t)
	f := validForm("遂安府办发〔2026〕50号", "关于重要军事设施保护的通知")
	f.Level = models.LevelTopSecret
	if _, err := fx.svc.Register(fx.sess, f); err != nil {
		t.Fatal(err)
	}
	g := validForm("遂密电〔2026〕3号", "密码电报")
	g.Kind, g.CopyNo = models.KindCipherTel, "2"
	if _, err := fx.svc.Register(fx.sess, g); err != nil {
		t.Fatal(err)
	}
	fx.m.changed()
	d := fx.openDetailOf("000002")
	if !d.loans.borrow.Disabled() || !d.loans.takeOut.Disabled() || !strings.Contains(d.whyNot.Text, "密码电报") {
		t.Fatalf("密码电报: borrow enabled %v, why %q", !d.loans.borrow.Disabled(), d.whyNot.Text)
	}
	fx.openDetailOf("000001")
	dlg := fx.requestLoan(models.LoanBorrow, "刘洋", "阅研", "", "2026-11-26")
	intro := fx.topDialogText() // the dialog's words before submitting
	if !strings.Contains(intro, "绝密载体借阅期限不超过 1 天，归还日期最晚 2026-11-24") || !strings.Contains(intro, "机要阅文室") {
		t.Fatalf("limit not shown before submitting: %s", intro)
	}
	if got := dlg.msgs.text(app.FieldDueOn); !strings.Contains(got, "不能超过 1 天") {
		t.Fatalf("due message %q (top %q)", got, dlg.msgs.text(""))
	}
	if !dlg.inOffice.Checked {
		t.Fatal("a 绝密 loan is not preset to the 阅文室")
	}
	dlg.due.SetText("")
	test.Type(dlg.due, "2026-11-24")
	test.Tap(dlg.save)
	if fx.m.detail.loans.asking != nil {
		t.Fatalf("the 1-day loan refused: %q", dlg.msgs.text(""))
	}
}

// R27: the security officer sets each level's longest loan on 周期与期限.
func TestLoanUI_R27_SecurityOfficerSetsLoanDays(t *testing.T) {
	fx := newShellFixture(t, newService(t, true, true), nil)
	fx.signIn(loginSecAdmin, testPassword)
	p := fx.s.secAdmin.loanDays
	if p.months[models.LevelTopSecret].Text != "1" || p.months[models.LevelConfidential].Text != "30" {
		t.Fatalf("defaults shown: 绝密 %q 秘密 %q", p.months[models.LevelTopSecret].Text, p.months[models.LevelConfidential].Text)
	}
	p.months[models.LevelConfidential].SetText("")
	test.Type(p.months[models.LevelConfidential], "100")
	test.Tap(p.save)
	if got := p.msgs.text(periodKey(models.LevelConfidential)); !strings.Contains(got, "1 到 90 天") {
		t.Fatalf("message %q", got)
	}
	p.months[models.LevelConfidential].SetText("")
	test.Type(p.months[models.LevelConfidential], "10")
	test.Tap(p.save)
	if !strings.Contains(p.status.Text, "秘密 10 天") || fx.s.svc.LoanDays(models.LevelConfidential, models.LoanBorrow) != 10 {
		t.Fatalf("status %q", p.status.Text)
	}
}

// R27: lending to someone outside the carrier's 知悉范围 asks for a reason
// beside its field; with one the loan is recorded.
func TestLoanUI_R27_OutsideNeedToKnowNeedsAReason(t *testing.T) {
	fx := newFixture(t)
	for _, p := range []app.PersonInput{{Name: "孙浩", Department: "综合科"}, {Name: "周强", Department: "财务科"}} {
		if _, err := fx.svc.SavePerson(fx.sess, p); err != nil {
			t.Fatal(err)
		}
	}
	f := validForm("遂安府办发〔2026〕80号", "关于专项经费的通知")
	f.NeedToKnow = "孙浩"
	if _, err := fx.svc.Register(fx.sess, f); err != nil {
		t.Fatal(err)
	}
	fx.m.changed()
	fx.openDetailOf("000001")
	dlg := fx.requestLoan(models.LoanBorrow, "周强", "核对经费", "", "2026-11-30")
	if got := dlg.msgs.text(app.FieldOutsideReason); !strings.Contains(got, "周强 不在该载体的知悉范围（孙浩）内") {
		t.Fatalf("outside message %q (top %q)", got, dlg.msgs.text(""))
	}
	test.Type(dlg.outside, "分管领导批示由财务科核对")
	test.Tap(dlg.save)
	if fx.m.detail.loans.asking != nil {
		t.Fatalf("refused with a reason: %q", dlg.msgs.text(""))
	}
}

// R27: the borrower is picked from the people list, by keyboard: typing
// narrows it, Down opens it, Enter picks; the 部门 comes with the person,
// and a person who has left is not offered.
func TestLoanUI_R27_BorrowerPickedFromPeople(t *testing.T) {
	fx := newFixture(t)
	for _, p := range []app.PersonInput{{Name: "欧阳丽", Department: "办公室"}, {Name: "欧阳刚", Department: "财务科", Left: true}} {
		if _, err := fx.svc.SavePerson(fx.sess, p); err != nil {
			t.Fatal(err)
		}
	}
	fx.register("遂安府办发〔2026〕81号", "关于人员调配的通知", "遂安市保密局")
	fx.openDetailOf("000001")
	test.Tap(fx.m.detail.loans.borrow)
	d := fx.m.detail.loans.asking
	c := fx.w.Canvas()
	c.Focus(d.borrower)
	test.Type(d.borrower, "欧阳")
	if got := strings.Join(d.borrower.choices(), "|"); got != "欧阳丽" {
		t.Fatalf("offered %q for 欧阳", got)
	}
	d.borrower.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	menu := c.Focused()
	if menu == nil || menu == fyne.Focusable(d.borrower) {
		t.Fatalf("Down opened no list: focus %T", c.Focused())
	}
	menu.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	menu.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if d.borrower.Text != "欧阳丽" || d.department.Text != "办公室" {
		t.Fatalf("picked %q, 部门 %q", d.borrower.Text, d.department.Text)
	}
	test.Type(d.purpose, "起草文件参阅")
	test.Type(d.due, "2026-11-30")
	test.Tap(d.save)
	if fx.m.detail.loans.asking != nil {
		t.Fatalf("refused: %q", d.msgs.text(""))
	}
	var dept string
	fx.svc.DB().Raw(`SELECT department FROM loans WHERE borrower = ?`, "欧阳丽").Scan(&dept)
	if dept != "办公室" {
		t.Fatalf("loan recorded 部门 %q", dept)
	}
}
