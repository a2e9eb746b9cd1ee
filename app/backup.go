package app

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/app/backup"
	"secdoc/internal/private"
	"secdoc/models"
)

// Backups: only the system administrator makes, verifies and restores them
// (R18: to the administrator a backup is opaque bytes; nothing of the
// register is shown but counts). Every attempt, good or bad, is audited, and
// every backup written is recorded in the backups table.

// BackupRecord is one backup the program wrote and read back (table backups).
type BackupRecord struct {
	ID            string     `gorm:"primaryKey;type:text"`
	CreatedAt     time.Time  `gorm:"not null"` // when its snapshot was taken
	VerifiedAt    *time.Time // its last successful read-back or verification
	Path          string     `gorm:"not null"` // where it was written
	Size          int64      `gorm:"not null"`
	SHA256        string     `gorm:"column:sha256;not null"`
	SchemaVersion int        `gorm:"not null"`
	Carriers      int64      `gorm:"not null"`
	Events        int64      `gorm:"not null"`
	AuditRecords  int64      `gorm:"not null"`
	Users         int64      `gorm:"not null"`
	CreatedBy     string     `gorm:"not null"`
}

// TableName keeps the table's name plain.
func (BackupRecord) TableName() string { return "backups" }

// The backup package's types, as the window and the command line use them.
type (
	BackupInfo     = backup.Info
	BackupSecret   = backup.Secret
	BackupProgress = backup.ProgressFunc
)

// DefaultBackupRemindDays is how old the last verified backup may get before
// the homes warn, until the system administrator sets another number.
const DefaultBackupRemindDays = 7

// authorizeBackup lets the system administrator through; and, with no
// session, anyone on a database without accounts: a new, empty database to
// restore into, which has nothing to protect (the backup's passphrase is
// then the only key).
func (s *Service) authorizeBackup(sess *Session) error {
	if sess == nil {
		need, err := s.NeedsSetup()
		if err != nil {
			return err
		}
		if need {
			return nil
		}
		return models.ErrNotSignedIn
	}
	return s.authorize(sess, models.RoleSysAdmin)
}

// auditOutcome records a backup, verify or restore that failed.
func (s *Service) auditFailure(sess *Session, event, object string, err error) {
	msg := RestoreMessage(err)
	if msg == "" {
		msg = backup.Message(err)
	}
	if msg == "" {
		msg = err.Error()
	}
	s.auditAlone(sess, event, object, false, msg)
}

func counts(c backup.Counts) string {
	return fmt.Sprintf("载体 %d 件、历史 %d 条、审计记录 %d 条、账户 %d 个", c.Carriers, c.Events, c.Audit, c.Users)
}

// Backup writes an encrypted backup of the database into dir (a folder on
// a USB stick, usually), reads it back, and records it. See backup.Create.
func (s *Service) Backup(sess *Session, dir string, secret backup.Secret, progress backup.ProgressFunc) (_ BackupRecord, err error) {
	defer s.refused(sess, "Backup", dir, &err)
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return BackupRecord{}, err
	}
	if s.auditKey == nil {
		return BackupRecord{}, ErrAuditKey
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return BackupRecord{}, err
	}
	rec, ok, err := s.recoveryKey()
	if err != nil {
		return BackupRecord{}, err
	}
	if !ok {
		return BackupRecord{}, fieldErr("Recovery", "还没有设置备份恢复密钥：请安全保密管理员先在“备份恢复密钥”中设置，之后才能备份（恢复备份须系统管理员和安全保密管理员两人在场）")
	}
	// A database the last full check found damaged is not backed up: the
	// backup would carry the damage, and the page check can't see all of it.
	full, checked, err := s.lastDBCheck()
	if err != nil {
		return BackupRecord{}, err
	}
	if checked && !full.OK {
		err := refuse(backup.ErrSourceCorrupt, "最近一次数据库全面检查（%s）发现数据库损坏，没有生成备份。"+
			"请立即联系系统管理员处理；处理后重新做全面检查，通过后才能备份", full.At.Local().Format("2006-01-02 15:04"))
		s.auditFailure(sess, models.EventBackup, dir, err)
		return BackupRecord{}, err
	}
	src := backup.Source{DB: sqlDB, Path: s.path, AuditKey: s.auditKey,
		Program: fmt.Sprintf("secdoc (schema %d)", models.SchemaVersion())}
	if checked {
		src.FullCheck = full.At
	}
	info, err := backup.Create(src, dir, secret, rec, s.Now(), progress)
	if err != nil {
		if errors.Is(err, backup.ErrSourceCorrupt) {
			// The pages found wrong go to the trail, not to the dialog.
			s.auditAlone(sess, models.EventBackup, dir, false, backup.Message(err)+"。检查发现："+
				clip(strings.TrimPrefix(err.Error(), backup.ErrSourceCorrupt.Error()+": "), 400))
			return BackupRecord{}, err
		}
		s.auditFailure(sess, models.EventBackup, dir, err)
		return BackupRecord{}, err
	}
	br := recordOf(info, sess.FullName, s.now())
	err = s.write(func(tx *gorm.DB) error {
		if err := tx.Create(&br).Error; err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventBackup, info.Path, true, fmt.Sprintf("%s；%d 字节，SHA-256 %s；恢复密钥 %s；备份前逐页检查了数据库结构；%s；已读回校验",
			counts(info.Counts), info.Size, info.SHA256, rec.ID, fullCheckNote(full, checked)))
	})
	return br, err
}

