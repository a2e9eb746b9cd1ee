package ui

// Code generated from the Service interface (service.go); DO NOT EDIT by hand:
// add a method here when the interface gains one (the build fails until then).

import (
	"io"
	"time"

	"secdoc/app"
	"secdoc/app/backup"
	"secdoc/models"
	"secdoc/reports"
)

// countingService counts the calls the window makes of every use case that
// reads or writes the register (not ChangeCount, which reads a counter).
type countingService struct {
	s     *app.Service
	calls map[string]int
}

var _ Service = (*countingService)(nil)

func (c *countingService) NeedsSetup() (bool, error) {
	c.calls["NeedsSetup"]++
	return c.s.NeedsSetup()
}

func (c *countingService) Setup(a0 app.SetupInput) error {
	c.calls["Setup"]++
	return c.s.Setup(a0)
}

func (c *countingService) OfficeName() string {
	c.calls["OfficeName"]++
	return c.s.OfficeName()
}

func (c *countingService) Policy() (models.Policy, error) {
	c.calls["Policy"]++
	return c.s.Policy()
}

func (c *countingService) SignIn(a0 string, a1 string) (*app.Session, bool, error) {
	c.calls["SignIn"]++
	return c.s.SignIn(a0, a1)
}

func (c *countingService) ChangePassword(a0 *app.Session, a1 string, a2 string) error {
	c.calls["ChangePassword"]++
	return c.s.ChangePassword(a0, a1, a2)
}

func (c *countingService) Lock(a0 *app.Session, a1 string) error {
	c.calls["Lock"]++
	return c.s.Lock(a0, a1)
}

func (c *countingService) Unlock(a0 *app.Session, a1 string) error {
	c.calls["Unlock"]++
	return c.s.Unlock(a0, a1)
}

func (c *countingService) SignOut(a0 *app.Session) error {
	c.calls["SignOut"]++
	return c.s.SignOut(a0)
}

func (c *countingService) Register(a0 *app.Session, a1 models.CarrierForm) ([]models.Carrier, error) {
	c.calls["Register"]++
	return c.s.Register(a0, a1)
}

func (c *countingService) Edit(a0 *app.Session, a1 string, a2 int, a3 models.CarrierForm, a4 string) (models.Carrier, error) {
	c.calls["Edit"]++
	return c.s.Edit(a0, a1, a2, a3, a4)
}

func (c *countingService) EditRegistration(a0 *app.Session, a1 string, a2 int, a3 models.CarrierForm, a4 string) ([]models.Carrier, error) {
	c.calls["EditRegistration"]++
	return c.s.EditRegistration(a0, a1, a2, a3, a4)
}

func (c *countingService) Void(a0 *app.Session, a1 string, a2 int, a3 string) error {
	c.calls["Void"]++
	return c.s.Void(a0, a1, a2, a3)
}

func (c *countingService) Get(a0 *app.Session, a1 string) (models.Carrier, error) {
	c.calls["Get"]++
	return c.s.Get(a0, a1)
}

func (c *countingService) History(a0 *app.Session, a1 string) ([]models.CarrierEvent, error) {
	c.calls["History"]++
	return c.s.History(a0, a1)
}

func (c *countingService) Count(a0 *app.Session, a1 app.Query) (int64, error) {
	c.calls["Count"]++
	return c.s.Count(a0, a1)
}

func (c *countingService) CountUpTo(a0 *app.Session, a1 app.Query, a2 int) (int64, bool, error) {
	c.calls["CountUpTo"]++
	return c.s.CountUpTo(a0, a1, a2)
}

func (c *countingService) Page(a0 *app.Session, a1 app.Query, a2 int, a3 int) ([]models.Carrier, error) {
	c.calls["Page"]++
	return c.s.Page(a0, a1, a2, a3)
}

func (c *countingService) Stats(a0 *app.Session) (app.Stats, error) {
	c.calls["Stats"]++
	return c.s.Stats(a0)
}

func (c *countingService) ChangeCount(a0 ...app.ChangeKind) uint64 {
	return c.s.ChangeCount(a0...)
}

func (c *countingService) Issuers(a0 *app.Session) ([]string, error) {
	c.calls["Issuers"]++
	return c.s.Issuers(a0)
}

func (c *countingService) People(a0 *app.Session) ([]string, error) {
	c.calls["People"]++
	return c.s.People(a0)
}

