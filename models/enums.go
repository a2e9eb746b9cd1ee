package models

import (
	"fmt"
	"strings"
)

// Level is the secrecy level (密级) of a carrier. Higher is more secret, so
// levels compare and sort naturally.
type Level int

const (
	LevelNonSecret    Level = -2 // 非密: registered, no secret (R21)
	LevelInternal     Level = -1 // 内部: 工作秘密 (R21)
	LevelNone         Level = 0  // not set: never valid on a carrier
	LevelConfidential Level = 1  // 秘密
	LevelSecret       Level = 2  // 机密
	LevelTopSecret    Level = 3  // 绝密
)

// Levels lists the three levels of 国家秘密 from the lowest to the highest:
// the levels approvals, self-inspections and secrecy terms are about.
var Levels = []Level{LevelConfidential, LevelSecret, LevelTopSecret}

// AllLevels lists every level a carrier can be registered at, from the
// lowest: 非密 and 内部 besides the three of 国家秘密 (R21).
var AllLevels = []Level{LevelNonSecret, LevelInternal, LevelConfidential, LevelSecret, LevelTopSecret}

func (l Level) String() string {
	switch l {
	case LevelNonSecret:
		return "非密"
	case LevelInternal:
		return "内部"
	case LevelConfidential:
		return "秘密"
	case LevelSecret:
		return "机密"
	case LevelTopSecret:
		return "绝密"
	}
	return ""
}

// Valid reports whether l is one of the three levels of 国家秘密.
func (l Level) Valid() bool { return l >= LevelConfidential && l <= LevelTopSecret }

// Registrable reports whether a carrier can be registered at level l: a
// level of 国家秘密, 内部 or 非密 (R21).
func (l Level) Registrable() bool { return l.Valid() || l == LevelInternal || l == LevelNonSecret }

// IsStateSecret reports whether l is a level of 国家秘密, to which the rules
// of approval, self-inspection and secrecy terms apply (R21).
func (l Level) IsStateSecret() bool { return l.Valid() }

// MaxTermYears is the statutory maximum secrecy term of the level
// (保守国家秘密法: 绝密 30 years, 机密 20, 秘密 10), used when the term is blank (R15).
func (l Level) MaxTermYears() int {
	switch l {
	case LevelTopSecret:
		return 30
	case LevelSecret:
		return 20
	case LevelConfidential:
		return 10
	}
	return 0
}

// ParseLevel reads the Chinese name of a level, any of AllLevels; 工作秘密
// and 内部事项 are read as 内部 (R21).
func ParseLevel(s string) (Level, bool) {
	for _, l := range AllLevels {
		if l.String() == s {
			return l, true
		}
	}
	switch s {
	case "工作秘密", "内部事项":
		return LevelInternal, true
	}
	return LevelNone, false
}

// State is where a carrier is in its life (see domain.md, "States of a carrier").
type State string

const (
	StateInStore       State = "in_store"       // 在库
	StateInCirculation State = "in_circulation" // 传阅中
	StateOnLoan        State = "on_loan"        // 借出
	StateTakenOut      State = "taken_out"      // 外出携带
	StateReturned      State = "returned"       // 已清退
	StateArchived      State = "archived"       // 已归档
	StateDestroyed     State = "destroyed"      // 已销毁
	StateDeclassified  State = "declassified"   // 已解密
	StateVoided        State = "voided"         // 已作废 (a mistaken registration, R14)
)

// States lists every state in the order the interface shows them.
var States = []State{StateInStore, StateInCirculation, StateOnLoan, StateTakenOut,
	StateSent, StateReturned, StateArchived, StateDestroyed, StateDeclassified, StateVoided}

// HeldStates are the states in which the office still holds (or has lent out)
// the carrier: the register's active view.
var HeldStates = []State{StateInStore, StateInCirculation, StateOnLoan, StateTakenOut}

func (s State) String() string {
	switch s {
	case StateInStore:
		return "在库"
	case StateInCirculation:
		return "传阅中"
	case StateOnLoan:
		return "借出"
	case StateTakenOut:
		return "外出携带"
	case StateReturned:
		return "已清退"
	case StateArchived:
		return "已归档"
	case StateDestroyed:
		return "已销毁"
	case StateDeclassified:
		return "已解密"
	case StateVoided:
		return "已作废"
	case StateSent:
		return "已分发"
	}
	return "未知状态"
}

// Held reports whether the carrier is still in the office's hands.
func (s State) Held() bool {
	for _, h := range HeldStates {
		if s == h {
			return true
		}
	}
	return false
}

// Terminal reports whether the carrier has left the register for good.
func (s State) Terminal() bool { return !s.Held() }

// ParseState reads the Chinese name of a state.
func ParseState(label string) (State, bool) {
	for _, s := range States {
		if s.String() == label {
			return s, true
		}
	}
	return "", false
}

// CarrierKind is the physical kind of a carrier (载体类型).
type CarrierKind string

