package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"secdoc/app"
	"secdoc/app/backup"
)

func init() {
	backup.KDF = backup.KDFParams{Time: 1, MemoryKiB: 1024, Threads: 1}
	backup.RecoveryKDF = backup.KDF
}

const bkPass = "备份口令-命令行测试-2026-机要室"

// recoveryFile holds the demo database's recovery passphrase, which the
// security officer would type.
func recoveryFile(t *testing.T) string {
	t.Helper()
	return passphraseFile(t, app.DemoRecoveryPassphrase(demoPW))
}

func passphraseFile(t *testing.T, p string) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "passphrase")
	if err := os.WriteFile(f, []byte(p+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return f
}

// backupOf backs db up into a new folder through the command line and
// returns the backup file.
func backupOf(t *testing.T, db, pw, pf string) string {
	t.Helper()
	dir := t.TempDir()
	code, out, errs := run("", "backup", "--to", dir, "--db", db, "--user", "sysadmin", "--password-file", pw,
		"--passphrase-file", pf)
	if code != 0 || !strings.Contains(out, "已备份到") || !strings.Contains(out, "载体 40 件") {
		t.Fatalf("backup: %d %q %q", code, out, errs)
	}
	m, _ := filepath.Glob(filepath.Join(dir, "secdoc-备份-*.sdbk"))
	if len(m) != 1 {
		t.Fatalf("backup files: %v", m)
	}
	return m[0]
}

func TestBackupVerifyRestore_CLI(t *testing.T) {
	db, pw := demoDB(t)
	pf := passphraseFile(t, bkPass)
	file := backupOf(t, db, pw, pf)

	// The file first, or the options first: both read.
	code, out, errs := run("", "verify", file, "--db", db, "--user", "sysadmin", "--password-file", pw, "--passphrase-file", pf)
	if code != 0 || !strings.Contains(out, "校验通过") || !strings.Contains(out, "内容未解开") || strings.Contains(out, "载体") {
		t.Fatalf("verify by the system administrator alone: %d %q %q", code, out, errs)
	}
	rf := recoveryFile(t)
	code, out, errs = run("", "verify", file, "--db", db, "--user", "sysadmin", "--password-file", pw, "--passphrase-file", pf,
		"--recovery-passphrase-file", rf)
	if code != 0 || !strings.Contains(out, "内容已全部解开核对") || !strings.Contains(out, "载体 40 件") {
		t.Fatalf("verify with both passphrases: %d %q %q", code, out, errs)
	}
	// More work, then the restore takes the database back to the backup.
	if code, _, errs := run("", "demo", "--n", "5", "--db", db, "--user", "clerk", "--password-file", pw); code != 0 {
		t.Fatalf("demo: %q", errs)
	}
	if code, _, errs := run("", "restore", "--db", db, "--user", "sysadmin", "--password-file", pw, "--passphrase-file", pf,
		"--yes", file); code != 2 || !strings.Contains(errs, "恢复口令") {
		t.Fatalf("restore without the recovery passphrase: %d %q", code, errs)
	}
	code, out, errs = run("", "restore", "--db", db, "--user", "sysadmin", "--password-file", pw, "--passphrase-file", pf,
		"--recovery-passphrase-file", rf, "--yes", file)
	if code != 0 || !strings.Contains(out, "原数据库保存为") || !strings.Contains(out, "以本机的审计密钥校验了全部") {
		t.Fatalf("restore: %d %q %q", code, out, errs)
	}
	if code, out, _ := run("", "stats", "--db", db, "--user", "clerk", "--password-file", pw); code != 0 || !strings.Contains(out, "登记总数 40") {
		t.Fatalf("after restore: %d %q", code, out)
	}
	rollbacks, _ := filepath.Glob(db + ".回滚-*")
	if len(rollbacks) != 1 {
		t.Fatalf("rollback copies: %v", rollbacks)
	}
	code, out, errs = run("", "restore", "--list-rollbacks", "--db", db, "--user", "sysadmin", "--password-file", pw)
	if code != 0 || !strings.Contains(out, filepath.Base(rollbacks[0])) || !strings.Contains(out, "保留最近 3 个") {
		t.Fatalf("list rollbacks: %d %q %q", code, out, errs)
	}
	code, out, errs = run("", "restore", "--remove-rollback", filepath.Base(rollbacks[0]), "--db", db, "--user", "sysadmin",
		"--password-file", pw)
	if code != 0 || !strings.Contains(out, "已删除回滚副本") {
		t.Fatalf("remove rollback: %d %q %q", code, out, errs)
	}
	if left, _ := filepath.Glob(db + ".回滚-*"); len(left) != 0 {
		t.Fatalf("left: %v", left)
	}
	// The restored trail verifies under the restored key.
	if code, out, _ := run("", "audit", "verify", "--db", db, "--user", "auditor", "--password-file", pw); code != 0 || !strings.Contains(out, "审计记录完整") {
		t.Fatalf("audit after restore: %d %q", code, out)
	}
}

func TestBackupCLI_BadFilesExitThreeAndSayWhich(t *testing.T) {
	db, pw := demoDB(t)
	pf := passphraseFile(t, bkPass)
	file := backupOf(t, db, pw, pf)
	b, _ := os.ReadFile(file)
	cut := filepath.Join(t.TempDir(), "cut.sdbk")
	os.WriteFile(cut, b[:len(b)/2], 0o600)
	wrong := passphraseFile(t, "另一个口令-2026-x-另一个口令")
	for _, c := range []struct {
		file, pf, want string
	}{
		{file, wrong, "口令不对"},
		{cut, pf, "备份文件不完整（被截断）"},
		{db, pf, "不是本程序的备份文件"},
	} {
		for _, cmd := range []string{"verify", "restore"} {
			args := []string{cmd, c.file, "--db", db, "--user", "sysadmin", "--password-file", pw, "--passphrase-file", c.pf,
				"--recovery-passphrase-file", recoveryFile(t)}
			if cmd == "restore" {
				args = append(args, "--yes")
			}
			code, _, errs := run("", args...)
			if code != 3 || !strings.Contains(errs, c.want) {
				t.Fatalf("%s %s: exit %d, %q", cmd, filepath.Base(c.file), code, errs)
			}
		}
	}
	if code, out, _ := run("", "stats", "--db", db, "--user", "clerk", "--password-file", pw); code != 0 || !strings.Contains(out, "登记总数 40") {
		t.Fatalf("database changed: %q", out)
	}
}

func TestBackupCLI_RefusalsAndUsage_R18(t *testing.T) {
	db, pw := demoDB(t)
	pf := passphraseFile(t, bkPass)
	dir := t.TempDir()
	if code, _, errs := run("", "backup", "--to", dir, "--db", db, "--user", "clerk", "--password-file", pw, "--passphrase-file", pf); code != 1 || !strings.Contains(errs, "无权操作") {
		t.Fatalf("clerk backup: %d %q", code, errs)
	}
	if code, _, errs := run("", "backup", "--db", db, "--user", "sysadmin", "--password-file", pw); code != 2 || !strings.Contains(errs, "--to") {
		t.Fatalf("no --to: %d %q", code, errs)
	}
	if code, _, errs := run("", "backup", "--to", dir, "--db", db, "--user", "sysadmin", "--password-file", pw); code != 2 || !strings.Contains(errs, "--passphrase-file") {
		t.Fatalf("no passphrase: %d %q", code, errs)
	}
	short := passphraseFile(t, "短")
	if code, _, errs := run("", "backup", "--to", dir, "--db", db, "--user", "sysadmin", "--password-file", pw, "--passphrase-file", short); code != 1 || !strings.Contains(errs, "口令太短") {
		t.Fatalf("short passphrase: %d %q", code, errs)
	}
	file := backupOf(t, db, pw, pf)
	if code, _, errs := run("", "restore", file, "--db", db, "--user", "sysadmin", "--password-file", pw, "--passphrase-file", pf,
		"--recovery-passphrase-file", recoveryFile(t)); code != 2 || !strings.Contains(errs, "--yes") {
		t.Fatalf("restore without confirmation: %d %q", code, errs)
	}
	if code, _, errs := run("", "verify", "--db", db); code != 2 || !strings.Contains(errs, "备份文件") {
		t.Fatalf("verify without a file: %d %q", code, errs)
	}
	// Where there is no database (a new machine), verify checks the file alone.
	code, out, errs := run("", "verify", file, "--db", filepath.Join(t.TempDir(), "none.db"), "--passphrase-file", pf)
	if code != 0 || !strings.Contains(out, "校验通过") || !strings.Contains(out, "没有记入审计记录") {
		t.Fatalf("verify without database: %d %q %q", code, out, errs)
	}
	// A new database on a new machine: a move, which the register's auditor
	// signs in to, with the two passphrases.
	t.Setenv("SECDOC_KEY_DIR", t.TempDir())
	fresh := filepath.Join(t.TempDir(), "fresh.db")
	if code, out, errs := run("", "restore", file, "--db", fresh, "--passphrase-file", pf, "--recovery-passphrase-file",
		recoveryFile(t), "--yes"); code != 3 || !strings.Contains(errs, "安全审计员登录确认") {
		t.Fatalf("move without the auditor: %d %q %q", code, out, errs)
	}
	if code, out, errs := run("", "restore", file, "--db", fresh, "--passphrase-file", pf, "--recovery-passphrase-file",
		recoveryFile(t), "--auditor", "auditor", "--auditor-password-file", pw, "--yes"); code != 0 || !strings.Contains(out, "迁移") {
		t.Fatalf("restore into a new database: %d %q %q", code, out, errs)
	}
	if code, out, _ := run("", "stats", "--db", fresh, "--user", "clerk", "--password-file", pw); code != 0 || !strings.Contains(out, "登记总数 40") {
		t.Fatalf("new database: %d %q", code, out)
	}
}

// TestVerifyDatabase_CLI: `secdoc verify --database` runs the full check of
// the register and says it passed; a clerk may not run it.
func TestVerifyDatabase_CLI(t *testing.T) {
	db, pw := demoDB(t)
	code, out, errs := run("", "verify", "--database", "--db", db, "--user", "sysadmin", "--password-file", pw)
	if code != 0 || !strings.Contains(out, "全面检查通过") {
		t.Fatalf("verify --database: %d %q %q", code, out, errs)
	}
	if code, _, _ := run("", "verify", "--database", "--db", db, "--user", "clerk", "--password-file", pw); code == 0 {
		t.Fatal("a clerk ran the full check")
	}
	if code, _, _ := run("", "verify", "--database", "x.sdbk", "--db", db); code != 2 {
		t.Fatalf("verify --database with a file: exit %d", code)
	}
}
