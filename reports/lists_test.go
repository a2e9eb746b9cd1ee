package reports

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sampleItems are five carriers of three kinds, the highest 机密, one of
// them two copies under one registration.
func sampleItems() []CarrierLine {
	a := sampleCarrier()
	b := CarrierLine{RegNo: "收〔2026〕0043", Title: "关于印发《机关涉密载体管理办法（修订）》的通知及其附件汇编",
		Issuer: "市委保密委员会办公室", Kind: "纸质文件", DocNumber: "市保委办〔2026〕5号", Level: "秘密", Marking: "秘密★5年",
		CopyNo: "000012", Pages: "36", Count: "2", Custodian: "李保管", RegDate: "2026-11-05", NeedToKnow: "办公室",
		Remarks: "附件一册"}
	c := CarrierLine{RegNo: "收〔2026〕0051", Title: "2026年第三季度经济运行分析数据", Issuer: "市统计局", Kind: "光盘",
		DocNumber: "统光〔2026〕3号", Level: "秘密", Marking: "秘密★1年", CopyNo: "000001", Pages: "650MB", Count: "1",
		Custodian: "王档案", RegDate: "2026-11-09", NeedToKnow: "综合处"}
	d := CarrierLine{RegNo: "收〔2026〕0052", Title: "重点项目投资计划（草案）", Issuer: "省发展和改革委员会", Kind: "U盘/移动存储介质",
		DocNumber: "BM-U-0007", Level: "机密", Marking: "机密★10年", CopyNo: "000002", Pages: "8GB", Count: "1",
		Custodian: "张文书", RegDate: "2026-11-10", NeedToKnow: "投资处"}
	e := CarrierLine{RegNo: "收〔2026〕0060", Title: "关于加强节假日期间保密管理的通知", Issuer: "省国家保密局", Kind: "纸质文件",
		DocNumber: "省保密〔2026〕21号", Level: "秘密", Marking: "秘密★3年", CopyNo: "000005", Pages: "4", Count: "1",
		Custodian: "张文书", RegDate: "2026-11-15", NeedToKnow: "全体干部"}
	return []CarrierLine{a, b, c, d, e}
}

// sampleTotals is what the sample items add up to.
const sampleTotals = "共 5 项：纸介质 4 份、光盘 1 张、U盘 1 个"

func listHeadFor(slip string) Head {
	h := sampleHead(slip)
	h.RegNo, h.CopyNo, h.Urgency, h.Marking = "", 0, "", ""
	return h
}

func sampleDestruction() DestructionForm {
	return DestructionForm{Head: listHeadFor("销〔2026〕0003"), RequestedOn: "2026-11-18", Requester: "张文书",
		Reason: "文件已办结且超过保存期限，经清点无需归档，申请集中销毁。", Items: sampleItems(),
		Decision: Decision{Approver: "王局长", Decision: "同意", Opinion: "请按规定送市保密销毁中心统一销毁。", Date: "2026-11-20"},
		Method:   "送销（市保密销毁中心）", Place: "市保密销毁中心", Date: "2026-11-25", Destroyer: "赵销毁",
		Witnesses: [2]string{"钱监销", "孙监督"}}
}

func sampleReturn() ReturnListForm {
	items := sampleItems()
	return ReturnListForm{Head: listHeadFor("退〔2026〕0002"), Issuer: "省国家保密局", Items: []CarrierLine{items[0], items[4], items[2]},
		HandedTo: "周接收", Date: "2026-11-26", Clerk: "张文书"}
}

func sampleHandover() HandoverForm {
	return HandoverForm{Head: listHeadFor("交〔2026〕0001"), From: "张文书", To: "吴新任", Date: "2026-11-27",
		Supervisor: "郑主任", Note: "张文书调任综合处，所保管涉密载体全部移交吴新任，经逐件清点无误。", Items: sampleItems()}
}

func sampleInspection() InspectionForm {
	items := sampleItems()
	for i := range items {
		items[i].Remarks = "已清点"
	}
	items[2].Remarks = "缺失"
	items[3].Remarks = "借出"
	extra := CarrierLine{RegNo: "收〔2026〕0071", Title: "会议记录本", Kind: "笔记本", Level: "秘密", Marking: "秘密★5年"}
	return InspectionForm{Head: listHeadFor("查〔2026〕0004"), Custodian: "张文书", Started: "2026-11-01", Closed: "2026-11-03",
		Inspector: "李保密", Held: 5, Found: 4, Items: items,
		Diffs: []InspectionDiff{
			{Carrier: items[2], What: "缺失", Resolution: "经查已随办结文件送档案室，补办移交手续"},
			{Carrier: extra, What: "账外", Resolution: "补登记入账"},
		},
		Conclusion: "账物基本相符，发现差异两处，均已查明并处理。", Officer: "钱保密员", Leader: "王局长"}
}

