package ui

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// noColumn is the mapping step's choice for a field read from no column.
const noColumn = "（不导入）"

// excelTools are the ledger's 导出 Excel and 导入 buttons and what they open:
// the export of what the filters select, and the import of an existing
// register (Excel or CSV) through the column mapping, the dry run's report
// and one transaction.
type excelTools struct {
	l         *ledgerScreen
	exportBtn *widget.Button
	importBtn *widget.Button
	printBtn  *widget.Button // 打印登记簿 of the filters as set

	importer *importDialog // the open import dialog, if any
	said     string        // the last result told to the clerk (tests read it)
}

func newExcelTools(l *ledgerScreen) *excelTools {
	x := &excelTools{l: l}
	x.exportBtn = widget.NewButtonWithIcon("导出 Excel", theme.DocumentSaveIcon(), x.onExport)
	x.importBtn = widget.NewButtonWithIcon("导入", theme.FolderOpenIcon(), x.onImport)
	x.printBtn = widget.NewButtonWithIcon("打印", theme.DocumentPrintIcon(), func() { l.m.printRegister(l.query()) })
	return x
}

// buttons is what the ledger shows beside its filters.
func (x *excelTools) buttons() []fyne.CanvasObject {
	return []fyne.CanvasObject{x.exportBtn, x.importBtn, x.printBtn}
}

// say tells the clerk how something ended.
func (x *excelTools) say(title, msg string) {
	x.said = msg
	dialog.ShowInformation(title, msg, x.l.m.win)
}

// explain says a known failure, or reports an unexpected one.
func (x *excelTools) explain(title, doing string, err error) {
	if msg, ok := knownError(err); ok {
		x.say(title, msg)
		return
	}
	x.l.m.unexpected(doing, err)
}

// onExport asks where to save what the filters select.
func (x *excelTools) onExport() {
	m := x.l.m
	name := fmt.Sprintf("涉密文件台账-%s.xlsx", m.env.now().Format("20060102-1504"))
	showChooser(m.win, chooseSave, "导出 Excel", documentsDir(), name, []string{".xlsx"}, x.exportTo)
}

// exportTo writes the ledger of the filters as they are set to path, off
// the UI goroutine, with a progress bar, and says how many rows it wrote.
func (x *excelTools) exportTo(path string) {
	m := x.l.m
	q := x.l.query()
	bar := widget.NewProgressBar()
	note := newCJKText("正在导出台账（" + q.Describe() + "）…")
	dlg := dialog.NewCustomWithoutButtons("导出 Excel", container.NewVBox(note, bar), m.win)
	dlg.Resize(fyne.NewSize(560, 170))
	dlg.Show()
	x.exportBtn.Disable()
	m.env.run(func() {
		n, err := m.b.ExportLedgerFile(m.sess, q, path, throttle(func(v float64) { bar.SetValue(v) }))
		fyne.Do(func() {
			dlg.Hide()
			x.exportBtn.Enable()
			if err != nil {
				removeIfEmpty(path)
				x.explain("导出失败", "导出 Excel", err)
				return
			}
			x.say("导出完成", fmt.Sprintf("已导出 %s 件（%s）到\n%s", thousands(int64(n)), q.Describe(), path))
		})
	})
}

// throttle turns a progress callback of a worker into updates of the window,
// at most one per percent.
func throttle(set func(float64)) func(done, total int) {
	last := -1
	return func(done, total int) {
		if total <= 0 {
			return
		}
		if pct := done * 100 / total; pct != last {
			last = pct
			v := float64(done) / float64(total)
			fyne.Do(func() { set(v) })
		}
	}
}

// onImport asks for the file to import.
func (x *excelTools) onImport() {
	m := x.l.m
	showChooser(m.win, chooseOpen, "选择要导入的登记簿", documentsDir(), "", []string{".xlsx", ".xlsm", ".csv", ".txt"},
		func(path string) { x.openImport(path, "") })
}

// openImport reads the file (the worksheet sheet, "" for the first) off the
// UI goroutine and opens its mapping step.
func (x *excelTools) openImport(path, sheet string) {
	m := x.l.m
	x.importBtn.Disable()
	m.env.run(func() {
		t, err := app.ReadImportFile(path, sheet)
		fyne.Do(func() {
			x.importBtn.Enable()
			var fe *app.ImportFileError
			switch {
			case errors.As(err, &fe):
				x.say("无法导入", fe.Msg)
			case err != nil:
				m.unexpected("读取导入文件", err)
			case len(t.Rows) == 0:
				x.say("无法导入", fmt.Sprintf("“%s”的表头下面没有数据行，没有可导入的内容。", t.Name))
			default:
				x.importer = newImportDialog(x, path, t)
				x.importer.dlg.Show()
			}
		})
	})
}

