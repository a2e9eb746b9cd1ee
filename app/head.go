package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"secdoc/internal/private"
	"secdoc/models"
)

// The chain's head is kept outside the database too: the newest record's
// number and hash, sealed with the audit key, in audit-<id>.head beside the
// key. It is written after every commit that appended to the chain (the
// database syncs each commit first, so the file is never ahead of what a
// power cut leaves in the database), and checked when the database opens
// and before every record is appended: the database's chain must reach
// it. Cutting records off the end, emptying the trail, or putting back an
// older copy of the database file leaves a chain that does not reach the
// head; the program then refuses every change (sign-in, sign-out and the
// auditor's reading and checking go on, so the auditor can see what
// happened) until the auditor accepts the chain as it is, or a verified
// backup is restored. Both are recorded.

// chainHead is the newest record of the chain: its number and hash.
type chainHead struct {
	Seq  int64
	Hash string
}

// ChainError is a write refused because the audit chain in the database
// does not reach the head kept outside it.
type ChainError struct{ Msg string }

func (e *ChainError) Error() string { return "audit chain: " + e.Msg }

// Message is the Chinese sentence to show.
func (e *ChainError) Message() string {
	return e.Msg + "。为防止记录被掩盖，登记簿已停止一切修改，请立即通知安全审计员。"
}

// writeState is what one write transaction appended to the chain.
type writeState struct {
	queue    []queuedRecord // the records of the transaction, appended at its end
	head     chainHead
	appended bool
	// hold: the chain does not reach the head; the record may be written
	// (a sign-in, a refusal), but the head outside must not move.
	hold bool
	// tables: the tables whose rows the transaction changed, the audit
	// trail's included, counted once it has committed (ChangeCount).
	tables map[string]bool
}

type writeKey struct{}

func writeStateOf(tx *gorm.DB) *writeState {
	if tx.Statement == nil || tx.Statement.Context == nil {
		return nil
	}
	ws, _ := tx.Statement.Context.Value(writeKey{}).(*writeState)
	return ws
}

// write runs fn in one transaction, as every change of the register does,
// and, once it has committed, moves the head kept outside the database to
// the record it appended. Every audit record is written inside write.
func (s *Service) write(fn func(tx *gorm.DB) error) error {
	ws := &writeState{}
	err := s.db.Transaction(func(tx *gorm.DB) error {
		tx = tx.WithContext(context.WithValue(s.ctx, writeKey{}, ws))
		if err := fn(tx); err != nil {
			return err
		}
		// Every row changed is sealed by an audit record: a change that is
		// not would read as made outside the program.
		return s.flushRecords(tx, ws)
	})
	if err == nil && ws.appended && !ws.hold {
		s.publishHead(ws.head)
	}
	if err == nil {
		s.changes.note(ws.tables)
	}
	return err
}

// HeadPath is the file of the chain's head, beside the audit key.
func (s *Service) HeadPath() string {
	return filepath.Join(s.keyDir, "audit-"+s.dbID+".head")
}

func headFileSeal(key []byte, h chainHead) string {
	m := hmac.New(sha256.New, key)
	writeField(m, "secdoc-head-file")
	writeField(m, s64(h.Seq))
	writeField(m, h.Hash)
	return hex.EncodeToString(m.Sum(nil))
}

func s64(n int64) string { return strconv.FormatInt(n, 10) }

const headFileMagic = "secdoc audit head v1"

// The head file holds two slots of headSlotSize bytes, written in turn with
// one write each and not synced (the database syncs its commit first: the
// file may lag behind a power cut, never lead). A write torn by a crash
// spoils one slot; the other still holds an older head, which the database
// reaches. The reader takes the valid slot with the higher number.
const headSlotSize = 256

func headSlot(key []byte, h chainHead) []byte {
	b := []byte(fmt.Sprintf("%s\n%d %s %s", headFileMagic, h.Seq, h.Hash, headFileSeal(key, h)))
	out := make([]byte, headSlotSize)
	for i := range out {
		out[i] = ' '
	}
	copy(out, b)
	out[headSlotSize-1] = '\n'
	return out
}

func parseHeadSlot(key []byte, b []byte) (chainHead, bool) {
	f := strings.Fields(string(b))
	if len(f) != 7 || strings.Join(f[:4], " ") != headFileMagic {
		return chainHead{}, false
	}
	seq, err := strconv.ParseInt(f[4], 10, 64)
	if err != nil {
		return chainHead{}, false
	}
	h := chainHead{Seq: seq, Hash: f[5]}
	return h, hmac.Equal([]byte(f[6]), []byte(headFileSeal(key, h)))
}