// registerRows are n carriers whose every cell fits on one line.
func registerRows(n int) []CarrierLine {
	titles := []string{"关于做好2026年度机关保密自查自评工作的通知", "市政府常务会议纪要", "重点项目投资计划（草案）及其编制说明",
		"关于印发《机关涉密载体管理办法（修订）》的通知"}
	where := []string{"在库 机要室3号柜", "已分发 市财政局 2026-11-20 回执", "借出 李明 至 2026-12-01", "已销毁 2026-11-28 销〔2026〕0003"}
	rows := make([]CarrierLine, n)
	for i := range rows {
		c := sampleCarrier()
		c.RegNo = fmt.Sprintf("收〔2026〕%04d", i+1)
		c.Title = fmt.Sprintf("第%d号 %s", i+1, titles[i%len(titles)])
		c.Kind = []string{"纸介质", "纸介质", "光盘"}[i%3]
		c.DocNumber = fmt.Sprintf("省保密〔2026〕%d号", i+1)
		c.Level = []string{"秘密", "机密"}[i%2]
		c.Marking = []string{"秘密★10年", "机密★未标注期限"}[i%2]
		c.NeedToKnow = "办公室"
		c.Where = where[i%len(where)]
		rows[i] = c
	}
	return rows
}

func sampleRegisterOf(rows []CarrierLine) RegisterBook {
	h := listHeadFor("")
	h.SlipNo = ""
	return RegisterBook{Head: h, Name: "收文登记簿", Filter: "2026年 在库 全部密级", Rows: rows}
}

func sampleRegister(n int) RegisterBook { return sampleRegisterOf(registerRows(n)) }

// listRenderers are the renderers of the lists with their sample
// data, for the tests that every form must pass.
var listRenderers = []struct {
	name   string
	render func(w *bytes.Buffer, o Options) error
	frame  []string // printed text of the frame, absent from the sample values
	values []string // filled-in values that 套打 must print
}{
	{"destruction", func(w *bytes.Buffer, o Options) error { return RenderDestructionForm(w, sampleDestruction(), o) },
		[]string{"涉密载体销毁审批表", "涉密载体销毁清单", "申请人", "销毁事由", "审批意见", "批准日期", "序号", "文件资料名称",
			"合计", "监销人", "签字", "第1页"},
		[]string{"张文书", "文件已办结且超过保存期限", "请按规定送市保密销毁中心统一销毁。", "赵销毁", "钱监销", "孙监督",
			"省保密〔2026〕17号", "000003", "机密"}},
	{"return", func(w *bytes.Buffer, o Options) error { return RenderReturnList(w, sampleReturn(), o) },
		[]string{"涉密载体清退清单", "发文单位", "清退日期", "清退人", "接收人", "登记号", "合计", "第1页"},
		[]string{"省国家保密局", "周接收", "2026年11月26日", "收〔2026〕0042", "统光〔2026〕3号"}},
	{"handover", func(w *bytes.Buffer, o Options) error { return RenderHandoverList(w, sampleHandover(), o) },
		[]string{"涉密载体交接清单", "移交人", "接收人", "监交人", "交接说明", "份号", "合计", "第1页"},
		[]string{"吴新任", "郑主任", "经逐件清点无误", "BM-U-0007", "市保委办〔2026〕5号"}},
	{"inspection", func(w *bytes.Buffer, o Options) error { return RenderInspectionForm(w, sampleInspection(), o) },
		[]string{"涉密载体自查登记表", "责任人", "自查期间", "账面数", "实有数", "自查结论", "差异情况", "处理结果",
			"自查清单", "清点情况", "保密员：", "负责人：", "第1页"},
		[]string{"李保密", "补登记入账", "会议记录本", "账物基本相符", "钱保密员", "收〔2026〕0071"}},
	{"register", func(w *bytes.Buffer, o Options) error { return RenderRegister(w, sampleRegisterOf(sampleItems()), o) },
		[]string{"收文登记簿", "范围", "序号", "收文日期", "题名", "来文单位", "知悉范围", "状态/去向", "备注", "第1页"},
		[]string{"收〔2026〕0043", "2026-11-05", "市委保密委员会办公室", "附件一册", "全体干部", "650MB"}},
	{"dispatch", func(w *bytes.Buffer, o Options) error { return RenderDispatchForm(w, sampleDispatch(), o) },
		[]string{"发文分发登记表", "发文字号", "成文日期", "密级★期限", "分送范围", "分发登记", "经手人", "存档份/未分发", "第1页"},
		[]string{"市发改发〔2026〕15号", "机密★10年", "印〔2026〕0004", "市审计局1份（机要文件交换站，未分发1份）",
			"签收人：李会计", "HZ-2026-0107", "误取份号", "000005-000006"}},
	{"courier", func(w *bytes.Buffer, o Options) error { return RenderCourierBook(w, sampleCourier(), o) },
		[]string{"送文簿", "分发日期", "发文字号", "题名", "签收人", "签收时间", "经手人", "第1页"},
		[]string{"市发改发〔2026〕18号", "发〔2026〕0021", "关于重大项目选址方案的请示", "省审计厅", "机要收发人员", "张收发"}},
}

