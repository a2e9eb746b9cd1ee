package importfile

// The XML scanner's tags, attribute values, processing instructions,
// comments and CDATA sections, and the text of the elements it reads.

import (
	"bytes"
	"strconv"
	"strings"
)

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
