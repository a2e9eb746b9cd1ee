package reports

import (
	"fmt"
	"io"
	"strings"
)

// registerColumns are the columns of the 涉密文件登记簿 across A4 landscape,
// in millimetres; the title takes the rest.
var registerColumns = []listColumn{
	{title: "序号", width: 10.5, align: "C"},
	{title: "登记号", width: 27},
	{title: "登记日期", width: 19.5, align: "C"},
	{title: "文件资料名称"},
	{title: "制作发文单位", width: 25},
	{title: "载体类别", width: 16, align: "C"},
	{title: "文号或编号", width: 35},
	{title: "密级", width: 10.5, align: "C"},
	{title: "页数或容量", width: 13, align: "C"},
	{title: "份数", width: 10, align: "C"},
	{title: "使用范围", width: 22},
	{title: "保管人", width: 13, align: "C"},
	{title: "备注", width: 20.5},
}

// RenderRegister writes the register itself, the 涉密文件登记簿, for a
// selection of the ledger: A4 landscape, the selection under the title,
// then one row per carrier in a table whose header repeats on every page,
// with 第 x 页 共 y 页 at the foot. The register has no slip number; it is
// marked top-left with Head.Marking or, when that is blank, the highest
// level it contains.
func RenderRegister(w io.Writer, f RegisterBook, o Options) error {
	s, err := newList("L", "涉密文件登记簿", listHead(f.Head, f.Rows), o)
	if err != nil {
		return err
	}
	s.marks()
	s.title()
	filter := strings.TrimSpace(f.Filter)
	if filter == "" {
		filter = "全部"
	}
	s.line(fmt.Sprintf("范围：%s（共 %d 件）", filter, len(f.Rows)), true, "C")
	s.itemTable(registerColumns, f.Rows, itemField)
	return s.finish(w)
}
