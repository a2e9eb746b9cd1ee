package backup

import (
	"bufio"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"os"

	"github.com/klauspost/compress/zstd"

	"secdoc/models"
)

// Info is what a backup is, as far as it was checked (see Depth): the clear
// header's fields always; Meta and DBSHA256 only from Verify, Extract and
// Create.
type Info struct {
	Header
	Meta
	Depth    Depth
	Path     string
	Size     int64  // bytes of the backup file
	SHA256   string // hex SHA-256 of the whole file
	DBSHA256 string // hex SHA-256 of the database inside ("" below DepthContents)
}

// Restorable says whether this program can restore the backup: not one
// whose database is of a newer schema than it knows. It means something
// only when Meta was read (DepthContents, DepthWritten).
func (i Info) Restorable() error {
	if i.Schema > models.SchemaVersion() {
		return &NewerError{Schema: i.Schema, MaxSchm: models.SchemaVersion()}
	}
	return nil
}

// rawReader counts and hashes the file's bytes as they are read.
type rawReader struct {
	r    io.Reader
	n    int64
	size int64 // -1 when unknown
	h    hash.Hash
	path string
}

func (r *rawReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.n += int64(n)
	r.h.Write(p[:n])
	if err != nil && err != io.EOF {
		err = &DiskError{Op: "read", Path: r.path, Err: err}
	}
	return n, err
}

// readFull is io.ReadFull, with a short read told as truncation.
func readFull(r io.Reader, p []byte) error {
	_, err := io.ReadFull(r, p)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return ErrTruncated
	}
	return err
}

// chunkReader reads the file after its header: the chunks in order (opening
// them when it has the chunk key), then the trailer. Every byte it consumes
// before the trailer's MAC goes into mac.
type chunkReader struct {
	br       *bufio.Reader
	size     int64 // of the file; -1 unknown
	n        int64 // bytes of the file consumed, header included
	mac      hash.Hash
	aead     cipher.AEAD // nil: the chunks are only framed and MACed (Check)
	idx      uint64
	chunkLen int // the sealed length of every chunk but the final one, once seen
	sealed   []byte
	scratch  []byte
	buf      []byte // plaintext not read yet
	final    bool   // the final chunk was read
	err      error  // sticky: the first failure, or io.EOF after the final chunk
}

