package models

import (
	"errors"
	"time"
)

// TermChangeKind is the kind of a recorded change of a carrier's mark (R15).
type TermChangeKind string

const (
	ChangeDeclassify TermChangeKind = "解密" // the carrier is no longer secret: state 已解密 (terminal)
	ChangeDowngrade  TermChangeKind = "降密" // a strictly lower level, the term re-stated
	ChangeExtend     TermChangeKind = "延期" // a later expiry, decided before the current one
	ChangeTermForm   TermChangeKind = "变更" // the term re-stated in another form, same level
)

// TermChangeKinds lists the kinds in the order the interface offers them.
var TermChangeKinds = []TermChangeKind{ChangeDeclassify, ChangeDowngrade, ChangeExtend, ChangeTermForm}

// Valid reports whether k is a known kind.
func (k TermChangeKind) Valid() bool {
	for _, x := range TermChangeKinds {
		if k == x {
			return true
		}
	}
	return false
}

// SecrecyChange is one row of the append-only record of mark changes
// (secrecy_changes, R15): a change decided by an approver on the strength
// of the deciding authority's document. A change of an original writes one
// row for it and one for each living copy changed with it, sharing GroupID.
type SecrecyChange struct {
	ID            string         `gorm:"primaryKey;type:text"`
	GroupID       string         `gorm:"not null"`
	CarrierID     string         `gorm:"not null"`
	Kind          TermChangeKind `gorm:"not null"`
	OldLevel      Level          `gorm:"not null"`
	OldTermKind   TermKind       `gorm:"not null"`
	OldTermYears  int
	OldTermMonths int
	OldTermUntil  string
	OldTermCond   string
	OldMarking    string `gorm:"not null"`
	NewLevel      Level  `gorm:"not null"` // LevelNone for a declassification
	NewTermKind   TermKind
	NewTermYears  int
	NewTermMonths int
	NewTermUntil  string
	NewTermCond   string
	NewMarking    string  `gorm:"not null"` // 已解密 for a declassification
	Basis         string  // decision (定密责任人), notice (原定密机关's notice) or expired (自行解密), R20
	Authority     string  // a notice: the authority that sent it
	ApproverID    *string // a decision: the approver who decided it
	ApproverName  string  `gorm:"not null"` // as it was when the change was recorded; the authority of a notice
	AuthorityDoc  string  `gorm:"not null"` // the decision's or notice's 文号; "" for 自行解密
	Reason        string
	DecidedOn     string    `gorm:"not null"` // yyyy-mm-dd
	RecordedAt    time.Time `gorm:"not null"`
	RecordedBy    string    `gorm:"not null"` // the clerk
}

// TermExpiry is the date the carrier's secrecy term ends (R15, R20): a
// duration (or a blank term, the level's statutory maximum) counts from
// the term's start (see Carrier.TermStart); a date term is the date itself.
// A condition or 长期 term, and 内部 or 非密, have no date: known is false.
func TermExpiry(c Carrier) (date time.Time, known bool) {
	start, _ := c.TermStart()
	return TermExpiryOf(c.Level, c.Term(), start)
}

// TermExpiryOf is TermExpiry for a level and term counted from start (yyyy-mm-dd).
func TermExpiryOf(l Level, t Term, start string) (time.Time, bool) {
	if !l.IsStateSecret() {
		return time.Time{}, false
	}
	switch t.Kind {
	case TermCondition, TermLong:
		return time.Time{}, false
	case TermUntil:
		d, err := ParseDate(t.Until)
		return d, err == nil
	}
	from, err := ParseDate(start)
	if err != nil {
		return time.Time{}, false
	}
	switch t.Kind {
	case TermMonths:
		if t.Months <= 0 {
			return time.Time{}, false
		}
		return from.AddDate(0, t.Months, 0), true
	case TermYears:
		if t.Years <= 0 {
			return time.Time{}, false
		}
		return from.AddDate(t.Years, 0, 0), true
	}
	return from.AddDate(l.MaxTermYears(), 0, 0), true
}

// Sentinel errors of secrecy changes (R15, R16).
var (
	ErrTermExpired      = errors.New("secrecy term already expired")
	ErrNotLower         = errors.New("downgrade must lower the level")
	ErrBadTermChange    = errors.New("bad secrecy term change")
	ErrChangeNeedsDoc   = errors.New("secrecy change needs the deciding authority's document")
	ErrCopyChangesAlone = errors.New("a copy's level or term can't change on its own")
)

// TermReview is the outcome of the yearly review of a carrier's term
// (保密法 每年审核, R26) when the term stands: 保持, decided by an approver.
// A term changed or lifted on review is a SecrecyChange instead.
type TermReview struct {
	ID           string  `gorm:"primaryKey;type:text"`
	Year         int     `gorm:"not null"`
	CarrierID    string  `gorm:"not null"`
	Marking      string  `gorm:"not null"` // the marking kept
	ApproverID   *string // the approver who decided
	ApproverName string  `gorm:"not null"`
	DecidedOn    string  `gorm:"not null"` // yyyy-mm-dd
	Note         string
	RecordedAt   time.Time `gorm:"not null"`
	RecordedBy   string    `gorm:"not null"`
}

// ErrReviewed refuses recording a second outcome of a year's review.
var (
	ErrReviewed  = errors.New("already reviewed this year")
	ErrNotListed = errors.New("not on the year's review list")
)