func TestDestructionForm_EveryFieldAndLabelPrints(t *testing.T) {
	f := sampleDestruction()
	pdf := render(t, func(w *bytes.Buffer) error { return RenderDestructionForm(w, f, Options{}) })
	writeSample(t, "destruction", pdf)
	pages := formText(t, pdf, false)
	if len(pages) != 2 {
		t.Fatalf("%d pages, want 2: the approval form, then the list on a page of its own", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会涉密载体销毁审批表", "机密", "编号：销〔2026〕0003",
		"申请人", "张文书", "申请日期", "2026年11月18日", "销毁事由", "文件已办结且超过保存期限，经清点无需归档，申请集中销毁。",
		"销毁载体", sampleTotals+"（详见销毁清单）", "最高密级",
		"审批意见", "同意。请按规定送市保密销毁中心统一销毁。", "签字", "批准人", "王局长", "批准日期", "2026年11月20日",
		"销毁方式", "送销（市保密销毁中心）", "销毁地点", "市保密销毁中心", "销毁日期", "2026年11月25日",
		"销毁人：赵销毁", "批准人：王局长", "监销人：钱监销", "监销人：孙监督", "第 1 页 共 2 页")
	if strings.Contains(pages[0], "文件资料名称") {
		t.Error("the list started on the approval form's page")
	}
	mustContain(t, pages[1], "某市发展和改革委员会涉密载体销毁清单", "机密", "编号：销〔2026〕0003",
		"序号", "登记号", "文件资料名称", "制作发文单位", "载体类别", "文号或编号", "密级", "页数或容量", "份数或数量", "保管人",
		"合计", sampleTotals, "销毁人：赵销毁", "批准人：王局长", "监销人：钱监销", "监销人：孙监督",
		"日期：2026年11月25日", "地点：市保密销毁中心", "方式：送销（市保密销毁中心）", "第 2 页 共 2 页")
	boxes := wordBoxes(t, pdf)
	cols := destructionColumns
	for _, c := range f.Items {
		mustContain(t, pages[1], c.Kind, c.DocNumber, "份号 "+c.CopyNo, c.Level, c.Pages, c.Count, c.Custodian)
		mustContain(t, columnText(t, boxes, 1, "P", cols, "登记号"), c.RegNo)
		mustContain(t, columnText(t, boxes, 1, "P", cols, "文件资料名称"), c.Title)
		mustContain(t, columnText(t, boxes, 1, "P", cols, "制作发文单位"), c.Issuer)
	}
}

func TestReturnList_EveryFieldAndLabelPrints(t *testing.T) {
	f := sampleReturn()
	pdf := render(t, func(w *bytes.Buffer) error { return RenderReturnList(w, f, Options{}) })
	writeSample(t, "return", pdf)
	pages := formText(t, pdf, false)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会涉密载体清退清单", "机密", "编号：退〔2026〕0002",
		"发文单位", "省国家保密局", "清退日期", "2026年11月26日", "清退人", "张文书", "接收人", "周接收",
		"序号", "登记号", "文件资料名称", "文号或编号", "份号", "密级", "载体类别", "页数或容量", "份数",
		"合计", "共 3 项：纸介质 2 份、光盘 1 张",
		"清退人：张文书", "日期：2026年11月26日", "接收人：周接收", "第 1 页 共 1 页")
	boxes := wordBoxes(t, pdf)
	cols := []listColumn{colSeq, colRegNo, colTitle, colDocNumber, colCopyNo, colLevel, colKind, colPages, colCount}
	for _, c := range f.Items {
		mustContain(t, pages[0], c.RegNo, c.DocNumber, c.CopyNo, c.Level, c.Kind, c.Pages, c.Count)
		mustContain(t, columnText(t, boxes, 0, "P", cols, "文件资料名称"), c.Title)
	}
}

