package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"secdoc/models"
)

// propWorld is the state the random walk keeps about one service: what it
// registered and what it has open, so steps can pick valid (and invalid)
// targets.
type propWorld struct {
	t        *testing.T
	s        *Service
	rng      *rand.Rand
	clock    time.Time
	top      models.Approver // every action up to 绝密
	weak     models.Approver // copy only, up to 秘密: lacks authority for most
	ids      []string        // every carrier ever seen
	copyReqs []string        // pending copy requests
	loans    []string        // loan slips (any state)
	circs    []string        // circulations (any state)
	batches  []string        // destruction batches (any state)
	returns  []string        // 清退 batches (any state)
	terminal map[string]models.Carrier
	history  map[string]int64  // terminal carrier → its history lines when it became terminal
	archived map[string]string // archived carrier → its 归档 row, as first seen
	handed   map[string]string // handed-over 清退 batch → its row and items, as first seen
	regs     int
	ok, runs map[string]int
	picked   []string        // the ids the current step picked
	note     string          // the current step's other inputs
	trace    []string        // every step and its outcome, printed when the test fails
	stuck    map[string]bool // known bugs already logged
	op       string          // the current step's name
	refusals map[string]int  // op: reason → refusals foreseen and checked
	last     int             // the last step's number
	fpQuery  string          // the query that fingerprints every table
	auditSeq int64           // the newest audit record before the step
}

// Issuers and custodians the random registrations use, so that 清退 slips
// (per issuer) and handovers (per custodian) have several to choose from.
var (
	propIssuers    = []string{"遂安市人民政府办公室", "省保密局", "市委办公室"}
	propCustodians = []string{"王敏", "李静", "张强"}
)

// TestProperty_RandomUseCasesKeepInvariants runs random sequences of use cases
// on random carriers and checks after each step that a terminal carrier
// (destroyed, returned, archived, declassified, voided) never changes again,
// nor does its history grow, every copy has its original or its own recorded
// history, the home view's counts equal a recount from the carriers table
// and from the history, 清退 slips, 归档 records, the 清退 flag, open
// destruction slips and custodians agree with the carriers (checkReturns),
// and the database and audit chain are sound. Every refused step must leave
// every table as it was; where the rules decide a step's outcome beforehand
// (archive, 清退, handover, destruction, flag), an outcome other than the
// foreseen one fails too. A failure prints the seed's whole sequence of steps.
// SECDOC_PROP_SEEDS=6,9 runs other seeds.
func TestProperty_RandomUseCasesKeepInvariants(t *testing.T) {
	steps := 400
	seeds := []uint64{1, 20261123, 7777}
	if testing.Short() {
		steps = 100
	}
	if env := os.Getenv("SECDOC_PROP_SEEDS"); env != "" { // e.g. SECDOC_PROP_SEEDS=6,9
		seeds = nil
		for _, f := range strings.Split(env, ",") {
			n, err := strconv.ParseUint(strings.TrimSpace(f), 10, 64)
			if err != nil {
				t.Fatalf("SECDOC_PROP_SEEDS: %v", err)
			}
			seeds = append(seeds, n)
		}
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			s := newService(t)
			w := &propWorld{t: t, s: s, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
				clock: fixedNow, terminal: map[string]models.Carrier{}, history: map[string]int64{},
				archived: map[string]string{}, handed: map[string]string{}, stuck: map[string]bool{},
				refusals: map[string]int{},
				ok:       map[string]int{}, runs: map[string]int{}}
			s.Now = func() time.Time { return w.clock }
			defer func() {
				if t.Failed() {
					t.Logf("seed %d, the steps (refusals with their reason):\n%s", seed, strings.Join(w.trace, "\n"))
				}
			}()
			all := models.ActionSet{models.ApproveCopy, models.ApproveLoan, models.ApproveTakeOut,
				models.ApproveDestroy, models.ApproveDeclassify, models.ApproveReturn, models.ApproveClassify}
			var err error
			w.top, err = s.AddApprover(as(t, s, "secadmin"), ApproverInput{Name: "陈局长", Title: "局长",
				Actions: all, MaxLevel: models.LevelTopSecret, Active: true, Designation: "法定"})
			if err != nil {
				t.Fatalf("add approver: %v", err)
			}
			w.weak, err = s.AddApprover(as(t, s, "secadmin"), ApproverInput{Name: "孙科长", Title: "科长",
				Actions: models.ActionSet{models.ApproveCopy}, MaxLevel: models.LevelConfidential, Active: true})
			if err != nil {
				t.Fatalf("add approver: %v", err)
			}
			w.last = steps - 1
			for i := 0; i < 4; i++ {
				w.step(i-4, 0)
			}
			for i := 0; i < steps; i++ {
				w.clock = w.clock.Add(time.Minute) // same day throughout: 10:00 + at most 5 h
				op := w.rng.IntN(len(propOps))
				w.step(i, op)
				w.check(i, op)
			}
			// The year's statistics (R26): they balance, agree with a count
			// carrier by carrier and with the ledger's own counts, and each
			// figure lists as many carriers as it counts.
			checkAnnual(t, s, clerk(t, s), fixedNow.Year())
			CheckAnnualLedger(t, s, clerk(t, s), []int{fixedNow.Year()})
			var b strings.Builder
			seen := map[string]bool{}
			for _, name := range propOps {
				if !seen[name] {
					seen[name] = true
					fmt.Fprintf(&b, " %s %d/%d", name, w.ok[name], w.runs[name])
				}
			}
			var cs []models.Carrier
			s.db.Find(&cs)
			states := map[models.State]int{}
			for _, c := range cs {
				states[c.State]++
			}
			t.Logf("succeeded/tried:%s; carriers by state %v", b.String(), states)
			var why []string
			for k, n := range w.refusals {
				why = append(why, fmt.Sprintf("%s ×%d", k, n))
			}
			slices.Sort(why)
			t.Logf("refusals foreseen by the rules and checked:\n\t%s", strings.Join(why, "\n\t"))
		})
	}
}

// propOps are the steps, drawn uniformly: a name listed twice is drawn twice
// as often. Op 0 is register, the first steps of every run.
var propOps = []string{"register", "edit", "void", "copy", "loan", "loan-return", "circulate",
	"sign-out", "sign-back", "close-circulation", "destroy-request", "destroy-decide", "destroy-complete",
	"flag-return", "declassify", "register", "archive", "flag-return", "return-batch", "return-handover",
	"return-handover", "handover", "inspect", "classify", "print", "send", "send", "receipt", "handover-return"}

func (w *propWorld) pick(list []string) string {
	id := "no-such-id"
	if len(list) > 0 && w.rng.IntN(20) != 0 {
		id = list[w.rng.IntN(len(list))]
	}
	w.picked = append(w.picked, id)
	return id
}

// pickOpen mostly picks a row of table in state, else any id of list.
func (w *propWorld) pickOpen(table, state string, list []string) string {
	if w.rng.IntN(5) != 0 {
		var ids []string
		w.s.db.Raw(`SELECT id FROM `+table+` WHERE state = ? ORDER BY rowid`, state).Scan(&ids)
		if len(ids) > 0 {
			id := ids[w.rng.IntN(len(ids))]
			w.picked = append(w.picked, id)
			return id
		}
	}
	return w.pick(list)
}

func (w *propWorld) approver() string {
	switch w.rng.IntN(10) {
	case 0:
		return w.weak.ID
	case 1:
		return ""
	}
	return w.top.ID
}

func (w *propWorld) decision() string {
	switch w.rng.IntN(8) {
	case 0:
		return models.DecisionRefuse
	case 1:
		return "再议"
	}
	return models.DecisionApprove
}

func (w *propWorld) date() string {
	switch w.rng.IntN(10) {
	case 0:
		return "2026-10-01" // backdated: before the request
	case 1:
		return "2026-12-01" // in the future
	}
	return "2026-11-23"
}

