// Package backup writes, reads and checks secdoc's encrypted backup files
// (.sdbk): a consistent snapshot of the database and the audit key that
// verifies its trail, compressed with zstd and encrypted with AES-256-GCM
// under a key that needs two secrets held by two people (三员, rule R18).
//
// # File format, version 2
//
// All integers are big-endian. A file is a header, chunks, and a trailer:
//
//	header   magic     8 bytes  "SECDOCBK"
//	(200     format    uint16   2
//	 bytes)  n         uint32   length of the body: 182
//	         body:
//	         kdf       1 byte   1: argon2id
//	         time      uint32   argon2id passes          (1 to 10)
//	         memory    uint32   argon2id memory, KiB     (1024 and 8×threads to 262144)
//	         threads   uint8    argon2id lanes           (1 to 16)
//	         salt      16 bytes random, the file's own
//	         source    1 byte   1: a passphrase; 2: a key file
//	         eph       32 bytes the file's ephemeral X25519 public key
//	         box       107 bytes the recovery box (below)
//	         check     16 bytes the key check (below)
//	         crc       uint32   CRC-32 (IEEE) of every header byte before it
//	chunk*   flag      1 byte   0: more chunks follow; 1: the final chunk
//	         len       uint32   length of the sealed chunk (plaintext + 16)
//	         crc       uint32   CRC-32 of flag and len
//	         sealed    len      AES-256-GCM(chunk key, nonce, plaintext, AAD)
//	                            nonce = 4 zero bytes ‖ uint64 chunk index
//	                            AAD   = uint64 chunk index ‖ flag
//	trailer  chunks    uint64   the number of chunks
//	         length    uint64   the bytes of the file before the trailer
//	         mac       32 bytes HMAC-SHA256(MAC key, every byte of the file before it)
//
// The recovery box is the security officer's recovery key pair's private
// half, sealed under the officer's recovery passphrase, exactly as
// NewRecoveryKey made it (the program keeps a copy, and so does every backup,
// so that a backup carried to a new machine holds everything but the two
// secrets):
//
//	box      version   1 byte   1
//	(107     kdf       1 byte   1: argon2id
//	 bytes)  time, memory, threads  as above, the box's own costs (same bounds)
//	         salt      16 bytes random, the box's own
//	         public    32 bytes the recovery public key (X25519); its id is the
//	                            first 8 bytes of its SHA-256, in hex
//	         sealed    48 bytes AES-256-GCM(box key, 12 zero bytes, private key,
//	                            AAD = the 59 box bytes before it)
//	         box key = argon2id(recovery passphrase, box salt, box costs)
//
// Every chunk but the final one holds the same number of bytes of plaintext,
// 4 KiB to 16 MiB (1 MiB as written); the final one holds 0 to that many.
// The final chunk is followed by the trailer and nothing else.
//
// # Keys
//
//	M          = argon2id(secret, salt, time, memory, threads), 32 bytes:
//	             the system administrator's (passphrase or key file bytes)
//	check key  = HKDF-SHA256(M, salt, "secdoc-backup v2 key check")
//	MAC key    = HKDF-SHA256(M, salt, "secdoc-backup v2 file mac")
//	check      = HMAC-SHA256(check key, the header bytes before check)[:16]
//	shared     = X25519(ephemeral private, recovery public)
//	           = X25519(recovery private, ephemeral public)
//	chunk key  = HKDF-SHA256(M ‖ shared, the header bytes before crc,
//	             "secdoc-backup v2 chunk key")
//
// The writer (the system administrator's backup) has M and the recovery
// public key, which the program keeps; it makes an ephemeral key pair,
// keeps its public half in the header and forgets its private half. The
// chunk key then needs M and the recovery private key: the administrator
// alone can write a backup and Check it (key check and MAC need only M) but
// can't read it; the security officer alone can open the recovery box but
// has no M; whoever finds the stick has neither. Replacing the box with one
// of one's own (and recomputing the key check and MAC, which M allows)
// doesn't help either: the chunk key is made with the recovery key the
// ephemeral key was combined with, which only its private half reproduces.
//
// # Why this layout
//
// The clear header says only what is needed to derive the keys: no date,
// no program or schema version, no database id, size or record counts. All
// of that is in the encrypted stream (below). The header is checked before
// anything is derived from it: exact lengths, known algorithms, argon2id
// costs within the bounds above (a reader must not spend gigabytes and
// minutes because a file asks). The key check is a MAC of the whole header
// under M, so a wrong passphrase and an edited header (salt, costs, source,
// ephemeral key, box) give one answer: ErrWrongSecret; the CRC tells a
// header damaged by the medium (ErrCorrupt). Every chunk is authenticated by
// AES-GCM, its index and final flag in nonce and AAD; the trailer's MAC,
// under a key derived from M alone, covers every byte before it, and the
// trailer says how many chunks and bytes precede it: a reordered, removed,
// cut-off or changed chunk, and bytes appended, are found by Check (which
// can't decrypt) as by Verify. The chunk CRC tells a damaged length from a
// cut-off file. Each file has its own salt and ephemeral key, hence its own
// keys, so a counter nonce never repeats under one key. Cipher, compression
// and the stream's layout are fixed by the format version.
//
// The plaintext of the chunks, concatenated, is one zstd stream of the
// members, in this order, then an end mark:
//
//	member   name_len uint16, name, size uint64, size bytes
//	         "meta.json"  what the backup holds (Meta, JSON, at most 64 KiB):
//	                      schema version, creation time, program version,
//	                      database id and size, record counts
//	         "audit.key"  the 32-byte key of the database's audit trail
//	         "secdoc.db"  the SQLite database file (db_size bytes)
//	end      name_len 0
//
// Every version of the format keeps the envelope (magic, format, n, body,
// crc), so that an older program tells a newer file from a damaged one.
// Version 1 (one passphrase, facts in the clear header) is refused with
// ErrOldFormat.
package backup

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"time"
)

