package app

// How the year's statistics are read from the register. The carriers fall
// in two parts:
//
//   - held throughout: held now, registered before the year and never
//     downgraded since it began. Each is held on 1 January and on 31
//     December at its level now, with nothing else to count: they are
//     counted from the index of states, levels, kinds and years alone,
//     however many there are.
//   - the rest that the year concerns: the carriers registered in the year
//     (read by the index of registration dates), those registered before
//     it that left in it or later (read from the records of leaving by
//     their dates), and the held ones downgraded since it began. Only these
//     are read row by row; each is worked out once (classifyCarrier) into
//     what it adds to which figure, and kept for the lists behind the
//     figures until the register changes.
//
// Everything is read in one snapshot of the database.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync"

	"secdoc/models"
)

// annualFact is what one carrier adds to its year: the level of each of its
// figures, 0 where it adds nothing.
type annualFact struct {
	seq    int64
	reg    int32 // 登记日期, yyyymmdd
	on     int32 // the day it left, when it left in the year
	moveOn int32 // the day of the last 降密 of the year that moved it
	batch  int32 // its destruction slip, an index into annualData.batches; -1 for none
	kind   uint8 // an index into annualData.kinds
	entry  int8  // the flow it entered by in the year, -1 for none
	exit   int8  // the flow it left by in the year, -1 for none, exitUnknown
	// The levels it is counted at.
	startL, endL, entryL, exitL, moveFrom, moveTo int8
}

// exitUnknown marks a carrier of the year that is no longer held but has no
// record of leaving: it leaves no figure but the balance's difference.
const exitUnknown = 100

// annualDown is one 降密 of a carrier: the day decided and the level before.
type annualDown struct {
	on  int32
	old int8
}

// carrierHist is what classifyCarrier needs of a carrier.
type carrierHist struct {
	seq    int64
	level  int8 // its level now
	kind   uint8
	dir    models.Direction
	isCopy bool
	reg    int32
	exit   int8  // how it left (FlowSent … FlowDeclassified), -1 while held, exitUnknown
	out    int32 // the day it left, as recorded
	batch  int32
	downs  []annualDown // its downgrades decided after the year before ended
}

// levelAt is the carrier's level at the end of day: before every 降密
// decided after it.
func (h *carrierHist) levelAt(day int32) int8 {
	l := h.level
	found := false
	for _, d := range h.downs {
		if d.on > day && (!found || d.old > l) {
			l, found = d.old, true
		}
	}
	return l
}

// classifyCarrier works out what carrier h adds to the year from y0 (1
// January) to d1 (31 December), the year before having ended on d0. Dates
// are yyyymmdd.
func classifyCarrier(h carrierHist, y0, d0, d1 int32) annualFact {
	f := annualFact{seq: h.seq, reg: h.reg, kind: h.kind, batch: h.batch, entry: -1, exit: -1}
	left := h.exit >= 0
	known := left && h.exit != exitUnknown && h.out != 0
	x := h.out
	if known && x < h.reg {
		x = h.reg // left before it was registered: on the day it was
	}
	heldAt := func(d int32) bool { return h.reg <= d && (!left || known && x > d) }
	var p0, p1 int8 // its level where the year begins for it and where it ends
	var p0day, p1day int32
	if heldAt(d0) {
		f.startL = h.levelAt(d0)
		p0, p0day = f.startL, d0
	}
	if h.reg >= y0 && h.reg <= d1 {
		f.entry = int8(FlowReceived)
		switch {
		case h.isCopy:
			f.entry = int8(FlowCopied)
		case h.dir == models.DirOutgoing:
			f.entry = int8(FlowProduced)
		}
		f.entryL = h.levelAt(h.reg - 1)
		p0, p0day = f.entryL, h.reg-1
		if left && !known {
			f.exit = exitUnknown
		}
	}
	switch {
	case heldAt(d1):
		f.endL = h.levelAt(d1)
		p1, p1day = f.endL, d1
	case known && x >= y0 && x <= d1:
		f.exit, f.on, f.exitL = h.exit, x, h.levelAt(x)
		p1, p1day = f.exitL, x
	}
	if p0 != 0 && p1 != 0 && p0 != p1 {
		f.moveFrom, f.moveTo = p0, p1
		for _, d := range h.downs {
			if d.on > p0day && d.on <= p1day && d.on > f.moveOn {
				f.moveOn = d.on
			}
		}
	}
	return f
}

