package ui

import (
	"io"
	"time"

	"secdoc/app"
	"secdoc/app/backup"
	"secdoc/models"
	"secdoc/reports"
)

// Service is every use case the window calls; *app.Service satisfies it.
// Apart from the first run and signing in, each takes the session of the
// person at the keyboard, and the domain checks that their role may do it
// (R18): the window only avoids offering what would be refused.
type Service interface {
	// First run and signing in.
	NeedsSetup() (bool, error)
	Setup(in app.SetupInput) error
	OfficeName() string
	Policy() (models.Policy, error)
	SignIn(login, password string) (*app.Session, bool, error)
	ChangePassword(sess *app.Session, old, new string) error
	Lock(sess *app.Session, why string) error
	Unlock(sess *app.Session, password string) error
	SignOut(sess *app.Session) error

	// The clerk's register.
	Register(sess *app.Session, f models.CarrierForm) ([]models.Carrier, error)
	Edit(sess *app.Session, id string, version int, f models.CarrierForm, reason string) (models.Carrier, error)
	Void(sess *app.Session, id string, version int, reason string) error
	Get(sess *app.Session, id string) (models.Carrier, error)
	History(sess *app.Session, id string) ([]models.CarrierEvent, error)
	Count(sess *app.Session, q app.Query) (int64, error)
	CountUpTo(sess *app.Session, q app.Query, limit int) (int64, bool, error)
	Page(sess *app.Session, q app.Query, offset, limit int) ([]models.Carrier, error)
	Stats(sess *app.Session) (app.Stats, error)
	Issuers(sess *app.Session) ([]string, error)
	People(sess *app.Session) ([]string, error)
	Years(sess *app.Session) ([]int, error)

	// Approvers and copying (R1, R9, R16).
	Approvers(sess *app.Session) ([]models.Approver, error)
	AddApprover(sess *app.Session, in app.ApproverInput) (models.Approver, error)
	UpdateApprover(sess *app.Session, id string, in app.ApproverInput) (models.Approver, error)
	TopSecretCopyAllowed() bool
	SetTopSecretCopyAllowed(sess *app.Session, allowed bool) error
	RequestCopy(sess *app.Session, in app.CopyRequestInput) (models.CopyRequest, error)
	DecideCopy(sess *app.Session, d app.CopyDecision) (models.CopyRequest, []models.Carrier, error)
	CopyRequests(sess *app.Session, carrierID string) ([]models.CopyRequest, error)
	PendingCopyRequests(sess *app.Session) ([]models.CopyRequest, error)
	OutstandingCopies(sess *app.Session, originalID string) ([]models.Carrier, error)

	// Loans and take-outs (R3, R9).
	RequestLoan(sess *app.Session, in app.LoanInput) (models.Loan, error)
	DecideLoan(sess *app.Session, d app.LoanDecision) (models.Loan, error)
	ReturnLoan(sess *app.Session, loanID, check, note, returnedOn string) (models.Loan, error)
	OverdueLoans(sess *app.Session, today time.Time) ([]app.OverdueLoan, error)
	Loans(sess *app.Session, carrierID string) ([]models.Loan, error)
	PendingLoans(sess *app.Session) ([]models.Loan, error)

	// Circulation and the handling of incoming documents (R6, R7).
	StartCirculation(sess *app.Session, carrierID, proposedHandling string, route []models.Reader) (models.Circulation, error)
	SignOutToReader(sess *app.Session, circID, reader string, at time.Time) (models.Circulation, error)
	SignBack(sess *app.Session, circID string, at time.Time, countOK bool, discrepancy string) (models.Circulation, error)
	RecordInstruction(sess *app.Session, circID, instruction, result string) (models.Circulation, error)
	CloseCirculation(sess *app.Session, circID, note string) (models.Circulation, error)
	WhereIs(sess *app.Session, carrierID string) (app.Whereabouts, error)
	Circulations(sess *app.Session, carrierID string) ([]models.Circulation, error)
	OverdueHandling(sess *app.Session, now time.Time, th app.HandlingThresholds) ([]app.OverdueIncoming, error)

	// Secrecy terms: warnings and recorded changes (R15, R16).
	ExpiringTerms(sess *app.Session, today time.Time, withinMonths int) ([]app.TermDue, error)
	ChangeSecrecy(sess *app.Session, in app.TermChange) (models.Carrier, error)
	SecrecyChanges(sess *app.Session, carrierID string) ([]models.SecrecyChange, error)

	// Destruction and return to the issuer (R2, R16, R17).
	GetByRegNo(sess *app.Session, regNo string) (models.Carrier, error)
	CheckDestroyable(sess *app.Session, id string) error
	FlagReturnToIssuer(sess *app.Session, id string, flag bool) (models.Carrier, error)
	RequestDestruction(sess *app.Session, in app.DestructionInput) (models.DestructionBatch, error)
	DecideDestruction(sess *app.Session, d app.DestructionDecision) (models.DestructionBatch, error)
	CompleteDestruction(sess *app.Session, batchID string, r app.DestructionRecord) (models.DestructionBatch, error)
	DestructionList(sess *app.Session, batchID string) (app.DestructionList, error)
	DestructionBatches(sess *app.Session) ([]models.DestructionBatch, error)

	// The register to and from Excel.
	ExportLedgerFile(sess *app.Session, q app.Query, path string, progress func(done, total int)) (int, error)
	ImportDryRun(sess *app.Session, t *app.ImportTable, m app.ImportMapping) (app.ImportReport, error)
	Import(sess *app.Session, t *app.ImportTable, m app.ImportMapping, progress func(done, total int)) (app.ImportReport, error)

	// The administrators' accounts, policy and settings.
	Users(sess *app.Session) ([]models.User, error)
	CreateUser(sess *app.Session, a app.NewAccount) (models.User, error)
	ResetPassword(sess *app.Session, id, temp string, confirm *app.Confirmation) error
	UnlockAccount(sess *app.Session, id string) error
	SetDisabled(sess *app.Session, id string, disabled bool) error
	SetRole(sess *app.Session, id string, role models.Role) error
	SetPolicy(sess *app.Session, p models.Policy) error
	SetOfficeName(sess *app.Session, name string) error

	// The auditor's trail.
	AuditTrail(sess *app.Session, q app.AuditQuery) ([]models.AuditRecord, int64, error)
	VerifyAudit(sess *app.Session) (app.AuditVerdict, error)
	VerifyAuditProgress(sess *app.Session, progress app.VerifyProgress) (app.AuditVerdict, error)
	ChainAlarm() string
	CurrentAuditSeal(sess *app.Session) (app.AuditSeal, error)
	CheckAuditSeal(sess *app.Session, text string) (bool, string, error)
	AcceptChain(sess *app.Session, reason string) error
	ExportAuditCSV(sess *app.Session, q app.AuditQuery, w io.Writer) (int, error)
	ExportAuditPDF(sess *app.Session, q app.AuditQuery, w io.Writer) (int, error)

	// Backups: the system administrator's; every home shows their age.
	Backup(sess *app.Session, dir string, secret app.BackupSecret, progress app.BackupProgress) (app.BackupRecord, error)
	VerifyBackup(sess *app.Session, file string, secret app.BackupSecret, recovery *backup.RecoverySecret, progress app.BackupProgress) (app.BackupInfo, error)
	Restore(sess *app.Session, in app.RestoreInput, progress app.BackupProgress) (app.RestoreReport, error)
	Rollbacks(sess *app.Session) ([]app.Rollback, error)
	RemoveRollback(sess *app.Session, name string) error
	RollbackKeep() int
	SetRollbackKeep(sess *app.Session, n int) error
	RecoveryKeyStatus(sess *app.Session) (app.RecoveryStatus, error)
	SetRecoveryKey(sess *app.Session, passphrase, again string) error
	CheckRecoveryPassphrase(sess *app.Session, passphrase string) error
	Backups(sess *app.Session, limit int) ([]app.BackupRecord, error)
	BackupStatus(sess *app.Session) (app.BackupStatus, error)
	SetBackupRemindDays(sess *app.Session, days int) error

	// Self-inspections (自查, R4, R19): the clerk's.
	InspectionsDue(sess *app.Session, today time.Time, periods map[models.Level]int) ([]app.InspectionDue, error)
	Inspections(sess *app.Session, custodian string) ([]models.Inspection, error)
	StartInspection(sess *app.Session, custodian string) (models.Inspection, error)
	TickFound(sess *app.Session, inspID, regNo string) (models.InspectionItem, error)
	InspectionResult(sess *app.Session, inspID string) (app.InspectionResult, error)
	Resolve(sess *app.Session, inspID, carrierID, note string) (models.InspectionItem, error)
	CloseInspection(sess *app.Session, inspID string) (app.InspectionResult, error)

	VoidReturnBatch(sess *app.Session, batchID, reason string) (models.ReturnBatch, error)

	// Printing forms and the register to PDF (recorded in the history).
	PrintToFile(sess *app.Session, form app.FormKind, id string, opt reports.Options, path string) (app.Printout, string, error)
	PrintRegisterToFile(sess *app.Session, q app.Query, opt reports.Options, path string) (app.Printout, string, error)
	InspectionPeriods(sess *app.Session) (map[models.Level]int, error)
	SetInspectionPeriod(sess *app.Session, level models.Level, months int) error

	// Handovers on a job change (交接, R5): the clerk's.
	Handover(sess *app.Session, in app.HandoverInput) (models.Handover, []models.HandoverItem, error)
	Handovers(sess *app.Session) ([]models.Handover, error)
	HandoverItems(sess *app.Session, handoverID string) ([]models.HandoverItem, error)

	// Return to the issuer (清退, R8, R16) and archiving (归档): the clerk's.
	ReturnCandidates(sess *app.Session) ([]app.ReturnCandidate, error)
	CreateReturnBatch(sess *app.Session, issuer string) (models.ReturnBatch, error)
	HandOverReturnBatch(sess *app.Session, batchID, handedTo, date string) (models.ReturnBatch, error)
	ReturnBatches(sess *app.Session) ([]models.ReturnBatch, error)
	ReturnList(sess *app.Session, batchID string) (app.ReturnList, error)
	Archive(sess *app.Session, carrierID, fileNo, note string) (models.Carrier, error)
	ArchiveOf(sess *app.Session, carrierID string) (models.Archive, error)
}

