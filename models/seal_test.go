package models

import (
	"encoding/json"
	"slices"
	"testing"
)

// rawValues is what RowValues read before splitArray: each value of the
// array as encoding/json finds it.
func rawValues(a string) ([]string, bool) {
	var raw []json.RawMessage
	if err := json.Unmarshal([]byte(a), &raw); err != nil {
		return nil, false
	}
	out := make([]string, len(raw))
	for i, r := range raw {
		out[i] = string(r)
	}
	return out, true
}

// A row read back for sealing is split into the same values as a general
// JSON decoder finds, or handed to it: the seal of every row stays what it was.
func TestSplitArray_SameValuesAsTheDecoder(t *testing.T) {
	cases := []struct {
		array string
		n     int
		fast  bool
	}{
		{`[]`, 0, true},
		{`[1]`, 1, true},
		{`["a","b,c",null,-12,3.5e+2,0,true,false]`, 8, true},
		{`["引号\"和反斜杠\\","\u0001\n\t","/\/"]`, 3, true},
		{`["a]","[b"]`, 2, true},
		{`["",""]`, 2, true},
		{`[1, 2]`, 2, false},      // a blank: the decoder reads it
		{`[1,2]`, 3, false},       // too few values
		{`[1,2,3]`, 2, false},     // too many
		{`["a\x"]`, 1, false},     // a bad escape
		{`["a\u12"]`, 1, false},   // a short one
		{`[01]`, 1, false},        // not a JSON number
		{`[1.]`, 1, false},        //
		{`[nul]`, 1, false},       //
		{`["a]`, 1, false},        // unterminated
		{`[1,]`, 2, false},        //
		{"[\"a\x01\"]", 1, false}, // a raw control character
		{`1,2`, 2, false},
	}
	for _, c := range cases {
		got, ok := splitArray(c.array, c.n)
		if ok != c.fast {
			t.Errorf("splitArray(%s, %d) ok = %v, want %v", c.array, c.n, ok, c.fast)
			continue
		}
		if !ok {
			continue
		}
		want, _ := rawValues(c.array)
		if !slices.Equal(got, want) {
			t.Errorf("splitArray(%s) = %q, the decoder %q", c.array, got, want)
		}
	}
}

// Whatever the text, splitArray never accepts what the decoder would read
// differently, and never refuses an array written as json_array writes it.
func FuzzSplitArray(f *testing.F) {
	for _, s := range []string{`[]`, `["a","b",null,1,-2.5E-3]`, `["\"\\\u00e9"]`, `[1, 2]`, `["a`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, a string) {
		want, decoded := rawValues(a)
		n := len(want)
		got, ok := splitArray(a, n)
		if ok && (!decoded || !slices.Equal(got, want)) {
			t.Fatalf("splitArray(%q) = %q, the decoder %q (%v)", a, got, want, decoded)
		}
		if decoded {
			// Written again compactly, as json_array writes it, the fast
			// path takes it.
			compact := "["
			for i, v := range want {
				if i > 0 {
					compact += ","
				}
				var x any
				if json.Unmarshal([]byte(v), &x) != nil {
					return
				}
				if _, nested := x.([]any); nested {
					return
				}
				if _, nested := x.(map[string]any); nested {
					return
				}
				compact += v
			}
			compact += "]"
			if _, ok := splitArray(compact, n); !ok && validScalars(want) {
				t.Fatalf("splitArray refused %q", compact)
			}
		}
	})
}

// validScalars: every value is a string without blanks around it or a
// scalar (what json_array writes).
func validScalars(vs []string) bool {
	for _, v := range vs {
		if v == "" || (v[0] != '"' && !jsonScalar(v)) {
			return false
		}
		if v[0] == '"' {
			for i := 0; i < len(v); i++ {
				if v[i] < 0x20 {
					return false
				}
			}
		}
	}
	return true
}
