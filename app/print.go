package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gorm.io/gorm"

	"secdoc/models"
	"secdoc/reports"
)

// FormKind names a printable form.
type FormKind string

// The printable forms.
const (
	FormFlow        FormKind = "flow"        // 文件阅办单
	FormCirculation FormKind = "circulation" // 文件传阅单
	FormCopy        FormKind = "copy"        // 涉密文件复制（复印）审批单
	FormCopyLabels  FormKind = "copylabels"  // 复制件标识: the 复制戳 stickers (R23)
	FormClassify    FormKind = "classify"    // 定密审批表 (R24)
	FormDispatch    FormKind = "dispatch"    // 发文分发登记表 (R25)
	FormCourier     FormKind = "courier"     // 送文簿 (R25)
	FormUrge        FormKind = "urge"        // 催办催阅单 (R27)
	FormLoan        FormKind = "loan"        // 涉密载体借阅审批单 / 外出携带审批单
	FormDestruction FormKind = "destruction" // 涉密载体销毁审批表 and 销毁清单
	FormReturn      FormKind = "return"      // 清退清单
	FormHandover    FormKind = "handover"    // 交接清单
	FormInspection  FormKind = "inspection"  // 自查登记表
	FormRegister    FormKind = "register"    // 收文登记簿 and 发文登记簿 (R26)
	FormReview      FormKind = "review"      // 年度国家秘密保密期限审核清单 (R26)
)

// FormInfo describes a printable form for menus and --help.
type FormInfo struct {
	Kind FormKind
	Name string // the form's Chinese name
	ID   string // what identifies one, in words
}

// Forms lists every printable form, in the order a clerk meets them.
var Forms = []FormInfo{
	{FormFlow, "文件阅办单", "登记号或阅办单号（阅〔2026〕0001）"},
	{FormCirculation, "文件传阅单", "阅办单号或登记号（最近一次传阅）"},
	{FormCopy, "涉密文件复制（复印）审批单", "复制单号（复〔2026〕0001）"},
	{FormCopyLabels, "复制件标识（复制戳）", "复制单号（复〔2026〕0001）"},
	{FormClassify, "定密审批表", "定密单号（定〔2026〕0001）"},
	{FormDispatch, "发文分发登记表", "本机关制发文件任一份的登记号（发〔2026〕0003）"},
	{FormCourier, "送文簿", "分发日期（2026-11-23）或日期/渠道（2026-11-23/机要交通）"},
	{FormUrge, "催办催阅单", "检查日期（2026-11-23）"},
	{FormLoan, "涉密载体借阅/外出携带审批单", "借阅单号（借〔2026〕0001）或外出携带单号（携〔2026〕0001）"},
	{FormDestruction, "涉密载体销毁审批表及销毁清单", "销毁单号（销〔2026〕0001）"},
	{FormReturn, "清退清单", "清退单号（退〔2026〕0001）"},
	{FormHandover, "交接清单", "交接单号（交〔2026〕0001）"},
	{FormInspection, "自查登记表", "自查单号（查〔2026〕0001）"},
	{FormReview, "年度保密期限审核清单", "审核年度（2026）"},
	{FormRegister, "收文登记簿、发文登记簿", "台账的筛选条件"},
}

// FormByKind finds a form's description.
func FormByKind(k FormKind) (FormInfo, bool) {
	for _, f := range Forms {
		if f.Kind == k {
			return f, true
		}
	}
	return FormInfo{}, false
}

// MaxRegisterRows bounds a printed register (about 2,400 pages of A4, a few
// seconds' work): beyond it the selection is refused with a message to
// print it in volumes by year, level or state.
var MaxRegisterRows = 50000

// ErrUnknownForm is returned for a form name that is not in Forms.
var ErrUnknownForm = errors.New("unknown form")

// Printout describes a printed form.
type Printout struct {
	Form     FormInfo
	Object   string // the slip or register number printed
	FileName string // the file name rule R13 gives it, with .pdf
	Carriers int    // how many carriers it lists
	Marking  string // a list's or book's default marking (R26), "" for a slip
}

// printJob is a form gathered from the register and ready to render.
type printJob struct {
	out      Printout
	carriers []string // whose history records the printing
	list     bool     // a list or book whose marking the clerk confirms (R26)
	render   func(w io.Writer, o reports.Options) error
}

// Print renders one form as PDF onto w and records the printing: an event
// in the history of every carrier on it and an audit record, in one
// transaction with the writing, so a printout that failed is not recorded
// and a recorded one was written. id is a register or slip number as typed
// or scanned (see FormInfo.ID). Clerk only.
func (s *Service) Print(sess *Session, form FormKind, id string, opt reports.Options, w io.Writer) (_ Printout, err error) {
	defer s.refused(sess, "Print", id, &err)
	job, err := s.formJob(sess, form, id)
	if err != nil {
		return Printout{}, err
	}
	return job.out, s.writePrintout(sess, job, opt, toWriter(w))
}

// PrintToFile is Print into a file. When path is a folder the file takes
// the name rule R13 gives it (Printout.FileName) there, with (2), (3)… added
// rather than replacing an earlier printout; a file path is written through
// a temporary file and replaces what was there. It returns the path written.
func (s *Service) PrintToFile(sess *Session, form FormKind, id string, opt reports.Options, path string) (_ Printout, _ string, err error) {
	defer s.refused(sess, "PrintToFile", id, &err)
	job, err := s.formJob(sess, form, id)
	if err != nil {
		return Printout{}, "", err
	}
	return s.saveJob(sess, job, opt, path)
}

