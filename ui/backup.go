package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/app"
	"secdoc/app/backup"
)

// reminderText is the homes' line about backups: 上次备份：3 天前（已校验）,
// and whether it is a warning.
func reminderText(st app.BackupStatus) (string, bool) {
	if st.Last == nil {
		return fmt.Sprintf("尚无已校验的备份：请系统管理员尽快备份（建议每 %d 天至少一次）", st.RemindDays), true
	}
	age := fmt.Sprintf("%d 天前", st.Days)
	if st.Days == 0 {
		age = "今天"
	}
	text := fmt.Sprintf("上次备份：%s（已校验，%s）", age, st.Last.CreatedAt.Local().Format("2006-01-02 15:04"))
	if st.Overdue {
		text += fmt.Sprintf("，已超过 %d 天，请系统管理员尽快备份", st.RemindDays)
	}
	return text, st.Overdue
}

// newReminder is the label the homes show it in.
func newReminder() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// loadReminder reads the backup status off the UI goroutine into l: red
// when the last verified backup is older than the configured days.
func loadReminder(e env, svc Service, sess *app.Session, l *widget.Label) {
	e.run(func() {
		st, err := svc.BackupStatus(sess)
		fyne.Do(func() {
			if err != nil {
				l.Hide() // the home works without it; the sysadmin's tab says more
				return
			}
			text, warn := reminderText(st)
			l.Importance = widget.MediumImportance
			if warn {
				l.Importance = widget.DangerImportance
			}
			l.SetText(text)
			l.Show()
		})
	})
}

// backupErrorText is the Chinese sentence for a failed backup, verify or
// restore, and whether it is one (else the error is unexpected).
func backupErrorText(err error) (string, bool) {
	if m := app.RestoreMessage(err); m != "" {
		return m, true
	}
	if m := backup.Message(err); m != "" {
		return m, true
	}
	if errors.Is(err, app.ErrAuditKey) {
		return "找不到本数据库的审计密钥，不能备份（备份必须带上审计密钥）。", true
	}
	return accountError(err)
}

// backupPane is the system administrator's 备份与恢复 tab: back up to a
// folder (a USB stick), verify a backup, restore one, and the reminder.
type backupPane struct {
	s *Shell

	reminder  *widget.Label // shown above the tabs of the system administrator's home
	backupBtn *widget.Button
	verifyBtn *widget.Button
	restore   *widget.Button
	status    statusLine
	history   *widget.Label // the latest backups
	keyLine   statusLine    // which recovery key backups are made for

	days     *entry
	daysSave *widget.Button
	daysMsg  statusLine

	rollbacks *fyne.Container // the rollback copies, each with 删除
	keep      *entry
	keepMsg   statusLine

	secret    *secretDialog   // the open passphrase dialog, if any
	restoring *restoreDialog  // the open restore dialog, if any
	progress  *progressDialog // the running operation's, if any
	confirm   dialog.Dialog   // the open restore confirmation, if any
	result    dialog.Dialog   // the last answer shown, if open

	content fyne.CanvasObject
}

func newBackupPane(s *Shell) *backupPane {
	p := &backupPane{s: s}
	p.buildUI()
	p.reload()
	return p
}