// FormatVersion is the version of the file format this build writes and reads.
const FormatVersion = 2

// Magic opens every backup file.
const Magic = "SECDOCBK"

// Ext is the backup file's extension.
const Ext = ".sdbk"

// The header's layout (format 2), as offsets into it.
const (
	envelopeLen = 8 + 2 + 4 // magic, format, body length
	maxBodyLen  = 64 << 10  // of any format's body: what a reader reads to tell newer from damaged

	offKDF     = envelopeLen
	offTime    = offKDF + 1
	offMemory  = offTime + 4
	offThreads = offMemory + 4
	offSalt    = offThreads + 1
	offSource  = offSalt + saltLen
	offEph     = offSource + 1
	offBox     = offEph + 32
	offCheck   = offBox + boxLen
	offCRC     = offCheck + checkLen
	headerLen  = offCRC + 4
	bodyLen    = offCRC - envelopeLen

	saltLen  = 16
	checkLen = 16

	chunkHdrLen  = 1 + 4 + 4 // flag, length, crc
	tagLen       = 16
	trailerLen   = 8 + 8 + 32
	minChunk     = 4 << 10
	maxChunk     = 16 << 20
	defaultChunk = 1 << 20

	memberMeta = "meta.json"
	memberKey  = "audit.key"
	memberDB   = "secdoc.db"
	maxMeta    = 64 << 10

	kdfArgon2id  = 1
	srcPassword  = 1
	srcKeyFile   = 2
	kdfName      = "argon2id"
	maxDBSize    = 1 << 44
	maxIDLen     = 64
	maxProgramLn = 200
)

// KDFParams are argon2id's costs.
type KDFParams struct {
	Time      uint32 `json:"time"`
	MemoryKiB uint32 `json:"memory_kib"`
	Threads   uint8  `json:"threads"`
}

// The bounds of argon2id's costs a file may ask for, for the backup's key
// and the recovery box's alike. Anything else is refused before deriving.
const (
	MinKDFMemoryKiB = 1 << 10   // and at least 8 KiB per thread, as argon2 requires
	MaxKDFMemoryKiB = 256 << 10 // 256 MiB
	MaxKDFTime      = 10
	MaxKDFThreads   = 16
)

func (p KDFParams) valid() bool {
	return p.Time >= 1 && p.Time <= MaxKDFTime && p.Threads >= 1 && p.Threads <= MaxKDFThreads &&
		p.MemoryKiB >= MinKDFMemoryKiB && p.MemoryKiB >= 8*uint32(p.Threads) && p.MemoryKiB <= MaxKDFMemoryKiB
}

