package app

// The ledger exported to .xlsx, a page at a time.

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"

	"secdoc/app/backup"
	"secdoc/models"
)

// ExportPageSize is how many carriers one read of an export brings: the
// rows of a page are written out while the next is read (export_rows.go),
// so a register of any size never sits in memory.
const ExportPageSize = 5000

// exportPageSize is ExportPageSize; tests make it small.
var exportPageSize = ExportPageSize

// ExportSheet is the name of the exported worksheet.
const ExportSheet = "涉密文件登记簿"

// exportColumn is one column of the exported register.
type exportColumn struct {
	title string
	width float64 // in Excel's character widths
	text  bool    // a text column: stays text when edited in Excel (份号 keeps its zeros)
	value func(c *models.Carrier) any
}

// exportColumns are the register's columns (R12), in the order of the file.
// Each row is one carrier, that is one copy: its 份数 is 1, so that the file
// can be imported again without doubling copies.
var exportColumns = []exportColumn{
	{"登记号", 16, true, func(c *models.Carrier) any { return c.RegNo }},
	{"收文日期", 12, true, func(c *models.Carrier) any { return c.RegDate }},
	{"成文日期", 12, true, func(c *models.Carrier) any { return c.DocDate }},
	{"文号", 26, true, func(c *models.Carrier) any { return c.DocNumber }},
	{"份号", 9, true, func(c *models.Carrier) any { return c.CopyNoText() }},
	{"题名", 48, false, func(c *models.Carrier) any { return c.Title }},
	{"来文单位", 24, false, func(c *models.Carrier) any { return c.Issuer }},
	{"文种", 8, false, func(c *models.Carrier) any { return c.DocKind }},
	{"密级", 7, false, func(c *models.Carrier) any { return c.Level.String() }},
	{"保密期限", 22, false, func(c *models.Carrier) any { return models.TermText(c.Level, c.Term()) }},
	{"届满日期", 12, true, expiryCell},
	{"份数", 6, false, func(c *models.Carrier) any { return 1 }},
	{"页数或容量", 8, false, func(c *models.Carrier) any {
		switch {
		case c.Capacity != "":
			return c.Capacity
		case c.Pages == 0:
			return nil
		}
		return c.Pages
	}},
	{"缓急", 6, false, func(c *models.Carrier) any { return c.Urgency.String() }},
	{"载体类型", 16, false, func(c *models.Carrier) any { return string(c.Kind) }},
	{"知悉范围", 24, false, func(c *models.Carrier) any { return c.NeedToKnow }},
	{"存放位置", 16, false, func(c *models.Carrier) any { return c.Location }},
	{"责任人", 9, false, func(c *models.Carrier) any { return c.Custodian }},
	{"状态", 9, false, func(c *models.Carrier) any { return c.State.String() }},
	{"办理时限", 12, true, func(c *models.Carrier) any { return c.Deadline }},
	{"备注", 30, false, func(c *models.Carrier) any { return c.Remarks }},
	{"收发类别", 10, false, func(c *models.Carrier) any { return c.Direction.String() }},
}

// expiryCell is the day a term ends (R20), with （按收文日期） when it counts
// from the 收文日期 because the 成文日期 is not recorded; blank for a
// condition, 长期, 内部 and 非密. A file read back ignores it: the expiry is
// computed, never stored.
func expiryCell(c *models.Carrier) any {
	d, ok := models.TermExpiry(*c)
	if !ok {
		return ""
	}
	out := d.Format(models.DateLayout)
	if _, fallback := c.TermStart(); fallback {
		out += "（按收文日期）"
	}
	return out
}

// ExportColumns lists the titles of the exported register's columns.
func ExportColumns() []string {
	out := make([]string, len(exportColumns))
	for i, c := range exportColumns {
		out[i] = c.title
	}
	return out
}

