package models

import (
	"errors"
	"time"
)

// StateSent is a copy of one of the office's own documents sent to its
// recipient (R25): 已分发. It has left what the office holds, stays in the
// register, and comes back to 在库 only if it was sent in error.
const StateSent State = "sent"

// Printing is the 印制 of one of the office's own documents (R25): how many
// were printed and the 份号 range they occupy (each 份号 is one carrier of
// the registration), who printed them and when, and the spoiled sheets and
// proofs, which go onto a destruction list of their own. One per
// registration; kept for good.
type Printing struct {
	ID            string    `gorm:"primaryKey;type:text"`
	SlipNo        string    `gorm:"not null"` // 印〔2026〕0001
	BatchID       string    `gorm:"not null"` // the registration
	CarrierID     string    `gorm:"not null"` // its first copy
	Copies        int       `gorm:"not null"` // 印数
	FirstNo       int       `gorm:"not null"` // 份号 range, 0 when the copies bear none
	LastNo        int       `gorm:"not null"`
	Printer       string    `gorm:"not null"` // 印制人 or 承印单位
	PrintedOn     string    `gorm:"not null"` // yyyy-mm-dd
	Spoiled       int       `gorm:"not null"` // 废页, sheets
	Proofs        int       `gorm:"not null"` // 校样, sets
	DestructionID *string   // the 销毁 list the spoiled sheets and proofs went onto
	CreatedAt     time.Time `gorm:"not null"`
	CreatedBy     string    `gorm:"not null"`
}

// Channel is how a copy is sent (R25).
type Channel string

const (
	ChannelCourier  Channel = "机要交通"
	ChannelPost     Channel = "机要通信"
	ChannelExchange Channel = "机要文件交换站" // 机密 and 秘密 within the city, never 绝密
	ChannelHand     Channel = "机要收发人员"  // handed over by the 机要收发人员 of either office
)

// Channels lists the channels in the order the interface shows them.
var Channels = []Channel{ChannelCourier, ChannelPost, ChannelExchange, ChannelHand}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, x := range Channels {
		if c == x {
			return true
		}
	}
	return false
}

// DispatchLine is one line of a document's 分送范围 (R25): a recipient unit,
// how many copies it gets, and by which channel.
type DispatchLine struct {
	ID        string    `gorm:"primaryKey;type:text"`
	BatchID   string    `gorm:"not null"`
	Ord       int       `gorm:"not null"`
	Recipient string    `gorm:"not null"`
	Copies    int       `gorm:"not null"`
	Channel   Channel   `gorm:"not null"`
	CreatedAt time.Time `gorm:"not null"`
	CreatedBy string    `gorm:"not null"`
	Sent      int       `gorm:"-"` // copies sent on the line and not returned: filled by lists
}

// ReceiptKind is how a recipient acknowledged a copy: signed on the
// 分发登记表 or 送文簿, or by a 回执 that came back.
type ReceiptKind string

const (
	ReceiptSigned ReceiptKind = "签收"
	ReceiptSlip   ReceiptKind = "回执"
)

// Sending is one 份号 sent to its recipient (R25), with its 签收 or 回执
// once it is acknowledged, or its return when it was sent in error.
type Sending struct {
	ID         string    `gorm:"primaryKey;type:text"`
	BatchID    string    `gorm:"not null"`
	LineID     string    `gorm:"not null"`
	CarrierID  string    `gorm:"not null"`
	Recipient  string    `gorm:"not null"`
	Channel    Channel   `gorm:"not null"`
	SentOn     string    `gorm:"not null"` // yyyy-mm-dd
	Handler    string    `gorm:"not null"` // 经手人: the clerk or courier who took it
	Sealed     bool      // 绝密 in a sealed special envelope (R25)
	SentAt     time.Time `gorm:"not null"`
	SentBy     string    `gorm:"not null"`
	Receipt    ReceiptKind
	ReceiptNo  string // 回执编号, or the name of who signed
	ReceiptOn  string // "" while outstanding
	ReturnedOn string // sent in error and back in the office
	ReturnNote string
}

// Outstanding reports whether the copy is out without its 签收 or 回执.
func (s *Sending) Outstanding() bool { return s.ReceiptOn == "" && s.ReturnedOn == "" }

// SettingReceiptDays is how many days after sending a missing 回执 is
// overdue (R25); DefaultReceiptDays when not set.
const (
	SettingReceiptDays = "dispatch.receipt_days"
	DefaultReceiptDays = 30
)

// Event actions of 印制 and 分发 in a carrier's history.
const (
	ActionPrinted  = "printed"   // 印制
	ActionSend     = "send"      // 分发 (在库 → 已分发)
	ActionReceipt  = "receipt"   // 签收/回执
	ActionSendUndo = "send_back" // 误发退回 (已分发 → 在库)
)

// Errors of 印制 and 分发.
var (
	ErrNotClassified = errors.New("outgoing document has no approved classification")
	ErrBadDispatch   = errors.New("bad printing or dispatch")
	ErrNotSendable   = errors.New("carrier can't be sent")
)

// RangeText is the 份号 range printed: 000001-000030, or 无份号.
func (p *Printing) RangeText() string {
	if p.FirstNo == 0 && p.LastNo == 0 {
		return "无份号"
	}
	if p.FirstNo == p.LastNo {
		return FormatCopyNo(p.FirstNo)
	}
	return FormatCopyNo(p.FirstNo) + "-" + FormatCopyNo(p.LastNo)
}
