package reports

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"

	"secdoc/assets"
)

// Every document used to hand gofpdf the whole 4.6 MB font, which gofpdf
// parsed twice per document (for the widths, then again to subset it on
// output): some 40 ms and 30 MB a slip. Instead the font is read once per
// process here, and each document gets a small TrueType font of its own with
// only the characters it can print; gofpdf subsets that one just the same,
// so the embedded glyphs, widths and pages come out as before.

// runeSet is a set of characters of the Basic Multilingual Plane, the plane
// gofpdf's Unicode cmap reaches.
type runeSet [0x10000 / 64]uint64

func (s *runeSet) add(r rune) {
	if r >= 0 && r < 0x10000 {
		s[r>>6] |= 1 << (r & 63)
	}
}

func (s *runeSet) addString(str string) {
	for _, r := range str {
		s.add(r)
	}
}

func (s *runeSet) union(o *runeSet) {
	for i := range s {
		s[i] |= o[i]
	}
}

// missing reports whether some character of s is in font but not in have.
func (s *runeSet) missing(have, font *runeSet) bool {
	for i := range s {
		if s[i]&font[i]&^have[i] != 0 {
			return true
		}
	}
	return false
}

// each calls f for every character of s in ascending order.
func (s *runeSet) each(f func(rune)) {
	for i, w := range s {
		for w != 0 {
			b := 0
			for w&(1<<b) == 0 {
				b++
			}
			f(rune(i*64 + b))
			w &^= 1 << b
		}
	}
}

// trueType is the embedded font, read once: its tables and, per glyph, where
// its outline lies and its horizontal metrics.
type trueType struct {
	tables map[string][]byte
	glyf   []byte
	loca   []uint32 // numGlyphs+1 offsets into glyf
	hmtx   []byte   // advance width and left side bearing, 4 bytes per glyph
	gid    []uint16 // BMP character → glyph, from the cmap gofpdf reads; 0 is none
	chars  runeSet  // the characters gid maps to a glyph

	// base is what every document's font has: ASCII, control characters
	// included (gofpdf always embeds the glyph of U+0000), and the wording
	// of the forms (labelRunes).
	base runeSet
}

var (
	fontOnce   sync.Once
	fontParsed *trueType
	fontErr    error
)

// embeddedFont is assets.Font, parsed on first use.
func embeddedFont() (*trueType, error) {
	fontOnce.Do(func() {
		fontParsed, fontErr = parseTrueType(assets.Font)
		if fontErr == nil {
			t := fontParsed
			for r := rune(0); r < 0x80; r++ {
				t.base.add(r)
			}
			t.base.addString(labelRunes)
		}
	})
	return fontParsed, fontErr
}

var errFontFormat = errors.New("unexpected TrueType data")

