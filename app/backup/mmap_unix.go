//go:build unix

package backup

import (
	"os"
	"syscall"
)

// mapFile maps the size bytes of f for reading; release unmaps them. On
// failure it returns nil, and the caller reads the file instead.
func mapFile(f *os.File, size int64) (data []byte, release func()) {
	if size <= 0 || int64(int(size)) != size {
		return nil, nil
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, nil
	}
	return b, func() { syscall.Munmap(b) }
}
