package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func chooserTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range []string{"甲文件夹", "乙文件夹", ".隐藏"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"台账.xlsx", "说明.txt", "旧备份.secdoc-backup"} {
		if err := os.WriteFile(filepath.Join(root, f), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func listed(c *chooser) []string {
	var out []string
	for _, it := range c.items {
		out = append(out, it.name)
	}
	return out
}

// The folder chooser speaks Chinese, takes a typed path, goes up, and
// lists folders only.
func TestChooser_PickADirectoryByTypingAndWalking(t *testing.T) {
	fx := newFixture(t)
	root := chooserTree(t)
	var got string
	c := showChooser(fx.w, chooseFolder, "选择文件夹", root, "", nil, func(p string) { got = p })
	if strings.Join(listed(c), ",") != "乙文件夹,甲文件夹" && strings.Join(listed(c), ",") != "甲文件夹,乙文件夹" {
		t.Fatalf("listed %q, want the two visible folders only", listed(c))
	}
	for _, s := range texts(fx.w.Canvas().Overlays().Top()) {
		for _, en := range []string{"Home", "Computer", "Open", "Cancel", "Folder"} {
			if strings.Contains(s, en) {
				t.Errorf("English in the chooser: %q", s)
			}
		}
	}
	if fx.w.Canvas().Focused() != c.path {
		t.Errorf("focus on %T, want the path box", fx.w.Canvas().Focused())
	}
	c.path.SetText(filepath.Join(root, "没有这个"))
	pressEnter(c.path)
	if !strings.Contains(c.msg.Text, "找不到文件夹") || c.dir != root {
		t.Fatalf("a missing folder: message %q, shown %q", c.msg.Text, c.dir)
	}
	c.path.SetText(filepath.Join(root, "甲文件夹"))
	pressEnter(c.path)
	if c.dir != filepath.Join(root, "甲文件夹") || c.msg.Visible() {
		t.Fatalf("typed path: shown %q, message %q", c.dir, c.msg.Text)
	}
	fx.tapButton("上一级")
	if c.dir != root {
		t.Fatalf("上一级 shows %q", c.dir)
	}
	fx.key(fyne.KeyReturn) // the blue 选择此文件夹
	if got != root || fx.topDialogText() != "" {
		t.Errorf("chosen %q, dialog left %q", got, fx.topDialogText())
	}
}

// Opening lists only the kinds asked for; saving adds the kind and asks
// before replacing a file.
func TestChooser_OpenAndSave(t *testing.T) {
	fx := newFixture(t)
	root := chooserTree(t)
	var got string
	c := showChooser(fx.w, chooseOpen, "选择", root, "", []string{".xlsx", ".txt"}, func(p string) { got = p })
	names := strings.Join(listed(c), ",")
	if !strings.Contains(names, "台账.xlsx") || !strings.Contains(names, "说明.txt") || strings.Contains(names, "旧备份") {
		t.Fatalf("open lists %q", names)
	}
	for i, it := range c.items {
		if it.name == "台账.xlsx" {
			c.list.Select(i)
		}
	}
	test.Tap(c.ok)
	if got != filepath.Join(root, "台账.xlsx") {
		t.Fatalf("opened %q", got)
	}

	got = ""
	c = showChooser(fx.w, chooseSave, "导出", root, "新台账", []string{".xlsx"}, func(p string) { got = p })
	if fx.w.Canvas().Focused() != c.name {
		t.Errorf("focus on %T, want the file name", fx.w.Canvas().Focused())
	}
	c.name.SetText("a/b")
	pressEnter(c.name)
	if !strings.Contains(c.msg.Text, "不能含有") || got != "" {
		t.Fatalf("a name with a slash: message %q, chosen %q", c.msg.Text, got)
	}
	c.name.SetText("新台账")
	pressEnter(c.name)
	if got != filepath.Join(root, "新台账.xlsx") {
		t.Fatalf("saved as %q", got)
	}
	got = ""
	c = showChooser(fx.w, chooseSave, "导出", root, "台账.xlsx", []string{".xlsx"}, func(p string) { got = p })
	test.Tap(c.ok)
	if got != "" || !strings.Contains(fx.topDialogText(), "已存在") {
		t.Fatalf("replacing asked nothing: chosen %q, dialog %q", got, fx.topDialogText())
	}
	fx.tapButton("替换")
	if got != filepath.Join(root, "台账.xlsx") {
		t.Errorf("after 替换: %q", got)
	}
}