func (w *propWorld) carrier(id string) (models.Carrier, bool) {
	var c models.Carrier
	if err := w.s.db.Where("id = ?", id).Take(&c).Error; err != nil {
		return c, false
	}
	return c, true
}

func (w *propWorld) refresh() {
	var ids []string
	if err := w.s.db.Raw(`SELECT id FROM carriers ORDER BY seq`).Scan(&ids).Error; err != nil {
		w.t.Fatal(err)
	}
	w.ids = ids
}

// step runs one use case; domain errors are fine, panics and storage errors
// are not.
func (w *propWorld) step(i, op int) {
	t, s, r := w.t, w.s, w.rng
	name := propOps[op]
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("step %d (%s) panicked: %v\n%s", i, name, p, debug.Stack())
		}
	}()
	sess := clerk(t, s)
	w.picked, w.note, w.op = w.picked[:0], "", name
	before := w.fingerprint()
	s.db.Raw(`SELECT COALESCE(max(seq), 0) FROM audit_log`).Scan(&w.auditSeq)
	var err error
	switch name {
	case "register":
		w.regs++
		f := form()
		f.DocNumber = fmt.Sprintf("遂安府办发〔2026〕%d号", w.regs)
		if r.IntN(10) == 0 && w.regs > 1 {
			f.DocNumber = fmt.Sprintf("遂安府办发〔2026〕%d号", w.regs-1) // may duplicate a copy number
		}
		// Every level a register holds (R21), terms in months and from a
		// 成文日期 (R20), blank and listed 份号 (R22), 不得复制 (R23).
		f.Level = models.AllLevels[r.IntN(len(models.AllLevels))]
		if r.IntN(3) == 0 {
			f.Copies = fmt.Sprint(2 + r.IntN(2))
		}
		switch r.IntN(6) {
		case 0:
			f.CopyNo = ""
		case 1:
			f.CopyNo, f.Copies = "000012、000037", ""
		}
		if f.Level.IsStateSecret() && r.IntN(4) == 0 {
			f.TermKind, f.TermMonths = models.TermMonths, fmt.Sprint(1+r.IntN(11))
		}
		if r.IntN(3) == 0 {
			f.DocDate = "2026-11-0" + fmt.Sprint(1+r.IntN(9))
		}
		f.NoCopy = r.IntN(12) == 0
		if r.IntN(15) == 0 {
			f.Title = "" // invalid
		}
		f.Issuer = propIssuers[r.IntN(len(propIssuers))]
		f.Custodian = propCustodians[r.IntN(len(propCustodians))]
		if r.IntN(3) == 0 {
			// One of the office's own documents (R24): an explicit term,
			// now and then forgotten.
			f.Direction, f.DocNumber = models.DirOutgoing, fmt.Sprintf("遂安保发〔2026〕%d号", w.regs)
			if f.Level.IsStateSecret() && f.TermKind == models.TermDefault && r.IntN(6) != 0 {
				f.TermKind, f.TermYears = models.TermYears, "5"
			}
		}
		w.note = fmt.Sprintf("%s 份数%s %s %s 责任人%s", f.DocNumber, f.Copies, f.Level, f.Issuer, f.Custodian)
		_, err = s.Register(sess, f)
	case "edit":
		var id string
		if listed := w.pendingReturnIDs(); len(listed) > 0 && r.IntN(4) == 0 {
			id = listed[r.IntN(len(listed))]
			w.picked = append(w.picked, id)
		} else {
			id = w.pick(w.ids)
		}
		c, _ := w.carrier(id)
		f := FormOf(c)
		f.Location = fmt.Sprintf("机要室%d号柜", r.IntN(9)+1)
		switch r.IntN(8) {
		case 0:
			f.Issuer = propIssuers[r.IntN(len(propIssuers))]
		case 1:
			f.Custodian = propCustodians[r.IntN(len(propCustodians))]
		}
		w.note = f.Issuer + " 责任人" + f.Custodian
		v := c.Version
		if r.IntN(8) == 0 {
			v-- // stale
		}
		_, err = s.Edit(sess, id, v, f, "调整存放位置")
	case "void":
		if r.IntN(3) != 0 { // keep voids rarer
			return
		}
		id := w.pick(w.ids)
		c, _ := w.carrier(id)
		err = s.Void(sess, id, c.Version, "登记有误，重复登记")
	case "copy":
		if len(w.copyReqs) > 0 && r.IntN(2) == 0 {
			k := r.IntN(len(w.copyReqs))
			_, _, err = s.DecideCopy(sess, CopyDecision{RequestID: w.copyReqs[k], ApproverID: w.approver(),
				Decision: w.decision(), Opinion: "同意复制", DecidedOn: w.date()})
			if err == nil {
				w.copyReqs = append(w.copyReqs[:k], w.copyReqs[k+1:]...)
			}
			break
		}
		var req models.CopyRequest
		in := CopyRequestInput{CarrierID: w.pick(w.ids), Copies: 1 + r.IntN(2), Purpose: "传达学习", Requester: "刘洋"}
		switch r.IntN(4) { // now and then a 摘录 or a 汇编 (R23)
		case 0:
			in.Kind, in.Title, in.NeedToKnow = models.CopyExtract, "学习摘编", "办公室主任"
		case 1:
			in.Kind, in.Title, in.NeedToKnow = models.CopyCompile, "文件汇编", "办公室主任"
			in.Sources = []string{w.pick(w.ids)}
		}
		req, err = s.RequestCopy(sess, in)
		if err == nil {
			w.copyReqs = append(w.copyReqs, req.ID)
		}
	case "loan":
		if len(w.loans) > 0 && r.IntN(2) == 0 {
			_, err = s.DecideLoan(sess, LoanDecision{LoanID: w.pickOpen("loans", string(models.LoanPending), w.loans), ApproverID: w.approver(),
				Decision: w.decision(), Opinion: "同意", DecidedOn: w.date()})
			break
		}
		in := LoanInput{Kind: models.LoanBorrow, CarrierID: w.pick(w.ids), Borrower: "刘洋", Department: "综合科",
			Purpose: "阅办", DueOn: "2026-11-30"}
		if r.IntN(3) == 0 {
			in.Kind, in.Destination = models.LoanTakeOut, "省保密局"
		}
		var l models.Loan
		l, err = s.RequestLoan(sess, in)
		if err == nil {
			w.loans = append(w.loans, l.ID)
		}
	case "loan-return":
		check := models.ReturnIntact
		if r.IntN(5) == 0 {
			check = models.ReturnDamaged // without a note: refused
		}
		_, err = s.ReturnLoan(sess, w.pickOpen("loans", string(models.LoanOut), w.loans), check, "", w.date())
	case "circulate":
		var ci models.Circulation
		ci, err = s.StartCirculation(sess, w.pick(w.ids), "请阅示", []models.Reader{
			{Name: "陈局长", Department: "局长"}, {Name: "刘副局长", Department: "分管副局长"}})
		if err == nil {
			w.circs = append(w.circs, ci.ID)
		}
	case "sign-out":
		reader := []string{"陈局长", "陈局长", "陈局长", "刘副局长", "刘副局长", "孙科长"}[r.IntN(6)]
		_, err = s.SignOutToReader(sess, w.pickOpen("circulations", string(models.CirculationOpen), w.circs), reader, w.clock)
	case "sign-back":
		_, err = s.SignBack(sess, w.pickOpen("circulations", string(models.CirculationOpen), w.circs), w.clock, r.IntN(6) != 0, "")
	case "close-circulation":
		_, err = s.CloseCirculation(sess, w.pickOpen("circulations", string(models.CirculationOpen), w.circs), "已办结")
	case "destroy-request":
		in := DestructionInput{Reason: "已过保管期限，经清点无保存价值", Requester: "刘洋"}
		for n := 1 + r.IntN(3); n > 0; n-- {
			if r.IntN(4) == 0 {
				in.CarrierIDs = append(in.CarrierIDs, w.pickAwkward())
			} else {
				in.CarrierIDs = append(in.CarrierIDs, w.pick(w.ids))
			}
		}
		why := ""
		for _, id := range in.CarrierIDs {
			if c, found := w.carrier(id); why == "" {
				why = w.notInStore(c, found)
			}
		}
		var b models.DestructionBatch
		b, err = s.RequestDestruction(sess, in)
		w.expect(i, "destruction request", why, err)
		if err == nil {
			w.note = b.SlipNo
			w.batches = append(w.batches, b.ID)
		}
	case "destroy-decide":
		d := DestructionDecision{BatchID: w.pickOpen("destruction_batches", string(models.DestructionPending), w.batches), ApproverID: w.approver(),
			Decision: w.decision(), Opinion: "同意销毁", DecidedOn: w.date()}
		b, cs, found := w.destructionSlip(d.BatchID)
		why := ""
		switch {
		case d.Decision != models.DecisionApprove && d.Decision != models.DecisionRefuse:
			why = "no explicit decision (R9)"
		case d.DecidedOn > w.clock.Format(models.DateLayout):
			why = "decided in the future"
		case d.ApproverID == "":
			why = "no approver (R9)"
		case !found:
			why = "no such slip"
		case b.State != models.DestructionPending:
			why = "slip is " + b.State.String()
		case d.DecidedOn < b.RequestedOn:
			why = "backdated (R9)"
		case d.ApproverID == w.weak.ID:
			why = "approver may not approve destruction (R2)"
		case d.Decision == models.DecisionApprove:
			why = w.notDestroyable(cs)
		}
		_, err = s.DecideDestruction(sess, d)
		w.expect(i, fmt.Sprintf("%s of destruction slip %s", d.Decision, b.SlipNo), why, err)
	case "destroy-complete":
		rec := DestructionRecord{Method: models.MethodSent, Place: "市保密局销毁中心", DestroyedOn: w.date(),
			Witness1: "赵丽", Witness2: "周强", Escort1: "钱进", Escort2: "吴涛"}
		if r.IntN(4) == 0 {
			rec.Witness2 = "" // one witness: refused
		}
		if r.IntN(4) == 0 {
			rec.Method, rec.EquipmentNo, rec.Escort1, rec.Escort2 = models.MethodSelf, "SX-2026-01", "", ""
		}
		id := w.pickOpen("destruction_batches", string(models.DestructionApproved), w.batches)
		b, cs, found := w.destructionSlip(id)
		why := ""
		switch {
		case rec.Witness2 == "":
			why = "one witness (R2)"
		case rec.DestroyedOn > w.clock.Format(models.DateLayout):
			why = "destroyed in the future"
		case !found:
			why = "no such slip"
		case b.State != models.DestructionApproved:
			why = "slip is " + b.State.String()
		case rec.DestroyedOn < b.DecidedOn:
			why = "destroyed before its approval"
		default:
			why = w.notDestroyable(cs)
		}
		_, err = s.CompleteDestruction(sess, id, rec)
		w.expect(i, "destruction of slip "+b.SlipNo, why, err)
		for _, c := range cs {
			if now, _ := w.carrier(c.ID); err == nil && now.State != models.StateDestroyed {
				t.Fatalf("step %d: %s of destroyed slip %s is %s", i, c.RegNo, b.SlipNo, now.State)
			}
		}
	case "flag-return":
		id, flag := w.pickOpen("carriers", string(models.StateInStore), w.ids), r.IntN(2) == 0
		w.note = fmt.Sprint(flag)
		c, found := w.carrier(id)
		why := ""
		switch {
		case !found:
			why = "no such carrier"
		case !c.State.Held():
			why = "carrier is " + c.State.String() + ", not held"
		case c.ReturnToIssuer != flag:
			ret, destroy, _ := openSlips(s.db, id)
			if flag && destroy != "" {
				why = "carrier is on open destruction slip " + destroy
			}
			if !flag && ret != "" {
				why = "carrier is on pending return slip " + ret
			}
		}
		var got models.Carrier
		got, err = s.FlagReturnToIssuer(sess, id, flag)
		w.expect(i, fmt.Sprintf("flag-return %v of %s (%s)", flag, c.RegNo, c.State), why, err)
		if now, _ := w.carrier(id); err == nil && (now.ReturnToIssuer != flag || got.ReturnToIssuer != flag) {
			t.Fatalf("step %d: flag-return %v of %s left the flag %v", i, flag, c.RegNo, now.ReturnToIssuer)
		}
	case "archive":
		err = w.archive(i)
	case "return-batch":
		err = w.returnBatch(i)
	case "return-handover":
		err = w.returnHandover(i)
	case "handover":
		err = w.handover(i)
	case "inspect":
		err = w.inspect(i)
	case "classify", "print", "send", "receipt":
		err = w.dispatch(i, name)
	case "handover-return":
		err = w.handoverReturn(i)
	case "declassify":
		if r.IntN(2) != 0 {
			return
		}
		id := w.pick(w.ids)
		c, _ := w.carrier(id)
		// On the basis the law gives (R20): the originating authority's notice
		// for a received document, the 定密责任人's decision for the office's
		// own; now and then the term's own end, which the rules refuse
		// until it has come.
		in := TermChange{CarrierID: id, Version: c.Version, Kind: models.ChangeDeclassify,
			AuthorityDoc: "遂安保密〔2026〕3号", Reason: "经审核已无保密必要", DecidedOn: w.date()}
		switch {
		case r.IntN(4) == 0:
			in.Basis, in.AuthorityDoc, in.NoExtension = BasisExpired, "", true
		case c.Direction == models.DirIncoming:
			in.Basis, in.Authority = BasisNotice, "遂安市保密局"
		default:
			in.Basis, in.DecidedBy = BasisDecision, w.approver()
		}
		_, err = s.ChangeSecrecy(sess, in)
	}
	w.runs[name]++
	if err == nil {
		w.ok[name]++
	}
	w.traceStep(i, name, err)
	if err != nil && name != "inspect" { // inspect checks each of its calls itself
		w.unchanged(before, err, fmt.Sprintf("step %d (%s) refused (%v)", i, name, err))
	}
	if err != nil {
		msg := err.Error()
		for _, bad := range []string{"constraint", "SQL", "sql:", "database is locked", "no such", "syntax error"} {
			if strings.Contains(msg, bad) {
				t.Fatalf("step %d (%s): storage error: %v", i, name, err)
			}
		}
	}
	w.refresh()
}