// importDialog leads through an import: the mapping of our fields to the
// file's columns, the dry run's report of every row's problems, and the
// import itself, which is offered only when there are none.
type importDialog struct {
	x    *excelTools
	path string
	t    *app.ImportTable

	// The mapping step.
	sheet   *widget.Select // nil for a CSV file or a single sheet
	cols    map[string]*widget.Select
	defs    map[string]*entry
	samples map[string]*widget.Label
	options []string // noColumn, then "A：表头" for each column
	mapView fyne.CanvasObject

	// The report step.
	summary    *widget.Label
	msg        statusLine
	progress   *widget.ProgressBar
	table      *widget.Table
	problems   []app.ImportProblem
	reportView fyne.CanvasObject
	checked    app.ImportMapping // what the dry run checked: 导入 imports exactly that

	check, back, run, cancel *widget.Button
	body                     *fyne.Container
	dlg                      *dialog.CustomDialog
	busy                     bool
}

// problemColumns are the report table's columns.
var problemColumns = []tableColumn{{"行号", 80}, {"栏目", 90}, {"内容", 220}, {"问题", 640}}

func newImportDialog(x *excelTools, path string, t *app.ImportTable) *importDialog {
	d := &importDialog{x: x, path: path, t: t, cols: map[string]*widget.Select{},
		defs: map[string]*entry{}, samples: map[string]*widget.Label{}}
	d.buildMapping(app.GuessMapping(t.Header))
	d.buildReport()
	d.check = widget.NewButtonWithIcon("检查", theme.ConfirmIcon(), d.onCheck)
	d.check.Importance = widget.HighImportance
	d.back = widget.NewButtonWithIcon("返回修改对应", theme.NavigateBackIcon(), d.showMapping)
	d.run = widget.NewButtonWithIcon("导入", theme.UploadIcon(), d.onRun)
	d.run.Importance = widget.HighImportance
	d.cancel = widget.NewButtonWithIcon("取消", theme.CancelIcon(), d.close)
	d.body = container.NewStack(d.mapView)
	d.dlg = dialog.NewCustomWithoutButtons("导入登记簿："+t.Name, d.body, x.l.m.win)
	d.dlg.Resize(fitIn(x.l.m.win, fyne.NewSize(1100, 720)))
	d.showMapping()
	return d
}

// width is how many columns the file has: its header's, or more when its
// first rows are wider.
func (d *importDialog) width() int {
	n := len(d.t.Header)
	for i, r := range d.t.Rows {
		if i >= 50 {
			break
		}
		n = max(n, len(r.Cells))
	}
	return n
}

func (d *importDialog) buildMapping(guess app.ImportMapping) {
	d.options = []string{noColumn}
	for i := 0; i < d.width(); i++ {
		h := ""
		if i < len(d.t.Header) {
			h = d.t.Header[i]
		}
		if h == "" {
			d.options = append(d.options, app.ColumnName(i))
		} else {
			d.options = append(d.options, app.ColumnName(i)+"："+h)
		}
	}
	where := d.t.Name
	if d.t.Encoding != "" {
		where += "（" + d.t.Encoding + " 编码）"
	}
	info := widget.NewLabel(fmt.Sprintf("%s：表头在第 %d 行，数据 %s 行。", where, d.t.HeaderLine, thousands(int64(len(d.t.Rows)))))
	info.TextStyle.Bold = true
	top := []fyne.CanvasObject{info}
	if len(d.t.Sheets) > 1 {
		d.sheet = widget.NewSelect(d.t.Sheets, nil)
		d.sheet.SetSelected(d.t.Sheet)
		d.sheet.OnChanged = d.onSheet
		top = append(top, container.NewBorder(nil, nil, widget.NewLabel("工作表"), nil, d.sheet))
	}
	help := widget.NewLabel("请为每个字段选择文件中对应的一栏（已按表头名称自动对应，请核对）。" +
		"“默认值”在该栏未对应或单元格空白时使用。带 * 的字段必须有。检查通过后才能导入。")
	help.Wrapping = fyne.TextWrapWord
	top = append(top, help)

	form := container.New(layout.NewFormLayout())
	head := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.TextStyle.Bold = true
		return l
	}
	form.Add(head("字段"))
	form.Add(container.NewGridWithColumns(3, head("文件中的栏"), head("默认值"), head("第一行的内容")))
	for _, f := range app.ImportFields {
		f := f
		label := f.Label
		if f.Required {
			label += " *"
		}
		sel := widget.NewSelect(d.options, nil)
		sel.SetSelected(noColumn)
		if c, ok := guess.Column(f.Key); ok && c+1 < len(d.options) {
			sel.SetSelected(d.options[c+1])
		}
		def := newEntry()
		def.SetPlaceHolder("可不填")
		def.SetText(guess.Defaults[f.Key])
		sample := widget.NewLabel("")
		sample.Truncation = fyne.TextTruncateEllipsis
		sel.OnChanged = func(string) { d.showSample(f.Key) }
		d.cols[f.Key], d.defs[f.Key], d.samples[f.Key] = sel, def, sample
		d.showSample(f.Key)
		form.Add(widget.NewLabel(label))
		form.Add(container.NewGridWithColumns(3, sel, def, sample))
	}
	d.mapView = container.NewBorder(container.NewVBox(top...), nil, nil, nil, container.NewVScroll(form))
}

