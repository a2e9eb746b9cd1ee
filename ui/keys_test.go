package ui

import (
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/internal/buildinfo"
	"secdoc/models"
)

// key presses a key that no field takes, as the window passes it on.
func (fx *fixture) key(k fyne.KeyName) {
	fx.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: k})
}

// shortcut presses a shortcut of the window with the focus where it is: in a
// field, the field passes it on.
func (fx *fixture) shortcut(s fyne.Shortcut) {
	c := fx.w.Canvas()
	if f, ok := c.Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(s)
		return
	}
	c.(fyne.Shortcutable).TypedShortcut(s)
}

// typeFocused types into whatever has the focus.
func (fx *fixture) typeFocused(s string) {
	fx.t.Helper()
	f := fx.w.Canvas().Focused()
	if f == nil {
		fx.t.Fatalf("nothing has the focus to type %q into", s)
	}
	test.Type(f, s)
}

// tab moves the focus on n times.
func (fx *fixture) tab(n int) {
	for i := 0; i < n; i++ {
		test.FocusNext(fx.w.Canvas())
	}
}

// From sign-in to the saved message with the keyboard alone: Alt+2 opens
// 登记 with the cursor in 文号, Tab walks the fields, → picks the level,
// Enter saves three copies.
func TestKeyboard_ThreeCopiesRegisteredWithoutTheMouse(t *testing.T) {
	fx := newShellFixture(t, newService(t, true, true), nil)
	c := fx.w.Canvas()
	if c.Focused() != fx.s.signIn.login {
		t.Fatalf("the sign-in starts with the focus on %T", c.Focused())
	}
	fx.typeFocused(loginClerk)
	fx.tab(1)
	fx.typeFocused(testPassword)
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if fx.s.clerk == nil {
		t.Fatalf("not signed in: %q", fx.s.signIn.msg.Text)
	}
	fx.m = fx.s.clerk
	f := fx.form()

	fx.shortcut(altDigit(2))
	if fx.m.tabs.Selected() != fx.m.registerTab || c.Focused() != f.docNumber {
		t.Fatalf("Alt+2: screen %q, focus %T", fx.m.tabs.Selected().Text, c.Focused())
	}
	fx.typeFocused("遂安府办发〔2026〕40号")
	fx.tab(1)
	fx.typeFocused("关于做好冬季防火工作的通知")
	fx.tab(1)
	fx.typeFocused("遂安市人民政府办公室")
	fx.tab(1)
	fx.typeFocused("通知")
	fx.tab(1)
	if c.Focused() != f.level {
		t.Fatalf("after 文种 the focus is on %T, want 密级", c.Focused())
	}
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	if f.level.Selected != "机密" {
		t.Fatalf("→ → picks %q, want 机密", f.level.Selected)
	}
	for c.Focused() != f.copies {
		fx.tab(1)
	}
	fx.typeFocused("3") // replaces the pre-filled 1
	fx.tab(1)
	fx.typeFocused("6")
	c.Focused().TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if got := fx.m.register.result.Text; !strings.HasPrefix(got, "已登记 3 份：收〔2026〕0001 至 收〔2026〕0003") {
		t.Fatalf("saved message %q; form error %q", got, f.formErr.Text)
	}
}

// Esc cancels and Enter confirms a dialog, from a field of it or with no
// focus; a red button is not pressed by Enter.
func TestKeyboard_EscCancelsEnterConfirms(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("李定", models.ActionSet{models.ApproveClassify}, models.LevelTopSecret)
	fx.m.showRegister()
	f := fx.form()
	fx.typeDoc("遂安府办发〔2026〕41号", "关于印发值班表的通知", "遂安市人民政府办公室")
	f.copies.SetText("20")
	pressEnter(f.copies)
	fx.key(fyne.KeyEscape)
	if fx.topDialogText() != "" || fx.count(app.Query{}) != 0 {
		t.Fatalf("Esc: dialog %q, %d registered", fx.topDialogText(), fx.count(app.Query{}))
	}
	pressEnter(f.copies)
	fx.key(fyne.KeyReturn)
	if n := fx.count(app.Query{}); n != 20 {
		t.Fatalf("Enter in the question: %d registered, want 20", n)
	}

	// The print dialog: Enter in its folder field prints, Esc in it closes.
	p := fx.m.printRegister(app.Query{})
	fx.w.Canvas().Focus(p.dir)
	p.dir.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if fx.w.Canvas().Overlays().Top() != nil {
		t.Fatalf("Esc in 保存到 left the print dialog open: %q", fx.topDialogText())
	}
	p = fx.m.printRegister(app.Query{})
	dir := t.TempDir()
	p.dir.SetText(dir)
	fx.w.Canvas().Focus(p.dir)
	p.dir.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if pdfs, _ := filepath.Glob(filepath.Join(dir, "*.pdf")); len(pdfs) != 1 || p.done == "" {
		t.Errorf("Enter in 保存到 did not print: %v; dialog %q, message %q", pdfs, fx.topDialogText(), p.msg.Text)
	}
}