// check verifies the invariants against the database.
func (w *propWorld) check(i, op int) {
	t, s := w.t, w.s
	where := fmt.Sprintf("after step %d (%s)", i, propOps[op])
	var cs []models.Carrier
	if err := s.db.Order("seq").Find(&cs).Error; err != nil {
		t.Fatal(err)
	}
	byID := map[string]models.Carrier{}
	for _, c := range cs {
		byID[c.ID] = c
	}

	// 1. A terminal carrier never changes again.
	for _, c := range cs {
		// A sent copy has left the office but not the register: it may come
		// back in store, and its 回执 is still to be recorded (R25).
		if !c.State.Terminal() || c.State == models.StateSent {
			if old, ok := w.terminal[c.ID]; ok {
				t.Fatalf("%s: carrier %s left terminal state %s for %s", where, c.RegNo, old.State, c.State)
			}
			continue
		}
		old, ok := w.terminal[c.ID]
		if !ok {
			w.terminal[c.ID] = c
			continue
		}
		if old.Version != c.Version || !old.UpdatedAt.Equal(c.UpdatedAt) || !sameCarrier(old, c) {
			t.Fatalf("%s: terminal carrier %s (%s) changed:\nwas %+v\nnow %+v", where, c.RegNo, old.State, old, c)
		}
	}
	for id := range w.terminal {
		if _, ok := byID[id]; !ok {
			t.Fatalf("%s: terminal carrier %s disappeared", where, id)
		}
	}
	// ... nor does its history grow: no use case acts on it any more. Only a
	// self-inspection may still note it (found where it should not be, or a
	// difference resolved), which is a record about the count, not a change.
	var lines []struct {
		CarrierID string
		N         int64
	}
	if err := s.db.Raw(`SELECT carrier_id, count(*) AS n FROM carrier_events WHERE action NOT IN ?
		GROUP BY carrier_id`, []string{models.ActionInspectFound, models.ActionInspectResolve}).Scan(&lines).Error; err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		c, ok := w.terminal[l.CarrierID]
		if !ok {
			continue
		}
		if old, seen := w.history[l.CarrierID]; !seen {
			w.history[l.CarrierID] = l.N
		} else if old != l.N {
			t.Fatalf("%s: terminal carrier %s (%s) had %d history lines, now %d", where, c.RegNo, c.State, old, l.N)
		}
	}

	// 2. Every copy has a living original or a recorded history.
	for _, c := range cs {
		if !c.IsCopy {
			continue
		}
		if c.OriginalID == nil {
			t.Fatalf("%s: copy %s has no original", where, c.RegNo)
		}
		orig, ok := byID[*c.OriginalID]
		if !ok {
			t.Fatalf("%s: copy %s: original %s does not exist", where, c.RegNo, *c.OriginalID)
		}
		var n int64
		s.db.Raw(`SELECT count(*) FROM carrier_events WHERE carrier_id = ? AND action = ?`,
			c.ID, models.ActionRegister).Scan(&n)
		if n != 1 {
			t.Fatalf("%s: copy %s has %d creation events", where, c.RegNo, n)
		}
		s.db.Raw(`SELECT count(*) FROM carrier_events WHERE carrier_id = ? AND action = ?`,
			orig.ID, models.ActionCopy).Scan(&n)
		if n == 0 {
			t.Fatalf("%s: original %s of copy %s records no copying", where, orig.RegNo, c.RegNo)
		}
	}

	// 3. The home view's counts equal a recount from the table and the history.
	st, err := s.Stats(clerk(t, s))
	if err != nil {
		t.Fatalf("%s: stats: %v", where, err)
	}
	byState := map[models.State]int64{}
	byLevel := map[models.Level]int64{}
	var held int64
	for _, c := range cs {
		byState[c.State]++
		if c.State.Held() {
			held++
			byLevel[c.Level]++
		}
	}
	if st.Total != int64(len(cs)) || st.Held != held || !sameCounts(st.ByState, byState) || !sameCounts(st.HeldByLevel, byLevel) {
		t.Fatalf("%s: stats %+v, recount total %d held %d by state %v by level %v",
			where, st, len(cs), held, byState, byLevel)
	}
	if n, err := s.Count(clerk(t, s), HeldQuery()); err != nil || n != held {
		t.Fatalf("%s: Count(held) = %d, %v; recount %d", where, n, err, held)
	}
	replayed := w.replay(where)
	fromHistory := map[models.State]int64{}
	for _, c := range cs {
		got, ok := replayed[c.ID]
		if !ok {
			t.Fatalf("%s: carrier %s has no history", where, c.RegNo)
		}
		if got != c.State {
			t.Fatalf("%s: carrier %s is %s but its history says %s", where, c.RegNo, c.State, got)
		}
		fromHistory[got]++
	}
	if !sameCounts(st.ByState, fromHistory) {
		t.Fatalf("%s: stats by state %v, from history %v", where, st.ByState, fromHistory)
	}

	// 5. to 8.: 归档, 清退 slips, destruction slips and custodians.
	w.checkReturns(where, cs, byID)
	// 9. 定密, 印制 and 分发.
	w.checkDispatch(where, cs, byID)
	// 10. Every held carrier has a custodian, none who has left; a temporary
	// handover is given back at most once.
	for _, c := range cs {
		if c.State.Held() && strings.TrimSpace(c.Custodian) == "" {
			t.Fatalf("%s: held %s has no custodian", where, c.RegNo)
		}
	}
	var leftHolding int64
	s.db.Raw(`SELECT count(*) FROM carriers c JOIN persons p ON p.name = c.custodian
		WHERE p.has_left = 1 AND c.state IN ?`, models.HeldStates).Scan(&leftHolding)
	if leftHolding > 0 {
		t.Fatalf("%s: a person who has left holds %d carriers", where, leftHolding)
	}
	var twice int64
	s.db.Raw(`SELECT count(*) FROM (SELECT ends_id FROM handovers WHERE ends_id IS NOT NULL GROUP BY ends_id HAVING count(*) > 1)`).Scan(&twice)
	if twice > 0 {
		t.Fatalf("%s: a temporary handover given back twice", where)
	}

	// 4. The file and the audit chain are sound. Both checks read the whole
	// file and a fault stays, so every tenth step and the last one suffice.
	if i%10 != 9 && i != w.last {
		return
	}
	var ic string
	if err := s.db.Raw(`PRAGMA integrity_check`).Scan(&ic).Error; err != nil || ic != "ok" {
		t.Fatalf("%s: integrity_check = %q, %v", where, ic, err)
	}
	if v, err := s.verifyAll(nil); err != nil || !v.OK {
		t.Fatalf("%s: audit chain: %+v, %v", where, v, err)
	}
}

