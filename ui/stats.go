package ui

// The 统计 screen: the year in numbers for the 保密 inspection (R26), each
// figure tapped to list what it counts.

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/reports"
)

// statsPage is how many lines of a figure's list one read brings.
const statsPage = 200

// statsHost is what the 统计 screen needs of the home it is on: the
// clerk's or the security officer's.
type statsHost struct {
	win        fyne.Window
	b          Service
	sess       *app.Session
	env        env
	unexpected func(doing string, err error)
	// print opens the print flow of run; nil: the folder is asked for
	// and the PDF opened, without the print options.
	print func(title string, run func(reports.Options, string) (app.Printout, string, error))
}

// statsScreen shows the year's tables, one at a time; tapping a figure
// lists, below, what it counts.
type statsScreen struct {
	h     statsHost
	fresh fresh // what the statistics were last read from

	year      *widget.Select
	which     *widget.Select
	refresh   *widget.Button
	printBtn  *widget.Button
	exportBtn *widget.Button
	balance   *widget.Label
	table     *widget.Table
	listTitle *widget.Label
	list      *widget.Table
	content   fyne.CanvasObject

	report *app.AnnualReport
	shown  int // the table shown
	gen    generation

	// The list behind the figure tapped: its key, its year, how many lines
	// it has and the pages read so far.
	key      string
	listYear int
	total    int
	pages    map[int][]app.AnnualRow
	reading  map[int]bool
	listGen  generation
	said     string // the last result told, for tests
}

// statsListColumns are the columns of a figure's list.
var statsListColumns = []tableColumn{
	{"序号", 56}, {"登记号", 130}, {"日期", 100}, {"统计密级", 76}, {"载体类型", 130}, {"题名", 300}, {"说明", 170},
}

func newStatsScreen(h statsHost) *statsScreen {
	s := &statsScreen{h: h, pages: map[int][]app.AnnualRow{}, reading: map[int]bool{},
		fresh: newFresh(byDay, app.ChangeCarriers, app.ChangeMovements, app.ChangeDestruction, app.ChangeReturns,
			app.ChangeHandovers, app.ChangeInspections, app.ChangeReviews, app.ChangePeople)}
	this := h.env.now().Year()
	var years []string
	for y := this; y > this-10; y-- {
		years = append(years, fmt.Sprint(y))
	}
	s.year = widget.NewSelect(years, nil)
	s.year.SetSelectedIndex(0)
	s.year.OnChanged = func(string) { s.reload() } // read when the tab is opened, not before
	s.which = widget.NewSelect(nil, func(string) { s.showTable(s.which.SelectedIndex()) })
	s.which.PlaceHolder = "正在统计…"
	s.refresh = widget.NewButtonWithIcon("刷新", theme.ViewRefreshIcon(), s.reload)
	s.printBtn = widget.NewButtonWithIcon("打印", theme.DocumentPrintIcon(), s.onPrint)
	s.exportBtn = widget.NewButtonWithIcon("导出 Excel", theme.DocumentSaveIcon(), s.onExport)
	s.balance = widget.NewLabel("")
	s.balance.Wrapping = fyne.TextWrapWord

	s.table = widget.NewTable(s.tableSize, newTruncatedCell, s.updateCell)
	s.table.ShowHeaderRow = true
	s.table.CreateHeader = func() fyne.CanvasObject {
		// Two lines, so that thirteen columns fit a 1024×768 screen.
		l := widget.NewLabel("年初\n在册")
		l.TextStyle.Bold = true
		l.Alignment = fyne.TextAlignCenter
		return l
	}
	s.table.UpdateHeader = s.updateHeader
	s.table.OnSelected = s.onFigure

	s.listTitle = widget.NewLabel("点击表中带颜色的数字，在这里列出它统计的载体。")
	s.listTitle.Wrapping = fyne.TextWrapWord
	s.list = newHeaderTable(statsListColumns, func() int { return s.total }, newTruncatedCell, s.updateLine)

	top := container.NewHBox(widget.NewLabel("年度"), container.New(widthLayout{100}, s.year),
		widget.NewLabel("统计表"), container.New(widthLayout{330}, s.which), layout.NewSpacer(),
		s.refresh, s.printBtn, s.exportBtn)
	tables := container.NewBorder(s.balance, nil, nil, nil, s.table)
	lists := container.NewBorder(s.listTitle, nil, nil, nil, s.list)
	split := container.NewVSplit(tables, lists)
	split.Offset = 0.55
	s.content = container.NewBorder(top, nil, nil, nil, split)
	return s
}

