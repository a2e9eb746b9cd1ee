package app

import (
	"bytes"
	"errors"
	"testing"

	"gorm.io/gorm"
)

// Seals are stored as literals, and those of a key a literal can't carry
// (a NUL, bytes that are not UTF-8) bound, in the same statement's chunk:
// either way every seal is stored, and the one it replaces read back.
func TestStoreSeals_LiteralAndBoundAlike(t *testing.T) {
	s := newService(t)
	undo := errors.New("roll back")
	for _, odd := range []string{"", "键\x00尾", "坏\xff"} {
		keys := []string{"甲'乙", "plain", "丙"}
		if odd != "" {
			keys = append(keys, odd)
		}
		err := s.write(func(tx *gorm.DB) error {
			es := make([]sealEntry, len(keys))
			for i, k := range keys {
				es[i] = sealEntry{Table: "test_table", Key: k, Hash: []byte{1, byte(i)}, Cols: []byte{'c', 0, byte(i)}}
			}
			if _, err := s.storeSeals(tx, 7, es); err != nil {
				return err
			}
			for i := range es {
				es[i].Hash = []byte{2, byte(i)}
			}
			out, err := s.storeSeals(tx, 8, es)
			if err != nil {
				return err
			}
			if len(out) != len(keys) {
				t.Errorf("%q: %d entries back, want %d", odd, len(out), len(keys))
			}
			for i, e := range out {
				if !bytes.Equal(e.Old, []byte{1, byte(i)}) {
					t.Errorf("%q: %q replaced %v, want [1 %d]", odd, e.Key, e.Old, i)
				}
				var hash, cols []byte
				var seq int64
				if err := tx.Raw(`SELECT hash, cols, seq FROM row_seals WHERE tbl = 'test_table' AND row_key = ?`, e.Key).
					Row().Scan(&hash, &cols, &seq); err != nil {
					t.Errorf("%q: %q: %v", odd, e.Key, err)
					continue
				}
				if !bytes.Equal(hash, []byte{2, byte(i)}) || !bytes.Equal(cols, []byte{'c', 0, byte(i)}) || seq != 8 {
					t.Errorf("%q: %q stored %v %v %d", odd, e.Key, hash, cols, seq)
				}
			}
			return undo
		})
		if !errors.Is(err, undo) {
			t.Fatalf("%q: %v", odd, err)
		}
	}
}
