//go:build windows

package private

import (
	"fmt"
	"os"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// SetUmask does nothing on Windows: files take their folder's access list
// (which MkdirAll and Restrict make the owner's only, and inheritable).
func SetUmask() {}

// The access lists, in SDDL: "D:P" a protected list (no entry inherited
// from the folder above); "A;;FA;;;SID" allow full access to SID; "SY" the
// SYSTEM account (backup software and the system itself run as it); for a
// folder, OICI makes the entries apply to the files and folders in it.
var (
	sidOnce sync.Once
	userSID string
	sidErr  error
)

func currentUserSID() (string, error) {
	sidOnce.Do(func() {
		tu, err := windows.GetCurrentProcessToken().GetTokenUser()
		if err != nil {
			sidErr = fmt.Errorf("current user: %w", err)
			return
		}
		userSID = tu.User.Sid.String()
	})
	return userSID, sidErr
}

// descriptor is the owner-only security descriptor for a file or a folder.
func descriptor(dir bool) (*windows.SECURITY_DESCRIPTOR, error) {
	sid, err := currentUserSID()
	if err != nil {
		return nil, err
	}
	inherit := ""
	if dir {
		inherit = "OICI"
	}
	return windows.SecurityDescriptorFromString(fmt.Sprintf("D:P(A;%s;FA;;;%s)(A;%s;FA;;;SY)", inherit, sid, inherit))
}

func restrict(path string, dir bool) error {
	sd, err := descriptor(dir)
	if err != nil {
		return err
	}
	dacl, _, err := sd.DACL()
	if err != nil {
		return err
	}
	if err := windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.PROTECTED_DACL_SECURITY_INFORMATION,
		nil, nil, dacl, nil); err != nil {
		return &os.PathError{Op: "restrict", Path: path, Err: err}
	}
	return nil
}

// open creates the file with the owner-only list from the first moment;
// an existing file keeps its list through CreateFile, so it is set again by
// name. OPEN_ALWAYS and a truncate, not CREATE_ALWAYS, which refuses a
// hidden file (as os.OpenFile does).
func open(path string, flag int) (*os.File, error) {
	sd, err := descriptor(false)
	if err != nil {
		return nil, err
	}
	p, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	disposition := uint32(windows.OPEN_ALWAYS)
	if flag&os.O_EXCL != 0 {
		disposition = windows.CREATE_NEW
	}
	sa := &windows.SecurityAttributes{Length: uint32(unsafe.Sizeof(windows.SecurityAttributes{})), SecurityDescriptor: sd}
	h, err := windows.CreateFile(p, windows.GENERIC_WRITE, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE,
		sa, disposition, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		// ERROR_FILE_EXISTS is fs.ErrExist to errors.Is.
		return nil, &os.PathError{Op: "open", Path: path, Err: err}
	}
	f := os.NewFile(uintptr(h), path)
	if disposition == windows.CREATE_NEW {
		return f, nil
	}
	if flag&os.O_TRUNC != 0 {
		if err := f.Truncate(0); err != nil {
			f.Close()
			return nil, err
		}
	}
	if err := restrict(path, false); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
