package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// regNos are the register numbers of every carrier, oldest first.
func (fx *fixture) regNos() []string {
	fx.t.Helper()
	list, err := fx.svc.Page(fx.sess, app.Query{Sort: app.SortSeq, Asc: true}, 0, 100)
	if err != nil {
		fx.t.Fatal(err)
	}
	var out []string
	for _, c := range list {
		out = append(out, c.RegNo)
	}
	return out
}

// newDestroyBatch opens the 销毁 tab and a new batch, and adds regNos by
// typing each and pressing Enter.
func (fx *fixture) newDestroyBatch(regNos ...string) *destroyRequestPanel {
	fx.t.Helper()
	fx.m.showDestroy()
	s := fx.m.destroy
	test.Tap(s.newBatch)
	p := s.request
	if p == nil {
		fx.t.Fatal("新建销毁批次 opened no panel")
	}
	for _, r := range regNos {
		test.Type(p.regNo, r)
		pressEnter(p.regNo)
		if got := p.msgs.text(app.FieldDestroyCarriers); got != "" {
			fx.t.Fatalf("adding %s: %q", r, got)
		}
	}
	return p
}

// completeDialog taps 登记销毁 of the shown batch.
func (fx *fixture) completeDialog() *destroyCompleteDialog {
	fx.t.Helper()
	s := fx.m.destroy
	if !s.complete.Visible() {
		fx.t.Fatalf("登记销毁 not offered; batch %q", s.heading.Text)
	}
	test.Tap(s.complete)
	if s.completing == nil {
		fx.t.Fatal("登记销毁 opened no dialog")
	}
	return s.completing
}

// A destruction batch completed: two carriers added by register number,
// requested, approved, destroyed by 送销 with two witnesses who are neither
// the same person nor the requester (R2, R17).
func TestDestroyUI_R17_BatchCompleted(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("陈刚", models.ActionSet{models.ApproveDestroy}, models.LevelSecret)
	fx.register("遂安府办发〔2026〕40号", "关于做好年终保密检查的通知", "遂安市人民政府办公室")
	fx.register("遂安府办发〔2026〕41号", "关于印发保密工作要点的通知", "遂安市人民政府办公室")
	regs := fx.regNos()
	if len(regs) != 2 {
		t.Fatalf("register numbers %q", regs)
	}

	p := fx.newDestroyBatch(regs...)
	if len(p.carriers) != 2 || len(p.remove) != 2 {
		t.Fatalf("carriers added: %d, 移除 buttons %d", len(p.carriers), len(p.remove))
	}
	lines := strings.Join(texts(p.lines), "\n")
	for _, want := range []string{regs[0], "关于做好年终保密检查的通知", "机密 份号000001", regs[1]} {
		if !strings.Contains(lines, want) {
			t.Errorf("added lines %q lack %q", lines, want)
		}
	}
	// An unknown number is refused with a message; 移除 takes a line away.
	test.Type(p.regNo, "收〔2026〕9999")
	pressEnter(p.regNo)
	if got := p.msgs.text(app.FieldDestroyCarriers); !strings.Contains(got, "找不到") {
		t.Fatalf("unknown number message = %q", got)
	}
	p.regNo.SetText("")
	test.Tap(p.remove[1])
	if len(p.carriers) != 1 {
		t.Fatalf("after 移除: %d carriers", len(p.carriers))
	}
	test.Type(p.regNo, regs[1])
	pressEnter(p.regNo)
	if p.request.Text != "王敏" {
		t.Errorf("申请人 = %q, want the signed-in clerk", p.request.Text)
	}

	// Without a reason: the domain's message under the field.
	test.Tap(p.save)
	if got := p.msgs.text(app.FieldDestroyReason); !strings.Contains(got, "销毁原因") {
		t.Fatalf("reason message = %q", got)
	}
	test.Type(p.reason, "已过保管期限，无保存价值")
	test.Tap(p.save)
	s := fx.m.destroy
	if s.request != nil {
		t.Fatalf("request refused: %q", p.msgs.text(""))
	}
	if !strings.Contains(s.result.Text, "已登记销毁申请 销〔2026〕0001") {
		t.Errorf("result = %q", s.result.Text)
	}
	if len(s.rows) != 1 || !strings.Contains(batchLine(s.rows[0]), "2 件") ||
		!strings.Contains(batchLine(s.rows[0]), "待审批") {
		t.Fatalf("batches = %+v", s.rows)
	}
	if !s.decide.Visible() || s.complete.Visible() {
		t.Fatal("a pending batch should offer 登记审批结果 only")
	}
	if got := len(s.list.l.Items); got != 2 {
		t.Fatalf("销毁清单 has %d items", got)
	}
	cells := destroyItemCells(s.list.l.Items[0])
	if cells[0] != "1" || cells[1] != "关于做好年终保密检查的通知" || cells[7] != "000001" {
		t.Errorf("first item = %q", cells)
	}

	// Approved by an approver holding 销毁 at 机密.
	test.Tap(s.decide)
	dec := s.deciding
	if dec == nil {
		t.Fatal("登记审批结果 opened no dialog")
	}
	if !dec.selectApprover("陈刚") {
		t.Fatalf("approvers offered = %q", dec.approver.Options)
	}
	dec.decision.SetSelected("同意")
	test.Tap(dec.save)
	if s.deciding != nil {
		t.Fatalf("decision refused: %q / %q", dec.msgs.text(""), dec.msgs.text(app.FieldApprover))
	}
	if !strings.Contains(s.heading.Text, "已批准") || !s.complete.Visible() || s.decide.Visible() {
		t.Fatalf("after approval: %q", s.heading.Text)
	}

	// One witness: refused (R17).
	d := fx.completeDialog()
	d.method.SetSelected(string(models.MethodSent))
	if !d.escortRow[1].Visible() || d.equipRow[1].Visible() {
		t.Error("送销 should ask for the escorts, not the equipment number")
	}
	test.Type(d.escort1, "李明")
	test.Type(d.escort2, "周红")
	test.Type(d.place, "市保密局销毁中心")
	if d.date.Text != "2026-11-23" {
		t.Errorf("date = %q, want today", d.date.Text)
	}
	test.Type(d.witness1, "张强")
	test.Tap(d.save)
	if got := d.msgs.text(app.FieldWitnesses); !strings.Contains(got, "两名监销人") {
		t.Fatalf("one witness message = %q", got)
	}
	// The requester as witness: refused (R17).
	test.Type(d.witness2, "王敏")
	test.Tap(d.save)
	if got := d.msgs.text(app.FieldWitnesses); !strings.Contains(got, "申请人王敏不能担任监销人") {
		t.Fatalf("requester witness message = %q", got)
	}
	if s.completing == nil {
		t.Fatal("the dialog closed after a refusal")
	}
	d.witness2.SetText("")
	test.Type(d.witness2, "赵丽")
	test.Tap(d.save)
	if s.completing != nil {
		t.Fatalf("destruction refused: %q", d.msgs.text(""))
	}
	if !strings.Contains(s.heading.Text, "已销毁") || s.complete.Visible() {
		t.Errorf("after destruction: %q", s.heading.Text)
	}
	if !strings.Contains(s.info.Text, "监销人 张强、赵丽") || !strings.Contains(s.info.Text, "护送人 李明、周红") {
		t.Errorf("batch info = %q", s.info.Text)
	}
	if s.totals.Text != "合计：纸介质 2 份" {
		t.Errorf("totals = %q", s.totals.Text)
	}

	// The ledger: both 已销毁 under 全部, neither under 在册.
	fx.m.showLedger()
	fx.m.ledger.state.SetSelected(filterAll)
	rows := fx.dataRows()
	if len(rows) != 2 {
		t.Fatalf("全部 rows = %q", rows)
	}
	for _, r := range rows {
		if r[colState] != "已销毁" {
			t.Errorf("row %q not 已销毁", r)
		}
	}
	fx.m.ledger.state.SetSelected(filterHeld)
	if rows := fx.dataRows(); len(rows) != 0 {
		t.Errorf("在册 rows = %q", rows)
	}
}