// Describe says in Chinese what the query selects, for the audit trail and
// the clerk: 密级 机密，状态 在册，年份 2026，关键词“通知”.
func (q Query) Describe() string {
	var parts []string
	if len(q.Levels) > 0 {
		names := make([]string, len(q.Levels))
		for i, l := range q.Levels {
			names[i] = l.String()
		}
		parts = append(parts, "密级 "+strings.Join(names, "、"))
	}
	if len(q.States) > 0 {
		if sameStates(q.States, models.HeldStates) {
			parts = append(parts, "状态 在册")
		} else {
			names := make([]string, len(q.States))
			for i, s := range q.States {
				names[i] = s.String()
			}
			parts = append(parts, "状态 "+strings.Join(names, "、"))
		}
	}
	if len(q.Kinds) > 0 {
		names := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			names[i] = string(k)
		}
		parts = append(parts, "载体类型 "+strings.Join(names, "、"))
	}
	if q.Direction != "" {
		parts = append(parts, q.Direction.String())
	}
	if q.Year > 0 {
		parts = append(parts, fmt.Sprintf("年份 %d", q.Year))
	}
	switch {
	case q.From != "" && q.To != "":
		parts = append(parts, fmt.Sprintf("收文日期 %s 至 %s", q.From, q.To))
	case q.From != "":
		parts = append(parts, "收文日期 "+q.From+" 起")
	case q.To != "":
		parts = append(parts, "收文日期至 "+q.To)
	}
	if q.Issuer != "" {
		parts = append(parts, "来文单位 "+q.Issuer)
	}
	if k := strings.TrimSpace(q.Keyword); k != "" {
		parts = append(parts, "关键词“"+k+"”")
	}
	if len(parts) == 0 {
		return "全部登记"
	}
	return strings.Join(parts, "，")
}

func sameStates(a, b []models.State) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[models.State]bool{}
	for _, s := range a {
		seen[s] = true
	}
	for _, s := range b {
		if !seen[s] {
			return false
		}
	}
	return true
}

// ExportLedger writes the carriers q selects, in q's order, to w as an
// Excel workbook: a bold, frozen header row, the register's columns with
// their widths, dates and 份号 as text. Rows are read ExportPageSize at a
// time and streamed to the sheet. Only the clerk may (R18); the export, its
// filter and its row count are audited. progress, if not nil, is called
// after each page.
func (s *Service) ExportLedger(sess *Session, q Query, w io.Writer, progress func(done, total int)) (_ int, err error) {
	defer s.refused(sess, "ExportLedger", "", &err)
	return s.exportAudited(sess, q, "Excel", progress, func(write func(io.Writer) (int, error)) (int, error) {
		return write(w)
	})
}

// ExportLedgerFile is ExportLedger to the file at path. The workbook is
// written to a temporary file beside it and renamed over path only when
// complete, so a failed export never leaves a half-written file.
func (s *Service) ExportLedgerFile(sess *Session, q Query, path string, progress func(done, total int)) (_ int, err error) {
	defer s.refused(sess, "ExportLedgerFile", path, &err)
	return s.exportAudited(sess, q, filepath.Base(path), progress, func(write func(io.Writer) (int, error)) (int, error) {
		return writeFileAtomic(path, write)
	})
}

// exportAudited checks the role, runs the export through out and audits it.
func (s *Service) exportAudited(sess *Session, q Query, object string, progress func(done, total int),
	out func(write func(io.Writer) (int, error)) (int, error)) (int, error) {
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return 0, err
	}
	n, err := out(func(w io.Writer) (int, error) { return s.writeLedger(sess, q, w, progress) })
	if err != nil {
		s.auditAlone(sess, models.EventExport, object, false,
			fmt.Sprintf("导出台账 Excel（%s）失败：%v", q.Describe(), err))
		return 0, err
	}
	return n, s.auditAlone(sess, models.EventExport, object, true,
		fmt.Sprintf("导出台账 Excel（%s），共 %d 件", q.Describe(), n))
}

