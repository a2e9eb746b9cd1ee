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

// openHandover shows the 交接 tab.
func (fx *fixture) openHandover() *handoverScreen {
	fx.t.Helper()
	fx.m.showHandover()
	if fx.m.tabs.Selected() != fx.m.handoverTab {
		fx.t.Fatal("the 交接 tab is not shown")
	}
	return fx.m.handover
}

// A handover on a job change (R5): 移交人 is chosen from the custodians the
// register knows, the screen says how many carriers will move, the clerk
// confirms, and every one of them is then held by the successor; the
// handover list shows them and stays in the list of handovers.
func TestHandoverUI_R5_CustodianCarriersMoved(t *testing.T) {
	fx := newFixture(t)
	regs := fx.registerHeld("李明", 3)
	other := fx.validOther("张华")
	s := fx.openHandover()
	if !contains(s.from.Options, "李明") || !contains(s.from.Options, "张华") {
		t.Fatalf("移交人 offers %q", s.from.Options)
	}
	s.from.SetSelected("李明")
	if !strings.Contains(s.moving.Text, "将移交 3 件") {
		t.Fatalf("移交载体 %q", s.moving.Text)
	}
	test.Type(s.to, "赵红")
	test.Type(s.witness, "刘洋")
	test.Type(s.note, "岗位调整")
	test.Tap(s.save)
	if s.confirm == nil || !strings.Contains(fx.topDialogText(), "将 李明 保管的 3 件载体全部移交给 赵红") {
		t.Fatalf("confirmation %q", fx.topDialogText())
	}
	fx.tapButton("确认交接")
	if !strings.Contains(s.result.Text, "已登记交接清单 交〔2026〕0001：李明 移交 赵红，共 3 件") {
		t.Fatalf("result %q / %q", s.result.Text, s.msgs.text(""))
	}
	if s.shown.SlipNo != "交〔2026〕0001" || len(s.items) != 3 {
		t.Fatalf("the new handover list is not shown: %+v %d items", s.shown, len(s.items))
	}
	list := strings.Join(texts(s.grid), "\n")
	for _, r := range regs {
		if !strings.Contains(list, r) {
			t.Errorf("交接清单 %q lacks %s", list, r)
		}
	}
	if strings.Contains(list, other) {
		t.Errorf("交接清单 lists 张华's %s", other)
	}
	if !strings.Contains(s.info.Text, "监交人：刘洋") || !strings.Contains(s.info.Text, "备注：岗位调整") {
		t.Errorf("info %q", s.info.Text)
	}
	if len(s.rows) != 1 || !strings.Contains(handoverLine(s.rows[0]), "李明 → 赵红") {
		t.Errorf("交接记录 %+v", s.rows)
	}
	if contains(s.from.Options, "李明") || !contains(s.from.Options, "赵红") {
		t.Errorf("移交人 after the handover offers %q", s.from.Options)
	}
	for _, r := range regs {
		c, err := fx.svc.GetByRegNo(fx.sess, r)
		if err != nil {
			t.Fatal(err)
		}
		if c.Custodian != "赵红" {
			t.Errorf("%s held by %q", r, c.Custodian)
		}
	}
	// The detail's history says who handed over to whom.
	c, _ := fx.svc.GetByRegNo(fx.sess, regs[0])
	fx.m.detail.show(c.ID)
	if got := strings.Join(fx.m.detail.lines, "\n"); !strings.Contains(got, "李明 → 赵红") {
		t.Errorf("history %q", got)
	}
}

// The domain refuses a handover to the custodian themself and one while
// their self-inspection is open (R4, R5): its message shows and nobody's
// carriers move.
func TestHandoverUI_R5_RefusedHandoverMovesNothing(t *testing.T) {
	fx := newFixture(t)
	regs := fx.registerHeld("李明", 2)
	s := fx.openHandover()
	s.from.SetSelected("李明")
	test.Type(s.to, "李明")
	test.Tap(s.save)
	fx.tapButton("确认交接")
	if got := s.msgs.text(app.FieldHandoverTo); !strings.Contains(got, "接收人不能是移交人本人") {
		t.Fatalf("handover to oneself: %q", got)
	}

	if _, err := fx.svc.StartInspection(fx.sess, "李明"); err != nil {
		t.Fatal(err)
	}
	s.reload()
	if !strings.Contains(s.moving.Text, "自查尚未完成") {
		t.Errorf("移交载体 with an open inspection: %q", s.moving.Text)
	}
	s.to.SetText("赵红")
	test.Tap(s.save)
	fx.tapButton("确认交接")
	if got := s.msgs.text(app.FieldHandoverWitness); !strings.Contains(got, "监交人") {
		t.Fatalf("handover without a 监交人 (R27): %q", got)
	}
	test.Type(s.witness, "刘洋")
	test.Tap(s.save)
	fx.tapButton("确认交接")
	if got := s.msgs.text(app.FieldHandoverFrom); !strings.Contains(got, "自查尚未完成") {
		t.Fatalf("handover during an inspection: %q", got)
	}
	if hs, err := fx.svc.Handovers(fx.sess); err != nil || len(hs) != 0 {
		t.Fatalf("handovers after the refusals: %v %v", hs, err)
	}
	for _, r := range regs {
		if c, _ := fx.svc.GetByRegNo(fx.sess, r); c.Custodian != "李明" || c.State != models.StateInStore {
			t.Errorf("%s: %s %s", r, c.Custodian, c.State)
		}
	}
}

