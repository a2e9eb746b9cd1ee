//go:build !windows

package backup

import (
	"errors"
	"os"
	"syscall"
)

func classify(err error) int {
	var no syscall.Errno
	if !errors.As(err, &no) {
		return diskOther
	}
	switch no {
	case syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG:
		return diskFull
	case syscall.EIO, syscall.ENODEV, syscall.ENXIO, syscall.ENOENT, syscall.ESTALE, syscall.ENOTCONN, syscall.EBADF:
		return diskGone
	case syscall.EROFS:
		return diskReadOnly
	case syscall.EACCES, syscall.EPERM:
		return diskDenied
	}
	return diskOther
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
