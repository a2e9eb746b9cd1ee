package app

import (
	"fmt"

	"secdoc/models"
)

// dispatch runs one step of 定密, 印制 or 分发 (R24, R25) on a random
// carrier, the office's own or not, so that the rules' refusals are drawn
// as often as the acts.
func (w *propWorld) dispatch(i int, name string) error {
	s, r := w.s, w.rng
	sess := clerk(w.t, s)
	var own []string
	s.db.Raw(`SELECT id FROM carriers WHERE direction = 'out' AND is_copy = 0 ORDER BY seq`).Scan(&own)
	if len(own) == 0 || r.IntN(5) == 0 {
		own = w.ids
	}
	id := w.pick(own)
	c, _ := w.carrier(id)
	switch name {
	case "classify":
		var pending []string
		s.db.Raw(`SELECT id FROM classifications WHERE state = 'proposed' ORDER BY rowid`).Scan(&pending)
		if len(pending) > 0 && r.IntN(2) == 0 {
			k := w.pick(pending)
			_, err := s.DecideClassification(sess, ClassDecision{ClassID: k, AuthorityID: w.approver(), DecidedOn: w.date()})
			return err
		}
		_, err := s.ProposeClassification(sess, ClassifyInput{CarrierID: id, Kind: models.ClassDerived, Level: c.Level,
			Term: models.Term{Kind: models.TermYears, Years: 5}, NeedToKnow: "办公室主任", Basis: "依据上级来文派生",
			Undertaker: "刘洋"})
		return err
	case "print":
		copies := c.CopyCount
		if r.IntN(6) == 0 {
			copies++ // miscounted
		}
		w.note = fmt.Sprintf("印数 %d", copies)
		_, err := s.RecordPrinting(sess, PrintingInput{CarrierID: id, Copies: copies, Printer: "文印室",
			PrintedOn: w.date(), Spoiled: r.IntN(3), Proofs: r.IntN(2)})
		return err
	case "send":
		var lines []string
		s.db.Raw(`SELECT id FROM dispatch_lines WHERE batch_id = ? ORDER BY ord`, c.BatchID).Scan(&lines)
		if len(lines) == 0 || r.IntN(3) == 0 {
			ch := models.Channels[r.IntN(len(models.Channels))]
			w.note = string(ch)
			_, err := s.AddDispatchLine(sess, DispatchLineInput{CarrierID: id, Recipient: "遂安市财政局", Copies: 1 + r.IntN(2), Channel: ch})
			return err
		}
		_, err := s.Send(sess, SendInput{LineID: w.pick(lines), CarrierIDs: []string{id}, SentOn: w.date(),
			Handler: "王敏", Sealed: r.IntN(4) != 0})
		return err
	}
	var open []string
	s.db.Raw(`SELECT id FROM sendings WHERE receipt_on = '' AND returned_on = '' ORDER BY rowid`).Scan(&open)
	x := w.pick(open)
	if r.IntN(4) == 0 {
		_, err := s.ReturnSent(sess, x, w.date(), "误发")
		return err
	}
	_, err := s.RecordReceipt(sess, ReceiptInput{SendingID: x, Kind: models.ReceiptSlip, No: "回-1", On: w.date()})
	return err
}

// checkDispatch verifies that 分发 and the carriers agree: a copy is 已分发
// exactly while one sending of it is open; no line sends more than it
// lists; a sent 国家秘密 copy has its 定密 approved, a sent paper copy its
// 印制; and no sent copy counts as held.
func (w *propWorld) checkDispatch(where string, cs []models.Carrier, byID map[string]models.Carrier) {
	t, s := w.t, w.s
	var open []models.Sending
	if err := s.db.Where("returned_on = ''").Find(&open).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, x := range open {
		out[x.CarrierID]++
		if c := byID[x.CarrierID]; c.State != models.StateSent {
			t.Fatalf("%s: %s has an open sending but is %s", where, c.RegNo, c.State)
		}
	}
	for _, c := range cs {
		if c.State != models.StateSent {
			continue
		}
		if out[c.ID] != 1 {
			t.Fatalf("%s: %s is 已分发 with %d open sendings", where, c.RegNo, out[c.ID])
		}
		if c.State.Held() {
			t.Fatalf("%s: sent %s counts as held", where, c.RegNo)
		}
		var ok int64
		if c.Level.IsStateSecret() {
			s.db.Raw(`SELECT count(*) FROM classifications WHERE batch_id = ? AND state = 'approved'`, c.BatchID).Scan(&ok)
			if ok != 1 {
				t.Fatalf("%s: %s (%s) was sent without an approved 定密", where, c.RegNo, c.Level)
			}
		}
		if c.Kind == models.KindPaper {
			s.db.Raw(`SELECT count(*) FROM printings WHERE batch_id = ?`, c.BatchID).Scan(&ok)
			if ok != 1 {
				t.Fatalf("%s: paper %s was sent without its 印制", where, c.RegNo)
			}
		}
	}
	var over []string
	s.db.Raw(`SELECT l.recipient FROM dispatch_lines l WHERE l.copies <
		(SELECT count(*) FROM sendings x WHERE x.line_id = l.id AND x.returned_on = '')`).Scan(&over)
	if len(over) > 0 {
		t.Fatalf("%s: lines sent beyond their copies: %v", where, over)
	}
}
