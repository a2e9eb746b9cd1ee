package ui

import (
	"time"

	"fyne.io/fyne/v2"

	"secdoc/app"
)

// fresh is what a screen remembers of its last load: the service's change
// count of the kinds of record it reads, and the period of the clock its
// lists depend on (a day for what falls due, a minute for the home's
// working-hour urges). Shown again, the screen loads only when one of them
// has moved since; otherwise it shows what it showed, and asks nothing of
// the database.
type fresh struct {
	kinds  []app.ChangeKind
	period func(time.Time) string // nil: the clock does not matter
	seen   uint64
	at     string
	valid  bool // a load started and did not fail
}

func newFresh(period func(time.Time) string, kinds ...app.ChangeKind) fresh {
	return fresh{kinds: kinds, period: period}
}

// byDay and byMinute are the periods of what falls due by the day and of
// what falls due by the working hour.
func byDay(t time.Time) string    { return t.Format("2006-01-02") }
func byMinute(t time.Time) string { return t.Format("2006-01-02 15:04") }

func (f *fresh) stamp(now time.Time) string {
	if f.period == nil {
		return ""
	}
	return f.period(now)
}

// stale says whether the screen must load again to show the register as it is.
func (f *fresh) stale(b Service, now time.Time) bool {
	return !f.valid || b.ChangeCount(f.kinds...) != f.seen || f.stamp(now) != f.at
}

// start notes, as a load begins, what it reads: a change committed while
// it runs makes the screen stale again.
func (f *fresh) start(b Service, now time.Time) {
	f.seen, f.at, f.valid = b.ChangeCount(f.kinds...), f.stamp(now), true
}

// refresh calls reload, the screen's load, when the screen is stale.
func (f *fresh) refresh(b Service, now time.Time, reload func()) {
	if f.stale(b, now) {
		reload()
	}
}

// forget makes the next showing load again: the last load failed.
func (f *fresh) forget() { f.valid = false }

// loadFresh is loadThen for a screen that keeps f: it notes the load's
// start in f, and forgets it when the load fails. f may be nil.
func (m *MainUI) loadFresh(f *fresh, load func() error, stale func() bool, status statusLine, doing string, apply func()) {
	if f != nil {
		f.start(m.b, m.env.now())
	}
	m.env.run(func() {
		err := load()
		fyne.Do(func() {
			if err != nil && f != nil {
				f.forget()
			}
			if stale() {
				return
			}
			if err != nil {
				if msg, ok := firstMessage(err); ok {
					status.fail(msg)
					return
				}
				m.unexpected(doing, err)
				return
			}
			apply()
		})
	})
}
