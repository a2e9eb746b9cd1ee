package ui

import (
	"secdoc/internal/buildinfo"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// The keyboard of the whole window. Fyne gives a key to the focused widget
// only, and a dialog of its own answers neither Enter nor Esc; so the window
// (Shell.onKey) and every text field (entry) pass these keys here:
//
//	Esc    the dialog on top is cancelled: its 取消/关闭 button is pressed;
//	Enter  the dialog on top is confirmed: its main (blue) button is pressed.
//	       A red button, such as 确认恢复, is never pressed by Enter.
//
// Alt+1 … Alt+9 open the screens of a home in the order of its tabs, Ctrl+L
// locks the window, F1 lists the keys.

// cancelWords are the labels of the buttons Esc presses.
var cancelWords = map[string]bool{"取消": true, "关闭": true, "返回修改": true, "返回": true, "否": true, "暂不": true}

// pressDialogKey answers Esc or Enter for the dialog on top of c and reports
// whether a dialog took the key.
func pressDialogKey(c fyne.Canvas, key fyne.KeyName) bool {
	top := c.Overlays().Top()
	if top == nil {
		return false
	}
	var buttons []*widget.Button
	eachObject(top, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && !b.Disabled() && b.OnTapped != nil {
			buttons = append(buttons, b)
		}
	})
	var press *widget.Button
	switch key {
	case fyne.KeyEscape:
		for _, b := range buttons {
			if cancelWords[b.Text] {
				press = b
				break
			}
		}
		if press == nil && len(buttons) == 1 && buttons[0].Importance != widget.DangerImportance {
			press = buttons[0] // an information with only 确定
		}
		if press == nil && len(buttons) == 0 {
			if p, ok := top.(*widget.PopUp); ok && !isModal(p) {
				p.Hide() // a list dropped down from a field
				return true
			}
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		for _, b := range buttons {
			if b.Importance == widget.HighImportance {
				press = b
				break
			}
		}
		if press == nil && len(buttons) == 1 && buttons[0].Importance != widget.DangerImportance {
			press = buttons[0]
		}
	}
	if press == nil {
		return false
	}
	press.OnTapped()
	return true
}

// isModal tells a dialog from a list dropped down from a field: only a dialog
// covers the whole window.
func isModal(p *widget.PopUp) bool {
	c := fyne.CurrentApp().Driver().CanvasForObject(p)
	return c != nil && p.Size() == c.Size()
}

// eachObject calls fn for o and everything shown inside it that a dialog
// holds: containers, scrolls, forms and pop-ups. Hidden objects and what they
// hold are skipped.
func eachObject(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	fn(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, ch := range c.Objects {
			eachObject(ch, fn)
		}
	case *widget.PopUp:
		eachObject(c.Content, fn)
	case *container.Scroll:
		eachObject(c.Content, fn)
	case *widget.Form:
		for _, it := range c.Items {
			eachObject(it.Widget, fn)
		}
	case *widget.Card:
		eachObject(c.Content, fn)
	case *container.Split:
		eachObject(c.Leading, fn)
		eachObject(c.Trailing, fn)
	}
}

// firstFocusable is the first enabled field or button shown in o, nil when
// there is none.
func firstFocusable(o fyne.CanvasObject) fyne.Focusable {
	var first fyne.Focusable
	eachObject(o, func(o fyne.CanvasObject) {
		if first != nil {
			return
		}
		f, ok := o.(fyne.Focusable)
		if !ok {
			return
		}
		if d, ok := o.(fyne.Disableable); ok && d.Disabled() {
			return
		}
		first = f
	})
	return first
}

// altDigit is the shortcut Alt+n.
func altDigit(n int) *desktop.CustomShortcut {
	return &desktop.CustomShortcut{KeyName: fyne.KeyName(rune('0' + n%10)), Modifier: fyne.KeyModifierAlt}
}

// lockShortcut locks the window.
var lockShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}