func recordOf(info backup.Info, by string, verified time.Time) BackupRecord {
	return BackupRecord{ID: uuid.NewString(), CreatedAt: info.Created.UTC(), VerifiedAt: &verified, Path: info.Path,
		Size: info.Size, SHA256: info.SHA256, SchemaVersion: info.Schema, Carriers: info.Counts.Carriers,
		Events: info.Counts.Events, AuditRecords: info.Counts.Audit, Users: info.Counts.Users, CreatedBy: by}
}

// VerifyBackup checks a backup file, restoring nothing. With the system
// administrator's secret alone it checks that the file is whole and
// unchanged since it was written with that secret (it can't read it); with
// the security officer's recovery passphrase too it reads it all and says
// what is inside. A backup recorded here (the same SHA-256) gets its
// verification time renewed.
func (s *Service) VerifyBackup(sess *Session, file string, secret backup.Secret, recovery *backup.RecoverySecret, progress backup.ProgressFunc) (_ backup.Info, err error) {
	defer s.refused(sess, "VerifyBackup", file, &err)
	if err := s.authorizeBackup(sess); err != nil {
		return backup.Info{}, err
	}
	stage := func(f float64) {
		if progress != nil {
			progress(backup.StageVerify, f)
		}
	}
	var info backup.Info
	if recovery != nil {
		info, err = backup.Verify(file, secret, *recovery, stage)
	} else {
		info, err = backup.Check(file, secret, stage)
	}
	if err != nil {
		s.auditFailure(sess, models.EventBackup, file, fmt.Errorf("校验失败：%w", err))
		return info, err
	}
	detail := fmt.Sprintf("校验通过（仅备份口令：文件完整、未被改动，内容未解开）：%d 字节，SHA-256 %s", info.Size, info.SHA256)
	if recovery != nil {
		detail = fmt.Sprintf("校验通过（备份口令和恢复口令：全部解开核对）：创建于 %s，%s",
			info.Created.Local().Format("2006-01-02 15:04:05"), counts(info.Counts))
	}
	err = s.write(func(tx *gorm.DB) error {
		if err := tx.Model(&BackupRecord{}).Where("sha256 = ?", info.SHA256).Update("verified_at", s.now()).Error; err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventBackup, file, true, detail)
	})
	return info, err
}

// restartChain takes up the chain of a database just swapped in: it
// forgets the head of the one it replaced and, for a database from before
// rows were sealed, checks its chain and seals its rows. The record of the
// restore, appended next, moves the head outside the database to it.
func (s *Service) restartChain() error {
	s.closeHeadFile() // the restored database may have another id, and so another head file
	s.headMu.Lock()
	s.head, s.alarm = chainHead{}, ""
	s.headMu.Unlock()
	var sealed int64
	if err := s.db.Raw(`SELECT count(*) FROM (SELECT 1 FROM audit_log WHERE v >= 2 LIMIT 1)`).Scan(&sealed).Error; err != nil {
		return err
	}
	if sealed > 0 {
		return nil
	}
	return s.startChain()
}

