package app

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"secdoc/models"
)

// countTable is one of the tables of counts triggers keep beside the
// register: its key columns (each the expression over carriers it counts
// by) and how a disagreement is said.
type countTable struct {
	table string
	keys  []string // column names; a recount groups carriers by keyExpr
	exprs []string
	say   func(k []string, kept, counted int64) string
}

func keyLevel(s string) models.Level { n, _ := strconv.Atoi(s); return models.Level(n) }

var countTables = []countTable{
	{"carrier_counts", []string{"state", "level", "kind", "year"}, nil, func(k []string, kept, counted int64) string {
		return fmt.Sprintf("统计表中 %s 年登记、%s、%s、%s 的载体记为 %d 件，登记簿中实有 %d 件",
			k[3], keyLevel(k[1]), models.CarrierKind(k[2]), models.State(k[0]), kept, counted)
	}},
	{"custodian_counts", []string{"custodian", "state", "level"}, nil, func(k []string, kept, counted int64) string {
		return fmt.Sprintf("统计表中责任人“%s”%s、%s 的载体记为 %d 件，登记簿中实有 %d 件",
			k[0], keyLevel(k[2]), models.State(k[1]), kept, counted)
	}},
	{"issuer_counts", []string{"issuer", "state", "level", "kind", "year"}, nil, func(k []string, kept, counted int64) string {
		return fmt.Sprintf("统计表中来文单位“%s”%s 年登记、%s、%s、%s 的载体记为 %d 件，登记簿中实有 %d 件",
			k[0], k[4], keyLevel(k[2]), models.CarrierKind(k[3]), models.State(k[1]), kept, counted)
	}},
	{"carrier_blocks", []string{"blk", "state", "level", "kind", "year"},
		[]string{fmt.Sprintf("seq >> %d", blockBits), "state", "level", "kind", "year"},
		func(k []string, kept, counted int64) string {
			return fmt.Sprintf("分段统计表第 %s 段中 %s 年登记、%s、%s、%s 的载体记为 %d 件，登记簿中实有 %d 件",
				k[0], k[4], keyLevel(k[2]), models.CarrierKind(k[3]), models.State(k[1]), kept, counted)
		}},
}

// query lists where the table and a recount of the register differ: each
// key whose kept count is not the number of carriers.
func (c countTable) query() string {
	exprs := c.exprs
	if exprs == nil {
		exprs = c.keys
	}
	keys, groups, joinC, joinR := strings.Join(c.keys, ", "), strings.Join(exprs, ", "), "", ""
	var as []string
	for i, k := range c.keys {
		as = append(as, exprs[i]+" AS "+k)
		if i > 0 {
			joinC += " AND "
			joinR += " AND "
		}
		joinC += "c." + k + " = k." + k
		joinR += "r." + k + " = k." + k
	}
	return `SELECT k.*, coalesce(c.n, 0), coalesce(r.n, 0) FROM
	(SELECT ` + keys + ` FROM ` + c.table + ` WHERE n <> 0
	 UNION SELECT ` + strings.Join(as, ", ") + ` FROM carriers GROUP BY ` + groups + `) k
	LEFT JOIN ` + c.table + ` c ON ` + joinC + `
	LEFT JOIN (SELECT ` + strings.Join(as, ", ") + `, count(*) AS n FROM carriers GROUP BY ` + groups + `) r ON ` + joinR + `
	WHERE coalesce(c.n, 0) <> coalesce(r.n, 0)`
}

// countsDiffer recounts the register and names, in Chinese, each count the
// home, the statistics and the ledger read that disagrees with the rows (at
// most ten): none unless someone changed a table or its triggers with
// another tool.
func countsDiffer(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) ([]string, error) {
	var out []string
	for _, t := range countTables {
		rows, err := q.QueryContext(ctx, t.query())
		if err != nil {
			return nil, fmt.Errorf("recount %s: %w", t.table, err)
		}
		for rows.Next() {
			key := make([]string, len(t.keys))
			dest := make([]any, 0, len(key)+2)
			for i := range key {
				dest = append(dest, &key[i])
			}
			var kept, counted int64
			if err := rows.Scan(append(dest, &kept, &counted)...); err != nil {
				rows.Close()
				return nil, err
			}
			if len(out) < 10 {
				out = append(out, t.say(key, kept, counted))
			}
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CountsDiffer is countsDiffer on the register: what `secdoc stats` says
// when the counts it prints could be wrong. Clerk only.
func (s *Service) CountsDiffer(sess *Session) (_ []string, err error) {
	defer s.refused(sess, "CountsDiffer", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	return countsDiffer(s.ctx, sqlDB)
}
