package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"secdoc/app/backup"
	"secdoc/models"
)

// A restore keeps the installation's trust:
//
//   - The backup opens only with two people: the system administrator's
//     backup passphrase and the security officer's recovery passphrase.
//   - Its database id must be one the program makes (it names key files).
//   - Its schema must be exactly the schema of its version: an extra
//     trigger, a missing index, a changed table are refused.
//   - A backup of this installation (its key is here) is checked, whole
//     chain and every sealed row, under the key already here, never under
//     one that came with it; and against the register it replaces: its
//     newest record must be that register's record of the same number, or,
//     when that register's chain is broken, agree with the head kept
//     outside.
//   - A backup of a register this installation has no key for (a move to a
//     new machine) is its own act: the auditor of the register in the
//     backup signs in to it, the chain is checked under the key that came
//     with it, and that key is installed; the move is recorded with the
//     old and the new head.
//
// Nothing of the current database changes until all of this has passed.

// RestoreInput is what a restore needs from the people present.
type RestoreInput struct {
	File     string
	Secret   backup.Secret         // the system administrator's backup passphrase or key file
	Recovery backup.RecoverySecret // the security officer's recovery passphrase, typed by them
	// The auditor of the register in the backup, for a move (a backup this
	// installation has no key for).
	AuditorLogin, AuditorPassword string
}

// RestoreReport says what a restore did and what it checked.
type RestoreReport struct {
	Info     backup.Info
	Rollback string // where the database it replaced is kept
	From, To int    // schema versions: the backup's, and after migrating
	Moved    bool   // a register from elsewhere, moved in with its key
	Checked  []string
	Audit    AuditVerdict // the register in the backup, checked whole before the swap
}

// ErrNeedsAuditor: a backup of a register this installation has no key for
// is a move, which the auditor signs in to.
var ErrNeedsAuditor = errors.New("moving a register in needs its auditor")