// freeName is p, or p with -2, -3… when p is taken.
func freeName(p string) string {
	for i := 1; ; i++ {
		q := p
		if i > 1 {
			q = fmt.Sprintf("%s-%d", p, i)
		}
		if _, err := os.Lstat(q); errors.Is(err, fs.ErrNotExist) {
			return q
		}
	}
}

// prepareRestored migrates the extracted database forward and leaves it a
// single closed file.
func prepareRestored(path string, info backup.Info) error {
	db, err := models.Open(path) // migrates; refuses a newer schema
	if err != nil {
		return err
	}
	var id string
	db.Raw(`SELECT value FROM settings WHERE key = 'db_id'`).Scan(&id)
	if err := models.Close(db); err != nil {
		return err
	}
	if id != info.DBID {
		return fmt.Errorf("%w: database id %q, header says %q", backup.ErrCorrupt, id, info.DBID)
	}
	if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
		return fmt.Errorf("restored database kept a log after closing")
	}
	os.Remove(path + "-wal")
	os.Remove(path + "-shm")
	return nil
}

// swapIn puts the file staged in the database's place and keeps the
// current one as rollback, while the service stays open.
//
// The pool is narrowed to one connection and Restore takes it, once every
// other has been closed: calls on other goroutines wait in the pool. On that
// connection the log is folded into the file and the file leaves WAL mode,
// so that no -wal or -shm file of the old database is left for the new one
// to pick up, and the SQLite connection is closed while the pool still
// counts it as taken. Then the file is copied to its rollback name, the
// single-instance hold moved to the restored file, and the restored file
// renamed over the database's name (one atomic step: the name never lacks
// a database), the audit key written, the sessions ended, and the pool's
// connection discarded: the next one the pool opens opens the restored file.
func (s *Service) swapIn(staged, rollback, dbID string, key []byte) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	ctx := context.Background()
	sqlDB.SetMaxOpenConns(1)
	defer func() {
		sqlDB.SetMaxOpenConns(4)
		sqlDB.SetMaxIdleConns(4)
	}()
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	for deadline := time.Now().Add(30 * time.Second); sqlDB.Stats().OpenConnections > 1; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			conn.Close()
			return errors.New("the database stayed busy")
		}
	}
	discard := func() { conn.Raw(func(any) error { return driver.ErrBadConn }) }
	var busy, frames, done int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
		conn.Close()
		return err
	}
	var mode string
	if err := conn.QueryRowContext(ctx, `PRAGMA journal_mode=DELETE`).Scan(&mode); err != nil || mode != "delete" {
		conn.Close()
		return fmt.Errorf("leave WAL mode: %q %v", mode, err)
	}
	// Close the file itself while the pool still counts the connection as
	// taken, so that nothing opens the database until the swap is done
	// (and Windows, which refuses to replace an open file, lets it be).
	if err := conn.Raw(func(dc any) error {
		if c, ok := dc.(io.Closer); ok {
			return c.Close()
		}
		return errors.New("the driver's connection can't be closed")
	}); err != nil {
		discard()
		return err
	}
	// The rollback is a copy, the owner's only: a second name of the
	// database (a hard link) would let another program in by that name.
	if err := copySynced(s.path, rollback); err != nil {
		discard()
		return err
	}
	// The hold moves to the restored file before it takes the name, so that
	// no moment leaves the database's name on an unheld file.
	if err := s.lock.Switch(staged); err != nil {
		os.Remove(rollback)
		discard()
		return err
	}
	if err := os.Rename(staged, s.path); err != nil {
		s.lock.Switch(s.path)
		os.Remove(rollback)
		discard()
		return err
	}
	syncFolder(filepath.Dir(s.path))
	os.Remove(s.path + "-wal")
	os.Remove(s.path + "-shm")
	if key != nil { // a move: the key comes with the register
		if err := writeAuditKey(s.keyDir, dbID, key); err != nil {
			discard()
			return fmt.Errorf("the database was restored, but its audit key could not be written: %w", err)
		}
		s.auditKey = key
	} else if dbID != s.dbID {
		// Another register of this installation: its own key, already here.
		path, err := s.keyPathFor(dbID)
		if err == nil {
			key, err = os.ReadFile(path)
		}
		if err != nil || len(key) != 32 {
			discard()
			return fmt.Errorf("the database was restored, but its audit key could not be read: %v", err)
		}
		s.auditKey = key
	}
	s.dbID = dbID
	s.sessions.Range(func(k, _ any) bool { s.sessions.Delete(k); return true })
	discard()
	s.changes.all()
	return nil
}

