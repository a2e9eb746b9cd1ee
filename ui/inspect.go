package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
	"secdoc/reports"
)

// inspectScreen is the 保密检查 tab (R26): every book an inspector asks for,
// for a year, each printed or exported on its own, and the whole set
// written at once into a folder for the inspector's USB stick.
type inspectScreen struct {
	m       *MainUI
	year    *widget.Select
	buttons map[string][2]*widget.Button // by book name: 打印, 导出 Excel
	all     *widget.Button
	status  statusLine
	copying *inspectCopyDialog // the last 生成检查材料 dialog
	content fyne.CanvasObject
}

func newInspectScreen(m *MainUI) *inspectScreen {
	s := &inspectScreen{m: m, buttons: map[string][2]*widget.Button{}, status: newStatusLine()}
	this := m.env.now().Year()
	s.year = widget.NewSelect([]string{strconv.Itoa(this - 1), strconv.Itoa(this)}, nil)
	s.year.SetSelected(strconv.Itoa(this))
	title := widget.NewLabel("保密检查")
	title.TextStyle.Bold = true
	rows := []fyne.CanvasObject{title,
		note("年度保密检查时按下列顺序准备：收文、发文登记簿，各运行登记簿（每项业务一行，附审批单编号），年度保密期限审核清单，年度统计表。" +
			"每份材料按所列载体的最高密级和最长保密期限标志，打印时由定密责任人确定。"),
		container.NewHBox(widget.NewLabel("检查年度"), container.New(widthLayout{100}, s.year))}
	add := func(name string, print, export func()) {
		p := widget.NewButtonWithIcon("打印", theme.DocumentPrintIcon(), print)
		line := []fyne.CanvasObject{p}
		var x *widget.Button
		if export != nil {
			x = widget.NewButtonWithIcon("导出 Excel", theme.DownloadIcon(), export)
			line = append(line, x)
		}
		s.buttons[name] = [2]*widget.Button{p, x}
		rows = append(rows, container.NewBorder(nil, nil, container.New(widthLayout{180}, widget.NewLabel(name)), nil,
			container.NewHBox(line...)))
	}
	for _, d := range []models.Direction{models.DirIncoming, models.DirOutgoing} {
		d := d
		name := map[models.Direction]string{models.DirIncoming: "收文登记簿", models.DirOutgoing: "发文登记簿"}[d]
		add(name, func() { m.printRegister(app.Query{Year: s.yearValue(), Direction: d}) }, func() { s.exportRegister(name, d) })
	}
	for _, b := range app.Books {
		b := b
		add(b.Name, func() { s.printBook(b) }, func() { s.exportBook(b) })
	}
	add("年度保密期限审核清单", func() { m.printForm(app.FormReview, s.year.Selected) }, nil)
	stats := widget.NewButtonWithIcon("打开“统计”…", theme.GridIcon(), func() {
		if st := m.showStats(); st != nil {
			st.year.SetSelected(s.year.Selected) // its 打印 and 导出 Excel are there
		}
	})
	rows = append(rows, container.NewBorder(nil, nil, container.New(widthLayout{180}, widget.NewLabel("年度涉密载体统计表")), nil,
		container.NewHBox(stats)))
	s.all = widget.NewButtonWithIcon("生成全部检查材料…", theme.FolderNewIcon(), func() { s.openCopy() })
	s.all.Importance = widget.HighImportance
	rows = append(rows, widget.NewSeparator(),
		note("“生成全部检查材料”把以上各份材料（PDF 和 Excel）写入所选文件夹（如检查组的 U 盘）中新建的“保密检查材料”文件夹，并记入审计记录。"),
		container.NewHBox(s.all), s.status.Label)
	s.content = container.NewVScroll(leftColumn(760, container.NewVBox(rows...)))
	return s
}

func (s *inspectScreen) yearValue() int {
	y, _ := strconv.Atoi(s.year.Selected)
	return y
}

func (s *inspectScreen) period() (string, string) {
	return s.year.Selected + "-01-01", s.year.Selected + "-12-31"
}

// printBook prints a running book of the year through the print dialog.
func (s *inspectScreen) printBook(b app.BookInfo) *printDialog {
	m := s.m
	from, to := s.period()
	p := m.showPrintDialog(fmt.Sprintf("打印%s（%s 至 %s）", b.Name, from, to), func(opt reports.Options, dir string) (app.Printout, string, error) {
		return m.b.PrintBookToFile(m.sess, b.Kind, from, to, opt, dir)
	}, true)
	p.loadMarking(app.FormBook, string(b.Kind), app.Query{From: from, To: to})
	return p
}

// exportBook exports a running book of the year to .xlsx in the folder the
// dialog names, with its confirmed marking in the first row.
func (s *inspectScreen) exportBook(b app.BookInfo) *printDialog {
	m := s.m
	from, to := s.period()
	p := m.showPrintDialog(fmt.Sprintf("导出%s（%s 至 %s）为 Excel", b.Name, from, to), func(opt reports.Options, dir string) (app.Printout, string, error) {
		path, err := app.FreePath(dir, fmt.Sprintf("%s(%s).xlsx", b.Name, s.year.Selected))
		if err != nil {
			return app.Printout{}, "", err
		}
		n, err := m.b.ExportBookFile(m.sess, b.Kind, from, to, opt, path)
		return app.Printout{Form: app.FormInfo{Name: b.Name}, Carriers: n}, path, err
	}, true)
	p.asExport()
	p.loadMarking(app.FormBook, string(b.Kind), app.Query{From: from, To: to})
	return p
}

