package backup

import (
	"bufio"
	"context"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/klauspost/compress/zstd"
)

// Source is the live database to back up.
type Source struct {
	DB       *sql.DB // the open database
	Path     string  // its file
	AuditKey []byte  // the 32-byte key of its audit trail
	Program  string  // this program's version, for the meta
	// FullCheck is when PRAGMA integrity_check last found the database
	// sound (zero: never, as far as the caller knows), for the meta.
	FullCheck time.Time
}

// ProgressFunc is told what is being done and how far the whole is, 0 to 1.
// It is called from the goroutine doing the work.
type ProgressFunc func(stage string, fraction float64)

// The stages progress names.
const (
	StageSnapshot = "正在生成数据库快照"
	StageWrite    = "正在压缩、加密并写入"
	StageCheck    = "正在检查数据库页面结构"
	StageReadBack = "正在读回校验"
	StageVerify   = "正在校验备份"
	StageExtract  = "正在解密并解压"
)

// fileOut is where a backup is written; tests break it.
type fileOut interface {
	io.Writer
	Sync() error
	Close() error
}

// createOut creates the temporary backup file.
var createOut = func(path string) (fileOut, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
}

// FileName is the name of a backup taken at t (local time) in a folder
// listing: secdoc-备份-20261123-100000.sdbk.
func FileName(t time.Time) string {
	return "secdoc-备份-" + t.Local().Format("20060102-150405") + Ext
}

// Create backs the database up into a new file in dir, for the recovery
// key rec (whose box goes into the file's header), and returns what it
// wrote, once the file has been read back and found as written. secret is
// the system administrator's and must pass CheckSecret.
//
// The steps: a consistent snapshot of the database beside it (not on the
// stick; a plaintext file named by TempName, see CleanLeftovers); the
// snapshot's structure checked page by page (CheckPages), while the
// snapshot is compressed, encrypted and written to NAME.sdbk.tmp in dir;
// a snapshot that fails is refused (ErrSourceCorrupt); the file and the folder
// synced; the file renamed to its final name; then the whole file read back
// from the medium (Linux: its cached pages dropped first; Windows: read
// unbuffered), checked as Check does and compared with the SHA-256 of what
// was written. On any failure nothing with a backup's name is left: the
// temporary file is removed (if the disk still lets it be), and so is a
// final file that did not read back.
//
// The Info returned has Depth DepthWritten: its Meta is what was written
// (the writer knows it; the system administrator can't read it back).
func Create(src Source, dir string, secret Secret, rec RecoveryKey, now time.Time, progress ProgressFunc) (Info, error) {
	var info Info
	if progress == nil {
		progress = func(string, float64) {}
	}
	if err := CheckSecret(secret); err != nil {
		return info, err
	}
	_, recPub, err := rec.parse()
	if err != nil {
		return info, err
	}
	if len(src.AuditKey) != 32 {
		return info, errors.New("the audit key of the database is missing")
	}
	if !KDF.valid() || ChunkSize < minChunk || ChunkSize > maxChunk {
		return info, fmt.Errorf("backup costs out of bounds: %+v, chunk size %d", KDF, ChunkSize)
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return info, err
	}
	if st, err := os.Stat(dir); err != nil {
		return info, &DiskError{Op: "write", Path: dir, Err: err}
	} else if !st.IsDir() {
		return info, &DiskError{Op: "write", Path: dir, Err: fmt.Errorf("not a folder")}
	}
	final := uniqueName(dir, now)
	tmp := final + ".tmp"

	// 1. The snapshot, beside the database.
	progress(StageSnapshot, 0)
	// An empty file the owner only may read, named so that CleanLeftovers
	// finds it if this program is killed before the deferred removal.
	snap, err := CreateTemp(src.Path, TempSnapshot)
	if err != nil {
		return info, &DiskError{Op: "local", Path: filepath.Dir(src.Path), Err: err}
	}
	defer RemoveTemp(snap)
	if err := snapshot(src.DB, src.Path, snap, func(f float64) { progress(StageSnapshot, 0.10*f) }); err != nil {
		return info, err
	}
	sdb, err := openFrozen(snap)
	if err != nil {
		return info, err
	}
	defer sdb.Close()
	schema, dbID, counts, err := facts(sdb)
	if err != nil {
		return info, err
	}
	st, err := os.Stat(snap)
	if err != nil {
		return info, err
	}

	// 2. Its integrity check, alongside the writing.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	checked := make(chan error, 1)
	go func() { checked <- CheckPages(ctx, snap, ErrSourceCorrupt) }()
	waitCheck := func() error { cancel(); return <-checked }

	// 3. The header and the keys.
	meta := Meta{Schema: schema, Created: now.UTC(), Program: src.Program, DBID: dbID, DBSize: st.Size(), Counts: counts,
		Checked: CheckedPages}
	if !src.FullCheck.IsZero() {
		meta.FullCheck = src.FullCheck.UTC()
	}
	k, err := newFileKeys(secret, recPub, rec.Box)
	if err != nil {
		waitCheck()
		return info, err
	}

	// 4. Compress, encrypt, write, sync.
	fileSum, dbSum, size, err := writeTemp(tmp, k, &meta, src.AuditKey, snap, ChunkSize, func(f float64) {
		progress(StageWrite, 0.10+0.65*f)
	})
	if err != nil {
		waitCheck()
		return info, removeTemp(tmp, err)
	}
	progress(StageCheck, 0.75)
	if err := <-checked; err != nil {
		return info, removeTemp(tmp, err)
	}
	progress(StageCheck, 0.80)

	// 5. The final name, durably.
	if err := os.Rename(tmp, final); err != nil {
		return info, removeTemp(tmp, &DiskError{Op: "write", Path: final, Err: err})
	}
	if err := syncDir(dir); err != nil {
		os.Remove(final)
		return info, &DiskError{Op: "write", Path: dir, Err: err}
	}

	// 6. Read it back from the medium, check it, and compare.
	back, err := readBack(final, k.master, func(f float64) { progress(StageReadBack, 0.80+0.20*f) })
	if err != nil || back.SHA256 != fileSum || back.Size != size {
		os.Remove(final)
		syncDir(dir)
		if err == nil || IsBadFile(err) {
			err = fmt.Errorf("%w: %v", ErrReadBack, err)
		}
		return info, err
	}
	back.Meta, back.DBSHA256, back.Depth = meta, dbSum, DepthWritten
	return back, nil
}

