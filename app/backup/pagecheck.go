package backup

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
)

// CheckPages checks the structure of the SQLite database file at path,
// which nobody writes to (a backup's snapshot), page by page, in Go: what
// PRAGMA quick_check checks of the file's structure, at the speed of reading
// it (about a second per gigabyte, where quick_check in this program's pure
// Go SQLite takes half a minute and integrity_check two). It proves:
//
//   - the file header is SQLite's, with a valid page size, and the file
//     holds every page the header counts;
//   - every b-tree named in the schema (tables and indexes alike) is sound:
//     each page of the kind its tree needs, its header, cell pointers and
//     cells inside the page, cells and free blocks not overlapping and
//     adding up with the fragment count to the page's content area, every
//     leaf at the same depth, the row ids of each table strictly increasing
//     across the whole tree, every overflow chain as long as its cell says;
//   - the free list is well formed and as long as the header says;
//   - every page of the file is used exactly once: by one tree, one
//     overflow chain or the free list (or is the pointer map or the lock
//     page).
//
// It does not compare an index with its table nor the keys of an index
// with each other, nor decode the rows' values: PRAGMA integrity_check does
// (Service.CheckDatabase runs it at a quiet time). A failure wraps bad and
// names the first pages found wrong.
func CheckPages(ctx context.Context, path string, bad error) error {
	f, err := os.Open(path)
	if err != nil {
		return &DiskError{Op: "local", Path: path, Err: err}
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return &DiskError{Op: "local", Path: path, Err: err}
	}
	c := &pageChecker{ctx: ctx, r: f, bad: bad}
	// Mapped, a page is a slice of the file: no copy, no system call.
	if data, release := mapFile(f, st.Size()); data != nil {
		defer release()
		c.mapped = data
	}
	if err := c.runGuarded(st.Size()); err != nil {
		return err
	}
	if len(c.findings) > 0 {
		return fmt.Errorf("%w: %s", bad, joinFindings(c.findings))
	}
	return nil
}

func joinFindings(f []string) string {
	s := ""
	for i, m := range f {
		if i > 0 {
			s += "; "
		}
		s += m
	}
	return s
}

// maxFindings is how many faults a check reports before it stops.
const maxFindings = 10

// errStop ends a walk once enough has been found.
var errStop = errors.New("stop")

type pageChecker struct {
	ctx      context.Context
	r        io.ReaderAt
	mapped   []byte // the file, when mapped
	bad      error
	pageSize int
	usable   int // page size less the reserved bytes
	n        uint32
	used     []uint64 // a bit per page: seen
	findings []string
	steps    int
}

func (c *pageChecker) fault(format string, args ...any) error {
	c.findings = append(c.findings, fmt.Sprintf(format, args...))
	if len(c.findings) >= maxFindings {
		return errStop
	}
	return nil
}

// page reads page pgno (1-based) into a new slice.
func (c *pageChecker) page(pgno uint32) ([]byte, error) {
	c.steps++
	if c.steps&4095 == 0 {
		if err := c.ctx.Err(); err != nil {
			return nil, err
		}
	}
	if c.mapped != nil {
		at := int64(pgno-1) * int64(c.pageSize)
		return c.mapped[at : at+int64(c.pageSize) : at+int64(c.pageSize)], nil
	}
	b := make([]byte, c.pageSize)
	if _, err := c.r.ReadAt(b, int64(pgno-1)*int64(c.pageSize)); err != nil {
		return nil, fmt.Errorf("read page %d: %w", pgno, err)
	}
	return b, nil
}

// use marks pgno used; false (with a fault) when it is out of range or was
// used already. what says what uses it; of, when not 0, which page.
func (c *pageChecker) use(pgno uint32, what string, of uint32) (bool, error) {
	if of != 0 {
		what = fmt.Sprintf("%s of page %d", what, of)
	}
	if pgno < 1 || pgno > c.n {
		return false, c.fault("%s: page %d out of range (1..%d)", what, pgno, c.n)
	}
	w, bit := pgno/64, uint64(1)<<(pgno%64)
	if c.used[w]&bit != 0 {
		return false, c.fault("%s: page %d used twice", what, pgno)
	}
	c.used[w] |= bit
	return true, nil
}