// The receiver is offered from the people the register knows; a name it
// doesn't know is named in the confirmation as a new custodian, so a typo
// is seen before it takes the carriers.
func TestHandoverUI_NewReceiverNamedBeforeConfirming(t *testing.T) {
	fx := newFixture(t)
	fx.registerHeld("李明", 1)
	s := fx.openHandover()
	if !contains(s.to.options, operator) || !contains(s.to.options, "李明") {
		t.Fatalf("receivers offered: %q", s.to.options)
	}
	s.from.SetSelected("李明")
	test.Type(s.to, operator)
	test.Tap(s.save)
	if got := fx.topDialogText(); strings.Contains(got, "还没有") {
		t.Errorf("a known receiver named as new: %q", got)
	}
	fx.key(fyne.KeyEscape)
	s.to.SetText("")
	test.Type(s.to, "王敏敏")
	test.Tap(s.save)
	if got := fx.topDialogText(); !strings.Contains(got, "还没有“王敏敏”这个人") {
		t.Errorf("a new receiver not named: %q", got)
	}
	fx.key(fyne.KeyEscape)
}

// Messages appearing under the fields don't move 交接 or 提交销毁申请 from
// under the pointer.
func TestButtonsStayPutWhenMessagesAppear(t *testing.T) {
	fx := newFixture(t)
	fx.w.Resize(smallWindow)
	s := fx.openHandover()
	d := fyne.CurrentApp().Driver()
	before := d.AbsolutePositionForObject(s.save)
	test.Tap(s.save) // nothing chosen: messages under the fields
	if s.msgs.text(app.FieldHandoverFrom) == "" {
		t.Fatal("no message shown")
	}
	if after := d.AbsolutePositionForObject(s.save); after != before {
		t.Errorf("交接 moved from %v to %v", before, after)
	}
	p := fx.newDestroyBatch()
	before = d.AbsolutePositionForObject(p.save)
	test.Tap(p.save)
	if p.msgs.text(app.FieldDestroyCarriers) == "" && p.msgs.text(app.FieldDestroyReason) == "" {
		t.Fatal("no message shown in the destruction list")
	}
	if after := d.AbsolutePositionForObject(p.save); after != before {
		t.Errorf("提交销毁申请 moved from %v to %v", before, after)
	}
}

// R27: a part of what one holds is handed over temporarily for leave; the
// home reminds when it is due back, and one act gives it back.
func TestHandoverUI_R27_PartialTemporaryAndItsReturn(t *testing.T) {
	fx := newFixture(t)
	regs := fx.registerHeld("李明", 3)
	s := fx.openHandover()
	s.from.SetSelected("李明")
	test.Type(s.to, "赵红")
	test.Type(s.witness, "刘洋")
	test.Type(s.only, regs[0]+"、"+regs[2])
	s.temp.SetChecked(true)
	test.Type(s.back, "2026-11-30")
	test.Tap(s.save)
	if !strings.Contains(fx.topDialogText(), "载体中所列 2 件临时交给 赵红") {
		t.Fatalf("confirmation %q", fx.topDialogText())
	}
	fx.tapButton("确认交接")
	if !strings.Contains(s.result.Text, "共 2 件") || !s.giveBack.Visible() || !strings.Contains(s.info.Text, "收回日期：2026-11-30") {
		t.Fatalf("after the temporary handover: %q %q (%q)", s.result.Text, s.info.Text, s.msgs.text(""))
	}
	for i, want := range []string{"赵红", "李明", "赵红"} {
		if c, _ := fx.svc.GetByRegNo(fx.sess, regs[i]); c.Custodian != want {
			t.Fatalf("%s held by %s, want %s", regs[i], c.Custodian, want)
		}
	}
	fx.now = time.Date(2026, 11, 30, 9, 0, 0, 0, time.Local)
	fx.showHome()
	if !strings.Contains(strings.Join(texts(fx.m.home.todo.returns), "|"), "应于 2026-11-30 收回") {
		t.Fatalf("home 待交接: %q", texts(fx.m.home.todo.returns))
	}
	fx.m.openHandover(s.shown.ID)
	test.Tap(s.giveBack)
	d := s.backDlg
	test.Tap(d.save)
	if got := d.msgs.text(app.FieldHandoverWitness); !strings.Contains(got, "监交人") {
		t.Fatalf("return without a witness: %q", got)
	}
	test.Type(d.witness, "刘洋")
	test.Tap(d.save)
	if s.backDlg != nil || !strings.Contains(s.result.Text, "已收回") {
		t.Fatalf("return: %q %q", s.result.Text, d.msgs.text(""))
	}
	for _, r := range regs {
		if c, _ := fx.svc.GetByRegNo(fx.sess, r); c.Custodian != "李明" {
			t.Fatalf("%s held by %s after the return", r, c.Custodian)
		}
	}
}
