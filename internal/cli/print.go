package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"secdoc/app"
	"secdoc/reports"
)

const printUsage = `  secdoc print 表单 --id 编号 [--out 文件.pdf|文件夹] --user 机要员 [--data-only --offset-x 毫米 --offset-y 毫米]
  secdoc print register [--direction 收文|发文] [--year 2026 | --from 日期 --to 日期] [--level 机密] [--state 在册]
                       [--keyword 词] [--marking 机密★10年 --classifier 定密责任人] [--out 文件.pdf|文件夹] --user 机要员
                                         打印表单或登记簿为 PDF（secdoc print --help 列出全部表单）
` + bookUsage

// printHelp lists the forms and the options of secdoc print.
func printHelp(w io.Writer) {
	fmt.Fprint(w, "用法：\n"+printUsage+"\n表单：\n")
	for _, f := range app.Forms {
		fmt.Fprintf(w, "  %-12s %s（--id %s）\n", f.Kind, f.Name, f.ID)
	}
	fmt.Fprint(w, "\n运行登记簿（secdoc print book --kind 名称，secdoc print book --help 详述）：\n")
	for _, b := range app.Books {
		fmt.Fprintf(w, "  %-12s %s\n", b.Kind, b.Name)
	}
	fmt.Fprint(w, `
--out 是文件夹（或省略，即当前文件夹）时，文件按命名规则取名：文号-文种-标题(yyyy.mm.dd)-表名，
或 表名-编号；同名文件已存在时加 (2)、(3)…，不覆盖。--out 是文件时替换原文件。
register 打印收文登记簿和发文登记簿（--direction 只打其一），按登记顺序，--year 或 --from/--to 选期间。
清单和登记簿的密级标志默认取所列载体的最高密级和最长保密期限；用 --marking 另定时须用 --classifier
写明定密责任人，记入审计记录。
--data-only 只打印填写的内容，用于已印好表格的纸张（套打）；--offset-x、--offset-y 把内容向右、
向下移动若干毫米（负数向左、向上），以对准打印机。
每次打印都记入所涉载体的历史记录和审计记录。
`)
}

func runPrint(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w := stdout
		if len(args) == 0 {
			w = stderr
		}
		printHelp(w)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	if args[0] == string(app.FormBook) {
		return runPrintBook(args[1:], stdin, stdout, stderr)
	}
	kind := app.FormKind(args[0])
	info, ok := app.FormByKind(kind)
	if !ok {
		fmt.Fprintf(stderr, "没有“%s”这种表单。\n", args[0])
		printHelp(stderr)
		return errUsage
	}
	fs := flag.NewFlagSet("secdoc print "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	out := fs.String("out", ".", "写到这个 PDF 文件，或这个文件夹（按命名规则取名）")
	id := new(string)
	var filters ledgerFilterFlags
	if kind == app.FormRegister {
		filters = addLedgerFilters(fs)
	} else {
		id = fs.String("id", "", info.ID)
	}
	marking := fs.String("marking", "", "清单、登记簿的密级标志（默认按所列载体的最高密级和最长保密期限），如 机密★10年")
	classifier := fs.String("classifier", "", "确定该标志的定密责任人（--marking 为国家秘密或不同于默认时必填）")
	dataOnly := fs.Bool("data-only", false, "只打印填写的内容（套打）")
	dx := fs.Float64("offset-x", 0, "内容向右移动的毫米数（负数向左）")
	dy := fs.Float64("offset-y", 0, "内容向下移动的毫米数（负数向上）")
	si := addSignIn(fs)
	pos, err := parseWithFile(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "多余的参数：%s\n", strings.Join(pos, " "))
		return errUsage
	}
	if *dx < -50 || *dx > 50 || *dy < -50 || *dy > 50 {
		fmt.Fprintln(stderr, "--offset-x 和 --offset-y 应在 -50 到 50 毫米之间")
		return errUsage
	}
	opt := reports.Options{DataOnly: *dataOnly, OffsetX: *dx, OffsetY: *dy, Marking: *marking, Classifier: *classifier}
	var q app.Query
	if kind == app.FormRegister {
		if q, err = filters.query(); err != nil {
			fmt.Fprintln(stderr, err)
			return errUsage
		}
	} else if strings.TrimSpace(*id) == "" {
		fmt.Fprintf(stderr, "请用 --id 指定%s\n", info.ID)
		return errUsage
	}
	svc, sess, closeDB, err := si.open(*db, stdin, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	var p app.Printout
	var path string
	if kind == app.FormRegister {
		p, path, err = svc.PrintRegisterToFile(sess, q, opt, *out)
	} else {
		p, path, err = svc.PrintToFile(sess, kind, *id, opt, *out)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已打印《%s》%s（%d 件）到 %s\n", p.Form.Name, p.Object, p.Carriers, path)
	return nil
}