// runGuarded is run, with a fault on reading the mapped file (the medium
// failing under it) returned as an error rather than a crash.
func (c *pageChecker) runGuarded(size int64) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(runtime.Error); ok && strings.Contains(e.Error(), "fault") {
				err = &DiskError{Op: "local", Err: e}
				return
			}
			panic(r)
		}
	}()
	return c.run(size)
}

func (c *pageChecker) run(size int64) error {
	var hdr [100]byte
	if _, err := c.r.ReadAt(hdr[:], 0); err != nil {
		return fmt.Errorf("%w: file header: %v", c.bad, err)
	}
	if string(hdr[:16]) != "SQLite format 3\x00" {
		return fmt.Errorf("%w: not an SQLite file", c.bad)
	}
	ps := int(binary.BigEndian.Uint16(hdr[16:]))
	if ps == 1 {
		ps = 65536
	}
	if ps < 512 || ps > 65536 || ps&(ps-1) != 0 {
		return fmt.Errorf("%w: page size %d", c.bad, ps)
	}
	c.pageSize, c.usable = ps, ps-int(hdr[20])
	if c.usable < 480 {
		return fmt.Errorf("%w: %d reserved bytes per page", c.bad, hdr[20])
	}
	n := binary.BigEndian.Uint32(hdr[28:])
	if n == 0 || binary.BigEndian.Uint32(hdr[24:]) != binary.BigEndian.Uint32(hdr[92:]) {
		n = uint32(size / int64(ps)) // the header's count is stale: the file's size says
	}
	if int64(n)*int64(ps) > size {
		return fmt.Errorf("%w: the header counts %d pages, the file holds %d", c.bad, n, size/int64(ps))
	}
	c.n = n
	c.used = make([]uint64, n/64+1)

	// Pages no tree uses: the lock page, and the pointer map's (auto-vacuum).
	if lock := uint32(1<<30/ps) + 1; lock <= n {
		c.use(lock, "lock page", 0)
	}
	if binary.BigEndian.Uint32(hdr[52:]) != 0 {
		per := uint32(c.usable / 5)
		for p := uint32(2); p <= n; p += per + 1 {
			if _, err := c.use(p, "pointer map", 0); err != nil {
				return nil
			}
		}
	}

	// The schema's tree, then every tree it names.
	roots, err := c.schemaRoots()
	if err != nil {
		if err == errStop {
			return nil
		}
		return err
	}
	for _, r := range roots {
		if err := c.tree(r); err != nil {
			if err == errStop {
				return nil
			}
			return err
		}
	}
	if err := c.freelist(binary.BigEndian.Uint32(hdr[32:]), binary.BigEndian.Uint32(hdr[36:])); err != nil {
		if err == errStop {
			return nil
		}
		return err
	}
	for p := uint32(1); p <= n; p++ {
		if c.used[p/64]&(uint64(1)<<(p%64)) == 0 {
			if err := c.fault("page %d is never used", p); err != nil {
				return nil
			}
		}
	}
	return nil
}

// schemaRoots walks the schema's tree (page 1) and returns the root pages
// it names, sorted.
func (c *pageChecker) schemaRoots() ([]uint32, error) {
	var roots []uint32
	err := c.walk(1, func(payload []byte) error {
		root, ok := schemaRoot(payload)
		if !ok {
			return c.fault("schema row not readable")
		}
		if root != 0 {
			roots = append(roots, uint32(root))
		}
		return nil
	})
	slices.Sort(roots)
	return roots, err
}