func (c *countingService) Years(a0 *app.Session) ([]int, error) {
	c.calls["Years"]++
	return c.s.Years(a0)
}

func (c *countingService) Approvers(a0 *app.Session) ([]models.Approver, error) {
	c.calls["Approvers"]++
	return c.s.Approvers(a0)
}

func (c *countingService) AddApprover(a0 *app.Session, a1 app.ApproverInput) (models.Approver, error) {
	c.calls["AddApprover"]++
	return c.s.AddApprover(a0, a1)
}

func (c *countingService) UpdateApprover(a0 *app.Session, a1 string, a2 app.ApproverInput) (models.Approver, error) {
	c.calls["UpdateApprover"]++
	return c.s.UpdateApprover(a0, a1, a2)
}

func (c *countingService) TopSecretCopyAllowed() bool {
	c.calls["TopSecretCopyAllowed"]++
	return c.s.TopSecretCopyAllowed()
}

func (c *countingService) SetTopSecretCopyAllowed(a0 *app.Session, a1 bool) error {
	c.calls["SetTopSecretCopyAllowed"]++
	return c.s.SetTopSecretCopyAllowed(a0, a1)
}

func (c *countingService) OriginalClassLevel() models.Level {
	c.calls["OriginalClassLevel"]++
	return c.s.OriginalClassLevel()
}

func (c *countingService) SetOriginalClassLevel(a0 *app.Session, a1 models.Level) error {
	c.calls["SetOriginalClassLevel"]++
	return c.s.SetOriginalClassLevel(a0, a1)
}

func (c *countingService) RequestCopy(a0 *app.Session, a1 app.CopyRequestInput) (models.CopyRequest, error) {
	c.calls["RequestCopy"]++
	return c.s.RequestCopy(a0, a1)
}

func (c *countingService) DecideCopy(a0 *app.Session, a1 app.CopyDecision) (models.CopyRequest, []models.Carrier, error) {
	c.calls["DecideCopy"]++
	return c.s.DecideCopy(a0, a1)
}

func (c *countingService) CopyRequests(a0 *app.Session, a1 string) ([]models.CopyRequest, error) {
	c.calls["CopyRequests"]++
	return c.s.CopyRequests(a0, a1)
}

func (c *countingService) PendingCopyRequests(a0 *app.Session) ([]models.CopyRequest, error) {
	c.calls["PendingCopyRequests"]++
	return c.s.PendingCopyRequests(a0)
}

func (c *countingService) OutstandingCopies(a0 *app.Session, a1 string) ([]models.Carrier, error) {
	c.calls["OutstandingCopies"]++
	return c.s.OutstandingCopies(a0, a1)
}

func (c *countingService) RequestLoan(a0 *app.Session, a1 app.LoanInput) (models.Loan, error) {
	c.calls["RequestLoan"]++
	return c.s.RequestLoan(a0, a1)
}

func (c *countingService) DecideLoan(a0 *app.Session, a1 app.LoanDecision) (models.Loan, error) {
	c.calls["DecideLoan"]++
	return c.s.DecideLoan(a0, a1)
}

func (c *countingService) ReturnLoan(a0 *app.Session, a1 string, a2 string, a3 string, a4 string) (models.Loan, error) {
	c.calls["ReturnLoan"]++
	return c.s.ReturnLoan(a0, a1, a2, a3, a4)
}

func (c *countingService) OverdueLoans(a0 *app.Session, a1 time.Time) ([]app.OverdueLoan, error) {
	c.calls["OverdueLoans"]++
	return c.s.OverdueLoans(a0, a1)
}

func (c *countingService) Loans(a0 *app.Session, a1 string) ([]models.Loan, error) {
	c.calls["Loans"]++
	return c.s.Loans(a0, a1)
}

func (c *countingService) PendingLoans(a0 *app.Session) ([]models.Loan, error) {
	c.calls["PendingLoans"]++
	return c.s.PendingLoans(a0)
}

func (c *countingService) StartCirculation(a0 *app.Session, a1 string, a2 string, a3 []models.Reader) (models.Circulation, error) {
	c.calls["StartCirculation"]++
	return c.s.StartCirculation(a0, a1, a2, a3)
}

func (c *countingService) SignOutToReader(a0 *app.Session, a1 string, a2 string, a3 time.Time) (models.Circulation, error) {
	c.calls["SignOutToReader"]++
	return c.s.SignOutToReader(a0, a1, a2, a3)
}

