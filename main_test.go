package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildSecdoc builds the program (without the window system: its command
// line is what is tried here).
func buildSecdoc(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "secdoc")
	cmd := exec.Command("go", "build", "-tags", "ci", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func run(t *testing.T, bin, locale string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"LANG=" + locale, "LC_ALL=" + locale, "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

// Under any locale the command line prints only its own words: no toolkit
// complaint about LANG=C on stderr. An unknown command or flag prints the
// usage and exits 2 instead of opening the window.
func TestCommandLine_QuietUnderAnyLocaleAndStrictAboutCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the program")
	}
	bin := buildSecdoc(t)
	for _, loc := range []string{"C", "C.UTF-8", "POSIX", "en_US.UTF-8", "zh_CN.UTF-8"} {
		out, errOut, code := run(t, bin, loc, "version")
		if code != 0 || !strings.HasPrefix(out, "secdoc ") || errOut != "" {
			t.Errorf("LANG=%s secdoc version: exit %d, stdout %q, stderr %q", loc, code, out, errOut)
		}
	}
	for _, args := range [][]string{{"report"}, {"nosuchcmd"}, {"--nosuchflag"}} {
		_, errOut, code := run(t, bin, "C", args...)
		if code != 2 || !strings.Contains(errOut, "用法") || strings.Contains(errOut, "Fyne") {
			t.Errorf("secdoc %v: exit %d, stderr %q", args, code, errOut)
		}
	}
}
