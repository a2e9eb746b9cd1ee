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
	FieldTermMonths    = "TermMonths"
	FieldDocDate       = "DocDate"
	FieldDeadline      = "Deadline"
	FieldNoCopy        = "NoCopy"
)

// FieldLabels gives the Chinese label of each field key, as forms and history show it.
var FieldLabels = map[string]string{
	FieldDirection: "收发类别", FieldRegDate: "收文日期", FieldDocNumber: "文号", FieldTitle: "题名",
	FieldIssuer: "来文单位", FieldDocKind: "文种", FieldLevel: "密级", FieldTerm: "保密期限",
	FieldCopyNo: "份号", FieldCopies: "份数", FieldPages: "页数或容量", FieldUrgency: "缓急",
	FieldKind: "载体类型", FieldNeedToKnow: "知悉范围", FieldLocation: "存放位置",
	FieldCustodian: "责任人", FieldRemarks: "备注", FieldVoidReason: "作废原因",
	FieldTermYears: "保密年限", FieldTermUntil: "解密日期", FieldTermCondition: "解密条件",
	FieldTermMonths: "保密月数", FieldDocDate: "成文日期", FieldNoCopy: "不得复制", FieldDeadline: "办理时限",
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
	ErrBadMarking    = errors.New("bad marking of a list")
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
	DocDate       string // 成文日期; blank when not known (R20)
	Deadline      string // 办理时限: the day it must be handled by, optional (R27)
	DocNumber     string
	Title         string
	Issuer        string
	DocKind       string
	Level         Level
	TermKind      TermKind
	TermYears     string
	TermMonths    string
	TermUntil     string
	TermCondition string
	CopyNo        string // 份号: blank (none), one number, a range 000001-000003 or a list 000012、000037 (R22)
	Copies        string // 份数; blank means 1, or as many as CopyNo lists
	Pages         string // 页数或容量: a number of pages, or a capacity such as 8GB
	Urgency       Urgency
	Kind          CarrierKind
	NeedToKnow    string
	Location      string
	Custodian     string
	Remarks       string
	NoCopy        bool // 不得复制 marked on the document (R23)
}