func (c *countingService) SignBack(a0 *app.Session, a1 string, a2 time.Time, a3 bool, a4 string) (models.Circulation, error) {
	c.calls["SignBack"]++
	return c.s.SignBack(a0, a1, a2, a3, a4)
}

func (c *countingService) RecordInstruction(a0 *app.Session, a1 string, a2 string, a3 string) (models.Circulation, error) {
	c.calls["RecordInstruction"]++
	return c.s.RecordInstruction(a0, a1, a2, a3)
}

func (c *countingService) CloseCirculation(a0 *app.Session, a1 string, a2 string) (models.Circulation, error) {
	c.calls["CloseCirculation"]++
	return c.s.CloseCirculation(a0, a1, a2)
}

func (c *countingService) WhereIs(a0 *app.Session, a1 string) (app.Whereabouts, error) {
	c.calls["WhereIs"]++
	return c.s.WhereIs(a0, a1)
}

func (c *countingService) Circulations(a0 *app.Session, a1 string) ([]models.Circulation, error) {
	c.calls["Circulations"]++
	return c.s.Circulations(a0, a1)
}

func (c *countingService) OverdueHandling(a0 *app.Session, a1 time.Time, a2 app.HandlingThresholds, a3 int) ([]app.OverdueIncoming, int, error) {
	c.calls["OverdueHandling"]++
	return c.s.OverdueHandling(a0, a1, a2, a3)
}

func (c *countingService) ExpiringTerms(a0 *app.Session, a1 time.Time, a2 int, a3 int) ([]app.TermDue, int, error) {
	c.calls["ExpiringTerms"]++
	return c.s.ExpiringTerms(a0, a1, a2, a3)
}

func (c *countingService) ChangeSecrecy(a0 *app.Session, a1 app.TermChange) (models.Carrier, error) {
	c.calls["ChangeSecrecy"]++
	return c.s.ChangeSecrecy(a0, a1)
}

func (c *countingService) SecrecyChanges(a0 *app.Session, a1 string) ([]models.SecrecyChange, error) {
	c.calls["SecrecyChanges"]++
	return c.s.SecrecyChanges(a0, a1)
}

func (c *countingService) ProposeClassification(a0 *app.Session, a1 app.ClassifyInput) (models.Classification, error) {
	c.calls["ProposeClassification"]++
	return c.s.ProposeClassification(a0, a1)
}

func (c *countingService) DecideClassification(a0 *app.Session, a1 app.ClassDecision) (models.Classification, error) {
	c.calls["DecideClassification"]++
	return c.s.DecideClassification(a0, a1)
}

func (c *countingService) ClassificationOf(a0 *app.Session, a1 string) (*models.Classification, error) {
	c.calls["ClassificationOf"]++
	return c.s.ClassificationOf(a0, a1)
}

func (c *countingService) RecordSuperiorDecision(a0 *app.Session, a1 app.SuperiorDecision) (models.Classification, error) {
	c.calls["RecordSuperiorDecision"]++
	return c.s.RecordSuperiorDecision(a0, a1)
}

func (c *countingService) Urges(a0 *app.Session, a1 time.Time, a2 int) ([]app.UrgeLine, []app.UrgeLine, int, int, error) {
	c.calls["Urges"]++
	return c.s.Urges(a0, a1, a2)
}

func (c *countingService) RemindHours() int {
	c.calls["RemindHours"]++
	return c.s.RemindHours()
}

func (c *countingService) SetRemindHours(a0 *app.Session, a1 int) error {
	c.calls["SetRemindHours"]++
	return c.s.SetRemindHours(a0, a1)
}

func (c *countingService) PeopleList(a0 *app.Session) ([]models.Person, error) {
	c.calls["PeopleList"]++
	return c.s.PeopleList(a0)
}

func (c *countingService) PersonDuplicates(a0 *app.Session) ([][]models.Person, error) {
	c.calls["PersonDuplicates"]++
	return c.s.PersonDuplicates(a0)
}

func (c *countingService) SavePerson(a0 *app.Session, a1 app.PersonInput) (models.Person, error) {
	c.calls["SavePerson"]++
	return c.s.SavePerson(a0, a1)
}

