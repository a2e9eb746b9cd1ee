package cli

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"secdoc/app"
	"secdoc/app/backup"
)

// The backup subcommands:
//
//	secdoc backup --to DIR [--db PATH] --user 系统管理员 [--password-file F] [--passphrase-file F | --key-file F]
//	secdoc verify --database [--db PATH] --user 系统管理员 [--password-file F]
//	secdoc verify FILE [--db PATH] [--user 系统管理员] [--password-file F] [--passphrase-file F | --key-file F]
//	              [--recovery-passphrase-file F]
//	secdoc restore FILE [--db PATH] [--user 系统管理员] [--password-file F] [--passphrase-file F | --key-file F]
//	              --recovery-passphrase-file F [--auditor LOGIN --auditor-password-file F] [--yes]
//	secdoc restore --list-rollbacks | --remove-rollback NAME [--db PATH] --user 系统管理员
//
// Exit codes: 0 done; 1 failed; 2 wrong usage; 3 the file is not a usable
// backup (wrong passphrase, damaged, cut off, not a backup, too new, or a
// restore refused by its checks).

const backupUsage = `  secdoc backup --to 文件夹 --user 系统管理员 [--db 路径] [--password-file 文件] [--passphrase-file 文件 | --key-file 文件]
                                         把数据库加密备份到文件夹（如U盘），写完后读回校验
  secdoc verify --database --user 系统管理员 [--db 路径] [--password-file 文件]
                                         全面检查数据库（PRAGMA integrity_check，大登记簿需几分钟，宜在空闲时做）；
                                         结果记入审计记录，发现损坏时在重新检查通过之前不能备份
  secdoc verify 备份文件 [--user 系统管理员] [--db 路径] [--passphrase-file 文件 | --key-file 文件]
                [--recovery-passphrase-file 文件]
                                         校验备份文件：只用备份口令时核对文件完整、未被改动（不解开内容）；
                                         加上安全保密管理员的恢复口令时解开并核对全部内容
  secdoc restore 备份文件 [--user 系统管理员] [--db 路径] [--passphrase-file 文件 | --key-file 文件]
                --recovery-passphrase-file 文件 [--auditor 登录名 --auditor-password-file 文件] [--yes]
                                         用备份替换数据库（须两人：备份口令和恢复口令；从另一台电脑迁入时
                                         还须备份中的安全审计员登录）；原数据库保存为 .回滚-日期 副本
  secdoc restore --list-rollbacks | --remove-rollback 名称 --user 系统管理员 [--db 路径]
                                         列出或删除回滚副本（删除记入审计记录）
`

// runBackupCommand runs backup, verify or restore and returns the exit code.
func runBackupCommand(name string, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var err error
	switch name {
	case "backup":
		err = runBackup(args, stdin, stdout, stderr)
	case "verify":
		err = runVerify(args, stdin, stdout, stderr)
	case "restore":
		err = runRestore(args, stdin, stdout, stderr)
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage), errors.As(err, new(flagError)):
		return 2
	case errors.Is(err, errDamaged):
		return 3 // the findings are printed
	}
	fmt.Fprintln(stderr, explainBackup(err))
	if backup.IsBadFile(err) || app.RestoreMessage(err) != "" {
		return 3
	}
	return 1
}

// flagError is a mistake in the options (the flag package has printed it).
type flagError struct{ error }

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil && !errors.Is(err, flag.ErrHelp) {
		return flagError{err}
	} else if err != nil {
		return err
	}
	return nil
}

// explainBackup is Explain, with the backup package's sentences first.
func explainBackup(err error) string {
	if m := backup.Message(err); m != "" {
		return m
	}
	if m := app.RestoreMessage(err); m != "" {
		return m
	}
	if errors.Is(err, app.ErrAuditKey) {
		return "找不到这个数据库的审计密钥文件，不能备份（备份必须带上审计密钥）。请从以前的备份中恢复。"
	}
	return Explain(err)
}

