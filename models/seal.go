package models

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Every row of every table that holds the register, its history, its slips,
// its accounts and its settings is sealed: the program records a keyed hash
// of each row version it writes in the audit chain (see app/seal.go). This
// file says which tables those are, how a row's key and content are written
// down for hashing, and the per-connection triggers that note which rows a
// transaction changed.

// SealedTable is a table whose every row the audit chain covers.
type SealedTable struct {
	Name    string
	Columns []Column // in declaration order
	Key     []Column // the primary key's columns, in key order

	selectSQL string
	defaults  []string // each column's default as json_array writes it; "" when none is known
}

// jsonDefault is a column's declared default as SQLite's json_array writes
// that value, for the simple defaults the schema uses (”, integers, NULL);
// "" for any other, which is then never left out of a row's writing.
func jsonDefault(def string) string {
	switch {
	case def == "NULL":
		return "null"
	case def == "''":
		return `""`
	}
	if _, err := strconv.ParseInt(def, 10, 64); err == nil {
		return def
	}
	return ""
}

// unsealed are the tables the chain does not cover row by row: the chain
// itself, its index of seals, the schema's own bookkeeping, and the keyword
// index, which is derived from the carriers and rebuilt from them.
func unsealed(name string) bool {
	switch name {
	case "audit_log", "row_seals", "schema_migrations", "carrier_counts", "custodian_counts", "issuer_counts", "carrier_blocks":
		return true
	}
	return strings.HasPrefix(name, "sqlite_") || strings.HasPrefix(name, "carrier_search")
}

var (
	sealedOnce   sync.Once
	sealedTables []SealedTable
	sealedErr    error
)

// SealedTables lists the sealed tables of this build's schema, by name.
func SealedTables() ([]SealedTable, error) {
	sealedOnce.Do(func() {
		s, err := ExpectedSchema()
		if err != nil {
			sealedErr = err
			return
		}
		for name, o := range s.Objects {
			if o.Type != "table" || unsealed(name) {
				continue
			}
			t := SealedTable{Name: name, Columns: s.Columns[name]}
			for _, c := range t.Columns {
				if c.PK > 0 {
					t.Key = append(t.Key, c)
				}
			}
			sort.Slice(t.Key, func(i, j int) bool { return t.Key[i].PK < t.Key[j].PK })
			if len(t.Key) == 0 {
				sealedErr = fmt.Errorf("sealed table %s has no primary key", name)
				return
			}
			names := make([]string, len(t.Columns))
			for i, c := range t.Columns {
				names[i] = fmt.Sprintf("%q", c.Name)
				t.defaults = append(t.defaults, jsonDefault(c.Default))
			}
			t.selectSQL = fmt.Sprintf("SELECT %s, json_array(%s) FROM main.%q", t.KeyExpr(""), strings.Join(names, ", "), name)
			sealedTables = append(sealedTables, t)
		}
		sort.Slice(sealedTables, func(i, j int) bool { return sealedTables[i].Name < sealedTables[j].Name })
	})
	return sealedTables, sealedErr
}

// KeyExpr is the SQL expression of a row's key: the primary key's columns
// joined by '|', integers zero-padded so that the text sorts as the key
// does. prefix qualifies the columns ("NEW.", "OLD." or "").
func (t SealedTable) KeyExpr(prefix string) string {
	parts := make([]string, len(t.Key))
	for i, c := range t.Key {
		col := prefix + fmt.Sprintf("%q", c.Name)
		if strings.Contains(strings.ToUpper(c.Type), "INT") {
			parts[i] = "printf('%020d', " + col + ")"
		} else {
			parts[i] = col
		}
	}
	return strings.Join(parts, " || '|' || ")
}

// SelectSQL reads rows as the key and, in one JSON array, every column in
// declaration order (json_array keeps a value's type: 1, "1" and null
// differ; the register's tables hold no blobs, which it refuses); append a
// WHERE or ORDER BY clause. One column rather than one per column: the
// driver's work per column is what a row costs.
func (t SealedTable) SelectSQL() string { return t.selectSQL }

// SelectWithSealSQL is SelectSQL with the row's current seal (from
// row_seals, NULL when it has none) as a last column, read in the same
// statement, so both come from one moment of the database.
func (t SealedTable) SelectWithSealSQL() string {
	return strings.Replace(t.selectSQL, " FROM main.",
		", (SELECT hash FROM row_seals WHERE tbl = '"+t.Name+"' AND row_key = "+t.KeyExpr("")+") FROM main.", 1)
}

// RowValues splits the JSON array SelectSQL reads into each column's value
// as json_array wrote it.
func (t SealedTable) RowValues(array string) ([]string, error) {
	if out, ok := splitArray(array, len(t.Columns)); ok {
		return out, nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(array), &raw); err != nil {
		return nil, fmt.Errorf("%s row: %w", t.Name, err)
	}
	if len(raw) != len(t.Columns) {
		return nil, fmt.Errorf("%s row has %d columns, want %d", t.Name, len(raw), len(t.Columns))
	}
	out := make([]string, len(raw))
	for i, r := range raw {
		out[i] = string(r)
	}
	return out, nil
}

