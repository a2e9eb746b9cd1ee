package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// R26: the clerk's 年度审核 lists the year's terms to decide, records 保持
// from the signed list with its 决定人, opens a carrier to change its term,
// and prints the list; the security officer reads the same list.
func TestReviewUI_R26_ClerkKeepsATermAndPrintsTheList(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("陈刚", models.ActionSet{models.ApproveDeclassify, models.ApproveClassify}, models.LevelTopSecret)
	for i, until := range []string{"2026-12-31", "2027-06-30", "2026-12-15"} {
		f := validForm("遂安府办发〔2026〕9"+string(rune('0'+i))+"号", "关于审核的通知"+until)
		f.TermKind, f.TermUntil = models.TermUntil, until
		if _, err := fx.svc.Register(fx.sess, f); err != nil {
			t.Fatal(err)
		}
	}
	fx.m.tabs.Select(fx.m.reviewTab)
	p := fx.m.review
	if p.count.Text != "共 2 件" {
		t.Fatalf("count %q", p.count.Text)
	}
	first := p.lineText(0)
	if !strings.Contains(first, "2026-12-15") || !strings.Contains(first, "本年到期") || !strings.Contains(first, "[待审核]") {
		t.Fatalf("first line %q", first)
	}
	p.list.Select(0)
	if p.keep.Disabled() {
		t.Fatal("登记“保持” disabled on an undecided line")
	}
	d := p.onKeep()
	if d.approver.Selected != "陈刚" {
		t.Fatalf("决定人 %q", d.approver.Selected)
	}
	d.on.SetText("")
	test.Type(d.on, "2026-11-24")
	test.Tap(d.save)
	if got := d.msgs.text(app.FieldDecidedOn); !strings.Contains(got, "不能晚于今天") {
		t.Fatalf("a decision dated tomorrow: %q", got)
	}
	d.on.SetText("")
	test.Type(d.on, "2026-11-23")
	test.Tap(d.save)
	if !strings.Contains(p.status.Text, "保持") {
		t.Fatalf("status %q (%q %q %q)", p.status.Text, d.msgs.text(""), d.msgs.text(app.FieldDecidedOn), d.msgs.text(app.FieldApprover))
	}
	if line := p.lineText(0); !strings.Contains(line, "[保持 机密★2026年12月15日] 陈刚 2026-11-23") {
		t.Fatalf("line after 保持 %q", line)
	}
	p.list.Select(0)
	if !p.keep.Disabled() {
		t.Fatal("a decided line can be kept again")
	}
	test.Tap(p.print)
	pr := fx.m.printing
	if pr == nil || !strings.Contains(pr.title, "年度保密期限审核清单") || pr.marking.Text != "机密★2026年12月31日" {
		t.Fatalf("print dialog %+v", pr)
	}
	pr.dir.SetText(t.TempDir())
	test.Tap(pr.ok)
	if !strings.HasSuffix(pr.done, "2026年度保密期限审核清单.pdf") {
		t.Fatalf("printed %q (%q)", pr.done, pr.msg.Text)
	}
	// 变更或解密 opens the carrier in the ledger.
	p.list.Select(1)
	test.Tap(p.change)
	if fx.m.tabs.Selected() != fx.m.ledgerTab || !fx.m.detail.loaded {
		t.Fatal("变更或解密 did not open the carrier")
	}

	sec := newShellFixture(t, fx.svc, nil)
	sec.signIn(loginSecAdmin, testPassword)
	h := sec.s.secAdmin
	for _, tab := range h.tabs.Items {
		if tab.Text == "年度审核" {
			h.tabs.Select(tab)
		}
	}
	if h.review.count.Text != "共 2 件" || !strings.Contains(h.review.lineText(0), "保持") {
		t.Fatalf("the security officer sees %q %q", h.review.count.Text, h.review.lineText(0))
	}
}
