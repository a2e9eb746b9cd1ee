package app

// The tables of the year's statistics, made from what annual_data.go read.

import (
	"fmt"
	"strconv"

	"secdoc/models"
)

// buildReport makes the report of the data read.
func (d *annualData) buildReport() {
	r := &d.report
	r.Year, r.kinds = d.year, d.kinds
	r.From, r.To = dayText(d.y0), dayText(d.d1)
	if d.today < d.d1 {
		r.Partial, r.To = true, dayText(d.today)
	}
	r.Tables = r.carrierTables()
	r.Tables = append(r.Tables, d.classTable(), d.changeTable(), d.loanTable(), d.inspectionTable(), d.destructionTable())
	unknown := 0
	for i := range d.facts {
		if d.facts[i].exit == exitUnknown {
			unknown++
		}
	}
	r.Unknown = AnnualCell{Count: unknown}
	if unknown > 0 {
		r.Unknown.Key = annualKey("t", "u")
	}
	r.Voided = AnnualCell{Count: d.voided}
	if d.voided > 0 {
		r.Voided.Key = annualKey("t", "v")
	}
	r.checkBalance()
	end := "12月31日"
	if r.Partial {
		end = fmt.Sprintf("%d月%d日（本年度尚未结束）", d.today/100%100, d.today%100)
	}
	r.Notes = []string{
		fmt.Sprintf("统计期间：%d年1月1日至%s。", d.year, end),
		"年初在册：上年12月31日在册（在库、传阅中、借出、外出携带）；年末在册：本年12月31日在册。在册不分原件、复制件，每份各计一件。",
		"收文：本年登记的来文原件；自产：本年登记的本机关发文、自产文件及摘录本、汇编本；复制：本年复制的复制件（按复制之日计）。",
		"分发、清退、归档、销毁、解密按分发、清退交接、归档、销毁、解密之日计；误发后退回的，不计分发。",
		"年内降密的，按降密前的密级计入降密转出，按降密后的密级计入降密转入，各密级分别平衡。",
	}
	if d.voided > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("本年登记后作废 %d 件，不计入各表。", d.voided))
	}
}

// secretLevels are the rows by level of a table of 国家秘密 alone.
var secretLevels = []models.Level{models.LevelTopSecret, models.LevelSecret, models.LevelConfidential}

// countMatters counts the distinct matters among the changes that match.
func countMatters(cs []annualChange, match func(*annualChange) bool) int {
	seen := map[string]bool{}
	for i := range cs {
		if match(&cs[i]) {
			seen[cs[i].matter] = true
		}
	}
	return len(seen)
}

// classColumn is a column of the 定密 table: what it counts.
type classColumn struct {
	slug, name string
	match      func(k *annualClass) bool
}

// classColumns are the columns of the 定密 table: by kind, then the term
// forms of those approved, then those referred to the superior.
var classColumns = []classColumn{
	{"original", "原始定密", func(k *annualClass) bool { return k.on != 0 && k.kind == models.ClassOriginal }},
	{"derived", "派生定密", func(k *annualClass) bool { return k.on != 0 && k.kind == models.ClassDerived }},
	{"all", "定密合计", func(k *annualClass) bool { return k.on != 0 }},
	{"years", "期限按年", func(k *annualClass) bool { return k.on != 0 && k.term == models.TermYears }},
	{"months", "期限按月", func(k *annualClass) bool { return k.on != 0 && k.term == models.TermMonths }},
	{"until", "解密日期", func(k *annualClass) bool { return k.on != 0 && k.term == models.TermUntil }},
	{"condition", "解密条件", func(k *annualClass) bool { return k.on != 0 && k.term == models.TermCondition }},
	{"long", "长期", func(k *annualClass) bool { return k.on != 0 && k.term == models.TermLong }},
	{"referred", "报请上级确定", func(k *annualClass) bool { return k.referred != 0 }},
}

