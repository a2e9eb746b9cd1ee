package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// peopleScreen is the clerk's 人员 tab (R27): the office's list of people
// every name is picked from, with 部门, 职务 and 已离岗; the spellings that
// name one person, to merge.
type peopleScreen struct {
	m     *MainUI
	gen   generation
	fresh fresh // what the list was last read from

	rows     []models.Person
	selected string // the person in the form, "" for a new one
	list     *widget.List

	name, dept, title, leftOn *entry
	left                      *widget.Check
	msgs                      *fieldMessages
	save, clear               *widget.Button
	result                    statusLine
	dups                      *fyne.Container
	merge                     map[string]*widget.Button // 保留 by name, for tests
	content                   fyne.CanvasObject
}

func newPeopleScreen(m *MainUI) *peopleScreen {
	s := &peopleScreen{m: m, msgs: newFieldMessages(), result: newStatusLine(),
		fresh: newFresh(nil, app.ChangePeople, app.ChangeCarriers, app.ChangeMovements, app.ChangeHandovers)}
	s.name, s.dept, s.title, s.leftOn = newEntry(), newEntry(), newEntry(), newEntry()
	s.leftOn.SetPlaceHolder("年-月-日，空白为今天")
	s.left = widget.NewCheck("已离岗（不再接收任何载体）", nil)
	s.save = widget.NewButtonWithIcon("保存", theme.DocumentSaveIcon(), s.onSave)
	s.save.Importance = widget.HighImportance
	s.clear = widget.NewButtonWithIcon("新增人员", theme.ContentAddIcon(), s.newPerson)
	s.list = widget.NewList(func() int { return len(s.rows) },
		func() fyne.CanvasObject {
			return widget.NewLabel("王某某  综合科科员  核心  已离岗（2026-01-01）")
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(s.rows) {
				o.(*widget.Label).SetText(personLine(s.rows[id]))
			}
		})
	s.list.OnSelected = s.onSelect
	title := widget.NewLabel("人员名单")
	title.TextStyle.Bold = true
	form := formOf(s.msgs.row(app.FieldPersonName, "姓名", s.name),
		[2]fyne.CanvasObject{widget.NewLabel("部门"), s.dept},
		[2]fyne.CanvasObject{widget.NewLabel("职务"), s.title},
		[2]fyne.CanvasObject{widget.NewLabel("离岗"), container.NewBorder(nil, nil, s.left, nil, s.leftOn)})
	s.dups = container.NewVBox()
	dupTitle := widget.NewLabel("疑似同一人的不同写法")
	dupTitle.TextStyle.Bold = true
	right := container.NewVBox(container.NewBorder(nil, nil, title, container.NewHBox(s.clear, s.save)),
		note("责任人、借阅人、阅文人、接收人都从这份名单中选择；首次使用的姓名自动加入。离岗人员须先交接所保管的载体。"),
		s.msgs.top, form, s.result.Label, widget.NewSeparator(), dupTitle, s.dups)
	s.msgs.frame = right
	split := container.NewHSplit(s.list, container.NewVScroll(right))
	split.Offset = 0.4
	s.content = split
	return s
}

func personLine(p models.Person) string {
	t := p.Name
	if p.Department+p.Title != "" {
		t += "  " + p.Department + p.Title
	}
	if p.Grade != "" {
		t += "  " + string(p.Grade)
	}
	if p.Left {
		t += "  已离岗（" + p.LeftOn + "）"
	}
	return t
}

// reload reads the list and its near duplicates off the UI goroutine.
func (s *peopleScreen) reload() {
	stale := s.gen.next()
	m := s.m
	var rows []models.Person
	var dups [][]models.Person
	m.loadFresh(&s.fresh, func() (err error) {
		if rows, err = m.b.PeopleList(m.sess); err == nil {
			dups, err = m.b.PersonDuplicates(m.sess)
		}
		return err
	}, stale, s.result, "读取人员名单", func() {
		s.rows = rows
		s.list.Refresh()
		s.showDuplicates(dups)
	})
}

func (s *peopleScreen) showDuplicates(dups [][]models.Person) {
	s.merge = map[string]*widget.Button{}
	if len(dups) == 0 {
		s.dups.Objects = []fyne.CanvasObject{widget.NewLabel("没有")}
		s.dups.Refresh()
		return
	}
	rows := make([]fyne.CanvasObject, 0, len(dups))
	for _, g := range dups {
		names := make([]string, len(g))
		for i, p := range g {
			names[i] = "“" + p.Name + "”"
		}
		buttons := container.NewHBox()
		for _, keep := range g {
			keep, others := keep, g
			b := widget.NewButton("保留"+"“"+keep.Name+"”", func() { s.onMerge(keep, others) })
			s.merge[keep.Name] = b
			buttons.Add(b)
		}
		rows = append(rows, container.NewBorder(nil, nil, newCJKText(strings.Join(names, "、")), buttons))
	}
	s.dups.Objects = rows
	s.dups.Refresh()
}

// onMerge merges the other spellings of a group into keep.
func (s *peopleScreen) onMerge(keep models.Person, group []models.Person) {
	s.msgs.clear()
	moved := 0
	for _, p := range group {
		if p.ID == keep.ID {
			continue
		}
		n, err := s.m.b.MergePerson(s.m.sess, keep.ID, p.ID)
		if err != nil {
			s.msgs.explain(err, "合并人员", s.m.unexpected)
			return
		}
		moved += n
	}
	s.result.ok(fmt.Sprintf("已合并为“%s”，%d 件在册载体的责任人随之更正。", keep.Name, moved))
	s.reload()
	s.m.changed()
}

func (s *peopleScreen) onSelect(id widget.ListItemID) {
	if id < 0 || id >= len(s.rows) {
		return
	}
	p := s.rows[id]
	s.selected = p.ID
	s.msgs.clear()
	s.name.SetText(p.Name)
	s.dept.SetText(p.Department)
	s.title.SetText(p.Title)
	s.left.SetChecked(p.Left)
	s.leftOn.SetText(p.LeftOn)
}

func (s *peopleScreen) newPerson() {
	s.selected = ""
	s.list.UnselectAll()
	s.msgs.clear()
	for _, e := range []*entry{s.name, s.dept, s.title, s.leftOn} {
		e.SetText("")
	}
	s.left.SetChecked(false)
	s.m.focus(s.name)
}

func (s *peopleScreen) onSave() {
	s.msgs.clear()
	s.result.clear()
	p, err := s.m.b.SavePerson(s.m.sess, app.PersonInput{ID: s.selected, Name: s.name.Text, Department: s.dept.Text,
		Title: s.title.Text, Left: s.left.Checked, LeftOn: s.leftOn.Text})
	if err != nil {
		s.msgs.explain(err, "保存人员", s.m.unexpected)
		return
	}
	s.selected = p.ID
	s.result.ok("已保存：" + personLine(p) + "。")
	s.reload()
	s.m.refreshLookups()
}
