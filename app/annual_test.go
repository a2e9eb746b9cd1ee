package app

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"secdoc/models"
)

// annualRefKey is one figure of the carrier tables.
type annualRefKey struct {
	flow  AnnualFlow
	level models.Level
	kind  models.CarrierKind
}

// annualReference counts the year's carrier figures the slow way, carrier by
// carrier from the whole table, each fact read by a query of its own: a
// second reading of the definitions of annual.go that shares none of
// annual_data.go's partition of the register.
func annualReference(t testing.TB, s *Service, year int) map[annualRefKey]int {
	t.Helper()
	y0, d0, d1 := fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year-1), fmt.Sprintf("%d-12-31", year)
	var cs []models.Carrier
	if err := s.db.Order("seq").Find(&cs).Error; err != nil {
		t.Fatal(err)
	}
	out := map[annualRefKey]int{}
	one := func(q string, args ...any) string {
		var v string
		s.db.Raw(q, args...).Scan(&v)
		return v
	}
	for _, c := range cs {
		if c.State == models.StateVoided {
			continue
		}
		left := ""
		var how AnnualFlow = -1
		switch c.State {
		case models.StateSent:
			how, left = FlowSent, one(`SELECT sent_on FROM sendings WHERE carrier_id = ? AND returned_on = ''`, c.ID)
		case models.StateArchived:
			how, left = FlowArchived, one(`SELECT archived_on FROM archives WHERE carrier_id = ?`, c.ID)
		case models.StateDestroyed:
			how, left = FlowDestroyed, one(`SELECT b.destroyed_on FROM destruction_batches b JOIN destruction_items i
				ON i.batch_id = b.id WHERE i.carrier_id = ? AND b.state = 'destroyed'`, c.ID)
		case models.StateReturned:
			how, left = FlowReturned, one(`SELECT b.handed_over_on FROM return_batches b JOIN return_items i
				ON i.batch_id = b.id WHERE i.carrier_id = ? AND b.state = 'handed_over'`, c.ID)
		case models.StateDeclassified:
			how, left = FlowDeclassified, one(`SELECT decided_on FROM secrecy_changes WHERE carrier_id = ? AND kind = '解密'`, c.ID)
		}
		if how >= 0 && left == "" {
			continue // no record: the balance shows it
		}
		if how >= 0 && left < c.RegDate {
			left = c.RegDate
		}
		var downs []models.SecrecyChange
		s.db.Where("carrier_id = ? AND kind = ?", c.ID, models.ChangeDowngrade).Find(&downs)
		levelAt := func(day string) models.Level { // at the end of day: before every downgrade after it
			l := models.LevelNone
			for _, d := range downs {
				if d.DecidedOn > day && d.OldLevel > l {
					l = d.OldLevel
				}
			}
			if l == models.LevelNone {
				return c.Level
			}
			return l
		}
		heldAt := func(day string) bool { return c.RegDate <= day && (how < 0 || left > day) }
		add := func(f AnnualFlow, l models.Level) { out[annualRefKey{f, l, c.Kind}]++ }
		var from, to models.Level
		if heldAt(d0) {
			from = levelAt(d0)
			add(FlowStart, from)
		}
		if c.RegDate >= y0 && c.RegDate <= d1 {
			f := FlowReceived
			switch {
			case c.IsCopy:
				f = FlowCopied
			case c.Direction == models.DirOutgoing:
				f = FlowProduced
			}
			day, _ := models.ParseDate(c.RegDate)
			from = levelAt(day.AddDate(0, 0, -1).Format(models.DateLayout))
			add(f, from)
		}
		switch {
		case heldAt(d1):
			to = levelAt(d1)
			add(FlowEnd, to)
		case how >= 0 && left >= y0 && left <= d1:
			to = levelAt(left)
			add(how, to)
		}
		if from != models.LevelNone && to != models.LevelNone && from != to {
			add(FlowDownOut, from)
			add(FlowDownIn, to)
		}
	}
	return out
}

// ForgetAnnual drops the statistics kept since they were last read, so
// that a benchmark reads them afresh.
func (s *Service) ForgetAnnual() {
	s.annual.mu.Lock()
	s.annual.data = nil
	s.annual.mu.Unlock()
}

