package app

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// Limits of a copy request.
const (
	MaxCopies       = 99
	MaxPurposeLen   = 200
	MaxRequesterLen = 50
)

// Field names of the copy request's and the decision's messages.
const (
	FieldCopyCarrier   = "CopyCarrier"
	FieldCopies        = "Copies"
	FieldPurpose       = "Purpose"
	FieldRequester     = "Requester"
	FieldAuthorityDoc  = "AuthorityDoc"
	FieldApprover      = "Approver"
	FieldDecision      = "Decision"
	FieldDecidedOn     = "DecidedOn"
	FieldCopyRequestID = "CopyRequest"
	FieldMaker         = "Maker"
)

// CopyRequestInput is a 复制/复印 request as the clerk records it.
type CopyRequestInput struct {
	CarrierID string
	Copies    int
	Purpose   string
	Requester string
	// Department is the requester's 部门; Maker the 承制单位 that makes the
	// copies: the office itself or an approved 定点单位 (R23).
	Department, Maker string
	// Kind is 复制 (""), or 摘录 / 汇编: a new document made from parts of
	// CarrierID alone, or of CarrierID and Sources (R23), titled Title and
	// read by NeedToKnow, no wider than the narrowest source's.
	Kind       models.CopyKind
	Sources    []string
	Title      string
	NeedToKnow string
	// AuthorityDoc is the originating authority's approval document number:
	// required for 绝密 when the security officer's policy allows copying it.
	AuthorityDoc string
}

// FormatSlipNo prints a copy slip number: 复〔2026〕0001.
func FormatSlipNo(year int, n int64) string { return fmt.Sprintf("复〔%d〕%04d", year, n) }

func slipCounterName(year int) string { return fmt.Sprintf("copy:%d", year) }

func fieldError(field string, cause error, format string, args ...any) *models.ValidationError {
	return &models.ValidationError{Fields: []models.FieldError{{Field: field, Msg: fmt.Sprintf(format, args...)}},
		Cause: cause}
}

// CopyRefusal is why a copy of c can't even be asked for (R1 and the state
// rule), "" when it can: the window disables 复制申请 with this reason, and
// RequestCopy refuses with it. topSecretAllowed is the security officer's
// switch for 绝密 (Service.TopSecretCopyAllowed).
func CopyRefusal(c models.Carrier, topSecretAllowed bool) string {
	switch {
	case c.Kind == models.KindCipherTel:
		return "密码电报一律不得复制"
	case c.NoCopy:
		return "该文件标有“不得复制”，不得复制"
	case c.Level == models.LevelTopSecret && !topSecretAllowed:
		return "绝密级载体不得复制"
	case c.State == models.StateVoided:
		return "该登记已作废，不能复制"
	case c.State != models.StateInStore:
		return fmt.Sprintf("该载体当前%s，只有在库的载体才能复制", c.State)
	}
	return ""
}

// copyable applies R1 and the state rule to the carrier to be copied.
func copyable(tx *gorm.DB, c *models.Carrier, authorityDoc string) error {
	allowed := topSecretCopyAllowed(tx)
	if why := CopyRefusal(*c, allowed); why != "" {
		cause := models.ErrCopyForbidden
		switch {
		case c.Kind == models.KindCipherTel || c.NoCopy || (c.Level == models.LevelTopSecret && !allowed):
		case c.State == models.StateVoided:
			cause = models.ErrVoided
		default:
			cause = models.ErrNotInStore
		}
		return fieldError(FieldCopyCarrier, cause, "%s", why)
	}
	if c.Level == models.LevelTopSecret && strings.TrimSpace(authorityDoc) == "" {
		return fieldError(FieldAuthorityDoc, models.ErrNeedsAuthorityDoc,
			"复制绝密级载体须经原定密机关批准，请填写批准文件的文号")
	}
	return nil
}

