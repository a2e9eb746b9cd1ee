package app

// Excel: an existing register (Excel or CSV, read in excel_read.go, mapped in
// excel_mapping.go, each row made a form in excel_row.go) checked in a dry run that lists every row's
// problems, then imported in one transaction. The export is in excel_export.go.

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"gorm.io/gorm"

	"secdoc/internal/importfile"
	"secdoc/models"
)

// ImportReport is what a dry run or an import found.
type ImportReport struct {
	File     string
	Sheet    string
	Rows     int // data rows read
	Carriers int // carriers the rows register (份数 summed)
	BadRows  int // rows with at least one problem
	// Problems lists every problem of every row, by row; nothing is
	// written while there is one.
	Problems []ImportProblem
}

// OK reports whether the rows can be imported as they are.
func (r ImportReport) OK() bool { return len(r.Problems) == 0 }

// ErrImportProblems is an import refused because rows have problems; the
// report lists them.
var ErrImportProblems = errors.New("import rows have problems")

// ErrImportEmpty is a file with no data rows.
var ErrImportEmpty = errors.New("import file has no data rows")

// ImportDryRun reads every row of t into a registration form by m and checks
// it as registration would (every field, with the form's Chinese messages),
// then checks 文号+份号 against the register and against the other rows of
// the file. It lists every problem of every row and writes nothing. Only the
// clerk may (R18).
func (s *Service) ImportDryRun(sess *Session, t *ImportTable, m ImportMapping) (_ ImportReport, err error) {
	defer s.refused(sess, "ImportDryRun", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return ImportReport{}, err
	}
	rep, _, _, _, err := s.checkImport(t, m)
	return rep, err
}

// Import registers every row of t in ONE transaction: all of them or none.
// It runs the dry run first and refuses, writing nothing, while any row has a
// problem (ErrImportProblems, with the report). If the register changed since
// and a row's 文号+份号 is taken meanwhile, nothing is written and the
// *RowError names the row by its number in the file. The rows are written
// in batches (bulkregister.go), each sealed by an audit record of its own;
// progress, if not nil, is called after each batch with the rows written.
// The import, its file, rows and outcome are audited.
func (s *Service) Import(sess *Session, t *ImportTable, m ImportMapping, progress func(done, total int)) (_ ImportReport, err error) {
	defer s.refused(sess, "Import", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return ImportReport{}, err
	}
	rep, forms, checked, lines, err := s.checkImport(t, m)
	where := t.Name
	if t.Sheet != "" {
		where += "（工作表 " + t.Sheet + "）"
	}
	if err != nil {
		if errors.Is(err, ErrImportEmpty) {
			s.auditAlone(sess, models.EventImport, t.Name, false, "导入 "+where+"：没有数据行，未写入")
		}
		return rep, err
	}
	if !rep.OK() {
		s.auditAlone(sess, models.EventImport, t.Name, false, fmt.Sprintf("导入 %s：%d 行中 %d 行有问题（共 %d 处），未写入",
			where, rep.Rows, rep.BadRows, len(rep.Problems)))
		return rep, ErrImportProblems
	}
	if beforeImportWrite != nil {
		beforeImportWrite()
	}
	n, err := s.registerChecked(sess, checked, t.Name, progress, func(tx *gorm.DB, n int) error {
		return s.audit(tx, sess, models.EventImport, t.Name, true,
			fmt.Sprintf("导入 %s：%d 行，登记 %d 件", where, len(forms), n))
	})
	if err != nil {
		var re *RowError
		if errors.As(err, &re) && re.Row >= 1 && re.Row <= len(lines) {
			err = &RowError{Row: lines[re.Row-1], Err: importfile.ClipError(re.Err, forms[re.Row-1])}
		}
		s.auditAlone(sess, models.EventImport, t.Name, false, fmt.Sprintf("导入 %s 失败，未写入：%v", where, err))
		return rep, &refusalError{err} // recorded: once is enough
	}
	rep.Carriers = n
	return rep, nil
}

// beforeImportWrite, when a test sets it, runs between an import's dry run
// and its transaction: where another registration can slip in.
var beforeImportWrite func()

// checkImport is the dry run: the report, and the forms of the rows as read
// and as checked, with their line numbers.
func (s *Service) checkImport(t *ImportTable, m ImportMapping) (ImportReport, []models.CarrierForm, []models.CarrierFields, []int, error) {
	rep := ImportReport{File: t.Name, Sheet: t.Sheet, Rows: len(t.Rows)}
	if len(t.Rows) == 0 {
		return rep, nil, nil, nil, ErrImportEmpty
	}
	if probs := mappingProblems(m); len(probs) > 0 {
		rep.Problems = probs
		return rep, nil, nil, nil, nil
	}
	today := s.today()
	forms := make([]models.CarrierForm, len(t.Rows))
	lines := make([]int, len(t.Rows))
	checked := make([]models.CarrierFields, len(t.Rows))
	probs := make([][]ImportProblem, len(t.Rows))
	for i, row := range t.Rows {
		f, c, rowProbs, err := importfile.ReadRow(m, row, today)
		if err != nil {
			return rep, nil, nil, nil, err
		}
		forms[i], lines[i], checked[i], probs[i] = f, row.Line, c, rowProbs
		if len(rowProbs) == 0 {
			rep.Carriers += c.Copies
		}
	}
	if err := s.duplicateProblems(t, checked, probs); err != nil {
		return rep, nil, nil, nil, err
	}
	for i := range probs {
		if len(probs[i]) > 0 {
			rep.BadRows++
			rep.Problems = append(rep.Problems, probs[i]...)
		}
	}
	return rep, forms, checked, lines, nil
}