// R27: a temporary handover for leave prints as the 临时交接清单 with its
// 收回日期; the one giving it back names it.
func TestHandoverList_R27_TemporaryVariant(t *testing.T) {
	f := sampleHandover()
	f.ReturnOn, f.Note = "2026-12-07", "张文书休假，临时交吴新任保管"
	pdf := render(t, func(w *bytes.Buffer) error { return RenderHandoverList(w, f, Options{}) })
	writeSample(t, "handover-temporary", pdf)
	page := formText(t, pdf, false)[0]
	mustContain(t, page, "涉密载体临时交接清单", "收回日期", "2026年12月7日", "监交人：郑主任")
	f.ReturnOn, f.GivesBack = "", "交〔2026〕0001"
	page = formText(t, render(t, func(w *bytes.Buffer) error { return RenderHandoverList(w, f, Options{}) }), false)[0]
	mustContain(t, page, "涉密载体临时交接收回清单", "临时交接 交〔2026〕0001")
}

func TestHandoverList_EveryFieldAndLabelPrints(t *testing.T) {
	f := sampleHandover()
	pdf := render(t, func(w *bytes.Buffer) error { return RenderHandoverList(w, f, Options{}) })
	writeSample(t, "handover", pdf)
	pages := formText(t, pdf, false)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会涉密载体交接清单", "机密", "编号：交〔2026〕0001",
		"移交人", "张文书", "接收人", "吴新任", "交接日期", "2026年11月27日", "监交人", "郑主任",
		"交接说明", "张文书调任综合处，所保管涉密载体全部移交吴新任，经逐件清点无误。",
		"序号", "登记号", "文件资料名称", "文号或编号", "份号", "密级", "载体类别", "页数或容量", "份数",
		"合计", sampleTotals, "移交人：张文书", "接收人：吴新任", "监交人：郑主任", "交接日期：2026年11月27日",
		"第 1 页 共 1 页")
	boxes := wordBoxes(t, pdf)
	cols := []listColumn{colSeq, colRegNo, colTitle, colDocNumber, colCopyNo, colLevel, colKind, colPages, colCount}
	for _, c := range f.Items {
		mustContain(t, pages[0], c.RegNo, c.DocNumber, c.CopyNo, c.Level, c.Kind, c.Pages, c.Count)
		mustContain(t, columnText(t, boxes, 0, "P", cols, "文件资料名称"), c.Title)
	}
}

func TestInspectionForm_EveryFieldAndLabelPrints(t *testing.T) {
	f := sampleInspection()
	pdf := render(t, func(w *bytes.Buffer) error { return RenderInspectionForm(w, f, Options{}) })
	writeSample(t, "inspection", pdf)
	pages := formText(t, pdf, false)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会涉密载体自查登记表", "机密", "编号：查〔2026〕0004",
		"责任人", "张文书", "自查人", "李保密", "自查期间", "2026年11月1日 至 2026年11月3日",
		"账面数", "5 件", "实有数", "4 件", "差异", "2 处", "自查结论", "账物基本相符，发现差异两处，均已查明并处理。",
		"一、差异情况", "登记号", "文件名称", "密级", "处理结果",
		"收〔2026〕0051", "2026年第三季度经济运行分析数据", "缺失", "经查已随办结文件送档案室，补办移交手续",
		"收〔2026〕0071", "会议记录本", "账外", "补登记入账",
		"二、自查清单（共 5 件）", "文件资料名称", "文号或编号", "份号", "载体类别", "清点情况", "已清点", "借出",
		"自查人：李保密", "保密员：钱保密员", "负责人：王局长", "日期：2026年11月3日", "第 1 页 共 1 页")
	boxes := wordBoxes(t, pdf)
	cols := []listColumn{colSeq, colRegNo, colTitle, colDocNumber, colCopyNo, colLevel, colKind,
		{title: "清点情况", width: 22}}
	for _, c := range f.Items {
		mustContain(t, pages[0], c.RegNo, c.DocNumber, c.CopyNo, c.Level, c.Kind, c.Remarks)
		mustContain(t, columnText(t, boxes, 0, "P", cols, "文件资料名称"), c.Title)
	}
}

