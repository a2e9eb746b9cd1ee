package reports

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"secdoc/models"
)

// Helpers shared by the lists: the destruction, return, handover and
// self-inspection forms and the register.

// listPt is the font size of the lists' tables: 小五, small enough for the
// register's thirteen columns and the lists' nine across the paper.
const listPt = 9.0

// smallPt and smallLineH are the font size and line height of the tables
// of many columns: the running books across A4 landscape and the 销毁清单
// across portrait, so that a 文号 or a 登记号 stays on one line.
const (
	smallPt    = 8.0
	smallLineH = 4.0
)

// listCapW is the width of a caption box above a list's table.
const listCapW = 24.0

// listRowH is the height of a one-line row of particulars above a list.
const listRowH = 9.0

// Columns of the portrait lists, in millimetres; the title takes the rest.
var (
	colSeq       = listColumn{title: "序号", width: 10, align: "C"}
	colRegNo     = listColumn{title: "登记号", width: 27}
	colTitle     = listColumn{title: "文件资料名称"}
	colKind      = listColumn{title: "载体类别", width: 16, align: "C"}
	colDocNumber = listColumn{title: "文号或编号", width: 35}
	colCopyNo    = listColumn{title: "份号", width: 14, align: "C"}
	colLevel     = listColumn{title: "密级", width: 10, align: "C"}
	colPages     = listColumn{title: "页数或容量", width: 13, align: "C"}
	colCount     = listColumn{title: "份数", width: 10, align: "C"}
)

// newList starts a list's sheet, its tables in listPt.
func newList(orientation, form string, h Head, o Options) (*sheet, error) {
	s, err := newSheet(orientation, form, h, o)
	if err != nil {
		return nil, err
	}
	s.tablePt = listPt
	return s, nil
}

// itemRows are the rows of a table of carriers in the given columns,
// numbered from 1 in the 序号 column; each column takes its field of the
// carrier through field.
func itemRows(cols []listColumn, items []CarrierLine, field func(col string, i int, c CarrierLine) string) [][]string {
	rows := make([][]string, len(items))
	for i, c := range items {
		r := make([]string, len(cols))
		for j, col := range cols {
			r[j] = field(col.title, i, c)
		}
		rows[i] = r
	}
	return rows
}

// itemTable prints carriers in a table of the given columns (see itemRows)
// and returns the columns with their widths as printed.
func (s *sheet) itemTable(cols []listColumn, items []CarrierLine, field func(col string, i int, c CarrierLine) string) []listColumn {
	cols = s.resolve(cols)
	s.table(cols, itemRows(cols, items, field))
	return cols
}

// resolve gives a copy of the columns with the one of width 0 taking what
// the others leave of the page's width.
func (s *sheet) resolve(cols []listColumn) []listColumn {
	cols = slices.Clone(cols)
	used := 0.0
	for _, c := range cols {
		used += c.width
	}
	for i := range cols {
		if cols[i].width == 0 {
			cols[i].width = s.width - used
		}
	}
	return cols
}

// itemField is a carrier's value in a list column of the given title.
func itemField(col string, i int, c CarrierLine) string {
	switch col {
	case "序号":
		return strconv.Itoa(i + 1)
	case "登记号":
		return c.RegNo
	case "登记日期":
		return c.RegDate
	case "文件资料名称", "文件名称":
		return c.Title
	case "制作发文单位":
		return c.Issuer
	case "载体类别":
		return c.Kind
	case "文号或编号":
		return c.DocNumber
	case "份号":
		return c.CopyNo
	case "密级":
		return itemLevel(c)
	case "页数", "页数或容量":
		return c.Pages
	case "份数", "份数或数量":
		return c.Count
	case "使用范围":
		return c.NeedToKnow
	case "保管人":
		return c.Custodian
	case "备注":
		return c.Remarks
	}
	return ""
}

// itemLevel is a carrier's 密级: its level, or the level part of its marking.
func itemLevel(c CarrierLine) string {
	if c.Level != "" {
		return c.Level
	}
	l, _, _ := strings.Cut(c.Marking, "★")
	return strings.TrimSpace(l)
}

// highestLevel is the highest 密级 among the carriers, "" if none has one.
func highestLevel(items []CarrierLine) string {
	best := models.LevelNone
	for _, c := range items {
		if l, ok := models.ParseLevel(itemLevel(c)); ok && l > best {
			best = l
		}
	}
	if best == models.LevelNone {
		return ""
	}
	return best.String()
}

// listHead completes a list's head: a list without its own marking is
// marked with the highest level it contains.
func listHead(h Head, items []CarrierLine) Head {
	if h.Marking == "" {
		h.Marking = highestLevel(items)
	}
	return h
}

// itemCount is what a carrier counts for in the totals: its 份数或数量 when
// that is a whole number, one otherwise.
func itemCount(c CarrierLine) int {
	if n, err := strconv.Atoi(strings.TrimSpace(c.Count)); err == nil && n >= 0 {
		return n
	}
	return 1
}

