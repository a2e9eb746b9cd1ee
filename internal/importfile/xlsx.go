package importfile

// Reading the clerk's .xlsx register for the import, without excelize.
//
// The worksheet and the shared strings are read straight from the zip entry
// by a small XML scanner of our own: streaming, through a bufio.Reader,
// never all at once and never to a file (excelize unpacked a large sheet
// into a plaintext temporary file, which a crash would leave behind). What
// it gives is what excelize v2.11.1 gave readXLSX, row for row: its
// Rows/Next/Columns(RawCellValue) iteration is reproduced below, with its
// handling of row numbers that skip or are missing, cells without a
// reference, shared, inline and rich-text strings and their _xHHHH_
// escapes. Where the old reading silently stopped at XML it could not parse
// (and imported the rows before), this one says the sheet can't be read.

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

const (
	xlsxMaxRows    = 1 << 20 // rows of a sheet, as Excel (and excelize) allow
	xlsxMaxColumns = 1 << 14 // columns of a sheet: A to XFD
	// xlsxMaxDepth is the deepest the elements of a sheet or of the shared
	// strings may nest: a sheet nests about ten deep.
	xlsxMaxDepth = 256
	// xlsxMaxSmallPart is the most workbook.xml and the relationship parts
	// may unpack to: they name the sheets, and are read whole.
	xlsxMaxSmallPart = 64 << 20
	// xlsxBufSize is the size of the buffer a sheet is read through.
	xlsxBufSize = 64 << 10
)

// The namespaces and relationship types the reader looks for, in the
// transitional form Excel writes and the strict one.
const (
	nsSheetMain          = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsSheetMainStrict    = "http://purl.oclc.org/ooxml/spreadsheetml/main"
	nsRelations          = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRelationsStrict    = "http://purl.oclc.org/ooxml/officeDocument/relationships"
	nsPackageRelations   = "http://schemas.openxmlformats.org/package/2006/relationships"
	relTypeOfficeDoc     = nsRelations + "/officeDocument"
	relTypeOfficeDocStrc = nsRelationsStrict + "/officeDocument"
	partSharedStrings    = "xl/sharedStrings.xml"
)

var (
	errXLSXTooManyRows   = errors.New("row number exceeds the limit of 1048576 rows")
	errXLSXRowCut        = errors.New("row cut short at the import's cell limit")
	errXLSXSheetNotFound = errors.New("the workbook names no part for this sheet")
)

// xlsxStringsError is a shared string table of more entries than an
// import reads cells.
type xlsxStringsError struct{ limit int }

func (e *xlsxStringsError) Error() string {
	return "the shared string table has more than " + strconv.Itoa(e.limit) + " entries"
}

// xlsxDamagedError is a part of the workbook whose bytes can't be unpacked:
// corrupt compressed data, a wrong checksum, or more bytes than the zip
// directory declares.
type xlsxDamagedError struct {
	part string
	err  error
}

func (e *xlsxDamagedError) Error() string { return e.part + ": " + e.err.Error() }
func (e *xlsxDamagedError) Unwrap() error { return e.err }

// xmlSyntaxError is XML the reader can't parse.
type xmlSyntaxError struct {
	part string
	at   int64 // byte offset in the unpacked part
	msg  string
}

func (e *xmlSyntaxError) Error() string {
	return fmt.Sprintf("%s: XML syntax error at byte %d: %s", e.part, e.at, e.msg)
}

// xlsxBook is a workbook opened for the import: its parts by name, its
// sheets in order and whether its dates count from 1904.
type xlsxBook struct {
	zr       *zip.ReadCloser
	parts    map[string]*zip.File
	sheets   []xlsxSheet
	date1904 bool
}

type xlsxSheet struct {
	name string
	part string // the worksheet's part, "" if the workbook names none that exists
}

// openXLSX opens the workbook file and reads which sheets it has. An error
// means it is not a workbook that can be read.
func openXLSX(file string) (*xlsxBook, error) {
	zr, err := zip.OpenReader(file)
	if err != nil {
		return nil, err
	}
	b := &xlsxBook{zr: zr, parts: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		if f.Method != zip.Store && f.Method != zip.Deflate {
			zr.Close()
			return nil, fmt.Errorf("%s: %w", f.Name, zip.ErrAlgorithm)
		}
		b.parts[xlsxPartName(f.Name)] = f
	}
	if err := b.readWorkbook(); err != nil {
		zr.Close()
		return nil, err
	}
	return b, nil
}

// xlsxPartName is the name a part is found by: with forward slashes, and
// the shared strings and content types whatever their case.
func xlsxPartName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	switch strings.ToLower(name) {
	case "[content_types].xml":
		return "[Content_Types].xml"
	case "xl/sharedstrings.xml":
		return partSharedStrings
	}
	return name
}

func (b *xlsxBook) Close() error { return b.zr.Close() }

// sheetNames are the names of every sheet, in the workbook's order.
func (b *xlsxBook) sheetNames() []string {
	var names []string
	for _, s := range b.sheets {
		names = append(names, s.name)
	}
	return names
}