// activeService passes every call on to svc after reporting it to touch:
// whatever the window asks of the register is the person working, so it
// keeps the idle lock away. It holds svc as a field, not embedded, so that
// the compiler insists on every method being counted here.
type activeService struct {
	svc   Service
	touch func() // safe to call from any goroutine
}

var _ Service = (*activeService)(nil)

func (a *activeService) NeedsSetup() (bool, error) { a.touch(); return a.svc.NeedsSetup() }

func (a *activeService) Setup(in app.SetupInput) error { a.touch(); return a.svc.Setup(in) }

func (a *activeService) OfficeName() string { a.touch(); return a.svc.OfficeName() }

func (a *activeService) Policy() (models.Policy, error) { a.touch(); return a.svc.Policy() }

func (a *activeService) SignIn(login, password string) (*app.Session, bool, error) {
	a.touch()
	return a.svc.SignIn(login, password)
}

func (a *activeService) ChangePassword(sess *app.Session, old, new string) error {
	a.touch()
	return a.svc.ChangePassword(sess, old, new)
}

func (a *activeService) Lock(sess *app.Session, why string) error {
	a.touch()
	return a.svc.Lock(sess, why)
}

func (a *activeService) Unlock(sess *app.Session, password string) error {
	a.touch()
	return a.svc.Unlock(sess, password)
}

