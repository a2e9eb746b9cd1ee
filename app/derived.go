package app

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"secdoc/models"
)

// Field names of a 摘录 or 汇编 request's messages.
const (
	FieldSources    = "Sources"
	FieldNewTitle   = "NewTitle"
	FieldNeedToKnow = "NeedToKnow"
	FieldCopyKind   = "CopyKind"
)

// MaxSources is the most carriers one 汇编 is made from.
const MaxSources = 50

// checkDerived checks what a 摘录 or 汇编 request needs besides a copy's:
// its title and 知悉范围; a 摘录 is made from one carrier, a 汇编 from
// several, each named once.
func checkDerived(v *models.ValidationError, in *CopyRequestInput) {
	in.Title, in.NeedToKnow = strings.TrimSpace(in.Title), strings.TrimSpace(in.NeedToKnow)
	add := func(field, format string, args ...any) {
		v.Fields = append(v.Fields, models.FieldError{Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	switch in.Kind {
	case models.CopyWhole:
		in.Sources, in.Title, in.NeedToKnow = nil, "", ""
		return
	case models.CopyExtract:
		if len(in.Sources) > 0 {
			add(FieldSources, "摘录只能取自一份文件；取自几份文件的请选择“汇编”")
		}
	case models.CopyCompile:
		if len(in.Sources) == 0 {
			add(FieldSources, "汇编须取自两份以上文件：请列出其余文件的登记号")
		}
		if len(in.Sources)+1 > MaxSources {
			add(FieldSources, "一次汇编最多取自 %d 份文件", MaxSources)
		}
	default:
		add(FieldCopyKind, "请选择复制、摘录或汇编")
		return
	}
	if in.Title == "" {
		add(FieldNewTitle, "请填写%s本的题名", in.Kind)
	} else if utf8.RuneCountInString(in.Title) > models.MaxTitleLen {
		add(FieldNewTitle, "题名最多 %d 个字", models.MaxTitleLen)
	}
	if in.NeedToKnow == "" {
		add(FieldNeedToKnow, "请填写%s本的知悉范围：不得宽于来源文件中最窄的知悉范围", in.Kind)
	} else if utf8.RuneCountInString(in.NeedToKnow) > models.MaxShortLen*2 {
		add(FieldNeedToKnow, "知悉范围最多 %d 个字", models.MaxShortLen*2)
	}
}

// requestSources reads the carriers a request is made from: first, then
// the others, each once (by id or register number).
func requestSources(tx *gorm.DB, first string, others []string) ([]models.Carrier, error) {
	c, err := takeCarrier(tx, first)
	if err != nil {
		return nil, err
	}
	out := []models.Carrier{c}
	seen := map[string]bool{c.ID: true}
	for _, o := range others {
		o = strings.TrimSpace(o)
		if o == "" {
			continue
		}
		var src models.Carrier
		err := tx.Where("id = ? OR reg_no = ?", o, models.NormalizeRegNo(o)).Take(&src).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, fieldError(FieldSources, models.ErrNotFound, "登记簿中没有登记号为 %s 的载体", o)
		} else if err != nil {
			return nil, err
		}
		if seen[src.ID] {
			return nil, fieldError(FieldSources, models.ErrBadCopies, "%s 列了两次", src.RegNo)
		}
		seen[src.ID] = true
		out = append(out, src)
	}
	return out, nil
}

// sourceError names the source a refusal is about when there are several.
func sourceError(err error, c models.Carrier, n int) error {
	var v *models.ValidationError
	if n < 2 || !errors.As(err, &v) {
		return err
	}
	out := *v
	out.Fields = make([]models.FieldError, len(v.Fields))
	for i, f := range v.Fields {
		out.Fields[i] = models.FieldError{Field: FieldSources, Msg: c.RegNo + "：" + f.Msg}
	}
	return &out
}

func saveRequestSources(tx *gorm.DB, requestID string, sources []models.Carrier) error {
	for i, c := range sources {
		if err := tx.Create(&models.CopyRequestSource{RequestID: requestID, CarrierID: c.ID, Ord: i}).Error; err != nil {
			return fmt.Errorf("record sources of %s: %w", requestID, err)
		}
	}
	return nil
}

// sourcesOf reads the carriers a request is made from: its carrier, and for
// a 摘录 or 汇编 the sources it recorded, in order.
func sourcesOf(tx *gorm.DB, req *models.CopyRequest) ([]models.Carrier, error) {
	if req.Kind == models.CopyWhole {
		c, err := takeCarrier(tx, req.CarrierID)
		return []models.Carrier{c}, err
	}
	var out []models.Carrier
	err := tx.Raw(`SELECT c.* FROM copy_request_sources s JOIN carriers c ON c.id = s.carrier_id
		WHERE s.request_id = ? ORDER BY s.ord`, req.ID).Scan(&out).Error
	if err == nil && len(out) == 0 {
		err = fmt.Errorf("sources of %s: %w", req.SlipNo, models.ErrNotFound)
	}
	return out, err
}

func regNoList(cs []models.Carrier) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.RegNo
	}
	return strings.Join(out, "、")
}

