package importfile

// The text encodings a CSV file may come in.

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// decodeText reads a text file as UTF-8 (with or without a byte-order
// mark), UTF-16 with its mark (Excel's “Unicode text”), or else GB18030,
// the superset of GBK that Chinese Excel and WPS save CSV in. bad is where
// in the text the first bytes are that the encoding can't read (their
// offset in the text returned, which holds them as U+FFFD or as they are),
// or -1: they are never turned silently into other characters. A file that
// is UTF-8 but for a few broken bytes counts as UTF-8 with bad bytes, not
// as GB18030 (which would read it as other characters).
func decodeText(b []byte) (text, enc string, bad int, err error) {
	switch {
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")):
		b = b[3:]
		return string(b), "UTF-8", utf8Bad(b), nil
	case bytes.HasPrefix(b, []byte("\xff\xfe")), bytes.HasPrefix(b, []byte("\xfe\xff")):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(b)
		if err != nil {
			return "", "", -1, err
		}
		bad := -1
		if bytes.ContainsRune(out, utf8.RuneError) {
			bad = utf16Bad(b[2:], b[0] == 0xfe)
		}
		return string(out), "UTF-16", bad, nil
	case utf8.Valid(b):
		return string(b), "UTF-8", -1, nil
	case mostlyUTF8(b):
		return string(b), "UTF-8", utf8Bad(b), nil
	}
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil {
		return "", "", -1, err
	}
	bad = -1
	if bytes.ContainsRune(out, utf8.RuneError) {
		bad = gb18030Bad(b)
	}
	return string(out), "GB18030", bad, nil
}

// utf8Bad is the offset of the first byte of b that is not UTF-8, or -1.
func utf8Bad(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// mostlyUTF8 reports whether b, which is not all UTF-8, is UTF-8 with a few
// broken bytes: its characters of three or four bytes (Chinese in UTF-8)
// far outnumber the bytes that are not UTF-8. Text in GBK is nearly all
// bytes that are not UTF-8, and only here and there one that looks like it.
func mostlyUTF8(b []byte) bool {
	wide, broken := 0, 0
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			broken++
		case n >= 3:
			wide++
		}
		i += n
	}
	return wide > 4*broken
}

// utf16Bad is the offset, in the text the UTF-16 b (after its byte-order
// mark) decodes to, of its first unpaired surrogate or odd last byte, or -1.
func utf16Bad(b []byte, bigEndian bool) int {
	unit := func(i int) rune {
		if bigEndian {
			return rune(b[i])<<8 | rune(b[i+1])
		}
		return rune(b[i+1])<<8 | rune(b[i])
	}
	out := 0
	for i := 0; i+1 < len(b); i += 2 {
		switch u := unit(i); {
		case u < 0xd800 || u > 0xdfff:
			out += utf8.RuneLen(u)
		case u < 0xdc00 && i+3 < len(b) && unit(i+2) >= 0xdc00 && unit(i+2) <= 0xdfff:
			out += 4
			i += 2
		default:
			return out
		}
	}
	if len(b)%2 == 1 {
		return out
	}
	return -1
}

// gb18030Literal is U+FFFD itself in GB18030.
const gb18030Literal = "\x84\x31\xa4\x37"

// gb18030Bad is the offset, in the text GB18030 decodes b to, of the first
// byte sequence of b that is not GB18030, or -1. The decoder of x/text turns
// such a sequence into U+FFFD, as it does U+FFFD itself (84 31 A4 37), so
// they are told apart here, a sequence at a time, cut as the decoder cuts
// them.
func gb18030Bad(b []byte) int {
	dec := simplifiedchinese.GB18030.NewDecoder()
	var buf [32]byte
	out := 0
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			i++
			out++
			continue
		}
		n := 0 // the length of the sequence, 0 for bytes no sequence starts with
		switch {
		case c == 0x80: // the euro sign of code page 936
			n = 1
		case c == 0xff || i+1 >= len(b):
		case b[i+1] >= 0x40 && b[i+1] != 0x7f && b[i+1] != 0xff:
			n = 2
		case b[i+1] >= 0x30 && b[i+1] < 0x40 && i+3 < len(b) &&
			b[i+2] >= 0x81 && b[i+2] != 0xff && b[i+3] >= 0x30 && b[i+3] <= 0x39:
			n = 4
		}
		if n == 0 {
			return out
		}
		dec.Reset()
		nd, _, err := dec.Transform(buf[:], b[i:i+n], true)
		if err != nil || bytes.ContainsRune(buf[:nd], utf8.RuneError) && string(b[i:i+n]) != gb18030Literal {
			return out
		}
		out += nd
		i += n
	}
	return -1
}

// readCSVRows calls fn with each record of text and the line it starts on,
// and the reader, which knows where its fields are; an error of fn stops it.
// The separator is the comma, or a tab or semicolon when the first line has
// more of those.
func readCSVRows(text string, fn func(line int, cells []string, r *csv.Reader) error) error {
	first, _, _ := strings.Cut(strings.TrimLeft(text, "\r\n"), "\n")
	comma := ','
	best := strings.Count(first, ",")
	for _, c := range []rune{'\t', ';'} {
		if n := strings.Count(first, string(c)); n > best {
			comma, best = c, n
		}
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		line, _ := r.FieldPos(0)
		if err := fn(line, rec, r); err != nil {
			return err
		}
	}
}
