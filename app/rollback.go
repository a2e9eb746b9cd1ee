package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"secdoc/internal/importfile"
	"secdoc/models"
)

// A restore keeps the database it replaced as a rollback copy beside it
// (secdoc.db.回滚-YYYYMMDD-HHMMSS), owner-only. The system administrator
// lists and removes them, each removal recorded; after each restore only
// the newest few are kept (a setting, three at first).

// Rollback is one rollback copy.
type Rollback struct {
	Name  string    // file name, in the database's folder
	Taken time.Time // when the restore replaced it (local time, from its name)
	Size  int64
}

const (
	rollbackMark        = ".回滚-"
	settingRollbackKeep = "backup.rollback_keep"
	// DefaultRollbackKeep is how many rollback copies a restore keeps.
	DefaultRollbackKeep = 3
)

// rollbacks lists the rollback copies beside the database, newest first.
func (s *Service) rollbacks() ([]Rollback, error) {
	dir, base := filepath.Dir(s.path), filepath.Base(s.path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Rollback
	for _, e := range entries {
		name := e.Name()
		stamp, ok := strings.CutPrefix(name, base+rollbackMark)
		if !ok || !e.Type().IsRegular() {
			continue
		}
		taken, err := time.ParseInLocation("20060102-150405", stamp[:min(len(stamp), 15)], time.Local)
		if err != nil {
			continue
		}
		st, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, Rollback{Name: name, Taken: taken, Size: st.Size()})
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].Taken.Equal(out[j].Taken) {
			return out[i].Taken.After(out[j].Taken)
		}
		return out[i].Name > out[j].Name
	})
	return out, nil
}

// Rollbacks lists the rollback copies, newest first, for the system
// administrator.
func (s *Service) Rollbacks(sess *Session) (_ []Rollback, err error) {
	defer s.refused(sess, "Rollbacks", "", &err)
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return nil, err
	}
	return s.rollbacks()
}

// RemoveRollback removes one rollback copy, by name; recorded.
func (s *Service) RemoveRollback(sess *Session, name string) (err error) {
	defer s.refused(sess, "RemoveRollback", name, &err)
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return err
	}
	all, err := s.rollbacks()
	if err != nil {
		return err
	}
	for _, r := range all {
		if r.Name == name { // only a listed name: never a path
			return s.removeRollbacks(sess, []Rollback{r}, "删除回滚副本")
		}
	}
	return fieldErr("Rollback", "没有名为“%s”的回滚副本", name)
}

// removeRollbacks removes rs and records it, in one record.
func (s *Service) removeRollbacks(sess *Session, rs []Rollback, why string) error {
	var names []string
	var failed []string
	for _, r := range rs {
		if err := os.Remove(filepath.Join(filepath.Dir(s.path), r.Name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			failed = append(failed, fmt.Sprintf("%s（%v）", r.Name, err))
			continue
		}
		names = append(names, fmt.Sprintf("%s（%s）", r.Name, importfile.SizeText(uint64(r.Size))))
	}
	if len(names) == 0 && len(failed) == 0 {
		return nil
	}
	detail := why + "：" + strings.Join(names, "、")
	if len(failed) > 0 {
		detail += "；未能删除：" + strings.Join(failed, "、")
	}
	return s.auditAlone(sess, models.EventRestore, "回滚副本", len(failed) == 0, detail)
}

// RollbackKeep is how many rollback copies a restore keeps.
func (s *Service) RollbackKeep() int {
	var v string
	s.db.Raw(`SELECT value FROM settings WHERE key = ?`, settingRollbackKeep).Scan(&v)
	if n, err := strconv.Atoi(v); err == nil && n >= 1 {
		return n
	}
	return DefaultRollbackKeep
}

// SetRollbackKeep sets how many rollback copies a restore keeps (1 to 20).
func (s *Service) SetRollbackKeep(sess *Session, n int) (err error) {
	defer s.refused(sess, "SetRollbackKeep", "", &err)
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return err
	}
	if n < 1 || n > 20 {
		return fieldErr("RollbackKeep", "保留的回滚副本数应在 1 到 20 之间")
	}
	return s.write(func(tx *gorm.DB) error {
		if err := setSetting(tx, settingRollbackKeep, strconv.Itoa(n)); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventSettingsChange, "回滚副本", true, fmt.Sprintf("恢复时保留最近 %d 个回滚副本", n))
	})
}

// pruneRollbacks removes the rollback copies beyond the newest keep.
func (s *Service) pruneRollbacks(sess *Session, keep int) error {
	all, err := s.rollbacks()
	if err != nil {
		return err
	}
	if len(all) <= keep {
		return nil
	}
	return s.removeRollbacks(sess, all[keep:], fmt.Sprintf("只保留最近 %d 个回滚副本，删除较早的", keep))
}
