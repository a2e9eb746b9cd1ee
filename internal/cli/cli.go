// Package cli is secdoc's command line: the subcommands that run without a
// window (demo data, counts), the choice of database file shared with the
// window, and the Chinese messages for errors that stop the program.
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
	"secdoc/internal/demo"
	"secdoc/internal/instance"
	"secdoc/models"
)

// Subcommands lists the command line's subcommands; anything else opens the window.
var Subcommands = []string{"demo", "stats", "audit", "export", "import", "backup", "verify", "restore", "print", "report", "version", "help"}

// IsSubcommand reports whether args (without the program name) ask for a
// subcommand rather than the window.
func IsSubcommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	for _, s := range Subcommands {
		if args[0] == s {
			return true
		}
	}
	return args[0] == "-h" || args[0] == "--help"
}

// GUIFlags are the options of the window: `secdoc [--db PATH]`.
type GUIFlags struct {
	DB   string
	View string // the screen to open on: home, register or ledger
}

// ParseGUI reads the window's options. The database is, in order: --db,
// $SECDOC_DB, then the default file in the user's configuration folder.
func ParseGUI(args []string, stderr io.Writer) (GUIFlags, error) {
	fs := flag.NewFlagSet("secdoc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var g GUIFlags
	fs.StringVar(&g.DB, "db", "", "数据库文件路径（默认 $SECDOC_DB，否则用户配置目录下的 secdoc/secdoc.db）")
	fs.StringVar(&g.View, "view", "home", "打开后先显示的页面：home（首页）、register（登记）或 ledger（台账）")
	fs.Usage = func() { usage(stderr) }
	if err := fs.Parse(args); err != nil {
		return g, err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "没有“%s”这个命令。\n\n", fs.Arg(0))
		usage(stderr)
		return g, errUsage
	}
	switch g.View {
	case "home", "register", "ledger":
	default:
		fmt.Fprintf(stderr, "--view 只能是 home、register 或 ledger，不能是“%s”\n", g.View)
		return g, errUsage
	}
	if g.DB == "" {
		g.DB = app.DefaultDBPath()
	}
	return g, nil
}

func usage(w io.Writer) {
	fmt.Fprint(w, `涉密文件管理 secdoc `+Version+`

用法：
  secdoc [--db 路径] [--view 页面]       打开程序窗口（页面：home 首页、register 登记、ledger 台账）
  secdoc demo --n N [--db 路径] [--seed S] --demo-password 密码 [--workflows]
                                         建立演示数据库：每个角色一个账户（sysadmin、secadmin、
                                         auditor、clerk，密码相同），写入 N 件演示载体（仅供试用）；
                                         --workflows 再加上传阅、复制、借阅、待审批、清退和待销毁的业务
  secdoc demo --n N --user 机要员 [--password-file 文件]   向已有数据库追加演示载体
  secdoc stats --user 机要员 [--db 路径] [--password-file 文件]   按密级和状态统计在册载体
  secdoc audit verify --user 审计员 [--db 路径] [--password-file 文件] [--seal 印记]
                                         校验数据库结构、审计记录、本机链头和登记簿的每一行；
                                         发现改动时返回 3 并逐条列出；--seal 同时核对抄录的审计印记
  secdoc audit seal --user 审计员        显示最新一条审计记录的审计印记，供抄录保存
  secdoc audit accept --user 审计员 --reason 理由
                                         审计链不完整（末尾记录缺失、数据库被换成旧副本）时，
                                         查明原因后确认现状，登记簿恢复修改
  secdoc export --out 文件.xlsx --user 机要员 [--level 机密] [--state 在册] [--year 2026] [--keyword 词]
                                         把台账（按筛选条件，默认全部）导出为 Excel
  secdoc import 文件.xlsx|文件.csv --user 机要员 [--map 题名=标题,收文日期=日期] [--set 责任人=王敏]
                [--sheet 工作表] [--dry-run]
                                         导入已有的 Excel 或 CSV 登记簿：先检查并列出每行的问题，
                                         没有问题才在一个事务中全部导入（全部或全不）
`+backupUsage+printUsage+reportUsage+`  secdoc version                         显示版本

读写数据的子命令都要登录：--user 登录名，密码从终端读入（不回显），或用 --password-file 从文件第一行读入（供脚本使用；密码文件和口令文件须只有本人能读取，即 chmod 600）。

数据库文件：--db 指定；否则环境变量 SECDOC_DB；否则 `+app.DefaultDBPath()+`
`)
}

