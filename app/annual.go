package app

// The year in numbers (R26): the carriers held on 1 January and on 31
// December and what came in and went out in between, by level and kind;
// the year's 定密 determinations, changes and declassifications counted as
// matters, not copies; loans and take-outs; self-inspections and their
// differences; destructions by kind. Every figure carries a key that lists
// what is behind it (AnnualList).
//
// What a carrier's year is made of (annual_data.go works it out from the
// stored history, never from the carrier's current state alone):
//
//   - It enters on its 收文/登记日期: an incoming original is 收文, an
//     original of the office's own (发文/自产, 摘录本, 汇编本) is 自产, a copy
//     is 复制, counted on the day it was made. A voided registration never
//     entered.
//   - It leaves on the date of the record of its leaving: the 分发 of a
//     sending not returned in error (a copy sent in error and returned
//     counts as never sent), the 交接 of its 清退 slip, its 归档, the 销毁 of
//     its destruction slip, its 解密. A date before its registration counts
//     as its registration day (a term that had run out before the carrier
//     was registered).
//   - It is held on a day when it entered on or before that day and had not
//     left by its end.
//   - Its level on a day is its level after every 降密 decided by then: a
//     downgrade moves it out of its old level's row (降密转出) into the new
//     one's (降密转入), so every row balances on its own:
//     年初在册 + 收文 + 自产 + 复制 + 降密转入 − 分发 − 清退 − 归档 − 销毁 − 解密 − 降密转出 = 年末在册.

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"secdoc/models"
)

// AnnualFlow is a column of the year's carrier statistics.
type AnnualFlow int

// The columns, in the order the tables show them: what was held on 1
// January, what came in, what went out, what was held on 31 December.
const (
	FlowStart        AnnualFlow = iota // 年初在册: held at the end of 31 December of the year before
	FlowReceived                       // 收文: incoming originals registered
	FlowProduced                       // 自产: the office's own originals (发文/自产, 摘录本, 汇编本)
	FlowCopied                         // 复制: copies made
	FlowDownIn                         // 降密转入: downgraded into the level
	FlowSent                           // 分发: copies of the office's own documents sent
	FlowReturned                       // 清退: handed back to their issuers
	FlowArchived                       // 归档
	FlowDestroyed                      // 销毁
	FlowDeclassified                   // 解密: no longer secret, out of the register's active view
	FlowDownOut                        // 降密转出: downgraded out of the level
	FlowEnd                            // 年末在册: held at the end of 31 December (or of today while the year runs)
	flowCount
)

// AnnualFlows lists the columns in order.
var AnnualFlows = []AnnualFlow{FlowStart, FlowReceived, FlowProduced, FlowCopied, FlowDownIn,
	FlowSent, FlowReturned, FlowArchived, FlowDestroyed, FlowDeclassified, FlowDownOut, FlowEnd}

var annualFlowNames = [flowCount]string{"年初在册", "收文", "自产", "复制", "降密转入",
	"分发", "清退", "归档", "销毁", "解密", "降密转出", "年末在册"}

// annualFlowSlugs name the flows in keys.
var annualFlowSlugs = [flowCount]string{"start", "received", "produced", "copied", "down_in",
	"sent", "returned", "archived", "destroyed", "declassified", "down_out", "end"}

func (f AnnualFlow) String() string {
	if f >= 0 && f < flowCount {
		return annualFlowNames[f]
	}
	return ""
}

// In reports whether the flow adds to what is held.
func (f AnnualFlow) In() bool { return f >= FlowReceived && f <= FlowDownIn }

// Out reports whether the flow takes from what is held.
func (f AnnualFlow) Out() bool { return f >= FlowSent && f <= FlowDownOut }

func flowBySlug(s string) (AnnualFlow, bool) {
	for i, x := range annualFlowSlugs {
		if x == s {
			return AnnualFlow(i), true
		}
	}
	return 0, false
}

// AnnualCell is one figure of a table and the key of the list behind it.
type AnnualCell struct {
	Count int
	Key   string // AnnualList lists what the figure counts; "" when there is nothing to list
	Text  string // a cell that is no count (the balance column's 相符); "" for a figure
}

// String is the cell as printed: its text, or its count.
func (c AnnualCell) String() string {
	if c.Text != "" {
		return c.Text
	}
	return strconv.Itoa(c.Count)
}

// AnnualTableRow is a row of a table: its heading and its cells.
type AnnualTableRow struct {
	Label string
	Total bool // a subtotal or the total
	Cells []AnnualCell
}

