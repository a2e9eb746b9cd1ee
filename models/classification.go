package models

import (
	"errors"
	"time"
)

// ClassKind is how a level was determined (R24): 原始 from the office's own
// 保密事项范围, or 派生 from a source document's (the usual case).
type ClassKind string

const (
	ClassOriginal ClassKind = "原始"
	ClassDerived  ClassKind = "派生"
)

// ClassState is where a 定密 record stands.
type ClassState string

const (
	ClassProposed ClassState = "proposed" // proposed for the 承办人, awaiting the 定密责任人
	ClassApproved ClassState = "approved" // approved (or changed) by the 定密责任人
	ClassReferred ClassState = "referred" // 原始定密 beyond the office's own power: 报请上级确定
)

// String is the state's Chinese name.
func (s ClassState) String() string {
	switch s {
	case ClassProposed:
		return "待定密责任人审定"
	case ClassApproved:
		return "已定密"
	case ClassReferred:
		return "报请上级确定"
	}
	return string(s)
}

// Classification is the 定密 record of one of the office's own documents
// (R24): what the clerk proposed for the 承办人, and what the 定密责任人
// approved or changed it to, with the document's 签发人. One per
// registration (BatchID): every copy of the document carries its mark.
type Classification struct {
	ID          string     `gorm:"primaryKey;type:text"`
	SlipNo      string     `gorm:"not null"` // 定〔2026〕0001
	BatchID     string     `gorm:"not null"`
	CarrierID   string     `gorm:"not null"` // the first copy, for the slip's heading
	Kind        ClassKind  `gorm:"not null"`
	Level       Level      `gorm:"not null"` // as proposed, then as approved
	TermKind    TermKind   `gorm:"not null"`
	TermYears   int        //
	TermMonths  int        //
	TermUntil   string     //
	TermCond    string     //
	NeedToKnow  string     `gorm:"not null"`
	Basis       string     `gorm:"not null"` // 保密事项范围 entry, or the source document (文号, level, term)
	KeyPoints   string     // 密点
	Undertaker  string     `gorm:"not null"` // 承办人
	ProposedOn  string     `gorm:"not null"`
	ProposedAt  time.Time  `gorm:"not null"`
	ProposedBy  string     `gorm:"not null"`
	State       ClassState `gorm:"not null"`
	AuthorityID *string    // the 定密责任人
	Authority   string     // as named when decided
	Changed     string     // what the 定密责任人 changed of the proposal, "" when approved as proposed
	Signer      string     // 签发人
	DecidedOn   string
	DecidedAt   *time.Time
	DecidedBy   string
	// The superior's decision on a 原始定密 referred to it (报请上级确定).
	Superior    string // 上级机关
	SuperiorDoc string // its reply's 文号
	SuperiorOn  string
}

// Term is the record's term.
func (c *Classification) Term() Term {
	return Term{Kind: c.TermKind, Years: c.TermYears, Months: c.TermMonths, Until: c.TermUntil, Condition: c.TermCond}
}

// Errors of 定密.
var ErrBadClassification = errors.New("bad classification")

// ActionClassify records a mark fixed by a 定密 record in a carrier's history.
const ActionClassify = "classify"

// SettingOriginalClassLevel is the highest level the office may fix by
// 原始定密 itself (its 定密权), "" or "0" for none (R24).
const SettingOriginalClassLevel = "classify.original_level"
