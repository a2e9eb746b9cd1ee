package app

import (
	"archive/zip"
	"bufio"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// sheetWriter writes the exported register as an .xlsx straight into a zip
// stream, row by row: each sheet's XML is compressed as it is made, so no
// part of the register is held in memory or spilled to a file, whatever
// its size. It writes what the export needs and no more: sheets of text and
// whole numbers, a bold shaded header row ruled below and frozen, column
// widths, and the text format on the columns whose values must stay text
// (份号 keeps its zeros when edited in Excel).
type sheetWriter struct {
	zw     *zip.Writer
	cols   []exportColumn
	sheets []string
	bw     *bufio.Writer // the open sheet's XML, nil between sheets
	line   int           // the last row written on the open sheet
	buf    []byte
}

// The cell styles of styles.xml, by their index in cellXfs.
const (
	xfHead = 1 // the header: bold, shaded, centred, ruled below
	xfText = 2 // Excel's text format (@)
)

// maxCellChars is the most characters a cell of Excel holds.
const maxCellChars = 32767

func newSheetWriter(w io.Writer, cols []exportColumn) (*sheetWriter, error) {
	zw := zip.NewWriter(w)
	// Deflate's fastest level (a third of the default's time for a file a
	// few percent larger), on every core (deflate.go).
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return newParallelDeflate(out), nil
	})
	sw := &sheetWriter{zw: zw, cols: cols}
	// The content types first, as Excel writes them: every .xml part is a
	// worksheet unless named otherwise, so the sheets need not be known yet.
	if err := sw.part("[Content_Types].xml", xmlHead+`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
		`<Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`+
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`+
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`+
		`</Types>`); err != nil {
		return nil, err
	}
	if err := sw.part("_rels/.rels", xmlHead+`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>`+
		`</Relationships>`); err != nil {
		return nil, err
	}
	if err := sw.part("xl/styles.xml", stylesXML); err != nil {
		return nil, err
	}
	return sw, nil
}

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// stylesXML: the fonts (宋体 11, and bold), the fills (the two Excel
// requires, and the header's grey), the borders (none, and a thin rule
// below) and the three cell styles: plain, xfHead and xfText.
const stylesXML = xmlHead + `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<fonts count="2"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font>` +
	`<font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts>` +
	`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FFD9D9D9"/><bgColor indexed="64"/></patternFill></fill></fills>` +
	`<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>` +
	`<border><left/><right/><top/><bottom style="thin"><color rgb="FF000000"/></bottom><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1">` +
	`<alignment horizontal="center" vertical="center"/></xf>` +
	`<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
	`<cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles>` +
	`</styleSheet>`

// part writes a whole small part.
func (sw *sheetWriter) part(name, content string) error {
	w, err := sw.zw.Create(name)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, content)
	return err
}

// newSheet ends the open sheet, if any, and starts the next, named name,
// with its columns and its header row.
func (sw *sheetWriter) newSheet(name string) error {
	if err := sw.endSheet(); err != nil {
		return err
	}
	sw.sheets = append(sw.sheets, name)
	w, err := sw.zw.Create(fmt.Sprintf("xl/worksheets/sheet%d.xml", len(sw.sheets)))
	if err != nil {
		return err
	}
	sw.bw = bufio.NewWriterSize(w, 64<<10)
	b := append(sw.buf[:0], xmlHead+`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" `+
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`+
		`<sheetViews><sheetView workbookViewId="0"`...)
	if len(sw.sheets) == 1 {
		b = append(b, ` tabSelected="1"`...)
	}
	b = append(b, `><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>`+
		`<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>`+
		`<sheetFormatPr defaultRowHeight="15"/><cols>`...)
	for i, c := range sw.cols {
		b = append(b, `<col min="`...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, `" max="`...)
		b = strconv.AppendInt(b, int64(i+1), 10)
		b = append(b, `" width="`...)
		b = strconv.AppendFloat(b, c.width, 'f', -1, 64)
		b = append(b, `" customWidth="1"`...)
		if c.text {
			b = append(b, ` style="2"`...)
		}
		b = append(b, `/>`...)
	}
	b = append(b, `</cols><sheetData><row r="1" ht="20" customHeight="1">`...)
	for i, c := range sw.cols {
		b = appendTextCell(b, i, 1, xfHead, c.title)
	}
	b = append(b, `</row>`...)
	sw.buf = b
	sw.line = 1
	_, err = sw.bw.Write(b)
	return err
}

