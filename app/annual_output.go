package app

// The year's statistics printed (PDF) and exported (.xlsx).

import (
	"archive/zip"
	"fmt"
	"io"
	"net/url"
	"path/filepath"

	"github.com/xuri/excelize/v2"

	"secdoc/models"
	"secdoc/reports"
)

// AnnualForm describes the printed statistics for the print flow.
var AnnualForm = FormInfo{Kind: "annual", Name: "涉密载体年度统计表", ID: "年度（2026）"}

// AnnualMarking is the default marking of the printed statistics: counts
// of carriers, not their contents, are the office's 工作秘密 (R21, R26:
// the lowest level that is right). The clerk may mark them otherwise in
// the print options.
const AnnualMarking = "内部"

// PrintAnnual prints the year's statistics, the <office><year>年度涉密载体统计表,
// as PDF onto w: every table, the balance check and the notes, marked
// 内部 unless opt.Marking says otherwise. The printing is audited. The clerk
// and the security officer.
func (s *Service) PrintAnnual(sess *Session, year int, opt reports.Options, w io.Writer) (_ Printout, err error) {
	defer s.refused(sess, "PrintAnnual", "", &err)
	job, err := s.annualJob(sess, year)
	if err != nil {
		return Printout{}, err
	}
	return job.out, s.writePrintout(sess, job, opt, toWriter(w))
}

// PrintAnnualToFile is PrintAnnual into a file or folder, as PrintToFile.
func (s *Service) PrintAnnualToFile(sess *Session, year int, opt reports.Options, path string) (_ Printout, _ string, err error) {
	defer s.refused(sess, "PrintAnnualToFile", "", &err)
	job, err := s.annualJob(sess, year)
	if err != nil {
		return Printout{}, "", err
	}
	return s.saveJob(sess, job, opt, path)
}

func (s *Service) annualJob(sess *Session, year int) (printJob, error) {
	if _, err := s.annualRole(sess); err != nil {
		return printJob{}, err
	}
	d, err := s.annualData(year)
	if err != nil {
		return printJob{}, err
	}
	head := s.printHead(sess)
	head.Marking = AnnualMarking
	a := d.report.printable(head)
	return printJob{
		list: true, // its marking confirmed like a list's (R26)
		out: Printout{Form: AnnualForm, Object: fmt.Sprintf("%d年度", year), Marking: AnnualMarking,
			FileName: safeFileName(fmt.Sprintf("%d年度涉密载体统计表(%s)", year, head.Printed.Local().Format("2006.01.02"))) + ".pdf"},
		render: func(w io.Writer, o reports.Options) error { return reports.RenderAnnual(w, a, o) },
	}, nil
}

// printable is the report as the PDF prints it.
func (r AnnualReport) printable(head reports.Head) reports.Annual {
	a := reports.Annual{Head: head, Year: r.Year, Balance: r.Balance}
	a.Period = "统计期间：" + r.period()
	for _, t := range r.Tables {
		pt := reports.AnnualTable{Title: t.Title, Head: t.Head, Columns: t.Columns, Notes: t.Notes}
		for _, row := range t.Rows {
			pr := reports.AnnualRow{Label: row.Label}
			for _, c := range row.Cells {
				pr.Cells = append(pr.Cells, c.String())
			}
			pt.Rows = append(pt.Rows, pr)
		}
		a.Tables = append(a.Tables, pt)
	}
	a.Notes = r.Notes[1:] // the first is the period, printed under the title
	return a
}

// period is the span counted, in words.
func (r AnnualReport) period() string {
	from, _ := models.ParseDate(r.From)
	to, _ := models.ParseDate(r.To)
	out := fmt.Sprintf("%d年%d月%d日至%d年%d月%d日", from.Year(), int(from.Month()), from.Day(),
		to.Year(), int(to.Month()), to.Day())
	if r.Partial {
		out += "（本年度尚未结束）"
	}
	return out
}

// MaxAnnualSheetRows bounds a sheet of the exported statistics: a list
// longer than this is cut, and the sheet says so.
var MaxAnnualSheetRows = 100_000

// AnnualSummarySheet is the name of the exported statistics' first sheet.
const AnnualSummarySheet = "统计表"

// ExportAnnualFile writes the year's statistics to the .xlsx file at path
// (through a temporary file, renamed over path when complete): the sheet
// 统计表 with every table, each figure linked to the sheet listing what
// it counts; a sheet per column of the carrier tables (年初在册, 收文 …
// 年末在册) listing its carriers with the level and kind each is counted at,
// so that filtering a sheet by 统计密级 and 载体类型 gives each figure of
// its column; and a sheet for each other table, its lines marked with the
// column they count in. A sheet lists at most MaxAnnualSheetRows lines and
// says so when cut. The export is audited. The clerk, and the security
// officer without the business records (R18). It returns the number of
// lines listed.
func (s *Service) ExportAnnualFile(sess *Session, year int, path string) (_ int, err error) {
	defer s.refused(sess, "ExportAnnualFile", "", &err)
	redact, err := s.annualRole(sess)
	if err != nil {
		return 0, err
	}
	d, err := s.annualData(year)
	if err != nil {
		return 0, err
	}
	object := filepath.Base(path)
	n, err := writeFileAtomic(path, func(w io.Writer) (int, error) { return s.writeAnnual(d, redact, w) })
	if err != nil {
		s.auditAlone(sess, models.EventExport, object, false, fmt.Sprintf("导出%d年度涉密载体统计 Excel 失败：%v", year, err))
		return 0, err
	}
	return n, s.auditAlone(sess, models.EventExport, object, true,
		fmt.Sprintf("导出%d年度涉密载体统计 Excel，明细 %d 行", year, n))
}