// AnnualTable is one table of the year's statistics.
type AnnualTable struct {
	ID      string // carriers, kinds, kind:<载体类型>, classify, changes, loans, inspections, destruction
	Title   string
	Head    string   // the heading of the rows' column: 密级, 载体类型, 责任人
	Columns []string // the headings of the cells' columns
	Rows    []AnnualTableRow
	Notes   []string
}

// AnnualReport is the year in numbers.
type AnnualReport struct {
	Year     int
	From, To string // the first and last day counted, yyyy-mm-dd; To is today while the year runs
	Partial  bool   // the year is not over
	Tables   []AnnualTable
	Balanced bool       // every row of the carrier tables balances
	Balance  []string   // the balance check, in words
	Notes    []string   // what the figures mean
	Unknown  AnnualCell // carriers registered in the year that left without a dated record
	Voided   AnnualCell // registrations of the year voided since: counted nowhere

	counts map[annualLK]*[flowCount]int
	kinds  []models.CarrierKind // the kinds of annualLK.kind, by index
}

// annualLK is a row of the carrier counts: a level and a kind (an index
// into the report's kinds).
type annualLK struct {
	level int8
	kind  uint8
}

// Flow is the count of flow f of carriers of level l (models.LevelNone:
// every level) and kind k ("": every kind).
func (r AnnualReport) Flow(f AnnualFlow, l models.Level, k models.CarrierKind) int {
	n := 0
	for lk, c := range r.counts {
		if (l == models.LevelNone || int8(l) == lk.level) && (k == "" || r.kinds[lk.kind] == k) {
			n += c[f]
		}
	}
	return n
}

// Table is the table of the given ID, nil when the report has none.
func (r AnnualReport) Table(id string) *AnnualTable {
	for i := range r.Tables {
		if r.Tables[i].ID == id {
			return &r.Tables[i]
		}
	}
	return nil
}

// annualLevels are the rows of a table by level, the highest first, with
// the 国家秘密 subtotal after 秘密.
var annualLevels = []models.Level{models.LevelTopSecret, models.LevelSecret, models.LevelConfidential,
	models.LevelInternal, models.LevelNonSecret}

// levelKey is a level as keys write it: "" every level, "s" the three of
// 国家秘密, else its number.
func levelKey(l models.Level) string {
	if l == models.LevelNone {
		return ""
	}
	return strconv.Itoa(int(l))
}

const stateSecretKey = "s"

// levelMatch reports whether level l is in the rows key lk names.
func levelMatch(lk string, l int8) bool {
	switch lk {
	case "":
		return true
	case stateSecretKey:
		return models.Level(l).IsStateSecret()
	}
	n, err := strconv.Atoi(lk)
	return err == nil && int8(n) == l
}

// annualKey builds the key of a figure from pairs of name and value;
// empty values are left out.
func annualKey(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v.Encode()
}

// carrierKey is the key of a carrier figure: flow f of level lk and kind k.
func carrierKey(f AnnualFlow, lk string, k models.CarrierKind) string {
	return annualKey("t", "c", "f", annualFlowSlugs[f], "l", lk, "k", string(k))
}

// sumRow adds the counts of the rows of the given levels (lk as keys write
// it) and kind k ("" every kind).
func (r *AnnualReport) sumRow(lk string, k models.CarrierKind) [flowCount]int {
	var out [flowCount]int
	for key, c := range r.counts {
		if !levelMatch(lk, key.level) || (k != "" && r.kinds[key.kind] != k) {
			continue
		}
		for f := range out {
			out[f] += c[f]
		}
	}
	return out
}

// imbalance is start + in − out − end of a row: 0 when it balances.
func imbalance(c [flowCount]int) int {
	d := c[FlowStart] - c[FlowEnd]
	for _, f := range AnnualFlows {
		switch {
		case f.In():
			d += c[f]
		case f.Out():
			d -= c[f]
		}
	}
	return d
}

// flowColumns are the headings of a carrier table: the flows and the balance.
func (r *AnnualReport) flowColumns() []string {
	cols := make([]string, 0, flowCount+1)
	for _, f := range AnnualFlows {
		name := f.String()
		if f == FlowEnd && r.Partial {
			name = "期末在册"
		}
		cols = append(cols, name)
	}
	return append(cols, "平衡")
}

// carrierRow is the row of the given levels and kind of a carrier table.
func (r *AnnualReport) carrierRow(label, lk string, k models.CarrierKind, total bool) AnnualTableRow {
	c := r.sumRow(lk, k)
	row := AnnualTableRow{Label: label, Total: total}
	for _, f := range AnnualFlows {
		cell := AnnualCell{Count: c[f]}
		if c[f] > 0 {
			cell.Key = carrierKey(f, lk, k)
		}
		row.Cells = append(row.Cells, cell)
	}
	bal := "相符"
	if d := imbalance(c); d != 0 {
		bal = fmt.Sprintf("差 %+d", -d)
	}
	row.Cells = append(row.Cells, AnnualCell{Text: bal})
	return row
}