// KDF is the cost new backups are written with; each file records its own.
// Tests lower it.
var KDF = KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}

// RecoveryKDF is the cost of new recovery boxes (NewRecoveryKey); each box
// records its own. Tests lower it.
var RecoveryKDF = KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}

// ChunkSize is the plaintext size of a chunk in new backups (4 KiB to 16 MiB).
var ChunkSize = defaultChunk

// Counts are the records a backup holds.
type Counts struct {
	Carriers int64 `json:"carriers"`
	Events   int64 `json:"events"` // carrier_events: every carrier's history
	Audit    int64 `json:"audit"`  // audit_log
	Users    int64 `json:"users"`
}

// Header is what a backup says about itself in the clear: how to derive its
// keys, nothing about what it holds. ReadHeader gives it without any secret;
// nothing in it is authenticated until the file is checked.
type Header struct {
	Format      int
	KDF         string    // "argon2id"
	KDFParams   KDFParams // the backup key's costs
	KeySource   string    // SourcePassphrase or SourceKeyFile
	RecoveryID  string    // the recovery key the file needs: 16 hex digits
	RecoveryKDF KDFParams // the recovery box's costs
}

// Meta is what a backup holds, read from its encrypted, authenticated first
// member: only Verify and Extract (both secrets) can tell it, and Create,
// which wrote it.
type Meta struct {
	Schema  int       `json:"schema"`  // the database's schema version
	Created time.Time `json:"created"` // when the snapshot was taken (UTC)
	Program string    `json:"program"` // the version of the program that wrote it
	DBID    string    `json:"db_id"`   // the database's identity (names its audit key)
	DBSize  int64     `json:"db_size"` // bytes of the database file inside
	Counts  Counts    `json:"counts"`
	// Checked names the check the database passed before it was written:
	// CheckedPages (CheckPages); "" in backups of earlier versions, which
	// ran PRAGMA integrity_check.
	Checked string `json:"checked,omitempty"`
	// FullCheck is when PRAGMA integrity_check last found the database
	// sound before the backup (zero: not known).
	FullCheck time.Time `json:"full_check,omitzero"`
}

// CheckedPages is Meta.Checked of a backup whose snapshot passed CheckPages.
const CheckedPages = "pages"

func (m *Meta) check() error {
	switch {
	case m.Schema < 1:
		return fmt.Errorf("%w: schema %d", ErrCorrupt, m.Schema)
	case m.DBSize < 0 || m.DBSize > maxDBSize:
		return fmt.Errorf("%w: database size %d", ErrCorrupt, m.DBSize)
	case len(m.DBID) > maxIDLen || len(m.Program) > maxProgramLn || len(m.Checked) > maxIDLen:
		return fmt.Errorf("%w: database id or program too long", ErrCorrupt)
	}
	return nil
}

// Depth says what an Info's facts rest on.
type Depth int

const (
	// DepthNone: nothing was checked (a failure, or only the clear header).
	DepthNone Depth = iota
	// DepthFile: Check, with the system administrator's secret alone: the
	// right secret, the whole file complete and unchanged since it was
	// written with it. Nothing inside was read: Meta and DBSHA256 are empty.
	DepthFile
	// DepthContents: Verify or Extract, with both secrets: every chunk
	// decrypted and authenticated, Meta read from inside, the members parsed.
	DepthContents
	// DepthWritten: Create: Meta and DBSHA256 are what was written; the file
	// was then read back from the medium, byte for byte as written, and
	// checked as Check does.
	DepthWritten
)

// Key sources.
const (
	SourcePassphrase = "passphrase"
	SourceKeyFile    = "keyfile"
)

