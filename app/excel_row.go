package app

// One row of an imported register read into a registration form.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"secdoc/models"
)

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

// parseDirection reads 收发类别.
func parseDirection(s string) (models.Direction, bool) {
	switch strings.TrimSpace(s) {
	case "", "收文", "收", "来文", "收件":
		return models.DirIncoming, true
	case "发文", "发", "自产", "发文/自产", "发文自产", "发件":
		return models.DirOutgoing, true
	}
	return models.DirIncoming, false
}

// termSpec is a secrecy term as read from a file, in the form's text fields.
type termSpec struct {
	kind                   models.TermKind
	years, until, condText string
}

func (t termSpec) String() string {
	switch t.kind {
	case models.TermYears:
		return t.years + "年"
	case models.TermUntil:
		return t.until
	case models.TermCondition:
		return "解密条件：" + t.condText
	}
	return "法定最长期限"
}

// parseTerm reads the part of a mark after ★, or a 保密期限 cell: 10年, 10,
// 2030-06-30, 2030年6月30日, 解密条件：…; blank is the statutory maximum.
func parseTerm(s string) (termSpec, bool) {
	s = strings.TrimSpace(models.NormalizeWidth(s))
	if s == "" {
		return termSpec{kind: models.TermDefault}, true
	}
	for _, p := range []string{"解密条件", "条件"} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			rest = strings.TrimSpace(strings.TrimLeft(rest, ":：是为 "))
			return termSpec{kind: models.TermCondition, condText: rest}, rest != ""
		}
	}
	if y := strings.TrimSpace(strings.TrimSuffix(s, "年")); isDigitString(y) && len(y) <= 3 {
		return termSpec{kind: models.TermYears, years: y}, true
	}
	if d, ok := excelDate(s); ok {
		return termSpec{kind: models.TermUntil, until: d}, true
	}
	if d, err := models.ParseDate(stripTime(s)); err == nil {
		return termSpec{kind: models.TermUntil, until: d.Format(models.DateLayout)}, true
	}
	return termSpec{}, false
}

// parseMarking reads a level as registers write it, alone or with its term:
// 机密, 机密级, 机密★, 机密★10年, 机密★2030年6月30日, 机密★解密条件：…;
// hasTerm says whether the cell carried a term.
func parseMarking(s string) (level models.Level, term termSpec, hasTerm, ok bool) {
	s = strings.ReplaceAll(strings.TrimSpace(models.NormalizeWidth(s)), " ", "")
	name, rest, star := s, "", false
	for _, sep := range []string{"★", "☆", "*"} {
		if a, b, found := strings.Cut(s, sep); found {
			name, rest, star = a, b, true
			break
		}
	}
	name = strings.TrimSuffix(name, "级")
	level, ok = models.ParseLevel(name)
	if !ok {
		return models.LevelNone, termSpec{}, false, false
	}
	if !star || rest == "" {
		return level, termSpec{kind: models.TermDefault}, false, true
	}
	term, ok = parseTerm(rest)
	return level, term, true, ok
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

// readCopyNos reads a 份号 cell: one number (000001), or a range of
// copies (1-3, 000001～000003, 1至3) or a list of consecutive ones (1、2、3).
func readCopyNos(s string) (first, n string, ok bool) {
	s = strings.TrimSpace(models.NormalizeWidth(s))
	if s == "" {
		return "", "", true
	}
	for _, sep := range []string{"-", "~", "～", "—", "－", "至", "到"} {
		if a, b, found := strings.Cut(s, sep); found {
			x, err1 := strconv.Atoi(readNumber(a))
			y, err2 := strconv.Atoi(readNumber(b))
			if err1 != nil || err2 != nil || y < x {
				return "", "", false
			}
			return strconv.Itoa(x), strconv.Itoa(y - x + 1), true
		}
	}
	if parts := strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == ',' || r == '，' || r == ' ' }); len(parts) > 1 {
		var nums []int
		for _, p := range parts {
			v, err := strconv.Atoi(readNumber(p))
			if err != nil {
				return "", "", false
			}
			nums = append(nums, v)
		}
		for i := 1; i < len(nums); i++ {
			if nums[i] != nums[i-1]+1 {
				return "", "", false
			}
		}
		return strconv.Itoa(nums[0]), strconv.Itoa(len(nums)), true
	}
	return readNumber(s), "", true
}

