package importfile

// The rows and cells of a sheet, as the import reads them (see xlsx.go).

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// xlsxRows reads the rows of a sheet as excelize's Rows iterator did:
// Next, then Columns, for each row number from 1 to the last row, blank
// rows included.
type xlsxRows struct {
	s      *xmlScanner
	closer io.Closer
	err    error

	// As excelize's Rows: the row last seen in the sheet, the row Next is
	// at, and whether the start tag of a row Next found is still to be
	// read by Columns (with its r attribute as read).
	curRow, seekRow int
	pending         bool
	pendingR        int
	pendingRErr     error

	loadStrings func(limit int) ([]string, error)
	strings     []string
	loaded      bool

	maxCells, cells int // the cells the rows may have, and have had
	width           int // the last row's length (to 256), for the next row's slice

	v     []byte // the cell's <v>
	cname []byte // the raw name of the cell's element
	si    siText // the cell's <is>
	buf   []byte
}

// newXLSXRows reads the rows of the sheet XML r; loadStrings gives the
// shared string table, of at most the limit it is given.
func newXLSXRows(r io.Reader, part string, loadStrings func(limit int) ([]string, error), maxCells int) *xlsxRows {
	return &xlsxRows{s: newXMLScanner(r, part), loadStrings: loadStrings, maxCells: maxCells}
}

// Next moves to the next row; it is false after the last one, or at an
// error, which Error gives.
func (r *xlsxRows) Next() bool {
	if r.err != nil {
		return false
	}
	r.seekRow++
	if r.curRow >= r.seekRow {
		return true // a row number skipped: a blank row
	}
	for {
		switch r.s.next() {
		case tokEOF:
			r.err = r.s.err
			return false
		case tokStart:
			if r.s.kind == elRow {
				r.curRow++
				n := r.s.rowR
				if n > xlsxMaxRows {
					r.err = errXLSXTooManyRows
					return false
				}
				if n != 0 {
					r.curRow = n
				}
				r.pending, r.pendingR, r.pendingRErr = true, n, r.s.rowRErr
				return true
			}
		case tokEnd:
			if r.s.kind == elSheetData {
				return false
			}
		}
	}
}

// Error is what stopped Next, if not the end of the rows.
func (r *xlsxRows) Error() error { return r.err }

// Close closes the sheet's part.
func (r *xlsxRows) Close() error {
	if r.closer != nil {
		c := r.closer
		r.closer = nil
		return c.Close()
	}
	return nil
}

// Columns is the cells of the row Next is at, as text, up to its last
// cell with a value or a formula (nil for a blank row). A row that would
// take the cells of all rows past maxCells is given cut short, with just
// one cell more than fit, and the reading stops there.
func (r *xlsxRows) Columns() ([]string, error) {
	cells, err := r.columns()
	r.cells += len(cells)
	r.width = min(len(cells), 256)
	return cells, err
}

func (r *xlsxRows) columns() ([]string, error) {
	if r.curRow > r.seekRow {
		return nil, nil
	}
	if !r.loaded {
		r.loaded = true
		var err error
		if r.strings, err = r.loadStrings(r.maxCells); err != nil {
			r.err = err
			return nil, err
		}
	}
	var cells []string
	col := 0
	s := r.s
	for {
		var tok tokKind
		if r.pending {
			tok = tokStart
		} else {
			tok = s.next()
		}
		switch tok {
		case tokEOF:
			if s.err != nil {
				r.err = s.err
			}
			return cells, s.err
		case tokEnd:
			if s.kind == elSheetData {
				return cells, nil
			}
		case tokStart:
			if r.pending || s.kind == elRow {
				n, nerr := s.rowR, s.rowRErr
				fromNext := r.pending
				if fromNext {
					n, nerr = r.pendingR, r.pendingRErr
				}
				r.pending = false
				switch {
				case n > xlsxMaxRows:
					r.err = errXLSXTooManyRows
					return cells, r.err
				case n != 0:
					r.curRow = n
				case !fromNext:
					r.curRow++
				}
				if r.curRow > r.seekRow || nerr != nil {
					return cells, nerr // the next row's start: this one is done
				}
				continue
			}
			if s.kind != elC {
				continue
			}
			col++
			at, atErr, hasR := 0, error(nil), len(s.cellR) > 0
			if hasR {
				at, atErr = xlsxCellColumn(s.cellR)
			}
			val, hasF, ok := r.cell()
			if !ok {
				r.err = s.err
				return cells, s.err
			}
			if hasR {
				if atErr != nil {
					return cells, atErr
				}
				col = at
			}
			if val == "" && !hasF {
				continue
			}
			if room := r.maxCells - r.cells; max(len(cells), col-1)+1 > room {
				// Past the limit: one cell past it is enough to say so.
				for len(cells) <= room {
					cells = append(cells, "")
				}
				r.err = errXLSXRowCut
				return cells, nil
			}
			if cells == nil {
				cells = make([]string, 0, max(r.width, col))
			}
			for len(cells) < col-1 {
				cells = append(cells, "")
			}
			cells = append(cells, val)
		}
	}
}