func parseTrueType(b []byte) (*trueType, error) {
	be := binary.BigEndian
	if len(b) < 12 || be.Uint32(b) != 0x00010000 && string(b[:4]) != "true" {
		return nil, fmt.Errorf("font: %w: not a TrueType font", errFontFormat)
	}
	t := &trueType{tables: map[string][]byte{}}
	n := int(be.Uint16(b[4:]))
	if len(b) < 12+16*n {
		return nil, fmt.Errorf("font: %w: table directory", errFontFormat)
	}
	for i := range n {
		rec := b[12+16*i:]
		off, size := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if off < 0 || size < 0 || off+size > len(b) {
			return nil, fmt.Errorf("font: %w: table %q out of bounds", errFontFormat, rec[:4])
		}
		t.tables[string(rec[:4])] = b[off : off+size : off+size]
	}
	short := func(tag string, min int) []byte {
		if d := t.tables[tag]; len(d) >= min {
			return d
		}
		return nil
	}
	head, hhea, maxp := short("head", 54), short("hhea", 36), short("maxp", 6)
	if head == nil || hhea == nil || maxp == nil || short("OS/2", 2) == nil || short("post", 32) == nil || short("name", 6) == nil {
		return nil, fmt.Errorf("font: %w: a required table is missing", errFontFormat)
	}
	numGlyphs := int(be.Uint16(maxp[4:]))
	numHMetrics := int(be.Uint16(hhea[34:]))
	t.glyf = t.tables["glyf"]

	loca := t.tables["loca"]
	t.loca = make([]uint32, numGlyphs+1)
	switch be.Uint16(head[50:]) {
	case 0:
		if len(loca) < 2*(numGlyphs+1) {
			return nil, fmt.Errorf("font: %w: loca", errFontFormat)
		}
		for i := range t.loca {
			t.loca[i] = 2 * uint32(be.Uint16(loca[2*i:]))
		}
	case 1:
		if len(loca) < 4*(numGlyphs+1) {
			return nil, fmt.Errorf("font: %w: loca", errFontFormat)
		}
		for i := range t.loca {
			t.loca[i] = be.Uint32(loca[4*i:])
		}
	default:
		return nil, fmt.Errorf("font: %w: loca format", errFontFormat)
	}
	for i := range numGlyphs {
		if t.loca[i] > t.loca[i+1] || int(t.loca[i+1]) > len(t.glyf) {
			return nil, fmt.Errorf("font: %w: glyph %d out of bounds", errFontFormat, i)
		}
	}

	hmtx := t.tables["hmtx"]
	if numHMetrics < 1 || numHMetrics > numGlyphs || len(hmtx) < 4*numHMetrics+2*(numGlyphs-numHMetrics) {
		return nil, fmt.Errorf("font: %w: hmtx", errFontFormat)
	}
	t.hmtx = make([]byte, 4*numGlyphs)
	copy(t.hmtx, hmtx[:4*numHMetrics])
	lastAdvance := hmtx[4*numHMetrics-4 : 4*numHMetrics-2]
	for g := numHMetrics; g < numGlyphs; g++ {
		copy(t.hmtx[4*g:], lastAdvance)
		copy(t.hmtx[4*g+2:], hmtx[4*numHMetrics+2*(g-numHMetrics):][:2])
	}

	if err := t.parseCmap(numGlyphs); err != nil {
		return nil, err
	}
	return t, nil
}

// parseCmap reads the same subtable gofpdf does: the first Windows Unicode
// BMP or Unicode-platform one in format 4.
func (t *trueType) parseCmap(numGlyphs int) error {
	be := binary.BigEndian
	cmap := t.tables["cmap"]
	bad := fmt.Errorf("font: %w: cmap", errFontFormat)
	if len(cmap) < 4 {
		return bad
	}
	var sub []byte
	for i := range int(be.Uint16(cmap[2:])) {
		if 4+8*i+8 > len(cmap) {
			return bad
		}
		rec := cmap[4+8*i:]
		platform, encoding, off := be.Uint16(rec), be.Uint16(rec[2:]), int(be.Uint32(rec[4:]))
		if platform == 3 && encoding == 1 || platform == 0 {
			if off+4 <= len(cmap) && be.Uint16(cmap[off:]) == 4 {
				sub = cmap[off:min(len(cmap), off+int(be.Uint16(cmap[off+2:])))]
				break
			}
		}
	}
	if len(sub) < 14 {
		return fmt.Errorf("font: %w: no Unicode cmap in format 4", errFontFormat)
	}
	segs := int(be.Uint16(sub[6:])) / 2
	if len(sub) < 16+8*segs {
		return bad
	}
	ends, starts := sub[14:], sub[16+2*segs:]
	deltas, rangeOffs := sub[16+4*segs:], sub[16+6*segs:]
	t.gid = make([]uint16, 0x10000)
	for i := range segs {
		start, end := int(be.Uint16(starts[2*i:])), int(be.Uint16(ends[2*i:]))
		delta, ro := int(be.Uint16(deltas[2*i:])), int(be.Uint16(rangeOffs[2*i:]))
		for c := start; c <= end && c < 0xFFFF; c++ {
			g := 0
			if ro == 0 {
				g = (c + delta) & 0xFFFF
			} else if p := 16 + 6*segs + 2*i + ro + 2*(c-start); p+2 <= len(sub) {
				if g = int(be.Uint16(sub[p:])); g != 0 {
					g = (g + delta) & 0xFFFF
				}
			}
			if g > 0 && g < numGlyphs {
				t.gid[c] = uint16(g)
				t.chars.add(rune(c))
			}
		}
	}
	return nil
}