// Run runs one subcommand and returns the process exit code. stdin is where
// a password is read from when no --password-file is given.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	var err error
	switch args[0] {
	case "version":
		fmt.Fprintln(stdout, ThisBuild())
		return 0
	case "demo":
		err = runDemo(args[1:], stdin, stdout, stderr)
	case "stats":
		var broken bool
		broken, err = runStats(args[1:], stdin, stdout, stderr)
		if err == nil && broken {
			return 3
		}
	case "export":
		err = runExport(args[1:], stdin, stdout, stderr)
	case "import":
		err = runImport(args[1:], stdin, stdout, stderr)
	case "print":
		err = runPrint(args[1:], stdin, stdout, stderr)
	case "report":
		err = runReport(args[1:], stdin, stdout, stderr)
	case "backup", "verify", "restore":
		return runBackupCommand(args[0], args[1:], stdin, stdout, stderr)
	case "audit":
		if len(args) < 2 || (args[1] != "verify" && args[1] != "seal" && args[1] != "accept") {
			fmt.Fprintln(stderr, auditUsage)
			return 2
		}
		var broken bool
		broken, err = runAudit(args[1], args[2:], stdin, stdout, stderr)
		if err == nil && broken {
			return 3
		}
	default:
		fmt.Fprintf(stderr, "未知的子命令“%s”。\n", args[0])
		usage(stderr)
		return 2
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if errors.Is(err, errUsage) {
			return 2
		}
		fmt.Fprintln(stderr, Explain(err))
		return 1
	}
	return 0
}

var errUsage = errors.New("usage")

// Explain turns an error that stops the program into a Chinese sentence for
// the clerk; the details stay in the log.
func Explain(err error) string {
	var secretFile *SecretFileError
	var signIn *app.SignInError
	var forbidden *app.ForbiddenError
	switch {
	case errors.As(err, &secretFile):
		return secretFile.Msg
	case errors.Is(err, instance.ErrHeld):
		msg, _ := app.Explain(err)
		return msg + "（命令行用 --db 指定数据库文件。）"
	case errors.Is(err, models.ErrMustChange):
		return "该账户须先在程序窗口中修改初始密码，然后才能使用命令行。"
	case errors.Is(err, models.ErrNeedsSetup):
		return "这个数据库还没有建立账户：请先打开程序窗口完成初始化，或用 secdoc demo --demo-password 建立演示数据库。"
	}
	msg, ok := app.Explain(err)
	switch {
	case !ok:
		return "操作没有完成：出现了程序未预料的错误。\n技术细节（供技术支持）：" + err.Error()
	case errors.As(err, &signIn):
		return "登录失败：" + msg
	case errors.As(err, &forbidden):
		return "无权操作：" + msg
	}
	if _, isInput := models.AsValidation(err); isInput {
		return "输入有误：" + msg
	}
	return msg
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "数据库文件路径")
}

// openDB opens the database at path, telling stderr what takes long (the
// first opening of a register by a new version).
func openDB(path string, stderr io.Writer) (*app.Service, error) {
	if path == "" {
		path = app.DefaultDBPath()
	}
	return app.OpenWithProgress(path, func(msg string) { fmt.Fprintln(stderr, msg) })
}

// signInFlags are the sign-in options every data subcommand takes.
type signInFlags struct {
	user, passwordFile *string
}

func addSignIn(fs *flag.FlagSet) signInFlags {
	return signInFlags{
		user:         fs.String("user", "", "登录名"),
		passwordFile: fs.String("password-file", "", "从这个文件的第一行读密码（供脚本使用）"),
	}
}

// readPassword reads the password from the file, or from the terminal
// without echo, or from a piped standard input, each by the rule of
// readSecretLine: the first line, without its line ending.
func readPassword(file string, stdin io.Reader, stderr io.Writer) (string, error) {
	if file != "" {
		return readSecretFile(file, "密码")
	}
	if f, ok := stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return readSecretTerminal(f, "密码：", stderr)
	}
	if stdin == nil {
		return "", errors.New("没有提供密码：请在终端输入，或用 --password-file 指定密码文件")
	}
	line, err := readSecretLine(stdin)
	if errors.Is(err, io.EOF) || err == nil && line == "" {
		return "", errors.New("没有提供密码：请在终端输入，或用 --password-file 指定密码文件")
	}
	if err != nil {
		return "", fmt.Errorf("读取密码：%w", err)
	}
	return line, nil
}