// replay derives each carrier's state from its history alone: registration
// puts it in store; a state line (状态) moves it; 作废 and 解密 end it.
func (w *propWorld) replay(where string) map[string]models.State {
	byName := map[string]models.State{}
	for _, st := range models.States {
		byName[st.String()] = st
	}
	var evs []models.CarrierEvent
	if err := w.s.db.Raw(`SELECT * FROM carrier_events ORDER BY at, rowid`).Scan(&evs).Error; err != nil {
		w.t.Fatal(err)
	}
	out := map[string]models.State{}
	for _, e := range evs {
		switch {
		case e.Action == models.ActionRegister:
			if _, seen := out[e.CarrierID]; seen {
				w.t.Fatalf("%s: carrier %s registered twice in its history", where, e.CarrierID)
			}
			out[e.CarrierID] = models.StateInStore
		case e.Field == "状态":
			st, ok := byName[e.NewValue]
			if !ok {
				w.t.Fatalf("%s: history line with unknown state %q", where, e.NewValue)
			}
			if out[e.CarrierID].String() != e.OldValue {
				w.t.Fatalf("%s: carrier %s history moves from %q while replay has it %s",
					where, e.CarrierID, e.OldValue, out[e.CarrierID])
			}
			out[e.CarrierID] = st
		case e.Action == models.ActionVoid:
			out[e.CarrierID] = models.StateVoided
		case e.Action == models.ActionDeclassify:
			out[e.CarrierID] = models.StateDeclassified
		}
	}
	return out
}

func sameCarrier(a, b models.Carrier) bool {
	a.CreatedAt, b.CreatedAt, a.UpdatedAt, b.UpdatedAt = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return reflect.DeepEqual(a, b)
}

func sameCounts[K comparable](a, b map[K]int64) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	for k, v := range b {
		if a[k] != v {
			return false
		}
	}
	return true
}

