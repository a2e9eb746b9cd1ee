package app

import (
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"secdoc/app/backup"
	"secdoc/models"
)

// No single role can read the register from a backup (三员): a backup's
// data key needs both the system administrator's backup passphrase and the
// security officer's recovery key. The security officer sets the recovery
// key here: the program keeps its public half and the private half sealed
// under the officer's recovery passphrase (which it never stores), and
// writes both into every backup, so that a backup carried to a new machine
// needs only the two people.

// RecoveryStatus says which recovery key backups are made for.
type RecoveryStatus struct {
	ID    string // the key's id (16 hex digits), "" when none is set
	SetOn string // when and by whom it was set
}

const (
	settingRecoveryPub = "backup.recovery_pub"
	settingRecoveryBox = "backup.recovery_box"
	settingRecoveryID  = "backup.recovery_id"
	settingRecoverySet = "backup.recovery_set"
)

// RecoveryKeyStatus tells the system administrator and the security
// officer whether backups can be made, and for which key.
func (s *Service) RecoveryKeyStatus(sess *Session) (_ RecoveryStatus, err error) {
	defer s.refused(sess, "RecoveryKeyStatus", "", &err)
	if err := s.authorize(sess, models.RoleSysAdmin, models.RoleSecAdmin); err != nil {
		return RecoveryStatus{}, err
	}
	return s.recoveryStatus()
}

func (s *Service) recoveryStatus() (RecoveryStatus, error) {
	var rows []models.Setting
	if err := s.db.Where("key IN ?", []string{settingRecoveryID, settingRecoverySet}).Find(&rows).Error; err != nil {
		return RecoveryStatus{}, err
	}
	var st RecoveryStatus
	for _, r := range rows {
		switch r.Key {
		case settingRecoveryID:
			st.ID = r.Value
		case settingRecoverySet:
			st.SetOn = r.Value
		}
	}
	return st, nil
}

// SetRecoveryKey makes a new recovery key under the security officer's
// recovery passphrase (typed twice), for every backup made from now on.
// Backups made before keep the key they were made for (it travels in the
// file): keep the old passphrase as long as they are kept. Only the
// security officer may.
func (s *Service) SetRecoveryKey(sess *Session, passphrase, again string) (err error) {
	defer s.refused(sess, "SetRecoveryKey", "", &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return err
	}
	if passphrase != again {
		return fieldErr("RecoveryAgain", "两次输入的恢复口令不一致")
	}
	if err := backup.CheckRecoveryPassphrase(passphrase); err != nil {
		return fieldErr("Recovery", "%s", backup.Message(err))
	}
	k, err := backup.NewRecoveryKey(passphrase)
	if err != nil {
		return err
	}
	old, err := s.recoveryStatus()
	if err != nil {
		return err
	}
	set := fmt.Sprintf("%s %s", s.Now().Format("2006-01-02 15:04"), sess.FullName)
	return s.write(func(tx *gorm.DB) error {
		for key, v := range map[string]string{settingRecoveryPub: hex.EncodeToString(k.Public),
			settingRecoveryBox: base64.StdEncoding.EncodeToString(k.Box), settingRecoveryID: k.ID, settingRecoverySet: set} {
			if err := setSetting(tx, key, v); err != nil {
				return err
			}
		}
		detail := "设置备份恢复密钥 " + k.ID
		if old.ID != "" {
			detail = fmt.Sprintf("更换备份恢复密钥：%s → %s（此前的备份仍需原恢复口令）", old.ID, k.ID)
		}
		return s.audit(tx, sess, models.EventSettingsChange, "备份恢复密钥", true, detail)
	})
}

// CheckRecoveryPassphrase tells the security officer at once whether a
// recovery passphrase opens the recovery key set now.
func (s *Service) CheckRecoveryPassphrase(sess *Session, passphrase string) (err error) {
	defer s.refused(sess, "CheckRecoveryPassphrase", "", &err)
	if err := s.authorize(sess, models.RoleSecAdmin); err != nil {
		return err
	}
	k, ok, err := s.recoveryKey()
	if err != nil {
		return err
	}
	if !ok {
		return fieldErr("Recovery", "还没有设置备份恢复密钥")
	}
	if err := backup.OpenRecovery(k.Box, passphrase); err != nil {
		return fieldErr("Recovery", "%s", backup.Message(err))
	}
	return nil
}

// ErrNoRecoveryKey: backups can't be made before the security officer has
// set the recovery key.
var ErrNoRecoveryKey = fmt.Errorf("no backup recovery key set")

// recoveryKey is the recovery key backups are made for.
func (s *Service) recoveryKey() (backup.RecoveryKey, bool, error) {
	var rows []models.Setting
	if err := s.db.Where("key IN ?", []string{settingRecoveryPub, settingRecoveryBox, settingRecoveryID}).
		Find(&rows).Error; err != nil {
		return backup.RecoveryKey{}, false, err
	}
	var k backup.RecoveryKey
	for _, r := range rows {
		var err error
		switch r.Key {
		case settingRecoveryPub:
			k.Public, err = hex.DecodeString(r.Value)
		case settingRecoveryBox:
			k.Box, err = base64.StdEncoding.DecodeString(r.Value)
		case settingRecoveryID:
			k.ID = strings.TrimSpace(r.Value)
		}
		if err != nil {
			return k, false, fmt.Errorf("recovery key setting %s: %w", r.Key, err)
		}
	}
	return k, len(k.Public) > 0 && len(k.Box) > 0, nil
}

// DemoRecoveryPassphrase is the recovery passphrase of a demo database:
// the demo password followed by -恢复口令 (for trying the program only).
func DemoRecoveryPassphrase(demoPassword string) string { return demoPassword + "-恢复口令" }

// SetupDemoRecovery sets the recovery key of a demo database made by
// SetupDemo, as its security officer, with DemoRecoveryPassphrase.
func (s *Service) SetupDemoRecovery(demoPassword string) error {
	sess, _, err := s.SignIn("secadmin", demoPassword)
	if err != nil {
		return err
	}
	defer s.SignOut(sess)
	pw := DemoRecoveryPassphrase(demoPassword)
	return s.SetRecoveryKey(sess, pw, pw)
}
