//go:build linux

package backup

import (
	"os"

	"golang.org/x/sys/unix"
)

// dropCache asks the kernel to forget the file's cached pages (they are
// synced), so that reading it back reads the medium, not memory.
func dropCache(f *os.File) { unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED) }
