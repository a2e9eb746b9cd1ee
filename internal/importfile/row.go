package importfile

// One row of an imported register read into a registration form.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"secdoc/models"
)

// ImportProblem is one problem of one row: the row number in the file (0
// for a problem of the mapping itself), the field, the cell and what is wrong.
type ImportProblem struct {
	Line  int
	Field string // models.Field… or FieldOrigRegNo
	Label string // the field's Chinese name
	Value string // the cell as the file has it, cut short by ClipCell
	Msg   string
}

// rowReader turns the cells of one row into a registration form.
type rowReader struct {
	m     ImportMapping
	cells []string
	probs []ImportProblem
	line  int
}

// value is the cell of field, or its default.
func (r *rowReader) value(field string) string {
	v := ""
	if c, ok := r.m.Column(field); ok && c < len(r.cells) {
		v = strings.TrimSpace(r.cells[c])
	}
	if v == "" {
		v = strings.TrimSpace(r.m.Defaults[field])
	}
	return v
}

// fail notes a problem of the row's cell of field; the message quotes cells
// through ClipCell, and so does the problem.
func (r *rowReader) fail(field, value, format string, args ...any) {
	r.probs = append(r.probs, ImportProblem{Line: r.line, Field: field, Label: ImportFieldLabel(field),
		Value: ClipCell(value), Msg: fmt.Sprintf(format, args...)})
}

func (r *rowReader) failed(field string) bool {
	for _, p := range r.probs {
		if p.Field == field {
			return true
		}
	}
	return false
}

// kindNames maps the names registers give carrier kinds to ours.
var kindNames = map[string]models.CarrierKind{
	"纸质文件": models.KindPaper, "纸质": models.KindPaper, "纸介质": models.KindPaper, "纸件": models.KindPaper,
	"纸质载体": models.KindPaper, "纸质文档": models.KindPaper, "纸": models.KindPaper, "文件": models.KindPaper,
	"密码电报": models.KindCipherTel, "密电": models.KindCipherTel, "密码电": models.KindCipherTel,
	"明电": models.KindPlainTel, "明码电报": models.KindPlainTel, "电报": models.KindPlainTel,
	"光盘": models.KindDisc, "光碟": models.KindDisc, "cd": models.KindDisc, "dvd": models.KindDisc, "磁盘光盘": models.KindDisc,
	"u盘/移动存储介质": models.KindUSB, "u盘": models.KindUSB, "优盘": models.KindUSB, "移动存储介质": models.KindUSB,
	"移动存储": models.KindUSB, "移动硬盘": models.KindUSB, "存储介质": models.KindUSB, "磁介质": models.KindUSB,
	"笔记本": models.KindNotebook, "涉密笔记本": models.KindNotebook,
	"其他": models.KindOther, "其它": models.KindOther,
}

// ParseCarrierKind reads a carrier kind as registers write it: ours, or a
// synonym (纸介质 → 纸质文件, U盘 → U盘/移动存储介质, 密电 → 密码电报).
func ParseCarrierKind(s string) (models.CarrierKind, bool) {
	k, ok := kindNames[strings.ToLower(strings.ReplaceAll(models.NormalizeWidth(strings.TrimSpace(s)), " ", ""))]
	return k, ok
}

// ParseUrgency reads 缓急: blank, 普通, 平件 or 一般; 加急 or 急件; 特急.
func ParseUrgency(s string) (models.Urgency, bool) {
	switch strings.TrimSpace(s) {
	case "", "普通", "平件", "一般", "平", "无", "否", "-":
		return models.UrgencyNormal, true
	case "加急", "急件", "急", "紧急":
		return models.UrgencyUrgent, true
	case "特急", "特急件":
		return models.UrgencyExtreme, true
	}
	return models.UrgencyNormal, false
}

// ParseDirection reads 收发类别.
func ParseDirection(s string) (models.Direction, bool) {
	switch strings.TrimSpace(s) {
	case "", "收文", "收", "来文", "收件":
		return models.DirIncoming, true
	case "发文", "发", "自产", "发文/自产", "发文自产", "发件":
		return models.DirOutgoing, true
	}
	return models.DirIncoming, false
}

// readTerm reads a 保密期限 cell: an Excel date serial, or a term as
// models.ParseTerm reads it.
func readTerm(s string) (models.Term, bool) {
	if d, ok := excelDate(strings.TrimSpace(s)); ok {
		return models.Term{Kind: models.TermUntil, Until: d}, true
	}
	return models.ParseTerm(stripTime(s))
}

// setTerm puts a term into the form's text fields.
func setTerm(f *models.CarrierForm, t models.Term) {
	f.TermKind = t.Kind
	if f.TermKind == "" {
		f.TermKind = models.TermDefault
	}
	f.TermYears, f.TermMonths, f.TermUntil, f.TermCondition = "", "", t.Until, t.Condition
	switch t.Kind {
	case models.TermYears:
		f.TermYears = strconv.Itoa(t.Years)
	case models.TermMonths:
		f.TermMonths = strconv.Itoa(t.Months)
	}
}

