package models

import (
	"fmt"
	"regexp"
	"strings"
)

// Code 128 carries ASCII only, so the register and slip numbers, which start
// with a Chinese character (收〔2026〕0001), are printed in the barcode with
// that character spelt as two pinyin initials: SW2026-0001. A scanner types
// the barcode back into a focused box; NormalizeRegNo turns it into the
// register number again.
var barcodeHeads = []struct{ head, code string }{
	{"收", "SW"}, // 收文
	{"发", "FW"}, // 发文
	{"复", "FZ"}, // 复制单
	{"阅", "YB"}, // 阅办单
	{"借", "JY"}, // 借阅单
	{"携", "XD"}, // 外出携带单
	{"销", "XH"}, // 销毁单
	{"退", "QT"}, // 清退单
	{"查", "ZC"}, // 自查单
	{"交", "JJ"}, // 交接单
}

var numberPattern = regexp.MustCompile(`^(\p{Han})〔(\d{4})〕(\d+)$`)
var barcodePattern = regexp.MustCompile(`^([A-Za-z]{2})(\d{4})-(\d+)$`)

// BarcodeText is the ASCII form of a register or slip number printed in its
// Code 128 barcode: 收〔2026〕0001 becomes SW2026-0001. A number of another
// shape that is already ASCII is returned as it is; anything else gives "".
func BarcodeText(no string) string {
	if m := numberPattern.FindStringSubmatch(no); m != nil {
		for _, h := range barcodeHeads {
			if h.head == m[1] {
				return fmt.Sprintf("%s%s-%s", h.code, m[2], m[3])
			}
		}
	}
	for _, r := range no {
		if r < 0x20 || r > 0x7e {
			return ""
		}
	}
	return no
}

// FromBarcode reads a number typed by a barcode scanner back into its printed
// form: SW2026-0001 (or sw2026-0001) becomes 收〔2026〕0001.
func FromBarcode(s string) (string, bool) {
	m := barcodePattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	for _, h := range barcodeHeads {
		if strings.EqualFold(h.code, m[1]) {
			return fmt.Sprintf("%s〔%s〕%s", h.head, m[2], m[3]), true
		}
	}
	return "", false
}

// NormalizeRegNo reads a register or slip number as typed or scanned: the
// barcode form, full-width characters and other brackets are all accepted.
func NormalizeRegNo(s string) string {
	if no, ok := FromBarcode(NormalizeWidth(s)); ok {
		return no
	}
	return NormalizeDocNumber(s)
}