// secretFlags choose where the backup's passphrase comes from.
type secretFlags struct{ passphraseFile, keyFile *string }

func addSecret(fs *flag.FlagSet) secretFlags {
	return secretFlags{
		passphraseFile: fs.String("passphrase-file", "", "从这个文件的第一行读备份口令（供脚本使用）"),
		keyFile:        fs.String("key-file", "", "用这个密钥文件（至少 32 字节，与备份分开保管）代替口令"),
	}
}

// read gets the secret: from the key file, the passphrase file, or the
// terminal (twice when confirm, for a new backup).
func (f secretFlags) read(stdin io.Reader, stderr io.Writer, confirm bool) (backup.Secret, error) {
	switch {
	case *f.keyFile != "" && *f.passphraseFile != "":
		fmt.Fprintln(stderr, "--key-file 和 --passphrase-file 只能用一个")
		return backup.Secret{}, errUsage
	case *f.keyFile != "":
		if err := checkSecretFile(*f.keyFile, "密钥"); err != nil {
			return backup.Secret{}, err
		}
		b, err := os.ReadFile(*f.keyFile)
		if err != nil {
			return backup.Secret{}, fmt.Errorf("读取密钥文件：%w", err)
		}
		return backup.Secret{KeyFile: b}, nil
	case *f.passphraseFile != "":
		p, err := readSecretFile(*f.passphraseFile, "口令")
		if err != nil {
			return backup.Secret{}, err
		}
		return backup.Secret{Passphrase: p}, nil
	}
	file, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(file.Fd())) {
		fmt.Fprintln(stderr, "没有终端可以输入备份口令：请用 --passphrase-file 指定口令文件，或用 --key-file 指定密钥文件")
		return backup.Secret{}, errUsage
	}
	ask := func(prompt string) (string, error) { return readSecretTerminal(file, prompt, stderr) }
	p, err := ask("备份口令：")
	if err != nil || !confirm {
		return backup.Secret{Passphrase: p}, err
	}
	again, err := ask("再输入一次备份口令：")
	if err != nil {
		return backup.Secret{}, err
	}
	if again != p {
		fmt.Fprintln(stderr, "两次输入的备份口令不一致")
		return backup.Secret{}, errUsage
	}
	return backup.Secret{Passphrase: p}, nil
}

// recoveryFlag is where the security officer's recovery passphrase comes
// from: a file, or the terminal (typed by the officer).
func recoveryFlag(fs *flag.FlagSet) *string {
	return fs.String("recovery-passphrase-file", "", "从这个文件的第一行读安全保密管理员的恢复口令")
}

// readRecovery reads the recovery passphrase; with need false and neither a
// file nor a terminal, it returns nil (the sysadmin checks alone).
func readRecovery(file string, need bool, stdin io.Reader, stderr io.Writer) (*backup.RecoverySecret, error) {
	if file != "" {
		p, err := readSecretFile(file, "恢复口令")
		if err != nil {
			return nil, err
		}
		return &backup.RecoverySecret{Passphrase: p}, nil
	}
	if !need {
		return nil, nil
	}
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		fmt.Fprintln(stderr, "恢复须安全保密管理员的恢复口令：请用 --recovery-passphrase-file 指定，或在终端上由安全保密管理员输入")
		return nil, errUsage
	}
	p, err := readSecretTerminal(f, "恢复口令（请安全保密管理员输入）：", stderr)
	if err != nil {
		return nil, err
	}
	return &backup.RecoverySecret{Passphrase: p}, nil
}

// parseBackupFileArg parses flags around one positional argument, the backup file.
func parseBackupFileArg(fs *flag.FlagSet, args []string, stderr io.Writer) (string, error) {
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return "", err
	}
	if file == "" && fs.NArg() > 0 {
		file = fs.Arg(0)
		if err := parseFlags(fs, fs.Args()[1:]); err != nil {
			return "", err
		}
	}
	if file == "" || fs.NArg() > 0 {
		fmt.Fprintf(stderr, "用法：%s 备份文件 [选项]（见 secdoc help）\n", fs.Name())
		return "", errUsage
	}
	return file, nil
}

