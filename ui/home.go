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

// homeScreen shows what the office holds, by level and by state, and leads
// to the two daily tasks: registering and looking up.
type homeScreen struct {
	m *MainUI

	held       *widget.Label // big number of carriers held
	byLevel    *widget.Label
	byState    *widget.Label
	byKind     *widget.Label
	registered *widget.Label // registered this year

	content fyne.CanvasObject
}

func newHomeScreen(m *MainUI) *homeScreen {
	h := &homeScreen{m: m}
	h.buildUI()
	return h
}

func (h *homeScreen) buildUI() {
	h.held = widget.NewLabel("…")
	h.held.SizeName = theme.SizeNameHeadingText
	h.held.TextStyle.Bold = true
	h.byLevel = widget.NewLabel("")
	h.byState = widget.NewLabel("")
	h.byKind = widget.NewLabel("")
	h.registered = widget.NewLabel("…")
	h.registered.SizeName = theme.SizeNameHeadingText

	register := widget.NewButtonWithIcon("登记新文件", theme.DocumentCreateIcon(), h.onRegister)
	register.Importance = widget.HighImportance
	ledger := widget.NewButtonWithIcon("打开台账", theme.ListIcon(), h.onLedger)
	buttons := container.NewGridWithColumns(2,
		container.NewGridWrap(fyne.NewSize(220, 64), register),
		container.NewGridWrap(fyne.NewSize(220, 64), ledger))

	cards := container.NewGridWithColumns(4,
		widget.NewCard("在册", "按密级", container.NewVBox(h.held, h.byLevel)),
		widget.NewCard("载体状态", "全部登记", h.byState),
		widget.NewCard("载体类型", "在册", h.byKind),
		widget.NewCard("本年登记", "", h.registered),
	)
	h.content = container.NewVScroll(container.NewVBox(cards, container.NewCenter(buttons)))
}

// apply shows freshly counted stats.
func (h *homeScreen) apply(st app.Stats) {
	h.held.SetText(thousands(st.Held) + " 件")
	var lv []string
	for i := len(models.Levels) - 1; i >= 0; i-- {
		l := models.Levels[i]
		lv = append(lv, fmt.Sprintf("%s  %s 件", l, thousands(st.HeldByLevel[l])))
	}
	h.byLevel.SetText(strings.Join(lv, "\n"))

	var states []string
	for _, s := range models.States {
		if n := st.ByState[s]; n > 0 || s.Held() {
			states = append(states, fmt.Sprintf("%s  %s 件", s, thousands(n)))
		}
	}
	states = append(states, fmt.Sprintf("合计  %s 件", thousands(st.Total)))
	h.byState.SetText(strings.Join(states, "\n"))

	var kinds []string
	for _, k := range models.CarrierKinds {
		if n := st.HeldByKind[k]; n > 0 {
			kinds = append(kinds, fmt.Sprintf("%s  %s", k, thousands(n)))
		}
	}
	if len(kinds) == 0 {
		kinds = append(kinds, "暂无")
	}
	h.byKind.SetText(strings.Join(kinds, "\n"))
	h.registered.SetText(thousands(st.RegisteredTY) + " 件")
}

func (h *homeScreen) onRegister() { h.m.showRegister() }

func (h *homeScreen) onLedger() { h.m.showLedger() }