// windowShortcut reports whether s belongs to the window rather than to the
// field that has the focus: the field passes it on.
func windowShortcut(s fyne.Shortcut) bool {
	cs, ok := s.(*desktop.CustomShortcut)
	if !ok {
		return false
	}
	return cs.Modifier == fyne.KeyModifierAlt || cs.ShortcutName() == lockShortcut.ShortcutName() ||
		cs.ShortcutName() == nextScreen.ShortcutName() || cs.ShortcutName() == prevScreen.ShortcutName()
}

// TypedShortcut passes the window's shortcuts on to it; the rest (copy,
// paste, undo, word moves) are the field's.
func (e *entry) TypedShortcut(s fyne.Shortcut) {
	if windowShortcut(s) {
		if c, ok := fyne.CurrentApp().Driver().CanvasForObject(e.super()).(fyne.Shortcutable); ok {
			c.TypedShortcut(s)
			return
		}
	}
	before := e.Text
	e.Entry.TypedShortcut(s)
	e.edited(before) // a paste or a cut
}

// TypedKey passes Esc and F1 to the window, and Enter too when the field
// has nothing of its own to do with it (no OnSubmitted, one line).
func (e *entry) TypedKey(k *fyne.KeyEvent) {
	switch {
	case k.Name == fyne.KeyEscape || k.Name == fyne.KeyF1,
		(k.Name == fyne.KeyReturn || k.Name == fyne.KeyEnter) && e.OnSubmitted == nil && !e.MultiLine:
		if c := fyne.CurrentApp().Driver().CanvasForObject(e.super()); c != nil && c.OnTypedKey() != nil {
			c.OnTypedKey()(k)
			return
		}
	}
	switch k.Name {
	case fyne.KeyBackspace, fyne.KeyDelete:
		before := e.Text
		e.Entry.TypedKey(k)
		e.edited(before)
	default: // Enter may save, and the save may empty the field: no edit
		e.Entry.TypedKey(k)
	}
}

// super is the widget the window holds: a choiceEntry for its entry.
func (e *entry) super() fyne.CanvasObject {
	if e.outer != nil {
		return e.outer
	}
	return e
}

// onKey is every key no field took: activity, and Esc, Enter and F1.
func (s *Shell) onKey(k *fyne.KeyEvent) {
	s.touch()
	switch k.Name {
	case fyne.KeyEscape, fyne.KeyReturn, fyne.KeyEnter:
		pressDialogKey(s.win.Canvas(), k.Name)
	case fyne.KeyF1:
		if s.sess != nil && !s.locked {
			s.showKeys()
		}
	}
}

// addShortcuts puts the window's shortcuts on its canvas.
func (s *Shell) addShortcuts() {
	c := s.win.Canvas()
	for n := 1; n <= 10; n++ { // Alt+0 is the tenth
		i := n - 1
		c.AddShortcut(altDigit(n), func(fyne.Shortcut) { s.openScreen(i) })
	}
	c.AddShortcut(nextScreen, func(fyne.Shortcut) { s.stepScreen(1) })
	c.AddShortcut(prevScreen, func(fyne.Shortcut) { s.stepScreen(-1) })
	c.AddShortcut(lockShortcut, func(fyne.Shortcut) {
		if s.sess != nil && !s.locked {
			s.lockNow("手动锁定")
		}
	})
}

// tabs are the screens of the home shown, nil when it has none (the
// auditor's) or no home is shown.
func (s *Shell) tabs() *container.AppTabs {
	if !s.homeShown() {
		return nil
	}
	switch {
	case s.clerk != nil:
		return s.clerk.tabs
	case s.sysAdmin != nil:
		return s.sysAdmin.tabs
	case s.secAdmin != nil:
		return s.secAdmin.tabs
	}
	return nil
}

