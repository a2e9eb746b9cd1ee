package ui

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
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

// Preference keys of printing: where the PDFs go and the 套打 calibration,
// remembered between sessions on this workstation.
const (
	prefPrintDir      = "print.dir"
	prefPrintDataOnly = "print.dataOnly"
	prefPrintDX       = "print.offsetX"
	prefPrintDY       = "print.offsetY"
)

// printDialog is the 打印 flow of a form or of the register: no preview,
// only where to save and whether to print onto pre-printed paper. The PDF
// takes the name rule R13 gives it, is recorded in the history, and opens in
// the system's PDF viewer for printing.
type printDialog struct {
	m      *MainUI
	title  string
	run    func(opt reports.Options, dir string) (app.Printout, string, error)
	dlg    dialog.Dialog
	dir    *entry
	data   *widget.Check
	dx, dy *entry
	// A list or book (R26): the marking it bears, by default the highest
	// level and longest term in it, and the 定密责任人 who decides another
	// or a 国家秘密 one. nil for a slip.
	marking    *entry
	classifier *widget.Select
	msg        *widget.Label
	ok         *widget.Button

	// Outcome, for tests and the status line.
	done string // the path written
}

// printForm offers to print one form: form is the kind, id its slip or
// register number.
func (m *MainUI) printForm(form app.FormKind, id string) *printDialog {
	info, _ := app.FormByKind(form)
	p := m.showPrintDialog("打印"+info.Name+"  "+id, func(opt reports.Options, dir string) (app.Printout, string, error) {
		return m.b.PrintToFile(m.sess, form, id, opt, dir)
	}, form.IsList())
	if p.marking != nil {
		p.loadMarking(form, id, app.Query{})
	}
	return p
}

// printRegister offers to print the register books of a selection: the
// 收文登记簿 and 发文登记簿, or the one its direction keeps (R26).
func (m *MainUI) printRegister(q app.Query) *printDialog {
	name := "收文登记簿、发文登记簿"
	if q.Direction != "" {
		name = map[bool]string{true: "发文登记簿", false: "收文登记簿"}[q.Direction == models.DirOutgoing]
	}
	p := m.showPrintDialog("打印"+name+"（"+q.Describe()+"）", func(opt reports.Options, dir string) (app.Printout, string, error) {
		return m.b.PrintRegisterToFile(m.sess, q, opt, dir)
	}, true)
	p.loadMarking(app.FormRegister, "", q)
	return p
}

// loadMarking fills the marking with the list's default and offers the
// active 定密责任人, both read off the window's goroutine.
func (p *printDialog) loadMarking(form app.FormKind, id string, q app.Query) {
	m := p.m
	m.env.run(func() {
		def, err := m.b.DefaultMarking(m.sess, form, id, q)
		approvers, aerr := m.b.Approvers(m.sess)
		fyne.Do(func() {
			if err == nil {
				err = aerr
			}
			if err != nil {
				if msg, ok := knownError(err); ok {
					setMessage(p.msg, msg)
					return
				}
				m.unexpected("计算默认密级标志", err)
				return
			}
			if strings.TrimSpace(p.marking.Text) == "" {
				p.marking.SetText(def)
			}
			p.marking.SetPlaceHolder("例如 机密★10年")
			var names []string
			for _, a := range approvers {
				if a.Active && a.Actions.Has(models.ApproveClassify) {
					names = append(names, a.Name)
				}
			}
			p.classifier.SetOptions(names)
			if len(names) == 1 {
				p.classifier.SetSelected(names[0])
			}
			p.classifier.PlaceHolder = "选择定密责任人"
			p.classifier.Refresh()
		})
	})
}