// cell reads the cell whose start tag was just read: its value as
// excelize's RawCellValue gives it, and whether it has a formula.
func (r *xlsxRows) cell() (val string, hasF, ok bool) {
	s := r.s
	typ := string(s.cellT) // no allocation: compared only
	badS := s.cellSBad
	r.cname = append(r.cname[:0], s.name...)
	if badS {
		// excelize stopped reading the cell at its bad style attribute:
		// the cell has no value.
		return "", false, s.skipElement()
	}
	r.v = r.v[:0]
	hasIS := false
	r.si.reset()
	if s.empty {
		s.next()
	} else {
	loop:
		for {
			switch s.next() {
			case tokEOF:
				return "", false, false
			case tokStart:
				switch s.kind {
				case elV:
					if r.v, ok = s.readText(r.v[:0]); !ok {
						return "", false, false
					}
				case elF:
					hasF = true
					if !s.skipElement() {
						return "", false, false
					}
				case elIs:
					hasIS = true
					if !s.readSI(&r.si) {
						return "", false, false
					}
				}
			case tokEnd:
				if bytes.Equal(s.name, r.cname) {
					break loop
				}
			}
		}
	}
	switch typ {
	case "s":
		if len(r.v) == 0 {
			return "", hasF, true
		}
		i, ok := xlsxIndex(r.v)
		if !ok || i < 0 || i >= len(r.strings) {
			return "", hasF, true // excelize: an error, and no value
		}
		return r.strings[i], hasF, true
	case "inlineStr":
		if hasIS {
			val, r.buf = r.si.text(r.buf)
			return val, hasF, true
		}
	}
	return string(r.v), hasF, true
}

// xlsxIndex is a shared string index as excelize read it: the text,
// trimmed, as a decimal int; text that isn't a number is index 0.
func xlsxIndex(v []byte) (int, bool) {
	v = bytes.TrimSpace(v)
	if n, ok := smallDecimal(v); ok {
		return n, true
	}
	n, err := strconv.Atoi(string(v))
	var ne *strconv.NumError
	if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
		return 0, false
	}
	return n, true
}

// smallDecimal reads 1 to 18 ASCII digits.
func smallDecimal(v []byte) (int, bool) {
	if len(v) == 0 || len(v) > 18 {
		return 0, false
	}
	n := 0
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// xlsxAtoi is strconv.Atoi, without allocating for the usual short numbers.
func xlsxAtoi(v []byte) (int, error) {
	if n, ok := smallDecimal(v); ok {
		return n, nil
	}
	return strconv.Atoi(string(v))
}

// xlsxCellColumn is the column, from 1, of a cell reference such as "C5"
// or "$C$5", checked as excelize checked it.
func xlsxCellColumn(ref []byte) (int, error) {
	// The usual case: one to three capital letters, then digits.
	if n := len(ref); n >= 2 && n <= 10 {
		col, i := 0, 0
		for i < n && i < 3 && 'A' <= ref[i] && ref[i] <= 'Z' {
			col = col*26 + int(ref[i]-'A'+1)
			i++
		}
		if i > 0 && i < n && col <= xlsxMaxColumns && '1' <= ref[i] && ref[i] <= '9' {
			row, ok := smallDecimal(ref[i:])
			if ok && row <= xlsxMaxRows {
				return col, nil
			}
		}
	}
	alpha := func(c byte) bool { return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '$' }
	last := -1
	for i, c := range ref {
		if alpha(c) {
			last = i
		}
	}
	bad := func() (int, error) { return 0, fmt.Errorf("invalid cell reference %q", ref) }
	if len(ref) == 0 || !alpha(ref[0]) || last >= len(ref)-1 {
		return bad()
	}
	row, err := xlsxAtoi(ref[last+1:])
	if err != nil || row <= 0 {
		return bad()
	}
	if row > xlsxMaxRows {
		return 0, errXLSXTooManyRows
	}
	col, mult, n := 0, 1, 0
	for i := last; i >= 0; i-- {
		c := ref[i]
		switch {
		case c == '$':
			continue
		case 'A' <= c && c <= 'Z':
			col += int(c-'A'+1) * mult
		case 'a' <= c && c <= 'z':
			col += int(c-'a'+1) * mult
		default:
			return bad()
		}
		n++
		if col > xlsxMaxColumns {
			return 0, fmt.Errorf("invalid cell reference %q: past the last column", ref)
		}
		mult *= 26
	}
	if n == 0 {
		return bad()
	}
	return col, nil
}

// siText gathers a string item (<si> or <is>): its plain text, and its
// rich-text runs' texts. As excelize's decoding, a later <t> replaces an
// earlier one, within the item or within a run; phonetic runs (<rPh>) and
// anything else are left out.
type siText struct {
	t    []byte
	hasT bool
	runs []byte
	run  []byte
}

func (si *siText) reset() {
	si.t, si.hasT, si.runs = si.t[:0], false, si.runs[:0]
}

// text is the item's text, _xHHHH_ escapes decoded; buf is scratch.
func (si *siText) text(buf []byte) (string, []byte) {
	buf = buf[:0]
	if si.hasT {
		buf = append(buf, si.t...)
	}
	buf = append(buf, si.runs...)
	if len(buf) == 0 {
		return "", buf
	}
	if bytes.Contains(buf, []byte("_x")) {
		return string(unescapeXLSX(nil, buf)), buf
	}
	return string(buf), buf
}

// unescapeXLSX decodes OOXML's escapes of characters XML can't hold:
// _xHHHH_ is the UTF-16 code unit HHHH (a lone surrogate is dropped), and
// _x005F_ an underscore, so that _x005F_x000D_ is the text “_x000D_”.
func unescapeXLSX(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		if s[i] == '_' && i+7 <= len(s) && s[i+1] == 'x' && s[i+6] == '_' {
			if r, ok := hex4(s[i+2 : i+6]); ok {
				if !(0xD800 <= r && r < 0xE000) {
					dst = utf8.AppendRune(dst, r)
				}
				i += 7
				continue
			}
		}
		dst = append(dst, s[i])
		i++
	}
	return dst
}

func hex4(h []byte) (rune, bool) {
	var r rune
	for _, c := range h {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
