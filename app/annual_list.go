package app

// The year's statistics and the lists behind their figures.

import (
	"cmp"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"secdoc/models"
)

// Annual is the year in numbers for the 保密 inspection's 自查自评 (R26):
// the carriers held on 1 January and on 31 December and what came in and
// went out in between, by level and kind, with the balance check; the
// year's 定密 by level and term form, counted as matters, and the changes
// and declassifications of marks; loans and take-outs; self-inspections;
// destructions by kind. Each figure's Key lists what is behind it
// (AnnualList). The clerk and the security officer. A year not over is
// counted to today.
func (s *Service) Annual(sess *Session, year int) (_ AnnualReport, err error) {
	defer s.refused(sess, "Annual", "", &err)
	if _, err := s.annualRole(sess); err != nil {
		return AnnualReport{}, err
	}
	d, err := s.annualData(year)
	if err != nil {
		return AnnualReport{}, err
	}
	return d.report, nil
}

// AnnualRow is one line of the list behind a figure.
type AnnualRow struct {
	Carrier models.Carrier // its 登记号, 文号, 题名, mark, kind, state, dates and custodian; the rest is left empty
	Level   models.Level   // the level the figure counts it at: a carrier downgraded since shows its mark of then
	On      string         // the day counted: its registration, its sending, its destruction …
	Note    string         // what else the list says: the slip, the borrower, the method …
}

// MaxAnnualPage is the most lines AnnualList reads at once.
const MaxAnnualPage = 1000

// AnnualList lists, from offset, at most limit lines of what the figure of
// the year's statistics with the given key counts, in the order of their
// days (what was held, in registration order), and how many there are in
// all: as many as the figure says. The clerk and the security officer;
// the security officer counts but does not read the business records
// (R18): their lines have no 文号, 题名, 来文单位, 知悉范围 or 备注.
func (s *Service) AnnualList(sess *Session, year int, key string, offset, limit int) (_ []AnnualRow, total int, err error) {
	defer s.refused(sess, "AnnualList", "", &err)
	redact, err := s.annualRole(sess)
	if err != nil {
		return nil, 0, err
	}
	limit = min(max(limit, 1), MaxAnnualPage)
	offset = max(offset, 0)
	d, err := s.annualData(year)
	if err != nil {
		return nil, 0, err
	}
	hits, total, err := d.list(s, key, offset, limit)
	if err != nil {
		return nil, 0, err
	}
	rows, err := s.annualRows(hits)
	if err != nil {
		return nil, 0, err
	}
	if redact {
		for i := range rows {
			redactCarrier(&rows[i].Carrier)
		}
	}
	return rows, total, nil
}

// redactCarrier leaves out what the security officer may not read (R18).
func redactCarrier(c *models.Carrier) {
	c.DocNumber, c.Title, c.Issuer, c.NeedToKnow, c.Remarks, c.VoidReason = "", "", "", "", "", ""
}

// annualHit is a line of a list before its carrier is read.
type annualHit struct {
	seq   int64
	level int8
	on    int32
	note  string
}

// ErrBadKey is a key that names no figure.
var ErrBadKey = fmt.Errorf("no such figure: %w", models.ErrNotFound)