func (c *countingService) SetPersonGrade(a0 *app.Session, a1 string, a2 models.PersonGrade) error {
	c.calls["SetPersonGrade"]++
	return c.s.SetPersonGrade(a0, a1, a2)
}

func (c *countingService) MergePerson(a0 *app.Session, a1 string, a2 string) (int, error) {
	c.calls["MergePerson"]++
	return c.s.MergePerson(a0, a1, a2)
}

func (c *countingService) ReturnHandover(a0 *app.Session, a1 string, a2 string, a3 string) (models.Handover, []models.HandoverItem, error) {
	c.calls["ReturnHandover"]++
	return c.s.ReturnHandover(a0, a1, a2, a3)
}

func (c *countingService) TemporaryOpen(a0 *app.Session) ([]models.Handover, error) {
	c.calls["TemporaryOpen"]++
	return c.s.TemporaryOpen(a0)
}

func (c *countingService) LoanDays(a0 models.Level, a1 models.LoanKind) int {
	c.calls["LoanDays"]++
	return c.s.LoanDays(a0, a1)
}

func (c *countingService) SetLoanDays(a0 *app.Session, a1 models.Level, a2 int) error {
	c.calls["SetLoanDays"]++
	return c.s.SetLoanDays(a0, a1, a2)
}

func (c *countingService) Calendar() (models.Calendar, error) {
	c.calls["Calendar"]++
	return c.s.Calendar()
}

func (c *countingService) CalendarYear(a0 *app.Session, a1 int) ([]app.CalendarEntry, error) {
	c.calls["CalendarYear"]++
	return c.s.CalendarYear(a0, a1)
}

func (c *countingService) SetCalendarDay(a0 *app.Session, a1 string, a2 models.DayKind, a3 string) error {
	c.calls["SetCalendarDay"]++
	return c.s.SetCalendarDay(a0, a1, a2, a3)
}

func (c *countingService) RecordHandling(a0 *app.Session, a1 string, a2 models.HandlingKind, a3 string, a4 string) (models.Handling, error) {
	c.calls["RecordHandling"]++
	return c.s.RecordHandling(a0, a1, a2, a3, a4)
}

func (c *countingService) RecordPrinting(a0 *app.Session, a1 app.PrintingInput) (models.Printing, error) {
	c.calls["RecordPrinting"]++
	return c.s.RecordPrinting(a0, a1)
}

func (c *countingService) PrintingOf(a0 *app.Session, a1 string) (*models.Printing, error) {
	c.calls["PrintingOf"]++
	return c.s.PrintingOf(a0, a1)
}

func (c *countingService) AddDispatchLine(a0 *app.Session, a1 app.DispatchLineInput) (models.DispatchLine, error) {
	c.calls["AddDispatchLine"]++
	return c.s.AddDispatchLine(a0, a1)
}

func (c *countingService) DispatchLines(a0 *app.Session, a1 string) ([]models.DispatchLine, error) {
	c.calls["DispatchLines"]++
	return c.s.DispatchLines(a0, a1)
}

func (c *countingService) Unsent(a0 *app.Session, a1 string) ([]models.Carrier, error) {
	c.calls["Unsent"]++
	return c.s.Unsent(a0, a1)
}

func (c *countingService) Send(a0 *app.Session, a1 app.SendInput) ([]models.Sending, error) {
	c.calls["Send"]++
	return c.s.Send(a0, a1)
}

func (c *countingService) RecordReceipt(a0 *app.Session, a1 app.ReceiptInput) (models.Sending, error) {
	c.calls["RecordReceipt"]++
	return c.s.RecordReceipt(a0, a1)
}

func (c *countingService) ReturnSent(a0 *app.Session, a1 string, a2 string, a3 string) (models.Sending, error) {
	c.calls["ReturnSent"]++
	return c.s.ReturnSent(a0, a1, a2, a3)
}

func (c *countingService) SendingsOf(a0 *app.Session, a1 string) ([]app.SendingRow, error) {
	c.calls["SendingsOf"]++
	return c.s.SendingsOf(a0, a1)
}

func (c *countingService) OverdueReceipts(a0 *app.Session, a1 int) ([]app.SendingRow, int, error) {
	c.calls["OverdueReceipts"]++
	return c.s.OverdueReceipts(a0, a1)
}

func (c *countingService) AwaitingClassification(a0 *app.Session, a1 int) ([]app.OwnDocument, int, error) {
	c.calls["AwaitingClassification"]++
	return c.s.AwaitingClassification(a0, a1)
}

