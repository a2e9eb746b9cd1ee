package importfile

// Reading the clerk's .xlsx register for the import, without excelize.
//
// The worksheet and the shared strings are read straight from the zip entry
// by a small XML scanner of our own: streaming, through a bufio.Reader,
// never all at once and never to a file (excelize unpacked a large sheet
// into a plaintext temporary file, which a crash would leave behind). What
// it gives is what excelize v2.11.1 gave readXLSX, row for row: its
// Rows/Next/Columns(RawCellValue) iteration is reproduced in xlsx_rows.go, with its
// handling of row numbers that skip or are missing, cells without a
// reference, shared, inline and rich-text strings and their _xHHHH_
// escapes. Where the old reading silently stopped at XML it could not parse
// (and imported the rows before), this one says the sheet can't be read.
//
// This file opens the workbook and its small parts and reads the shared
// strings; xlsx_rows.go reads rows and cells; the XML scanner is in
// xlsx_scan.go (buffer, tokens, names), xlsx_tags.go (tags, values, text)
// and xlsx_text.go (decoding and checking text).

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf16"
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