// kindTotals adds the carriers up by 载体类别, in the order of
// models.CarrierKinds and then other kinds by name, each under its name on
// the forms and its unit: 纸介质 3 份, 光盘 1 张.
func kindTotals(items []CarrierLine) []KindTotal {
	counts := map[string]int{}
	var others []string
	for _, c := range items {
		k := c.Kind
		if k == "" {
			k = string(models.KindOther)
		}
		if _, seen := counts[k]; !seen && !models.CarrierKind(k).Valid() {
			others = append(others, k)
		}
		counts[k] += itemCount(c)
	}
	slices.Sort(others)
	var out []KindTotal
	for _, k := range append(kindNames(), others...) {
		n, ok := counts[k]
		if !ok {
			continue
		}
		name, unit := models.KindUnit(models.CarrierKind(k))
		out = append(out, KindTotal{Kind: name, Count: n, Unit: unit})
	}
	return out
}

func kindNames() []string {
	out := make([]string, len(models.CarrierKinds))
	for i, k := range models.CarrierKinds {
		out[i] = string(k)
	}
	return out
}

// kindUnit is the unit of a kind given by its register name (纸质文件) or
// its name on the forms (纸介质).
func kindUnit(kind string) string {
	for _, k := range models.CarrierKinds {
		name, unit := models.KindUnit(k)
		if kind == string(k) || kind == name {
			return unit
		}
	}
	_, unit := models.KindUnit(models.CarrierKind(kind))
	return unit
}

// totalsText is a list's 合计: 共 4 项：纸介质 3 份、光盘 1 张. Totals
// given by the caller are printed as given; without them the items are
// added up.
func totalsText(items []CarrierLine, given []KindTotal) string {
	ts := given
	if len(ts) == 0 {
		ts = kindTotals(items)
	}
	parts := make([]string, 0, len(ts))
	for _, t := range ts {
		unit := t.Unit
		if unit == "" {
			unit = kindUnit(t.Kind)
		}
		parts = append(parts, fmt.Sprintf("%s %d %s", t.Kind, t.Count, unit))
	}
	if len(parts) == 0 {
		return "共 0 项"
	}
	n := len(items)
	if n == 0 {
		for _, t := range ts {
			n += t.Count
		}
	}
	return fmt.Sprintf("共 %d 项：%s", n, strings.Join(parts, "、"))
}

// totalsRow prints a list's 合计 under its table, the caption across the
// table's first two columns.
func (s *sheet) totalsRow(cols []listColumn, items []CarrierLine, given []KindTotal) {
	s.row(listRowH, caption(cols[0].width+cols[1].width, "合计"), value(0, totalsText(items, given)))
}

// heading prints a section's heading inside a form, kept with at least
// keep millimetres of what follows.
func (s *sheet) heading(text string, keep float64) {
	s.need(2 + bodyLineH + 1 + keep)
	s.y += 2
	bold(s.pdf, true)
	s.line(text, true, "L")
	bold(s.pdf, false)
}

// period prints a span of dates: 2026年11月1日至2026年11月3日.
func period(from, to string) string {
	switch {
	case from == "" && to == "":
		return ""
	case to == "":
		return fmtDate(from) + "起"
	case from == "":
		return "至" + fmtDate(to)
	}
	return fmtDate(from) + " 至 " + fmtDate(to)
}

// fieldLines prints values on lines like signLines does names: each label,
// then its value on a line to write on. Two share a line when both fit in
// half the width; a longer one takes the whole width and wraps onto
// further lines.
func (s *sheet) fieldLines(labels, values []string) {
	s.font(bodyPt)
	half := s.width / 2
	fits := func(i int) bool {
		return s.pdf.GetStringWidth(labels[i]+"：")+3+s.pdf.GetStringWidth(values[i]) <= half-10
	}
	for i := 0; i < len(labels); {
		if i+1 < len(labels) && fits(i) && fits(i+1) {
			s.need(10)
			s.fieldLine(s.left, half, labels[i], values[i])
			s.fieldLine(s.left+half, half, labels[i+1], values[i+1])
			s.y += 10
			i += 2
			continue
		}
		s.fieldLine(s.left, s.width, labels[i], values[i])
		s.y += 10
		i++
	}
	s.y += 2
}

// fieldLine prints one label and its value on a line w wide at x, the value
// wrapped onto further lines 7 mm apart when it is too long; s.y is left on
// the last line.
func (s *sheet) fieldLine(x, w float64, label, val string) {
	lw := s.pdf.GetStringWidth(label+"：") + 1
	lines := wrap(s.pdf, val, w-lw-2-8-3)
	for k, l := range lines {
		if k > 0 {
			s.y += 7
		}
		s.need(6)
		if !s.opt.DataOnly {
			if k == 0 {
				s.pdf.SetXY(x, s.y)
				s.pdf.CellFormat(lw, 6, label+"：", "", 0, "L", false, 0, "")
			}
			s.pdf.Line(x+lw, s.y+5.5, x+w-8, s.y+5.5)
		}
		s.pdf.SetXY(x+lw+2, s.y)
		s.pdf.CellFormat(w-lw-2-8, 6, l, "", 0, "L", false, 0, "")
	}
}

// rowHeight is the height row gives a row of these cells when it fits on
// the page.
func (s *sheet) rowHeight(minH float64, cells ...cell) float64 {
	s.font(bodyPt)
	used := 0.0
	for _, c := range cells {
		used += c.w
	}
	most, footH := 0, 0.0
	for _, c := range cells {
		w := c.w
		if w == 0 {
			w = s.width - used
		}
		if c.text != "" {
			most = max(most, len(wrap(s.pdf, c.text, w-2*cellPadX)))
		}
		if c.foot != "" {
			footH = bodyLineH + 1
		}
	}
	return max(minH, float64(most)*bodyLineH+2*cellPadY+footH)
}
