package app

import (
	"strings"
	"testing"

	"secdoc/models"
)

// R27: a 知悉范围 that names people and 部门 on the people list is checked:
// lending or circulating to someone outside it needs a reason, which is
// recorded; a phrase the list does not know (所有局领导) leaves it open.
func TestNeedToKnow_R27_OutsideNeedsAReason(t *testing.T) {
	s := newService(t)
	sess := clerk(t, s)
	for _, p := range []PersonInput{{Name: "孙浩", Department: "综合科"}, {Name: "李明", Department: "规划科"},
		{Name: "周强", Department: "财务科"}} {
		if _, err := s.SavePerson(sess, p); err != nil {
			t.Fatal(err)
		}
	}
	f := form()
	f.NeedToKnow = "孙浩、规划科"
	c := mustRegister(t, s, f)[0]
	g := form()
	g.NeedToKnow, g.CopyNo = "所有局领导", "2"
	open := mustRegister(t, s, g)[0]

	for _, who := range []string{"孙浩", "李明"} { // by name, by 部门
		if out, err := outsideNeedToKnow(s.db, &c, who); err != nil || out {
			t.Fatalf("%s outside %q: %v %v", who, c.NeedToKnow, out, err)
		}
	}
	if out, _ := outsideNeedToKnow(s.db, &open, "周强"); out {
		t.Fatal("a phrase the list does not know was taken as excluding")
	}
	in := LoanInput{Kind: models.LoanBorrow, CarrierID: c.ID, Borrower: "周强", Purpose: "核对经费", DueOn: "2026-11-30"}
	before := snapLoans(t, s)
	n := auditCount(t, s)
	_, err := s.RequestLoan(sess, in)
	wantRefusal(t, err, models.ErrOutsideNeedToKnow, FieldOutsideReason, "周强 不在该载体的知悉范围（孙浩、规划科）内", "理由")
	loanUnchanged(t, s, before)
	if auditCount(t, s) != n+1 {
		t.Fatal("the refusal is not audited")
	}
	in.OutsideReason = "分管领导批示由财务科核对经费"
	l, err := s.RequestLoan(sess, in)
	if err != nil || l.OutsideReason != in.OutsideReason || !strings.Contains(lastAudit(t, s).Detail, "知悉范围外，理由：分管领导批示") {
		t.Fatalf("loan %+v %v; audit %q", l, err, lastAudit(t, s).Detail)
	}

	h := form()
	h.NeedToKnow, h.CopyNo = "孙浩", "3"
	d := mustRegister(t, s, h)[0]
	_, err = s.StartCirculation(sess, d.ID, "", []models.Reader{{Name: "孙浩"}, {Name: "周强"}})
	wantRefusal(t, err, models.ErrOutsideNeedToKnow, FieldRoute, "周强 不在该载体的知悉范围")
	ci, err := s.StartCirculation(sess, d.ID, "", []models.Reader{{Name: "孙浩"}, {Name: "周强", OutsideReason: "局长批示传周强阅"}})
	if err != nil || ci.Steps[1].OutsideReason != "局长批示传周强阅" || ci.Steps[0].OutsideReason != "" {
		t.Fatalf("circulation %+v %v", ci.Steps, err)
	}
	evs, _ := s.History(sess, d.ID)
	if !strings.Contains(evs[len(evs)-1].Reason, "周强 在知悉范围外，理由：局长批示传周强阅") {
		t.Fatalf("history %q", evs[len(evs)-1].Reason)
	}
}
