package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"secdoc/app"
	"secdoc/models"
)

// message is an error whose text is already the Chinese sentence for the clerk.
type message string

func (m message) Error() string { return string(m) }

// parseWithFile parses flags that may come before or after one positional
// argument (secdoc import FILE --user U, or secdoc import --user U FILE).
func parseWithFile(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// ledgerFilterFlags are the ledger's filters on the command line.
type ledgerFilterFlags struct {
	level, state, kind, keyword, issuer *string
	from, to, direction                 *string
	year                                *int
}

func addLedgerFilters(fs *flag.FlagSet) ledgerFilterFlags {
	return ledgerFilterFlags{
		level:     fs.String("level", "", "密级：秘密、机密、绝密，多个用逗号分开（默认全部）"),
		state:     fs.String("state", "全部", "状态：在册（在库、传阅中、借出、外出携带）、全部，或在库、已销毁等，多个用逗号分开"),
		kind:      fs.String("kind", "", "载体类型，如 纸质文件、光盘，多个用逗号分开（默认全部）"),
		year:      fs.Int("year", 0, "登记年份（默认全部）"),
		keyword:   fs.String("keyword", "", "关键词：题名、文号、来文单位或登记号中的字，空格分开的词须都出现"),
		issuer:    fs.String("issuer", "", "来文单位（全称）"),
		from:      fs.String("from", "", "收文日期起，如 2026-01-01（含）"),
		to:        fs.String("to", "", "收文日期止，如 2026-12-31（含）"),
		direction: fs.String("direction", "", "收文 或 发文（默认两者）"),
	}
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// query builds the ledger query of the flags, or a Chinese reason they are wrong.
func (f ledgerFilterFlags) query() (app.Query, error) {
	q := app.Query{Keyword: *f.keyword, Year: *f.year, Issuer: strings.TrimSpace(*f.issuer)}
	for _, name := range splitList(*f.level) {
		l, ok := models.ParseLevel(strings.TrimSuffix(name, "级"))
		if !ok {
			return q, fmt.Errorf("--level 只能是秘密、机密或绝密，不能是“%s”", name)
		}
		q.Levels = append(q.Levels, l)
	}
	for _, name := range splitList(*f.state) {
		switch name {
		case "全部", "all":
			q.States = nil
			continue
		case "在册", "held":
			q.States = append(q.States, models.HeldStates...)
			continue
		}
		st, ok := models.ParseState(name)
		if !ok {
			st = models.State(name)
			if st.String() == "未知状态" {
				return q, fmt.Errorf("--state 不认识“%s”：可用 在册、全部、在库、传阅中、借出、外出携带、已清退、已归档、已销毁、已解密、已作废", name)
			}
		}
		q.States = append(q.States, st)
	}
	for _, name := range splitList(*f.kind) {
		k, ok := app.ParseCarrierKind(name)
		if !ok {
			return q, fmt.Errorf("--kind 不认识载体类型“%s”", name)
		}
		q.Kinds = append(q.Kinds, k)
	}
	if *f.year != 0 && (*f.year < 1949 || *f.year > 9999) {
		return q, fmt.Errorf("--year 应为四位年份，如 2026")
	}
	for _, d := range []struct {
		flag string
		val  *string
		to   *string
	}{{"--from", f.from, &q.From}, {"--to", f.to, &q.To}} {
		v := strings.TrimSpace(*d.val)
		if v == "" {
			continue
		}
		t, err := models.ParseDate(v)
		if err != nil {
			return q, fmt.Errorf("%s 应为日期，如 2026-01-01，不能是“%s”", d.flag, v)
		}
		*d.to = t.Format(models.DateLayout)
	}
	switch strings.TrimSpace(*f.direction) {
	case "":
	case "收文", "in":
		q.Direction = models.DirIncoming
	case "发文", "in-house", "out":
		q.Direction = models.DirOutgoing
	default:
		return q, fmt.Errorf("--direction 只能是 收文 或 发文")
	}
	return q, nil
}

// progressTo prints "label n/total (p%)" on one line of w, at most once per percent.
func progressTo(w io.Writer, label string) (func(done, total int), func()) {
	last, shown := -1, false
	return func(done, total int) {
			if total <= 0 {
				return
			}
			if pct := done * 100 / total; pct != last {
				last, shown = pct, true
				fmt.Fprintf(w, "\r%s %d/%d（%d%%）", label, done, total, pct)
			}
		}, func() {
			if shown {
				fmt.Fprintln(w)
			}
		}
}

func runExport(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("secdoc export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	out := fs.String("out", "", "导出到这个 .xlsx 文件（已有的文件被替换）")
	filters := addLedgerFilters(fs)
	si := addSignIn(fs)
	pos, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	if *out == "" && len(pos) == 1 {
		*out = pos[0]
	} else if len(pos) > 0 {
		fmt.Fprintf(stderr, "多余的参数：%s\n", strings.Join(pos, " "))
		return errUsage
	}
	if *out == "" {
		fmt.Fprintln(stderr, "请用 --out 指定导出文件，例如 --out 台账.xlsx")
		return errUsage
	}
	if !strings.HasSuffix(strings.ToLower(*out), ".xlsx") {
		*out += ".xlsx"
	}
	q, err := filters.query()
	if err != nil {
		fmt.Fprintln(stderr, err)
		return errUsage
	}
	svc, sess, closeDB, err := si.open(*db, stdin, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	progress, done := progressTo(stderr, "导出")
	n, err := svc.ExportLedgerFile(sess, q, *out, progress)
	done()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已导出 %d 件到 %s（%s）。\n", n, *out, q.Describe())
	return nil
}

// describeMapping says which column each field comes from, and what is left out.
func describeMapping(w io.Writer, t *app.ImportTable, m app.ImportMapping) {
	fmt.Fprintf(w, "表头在第 %d 行，数据 %d 行。对应关系：\n", t.HeaderLine, len(t.Rows))
	var none []string
	for _, f := range app.ImportFields {
		col, ok := m.Column(f.Key)
		def := m.Defaults[f.Key]
		switch {
		case ok && col < len(t.Header):
			line := fmt.Sprintf("  %s ← %s栏“%s”", f.Label, app.ColumnName(col), t.Header[col])
			if def != "" {
				line += "（空白时为“" + def + "”）"
			}
			fmt.Fprintln(w, line)
		case ok:
			fmt.Fprintf(w, "  %s ← %s栏\n", f.Label, app.ColumnName(col))
		case def != "":
			fmt.Fprintf(w, "  %s = “%s”（文件中无此栏）\n", f.Label, def)
		default:
			none = append(none, f.Label)
		}
	}
	if len(none) > 0 {
		fmt.Fprintf(w, "  不导入：%s\n", strings.Join(none, "、"))
	}
	used := map[int]bool{}
	for _, c := range m.Columns {
		used[c] = true
	}
	var unused []string
	for i, h := range t.Header {
		if !used[i] && h != "" {
			unused = append(unused, app.ColumnName(i)+"栏“"+h+"”")
		}
	}
	if len(unused) > 0 {
		fmt.Fprintf(w, "  文件中未用的栏：%s\n", strings.Join(unused, "、"))
	}
}

// printProblems lists every problem of the report, one a line.
func printProblems(w io.Writer, rep app.ImportReport) {
	for _, p := range rep.Problems {
		where := "对应关系"
		if p.Line > 0 {
			where = "第 " + strconv.Itoa(p.Line) + " 行"
		}
		value := ""
		if p.Value != "" {
			value = "“" + p.Value + "”"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", where, p.Label, value, p.Msg)
	}
}

func runImport(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("secdoc import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := dbFlag(fs)
	sheet := fs.String("sheet", "", "Excel 文件中要导入的工作表（默认第一个）")
	mapping := fs.String("map", "", "调整对应关系：本程序的字段=文件的栏名（或栏号 C，或 - 表示不导入），逗号分开，如 题名=标题,收文日期=日期")
	defaults := fs.String("set", "", "默认值：栏未对应或单元格空白时使用，如 责任人=王敏,载体类型=纸质文件")
	dry := fs.Bool("dry-run", false, "只检查，列出每行的问题，不写入任何数据")
	si := addSignIn(fs)
	pos, err := parseWithFile(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fmt.Fprintln(stderr, "用法：secdoc import 文件.xlsx|文件.csv --user 机要员 [--map 题名=标题,…] [--set 责任人=王敏,…] [--sheet 工作表] [--dry-run]")
		return errUsage
	}
	t, err := app.ReadImportFile(pos[0], *sheet)
	if err != nil {
		var fe *app.ImportFileError
		if errors.As(err, &fe) {
			return message(fe.Msg)
		}
		return err
	}
	m := app.GuessMapping(t.Header)
	if *mapping != "" {
		if m, err = app.ApplyMappingSpec(m, *mapping, t.Header); err != nil {
			fmt.Fprintln(stderr, "--map：", err)
			return errUsage
		}
	}
	if *defaults != "" {
		if m, err = app.ApplyDefaultsSpec(m, *defaults); err != nil {
			fmt.Fprintln(stderr, "--set：", err)
			return errUsage
		}
	}
	svc, sess, closeDB, err := si.open(*db, stdin, stderr)
	if err != nil {
		return err
	}
	defer closeDB()
	where := t.Name
	if t.Sheet != "" {
		where += "（工作表 " + t.Sheet + "）"
	} else if t.Encoding != "" {
		where += "（" + t.Encoding + "）"
	}
	fmt.Fprintf(stdout, "文件：%s\n", where)
	describeMapping(stdout, t, m)

	rep, err := svc.ImportDryRun(sess, t, m)
	if errors.Is(err, app.ErrImportEmpty) {
		return message(fmt.Sprintf("“%s”的表头下面没有数据行，没有可导入的内容", t.Name))
	}
	if err != nil {
		return err
	}
	if !rep.OK() {
		fmt.Fprintln(stdout, "\n问题清单（行号\t栏目\t内容\t问题）：")
		printProblems(stdout, rep)
		if rep.Problems[0].Line == 0 {
			return message("字段对应不完整（见上面的清单），没有检查各行，也没有导入任何一行。请用 --map 指明对应的栏（如 --map 收文日期=时间），或用 --set 给出默认值。")
		}
		return message(fmt.Sprintf("%d 行中有 %d 行有问题（共 %d 处，见上面的清单），没有导入任何一行。请修改文件后重试，或用 --map、--set 调整对应关系。",
			rep.Rows, rep.BadRows, len(rep.Problems)))
	}
	if *dry {
		fmt.Fprintf(stdout, "\n试导入通过：%d 行都没有问题，将登记 %d 件。没有写入任何数据；去掉 --dry-run 即正式导入。\n",
			rep.Rows, rep.Carriers)
		return nil
	}
	progress, done := progressTo(stderr, "导入")
	rep, err = svc.Import(sess, t, m, progress)
	done()
	if errors.Is(err, app.ErrImportProblems) {
		fmt.Fprintln(stdout, "\n问题清单（行号\t栏目\t内容\t问题）：")
		printProblems(stdout, rep)
		return message("登记簿在检查后发生了变化，出现了上面的问题，没有导入任何一行。")
	}
	var re *app.RowError
	if errors.As(err, &re) {
		detail := re.Err.Error()
		if v, ok := models.AsValidation(re.Err); ok {
			detail = v.Error()
		}
		return message(fmt.Sprintf("第 %d 行：%s。整个文件都没有导入（全部导入或全部不导入）。", re.Row, detail))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\n已导入 %d 行，登记 %d 件。\n", rep.Rows, rep.Carriers)
	return nil
}
