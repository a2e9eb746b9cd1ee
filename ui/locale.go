package ui

import (
	"os"
	"strings"

	"fyne.io/fyne/v2/lang"
)

// UseChineseLocale makes Fyne's own words (dialog buttons, the entry's
// cut/copy/paste menu) Chinese whatever the machine's locale is: the program
// speaks only Chinese, and an isolated workstation often runs with LANG=C.
// Fyne reads the locale when its translations load, so this sets the
// environment and then adds a (empty) translation to make it read again.
func UseChineseLocale() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if cur := os.Getenv(v); cur != "" && !strings.HasPrefix(cur, "zh") {
			os.Setenv(v, "zh_CN.UTF-8")
		}
	}
	if os.Getenv("LANG") == "" {
		os.Setenv("LANG", "zh_CN.UTF-8")
	}
	os.Setenv("LANGUAGE", "zh_CN:zh")
	_ = lang.AddTranslationsForLocale([]byte("{}"), "zh-Hans")
}