// CarrierFields are the checked, typed values of a CarrierForm.
type CarrierFields struct {
	Direction  Direction
	RegDate    time.Time
	DocDate    string // yyyy-mm-dd or ""
	Deadline   string // 办理时限, yyyy-mm-dd or ""
	DocNumber  string
	Title      string
	Issuer     string
	DocKind    string
	Level      Level
	Term       Term
	CopyNos    []int // one per carrier: the 份号, 0 where none (R22)
	Copies     int
	Pages      int
	Capacity   string
	Urgency    Urgency
	Kind       CarrierKind
	NeedToKnow string
	Location   string
	Custodian  string
	Remarks    string
	NoCopy     bool
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
		NoCopy:     f.NoCopy,
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
	if strings.TrimSpace(f.DocDate) != "" {
		d, err := ParseDate(f.DocDate)
		switch {
		case err != nil:
			v.add(FieldDocDate, "成文日期“%s”不是有效日期，请按 2026-03-05 的格式填写，不知道可留空", f.DocDate)
		case d.After(today):
			v.add(FieldDocDate, "成文日期不能晚于今天（%s），请核对", today.Format(DateLayout))
		case d.Year() < 1949:
			v.add(FieldDocDate, "成文日期年份过早，请核对")
		case f.Direction == DirIncoming && !out.RegDate.IsZero() && d.After(out.RegDate):
			v.add(FieldDocDate, "成文日期不能晚于收文日期（%s），请核对", out.RegDate.Format(DateLayout))
		default:
			out.DocDate = d.Format(DateLayout)
		}
	}
	if strings.TrimSpace(f.Deadline) != "" {
		d, err := ParseDate(f.Deadline)
		switch {
		case err != nil:
			v.add(FieldDeadline, "办理时限“%s”不是有效日期，请按 2026-03-05 的格式填写，没有时限可留空", f.Deadline)
		case !out.RegDate.IsZero() && d.Before(out.RegDate):
			v.add(FieldDeadline, "办理时限不能早于收文日期（%s），请核对", out.RegDate.Format(DateLayout))
		default:
			out.Deadline = d.Format(DateLayout)
		}
	}
	if !f.Level.Registrable() {
		v.add(FieldLevel, "请选择密级（绝密、机密、秘密、内部或非密）")
	}
	start := out.RegDate
	if out.DocDate != "" {
		start, _ = ParseDate(out.DocDate)
	}
	out.Term = checkTerm(&v, f, start)

	out.Copies = checkInt(&v, FieldCopies, f.Copies, 1, 1, MaxCopies, "份数")
	out.CopyNos = checkCopyNos(&v, f.CopyNo, strings.TrimSpace(f.Copies) != "", out.Copies)
	if len(out.CopyNos) > 0 {
		out.Copies = len(out.CopyNos)
	}
	out.Pages, out.Capacity = checkPages(&v, f.Pages, f.Kind)
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

func checkTerm(v *ValidationError, f CarrierForm, start time.Time) Term {
	max := f.Level.MaxTermYears()
	if !f.Level.IsStateSecret() && f.Level.Registrable() {
		if f.TermKind != TermDefault && f.TermKind != "" {
			v.add(FieldTerm, "%s文件不属于国家秘密，不标保密期限：请把保密期限留空", f.Level)
		}
		return Term{Kind: TermDefault}
	}
	switch f.TermKind {
	case TermDefault, "":
		// The office fixes the term of what it produces itself: an explicit
		// one, never a blank (R24). A received document is registered as it
		// reads, blank included.
		if f.Direction == DirOutgoing && f.Level.IsStateSecret() {
			v.add(FieldTerm, "本机关制发的%s文件须明确标注保密期限（年限、月数、日期、解密条件或长期），不能空着", f.Level)
		}
		return Term{Kind: TermDefault}
	case TermLong:
		if f.Level != LevelTopSecret {
			v.add(FieldTerm, "只有绝密可标“长期”，%s请填年限、日期或解密条件", f.Level)
		}
		return Term{Kind: TermLong}
	case TermMonths:
		months := checkInt(v, FieldTermMonths, f.TermMonths, 0, 1, 11, "保密月数")
		if strings.TrimSpace(f.TermMonths) == "" {
			v.add(FieldTermMonths, "请填写保密月数，例如 6")
		}
		return Term{Kind: TermMonths, Months: months}
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
		case !start.IsZero() && !d.After(start):
			v.add(FieldTermUntil, "解密日期必须晚于成文日期（未填成文日期时为收文日期）")
		case !start.IsZero() && max > 0 && d.After(start.AddDate(max, 0, 0)):
			v.add(FieldTermUntil, "%s的保密期限最长 %d 年，解密日期不能晚于 %s", f.Level, max,
				start.AddDate(max, 0, 0).Format(DateLayout))
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
	v.add(FieldTerm, "保密期限的形式不对：只能是年限、月数、日期、解密条件或长期")
	return Term{}
}

// checkCopyNos reads the 份号 field (R22): blank is no number on any of the
// copies; one number is the first of copies consecutive ones; a range
// (000001-000003) or a list (000012、000037) names each. With a range or a
// list, an explicit 份数 must agree with it.
func checkCopyNos(v *ValidationError, s string, copiesGiven bool, copies int) []int {
	s = strings.TrimSpace(NormalizeWidth(s))
	if copies <= 0 {
		return nil
	}
	if s == "" {
		return make([]int, copies)
	}
	nums, ok := ParseCopyNos(s)
	if !ok {
		v.add(FieldCopyNo, "份号“%s”无法识别：应为一个数字（000001）、一段（000001-000003）或以顿号分开的几个（000012、000037）", s)
		return nil
	}
	for _, n := range nums {
		if n < 1 || n > MaxCopyNo {
			v.add(FieldCopyNo, "份号应在 000001 到 %06d 之间", MaxCopyNo)
			return nil
		}
	}
	if len(nums) == 1 {
		if nums[0]+copies-1 > MaxCopyNo {
			v.add(FieldCopies, "份号最大为 %06d，从 %06d 起登记 %d 份会超出", MaxCopyNo, nums[0], copies)
			return nil
		}
		out := make([]int, copies)
		for i := range out {
			out[i] = nums[0] + i
		}
		return out
	}
	if copiesGiven && copies != len(nums) {
		v.add(FieldCopies, "份数 %d 与份号所列的 %d 份不一致，请核对", copies, len(nums))
		return nil
	}
	seen := make(map[int]bool, len(nums))
	for _, n := range nums {
		if seen[n] {
			v.add(FieldCopyNo, "份号 %06d 重复列出，请核对", n)
			return nil
		}
		seen[n] = true
	}
	if len(nums) > MaxCopies {
		v.add(FieldCopies, "一次最多登记 %d 份", MaxCopies)
		return nil
	}
	return nums
}

// ParseCopyNos reads 份号 text: one number (000001), a range (1-3,
// 000001～000003, 1至3) or a list (000012、000037, 12,37), or ranges in a
// list (1-3、7). Numbers may carry a 号 and be full-width.
func ParseCopyNos(s string) ([]int, bool) {
	s = strings.TrimSpace(NormalizeWidth(s))
	var out []int
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == ',' || r == '，' || r == ';' || r == '；' || r == ' '
	})
	if len(parts) == 0 {
		return nil, false
	}
	for _, p := range parts {
		lo, hi, isRange := p, "", false
		for _, sep := range []string{"-", "~", "～", "—", "至", "到"} {
			if a, b, found := strings.Cut(p, sep); found {
				lo, hi, isRange = a, b, true
				break
			}
		}
		x, ok := copyNumber(lo)
		if !ok {
			return nil, false
		}
		if !isRange {
			out = append(out, x)
			continue
		}
		y, ok := copyNumber(hi)
		if !ok || y < x || y-x >= MaxCopies {
			return nil, false
		}
		for n := x; n <= y; n++ {
			out = append(out, n)
		}
	}
	return out, len(out) <= MaxCopies
}