const (
	KindPaper     CarrierKind = "纸质文件"
	KindCipherTel CarrierKind = "密码电报"
	KindPlainTel  CarrierKind = "明电"
	KindDisc      CarrierKind = "光盘"
	KindUSB       CarrierKind = "U盘/移动存储介质"
	KindNotebook  CarrierKind = "笔记本"
	KindOther     CarrierKind = "其他"
)

// CarrierKinds lists the kinds in the order the form offers them.
var CarrierKinds = []CarrierKind{KindPaper, KindCipherTel, KindPlainTel, KindDisc, KindUSB, KindNotebook, KindOther}

// Paper reports whether carriers of kind k are counted in pages: paper
// documents and telegrams; discs and USB sticks have a capacity instead.
func (k CarrierKind) Paper() bool {
	switch k {
	case KindPaper, KindCipherTel, KindPlainTel, KindNotebook:
		return true
	}
	return false
}

// Valid reports whether k is a known kind.
func (k CarrierKind) Valid() bool {
	for _, c := range CarrierKinds {
		if k == c {
			return true
		}
	}
	return false
}

// DocKinds are the 文种 of official documents (党政机关公文处理工作条例); free text is allowed too.
var DocKinds = []string{"决议", "决定", "命令(令)", "公报", "公告", "通告", "意见", "通知", "通报",
	"报告", "请示", "批复", "议案", "函", "纪要"}

// Direction says whether a carrier came in (收文) or was produced here (发文/自产).
// Register numbers are counted per direction and year.
type Direction string

const (
	DirIncoming Direction = "in"  // 收文
	DirOutgoing Direction = "out" // 发文/自产
)

// Directions lists both directions.
var Directions = []Direction{DirIncoming, DirOutgoing}

// Prefix is the first character of the register number: 收〔2026〕0001.
func (d Direction) Prefix() string {
	if d == DirOutgoing {
		return "发"
	}
	return "收"
}

func (d Direction) String() string {
	if d == DirOutgoing {
		return "发文/自产"
	}
	return "收文"
}

// Valid reports whether d is a known direction.
func (d Direction) Valid() bool { return d == DirIncoming || d == DirOutgoing }

// Urgency is 缓急.
type Urgency string

const (
	UrgencyNormal  Urgency = ""
	UrgencyUrgent  Urgency = "加急"
	UrgencyExtreme Urgency = "特急"
)

// Urgencies lists the urgencies, the normal one first.
var Urgencies = []Urgency{UrgencyNormal, UrgencyUrgent, UrgencyExtreme}

func (u Urgency) String() string {
	if u == UrgencyNormal {
		return "普通"
	}
	return string(u)
}

// Valid reports whether u is a known urgency.
func (u Urgency) Valid() bool {
	return u == UrgencyNormal || u == UrgencyUrgent || u == UrgencyExtreme
}

// TermKind is the form of the secrecy term (R15).
type TermKind string

const (
	TermDefault   TermKind = "default"   // blank: handled as the statutory maximum, printed as the level alone
	TermYears     TermKind = "years"     // 机密★10年
	TermMonths    TermKind = "months"    // 秘密★6个月: a term under a year (R20)
	TermUntil     TermKind = "until"     // 机密★2030年6月30日
	TermCondition TermKind = "condition" // 机密★会议开始前: the condition itself after ★ (R20)
	TermLong      TermKind = "long"      // 绝密★长期: never ends by itself (R15)
)

// Term is a secrecy term in one of its forms, or blank (the statutory default).
type Term struct {
	Kind      TermKind
	Years     int    // TermYears
	Months    int    // TermMonths
	Until     string // TermUntil: yyyy-mm-dd
	Condition string // TermCondition
}

// Marking renders the mark as the law writes it, printed on forms and shown
// in lists (R10, R20): 机密★10年, 秘密★6个月, 机密★2030年6月30日,
// 机密★会议开始前, 绝密★长期; a blank term as the document reads, the level
// alone (机密); 内部 and 非密 never with ★ (R21).
func Marking(l Level, t Term) string {
	if !l.IsStateSecret() {
		return l.String()
	}
	switch t.Kind {
	case TermYears:
		return fmt.Sprintf("%s★%d年", l, t.Years)
	case TermMonths:
		return fmt.Sprintf("%s★%d个月", l, t.Months)
	case TermUntil:
		if d, err := ParseDate(t.Until); err == nil {
			return fmt.Sprintf("%s★%d年%d月%d日", l, d.Year(), int(d.Month()), d.Day())
		}
		return l.String() + "★" + t.Until
	case TermCondition:
		return l.String() + "★" + t.Condition
	case TermLong:
		return l.String() + "★长期"
	}
	return l.String()
}

// TermText is the term as a register's 保密期限 column shows it: 10年,
// 6个月, 2030年6月30日, the condition, 长期, or 未标注期限 for a blank term of
// 国家秘密 (R20); "" for 内部 and 非密.
func TermText(l Level, t Term) string {
	if !l.IsStateSecret() {
		return ""
	}
	if t.Kind == TermDefault || t.Kind == "" {
		return "未标注期限"
	}
	m := Marking(l, t)
	_, rest, _ := strings.Cut(m, "★")
	return rest
}