// maxSecretBytes is the longest first line a password or passphrase file
// (or a piped one) may have: a longer one is not a password.
const maxSecretBytes = 64 << 10

// errSecretTooLong is a first line longer than maxSecretBytes.
var errSecretTooLong = fmt.Errorf("第一行超过 %d 字节，不像是密码或口令", maxSecretBytes)

// readSecretLine reads a password or passphrase as every reader of one from
// a file or a pipe takes it: the first line, less the line ending that ends
// it (LF, CR LF or a lone CR), and nothing else removed: spaces, tabs and a
// byte-order mark are part of the secret. It reads no further than that
// line ending, a byte at a time. With nothing at all to read it returns
// io.EOF; a line without an ending is read to the end of r.
func readSecretLine(r io.Reader) (string, error) {
	var line []byte
	var b [1]byte
	for {
		n, err := r.Read(b[:])
		if n == 1 {
			if b[0] == '\n' || b[0] == '\r' {
				return string(line), nil
			}
			if len(line) >= maxSecretBytes {
				return "", errSecretTooLong
			}
			line = append(line, b[0])
			continue
		}
		if errors.Is(err, io.EOF) {
			if line == nil {
				return "", io.EOF
			}
			return string(line), nil
		}
		if err != nil {
			return "", err
		}
	}
}

// readSecretFile reads the secret (what says which: 密码 or 口令) from the
// first line of file, by the rule of readSecretLine. A file others than its
// owner may read, or not the current user's, is refused before a byte of
// it is read (checkSecretFile). An empty first line is refused: an empty
// secret is never right, and a sign-in with it would count towards the
// account's lockout.
func readSecretFile(file, what string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", fmt.Errorf("读取%s文件：%w", what, err)
	}
	defer f.Close()
	// The file opened, not the name: a file swapped in after the check is
	// not the one read.
	fi, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("读取%s文件“%s”：%w", what, file, err)
	}
	if err := secretFileError(file, what, fi); err != nil {
		return "", err
	}
	line, err := readSecretLine(bufio.NewReader(f))
	switch {
	case errors.Is(err, io.EOF) || err == nil && line == "":
		return "", fmt.Errorf("%s文件“%s”的第一行是空的", what, file)
	case err != nil:
		return "", fmt.Errorf("读取%s文件“%s”：%w", what, file, err)
	}
	return line, nil
}

// checkSecretFile refuses a file holding a password, a passphrase or a key
// (what names it in the message: 密码, 口令, 恢复口令 …) unless only its
// owner, the current user, can read it: on Unix its mode must give the
// group and others nothing (chmod 600), and it must belong to the user
// running the program. On Windows, whose files have access lists rather
// than modes, nothing is checked. Every reader of such a file calls it (or
// readSecretFile, which does) before reading.
func checkSecretFile(path, what string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("读取%s文件：%w", what, err)
	}
	return secretFileError(path, what, fi)
}

// secretFileError is checkSecretFile's verdict on the file at path, whose
// information is fi.
func secretFileError(path, what string, fi os.FileInfo) error {
	if !fi.Mode().IsRegular() && fi.Mode()&os.ModeNamedPipe == 0 {
		return nil // a terminal or another device given as the file: nothing kept on disk
	}
	why, otherOwner := secretFileProblem(fi)
	if why == "" {
		return nil
	}
	fix := "请先执行：chmod 600 " + shellQuote(path)
	if otherOwner {
		fix = "请由当前用户自己建立这个文件，并执行 chmod 600 " + shellQuote(path)
	}
	return &SecretFileError{Msg: fmt.Sprintf("%s文件“%s”%s，不能使用：%s应只有其所有者能读取。%s", what, path, why, what, fix)}
}

// SecretFileError refuses a password, passphrase or key file others may
// read; Msg, in Chinese, names the file and the command that fixes it.
type SecretFileError struct{ Msg string }

func (e *SecretFileError) Error() string { return e.Msg }

// shellQuote quotes path for a Unix shell when it needs it.
func shellQuote(path string) string {
	if path != "" && strings.IndexFunc(path, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == '+' || r == ',' || r == ':' || r == '@' ||
			r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f)
	}) < 0 {
		return path
	}
	return "'" + strings.ReplaceAll(path, "'", `'\''`) + "'"
}

// readSecretTerminal asks for a secret at the terminal without echo. The
// terminal gives the line as typed, without the Enter that ends it, and
// nothing else is removed, as readSecretLine does.
func readSecretTerminal(f *os.File, prompt string, stderr io.Writer) (string, error) {
	fmt.Fprint(stderr, prompt)
	b, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(stderr)
	return string(b), err
}