// termWords is a term as a problem message names it.
func termWords(t models.Term) string {
	if t.Kind == models.TermDefault || t.Kind == "" {
		return "未标注期限"
	}
	return models.TermText(models.LevelSecret, t)
}

// excelDate reads an Excel date serial (a date cell read raw): five digits,
// possibly with a time fraction, 10000 to 99999 (1927 to 2173).
func excelDate(s string) (string, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if len(whole) != 5 || !isDigitString(whole) || (frac != "" && !isDigitString(frac)) {
		return "", false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "", false
	}
	t, err := excelize.ExcelDateToTime(v, false)
	if err != nil {
		return "", false
	}
	return t.Format(models.DateLayout), true
}

// stripTime drops a time of day after a date: 2026-03-05 10:30 → 2026-03-05.
func stripTime(s string) string {
	if d, t, ok := strings.Cut(strings.TrimSpace(s), " "); ok && strings.Contains(t, ":") {
		return d
	}
	return s
}

// readDate is a date cell as the form takes it.
func readDate(s string) string {
	if d, ok := excelDate(s); ok {
		return d
	}
	return stripTime(s)
}

// readNumber is a count cell as the form takes it: 6.0 → 6, 6页 → 6.
func readNumber(s string) string {
	s = strings.TrimSpace(models.NormalizeWidth(s))
	n := s
	for _, unit := range []string{"页", "份", "张", "个", "件", "册", "盘", "本", "号"} {
		n = strings.TrimSpace(strings.TrimSuffix(n, unit))
	}
	if whole, frac, ok := strings.Cut(n, "."); ok && isDigitString(whole) && isDigitString(frac+"0") && strings.Trim(frac, "0") == "" {
		n = whole
	}
	if isDigitString(n) {
		return n
	}
	return s
}

// isLevelName reports whether s is a level alone (机密, 机密级), as a
// 保密期限 column may hold for a blank term.
func isLevelName(s string) bool {
	_, ok := models.ParseLevel(strings.TrimSuffix(strings.TrimSpace(models.NormalizeWidth(s)), "级"))
	return ok
}

// form reads the row into a registration form, noting what can't be read.
func (r *rowReader) form() models.CarrierForm {
	var f models.CarrierForm
	dv := r.value(models.FieldDirection)
	d, ok := ParseDirection(dv)
	if !ok {
		r.fail(models.FieldDirection, dv, "收发类别“%s”只能是收文或发文", ClipCell(dv))
	}
	f.Direction = d
	f.RegDate = readDate(r.value(models.FieldRegDate))
	f.DocDate = readDate(r.value(models.FieldDocDate))
	f.DocNumber = r.value(models.FieldDocNumber)
	f.Title = r.value(models.FieldTitle)
	f.Issuer = r.value(models.FieldIssuer)
	f.DocKind = r.value(models.FieldDocKind)

	lv := r.value(models.FieldLevel)
	level, term, hasTerm, ok := models.ParseMarking(lv)
	switch {
	case lv == "":
		r.fail(models.FieldLevel, lv, "请填写密级（绝密、机密、秘密、内部或非密）")
	case level == models.LevelNone:
		r.fail(models.FieldLevel, lv, "密级“%s”无法识别：只能是绝密、机密、秘密、内部或非密，国家秘密可带期限，如“机密★10年”", ClipCell(lv))
	case !ok && !level.IsStateSecret():
		r.fail(models.FieldLevel, lv, "“%s”：内部和非密文件不标★和保密期限", ClipCell(lv))
	case !ok:
		r.fail(models.FieldLevel, lv, "“%s”的保密期限无法识别：应为年限（机密★10年）、月数（秘密★6个月）、日期（机密★2030年6月30日）、解密条件（机密★会议开始前）或长期", ClipCell(lv))
	}
	f.Level = level
	if tv := r.value(models.FieldTerm); tv != "" {
		var t models.Term
		var tok bool
		if strings.ContainsAny(models.NormalizeWidth(tv), "★☆*") || isLevelName(tv) {
			tl, tt, _, okm := models.ParseMarking(tv)
			switch {
			case tl == models.LevelNone || !okm:
				r.fail(models.FieldTerm, tv, "保密期限“%s”无法识别：应为年限（10年）、月数（6个月）、日期（2030-06-30）、解密条件或长期，未标注的留空", ClipCell(tv))
			case level != models.LevelNone && tl != level:
				r.fail(models.FieldTerm, tv, "保密期限栏的“%s”与密级栏的“%s”密级不一致，请核对", ClipCell(tv), ClipCell(lv))
			}
			t, tok = tt, okm && tl != models.LevelNone
		} else {
			t, tok = readTerm(tv)
			if !tok {
				r.fail(models.FieldTerm, tv, "保密期限“%s”无法识别：应为年限（10年）、月数（6个月）、日期（2030-06-30）、解密条件或长期，未标注的留空", ClipCell(tv))
			}
		}
		if tok && hasTerm && ok && t != term {
			r.fail(models.FieldTerm, tv, "密级栏的期限（%s）与保密期限栏（%s）不一致，请核对",
				ClipCell(termWords(term)), ClipCell(termWords(t)))
		}
		if tok {
			term = t
		}
	}
	setTerm(&f, term)

	// 份号 may be one number, a range or a list (R22): the form reads it.
	f.CopyNo = r.value(models.FieldCopyNo)
	if n := readNumber(f.CopyNo); isDigitString(n) {
		f.CopyNo = n
	}
	f.Copies = readNumber(r.value(models.FieldCopies))
	f.Pages = readNumber(r.value(models.FieldPages))

	uv := r.value(models.FieldUrgency)
	u, ok := ParseUrgency(uv)
	if !ok {
		r.fail(models.FieldUrgency, uv, "缓急“%s”只能是普通、加急或特急", ClipCell(uv))
	}
	f.Urgency = u
	kv := r.value(models.FieldKind)
	if kv != "" {
		k, ok := ParseCarrierKind(kv)
		if !ok {
			names := make([]string, len(models.CarrierKinds))
			for i, k := range models.CarrierKinds {
				names[i] = string(k)
			}
			r.fail(models.FieldKind, kv, "载体类型“%s”无法识别：应为%s之一", ClipCell(kv), strings.Join(names, "、"))
		}
		f.Kind = k
	} else {
		r.fail(models.FieldKind, kv, "请填写载体类型")
	}
	f.NeedToKnow = r.value(models.FieldNeedToKnow)
	f.Location = r.value(models.FieldLocation)
	f.Custodian = r.value(models.FieldCustodian)
	f.Deadline = readDate(r.value(models.FieldDeadline))
	f.Remarks = r.value(models.FieldRemarks)
	if old := r.value(FieldOrigRegNo); old != "" {
		note := "原登记号：" + old
		if f.Remarks != "" {
			f.Remarks += "；" + note
		} else {
			f.Remarks = note
		}
	}
	return f
}

