package ui

import (
	"fmt"
	"io"
	"log"
	"os"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// auditPageSize is how many audit records one page shows.
const auditPageSize = 100

// auditTimeLayout is how audit times are shown, in local time.
const auditTimeLayout = "2006-01-02 15:04:05"

// auditColumn is one column of the audit table.
type auditColumn struct {
	tableColumn
	text func(r *models.AuditRecord) string
}

var auditColumns = []auditColumn{
	{tableColumn{"序号", 70}, func(r *models.AuditRecord) string { return fmt.Sprint(r.Seq) }},
	{tableColumn{"时间", 175}, func(r *models.AuditRecord) string { return r.At.Local().Format(auditTimeLayout) }},
	{tableColumn{"用户", 110}, func(r *models.AuditRecord) string { return orDash(r.Login) }},
	{tableColumn{"角色", 130}, func(r *models.AuditRecord) string {
		if r.Role == "" {
			return "—"
		}
		return r.Role.String()
	}},
	{tableColumn{"事件", 120}, func(r *models.AuditRecord) string { return app.EventLabel(r.Event) }},
	{tableColumn{"对象", 200}, func(r *models.AuditRecord) string { return r.Object }},
	{tableColumn{"结果", 60}, func(r *models.AuditRecord) string { return resultText(r.Success) }},
	{tableColumn{"详情", 460}, func(r *models.AuditRecord) string { return r.Detail }},
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func resultText(ok bool) string {
	if ok {
		return "成功"
	}
	return "失败"
}

// eventOrder is the order the 事件 filter offers the event types in: what
// happens most and what the auditor looks for first.
var eventOrder = []string{
	models.EventSignIn, models.EventSignOut, models.EventLock, models.EventUnlock, models.EventDenied, models.EventRuleDenied,
	models.EventPasswordChange, models.EventUserCreate, models.EventUserChange, models.EventPolicyChange,
	models.EventSettingsChange, models.EventRegister, models.EventEdit, models.EventVoid, models.EventView,
	models.EventPrint, models.EventExport, models.EventBackup, models.EventRestore, models.EventAuditVerify,
	models.EventAuditRead, models.EventSetup,
}

// eventChoices are the 事件 filter's options: 全部, then every event type's
// label; types not in eventOrder follow in the order of their labels.
func eventChoices() []string {
	out := []string{filterAll}
	seen := map[string]bool{}
	for _, e := range eventOrder {
		if l, ok := models.EventLabels[e]; ok {
			out = append(out, l)
			seen[e] = true
		}
	}
	var rest []string
	for e, l := range models.EventLabels {
		if !seen[e] {
			rest = append(rest, l)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// eventOf is the event type of a filter label, "" for 全部.
func eventOf(label string) string {
	for e, l := range models.EventLabels {
		if l == label {
			return e
		}
	}
	return ""
}

// auditHome is the auditor's: the audit trail with filters, a page at a
// time, the check of its integrity, and its export as CSV or PDF. Only the auditor
// reads the trail (R18); nobody can change it.
type auditHome struct {
	s *Shell

	from, to, login, object   *entry
	event                     *widget.Select
	search, reset             *widget.Button
	prev, next                *widget.Button
	verify, export, exportPDF *widget.Button
	seal, checkSeal, accept   *widget.Button
	filterMsg                 statusLine
	status                    statusLine    // answers of 导出
	alarm                     *widget.Label // the chain does not reach its head
	verdict                   *widget.Label
	total                     *widget.Label
	pageLabel                 *widget.Label
	detail                    *widget.Label
	table                     *widget.Table

	q       app.AuditQuery // the applied filters
	page    int
	recs    []models.AuditRecord
	count   int64
	gen     generation // answers to an older load are dropped
	content fyne.CanvasObject
}

func newAuditHome(s *Shell) *auditHome {
	h := &auditHome{s: s}
	h.buildUI()
	h.load()
	return h
}

func (h *auditHome) buildUI() {
	entry := func(hint string) *entry {
		e := newEntry()
		e.SetPlaceHolder(hint)
		e.OnSubmitted = func(string) { h.onSearch() }
		return e
	}
	h.from = entry("例如 2026-01-01")
	h.to = entry("例如 2026-12-31")
	h.login = entry("登录名")
	h.object = entry("登记号、登录名、文件……")
	h.event = widget.NewSelect(eventChoices(), nil)
	h.event.SetSelected(filterAll)
	h.search = widget.NewButtonWithIcon("查询", theme.SearchIcon(), h.onSearch)
	h.search.Importance = widget.HighImportance
	h.reset = widget.NewButtonWithIcon("重置", theme.ContentUndoIcon(), h.onReset)
	h.filterMsg = newStatusLine()

	h.verify = widget.NewButtonWithIcon("校验完整性", theme.ConfirmIcon(), h.onVerify)
	h.export = widget.NewButtonWithIcon("导出 CSV", theme.DocumentSaveIcon(), func() { h.onExport(exportCSV) })
	h.exportPDF = widget.NewButtonWithIcon("导出 PDF", theme.DocumentPrintIcon(), func() { h.onExport(exportPDF) })
	h.status = newStatusLine()
	h.verdict = widget.NewLabel("")
	h.verdict.Wrapping = fyne.TextWrapBreak
	h.verdict.TextStyle.Bold = true
	h.verdict.Hide()
	h.seal = widget.NewButtonWithIcon("审计印记", theme.InfoIcon(), h.onSeal)
	h.checkSeal = widget.NewButtonWithIcon("核对印记", theme.SearchIcon(), h.onCheckSeal)
	h.accept = widget.NewButtonWithIcon("确认现状", theme.WarningIcon(), h.onAccept)
	h.alarm = errorLabel()
	h.alarm.TextStyle.Bold = true
	h.showAlarm()

	h.total = widget.NewLabel("正在读取…")
	h.total.TextStyle.Bold = true
	h.pageLabel = widget.NewLabel("")
	h.prev = widget.NewButtonWithIcon("上一页", theme.NavigateBackIcon(), h.onPrev)
	h.next = widget.NewButtonWithIcon("下一页", theme.NavigateNextIcon(), h.onNext)
	h.prev.Disable()
	h.next.Disable()
	h.detail = widget.NewLabel("选择一行查看完整详情。")
	h.detail.Wrapping = fyne.TextWrapBreak
	h.detail.Selectable = true

	cols := make([]tableColumn, len(auditColumns))
	for i, c := range auditColumns {
		cols[i] = c.tableColumn
	}
	h.table = newHeaderTable(cols, func() int { return len(h.recs) }, newTruncatedCell, h.updateCell)
	h.table.OnSelected = h.onSelected

	labeled := func(label string, o fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, widget.NewLabel(label), nil, o)
	}
	filters := container.NewGridWithColumns(3,
		labeled("起始日期", h.from), labeled("截止日期", h.to), labeled("用户", h.login),
		labeled("事件", h.event), labeled("对象", h.object),
		container.NewHBox(h.search, h.reset))
	actions := container.NewHBox(h.verify, h.seal, h.checkSeal, h.accept, h.export, h.exportPDF)
	pager := container.NewHBox(layout.NewSpacer(), h.total, h.prev, h.pageLabel, h.next)
	top := container.NewVBox(h.alarm, filters, h.filterMsg.Label, widget.NewSeparator(), actions, pager, h.verdict, h.status.Label)
	// The detail (a record, or every finding of a check) scrolls in a
	// strip of its own: a long list must not squeeze the table away.
	detail := container.NewVScroll(h.detail)
	detail.SetMinSize(fyne.NewSize(0, 120))
	bottom := container.NewVBox(widget.NewSeparator(), detail)
	// At 1024 pixels the screen scrolls inside the window rather than widen it.
	h.content = container.NewScroll(container.NewPadded(container.NewBorder(top, bottom, nil, nil, h.table)))
}

// readQuery reads the filters; dates are local calendar days, both ends
// included.
func (h *auditHome) readQuery() (app.AuditQuery, bool) {
	var q app.AuditQuery
	var bad []string
	date := func(name string, e *entry) time.Time {
		s := strings.TrimSpace(models.NormalizeWidth(e.Text))
		if s == "" {
			return time.Time{}
		}
		d, err := time.ParseInLocation(models.DateLayout, s, time.Local)
		if err != nil {
			bad = append(bad, fmt.Sprintf("%s“%s”不是有效日期，请按 2026-03-05 的格式填写", name, s))
		}
		return d
	}
	q.From = date("起始日期", h.from)
	if to := date("截止日期", h.to); !to.IsZero() {
		q.To = to.AddDate(0, 0, 1)
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.To.After(q.From) {
		bad = append(bad, "截止日期不能早于起始日期")
	}
	q.Login = strings.TrimSpace(h.login.Text)
	q.Event = eventOf(h.event.Selected)
	q.Object = strings.TrimSpace(h.object.Text)
	if len(bad) > 0 {
		h.filterMsg.fail(strings.Join(bad, "；"))
		return q, false
	}
	h.filterMsg.clear()
	return q, true
}

// load reads the page shown off the UI goroutine; an older answer is dropped.
func (h *auditHome) load() {
	stale, sess := h.gen.next(), h.s.sess
	q := h.q
	q.Limit, q.Offset = auditPageSize, h.page*auditPageSize
	h.s.env.run(func() {
		recs, total, err := h.s.svc.AuditTrail(sess, q)
		fyne.Do(func() {
			if stale() {
				return
			}
			if err != nil {
				if msg, ok := accountError(err); ok {
					h.status.fail(msg)
					return
				}
				h.s.unexpected("读取审计记录", err)
				return
			}
			h.apply(recs, total)
		})
	})
}

func (h *auditHome) apply(recs []models.AuditRecord, total int64) {
	h.recs, h.count = recs, total
	pages := int((total + auditPageSize - 1) / auditPageSize)
	if pages == 0 {
		pages = 1
	}
	h.total.SetText(fmt.Sprintf("共 %s 条", thousands(total)))
	h.pageLabel.SetText(fmt.Sprintf("第 %d / %d 页", h.page+1, pages))
	if h.page > 0 {
		h.prev.Enable()
	} else {
		h.prev.Disable()
	}
	if h.page+1 < pages {
		h.next.Enable()
	} else {
		h.next.Disable()
	}
	h.table.UnselectAll()
	h.table.ScrollToTop()
	h.table.Refresh()
}

func (h *auditHome) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	imp := widget.MediumImportance
	if id.Row >= 0 && id.Row < len(h.recs) && !h.recs[id.Row].Success {
		imp = widget.DangerImportance
	}
	setCell(o.(*widget.Label), h.cellText(id.Row, id.Col), imp)
}

// cellText is what the table shows at row, col.
func (h *auditHome) cellText(row, col int) string {
	if row < 0 || row >= len(h.recs) || col < 0 || col >= len(auditColumns) {
		return ""
	}
	return auditColumns[col].text(&h.recs[row])
}

func (h *auditHome) onSelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(h.recs) {
		return
	}
	r := &h.recs[id.Row]
	h.detail.SetText(fmt.Sprintf("第 %d 条  %s  %s（%s）  %s  %s  %s\n详情：%s\n校验值：%s", r.Seq,
		r.At.Local().Format(auditTimeLayout), orDash(r.Login), auditColumns[3].text(r), app.EventLabel(r.Event),
		orDash(r.Object), resultText(r.Success), orDash(r.Detail), r.Hash))
}

func (h *auditHome) onSearch() {
	q, ok := h.readQuery()
	if !ok {
		return
	}
	h.q, h.page = q, 0
	h.load()
}

func (h *auditHome) onReset() {
	for _, e := range []*entry{h.from, h.to, h.login, h.object} {
		e.SetText("")
	}
	h.event.SetSelected(filterAll)
	h.filterMsg.clear()
	h.q, h.page = app.AuditQuery{}, 0
	h.load()
}

func (h *auditHome) onPrev() {
	if h.page > 0 {
		h.page--
		h.load()
	}
}

func (h *auditHome) onNext() {
	if int64(h.page+1)*auditPageSize < h.count {
		h.page++
		h.load()
	}
}

// onVerify checks the whole register off the UI goroutine (the chain, its
// head, every sealed row), showing its progress, and says whether it is
// intact or lists what was found. The check is itself recorded, so the list
// is read again.
func (h *auditHome) onVerify() {
	sess := h.s.sess
	h.verify.Disable()
	h.verdict.Importance = widget.MediumImportance
	setMessage(h.verdict, "正在校验审计记录和登记簿的每一行…")
	h.s.env.run(func() {
		v, err := h.s.svc.VerifyAuditProgress(sess, func(done, total int64) {
			fyne.Do(func() {
				if total > 0 {
					setMessage(h.verdict, fmt.Sprintf("正在校验… %d%%", done*100/total))
				}
			})
		})
		fyne.Do(func() {
			h.verify.Enable()
			h.showVerdict(v, err)
		})
	})
}

func (h *auditHome) showVerdict(v app.AuditVerdict, err error) {
	if err != nil {
		if v.Records == 0 {
			if msg, ok := accountError(err); ok {
				h.verdict.Importance = widget.DangerImportance
				setMessage(h.verdict, msg)
				return
			}
			h.s.unexpected("校验审计记录", err)
			return
		}
		// The chain was checked but the check could not be recorded: the verdict stands.
		log.Printf("secdoc: record audit verification: %v", err)
	}
	if v.OK {
		h.verdict.Importance = widget.SuccessImportance
		setMessage(h.verdict, fmt.Sprintf("审计记录与登记簿完整：审计记录 %s 条，登记簿记录 %s 行逐行核对无误",
			thousands(v.Records), thousands(v.Rows)))
	} else {
		h.verdict.Importance = widget.DangerImportance
		n := len(v.Findings) + v.More
		first := []rune(v.Problem)
		if len(first) > 90 {
			first = append(first[:90], '…')
		}
		setMessage(h.verdict, fmt.Sprintf("发现 %d 处问题，第一处：%s（全部问题见下方）", n, string(first)))
		var b strings.Builder
		fmt.Fprintf(&b, "校验发现的问题（共 %d 处）：", n)
		for i, f := range v.Findings {
			fmt.Fprintf(&b, "\n%d. %s", i+1, f)
		}
		if v.More > 0 {
			fmt.Fprintf(&b, "\n……另有 %d 处未列出", v.More)
		}
		h.detail.SetText(b.String())
	}
	h.showAlarm()
	h.load()
}

// showAlarm shows, in red above everything, why the register refuses
// changes when its chain does not reach the head kept outside it, and
// offers the auditor's acceptance only then.
func (h *auditHome) showAlarm() {
	msg := h.s.svc.ChainAlarm()
	if msg == "" {
		setMessage(h.alarm, "")
		h.accept.Disable()
		return
	}
	setMessage(h.alarm, "审计链不完整，登记簿已停止修改："+msg)
	h.accept.Enable()
}

// onSeal shows the seal of the chain's newest record, to be written down
// or kept with the printed report.
func (h *auditHome) onSeal() {
	sess := h.s.sess
	h.s.env.run(func() {
		seal, err := h.s.svc.CurrentAuditSeal(sess)
		fyne.Do(func() {
			if err != nil {
				if msg, ok := accountError(err); ok {
					h.status.fail(msg)
					return
				}
				h.s.unexpected("读取审计印记", err)
				return
			}
			code := widget.NewLabel(seal.String())
			code.TextStyle = fyne.TextStyle{Bold: true}
			code.Selectable = true
			body := container.NewVBox(code, explain("请把这个印记抄在审计登记本上，或随打印的审计报告一起保存。"+
				"以后用“核对印记”输入它：只要这条记录和它之前的记录被改写过，就会核对不上——即使改写的人同时拿到了数据库和密钥。"))
			dialog.ShowCustom("审计印记", "关闭", body, h.s.win)
			h.load()
		})
	})
}

// onCheckSeal asks for a seal written down earlier and checks it.
func (h *auditHome) onCheckSeal() {
	e := newEntry()
	e.SetPlaceHolder("第 1234 条 3F9A-C2D1-77B0-1E4D")
	msg := errorLabel()
	var d dialog.Dialog
	check := func() {
		sess, text := h.s.sess, e.Text
		h.s.env.run(func() {
			ok, what, err := h.s.svc.CheckAuditSeal(sess, text)
			fyne.Do(func() {
				if err != nil {
					if m, known := accountError(err); known {
						setMessage(msg, m)
						return
					}
					h.s.unexpected("核对审计印记", err)
					return
				}
				d.Hide()
				if ok {
					h.verdict.Importance = widget.SuccessImportance
				} else {
					h.verdict.Importance = widget.DangerImportance
				}
				setMessage(h.verdict, what)
				h.load()
			})
		})
	}
	e.OnSubmitted = func(string) { check() }
	body := container.NewVBox(widget.NewLabel("抄录的审计印记："), e, msg)
	d = dialog.NewCustomConfirm("核对审计印记", "核对", "取消", body, func(ok bool) {
		if ok {
			check()
		}
	}, h.s.win)
	d.Resize(fyne.NewSize(520, 200))
	d.Show()
	h.s.win.Canvas().Focus(e)
}

// onAccept lets the auditor accept the chain as it is, after a check, with
// a reason; it is recorded with the old and new heads.
func (h *auditHome) onAccept() {
	reason := newMultiLineEntry()
	reason.SetPlaceHolder("查明的原因，例如：某日从旧副本恢复了数据库，缺失的记录已另行登记")
	reason.SetMinRowsVisible(3)
	msg := errorLabel()
	body := container.NewVBox(explain("确认后，程序以数据库中现有的审计链为准，恢复登记簿的修改。"+
		"确认前会再校验一遍：除链头不符外，审计记录和登记簿不得有其他问题。这一操作会记入审计记录。"),
		widget.NewLabel("理由："), reason, msg)
	d := dialog.NewCustomConfirm("确认审计链现状", "确认", "取消", body, func(ok bool) {
		if !ok {
			return
		}
		sess, text := h.s.sess, reason.Text
		h.s.env.run(func() {
			err := h.s.svc.AcceptChain(sess, text)
			fyne.Do(func() {
				if err != nil {
					if m, known := accountError(err); known {
						h.status.fail(m)
						return
					}
					h.s.unexpected("确认审计链现状", err)
					return
				}
				h.status.ok("已确认审计链现状，登记簿恢复修改")
				h.showAlarm()
				h.load()
			})
		})
	}, h.s.win)
	d.Resize(fyne.NewSize(600, 320))
	d.Show()
}

// exportFormat is a file format the audit trail exports to.
type exportFormat struct {
	ext   string
	write func(svc Service, sess *app.Session, q app.AuditQuery, w io.Writer) (int, error)
}

var (
	exportCSV = exportFormat{".csv", Service.ExportAuditCSV}
	exportPDF = exportFormat{".pdf", Service.ExportAuditPDF}
)

// onExport asks where to save the records the filters select.
func (h *auditHome) onExport(f exportFormat) {
	name := fmt.Sprintf("审计记录-%s%s", h.s.env.now().Format("20060102-1504"), f.ext)
	showChooser(h.s.win, chooseSave, "导出审计记录", documentsDir(), name, []string{f.ext}, func(path string) {
		w, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
		if err != nil {
			h.status.fail("无法写入“" + path + "”：" + describeFSError(err))
			return
		}
		h.exportTo(w, path, f)
	})
}

// exportTo writes the records of the applied filters to w, named name, off
// the UI goroutine, closes it and says how many rows were written.
func (h *auditHome) exportTo(w io.WriteCloser, name string, f exportFormat) {
	sess, q := h.s.sess, h.q
	h.export.Disable()
	h.exportPDF.Disable()
	h.status.ok("正在导出…")
	h.s.env.run(func() {
		n, err := f.write(h.s.svc, sess, q, w)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		fyne.Do(func() {
			h.export.Enable()
			h.exportPDF.Enable()
			if err != nil {
				h.status.clear()
				if msg, ok := accountError(err); ok {
					h.status.fail(msg)
					return
				}
				h.s.unexpected("导出审计记录", err)
				return
			}
			h.status.ok(fmt.Sprintf("已导出 %s 条审计记录到 %s", thousands(int64(n)), name))
			h.load()
		})
	})
}
