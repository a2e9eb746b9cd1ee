package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"secdoc/models"
)

// AuditVerdict is the result of checking the whole register: its schema,
// its audit chain, the chain's head kept outside the database, and every
// sealed row.
type AuditVerdict struct {
	Records  int64 // audit records checked
	Rows     int64 // sealed rows checked
	OK       bool
	BrokenAt int64    // the first record that does not verify (0 when the chain holds)
	Problem  string   // Chinese: the first thing found wrong
	Findings []string // Chinese: what was found wrong, at most maxFindings
	More     int      // findings beyond those listed
}

const maxFindings = 200

func (v *AuditVerdict) find(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if v.Problem == "" {
		v.Problem = msg
	}
	if len(v.Findings) < maxFindings {
		v.Findings = append(v.Findings, msg)
	} else {
		v.More++
	}
}

// VerifyProgress reports a check's progress: done of total records and rows.
type VerifyProgress func(done, total int64)

// verifyAll checks everything on one consistent snapshot of the database.
func (s *Service) verifyAll(progress VerifyProgress) (AuditVerdict, error) {
	return s.verifyRegister(progress, true)
}

// verifyRegister is verifyAll; withHead false leaves out the head kept
// outside (for a database being restored, whose head is not this one's).
func (s *Service) verifyRegister(progress VerifyProgress, withHead bool) (AuditVerdict, error) {
	var v AuditVerdict
	if s.auditKey == nil {
		return v, ErrAuditKey
	}
	// The head outside is read before the snapshot starts: every head
	// written so far belongs to a commit the snapshot holds.
	s.headMu.Lock()
	alarm := s.alarm
	s.headMu.Unlock()
	var fileHead chainHead
	var haveHead bool
	var headErr error
	if withHead {
		fileHead, haveHead, headErr = s.readHeadFile()
	}

	sqlDB, err := s.db.DB()
	if err != nil {
		return v, err
	}
	ctx := s.ctx
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return v, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return v, fmt.Errorf("begin check: %w", err)
	}
	defer conn.ExecContext(ctx, `ROLLBACK`)

	var total, done int64
	var nRecords, nSeals int64
	conn.QueryRowContext(ctx, `SELECT count(*) FROM audit_log`).Scan(&nRecords)
	conn.QueryRowContext(ctx, `SELECT count(*) FROM row_seals`).Scan(&nSeals)
	total = nRecords + nSeals
	tick := func() {
		done++
		if progress != nil && done%20000 == 0 {
			progress(done, total)
		}
	}

	// 1. The schema is the one this version makes: checked first, listed
	// last (what was done to the records and rows comes first).
	var schema AuditVerdict
	if err := s.verifySchema(&schema); err != nil {
		return v, err
	}

	// 2. The chain.
	last, lastDigest, sealed, err := s.verifyChain(ctx, conn, &v, tick)
	if err != nil {
		return v, err
	}

	// 3. The head outside the database.
	switch {
	case alarm != "":
		v.find("%s", alarm)
	case headErr != nil && haveHead:
		v.find("本机保存的审计链头文件被改动或已损坏")
	case headErr != nil:
		return v, headErr
	case !withHead:
	case sealed && !haveHead:
		v.find("本机没有这个登记簿的审计链头记录（链头文件缺失），无法确认末尾的记录没有被删除")
	case haveHead:
		if msg := headGapConn(ctx, conn, fileHead, last); msg != "" {
			v.find("%s", msg)
			if v.BrokenAt == 0 {
				v.BrokenAt = min(last.Seq+1, fileHead.Seq)
			}
		}
	}

	// 4. Every sealed row, and the digest of all seals.
	if sealed {
		sum, err := s.verifyRows(ctx, conn, &v, tick)
		if err != nil {
			return v, err
		}
		if sum != lastDigest {
			if err := s.explainDigest(ctx, conn, &v); err != nil {
				return v, err
			}
		}
	}
	// 5. The counts the home and the statistics read, against the rows.
	diffs, err := countsDiffer(ctx, conn)
	if err != nil {
		return v, err
	}
	for _, d := range diffs {
		v.find("%s", d)
	}
	for _, f := range schema.Findings {
		v.find("%s", f)
	}
	if progress != nil {
		progress(total, total)
	}
	v.OK = v.Problem == ""
	return v, nil
}

// verifySchema compares the database's schema with this version's.
func (s *Service) verifySchema(v *AuditVerdict) error {
	want, err := models.ExpectedSchema()
	if err != nil {
		return err
	}
	got, err := models.ReadSchema(s.db)
	if err != nil {
		return err
	}
	for _, d := range want.Diff(got) {
		v.find("数据库结构被改动：%s", d)
	}
	return nil
}

