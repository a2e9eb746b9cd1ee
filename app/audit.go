package app

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/gorm"

	"secdoc/models"
	"secdoc/reports"
)

// The audit trail is a chain: each record's hash is an HMAC-SHA256, under a
// key kept outside the database file, of the previous record's hash and the
// record's own fields. Changing, inserting or removing any record breaks the
// chain from that record on; rewriting the whole chain needs the key. The
// newest record's number and hash are also kept, sealed with the key, as the
// chain's head, so removing records from the end is detected too.

// AuditKeyDir is the folder of the audit keys: $SECDOC_KEY_DIR, or "keys"
// in the user's configuration folder (e.g. ~/.config/secdoc/keys).
func AuditKeyDir() string {
	if d := os.Getenv("SECDOC_KEY_DIR"); d != "" {
		return d
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		dir = "."
	}
	return filepath.Join(dir, "secdoc", "keys")
}

// ErrAuditKey means the audit key of this database is missing or unreadable.
var ErrAuditKey = errors.New("audit key missing")

// AuditKeyPath is where the audit key of this database is kept.
func (s *Service) AuditKeyPath() string {
	return filepath.Join(AuditKeyDir(), "audit-"+s.dbID+".key")
}

// loadAuditKey reads the key, creating it when the trail is still empty.
func (s *Service) loadAuditKey() error {
	if err := s.db.Raw(`SELECT value FROM settings WHERE key = 'db_id'`).Scan(&s.dbID).Error; err != nil || s.dbID == "" {
		return fmt.Errorf("read database id: %v", err)
	}
	path := s.AuditKeyPath()
	key, err := os.ReadFile(path)
	if err == nil && len(key) == 32 {
		s.auditKey = key
		return nil
	}
	var n int64
	if err := s.db.Raw(`SELECT count(*) FROM audit_log`).Scan(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		// A trail exists but its key does not: keep running, so that the
		// auditor can see what is wrong; every write will refuse.
		return nil
	}
	key = make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("create audit key folder: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, key, 0o600); err != nil {
		return fmt.Errorf("write audit key: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write audit key: %w", err)
	}
	s.auditKey = key
	return nil
}

func recordHash(key []byte, prev string, r *models.AuditRecord) string {
	m := hmac.New(sha256.New, key)
	field := func(s string) {
		var n [8]byte
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		m.Write(n[:])
		m.Write([]byte(s))
	}
	field(prev)
	field(fmt.Sprint(r.Seq))
	field(r.At.UTC().Format(time.RFC3339Nano))
	field(r.Login)
	field(string(r.Role))
	field(r.Event)
	field(r.Object)
	field(fmt.Sprint(r.Success))
	field(r.Detail)
	return hex.EncodeToString(m.Sum(nil))
}

func headSeal(key []byte, seq int64, hash string) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "head\x00%d\x00%s", seq, hash)
	return hex.EncodeToString(m.Sum(nil))
}

