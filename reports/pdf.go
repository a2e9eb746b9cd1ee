package reports

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"

	"secdoc/assets"
)

// fontFamily is the name the embedded font is registered under.
const fontFamily = "wqy"

// doc is a PDF being drawn. It is gofpdf's document, and notes every
// character it writes or measures, so that Output can tell whether the
// document's own font has them all.
type doc struct {
	*gofpdf.Fpdf
	font *docFont // nil: the whole font, which needs no check
}

// docFont is the font of one attempt at a document: the characters it was
// cut with, and those the document used.
type docFont struct {
	have, used runeSet
}

// errFontShort is what Output returns, writing nothing, when the document
// used a character of the embedded font that its own font lacks.
var errFontShort = errors.New("the document's font lacks characters it uses")

// newDoc starts an A4 document with the embedded font, fixed dates and a
// sorted catalog, so that equal input gives equal bytes. With font set, the
// document gets a font with only the characters in font.have.
func newDoc(orientation string, printed time.Time, font *docFont) (*doc, error) {
	pdf := gofpdf.New(orientation, "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(printed)
	pdf.SetModificationDate(printed)
	pdf.SetCreator("secdoc", true)
	pdf.SetProducer("secdoc", true)
	d := &doc{Fpdf: pdf, font: font}
	data := assets.Font
	if font != nil {
		t, err := embeddedFont()
		if err != nil {
			return nil, fmt.Errorf("load embedded font: %w", err)
		}
		if cut, ok := t.subset(&font.have); ok {
			data = cut
		} else {
			d.font = nil
		}
	}
	pdf.AddUTF8FontFromBytes(fontFamily, "", data)
	pdf.SetFont(fontFamily, "", 10)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("load embedded font: %w", err)
	}
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(false, 15)
	pdf.AliasNbPages("{nb}")
	return d, nil
}

// renderPDF writes the document draw makes of data. Its font is cut to the
// characters data and the forms' own wording can print; should the document
// use others (text made up while drawing), it is drawn again with those
// added, and at last with the whole font, so the output depends on the
// input alone.
func renderPDF[T any](w io.Writer, data T, o Options, draw func(io.Writer, T, Options) error) error {
	t, err := embeddedFont()
	if err != nil {
		return fmt.Errorf("load embedded font: %w", err)
	}
	f := &docFont{have: t.base}
	addText(&f.have, reflect.ValueOf(data), 0)
	addText(&f.have, reflect.ValueOf(o), 0)
	for attempt := 1; ; attempt++ {
		o.font = f
		if attempt == 3 {
			o.font = nil
		}
		err := draw(w, data, o)
		if !errors.Is(err, errFontShort) {
			return err
		}
		next := &docFont{have: f.have}
		next.have.union(&f.used)
		f = next
	}
}

// addText adds to s the characters of every string in v, following
// exported fields, pointers, slices and maps.
func addText(s *runeSet, v reflect.Value, depth int) {
	if depth > 16 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		s.addString(v.String())
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			addText(s, v.Elem(), depth+1)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				addText(s, v.Field(i), depth+1)
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		for i := range v.Len() {
			addText(s, v.Index(i), depth+1)
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			addText(s, it.Key(), depth+1)
			addText(s, it.Value(), depth+1)
		}
	}
}

func (d *doc) note(s string) {
	if d.font != nil {
		d.font.used.addString(s)
	}
}

// GetStringWidth is gofpdf's, noting the characters.
func (d *doc) GetStringWidth(s string) float64 {
	d.note(s)
	return d.Fpdf.GetStringWidth(s)
}

// CellFormat is gofpdf's, noting the characters.
func (d *doc) CellFormat(w, h float64, txtStr, borderStr string, ln int, alignStr string, fill bool, link int, linkStr string) {
	d.note(txtStr)
	d.Fpdf.CellFormat(w, h, txtStr, borderStr, ln, alignStr, fill, link, linkStr)
}

// Cell is gofpdf's, noting the characters.
func (d *doc) Cell(w, h float64, txtStr string) {
	d.note(txtStr)
	d.Fpdf.Cell(w, h, txtStr)
}

// MultiCell is gofpdf's, noting the characters.
func (d *doc) MultiCell(w, h float64, txtStr, borderStr, alignStr string, fill bool) {
	d.note(txtStr)
	d.Fpdf.MultiCell(w, h, txtStr, borderStr, alignStr, fill)
}

// Text is gofpdf's, noting the characters.
func (d *doc) Text(x, y float64, txtStr string) {
	d.note(txtStr)
	d.Fpdf.Text(x, y, txtStr)
}

// Write is gofpdf's, noting the characters.
func (d *doc) Write(h float64, txtStr string) {
	d.note(txtStr)
	d.Fpdf.Write(h, txtStr)
}

// Output closes the document and writes it to w, or, if it used characters
// of the embedded font that its own font lacks, writes nothing and returns
// errFontShort.
func (d *doc) Output(w io.Writer) error {
	if d.font != nil {
		d.Fpdf.Close() // the last page's footer is drawn here
		t, err := embeddedFont()
		if err != nil {
			return err
		}
		if d.font.used.missing(&d.font.have, &t.chars) {
			return errFontShort
		}
	}
	return d.Fpdf.Output(w)
}

// bold writes with a faked bold face (the font has none): the glyphs are
// filled and stroked with a thin line.
func bold(pdf *doc, on bool) {
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
func wrap(pdf *doc, s string, w float64) []string {
	var lines []string
	for _, para := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		lines = append(lines, wrapPara(pdf, para, w)...)
	}
	return lines
}

func isWordRune(r rune) bool {
	return r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
}

func wrapPara(pdf *doc, s string, w float64) []string {
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