func (a *activeService) SignOut(sess *app.Session) error { a.touch(); return a.svc.SignOut(sess) }

func (a *activeService) Register(sess *app.Session, f models.CarrierForm) ([]models.Carrier, error) {
	a.touch()
	return a.svc.Register(sess, f)
}

func (a *activeService) Edit(sess *app.Session, id string, version int, f models.CarrierForm, reason string) (models.Carrier, error) {
	a.touch()
	return a.svc.Edit(sess, id, version, f, reason)
}

func (a *activeService) Void(sess *app.Session, id string, version int, reason string) error {
	a.touch()
	return a.svc.Void(sess, id, version, reason)
}

func (a *activeService) Get(sess *app.Session, id string) (models.Carrier, error) {
	a.touch()
	return a.svc.Get(sess, id)
}

func (a *activeService) History(sess *app.Session, id string) ([]models.CarrierEvent, error) {
	a.touch()
	return a.svc.History(sess, id)
}

func (a *activeService) CountUpTo(sess *app.Session, q app.Query, limit int) (int64, bool, error) {
	a.touch()
	return a.svc.CountUpTo(sess, q, limit)
}

func (a *activeService) Count(sess *app.Session, q app.Query) (int64, error) {
	a.touch()
	return a.svc.Count(sess, q)
}

