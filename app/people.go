package app

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// Field names of the people list's messages.
const (
	FieldPersonName  = "PersonName"
	FieldPersonGrade = "PersonGrade"
	FieldPersonMerge = "PersonMerge"
)

// PersonInput is a person as the clerk adds or corrects them.
type PersonInput struct {
	ID         string // "" adds a person
	Name       string
	Department string
	Title      string
	Left       bool
	LeftOn     string // yyyy-mm-dd when Left; blank means today
}

func takePerson(tx *gorm.DB, id string) (models.Person, error) {
	var p models.Person
	err := tx.Where("id = ?", id).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return p, fmt.Errorf("person %s: %w", id, models.ErrNotFound)
	}
	return p, err
}

// receiver checks that name may receive a carrier or a task (R27): a
// person who has left may not. A name not yet on the list joins it, as
// typed, in the same act: the list holds every name the register uses.
func (s *Service) receiver(tx *gorm.DB, sess *Session, field, label, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	if err := s.buildPeopleTx(tx, sess); err != nil {
		return err
	}
	var ps []models.Person
	if err := tx.Where("name = ?", name).Limit(1).Find(&ps).Error; err != nil {
		return err
	}
	if len(ps) > 0 {
		if ps[0].Left {
			return fieldError(field, models.ErrPersonLeft, "%s已离岗（%s），不能再作为%s", name, ps[0].LeftOn, label)
		}
		return nil
	}
	p := models.Person{ID: uuid.NewString(), Name: name, CreatedAt: s.now(), CreatedBy: sess.FullName}
	if err := tx.Create(&p).Error; err != nil {
		return fmt.Errorf("insert person %s: %w", name, err)
	}
	return s.audit(tx, sess, models.EventPeople, name, true, "人员名单新增："+name+"（首次作为"+label+"登记）")
}

// registerNames are the names the register uses: custodians, borrowers,
// readers, the two sides and the witness of handovers, approvers.
const registerNames = `SELECT custodian AS name FROM carriers WHERE custodian <> ''
	UNION SELECT borrower FROM loans UNION SELECT reader FROM circulation_steps
	UNION SELECT from_custodian FROM handovers UNION SELECT to_custodian FROM handovers
	UNION SELECT witness FROM handovers WHERE witness <> '' UNION SELECT name FROM approvers`

// settingPeopleBuilt marks the people list as made from the register's names.
const settingPeopleBuilt = "people.built"

// buildPeople makes the people list, once, from the names the register
// already uses (R27): each spelling once, near duplicates listed for the
// clerk to merge. Recorded in the audit trail.
func (s *Service) buildPeople(sess *Session) error {
	if peopleBuilt(s.db) {
		return nil
	}
	return s.write(func(tx *gorm.DB) error { return s.buildPeopleTx(tx, sess) })
}

func peopleBuilt(tx *gorm.DB) bool {
	var v string
	tx.Raw(`SELECT value FROM settings WHERE key = ?`, settingPeopleBuilt).Scan(&v)
	return v != ""
}

func (s *Service) buildPeopleTx(tx *gorm.DB, sess *Session) error {
	if peopleBuilt(tx) {
		return nil
	}
	var names []string
	if err := tx.Raw(registerNames + ` EXCEPT SELECT name FROM persons`).Scan(&names).Error; err != nil {
		return err
	}
	now := s.now()
	added := 0
	for _, name := range names {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		var n int64
		if err := tx.Model(&models.Person{}).Where("name = ?", name).Count(&n).Error; err != nil || n > 0 {
			if err != nil {
				return err
			}
			continue
		}
		p := models.Person{ID: uuid.NewString(), Name: name, CreatedAt: now, CreatedBy: sess.FullName,
			Note: "由登记簿中的姓名建立"}
		if err := tx.Create(&p).Error; err != nil {
			return fmt.Errorf("insert person %s: %w", name, err)
		}
		added++
	}
	if err := setSetting(tx, settingPeopleBuilt, now.Format(models.DateLayout)); err != nil {
		return err
	}
	return s.audit(tx, sess, models.EventPeople, "人员名单", true,
		fmt.Sprintf("由登记簿中已有的姓名建立人员名单：%d 人", added))
}

