package ui

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// walkAll calls fn on o and every object under it, hidden ones included:
// what is in the canvas tree, whether drawn or not.
func walkAll(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch c := o.(type) {
	case fyne.Widget:
		for _, ch := range test.WidgetRenderer(c).Objects() {
			walkAll(ch, fn)
		}
	case *fyne.Container:
		for _, ch := range c.Objects {
			walkAll(ch, fn)
		}
	}
}

// canvasStrings is every string in the window's canvas tree, dialogs
// included, hidden objects included: labels, buttons, bare text, entries
// and selects.
func (fx *fixture) canvasStrings() []string {
	var out []string
	collect := func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *canvas.Text:
			out = append(out, w.Text)
		case *cjkText:
			out = append(out, w.Text) // as written, before it is broken into lines
		case *entry:
			out = append(out, w.Text)
		case *widget.Select:
			out = append(out, w.Selected)
		}
	}
	walkAll(fx.w.Canvas().Content(), collect)
	for _, o := range fx.w.Canvas().Overlays().List() {
		walkAll(o, collect)
	}
	return out
}

// onCanvas reports whether any string in the canvas tree contains s.
func (fx *fixture) onCanvas(s string) bool {
	for _, t := range fx.canvasStrings() {
		if strings.Contains(t, s) {
			return true
		}
	}
	return false
}

// shown is the screen in the Shell's stack.
func (fx *fixture) shown() fyne.CanvasObject { return fx.s.stack.Objects[0] }

func TestTopBar_SignOutAndChangePassword(t *testing.T) {
	fx := newFixture(t)
	fx.registerHalf("未保存的题名")
	test.Tap(findButton(t, fx.s.home, "修改密码"))
	p := fx.s.password
	if p == nil || p.forced || fx.shown() != p.content {
		t.Fatal("修改密码 does not open the change of password")
	}
	test.Tap(findButton(t, p.content, "取消"))
	if fx.shown() != fx.s.home || fx.form().title.Text != "未保存的题名" {
		t.Fatal("取消 does not return to the home as it was")
	}
	test.Tap(findButton(t, fx.s.home, "修改密码"))
	p = fx.s.password
	test.Type(p.old, testPassword)
	test.Type(p.new, "Neues-pass-2026")
	test.Type(p.confirm, "Neues-pass-2026")
	test.Tap(p.save)
	if fx.shown() != fx.s.home || !strings.Contains(fx.topDialogText(), "密码已修改") {
		t.Fatalf("after a change: home %v, dialog %q", fx.shown() == fx.s.home, fx.topDialogText())
	}

	// 退出登录 asks first: Esc keeps the session, Enter ends it.
	test.Tap(findButton(t, fx.s.home, "退出登录"))
	if !strings.Contains(fx.topDialogText(), "退出登录吗") {
		t.Fatalf("退出登录 does not ask first; dialog %q", fx.topDialogText())
	}
	fx.key(fyne.KeyEscape)
	if fx.s.sess == nil || strings.Contains(fx.topDialogText(), "退出登录吗") {
		t.Fatal("Esc did not cancel the sign-out")
	}
	test.Tap(findButton(t, fx.s.home, "退出登录"))
	fx.key(fyne.KeyReturn)
	if fx.s.sess != nil || fx.s.signIn == nil || !strings.Contains(fx.s.signIn.notice.Text, "已退出登录") {
		t.Fatal("退出登录 does not lead to the sign-in")
	}
	if len(fx.w.Canvas().Overlays().List()) != 0 || fx.onCanvas("未保存的题名") {
		t.Error("something of the clerk's stayed in the window")
	}
	fx.signIn(loginClerk, "Neues-pass-2026")
	if fx.s.clerk == nil {
		t.Errorf("sign-in with the new password: %q", fx.s.signIn.msg.Text)
	}
}

