package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"secdoc/models"
)

// termSnap is what a refused secrecy change must leave untouched: the row
// counts and every carrier's mark, state and version.
type termSnap struct {
	events, changes, audit int64
	carriers               string
}

func snapTerm(t *testing.T, s *Service) termSnap {
	t.Helper()
	var sn termSnap
	for _, q := range []struct {
		table string
		n     *int64
	}{{"carrier_events", &sn.events}, {"secrecy_changes", &sn.changes},
		{"audit_log WHERE event NOT IN ('denied', 'rule_denied')", &sn.audit}} {
		if err := s.db.Raw(`SELECT count(*) FROM ` + q.table).Scan(q.n).Error; err != nil {
			t.Fatal(err)
		}
	}
	var cs []models.Carrier
	if err := s.db.Order("seq").Find(&cs).Error; err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s %s %s v%d;", c.RegNo, c.Marking(), c.State, c.Version)
	}
	sn.carriers = b.String()
	return sn
}

func termUnchanged(t *testing.T, s *Service, before termSnap) {
	t.Helper()
	if after := snapTerm(t, s); after != before {
		t.Fatalf("database changed by a refused change:\nbefore %+v\nafter  %+v", before, after)
	}
}

// termForm is form() with the register date and the term given.
func termForm(level models.Level, regDate string, kind models.TermKind, value string) models.CarrierForm {
	f := form()
	f.DocNumber = ""
	f.Level, f.RegDate, f.TermKind = level, regDate, kind
	switch kind {
	case models.TermYears:
		f.TermYears = value
	case models.TermMonths:
		f.TermMonths = value
	case models.TermUntil:
		f.TermUntil = value
	case models.TermCondition:
		f.TermCondition = value
	}
	return f
}

func one(t *testing.T, s *Service, f models.CarrierForm) models.Carrier {
	t.Helper()
	return mustRegister(t, s, f)[0]
}

func declassifier(t *testing.T, s *Service) models.Approver {
	return addApprover(t, s, "陈刚", models.LevelTopSecret, models.ApproveDeclassify)
}

// termChange is a change of c on the basis the law gives it (R20): the
// originating authority's notice for a received document, the decision of
// approver a (the 定密责任人) for the office's own.
func termChange(c models.Carrier, a models.Approver, kind models.TermChangeKind) TermChange {
	in := TermChange{CarrierID: c.ID, Kind: kind, AuthorityDoc: "遂安保密〔2026〕12号",
		Reason: "年度审核", DecidedOn: "2026-11-23"}
	if c.Direction == models.DirIncoming {
		in.Basis, in.Authority = BasisNotice, "遂安市保密局"
	} else {
		in.Basis, in.DecidedBy = BasisDecision, a.ID
	}
	return in
}

// ownForm is termForm for a document of the office's own (发文/自产).
func ownForm(level models.Level, regDate string, kind models.TermKind, value string) models.CarrierForm {
	f := termForm(level, regDate, kind, value)
	f.Direction, f.Issuer = models.DirOutgoing, "遂安市人民政府办公室"
	if kind == models.TermDefault { // the office's own bear an explicit term (R24)
		f.TermKind, f.TermYears = models.TermYears, "10"
	}
	return f
}

func TestTerm_R15_TermExpiryForms(t *testing.T) {
	c := models.Carrier{Level: models.LevelSecret, TermKind: models.TermDefault, RegDate: "2026-11-20"}
	if d, ok := models.TermExpiry(c); !ok || d.Format(models.DateLayout) != "2046-11-20" {
		t.Fatalf("default 机密: %v %v", d, ok)
	}
	c.TermKind, c.TermYears = models.TermYears, 5
	if d, ok := models.TermExpiry(c); !ok || d.Format(models.DateLayout) != "2031-11-20" {
		t.Fatalf("5 years: %v %v", d, ok)
	}
	c.TermKind, c.TermUntil = models.TermUntil, "2030-06-30"
	if d, ok := models.TermExpiry(c); !ok || d.Format(models.DateLayout) != "2030-06-30" {
		t.Fatalf("until: %v %v", d, ok)
	}
	c.TermKind, c.TermCondition = models.TermCondition, "项目验收后"
	if _, ok := models.TermExpiry(c); ok {
		t.Fatal("a condition term has no date")
	}
}

