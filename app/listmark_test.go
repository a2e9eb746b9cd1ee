package app

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"secdoc/models"
	"secdoc/reports"
)

// R26: a list or book is marked by default with the highest level in it
// and the longest term (the 汇编 rule of R16); 长期 wins; without a 国家秘密
// it bears 内部 or 非密; an empty list bears nothing.
func TestListMark_R26_HighestLevelLongestTerm(t *testing.T) {
	c := func(l models.Level, k models.TermKind, years int) models.Carrier {
		return models.Carrier{Level: l, TermKind: k, TermYears: years, DocDate: "2026-01-01", RegDate: "2026-01-05"}
	}
	for _, tc := range []struct {
		name string
		cs   []models.Carrier
		want string
	}{
		{"none", nil, ""},
		{"内部 only", []models.Carrier{c(models.LevelInternal, models.TermDefault, 0)}, "内部"},
		{"机密 5 years and 秘密 10 years", []models.Carrier{c(models.LevelSecret, models.TermYears, 5),
			c(models.LevelConfidential, models.TermYears, 10), c(models.LevelInternal, models.TermDefault, 0)}, "机密★2036年1月1日"},
		{"长期 wins", []models.Carrier{c(models.LevelConfidential, models.TermLong, 0), c(models.LevelTopSecret, models.TermYears, 30)}, "绝密★长期"},
	} {
		if got := listMark(tc.cs); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// R26: the marking the clerk confirms for a list or book: a 国家秘密 needs a
// term and a 定密责任人 whose level covers it (and the default's, when
// lowered); each refusal is audited and writes nothing; the accepted one is
// printed and recorded with who decided it; a slip keeps its own marking.
func TestPrint_R26_ConfirmedMarkingOfABook(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0] // 机密, no term marked
	addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveLoan)
	addApprover(t, s, "周正", models.LevelConfidential, models.ApproveClassify)
	addApprover(t, s, "吴定", models.LevelSecret, models.ApproveClassify)
	before := countRows(t, s)
	for _, tc := range []struct {
		opt         reports.Options
		field, want string
	}{
		{reports.Options{Marking: "机密", Classifier: "吴定"}, FieldMarking, "须同时标明保密期限"},
		{reports.Options{Marking: "高度机密★5年", Classifier: "吴定"}, FieldMarking, "无法识别"},
		{reports.Options{Marking: "机密★10年"}, FieldClassifier, "定密责任人"},
		{reports.Options{Marking: "机密★10年", Classifier: "陈刚"}, FieldClassifier, "无权审批定密"},
		{reports.Options{Marking: "秘密★5年", Classifier: "周正"}, FieldClassifier, "只能审批秘密及以下"},
		{reports.Options{Marking: "内部"}, FieldClassifier, "默认为“机密★2046年11月20日”"},
	} {
		n := auditCount(t, s)
		var b bytes.Buffer
		_, err := s.PrintRegister(clerk(t, s), Query{}, tc.opt, &b)
		wantRefusal(t, err, models.ErrBadMarking, tc.field, tc.want)
		if b.Len() != 0 || auditCount(t, s) != n+1 {
			t.Fatalf("%+v: written %d bytes, audit %d → %d", tc.opt, b.Len(), n, auditCount(t, s))
		}
	}
	unchanged(t, s, before)

	var b bytes.Buffer
	p, err := s.PrintRegister(clerk(t, s), Query{}, reports.Options{Marking: "机密☆10年", Classifier: "吴定"}, &b)
	if err != nil {
		t.Fatal(err)
	}
	if text := printedText(t, b.Bytes()); !strings.HasPrefix(text, "机密★10年") || p.Marking != "机密★2046年11月20日" {
		t.Fatalf("printed with %.30q (default %q)", text, p.Marking)
	}
	if m, err := s.DefaultMarking(clerk(t, s), FormRegister, "", Query{}); err != nil || m != p.Marking {
		t.Fatalf("the dialog's default %q %v, the printout's %q", m, err, p.Marking)
	}
	if r := lastAudit(t, s); !strings.Contains(r.Detail, "标志 机密★10年（默认 机密★2046年11月20日；定密责任人 吴定 确定）") {
		t.Fatalf("audit %q", r.Detail)
	}
	b.Reset()
	if _, err := s.Print(clerk(t, s), FormFlow, c.RegNo, reports.Options{Marking: "秘密★1年", Classifier: "吴定"}, &b); !errors.Is(err, models.ErrBadMarking) {
		t.Fatalf("a slip took another marking: %v", err)
	}
}