// list reads the lines [offset, offset+limit) of the figure key and their number.
func (d *annualData) list(s *Service, key string, offset, limit int) ([]annualHit, int, error) {
	q, err := url.ParseQuery(key)
	if err != nil {
		return nil, 0, ErrBadKey
	}
	lk, kind := q.Get("l"), models.CarrierKind(q.Get("k"))
	var hits []annualHit
	switch q.Get("t") {
	case "c":
		f, ok := flowBySlug(q.Get("f"))
		if !ok {
			return nil, 0, ErrBadKey
		}
		hits = d.flowHits(f, lk, kind)
		if f == FlowStart || f == FlowEnd {
			return d.heldPage(s, hits, lk, kind, offset, limit)
		}
	case "u":
		for i := range d.facts {
			if f := &d.facts[i]; f.exit == exitUnknown {
				hits = append(hits, annualHit{seq: f.seq, level: f.entryL, on: f.reg, note: "无去向记录"})
			}
		}
	case "d":
		m := q.Get("m")
		for i := range d.facts {
			f := &d.facts[i]
			if f.exit == int8(FlowDestroyed) && f.batch >= 0 && d.batches[f.batch].method == m &&
				(kind == "" || d.kinds[f.kind] == kind) {
				hits = append(hits, annualHit{seq: f.seq, level: f.exitL, on: f.on, note: m})
			}
		}
	case "v":
		return d.voidedPage(s, offset, limit)
	case "l":
		hits = d.loanHits(models.LoanKind(q.Get("lk")), q.Get("col"), lk)
	case "k":
		hits = d.classHits(q.Get("col"), lk)
	case "x":
		hits = d.changeHits(q.Get("col"), lk)
	case "i":
		return d.inspectionPage(s, q.Get("col"), q.Get("p"), q.Has("p"), offset, limit)
	default:
		return nil, 0, ErrBadKey
	}
	slices.SortStableFunc(hits, func(a, b annualHit) int {
		return cmp.Or(cmp.Compare(a.on, b.on), cmp.Compare(a.seq, b.seq))
	})
	return page(hits, offset, limit), len(hits), nil
}

func page[T any](all []T, offset, limit int) []T {
	if offset >= len(all) {
		return nil
	}
	return all[offset:min(len(all), offset+limit)]
}

// flowHits are the carriers of flow f of the levels lk and kind k among the
// carriers read one by one (for 年初在册 and 年末在册, without those held
// throughout).
func (d *annualData) flowHits(f AnnualFlow, lk string, k models.CarrierKind) []annualHit {
	var out []annualHit
	for i := range d.facts {
		x := &d.facts[i]
		if k != "" && d.kinds[x.kind] != k {
			continue
		}
		var l int8
		on := x.reg
		switch {
		case f == FlowStart:
			l = x.startL
		case f == FlowEnd:
			l = x.endL
		case f == FlowDownIn:
			l, on = x.moveTo, x.moveOn
		case f == FlowDownOut:
			l, on = x.moveFrom, x.moveOn
		case f.In() && x.entry == int8(f):
			l = x.entryL
		case f.Out() && x.exit == int8(f):
			l, on = x.exitL, x.on
		}
		if l != 0 && levelMatch(lk, l) {
			h := annualHit{seq: x.seq, level: l, on: on}
			if f == FlowDestroyed && x.batch >= 0 {
				h.note = d.batches[x.batch].method
			}
			out = append(out, h)
		}
	}
	return out
}

