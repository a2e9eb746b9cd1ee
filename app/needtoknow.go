package app

import (
	"fmt"
	"strings"

	"gorm.io/gorm"

	"secdoc/models"
)

// FieldOutsideReason is the reason given for someone outside a carrier's
// 知悉范围.
const FieldOutsideReason = "OutsideReason"

// outsideNeedToKnow reports whether name is outside the carrier's 知悉范围
// as far as the register can tell (R27): only when every part of it (split
// at 、，,；;) names a person or a 部门 on the people list, and none is name or
// name's 部门. A phrase the list does not know (所有局领导) leaves it open.
func outsideNeedToKnow(tx *gorm.DB, c *models.Carrier, name string) (bool, error) {
	parts := strings.FieldsFunc(models.NormalizeWidth(c.NeedToKnow), func(r rune) bool {
		return strings.ContainsRune("、，,；; ", r)
	})
	if len(parts) == 0 || strings.TrimSpace(name) == "" {
		return false, nil
	}
	var dept string
	tx.Raw(`SELECT department FROM persons WHERE name = ?`, name).Scan(&dept)
	for _, p := range parts {
		if p == name || (dept != "" && p == dept) {
			return false, nil
		}
		var known int64
		if err := tx.Raw(`SELECT count(*) FROM persons WHERE name = ? OR department = ?`, p, p).Scan(&known).Error; err != nil {
			return false, err
		}
		if known == 0 {
			return false, nil
		}
	}
	return true, nil
}

// checkNeedToKnow refuses giving c to name, outside its 知悉范围, without a
// reason (R27); with one it is returned, to record.
func checkNeedToKnow(tx *gorm.DB, c *models.Carrier, name, reason, field, act string) (string, error) {
	out, err := outsideNeedToKnow(tx, c, name)
	if err != nil || !out {
		return "", err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", fieldError(field, models.ErrOutsideNeedToKnow,
			"%s 不在该载体的知悉范围（%s）内：确需%s的，请写明理由，理由将记入处理记录", name, c.NeedToKnow, act)
	}
	return fmt.Sprintf("%s 在知悉范围外，理由：%s", name, reason), nil
}
