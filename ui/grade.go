package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// gradePane is the security officer's 涉密等级 of the office's people
// (R27): a person picked from the list, and their grade.
type gradePane struct {
	s       *Shell
	people  []models.Person
	person  *widget.Select
	grade   *widget.Select
	save    *widget.Button
	msgs    *fieldMessages
	status  statusLine
	content fyne.CanvasObject
}

var gradeChoices = []string{"未定", string(models.GradeCore), string(models.GradeImportant), string(models.GradeGeneral)}

func newGradePane(s *Shell) *gradePane {
	p := &gradePane{s: s, msgs: newFieldMessages(), status: newStatusLine()}
	p.person = widget.NewSelect(nil, p.onPerson)
	p.person.PlaceHolder = "选择人员"
	p.grade = widget.NewSelect(gradeChoices, nil)
	p.save = widget.NewButtonWithIcon("保存涉密等级", theme.DocumentSaveIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	title := widget.NewLabel("人员涉密等级")
	title.TextStyle.Bold = true
	body := container.NewVBox(title, note("涉密人员分为核心、重要、一般三个等级。人员名单由机要员维护，等级由安全保密管理员确定。"),
		p.msgs.top, formOf(p.msgs.row(app.FieldPersonName, "人员", p.person),
			p.msgs.row(app.FieldPersonGrade, "涉密等级", container.New(widthLayout{160}, p.grade))),
		p.status.Label, container.NewHBox(p.save))
	p.msgs.frame = body
	p.content = leftColumn(640, body)
	p.load()
	return p
}

func (p *gradePane) load() {
	s := p.s
	s.env.run(func() {
		people, err := s.svc.PeopleList(s.sess)
		fyne.Do(func() {
			if err != nil {
				p.msgs.explain(err, "读取人员名单", s.unexpected)
				return
			}
			p.people = people
			names := make([]string, 0, len(people))
			for _, x := range people {
				if !x.Left {
					names = append(names, x.Name)
				}
			}
			p.person.SetOptions(names)
		})
	})
}

func (p *gradePane) current() *models.Person {
	for i := range p.people {
		if p.people[i].Name == p.person.Selected {
			return &p.people[i]
		}
	}
	return nil
}

func (p *gradePane) onPerson(string) {
	if x := p.current(); x != nil {
		g := string(x.Grade)
		if g == "" {
			g = "未定"
		}
		p.grade.SetSelected(g)
	}
}

func (p *gradePane) onSave() {
	p.msgs.clear()
	p.status.clear()
	x := p.current()
	if x == nil {
		p.msgs.add(app.FieldPersonName, "请选择人员")
		return
	}
	g := models.PersonGrade(p.grade.Selected)
	if p.grade.Selected == "未定" {
		g = ""
	}
	if err := p.s.svc.SetPersonGrade(p.s.sess, x.ID, g); err != nil {
		p.msgs.explain(err, "保存涉密等级", p.s.unexpected)
		return
	}
	x.Grade = g
	p.status.ok(fmt.Sprintf("已保存：%s 涉密等级 %s。", x.Name, p.grade.Selected))
}
