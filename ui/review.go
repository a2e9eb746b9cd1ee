package ui

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// reviewPageSize is how many lines of the review list one read brings.
const reviewPageSize = 100

// reviewPane is the yearly review of secrecy terms (保密法 每年审核, R26):
// the year's list read a page at a time into a virtualised list, each line
// with why it is listed and its outcome. The clerk records 保持 from the
// signed list, opens a carrier to change or lift its term, and prints the
// list; the security officer reads it.
type reviewPane struct {
	svc  Service
	sess *app.Session
	env  env
	win  fyne.Window
	m    *MainUI // the clerk's window; nil for the security officer (read only)

	year   *widget.Select
	count  *widget.Label
	list   *widget.List
	detail *widget.Label
	keep   *widget.Button
	change *widget.Button
	print  *widget.Button
	status statusLine

	gen      int   // the load in force: a page read for an older one is dropped
	fresh    fresh // what the count was last read from
	total    int
	pages    map[int][]app.ReviewRow
	loading  map[int]bool
	selected int
	content  fyne.CanvasObject
}

func newReviewPane(svc Service, sess *app.Session, e env, win fyne.Window, m *MainUI) *reviewPane {
	p := &reviewPane{svc: svc, sess: sess, env: e, win: win, m: m, selected: -1, status: newStatusLine(),
		fresh: newFresh(byDay, app.ChangeCarriers, app.ChangeReviews)}
	this := e.now().Year()
	p.year = widget.NewSelect([]string{strconv.Itoa(this - 1), strconv.Itoa(this), strconv.Itoa(this + 1)}, nil)
	p.year.SetSelected(strconv.Itoa(this)) // read when the tab is first shown
	p.year.OnChanged = func(string) { p.reload() }
	p.count = widget.NewLabel("")
	p.detail = widget.NewLabel("选择一行，查看并登记审核结果。")
	p.detail.Wrapping = fyne.TextWrapWord
	p.list = widget.NewList(func() int { return p.total },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(p.lineText(i)) })
	p.list.OnSelected = func(i widget.ListItemID) {
		p.status.clear()
		p.onSelect(i)
	}
	p.keep = widget.NewButtonWithIcon("登记“保持”…", theme.ConfirmIcon(), func() { p.onKeep() })
	p.change = widget.NewButtonWithIcon("变更或解密…", theme.DocumentIcon(), p.onChange)
	p.print = widget.NewButtonWithIcon("打印审核清单", theme.DocumentPrintIcon(), p.onPrint)
	p.keep.Disable()
	p.change.Disable()
	title := widget.NewLabel("年度审核")
	title.TextStyle.Bold = true
	intro := note("保密法要求每年审核所确定的国家秘密：下列载体的保密期限本年届满或已届满，或解密条件待核查。" +
		"逐件审核：保持的，按签字的审核清单登记决定人；变更、延期或解密的，打开该载体办理。")
	top := container.NewVBox(title, intro,
		container.NewHBox(widget.NewLabel("审核年度"), container.New(widthLayout{100}, p.year), p.count))
	var actions fyne.CanvasObject = container.NewHBox(p.keep, p.change, p.print)
	if m == nil {
		actions = note("由机要员登记审核结果和打印清单。")
	}
	bottom := container.NewVBox(widget.NewSeparator(), p.detail, p.status.Label, actions)
	p.content = container.NewBorder(top, bottom, nil, nil, p.list)
	return p
}

func (p *reviewPane) yearValue() int {
	y, _ := strconv.Atoi(p.year.Selected)
	return y
}

// show is the tab shown again: the list is counted again only when the
// register changed since, or the day turned.
func (p *reviewPane) show() { p.fresh.refresh(p.svc, p.env.now(), p.reload) }

// reload counts the year's list again and forgets the pages read.
func (p *reviewPane) reload() {
	p.gen++
	gen, year := p.gen, p.yearValue()
	p.fresh.start(p.svc, p.env.now())
	p.pages, p.loading = map[int][]app.ReviewRow{}, map[int]bool{}
	p.selected = -1
	p.list.UnselectAll()
	p.count.SetText("正在读取…")
	p.env.run(func() {
		n, err := p.svc.ReviewCount(p.sess, year)
		fyne.Do(func() {
			if err != nil {
				p.fresh.forget()
			}
			if gen != p.gen {
				return
			}
			if err != nil {
				p.fail("读取年度审核清单", err)
				return
			}
			p.total = int(n)
			p.count.SetText(fmt.Sprintf("共 %d 件", n))
			p.list.Refresh()
		})
	})
}

// row is line i when its page has been read; otherwise it starts reading it.
func (p *reviewPane) row(i int) (app.ReviewRow, bool) {
	page := i / reviewPageSize
	if rows, ok := p.pages[page]; ok {
		if k := i % reviewPageSize; k < len(rows) {
			return rows[k], true
		}
		return app.ReviewRow{}, false
	}
	if !p.loading[page] {
		p.loading[page] = true
		gen, year := p.gen, p.yearValue()
		p.env.run(func() {
			rows, err := p.svc.ReviewPage(p.sess, year, page*reviewPageSize, reviewPageSize)
			fyne.Do(func() {
				if gen != p.gen {
					return
				}
				delete(p.loading, page)
				if err != nil {
					p.fail("读取年度审核清单", err)
					return
				}
				p.pages[page] = rows
				p.list.Refresh()
				if p.selected >= 0 && p.selected/reviewPageSize == page {
					p.onSelect(p.selected)
				}
			})
		})
	}
	return app.ReviewRow{}, false
}