func TestHome_R18_SysAdminManagesAccountsNotTheRegister(t *testing.T) {
	fx := newShellFixture(t, newService(t, true, true), nil)
	fx.signIn(loginSysAdmin, testPassword)
	h := fx.s.sysAdmin
	if h == nil || fx.s.clerk != nil {
		t.Fatal("the system administrator does not get the accounts home")
	}
	if !fx.onCanvas("账户管理") || !fx.onCanvas("张伟（系统管理员）") {
		t.Error("no 账户管理 or no 张伟（系统管理员）")
	}
	for _, s := range []string{"台账", "登记", "审计记录"} {
		if fx.onCanvas(s) {
			t.Errorf("the system administrator is offered %q", s)
		}
	}
	if len(h.users.users) != 4 || h.users.cellText(0, 0) == "" {
		t.Fatalf("users = %d", len(h.users.users))
	}

	test.Tap(h.create)
	d := h.creator
	fillAccount(d.fields, "sunli", "孙丽", "short")
	test.Tap(d.save)
	if got := d.fields.msgs.text("Password"); !strings.HasPrefix(got, "密码至少 10 位") || h.creator == nil {
		t.Errorf("short first password: message %q, dialog open %v", got, h.creator != nil)
	}
	d.fields.password.SetText(firstPassword)
	d.fields.confirm.SetText(firstPassword)
	test.Tap(d.save)
	if h.creator != nil {
		t.Fatalf("dialog still open: %q %q", d.fields.msgs.text(""), d.fields.msgs.text("Login"))
	}
	if got := h.status.Text; !strings.Contains(got, "已建立账户 sunli（孙丽，机要员）") {
		t.Errorf("status = %q", got)
	}
	u := h.users.current()
	if u == nil || u.Login != "sunli" || userStatus(*u, fx.now) != "须改密码" {
		t.Fatalf("new account not selected or not 须改密码: %+v", u)
	}

	// Lock sunli out, then lift the lockout.
	for i := 0; i < 5; i++ {
		fx.svc.SignIn("sunli", "Wrong-pass-1")
	}
	test.Tap(findButton(t, h.content, "刷新"))
	if got := h.users.cellText(rowOf(h.users, "sunli"), 3); got != "锁定至 2026-11-23 10:15" {
		t.Errorf("status of a locked account = %q", got)
	}
	if h.unlock.Disabled() {
		t.Fatal("解除锁定 not offered for a locked account")
	}
	test.Tap(h.unlock)
	if got := h.users.cellText(rowOf(h.users, "sunli"), 3); got != "须改密码" {
		t.Errorf("status after 解除锁定 = %q (%s)", got, h.status.Text)
	}

	// Disable after confirming; enable again.
	test.Tap(h.toggle)
	test.Tap(findButton(t, fx.w.Canvas().Overlays().Top(), "是"))
	if got := h.users.cellText(rowOf(h.users, "sunli"), 3); got != "已停用" || h.toggle.Text != "启用" {
		t.Errorf("after 停用: %q, button %q, status %q", got, h.toggle.Text, h.status.Text)
	}
	test.Tap(h.toggle)
	if got := h.users.cellText(rowOf(h.users, "sunli"), 3); got != "须改密码" {
		t.Errorf("after 启用: %q", got)
	}

	// Reset a password.
	test.Tap(h.reset)
	r := h.reseter
	test.Type(r.password, "Reset-pass-2026")
	test.Type(r.confirm, "Reset-pass-2026")
	test.Tap(r.save)
	if h.reseter != nil || !strings.Contains(h.status.Text, "已重置 sunli（孙丽）的密码") {
		t.Errorf("reset: %q / %q", r.msgs.text("Password"), h.status.Text)
	}
	if _, must, err := fx.svc.SignIn("sunli", "Reset-pass-2026"); err != nil || !must {
		t.Errorf("sign in with the reset password: must %v, err %v", must, err)
	}

	// One's own account can't be disabled; the button says so by not being offered.
	h.users.selectLogin(loginSysAdmin)
	if !h.toggle.Disabled() {
		t.Error("停用 offered for the administrator's own account")
	}

	h.tabs.SelectIndex(1) // 单位设置
	h.office.SetText("")
	test.Type(h.office, "遂安市保密局机要室")
	test.Tap(h.officeSave)
	if got := fx.svc.OfficeName(); got != "遂安市保密局机要室" || !h.officeMsg.Visible() {
		t.Errorf("office = %q, message %q", got, h.officeMsg.Text)
	}
}

// rowOf is the row of the account with the login.
func rowOf(t *usersTable, login string) int {
	for i, u := range t.users {
		if u.Login == login {
			return i
		}
	}
	return -1
}

