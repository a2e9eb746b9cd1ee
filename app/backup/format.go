// Package backup writes, reads and checks secdoc's encrypted backup files
// (.sdbk): a consistent snapshot of the database and the audit key that
// verifies its trail, compressed with zstd and encrypted with AES-256-GCM
// under a key derived with argon2id from a passphrase (or a key file).
//
// # File format, version 1
//
// All integers are big-endian.
//
//	header   magic    8 bytes  "SECDOCBK"
//	         format   uint16   1
//	         n        uint32   length of the body, at most 64 KiB
//	         body     n bytes  JSON (see Header): schema version, creation
//	                           time, record counts, database id and size,
//	                           argon2id salt and parameters, key check, chunk size
//	         crc      uint32   CRC-32 (IEEE) of every header byte before it
//	chunk*   flag     1 byte   0: more chunks follow; 1: the final chunk
//	         len      uint32   length of the sealed chunk (plaintext + 16)
//	         crc      uint32   CRC-32 of flag and len
//	         sealed   len      AES-256-GCM(data key, nonce, plaintext, AAD)
//	                           nonce = 4 zero bytes ‖ uint64 chunk index
//	                           AAD   = the whole header ‖ uint64 index ‖ flag
//
// Every chunk but the final one holds exactly chunk_size bytes of plaintext;
// the final one holds 0 to chunk_size and nothing may follow it. Because the
// header is in every chunk's AAD, changing it is detected; because the index
// and the final flag are, so are reordering, removing, truncating and
// appending chunks. The header's CRC tells a damaged header from a wrong
// passphrase; the chunk's CRC tells a damaged length from a cut-off file.
//
// Keys: master = argon2id(secret, salt, time, memory, threads, 32 bytes);
// data key = HMAC-SHA256(master, "secdoc-backup v1 data"); the header's
// key_check is the first 16 bytes of HMAC-SHA256(master, "secdoc-backup v1
// check"), so a wrong passphrase is told apart from a damaged file before
// any chunk is opened. Each file has its own random salt, hence its own key,
// so a counter nonce never repeats under one key.
//
// The plaintext of the chunks, concatenated, is one zstd stream of the
// members, in this order, then an end mark:
//
//	member   name_len uint16, name, size uint64, size bytes
//	         "audit.key"  the 32-byte key of the database's audit trail
//	         "secdoc.db"  the SQLite database file (db_size bytes)
//	end      name_len 0
package backup

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"time"

	"golang.org/x/crypto/argon2"
)

// FormatVersion is the version of the file format this build writes and reads.
const FormatVersion = 1

// Magic opens every backup file.
const Magic = "SECDOCBK"

// Ext is the backup file's extension.
const Ext = ".sdbk"

const (
	envelopeLen  = 8 + 2 + 4 // magic, format, body length
	maxBodyLen   = 64 << 10
	chunkHdrLen  = 1 + 4 + 4 // flag, length, crc
	tagLen       = 16
	defaultChunk = 1 << 20

	memberKey = "audit.key"
	memberDB  = "secdoc.db"
)

// KDFParams are argon2id's costs.
type KDFParams struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// KDF is the cost new backups are written with; each file records its own.
// Tests lower it.
var KDF = KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}

// ChunkSize is the plaintext size of a chunk in new backups.
var ChunkSize = defaultChunk

// Counts are the records a backup holds.
type Counts struct {
	Carriers int64 `json:"carriers"`
	Events   int64 `json:"events"` // carrier_events: every carrier's history
	Audit    int64 `json:"audit"`  // audit_log
	Users    int64 `json:"users"`
}

// Header is what a backup says about itself, authenticated with its data.
type Header struct {
	Format      int       `json:"-"`
	Schema      int       `json:"schema"`  // the database's schema version
	Created     time.Time `json:"created"` // when the snapshot was taken (UTC)
	Program     string    `json:"program"` // the version of the program that wrote it
	DBID        string    `json:"db_id"`   // the database's identity (names its audit key)
	DBSize      int64     `json:"db_size"` // bytes of the database file inside
	Counts      Counts    `json:"counts"`
	KDF         string    `json:"kdf"` // "argon2id"
	KDFParams   KDFParams `json:"kdf_params"`
	Salt        []byte    `json:"salt"`
	KeySource   string    `json:"key_source"` // "passphrase" or "keyfile"
	KeyCheck    []byte    `json:"key_check"`
	Cipher      string    `json:"cipher"`      // "AES-256-GCM"
	Compression string    `json:"compression"` // "zstd"
	ChunkSize   int       `json:"chunk_size"`
}

