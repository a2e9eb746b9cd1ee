package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// R26: the 保密检查 tab exports a running book to Excel with its marking,
// and writes every paper of the year into a new folder at once, the
// markings confirmed by the 定密责任人 chosen.
func TestInspectUI_R26_BooksAndTheInspectorsCopy(t *testing.T) {
	fx := newFixture(t)
	fx.addApprover("李定", models.ActionSet{models.ApproveClassify}, models.LevelTopSecret)
	fx.register("遂办发〔2026〕31号", "关于保密检查的通知", "遂安市人民政府办公室")
	s := fx.m.inspect
	if len(s.buttons) != 3+len(app.Books) {
		t.Fatalf("%d books offered", len(s.buttons))
	}
	dir := t.TempDir()
	test.Tap(s.buttons["借阅登记簿"][1])
	p := fx.m.printing
	if p == nil || !strings.Contains(p.title, "导出借阅登记簿（2026-01-01 至 2026-12-31）为 Excel") {
		t.Fatalf("export dialog %+v", p)
	}
	p.dir.SetText(dir)
	test.Tap(p.ok)
	if filepath.Base(p.done) != "借阅登记簿(2026).xlsx" {
		t.Fatalf("exported %q (%q)", p.done, p.msg.Text)
	}

	test.Tap(s.buttons["收文登记簿"][1])
	if p = fx.m.printing; p == nil || !strings.Contains(p.title, "导出收文登记簿（2026 年）为 Excel") {
		t.Fatalf("register export dialog %+v", p)
	}
	p.dir.SetText(dir)
	test.Tap(p.ok)
	if filepath.Base(p.done) != "收文登记簿(2026).xlsx" {
		t.Fatalf("exported %q (%q)", p.done, p.msg.Text)
	}

	test.Tap(s.all)
	d := s.copying
	if d == nil || d.classifier.Selected != "李定" {
		t.Fatalf("copy dialog %+v", d)
	}
	d.dir.SetText(dir)
	test.Tap(d.ok)
	if len(d.done.Files) != 6+2*len(app.Books) || !strings.Contains(s.status.Text, "已生成") {
		t.Fatalf("copy: %+v, status %q (%q)", d.done, s.status.Text, d.msg.Text)
	}
	if _, err := os.Stat(filepath.Join(dir, "保密检查材料(2026年)", d.done.Files[0])); err != nil {
		t.Fatal(err)
	}
}
