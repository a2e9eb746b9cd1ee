package reports

import (
	"strings"
)

// Helpers shared by the single-carrier slips: the circulation sheet, the
// copy approval slip and the loan and take-out slips.

// The grid of the slips' particulars, in millimetres: three pairs of a
// caption and its value across the page, or two pairs whose second caption
// lines up with the third of three, so that the boxes' sides run straight
// down the form.
const (
	slipCapW  = 22.0 // a caption box
	slipValW  = 38.0 // a value in a row of three pairs
	slipWideW = slipValW + slipCapW + slipValW
	slipRowH  = 9.0  // a one-line row of particulars
	slipTallH = 13.0 // a row for a title
	slipSignH = 11.0 // a table row to sign in by hand
)

// Feet of the boxes a person signs in, printed at their bottom right.
const (
	slipApproverFoot = "审批人签字：                  年    月    日"
	slipCheckerFoot  = "检查人签字：                  年    月    日"
)

// slipHead completes a slip's head from its carrier: a slip without its
// own marking or register number carries the carrier's, so that a 绝密
// carrier's slip always shows 绝密★… top-left.
func slipHead(h Head, c CarrierLine) Head {
	if h.Marking == "" {
		h.Marking = c.Marking
		if h.Marking == "" {
			h.Marking = c.Level
		}
	}
	if h.RegNo == "" {
		h.RegNo = c.RegNo
	}
	return h
}

// slipDecision is the text of a recorded decision as the approval box
// shows it: the decision and opinion, then the approver and the date.
// Nothing recorded gives "", an empty box for the leader to write in.
func slipDecision(d Decision) string {
	op := strings.TrimSpace(d.Opinion)
	dec := strings.TrimSpace(d.Decision)
	text := op
	if dec != "" && !strings.HasPrefix(op, dec) {
		text = dec
		if op != "" {
			if !strings.ContainsRune("。，；！,.;!", []rune(dec)[len([]rune(dec))-1]) {
				text += "。"
			}
			text += op
		}
	}
	var by []string
	if d.Approver != "" {
		role := d.Role
		if role == "" {
			role = "审批人"
		}
		by = append(by, role+"："+d.Approver)
	}
	if d.Date != "" {
		by = append(by, "日期："+fmtDate(d.Date))
	}
	if len(by) > 0 {
		if text != "" {
			text += "\n"
		}
		text += strings.Join(by, "    ")
	}
	return text
}

// slipBox is a tall box of a slip to write in: a caption, the value (or
// nothing, for handwriting) and a printed foot such as a signature line.
type slipBox struct {
	caption string
	text    string
	foot    string
	minH    float64 // the least height, for handwriting
	weight  float64 // the box's share of the page's free height
}

// slipBoxes prints boxes one under another, sharing what is left of the
// page, less after millimetres, by their weights: each box is at least as
// tall as its minimum and its text, and the last reaches down to the end,
// so that a slip fills its page instead of leaving it half empty. A box
// that does not fit whole on this page but would on the next starts there,
// and its share is worked out on the page it is printed on.
func (s *sheet) slipBoxes(after float64, boxes ...slipBox) {
	freshH := s.bottom() - margin - 8 // the body height of a continuation page, as row has it
	for i, b := range boxes {
		need := s.slipBoxNeed(b)
		if s.y+need > s.bottom() && need <= freshH {
			s.newPage()
		}
		later, weights := 0.0, b.weight
		for _, l := range boxes[i+1:] {
			later += l.minH
			weights += l.weight
		}
		avail := s.bottom() - s.y - after
		h := need
		if i == len(boxes)-1 {
			h = max(need, avail)
		} else if weights > 0 {
			h = max(need, min(avail*b.weight/weights, avail-later))
		}
		s.row(h, caption(slipCapW, b.caption), cell{text: b.text, foot: b.foot})
	}
}

// slipBoxNeed is the height a box needs: its minimum, or its text's.
func (s *sheet) slipBoxNeed(b slipBox) float64 {
	if b.text == "" {
		return b.minH
	}
	s.font(bodyPt)
	footH := 0.0
	if b.foot != "" {
		footH = bodyLineH + 1
	}
	lines := wrap(s.pdf, b.text, s.width-slipCapW-2*cellPadX)
	return max(b.minH, float64(len(lines))*bodyLineH+2*cellPadY+footH)
}

// slipTable prints a table of a slip: rows at least minH tall for
// handwriting, their text centred, and padded with empty rows (see
// tableStyle for minRows and reserve).
func (s *sheet) slipTable(cols []listColumn, rows [][]string, minH float64, minRows int, reserve float64) {
	s.tableWith(cols, rows, tableStyle{minH: minH, center: true, minRows: minRows, reserve: reserve})
}
