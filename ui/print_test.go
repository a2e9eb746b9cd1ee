package ui

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// printInto fills the open 打印 dialog with folder dir and taps 打印.
func (fx *fixture) printInto(dir string) *printDialog {
	fx.t.Helper()
	p := fx.m.printing
	if p == nil {
		fx.t.Fatal("no 打印 dialog opened")
	}
	p.dir.SetText(dir)
	test.Tap(p.ok)
	return p
}

func TestPrint_FlowSheetFromTheDetailIsSavedAndInTheHistory(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂办发〔2026〕12号", "关于做好年底保密检查工作的通知", "遂安市人民政府办公室")
	fx.m.showLedger()
	fx.selectRow(0)
	d := fx.m.detail
	if !d.loaded {
		t.Fatal("detail not shown")
	}
	test.Tap(d.print)
	dir := t.TempDir()
	p := fx.printInto(dir)
	want := filepath.Join(dir, "遂办发〔2026〕12号-通知-关于做好年底保密检查工作的通知(2026.11.23)-阅办单.pdf")
	if p.done != want {
		t.Fatalf("written to %q, want %q (message %q)", p.done, want, p.msg.Text)
	}
	b, err := os.ReadFile(want)
	if err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("file: %v", err)
	}
	if !strings.Contains(fx.topDialogText(), "已保存为") {
		t.Errorf("the clerk is not told where the PDF went: %q", fx.topDialogText())
	}
	last := d.lines[len(d.lines)-1]
	if !strings.Contains(last, "打印") || !strings.Contains(last, "文件阅办单") {
		t.Fatalf("history does not show the printing: %q", d.lines)
	}
	// The folder is remembered for the next printout.
	test.Tap(d.print)
	if got := fx.m.printing.dir.Text; got != dir {
		t.Fatalf("folder %q not remembered, got %q", dir, got)
	}
}

func TestPrint_BadFolderAndOffsetExplainedNothingWritten(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂办发〔2026〕13号", "关于报送保密自查报告的通知", "遂安市人民政府办公室")
	fx.m.showLedger()
	fx.selectRow(0)
	before := len(fx.m.detail.lines)
	test.Tap(fx.m.detail.print)
	p := fx.printInto(filepath.Join(t.TempDir(), "没有这个文件夹"))
	if !strings.Contains(p.msg.Text, "找不到文件夹") || p.done != "" {
		t.Fatalf("bad folder: %q %q", p.msg.Text, p.done)
	}
	dir := t.TempDir()
	p.data.SetChecked(true)
	p.dx.SetText("八毫米")
	p = fx.printInto(dir)
	if !strings.Contains(p.msg.Text, "向右偏移应是毫米数") || p.done != "" {
		t.Fatalf("bad offset: %q", p.msg.Text)
	}
	p.dx.SetText("80")
	p = fx.printInto(dir)
	if !strings.Contains(p.msg.Text, "-50 到 50") {
		t.Fatalf("offset out of range: %q", p.msg.Text)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Fatalf("refused printouts wrote %d files", len(files))
	}
	if n := len(fx.m.detail.lines); n != before {
		t.Fatalf("refused printouts reached the history: %d → %d lines", before, n)
	}
	// A good offset prints the data only, and the history says so.
	p.dx.SetText("1.5")
	p.dy.SetText("-2")
	p = fx.printInto(dir)
	if p.done == "" {
		t.Fatalf("套打 not printed: %q", p.msg.Text)
	}
	if last := fx.m.detail.lines[len(fx.m.detail.lines)-1]; !strings.Contains(last, "套打") {
		t.Fatalf("history %q", last)
	}
}

// R26: the ledger prints its selection as the register books; the print
// dialog shows the default marking (highest level, longest term) and asks
// for the 定密责任人 who decides it; a marking without its term is refused
// there, with nothing written.
func TestPrint_R26_RegisterOfTheLedgerFilterWithItsMarking(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("李定", models.ActionSet{models.ApproveClassify}, models.LevelTopSecret)
	fx.register("遂办发〔2026〕14号", "关于加强涉密载体管理的通知", "遂安市人民政府办公室")
	fx.m.showLedger()
	test.Tap(fx.m.ledger.excel.printBtn)
	p := fx.m.printing
	if p == nil || !strings.Contains(p.title, "收文登记簿") || p.marking == nil {
		t.Fatalf("register print dialog: %+v", p)
	}
	if p.marking.Text != "机密★2046年11月23日" || p.classifier.Selected != "李定" {
		t.Fatalf("default marking %q by %q", p.marking.Text, p.classifier.Selected)
	}
	dir := t.TempDir()
	p.dir.SetText(dir)
	p.marking.SetText("")
	test.Type(p.marking, "机密")
	test.Tap(p.ok)
	if !strings.Contains(p.msg.Text, "须同时标明保密期限") || p.done != "" {
		t.Fatalf("a marking without its term: %q, written %q", p.msg.Text, p.done)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*")); len(files) != 0 {
		t.Fatalf("refused printout left %v", files)
	}
	p.marking.SetText("")
	test.Type(p.marking, "机密★10年")
	p = fx.printInto(dir)
	if filepath.Base(p.done) != "收文登记簿(2026.11.23).pdf" {
		t.Fatalf("register written to %q (%q)", p.done, p.msg.Text)
	}
}

