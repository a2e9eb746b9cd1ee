package models

import (
	"strconv"
	"strings"
	"time"
)

// Carrier is one registered physical item (涉密载体): a paper copy, a disc, a
// USB stick, a telegram. Every copy of a document is its own carrier with its
// own register number and copy number.
type Carrier struct {
	ID  string `gorm:"primaryKey;type:text"`
	Seq int64  `gorm:"not null"` // registration order; also the row id of the search index

	RegNo     string    `gorm:"not null"` // 收文编号/登记号, e.g. 收〔2026〕0001
	Direction Direction `gorm:"not null"`
	Year      int       `gorm:"not null"` // year of the register number
	RegDate   string    `gorm:"not null"` // 收文日期/登记日期, yyyy-mm-dd
	DocDate   string    // 成文日期 (制发日), yyyy-mm-dd; "" when not known: the term counts from it (R20)
	Deadline  string    // 办理时限 (R27): yyyy-mm-dd or ""; past it the document is chased (催办)
	TermFrom  string    // the day the term counts from when that is not DocDate: a copy's original's start (R23); yyyy-mm-dd or ""

	DocNumber string // 文号
	Title     string `gorm:"not null"` // 题名
	Issuer    string // 来文单位 / 发文机关
	DocKind   string // 文种

	Level         Level    `gorm:"not null"` // 密级
	TermKind      TermKind `gorm:"not null"` // 保密期限 (R15)
	TermYears     int
	TermMonths    int
	TermUntil     string // yyyy-mm-dd
	TermCondition string

	CopyNo     int    `gorm:"not null"` // 份号, printed as 6 digits; 0: the carrier bears none (R22)
	CopyCount  int    `gorm:"not null"` // 份数 registered together with this one
	BatchID    string `gorm:"not null"` // carriers registered in one act share it
	Pages      int    // 页数
	Capacity   string // 容量 of an electronic carrier, e.g. 8GB
	Urgency    Urgency
	Kind       CarrierKind `gorm:"not null"` // 载体类型
	NeedToKnow string      // 知悉范围
	Location   string      // 存放位置
	Custodian  string      // 责任人
	Remarks    string      // 备注

	State      State `gorm:"not null"`
	VoidReason string

	ReturnToIssuer bool // 清退: flagged to go back to its issuer, never destroyed (R16)

	IsCopy     bool    // 复制件 (R1)
	OriginalID *string // the carrier this one was copied from
	CopySerial int     // a copy's number in its original's own copy series: 复制件第 n 份 (R23); CopyNo then is the original's 份号
	CopyStamp  string  // a copy's 复制戳: 复制机关, 复制日期, 复制件序号 (R23)
	NoCopy     bool    // 不得复制/不准翻印 marked on the document: never copied (R23)

	Version   int       `gorm:"not null"` // optimistic lock for edits
	CreatedAt time.Time `gorm:"not null"`
	CreatedBy string    `gorm:"not null"`
	UpdatedAt time.Time `gorm:"not null"`
}

// Term returns the secrecy term in its structured form.
func (c *Carrier) Term() Term {
	return Term{Kind: c.TermKind, Years: c.TermYears, Months: c.TermMonths, Until: c.TermUntil, Condition: c.TermCondition}
}

// Marking is the carrier's mark 密级★期限, e.g. 机密★20年.
func (c *Carrier) Marking() string { return Marking(c.Level, c.Term()) }

// TermStart is the day the carrier's secrecy term counts from (R20): its
// 成文日期; for a copy whose original has none, the original's start
// (R23); otherwise its 收文日期, and then fallback is true.
func (c *Carrier) TermStart() (date string, fallback bool) {
	switch {
	case c.DocDate != "":
		return c.DocDate, false
	case c.TermFrom != "":
		return c.TermFrom, c.IsCopy
	}
	return c.RegDate, true
}

// PagesText is 页数或容量: the pages, or an electronic carrier's capacity.
func (c *Carrier) PagesText() string {
	switch {
	case c.Capacity != "":
		return c.Capacity
	case c.Pages > 0:
		return strconv.Itoa(c.Pages)
	}
	return ""
}

// CopyNoText is the copy number as GB/T 9704 prints it: six digits; ""
// for a carrier that bears none (R22). A copy made in the office shows its
// original's 份号 and its place in the original's own copy series (R23):
// 000079复1.
func (c *Carrier) CopyNoText() string {
	if c.CopySerial > 0 {
		return FormatCopyNo(c.CopyNo) + "复" + strconv.Itoa(c.CopySerial)
	}
	return FormatCopyNo(c.CopyNo)
}

// FormatCopyNo prints a copy number with six digits (GB/T 9704-2012 7.2.1);
// 0, no number, prints as "".
func FormatCopyNo(n int) string {
	if n <= 0 {
		return ""
	}
	const digits = "0123456789"
	b := []byte("000000")
	for i := 5; i >= 0 && n > 0; i-- {
		b[i] = digits[n%10]
		n /= 10
	}
	return string(b)
}

