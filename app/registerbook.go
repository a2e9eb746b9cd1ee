package app

import (
	"fmt"
	"io"
	"strings"

	"secdoc/models"
	"secdoc/reports"
)

// registerJob gathers the register books for the selection q (R26): the
// 收文登记簿 and the 发文登记簿, or the one q's direction keeps, each in
// registration order with every carrier's 状态/去向. The marking defaults to
// the highest level and longest term in them (R16's 汇编 rule).
func (s *Service) registerJob(sess *Session, q Query) (printJob, error) {
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return printJob{}, err
	}
	q.Sort, q.Asc = SortSeq, true
	if err := checkPeriod(q.From, q.To); err != nil {
		return printJob{}, err
	}
	n, err := s.Count(sess, q)
	if err != nil {
		return printJob{}, err
	}
	if n > int64(MaxRegisterRows) {
		return printJob{}, fieldError("", models.ErrTooLarge,
			"所选共 %d 件，超过一次打印的上限 %d 件，请按年份、密级或状态缩小范围后分册打印", n, MaxRegisterRows)
	}
	head := s.printHead(sess)
	dirs := []models.Direction{models.DirIncoming, models.DirOutgoing}
	if q.Direction != "" {
		dirs = []models.Direction{q.Direction}
	}
	var books []reports.RegisterBook
	var marked []models.Carrier // the 国家秘密 carriers, for the default marking
	total := 0
	for _, d := range dirs {
		dq := q
		dq.Direction = d
		book := reports.RegisterBook{Head: head, Name: "收文登记簿", Filter: q.Describe()}
		if d == models.DirOutgoing {
			book.Name, book.Outgoing = "发文登记簿", true
		}
		for after := int64(0); ; {
			page, err := s.pageAfter(dq, after, 1000)
			if err != nil {
				return printJob{}, err
			}
			if len(page) > 0 {
				after = page[len(page)-1].Seq
			}
			where, err := s.whereabouts(page)
			if err != nil {
				return printJob{}, err
			}
			for i := range page {
				c := &page[i]
				l := carrierLine(c)
				l.Marking, l.DocDate, l.Where = markText(c), c.DocDate, where[c.ID]
				if d == models.DirOutgoing && l.Issuer == "" {
					l.Issuer = head.Office
				}
				book.Rows = append(book.Rows, l)
				if c.Level.IsStateSecret() || len(marked) == 0 {
					marked = append(marked, *c)
				}
			}
			if len(page) < 1000 {
				break
			}
		}
		total += len(book.Rows)
		if len(book.Rows) > 0 || q.Direction != "" {
			books = append(books, book)
		}
	}
	if len(books) == 0 { // nothing selected: the 收文登记簿, empty
		books = append(books, reports.RegisterBook{Head: head, Name: "收文登记簿", Filter: q.Describe()})
	}
	books[0].Marking = listMark(marked)
	name := "登记簿"
	if len(books) == 1 {
		name = books[0].Name
	}
	info, _ := FormByKind(FormRegister)
	info.Name = strings.Join(registerBookNames(books), "、")
	return printJob{
		list: true,
		out: Printout{Form: info, Object: name + "（" + books[0].Filter + "）", Carriers: total, Marking: books[0].Marking,
			FileName: safeFileName(fmt.Sprintf("%s(%s)", name, head.Printed.Local().Format("2006.01.02"))) + ".pdf"},
		render: func(w io.Writer, o reports.Options) error { return reports.RenderRegisters(w, books, o) },
	}, nil
}

// pageAfter reads up to limit carriers of q after registration number
// after, in registration order: a book reads on from where its last page
// ended, however far into the register that is.
func (s *Service) pageAfter(q Query, after int64, limit int) ([]models.Carrier, error) {
	from, where, args, _ := q.sqlParts()
	and := " WHERE "
	if where != "" {
		and = where + " AND "
	}
	var out []models.Carrier
	err := s.db.Raw(`SELECT c.* FROM `+from+and+`c.seq > ? ORDER BY c.seq LIMIT ?`, append(args, after, limit)...).
		Scan(&out).Error
	return out, err
}

