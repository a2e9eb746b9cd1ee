package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"secdoc/models"
	"secdoc/reports"
)

// InspectorCopy is what WriteInspectorCopy wrote.
type InspectorCopy struct {
	Dir   string   // the folder made
	Files []string // the files in it, by name, in the order written
}

// inspectorStep is one file of the inspector's copy.
type inspectorStep struct {
	name  string
	write func(path string) error
}

// WriteInspectorCopy writes the year's papers for the 保密检查 (R26) into a
// new folder 保密检查材料(2026年) under dir (with (2), (3)… when one
// exists): the 收文登记簿 and 发文登记簿, the register as .xlsx, every
// running book as PDF and .xlsx, the yearly review list, and the year's
// statistics as PDF and .xlsx. Every file
// bears its default marking confirmed by the 定密责任人 classifier and is
// audited as it is written, and the whole copy once more. progress is told
// of each file. A refusal leaves what was written and says so. Clerk only.
func (s *Service) WriteInspectorCopy(sess *Session, year int, dir, classifier string, progress func(done, total int)) (_ InspectorCopy, err error) {
	defer s.refused(sess, "WriteInspectorCopy", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return InspectorCopy{}, err
	}
	if year < 2000 || year > s.today().Year() {
		return InspectorCopy{}, fieldError(FieldReviewYear, models.ErrBadPeriod, "检查年度应为 2000 至 %d 年之间的年份", s.today().Year())
	}
	if strings.TrimSpace(classifier) == "" {
		return InspectorCopy{}, fieldError(FieldClassifier, models.ErrBadMarking,
			"请选择确定各份材料密级标志的定密责任人：检查材料按所列载体的最高密级和最长保密期限标志，由其确定")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return InspectorCopy{}, fieldError("", models.ErrNotFound, "找不到文件夹“%s”：请选择一个已有的文件夹（如 U 盘）", dir)
	}
	out, err := newFolder(dir, fmt.Sprintf("保密检查材料(%d年)", year))
	if err != nil {
		return InspectorCopy{}, err
	}
	opt := reports.Options{Classifier: classifier}
	from, to := fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year)
	var steps []inspectorStep
	for _, d := range []models.Direction{models.DirIncoming, models.DirOutgoing} {
		name := map[models.Direction]string{models.DirIncoming: "收文登记簿", models.DirOutgoing: "发文登记簿"}[d]
		parts, err := s.registerParts(sess, year, d)
		if err != nil {
			return InspectorCopy{}, err
		}
		for _, q := range parts {
			q := q
			file := fmt.Sprintf("01 %s(%d).pdf", name, year)
			if len(parts) > 1 { // a year too large for one printout, in parts by month
				file = fmt.Sprintf("01 %s(%s至%s).pdf", name, q.From[5:], q.To[5:])
			}
			steps = append(steps, inspectorStep{file, func(p string) error {
				_, _, err := s.PrintRegisterToFile(sess, q, opt, p)
				return err
			}})
		}
	}
	steps = append(steps, inspectorStep{fmt.Sprintf("02 涉密载体台账(%d).xlsx", year), func(p string) error {
		_, err := s.ExportLedgerFile(sess, Query{Year: year, Sort: SortSeq, Asc: true}, p, nil)
		return err
	}})
	for i, b := range Books {
		b := b
		n := fmt.Sprintf("%02d %s(%d)", 3+i, b.Name, year)
		steps = append(steps, inspectorStep{n + ".pdf", func(p string) error {
			_, _, err := s.PrintBookToFile(sess, b.Kind, from, to, opt, p)
			return err
		}}, inspectorStep{n + ".xlsx", func(p string) error {
			_, err := s.ExportBookFile(sess, b.Kind, from, to, opt, p)
			return err
		}})
	}
	steps = append(steps, inspectorStep{fmt.Sprintf("%02d %d年度保密期限审核清单.pdf", 3+len(Books), year), func(p string) error {
		_, _, err := s.PrintToFile(sess, FormReview, fmt.Sprint(year), opt, p)
		return err
	}})
	steps = append(steps, s.annualSteps(sess, year, opt, 4+len(Books))...)
	res := InspectorCopy{Dir: out}
	for i, st := range steps {
		if progress != nil {
			progress(i, len(steps))
		}
		if err := st.write(filepath.Join(out, st.name)); err != nil {
			if len(res.Files) == 0 {
				_ = os.Remove(out) // nothing was written: no empty folder is left behind
				res.Dir = ""
			}
			_ = s.auditAlone(sess, models.EventExport, filepath.Base(out), false,
				fmt.Sprintf("生成 %d 年度保密检查材料中止于“%s”（已写 %d 个文件）", year, st.name, len(res.Files)))
			return res, err
		}
		res.Files = append(res.Files, st.name)
	}
	if progress != nil {
		progress(len(steps), len(steps))
	}
	return res, s.auditAlone(sess, models.EventExport, filepath.Base(out), true,
		fmt.Sprintf("生成 %d 年度保密检查材料 %d 个文件到 %s，标志由定密责任人 %s 确定", year, len(res.Files), out, classifier))
}

// newFolder makes a folder named name in dir, readable by its owner only,
// or name (2), name (3)… when one is there.
func newFolder(dir, name string) (string, error) {
	for i := 1; i < 100; i++ {
		p := filepath.Join(dir, name)
		if i > 1 {
			p = filepath.Join(dir, fmt.Sprintf("%s (%d)", name, i))
		}
		err := os.Mkdir(p, 0o700)
		if err == nil {
			return p, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return "", err
		}
	}
	return "", fmt.Errorf("no free folder name for %s in %s", name, dir)
}

// annualSteps are the year's statistics in the inspector's copy, numbered
// from n.
func (s *Service) annualSteps(sess *Session, year int, opt reports.Options, n int) []inspectorStep {
	name := fmt.Sprintf("%02d %d年度涉密载体统计表", n, year)
	return []inspectorStep{{name + ".pdf", func(p string) error {
		_, _, err := s.PrintAnnualToFile(sess, year, opt, p)
		return err
	}}, {name + ".xlsx", func(p string) error {
		_, err := s.ExportAnnualFile(sess, year, p)
		return err
	}}}
}

// registerParts are the selections a year's register book of direction d
// is printed in: the year at once, or, when it holds more than one
// printout may (MaxRegisterRows), runs of whole months that each fit.
func (s *Service) registerParts(sess *Session, year int, d models.Direction) ([]Query, error) {
	whole := Query{Year: year, Direction: d}
	n, err := s.Count(sess, whole)
	if err != nil || n <= int64(MaxRegisterRows) {
		return []Query{whole}, err
	}
	var months []struct {
		M string
		N int64
	}
	if err := s.db.Raw(`SELECT substr(reg_date, 6, 2) AS m, count(*) AS n FROM carriers
		WHERE year = ? AND direction = ? GROUP BY m ORDER BY m`, year, string(d)).Scan(&months).Error; err != nil {
		return nil, err
	}
	var parts []Query
	var size int64
	for _, m := range months {
		last := lastDay(year, m.M)
		if len(parts) == 0 || size+m.N > int64(MaxRegisterRows) {
			parts = append(parts, Query{Direction: d, From: fmt.Sprintf("%d-%s-01", year, m.M), To: last})
			size = 0
		}
		parts[len(parts)-1].To = last
		size += m.N
	}
	return parts, nil
}

// lastDay is the last day of month mm ("01"–"12") of year, yyyy-mm-dd.
func lastDay(year int, mm string) string {
	var m int
	fmt.Sscanf(mm, "%d", &m)
	return time.Date(year, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Format(models.DateLayout)
}
