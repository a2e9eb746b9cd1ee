package app

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// ApproverInput is what the security officer types for an approver.
type ApproverInput struct {
	Name     string
	Title    string // 职务
	Actions  models.ActionSet
	MaxLevel models.Level
	Active   bool
	// A 定密责任人 (one holding 定密) is 法定 (the office's 主要负责人) or
	// 指定 by a designation document (R24).
	Designation    string
	DesignationDoc string
}

// Field names of ApproverInput's messages.
const (
	FieldApproverName     = "ApproverName"
	FieldDesignation      = "Designation"
	FieldApproverTitle    = "ApproverTitle"
	FieldApproverActions  = "ApproverActions"
	FieldApproverMaxLevel = "ApproverMaxLevel"
)

func (in *ApproverInput) check() error {
	var v models.ValidationError
	in.Name = strings.TrimSpace(in.Name)
	in.Title = strings.TrimSpace(in.Title)
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldApproverName, Msg: "请填写审批人姓名"})
	case n > 50:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldApproverName, Msg: "审批人姓名不能超过 50 个字"})
	}
	if utf8.RuneCountInString(in.Title) > 50 {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldApproverTitle, Msg: "职务不能超过 50 个字"})
	}
	for _, a := range in.Actions {
		if !a.Valid() {
			v.Fields = append(v.Fields, models.FieldError{Field: FieldApproverActions,
				Msg: fmt.Sprintf("“%s”不是可审批的事项", a)})
		}
	}
	in.Actions = in.Actions.Normalized()
	if len(in.Actions) == 0 && v.Msg(FieldApproverActions) == "" {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldApproverActions,
			Msg: "请至少选择一项审批事项（复制、借阅、外出携带、销毁、解密/变更、清退）"})
	}
	if !in.MaxLevel.Valid() {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldApproverMaxLevel,
			Msg: "请选择可审批的最高密级（秘密、机密或绝密）"})
	}
	in.Designation, in.DesignationDoc = strings.TrimSpace(in.Designation), strings.TrimSpace(in.DesignationDoc)
	switch {
	case !in.Actions.Has(models.ApproveClassify):
		in.Designation, in.DesignationDoc = "", ""
	case in.Designation != "法定" && in.Designation != "指定":
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDesignation,
			Msg: "定密责任人须注明是法定（本机关主要负责人）还是指定"})
	case in.Designation == "指定" && in.DesignationDoc == "":
		v.Fields = append(v.Fields, models.FieldError{Field: FieldDesignation,
			Msg: "指定的定密责任人须填写指定文件的文号"})
	case in.Designation == "法定":
		in.DesignationDoc = ""
	}
	if len(v.Fields) > 0 {
		return &v
	}
	return nil
}

func approverDetail(a *models.Approver) string {
	d := fmt.Sprintf("%s %s 事项：%s 最高密级：%s", a.Name, a.Title, a.Actions, a.MaxLevel)
	if a.Designation != "" {
		d += strings.TrimSpace(fmt.Sprintf(" %s定密责任人 %s", a.Designation, a.DesignationDoc))
	}
	if !a.Active {
		d += " （已停用）"
	}
	return d
}

// AddApprover records a leader who may approve acts (R9). Security officer only.
func (s *Service) AddApprover(sess *Session, in ApproverInput) (_ models.Approver, err error) {
	defer s.refused(sess, "AddApprover", in.Name, &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return models.Approver{}, err
	}
	if err := in.check(); err != nil {
		return models.Approver{}, err
	}
	now := s.now()
	a := models.Approver{ID: uuid.NewString(), Name: in.Name, Title: in.Title, Actions: in.Actions,
		MaxLevel: in.MaxLevel, Designation: in.Designation, DesignationDoc: in.DesignationDoc, Active: true,
		CreatedAt: now, CreatedBy: sess.FullName, UpdatedAt: now}
	err = s.write(func(tx *gorm.DB) error {
		if err := tx.Create(&a).Error; err != nil {
			return fmt.Errorf("insert approver: %w", err)
		}
		return s.audit(tx, sess, models.EventApproverAdd, a.Name, true, approverDetail(&a))
	})
	if err != nil {
		return models.Approver{}, err
	}
	return a, nil
}

// UpdateApprover changes an approver's title, actions, level or activity.
// Security officer only. Decisions already recorded keep the name they had.
func (s *Service) UpdateApprover(sess *Session, id string, in ApproverInput) (_ models.Approver, err error) {
	defer s.refused(sess, "UpdateApprover", id, &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return models.Approver{}, err
	}
	if err := in.check(); err != nil {
		return models.Approver{}, err
	}
	var out models.Approver
	err = s.write(func(tx *gorm.DB) error {
		var a models.Approver
		if err := tx.Where("id = ?", id).Take(&a).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("approver %s: %w", id, models.ErrNotFound)
			}
			return err
		}
		before := approverDetail(&a)
		a.Name, a.Title, a.Actions, a.MaxLevel, a.Active = in.Name, in.Title, in.Actions, in.MaxLevel, in.Active
		a.Designation, a.DesignationDoc = in.Designation, in.DesignationDoc
		a.UpdatedAt = s.now()
		if err := tx.Model(&models.Approver{}).Where("id = ?", a.ID).Updates(map[string]any{
			"name": a.Name, "title": a.Title, "actions": a.Actions, "max_level": a.MaxLevel,
			"designation": a.Designation, "designation_doc": a.DesignationDoc,
			"active": a.Active, "updated_at": a.UpdatedAt}).Error; err != nil {
			return fmt.Errorf("update approver: %w", err)
		}
		out = a
		return s.audit(tx, sess, models.EventApproverChange, a.Name, true, before+" → "+approverDetail(&a))
	})
	return out, err
}

// Approvers lists every approver, active ones first, by name. The clerk
// reads it to record decisions; the security officer to maintain it.
func (s *Service) Approvers(sess *Session) (_ []models.Approver, err error) {
	defer s.refused(sess, "Approvers", "", &err)
	if err := s.authorize(sess, models.RoleSecAdmin, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.Approver
	err = s.db.Order("active DESC, name, created_at").Find(&out).Error
	return out, err
}

// TopSecretCopyAllowed reports the R1 policy switch: whether 绝密 carriers
// may be copied with the originating authority's approval document.
func (s *Service) TopSecretCopyAllowed() bool {
	return topSecretCopyAllowed(s.db)
}

func topSecretCopyAllowed(tx *gorm.DB) bool {
	var v string
	tx.Raw(`SELECT value FROM settings WHERE key = ?`, models.SettingTopSecretCopy).Scan(&v)
	return v == "1"
}

// SetTopSecretCopyAllowed turns the R1 policy switch on or off. Security
// officer only; off by default.
func (s *Service) SetTopSecretCopyAllowed(sess *Session, allowed bool) (err error) {
	defer s.refused(sess, "SetTopSecretCopyAllowed", "", &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return err
	}
	v, detail := "0", "绝密载体复制：不允许"
	if allowed {
		v, detail = "1", "绝密载体复制：经原定密机关批准后允许"
	}
	return s.write(func(tx *gorm.DB) error {
		if err := setSetting(tx, models.SettingTopSecretCopy, v); err != nil {
			return fmt.Errorf("write setting: %w", err)
		}
		return s.audit(tx, sess, models.EventSettingsChange, models.SettingTopSecretCopy, true, detail)
	})
}
