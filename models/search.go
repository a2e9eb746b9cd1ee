package models

import (
	"strings"
	"unicode"
)

// The keyword index stores each searchable field as overlapping two-character
// tokens, so that any Chinese substring can be found through the index:
//
//	保密工作 → 保密 密工 工作 作∅
//
// A one-character term is a prefix query (every character starts a token,
// the last one paired with the end mark ∅), a two-character term is one token,
// and a longer term is the phrase of its consecutive pairs, which matches
// exactly where the term occurs inside one field. Each character is written as
// four base-36 letters so that SQLite's ascii tokenizer keeps a pair whole
// whatever punctuation it contains (〔〕 of 文号 included).

const base36 = "0123456789abcdefghijklmnopqrstuvwxyz"

// encRune writes r as four base-36 digits (36⁴ covers every code point).
func encRune(b *strings.Builder, r rune) {
	n := int(r)
	var d [4]byte
	for i := 3; i >= 0; i-- {
		d[i] = base36[n%36]
		n /= 36
	}
	b.Write(d[:])
}

const endMark rune = 0

// normalizeForSearch folds the differences a searcher should not have to
// type exactly: full-width forms, letter case, the brackets of 文号, spaces.
func normalizeForSearch(s string) []rune {
	s = NormalizeWidth(s)
	out := make([]rune, 0, len(s))
	for _, r := range s {
		switch r {
		case '[', '【', '［', '（', '(':
			r = '〔'
		case ']', '】', '］', '）', ')':
			r = '〕'
		}
		if unicode.IsSpace(r) {
			continue
		}
		out = append(out, unicode.ToLower(r))
	}
	return out
}

// SearchTokens builds the index text of a carrier's searchable fields.
func SearchTokens(fields ...string) string {
	var b strings.Builder
	for _, f := range fields {
		rs := normalizeForSearch(f)
		for i, r := range rs {
			next := endMark
			if i+1 < len(rs) {
				next = rs[i+1]
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			encRune(&b, r)
			encRune(&b, next)
		}
	}
	return b.String()
}

// SearchFieldsOf lists the fields the keyword box searches, in index order.
func SearchFieldsOf(c *Carrier) []string {
	return []string{c.Title, c.DocNumber, c.Issuer, c.RegNo}
}

// SearchMatch turns what was typed into the keyword box into an FTS5 MATCH
// expression. Terms separated by spaces must all occur. ok is false when
// nothing searchable was typed.
func SearchMatch(keyword string) (expr string, ok bool) {
	var terms []string
	for _, word := range strings.Fields(NormalizeWidth(keyword)) {
		if no, ok := FromBarcode(word); ok {
			word = no // a register or slip number scanned from a printed form
		}
		rs := normalizeForSearch(word)
		if len(rs) == 0 {
			continue
		}
		var b strings.Builder
		if len(rs) == 1 {
			encRune(&b, rs[0])
			b.WriteByte('*')
			terms = append(terms, b.String())
			continue
		}
		b.WriteByte('"')
		for i := 0; i+1 < len(rs); i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			encRune(&b, rs[i])
			encRune(&b, rs[i+1])
		}
		b.WriteByte('"')
		terms = append(terms, b.String())
	}
	return strings.Join(terms, " AND "), len(terms) > 0
}
