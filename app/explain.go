package app

import (
	"errors"
	"io/fs"
	"strings"

	"secdoc/internal/instance"
	"secdoc/models"
)

// Explain says in Chinese what an error of the program means and, where
// there is something to do, what to do: the one table the window and the
// command line both read. ok is false for an error nobody foresaw; the
// caller says that in its own words and keeps the details for support.
func Explain(err error) (msg string, ok bool) {
	if err == nil {
		return "", false
	}
	var (
		chain     *ChainError
		tampered  *TamperedError
		signIn    *SignInError
		forbidden *ForbiddenError
		held      *instance.HeldError
		linked    *instance.LinkedError
		pathErr   *fs.PathError
	)
	switch {
	case errors.As(err, &chain):
		return chain.Message(), true
	case errors.As(err, &tampered):
		return tampered.Message(), true
	case errors.As(err, &linked):
		return linked.Message(), true
	case errors.As(err, &held):
		return held.Message(), true
	}
	if v, ok := models.AsValidation(err); ok {
		msgs := make([]string, len(v.Fields))
		for i, f := range v.Fields {
			msgs[i] = f.Msg
		}
		return strings.Join(msgs, "；"), true
	}
	switch {
	case errors.As(err, &signIn):
		return signIn.Message(), true
	case errors.As(err, &forbidden):
		return forbidden.Message(), true
	case errors.Is(err, models.ErrDisabled):
		return "该账户已停用，请联系系统管理员", true
	case errors.Is(err, models.ErrMustChange):
		return "请先修改初始密码", true
	case errors.Is(err, models.ErrNotSignedIn):
		return "登录已失效，请重新登录", true
	case errors.Is(err, ErrAuditKey):
		return "找不到本数据库的审计密钥，操作无法记入审计记录，因此没有进行。请系统管理员从备份中恢复密钥文件。", true
	case errors.Is(err, models.ErrStale):
		return "该记录已被他人修改，请关闭后重新打开", true
	case errors.Is(err, models.ErrVoided):
		return "该记录已作废，不能再修改或作废", true
	case errors.Is(err, models.ErrNotFound):
		return "找不到该记录，请刷新后重试", true
	case errors.Is(err, models.ErrNewerSchema):
		return "这个数据库由更新版本的程序写入，本程序无法打开。请使用更新版本的涉密文件管理程序。", true
	case errors.Is(err, models.ErrNeedsSetup):
		return "这个数据库还没有建立账户：请先打开程序窗口完成初始化。", true
	case errors.As(err, &pathErr) && errors.Is(err, fs.ErrNotExist):
		return "找不到文件或文件夹：" + pathErr.Path, true
	case errors.As(err, &pathErr) && errors.Is(err, fs.ErrPermission):
		return "没有权限读写：" + pathErr.Path, true
	}
	return "", false
}
