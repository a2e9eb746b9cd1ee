package ui

import (
	"fmt"
	"reflect"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

const (
	// pageSize is how many rows one read of the ledger brings.
	pageSize = 200
	// maxCachedPages bounds the rows kept in memory, whatever the register's size.
	maxCachedPages = 8
)

// Filter choices that are not values of the domain.
const (
	filterAll  = "全部"
	filterHeld = "在册"
	// filterLate is the copies sent whose 签收 or 回执 is overdue (R25).
	filterLate = "回执逾期"
	// filterUnhandled is the incoming carriers in store no handling act has
	// touched, the longest waiting first (R7, R27): the home's 待办文件.
	filterUnhandled = "未办理收文"
)

// ledgerColumn is one column of the ledger table.
type ledgerColumn struct {
	title    string
	width    float32
	sortable bool
	sort     app.SortKey
	text     func(c *models.Carrier) string
}

var ledgerColumns = []ledgerColumn{
	// What a clerk looks for first comes first, so that 登记号, 密级★期限, 题名
	// and 状态 show without scrolling sideways from 1024 pixels up.
	{"登记号", 150, true, app.SortSeq, func(c *models.Carrier) string { return c.RegNo }},
	{"密级★期限", 160, true, app.SortLevel, func(c *models.Carrier) string { return c.Marking() }},
	{"题名", 275, true, app.SortTitle, titleCell},
	{"状态", 80, false, 0, func(c *models.Carrier) string { return c.State.String() }},
	{"份号", 95, false, 0, func(c *models.Carrier) string { return c.CopyNoText() }},
	{"文号", 190, true, app.SortDocNumber, func(c *models.Carrier) string { return c.DocNumber }},
	{"收文日期", 100, true, app.SortRegDate, func(c *models.Carrier) string { return c.RegDate }},
	{"成文日期", 100, false, 0, func(c *models.Carrier) string { return c.DocDate }},
	{"来文单位", 180, true, app.SortIssuer, func(c *models.Carrier) string { return c.Issuer }},
	{"载体类型", 120, false, 0, func(c *models.Carrier) string { return string(c.Kind) }},
	{"责任人", 80, false, 0, func(c *models.Carrier) string { return c.Custodian }},
}

// copyMark begins the title of a copy made in the office (复制件), so that
// it can't be taken for the original in the ledger.
const copyMark = "［复制件］"

func titleCell(c *models.Carrier) string {
	if c.IsCopy {
		return copyMark + c.Title
	}
	return c.Title
}

// textSort reports whether the key orders text, which first reads A to Z;
// the other columns first read newest or highest first.
func textSort(k app.SortKey) bool {
	return k == app.SortTitle || k == app.SortIssuer || k == app.SortDocNumber
}

// ledgerScreen is the register (台账): filters, a table that reads the rows it
// shows a page at a time, however many there are, and the detail of the
// selected carrier beside it.
type ledgerScreen struct {
	m     *MainUI
	fresh fresh // what the page shown was read from

	keyword *entry
	level   *widget.Select
	state   *widget.Select
	kind    *widget.Select
	year    *widget.Select
	issuer  *choiceEntry  // 来文单位: typing narrows the list of the register's issuers
	noDate  *widget.Check // only 国家秘密 without a 成文日期 (their term counts from the 收文日期)
	issuers map[string]bool
	total   *widget.Label
	table   *widget.Table
	content fyne.CanvasObject

	left        fyne.CanvasObject // filters and table
	split       *container.Split  // table | detail, while a carrier is shown
	body        *fyne.Container   // holds left alone, or split
	detailShown bool

	sort app.SortKey // the order chosen by tapping a header
	asc  bool

	// What the table shows: the query, its row count and the cached pages.
	// Touched only on the UI goroutine.
	q        app.Query
	count    int
	more     bool // a keyword matched more than count: counted on when the clerk scrolls to the end
	counting bool // counting on
	pages    map[int][]models.Carrier
	pending  map[int]bool
	shownGen int // generation of q
	reqGen   int // generation of the newest reload asked for
	maxPages int
	updating bool // inside UpdateCell: a page that arrives now needs no table refresh
	quiet    bool // filters being set together: reload once at the end

	timer *time.Timer // keyword debounce

	excel *excelTools // 导出 Excel and 导入 (ui/excel.go)
}

func newLedgerScreen(m *MainUI) *ledgerScreen {
	l := &ledgerScreen{m: m, pages: map[int][]models.Carrier{}, pending: map[int]bool{},
		maxPages: maxCachedPages, q: app.HeldQuery(), fresh: newFresh(nil, app.ChangeCarriers, app.ChangeMovements)}
	l.buildUI()
	return l
}

func (l *ledgerScreen) buildUI() {
	l.keyword = newEntry()
	l.keyword.SetPlaceHolder("搜索 题名/文号/来文单位/登记号")
	l.keyword.OnChanged = l.onKeywordChanged
	l.keyword.OnSubmitted = l.onKeywordSubmitted

	l.level = widget.NewSelect(append([]string{filterAll}, levelChoices...), nil)
	states := []string{filterHeld, filterAll}
	for _, s := range models.States {
		states = append(states, s.String())
		if s == models.StateInStore {
			states = append(states, filterUnhandled)
		}
		if s == models.StateSent {
			states = append(states, filterLate)
		}
	}
	l.state = widget.NewSelect(states, nil)
	l.state.SetSelected(filterHeld)
	kinds := []string{filterAll}
	for _, k := range models.CarrierKinds {
		kinds = append(kinds, string(k))
	}
	l.kind = widget.NewSelect(kinds, nil)
	l.year = widget.NewSelect([]string{filterAll}, nil)
	l.issuer = newChoiceEntry(nil)
	l.issuer.SetPlaceHolder("全部")
	l.issuer.OnChanged = l.onIssuerChanged
	l.issuer.OnSubmitted = func(string) { l.onIssuerChanged(l.issuer.Text) }
	l.noDate = widget.NewCheck("未填成文日期", func(bool) { l.onFilterChanged("") })
	for _, s := range []*widget.Select{l.level, l.kind, l.year} {
		s.SetSelected(filterAll)
	}
	for _, s := range []*widget.Select{l.level, l.state, l.kind, l.year} {
		s.OnChanged = l.onFilterChanged
	}
	reset := widget.NewButtonWithIcon("重置", theme.ContentUndoIcon(), l.onReset)
	l.excel = newExcelTools(l)
	l.total = widget.NewLabel("正在读取…")
	l.total.TextStyle.Bold = true

	l.table = widget.NewTable(l.length, l.createCell, l.updateCell)
	l.table.ShowHeaderRow = true
	l.table.CreateHeader = l.createHeader
	l.table.UpdateHeader = l.updateHeader
	l.table.OnSelected = l.onSelected
	for i, c := range ledgerColumns {
		l.table.SetColumnWidth(i, c.width)
	}

	labeled := func(label string, s fyne.CanvasObject) fyne.CanvasObject {
		return container.NewBorder(nil, nil, widget.NewLabel(label), nil, s)
	}
	filters := container.NewGridWithColumns(3,
		labeled("密级", l.level), labeled("状态", l.state), labeled("载体类型", l.kind),
		labeled("年份", l.year), labeled("来文单位", l.issuer),
		container.NewBorder(nil, nil, l.noDate, reset))
	// The tools sit beside the search box, not in the filters' grid, whose
	// every cell is as wide as its widest.
	search := container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()),
		container.NewHBox(append([]fyne.CanvasObject{l.total}, l.excel.buttons()...)...), l.keyword)
	left := container.NewBorder(container.NewVBox(search, filters), nil, nil, nil, l.table)
	l.left = left
	l.split = container.NewHSplit(nil, l.m.detail.content)
	l.split.Offset = 0.68
	l.body = container.NewStack(left)
	l.content = l.body
	l.m.detail.onClose = l.hideDetail
}