// column is the column chosen for field, -1 for none.
func (d *importDialog) column(field string) int {
	sel := d.cols[field].Selected
	for i, o := range d.options {
		if i > 0 && o == sel {
			return i - 1
		}
	}
	return -1
}

// showSample shows the first non-blank cell of the column chosen for field.
func (d *importDialog) showSample(field string) {
	l := d.samples[field]
	if l == nil {
		return
	}
	c := d.column(field)
	text := ""
	if c >= 0 {
		for i, r := range d.t.Rows {
			if i >= 20 {
				break
			}
			if c < len(r.Cells) && r.Cells[c] != "" {
				text = app.PreviewCell(field, r.Cells[c])
				break
			}
		}
	}
	l.SetText(text)
}

// mapping is the mapping as chosen.
func (d *importDialog) mapping() app.ImportMapping {
	m := app.ImportMapping{Columns: map[string]int{}, Defaults: map[string]string{}}
	for _, f := range app.ImportFields {
		if c := d.column(f.Key); c >= 0 {
			m.Columns[f.Key] = c
		}
		if v := strings.TrimSpace(d.defs[f.Key].Text); v != "" {
			m.Defaults[f.Key] = v
		}
	}
	return m
}

func (d *importDialog) buildReport() {
	d.summary = widget.NewLabel("")
	d.summary.Wrapping = fyne.TextWrapWord
	d.summary.TextStyle.Bold = true
	d.msg = newStatusLine()
	d.progress = widget.NewProgressBar()
	d.progress.Hide()
	d.table = newHeaderTable(problemColumns, func() int { return len(d.problems) }, newTruncatedCell,
		func(id widget.TableCellID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(d.problemText(id.Row, id.Col))
		})
	d.table.OnSelected = func(id widget.TableCellID) { d.table.Unselect(id) }
	d.reportView = container.NewBorder(container.NewVBox(d.summary, d.msg.Label, d.progress), nil, nil, nil, d.table)
}

// problemText is the report table's cell at row, col.
func (d *importDialog) problemText(row, col int) string {
	if row < 0 || row >= len(d.problems) {
		return ""
	}
	p := d.problems[row]
	switch col {
	case 0:
		if p.Line == 0 {
			return "对应关系"
		}
		return fmt.Sprintf("第 %d 行", p.Line)
	case 1:
		return p.Label
	case 2:
		return p.Value
	case 3:
		return p.Msg
	}
	return ""
}

func (d *importDialog) showMapping() {
	d.body.Objects = []fyne.CanvasObject{d.mapView}
	d.body.Refresh()
	d.dlg.SetButtons([]fyne.CanvasObject{d.cancel, d.check})
}

