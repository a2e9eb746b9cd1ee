package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"secdoc/app"
	"secdoc/models"
)

// R27: the 人员 tab lists the people and the spellings that name one
// person; keeping one merges the others, and the carriers held under them
// follow. A person marked as left is no longer offered to pick.
func TestPeopleUI_R27_MergeAndLeave(t *testing.T) {
	fx := newFixture(t)
	for i, name := range []string{"王 敏", "孙浩", operator} {
		f := validForm("遂安府办发〔2026〕7"+string(rune('0'+i))+"号", "关于人员管理的通知")
		f.Custodian = name
		if _, err := fx.svc.Register(fx.sess, f); err != nil {
			t.Fatal(err)
		}
	}
	fx.m.tabs.Select(fx.m.peopleTab)
	s := fx.m.people
	if !strings.Contains(strings.Join(texts(s.dups), "|"), "“王 敏”") || s.merge[operator] == nil {
		t.Fatalf("near duplicates shown: %q (keep buttons %v)", texts(s.dups), s.merge)
	}
	test.Tap(s.merge[operator])
	if !strings.Contains(s.result.Text, "已合并为“"+operator+"”，1 件") {
		t.Fatalf("merge result %q (%q)", s.result.Text, s.msgs.text(""))
	}
	if n := fx.count(app.Query{Keyword: ""}); n != 3 {
		t.Fatalf("%d carriers", n)
	}
	var held int64
	fx.svc.DB().Raw(`SELECT count(*) FROM carriers WHERE custodian = ?`, operator).Scan(&held)
	if held != 2 {
		t.Fatalf("%s holds %d after the merge", operator, held)
	}
	// 孙浩 holds a carrier: marking him as left is refused until he hands it over.
	for i, p := range s.rows {
		if p.Name == "孙浩" {
			s.list.Select(i)
		}
	}
	s.left.SetChecked(true)
	test.Tap(s.save)
	if got := s.msgs.text(app.FieldPersonName); !strings.Contains(got, "仍保管 1 件") {
		t.Fatalf("leaving while holding: %q", got)
	}
	if _, _, err := fx.svc.Handover(fx.sess, app.HandoverInput{From: "孙浩", To: operator, Witness: "李主任"}); err != nil {
		t.Fatal(err)
	}
	test.Tap(s.save)
	if !strings.Contains(s.result.Text, "孙浩") || !strings.Contains(s.result.Text, "已离岗") {
		t.Fatalf("leaving: %q %q", s.result.Text, s.msgs.text(app.FieldPersonName))
	}
	names, err := fx.svc.People(fx.sess)
	if err != nil || contains(names, "孙浩") || contains(names, "王 敏") || !contains(names, operator) {
		t.Fatalf("people offered %v %v", names, err)
	}
}

// R27: the security officer sets a person's 涉密等级 on its tab.
func TestGradeUI_R27_SecurityOfficerSetsGrade(t *testing.T) {
	svc := newService(t, true, true)
	fx := newShellFixture(t, svc, nil)
	if _, err := svc.SavePerson(fx.session(loginClerk), app.PersonInput{Name: "孙浩", Department: "综合科"}); err != nil {
		t.Fatal(err)
	}
	fx.signIn(loginSecAdmin, testPassword)
	p := fx.s.secAdmin.grades
	test.Tap(p.save)
	if got := p.msgs.text(app.FieldPersonName); !strings.Contains(got, "请选择人员") {
		t.Fatalf("no person: %q", got)
	}
	if len(p.person.Options) == 0 {
		t.Fatal("no people offered")
	}
	name := p.person.Options[0]
	p.person.SetSelected(name)
	p.grade.SetSelected(string(models.GradeCore))
	test.Tap(p.save)
	if !strings.Contains(p.status.Text, name+" 涉密等级 核心") {
		t.Fatalf("status %q (%q)", p.status.Text, p.msgs.text(""))
	}
	people, err := fx.s.svc.PeopleList(fx.s.sess)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range people {
		if x.Name == name && x.Grade != models.GradeCore {
			t.Fatalf("%s grade %q", name, x.Grade)
		}
	}
}
