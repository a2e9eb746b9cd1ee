package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// R24: an outgoing 机密 document is proposed for 定密 and then approved,
// changed, by its 定密责任人 through the window; its mark follows.
func TestClassifyUI_R24_ProposeThenDecide(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("孙局长", models.ActionSet{models.ApproveClassify}, models.LevelTopSecret)
	f := validForm("遂发改发〔2026〕21号", "关于本机关年度工作要点的报告")
	f.Direction, f.TermKind, f.TermYears = models.DirOutgoing, models.TermYears, "10"
	cs, err := fx.svc.Register(fx.sess, f)
	if err != nil {
		t.Fatal(err)
	}
	fx.m.changed()
	d := fx.openDetailOf(cs[0].CopyNoText())
	s := d.class
	if !s.act.Visible() || s.act.Text != "提出定密" || s.act.Disabled() {
		t.Fatalf("定密 button: visible %v, %q", s.act.Visible(), s.act.Text)
	}
	test.Tap(s.act)
	dlg := s.dlg
	test.Type(dlg.scope, "办公室主任")
	test.Tap(dlg.save)
	if got := dlg.msgs.text(app.FieldBasis); !strings.Contains(got, "定密依据") {
		t.Fatalf("basis message %q (top %q)", got, dlg.msgs.text(""))
	}
	test.Type(dlg.basis, "依据川发改〔2026〕3号（机密★10年）派生")
	test.Type(dlg.undertaker, "刘洋")
	test.Tap(dlg.save)
	if s.dlg != nil {
		t.Fatalf("proposal refused: %q", dlg.msgs.text(""))
	}
	if s.act.Text != "登记定密审定" || !strings.Contains(s.line.Text, "待定密责任人审定") {
		t.Fatalf("after the proposal: %q %q", s.act.Text, s.line.Text)
	}
	test.Tap(s.act)
	dlg = s.dlg
	dlg.approver.SetSelectedIndex(0)
	dlg.value.SetText("")
	test.Type(dlg.value, "5")
	test.Type(dlg.signer, "孙局长")
	test.Tap(dlg.save)
	if s.dlg != nil {
		t.Fatalf("decision refused: %q %q", dlg.msgs.text(""), dlg.msgs.text(app.FieldApprover))
	}
	if !strings.Contains(s.line.Text, "已定密") || !strings.Contains(s.line.Text, "孙局长") || !s.act.Disabled() {
		t.Fatalf("after the decision: %q", s.line.Text)
	}
	if c, _ := fx.svc.Get(fx.sess, cs[0].ID); c.Marking() != "机密★5年" {
		t.Errorf("mark %s", c.Marking())
	}
}

// A received document has no 定密 section: its issuer fixed its level.
func TestClassifyUI_R24_NotForReceivedDocuments(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕22号", "关于保密检查的通知", "遂安市人民政府办公室")
	d := fx.openDetailOf("000001")
	if d.class.act.Visible() || d.class.content.Visible() {
		t.Fatal("定密 offered on a received document")
	}
}

// R24: the security officer sets the office's 原始定密权 on the 审批人 tab.
func TestClassifyUI_R24_SecurityOfficerSetsOriginalPower(t *testing.T) {
	fx := newShellFixture(t, newService(t, true, true), nil)
	fx.signIn(loginSecAdmin, testPassword)
	p := fx.s.secAdmin.approvers
	if p.classPow.Selected != "无" {
		t.Fatalf("default %q", p.classPow.Selected)
	}
	p.classPow.SetSelected("机密")
	if got := fx.svc.OriginalClassLevel(); got != models.LevelSecret {
		t.Fatalf("saved %v", got)
	}
	if !strings.Contains(p.policyMsg.Text, "机密") {
		t.Errorf("message %q", p.policyMsg.Text)
	}
}
