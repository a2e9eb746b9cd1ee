//go:build unix

package cli

import (
	"fmt"
	"os"
	"syscall"
)

// secretFileProblem says, in Chinese, why others than the current user may
// read the file fi describes: its mode gives the group or others any
// access, or (otherOwner) it belongs to another user; "" when neither.
func secretFileProblem(fi os.FileInfo) (why string, otherOwner bool) {
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Sprintf("的权限为 %04o，除所有者外其他用户也能访问", perm), false
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int64(st.Uid) != int64(os.Getuid()) {
		return fmt.Sprintf("不属于当前用户（属于用户号 %d，当前用户号 %d）", st.Uid, os.Getuid()), true
	}
	return "", false
}
