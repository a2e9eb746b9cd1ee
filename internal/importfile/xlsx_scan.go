package importfile

// The XML scanner the sheet and the shared strings are read with: its
// buffer, its tokens and names (see xlsx.go).

import (
	"bufio"
	"bytes"
	"io"
	"unicode/utf8"
)

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
