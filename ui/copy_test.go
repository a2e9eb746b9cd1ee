package ui

import (
	"sort"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// addApprover records an approver through the service, as the security
// officer would.
func (fx *fixture) addApprover(name string, actions models.ActionSet, max models.Level) models.Approver {
	fx.t.Helper()
	in := app.ApproverInput{Name: name, Title: "办公室主任", Actions: actions, MaxLevel: max, Active: true}
	if actions.Has(models.ApproveClassify) {
		in.Designation = "法定"
	}
	a, err := fx.svc.AddApprover(fx.session(loginSecAdmin), in)
	if err != nil {
		fx.t.Fatal(err)
	}
	return a
}

// openDetailOf selects the ledger row whose 份号 is copyNo and returns the detail.
func (fx *fixture) openDetailOf(copyNo string) *detailView {
	fx.t.Helper()
	for i, r := range fx.dataRows() {
		if len(r) > colCopy && r[colCopy] == copyNo {
			fx.selectRow(i)
			return fx.m.detail
		}
	}
	fx.t.Fatalf("no ledger row with 份号 %s in %q", copyNo, fx.dataRows())
	return nil
}

// requestCopy fills the open detail's 复制申请 dialog and submits it.
func (fx *fixture) requestCopy(copies, purpose string) *copyDialog {
	fx.t.Helper()
	s := fx.m.detail.copies
	if s.request.Disabled() {
		fx.t.Fatal("复制申请 is disabled")
	}
	test.Tap(s.request)
	d := s.asking
	if d == nil {
		fx.t.Fatal("复制申请 opened no dialog")
	}
	if got := d.requester.Text; got != operator {
		fx.t.Errorf("申请人 defaults to %q, want %q", got, operator)
	}
	d.copies.SetText("")
	test.Type(d.copies, copies)
	test.Type(d.purpose, purpose)
	test.Tap(d.save)
	return d
}

// openDecision taps the 登记审批结果 button of the only pending request.
func (fx *fixture) openDecision() *decideDialog {
	fx.t.Helper()
	s := fx.m.detail.copies
	if len(s.decide) != 1 {
		fx.t.Fatalf("%d 登记审批结果 buttons, want 1; requests %+v", len(s.decide), s.requests)
	}
	for _, b := range s.decide {
		test.Tap(b)
	}
	if s.deciding == nil {
		fx.t.Fatal("登记审批结果 opened no dialog")
	}
	return s.deciding
}

func TestCopyUI_R9_SecurityOfficerAddsAndChangesApprovers(t *testing.T) {
	svc := newService(t, true, true)
	fx := newShellFixture(t, svc, nil)
	fx.signIn(loginSecAdmin, testPassword)
	h := fx.s.secAdmin
	if h == nil {
		t.Fatal("the security officer's home is not shown")
	}
	h.tabs.SelectIndex(2)
	if !fx.onCanvas("新增审批人") {
		t.Fatal("the 审批人 tab has no 新增审批人 button")
	}
	p := h.approvers

	// A bad approver: the domain's messages under its fields.
	test.Tap(p.add)
	d := p.editor
	if d == nil {
		t.Fatal("新增审批人 opened no dialog")
	}
	test.Tap(d.save)
	if got := d.msgs.text(app.FieldApproverName); got != "请填写审批人姓名" {
		t.Errorf("name message = %q", got)
	}
	if got := d.msgs.text(app.FieldApproverActions); !strings.Contains(got, "请至少选择一项审批事项") {
		t.Errorf("actions message = %q", got)
	}
	if got := d.msgs.text(app.FieldApproverMaxLevel); !strings.Contains(got, "最高密级") {
		t.Errorf("level message = %q", got)
	}
	if list, _ := svc.Approvers(fx.session(loginSecAdmin)); len(list) != 0 {
		t.Fatalf("a bad approver was saved: %+v", list)
	}

	test.Type(d.name, "刘建国")
	test.Type(d.title, "办公室主任")
	d.actions[models.ApproveCopy].SetChecked(true)
	d.actions[models.ApproveDestroy].SetChecked(true)
	d.maxLevel.SetSelected("机密")
	test.Tap(d.save)
	if p.editor != nil {
		t.Fatalf("dialog still open: %q", d.msgs.text(""))
	}
	if !strings.Contains(p.status.Text, "已新增审批人刘建国") {
		t.Errorf("status = %q", p.status.Text)
	}
	want := []string{"刘建国", "办公室主任", "复制、销毁", "机密", "在用"}
	for col, w := range want {
		if got := p.cellText(0, col); got != w {
			t.Errorf("column %s = %q, want %q", approverColumns[col].title, got, w)
		}
	}

	// 修改: made inactive.
	if !p.selectName("刘建国") || p.edit.Disabled() {
		t.Fatal("can't select the approver to change")
	}
	test.Tap(p.edit)
	d = p.editor
	if d.name.Text != "刘建国" || !d.actions[models.ApproveCopy].Checked || d.maxLevel.Selected != "机密" {
		t.Fatal("修改 dialog is not filled with the approver")
	}
	d.active.SetChecked(false)
	test.Tap(d.save)
	if got := p.cellText(0, 4); got != "停用" {
		t.Errorf("state after 修改 = %q; %q", got, p.status.Text)
	}

	// The R1 switch.
	if svc.TopSecretCopyAllowed() || p.topSecret.Checked {
		t.Fatal("绝密 copying allowed by default")
	}
	p.topSecret.SetChecked(true)
	if !svc.TopSecretCopyAllowed() {
		t.Errorf("the check did not allow 绝密 copying: %q", p.policyMsg.Text)
	}
}

// The required test: a copy request approved and its copies
// appearing in the ledger, each a carrier of its own marked 复制件 with the
// original's 文号 and a new 份号 (R1, R16).
func TestCopyUI_R16_ApprovedRequestsCopiesAppearInLedger(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("孙科长", models.ActionSet{models.ApproveCopy}, models.LevelConfidential)
	fx.addApprover("刘建国", models.ActionSet{models.ApproveCopy}, models.LevelSecret)
	const docNo = "遂安府办发〔2026〕30号"
	fx.register(docNo, "关于做好保密自查工作的通知", "遂安市人民政府办公室")

	d := fx.openDetailOf("000001")
	origMark, origNeed := d.value("密级★期限"), d.value(models.FieldLabels[models.FieldNeedToKnow])
	if d.copies.request.Disabled() {
		t.Fatal("复制申请 disabled for a 在库 carrier")
	}
	dlg := fx.requestCopy("2", "分送各科室学习")
	if d.copies.asking != nil {
		t.Fatalf("request refused: %q %q", dlg.msgs.text(""), dlg.msgs.text(app.FieldPurpose))
	}
	if dlg.authority != nil {
		t.Error("a 机密 request asks for the authority's document")
	}
	if len(d.copies.requests) != 1 || !strings.Contains(requestLine(d.copies.requests[0]), "2 份  待审批") {
		t.Fatalf("requests = %+v", d.copies.requests)
	}

	dec := fx.openDecision()
	if got := dec.decision.Options; len(got) != 2 || got[0] != "同意" || got[1] != "不同意" {
		t.Fatalf("decisions offered = %q", got)
	}
	if dec.date.Text != "2026-11-23" {
		t.Errorf("审批日期 defaults to %q", dec.date.Text)
	}
	// An approver for 秘密 only may not approve a 机密 copy (R1).
	if !dec.selectApprover("孙科长") {
		t.Fatalf("approvers offered = %q", dec.approver.Options)
	}
	// Marked in the list, and said as soon as chosen, before 保存.
	if got := dec.approver.Selected; !strings.Contains(got, "✗ 只能审批秘密及以下") {
		t.Errorf("the list shows the approver as %q", got)
	}
	if got := dec.msgs.text(app.FieldApprover); !strings.Contains(got, "只能审批秘密及以下") {
		t.Errorf("choosing an approver who can't decide says %q", got)
	}
	if last := dec.approver.Options[len(dec.approver.Options)-1]; !strings.Contains(last, "孙科长") {
		t.Errorf("those who can decide are not listed first: %q", dec.approver.Options)
	}
	dec.decision.SetSelected("同意")
	test.Tap(dec.save)
	if got := dec.msgs.text(app.FieldApprover); !strings.Contains(got, "只能审批秘密及以下") {
		t.Fatalf("authority message = %q", got)
	}
	dec.selectApprover("刘建国")
	test.Type(dec.opinion, "同意复制两份")
	test.Tap(dec.save)
	if d.copies.deciding != nil {
		t.Fatalf("decision refused: %q", fx.topDialogText())
	}
	res := d.copies.result.Text
	if !strings.Contains(res, "复制 2 份") || !strings.Contains(res, "份号000001复1") || !strings.Contains(res, "份号000001复2") {
		t.Errorf("result line = %q", res)
	}
	if len(d.copies.decide) != 0 || !strings.Contains(requestLine(d.copies.requests[0]), "已批准") {
		t.Errorf("request after 同意: %q", requestLine(d.copies.requests[0]))
	}
	if got := d.copies.copiesLine.Text; strings.Count(got, "份号") != 2 {
		t.Errorf("未销毁的复制件 = %q", got)
	}

	// The ledger: three rows of the same 文号: the original 000001 and its
	// copies in its own series (R23).
	rows := fx.dataRows()
	var copyNos []string
	for _, r := range rows {
		if r[colDoc] != docNo {
			t.Errorf("row of another 文号: %q", r)
		}
		copyNos = append(copyNos, r[colCopy])
		// Copies are marked in the title column; the original is not.
		if isCopy := r[colCopy] != "000001"; isCopy != strings.HasPrefix(r[colTitle], copyMark) {
			t.Errorf("份号 %s: title cell %q (copy mark expected: %v)", r[colCopy], r[colTitle], isCopy)
		}
	}
	sort.Strings(copyNos)
	if strings.Join(copyNos, ",") != "000001,000001复1,000001复2" {
		t.Fatalf("ledger 份号 = %q", copyNos)
	}
	c := fx.openDetailOf("000001复2")
	if c.value("复制件") != "是" || !strings.Contains(c.marking.Text, "复制件") {
		t.Errorf("copy's detail: 复制件 %q, marking %q", c.value("复制件"), c.marking.Text)
	}
	// R16: same level, term and need-to-know as the original.
	if got := c.value("密级★期限"); got != origMark || got == "" {
		t.Errorf("copy's marking %q, original's %q", got, origMark)
	}
	if got := c.value(models.FieldLabels[models.FieldNeedToKnow]); got != origNeed {
		t.Errorf("copy's need-to-know %q, original's %q", got, origNeed)
	}
	if c.copies.copiesTitle.Visible() {
		t.Error("a copy lists 未销毁的复制件")
	}
}

func TestCopyUI_R1_TopSecretRequestRefused(t *testing.T) {
	fx := newFixture(t)
	f := validForm("遂安府发〔2026〕1号", "绝密文件")
	f.Level = models.LevelTopSecret
	if _, err := fx.svc.Register(fx.sess, f); err != nil {
		t.Fatal(err)
	}
	fx.m.changed()
	d := fx.openDetailOf("000001")
	// Refused before any 提交: the button is greyed out, the reason shown.
	if !d.copies.request.Disabled() || !strings.Contains(d.whyNot.Text, "绝密级载体不得复制") {
		t.Fatalf("复制申请 disabled %v, reason %q", d.copies.request.Disabled(), d.whyNot.Text)
	}

	// With the security officer's permission, only with the authority's document.
	if err := fx.svc.SetTopSecretCopyAllowed(fx.session(loginSecAdmin), true); err != nil {
		t.Fatal(err)
	}
	fx.m.ledger.reload() // the clerk reads the ledger again and opens the carrier
	d = fx.openDetailOf("000001")
	if d.copies.request.Disabled() || d.whyNot.Visible() {
		t.Fatalf("permitted: 复制申请 disabled %v, reason %q", d.copies.request.Disabled(), d.whyNot.Text)
	}
	dlg := fx.requestCopy("1", "领导要求")
	if dlg.authority == nil {
		t.Error("a 绝密 request does not ask for the authority's document")
	}
	if got := dlg.msgs.text(app.FieldAuthorityDoc); !strings.Contains(got, "原定密机关批准") {
		t.Errorf("authority message = %q", got)
	}
	test.Type(dlg.authority, "国保批〔2026〕3号")
	test.Tap(dlg.save)
	if d.copies.asking != nil || len(d.copies.requests) != 1 {
		t.Errorf("request with the authority's document refused: %q", dlg.msgs.text(""))
	}
}

func TestCopyUI_R9_BackdatedDecisionCreatesNothing(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("刘建国", models.ActionSet{models.ApproveCopy}, models.LevelTopSecret)
	fx.register("遂安府办发〔2026〕31号", "关于印发工作要点的通知", "遂安市人民政府办公室")
	d := fx.openDetailOf("000001")
	fx.requestCopy("1", "存档备查")
	dec := fx.openDecision()
	dec.selectApprover("刘建国")
	dec.decision.SetSelected("同意")
	dec.date.SetText("2026-11-22")
	test.Tap(dec.save)
	if got := dec.msgs.text(app.FieldDecidedOn); !strings.Contains(got, "不得倒签") {
		t.Errorf("backdating message = %q", got)
	}
	if d.copies.deciding == nil {
		t.Error("the dialog closed on a refusal")
	}
	if n := fx.count(app.Query{}); n != 1 {
		t.Errorf("%d carriers after a backdated approval, want 1", n)
	}
	if reqs, _ := fx.svc.PendingCopyRequests(fx.sess); len(reqs) != 1 {
		t.Errorf("pending requests = %d, want 1", len(reqs))
	}
	// No decision chosen is no approval either (R9).
	dec.decision.SetSelected("")
	dec.date.SetText("2026-11-23")
	test.Tap(dec.save)
	if got := dec.msgs.text(app.FieldDecision); !strings.Contains(got, "同意") {
		t.Errorf("missing decision message = %q", got)
	}
}

// R1 refused early: on a 绝密 carrier and on a 密码电报 the 复制申请 button
// is greyed out with the reason under the acts, before any 提交.
func TestCopy_R1_ForbiddenCopyDisabledWithItsReason(t *testing.T) {
	fx := newFixture(t)
	fx.m.showRegister()
	f := fx.form()
	fx.typeDoc("遂安府办发〔2026〕60号", "绝密文件", "遂安市保密局")
	f.level.SetSelected("绝密")
	pressEnter(f.title)
	fx.typeDoc("遂安府办发〔2026〕61号", "一份密码电报", "")
	f.level.SetSelected("机密")
	f.kind.SetSelected(string(models.KindCipherTel))
	pressEnter(f.title)
	fx.typeDoc("遂安府办发〔2026〕62号", "普通机密文件", "")
	f.kind.SetSelected(string(models.KindPaper))
	pressEnter(f.title)

	fx.m.showLedger()
	for _, c := range []struct{ title, why string }{
		{"绝密文件", "绝密级载体不得复制"},
		{"一份密码电报", "密码电报一律不得复制"},
		{"普通机密文件", ""},
	} {
		row := -1
		for i, r := range fx.dataRows() {
			if r[colTitle] == c.title {
				row = i
			}
		}
		fx.selectRow(row)
		d := fx.m.detail
		if got := d.copies.request.Disabled(); got != (c.why != "") {
			t.Errorf("%s: 复制申请 disabled = %v", c.title, got)
		}
		shown := d.whyNot.Visible() && strings.Contains(d.whyNot.Text, c.why)
		if c.why != "" && !shown {
			t.Errorf("%s: reason %q not shown; under the acts: %q", c.title, c.why, d.whyNot.Text)
		}
		if c.why == "" && d.whyNot.Visible() {
			t.Errorf("%s: a reason shown for nothing refused: %q", c.title, d.whyNot.Text)
		}
	}
}

// R23: a 汇编 is asked for from the detail, with its other sources, title
// and 知悉范围; once approved it is a new document of the office's own.
func TestCopyUI_R23_Compilation(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("刘建国", models.ActionSet{models.ApproveCopy}, models.LevelTopSecret)
	fx.register("遂安府办发〔2026〕61号", "关于保密工作的通知", "遂安市人民政府办公室")
	fx.register("遂安府办发〔2026〕62号", "关于保密检查的通知", "遂安市人民政府办公室")
	rows := fx.dataRows()
	second := rows[0][colIndex("登记号")] // newest first
	d := fx.openDetailOf("000001")
	s := d.copies
	test.Tap(s.request)
	dlg := s.asking
	if !dlg.title.Disabled() || !dlg.sources.Disabled() {
		t.Fatal("a plain copy asks for a new title or sources")
	}
	dlg.how.SetSelected("汇编")
	if dlg.title.Disabled() || dlg.sources.Disabled() {
		t.Fatal("汇编 leaves its fields disabled")
	}
	test.Type(dlg.purpose, "编印学习材料")
	test.Type(dlg.title, "保密工作文件汇编")
	test.Tap(dlg.save)
	if got := dlg.msgs.text(app.FieldSources); !strings.Contains(got, "两份以上") {
		t.Fatalf("sources message %q (top %q)", got, dlg.msgs.text(""))
	}
	if d.carrier.RegNo == second {
		second = rows[1][colIndex("登记号")]
	}
	test.Type(dlg.sources, second)
	test.Type(dlg.scope, "办公室主任")
	test.Tap(dlg.save)
	if s.asking != nil {
		t.Fatalf("request refused: %q %q %q %q", dlg.msgs.text(""), dlg.msgs.text(app.FieldSources), dlg.msgs.text(app.FieldNeedToKnow), fx.topDialogText())
	}
	dec := fx.openDecision()
	dec.selectApprover("刘建国")
	dec.decision.SetSelected("同意")
	test.Tap(dec.save)
	if s.deciding != nil {
		t.Fatalf("decision refused: %q", fx.topDialogText())
	}
	cs, err := fx.svc.Page(fx.sess, app.Query{Keyword: "文件汇编"}, 0, 5)
	if err != nil || len(cs) != 1 || cs[0].Direction != models.DirOutgoing || cs[0].DocKind != "汇编本" {
		t.Fatalf("汇编本: %+v %v", cs, err)
	}
}