func (a *activeService) Page(sess *app.Session, q app.Query, offset, limit int) ([]models.Carrier, error) {
	a.touch()
	return a.svc.Page(sess, q, offset, limit)
}

func (a *activeService) Stats(sess *app.Session) (app.Stats, error) {
	a.touch()
	return a.svc.Stats(sess)
}

func (a *activeService) People(sess *app.Session) ([]string, error) {
	a.touch()
	return a.svc.People(sess)
}

func (a *activeService) Issuers(sess *app.Session) ([]string, error) {
	a.touch()
	return a.svc.Issuers(sess)
}

func (a *activeService) Years(sess *app.Session) ([]int, error) { a.touch(); return a.svc.Years(sess) }

func (a *activeService) Approvers(sess *app.Session) ([]models.Approver, error) {
	a.touch()
	return a.svc.Approvers(sess)
}

func (a *activeService) AddApprover(sess *app.Session, in app.ApproverInput) (models.Approver, error) {
	a.touch()
	return a.svc.AddApprover(sess, in)
}

func (a *activeService) UpdateApprover(sess *app.Session, id string, in app.ApproverInput) (models.Approver, error) {
	a.touch()
	return a.svc.UpdateApprover(sess, id, in)
}

func (a *activeService) TopSecretCopyAllowed() bool { a.touch(); return a.svc.TopSecretCopyAllowed() }

func (a *activeService) SetTopSecretCopyAllowed(sess *app.Session, allowed bool) error {
	a.touch()
	return a.svc.SetTopSecretCopyAllowed(sess, allowed)
}

func (a *activeService) RequestCopy(sess *app.Session, in app.CopyRequestInput) (models.CopyRequest, error) {
	a.touch()
	return a.svc.RequestCopy(sess, in)
}

func (a *activeService) DecideCopy(sess *app.Session, d app.CopyDecision) (models.CopyRequest, []models.Carrier, error) {
	a.touch()
	return a.svc.DecideCopy(sess, d)
}

func (a *activeService) CopyRequests(sess *app.Session, carrierID string) ([]models.CopyRequest, error) {
	a.touch()
	return a.svc.CopyRequests(sess, carrierID)
}

func (a *activeService) PendingCopyRequests(sess *app.Session) ([]models.CopyRequest, error) {
	a.touch()
	return a.svc.PendingCopyRequests(sess)
}

func (a *activeService) OutstandingCopies(sess *app.Session, originalID string) ([]models.Carrier, error) {
	a.touch()
	return a.svc.OutstandingCopies(sess, originalID)
}

