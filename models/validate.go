package models

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Field keys name the fields of the registration form in validation errors,
// so a form can show each message beside its own field.
const (
	FieldDirection     = "Direction"
	FieldRegDate       = "RegDate"
	FieldDocNumber     = "DocNumber"
	FieldTitle         = "Title"
	FieldIssuer        = "Issuer"
	FieldDocKind       = "DocKind"
	FieldLevel         = "Level"
	FieldTerm          = "Term"
	FieldCopyNo        = "CopyNo"
	FieldCopies        = "Copies"
	FieldPages         = "Pages"
	FieldUrgency       = "Urgency"
	FieldKind          = "Kind"
	FieldNeedToKnow    = "NeedToKnow"
	FieldLocation      = "Location"
	FieldCustodian     = "Custodian"
	FieldRemarks       = "Remarks"
	FieldVoidReason    = "VoidReason"
	FieldTermYears     = "TermYears"
	FieldTermUntil     = "TermUntil"
	FieldTermCondition = "TermCondition"
)

// FieldLabels gives the Chinese label of each field key, as forms and history show it.
var FieldLabels = map[string]string{
	FieldDirection: "收发类别", FieldRegDate: "收文日期", FieldDocNumber: "文号", FieldTitle: "题名",
	FieldIssuer: "来文单位", FieldDocKind: "文种", FieldLevel: "密级", FieldTerm: "保密期限",
	FieldCopyNo: "份号", FieldCopies: "份数", FieldPages: "页数", FieldUrgency: "缓急",
	FieldKind: "载体类型", FieldNeedToKnow: "知悉范围", FieldLocation: "存放位置",
	FieldCustodian: "责任人", FieldRemarks: "备注", FieldVoidReason: "作废原因",
	FieldTermYears: "保密年限", FieldTermUntil: "解密日期", FieldTermCondition: "解密条件",
}

// FieldError is one bad field with a Chinese message saying what is wrong and how to fix it.
type FieldError struct {
	Field string
	Msg   string
}

// ValidationError lists every bad field of one input.
type ValidationError struct {
	Fields []FieldError
	// Cause is the sentinel behind the message, if any (e.g. ErrDuplicateCopy).
	Cause error
}

// Unwrap lets errors.Is see the cause.
func (e *ValidationError) Unwrap() error { return e.Cause }

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		msgs[i] = f.Msg
	}
	return strings.Join(msgs, "；")
}

// Msg returns the message for one field, or "" when the field is fine.
func (e *ValidationError) Msg(field string) string {
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Msg
		}
	}
	return ""
}

func (e *ValidationError) add(field, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
}

func (e *ValidationError) err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// AsValidation unwraps a *ValidationError from err.
func AsValidation(err error) (*ValidationError, bool) {
	var v *ValidationError
	ok := errors.As(err, &v)
	return v, ok
}

// Sentinel errors of the register. The app layer wraps them with context; the
// UI maps them to Chinese sentences with errors.Is.
var (
	ErrDuplicateCopy = errors.New("duplicate document number and copy number")
	ErrNotFound      = errors.New("not found")
	ErrStale         = errors.New("record changed by someone else")
	ErrVoided        = errors.New("carrier is voided")
	ErrTerminal      = errors.New("carrier has left the register")
	ErrNotInStore    = errors.New("carrier is not in store")
	ErrTooLarge      = errors.New("selection too large")
)

// Limits of the registration form.
const (
	MaxTitleLen  = 200
	MaxShortLen  = 100
	MaxRemarkLen = 1000
	MaxCopies    = 999
	MaxCopyNo    = 999999
	MaxPages     = 99999
)

// DateLayout is the stored form of calendar dates.
const DateLayout = "2006-01-02"

var dateRe = regexp.MustCompile(`^(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?$`)

// ParseDate reads a calendar date as clerks type it: 2026-03-05, 2026-3-5,
// 2026.3.5, 2026/3/5, 2026年3月5日 or 20260305.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(NormalizeWidth(s))
	var y, m, d int
	if len(s) == 8 && isDigits(s) {
		y, _ = strconv.Atoi(s[:4])
		m, _ = strconv.Atoi(s[4:6])
		d, _ = strconv.Atoi(s[6:])
	} else if g := dateRe.FindStringSubmatch(s); g != nil {
		y, _ = strconv.Atoi(g[1])
		m, _ = strconv.Atoi(g[2])
		d, _ = strconv.Atoi(g[3])
	} else {
		return time.Time{}, fmt.Errorf("bad date %q", s)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, fmt.Errorf("no such day %q", s)
	}
	return t, nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// NormalizeWidth turns full-width digits, letters and spaces into their ASCII