func TestInspectionForm_NoDifferencesSaysSo(t *testing.T) {
	f := sampleInspection()
	f.Diffs, f.Found, f.Conclusion = nil, 5, "账物相符。"
	pages := formText(t, render(t, func(w *bytes.Buffer) error { return RenderInspectionForm(w, f, Options{}) }), false)
	text := squeeze(pages[0])
	if !strings.Contains(text, "处理结果无二、自查清单") {
		t.Errorf("an inspection without differences should show 无 under the differences' header:\n%s", text)
	}
	mustContain(t, pages[0], "0 处", "账物相符。")
}

// R26: the 收文登记簿 prints every column the inspection asks for, 份号,
// 密级★期限 and 状态/去向 among them, in the order given.
func TestRegister_R26_EveryColumnPrints(t *testing.T) {
	b := sampleRegisterOf(sampleItems())
	b.Rows[0].Where = "已分发 市财政局 2026-11-20"
	pdf := render(t, func(w *bytes.Buffer) error { return RenderRegister(w, b, Options{}) })
	writeSample(t, "register-sample", pdf)
	pages := formText(t, pdf, false)
	if len(pages) != 1 {
		t.Fatalf("%d pages, want 1", len(pages))
	}
	mustContain(t, pages[0], "某市发展和改革委员会收文登记簿", "范围：2026年 在库 全部密级（共 5 件）",
		"序号", "登记号", "收文日期", "文号", "份号", "题名", "来文单位", "密级★期限", "载体类型", "页数或容量",
		"份数", "知悉范围", "责任人", "状态/去向", "备注", "第 1 页 共 1 页")
	boxes := wordBoxes(t, pdf)
	cols := RegisterBook{}.columns()
	for i, c := range b.Rows {
		mustContain(t, pages[0], strconv.Itoa(i+1), c.RegNo, c.RegDate, c.CopyNo, c.DocNumber,
			c.Pages, c.Count, c.Custodian, c.Remarks)
		for _, col := range []string{"题名", "来文单位", "密级★期限", "知悉范围", "状态/去向"} {
			mustContain(t, columnText(t, boxes, 0, "L", cols, col), registerField(col, i+1, c))
		}
	}
	// The 登记簿 is marked with the highest level it holds, and has no
	// slip number.
	if !strings.HasPrefix(strings.TrimSpace(pages[0]), "机密") {
		t.Errorf("the register should start with its marking 机密:\n%.200s", pages[0])
	}
	if strings.Contains(pages[0], "编号：") {
		t.Error("the register printed a slip number")
	}
}

// R26: the 发文登记簿 dates by the 成文日期 and names the 发文单位.
func TestRegister_R26_OutgoingBookColumns(t *testing.T) {
	rows := sampleItems()[:2]
	rows[0].DocDate = "2026-10-30"
	b := RegisterBook{Head: listHeadFor(""), Name: "发文登记簿", Outgoing: true, Rows: rows}
	b.SlipNo = ""
	text := formText(t, render(t, func(w *bytes.Buffer) error { return RenderRegister(w, b, Options{}) }), false)[0]
	mustContain(t, text, "发文登记簿", "成文日期", "发文单位", "2026-10-30", rows[1].RegDate)
	if strings.Contains(text, "收文日期") || strings.Contains(text, "来文单位") {
		t.Errorf("the 发文登记簿 has the 收文 columns:\n%s", text)
	}
}

