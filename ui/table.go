package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// tableColumn is a column title and its width in a table with a header row.
type tableColumn struct {
	title string
	width float32
}

// newHeaderTable is a table of rows() rows under a bold header row naming
// cols, each column at its width. Its cells are what create makes and
// update fills.
func newHeaderTable(cols []tableColumn, rows func() int, create func() fyne.CanvasObject,
	update func(widget.TableCellID, fyne.CanvasObject)) *widget.Table {
	t := widget.NewTable(func() (int, int) { return rows(), len(cols) }, create, update)
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.TextStyle.Bold = true
		return l
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		text := ""
		if id.Row < 0 && id.Col >= 0 && id.Col < len(cols) {
			text = cols[id.Col].title
		}
		o.(*widget.Label).SetText(text)
	}
	for i, c := range cols {
		t.SetColumnWidth(i, c.width)
	}
	return t
}

// newLabelCell is the plain cell of a table: one label.
func newLabelCell() fyne.CanvasObject { return widget.NewLabel("") }

// newTruncatedCell is a cell whose text ends in … when it is too long.
func newTruncatedCell() fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// setCell shows text at importance in a table's cell label, and leaves the
// label alone when it shows them already: measuring a label again (its
// truncation shapes the text) is most of what a refresh of a table costs,
// and the window refreshes its tables whenever a tab is switched.
func setCell(l *widget.Label, text string, imp widget.Importance) {
	if l.Text == text && l.Importance == imp {
		return
	}
	l.Text, l.Importance = text, imp
	l.Refresh()
}