func TestHome_R18_SecAdminAssignsRolesKeepingAdminsApart(t *testing.T) {
	svc := newService(t, true, true)
	fx := newShellFixture(t, svc, nil)
	admin := fx.session(loginSysAdmin)
	for _, a := range []app.NewAccount{{Login: "sunli", FullName: "孙丽", Password: firstPassword},
		{Login: "zhaoq2", FullName: "赵强", Password: firstPassword}} {
		if _, err := svc.CreateUser(admin, a); err != nil {
			t.Fatal(err)
		}
	}
	fx.signIn(loginSecAdmin, testPassword)
	h := fx.s.secAdmin
	if h == nil || !fx.onCanvas("角色分配") || fx.onCanvas("台账") || fx.onCanvas("新建账户") {
		t.Fatal("the security officer's home is wrong")
	}

	h.users.selectLogin("sunli")
	if h.role.Disabled() || h.role.Selected != "机要员" {
		t.Fatalf("role select for sunli: disabled %v, %q", h.role.Disabled(), h.role.Selected)
	}
	h.role.SetSelected("安全保密管理员")
	test.Tap(h.apply)
	if got := h.status.Text; got != "sunli（孙丽）的角色已改为安全保密管理员" {
		t.Errorf("status = %q", got)
	}
	if got := h.users.cellText(rowOf(h.users, "sunli"), 2); got != "安全保密管理员" {
		t.Errorf("table role = %q", got)
	}

	// 赵强 is the auditor: his second account can't be a system administrator (R18).
	h.users.selectLogin("zhaoq2")
	h.role.SetSelected("系统管理员")
	test.Tap(h.apply)
	if got := h.status.Text; !strings.Contains(got, "安全审计员不能与系统管理员或安全保密管理员是同一人") ||
		h.status.Importance != widget.DangerImportance {
		t.Errorf("same-person refusal = %q", got)
	}
	if h.role.Selected != "机要员" {
		t.Errorf("select shows %q after the refusal, want the role kept", h.role.Selected)
	}

	h.users.selectLogin(loginSecAdmin)
	if !h.role.Disabled() || !h.apply.Disabled() {
		t.Error("the security officer is offered a change of their own role")
	}

	h.tabs.SelectIndex(1) // 安全策略
	h.policy.minLength.SetText("4")
	test.Tap(h.policySave)
	if got := h.policy.msgs.text(""); got != "密码最短长度应在 8 到 64 之间" {
		t.Errorf("policy message = %q", got)
	}
	h.policy.minLength.SetText("12")
	h.policy.idle.SetText("5")
	test.Tap(h.policySave)
	if p, _ := svc.Policy(); p.MinLength != 12 || p.IdleMinutes != 5 {
		t.Errorf("policy = %+v; %q", p, h.policyMsg.Text)
	}
	// The new idle time applies at once.
	fx.advance(5 * time.Minute)
	fx.s.checkIdle()
	if !fx.s.locked {
		t.Error("not locked after the new 5 idle minutes")
	}
}

func TestHome_R18_AuditorReadsVerifiesAndExports(t *testing.T) {
	svc := newService(t, true, true)
	fx := newShellFixture(t, svc, nil)
	fx.signIn(loginClerk, "Wrong-pass-1")
	fx.signIn(loginAuditor, testPassword)
	h := fx.s.auditor
	if h == nil || fx.onCanvas("台账") || fx.onCanvas("账户管理") {
		t.Fatal("the auditor's home is wrong")
	}
	_, total, _ := svc.AuditTrail(fx.session(loginAuditor), app.AuditQuery{})
	// The auditor's own sign-in above is in the trail; the session just made is too.
	if got, want := h.total.Text, fmt.Sprintf("共 %d 条", total-1); got != want {
		t.Errorf("total = %q, want %q", got, want)
	}
	if got := h.cellText(0, 4); got != "登录" {
		t.Errorf("newest event = %q", got)
	}
	if got := h.cellText(0, 1); got != "2026-11-23 10:00:00" {
		t.Errorf("time = %q", got)
	}

	// The failed sign-in, found by its user and event.
	test.Type(h.login, loginClerk)
	h.event.SetSelected("登录")
	test.Tap(h.search)
	if h.total.Text != "共 2 条" { // the first sign-in at setup and the failure
		t.Errorf("filtered total = %q", h.total.Text)
	}
	if got := h.cellText(0, 6); got != "失败" {
		t.Errorf("newest result = %q", got)
	}
	h.from.SetText("2026-11-24")
	test.Tap(h.search)
	if h.total.Text != "共 0 条" {
		t.Errorf("from tomorrow: %q", h.total.Text)
	}
	h.from.SetText("2026-13-01")
	test.Tap(h.search)
	if got := h.filterMsg.Text; !strings.Contains(got, "起始日期“2026-13-01”不是有效日期") {
		t.Errorf("bad date message = %q", got)
	}
	test.Tap(h.reset)

	test.Tap(h.verify)
	if got := h.verdict.Text; !strings.HasPrefix(got, "审计记录与登记簿完整：审计记录 ") || h.verdict.Importance != widget.SuccessImportance {
		t.Errorf("verdict = %q", got)
	}

	var buf bytes.Buffer
	h.exportTo(nopCloser{&buf}, "/tmp/审计记录.csv", exportCSV)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if !strings.HasPrefix(lines[0], "\xef\xbb\xbf序号,时间,用户") {
		t.Errorf("CSV header = %q", lines[0])
	}
	if got, want := h.status.Text, fmt.Sprintf("已导出 %d 条审计记录到 /tmp/审计记录.csv", len(lines)-1); got != want {
		t.Errorf("status = %q, want %q", got, want)
	}
	var pdf bytes.Buffer
	h.exportTo(nopCloser{&pdf}, "/tmp/审计记录.pdf", exportPDF)
	if !bytes.HasPrefix(pdf.Bytes(), []byte("%PDF")) || !strings.HasPrefix(h.status.Text, "已导出 ") {
		t.Errorf("PDF export: %d bytes, status %q", pdf.Len(), h.status.Text)
	}
	test.Tap(h.export)
	if fx.w.Canvas().Overlays().Top() == nil {
		t.Error("导出 CSV opens no file dialog")
	}
}

