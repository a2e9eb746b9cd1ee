//go:build windows

package backup

import (
	"io"
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// The read-back's unbuffered reads: whole blocks, into a buffer aligned to
// a sector (4096 bytes covers the 512- and 4096-byte sectors of disks and
// sticks), as FILE_FLAG_NO_BUFFERING requires of both.
const (
	readBackBlock = 1 << 20
	readBackAlign = 4096
)

// openReadBack opens a written backup for its read-back without the file
// cache (FILE_FLAG_NO_BUFFERING), so that its bytes come from the device,
// not from the memory they were written from. Where the file can't be
// opened so, or the device refuses the first unbuffered read (a sector
// larger than 4096 bytes, a file system that can't), it is read the
// ordinary way: the read-back then proves less, as on other systems.
func openReadBack(path string) (io.ReadCloser, error) {
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return os.Open(path)
	}
	h, err := windows.CreateFile(p, windows.GENERIC_READ, windows.FILE_SHARE_READ, nil, windows.OPEN_EXISTING,
		windows.FILE_ATTRIBUTE_NORMAL|windows.FILE_FLAG_NO_BUFFERING, 0)
	if err != nil {
		return os.Open(path)
	}
	return &unbufferedFile{h: h, path: path, buf: alignedBuffer(readBackBlock, readBackAlign)}, nil
}

// alignedBuffer is size bytes starting at a multiple of align (Go's heap
// does not move what it allocated).
func alignedBuffer(size, align int) []byte {
	mem := make([]byte, size+align)
	off := 0
	if r := int(uintptr(unsafe.Pointer(&mem[0])) % uintptr(align)); r != 0 {
		off = align - r
	}
	return mem[off : off+size : off+size]
}

// unbufferedFile reads a file opened with FILE_FLAG_NO_BUFFERING: block by
// block, every read starting at a multiple of the block size (the file's
// end only makes a read short).
type unbufferedFile struct {
	h        windows.Handle
	path     string
	buf      []byte // the aligned block
	data     []byte // what is left of the last block read
	eof      bool
	started  bool     // a block was read: no falling back any more
	fallback *os.File // the ordinary way, when the device refused
}

func (u *unbufferedFile) Read(p []byte) (int, error) {
	if u.fallback != nil {
		return u.fallback.Read(p)
	}
	for len(u.data) == 0 {
		if u.eof {
			return 0, io.EOF
		}
		var n uint32
		err := windows.ReadFile(u.h, u.buf, &n, nil)
		switch {
		case err == windows.ERROR_INVALID_PARAMETER && !u.started:
			f, ferr := os.Open(u.path)
			if ferr != nil {
				return 0, ferr
			}
			windows.CloseHandle(u.h)
			u.h = windows.InvalidHandle
			u.fallback = f
			return f.Read(p)
		case err == windows.ERROR_HANDLE_EOF:
			u.eof = true
			continue
		case err != nil:
			return 0, &os.PathError{Op: "read", Path: u.path, Err: err}
		}
		u.started = true
		// A short block is the file's end: the next read would start at an
		// offset that is not a sector's, which unbuffered reads refuse.
		if int(n) < len(u.buf) {
			u.eof = true
		}
		u.data = u.buf[:n]
	}
	k := copy(p, u.data)
	u.data = u.data[k:]
	return k, nil
}

func (u *unbufferedFile) Close() error {
	if u.fallback != nil {
		return u.fallback.Close()
	}
	if u.h == windows.InvalidHandle {
		return nil
	}
	err := windows.CloseHandle(u.h)
	u.h = windows.InvalidHandle
	return err
}
