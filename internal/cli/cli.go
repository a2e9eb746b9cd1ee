// Package cli is secdoc's command line: the subcommands that run without a
// window (demo data, counts), the choice of database file shared with the
// window, and the Chinese messages for errors that stop the program.
package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"secdoc/app"
	"secdoc/internal/demo"
	"secdoc/models"
)

// Version is the program's version, shown by `secdoc version`.
const Version = "0.1.0"

// Subcommands lists the command line's subcommands; anything else opens the window.
var Subcommands = []string{"demo", "stats", "version", "help"}

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

// Operator names who is working, recorded in every history line. Until
// accounts exist it is $SECDOC_OPERATOR or the operating system's user.
func Operator() string {
	if op := strings.TrimSpace(os.Getenv("SECDOC_OPERATOR")); op != "" {
		return op
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "机要员"
}

func usage(w io.Writer) {
	fmt.Fprint(w, `涉密文件管理 secdoc `+Version+`

用法：
  secdoc [--db 路径] [--view 页面]       打开程序窗口（页面：home 首页、register 登记、ledger 台账）
  secdoc demo --n N [--db 路径] [--seed S] 向数据库写入 N 件演示载体（仅供试用）
  secdoc stats [--db 路径]               按密级和状态统计在册载体
  secdoc version                         显示版本

数据库文件：--db 指定；否则环境变量 SECDOC_DB；否则 `+app.DefaultDBPath()+`
`)
}

// Run runs one subcommand and returns the process exit code.
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	var err error
	switch args[0] {
	case "version":
		fmt.Fprintln(stdout, "secdoc", Version, "schema", models.SchemaVersion())
		return 0
	case "demo":
		err = runDemo(args[1:], stdout, stderr)
	case "stats":
		err = runStats(args[1:], stdout, stderr)
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
	var locked *app.LockedError
	switch {
	case errors.As(err, &locked):
		pid := ""
		if locked.PID > 0 {
			pid = fmt.Sprintf("（进程号 %d）", locked.PID)
		}
		return "另一个涉密文件管理程序" + pid + "正在使用这个数据库：\n  " + locked.Path +
			"\n为防止数据损坏，本程序不再打开它。请先关闭另一个程序，或用 --db 选择另一个数据库文件。"
	case errors.Is(err, models.ErrNewerSchema):
		return "这个数据库由更新版本的程序写入，本程序无法打开。请使用更新版本的涉密文件管理程序。"
	}
	if v, ok := models.AsValidation(err); ok {
		return "输入有误：" + v.Error()
	}
	return "操作失败：" + err.Error()
}

func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", "", "数据库文件路径")
}

func openDB(path string) (*app.Service, error) {
	if path == "" {
		path = app.DefaultDBPath()
	}
	return app.Open(path)
}

func runDemo(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("secdoc demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	n := fs.Int("n", 300, "演示载体的件数")
	seed := fs.Int64("seed", 1, "随机种子（相同种子生成相同数据）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *n < 1 || *n > 5_000_000 {
		fmt.Fprintln(stderr, "--n 应在 1 到 5000000 之间")
		return errUsage
	}
	svc, err := openDB(*db)
	if err != nil {
		return err
	}
	defer svc.Close()
	last := -1
	err = demo.Generate(svc, *n, *seed, func(done, total int) {
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
	return nil
}

func runStats(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("secdoc stats", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	svc, err := openDB(*db)
	if err != nil {
		return err
	}
	defer svc.Close()
	st, err := svc.Stats()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "在册 %d 件（登记总数 %d，今年登记 %d）\n", st.Held, st.Total, st.RegisteredTY)
	for i := len(models.Levels) - 1; i >= 0; i-- {
		l := models.Levels[i]
		fmt.Fprintf(stdout, "  %s %d\n", l, st.HeldByLevel[l])
	}
	for _, s := range models.States {
		if n := st.ByState[s]; n > 0 {
			fmt.Fprintf(stdout, "  %s %d\n", s, n)
		}
	}
	return nil
}