// readBack reads the file at path back from the medium (openReadBack) and
// checks it as Check does, with the master key already derived.
func readBack(path string, master []byte, progress func(float64)) (Info, error) {
	info := Info{Path: path}
	st, err := os.Stat(path)
	if err != nil {
		return info, &DiskError{Op: "read", Path: path, Err: err}
	}
	info.Size = st.Size()
	f, err := openReadBack(path)
	if err != nil {
		return info, &DiskError{Op: "read", Path: path, Err: err}
	}
	defer f.Close()
	src := &rawReader{r: f, size: st.Size(), h: sha256.New(), path: path}
	_, err = readStream(src, &info, readRequest{master: master, progress: progress})
	return info, err
}

// fileKeys are a new file's header and keys.
type fileKeys struct {
	header []byte
	master []byte
	macKey []byte
	chunk  cipher.AEAD
}

// newFileKeys makes a new file's salt and ephemeral key, derives its keys
// and writes its header.
func newFileKeys(secret Secret, recPub *ecdh.PublicKey, box []byte) (*fileKeys, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	shared, err := eph.ECDH(recPub)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrRecoveryKey, err)
	}
	hdr := encodeHeader(KDF, salt, secret.source(), eph.PublicKey().Bytes(), box)
	master := masterKey(secret.bytes(), KDF, salt)
	checkKey, macKey, err := adminKeys(master, salt)
	if err != nil {
		return nil, err
	}
	sealHeader(hdr, keyCheck(checkKey, hdr))
	ck, err := chunkKey(master, shared, hdr)
	if err != nil {
		return nil, err
	}
	return &fileKeys{header: hdr, master: master, macKey: macKey, chunk: newAEAD(ck)}, nil
}

// uniqueName is the path of a new backup in dir, not yet taken.
func uniqueName(dir string, now time.Time) string {
	base := FileName(now)
	stem := base[:len(base)-len(Ext)]
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s-%d%s", stem, i, Ext)
		}
		p := filepath.Join(dir, name)
		_, err1 := os.Lstat(p)
		_, err2 := os.Lstat(p + ".tmp")
		if errors.Is(err1, fs.ErrNotExist) && errors.Is(err2, fs.ErrNotExist) {
			return p
		}
	}
}

// removeTemp removes the temporary file after err, and says so in err when
// it could not (a stick pulled out).
func removeTemp(tmp string, err error) error {
	if rerr := os.Remove(tmp); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
		var de *DiskError
		if errors.As(err, &de) {
			de.Leftover = tmp
		}
	}
	return err
}

// sink counts, hashes and remembers the first failure of what is written.
type sink struct {
	w    io.Writer
	h    hash.Hash
	n    int64
	err  error
	path string
}

func (s *sink) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	s.n += int64(n)
	s.h.Write(p[:n])
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	if err != nil {
		s.err = &DiskError{Op: "write", Path: s.path, Err: err}
	}
	return n, s.err
}

// macWriter passes what is written on, into the file's MAC, counting it.
type macWriter struct {
	w   io.Writer
	mac hash.Hash
	n   int64
}

func (m *macWriter) Write(p []byte) (int, error) {
	m.mac.Write(p)
	m.n += int64(len(p))
	return m.w.Write(p)
}

