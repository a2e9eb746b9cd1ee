package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestReadSecretLine_FirstLineLessItsEndingOnly(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"LF", "Demo-pass-2026\n", "Demo-pass-2026"},
		{"CRLF", "Demo-pass-2026\r\n", "Demo-pass-2026"},
		{"lone CR", "Demo-pass-2026\r", "Demo-pass-2026"},
		{"no ending", "Demo-pass-2026", "Demo-pass-2026"},
		{"second line ignored", "Demo-pass-2026\nsomething else\n", "Demo-pass-2026"},
		{"lone CR ends the line", "Demo-pass-2026\rsomething else", "Demo-pass-2026"},
		{"trailing space kept", "Demo-pass-2026 \n", "Demo-pass-2026 "},
		{"trailing tab kept", "Demo-pass-2026\t\r\n", "Demo-pass-2026\t"},
		{"leading space kept", " Demo-pass-2026\n", " Demo-pass-2026"},
		{"BOM kept", "\ufeffDemo-pass-2026\n", "\ufeffDemo-pass-2026"},
		{"empty line", "\n", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := readSecretLine(strings.NewReader(c.in))
			if err != nil || got != c.want {
				t.Fatalf("%q: %q %v, want %q", c.in, got, err, c.want)
			}
		})
	}
	t.Run("nothing", func(t *testing.T) {
		if got, err := readSecretLine(strings.NewReader("")); !errors.Is(err, io.EOF) || got != "" {
			t.Fatalf("%q %v", got, err)
		}
	})
	t.Run("reads no further than the line", func(t *testing.T) {
		r := strings.NewReader("pw\nrest")
		if got, err := readSecretLine(r); err != nil || got != "pw" {
			t.Fatalf("%q %v", got, err)
		}
		if rest, _ := io.ReadAll(r); string(rest) != "rest" {
			t.Fatalf("left %q", rest)
		}
	})
	t.Run("too long", func(t *testing.T) {
		if _, err := readSecretLine(strings.NewReader(strings.Repeat("x", maxSecretBytes+1))); !errors.Is(err, errSecretTooLong) {
			t.Fatalf("%v", err)
		}
	})
}

