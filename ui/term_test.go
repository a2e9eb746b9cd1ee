package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// registerExpiring registers, through the service, a 秘密 carrier registered
// on 2026-01-10 whose term ends on 2026-12-23, a month after the fixture's
// today, and reloads the window.
func (fx *fixture) registerExpiring(docNo, title string) models.Carrier {
	fx.t.Helper()
	f := validForm(docNo, title)
	f.RegDate = "2026-01-10"
	f.TermKind = models.TermUntil
	f.TermUntil = "2026-12-23"
	cs, err := fx.svc.Register(fx.sess, f)
	if err != nil {
		fx.t.Fatal(err)
	}
	fx.m.changed()
	return cs[0]
}

// openTermChange taps 密级/期限变更 on the open detail.
func (fx *fixture) openTermChange() *termDialog {
	fx.t.Helper()
	s := fx.m.detail.terms
	if s.change.Disabled() {
		fx.t.Fatal("密级/期限变更 is disabled")
	}
	test.Tap(s.change)
	if s.changing == nil {
		fx.t.Fatal("密级/期限变更 opened no dialog")
	}
	return s.changing
}

// markOf is the ledger's 密级★期限 of the row with 份号 copyNo, "" when none.
func (fx *fixture) markOf(copyNo string) string {
	col := colIndex("密级★期限")
	for _, r := range fx.dataRows() {
		if len(r) > col && r[colCopy] == copyNo {
			return r[col]
		}
	}
	return ""
}

// A carrier whose term ends within three months is on the home card, and
// 查看 opens it in the ledger's detail (R15).
func TestTermUI_R15_ExpiringOnHomeCard(t *testing.T) {
	fx := newFixture(t)
	h := fx.m.home
	fx.m.tabs.Select(fx.m.homeTab)
	if got := texts(h.expiringList); len(h.expiring) != 0 || !contains(got, "暂无") {
		t.Fatalf("card with nothing expiring = %q", got)
	}
	c := fx.registerExpiring("遂安府办发〔2026〕50号", "关于年度保密工作的通知")
	fx.m.tabs.Select(fx.m.ledgerTab)
	fx.m.tabs.Select(fx.m.homeTab)
	if len(h.expiring) != 1 {
		t.Fatalf("expiring = %+v", h.expiring)
	}
	line := strings.Join(texts(h.expiringList), "\n")
	for _, want := range []string{c.RegNo, "关于年度保密工作的通知", c.Marking(), "到期日：2026-12-23", "还有 30 天"} {
		if !strings.Contains(line, want) {
			t.Errorf("card %q lacks %q", line, want)
		}
	}
	for _, b := range h.expiringOpen {
		test.Tap(b)
	}
	if fx.m.tabs.Selected() != fx.m.ledgerTab || !fx.m.ledger.detailShown || fx.m.detail.carrier.ID != c.ID {
		t.Error("查看 did not open the carrier in the ledger's detail")
	}
}

// An extension needs the authority's document; with it the mark in the
// ledger changes and the change is listed in the detail (R15, R9).
func TestTermUI_R15_ExtendChangesMark(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("刘建国", models.ActionSet{models.ApproveDeclassify}, models.LevelTopSecret)
	c := fx.registerExpiring("遂安府办发〔2026〕51号", "关于年度保密工作的通知")
	copyNo := c.CopyNoText()
	before := fx.markOf(copyNo)
	if before != c.Marking() {
		t.Fatalf("ledger mark = %q, want %q", before, c.Marking())
	}
	d := fx.openDetailOf(copyNo)

	dlg := fx.openTermChange()
	if dlg.date.Text != "2026-11-23" {
		t.Errorf("决定日期 defaults to %q", dlg.date.Text)
	}
	// A received document: only its authority's notice (R20); no local approver.
	if dlg.basis.Selected != basisChoiceNotice || len(dlg.basis.Options) != 2 || !dlg.approver.Disabled() {
		t.Fatalf("bases %q (selected %q), approver disabled %v", dlg.basis.Options, dlg.basis.Selected, dlg.approver.Disabled())
	}
	dlg.kind.SetSelected("延期")
	dlg.termKind.SetSelected(termChoiceUntil)
	test.Type(dlg.termValue, "2030-12-31")
	test.Type(dlg.authority, "遂安市保密局")
	test.Type(dlg.reason, "仍需保密")
	test.Tap(dlg.save)
	if got := dlg.msgs.text(app.FieldAuthorityDoc); !strings.Contains(got, "文号") {
		t.Fatalf("document message = %q; top %q", got, dlg.msgs.text(""))
	}
	if d.terms.changing == nil {
		t.Fatal("the dialog closed on a refusal")
	}
	if got := fx.markOf(copyNo); got != before {
		t.Fatalf("ledger mark after a refused extension = %q", got)
	}
	if ch, _ := fx.svc.SecrecyChanges(fx.sess, c.ID); len(ch) != 0 {
		t.Fatalf("changes after a refusal = %+v", ch)
	}

	test.Type(dlg.doc, "遂安保密发〔2026〕3号")
	test.Tap(dlg.save)
	if d.terms.changing != nil {
		t.Fatalf("extension refused: top %q, term %q, approver %q, date %q", dlg.msgs.text(""),
			dlg.msgs.text(app.FieldNewTerm), dlg.msgs.text(app.FieldApprover), dlg.msgs.text(app.FieldDecidedOn))
	}
	want := models.Marking(c.Level, models.Term{Kind: models.TermUntil, Until: "2030-12-31"})
	if got := fx.markOf(copyNo); got != want {
		t.Fatalf("ledger mark after the extension = %q, want %q", got, want)
	}
	if !strings.Contains(d.marking.Text, want) {
		t.Errorf("detail mark = %q", d.marking.Text)
	}
	if len(d.terms.changes) != 1 {
		t.Fatalf("changes listed = %+v", d.terms.changes)
	}
	line := changeLine(d.terms.changes[0])
	for _, w := range []string{"2026-11-23", "延期", before, want, "遂安市保密局"} {
		if !strings.Contains(line, w) {
			t.Errorf("change line %q lacks %q", line, w)
		}
	}
	fx.m.tabs.Select(fx.m.homeTab)
	if len(fx.m.home.expiring) != 0 {
		t.Errorf("still on the home card after the extension: %+v", fx.m.home.expiring)
	}
}