// Restore replaces the database with the one in the backup file, after
// the checks above; the current file is kept as secdoc.db.回滚-… and the
// restored one renamed into its place. The service stays open on the
// restored file: every session ends, and the next call opens the new file.
func (s *Service) Restore(sess *Session, in RestoreInput, progress backup.ProgressFunc) (_ RestoreReport, err error) {
	defer s.refused(sess, "Restore", in.File, &err)
	var rep RestoreReport
	if err := s.authorizeBackup(sess); err != nil {
		return rep, err
	}
	file := in.File
	fail := func(err error) (RestoreReport, error) {
		s.auditFailure(sess, models.EventRestore, file, err)
		return rep, err
	}
	staged, err := backup.TempName(s.path, backup.TempRestore)
	if err != nil {
		return rep, err
	}
	defer backup.RemoveTemp(staged)
	info, bkKey, err := backup.Extract(file, in.Secret, in.Recovery, staged, progress)
	rep.Info = info
	if err != nil {
		return fail(err)
	}
	rep.From, rep.To = info.Schema, models.SchemaVersion()
	say := func(format string, args ...any) { rep.Checked = append(rep.Checked, fmt.Sprintf(format, args...)) }
	say("备份文件完整，由备份口令和恢复口令共同解开（%s）", filepath.Base(file))

	// Its id names key files: nothing else than what the program makes.
	if !ValidDBID(info.DBID) {
		return fail(refuse(ErrBadDBID, "备份中的数据库标识“%s”不是本程序生成的，拒绝恢复", clip(info.DBID, 40)))
	}
	keyPath, err := s.keyPathFor(info.DBID)
	if err != nil {
		return fail(err)
	}

	// Its schema is exactly the one of its version.
	if diff, err := stagedSchemaDiff(staged, info.Schema); err != nil {
		return fail(err)
	} else if len(diff) > 0 {
		return fail(refuse(backup.ErrCorrupt, "备份中的数据库结构与版本 %d 的不符，拒绝恢复：%s", info.Schema, strings.Join(diff, "；")))
	}
	say("数据库结构与版本 %d 完全一致（表、列、索引、触发器、视图）", info.Schema)

	// Whose key: the one here, or, for a move, the one that came with it.
	localKey, err := os.ReadFile(keyPath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fail(err)
	}
	moving := len(localKey) != 32
	checkKey := localKey
	if moving {
		if err := checkStagedAuditor(staged, in.AuditorLogin, in.AuditorPassword); err != nil {
			return fail(err)
		}
		checkKey = bkKey
		say("本机没有这个登记簿的审计密钥：作为迁移，由备份中的安全审计员 %s 登录确认", in.AuditorLogin)
	} else if string(bkKey) != string(localKey) {
		say("备份中附带的审计密钥与本机的不同，未采用：以本机的密钥校验")
	}

	// The whole chain and every row, under that key.
	if err := prepareRestored(staged, info); err != nil {
		return fail(err)
	}
	v, last, err := s.verifyStaged(staged, info.DBID, checkKey)
	if err != nil {
		return fail(err)
	}
	if !v.OK {
		return fail(refuse(backup.ErrCorrupt, "备份中的审计记录或登记簿校验不通过，拒绝恢复：%s",
			strings.Join(v.Findings[:min(len(v.Findings), 5)], "；")))
	}
	rep.Audit = v
	what := "以本机的审计密钥"
	if moving {
		what = "以备份附带的审计密钥"
	}
	say("%s校验了全部 %d 条审计记录和 %d 行登记簿记录，完整", what, v.Records, v.Rows)

	// A backup of this register: an earlier state of the one it replaces.
	if !moving {
		msg, note := s.agreesWithLive(info.DBID, last, staged)
		if msg != "" {
			return fail(refuse(backup.ErrCorrupt, "%s，拒绝恢复", msg))
		}
		say("%s", note)
	}

	// The point of no return: the current trail records what replaces it.
	stamp := s.Now().Format("20060102-150405")
	rep.Rollback = freeName(s.path + rollbackMark + stamp)
	summary := fmt.Sprintf("备份 %s（创建于 %s，%s）", filepath.Base(file),
		info.Created.Local().Format("2006-01-02 15:04:05"), counts(info.Counts))
	old, _, _ := s.readHeadFile()
	oldNote := ""
	if err := s.auditAlone(sess, models.EventRestore, file, true,
		"用"+summary+"替换本数据库；本数据库保存为 "+filepath.Base(rep.Rollback)); err != nil {
		if !errors.Is(err, ErrAuditKey) {
			return fail(err)
		}
		oldNote = "（原数据库的审计密钥缺失，未能在原数据库中记录这次恢复）"
	}
	var install []byte
	if moving {
		install = bkKey
	}
	keep := s.RollbackKeep() // the setting of the register being replaced, which set it last
	if err := s.swapIn(staged, rep.Rollback, info.DBID, install); err != nil {
		s.auditFailure(sess, models.EventRestore, file, fmt.Errorf("替换数据库文件失败，当前数据库未改变：%w", err))
		return rep, err
	}
	rep.Moved = moving
	if progress != nil {
		progress("已恢复", 1)
	}
	if err := s.restartChain(); err != nil {
		return rep, fmt.Errorf("take up the restored audit chain: %w", err)
	}

	// The restored trail goes on with the restore.
	migrated := ""
	if rep.From != rep.To {
		migrated = fmt.Sprintf("；数据库结构从版本 %d 升级到 %d", rep.From, rep.To)
	}
	moved := ""
	if moving {
		moved = fmt.Sprintf("；迁移：原链头为第 %d 条（%s），新链接续备份的第 %d 条（%s），审计密钥随备份迁入", old.Seq,
			sealCode(old.Hash), last.Seq, sealCode(last.Hash))
	}
	err = s.write(func(tx *gorm.DB) error {
		var n int64
		tx.Model(&BackupRecord{}).Where("sha256 = ?", info.SHA256).Count(&n)
		by := "恢复"
		if sess != nil {
			by = sess.FullName
		}
		if n == 0 {
			rec := recordOf(info, by, s.now())
			if err := tx.Create(&rec).Error; err != nil {
				return err
			}
		} else if err := tx.Model(&BackupRecord{}).Where("sha256 = ?", info.SHA256).Update("verified_at", s.now()).Error; err != nil {
			return err
		}
		// How many rollback copies to keep belongs to the installation: it
		// outlives the register it was set in.
		if err := setSetting(tx, settingRollbackKeep, strconv.Itoa(keep)); err != nil {
			return err
		}
		return s.audit(tx, sess, models.EventRestore, file, true,
			"从"+summary+"恢复；原数据库保存为 "+filepath.Base(rep.Rollback)+migrated+moved+oldNote+
				"；恢复前核对："+strings.Join(rep.Checked, "；"))
	})
	if err != nil {
		return rep, fmt.Errorf("record the restore: %w", err)
	}
	if err := s.pruneRollbacks(sess, keep); err != nil {
		rep.Checked = append(rep.Checked, "未能清理较早的回滚副本："+err.Error())
	}
	// The register was checked whole before the swap (rep.Audit); since,
	// only the restore's own record was added.
	return rep, nil
}

