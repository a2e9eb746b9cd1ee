//go:build linux

package backup

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// openReadBack opens a written (and synced) backup for its read-back, its
// cached pages dropped first, so that reading it reads the medium, not memory.
func openReadBack(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED)
	return f, nil
}
