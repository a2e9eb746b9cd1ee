package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"secdoc/models"
)

// secAdminHome is the security officer's: who holds which role, keeping the
// three administrators separate (R18), and the security policy.
type secAdminHome struct {
	s *Shell

	users  *usersTable
	who    *widget.Label
	role   *widget.Select
	apply  *widget.Button
	status statusLine

	policy     *policyForm
	policySave *widget.Button
	policyMsg  statusLine

	recovery *recoveryPane // 备份恢复密钥

	approvers *approversPane // 审批人
	periods   *periodPane    // 自查周期 (R19)
	loanDays  *periodPane    // 借阅期限 (R27)
	calendar  *calendarPane  // 工作日历 (R27)
	grades    *gradePane     // 人员涉密等级 (R27)
	review    *reviewPane    // 年度审核 (R26), read only
	stats     *statsScreen   // 统计 (R26)

	tabs    *container.AppTabs
	content fyne.CanvasObject
}

func newSecAdminHome(s *Shell) *secAdminHome {
	h := &secAdminHome{s: s}
	h.buildUI()
	loadUsers(s, h.users)
	return h
}

// roleNames are the roles as the select offers them.
func roleNames() []string {
	out := make([]string, len(models.Roles))
	for i, r := range models.Roles {
		out[i] = r.String()
	}
	return out
}

func (h *secAdminHome) buildUI() {
	h.users = newUsersTable(h.s.env.now, h.onSelect)
	h.who = widget.NewLabel("")
	h.role = widget.NewSelect(roleNames(), nil)
	h.role.PlaceHolder = "请先在下表中选择账户"
	h.apply = widget.NewButtonWithIcon("修改角色", theme.ConfirmIcon(), h.onApply)
	h.apply.Importance = widget.HighImportance
	h.status = newStatusLine()
	h.onSelect(nil)
	refresh := widget.NewButtonWithIcon("刷新", theme.ViewRefreshIcon(), func() {
		h.status.clear()
		loadUsers(h.s, h.users)
	})
	roles := container.NewBorder(container.NewVBox(
		container.NewHBox(widget.NewLabel("账户"), h.who, widget.NewLabel("角色"),
			container.New(widthLayout{180}, h.role), h.apply, layout.NewSpacer(), refresh),
		h.status.Label,
		note("系统管理员、安全保密管理员、安全审计员各自独立；安全审计员不能与系统管理员、安全保密管理员为同一人（三员分立）。不能改变自己的角色。"),
	), nil, nil, nil, h.users.table)

	h.policy = newPolicyForm()
	if p, err := h.s.svc.Policy(); err == nil {
		h.policy.fill(p)
	} else {
		h.s.unexpected("读取安全策略", err)
	}
	h.policySave = widget.NewButtonWithIcon("保存安全策略", theme.DocumentSaveIcon(), h.onSavePolicy)
	h.policySave.Importance = widget.HighImportance
	h.policyMsg = newStatusLine()
	policy := container.NewVBox(h.policy.content, h.policyMsg.Label, container.NewHBox(h.policySave),
		note("新的密码规则在下次设置密码时生效；空闲锁屏时间立即生效。"))
	h.policy.msgs.frame = policy

	h.tabs = container.NewAppTabs(
		screenTab("角色分配", theme.AccountIcon(), container.NewPadded(roles)),
		screenTab("安全策略", theme.SettingsIcon(), container.NewPadded(leftColumn(720, policy))),
	)
	h.approvers = newApproversPane(h.s)
	h.tabs.Append(screenTab("审批人", theme.ConfirmIcon(), container.NewPadded(h.approvers.content)))
	h.periods = newPeriodPane(h.s)
	h.loanDays = newLoanDaysPane(h.s)
	h.tabs.Append(screenTab("周期与期限", theme.HistoryIcon(), container.NewPadded(container.NewVScroll(
		container.NewVBox(h.periods.content, widget.NewSeparator(), h.loanDays.content)))))
	h.calendar = newCalendarPane(h.s)
	h.tabs.Append(screenTab("工作日历", theme.CalendarIcon(), container.NewPadded(h.calendar.content)))
	h.grades = newGradePane(h.s)
	h.tabs.Append(screenTab("涉密等级", theme.AccountIcon(), container.NewPadded(h.grades.content)))
	h.review = newReviewPane(h.s.svc, h.s.sess, h.s.env, h.s.win, nil)
	reviewTab := screenTab("年度审核", theme.HistoryIcon(), container.NewPadded(h.review.content))
	h.tabs.Append(reviewTab)
	h.tabs.OnSelected = func(t *container.TabItem) {
		if t == reviewTab {
			h.review.show()
		}
	}
	h.recovery = newRecoveryPane(h.s)
	h.tabs.Append(screenTab("备份恢复密钥", theme.StorageIcon(), container.NewPadded(h.recovery.content)))
	h.stats = secAdminStats(h.s, h.tabs) // 统计 (R26)
	h.content = h.tabs
}

// onSelect shows the selected account's role, ready to change; one's own
// role is not offered.
func (h *secAdminHome) onSelect(u *models.User) {
	if u == nil || u.ID == h.s.sess.UserID {
		h.role.ClearSelected()
		h.role.Disable()
		h.apply.Disable()
		h.who.SetText("")
		if u != nil {
			h.who.SetText(u.Login + "（本人，不能修改）")
		}
		return
	}
	h.who.SetText(fmt.Sprintf("%s（%s）", u.Login, u.FullName))
	h.role.Enable()
	h.role.SetSelected(u.Role.String())
	h.apply.Enable()
}

// onApply gives the selected account the chosen role; the domain keeps the
// three administrators apart and says why when it refuses.
func (h *secAdminHome) onApply() {
	u := h.users.current()
	if u == nil {
		return
	}
	role, ok := models.ParseRole(h.role.Selected)
	if !ok {
		h.status.fail("请选择角色")
		return
	}
	if role == u.Role {
		h.status.ok(fmt.Sprintf("%s 已是%s", u.Login, role))
		return
	}
	err := h.s.svc.SetRole(h.s.sess, u.ID, role)
	if err != nil {
		h.role.SetSelected(u.Role.String())
		if msg, ok := accountError(err); ok {
			h.status.fail(msg)
			return
		}
		h.s.unexpected("修改角色", err)
		return
	}
	h.status.ok(fmt.Sprintf("%s（%s）的角色已改为%s", u.Login, u.FullName, role))
	loadUsers(h.s, h.users)
}

func (h *secAdminHome) onSavePolicy() {
	h.policy.msgs.clear()
	h.policyMsg.clear()
	p, ok := h.policy.read()
	if !ok {
		return
	}
	err := h.s.svc.SetPolicy(h.s.sess, p)
	if err != nil {
		if v, ok := models.AsValidation(err); ok {
			h.policy.msgs.show(v)
			return
		}
		if msg, ok := accountError(err); ok {
			h.policyMsg.fail(msg)
			return
		}
		h.s.unexpected("保存安全策略", err)
		return
	}
	h.s.policyChanged(p)
	h.policyMsg.ok("安全策略已保存。")
}