// signIn signs the command line's user in, as the window's sign-in does.
func (f signInFlags) signIn(svc *app.Service, stdin io.Reader, stderr io.Writer) (*app.Session, error) {
	if need, err := svc.NeedsSetup(); err != nil {
		return nil, err
	} else if need {
		return nil, models.ErrNeedsSetup
	}
	if *f.user == "" {
		fmt.Fprintln(stderr, "请用 --user 指定登录名")
		return nil, errUsage
	}
	pw, err := readPassword(*f.passwordFile, stdin, stderr)
	if err != nil {
		return nil, err
	}
	sess, mustChange, err := svc.SignIn(*f.user, pw)
	if err != nil {
		return nil, err
	}
	if mustChange {
		return nil, models.ErrMustChange
	}
	return sess, nil
}

// open opens the database at path and signs the user in; closeDB signs out
// and closes it.
func (f signInFlags) open(path string, stdin io.Reader, stderr io.Writer) (svc *app.Service, sess *app.Session, closeDB func(), err error) {
	svc, err = openDB(path, stderr)
	if err != nil {
		return nil, nil, nil, err
	}
	sess, err = f.signIn(svc, stdin, stderr)
	if err != nil {
		svc.Close()
		return nil, nil, nil, err
	}
	return svc, sess, func() { svc.SignOut(sess); svc.Close() }, nil
}

