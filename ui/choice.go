package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// maxChoices bounds the list a choiceEntry drops down.
const maxChoices = 30

// choiceEntry is a single-line entry that also offers a list to pick from,
// narrowed to what has been typed: 来文单位 from the register, 文种 from the
// standard kinds. Unlike widget.SelectEntry its arrow takes no Tab stop, so Tab
// goes from field to field; the Down key opens the list.
type choiceEntry struct {
	entry
	options []string
	arrow   *dropArrow
}

func newChoiceEntry(options []string) *choiceEntry {
	e := &choiceEntry{options: options}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	e.outer = e
	e.arrow = newDropArrow(e.showChoices)
	e.ActionItem = e.arrow
	return e
}

// SetOptions replaces the choices.
func (e *choiceEntry) SetOptions(options []string) { e.options = options }

// TypedKey opens the list on Down; every other key is the entry's.
func (e *choiceEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyDown && !e.Disabled() {
		e.showChoices()
		return
	}
	e.entry.TypedKey(k)
}

// Disable disables the entry and its arrow.
func (e *choiceEntry) Disable() {
	e.arrow.disabled = true
	e.Entry.Disable()
}

// Enable enables the entry and its arrow.
func (e *choiceEntry) Enable() {
	e.arrow.disabled = false
	e.Entry.Enable()
}

// choices are the options containing what is typed, or all of them when
// nothing matches; at most maxChoices.
func (e *choiceEntry) choices() []string {
	typed := strings.TrimSpace(e.Text)
	var out []string
	if typed != "" {
		for _, o := range e.options {
			if strings.Contains(o, typed) && o != typed {
				out = append(out, o)
			}
		}
	}
	if len(out) == 0 {
		out = e.options
	}
	if len(out) > maxChoices {
		out = out[:maxChoices]
	}
	return out
}

func (e *choiceEntry) showChoices() {
	c := fyne.CurrentApp().Driver().CanvasForObject(e)
	opts := e.choices()
	if c == nil || len(opts) == 0 {
		return
	}
	items := make([]*fyne.MenuItem, len(opts))
	for i, o := range opts {
		items[i] = fyne.NewMenuItem(o, func() {
			before := e.Text
			e.SetText(o)
			e.edited(before)
			e.CursorColumn = len([]rune(o))
			c.Focus(e)
		})
	}
	pop := widget.NewPopUpMenu(fyne.NewMenu("", items...), c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(e)
	pop.ShowAtPosition(choicesAt(pos, e.Size(), pop.MinSize().Height, c.Size().Height))
	pop.Resize(fyne.NewSize(e.Size().Width, min(pop.MinSize().Height, c.Size().Height)))
}

// choicesAt is where a list of height h opens for a field at pos of size:
// under the field, or above it when there is no room below, so that the
// list never covers what is being typed.
func choicesAt(pos fyne.Position, size fyne.Size, h, window float32) fyne.Position {
	below := pos.Add(fyne.NewPos(0, size.Height))
	if below.Y+h <= window || pos.Y-h < 0 {
		return below
	}
	return fyne.NewPos(pos.X, pos.Y-h)
}

// dropArrow is the tappable arrow inside a choiceEntry. It is not focusable.
type dropArrow struct {
	widget.BaseWidget
	onTapped func()
	disabled bool
}

func newDropArrow(onTapped func()) *dropArrow {
	a := &dropArrow{onTapped: onTapped}
	a.ExtendBaseWidget(a)
	return a
}

func (a *dropArrow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(widget.NewIcon(theme.MenuDropDownIcon()))
}

// Tapped opens the list.
func (a *dropArrow) Tapped(*fyne.PointEvent) {
	if !a.disabled {
		a.onTapped()
	}
}