// verifyChain walks the chain from its first record. Each record is
// checked against the hash its predecessor carries, so that one changed
// record is named once, not with every record after it.
func (s *Service) verifyChain(ctx context.Context, conn *sql.Conn, v *AuditVerdict, tick func()) (last chainHead, d digest, sealed bool, err error) {
	rows, err := conn.QueryContext(ctx, `SELECT seq, at, login, role, event, object, success, detail, hash, v, seals, digest
		FROM audit_log ORDER BY seq`)
	if err != nil {
		return last, d, false, err
	}
	defer rows.Close()
	prev, want := "", int64(1)
	for rows.Next() {
		var r models.AuditRecord
		var role string
		if err := rows.Scan(&r.Seq, &r.At, &r.Login, &role, &r.Event, &r.Object, &r.Success, &r.Detail, &r.Hash,
			&r.V, &r.Seals, &r.Digest); err != nil {
			return last, d, false, fmt.Errorf("read audit record: %w", err)
		}
		r.Role = models.Role(role)
		v.Records++
		tick()
		switch {
		case r.Seq != want && r.Seq > want:
			v.find("第 %d 至第 %d 条审计记录缺失：记录被删除", want, r.Seq-1)
			if v.BrokenAt == 0 {
				v.BrokenAt = want
			}
			prev = "" // the link can't be checked across the gap
		case r.Seq != want:
			v.find("第 %d 条审计记录出现在第 %d 条之后：记录被插入", r.Seq, want-1)
		}
		if sealed && r.V < 2 {
			v.find("第 %d 条审计记录的格式早于它之前的记录：记录被替换", r.Seq)
		}
		if (prev != "" || r.Seq == 1) && s.recordHash(prev, &r) != r.Hash {
			v.find("第 %d 条审计记录的内容或校验值与链不符：记录被修改、插入或替换", r.Seq)
			if v.BrokenAt == 0 {
				v.BrokenAt = r.Seq
			}
		}
		if r.V >= 2 {
			sealed = true
			if err := decodeSeals(r.Seals, func(string, string, []byte) {}); err != nil {
				v.find("第 %d 条审计记录的封存清单无法读取", r.Seq)
			}
			if nd, err := parseDigest(r.Digest); err != nil {
				v.find("第 %d 条审计记录的登记簿摘要无法读取", r.Seq)
			} else {
				d = nd
			}
		}
		prev, want = r.Hash, r.Seq+1
		last = chainHead{r.Seq, r.Hash}
	}
	return last, d, sealed, rows.Err()
}

func headGapConn(ctx context.Context, conn *sql.Conn, h, last chainHead) string {
	return gapMessage(h, last, func(seq int64) string {
		var hash string
		conn.QueryRowContext(ctx, `SELECT hash FROM audit_log WHERE seq = ?`, seq).Scan(&hash)
		return hash
	})
}

// sealRow is one row of row_seals.
type sealRow struct {
	key  string
	seq  int64
	hash []byte
	cols []byte
}

// verifyRows recomputes every sealed table's rows' seals and compares them
// with row_seals, table by table, both read in key order. It returns the
// sum of all seals, for the digest.
func (s *Service) verifyRows(ctx context.Context, conn *sql.Conn, v *AuditVerdict, tick func()) (digest, error) {
	var sum digest
	known := map[string]bool{}
	for i := range s.sealer.tables {
		t := &s.sealer.tables[i]
		known[t.Name] = true
		if err := s.verifyTable(ctx, conn, t, v, &sum, tick); err != nil {
			return sum, err
		}
	}
	// Seals of tables the register does not seal were put there by hand.
	rows, err := conn.QueryContext(ctx, `SELECT tbl, row_key, hash FROM row_seals`)
	if err != nil {
		return sum, err
	}
	defer rows.Close()
	for rows.Next() {
		var tbl, key string
		var hash []byte
		if err := rows.Scan(&tbl, &key, &hash); err != nil {
			return sum, err
		}
		if !known[tbl] {
			v.find("封存表中有不属于登记簿的条目（%s %s）：在程序之外写入", tbl, key)
			sum.add(sumTerm(s.auditKey, tbl, key, hash))
		}
	}
	return sum, rows.Err()
}

