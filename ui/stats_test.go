package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// figureCell is the cell of the statistics table shown whose row is
// labelled row and column is titled col.
func figureCell(t *testing.T, s *statsScreen, row, col string) widget.TableCellID {
	t.Helper()
	tb := s.current()
	if tb == nil {
		t.Fatal("no table shown")
	}
	for i, r := range tb.Rows {
		for j, c := range tb.Columns {
			if r.Label == row && c == col {
				return widget.TableCellID{Row: i, Col: j + 1}
			}
		}
	}
	t.Fatalf("no figure %s · %s in %s", row, col, tb.Title)
	return widget.TableCellID{}
}

// tapFigure taps the figure at cell as the clerk does, with the mouse on
// the screen: the cell shown at that row and column of the table.
func (fx *fixture) tapFigure(s *statsScreen, cell widget.TableCellID) {
	fx.t.Helper()
	c, _, _ := s.figure(cell)
	tb := s.current()
	var row, col float32 = -1, -1
	d := fyne.CurrentApp().Driver()
	walk(s.table, func(o fyne.CanvasObject) {
		l, ok := o.(*widget.Label)
		if !ok {
			return
		}
		pos := d.AbsolutePositionForObject(l)
		switch l.Text {
		case tb.Rows[cell.Row].Label:
			row = pos.Y + l.Size().Height/2
		case twoLines(tb.Columns[cell.Col-1]):
			col = pos.X + l.Size().Width/2
		}
	})
	if row < 0 || col < 0 {
		fx.t.Fatalf("figure %v (%d) not on the screen", cell, c.Count)
	}
	test.TapCanvas(fx.w.Canvas(), fyne.NewPos(col, row))
}

// R26: the 统计 tab shows the year's table by level; tapping a figure lists
// the carriers it counts below, with how many there are; a figure of
// nothing lists nothing; the other tables are a choice away.
func TestStats_R26_TapFigureListsItsCarriers(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕31号", "关于开展年度保密自查的通知", "遂安市人民政府办公室")
	fx.register("遂安府办发〔2026〕32号", "关于做好涉密载体清退工作的通知", "遂安市人民政府办公室")
	s := fx.m.showStats()
	if s == nil {
		t.Fatal("no 统计 tab")
	}
	if s.year.Selected != "2026" || s.which.Selected != "1. 涉密载体收发存情况（按密级）" {
		t.Fatalf("shows %s %q", s.year.Selected, s.which.Selected)
	}
	if !strings.Contains(s.balance.Text, "相符") {
		t.Errorf("balance: %q", s.balance.Text)
	}
	c, _, _ := s.figure(figureCell(t, s, "机密", "收文"))
	if c.Count != 2 || c.Key == "" {
		t.Fatalf("机密 收文: %+v", c)
	}
	fx.tapFigure(s, figureCell(t, s, "机密", "收文"))
	if !strings.Contains(s.listTitle.Text, "机密 · 收文：共 2 件") {
		t.Fatalf("list title %q", s.listTitle.Text)
	}
	s.list.Refresh()
	shown := strings.Join(texts(s.list), "|")
	for _, w := range []string{"收〔2026〕0001", "收〔2026〕0002", "关于开展年度保密自查的通知", "2026-11-23", "机密", "纸质文件"} {
		if !strings.Contains(shown, w) {
			t.Errorf("the list lacks %q: %s", w, shown)
		}
	}
	// A figure of nothing lists nothing: the list stays.
	s.table.Select(figureCell(t, s, "机密", "销毁"))
	if !strings.Contains(s.listTitle.Text, "共 2 件") || s.total != 2 {
		t.Errorf("tapping 0 changed the list: %q", s.listTitle.Text)
	}
	// The 定密 table is a choice away.
	for _, o := range s.which.Options {
		if strings.HasSuffix(o, "本机关定密情况（按事项计）") {
			s.which.SetSelected(o)
		}
	}
	if tb := s.current(); tb == nil || tb.ID != "classify" {
		t.Fatalf("shown %+v", tb)
	}
	// Another year reads its own statistics.
	s.which.SetSelectedIndex(0)
	s.year.SetSelected("2025")
	if c, _, _ := s.figure(figureCell(t, s, "合计", "收文")); s.report.Year != 2025 || c.Count != 0 {
		t.Errorf("2025 shows %d received", c.Count)
	}
}

// R26: 打印 prints the year's statistics through the print dialog; 导出
// Excel writes them with their lists.
func TestStats_R26_PrintAndExport(t *testing.T) {
	fx := newFixture(t)
	fx.register("遂安府办发〔2026〕31号", "关于开展年度保密自查的通知", "遂安市人民政府办公室")
	s := fx.m.showStats()
	test.Tap(s.printBtn)
	dir := t.TempDir()
	p := fx.printInto(dir)
	if !strings.Contains(p.done, "2026年度涉密载体统计表") {
		t.Fatalf("printed to %q (%q)", p.done, p.msg.Text)
	}
	if b, err := os.ReadFile(p.done); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Fatalf("PDF: %v", err)
	}
	path := filepath.Join(dir, "统计.xlsx")
	s.exportTo(path)
	if !strings.Contains(s.said, "已导出2026年度涉密载体统计") {
		t.Fatalf("export says %q", s.said)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

// R18: the security officer has the 统计 tab too, and the lists behind its
// figures show no titles.
func TestStats_R18_SecurityOfficerCountsWithoutTitles(t *testing.T) {
	fx := newShellFixture(t, newService(t, true, true), nil)
	clerk := fx.session(loginClerk)
	if _, err := fx.svc.Register(clerk, validForm("遂安府办发〔2026〕31号", "关于开展年度保密自查的通知")); err != nil {
		t.Fatal(err)
	}
	fx.signIn(loginSecAdmin, testPassword)
	h := fx.s.secAdmin
	if h == nil || h.stats == nil {
		t.Fatal("the security officer has no 统计 tab")
	}
	h.tabs.SelectIndex(len(h.tabs.Items) - 1)
	s := h.stats
	s.table.Select(figureCell(t, s, "合计", "收文"))
	s.list.Refresh()
	shown := strings.Join(texts(s.list), "|")
	if !strings.Contains(shown, "收〔2026〕0001") || strings.Contains(shown, "年度保密自查") ||
		!strings.Contains(shown, "（不显示题名）") {
		t.Fatalf("the security officer's list: %s", shown)
	}
}