// xlsxWorkbookXML is what the reader takes from workbook.xml.
type xlsxWorkbookXML struct {
	XMLName    xml.Name
	WorkbookPr *struct {
		Date1904 bool `xml:"date1904,attr"`
	} `xml:"workbookPr"`
	Sheets struct {
		Sheet []struct {
			Name    string     `xml:"name,attr"`
			SheetID int        `xml:"sheetId,attr"`
			Attrs   []xml.Attr `xml:",any,attr"`
		} `xml:"sheet"`
	} `xml:"sheets"`
}

// xlsxRelsXML is a relationships part.
type xlsxRelsXML struct {
	XMLName xml.Name
	Rels    []struct {
		ID     string `xml:"Id,attr"`
		Target string `xml:"Target,attr"`
		Type   string `xml:"Type,attr"`
	} `xml:"Relationship"`
}

// readWorkbook finds the workbook part through the package's relationships,
// then its sheets and the parts its relationships name for them.
func (b *xlsxBook) readWorkbook() error {
	wbPath := ""
	var root xlsxRelsXML
	if ok, err := b.decodePart("_rels/.rels", &root); ok && err == nil && b.relsRoot(&root) == nil {
		for _, r := range root.Rels {
			if r.Type == relTypeOfficeDoc || r.Type == relTypeOfficeDocStrc {
				wbPath = strings.TrimPrefix(r.Target, "/")
				break
			}
		}
	}
	var wb xlsxWorkbookXML
	ok, err := b.decodePart(wbPath, &wb)
	switch {
	case err != nil:
		return err
	case !ok: // as excelize: a workbook with no workbook part is no workbook
		return fmt.Errorf("the workbook part %q is missing or empty", wbPath)
	case wb.XMLName.Local != "workbook":
		return fmt.Errorf("%s: expected element <workbook> but have <%s>", wbPath, wb.XMLName.Local)
	case wb.XMLName.Space != nsSheetMain && wb.XMLName.Space != nsSheetMainStrict:
		return fmt.Errorf("%s: <workbook> in name space %q", wbPath, wb.XMLName.Space)
	}
	if wb.WorkbookPr != nil {
		b.date1904 = wb.WorkbookPr.Date1904
	}
	var rels xlsxRelsXML
	if ok, err := b.decodePart(xlsxWorkbookRelsPath(wbPath), &rels); err != nil {
		return err
	} else if ok {
		if err := b.relsRoot(&rels); err != nil {
			return err
		}
	}
	for _, s := range wb.Sheets.Sheet {
		id := ""
		for _, a := range s.Attrs {
			if a.Name.Local == "id" && (a.Name.Space == nsRelations || a.Name.Space == nsRelationsStrict) {
				id = a.Value
			}
		}
		sh := xlsxSheet{name: s.Name}
		for _, r := range rels.Rels {
			if r.ID == id {
				if p := xlsxTargetPath(wbPath, r.Target); b.parts[p] != nil {
					sh.part = p
				}
			}
		}
		b.sheets = append(b.sheets, sh)
	}
	return nil
}

func (b *xlsxBook) relsRoot(r *xlsxRelsXML) error {
	if r.XMLName.Local != "" && (r.XMLName.Local != "Relationships" || r.XMLName.Space != nsPackageRelations) {
		return fmt.Errorf("expected element <Relationships> in name space %s but have <%s> in %q",
			nsPackageRelations, r.XMLName.Local, r.XMLName.Space)
	}
	return nil
}

// decodePart decodes a small part with encoding/xml; ok is false when the
// part is missing or holds no element.
func (b *xlsxBook) decodePart(name string, v any) (ok bool, err error) {
	f := b.parts[name]
	if f == nil {
		return false, nil
	}
	if f.UncompressedSize64 > xlsxMaxSmallPart {
		return false, fmt.Errorf("%s unpacks to %d bytes, more than the %d it may", name, f.UncompressedSize64, xlsxMaxSmallPart)
	}
	rc, err := b.open(name)
	if err != nil {
		return false, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return false, err
	}
	if err := xml.NewDecoder(bytes.NewReader(data)).Decode(v); err != nil {
		if err == io.EOF {
			return false, nil
		}
		return false, fmt.Errorf("%s: %w", name, err)
	}
	return true, nil
}

// open opens a part for reading, no more than the bytes the zip directory
// declares for it.
func (b *xlsxBook) open(name string) (io.ReadCloser, error) {
	f := b.parts[name]
	if f == nil {
		return nil, fmt.Errorf("%s: %w", name, errXLSXSheetNotFound)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, &xlsxDamagedError{part: name, err: err}
	}
	return &xlsxPartReader{rc: rc, name: name, left: f.UncompressedSize64}, nil
}

// xlsxPartReader reads a part, refusing more bytes than declared and naming
// the part in its errors.
type xlsxPartReader struct {
	rc   io.ReadCloser
	name string
	left uint64
}

func (p *xlsxPartReader) Read(b []byte) (int, error) {
	n, err := p.rc.Read(b)
	if uint64(n) > p.left {
		return 0, &xlsxDamagedError{part: p.name, err: errors.New("unpacks to more bytes than the zip directory declares")}
	}
	p.left -= uint64(n)
	if err != nil && err != io.EOF {
		err = &xlsxDamagedError{part: p.name, err: err}
	}
	return n, err
}

func (p *xlsxPartReader) Close() error { return p.rc.Close() }

