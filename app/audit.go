package app

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
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

	"secdoc/internal/private"
	"secdoc/models"
	"secdoc/reports"
)

// The audit trail is a chain: each record's hash is an HMAC-SHA256, under a
// key kept outside the database file, of the previous record's hash and the
// record's own fields. Changing, inserting or removing any record breaks the
// chain from that record on; rewriting the whole chain needs the key. Since
// schema 12 each record also seals the rows its transaction wrote (seal.go),
// and the chain's newest record is kept outside the database as its head
// (head.go), so removing records from the end is detected too.

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

// ErrBadDBID means the database's id is not what the program writes (32
// lowercase hexadecimal digits): it names files, so nothing else is used.
var ErrBadDBID = errors.New("database id is not 32 lowercase hex digits")

// ValidDBID says whether id is a database id as the program makes them.
func ValidDBID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// AuditKeyPath is where the audit key of this database is kept.
func (s *Service) AuditKeyPath() string {
	return filepath.Join(s.keyDir, "audit-"+s.dbID+".key")
}

// loadAuditKey reads the key, creating it when the trail is still empty.
func (s *Service) loadAuditKey() error {
	if err := s.db.Raw(`SELECT value FROM settings WHERE key = 'db_id'`).Scan(&s.dbID).Error; err != nil || s.dbID == "" {
		return fmt.Errorf("read database id: %v", err)
	}
	if !ValidDBID(s.dbID) {
		return fmt.Errorf("%w: %q", ErrBadDBID, s.dbID)
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
	if err := private.MkdirAll(filepath.Dir(path)); err != nil {
		return fmt.Errorf("create audit key folder: %w", err)
	}
	tmp := path + ".tmp"
	if err := private.WriteFile(tmp, key); err != nil {
		return fmt.Errorf("write audit key: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write audit key: %w", err)
	}
	s.auditKey = key
	return nil
}

// recordHash is a record's link in the chain after prev. Version 1 records
// (before rows were sealed) hash their own fields; version 2 also the seals
// they list and the register's digest, under a tag of their own, so a
// record can't pass for the other version.
func (s *Service) recordHash(prev string, r *models.AuditRecord) string {
	m := hmac.New(sha256.New, s.auditKey)
	if r.V >= 2 {
		writeField(m, "secdoc-audit-v2")
	}
	writeField(m, prev)
	writeField(m, fmt.Sprint(r.Seq))
	writeField(m, r.At.UTC().Format(time.RFC3339Nano))
	writeField(m, r.Login)
	writeField(m, string(r.Role))
	writeField(m, r.Event)
	writeField(m, r.Object)
	writeField(m, fmt.Sprint(r.Success))
	writeField(m, r.Detail)
	if r.V >= 2 {
		writeField(m, string(r.Seals))
		writeField(m, r.Digest)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// headSeal sealed the head kept inside the database before schema 12.
func headSeal(key []byte, seq int64, hash string) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "head\x00%d\x00%s", seq, hash)
	return hex.EncodeToString(m.Sum(nil))
}

// audit records an event inside tx, the transaction of the change it
// records, so that the change and its record stand or fall together. The
// records of a transaction are appended to the chain when its work is done
// (write); the last of them seals every row the transaction changed.
func (s *Service) audit(tx *gorm.DB, sess *Session, event, object string, ok bool, detail string) error {
	ws := writeStateOf(tx)
	if ws == nil {
		return errors.New("audit record outside a write transaction")
	}
	if s.auditKey == nil {
		return ErrAuditKey
	}
	ws.queue = append(ws.queue, queuedRecord{sess: sess, event: event, object: object, ok: ok, detail: detail, at: s.now()})
	return nil
}

// queuedRecord is an audit record waiting for its transaction's end.
type queuedRecord struct {
	sess                  *Session
	event, object, detail string
	ok                    bool
	at                    time.Time
}

// flushRecords appends the transaction's records to the chain, the last
// one sealing every row the transaction changed.
func (s *Service) flushRecords(tx *gorm.DB, ws *writeState) error {
	entries, err := s.drainPending(tx)
	if err != nil {
		return err
	}
	for _, e := range entries {
		ws.touched(e.Table)
	}
	if len(ws.queue) == 0 {
		if len(entries) > 0 {
			return fmt.Errorf("%d changed rows left unsealed: the use case wrote no audit record", len(entries))
		}
		return nil
	}
	// The last record seals up to sealBatch rows; a transaction that changed
	// more (an import) seals the rest in records of its own.
	first := entries[:min(len(entries), sealBatch)]
	for i, q := range ws.queue {
		var es []sealEntry
		if i == len(ws.queue)-1 {
			es = first
		}
		if err := s.appendRecordAt(tx, q.sess, q.event, q.object, q.ok, q.detail, q.at, es); err != nil {
			return err
		}
	}
	last := ws.queue[len(ws.queue)-1]
	for rest := entries[len(first):]; len(rest) > 0; {
		n := min(len(rest), sealBatch)
		if err := s.appendRecordAt(tx, last.sess, models.EventSeal, last.object, true,
			fmt.Sprintf("封存同一事务（%s）改动的其余 %d 行", EventLabel(last.event), n), last.at, rest[:n]); err != nil {
			return err
		}
		rest = rest[n:]
	}
	ws.queue = nil
	return nil
}

// appendRecord appends a record sealing entries at once.
func (s *Service) appendRecord(tx *gorm.DB, sess *Session, event, object string, ok bool, detail string, entries []sealEntry) error {
	return s.appendRecordAt(tx, sess, event, object, ok, detail, s.now(), entries)
}

func (s *Service) appendRecordAt(tx *gorm.DB, sess *Session, event, object string, ok bool, detail string, at time.Time, entries []sealEntry) error {
	ws := writeStateOf(tx)
	if ws == nil {
		return errors.New("audit record outside a write transaction")
	}
	if s.auditKey == nil {
		return ErrAuditKey
	}
	var last lastRec
	if err := s.queryRow(tx, sqlLastRecord).
		Scan(&last.Seq, &last.Hash, &last.Digest, &last.V); err != nil && !isNoRows(err) {
		return fmt.Errorf("read audit head: %w", err)
	}
	if cerr := s.reachesHead(tx, chainHead{last.Seq, last.Hash}); cerr != nil {
		if !allowedWhileHeld(event) {
			return cerr
		}
		ws.hold = true
	}
	d, err := parseDigest(last.Digest)
	if err != nil {
		return err
	}
	// The seals are stored first: storing them reads back the ones they
	// replace, which the digest needs.
	entries, err = s.storeSeals(tx, last.Seq+1, entries)
	if err != nil {
		return err
	}
	if err := s.checkBefore(entries); err != nil {
		return err
	}
	r := models.AuditRecord{Seq: last.Seq + 1, At: at, Event: event, Object: object, Success: ok, Detail: detail,
		V: 2, Seals: encodeSeals(entries), Digest: s.nextDigest(d, entries).String()}
	if sess != nil {
		r.Login, r.Role = sess.Login, sess.Role
	}
	r.Hash = s.recordHash(last.Hash, &r)
	if _, err := s.exec(tx, sqlAppend, r.Seq, r.At, r.Login, string(r.Role), r.Event, r.Object, r.Success,
		r.Detail, r.Hash, r.V, r.Seals, r.Digest); err != nil {
		return fmt.Errorf("write audit record: %w", err)
	}
	ws.head, ws.appended = chainHead{r.Seq, r.Hash}, true
	ws.touched("audit_log")
	return nil
}

// auditAlone records an event that changes nothing else (a failed sign-in, a
// refusal) in a transaction of its own.
func (s *Service) auditAlone(sess *Session, event, object string, ok bool, detail string) error {
	return s.write(func(tx *gorm.DB) error { return s.audit(tx, sess, event, object, ok, detail) })
}

// verifyLegacyChain checks a chain of version 1 records, and the head kept
// in the database before schema 12, before its rows are first sealed.
func (s *Service) verifyLegacyChain() (AuditVerdict, error) {
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
		case s.recordHash(prev, &r) != r.Hash:
			v.BrokenAt, v.Problem = r.Seq, fmt.Sprintf("第 %d 条记录的内容或校验值与链不符：记录被修改、插入或替换", r.Seq)
			return v, nil
		}
		prev, want = r.Hash, want+1
	}
	if err := rows.Err(); err != nil {
		return v, err
	}
	var head string
	s.db.Raw(`SELECT value FROM settings WHERE key IN ('audit_head', 'audit_head_v1')`).Scan(&head)
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
func (s *Service) AuditTrail(sess *Session, q AuditQuery) (_ []models.AuditRecord, _ int64, err error) {
	defer s.refused(sess, "AuditTrail", "", &err)
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
	err = db.Order("seq DESC").Limit(limit).Offset(q.Offset).Find(&out).Error
	return out, total, err
}

