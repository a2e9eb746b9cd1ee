package app

import (
	"testing"

	"secdoc/models"
)

// refusedLoan checks a loan request is refused for field with words,
// leaving the register unchanged and the refusal audited.
func refusedLoan(t *testing.T, s *Service, in LoanInput, cause error, field string, words ...string) {
	t.Helper()
	before, n := snapLoans(t, s), auditCount(t, s)
	_, err := s.RequestLoan(clerk(t, s), in)
	wantRefusal(t, err, cause, field, words...)
	loanUnchanged(t, s, before)
	if auditCount(t, s) != n+1 || lastAudit(t, s).Event != models.EventRuleDenied {
		t.Fatalf("the refusal was not audited: %+v", lastAudit(t, s))
	}
}

// R27: 绝密 is lent for a day at most and read in the office only; taken
// out only with a 同行人; a take-out abroad needs the authority's document.
func TestLoan_R27_TopSecretLimits(t *testing.T) {
	s := newService(t)
	f := form()
	f.Level = models.LevelTopSecret
	c := mustRegister(t, s, f)[0]
	in := loanIn(c)
	in.DueOn, in.InOffice = "2026-11-25", true
	refusedLoan(t, s, in, models.ErrLoanLimit, FieldDueOn, "绝密载体借阅期限不能超过 1 天", "2026-11-24")
	in.DueOn, in.InOffice = "2026-11-24", false
	refusedLoan(t, s, in, models.ErrLoanLimit, FieldLoanKind, "机要阅文室")
	in.InOffice = true
	if l := mustLoan(t, s, in); !l.InOffice {
		t.Fatalf("loan %+v: not marked read in the office", l)
	}

	g := form()
	g.Level, g.DocNumber = models.LevelTopSecret, "遂安府办发〔2026〕31号"
	d := mustRegister(t, s, g)[0]
	out := takeOutIn(d)
	out.DueOn = "2026-11-24"
	refusedLoan(t, s, out, models.ErrLoanLimit, FieldCompanion, "同行人")
	out.Companion, out.Abroad = "张强", true
	refusedLoan(t, s, out, nil, FieldAbroadDoc, "出境批准文件")
	out.AbroadDoc, out.Measures = "遂保〔2026〕7号", "密码箱专人携带，不离身"
	l := mustLoan(t, s, out)
	if l.Companion != "张强" || !l.Abroad || l.AbroadDoc != "遂保〔2026〕7号" || l.Measures == "" {
		t.Fatalf("take-out %+v", l)
	}
}

// R27: the security officer sets each level's longest loan; the clerk
// can't; the request is checked against it.
func TestLoan_R27_LimitsSetBySecurityOfficer(t *testing.T) {
	s := newService(t)
	f := form()
	f.Level = models.LevelConfidential // 秘密: 30 days by default
	c := mustRegister(t, s, f)[0]
	if got := s.LoanDays(models.LevelConfidential, models.LoanBorrow); got != 30 {
		t.Fatalf("default 秘密 loan days %d", got)
	}
	if err := s.SetLoanDays(clerk(t, s), models.LevelConfidential, 10); err == nil {
		t.Fatal("the clerk set a loan limit")
	}
	err := s.SetLoanDays(as(t, s, "secadmin"), models.LevelConfidential, 0)
	wantRefusal(t, err, models.ErrLoanLimit, FieldLoanDays, "1 到 90 天")
	if err := s.SetLoanDays(as(t, s, "secadmin"), models.LevelConfidential, 10); err != nil {
		t.Fatal(err)
	}
	in := loanIn(c)
	in.DueOn = "2026-12-04"
	refusedLoan(t, s, in, models.ErrLoanLimit, FieldDueOn, "秘密载体借阅期限不能超过 10 天", "2026-12-03")
	in.DueOn = "2026-12-03"
	mustLoan(t, s, in)
}

// R27: a 密码电报 stays in the office and goes back to the 机要部门: it is
// never lent, taken out or destroyed by the office.
func TestLoan_R27_CipherTelegramNeverLeaves(t *testing.T) {
	s := newService(t)
	f := form()
	f.Kind, f.DocNumber = models.KindCipherTel, "遂密电〔2026〕12号"
	c := mustRegister(t, s, f)[0]
	refusedLoan(t, s, loanIn(c), models.ErrLoanLimit, FieldLoanCarrier, "密码电报不得借阅")
	refusedLoan(t, s, takeOutIn(c), models.ErrLoanLimit, FieldLoanCarrier, "密码电报不得外出携带")
	before := countRows(t, s)
	_, err := s.RequestDestruction(clerk(t, s), DestructionInput{CarrierIDs: []string{c.ID}, Reason: "已办结", Requester: "刘洋"})
	wantRefusal(t, err, models.ErrReturnToIssuer, FieldDestroyCarriers, "密码电报", "不得自行销毁")
	unchanged(t, s, before)
}