func copyNumber(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "号")
	if s == "" || !isDigits(s) || len(s) > 9 {
		return 0, false
	}
	n, _ := strconv.Atoi(s)
	return n, true
}

// checkPages reads 页数或容量: a number of pages, or for a disc, a USB
// stick or another medium a capacity with its unit (8GB, 650MB, 4.7G).
func checkPages(v *ValidationError, s string, kind CarrierKind) (pages int, capacity string) {
	s = strings.TrimSpace(NormalizeWidth(s))
	if s == "" {
		return 0, ""
	}
	if n := strings.TrimSuffix(s, "页"); isDigits(n) {
		return checkInt(v, FieldPages, n, 0, 0, MaxPages, "页数"), ""
	}
	c, ok := ParseCapacity(s)
	switch {
	case !ok:
		v.add(FieldPages, "页数或容量“%s”无法识别：纸质文件填页数（如 12），光盘、U盘等填容量（如 8GB、650MB）", s)
	case kind.Paper():
		v.add(FieldPages, "%s请填页数（如 12），容量只用于光盘、U盘等电子载体", kind)
	default:
		return 0, c
	}
	return 0, ""
}

// ParseCapacity reads a storage capacity, 8GB, 8 G, 650MB, 4.7GB, 1TB, and
// writes it the one way: a number and KB, MB, GB or TB.
func ParseCapacity(s string) (string, bool) {
	s = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(NormalizeWidth(s)), " ", ""))
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	num, unit := s[:i], strings.TrimSuffix(s[i:], "B")
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f <= 0 || f > 1e6 || strings.HasPrefix(num, ".") || strings.HasSuffix(num, ".") {
		return "", false
	}
	switch unit {
	case "K", "M", "G", "T":
		return num + unit + "B", true
	}
	return "", false
}

// ErrNewerSchema means the database was written by a newer version of the program.
var ErrNewerSchema = errors.New("database is from a newer program version")