// row writes the next row of the open sheet: strings as text (none for
// ""), ints as numbers, nil as no cell.
func (sw *sheetWriter) row(vals []any) error {
	sw.line++
	b := append(sw.buf[:0], `<row r="`...)
	b = strconv.AppendInt(b, int64(sw.line), 10)
	b = append(b, `">`...)
	for i, v := range vals {
		switch x := v.(type) {
		case nil:
		case string:
			if x == "" {
				continue
			}
			style := 0
			if sw.cols[i].text {
				style = xfText
			}
			b = appendTextCell(b, i, sw.line, style, x)
		case int:
			b = append(b, `<c r="`...)
			b = appendCellRef(b, i, sw.line)
			b = append(b, `"><v>`...)
			b = strconv.AppendInt(b, int64(x), 10)
			b = append(b, `</v></c>`...)
		default:
			return fmt.Errorf("column %d: a cell of type %T", i+1, v)
		}
	}
	b = append(b, `</row>`...)
	sw.buf = b
	_, err := sw.bw.Write(b)
	return err
}

// endSheet closes the open sheet's XML.
func (sw *sheetWriter) endSheet() error {
	if sw.bw == nil {
		return nil
	}
	if _, err := sw.bw.WriteString(`</sheetData></worksheet>`); err != nil {
		return err
	}
	err := sw.bw.Flush()
	sw.bw = nil
	return err
}

// close ends the last sheet, writes the workbook that lists the sheets,
// and ends the zip stream.
func (sw *sheetWriter) close() error {
	if err := sw.endSheet(); err != nil {
		return err
	}
	b := []byte(xmlHead + `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ` +
		`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<bookViews><workbookView/></bookViews><sheets>`)
	rels := []byte(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, name := range sw.sheets {
		id := strconv.Itoa(i + 1)
		b = append(b, `<sheet name="`...)
		b = appendXMLText(b, name)
		b = append(b, `" sheetId="`+id+`" r:id="rId`+id+`"/>`...)
		rels = append(rels, `<Relationship Id="rId`+id+`" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet`+id+`.xml"/>`...)
	}
	b = append(b, `</sheets></workbook>`...)
	rels = append(rels, `<Relationship Id="rId`+strconv.Itoa(len(sw.sheets)+1)+`" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`...)
	if err := sw.part("xl/workbook.xml", string(b)); err != nil {
		return err
	}
	if err := sw.part("xl/_rels/workbook.xml.rels", string(rels)); err != nil {
		return err
	}
	return sw.zw.Close()
}

// appendCellRef appends the reference of the cell in column col (from 0)
// of row line: A1, AB12.
func appendCellRef(b []byte, col, line int) []byte {
	var letters [3]byte
	n := 0
	for col++; col > 0; col = (col - 1) / 26 {
		letters[n] = byte('A' + (col-1)%26)
		n++
	}
	for n > 0 {
		n--
		b = append(b, letters[n])
	}
	return strconv.AppendInt(b, int64(line), 10)
}

// appendTextCell appends an inline text cell.
func appendTextCell(b []byte, col, line, style int, s string) []byte {
	b = append(b, `<c r="`...)
	b = appendCellRef(b, col, line)
	if style != 0 {
		b = append(b, `" s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
	}
	b = append(b, `" t="inlineStr"><is><t`...)
	if s != "" && (s[0] == ' ' || s[len(s)-1] == ' ' || s[0] == '\t' || s[len(s)-1] == '\t' || s[0] == '\n' || s[len(s)-1] == '\n') {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	b = appendCellText(b, s)
	return append(b, `</t></is></c>`...)
}

// appendCellText appends a cell's text, escaped for XML, at most
// maxCellChars characters: a control character XML can't carry (all but
// tab, line feed and carriage return) is written _xHHHH_, as Excel writes
// it, bytes that are not UTF-8 as U+FFFD, and a literal _xHHHH_ has
// its underscore written so (_x005F_), so that reading it back gives the
// text as it was.
func appendCellText(b []byte, s string) []byte {
	chars := 0
	for i := 0; i < len(s); {
		if chars == maxCellChars {
			break
		}
		chars++
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '&':
				b = append(b, "&amp;"...)
			case c == '<':
				b = append(b, "&lt;"...)
			case c == '>':
				b = append(b, "&gt;"...)
			case c == '\r':
				b = append(b, "&#13;"...)
			case c < 0x20 && c != '\t' && c != '\n':
				b = appendXEscape(b, rune(c))
			case c == '_' && isXEscape(s[i:]):
				b = append(b, "_x005F_"...)
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF {
			b = append(b, "\uFFFD"...) // not text XML can carry
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

func appendXEscape(b []byte, r rune) []byte {
	const hex = "0123456789ABCDEF"
	return append(b, '_', 'x', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15], '_')
}

// isXEscape reports whether s starts with _xHHHH_.
func isXEscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// appendXMLText appends s escaped for an XML attribute or text.
func appendXMLText(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '"':
			b = append(b, "&quot;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}