// secretFile writes content to a new file and returns its path.
func secretFile(t *testing.T, content string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(f, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestPasswordFile_LineEndingsAcceptedTheRestIsPassword(t *testing.T) {
	db, pw := demoDB(t)
	signIn := func(t *testing.T, stdin string, extra ...string) (int, string) {
		t.Helper()
		code, out, errs := run(stdin, append([]string{"stats", "--db", db, "--user", "clerk"}, extra...)...)
		if code == 0 && !strings.Contains(out, "登记总数 40") {
			t.Fatalf("stats: %q", out)
		}
		return code, errs
	}
	// A good sign-in after each refused one keeps the account from locking.
	reset := func(t *testing.T) {
		t.Helper()
		if code, errs := signIn(t, "", "--password-file", pw); code != 0 {
			t.Fatalf("good sign-in: %d %q", code, errs)
		}
	}
	accepted := map[string]string{
		"LF": demoPW + "\n", "CRLF": demoPW + "\r\n", "lone CR": demoPW + "\r", "no line ending": demoPW,
		"CRLF then more lines": demoPW + "\r\nsecond line\r\n",
	}
	for name, content := range accepted {
		t.Run("file "+name+" accepted", func(t *testing.T) {
			if code, errs := signIn(t, "", "--password-file", secretFile(t, content)); code != 0 {
				t.Fatalf("%q: exit %d %q", content, code, errs)
			}
		})
		t.Run("stdin "+name+" accepted", func(t *testing.T) {
			if code, errs := signIn(t, content); code != 0 {
				t.Fatalf("%q: exit %d %q", content, code, errs)
			}
		})
	}
	refused := map[string]string{
		"trailing space": demoPW + " \n", "trailing tab": demoPW + "\t\n", "trailing space before CRLF": demoPW + " \r\n",
		"BOM": "\ufeff" + demoPW + "\n", "BOM without line ending": "\ufeff" + demoPW,
	}
	for name, content := range refused {
		t.Run("file "+name+" is part of the password", func(t *testing.T) {
			code, errs := signIn(t, "", "--password-file", secretFile(t, content))
			if code != 1 || !strings.Contains(errs, "登录名或密码不对") {
				t.Fatalf("%q: exit %d %q", content, code, errs)
			}
			reset(t)
		})
		t.Run("stdin "+name+" is part of the password", func(t *testing.T) {
			code, errs := signIn(t, content)
			if code != 1 || !strings.Contains(errs, "登录名或密码不对") {
				t.Fatalf("%q: exit %d %q", content, code, errs)
			}
			reset(t)
		})
	}
	t.Run("empty file refused before signing in", func(t *testing.T) {
		for _, content := range []string{"", "\n", "\r\n"} {
			code, errs := signIn(t, "", "--password-file", secretFile(t, content))
			if code != 1 || !strings.Contains(errs, "第一行是空的") {
				t.Fatalf("%q: exit %d %q", content, code, errs)
			}
		}
	})
	t.Run("nothing piped", func(t *testing.T) {
		for _, stdin := range []string{"", "\n", "\r\n"} {
			if code, errs := signIn(t, stdin); code != 1 || !strings.Contains(errs, "没有提供密码") {
				t.Fatalf("%q: exit %d %q", stdin, code, errs)
			}
		}
	})
}

func TestPassphraseFile_SameRuleAsPasswords(t *testing.T) {
	db, pw := demoDB(t)
	file := backupOf(t, db, pw, secretFile(t, bkPass+"\r\n"))
	for _, c := range []struct {
		name, content string
		code          int
		want          string
	}{
		{"LF", bkPass + "\n", 0, "校验通过"},
		{"CRLF", bkPass + "\r\n", 0, "校验通过"},
		{"lone CR", bkPass + "\r", 0, "校验通过"},
		{"no line ending", bkPass, 0, "校验通过"},
		{"trailing space", bkPass + " \n", 3, "口令不对"},
		{"trailing tab", bkPass + "\t\n", 3, "口令不对"},
		{"BOM", "\ufeff" + bkPass + "\n", 3, "口令不对"},
		{"empty", "\n", 1, "口令文件"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run("", "verify", file, "--db", db, "--user", "sysadmin", "--password-file", pw,
				"--passphrase-file", secretFile(t, c.content))
			if code != c.code || !strings.Contains(out+errs, c.want) {
				t.Fatalf("%q: exit %d, %q %q", c.content, code, out, errs)
			}
		})
	}

	// A passphrase that does end in a space and a tab (passwords can't hold
	// spaces; passphrases can) opens its backup only with them.
	spaced := bkPass + " \t"
	file = backupOf(t, db, pw, secretFile(t, spaced+"\n"))
	for _, c := range []struct {
		name, content string
		code          int
	}{
		{"spaced CRLF", spaced + "\r\n", 0}, {"spaced lone CR", spaced + "\r", 0}, {"spaced no ending", spaced, 0},
		{"spaced, space dropped", bkPass + "\t\n", 3}, {"spaced, both dropped", bkPass + "\n", 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := run("", "verify", file, "--db", db, "--user", "sysadmin", "--password-file", pw,
				"--passphrase-file", secretFile(t, c.content))
			if code != c.code {
				t.Fatalf("%q: exit %d, want %d: %q %q", c.content, code, c.code, out, errs)
			}
		})
	}
}

func TestImport_CLI_CSVWithUndecodableBytesImportsNothing(t *testing.T) {
	db, pw := demoDB(t)
	text := "登记日期,文件资料名称,制作发文单位,密级,保管人\r\n" +
		"2026-11-02,关于年度考核的通知,遂安市委办公室,机密,王敏\r\n" +
		"2026-11-03,关于值班@的通知,遂安市委办公室,秘密,王敏\r\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "登记簿.csv")
	os.WriteFile(path, []byte(strings.Replace(gbk, "@", "\xff", 1)), 0o600)
	code, out, errs := run("", "import", path, "--db", db, "--user", "clerk", "--password-file", pw)
	if code != 1 || !strings.Contains(errs, "“登记簿.csv”第 3 行“文件资料名称”列有无法识别的字节") ||
		!strings.Contains(errs, "CSV UTF-8") {
		t.Fatalf("import: exit %d %q %q", code, out, errs)
	}
	if code, out, _ := run("", "stats", "--db", db, "--user", "clerk", "--password-file", pw); code != 0 || !strings.Contains(out, "登记总数 40") {
		t.Fatalf("after the refused import: %d %q", code, out)
	}
}