// PeopleList lists the people, by name; the list is made from the
// register's names the first time it is read.
func (s *Service) PeopleList(sess *Session) (_ []models.Person, err error) {
	defer s.refused(sess, "PeopleList", "", &err)
	if err := s.authorize(sess, models.RoleClerk, models.RoleSecAdmin); err != nil {
		return nil, err
	}
	if err := s.buildPeople(sess); err != nil {
		return nil, err
	}
	var out []models.Person
	err = s.db.Order("has_left, name").Limit(MaxDispatchList * 5).Find(&out).Error
	return out, err
}

// PersonDuplicates lists the spellings that name one person (王敏, 王 敏),
// each group by name, for the clerk to merge (R27).
func (s *Service) PersonDuplicates(sess *Session) (_ [][]models.Person, err error) {
	defer s.refused(sess, "PersonDuplicates", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var all []models.Person
	if err := s.db.Where("has_left = 0").Order("name").Find(&all).Error; err != nil {
		return nil, err
	}
	groups := map[string][]models.Person{}
	for _, p := range all {
		k := models.NameKey(p.Name)
		groups[k] = append(groups[k], p)
	}
	var out [][]models.Person
	for _, g := range groups {
		if len(g) > 1 {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0].Name < out[j][0].Name })
	return out, nil
}

// SavePerson adds a person or corrects one: name, 部门, 职务, and whether
// they have left. A name is on the list once. Clerk only; audited.
func (s *Service) SavePerson(sess *Session, in PersonInput) (_ models.Person, err error) {
	defer s.refused(sess, "SavePerson", in.ID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.Person{}, err
	}
	in.Name, in.Department, in.Title = strings.TrimSpace(in.Name), strings.TrimSpace(in.Department), strings.TrimSpace(in.Title)
	var v models.ValidationError
	checkText(&v, FieldPersonName, in.Name, "姓名", MaxRequesterLen, true)
	checkText(&v, FieldPersonName, in.Department, "部门", MaxRequesterLen, false)
	checkText(&v, FieldPersonName, in.Title, "职务", MaxRequesterLen, false)
	leftOn := ""
	if in.Left {
		if strings.TrimSpace(in.LeftOn) == "" {
			in.LeftOn = s.today().Format(models.DateLayout)
		}
		leftOn = s.pastDay(&v, FieldPersonName, "离岗日期", in.LeftOn)
	}
	if len(v.Fields) > 0 {
		v.Cause = models.ErrBadPerson
		return models.Person{}, &v
	}
	var out models.Person
	err = s.write(func(tx *gorm.DB) error {
		var same []models.Person
		if err := tx.Where("name = ? AND id <> ?", in.Name, in.ID).Limit(1).Find(&same).Error; err != nil {
			return err
		}
		if len(same) > 0 {
			return fieldError(FieldPersonName, models.ErrBadPerson, "人员名单中已有%s", in.Name)
		}
		if in.ID == "" {
			out = models.Person{ID: uuid.NewString(), Name: in.Name, Department: in.Department, Title: in.Title,
				Left: in.Left, LeftOn: leftOn, CreatedAt: s.now(), CreatedBy: sess.FullName}
			if err := tx.Create(&out).Error; err != nil {
				return fmt.Errorf("insert person: %w", err)
			}
			return s.audit(tx, sess, models.EventPeople, out.Name, true, "人员名单新增："+personText(&out))
		}
		old, err := takePerson(tx, in.ID)
		if err != nil {
			return err
		}
		if in.Name != old.Name {
			var held int64
			if err := tx.Model(&models.Carrier{}).Where("custodian = ?", old.Name).Count(&held).Error; err != nil {
				return err
			}
			if held > 0 {
				return fieldError(FieldPersonName, models.ErrBadPerson,
					"%s是 %d 件载体的责任人，姓名不能直接改：请新增正确的姓名后用“合并”", old.Name, held)
			}
		}
		if in.Left && !old.Left {
			var held int64
			if err := tx.Model(&models.Carrier{}).Where("custodian = ? AND state IN ?", old.Name, models.HeldStates).
				Count(&held).Error; err != nil {
				return err
			}
			if held > 0 {
				return fieldError(FieldPersonName, models.ErrBadPerson,
					"%s仍保管 %d 件载体：离岗前须办理交接，交还所保管的载体", old.Name, held)
			}
		}
		if !in.Left {
			leftOn = ""
		}
		out = old
		out.Name, out.Department, out.Title, out.Left, out.LeftOn = in.Name, in.Department, in.Title, in.Left, leftOn
		if err := tx.Model(&models.Person{}).Where("id = ?", old.ID).Updates(map[string]any{"name": out.Name,
			"department": out.Department, "title": out.Title, "has_left": out.Left, "left_on": out.LeftOn}).Error; err != nil {
			return fmt.Errorf("update person: %w", err)
		}
		return s.audit(tx, sess, models.EventPeople, out.Name, true, "人员名单修改："+personText(&old)+" → "+personText(&out))
	})
	if err != nil {
		return models.Person{}, err
	}
	return out, nil
}