func (a *activeService) RequestLoan(sess *app.Session, in app.LoanInput) (models.Loan, error) {
	a.touch()
	return a.svc.RequestLoan(sess, in)
}

func (a *activeService) DecideLoan(sess *app.Session, d app.LoanDecision) (models.Loan, error) {
	a.touch()
	return a.svc.DecideLoan(sess, d)
}

func (a *activeService) ReturnLoan(sess *app.Session, loanID, check, note, returnedOn string) (models.Loan, error) {
	a.touch()
	return a.svc.ReturnLoan(sess, loanID, check, note, returnedOn)
}

func (a *activeService) OverdueLoans(sess *app.Session, today time.Time) ([]app.OverdueLoan, error) {
	a.touch()
	return a.svc.OverdueLoans(sess, today)
}

func (a *activeService) Loans(sess *app.Session, carrierID string) ([]models.Loan, error) {
	a.touch()
	return a.svc.Loans(sess, carrierID)
}

func (a *activeService) PendingLoans(sess *app.Session) ([]models.Loan, error) {
	a.touch()
	return a.svc.PendingLoans(sess)
}

func (a *activeService) CheckDestroyable(sess *app.Session, id string) error {
	a.touch()
	return a.svc.CheckDestroyable(sess, id)
}

func (a *activeService) GetByRegNo(sess *app.Session, regNo string) (models.Carrier, error) {
	a.touch()
	return a.svc.GetByRegNo(sess, regNo)
}

func (a *activeService) FlagReturnToIssuer(sess *app.Session, id string, flag bool) (models.Carrier, error) {
	a.touch()
	return a.svc.FlagReturnToIssuer(sess, id, flag)
}

func (a *activeService) RequestDestruction(sess *app.Session, in app.DestructionInput) (models.DestructionBatch, error) {
	a.touch()
	return a.svc.RequestDestruction(sess, in)
}

func (a *activeService) DecideDestruction(sess *app.Session, d app.DestructionDecision) (models.DestructionBatch, error) {
	a.touch()
	return a.svc.DecideDestruction(sess, d)
}

func (a *activeService) CompleteDestruction(sess *app.Session, batchID string, r app.DestructionRecord) (models.DestructionBatch, error) {
	a.touch()
	return a.svc.CompleteDestruction(sess, batchID, r)
}

func (a *activeService) DestructionList(sess *app.Session, batchID string) (app.DestructionList, error) {
	a.touch()
	return a.svc.DestructionList(sess, batchID)
}

func (a *activeService) DestructionBatches(sess *app.Session) ([]models.DestructionBatch, error) {
	a.touch()
	return a.svc.DestructionBatches(sess)
}

func (a *activeService) ExportLedgerFile(sess *app.Session, q app.Query, path string, progress func(done, total int)) (int, error) {
	a.touch()
	defer a.touch()
	return a.svc.ExportLedgerFile(sess, q, path, progress)
}

func (a *activeService) ImportDryRun(sess *app.Session, t *app.ImportTable, m app.ImportMapping) (app.ImportReport, error) {
	a.touch()
	defer a.touch()
	return a.svc.ImportDryRun(sess, t, m)
}

func (a *activeService) Import(sess *app.Session, t *app.ImportTable, m app.ImportMapping, progress func(done, total int)) (app.ImportReport, error) {
	a.touch()
	defer a.touch()
	return a.svc.Import(sess, t, m, progress)
}

func (a *activeService) Users(sess *app.Session) ([]models.User, error) {
	a.touch()
	return a.svc.Users(sess)
}

func (a *activeService) CreateUser(sess *app.Session, n app.NewAccount) (models.User, error) {
	a.touch()
	return a.svc.CreateUser(sess, n)
}

func (a *activeService) ResetPassword(sess *app.Session, id, temp string, confirm *app.Confirmation) error {
	a.touch()
	return a.svc.ResetPassword(sess, id, temp, confirm)
}

