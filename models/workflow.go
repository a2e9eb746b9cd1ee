package models

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ApprovalAction is a kind of act an approver (审批人) may approve.
type ApprovalAction string

const (
	ApproveCopy       ApprovalAction = "复制"
	ApproveLoan       ApprovalAction = "借阅"
	ApproveTakeOut    ApprovalAction = "外出携带"
	ApproveDestroy    ApprovalAction = "销毁"
	ApproveDeclassify ApprovalAction = "解密/变更"
	ApproveReturn     ApprovalAction = "清退"
	// ApproveClassify is the act of a 定密责任人: fixing the level, term and
	// 知悉范围 of the office's own documents (R24).
	ApproveClassify ApprovalAction = "定密"
)

// ApprovalActions lists every action in the order the interface shows them.
var ApprovalActions = []ApprovalAction{ApproveCopy, ApproveLoan, ApproveTakeOut, ApproveDestroy,
	ApproveDeclassify, ApproveReturn, ApproveClassify}

// Valid reports whether a is a known action.
func (a ApprovalAction) Valid() bool {
	for _, k := range ApprovalActions {
		if a == k {
			return true
		}
	}
	return false
}

// ActionSet is a set of approval actions, stored as one text column with
// the actions separated by "、" in the order of ApprovalActions.
type ActionSet []ApprovalAction

// Has reports whether a is in the set.
func (s ActionSet) Has(a ApprovalAction) bool {
	for _, x := range s {
		if x == a {
			return true
		}
	}
	return false
}

// Normalized returns the set without duplicates, in the order of ApprovalActions.
func (s ActionSet) Normalized() ActionSet {
	var out ActionSet
	for _, a := range ApprovalActions {
		if s.Has(a) {
			out = append(out, a)
		}
	}
	return out
}

func (s ActionSet) String() string {
	parts := make([]string, len(s))
	for i, a := range s {
		parts[i] = string(a)
	}
	return strings.Join(parts, "、")
}

// Value stores the set as text.
func (s ActionSet) Value() (driver.Value, error) { return s.Normalized().String(), nil }

// Scan reads the set from text.
func (s *ActionSet) Scan(v any) error {
	var text string
	switch x := v.(type) {
	case nil:
	case string:
		text = x
	case []byte:
		text = string(x)
	default:
		return fmt.Errorf("action set: unexpected %T", v)
	}
	*s = nil
	for _, p := range strings.Split(text, "、") {
		if p != "" {
			*s = append(*s, ApprovalAction(p))
		}
	}
	return nil
}

// Approver is a leader whose signed decisions the clerk records (R9): who
// may approve which acts, up to which level. Approvers are never deleted:
// one who leaves is made inactive.
type Approver struct {
	ID       string    `gorm:"primaryKey;type:text"`
	Name     string    `gorm:"not null"`
	Title    string    // 职务
	Actions  ActionSet `gorm:"type:text;not null"`
	MaxLevel Level     `gorm:"not null"` // the highest level this approver may decide on
	// Designation says how a 定密责任人 (an approver holding 定密) is one:
	// 法定 (the office's 主要负责人) or 指定, with DesignationDoc (R24).
	Designation    string
	DesignationDoc string
	Active         bool      `gorm:"not null"`
	CreatedAt      time.Time `gorm:"not null"`
	CreatedBy      string    `gorm:"not null"`
	UpdatedAt      time.Time `gorm:"not null"`
}

// CannotDecide is why the approver may not approve action on carriers up to
// level, in words that follow the approver's name ("无权审批复制"); "" when
// they may. The window's approver picker and the domain say the same.
func (a *Approver) CannotDecide(action ApprovalAction, level Level) string {
	switch {
	case !a.Active:
		return "已停用，不能审批"
	case !a.Actions.Has(action):
		return "无权审批" + string(action)
	case a.MaxLevel < level:
		return fmt.Sprintf("只能审批%s及以下的载体，不能审批%s载体的%s", a.MaxLevel, level, action)
	}
	return ""
}

// May reports whether the approver may approve action on a carrier of level.
func (a *Approver) May(action ApprovalAction, level Level) bool {
	return a.CannotDecide(action, level) == ""
}

// RequestState is where a request for approval stands.
type RequestState string

const (
	RequestPending  RequestState = "pending"  // 待审批
	RequestApproved RequestState = "approved" // 已批准
	RequestRefused  RequestState = "refused"  // 已拒绝
)