func personText(p *models.Person) string {
	t := p.Name
	for _, x := range []string{p.Department, p.Title, string(p.Grade)} {
		if x != "" {
			t += " " + x
		}
	}
	if p.Left {
		t += " 已离岗（" + p.LeftOn + "）"
	}
	return t
}

// SetPersonGrade sets a person's 涉密等级. Security officer only; audited.
func (s *Service) SetPersonGrade(sess *Session, id string, g models.PersonGrade) (err error) {
	defer s.refused(sess, "SetPersonGrade", id, &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return err
	}
	if !g.Valid() {
		return fieldError(FieldPersonGrade, models.ErrBadPerson, "涉密等级只能是核心、重要或一般")
	}
	return s.write(func(tx *gorm.DB) error {
		p, err := takePerson(tx, id)
		if err != nil {
			return err
		}
		if err := tx.Model(&models.Person{}).Where("id = ?", id).Update("grade", g).Error; err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventPeople, p.Name, true, fmt.Sprintf("%s 涉密等级：%s → %s", p.Name, p.Grade, g))
	})
}

// MergePerson merges a spelling into the list's one (R27): every carrier
// still held under drop's name takes keep's, with a history line; drop
// stays on the list, marked merged, and receives nothing new. Clerk only;
// audited.
func (s *Service) MergePerson(sess *Session, keepID, dropID string) (moved int, err error) {
	defer s.refused(sess, "MergePerson", dropID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return 0, err
	}
	err = s.write(func(tx *gorm.DB) error {
		keep, err := takePerson(tx, keepID)
		if err != nil {
			return err
		}
		drop, err := takePerson(tx, dropID)
		if err != nil {
			return err
		}
		switch {
		case keep.ID == drop.ID:
			return fieldError(FieldPersonMerge, models.ErrBadPerson, "请选择两个不同的姓名")
		case keep.Left:
			return fieldError(FieldPersonMerge, models.ErrPersonLeft, "%s已离岗，不能合并到其名下", keep.Name)
		}
		var cs []models.Carrier
		if err := tx.Where("custodian = ? AND state IN ?", drop.Name, models.HeldStates).Order("seq").Find(&cs).Error; err != nil {
			return err
		}
		now := s.now()
		why := fmt.Sprintf("人员名单合并：%s 与 %s 为同一人", drop.Name, keep.Name)
		for _, c := range cs {
			res := tx.Model(&models.Carrier{}).Where("id = ? AND version = ?", c.ID, c.Version).
				Updates(map[string]any{"custodian": keep.Name, "version": c.Version + 1, "updated_at": now})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected != 1 {
				return models.ErrStale
			}
			if err := addEvent(tx, now, sess, c.ID, 0, models.ActionPersonMerge, "责任人", drop.Name, keep.Name, why); err != nil {
				return err
			}
		}
		moved = len(cs)
		if err := tx.Model(&models.Person{}).Where("id = ?", drop.ID).Updates(map[string]any{"has_left": true,
			"left_on": now.Format(models.DateLayout), "note": "已合并到 " + keep.Name}).Error; err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventPeople, keep.Name, true, fmt.Sprintf("%s，%d 件在册载体的责任人随之更正", why, moved))
	})
	return moved, err
}
