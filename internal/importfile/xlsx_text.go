package importfile

// The XML scanner's checks of a part's root, and the decoding of text:
// entities, character references, CDATA, the characters XML allows.

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

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
