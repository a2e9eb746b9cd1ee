package app

import (
	"context"
	"database/sql"
	"fmt"
	"secdoc/models"
	"slices"
	"strings"
)

// The acts the year's statistics count besides the carriers' flows: loans
// and take-outs, 定密 records, changes of mark and self-inspections, each
// read from the snapshot of annualData.read.

// readLoans reads the loans and take-outs the year concerns, each column
// counted at the carrier's level on its day.
func (d *annualData) readLoans(ctx context.Context, conn *sql.Conn, downs map[string][]annualDown) error {
	return queryRows(ctx, conn, func(r *sql.Rows) error {
		var id, kind, state, slip, borrower, req, dec, out, ret, due, check string
		var seq int64
		var level int
		if err := r.Scan(&id, &seq, &level, &kind, &state, &slip, &borrower, &req, &dec, &out, &ret, &due, &check); err != nil {
			return err
		}
		h := carrierHist{level: int8(level), downs: downs[id]}
		l := annualLoan{seq: seq, kind: models.LoanKind(kind), slip: slip, borrower: borrower}
		set := func(col int, day int32) {
			l.cols[col], l.days[col] = h.levelAt(day), day
		}
		reqD, decD, outD, retD, dueD := dayNum(req), dayNum(dec), dayNum(out), dayNum(ret), dayNum(due)
		if d.inYear(reqD) {
			set(loanRequested, reqD)
		}
		st := models.LoanState(state)
		if outD != 0 && d.inYear(outD) && (st == models.LoanOut || st == models.LoanReturned) {
			set(loanApproved, outD)
		}
		if st == models.LoanRefused && d.inYear(decD) {
			set(loanRefused, decD)
		}
		if st == models.LoanReturned && d.inYear(retD) {
			set(loanReturned, retD)
			if retD > dueD {
				set(loanLate, retD)
			}
		}
		if outD != 0 && outD <= d.d1 && (st == models.LoanOut || st == models.LoanReturned && retD > d.d1) {
			set(loanOut, d.d1)
			l.days[loanOut] = outD
		}
		if l.cols != ([loanColCount]int8{}) {
			d.loans = append(d.loans, l)
		}
		return nil
	}, `SELECT c.id, c.seq, c.level, l.kind, l.state, l.slip_no, l.borrower, l.requested_on, l.decided_on,
		l.out_on, l.returned_on, l.due_on, l.return_check
		FROM loans l CROSS JOIN carriers c ON c.id = l.carrier_id
		WHERE l.requested_on <= ? AND (l.returned_on = '' OR l.returned_on >= ?) AND c.state <> 'voided'
		ORDER BY l.requested_on, l.slip_no`, dayText(d.d1), dayText(d.y0))
}

// readClasses reads the 定密 records approved or referred to the superior
// in the year: one per document, however many copies it has.
func (d *annualData) readClasses(ctx context.Context, conn *sql.Conn) error {
	return queryRows(ctx, conn, func(r *sql.Rows) error {
		var slip, kind, term, state, decided, superior, superiorOn string
		var seq int64
		var level int
		if err := r.Scan(&seq, &slip, &kind, &level, &term, &state, &decided, &superior, &superiorOn); err != nil {
			return err
		}
		k := annualClass{seq: seq, slip: slip, kind: models.ClassKind(kind), level: int8(level), term: models.TermKind(term)}
		on := dayNum(decided)
		if superior != "" {
			on = dayNum(superiorOn)
		}
		if models.ClassState(state) == models.ClassApproved && d.inYear(on) {
			k.on = on
		}
		if (models.ClassState(state) == models.ClassReferred || superior != "") && d.inYear(dayNum(decided)) {
			k.referred = dayNum(decided)
		}
		if k.on != 0 || k.referred != 0 {
			d.classes = append(d.classes, k)
		}
		return nil
	}, `SELECT c.seq, k.slip_no, k.kind, k.level, k.term_kind, k.state, k.decided_on, k.superior, k.superior_on
		FROM classifications k CROSS JOIN carriers c ON c.id = k.carrier_id
		WHERE k.state IN ('approved', 'referred') AND c.state <> 'voided' ORDER BY k.slip_no`)
}