func TestTerm_R15_ExpiringWithinThreeMonthsListed(t *testing.T) {
	s := newService(t)
	soon := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermUntil, "2027-01-15"))
	sooner := one(t, s, termForm(models.LevelConfidential, "2016-12-01", models.TermDefault, ""))
	one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermUntil, "2027-06-30"))
	one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermCondition, "工程竣工验收后"))
	one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermDefault, ""))
	gone := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermUntil, "2027-01-10"))
	if err := s.Void(clerk(t, s), gone.ID, gone.Version, "登记错误"); err != nil {
		t.Fatal(err)
	}
	due, total, err := s.ExpiringTerms(clerk(t, s), fixedNow, 0, 0)
	if err != nil || total != 2 {
		t.Fatal(total, err)
	}
	if len(due) != 2 || due[0].Carrier.ID != sooner.ID || due[1].Carrier.ID != soon.ID {
		t.Fatalf("due = %+v", due)
	}
	if due[0].DaysLeft != 8 || due[1].DaysLeft != 53 || due[1].Expiry.Format(models.DateLayout) != "2027-01-15" {
		t.Fatalf("days left %d %d, expiry %v", due[0].DaysLeft, due[1].DaysLeft, due[1].Expiry)
	}
	// A month later the first has ended: still listed, with negative days.
	due, _, err = s.ExpiringTerms(clerk(t, s), fixedNow.AddDate(0, 1, 0), 0, 0)
	if err != nil || len(due) != 2 || due[0].DaysLeft >= 0 {
		t.Fatalf("after expiry: %+v %v", due, err)
	}
	// The home reads the soonest one and the count.
	if due, total, err := s.ExpiringTerms(clerk(t, s), fixedNow, 0, 1); err != nil || len(due) != 1 ||
		due[0].Carrier.ID != sooner.ID || total != 2 {
		t.Fatalf("the soonest of two: %+v %d %v", due, total, err)
	}
	if _, _, err := s.ExpiringTerms(as(t, s, "auditor"), fixedNow, 0, 5); err == nil {
		t.Fatal("the auditor reads no business records (R18)")
	}
}

// reviewRows is a year's whole review list.
func reviewRows(t *testing.T, s *Service, sess *Session, year int) []ReviewRow {
	t.Helper()
	rows, err := s.ReviewPage(sess, year, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.ReviewCount(sess, year); err != nil || n != int64(len(rows)) {
		t.Fatalf("count %d %v, page %d", n, err, len(rows))
	}
	return rows
}

// R15, R26: the yearly review lists the held 国家秘密 carriers whose term
// ends in the year or has ended (soonest first), then those whose 解密条件
// is to be checked; not a term ending later, not 长期, not 内部.
func TestTerm_R26_YearlyReviewList(t *testing.T) {
	s := newService(t)
	in2027 := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermUntil, "2027-06-30"))
	cond := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermCondition, "工程竣工验收后"))
	one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermYears, "5"))
	one(t, s, termForm(models.LevelTopSecret, "2026-11-20", models.TermLong, ""))
	old := one(t, s, termForm(models.LevelConfidential, "2016-01-10", models.TermDefault, ""))
	months := one(t, s, termForm(models.LevelConfidential, "2026-08-31", models.TermMonths, "6"))
	list := reviewRows(t, s, clerk(t, s), 2027)
	if len(list) != 4 {
		t.Fatalf("list = %+v", list)
	}
	want := []struct {
		id, expiry, why string
	}{{old.ID, "2026-01-10", ReviewExpired}, {months.ID, "2027-03-03", ReviewExpiring},
		{in2027.ID, "2027-06-30", ReviewExpiring}, {cond.ID, "", ReviewCheck}}
	for i, w := range want {
		r := list[i]
		if r.Carrier.ID != w.id || r.Expiry != w.expiry || r.Why != w.why || r.Outcome != "待审核" {
			t.Errorf("line %d: %s %q %q %q, want %s %q %q", i+1, r.Carrier.RegNo, r.Expiry, r.Why, r.Outcome,
				w.id, w.expiry, w.why)
		}
		// The list's end date is the one the register computes.
		if d, ok := models.TermExpiry(r.Carrier); ok && d.Format(models.DateLayout) != r.Expiry {
			t.Errorf("line %d: SQL end %s, models.TermExpiry %s", i+1, r.Expiry, d.Format(models.DateLayout))
		}
	}
	// Read a line at a time, and two at a time across the end of the terms
	// ending: the same lines in the same order.
	for _, size := range []int{1, 2, 3} {
		for at := 0; at < len(want); at += size {
			page, err := s.ReviewPage(clerk(t, s), 2027, at, size)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range page {
				if at+i >= len(want) || r.Carrier.ID != want[at+i].id || r.Expiry != want[at+i].expiry {
					t.Errorf("pages of %d: line %d is %s %q", size, at+i+1, r.Carrier.RegNo, r.Expiry)
				}
			}
			if n := min(size, len(want)-at); len(page) != n {
				t.Errorf("pages of %d at %d: %d lines, want %d", size, at, len(page), n)
			}
		}
	}
	if _, err := s.ReviewPage(as(t, s, "auditor"), 2027, 0, 10); err == nil {
		t.Fatal("the auditor reads no business records (R18)")
	}
	if rows := reviewRows(t, s, as(t, s, "secadmin"), 2027); len(rows) != 4 {
		t.Fatalf("the security officer sees %d lines", len(rows))
	}
}

