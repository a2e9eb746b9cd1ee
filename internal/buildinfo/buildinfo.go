package buildinfo

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"secdoc/models"
)

// Package buildinfo says what the running binary is: its version (the one of
// FyneApp.toml), the commit it was built from and its platform.
//
// Build is what the binary says of itself: its version, the commit and the
// commit's date it was built from (read from the build's own record, so a
// build from the same commit says the same), and its platform.
type Build struct {
	Version  string
	Commit   string // first 12 hex digits; "" when built outside a checkout
	Date     string // the commit's date, yyyy-mm-dd
	Modified bool   // built from a checkout with uncommitted changes
	Platform string // linux/amd64, windows/amd64 …
}

// Version is the program's version; FyneApp.toml says the same (a test
// checks it).
const Version = "0.2.0"

// ThisBuild describes the running binary.
func ThisBuild() Build {
	b := Build{Version: Version, Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value[:min(12, len(s.Value))]
			case "vcs.time":
				b.Date, _, _ = strings.Cut(s.Value, "T")
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
	}
	return b
}

// String is the line `secdoc version` prints.
func (b Build) String() string {
	out := fmt.Sprintf("secdoc %s %s schema %d", b.Version, b.Platform, models.SchemaVersion())
	if b.Commit != "" {
		out += fmt.Sprintf(" commit %s (%s)", b.Commit, b.Date)
		if b.Modified {
			out += " 含未提交的修改"
		}
	}
	return out
}