func (d *annualData) classTable() AnnualTable {
	t := AnnualTable{ID: "classify", Title: "本机关定密情况（按事项计）", Head: "密级"}
	for _, c := range classColumns {
		t.Columns = append(t.Columns, c.name)
	}
	row := func(label, lk string, total bool) AnnualTableRow {
		r := AnnualTableRow{Label: label, Total: total}
		for _, c := range classColumns {
			n := 0
			for i := range d.classes {
				if levelMatch(lk, d.classes[i].level) && c.match(&d.classes[i]) {
					n++
				}
			}
			cell := AnnualCell{Count: n}
			if n > 0 {
				cell.Key = annualKey("t", "k", "col", c.slug, "l", lk)
			}
			r.Cells = append(r.Cells, cell)
		}
		return r
	}
	for _, l := range secretLevels {
		t.Rows = append(t.Rows, row(l.String(), levelKey(l), false))
	}
	t.Rows = append(t.Rows, row("合计", "", true))
	t.Notes = []string{"一份文件无论印制多少份，定密只计一件；期限形式按定密责任人审定的保密期限计；报请上级确定按报请之日计。"}
	return t
}

// changeColumn is a column of the table of changes of mark.
type changeColumn struct {
	slug, name string
	match      func(x *annualChange) bool
}

// changeColumns are the columns of the table of changes of mark.
var changeColumns = []changeColumn{
	{"down", "降密", func(x *annualChange) bool { return x.kind == models.ChangeDowngrade }},
	{"extend", "延期", func(x *annualChange) bool { return x.kind == models.ChangeExtend }},
	{"term", "变更期限", func(x *annualChange) bool { return x.kind == models.ChangeTermForm }},
	{"declassify", "解密", func(x *annualChange) bool { return x.kind == models.ChangeDeclassify }},
	{"decision", "其中：本机关决定", func(x *annualChange) bool {
		return x.kind == models.ChangeDeclassify && x.basis == string(BasisDecision)
	}},
	{"notice", "依原定密机关通知", func(x *annualChange) bool {
		return x.kind == models.ChangeDeclassify && x.basis == string(BasisNotice)
	}},
	{"expired", "期限届满自行解密", func(x *annualChange) bool {
		return x.kind == models.ChangeDeclassify && x.basis == string(BasisExpired)
	}},
}

func (d *annualData) changeTable() AnnualTable {
	t := AnnualTable{ID: "changes", Title: "密级变更和解密情况（按事项计）", Head: "原密级"}
	for _, c := range changeColumns {
		t.Columns = append(t.Columns, c.name)
	}
	row := func(label, lk string, total bool) AnnualTableRow {
		r := AnnualTableRow{Label: label, Total: total}
		for _, c := range changeColumns {
			n := countMatters(d.changes, func(x *annualChange) bool { return levelMatch(lk, x.old) && c.match(x) })
			cell := AnnualCell{Count: n}
			if n > 0 {
				cell.Key = annualKey("t", "x", "col", c.slug, "l", lk)
			}
			r.Cells = append(r.Cells, cell)
		}
		return r
	}
	for _, l := range secretLevels {
		t.Rows = append(t.Rows, row(l.String(), levelKey(l), false))
	}
	t.Rows = append(t.Rows, row("合计", "", true))
	t.Notes = []string{"一份文件（同一文号，或无文号的同一次登记）的各份及其复制件同时变更的，只计一件；按决定、通知或期限届满之日计。"}
	return t
}

func (d *annualData) loanTable() AnnualTable {
	t := AnnualTable{ID: "loans", Title: "借阅和外出携带情况", Head: "密级"}
	kinds := []models.LoanKind{models.LoanBorrow, models.LoanTakeOut}
	for _, k := range kinds {
		for c := range loanColCount {
			t.Columns = append(t.Columns, k.String()+loanColNames[c])
		}
	}
	row := func(label, lk string, total bool) AnnualTableRow {
		r := AnnualTableRow{Label: label, Total: total}
		for _, k := range kinds {
			for c := range loanColCount {
				n := 0
				for i := range d.loans {
					if l := d.loans[i]; l.kind == k && l.cols[c] != 0 && levelMatch(lk, l.cols[c]) {
						n++
					}
				}
				cell := AnnualCell{Count: n}
				if n > 0 {
					cell.Key = annualKey("t", "l", "lk", string(k), "col", loanColSlugs[c], "l", lk)
				}
				r.Cells = append(r.Cells, cell)
			}
		}
		return r
	}
	for _, l := range annualLevels {
		t.Rows = append(t.Rows, row(l.String(), levelKey(l), false))
	}
	t.Rows = append(t.Rows, row("合计", "", true))
	end := "年末未还：12月31日仍未归还"
	if d.today < d.d1 {
		end = "年末未还：至今未归还"
	}
	t.Notes = []string{"申请、批准、不同意、归还分别按申请、借出、决定、归还之日计；逾期：归还日晚于应还日；" + end + "。"}
	return t
}

