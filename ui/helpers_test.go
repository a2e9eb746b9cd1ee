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

func init() {
	// Cheap password hashing: the tests sign in many times.
	app.Argon2Params.Time, app.Argon2Params.MemoryKiB, app.Argon2Params.Threads = 1, 1024, 1
	// Fyne's own words in Chinese, as main.go sets them, whatever order the tests run in.
	UseChineseLocale()
}

// The window needs only the use cases it declares; the service has them all.
var _ Service = (*app.Service)(nil)

// fixedNow is where the clock of every test starts: 2026-11-23 10:00 local.
var fixedNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)

// operator is the clerk the register tests work as.
const operator = "王敏"

// The passwords of the test accounts: the first one typed at setup, and the
// one each account chose at its first sign-in.
const (
	firstPassword = "First-pass-1"
	testPassword  = "Mima-2026-ok"
)

// The accounts newService sets up, by login.
const (
	loginSysAdmin = "zhangwei"  // 张伟, 系统管理员
	loginSecAdmin = "lina"      // 李娜, 安全保密管理员
	loginAuditor  = "zhaoqiang" // 赵强, 安全审计员
	loginClerk    = "wangmin"   // 王敏, 机要员
)

// setupInput is the first run of every test database.
func setupInput() app.SetupInput {
	acct := func(login, name string) app.NewAccount {
		return app.NewAccount{Login: login, FullName: name, Password: firstPassword}
	}
	return app.SetupInput{OfficeName: "遂安市人民政府办公室机要室", Policy: models.DefaultPolicy,
		SysAdmin: acct(loginSysAdmin, "张伟"), SecAdmin: acct(loginSecAdmin, "李娜"), Auditor: acct(loginAuditor, "赵强"),
		Clerks: []app.NewAccount{acct(loginClerk, operator)}}
}

// newService opens a fresh database (with its own audit key folder). With
// setUp, it has the accounts of setupInput; with ready too, each of them has
// changed its first password to testPassword, and the security officer has
// set the backup recovery key.
func newService(t *testing.T, setUp, ready bool) *app.Service {
	t.Helper()
	return newServiceWith(t, setUp, ready, ready)
}

// newServiceWith is newService, with the recovery key set only when asked.
func newServiceWith(t *testing.T, setUp, ready, recovery bool) *app.Service {
	t.Helper()
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv("SECDOC_KEY_DIR", t.TempDir())
	t.Setenv("HOME", t.TempDir()) // printouts and choosers start in a documents folder made there
	svc, err := app.Open(filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	svc.Now = func() time.Time { return fixedNow }
	t.Cleanup(func() { svc.Close() })
	if !setUp {
		return svc
	}
	if err := svc.Setup(setupInput()); err != nil {
		t.Fatal(err)
	}
	if ready {
		for _, l := range []string{loginSysAdmin, loginSecAdmin, loginAuditor, loginClerk} {
			sess, _, err := svc.SignIn(l, firstPassword)
			if err != nil {
				t.Fatal(err)
			}
			if err := svc.ChangePassword(sess, firstPassword, testPassword); err != nil {
				t.Fatal(err)
			}
		}
	}
	if recovery {
		// The security officer's recovery key, without which nothing is backed up.
		sec, _, err := svc.SignIn(loginSecAdmin, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.SetRecoveryKey(sec, recoveryPass, recoveryPass); err != nil {
			t.Fatal(err)
		}
		svc.SignOut(sec)
	}
	return svc
}

// fixture is a window on a real temporary database, loading synchronously,
// with a clock the test moves.
type fixture struct {
	t   *testing.T
	svc *app.Service
	s   *Shell
	w   fyne.Window
	now time.Time // the clock of the window and of the service

	opened  []string // what the window asked the desktop to open
	openErr error    // what opening answers: nil, or errNoViewer as on a machine without a PDF viewer

	m    *MainUI      // the clerk's home, once the clerk is signed in
	sess *app.Session // the clerk's session
}

// newShellFixture shows the Shell on svc, or on wrap(svc) when wrap is
// given, so that a test can spy on or break the service.
func newShellFixture(t *testing.T, svc *app.Service, wrap func(*app.Service) Service) *fixture {
	t.Helper()
	a := test.NewTempApp(t)
	fx := &fixture{t: t, svc: svc, now: fixedNow}
	svc.Now = fx.clock
	var b Service = svc
	if wrap != nil {
		b = wrap(svc)
	}
	w := test.NewTempWindow(t, nil)
	fx.s = newShell(a, w, b, Options{DBPath: "/tmp/t.db"}, env{run: func(f func()) { f() }, now: fx.clock,
		open: func(path string) error { fx.opened = append(fx.opened, path); return fx.openErr }})
	w.SetContent(fx.s.Content())
	fx.s.focusPending() // what the event loop does once the window shows
	// Wide enough for every column of the ledger.
	w.Resize(fyne.NewSize(2600, 1000))
	fx.w = w
	return fx
}

func (fx *fixture) clock() time.Time { return fx.now }

// advance moves the clock of the window and of the service.
func (fx *fixture) advance(d time.Duration) { fx.now = fx.now.Add(d) }

// signIn types a login and password into the sign-in screen and presses
// Enter in the password.
func (fx *fixture) signIn(login, password string) {
	fx.t.Helper()
	v := fx.s.signIn
	if v == nil {
		fx.t.Fatal("the sign-in screen is not shown")
	}
	v.login.SetText("")
	test.Type(v.login, login)
	v.password.SetText("")
	test.Type(v.password, password)
	pressEnter(v.password)
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, nil)
}

// newFixtureWith signs the clerk 王敏 in, on wrap(svc) when wrap is given.
func newFixtureWith(t *testing.T, wrap func(*app.Service) Service) *fixture {
	t.Helper()
	fx := newShellFixture(t, newService(t, true, true), wrap)
	fx.signIn(loginClerk, testPassword)
	if fx.s.clerk == nil {
		t.Fatalf("the clerk's home is not shown; sign-in says %q", fx.s.signIn.msg.Text)
	}
	fx.m, fx.sess = fx.s.clerk, fx.s.sess
	return fx
}

// session signs login in through the service.
func (fx *fixture) session(login string) *app.Session {
	fx.t.Helper()
	sess, _, err := fx.svc.SignIn(login, testPassword)
	if err != nil {
		fx.t.Fatalf("sign in %s: %v", login, err)
	}
	return sess
}

// otherClerk creates a second clerk named name and returns their session.
func (fx *fixture) otherClerk(name string) *app.Session {
	fx.t.Helper()
	login := "clerk2"
	if _, err := fx.svc.CreateUser(fx.session(loginSysAdmin),
		app.NewAccount{Login: login, FullName: name, Password: firstPassword}); err != nil {
		fx.t.Fatal(err)
	}
	sess, _, err := fx.svc.SignIn(login, firstPassword)
	if err != nil {
		fx.t.Fatal(err)
	}
	if err := fx.svc.ChangePassword(sess, firstPassword, testPassword); err != nil {
		fx.t.Fatal(err)
	}
	return sess
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
	test.Type(f.copyNo, "000001")
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
	test.Tap(fx.m.register.saveBtn)
	if msg := fx.m.register.result.Text; !strings.HasPrefix(msg, "已登记") {
		fx.t.Fatalf("register %s: result %q, form error %q", title, msg, fx.form().formErr.Text)
	}
}

func (fx *fixture) count(q app.Query) int64 {
	fx.t.Helper()
	n, err := fx.svc.Count(fx.sess, q)
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
		case *cjkText:
			out = append(out, w.Text) // as written; its label holds it broken into lines
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
