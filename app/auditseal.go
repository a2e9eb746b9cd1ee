package app

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"secdoc/models"
)

// The auditor's seal (审计印记) is a short code for the chain at one record:
// the record's number and the first 64 bits of its hash, which depends on
// every record before it and on every row version they sealed. Written on
// paper or printed on the audit report, it pins the chain up to that record
// against the one person the program can't stop: someone holding both the
// database and the key folder, who could otherwise rewrite the whole chain
// consistently. Any change before the sealed record changes its hash, and
// the code written down no longer matches.

// AuditSeal is a seal code.
type AuditSeal struct {
	Seq  int64
	Code string // 16 hexadecimal digits in groups of four: 3F9A-C2D1-77B0-1E4D
}

func (a AuditSeal) String() string { return fmt.Sprintf("第 %d 条 %s", a.Seq, a.Code) }

func sealCode(hash string) string {
	h := strings.ToUpper(hash)
	if len(h) < 16 {
		return h
	}
	return h[0:4] + "-" + h[4:8] + "-" + h[8:12] + "-" + h[12:16]
}

// CurrentAuditSeal is the seal of the chain's newest record. Only the
// auditor may read it; reading it is recorded.
func (s *Service) CurrentAuditSeal(sess *Session) (_ AuditSeal, err error) {
	defer s.refused(sess, "CurrentAuditSeal", "", &err)
	if err := s.authorize(sess, models.RoleAuditor); err != nil {
		return AuditSeal{}, err
	}
	last, err := lastRecord(s.db)
	if err != nil {
		return AuditSeal{}, err
	}
	seal := AuditSeal{Seq: last.Seq, Code: sealCode(last.Hash)}
	return seal, s.auditAlone(sess, models.EventAuditRead, "审计印记", true, "读取审计印记 "+seal.String())
}

var sealPattern = regexp.MustCompile(`^(?:第\s*)?(\d+)\s*(?:条)?\s*[:：·\s]\s*([0-9A-Fa-f]{4})-?([0-9A-Fa-f]{4})-?([0-9A-Fa-f]{4})-?([0-9A-Fa-f]{4})$`)

// ParseAuditSeal reads a seal as written down: "第 1234 条 3F9A-C2D1-77B0-1E4D",
// "1234:3f9ac2d177b01e4d" and the like.
func ParseAuditSeal(text string) (AuditSeal, bool) {
	m := sealPattern.FindStringSubmatch(strings.TrimSpace(models.NormalizeWidth(text)))
	if m == nil {
		return AuditSeal{}, false
	}
	seq, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil || seq < 1 {
		return AuditSeal{}, false
	}
	return AuditSeal{Seq: seq, Code: strings.ToUpper(m[2] + "-" + m[3] + "-" + m[4] + "-" + m[5])}, true
}

// CheckAuditSeal checks that the chain still holds the record of a seal
// written down earlier with the same hash: nothing up to it was rewritten.
// It returns whether it matches and, in Chinese, what was found. Only the
// auditor may; the check is recorded.
func (s *Service) CheckAuditSeal(sess *Session, text string) (_ bool, _ string, err error) {
	defer s.refused(sess, "CheckAuditSeal", "", &err)
	if err := s.authorize(sess, models.RoleAuditor); err != nil {
		return false, "", err
	}
	want, ok := ParseAuditSeal(text)
	if !ok {
		return false, "", fieldErr("Seal", "审计印记应写成“第 1234 条 3F9A-C2D1-77B0-1E4D”的样子：记录序号和 16 位校验码")
	}
	var hash string
	s.db.Raw(`SELECT hash FROM audit_log WHERE seq = ?`, want.Seq).Scan(&hash)
	var match bool
	var msg string
	switch {
	case hash == "":
		msg = fmt.Sprintf("审计记录中没有第 %d 条：抄录之后，记录被删除，或数据库被换成了旧的副本", want.Seq)
	case sealCode(hash) != want.Code:
		msg = fmt.Sprintf("第 %d 条审计记录的校验码现为 %s，与抄录的 %s 不符：这条记录或它之前的记录被改写过", want.Seq,
			sealCode(hash), want.Code)
	default:
		match = true
		msg = fmt.Sprintf("与抄录的审计印记相符：第 %d 条及之前的审计记录没有被改写", want.Seq)
	}
	return match, msg, s.auditAlone(sess, models.EventAuditVerify, "审计印记", match, "核对审计印记 "+want.String()+"："+msg)
}

// AcceptChain is the auditor's answer to a chain that does not reach its
// head kept outside the database (records cut off the end, or an older copy
// of the database put back): having seen what is missing, the auditor
// accepts the chain as it is, and the head outside moves to its newest
// record. Everything else must check out first: the chain itself, the
// schema and every sealed row. The act is recorded with the old and the
// new head and the auditor's reason. Only the auditor may.
func (s *Service) AcceptChain(sess *Session, reason string) (err error) {
	defer s.refused(sess, "AcceptChain", "", &err)
	if err := s.authorize(sess, models.RoleAuditor); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fieldErr("Reason", "请写明确认的理由（例如：经核查，数据库于某日从旧副本恢复，缺失的记录已另行登记）")
	}
	alarm := s.ChainAlarm()
	if alarm == "" {
		return fieldErr("Reason", "审计链完整，无需确认")
	}
	v, err := s.verifyAll(nil)
	if err != nil {
		return err
	}
	for _, f := range v.Findings {
		if f != alarm && !strings.Contains(f, "链头") && !strings.Contains(f, "审计记录缺少第") && !strings.Contains(f, "已被清空") {
			return fieldErr("Reason", "审计记录或登记簿还有其他问题（%s），不能确认现状；请先查明", f)
		}
	}
	old, _, _ := s.readHeadFile()
	last, err := lastRecord(s.db)
	if err != nil {
		return err
	}
	s.headMu.Lock()
	s.alarm, s.head = "", chainHead{}
	s.headMu.Unlock()
	err = s.write(func(tx *gorm.DB) error {
		return s.audit(tx, sess, models.EventChainAccept, "审计链", true, fmt.Sprintf(
			"确认审计链现状：本机原链头为第 %d 条，数据库中审计链到第 %d 条（%s）；原因：%s；发现的问题：%s",
			old.Seq, last.Seq, sealCode(last.Hash), reason, alarm))
	})
	if err != nil {
		s.raiseAlarm(alarm)
	}
	return err
}