// Event actions recorded in a carrier's history.
const (
	ActionRegister = "register" // 登记
	ActionEdit     = "edit"     // 修改
	ActionVoid     = "void"     // 作废

	// Secrecy changes (R15): the mark changes only through these.
	ActionDeclassify = "declassify"  // 解密
	ActionDowngrade  = "downgrade"   // 降密
	ActionExtend     = "extend"      // 延期
	ActionTermChange = "term_change" // 变更保密期限
	ActionTermReview = "term_review" // 年度审核：保持 (R26)

	// Circulation (R6).
	ActionCirculate        = "circulate"         // 传阅 (在库 → 传阅中)
	ActionCirculationOut   = "circulation_out"   // 送阅
	ActionCirculationBack  = "circulation_back"  // 退回清点
	ActionCirculationClose = "circulation_close" // 阅办办结 (传阅中 → 在库)
)

// ActionLabel is the Chinese name of an event action.
func ActionLabel(a string) string {
	switch a {
	case ActionReturnList:
		return "列入清退单"
	case ActionReturn:
		return "清退"
	case ActionArchive:
		return "归档"
	case ActionPrint:
		return "打印"
	case ActionReturnVoid:
		return "清退单作废"
	case ActionRegister:
		return "登记"
	case ActionEdit:
		return "修改"
	case ActionVoid:
		return "作废"
	case ActionCopy:
		return "复制"
	case ActionLoanOut:
		return "借出"
	case ActionLoanReturn:
		return "归还"
	case ActionDestroyRequest:
		return "列入销毁申请"
	case ActionDestroy:
		return "销毁"
	case ActionReturnFlag:
		return "标记清退"
	case ActionTermReview:
		return "年度审核"
	case ActionDeclassify:
		return "解密"
	case ActionDowngrade:
		return "降密"
	case ActionExtend:
		return "延期"
	case ActionTermChange:
		return "变更保密期限"
	case ActionClassify:
		return "定密"
	case ActionPrinted:
		return "印制"
	case ActionSend:
		return "分发"
	case ActionReceipt:
		return "签收/回执"
	case ActionSendUndo:
		return "误发退回"
	case ActionHandle:
		return "办理"
	case ActionPersonMerge:
		return "人员合并"
	case ActionCirculate:
		return "传阅"
	case ActionCirculationOut:
		return "送阅"
	case ActionCirculationBack:
		return "退回清点"
	case ActionCirculationClose:
		return "阅办办结"
	}
	return a
}

// CarrierEvent is one line of a carrier's history: who did what, when and why.
// Events are only ever inserted (R14); an edit writes one event per changed field.
type CarrierEvent struct {
	ID         string    `gorm:"primaryKey;type:text"`
	CarrierID  string    `gorm:"not null"`
	At         time.Time `gorm:"not null"`
	Ord        int       `gorm:"not null"` // order of events written in the same act
	Actor      string    `gorm:"not null"` // the signed-in person's name
	ActorLogin string    `gorm:"not null"` // and their login
	Action     string    `gorm:"not null"`
	Field      string    // the field's Chinese label, for edits
	OldValue   string
	NewValue   string
	Reason     string
}

// Counter holds the last number handed out for a named sequence (register
// numbers per direction and year, registration order).
type Counter struct {
	Name  string `gorm:"primaryKey;type:text"`
	Value int64  `gorm:"not null"`
}

// Setting is one configuration value stored with the data.
type Setting struct {
	Key   string `gorm:"primaryKey;type:text"`
	Value string `gorm:"not null"`
}

// Event actions of self-inspections recorded in a carrier's history (R4, R19).
const (
	ActionInspectFound   = "inspect_found"   // 自查清点：账物相符
	ActionInspectResolve = "inspect_resolve" // 自查差异处理
	ActionHandover       = "handover"        // 交接 (R5)
)

// Event actions of returns to issuers (R8, R16) and archiving.
const (
	ActionReturnList = "return_list" // 列入清退单
	ActionReturn     = "return"      // 清退 (在库 → 已清退)
	ActionArchive    = "archive"     // 归档 (在库 → 已归档)
	ActionReturnVoid = "return_void" // 清退单作废
)

// ActionPrint records that a form about the carrier was printed.
const ActionPrint = "print" // 打印

// FormatCopyNos writes the 份号 of several copies the way a register does:
// 000001-000003 for a run, 000012、000037 for a list, runs and single
// numbers mixed; copies without a number are left out (R22).
func FormatCopyNos(nums []int) string {
	var parts []string
	for i := 0; i < len(nums); {
		if nums[i] <= 0 {
			i++
			continue
		}
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, FormatCopyNo(nums[i])+"-"+FormatCopyNo(nums[j]))
		} else {
			parts = append(parts, FormatCopyNo(nums[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, "、")
}