// Key sources.
const (
	SourcePassphrase = "passphrase"
	SourceKeyFile    = "keyfile"
)

// Secret unlocks a backup: a passphrase, or the bytes of a key file kept
// apart from the backups.
type Secret struct {
	Passphrase string
	KeyFile    []byte
}

func (s Secret) bytes() []byte {
	if s.KeyFile != nil {
		return s.KeyFile
	}
	return []byte(s.Passphrase)
}

func (s Secret) source() string {
	if s.KeyFile != nil {
		return SourceKeyFile
	}
	return SourcePassphrase
}

// MinPassphrase is the shortest passphrase a new backup accepts (in
// characters); MinKeyFile the smallest key file (in bytes).
const (
	MinPassphrase = 10
	MinKeyFile    = 32
)

// Errors a backup file can give. Message has the Chinese sentence of each.
var (
	ErrNotBackup   = errors.New("not a secdoc backup file")
	ErrWrongSecret = errors.New("wrong passphrase or key file")
	ErrCorrupt     = errors.New("backup file is damaged (authentication failed)")
	ErrTruncated   = errors.New("backup file is incomplete (truncated)")
	ErrNewer       = errors.New("backup is from a newer program version")
	// ErrSourceCorrupt: the database to back up failed its integrity check.
	ErrSourceCorrupt = errors.New("database failed its integrity check")
	// ErrInsideCorrupt: the database inside a backup failed its integrity check.
	ErrInsideCorrupt = errors.New("database inside the backup failed its integrity check")
	// ErrReadBack: the written backup did not read back as written.
	ErrReadBack = errors.New("backup did not read back as written")
	// ErrWeakSecret: the passphrase or key file is too short for a new backup.
	ErrWeakSecret = errors.New("passphrase or key file too short")
)

// NewerError says which version the backup needs.
type NewerError struct {
	Format, Schema     int // what the backup has (0: not the reason)
	MaxFormat, MaxSchm int // what this program knows
}

func (e *NewerError) Error() string {
	if e.Format > 0 {
		return fmt.Sprintf("backup file format %d, program reads up to %d", e.Format, e.MaxFormat)
	}
	return fmt.Sprintf("backup database schema %d, program knows up to %d", e.Schema, e.MaxSchm)
}

func (e *NewerError) Unwrap() error { return ErrNewer }

// deriveKeys returns the data key and the key check of secret under h's salt
// and parameters.
func deriveKeys(secret []byte, h *Header) (dataKey, check []byte) {
	p := h.KDFParams
	master := argon2.IDKey(secret, h.Salt, p.Time, p.MemoryKiB, p.Threads, 32)
	mac := func(label string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	return mac("secdoc-backup v1 data"), mac("secdoc-backup v1 check")[:16]
}

func newAEAD(key []byte) cipher.AEAD {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic(err) // a 32-byte key never fails
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return aead
}

func nonce(idx uint64) []byte {
	n := make([]byte, 12)
	binary.BigEndian.PutUint64(n[4:], idx)
	return n
}

func chunkAAD(hdr []byte, idx uint64, final bool) []byte {
	aad := make([]byte, 0, len(hdr)+9)
	aad = append(aad, hdr...)
	aad = binary.BigEndian.AppendUint64(aad, idx)
	if final {
		return append(aad, 1)
	}
	return append(aad, 0)
}

// encodeHeader returns the header's bytes, envelope and CRC included.
func encodeHeader(h *Header) ([]byte, error) {
	body, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	if len(body) > maxBodyLen {
		return nil, fmt.Errorf("backup header too long: %d bytes", len(body))
	}
	var b bytes.Buffer
	b.WriteString(Magic)
	binary.Write(&b, binary.BigEndian, uint16(FormatVersion))
	binary.Write(&b, binary.BigEndian, uint32(len(body)))
	b.Write(body)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(b.Bytes()))
	return b.Bytes(), nil
}

