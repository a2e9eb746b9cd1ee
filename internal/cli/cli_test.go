package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"secdoc/app"
)

func run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestSubcommandDispatch(t *testing.T) {
	if IsSubcommand(nil) || IsSubcommand([]string{"--db", "x.db"}) {
		t.Fatal("window options taken for a subcommand")
	}
	if !IsSubcommand([]string{"demo", "--n", "3"}) || !IsSubcommand([]string{"--help"}) {
		t.Fatal("subcommand not recognised")
	}
	if code, out, _ := run("version"); code != 0 || !strings.HasPrefix(out, "secdoc ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, errs := run("frobnicate"); code != 2 || !strings.Contains(errs, "未知的子命令") {
		t.Fatalf("unknown subcommand: %d %q", code, errs)
	}
}

func TestDemoThenStats(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if code, out, errs := run("demo", "--n", "40", "--db", db); code != 0 || !strings.Contains(out, "40 件") {
		t.Fatalf("demo: %d %q %q", code, out, errs)
	}
	code, out, errs := run("stats", "--db", db)
	if code != 0 {
		t.Fatalf("stats: %d %q", code, errs)
	}
	if !strings.Contains(out, "登记总数 40") {
		t.Fatalf("stats output: %q", out)
	}
	if code, _, errs := run("demo", "--n", "0", "--db", db); code != 2 || !strings.Contains(errs, "--n") {
		t.Fatalf("bad --n: %d %q", code, errs)
	}
}

func TestSecondInstanceRefusedWithChineseMessage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "busy.db")
	held, err := app.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, _, errs := run("stats", "--db", db)
	if code != 1 || !strings.Contains(errs, "正在使用这个数据库") || !strings.Contains(errs, "--db") {
		t.Fatalf("second instance: exit %d, %q", code, errs)
	}
}

func TestParseGUI_DatabaseChoice(t *testing.T) {
	t.Setenv("SECDOC_DB", "/tmp/from-env.db")
	g, err := ParseGUI(nil, &bytes.Buffer{})
	if err != nil || g.DB != "/tmp/from-env.db" {
		t.Fatalf("env: %+v %v", g, err)
	}
	g, err = ParseGUI([]string{"--db", "/tmp/flag.db"}, &bytes.Buffer{})
	if err != nil || g.DB != "/tmp/flag.db" {
		t.Fatalf("flag: %+v %v", g, err)
	}
	t.Setenv("SECDOC_DB", "")
	g, _ = ParseGUI(nil, &bytes.Buffer{})
	if !strings.HasSuffix(g.DB, filepath.Join("secdoc", "secdoc.db")) {
		t.Fatalf("default: %s", g.DB)
	}
}
