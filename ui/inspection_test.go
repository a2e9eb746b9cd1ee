package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"secdoc/models"
)

// registerHeld registers n carriers held by custodian through the service
// and returns their register numbers.
func (fx *fixture) registerHeld(custodian string, n int) []string {
	fx.t.Helper()
	var out []string
	for i := 0; i < n; i++ {
		f := validForm(fmt.Sprintf("遂安府办发〔2026〕%d号", 50+i), fmt.Sprintf("关于自查的通知之%d", i+1))
		f.Custodian = custodian
		cs, err := fx.svc.Register(fx.sess, f)
		if err != nil {
			fx.t.Fatal(err)
		}
		for _, c := range cs {
			out = append(out, c.RegNo)
		}
	}
	return out
}

// startInspection opens the 自查 tab and starts a self-inspection of custodian.
func (fx *fixture) startInspection(custodian string) *inspectionScreen {
	fx.t.Helper()
	s := fx.m.showInspection()
	if s == nil {
		fx.t.Fatal("no 自查 tab")
	}
	if !contains(s.custodian.Options, custodian) {
		fx.t.Fatalf("开始自查 offers %q, not %s", s.custodian.Options, custodian)
	}
	if due := strings.Join(texts(s.dueBox), "\n"); !strings.Contains(due, custodian) || !strings.Contains(due, "逾期") {
		fx.t.Fatalf("应自查 list %q", due)
	}
	s.custodian.SetSelected(custodian)
	test.Tap(s.start)
	if !strings.HasPrefix(s.result.Text, "已开始自查") {
		fx.t.Fatalf("开始自查: %q", s.result.Text)
	}
	if !s.loaded || s.res.Inspection.State != models.InspectionOpen || !s.scanRow.Visible() {
		fx.t.Fatal("the open inspection is not shown")
	}
	return s
}

// scanRegNo types regNo into 扫描或输入登记号 and presses Enter; the entry
// clears and keeps the focus for the next scan.
func (fx *fixture) scanRegNo(s *inspectionScreen, regNo string) {
	fx.t.Helper()
	test.Type(s.scan, regNo)
	pressEnter(s.scan)
	if s.scan.Text != "" {
		fx.t.Fatalf("the scan entry keeps %q", s.scan.Text)
	}
	if fx.w.Canvas().Focused() != s.scan {
		fx.t.Fatalf("focus on %T after scanning %s, want the scan entry", fx.w.Canvas().Focused(), regNo)
	}
}

