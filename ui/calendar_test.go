package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// R27: the security officer's 工作日历 shows a year's built-in days; for
// 2027, whose 调休 is not built in, it says so, and a 调休 Saturday entered
// by keyboard joins the list as entered.
func TestCalendarUI_R27_YearWithoutScheduleSaysSo(t *testing.T) {
	fx := newShellFixture(t, newService(t, true, true), nil)
	fx.signIn(loginSecAdmin, testPassword)
	p := fx.s.secAdmin.calendar
	shown := func() string { return strings.Join(texts(p.list), "|") }
	if got := shown(); !strings.Contains(got, "2026-10-01  放假  国庆节  （内置）") || strings.Contains(got, "调休安排尚未内置") {
		t.Fatalf("2026 shows %q", got)
	}
	p.year.SetSelected("2027")
	got := shown()
	if !strings.Contains(got, "2027 年只内置了法定节日当天") || !strings.Contains(got, "2027-09-15  放假  中秋节  （内置）") {
		t.Fatalf("2027 shows %q", got)
	}
	test.Type(p.day, "2027-02-20")
	p.kind.SetSelected("上班")
	test.Type(p.name, "春节调休上班")
	test.Tap(p.save)
	if got := shown(); !strings.Contains(got, "2027-02-20  上班  春节调休上班  （已登记）") {
		t.Fatalf("after entering a 调休 Saturday: %q (%q)", got, p.msgs.text(""))
	}
}