// refusal of a restore with a Chinese reason, wrapping a sentinel.
type restoreRefusal struct {
	msg   string
	cause error
}

func (e *restoreRefusal) Error() string   { return e.msg }
func (e *restoreRefusal) Unwrap() error   { return e.cause }
func (e *restoreRefusal) Message() string { return e.msg }

func refuse(cause error, format string, args ...any) error {
	return &restoreRefusal{msg: fmt.Sprintf(format, args...), cause: cause}
}

// RestoreMessage is the Chinese sentence of a refused restore, if it is one.
func RestoreMessage(err error) string {
	var r *restoreRefusal
	if errors.As(err, &r) {
		return r.msg
	}
	return ""
}

// keyPathFor is the key file of a database id, inside the key folder.
func (s *Service) keyPathFor(dbID string) (string, error) {
	if !ValidDBID(dbID) {
		return "", fmt.Errorf("%w: %q", ErrBadDBID, dbID)
	}
	p := filepath.Join(s.keyDir, "audit-"+dbID+".key")
	if rel, err := filepath.Rel(s.keyDir, p); err != nil || strings.HasPrefix(rel, "..") || filepath.Dir(rel) != "." {
		return "", fmt.Errorf("%w: %q leaves the key folder", ErrBadDBID, dbID)
	}
	return p, nil
}

// stagedSchemaDiff compares the schema of the extracted database at path,
// before it is migrated, with the one its version makes.
func stagedSchemaDiff(path string, version int) ([]string, error) {
	want, err := models.ExpectedSchemaAt(version)
	if err != nil {
		return nil, fmt.Errorf("%w: schema version %d", backup.ErrCorrupt, version)
	}
	db, err := models.OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer models.Close(db)
	got, err := models.ReadSchema(db)
	if err != nil {
		return nil, err
	}
	return want.Diff(got), nil
}

// checkStagedAuditor checks the auditor's sign-in against the accounts of
// the register in the backup.
func checkStagedAuditor(path, login, password string) error {
	if strings.TrimSpace(login) == "" {
		return refuse(ErrNeedsAuditor, "这个备份来自另一台电脑（本机没有它的审计密钥）：迁移登记簿须由备份中的安全审计员登录确认")
	}
	db, err := models.OpenReadOnly(path)
	if err != nil {
		return err
	}
	defer models.Close(db)
	var u struct {
		Role         string
		Disabled     bool
		PasswordHash string
	}
	db.Raw(`SELECT role, disabled, password_hash FROM users WHERE login = ?`, strings.TrimSpace(login)).Scan(&u)
	if u.Role != string(models.RoleAuditor) || u.Disabled || !checkPassword(u.PasswordHash, password) {
		return refuse(ErrNeedsAuditor, "迁移登记簿须由备份中的安全审计员登录确认：登录名或密码不对，或不是启用的安全审计员账户")
	}
	return nil
}