// Flags of a composite glyph's component.
const (
	argsAreWords   = 0x0001
	haveScale      = 0x0008
	moreComponents = 0x0020
	haveXYScale    = 0x0040
	have2x2        = 0x0080
)

// components calls f with the offset of each component's glyph index inside
// glyph data d, if d is a composite glyph.
func components(d []byte, f func(at int)) {
	be := binary.BigEndian
	if len(d) < 10 || int16(be.Uint16(d)) >= 0 {
		return
	}
	for p := 10; p+4 <= len(d); {
		flags := be.Uint16(d[p:])
		f(p + 2)
		p += 4
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&have2x2 != 0:
			p += 8
		}
		if flags&moreComponents == 0 {
			return
		}
	}
}

func (t *trueType) glyph(g int) []byte { return t.glyf[t.loca[g]:t.loca[g+1]] }

// subset builds a TrueType font with the characters of chars: their glyphs
// (and the glyphs composite ones are built from) in their original order,
// glyph 0, and every other table gofpdf reads or copies into the PDF as it
// is. ok is false when the set is too large for one format-4 cmap.
func (t *trueType) subset(chars *runeSet) (font []byte, ok bool) {
	be := binary.BigEndian
	// The glyphs, in ascending original order, so that gofpdf's own subset
	// numbers them the same as from the whole font.
	glyphs := []int{0}
	seen := map[int]bool{0: true}
	var runes []rune
	chars.each(func(r rune) {
		if g := int(t.gid[r]); g != 0 {
			runes = append(runes, r)
			if !seen[g] {
				seen[g] = true
				glyphs = append(glyphs, g)
			}
		}
	})
	for i := 0; i < len(glyphs); i++ {
		d := t.glyph(glyphs[i])
		components(d, func(at int) {
			if g := int(be.Uint16(d[at:])); g < len(t.loca)-1 && !seen[g] {
				seen[g] = true
				glyphs = append(glyphs, g)
			}
		})
	}
	slices.Sort(glyphs)
	newID := func(g int) int {
		i, _ := slices.BinarySearch(glyphs, g)
		return i
	}

	// glyf, loca (long offsets) and hmtx.
	size := 0
	for _, g := range glyphs {
		size += len(t.glyph(g))
	}
	glyf := make([]byte, 0, size)
	loca := make([]byte, 4*(len(glyphs)+1))
	hmtx := make([]byte, 4*len(glyphs))
	for i, g := range glyphs {
		be.PutUint32(loca[4*i:], uint32(len(glyf)))
		start := len(glyf)
		glyf = append(glyf, t.glyph(g)...)
		d := glyf[start:]
		components(d, func(at int) { be.PutUint16(d[at:], uint16(newID(int(be.Uint16(d[at:]))))) })
		copy(hmtx[4*i:], t.hmtx[4*g:4*g+4])
	}
	be.PutUint32(loca[4*len(glyphs):], uint32(len(glyf)))

	// cmap: one format-4 subtable, a segment per run of consecutive
	// characters on consecutive glyphs.
	type segment struct{ start, end, delta int }
	var segs []segment
	for _, r := range runes {
		c, g := int(r), newID(int(t.gid[r]))
		if n := len(segs); n > 0 && segs[n-1].end == c-1 && (c+segs[n-1].delta)&0xFFFF == g {
			segs[n-1].end = c
			continue
		}
		segs = append(segs, segment{c, c, (g - c) & 0xFFFF})
	}
	segs = append(segs, segment{0xFFFF, 0xFFFF, 1})
	subLen := 16 + 8*len(segs)
	if subLen > 0xFFFF {
		return nil, false
	}
	cmap := make([]byte, 12+subLen)
	be.PutUint16(cmap[2:], 1) // one subtable
	be.PutUint16(cmap[4:], 3) // Windows
	be.PutUint16(cmap[6:], 1) // Unicode BMP
	be.PutUint32(cmap[8:], 12)
	sub := cmap[12:]
	be.PutUint16(sub, 4)
	be.PutUint16(sub[2:], uint16(subLen))
	n := len(segs)
	be.PutUint16(sub[6:], uint16(2*n))
	sr, sel := 1, 0
	for sr*2 <= n {
		sr *= 2
		sel++
	}
	be.PutUint16(sub[8:], uint16(2*sr))
	be.PutUint16(sub[10:], uint16(sel))
	be.PutUint16(sub[12:], uint16(2*n-2*sr))
	for i, s := range segs {
		be.PutUint16(sub[14+2*i:], uint16(s.end))
		be.PutUint16(sub[16+2*n+2*i:], uint16(s.start))
		be.PutUint16(sub[16+4*n+2*i:], uint16(s.delta))
		// idRangeOffset stays 0
	}

	tables := map[string][]byte{
		"cmap": cmap, "glyf": glyf, "loca": loca, "hmtx": hmtx,
		"head": slices.Clone(t.tables["head"]),
		"hhea": slices.Clone(t.tables["hhea"]),
		"maxp": slices.Clone(t.tables["maxp"]),
		"OS/2": t.tables["OS/2"],
		"name": t.tables["name"],
		// gofpdf keeps only post's header, as version 3 (no glyph names).
		"post": append([]byte{0, 3, 0, 0}, t.tables["post"][4:32]...),
	}
	// Hinting, which gofpdf copies into the PDF as well.
	for _, tag := range []string{"cvt ", "fpgm", "prep", "gasp"} {
		if d, ok := t.tables[tag]; ok {
			tables[tag] = d
		}
	}
	be.PutUint16(tables["head"][50:], 1) // long loca offsets
	be.PutUint16(tables["hhea"][34:], uint16(len(glyphs)))
	be.PutUint16(tables["maxp"][4:], uint16(len(glyphs)))
	return assemble(tables), true
}