func (c *countingService) AwaitingDispatch(a0 *app.Session, a1 int) ([]app.OwnDocument, int, error) {
	c.calls["AwaitingDispatch"]++
	return c.s.AwaitingDispatch(a0, a1)
}

func (c *countingService) ReceiptCutoff() string {
	c.calls["ReceiptCutoff"]++
	return c.s.ReceiptCutoff()
}

func (c *countingService) ReceiptDays() int {
	c.calls["ReceiptDays"]++
	return c.s.ReceiptDays()
}

func (c *countingService) SetReceiptDays(a0 *app.Session, a1 int) error {
	c.calls["SetReceiptDays"]++
	return c.s.SetReceiptDays(a0, a1)
}

func (c *countingService) GetByRegNo(a0 *app.Session, a1 string) (models.Carrier, error) {
	c.calls["GetByRegNo"]++
	return c.s.GetByRegNo(a0, a1)
}

func (c *countingService) CheckDestroyable(a0 *app.Session, a1 string) error {
	c.calls["CheckDestroyable"]++
	return c.s.CheckDestroyable(a0, a1)
}

func (c *countingService) FlagReturnToIssuer(a0 *app.Session, a1 string, a2 bool) (models.Carrier, error) {
	c.calls["FlagReturnToIssuer"]++
	return c.s.FlagReturnToIssuer(a0, a1, a2)
}

func (c *countingService) RequestDestruction(a0 *app.Session, a1 app.DestructionInput) (models.DestructionBatch, error) {
	c.calls["RequestDestruction"]++
	return c.s.RequestDestruction(a0, a1)
}

func (c *countingService) DecideDestruction(a0 *app.Session, a1 app.DestructionDecision) (models.DestructionBatch, error) {
	c.calls["DecideDestruction"]++
	return c.s.DecideDestruction(a0, a1)
}

func (c *countingService) CompleteDestruction(a0 *app.Session, a1 string, a2 app.DestructionRecord) (models.DestructionBatch, error) {
	c.calls["CompleteDestruction"]++
	return c.s.CompleteDestruction(a0, a1, a2)
}

func (c *countingService) DestructionList(a0 *app.Session, a1 string) (app.DestructionList, error) {
	c.calls["DestructionList"]++
	return c.s.DestructionList(a0, a1)
}

func (c *countingService) DestructionBatches(a0 *app.Session) ([]models.DestructionBatch, error) {
	c.calls["DestructionBatches"]++
	return c.s.DestructionBatches(a0)
}

func (c *countingService) ExportLedgerFile(a0 *app.Session, a1 app.Query, a2 string, a3 func(done, total int)) (int, error) {
	c.calls["ExportLedgerFile"]++
	return c.s.ExportLedgerFile(a0, a1, a2, a3)
}

func (c *countingService) ImportDryRun(a0 *app.Session, a1 *app.ImportTable, a2 app.ImportMapping) (app.ImportReport, error) {
	c.calls["ImportDryRun"]++
	return c.s.ImportDryRun(a0, a1, a2)
}

func (c *countingService) Import(a0 *app.Session, a1 *app.ImportTable, a2 app.ImportMapping, a3 func(done, total int)) (app.ImportReport, error) {
	c.calls["Import"]++
	return c.s.Import(a0, a1, a2, a3)
}

func (c *countingService) Users(a0 *app.Session) ([]models.User, error) {
	c.calls["Users"]++
	return c.s.Users(a0)
}

func (c *countingService) CreateUser(a0 *app.Session, a1 app.NewAccount) (models.User, error) {
	c.calls["CreateUser"]++
	return c.s.CreateUser(a0, a1)
}

func (c *countingService) ResetPassword(a0 *app.Session, a1 string, a2 string, a3 *app.Confirmation) error {
	c.calls["ResetPassword"]++
	return c.s.ResetPassword(a0, a1, a2, a3)
}

func (c *countingService) UnlockAccount(a0 *app.Session, a1 string) error {
	c.calls["UnlockAccount"]++
	return c.s.UnlockAccount(a0, a1)
}

func (c *countingService) SetDisabled(a0 *app.Session, a1 string, a2 bool) error {
	c.calls["SetDisabled"]++
	return c.s.SetDisabled(a0, a1, a2)
}

