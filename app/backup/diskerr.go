package backup

import (
	"errors"
	"fmt"
)

// DiskError is a failure to read or write a file on a disk: the backup
// folder (a USB stick, usually) or the database's own folder.
type DiskError struct {
	Op       string // "write" the backup, "read" it, or "local": the database's folder
	Path     string
	Err      error
	Leftover string // a temporary file that could not be removed, if any
}

func (e *DiskError) Error() string { return fmt.Sprintf("%s %s: %v", e.Op, e.Path, e.Err) }
func (e *DiskError) Unwrap() error { return e.Err }

// The kinds of disk failure a clerk can act on.
const (
	diskOther = iota
	diskFull
	diskGone
	diskReadOnly
	diskDenied
)

func diskMessage(err error) string {
	var de *DiskError
	if !errors.As(err, &de) {
		return ""
	}
	where := "备份盘"
	switch de.Op {
	case "local":
		where = "本机磁盘（数据库所在的文件夹）"
	case "read":
		where = "备份文件所在的盘"
	}
	var msg string
	switch classify(de.Err) {
	case diskFull:
		msg = where + "空间不足，操作没有完成。请腾出空间或换一个更大的盘后重试。"
	case diskGone:
		msg = "读写" + where + "时出错：盘可能已被拔出或已损坏，操作没有完成。请重新插好盘后重试。"
	case diskReadOnly:
		msg = where + "是只读的（可能打开了写保护），无法写入。"
	case diskDenied:
		msg = "没有权限读写这个位置：" + de.Path
	default:
		msg = "读写" + where + "时出错，操作没有完成：" + de.Err.Error()
	}
	if de.Op == "write" {
		if de.Leftover != "" {
			msg += "\n盘上可能留有不完整的临时文件 " + de.Leftover + "，它不是备份，可以删除。"
		} else {
			msg += "\n没有留下不完整的备份文件。"
		}
	}
	return msg
}
