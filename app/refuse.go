package app

import (
	"errors"
	"fmt"
	"strings"

	"secdoc/models"
)

// Every refusal is audited, whichever door it came through (the window, the
// command line): a use case that can refuse starts with
//
//	defer s.refused(sess, "RequestCopy", in.CarrierID, &err)
//
// and when it returns a refusal (a role refusal, a rule of the register,
// a form the rules reject, a disabled account, an account row that no
// longer matches its seal, a broken audit chain) one record names the
// operation, the object and the reason, in a transaction of its own: the
// refused change itself has left nothing. A call with a session that has
// ended or whose window is locked is refused without a record.

// refusalError marks a refusal already recorded, so that a use case
// calling another records it once.
type refusalError struct{ err error }

func (e *refusalError) Error() string { return e.err.Error() }
func (e *refusalError) Unwrap() error { return e.err }

// refusal classifies err: the event to record and the Chinese reason, or
// ok false when err is not a refusal (nil, or a failure of the machine).
func refusal(err error) (event, reason string, ok bool) {
	var fe *ForbiddenError
	var ve *models.ValidationError
	var ce *ChainError
	var te *TamperedError
	switch {
	case errors.As(err, &te):
		return models.EventDenied, te.Message(), true
	case err == nil:
		return "", "", false
	case errors.As(err, &fe):
		return models.EventDenied, fe.Message(), true
	case errors.Is(err, ErrSessionLocked), errors.Is(err, models.ErrNotSignedIn):
		// A window that has locked or signed out (or whose sessions a
		// restore ended) and is still loading: no person's attempt, and a
		// record each would let a loop fill the trail.
		return "", "", false
	case errors.Is(err, models.ErrDisabled):
		return models.EventDenied, "账户已停用", true
	case errors.Is(err, models.ErrMustChange):
		return models.EventDenied, "须先修改初始密码", true
	case errors.As(err, &ce):
		return models.EventRuleDenied, ce.Msg, true
	case errors.As(err, &ve):
		return models.EventRuleDenied, ve.Error(), true
	}
	return "", "", false
}

// refused records the refusal *errp, if it is one and not yet recorded,
// of the operation op (a use case's name; see OperationLabels) on object
// (an id, which is named by its register or slip number where it has one).
func (s *Service) refused(sess *Session, op, object string, errp *error) {
	err := *errp
	var done *refusalError
	if err == nil || errors.As(err, &done) {
		return
	}
	event, reason, ok := refusal(err)
	if !ok {
		return
	}
	label := OperationLabel(op)
	if obj := s.objectName(object); obj != "" {
		object = obj
	}
	if object == "" {
		object = label
	}
	// An audit record is written even for a session that is locked or
	// gone: the refusal is the thing to record.
	if aerr := s.auditAlone(sess, event, object, false, label+"："+reason); aerr != nil && !errors.Is(aerr, ErrAuditKey) {
		*errp = fmt.Errorf("%w (and recording the refusal failed: %v)", err, aerr)
		return
	}
	*errp = &refusalError{err}
}

// objectName names an object by its id: a carrier by its register number,
// a slip by its number, an account by its login, an approver by name.
func (s *Service) objectName(id string) string {
	id = strings.TrimSpace(id)
	if id == "" || len(id) != 36 {
		return ""
	}
	var name string
	s.db.Raw(`SELECT name FROM (
		SELECT reg_no AS name FROM carriers WHERE id = @id
		UNION ALL SELECT slip_no FROM copy_requests WHERE id = @id
		UNION ALL SELECT slip_no FROM loans WHERE id = @id
		UNION ALL SELECT slip_no FROM destruction_batches WHERE id = @id
		UNION ALL SELECT slip_no FROM circulations WHERE id = @id
		UNION ALL SELECT slip_no FROM inspections WHERE id = @id
		UNION ALL SELECT slip_no FROM handovers WHERE id = @id
		UNION ALL SELECT slip_no FROM return_batches WHERE id = @id
		UNION ALL SELECT slip_no FROM classifications WHERE id = @id
		UNION ALL SELECT recipient FROM dispatch_lines WHERE id = @id
		UNION ALL SELECT c.reg_no FROM sendings x JOIN carriers c ON c.id = x.carrier_id WHERE x.id = @id
		UNION ALL SELECT login FROM users WHERE id = @id
		UNION ALL SELECT name FROM approvers WHERE id = @id
		UNION ALL SELECT name FROM persons WHERE id = @id) LIMIT 1`,
		map[string]any{"id": id}).Scan(&name)
	return name
}

