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
func ReadBytes(b []byte, s Secret) (Info, error) {
	info := Info{Size: int64(len(b))}
	raw := &rawReader{r: bytes.NewReader(b), size: int64(len(b)), h: sha256.New()}
	_, err := readFrom(raw, s, &info, io.Discard, nil, nil)
	return info, err
}

// ReadMembers reads a decrypted, decompressed payload.
func ReadMembers(b []byte, dbSize int64) error {
	_, _, err := readMembers(bytes.NewReader(b), &Header{DBSize: dbSize}, io.Discard)
	return err
}

// ForceVacuumSnapshot makes snapshots take the slow way, VACUUM INTO.
func ForceVacuumSnapshot() (restore func()) {
	old := snapshotTries
	snapshotTries = 0
	return func() { snapshotTries = old }
}