// fingerprint hashes every row of every table, table by table, so that a
// refused step can be shown to have left the whole database as it was (but
// the one audit record of the refusal, which unchanged checks apart). The
// append-only history is fingerprinted by its count and last rowid; the
// full-text index by its shadow tables.
func (w *propWorld) fingerprint() map[string]string {
	if w.fpQuery == "" {
		var tables []struct{ Name, SQL string }
		if err := w.s.db.Raw(`SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name`).Scan(&tables).Error; err != nil {
			w.t.Fatal(err)
		}
		var parts []string
		for _, tb := range tables {
			switch {
			case strings.HasPrefix(tb.SQL, "CREATE VIRTUAL TABLE"):
				continue
			case tb.Name == "audit_log":
				continue
			case tb.Name == "carrier_events":
				parts = append(parts, `SELECT '`+tb.Name+`' AS name, count(*) || ' rows, last ' || COALESCE(max(rowid), 0) AS v FROM "`+tb.Name+`"`)
				continue
			}
			var cols []string
			if err := w.s.db.Raw(`SELECT name FROM pragma_table_info(?)`, tb.Name).Scan(&cols).Error; err != nil {
				w.t.Fatal(err)
			}
			for k, c := range cols {
				cols[k] = `quote("` + c + `")`
			}
			parts = append(parts, `SELECT '`+tb.Name+`' AS name, count(*) || ' rows ' || COALESCE(group_concat(`+
				strings.Join(cols, ` || '|' || `)+`, char(10)), '') AS v FROM "`+tb.Name+`"`)
		}
		w.fpQuery = strings.Join(parts, "\nUNION ALL ")
	}
	var rows []struct{ Name, V string }
	if err := w.s.db.Raw(w.fpQuery).Scan(&rows).Error; err != nil {
		w.t.Fatalf("fingerprint: %v", err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		if len(r.V) > 64 {
			sum := sha256.Sum256([]byte(r.V))
			r.V = r.V[:strings.IndexByte(r.V, ' ')] + " rows " + hex.EncodeToString(sum[:8])
		}
		out[r.Name] = r.V
	}
	return out
}

// unchanged fails the test when any table differs from before, or when the
// audit trail did not gain exactly the one record of the refusal err (none
// for an error that is no refusal: an object that does not exist).
func (w *propWorld) unchanged(before map[string]string, err error, what string) {
	after := w.fingerprint()
	var diff []string
	var trail []models.AuditRecord
	if err := w.s.db.Where("seq > ?", w.auditSeq).Order("seq").Find(&trail).Error; err != nil {
		w.t.Fatal(err)
	}
	if _, _, isRefusal := refusal(err); !isRefusal {
		if len(trail) != 0 {
			diff = append(diff, fmt.Sprintf("audit_log: want no record, got %+v", trail))
		}
	} else if len(trail) != 1 || trail[0].Success || (trail[0].Event != models.EventRuleDenied && trail[0].Event != models.EventDenied) {
		diff = append(diff, fmt.Sprintf("audit_log: want one refusal record, got %+v", trail))
	}
	for table, fp := range before {
		if after[table] != fp {
			diff = append(diff, fmt.Sprintf("%s: %s → %s", table, fp, after[table]))
		}
	}
	for table, fp := range after {
		if _, ok := before[table]; !ok {
			diff = append(diff, fmt.Sprintf("%s: new, %s", table, fp))
		}
	}
	if len(diff) > 0 {
		slices.Sort(diff)
		w.t.Fatalf("%s, yet the database changed:\n%s", what, strings.Join(diff, "\n"))
	}
}

// call runs one use case of a step made of several, checking that a refusal
// left the database unchanged and is no storage error.
func (w *propWorld) call(i int, what string, f func() error) error {
	before := w.fingerprint()
	w.s.db.Raw(`SELECT COALESCE(max(seq), 0) FROM audit_log`).Scan(&w.auditSeq)
	err := f()
	if err != nil {
		w.unchanged(before, err, fmt.Sprintf("step %d: %s refused (%v)", i, what, err))
		w.storageError(i, what, err)
	}
	return err
}

func (w *propWorld) storageError(i int, what string, err error) {
	msg := err.Error()
	for _, bad := range []string{"constraint", "SQL", "sql:", "database is locked", "no such", "syntax error"} {
		if strings.Contains(msg, bad) {
			w.t.Fatalf("step %d (%s): storage error: %v", i, what, err)
		}
	}
}

// expect compares a use case's outcome with the domain's rules as the step
// worked them out beforehand: why is the reason it must be refused, "" if it
// must be accepted.
func (w *propWorld) expect(i int, what, why string, err error) {
	if why != "" {
		w.refusals[w.op+": "+why]++
	}
	switch {
	case why != "" && err == nil:
		w.t.Fatalf("step %d: %s accepted, but must be refused: %s", i, what, why)
	case why == "" && err != nil:
		w.t.Fatalf("step %d: %s refused, but the rules allow it: %v", i, what, err)
	}
}

// notInStore is why carrier c can't be archived or destroyed: it is not
// 在库, flagged for return (R16) or already on an open destruction slip; ""
// if it can.
func (w *propWorld) notInStore(c models.Carrier, found bool) string {
	switch {
	case !found:
		return "no such carrier"
	case c.State != models.StateInStore:
		return "carrier is " + c.State.String() + ", not 在库"
	case c.ReturnToIssuer:
		return "carrier is flagged for return (R16)"
	case w.openDestruction(c.ID) != "":
		return "carrier is on an open destruction slip"
	}
	return ""
}

// destructionSlip reads a destruction slip and its carriers.
func (w *propWorld) destructionSlip(id string) (models.DestructionBatch, []models.Carrier, bool) {
	var b models.DestructionBatch
	if err := w.s.db.Where("id = ?", id).Take(&b).Error; err != nil {
		return b, nil, false
	}
	var cs []models.Carrier
	if err := w.s.db.Raw(`SELECT c.* FROM destruction_items i JOIN carriers c ON c.id = i.carrier_id
		WHERE i.batch_id = ? ORDER BY i.ord`, id).Scan(&cs).Error; err != nil {
		w.t.Fatal(err)
	}
	return b, cs, true
}

// notDestroyable is why the carriers of an open destruction slip can't be
// destroyed now: one is not 在库 or is flagged for return (R16).
func (w *propWorld) notDestroyable(cs []models.Carrier) string {
	for _, c := range cs {
		switch {
		case c.State != models.StateInStore:
			return "a listed carrier is " + c.State.String() + ", not 在库"
		case c.ReturnToIssuer:
			return "a listed carrier has since been flagged for return (R16)"
		}
	}
	return ""
}

// pickAwkward picks a carrier the domain won't archive or destroy: one away
// (借出 or 外出携带; 传阅中), flagged for return, on an open destruction slip,
// or gone for good, each kind as likely as the others when there is one.
func (w *propWorld) pickAwkward() string {
	open := []models.DestructionState{models.DestructionPending, models.DestructionApproved}
	queries := []struct {
		where string
		args  []any
	}{
		{`state IN ?`, []any{[]models.State{models.StateOnLoan, models.StateTakenOut}}},
		{`state = ?`, []any{models.StateInCirculation}},
		{`return_to_issuer AND state = ?`, []any{models.StateInStore}},
		{`id IN (SELECT i.carrier_id FROM destruction_items i JOIN destruction_batches b ON b.id = i.batch_id
			WHERE b.state IN ?)`, []any{open}},
		{`state NOT IN ?`, []any{models.HeldStates}},
	}
	for _, k := range w.rng.Perm(len(queries)) {
		var ids []string
		w.s.db.Raw(`SELECT id FROM carriers WHERE `+queries[k].where+` ORDER BY seq`, queries[k].args...).Scan(&ids)
		if len(ids) > 0 {
			id := ids[w.rng.IntN(len(ids))]
			w.picked = append(w.picked, id)
			return id
		}
	}
	return w.pick(w.ids)
}

// openDestruction is the slip number of the pending or approved destruction
// slip carrier id is on, "" if none.
func (w *propWorld) openDestruction(id string) string {
	var slip string
	w.s.db.Raw(`SELECT b.slip_no FROM destruction_items i JOIN destruction_batches b ON b.id = i.batch_id
		WHERE i.carrier_id = ? AND b.state IN ? LIMIT 1`, id,
		[]models.DestructionState{models.DestructionPending, models.DestructionApproved}).Scan(&slip)
	return slip
}

// pendingReturn maps each carrier on a pending 清退 slip to that slip's id.
func (w *propWorld) pendingReturn() map[string]string {
	var rows []struct{ CarrierID, BatchID string }
	if err := w.s.db.Raw(`SELECT i.carrier_id, i.batch_id FROM return_items i JOIN return_batches b ON b.id = i.batch_id
		WHERE b.state = ?`, models.ReturnPending).Scan(&rows).Error; err != nil {
		w.t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.CarrierID] = r.BatchID
	}
	return out
}

