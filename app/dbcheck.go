package app

import (
	"fmt"
	"strings"
	"time"

	"secdoc/app/backup"
	"secdoc/models"
)

// The database is checked in two depths (docs/backup-checks.md):
//
//   - every backup checks its snapshot's structure page by page
//     (backup.CheckPages, seconds at a million carriers) and refuses a
//     damaged one;
//   - the full check, PRAGMA integrity_check (every index against its
//     table: about two minutes at a million carriers), runs when the system
//     administrator asks for it at a quiet time (`secdoc verify` without a
//     backup file, or the window when idle). Its result is an audit record
//     (EventDBCheck), and the newest such record is what the program knows:
//     while it says the database is damaged, backups are refused; a backup
//     records in its meta when the database last passed.

// DBCheck is the result of a full check of the database.
type DBCheck struct {
	At       time.Time
	OK       bool
	Findings []string // what integrity_check found wrong (at most 10 lines)
	Took     time.Duration
}

// dbCheckObject is the audit records' object of a full check.
const dbCheckObject = "数据库"

// CheckDatabase runs the full check of the database (PRAGMA
// integrity_check) on a read-only connection of its own, while the
// program goes on (readers and writers are not held up: the check reads
// one consistent state of the database), and records the result in the
// audit trail, failed or not. It is the system administrator's, and slow:
// run it at a quiet time.
func (s *Service) CheckDatabase(sess *Session) (_ DBCheck, err error) {
	defer s.refused(sess, "CheckDatabase", "", &err)
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return DBCheck{}, err
	}
	res := DBCheck{At: s.now()}
	ro, err := models.OpenReadOnly(s.path)
	if err != nil {
		return res, err
	}
	defer models.Close(ro)
	sqlDB, err := ro.DB()
	if err != nil {
		return res, err
	}
	start := time.Now()
	findings, err := backup.FullCheck(s.ctx, sqlDB)
	res.Took = time.Since(start)
	if err != nil {
		s.auditAlone(sess, models.EventDBCheck, dbCheckObject, false, "全面检查没有完成："+err.Error())
		return res, err
	}
	res.OK, res.Findings = len(findings) == 0, findings
	detail := fmt.Sprintf("全面检查（PRAGMA integrity_check：每一页、每个索引与其表逐条核对）通过，用时 %.0f 秒", res.Took.Seconds())
	if !res.OK {
		detail = fmt.Sprintf("全面检查发现数据库损坏（用时 %.0f 秒）：%s", res.Took.Seconds(), strings.Join(findings, "；"))
	}
	return res, s.auditAlone(sess, models.EventDBCheck, dbCheckObject, res.OK, detail)
}

// LastDBCheck is the newest full check of the database in the audit
// trail; false when none was made.
func (s *Service) lastDBCheck() (DBCheck, bool, error) {
	var recs []models.AuditRecord
	if err := s.db.Where("event = ?", models.EventDBCheck).Order("seq DESC").Limit(1).Find(&recs).Error; err != nil {
		return DBCheck{}, false, err
	}
	if len(recs) == 0 {
		return DBCheck{}, false, nil
	}
	r := recs[0]
	c := DBCheck{At: r.At, OK: r.Success}
	if !r.Success {
		c.Findings = []string{r.Detail}
	}
	return c, true, nil
}

// LastDBCheck is what the homes and the backup screen say of the full
// check: the newest one in the audit trail (false: none yet). Every role
// may read it: it says nothing of the register.
func (s *Service) LastDBCheck(sess *Session) (_ DBCheck, _ bool, err error) {
	defer s.refused(sess, "LastDBCheck", "", &err)
	if err := s.authorize(sess, models.Roles...); err != nil {
		return DBCheck{}, false, err
	}
	return s.lastDBCheck()
}

// fullCheckNote says, for a backup's audit record, what the last full
// check found.
func fullCheckNote(c DBCheck, found bool) string {
	if !found {
		return "尚未做过全面检查（PRAGMA integrity_check）"
	}
	return "最近一次全面检查 " + c.At.Local().Format("2006-01-02 15:04") + " 通过"
}