// selectedYear is the year chosen.
func (s *statsScreen) selectedYear() int {
	var y int
	fmt.Sscan(s.year.Selected, &y)
	return y
}

// show is the tab shown again: the statistics are read again only when
// the register changed since, or the day turned.
func (s *statsScreen) show() { s.fresh.refresh(s.h.b, s.h.env.now(), s.reload) }

// reload reads the year's statistics off the window's goroutine.
func (s *statsScreen) reload() {
	year := s.selectedYear()
	if year == 0 {
		return
	}
	stale := s.gen.next()
	s.fresh.start(s.h.b, s.h.env.now())
	s.balance.SetText("正在统计…")
	s.h.env.run(func() {
		r, err := s.h.b.Annual(s.h.sess, year)
		fyne.Do(func() {
			if err != nil {
				s.fresh.forget()
			}
			if stale() {
				return
			}
			if err != nil {
				s.balance.SetText("")
				if msg, ok := knownError(err); ok {
					s.balance.SetText(msg)
					return
				}
				s.h.unexpected("统计", err)
				return
			}
			s.apply(r)
		})
	})
}

// apply shows a report read: the tables to choose from, the one shown
// before (or the first), the balance check; the list of a figure of
// another year or of figures since changed is cleared.
func (s *statsScreen) apply(r app.AnnualReport) {
	titles := make([]string, len(r.Tables))
	for i, t := range r.Tables {
		titles[i] = fmt.Sprintf("%d. %s", i+1, t.Title)
	}
	// The table shown before, when the year has it; else the first.
	shown := 0
	if t := s.current(); t != nil {
		for i := range r.Tables {
			if r.Tables[i].ID == t.ID {
				shown = i
			}
		}
	}
	s.report = &r
	s.which.Options = titles
	s.which.PlaceHolder = "请选择统计表"
	s.shown = -1
	s.which.SetSelectedIndex(shown) // shows it
	s.balance.SetText(strings.Join(r.Balance, "\n"))
	s.balance.Importance = widget.MediumImportance
	if !r.Balanced {
		s.balance.Importance = widget.DangerImportance
	}
	s.balance.Refresh()
	s.clearList("点击表中带颜色的数字，在这里列出它统计的载体。")
}

// current is the table shown, nil before the statistics are read.
func (s *statsScreen) current() *app.AnnualTable {
	if s.report == nil || s.shown < 0 || s.shown >= len(s.report.Tables) {
		return nil
	}
	return &s.report.Tables[s.shown]
}

// showTable shows table i of the report.
func (s *statsScreen) showTable(i int) {
	if s.report == nil || i < 0 || i == s.shown {
		return
	}
	s.shown = i
	t := s.current()
	s.table.SetColumnWidth(0, 112)
	for j, c := range t.Columns {
		w := float32(52)
		for _, line := range strings.Split(twoLines(c), "\n") {
			w = max(w, fyne.MeasureText(line, theme.TextSize(), fyne.TextStyle{Bold: true}).Width+2*theme.InnerPadding())
		}
		s.table.SetColumnWidth(j+1, w)
	}
	// The rows one line high, whatever the two-line header makes of them.
	lineH := widget.NewLabel("0").MinSize().Height
	for i := range t.Rows {
		s.table.SetRowHeight(i, lineH)
	}
	s.table.UnselectAll()
	s.table.ScrollToTop()
	s.table.Refresh()
}

func (s *statsScreen) tableSize() (int, int) {
	t := s.current()
	if t == nil {
		return 0, 0
	}
	return len(t.Rows), len(t.Columns) + 1
}

func (s *statsScreen) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	l.SetText("")
	t := s.current()
	switch {
	case t == nil || id.Col < 0:
	case id.Col == 0:
		l.SetText(t.Head)
	case id.Col-1 < len(t.Columns):
		l.SetText(twoLines(t.Columns[id.Col-1]))
	}
}

// twoLines breaks a heading of more than three characters into two lines
// of about half each: 降密转入 as 降密 over 转入.
func twoLines(s string) string {
	r := []rune(s)
	if len(r) <= 3 {
		return s
	}
	half := (len(r) + 1) / 2
	return string(r[:half]) + "\n" + string(r[half:])
}