// xlsxWorkbookRelsPath is the relationships part of the workbook part wb.
func xlsxWorkbookRelsPath(wb string) string {
	dir := path.Dir(wb)
	if dir == "." {
		return "_rels/" + path.Base(wb) + ".rels"
	}
	return strings.TrimPrefix(dir+"/_rels/"+path.Base(wb)+".rels", "/")
}

// xlsxTargetPath is the part a relationship of the workbook part wb points
// to: target is relative to wb's folder, or absolute from the package root.
func xlsxTargetPath(wb, target string) string {
	p := path.Clean(path.Dir(wb) + "/" + target)
	if strings.HasPrefix(target, "/") {
		p = path.Clean(target)
	}
	return strings.TrimPrefix(strings.ReplaceAll(p, `\`, "/"), "/")
}

// checkXLSXSheetName refuses a sheet name Excel would not allow, which
// excelize would not read.
func checkXLSXSheetName(name string) error {
	n := 0
	for _, r := range name {
		n += max(utf16.RuneLen(r), 1)
	}
	switch {
	case name == "":
		return errors.New("the sheet name can not be blank")
	case n > 31:
		return errors.New("the sheet name length exceeds the 31 characters limit")
	case strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'"):
		return errors.New("the sheet name can not start or end with a single quote")
	case strings.ContainsAny(name, `:\/?*[]`):
		return errors.New("the sheet name can not contain any of the characters :\\/?*[]")
	}
	return nil
}

// sheetPart is the part of the sheet named sheet (as excelize finds it:
// the same name, else the same but for case), or "".
func (b *xlsxBook) sheetPart(sheet string) string {
	exact := ""
	for _, s := range b.sheets {
		if s.name == sheet && s.part != "" {
			exact = s.part
		}
	}
	if exact != "" {
		return exact
	}
	for _, s := range b.sheets {
		if s.part != "" && strings.EqualFold(s.name, sheet) {
			return s.part
		}
	}
	return ""
}

// rows starts reading the rows of sheet. maxCells is the most cells the
// rows may have in all (see xlsxRows.Columns).
func (b *xlsxBook) rows(sheet string, maxCells int) (*xlsxRows, error) {
	if err := checkXLSXSheetName(sheet); err != nil {
		return nil, err
	}
	part := b.sheetPart(sheet)
	if part == "" {
		return nil, fmt.Errorf("sheet %s does not exist", sheet)
	}
	rc, err := b.open(part)
	if err != nil {
		return nil, err
	}
	r := newXLSXRows(rc, part, b.sharedStrings, maxCells)
	r.closer = rc
	return r, nil
}

// sharedStrings reads the workbook's shared string table; a workbook
// without one has none.
func (b *xlsxBook) sharedStrings(limit int) ([]string, error) {
	if b.parts[partSharedStrings] == nil {
		return nil, nil
	}
	rc, err := b.open(partSharedStrings)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return readSharedStrings(rc, partSharedStrings, limit)
}

// readSharedStrings reads a shared string table (<sst><si>…</si>…</sst>),
// of at most limit entries.
func readSharedStrings(r io.Reader, part string, limit int) ([]string, error) {
	s := newXMLScanner(r, part)
	if s.next() != tokStart {
		return nil, s.err // no element: an empty table
	}
	if err := s.checkRoot("sst", "count", "uniqueCount"); err != nil {
		return nil, err
	}
	var out []string
	var si siText
	var buf []byte
	if s.empty {
		s.next()
	} else {
		for done := false; !done; {
			switch s.next() {
			case tokEOF:
				return nil, s.err
			case tokEnd:
				done = true
			case tokStart:
				if s.kind != elSi {
					if !s.skipElement() {
						return nil, s.err
					}
					continue
				}
				if len(out) >= limit {
					return nil, &xlsxStringsError{limit: limit}
				}
				si.reset()
				if !s.readSI(&si) {
					return nil, s.err
				}
				var v string
				v, buf = si.text(buf)
				out = append(out, v)
			}
		}
	}
	// Read the rest, unparsed, for the zip reader to check the checksum.
	if err := s.drain(); err != nil {
		return nil, err
	}
	return out, nil
}

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

// The XML scanner.

type tokKind uint8

const (
	tokEOF   tokKind = iota // the end of the part, or an error (xmlScanner.err)
	tokStart                // a start tag
	tokEnd                  // an end tag (an empty element <x/> gives both)
)

// elemKind is an element by its local name (the name without its prefix).
type elemKind uint8

const (
	elOther elemKind = iota
	elRow
	elC
	elV
	elF
	elIs
	elT
	elR
	elSi
	elSheetData
)

func kindOf(local []byte) elemKind {
	switch string(local) {
	case "c":
		return elC
	case "v":
		return elV
	case "row":
		return elRow
	case "is":
		return elIs
	case "t":
		return elT
	case "r":
		return elR
	case "f":
		return elF
	case "si":
		return elSi
	case "sheetData":
		return elSheetData
	}
	return elOther
}

type markKind uint8

const (
	markStart markKind = iota
	markEnd
	markOther // a comment, processing instruction or directive
	markCDATA // a CDATA section: its text is in xmlScanner.cdata
	markFail
)

type openElem struct {
	at   int // where its name starts in xmlScanner.names
	kind elemKind
}

type xmlAttr struct{ name, value string }

// xmlScanner reads the tags of an XML part from a bufio.Reader, and the
// text of the elements it is asked for. It checks what encoding/xml checks
// of the tags and of the text it returns (nesting, quoting, entities,
// characters XML allows, valid UTF-8); text it skips is only searched for
// the next tag.
type xmlScanner struct {
	part string
	br   *bufio.Reader
	win  []byte // the buffered bytes, br.Peek(br.Buffered())
	pos  int    // how many of win are read
	off  int64  // bytes of the part before win
	err  error  // the first error; the scanner stops at it

	names []byte // the names of the open elements, one after another
	open  []openElem

	// The last tag read.
	kind  elemKind
	name  []byte // its raw name, as written (valid until the next tag)
	empty bool   // it was an empty element <x/>, whose end next gives

	// Attributes of the last start tag, as excelize read them.
	rowR     int   // <row r>: attrValToInt's value…
	rowRErr  error // …and error
	cellR    []byte
	cellT    []byte
	cellSBad bool // <c s> not an integer: excelize read no further
	root     []xmlAttr

	val   []byte // scratch: an attribute value
	cdata []byte // the text of the last CDATA section, when asked for
	raw   []byte // scratch: text spanning buffers
	attr  []byte // scratch: an attribute name
	tmp   []byte // scratch: an end tag's name
}

func newXMLScanner(r io.Reader, part string) *xmlScanner {
	return &xmlScanner{part: part, br: bufio.NewReaderSize(r, xlsxBufSize)}
}

// fill makes the next buffered bytes win; false at the end or an error.
func (s *xmlScanner) fill() bool {
	if s.err != nil {
		return false
	}
	if n := len(s.win); n > 0 {
		s.br.Discard(n)
		s.off += int64(n)
	}
	s.win, s.pos = nil, 0
	if _, err := s.br.Peek(1); err != nil {
		if err != io.EOF {
			if _, ok := err.(*xlsxDamagedError); !ok {
				err = &xlsxDamagedError{part: s.part, err: err}
			}
			s.err = err
		}
		return false
	}
	s.win, _ = s.br.Peek(s.br.Buffered())
	return true
}

func (s *xmlScanner) getc() (byte, bool) {
	if s.pos < len(s.win) {
		c := s.win[s.pos]
		s.pos++
		return c, true
	}
	return s.getcFill()
}

func (s *xmlScanner) getcFill() (byte, bool) {
	if !s.fill() {
		return 0, false
	}
	s.pos = 1
	return s.win[0], true
}

// mustgetc is getc where the part may not end.
func (s *xmlScanner) mustgetc() (byte, bool) {
	c, ok := s.getc()
	if !ok {
		s.fail("unexpected EOF")
	}
	return c, ok
}

// ungetc gives back the byte getc just gave.
func (s *xmlScanner) ungetc() { s.pos-- }

func (s *xmlScanner) fail(msg string) markKind {
	if s.err == nil {
		s.err = &xmlSyntaxError{part: s.part, at: s.off + int64(s.pos), msg: msg}
	}
	return markFail
}

// drain reads the rest of the part without parsing it.
func (s *xmlScanner) drain() error {
	for s.err == nil {
		s.pos = len(s.win)
		if !s.fill() {
			break
		}
	}
	return s.err
}

// skipText skips to just after the next '<'; false at the end.
func (s *xmlScanner) skipText() bool {
	if s.pos < len(s.win) && s.win[s.pos] == '<' {
		s.pos++ // tags one after another, as spreadsheets are written
		return true
	}
	for {
		if i := bytes.IndexByte(s.win[s.pos:], '<'); i >= 0 {
			s.pos += i + 1
			return true
		}
		s.pos = len(s.win)
		if !s.fill() {
			return false
		}
	}
}

// next reads on to the next start or end tag.
func (s *xmlScanner) next() tokKind {
	if s.empty {
		s.empty = false
		s.pop()
		return tokEnd
	}
	for s.err == nil {
		if !s.skipText() {
			if s.err == nil && len(s.open) > 0 {
				s.fail("unexpected EOF")
			}
			return tokEOF
		}
		switch s.markup(false) {
		case markStart:
			return tokStart
		case markEnd:
			return tokEnd
		}
	}
	return tokEOF
}

// markup reads what follows a '<'. With keep, the text of a CDATA section
// is kept in s.cdata.
func (s *xmlScanner) markup(keep bool) markKind {
	c, ok := s.mustgetc()
	if !ok {
		return markFail
	}
	switch c {
	case '/':
		return s.endTag()
	case '?':
		return s.procInst()
	case '!':
		return s.bang(keep)
	}
	s.ungetc()
	return s.startTag()
}

func isNameByte(c byte) bool { return byteClass[c]&cName != 0 }

// The classes of bytes the scanner's fast paths look for.
const (
	cName    = 1 << iota // may be part of a name
	cSpecial             // in text, needs decoding or checking: & > \r and controls
	cHigh                // part of a multi-byte UTF-8 sequence
	cQuoted              // in an attribute value, needs no decoding
)

var byteClass = func() (t [256]uint8) {
	for c := range 256 {
		b := byte(c)
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' ||
			b == '_' || b == ':' || b == '.' || b == '-' || b >= utf8.RuneSelf {
			t[c] |= cName
		}
		if b < 0x20 && b != '\t' && b != '\n' || b == '&' || b == '>' {
			t[c] |= cSpecial
		}
		if b >= utf8.RuneSelf {
			t[c] |= cHigh
		}
		if b >= 0x20 && b < utf8.RuneSelf && b != '&' && b != '<' {
			t[c] |= cQuoted
		}
	}
	return t
}()

// readName appends a name to dst; it may be empty.
func (s *xmlScanner) readName(dst []byte) []byte {
	for {
		w := s.win[s.pos:]
		i := 0
		for i < len(w) && byteClass[w[i]]&cName != 0 {
			i++
		}
		dst = append(dst, w[:i]...)
		s.pos += i
		if i < len(w) {
			return dst
		}
		if !s.fill() {
			return dst
		}
	}
}

// localName is name without its prefix; not ok for a name with two colons.
func localName(name []byte) ([]byte, bool) {
	i := -1
	for j, c := range name {
		if c == ':' {
			if i >= 0 {
				return nil, false
			}
			i = j
		}
	}
	if i < 0 {
		return name, true
	}
	if i == 0 || i == len(name)-1 {
		return name, true
	}
	return name[i+1:], true
}

func validNameStart(name []byte) bool {
	c := name[0]
	return !('0' <= c && c <= '9' || c == '.' || c == '-')
}

func (s *xmlScanner) space() {
	if s.pos < len(s.win) && s.win[s.pos] > ' ' {
		return
	}
	s.spaces()
}

func (s *xmlScanner) spaces() {
	for {
		for s.pos < len(s.win) {
			switch s.win[s.pos] {
			case ' ', '\t', '\n', '\r':
				s.pos++
				continue
			}
			return
		}
		if !s.fill() {
			return
		}
	}
}

func (s *xmlScanner) startTag() markKind {
	if len(s.open) >= xlsxMaxDepth {
		return s.fail("elements nested more than " + strconv.Itoa(xlsxMaxDepth) + " deep")
	}
	at := len(s.names)
	s.names = s.readName(s.names)
	name := s.names[at:]
	if len(name) == 0 || !validNameStart(name) {
		if s.err == nil {
			s.fail("expected element name after <")
		}
		return markFail
	}
	local, ok := localName(name)
	if !ok {
		return s.fail("expected element name after <")
	}
	kind := kindOf(local)
	isRoot := len(s.open) == 0
	s.open = append(s.open, openElem{at: at, kind: kind})
	switch kind {
	case elRow:
		s.rowR, s.rowRErr = 0, nil
	case elC:
		s.cellR, s.cellT, s.cellSBad = s.cellR[:0], s.cellT[:0], false
	}
	if isRoot {
		s.root = s.root[:0]
	}
	for {
		s.space()
		c, ok := s.mustgetc()
		if !ok {
			return markFail
		}
		if c == '>' {
			break
		}
		if c == '/' {
			if c, ok = s.mustgetc(); !ok {
				return markFail
			}
			if c != '>' {
				return s.fail("expected /> in element")
			}
			s.empty = true
			break
		}
		s.ungetc()
		s.attr = s.readName(s.attr[:0])
		if s.err != nil {
			return markFail
		}
		if len(s.attr) == 0 || !validNameStart(s.attr) {
			return s.fail("expected attribute name in element")
		}
		alocal, ok := localName(s.attr)
		if !ok {
			return s.fail("expected attribute name in element")
		}
		s.space()
		if c, ok = s.mustgetc(); !ok {
			return markFail
		}
		if c != '=' {
			return s.fail("attribute name without = in element")
		}
		s.space()
		q, ok := s.mustgetc()
		if !ok {
			return markFail
		}
		if q != '"' && q != '\'' {
			return s.fail("unquoted or missing attribute value in element")
		}
		want := isRoot
		switch kind {
		case elRow:
			want = want || string(alocal) == "r"
		case elC:
			want = want || !s.cellSBad && len(alocal) == 1 && (alocal[0] == 'r' || alocal[0] == 's' || alocal[0] == 't')
		}
		if !want {
			if !s.skipQuoted(q) {
				return markFail
			}
			continue
		}
		if !s.readQuoted(q) {
			return markFail
		}
		if isRoot {
			s.root = append(s.root, xmlAttr{name: string(s.attr), value: string(s.val)})
		}
		switch kind {
		case elRow:
			if string(alocal) == "r" && s.rowRErr == nil {
				s.rowR, s.rowRErr = xlsxAtoi(s.val)
			}
		case elC:
			if s.cellSBad || len(alocal) != 1 {
				break
			}
			switch alocal[0] {
			case 'r':
				s.cellR = append(s.cellR[:0], s.val...)
			case 't':
				s.cellT = append(s.cellT[:0], s.val...)
			case 's':
				if _, ok := smallDecimal(s.val); !ok {
					if _, err := strconv.ParseInt(string(s.val), 10, 64); err != nil {
						s.cellSBad = true
					}
				}
			}
		}
	}
	s.kind, s.name = kind, s.names[at:]
	return markStart
}

// skipQuoted skips an attribute value to just after its closing quote q.
func (s *xmlScanner) skipQuoted(q byte) bool {
	for {
		if i := bytes.IndexByte(s.win[s.pos:], q); i >= 0 {
			s.pos += i + 1
			return true
		}
		s.pos = len(s.win)
		if !s.fill() {
			s.fail("unexpected EOF")
			return false
		}
	}
}

// readQuoted reads an attribute value, decoded, into s.val.
func (s *xmlScanner) readQuoted(q byte) bool {
	w := s.win[s.pos:]
	for i, c := range w {
		if c == q {
			s.val = append(s.val[:0], w[:i]...)
			s.pos += i + 1
			return true
		}
		if byteClass[c]&cQuoted == 0 {
			break
		}
	}
	if i := bytes.IndexByte(w, q); i >= 0 {
		var err error
		s.val, err = decodeXMLText(s.val[:0], w[:i], true)
		s.pos += i + 1
		if err != nil {
			s.fail(err.Error())
			return false
		}
		return true
	}
	s.raw = s.raw[:0]
	for {
		w := s.win[s.pos:]
		if i := bytes.IndexByte(w, q); i >= 0 {
			s.raw = append(s.raw, w[:i]...)
			s.pos += i + 1
			break
		}
		s.raw = append(s.raw, w...)
		s.pos = len(s.win)
		if !s.fill() {
			s.fail("unexpected EOF")
			return false
		}
	}
	var err error
	if s.val, err = decodeXMLText(s.val[:0], s.raw, true); err != nil {
		s.fail(err.Error())
		return false
	}
	return true
}

func (s *xmlScanner) endTag() markKind {
	if len(s.open) == 0 {
		s.tmp = s.readName(s.tmp[:0])
		return s.fail("unexpected end element </" + string(s.tmp) + ">")
	}
	top := s.open[len(s.open)-1]
	want := s.names[top.at:]
	// The usual case: the name and '>' at once.
	if w := s.win[s.pos:]; len(w) > len(want) && w[len(want)] == '>' && bytes.Equal(w[:len(want)], want) {
		s.pos += len(want) + 1
		s.pop()
		return markEnd
	}
	s.tmp = s.readName(s.tmp[:0])
	if s.err != nil {
		return markFail
	}
	if len(s.tmp) == 0 {
		return s.fail("expected element name after </")
	}
	if _, ok := localName(s.tmp); !ok {
		return s.fail("expected element name after </")
	}
	s.space()
	c, ok := s.mustgetc()
	if !ok {
		return markFail
	}
	if c != '>' {
		return s.fail("invalid characters between </" + string(s.tmp) + " and >")
	}
	if !bytes.Equal(s.tmp, want) {
		return s.fail("element <" + string(want) + "> closed by </" + string(s.tmp) + ">")
	}
	s.pop()
	return markEnd
}

// pop closes the innermost open element; kind and name are then its.
func (s *xmlScanner) pop() {
	top := s.open[len(s.open)-1]
	s.kind, s.name = top.kind, s.names[top.at:]
	s.open = s.open[:len(s.open)-1]
	s.names = s.names[:top.at]
}

// procInst reads a processing instruction, after "<?". The XML
// declaration's encoding must be UTF-8.
func (s *xmlScanner) procInst() markKind {
	s.raw = s.raw[:0]
	var b0 byte
	for {
		c, ok := s.mustgetc()
		if !ok {
			return markFail
		}
		if b0 == '?' && c == '>' {
			break
		}
		if len(s.raw) < 4096 {
			s.raw = append(s.raw, c)
		}
		b0 = c
	}
	if !bytes.HasPrefix(s.raw, []byte("xml")) || len(s.raw) > 3 && isNameByte(s.raw[3]) {
		return markOther
	}
	decl := s.raw[3:]
	if v := declParam(decl, "version"); v != "" && v != "1.0" {
		return s.fail("unsupported version " + strconv.Quote(v) + "; only version 1.0 is supported")
	}
	if e := declParam(decl, "encoding"); e != "" && !strings.EqualFold(e, "utf-8") {
		return s.fail("encoding " + strconv.Quote(e) + " declared: only UTF-8 is read")
	}
	return markOther
}

// declParam is the value of param="…" in an XML declaration.
func declParam(decl []byte, param string) string {
	for rest := decl; ; {
		i := bytes.Index(rest, []byte(param+"="))
		if i < 0 || i+len(param)+1 >= len(rest) {
			return ""
		}
		rest = rest[i+len(param)+1:]
		if q := rest[0]; q == '"' || q == '\'' {
			if j := bytes.IndexByte(rest[1:], q); j >= 0 {
				return string(rest[1 : 1+j])
			}
			return ""
		}
	}
}

// bang reads a comment, a CDATA section or a directive, after "<!".
func (s *xmlScanner) bang(keep bool) markKind {
	c, ok := s.mustgetc()
	if !ok {
		return markFail
	}
	switch c {
	case '-': // <!--comment-->
		if c, ok = s.mustgetc(); !ok {
			return markFail
		}
		if c != '-' {
			return s.fail("invalid sequence <!- not part of <!--")
		}
		var b0, b1 byte
		for {
			if c, ok = s.mustgetc(); !ok {
				return markFail
			}
			if b0 == '-' && b1 == '-' {
				if c != '>' {
					return s.fail(`invalid sequence "--" not allowed in comments`)
				}
				return markOther
			}
			b0, b1 = b1, c
		}
	case '[': // <![CDATA[text]]>
		for _, want := range []byte("CDATA[") {
			if c, ok = s.mustgetc(); !ok {
				return markFail
			}
			if c != want {
				return s.fail("invalid <![ sequence")
			}
		}
		s.raw = s.raw[:0]
		var b0, b1 byte
		for {
			if c, ok = s.mustgetc(); !ok {
				return markFail
			}
			if b0 == ']' && b1 == ']' && c == '>' {
				break
			}
			if keep {
				s.raw = append(s.raw, c)
			}
			b0, b1 = b1, c
		}
		if !keep {
			return markOther
		}
		var err error
		if s.cdata, err = appendCDATA(s.cdata[:0], s.raw[:len(s.raw)-2]); err != nil {
			return s.fail(err.Error())
		}
		return markCDATA
	}
	// A directive (<!DOCTYPE …>): to its '>', past quoted text and nested <…>.
	depth := 1
	var quote byte
	for {
		if quote != 0 {
			if c == quote {
				quote = 0
			}
		} else {
			switch c {
			case '\'', '"':
				quote = c
			case '<':
				depth++
			case '>':
				if depth--; depth == 0 {
					return markOther
				}
			}
		}
		if c, ok = s.mustgetc(); !ok {
			return markFail
		}
	}
}

// skipElement skips the rest of the element whose start tag was just read.
func (s *xmlScanner) skipElement() bool {
	if s.empty {
		s.empty = false
		s.pop()
		return true
	}
	depth := len(s.open)
	for {
		if !s.skipText() {
			s.fail("unexpected EOF")
			return false
		}
		switch s.markup(false) {
		case markStart:
			if s.empty {
				s.empty = false
				s.pop()
			}
		case markEnd:
			if len(s.open) < depth {
				return true
			}
		case markFail:
			return false
		}
	}
}

// readText appends to dst the text of the element whose start tag was
// just read, and reads its end tag. As encoding/xml's decoding into a
// string, the text is the element's own character data (entities decoded,
// CDATA sections as written, line ends as \n); elements inside it are
// skipped, with their text.
func (s *xmlScanner) readText(dst []byte) ([]byte, bool) {
	if s.empty {
		s.empty = false
		s.pop()
		return dst, true
	}
	depth := len(s.open)
	for {
		var ok bool
		if dst, ok = s.appendText(dst); !ok {
			return dst, false
		}
		switch s.markup(true) {
		case markCDATA:
			dst = append(dst, s.cdata...)
		case markStart:
			if !s.skipElement() {
				return dst, false
			}
		case markEnd:
			if len(s.open) < depth {
				return dst, true
			}
		case markFail:
			return dst, false
		}
	}
}

// appendText appends the decoded text up to the next '<', and reads the '<'.
func (s *xmlScanner) appendText(dst []byte) ([]byte, bool) {
	w := s.win[s.pos:]
	var class uint8
	for i, c := range w {
		if c == '<' {
			if class&cSpecial != 0 {
				break // to decode
			}
			if class&cHigh != 0 {
				if err := checkXMLChars(w[:i]); err != nil {
					s.fail(err.Error())
					return dst, false
				}
			}
			s.pos += i + 1
			return append(dst, w[:i]...), true
		}
		class |= byteClass[c]
	}
	if i := bytes.IndexByte(w, '<'); i >= 0 {
		var err error
		dst, err = decodeXMLText(dst, w[:i], false)
		s.pos += i + 1
		if err != nil {
			s.fail(err.Error())
			return dst, false
		}
		return dst, true
	}
	s.raw = s.raw[:0]
	for {
		w := s.win[s.pos:]
		if i := bytes.IndexByte(w, '<'); i >= 0 {
			s.raw = append(s.raw, w[:i]...)
			s.pos += i + 1
			break
		}
		s.raw = append(s.raw, w...)
		s.pos = len(s.win)
		if !s.fill() {
			s.fail("unexpected EOF")
			return dst, false
		}
	}
	var err error
	if dst, err = decodeXMLText(dst, s.raw, false); err != nil {
		s.fail(err.Error())
		return dst, false
	}
	return dst, true
}

// readSI reads a string item (<si> or <is>) whose start tag was just read.
func (s *xmlScanner) readSI(si *siText) bool {
	if s.empty {
		s.next()
		return true
	}
	for {
		switch s.next() {
		case tokEOF:
			return false
		case tokEnd:
			return true
		case tokStart:
			var ok bool
			switch s.kind {
			case elT:
				si.t, ok = s.readText(si.t[:0])
				si.hasT = true
			case elR:
				ok = s.readRun(si)
			default:
				ok = s.skipElement()
			}
			if !ok {
				return false
			}
		}
	}
}

// readRun reads a rich-text run <r>: its <t> is part of the item's text.
func (s *xmlScanner) readRun(si *siText) bool {
	if s.empty {
		s.next()
		return true
	}
	hasT := false
	for {
		switch s.next() {
		case tokEOF:
			return false
		case tokEnd:
			if hasT {
				si.runs = append(si.runs, si.run...)
			}
			return true
		case tokStart:
			var ok bool
			if s.kind == elT {
				si.run, ok = s.readText(si.run[:0])
				hasT = true
			} else {
				ok = s.skipElement()
			}
			if !ok {
				return false
			}
		}
	}
}

// checkRoot checks that the root element just read is want in the
// spreadsheet namespace, and that its integer attributes are integers, as
// excelize's decoding did.
func (s *xmlScanner) checkRoot(want string, ints ...string) error {
	local, _ := localName(s.name)
	if string(local) != want {
		return fmt.Errorf("%s: expected element type <%s> but have <%s>", s.part, want, local)
	}
	prefix := ""
	if len(local) < len(s.name) {
		prefix = string(s.name[:len(s.name)-len(local)-1])
	}
	space := prefix
	for _, a := range s.root {
		if prefix == "" && a.name == "xmlns" || prefix != "" && a.name == "xmlns:"+prefix {
			space = a.value
		}
	}
	if space != nsSheetMain && space != nsSheetMainStrict {
		return fmt.Errorf("%s: expected element <%s> in name space %s but have %q", s.part, want, nsSheetMain, space)
	}
	for _, a := range s.root {
		l, _ := localName([]byte(a.name))
		for _, n := range ints {
			if string(l) == n && a.value != "" {
				if _, err := strconv.ParseInt(strings.TrimSpace(a.value), 10, 64); err != nil {
					return fmt.Errorf("%s: attribute %s: %w", s.part, a.name, err)
				}
			}
		}
	}
	return nil
}

// decodeXMLText appends raw text or an attribute value to dst as
// encoding/xml decodes it: the five entities and character references
// replaced, \r\n and \r made \n, and an error for an unknown entity, a
// character XML does not allow, invalid UTF-8, or (in text) "]]>".
func decodeXMLText(dst, raw []byte, attr bool) ([]byte, error) {
	if err := checkXMLChars(raw); err != nil {
		return dst, err
	}
	i := 0
	for i < len(raw) {
		if c := raw[i]; c >= 0x20 && c != '&' && c != '>' && c != '<' {
			i++
			continue
		}
		break
	}
	dst = append(dst, raw[:i]...)
	for i < len(raw) {
		c := raw[i]
		switch {
		case c == '&':
			r, n, err := xmlEntity(raw[i:])
			if err != nil {
				return dst, err
			}
			dst = utf8.AppendRune(dst, r)
			i += n
			continue
		case c == '\r':
			dst = append(dst, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case c == '>' && !attr && i >= 2 && raw[i-1] == ']' && raw[i-2] == ']':
			return dst, errors.New("unescaped ]]> not in CDATA section")
		case c == '<' && attr:
			return dst, errors.New("unescaped < inside quoted string")
		default:
			dst = append(dst, c)
		}
		i++
	}
	return dst, nil
}

// checkXMLChars refuses invalid UTF-8 and the characters XML does not
// allow: controls but tab, line feed and carriage return, U+FFFE, U+FFFF.
func checkXMLChars(raw []byte) error {
	ascii := true
	for _, c := range raw {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
			return fmt.Errorf("illegal character code %U", rune(c))
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if ascii {
		return nil
	}
	if !utf8.Valid(raw) {
		return errors.New("invalid UTF-8")
	}
	for i := 0; ; {
		j := bytes.IndexByte(raw[i:], 0xEF)
		if j < 0 {
			return nil
		}
		i += j + 1
		if i+1 < len(raw) && raw[i] == 0xBF && (raw[i+1] == 0xBE || raw[i+1] == 0xBF) {
			return fmt.Errorf("illegal character code U+FFF%c", "EF"[raw[i+1]-0xBE])
		}
	}
}

// xmlEntity reads the entity or character reference at the start of s.
func xmlEntity(s []byte) (rune, int, error) {
	end := bytes.IndexByte(s, ';')
	bad := func() (rune, int, error) {
		e := s
		if end >= 0 {
			e = s[:end+1]
		} else if len(e) > 12 {
			e = e[:12]
		}
		return 0, 0, fmt.Errorf("invalid character entity %s", e)
	}
	if end < 0 {
		return bad()
	}
	name := s[1:end]
	if len(name) > 0 && name[0] == '#' {
		digits, base := name[1:], 10
		if len(digits) > 0 && digits[0] == 'x' {
			digits, base = digits[1:], 16
		}
		n, err := strconv.ParseUint(string(digits), base, 64)
		if err != nil || n > utf8.MaxRune {
			return bad()
		}
		r := rune(n)
		if !utf8.ValidRune(r) {
			r = utf8.RuneError // as string(rune(n)) gives it
		}
		if !(r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000) {
			return 0, 0, fmt.Errorf("illegal character code %U", r)
		}
		return r, end + 1, nil
	}
	switch string(name) {
	case "lt":
		return '<', end + 1, nil
	case "gt":
		return '>', end + 1, nil
	case "amp":
		return '&', end + 1, nil
	case "apos":
		return '\'', end + 1, nil
	case "quot":
		return '"', end + 1, nil
	}
	return bad()
}

// appendCDATA appends a CDATA section's text: as written, but for line
// ends, and checked as text is.
func appendCDATA(dst, raw []byte) ([]byte, error) {
	if err := checkXMLChars(raw); err != nil {
		return dst, err
	}
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		}
		dst = append(dst, c)
	}
	return dst, nil
}
