package importfile

// Which column of an imported register holds which field of the form.

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"

	"secdoc/models"
)

// FieldOrigRegNo is the import-only field of the file's own register number:
// the carriers get new register numbers, and the old one goes into 备注.
const FieldOrigRegNo = "OrigRegNo"

// ImportField is one of our fields a column of the file can be mapped to.
type ImportField struct {
	Key      string   // models.Field… or FieldOrigRegNo
	Label    string   // its Chinese name, as the mapping step and --map show it
	Aliases  []string // the header names it is guessed from, besides Label
	Required bool     // rows can't be registered without it (收文 also needs 来文单位)
}

// ImportFields are the fields of an import, in the order of a register.
var ImportFields = []ImportField{
	{models.FieldRegDate, "收文日期", []string{"登记日期", "收文时间", "收到日期", "登记时间", "日期"}, true},
	{models.FieldDocDate, "成文日期", []string{"制发日期", "发文日期", "印发日期", "文件日期", "成文时间"}, false},
	{models.FieldDocNumber, "文号", []string{"文号或编号", "发文字号", "发文号", "来文号", "来文字号", "文件编号", "文件号", "编号"}, false},
	{models.FieldTitle, "题名", []string{"文件资料名称", "标题", "文件标题", "文件名称", "文件题名", "资料名称", "名称"}, true},
	{models.FieldIssuer, "来文单位", []string{"制作发文单位", "发文单位", "来文机关", "发文机关", "制发单位", "制作单位", "发文机构"}, false},
	{models.FieldDocKind, "文种", []string{"文件种类", "公文种类"}, false},
	{models.FieldLevel, "密级", []string{"密级★期限", "密级和保密期限", "密级及保密期限", "秘密等级", "密级标志"}, true},
	{models.FieldTerm, "保密期限", []string{"期限", "保密期", "密期", "保密年限"}, false},
	{models.FieldCopyNo, "份号", []string{"份序号", "份数序号"}, false},
	{models.FieldCopies, "份数", []string{"份数或数量", "数量", "件数"}, false},
	{models.FieldPages, "页数或容量", []string{"页数", "容量", "张数", "页码数", "页数/容量"}, false},
	{models.FieldUrgency, "缓急", []string{"紧急程度", "缓急程度", "急缓"}, false},
	{models.FieldKind, "载体类型", []string{"载体类别", "载体", "载体形式", "介质类型", "载体种类"}, false},
	{models.FieldNeedToKnow, "知悉范围", []string{"使用范围", "阅知范围", "发放范围", "知密范围", "阅读范围"}, false},
	{models.FieldLocation, "存放位置", []string{"存放地点", "存放处", "保存位置", "存放"}, false},
	{models.FieldCustodian, "责任人", []string{"保管人", "保管责任人", "管理人", "签收人", "经办人"}, true},
	{models.FieldDeadline, "办理时限", []string{"办理期限", "办结时限", "办结期限", "时限要求", "限办日期"}, false},
	{models.FieldRemarks, "备注", []string{"说明", "附注"}, false},
	{models.FieldDirection, "收发类别", []string{"收发", "收/发", "收文或发文"}, false},
	{FieldOrigRegNo, "原登记号", []string{"登记号", "收文编号", "收文号", "登记编号", "收发文编号"}, false},
}

func importField(key string) (ImportField, bool) {
	for _, f := range ImportFields {
		if f.Key == key {
			return f, true
		}
	}
	return ImportField{}, false
}

// ImportFieldLabel is the Chinese name of an import field key.
func ImportFieldLabel(key string) string {
	if f, ok := importField(key); ok {
		return f.Label
	}
	if l, ok := models.FieldLabels[key]; ok {
		return l
	}
	return key
}

// normHeader reduces a header cell to what is compared: no spaces, no
// required-marks, no notes in brackets (页数（页） → 页数), ASCII digits and letters.
func normHeader(s string) string {
	s = models.NormalizeWidth(s)
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '（', '[', '【':
			depth++
			continue
		case ')', '）', ']', '】':
			if depth > 0 {
				depth--
			}
			continue
		case ' ', '\t', '\n', '\r', '*', ':', '：':
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return strings.ToLower(b.String())
}

// fieldOfHeader is the field a header cell names exactly, or "".
func fieldOfHeader(h string) string {
	h = normHeader(h)
	if h == "" {
		return ""
	}
	for _, f := range ImportFields {
		if h == normHeader(f.Label) {
			return f.Key
		}
	}
	for _, f := range ImportFields {
		for _, a := range f.Aliases {
			if h == normHeader(a) {
				return f.Key
			}
		}
	}
	return ""
}

// ImportMapping says where each of our fields comes from.
type ImportMapping struct {
	// Columns maps a field key to the 0-based index of its column in the
	// file; a field not in it is not read from the file.
	Columns map[string]int
	// Defaults maps a field key to the value used where its column is not
	// mapped or its cell is blank.
	Defaults map[string]string
}

// Clone copies m, so that changing the copy leaves m alone.
func (m ImportMapping) Clone() ImportMapping {
	out := ImportMapping{Columns: map[string]int{}, Defaults: map[string]string{}}
	for k, v := range m.Columns {
		out.Columns[k] = v
	}
	for k, v := range m.Defaults {
		out.Defaults[k] = v
	}
	return out
}

