package models

import (
	"errors"
	"time"
)

// CirculationState is where a circulation (传阅/阅办) stands.
type CirculationState string

const (
	CirculationOpen   CirculationState = "open"   // 传阅中
	CirculationClosed CirculationState = "closed" // 已办结
)

func (s CirculationState) String() string {
	switch s {
	case CirculationOpen:
		return "传阅中"
	case CirculationClosed:
		return "已办结"
	}
	return string(s)
}

// InOffice is what WhereIs says when no reader holds the document (R6).
const InOffice = "在办公室"

// Reader is one reader on a circulation's route: a name and a role or
// department (e.g. 分管副局长, 综合科).
type Reader struct {
	Name       string
	Department string
	// OutsideReason is why a reader outside the carrier's 知悉范围 reads it
	// (R27); required then, recorded on the step.
	OutsideReason string
}

// Circulation is one 文件阅办单/传阅单: the document goes from the office to
// each reader of the route in turn and back to the office every time (R6).
type Circulation struct {
	ID               string           `gorm:"primaryKey;type:text"`
	SlipNo           string           `gorm:"not null"` // 阅〔2026〕0001
	CarrierID        string           `gorm:"not null"`
	ProposedHandling string           // 拟办意见
	State            CirculationState `gorm:"not null"`
	CurrentReader    string           // who holds it now; "" = in the office
	StartedAt        time.Time        `gorm:"not null"`
	StartedBy        string           `gorm:"not null"`
	ClosedAt         *time.Time
	ClosedBy         string
	CloseNote        string // why route readers did not read it, when some did not
	Instruction      string // 领导批示
	Result           string // 办理结果
	Version          int    `gorm:"not null"`

	Route []Reader          `gorm:"-"` // ordered readers, from Steps
	Steps []CirculationStep `gorm:"-"`
}

// CirculationStep is one reader's line of the 传阅单: sent out, returned,
// counted on return (R6).
type CirculationStep struct {
	CirculationID string `gorm:"primaryKey;type:text"`
	Ord           int    `gorm:"primaryKey"` // 1-based place on the route
	Reader        string `gorm:"not null"`
	Department    string
	OutsideReason string     // why a reader outside the 知悉范围 reads it (R27)
	OutAt         *time.Time // 送文时间
	BackAt        *time.Time // 退文时间
	CountOK       bool       // counted complete on return
	Discrepancy   string     // what was found missing or wrong on return
}

// Sentinel errors of circulation.
var (
	ErrOutsideNeedToKnow  = errors.New("outside the need-to-know")
	ErrBadRoute           = errors.New("bad circulation route")
	ErrSidewaysPass       = errors.New("a reader holds the document: it must come back to the office first")
	ErrNotNextReader      = errors.New("not the next reader on the route")
	ErrNotWithReader      = errors.New("no reader holds the document")
	ErrCountNeedsNote     = errors.New("a count discrepancy needs a note")
	ErrNotInOffice        = errors.New("the document is not in the office")
	ErrRouteIncomplete    = errors.New("not every reader has returned the document")
	ErrCirculationClosed  = errors.New("circulation is closed")
	ErrBadCirculationTime = errors.New("bad circulation time")
)
