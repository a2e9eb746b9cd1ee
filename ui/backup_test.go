package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/app/backup"
)

func init() {
	backup.KDF = backup.KDFParams{Time: 1, MemoryKiB: 1024, Threads: 1}
	backup.RecoveryKDF = backup.KDF
}

// The system administrator's backup passphrase and the security officer's
// recovery passphrase in the tests.
const (
	bkPass       = "备份口令-界面测试-2026-机要室"
	recoveryPass = "恢复口令-安全保密管理员-2026"
)

// sysAdminFixture signs the system administrator in and returns the 备份与恢复 pane.
func sysAdminFixture(t *testing.T) (*fixture, *backupPane) {
	t.Helper()
	fx := newShellFixture(t, newService(t, true, true), nil)
	fx.signIn(loginSysAdmin, testPassword)
	if fx.s.sysAdmin == nil {
		t.Fatal("the system administrator's home is not shown")
	}
	return fx, fx.s.sysAdmin.backup
}

// tapButton taps the button with the text in the dialog on top.
func (fx *fixture) tapButton(text string) {
	fx.t.Helper()
	var found *widget.Button
	walk(fx.w.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
	})
	if found == nil {
		fx.t.Fatalf("no button %q in %q", text, fx.topDialogText())
	}
	test.Tap(found)
}