// PrintRegister prints the register 涉密文件登记簿 for the selection q, in
// the ledger's order, onto w. The printing is audited. Clerk only.
func (s *Service) PrintRegister(sess *Session, q Query, opt reports.Options, w io.Writer) (_ Printout, err error) {
	defer s.refused(sess, "PrintRegister", "", &err)
	job, err := s.registerJob(sess, q)
	if err != nil {
		return Printout{}, err
	}
	return job.out, s.writePrintout(sess, job, opt, toWriter(w))
}

// PrintRegisterToFile is PrintRegister into a file or folder, as PrintToFile.
func (s *Service) PrintRegisterToFile(sess *Session, q Query, opt reports.Options, path string) (_ Printout, _ string, err error) {
	defer s.refused(sess, "PrintRegisterToFile", "", &err)
	job, err := s.registerJob(sess, q)
	if err != nil {
		return Printout{}, "", err
	}
	return s.saveJob(sess, job, opt, path)
}

// saveJob writes a gathered printout into path, a file or a folder (see
// PrintToFile), recorded as writePrintout does.
func (s *Service) saveJob(sess *Session, job printJob, opt reports.Options, path string) (Printout, string, error) {
	path, err := printPath(path, job.out.FileName)
	if err != nil {
		return Printout{}, "", err
	}
	return job.out, path, s.writePrintout(sess, job, opt, toFile(path))
}

func toWriter(w io.Writer) func([]byte) error {
	return func(b []byte) error {
		_, err := w.Write(b)
		return err
	}
}

func toFile(path string) func([]byte) error {
	return func(b []byte) error {
		_, err := writeFileAtomic(path, func(w io.Writer) (int, error) { return w.Write(b) })
		return err
	}
}

// printPath is where a printout goes: path itself, or a free name in the
// folder path.
func printPath(path, name string) (string, error) {
	st, err := os.Stat(path)
	if err != nil || !st.IsDir() {
		if !strings.HasSuffix(strings.ToLower(path), ".pdf") {
			path += ".pdf"
		}
		return path, nil
	}
	return FreePath(path, name)
}

// FreePath is a path for a new file named name in the folder dir: name
// itself, or name (2), name (3)… rather than replacing an earlier file.
func FreePath(dir, name string) (string, error) {
	ext := filepath.Ext(name)
	base := strings.TrimSuffix(name, ext)
	for i := 1; i < 1000; i++ {
		p := filepath.Join(dir, name)
		if i > 1 {
			p = filepath.Join(dir, fmt.Sprintf("%s (%d)%s", base, i, ext))
		}
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			return p, nil
		}
	}
	return "", fmt.Errorf("no free file name for %s in %s", name, dir)
}

// formJob gathers one form from the register.
func (s *Service) formJob(sess *Session, form FormKind, id string) (printJob, error) {
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return printJob{}, err
	}
	info, ok := FormByKind(form)
	if !ok || form == FormRegister {
		return printJob{}, fmt.Errorf("%w: %s", ErrUnknownForm, form)
	}
	id = models.NormalizeRegNo(id)
	if id == "" {
		return printJob{}, fieldError("", models.ErrNotFound, "请输入%s", info.ID)
	}
	head := s.printHead(sess)
	var job printJob
	var err error
	switch form {
	case FormFlow:
		job, err = s.flowJob(head, id)
	case FormCirculation:
		job, err = s.circulationJob(head, id)
	case FormCopy:
		job, err = s.copyJob(head, id)
	case FormCopyLabels:
		job, err = s.copyLabelsJob(head, id)
	case FormClassify:
		job, err = s.classifyJob(head, id)
	case FormDispatch:
		job, err = s.dispatchJob(sess, head, id)
	case FormCourier:
		job, err = s.courierJob(sess, head, id)
	case FormUrge:
		job, err = s.urgeJob(sess, head, id)
	case FormLoan:
		job, err = s.loanJob(head, id)
	case FormDestruction:
		job, err = s.destructionJob(head, id)
	case FormReturn:
		job, err = s.returnJob(head, id)
	case FormHandover:
		job, err = s.handoverJob(head, id)
	case FormInspection:
		job, err = s.inspectionJob(head, id)
	case FormReview:
		job, err = s.reviewJob(sess, head, id)
	}
	if job.out.Form.Kind == "" {
		job.out.Form = info
	}
	return job, err
}

func (s *Service) printHead(sess *Session) reports.Head {
	return reports.Head{Office: s.OfficeName(), PrintedBy: sess.FullName, Printed: s.now()}
}

// writePrintout renders the form, then records and saves it in one
// transaction: if saving fails, nothing is recorded.
func (s *Service) writePrintout(sess *Session, job printJob, opt reports.Options, save func([]byte) error) error {
	marking, err := s.confirmMarking(job, &opt)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := job.render(&buf, opt); err != nil {
		return fmt.Errorf("render %s: %w", job.out.Form.Name, err)
	}
	mode := ""
	if opt.DataOnly {
		mode = fmt.Sprintf("（套打，偏移 %.1f/%.1f 毫米）", opt.OffsetX, opt.OffsetY)
	}
	reason := fmt.Sprintf("打印《%s》%s%s%s", job.out.Form.Name, job.out.Object, mode, marking)
	return s.write(func(tx *gorm.DB) error {
		at := s.now()
		for _, id := range job.carriers {
			if err := addEvent(tx, at, sess, id, 0, models.ActionPrint, "", "", "", reason); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("%s，%d 件，%d 字节", reason, job.out.Carriers, buf.Len())
		if err := s.audit(tx, sess, models.EventPrint, job.out.Object, true, detail); err != nil {
			return err
		}
		if err := save(buf.Bytes()); err != nil {
			return fmt.Errorf("write %s: %w", job.out.FileName, err)
		}
		return nil
	})
}