// progressLine shows the stage and percentage on one terminal line.
func progressLine(stderr io.Writer) (backup.ProgressFunc, func()) {
	last := ""
	return func(stage string, f float64) {
			line := fmt.Sprintf("\r%s %3d%%", stage, int(f*100))
			if line != last {
				last = line
				fmt.Fprint(stderr, line+"      ")
			}
		}, func() {
			if last != "" {
				fmt.Fprintln(stderr)
			}
		}
}

func describe(w io.Writer, info backup.Info) {
	c := info.Counts
	fmt.Fprintf(w, "  创建时间  %s\n", info.Created.Local().Format("2006-01-02 15:04:05"))
	fmt.Fprintf(w, "  内容      载体 %d 件，历史记录 %d 条，审计记录 %d 条，账户 %d 个\n", c.Carriers, c.Events, c.Audit, c.Users)
	if info.DBSize > 0 {
		fmt.Fprintf(w, "  数据库    %d 字节，结构版本 %d\n", info.DBSize, info.Schema)
	}
	fmt.Fprintf(w, "  备份文件  %d 字节，SHA-256 %s\n", info.Size, info.SHA256)
}

func runBackup(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("secdoc backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	to := fs.String("to", "", "备份到这个文件夹（如U盘）")
	si := addSignIn(fs)
	sf := addSecret(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *to == "" {
		fmt.Fprintln(stderr, "请用 --to 指定备份到哪个文件夹")
		return errUsage
	}
	svc, sess, closeDB, err := si.open(*db, stdin, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	secret, err := sf.read(stdin, stderr, true)
	if err != nil {
		return err
	}
	progress, done := progressLine(stderr)
	rec, err := svc.Backup(sess, *to, secret, progress)
	done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已备份到 %s\n", rec.Path)
	describe(stdout, backup.Info{Meta: backup.Meta{Created: rec.CreatedAt, Schema: rec.SchemaVersion,
		Counts: backup.Counts{Carriers: rec.Carriers, Events: rec.Events, Audit: rec.AuditRecords, Users: rec.Users}},
		Size: rec.Size, SHA256: rec.SHA256})
	fmt.Fprintln(stdout, "已读回校验，备份完好。请把备份盘和口令分开保管。")
	return nil
}

// openForBackup opens the database for verify or restore and signs the
// system administrator in; on a database without accounts nobody signs in.
func openForBackup(path string, si signInFlags, stdin io.Reader, stderr io.Writer) (*app.Service, *app.Session, error) {
	svc, err := openDB(path, stderr)
	if err != nil {
		return nil, nil, err
	}
	need, err := svc.NeedsSetup()
	if err != nil || need {
		return svc, nil, err
	}
	sess, err := si.signIn(svc, stdin, stderr)
	if err != nil {
		svc.Close()
		return nil, nil, err
	}
	return svc, sess, nil
}

func runVerify(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	for i, a := range args {
		if a == "--database" || a == "-database" {
			return runCheckDatabase(append(append([]string(nil), args[:i]...), args[i+1:]...), stdin, stdout, stderr)
		}
	}
	fs := flag.NewFlagSet("secdoc verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	si := addSignIn(fs)
	sf := addSecret(fs)
	rf := recoveryFlag(fs)
	file, err := parseBackupFileArg(fs, args, stderr)
	if err != nil {
		return err
	}
	path := *db
	if path == "" {
		path = app.DefaultDBPath()
	}
	// Without a database (a new machine, a lost disk) the file is checked alone.
	var svc *app.Service
	var sess *app.Session
	if _, err := os.Stat(path); err == nil {
		if svc, sess, err = openForBackup(path, si, stdin, stderr); err != nil {
			return err
		}
		defer svc.Close()
		if sess != nil {
			defer svc.SignOut(sess)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	secret, err := sf.read(stdin, stderr, false)
	if err != nil {
		return err
	}
	recovery, err := readRecovery(*rf, false, stdin, stderr)
	if err != nil {
		return err
	}
	progress, done := progressLine(stderr)
	var info backup.Info
	stage := func(f float64) { progress(backup.StageVerify, f) }
	switch {
	case svc != nil:
		info, err = svc.VerifyBackup(sess, file, secret, recovery, progress)
	case recovery != nil:
		info, err = backup.Verify(file, secret, *recovery, stage)
	default:
		info, err = backup.Check(file, secret, stage)
	}
	done()
	if err != nil {
		return err
	}
	if recovery == nil {
		fmt.Fprintf(stdout, "校验通过：%s 完整，自写入以来没有被改动，备份口令正确。\n", file)
		fmt.Fprintf(stdout, "  备份文件  %d 字节，SHA-256 %s\n", info.Size, info.SHA256)
		fmt.Fprintln(stdout, "（内容未解开：加上安全保密管理员的恢复口令 --recovery-passphrase-file 才能核对内容）")
	} else {
		fmt.Fprintf(stdout, "校验通过：%s 完好，两个口令都正确，内容已全部解开核对。\n", file)
		describe(stdout, info)
		if err := info.Restorable(); err != nil {
			fmt.Fprintln(stdout, "注意："+backup.Message(err))
		}
	}
	if svc == nil {
		fmt.Fprintf(stdout, "（没有找到数据库 %s，这次校验没有记入审计记录）\n", path)
	}
	return nil
}

func runRestore(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("secdoc restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	yes := fs.Bool("yes", false, "不再询问，直接恢复（供脚本使用）")
	si := addSignIn(fs)
	sf := addSecret(fs)
	rf := recoveryFlag(fs)
	auditor := fs.String("auditor", "", "从另一台电脑迁入时：备份中的安全审计员的登录名")
	auditorPW := fs.String("auditor-password-file", "", "从另一台电脑迁入时：安全审计员的密码文件")
	list := fs.Bool("list-rollbacks", false, "列出回滚副本（恢复时被替换下来的数据库）")
	remove := fs.String("remove-rollback", "", "删除这个回滚副本（记入审计记录）")
	if len(args) > 0 && strings.HasPrefix(args[0], "-") {
		for _, a := range args {
			if a == "--list-rollbacks" || a == "-list-rollbacks" || strings.HasPrefix(strings.TrimLeft(a, "-"), "remove-rollback") {
				if err := parseFlags(fs, args); err != nil {
					return err
				}
				return runRollbacks(*db, si, *list, *remove, stdin, stdout, stderr)
			}
		}
	}
	file, err := parseBackupFileArg(fs, args, stderr)
	if err != nil {
		return err
	}
	if _, err := os.Stat(file); err != nil {
		return &backup.DiskError{Op: "read", Path: file, Err: err}
	}
	svc, sess, err := openForBackup(*db, si, stdin, stderr)
	if err != nil {
		return err
	}
	defer svc.Close()
	secret, err := sf.read(stdin, stderr, false)
	if err != nil {
		return err
	}
	recovery, err := readRecovery(*rf, true, stdin, stderr)
	if err != nil {
		return err
	}
	in := app.RestoreInput{File: file, Secret: secret, Recovery: *recovery, AuditorLogin: *auditor}
	if *auditor != "" {
		if *auditorPW == "" {
			fmt.Fprintln(stderr, "迁入须安全审计员的密码：请用 --auditor-password-file 指定")
			return errUsage
		}
		if in.AuditorPassword, err = readSecretFile(*auditorPW, "密码"); err != nil {
			return err
		}
	}
	if !*yes {
		if err := confirmRestore(svc, file, stdin, stderr); err != nil {
			return err
		}
	}
	progress, done := progressLine(stderr)
	rep, err := svc.Restore(sess, in, progress)
	done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已从 %s 恢复数据库 %s\n", file, svc.Path())
	describe(stdout, rep.Info)
	if rep.From != rep.To {
		fmt.Fprintf(stdout, "  数据库结构已从版本 %d 升级到 %d\n", rep.From, rep.To)
	}
	fmt.Fprintln(stdout, "恢复前核对：")
	for _, c := range rep.Checked {
		fmt.Fprintln(stdout, "  "+c)
	}
	fmt.Fprintf(stdout, "原数据库保存为 %s（需要时可以改回原名以撤销这次恢复）\n", rep.Rollback)

	fmt.Fprintln(stdout, "请所有人重新登录。")
	return nil
}

// runRollbacks lists or removes rollback copies.
func runRollbacks(db string, si signInFlags, list bool, remove string, stdin io.Reader, stdout, stderr io.Writer) error {
	svc, sess, closeDB, err := si.open(db, stdin, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	if remove != "" {
		if err := svc.RemoveRollback(sess, remove); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已删除回滚副本 %s（已记入审计记录）\n", remove)
		return nil
	}
	rs, err := svc.Rollbacks(sess)
	if err != nil {
		return err
	}
	if len(rs) == 0 {
		fmt.Fprintln(stdout, "没有回滚副本。")
	}
	for _, r := range rs {
		fmt.Fprintf(stdout, "%s  %12d 字节  %s\n", r.Taken.Format("2006-01-02 15:04:05"), r.Size, r.Name)
	}
	fmt.Fprintf(stdout, "恢复时保留最近 %d 个。\n", svc.RollbackKeep())
	return nil
}

// confirmRestore asks on the terminal before the database is replaced.
func confirmRestore(svc *app.Service, file string, stdin io.Reader, stderr io.Writer) error {
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		fmt.Fprintln(stderr, "恢复会替换当前数据库：不在终端上运行时请加 --yes 确认")
		return errUsage
	}
	fmt.Fprintf(stderr, "将用备份 %s 替换数据库\n  %s\n当前数据库会保存为回滚副本。确认恢复请输入 yes：", file, svc.Path())
	line, _ := bufio.NewReader(stdin).ReadString('\n')
	if strings.TrimSpace(line) != "yes" {
		fmt.Fprintln(stderr, "没有恢复。")
		return errUsage
	}
	return nil
}

// runCheckDatabase is `secdoc verify --database`: the full check of the
// database (PRAGMA integrity_check), for a quiet time; its result goes to
// the audit trail, and a failed one stops backups until one passes.
func runCheckDatabase(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("secdoc verify --database", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	si := addSignIn(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintln(stderr, "用法：secdoc verify --database --user 系统管理员 [--db 路径] [--password-file 文件]")
		return errUsage
	}
	path := *db
	if path == "" {
		path = app.DefaultDBPath()
	}
	svc, sess, closeDB, err := si.open(path, stdin, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	fmt.Fprintln(stderr, "正在全面检查数据库（每一页、每个索引与其表逐条核对），登记簿大时需要几分钟……")
	c, err := svc.CheckDatabase(sess)
	if err != nil {
		return err
	}
	if !c.OK {
		fmt.Fprintln(stdout, "全面检查发现数据库损坏（已记入审计记录；在处理好并重新检查通过之前，不能备份）：")
		for _, f := range c.Findings {
			fmt.Fprintln(stdout, "  "+f)
		}
		return errDamaged
	}
	fmt.Fprintf(stdout, "全面检查通过：数据库完好（用时 %.0f 秒，已记入审计记录）。\n", c.Took.Seconds())
	return nil
}

// errDamaged: the full check found the database damaged (exit code 3).
var errDamaged = errors.New("the full check found the database damaged")