// CheckAnnual is checkAnnual for the tests outside the package.
func CheckAnnual(t testing.TB, s *Service, sess *Session, year int) AnnualReport {
	t.Helper()
	return checkAnnual(t, s, sess, year)
}

// CheckAnnualLedger checks the statistics of years (every year of the
// register up to today's) against the ledger's own counts (Count): what
// each year registered, by kind; what is held now, by level and kind, at
// the end of today's year; what left over the years, by the state it left
// in; and each year beginning with what the year before ended with.
func CheckAnnualLedger(t testing.TB, s *Service, sess *Session, years []int) {
	t.Helper()
	count := func(q Query) int {
		n, err := s.Count(sess, q)
		if err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	var live []models.State
	for _, st := range models.States {
		if st != models.StateVoided {
			live = append(live, st)
		}
	}
	slices.Sort(years)
	reports := map[int]AnnualReport{}
	for _, y := range years {
		r, err := s.Annual(sess, y)
		if err != nil {
			t.Fatal(err)
		}
		reports[y] = r
	}
	this := s.today().Year()
	kinds := models.CarrierKinds
	for _, y := range years {
		r := reports[y]
		for _, k := range kinds {
			in := r.Flow(FlowReceived, 0, k) + r.Flow(FlowProduced, 0, k) + r.Flow(FlowCopied, 0, k)
			if n := count(Query{Year: y, States: live, Kinds: []models.CarrierKind{k}}); in != n {
				t.Errorf("%d %s: entered %d, the ledger's year has %d", y, k, in, n)
			}
		}
		if prev, ok := reports[y-1]; ok {
			for _, l := range models.AllLevels {
				for _, k := range kinds {
					if a, b := prev.Flow(FlowEnd, l, k), r.Flow(FlowStart, l, k); a != b {
						t.Errorf("%d %s %s: ended with %d, %d began with %d", y-1, l, k, a, y, b)
					}
				}
			}
		}
		if y != this {
			continue
		}
		for _, l := range models.AllLevels {
			for _, k := range kinds {
				q := Query{States: models.HeldStates, Levels: []models.Level{l}, Kinds: []models.CarrierKind{k}}
				if got, n := r.Flow(FlowEnd, l, k), count(q); got != n {
					t.Errorf("%d %s %s: held at the end %d, the ledger holds %d", y, l, k, got, n)
				}
			}
		}
	}
	if len(years) == 0 || years[0] > this || !slices.Contains(years, this) {
		return
	}
	// Over every year since the register began, what left adds up to what
	// the ledger finds in each state of leaving.
	if first := reports[years[0]]; first.Flow(FlowStart, 0, "") != 0 {
		return
	}
	for f, st := range map[AnnualFlow]models.State{FlowSent: models.StateSent, FlowReturned: models.StateReturned,
		FlowArchived: models.StateArchived, FlowDestroyed: models.StateDestroyed, FlowDeclassified: models.StateDeclassified} {
		for _, k := range kinds {
			sum := 0
			for _, y := range years {
				sum += reports[y].Flow(f, 0, k)
			}
			if n := count(Query{States: []models.State{st}, Kinds: []models.CarrierKind{k}}); sum != n {
				t.Errorf("%s %s over the years: %d, the ledger has %d %s", f, k, sum, n, st)
			}
		}
	}
}

// checkAnnual checks the report of year against the reference: every
// figure of every level and kind, the balance, and that the list behind
// every figure of the carrier tables has as many lines as the figure says,
// each once.
func checkAnnual(t testing.TB, s *Service, sess *Session, year int) AnnualReport {
	t.Helper()
	r, err := s.Annual(sess, year)
	if err != nil {
		t.Fatalf("annual %d: %v", year, err)
	}
	ref := annualReference(t, s, year)
	kinds := r.reportKinds()
	for _, f := range AnnualFlows {
		for _, l := range models.AllLevels {
			for _, k := range kinds {
				if got, want := r.Flow(f, l, k), ref[annualRefKey{f, l, k}]; got != want {
					t.Errorf("%d %s %s %s: %d, counted one by one %d", year, f, l, k, got, want)
				}
			}
		}
	}
	if !r.Balanced {
		t.Errorf("%d does not balance: %s", year, strings.Join(r.Balance, "\n"))
	}
	for _, tb := range r.Tables {
		for _, row := range tb.Rows {
			for j, c := range row.Cells {
				if c.Key == "" {
					continue
				}
				rows, total, err := s.AnnualList(sess, year, c.Key, 0, MaxAnnualPage)
				if err != nil {
					t.Fatalf("%s %s %s: %v", tb.Title, row.Label, tb.Columns[j], err)
				}
				seen := map[int64]bool{}
				for _, x := range rows {
					if x.Carrier.ID == "" {
						t.Errorf("%s %s %s: a line without its carrier", tb.Title, row.Label, tb.Columns[j])
					}
					seen[x.Carrier.Seq] = true
				}
				if total != c.Count || len(rows) != c.Count {
					t.Errorf("%s %s %s: figure %d, list says %d and has %d lines", tb.Title, row.Label, tb.Columns[j],
						c.Count, total, len(rows))
				}
				if tb.ID != "changes" && tb.ID != "loans" && tb.ID != "inspections" && len(seen) != len(rows) {
					t.Errorf("%s %s %s: a carrier listed twice", tb.Title, row.Label, tb.Columns[j])
				}
				// Read in small pages (a walk of the register in order
				// rather than the index), the list is the same.
				var paged []int64
				step := max(7, total/4)
				for off := 0; off < total; off += step {
					p, n, err := s.AnnualList(sess, year, c.Key, off, step)
					if err != nil || n != total {
						t.Fatalf("%s %s %s page at %d: %d, %v", tb.Title, row.Label, tb.Columns[j], off, n, err)
					}
					for _, x := range p {
						paged = append(paged, x.Carrier.Seq)
					}
				}
				var whole []int64
				for _, x := range rows {
					whole = append(whole, x.Carrier.Seq)
				}
				if !slices.Equal(paged, whole) {
					t.Errorf("%s %s %s: pages %v, whole %v", tb.Title, row.Label, tb.Columns[j], paged, whole)
				}
			}
		}
	}
	return r
}

// annualWorld registers and moves carriers across two years with a clock
// the test sets.
type annualWorld struct {
	t    *testing.T
	s    *Service
	now  time.Time
	boss models.Approver
}

func newAnnualWorld(t *testing.T) *annualWorld {
	w := &annualWorld{t: t, s: newService(t), now: time.Date(2025, 3, 10, 10, 0, 0, 0, time.Local)}
	w.s.Now = func() time.Time { return w.now }
	w.boss = addApprover(t, w.s, "陈局长", models.LevelTopSecret, models.ApprovalActions...)
	return w
}

func (w *annualWorld) at(day string) string {
	d, err := time.ParseInLocation(models.DateLayout, day, time.Local)
	if err != nil {
		w.t.Fatal(err)
	}
	w.now = d.Add(10 * time.Hour)
	return day
}

func (w *annualWorld) reg(doc string, l models.Level, k models.CarrierKind, dir models.Direction, copies int) []models.Carrier {
	w.t.Helper()
	f := form()
	f.RegDate, f.DocNumber, f.Level, f.Kind, f.Direction = w.now.Format(models.DateLayout), doc, l, k, dir
	f.Copies, f.CopyNo = fmt.Sprint(copies), "1"
	if dir == models.DirOutgoing && l.IsStateSecret() {
		f.TermKind, f.TermYears = models.TermYears, "10"
	}
	if !k.Paper() {
		f.Pages = "4GB"
	}
	return mustRegister(w.t, w.s, f)
}

func (w *annualWorld) must(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func (w *annualWorld) destroy(cs ...models.Carrier) {
	w.t.Helper()
	s, sess, on := w.s, clerk(w.t, w.s), w.now.Format(models.DateLayout)
	b, err := s.RequestDestruction(sess, destroyIn(cs...))
	w.must(err)
	d := approveDestruction(b, w.boss)
	d.DecidedOn = on
	_, err = s.DecideDestruction(sess, d)
	w.must(err)
	rec := sentRecord()
	rec.DestroyedOn = on
	_, err = s.CompleteDestruction(sess, b.ID, rec)
	w.must(err)
}

func (w *annualWorld) printAndLine(c models.Carrier, n int) models.DispatchLine {
	w.t.Helper()
	in := printInput(c, c.CopyCount)
	in.PrintedOn = w.now.Format(models.DateLayout)
	_, err := w.s.RecordPrinting(clerk(w.t, w.s), in)
	w.must(err)
	return mustLine(w.t, w.s, c, "川江省发展改革委", n, models.ChannelCourier)
}

func (w *annualWorld) notice(c models.Carrier, kind models.TermChangeKind, to models.Level) {
	w.t.Helper()
	c, err := w.s.Get(clerk(w.t, w.s), c.ID)
	w.must(err)
	in := TermChange{CarrierID: c.ID, Version: c.Version, Kind: kind, Basis: BasisNotice, Authority: "川江省保密局",
		AuthorityDoc: "川保发〔2026〕7号", DecidedOn: w.now.Format(models.DateLayout), NewLevel: to}
	_, err = w.s.ChangeSecrecy(clerk(w.t, w.s), in)
	w.must(err)
}

// The year's balance and each figure by the stored history, across two
// years: registrations, copies, sending (one sent in error and returned),
// destruction, a downgrade moving an original and its copy between levels,
// 归档, 清退, 解密 and a void (R26).
func TestAnnual_R26_FiguresOfTwoYears(t *testing.T) {
	w := newAnnualWorld(t)
	s, sess := w.s, clerk(t, w.s)
	w.at("2025-03-10")
	a := w.reg("川发改〔2025〕3号", models.LevelSecret, models.KindPaper, models.DirIncoming, 3)
	b := w.reg("川发改〔2025〕4号", models.LevelConfidential, models.KindDisc, models.DirIncoming, 1)
	c := w.reg("遂发改〔2025〕1号", models.LevelInternal, models.KindPaper, models.DirOutgoing, 2)
	w.at("2025-04-02")
	req := mustRequest(t, s, copyInput(a[0], 1))
	d := approve(req, w.boss)
	d.DecidedOn = "2025-04-02"
	_, copies, err := s.DecideCopy(sess, d)
	w.must(err)
	w.at("2025-06-18")
	mustSend(t, s, w.printAndLine(c[0], 1), "2025-06-18", c[0])
	w.at("2025-09-01")
	w.destroy(a[2])

	w.at("2026-02-10")
	w.notice(a[0], models.ChangeDowngrade, models.LevelConfidential) // and its copy with it
	w.at("2026-05-06")
	_, err = s.Archive(sess, b[0].ID, "WS·2026-Y-0012", "")
	w.must(err)
	w.at("2026-06-01")
	_, err = s.FlagReturnToIssuer(sess, a[1].ID, true)
	w.must(err)
	rb, err := s.CreateReturnBatch(sess, a[1].Issuer)
	w.must(err)
	_, err = s.HandOverReturnBatch(sess, rb.ID, "省发改委 李娟", "2026-06-01")
	w.must(err)
	w.at("2026-07-01")
	dd := w.reg("川发改〔2026〕8号", models.LevelConfidential, models.KindPaper, models.DirIncoming, 1)
	e := w.reg("遂发改〔2026〕2号", models.LevelInternal, models.KindPaper, models.DirOutgoing, 2)
	line := w.printAndLine(e[0], 2)
	sent := mustSend(t, s, line, "2026-07-01", e[0])
	w.at("2026-07-05")
	_, err = s.ReturnSent(sess, sent[0].ID, "2026-07-05", "误发，已退回")
	w.must(err)
	mustSend(t, s, line, "2026-07-05", e[1])
	w.at("2026-08-03")
	w.notice(dd[0], models.ChangeDeclassify, 0)
	f := w.reg("川发改〔2026〕9号", models.LevelSecret, models.KindPaper, models.DirIncoming, 1)
	w.must(s.Void(sess, f[0].ID, f[0].Version, "重复登记"))
	w.at("2026-11-23")

	r25 := checkAnnual(t, s, sess, 2025)
	r26 := checkAnnual(t, s, sess, 2026)
	want := []struct {
		r    AnnualReport
		f    AnnualFlow
		l    models.Level
		k    models.CarrierKind
		n    int
		what string
	}{
		{r25, FlowReceived, models.LevelSecret, "", 3, "three 份号 of a received 机密 document"},
		{r25, FlowReceived, models.LevelConfidential, models.KindDisc, 1, "a disc"},
		{r25, FlowProduced, models.LevelInternal, "", 2, "two copies of an own 内部 document"},
		{r25, FlowCopied, models.LevelSecret, "", 1, "a copy made"},
		{r25, FlowSent, models.LevelInternal, "", 1, "one sent"},
		{r25, FlowDestroyed, models.LevelSecret, models.KindPaper, 1, "one destroyed"},
		{r25, FlowEnd, models.LevelSecret, "", 3, "held at the end"},
		{r25, FlowEnd, models.LevelNone, "", 5, "held at the end, every level"},
		{r26, FlowStart, models.LevelNone, "", 5, "the year before's end"},
		{r26, FlowDownOut, models.LevelSecret, "", 2, "an original and its copy downgraded"},
		{r26, FlowDownIn, models.LevelConfidential, "", 2, "…into 秘密"},
		{r26, FlowArchived, models.LevelConfidential, models.KindDisc, 1, "archived"},
		{r26, FlowReturned, models.LevelSecret, "", 1, "returned to its issuer"},
		{r26, FlowDeclassified, models.LevelConfidential, "", 1, "declassified"},
		{r26, FlowReceived, models.LevelNone, "", 1, "received (the voided one not counted)"},
		{r26, FlowSent, models.LevelInternal, "", 1, "sent once: the one sent in error came back"},
		{r26, FlowEnd, models.LevelSecret, "", 0, "no 机密 left"},
		{r26, FlowEnd, models.LevelConfidential, "", 2, "the downgraded original and copy"},
		{r26, FlowEnd, models.LevelInternal, "", 2, "own 内部 left"},
	}
	for _, x := range want {
		if got := x.r.Flow(x.f, x.l, x.k); got != x.n {
			t.Errorf("%d %s %s %s (%s): %d, want %d", x.r.Year, x.f, x.l, x.k, x.what, got, x.n)
		}
	}
	if r26.Voided.Count != 1 || r25.Voided.Count != 0 {
		t.Errorf("voided: 2026 %d, 2025 %d", r26.Voided.Count, r25.Voided.Count)
	}
	if !r26.Partial || r26.To != "2026-11-23" || r25.Partial || r25.To != "2025-12-31" {
		t.Errorf("periods: 2025 %s–%s %v, 2026 %s–%s %v", r25.From, r25.To, r25.Partial, r26.From, r26.To, r26.Partial)
	}
	// The downgraded carriers are listed under the level they moved out of
	// and the one they moved into, on the day of the notice.
	rows, total, err := s.AnnualList(sess, 2026, carrierKey(FlowDownOut, levelKey(models.LevelSecret), ""), 0, 10)
	w.must(err)
	var ids []string
	for _, x := range rows {
		ids = append(ids, x.Carrier.ID)
		if x.On != "2026-02-10" || x.Level != models.LevelSecret {
			t.Errorf("downgrade line %s: on %s at %s", x.Carrier.RegNo, x.On, x.Level)
		}
	}
	slices.Sort(ids)
	wantIDs := []string{a[0].ID, copies[0].ID}
	slices.Sort(wantIDs)
	if total != 2 || !slices.Equal(ids, wantIDs) {
		t.Errorf("downgraded list: %d %v, want %v", total, ids, wantIDs)
	}
	// The balance in words.
	if !strings.Contains(r26.Balance[0], "相符") || !strings.Contains(r26.Balance[0], "年初在册 5") {
		t.Errorf("balance: %q", r26.Balance)
	}
}

// The 定密 report counts matters, not copies (R26): one document in five
// copies is one determination; a change of its original and copies is one.
func TestAnnual_R26_ClassificationCountsMatters(t *testing.T) {
	s := newService(t)
	sess := clerk(t, s)
	own := classifiedDoc(t, s, "5")
	r, err := s.Annual(sess, 2026)
	if err != nil {
		t.Fatal(err)
	}
	tb := r.Table("classify")
	total := tb.Rows[len(tb.Rows)-1]
	if total.Cells[1].Count != 1 || total.Cells[2].Count != 1 || total.Cells[3].Count != 1 {
		t.Errorf("classifications of one document in 5 copies: %+v", total.Cells)
	}
	rows, n, err := s.AnnualList(sess, 2026, total.Cells[1].Key, 0, 10)
	if err != nil || n != 1 || len(rows) != 1 || rows[0].Carrier.ID != own[0].ID {
		t.Errorf("list of the determination: %d %v %v", n, rows, err)
	}
	// Declassified by the office's decision, each 份号: still one matter.
	a := addApprover(t, s, "钱主任", models.LevelTopSecret, models.ApproveDeclassify)
	for _, c := range own {
		c, _ = s.Get(sess, c.ID)
		if _, err := s.ChangeSecrecy(sess, TermChange{CarrierID: c.ID, Version: c.Version, Kind: models.ChangeDeclassify,
			Basis: BasisDecision, DecidedBy: a.ID, AuthorityDoc: "遂发改〔2026〕20号", DecidedOn: "2026-11-23"}); err != nil {
			t.Fatal(err)
		}
	}
	r = checkAnnual(t, s, sess, 2026)
	ch := r.Table("changes")
	total = ch.Rows[len(ch.Rows)-1]
	if total.Cells[3].Count != 1 || total.Cells[4].Count != 1 {
		t.Errorf("declassification of one document: %+v", total.Cells)
	}
	if got := r.Flow(FlowDeclassified, models.LevelSecret, ""); got != 5 {
		t.Errorf("carriers declassified: %d, want 5", got)
	}
}

// A carrier whose state says it left without the record of its leaving
// breaks the balance, and the report says which.
func TestAnnual_R26_LeftWithoutRecordShowsInBalance(t *testing.T) {
	s := newService(t)
	sess := clerk(t, s)
	c := mustRegister(t, s, form())[0]
	mustRegister(t, s, formNo(2))
	if err := s.db.Exec(`UPDATE carriers SET state = 'archived' WHERE id = ?`, c.ID).Error; err != nil {
		t.Fatal(err)
	}
	r, err := s.Annual(sess, 2026)
	if err != nil {
		t.Fatal(err)
	}
	if r.Balanced || r.Unknown.Count != 1 || !strings.Contains(strings.Join(r.Balance, ""), "不符") {
		t.Fatalf("balance %v %q, unknown %d", r.Balanced, r.Balance, r.Unknown.Count)
	}
	rows, n, err := s.AnnualList(sess, 2026, r.Unknown.Key, 0, 10)
	if err != nil || n != 1 || rows[0].Carrier.ID != c.ID {
		t.Fatalf("unknown list: %d %v %v", n, rows, err)
	}
}

// The clerk and the security officer see the statistics; the security
// officer's lists have no titles (R18); the auditor is refused, and the
// refusal is recorded.
func TestAnnual_R18_Roles(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	sec := as(t, s, "secadmin")
	r, err := s.Annual(sec, 2026)
	if err != nil {
		t.Fatal(err)
	}
	key := r.Tables[0].Rows[len(r.Tables[0].Rows)-1].Cells[FlowReceived].Key
	rows, _, err := s.AnnualList(sec, 2026, key, 0, 10)
	if err != nil || len(rows) != 1 || rows[0].Carrier.Title != "" || rows[0].Carrier.RegNo == "" {
		t.Fatalf("security officer's list: %+v %v", rows, err)
	}
	rows, _, err = s.AnnualList(clerk(t, s), 2026, key, 0, 10)
	if err != nil || len(rows) != 1 || rows[0].Carrier.Title == "" {
		t.Fatalf("clerk's list: %+v %v", rows, err)
	}
	aud := as(t, s, "auditor")
	before := auditCount(t, s)
	if _, err := s.Annual(aud, 2026); !isForbidden(err) {
		t.Fatalf("auditor: %v", err)
	}
	if auditCount(t, s) != before+1 || !strings.Contains(lastAudit(t, s).Detail, "查看年度统计") {
		t.Fatalf("refusal not recorded: %+v", lastAudit(t, s))
	}
	if _, err := s.Annual(clerk(t, s), 2027); err == nil {
		t.Fatal("a year to come counted")
	}
}

func isForbidden(err error) bool {
	var fe *ForbiddenError
	return errors.As(err, &fe)
}
