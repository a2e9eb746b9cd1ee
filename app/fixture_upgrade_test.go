package app

import (
	"compress/gzip"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"secdoc/models"
)

// fixture010 copies the register written by secdoc 0.1.0 (testdata/v0.1.0,
// schema 26) and its audit keys into a fresh folder, as an office's
// workstation holds them, and returns the database's path.
func fixture010(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	if err := os.Mkdir(keys, 0o700); err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join("testdata", "v0.1.0", "keys", "audit-*"))
	if err != nil || len(names) != 2 {
		t.Fatalf("fixture keys %v %v", names, err)
	}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(keys, filepath.Base(n)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("SECDOC_KEY_DIR", keys)
	f, err := os.Open(filepath.Join("testdata", "v0.1.0", "secdoc.db.gz"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "secdoc.db")
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, z); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// rowsOf reads every row of a table, the columns named, in rowid order
// with the rowid first, or for a table without rowid in the order of key.
func rowsOf(t *testing.T, db *sql.DB, table string, cols []string, key string) [][]any {
	t.Helper()
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = `"` + c + `"`
	}
	q := `SELECT rowid, ` + strings.Join(quoted, ", ") + ` FROM "` + table + `" ORDER BY rowid`
	if key != "" {
		q = `SELECT ` + strings.Join(quoted, ", ") + ` FROM "` + table + `" ORDER BY ` + key
	}
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	var all [][]any
	for rows.Next() {
		vals := make([]any, len(quoted)+1)
		if key != "" {
			vals = vals[1:]
		}
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		all = append(all, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return all
}

// TestUpgrade_Fixture010: the register an office kept with 0.1.0 opens in
// this version. Before migrating, the program copies it (owner-only, at
// schema 26); afterwards every row of every table the old version wrote is
// still there with every value it had, the audit chain and every sealed
// row verify, the upgrade is in the audit trail, the old accounts sign in,
// and the ledger, its search and a carrier's history read as before. A
// second opening upgrades nothing.
func TestUpgrade_Fixture010(t *testing.T) {
	path := fixture010(t)
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if a := s.ChainAlarm(); a != "" {
		t.Fatalf("alarm after the upgrade: %s", a)
	}
	u := s.Upgraded()
	if u == nil || u.From != 26 || u.To != models.SchemaVersion() || !strings.HasSuffix(u.Copy, "-升级前-版本26") {
		t.Fatalf("upgrade %+v", u)
	}
	copyPath := filepath.Join(filepath.Dir(path), u.Copy)
	if st, err := os.Stat(copyPath); err != nil {
		t.Fatal(err)
	} else if os.PathSeparator == '/' && st.Mode().Perm() != 0o600 {
		t.Errorf("safety copy mode %v", st.Mode().Perm())
	}

	old, err := sql.Open("sqlite", "file:"+copyPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	var oldSchema int
	old.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&oldSchema)
	if oldSchema != 26 {
		t.Fatalf("the safety copy is at schema %d", oldSchema)
	}
	cur := rawDB(t, s)

	// Every row of every table 0.1.0 wrote (the search index's own tables
	// aside: they are rebuilt from the carriers, and searching is checked
	// below), each value as it was. Tables may gain rows (the audit trail
	// records the upgrade) and columns, never lose either.
	tables, err := old.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
		AND name NOT LIKE 'carrier_search%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for tables.Next() {
		var n string
		tables.Scan(&n)
		names = append(names, n)
	}
	tables.Close()
	if len(names) < 30 {
		t.Fatalf("only %d tables in the fixture: %v", len(names), names)
	}
	checked := 0
	for _, table := range names {
		cr, err := old.Query(`SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`, table)
		if err != nil {
			t.Fatal(err)
		}
		var cols, pk []string
		for cr.Next() {
			var c string
			var k int
			cr.Scan(&c, &k)
			cols = append(cols, c)
			if k > 0 {
				pk = append(pk, `"`+c+`"`)
			}
		}
		cr.Close()
		var ddl, key string
		old.QueryRow(`SELECT sql FROM sqlite_master WHERE name = ?`, table).Scan(&ddl)
		if strings.Contains(strings.ToUpper(ddl), "WITHOUT ROWID") {
			key = strings.Join(pk, ", ")
		}
		before := rowsOf(t, old, table, cols, key)
		after := rowsOf(t, cur, table, cols, key)
		if len(after) < len(before) {
			t.Errorf("%s: %d rows before the upgrade, %d after", table, len(before), len(after))
			continue
		}
		for i, row := range before {
			if !reflect.DeepEqual(row, after[i]) {
				t.Errorf("%s row %v changed:\n before %v\n after  %v", table, row[0], row, after[i])
				break
			}
		}
		checked += len(before)
	}
	var carriers, events, audits int
	old.QueryRow(`SELECT count(*) FROM carriers`).Scan(&carriers)
	old.QueryRow(`SELECT count(*) FROM carrier_events`).Scan(&events)
	old.QueryRow(`SELECT count(*) FROM audit_log`).Scan(&audits)
	if carriers < 80 || events < carriers || audits < 100 || checked < carriers+events+audits {
		t.Fatalf("the fixture holds %d carriers, %d events, %d audit records; %d rows checked",
			carriers, events, audits, checked)
	}

	// The audit chain, its head outside the database and every sealed row.
	auditor, _, err := s.SignIn("auditor", "Fixture-0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.VerifyAudit(auditor)
	if err != nil || !v.OK {
		t.Fatalf("verify after the upgrade: %+v %v", v, err)
	}
	if v.Records <= int64(audits) {
		t.Errorf("verified %d audit records, the fixture had %d and the upgrade adds one", v.Records, audits)
	}
	var upgrades int
	cur.QueryRow(`SELECT count(*) FROM audit_log WHERE event = ? AND detail LIKE ?`, models.EventUpgrade,
		fmt.Sprintf("%%从版本 26 升级到 %d%%%s%%", models.SchemaVersion(), u.Copy)).Scan(&upgrades)
	if upgrades != 1 {
		t.Errorf("%d upgrade records in the audit trail", upgrades)
	}

	// The clerk works on as before: the ledger, its search, a history.
	clerkSess, _, err := s.SignIn("clerk", "Fixture-0.1.0")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.Count(clerkSess, Query{}); err != nil || n != int64(carriers) {
		t.Fatalf("the ledger counts %d of %d carriers (%v)", n, carriers, err)
	}
	var id, title string
	old.QueryRow(`SELECT id, title FROM carriers ORDER BY rowid LIMIT 1`).Scan(&id, &title)
	word := string([]rune(title)[:2])
	page, err := s.Page(clerkSess, Query{Keyword: word}, 0, 200)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range page {
		found = found || c.ID == id
	}
	if !found {
		t.Errorf("searching %q does not find %q", word, title)
	}
	var oldEvents int
	old.QueryRow(`SELECT count(*) FROM carrier_events WHERE carrier_id = ?`, id).Scan(&oldEvents)
	h, err := s.History(clerkSess, id)
	if err != nil || len(h) != oldEvents || oldEvents == 0 {
		t.Fatalf("history of %s: %d events, %d before (%v)", id, len(h), oldEvents, err)
	}
	s.Close()

	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if s2.Upgraded() != nil || s2.ChainAlarm() != "" {
		t.Fatalf("the second opening: upgrade %+v, alarm %q", s2.Upgraded(), s2.ChainAlarm())
	}
}