func (s *Service) verifyTable(ctx context.Context, conn *sql.Conn, t *models.SealedTable, v *AuditVerdict, sum *digest, tick func()) error {
	var exists int
	conn.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`, t.Name).Scan(&exists)
	seals, err := conn.QueryContext(ctx, `SELECT row_key, seq, hash, cols FROM row_seals WHERE tbl = ? ORDER BY row_key`, t.Name)
	if err != nil {
		return err
	}
	defer seals.Close()
	nextSeal := func() (*sealRow, error) {
		if !seals.Next() {
			return nil, seals.Err()
		}
		var r sealRow
		if err := seals.Scan(&r.key, &r.seq, &r.hash, &r.cols); err != nil {
			return nil, err
		}
		sum.add(sumTerm(s.auditKey, t.Name, r.key, r.hash))
		tick()
		return &r, nil
	}
	if exists == 0 {
		// Reported by the schema check; its seals are all rows deleted.
		for {
			sr, err := nextSeal()
			if err != nil || sr == nil {
				return err
			}
			v.find("%s %s 已不存在（第 %d 条审计记录封存）：整张表被删除", tableLabel(t.Name), sr.key, sr.seq)
		}
	}
	rows, err := conn.QueryContext(ctx, t.SelectSQL()+` ORDER BY `+t.KeyExpr(""))
	if err != nil {
		return err
	}
	defer rows.Close()
	sr, err := nextSeal()
	if err != nil {
		return err
	}
	for rows.Next() {
		key, quoted, err := scanSealRow(rows, t)
		if err != nil {
			return err
		}
		v.Rows++
		for sr != nil && sr.key < key {
			v.find("%s %s 被删除（最后由第 %d 条审计记录封存）", tableLabel(t.Name), sr.key, sr.seq)
			if sr, err = nextSeal(); err != nil {
				return err
			}
		}
		if sr == nil || sr.key != key {
			v.find("%s %s 没有封存值：在程序之外插入，或它的封存值被删除", tableLabel(t.Name), rowName(t, key, quoted))
			continue
		}
		if string(rowSeal(s.auditKey, t, key, quoted)) != string(sr.hash) {
			v.find("%s %s 的内容与第 %d 条审计记录封存的不符：%s", tableLabel(t.Name), rowName(t, key, quoted), sr.seq,
				changedColumns(t, quoted, sr.cols))
		}
		if sr, err = nextSeal(); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for sr != nil {
		v.find("%s %s 被删除（最后由第 %d 条审计记录封存）", tableLabel(t.Name), sr.key, sr.seq)
		if sr, err = nextSeal(); err != nil {
			return err
		}
	}
	return nil
}

// rowName is how the auditor knows a row: its key, and its register or
// slip number, login or name where it has one.
func rowName(t *models.SealedTable, key string, quoted []string) string {
	for _, want := range []string{"reg_no", "slip_no", "login"} {
		for i, c := range t.Columns {
			if c.Name == want {
				return fmt.Sprintf("%s（%s）", unquote(quoted[i]), key)
			}
		}
	}
	return key
}

// unquote shows a value json_array wrote: text as the text, other values
// as written.
func unquote(v string) string {
	var s string
	if len(v) > 0 && v[0] == '"' && json.Unmarshal([]byte(v), &s) == nil {
		return s
	}
	return v
}

// columnLabels name in Chinese the columns an auditor most often meets.
var columnLabels = map[string]string{
	"level": "密级", "state": "状态", "title": "题名", "custodian": "责任人", "reg_no": "登记号",
	"doc_number": "文号", "copy_no": "份号", "issuer": "来文单位", "term_kind": "保密期限", "term_years": "保密年限",
	"term_until": "解密日期", "term_condition": "解密条件", "need_to_know": "知悉范围", "location": "存放位置",
	"role": "角色", "password_hash": "密码", "disabled": "停用", "failed_count": "失败次数", "locked_until": "锁定至",
	"value": "值", "decision": "审批意见", "approver_name": "审批人", "decided_on": "审批日期",
	"remarks": "备注", "kind": "类型", "return_to_issuer": "清退标记", "max_level": "最高密级", "actions": "审批事项",
}

// changedColumns names the columns of a changed row whose tags differ from
// those kept with its seal, with their values now.
func changedColumns(t *models.SealedTable, quoted []string, tags []byte) string {
	now := colTags(t, quoted)
	if len(tags) != len(now) {
		return "无法确定被改动的字段"
	}
	var parts []string
	for i, c := range t.Columns {
		if now[2*i] != tags[2*i] || now[2*i+1] != tags[2*i+1] {
			label := c.Name
			if l, ok := columnLabels[c.Name]; ok {
				label = l + "（" + c.Name + "）"
			}
			parts = append(parts, fmt.Sprintf("%s现为 %s", label, clip(unquote(quoted[i]), 40)))
		}
	}
	if len(parts) == 0 {
		return "无法确定被改动的字段"
	}
	return "被改动的字段：" + strings.Join(parts, "，")
}

// clip cuts s to n characters, saying how long it was.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return fmt.Sprintf("%s…（共 %d 字）", string(r[:n]), len(r))
}

// explainDigest runs when the seals' sum is not the chain's digest: seals
// were removed, replaced by older ones or added with another tool. It
// replays every seal the chain lists to find which.
func (s *Service) explainDigest(ctx context.Context, conn *sql.Conn, v *AuditVerdict) error {
	before := len(v.Findings) + v.More
	type latest struct {
		seal []byte
		seq  int64
	}
	want := map[string]latest{}
	rows, err := conn.QueryContext(ctx, `SELECT seq, seals FROM audit_log WHERE v >= 2 ORDER BY seq`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var seq int64
		var b []byte
		if err := rows.Scan(&seq, &b); err != nil {
			rows.Close()
			return err
		}
		decodeSeals(b, func(tbl, key string, seal []byte) {
			k := tbl + "\x00" + key
			if len(seal) == 0 {
				delete(want, k)
				return
			}
			want[k] = latest{append([]byte(nil), seal...), seq}
		})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	have, err := conn.QueryContext(ctx, `SELECT tbl, row_key, hash FROM row_seals`)
	if err != nil {
		return err
	}
	defer have.Close()
	for have.Next() {
		var tbl, key string
		var hash []byte
		if err := have.Scan(&tbl, &key, &hash); err != nil {
			return err
		}
		k := tbl + "\x00" + key
		w, ok := want[k]
		switch {
		case !ok:
			v.find("%s %s 的封存值不是程序写入的（审计链中没有它）", tableLabel(tbl), key)
		case string(w.seal) != string(hash):
			v.find("%s %s 的封存值被换成了旧的（第 %d 条审计记录封存的才是现在的）：该行被回滚到以前的内容", tableLabel(tbl), key, w.seq)
		}
		delete(want, k)
	}
	if err := have.Err(); err != nil {
		return err
	}
	missing := make([]string, 0, len(want))
	for k := range want {
		missing = append(missing, k)
	}
	sort.Strings(missing)
	for _, k := range missing {
		tbl, key, _ := strings.Cut(k, "\x00")
		t := s.sealer.byName[tbl]
		exists := false
		if t != nil {
			var n int
			conn.QueryRowContext(ctx, `SELECT count(*) FROM main."`+tbl+`" WHERE `+t.KeyExpr("")+` = ?`, key).Scan(&n)
			exists = n > 0
		}
		if exists {
			v.find("%s %s 的封存值被删除（第 %d 条审计记录封存）", tableLabel(tbl), key, want[k].seq)
		} else {
			v.find("%s %s 连同封存值一起被删除（第 %d 条审计记录封存）", tableLabel(tbl), key, want[k].seq)
		}
	}
	if len(v.Findings)+v.More == before {
		v.find("登记簿摘要与封存值之和不符：封存表被改动")
	}
	return nil
}

// VerifyAudit checks the whole register: the schema, the audit chain, its
// head kept outside the database, and every sealed row. Only the auditor
// may (R18). The check itself is recorded.
func (s *Service) VerifyAudit(sess *Session) (AuditVerdict, error) {
	return s.VerifyAuditProgress(sess, nil)
}

// VerifyAuditProgress is VerifyAudit reporting its progress.
func (s *Service) VerifyAuditProgress(sess *Session, progress VerifyProgress) (_ AuditVerdict, err error) {
	defer s.refused(sess, "VerifyAuditProgress", "", &err)
	if err := s.authorize(sess, models.RoleAuditor); err != nil {
		return AuditVerdict{}, err
	}
	v, err := s.verifyAll(progress)
	if err != nil {
		return v, err
	}
	detail := fmt.Sprintf("审计记录 %d 条、登记簿记录 %d 行，完整", v.Records, v.Rows)
	if !v.OK {
		detail = fmt.Sprintf("发现 %d 处问题：%s", len(v.Findings)+v.More, strings.Join(v.Findings[:min(len(v.Findings), 5)], "；"))
	}
	return v, s.auditAlone(sess, models.EventAuditVerify, "审计记录", v.OK, detail)
}
