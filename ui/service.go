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
	EditRegistration(sess *app.Session, id string, version int, f models.CarrierForm, reason string) ([]models.Carrier, error)
	Void(sess *app.Session, id string, version int, reason string) error
	Get(sess *app.Session, id string) (models.Carrier, error)
	History(sess *app.Session, id string) ([]models.CarrierEvent, error)
	Count(sess *app.Session, q app.Query) (int64, error)
	CountUpTo(sess *app.Session, q app.Query, limit int) (int64, bool, error)
	Page(sess *app.Session, q app.Query, offset, limit int) ([]models.Carrier, error)
	Stats(sess *app.Session) (app.Stats, error)
	// ChangeCount reads no database: it grows with each committed change of
	// the kinds named, so that a screen shown again loads only what changed.
	ChangeCount(kinds ...app.ChangeKind) uint64
	Issuers(sess *app.Session) ([]string, error)
	People(sess *app.Session) ([]string, error)
	Years(sess *app.Session) ([]int, error)

	// Approvers and copying (R1, R9, R16).
	Approvers(sess *app.Session) ([]models.Approver, error)
	AddApprover(sess *app.Session, in app.ApproverInput) (models.Approver, error)
	UpdateApprover(sess *app.Session, id string, in app.ApproverInput) (models.Approver, error)
	TopSecretCopyAllowed() bool
	SetTopSecretCopyAllowed(sess *app.Session, allowed bool) error
	OriginalClassLevel() models.Level
	SetOriginalClassLevel(sess *app.Session, l models.Level) error
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
	OverdueHandling(sess *app.Session, now time.Time, th app.HandlingThresholds, limit int) ([]app.OverdueIncoming, int, error)

	// Secrecy terms: warnings and recorded changes (R15, R16).
	ExpiringTerms(sess *app.Session, today time.Time, withinMonths, limit int) ([]app.TermDue, int, error)
	ChangeSecrecy(sess *app.Session, in app.TermChange) (models.Carrier, error)
	SecrecyChanges(sess *app.Session, carrierID string) ([]models.SecrecyChange, error)

	// 定密 of the office's own documents (R24).
	ProposeClassification(sess *app.Session, in app.ClassifyInput) (models.Classification, error)
	DecideClassification(sess *app.Session, d app.ClassDecision) (models.Classification, error)
	ClassificationOf(sess *app.Session, carrierID string) (*models.Classification, error)
	RecordSuperiorDecision(sess *app.Session, d app.SuperiorDecision) (models.Classification, error)

	// The working calendar, handling acts, loan limits, temporary handovers and the people list (R27).
	Urges(sess *app.Session, now time.Time, limit int) ([]app.UrgeLine, []app.UrgeLine, int, int, error)
	RemindHours() int
	SetRemindHours(sess *app.Session, hours int) error
	PeopleList(sess *app.Session) ([]models.Person, error)
	PersonDuplicates(sess *app.Session) ([][]models.Person, error)
	SavePerson(sess *app.Session, in app.PersonInput) (models.Person, error)
	SetPersonGrade(sess *app.Session, id string, g models.PersonGrade) error
	MergePerson(sess *app.Session, keepID, dropID string) (int, error)
	ReturnHandover(sess *app.Session, handoverID, witness, on string) (models.Handover, []models.HandoverItem, error)
	TemporaryOpen(sess *app.Session) ([]models.Handover, error)
	LoanDays(l models.Level, k models.LoanKind) int
	SetLoanDays(sess *app.Session, l models.Level, days int) error
	Calendar() (models.Calendar, error)
	CalendarYear(sess *app.Session, year int) ([]app.CalendarEntry, error)
	SetCalendarDay(sess *app.Session, day string, kind models.DayKind, name string) error
	RecordHandling(sess *app.Session, carrierID string, kind models.HandlingKind, to, note string) (models.Handling, error)

	// 印制 and 分发 of the office's own documents (R25).
	RecordPrinting(sess *app.Session, in app.PrintingInput) (models.Printing, error)
	PrintingOf(sess *app.Session, carrierID string) (*models.Printing, error)
	AddDispatchLine(sess *app.Session, in app.DispatchLineInput) (models.DispatchLine, error)
	DispatchLines(sess *app.Session, carrierID string) ([]models.DispatchLine, error)
	Unsent(sess *app.Session, carrierID string) ([]models.Carrier, error)
	Send(sess *app.Session, in app.SendInput) ([]models.Sending, error)
	RecordReceipt(sess *app.Session, in app.ReceiptInput) (models.Sending, error)
	ReturnSent(sess *app.Session, sendingID, on, note string) (models.Sending, error)
	SendingsOf(sess *app.Session, carrierID string) ([]app.SendingRow, error)
	OverdueReceipts(sess *app.Session, limit int) ([]app.SendingRow, int, error)
	AwaitingClassification(sess *app.Session, limit int) ([]app.OwnDocument, int, error)
	AwaitingDispatch(sess *app.Session, limit int) ([]app.OwnDocument, int, error)
	ReceiptCutoff() string
	ReceiptDays() int
	SetReceiptDays(sess *app.Session, days int) error

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
	Upgraded() *app.Upgrade
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

	// The year in numbers (R26): the clerk's and the security officer's.
	Annual(sess *app.Session, year int) (app.AnnualReport, error)
	AnnualList(sess *app.Session, year int, key string, offset, limit int) ([]app.AnnualRow, int, error)
	PrintAnnualToFile(sess *app.Session, year int, opt reports.Options, path string) (app.Printout, string, error)
	ExportAnnualFile(sess *app.Session, year int, path string) (int, error)

	// Printing forms and the register to PDF (recorded in the history).
	PrintToFile(sess *app.Session, form app.FormKind, id string, opt reports.Options, path string) (app.Printout, string, error)
	PrintRegisterToFile(sess *app.Session, q app.Query, opt reports.Options, path string) (app.Printout, string, error)
	DefaultMarking(sess *app.Session, form app.FormKind, id string, q app.Query) (string, error)
	ReviewCount(sess *app.Session, year int) (int64, error)
	ReviewPage(sess *app.Session, year, offset, limit int) ([]app.ReviewRow, error)
	KeepTerm(sess *app.Session, in app.ReviewInput) (models.TermReview, error)
	PrintBookToFile(sess *app.Session, kind app.BookKind, from, to string, opt reports.Options, path string) (app.Printout, string, error)
	ExportBookFile(sess *app.Session, kind app.BookKind, from, to string, opt reports.Options, path string) (int, error)
	WriteInspectorCopy(sess *app.Session, year int, dir, classifier string, progress func(done, total int)) (app.InspectorCopy, error)
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