// A self-inspection with one missing item (R4, R19): three carriers held by
// one custodian, two scanned (one typed with ASCII brackets); the result
// shows 缺少 1 with its register number, and 完成自查 is refused until its
// 处理说明 is saved.
func TestInspectionUI_R4_OneMissingItem(t *testing.T) {
	fx := newFixture(t)
	regs := fx.registerHeld("李明", 3)
	if len(regs) != 3 {
		t.Fatalf("register numbers %q", regs)
	}
	s := fx.startInspection("李明")
	if got := s.counts.Text; got != "应在 3 / 已找到 0 / 缺少 3 / 多出 0 / 在外 0" {
		t.Fatalf("counts at start %q", got)
	}

	fx.scanRegNo(s, regs[0])
	if !strings.Contains(s.ticked.Text, "已找到 "+regs[0]) {
		t.Fatalf("after scanning %s: %q", regs[0], s.ticked.Text)
	}
	ascii := strings.NewReplacer("〔", "[", "〕", "]").Replace(regs[1])
	fx.scanRegNo(s, ascii)
	if !strings.Contains(s.ticked.Text, "已找到 "+regs[1]) {
		t.Fatalf("after typing %s: %q", ascii, s.ticked.Text)
	}
	if got := s.counts.Text; got != "应在 3 / 已找到 2 / 缺少 1 / 多出 0 / 在外 0" {
		t.Fatalf("counts %q", got)
	}
	missing := strings.Join(texts(s.missing), "\n")
	if !strings.Contains(missing, regs[2]) || strings.Contains(missing, regs[0]) {
		t.Fatalf("缺少 lists %q", missing)
	}

	test.Tap(s.closeBtn)
	if s.res.Inspection.State != models.InspectionOpen || !strings.Contains(s.closeMsg.Text, regs[2]) {
		t.Fatalf("完成自查 with an unresolved difference: state %s, message %q", s.res.Inspection.State, s.closeMsg.Text)
	}

	note := s.notes[s.res.Missing[0].CarrierID]
	if note == nil {
		t.Fatal("no 处理说明 for the missing item")
	}
	test.Tap(s.saves[s.res.Missing[0].CarrierID]) // empty: refused
	if !strings.Contains(s.closeMsg.Text, "处理结果") {
		t.Fatalf("an empty 处理说明: %q", s.closeMsg.Text)
	}
	note = s.notes[s.res.Missing[0].CarrierID]
	test.Type(note, "经查已于11月18日送机要局，补登记")
	test.Tap(s.saves[s.res.Missing[0].CarrierID])
	if !strings.Contains(s.closeMsg.Text, "已保存") {
		t.Fatalf("保存: %q", s.closeMsg.Text)
	}

	test.Tap(s.closeBtn)
	if s.res.Inspection.State != models.InspectionClosed {
		t.Fatalf("not closed: %q / %q", s.closeMsg.Text, s.result.Text)
	}
	if !strings.Contains(s.result.Text, "已完成") || s.closeBtn.Visible() || s.scanRow.Visible() {
		t.Fatalf("closed inspection: result %q, 完成自查 shown %v", s.result.Text, s.closeBtn.Visible())
	}
	if got := strings.Join(texts(s.missing), "\n"); !strings.Contains(got, "经查已于11月18日送机要局") {
		t.Fatalf("closed result's 缺少 %q", got)
	}
	if len(s.notes) != 0 {
		t.Fatal("a closed inspection offers 处理说明 entries")
	}
	if due := strings.Join(texts(s.dueBox), "\n"); strings.Contains(due, "逾期") {
		t.Fatalf("still overdue after the inspection: %q", due)
	}
}

// A carrier scanned that the register lists with another custodian is
// listed as 多出 and needs a 处理说明 (R19).
func TestInspectionUI_R19_UnexpectedScanListed(t *testing.T) {
	fx := newFixture(t)
	mine := fx.registerHeld("李明", 1)
	other := fx.validOther("张华")
	s := fx.startInspection("李明")
	fx.scanRegNo(s, mine[0])
	fx.scanRegNo(s, other)
	if !strings.Contains(s.ticked.Text, other) || !strings.Contains(s.ticked.Text, "多出") {
		t.Fatalf("scanning another's carrier: %q", s.ticked.Text)
	}
	if got := s.counts.Text; got != "应在 1 / 已找到 2 / 缺少 0 / 多出 1 / 在外 0" {
		t.Fatalf("counts %q", got)
	}
	if got := strings.Join(texts(s.unexp), "\n"); !strings.Contains(got, other) {
		t.Fatalf("多出 lists %q", got)
	}
	test.Tap(s.closeBtn)
	if !strings.Contains(s.closeMsg.Text, other) {
		t.Fatalf("完成自查 with an unresolved 多出: %q", s.closeMsg.Text)
	}
	fx.scanRegNo(s, "收〔2026〕9999")
	if !strings.Contains(s.ticked.Text, "登记簿中没有登记号") {
		t.Fatalf("an unknown register number: %q", s.ticked.Text)
	}
}

// validOther registers one carrier held by custodian, with a document
// number of its own, and returns its register number.
func (fx *fixture) validOther(custodian string) string {
	fx.t.Helper()
	f := validForm("遂安府办发〔2026〕90号", "关于别人保管的通知")
	f.Custodian = custodian
	cs, err := fx.svc.Register(fx.sess, f)
	if err != nil || len(cs) != 1 {
		fx.t.Fatal(cs, err)
	}
	return cs[0].RegNo
}