func TestTerm_R15_ExtendOnlyBeforeExpiry(t *testing.T) {
	s := newService(t)
	a := declassifier(t, s)
	expired := one(t, s, termForm(models.LevelConfidential, "2016-01-10", models.TermYears, "10"))
	before := snapTerm(t, s)
	in := termChange(expired, a, models.ChangeExtend)
	in.NewTerm = models.Term{Kind: models.TermUntil, Until: "2026-12-31"}
	_, err := s.ChangeSecrecy(clerk(t, s), in)
	wantRefusal(t, err, models.ErrTermExpired, FieldChangeKind, "2026-01-10", "届满", "解密")
	termUnchanged(t, s, before)

	live := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermYears, "5"))
	before = snapTerm(t, s)
	in = termChange(live, a, models.ChangeExtend)
	in.NewTerm = models.Term{Kind: models.TermYears, Years: 3}
	_, err = s.ChangeSecrecy(clerk(t, s), in)
	wantRefusal(t, err, models.ErrBadTermChange, FieldNewTerm, "晚于原届满日期")
	termUnchanged(t, s, before)
	in.NewTerm = models.Term{Kind: models.TermYears, Years: 25}
	_, err = s.ChangeSecrecy(clerk(t, s), in)
	wantRefusal(t, err, models.ErrBadTermChange, FieldNewTerm, "20 年")
	termUnchanged(t, s, before)

	in.NewTerm = models.Term{Kind: models.TermYears, Years: 15}
	c, err := s.ChangeSecrecy(clerk(t, s), in)
	if err != nil {
		t.Fatal(err)
	}
	if c.Marking() != "机密★15年" || c.Version != live.Version+1 || c.State != models.StateInStore {
		t.Fatalf("extended: %s v%d %s", c.Marking(), c.Version, c.State)
	}
}

func TestTerm_R15_DowngradeMustLower(t *testing.T) {
	s := newService(t)
	a := declassifier(t, s)
	c := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermDefault, ""))
	before := snapTerm(t, s)
	for _, l := range []models.Level{models.LevelSecret, models.LevelTopSecret, models.LevelNone} {
		in := termChange(c, a, models.ChangeDowngrade)
		in.NewLevel = l
		_, err := s.ChangeSecrecy(clerk(t, s), in)
		wantRefusal(t, err, models.ErrNotLower, FieldNewLevel, "降密", "低于机密")
		termUnchanged(t, s, before)
	}
	in := termChange(c, a, models.ChangeDowngrade)
	in.NewLevel = models.LevelConfidential
	got, err := s.ChangeSecrecy(clerk(t, s), in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Marking() != "秘密" {
		t.Fatalf("downgraded mark %s, want the new level alone (its maximum)", got.Marking())
	}
}