// makeDerived registers the 摘录本 or 汇编本 of an approved request (R16,
// R23): the office's own document (发文/自产), as many copies as approved,
// numbered from 000001, with the highest level and the longest term of its
// sources (models.CombinedMark), the 知悉范围 the request gave, and its
// sources listed on it.
func (s *Service) makeDerived(tx *gorm.DB, sess *Session, sources []models.Carrier, req *models.CopyRequest) ([]models.Carrier, error) {
	level, term := models.CombinedMark(sources)
	now, today := s.now(), s.today()
	year := today.Year()
	batch := uuid.NewString()
	first := sources[0]
	list := regNoList(sources)
	remark := fmt.Sprintf("%s本，来源 %s，复制单 %s", req.Kind, list, req.SlipNo)
	out := make([]models.Carrier, 0, req.Approved)
	for i := 0; i < req.Approved; i++ {
		seq, err := nextCounter(tx, "seq")
		if err != nil {
			return nil, err
		}
		n, err := nextCounter(tx, regCounterName(models.DirOutgoing, year))
		if err != nil {
			return nil, err
		}
		c := models.Carrier{
			ID: uuid.NewString(), Seq: seq, RegNo: FormatRegNo(models.DirOutgoing, year, n),
			Direction: models.DirOutgoing, Year: year, RegDate: today.Format(models.DateLayout),
			DocDate: today.Format(models.DateLayout), Title: req.NewTitle, Issuer: s.OfficeName(),
			DocKind: string(req.Kind) + "本", Level: level, TermKind: term.Kind, TermUntil: term.Until,
			TermCondition: term.Condition, CopyNo: i + 1, CopyCount: req.Approved, BatchID: batch,
			Urgency: models.UrgencyNormal, Kind: first.Kind, NeedToKnow: req.NeedToKnow, Location: first.Location,
			Custodian: first.Custodian, Remarks: remark, State: models.StateInStore, Version: 1,
			CreatedAt: now, CreatedBy: sess.FullName, UpdatedAt: now,
		}
		if err := tx.Create(&c).Error; err != nil {
			return nil, fmt.Errorf("insert %s: %w", req.Kind, err)
		}
		for k, src := range sources {
			if err := tx.Create(&models.CarrierSource{CarrierID: c.ID, SourceID: src.ID, Ord: k}).Error; err != nil {
				return nil, fmt.Errorf("record sources of %s: %w", c.RegNo, err)
			}
		}
		if err := indexCarrier(tx, &c, false); err != nil {
			return nil, err
		}
		summary := fmt.Sprintf("%s %s 份号%s %s本（来源 %s，复制单 %s，审批人 %s %s）", c.RegNo, c.Marking(),
			c.CopyNoText(), req.Kind, list, req.SlipNo, req.ApproverName, req.DecidedOn)
		if err := addEvent(tx, now, sess, c.ID, 0, models.ActionRegister, "", "", summary, req.Purpose); err != nil {
			return nil, err
		}
		if err := s.audit(tx, sess, models.EventCopy, c.RegNo, true,
			fmt.Sprintf("%s %s本 来源 %s 复制单 %s", c.Marking(), req.Kind, list, req.SlipNo)); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	made := make([]string, len(out))
	for i, c := range out {
		made[i] = c.RegNo
	}
	for _, src := range sources {
		if err := addEvent(tx, now, sess, src.ID, 0, models.ActionCopy, "", "", fmt.Sprintf("%s入《%s》%d份：%s；复制单 %s，审批人 %s %s",
			req.Kind, req.NewTitle, len(out), strings.Join(made, "、"), req.SlipNo, req.ApproverName, req.DecidedOn),
			req.Purpose); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Sources lists the carriers a 摘录本 or 汇编本 was made from (R23).
func (s *Service) Sources(sess *Session, carrierID string) (_ []models.Carrier, err error) {
	defer s.refused(sess, "Sources", carrierID, &err)
	if err := s.authorize(sess, models.RoleClerk); err != nil {
		return nil, err
	}
	var out []models.Carrier
	err = s.db.Raw(`SELECT c.* FROM carrier_sources s JOIN carriers c ON c.id = s.source_id
		WHERE s.carrier_id = ? ORDER BY s.ord`, carrierID).Scan(&out).Error
	return out, err
}