// 解密 takes the carrier off the 在册 ledger (R15).
func TestTermUI_R15_DeclassifyLeavesLedger(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("刘建国", models.ActionSet{models.ApproveDeclassify}, models.LevelTopSecret)
	c := fx.registerExpiring("遂安府办发〔2026〕52号", "关于年度保密工作的通知")
	copyNo := c.CopyNoText()
	fx.openDetailOf(copyNo)
	dlg := fx.openTermChange()
	dlg.kind.SetSelected("解密")
	if !dlg.termKind.Disabled() || !dlg.level.Disabled() {
		t.Error("解密 leaves the level or term enabled")
	}
	test.Type(dlg.authority, "遂安市保密局")
	test.Type(dlg.doc, "遂安保密发〔2026〕4号")
	test.Type(dlg.reason, "已公开")
	test.Tap(dlg.save)
	if fx.m.detail.terms.changing != nil {
		t.Fatalf("declassification refused: top %q, kind %q, approver %q", dlg.msgs.text(""),
			dlg.msgs.text(app.FieldChangeKind), dlg.msgs.text(app.FieldApprover))
	}
	for _, r := range fx.dataRows() {
		if len(r) > colTitle && r[colCopy] == copyNo && r[colTitle] == c.Title {
			t.Fatalf("declassified carrier still in the 在册 ledger: %q", r)
		}
	}
	if got, _ := fx.svc.Get(fx.sess, c.ID); got.State.Held() {
		t.Errorf("state after 解密 = %s", got.State)
	}
}

// A copy can't change on its own: the dialog shows the domain's message and
// nothing changes (R16).
func TestTermUI_R15_CopyAloneRefused(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("刘建国", models.ActionSet{models.ApproveCopy, models.ApproveDeclassify}, models.LevelTopSecret)
	fx.register("遂安府办发〔2026〕53号", "关于保密自查的通知", "遂安市人民政府办公室")
	d := fx.openDetailOf("000001")
	if dlg := fx.requestCopy("1", "分送学习"); d.copies.asking != nil {
		t.Fatalf("copy request refused: %q", dlg.msgs.text(""))
	}
	dec := fx.openDecision()
	dec.selectApprover("刘建国")
	dec.decision.SetSelected("同意")
	test.Tap(dec.save)
	if d.copies.deciding != nil {
		t.Fatalf("copy decision refused: %q", fx.topDialogText())
	}
	before := fx.markOf("000001复1")
	fx.openDetailOf("000001复1")
	dlg := fx.openTermChange()
	dlg.kind.SetSelected("解密")
	test.Type(dlg.authority, "遂安市保密局")
	test.Type(dlg.doc, "遂安保密发〔2026〕5号")
	test.Tap(dlg.save)
	if got := dlg.msgs.text(""); !strings.Contains(got, "复制件的密级和保密期限随原件变更") {
		t.Fatalf("copy message = %q", got)
	}
	if fx.m.detail.terms.changing == nil {
		t.Error("the dialog closed on a refusal")
	}
	if got := fx.markOf("000001复1"); got != before || got == "" {
		t.Errorf("copy's mark after a refusal = %q, was %q", got, before)
	}
}