type nopCloser struct{ *bytes.Buffer }

func (nopCloser) Close() error { return nil }

func TestAudit_R18_BrokenChainNamedInRed(t *testing.T) {
	svc := newService(t, true, true)
	fx := newShellFixture(t, svc, nil)
	fx.signIn(loginAuditor, testPassword)
	for _, q := range []string{`DROP TRIGGER IF EXISTS audit_log_no_update`,
		`UPDATE audit_log SET detail = '改过' WHERE seq = 3`} {
		if err := svc.DB().Exec(q).Error; err != nil {
			t.Fatal(err)
		}
	}
	test.Tap(fx.s.auditor.verify)
	v := fx.s.auditor.verdict
	if !strings.HasPrefix(v.Text, "发现 2 处问题") || v.Importance != widget.DangerImportance {
		t.Errorf("verdict = %q", v.Text)
	}
	if d := fx.s.auditor.detail.Text; !strings.Contains(d, "第 3 条审计记录的内容或校验值与链不符") ||
		!strings.Contains(d, "缺少触发器 audit_log_no_update") {
		t.Errorf("findings = %q", d)
	}
}

func TestShell_StartViewRegisterFocusesDocNumber(t *testing.T) {
	svc := newService(t, true, true)
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	s := newShell(a, w, svc, Options{StartView: ViewRegister}, env{run: func(f func()) { f() }, now: time.Now,
		open: func(string) error { return nil }})
	if w.Canvas().Focused() != nil {
		t.Fatal("focus given before the Shell is in the window")
	}
	w.SetContent(s.Content())
	s.focusPending()
	if w.Canvas().Focused() != s.signIn.login {
		t.Fatalf("focus on %T after the window showed, want 登录名", w.Canvas().Focused())
	}
	test.Type(s.signIn.login, loginClerk)
	pressEnter(s.signIn.login)
	if w.Canvas().Focused() != s.signIn.password {
		t.Fatal("Enter in 登录名 does not go to 密码")
	}
	test.Type(s.signIn.password, testPassword)
	pressEnter(s.signIn.password)
	if s.clerk == nil || s.clerk.tabs.Selected() != s.clerk.registerTab || w.Canvas().Focused() != s.clerk.register.form.docNumber {
		t.Error("--view register does not open the form ready for 文号")
	}
	if got := s.clerk.register.form.custodian.Text; got != operator {
		t.Errorf("责任人 defaults to %q, want the signed-in clerk", got)
	}
}