// updateCell shows a figure: blue and tappable when it lists something.
func (s *statsScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	t := s.current()
	if t == nil || id.Row >= len(t.Rows) {
		l.SetText("")
		return
	}
	row := t.Rows[id.Row]
	l.TextStyle.Bold = row.Total
	l.Importance = widget.MediumImportance
	l.Alignment = fyne.TextAlignTrailing
	if id.Col == 0 {
		l.Alignment = fyne.TextAlignLeading
		l.SetText(row.Label)
		return
	}
	c := row.Cells[id.Col-1]
	if c.Key != "" {
		l.Importance = widget.HighImportance
	}
	if c.Text != "" && c.Text != "相符" && c.Text != "—" {
		l.Importance = widget.DangerImportance
	}
	l.SetText(c.String())
}

// figure is the cell of the table shown, and what it is in words.
func (s *statsScreen) figure(id widget.TableCellID) (app.AnnualCell, string, bool) {
	t := s.current()
	if t == nil || id.Row < 0 || id.Row >= len(t.Rows) || id.Col < 1 || id.Col > len(t.Columns) {
		return app.AnnualCell{}, "", false
	}
	row := t.Rows[id.Row]
	what := fmt.Sprintf("%d年度 %s：%s · %s", s.report.Year, t.Title, row.Label, t.Columns[id.Col-1])
	return row.Cells[id.Col-1], what, true
}

// onFigure lists what the tapped figure counts.
func (s *statsScreen) onFigure(id widget.TableCellID) {
	s.table.Unselect(id)
	c, what, ok := s.figure(id)
	if !ok || c.Key == "" {
		return
	}
	s.openList(c.Key, fmt.Sprintf("%s：共 %s 件", what, thousands(int64(c.Count))))
}

func (s *statsScreen) clearList(title string) {
	s.listGen.next()
	s.key, s.total = "", 0
	s.pages, s.reading = map[int][]app.AnnualRow{}, map[int]bool{}
	s.listTitle.SetText(title)
	s.list.Refresh()
}

// openList lists the figure key from its first page.
func (s *statsScreen) openList(key, title string) {
	s.clearList(title)
	s.key, s.listYear = key, s.report.Year
	s.list.ScrollToTop()
	s.readPage(0)
}

// readPage reads page p of the list shown, once.
func (s *statsScreen) readPage(p int) {
	if s.key == "" || s.reading[p] {
		return
	}
	s.reading[p] = true
	stale := s.listGen.next()
	key, year := s.key, s.listYear
	s.h.env.run(func() {
		rows, total, err := s.h.b.AnnualList(s.h.sess, year, key, p*statsPage, statsPage)
		fyne.Do(func() {
			if stale() {
				return
			}
			if err != nil {
				delete(s.reading, p)
				if msg, ok := knownError(err); ok {
					s.listTitle.SetText(msg)
					return
				}
				s.h.unexpected("列出统计明细", err)
				return
			}
			s.pages[p], s.total = rows, total
			s.list.Refresh()
		})
	})
}

// updateLine shows a line of the list, reading its page when not yet read.
func (s *statsScreen) updateLine(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	p, i := id.Row/statsPage, id.Row%statsPage
	rows, ok := s.pages[p]
	if !ok || i >= len(rows) {
		l.SetText("…")
		if !ok {
			s.readPage(p)
		}
		return
	}
	x := rows[i]
	c := x.Carrier
	var text string
	switch id.Col {
	case 0:
		text = fmt.Sprint(id.Row + 1)
	case 1:
		text = c.RegNo
	case 2:
		text = x.On
	case 3:
		text = x.Level.String()
	case 4:
		text = string(c.Kind)
	case 5:
		text = c.Title
		if text == "" && c.RegNo != "" {
			text = "（不显示题名）"
		}
	case 6:
		text = x.Note
	}
	l.SetText(text)
}

// onPrint prints the year's statistics through the home's print flow.
func (s *statsScreen) onPrint() {
	year := s.selectedYear()
	run := func(opt reports.Options, dir string) (app.Printout, string, error) {
		return s.h.b.PrintAnnualToFile(s.h.sess, year, opt, dir)
	}
	title := fmt.Sprintf("打印%d年度涉密载体统计表", year)
	if s.h.print != nil {
		s.h.print(title, run)
		return
	}
	showChooser(s.h.win, chooseFolder, "选择保存打印文件的文件夹", documentsDir(), "", nil, func(dir string) {
		s.printTo(dir, run)
	})
}

