package app

// The rows of an export, read in the ledger's order a page at a time by
// keyset: each page starts after the last row of the one before, so a
// page deep in a register of a million costs what the first one does
// (an offset would walk past every row before it, page after page).

import (
	"context"
	"fmt"
	"strings"

	"secdoc/models"
)

// sortKey is one column of a ledger order.
type sortKey struct {
	expr string // the column, as the query names it
	desc bool
}

// keysetOrder is q's order made total: the order Page sorts by, with the
// registration order last where the sort column can tie.
func (q Query) keysetOrder() []sortKey {
	desc := !q.Asc
	seq := sortKey{"c.seq", desc}
	switch q.Sort {
	case SortRegDate:
		return []sortKey{{"c.reg_date", desc}, seq}
	case SortLevel:
		return []sortKey{{"c.level", desc}, {"c.seq", true}}
	case SortTitle:
		return []sortKey{{"c.title", desc}, {"c.seq", true}}
	case SortIssuer:
		return []sortKey{{"c.issuer", desc}, {"c.seq", true}}
	case SortDocNumber:
		return []sortKey{{"c.doc_number", desc}, {"c.copy_no", desc}, seq}
	}
	return []sortKey{seq}
}

// exportSelect are the columns an export reads of a carrier, scanned by
// scanExportRow.
const exportSelect = `c.seq, c.reg_no, c.direction, c.reg_date, c.doc_date, c.deadline, c.term_from, c.doc_number,
	c.title, c.issuer, c.doc_kind, c.level, c.term_kind, c.term_years, c.term_months, c.term_until, c.term_condition,
	c.copy_no, c.pages, c.capacity, c.urgency, c.kind, c.need_to_know, c.location, c.custodian, c.remarks, c.state,
	c.is_copy, c.copy_serial`

type rowsScanner interface{ Scan(dest ...any) error }

func scanExportRow(r rowsScanner, c *models.Carrier) error {
	var dir, termKind, urgency, kind, state string
	var level int
	err := r.Scan(&c.Seq, &c.RegNo, &dir, &c.RegDate, &c.DocDate, &c.Deadline, &c.TermFrom, &c.DocNumber,
		&c.Title, &c.Issuer, &c.DocKind, &level, &termKind, &c.TermYears, &c.TermMonths, &c.TermUntil, &c.TermCondition,
		&c.CopyNo, &c.Pages, &c.Capacity, &urgency, &kind, &c.NeedToKnow, &c.Location, &c.Custodian, &c.Remarks, &state,
		&c.IsCopy, &c.CopySerial)
	c.Direction, c.Level, c.TermKind = models.Direction(dir), models.Level(level), models.TermKind(termKind)
	c.Urgency, c.Kind, c.State = models.Urgency(urgency), models.CarrierKind(kind), models.State(state)
	return err
}

// keyOf is the value of k in c, for the condition of the next page.
func keyOf(k sortKey, c *models.Carrier) any {
	switch k.expr {
	case "c.reg_date":
		return c.RegDate
	case "c.level":
		return int(c.Level)
	case "c.title":
		return c.Title
	case "c.issuer":
		return c.Issuer
	case "c.doc_number":
		return c.DocNumber
	case "c.copy_no":
		return c.CopyNo
	}
	return c.Seq // c.seq, or the index's rowid, which is the same
}

// afterCondition is the condition that a row comes after the one whose
// keys are vals, in the order keys: (k1 after v1) OR (k1 = v1 AND k2 after
// v2) OR ...
func afterCondition(keys []sortKey, vals []any) (string, []any) {
	var ors []string
	var args []any
	for i, k := range keys {
		var ands []string
		for j := 0; j < i; j++ {
			ands = append(ands, keys[j].expr+" = ?")
			args = append(args, vals[j])
		}
		op := " > ?"
		if k.desc {
			op = " < ?"
		}
		ands = append(ands, k.expr+op)
		args = append(args, vals[i])
		ors = append(ors, "("+strings.Join(ands, " AND ")+")")
	}
	return "(" + strings.Join(ors, " OR ") + ")", args
}

// eachExportPage reads the carriers q selects, in q's order, size at a
// time, and calls fn with each page.
func (s *Service) eachExportPage(ctx context.Context, q Query, size int, fn func(page []models.Carrier) error) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	from, where, args, searching := q.sqlParts()
	keys := q.keysetOrder()
	if searching {
		// The index's own row order is the registration order: the
		// matches come out of it in order, without being sorted.
		for i := range keys {
			if keys[i].expr == "c.seq" {
				keys[i].expr = "carrier_search.rowid"
			}
		}
	}
	order := make([]string, len(keys))
	for i, k := range keys {
		order[i] = k.expr
		if k.desc {
			order[i] += " DESC"
		}
	}
	orderBy := " ORDER BY " + strings.Join(order, ", ") + " LIMIT ?"
	var after []any
	for {
		cond, condArgs := where, append([]any(nil), args...)
		if after != nil {
			c, a := afterCondition(keys, after)
			if cond == "" {
				cond = " WHERE " + c
			} else {
				cond += " AND " + c
			}
			condArgs = append(condArgs, a...)
		}
		rows, err := sqlDB.QueryContext(ctx, `SELECT `+exportSelect+` FROM `+from+cond+orderBy, append(condArgs, size)...)
		if err != nil {
			return fmt.Errorf("export page: %w", err)
		}
		page := make([]models.Carrier, 0, size)
		for rows.Next() {
			page = append(page, models.Carrier{})
			if err := scanExportRow(rows, &page[len(page)-1]); err != nil {
				rows.Close()
				return fmt.Errorf("export row: %w", err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("export page: %w", err)
		}
		if len(page) == 0 {
			return nil
		}
		if err := fn(page); err != nil {
			return err
		}
		if len(page) < size {
			return nil
		}
		last := &page[len(page)-1]
		after = after[:0]
		for _, k := range keys {
			after = append(after, keyOf(k, last))
		}
	}
}