// showDetail puts the detail pane beside the table; until a row is selected
// the table has the whole width.
func (l *ledgerScreen) showDetail() {
	if l.detailShown {
		return
	}
	l.detailShown = true
	l.split.Leading = l.left
	l.body.Objects = []fyne.CanvasObject{l.split}
	l.body.Refresh()
}

// hideDetail gives the table the whole width again.
func (l *ledgerScreen) hideDetail() {
	if !l.detailShown {
		return
	}
	l.detailShown = false
	l.table.UnselectAll()
	l.body.Objects = []fyne.CanvasObject{l.left}
	l.body.Refresh()
}

// query is what the filters ask for, in the order chosen.
func (l *ledgerScreen) query() app.Query {
	q := app.Query{Keyword: l.keyword.Text, Sort: l.sort, Asc: l.asc}
	if lv, ok := models.ParseLevel(l.level.Selected); ok {
		q.Levels = []models.Level{lv}
	}
	switch l.state.Selected {
	case filterHeld:
		q.States = app.HeldQuery().States
	case filterAll, "":
	case filterLate:
		q.States = []models.State{models.StateSent}
		q.ReceiptsDueBy = l.m.b.ReceiptCutoff()
	case filterUnhandled:
		q.Unhandled = true
	default:
		if s, ok := models.ParseState(l.state.Selected); ok {
			q.States = []models.State{s}
		}
	}
	if k := models.CarrierKind(l.kind.Selected); k.Valid() {
		q.Kinds = []models.CarrierKind{k}
	}
	if y, err := strconv.Atoi(l.year.Selected); err == nil {
		q.Year = y
	}
	if l.issuers[l.issuer.Text] {
		q.Issuer = l.issuer.Text
	}
	q.NoDocDate = l.noDate.Checked
	return q
}

