package models

import (
	"strings"
	"testing"
	"time"
)

var today = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

func validForm() CarrierForm {
	return CarrierForm{
		Direction: DirIncoming, RegDate: "2026-11-20", DocNumber: "遂安府办发〔2026〕30号",
		Title: "关于做好保密自查工作的通知", Issuer: "遂安市人民政府办公室", Level: LevelSecret,
		TermKind: TermDefault, Kind: KindPaper, Custodian: "王敏",
	}
}

func TestParseDate(t *testing.T) {
	good := map[string]string{
		"2026-03-05": "2026-03-05", "2026-3-5": "2026-03-05", "2026.3.5": "2026-03-05",
		"2026/03/05": "2026-03-05", "2026年3月5日": "2026-03-05", "20260305": "2026-03-05",
		"２０２６－０３－０５": "2026-03-05", " 2024-02-29 ": "2024-02-29",
	}
	for in, want := range good {
		d, err := ParseDate(in)
		if err != nil || d.Format(DateLayout) != want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
	for _, in := range []string{"", "2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "26-3-5",
		"明天", "2026-03", "2026-03-05-01", "202603051"} {
		if d, err := ParseDate(in); err == nil {
			t.Errorf("ParseDate(%q) = %v; want an error", in, d)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-03-05", "2026年3月5日", "20260305", "2026-02-30", "２０２６．１．１"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		// Whatever parses must print and parse back to the same day.
		again, err := ParseDate(d.Format(DateLayout))
		if err != nil || !again.Equal(d) {
			t.Fatalf("%q parsed to %v, which does not round-trip (%v)", s, d, err)
		}
	})
}

func TestCheck_ValidFormPasses(t *testing.T) {
	f, err := validForm().Check(today)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.CopyNos) != 1 || f.CopyNos[0] != 0 || f.Copies != 1 || f.RegDate.Format(DateLayout) != "2026-11-20" || f.Term.Kind != TermDefault {
		t.Fatalf("defaults wrong: %+v", f)
	}
}

// Every check of the registration form has its negative case, and each names
// its own field with a Chinese message (R12, R15).
func TestCheck_R12_R15_EachBadFieldNamed(t *testing.T) {
	cases := []struct {
		name  string
		edit  func(*CarrierForm)
		field string
		msg   string
	}{
		{"no direction", func(f *CarrierForm) { f.Direction = "" }, FieldDirection, "收文"},
		{"no date", func(f *CarrierForm) { f.RegDate = " " }, FieldRegDate, "请填写收文日期"},
		{"impossible date", func(f *CarrierForm) { f.RegDate = "2026-02-30" }, FieldRegDate, "不是有效日期"},
		{"future date", func(f *CarrierForm) { f.RegDate = "2026-11-24" }, FieldRegDate, "不能晚于今天"},
		{"ancient date", func(f *CarrierForm) { f.RegDate = "1900-01-01" }, FieldRegDate, "过早"},
		{"no title", func(f *CarrierForm) { f.Title = "  " }, FieldTitle, "请填写题名"},
		{"long title", func(f *CarrierForm) { f.Title = strings.Repeat("密", MaxTitleLen+1) }, FieldTitle, "最多 200 个字"},
		{"incoming without issuer", func(f *CarrierForm) { f.Issuer = "" }, FieldIssuer, "来文单位"},
		{"no level", func(f *CarrierForm) { f.Level = LevelNone }, FieldLevel, "请选择密级"},
		{"bad level", func(f *CarrierForm) { f.Level = 7 }, FieldLevel, "请选择密级"},
		{"term years blank", func(f *CarrierForm) { f.TermKind = TermYears }, FieldTermYears, "请填写保密年限"},
		{"term years text", func(f *CarrierForm) { f.TermKind, f.TermYears = TermYears, "十年" }, FieldTermYears, "不是整数"},
		{"term years over max", func(f *CarrierForm) { f.TermKind, f.TermYears = TermYears, "25" }, FieldTermYears, "最长 20 年"},
		{"confidential over 10", func(f *CarrierForm) {
			f.Level, f.TermKind, f.TermYears = LevelConfidential, TermYears, "11"
		}, FieldTermYears, "最长 10 年"},
		{"term date bad", func(f *CarrierForm) { f.TermKind, f.TermUntil = TermUntil, "2030-13-01" }, FieldTermUntil, "不是有效日期"},
		{"term date before reg", func(f *CarrierForm) { f.TermKind, f.TermUntil = TermUntil, "2026-01-01" }, FieldTermUntil, "晚于成文日期"},
		{"term date beyond max", func(f *CarrierForm) { f.TermKind, f.TermUntil = TermUntil, "2050-01-01" }, FieldTermUntil, "不能晚于 2046-11-20"},
		{"term condition blank", func(f *CarrierForm) { f.TermKind = TermCondition }, FieldTermCondition, "解密条件"},
		{"term kind unknown", func(f *CarrierForm) { f.TermKind = "forever" }, FieldTerm, "保密期限"},
		{"copy no zero", func(f *CarrierForm) { f.CopyNo = "0" }, FieldCopyNo, "份号应在"},
		{"copy no text", func(f *CarrierForm) { f.CopyNo = "一" }, FieldCopyNo, "无法识别"},
		{"copies too many", func(f *CarrierForm) { f.Copies = "1000" }, FieldCopies, "份数应在"},
		{"copies overflow copy no", func(f *CarrierForm) { f.CopyNo, f.Copies = "999999", "2" }, FieldCopies, "超出"},
		{"negative pages", func(f *CarrierForm) { f.Pages = "-1" }, FieldPages, "无法识别"},
		{"bad urgency", func(f *CarrierForm) { f.Urgency = "立即" }, FieldUrgency, "缓急"},
		{"no kind", func(f *CarrierForm) { f.Kind = "" }, FieldKind, "载体类型"},
		{"no custodian", func(f *CarrierForm) { f.Custodian = "" }, FieldCustodian, "责任人"},
		{"long remarks", func(f *CarrierForm) { f.Remarks = strings.Repeat("备", MaxRemarkLen+1) }, FieldRemarks, "最多"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := validForm()
			c.edit(&f)
			_, err := f.Check(today)
			v, ok := AsValidation(err)
			if !ok {
				t.Fatalf("want a validation error, got %v", err)
			}
			if got := v.Msg(c.field); !strings.Contains(got, c.msg) {
				t.Fatalf("field %s: message %q does not contain %q (all: %v)", c.field, got, c.msg, v)
			}
		})
	}
}

