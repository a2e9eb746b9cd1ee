package models

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ParseTerm reads a secrecy term as the law and registers write it, the
// part of a mark after ★ or a 保密期限 cell (R15, R20): 10年 or 10 (years),
// 6个月 (months), 2030年6月30日 or 2030-06-30 (a date), 长期, 解密条件：…
// or the condition itself (会议开始前). Blank is a blank term. ok is false
// for text that is none of these, such as 10念 or 2030-13-01.
func ParseTerm(s string) (t Term, ok bool) {
	s = strings.TrimSpace(NormalizeWidth(s))
	switch s {
	case "", "未标注期限", "未标注":
		return Term{Kind: TermDefault}, true
	case "长期":
		return Term{Kind: TermLong}, true
	}
	for _, p := range []string{"解密条件", "条件"} {
		if rest, found := strings.CutPrefix(s, p); found {
			rest = strings.TrimSpace(strings.TrimLeft(rest, ":：是为 "))
			return Term{Kind: TermCondition, Condition: rest}, rest != ""
		}
	}
	if n, found := strings.CutSuffix(s, "个月"); found {
		m, err := strconv.Atoi(strings.TrimSpace(n))
		return Term{Kind: TermMonths, Months: m}, err == nil && m > 0
	}
	if y := strings.TrimSpace(strings.TrimSuffix(s, "年")); isDigits(y) && len(y) <= 3 {
		n, _ := strconv.Atoi(y)
		return Term{Kind: TermYears, Years: n}, n > 0
	}
	if d, err := ParseDate(s); err == nil {
		return Term{Kind: TermUntil, Until: d.Format(DateLayout)}, true
	}
	if isCondition(s) {
		return Term{Kind: TermCondition, Condition: s}, true
	}
	return Term{}, false
}

// isCondition tells a condition written after ★ (会议开始前, 公布后) from a
// mistyped duration or date: it has words and no digits, or it ends the way
// conditions end (2030年6月前, 项目验收后).
func isCondition(s string) bool {
	words, digits := false, false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			words = true
		case unicode.IsDigit(r):
			digits = true
		}
	}
	if !words {
		return false
	}
	if !digits {
		return true
	}
	for _, end := range []string{"前", "后", "止", "时", "为止", "以前", "之日"} {
		if strings.HasSuffix(s, end) {
			return true
		}
	}
	return false
}

// ParseMarking reads a level as registers write it, alone or with its term:
// 机密, 机密级, 机密★, 机密★10年, 秘密★6个月, 机密★2030年6月30日,
// 机密★会议开始前, 绝密★长期, 内部, 非密 (R20, R21). hasTerm says whether
// the text carried a term after ★; ok is false when the level or the term
// can't be read. 内部 and 非密 take no term.
func ParseMarking(s string) (level Level, term Term, hasTerm, ok bool) {
	s = strings.ReplaceAll(strings.TrimSpace(NormalizeWidth(s)), " ", "")
	name, rest, star := s, "", false
	for _, sep := range []string{"★", "☆", "*"} {
		if a, b, found := strings.Cut(s, sep); found {
			name, rest, star = a, b, true
			break
		}
	}
	if name != "工作秘密" {
		name = strings.TrimSuffix(name, "级")
	}
	level, ok = ParseLevel(name)
	if !ok {
		return LevelNone, Term{}, false, false
	}
	if !star || rest == "" {
		return level, Term{Kind: TermDefault}, false, true
	}
	if !level.IsStateSecret() {
		return level, Term{Kind: TermDefault}, true, false
	}
	term, ok = ParseTerm(rest)
	return level, term, true, ok
}

// CombinedMark is the level and term of a 摘录 or 汇编 made from sources
// (R16, R23): the highest level of the sources, and a term no shorter than
// any of theirs: 长期 when one is; otherwise the latest of their expiry
// dates as a date term; a source's condition is kept (all of them must be
// met, and the date passed, before the compilation is no longer secret).
// 内部 and 非密 sources add no term.
func CombinedMark(sources []Carrier) (Level, Term) {
	top := LevelNone
	var latest time.Time
	var conds []string
	long := false
	for _, c := range sources {
		if top == LevelNone || c.Level > top {
			top = c.Level
		}
		if !c.Level.IsStateSecret() {
			continue
		}
		switch c.TermKind {
		case TermLong:
			long = true
		case TermCondition:
			if !slices.Contains(conds, c.TermCondition) { // two sources of one case: said once
				conds = append(conds, c.TermCondition)
			}
		default:
			if d, ok := TermExpiry(c); ok && d.After(latest) {
				latest = d
			}
		}
	}
	switch {
	case !top.IsStateSecret():
		return top, Term{Kind: TermDefault}
	case long:
		return top, Term{Kind: TermLong}
	case len(conds) == 0:
		return top, Term{Kind: TermUntil, Until: latest.Format(DateLayout)}
	}
	cond := strings.Join(conds, "；")
	if !latest.IsZero() {
		cond += fmt.Sprintf("；且不早于%d年%d月%d日", latest.Year(), int(latest.Month()), latest.Day())
	}
	return top, Term{Kind: TermCondition, Condition: cond}
}
