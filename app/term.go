package app

import (
	"fmt"
	"time"

	"secdoc/models"
)

// DefaultWarnMonths is how long before a term ends it is listed (R15).
const DefaultWarnMonths = 3

// Field names of a secrecy change's messages.
const (
	FieldChangeCarrier = "ChangeCarrier"
	FieldChangeKind    = "ChangeKind"
	FieldNewLevel      = "NewLevel"
	FieldNewTerm       = "NewTerm"
	FieldReason        = "Reason"
)

// TermDue is a held carrier whose term ends soon or has ended.
type TermDue struct {
	Carrier  models.Carrier
	Expiry   time.Time // the date the term ends
	DaysLeft int       // negative once it has ended
}

func daysBetween(from, to time.Time) int {
	a := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// ExpiringTerms lists the held carriers whose secrecy term ends within
// withinMonths of today (DefaultWarnMonths when 0) or has already ended,
// the soonest first, at most limit of them, and how many there are
// (counted up to HomeCountCap) (R15). Condition terms have no date and are
// not listed here: they are on the yearly review list. Both are read from
// the index of the held carriers by the end of their term. Clerk only.
func (s *Service) ExpiringTerms(sess *Session, today time.Time, withinMonths, limit int) (_ []TermDue, total int, err error) {
	defer s.refused(sess, "ExpiringTerms", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, 0, err
	}
	if withinMonths <= 0 {
		withinMonths = DefaultWarnMonths
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	by := today.AddDate(0, withinMonths, 0).Format(models.DateLayout)
	const where = `term_end IS NOT NULL AND ` + models.HeldSQL + ` AND term_end <= ?`
	var n int64
	if err := s.db.Raw(`SELECT count(*) FROM (SELECT 1 FROM carriers INDEXED BY idx_carriers_term_end WHERE `+where+
		` LIMIT ?)`, by, HomeCountCap).
		Scan(&n).Error; err != nil {
		return nil, 0, err
	}
	var cs []models.Carrier
	if err := s.db.Raw(`SELECT * FROM carriers INDEXED BY idx_carriers_term_end WHERE `+where+
		` ORDER BY term_end, seq LIMIT ?`, by, limit).Scan(&cs).Error; err != nil {
		return nil, 0, err
	}
	out := make([]TermDue, 0, len(cs))
	for _, c := range cs {
		d, ok := models.TermExpiry(c)
		if !ok {
			return nil, 0, fmt.Errorf("the term of %s has an end in the index but none by its marks", c.RegNo)
		}
		out = append(out, TermDue{Carrier: c, Expiry: d, DaysLeft: daysBetween(today, d)})
	}
	return out, int(n), nil
}

// SecrecyChanges lists the recorded mark changes of a carrier, oldest first.
func (s *Service) SecrecyChanges(sess *Session, carrierID string) (_ []models.SecrecyChange, err error) {
	defer s.refused(sess, "SecrecyChanges", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.SecrecyChange
	err = s.db.Where("carrier_id = ?", carrierID).Order("recorded_at, id").Find(&out).Error
	return out, err
}
