package ui

import (
	"fmt"
	"slices"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/models"
)

// approverColumns are the columns of the approvers table.
var approverColumns = []tableColumn{{"姓名", 120}, {"职务", 160}, {"可审批事项", 380}, {"最高密级", 100}, {"状态", 80}}

// approverState is 在用 or 停用.
func approverState(a models.Approver) string {
	if a.Active {
		return "在用"
	}
	return "停用"
}

// levelNames are the levels as a select offers them, lowest first.
func levelNames() []string {
	out := make([]string, len(models.Levels))
	for i, l := range models.Levels {
		out[i] = l.String()
	}
	return out
}

// approversPane is the security officer's 审批人 tab: the leaders whose
// decisions the clerk records (R9), what each may approve up to which level,
// and the R1 switch for copying 绝密 carriers.
type approversPane struct {
	s *Shell

	approvers []models.Approver
	selected  string // the selected approver's id, "" for none
	table     *widget.Table
	add       *widget.Button
	edit      *widget.Button
	status    statusLine

	topSecret *widget.Check
	classPow  *widget.Select // the office's 原始定密权 (R24)
	receipt   *widget.Select // days after which a missing 回执 is overdue (R25)
	remind    *widget.Select // hours after which a reader is reminded (催阅, R27)
	policyMsg statusLine

	editor  *approverDialog // the open 新增/修改 dialog, if any
	content fyne.CanvasObject
}

func newApproversPane(s *Shell) *approversPane {
	p := &approversPane{s: s}
	p.buildUI()
	p.load()
	return p
}

func (p *approversPane) buildUI() {
	p.table = newHeaderTable(approverColumns, func() int { return len(p.approvers) }, newLabelCell, p.updateCell)
	p.table.OnSelected = p.onSelected
	p.add = widget.NewButtonWithIcon("新增审批人", theme.ContentAddIcon(), p.onAdd)
	p.add.Importance = widget.HighImportance
	p.edit = widget.NewButtonWithIcon("修改", theme.DocumentCreateIcon(), p.onEdit)
	p.edit.Disable()
	refresh := widget.NewButtonWithIcon("刷新", theme.ViewRefreshIcon(), func() {
		p.status.clear()
		p.load()
	})
	p.status = newStatusLine()

	p.topSecret = widget.NewCheck("允许复制绝密载体（须有原定密机关的批准文件）", nil)
	p.topSecret.SetChecked(p.s.svc.TopSecretCopyAllowed())
	p.topSecret.OnChanged = p.onTopSecret
	p.policyMsg = newStatusLine()
	p.classPow = widget.NewSelect(append([]string{"无"}, levelNames()...), nil)
	if l := p.s.svc.OriginalClassLevel(); l.Valid() {
		p.classPow.SetSelected(l.String())
	} else {
		p.classPow.SetSelected("无")
	}
	p.classPow.OnChanged = p.onClassPower
	days := []string{"7", "10", "15", "20", "30", "45", "60", "90"}
	cur := strconv.Itoa(p.s.svc.ReceiptDays())
	if !slices.Contains(days, cur) {
		days = append(days, cur)
	}
	p.receipt = widget.NewSelect(days, nil)
	p.receipt.SetSelected(cur)
	p.receipt.OnChanged = p.onReceiptDays
	hours := []string{"4", "8", "12", "24", "48", "72"}
	curH := strconv.Itoa(p.s.svc.RemindHours())
	if !slices.Contains(hours, curH) {
		hours = append(hours, curH)
	}
	p.remind = widget.NewSelect(hours, nil)
	p.remind.SetSelected(curH)
	p.remind.OnChanged = p.onRemindHours

	p.content = container.NewBorder(container.NewVBox(
		container.NewHBox(p.add, p.edit, layout.NewSpacer(), refresh),
		p.status.Label,
		note("审批人是其批示由机要员录入的领导。每人只能审批所列事项、且不高于其最高密级的载体。审批人不能删除，离任的改为停用。"),
	), container.NewVBox(widget.NewSeparator(), p.topSecret,
		container.NewHBox(widget.NewLabel("本机关原始定密权限"), container.New(widthLayout{120}, p.classPow),
			widget.NewLabel("分发后回执期限（天）"), container.New(widthLayout{100}, p.receipt),
			widget.NewLabel("催阅时限（小时）"), container.New(widthLayout{90}, p.remind)),
		p.policyMsg.Label,
		note("绝密级载体和密码电报一律不得复制；只有勾选此项后，绝密级载体才能凭原定密机关的批准文件申请复制，密码电报仍不得复制。"),
	), nil, nil, p.table)
}

// cellText is the text at row, col.
func (p *approversPane) cellText(row, col int) string {
	if row < 0 || row >= len(p.approvers) {
		return ""
	}
	a := p.approvers[row]
	switch col {
	case 0:
		return a.Name
	case 1:
		return a.Title
	case 2:
		return a.Actions.String()
	case 3:
		return a.MaxLevel.String()
	case 4:
		return approverState(a)
	}
	return ""
}