// setLookups offers the years and issuers of the register in the filters,
// keeping what is selected.
func (l *ledgerScreen) setLookups(issuers []string, years []int) {
	ys := []string{filterAll}
	for _, y := range years {
		ys = append(ys, strconv.Itoa(y))
	}
	l.year.SetOptions(ys)
	l.issuer.SetOptions(issuers)
	l.issuers = make(map[string]bool, len(issuers))
	for _, i := range issuers {
		l.issuers[i] = true
	}
}

// reload counts the rows of the filters' query and reads its first page off
// the UI goroutine, then shows them; an answer to an older query is dropped.
func (l *ledgerScreen) reload() {
	if l.timer != nil {
		l.timer.Stop()
		l.timer = nil
	}
	l.reqGen++
	gen, q := l.reqGen, l.query()
	l.fresh.start(l.m.b, l.m.env.now())
	l.m.env.run(func() {
		n, more, err := l.m.b.CountUpTo(l.m.sess, q, keywordFirstCount)
		var first []models.Carrier
		if err == nil && n > 0 {
			first, err = l.m.b.Page(l.m.sess, q, 0, pageSize)
		}
		fyne.Do(func() {
			if err != nil {
				l.fresh.forget()
			}
			if gen != l.reqGen {
				return
			}
			if err != nil {
				l.m.unexpected("读取台账", err)
				return
			}
			l.show(gen, q, int(n), more, first)
		})
	})
}

// show applies a reload. A new query starts at the top; the same query read
// again after a change keeps the clerk's place.
// more says a keyword matched more than the counted n rows: the table then
// shows the newest n and says so.
func (l *ledgerScreen) show(gen int, q app.Query, n int, more bool, first []models.Carrier) {
	moved := !reflect.DeepEqual(q, l.q)
	l.shownGen, l.q = gen, q
	l.pages = map[int][]models.Carrier{0: first}
	l.pending = map[int]bool{}
	l.counting = false
	l.setCount(n, more)
	l.table.UnselectAll()
	if moved {
		l.table.ScrollToTop()
	}
	l.table.Refresh()
}

// keywordFirstCount is how far the ledger first counts a keyword's matches.
var keywordFirstCount = app.KeywordCountCap

// setCount shows how many rows the query has, or, for a keyword of more
// matches than counted, how many are listed so far.
func (l *ledgerScreen) setCount(n int, more bool) {
	l.count, l.more = n, more
	if more {
		l.total.SetText(fmt.Sprintf("超过 %s 件（已列出最新 %s 件，滚动到底继续列出；加条件可缩小范围）",
			thousands(int64(n)), thousands(int64(n))))
	} else {
		l.total.SetText(fmt.Sprintf("共 %s 件", thousands(int64(n))))
	}
}

// countOn counts a keyword's matches on, five times as far, when the clerk
// has scrolled to the end of those counted.
func (l *ledgerScreen) countOn() {
	l.counting = true
	gen, q, limit := l.shownGen, l.q, l.count*5
	l.m.env.run(func() {
		n, more, err := l.m.b.CountUpTo(l.m.sess, q, limit)
		fyne.Do(func() {
			if gen != l.shownGen {
				return
			}
			l.counting = false
			if err != nil {
				l.m.unexpected("读取台账", err)
				return
			}
			l.setCount(int(n), more)
			if !l.updating {
				l.table.Refresh()
			}
		})
	})
}

// row returns row i of the shown query, asking for its page when it is not
// cached; the table is refreshed when the page arrives.
func (l *ledgerScreen) row(i int) (*models.Carrier, bool) {
	if i < 0 || i >= l.count {
		return nil, false
	}
	if l.more && !l.counting && i >= l.count-pageSize {
		l.countOn()
	}
	p := i / pageSize
	rows, ok := l.pages[p]
	if !ok {
		l.fetch(p)
		if rows, ok = l.pages[p]; !ok { // a synchronous runner has it already
			return nil, false
		}
	}
	if j := i - p*pageSize; j < len(rows) {
		return &rows[j], true
	}
	return nil, false
}

