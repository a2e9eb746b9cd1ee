package app

import (
	"slices"
	"strings"
	"testing"

	"secdoc/models"
)

// R27: a register from before the people list, whose custodians were typed
// (王敏, 王 敏), opens with its list made from its names, each spelling
// once; the near duplicates are listed, and merging them corrects every
// carrier held under the other spelling, with a history line each.
func TestPeople_R27_MigratedFromMessyNames(t *testing.T) {
	s := newService(t)
	for i, name := range []string{"王敏", "王 敏", "王 敏", "刘洋"} {
		f := form()
		f.CopyNo, f.Custodian = string(rune('1'+i)), name
		mustRegister(t, s, f)
	}
	unseal(t, s) // back to a register of an older version: no people list
	s2, _ := reopenAsOlderVersion(t, s)
	defer s2.Close()
	s2.Now = s.Now
	var n int64
	s2.db.Raw(`SELECT count(*) FROM persons`).Scan(&n)
	if n != 0 {
		t.Fatalf("%d people before the list is made", n)
	}
	sess, _, err := s2.SignIn("wangmin", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	people, err := s2.PeopleList(sess)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range people {
		names = append(names, p.Name)
	}
	if strings.Join(names, ",") != "刘洋,王 敏,王敏" {
		t.Fatalf("people made: %v", names)
	}
	if r := lastAudit(t, s2); r.Event != models.EventPeople || !strings.Contains(r.Detail, "3 人") {
		t.Fatalf("the list's making is not recorded: %+v", r)
	}
	dups, err := s2.PersonDuplicates(sess)
	if err != nil || len(dups) != 1 || len(dups[0]) != 2 {
		t.Fatalf("near duplicates %+v %v", dups, err)
	}
	keep, drop := dups[0][1], dups[0][0] // 王敏 keeps, 王 敏 goes
	if keep.Name != "王敏" {
		keep, drop = drop, keep
	}
	moved, err := s2.MergePerson(sess, keep.ID, drop.ID)
	if err != nil || moved != 2 {
		t.Fatalf("merge moved %d: %v", moved, err)
	}
	var held int64
	s2.db.Raw(`SELECT count(*) FROM carriers WHERE custodian = '王敏'`).Scan(&held)
	if held != 3 {
		t.Fatalf("王敏 holds %d after the merge", held)
	}
	if dups, _ := s2.PersonDuplicates(sess); len(dups) != 0 {
		t.Fatalf("still duplicated: %+v", dups)
	}
	if v, err := s2.verifyAll(nil); err != nil || !v.OK {
		t.Fatalf("audit after the merge %+v %v", v, err)
	}
}

// R27: a person who has left receives nothing new (custody, loans,
// circulation, handovers); one who still holds carriers can't be marked as
// left before handing them over. A new name joins the list as it is used.
func TestPeople_R27_LeftReceivesNothing(t *testing.T) {
	s := newService(t)
	c := mustRegister(t, s, form())[0]
	sess := clerk(t, s)
	if _, err := s.PeopleList(sess); err != nil {
		t.Fatal(err)
	}
	p, err := s.SavePerson(sess, PersonInput{Name: "孙浩", Department: "综合科", Title: "科员"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.SavePerson(sess, PersonInput{Name: "孙浩"})
	wantRefusal(t, err, models.ErrBadPerson, FieldPersonName, "已有孙浩")
	mine := mustRegister(t, s, func() models.CarrierForm { f := form(); f.Custodian, f.CopyNo = "孙浩", "2"; return f }())[0]
	_, err = s.SavePerson(sess, PersonInput{ID: p.ID, Name: "孙浩", Left: true})
	wantRefusal(t, err, models.ErrBadPerson, FieldPersonName, "仍保管 1 件", "交接")
	if _, _, err := s.Handover(sess, HandoverInput{From: "孙浩", To: "王敏", Witness: "李主任",
		CarrierIDs: []string{mine.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SavePerson(sess, PersonInput{ID: p.ID, Name: "孙浩", Department: "综合科", Left: true, LeftOn: "2026-11-20"}); err != nil {
		t.Fatal(err)
	}
	before := countRows(t, s)
	_, err = s.RequestLoan(sess, LoanInput{Kind: models.LoanBorrow, CarrierID: c.ID, Borrower: "孙浩", Purpose: "阅研", DueOn: "2026-11-30"})
	wantRefusal(t, err, models.ErrPersonLeft, FieldBorrower, "孙浩已离岗")
	f := form()
	f.Custodian, f.CopyNo = "孙浩", "3"
	_, err = s.Register(sess, f)
	wantRefusal(t, err, models.ErrPersonLeft, models.FieldCustodian, "已离岗")
	_, _, err = s.Handover(sess, HandoverInput{From: "王敏", To: "孙浩", Witness: "李主任"})
	wantRefusal(t, err, models.ErrPersonLeft, FieldHandoverTo, "已离岗")
	_, err = s.StartCirculation(sess, c.ID, "", []models.Reader{{Name: "孙浩"}})
	wantRefusal(t, err, models.ErrPersonLeft, FieldRoute, "已离岗")
	unchanged(t, s, before)
	// A new name joins the list when first used.
	g := form()
	g.Custodian, g.CopyNo = "周强", "4"
	mustRegister(t, s, g)
	if names, _ := s.People(sess); !slices.Contains(names, "周强") || slices.Contains(names, "孙浩") {
		t.Fatalf("people offered %v", names)
	}
	if err := s.SetPersonGrade(sess, p.ID, models.GradeCore); err == nil {
		t.Fatal("the clerk set a 涉密等级")
	}
	if err := s.SetPersonGrade(as(t, s, "secadmin"), p.ID, models.GradeCore); err != nil {
		t.Fatal(err)
	}
}
