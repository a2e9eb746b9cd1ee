package reports

import (
	"fmt"
	"io"
	"strconv"
)

// RenderInspectionForm writes the 涉密载体自查登记表 of one
// self-inspection, A4 portrait: whose holdings, when and by whom; the
// counts 账面数 and 实有数; the conclusion; the differences found, each with
// how it was resolved; then every carrier checked; and the lines where the
// inspector, the secrecy officer and the head sign. A form without a
// marking is marked with the highest level of its items.
func RenderInspectionForm(w io.Writer, f InspectionForm, o Options) error {
	return renderPDF(w, f, o, drawInspectionForm)
}

func drawInspectionForm(w io.Writer, f InspectionForm, o Options) error {
	all := append([]CarrierLine{}, f.Items...)
	for _, d := range f.Diffs {
		all = append(all, d.Carrier)
	}
	s, err := newList("P", "涉密载体自查登记表", listHead(f.Head, all), o)
	if err != nil {
		return err
	}
	s.marks()
	s.title()
	const cw, vw = listCapW, 66.0
	s.row(listRowH, caption(cw, "责任人"), value(vw, f.Custodian), caption(cw, "自查人"), value(0, f.Inspector))
	s.row(listRowH, caption(cw, "自查期间"), value(0, period(f.Started, f.Closed)))
	s.row(listRowH, caption(cw, "账面数"), value(36, fmt.Sprintf("%d 件", f.Held)), caption(cw, "实有数"),
		value(36, fmt.Sprintf("%d 件", f.Found)), caption(cw, "差异"), value(0, fmt.Sprintf("%d 处", len(f.Diffs))))
	s.row(20, caption(cw, "自查结论"), value(0, f.Conclusion))

	diffCols := []listColumn{colSeq, colRegNo, {title: "文件名称"}, colLevel, {title: "差异", width: 26},
		{title: "处理结果", width: 50}}
	diffs := make([][]string, len(f.Diffs))
	for i, d := range f.Diffs {
		diffs[i] = []string{strconv.Itoa(i + 1), d.Carrier.RegNo, d.Carrier.Title, itemLevel(d.Carrier), d.What, d.Resolution}
	}
	if len(diffs) == 0 {
		s.heading("一、差异情况", s.tableStart(diffCols, nil)+listRowH)
		s.table(diffCols, nil)
		s.row(listRowH, value(0, "无"))
	} else {
		s.heading("一、差异情况", s.tableStart(diffCols, diffs))
		s.table(diffCols, diffs)
	}

	itemCols := s.resolve([]listColumn{colSeq, colRegNo, colTitle, colDocNumber, colCopyNo, colLevel, colKind,
		{title: "清点情况", width: 22, align: "C"}})
	items := itemRows(itemCols, f.Items, inspectionField)
	s.heading(fmt.Sprintf("二、自查清单（共 %d 件）", len(f.Items)), s.tableStart(itemCols, items))
	s.table(itemCols, items)
	s.y += 2
	s.signLines([]string{"自查人", "保密员", "负责人", "日期"}, []string{f.Inspector, f.Officer, f.Leader, fmtDate(f.Closed)})
	return s.finish(w)
}

// inspectionField is a carrier's value in the 自查清单, whose last column
// is what the count found of it, kept in its 备注.
func inspectionField(col string, i int, c CarrierLine) string {
	if col == "清点情况" {
		return c.Remarks
	}
	return itemField(col, i, c)
}