func (c *countingService) SetRole(a0 *app.Session, a1 string, a2 models.Role) error {
	c.calls["SetRole"]++
	return c.s.SetRole(a0, a1, a2)
}

func (c *countingService) SetPolicy(a0 *app.Session, a1 models.Policy) error {
	c.calls["SetPolicy"]++
	return c.s.SetPolicy(a0, a1)
}

func (c *countingService) SetOfficeName(a0 *app.Session, a1 string) error {
	c.calls["SetOfficeName"]++
	return c.s.SetOfficeName(a0, a1)
}

func (c *countingService) AuditTrail(a0 *app.Session, a1 app.AuditQuery) ([]models.AuditRecord, int64, error) {
	c.calls["AuditTrail"]++
	return c.s.AuditTrail(a0, a1)
}

func (c *countingService) VerifyAudit(a0 *app.Session) (app.AuditVerdict, error) {
	c.calls["VerifyAudit"]++
	return c.s.VerifyAudit(a0)
}

func (c *countingService) VerifyAuditProgress(a0 *app.Session, a1 app.VerifyProgress) (app.AuditVerdict, error) {
	c.calls["VerifyAuditProgress"]++
	return c.s.VerifyAuditProgress(a0, a1)
}

func (c *countingService) ChainAlarm() string {
	c.calls["ChainAlarm"]++
	return c.s.ChainAlarm()
}

func (c *countingService) Upgraded() *app.Upgrade {
	c.calls["Upgraded"]++
	return c.s.Upgraded()
}

func (c *countingService) CurrentAuditSeal(a0 *app.Session) (app.AuditSeal, error) {
	c.calls["CurrentAuditSeal"]++
	return c.s.CurrentAuditSeal(a0)
}

func (c *countingService) CheckAuditSeal(a0 *app.Session, a1 string) (bool, string, error) {
	c.calls["CheckAuditSeal"]++
	return c.s.CheckAuditSeal(a0, a1)
}

func (c *countingService) AcceptChain(a0 *app.Session, a1 string) error {
	c.calls["AcceptChain"]++
	return c.s.AcceptChain(a0, a1)
}

func (c *countingService) ExportAuditCSV(a0 *app.Session, a1 app.AuditQuery, a2 io.Writer) (int, error) {
	c.calls["ExportAuditCSV"]++
	return c.s.ExportAuditCSV(a0, a1, a2)
}

func (c *countingService) ExportAuditPDF(a0 *app.Session, a1 app.AuditQuery, a2 io.Writer) (int, error) {
	c.calls["ExportAuditPDF"]++
	return c.s.ExportAuditPDF(a0, a1, a2)
}

func (c *countingService) Backup(a0 *app.Session, a1 string, a2 app.BackupSecret, a3 app.BackupProgress) (app.BackupRecord, error) {
	c.calls["Backup"]++
	return c.s.Backup(a0, a1, a2, a3)
}

func (c *countingService) VerifyBackup(a0 *app.Session, a1 string, a2 app.BackupSecret, a3 *backup.RecoverySecret, a4 app.BackupProgress) (app.BackupInfo, error) {
	c.calls["VerifyBackup"]++
	return c.s.VerifyBackup(a0, a1, a2, a3, a4)
}

func (c *countingService) Restore(a0 *app.Session, a1 app.RestoreInput, a2 app.BackupProgress) (app.RestoreReport, error) {
	c.calls["Restore"]++
	return c.s.Restore(a0, a1, a2)
}

func (c *countingService) Rollbacks(a0 *app.Session) ([]app.Rollback, error) {
	c.calls["Rollbacks"]++
	return c.s.Rollbacks(a0)
}

func (c *countingService) RemoveRollback(a0 *app.Session, a1 string) error {
	c.calls["RemoveRollback"]++
	return c.s.RemoveRollback(a0, a1)
}

func (c *countingService) RollbackKeep() int {
	c.calls["RollbackKeep"]++
	return c.s.RollbackKeep()
}

func (c *countingService) SetRollbackKeep(a0 *app.Session, a1 int) error {
	c.calls["SetRollbackKeep"]++
	return c.s.SetRollbackKeep(a0, a1)
}

func (c *countingService) RecoveryKeyStatus(a0 *app.Session) (app.RecoveryStatus, error) {
	c.calls["RecoveryKeyStatus"]++
	return c.s.RecoveryKeyStatus(a0)
}

