package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"secdoc/internal/demo"
)

// The window on a 1024×768 screen: what main.startSize gives it there.
var smallWindow = fyne.NewSize(984, 668)

// fits reports what of o does not fit in room, "" when it fits.
func fits(what string, o fyne.CanvasObject, room fyne.Size) string {
	min := o.MinSize()
	if min.Width > room.Width || min.Height > room.Height {
		return fmt.Sprintf("%s needs %.0f×%.0f, more than %.0f×%.0f", what, min.Width, min.Height, room.Width, room.Height)
	}
	return ""
}

// checkScreens visits every screen of the home shown at 1024×768 with the
// program's theme: the window never needs to grow, and no screen needs
// scrolling sideways (its scroll is for height only).
func checkScreens(t *testing.T, fx *fixture, who string) {
	t.Helper()
	fx.w.Resize(smallWindow)
	if msg := fits(who+"'s window", fx.w.Content(), smallWindow); msg != "" {
		t.Error(msg)
	}
	tabs := fx.s.tabs()
	if tabs == nil {
		return
	}
	for i, it := range tabs.Items {
		tabs.SelectIndex(i)
		if msg := fits(who+" "+it.Text, fx.w.Content(), smallWindow); msg != "" {
			t.Error(msg)
		}
		sc, ok := it.Content.(*container.Scroll)
		if !ok {
			t.Errorf("%s %s: not in a scroll of its own", who, it.Text)
			continue
		}
		if w := sc.Content.MinSize().Width; w > sc.Size().Width {
			t.Errorf("%s %s: %.0f wide in a %.0f-wide window area: it scrolls sideways", who, it.Text, w, sc.Size().Width)
		}
	}
}

// Every screen of every role, with long names in the register, fits a
// 1024×768 screen; so do the ledger with its detail pane, a new 销毁 list
// and every dialog the detail pane opens.
func TestFit_EveryScreenAt1024x768(t *testing.T) {
	fx := newFixture(t)
	fyne.CurrentApp().Settings().SetTheme(NewTheme())
	long := "遂安市人民政府办公室、中共遂安市委办公室、遂安市国家保密局联合发文机关"
	for _, n := range []string{"一", "二", "三"} {
		fx.register("遂安府办发〔2026〕3"+n+"号",
			"关于进一步加强和改进全市涉密载体管理工作的实施意见（征求意见稿）第"+n+"稿", long+n)
	}
	fx.m.refreshLookups()
	checkScreens(t, fx, "clerk")

	m := fx.m
	m.showLedger()
	fx.selectRow(0)
	if msg := fits("ledger with its detail", fx.w.Content(), smallWindow); msg != "" {
		t.Error(msg)
	}
	if w := m.ledger.split.MinSize().Width; w > smallWindow.Width-20 {
		t.Errorf("ledger and detail need %.0f wide", w)
	}
	// Every act of the detail pane opens a dialog that fits.
	var acts []*widget.Button
	eachObject(m.detail.body, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && !b.Disabled() && b.Text != "关闭" {
			acts = append(acts, b)
		}
	})
	if len(acts) < 5 {
		t.Fatalf("only %d acts offered in the detail", len(acts))
	}
	for _, b := range acts {
		b.OnTapped()
		top := fx.w.Canvas().Overlays().Top()
		if top == nil {
			continue // an act done at once, such as 标记清退
		}
		content := top.(*widget.PopUp).Content
		if msg := fits("dialog of "+b.Text, content, smallWindow); msg != "" {
			t.Error(msg)
		}
		fx.key(fyne.KeyEscape)
		if fx.w.Canvas().Overlays().Top() != nil {
			t.Errorf("Esc left the dialog of %s open: %q", b.Text, fx.topDialogText())
			fx.s.removeOverlays()
		}
	}
	// The chooser, the keys' help and the import of a register fit too.
	for name, open := range map[string]func(){
		"chooser": func() { showChooser(fx.w, chooseFolder, "选择", t.TempDir(), "", nil, func(string) {}) },
		"help":    fx.s.showKeys,
	} {
		open()
		content := fx.w.Canvas().Overlays().Top().(*widget.PopUp).Content
		if msg := fits(name, content, smallWindow); msg != "" {
			t.Error(msg)
		}
		fx.key(fyne.KeyEscape)
	}
	m.showDestroy()
	m.destroy.onNew()
	if msg := fits("a new 销毁 list", fx.w.Content(), smallWindow); msg != "" {
		t.Error(msg)
	}

	for _, login := range []string{loginSysAdmin, loginSecAdmin, loginAuditor} {
		ax := newShellFixture(t, newService(t, true, true), nil)
		ax.signIn(login, testPassword)
		checkScreens(t, ax, login)
	}
}

// The window keeps the size main gives it at the start (startSize: the
// screen less room for the title bar and a panel) on a 1024×768 and a
// 1366×768 screen: through the sign-in and every screen of a register of
// thousands, loaded, nothing needs more room than that. Fyne's window grows
// to its content's minimum size; so no content may ask for more.
func TestFit_WindowKeepsItsSizeOverAFullRegister(t *testing.T) {
	for _, size := range []fyne.Size{smallWindow, fyne.NewSize(1326, 668)} {
		t.Run(fmt.Sprintf("%.0fx%.0f", size.Width, size.Height), func(t *testing.T) {
			fx := newShellFixture(t, newService(t, true, true), nil)
			fyne.CurrentApp().Settings().SetTheme(NewTheme())
			fx.w.Resize(size)
			if msg := fits("sign-in", fx.w.Content(), size); msg != "" {
				t.Error(msg)
			}
			sess := fx.session(loginClerk)
			if err := demo.Generate(fx.svc, sess, 3000, 1, nil); err != nil {
				t.Fatal(err)
			}
			if _, err := demo.Workflows(fx.svc, sess, fx.session(loginSecAdmin)); err != nil {
				t.Fatal(err)
			}
			fx.signIn(loginClerk, testPassword)
			if fx.s.clerk == nil {
				t.Fatal("the clerk's home is not shown")
			}
			fx.m = fx.s.clerk
			for round := 0; round < 2; round++ {
				for i, it := range fx.m.tabs.Items {
					fx.m.tabs.SelectIndex(i)
					if msg := fits(it.Text, fx.w.Content(), size); msg != "" {
						t.Error(msg)
					}
				}
			}
			fx.m.showLedger()
			fx.selectRow(0)
			if msg := fits("the ledger with a carrier's detail", fx.w.Content(), size); msg != "" {
				t.Error(msg)
			}
			if got := fx.w.Canvas().Size(); got != size {
				t.Errorf("the window is %.0f×%.0f after every screen, not the %.0f×%.0f it started at", got.Width, got.Height, size.Width, size.Height)
			}
		})
	}
}
