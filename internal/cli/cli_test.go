package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"secdoc/app"
	"secdoc/models"
)

func init() {
	app.Argon2Params.Time, app.Argon2Params.MemoryKiB, app.Argon2Params.Threads = 1, 1024, 1
}

const demoPW = "Demo-pass-2026"

func run(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// demoDB makes a demo database with 40 carriers and returns its path and a
// password file holding the demo password.
func demoDB(t *testing.T) (db, pwFile string) {
	t.Helper()
	return makeDemo(t, 40)
}

// makeDemo makes a demo database with n carriers (and more: extra demo
// options) and returns its path and a file holding the demo password.
func makeDemo(t *testing.T, n int, extra ...string) (db, pwFile string) {
	t.Helper()
	t.Setenv("SECDOC_KEY_DIR", t.TempDir())
	dir := t.TempDir()
	db = filepath.Join(dir, "demo.db")
	pwFile = filepath.Join(dir, "pw")
	if err := os.WriteFile(pwFile, []byte(demoPW+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append([]string{"demo", "--n", strconv.Itoa(n), "--db", db, "--demo-password", demoPW}, extra...)
	code, out, errs := run("", args...)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("%d 件", n)) || !strings.Contains(out, "auditor") {
		t.Fatalf("demo: %d %q %q", code, out, errs)
	}
	return db, pwFile
}

func TestSubcommandDispatch(t *testing.T) {
	if IsSubcommand(nil) || IsSubcommand([]string{"--db", "x.db"}) {
		t.Fatal("window options taken for a subcommand")
	}
	if !IsSubcommand([]string{"demo", "--n", "3"}) || !IsSubcommand([]string{"--help"}) {
		t.Fatal("subcommand not recognised")
	}
	if code, out, _ := run("", "version"); code != 0 || !strings.HasPrefix(out, "secdoc "+Version+" "+runtime.GOOS+"/"+runtime.GOARCH+" schema ") {
		t.Fatalf("version: %d %q", code, out)
	}
	if code, _, errs := run("", "frobnicate"); code != 2 || !strings.Contains(errs, "未知的子命令") {
		t.Fatalf("unknown subcommand: %d %q", code, errs)
	}
}

func TestDemoThenStats_SignedIn(t *testing.T) {
	db, pw := demoDB(t)
	code, out, errs := run("", "stats", "--db", db, "--user", "clerk", "--password-file", pw)
	if code != 0 || !strings.Contains(out, "登记总数 40") {
		t.Fatalf("stats: %d %q %q", code, out, errs)
	}
	// The password may also come on standard input (a pipe).
	if code, out, _ := run(demoPW+"\n", "stats", "--db", db, "--user", "clerk"); code != 0 || !strings.Contains(out, "登记总数 40") {
		t.Fatalf("stats with piped password: %d %q", code, out)
	}
	if code, _, errs := run("", "demo", "--n", "0", "--db", db); code != 2 || !strings.Contains(errs, "--n") {
		t.Fatalf("bad --n: %d %q", code, errs)
	}
	// Adding to an existing database signs in like everything else.
	if code, out, errs := run("", "demo", "--n", "5", "--db", db, "--user", "clerk", "--password-file", pw); code != 0 {
		t.Fatalf("demo into existing: %d %q %q", code, out, errs)
	}
}

func TestSignIn_WrongPasswordAndWrongRoleRefused_R18(t *testing.T) {
	db, pw := demoDB(t)
	if code, _, errs := run("Wrong-pass-1\n", "stats", "--db", db, "--user", "clerk"); code != 1 || !strings.Contains(errs, "登录名或密码不对") {
		t.Fatalf("wrong password: %d %q", code, errs)
	}
	if code, _, errs := run("", "stats", "--db", db, "--user", "auditor", "--password-file", pw); code != 1 || !strings.Contains(errs, "无权操作") {
		t.Fatalf("auditor reading the register: %d %q", code, errs)
	}
	if code, _, errs := run("", "audit", "verify", "--db", db, "--user", "clerk", "--password-file", pw); code != 1 || !strings.Contains(errs, "无权操作") {
		t.Fatalf("clerk verifying the audit trail: %d %q", code, errs)
	}
	if code, _, errs := run("", "stats", "--db", db); code != 2 || !strings.Contains(errs, "--user") {
		t.Fatalf("no user: %d %q", code, errs)
	}
}

func TestAuditVerify_CLI_OKThenTamperedNamesRecord(t *testing.T) {
	db, pw := demoDB(t)
	code, out, errs := run("", "audit", "verify", "--db", db, "--user", "auditor", "--password-file", pw)
	if code != 0 || !strings.Contains(out, "审计记录完整") {
		t.Fatalf("verify: %d %q %q", code, out, errs)
	}
	// Rewrite one record behind the program's back, as someone with a SQLite tool would.
	svc, err := app.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	db2 := svc.DB()
	for _, stmt := range []string{`DROP TRIGGER audit_log_no_update`,
		`UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 7`} {
		if err := db2.Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
	svc.Close()
	code, out, _ = run("", "audit", "verify", "--db", db, "--user", "auditor", "--password-file", pw)
	if code != 3 || !strings.Contains(out, "第一条有问题的审计记录：第 7 条") || !strings.Contains(out, "第 7 条审计记录的内容或校验值与链不符") ||
		!strings.Contains(out, "缺少触发器 audit_log_no_update") {
		t.Fatalf("tampered: exit %d, %q", code, out)
	}
}

func TestSecondInstanceRefusedWithChineseMessage(t *testing.T) {
	t.Setenv("SECDOC_KEY_DIR", t.TempDir())
	db := filepath.Join(t.TempDir(), "busy.db")
	held, err := app.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	code, _, errs := run("", "stats", "--db", db, "--user", "clerk")
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
	g, err = ParseGUI([]string{"--db", "/tmp/flag.db", "--view", "ledger"}, &bytes.Buffer{})
	if err != nil || g.DB != "/tmp/flag.db" || g.View != "ledger" {
		t.Fatalf("flag: %+v %v", g, err)
	}
	if _, err := ParseGUI([]string{"--view", "nowhere"}, &bytes.Buffer{}); err == nil {
		t.Fatal("bad --view accepted")
	}
	t.Setenv("SECDOC_DB", "")
	g, _ = ParseGUI(nil, &bytes.Buffer{})
	if !strings.HasSuffix(g.DB, filepath.Join("secdoc", "secdoc.db")) {
		t.Fatalf("default: %s", g.DB)
	}
}

// Every error is said in Chinese: the domain's from the table the window
// reads too (app.Explain), a missing file by its path, and one nobody
// foresaw as a Chinese sentence with its details for support after it.
func TestExplain_ChineseForEveryError(t *testing.T) {
	_, statErr := os.Stat(filepath.Join(t.TempDir(), "没有.db"))
	for _, c := range []struct {
		err  error
		want string
	}{
		{models.ErrStale, "该记录已被他人修改"},
		{statErr, "找不到文件或文件夹："},
		{fmt.Errorf("wrap: %w", models.ErrNotSignedIn), "登录已失效"},
		{errors.New("disk I/O error"), "操作没有完成：出现了程序未预料的错误。\n技术细节（供技术支持）：disk I/O error"},
	} {
		if got := Explain(c.err); !strings.HasPrefix(got, c.want) {
			t.Errorf("Explain(%v) = %q, want it to begin %q", c.err, got, c.want)
		}
	}
}