func (m *MainUI) showPrintDialog(title string, run func(reports.Options, string) (app.Printout, string, error), list bool) *printDialog {
	p := &printDialog{m: m, title: title, run: run}
	prefs := m.app.Preferences()
	p.dir = newEntry()
	p.dir.SetText(prefs.StringWithFallback(prefPrintDir, documentsDir()))
	choose := widget.NewButton("选择…", p.onChoose)
	p.data = widget.NewCheck("套打：只打印填写的内容，用于已印好表格的纸张", func(on bool) { p.setOffsets(on) })
	p.dx = newEntry()
	p.dx.SetText(prefs.StringWithFallback(prefPrintDX, "0"))
	p.dy = newEntry()
	p.dy.SetText(prefs.StringWithFallback(prefPrintDY, "0"))
	p.data.SetChecked(prefs.Bool(prefPrintDataOnly))
	p.setOffsets(p.data.Checked)
	p.msg = errorLabel()
	note := newCJKText("生成 PDF 文件后用系统的 PDF 阅读器打开，在那里选择打印机打印。每次打印都记入历史记录。")
	form := widget.NewForm(
		widget.NewFormItem("保存到", container.NewBorder(nil, nil, nil, choose, p.dir)),
		widget.NewFormItem("", p.data),
		widget.NewFormItem("向右偏移（毫米）", p.dx),
		widget.NewFormItem("向下偏移（毫米）", p.dy),
	)
	height := float32(330)
	if list {
		p.marking = newEntry()
		p.marking.SetPlaceHolder("正在计算默认标志…")
		p.classifier = widget.NewSelect(nil, nil)
		p.classifier.PlaceHolder = "正在读取…"
		form.Append("密级标志", p.marking)
		form.Append("定密责任人", p.classifier)
		note = newCJKText("生成 PDF 文件后用系统的 PDF 阅读器打开，在那里选择打印机打印。每次打印都记入历史记录。" +
			"清单、登记簿的密级标志默认取所列载体的最高密级和最长保密期限；标为国家秘密或改为其他标志，须选择作出该决定的定密责任人。")
		height = 430
	}
	body := container.NewVBox(note, form, p.msg)
	p.dlg, p.ok = newFormDialog(m.win, title, body, "打印", theme.DocumentPrintIcon(), p.onPrint, func() { p.dlg.Hide() },
		fyne.NewSize(620, height))
	p.dlg.Show()
	m.printing = p
	return p
}

// printButton is the small 打印 button of a row: it prints form id.
func (m *MainUI) printButton(label string, form app.FormKind, id string) *widget.Button {
	b := widget.NewButtonWithIcon(label, theme.DocumentPrintIcon(), func() { m.printForm(form, id) })
	b.Importance = widget.LowImportance
	return b
}

func (p *printDialog) setOffsets(on bool) {
	for _, e := range []*entry{p.dx, p.dy} {
		if on {
			e.Enable()
		} else {
			e.Disable()
		}
	}
}

func (p *printDialog) onChoose() {
	showChooser(p.m.win, chooseFolder, "选择保存打印文件的文件夹", strings.TrimSpace(p.dir.Text), "", nil,
		func(dir string) { p.dir.SetText(dir) })
}

// offset reads a millimetre offset, or says what is wrong with it.
func offset(what, s string) (float64, string) {
	s = strings.TrimSpace(strings.NewReplacer("－", "-", "．", ".", "＋", "+").Replace(s))
	if s == "" {
		return 0, ""
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, what + "应是毫米数，如 2 或 -1.5"
	}
	if v < -50 || v > 50 {
		return 0, what + "应在 -50 到 50 毫米之间"
	}
	return v, ""
}

