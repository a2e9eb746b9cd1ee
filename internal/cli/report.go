package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"secdoc/app"
	"secdoc/reports"
)

const reportUsage = `  secdoc report annual [--year 2026] [--out 文件.pdf|文件.xlsx|文件夹] [--marking 内部 --classifier 定密责任人] --user 机要员
                                         年度涉密载体统计：年初、年末在册和收文、自产、复制、分发、
                                         清退、归档、销毁、解密（按密级、载体类型），定密、借阅、自查、
                                         销毁；不给 --out 时在屏幕上列出各表
`

// reportHelp explains secdoc report.
func reportHelp(w io.Writer) {
	fmt.Fprint(w, "用法：\n"+reportUsage+`
--year 默认今年；今年的统计截至今天。
--out 以 .xlsx 结尾时导出 Excel：第一张工作表是各统计表，点击数字转到列出其明细的工作表；
其余写 PDF（A4 横向），--out 是文件夹时按“年度涉密载体统计表(日期).pdf”取名。
--marking 是 PDF 左上角的标志，默认“内部”（统计数字不是涉密内容；如确需按涉密件管理，
写明密级和期限，如 秘密★1年，并用 --classifier 写明作出该决定的定密责任人）。
机要员和安全保密管理员可以使用；安全保密管理员导出的明细不含题名、文号等业务内容。
每次打印、导出都记入审计记录。
`)
}

func runReport(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w := stdout
		if len(args) == 0 {
			w = stderr
		}
		reportHelp(w)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	if args[0] != "annual" {
		fmt.Fprintf(stderr, "没有“%s”这种统计。\n", args[0])
		reportHelp(stderr)
		return errUsage
	}
	fs := flag.NewFlagSet("secdoc report annual", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	year := fs.Int("year", 0, "年度（默认今年）")
	out := fs.String("out", "", "写到这个 PDF 或 .xlsx 文件，或这个文件夹（PDF）；不给时在屏幕上列出")
	marking := fs.String("marking", "", "PDF 左上角的标志（默认“内部”）")
	classifier := fs.String("classifier", "", "确定另一标志的定密责任人（--marking 为国家秘密或不同于默认时必填）")
	si := addSignIn(fs)
	pos, err := parseWithFile(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fmt.Fprintf(stderr, "多余的参数：%s\n", strings.Join(pos, " "))
		return errUsage
	}
	svc, sess, closeDB, err := si.open(*db, stdin, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	if *year == 0 {
		*year = svc.Now().Year()
	}
	switch {
	case strings.HasSuffix(strings.ToLower(*out), ".xlsx"):
		n, err := svc.ExportAnnualFile(sess, *year, *out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已导出%d年度涉密载体统计（明细 %d 行）到 %s\n", *year, n, *out)
	case *out != "":
		p, path, err := svc.PrintAnnualToFile(sess, *year, reports.Options{Marking: strings.TrimSpace(*marking), Classifier: *classifier}, *out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已打印《%s》%s 到 %s\n", p.Form.Name, p.Object, path)
	default:
		r, err := svc.Annual(sess, *year)
		if err != nil {
			return err
		}
		writeAnnualText(stdout, svc.OfficeName(), r)
	}
	return nil
}

// writeAnnualText lists the statistics' tables as text, their columns
// aligned for a terminal's fixed-width font (a Chinese character takes two
// places).
func writeAnnualText(w io.Writer, office string, r app.AnnualReport) {
	fmt.Fprintf(w, "%s%d年度涉密载体统计表\n", office, r.Year)
	fmt.Fprintln(w, r.Notes[0])
	for i, t := range r.Tables {
		fmt.Fprintf(w, "\n%d. %s\n", i+1, t.Title)
		cells := [][]string{append([]string{t.Head}, t.Columns...)}
		for _, row := range t.Rows {
			line := []string{row.Label}
			for _, c := range row.Cells {
				line = append(line, c.String())
			}
			cells = append(cells, line)
		}
		widths := make([]int, len(cells[0]))
		for _, line := range cells {
			for j, c := range line {
				if j < len(widths) {
					widths[j] = max(widths[j], textWidth(c))
				}
			}
		}
		for _, line := range cells {
			var b strings.Builder
			for j, c := range line {
				pad := strings.Repeat(" ", widths[j]-textWidth(c))
				if j == 0 {
					b.WriteString(c + pad)
				} else {
					b.WriteString("  " + pad + c)
				}
			}
			fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		}
		for _, n := range t.Notes {
			fmt.Fprintln(w, "  "+n)
		}
		if i == 0 {
			for _, b := range r.Balance {
				fmt.Fprintln(w, b)
			}
		}
	}
	fmt.Fprintln(w)
	for _, n := range r.Notes[1:] {
		fmt.Fprintln(w, n)
	}
}

// textWidth is how many places s takes in a terminal: two for a wide
// (Chinese) character, one for the rest.
func textWidth(s string) int {
	n := 0
	for len(s) > 0 {
		p, size := width.LookupString(s)
		switch p.Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
		if size == 0 {
			_, size = utf8.DecodeRuneInString(s)
		}
		s = s[size:]
	}
	return n
}