func TestBackupPane_BackupVerifyAndReminder(t *testing.T) {
	fx, p := sysAdminFixture(t)
	if !p.reminder.Visible() || !strings.Contains(p.reminder.Text, "尚无已校验的备份") || p.reminder.Importance != widget.DangerImportance {
		t.Fatalf("reminder before any backup: %q (%v)", p.reminder.Text, p.reminder.Importance)
	}
	if !contains(texts(fx.s.sysAdmin.content), "备份与恢复") {
		t.Fatal("no 备份与恢复 tab")
	}

	// The passphrase is asked twice, and checked, before anything runs.
	ran := false
	p.askSecret("备份到 /media/u", true, func(app.BackupSecret) { ran = true })
	d := p.secret
	test.Type(d.passphrase, "短口令")
	test.Type(d.confirm, "短口令")
	test.Tap(d.ok)
	if ran || !strings.Contains(d.msg.Text, "至少") {
		t.Fatalf("short passphrase: ran %v, %q", ran, d.msg.Text)
	}
	d.passphrase.SetText(bkPass)
	d.confirm.SetText(bkPass + "x")
	test.Tap(d.ok)
	if ran || d.msg.Text != "两次输入的口令不一致" {
		t.Fatalf("mismatch: ran %v, %q", ran, d.msg.Text)
	}
	d.confirm.SetText(bkPass)
	test.Tap(d.ok)
	if !ran || p.secret != nil {
		t.Fatal("the passphrase dialog did not go on")
	}

	dir := t.TempDir()
	p.backupTo(dir, app.BackupSecret{Passphrase: bkPass})
	if p.progress != nil {
		t.Fatal("the progress dialog stayed open")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.sdbk"))
	if len(files) != 1 || !strings.Contains(fx.topDialogText(), "备份完成") || !strings.Contains(fx.topDialogText(), "已读回校验") {
		t.Fatalf("backup: files %v, dialog %q, status %q", files, fx.topDialogText(), p.status.Text)
	}
	if !strings.HasPrefix(p.reminder.Text, "上次备份：今天（已校验") || p.reminder.Importance == widget.DangerImportance {
		t.Fatalf("reminder after the backup: %q", p.reminder.Text)
	}
	if !strings.Contains(p.history.Text, files[0]) {
		t.Fatalf("history: %q", p.history.Text)
	}
	fx.w.Canvas().Overlays().Top().Hide()

	p.verify(files[0], app.BackupSecret{Passphrase: bkPass})
	if txt := fx.topDialogText(); !strings.Contains(txt, "备份完好") || !strings.Contains(txt, "两人在场") || strings.Contains(txt, "账户") {
		t.Fatalf("verify by the system administrator alone: %q", txt)
	}
	fx.w.Canvas().Overlays().Top().Hide()
	p.verify(files[0], app.BackupSecret{Passphrase: "不对的口令-1234567890"})
	if !strings.Contains(p.status.Text, "口令不对") {
		t.Fatalf("wrong passphrase: %q", p.status.Text)
	}

	// The reminder's days are a setting; after them the home warns in red.
	p.days.SetText("3")
	test.Tap(p.daysSave)
	if !strings.Contains(p.daysMsg.Text, "3 天") {
		t.Fatalf("days: %q", p.daysMsg.Text)
	}
	fx.advance(4 * 24 * time.Hour)
	p.reload()
	if !strings.Contains(p.reminder.Text, "4 天前") || !strings.Contains(p.reminder.Text, "已超过 3 天") ||
		p.reminder.Importance != widget.DangerImportance {
		t.Fatalf("overdue: %q", p.reminder.Text)
	}
}

func TestClerkHome_ShowsTheAgeOfTheLastBackup(t *testing.T) {
	fx := newFixture(t)
	l := fx.m.home.backup
	if !l.Visible() || !strings.Contains(l.Text, "尚无已校验的备份") || l.Importance != widget.DangerImportance {
		t.Fatalf("clerk's home: %q", l.Text)
	}
	if _, err := fx.svc.Backup(fx.session(loginSysAdmin), t.TempDir(), app.BackupSecret{Passphrase: bkPass}, nil); err != nil {
		t.Fatal(err)
	}
	fx.advance(2 * 24 * time.Hour)
	loadReminder(fx.m.env, fx.m.b, fx.m.sess, l)
	if !strings.HasPrefix(l.Text, "上次备份：2 天前（已校验") || l.Importance == widget.DangerImportance {
		t.Fatalf("after a backup: %q", l.Text)
	}
	fx.advance(6 * 24 * time.Hour)
	loadReminder(fx.m.env, fx.m.b, fx.m.sess, l)
	if !strings.Contains(l.Text, "8 天前") || !strings.Contains(l.Text, "已超过 7 天") || l.Importance != widget.DangerImportance {
		t.Fatalf("overdue: %q", l.Text)
	}
}

// TestBackupPane_RestoreAsksThenSignsEveryoneOut: the restore verifies,
// asks, replaces the database and goes back to the sign-in.
func TestBackupPane_RestoreAsksThenSignsEveryoneOut(t *testing.T) {
	fx, p := sysAdminFixture(t)
	sec := app.BackupSecret{Passphrase: bkPass}
	rec, err := fx.svc.Backup(fx.s.sess, t.TempDir(), sec, nil)
	if err != nil {
		t.Fatal(err)
	}
	clerkSess := fx.session(loginClerk)
	if _, err := fx.svc.Register(clerkSess, validForm("遂安府办发〔2026〕77号", "备份之后登记的文件")); err != nil {
		t.Fatal(err)
	}

	// Without the recovery passphrase it does not go on.
	p.askRestore(rec.Path)
	d := fx.restoreDialog()
	test.Type(d.passphrase, bkPass)
	fx.tapButton("继续")
	if !strings.Contains(d.msg.Text, "恢复口令") {
		t.Fatalf("restore without the recovery passphrase: %q", d.msg.Text)
	}
	// Cancelled: nothing happens, and nothing typed stays.
	test.Type(d.recovery, recoveryPass)
	fx.tapButton("取消")
	if d.passphrase.Text != "" || d.recovery.Text != "" {
		t.Fatal("the secrets stayed in the closed dialog")
	}
	p.askRestore(rec.Path)
	d = fx.restoreDialog()
	test.Type(d.passphrase, bkPass)
	test.Type(d.recovery, recoveryPass)
	fx.tapButton("继续")
	if p.confirm == nil || !strings.Contains(fx.topDialogText(), "回滚副本") {
		t.Fatalf("no confirmation: %q", fx.topDialogText())
	}
	fx.tapButton("取消")
	if n, _ := fx.svc.Count(clerkSess, app.Query{}); n != 1 || fx.s.sess == nil {
		t.Fatalf("cancelled restore changed something: %d carriers", n)
	}

	p.askRestore(rec.Path)
	d = fx.restoreDialog()
	test.Type(d.passphrase, bkPass)
	test.Type(d.recovery, recoveryPass)
	fx.tapButton("继续")
	fx.tapButton("恢复")
	if fx.s.sess != nil || fx.s.signIn == nil || !strings.Contains(fx.s.signIn.notice.Text, "数据库已从备份恢复") {
		t.Fatalf("after the restore: session %v, sign-in %v, status %q", fx.s.sess, fx.s.signIn != nil, p.status.Text)
	}
	fx.signIn(loginClerk, testPassword)
	if fx.s.clerk == nil {
		t.Fatalf("clerk can't sign in after the restore: %q", fx.s.signIn.msg.Text)
	}
	if n, _ := fx.svc.Count(fx.s.sess, app.Query{}); n != 0 {
		t.Fatalf("%d carriers after restoring a backup of none", n)
	}
}

func TestBackupPane_BadFileSaysWhich(t *testing.T) {
	fx, p := sysAdminFixture(t)
	p.askRestore(filepath.Join(t.TempDir(), "missing.sdbk"))
	d := fx.restoreDialog()
	test.Type(d.passphrase, bkPass)
	test.Type(d.recovery, recoveryPass)
	fx.tapButton("继续")
	fx.tapButton("恢复")
	if fx.s.sess == nil || p.status.Text == "" {
		t.Fatalf("missing file: status %q", p.status.Text)
	}
	p.verify(fx.svc.Path(), app.BackupSecret{Passphrase: bkPass})
	if !strings.Contains(p.status.Text, "不是本程序的备份文件") {
		t.Fatalf("not a backup: %q", p.status.Text)
	}
}

// restoreDialog is the restore dialog on top.
func (fx *fixture) restoreDialog() *restoreDialog {
	fx.t.Helper()
	d := fx.s.sysAdmin.backup.restoring
	if d == nil {
		fx.t.Fatal("no restore dialog")
	}
	return d
}

// TestBackupPane_GeneratedPassphraseFillsBothAndIsShown: 生成口令 offers a
// passphrase strong enough, to be written down.
func TestBackupPane_GeneratedPassphraseFillsBothAndIsShown(t *testing.T) {
	fx, p := sysAdminFixture(t)
	var got app.BackupSecret
	p.askSecret("备份到 /media/u", true, func(s app.BackupSecret) { got = s })
	fx.tapButton("生成口令")
	d := p.secret
	if d.passphrase.Text == "" || d.passphrase.Text != d.confirm.Text || backup.CheckSecret(app.BackupSecret{Passphrase: d.passphrase.Text}) != nil {
		t.Fatalf("generated %q / %q", d.passphrase.Text, d.confirm.Text)
	}
	if !strings.Contains(fx.topDialogText(), "请抄下这个口令："+d.passphrase.Text) {
		t.Error("the generated passphrase is not shown to be written down")
	}
	pw := d.passphrase.Text
	test.Tap(d.ok)
	if got.Passphrase != pw || d.passphrase.Text != "" || d.confirm.Text != "" {
		t.Fatalf("after OK: got %q, fields %q %q", got.Passphrase, d.passphrase.Text, d.confirm.Text)
	}
}

// TestRecoveryPane_SecurityOfficerSetsAndChecksTheKey.
func TestBackupPane_WaitsForTheRecoveryKey(t *testing.T) {
	svc := newServiceWith(t, true, true, false)
	fx := newShellFixture(t, svc, nil)
	fx.signIn(loginSysAdmin, testPassword)
	p := fx.s.sysAdmin.backup
	if !p.backupBtn.Disabled() || !strings.Contains(p.keyLine.Text, "还没有设置备份恢复密钥") ||
		p.keyLine.Importance != widget.DangerImportance {
		t.Fatalf("without a recovery key: disabled %v, %q", p.backupBtn.Disabled(), p.keyLine.Text)
	}
	// The service refuses such a backup whatever the button shows.
	p.backupTo(t.TempDir(), app.BackupSecret{Passphrase: bkPass})
	if !strings.Contains(p.status.Text, "备份恢复密钥") {
		t.Fatalf("backup without a key: %q / %q", p.status.Text, fx.topDialogText())
	}

	sec, _, err := svc.SignIn(loginSecAdmin, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.SetRecoveryKey(sec, recoveryPass, recoveryPass); err != nil {
		t.Fatal(err)
	}
	st, _ := svc.RecoveryKeyStatus(sec)
	svc.SignOut(sec)
	p.reload()
	if p.backupBtn.Disabled() || !strings.Contains(p.keyLine.Text, st.ID) {
		t.Fatalf("with the key: disabled %v, %q", p.backupBtn.Disabled(), p.keyLine.Text)
	}
}

func TestRecoveryPane_SecurityOfficerSetsAndChecksTheKey(t *testing.T) {
	fx := newShellFixture(t, newService(t, true, true), nil)
	fx.signIn(loginSecAdmin, testPassword)
	if fx.s.secAdmin == nil || fx.s.secAdmin.recovery == nil {
		t.Fatal("the security officer has no 备份恢复密钥 tab")
	}
	p := fx.s.secAdmin.recovery
	if !strings.Contains(p.status.Text, "备份恢复密钥 ") {
		t.Fatalf("status: %q", p.status.Text)
	}
	test.Type(p.pass, "太短")
	test.Type(p.again, "太短")
	test.Tap(p.set)
	if !strings.Contains(p.msg.Text, "16") || p.pass.Text != "" {
		t.Fatalf("short: %q, field %q", p.msg.Text, p.pass.Text)
	}
	const newPass = "新的恢复口令-只有我知道-2026"
	test.Type(p.pass, newPass)
	test.Type(p.again, newPass)
	test.Tap(p.set)
	if !strings.Contains(p.msg.Text, "已设置恢复密钥") {
		t.Fatalf("set: %q", p.msg.Text)
	}
	test.Type(p.check, recoveryPass)
	test.Tap(p.checkBtn)
	if !strings.Contains(p.checked.Text, "不对") {
		t.Fatalf("the old passphrase: %q", p.checked.Text)
	}
	test.Type(p.check, newPass)
	test.Tap(p.checkBtn)
	if !strings.Contains(p.checked.Text, "口令正确") || p.check.Text != "" {
		t.Fatalf("the new passphrase: %q", p.checked.Text)
	}
}