// audit appends one record inside tx, the transaction of the change it
// records, so that the change and its record stand or fall together.
func (s *Service) audit(tx *gorm.DB, sess *Session, event, object string, ok bool, detail string) error {
	if s.auditKey == nil {
		return ErrAuditKey
	}
	var last struct {
		Seq  int64
		Hash string
	}
	if err := tx.Raw(`SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&last).Error; err != nil {
		return fmt.Errorf("read audit head: %w", err)
	}
	r := models.AuditRecord{Seq: last.Seq + 1, At: s.now(), Event: event, Object: object, Success: ok, Detail: detail}
	if sess != nil {
		r.Login, r.Role = sess.Login, sess.Role
	}
	r.Hash = recordHash(s.auditKey, last.Hash, &r)
	if err := tx.Create(&r).Error; err != nil {
		return fmt.Errorf("write audit record: %w", err)
	}
	head := fmt.Sprintf("%d:%s:%s", r.Seq, r.Hash, headSeal(s.auditKey, r.Seq, r.Hash))
	if err := tx.Exec(`INSERT INTO settings(key, value) VALUES ('audit_head', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, head).Error; err != nil {
		return fmt.Errorf("write audit head: %w", err)
	}
	return nil
}

// auditAlone records an event that changes nothing else (a failed sign-in, a
// refusal) in a transaction of its own.
func (s *Service) auditAlone(sess *Session, event, object string, ok bool, detail string) error {
	return s.db.Transaction(func(tx *gorm.DB) error { return s.audit(tx, sess, event, object, ok, detail) })
}

// AuditVerdict is the result of checking the whole chain.
type AuditVerdict struct {
	Records  int64
	OK       bool
	BrokenAt int64  // the first record that does not verify (0 when OK or when the head is wrong)
	Problem  string // Chinese: what is wrong
}

// verifyAudit walks the chain from the first record and names the first one
// that does not verify.
func (s *Service) verifyAudit() (AuditVerdict, error) {
	var v AuditVerdict
	if s.auditKey == nil {
		return v, ErrAuditKey
	}
	rows, err := s.db.Model(&models.AuditRecord{}).Order("seq").Rows()
	if err != nil {
		return v, err
	}
	defer rows.Close()
	prev, want := "", int64(1)
	for rows.Next() {
		var r models.AuditRecord
		if err := s.db.ScanRows(rows, &r); err != nil {
			return v, err
		}
		v.Records++
		switch {
		case r.Seq != want:
			v.BrokenAt, v.Problem = r.Seq, fmt.Sprintf("第 %d 条之前缺少记录（应为第 %d 条）：记录被删除或插入", r.Seq, want)
			return v, nil
		case recordHash(s.auditKey, prev, &r) != r.Hash:
			v.BrokenAt, v.Problem = r.Seq, fmt.Sprintf("第 %d 条记录的内容或校验值与链不符：记录被修改、插入或替换", r.Seq)
			return v, nil
		}
		prev, want = r.Hash, want+1
	}
	if err := rows.Err(); err != nil {
		return v, err
	}
	var head string
	s.db.Raw(`SELECT value FROM settings WHERE key = 'audit_head'`).Scan(&head)
	parts := strings.Split(head, ":")
	last := want - 1
	switch {
	case last == 0 && head == "":
	case len(parts) != 3 || headSeal(s.auditKey, last, prev) != parts[2] || parts[0] != fmt.Sprint(last) || parts[1] != prev:
		v.BrokenAt = last + 1
		v.Problem = fmt.Sprintf("审计链的末尾与记录的链头不符：第 %d 条之后的记录被删除，或链头被改动", last)
		return v, nil
	}
	v.OK = true
	return v, nil
}

// VerifyAudit checks the whole audit trail; only the auditor may (R18). The
// check itself is recorded.
func (s *Service) VerifyAudit(sess *Session) (AuditVerdict, error) {
	if err := s.authorize(sess, models.RoleAuditor); err != nil {
		return AuditVerdict{}, err
	}
	v, err := s.verifyAudit()
	if err != nil {
		return v, err
	}
	detail := fmt.Sprintf("共 %d 条，完整", v.Records)
	if !v.OK {
		detail = v.Problem
	}
	return v, s.auditAlone(sess, models.EventAuditVerify, "审计记录", v.OK, detail)
}

// AuditQuery selects records of the audit trail. Zero values match everything.
type AuditQuery struct {
	From, To time.Time // To is exclusive
	Login    string
	Event    string
	Object   string // substring
	Limit    int    // 0: 1000
	Offset   int
}

// AuditTrail lists audit records, newest first; only the auditor may read it (R18).
func (s *Service) AuditTrail(sess *Session, q AuditQuery) ([]models.AuditRecord, int64, error) {
	if err := s.authorize(sess, models.RoleAuditor); err != nil {
		return nil, 0, err
	}
	db := s.db.Model(&models.AuditRecord{})
	if !q.From.IsZero() {
		db = db.Where("at >= ?", q.From.UTC())
	}
	if !q.To.IsZero() {
		db = db.Where("at < ?", q.To.UTC())
	}
	if q.Login != "" {
		db = db.Where("login = ?", q.Login)
	}
	if q.Event != "" {
		db = db.Where("event = ?", q.Event)
	}
	if q.Object != "" {
		db = db.Where("instr(object, ?) > 0", q.Object)
	}
	var total int64
	if err := db.Count(&total).Error; err != nil {
		return nil, 0, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 1000
	}
	var out []models.AuditRecord
	err := db.Order("seq DESC").Limit(limit).Offset(q.Offset).Find(&out).Error
	return out, total, err
}

// ExportAuditCSV writes the records q selects (all of them, newest first) as
// CSV with a UTF-8 byte-order mark, so Excel opens the Chinese correctly.
// Only the auditor may; the export is itself audited.
func (s *Service) ExportAuditCSV(sess *Session, q AuditQuery, w io.Writer) (int, error) {
	if err := s.authorize(sess, models.RoleAuditor); err != nil {
		return 0, err
	}
	q.Limit, q.Offset = 1<<30, 0
	recs, _, err := s.AuditTrail(sess, q)
	if err != nil {
		return 0, err
	}
	w.Write([]byte("\xef\xbb\xbf"))
	cw := csv.NewWriter(w)
	cw.Write([]string{"序号", "时间", "用户", "角色", "事件", "对象", "结果", "详情", "校验值"})
	for _, r := range recs {
		result := "成功"
		if !r.Success {
			result = "失败"
		}
		cw.Write([]string{fmt.Sprint(r.Seq), r.At.Local().Format("2006-01-02 15:04:05"), r.Login, r.Role.String(),
			EventLabel(r.Event), r.Object, result, r.Detail, r.Hash})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return 0, fmt.Errorf("write audit CSV: %w", err)
	}
	return len(recs), s.auditAlone(sess, models.EventExport, "审计记录", true, fmt.Sprintf("导出 CSV %d 条", len(recs)))
}

// EventLabel is the Chinese name of an audit event type.
func EventLabel(e string) string {
	if l, ok := models.EventLabels[e]; ok {
		return l
	}
	return e
}

// Describe says in Chinese what the query selects, for printouts.
func (q AuditQuery) Describe() string {
	var parts []string
	if !q.From.IsZero() {
		parts = append(parts, "自 "+q.From.Local().Format("2006-01-02"))
	}
	if !q.To.IsZero() {
		parts = append(parts, "至 "+q.To.Add(-time.Nanosecond).Local().Format("2006-01-02"))
	}
	if q.Login != "" {
		parts = append(parts, "用户 "+q.Login)
	}
	if q.Event != "" {
		parts = append(parts, "事件 "+EventLabel(q.Event))
	}
	if q.Object != "" {
		parts = append(parts, "对象含“"+q.Object+"”")
	}
	if len(parts) == 0 {
		return "全部记录"
	}
	return strings.Join(parts, "，")
}

// ExportAuditPDF prints the records q selects, with the chain's verdict at
// printing time. Only the auditor may; the export is itself audited.
func (s *Service) ExportAuditPDF(sess *Session, q AuditQuery, w io.Writer) (int, error) {
	if err := s.authorize(sess, models.RoleAuditor); err != nil {
		return 0, err
	}
	q.Limit, q.Offset = 1<<30, 0
	recs, _, err := s.AuditTrail(sess, q)
	if err != nil {
		return 0, err
	}
	v, err := s.verifyAudit()
	if err != nil {
		return 0, err
	}
	verdict := fmt.Sprintf("完整（共 %d 条）", v.Records)
	if !v.OK {
		verdict = "不完整：" + v.Problem
	}
	rep := reports.AuditReport{Office: s.OfficeName(), Filter: q.Describe(), Verdict: verdict,
		PrintedBy: sess.FullName + "（" + sess.Role.String() + "）", Printed: s.now()}
	for _, r := range recs {
		result := "成功"
		if !r.Success {
			result = "失败"
		}
		role := r.Role.String()
		if r.Role == "" {
			role = "—"
		}
		rep.Rows = append(rep.Rows, reports.AuditRow{Seq: r.Seq, At: r.At, Login: r.Login, Role: role,
			Event: EventLabel(r.Event), Object: r.Object, Result: result, Detail: r.Detail})
	}
	if err := reports.RenderAuditTrail(w, rep); err != nil {
		return 0, err
	}
	return len(recs), s.auditAlone(sess, models.EventExport, "审计记录", true, fmt.Sprintf("导出 PDF %d 条", len(recs)))
}