// contributes reports whether the fact adds to any figure.
func (f *annualFact) contributes() bool {
	return f.startL != 0 || f.endL != 0 || f.entry >= 0 || f.exit >= 0
}

// dayNum reads yyyy-mm-dd as yyyymmdd; 0 for anything else.
func dayNum(s string) int32 {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0
	}
	n, err := strconv.Atoi(s[:4] + s[5:7] + s[8:])
	if err != nil {
		return 0
	}
	return int32(n)
}

// dayText writes yyyymmdd as yyyy-mm-dd; "" for 0.
func dayText(n int32) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", n/10000, n/100%100, n%100)
}

// annualBatch is a destruction slip destroyed: its method.
type annualBatch struct {
	id, method string
	on         int32
}

// annualLoan is a loan or take-out the year concerns, with the level it is
// counted at in each column (0: not counted there).
type annualLoan struct {
	seq            int64
	kind           models.LoanKind
	slip, borrower string
	cols           [loanColCount]int8
	days           [loanColCount]int32
}

// The columns of a kind of loan.
const (
	loanRequested = iota // 申请
	loanApproved         // 批准借出
	loanRefused          // 不同意
	loanReturned         // 归还
	loanLate             // 其中逾期归还
	loanOut              // 年末未还
	loanColCount
)

var loanColSlugs = [loanColCount]string{"requested", "approved", "refused", "returned", "late", "out"}
var loanColNames = [loanColCount]string{"申请", "批准", "不同意", "归还", "逾期归还", "年末未还"}

// annualClass is a 定密 record the year concerns.
type annualClass struct {
	seq      int64
	slip     string
	kind     models.ClassKind
	level    int8
	term     models.TermKind
	on       int32 // approved in the year; 0 when not
	referred int32 // referred to the superior in the year; 0 when not
}

// annualChange is a change of mark of an original (or a copy-less
// carrier) decided in the year; matter names the document it belongs to.
type annualChange struct {
	seq    int64
	matter string
	kind   models.TermChangeKind
	basis  string
	old    int8
	on     int32
}

// annualInspect is what one custodian's self-inspections of the year found.
type annualInspect struct {
	custodian                      string
	period, due, done, late        int // 未按期: due less done, when more were due
	items, missing, unexpected, hi int
}

// annualData is everything the year's report and lists are made of.
type annualData struct {
	year        int
	stamp       string // the register's state it was read in
	y0, d0, d1  int32
	today       int32
	facts       []annualFact
	kinds       []models.CarrierKind
	kindIdx     map[models.CarrierKind]uint8
	held        map[annualLK]int // held throughout, at an unchanged level
	batches     []annualBatch
	loans       []annualLoan
	classes     []annualClass
	changes     []annualChange
	inspections []annualInspect
	waste       [3]int // printings whose spoiled sheets were destroyed in the year: count, sheets, proofs
	voided      int
	maxSeq      int64 // the register\'s last registration number: how far a walk in order may go
	report      AnnualReport
	heldStates  []any
}

// annualCache keeps the last year read until the register changes.
type annualCache struct {
	mu   sync.Mutex
	data *annualData
}

// MinAnnualYear is the first year statistics are made for.
const MinAnnualYear = 1949

// FieldYear names the year in messages.
const FieldYear = "Year"

// checkYear refuses a year the statistics can't be made for: before
// MinAnnualYear or after this one.
func (s *Service) checkYear(year int) error {
	if this := s.today().Year(); year < MinAnnualYear || year > this {
		return fieldError(FieldYear, nil, "年度应在 %d 至 %d 年之间", MinAnnualYear, this)
	}
	return nil
}

// annualRole lets the clerk and the security officer see the statistics;
// redact is true for the security officer, who may count but not read the
// business records (R18): the lists show them no titles.
func (s *Service) annualRole(sess *Session) (redact bool, err error) {
	err = s.authorize(sess, models.RoleClerk)
	var fe *ForbiddenError
	if err == nil || !errors.As(err, &fe) {
		return false, err
	}
	if s.authorize(sess, models.RoleSecAdmin) == nil {
		return true, nil
	}
	return false, &ForbiddenError{Role: fe.Role, Need: []models.Role{models.RoleClerk, models.RoleSecAdmin}}
}