// writeTemp writes the whole backup to tmp and syncs it. It returns the
// SHA-256 of the file and of the database written, and the file's size.
func writeTemp(tmp string, k *fileKeys, meta *Meta, auditKey []byte, snap string, chunkSize int,
	progress func(float64)) (fileSum, dbSum string, size int64, err error) {
	metaJSON, err := json.Marshal(meta)
	if err != nil {
		return "", "", 0, err
	}
	out, err := createOut(tmp)
	if err != nil {
		return "", "", 0, &DiskError{Op: "write", Path: tmp, Err: err}
	}
	closed := false
	defer func() {
		if !closed {
			out.Close()
		}
	}()
	sk := &sink{w: out, h: sha256.New(), path: tmp}
	bw := bufio.NewWriterSize(sk, 1<<20)
	mw := &macWriter{w: bw, mac: hmac.New(sha256.New, k.macKey)}
	mw.Write(k.header)
	cw := &chunkWriter{w: mw, aead: k.chunk, size: chunkSize, buf: make([]byte, 0, chunkSize)}
	// Two encoders: one block is compressed while the one before it is
	// sealed and written, and the snapshot read and hashed meanwhile.
	enc, err := zstd.NewWriter(cw, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(2),
		zstd.WithWindowSize(8<<20))
	if err != nil {
		return "", "", 0, err
	}
	fail := func(err error) (string, string, int64, error) {
		enc.Close()
		if sk.err != nil {
			return "", "", 0, sk.err // the disk's failure, whatever layer saw it
		}
		return "", "", 0, err
	}
	if err := writeMember(enc, memberMeta, metaJSON); err != nil {
		return fail(err)
	}
	if err := writeMember(enc, memberKey, auditKey); err != nil {
		return fail(err)
	}
	in, err := os.Open(snap)
	if err != nil {
		return fail(err)
	}
	defer in.Close()
	if err := writeMemberHead(enc, memberDB, uint64(meta.DBSize)); err != nil {
		return fail(err)
	}
	dbHash := sha256.New()
	var done int64
	buf := make([]byte, 1<<20)
	for {
		n, rerr := in.Read(buf)
		if n > 0 {
			dbHash.Write(buf[:n])
			if _, err := enc.Write(buf[:n]); err != nil {
				return fail(err)
			}
			done += int64(n)
			if meta.DBSize > 0 {
				progress(float64(done) / float64(meta.DBSize))
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return fail(rerr)
		}
	}
	if done != meta.DBSize {
		return fail(fmt.Errorf("snapshot changed size while read: %d of %d bytes", done, meta.DBSize))
	}
	if _, err := enc.Write([]byte{0, 0}); err != nil { // the end mark
		return fail(err)
	}
	if err := enc.Close(); err != nil {
		return fail(err)
	}
	if err := cw.close(); err != nil {
		return fail(err)
	}
	// The trailer: how many chunks and bytes came before it, and the MAC of
	// every byte before the MAC.
	var t [16]byte
	binary.BigEndian.PutUint64(t[:8], cw.idx)
	binary.BigEndian.PutUint64(t[8:], uint64(mw.n))
	if _, err := mw.Write(t[:]); err != nil {
		return fail(err)
	}
	if _, err := bw.Write(mw.mac.Sum(nil)); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if err := out.Sync(); err != nil {
		return fail(&DiskError{Op: "write", Path: tmp, Err: err})
	}
	closed = true
	if err := out.Close(); err != nil {
		return "", "", 0, &DiskError{Op: "write", Path: tmp, Err: err}
	}
	return hex.EncodeToString(sk.h.Sum(nil)), hex.EncodeToString(dbHash.Sum(nil)), sk.n, nil
}

func writeMemberHead(w io.Writer, name string, size uint64) error {
	b := binary.BigEndian.AppendUint16(nil, uint16(len(name)))
	b = append(b, name...)
	b = binary.BigEndian.AppendUint64(b, size)
	_, err := w.Write(b)
	return err
}

func writeMember(w io.Writer, name string, data []byte) error {
	if err := writeMemberHead(w, name, uint64(len(data))); err != nil {
		return err
	}
	_, err := w.Write(data)
	return err
}

// chunkWriter seals the stream in chunks of size bytes of plaintext.
type chunkWriter struct {
	w      io.Writer
	aead   cipher.AEAD
	size   int
	buf    []byte
	idx    uint64
	sealed []byte
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		k := copy(c.buf[len(c.buf):c.size], p)
		c.buf = c.buf[:len(c.buf)+k]
		p, n = p[k:], n+k
		if len(c.buf) == c.size {
			if err := c.emit(false); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

func (c *chunkWriter) emit(final bool) error {
	c.sealed = c.aead.Seal(c.sealed[:0], nonce(c.idx), c.buf, chunkAAD(c.idx, final))
	var head [chunkHdrLen]byte
	if final {
		head[0] = 1
	}
	binary.BigEndian.PutUint32(head[1:], uint32(len(c.sealed)))
	binary.BigEndian.PutUint32(head[5:], crc32.ChecksumIEEE(head[:5]))
	if _, err := c.w.Write(head[:]); err != nil {
		return err
	}
	if _, err := c.w.Write(c.sealed); err != nil {
		return err
	}
	c.idx++
	c.buf = c.buf[:0]
	return nil
}

// close seals what is left as the final chunk (empty when the stream ended
// on a chunk boundary).
func (c *chunkWriter) close() error { return c.emit(true) }