func (p *backupPane) buildUI() {
	p.reminder = newReminder()
	p.backupBtn = widget.NewButtonWithIcon("备份到文件夹或U盘…", theme.DownloadIcon(), p.onBackup)
	p.backupBtn.Importance = widget.HighImportance
	p.verifyBtn = widget.NewButtonWithIcon("校验备份…", theme.ConfirmIcon(), p.onVerify)
	p.restore = widget.NewButtonWithIcon("从备份恢复…", theme.HistoryIcon(), p.onRestore)
	p.restore.Importance = widget.DangerImportance
	p.status = newStatusLine()
	p.keyLine = newStatusLine()
	p.history = widget.NewLabel("")
	p.history.Wrapping = fyne.TextWrapBreak

	p.days = newEntry()
	p.days.OnSubmitted = func(string) { p.onSaveDays() }
	p.daysSave = widget.NewButtonWithIcon("保存", theme.DocumentSaveIcon(), p.onSaveDays)
	p.daysMsg = newStatusLine()

	p.rollbacks = container.NewVBox()
	p.keep = newEntry()
	p.keep.OnSubmitted = func(string) { p.onSaveKeep() }
	keepSave := widget.NewButtonWithIcon("保存", theme.DocumentSaveIcon(), p.onSaveKeep)
	p.keepMsg = newStatusLine()

	p.content = container.NewVScroll(leftColumn(820, container.NewVBox(
		p.keyLine.Label,
		container.NewHBox(p.backupBtn, p.verifyBtn, layout.NewSpacer(), p.restore),
		p.status.Label,
		note("备份是加密的（AES-256-GCM），包含整个数据库和审计密钥；写完后立即读回校验。"+
			"解开备份须两人：系统管理员的备份口令和安全保密管理员的恢复口令，任何一人都不能单独读取备份。"+
			"口令务必牢记并与备份盘分开保管：忘记口令，备份就无法恢复。恢复会替换当前数据库（原数据库保存为回滚副本），之后所有人须重新登录。"),
		widget.NewCard("最近的备份", "", p.history),
		formOf([2]fyne.CanvasObject{widget.NewLabel("超过几天未备份时提醒"),
			container.NewHBox(container.New(widthLayout{80}, p.days), p.daysSave)}),
		p.daysMsg.Label,
		widget.NewCard("回滚副本", "每次恢复时被替换下来的数据库（只有本账户能读）；删除会记入审计记录", p.rollbacks),
		formOf([2]fyne.CanvasObject{widget.NewLabel("恢复时保留最近几个"),
			container.NewHBox(container.New(widthLayout{80}, p.keep), keepSave)}),
		p.keepMsg.Label,
	)))
}

// reload reads the reminder, the latest backups and the reminder's days.
func (p *backupPane) reload() {
	s, sess := p.s, p.s.sess
	loadReminder(s.env, s.svc, sess, p.reminder)
	s.env.run(func() {
		recs, err := s.svc.Backups(sess, 8)
		st, err2 := s.svc.BackupStatus(sess)
		key, err3 := s.svc.RecoveryKeyStatus(sess)
		fyne.Do(func() {
			if err3 == nil {
				p.showKey(key)
			}
			if err == nil {
				err = err2
			}
			if err != nil {
				if msg, ok := accountError(err); ok {
					p.status.fail(msg)
					return
				}
				s.unexpected("读取备份记录", err)
				return
			}
			p.days.SetText(strconv.Itoa(st.RemindDays))
			var lines []string
			for _, r := range recs {
				v := "未校验"
				if r.VerifiedAt != nil {
					v = "校验于 " + r.VerifiedAt.Local().Format("2006-01-02 15:04")
				}
				lines = append(lines, fmt.Sprintf("%s  %s  %s  SHA-256 %s…\n    %s",
					r.CreatedAt.Local().Format("2006-01-02 15:04"), sizeText(r.Size), v, r.SHA256[:min(16, len(r.SHA256))], r.Path))
			}
			if len(lines) == 0 {
				lines = append(lines, "还没有备份。")
			}
			p.history.SetText(strings.Join(lines, "\n"))
		})
	})
	p.loadRollbacks()
}

// showKey says which recovery key backups are made for; with none set
// the backup button waits for the security officer (the service refuses
// such a backup anyway).
func (p *backupPane) showKey(k app.RecoveryStatus) {
	if k.ID == "" {
		p.keyLine.fail("还没有设置备份恢复密钥，暂时不能备份：请安全保密管理员在“备份恢复密钥”页设置恢复口令。")
		p.backupBtn.Disable()
		return
	}
	p.keyLine.ok(fmt.Sprintf("备份使用恢复密钥 %s（设置于 %s）", k.ID, k.SetOn))
	p.backupBtn.Enable()
}