func takeCarrier(tx *gorm.DB, id string) (models.Carrier, error) {
	var c models.Carrier
	err := tx.Where("id = ?", id).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return c, fmt.Errorf("carrier %s: %w", id, models.ErrNotFound)
	}
	return c, err
}

// RequestCopy records a request to copy a carrier (R1), to be decided by an
// approver. Clerk only. 绝密 (unless the security officer allows it with the
// originating authority's document) and 密码电报 are refused, as is a
// carrier that is not 在库.
func (s *Service) RequestCopy(sess *Session, in CopyRequestInput) (_ models.CopyRequest, err error) {
	defer s.refused(sess, "RequestCopy", in.CarrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.CopyRequest{}, err
	}
	in.Purpose = strings.TrimSpace(in.Purpose)
	in.Requester = strings.TrimSpace(in.Requester)
	in.Department, in.Maker = strings.TrimSpace(in.Department), strings.TrimSpace(in.Maker)
	in.AuthorityDoc = models.NormalizeDocNumber(strings.TrimSpace(in.AuthorityDoc))
	var v models.ValidationError
	if in.Copies < 1 || in.Copies > MaxCopies {
		v.Fields = append(v.Fields, models.FieldError{Field: FieldCopies,
			Msg: fmt.Sprintf("复制份数应在 1 至 %d 之间", MaxCopies)})
	}
	switch n := utf8.RuneCountInString(in.Purpose); {
	case n == 0:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldPurpose, Msg: "请写明复制用途"})
	case n > MaxPurposeLen:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldPurpose,
			Msg: fmt.Sprintf("复制用途不能超过 %d 个字", MaxPurposeLen)})
	}
	switch n := utf8.RuneCountInString(in.Requester); {
	case n == 0:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldRequester, Msg: "请填写申请人"})
	case n > MaxRequesterLen:
		v.Fields = append(v.Fields, models.FieldError{Field: FieldRequester,
			Msg: fmt.Sprintf("申请人不能超过 %d 个字", MaxRequesterLen)})
	}
	for _, f := range []struct{ key, label, text string }{{FieldDepartment, "部门", in.Department}, {FieldMaker, "承制单位", in.Maker}} {
		if utf8.RuneCountInString(f.text) > models.MaxShortLen {
			v.Fields = append(v.Fields, models.FieldError{Field: f.key,
				Msg: fmt.Sprintf("%s不能超过 %d 个字", f.label, models.MaxShortLen)})
		}
	}
	checkDerived(&v, &in)
	if len(v.Fields) > 0 {
		return models.CopyRequest{}, &v
	}
	var out models.CopyRequest
	err = s.write(func(tx *gorm.DB) error {
		sources, err := requestSources(tx, in.CarrierID, in.Sources)
		if err != nil {
			return err
		}
		c := sources[0]
		top := models.LevelNone
		for i := range sources {
			if err := copyable(tx, &sources[i], in.AuthorityDoc); err != nil {
				return sourceError(err, sources[i], len(sources))
			}
			top = max(top, sources[i].Level)
		}
		if top != models.LevelTopSecret {
			in.AuthorityDoc = ""
		}
		today := s.today()
		n, err := nextCounter(tx, slipCounterName(today.Year()))
		if err != nil {
			return err
		}
		now := s.now()
		out = models.CopyRequest{ID: uuid.NewString(), SlipNo: FormatSlipNo(today.Year(), n), CarrierID: c.ID,
			Copies: in.Copies, Purpose: in.Purpose, Requester: in.Requester, AuthorityDoc: in.AuthorityDoc,
			Department: in.Department, Maker: in.Maker, Kind: in.Kind, NewTitle: in.Title, NeedToKnow: in.NeedToKnow,
			RequestedOn: today.Format(models.DateLayout), RequestedAt: now, RequestedBy: sess.FullName,
			State: models.RequestPending}
		if err := tx.Create(&out).Error; err != nil {
			return fmt.Errorf("insert copy request: %w", err)
		}
		what := fmt.Sprintf("%s %s %s%d份", c.RegNo, c.Marking(), out.Kind, out.Copies)
		if out.Kind != models.CopyWhole {
			if err := saveRequestSources(tx, out.ID, sources); err != nil {
				return err
			}
			what = fmt.Sprintf("%s《%s》%d份，来源 %s", out.Kind, out.NewTitle, out.Copies, regNoList(sources))
		}
		if err := s.audit(tx, sess, models.EventCopyRequest, out.SlipNo, true,
			fmt.Sprintf("%s 申请人：%s 用途：%s", what, out.Requester, out.Purpose)); err != nil {
			return err
		}
		if top.IsStateSecret() {
			return nil
		}
		// 内部 and 非密 are copied on the record alone (R21).
		if err := s.decide(tx, sess, &models.CopyRequest{}, out.ID, models.RequestPending, models.RequestApproved,
			&out.Decided, nil, NoApproval, "", today.Format(models.DateLayout), map[string]any{"approved": out.Copies}); err != nil {
			return err
		}
		out.State, out.Approved = models.RequestApproved, out.Copies
		if out.Kind != models.CopyWhole {
			_, err = s.makeDerived(tx, sess, sources, &out)
		} else {
			_, err = s.makeCopies(tx, sess, &c, &out)
		}
		return err
	})
	if err != nil {
		return models.CopyRequest{}, err
	}
	return out, nil
}