// Errors a backup file can give. Message has the Chinese sentence of each.
var (
	ErrNotBackup = errors.New("not a secdoc backup file")
	// ErrWrongSecret: the key check failed: a wrong passphrase or key file,
	// or a header edited (with its CRC made to match).
	ErrWrongSecret = errors.New("wrong passphrase or key file, or an edited header")
	// ErrWrongRecovery: the recovery passphrase does not open the file's
	// recovery box.
	ErrWrongRecovery = errors.New("wrong recovery passphrase")
	ErrCorrupt       = errors.New("backup file is damaged (authentication failed)")
	ErrTruncated     = errors.New("backup file is incomplete (truncated)")
	ErrNewer         = errors.New("backup is from a newer program version")
	// ErrOldFormat: a file of format 1, which one passphrase opens: not restored any more.
	ErrOldFormat = errors.New("backup file of format 1 (no two-person recovery)")
	// ErrSourceCorrupt: the database to back up failed its check.
	ErrSourceCorrupt = errors.New("database failed its integrity check")
	// ErrInsideCorrupt: the database inside a backup failed its integrity check.
	ErrInsideCorrupt = errors.New("database inside the backup failed its integrity check")
	// ErrReadBack: the written backup did not read back as written.
	ErrReadBack = errors.New("backup did not read back as written")
	// ErrWeakSecret: a passphrase, key file or recovery passphrase too weak
	// for a new backup or recovery key (Message says which and why).
	ErrWeakSecret = errors.New("passphrase or key file too weak")
	// ErrRecoveryKey: the recovery key given to Create or OpenRecovery is
	// missing, malformed or inconsistent.
	ErrRecoveryKey = errors.New("recovery key missing or malformed")
)

// headerError is a header that passed its CRC but is not one this program
// writes: refused before any key is derived from it.
type headerError struct{ what string }

func (e *headerError) Error() string {
	return fmt.Sprintf("%v: header not written by this program: %s", ErrCorrupt, e.what)
}
func (e *headerError) Unwrap() error { return ErrCorrupt }

func badHeader(format string, args ...any) error {
	return &headerError{what: fmt.Sprintf(format, args...)}
}

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

// fileHeader is a parsed header, with what the reader needs beyond Header.
type fileHeader struct {
	Header
	raw   []byte // the header as in the file, CRC included
	salt  []byte
	eph   []byte
	box   *recoveryBox
	check []byte
}

// encodeHeader returns the header's bytes with the key check and the CRC
// left zero (see sealHeader).
func encodeHeader(p KDFParams, salt []byte, source string, eph, box []byte) []byte {
	b := make([]byte, headerLen)
	copy(b, Magic)
	binary.BigEndian.PutUint16(b[8:], FormatVersion)
	binary.BigEndian.PutUint32(b[10:], bodyLen)
	b[offKDF] = kdfArgon2id
	putKDF(b[offTime:], p)
	copy(b[offSalt:offSalt+saltLen], salt)
	b[offSource] = srcPassword
	if source == SourceKeyFile {
		b[offSource] = srcKeyFile
	}
	copy(b[offEph:offEph+32], eph)
	copy(b[offBox:offBox+boxLen], box)
	return b
}

// sealHeader puts the key check and the CRC into the header.
func sealHeader(b, check []byte) {
	copy(b[offCheck:offCRC], check)
	binary.BigEndian.PutUint32(b[offCRC:], crc32.ChecksumIEEE(b[:offCRC]))
}

func putKDF(b []byte, p KDFParams) {
	binary.BigEndian.PutUint32(b, p.Time)
	binary.BigEndian.PutUint32(b[4:], p.MemoryKiB)
	b[8] = p.Threads
}

func getKDF(b []byte) KDFParams {
	return KDFParams{Time: binary.BigEndian.Uint32(b), MemoryKiB: binary.BigEndian.Uint32(b[4:]), Threads: b[8]}
}

// readHeader reads and checks the header: its envelope, its CRC, and every
// field against what this program writes, before any key is derived.
func readHeader(r io.Reader) (*fileHeader, error) {
	env := make([]byte, envelopeLen)
	n, err := io.ReadFull(r, env)
	switch {
	case err == io.EOF:
		return nil, fmt.Errorf("%w: empty file", ErrNotBackup)
	case err == io.ErrUnexpectedEOF && n < len(Magic):
		if string(env[:n]) == Magic[:n] {
			return nil, ErrTruncated
		}
		return nil, ErrNotBackup
	case err == io.ErrUnexpectedEOF:
		if string(env[:len(Magic)]) != Magic {
			return nil, ErrNotBackup
		}
		return nil, ErrTruncated
	case err != nil:
		return nil, err
	case string(env[:len(Magic)]) != Magic:
		return nil, ErrNotBackup
	}
	format := int(binary.BigEndian.Uint16(env[8:]))
	n32 := binary.BigEndian.Uint32(env[10:])
	if n32 > maxBodyLen || (format == FormatVersion && n32 != bodyLen) {
		return nil, fmt.Errorf("%w: header length %d", ErrCorrupt, n32)
	}
	rest := make([]byte, int(n32)+4)
	if err := readFull(r, rest); err != nil {
		return nil, err
	}
	raw := append(env, rest...)
	if crc32.ChecksumIEEE(raw[:len(raw)-4]) != binary.BigEndian.Uint32(raw[len(raw)-4:]) {
		return nil, fmt.Errorf("%w: header checksum", ErrCorrupt)
	}
	switch {
	case format == 1:
		return nil, ErrOldFormat
	case format > FormatVersion:
		return nil, &NewerError{Format: format, MaxFormat: FormatVersion}
	case format != FormatVersion:
		return nil, fmt.Errorf("%w: format %d", ErrCorrupt, format)
	}
	return parseHeader(raw)
}

