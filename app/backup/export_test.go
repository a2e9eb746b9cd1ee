package backup

import (
	"bytes"
	"crypto/sha256"
	"io"
)

// FileOut is what a backup is written to.
type FileOut = fileOut

// SetCreateOut replaces how the temporary backup file is created, until the
// returned function puts it back.
func SetCreateOut(f func(path string) (FileOut, error)) (restore func()) {
	old := createOut
	createOut = f
	return func() { createOut = old }
}

// ReadBytes reads a whole backup held in memory, as Verify reads a file.
func ReadBytes(b []byte, s Secret, r RecoverySecret) (Info, error) {
	info := Info{Size: int64(len(b))}
	raw := &rawReader{r: bytes.NewReader(b), size: int64(len(b)), h: sha256.New()}
	_, err := readStream(raw, &info, readRequest{secret: s, recovery: &r, db: io.Discard})
	return info, err
}

// CheckBytes checks a whole backup held in memory, as Check checks a file.
func CheckBytes(b []byte, s Secret) (Info, error) {
	info := Info{Size: int64(len(b))}
	raw := &rawReader{r: bytes.NewReader(b), size: int64(len(b)), h: sha256.New()}
	_, err := readStream(raw, &info, readRequest{secret: s})
	return info, err
}

// ReadMembers reads a decrypted, decompressed payload.
func ReadMembers(b []byte) error {
	_, _, err := readMembers(bytes.NewReader(b), io.Discard, func(*Meta) error { return nil })
	return err
}

// ForceVacuumSnapshot makes snapshots take the slow way, VACUUM INTO.
func ForceVacuumSnapshot() (restore func()) {
	old := snapshotTries
	snapshotTries = 0
	return func() { snapshotTries = old }
}

// The header's layout, for the tests that edit it.
const (
	HeaderLen    = headerLen
	OffTime      = offTime
	OffMemory    = offMemory
	OffThreads   = offThreads
	OffSalt      = offSalt
	OffSource    = offSource
	OffEph       = offEph
	OffBox       = offBox
	OffCheck     = offCheck
	OffCRC       = offCRC
	BoxOffTime   = boxOffTime
	BoxOffSalt   = boxOffSalt
	BoxOffPublic = boxOffPublic
	BoxOffSealed = boxOffSealed
	TrailerLen   = trailerLen
)
