package reports

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"

	"secdoc/assets"
)

// fontFamily is the name the embedded font is registered under.
const fontFamily = "wqy"

// newDoc starts an A4 document with the embedded font, fixed dates and a
// sorted catalog, so that equal input gives equal bytes.
func newDoc(orientation string, printed time.Time) (*gofpdf.Fpdf, error) {
	pdf := gofpdf.New(orientation, "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(printed)
	pdf.SetModificationDate(printed)
	pdf.SetCreator("secdoc", true)
	pdf.SetProducer("secdoc", true)
	pdf.AddUTF8FontFromBytes(fontFamily, "", assets.Font)
	pdf.SetFont(fontFamily, "", 10)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("load embedded font: %w", err)
	}
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(false, 15)
	pdf.AliasNbPages("{nb}")
	return pdf, nil
}

// bold writes with a faked bold face (the font has none): the glyphs are
// filled and stroked with a thin line.
func bold(pdf *gofpdf.Fpdf, on bool) {
	if on {
		pdf.SetTextRenderingMode(2)
		pdf.SetLineWidth(0.25)
	} else {
		pdf.SetTextRenderingMode(0)
		pdf.SetLineWidth(0.2)
	}
}

// noLineStart are characters Chinese typesetting never starts a line with.
const noLineStart = "，。、；：？！）》」』】〕…%,.;:?!)]"

// wrap breaks s into lines no wider than w in the current font. Chinese may
// break between any two characters; a run of Latin letters and digits is kept
// whole when it fits; punctuation never starts a line.
func wrap(pdf *gofpdf.Fpdf, s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		lines = append(lines, wrapPara(pdf, para, w)...)
	}
	return lines
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
}

func wrapPara(pdf *gofpdf.Fpdf, s string, w float64) []string {
	rs := []rune(s)
	if len(rs) == 0 {
		return []string{""}
	}
	var lines []string
	start := 0
	for start < len(rs) {
		end := start
		width := 0.0
		for end < len(rs) {
			cw := pdf.GetStringWidth(string(rs[end]))
			if width+cw > w && end > start {
				break
			}
			width += cw
			end++
		}
		if end < len(rs) {
			// Keep a Latin word whole if it started on this line.
			if isWordRune(rs[end]) && isWordRune(rs[end-1]) {
				k := end
				for k > start && isWordRune(rs[k-1]) {
					k--
				}
				if k > start {
					end = k
				}
			}
			// Never start a line with a closing punctuation mark: take the
			// character before it down with it, so the line stays inside its box.
			for end-1 > start && strings.ContainsRune(noLineStart, rs[end]) {
				end--
			}
		}
		lines = append(lines, strings.TrimRight(string(rs[start:end]), " "))
		start = end
		for start < len(rs) && rs[start] == ' ' {
			start++
		}
	}
	return lines
}
