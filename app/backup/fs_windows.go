//go:build windows

package backup

import (
	"errors"
	"syscall"
)

func classify(err error) int {
	var no syscall.Errno
	if !errors.As(err, &no) {
		return diskOther
	}
	switch no {
	case 112, 39: // ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL
		return diskFull
	case 21, 23, 55, 1117, 1167, 483, 2, 3: // not ready, CRC, no device, I/O device, not connected, ...
		return diskGone
	case 19: // ERROR_WRITE_PROTECT
		return diskReadOnly
	case 5: // ERROR_ACCESS_DENIED
		return diskDenied
	}
	return diskOther
}

// syncDir: Windows makes a rename durable without a folder sync.
func syncDir(string) error { return nil }
