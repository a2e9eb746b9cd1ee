package app

import (
	"context"
	"database/sql"
	"fmt"

	"secdoc/models"
)

// countsQuery lists where carrier_counts and a recount of the register
// differ: each (状态, 密级, 载体类型, year) whose kept count is not the
// number of carriers.
const countsQuery = `SELECT k.state, k.level, k.kind, k.year, coalesce(c.n, 0), coalesce(r.n, 0) FROM
	(SELECT state, level, kind, year FROM carrier_counts WHERE n <> 0
	 UNION SELECT state, level, kind, year FROM carriers GROUP BY state, level, kind, year) k
	LEFT JOIN carrier_counts c ON c.state = k.state AND c.level = k.level AND c.kind = k.kind AND c.year = k.year
	LEFT JOIN (SELECT state, level, kind, year, count(*) AS n FROM carriers GROUP BY state, level, kind, year) r
		ON r.state = k.state AND r.level = k.level AND r.kind = k.kind AND r.year = k.year
	WHERE coalesce(c.n, 0) <> coalesce(r.n, 0)`

// custodianCountsQuery is countsQuery for custodian_counts: each (责任人,
// 状态, 密级) whose kept count is not the number of carriers.
const custodianCountsQuery = `SELECT k.custodian, k.state, k.level, coalesce(c.n, 0), coalesce(r.n, 0) FROM
	(SELECT custodian, state, level FROM custodian_counts WHERE n <> 0
	 UNION SELECT custodian, state, level FROM carriers GROUP BY custodian, state, level) k
	LEFT JOIN custodian_counts c ON c.custodian = k.custodian AND c.state = k.state AND c.level = k.level
	LEFT JOIN (SELECT custodian, state, level, count(*) AS n FROM carriers GROUP BY custodian, state, level) r
		ON r.custodian = k.custodian AND r.state = k.state AND r.level = k.level
	WHERE coalesce(c.n, 0) <> coalesce(r.n, 0)`

// issuerCountsQuery is countsQuery for issuer_counts: each (来文单位,
// 状态, 密级, 载体类型, year) whose kept count is not the number of carriers.
const issuerCountsQuery = `SELECT k.issuer, k.state, k.level, k.kind, k.year, coalesce(c.n, 0), coalesce(r.n, 0) FROM
	(SELECT issuer, state, level, kind, year FROM issuer_counts WHERE n <> 0
	 UNION SELECT issuer, state, level, kind, year FROM carriers GROUP BY issuer, state, level, kind, year) k
	LEFT JOIN issuer_counts c ON c.issuer = k.issuer AND c.state = k.state AND c.level = k.level
		AND c.kind = k.kind AND c.year = k.year
	LEFT JOIN (SELECT issuer, state, level, kind, year, count(*) AS n FROM carriers
		GROUP BY issuer, state, level, kind, year) r
		ON r.issuer = k.issuer AND r.state = k.state AND r.level = k.level AND r.kind = k.kind AND r.year = k.year
	WHERE coalesce(c.n, 0) <> coalesce(r.n, 0)`

// countsDiffer recounts the register and names, in Chinese, each count the
// home and the statistics read that disagrees with the rows (at most ten):
// none unless someone changed the table or its triggers with another tool.
func countsDiffer(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}) ([]string, error) {
	rows, err := q.QueryContext(ctx, countsQuery)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var state, kind string
		var level, year int
		var kept, counted int64
		if err := rows.Scan(&state, &level, &kind, &year, &kept, &counted); err != nil {
			return nil, err
		}
		if len(out) < 10 {
			out = append(out, fmt.Sprintf("统计表中 %d 年登记、%s、%s、%s 的载体记为 %d 件，登记簿中实有 %d 件",
				year, models.Level(level), models.CarrierKind(kind), models.State(state), kept, counted))
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	byCustodian, err := q.QueryContext(ctx, custodianCountsQuery)
	if err != nil {
		return nil, err
	}
	defer byCustodian.Close()
	for byCustodian.Next() {
		var custodian, state string
		var level int
		var kept, counted int64
		if err := byCustodian.Scan(&custodian, &state, &level, &kept, &counted); err != nil {
			return nil, err
		}
		if len(out) < 10 {
			out = append(out, fmt.Sprintf("统计表中责任人“%s”%s、%s 的载体记为 %d 件，登记簿中实有 %d 件",
				custodian, models.Level(level), models.State(state), kept, counted))
		}
	}
	if err := byCustodian.Err(); err != nil {
		return nil, err
	}
	byCustodian.Close()
	byIssuer, err := q.QueryContext(ctx, issuerCountsQuery)
	if err != nil {
		return nil, err
	}
	defer byIssuer.Close()
	for byIssuer.Next() {
		var issuer, state, kind string
		var level, year int
		var kept, counted int64
		if err := byIssuer.Scan(&issuer, &state, &level, &kind, &year, &kept, &counted); err != nil {
			return nil, err
		}
		if len(out) < 10 {
			out = append(out, fmt.Sprintf("统计表中来文单位“%s”%d 年登记、%s、%s、%s 的载体记为 %d 件，登记簿中实有 %d 件",
				issuer, year, models.Level(level), models.CarrierKind(kind), models.State(state), kept, counted))
		}
	}
	return out, byIssuer.Err()
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
	return countsDiffer(context.Background(), sqlDB)
}