// schemaRoot reads the rootpage column (the fourth) of a schema row.
func schemaRoot(rec []byte) (int64, bool) {
	hlen, k := varint(rec)
	if k == 0 || hlen > uint64(len(rec)) || hlen < uint64(k) {
		return 0, false
	}
	off := int(hlen)
	pos := k
	for col := 0; pos < int(hlen); col++ {
		t, m := varint(rec[pos:int(hlen)])
		if m == 0 {
			return 0, false
		}
		pos += m
		sz := serialSize(t)
		if col == 3 {
			if off+sz > len(rec) {
				return 0, false
			}
			switch t {
			case 0, 8:
				return 0, true
			case 9:
				return 1, true
			case 1, 2, 3, 4, 5, 6:
				var v int64
				for _, b := range rec[off : off+sz] {
					v = v<<8 | int64(b)
				}
				if rec[off]&0x80 != 0 { // negative: not a page
					return 0, false
				}
				return v, true
			}
			return 0, false
		}
		off += sz
	}
	return 0, false
}

func serialSize(t uint64) int {
	switch {
	case t <= 4:
		return int(t)
	case t == 5:
		return 6
	case t == 6 || t == 7:
		return 8
	case t <= 11:
		return 0
	}
	return int((t - 12) / 2)
}

// varint reads SQLite's variable-length integer; 0 bytes when b is short.
func varint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < 9; i++ {
		if i >= len(b) {
			return 0, 0
		}
		if i == 8 {
			return v<<8 | uint64(b[i]), 9
		}
		v = v<<7 | uint64(b[i]&0x7f)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
	return v, 9
}

// tree checks the b-tree whose root is root.
func (c *pageChecker) tree(root uint32) error { return c.walk(root, nil) }

// walk checks the b-tree at root; onRow, if not nil, gets each row's whole
// payload (only the schema's rows are read).
func (c *pageChecker) walk(root uint32, onRow func([]byte) error) error {
	if ok, err := c.use(root, "tree root", 0); !ok {
		return err
	}
	b, err := c.page(root)
	if err != nil {
		return err
	}
	kind := b[pageHeaderAt(root)]
	intKey := kind == 0x05 || kind == 0x0d
	if !intKey && kind != 0x02 && kind != 0x0a {
		return c.fault("page %d: root of a tree of unknown page type %d", root, kind)
	}
	t := &treeWalk{c: c, intKey: intKey, onRow: onRow, depth: -1}
	return t.page(root, b, 0, bounds{})
}

func pageHeaderAt(pgno uint32) int {
	if pgno == 1 {
		return 100
	}
	return 0
}

type treeWalk struct {
	c      *pageChecker
	intKey bool
	onRow  func([]byte) error
	depth  int // of the leaves, once one is seen
	last   int64
	seen   bool // a row id was seen (last is set)
}

type span struct{ lo, hi int } // [lo, hi)

// bounds are where a table subtree's row ids lie: above lo (when hasLo),
// at most hi (when hasHi).
type bounds struct {
	hasLo, hasHi bool
	lo, hi       int64
}

func (r bounds) holds(key int64) bool {
	return (!r.hasLo || key > r.lo) && (!r.hasHi || key <= r.hi)
}