func registerBookNames(books []reports.RegisterBook) []string {
	out := make([]string, len(books))
	for i, b := range books {
		out[i] = b.Name
	}
	return out
}

// markText is a carrier's 密级★期限 as the books print it: the term as
// the law writes it, 未标注期限 where none was marked (R26).
func markText(c *models.Carrier) string {
	if !c.Level.IsStateSecret() {
		return c.Level.String()
	}
	return c.Level.String() + "★" + models.TermText(c.Level, c.Term())
}

// checkPeriod refuses a period whose ends are not dates or are reversed.
func checkPeriod(from, to string) error {
	for _, d := range []string{from, to} {
		if d == "" {
			continue
		}
		if _, err := models.ParseDate(d); err != nil {
			return fieldError("", models.ErrBadPeriod, "日期“%s”无效，请按 2026-01-01 的格式填写", d)
		}
	}
	if from != "" && to != "" && from > to {
		return fieldError("", models.ErrBadPeriod, "起始日期 %s 晚于截止日期 %s，请核对", from, to)
	}
	return nil
}

// whereabouts is the 状态/去向 of each carrier of a page (R26): where it is
// kept, to whom it was lent or sent and when, or when and how it left the
// register. Read with one query per kind of act for the whole page.
func (s *Service) whereabouts(page []models.Carrier) (map[string]string, error) {
	out := make(map[string]string, len(page))
	ids := map[models.State][]string{}
	for i := range page {
		c := &page[i]
		out[c.ID] = c.State.String()
		if c.State == models.StateInStore && c.Location != "" {
			out[c.ID] += " " + c.Location
		}
		ids[c.State] = append(ids[c.State], c.ID)
	}
	type row struct{ CarrierID, Text string }
	read := func(st models.State, sql string) error {
		if len(ids[st]) == 0 {
			return nil
		}
		var rows []row
		if err := s.db.Raw(sql, ids[st]).Scan(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			out[r.CarrierID] = strings.Join(strings.Fields(st.String()+" "+r.Text), " ")
		}
		return nil
	}
	for _, q := range []struct {
		st  models.State
		sql string
	}{
		{models.StateOnLoan, `SELECT carrier_id, borrower || ' 至 ' || due_on AS text FROM loans WHERE state = 'out' AND carrier_id IN ?`},
		{models.StateTakenOut, `SELECT carrier_id, borrower || ' ' || destination || ' 至 ' || due_on AS text FROM loans WHERE state = 'out' AND carrier_id IN ?`},
		{models.StateSent, `SELECT carrier_id, recipient || ' ' || sent_on || ' ' || channel ||
			CASE WHEN receipt_on <> '' THEN ' ' || receipt || ' ' || receipt_on ELSE ' 未回执' END AS text
			FROM sendings WHERE returned_on = '' AND carrier_id IN ?`},
		{models.StateDestroyed, `SELECT i.carrier_id, b.destroyed_on || ' ' || b.slip_no AS text
			FROM destruction_items i JOIN destruction_batches b ON b.id = i.batch_id
			WHERE b.state = 'destroyed' AND i.carrier_id IN ?`},
		{models.StateReturned, `SELECT i.carrier_id, b.issuer || ' ' || b.handed_over_on || ' ' || b.slip_no AS text
			FROM return_items i JOIN return_batches b ON b.id = i.batch_id
			WHERE b.handed_over_on <> '' AND i.carrier_id IN ?`},
		{models.StateArchived, `SELECT carrier_id, archived_on || ' 档号 ' || file_no AS text FROM archives WHERE carrier_id IN ?`},
	} {
		if err := read(q.st, q.sql); err != nil {
			return nil, err
		}
	}
	return out, nil
}
