package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// openArchive taps the open detail's 归档 and returns its dialog.
func (fx *fixture) openArchive() *archiveDialog {
	fx.t.Helper()
	d := fx.m.detail
	if d.archive.Disabled() {
		fx.t.Fatal("归档 is disabled")
	}
	test.Tap(d.archive)
	if d.archiving == nil {
		fx.t.Fatal("归档 opened no dialog")
	}
	return d.archiving
}

// Archiving from the detail: the 档号 is required (the domain's message
// under the field), then the carrier becomes 已归档, leaves the 在册 view, and
// its detail shows the 档号 and the history line.
func TestArchiveUI_ArchivedFromDetailShowsFileNo(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕40号", "关于做好年终保密检查的通知", "遂安市人民政府办公室")
	d := fx.openDetailOf("000001")
	a := fx.openArchive()
	test.Tap(a.save)
	if fx.m.detail.archiving == nil || !strings.Contains(a.msgs.text(app.FieldFileNo), "请填写档号") {
		t.Fatalf("归档 without 档号: %q", a.msgs.text(app.FieldFileNo))
	}
	test.Type(a.fileNo, "WS·2026-Y-0012")
	test.Type(a.note, "年度立卷归档")
	test.Tap(a.save)
	if fx.m.detail.archiving != nil {
		t.Fatalf("归档 refused: %q", fx.topDialogText())
	}
	if !strings.Contains(d.archiveResult.Text, "已归档，档号 WS·2026-Y-0012") {
		t.Errorf("result %q", d.archiveResult.Text)
	}
	if d.carrier.State != models.StateArchived || d.value("档号") != "WS·2026-Y-0012" ||
		d.value("归档备注") != "年度立卷归档" {
		t.Fatalf("detail after 归档: state %s, 档号 %q, 备注 %q", d.carrier.State, d.value("档号"), d.value("归档备注"))
	}
	if !strings.Contains(d.marking.Text, "已归档") || !strings.Contains(d.marking.Text, "档号 WS·2026-Y-0012") {
		t.Errorf("marking %q", d.marking.Text)
	}
	if !d.archive.Disabled() || !d.void.Disabled() {
		t.Error("归档 or 作废 still offered for an archived carrier")
	}
	found := false
	for _, l := range d.lines {
		found = found || strings.Contains(l, "档号 WS·2026-Y-0012")
	}
	if !found {
		t.Errorf("history %q lacks the 归档 line", d.lines)
	}
	if n := fx.count(app.HeldQuery()); n != 0 {
		t.Errorf("在册 after 归档: %d", n)
	}
}

// Archiving is offered only for a carrier in store and not flagged for
// return; when the carrier leaves the store while the dialog is open, the
// domain refuses with its message and nothing changes.
func TestArchiveUI_OnLoanRefusedWithDomainMessage(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕40号", "关于做好年终保密检查的通知", "遂安市人民政府办公室")
	d := fx.openDetailOf("000001")
	c := d.carrier
	a := fx.openArchive()
	fx.lendOut(c) // at the same time, at the counter
	test.Type(a.fileNo, "WS·2026-Y-0013")
	test.Tap(a.save)
	if fx.m.detail.archiving == nil {
		t.Fatal("归档 of a carrier on loan closed the dialog")
	}
	if got := a.msgs.text(app.FieldArchiveCarrier); !strings.Contains(got, "只有在库的载体才能归档") ||
		!strings.Contains(got, c.RegNo) {
		t.Fatalf("domain message %q", got)
	}
	if got, _ := fx.svc.Get(fx.sess, c.ID); got.State != models.StateOnLoan {
		t.Fatalf("state after the refusal: %s", got.State)
	}
	a.close()
	d.show(c.ID)
	if !d.archive.Disabled() {
		t.Error("归档 offered for a carrier on loan")
	}

	// A carrier flagged for return goes back to its issuer, not to the archive (R16).
	other := fx.registerFrom(upperIssuer, 1)[0]
	fx.flagForReturn(other)
	d.show(other.ID)
	if !d.archive.Disabled() {
		t.Error("归档 offered for a carrier flagged for return")
	}
}
