package ui

import (
	"fyne.io/fyne/v2/lang"

	"secdoc/internal/zhlocale"
)

// UseChineseLocale makes Fyne's own words (dialog buttons, the entry's
// cut/copy/paste menu) Chinese whatever the machine's locale is: the program
// speaks only Chinese, and an isolated workstation often runs with LANG=C.
// Fyne reads the locale when its translations load, so this sets the
// environment and then adds a (empty) translation to make it read again.
func UseChineseLocale() {
	zhlocale.Use()
	_ = lang.AddTranslationsForLocale([]byte("{}"), "zh-Hans")
}
