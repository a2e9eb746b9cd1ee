package reports

// The data of each printed form, filled in by the app layer from the
// register. Dates are yyyy-mm-dd (printed as 2026年11月23日) and times
// yyyy-mm-dd hh:mm, unless a field says otherwise; a blank field prints an
// empty box for the clerk to fill in by hand.

// CarrierLine is one carrier as listed on a form: in a list's table or as
// the object of a slip.
type CarrierLine struct {
	RegNo      string // 登记号
	Title      string // 文件资料名称
	Issuer     string // 制作发文单位 / 来文单位
	Kind       string // 载体类别
	DocNumber  string // 文号或编号
	Level      string // 密级
	Marking    string // 密级★期限
	CopyNo     string // 份号, six digits
	Pages      string // 页数或容量
	Count      string // 份数或数量
	Custodian  string // 保管人
	RegDate    string // 登记日期
	NeedToKnow string // 使用范围 / 知悉范围
	Remarks    string // 备注
	DocDate    string // 成文日期, for the 发文登记簿
	Where      string // 状态/去向: where it is, to whom it went and when (R26)
}

// Decision is an approver's decision as recorded from the signed slip.
type Decision struct {
	Role     string // who decides, as the slip names him: 审批人 when blank
	Approver string // name; blank until recorded
	Decision string // 同意 / 不同意
	Opinion  string
	Date     string
}

// FlowSheet is the 文件阅办单 of an incoming document.
type FlowSheet struct {
	Head
	Carrier      CarrierLine
	Urgency      string // 缓急
	ReceivedOn   string // 收文日期
	Proposed     string // 拟办意见
	Instructions string // 领导批示 / 领导意见
	DeptOpinion  string // 部门意见
	Result       string // 办理结果 / 办理情况
}

// RouteStep is one reader on a circulation sheet.
type RouteStep struct {
	Ord    int
	Reader string
	Out    string // 送文时间, yyyy-mm-dd hh:mm
	Back   string // 退文时间
	Count  string // the count on return: 齐全 or the discrepancy
}

// CirculationSheet is the 文件传阅单: the route of readers with sign-out,
// sign-back and signature columns.
type CirculationSheet struct {
	Head
	Carrier CarrierLine
	Route   []RouteStep
	Remarks string
}

// CopySlip is the 涉密文件复制（复印）审批单.
type CopySlip struct {
	Head
	RequestedOn string
	Requester   string
	Dept        string
	Carrier     CarrierLine // the original
	Copies      int         // 复制份数
	PagesEach   string      // 每份页数
	Purpose     string      // 复制用途
	Maker       string      // 承制单位
	// AuthorityDoc is the originating authority's approval document that
	// allows a 绝密 original to be copied (R1); blank otherwise.
	AuthorityDoc string
	Decision     Decision
	CopyNos      []string // the copy numbers issued, with their register numbers
}

// LoanSlip is the 涉密载体借阅审批单 or 外出携带审批单.
type LoanSlip struct {
	Head
	TakeOut     bool // 外出携带 rather than 借阅
	RequestedOn string
	Requester   string // 借阅人 / 携带人
	Handler     string // 经办人
	Dept        string
	Destination string // 外出地点 (take-out)
	Companion   string // 同行人 (take-out)
	Measures    string // 保密措施 (take-out)
	Abroad      string // 出境: "否", or "是" with the authority's document (take-out)
	InOffice    bool   // 限在机要阅文室阅读 (loan)
	Purpose     string
	DueOn       string // 归还/返回日期
	Carrier     CarrierLine
	Decision    Decision
	ReturnedOn  string
	ReturnCheck string // 返回检查情况: 完好 or 缺损 with the note
}

// KindTotal is the count of one carrier kind on a list.
type KindTotal struct {
	Kind  string // 纸介质, U盘, 光盘…
	Count int
	Unit  string // 份, 个, 张…
}

// DestructionForm is the 涉密载体销毁审批表 and its 销毁清单.
type DestructionForm struct {
	Head
	RequestedOn string
	Requester   string
	Reason      string
	Items       []CarrierLine
	Totals      []KindTotal // by 载体类别
	Decision    Decision
	Method      string // 送销 / 自行销毁 (with the equipment number)
	Place       string
	Date        string
	Destroyer   string    // 销毁人
	Witnesses   [2]string // 监销人
}

// ReturnListForm is the 清退清单 of one issuer's return batch.
type ReturnListForm struct {
	Head
	Issuer   string
	Items    []CarrierLine
	Totals   []KindTotal
	HandedTo string // 接收人
	Date     string
	Clerk    string // 清退人
}

