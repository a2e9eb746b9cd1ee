package app

import (
	"fmt"
	"os"
	"testing"
	"time"

	"secdoc/models"
)

// Closing the service while a long reading runs and registrations are
// being written: Close does not wait for the reading, the writes stop with
// an error, the one in flight rolled back whole. Once the reading has
// ended, nothing of the write-ahead log is left, and the file opened again
// is whole (integrity, audit chain, count tables): the hold on it released.
func TestClose_InterruptsWhatRunsAndLeavesTheRegisterWhole(t *testing.T) {
	s := newService(t)
	sess := clerk(t, s)
	path := s.Path()
	numbered := func(i int) models.CarrierForm {
		f := form()
		f.DocNumber = fmt.Sprintf("遂安府办发〔2026〕%d号", 100+i)
		return f
	}
	for i := 0; i < 5; i++ {
		mustRegister(t, s, numbered(i))
	}

	reading := make(chan error, 1)
	started := make(chan struct{})
	go func() {
		rows, err := s.query(nil, `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000) SELECT count(*) FROM c`)
		close(started)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		reading <- err
	}()
	writing := make(chan error, 1)
	written := make(chan int, 1)
	go func() {
		n := 0
		for {
			if _, err := s.Register(sess, numbered(5+n)); err != nil {
				written <- n
				writing <- err
				return
			}
			n++
		}
	}()
	<-started
	time.Sleep(200 * time.Millisecond) // let both be under way

	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(time.Minute): // a hang, not a speed
		t.Fatal("Close did not return while a reading ran")
	}
	select {
	case <-reading:
		t.Error("Close returned only after the long reading had ended: it waited for it")
	default:
	}
	<-reading
	if err := <-writing; err == nil {
		t.Error("the writes going on at Close got no error")
	}
	n := <-written
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Error("the write-ahead log is left beside the closed database")
	}

	s2, err := Open(path) // the hold is released
	if err != nil {
		t.Fatalf("opening again after Close: %v", err)
	}
	defer s2.Close()
	s2.Now = s.Now
	var ic string
	if err := s2.db.Raw(`PRAGMA integrity_check`).Scan(&ic).Error; err != nil || ic != "ok" {
		t.Fatalf("integrity_check = %q, %v", ic, err)
	}
	aud, _, err := s2.SignIn("auditor", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	v, err := s2.VerifyAudit(aud)
	if err != nil || !v.OK {
		t.Fatalf("the audit trail after an interrupted write: %v %+v", err, v)
	}
	cl, _, err := s2.SignIn("wangmin", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if d, err := s2.CountsDiffer(cl); err != nil || len(d) > 0 {
		t.Fatalf("count tables after an interrupted write: %v %v", d, err)
	}
	var carriers int64
	s2.db.Raw(`SELECT count(*) FROM carriers`).Scan(&carriers)
	if carriers != int64(5+n) {
		t.Errorf("%d carriers after %d registrations finished before Close; want %d", carriers, 5+n, 5+n)
	}
}