// pendingReturnIDs lists the carriers on pending 清退 slips, in slip order.
func (w *propWorld) pendingReturnIDs() []string {
	var ids []string
	if err := w.s.db.Raw(`SELECT i.carrier_id FROM return_items i JOIN return_batches b ON b.id = i.batch_id
		WHERE b.state = ? ORDER BY b.slip_no, i.ord`, models.ReturnPending).Scan(&ids).Error; err != nil {
		w.t.Fatal(err)
	}
	return ids
}

func (w *propWorld) carriers() []models.Carrier {
	var cs []models.Carrier
	if err := w.s.db.Order("seq").Find(&cs).Error; err != nil {
		w.t.Fatal(err)
	}
	return cs
}

func (w *propWorld) openInspection(custodian string) bool {
	var n int64
	w.s.db.Model(&models.Inspection{}).Where("custodian = ? AND state = ?", custodian, models.InspectionOpen).Count(&n)
	return n > 0
}

// archive files a carrier, mostly one in store; refused unless it is 在库,
// not flagged for return (R16), on no open destruction slip, with a 档号.
func (w *propWorld) archive(i int) error {
	r := w.rng
	var id string
	if r.IntN(4) == 0 {
		id = w.pickAwkward()
	} else {
		id = w.pickOpen("carriers", string(models.StateInStore), w.ids)
	}
	fileNo := fmt.Sprintf("WS·2026-Y-%04d", 1+r.IntN(9999))
	switch r.IntN(12) {
	case 0:
		fileNo = ""
	case 1:
		fileNo = "   "
	case 2:
		fileNo = strings.Repeat("档", MaxFileNoLen+1)
	}
	note := ""
	if r.IntN(2) == 0 {
		note = "年度归档"
	}
	w.note = fmt.Sprintf("档号%q", fileNo)
	c, found := w.carrier(id)
	why := ""
	switch {
	case strings.TrimSpace(fileNo) == "" || len([]rune(fileNo)) > MaxFileNoLen:
		why = "no valid 档号"
	default:
		why = w.notInStore(c, found)
	}
	_, err := w.s.Archive(clerk(w.t, w.s), id, fileNo, note)
	w.expect(i, fmt.Sprintf("archive of %s (%s)", c.RegNo, c.State), why, err)
	if err == nil {
		a, aerr := w.s.ArchiveOf(clerk(w.t, w.s), id)
		now, _ := w.carrier(id)
		if aerr != nil || a.FileNo != fileNo || now.State != models.StateArchived || now.Version != c.Version+1 {
			w.t.Fatalf("step %d: archived %s is %s v%d, 归档 %+v, %v", i, c.RegNo, now.State, now.Version, a, aerr)
		}
	}
	return err
}

// returnBatch lists an issuer's flagged carriers on a 清退 slip: refused when
// none is flagged or any of them is away (R8, R16).
func (w *propWorld) returnBatch(i int) error {
	issuer := propIssuers[w.rng.IntN(len(propIssuers))]
	switch w.rng.IntN(12) {
	case 0:
		issuer = ""
	case 1:
		issuer = "市档案馆" // registers nothing
	}
	w.note = fmt.Sprintf("来文单位%q", issuer)
	listed := w.pendingReturn()
	var want []string
	why := ""
	for _, c := range w.carriers() {
		if c.Issuer != issuer || !c.ReturnToIssuer || !c.State.Held() || listed[c.ID] != "" {
			continue
		}
		want = append(want, c.ID)
		if c.State != models.StateInStore && why == "" {
			why = "a flagged carrier is " + c.State.String()
		}
	}
	switch {
	case issuer == "":
		why = "no issuer"
	case len(want) == 0:
		why = "nothing of the issuer is flagged and unlisted"
	}
	b, err := w.s.CreateReturnBatch(clerk(w.t, w.s), issuer)
	w.expect(i, "return slip for "+issuer, why, err)
	if err == nil {
		w.note += ": " + b.SlipNo
		w.returns = append(w.returns, b.ID)
		var got []string
		w.s.db.Raw(`SELECT carrier_id FROM return_items WHERE batch_id = ? ORDER BY ord`, b.ID).Scan(&got)
		if !slices.Equal(got, want) || b.State != models.ReturnPending || b.Issuer != issuer {
			w.t.Fatalf("step %d: 清退 slip %s of %s lists %v, want %v (%+v)", i, b.SlipNo, issuer, got, want, b)
		}
	}
	return err
}

// returnHandover hands a 清退 slip over: refused unless it is pending, every
// carrier is 在库 and still flagged, the receiver is named and the date is
// neither in the future nor before the slip.
func (w *propWorld) returnHandover(i int) error {
	id := w.pickOpen("return_batches", string(models.ReturnPending), w.returns)
	to := "周敏"
	if w.rng.IntN(10) == 0 {
		to = ""
	}
	date, today := w.date(), w.clock.Format(models.DateLayout)
	w.note = fmt.Sprintf("接收人%q %s", to, date)
	var b models.ReturnBatch
	found := w.s.db.Where("id = ?", id).Take(&b).Error == nil
	var cs []models.Carrier
	w.s.db.Raw(`SELECT c.* FROM return_items i JOIN carriers c ON c.id = i.carrier_id WHERE i.batch_id = ?
		ORDER BY i.ord`, id).Scan(&cs)
	why := ""
	switch {
	case to == "":
		why = "no receiver"
	case date > today:
		why = "handed over in the future"
	case !found:
		why = "no such slip"
	case b.State != models.ReturnPending:
		why = "slip already " + b.State.String()
	case date < b.CreatedAt.In(time.UTC).Format(models.DateLayout):
		why = "handed over before the slip was made"
	}
	for _, c := range cs {
		switch {
		case why != "":
		case c.State != models.StateInStore:
			why = "a listed carrier is " + c.State.String()
		case !c.ReturnToIssuer:
			why = "a listed carrier is no longer flagged"
		}
	}
	got, err := w.s.HandOverReturnBatch(clerk(w.t, w.s), id, to, date)
	w.expect(i, fmt.Sprintf("handover of 清退 slip %s (%s)", b.SlipNo, b.State), why, err)
	if err == nil {
		if got.State != models.ReturnHandedOver || got.HandedTo != to || got.HandedOverOn != date {
			w.t.Fatalf("step %d: handed over slip %+v", i, got)
		}
		for _, c := range cs {
			if now, _ := w.carrier(c.ID); now.State != models.StateReturned {
				w.t.Fatalf("step %d: %s of handed-over slip %s is %s", i, c.RegNo, b.SlipNo, now.State)
			}
		}
	}
	return err
}