// consume reads exactly len(p) bytes into p and the MAC.
func (c *chunkReader) consume(p []byte) error {
	if err := readFull(c.br, p); err != nil {
		return err
	}
	c.n += int64(len(p))
	c.mac.Write(p)
	return nil
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		if c.final {
			c.err = io.EOF
		} else {
			c.err = c.next()
		}
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

// next reads the next chunk: checks its frame, and opens it (or, without a
// key, passes it through the MAC).
func (c *chunkReader) next() error {
	var h [chunkHdrLen]byte
	if err := c.consume(h[:]); err != nil {
		return err // truncated: the final chunk never came
	}
	if crc32.ChecksumIEEE(h[:5]) != binary.BigEndian.Uint32(h[5:]) {
		return fmt.Errorf("%w: chunk %d header checksum", ErrCorrupt, c.idx)
	}
	flag, n := h[0], int(binary.BigEndian.Uint32(h[1:5]))
	bad := flag > 1 || n < tagLen || n > maxChunk+tagLen
	switch {
	case bad:
	case flag == 0 && c.chunkLen == 0:
		bad = n < minChunk+tagLen
		c.chunkLen = n
	case flag == 0:
		bad = n != c.chunkLen
	default:
		bad = c.chunkLen != 0 && n > c.chunkLen
	}
	if bad {
		return fmt.Errorf("%w: chunk %d header (flag %d, length %d)", ErrCorrupt, c.idx, flag, n)
	}
	if c.size >= 0 && int64(n) > c.size-c.n {
		return ErrTruncated
	}
	if c.aead == nil {
		if c.scratch == nil {
			c.scratch = make([]byte, min(256<<10, max(n, 512)))
		}
		m, err := io.CopyBuffer(c.mac, io.LimitReader(c.br, int64(n)), c.scratch)
		c.n += m
		if err != nil {
			return err
		}
		if m < int64(n) {
			return ErrTruncated
		}
	} else {
		if cap(c.sealed) < n {
			c.sealed = make([]byte, n)
		}
		c.sealed = c.sealed[:n]
		if err := c.consume(c.sealed); err != nil {
			return err
		}
		plain, err := c.aead.Open(c.sealed[:0], nonce(c.idx), c.sealed, chunkAAD(c.idx, flag == 1))
		if err != nil {
			return fmt.Errorf("%w: chunk %d", ErrCorrupt, c.idx)
		}
		c.buf = plain
	}
	c.idx++
	c.final = flag == 1
	return nil
}

// finish reads the trailer after the final chunk, checks it and the MAC,
// and that nothing follows.
func (c *chunkReader) finish() error {
	before := c.n
	var t [16]byte
	if err := c.consume(t[:]); err != nil {
		return err
	}
	want := c.mac.Sum(nil)
	got := make([]byte, sha256.Size)
	if err := readFull(c.br, got); err != nil {
		return err
	}
	if !hmac.Equal(want, got) {
		return fmt.Errorf("%w: the file's MAC", ErrCorrupt)
	}
	if chunks, length := binary.BigEndian.Uint64(t[:8]), binary.BigEndian.Uint64(t[8:]); chunks != c.idx ||
		length != uint64(before) {
		return fmt.Errorf("%w: the trailer says %d chunks in %d bytes", ErrCorrupt, chunks, length)
	}
	var b [1]byte
	n, err := io.ReadFull(c.br, b[:])
	switch {
	case n > 0:
		return fmt.Errorf("%w: data after the trailer", ErrCorrupt)
	case err == io.EOF:
		return nil
	}
	return err
}

// failure is the error to report after reading stopped with err: the chunk
// reader's own failure first, since the decompressor may wrap or replace it.
func (c *chunkReader) failure(err error) error {
	if c.err != nil && c.err != io.EOF {
		return c.err
	}
	if IsBadFile(err) || errors.As(err, new(*DiskError)) {
		return err
	}
	// Authenticated data that does not decode: not something this program wrote.
	return fmt.Errorf("%w: %v", ErrCorrupt, err)
}

// progressReader reports how far into the file reading is.
type progressReader struct {
	r        io.Reader
	read     func() int64
	total    int64
	progress func(float64)
	last     float64
}

func (p *progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.report()
	return n, err
}

func (p *progressReader) report() {
	if p.progress != nil && p.total > 0 {
		f := float64(p.read()) / float64(p.total)
		if f-p.last >= 0.005 || f >= 1 {
			p.last = f
			p.progress(f)
		}
	}
}

// readRequest says how far to read a backup and with what.
type readRequest struct {
	secret   Secret
	master   []byte          // M already derived (Create's read-back); else derived from secret
	recovery *RecoverySecret // nil: check only, without decrypting (Check, the read-back)
	db       io.Writer       // where the database goes when decrypting
	accept   func(*Meta) error
	progress func(float64)
}

// readPath reads the backup at path as q says.
func readPath(path string, q readRequest) (Info, []byte, error) {
	info := Info{Path: path}
	f, err := os.Open(path)
	if err != nil {
		return info, nil, &DiskError{Op: "read", Path: path, Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return info, nil, &DiskError{Op: "read", Path: path, Err: err}
	}
	if st.IsDir() {
		return info, nil, fmt.Errorf("%w: %s is a folder", ErrNotBackup, path)
	}
	info.Size = st.Size()
	src := &rawReader{r: f, size: st.Size(), h: sha256.New(), path: path}
	key, err := readStream(src, &info, q)
	return info, key, err
}

// readStream reads a backup from src: the header, checked before anything
// is derived; the key check; then, without a recovery secret, the frames of
// the chunks and the trailer's MAC; with one, the recovery box, every chunk
// opened and the members inside, and the MAC. Fuzzing enters here.
func readStream(src *rawReader, info *Info, q readRequest) ([]byte, error) {
	bufSize := 1 << 20
	if src.size >= 0 && src.size < int64(bufSize) {
		bufSize = int(src.size) // bufio takes at least 16
	}
	br := bufio.NewReaderSize(src, bufSize)
	h, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	info.Header = h.Header
	master := q.master
	if master == nil {
		master = masterKey(q.secret.bytes(), h.KDFParams, h.salt)
	}
	checkKey, macKey, err := adminKeys(master, h.salt)
	if err != nil {
		return nil, err
	}
	if !hmac.Equal(keyCheck(checkKey, h.raw), h.check) {
		return nil, ErrWrongSecret
	}
	cr := &chunkReader{br: br, size: src.size, n: int64(len(h.raw)), mac: hmac.New(sha256.New, macKey)}
	cr.mac.Write(h.raw)
	pr := &progressReader{r: cr, read: func() int64 { return src.n }, total: src.size, progress: q.progress}
	done := func(depth Depth) {
		info.SHA256 = hex.EncodeToString(src.h.Sum(nil))
		info.Depth = depth
		if q.progress != nil {
			q.progress(1)
		}
	}

	if q.recovery == nil {
		for !cr.final {
			if err := cr.next(); err != nil {
				return nil, err
			}
			pr.report()
		}
		if err := cr.finish(); err != nil {
			return nil, err
		}
		done(DepthFile)
		return nil, nil
	}

	priv, err := h.box.open(q.recovery.Passphrase)
	if err != nil {
		return nil, err
	}
	eph, err := ecdh.X25519().NewPublicKey(h.eph)
	if err != nil {
		return nil, fmt.Errorf("%w: ephemeral key: %v", ErrCorrupt, err)
	}
	shared, err := priv.ECDH(eph)
	if err != nil { // a low-order point: not a key this program makes
		return nil, fmt.Errorf("%w: ephemeral key: %v", ErrCorrupt, err)
	}
	key, err := chunkKey(master, shared, h.raw)
	if err != nil {
		return nil, err
	}
	cr.aead = newAEAD(key)
	dec, err := zstd.NewReader(pr, zstd.WithDecoderConcurrency(2), zstd.WithDecoderMaxWindow(64<<20),
		zstd.WithDecoderLowmem(false))
	if err != nil {
		return nil, err
	}
	defer dec.Close()

	onMeta := func(m *Meta) error {
		info.Meta = *m
		if q.accept != nil {
			return q.accept(m)
		}
		return nil
	}
	auditKey, dbSum, err := readMembers(dec, q.db, onMeta)
	if err != nil {
		return nil, cr.failure(err)
	}
	// The stream must end here, and the chunks with the final one.
	if n, err := dec.Read(make([]byte, 1)); n > 0 || err != io.EOF {
		if err == nil || err == io.EOF {
			err = errors.New("data after the end mark")
		}
		return nil, cr.failure(err)
	}
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return nil, cr.failure(err)
	}
	if err := cr.finish(); err != nil {
		return nil, err
	}
	info.DBSHA256 = dbSum
	done(DepthContents)
	return auditKey, nil
}

// readMembers reads the payload: the meta, the audit key, the database, the
// end mark. onMeta may refuse the backup from its meta, before the database
// is read.
func readMembers(r io.Reader, db io.Writer, onMeta func(*Meta) error) (key []byte, dbSum string, err error) {
	name, size, err := readMemberHead(r)
	if err != nil {
		return nil, "", err
	}
	if name != memberMeta || size == 0 || size > maxMeta {
		return nil, "", fmt.Errorf("%w: first member %q (%d bytes)", ErrCorrupt, name, size)
	}
	raw := make([]byte, size)
	if _, err := io.ReadFull(r, raw); err != nil {
		return nil, "", err
	}
	var m Meta
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, "", fmt.Errorf("%w: meta: %v", ErrCorrupt, err)
	}
	if err := m.check(); err != nil {
		return nil, "", err
	}
	if err := onMeta(&m); err != nil {
		return nil, "", err
	}

	name, size, err = readMemberHead(r)
	if err != nil {
		return nil, "", err
	}
	if name != memberKey || size != 32 {
		return nil, "", fmt.Errorf("%w: second member %q (%d bytes)", ErrCorrupt, name, size)
	}
	key = make([]byte, 32)
	if _, err := io.ReadFull(r, key); err != nil {
		return nil, "", err
	}

	name, size, err = readMemberHead(r)
	if err != nil {
		return nil, "", err
	}
	if name != memberDB || size != uint64(m.DBSize) {
		return nil, "", fmt.Errorf("%w: third member %q (%d bytes, meta says %d)", ErrCorrupt, name, size, m.DBSize)
	}
	sum := sha256.New()
	var head [16]byte
	hw := &headWriter{b: head[:0]}
	n, err := io.CopyBuffer(io.MultiWriter(db, sum, hw), io.LimitReader(r, int64(size)), make([]byte, 1<<20))
	if err != nil {
		return nil, "", err
	}
	if n != int64(size) {
		return nil, "", io.ErrUnexpectedEOF
	}
	if size > 0 && string(hw.b) != "SQLite format 3\x00" {
		return nil, "", fmt.Errorf("%w: the database member is not an SQLite file", ErrCorrupt)
	}
	if name, _, err = readMemberHead(r); err != nil || name != "" {
		if err == nil {
			err = fmt.Errorf("%w: unexpected member %q", ErrCorrupt, name)
		}
		return nil, "", err
	}
	return key, hex.EncodeToString(sum.Sum(nil)), nil
}

