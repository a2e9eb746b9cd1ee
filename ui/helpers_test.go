package ui

import (
	"path/filepath"
	"sort"
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

// The window needs only the use cases it declares; the service has them all.
var _ Backend = (*app.Service)(nil)

// fixedNow is the clock of every test: 2026-11-23 10:00 local.
var fixedNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)

const operator = "王敏"

// fixture is a window on a real temporary database, loading synchronously.
type fixture struct {
	t   *testing.T
	svc *app.Service
	m   *MainUI
	w   fyne.Window
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, nil)
}

// newFixtureWith builds the window on wrap(svc) when wrap is given, so a
// test can spy on or break the backend.
func newFixtureWith(t *testing.T, wrap func(*app.Service) Backend) *fixture {
	t.Helper()
	t.Setenv("LANG", "en_US.UTF-8")
	a := test.NewTempApp(t)
	svc, err := app.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	svc.Now = func() time.Time { return fixedNow }
	t.Cleanup(func() { svc.Close() })
	var b Backend = svc
	if wrap != nil {
		b = wrap(svc)
	}
	w := test.NewTempWindow(t, nil)
	m := newMainUI(a, w, b, Options{Operator: operator, DBPath: "/tmp/t.db"},
		env{run: func(f func()) { f() }, now: func() time.Time { return fixedNow }})
	w.SetContent(m.Content())
	w.Resize(fyne.NewSize(2600, 1000)) // wide enough for every column of the ledger
	return &fixture{t: t, svc: svc, m: m, w: w}
}

// form is the register screen's form.
func (fx *fixture) form() *carrierForm { return fx.m.register.form }

// typeDoc types one document into the register form the way a clerk does.
func (fx *fixture) typeDoc(docNo, title, issuer string) {
	f := fx.form()
	test.Type(f.docNumber, docNo)
	test.Type(f.title, title)
	if issuer != "" {
		f.issuer.SetText("")
		test.Type(f.issuer, issuer)
	}
	test.Type(f.docKind, "通知")
	f.level.SetSelected("机密")
	test.Type(f.pages, "6")
}

// pressEnter presses Enter in an entry.
func pressEnter(e fyne.Focusable) {
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// register types a document and saves it with the button.
func (fx *fixture) register(docNo, title, issuer string) {
	fx.t.Helper()
	fx.m.showRegister()
	fx.typeDoc(docNo, title, issuer)
	test.Tap(fx.m.register.save)
	if msg := fx.m.register.result.Text; !strings.HasPrefix(msg, "已登记") {
		fx.t.Fatalf("register %s: result %q, form error %q", title, msg, fx.form().formErr.Text)
	}
}

func (fx *fixture) count(q app.Query) int64 {
	fx.t.Helper()
	n, err := fx.svc.Count(q)
	if err != nil {
		fx.t.Fatal(err)
	}
	return n
}

// rows reads the ledger table as the clerk sees it: the text of every
// rendered cell, row by row, header first.
func (fx *fixture) rows() [][]string {
	fx.m.showLedger()
	l := fx.m.ledger
	l.table.Refresh()
	byY := map[float32][]fyne.CanvasObject{}
	walk(l.table, func(o fyne.CanvasObject) {
		switch o.(type) {
		case *widget.Label, *widget.Button:
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
			byY[pos.Y] = append(byY[pos.Y], o)
		}
	})
	var ys []float32
	for y := range byY {
		ys = append(ys, y)
	}
	sort.Slice(ys, func(i, j int) bool { return ys[i] < ys[j] })
	var out [][]string
	for _, y := range ys {
		objs := byY[y]
		d := fyne.CurrentApp().Driver()
		sort.Slice(objs, func(i, j int) bool {
			return d.AbsolutePositionForObject(objs[i]).X < d.AbsolutePositionForObject(objs[j]).X
		})
		var row []string
		for _, o := range objs {
			switch w := o.(type) {
			case *widget.Label:
				row = append(row, w.Text)
			case *widget.Button:
				row = append(row, w.Text)
			}
		}
		out = append(out, row)
	}
	return out
}

// dataRows are rows() without the header row.
func (fx *fixture) dataRows() [][]string {
	r := fx.rows()
	if len(r) == 0 {
		return nil
	}
	return r[1:]
}

// search types a keyword into the ledger's search box.
func (fx *fixture) search(term string) {
	fx.m.showLedger()
	fx.m.ledger.keyword.SetText("")
	test.Type(fx.m.ledger.keyword, term)
}

// selectRow taps a data row of the ledger, which opens its detail.
func (fx *fixture) selectRow(row int) {
	fx.m.ledger.table.Select(widget.TableCellID{Row: row, Col: 0})
}

// walk calls fn on o and every visible object under it, widgets included.
func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	fn(o)
	switch c := o.(type) {
	case fyne.Widget:
		for _, ch := range test.WidgetRenderer(c).Objects() {
			walk(ch, fn)
		}
	case *fyne.Container:
		for _, ch := range c.Objects {
			walk(ch, fn)
		}
	}
}

// texts lists the visible texts under o: labels, buttons and bare text.
func texts(o fyne.CanvasObject) []string {
	var out []string
	walk(o, func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *canvas.Text:
			out = append(out, w.Text)
		}
	})
	return out
}

// topDialogText is the text of the dialog on top of the window, "" when none is open.
func (fx *fixture) topDialogText() string {
	top := fx.w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	return strings.Join(texts(top), "\n")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// validForm is a complete registration for tests that go through the service.
func validForm(docNo, title string) models.CarrierForm {
	return models.CarrierForm{
		Direction: models.DirIncoming, RegDate: "2026-11-20", DocNumber: docNo, Title: title,
		Issuer: "遂安市人民政府办公室", DocKind: "通知", Level: models.LevelSecret,
		TermKind: models.TermDefault, Copies: "1", CopyNo: "1", Kind: models.KindPaper, Custodian: operator,
	}
}

// colIndex is the ledger column with the given title, so tests don't depend
// on the column order.
func colIndex(title string) int {
	for i, c := range ledgerColumns {
		if c.title == title {
			return i
		}
	}
	panic("no ledger column " + title)
}

var (
	colDoc   = colIndex("文号")
	colCopy  = colIndex("份号")
	colTitle = colIndex("题名")
	colState = colIndex("状态")
)