// TestAudit_ThreeRulesBrokenInTheWindow_ThreeRecordsForTheAuditor: every
// refusal in the window leaves one audit record naming the operation, and
// the auditor's 违规被拒 filter finds them.
func TestAudit_ThreeRulesBrokenInTheWindow_ThreeRecordsForTheAuditor(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("刘建国", models.ActionSet{models.ApproveCopy}, models.LevelTopSecret)
	// 1. A carrier marked for return put on a destruction list.
	fx.register("遂安府办发〔2026〕30号", "关于清退文件的通知", "遂安市人民政府办公室")
	d := fx.openDetailOf("000001")
	test.Tap(d.returnFlag)
	fx.key(fyne.KeyReturn) // confirms the marking
	p := fx.newDestroyBatch()
	test.Type(p.regNo, d.carrier.RegNo)
	pressEnter(p.regNo)
	if got := p.msgs.text(app.FieldDestroyCarriers); !strings.Contains(got, "清退") {
		t.Fatalf("destroying a carrier marked for return: %q", got)
	}
	fx.m.showLedger()
	// 2. A backdated approval.
	fx.register("遂安府办发〔2026〕31号", "关于印发工作要点的通知", "遂安市人民政府办公室")
	fx.openDetailOf("000001")
	fx.requestCopy("1", "存档备查")
	dec := fx.openDecision()
	dec.selectApprover("刘建国")
	dec.decision.SetSelected("同意")
	dec.date.SetText("2026-11-22")
	test.Tap(dec.save)
	if got := dec.msgs.text(app.FieldDecidedOn); !strings.Contains(got, "不得倒签") {
		t.Fatalf("backdated: %q", got)
	}
	// 3. A handover to oneself.
	fx.registerHeld("李明", 1)
	s := fx.openHandover()
	s.from.SetSelected("李明")
	test.Type(s.to, "李明")
	test.Tap(s.save)
	fx.tapButton("确认交接")
	if got := s.msgs.text(app.FieldHandoverTo); !strings.Contains(got, "接收人不能是移交人本人") {
		t.Fatalf("handover to oneself: %q", got)
	}

	aud := newShellFixture(t, fx.svc, nil)
	aud.signIn(loginAuditor, testPassword)
	h := aud.s.auditor
	if h == nil {
		t.Fatal("the auditor's home is not shown")
	}
	h.event.SetSelected("违规被拒")
	test.Tap(h.search)
	if h.total.Text != "共 3 条" {
		t.Fatalf("违规被拒: %s", h.total.Text)
	}
	var details []string
	for row := 0; row < 3; row++ {
		details = append(details, h.cellText(row, 7))
		if h.cellText(row, 2) != loginClerk || h.cellText(row, 6) != "失败" {
			t.Errorf("row %d: user %q result %q", row, h.cellText(row, 2), h.cellText(row, 6))
		}
	}
	for i, want := range []string{"交接：", "复制审批：", "列入销毁单："} {
		if !strings.HasPrefix(details[i], want) {
			t.Errorf("record %d = %q, want it to name %q", i, details[i], want)
		}
	}
}

// TestShell_OlderDatabasePutBack_ClerkToldAtOnceAndRefused: a database file
// put back from an older copy is seen when it opens; the clerk's window
// says so above everything, and a save is refused with the reason.
func TestShell_OlderDatabasePutBack_ClerkToldAtOnceAndRefused(t *testing.T) {
	svc := newService(t, true, true)
	path := svc.Path()
	if err := svc.DB().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`).Error; err != nil {
		t.Fatal(err)
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sess, _, err := svc.SignIn(loginClerk, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Register(sess, validForm("遂安府办发〔2026〕1号", "关于印发工作要点的通知")); err != nil {
		t.Fatal(err)
	}
	svc.Close()
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	if err := os.WriteFile(path, old, 0o600); err != nil {
		t.Fatal(err)
	}
	again, err := app.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { again.Close() })
	fx := newShellFixture(t, again, nil)
	fx.signIn(loginClerk, testPassword)
	if fx.s.clerk == nil {
		t.Fatalf("the clerk's home is not shown: %q", fx.s.signIn.msg.Text)
	}
	if !fx.onCanvas("审计记录不完整，登记簿已停止一切修改") {
		t.Error("no warning above the clerk's home")
	}
	fx.m, fx.sess = fx.s.clerk, fx.s.sess
	fx.m.showRegister()
	fx.typeDoc("遂安府办发〔2026〕2号", "关于做好保密自查的通知", "遂安市人民政府办公室")
	test.Tap(fx.m.register.saveBtn)
	if got := fx.form().formErr.Text + fx.m.register.result.Text; !strings.Contains(got, "登记簿已停止一切修改") {
		t.Errorf("save on the older copy: %q", got)
	}
}