func (a *activeService) UnlockAccount(sess *app.Session, id string) error {
	a.touch()
	return a.svc.UnlockAccount(sess, id)
}

func (a *activeService) SetDisabled(sess *app.Session, id string, disabled bool) error {
	a.touch()
	return a.svc.SetDisabled(sess, id, disabled)
}

func (a *activeService) SetRole(sess *app.Session, id string, role models.Role) error {
	a.touch()
	return a.svc.SetRole(sess, id, role)
}

func (a *activeService) SetPolicy(sess *app.Session, p models.Policy) error {
	a.touch()
	return a.svc.SetPolicy(sess, p)
}

func (a *activeService) SetOfficeName(sess *app.Session, name string) error {
	a.touch()
	return a.svc.SetOfficeName(sess, name)
}

func (a *activeService) AuditTrail(sess *app.Session, q app.AuditQuery) ([]models.AuditRecord, int64, error) {
	a.touch()
	return a.svc.AuditTrail(sess, q)
}

func (a *activeService) VerifyAudit(sess *app.Session) (app.AuditVerdict, error) {
	a.touch()
	return a.svc.VerifyAudit(sess)
}

func (a *activeService) VerifyAuditProgress(sess *app.Session, progress app.VerifyProgress) (app.AuditVerdict, error) {
	a.touch()
	return a.svc.VerifyAuditProgress(sess, progress)
}

func (a *activeService) ChainAlarm() string { return a.svc.ChainAlarm() }

func (a *activeService) CurrentAuditSeal(sess *app.Session) (app.AuditSeal, error) {
	a.touch()
	return a.svc.CurrentAuditSeal(sess)
}

func (a *activeService) CheckAuditSeal(sess *app.Session, text string) (bool, string, error) {
	a.touch()
	return a.svc.CheckAuditSeal(sess, text)
}

func (a *activeService) AcceptChain(sess *app.Session, reason string) error {
	a.touch()
	return a.svc.AcceptChain(sess, reason)
}

func (a *activeService) ExportAuditCSV(sess *app.Session, q app.AuditQuery, w io.Writer) (int, error) {
	a.touch()
	return a.svc.ExportAuditCSV(sess, q, w)
}

func (a *activeService) ExportAuditPDF(sess *app.Session, q app.AuditQuery, w io.Writer) (int, error) {
	a.touch()
	return a.svc.ExportAuditPDF(sess, q, w)
}

// busy passes progress on, counting each report as activity: a backup or a
// restore of a large register takes minutes with nobody touching anything.
func (a *activeService) busy(progress app.BackupProgress) app.BackupProgress {
	return func(stage string, f float64) {
		a.touch()
		if progress != nil {
			progress(stage, f)
		}
	}
}

func (a *activeService) Backup(sess *app.Session, dir string, secret app.BackupSecret, progress app.BackupProgress) (app.BackupRecord, error) {
	a.touch()
	defer a.touch()
	return a.svc.Backup(sess, dir, secret, a.busy(progress))
}

func (a *activeService) VerifyBackup(sess *app.Session, file string, secret app.BackupSecret, recovery *backup.RecoverySecret, progress app.BackupProgress) (app.BackupInfo, error) {
	a.touch()
	defer a.touch()
	return a.svc.VerifyBackup(sess, file, secret, recovery, a.busy(progress))
}

func (a *activeService) Restore(sess *app.Session, in app.RestoreInput, progress app.BackupProgress) (app.RestoreReport, error) {
	a.touch()
	defer a.touch()
	return a.svc.Restore(sess, in, a.busy(progress))
}

func (a *activeService) Rollbacks(sess *app.Session) ([]app.Rollback, error) {
	a.touch()
	return a.svc.Rollbacks(sess)
}

func (a *activeService) RemoveRollback(sess *app.Session, name string) error {
	a.touch()
	return a.svc.RemoveRollback(sess, name)
}

func (a *activeService) RollbackKeep() int { return a.svc.RollbackKeep() }

