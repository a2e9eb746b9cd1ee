//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// modeFile writes content to a new file with exactly mode perm, whatever
// the umask.
func modeFile(t *testing.T, name, content string, perm os.FileMode) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(f, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(f, perm); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestPasswordFile_ReadableByOthersRefusedBeforeReading: a password file
// the group or others may read is refused, naming the file and the command
// that fixes it, before any sign-in is tried; one only its owner can read
// is used.
func TestPasswordFile_ReadableByOthersRefusedBeforeReading(t *testing.T) {
	db, _ := demoDB(t)
	for _, perm := range []os.FileMode{0o644, 0o640, 0o604, 0o660, 0o620, 0o602, 0o700 | 0o001} {
		pw := modeFile(t, "pw", demoPW+"\n", perm)
		code, out, errs := run("", "stats", "--db", db, "--user", "clerk", "--password-file", pw)
		if code != 1 || !strings.Contains(errs, "密码文件“"+pw+"”") || !strings.Contains(errs, "chmod 600 "+pw) ||
			!strings.Contains(errs, "其他用户也能访问") || strings.Contains(errs, "登录") || out != "" {
			t.Errorf("mode %04o: exit %d %q %q", perm, code, out, errs)
		}
	}
	for _, perm := range []os.FileMode{0o600, 0o400} {
		pw := modeFile(t, "pw", demoPW+"\n", perm)
		if code, out, errs := run("", "stats", "--db", db, "--user", "clerk", "--password-file", pw); code != 0 ||
			!strings.Contains(out, "登记总数 40") {
			t.Errorf("mode %04o: exit %d %q %q", perm, code, out, errs)
		}
	}
	// Nothing was tried with the refused files: no failure was counted.
	code, _, errs := run("", "audit", "verify", "--db", db, "--user", "auditor", "--password-file",
		modeFile(t, "pw", demoPW+"\n", 0o600))
	if code != 0 {
		t.Fatalf("audit verify: %d %q", code, errs)
	}
}

func TestPassphraseFile_ReadableByOthersRefused(t *testing.T) {
	db, pw := demoDB(t)
	pf := modeFile(t, "口令 文件", bkPass+"\n", 0o644)
	code, out, errs := run("", "backup", "--to", t.TempDir(), "--db", db, "--user", "sysadmin", "--password-file", pw,
		"--passphrase-file", pf)
	if code != 1 || !strings.Contains(errs, "口令文件“"+pf+"”") || !strings.Contains(errs, "chmod 600 '"+pf+"'") ||
		strings.Contains(out, "已备份到") {
		t.Fatalf("passphrase file 0644: exit %d %q %q", code, out, errs)
	}
}

func TestCheckSecretFile_ModeAndOwner(t *testing.T) {
	f := modeFile(t, "secret", "x\n", 0o600)
	if err := checkSecretFile(f, "恢复口令"); err != nil {
		t.Fatalf("0600: %v", err)
	}
	os.Chmod(f, 0o640)
	if err := checkSecretFile(f, "恢复口令"); err == nil || !strings.Contains(err.Error(), "恢复口令文件“"+f+"”的权限为 0640") ||
		!strings.Contains(err.Error(), "chmod 600 "+f) {
		t.Fatalf("0640: %v", err)
	}
	if err := checkSecretFile(filepath.Join(t.TempDir(), "none"), "密码"); err == nil {
		t.Fatal("a missing file passed")
	}
	// A file of another user, even 0600, is not the current user's secret.
	if os.Getuid() != 0 {
		t.Skip("changing a file's owner needs root")
	}
	os.Chmod(f, 0o600)
	if err := os.Chown(f, 65534, 65534); err != nil {
		t.Skipf("chown: %v", err)
	}
	if err := checkSecretFile(f, "密码"); err == nil || !strings.Contains(err.Error(), "不属于当前用户") {
		t.Fatalf("another user's file: %v", err)
	}
	if _, err := readSecretFile(f, "密码"); err == nil || !strings.Contains(err.Error(), "不属于当前用户") {
		t.Fatalf("another user's file read: %v", err)
	}
}
