package models

import (
	"strings"
	"testing"
)

// R20: marks read and print as the law writes them, in every form.
func TestMarking_R20_AsTheLawWritesThem(t *testing.T) {
	cases := []struct {
		in      string
		level   Level
		term    Term
		hasTerm bool
		out     string
		text    string
	}{
		{"秘密★6个月", LevelConfidential, Term{Kind: TermMonths, Months: 6}, true, "秘密★6个月", "6个月"},
		{"机密★10年", LevelSecret, Term{Kind: TermYears, Years: 10}, true, "机密★10年", "10年"},
		{"机密★2030年6月30日", LevelSecret, Term{Kind: TermUntil, Until: "2030-06-30"}, true, "机密★2030年6月30日", "2030年6月30日"},
		{"机密★会议开始前", LevelSecret, Term{Kind: TermCondition, Condition: "会议开始前"}, true, "机密★会议开始前", "会议开始前"},
		{"机密★解密条件：项目验收后", LevelSecret, Term{Kind: TermCondition, Condition: "项目验收后"}, true, "机密★项目验收后", "项目验收后"},
		{"绝密★长期", LevelTopSecret, Term{Kind: TermLong}, true, "绝密★长期", "长期"},
		{"机密", LevelSecret, Term{Kind: TermDefault}, false, "机密", "未标注期限"},
		{"机密级", LevelSecret, Term{Kind: TermDefault}, false, "机密", "未标注期限"},
		{"机密★", LevelSecret, Term{Kind: TermDefault}, false, "机密", "未标注期限"},
		{"秘密 ★ １年", LevelConfidential, Term{Kind: TermYears, Years: 1}, true, "秘密★1年", "1年"},
	}
	for _, c := range cases {
		l, term, has, ok := ParseMarking(c.in)
		if !ok || l != c.level || term != c.term || has != c.hasTerm {
			t.Errorf("ParseMarking(%q) = %v %+v %v %v, want %v %+v %v", c.in, l, term, has, ok, c.level, c.term, c.hasTerm)
			continue
		}
		if got := Marking(l, term); got != c.out {
			t.Errorf("Marking of %q = %q, want %q", c.in, got, c.out)
		}
		if got := TermText(l, term); got != c.text {
			t.Errorf("TermText of %q = %q, want %q", c.in, got, c.text)
		}
	}
	for _, bad := range []string{"机密★10念", "机密★2030-13-01", "机密★0年", "机密★0个月", "秘书", "内部★1年", "★10年"} {
		if _, _, _, ok := ParseMarking(bad); ok {
			t.Errorf("ParseMarking(%q) accepted", bad)
		}
	}
}

// R21: 内部 and 非密 are registered levels whose mark never bears ★ and
// which take no term.
func TestMarking_R21_InternalAndNonSecretHaveNoStar(t *testing.T) {
	for _, c := range []struct {
		in    string
		level Level
	}{{"内部", LevelInternal}, {"工作秘密", LevelInternal}, {"非密", LevelNonSecret}} {
		l, term, _, ok := ParseMarking(c.in)
		if !ok || l != c.level {
			t.Fatalf("ParseMarking(%q) = %v %v", c.in, l, ok)
		}
		if m := Marking(l, term); strings.Contains(m, "★") || m != l.String() {
			t.Errorf("Marking(%v) = %q", l, m)
		}
		if TermText(l, term) != "" {
			t.Errorf("TermText(%v) = %q, want none", l, TermText(l, term))
		}
		if _, known := TermExpiryOf(l, term, "2026-01-01"); known {
			t.Errorf("%v has an expiry", l)
		}
		if l.IsStateSecret() || !l.Registrable() {
			t.Errorf("%v: state secret %v, registrable %v", l, l.IsStateSecret(), l.Registrable())
		}
	}
	f := validForm()
	f.Level, f.TermKind, f.TermYears = LevelInternal, TermYears, "5"
	if _, err := f.Check(today); err == nil || !strings.Contains(err.Error(), "不标保密期限") {
		t.Fatalf("内部 with a term: %v", err)
	}
	f.TermKind, f.TermYears = TermDefault, ""
	if _, err := f.Check(today); err != nil {
		t.Fatalf("内部 without a term refused: %v", err)
	}
}

