//go:build windows

package private

import (
	"os"
	"testing"
	"unsafe"

	"golang.org/x/sys/windows"
)

// wantPrivate checks the access list: protected, and only entries allowing
// the current user and SYSTEM (inheritable to the contents for a folder).
func wantPrivate(t *testing.T, path string, dir bool) {
	t.Helper()
	sd, err := windows.GetNamedSecurityInfo(path, windows.SE_FILE_OBJECT, windows.DACL_SECURITY_INFORMATION)
	if err != nil {
		t.Fatal(err)
	}
	control, _, err := sd.Control()
	if err != nil {
		t.Fatal(err)
	}
	if control&windows.SE_DACL_PROTECTED == 0 {
		t.Fatalf("%s: access list not protected: %s", path, sd)
	}
	tu, err := windows.GetCurrentProcessToken().GetTokenUser()
	if err != nil {
		t.Fatal(err)
	}
	dacl, _, err := sd.DACL()
	if err != nil || dacl == nil {
		t.Fatalf("%s: no access list: %v", path, err)
	}
	user := false
	for i := uint32(0); i < uint32(dacl.AceCount); i++ {
		var ace *windows.ACCESS_ALLOWED_ACE
		if err := windows.GetAce(dacl, i, &ace); err != nil {
			t.Fatal(err)
		}
		sid := (*windows.SID)(unsafe.Pointer(&ace.SidStart))
		if ace.Header.AceType != windows.ACCESS_ALLOWED_ACE_TYPE {
			t.Fatalf("%s: entry %d is not an allow entry: %s", path, i, sd)
		}
		switch {
		case sid.Equals(tu.User.Sid):
			user = true
		case sid.IsWellKnown(windows.WinLocalSystemSid):
		default:
			t.Fatalf("%s: entry for %s: %s", path, sid, sd)
		}
		inherits := ace.Header.AceFlags&(windows.OBJECT_INHERIT_ACE|windows.CONTAINER_INHERIT_ACE) != 0
		if inherits != dir {
			t.Fatalf("%s: entry %d inheritable %v, folder %v: %s", path, i, inherits, dir, sd)
		}
	}
	if !user {
		t.Fatalf("%s: no entry for the user: %s", path, sd)
	}
}

// loosen gives Everyone full access, inheriting from the folder, as an
// ordinary file's list might.
func loosen(t *testing.T, path string, _ os.FileMode) {
	t.Helper()
	sd, err := windows.SecurityDescriptorFromString("D:(A;;FA;;;WD)")
	if err != nil {
		t.Fatal(err)
	}
	dacl, _, _ := sd.DACL()
	if err := windows.SetNamedSecurityInfo(path, windows.SE_FILE_OBJECT,
		windows.DACL_SECURITY_INFORMATION|windows.UNPROTECTED_DACL_SECURITY_INFORMATION, nil, nil, dacl, nil); err != nil {
		t.Fatal(err)
	}
}