func (p *reviewPane) lineText(i int) string {
	r, ok := p.row(i)
	if !ok {
		return "正在读取…"
	}
	end := r.Expiry
	if end == "" && r.Why == app.ReviewCheck {
		end = "解密条件：" + r.Carrier.TermCondition
	}
	return fmt.Sprintf("%d. %s  %s  %s  %s  %s  [%s] %s", i+1, r.Carrier.RegNo, r.Carrier.Marking(), trimTitle(r.Carrier.Title),
		end, r.Why, r.Outcome, strings.TrimSpace(r.By+" "+r.On))
}

func trimTitle(t string) string {
	if r := []rune(t); len(r) > 24 {
		return string(r[:24]) + "…"
	}
	return t
}

func (p *reviewPane) onSelect(i widget.ListItemID) {
	p.selected = i
	r, ok := p.row(i)
	if !ok {
		p.detail.SetText("正在读取…")
		return
	}
	c := r.Carrier
	p.detail.SetText(fmt.Sprintf("%s  %s《%s》  %s  责任人 %s\n%s；审核结果：%s %s", c.RegNo, c.DocNumber, c.Title,
		c.Marking(), c.Custodian, r.Why, r.Outcome, strings.TrimSpace(r.By+" "+r.On)))
	open := r.Outcome == "待审核" && c.State.Held()
	setEnabled(p.keep, open && r.Why != app.ReviewExpired && r.Why != app.ReviewChanged)
	setEnabled(p.change, c.State.Held())
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

func (p *reviewPane) fail(what string, err error) {
	if msg, ok := knownError(err); ok {
		p.status.fail(msg)
		return
	}
	if p.m != nil {
		p.m.unexpected(what, err)
		return
	}
	p.status.fail(what + "时出现了程序未预料的错误")
}

// onChange opens the carrier in the ledger, where its term is changed or
// lifted (R20).
func (p *reviewPane) onChange() {
	if r, ok := p.row(p.selected); ok && p.m != nil {
		p.m.home.onOpenOverdue(r.Carrier.ID)
	}
}

func (p *reviewPane) onPrint() {
	if p.m != nil {
		p.m.printForm(app.FormReview, p.year.Selected)
	}
}

// keepDialog records 保持 from the signed review list: who decided, when,
// and a note.
type keepDialog struct {
	p        *reviewPane
	row      app.ReviewRow
	approver *widget.Select
	ids      map[string]string
	on, note *entry
	msgs     *fieldMessages
	save     *widget.Button
	dlg      *dialog.CustomDialog
}

func (p *reviewPane) onKeep() *keepDialog {
	r, ok := p.row(p.selected)
	if !ok {
		return nil
	}
	d := &keepDialog{p: p, row: r, approver: widget.NewSelect(nil, nil), ids: map[string]string{},
		on: newEntry(), note: newEntry(), msgs: newFieldMessages()}
	d.approver.PlaceHolder = "正在读取审批人…"
	d.on.SetText(p.env.now().Format(models.DateLayout))
	d.note.SetPlaceHolder("例如“经审核仍需保密”")
	body := container.NewVBox(newCJKText(fmt.Sprintf("%d 年度审核：%s %s 保持原密级和保密期限。", p.yearValue(),
		r.Carrier.RegNo, r.Carrier.Marking())), d.msgs.top,
		formOf(d.msgs.row(app.FieldApprover, "决定人", d.approver),
			d.msgs.row(app.FieldDecidedOn, "决定日期", container.New(widthLayout{160}, d.on)),
			d.msgs.row(app.FieldReviewNote, "说明", d.note)))
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(p.win, "登记审核结果：保持", body, "保存", theme.DocumentSaveIcon(), d.onSave,
		func() { d.dlg.Hide() }, fyne.NewSize(600, 340))
	d.dlg.Show()
	p.env.run(func() {
		list, err := p.svc.Approvers(p.sess)
		fyne.Do(func() {
			if err != nil {
				p.fail("读取审批人", err)
				return
			}
			var names []string
			for _, a := range list {
				if a.May(models.ApproveDeclassify, r.Carrier.Level) {
					names = append(names, a.Name)
					d.ids[a.Name] = a.ID
				}
			}
			d.approver.PlaceHolder = "选择作出决定的审批人"
			d.approver.SetOptions(names)
			if len(names) == 1 {
				d.approver.SetSelected(names[0])
			}
		})
	})
	return d
}

func (d *keepDialog) onSave() {
	d.msgs.clear()
	p := d.p
	in := app.ReviewInput{Year: p.yearValue(), CarrierID: d.row.Carrier.ID, ApproverID: d.ids[d.approver.Selected],
		DecidedOn: d.on.Text, Note: d.note.Text}
	if in.ApproverID == "" {
		d.msgs.add(app.FieldApprover, "请选择作出决定的审批人（须有解密/变更的审批权限）")
		return
	}
	if _, err := p.svc.KeepTerm(p.sess, in); err != nil {
		d.msgs.explain(err, "登记审核结果", func(what string, err error) { p.fail(what, err) })
		return
	}
	d.dlg.Hide()
	p.status.ok(fmt.Sprintf("已登记：%s 保持 %s。", d.row.Carrier.RegNo, d.row.Carrier.Marking()))
	page := p.selected / reviewPageSize
	delete(p.pages, page)
	p.list.Refresh()
}
