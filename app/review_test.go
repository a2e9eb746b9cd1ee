package app

import (
	"bytes"
	"strings"
	"testing"

	"secdoc/models"
	"secdoc/reports"
)

// R26: the outcome 保持 of a year's review is recorded for a listed, held
// carrier whose term has not ended, by an approver for 解密/变更 at its
// level, dated in the year, once; every refusal is audited and changes
// nothing. A term changed in the year shows the change as its outcome.
func TestReview_R26_KeepTermAndChangesShowOnTheList(t *testing.T) {
	s := newService(t)
	a := declassifier(t, s)
	low := addApprover(t, s, "周低", models.LevelConfidential, models.ApproveDeclassify)
	due := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermUntil, "2026-12-31"))
	later := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermYears, "5"))
	ended := one(t, s, termForm(models.LevelConfidential, "2016-01-10", models.TermDefault, ""))
	own := one(t, s, ownForm(models.LevelSecret, "2026-11-20", models.TermUntil, "2026-12-20"))
	keep := func(c models.Carrier, ap models.Approver, year int, on string) ReviewInput {
		return ReviewInput{Year: year, CarrierID: c.ID, ApproverID: ap.ID, DecidedOn: on, Note: "经审核，仍需保密"}
	}
	before := countRows(t, s)
	for _, tc := range []struct {
		in          ReviewInput
		cause       error
		field, want string
	}{
		{keep(later, a, 2026, "2026-11-23"), models.ErrNotListed, "", "不在 2026 年度审核清单上"},
		{keep(ended, a, 2026, "2026-11-23"), models.ErrTermExpired, "", "已于 2026-01-10 届满"},
		{keep(due, low, 2026, "2026-11-23"), models.ErrNoAuthority, FieldApprover, "只能审批秘密及以下"},
		{keep(due, a, 2026, "2026-11-24"), nil, FieldDecidedOn, "不能晚于今天"},
		{keep(due, a, 2026, "2025-12-30"), nil, FieldDecidedOn, "不在审核年度 2026 年内"},
		{keep(due, a, 2027, "2026-11-23"), nil, FieldReviewYear, "审核年度"},
	} {
		n := auditCount(t, s)
		_, err := s.KeepTerm(clerk(t, s), tc.in)
		wantRefusal(t, err, tc.cause, tc.field, tc.want)
		if auditCount(t, s) != n+1 {
			t.Fatalf("%+v: refusal not audited", tc.in)
		}
	}
	unchanged(t, s, before)
	if _, err := s.KeepTerm(as(t, s, "secadmin"), keep(due, a, 2026, "2026-11-23")); err == nil {
		t.Fatal("the security officer recorded the clerk's review")
	}

	if _, err := s.KeepTerm(clerk(t, s), keep(due, a, 2026, "2026-11-23")); err != nil {
		t.Fatal(err)
	}
	_, err := s.KeepTerm(clerk(t, s), keep(due, a, 2026, "2026-11-23"))
	wantRefusal(t, err, models.ErrReviewed, "", "已登记过")
	ext := termChange(own, a, models.ChangeExtend)
	ext.NewTerm = models.Term{Kind: models.TermUntil, Until: "2030-12-31"}
	if _, err := s.ChangeSecrecy(clerk(t, s), ext); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ChangeSecrecy(clerk(t, s), termChange(ended, a, models.ChangeDeclassify)); err != nil {
		t.Fatal(err)
	}
	got := map[string]ReviewRow{}
	for _, r := range reviewRows(t, s, clerk(t, s), 2026) {
		got[r.Carrier.ID] = r
	}
	if r := got[due.ID]; r.Outcome != "保持 机密★2026年12月31日" || r.By != "陈刚" || r.On != "2026-11-23" {
		t.Errorf("kept: %+v", r)
	}
	if r := got[own.ID]; r.Outcome != "延期 机密★2030年12月31日" || r.Why != ReviewChanged {
		t.Errorf("extended: %+v", r)
	}
	if r := got[ended.ID]; r.Outcome != "解密" || r.Why != ReviewChanged {
		t.Errorf("declassified: %+v", r)
	}
	if _, ok := got[later.ID]; ok || len(got) != 3 {
		t.Errorf("list: %+v", got)
	}
	var events int64
	s.db.Raw(`SELECT count(*) FROM carrier_events WHERE carrier_id = ? AND action = ?`, due.ID, models.ActionTermReview).Scan(&events)
	if events != 1 {
		t.Errorf("%d review events in the history", events)
	}
	if err := s.db.Exec(`DELETE FROM term_reviews`).Error; err == nil {
		t.Error("a review was deleted")
	}

	// Printed: every line with its outcome, marked by default with the
	// highest level and longest term on it.
	p, text := mustPrint(t, s, FormReview, "2026", "遂安市机要局2026年度国家秘密保密期限审核清单", "共 3 件",
		due.RegNo, "2026-12-31", "本年到期", "保持 机密★2026年12月31日", "陈刚", own.RegNo, "延期 机密★2030年12月31日",
		ended.RegNo, "解密", "定密责任人", "第 1 页 共 1 页")
	if p.Carriers != 3 || p.Marking != "机密★2030年12月31日" || !strings.HasPrefix(text, p.Marking) {
		t.Errorf("review list: %d carriers, marking %q, text %.40q", p.Carriers, p.Marking, text)
	}
	var b bytes.Buffer
	_, err = s.Print(clerk(t, s), FormReview, "二〇二六", reports.Options{}, &b)
	wantRefusal(t, err, models.ErrNotFound, "", "四位年份")
}