// printTo writes the PDF into dir and opens it.
func (s *statsScreen) printTo(dir string, run func(reports.Options, string) (app.Printout, string, error)) {
	s.printBtn.Disable()
	s.h.env.run(func() {
		out, path, err := run(reports.Options{}, dir)
		openErr := err
		if err == nil {
			openErr = s.h.env.openFile(path)
		}
		fyne.Do(func() {
			s.printBtn.Enable()
			switch {
			case err != nil:
				s.explain("打印", err)
			case openErr != nil:
				s.say("打印", fmt.Sprintf("《%s》已保存为\n%s\n请用 PDF 阅读器打开后打印。", out.Form.Name, path))
			default:
				s.say("打印", fmt.Sprintf("《%s》已保存为\n%s\n已用 PDF 阅读器打开，请在其中打印。", out.Form.Name, path))
			}
		})
	})
}

// onExport asks where to save the year's statistics as .xlsx.
func (s *statsScreen) onExport() {
	name := fmt.Sprintf("%d年度涉密载体统计-%s.xlsx", s.selectedYear(), s.h.env.now().Format("20060102"))
	showChooser(s.h.win, chooseSave, "导出年度统计", documentsDir(), name, []string{".xlsx"}, s.exportTo)
}

// exportTo writes the year's statistics to path off the window's goroutine.
func (s *statsScreen) exportTo(path string) {
	year := s.selectedYear()
	note := newCJKText(fmt.Sprintf("正在导出%d年度涉密载体统计和各数字的明细…", year))
	dlg := dialog.NewCustomWithoutButtons("导出 Excel", container.NewVBox(note, widget.NewProgressBarInfinite()), s.h.win)
	dlg.Resize(fyne.NewSize(520, 150))
	dlg.Show()
	s.exportBtn.Disable()
	s.h.env.run(func() {
		n, err := s.h.b.ExportAnnualFile(s.h.sess, year, path)
		fyne.Do(func() {
			dlg.Hide()
			s.exportBtn.Enable()
			if err != nil {
				removeIfEmpty(path)
				s.explain("导出 Excel", err)
				return
			}
			s.say("导出完成", fmt.Sprintf("已导出%d年度涉密载体统计（明细 %s 行）到\n%s", year, thousands(int64(n)), path))
		})
	})
}

func (s *statsScreen) say(title, msg string) {
	s.said = msg
	dialog.ShowInformation(title, msg, s.h.win)
}

func (s *statsScreen) explain(doing string, err error) {
	if msg, ok := knownError(err); ok {
		s.say(doing, msg)
		return
	}
	s.h.unexpected(doing, err)
}

// statsPane is the tab's content: it keeps the screen so that it can be
// found from the tab.
type statsPane struct {
	widget.BaseWidget
	s *statsScreen
}

func (p *statsPane) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.s.content)
}

// statsTab is a 统计 tab on screen s.
func statsTab(s *statsScreen) *container.TabItem {
	p := &statsPane{s: s}
	p.ExtendBaseWidget(p)
	return screenTab("统计", theme.GridIcon(), p)
}

// addStatsTab appends the clerk's 统计 tab and reads the statistics when
// it is selected and the register changed since they were read.
func (m *MainUI) addStatsTab() {
	s := newStatsScreen(statsHost{win: m.win, b: m.b, sess: m.sess, env: m.env, unexpected: m.unexpected,
		print: func(title string, run func(reports.Options, string) (app.Printout, string, error)) {
			m.showPrintDialog(title, run, true).loadMarking(app.AnnualForm.Kind, "", app.Query{})
		}})
	tab := statsTab(s)
	m.tabs.Append(tab)
	prev := m.tabs.OnSelected
	m.tabs.OnSelected = func(t *container.TabItem) {
		if prev != nil {
			prev(t)
		}
		if t == tab {
			s.show()
		}
	}
}

// showStats switches to the 统计 tab.
func (m *MainUI) showStats() *statsScreen {
	for _, t := range m.tabs.Items {
		if sc, ok := t.Content.(*container.Scroll); ok {
			if p, ok := sc.Content.(*statsPane); ok {
				m.tabs.Select(t)
				return p.s
			}
		}
	}
	return nil
}

// secAdminStats is the security officer's 统计 tab: the same screen, its
// lists without titles (R18).
func secAdminStats(sh *Shell, tabs *container.AppTabs) *statsScreen {
	s := newStatsScreen(statsHost{win: sh.win, b: sh.svc, sess: sh.sess, env: sh.env, unexpected: sh.unexpected})
	tab := statsTab(s)
	tabs.Append(tab)
	prev := tabs.OnSelected
	tabs.OnSelected = func(t *container.TabItem) {
		if prev != nil {
			prev(t)
		}
		if t == tab {
			s.show()
		}
	}
	return s
}