func TestTerm_R15_AuthorityDocRequired(t *testing.T) {
	s := newService(t)
	a := declassifier(t, s)
	c := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermDefault, ""))
	before := snapTerm(t, s)
	for _, doc := range []string{"", "   "} {
		in := termChange(c, a, models.ChangeDeclassify)
		in.AuthorityDoc = doc
		_, err := s.ChangeSecrecy(clerk(t, s), in)
		wantRefusal(t, err, models.ErrChangeNeedsDoc, FieldAuthorityDoc, "文号")
		termUnchanged(t, s, before)
	}
	// The table itself refuses a row without one, and any change or deletion.
	if err := s.db.Exec(`INSERT INTO secrecy_changes(id, group_id, carrier_id, kind, old_level, old_term_kind,
		old_marking, new_level, new_marking, approver_id, approver_name, authority_doc, decided_on, recorded_at,
		recorded_by) VALUES ('x','g',?,'解密',2,'default','机密★20年',0,'已解密',?,'陈刚','','2026-11-23',
		CURRENT_TIMESTAMP,'王敏')`, c.ID, a.ID).Error; err == nil {
		t.Fatal("row without authority document accepted")
	}
	if _, err := s.ChangeSecrecy(clerk(t, s), termChange(c, a, models.ChangeDeclassify)); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Exec(`UPDATE secrecy_changes SET authority_doc = 'x'`).Error; err == nil {
		t.Fatal("secrecy change updated")
	}
	if err := s.db.Exec(`DELETE FROM secrecy_changes`).Error; err == nil {
		t.Fatal("secrecy change deleted")
	}
}

func TestTerm_R15_DeclassifyLeavesHeldView(t *testing.T) {
	s := newService(t)
	a := declassifier(t, s)
	c := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermUntil, "2027-01-15"))
	// Out of the office: it comes back before it is declassified.
	if err := s.db.Exec(`UPDATE carriers SET state = ? WHERE id = ?`, models.StateOnLoan, c.ID).Error; err != nil {
		t.Fatal(err)
	}
	before := snapTerm(t, s)
	_, err := s.ChangeSecrecy(clerk(t, s), termChange(c, a, models.ChangeDeclassify))
	wantRefusal(t, err, models.ErrNotInStore, FieldChangeCarrier, c.RegNo, "借出", "收回")
	termUnchanged(t, s, before)
	if err := s.db.Exec(`UPDATE carriers SET state = ? WHERE id = ?`, models.StateInStore, c.ID).Error; err != nil {
		t.Fatal(err)
	}
	got, err := s.ChangeSecrecy(clerk(t, s), termChange(c, a, models.ChangeDeclassify))
	if err != nil {
		t.Fatal(err)
	}
	if got.State != models.StateDeclassified || !got.State.Terminal() {
		t.Fatalf("state %s", got.State)
	}
	due, _, _ := s.ExpiringTerms(clerk(t, s), fixedNow, 0, 0)
	list := reviewRows(t, s, clerk(t, s), 2027)
	if len(due) != 0 || len(list) != 0 {
		t.Fatalf("declassified still held: %+v %+v", due, list)
	}
	var n int64
	s.db.Raw(`SELECT count(*) FROM carriers WHERE id = ?`, c.ID).Scan(&n)
	if n != 1 {
		t.Fatal("declassified carrier left the database")
	}
	// Terminal: no further change.
	before = snapTerm(t, s)
	_, err = s.ChangeSecrecy(clerk(t, s), termChange(got, a, models.ChangeDeclassify))
	wantRefusal(t, err, models.ErrTerminal, FieldChangeCarrier, "已解密")
	termUnchanged(t, s, before)
	var audit int64
	s.db.Raw(`SELECT count(*) FROM audit_log WHERE event = ? AND object = ?`, models.EventSecrecyChange, c.RegNo).Scan(&audit)
	if audit != 1 {
		t.Fatalf("audit records %d", audit)
	}
}