// page checks page pgno (read into b) at depth d of the tree, whose row
// ids (a table's) lie within r.
func (t *treeWalk) page(pgno uint32, b []byte, d int, r bounds) error {
	c := t.c
	h := pageHeaderAt(pgno)
	kind := b[h]
	var leaf bool
	switch {
	case t.intKey && kind == 0x0d, !t.intKey && kind == 0x0a:
		leaf = true
	case t.intKey && kind == 0x05, !t.intKey && kind == 0x02:
	default:
		return c.fault("page %d: page type %d in a %s tree", pgno, kind, map[bool]string{true: "table", false: "index"}[t.intKey])
	}
	if d > 64 {
		return c.fault("page %d: tree deeper than 64", pgno)
	}
	hdrLen := 12
	if leaf {
		hdrLen = 8
	}
	U := c.usable
	ncell := int(binary.BigEndian.Uint16(b[h+3:]))
	content := int(binary.BigEndian.Uint16(b[h+5:]))
	if content == 0 {
		content = 65536
	}
	frag := int(b[h+7])
	ptrEnd := h + hdrLen + 2*ncell
	if ptrEnd > content || content > U {
		return c.fault("page %d: %d cells, content area at %d: does not fit", pgno, ncell, content)
	}
	if leaf {
		if t.depth < 0 {
			t.depth = d
		} else if t.depth != d {
			return c.fault("page %d: leaf at depth %d, another at %d", pgno, d, t.depth)
		}
	}

	spans := make([]span, 0, ncell+4)
	type child struct {
		pgno uint32
		r    bounds
	}
	var children []child
	prevKey, hasPrev := int64(0), false
	for i := 0; i < ncell; i++ {
		off := int(binary.BigEndian.Uint16(b[h+hdrLen+2*i:]))
		if off < content || off >= U {
			return c.fault("page %d: cell %d at %d, outside the content area", pgno, i, off)
		}
		cell := b[off:U]
		pos := 0
		var left uint32
		if !leaf {
			if len(cell) < 4 {
				return c.fault("page %d: cell %d cut off", pgno, i)
			}
			left = binary.BigEndian.Uint32(cell)
			pos = 4
		}
		var payload uint64
		if !(t.intKey && !leaf) {
			v, m := varint(cell[pos:])
			if m == 0 {
				return c.fault("page %d: cell %d cut off", pgno, i)
			}
			payload, pos = v, pos+m
		}
		var key int64
		if t.intKey {
			v, m := varint(cell[pos:])
			if m == 0 {
				return c.fault("page %d: cell %d cut off", pgno, i)
			}
			key, pos = int64(v), pos+m
		}
		size := pos
		var ovfl uint32
		var local int
		if !(t.intKey && !leaf) {
			local = localPayload(payload, U, t.intKey)
			size += local
			if uint64(local) < payload {
				if pos+local+4 > len(cell) {
					return c.fault("page %d: cell %d runs off the page", pgno, i)
				}
				ovfl = binary.BigEndian.Uint32(cell[pos+local:])
				size += 4
			}
		}
		if size < 4 {
			size = 4
		}
		if off+size > U {
			return c.fault("page %d: cell %d runs off the page", pgno, i)
		}
		spans = append(spans, span{off, off + size})
		if t.intKey {
			if hasPrev && key <= prevKey || !r.holds(key) {
				return c.fault("page %d: row id %d out of order", pgno, key)
			}
			if leaf {
				if t.seen && key <= t.last {
					return c.fault("page %d: row id %d out of order", pgno, key)
				}
				t.last, t.seen = key, true
			}
		}
		if !leaf {
			cr := bounds{hasLo: r.hasLo, lo: r.lo, hasHi: t.intKey, hi: key}
			if hasPrev {
				cr.hasLo, cr.lo = t.intKey, prevKey
			}
			children = append(children, child{pgno: left, r: cr})
		}
		prevKey, hasPrev = key, true
		if payload > 0 && (leaf || !t.intKey) {
			var whole []byte
			if t.onRow != nil && leaf {
				whole = append(make([]byte, 0, int(min(payload, 1<<20))), cell[pos:pos+local]...)
			}
			if ovfl != 0 || uint64(local) < payload {
				var err error
				if whole, err = c.overflow(pgno, ovfl, payload-uint64(local), whole); err != nil {
					return err
				}
			}
			if t.onRow != nil && leaf && whole != nil {
				if err := t.onRow(whole); err != nil {
					return err
				}
			}
		}
	}

	// Free blocks, then the content area adds up.
	fb := int(binary.BigEndian.Uint16(b[h+1:]))
	for k := 0; fb != 0; k++ {
		if fb < content || fb+4 > U || k > U/4 {
			return c.fault("page %d: free block at %d outside the content area", pgno, fb)
		}
		sz := int(binary.BigEndian.Uint16(b[fb+2:]))
		next := int(binary.BigEndian.Uint16(b[fb:]))
		if sz < 4 || fb+sz > U || (next != 0 && next < fb+sz) {
			return c.fault("page %d: free block at %d of %d bytes is wrong", pgno, fb, sz)
		}
		spans = append(spans, span{fb, fb + sz})
		fb = next
	}
	slices.SortFunc(spans, func(a, b span) int { return a.lo - b.lo })
	covered := 0
	for i, s := range spans {
		if i > 0 && s.lo < spans[i-1].hi {
			return c.fault("page %d: cells or free blocks overlap at %d", pgno, s.lo)
		}
		covered += s.hi - s.lo
	}
	if gap := U - content - covered; gap != frag {
		return c.fault("page %d: %d bytes unaccounted for, the header says %d", pgno, gap, frag)
	}

	if leaf {
		return nil
	}
	right := binary.BigEndian.Uint32(b[h+8:])
	cr := r
	if hasPrev && t.intKey {
		cr.hasLo, cr.lo = true, prevKey
	}
	children = append(children, child{pgno: right, r: cr})
	for _, ch := range children {
		if ok, err := c.use(ch.pgno, "child", pgno); !ok {
			if err != nil {
				return err
			}
			continue
		}
		cb, err := c.page(ch.pgno)
		if err != nil {
			return err
		}
		if err := t.page(ch.pgno, cb, d+1, ch.r); err != nil {
			return err
		}
	}
	return nil
}

