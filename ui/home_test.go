package ui

import (
	"fmt"
	"strings"
	"testing"

	"secdoc/models"
)

// The home view and the status bar count what is held by 密级 and 状态, and
// follow every save and void.
func TestHome_CountsByLevelAndStateFollowChanges(t *testing.T) {
	fx := newFixture(t)
	h := fx.m.home
	if h.held.value.Text != "0" || fx.m.statusCounts.Text != "在册 0 件 · 绝密 0 · 机密 0 · 秘密 0" {
		t.Fatalf("empty register: held %q, status %q", h.held.value.Text, fx.m.statusCounts.Text)
	}

	fx.register("遂安府办发〔2026〕30号", "关于做好保密自查工作的通知", "遂安市人民政府办公室") // 机密
	top := models.CarrierForm{Direction: models.DirIncoming, RegDate: "2026-11-20", DocNumber: "川委发〔2026〕1号",
		Title: "绝密文件", Issuer: "中共川江省委办公厅", Level: models.LevelTopSecret, Kind: models.KindCipherTel,
		Custodian: operator, Copies: "2"}
	cs, err := fx.svc.Register(fx.sess, top)
	if err != nil {
		t.Fatal(err)
	}
	if err := fx.svc.Void(fx.sess, cs[1].ID, cs[1].Version, "份数登记错误"); err != nil {
		t.Fatal(err)
	}
	fx.m.changed()

	got := map[string]string{"held": h.held.value.Text, "绝密": h.levels[models.LevelTopSecret].value.Text,
		"机密": h.levels[models.LevelSecret].value.Text, "秘密": h.levels[models.LevelConfidential].value.Text,
		"本年": h.registered.value.Text}
	want := map[string]string{"held": "2", "绝密": "1", "机密": "1", "秘密": "0", "本年": "3"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("tile %s = %q; want %q", k, got[k], v)
		}
	}
	for _, line := range []string{"在库  2 件", "已作废  1 件", "合计  3 件"} {
		if !strings.Contains(h.byState.Text, line) {
			t.Errorf("by state %q lacks %q", h.byState.Text, line)
		}
	}
	for _, line := range []string{"纸质文件  1", "密码电报  1"} {
		if !strings.Contains(h.byKind.Text, line) {
			t.Errorf("by kind %q lacks %q", h.byKind.Text, line)
		}
	}
	if s := fx.m.statusCounts.Text; s != "在册 2 件 · 绝密 1 · 机密 1 · 秘密 0" {
		t.Errorf("status bar %q", s)
	}
}

// R21: the home and the status bar count 国家秘密 apart from 内部 and 非密.
func TestHome_R21_StateSecretsCountedApart(t *testing.T) {
	fx := newFixture(t)
	for i, l := range []models.Level{models.LevelSecret, models.LevelInternal, models.LevelNonSecret} {
		f := validForm(fmt.Sprintf("遂安府办发〔2026〕%d号", 90+i), "关于分级计数的通知")
		f.Level = l
		if _, err := fx.svc.Register(fx.sess, f); err != nil {
			t.Fatal(err)
		}
	}
	h := fx.m.home
	fx.m.changed()
	if h.held.value.Text != "1" || h.unclassified.value.Text != "2" {
		t.Errorf("tiles: 涉密 %s, 内部、非密 %s", h.held.value.Text, h.unclassified.value.Text)
	}
	if got := fx.m.statusCounts.Text; got != "在册 1 件 · 绝密 0 · 机密 1 · 秘密 0 · 另有内部、非密 2" {
		t.Errorf("status %q", got)
	}
}