// readMemberHead reads a member's name and size; "" is the end mark.
func readMemberHead(r io.Reader) (string, uint64, error) {
	var l [2]byte
	if _, err := io.ReadFull(r, l[:]); err != nil {
		return "", 0, err
	}
	n := binary.BigEndian.Uint16(l[:])
	if n == 0 {
		return "", 0, nil
	}
	if n > 255 {
		return "", 0, fmt.Errorf("%w: member name of %d bytes", ErrCorrupt, n)
	}
	b := make([]byte, int(n)+8)
	if _, err := io.ReadFull(r, b); err != nil {
		return "", 0, err
	}
	return string(b[:n]), binary.BigEndian.Uint64(b[n:]), nil
}

// headWriter keeps the first 16 bytes written to it.
type headWriter struct{ b []byte }

func (w *headWriter) Write(p []byte) (int, error) {
	if k := 16 - len(w.b); k > 0 {
		if k > len(p) {
			k = len(p)
		}
		w.b = append(w.b, p[:k]...)
	}
	return len(p), nil
}

// Check checks the backup at path with the system administrator's secret
// alone, without decrypting anything: the header, the key check (the right
// secret, an unedited header), every chunk's frame, the final chunk, the
// trailer, and the MAC over every byte of the file. It proves the file
// complete and unchanged since it was written with that secret; it can't
// tell what is inside. Info holds the header's clear fields, the file's
// size and SHA-256 (Depth DepthFile). progress, if not nil, is told the
// fraction read.
func Check(path string, secret Secret, progress func(float64)) (Info, error) {
	info, _, err := readPath(path, readRequest{secret: secret, progress: progress})
	return info, err
}