func (c *countingService) SetRecoveryKey(a0 *app.Session, a1 string, a2 string) error {
	c.calls["SetRecoveryKey"]++
	return c.s.SetRecoveryKey(a0, a1, a2)
}

func (c *countingService) CheckRecoveryPassphrase(a0 *app.Session, a1 string) error {
	c.calls["CheckRecoveryPassphrase"]++
	return c.s.CheckRecoveryPassphrase(a0, a1)
}

func (c *countingService) Backups(a0 *app.Session, a1 int) ([]app.BackupRecord, error) {
	c.calls["Backups"]++
	return c.s.Backups(a0, a1)
}

func (c *countingService) BackupStatus(a0 *app.Session) (app.BackupStatus, error) {
	c.calls["BackupStatus"]++
	return c.s.BackupStatus(a0)
}

func (c *countingService) SetBackupRemindDays(a0 *app.Session, a1 int) error {
	c.calls["SetBackupRemindDays"]++
	return c.s.SetBackupRemindDays(a0, a1)
}

func (c *countingService) InspectionsDue(a0 *app.Session, a1 time.Time, a2 map[models.Level]int) ([]app.InspectionDue, error) {
	c.calls["InspectionsDue"]++
	return c.s.InspectionsDue(a0, a1, a2)
}

func (c *countingService) Inspections(a0 *app.Session, a1 string) ([]models.Inspection, error) {
	c.calls["Inspections"]++
	return c.s.Inspections(a0, a1)
}

func (c *countingService) StartInspection(a0 *app.Session, a1 string) (models.Inspection, error) {
	c.calls["StartInspection"]++
	return c.s.StartInspection(a0, a1)
}

func (c *countingService) TickFound(a0 *app.Session, a1 string, a2 string) (models.InspectionItem, error) {
	c.calls["TickFound"]++
	return c.s.TickFound(a0, a1, a2)
}

func (c *countingService) InspectionResult(a0 *app.Session, a1 string) (app.InspectionResult, error) {
	c.calls["InspectionResult"]++
	return c.s.InspectionResult(a0, a1)
}

func (c *countingService) Resolve(a0 *app.Session, a1 string, a2 string, a3 string) (models.InspectionItem, error) {
	c.calls["Resolve"]++
	return c.s.Resolve(a0, a1, a2, a3)
}

func (c *countingService) CloseInspection(a0 *app.Session, a1 string) (app.InspectionResult, error) {
	c.calls["CloseInspection"]++
	return c.s.CloseInspection(a0, a1)
}

func (c *countingService) VoidReturnBatch(a0 *app.Session, a1 string, a2 string) (models.ReturnBatch, error) {
	c.calls["VoidReturnBatch"]++
	return c.s.VoidReturnBatch(a0, a1, a2)
}

func (c *countingService) Annual(a0 *app.Session, a1 int) (app.AnnualReport, error) {
	c.calls["Annual"]++
	return c.s.Annual(a0, a1)
}

func (c *countingService) AnnualList(a0 *app.Session, a1 int, a2 string, a3 int, a4 int) ([]app.AnnualRow, int, error) {
	c.calls["AnnualList"]++
	return c.s.AnnualList(a0, a1, a2, a3, a4)
}

func (c *countingService) PrintAnnualToFile(a0 *app.Session, a1 int, a2 reports.Options, a3 string) (app.Printout, string, error) {
	c.calls["PrintAnnualToFile"]++
	return c.s.PrintAnnualToFile(a0, a1, a2, a3)
}

func (c *countingService) ExportAnnualFile(a0 *app.Session, a1 int, a2 string) (int, error) {
	c.calls["ExportAnnualFile"]++
	return c.s.ExportAnnualFile(a0, a1, a2)
}

func (c *countingService) PrintToFile(a0 *app.Session, a1 app.FormKind, a2 string, a3 reports.Options, a4 string) (app.Printout, string, error) {
	c.calls["PrintToFile"]++
	return c.s.PrintToFile(a0, a1, a2, a3, a4)
}

func (c *countingService) PrintRegisterToFile(a0 *app.Session, a1 app.Query, a2 reports.Options, a3 string) (app.Printout, string, error) {
	c.calls["PrintRegisterToFile"]++
	return c.s.PrintRegisterToFile(a0, a1, a2, a3)
}