// OperationLabel is the Chinese name of a use case for the audit trail.
func OperationLabel(op string) string {
	if l, ok := OperationLabels[op]; ok {
		return l
	}
	return op
}

// OperationLabels name the use cases in Chinese, for the audit trail.
var OperationLabels = map[string]string{
	"SetRollbackKeep":         "设置回滚副本保留数",
	"SetRecoveryKey":          "设置备份恢复密钥",
	"Rollbacks":               "查看回滚副本",
	"RemoveRollback":          "删除回滚副本",
	"RecoveryKeyStatus":       "查看备份恢复密钥",
	"CurrentAuditSeal":        "读取审计印记",
	"CheckRecoveryPassphrase": "核对恢复口令",
	"CheckAuditSeal":          "核对审计印记",
	"AcceptChain":             "确认审计链现状",
	"AddApprover":             "新增审批人",
	"Approvers":               "查看审批人",
	"Annual":                  "查看年度统计",
	"AnnualList":              "查看年度统计明细",
	"PrintAnnual":             "打印年度统计",
	"PrintAnnualToFile":       "打印年度统计",
	"ExportAnnualFile":        "导出年度统计",
	"Archive":                 "归档",
	"ArchiveOf":               "查看归档",
	"AuditTrail":              "查阅审计记录",
	"Backup":                  "备份",
	"BackupStatus":            "查看备份状态",
	"Backups":                 "查看备份记录",
	"BookRows":                "查看运行登记簿",
	"CheckDatabase":           "数据库全面检查",
	"LastDBCheck":             "查看数据库检查结果",
	"PrintBook":               "打印运行登记簿",
	"PrintBookToFile":         "打印运行登记簿",
	"ExportBookFile":          "导出运行登记簿",
	"ChangeSecrecy":           "密级/保密期限变更",
	"ProposeClassification":   "提出定密",
	"SetOriginalClassLevel":   "设置原始定密权限",
	"DecideClassification":    "登记定密审定",
	"ClassificationOf":        "查看定密记录",
	"RecordSuperiorDecision":  "登记上级定密批复",
	"CalendarYear":            "查看工作日历",
	"SetCalendarDay":          "修改工作日历",
	"RecordHandling":          "登记分办/阅知/存查",
	"SetLoanDays":             "设置借阅期限",
	"ReturnHandover":          "收回临时交接",
	"PeopleList":              "查看人员名单",
	"PersonDuplicates":        "查看重名人员",
	"SavePerson":              "修改人员名单",
	"SetPersonGrade":          "设置涉密等级",
	"MergePerson":             "合并人员",
	"SetRemindHours":          "设置催阅时限",
	"Urges":                   "查看催办催阅",
	"TemporaryOpen":           "查看临时交接",
	"RecordPrinting":          "印制登记",
	"PrintingOf":              "查看印制记录",
	"AddDispatchLine":         "确定分送范围",
	"DispatchLines":           "查看分送范围",
	"Send":                    "分发",
	"RecordReceipt":           "登记签收/回执",
	"ReturnSent":              "误发退回",
	"SendingsOf":              "查看分发记录",
	"CourierRun":              "查看送文簿",
	"SetReceiptDays":          "设置回执期限",
	"OverdueReceipts":         "查看回执逾期",
	"AwaitingClassification":  "查看待定密",
	"AwaitingDispatch":        "查看待分发",
	"Unsent":                  "查看未分发的份",
	"Circulations":            "查看传阅",
	"CloseCirculation":        "阅办办结",
	"CloseInspection":         "自查完成",
	"CompleteDestruction":     "销毁登记",
	"CopyRequests":            "查看复制申请",
	"Count":                   "查询台账",
	"CountUpTo":               "查询台账",
	"CreateReturnBatch":       "清退单登记",
	"CreateUser":              "新建账户",
	"DecideCopy":              "复制审批",
	"DecideDestruction":       "销毁审批",
	"DecideLoan":              "借阅/外出携带审批",
	"DestructionBatches":      "查看销毁单",
	"DestructionList":         "查看销毁清单",
	"Edit":                    "修改登记",
	"ExpiringTerms":           "查看将到期",
	"CountsDiffer":            "核对统计",
	"ExportAuditCSV":          "导出审计记录 CSV",
	"ExportAuditPDF":          "导出审计记录 PDF",
	"ExportLedger":            "导出台账",
	"ExportLedgerFile":        "导出台账",
	"FlagReturnToIssuer":      "标记清退",
	"Get":                     "查看载体",
	"GetByRegNo":              "按登记号查找",
	"People":                  "读取人员名单",
	"HandOverReturnBatch":     "清退交接",
	"Handover":                "交接",
	"HandoverItems":           "查看交接清单",
	"Handovers":               "查看交接",
	"History":                 "查看处理记录",
	"Import":                  "导入",
	"ImportDryRun":            "导入预检",
	"InspectionPeriods":       "查看自查周期",
	"InspectionResult":        "查看自查结果",
	"Inspections":             "查看自查",
	"InspectionsDue":          "查看应自查",
	"Issuers":                 "查看来文单位",
	"Loans":                   "查看借阅",
	"OutstandingCopies":       "查看复制件",
	"OverdueHandling":         "查看超时未处理",
	"OverdueLoans":            "查看逾期未还",
	"Page":                    "查询台账",
	"PendingCopyRequests":     "查看待审批复制",
	"PendingLoans":            "查看待审批借阅",
	"Print":                   "打印",
	"PrintRegister":           "打印登记簿",
	"DefaultMarking":          "计算清单的默认密级标志",
	"ReviewCount":             "查看年度审核清单",
	"ReviewPage":              "查看年度审核清单",
	"KeepTerm":                "登记年度审核结果",
	"WriteInspectorCopy":      "生成保密检查材料",
	"PrintRegisterToFile":     "打印登记簿",
	"PrintToFile":             "打印",
	"RecordInstruction":       "录入批示",
	"Register":                "登记",
	"RegisterMany":            "批量登记",
	"RequestCopy":             "复制申请",
	"RequestDestruction":      "销毁申请",
	"CheckDestroyable":        "列入销毁单",
	"EditRegistration":        "修改全部各份",
	"RequestLoan":             "借阅/外出携带申请",
	"ResetPassword":           "重置密码",
	"Resolve":                 "自查差异处理",
	"Restore":                 "恢复",
	"ReturnBatches":           "查看清退单",
	"ReturnCandidates":        "查看待清退",
	"ReturnList":              "查看清退清单",
	"ReturnLoan":              "借阅/外出携带归还",
	"SecrecyChanges":          "查看密级变更",
	"Sources":                 "查看摘录、汇编的来源",
	"SetBackupRemindDays":     "设置备份提醒",
	"SetDisabled":             "停用/启用账户",
	"SetInspectionPeriod":     "设置自查周期",
	"SetOfficeName":           "修改单位名称",
	"SetPolicy":               "修改安全策略",
	"SetRole":                 "修改角色",
	"SetTopSecretCopyAllowed": "设置绝密复制开关",
	"SignBack":                "退回清点",
	"SignOutToReader":         "送阅",
	"StartCirculation":        "传阅登记",
	"StartInspection":         "自查开始",
	"Stats":                   "统计",
	"TickFound":               "自查清点",
	"UnlockAccount":           "解锁账户",
	"UpdateApprover":          "修改审批人",
	"Users":                   "查看账户",
	"VerifyAuditProgress":     "校验审计记录",
	"VerifyBackup":            "校验备份",
	"Void":                    "作废",
	"VoidReturnBatch":         "清退单作废",
	"WhereIs":                 "查看去向",
	"Years":                   "查看年份",
}