// newWorkbook is a new workbook whose sheets, once past 16 MB, spill into
// a work folder of their own beside the database, the owner's only
// (backup.TempDir), instead of the system's temporary folder, where a
// program killed while writing would leave a plaintext part of the
// register that nothing looks for; CleanLeftovers removes the folder at the
// next opening. done closes the workbook and removes the folder.
func (s *Service) newWorkbook() (f *excelize.File, done func(), err error) {
	dir, err := backup.TempDir(s.path, backup.TempWorkbook)
	if err != nil {
		return nil, nil, fmt.Errorf("work folder for the workbook: %w", err)
	}
	f = excelize.NewFile(excelize.Options{TmpDir: dir})
	return f, func() {
		f.Close()
		os.RemoveAll(dir)
	}, nil
}

// writeFileAtomic writes path through a temporary file in its folder.
func writeFileAtomic(path string, write func(io.Writer) (int, error)) (int, error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return 0, fmt.Errorf("create export file in %s: %w", dir, err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	n, err := write(tmp)
	if err != nil {
		return 0, err
	}
	if err := tmp.Sync(); err != nil {
		return 0, fmt.Errorf("write export file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return 0, fmt.Errorf("write export file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		done = true
		return 0, fmt.Errorf("save export file %s: %w", path, err)
	}
	done = true
	return n, nil
}

// sheetStyles adds the styles of an exported sheet to f: its header row's
// (bold and shaded, ruled below) and its text columns' (Excel's text
// format, so that a 份号 keeps its zeros when edited).
func sheetStyles(f *excelize.File) (head, text int, err error) {
	head, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9D9D9"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"},
		Border:    []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}},
	})
	if err != nil {
		return 0, 0, err
	}
	textFmt := "@"
	text, err = f.NewStyle(&excelize.Style{CustomNumFmt: &textFmt})
	return head, text, err
}

// sheetRows is how many carriers one worksheet takes: Excel's limit of
// rows less the header. A larger export continues on further sheets.
var sheetRows = excelize.TotalRows - 1

// writeLedger streams the workbook to w: rows are read a page at a time, by
// keyset, and each row's XML is compressed straight into w as it is made
// (sheetWriter), so neither the rows nor the file sit in memory or in a
// temporary file.
func (s *Service) writeLedger(sess *Session, q Query, w io.Writer, progress func(done, total int)) (int, error) {
	total, err := s.Count(sess, q)
	if err != nil {
		return 0, err
	}
	sw, err := newSheetWriter(w, exportColumns)
	if err != nil {
		return 0, err
	}
	newSheet := func() error {
		name := ExportSheet
		if n := len(sw.sheets) + 1; n > 1 {
			name = fmt.Sprintf("%s（%d）", ExportSheet, n)
		}
		return sw.newSheet(name)
	}
	if err := newSheet(); err != nil {
		return 0, err
	}
	// The pages are read, and their cells made, in a goroutine of their own
	// while the rows of the page before are written: on two cores the
	// reading costs no time.
	ctx, cancel := context.WithCancel(s.ctx)
	defer cancel()
	pages := make(chan [][]any, 2)
	readErr := make(chan error, 1)
	go func() {
		defer close(pages)
		readErr <- s.eachExportPage(ctx, q, exportPageSize, func(page []models.Carrier) error {
			rows := make([][]any, len(page))
			cells := make([]any, len(page)*len(exportColumns))
			for i := range page {
				r := cells[i*len(exportColumns) : (i+1)*len(exportColumns)]
				for j, col := range exportColumns {
					v := col.value(&page[i])
					if t, ok := v.(string); ok && t == "" {
						v = nil // no cell at all: it reads back as blank all the same
					}
					r[j] = v
				}
				rows[i] = r
			}
			select {
			case pages <- rows:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	n := 0
	for page := range pages {
		for _, r := range page {
			if sw.line > sheetRows { // the header and sheetRows rows
				if err := newSheet(); err != nil {
					return 0, err
				}
			}
			if err := sw.row(r); err != nil {
				return 0, fmt.Errorf("write row %d: %w", sw.line, err)
			}
			n++
		}
		if progress != nil {
			progress(n, max(n, int(total)))
		}
	}
	if err := <-readErr; err != nil {
		return 0, err
	}
	if err := sw.close(); err != nil {
		return 0, fmt.Errorf("write workbook: %w", err)
	}
	return n, nil
}
