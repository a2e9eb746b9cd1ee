package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The window's own file and folder chooser, in Chinese: a box to type or
// paste a path into (Enter goes there), 上一级, the places a clerk uses
// (文档, 主文件夹, each mounted removable disk), the folder's subfolders and
// the files of the kinds asked for. Toolkit's chooser speaks English in
// places, has no path box and starts where it likes.

type chooserMode int

const (
	chooseFolder chooserMode = iota // a folder: backups, printouts
	chooseOpen                      // an existing file of the given kinds
	chooseSave                      // a new file's name in a folder
)

type chooserItem struct {
	name string
	dir  bool
}

type chooser struct {
	win  fyne.Window
	mode chooserMode
	exts []string // lower case, with the dot; nil: every file
	done func(path string)

	dir   string
	items []chooserItem
	path  *entry
	name  *entry // chooseSave: the file's name
	list  *widget.List
	msg   *widget.Label
	ok    *widget.Button
	dlg   *dialog.CustomDialog
}

// showChooser opens the chooser at start (or the documents folder when
// start is not a folder); done gets the path chosen, never called on 取消.
// For chooseSave, name is the suggested file name and exts[0] its kind.
func showChooser(win fyne.Window, mode chooserMode, title, start, name string, exts []string, done func(string)) *chooser {
	c := &chooser{win: win, mode: mode, exts: exts, done: done}
	c.path = newEntry()
	c.path.OnSubmitted = func(p string) { c.goTo(strings.TrimSpace(p)) }
	up := widget.NewButtonWithIcon("上一级", theme.MoveUpIcon(), func() { c.goTo(filepath.Dir(c.dir)) })
	c.msg = errorLabel()
	c.list = widget.NewList(func() int { return len(c.items) }, func() fyne.CanvasObject {
		return container.NewHBox(widget.NewIcon(theme.FolderIcon()), widget.NewLabel(""))
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		row := o.(*fyne.Container)
		it := c.items[i]
		icon := theme.FileIcon()
		if it.dir {
			icon = theme.FolderIcon()
		}
		row.Objects[0].(*widget.Icon).SetResource(icon)
		row.Objects[1].(*widget.Label).SetText(it.name)
	})
	c.list.OnSelected = c.onSelected

	var places []fyne.CanvasObject
	for _, p := range chooserPlaces() {
		p := p
		b := widget.NewButtonWithIcon(p.label, p.icon, func() { c.goTo(p.path) })
		b.Alignment = widget.ButtonAlignLeading
		places = append(places, b)
	}
	okText := map[chooserMode]string{chooseFolder: "选择此文件夹", chooseOpen: "打开", chooseSave: "保存"}[mode]
	c.ok = widget.NewButtonWithIcon(okText, theme.ConfirmIcon(), c.onOK)
	c.ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("取消", theme.CancelIcon(), func() { c.dlg.Hide() })

	top := container.NewBorder(nil, nil, widget.NewLabel("位置"), up, c.path)
	bottom := container.NewVBox(c.msg)
	if mode == chooseSave {
		c.name = newEntry()
		c.name.SetText(name)
		c.name.OnSubmitted = func(string) { c.onOK() }
		bottom.Add(container.NewBorder(nil, nil, widget.NewLabel("文件名"), nil, c.name))
	}
	if len(exts) > 0 && mode != chooseFolder {
		hint := widget.NewLabel("只列出 " + strings.Join(exts, "、") + " 文件")
		hint.Importance = widget.LowImportance
		bottom.Add(hint)
	}
	bottom.Add(container.NewHBox(layout.NewSpacer(), cancel, c.ok))
	body := container.NewBorder(top, bottom, container.NewVBox(places...), nil, c.list)
	c.dlg = dialog.NewCustomWithoutButtons(title, body, win)
	c.dlg.Resize(fitIn(win, fyne.NewSize(860, 560)))

	if st, err := os.Stat(start); err != nil || !st.IsDir() {
		start = documentsDir()
	}
	c.goTo(start)
	c.dlg.Show()
	focus := fyne.Focusable(c.path)
	if c.name != nil {
		focus = c.name
	}
	win.Canvas().Focus(focus)
	return c
}