// forms, as a Chinese input method often types them.
func NormalizeWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII block
			return r - 0xFEE0
		case r == '　':
			return ' '
		}
		return r
	}, s)
}

// NormalizeDocNumber writes the year brackets of a document number the one way
// GB/T 9704 prints them, 〔2015〕, whatever brackets the clerk typed.
func NormalizeDocNumber(s string) string {
	s = strings.TrimSpace(NormalizeWidth(s))
	return strings.Map(func(r rune) rune {
		switch r {
		case '[', '【', '［', '（', '(':
			return '〔'
		case ']', '】', '］', '）', ')':
			return '〕'
		}
		return r
	}, s)
}

// CarrierForm is the registration form as typed: numbers and dates are text,
// so every client (window, command line, import) gets the same checks and messages.
type CarrierForm struct {
	Direction     Direction
	RegDate       string
	DocNumber     string
	Title         string
	Issuer        string
	DocKind       string
	Level         Level
	TermKind      TermKind
	TermYears     string
	TermUntil     string
	TermCondition string
	CopyNo        string // first copy number; blank means 1
	Copies        string // 份数; blank means 1
	Pages         string
	Urgency       Urgency
	Kind          CarrierKind
	NeedToKnow    string
	Location      string
	Custodian     string
	Remarks       string
}

// CarrierFields are the checked, typed values of a CarrierForm.
type CarrierFields struct {
	Direction  Direction
	RegDate    time.Time
	DocNumber  string
	Title      string
	Issuer     string
	DocKind    string
	Level      Level
	Term       Term
	CopyNo     int
	Copies     int
	Pages      int
	Urgency    Urgency
	Kind       CarrierKind
	NeedToKnow string
	Location   string
	Custodian  string
	Remarks    string
}