func (p *printDialog) onPrint() {
	dir := strings.TrimSpace(p.dir.Text)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		setMessage(p.msg, "找不到文件夹“"+dir+"”：请选择一个已有的文件夹")
		return
	}
	opt := reports.Options{DataOnly: p.data.Checked}
	if p.marking != nil {
		opt.Marking, opt.Classifier = strings.TrimSpace(p.marking.Text), p.classifier.Selected
	}
	if opt.DataOnly {
		var msg string
		if opt.OffsetX, msg = offset("向右偏移", p.dx.Text); msg != "" {
			setMessage(p.msg, msg)
			return
		}
		if opt.OffsetY, msg = offset("向下偏移", p.dy.Text); msg != "" {
			setMessage(p.msg, msg)
			return
		}
	}
	setMessage(p.msg, "")
	prefs := p.m.app.Preferences()
	prefs.SetString(prefPrintDir, dir)
	prefs.SetBool(prefPrintDataOnly, opt.DataOnly)
	prefs.SetString(prefPrintDX, strings.TrimSpace(p.dx.Text))
	prefs.SetString(prefPrintDY, strings.TrimSpace(p.dy.Text))
	p.ok.Disable()
	p.ok.SetText("正在生成…")
	p.m.env.run(func() {
		out, path, err := p.run(opt, dir)
		fyne.Do(func() {
			p.ok.Enable()
			p.ok.SetText("打印")
			if err != nil {
				if msg, ok := knownError(err); ok {
					setMessage(p.msg, msg)
					return
				}
				p.dlg.Hide()
				p.m.unexpected("打印", err)
				return
			}
			p.done = path
			p.dlg.Hide()
			if d := p.m.detail; d.loaded {
				d.show(d.carrier.ID) // its history has a new line
			}
			p.open(out, path)
		})
	})
}

// open hands the PDF to the system's viewer off the window's goroutine, then
// says where the file is: and, when no viewer opened it, offers to open its
// folder instead.
func (p *printDialog) open(out app.Printout, path string) {
	m := p.m
	m.env.run(func() {
		err := m.env.openFile(path)
		fyne.Do(func() { showPrinted(m, out.Form.Name, path, err) })
	})
}

// showPrinted tells where the printout was saved and whether a viewer has it.
func showPrinted(m *MainUI, name, path string, openErr error) {
	if openErr == nil {
		if strings.HasSuffix(path, ".xlsx") {
			dialog.ShowInformation("导出", fmt.Sprintf("《%s》已保存为\n%s\n已用表格程序打开。", name, path), m.win)
			return
		}
		dialog.ShowInformation("打印", fmt.Sprintf("《%s》已保存为\n%s\n已用 PDF 阅读器打开，请在其中打印。", name, path), m.win)
		return
	}
	msg := newCJKText(fmt.Sprintf("《%s》已保存为\n%s\n本机没有能自动打开 PDF 的程序。请打开它所在的文件夹，用 PDF 阅读器打开后打印。", name, path))
	dir := filepath.Dir(path)
	folder := widget.NewButtonWithIcon("打开所在文件夹", theme.FolderOpenIcon(), nil)
	var d dialog.Dialog
	folder.OnTapped = func() {
		m.env.run(func() {
			err := m.env.openFile(dir)
			fyne.Do(func() {
				if err != nil {
					folder.Disable()
					folder.SetText("无法打开文件夹，请在文件管理器中找到：" + dir)
					return
				}
				d.Hide()
			})
		})
	}
	folder.Importance = widget.HighImportance
	closeBtn := widget.NewButton("关闭", func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("打印", container.NewVBox(msg), m.win)
	d.(*dialog.CustomDialog).SetButtons([]fyne.CanvasObject{closeBtn, folder})
	d.Resize(fyne.NewSize(560, 220))
	d.Show()
}

// documentsDir is the user's documents folder: XDG_DOCUMENTS_DIR on Linux
// desktops, else Documents (or 文档) in the home folder, else a new 文档
// folder made there; the home folder itself only when that can't be made.
func documentsDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "."
	}
	if f, err := os.Open(filepath.Join(home, ".config", "user-dirs.dirs")); err == nil {
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if v, ok := strings.CutPrefix(line, "XDG_DOCUMENTS_DIR="); ok {
				v = strings.Trim(v, `"`)
				v = strings.Replace(v, "$HOME", home, 1)
				if st, err := os.Stat(v); err == nil && st.IsDir() {
					return v
				}
			}
		}
	}
	for _, name := range []string{"Documents", "文档", "My Documents"} {
		if st, err := os.Stat(filepath.Join(home, name)); err == nil && st.IsDir() {
			return filepath.Join(home, name)
		}
	}
	// A home without one (a fresh account on a workstation): printouts and
	// exports get a 文档 folder of their own rather than the home's root.
	docs := filepath.Join(home, "文档")
	if err := os.Mkdir(docs, 0o700); err == nil {
		return docs
	}
	return home
}
