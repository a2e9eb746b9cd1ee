package app

import "secdoc/models"

// listMark is the default marking of a printed list or book (R16, R26):
// the highest level among its carriers and, for a 国家秘密, the longest
// term as the 汇编 rule gives it (长期 when one is; else the latest expiry;
// conditions kept). "" when the list names no carrier; 内部 or 非密 when no
// carrier is a 国家秘密. The clerk confirms or lowers it in the print dialog.
func listMark(cs []models.Carrier) string {
	if len(cs) == 0 {
		return ""
	}
	l, t := models.CombinedMark(cs)
	return models.Marking(l, t)
}