// ExportAuditCSV writes the records q selects (all of them, newest first) as
// CSV with a UTF-8 byte-order mark, so Excel opens the Chinese correctly.
// Only the auditor may; the export is itself audited.
func (s *Service) ExportAuditCSV(sess *Session, q AuditQuery, w io.Writer) (_ int, err error) {
	defer s.refused(sess, "ExportAuditCSV", "", &err)
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
		cw.Write([]string{fmt.Sprint(r.Seq), r.At.Local().Format("2006-01-02 15:04:05"), csvText(r.Login), r.Role.String(),
			EventLabel(r.Event), csvText(r.Object), result, csvText(r.Detail), r.Hash})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return 0, fmt.Errorf("write audit CSV: %w", err)
	}
	return len(recs), s.auditAlone(sess, models.EventExport, "审计记录", true, fmt.Sprintf("导出 CSV %d 条", len(recs)))
}

// csvText keeps a cell of the CSV export from being taken for a formula by
// Excel or WPS: text beginning with = + - @ (or a tab or carriage return,
// which they skip) gets a leading apostrophe, shown as text. A sign-in
// refused for the login =HYPERLINK(…) is exported as that text, not run.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
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
func (s *Service) ExportAuditPDF(sess *Session, q AuditQuery, w io.Writer) (_ int, err error) {
	defer s.refused(sess, "ExportAuditPDF", "", &err)
	if err := s.authorize(sess, models.RoleAuditor); err != nil {
		return 0, err
	}
	q.Limit, q.Offset = 1<<30, 0
	recs, _, err := s.AuditTrail(sess, q)
	if err != nil {
		return 0, err
	}
	v, err := s.verifyAll(nil)
	if err != nil {
		return 0, err
	}
	verdict := fmt.Sprintf("完整（审计记录 %d 条，登记簿记录 %d 行逐行核对无误）", v.Records, v.Rows)
	if !v.OK {
		verdict = fmt.Sprintf("发现 %d 处问题：%s", len(v.Findings)+v.More, strings.Join(v.Findings[:min(len(v.Findings), 5)], "；"))
	}
	last, err := lastRecord(s.db)
	if err != nil {
		return 0, err
	}
	rep := reports.AuditReport{Office: s.OfficeName(), Filter: q.Describe(), Verdict: verdict,
		Seal:      AuditSeal{Seq: last.Seq, Code: sealCode(last.Hash)}.String(),
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