func TestTerm_R16_CopyChangesWithOriginalNotAlone(t *testing.T) {
	s := newService(t)
	orig := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermDefault, ""))
	ap := addApprover(t, s, "刘强", models.LevelSecret, models.ApproveCopy)
	_, copies, err := s.DecideCopy(clerk(t, s), approve(mustRequest(t, s, copyInput(orig, 2)), ap))
	if err != nil || len(copies) != 2 {
		t.Fatalf("copies: %v", err)
	}
	a := declassifier(t, s)
	before := snapTerm(t, s)
	in := termChange(copies[0], a, models.ChangeDowngrade)
	in.NewLevel = models.LevelConfidential
	_, err = s.ChangeSecrecy(clerk(t, s), in)
	wantRefusal(t, err, models.ErrCopyChangesAlone, FieldChangeCarrier, "复制件", "原件")
	termUnchanged(t, s, before)

	in.CarrierID = orig.ID
	if _, err := s.ChangeSecrecy(clerk(t, s), in); err != nil {
		t.Fatal(err)
	}
	for _, cp := range copies {
		got, err := s.Get(clerk(t, s), cp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Marking() != "秘密" {
			t.Fatalf("copy %s mark %s", got.RegNo, got.Marking())
		}
		hist, _ := s.History(clerk(t, s), cp.ID)
		found := false
		for _, e := range hist {
			if e.Action == models.ActionDowngrade && e.OldValue == "机密" && e.NewValue == "秘密" &&
				strings.Contains(e.Reason, orig.RegNo) && strings.Contains(e.Reason, "遂安保密〔2026〕12号") {
				found = true
			}
		}
		if !found {
			t.Fatalf("copy %s has no history line of the downgrade: %+v", got.RegNo, hist)
		}
	}
	var n int64
	s.db.Raw(`SELECT count(*) FROM secrecy_changes`).Scan(&n)
	if n != 3 {
		t.Fatalf("secrecy_changes rows %d, want 3", n)
	}
}

func TestTerm_R9_ApproverAuthority(t *testing.T) {
	s := newService(t)
	c := one(t, s, ownForm(models.LevelSecret, "2026-11-20", models.TermDefault, ""))
	low := addApprover(t, s, "赵一", models.LevelConfidential, models.ApproveDeclassify)
	noAction := addApprover(t, s, "钱二", models.LevelTopSecret, models.ApproveCopy, models.ApproveDestroy)
	before := snapTerm(t, s)
	_, err := s.ChangeSecrecy(clerk(t, s), termChange(c, low, models.ChangeDeclassify))
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "赵一", "秘密", "机密")
	termUnchanged(t, s, before)
	_, err = s.ChangeSecrecy(clerk(t, s), termChange(c, noAction, models.ChangeDeclassify))
	wantRefusal(t, err, models.ErrNoAuthority, FieldApprover, "钱二", "无权")
	termUnchanged(t, s, before)
	in := termChange(c, declassifier(t, s), models.ChangeDeclassify)
	before = snapTerm(t, s)
	in.DecidedOn = "2026-11-30"
	_, err = s.ChangeSecrecy(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldDecidedOn, "不能晚于今天")
	in.DecidedOn = "2026-11-01"
	_, err = s.ChangeSecrecy(clerk(t, s), in)
	wantRefusal(t, err, models.ErrBackdated, FieldDecidedOn, "倒签")
	in.DecidedOn, in.DecidedBy = "2026-11-23", ""
	_, err = s.ChangeSecrecy(clerk(t, s), in)
	wantRefusal(t, err, nil, FieldApprover, "审批人")
	termUnchanged(t, s, before)
}