// check refuses values no writer of format 1 produces: a header that passed
// its CRC but says these was made on purpose or by a bug, and a reader must
// not, say, allocate terabytes for argon2id because a file asks.
func (h *Header) check() error {
	p := h.KDFParams
	switch {
	case h.KDF != "argon2id", h.Cipher != "AES-256-GCM", h.Compression != "zstd":
		return fmt.Errorf("%w: unknown algorithm %q/%q/%q", ErrCorrupt, h.KDF, h.Cipher, h.Compression)
	case p.Time < 1 || p.Time > 64 || p.MemoryKiB < 8 || p.MemoryKiB > 1<<21 || p.Threads < 1 || p.Threads > 64:
		return fmt.Errorf("%w: argon2id parameters out of range %+v", ErrCorrupt, p)
	case len(h.Salt) < 16 || len(h.Salt) > 64 || len(h.KeyCheck) != 16:
		return fmt.Errorf("%w: salt or key check of the wrong size", ErrCorrupt)
	case h.ChunkSize < 4<<10 || h.ChunkSize > 16<<20:
		return fmt.Errorf("%w: chunk size %d", ErrCorrupt, h.ChunkSize)
	case h.DBSize < 0 || h.DBSize > 1<<44 || h.Schema < 1:
		return fmt.Errorf("%w: database size %d, schema %d", ErrCorrupt, h.DBSize, h.Schema)
	case h.KeySource != SourcePassphrase && h.KeySource != SourceKeyFile:
		return fmt.Errorf("%w: key source %q", ErrCorrupt, h.KeySource)
	}
	return nil
}

// Message is the Chinese sentence for an error of this package, and "" for
// any other error.
func Message(err error) string {
	var newer *NewerError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrNotBackup):
		return "不是本程序的备份文件"
	case errors.Is(err, ErrWrongSecret):
		return "口令不对（或密钥文件不对）：请确认备份时使用的口令"
	case errors.Is(err, ErrCorrupt):
		return "备份文件已损坏（校验失败，可能被改动或介质出错）"
	case errors.Is(err, ErrTruncated):
		return "备份文件不完整（被截断）"
	case errors.As(err, &newer):
		if newer.Format > 0 {
			return fmt.Sprintf("备份来自更新版本的程序（文件格式 %d，本程序只能读到 %d），请使用更新版本的程序", newer.Format, newer.MaxFormat)
		}
		return fmt.Sprintf("备份来自更新版本的程序（数据库结构版本 %d，本程序只支持到 %d），请使用更新版本的程序恢复", newer.Schema, newer.MaxSchm)
	case errors.Is(err, ErrNewer):
		return "备份来自更新版本的程序"
	case errors.Is(err, ErrSourceCorrupt):
		return "当前数据库没有通过完整性检查，没有生成备份。请立即联系系统管理员检查数据库（详情已记入日志）"
	case errors.Is(err, ErrInsideCorrupt):
		return "备份里的数据库没有通过完整性检查（备份时数据库可能已有问题），不能用它恢复；当前数据库没有改动"
	case errors.Is(err, ErrReadBack):
		return "备份写入后读回校验不一致，备份盘可能有问题；已删除这个备份，请换一个盘重试"
	case errors.Is(err, ErrWeakSecret):
		return fmt.Sprintf("口令太短：至少 %d 个字符（密钥文件至少 %d 字节）", MinPassphrase, MinKeyFile)
	}
	if m := diskMessage(err); m != "" {
		return m
	}
	return ""
}

// IsBadFile reports whether err says the file itself is not a usable backup
// (as opposed to a failure of the disk or the program).
func IsBadFile(err error) bool {
	for _, e := range []error{ErrNotBackup, ErrWrongSecret, ErrCorrupt, ErrTruncated, ErrNewer, ErrInsideCorrupt} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