// HandoverForm is the 交接清单 of one custodian's carriers to another.
type HandoverForm struct {
	Head
	From, To   string
	Date       string
	Supervisor string // 监交人
	Note       string
	ReturnOn   string // a temporary handover (临时交接) for leave: when it comes back; "" otherwise
	GivesBack  string // the temporary handover this one gives back, "" otherwise
	Items      []CarrierLine
	Totals     []KindTotal
}

// InspectionDiff is a difference found by a self-inspection.
type InspectionDiff struct {
	Carrier    CarrierLine
	What       string // 缺失 / 账外 / 借出
	Resolution string
}

// InspectionForm is the 自查登记表 of one self-inspection.
type InspectionForm struct {
	Head
	Custodian  string
	Started    string
	Closed     string
	Inspector  string
	Held       int           // 账面数
	Found      int           // 实有数
	Items      []CarrierLine // every carrier checked; its Remarks is 清点情况 (已清点, 借出…)
	Diffs      []InspectionDiff
	Conclusion string // 账物相符 or the summary of differences
	Officer    string // 保密员, printed on the signature line; blank leaves it empty
	Leader     string // 负责人, likewise
}

// RegisterBook is one of the register's books (R26), 收文登记簿 or
// 发文登记簿, for a selection of the ledger, in registration order.
type RegisterBook struct {
	Head
	Name     string // 收文登记簿 or 发文登记簿; blank prints 涉密文件登记簿
	Outgoing bool   // 发文: dated by the 成文日期, with the 发文单位
	Filter   string // the selection, in words
	Rows     []CarrierLine
}

// ClassSlip is the 定密审批表 of one of the office's own documents (R24):
// the 定密 proposed for the 承办人 and the 定密责任人's decision.
type ClassSlip struct {
	Head
	Carrier    CarrierLine
	Kind       string // 原始 / 派生
	Marking    string // the level and term as proposed, then as decided
	NeedToKnow string
	Basis      string
	KeyPoints  string // 密点
	Undertaker string // 承办人
	ProposedOn string
	Decision   Decision // the 定密责任人, 审定 with what was changed, the date
	Signer     string   // 签发人
}

// SendingLine is one 份号 sent to its recipient (R25), as the 发文分发登记表
// and the 送文簿 list it.
type SendingLine struct {
	RegNo      string // 登记号 of the copy
	CopyNo     string // 份号, six digits; blank when the copy bears none
	DocNumber  string // 发文字号
	Title      string // 题名
	Level      string // 密级
	Recipient  string // 收文单位
	Channel    string // 机要交通, 机要通信…
	SentOn     string // 分发日期
	Handler    string // 经手人
	Sealed     bool   // 绝密 in a sealed special envelope
	Receipt    string // 签收 or 回执; blank while outstanding, leaving the column to sign in
	ReceiptNo  string // who signed, or the 回执编号
	ReceiptOn  string
	ReturnedOn string // sent in error and back in the office
	ReturnNote string
}

// DispatchRecipient is one line of a document's 分送范围.
type DispatchRecipient struct {
	Recipient string
	Copies    int
	Channel   string
	Sent      int // copies sent on the line and not returned
}

// PrintingRecord is the 印制 of one of the office's own documents.
type PrintingRecord struct {
	SlipNo  string // 印〔2026〕0001
	Copies  int    // 印数
	Range   string // 份号 range: 000001-000030, or 无份号
	Printer string // 印制人 or 承印单位
	On      string
}

// ClassRecord is the 定密 record of one of the office's own documents, as
// other forms name it.
type ClassRecord struct {
	SlipNo    string // 定〔2026〕0001
	State     string // 已定密, 待定密责任人审定…
	Authority string // the 定密责任人; blank until decided
	DecidedOn string
}

// DispatchForm is the 发文分发登记表 of one of the office's own documents
// (R25): the document, its 印制 and 定密, its 分送范围, every 份号 sent with
// its 签收 or 回执, and the copies kept.
type DispatchForm struct {
	Head
	Document  CarrierLine     // DocNumber (发文字号), Title, Level and Marking
	RegNos    string          // the 登记号 of its copies: 发〔2026〕0001 至 发〔2026〕0003
	Copies    int             // 份数 registered
	DocDate   string          // 成文日期
	Printing  *PrintingRecord // nil: 未登记印制
	Class     *ClassRecord    // nil: no 定密 record
	Lines     []DispatchRecipient
	Sendings  []SendingLine // in 份号 order
	Kept      string        // the copies held and not sent: 存档份 or still to send
	Elsewhere string        // copies neither sent nor held, with their state: 000004（借出）
}

// CourierBook is the 送文簿 of one day's sendings, of one channel or all
// (R25): a row per 份号 for the recipient to sign.
type CourierBook struct {
	Head
	Date    string        // 分发日期
	Channel string        // blank: all channels
	Rows    []SendingLine // grouped by channel, in the order to print
}