// PreviewCell is a cell as the mapping step shows it: a date cell of a date
// field as a date (Excel stores 2026-11-02 as 46328), anything else as is,
// cut short by ClipCell.
func PreviewCell(field, cell string) string {
	return ClipCell(previewCell(field, cell))
}

// previewCell is PreviewCell whole.
func previewCell(field, cell string) string {
	if field == models.FieldRegDate || field == models.FieldDocDate || field == models.FieldDeadline || field == models.FieldTerm {
		if d, ok := excelDate(strings.TrimSpace(cell)); ok {
			return d
		}
	}
	return cell
}

// cellOf is what the file says for a field named in a validation error.
func (r *rowReader) cellOf(field string) string {
	switch field {
	case models.FieldTermYears, models.FieldTermUntil, models.FieldTermCondition, models.FieldTerm:
		if v := r.value(models.FieldTerm); v != "" {
			return previewCell(models.FieldTerm, v)
		}
		return r.value(models.FieldLevel)
	}
	return previewCell(field, r.value(field))
}

// ReadRow reads one row of the file through the mapping m into a
// registration form, checks the form as of today, and lists the row's
// problems: the cells that can't be read, then what the form's check
// refuses that the cells' own messages don't already say. err is an
// error of the check itself, not of the row.
func ReadRow(m ImportMapping, row ImportRow, today time.Time) (models.CarrierForm, models.CarrierFields, []ImportProblem, error) {
	r := rowReader{m: m, cells: row.Cells, line: row.Line}
	f := r.form()
	c, err := f.Check(today)
	if v, ok := models.AsValidation(err); ok {
		var echoes []string // the form's long texts, when a message may quote one
		for _, fe := range v.Fields {
			field := fe.Field
			switch field {
			case models.FieldTermYears, models.FieldTermMonths, models.FieldTermUntil, models.FieldTermCondition:
				field = models.FieldTerm
			}
			if r.failed(field) {
				continue // the reader's message about the cell says it better
			}
			if echoes == nil {
				echoes = formEchoes(f)
			}
			r.probs = append(r.probs, ImportProblem{Line: row.Line, Field: field, Label: ImportFieldLabel(field),
				Value: ClipCell(r.cellOf(fe.Field)), Msg: clipEchoes(fe.Msg, echoes)})
		}
	} else if err != nil {
		return f, c, nil, err
	}
	return f, c, r.probs, nil
}