func (d *annualData) inspectionTable() AnnualTable {
	t := AnnualTable{ID: "inspections", Title: "自查情况", Head: "责任人",
		Columns: []string{"自查周期（月）", "应自查次数", "完成次数", "未按期次数", "清点载体", "账物不符", "账外发现"}}
	row := func(label, who string, a annualInspect, total bool) AnnualTableRow {
		period := ""
		if !total && a.hi > 0 {
			period = strconv.Itoa(a.period)
		}
		list := func(col string, n int) AnnualCell {
			c := AnnualCell{Count: n}
			if n > 0 {
				c.Key = annualKey("t", "i", "col", col, "p", who)
			}
			return c
		}
		cells := []AnnualCell{{Text: orDash(period)}, {Count: a.due}, {Count: a.done}, {Count: a.late},
			list("items", a.items), list("missing", a.missing), list("unexpected", a.unexpected)}
		return AnnualTableRow{Label: label, Total: total, Cells: cells}
	}
	var sum annualInspect
	for _, a := range d.inspections {
		t.Rows = append(t.Rows, row(a.custodian, a.custodian, a, false))
		sum.due += a.due
		sum.done += a.done
		sum.late += a.late
		sum.items += a.items
		sum.missing += a.missing
		sum.unexpected += a.unexpected
	}
	t.Rows = append(t.Rows, row("合计", "", sum, true))
	months := "全年12个月"
	if d.today < d.d1 {
		months = fmt.Sprintf("本年已满的 %d 个月", max(0, int(d.today/100%100)-1))
	}
	t.Notes = []string{fmt.Sprintf("应自查次数按%s和责任人所持最高密级的自查周期计算；完成次数按自查完成之日计；"+
		"账物不符：账上应在库而未清点到的；账外发现：清点到而账上不属该责任人的。", months)}
	return t
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func (d *annualData) destructionTable() AnnualTable {
	t := AnnualTable{ID: "destruction", Title: "销毁情况（按载体类型）", Head: "载体类型"}
	for _, l := range annualLevels {
		t.Columns = append(t.Columns, l.String())
	}
	t.Columns = append(t.Columns, "合计", string(models.MethodSent), string(models.MethodSelf), "销毁批次")
	row := func(label string, k models.CarrierKind, total bool) AnnualTableRow {
		r := AnnualTableRow{Label: label, Total: total}
		byLevel := map[int8]int{}
		byMethod := map[string]int{}
		batches := map[int32]bool{}
		all := 0
		for i := range d.facts {
			f := &d.facts[i]
			if f.exit != int8(FlowDestroyed) || (k != "" && d.kinds[f.kind] != k) {
				continue
			}
			all++
			byLevel[f.exitL]++
			if f.batch >= 0 {
				byMethod[d.batches[f.batch].method]++
				batches[f.batch] = true
			}
		}
		cell := func(n int, key string) AnnualCell {
			c := AnnualCell{Count: n}
			if n > 0 {
				c.Key = key
			}
			return c
		}
		for _, l := range annualLevels {
			r.Cells = append(r.Cells, cell(byLevel[int8(l)], carrierKey(FlowDestroyed, levelKey(l), k)))
		}
		r.Cells = append(r.Cells, cell(all, carrierKey(FlowDestroyed, "", k)))
		for _, m := range []models.DestructionMethod{models.MethodSent, models.MethodSelf} {
			r.Cells = append(r.Cells, cell(byMethod[string(m)], annualKey("t", "d", "m", string(m), "k", string(k))))
		}
		r.Cells = append(r.Cells, AnnualCell{Count: len(batches)})
		return r
	}
	for _, k := range d.report.reportKinds() {
		name, unit := models.KindUnit(k)
		t.Rows = append(t.Rows, row(fmt.Sprintf("%s（%s）", name, unit), k, false))
	}
	t.Rows = append(t.Rows, row("合计", "", true))
	if d.waste[0] > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("另销毁印制废页 %d 张、校样 %d 份（%d 次印制）。", d.waste[1], d.waste[2], d.waste[0]))
	}
	return t
}
