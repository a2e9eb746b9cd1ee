package ui

import (
	"fmt"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// calendarPane is the security officer's 工作日历 (R27): the year's weekdays
// off and weekend days worked, the State Council's built in and those
// entered over them, by which every deadline counts.
type calendarPane struct {
	s *Shell

	year    *widget.Select
	list    *fyne.Container
	day     *entry
	kind    *widget.Select
	name    *entry
	msgs    *fieldMessages
	save    *widget.Button
	status  statusLine
	content fyne.CanvasObject
}

var dayKinds = []models.DayKind{models.DayHoliday, models.DayWorkday, models.DayNormal}

func newCalendarPane(s *Shell) *calendarPane {
	p := &calendarPane{s: s, msgs: newFieldMessages(), status: newStatusLine()}
	this := s.env.now().Year()
	p.year = widget.NewSelect([]string{strconv.Itoa(this - 1), strconv.Itoa(this), strconv.Itoa(this + 1)},
		func(string) { p.load() })
	p.list = container.NewVBox()
	p.day, p.name = newEntry(), newEntry()
	p.day.SetPlaceHolder("例如 " + strconv.Itoa(this+1) + "-01-01")
	p.name.SetPlaceHolder("例如 元旦、国庆节调休上班")
	names := make([]string, len(dayKinds))
	for i, k := range dayKinds {
		names[i] = k.String()
	}
	p.kind = widget.NewSelect(names, nil)
	p.kind.SetSelected(models.DayHoliday.String())
	p.save = widget.NewButtonWithIcon("保存", theme.DocumentSaveIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	title := widget.NewLabel("工作日历")
	title.TextStyle.Bold = true
	form := formOf(
		p.msgs.row(app.FieldCalendarDay, "日期", container.New(widthLayout{160}, p.day)),
		[2]fyne.CanvasObject{widget.NewLabel("类型"), container.New(widthLayout{160}, p.kind)},
		p.msgs.row(app.FieldCalendarName, "名称", p.name))
	body := container.NewVBox(title,
		note("收文办理期限（最迟次日中午 12 时前）按工作日计算：周一至周五上班，下列工作日放假、周末调休上班的日子除外。"+
			"已内置 2026 年国务院公布的放假安排和 2027 年的法定节日；以后的安排公布后请在此登记，登记的日子优先于内置安排。"),
		p.msgs.top, form, p.status.Label, container.NewHBox(p.save), widget.NewSeparator(),
		container.NewHBox(widget.NewLabel("年度"), container.New(widthLayout{100}, p.year)), p.list)
	p.msgs.frame = body
	p.content = container.NewVScroll(leftColumn(720, body))
	p.year.SetSelected(strconv.Itoa(this))
	return p
}

// load shows the chosen year's days.
func (p *calendarPane) load() {
	y, _ := strconv.Atoi(p.year.Selected)
	s := p.s
	s.env.run(func() {
		days, err := s.svc.CalendarYear(s.sess, y)
		fyne.Do(func() {
			if err != nil {
				p.msgs.explain(err, "读取工作日历", s.unexpected)
				return
			}
			rows := make([]fyne.CanvasObject, 0, len(days)+1)
			for _, d := range days {
				from := "内置"
				if d.Entered {
					from = "已登记"
				}
				rows = append(rows, widget.NewLabel(fmt.Sprintf("%s  %s  %s  （%s）", d.Day, d.Kind, d.Name, from)))
			}
			switch {
			case len(rows) == 0:
				rows = append(rows, widget.NewLabel(fmt.Sprintf("%d 年尚无放假安排：公布后请在上方逐日登记。", y)))
			case !models.SchedulePublished(y):
				rows = append([]fyne.CanvasObject{note(fmt.Sprintf("%d 年只内置了法定节日当天，调休安排尚未内置："+
					"国务院公布后，请把其余放假日和调休上班的周末逐日登记。", y))}, rows...)
			}
			p.list.Objects = rows
			p.list.Refresh()
		})
	})
}

func (p *calendarPane) onSave() {
	p.msgs.clear()
	p.status.clear()
	kind := models.DayHoliday
	for _, k := range dayKinds {
		if k.String() == p.kind.Selected {
			kind = k
		}
	}
	if err := p.s.svc.SetCalendarDay(p.s.sess, p.day.Text, kind, p.name.Text); err != nil {
		p.msgs.explain(err, "保存工作日历", p.s.unexpected)
		return
	}
	p.status.ok(fmt.Sprintf("已登记：%s %s %s。", p.day.Text, kind, p.name.Text))
	p.day.SetText("")
	p.name.SetText("")
	p.load()
}