// exportRegister exports the year's 收文 or 发文 registrations to .xlsx in
// registration order, every column of the register.
func (s *inspectScreen) exportRegister(name string, d models.Direction) *printDialog {
	m := s.m
	q := app.Query{Year: s.yearValue(), Direction: d, Sort: app.SortSeq, Asc: true}
	p := m.showPrintDialog(fmt.Sprintf("导出%s（%s 年）为 Excel", name, s.year.Selected), func(_ reports.Options, dir string) (app.Printout, string, error) {
		path, err := app.FreePath(dir, fmt.Sprintf("%s(%s).xlsx", name, s.year.Selected))
		if err != nil {
			return app.Printout{}, "", err
		}
		n, err := m.b.ExportLedgerFile(m.sess, q, path, nil)
		return app.Printout{Form: app.FormInfo{Name: name}, Carriers: n}, path, err
	}, false)
	p.asExport()
	return p
}

// asExport makes the print dialog an export's: no 套打, no offsets.
func (p *printDialog) asExport() {
	p.ok.SetText("导出")
	p.data.SetChecked(false)
	p.data.Hide()
	p.dx.Disable()
	p.dy.Disable()
}

// inspectCopyDialog asks where to write the inspector's copy and which
// 定密责任人 confirms the markings, then writes it with a progress bar.
type inspectCopyDialog struct {
	s          *inspectScreen
	dir        *entry
	classifier *widget.Select
	bar        *widget.ProgressBar
	msg        *widget.Label
	ok         *widget.Button
	dlg        *dialog.CustomDialog
	done       app.InspectorCopy
}

func (s *inspectScreen) openCopy() *inspectCopyDialog {
	m := s.m
	d := &inspectCopyDialog{s: s, dir: newEntry(), classifier: widget.NewSelect(nil, nil), bar: widget.NewProgressBar(),
		msg: errorLabel()}
	d.dir.SetText(m.app.Preferences().StringWithFallback(prefPrintDir, documentsDir()))
	d.classifier.PlaceHolder = "正在读取…"
	d.bar.Hide()
	choose := widget.NewButton("选择…", func() {
		showChooser(m.win, chooseFolder, "选择写入检查材料的文件夹", strings.TrimSpace(d.dir.Text), "", nil,
			func(dir string) { d.dir.SetText(dir) })
	})
	form := widget.NewForm(
		widget.NewFormItem("写入到", container.NewBorder(nil, nil, nil, choose, d.dir)),
		widget.NewFormItem("定密责任人", d.classifier))
	body := container.NewVBox(newCJKText(fmt.Sprintf("生成 %s 年度保密检查材料：登记簿、运行登记簿、审核清单和统计表，PDF 与 Excel。", s.year.Selected)),
		form, d.bar, d.msg)
	d.dlg, d.ok = newFormDialog(m.win, "生成全部检查材料", body, "生成", theme.FolderNewIcon(), d.onWrite,
		func() { d.dlg.Hide() }, fyne.NewSize(620, 300))
	d.dlg.Show()
	s.copying = d
	m.env.run(func() {
		list, err := m.b.Approvers(m.sess)
		fyne.Do(func() {
			if err != nil {
				m.unexpected("读取审批人", err)
				return
			}
			var names []string
			for _, a := range list {
				if a.Active && a.Actions.Has(models.ApproveClassify) {
					names = append(names, a.Name)
				}
			}
			d.classifier.PlaceHolder = "选择定密责任人"
			d.classifier.SetOptions(names)
			if len(names) == 1 {
				d.classifier.SetSelected(names[0])
			}
		})
	})
	return d
}

func (d *inspectCopyDialog) onWrite() {
	s, m := d.s, d.s.m
	dir, who, year := strings.TrimSpace(d.dir.Text), d.classifier.Selected, s.yearValue()
	setMessage(d.msg, "")
	d.ok.Disable()
	d.ok.SetText("正在生成…")
	d.bar.SetValue(0)
	d.bar.Show()
	m.env.run(func() {
		res, err := m.b.WriteInspectorCopy(m.sess, year, dir, who, func(done, total int) {
			fyne.Do(func() { d.bar.SetValue(float64(done) / float64(max(total, 1))) })
		})
		fyne.Do(func() {
			d.ok.Enable()
			d.ok.SetText("生成")
			if err != nil {
				if msg, ok := knownError(err); ok {
					if res.Dir != "" {
						msg += fmt.Sprintf("（已写入 %d 个文件到 %s）", len(res.Files), res.Dir)
					}
					setMessage(d.msg, msg)
					return
				}
				d.dlg.Hide()
				m.unexpected("生成检查材料", err)
				return
			}
			d.done = res
			d.dlg.Hide()
			s.status.ok(fmt.Sprintf("已生成 %d 个文件到 %s", len(res.Files), res.Dir))
			dialog.ShowInformation("生成全部检查材料", fmt.Sprintf("已生成 %d 个文件到\n%s", len(res.Files), res.Dir), m.win)
		})
	})
}