// parseHeader checks a format-2 header whose length and CRC are right.
func parseHeader(raw []byte) (*fileHeader, error) {
	h := &fileHeader{raw: raw}
	h.Format = FormatVersion
	if raw[offKDF] != kdfArgon2id {
		return nil, badHeader("key derivation %d", raw[offKDF])
	}
	h.KDF = kdfName
	h.KDFParams = getKDF(raw[offTime:])
	if !h.KDFParams.valid() {
		return nil, badHeader("argon2id costs out of bounds %+v", h.KDFParams)
	}
	switch raw[offSource] {
	case srcPassword:
		h.KeySource = SourcePassphrase
	case srcKeyFile:
		h.KeySource = SourceKeyFile
	default:
		return nil, badHeader("key source %d", raw[offSource])
	}
	box, err := parseBox(raw[offBox : offBox+boxLen])
	if err != nil {
		return nil, err
	}
	h.box = box
	h.RecoveryID = keyID(box.public)
	h.RecoveryKDF = box.kdf
	h.salt = raw[offSalt : offSalt+saltLen]
	h.eph = raw[offEph : offEph+32]
	h.check = raw[offCheck:offCRC]
	return h, nil
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

func chunkAAD(idx uint64, final bool) []byte {
	aad := binary.BigEndian.AppendUint64(make([]byte, 0, 9), idx)
	if final {
		return append(aad, 1)
	}
	return append(aad, 0)
}

// Message is the Chinese sentence for an error of this package, and "" for
// any other error.
func Message(err error) string {
	var newer *NewerError
	var weak *weakError
	var hdr *headerError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, ErrNotBackup):
		return "不是本程序的备份文件"
	case errors.Is(err, ErrOldFormat):
		return "这是旧格式的备份（没有双人恢复保护），本程序不再用它恢复；请用本程序重新备份"
	case errors.Is(err, ErrWrongSecret):
		return "备份口令不对，或者备份文件头被改动"
	case errors.Is(err, ErrWrongRecovery):
		return "恢复口令不对（由安全保密管理员输入）"
	case errors.As(err, &hdr):
		return "备份文件头不是本程序写出的（其中的参数超出本程序使用的范围），文件可能被改动或已损坏；没有用它做任何计算"
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
	case errors.As(err, &weak):
		return weak.msg
	case errors.Is(err, ErrWeakSecret):
		return fmt.Sprintf("口令太弱：至少 %d 个字符（密钥文件至少 %d 字节的随机数据）", MinPassphrase, MinKeyFile)
	case errors.Is(err, ErrRecoveryKey):
		return "备份恢复密钥缺失或不完整：请安全保密管理员重新设置恢复密钥"
	}
	if m := diskMessage(err); m != "" {
		return m
	}
	return ""
}

// IsBadFile reports whether err says the file itself is not a usable backup
// (as opposed to a failure of the disk or the program), or not with the
// secrets given.
func IsBadFile(err error) bool {
	for _, e := range []error{ErrNotBackup, ErrWrongSecret, ErrWrongRecovery, ErrCorrupt, ErrTruncated, ErrNewer,
		ErrOldFormat, ErrInsideCorrupt} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// keyID names a recovery key: the first 8 bytes of the SHA-256 of its
// public half, in hex.
func keyID(public []byte) string {
	sum := sha256Sum(public)
	return hex.EncodeToString(sum[:8])
}
