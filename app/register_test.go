package app

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"secdoc/models"
)

func countAll(t testing.TB, s *Service) int64 {
	t.Helper()
	n, err := s.Count(clerk(t, s), Query{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegister_R12_RoundTripsEveryField(t *testing.T) {
	s := newService(t)
	f := form()
	f.Urgency, f.Remarks, f.TermKind, f.TermYears = models.UrgencyUrgent, "随文附光盘一张", models.TermYears, "10"
	cs := mustRegister(t, s, f)
	if len(cs) != 1 {
		t.Fatalf("want 1 carrier, got %d", len(cs))
	}
	got, err := s.Get(clerk(t, s), cs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"RegNo": "收〔2026〕0001", "RegDate": "2026-11-20", "DocNumber": f.DocNumber, "Title": f.Title,
		"Issuer": f.Issuer, "DocKind": "通知", "Marking": "机密★10年", "CopyNo": "000001", "Pages": "6",
		"Urgency": "加急", "Kind": "纸质文件", "NeedToKnow": f.NeedToKnow, "Location": f.Location,
		"Custodian": "王敏", "Remarks": "随文附光盘一张", "State": "在库", "CreatedBy": "王敏",
	}
	have := map[string]string{
		"RegNo": got.RegNo, "RegDate": got.RegDate, "DocNumber": got.DocNumber, "Title": got.Title,
		"Issuer": got.Issuer, "DocKind": got.DocKind, "Marking": got.Marking(), "CopyNo": got.CopyNoText(),
		"Pages": fmt.Sprint(got.Pages), "Urgency": string(got.Urgency), "Kind": string(got.Kind),
		"NeedToKnow": got.NeedToKnow, "Location": got.Location, "Custodian": got.Custodian,
		"Remarks": got.Remarks, "State": got.State.String(), "CreatedBy": got.CreatedBy,
	}
	for k, v := range want {
		if have[k] != v {
			t.Errorf("%s = %q; want %q", k, have[k], v)
		}
	}
	if got.Version != 1 || got.CreatedAt.IsZero() || got.ID == "" || got.Seq != 1 {
		t.Errorf("bookkeeping wrong: %+v", got)
	}
	byNo, err := s.GetByRegNo(clerk(t, s), "收[2026]0001")
	if err != nil || byNo.ID != got.ID {
		t.Errorf("GetByRegNo with other brackets: %v %v", byNo.ID, err)
	}
	hist, err := s.History(clerk(t, s), got.ID)
	if err != nil || len(hist) != 1 || hist[0].Action != models.ActionRegister || hist[0].Actor != "王敏" ||
		!strings.Contains(hist[0].NewValue, "收〔2026〕0001") {
		t.Fatalf("history after register: %+v, %v", hist, err)
	}
}

func TestRegister_CopiesMakeOneCarrierEach(t *testing.T) {
	s := newService(t)
	f := form()
	f.CopyNo, f.Copies = "4", "3"
	cs := mustRegister(t, s, f)
	if len(cs) != 3 {
		t.Fatalf("want 3 carriers, got %d", len(cs))
	}
	for i, c := range cs {
		if c.CopyNo != 4+i || c.CopyCount != 3 || c.BatchID != cs[0].BatchID {
			t.Errorf("copy %d: %+v", i, c)
		}
		if want := fmt.Sprintf("收〔2026〕%04d", i+1); c.RegNo != want {
			t.Errorf("copy %d reg no %s; want %s", i, c.RegNo, want)
		}
	}
}

func TestRegister_R12_DuplicateDocNumberAndCopyRefused(t *testing.T) {
	s := newService(t)
	f := form()
	f.CopyNo, f.Copies = "1", "3"
	mustRegister(t, s, f)
	before := countAll(t, s)

	dup := form()
	dup.CopyNo, dup.Copies = "3", "2" // copy 3 exists, copy 4 does not: nothing may be saved
	dup.DocNumber = "遂安府办发[2026]30号"  // other brackets, same number
	_, err := s.Register(as(t, s, "王敏"), dup)
	if !errors.Is(err, models.ErrDuplicateCopy) {
		t.Fatalf("want ErrDuplicateCopy, got %v", err)
	}
	v, _ := models.AsValidation(err)
	if msg := v.Msg(models.FieldCopyNo); !strings.Contains(msg, "000003") || !strings.Contains(msg, "收〔2026〕0003") {
		t.Fatalf("message should name the copy and its register number: %q", msg)
	}
	if after := countAll(t, s); after != before {
		t.Fatalf("refused registration saved %d carriers", after-before)
	}
	// The refused attempt used no register number: the next one is 0004.
	ok := form()
	ok.CopyNo = "4"
	if cs := mustRegister(t, s, ok); cs[0].RegNo != "收〔2026〕0004" {
		t.Fatalf("register number after a refusal: %s", cs[0].RegNo)
	}
	// Without a 文号 nothing is compared.
	none := form()
	none.DocNumber = ""
	mustRegister(t, s, none)
	mustRegister(t, s, none)
}

func TestRegister_R12_BadInputSavesNothing(t *testing.T) {
	s := newService(t)
	f := form()
	f.RegDate = "2026-02-30"
	_, err := s.Register(as(t, s, "王敏"), f)
	if v, ok := models.AsValidation(err); !ok || v.Msg(models.FieldRegDate) == "" {
		t.Fatalf("want a date message, got %v", err)
	}
	if n := countAll(t, s); n != 0 {
		t.Fatalf("saved %d carriers", n)
	}
	if cs := mustRegister(t, s, form()); cs[0].RegNo != "收〔2026〕0001" {
		t.Fatalf("a refused form consumed a register number: %s", cs[0].RegNo)
	}
}

// R15, R20: a blank term is handled as the level's statutory maximum and
// printed as the document reads, the level alone.
func TestRegister_R15_R20_BlankTermIsStatutoryMaximum(t *testing.T) {
	s := newService(t)
	want := map[models.Level]string{models.LevelTopSecret: "2056-11-20", models.LevelSecret: "2046-11-20",
		models.LevelConfidential: "2036-11-20"}
	for l, expiry := range want {
		f := form()
		f.Level, f.DocNumber = l, "测试〔2026〕"+fmt.Sprint(int(l))+"号"
		c := mustRegister(t, s, f)[0]
		if got := c.Marking(); got != l.String() {
			t.Errorf("%v: mark %s", l, got)
		}
		if d, ok := models.TermExpiry(c); !ok || d.Format(models.DateLayout) != expiry {
			t.Errorf("%v: expiry %v, want %s", l, d, expiry)
		}
	}
}

func TestRegNo_PerDirectionAndYear(t *testing.T) {
	s := newService(t)
	reg := func(d models.Direction, date string) string {
		f := form()
		f.Direction, f.RegDate, f.DocNumber = d, date, ""
		f.TermKind, f.TermYears = models.TermYears, "5"
		return mustRegister(t, s, f)[0].RegNo
	}
	got := []string{
		reg(models.DirIncoming, "2026-01-05"), reg(models.DirIncoming, "2026-02-05"),
		reg(models.DirOutgoing, "2026-02-06"), reg(models.DirIncoming, "2025-12-30"),
		reg(models.DirOutgoing, "2026-03-01"),
	}
	want := []string{"收〔2026〕0001", "收〔2026〕0002", "发〔2026〕0001", "收〔2025〕0001", "发〔2026〕0002"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("got %v; want %v", got, want)
	}
	years, _ := s.Years(clerk(t, s))
	if fmt.Sprint(years) != "[2026 2025]" {
		t.Fatalf("years %v", years)
	}
}

// Register numbers stay unique and gap-free when many saves race on the same
// file through separate connections.
func TestRegNo_UniqueAndGapFreeUnderConcurrentSaves(t *testing.T) {
	s := newService(t)
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				f := form()
				f.DocNumber = fmt.Sprintf("并发〔2026〕%d-%d号", w, i)
				if i%5 == 0 {
					f.Copies = "2"
				}
				if _, err := s.Register(as(t, s, fmt.Sprintf("录入员%d", w)), f); err != nil {
					errs <- err
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	rows, err := s.Page(clerk(t, s), Query{Sort: SortSeq, Asc: true}, 0, 10000)
	if err != nil {
		t.Fatal(err)
	}
	wantN := workers * (each + each/5)
	if len(rows) != wantN {
		t.Fatalf("%d rows; want %d", len(rows), wantN)
	}
	nos := make([]string, len(rows))
	for i, r := range rows {
		nos[i] = r.RegNo
		if r.Seq != int64(i+1) {
			t.Fatalf("seq gap at %d: %d", i, r.Seq)
		}
	}
	sort.Strings(nos)
	for i, no := range nos {
		if want := fmt.Sprintf("收〔2026〕%04d", i+1); no != want {
			t.Fatalf("register numbers not gap-free: position %d is %s, want %s", i, no, want)
		}
	}
}

func TestEdit_RecordsEachChangedFieldWithWhoAndWhen(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	f := FormOf(c)
	f.Title, f.Location, f.Pages = "关于做好2026年度保密自查工作的补充通知", "机要室5号柜", "8"
	got, err := s.Edit(as(t, s, "李强"), c.ID, c.Version, f, "题名录入有误")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != f.Title || got.Location != "机要室5号柜" || got.Pages != 8 || got.Version != 2 {
		t.Fatalf("edit not stored: %+v", got)
	}
	hist, _ := s.History(clerk(t, s), c.ID)
	var lines []string
	for _, e := range hist[1:] {
		if e.Actor != "李强" || e.Action != models.ActionEdit || e.Reason != "题名录入有误" || e.At.IsZero() {
			t.Errorf("event %+v", e)
		}
		lines = append(lines, e.Field+":"+e.OldValue+"→"+e.NewValue)
	}
	want := []string{"题名:" + c.Title + "→" + f.Title, "页数或容量:6→8", "存放位置:机要室3号柜→机要室5号柜"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Fatalf("history\n got %v\nwant %v", lines, want)
	}
	// The index follows the edit.
	if n, _ := s.Count(clerk(t, s), Query{Keyword: "补充通知"}); n != 1 {
		t.Fatalf("edited title not searchable: %d", n)
	}
	// Saving the same form again changes nothing and writes no history.
	if _, err := s.Edit(as(t, s, "李强"), c.ID, got.Version, f, ""); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.History(clerk(t, s), c.ID); len(h) != len(hist) {
		t.Fatalf("no-op edit wrote history: %d → %d", len(hist), len(h))
	}
}

func TestEdit_StaleVersionRefused(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	f := FormOf(c)
	f.Location = "A"
	if _, err := s.Edit(as(t, s, "甲"), c.ID, c.Version, f, ""); err != nil {
		t.Fatal(err)
	}
	f.Location = "B"
	if _, err := s.Edit(as(t, s, "乙"), c.ID, c.Version, f, ""); !errors.Is(err, models.ErrStale) {
		t.Fatalf("want ErrStale, got %v", err)
	}
	if got, _ := s.Get(clerk(t, s), c.ID); got.Location != "A" {
		t.Fatalf("stale edit overwrote: %s", got.Location)
	}
}

func TestEdit_R15_LevelAndTermNotEditable(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	for name, edit := range map[string]func(*models.CarrierForm){
		"level": func(f *models.CarrierForm) { f.Level = models.LevelConfidential },
		"term":  func(f *models.CarrierForm) { f.TermKind, f.TermYears = models.TermYears, "5" },
	} {
		f := FormOf(c)
		edit(&f)
		_, err := s.Edit(as(t, s, "甲"), c.ID, c.Version, f, "")
		if v, ok := models.AsValidation(err); !ok || !strings.Contains(v.Msg(models.FieldLevel), "变更") {
			t.Fatalf("%s change: want refusal naming the change procedure, got %v", name, err)
		}
	}
	f := FormOf(c)
	f.RegDate = "2025-12-31"
	if _, err := s.Edit(as(t, s, "甲"), c.ID, c.Version, f, ""); err == nil {
		t.Fatal("changing the register year was accepted")
	}
	if got, _ := s.Get(clerk(t, s), c.ID); got.Version != 1 || got.Marking() != c.Marking() {
		t.Fatalf("refused edit changed the carrier: %+v", got)
	}
}

func TestEdit_R12_DuplicateCopyRefused(t *testing.T) {
	s := newService(t)
	f := form()
	f.Copies = "2"
	cs := mustRegister(t, s, f)
	e := FormOf(cs[1])
	e.CopyNo = "1"
	if _, err := s.Edit(as(t, s, "甲"), cs[1].ID, cs[1].Version, e, ""); !errors.Is(err, models.ErrDuplicateCopy) {
		t.Fatalf("want ErrDuplicateCopy, got %v", err)
	}
}

func TestVoid_R14_NeedsReasonKeepsRecordFreesCopyNo(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	err := s.Void(as(t, s, "王敏"), c.ID, c.Version, "错了")
	if v, ok := models.AsValidation(err); !ok || v.Msg(models.FieldVoidReason) == "" {
		t.Fatalf("short reason: want a message, got %v", err)
	}
	if err := s.Void(as(t, s, "王敏"), c.ID, c.Version, "份号登记错误，应为000002"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(clerk(t, s), c.ID)
	if err != nil || got.State != models.StateVoided || got.VoidReason != "份号登记错误，应为000002" {
		t.Fatalf("voided carrier: %+v %v", got, err)
	}
	if err := s.Void(as(t, s, "王敏"), c.ID, got.Version, "再次作废测试"); !errors.Is(err, models.ErrVoided) {
		t.Fatalf("voiding twice: %v", err)
	}
	if _, err := s.Edit(as(t, s, "王敏"), c.ID, got.Version, FormOf(got), ""); !errors.Is(err, models.ErrVoided) {
		t.Fatalf("editing a voided carrier: %v", err)
	}
	hist, _ := s.History(clerk(t, s), c.ID)
	last := hist[len(hist)-1]
	if last.Action != models.ActionVoid || last.Reason != "份号登记错误，应为000002" || last.Actor != "王敏" {
		t.Fatalf("void event %+v", last)
	}
	// The same 文号 and 份号 can now be registered correctly, under a new number.
	again := mustRegister(t, s, form())[0]
	if again.RegNo != "收〔2026〕0002" {
		t.Fatalf("voided register number reused or skipped: %s", again.RegNo)
	}
	// Held view hides it, the full view keeps it.
	if n, _ := s.Count(clerk(t, s), HeldQuery()); n != 1 {
		t.Fatalf("held count %d", n)
	}
	if n, _ := s.Count(clerk(t, s), Query{}); n != 2 {
		t.Fatalf("total count %d", n)
	}
}

func TestStorage_R14_NothingHardDeleted(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	db := s.DB()
	if err := db.Exec(`DELETE FROM carriers WHERE id = ?`, c.ID).Error; err == nil {
		t.Fatal("a carrier was deleted")
	}
	if err := db.Exec(`DELETE FROM carrier_events`).Error; err == nil {
		t.Fatal("history was deleted")
	}
	if err := db.Exec(`UPDATE carrier_events SET actor = 'x'`).Error; err == nil {
		t.Fatal("history was rewritten")
	}
	if h, _ := s.History(clerk(t, s), c.ID); len(h) != 1 || h[0].Actor != "王敏" {
		t.Fatalf("history changed: %+v", h)
	}
}

// A correction made to one copy of a three-copy registration is made to
// all three in one act, each with its own history line; the 份号 stay
// each copy's own, and a copy no longer held is left alone.
func TestEditRegistration_CorrectsEveryCopyOfTheRegistration(t *testing.T) {
	s := newService(t)
	sess := clerk(t, s)
	f := form()
	f.Copies = "3"
	cs := mustRegister(t, s, f)
	if len(cs) != 3 {
		t.Fatalf("%d carriers", len(cs))
	}
	if err := s.Void(sess, cs[2].ID, cs[2].Version, "登记重复，作废第三份"); err != nil {
		t.Fatal(err)
	}
	fixed := FormOf(cs[0])
	fixed.Title = "关于做好年终保密工作的通知（更正）"
	fixed.Location = "机要室5号柜"
	out, err := s.EditRegistration(sess, cs[0].ID, cs[0].Version, fixed, "题名抄错")
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 {
		t.Fatalf("changed %d carriers, want 2 (the voided one left alone)", len(out))
	}
	for i, c := range out {
		if c.Title != fixed.Title || c.Location != "机要室5号柜" || c.CopyNo != cs[i].CopyNo {
			t.Errorf("copy %d: title %q location %q 份号 %d", i, c.Title, c.Location, c.CopyNo)
		}
		evs, err := s.History(sess, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		edits := 0
		for _, e := range evs {
			if e.Action == models.ActionEdit {
				edits++
			}
		}
		if edits != 2 {
			t.Errorf("copy %d: %d edit lines, want 2 (题名, 存放位置)", i, edits)
		}
	}
	third, err := s.Get(sess, cs[2].ID)
	if err != nil {
		t.Fatal(err)
	}
	if third.Title == fixed.Title {
		t.Error("the voided copy was changed too")
	}

	// Changing the 份号 across copies is refused, and nothing changes.
	again := FormOf(out[0])
	again.CopyNo = "9"
	again.Remarks = "补记"
	_, err = s.EditRegistration(sess, out[0].ID, out[0].Version, again, "")
	if v, ok := models.AsValidation(err); !ok || !strings.Contains(v.Error(), "份号") {
		t.Fatalf("份号 across copies: %v", err)
	}
	if c, _ := s.Get(sess, out[0].ID); c.Remarks == "补记" || c.CopyNo != out[0].CopyNo {
		t.Errorf("a refused correction changed the carrier: %+v", c)
	}
}