// Alt+n opens the n-th screen from anywhere, even with the cursor in a
// field, and the focus moves into it; F1 lists the keys; Ctrl+L locks.
func TestKeyboard_ShortcutsOpenScreensAndLock(t *testing.T) {
	fx := newFixture(t)
	c := fx.w.Canvas()
	fx.shortcut(altDigit(3))
	if fx.m.tabs.Selected() != fx.m.ledgerTab || c.Focused() != fx.m.ledger.keyword {
		t.Fatalf("Alt+3: %q, focus %T", fx.m.tabs.Selected().Text, c.Focused())
	}
	fx.shortcut(altDigit(4)) // from the ledger's keyword field
	if fx.m.tabs.Selected() != fx.m.destroyTab {
		t.Fatalf("Alt+4 from a field: %q", fx.m.tabs.Selected().Text)
	}
	if c.Focused() == nil || c.Focused() == fx.m.ledger.keyword {
		t.Errorf("Alt+4 left the focus on %T", c.Focused())
	}
	fx.shortcut(altDigit(1))
	if fx.m.tabs.Selected() != fx.m.homeTab {
		t.Fatalf("Alt+1: %q", fx.m.tabs.Selected().Text)
	}
	fx.key(fyne.KeyF1)
	help := fx.topDialogText()
	for _, want := range []string{"快捷键", "Alt+3", "打开“台账”", "Ctrl+L", "Esc", "Alt+0", "Ctrl+PageDown",
		"版本：secdoc " + buildinfo.Version, "本程序不连接网络"} {
		if !strings.Contains(help, want) {
			t.Errorf("F1 help lacks %q: %q", want, help)
		}
	}
	fx.key(fyne.KeyEscape)
	if fx.topDialogText() != "" {
		t.Fatalf("Esc left the help open: %q", fx.topDialogText())
	}
	fx.shortcut(lockShortcut)
	if !fx.s.locked {
		t.Error("Ctrl+L did not lock the window")
	}
}

// Every screen of the clerk's home is reached by keyboard: Alt+0 is the
// tenth, and Ctrl+PageDown / Ctrl+PageUp step through all of them, round.
func TestKeyboard_EveryScreenByKeys(t *testing.T) {
	fx := newFixture(t)
	tabs := fx.m.tabs
	if len(tabs.Items) < 10 {
		t.Skipf("%d screens", len(tabs.Items))
	}
	fx.shortcut(altDigit(10))
	if tabs.SelectedIndex() != 9 {
		t.Fatalf("Alt+0 opened screen %d", tabs.SelectedIndex()+1)
	}
	for i := 10; i < len(tabs.Items); i++ {
		fx.shortcut(nextScreen)
		if tabs.SelectedIndex() != i {
			t.Fatalf("Ctrl+PageDown opened screen %d, want %d", tabs.SelectedIndex()+1, i+1)
		}
	}
	fx.shortcut(nextScreen)
	if tabs.SelectedIndex() != 0 {
		t.Fatalf("Ctrl+PageDown past the last opened screen %d", tabs.SelectedIndex()+1)
	}
	fx.shortcut(prevScreen)
	if tabs.SelectedIndex() != len(tabs.Items)-1 {
		t.Fatalf("Ctrl+PageUp from the first opened screen %d", tabs.SelectedIndex()+1)
	}
}
