package backup_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"secdoc/app/backup"
)

// FuzzRead feeds the reader real backups (written by Create from a test
// database), cut and changed: Check and Verify must never panic, never
// accept anything but an untouched backup, and fail only with one of the
// bad-file errors. (The reader computes its SHA-256 while reading:
// ReadBytes is Verify, CheckBytes is Check, on a file held in memory.)
//
//	go test ./app/backup -run '^$' -fuzz FuzzRead -fuzztime 60s
func FuzzRead(f *testing.F) {
	d := newDB(f, 3)
	info := makeBackup(f, d)
	good := readFile(f, info.Path)
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:60])
	f.Add(good[:backup.HeaderLen])
	f.Add(good[:len(good)-backup.TrailerLen])
	f.Add(append(bytes.Clone(good), 1, 2, 3))
	b := bytes.Clone(good)
	b[len(b)-20] ^= 4
	f.Add(b)
	b = bytes.Clone(good)
	b[backup.HeaderLen+100] ^= 4
	f.Add(b)
	b = bytes.Clone(good)
	binary.BigEndian.PutUint32(b[backup.OffMemory:], 2<<20)
	f.Add(setCRC(b))
	b = bytes.Clone(good)
	b[backup.OffEph] ^= 1
	f.Add(setCRC(b))
	f.Add([]byte(backup.Magic))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		chk, cerr := backup.CheckBytes(data, secret)
		got, err := backup.ReadBytes(data, secret, recovery)
		if (cerr == nil) != (err == nil) {
			t.Fatalf("Check says %v, Verify %v", cerr, err)
		}
		if err == nil {
			// Each fuzzing process makes its own seed backup (its own salt,
			// keys and database), and is handed the others' seeds too:
			// whatever reads must be one of those, intact.
			if got.Counts != info.Counts || got.Size != int64(len(data)) || len(got.DBSHA256) != 64 ||
				got.Depth != backup.DepthContents || chk.Depth != backup.DepthFile || chk.SHA256 != got.SHA256 {
				t.Fatalf("a changed file was accepted (%d bytes)", len(data))
			}
			return
		}
		for _, e := range []error{cerr, err} {
			if !backup.IsBadFile(e) {
				t.Fatalf("not a bad-file error: %v", e)
			}
			if backup.Message(e) == "" {
				t.Fatalf("no message for %v", e)
			}
		}
	})
}

// FuzzMembers feeds the payload parser (what decryption and decompression
// give) anything: it must not panic nor allocate what a length field asks.
func FuzzMembers(f *testing.F) {
	var ok bytes.Buffer
	put := func(name string, data []byte) {
		binary.Write(&ok, binary.BigEndian, uint16(len(name)))
		ok.WriteString(name)
		binary.Write(&ok, binary.BigEndian, uint64(len(data)))
		ok.Write(data)
	}
	put("meta.json", []byte(`{"schema":12,"created":"2026-11-23T02:00:00Z","db_id":"ab","db_size":20,"counts":{}}`))
	put("audit.key", make([]byte, 32))
	put("secdoc.db", []byte("SQLite format 3\x00rest"))
	ok.Write([]byte{0, 0})
	f.Add(ok.Bytes())
	f.Add(ok.Bytes()[:40])
	f.Add(ok.Bytes()[:120])
	f.Fuzz(func(t *testing.T, data []byte) {
		backup.ReadMembers(data)
	})
}