// R20: a term counts from the 成文日期 when it is known, from the 收文日期
// only when it is not; months are calendar months.
func TestTermExpiry_R20_CountsFromTheDocumentDate(t *testing.T) {
	c := Carrier{Level: LevelConfidential, TermKind: TermYears, TermYears: 1, RegDate: "2026-01-20", DocDate: "2025-12-01"}
	if d, ok := TermExpiry(c); !ok || d.Format(DateLayout) != "2026-12-01" {
		t.Fatalf("1 year from 2025-12-01: %v %v", d, ok)
	}
	if start, fallback := c.TermStart(); start != "2025-12-01" || fallback {
		t.Fatalf("start %s fallback %v", start, fallback)
	}
	c.DocDate = ""
	if d, _ := TermExpiry(c); d.Format(DateLayout) != "2027-01-20" {
		t.Fatalf("fallback to the 收文日期: %v", d)
	}
	if _, fallback := c.TermStart(); !fallback {
		t.Fatal("fallback not said")
	}
	m := Carrier{Level: LevelConfidential, TermKind: TermMonths, TermMonths: 6, RegDate: "2026-02-04", DocDate: "2026-01-30"}
	if d, ok := TermExpiry(m); !ok || d.Format(DateLayout) != "2026-07-30" {
		t.Fatalf("6 months from 2026-01-30: %v", d)
	}
	for _, k := range []TermKind{TermCondition, TermLong} {
		if _, ok := TermExpiry(Carrier{Level: LevelTopSecret, TermKind: k, TermCondition: "x", RegDate: "2000-01-01"}); ok {
			t.Errorf("%s term has a calendar expiry", k)
		}
	}
	blank := Carrier{Level: LevelSecret, TermKind: TermDefault, RegDate: "2026-01-20", DocDate: "2026-01-02"}
	if d, _ := TermExpiry(blank); d.Format(DateLayout) != "2046-01-02" {
		t.Fatalf("blank 机密 term: %v", d)
	}
}

// R20: the form's term checks, months and 长期 included; the 成文日期 is
// checked and is where a date term must lie after.
func TestCheck_R20_TermFormsAndDocumentDate(t *testing.T) {
	ok := func(edit func(*CarrierForm)) CarrierFields {
		t.Helper()
		f := validForm()
		edit(&f)
		out, err := f.Check(today)
		if err != nil {
			t.Fatalf("refused: %v", err)
		}
		return out
	}
	bad := func(edit func(*CarrierForm), field, msg string) {
		t.Helper()
		f := validForm()
		edit(&f)
		_, err := f.Check(today)
		v, isV := AsValidation(err)
		if !isV || !strings.Contains(v.Msg(field), msg) {
			t.Fatalf("want %s: %q, got %v", field, msg, err)
		}
	}
	if got := ok(func(f *CarrierForm) { f.TermKind, f.TermMonths = TermMonths, "6" }); got.Term != (Term{Kind: TermMonths, Months: 6}) {
		t.Fatalf("months: %+v", got.Term)
	}
	bad(func(f *CarrierForm) { f.TermKind, f.TermMonths = TermMonths, "12" }, FieldTermMonths, "1 到 11")
	bad(func(f *CarrierForm) { f.TermKind = TermMonths }, FieldTermMonths, "请填写保密月数")
	ok(func(f *CarrierForm) { f.Level, f.TermKind = LevelTopSecret, TermLong })
	bad(func(f *CarrierForm) { f.TermKind = TermLong }, FieldTerm, "只有绝密")
	if got := ok(func(f *CarrierForm) { f.DocDate = "2026/11/02" }); got.DocDate != "2026-11-02" {
		t.Fatalf("doc date %q", got.DocDate)
	}
	bad(func(f *CarrierForm) { f.DocDate = "2026-11-21" }, FieldDocDate, "不能晚于收文日期")
	bad(func(f *CarrierForm) { f.DocDate = "2026-02-30" }, FieldDocDate, "不是有效日期")
	// A date term must lie after the 成文日期, and within the maximum counted from it.
	ok(func(f *CarrierForm) { f.DocDate, f.TermKind, f.TermUntil = "2026-01-01", TermUntil, "2026-06-30" })
	bad(func(f *CarrierForm) { f.DocDate, f.TermKind, f.TermUntil = "2020-01-01", TermUntil, "2041-01-01" }, FieldTermUntil, "不能晚于 2040-01-01")
}

