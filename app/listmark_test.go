package app

import (
	"testing"

	"secdoc/models"
)

// R26: a list or book is marked by default with the highest level in it
// and the longest term (the 汇编 rule of R16); 长期 wins; without a 国家秘密
// it bears 内部 or 非密; an empty list bears nothing.
func TestListMark_R26_HighestLevelLongestTerm(t *testing.T) {
	c := func(l models.Level, k models.TermKind, years int) models.Carrier {
		return models.Carrier{Level: l, TermKind: k, TermYears: years, DocDate: "2026-01-01", RegDate: "2026-01-05"}
	}
	for _, tc := range []struct {
		name string
		cs   []models.Carrier
		want string
	}{
		{"none", nil, ""},
		{"内部 only", []models.Carrier{c(models.LevelInternal, models.TermDefault, 0)}, "内部"},
		{"机密 5 years and 秘密 10 years", []models.Carrier{c(models.LevelSecret, models.TermYears, 5),
			c(models.LevelConfidential, models.TermYears, 10), c(models.LevelInternal, models.TermDefault, 0)}, "机密★2036年1月1日"},
		{"长期 wins", []models.Carrier{c(models.LevelConfidential, models.TermLong, 0), c(models.LevelTopSecret, models.TermYears, 30)}, "绝密★长期"},
	} {
		if got := listMark(tc.cs); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