// R26: a book of 300 rows, titles on two lines, fits twenty rows or more on
// every page after the first, repeats its header on every page, numbers
// its pages, and prints every row once, in registration order.
func TestRegister_R26_TwentyRowsAPageHeaderOnEach(t *testing.T) {
	b := sampleRegister(300)
	pdf := render(t, func(w *bytes.Buffer) error { return RenderRegister(w, b, Options{}) })
	writeSample(t, "register", pdf)
	pages := formText(t, pdf, false)
	mustContain(t, pages[0], "某市发展和改革委员会收文登记簿", "范围：2026年 在库 全部密级（共 300 件）")
	next := 0 // the row expected next
	for p, text := range pages {
		mustContain(t, text, "序号", "登记号", "收文日期", "题名", "密级★期限", "状态/去向",
			fmt.Sprintf("第 %d 页 共 %d 页", p+1, len(pages)))
		if p > 0 {
			mustContain(t, text, "收文登记簿（续）")
		}
		flat, n := squeeze(text), 0
		for next < len(b.Rows) && strings.Contains(flat, squeeze(b.Rows[next].RegNo)) {
			if strings.Count(flat, squeeze(b.Rows[next].RegNo)) != 1 {
				t.Errorf("row %d is more than once on page %d", next+1, p+1)
			}
			next, n = next+1, n+1
		}
		if p > 0 && p < len(pages)-1 && n < 20 {
			t.Errorf("page %d holds %d rows, want 20 or more", p+1, n)
		}
	}
	if next != len(b.Rows) {
		t.Fatalf("rows printed in order: %d of %d", next, len(b.Rows))
	}
}

// R26: a book larger than a volume starts each volume on a fresh page with
// its title and its 序号 range, and numbers pages within the volume; two
// books printed together number their pages each.
func TestRegister_R26_VolumesAndTwoBooks(t *testing.T) {
	defer func(n int) { VolumeRows = n }(VolumeRows)
	VolumeRows = 50
	in := sampleRegister(120)
	out := RegisterBook{Head: in.Head, Name: "发文登记簿", Outgoing: true, Rows: registerRows(3)}
	pdf := render(t, func(w *bytes.Buffer) error { return RenderRegisters(w, []RegisterBook{in, out}, Options{}) })
	pages := formText(t, pdf, false)
	var starts []string
	for _, text := range pages {
		if strings.Contains(text, "范围：") {
			starts = append(starts, squeeze(text))
		}
	}
	if len(starts) != 4 {
		t.Fatalf("%d book or volume starts, want 4 (3 volumes and the 发文登记簿)", len(starts))
	}
	mustContain(t, starts[0], "收文登记簿", "第1册共3册，序号1—50", "收文登记簿第1册第1页")
	mustContain(t, starts[2], "第3册共3册，序号101—120", "收文登记簿第3册第1页")
	mustContain(t, starts[3], "发文登记簿", "成文日期", "（共3件）", "发文登记簿第1页共1页")
}

func TestRegister_IsLandscape(t *testing.T) {
	pdf := render(t, func(w *bytes.Buffer) error { return RenderRegister(w, sampleRegister(3), Options{}) })
	for _, p := range wordBoxes(t, pdf) {
		if p.w <= p.h {
			t.Fatalf("page of %.0f × %.0f pt, want landscape", p.w, p.h)
		}
	}
}

func TestRegister_RowTallerThanAPageContinuesUnderTheHeader(t *testing.T) {
	var b strings.Builder
	for b.Len() < 3000*3 {
		b.WriteString("此件为历年会议纪要合订本，附件清单如下，借阅须经办公室主任批准；")
	}
	long := string([]rune(b.String())[:3000]) + "完。"
	rows := registerRows(30)
	rows[20].Remarks = long
	book := sampleRegisterOf(rows)
	pdf := render(t, func(w *bytes.Buffer) error { return RenderRegister(w, book, Options{}) })
	writeSample(t, "register-tall-row", pdf)
	pages := formText(t, pdf, false)
	if len(pages) < 4 {
		t.Fatalf("3,000 characters in a 20 mm column take several pages, got %d", len(pages))
	}
	for p, text := range pages {
		mustContain(t, text, "序号", "题名", "备注", fmt.Sprintf("第 %d 页 共 %d 页", p+1, len(pages)))
	}
	all := squeeze(strings.Join(pages, ""))
	if !strings.Contains(all, "收〔2026〕0030") {
		t.Error("the rows after the tall one are lost")
	}
	// Every character of the remark arrives, in order.
	rs, k := []rune(all), 0
	for _, r := range long {
		for k < len(rs) && rs[k] != r {
			k++
		}
		if k == len(rs) {
			t.Fatal("the remark lost text")
		}
		k++
	}
	noOverflow(t, pdf)
}

