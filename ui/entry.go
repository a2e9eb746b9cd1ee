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
	onEdit   func()            // after the person changed the text (not SetText)
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

// TypedRune types a character and tells onEdit.
func (e *entry) TypedRune(r rune) {
	before := e.Text
	e.Entry.TypedRune(r)
	e.edited(before)
}

// edited calls onEdit when the text is no longer before.
func (e *entry) edited(before string) {
	if e.Text != before && e.onEdit != nil {
		e.onEdit()
	}
}

// watchEdits calls clear whenever the person changes a field inside o: a
// message about a field is no longer true once the field has changed.
func watchEdits(o fyne.CanvasObject, clear func()) {
	eachObject(o, func(o fyne.CanvasObject) {
		switch f := o.(type) {
		case *entry:
			f.onEdit = chain(f.onEdit, clear)
		case *choiceEntry:
			f.onEdit = chain(f.onEdit, clear)
		case *widget.Select:
			prev := f.OnChanged
			f.OnChanged = func(v string) {
				clear()
				if prev != nil {
					prev(v)
				}
			}
		case *widget.RadioGroup:
			prev := f.OnChanged
			f.OnChanged = func(v string) {
				clear()
				if prev != nil {
					prev(v)
				}
			}
		case *widget.Check:
			prev := f.OnChanged
			f.OnChanged = func(v bool) {
				clear()
				if prev != nil {
					prev(v)
				}
			}
		}
	})
}

func chain(a, b func()) func() {
	if a == nil {
		return b
	}
	return func() { a(); b() }
}