// heldPage is a page of 年初在册 or 年末在册: the carriers read one by one
// (hits) and those held throughout, which are read by the index for the
// page, merged in registration order.
func (d *annualData) heldPage(s *Service, hits []annualHit, lk string, k models.CarrierKind, offset, limit int) ([]annualHit, int, error) {
	slices.SortFunc(hits, func(a, b annualHit) int { return cmp.Compare(a.seq, b.seq) })
	total := len(hits)
	for key, n := range d.held {
		if levelMatch(lk, key.level) && (k == "" || d.kinds[key.kind] == k) {
			total += n
		}
	}
	if total == len(hits) {
		return page(hits, offset, limit), total, nil
	}
	// The first offset+limit of those held throughout, found either by
	// walking the register in order until enough are found (cheap for a
	// figure of many) or through the index of states and levels and sorted
	// (cheap for a figure of few): whichever visits fewer rows.
	heldN := total - len(hits)
	walk := int64(offset+limit)*d.maxSeq < int64(heldN)*int64(heldN)
	col := "c."
	if walk {
		col = "+c." // no index for the filters: the order's index is walked
	}
	where := []string{col + `state IN (?, ?, ?, ?)`, col + `year < ?`}
	args := append(slices.Clone(d.heldStates), d.year)
	switch lk {
	case "":
	case stateSecretKey:
		where = append(where, col+`level > 0`)
	default:
		l, err := strconv.Atoi(lk) // a number: +c.level has no affinity to read text as one
		if err != nil {
			return nil, 0, ErrBadKey
		}
		where = append(where, col+`level = ?`)
		args = append(args, l)
	}
	if k != "" {
		where = append(where, col+`kind = ?`)
		args = append(args, string(k))
	}
	where = append(where, `c.id NOT IN (SELECT carrier_id FROM secrecy_changes WHERE kind = '降密' AND decided_on > ?)`)
	args = append(args, dayText(d.d0), offset+limit)
	var held []annualHit
	rows, err := s.db.Raw(`SELECT c.seq, c.level, c.reg_date FROM carriers c WHERE `+strings.Join(where, " AND ")+
		` ORDER BY c.seq LIMIT ?`, args...).Rows()
	if err != nil {
		return nil, 0, fmt.Errorf("held throughout: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var h annualHit
		var reg string
		if err := rows.Scan(&h.seq, &h.level, &reg); err != nil {
			return nil, 0, err
		}
		h.on = dayNum(reg)
		held = append(held, h)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	merged := make([]annualHit, 0, offset+limit)
	i, j := 0, 0
	for len(merged) < offset+limit && (i < len(hits) || j < len(held)) {
		if j >= len(held) || i < len(hits) && hits[i].seq < held[j].seq {
			merged = append(merged, hits[i])
			i++
		} else {
			merged = append(merged, held[j])
			j++
		}
	}
	return page(merged, offset, limit), total, nil
}

// voidedPage is a page of the registrations of the year voided since.
func (d *annualData) voidedPage(s *Service, offset, limit int) ([]annualHit, int, error) {
	var rows []struct {
		Seq     int64
		Level   int8
		RegDate string
	}
	if err := s.db.Raw(`SELECT seq, level, reg_date FROM carriers INDEXED BY idx_carriers_state_level
		WHERE state = 'voided' AND year = ? ORDER BY seq LIMIT ? OFFSET ?`, d.year, limit, offset).Scan(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]annualHit, len(rows))
	for i, r := range rows {
		out[i] = annualHit{seq: r.Seq, level: r.Level, on: dayNum(r.RegDate), note: "已作废"}
	}
	return out, d.voided, nil
}

func (d *annualData) loanHits(k models.LoanKind, col, lk string) []annualHit {
	c := slices.Index(loanColSlugs[:], col)
	if c < 0 {
		return nil
	}
	var out []annualHit
	for _, l := range d.loans {
		if l.kind == k && l.cols[c] != 0 && levelMatch(lk, l.cols[c]) {
			out = append(out, annualHit{seq: l.seq, level: l.cols[c], on: l.days[c], note: l.slip + " " + l.borrower})
		}
	}
	return out
}

func (d *annualData) classHits(col, lk string) []annualHit {
	i := slices.IndexFunc(classColumns, func(c classColumn) bool { return c.slug == col })
	if i < 0 {
		return nil
	}
	var out []annualHit
	for j := range d.classes {
		k := &d.classes[j]
		if !levelMatch(lk, k.level) || !classColumns[i].match(k) {
			continue
		}
		on, note := k.on, k.slip+" "+string(k.kind)+"定密"
		if col == "referred" {
			on, note = k.referred, k.slip+" 报请上级确定"
		}
		out = append(out, annualHit{seq: k.seq, level: k.level, on: on, note: note})
	}
	return out
}

// changeHits lists one carrier for each matter: its first original.
func (d *annualData) changeHits(col, lk string) []annualHit {
	i := slices.IndexFunc(changeColumns, func(c changeColumn) bool { return c.slug == col })
	if i < 0 {
		return nil
	}
	first := map[string]int{}
	var out []annualHit
	for j := range d.changes {
		x := &d.changes[j]
		if !levelMatch(lk, x.old) || !changeColumns[i].match(x) {
			continue
		}
		note := string(x.kind)
		switch x.basis {
		case string(BasisNotice):
			note += "（依通知）"
		case string(BasisExpired):
			note += "（期限届满）"
		}
		h := annualHit{seq: x.seq, level: x.old, on: x.on, note: note}
		if k, seen := first[x.matter]; seen {
			if h.seq < out[k].seq {
				out[k] = h
			}
			continue
		}
		first[x.matter] = len(out)
		out = append(out, h)
	}
	return out
}

// inspectionPage is a page of the carriers counted by the self-inspections
// completed in the year (of the custodian who, when byWho): those the
// register listed, those missing, those found outside it.
func (d *annualData) inspectionPage(s *Service, col, who string, byWho bool, offset, limit int) ([]annualHit, int, error) {
	var cond string
	switch col {
	case "items":
		cond = `t.expected`
	case "missing":
		cond = `t.expected AND t.status = 'in_store' AND NOT t.found`
	case "unexpected":
		cond = `NOT t.expected`
	default:
		return nil, 0, ErrBadKey
	}
	where := `i.state = 'closed' AND i.closed_on BETWEEN @y0 AND @d1 AND ` + cond
	args := map[string]any{"y0": dayText(d.y0), "d1": dayText(d.d1), "who": who, "limit": limit, "offset": offset}
	if byWho {
		where += ` AND i.custodian = @who`
	}
	var total int
	if err := s.db.Raw(`SELECT count(*) FROM inspections i JOIN inspection_items t ON t.inspection_id = i.id WHERE `+where,
		args).Scan(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []struct {
		Seq       int64
		Level     int8
		ClosedOn  string
		SlipNo    string
		Custodian string
	}
	if err := s.db.Raw(`SELECT c.seq, t.level, i.closed_on, i.slip_no, i.custodian
		FROM inspections i CROSS JOIN inspection_items t ON t.inspection_id = i.id CROSS JOIN carriers c ON c.id = t.carrier_id
		WHERE `+where+` ORDER BY i.closed_on, i.slip_no, c.seq LIMIT @limit OFFSET @offset`, args).Scan(&rows).Error; err != nil {
		return nil, 0, err
	}
	out := make([]annualHit, len(rows))
	for i, r := range rows {
		out[i] = annualHit{seq: r.Seq, level: r.Level, on: dayNum(r.ClosedOn), note: r.Custodian + " " + r.SlipNo}
	}
	return out, total, nil
}

// annualRowColumns are the columns of a carrier a list line shows: who it
// is, its mark, its kind and state, its dates.
const annualRowColumns = `id, seq, reg_no, direction, year, reg_date, doc_date, term_from, doc_number, title, issuer,
	level, term_kind, term_years, term_months, term_until, term_condition, copy_no, copy_count, copy_serial,
	kind, custodian, state, is_copy, version`

// annualRows reads the carriers of the hits, in their order: what a list
// line shows of each (annualRowColumns), the rest left empty.
func (s *Service) annualRows(hits []annualHit) ([]AnnualRow, error) {
	if len(hits) == 0 {
		return nil, nil
	}
	seqs := make([]int64, len(hits))
	for i, h := range hits {
		seqs[i] = h.seq
	}
	var cs []models.Carrier
	if err := s.db.Select(annualRowColumns).Where("seq IN ?", seqs).Find(&cs).Error; err != nil {
		return nil, fmt.Errorf("carriers of a list: %w", err)
	}
	bySeq := make(map[int64]models.Carrier, len(cs))
	for _, c := range cs {
		bySeq[c.Seq] = c
	}
	out := make([]AnnualRow, len(hits))
	for i, h := range hits {
		out[i] = AnnualRow{Carrier: bySeq[h.seq], Level: models.Level(h.level), On: dayText(h.on), Note: h.note}
	}
	return out, nil
}