// mappingProblems are the required fields that come from neither a column
// nor a default.
func mappingProblems(m ImportMapping) []ImportProblem {
	var out []ImportProblem
	has := func(key string) bool {
		_, col := m.Column(key)
		return col || strings.TrimSpace(m.Defaults[key]) != ""
	}
	for _, f := range ImportFields {
		if f.Required && !has(f.Key) {
			out = append(out, ImportProblem{Field: f.Key, Label: f.Label,
				Msg: fmt.Sprintf("没有对应“%s”的一栏：请指明文件里哪一栏是%s，或给出默认值", f.Label, f.Label)})
		}
	}
	if d, _ := importfile.ParseDirection(m.Defaults[models.FieldDirection]); d == models.DirIncoming && !has(models.FieldIssuer) {
		_, dirCol := m.Column(models.FieldDirection)
		if !dirCol {
			out = append(out, ImportProblem{Field: models.FieldIssuer, Label: "来文单位",
				Msg: "没有对应“来文单位”的一栏：收文须填写来文单位，请指明文件里哪一栏是来文单位（如“制作发文单位”），或给出默认值"})
		}
	}
	return out
}

// numberedCopy is one 份号 a row of the file registers.
type numberedCopy struct{ row, no int }

// duplicateProblems adds a problem to every row a 文号+份号 of which is
// already registered, or is also registered by an earlier row of the file.
// Copies without a 份号 are never duplicates (R22).
func (s *Service) duplicateProblems(t *ImportTable, checked []models.CarrierFields, probs [][]ImportProblem) error {
	byDoc := map[string][]numberedCopy{}
	for i, c := range checked {
		if c.DocNumber == "" {
			continue
		}
		for _, n := range c.CopyNos {
			if n > 0 {
				byDoc[c.DocNumber] = append(byDoc[c.DocNumber], numberedCopy{row: i, no: n})
			}
		}
	}
	flagged := map[int]bool{}
	add := func(i int, msg string) {
		if flagged[i] {
			return
		}
		flagged[i] = true
		probs[i] = append(probs[i], ImportProblem{Line: t.Rows[i].Line, Field: models.FieldCopyNo,
			Label: ImportFieldLabel(models.FieldCopyNo), Value: models.FormatCopyNos(checked[i].CopyNos), Msg: msg})
	}
	// Within the file: the first row to name a 份号 has it.
	docs := make([]string, 0, len(byDoc))
	for d, cs := range byDoc {
		docs = append(docs, d)
		first := make(map[int]int, len(cs))
		for _, c := range cs {
			if r, ok := first[c.no]; ok && r != c.row {
				add(c.row, fmt.Sprintf("文号“%s”的份号 %s 与第 %d 行重复：同一文号的每个份号只能登记一次",
					ClipCell(d), models.FormatCopyNo(c.no), t.Rows[r].Line))
			} else if !ok {
				first[c.no] = c.row
			}
		}
	}
	// Against the register: read the living numbered copies of these 文号, a chunk at a time.
	sort.Strings(docs)
	const chunk = 400
	for lo := 0; lo < len(docs); lo += chunk {
		part := docs[lo:min(lo+chunk, len(docs))]
		args := make([]any, len(part))
		for i, d := range part {
			args[i] = d
		}
		var hits []struct {
			DocNumber string
			CopyNo    int
			RegNo     string
		}
		// The conditions of the partial unique index are written out
		// literally, so that SQLite uses it (see checkDuplicateCopies).
		err := s.db.Raw(`SELECT doc_number, copy_no, reg_no FROM carriers
			WHERE doc_number IN (`+placeholders(len(part))+`) AND doc_number <> '' AND copy_no > 0 AND is_copy = 0 AND state <> '`+
			string(models.StateVoided)+`'`, args...).Scan(&hits).Error
		if err != nil {
			return fmt.Errorf("check duplicate copies: %w", err)
		}
		regNo := map[string]map[int]string{}
		for _, h := range hits {
			if regNo[h.DocNumber] == nil {
				regNo[h.DocNumber] = map[int]string{}
			}
			regNo[h.DocNumber][h.CopyNo] = h.RegNo
		}
		for _, d := range part {
			held := regNo[d]
			if len(held) == 0 {
				continue
			}
			for _, c := range byDoc[d] {
				if r, ok := held[c.no]; ok {
					add(c.row, fmt.Sprintf("文号“%s”的份号 %s 已经登记过（登记号 %s）：请核对份号；如原登记有误，请先作废原登记",
						ClipCell(d), models.FormatCopyNo(c.no), r))
				}
			}
		}
	}
	// Keep each row's problems in the order of the fields.
	order := map[string]int{}
	for i, f := range ImportFields {
		order[f.Key] = i
	}
	for i := range probs {
		if len(probs[i]) > 1 {
			sort.SliceStable(probs[i], func(a, b int) bool { return order[probs[i][a].Field] < order[probs[i][b].Field] })
		}
	}
	return nil
}