// assemble writes a TrueType file of tables: the directory in tag order, each
// table 4-byte aligned with its checksum, and head's checkSumAdjustment.
func assemble(tables map[string][]byte) []byte {
	be := binary.BigEndian
	tags := make([]string, 0, len(tables))
	size := 12 + 16*len(tables)
	for tag, d := range tables {
		tags = append(tags, tag)
		size += (len(d) + 3) &^ 3
	}
	sort.Strings(tags)
	out := make([]byte, 12+16*len(tags), size)
	n := len(tags)
	sr, sel := 1, 0
	for sr*2 <= n {
		sr *= 2
		sel++
	}
	be.PutUint32(out, 0x00010000)
	be.PutUint16(out[4:], uint16(n))
	be.PutUint16(out[6:], uint16(16*sr))
	be.PutUint16(out[8:], uint16(sel))
	be.PutUint16(out[10:], uint16(16*n-16*sr))
	headAt := 0
	for i, tag := range tags {
		d := tables[tag]
		if tag == "head" {
			headAt = len(out)
			be.PutUint32(d[8:], 0) // checkSumAdjustment is summed as 0
		}
		rec := out[12+16*i:]
		copy(rec, tag)
		be.PutUint32(rec[4:], checksum(d))
		be.PutUint32(rec[8:], uint32(len(out)))
		be.PutUint32(rec[12:], uint32(len(d)))
		out = append(out, d...)
		out = append(out, make([]byte, (4-len(d)%4)%4)...)
	}
	be.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}

// checksum is the TrueType table checksum: the sum of big-endian uint32s,
// the last one padded with zeros.
func checksum(d []byte) uint32 {
	var sum uint32
	for len(d) >= 4 {
		sum += binary.BigEndian.Uint32(d)
		d = d[4:]
	}
	var last [4]byte
	copy(last[:], d)
	return sum + binary.BigEndian.Uint32(last[:])
}