// loadRollbacks lists the rollback copies, each with its 删除 button.
func (p *backupPane) loadRollbacks() {
	s, sess := p.s, p.s.sess
	s.env.run(func() {
		rs, err := s.svc.Rollbacks(sess)
		keep := s.svc.RollbackKeep()
		fyne.Do(func() {
			p.keep.SetText(strconv.Itoa(keep))
			p.rollbacks.RemoveAll()
			if err != nil {
				p.rollbacks.Add(widget.NewLabel("读不出回滚副本：" + err.Error()))
				return
			}
			if len(rs) == 0 {
				p.rollbacks.Add(widget.NewLabel("没有回滚副本。"))
			}
			for _, r := range rs {
				r := r
				del := widget.NewButtonWithIcon("删除", theme.DeleteIcon(), func() { p.onRemoveRollback(r) })
				p.rollbacks.Add(container.NewBorder(nil, nil, nil, del, widget.NewLabel(fmt.Sprintf("%s  %s  %s",
					r.Taken.Format("2006-01-02 15:04:05"), sizeText(r.Size), r.Name))))
			}
			p.rollbacks.Refresh()
		})
	})
}

func (p *backupPane) onRemoveRollback(r app.Rollback) {
	dialog.ShowConfirm("删除回滚副本", fmt.Sprintf("删除 %s（%s，%s）？删除后无法找回，删除会记入审计记录。", r.Name,
		r.Taken.Format("2006-01-02 15:04"), sizeText(r.Size)), func(ok bool) {
		if !ok {
			return
		}
		if err := p.s.svc.RemoveRollback(p.s.sess, r.Name); err != nil {
			if msg, ok := accountError(err); ok {
				p.keepMsg.fail(msg)
				return
			}
			p.s.unexpected("删除回滚副本", err)
			return
		}
		p.keepMsg.ok("已删除 " + r.Name)
		p.loadRollbacks()
	}, p.s.win)
}

func (p *backupPane) onSaveKeep() {
	n, err := strconv.Atoi(strings.TrimSpace(p.keep.Text))
	if err != nil {
		p.keepMsg.fail("请填写个数（1 到 20）")
		return
	}
	if err := p.s.svc.SetRollbackKeep(p.s.sess, n); err != nil {
		if msg, ok := accountError(err); ok {
			p.keepMsg.fail(msg)
			return
		}
		p.s.unexpected("保存回滚副本保留数", err)
		return
	}
	p.keepMsg.ok(fmt.Sprintf("已保存：每次恢复后只保留最近 %d 个回滚副本。", n))
}

// sizeText is a file size as people read it.
func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d 字节", n)
}

func (p *backupPane) onSaveDays() {
	n, err := strconv.Atoi(strings.TrimSpace(p.days.Text))
	if err != nil {
		p.daysMsg.fail("请填写天数（1 到 365）")
		return
	}
	if err := p.s.svc.SetBackupRemindDays(p.s.sess, n); err != nil {
		if msg, ok := accountError(err); ok {
			p.daysMsg.fail(msg)
			return
		}
		p.s.unexpected("保存备份提醒天数", err)
		return
	}
	p.daysMsg.ok(fmt.Sprintf("已保存：超过 %d 天没有已校验的备份时，首页显示红色提醒。", n))
	p.reload()
}

// onBackup asks for the folder, then the passphrase twice.
func (p *backupPane) onBackup() {
	p.status.clear()
	showChooser(p.s.win, chooseFolder, "选择备份保存到的文件夹", backupStart(), "", nil, func(dir string) {
		p.askSecret("备份到 "+dir, true, func(sec app.BackupSecret) { p.backupTo(dir, sec) })
	})
}

// backupStart is where the chooser opens for backups: the clerk's USB stick
// when one is mounted, else the documents folder.
func backupStart() string {
	if m := removableMedia(); len(m) > 0 {
		return m[0]
	}
	return documentsDir()
}

// onVerify asks for the file, then the passphrase.
func (p *backupPane) onVerify() {
	p.status.clear()
	p.chooseFile(func(file string) {
		p.askSecret("校验 "+file, false, func(sec app.BackupSecret) { p.verify(file, sec) })
	})
}

