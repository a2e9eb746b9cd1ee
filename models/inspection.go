package models

import (
	"errors"
	"time"
)

// InspectionState is where a self-inspection (自查) stands.
type InspectionState string

const (
	InspectionOpen   InspectionState = "open"   // 进行中
	InspectionClosed InspectionState = "closed" // 已完成
)

func (s InspectionState) String() string {
	switch s {
	case InspectionOpen:
		return "进行中"
	case InspectionClosed:
		return "已完成"
	}
	return string(s)
}

// Inspection is one custodian's self-inspection (自查, R4, R19): a snapshot
// of what the register says the custodian holds, ticked off as each carrier
// is found, every difference resolved before it closes.
type Inspection struct {
	ID        string          `gorm:"primaryKey;type:text"`
	SlipNo    string          `gorm:"not null"` // 查〔2026〕0001
	Custodian string          `gorm:"not null"` // 责任人 whose holdings are counted
	StartedOn string          `gorm:"not null"` // yyyy-mm-dd
	StartedAt time.Time       `gorm:"not null"`
	StartedBy string          `gorm:"not null"`
	State     InspectionState `gorm:"not null"`
	ClosedOn  string          // yyyy-mm-dd
	ClosedAt  *time.Time
	ClosedBy  string
}

// InspectionItem is one carrier of an inspection: expected (the register
// says the custodian holds it) or unexpected (found but not in the snapshot).
type InspectionItem struct {
	InspectionID string `gorm:"primaryKey;type:text"`
	CarrierID    string `gorm:"primaryKey;type:text"`
	RegNo        string `gorm:"not null"`
	Level        Level  `gorm:"not null"`
	Expected     bool   `gorm:"not null"`
	Found        bool   `gorm:"not null"`
	FoundAt      *time.Time
	Status       State  `gorm:"not null"` // the carrier's state when listed: 在库 is expected in store
	Resolution   string `gorm:"not null"` // 处理结果 of a difference (R4)
	ResolvedAt   *time.Time
	ResolvedBy   string
}

// Away reports whether the register says the item is legitimately elsewhere
// (借出, 外出携带, 传阅中), so not finding it is no difference.
func (it InspectionItem) Away() bool { return it.Expected && it.Status != StateInStore }

// Missing reports an item expected in store and not found (账物不符).
func (it InspectionItem) Missing() bool { return it.Expected && it.Status == StateInStore && !it.Found }

// Difference reports whether the item is a difference that needs a resolution (R4).
func (it InspectionItem) Difference() bool { return it.Missing() || !it.Expected }

// SettingInspectionPeriod names the setting holding the self-inspection
// period in months of carriers of level l (R19): inspection.period.<level>.
func SettingInspectionPeriod(l Level) string {
	switch l {
	case LevelConfidential:
		return "inspection.period.confidential"
	case LevelSecret:
		return "inspection.period.secret"
	case LevelTopSecret:
		return "inspection.period.top_secret"
	}
	return "inspection.period.none"
}

// DefaultInspectionMonths is the period when none is set: monthly (每月自查, R4).
const DefaultInspectionMonths = 1

// MaxInspectionMonths is the longest period the security officer may set.
const MaxInspectionMonths = 12

// Sentinel errors of self-inspections.
var (
	ErrInspectionClosed = errors.New("inspection is closed")
	ErrInspectionOpen   = errors.New("custodian already has an open inspection")
	ErrUnresolved       = errors.New("inspection has unresolved differences")
	ErrNotADifference   = errors.New("item is not a difference")
	ErrBadPeriod        = errors.New("bad inspection period")
)

// Handover is the transfer of everything a custodian holds to a successor on
// a job change, with a signed handover list (交接清单, R5).
type Handover struct {
	ID        string    `gorm:"primaryKey;type:text"`
	SlipNo    string    `gorm:"not null"` // 交〔2026〕0001
	From      string    `gorm:"column:from_custodian;not null"`
	To        string    `gorm:"column:to_custodian;not null"`
	Witness   string    `gorm:"not null"` // 监交人
	Note      string    `gorm:"not null"`
	HandedOn  string    `gorm:"not null"` // yyyy-mm-dd
	CreatedAt time.Time `gorm:"not null"`
	CreatedBy string    `gorm:"not null"`
	// A temporary handover covers leave (R27): everything comes back by
	// one act, the handover that ends it, due by ReturnOn.
	Temporary bool
	ReturnOn  string  // yyyy-mm-dd, temporary handovers only
	EndsID    *string // on the handover giving back a temporary one: that one
}

// HandoverItem is one carrier of a handover list, as it stood when handed over.
type HandoverItem struct {
	HandoverID string `gorm:"primaryKey;type:text"`
	CarrierID  string `gorm:"primaryKey;type:text"`
	RegNo      string `gorm:"not null"`
	Level      Level  `gorm:"not null"`
	State      State  `gorm:"not null"`
}

// Sentinel errors of handovers.
var ErrBadHandover = errors.New("bad handover")