// handoverReturn gives back an open temporary handover (R27): what the
// stand-in still holds of it goes back to its custodian, nothing else.
func (w *propWorld) handoverReturn(i int) error {
	open, err := w.s.TemporaryOpen(clerk(w.t, w.s))
	if err != nil {
		w.t.Fatal(err)
	}
	id := "no-such-handover"
	var t models.Handover
	if len(open) > 0 && w.rng.IntN(6) != 0 {
		t = open[w.rng.IntN(len(open))]
		id = t.ID
	}
	witness := "李娜"
	if w.rng.IntN(8) == 0 {
		witness = ""
	}
	old := w.carriers()
	h, items, err := w.s.ReturnHandover(clerk(w.t, w.s), id, witness, "")
	if err != nil {
		return err
	}
	for _, it := range items {
		now, _ := w.carrier(it.CarrierID)
		if now.Custodian != t.From || h.From != t.To || h.EndsID == nil || *h.EndsID != t.ID {
			w.t.Fatalf("step %d: return of %s left %s with %s", i, t.SlipNo, now.RegNo, now.Custodian)
		}
	}
	moved := map[string]bool{}
	for _, it := range items {
		moved[it.CarrierID] = true
	}
	for _, c := range old {
		if now, _ := w.carrier(c.ID); !moved[c.ID] && now.Custodian != c.Custodian {
			w.t.Fatalf("step %d: return of %s moved %s too", i, t.SlipNo, c.RegNo)
		}
	}
	return nil
}

// handover moves what a custodian holds to another (R5): refused without a
// receiver, to oneself, when they hold nothing or have an open inspection.
// Nothing else changes.
func (w *propWorld) handover(i int) error {
	r := w.rng
	from, to := propCustodians[r.IntN(len(propCustodians))], propCustodians[r.IntN(len(propCustodians))]
	if r.IntN(10) == 0 {
		from = "赵六" // holds nothing
	}
	if r.IntN(12) == 0 {
		to = ""
	}
	witness := ""
	if r.IntN(2) == 0 {
		witness = "李娜"
	}
	old := w.carriers()
	var held []string
	for _, c := range old {
		if c.Custodian == from && c.State.Held() {
			held = append(held, c.ID)
		}
	}
	in := HandoverInput{From: from, To: to, Witness: witness, Note: "工作调动"}
	// Now and then a part of what is held (R27), or a temporary handover for leave.
	if len(held) > 1 && r.IntN(3) == 0 {
		held = held[:len(held)/2]
		in.CarrierIDs = held
	}
	if r.IntN(4) == 0 {
		in.Temporary, in.ReturnOn = true, "2026-12-01"
	}
	w.note = fmt.Sprintf("%s → %q 监交人%q 部分%v 临时%v", from, to, witness, in.CarrierIDs != nil, in.Temporary)
	why := ""
	switch {
	case to == "":
		why = "no receiver"
	case witness == "":
		why = "no witness"
	case from == to:
		why = "handover to oneself"
	case w.openInspection(from):
		why = "the custodian has an open inspection"
	case len(held) == 0:
		why = "the custodian holds nothing"
	}
	h, items, err := w.s.Handover(clerk(w.t, w.s), in)
	w.expect(i, fmt.Sprintf("handover %s → %q", from, to), why, err)
	if err != nil {
		return err
	}
	var listed []string
	for _, it := range items {
		listed = append(listed, it.CarrierID)
	}
	slices.Sort(listed)
	slices.Sort(held)
	if !slices.Equal(listed, held) || h.From != from || h.To != to {
		w.t.Fatalf("step %d: handover %s lists %v, %s held %v", i, h.SlipNo, listed, from, held)
	}
	for _, c := range old {
		now, _ := w.carrier(c.ID)
		if slices.Contains(held, c.ID) {
			if now.Custodian != to || now.Version != c.Version+1 || now.State != c.State {
				w.t.Fatalf("step %d: handed-over %s is %s v%d custodian %s", i, c.RegNo, now.State, now.Version, now.Custodian)
			}
			now.Custodian, now.Version, now.UpdatedAt = c.Custodian, c.Version, c.UpdatedAt
		}
		if !sameCarrier(c, now) || !c.UpdatedAt.Equal(now.UpdatedAt) {
			w.t.Fatalf("step %d: handover %s → %s changed %s:\nwas %+v\nnow %+v", i, from, to, c.RegNo, c, now)
		}
	}
	return nil
}

// inspect starts a self-inspection of a custodian, or counts an open one
// (ticks what is in store, perhaps a carrier not listed, resolves the
// differences) and closes it. Its open inspections block handovers.
func (w *propWorld) inspect(i int) error {
	t, s, r := w.t, w.s, w.rng
	sess := clerk(t, s)
	var open []models.Inspection
	s.db.Where("state = ?", models.InspectionOpen).Order("slip_no").Find(&open)
	if len(open) == 0 || r.IntN(3) == 0 {
		who := propCustodians[r.IntN(len(propCustodians))]
		if r.IntN(10) == 0 {
			who = "赵六"
		}
		w.note = "start for " + who
		var n int64
		s.db.Model(&models.Carrier{}).Where("custodian = ? AND state IN ? AND level > 0", who, models.HeldStates).Count(&n)
		why := ""
		switch {
		case w.openInspection(who):
			why = "the custodian has an open inspection"
		case n == 0:
			why = "the custodian holds nothing"
		}
		err := w.call(i, "start inspection of "+who, func() error { _, err := s.StartInspection(sess, who); return err })
		w.expect(i, "start inspection of "+who, why, err)
		return err
	}
	in := open[r.IntN(len(open))]
	w.note = "count and close " + in.SlipNo + " of " + in.Custodian
	var items []models.InspectionItem
	s.db.Where("inspection_id = ? AND expected", in.ID).Order("reg_no").Find(&items)
	for _, it := range items {
		if c, _ := w.carrier(it.CarrierID); c.State == models.StateInStore && r.IntN(6) != 0 {
			w.call(i, "tick "+it.RegNo, func() error { _, err := s.TickFound(sess, in.ID, it.RegNo); return err })
		}
	}
	if r.IntN(4) == 0 { // found, but not listed for this custodian
		c, _ := w.carrier(w.pick(w.ids))
		regNo := c.RegNo
		if regNo == "" {
			regNo = "收〔2026〕9999"
		}
		w.call(i, "tick unlisted "+regNo, func() error { _, err := s.TickFound(sess, in.ID, regNo); return err })
	}
	res, err := s.InspectionResult(sess, in.ID)
	if err != nil {
		t.Fatalf("step %d: inspection result: %v", i, err)
	}
	for _, it := range res.Unresolved {
		note := "已查明：载体在机要室其他柜中，已归位"
		if r.IntN(8) == 0 {
			note = " " // refused: R4 wants a note
		}
		err := w.call(i, "resolve "+it.RegNo, func() error { _, err := s.Resolve(sess, in.ID, it.CarrierID, note); return err })
		w.expect(i, "resolve "+it.RegNo, map[bool]string{true: "no note", false: ""}[note == " "], err)
	}
	if res, err = s.InspectionResult(sess, in.ID); err != nil {
		t.Fatalf("step %d: inspection result: %v", i, err)
	}
	why := ""
	if len(res.Unresolved) > 0 {
		why = "differences unresolved (R4)"
	}
	err = w.call(i, "close inspection "+in.SlipNo, func() error { _, err := s.CloseInspection(sess, in.ID); return err })
	w.expect(i, "close inspection "+in.SlipNo, why, err)
	return err
}