// form reads the row into a registration form, noting what can't be read.
func (r *rowReader) form() models.CarrierForm {
	var f models.CarrierForm
	dv := r.value(models.FieldDirection)
	d, ok := parseDirection(dv)
	if !ok {
		r.fail(models.FieldDirection, dv, "收发类别“%s”只能是收文或发文", ClipCell(dv))
	}
	f.Direction = d
	f.RegDate = readDate(r.value(models.FieldRegDate))
	f.DocNumber = r.value(models.FieldDocNumber)
	f.Title = r.value(models.FieldTitle)
	f.Issuer = r.value(models.FieldIssuer)
	f.DocKind = r.value(models.FieldDocKind)

	lv := r.value(models.FieldLevel)
	level, term, hasTerm, ok := parseMarking(lv)
	switch {
	case lv == "":
		r.fail(models.FieldLevel, lv, "请填写密级（秘密、机密或绝密）")
	case level == models.LevelNone:
		r.fail(models.FieldLevel, lv, "密级“%s”无法识别：只能是秘密、机密或绝密，可带期限，如“机密★10年”", ClipCell(lv))
	case !ok:
		r.fail(models.FieldLevel, lv, "“%s”的保密期限无法识别：应为年限（机密★10年）、解密日期（机密★2030年6月30日）或解密条件", ClipCell(lv))
	}
	f.Level = level
	if tv := r.value(models.FieldTerm); tv != "" {
		var t termSpec
		var tok bool
		if strings.ContainsAny(models.NormalizeWidth(tv), "★☆*") {
			tl, tt, has, okm := parseMarking(tv)
			switch {
			case tl == models.LevelNone || !okm:
				r.fail(models.FieldTerm, tv, "保密期限“%s”无法识别：应为年限（10年）、解密日期（2030-06-30）或解密条件，留空为法定最长期限", ClipCell(tv))
			case level != models.LevelNone && tl != level:
				r.fail(models.FieldTerm, tv, "保密期限栏的“%s”与密级栏的“%s”密级不一致，请核对", ClipCell(tv), ClipCell(lv))
			}
			t, tok = tt, okm && tl != models.LevelNone
			if !has {
				t = termSpec{kind: models.TermDefault}
			}
		} else {
			t, tok = parseTerm(tv)
			if !tok {
				r.fail(models.FieldTerm, tv, "保密期限“%s”无法识别：应为年限（10年）、解密日期（2030-06-30）或解密条件，留空为法定最长期限", ClipCell(tv))
			}
		}
		if tok && hasTerm && ok && t != term {
			r.fail(models.FieldTerm, tv, "密级栏的期限（%s）与保密期限栏（%s）不一致，请核对", ClipCell(term.String()), ClipCell(t.String()))
		}
		if tok {
			term, hasTerm = t, true
		}
	}
	f.TermKind = term.kind
	if f.TermKind == "" {
		f.TermKind = models.TermDefault
	}
	f.TermYears, f.TermUntil, f.TermCondition = term.years, term.until, term.condText

	cv := r.value(models.FieldCopyNo)
	first, n, ok := readCopyNos(cv)
	if !ok {
		r.fail(models.FieldCopyNo, cv, "份号“%s”无法识别：应为一个数字（000001）或连续的一段（000001-000003）", ClipCell(cv))
	}
	f.CopyNo = first
	f.Copies = readNumber(r.value(models.FieldCopies))
	if n != "" {
		if f.Copies != "" && f.Copies != n {
			r.fail(models.FieldCopies, f.Copies, "份数 %s 与份号“%s”的份数（%s 份）不一致，请核对", ClipCell(f.Copies), ClipCell(cv), n)
		}
		f.Copies = n
	}
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
	if field == models.FieldRegDate || field == models.FieldTerm {
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
