package ui

import (
	"testing"

	"fyne.io/fyne/v2/lang"
)

func TestUseChineseLocale_FyneWordsInChinese(t *testing.T) {
	t.Setenv("LANG", "C")
	t.Setenv("LC_ALL", "")
	t.Setenv("LANGUAGE", "")
	UseChineseLocale()
	for en, zh := range map[string]string{"Cancel": "取消", "Paste": "粘贴"} {
		if got := lang.L(en); got != zh {
			t.Errorf("lang.L(%q) = %q; want %q", en, got, zh)
		}
	}
}