func (l *ledgerScreen) fetch(p int) {
	if l.pending[p] {
		return
	}
	l.pending[p] = true
	gen, q := l.shownGen, l.q
	l.m.env.run(func() {
		rows, err := l.m.b.Page(l.m.sess, q, p*pageSize, pageSize)
		fyne.Do(func() {
			if gen != l.shownGen {
				return
			}
			delete(l.pending, p)
			if err != nil {
				l.m.unexpected("读取台账", err)
				return
			}
			l.pages[p] = rows
			l.evict(p)
			if !l.updating {
				l.table.Refresh()
			}
		})
	})
}

// evict drops the cached pages farthest from the one just read.
func (l *ledgerScreen) evict(near int) {
	for len(l.pages) > l.maxPages {
		far, dist := -1, -1
		for p := range l.pages {
			d := p - near
			if d < 0 {
				d = -d
			}
			if d > dist {
				far, dist = p, d
			}
		}
		delete(l.pages, far)
	}
}

func (l *ledgerScreen) length() (int, int) { return l.count, len(ledgerColumns) }

func (l *ledgerScreen) createCell() fyne.CanvasObject {
	c := widget.NewLabel("")
	c.Truncation = fyne.TextTruncateEllipsis
	return c
}

func (l *ledgerScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	setCell(o.(*widget.Label), l.cellText(id.Row, id.Col), widget.MediumImportance)
}

// cellText is what the table shows at row, col: "…" while the row is read.
func (l *ledgerScreen) cellText(row, col int) string {
	if col < 0 || col >= len(ledgerColumns) {
		return ""
	}
	l.updating = true
	c, ok := l.row(row)
	l.updating = false
	if !ok {
		return "…"
	}
	return ledgerColumns[col].text(c)
}

func (l *ledgerScreen) createHeader() fyne.CanvasObject {
	b := widget.NewButton("", nil)
	b.Importance = widget.LowImportance
	b.Alignment = widget.ButtonAlignLeading
	return b
}

func (l *ledgerScreen) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	b := o.(*widget.Button)
	col := id.Col
	if id.Row >= 0 || col < 0 || col >= len(ledgerColumns) {
		b.SetText("")
		b.OnTapped = nil
		return
	}
	b.SetText(l.headerText(col))
	if ledgerColumns[col].sortable {
		b.OnTapped = func() { l.onSort(col) }
	} else {
		b.OnTapped = nil
	}
}

// headerText is a column's title, with an arrow on the column the ledger is
// sorted by: ▲ ascending, ▼ descending; none while it lists 未办理收文, which
// come the longest waiting first.
func (l *ledgerScreen) headerText(col int) string {
	c := ledgerColumns[col]
	if !c.sortable || c.sort != l.sort || l.q.Unhandled {
		return c.title
	}
	if l.asc {
		return c.title + " ▲"
	}
	return c.title + " ▼"
}

// onSort orders by a column; tapping the same column again flips the direction.
func (l *ledgerScreen) onSort(col int) {
	key := ledgerColumns[col].sort
	if key == l.sort {
		l.asc = !l.asc
	} else {
		l.sort, l.asc = key, textSort(key)
	}
	l.table.Refresh()
	l.reload()
}

func (l *ledgerScreen) onSelected(id widget.TableCellID) {
	if c, ok := l.row(id.Row); ok {
		l.showDetail()
		l.m.detail.show(c.ID)
	}
}

// onKeywordChanged searches as the clerk types, once typing pauses.
func (l *ledgerScreen) onKeywordChanged(string) {
	if l.quiet {
		return
	}
	if l.m.env.delay <= 0 {
		l.reload()
		return
	}
	if l.timer != nil {
		l.timer.Stop()
	}
	l.timer = time.AfterFunc(l.m.env.delay, func() { fyne.Do(l.reload) })
}

func (l *ledgerScreen) onKeywordSubmitted(string) { l.reload() }

// onIssuerChanged filters by 来文单位 once the text names one of the
// register's issuers, or is empty; a part typed only narrows the list.
func (l *ledgerScreen) onIssuerChanged(text string) {
	if text == "" || l.issuers[text] {
		l.onFilterChanged(text)
	}
}

func (l *ledgerScreen) onFilterChanged(string) {
	if !l.quiet {
		l.reload()
	}
}

// onReset shows the default view again: everything held, newest first.
func (l *ledgerScreen) onReset() {
	l.quiet = true
	l.keyword.SetText("")
	l.level.SetSelected(filterAll)
	l.state.SetSelected(filterHeld)
	l.kind.SetSelected(filterAll)
	l.year.SetSelected(filterAll)
	l.issuer.SetText("")
	l.noDate.SetChecked(false)
	l.sort, l.asc = app.SortSeq, false
	l.quiet = false
	l.table.Refresh()
	l.reload()
}