// levelTable is a carrier table by level for kind k ("" every kind).
func (r *AnnualReport) levelTable(id, title string, k models.CarrierKind) AnnualTable {
	t := AnnualTable{ID: id, Title: title, Head: "密级", Columns: r.flowColumns()}
	for _, l := range annualLevels {
		t.Rows = append(t.Rows, r.carrierRow(l.String(), levelKey(l), k, false))
		if l == models.LevelConfidential {
			t.Rows = append(t.Rows, r.carrierRow("国家秘密小计", stateSecretKey, k, true))
		}
	}
	t.Rows = append(t.Rows, r.carrierRow("合计", "", k, true))
	return t
}

// reportKinds are the kinds a table by kind lists: every kind the form
// offers, then any other kind found in the register.
func (r *AnnualReport) reportKinds() []models.CarrierKind {
	out := slices.Clone(models.CarrierKinds)
	for _, k := range r.kinds {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// kindTable is the carrier table by kind.
func (r *AnnualReport) kindTable() AnnualTable {
	t := AnnualTable{ID: "kinds", Title: "涉密载体收发存情况（按载体类型）", Head: "载体类型", Columns: r.flowColumns()}
	for _, k := range r.reportKinds() {
		t.Rows = append(t.Rows, r.carrierRow(string(k), "", k, false))
	}
	t.Rows = append(t.Rows, r.carrierRow("合计", "", "", true))
	return t
}

// carrierTables are the tables of carriers: by level, by kind, and by level
// for each kind the year has a figure of.
func (r *AnnualReport) carrierTables() []AnnualTable {
	out := []AnnualTable{r.levelTable("carriers", "涉密载体收发存情况（按密级）", ""), r.kindTable()}
	for _, k := range r.reportKinds() {
		c := r.sumRow("", k)
		if c == ([flowCount]int{}) {
			continue
		}
		out = append(out, r.levelTable("kind:"+string(k), string(k)+"收发存情况（按密级）", k))
	}
	return out
}

// checkBalance works out the balance check of every row of the carrier
// tables: Balanced, and the words of Balance.
func (r *AnnualReport) checkBalance() {
	total := r.sumRow("", "")
	var b strings.Builder
	fmt.Fprintf(&b, "平衡校验：%s %d", FlowStart, total[FlowStart])
	for _, f := range AnnualFlows {
		switch {
		case f == FlowDownIn || f == FlowDownOut:
			continue // they cancel in the total; rows by level show them
		case f.In():
			fmt.Fprintf(&b, " + %s %d", f, total[f])
		case f.Out():
			fmt.Fprintf(&b, " − %s %d", f, total[f])
		}
	}
	end := FlowEnd.String()
	if r.Partial {
		end = "期末在册"
	}
	fmt.Fprintf(&b, " = %d，%s %d", total[FlowStart]+sumIn(total)-sumOut(total), end, total[FlowEnd])
	var diffs []string
	for _, t := range r.Tables {
		if t.ID != "carriers" && t.ID != "kinds" && !strings.HasPrefix(t.ID, "kind:") {
			continue
		}
		for _, row := range t.Rows {
			if bal := row.Cells[len(row.Cells)-1].Text; bal != "相符" {
				diffs = append(diffs, fmt.Sprintf("%s %s %s", t.Title, row.Label, bal))
			}
		}
	}
	r.Balanced = len(diffs) == 0
	if r.Balanced {
		b.WriteString("，相符；各密级、各载体类型分别相符（降密转入与降密转出相抵）。")
		r.Balance = []string{b.String()}
		return
	}
	b.WriteString("，不符。")
	r.Balance = append([]string{b.String()}, "不符的行："+strings.Join(diffs, "；")+"。")
	if r.Unknown.Count > 0 {
		r.Balance = append(r.Balance, fmt.Sprintf("其中 %d 件本年登记的载体状态已不在册，却没有分发、清退、归档、销毁或解密的记录，"+
			"无法确定去向日期，未计入付出：请逐件核实。", r.Unknown.Count))
	}
}

func sumIn(c [flowCount]int) int {
	n := 0
	for _, f := range AnnualFlows {
		if f.In() && f != FlowDownIn {
			n += c[f]
		}
	}
	return n
}

func sumOut(c [flowCount]int) int {
	n := 0
	for _, f := range AnnualFlows {
		if f.Out() && f != FlowDownOut {
			n += c[f]
		}
	}
	return n
}
