package cli

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"secdoc/app"
	"secdoc/reports"
)

const bookUsage = `  secdoc print book --kind 借阅 [--from 2026-01-01] [--to 2026-12-31] [--out 文件.pdf|文件.xlsx|文件夹]
                    [--marking 机密★10年 --classifier 定密责任人] --user 机要员
                                         打印运行登记簿为 PDF，或导出为 Excel（--out 以 .xlsx 结尾时）
`

// bookHelp lists the running books and the options of secdoc print book.
func bookHelp(w io.Writer) {
	fmt.Fprint(w, "用法：\n"+bookUsage+"\n运行登记簿（--kind 取其中任一写法）：\n")
	for _, b := range app.Books {
		fmt.Fprintf(w, "  %-12s %s（--kind %s），按%s列入期间\n", b.Kind, b.Name, b.Short, b.Dated)
	}
	fmt.Fprint(w, `
--from、--to 是期间的第一天和最后一天（含），省略时为今年全年。每项业务一行，写明审批单、
清单的编号，便于检查时对照签字的原件；一张单据列有多件载体的（销毁、清退），每件一行。
--marking 是经确认的密级标志（如 机密★10年、秘密★2030年6月30日、内部）；省略时按登记簿所列
载体的最高密级和最长保密期限标注。标为国家秘密或不同于默认的，须用 --classifier 写明作出该决定的
定密责任人。
--out 是文件夹（或省略，即当前文件夹）时，PDF 按“登记簿名(起始日期-截止日期).pdf”取名，
同名文件已存在时加 (2)、(3)…，不覆盖；--out 是 .xlsx 文件时导出为 Excel。
每次打印、导出都记入审计记录。
`)
}

// runPrintBook prints or exports a running book: secdoc print book.
func runPrintBook(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		bookHelp(stdout)
		return nil
	}
	fs := flag.NewFlagSet("secdoc print book", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	year := time.Now().Format("2006")
	kind := fs.String("kind", "", "运行登记簿：借阅、外出携带、复制、传阅、密级变更、分发、清退或销毁")
	from := fs.String("from", year+"-01-01", "期间的第一天")
	to := fs.String("to", year+"-12-31", "期间的最后一天（含）")
	out := fs.String("out", ".", "写到这个 PDF 或 .xlsx 文件，或这个文件夹（PDF，按命名规则取名）")
	marking := fs.String("marking", "", "经确认的密级标志；省略时按所列载体的最高密级和最长期限")
	classifier := fs.String("classifier", "", "确定该标志的定密责任人")
	si := addSignIn(fs)
	pos, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "多余的参数：%s\n", strings.Join(pos, " "))
		return errUsage
	}
	info, ok := app.BookByName(*kind)
	if !ok {
		if *kind == "" {
			fmt.Fprintln(stderr, "请用 --kind 指定运行登记簿。")
		} else {
			fmt.Fprintf(stderr, "没有“%s”这种登记簿。\n", *kind)
		}
		bookHelp(stderr)
		return errUsage
	}
	svc, sess, closeDB, err := si.open(*db, stdin, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	opt := reports.Options{Marking: *marking, Classifier: *classifier}
	if strings.EqualFold(filepath.Ext(*out), ".xlsx") {
		n, err := svc.ExportBookFile(sess, info.Kind, *from, *to, opt, *out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已导出《%s》（%d 条）到 %s\n", info.Name, n, *out)
		return nil
	}
	p, path, err := svc.PrintBookToFile(sess, info.Kind, *from, *to, opt, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已打印《%s》%s（%d 条）到 %s\n", p.Form.Name, p.Object, p.Carriers, path)
	return nil
}