func (a *activeService) SetRollbackKeep(sess *app.Session, n int) error {
	a.touch()
	return a.svc.SetRollbackKeep(sess, n)
}

func (a *activeService) RecoveryKeyStatus(sess *app.Session) (app.RecoveryStatus, error) {
	a.touch()
	return a.svc.RecoveryKeyStatus(sess)
}

func (a *activeService) SetRecoveryKey(sess *app.Session, passphrase, again string) error {
	a.touch()
	return a.svc.SetRecoveryKey(sess, passphrase, again)
}

func (a *activeService) CheckRecoveryPassphrase(sess *app.Session, passphrase string) error {
	a.touch()
	return a.svc.CheckRecoveryPassphrase(sess, passphrase)
}

func (a *activeService) Backups(sess *app.Session, limit int) ([]app.BackupRecord, error) {
	a.touch()
	return a.svc.Backups(sess, limit)
}

func (a *activeService) BackupStatus(sess *app.Session) (app.BackupStatus, error) {
	a.touch()
	return a.svc.BackupStatus(sess)
}

func (a *activeService) SetBackupRemindDays(sess *app.Session, days int) error {
	a.touch()
	return a.svc.SetBackupRemindDays(sess, days)
}

func (a *activeService) ExpiringTerms(sess *app.Session, today time.Time, withinMonths int) ([]app.TermDue, error) {
	a.touch()
	return a.svc.ExpiringTerms(sess, today, withinMonths)
}

func (a *activeService) ChangeSecrecy(sess *app.Session, in app.TermChange) (models.Carrier, error) {
	a.touch()
	return a.svc.ChangeSecrecy(sess, in)
}

func (a *activeService) SecrecyChanges(sess *app.Session, carrierID string) ([]models.SecrecyChange, error) {
	a.touch()
	return a.svc.SecrecyChanges(sess, carrierID)
}

func (a *activeService) StartCirculation(sess *app.Session, carrierID, proposedHandling string, route []models.Reader) (models.Circulation, error) {
	a.touch()
	return a.svc.StartCirculation(sess, carrierID, proposedHandling, route)
}

func (a *activeService) SignOutToReader(sess *app.Session, circID, reader string, at time.Time) (models.Circulation, error) {
	a.touch()
	return a.svc.SignOutToReader(sess, circID, reader, at)
}

func (a *activeService) SignBack(sess *app.Session, circID string, at time.Time, countOK bool, discrepancy string) (models.Circulation, error) {
	a.touch()
	return a.svc.SignBack(sess, circID, at, countOK, discrepancy)
}

func (a *activeService) RecordInstruction(sess *app.Session, circID, instruction, result string) (models.Circulation, error) {
	a.touch()
	return a.svc.RecordInstruction(sess, circID, instruction, result)
}

func (a *activeService) CloseCirculation(sess *app.Session, circID, note string) (models.Circulation, error) {
	a.touch()
	return a.svc.CloseCirculation(sess, circID, note)
}

func (a *activeService) WhereIs(sess *app.Session, carrierID string) (app.Whereabouts, error) {
	a.touch()
	return a.svc.WhereIs(sess, carrierID)
}

func (a *activeService) Circulations(sess *app.Session, carrierID string) ([]models.Circulation, error) {
	a.touch()
	return a.svc.Circulations(sess, carrierID)
}

func (a *activeService) OverdueHandling(sess *app.Session, now time.Time, th app.HandlingThresholds) ([]app.OverdueIncoming, error) {
	a.touch()
	return a.svc.OverdueHandling(sess, now, th)
}

func (a *activeService) InspectionsDue(sess *app.Session, today time.Time, periods map[models.Level]int) ([]app.InspectionDue, error) {
	a.touch()
	return a.svc.InspectionsDue(sess, today, periods)
}

func (a *activeService) Inspections(sess *app.Session, custodian string) ([]models.Inspection, error) {
	a.touch()
	return a.svc.Inspections(sess, custodian)
}

