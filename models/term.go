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
	ID           string         `gorm:"primaryKey;type:text"`
	GroupID      string         `gorm:"not null"`
	CarrierID    string         `gorm:"not null"`
	Kind         TermChangeKind `gorm:"not null"`
	OldLevel     Level          `gorm:"not null"`
	OldTermKind  TermKind       `gorm:"not null"`
	OldTermYears int
	OldTermUntil string
	OldTermCond  string
	OldMarking   string `gorm:"not null"`
	NewLevel     Level  `gorm:"not null"` // LevelNone for a declassification
	NewTermKind  TermKind
	NewTermYears int
	NewTermUntil string
	NewTermCond  string
	NewMarking   string `gorm:"not null"` // 已解密 for a declassification
	ApproverID   string `gorm:"not null"`
	ApproverName string `gorm:"not null"` // as it was when the change was recorded
	AuthorityDoc string `gorm:"not null"` // the deciding authority's document number
	Reason       string
	DecidedOn    string    `gorm:"not null"` // yyyy-mm-dd
	RecordedAt   time.Time `gorm:"not null"`
	RecordedBy   string    `gorm:"not null"` // the clerk
}

// TermExpiry is the date the carrier's secrecy term ends (R15): a duration
// (or the blank default, the level's statutory maximum) counts from the
// register date; a date term is the date itself. A condition term has no
// date: known is false.
func TermExpiry(c Carrier) (date time.Time, known bool) {
	return TermExpiryOf(c.Level, c.Term(), c.RegDate)
}

// TermExpiryOf is TermExpiry for a level and term registered on regDate (yyyy-mm-dd).
func TermExpiryOf(l Level, t Term, regDate string) (time.Time, bool) {
	switch t.Kind {
	case TermCondition:
		return time.Time{}, false
	case TermUntil:
		d, err := ParseDate(t.Until)
		return d, err == nil
	}
	reg, err := ParseDate(regDate)
	if err != nil {
		return time.Time{}, false
	}
	years := l.MaxTermYears()
	if t.Kind == TermYears {
		years = t.Years
	}
	if years <= 0 {
		return time.Time{}, false
	}
	return reg.AddDate(years, 0, 0), true
}

// Sentinel errors of secrecy changes (R15, R16).
var (
	ErrTermExpired      = errors.New("secrecy term already expired")
	ErrNotLower         = errors.New("downgrade must lower the level")
	ErrBadTermChange    = errors.New("bad secrecy term change")
	ErrChangeNeedsDoc   = errors.New("secrecy change needs the deciding authority's document")
	ErrCopyChangesAlone = errors.New("a copy's level or term can't change on its own")
)