// onRestore asks for the file, then for the two people's secrets.
func (p *backupPane) onRestore() {
	p.status.clear()
	p.chooseFile(func(file string) { p.askRestore(file) })
}

func (p *backupPane) chooseFile(then func(file string)) {
	showChooser(p.s.win, chooseOpen, "选择备份文件", backupStart(), "", []string{backup.Ext}, then)
}

// secretDialog asks for the backup's passphrase (twice for a new backup).
type secretDialog struct {
	p          *backupPane
	passphrase *entry
	confirm    *entry // nil unless a new backup
	msg        *widget.Label
	ok         *widget.Button
	then       func(app.BackupSecret)
	dlg        *dialog.CustomDialog
}

func (p *backupPane) askSecret(what string, twice bool, then func(app.BackupSecret)) {
	d := &secretDialog{p: p, then: then, passphrase: newPasswordEntry(), msg: errorLabel()}
	rows := [][2]fyne.CanvasObject{{widget.NewLabel("备份口令"), d.passphrase}}
	label, hint := "继续", "请输入备份时设定的口令。"
	var extra []fyne.CanvasObject
	if twice {
		d.confirm = newPasswordEntry()
		d.confirm.OnSubmitted = func(string) { d.onOK() }
		rows = append(rows, [2]fyne.CanvasObject{widget.NewLabel("再输入一次"), d.confirm})
		label = "开始备份"
		hint = fmt.Sprintf("口令至少 %d 个字符；请牢记，并与备份盘分开保管。恢复时还须安全保密管理员输入恢复口令：任何一人都不能单独解开备份。",
			backup.MinPassphrase)
		generated := widget.NewLabel("")
		generated.TextStyle = fyne.TextStyle{Bold: true}
		generated.Selectable = true
		generated.Hide()
		gen := widget.NewButtonWithIcon("生成口令", theme.ViewRefreshIcon(), func() {
			pw := backup.GeneratePassphrase()
			d.passphrase.SetText(pw)
			d.confirm.SetText(pw)
			generated.SetText("请抄下这个口令：" + pw)
			generated.Show()
		})
		extra = append(extra, container.NewHBox(gen), generated)
	} else {
		d.passphrase.OnSubmitted = func(string) { d.onOK() }
	}
	intro := newCJKText(what)
	body := container.NewVBox(append(append([]fyne.CanvasObject{intro, formOf(rows...)}, extra...), d.msg, note(hint))...)
	d.dlg, d.ok = newFormDialog(p.s.win, "备份口令", body, label, theme.ConfirmIcon(), d.onOK, d.close,
		fyne.NewSize(560, 300))
	p.secret = d
	d.dlg.Show()
	p.s.win.Canvas().Focus(d.passphrase)
}

func (d *secretDialog) onOK() {
	pw := d.passphrase.Text
	if d.confirm != nil {
		switch {
		case utf8.RuneCountInString(pw) < backup.MinPassphrase:
			setMessage(d.msg, fmt.Sprintf("口令至少 %d 个字符", backup.MinPassphrase))
			return
		case pw != d.confirm.Text:
			setMessage(d.msg, "两次输入的口令不一致")
			return
		}
	} else if pw == "" {
		setMessage(d.msg, "请输入口令")
		return
	}
	d.close()
	d.then(app.BackupSecret{Passphrase: pw})
}

// close hides the dialog and forgets what was typed in it.
func (d *secretDialog) close() {
	d.passphrase.SetText("")
	if d.confirm != nil {
		d.confirm.SetText("")
	}
	d.dlg.Hide()
	if d.p.secret == d {
		d.p.secret = nil
	}
}

// progressDialog shows a running operation's stage and progress; it has
// no buttons: the work can't be left half done.
type progressDialog struct {
	stage *widget.Label
	bar   *widget.ProgressBar
	dlg   *dialog.CustomDialog
}