// localPayload is how many of a cell's payload bytes are kept on its page
// (the rest goes to overflow pages), by SQLite's rule.
func localPayload(payload uint64, usable int, tableLeaf bool) int {
	x := uint64((usable-12)*64/255 - 23)
	if tableLeaf {
		x = uint64(usable - 35)
	}
	if payload <= x {
		return int(payload)
	}
	m := uint64((usable-12)*32/255 - 23)
	k := m + (payload-m)%uint64(usable-4)
	if k <= x {
		return int(k)
	}
	return int(m)
}

// overflow follows the overflow chain starting at first that holds the
// remaining bytes of a payload of page pgno; when whole is not nil they
// are appended to it.
func (c *pageChecker) overflow(pgno, first uint32, remaining uint64, whole []byte) ([]byte, error) {
	per := uint64(c.usable - 4)
	want := (remaining + per - 1) / per
	next := first
	for k := uint64(0); k < want; k++ {
		if next == 0 {
			return nil, c.fault("page %d: overflow chain of %d pages, should be %d", pgno, k, want)
		}
		if ok, err := c.use(next, "overflow", pgno); !ok {
			return nil, err
		}
		b, err := c.page(next)
		if err != nil {
			return nil, err
		}
		if whole != nil {
			whole = append(whole, b[4:4+min(per, remaining)]...)
		}
		remaining -= min(per, remaining)
		next = binary.BigEndian.Uint32(b)
	}
	return whole, nil
}

// freelist walks the free list: its trunk pages and their leaves, count
// pages in all.
func (c *pageChecker) freelist(trunk, count uint32) error {
	var seen uint32
	for trunk != 0 {
		if ok, err := c.use(trunk, "free list trunk", 0); !ok {
			return err
		}
		b, err := c.page(trunk)
		if err != nil {
			return err
		}
		leaves := binary.BigEndian.Uint32(b[4:])
		if leaves > uint32(c.usable/4-2) {
			return c.fault("free list trunk %d: %d leaves", trunk, leaves)
		}
		for i := uint32(0); i < leaves; i++ {
			if ok, err := c.use(binary.BigEndian.Uint32(b[8+4*i:]), "free list", 0); !ok {
				return err
			}
		}
		seen += 1 + leaves
		if seen > count {
			return c.fault("free list longer than the %d pages the header says", count)
		}
		trunk = binary.BigEndian.Uint32(b)
	}
	if seen != count {
		return c.fault("free list of %d pages, the header says %d", seen, count)
	}
	return nil
}
