package app

import (
	"bytes"
	"testing"
	"time"

	"secdoc/models"
	"secdoc/reports"
)

// R27 (seeds 000, 003): a reader keeping a document past the configured
// hours is listed for 催阅; an incoming 请示 or 报告 stays on the weekly 催办
// list until its circulation is closed or it is settled by 阅知 or 存查.
func TestUrge_R27_ReadersAndRequestsChased(t *testing.T) {
	s := newService(t)
	_, ci := startCirc(t, s)
	if _, err := s.SignOutToReader(clerk(t, s), ci.ID, route[0].Name, fixedNow); err != nil {
		t.Fatal(err)
	}
	f := formNo(2)
	f.DocKind, f.Title = "请示", "关于申请专项经费的请示"
	req := mustRegister(t, s, f)[0]
	g := formNo(3)
	g.DocKind = "报告"
	rep := mustRegister(t, s, g)[0]

	reading, requests, nr, nq, err := s.Urges(clerk(t, s), fixedNow.Add(23*time.Hour), 10)
	if err != nil || nr != 0 || len(reading) != 0 || nq != 2 || len(requests) != 2 || requests[0].RegNo != req.RegNo {
		t.Fatalf("after 23 hours: reading %+v, requests %d %v", reading, nq, err)
	}
	reading, _, nr, _, _ = s.Urges(clerk(t, s), fixedNow.Add(25*time.Hour), 10)
	if nr != 1 || reading[0].Reader != route[0].Name || reading[0].What != "催阅" || reading[0].Days != 1 {
		t.Fatalf("after 25 hours: %+v", reading)
	}
	// A shorter time set by the security officer; the clerk can't.
	if err := s.SetRemindHours(clerk(t, s), 4); err == nil {
		t.Fatal("the clerk set the 催阅 hours")
	}
	err = s.SetRemindHours(as(t, s, "secadmin"), 0)
	wantRefusal(t, err, nil, FieldRemindHours, "1 到 720 小时")
	if err := s.SetRemindHours(as(t, s, "secadmin"), 4); err != nil {
		t.Fatal(err)
	}
	if _, _, nr, _, _ = s.Urges(clerk(t, s), fixedNow.Add(5*time.Hour), 10); nr != 1 {
		t.Fatalf("after 5 hours with 4 set: %d", nr)
	}
	// 存查 settles the 报告; the 请示 stays until it is dealt with.
	if _, err := s.RecordHandling(clerk(t, s), rep.ID, models.HandleFile, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, requests, _, nq, _ = s.Urges(clerk(t, s), fixedNow, 10); nq != 1 || requests[0].RegNo != req.RegNo {
		t.Fatalf("after 存查: %+v", requests)
	}
}

// R27: the 催办催阅单 prints the readers to chase and the 请示 and 报告 not
// settled; a day with nothing to chase is refused, not printed empty.
func TestUrge_R27_PrintedList(t *testing.T) {
	s := newService(t)
	var b bytes.Buffer
	_, err := s.Print(clerk(t, s), FormUrge, "2026-11-23", reports.Options{}, &b)
	wantRefusal(t, err, models.ErrNotFound, "", "没有需要催办、催阅的文件")
	if b.Len() != 0 {
		t.Fatal("an empty list was printed")
	}
	_, ci := startCirc(t, s)
	if _, err := s.SignOutToReader(clerk(t, s), ci.ID, route[0].Name, fixedNow); err != nil {
		t.Fatal(err)
	}
	f := formNo(2)
	f.DocKind, f.Title = "请示", "关于申请专项经费的请示"
	req := mustRegister(t, s, f)[0]
	s.Now = func() time.Time { return fixedNow.Add(30 * time.Hour) }
	mustPrint(t, s, FormUrge, "2026-11-24", "催办催阅单", "阅文人", route[0].Name, "请示", req.RegNo,
		"关于申请专项经费的请示", "催办情况")
}

// R27 (seed 004): a document past its 办理时限 is chased (催办) until it is
// dealt with; a 办理时限 before the 收文日期 is refused.
func TestUrge_R27_PastDeadlineChased(t *testing.T) {
	s := newService(t)
	f := formNo(1)
	f.Deadline = "2026-11-19"
	_, err := s.Register(clerk(t, s), f)
	wantRefusal(t, err, nil, models.FieldDeadline, "不能早于收文日期")
	f.Deadline = "2026-11-25"
	c := mustRegister(t, s, f)[0]
	if c.Deadline != "2026-11-25" {
		t.Fatalf("deadline %q", c.Deadline)
	}
	if _, _, _, nq, _ := s.Urges(clerk(t, s), fixedNow.Add(24*time.Hour), 10); nq != 0 {
		t.Fatalf("chased before its deadline: %d", nq)
	}
	_, requests, _, nq, err := s.Urges(clerk(t, s), fixedNow.Add(3*24*time.Hour), 10)
	if err != nil || nq != 1 || requests[0].RegNo != c.RegNo || requests[0].Deadline != "2026-11-25" {
		t.Fatalf("past its deadline: %+v %v", requests, err)
	}
	if _, err := s.RecordHandling(clerk(t, s), c.ID, models.HandleRead, "", ""); err != nil {
		t.Fatal(err)
	}
	if _, _, _, nq, _ = s.Urges(clerk(t, s), fixedNow.Add(3*24*time.Hour), 10); nq != 0 {
		t.Fatalf("still chased after 阅知: %d", nq)
	}
}