// writeAuditKey puts a restored database's audit key in the key folder. A
// different key already there under the same name is kept aside, never lost.
func writeAuditKey(keyDir, dbID string, key []byte) error {
	path := filepath.Join(keyDir, "audit-"+dbID+".key")
	if old, err := os.ReadFile(path); err == nil {
		if string(old) == string(key) {
			return nil
		}
		if err := os.Rename(path, freeName(path+".回滚-"+time.Now().Format("20060102-150405"))); err != nil {
			return err
		}
	}
	if err := private.MkdirAll(filepath.Dir(path)); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := private.WriteFile(tmp, key); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// copySynced copies a closed file where hard links are not to be had.
func copySynced(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := private.CreateExcl(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(to)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(to)
		return err
	}
	return out.Close()
}

func syncFolder(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// BackupStatus is what the homes say of backups.
type BackupStatus struct {
	Last       *BackupRecord // the newest verified backup; nil when none
	Days       int           // its age in whole days
	RemindDays int           // warn after this many days
	Overdue    bool          // no verified backup, or one older than RemindDays
}

// BackupStatus reads the age of the newest verified backup; every role may:
// it says nothing of the register.
func (s *Service) BackupStatus(sess *Session) (_ BackupStatus, err error) {
	defer s.refused(sess, "BackupStatus", "", &err)
	if err := s.authorize(sess, models.Roles...); err != nil {
		return BackupStatus{}, err
	}
	st := BackupStatus{RemindDays: s.backupRemindDays()}
	var recs []BackupRecord
	if err := s.db.Where("verified_at IS NOT NULL").Order("created_at DESC").Limit(1).Find(&recs).Error; err != nil {
		return st, err
	}
	if len(recs) == 0 {
		st.Overdue = true
		return st, nil
	}
	st.Last = &recs[0]
	st.Days = int(s.now().Sub(recs[0].CreatedAt) / (24 * time.Hour))
	if st.Days < 0 {
		st.Days = 0
	}
	st.Overdue = st.Days >= st.RemindDays
	return st, nil
}

func (s *Service) backupRemindDays() int {
	var v string
	s.db.Raw(`SELECT value FROM settings WHERE key = 'backup.remind_days'`).Scan(&v)
	if n, err := strconv.Atoi(v); err == nil && n > 0 {
		return n
	}
	return DefaultBackupRemindDays
}

// SetBackupRemindDays is the system administrator's: after how many days
// without a verified backup the homes warn (1 to 365).
func (s *Service) SetBackupRemindDays(sess *Session, days int) (err error) {
	defer s.refused(sess, "SetBackupRemindDays", "", &err)
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return err
	}
	if days < 1 || days > 365 {
		return fieldErr("RemindDays", "备份提醒天数应在 1 到 365 之间")
	}
	old := s.backupRemindDays()
	return s.write(func(tx *gorm.DB) error {
		if err := setSetting(tx, "backup.remind_days", strconv.Itoa(days)); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventSettingsChange, "备份提醒天数", true, fmt.Sprintf("%d → %d", old, days))
	})
}

// Backups lists the recorded backups, newest first (at most limit; 0: 100).
func (s *Service) Backups(sess *Session, limit int) (_ []BackupRecord, err error) {
	defer s.refused(sess, "Backups", "", &err)
	if err := s.authorize(sess, models.RoleSysAdmin); err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 100
	}
	var out []BackupRecord
	err = s.db.Order("created_at DESC").Limit(limit).Find(&out).Error
	return out, err
}