// A carrier flagged for 清退 in its detail can't be put in a destruction
// batch: the refusal names it (R16); cleared, it can.
func TestDestroyUI_R16_ReturnFlaggedRefused(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕40号", "关于做好年终保密检查的通知", "遂安市人民政府办公室")
	regs := fx.regNos()
	d := fx.openDetailOf("000001")
	if d.returnFlag.Disabled() || d.returnFlag.Text != "标记清退" {
		t.Fatalf("标记清退 button: %q disabled=%v", d.returnFlag.Text, d.returnFlag.Disabled())
	}
	test.Tap(d.returnFlag)
	if d.carrier.ReturnToIssuer || !strings.Contains(fx.topDialogText(), "不得销毁") {
		t.Fatalf("标记清退 does not ask first: dialog %q", fx.topDialogText())
	}
	fx.tapButton("标记清退")
	if !strings.Contains(d.flagResult.Text, "已标记清退") || d.returnFlag.Text != "取消清退" ||
		!strings.Contains(d.marking.Text, "待清退") {
		t.Fatalf("after flagging: result %q, button %q, marking %q", d.flagResult.Text, d.returnFlag.Text,
			d.marking.Text)
	}

	// Refused as it is added, with the reason, not at 提交; and audited.
	p := fx.newDestroyBatch()
	test.Type(p.regNo, regs[0])
	pressEnter(p.regNo)
	got := p.msgs.text(app.FieldDestroyCarriers)
	if !strings.Contains(got, regs[0]) || !strings.Contains(got, "清退") || len(p.carriers) != 0 {
		t.Fatalf("R16 at adding: message %q, %d in the list", got, len(p.carriers))
	}
	recs, _, err := fx.svc.AuditTrail(fx.session(loginAuditor), app.AuditQuery{Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	refused := false
	for _, r := range recs {
		refused = refused || (!r.Success && strings.Contains(r.Detail, "列入销毁单"))
	}
	if !refused {
		t.Errorf("the refusal left no audit record: %+v", recs)
	}
	if fx.m.destroy.request != p || len(fx.m.destroy.rows) != 0 {
		t.Fatal("a refused carrier should leave the panel open and record no batch")
	}

	// Cleared, the carrier may be destroyed.
	fx.m.showLedger()
	d = fx.openDetailOf("000001")
	test.Tap(d.returnFlag)
	if d.returnFlag.Text != "标记清退" {
		t.Fatalf("after clearing: button %q, result %q", d.returnFlag.Text, d.flagResult.Text)
	}
	fx.m.showDestroy()
	p.regNo.SetText(regs[0])
	pressEnter(p.regNo)
	test.Type(p.reason, "已过保管期限")
	test.Tap(p.save)
	if fx.m.destroy.request != nil {
		t.Fatalf("request refused after clearing: %q", p.msgs.text(app.FieldDestroyCarriers))
	}
}
