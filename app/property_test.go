package app

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime/debug"
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
	terminal map[string]models.Carrier
	regs     int
	ok, runs map[string]int
}

// TestProperty_RandomUseCasesKeepInvariants runs random sequences of use cases
// on random carriers and checks after each batch of steps that a terminal
// carrier never changes again, every copy has its original or its own
// recorded history, the home view's counts equal a recount from the carriers
// table and from the history, and the database and audit chain are sound.
func TestProperty_RandomUseCasesKeepInvariants(t *testing.T) {
	steps := 400
	seeds := []uint64{1, 20261123, 7777}
	if testing.Short() {
		steps = 100
	}
	for _, seed := range seeds {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			s := newService(t)
			w := &propWorld{t: t, s: s, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
				clock: fixedNow, terminal: map[string]models.Carrier{},
				ok: map[string]int{}, runs: map[string]int{}}
			s.Now = func() time.Time { return w.clock }
			all := models.ActionSet{models.ApproveCopy, models.ApproveLoan, models.ApproveTakeOut,
				models.ApproveDestroy, models.ApproveDeclassify, models.ApproveReturn}
			var err error
			w.top, err = s.AddApprover(as(t, s, "secadmin"), ApproverInput{Name: "陈局长", Title: "局长",
				Actions: all, MaxLevel: models.LevelTopSecret, Active: true})
			if err != nil {
				t.Fatalf("add approver: %v", err)
			}
			w.weak, err = s.AddApprover(as(t, s, "secadmin"), ApproverInput{Name: "孙科长", Title: "科长",
				Actions: models.ActionSet{models.ApproveCopy}, MaxLevel: models.LevelConfidential, Active: true})
			if err != nil {
				t.Fatalf("add approver: %v", err)
			}
			for i := 0; i < 4; i++ {
				w.step(i, 0)
			}
			for i := 0; i < steps; i++ {
				w.clock = w.clock.Add(time.Minute) // same day throughout: 10:00 + at most 5 h
				op := w.rng.IntN(16)
				w.step(i, op)
				w.check(i, op)
			}
			var b strings.Builder
			for _, name := range propOps[:15] {
				fmt.Fprintf(&b, " %s %d/%d", name, w.ok[name], w.runs[name])
			}
			var cs []models.Carrier
			s.db.Find(&cs)
			states := map[models.State]int{}
			for _, c := range cs {
				states[c.State]++
			}
			t.Logf("succeeded/tried:%s; carriers by state %v", b.String(), states)
		})
	}
}

var propOps = []string{"register", "edit", "void", "copy", "loan", "loan-return", "circulate",
	"sign-out", "sign-back", "close-circulation", "destroy-request", "destroy-decide", "destroy-complete",
	"flag-return", "declassify", "register"}

func (w *propWorld) pick(list []string) string {
	if len(list) == 0 || w.rng.IntN(20) == 0 {
		return "no-such-id"
	}
	return list[w.rng.IntN(len(list))]
}

// pickOpen mostly picks a row of table in state, else any id of list.
func (w *propWorld) pickOpen(table, state string, list []string) string {
	if w.rng.IntN(5) != 0 {
		var ids []string
		w.s.db.Raw(`SELECT id FROM `+table+` WHERE state = ? ORDER BY id`, state).Scan(&ids)
		if len(ids) > 0 {
			return ids[w.rng.IntN(len(ids))]
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
	var err error
	switch name {
	case "register":
		w.regs++
		f := form()
		f.DocNumber = fmt.Sprintf("遂安府办发〔2026〕%d号", w.regs)
		if r.IntN(10) == 0 && w.regs > 1 {
			f.DocNumber = fmt.Sprintf("遂安府办发〔2026〕%d号", w.regs-1) // may duplicate a copy number
		}
		f.Level = models.Levels[r.IntN(len(models.Levels))]
		if r.IntN(3) == 0 {
			f.Copies = fmt.Sprint(2 + r.IntN(2))
		}
		if r.IntN(15) == 0 {
			f.Title = "" // invalid
		}
		_, err = s.Register(sess, f)
	case "edit":
		id := w.pick(w.ids)
		c, _ := w.carrier(id)
		f := FormOf(c)
		f.Location = fmt.Sprintf("机要室%d号柜", r.IntN(9)+1)
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
		req, err = s.RequestCopy(sess, CopyRequestInput{CarrierID: w.pick(w.ids), Copies: 1 + r.IntN(2),
			Purpose: "传达学习", Requester: "刘洋"})
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
			in.CarrierIDs = append(in.CarrierIDs, w.pick(w.ids))
		}
		var b models.DestructionBatch
		b, err = s.RequestDestruction(sess, in)
		if err == nil {
			w.batches = append(w.batches, b.ID)
		}
	case "destroy-decide":
		_, err = s.DecideDestruction(sess, DestructionDecision{BatchID: w.pickOpen("destruction_batches", string(models.DestructionPending), w.batches), ApproverID: w.approver(),
			Decision: w.decision(), Opinion: "同意销毁", DecidedOn: w.date()})
	case "destroy-complete":
		rec := DestructionRecord{Method: models.MethodSent, Place: "市保密局销毁中心", DestroyedOn: w.date(),
			Witness1: "赵丽", Witness2: "周强", Escort1: "钱进", Escort2: "吴涛"}
		if r.IntN(4) == 0 {
			rec.Witness2 = "" // one witness: refused
		}
		if r.IntN(4) == 0 {
			rec.Method, rec.EquipmentNo, rec.Escort1, rec.Escort2 = models.MethodSelf, "SX-2026-01", "", ""
		}
		_, err = s.CompleteDestruction(sess, w.pickOpen("destruction_batches", string(models.DestructionApproved), w.batches), rec)
	case "flag-return":
		_, err = s.FlagReturnToIssuer(sess, w.pick(w.ids), r.IntN(3) != 0)
	case "declassify":
		if r.IntN(2) != 0 {
			return
		}
		id := w.pick(w.ids)
		c, _ := w.carrier(id)
		_, err = s.ChangeSecrecy(sess, TermChange{CarrierID: id, Version: c.Version, Kind: models.ChangeDeclassify,
			DecidedBy: w.approver(), AuthorityDoc: "遂安保密〔2026〕3号", Reason: "经审核已无保密必要",
			DecidedOn: w.date()})
	}
	w.runs[name]++
	if err == nil {
		w.ok[name]++
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
		if !c.State.Terminal() {
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

	// 4. The file and the audit chain are sound.
	var ic string
	if err := s.db.Raw(`PRAGMA integrity_check`).Scan(&ic).Error; err != nil || ic != "ok" {
		t.Fatalf("%s: integrity_check = %q, %v", where, ic, err)
	}
	if v, err := s.verifyAudit(); err != nil || !v.OK {
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