// Ctrl+PageDown and Ctrl+PageUp go through the home's screens in turn,
// every one of them, those past the tenth included.
var (
	nextScreen = &desktop.CustomShortcut{KeyName: fyne.KeyPageDown, Modifier: fyne.KeyModifierControl}
	prevScreen = &desktop.CustomShortcut{KeyName: fyne.KeyPageUp, Modifier: fyne.KeyModifierControl}
)

// stepScreen shows the screen d places after (or before) the one shown.
func (s *Shell) stepScreen(d int) {
	if t := s.tabs(); t != nil && len(t.Items) > 0 {
		s.openScreen((t.SelectedIndex() + d + len(t.Items)) % len(t.Items))
	}
}

// openScreen shows the i-th screen of the home, unless a dialog is open,
// and puts the focus on its first field or button.
func (s *Shell) openScreen(i int) {
	s.touch()
	t := s.tabs()
	if t == nil || i >= len(t.Items) || s.win.Canvas().Overlays().Top() != nil {
		return
	}
	t.SelectIndex(i)
	if s.clerk != nil && (t.Selected() == s.clerk.registerTab || t.Selected() == s.clerk.ledgerTab) {
		return // the clerk's screens put the focus where typing starts
	}
	if f := firstFocusable(t.Selected().Content); f != nil {
		s.win.Canvas().Focus(f)
	}
}

// askSignOut signs out once the person confirms: 退出登录 sits at the end of
// the Tab order, a key away from the last field.
func (s *Shell) askSignOut() {
	dialog.ShowCustomConfirm("退出登录", "退出登录", "取消",
		widget.NewLabel("退出登录吗？正在填写、尚未保存的内容不会保留。"),
		func(ok bool) {
			if ok {
				s.onSignOut()
			}
		}, s.win)
}

// keyHelp lists the keys of the window.
func (s *Shell) keyHelp() [][2]string {
	rows := [][2]string{}
	if t := s.tabs(); t != nil {
		// Two screens a line, so that the list fits a 768-pixel screen.
		n := min(len(t.Items), 10)
		alt := func(i int) string { return "Alt+" + string(rune('0'+(i+1)%10)) }
		for i := 0; i < n; i += 2 {
			key, what := alt(i), "打开“"+t.Items[i].Text+"”"
			if i+1 < n {
				key += " / " + alt(i+1)
				what += " / “" + t.Items[i+1].Text + "”"
			}
			rows = append(rows, [2]string{key, what})
		}
		rows = append(rows, [2]string{"Ctrl+PageDown / PageUp", "下一个 / 上一个页面（全部页面）"})
	}
	return append(rows,
		[2]string{"Tab / Shift+Tab", "到下一个 / 上一个输入框或按钮"},
		[2]string{"空格", "按下有焦点的按钮，勾选有焦点的复选框"},
		[2]string{"↓", "在有下拉列表的输入框中打开列表"},
		[2]string{"回车", "在登记表中保存；在对话框中按下蓝色的主按钮（红色按钮须用空格或鼠标）"},
		[2]string{"Esc", "关闭对话框（取消）"},
		[2]string{"Ctrl+L", "锁定窗口"},
		[2]string{"Ctrl+A / Ctrl+C / Ctrl+V / Ctrl+Z", "全选 / 复制 / 粘贴 / 撤销（输入框中）"},
		[2]string{"F1", "显示本页"},
	)
}

// showKeys shows the keys of the window in a dialog.
func (s *Shell) showKeys() {
	rows := s.keyHelp()
	objs := make([]fyne.CanvasObject, 0, 2*len(rows))
	for _, r := range rows {
		k := widget.NewLabel(r[0])
		k.TextStyle.Bold = true
		objs = append(objs, k, widget.NewLabel(r[1]))
	}
	about := widget.NewLabel("版本：" + buildinfo.ThisBuild().String() + "。本程序不连接网络。")
	about.Importance = widget.LowImportance
	dialog.ShowCustom("快捷键", "关闭", container.NewVBox(container.New(layout.NewFormLayout(), objs...), about), s.win)
}
