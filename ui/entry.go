package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// entry is the window's text field. Reached by the keyboard it selects what
// it holds, so typing replaces a pre-filled value (份数 1, the last 责任人)
// instead of going in front of it; a click still puts the cursor where it
// lands. Tab always moves on, even out of a multi-line field, so the keyboard
// never gets caught in a form.
type entry struct {
	widget.Entry
	hasFocus bool
	outer    fyne.CanvasObject // the widget that embeds this one, if any
}

func newEntry() *entry {
	e := &entry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

func newMultiLineEntry() *entry {
	e := newEntry()
	e.MultiLine = true
	return e
}

func newPasswordEntry() *entry {
	e := newEntry()
	e.Password = true // the renderer adds the eye that shows it
	return e
}

// FocusGained selects the text when the field is entered; a focus already
// held (the test driver announces it again on every Type) changes nothing.
func (e *entry) FocusGained() {
	first := !e.hasFocus
	e.hasFocus = true
	e.Entry.FocusGained()
	if first {
		selectAllOf(&e.Entry)
	}
}

// FocusLost notes that the next entering is a new one.
func (e *entry) FocusLost() {
	e.hasFocus = false
	e.Entry.FocusLost()
}

// AcceptsTab is false: Tab leaves a multi-line field too (Enter makes its
// new lines).
func (e *entry) AcceptsTab() bool { return false }

// selectAllOf selects the whole text of an entry that has some.
func selectAllOf(e *widget.Entry) {
	if e.Text != "" {
		e.TypedShortcut(&fyne.ShortcutSelectAll{})
	}
}