func (p *approversPane) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	imp := widget.MediumImportance
	if id.Col == 4 && p.cellText(id.Row, 4) == "停用" {
		imp = widget.WarningImportance
	}
	setCell(o.(*widget.Label), p.cellText(id.Row, id.Col), imp)
}

func (p *approversPane) onSelected(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(p.approvers) {
		return
	}
	p.selected = p.approvers[id.Row].ID
	p.edit.Enable()
}

// current is the selected approver, nil when none.
func (p *approversPane) current() *models.Approver {
	for i := range p.approvers {
		if p.approvers[i].ID == p.selected {
			return &p.approvers[i]
		}
	}
	return nil
}

// selectName selects the approver named name, as a click would.
func (p *approversPane) selectName(name string) bool {
	for i, a := range p.approvers {
		if a.Name == name {
			p.table.Select(widget.TableCellID{Row: i, Col: 0})
			return true
		}
	}
	return false
}

// load reads the approvers off the UI goroutine.
func (p *approversPane) load() {
	sess := p.s.sess
	p.s.env.run(func() {
		list, err := p.s.svc.Approvers(sess)
		fyne.Do(func() {
			if err != nil {
				if msg, ok := accountError(err); ok {
					p.status.fail(msg)
					return
				}
				p.s.unexpected("读取审批人", err)
				return
			}
			p.set(list)
		})
	})
}

// set shows a fresh list, keeping the selected approver selected.
func (p *approversPane) set(list []models.Approver) {
	p.approvers = list
	p.table.Refresh()
	for i, a := range list {
		if a.ID == p.selected {
			p.table.Select(widget.TableCellID{Row: i, Col: 0})
			p.edit.Enable()
			return
		}
	}
	p.selected = ""
	p.table.UnselectAll()
	p.edit.Disable()
}

func (p *approversPane) onAdd() {
	p.status.clear()
	p.editor = newApproverDialog(p, nil)
	p.editor.dlg.Show()
	p.s.win.Canvas().Focus(p.editor.name)
}

func (p *approversPane) onEdit() {
	a := p.current()
	if a == nil {
		return
	}
	p.status.clear()
	p.editor = newApproverDialog(p, a)
	p.editor.dlg.Show()
}

// saveSetting saves one of the office's settings with set, saying done or
// why it was refused under the settings.
func (p *approversPane) saveSetting(doing string, set func() error, done string) {
	p.policyMsg.clear()
	if err := set(); err != nil {
		if msg, ok := accountError(err); ok {
			p.policyMsg.fail(msg)
			return
		}
		p.s.unexpected(doing, err)
		return
	}
	p.policyMsg.ok(done)
}

// onRemindHours saves after how many hours a reader is reminded (R27).
func (p *approversPane) onRemindHours(s string) {
	n, _ := strconv.Atoi(s)
	p.saveSetting("保存催阅时限", func() error { return p.s.svc.SetRemindHours(p.s.sess, n) },
		"已保存：阅文人持有 "+s+" 小时未退回即列入催阅。")
}

// onReceiptDays saves after how many days a missing 回执 is overdue (R25).
func (p *approversPane) onReceiptDays(s string) {
	n, _ := strconv.Atoi(s)
	p.saveSetting("保存回执期限", func() error { return p.s.svc.SetReceiptDays(p.s.sess, n) },
		"已保存：分发后 "+s+" 天未签收或回执即列为回执逾期。")
}

// onClassPower saves the office's 原始定密权 (R24).
func (p *approversPane) onClassPower(s string) {
	l, _ := models.ParseLevel(s)
	p.saveSetting("保存原始定密权限", func() error { return p.s.svc.SetOriginalClassLevel(p.s.sess, l) },
		"已保存：本机关原始定密权限为"+s+"。")
}

// onTopSecret saves the R1 switch; a refusal puts the check back.
func (p *approversPane) onTopSecret(on bool) {
	p.policyMsg.clear()
	if err := p.s.svc.SetTopSecretCopyAllowed(p.s.sess, on); err != nil {
		p.topSecret.OnChanged = nil
		p.topSecret.SetChecked(!on)
		p.topSecret.OnChanged = p.onTopSecret
		if msg, ok := accountError(err); ok {
			p.policyMsg.fail(msg)
			return
		}
		p.s.unexpected("保存绝密载体复制设置", err)
		return
	}
	if on {
		p.policyMsg.ok("已允许：绝密级载体凭原定密机关的批准文件可以申请复制。")
	} else {
		p.policyMsg.ok("已禁止复制绝密级载体。")
	}
}