// goTo shows folder dir, or says why it can't.
func (c *chooser) goTo(dir string) {
	setMessage(c.msg, "")
	if dir == "" {
		return
	}
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(c.dir, dir)
	}
	dir = filepath.Clean(dir)
	st, err := os.Stat(dir)
	switch {
	case err == nil && !st.IsDir() && c.mode == chooseOpen && c.wanted(dir):
		c.choose(dir) // a file's path typed in full
		return
	case err == nil && !st.IsDir():
		setMessage(c.msg, "“"+dir+"”不是文件夹")
		return
	case errors.Is(err, fs.ErrNotExist):
		setMessage(c.msg, "找不到文件夹“"+dir+"”")
		return
	case err != nil:
		setMessage(c.msg, "无法打开文件夹“"+dir+"”："+describeFSError(err))
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		setMessage(c.msg, "无法打开文件夹“"+dir+"”："+describeFSError(err))
		return
	}
	c.dir = dir
	c.path.SetText(dir)
	c.items = c.items[:0]
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&fs.ModeSymlink != 0 {
			if st, err := os.Stat(filepath.Join(dir, e.Name())); err == nil {
				isDir = st.IsDir()
			}
		}
		if isDir || (c.mode != chooseFolder && c.wanted(e.Name())) {
			c.items = append(c.items, chooserItem{name: e.Name(), dir: isDir})
		}
	}
	sort.Slice(c.items, func(i, j int) bool {
		if c.items[i].dir != c.items[j].dir {
			return c.items[i].dir
		}
		return c.items[i].name < c.items[j].name
	})
	c.list.UnselectAll()
	c.list.ScrollToTop()
	c.list.Refresh()
}

// wanted reports whether a file's name has one of the kinds asked for.
func (c *chooser) wanted(name string) bool {
	if len(c.exts) == 0 {
		return true
	}
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range c.exts {
		if ext == e {
			return true
		}
	}
	return false
}

func (c *chooser) onSelected(i widget.ListItemID) {
	if i < 0 || i >= len(c.items) {
		return
	}
	it := c.items[i]
	full := filepath.Join(c.dir, it.name)
	switch {
	case it.dir:
		c.goTo(full)
	case c.mode == chooseSave:
		c.name.SetText(it.name)
	case c.mode == chooseOpen:
		c.path.SetText(full)
	}
}

// onOK takes what is chosen: the folder shown, the file typed or picked, or
// the file name in the folder shown (asking before one is replaced).
func (c *chooser) onOK() {
	switch c.mode {
	case chooseFolder:
		typed := filepath.Clean(strings.TrimSpace(c.path.Text))
		if typed != c.dir {
			c.goTo(typed)
			if c.dir != typed {
				return
			}
		}
		c.choose(c.dir)
	case chooseOpen:
		p := strings.TrimSpace(c.path.Text)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && c.wanted(p) {
			c.choose(p)
			return
		}
		setMessage(c.msg, "请在列表中选择一个文件")
	case chooseSave:
		name := strings.TrimSpace(c.name.Text)
		if name == "" || strings.ContainsAny(name, `/\:*?"<>|`) {
			setMessage(c.msg, "请填写文件名（不能含有 / \\ : * ? \" < > |）")
			return
		}
		if len(c.exts) > 0 && !c.wanted(name) {
			name += c.exts[0]
		}
		p := filepath.Join(c.dir, name)
		if _, err := os.Stat(p); err == nil {
			dialog.ShowCustomConfirm("文件已存在", "替换", "取消",
				widget.NewLabel("“"+p+"”已存在。替换它吗？原文件的内容将丢失。"),
				func(ok bool) {
					if ok {
						c.choose(p)
					}
				}, c.win)
			return
		}
		c.choose(p)
	}
}

func (c *chooser) choose(p string) {
	c.dlg.Hide()
	c.done(p)
}

// describeFSError says in Chinese why a folder can't be read.
func describeFSError(err error) string {
	switch {
	case errors.Is(err, fs.ErrPermission):
		return "没有权限"
	case errors.Is(err, fs.ErrNotExist):
		return "不存在"
	}
	return "读取出错"
}

type chooserPlace struct {
	label, path string
	icon        fyne.Resource
}

// chooserPlaces are the places beside the list: the documents folder, the
// home folder, and each removable disk mounted now.
func chooserPlaces() []chooserPlace {
	out := []chooserPlace{{"文档", documentsDir(), theme.DocumentIcon()}}
	if home, err := os.UserHomeDir(); err == nil {
		out = append(out, chooserPlace{"主文件夹", home, theme.HomeIcon()})
	}
	for _, m := range removableMedia() {
		out = append(out, chooserPlace{"可移动磁盘 " + filepath.Base(m), m, theme.StorageIcon()})
	}
	return out
}

// removableMedia lists the mounted removable disks: the folders under
// /media/USER and /run/media/USER on Linux desktops, the drive letters from
// D: on Windows.
func removableMedia() []string {
	var out []string
	if runtime.GOOS == "windows" {
		for l := 'D'; l <= 'Z'; l++ {
			root := fmt.Sprintf("%c:\\", l)
			if st, err := os.Stat(root); err == nil && st.IsDir() {
				out = append(out, root)
			}
		}
		return out
	}
	name := ""
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	for _, base := range []string{filepath.Join("/media", name), filepath.Join("/run/media", name)} {
		entries, err := os.ReadDir(base)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.IsDir() {
				out = append(out, filepath.Join(base, e.Name()))
			}
		}
	}
	return out
}
