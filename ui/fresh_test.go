package ui

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"secdoc/app"
	"secdoc/internal/demo"
)

// countedFixture is the clerk's window over a register of n demo carriers
// and the demo's workflows, on a service that counts the window's calls.
func countedFixture(t *testing.T, n int) (*fixture, *countingService) {
	t.Helper()
	var cs *countingService
	fx := newFixtureWith(t, func(s *app.Service) Service {
		cs = &countingService{s: s, calls: map[string]int{}}
		return cs
	})
	if err := demo.Generate(fx.svc, fx.sess, n, 1, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Workflows(fx.svc, fx.sess, fx.session(loginSecAdmin)); err != nil {
		t.Fatal(err)
	}
	return fx, cs
}

// visitAll shows every tab of the clerk's window in turn, then the home,
// and returns the use cases the window called meanwhile.
func visitAll(fx *fixture, cs *countingService) map[string]int {
	cs.calls = map[string]int{}
	for i := range fx.m.tabs.Items {
		fx.m.tabs.SelectIndex(i)
	}
	fx.m.tabs.Select(fx.m.homeTab)
	return cs.calls
}

func callList(calls map[string]int) string {
	var names []string
	for n, c := range calls {
		names = append(names, fmt.Sprintf("%s×%d", n, c))
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

// A screen shown again shows what it showed: with nothing changed, visiting
// every screen asks nothing of the register; after a change, only the
// screens that show what changed load again; when the day turns, the ones
// that list what falls due do.
func TestScreens_ShownAgainLoadOnlyWhatChanged(t *testing.T) {
	fx, cs := countedFixture(t, 300)
	if got := visitAll(fx, cs); len(got) == 0 {
		t.Fatal("the first visit after the demo's changes loaded nothing")
	}
	if got := visitAll(fx, cs); len(got) != 0 {
		t.Fatalf("every screen shown again with nothing changed called %s", callList(got))
	}

	// A person added: the people list and what names people.
	if _, err := fx.svc.SavePerson(fx.sess, app.PersonInput{Name: "周婷", Department: "办公室"}); err != nil {
		t.Fatal(err)
	}
	got := visitAll(fx, cs)
	if got["PeopleList"] == 0 {
		t.Errorf("after a person was added the 人员 screen did not load again: %s", callList(got))
	}
	// The home lists people (the readers of its urges) and reads the
	// destruction and 清退 batches awaiting a step once; the 销毁 and 清退
	// screens would read them a second time.
	for _, untouched := range []string{"CountUpTo", "Page", "ReturnCandidates", "ReviewCount", "Inspections"} {
		if got[untouched] > 0 {
			t.Errorf("after a person was added, %s was called again: %s", untouched, callList(got))
		}
	}
	for _, once := range []string{"DestructionBatches", "ReturnBatches"} {
		if got[once] > 1 {
			t.Errorf("after a person was added, %s was called %d times (the home's once): %s", once, got[once], callList(got))
		}
	}

	// The next day: what falls due by the day.
	fx.advance(24 * time.Hour)
	got = visitAll(fx, cs)
	for _, due := range []string{"Inspections", "ReviewCount", "OverdueLoans"} {
		if got[due] == 0 {
			t.Errorf("the next day, %s was not read again: %s", due, callList(got))
		}
	}
	for _, untouched := range []string{"CountUpTo", "Page", "ReturnCandidates", "PeopleList"} {
		if got[untouched] > 0 {
			t.Errorf("the next day with nothing changed, %s was called again: %s", untouched, callList(got))
		}
	}
	if got["DestructionBatches"] > 1 {
		t.Errorf("the next day, the 销毁 screen read its batches again: %s", callList(got))
	}

	// A registration: everything that lists carriers.
	if _, err := fx.svc.Register(fx.sess, validForm("遂安府发〔2026〕77号", "关于换届工作的通知")); err != nil {
		t.Fatal(err)
	}
	got = visitAll(fx, cs)
	if got["DestructionBatches"] < 2 {
		t.Errorf("after a registration, the 销毁 screen did not read its batches again: %s", callList(got))
	}
	for _, loaded := range []string{"CountUpTo", "ReturnCandidates", "ReviewCount", "Inspections", "PeopleList", "OverdueLoans"} {
		if got[loaded] == 0 {
			t.Errorf("after a registration, %s was not read again: %s", loaded, callList(got))
		}
	}
	if got := visitAll(fx, cs); len(got) != 0 {
		t.Fatalf("every screen shown a second time after the registration called %s", callList(got))
	}
}

// rowWidgets is the largest number of objects one container of o holds.
func rowWidgets(o fyne.CanvasObject) (int, string) {
	most, what := 0, ""
	walk(o, func(c fyne.CanvasObject) {
		if box, ok := c.(*fyne.Container); ok && len(box.Objects) > most {
			most = len(box.Objects)
			what = strings.Join(texts(box), "|")
		}
	})
	return most, what
}

// No screen makes a widget per row of a list that grows with the register:
// after every screen has loaded over a register of thousands, no container
// holds more than a page of rows.
func TestScreens_NoContainerHoldsMoreThanAPage(t *testing.T) {
	fx, cs := countedFixture(t, 3000)
	visitAll(fx, cs)
	for _, tab := range fx.m.tabs.Items {
		if n, what := rowWidgets(tab.Content); n > maxRowWidgets {
			t.Errorf("the %s screen has a container of %d objects (at most %d): %.300s", tab.Text, n, maxRowWidgets, what)
		}
	}
}

// maxRowWidgets is the most objects a container of the window may hold: a
// home card's few items or a form's fields, never a whole list.
const maxRowWidgets = 40