// R22: a blank 份号 stays blank on every copy; lists and ranges name each
// copy; 份数 must agree with a list.
func TestCheck_R22_CopyNumbers(t *testing.T) {
	check := func(copyNo, copies string) ([]int, error) {
		f := validForm()
		f.CopyNo, f.Copies = copyNo, copies
		out, err := f.Check(today)
		return out.CopyNos, err
	}
	for _, c := range []struct {
		copyNo, copies string
		want           []int
	}{
		{"", "", []int{0}},
		{"", "2", []int{0, 0}},
		{"000012", "", []int{12}},
		{"000012", "3", []int{12, 13, 14}},
		{"000012、000037", "", []int{12, 37}},
		{"000012, 000037", "2", []int{12, 37}},
		{"000001-000003", "", []int{1, 2, 3}},
		{"1-2、7", "", []int{1, 2, 7}},
	} {
		got, err := check(c.copyNo, c.copies)
		if err != nil || len(got) != len(c.want) {
			t.Errorf("%q × %q: %v %v, want %v", c.copyNo, c.copies, got, err, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q × %q: %v, want %v", c.copyNo, c.copies, got, c.want)
				break
			}
		}
	}
	for _, c := range []struct{ copyNo, copies, msg string }{
		{"000012、000037", "3", "不一致"},
		{"000012、000012", "", "重复"},
		{"3-1", "", "无法识别"},
		{"0", "", "份号应在"},
	} {
		if _, err := check(c.copyNo, c.copies); err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("%q × %q: want %q, got %v", c.copyNo, c.copies, c.msg, err)
		}
	}
}

// Electronic carriers record a capacity in 页数或容量; paper its pages.
func TestCheck_CapacityOfElectronicCarriers(t *testing.T) {
	f := validForm()
	f.Kind, f.Pages = KindUSB, "8 gb"
	out, err := f.Check(today)
	if err != nil || out.Capacity != "8GB" || out.Pages != 0 {
		t.Fatalf("8 gb on a USB stick: %+v %v", out, err)
	}
	f.Kind, f.Pages = KindDisc, "650MB"
	if out, err := f.Check(today); err != nil || out.Capacity != "650MB" {
		t.Fatalf("650MB disc: %v", err)
	}
	f.Kind, f.Pages = KindPaper, "8GB"
	if _, err := f.Check(today); err == nil || !strings.Contains(err.Error(), "请填页数") {
		t.Fatalf("paper with a capacity: %v", err)
	}
	f.Pages = "12页"
	if out, err := f.Check(today); err != nil || out.Pages != 12 {
		t.Fatalf("12页: %v", err)
	}
}

// R16, R23: a 摘录 or 汇编 takes the highest level of its sources and a
// term no shorter than any of theirs.
func TestCombinedMark_R23_HighestLevelLongestTerm(t *testing.T) {
	secret5 := Carrier{Level: LevelSecret, TermKind: TermYears, TermYears: 5, RegDate: "2026-01-01", DocDate: "2026-01-01"}
	conf10 := Carrier{Level: LevelConfidential, TermKind: TermYears, TermYears: 10, RegDate: "2026-02-01", DocDate: "2026-02-01"}
	internal := Carrier{Level: LevelInternal, TermKind: TermDefault, RegDate: "2026-03-01"}
	l, term := CombinedMark([]Carrier{secret5, conf10, internal})
	if l != LevelSecret || term != (Term{Kind: TermUntil, Until: "2036-02-01"}) || Marking(l, term) != "机密★2036年2月1日" {
		t.Fatalf("机密 5 年 + 秘密 10 年: %v %+v", l, term)
	}
	cond := Carrier{Level: LevelConfidential, TermKind: TermCondition, TermCondition: "会议开始前", RegDate: "2026-01-01"}
	if l, term = CombinedMark([]Carrier{cond, secret5}); l != LevelSecret || term.Kind != TermCondition ||
		term.Condition != "会议开始前；且不早于2031年1月1日" {
		t.Fatalf("condition + date: %v %+v", l, term)
	}
	if l, term = CombinedMark([]Carrier{cond, cond, secret5}); term.Condition != "会议开始前；且不早于2031年1月1日" {
		t.Fatalf("one condition of two sources, said once: %v %+v", l, term)
	}
	long := Carrier{Level: LevelTopSecret, TermKind: TermLong, RegDate: "2026-01-01"}
	if l, term = CombinedMark([]Carrier{secret5, long}); l != LevelTopSecret || term.Kind != TermLong {
		t.Fatalf("长期: %v %+v", l, term)
	}
	if l, term = CombinedMark([]Carrier{internal, {Level: LevelNonSecret}}); l != LevelInternal || term.Kind != TermDefault {
		t.Fatalf("内部 + 非密: %v %+v", l, term)
	}
}