func (p *backupPane) startProgress(title string) *progressDialog {
	d := &progressDialog{stage: widget.NewLabel("准备中…"), bar: widget.NewProgressBar()}
	d.dlg = dialog.NewCustomWithoutButtons(title, container.NewVBox(d.stage, d.bar,
		note("请不要拔出备份盘，也不要关闭程序。")), p.s.win)
	d.dlg.Resize(fyne.NewSize(520, 200))
	d.dlg.Show()
	p.progress = d
	return d
}

// report is the progress callback: from the worker, applied on the UI goroutine.
func (d *progressDialog) report(stage string, f float64) {
	fyne.Do(func() {
		d.stage.SetText(stage)
		d.bar.SetValue(f)
	})
}

func (p *backupPane) endProgress() {
	if p.progress != nil {
		p.progress.dlg.Hide()
		p.progress = nil
	}
}

// fail shows why an operation did not succeed.
func (p *backupPane) fail(doing string, err error) {
	if msg, ok := backupErrorText(err); ok {
		p.status.fail(doing + "没有完成：" + msg)
		p.show(doing+"没有完成", msg)
		return
	}
	p.s.unexpected(doing, err)
}

func (p *backupPane) show(title, msg string) {
	d := dialog.NewInformation(title, msg, p.s.win)
	p.result = d
	d.Show()
}

// backupTo writes the backup off the UI goroutine, showing its progress.
func (p *backupPane) backupTo(dir string, sec app.BackupSecret) {
	pd := p.startProgress("正在备份")
	s, sess := p.s, p.s.sess
	s.env.run(func() {
		rec, err := s.svc.Backup(sess, dir, sec, pd.report)
		fyne.Do(func() {
			p.endProgress()
			if err != nil {
				p.fail("备份", err)
				p.reload()
				return
			}
			p.status.ok("备份完成并已读回校验：" + rec.Path)
			p.show("备份完成", fmt.Sprintf("已备份到\n%s\n\n大小 %s，已读回校验，备份完好。\n载体 %s 件，审计记录 %s 条。\nSHA-256：%s\n\n请把备份盘和口令分开保管。",
				rec.Path, sizeText(rec.Size), thousands(rec.Carriers), thousands(rec.AuditRecords), rec.SHA256))
			p.reload()
		})
	})
}

// verify checks a backup and shows what is inside.
func (p *backupPane) verify(file string, sec app.BackupSecret) {
	pd := p.startProgress("正在校验备份")
	s, sess := p.s, p.s.sess
	s.env.run(func() {
		info, err := s.svc.VerifyBackup(sess, file, sec, nil, pd.report)
		fyne.Do(func() {
			p.endProgress()
			if err != nil {
				p.fail("校验", err)
				return
			}
			msg := fmt.Sprintf("备份完好：文件完整，自写入以来没有被改动，口令正确。\n\n备份文件：%s\nSHA-256：%s\n\n"+
				"内容是加密的：只有系统管理员（备份口令）和安全保密管理员（恢复口令）两人在场才能解开，恢复时核对全部内容。",
				sizeText(info.Size), info.SHA256)
			p.status.ok("校验通过：" + file)
			p.show("校验通过", msg)
			p.reload()
		})
	})
}

// restoreDialog asks for what a restore needs from the people present:
// the system administrator's backup passphrase, the security officer's
// recovery passphrase, and, to move in a register from another machine,
// its auditor's sign-in.
type restoreDialog struct {
	p                                   *backupPane
	file                                string
	passphrase, recovery, auditor, apwd *entry
	msg                                 *widget.Label
	dlg                                 *dialog.CustomDialog
}

