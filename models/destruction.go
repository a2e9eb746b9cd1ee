package models

import (
	"errors"
	"time"
)

// DestructionMethod is how a batch is destroyed (R17).
type DestructionMethod string

const (
	MethodSent DestructionMethod = "送销"   // to the designated destruction office, escorted by two people
	MethodSelf DestructionMethod = "自行销毁" // on certified equipment: record its number
)

// Valid reports whether m is a known method.
func (m DestructionMethod) Valid() bool { return m == MethodSent || m == MethodSelf }

// DestructionState is where a destruction batch stands.
type DestructionState string

const (
	DestructionPending   DestructionState = "pending"   // 待审批
	DestructionApproved  DestructionState = "approved"  // 已批准
	DestructionRefused   DestructionState = "refused"   // 已拒绝
	DestructionDestroyed DestructionState = "destroyed" // 已销毁
)

func (s DestructionState) String() string {
	switch s {
	case DestructionPending:
		return "待审批"
	case DestructionApproved:
		return "已批准"
	case DestructionRefused:
		return "已拒绝"
	case DestructionDestroyed:
		return "已销毁"
	}
	return string(s)
}

// Open reports whether the batch still holds its carriers (R2): pending or approved.
func (s DestructionState) Open() bool { return s == DestructionPending || s == DestructionApproved }

// DestructionBatch is one 销毁 slip: the request to destroy a list of
// carriers, the leader's decision (R2, R9) and the destruction as it was
// done and witnessed (R17). Kept for good (R14).
type DestructionBatch struct {
	ID          string           `gorm:"primaryKey;type:text"`
	Items       int              `gorm:"-"`        // how many carriers: filled by lists, not stored
	Waste       bool             `gorm:"-"`        // the spoiled sheets of a printing (R25): filled by lists
	SlipNo      string           `gorm:"not null"` // 销〔2026〕0001
	Reason      string           `gorm:"not null"`
	Requester   string           `gorm:"not null"`
	RequestedOn string           `gorm:"not null"` // yyyy-mm-dd
	RequestedAt time.Time        `gorm:"not null"`
	RequestedBy string           `gorm:"not null"` // the clerk who recorded it
	State       DestructionState `gorm:"not null"`

	Decided

	Method      DestructionMethod // 送销 / 自行销毁
	EquipmentNo string            // certified equipment, 自行销毁 only
	Place       string
	DestroyedOn string // yyyy-mm-dd
	Witness1    string // 监销人
	Witness2    string
	Escort1     string // 护送人, 送销 only
	Escort2     string
	DestroyedAt *time.Time
	DestroyedBy string
}

// DestructionItem is one carrier of a destruction batch, in list order.
type DestructionItem struct {
	ID        string `gorm:"primaryKey;type:text"`
	BatchID   string `gorm:"not null"`
	Ord       int    `gorm:"not null"` // 序号, from 1
	CarrierID string `gorm:"not null"`
}

// KindUnit is the word a destruction list counts a carrier kind in (R17):
// the kind's short name and its measure word, e.g. 纸介质 份, U盘 个.
func KindUnit(k CarrierKind) (name, unit string) {
	switch k {
	case KindPaper:
		return "纸介质", "份"
	case KindCipherTel, KindPlainTel:
		return string(k), "份"
	case KindDisc:
		return "光盘", "张"
	case KindUSB:
		return "U盘", "个"
	case KindNotebook:
		return "笔记本", "本"
	}
	return string(k), "件"
}

// Event actions of destruction recorded in a carrier's history.
const (
	ActionDestroyRequest = "destroy_request" // 列入销毁申请
	ActionDestroy        = "destroy"         // 销毁
	ActionReturnFlag     = "return_flag"     // 标记清退
)

// Sentinel errors of destruction.
var (
	ErrNotApproved      = errors.New("destruction not approved")
	ErrWitnesses        = errors.New("destruction needs two different witnesses other than the requester")
	ErrNeedsEquipmentNo = errors.New("self destruction needs the equipment number")
	ErrNeedsEscorts     = errors.New("sending for destruction needs two escorts")
	ErrReturnToIssuer   = errors.New("carrier is flagged for return to its issuer")
	ErrInOpenBatch      = errors.New("carrier is already in an open destruction batch")
	ErrBadDestroyDate   = errors.New("bad destruction date")
)