func (a *activeService) StartInspection(sess *app.Session, custodian string) (models.Inspection, error) {
	a.touch()
	return a.svc.StartInspection(sess, custodian)
}

func (a *activeService) TickFound(sess *app.Session, inspID, regNo string) (models.InspectionItem, error) {
	a.touch()
	return a.svc.TickFound(sess, inspID, regNo)
}

func (a *activeService) InspectionResult(sess *app.Session, inspID string) (app.InspectionResult, error) {
	a.touch()
	return a.svc.InspectionResult(sess, inspID)
}

func (a *activeService) Resolve(sess *app.Session, inspID, carrierID, note string) (models.InspectionItem, error) {
	a.touch()
	return a.svc.Resolve(sess, inspID, carrierID, note)
}

func (a *activeService) CloseInspection(sess *app.Session, inspID string) (app.InspectionResult, error) {
	a.touch()
	return a.svc.CloseInspection(sess, inspID)
}

func (a *activeService) InspectionPeriods(sess *app.Session) (map[models.Level]int, error) {
	a.touch()
	return a.svc.InspectionPeriods(sess)
}

func (a *activeService) SetInspectionPeriod(sess *app.Session, level models.Level, months int) error {
	a.touch()
	return a.svc.SetInspectionPeriod(sess, level, months)
}

func (a *activeService) Handover(sess *app.Session, in app.HandoverInput) (models.Handover, []models.HandoverItem, error) {
	a.touch()
	return a.svc.Handover(sess, in)
}

func (a *activeService) Handovers(sess *app.Session) ([]models.Handover, error) {
	a.touch()
	return a.svc.Handovers(sess)
}

func (a *activeService) HandoverItems(sess *app.Session, handoverID string) ([]models.HandoverItem, error) {
	a.touch()
	return a.svc.HandoverItems(sess, handoverID)
}

func (a *activeService) ReturnCandidates(sess *app.Session) ([]app.ReturnCandidate, error) {
	a.touch()
	return a.svc.ReturnCandidates(sess)
}

func (a *activeService) CreateReturnBatch(sess *app.Session, issuer string) (models.ReturnBatch, error) {
	a.touch()
	return a.svc.CreateReturnBatch(sess, issuer)
}

func (a *activeService) HandOverReturnBatch(sess *app.Session, batchID, handedTo, date string) (models.ReturnBatch, error) {
	a.touch()
	return a.svc.HandOverReturnBatch(sess, batchID, handedTo, date)
}

func (a *activeService) ReturnBatches(sess *app.Session) ([]models.ReturnBatch, error) {
	a.touch()
	return a.svc.ReturnBatches(sess)
}

func (a *activeService) ReturnList(sess *app.Session, batchID string) (app.ReturnList, error) {
	a.touch()
	return a.svc.ReturnList(sess, batchID)
}

func (a *activeService) Archive(sess *app.Session, carrierID, fileNo, note string) (models.Carrier, error) {
	a.touch()
	return a.svc.Archive(sess, carrierID, fileNo, note)
}

func (a *activeService) ArchiveOf(sess *app.Session, carrierID string) (models.Archive, error) {
	a.touch()
	return a.svc.ArchiveOf(sess, carrierID)
}

func (a *activeService) PrintToFile(sess *app.Session, form app.FormKind, id string, opt reports.Options, path string) (app.Printout, string, error) {
	a.touch()
	return a.svc.PrintToFile(sess, form, id, opt, path)
}

func (a *activeService) PrintRegisterToFile(sess *app.Session, q app.Query, opt reports.Options, path string) (app.Printout, string, error) {
	a.touch()
	return a.svc.PrintRegisterToFile(sess, q, opt, path)
}

func (a *activeService) VoidReturnBatch(sess *app.Session, batchID, reason string) (models.ReturnBatch, error) {
	a.touch()
	return a.svc.VoidReturnBatch(sess, batchID, reason)
}
