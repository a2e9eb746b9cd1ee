package app

import (
	"testing"

	"strings"
)

// kindCounts reads ChangeCount of every kind.
func kindCounts(s *Service) [changeKinds]uint64 {
	var c [changeKinds]uint64
	for k := range c {
		c[k] = s.ChangeCount(ChangeKind(k))
	}
	return c
}

// moved lists the kinds whose count differs between a and b.
func moved(a, b [changeKinds]uint64) map[ChangeKind]bool {
	m := map[ChangeKind]bool{}
	for k := range a {
		if a[k] != b[k] {
			m[ChangeKind(k)] = true
		}
	}
	return m
}

func TestChangeCount_MovesForTheKindsAChangeWrote(t *testing.T) {
	s := newService(t)
	sess := clerk(t, s)

	before := kindCounts(s)
	all := s.ChangeCount()
	mustRegister(t, s, form())
	got := moved(before, kindCounts(s))
	if !got[ChangeCarriers] || !got[ChangeAudit] {
		t.Errorf("a registration moved %v; want carriers and the audit trail", got)
	}
	for _, k := range []ChangeKind{ChangeAccounts, ChangeDestruction, ChangeReturns, ChangeHandovers, ChangeInspections, ChangeReviews} {
		if got[k] {
			t.Errorf("a registration moved kind %d, which it did not write", k)
		}
	}
	if s.ChangeCount() <= all {
		t.Error("ChangeCount() of every kind did not grow after a registration")
	}

	before = kindCounts(s)
	if _, err := s.SavePerson(sess, PersonInput{Name: "周婷", Department: "办公室"}); err != nil {
		t.Fatal(err)
	}
	got = moved(before, kindCounts(s))
	if !got[ChangePeople] || got[ChangeCarriers] || got[ChangeMovements] {
		t.Errorf("adding a person moved %v; want the people list and not the carriers", got)
	}

	// A refused change writes only its audit record.
	before = kindCounts(s)
	if _, err := s.SavePerson(sess, PersonInput{Name: ""}); err == nil {
		t.Fatal("a person without a name was saved")
	}
	got = moved(before, kindCounts(s))
	if got[ChangePeople] || got[ChangeCarriers] {
		t.Errorf("a refused change moved %v; it changed nothing but the audit trail", got)
	}

	// A read moves nothing.
	before = kindCounts(s)
	if _, err := s.Page(sess, Query{}, 0, 50); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Stats(sess); err != nil {
		t.Fatal(err)
	}
	if got := moved(before, kindCounts(s)); len(got) != 0 {
		t.Errorf("reading the ledger moved %v", got)
	}
}

func TestChangeCount_ATableNotNamedCountsAsEveryKind(t *testing.T) {
	var c changeCounts
	c.note(map[string]bool{"persons": true})
	if c.n[ChangePeople] != 1 || c.n[ChangeCarriers] != 0 {
		t.Fatalf("persons: %v", c.n)
	}
	c.note(map[string]bool{"a_table_added_later": true})
	for k, n := range c.n {
		if want := uint64(1); ChangeKind(k) != ChangePeople && n != want {
			t.Errorf("kind %d: %d after a change of an unknown table; want %d", k, n, want)
		}
	}
	if c.n[ChangePeople] != 2 {
		t.Errorf("people: %d, want 2", c.n[ChangePeople])
	}
}

// Every table the schema makes belongs to a kind, so that no change makes
// every screen reload.
func TestChangeCount_EveryTableHasAKind(t *testing.T) {
	s := newService(t)
	var names []string
	if err := s.db.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	skip := map[string]bool{"schema_migrations": true, "row_seals": true, "pending_seals": true}
	for _, n := range names {
		if _, ok := kindOfTable[n]; !ok && !skip[n] && !strings.HasPrefix(n, "carrier_search") {
			t.Errorf("table %s has no kind in kindOfTable", n)
		}
	}
}
