package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"secdoc/models"
)

// periodFixture signs the security officer in and returns their 自查周期 pane.
func periodFixture(t *testing.T) (*fixture, *periodPane) {
	t.Helper()
	fx := newShellFixture(t, newService(t, true, true), nil)
	fx.signIn(loginSecAdmin, testPassword)
	if fx.s.secAdmin == nil || fx.s.secAdmin.periods == nil {
		t.Fatal("the security officer's home has no 自查周期")
	}
	return fx, fx.s.secAdmin.periods
}

// The security officer sets the self-inspection period per level (R19):
// monthly by default; a changed number is saved through the domain; a
// period the domain refuses (13 months) shows its message and is not saved.
func TestPeriodUI_R19_SecurityOfficerSetsPeriodPerLevel(t *testing.T) {
	fx, p := periodFixture(t)
	for _, l := range models.Levels {
		if got := p.months[l].Text; got != "1" {
			t.Errorf("%s period shows %q, want the default 1", l, got)
		}
	}
	p.months[models.LevelConfidential].SetText("")
	test.Type(p.months[models.LevelConfidential], "3")
	test.Tap(p.save)
	if p.status.Text != "已保存自查周期：秘密 3 个月。" {
		t.Fatalf("status %q / %q", p.status.Text, p.msgs.text(periodKey(models.LevelConfidential)))
	}
	periods, err := fx.svc.InspectionPeriods(fx.session(loginSecAdmin))
	if err != nil {
		t.Fatal(err)
	}
	if periods[models.LevelConfidential] != 3 || periods[models.LevelSecret] != 1 || periods[models.LevelTopSecret] != 1 {
		t.Fatalf("periods %v", periods)
	}

	// Refused by the domain: its message under the level, nothing saved.
	p.months[models.LevelSecret].SetText("")
	test.Type(p.months[models.LevelSecret], "13")
	p.months[models.LevelTopSecret].SetText("两个月")
	test.Tap(p.save)
	if got := p.msgs.text(periodKey(models.LevelSecret)); !strings.Contains(got, "自查周期应为 1 至 12 个月") {
		t.Errorf("13 months: %q", got)
	}
	if got := p.msgs.text(periodKey(models.LevelTopSecret)); !strings.Contains(got, "请填写整数") {
		t.Errorf("not a number: %q", got)
	}
	if p.status.Visible() {
		t.Errorf("status after refusals %q", p.status.Text)
	}
	periods, _ = fx.svc.InspectionPeriods(fx.session(loginSecAdmin))
	if periods[models.LevelSecret] != 1 || periods[models.LevelTopSecret] != 1 {
		t.Fatalf("periods after the refusals %v", periods)
	}
}
