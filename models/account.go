package models

import (
	"errors"
	"time"
)

// Role is what an account may do. The three administrators (三员) and the
// clerk are separate accounts; none of the administrators touches business
// records (R18).
type Role string

const (
	RoleClerk    Role = "clerk"    // 机要员: registers and runs the workflows
	RoleSecAdmin Role = "secadmin" // 安全保密管理员: roles, policy, approvers
	RoleSysAdmin Role = "sysadmin" // 系统管理员: accounts, backups, settings
	RoleAuditor  Role = "auditor"  // 安全审计员: reads and verifies the audit trail
)

// Roles lists every role, the administrators first.
var Roles = []Role{RoleSysAdmin, RoleSecAdmin, RoleAuditor, RoleClerk}

func (r Role) String() string {
	switch r {
	case RoleClerk:
		return "机要员"
	case RoleSecAdmin:
		return "安全保密管理员"
	case RoleSysAdmin:
		return "系统管理员"
	case RoleAuditor:
		return "安全审计员"
	}
	return "未知角色"
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Admin reports whether r is one of the three administrators (三员).
func (r Role) Admin() bool { return r == RoleSysAdmin || r == RoleSecAdmin || r == RoleAuditor }

// ParseRole reads a role's Chinese name or its identifier.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if s == r.String() || s == string(r) {
			return r, true
		}
	}
	return "", false
}

// User is one account. Passwords are stored only as argon2id hashes.
type User struct {
	ID           string    `gorm:"primaryKey;type:text"`
	Login        string    `gorm:"not null"` // 登录名, unique
	FullName     string    `gorm:"not null"` // 姓名: one person, whatever accounts they hold
	Role         Role      `gorm:"not null"`
	PasswordHash string    `gorm:"not null"`
	MustChange   bool      `gorm:"not null"` // must choose a new password at the next sign-in
	FailedCount  int       `gorm:"not null"` // consecutive failed sign-ins
	LockedUntil  time.Time // zero when not locked out
	Disabled     bool      `gorm:"not null"`
	CreatedAt    time.Time `gorm:"not null"`
	CreatedBy    string    `gorm:"not null"`
	UpdatedAt    time.Time `gorm:"not null"`
	Version      int       `gorm:"not null"`
}

// Policy is the security settings the security officer keeps.
type Policy struct {
	MinLength      int // shortest password
	MinClasses     int // of upper case, lower case, digits, symbols
	MaxFailures    int // failed sign-ins before the account is locked out
	LockoutMinutes int
	IdleMinutes    int // the window locks after this long without input
}

// DefaultPolicy is the policy of a new database.
var DefaultPolicy = Policy{MinLength: 10, MinClasses: 3, MaxFailures: 5, LockoutMinutes: 15, IdleMinutes: 10}

// AuditRecord is one line of the audit trail (GB/T 22239 8.1.4.3): time,
// user, event type, object, success or failure, detail. Records are only
// inserted; each carries a keyed hash over itself and the previous record's
// hash, so that changing, removing or inserting any record is detected.
type AuditRecord struct {
	Seq     int64     `gorm:"primaryKey;autoIncrement:false"`
	At      time.Time `gorm:"not null"`
	Login   string    `gorm:"not null"` // who; "" before anyone signed in
	Role    Role      `gorm:"not null"`
	Event   string    `gorm:"not null"` // see the Event… constants
	Object  string    `gorm:"not null"` // what it concerned: a register number, a login, a file
	Success bool      `gorm:"not null"`
	Detail  string    `gorm:"not null"`
	Hash    string    `gorm:"not null"` // hex HMAC-SHA256 chained over the previous record
	// V is the record's format: 1 before rows were sealed, 2 since. A
	// version-2 record also covers Seals, the row versions its transaction
	// wrote, and Digest, the register's digest after them (app/seal.go).
	V      int    `gorm:"column:v;not null"`
	Seals  []byte `gorm:"column:seals"`
	Digest string `gorm:"column:digest;not null"`
}

// TableName keeps the audit table's name plain.
func (AuditRecord) TableName() string { return "audit_log" }