// Verify reads the whole backup at path with both secrets and checks it:
// what Check checks, the recovery passphrase against the box in the file,
// every chunk decrypted and authenticated, the meta and the members inside.
// It restores nothing. Info has the meta (Depth DepthContents): a backup of
// a newer schema verifies, and says so in Info.Restorable. progress, if not
// nil, is told the fraction read.
func Verify(path string, secret Secret, recovery RecoverySecret, progress func(float64)) (Info, error) {
	info, _, err := readPath(path, readRequest{secret: secret, recovery: &recovery, db: io.Discard, progress: progress})
	return info, err
}

// ReadHeader reads only the clear header of the backup at path, without a
// secret: the format, the key derivation's costs, whether a passphrase or
// a key file made it, which recovery key it needs. Nothing in it is
// authenticated until the file is checked, and nothing in it says what the
// backup holds.
func ReadHeader(path string) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, &DiskError{Op: "read", Path: path, Err: err}
	}
	defer f.Close()
	h, err := readHeader(bufio.NewReader(&rawReader{r: f, size: -1, h: nopHash{}, path: path}))
	if err != nil {
		return Header{}, err
	}
	return h.Header, nil
}

type nopHash struct{ hash.Hash }

func (nopHash) Write(p []byte) (int, error) { return len(p), nil }