func TestCheck_OutgoingNeedsNoIssuer(t *testing.T) {
	f := validForm()
	f.Direction, f.Issuer = DirOutgoing, ""
	f.TermKind, f.TermYears = TermYears, "5"
	if _, err := f.Check(today); err != nil {
		t.Fatal(err)
	}
	// R24: the office's own 国家秘密 document bears an explicit term.
	f.TermKind, f.TermYears = TermDefault, ""
	if _, err := f.Check(today); err == nil || !strings.Contains(err.Error(), "须明确标注保密期限") {
		t.Fatalf("outgoing blank term: %v", err)
	}
	f.Level = LevelInternal
	if _, err := f.Check(today); err != nil {
		t.Fatalf("outgoing 内部 without a term: %v", err)
	}
}

func TestCheck_FullWidthNumbersAndBrackets(t *testing.T) {
	f := validForm()
	f.CopyNo, f.Copies, f.Pages, f.DocNumber = "３", "２", "１２", "遂办发[2026]7号"
	got, err := f.Check(today)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.CopyNos) != 2 || got.CopyNos[0] != 3 || got.CopyNos[1] != 4 || got.Copies != 2 || got.Pages != 12 || got.DocNumber != "遂办发〔2026〕7号" {
		t.Fatalf("got %+v", got)
	}
}

// R10, R15, R20: a blank term prints as the document reads, the level
// alone; a condition follows ★ itself.
func TestMarking_R10_R15_ThreeForms(t *testing.T) {
	cases := []struct {
		l    Level
		term Term
		want string
	}{
		{LevelTopSecret, Term{Kind: TermDefault}, "绝密"},
		{LevelSecret, Term{Kind: TermDefault}, "机密"},
		{LevelConfidential, Term{Kind: TermDefault}, "秘密"},
		{LevelSecret, Term{Kind: TermYears, Years: 10}, "机密★10年"},
		{LevelSecret, Term{Kind: TermUntil, Until: "2030-06-30"}, "机密★2030年6月30日"},
		{LevelSecret, Term{Kind: TermCondition, Condition: "项目验收后"}, "机密★项目验收后"},
	}
	for _, c := range cases {
		if got := Marking(c.l, c.term); got != c.want {
			t.Errorf("Marking(%v, %+v) = %q; want %q", c.l, c.term, got, c.want)
		}
	}
}

func TestFormatCopyNo_SixDigits(t *testing.T) {
	for n, want := range map[int]string{1: "000001", 42: "000042", 999999: "999999", 0: ""} {
		if got := FormatCopyNo(n); got != want {
			t.Errorf("FormatCopyNo(%d) = %s; want %s", n, got, want)
		}
	}
}

func TestLevelAndStateLabels(t *testing.T) {
	for _, l := range Levels {
		if p, ok := ParseLevel(l.String()); !ok || p != l {
			t.Errorf("level %v does not round-trip", l)
		}
	}
	for _, s := range States {
		if p, ok := ParseState(s.String()); !ok || p != s {
			t.Errorf("state %v does not round-trip", s)
		}
	}
	if StateVoided.Held() || !StateOnLoan.Held() || !StateDestroyed.Terminal() {
		t.Error("held/terminal classification wrong")
	}
}

func TestExpectedSchemaAt_EachVersionItsOwn(t *testing.T) {
	prev := 0
	for v := 1; v <= SchemaVersion(); v++ {
		s, err := ExpectedSchemaAt(v)
		if err != nil {
			t.Fatal(err)
		}
		if s.Version != v || len(s.Objects) < prev {
			t.Fatalf("version %d: schema says %d with %d objects", v, s.Version, len(s.Objects))
		}
		prev = len(s.Objects)
	}
	if _, ok := mustSchema(t, 11).Objects["row_seals"]; ok {
		t.Error("schema 11 has the seals of schema 12")
	}
	if _, err := ExpectedSchemaAt(SchemaVersion() + 1); err == nil {
		t.Error("a schema from the future")
	}
}

func mustSchema(t *testing.T, v int) *Schema {
	s, err := ExpectedSchemaAt(v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