func (p *backupPane) askRestore(file string) {
	d := &restoreDialog{p: p, file: file, passphrase: newPasswordEntry(), recovery: newPasswordEntry(),
		auditor: newEntry(), apwd: newPasswordEntry(), msg: errorLabel()}
	d.auditor.SetPlaceHolder("仅从另一台电脑迁入时填写")
	for _, e := range []*entry{d.passphrase, d.recovery, d.apwd} {
		e.OnSubmitted = func(string) { d.onOK() }
	}
	intro := newCJKText("从 " + file + " 恢复")
	body := container.NewVBox(intro, formOf(
		[2]fyne.CanvasObject{widget.NewLabel("备份口令（系统管理员）"), d.passphrase},
		[2]fyne.CanvasObject{widget.NewLabel("恢复口令（安全保密管理员）"), d.recovery},
		[2]fyne.CanvasObject{widget.NewLabel("安全审计员登录名"), d.auditor},
		[2]fyne.CanvasObject{widget.NewLabel("安全审计员密码"), d.apwd},
	), d.msg, note("恢复须两人在场：系统管理员输入备份口令，安全保密管理员亲自输入恢复口令。"+
		"备份来自另一台电脑（本机没有它的审计密钥）时，还须由备份中的安全审计员登录确认迁入。"+
		"恢复前程序会核对备份的全部审计记录和登记簿记录、数据库结构，并与当前登记簿核对；任何一项不符都不会恢复。"))
	var ok *widget.Button
	d.dlg, ok = newFormDialog(p.s.win, "从备份恢复", body, "继续", theme.ConfirmIcon(), d.onOK, d.close,
		fyne.NewSize(640, 420))
	ok.Importance = widget.DangerImportance
	p.restoring = d
	d.dlg.Show()
	p.s.win.Canvas().Focus(d.passphrase)
}

func (d *restoreDialog) onOK() {
	if d.passphrase.Text == "" || d.recovery.Text == "" {
		setMessage(d.msg, "请输入备份口令和恢复口令（两人各自输入）")
		return
	}
	in := app.RestoreInput{File: d.file, Secret: app.BackupSecret{Passphrase: d.passphrase.Text},
		Recovery: backup.RecoverySecret{Passphrase: d.recovery.Text}, AuditorLogin: strings.TrimSpace(d.auditor.Text),
		AuditorPassword: d.apwd.Text}
	d.close()
	p := d.p
	msg := "用这个备份替换当前数据库？\n\n" + d.file +
		"\n\n备份之后登记、修改的内容都会被替换掉。当前数据库将保存为回滚副本，列在本页的“回滚副本”中。恢复后所有人须重新登录。"
	c := dialog.NewConfirm("确认恢复", msg, func(ok bool) {
		p.confirm = nil
		if ok {
			p.restoreNow(in)
		}
	}, p.s.win)
	c.SetConfirmText("恢复")
	c.SetConfirmImportance(widget.DangerImportance)
	c.SetDismissText("取消")
	p.confirm = c
	c.Show()
}

// close hides the dialog and forgets every secret typed in it.
func (d *restoreDialog) close() {
	for _, e := range []*entry{d.passphrase, d.recovery, d.auditor, d.apwd} {
		e.SetText("")
	}
	d.dlg.Hide()
	if d.p.restoring == d {
		d.p.restoring = nil
	}
}

// restoreNow replaces the database; on success the window goes back to the
// sign-in, since every session has ended.
func (p *backupPane) restoreNow(in app.RestoreInput) {
	pd := p.startProgress("正在校验并恢复")
	s, sess := p.s, p.s.sess
	s.env.run(func() {
		rep, err := s.svc.Restore(sess, in, pd.report)
		fyne.Do(func() {
			p.endProgress()
			if err != nil {
				p.fail("恢复", err)
				return
			}
			notice := fmt.Sprintf("数据库已从备份恢复（备份创建于 %s，载体 %s 件）。原数据库保存为 %s。请重新登录。",
				rep.Info.Created.Local().Format("2006-01-02 15:04"), thousands(rep.Info.Counts.Carriers), rep.Rollback)
			if rep.Moved {
				notice += "\n这是迁入：审计密钥随备份迁入本机。"
			}
			s.restored(notice)
		})
	})
}

// restored leaves the home after a restore: the service has ended every
// session, the window forgets what it built and asks to sign in again.
func (s *Shell) restored(notice string) {
	s.onSignOut()
	s.showSignIn(notice)
}