// checkReturns verifies the invariants of 清退, 归档, the 清退 flag, approved
// destruction slips and handovers.
func (w *propWorld) checkReturns(where string, cs []models.Carrier, byID map[string]models.Carrier) {
	t, s := w.t, w.s

	// 5. An archived carrier has one 归档 row, which never changes; nothing
	// else has one. Destroyed and archived carriers were never flagged (R16).
	var archives []models.Archive
	if err := s.db.Find(&archives).Error; err != nil {
		t.Fatal(err)
	}
	rowOf := map[string]string{}
	for _, a := range archives {
		c := byID[a.CarrierID]
		if c.State != models.StateArchived {
			t.Fatalf("%s: %s has a 归档 row but is %s", where, c.RegNo, c.State)
		}
		rowOf[a.CarrierID] = fmt.Sprintf("%s|%s|%s|%s|%s", a.FileNo, a.Note, a.ArchivedOn, a.CreatedBy,
			a.CreatedAt.UTC().Format(time.RFC3339Nano))
		if old, ok := w.archived[a.CarrierID]; !ok {
			w.archived[a.CarrierID] = rowOf[a.CarrierID]
		} else if old != rowOf[a.CarrierID] {
			t.Fatalf("%s: 归档 row of %s changed: was %s, now %s", where, c.RegNo, old, rowOf[a.CarrierID])
		}
	}
	for _, c := range cs {
		if c.State == models.StateArchived && rowOf[c.ID] == "" {
			t.Fatalf("%s: archived %s has no 归档 row", where, c.RegNo)
		}
		if (c.State == models.StateArchived || c.State == models.StateDestroyed) && c.ReturnToIssuer {
			t.Fatalf("%s: %s is %s yet flagged for return to its issuer (R16)", where, c.RegNo, c.State)
		}
	}

	// 6. A returned carrier was flagged and sits on exactly one 清退 slip, handed
	// over to its own issuer; every carrier of a handed-over slip is returned,
	// and the slip never changes again. A carrier is on one pending slip at
	// most, and every carrier of a pending slip is still held: otherwise the
	// slip could never be handed over.
	var batches []models.ReturnBatch
	if err := s.db.Order("slip_no").Find(&batches).Error; err != nil {
		t.Fatal(err)
	}
	var items []models.ReturnItem
	if err := s.db.Order("batch_id, ord").Find(&items).Error; err != nil {
		t.Fatal(err)
	}
	itemsOf := map[string][]string{}
	for _, it := range items {
		itemsOf[it.BatchID] = append(itemsOf[it.BatchID], it.CarrierID)
	}
	handedSlips, pendingSlips := map[string][]string{}, map[string][]string{}
	for _, b := range batches {
		ids := itemsOf[b.ID]
		if len(ids) == 0 {
			t.Fatalf("%s: 清退 slip %s lists nothing", where, b.SlipNo)
		}
		for _, id := range ids {
			c := byID[id]
			switch b.State {
			case models.ReturnHandedOver:
				handedSlips[id] = append(handedSlips[id], b.SlipNo)
				if c.State != models.StateReturned {
					t.Fatalf("%s: %s of handed-over 清退 slip %s is %s", where, c.RegNo, b.SlipNo, c.State)
				}
			case models.ReturnPending:
				pendingSlips[id] = append(pendingSlips[id], b.SlipNo)
				if !c.State.Held() {
					msg := fmt.Sprintf("%s: %s on pending 清退 slip %s is %s: the slip can never be handed over",
						where, c.RegNo, b.SlipNo, c.State)
					w.knownBug("stuck "+b.ID, msg)
				}
			default:
				t.Fatalf("%s: 清退 slip %s in state %q", where, b.SlipNo, b.State)
			}
			if c.Issuer != b.Issuer {
				w.knownBug("issuer "+b.ID+" "+c.ID, fmt.Sprintf("%s: %s of %s is on %s 清退 slip %s to %s",
					where, c.RegNo, c.Issuer, b.State, b.SlipNo, b.Issuer))
			}
		}
		if b.State != models.ReturnHandedOver {
			continue
		}
		row := fmt.Sprintf("%s|%s|%s|%s|%s|%v", b.SlipNo, b.Issuer, b.HandedOverOn, b.HandedTo, b.HandedBy, ids)
		if b.HandedOverOn == "" || b.HandedTo == "" || b.HandedAt == nil {
			t.Fatalf("%s: handed-over 清退 slip %+v lacks its handover", where, b)
		}
		if old, ok := w.handed[b.ID]; !ok {
			w.handed[b.ID] = row
		} else if old != row {
			t.Fatalf("%s: handed-over 清退 slip changed: was %s, now %s", where, old, row)
		}
	}
	for _, c := range cs {
		if n := len(pendingSlips[c.ID]); n > 1 {
			t.Fatalf("%s: %s is on %d pending 清退 slips %v", where, c.RegNo, n, pendingSlips[c.ID])
		}
		if c.State != models.StateReturned {
			continue
		}
		if n := len(handedSlips[c.ID]); n != 1 || !c.ReturnToIssuer {
			t.Fatalf("%s: returned %s (flagged %v) is on %d handed-over 清退 slips %v", where, c.RegNo,
				c.ReturnToIssuer, n, handedSlips[c.ID])
		}
	}

	// 7. No carrier of an approved destruction slip has left the register:
	// otherwise the slip could never be completed.
	var gone []struct{ BatchID, SlipNo, RegNo string }
	if err := s.db.Raw(`SELECT b.id AS batch_id, b.slip_no, c.reg_no FROM destruction_items i
		JOIN destruction_batches b ON b.id = i.batch_id JOIN carriers c ON c.id = i.carrier_id
		WHERE b.state = ? AND c.state NOT IN ? ORDER BY b.slip_no, i.ord`,
		models.DestructionApproved, models.HeldStates).Scan(&gone).Error; err != nil {
		t.Fatal(err)
	}
	for _, g := range gone {
		w.knownBug("stuck "+g.BatchID, fmt.Sprintf("%s: %s on approved destruction slip %s is %s: the slip can never be completed",
			where, g.RegNo, g.SlipNo, byRegNo(cs, g.RegNo).State))
	}

	// 8. A carrier's custodian is the one its last handover (or change of
	// 责任人) names; a custodian has one open self-inspection at most.
	var moves []models.CarrierEvent
	if err := s.db.Raw(`SELECT * FROM carrier_events WHERE field = ? ORDER BY at, rowid`,
		models.FieldLabels[models.FieldCustodian]).Scan(&moves).Error; err != nil {
		t.Fatal(err)
	}
	last := map[string]string{}
	for _, e := range moves {
		last[e.CarrierID] = e.NewValue
	}
	for id, who := range last {
		if c := byID[id]; c.Custodian != who {
			t.Fatalf("%s: %s is kept by %s, but its history last handed it to %s", where, c.RegNo, c.Custodian, who)
		}
	}
	var open []string
	s.db.Raw(`SELECT custodian FROM inspections WHERE state = ? GROUP BY custodian HAVING count(*) > 1`,
		models.InspectionOpen).Scan(&open)
	if len(open) > 0 {
		t.Fatalf("%s: several open self-inspections of %v", where, open)
	}
}

// traceStep records step i: what it picked (register and slip numbers), its
// other inputs and its outcome.
func (w *propWorld) traceStep(i int, name string, err error) {
	var what []string
	for _, id := range w.picked {
		var no string
		w.s.db.Raw(`SELECT reg_no FROM carriers WHERE id = ? UNION ALL SELECT slip_no FROM return_batches WHERE id = ?
			UNION ALL SELECT slip_no FROM destruction_batches WHERE id = ? UNION ALL SELECT slip_no FROM loans WHERE id = ?`,
			id, id, id, id).Scan(&no)
		if no == "" {
			no = id
			if len(no) > 8 {
				no = no[:8]
			}
		}
		what = append(what, no)
	}
	if w.note != "" {
		what = append(what, w.note)
	}
	outcome := "ok"
	if err != nil {
		outcome = "refused: " + err.Error()
	}
	w.trace = append(w.trace, fmt.Sprintf("%4d %-17s %s → %s", i, name, strings.Join(what, " "), outcome))
}

// knownBug fails the test on a slip that can never be finished: a carrier
// on an open 清退 or 销毁 slip that left the register by another way, or a
// 清退 slip's carrier whose issuer was edited.
func (w *propWorld) knownBug(key, msg string) {
	w.t.Fatal(msg)
}

func byRegNo(cs []models.Carrier, regNo string) models.Carrier {
	for _, c := range cs {
		if c.RegNo == regNo {
			return c
		}
	}
	return models.Carrier{}
}