// annualSheet is a sheet of the export listing what figures count.
type annualSheet struct {
	name string
	keys []annualSheetKey // the lists it holds, one after another
}

// annualSheetKey is one list of a sheet: the key of a figure, and the
// column it counts in (for the sheets of a whole table).
type annualSheetKey struct {
	key, column string
}

// annualSheets are the sheets of the lists, and which sheet each key of the
// summary links to.
func (r AnnualReport) annualSheets() ([]annualSheet, map[string]string) {
	var sheets []annualSheet
	link := map[string]string{}
	total := r.Tables[0].Rows[len(r.Tables[0].Rows)-1]
	byFlow := map[AnnualFlow]string{}
	for i, f := range AnnualFlows {
		if total.Cells[i].Count == 0 {
			continue
		}
		name := r.Tables[0].Columns[i]
		byFlow[f] = name
		sheets = append(sheets, annualSheet{name: name, keys: []annualSheetKey{{key: total.Cells[i].Key}}})
	}
	if r.Unknown.Count > 0 {
		sheets = append(sheets, annualSheet{name: "去向不明", keys: []annualSheetKey{{key: r.Unknown.Key}}})
		link[r.Unknown.Key] = "去向不明"
	}
	if r.Voided.Count > 0 {
		sheets = append(sheets, annualSheet{name: "作废", keys: []annualSheetKey{{key: r.Voided.Key}}})
		link[r.Voided.Key] = "作废"
	}
	names := map[string]string{"classify": "定密", "changes": "变更解密", "loans": "借阅外出", "inspections": "自查"}
	for _, t := range r.Tables {
		name, own := names[t.ID]
		var keys []annualSheetKey
		for _, row := range t.Rows {
			for j, c := range row.Cells {
				if c.Key == "" {
					continue
				}
				if q, _ := url.ParseQuery(c.Key); q.Get("t") == "c" || q.Get("t") == "d" {
					f, _ := flowBySlug(q.Get("f"))
					if q.Get("t") == "d" {
						f = FlowDestroyed
					}
					link[c.Key] = byFlow[f]
					continue
				}
				link[c.Key] = name
				if own && row.Label == "合计" {
					keys = append(keys, annualSheetKey{key: c.Key, column: t.Columns[j]})
				}
			}
		}
		if own && len(keys) > 0 {
			sheets = append(sheets, annualSheet{name: name, keys: keys})
		}
	}
	return sheets, link
}

// annualDetailColumns are the columns of a sheet of lists.
var annualDetailColumns = []struct {
	title string
	width float64
}{
	{"栏目", 14}, {"序号", 7}, {"登记号", 16}, {"文号", 26}, {"题名", 44}, {"密级★期限", 16}, {"统计密级", 9},
	{"载体类型", 16}, {"日期", 12}, {"说明", 24},
}

// writeAnnual streams the workbook of the statistics to w and returns the
// lines listed.
func (s *Service) writeAnnual(d *annualData, redact bool, w io.Writer) (int, error) {
	r := d.report
	f, done, err := s.newWorkbook()
	if err != nil {
		return 0, err
	}
	defer done()
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return 0, err
	}
	head, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
	})
	if err != nil {
		return 0, err
	}
	linked, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Color: "1F5FA8", Underline: "single"}})
	if err != nil {
		return 0, err
	}
	sheets, link := r.annualSheets()
	if err := f.SetSheetName(f.GetSheetName(0), AnnualSummarySheet); err != nil {
		return 0, err
	}
	if err := writeAnnualSummary(f, r, s.OfficeName(), link, bold, head, linked); err != nil {
		return 0, err
	}
	n := 0
	for i, sh := range sheets {
		if _, err := f.NewSheet(sh.name); err != nil {
			return 0, err
		}
		sw, err := f.NewStreamWriter(sh.name)
		if err != nil {
			return 0, err
		}
		wrote, err := s.writeAnnualSheet(d, sw, sh, redact, head, i+1)
		if err != nil {
			return 0, fmt.Errorf("sheet %s: %w", sh.name, err)
		}
		n += wrote
		if err := sw.Flush(); err != nil {
			return 0, err
		}
	}
	if err := f.Write(io.Discard); err != nil {
		return 0, fmt.Errorf("write workbook: %w", err)
	}
	return n, nil
}

