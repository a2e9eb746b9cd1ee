package app

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"gorm.io/gorm"

	"secdoc/internal/private"
	"secdoc/models"
)

// Upgrade says that this opening migrated a database written by an older
// version, and where the copy taken before is.
type Upgrade struct {
	From, To int    // schema versions
	Copy     string // the safety copy's file name, beside the database
}

// safetyCopy copies the database, before an older version's schema is
// migrated, to a rollback copy beside it (secdoc.db.回滚-…-升级前-版本26):
// owner-only, listed and removed like a restore's, and restorable by hand
// with the older version should the upgrade go wrong. The copy is written
// whole to a temporary name and renamed, so a crash leaves no half copy
// under the rollback name.
func safetyCopy(db *gorm.DB, path string, from int) (*Upgrade, error) {
	name := fmt.Sprintf("%s%s%s-升级前-版本%d", filepath.Base(path), rollbackMark, time.Now().Format("20060102-150405"), from)
	dst := filepath.Join(filepath.Dir(path), name)
	tmp := dst + ".tmp"
	os.Remove(tmp)
	if err := db.Exec(`VACUUM INTO ?`, tmp).Error; err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("copy the database before upgrading it: %w", err)
	}
	if err := private.Restrict(tmp); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	return &Upgrade{From: from, To: models.SchemaVersion(), Copy: name}, nil
}

// recordUpgrade puts the upgrade in the audit trail and keeps it for the
// sign-in screen.
func (s *Service) recordUpgrade(u *Upgrade) {
	if u == nil {
		return
	}
	s.upgraded = u
	detail := fmt.Sprintf("数据库由旧版本打开，结构从版本 %d 升级到 %d；升级前的副本：%s", u.From, u.To, u.Copy)
	if err := s.auditAlone(nil, models.EventUpgrade, filepath.Base(s.path), true, detail); err != nil {
		log.Printf("secdoc: record upgrade: %v (%s)", err, detail)
	}
}

// Upgraded is the upgrade this opening made, nil when there was none.
func (s *Service) Upgraded() *Upgrade { return s.upgraded }