// Check validates the form against today's date and returns its typed values,
// or a *ValidationError naming every bad field (R12, R15).
func (f CarrierForm) Check(today time.Time) (CarrierFields, error) {
	var v ValidationError
	out := CarrierFields{
		Direction:  f.Direction,
		DocNumber:  NormalizeDocNumber(f.DocNumber),
		Title:      strings.TrimSpace(f.Title),
		Issuer:     strings.TrimSpace(f.Issuer),
		DocKind:    strings.TrimSpace(f.DocKind),
		Level:      f.Level,
		Urgency:    f.Urgency,
		Kind:       f.Kind,
		NeedToKnow: strings.TrimSpace(f.NeedToKnow),
		Location:   strings.TrimSpace(f.Location),
		Custodian:  strings.TrimSpace(f.Custodian),
		Remarks:    strings.TrimSpace(f.Remarks),
	}
	if !f.Direction.Valid() {
		v.add(FieldDirection, "请选择收文或发文/自产")
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if strings.TrimSpace(f.RegDate) == "" {
		v.add(FieldRegDate, "请填写收文日期，例如 %s", today.Format(DateLayout))
	} else if d, err := ParseDate(f.RegDate); err != nil {
		v.add(FieldRegDate, "收文日期“%s”不是有效日期，请按 2026-03-05 的格式填写", f.RegDate)
	} else if d.After(today) {
		v.add(FieldRegDate, "收文日期不能晚于今天（%s），请核对", today.Format(DateLayout))
	} else if d.Year() < 1949 {
		v.add(FieldRegDate, "收文日期年份过早，请核对")
	} else {
		out.RegDate = d
	}
	checkLen(&v, FieldDocNumber, out.DocNumber, MaxShortLen)
	if out.Title == "" {
		v.add(FieldTitle, "请填写题名（文件标题）")
	}
	checkLen(&v, FieldTitle, out.Title, MaxTitleLen)
	if out.Issuer == "" && f.Direction == DirIncoming {
		v.add(FieldIssuer, "收文须填写来文单位")
	}
	checkLen(&v, FieldIssuer, out.Issuer, MaxShortLen)
	checkLen(&v, FieldDocKind, out.DocKind, MaxShortLen)
	if !f.Level.Valid() {
		v.add(FieldLevel, "请选择密级（秘密、机密或绝密）")
	}
	out.Term = checkTerm(&v, f, out.RegDate)

	out.CopyNo = checkInt(&v, FieldCopyNo, f.CopyNo, 1, 1, MaxCopyNo, "份号")
	out.Copies = checkInt(&v, FieldCopies, f.Copies, 1, 1, MaxCopies, "份数")
	if out.CopyNo > 0 && out.Copies > 0 && out.CopyNo+out.Copies-1 > MaxCopyNo {
		v.add(FieldCopies, "份号最大为 %06d，从 %06d 起登记 %d 份会超出", MaxCopyNo, out.CopyNo, out.Copies)
	}
	out.Pages = checkInt(&v, FieldPages, f.Pages, 0, 0, MaxPages, "页数")
	if !f.Urgency.Valid() {
		v.add(FieldUrgency, "缓急只能是普通、加急或特急")
	}
	if !f.Kind.Valid() {
		v.add(FieldKind, "请选择载体类型")
	}
	checkLen(&v, FieldNeedToKnow, out.NeedToKnow, MaxShortLen*2)
	checkLen(&v, FieldLocation, out.Location, MaxShortLen)
	if out.Custodian == "" {
		v.add(FieldCustodian, "请填写责任人（保管这份载体的人）")
	}
	checkLen(&v, FieldCustodian, out.Custodian, MaxShortLen)
	checkLen(&v, FieldRemarks, out.Remarks, MaxRemarkLen)
	return out, v.err()
}

func checkLen(v *ValidationError, field, s string, max int) {
	if n := utf8.RuneCountInString(s); n > max {
		v.add(field, "%s最多 %d 个字，现有 %d 个字", FieldLabels[field], max, n)
	}
}

func checkInt(v *ValidationError, field, s string, blank, min, max int, label string) int {
	s = strings.TrimSpace(NormalizeWidth(s))
	if s == "" {
		return blank
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		v.add(field, "%s“%s”不是整数，请只填数字", label, s)
		return 0
	}
	if n < min || n > max {
		v.add(field, "%s应在 %d 到 %d 之间", label, min, max)
		return 0
	}
	return n
}

func checkTerm(v *ValidationError, f CarrierForm, regDate time.Time) Term {
	max := f.Level.MaxTermYears()
	switch f.TermKind {
	case TermDefault, "":
		return Term{Kind: TermDefault}
	case TermYears:
		years := checkInt(v, FieldTermYears, f.TermYears, 0, 1, 30, "保密年限")
		if strings.TrimSpace(f.TermYears) == "" {
			v.add(FieldTermYears, "请填写保密年限，或把保密期限改为“法定最长期限”")
		} else if years > 0 && max > 0 && years > max {
			v.add(FieldTermYears, "%s的保密期限最长 %d 年（保守国家秘密法），请改小", f.Level, max)
		}
		return Term{Kind: TermYears, Years: years}
	case TermUntil:
		d, err := ParseDate(f.TermUntil)
		switch {
		case strings.TrimSpace(f.TermUntil) == "":
			v.add(FieldTermUntil, "请填写解密日期，例如 2030-06-30")
		case err != nil:
			v.add(FieldTermUntil, "解密日期“%s”不是有效日期，请按 2030-06-30 的格式填写", f.TermUntil)
		case !regDate.IsZero() && !d.After(regDate):
			v.add(FieldTermUntil, "解密日期必须晚于收文日期")
		case !regDate.IsZero() && max > 0 && d.After(regDate.AddDate(max, 0, 0)):
			v.add(FieldTermUntil, "%s的保密期限最长 %d 年，解密日期不能晚于 %s", f.Level, max,
				regDate.AddDate(max, 0, 0).Format(DateLayout))
		default:
			return Term{Kind: TermUntil, Until: d.Format(DateLayout)}
		}
		return Term{Kind: TermUntil}
	case TermCondition:
		c := strings.TrimSpace(f.TermCondition)
		if c == "" {
			v.add(FieldTermCondition, "请写明解密条件")
		}
		checkLen(v, FieldTermCondition, c, MaxShortLen*2)
		return Term{Kind: TermCondition, Condition: c}
	}
	v.add(FieldTerm, "保密期限的形式不对：只能是年限、日期或解密条件")
	return Term{}
}

// ErrNewerSchema means the database was written by a newer version of the program.
var ErrNewerSchema = errors.New("database is from a newer program version")