// writeAnnualSummary writes the sheet of the tables.
func writeAnnualSummary(f *excelize.File, r AnnualReport, office string, link map[string]string, bold, head, linked int) error {
	sh := AnnualSummarySheet
	line := 1
	set := func(col int, v any, style int) error {
		cell, err := excelize.CoordinatesToCellName(col, line)
		if err != nil {
			return err
		}
		if err := f.SetCellValue(sh, cell, v); err != nil {
			return err
		}
		if style != 0 {
			return f.SetCellStyle(sh, cell, cell, style)
		}
		return nil
	}
	text := func(s string, style int) error {
		err := set(1, s, style)
		line++
		return err
	}
	if err := text(AnnualMarking, bold); err != nil {
		return err
	}
	if err := text(fmt.Sprintf("%s%d年度涉密载体统计表", office, r.Year), bold); err != nil {
		return err
	}
	if err := text("统计期间："+r.period(), 0); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "A", "A", 22); err != nil {
		return err
	}
	if err := f.SetColWidth(sh, "B", "N", 11); err != nil {
		return err
	}
	for i, t := range r.Tables {
		line++
		if err := text(fmt.Sprintf("%d. %s", i+1, t.Title), bold); err != nil {
			return err
		}
		if err := set(1, t.Head, head); err != nil {
			return err
		}
		for j, c := range t.Columns {
			if err := set(j+2, c, head); err != nil {
				return err
			}
		}
		line++
		for _, row := range t.Rows {
			style := 0
			if row.Total {
				style = bold
			}
			if err := set(1, row.Label, style); err != nil {
				return err
			}
			for j, c := range row.Cells {
				var v any = c.Count
				if c.Text != "" {
					v = c.Text
				}
				cs := style
				if sheet := link[c.Key]; c.Key != "" && sheet != "" {
					cs = linked
				}
				if err := set(j+2, v, cs); err != nil {
					return err
				}
				if sheet := link[c.Key]; c.Key != "" && sheet != "" {
					cell, _ := excelize.CoordinatesToCellName(j+2, line)
					if err := f.SetCellHyperLink(sh, cell, "'"+sheet+"'!A1", "Location"); err != nil {
						return err
					}
				}
			}
			line++
		}
		for _, n := range t.Notes {
			if err := text(n, 0); err != nil {
				return err
			}
		}
		if i == 0 {
			for _, b := range r.Balance {
				if err := text(b, bold); err != nil {
					return err
				}
			}
		}
	}
	line++
	for _, n := range r.Notes {
		if err := text(n, 0); err != nil {
			return err
		}
	}
	return text("点击带下划线的数字，转到列出其明细的工作表；在明细表中按“统计密级”“载体类型”（或“栏目”）筛选，行数即该数字。", 0)
}

// writeAnnualSheet writes the lists of a sheet: a header, a line per
// carrier, and a line saying so when the lists were cut.
func (s *Service) writeAnnualSheet(d *annualData, sw *excelize.StreamWriter, sh annualSheet, redact bool, head, table int) (int, error) {
	cols := annualDetailColumns
	withColumn := sh.keys[0].column != ""
	if !withColumn {
		cols = cols[1:]
	}
	row := make([]any, len(cols))
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return 0, err
		}
		row[i] = excelize.Cell{StyleID: head, Value: c.title}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return 0, err
	}
	if err := sw.SetRow("A1", row, excelize.RowOpts{Height: 20}); err != nil {
		return 0, err
	}
	line, n, all := 1, 0, 0 // all: the lines of the lists, written or not
	for _, k := range sh.keys {
		// The whole list at once (at most what the sheet takes): a list
		// read in pages would walk the register from its start for each.
		hits, total, err := d.list(s, k.key, 0, max(1, MaxAnnualSheetRows-n))
		if err != nil {
			return 0, err
		}
		all += total
		if n >= MaxAnnualSheetRows {
			continue
		}
		for from := 0; from < len(hits); from += ExportPageSize {
			rows, err := s.annualRows(hits[from:min(len(hits), from+ExportPageSize)])
			if err != nil {
				return 0, err
			}
			for _, x := range rows {
				if redact {
					redactCarrier(&x.Carrier)
				}
				line++
				n++
				vals := []any{n, x.Carrier.RegNo, x.Carrier.DocNumber, x.Carrier.Title, x.Carrier.Marking(),
					x.Level.String(), string(x.Carrier.Kind), x.On, x.Note}
				if withColumn {
					vals = append([]any{k.column}, vals...)
				}
				cell, _ := excelize.CoordinatesToCellName(1, line)
				if err := sw.SetRow(cell, vals); err != nil {
					return 0, err
				}
			}
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), max(line, 2))
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: fmt.Sprintf("明细%d", table),
		StyleName: "TableStyleLight1"}); err != nil {
		return 0, err
	}
	if all > n {
		cell, _ := excelize.CoordinatesToCellName(1, line+2)
		if err := sw.SetRow(cell, []any{fmt.Sprintf("仅列出前 %d 行，共 %d 行；其余请在程序的统计页点击该数字查看。", n, all)}); err != nil {
			return 0, err
		}
	}
	return n, nil
}