func TestLists_TotalsByKind(t *testing.T) {
	items := sampleItems()
	got := kindTotals(items)
	want := []KindTotal{{Kind: "纸介质", Count: 4, Unit: "份"}, {Kind: "光盘", Count: 1, Unit: "张"}, {Kind: "U盘", Count: 1, Unit: "个"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("totals %v, want %v", got, want)
	}
	if s := totalsText(items, nil); s != sampleTotals {
		t.Errorf("totals text %q, want %q", s, sampleTotals)
	}
	// Kinds come in the register's order, then unknown kinds by name; a
	// blank kind is 其他, a count that is not a number counts one.
	odd := []CarrierLine{{Kind: "胶片"}, {Kind: "笔记本", Count: "3"}, {Kind: "录音带", Count: "一盒"}, {Kind: "密码电报"},
		{Kind: ""}, {Kind: "纸质文件", Count: "0"}}
	if s := totalsText(odd, nil); s != "共 6 项：纸介质 0 份、密码电报 1 份、笔记本 3 本、其他 1 件、录音带 1 件、胶片 1 件" {
		t.Errorf("totals text %q", s)
	}
	// Totals given by the caller are printed as given.
	given := []KindTotal{{Kind: "纸介质", Count: 7}, {Kind: "光盘", Count: 2, Unit: "片"}}
	if s := totalsText(items, given); s != "共 5 项：纸介质 7 份、光盘 2 片" {
		t.Errorf("given totals text %q", s)
	}
	// And the forms print them.
	f := sampleReturn()
	f.Items = append(f.Items, sampleItems()[1], sampleItems()[3])
	pages := formText(t, render(t, func(w *bytes.Buffer) error { return RenderReturnList(w, f, Options{}) }), false)
	mustContain(t, pages[0], "合计", "共 5 项：纸介质 4 份、光盘 1 张、U盘 1 个")
}

func TestLists_MarkedWithTheHighestLevel(t *testing.T) {
	items := sampleItems()
	items[3].Level, items[3].Marking = "绝密", "绝密★长期"
	f := sampleHandover()
	f.Items = items
	pages := formText(t, render(t, func(w *bytes.Buffer) error { return RenderHandoverList(w, f, Options{}) }), false)
	if !strings.HasPrefix(strings.TrimSpace(pages[0]), "绝密") {
		t.Errorf("a list with a 绝密 carrier should be marked 绝密 first:\n%.200s", pages[0])
	}
	d := sampleDestruction()
	d.Head.Marking = "绝密★长期"
	pages = formText(t, render(t, func(w *bytes.Buffer) error { return RenderDestructionForm(w, d, Options{}) }), false)
	mustContain(t, pages[0], "绝密★长期")
	mustContain(t, pages[1], "绝密★长期")
}

func TestLists_DataOnlyLeavesOutCaptions(t *testing.T) {
	for _, r := range listRenderers {
		t.Run(r.name, func(t *testing.T) {
			pdf := render(t, func(w *bytes.Buffer) error {
				return r.render(w, Options{DataOnly: true, OffsetX: 2.5, OffsetY: -1})
			})
			writeSample(t, r.name+"-data-only", pdf)
			text := squeeze(strings.Join(formText(t, pdf, false), ""))
			for _, frame := range r.frame {
				if strings.Contains(text, frame) {
					t.Errorf("套打 printed the frame text %q", frame)
				}
			}
			mustContain(t, text, r.values...)
			// And the full form prints both.
			full := strings.Join(formText(t, render(t, func(w *bytes.Buffer) error { return r.render(w, Options{}) }), false), "")
			mustContain(t, full, r.frame...)
			mustContain(t, full, r.values...)
		})
	}
}

func TestLists_SameDataSameBytes(t *testing.T) {
	for _, r := range listRenderers {
		a := render(t, func(w *bytes.Buffer) error { return r.render(w, Options{}) })
		b := render(t, func(w *bytes.Buffer) error { return r.render(w, Options{}) })
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renderings of the same data differ", r.name)
		}
	}
}