func TestTerm_R15_MarkChangesOnlyThroughChangeRecord(t *testing.T) {
	s := newService(t)
	c := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermYears, "5"))
	f := FormOf(c)
	f.Level = models.LevelConfidential
	before := snapTerm(t, s)
	_, err := s.Edit(clerk(t, s), c.ID, c.Version, f, "降密")
	wantRefusal(t, err, nil, models.FieldLevel, "不能直接修改", "变更程序")
	termUnchanged(t, s, before)

	a := declassifier(t, s)
	in := termChange(c, a, models.ChangeTermForm)
	in.NewTerm = models.Term{Kind: models.TermCondition, Condition: "工程竣工验收后"}
	got, err := s.ChangeSecrecy(clerk(t, s), in)
	if err != nil {
		t.Fatal(err)
	}
	if got.Marking() != "机密★工程竣工验收后" {
		t.Fatalf("mark %s", got.Marking())
	}
	hist, _ := s.History(clerk(t, s), c.ID)
	last := hist[len(hist)-1]
	for _, e := range hist {
		if e.Action == models.ActionTermChange {
			last = e
		}
	}
	if last.Action != models.ActionTermChange || last.OldValue != "5年" || last.NewValue != "工程竣工验收后" ||
		!strings.Contains(last.Reason, "遂安保密〔2026〕12号") || !strings.Contains(last.Reason, "遂安市保密局") {
		t.Fatalf("history %+v", last)
	}
	rows, err := s.SecrecyChanges(clerk(t, s), c.ID)
	if err != nil || len(rows) != 1 || rows[0].OldMarking != "机密★5年" || rows[0].NewMarking != got.Marking() {
		t.Fatalf("secrecy changes %+v %v", rows, err)
	}
}