// splitArray splits a JSON array as SQLite's json_array writes it (no
// blanks, text escaped) into its n values, each as written; false for
// anything else (other blanks, a bad escape, another count of values),
// which RowValues then reads with encoding/json and reports. Reading a row
// back is what sealing costs per row, and the general decoder took most of
// it.
func splitArray(a string, n int) ([]string, bool) {
	if len(a) < 2 || a[0] != '[' || a[len(a)-1] != ']' {
		return nil, false
	}
	out := make([]string, 0, n)
	i, end := 1, len(a)-1
	if i == end {
		return out, n == 0
	}
	for {
		start := i
		if i < end && a[i] == '"' {
			i++
			for {
				if i >= end {
					return nil, false
				}
				c := a[i]
				if c == '"' {
					i++
					break
				}
				if c < 0x20 {
					return nil, false
				}
				if c == '\\' {
					if i+1 >= end {
						return nil, false
					}
					switch a[i+1] {
					case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
						i += 2
					case 'u':
						if i+6 > end || !isHex4(a[i+2:i+6]) {
							return nil, false
						}
						i += 6
					default:
						return nil, false
					}
					continue
				}
				i++
			}
		} else {
			for i < end && a[i] != ',' {
				i++
			}
			if !jsonScalar(a[start:i]) {
				return nil, false
			}
		}
		out = append(out, a[start:i])
		if len(out) > n {
			return nil, false
		}
		if i == end {
			return out, len(out) == n
		}
		if a[i] != ',' {
			return nil, false
		}
		i++
	}
}

func isHex4(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// jsonScalar reports whether s is null, true, false or a JSON number.
func jsonScalar(s string) bool {
	switch s {
	case "null", "true", "false":
		return true
	case "":
		return false
	}
	i := 0
	if s[i] == '-' {
		i++
	}
	digits := func() int {
		k := i
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
		}
		return i - k
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// Canonical writes a row down for hashing from its columns' values as
// json_array writes them, in declaration order. A column holding its
// declared default is left out, so a column added later with a default
// leaves every existing row's writing as it was; any other value, null
// included, is written with the column's name. Given the schema, two
// different rows never write the same.
func (t SealedTable) Canonical(vals []string) []byte {
	var b []byte
	var n [binary.MaxVarintLen64]byte
	for i, c := range t.Columns {
		if t.defaults[i] != "" && vals[i] == t.defaults[i] {
			continue
		}
		b = append(b, n[:binary.PutUvarint(n[:], uint64(len(c.Name)))]...)
		b = append(b, c.Name...)
		b = append(b, n[:binary.PutUvarint(n[:], uint64(len(vals[i])))]...)
		b = append(b, vals[i]...)
	}
	return b
}

// PendingSealsTable is the per-connection list of rows the open transaction
// has changed; the audit records of the transaction seal them and empty it.
// A row changed twice is noted twice; the newest note counts for its new
// seal, the oldest tells what it was before the transaction: an update
// notes the row's values before it (old), which must match the seal the
// row had, or the row was changed outside the program and the program
// would seal that change as its own.
const PendingSealsTable = `CREATE TEMP TABLE IF NOT EXISTS pending_seals (
	tbl TEXT NOT NULL, row_key TEXT NOT NULL, rid INTEGER NOT NULL, old TEXT)`

// SealTriggers are the TEMP triggers, one set per sealed table, that note a
// changed row in pending_seals. Being TEMP, they exist only on the program's
// own connections: a change made with another tool is noted nowhere, stays
// unsealed, and the audit check names it. They are kept small: a trigger
// is compiled into every statement that fires it. (A plain insert: the
// statement that fires a trigger imposes its own conflict handling on the
// trigger's statements, which an upsert's would make fail.)
func (t SealedTable) SealTriggers() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = fmt.Sprintf("OLD.%q", c.Name)
	}
	note := func(prefix, old string) string {
		return fmt.Sprintf("INSERT INTO pending_seals(tbl, row_key, rid, old) VALUES ('%s', %s, %srowid, %s);",
			t.Name, t.KeyExpr(prefix), prefix, old)
	}
	return []string{
		fmt.Sprintf("CREATE TEMP TRIGGER IF NOT EXISTS seal_%s_i AFTER INSERT ON main.%q BEGIN %s END",
			t.Name, t.Name, note("NEW.", "NULL")),
		fmt.Sprintf("CREATE TEMP TRIGGER IF NOT EXISTS seal_%s_u AFTER UPDATE ON main.%q BEGIN %s %s END",
			t.Name, t.Name, note("OLD.", "json_array("+strings.Join(names, ", ")+")"), note("NEW.", "NULL")),
		fmt.Sprintf("CREATE TEMP TRIGGER IF NOT EXISTS seal_%s_d AFTER DELETE ON main.%q BEGIN %s END",
			t.Name, t.Name, note("OLD.", "NULL")),
	}
}