// annualData reads the year, or returns it as last read when the register
// has not changed since (no audit record written: every change writes one).
func (s *Service) annualData(year int) (*annualData, error) {
	if err := s.checkYear(year); err != nil {
		return nil, err
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	ctx := s.ctx
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// A snapshot: a deferred transaction reads without holding up a save.
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return nil, fmt.Errorf("begin statistics: %w", err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)
	var seq int64
	var hash string
	if err := conn.QueryRowContext(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).
		Scan(&seq, &hash); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read the register's state: %w", err)
	}
	today := s.today()
	stamp := fmt.Sprintf("%d/%s/%s", seq, hash, today.Format(models.DateLayout))
	s.annual.mu.Lock()
	defer s.annual.mu.Unlock()
	if d := s.annual.data; d != nil && d.year == year && d.stamp == stamp {
		return d, nil
	}
	d := &annualData{year: year, stamp: stamp,
		y0: int32(year*10000 + 101), d0: int32((year-1)*10000 + 1231), d1: int32(year*10000 + 1231),
		today: dayNum(today.Format(models.DateLayout)), kindIdx: map[models.CarrierKind]uint8{},
		held: map[annualLK]int{}}
	for _, st := range models.HeldStates {
		d.heldStates = append(d.heldStates, string(st))
	}
	if err := d.read(ctx, conn, inspectionPeriods(s.db)); err != nil {
		return nil, fmt.Errorf("statistics of %d: %w", year, err)
	}
	d.buildReport()
	s.annual.data = d
	return d, nil
}

// kind interns a kind as an index into d.kinds.
func (d *annualData) kind(k string) uint8 {
	ck := models.CarrierKind(k)
	if i, ok := d.kindIdx[ck]; ok {
		return i
	}
	if len(d.kinds) >= 255 {
		return 254 // more kinds than a register has: counted with the last
	}
	i := uint8(len(d.kinds))
	d.kinds = append(d.kinds, ck)
	d.kindIdx[ck] = i
	return i
}

