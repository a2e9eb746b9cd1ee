package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/models"
)

// periodPane is the security officer's 自查周期 (R19): the self-inspection
// period in months for carriers of each 密级, monthly unless set otherwise.
// A custodian is due by the period of the highest level they hold.
type periodPane struct {
	s *Shell

	months  map[models.Level]*entry
	saved   map[models.Level]int // as last read or saved
	msgs    *fieldMessages
	save    *widget.Button
	status  statusLine
	content fyne.CanvasObject
}

// periodKey is the message line of a level's period.
func periodKey(l models.Level) string { return "Period." + l.String() }

func newPeriodPane(s *Shell) *periodPane {
	p := &periodPane{s: s, months: map[models.Level]*entry{}, saved: map[models.Level]int{}}
	p.buildUI()
	p.load()
	return p
}

func (p *periodPane) buildUI() {
	p.msgs = newFieldMessages()
	var rows [][2]fyne.CanvasObject
	for i := len(models.Levels) - 1; i >= 0; i-- { // 绝密 first, as the forms list them
		l := models.Levels[i]
		e := newEntry()
		e.SetPlaceHolder(fmt.Sprintf("1 到 %d", models.MaxInspectionMonths))
		e.OnSubmitted = func(string) { p.onSave() }
		p.months[l] = e
		rows = append(rows, p.msgs.row(periodKey(l), l.String()+"载体",
			container.NewHBox(container.New(widthLayout{80}, e), widget.NewLabel("个月"))))
	}
	p.save = widget.NewButtonWithIcon("保存自查周期", theme.DocumentSaveIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	p.status = newStatusLine()
	title := widget.NewLabel("自查周期")
	title.TextStyle.Bold = true
	body := container.NewVBox(title,
		note(fmt.Sprintf("按责任人保管载体的最高密级确定自查周期；默认每月一次，最长 %d 个月。",
			models.MaxInspectionMonths)),
		p.msgs.top, formOf(rows...), p.status.Label, container.NewHBox(p.save))
	p.msgs.frame = body
	p.content = leftColumn(640, body)
}

// load reads the periods off the UI goroutine.
func (p *periodPane) load() {
	s := p.s
	s.env.run(func() {
		periods, err := s.svc.InspectionPeriods(s.sess)
		fyne.Do(func() {
			if err != nil {
				if msg, ok := firstMessage(err); ok {
					p.status.fail(msg)
					return
				}
				s.unexpected("读取自查周期", err)
				return
			}
			for l, e := range p.months {
				p.saved[l] = periods[l]
				e.SetText(strconv.Itoa(periods[l]))
			}
		})
	})
}

// onSave sets the period of every level whose number changed; the domain
// says whether the number is acceptable.
func (p *periodPane) onSave() {
	p.msgs.clear()
	p.status.clear()
	s := p.s
	var done []string
	failed := false
	for i := len(models.Levels) - 1; i >= 0; i-- {
		l := models.Levels[i]
		n, err := strconv.Atoi(strings.TrimSpace(models.NormalizeWidth(p.months[l].Text)))
		if err != nil {
			p.msgs.add(periodKey(l), "请填写整数（个月）")
			failed = true
			continue
		}
		if n == p.saved[l] {
			continue
		}
		if err := s.svc.SetInspectionPeriod(s.sess, l, n); err != nil {
			if msg, ok := firstMessage(err); ok {
				p.msgs.add(periodKey(l), msg)
				failed = true
				continue
			}
			s.unexpected("保存自查周期", err)
			return
		}
		p.saved[l] = n
		done = append(done, fmt.Sprintf("%s %d 个月", l, n))
	}
	switch {
	case len(done) > 0:
		p.status.ok("已保存自查周期：" + strings.Join(done, "，") + "。")
	case !failed:
		p.status.ok("自查周期没有变化。")
	}
}
