package ui

import (
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// cjkText is text that wraps the way Chinese is set, as the printed forms
// do: no line begins with closing punctuation (。，、；：？！）》」』”’) and
// none ends with opening punctuation (（《「『“‘); the character before is
// carried down with it. Fyne's own wrapping breaks Chinese at whatever
// character reaches the edge.
type cjkText struct {
	widget.BaseWidget
	Text       string
	Importance widget.Importance
	Alignment  fyne.TextAlign
	TextStyle  fyne.TextStyle

	label  *widget.Label
	width  float32 // the width the lines were broken for
	broken string  // the text they were broken from
}

func newCJKText(text string) *cjkText {
	t := &cjkText{Text: text, label: widget.NewLabel("")}
	t.ExtendBaseWidget(t)
	return t
}

// SetText replaces the text.
func (t *cjkText) SetText(text string) {
	t.Text = text
	t.Refresh()
}

func (t *cjkText) CreateRenderer() fyne.WidgetRenderer { return &cjkRenderer{t: t} }

// rebreak breaks the text into lines for width; it reports whether the
// lines changed.
func (t *cjkText) rebreak(width float32) bool {
	t.label.Importance, t.label.Alignment, t.label.TextStyle = t.Importance, t.Alignment, t.TextStyle
	if width == t.width && t.broken == t.Text {
		return false
	}
	t.width, t.broken = width, t.Text
	text := t.Text
	if room := width - 2*theme.InnerPadding(); room > 0 {
		text = breakLines(t.Text, runeWidther(theme.TextSize(), t.label.TextStyle), room)
	}
	if text == t.label.Text {
		return false
	}
	t.label.Text = text
	return true
}

// noLineStart and noLineEnd are the punctuation a line may not begin and
// may not end with.
const (
	noLineStart = "。，、；：？！）》」』”’〕】…·.,;:?!)]}%"
	noLineEnd   = "（《「『“‘〔【([{"
)

// breakLines breaks each paragraph of text into lines no wider than room
// (as measure says), keeping closing punctuation off the start of a line and
// opening punctuation off its end.
func breakLines(text string, measure func(rune) float32, room float32) string {
	paras := strings.Split(text, "\n")
	for i, p := range paras {
		paras[i] = breakParagraph([]rune(p), measure, room)
	}
	return strings.Join(paras, "\n")
}

func breakParagraph(rs []rune, measure func(rune) float32, room float32) string {
	var lines []string
	start := 0
	for start < len(rs) {
		end, width := start+1, measure(rs[start])
		for end < len(rs) && width+measure(rs[end]) <= room {
			width += measure(rs[end])
			end++
		}
		if end < len(rs) {
			// rs[end] would begin the next line: go back to the last place a
			// line may break, keeping at least one character on this one.
			b := end
			for b > start+1 && !mayBreak(rs[b-1], rs[b]) {
				b--
			}
			if b > start+1 || mayBreak(rs[b-1], rs[b]) {
				end = b
			}
		}
		lines = append(lines, strings.TrimRight(string(rs[start:end]), " "))
		start = end
		for start < len(rs) && rs[start] == ' ' {
			start++ // a space a line broke at is not carried to the next
		}
	}
	return strings.Join(lines, "\n")
}

// mayBreak reports whether a line may break between a and b: not before
// closing punctuation, not after opening punctuation, and not inside a run
// of Latin letters and digits (a date, a number, a login).
func mayBreak(a, b rune) bool {
	switch {
	case strings.ContainsRune(noLineStart, b), strings.ContainsRune(noLineEnd, a):
		return false
	case a == ' ' || b == ' ':
		return true
	case latin(a) && latin(b):
		return false
	}
	return true
}

// runeWidths caches the width of each character at one text size and
// style: lines are measured a character at a time.
var runeWidths struct {
	sync.Mutex
	size  float32
	style fyne.TextStyle
	w     map[rune]float32
}

// runeWidther measures characters at size in style.
func runeWidther(size float32, style fyne.TextStyle) func(rune) float32 {
	return func(r rune) float32 {
		runeWidths.Lock()
		defer runeWidths.Unlock()
		if runeWidths.w == nil || runeWidths.size != size || runeWidths.style != style {
			runeWidths.size, runeWidths.style, runeWidths.w = size, style, map[rune]float32{}
		}
		w, ok := runeWidths.w[r]
		if !ok {
			w = fyne.MeasureText(string(r), size, style).Width
			runeWidths.w[r] = w
		}
		return w
	}
}

func latin(r rune) bool {
	return r < 0x80 && r != ' '
}

type cjkRenderer struct{ t *cjkText }

func (r *cjkRenderer) Layout(size fyne.Size) {
	if r.t.rebreak(size.Width) {
		r.t.label.Refresh()
		defer r.t.BaseWidget.Refresh() // its height may have changed: the parent lays out again
	}
	r.t.label.Resize(size)
}

// MinSize is narrow (the text wraps to any width) and as tall as the lines
// broken for the width last given.
func (r *cjkRenderer) MinSize() fyne.Size {
	if r.t.width == 0 {
		r.t.rebreak(0)
	}
	return fyne.NewSize(4*theme.TextSize(), r.t.label.MinSize().Height)
}

func (r *cjkRenderer) Refresh() {
	r.t.broken = "" // the text or its look may have changed
	r.t.rebreak(r.t.Size().Width)
	r.t.label.Refresh()
}

func (r *cjkRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.t.label} }
func (r *cjkRenderer) Destroy()                     {}