// read reads the year from the snapshot conn.
func (d *annualData) read(ctx context.Context, conn *sql.Conn, periods map[models.Level]int) error {
	y0, d0, d1 := dayText(d.y0), dayText(d.d0), dayText(d.d1)
	// The downgrades that change a level within the year or after it.
	downs := map[string][]annualDown{}
	if err := queryRows(ctx, conn, func(r *sql.Rows) error {
		var id, on string
		var old int
		if err := r.Scan(&id, &on, &old); err != nil {
			return err
		}
		downs[id] = append(downs[id], annualDown{on: dayNum(on), old: int8(old)})
		return nil
	}, `SELECT carrier_id, decided_on, old_level FROM secrecy_changes WHERE kind = ? AND decided_on > ?`,
		string(models.ChangeDowngrade), d0); err != nil {
		return fmt.Errorf("downgrades: %w", err)
	}
	// Destruction and 清退 slips done, by id: their dates (and methods).
	batchIdx := map[string]int32{}
	if err := queryRows(ctx, conn, func(r *sql.Rows) error {
		var b annualBatch
		var on string
		if err := r.Scan(&b.id, &b.method, &on); err != nil {
			return err
		}
		b.on = dayNum(on)
		batchIdx[b.id] = int32(len(d.batches))
		d.batches = append(d.batches, b)
		return nil
	}, `SELECT id, method, destroyed_on FROM destruction_batches WHERE state = ?`, string(models.DestructionDestroyed)); err != nil {
		return fmt.Errorf("destruction slips: %w", err)
	}
	returned := map[string]int32{}
	if err := queryRows(ctx, conn, func(r *sql.Rows) error {
		var id, on string
		if err := r.Scan(&id, &on); err != nil {
			return err
		}
		returned[id] = dayNum(on)
		return nil
	}, `SELECT id, handed_over_on FROM return_batches WHERE state = ?`, string(models.ReturnHandedOver)); err != nil {
		return fmt.Errorf("return slips: %w", err)
	}

	counts := map[annualLK]*[flowCount]int{}
	add := func(l int8, k uint8, f AnnualFlow, n int) {
		key := annualLK{l, k}
		c := counts[key]
		if c == nil {
			c = new([flowCount]int)
			counts[key] = c
		}
		c[f] += n
	}
	// scan reads rows of carriers: id, seq, level, kind, direction, is_copy,
	// state, reg_date, and ref: for a carrier that left, the date of its
	// record (or its slip's id, whose date is known). lessHeld counts the
	// held rows read here, which the held throughout leave out.
	lessHeld := map[annualLK]int{}
	scan := func(r *sql.Rows) error {
		var id, kind, dir, state, reg string
		var seq int64
		var level int
		var isCopy bool
		var ref sql.NullString
		if err := r.Scan(&id, &seq, &level, &kind, &dir, &isCopy, &state, &reg, &ref); err != nil {
			return err
		}
		h := carrierHist{seq: seq, level: int8(level), kind: d.kind(kind), dir: models.Direction(dir),
			isCopy: isCopy, reg: dayNum(reg), exit: -1, batch: -1, downs: downs[id]}
		switch models.State(state) {
		case models.StateSent:
			h.exit, h.out = int8(FlowSent), dayNum(ref.String)
		case models.StateArchived:
			h.exit, h.out = int8(FlowArchived), dayNum(ref.String)
		case models.StateDeclassified:
			h.exit, h.out = int8(FlowDeclassified), dayNum(ref.String)
		case models.StateReturned:
			h.exit, h.out = int8(FlowReturned), returned[ref.String]
		case models.StateDestroyed:
			h.exit = int8(FlowDestroyed)
			if i, ok := batchIdx[ref.String]; ok {
				h.out, h.batch = d.batches[i].on, i
			}
		case models.StateVoided:
			return nil
		default:
			if !models.State(state).Held() {
				h.exit = exitUnknown
			}
		}
		if h.exit >= 0 && h.out == 0 {
			h.exit = exitUnknown
		}
		if h.exit < 0 && h.reg < d.y0 {
			lessHeld[annualLK{int8(level), h.kind}]++
		}
		f := classifyCarrier(h, d.y0, d.d0, d.d1)
		if !f.contributes() {
			return nil
		}
		d.facts = append(d.facts, f)
		if f.startL != 0 {
			add(f.startL, f.kind, FlowStart, 1)
		}
		if f.entry >= 0 {
			add(f.entryL, f.kind, AnnualFlow(f.entry), 1)
		}
		if f.exit >= 0 && f.exit != exitUnknown {
			add(f.exitL, f.kind, AnnualFlow(f.exit), 1)
		}
		if f.endL != 0 {
			add(f.endL, f.kind, FlowEnd, 1)
		}
		if f.moveFrom != 0 {
			add(f.moveFrom, f.kind, FlowDownOut, 1)
			add(f.moveTo, f.kind, FlowDownIn, 1)
		}
		return nil
	}
	// What left: a sending not returned in error, an archive record, a
	// destruction or 清退 slip done, a declassification.
	const leftRef = `CASE c.state
		WHEN 'sent' THEN (SELECT max(x.sent_on) FROM sendings x WHERE x.carrier_id = c.id AND x.returned_on = '')
		WHEN 'archived' THEN (SELECT a.archived_on FROM archives a WHERE a.carrier_id = c.id)
		WHEN 'destroyed' THEN (SELECT i.batch_id FROM destruction_items i JOIN destruction_batches b ON b.id = i.batch_id
			WHERE i.carrier_id = c.id AND b.state = 'destroyed' LIMIT 1)
		WHEN 'returned' THEN (SELECT i.batch_id FROM return_items i JOIN return_batches b ON b.id = i.batch_id
			WHERE i.carrier_id = c.id AND b.state = 'handed_over' LIMIT 1)
		WHEN 'declassified' THEN (SELECT max(x.decided_on) FROM secrecy_changes x WHERE x.carrier_id = c.id AND x.kind = '解密')
		ELSE '' END`
	const cols = `c.id, c.seq, c.level, c.kind, c.direction, c.is_copy, c.state, c.reg_date`
	// 1. Registered in the year.
	if err := queryRows(ctx, conn, scan, `SELECT `+cols+`, `+leftRef+` FROM carriers c INDEXED BY idx_carriers_reg_date
		WHERE c.reg_date BETWEEN ? AND ? AND c.state <> 'voided'`, y0, d1); err != nil {
		return fmt.Errorf("carriers of the year: %w", err)
	}
	// 2. Registered before it and left after it began, by the dates of the
	// records: each record leads (CROSS JOIN keeps it the outer loop), so
	// that what left before the year is never visited.
	if err := queryRows(ctx, conn, scan, `
		SELECT `+cols+`, x.sent_on FROM sendings x CROSS JOIN carriers c ON c.id = x.carrier_id
			WHERE x.returned_on = '' AND x.sent_on > @d0 AND c.year < @year AND c.state = 'sent'
		UNION ALL SELECT `+cols+`, a.archived_on FROM archives a CROSS JOIN carriers c ON c.id = a.carrier_id
			WHERE a.archived_on > @d0 AND c.year < @year AND c.state = 'archived'
		UNION ALL SELECT `+cols+`, b.id FROM destruction_batches b CROSS JOIN destruction_items i ON i.batch_id = b.id
			CROSS JOIN carriers c ON c.id = i.carrier_id
			WHERE b.state = 'destroyed' AND b.destroyed_on > @d0 AND c.year < @year AND c.state = 'destroyed'
		UNION ALL SELECT `+cols+`, b.id FROM return_batches b CROSS JOIN return_items i ON i.batch_id = b.id
			CROSS JOIN carriers c ON c.id = i.carrier_id
			WHERE b.state = 'handed_over' AND b.handed_over_on > @d0 AND c.year < @year AND c.state = 'returned'
		UNION ALL SELECT `+cols+`, x.decided_on FROM secrecy_changes x CROSS JOIN carriers c ON c.id = x.carrier_id
			WHERE x.kind = '解密' AND x.decided_on > @d0 AND c.year < @year AND c.state = 'declassified'`,
		sql.Named("d0", d0), sql.Named("year", d.year)); err != nil {
		return fmt.Errorf("carriers that left: %w", err)
	}
	// 3. Held, registered before it, downgraded since it began.
	if len(downs) > 0 {
		if err := queryRows(ctx, conn, scan, `SELECT `+cols+`, '' FROM carriers c
			WHERE c.id IN (SELECT carrier_id FROM secrecy_changes WHERE kind = '降密' AND decided_on > ?)
			AND c.year < ? AND c.state IN (?, ?, ?, ?)`, append([]any{d0, d.year}, d.heldStates...)...); err != nil {
			return fmt.Errorf("carriers downgraded: %w", err)
		}
	}
	// 4. Held throughout, from the index alone (grouped in its order, by
	// state first), less the held read above.
	heldNow := map[annualLK]int{}
	if err := queryRows(ctx, conn, func(r *sql.Rows) error {
		var level, n int
		var kind string
		if err := r.Scan(&level, &kind, &n); err != nil {
			return err
		}
		heldNow[annualLK{int8(level), d.kind(kind)}] += n
		return nil
	}, `SELECT level, kind, count(*) FROM carriers INDEXED BY idx_carriers_state_level
		WHERE state IN (?, ?, ?, ?) AND year < ? GROUP BY state, level, kind`, append(d.heldStates, d.year)...); err != nil {
		return fmt.Errorf("carriers held: %w", err)
	}
	for key, n := range heldNow {
		if n -= lessHeld[key]; n > 0 {
			d.held[key] = n
			add(key.level, key.kind, FlowStart, n)
			add(key.level, key.kind, FlowEnd, n)
		}
	}
	d.report.counts = counts
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(max(seq), 0) FROM carriers`).Scan(&d.maxSeq); err != nil {
		return fmt.Errorf("registrations: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM carriers INDEXED BY idx_carriers_state_level
		WHERE state = 'voided' AND year = ?`, d.year).Scan(&d.voided); err != nil {
		return fmt.Errorf("voided: %w", err)
	}
	if err := conn.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(p.spoiled), 0), COALESCE(sum(p.proofs), 0)
		FROM printings p JOIN destruction_batches b ON b.id = p.destruction_id
		WHERE b.state = 'destroyed' AND b.destroyed_on BETWEEN ? AND ?`, y0, d1).
		Scan(&d.waste[0], &d.waste[1], &d.waste[2]); err != nil {
		return fmt.Errorf("spoiled sheets: %w", err)
	}
	if err := d.readLoans(ctx, conn, downs); err != nil {
		return err
	}
	if err := d.readClasses(ctx, conn); err != nil {
		return err
	}
	if err := d.readChanges(ctx, conn); err != nil {
		return err
	}
	return d.readInspections(ctx, conn, periods)
}

// queryRows runs query on conn and calls each for every row.
func queryRows(ctx context.Context, conn *sql.Conn, each func(*sql.Rows) error, query string, args ...any) error {
	rows, err := conn.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// inYear reports whether day is within the year.
func (d *annualData) inYear(day int32) bool { return day >= d.y0 && day <= d.d1 }