// readHeadFile reads the head kept outside the database; ok is false when
// there is none.
func (s *Service) readHeadFile() (h chainHead, ok bool, err error) {
	b, err := os.ReadFile(s.HeadPath())
	if errors.Is(err, os.ErrNotExist) {
		return h, false, nil
	}
	if err != nil {
		return h, false, err
	}
	if len(b) != 2*headSlotSize {
		return h, true, errors.New("head file unreadable")
	}
	valid := false
	for i := 0; i < 2; i++ {
		if sh, good := parseHeadSlot(s.auditKey, b[i*headSlotSize:(i+1)*headSlotSize]); good {
			if !valid || sh.Seq > h.Seq {
				h = sh
			}
			valid = true
		}
	}
	if !valid {
		return h, true, errors.New("head file seal does not match")
	}
	return h, true, nil
}

// writeHeadFile writes h into the head file: into the next slot, or, with
// both (the head moving back, or a new file), into both.
func (s *Service) writeHeadFile(h chainHead, both bool) error {
	if s.headFile == nil {
		path := s.HeadPath()
		if err := private.MkdirAll(filepath.Dir(path)); err != nil {
			return err
		}
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return err
		}
		if err := private.Restrict(path); err != nil {
			f.Close()
			return err
		}
		if st, err := f.Stat(); err != nil || st.Size() != 2*headSlotSize {
			both = true
		}
		s.headFile = f
	}
	slot := headSlot(s.auditKey, h)
	if both {
		if _, err := s.headFile.WriteAt(append(append([]byte(nil), slot...), slot...), 0); err != nil {
			return err
		}
		return s.headFile.Truncate(2 * headSlotSize)
	}
	s.headTurn = 1 - s.headTurn
	_, err := s.headFile.WriteAt(slot, int64(s.headTurn*headSlotSize))
	return err
}

// closeHeadFile closes the head file (when the database closes, or another
// takes its place).
func (s *Service) closeHeadFile() {
	s.headMu.Lock()
	defer s.headMu.Unlock()
	if s.headFile != nil {
		s.headFile.Close()
		s.headFile = nil
	}
}

// publishHead moves the head outside the database forward to h.
func (s *Service) publishHead(h chainHead) {
	s.headMu.Lock()
	defer s.headMu.Unlock()
	if s.alarm != "" || h.Seq <= s.head.Seq {
		return
	}
	// A head from nothing (a new register, a restored or accepted one)
	// replaces both slots: the old one may hold a later number.
	if err := s.writeHeadFile(h, s.head.Seq == 0); err != nil {
		// The record is committed; the next commit writes the head again.
		log.Printf("secdoc: write audit head: %v", err)
		return
	}
	s.head = h
}

// ChainAlarm is, in Chinese, why the register refuses changes because its
// audit chain does not reach the head kept outside it; "" when it does.
func (s *Service) ChainAlarm() string {
	s.headMu.Lock()
	defer s.headMu.Unlock()
	return s.alarm
}

func (s *Service) raiseAlarm(msg string) *ChainError {
	s.headMu.Lock()
	if s.alarm == "" {
		s.alarm = msg
	}
	msg = s.alarm
	s.headMu.Unlock()
	return &ChainError{Msg: msg}
}

// reachesHead checks, before a record is appended, that the database's
// chain, whose newest record is last, reaches the head kept outside.
func (s *Service) reachesHead(tx *gorm.DB, last chainHead) *ChainError {
	s.headMu.Lock()
	h, alarm := s.head, s.alarm
	s.headMu.Unlock()
	if alarm != "" {
		return &ChainError{Msg: alarm}
	}
	if msg := headGap(tx, h, last); msg != "" {
		return s.raiseAlarm(msg)
	}
	return nil
}

// headGap says what is missing when the chain whose newest record is last
// does not reach h; "" when it does.
func headGap(db *gorm.DB, h, last chainHead) string {
	return gapMessage(h, last, func(seq int64) string {
		var hash string
		db.Raw(`SELECT hash FROM audit_log WHERE seq = ?`, seq).Scan(&hash)
		return hash
	})
}

// gapMessage is headGap's sentence, reading a record's hash with hashAt.
func gapMessage(h, last chainHead, hashAt func(seq int64) string) string {
	switch {
	case h.Seq == 0:
		return ""
	case last.Seq < h.Seq && last.Seq == 0:
		return fmt.Sprintf("审计记录已被清空：本机记录的审计链到第 %d 条，数据库中一条也没有", h.Seq)
	case last.Seq < h.Seq:
		return fmt.Sprintf("审计记录缺少第 %d 至第 %d 条：本机记录的审计链到第 %d 条，数据库中只到第 %d 条（记录被删除，或数据库被换成了旧的副本）",
			last.Seq+1, h.Seq, h.Seq, last.Seq)
	case last.Seq == h.Seq && last.Hash == h.Hash:
		return ""
	}
	if hashAt(h.Seq) != h.Hash {
		return fmt.Sprintf("数据库中的第 %d 条审计记录与本机记录的链头不符（记录被替换，或数据库被换成了别的副本）", h.Seq)
	}
	return ""
}

