package ui

import (
	"strings"

	"fyne.io/fyne/v2"
)

// newPersonEntry is a field that names a person (R27): typing narrows the
// people list, and picking a name fills dept, when given and still empty,
// with that person's 部门. A name the list doesn't know can still be typed:
// the service adds it to the list, and refuses a person who has left.
func (m *MainUI) newPersonEntry(dept *entry) *choiceEntry {
	e := newChoiceEntry(nil)
	var depts map[string]string
	if dept != nil {
		e.OnChanged = func(name string) {
			if d := depts[strings.TrimSpace(name)]; d != "" && strings.TrimSpace(dept.Text) == "" {
				dept.SetText(d)
			}
		}
	}
	m.env.run(func() {
		names, err := m.b.People(m.sess)
		found := map[string]string{}
		if err == nil && dept != nil {
			people, perr := m.b.PeopleList(m.sess)
			for _, p := range people {
				if !p.Left && p.Department != "" {
					found[p.Name] = p.Department
				}
			}
			err = perr
		}
		fyne.Do(func() {
			if err != nil {
				// The field stays a plain one: typing a name still works.
				return
			}
			e.SetOptions(names)
			depts = found
		})
	})
	return e
}