func TestPrint_CopySlipFromTheRequestRow(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("陈刚", models.ActionSet{models.ApproveCopy}, models.LevelTopSecret)
	fx.register("遂办发〔2026〕15号", "关于年度保密工作要点的通知", "遂安市人民政府办公室")
	fx.m.showLedger()
	fx.selectRow(0)
	fx.requestCopy("2", "传达学习")
	reqs, err := fx.svc.PendingCopyRequests(fx.sess)
	if err != nil || len(reqs) != 1 {
		t.Fatalf("requests %d %v", len(reqs), err)
	}
	var tapped bool
	walk(fx.m.detail.copies.list, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "打印审批单" && !tapped {
			test.Tap(b)
			tapped = true
		}
	})
	if !tapped {
		t.Fatal("no 打印审批单 on the request's row")
	}
	p := fx.printInto(t.TempDir())
	if filepath.Base(p.done) != "复制审批单-"+reqs[0].SlipNo+".pdf" {
		t.Fatalf("copy slip written to %q (%q)", p.done, p.msg.Text)
	}
}

// The clerk's window must fit the workstation's 1360×768 screen: every tab,
// the ledger with a carrier's detail open beside it (its buttons included).
func TestWindow_EveryTabFitsA1360WideScreen(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂办发〔2026〕16号", "关于做好年底保密检查工作的通知", "遂安市人民政府办公室")
	fx.m.showLedger()
	fx.selectRow(0)
	for _, tab := range fx.m.tabs.Items {
		fx.m.tabs.Select(tab)
		if w := fx.m.content.MinSize().Width; w > 1360 {
			t.Errorf("tab %s needs %.0f px, more than a 1360 px screen", tab.Text, w)
		}
	}
}

// A printout is handed to the desktop's PDF viewer; where there is none,
// the window says where the file is and opens its folder on request.
func TestPrint_NoViewerSaysWhereAndOffersTheFolder(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕70号", "关于打印的通知", "遂安市人民政府办公室")
	fx.addApprover("李定", models.ActionSet{models.ApproveClassify}, models.LevelTopSecret)
	dir := t.TempDir()

	p := fx.m.printRegister(app.Query{})
	p.dir.SetText(dir)
	test.Tap(p.ok)
	if len(fx.opened) != 1 || filepath.Dir(fx.opened[0]) != dir || !strings.Contains(fx.topDialogText(), "已用 PDF 阅读器打开") {
		t.Fatalf("with a viewer: opened %q, dialog %q", fx.opened, fx.topDialogText())
	}
	fx.key(fyne.KeyEscape)

	fx.openErr = errNoViewer
	p = fx.m.printRegister(app.Query{})
	p.dir.SetText(dir)
	test.Tap(p.ok)
	got := fx.topDialogText()
	if !strings.Contains(got, "没有能自动打开 PDF 的程序") || !strings.Contains(got, dir) || strings.Contains(got, "已用 PDF 阅读器打开") {
		t.Fatalf("without a viewer the dialog says %q", got)
	}
	fx.openErr = nil
	fx.tapButton("打开所在文件夹")
	if last := fx.opened[len(fx.opened)-1]; last != dir || fx.topDialogText() != "" {
		t.Errorf("打开所在文件夹 opened %q; dialog left %q", last, fx.topDialogText())
	}
}

// The desktop's opener is waited for: a missing program is an error, and
// no finished process stays behind as a zombie.
func TestOpenWithSystem_ReportsFailureAndReaps(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("xdg-open is the Linux desktops' opener")
	}
	bin := t.TempDir()
	script := filepath.Join(bin, "xdg-open")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nexit 3\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	if err := openWithSystem("/nonexistent.pdf"); !errors.Is(err, errNoViewer) {
		t.Errorf("xdg-open exiting 3: %v, want errNoViewer", err)
	}
	if err := os.WriteFile(script, []byte("#!/bin/sh\nexit 0\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := openWithSystem("/some.pdf"); err != nil {
		t.Errorf("xdg-open succeeding: %v", err)
	}
	t.Setenv("PATH", t.TempDir())
	if err := openWithSystem("/some.pdf"); !errors.Is(err, errNoViewer) {
		t.Errorf("no xdg-open at all: %v", err)
	}
	// No child of this process is left a zombie.
	tasks, _ := filepath.Glob("/proc/self/task/*/children")
	var children []string
	for _, f := range tasks {
		out, _ := os.ReadFile(f)
		children = append(children, strings.Fields(string(out))...)
	}
	for _, pid := range children {
		if st, _ := os.ReadFile("/proc/" + pid + "/stat"); strings.Contains(string(st), ") Z ") {
			t.Errorf("zombie child %s: %s", pid, st)
		}
	}
}

// Printouts go to the documents folder; a home without one gets a 文档
// folder, owner-only, rather than files in its root.
func TestDocumentsDir_MadeWhenMissing(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	got := documentsDir()
	if got != filepath.Join(home, "文档") {
		t.Fatalf("documents folder %q", got)
	}
	st, err := os.Stat(got)
	if err != nil || !st.IsDir() || (runtime.GOOS != "windows" && st.Mode().Perm() != 0o700) {
		t.Fatalf("文档: %v %v", st, err)
	}
	if again := documentsDir(); again != got {
		t.Errorf("second call: %q", again)
	}
	// An existing Documents is used as it is.
	os.Mkdir(filepath.Join(home, "Documents"), 0o700)
	if got := documentsDir(); got != filepath.Join(home, "Documents") {
		t.Errorf("with Documents: %q", got)
	}
}
