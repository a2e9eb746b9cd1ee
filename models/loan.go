package models

import (
	"errors"
	"time"
)

// LoanKind tells a loan (借阅) from a take-out (外出携带).
type LoanKind string

const (
	LoanBorrow  LoanKind = "loan"    // 借阅
	LoanTakeOut LoanKind = "takeout" // 外出携带 (R3)
)

// Valid reports whether k is a known kind.
func (k LoanKind) Valid() bool { return k == LoanBorrow || k == LoanTakeOut }

func (k LoanKind) String() string {
	switch k {
	case LoanBorrow:
		return "借阅"
	case LoanTakeOut:
		return "外出携带"
	}
	return string(k)
}

// Action is the approval action the kind needs (R3, R9).
func (k LoanKind) Action() ApprovalAction {
	if k == LoanTakeOut {
		return ApproveTakeOut
	}
	return ApproveLoan
}

// OutState is the carrier's state while it is out.
func (k LoanKind) OutState() State {
	if k == LoanTakeOut {
		return StateTakenOut
	}
	return StateOnLoan
}

// BorrowerLabel names the person who takes the carrier: 借阅人 or 携带人.
func (k LoanKind) BorrowerLabel() string {
	if k == LoanTakeOut {
		return "携带人"
	}
	return "借阅人"
}

// SlipPrefix is the first character of the kind's slip number: 借 or 携.
func (k LoanKind) SlipPrefix() string {
	if k == LoanTakeOut {
		return "携"
	}
	return "借"
}

// LoanState is where a loan or take-out stands.
type LoanState string

const (
	LoanPending  LoanState = "pending"  // 待审批
	LoanApproved LoanState = "approved" // 已批准 (not used while approval hands the carrier out at once)
	LoanRefused  LoanState = "refused"  // 已拒绝
	LoanOut      LoanState = "out"      // 已借出
	LoanReturned LoanState = "returned" // 已归还
)

func (s LoanState) String() string {
	switch s {
	case LoanPending:
		return "待审批"
	case LoanApproved:
		return "已批准"
	case LoanRefused:
		return "已拒绝"
	case LoanOut:
		return "已借出"
	case LoanReturned:
		return "已归还"
	}
	return string(s)
}

// Return checks (返回检查情况).
const (
	ReturnIntact  = "完好"
	ReturnDamaged = "缺损"
)

// Loan is one 借阅 or 外出携带 slip: the request, the leader's decision as
// the clerk recorded it (R9), the carrier's leaving and its return (R3).
type Loan struct {
	ID            string    `gorm:"primaryKey;type:text"`
	SlipNo        string    `gorm:"not null"` // 借〔2026〕0001 / 携〔2026〕0001
	Kind          LoanKind  `gorm:"not null"`
	CarrierID     string    `gorm:"not null"`
	Borrower      string    `gorm:"not null"` // 借阅人 / 携带人
	Department    string    // 部门
	Purpose       string    `gorm:"not null"`
	Destination   string    // 外出地点, take-outs only
	Companion     string    // 同行人: take-outs; required for 绝密 (R27)
	Measures      string    // 保密措施 taken on the way: take-outs
	Abroad        bool      // the take-out leaves the country: needs the authority's document
	AbroadDoc     string    // that document's 文号
	InOffice      bool      // read in the office's 阅文室 only: 绝密 loans (R27)
	OutsideReason string    // why a borrower outside the 知悉范围 borrows it (R27)
	RequestedOn   string    `gorm:"not null"` // yyyy-mm-dd
	DueOn         string    `gorm:"not null"` // 返回日期, yyyy-mm-dd
	RequestedAt   time.Time `gorm:"not null"`
	RequestedBy   string    `gorm:"not null"`
	State         LoanState `gorm:"not null"`

	Decided

	OutOn       string // yyyy-mm-dd, the day the carrier left (the decision's date)
	ReturnedOn  string // yyyy-mm-dd
	ReturnCheck string // 完好 / 缺损
	ReturnNote  string
	ReturnedAt  *time.Time
	ReturnedBy  string
}

// Event actions of loans recorded in a carrier's history.
const (
	ActionLoanOut    = "loan_out"    // 借出 / 外出携带
	ActionLoanReturn = "loan_return" // 归还
)

// Sentinel errors of loans.
var (
	ErrLoanNotOut   = errors.New("loan is not out")
	ErrNeedsNote    = errors.New("a damaged return needs a note")
	ErrBadDueDate   = errors.New("bad due date")
	ErrBadReturnDay = errors.New("bad return date")
	ErrLoanLimit    = errors.New("loan beyond the limits of its level or kind")
)

// SettingLoanDays is the setting of the longest loan or take-out of a
// level, in days: SettingLoanDays + the level's number (R27).
const SettingLoanDays = "loan.max_days."

// DefaultLoanDays are the longest loan or take-out of each level of 国家秘密
// unless the security officer sets another (R27): 绝密 a day, read in the
// office; 机密 15 days; 秘密 30.
var DefaultLoanDays = map[Level]int{LevelTopSecret: 1, LevelSecret: 15, LevelConfidential: 30}
