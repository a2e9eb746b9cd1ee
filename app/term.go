package app

import (
	"sort"
	"time"

	"gorm.io/gorm"

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

func heldCarriers(db *gorm.DB) ([]models.Carrier, error) {
	var cs []models.Carrier
	err := db.Where("state IN ?", models.HeldStates).Order("seq").Find(&cs).Error
	return cs, err
}

// ExpiringTerms lists the held carriers whose secrecy term ends within
// withinMonths of today (DefaultWarnMonths when 0) or has already ended,
// the soonest first (R15). Condition terms have no date and are not listed
// here: they are on the yearly review list. Clerk only.
func (s *Service) ExpiringTerms(sess *Session, today time.Time, withinMonths int) (_ []TermDue, err error) {
	defer s.refused(sess, "ExpiringTerms", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	if withinMonths <= 0 {
		withinMonths = DefaultWarnMonths
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	limit := today.AddDate(0, withinMonths, 0)
	cs, err := heldCarriers(s.db)
	if err != nil {
		return nil, err
	}
	var out []TermDue
	for _, c := range cs {
		d, ok := models.TermExpiry(c)
		if !ok || d.After(limit) {
			continue
		}
		out = append(out, TermDue{Carrier: c, Expiry: d, DaysLeft: daysBetween(today, d)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Expiry.Before(out[j].Expiry) })
	return out, nil
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