// R21: 内部 and 非密 have no secrecy term to change, no expiry, no place on
// the yearly review list and no monthly self-inspection; refusing the
// change leaves the register as it was.
func TestTerm_R21_InternalAndNonSecretOutsideTheTermRules(t *testing.T) {
	s := newService(t)
	secret := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermYears, "5"))
	f := form()
	f.DocNumber, f.Level, f.Custodian = "遂办〔2026〕77号", models.LevelInternal, "赵六"
	internal := mustRegister(t, s, f)[0]
	a := declassifier(t, s)
	before := snapTerm(t, s)
	_, err := s.ChangeSecrecy(clerk(t, s), termChange(internal, a, models.ChangeDeclassify))
	wantRefusal(t, err, models.ErrBadTermChange, FieldChangeCarrier, "不属于国家秘密")
	termUnchanged(t, s, before)

	list := reviewRows(t, s, clerk(t, s), 2031)
	listed := map[string]bool{}
	for _, it := range list {
		listed[it.Carrier.ID] = true
	}
	if listed[internal.ID] || !listed[secret.ID] {
		t.Errorf("review list: 内部 listed %v, 机密 listed %v", listed[internal.ID], listed[secret.ID])
	}
	due, err := s.InspectionsDue(clerk(t, s), time.Time{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range due {
		if d.Custodian == "赵六" {
			t.Errorf("a custodian holding only 内部 is due for self-inspection: %+v", d)
		}
	}
	if _, err := s.StartInspection(clerk(t, s), "赵六"); err == nil {
		t.Error("self-inspection of 内部 only started")
	}
}

// R20: a received document changes only on the originating authority's
// notice, which names no local approver; the office's own documents change
// by its 定密责任人's decision; refusals leave the register as it was.
func TestTerm_R20_ReceivedChangesOnNoticeOwnByDecision(t *testing.T) {
	s := newService(t)
	a := declassifier(t, s)
	recv := one(t, s, termForm(models.LevelSecret, "2026-11-20", models.TermYears, "5"))
	before := snapTerm(t, s)
	local := TermChange{CarrierID: recv.ID, Kind: models.ChangeDowngrade, NewLevel: models.LevelConfidential,
		Basis: BasisDecision, DecidedBy: a.ID, AuthorityDoc: "遂安办〔2026〕3号", DecidedOn: "2026-11-23"}
	_, err := s.ChangeSecrecy(clerk(t, s), local)
	wantRefusal(t, err, models.ErrBadTermChange, FieldChangeBasis, "原定密机关", "依据通知")
	termUnchanged(t, s, before)
	notice := local
	notice.Basis, notice.DecidedBy = BasisNotice, ""
	_, err = s.ChangeSecrecy(clerk(t, s), notice)
	wantRefusal(t, err, models.ErrChangeNeedsDoc, FieldAuthority, "发出通知的机关")
	termUnchanged(t, s, before)
	notice.Authority = "川江省保密局"
	got, err := s.ChangeSecrecy(clerk(t, s), notice)
	if err != nil || got.Marking() != "秘密" {
		t.Fatalf("downgrade on notice: %v %s", err, got.Marking())
	}
	rows, _ := s.SecrecyChanges(clerk(t, s), recv.ID)
	if len(rows) != 1 || rows[0].Basis != string(BasisNotice) || rows[0].ApproverID != nil ||
		rows[0].ApproverName != "川江省保密局" || rows[0].Authority != "川江省保密局" {
		t.Fatalf("row %+v", rows)
	}

	own := one(t, s, ownForm(models.LevelSecret, "2026-11-20", models.TermYears, "5"))
	in := termChange(own, a, models.ChangeExtend)
	in.NewTerm = models.Term{Kind: models.TermYears, Years: 8}
	if got, err := s.ChangeSecrecy(clerk(t, s), in); err != nil || got.Marking() != "机密★8年" {
		t.Fatalf("extension by decision: %v %s", err, got.Marking())
	}
}

// R20: a term that has run out declassifies by itself, with no document to
// invent, once the clerk has checked no extension came; never before its
// end, never a 长期 term, and a condition only with how it was met.
func TestTerm_R20_SelfDeclassificationWhenTheTermRunsOut(t *testing.T) {
	s := newService(t)
	f := termForm(models.LevelConfidential, "2026-01-20", models.TermYears, "1")
	f.DocDate = "2025-11-01"
	ran := one(t, s, f) // 1 year from 2025-11-01: ended 2026-11-01
	running := one(t, s, termForm(models.LevelConfidential, "2026-01-20", models.TermYears, "1"))
	long := one(t, s, termForm(models.LevelTopSecret, "2026-01-20", models.TermLong, ""))
	cond := one(t, s, termForm(models.LevelSecret, "2026-01-20", models.TermCondition, "会议开始前"))
	self := func(c models.Carrier, on string) TermChange {
		return TermChange{CarrierID: c.ID, Kind: models.ChangeDeclassify, Basis: BasisExpired, DecidedOn: on, NoExtension: true}
	}
	before := snapTerm(t, s)
	for _, c := range []struct {
		in          TermChange
		field, want string
	}{
		{func() TermChange { in := self(ran, "2026-11-01"); in.NoExtension = false; return in }(), FieldNoExtension, "延期通知"},
		{self(running, "2026-11-20"), FieldChangeBasis, "2027-01-20 才届满"},
		{self(ran, "2026-11-05"), FieldDecidedOn, "届满之日 2026-11-01"},
		{self(long, "2026-11-20"), FieldChangeBasis, "长期"},
		{self(cond, "2026-11-20"), FieldReason, "如何达成"},
		{func() TermChange { in := self(ran, "2026-11-01"); in.Kind = models.ChangeDowngrade; return in }(), FieldChangeBasis, "只能自行解密"},
	} {
		_, err := s.ChangeSecrecy(clerk(t, s), c.in)
		wantRefusal(t, err, models.ErrBadTermChange, c.field, c.want)
		termUnchanged(t, s, before)
	}
	got, err := s.ChangeSecrecy(clerk(t, s), self(ran, "2026-11-01"))
	if err != nil || got.State != models.StateDeclassified {
		t.Fatalf("自行解密: %v %s", err, got.State)
	}
	rows, _ := s.SecrecyChanges(clerk(t, s), ran.ID)
	if len(rows) != 1 || rows[0].Basis != string(BasisExpired) || rows[0].AuthorityDoc != "" || rows[0].ApproverID != nil {
		t.Fatalf("row %+v", rows)
	}
	met := self(cond, "2026-11-18")
	met.Reason = "会议于2026年11月18日召开，见会议通知"
	if got, err := s.ChangeSecrecy(clerk(t, s), met); err != nil || got.State != models.StateDeclassified {
		t.Fatalf("condition met: %v", err)
	}
}

// The plan of a change is worked out from the carrier alone, without the
// database (R15, R20).
func TestPlanChange_WithoutADatabase(t *testing.T) {
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	c := models.Carrier{RegNo: "发〔2026〕0001", Direction: models.DirOutgoing, Level: models.LevelSecret,
		TermKind: models.TermYears, TermYears: 5, RegDate: "2026-01-10", DocDate: "2026-01-05", State: models.StateInStore}
	down := TermChange{Kind: models.ChangeDowngrade, Basis: BasisDecision, NewLevel: models.LevelConfidential,
		NewTerm: models.Term{Kind: models.TermYears, Years: 3}}
	p, err := planChange(c, down, "2026-11-23", today)
	if err != nil || p.newMark != "秘密★3年" || !p.approver || p.action != models.ActionDowngrade {
		t.Fatalf("plan %+v %v", p, err)
	}
	// 6 months counted from the 成文日期 2026-01-05 ended on 2026-07-05:
	// that is a declassification, not a downgrade.
	down.NewTerm = models.Term{Kind: models.TermMonths, Months: 6}
	if _, err := planChange(c, down, "2026-11-23", today); err == nil || !strings.Contains(err.Error(), "2026-07-05 已届满") {
		t.Fatalf("a downgrade to a term already ended: %v", err)
	}
	c.Direction = models.DirIncoming
	if _, err := planChange(c, TermChange{Kind: models.ChangeDeclassify, Basis: BasisDecision}, "2026-11-23", today); err == nil {
		t.Fatal("a local decision on a received document planned")
	}
}

// R21: 内部 and 非密 are lent, copied and listed for destruction on the
// record alone, without a level approval; the slip says so.
func TestWorkflows_R21_InternalWithoutLevelApproval(t *testing.T) {
	s := newService(t)
	f := form()
	f.Level, f.Copies = models.LevelInternal, "3"
	cs := mustRegister(t, s, f)
	loan, err := s.RequestLoan(clerk(t, s), LoanInput{Kind: models.LoanBorrow, CarrierID: cs[0].ID, Borrower: "刘洋",
		Purpose: "参阅", DueOn: "2026-11-30"})
	if err != nil || loan.State != models.LoanOut || loan.Decision != NoApproval || loan.ApproverID != nil {
		t.Fatalf("loan of 内部: %+v %v", loan, err)
	}
	if c, _ := s.Get(clerk(t, s), cs[0].ID); c.State != models.StateOnLoan {
		t.Fatalf("state %s", c.State)
	}
	req, err := s.RequestCopy(clerk(t, s), copyInput(cs[1], 2))
	if err != nil || req.State != models.RequestApproved || req.Approved != 2 {
		t.Fatalf("copy of 内部: %+v %v", req, err)
	}
	if copies, _ := s.OutstandingCopies(clerk(t, s), cs[1].ID); len(copies) != 2 {
		t.Fatalf("%d copies", len(copies))
	}
	b, err := s.RequestDestruction(clerk(t, s), DestructionInput{CarrierIDs: []string{cs[2].ID}, Reason: "已过时",
		Requester: "刘洋"})
	if err != nil || b.State != models.DestructionApproved || b.Decision != NoApproval {
		t.Fatalf("destruction of 内部: %+v %v", b, err)
	}
	// A 机密 carrier still waits for its approver.
	g := form()
	g.DocNumber = "遂安府办发〔2026〕99号"
	secret := mustRegister(t, s, g)[0]
	if l, err := s.RequestLoan(clerk(t, s), LoanInput{Kind: models.LoanBorrow, CarrierID: secret.ID, Borrower: "刘洋",
		Purpose: "参阅", DueOn: "2026-11-30"}); err != nil || l.State != models.LoanPending {
		t.Fatalf("loan of 机密: %+v %v", l, err)
	}
}