// approverDialog adds an approver (a nil approver) or changes one.
type approverDialog struct {
	p        *approversPane
	a        *models.Approver // nil when adding
	name     *entry
	title    *entry
	actions  map[models.ApprovalAction]*widget.Check
	maxLevel *widget.Select
	desig    *widget.Select // 法定 or 指定, for a 定密责任人
	desigDoc *entry         // the 指定 document
	active   *widget.Check
	msgs     *fieldMessages
	save     *widget.Button
	dlg      *dialog.CustomDialog
}

func newApproverDialog(p *approversPane, a *models.Approver) *approverDialog {
	d := &approverDialog{p: p, a: a}
	d.buildUI()
	return d
}

func (d *approverDialog) buildUI() {
	d.name = newEntry()
	d.name.SetPlaceHolder("例如“刘建国”")
	d.title = newEntry()
	d.title.SetPlaceHolder("例如“办公室主任”")
	d.actions = map[models.ApprovalAction]*widget.Check{}
	checks := container.NewGridWithColumns(3)
	for _, act := range models.ApprovalActions {
		c := widget.NewCheck(string(act), nil)
		d.actions[act] = c
		checks.Add(c)
	}
	d.maxLevel = widget.NewSelect(levelNames(), nil)
	d.maxLevel.PlaceHolder = "请选择"
	d.desig = widget.NewSelect([]string{"法定", "指定"}, nil)
	d.desig.PlaceHolder = "持有“定密”时选择"
	d.desigDoc = newEntry()
	d.desigDoc.SetPlaceHolder("指定的定密责任人：指定文件的文号")
	d.active = widget.NewCheck("在用", nil)
	d.active.SetChecked(true)
	heading := "新增审批人"
	if d.a != nil {
		heading = "修改审批人"
		d.name.SetText(d.a.Name)
		d.title.SetText(d.a.Title)
		for _, act := range d.a.Actions {
			if c, ok := d.actions[act]; ok {
				c.SetChecked(true)
			}
		}
		if d.a.MaxLevel.Valid() {
			d.maxLevel.SetSelected(d.a.MaxLevel.String())
		}
		d.active.SetChecked(d.a.Active)
		if d.a.Designation != "" {
			d.desig.SetSelected(d.a.Designation)
		}
		d.desigDoc.SetText(d.a.DesignationDoc)
	} else {
		d.active.Disable() // a new approver is always in use
	}
	d.msgs = newFieldMessages()
	form := formOf(
		d.msgs.row(app.FieldApproverName, "姓名", d.name),
		d.msgs.row(app.FieldApproverTitle, "职务", d.title),
		d.msgs.row(app.FieldApproverActions, "可审批事项", checks),
		d.msgs.row(app.FieldApproverMaxLevel, "最高密级", container.New(widthLayout{160}, d.maxLevel)),
		d.msgs.row(app.FieldDesignation, "定密责任人", container.NewBorder(nil, nil, container.New(widthLayout{160}, d.desig), nil, d.desigDoc)),
		[2]fyne.CanvasObject{widget.NewLabel("状态"), d.active},
	)
	body := container.NewVBox(d.msgs.top, form)
	d.msgs.frame = body
	d.dlg, d.save = newFormDialog(d.p.s.win, heading, body, "保存", theme.DocumentSaveIcon(),
		d.onSave, d.close, fyne.NewSize(680, 460))
}

// read is what the dialog says.
func (d *approverDialog) read() app.ApproverInput {
	in := app.ApproverInput{Name: d.name.Text, Title: d.title.Text, Active: d.active.Checked}
	for _, act := range models.ApprovalActions {
		if d.actions[act].Checked {
			in.Actions = append(in.Actions, act)
		}
	}
	in.MaxLevel, _ = models.ParseLevel(d.maxLevel.Selected)
	in.Designation, in.DesignationDoc = d.desig.Selected, d.desigDoc.Text
	return in
}

func (d *approverDialog) onSave() {
	d.msgs.clear()
	in := d.read()
	var (
		saved models.Approver
		err   error
	)
	if d.a == nil {
		saved, err = d.p.s.svc.AddApprover(d.p.s.sess, in)
	} else {
		saved, err = d.p.s.svc.UpdateApprover(d.p.s.sess, d.a.ID, in)
	}
	if err != nil {
		d.msgs.explain(err, "保存审批人", d.p.s.unexpected)
		return
	}
	d.close()
	if d.a == nil {
		d.p.status.ok(fmt.Sprintf("已新增审批人%s（%s，最高%s）", saved.Name, saved.Actions, saved.MaxLevel))
	} else {
		d.p.status.ok(fmt.Sprintf("审批人%s已修改", saved.Name))
	}
	d.p.selected = saved.ID
	d.p.load()
}

func (d *approverDialog) close() {
	d.dlg.Hide()
	if d.p.editor == d {
		d.p.editor = nil
	}
}
