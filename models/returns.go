package models

import (
	"errors"
	"time"
)

// ReturnState is where a 清退 batch stands.
type ReturnState string

const (
	ReturnPending    ReturnState = "pending"     // 待交接
	ReturnHandedOver ReturnState = "handed_over" // 已交接
	ReturnCancelled  ReturnState = "cancelled"   // 已作废: made in error, its carriers free again
)

func (s ReturnState) String() string {
	switch s {
	case ReturnPending:
		return "待交接"
	case ReturnHandedOver:
		return "已交接"
	case ReturnCancelled:
		return "已作废"
	}
	return string(s)
}

// ReturnBatch is one 清退 slip: the carriers flagged for return to one
// issuer (R8, R16), handed back together. Kept for good (R14).
type ReturnBatch struct {
	ID           string      `gorm:"primaryKey;type:text"`
	Items        int         `gorm:"-"`        // how many carriers: filled by lists, not stored
	SlipNo       string      `gorm:"not null"` // 退〔2026〕0001
	Issuer       string      `gorm:"not null"` // 来文单位 the carriers go back to
	State        ReturnState `gorm:"not null"`
	CreatedAt    time.Time   `gorm:"not null"`
	CreatedBy    string      `gorm:"not null"`
	HandedOverOn string      // yyyy-mm-dd
	HandedTo     string      // 接收人 of the issuer
	HandedBy     string      // the clerk who recorded the handover
	HandedAt     *time.Time
}

// ReturnItem is one carrier of a 清退 batch, in list order.
type ReturnItem struct {
	BatchID   string `gorm:"primaryKey;type:text"`
	Ord       int    `gorm:"not null"` // 序号, from 1
	CarrierID string `gorm:"primaryKey;type:text"`
}

// Archive is the 归档 record of a carrier: its 档号. Kept for good.
type Archive struct {
	CarrierID  string    `gorm:"primaryKey;type:text"`
	FileNo     string    `gorm:"not null"` // 档号
	Note       string    `gorm:"not null"`
	ArchivedOn string    `gorm:"not null"` // yyyy-mm-dd
	CreatedAt  time.Time `gorm:"not null"`
	CreatedBy  string    `gorm:"not null"`
}

// Sentinel errors of returns and archiving.
var (
	ErrNothingToReturn = errors.New("no carrier of this issuer is flagged for return")
	ErrAwayForReturn   = errors.New("carriers flagged for return are not in store")
	ErrInReturnBatch   = errors.New("carrier is already in an open return batch")
	ErrReturnDone      = errors.New("return batch already handed over")
	ErrNeedsFileNo     = errors.New("archiving needs a file number")
)