// lastRecord reads the newest record of the chain.
type lastRec struct {
	Seq    int64
	Hash   string
	Digest string
	V      int
}

func lastRecord(db *gorm.DB) (lastRec, error) {
	var r lastRec
	err := db.Raw(`SELECT seq, hash, digest, v FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&r).Error
	if err != nil {
		return r, fmt.Errorf("read audit head: %w", err)
	}
	return r, nil
}

// allowedWhileHeld are the records the program still writes while its
// chain does not reach the head: signing in and out, locking, the
// auditor's reading, checking and accepting, refusals, and a restore (the
// remedy, recorded in the register it replaces).
func allowedWhileHeld(event string) bool {
	switch event {
	case models.EventSignIn, models.EventSignOut, models.EventLock, models.EventUnlock,
		models.EventAuditVerify, models.EventAuditRead, models.EventChainAccept,
		models.EventDenied, models.EventRuleDenied, models.EventCleanup, models.EventRestore:
		return true
	}
	return false
}

// startChain runs when the database opens: it seals the register the
// first time this version opens it, and checks that the chain reaches the
// head kept outside the database.
func (s *Service) startChain() error {
	var sealed int64
	if err := s.db.Raw(`SELECT count(*) FROM (SELECT 1 FROM audit_log WHERE v >= 2 LIMIT 1)`).Scan(&sealed).Error; err != nil {
		return err
	}
	h, haveHead, headErr := s.readHeadFile()
	if sealed == 0 && (haveHead || headErr != nil) {
		// This installation has sealed this register before: a trail with
		// no sealed record is one emptied or put back from long ago.
		last, err := lastRecord(s.db)
		if err != nil {
			return err
		}
		if last.Seq == 0 {
			s.raiseAlarm(fmt.Sprintf("审计记录已被清空：本机记录的审计链到第 %d 条，数据库中一条也没有", h.Seq))
		} else {
			s.raiseAlarm(fmt.Sprintf("本机记录的审计链到第 %d 条，数据库中却是封存登记簿之前的旧审计记录（数据库被换成了旧的副本）", h.Seq))
		}
		return nil
	}
	if sealed == 0 {
		// First start of this version: the chain so far must hold before
		// its rows are sealed on its word.
		s.say("首次以本版本打开：正在校验原有的审计记录…")
		v, err := s.verifyLegacyChain()
		if err != nil {
			return err
		}
		if !v.OK {
			s.raiseAlarm("升级前的审计记录校验不通过（" + v.Problem + "），登记簿未能封存")
			return nil
		}
		why := "首次封存登记簿的全部记录"
		if v.Records > 0 {
			why = fmt.Sprintf("首次封存登记簿的全部记录（此前的 %d 条审计记录已校验完整）", v.Records)
		}
		if _, err := s.sealUnsealed(why); err != nil {
			return fmt.Errorf("seal register: %w", err)
		}
		return nil
	}
	last, err := lastRecord(s.db)
	if err != nil {
		return err
	}
	ok, err := haveHead, headErr
	switch {
	case err != nil && ok:
		s.raiseAlarm("本机保存的审计链头文件被改动或已损坏（" + s.HeadPath() + "）")
		return nil
	case err != nil:
		return fmt.Errorf("read audit head: %w", err)
	case !ok:
		s.raiseAlarm("本机没有这个登记簿的审计链头记录（链头文件缺失），无法确认审计记录完整")
		return nil
	}
	if msg := headGap(s.db, h, chainHead{last.Seq, last.Hash}); msg != "" {
		s.raiseAlarm(msg)
		return nil
	}
	s.headMu.Lock()
	s.head = h
	s.headMu.Unlock()
	if last.Seq > h.Seq {
		// Records committed after the head was last written (the program
		// stopped in between): they must chain on from it.
		if bad := s.checkChainFrom(h, last.Seq); bad != "" {
			s.raiseAlarm(bad)
			return nil
		}
		s.publishHead(chainHead{last.Seq, last.Hash})
	}
	return nil
}

// checkChainFrom checks the records after h up to last: "" when they chain.
func (s *Service) checkChainFrom(h chainHead, last int64) string {
	var recs []models.AuditRecord
	s.db.Where("seq > ? AND seq <= ?", h.Seq, last).Order("seq").Find(&recs)
	prev, want := h.Hash, h.Seq+1
	for i := range recs {
		r := &recs[i]
		if r.Seq != want || s.recordHash(prev, r) != r.Hash {
			return fmt.Sprintf("第 %d 条审计记录与链头之后的链不符", r.Seq)
		}
		prev, want = r.Hash, want+1
	}
	if want != last+1 {
		return fmt.Sprintf("第 %d 条审计记录缺失", want)
	}
	return ""
}