func (s RequestState) String() string {
	switch s {
	case RequestPending:
		return "待审批"
	case RequestApproved:
		return "已批准"
	case RequestRefused:
		return "已拒绝"
	}
	return string(s)
}

// Decisions a leader writes on a slip (R9). Nothing else is a decision: a
// bare signature or 已核 is not.
const (
	DecisionApprove = "同意"
	DecisionRefuse  = "不同意"
)

// CopyRequest is one 复制/复印 slip: a request to copy a carrier and, once
// the leader has decided, the decision as the clerk recorded it (R1, R9).
type CopyRequest struct {
	ID           string       `gorm:"primaryKey;type:text"`
	SlipNo       string       `gorm:"not null"` // 复〔2026〕0001
	CarrierID    string       `gorm:"not null"`
	Copies       int          `gorm:"not null"`
	Approved     int          // copies the approver allowed, up to Copies (R23); 0 until decided or when refused
	Purpose      string       `gorm:"not null"`
	Requester    string       `gorm:"not null"` // the person who wants the copies
	Department   string       // 部门 of the requester (R23)
	Maker        string       // 承制单位: the office itself or an approved 定点单位 (R23)
	Kind         CopyKind     // 复制 (""), 摘录 or 汇编 (R23)
	NewTitle     string       // 摘录/汇编: the title of the document made
	NeedToKnow   string       // 摘录/汇编: its 知悉范围, no wider than the narrowest source's
	AuthorityDoc string       // 绝密 only, when the policy allows: the originating authority's approval document
	RequestedOn  string       `gorm:"not null"` // yyyy-mm-dd, local date of the request
	RequestedAt  time.Time    `gorm:"not null"`
	RequestedBy  string       `gorm:"not null"` // the clerk who recorded it
	State        RequestState `gorm:"not null"`

	Decided
}

// Decided is an approver's decision as a slip records it (R9): on copy
// requests, loans and destruction batches.
type Decided struct {
	ApproverID   *string
	ApproverName string // as it was when the decision was recorded
	Decision     string // 同意 / 不同意
	Opinion      string // 审批意见
	DecidedOn    string // yyyy-mm-dd, the date written on the slip
	DecidedAt    *time.Time
	DecidedBy    string // the clerk who recorded the decision
}

// CopyKind is what a copy request makes (R23): copies of one carrier, or a
// new document from the parts of one (摘录) or several (汇编).
type CopyKind string

const (
	CopyWhole   CopyKind = ""   // 复制: copies of the carrier
	CopyExtract CopyKind = "摘录" // a new document from parts of one carrier
	CopyCompile CopyKind = "汇编" // a new document from several carriers
)

// String is the act's Chinese name.
func (k CopyKind) String() string {
	if k == CopyWhole {
		return "复制"
	}
	return string(k)
}

// CopyRequestSource is one carrier a 摘录 or 汇编 is made from, in order.
type CopyRequestSource struct {
	RequestID string `gorm:"primaryKey;type:text"`
	CarrierID string `gorm:"primaryKey;type:text"`
	Ord       int    `gorm:"not null"`
}

// CarrierSource is a carrier a 摘录 or 汇编 was made from, listed on it (R23).
type CarrierSource struct {
	CarrierID string `gorm:"primaryKey;type:text"`
	SourceID  string `gorm:"primaryKey;type:text"`
	Ord       int    `gorm:"not null"`
}

// Settings keys of the workflow.
const (
	// SettingTopSecretCopy, when "1", lets 绝密 carriers be copied with the
	// originating authority's approval document (R1). Off by default.
	SettingTopSecretCopy = "copy.top_secret_allowed"
)

// Event actions of the copy workflow recorded in a carrier's history.
const (
	ActionCopy = "copy" // 复制 (on the original: copies made)
)

// Sentinel errors of the workflow.
var (
	ErrCopyForbidden     = errors.New("this carrier may not be copied")
	ErrBadCopies         = errors.New("approved copies out of range")
	ErrNoDecision        = errors.New("approval lacks an explicit decision")
	ErrBackdated         = errors.New("approval dated before its request")
	ErrNoAuthority       = errors.New("approver lacks authority")
	ErrRequestDecided    = errors.New("request already decided")
	ErrNeedsAuthorityDoc = errors.New("top secret copy needs the originating authority's document")
)