// Column is the column field is mapped to, and whether it is.
func (m ImportMapping) Column(field string) (int, bool) {
	c, ok := m.Columns[field]
	return c, ok && c >= 0
}

// GuessMapping maps our fields to the header's columns by their names:
// exact names first (收文日期, 题名 …), then the names registers use
// (登记日期, 文件资料名称, 制作发文单位, 载体类别, 文号或编号, 页数或容量, 使用范围, 保管人 …).
// Each column is used once. 收发类别 defaults to 收文, and 载体类型 to 纸质文件
// when the file has no such column.
func GuessMapping(header []string) ImportMapping {
	m := ImportMapping{Columns: map[string]int{}, Defaults: map[string]string{
		models.FieldDirection: models.DirIncoming.String()}}
	used := map[int]bool{}
	norm := make([]string, len(header))
	for i, h := range header {
		norm[i] = normHeader(h)
	}
	try := func(f ImportField, name string) bool {
		n := normHeader(name)
		for i, h := range norm {
			if h != "" && h == n && !used[i] {
				m.Columns[f.Key] = i
				used[i] = true
				return true
			}
		}
		return false
	}
	for _, f := range ImportFields {
		try(f, f.Label)
	}
	for _, f := range ImportFields {
		if _, ok := m.Columns[f.Key]; ok {
			continue
		}
		for _, a := range f.Aliases {
			if try(f, a) {
				break
			}
		}
	}
	if _, ok := m.Columns[models.FieldKind]; !ok {
		m.Defaults[models.FieldKind] = string(models.KindPaper)
	}
	return m
}

// fieldByName finds one of our fields by its label, key or alias.
func fieldByName(name string) (ImportField, bool) {
	n := normHeader(name)
	for _, f := range ImportFields {
		if n == normHeader(f.Label) || n == strings.ToLower(f.Key) {
			return f, true
		}
	}
	for _, f := range ImportFields {
		for _, a := range f.Aliases {
			if n == normHeader(a) {
				return f, true
			}
		}
	}
	return ImportField{}, false
}

func fieldNames() string {
	names := make([]string, len(ImportFields))
	for i, f := range ImportFields {
		names[i] = f.Label
	}
	return strings.Join(names, "、")
}

// splitSpec splits "a=b,c=d" (also with Chinese commas) into pairs.
func splitSpec(spec string) ([][2]string, error) {
	var out [][2]string
	for _, item := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == '，' || r == ';' || r == '；' }) {
		k, v, ok := strings.Cut(item, "=")
		if !ok {
			k, v, ok = strings.Cut(item, "＝")
		}
		if !ok {
			return nil, fmt.Errorf("“%s”应写成 字段=值", strings.TrimSpace(item))
		}
		out = append(out, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
	}
	return out, nil
}

// ApplyMappingSpec changes m by a spec as the command line takes it:
// "题名=标题,收文日期=日期,备注=-". The left side is one of our fields (its
// name, e.g. 题名); the right side a header of the file, or a column letter
// (C), or - to read the field from no column.
func ApplyMappingSpec(m ImportMapping, spec string, header []string) (ImportMapping, error) {
	m = m.Clone()
	pairs, err := splitSpec(spec)
	if err != nil {
		return m, err
	}
	for _, p := range pairs {
		f, ok := fieldByName(p[0])
		if !ok {
			return m, fmt.Errorf("没有名为“%s”的字段；可用的字段：%s", p[0], fieldNames())
		}
		if p[1] == "" || p[1] == "-" || p[1] == "无" {
			delete(m.Columns, f.Key)
			continue
		}
		col := -1
		for i, h := range header {
			if normHeader(h) == normHeader(p[1]) {
				col = i
				break
			}
		}
		if col < 0 {
			if n, err := excelize.ColumnNameToNumber(strings.ToUpper(p[1])); err == nil && len(p[1]) <= 3 && isLetters(p[1]) {
				col = n - 1
			}
		}
		if col < 0 {
			names := make([]string, len(header))
			for i, h := range header {
				names[i] = ClipCell(h)
			}
			return m, fmt.Errorf("文件的表头里没有“%s”（%s=%s）；表头有：%s", p[1], p[0], p[1], strings.Join(names, "、"))
		}
		m.Columns[f.Key] = col
	}
	return m, nil
}

// ApplyDefaultsSpec sets default values by a spec: "责任人=王敏,载体类型=纸质文件".
func ApplyDefaultsSpec(m ImportMapping, spec string) (ImportMapping, error) {
	m = m.Clone()
	pairs, err := splitSpec(spec)
	if err != nil {
		return m, err
	}
	for _, p := range pairs {
		f, ok := fieldByName(p[0])
		if !ok {
			return m, fmt.Errorf("没有名为“%s”的字段；可用的字段：%s", p[0], fieldNames())
		}
		if p[1] == "" {
			delete(m.Defaults, f.Key)
		} else {
			m.Defaults[f.Key] = p[1]
		}
	}
	return m, nil
}

func isLetters(s string) bool {
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

func isDigitString(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
