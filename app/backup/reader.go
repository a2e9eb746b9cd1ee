package backup

import (
	"bufio"
	"bytes"
	"crypto/cipher"
	"crypto/sha256"
	"crypto/subtle"
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

// Info is what a backup holds, as read and checked.
type Info struct {
	Header
	Path     string
	Size     int64  // bytes of the backup file
	SHA256   string // hex SHA-256 of the whole file
	DBSHA256 string // hex SHA-256 of the database inside
}

// Restorable says whether this program can restore the backup: not one
// whose database is of a newer schema than it knows.
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

// readHeader reads and checks the header; it returns its bytes as they
// stand in the file (the chunks' AAD).
func readHeader(r io.Reader) (*Header, []byte, error) {
	env := make([]byte, envelopeLen)
	n, err := io.ReadFull(r, env)
	switch {
	case err == io.EOF:
		return nil, nil, fmt.Errorf("%w: empty file", ErrNotBackup)
	case err == io.ErrUnexpectedEOF && n < len(Magic):
		if bytes.HasPrefix([]byte(Magic), env[:n]) {
			return nil, nil, ErrTruncated
		}
		return nil, nil, ErrNotBackup
	case err == io.ErrUnexpectedEOF:
		if string(env[:len(Magic)]) != Magic {
			return nil, nil, ErrNotBackup
		}
		return nil, nil, ErrTruncated
	case err != nil:
		return nil, nil, err
	case string(env[:len(Magic)]) != Magic:
		return nil, nil, ErrNotBackup
	}
	format := int(binary.BigEndian.Uint16(env[8:]))
	bodyLen := binary.BigEndian.Uint32(env[10:])
	if bodyLen > maxBodyLen {
		return nil, nil, fmt.Errorf("%w: header length %d", ErrCorrupt, bodyLen)
	}
	rest := make([]byte, int(bodyLen)+4)
	if err := readFull(r, rest); err != nil {
		return nil, nil, err
	}
	raw := append(env, rest...)
	body, sum := raw[envelopeLen:len(raw)-4], binary.BigEndian.Uint32(raw[len(raw)-4:])
	if crc32.ChecksumIEEE(raw[:len(raw)-4]) != sum {
		return nil, nil, fmt.Errorf("%w: header checksum", ErrCorrupt)
	}
	if format > FormatVersion {
		return nil, nil, &NewerError{Format: format, MaxFormat: FormatVersion}
	}
	if format < 1 {
		return nil, nil, fmt.Errorf("%w: format %d", ErrCorrupt, format)
	}
	var h Header
	if err := json.Unmarshal(body, &h); err != nil {
		return nil, nil, fmt.Errorf("%w: header: %v", ErrCorrupt, err)
	}
	h.Format = format
	if err := h.check(); err != nil {
		return nil, nil, err
	}
	return &h, raw, nil
}

// chunkReader opens the chunks in order and reads their plaintext.
type chunkReader struct {
	raw    *rawReader
	aead   cipher.AEAD
	hdr    []byte
	chunk  int
	idx    uint64
	sealed []byte
	buf    []byte // plaintext not read yet
	final  bool   // the final chunk was opened
	err    error  // sticky: the first failure, or io.EOF after the final chunk
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		c.err = c.next()
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

// next opens the next chunk, or checks that the file ends after the final one.
func (c *chunkReader) next() error {
	if c.final {
		var b [1]byte
		n, err := io.ReadFull(c.raw, b[:])
		switch {
		case n > 0:
			return fmt.Errorf("%w: data after the final chunk", ErrCorrupt)
		case err == io.EOF:
			return io.EOF
		}
		return err
	}
	var h [chunkHdrLen]byte
	if err := readFull(c.raw, h[:]); err != nil {
		return err // truncated: the final chunk never came
	}
	if crc32.ChecksumIEEE(h[:5]) != binary.BigEndian.Uint32(h[5:]) {
		return fmt.Errorf("%w: chunk %d header checksum", ErrCorrupt, c.idx)
	}
	flag, n := h[0], int(binary.BigEndian.Uint32(h[1:5]))
	switch {
	case flag > 1, n < tagLen, n > c.chunk+tagLen, flag == 0 && n != c.chunk+tagLen:
		return fmt.Errorf("%w: chunk %d header (flag %d, length %d)", ErrCorrupt, c.idx, flag, n)
	case c.raw.size >= 0 && int64(n) > c.raw.size-c.raw.n:
		return ErrTruncated
	}
	if cap(c.sealed) < n {
		c.sealed = make([]byte, n)
	}
	c.sealed = c.sealed[:n]
	if err := readFull(c.raw, c.sealed); err != nil {
		return err
	}
	plain, err := c.aead.Open(c.sealed[:0], nonce(c.idx), c.sealed, chunkAAD(c.hdr, c.idx, flag == 1))
	if err != nil {
		return fmt.Errorf("%w: chunk %d", ErrCorrupt, c.idx)
	}
	c.idx++
	c.final = flag == 1
	c.buf = plain
	return nil
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
	if p.progress != nil && p.total > 0 {
		f := float64(p.read()) / float64(p.total)
		if f-p.last >= 0.005 || f >= 1 {
			p.last = f
			p.progress(f)
		}
	}
	return n, err
}

// read reads and checks the whole backup at path with secret, writing the
// database inside to db (which may be io.Discard). check, if not nil, may
// refuse the backup from its header before any data is read.
func read(path string, secret Secret, db io.Writer, check func(*Header) error, progress func(float64)) (Info, []byte, error) {
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
	raw := &rawReader{r: f, size: st.Size(), h: sha256.New(), path: path}
	key, err := readFrom(raw, secret, &info, db, check, progress)
	return info, key, err
}

// readFrom is read on an open stream; fuzzing enters here.
func readFrom(raw *rawReader, secret Secret, info *Info, db io.Writer, check func(*Header) error, progress func(float64)) ([]byte, error) {
	br := bufio.NewReaderSize(raw, 1<<20)
	h, hdrBytes, err := readHeader(br)
	if err != nil {
		return nil, err
	}
	info.Header = *h
	if check != nil {
		if err := check(h); err != nil {
			return nil, err
		}
	}
	dataKey, want := deriveKeys(secret.bytes(), h)
	if subtle.ConstantTimeCompare(want, h.KeyCheck) != 1 {
		return nil, ErrWrongSecret
	}
	cr := &chunkReader{raw: &rawReader{r: br, size: -1, h: nopHash{}}, aead: newAEAD(dataKey), hdr: hdrBytes, chunk: h.ChunkSize}
	if raw.size >= 0 {
		// What is left of the file after the header, for telling a cut-off file.
		cr.raw.size = raw.size - int64(len(hdrBytes))
	}
	pr := &progressReader{r: cr, read: func() int64 { return raw.n }, total: raw.size, progress: progress}
	dec, err := zstd.NewReader(pr, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(64<<20),
		zstd.WithDecoderLowmem(false))
	if err != nil {
		return nil, err
	}
	defer dec.Close()

	key, dbSum, err := readMembers(dec, h, db)
	if err != nil {
		return nil, cr.failure(err)
	}
	// The stream must end here, and the file with the final chunk.
	if n, err := dec.Read(make([]byte, 1)); n > 0 || err != io.EOF {
		if err == nil || err == io.EOF {
			err = errors.New("data after the end mark")
		}
		return nil, cr.failure(err)
	}
	if _, err := io.Copy(io.Discard, cr); err != nil {
		return nil, cr.failure(err)
	}
	if !cr.final {
		return nil, ErrTruncated
	}
	info.SHA256 = hex.EncodeToString(raw.h.Sum(nil))
	info.DBSHA256 = dbSum
	if progress != nil {
		progress(1)
	}
	return key, nil
}

type nopHash struct{ hash.Hash }

func (nopHash) Write(p []byte) (int, error) { return len(p), nil }

// readMembers reads the payload: the audit key, the database, the end mark.
func readMembers(r io.Reader, h *Header, db io.Writer) (key []byte, dbSum string, err error) {
	name, size, err := readMemberHead(r)
	if err != nil {
		return nil, "", err
	}
	if name != memberKey || size != 32 {
		return nil, "", fmt.Errorf("%w: first member %q (%d bytes)", ErrCorrupt, name, size)
	}
	key = make([]byte, 32)
	if _, err := io.ReadFull(r, key); err != nil {
		return nil, "", err
	}
	name, size, err = readMemberHead(r)
	if err != nil {
		return nil, "", err
	}
	if name != memberDB || int64(size) != h.DBSize {
		return nil, "", fmt.Errorf("%w: second member %q (%d bytes, header says %d)", ErrCorrupt, name, size, h.DBSize)
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

// Verify reads the whole backup at path with secret and checks it: the
// header, the passphrase, every chunk's authentication, the order and
// completeness of the chunks, and what is inside. It restores nothing.
// progress, if not nil, is told the fraction read.
func Verify(path string, secret Secret, progress func(float64)) (Info, error) {
	info, _, err := read(path, secret, io.Discard, nil, progress)
	return info, err
}

// ReadHeader reads only the header of the backup at path, without the
// passphrase: what a file chooser may show. Nothing in it is authenticated
// until the file is verified.
func ReadHeader(path string) (Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return Header{}, &DiskError{Op: "read", Path: path, Err: err}
	}
	defer f.Close()
	h, _, err := readHeader(bufio.NewReader(f))
	if err != nil {
		return Header{}, err
	}
	return *h, nil
}