// R20: a term that has run out is declassified by itself: the dialog sets
// 解密 and the day it ended, and asks that no extension came.
func TestTermUI_R20_SelfDeclassificationOfARunOutTerm(t *testing.T) {
	fx := newFixture(t)
	f := validForm("遂安府办发〔2026〕54号", "关于节前安全检查的通知")
	f.RegDate, f.TermKind, f.TermUntil = "2026-01-10", models.TermUntil, "2026-11-01"
	cs, err := fx.svc.Register(fx.sess, f)
	if err != nil {
		t.Fatal(err)
	}
	fx.m.changed()
	fx.openDetailOf(cs[0].CopyNoText())
	dlg := fx.openTermChange()
	dlg.basis.SetSelected(basisChoiceExpired)
	if dlg.kind.Selected != "解密" || !dlg.kind.Disabled() || dlg.date.Text != "2026-11-01" || !dlg.doc.Disabled() {
		t.Fatalf("自行解密: kind %q (disabled %v), date %q, 文号 disabled %v", dlg.kind.Selected, dlg.kind.Disabled(),
			dlg.date.Text, dlg.doc.Disabled())
	}
	test.Tap(dlg.save)
	if got := dlg.msgs.text(app.FieldNoExtension); !strings.Contains(got, "延期通知") {
		t.Fatalf("no-extension message %q (top %q)", got, dlg.msgs.text(""))
	}
	test.Tap(dlg.noExtension)
	test.Tap(dlg.save)
	if fx.m.detail.terms.changing != nil {
		t.Fatalf("refused: %q", dlg.msgs.text(""))
	}
	if got, _ := fx.svc.Get(fx.sess, cs[0].ID); got.State != models.StateDeclassified {
		t.Errorf("state %s", got.State)
	}
}

// R20: the office's own document changes by its 定密责任人's decision.
func TestTermUI_R20_OwnDocumentByDecision(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("刘建国", models.ActionSet{models.ApproveDeclassify}, models.LevelTopSecret)
	f := validForm("遂安府办发〔2026〕55号", "关于本机关工作安排的通知")
	f.Direction, f.TermKind, f.TermYears = models.DirOutgoing, models.TermYears, "10"
	cs, err := fx.svc.Register(fx.sess, f)
	if err != nil {
		t.Fatal(err)
	}
	fx.m.changed()
	fx.openDetailOf(cs[0].CopyNoText())
	dlg := fx.openTermChange()
	if dlg.basis.Selected != basisChoiceDecision || len(dlg.basis.Options) != 3 || dlg.approver.Disabled() {
		t.Fatalf("bases %q (selected %q)", dlg.basis.Options, dlg.basis.Selected)
	}
	dlg.kind.SetSelected("解密")
	if !dlg.selectApprover("刘建国") {
		t.Fatalf("approvers %q", dlg.approver.Options)
	}
	test.Type(dlg.doc, "遂安府办〔2026〕9号")
	test.Tap(dlg.save)
	if fx.m.detail.terms.changing != nil {
		t.Fatalf("refused: %q %q", dlg.msgs.text(""), dlg.msgs.text(app.FieldApprover))
	}
	ch, _ := fx.svc.SecrecyChanges(fx.sess, cs[0].ID)
	if len(ch) != 1 || ch[0].ApproverName != "刘建国" || ch[0].Basis != string(app.BasisDecision) {
		t.Fatalf("changes %+v", ch)
	}
}

// A card of more expiring terms than it shows counts the rest, and its
// 年度审核 button opens the yearly review, which lists them all (R15, R26).
func TestTermUI_R15_CardCountsTheRestAndOpensTheReview(t *testing.T) {
	fx := newFixture(t)
	for i := 0; i < homeListLimit+2; i++ {
		fx.registerExpiring(fmt.Sprintf("遂安府办发〔2026〕%d号", 70+i), fmt.Sprintf("关于第%d项工作的通知", i+1))
	}
	h := fx.m.home
	fx.m.tabs.Select(fx.m.ledgerTab)
	fx.m.tabs.Select(fx.m.homeTab)
	line := strings.Join(texts(h.expiringList), "\n")
	if len(h.expiring) != homeListLimit || !strings.Contains(line, "……另有 2 件保密期限将到期或已到期的载体") || h.expiringAll == nil {
		t.Fatalf("card: %d shown, %q", len(h.expiring), line)
	}
	test.Tap(h.expiringAll)
	if fx.m.tabs.Selected() != fx.m.reviewTab {
		t.Fatal("年度审核 did not open the review")
	}
}