// readChanges reads the changes of mark decided in the year, of originals
// only: a copy changes with its original and is the same matter.
func (d *annualData) readChanges(ctx context.Context, conn *sql.Conn) error {
	return queryRows(ctx, conn, func(r *sql.Rows) error {
		var doc, batch, kind, basis, on string
		var seq int64
		var old int
		if err := r.Scan(&seq, &doc, &batch, &kind, &basis, &old, &on); err != nil {
			return err
		}
		// One document is one matter: its 文号, or the registration that
		// holds all its 份号 when it has none.
		matter := "b:" + batch
		if doc != "" {
			matter = "d:" + doc
		}
		d.changes = append(d.changes, annualChange{seq: seq, matter: matter, kind: models.TermChangeKind(kind),
			basis: basis, old: int8(old), on: dayNum(on)})
		return nil
	}, `SELECT c.seq, c.doc_number, c.batch_id, x.kind, x.basis, x.old_level, x.decided_on
		FROM secrecy_changes x CROSS JOIN carriers c ON c.id = x.carrier_id
		WHERE x.decided_on BETWEEN ? AND ? AND c.is_copy = 0 ORDER BY x.decided_on, c.seq`,
		dayText(d.y0), dayText(d.d1))
}

// readInspections reads the self-inspections completed in the year, by
// custodian, and how many each custodian should have done: one per period
// of the highest level they hold (or held at their counts), for the
// months of the year gone by.
func (d *annualData) readInspections(ctx context.Context, conn *sql.Conn, periods map[models.Level]int) error {
	by := map[string]*annualInspect{}
	get := func(name string) *annualInspect {
		if by[name] == nil {
			by[name] = &annualInspect{custodian: name}
		}
		return by[name]
	}
	if err := queryRows(ctx, conn, func(r *sql.Rows) error {
		var name string
		var done, items, missing, unexpected, hi int
		if err := r.Scan(&name, &done, &items, &missing, &unexpected, &hi); err != nil {
			return err
		}
		a := get(name)
		a.done, a.items, a.missing, a.unexpected = done, items, missing, unexpected
		a.hi = max(a.hi, hi)
		return nil
	}, `SELECT i.custodian, count(DISTINCT i.id),
			COALESCE(sum(t.expected), 0),
			COALESCE(sum(t.expected AND t.status = 'in_store' AND NOT t.found), 0),
			COALESCE(sum(NOT t.expected), 0),
			COALESCE(max(t.level), 0)
		FROM inspections i LEFT JOIN inspection_items t ON t.inspection_id = i.id
		WHERE i.state = 'closed' AND i.closed_on BETWEEN ? AND ? GROUP BY i.custodian`,
		dayText(d.y0), dayText(d.d1)); err != nil {
		return fmt.Errorf("self-inspections: %w", err)
	}
	months := 12
	if d.today <= d.d1 {
		// The year runs: the months gone by in full, and only the holders
		// of today are known to owe their counts.
		months = int(d.today/100%100) - 1
		if err := queryRows(ctx, conn, func(r *sql.Rows) error {
			var name string
			var hi int
			if err := r.Scan(&name, &hi); err != nil {
				return err
			}
			a := get(name)
			a.hi = max(a.hi, hi)
			return nil
		}, `SELECT custodian, max(level) FROM carriers INDEXED BY idx_carriers_custodian
			WHERE state IN (?, ?, ?, ?) AND custodian <> '' AND level > 0 GROUP BY custodian`, d.heldStates...); err != nil {
			return fmt.Errorf("holders: %w", err)
		}
	}
	for _, a := range by {
		a.period = models.DefaultInspectionMonths
		if l := models.Level(a.hi); l.IsStateSecret() && periods[l] > 0 {
			a.period = periods[l]
		}
		if a.hi > 0 {
			a.due = months / a.period
		}
		a.late = max(0, a.due-a.done)
		d.inspections = append(d.inspections, *a)
	}
	slices.SortFunc(d.inspections, func(a, b annualInspect) int { return strings.Compare(a.custodian, b.custodian) })
	return nil
}