func (c *countingService) DefaultMarking(a0 *app.Session, a1 app.FormKind, a2 string, a3 app.Query) (string, error) {
	c.calls["DefaultMarking"]++
	return c.s.DefaultMarking(a0, a1, a2, a3)
}

func (c *countingService) ReviewCount(a0 *app.Session, a1 int) (int64, error) {
	c.calls["ReviewCount"]++
	return c.s.ReviewCount(a0, a1)
}

func (c *countingService) ReviewPage(a0 *app.Session, a1 int, a2 int, a3 int) ([]app.ReviewRow, error) {
	c.calls["ReviewPage"]++
	return c.s.ReviewPage(a0, a1, a2, a3)
}

func (c *countingService) KeepTerm(a0 *app.Session, a1 app.ReviewInput) (models.TermReview, error) {
	c.calls["KeepTerm"]++
	return c.s.KeepTerm(a0, a1)
}

func (c *countingService) PrintBookToFile(a0 *app.Session, a1 app.BookKind, a2 string, a3 string, a4 reports.Options, a5 string) (app.Printout, string, error) {
	c.calls["PrintBookToFile"]++
	return c.s.PrintBookToFile(a0, a1, a2, a3, a4, a5)
}

func (c *countingService) ExportBookFile(a0 *app.Session, a1 app.BookKind, a2 string, a3 string, a4 reports.Options, a5 string) (int, error) {
	c.calls["ExportBookFile"]++
	return c.s.ExportBookFile(a0, a1, a2, a3, a4, a5)
}

func (c *countingService) WriteInspectorCopy(a0 *app.Session, a1 int, a2 string, a3 string, a4 func(done, total int)) (app.InspectorCopy, error) {
	c.calls["WriteInspectorCopy"]++
	return c.s.WriteInspectorCopy(a0, a1, a2, a3, a4)
}

func (c *countingService) InspectionPeriods(a0 *app.Session) (map[models.Level]int, error) {
	c.calls["InspectionPeriods"]++
	return c.s.InspectionPeriods(a0)
}

func (c *countingService) SetInspectionPeriod(a0 *app.Session, a1 models.Level, a2 int) error {
	c.calls["SetInspectionPeriod"]++
	return c.s.SetInspectionPeriod(a0, a1, a2)
}

func (c *countingService) Handover(a0 *app.Session, a1 app.HandoverInput) (models.Handover, []models.HandoverItem, error) {
	c.calls["Handover"]++
	return c.s.Handover(a0, a1)
}

func (c *countingService) Handovers(a0 *app.Session) ([]models.Handover, error) {
	c.calls["Handovers"]++
	return c.s.Handovers(a0)
}

func (c *countingService) HandoverItems(a0 *app.Session, a1 string) ([]models.HandoverItem, error) {
	c.calls["HandoverItems"]++
	return c.s.HandoverItems(a0, a1)
}

func (c *countingService) ReturnCandidates(a0 *app.Session) ([]app.ReturnCandidate, error) {
	c.calls["ReturnCandidates"]++
	return c.s.ReturnCandidates(a0)
}

func (c *countingService) CreateReturnBatch(a0 *app.Session, a1 string) (models.ReturnBatch, error) {
	c.calls["CreateReturnBatch"]++
	return c.s.CreateReturnBatch(a0, a1)
}

func (c *countingService) HandOverReturnBatch(a0 *app.Session, a1 string, a2 string, a3 string) (models.ReturnBatch, error) {
	c.calls["HandOverReturnBatch"]++
	return c.s.HandOverReturnBatch(a0, a1, a2, a3)
}

func (c *countingService) ReturnBatches(a0 *app.Session) ([]models.ReturnBatch, error) {
	c.calls["ReturnBatches"]++
	return c.s.ReturnBatches(a0)
}

func (c *countingService) ReturnList(a0 *app.Session, a1 string) (app.ReturnList, error) {
	c.calls["ReturnList"]++
	return c.s.ReturnList(a0, a1)
}

func (c *countingService) Archive(a0 *app.Session, a1 string, a2 string, a3 string) (models.Carrier, error) {
	c.calls["Archive"]++
	return c.s.Archive(a0, a1, a2, a3)
}

func (c *countingService) ArchiveOf(a0 *app.Session, a1 string) (models.Archive, error) {
	c.calls["ArchiveOf"]++
	return c.s.ArchiveOf(a0, a1)
}
