package app

import (
	"sync"
)

// ChangeKind is a kind of record the window shows: a screen names the kinds
// it reads, and reloads only when ChangeCount of those kinds has moved
// since it last loaded.
type ChangeKind int

// The kinds of record, each a set of tables.
const (
	ChangeCarriers    ChangeKind = iota // carriers and what is written about each: history, sources, 定密, 印制, 归档, secrecy changes
	ChangeMovements                     // loans, circulation, handling, copies, dispatch and receipts
	ChangeDestruction                   // destruction batches
	ChangeReturns                       // 清退 batches
	ChangeHandovers                     // handovers
	ChangeInspections                   // self-inspections
	ChangeReviews                       // the yearly review of secrecy terms
	ChangePeople                        // the people list
	ChangeAccounts                      // accounts
	ChangeSettings                      // settings, approvers, the working calendar, backups
	ChangeAudit                         // the audit trail: every write appends to it
	changeKinds
)

// kindOfTable names the kind each table belongs to. A table not named here
// counts as every kind, so that a table added later can only make a screen
// reload more often, never show what is out of date.
var kindOfTable = map[string]ChangeKind{
	"carriers": ChangeCarriers, "carrier_events": ChangeCarriers, "carrier_sources": ChangeCarriers,
	"carrier_counts": ChangeCarriers, "custodian_counts": ChangeCarriers, "issuer_counts": ChangeCarriers,
	"carrier_blocks": ChangeCarriers, "secrecy_changes": ChangeCarriers, "classifications": ChangeCarriers,
	"printings": ChangeCarriers, "archives": ChangeCarriers, "counters": ChangeCarriers,

	"loans": ChangeMovements, "circulations": ChangeMovements, "circulation_steps": ChangeMovements,
	"handlings": ChangeMovements, "copy_requests": ChangeMovements, "copy_request_sources": ChangeMovements,
	"sendings": ChangeMovements, "dispatch_lines": ChangeMovements,

	"destruction_batches": ChangeDestruction, "destruction_items": ChangeDestruction,
	"return_batches": ChangeReturns, "return_items": ChangeReturns,
	"handovers": ChangeHandovers, "handover_items": ChangeHandovers,
	"inspections": ChangeInspections, "inspection_items": ChangeInspections,
	"term_reviews": ChangeReviews,
	"persons":      ChangePeople,
	"users":        ChangeAccounts,
	"settings":     ChangeSettings, "approvers": ChangeSettings, "calendar_days": ChangeSettings, "backups": ChangeSettings,
	"audit_log": ChangeAudit,
}

// changeCounts counts, per kind, the committed transactions that changed a
// row of that kind since the service opened. Only this process writes the
// database (it holds it exclusively), so the counts see every change.
type changeCounts struct {
	mu sync.Mutex
	n  [changeKinds]uint64
}

// note counts one committed transaction that changed rows of tables.
func (c *changeCounts) note(tables map[string]bool) {
	if len(tables) == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var hit [changeKinds]bool
	for t := range tables {
		k, ok := kindOfTable[t]
		if !ok {
			for i := range hit {
				hit[i] = true
			}
			break
		}
		hit[k] = true
	}
	for i, h := range hit {
		if h {
			c.n[i]++
		}
	}
}

// all counts a change of everything: a restore replaced the register.
func (c *changeCounts) all() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.n {
		c.n[i]++
	}
}

// ChangeCount is a number that grows each time a change of one of kinds is
// committed; with no kinds, of any kind. It reads no database: a screen asks
// it whenever it is shown, and loads again only when the number moved since
// its last load.
func (s *Service) ChangeCount(kinds ...ChangeKind) uint64 {
	c := &s.changes
	c.mu.Lock()
	defer c.mu.Unlock()
	var sum uint64
	if len(kinds) == 0 {
		for _, n := range c.n {
			sum += n
		}
		return sum
	}
	for _, k := range kinds {
		if k >= 0 && k < changeKinds {
			sum += c.n[k]
		}
	}
	return sum
}

// touched notes that the transaction changed a row of table.
func (ws *writeState) touched(table string) {
	if ws.tables == nil {
		ws.tables = map[string]bool{}
	}
	ws.tables[table] = true
}