func TestLists_NothingOverflows(t *testing.T) {
	long := strings.Repeat("涉密载体管理办法附件及其说明材料汇编，", 12)
	for _, r := range listRenderers {
		t.Run(r.name, func(t *testing.T) {
			noOverflow(t, render(t, func(w *bytes.Buffer) error { return r.render(w, Options{}) }))
		})
	}
	// Long text in every box and cell stays inside its page.
	items := sampleItems()
	for i := range items {
		items[i].Title += long
		items[i].Issuer += "（联合发文：省委办公厅、省政府办公厅）"
	}
	d := sampleDestruction()
	d.Items, d.Reason, d.Decision.Opinion, d.Method = items, long, long, long
	pdf := render(t, func(w *bytes.Buffer) error { return RenderDestructionForm(w, d, Options{}) })
	writeSample(t, "destruction-long", pdf)
	noOverflow(t, pdf)
	h := sampleHandover()
	h.Items, h.Note = items, long
	pdf = render(t, func(w *bytes.Buffer) error { return RenderHandoverList(w, h, Options{}) })
	writeSample(t, "handover-long", pdf)
	noOverflow(t, pdf)
	in := sampleInspection()
	in.Items, in.Conclusion, in.Diffs[0].Resolution = items, long, long
	pdf = render(t, func(w *bytes.Buffer) error { return RenderInspectionForm(w, in, Options{}) })
	writeSample(t, "inspection-long", pdf)
	noOverflow(t, pdf)
	noOverflow(t, render(t, func(w *bytes.Buffer) error { return RenderRegister(w, sampleRegisterOf(items), Options{}) }))
}

// pageWords are the words of one page as pdftotext -bbox places them, in
// points from the top left.
type pageWords struct {
	w, h  float64
	words []word
}

type word struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

var (
	pageTag = regexp.MustCompile(`<page width="([\d.]+)" height="([\d.]+)">`)
	wordTag = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)
)

func wordBoxes(t *testing.T, pdf []byte) []pageWords {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext not installed (apt-get install poppler-utils)")
	}
	in := filepath.Join(t.TempDir(), "in.pdf")
	if err := os.WriteFile(in, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", "-bbox", in, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	num := func(s string) float64 {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	var pages []pageWords
	for _, chunk := range strings.Split(string(out), "</page>") {
		m := pageTag.FindStringSubmatch(chunk)
		if m == nil {
			continue
		}
		p := pageWords{w: num(m[1]), h: num(m[2])}
		for _, w := range wordTag.FindAllStringSubmatch(chunk, -1) {
			p.words = append(p.words, word{text: w[5], xMin: num(w[1]), yMin: num(w[2]), xMax: num(w[3]), yMax: num(w[4])})
		}
		pages = append(pages, p)
	}
	return pages
}

// noOverflow checks that every word lies inside the page's margins and
// that nothing but the footer lies below the body's bottom.
func noOverflow(t *testing.T, pdf []byte) {
	t.Helper()
	const pt = 72 / 25.4 // points a millimetre
	const tol = 0.6 * pt
	for i, p := range wordBoxes(t, pdf) {
		bottom := (p.h/pt - margin - footerH + 4) * pt
		footerTop := (p.h/pt - margin - 4) * pt
		for _, w := range p.words {
			if w.xMin < margin*pt-tol || w.xMax > p.w-margin*pt+tol || w.yMin < margin*pt-tol || w.yMax > p.h-margin*pt+tol {
				t.Errorf("page %d: %q at (%.0f,%.0f)–(%.0f,%.0f) pt is outside the margins", i+1, w.text,
					w.xMin, w.yMin, w.xMax, w.yMax)
			}
			if w.yMax > bottom+tol && w.yMin < footerTop-tol {
				t.Errorf("page %d: %q at y %.0f–%.0f pt runs below the body (%.0f pt)", i+1, w.text, w.yMin, w.yMax, bottom)
			}
		}
	}
}

// columnText is the text of a page that lies in a table's column of the
// given title, top to bottom: the column's cells, each wrapped value whole.
func columnText(t *testing.T, boxes []pageWords, page int, orientation string, cols []listColumn, title string) string {
	t.Helper()
	const pt = 72 / 25.4
	s := &sheet{left: margin, width: 210 - 2*margin}
	if orientation == "L" {
		s.width = 297 - 2*margin
	}
	x := s.left
	for _, c := range s.resolve(cols) {
		if c.title != title {
			x += c.width
			continue
		}
		words := slices.Clone(boxes[page].words)
		words = slices.DeleteFunc(words, func(w word) bool {
			mid := (w.xMin + w.xMax) / 2 / pt
			return mid < x || mid > x+c.width
		})
		slices.SortStableFunc(words, func(a, b word) int {
			return cmp.Or(cmp.Compare(math.Round(a.yMin), math.Round(b.yMin)), cmp.Compare(a.xMin, b.xMin))
		})
		var b strings.Builder
		for _, w := range words {
			b.WriteString(w.text)
		}
		return b.String()
	}
	t.Fatalf("no column %q", title)
	return ""
}