// Audit event types.
const (
	EventSetup          = "setup"           // 初始化
	EventSignIn         = "sign_in"         // 登录
	EventSignOut        = "sign_out"        // 退出
	EventLock           = "lock"            // 锁屏
	EventUnlock         = "unlock"          // 解锁
	EventPasswordChange = "password_change" // 修改密码
	EventUserCreate     = "user_create"     // 新建账户
	EventUserChange     = "user_change"     // 修改账户
	EventPolicyChange   = "policy_change"   // 修改安全策略
	EventSettingsChange = "settings_change" // 修改设置
	EventRegister       = "register"        // 登记
	EventEdit           = "edit"            // 修改登记
	EventVoid           = "void"            // 作废
	EventView           = "view"            // 查看
	EventPrint          = "print"           // 打印
	EventExport         = "export"          // 导出
	EventImport         = "import"          // 导入
	EventBackup         = "backup"          // 备份
	EventRestore        = "restore"         // 恢复
	EventAuditVerify    = "audit_verify"    // 校验审计记录
	EventAuditRead      = "audit_read"      // 查阅审计记录
	EventDenied         = "denied"          // 越权被拒
	EventApproverAdd    = "approver_add"    // 新增审批人
	EventApproverChange = "approver_change" // 修改审批人
	EventCopyRequest    = "copy_request"    // 复制申请
	EventCopyDecide     = "copy_decide"     // 复制审批
	EventCopy           = "copy"            // 复制登记
	EventLoanRequest    = "loan_request"    // 借阅/外出携带申请
	EventLoanDecide     = "loan_decide"     // 借阅/外出携带审批
	EventLoanReturn     = "loan_return"     // 借阅/外出携带归还
	EventDestroyRequest = "destroy_request" // 销毁申请
	EventDestroyDecide  = "destroy_decide"  // 销毁审批
	EventDestroy        = "destroy"         // 销毁
	EventReturnFlag     = "return_flag"     // 标记清退
	EventSecrecyChange  = "secrecy_change"  // 解密/降密/延期/变更保密期限
	EventClassify       = "classify"        // 定密 of the office's own documents (R24)
	EventPrinting       = "printing"        // 印制登记 (R25)
	EventDispatch       = "dispatch"        // 分送范围、分发、签收/回执 (R25)
	EventHandling       = "handling"        // 分办、阅知、存查 (R27)
	EventPeople         = "people"          // 人员名单 (R27)
	EventTermReview     = "term_review"     // 年度审核 of secrecy terms (R26)
	EventUpgrade        = "upgrade"         // 数据库升级: an older version's database migrated

	EventCirculationStart       = "circulation_start"       // 传阅登记
	EventCirculationOut         = "circulation_out"         // 送阅
	EventCirculationBack        = "circulation_back"        // 退回清点
	EventCirculationInstruction = "circulation_instruction" // 录入批示/办理结果
	EventCirculationClose       = "circulation_close"       // 阅办办结

	EventInspectionStart   = "inspection_start"   // 自查开始
	EventInspectionTick    = "inspection_tick"    // 自查清点
	EventInspectionResolve = "inspection_resolve" // 自查差异处理
	EventInspectionClose   = "inspection_close"   // 自查完成
	EventHandover          = "handover"           // 交接

	EventReturnBatch    = "return_batch"    // 清退单登记
	EventReturnHandover = "return_handover" // 清退交接
	EventArchive        = "archive"         // 归档
	EventReturnVoid     = "return_void"     // 清退单作废

	EventRuleDenied  = "rule_denied"  // 违规被拒: a rule of the register refused the act
	EventSeal        = "seal"         // 建立封存: rows sealed that no record had sealed yet
	EventChainAccept = "chain_accept" // 确认审计链现状: the auditor moved the chain's head on purpose
	EventCleanup     = "cleanup"      // 清理临时文件: plaintext leftovers of a killed backup removed
	EventDBCheck     = "db_check"     // 数据库全面检查: PRAGMA integrity_check at a quiet time, its result
)

// EventLabels gives each event type's Chinese name.
var EventLabels = map[string]string{
	EventSetup: "初始化", EventSignIn: "登录", EventSignOut: "退出", EventLock: "锁屏", EventUnlock: "解锁",
	EventPasswordChange: "修改密码", EventUserCreate: "新建账户", EventUserChange: "修改账户",
	EventPolicyChange: "修改安全策略", EventSettingsChange: "修改设置", EventRegister: "登记",
	EventEdit: "修改登记", EventVoid: "作废", EventView: "查看", EventPrint: "打印", EventExport: "导出",
	EventImport: "导入",
	EventBackup: "备份", EventRestore: "恢复", EventAuditVerify: "校验审计记录", EventAuditRead: "查阅审计记录",
	EventDenied:      "越权被拒",
	EventApproverAdd: "新增审批人", EventApproverChange: "修改审批人", EventCopyRequest: "复制申请",
	EventCopyDecide: "复制审批", EventCopy: "复制登记",
	EventLoanRequest: "借阅申请", EventLoanDecide: "借阅审批", EventLoanReturn: "借阅归还",
	EventDestroyRequest: "销毁申请", EventDestroyDecide: "销毁审批", EventDestroy: "销毁",
	EventReturnFlag: "标记清退", EventSecrecyChange: "密级/保密期限变更", EventClassify: "定密",
	EventPrinting: "印制", EventDispatch: "分发", EventHandling: "办理登记", EventPeople: "人员名单", EventTermReview: "年度审核", EventUpgrade: "数据库升级",
	EventCirculationStart: "传阅登记", EventCirculationOut: "送阅", EventCirculationBack: "退回清点",
	EventCirculationInstruction: "录入批示", EventCirculationClose: "阅办办结",
	EventInspectionStart: "自查开始", EventInspectionTick: "自查清点", EventInspectionResolve: "自查差异处理",
	EventInspectionClose: "自查完成", EventHandover: "交接",
	EventReturnBatch: "清退单登记", EventReturnHandover: "清退交接", EventArchive: "归档", EventReturnVoid: "清退单作废",
	EventRuleDenied: "违规被拒", EventSeal: "建立封存", EventChainAccept: "确认审计链现状", EventCleanup: "清理临时文件",
	EventDBCheck: "数据库全面检查",
}

// Errors of accounts and permissions.
var (
	ErrBadCredentials = errors.New("wrong login or password")
	ErrLockedOut      = errors.New("account locked out")
	ErrDisabled       = errors.New("account disabled")
	ErrForbidden      = errors.New("not permitted for this role")
	ErrMustChange     = errors.New("password must be changed first")
	ErrNotSignedIn    = errors.New("not signed in")
	ErrAlreadySetUp   = errors.New("accounts already set up")
	ErrNeedsSetup     = errors.New("accounts not set up yet")
)