// CopyDecision is a leader's decision on a copy slip as the clerk records it (R9).
type CopyDecision struct {
	RequestID  string
	Copies     int // copies approved: 0 for all that were asked, or fewer (R23)
	ApproverID string
	Decision   string // 同意 or 不同意: nothing else is a decision
	Opinion    string
	DecidedOn  string // yyyy-mm-dd, the date the leader wrote
}

// DecideCopy records the approver's decision on a copy request (R9). On 同意
// (of all the copies asked, or of fewer: R23) each copy is registered as its
// own carrier linked to the original, with its level, term start, term and
// need-to-know (R16, R23), marked 复制件, with its own register number, its
// place in the original's own copy series and its 复制戳, all in one
// transaction. On 不同意 nothing is copied. Clerk only. It returns the
// request as decided and the copies made.
func (s *Service) DecideCopy(sess *Session, d CopyDecision) (_ models.CopyRequest, _ []models.Carrier, err error) {
	defer s.refused(sess, "DecideCopy", d.RequestID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return models.CopyRequest{}, nil, err
	}
	d.Decision = strings.TrimSpace(d.Decision)
	d.Opinion = strings.TrimSpace(d.Opinion)
	on, err := s.checkDecisionInput(d.Decision, d.Opinion, strings.TrimSpace(d.DecidedOn), d.ApproverID)
	if err != nil {
		return models.CopyRequest{}, nil, err
	}
	var (
		req    models.CopyRequest
		copies []models.Carrier
	)
	err = s.write(func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", d.RequestID).Take(&req).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return fmt.Errorf("copy request %s: %w", d.RequestID, models.ErrNotFound)
			}
			return err
		}
		if req.State != models.RequestPending {
			return fieldError(FieldCopyRequestID, models.ErrRequestDecided,
				"复制申请 %s 已%s，不能再次审批", req.SlipNo, strings.TrimPrefix(req.State.String(), "已"))
		}
		if on < req.RequestedOn {
			return fieldError(FieldDecidedOn, models.ErrBackdated,
				"审批日期 %s 早于申请日期 %s，不得倒签", on, req.RequestedOn)
		}
		sources, err := sourcesOf(tx, &req)
		if err != nil {
			return err
		}
		c := sources[0]
		top := models.LevelNone
		for _, src := range sources {
			top = max(top, src.Level)
		}
		a, err := takeApprover(tx, d.ApproverID, models.ApproveCopy, top)
		if err != nil {
			return err
		}
		approved := 0
		if d.Decision == models.DecisionApprove {
			// The carriers may have changed since the request: check again.
			for i := range sources {
				if err := copyable(tx, &sources[i], req.AuthorityDoc); err != nil {
					return sourceError(err, sources[i], len(sources))
				}
			}
			approved = req.Copies
			if d.Copies != 0 {
				if d.Copies < 1 || d.Copies > req.Copies {
					return fieldError(FieldCopies, models.ErrBadCopies, "同意复制的份数应在 1 至 %d 份之间（申请 %d 份）", req.Copies, req.Copies)
				}
				approved = d.Copies
			}
		}
		state := models.RequestRefused
		if d.Decision == models.DecisionApprove {
			state = models.RequestApproved
		}
		if err := s.decide(tx, sess, &models.CopyRequest{}, req.ID, models.RequestPending, state, &req.Decided,
			&a, d.Decision, d.Opinion, on, map[string]any{"approved": approved}); err != nil {
			return err
		}
		req.State, req.Approved = state, approved
		detail := fmt.Sprintf("%s %s 审批人：%s %s%s", c.RegNo, d.Decision, a.Name, on, opinionNote(d.Opinion))
		if approved > 0 && approved < req.Copies {
			detail += fmt.Sprintf("；申请 %d 份，同意 %d 份", req.Copies, approved)
		}
		if err := s.audit(tx, sess, models.EventCopyDecide, req.SlipNo, true, detail); err != nil {
			return err
		}
		if state != models.RequestApproved {
			return nil
		}
		if req.Kind != models.CopyWhole {
			copies, err = s.makeDerived(tx, sess, sources, &req)
			return err
		}
		copies, err = s.makeCopies(tx, sess, &c, &req)
		return err
	})
	if err != nil {
		return models.CopyRequest{}, nil, err
	}
	return req, copies, nil
}

