package models

import (
	"errors"
	"strings"
	"time"
	"unicode"
)

// PersonGrade is a person's 涉密等级 (R27), set by the security officer.
type PersonGrade string

const (
	GradeCore      PersonGrade = "核心"
	GradeImportant PersonGrade = "重要"
	GradeGeneral   PersonGrade = "一般"
)

// Valid reports whether g is a grade or blank (not yet set).
func (g PersonGrade) Valid() bool {
	return g == "" || g == GradeCore || g == GradeImportant || g == GradeGeneral
}

// Person is one entry of the office's list of people (R27): the one
// spelling of a name that custodians, borrowers, readers and receivers
// are picked from. A person who has left receives nothing new.
type Person struct {
	ID         string      `gorm:"primaryKey;type:text"`
	Name       string      `gorm:"not null"`
	Department string      // 部门
	Title      string      // 职务
	Grade      PersonGrade // 涉密等级
	Left       bool        `gorm:"column:has_left"` // 已离岗: receives nothing new
	LeftOn     string      // yyyy-mm-dd
	Note       string      // e.g. merged into another spelling
	CreatedAt  time.Time   `gorm:"not null"`
	CreatedBy  string      `gorm:"not null"`
}

// NameKey is how two spellings of a name are compared to find near
// duplicates: without spaces of any width, full-width letters made
// half-width, case folded (王 敏, 王敏 and 王　敏 are one).
func NameKey(name string) string {
	var b strings.Builder
	for _, r := range NormalizeWidth(name) {
		if unicode.IsSpace(r) || r == '·' || r == '.' {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Errors of the people list.
var (
	ErrBadPerson  = errors.New("bad person")
	ErrPersonLeft = errors.New("person has left")
)

// ActionPersonMerge records in a carrier's history that its custodian's
// name was merged into the list's spelling.
const ActionPersonMerge = "person_merge"

// TableName keeps the table's name as the schema writes it.
func (Person) TableName() string { return "persons" }
