// Package zhlocale makes the process's locale Chinese before the window
// toolkit reads it. An isolated workstation often runs with LANG=C or
// C.UTF-8, which the toolkit can't parse: it would print three lines of
// complaint on every command. The program speaks only Chinese anyway.
//
// Importing the package is enough: its init runs before the toolkit's
// translations load. Go initialises packages in the order of their import
// paths among those whose imports are ready, and the toolkit's lang package
// waits for text/template, which comes after this one; a test in package
// main checks that nothing is printed.
package zhlocale

import (
	"os"
	"strings"
)

func init() { Use() }

// Use sets the locale variables to zh_CN.UTF-8 where they name another
// language, and LANGUAGE to Chinese.
func Use() {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if cur := os.Getenv(v); cur != "" && !strings.HasPrefix(cur, "zh") {
			os.Setenv(v, "zh_CN.UTF-8")
		}
	}
	if os.Getenv("LANG") == "" {
		os.Setenv("LANG", "zh_CN.UTF-8")
	}
	os.Setenv("LANGUAGE", "zh_CN:zh")
}
