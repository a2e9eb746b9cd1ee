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

// periodPane is one number per level of 国家秘密 that the security officer
// sets: the 自查周期 in months (R19), or the longest loan in days (R27).
type periodPane struct {
	s    *Shell
	what string // 自查周期, 借阅期限
	unit string // 个月, 天
	get  func() (map[models.Level]int, error)
	set  func(l models.Level, n int) error

	months  map[models.Level]*entry
	saved   map[models.Level]int // as last read or saved
	msgs    *fieldMessages
	save    *widget.Button
	status  statusLine
	content fyne.CanvasObject
}

// periodKey is the message line of a level's number.
func periodKey(l models.Level) string { return "Period." + l.String() }

// newPeriodPane is the security officer's 自查周期 (R19): the
// self-inspection period in months for carriers of each 密级, monthly unless
// set otherwise. A custodian is due by the period of the highest level they
// hold.
func newPeriodPane(s *Shell) *periodPane {
	p := &periodPane{s: s, what: "自查周期", unit: "个月",
		get: func() (map[models.Level]int, error) { return s.svc.InspectionPeriods(s.sess) },
		set: func(l models.Level, n int) error { return s.svc.SetInspectionPeriod(s.sess, l, n) }}
	p.buildUI(fmt.Sprintf("1 到 %d", models.MaxInspectionMonths),
		fmt.Sprintf("按责任人保管载体的最高密级确定自查周期；默认每月一次，最长 %d 个月。", models.MaxInspectionMonths))
	p.load()
	return p
}

// newLoanDaysPane is the security officer's 借阅期限 (R27): the longest loan
// or take-out of each level, in days.
func newLoanDaysPane(s *Shell) *periodPane {
	p := &periodPane{s: s, what: "借阅、外出携带期限", unit: "天",
		get: func() (map[models.Level]int, error) {
			out := map[models.Level]int{}
			for _, l := range models.Levels {
				out[l] = s.svc.LoanDays(l, models.LoanBorrow)
			}
			return out, nil
		},
		set: func(l models.Level, n int) error { return s.svc.SetLoanDays(s.sess, l, n) }}
	p.buildUI("天数", "各密级载体借阅、外出携带的最长天数（外出携带另不超过 30 天）。默认绝密 1 天且只能在机要阅文室阅读，机密 15 天，秘密 30 天。")
	p.load()
	return p
}

func (p *periodPane) buildUI(placeholder, explain string) {
	p.months, p.saved = map[models.Level]*entry{}, map[models.Level]int{}
	p.msgs = newFieldMessages()
	var rows [][2]fyne.CanvasObject
	for i := len(models.Levels) - 1; i >= 0; i-- { // 绝密 first, as the forms list them
		l := models.Levels[i]
		e := newEntry()
		e.SetPlaceHolder(placeholder)
		e.OnSubmitted = func(string) { p.onSave() }
		p.months[l] = e
		rows = append(rows, p.msgs.row(periodKey(l), l.String()+"载体",
			container.NewHBox(container.New(widthLayout{80}, e), widget.NewLabel(p.unit))))
	}
	p.save = widget.NewButtonWithIcon("保存"+p.what, theme.DocumentSaveIcon(), p.onSave)
	p.save.Importance = widget.HighImportance
	p.status = newStatusLine()
	title := widget.NewLabel(p.what)
	title.TextStyle.Bold = true
	body := container.NewVBox(title, note(explain),
		p.msgs.top, formOf(rows...), p.status.Label, container.NewHBox(p.save))
	p.msgs.frame = body
	p.content = leftColumn(640, body)
}

// load reads the numbers off the UI goroutine.
func (p *periodPane) load() {
	s := p.s
	s.env.run(func() {
		numbers, err := p.get()
		fyne.Do(func() {
			if err != nil {
				if msg, ok := firstMessage(err); ok {
					p.status.fail(msg)
					return
				}
				s.unexpected("读取"+p.what, err)
				return
			}
			for l, e := range p.months {
				p.saved[l] = numbers[l]
				e.SetText(strconv.Itoa(numbers[l]))
			}
		})
	})
}

// onSave sets the number of every level that changed; the domain says
// whether the number is acceptable.
func (p *periodPane) onSave() {
	p.msgs.clear()
	p.status.clear()
	var done []string
	failed := false
	for i := len(models.Levels) - 1; i >= 0; i-- {
		l := models.Levels[i]
		n, err := strconv.Atoi(strings.TrimSpace(models.NormalizeWidth(p.months[l].Text)))
		if err != nil {
			p.msgs.add(periodKey(l), "请填写整数（"+p.unit+"）")
			failed = true
			continue
		}
		if n == p.saved[l] {
			continue
		}
		if err := p.set(l, n); err != nil {
			if msg, ok := firstMessage(err); ok {
				p.msgs.add(periodKey(l), msg)
				failed = true
				continue
			}
			p.s.unexpected("保存"+p.what, err)
			return
		}
		p.saved[l] = n
		done = append(done, fmt.Sprintf("%s %d %s", l, n, p.unit))
	}
	switch {
	case len(done) > 0:
		p.status.ok("已保存" + p.what + "：" + strings.Join(done, "，") + "。")
	case !failed:
		p.status.ok(p.what + "没有变化。")
	}
}
