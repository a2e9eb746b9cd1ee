package app

import (
	"testing"

	"secdoc/models"
)

// R27: a handover needs a 监交人 who is neither side; a part of what one
// holds can be handed over; a custodian never changes by a plain edit.
// Each refusal changes nothing and is audited.
func TestHandover_R27_WitnessPartAndNoEdit(t *testing.T) {
	s := newService(t)
	cs := holdings(t, s, "王敏", "遂安府办发〔2026〕30号", models.LevelSecret, "3")
	other := holdings(t, s, "刘洋", "遂安府办发〔2026〕31号", models.LevelSecret, "1")
	for _, c := range []struct {
		in          HandoverInput
		field, want string
	}{
		{HandoverInput{From: "王敏", To: "孙丽"}, FieldHandoverWitness, "监交人"},
		{HandoverInput{From: "王敏", To: "孙丽", Witness: "孙丽"}, FieldHandoverWitness, "第三人"},
		{HandoverInput{From: "王敏", To: "孙丽", Witness: "李主任", CarrierIDs: []string{other[0].ID}}, FieldHandoverItems, "责任人是刘洋"},
		{HandoverInput{From: "王敏", To: "孙丽", Witness: "李主任", Temporary: true}, FieldHandoverReturnOn, "收回日期"},
		{HandoverInput{From: "王敏", To: "孙丽", Witness: "李主任", Temporary: true, ReturnOn: "2026-11-23"}, FieldHandoverReturnOn, "晚于交接日期"},
	} {
		before, n := snapInsp(t, s), auditCount(t, s)
		_, _, err := s.Handover(clerk(t, s), c.in)
		wantRefusal(t, err, nil, c.field, c.want)
		inspUnchanged(t, s, before)
		if auditCount(t, s) != n+1 {
			t.Fatalf("refusal %q not audited", c.want)
		}
	}
	h, items, err := s.Handover(clerk(t, s), HandoverInput{From: "王敏", To: "孙丽", Witness: "李主任",
		CarrierIDs: []string{cs[2].ID, cs[0].ID}})
	if err != nil || len(items) != 2 || h.Temporary {
		t.Fatalf("part: %+v %d %v", h, len(items), err)
	}
	for i, want := range []string{"孙丽", "王敏", "孙丽"} {
		if c, _ := takeCarrier(s.db, cs[i].ID); c.Custodian != want {
			t.Fatalf("%s held by %s, want %s", c.RegNo, c.Custodian, want)
		}
	}
	c, _ := takeCarrier(s.db, cs[1].ID)
	f := FormOf(c)
	f.Custodian = "孙丽"
	before := countRows(t, s)
	_, err = s.Edit(clerk(t, s), c.ID, c.Version, f, "换人保管")
	wantRefusal(t, err, models.ErrBadHandover, models.FieldCustodian, "只能通过交接")
	unchanged(t, s, before)
}

// R27: a temporary handover for leave comes back by one act, once; what
// left the register meanwhile stays where it is.
func TestHandover_R27_TemporaryForLeaveComesBack(t *testing.T) {
	s := newService(t)
	cs := holdings(t, s, "王敏", "遂安府办发〔2026〕30号", models.LevelSecret, "3")
	t1, items, err := s.Handover(clerk(t, s), HandoverInput{From: "王敏", To: "孙丽", Witness: "李主任",
		Temporary: true, ReturnOn: "2026-11-30", Note: "王敏休假"})
	if err != nil || len(items) != 3 || !t1.Temporary || t1.ReturnOn != "2026-11-30" {
		t.Fatalf("temporary: %+v %v", t1, err)
	}
	open, err := s.TemporaryOpen(clerk(t, s))
	if err != nil || len(open) != 1 || open[0].ID != t1.ID {
		t.Fatalf("open temporary handovers %+v %v", open, err)
	}
	// While on leave, one copy is archived by the stand-in.
	if _, err := s.Archive(clerk(t, s), cs[2].ID, "2026-永久-001", ""); err != nil {
		t.Fatal(err)
	}
	before := snapInsp(t, s)
	_, _, err = s.ReturnHandover(clerk(t, s), t1.ID, "孙丽", "")
	wantRefusal(t, err, models.ErrBadHandover, FieldHandoverWitness, "第三人")
	inspUnchanged(t, s, before)
	back, items, err := s.ReturnHandover(clerk(t, s), t1.ID, "李主任", "")
	if err != nil || len(items) != 2 || back.From != "孙丽" || back.To != "王敏" || back.EndsID == nil || *back.EndsID != t1.ID {
		t.Fatalf("return: %+v %d %v", back, len(items), err)
	}
	for i, want := range []string{"王敏", "王敏", "孙丽"} {
		if c, _ := takeCarrier(s.db, cs[i].ID); c.Custodian != want {
			t.Fatalf("%s (%s) held by %s, want %s", c.RegNo, c.State, c.Custodian, want)
		}
	}
	_, _, err = s.ReturnHandover(clerk(t, s), t1.ID, "李主任", "")
	wantRefusal(t, err, models.ErrRequestDecided, FieldHandoverItems, "已收回")
	if open, _ := s.TemporaryOpen(clerk(t, s)); len(open) != 0 {
		t.Fatalf("still open after the return: %+v", open)
	}
}