// showReport shows what the dry run found: every row's problems, or that
// the file can be imported.
func (d *importDialog) showReport(rep app.ImportReport) {
	d.problems = rep.Problems
	d.msg.clear()
	d.progress.Hide()
	if rep.OK() {
		d.summary.SetText(fmt.Sprintf("检查通过：%s 行都没有问题，将登记 %s 件。点“导入”在一个事务中全部写入。",
			thousands(int64(rep.Rows)), thousands(int64(rep.Carriers))))
		d.summary.Importance = widget.SuccessImportance
		d.table.Hide()
		d.run.Enable()
	} else {
		mapped := rep.Problems[0].Line == 0
		if mapped {
			d.summary.SetText("字段对应不完整，没有检查各行。请返回修改对应关系：")
		} else {
			d.summary.SetText(fmt.Sprintf("%s 行中有 %s 行有问题（共 %s 处），什么都没有写入。请在文件中改正后重新导入，或返回修改对应关系：",
				thousands(int64(rep.Rows)), thousands(int64(rep.BadRows)), thousands(int64(len(rep.Problems)))))
		}
		d.summary.Importance = widget.DangerImportance
		d.table.Show()
		d.table.ScrollToTop()
		d.table.Refresh()
		d.run.Disable()
	}
	d.summary.Refresh()
	d.body.Objects = []fyne.CanvasObject{d.reportView}
	d.body.Refresh()
	d.dlg.SetButtons([]fyne.CanvasObject{d.back, d.cancel, d.run})
}

// setBusy disables the dialog's buttons while work runs.
func (d *importDialog) setBusy(busy bool) {
	d.busy = busy
	for _, b := range []*widget.Button{d.check, d.back, d.cancel, d.run} {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if !busy && len(d.problems) > 0 {
		d.run.Disable()
	}
}

// onCheck runs the dry run off the UI goroutine.
func (d *importDialog) onCheck() {
	if d.busy {
		return
	}
	m := d.x.l.m
	mp := d.mapping()
	d.setBusy(true)
	d.check.SetText("正在检查…")
	m.env.run(func() {
		rep, err := m.b.ImportDryRun(m.sess, d.t, mp)
		fyne.Do(func() {
			d.check.SetText("检查")
			d.setBusy(false)
			if err != nil {
				d.fail("检查导入文件", err)
				return
			}
			d.checked = mp
			d.showReport(rep)
		})
	})
}

// onRun imports what the dry run checked, in one transaction, with a progress bar.
func (d *importDialog) onRun() {
	if d.busy || len(d.problems) > 0 {
		return
	}
	m := d.x.l.m
	mp := d.checked
	d.setBusy(true)
	d.msg.clear()
	d.progress.SetValue(0)
	d.progress.Show()
	d.summary.SetText(fmt.Sprintf("正在导入 %s 行（全部写入或全部不写入）…", thousands(int64(len(d.t.Rows)))))
	m.env.run(func() {
		rep, err := m.b.Import(m.sess, d.t, mp, throttle(func(v float64) { d.progress.SetValue(v) }))
		fyne.Do(func() {
			d.setBusy(false)
			d.progress.Hide()
			var re *app.RowError
			switch {
			case errors.Is(err, app.ErrImportProblems):
				d.showReport(rep)
				d.msg.fail("登记簿在检查之后有了变化，出现了上面的问题；什么都没有写入。")
			case errors.As(err, &re):
				detail := re.Err.Error()
				if v, ok := models.AsValidation(re.Err); ok {
					detail = v.Error()
				}
				d.summary.SetText("没有导入。")
				d.msg.fail(fmt.Sprintf("第 %d 行：%s。整个文件都没有写入（全部导入或全部不导入），请改正后重新检查。", re.Row, detail))
				d.run.Disable()
			case err != nil:
				d.fail("导入登记簿", err)
			default:
				d.close()
				d.x.say("导入完成", fmt.Sprintf("已从“%s”导入 %s 行，登记 %s 件。", d.t.Name,
					thousands(int64(rep.Rows)), thousands(int64(rep.Carriers))))
				m.changed()
			}
		})
	})
}

// fail shows a known failure in the dialog and reports an unexpected one.
func (d *importDialog) fail(doing string, err error) {
	if errors.Is(err, app.ErrImportEmpty) {
		d.msg.fail("文件的表头下面没有数据行。")
		return
	}
	if msg, ok := knownError(err); ok {
		d.msg.fail(msg)
		return
	}
	d.x.l.m.unexpected(doing, err)
}

// onSheet reads another worksheet of the same file.
func (d *importDialog) onSheet(sheet string) {
	if sheet == d.t.Sheet || d.busy {
		return
	}
	d.close()
	d.x.openImport(d.path, sheet)
}

func (d *importDialog) close() {
	if d.busy {
		return
	}
	d.dlg.Hide()
	if d.x.importer == d {
		d.x.importer = nil
	}
}

func removeIfEmpty(path string) {
	if fi, err := os.Stat(path); err == nil && fi.Size() == 0 {
		os.Remove(path)
	}
}