// verifyStaged checks the (migrated, closed) database at path under key:
// the whole chain and every sealed row, its head file aside. A register
// from before rows were sealed has its chain checked. It returns the
// newest record.
func (s *Service) verifyStaged(path, dbID string, key []byte) (AuditVerdict, chainHead, error) {
	db, err := models.Open(path)
	if err != nil {
		return AuditVerdict{}, chainHead{}, err
	}
	defer models.Close(db)
	t := &Service{db: db.WithContext(s.ctx), ctx: s.ctx, stop: func() {}, path: path, auditKey: key, sealer: s.sealer, keyDir: s.keyDir, dbID: dbID, Now: s.Now}
	last, err := lastRecord(db)
	if err != nil {
		return AuditVerdict{}, chainHead{}, err
	}
	head := chainHead{last.Seq, last.Hash}
	var sealed int64
	db.Raw(`SELECT count(*) FROM (SELECT 1 FROM audit_log WHERE v >= 2 LIMIT 1)`).Scan(&sealed)
	if sealed == 0 {
		v, err := t.verifyLegacyChain()
		return v, head, err
	}
	v, err := t.verifyRegister(nil, false)
	return v, head, err
}

// agreesWithLive checks that a backup of this register whose newest record
// is last is an earlier state of the register it replaces: "" and what was
// found when it is, else why not.
func (s *Service) agreesWithLive(dbID string, last chainHead, stagedPath string) (refusal, note string) {
	if dbID != s.dbID {
		return "", "备份是本机另一个登记簿的（审计密钥在本机）"
	}
	if alarm := s.ChainAlarm(); alarm == "" {
		var hash string
		s.db.WithContext(context.Background()).Raw(`SELECT hash FROM audit_log WHERE seq = ?`, last.Seq).Scan(&hash)
		var liveLast int64
		s.db.Raw(`SELECT COALESCE(max(seq), 0) FROM audit_log`).Scan(&liveLast)
		switch {
		case hash == last.Hash:
			return "", fmt.Sprintf("备份的最新记录（第 %d 条）与当前登记簿的同一条记录一致：备份是它较早的状态", last.Seq)
		case liveLast < last.Seq:
			return fmt.Sprintf("备份的审计记录到第 %d 条，比当前登记簿（第 %d 条）还新，不是它较早的状态", last.Seq, liveLast), ""
		default:
			return fmt.Sprintf("备份的第 %d 条审计记录与当前登记簿的同一条不一致：备份不是这个登记簿较早的状态（可能被伪造）", last.Seq), ""
		}
	}
	// The register it replaces is itself broken: the head outside decides.
	h, ok, err := s.readHeadFile()
	if err != nil || !ok {
		return "", "当前登记簿的审计链不完整，本机链头不可用：只能以密钥校验备份本身"
	}
	if last.Seq < h.Seq {
		return "", fmt.Sprintf("当前登记簿的审计链不完整；备份（到第 %d 条）早于本机链头（第 %d 条），恢复后其后的记录不复存在", last.Seq, h.Seq)
	}
	db, err := models.OpenReadOnly(stagedPath)
	if err != nil {
		return "备份中的数据库打不开", ""
	}
	defer models.Close(db)
	var hash string
	db.Raw(`SELECT hash FROM audit_log WHERE seq = ?`, h.Seq).Scan(&hash)
	if hash != h.Hash {
		return fmt.Sprintf("备份的第 %d 条审计记录与本机链头不符：备份不是这个登记簿的（可能被伪造）", h.Seq), ""
	}
	return "", fmt.Sprintf("当前登记簿的审计链不完整；备份经过本机链头（第 %d 条）并与之一致", h.Seq)
}