func runDemo(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("secdoc demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	n := fs.Int("n", 300, "演示载体的件数")
	seed := fs.Int64("seed", 1, "随机种子（相同种子生成相同数据）")
	demoPW := fs.String("demo-password", "", "新数据库：为每个角色建立一个演示账户，都用这个密码（仅供试用）")
	workflows := fs.Bool("workflows", false, "新数据库：再加上审批人、传阅、复制、借阅、待审批的申请、清退单和待销毁的载体")
	si := addSignIn(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 5_000_000 {
		fmt.Fprintln(stderr, "--n 应在 1 到 5000000 之间")
		return errUsage
	}
	svc, err := openDB(*db, stderr)
	if err != nil {
		return err
	}
	defer svc.Close()
	need, err := svc.NeedsSetup()
	if err != nil {
		return err
	}
	var sess *app.Session
	if need {
		if *demoPW == "" {
			fmt.Fprintln(stderr, "这个数据库还没有账户：请用 --demo-password 给演示账户设一个密码（至少 10 位，含大小写字母、数字、符号中的三类）")
			return errUsage
		}
		if err := svc.SetupDemo(*demoPW); err != nil {
			return err
		}
		if err := svc.SetupDemoRecovery(*demoPW); err != nil {
			return err
		}
		if sess, _, err = svc.SignIn("clerk", *demoPW); err != nil {
			return err
		}
	} else {
		if *demoPW != "" && *si.user == "" {
			*si.user = "clerk"
			*si.passwordFile = ""
			stdin = strings.NewReader(*demoPW + "\n")
		}
		if sess, err = si.signIn(svc, stdin, stderr); err != nil {
			return err
		}
	}
	last := -1
	err = demo.Generate(svc, sess, *n, *seed, func(done, total int) {
		if pct := done * 100 / total; pct != last {
			last = pct
			fmt.Fprintf(stderr, "\r写入演示数据 %d/%d（%d%%）", done, total, pct)
		}
	})
	fmt.Fprintln(stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已向 %s 写入 %d 件演示载体。\n", svc.Path(), *n)
	if *workflows && need {
		sec, _, err := svc.SignIn("secadmin", *demoPW)
		if err != nil {
			return err
		}
		sum, err := demo.Workflows(svc, sess, sec)
		svc.SignOut(sec)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "演示业务：%s。\n", sum)
	}
	if need {
		fmt.Fprintln(stdout, "演示账户（仅供试用，密码均为 --demo-password 所给；备份恢复口令为该密码加“-恢复口令”）：")
		for _, d := range app.DemoLogins {
			fmt.Fprintf(stdout, "  %-9s %s（%s）\n", d.Login, d.FullName, d.Role)
		}
	}
	return nil
}

const auditUsage = `用法：secdoc audit verify --user 审计员 [--db 路径] [--password-file 文件] [--seal 印记]
      secdoc audit seal   --user 审计员 [--db 路径] [--password-file 文件]
      secdoc audit accept --user 审计员 --reason 理由 [--db 路径] [--password-file 文件]`

// runAudit runs the auditor's subcommands: verify (the schema, the chain,
// its head and every sealed row; with --seal also a seal written down
// earlier), seal (the seal of the newest record) and accept (accept a
// chain that does not reach its head). broken is true when something does
// not verify: the program then exits 3.
func runAudit(verb string, args []string, stdin io.Reader, stdout, stderr io.Writer) (broken bool, err error) {
	fs := flag.NewFlagSet("secdoc audit "+verb, flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	si := addSignIn(fs)
	seal := fs.String("seal", "", "核对抄录的审计印记，例如 \"第 1234 条 3F9A-C2D1-77B0-1E4D\"")
	reason := fs.String("reason", "", "确认审计链现状的理由")
	if err := fs.Parse(args); err != nil {
		return false, err
	}
	svc, sess, closeDB, err := si.open(*db, stdin, stderr)
	if err != nil {
		return false, err
	}
	defer closeDB()
	switch verb {
	case "seal":
		s, err := svc.CurrentAuditSeal(sess)
		if err != nil {
			return false, err
		}
		fmt.Fprintf(stdout, "审计印记：%s\n请抄录保存；以后用 secdoc audit verify --seal \"%s\" 核对。\n", s, s)
		return false, nil
	case "accept":
		if err := svc.AcceptChain(sess, *reason); err != nil {
			return false, err
		}
		fmt.Fprintln(stdout, "已确认审计链现状，登记簿恢复修改。")
		return false, nil
	}
	v, err := svc.VerifyAudit(sess)
	if err != nil {
		return false, err
	}
	if v.OK {
		fmt.Fprintf(stdout, "审计记录完整，共 %d 条；登记簿记录 %d 行逐行核对无误。\n", v.Records, v.Rows)
	} else {
		broken = true
		fmt.Fprintf(stdout, "审计记录或登记簿被改动，发现 %d 处问题：\n", len(v.Findings)+v.More)
		for i, f := range v.Findings {
			fmt.Fprintf(stdout, "  %d. %s\n", i+1, f)
		}
		if v.More > 0 {
			fmt.Fprintf(stdout, "  ……另有 %d 处未列出\n", v.More)
		}
		if v.BrokenAt > 0 {
			fmt.Fprintf(stdout, "第一条有问题的审计记录：第 %d 条\n", v.BrokenAt)
		}
	}
	if *seal != "" {
		ok, msg, err := svc.CheckAuditSeal(sess, *seal)
		if err != nil {
			return broken, err
		}
		fmt.Fprintln(stdout, "审计印记："+msg)
		broken = broken || !ok
	}
	return broken, nil
}

// runStats prints the register's counts; broken is true when the counts
// table disagrees with the rows (exit 3, as the audit check's).
func runStats(args []string, stdin io.Reader, stdout, stderr io.Writer) (broken bool, err error) {
	fs := flag.NewFlagSet("secdoc stats", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	si := addSignIn(fs)
	if err := fs.Parse(args); err != nil {
		return false, err
	}
	svc, sess, closeDB, err := si.open(*db, stdin, stderr)
	if err != nil {
		return false, err
	}
	defer closeDB()
	st, err := svc.Stats(sess)
	if err != nil {
		return false, err
	}
	fmt.Fprintf(stdout, "在册 %d 件（登记总数 %d，今年登记 %d）\n", st.Held, st.Total, st.RegisteredTY)
	fmt.Fprintf(stdout, "  其中国家秘密 %d 件\n", st.HeldSecret)
	for i := len(models.AllLevels) - 1; i >= 0; i-- {
		l := models.AllLevels[i]
		fmt.Fprintf(stdout, "  %s %d\n", l, st.HeldByLevel[l])
	}
	for _, s := range models.States {
		if n := st.ByState[s]; n > 0 {
			fmt.Fprintf(stdout, "  %s %d\n", s, n)
		}
	}
	// The counts come from the table the program keeps; say so if it no
	// longer agrees with the register's rows.
	diffs, err := svc.CountsDiffer(sess)
	if err != nil {
		return false, err
	}
	if len(diffs) > 0 {
		fmt.Fprintln(stderr, "注意：以上统计取自统计表，而统计表与登记簿不符（可能被其他工具改动），请安全审计员校验审计记录：")
		for _, d := range diffs {
			fmt.Fprintln(stderr, "  "+d)
		}
		return true, nil
	}
	return false, nil
}