// makeCopies registers the copies of an approved request (R1, R16).
func (s *Service) makeCopies(tx *gorm.DB, sess *Session, orig *models.Carrier, req *models.CopyRequest) ([]models.Carrier, error) {
	// A copy is numbered in its original's own series (复制件第 n 份), never
	// in the issuer's 份号 series; its 份号 stays the original's (R23).
	var top int
	if err := tx.Raw(`SELECT COALESCE(MAX(copy_serial), 0) FROM carriers WHERE original_id = ?`, orig.ID).
		Scan(&top).Error; err != nil {
		return nil, fmt.Errorf("copy series of %s: %w", orig.RegNo, err)
	}
	now := s.now()
	today := s.today()
	year := today.Year()
	batch := uuid.NewString()
	remark := fmt.Sprintf("复制件，原件 %s 份号%s，复制单 %s", orig.RegNo, orig.CopyNoText(), req.SlipNo)
	n := req.Approved
	out := make([]models.Carrier, 0, n)
	office := s.OfficeName()
	// A copy's term counts from its original's start, never from the day it
	// was copied (R23).
	origStart := ""
	if orig.DocDate == "" {
		origStart, _ = orig.TermStart()
	}
	for i := 0; i < n; i++ {
		seq, err := nextCounter(tx, "seq")
		if err != nil {
			return nil, err
		}
		reg, err := nextCounter(tx, regCounterName(orig.Direction, year))
		if err != nil {
			return nil, err
		}
		origID := orig.ID
		serial := top + 1 + i
		c := models.Carrier{
			ID: uuid.NewString(), Seq: seq,
			RegNo: FormatRegNo(orig.Direction, year, reg), Direction: orig.Direction, Year: year,
			RegDate: today.Format(models.DateLayout), DocDate: orig.DocDate, TermFrom: origStart,
			DocNumber: orig.DocNumber, Title: orig.Title, Issuer: orig.Issuer, DocKind: orig.DocKind,
			Level: orig.Level, TermKind: orig.TermKind, TermYears: orig.TermYears, TermMonths: orig.TermMonths,
			TermUntil: orig.TermUntil, TermCondition: orig.TermCondition,
			CopyNo: orig.CopyNo, CopySerial: serial, CopyStamp: CopyStampText(office, today, serial),
			CopyCount: n, BatchID: batch, Pages: orig.Pages, Capacity: orig.Capacity,
			Urgency: orig.Urgency, Kind: orig.Kind, NeedToKnow: orig.NeedToKnow, Location: orig.Location,
			Custodian: orig.Custodian, Remarks: remark,
			State: models.StateInStore, IsCopy: true, OriginalID: &origID, Version: 1,
			CreatedAt: now, CreatedBy: sess.FullName, UpdatedAt: now,
		}
		if err := tx.Create(&c).Error; err != nil {
			return nil, fmt.Errorf("insert copy %s: %w", c.RegNo, err)
		}
		if err := indexCarrier(tx, &c, false); err != nil {
			return nil, err
		}
		summary := fmt.Sprintf("%s %s 份号%s 复制件（原件 %s，复制单 %s，审批人 %s %s）", c.RegNo, c.Marking(),
			c.CopyNoText(), orig.RegNo, req.SlipNo, req.ApproverName, req.DecidedOn)
		if err := addEvent(tx, now, sess, c.ID, 0, models.ActionRegister, "", "", summary, req.Purpose); err != nil {
			return nil, err
		}
		if err := s.audit(tx, sess, models.EventCopy, c.RegNo, true,
			fmt.Sprintf("%s 复制件 原件 %s 复制单 %s", c.Marking(), orig.RegNo, req.SlipNo)); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	regNos := make([]string, len(out))
	for i, c := range out {
		regNos[i] = fmt.Sprintf("%s（份号%s）", c.RegNo, c.CopyNoText())
	}
	summary := fmt.Sprintf("复制%d份：%s；复制单 %s，审批人 %s %s，申请人 %s", len(out), strings.Join(regNos, "、"),
		req.SlipNo, req.ApproverName, req.DecidedOn, req.Requester)
	if err := addEvent(tx, now, sess, orig.ID, 0, models.ActionCopy, "", "", summary, req.Purpose); err != nil {
		return nil, err
	}
	return out, nil
}

// CopyStampText is a copy's 复制戳 (R23; 条例: 复制件应当加盖复制机关戳记):
// the copying office, the day and the copy's number in its original's series.
func CopyStampText(office string, on time.Time, serial int) string {
	if office == "" {
		office = "本机关"
	}
	return fmt.Sprintf("%s复制 %d年%d月%d日 复制件第%d份", office, on.Year(), int(on.Month()), on.Day(), serial)
}

// CopyRequests lists the copy requests of a carrier (all carriers when
// carrierID is ""), newest first.
func (s *Service) CopyRequests(sess *Session, carrierID string) (_ []models.CopyRequest, err error) {
	defer s.refused(sess, "CopyRequests", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	q := s.db.Order("requested_at DESC, slip_no DESC")
	if carrierID != "" {
		q = q.Where("carrier_id = ?", carrierID)
	}
	var out []models.CopyRequest
	err = q.Find(&out).Error
	return out, err
}

// PendingCopyRequests lists the requests awaiting a decision, oldest first.
func (s *Service) PendingCopyRequests(sess *Session) (_ []models.CopyRequest, err error) {
	defer s.refused(sess, "PendingCopyRequests", "", &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.CopyRequest
	err = s.db.Where("state = ?", models.RequestPending).Order("requested_at, slip_no").Find(&out).Error
	return out, err
}

// OutstandingCopies lists the living copies of an original: those the
// office still holds or has lent out, by copy number.
func (s *Service) OutstandingCopies(sess *Session, originalID string) (_ []models.Carrier, err error) {
	defer s.refused(sess, "OutstandingCopies", originalID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.Carrier
	err = s.db.Where("original_id = ? AND state IN ?", originalID, models.HeldStates).
		Order("copy_no, seq").Find(&out).Error
	return out, err
}
