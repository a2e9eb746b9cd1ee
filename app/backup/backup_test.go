package backup_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"secdoc/app/backup"
	"secdoc/models"
)

func TestCreate_WritesABackupBothSecretsRead(t *testing.T) {
	d := newDB(t, 30)
	var stages []string
	dir := t.TempDir()
	info, err := backup.Create(d.source(t), dir, secret, recKey(), fixedNow, func(stage string, f float64) {
		if len(stages) == 0 || stages[len(stages)-1] != stage {
			stages = append(stages, stage)
		}
		if f < 0 || f > 1 {
			t.Errorf("progress %v out of range", f)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "secdoc-备份-20261123-100000.sdbk")
	if info.Path != want || !contains(names(t, dir), filepath.Base(want)) || len(names(t, dir)) != 1 {
		t.Fatalf("backup at %s; folder holds %v", info.Path, names(t, dir))
	}
	c := info.Counts
	if c.Carriers != 30 || c.Carriers != d.count(t, "carriers") || c.Events != d.count(t, "carrier_events") ||
		c.Events != 31 || c.Users != 4 || c.Audit != d.count(t, "audit_log") || c.Audit == 0 {
		t.Fatalf("counts %+v", c)
	}
	if info.Depth != backup.DepthWritten || info.Schema != models.SchemaVersion() || info.Format != backup.FormatVersion ||
		!info.Created.Equal(fixedNow) || info.DBID != d.dbID(t) || info.KeySource != backup.SourcePassphrase ||
		info.RecoveryID != recKey().ID || len(info.SHA256) != 64 || len(info.DBSHA256) != 64 || info.Size <= 0 ||
		info.KDFParams != backup.KDF || info.RecoveryKDF != backup.RecoveryKDF || info.KDF != "argon2id" {
		t.Fatalf("info %+v", info)
	}
	for _, n := range names(t, filepath.Dir(d.path)) {
		if strings.Contains(n, "snapshot") {
			t.Fatalf("snapshot left beside the database: %s", n)
		}
	}
	wantStages := []string{backup.StageSnapshot, backup.StageWrite, backup.StageCheck, backup.StageReadBack}
	if strings.Join(stages, ",") != strings.Join(wantStages, ",") {
		t.Fatalf("stages %v", stages)
	}

	// Both secrets read it all, and find what Create said.
	var last float64
	got, err := backup.Verify(info.Path, secret, recovery, func(f float64) { last = f })
	if err != nil || got.Depth != backup.DepthContents || got.SHA256 != info.SHA256 || got.DBSHA256 != info.DBSHA256 ||
		got.Meta != info.Meta || got.Header != info.Header || got.Size != info.Size || last != 1 {
		t.Fatalf("verify: %v %+v (progress %v)", err, got, last)
	}

	// The passphrase alone checks it, and learns nothing of what it holds.
	last = 0
	chk, err := backup.Check(info.Path, secret, func(f float64) { last = f })
	if err != nil || chk.Depth != backup.DepthFile || chk.SHA256 != info.SHA256 || chk.Size != info.Size ||
		chk.Header != info.Header || chk.Meta != (backup.Meta{}) || chk.DBSHA256 != "" || last != 1 {
		t.Fatalf("check: %v %+v", err, chk)
	}

	// A second backup in the same second gets a name of its own.
	info2, err := backup.Create(d.source(t), dir, secret, recKey(), fixedNow, nil)
	if err != nil || filepath.Base(info2.Path) != "secdoc-备份-20261123-100000-2.sdbk" {
		t.Fatalf("second backup: %v %s", err, info2.Path)
	}
}

func TestCheck_PassphraseAlone(t *testing.T) {
	d := newDB(t, 5)
	info := makeBackup(t, d)
	if _, err := backup.Check(info.Path, secret, nil); err != nil {
		t.Fatal(err)
	}
	_, err := backup.Check(info.Path, wrongPW, nil)
	if !errors.Is(err, backup.ErrWrongSecret) || backup.Message(err) != "备份口令不对，或者备份文件头被改动" {
		t.Fatalf("wrong passphrase: %v %q", err, backup.Message(err))
	}
}

// TestVerify_NeedsBothSecrets: reading what is inside needs the system
// administrator's passphrase and the security officer's recovery passphrase.
func TestVerify_NeedsBothSecrets(t *testing.T) {
	d := newDB(t, 5)
	info := makeBackup(t, d)
	for _, c := range []struct {
		name string
		s    backup.Secret
		r    backup.RecoverySecret
		want error
	}{
		{"wrong recovery passphrase", secret, wrongRec, backup.ErrWrongRecovery},
		{"no recovery passphrase", secret, backup.RecoverySecret{}, backup.ErrWrongRecovery},
		{"the backup passphrase as the recovery one", secret, backup.RecoverySecret{Passphrase: pass}, backup.ErrWrongRecovery},
		{"wrong backup passphrase", wrongPW, recovery, backup.ErrWrongSecret},
		{"the recovery passphrase as the backup one", backup.Secret{Passphrase: recPass}, recovery, backup.ErrWrongSecret},
		{"both wrong", wrongPW, wrongRec, backup.ErrWrongSecret},
	} {
		got, err := backup.Verify(info.Path, c.s, c.r, nil)
		if !errors.Is(err, c.want) || !backup.IsBadFile(err) || got.Meta != (backup.Meta{}) || got.Depth != backup.DepthNone {
			t.Errorf("verify, %s: %v (%+v)", c.name, err, got.Meta)
		}
		dst := filepath.Join(t.TempDir(), "restored.db")
		_, key, err := backup.Extract(info.Path, c.s, c.r, dst, nil)
		if !errors.Is(err, c.want) || key != nil {
			t.Errorf("extract, %s: %v", c.name, err)
		}
		if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("extract, %s: something was written: %v", c.name, err)
		}
	}
	_, err := backup.Verify(info.Path, secret, wrongRec, nil)
	if backup.Message(err) != "恢复口令不对（由安全保密管理员输入）" {
		t.Fatalf("message %q", backup.Message(err))
	}
}

// A backup made for another recovery key than the program's now opens with
// that key's passphrase: its box travels in the file, and says its id.
func TestBackup_CarriesItsRecoveryKey(t *testing.T) {
	d := newDB(t, 2)
	other, err := backup.NewRecoveryKey("另一个恢复口令-old key 2025")
	if err != nil {
		t.Fatal(err)
	}
	info, err := backup.Create(d.source(t), t.TempDir(), secret, other, fixedNow, nil)
	if err != nil || info.RecoveryID != other.ID || other.ID == recKey().ID {
		t.Fatalf("%v: %s", err, info.RecoveryID)
	}
	h, err := backup.ReadHeader(info.Path)
	if err != nil || h.RecoveryID != other.ID {
		t.Fatalf("header %+v %v", h, err)
	}
	if _, err := backup.Verify(info.Path, secret, recovery, nil); !errors.Is(err, backup.ErrWrongRecovery) {
		t.Fatalf("the current key's passphrase: %v", err)
	}
	if _, err := backup.Verify(info.Path, secret, backup.RecoverySecret{Passphrase: "另一个恢复口令-old key 2025"}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestRecoveryKey_MakeAndOpen(t *testing.T) {
	k := recKey()
	if len(k.Public) != 32 || len(k.Box) != 107 || len(k.ID) != 16 {
		t.Fatalf("key %+v", k)
	}
	if err := backup.OpenRecovery(k.Box, recPass); err != nil {
		t.Fatal(err)
	}
	if err := backup.OpenRecovery(k.Box, recPass+"x"); !errors.Is(err, backup.ErrWrongRecovery) {
		t.Fatalf("wrong passphrase: %v", err)
	}
	for i := range k.Box {
		b := bytes.Clone(k.Box)
		b[i] ^= 1
		if err := backup.OpenRecovery(b, recPass); !errors.Is(err, backup.ErrWrongRecovery) && !errors.Is(err, backup.ErrRecoveryKey) {
			t.Fatalf("box changed at %d: %v", i, err)
		}
	}
	if err := backup.OpenRecovery(k.Box[:50], recPass); !errors.Is(err, backup.ErrRecoveryKey) || backup.Message(err) == "" {
		t.Fatalf("short box: %v", err)
	}
	for _, p := range []string{"", "短口令", "aaaaaaaaaaaaaaaaaaaa", "abababababababababab"} {
		_, err := backup.NewRecoveryKey(p)
		if !errors.Is(err, backup.ErrWeakSecret) || !strings.Contains(backup.Message(err), "恢复口令") {
			t.Fatalf("recovery passphrase %q: %v %q", p, err, backup.Message(err))
		}
	}
	k2, err := backup.NewRecoveryKey(recPass)
	if err != nil || bytes.Equal(k2.Public, k.Public) || bytes.Equal(k2.Box, k.Box) {
		t.Fatalf("a second key: %v", err)
	}
}

func TestCreate_RefusesWeakSecretsAndBadRecoveryKeys(t *testing.T) {
	d := newDB(t, 1)
	dir := t.TempDir()
	k := recKey()
	for _, c := range []struct {
		name string
		s    backup.Secret
		rec  backup.RecoveryKey
		want error
		msg  string
	}{
		{"short passphrase", backup.Secret{Passphrase: "短口令-only"}, k, backup.ErrWeakSecret, "至少 16 个字符"},
		{"15 characters", backup.Secret{Passphrase: "备份口令abcdefghijk"}, k, backup.ErrWeakSecret, "至少 16 个字符"},
		{"few characters", backup.Secret{Passphrase: "1234123412341234"}, k, backup.ErrWeakSecret, "不同的字符"},
		{"short key file", backup.Secret{KeyFile: []byte("0123456789abcdef0123456789abcde")}, k, backup.ErrWeakSecret, "head -c 32 /dev/urandom"},
		{"key file of one byte", backup.Secret{KeyFile: bytes.Repeat([]byte{7}, 64)}, k, backup.ErrWeakSecret, "head -c 32 /dev/urandom"},
		{"no recovery key", secret, backup.RecoveryKey{}, backup.ErrRecoveryKey, "恢复密钥"},
		{"another key's public half", secret, backup.RecoveryKey{Public: bytes.Repeat([]byte{9}, 32), Box: k.Box}, backup.ErrRecoveryKey, ""},
		{"a wrong id", secret, backup.RecoveryKey{Public: k.Public, Box: k.Box, ID: "0011223344556677"}, backup.ErrRecoveryKey, ""},
		{"a cut box", secret, backup.RecoveryKey{Public: k.Public, Box: k.Box[:100]}, backup.ErrRecoveryKey, ""},
	} {
		_, err := backup.Create(d.source(t), dir, c.s, c.rec, fixedNow, nil)
		if !errors.Is(err, c.want) || !strings.Contains(backup.Message(err), c.msg) || len(names(t, dir)) != 0 {
			t.Errorf("%s: %v, %q, %v", c.name, err, backup.Message(err), names(t, dir))
		}
	}
}

func TestKeyFile_UnlocksAndPassphraseDoesNot(t *testing.T) {
	d := newDB(t, 2)
	kf := backup.Secret{KeyFile: backup.NewKeyFile()}
	info, err := backup.Create(d.source(t), t.TempDir(), kf, recKey(), fixedNow, nil)
	if err != nil || info.KeySource != backup.SourceKeyFile {
		t.Fatal(err, info.KeySource)
	}
	if _, err := backup.Verify(info.Path, kf, recovery, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Check(info.Path, secret, nil); !errors.Is(err, backup.ErrWrongSecret) {
		t.Fatalf("passphrase on a key-file backup: %v", err)
	}
}

// setCRC recomputes the header's CRC, as someone editing it on purpose would.
func setCRC(b []byte) []byte {
	binary.BigEndian.PutUint32(b[backup.OffCRC:], crc32.ChecksumIEEE(b[:backup.OffCRC]))
	return b
}

// chunkAt is where a chunk's frame and sealed bytes start in a file.
type chunkAt struct{ frame, sealed, end int }

// chunksOf walks the chunks of a good backup.
func chunksOf(t *testing.T, b []byte) []chunkAt {
	t.Helper()
	var out []chunkAt
	for at := backup.HeaderLen; ; {
		n := int(binary.BigEndian.Uint32(b[at+1:]))
		c := chunkAt{frame: at, sealed: at + 9, end: at + 9 + n}
		out = append(out, c)
		if b[at] == 1 {
			if c.end+backup.TrailerLen != len(b) {
				t.Fatalf("trailer at %d, file of %d bytes", c.end, len(b))
			}
			return out
		}
		at = c.end
	}
}

// both checks a bad file with Check and Verify.
func both(t *testing.T, name string, b []byte, want error) {
	t.Helper()
	if _, err := backup.CheckBytes(b, secret); !errors.Is(err, want) {
		t.Errorf("%s: Check says %v, want %v", name, err, want)
	}
	if _, err := backup.ReadBytes(b, secret, recovery); !errors.Is(err, want) {
		t.Errorf("%s: Verify says %v, want %v", name, err, want)
	}
}

// TestBadFiles_EachSaysWhichItIs: every kind of bad file has its own error
// and its own Chinese sentence, from Check as from Verify.
func TestBadFiles_EachSaysWhichItIs(t *testing.T) {
	d := newDB(t, 40)
	d.noise(t, 40<<10)
	info := makeBackup(t, d)
	good := readFile(t, info.Path)
	dbFile := readFile(t, d.path)
	flip := func(at int) []byte {
		b := bytes.Clone(good)
		b[at] ^= 0x10
		return b
	}
	newer := bytes.Clone(good)
	binary.BigEndian.PutUint16(newer[8:], 3)
	cases := []struct {
		name   string
		data   []byte
		secret backup.Secret
		want   error
	}{
		{"wrong passphrase", good, wrongPW, backup.ErrWrongSecret},
		{"bit flipped in the middle", flip(len(good) / 2), secret, backup.ErrCorrupt},
		{"bit flipped in the last byte", flip(len(good) - 1), secret, backup.ErrCorrupt},
		{"bit flipped in the header", flip(30), secret, backup.ErrCorrupt},
		{"bit flipped in a chunk length", flip(backup.HeaderLen + 3), secret, backup.ErrCorrupt},
		{"cut in the middle of a chunk", good[:len(good)/2], secret, backup.ErrTruncated},
		{"cut before the final chunk", good[:len(good)-100], secret, backup.ErrTruncated},
		{"cut inside the header", good[:backup.HeaderLen-5], secret, backup.ErrTruncated},
		{"cut after the header", good[:backup.HeaderLen], secret, backup.ErrTruncated},
		{"garbage appended", append(bytes.Clone(good), 0), secret, backup.ErrCorrupt},
		{"the database file itself", dbFile, secret, backup.ErrNotBackup},
		{"a text file", []byte("这不是备份\n"), secret, backup.ErrNotBackup},
		{"an empty file", nil, secret, backup.ErrNotBackup},
		{"a newer file format", setCRC(newer), secret, backup.ErrNewer},
		{"an old file format", oldFormatFile(t), secret, backup.ErrOldFormat},
	}
	msgs := map[error]string{}
	for _, c := range cases {
		path := writeFile(t, c.data)
		_, err1 := backup.Check(path, c.secret, nil)
		_, err := backup.Verify(path, c.secret, recovery, nil)
		if !errors.Is(err, c.want) || !errors.Is(err1, c.want) {
			t.Errorf("%s: got %v and %v, want %v", c.name, err1, err, c.want)
			continue
		}
		if !backup.IsBadFile(err) {
			t.Errorf("%s: not a bad file: %v", c.name, err)
		}
		msgs[c.want] = backup.Message(err)
	}
	want := map[error]string{
		backup.ErrNotBackup:   "不是本程序的备份文件",
		backup.ErrWrongSecret: "备份口令不对，或者备份文件头被改动",
		backup.ErrCorrupt:     "备份文件已损坏（校验失败，可能被改动或介质出错）",
		backup.ErrTruncated:   "备份文件不完整（被截断）",
		backup.ErrNewer:       "备份来自更新版本的程序（文件格式 3",
		backup.ErrOldFormat:   "这是旧格式的备份（没有双人恢复保护），本程序不再用它恢复；请用本程序重新备份",
	}
	for e, m := range want {
		if !strings.HasPrefix(msgs[e], m) {
			t.Errorf("message for %v: %q, want it to start with %q", e, msgs[e], m)
		}
	}
}

// oldFormatFile is a file of format 1: a JSON header in the clear.
func oldFormatFile(t *testing.T) []byte {
	body := `{"schema":12,"created":"2026-11-23T02:00:00Z","program":"secdoc","db_id":"0123","db_size":4096,` +
		`"counts":{"carriers":3,"events":4,"audit":9,"users":4},"kdf":"argon2id",` +
		`"kdf_params":{"time":1,"memory_kib":1024,"threads":1},"salt":"AAAAAAAAAAAAAAAAAAAAAA==",` +
		`"key_source":"passphrase","key_check":"AAAAAAAAAAAAAAAAAAAAAA==","cipher":"AES-256-GCM",` +
		`"compression":"zstd","chunk_size":16384}`
	var b bytes.Buffer
	b.WriteString(backup.Magic)
	binary.Write(&b, binary.BigEndian, uint16(1))
	binary.Write(&b, binary.BigEndian, uint32(len(body)))
	b.WriteString(body)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(b.Bytes()))
	b.Write(bytes.Repeat([]byte{0x5a}, 1000)) // chunks
	return b.Bytes()
}

func TestOldFormat_Refused(t *testing.T) {
	path := writeFile(t, oldFormatFile(t))
	_, err := backup.Verify(path, secret, recovery, nil)
	if !errors.Is(err, backup.ErrOldFormat) ||
		backup.Message(err) != "这是旧格式的备份（没有双人恢复保护），本程序不再用它恢复；请用本程序重新备份" {
		t.Fatalf("verify: %v %q", err, backup.Message(err))
	}
	if _, _, err := backup.Extract(path, secret, recovery, filepath.Join(t.TempDir(), "r.db"), nil); !errors.Is(err, backup.ErrOldFormat) {
		t.Fatalf("extract: %v", err)
	}
	if _, err := backup.Check(path, secret, nil); !errors.Is(err, backup.ErrOldFormat) {
		t.Fatalf("check: %v", err)
	}
	if _, err := backup.ReadHeader(path); !errors.Is(err, backup.ErrOldFormat) {
		t.Fatalf("header: %v", err)
	}
}

// TestFlippedByte_InEveryChunk: a byte changed anywhere in any chunk, its
// frame or the trailer is found by Check (without decrypting) and by Verify.
func TestFlippedByte_InEveryChunk(t *testing.T) {
	d := newDB(t, 60)
	d.noise(t, 40<<10)
	info := makeBackup(t, d)
	good := readFile(t, info.Path)
	chunks := chunksOf(t, good)
	if len(chunks) < 3 {
		t.Fatalf("only %d chunks", len(chunks))
	}
	flip := func(at int) []byte {
		b := bytes.Clone(good)
		b[at] ^= 0x01
		return b
	}
	for i, c := range chunks {
		for _, at := range []int{c.frame, c.frame + 4, c.frame + 8, c.sealed, (c.sealed + c.end) / 2, c.end - 1} {
			both(t, fmt.Sprintf("chunk %d, byte %d", i, at), flip(at), backup.ErrCorrupt)
		}
	}
	trailer := len(good) - backup.TrailerLen
	for _, at := range []int{trailer, trailer + 7, trailer + 8, trailer + 15, trailer + 16, len(good) - 1} {
		both(t, "trailer", flip(at), backup.ErrCorrupt)
	}
	// A chunk's frame changed with its CRC made to match: a final flag set
	// early, or cleared on the final chunk.
	for _, i := range []int{0, len(chunks) - 1} {
		b := bytes.Clone(good)
		f := b[chunks[i].frame:]
		f[0] ^= 1
		binary.BigEndian.PutUint32(f[5:], crc32.ChecksumIEEE(f[:5]))
		both(t, "final flag", b, backup.ErrCorrupt)
	}
	// Two chunks swapped.
	a, c := chunks[0], chunks[1]
	b := append(append(append(bytes.Clone(good[:a.frame]), good[c.frame:c.end]...), good[a.frame:a.end]...), good[c.end:]...)
	both(t, "chunks swapped", b, backup.ErrCorrupt)
	// A chunk removed.
	b = append(bytes.Clone(good[:a.frame]), good[c.frame:]...)
	both(t, "chunk removed", b, backup.ErrCorrupt)
}

// TestTruncatedOrAppended: a file cut anywhere, or with bytes after it, is
// found by Check and by Verify.
func TestTruncatedOrAppended(t *testing.T) {
	d := newDB(t, 30)
	d.noise(t, 40<<10)
	info := makeBackup(t, d)
	good := readFile(t, info.Path)
	chunks := chunksOf(t, good)
	if len(chunks) < 3 {
		t.Fatalf("only %d chunks", len(chunks))
	}
	cuts := []int{backup.HeaderLen - 1, backup.HeaderLen, backup.HeaderLen + 5, len(good) - 1,
		len(good) - 32, len(good) - 33, len(good) - backup.TrailerLen}
	for _, c := range chunks {
		cuts = append(cuts, c.sealed, c.end-1, c.end)
	}
	for _, n := range cuts {
		both(t, "cut", good[:n], backup.ErrTruncated)
	}
	both(t, "one byte appended", append(bytes.Clone(good), 0), backup.ErrCorrupt)
	both(t, "a trailer appended", append(bytes.Clone(good), good[len(good)-backup.TrailerLen:]...), backup.ErrCorrupt)
	both(t, "the file twice", append(bytes.Clone(good), good...), backup.ErrCorrupt)
	// Cut after a chunk, with the old trailer put back: the MAC says no.
	last := chunks[len(chunks)-1]
	both(t, "final chunk cut out", append(bytes.Clone(good[:last.frame]), good[last.end:]...), backup.ErrCorrupt)
}

// TestHeader_SaysNothing: the clear part of a backup says nothing of what it
// holds: no database id, counts, date, program, names, nor the database.
func TestHeader_SaysNothing(t *testing.T) {
	d := newDB(t, 20)
	src := d.source(t)
	src.Program = "secdoc (schema 12)"
	info, err := backup.Create(src, t.TempDir(), secret, recKey(), fixedNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	b := readFile(t, info.Path)
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	id := d.dbID(t)
	created := fixedNow.UTC()
	unix := make([]byte, 8)
	binary.BigEndian.PutUint64(unix, uint64(created.Unix()))
	forbidden := []string{
		id, strings.ToUpper(id), string(hexBytes(t, id)),
		`"carriers"`, `"events"`, `"audit"`, `"users"`, `"counts"`, `"schema"`, `"db_id"`, `"db_size"`, `"created"`, `"program"`,
		"carriers", "meta.json", "audit.key", "secdoc.db", "SQLite format 3",
		created.Format(time.RFC3339), created.Format("2006-01-02"), fixedNow.Format("2006-01-02"),
		created.Format("20060102"), fixedNow.Format("20060102"), fixedNow.Format("2006/01/02"),
		fixedNow.Format("2006年01月02日"), fixedNow.Format("2006年1月2日"), string(unix[4:]),
		"secdoc (schema", "secdoc", "argon2id", "AES-256-GCM", "zstd",
	}
	for _, f := range forbidden {
		if bytes.Contains(b, []byte(f)) {
			t.Errorf("the file's first %d bytes hold %q", len(b), f)
		}
	}
	// And what the header does say, said without the passphrase.
	h, err := backup.ReadHeader(info.Path)
	if err != nil || h != info.Header {
		t.Fatalf("header %+v %v", h, err)
	}
}

func hexBytes(t *testing.T, s string) []byte {
	var out []byte
	for i := 0; i+1 < len(s); i += 2 {
		var v byte
		for _, c := range s[i : i+2] {
			v <<= 4
			switch {
			case c >= '0' && c <= '9':
				v |= byte(c - '0')
			case c >= 'a' && c <= 'f':
				v |= byte(c - 'a' + 10)
			}
		}
		out = append(out, v)
	}
	return out
}

// TestHeader_CostsBoundedBeforeAnyWork: argon2id costs beyond what this
// program writes, for the backup's key or the recovery box's, are refused
// before anything is derived: at once, without a large allocation.
func TestHeader_CostsBoundedBeforeAnyWork(t *testing.T) {
	d := newDB(t, 3)
	info := makeBackup(t, d)
	good := readFile(t, info.Path)
	type costs struct {
		time, memKiB uint32
		threads      byte
	}
	edit := func(at int, c costs) []byte {
		b := bytes.Clone(good)
		binary.BigEndian.PutUint32(b[at:], c.time)
		binary.BigEndian.PutUint32(b[at+4:], c.memKiB)
		b[at+8] = c.threads
		return setCRC(b)
	}
	bad := []costs{
		{64, 2 << 20, 1},            // 2 GiB, 64 passes
		{3, 2 << 20, 4},             // 2 GiB
		{3, 256<<10 + 1, 2},         // just over 256 MiB
		{64, 64 << 10, 2},           // 64 passes
		{11, 64 << 10, 2},           // 11 passes
		{3, 64 << 10, 17},           // 17 lanes
		{0, 64 << 10, 2},            // no pass
		{3, 64 << 10, 0},            // no lane
		{3, 1023, 1},                // under 1 MiB
		{3, 1 << 10, 255},           // under 8 KiB a lane
		{1<<32 - 1, 1<<32 - 1, 255}, // everything at most
	}
	for _, where := range []struct {
		name string
		at   int
	}{{"backup key", backup.OffTime}, {"recovery box", backup.OffBox + backup.BoxOffTime}} {
		for _, c := range bad {
			b := edit(where.at, c)
			path := writeFile(t, b)
			for _, read := range []struct {
				name string
				f    func() error
			}{
				{"check", func() error { _, err := backup.Check(path, secret, nil); return err }},
				{"verify", func() error { _, err := backup.Verify(path, secret, recovery, nil); return err }},
				{"header", func() error { _, err := backup.ReadHeader(path); return err }},
			} {
				var before, after runtimeMem
				before.read()
				t0 := time.Now()
				err := read.f()
				took := time.Since(t0)
				after.read()
				if !errors.Is(err, backup.ErrCorrupt) || !strings.Contains(backup.Message(err), "不是本程序写出的") {
					t.Errorf("%s %+v, %s: %v %q", where.name, c, read.name, err, backup.Message(err))
				}
				if took > 100*time.Millisecond || after.total-before.total > 8<<20 {
					t.Errorf("%s %+v, %s: %v and %d bytes allocated before refusing", where.name, c, read.name, took,
						after.total-before.total)
				}
			}
		}
	}
	// Costs within the bounds, but not the file's: the key check says no.
	both(t, "other costs", edit(backup.OffTime, costs{2, 1024, 1}), backup.ErrWrongSecret)
	if _, err := backup.ReadBytes(edit(backup.OffBox+backup.BoxOffTime, costs{2, 1024, 1}), secret, recovery); !errors.Is(err, backup.ErrWrongSecret) {
		t.Errorf("box costs edited: %v", err)
	}
}

// TestHeader_EditedClearFields: a clear field changed with the CRC made to
// match is an edited header: ErrWrongSecret (the key check covers the whole
// header); with the CRC left, a damaged one: ErrCorrupt. Never a panic.
func TestHeader_EditedClearFields(t *testing.T) {
	d := newDB(t, 3)
	info := makeBackup(t, d)
	good := readFile(t, info.Path)
	for _, f := range []struct {
		name string
		at   int
		size int
	}{
		{"salt", backup.OffSalt, 16},
		{"key source", backup.OffSource, 1},
		{"ephemeral key", backup.OffEph, 32},
		{"box salt", backup.OffBox + backup.BoxOffSalt, 16},
		{"box public key", backup.OffBox + backup.BoxOffPublic, 32},
		{"box sealed key", backup.OffBox + backup.BoxOffSealed, 48},
		{"key check", backup.OffCheck, 16},
	} {
		for _, at := range []int{f.at, f.at + f.size - 1} {
			b := bytes.Clone(good)
			b[at] ^= 0x01
			both(t, f.name+" (CRC left)", b, backup.ErrCorrupt)
			setCRC(b)
			want := backup.ErrWrongSecret
			if f.name == "key source" {
				want = backup.ErrCorrupt // 1 becomes 0: no such source
			}
			both(t, f.name, b, want)
		}
	}
	// The ephemeral key replaced by a point of low order.
	b := bytes.Clone(good)
	copy(b[backup.OffEph:], make([]byte, 32))
	both(t, "zero ephemeral key", setCRC(b), backup.ErrWrongSecret)
	// Every single header byte, each way, CRC made to match: a bad-file
	// error with a message, never a panic nor an accepted file.
	for at := 0; at < backup.OffCRC; at++ {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			b := bytes.Clone(good)
			b[at] ^= x
			setCRC(b)
			for _, err := range []error{errOf(backup.CheckBytes(b, secret)), errOf(backup.ReadBytes(b, secret, recovery))} {
				if err == nil || !backup.IsBadFile(err) || backup.Message(err) == "" {
					t.Fatalf("header byte %d ^ %#x: %v", at, x, err)
				}
			}
		}
	}
}

func errOf(_ backup.Info, err error) error { return err }

// runtimeMem is how much the program has allocated so far.
type runtimeMem struct{ total uint64 }

func (m *runtimeMem) read() {
	var s runtime.MemStats
	runtime.ReadMemStats(&s)
	m.total = s.TotalAlloc
}

// TestNewerSchema_OnlyAfterAuthentication: a backup of a newer schema says
// so only to the holders of both secrets; Extract then refuses it before
// writing anything.
func TestNewerSchema_OnlyAfterAuthentication(t *testing.T) {
	d := newDB(t, 3)
	if err := d.db.Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (999, 'future', ?)`,
		time.Now()).Error; err != nil {
		t.Fatal(err)
	}
	info := makeBackup(t, d)
	if info.Schema != 999 || !errors.Is(info.Restorable(), backup.ErrNewer) {
		t.Fatalf("schema %d, restorable %v", info.Schema, info.Restorable())
	}
	dst := filepath.Join(t.TempDir(), "restored.db")
	got, _, err := backup.Extract(info.Path, secret, recovery, dst, nil)
	if !errors.Is(err, backup.ErrNewer) || !strings.Contains(backup.Message(err), "数据库结构版本 999") || got.Schema != 999 {
		t.Fatalf("newer schema: %v %q", err, backup.Message(err))
	}
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("something was written: %v", err)
	}
	v, err := backup.Verify(info.Path, secret, recovery, nil)
	if err != nil || v.Schema != 999 || !errors.Is(v.Restorable(), backup.ErrNewer) {
		t.Fatalf("verify: %v %d", err, v.Schema)
	}
	for _, c := range []struct {
		s    backup.Secret
		r    backup.RecoverySecret
		want error
	}{{wrongPW, recovery, backup.ErrWrongSecret}, {wrongPW, wrongRec, backup.ErrWrongSecret}, {secret, wrongRec, backup.ErrWrongRecovery}} {
		got, _, err := backup.Extract(info.Path, c.s, c.r, dst, nil)
		if !errors.Is(err, c.want) || errors.Is(err, backup.ErrNewer) || got.Schema != 0 {
			t.Fatalf("wrong secrets: %v (schema %d)", err, got.Schema)
		}
	}
	if c, err := backup.Check(info.Path, secret, nil); err != nil || c.Schema != 0 {
		t.Fatalf("check: %v %d", err, c.Schema)
	}
}

func TestExtract_WritesTheDatabaseAsItWas(t *testing.T) {
	d := newDB(t, 12)
	info := makeBackup(t, d)
	dst := filepath.Join(t.TempDir(), "restored.db")
	var last float64
	got, key, err := backup.Extract(info.Path, secret, recovery, dst, func(_ string, f float64) { last = f })
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key, d.key) || got.DBSHA256 != info.DBSHA256 || got.Meta != info.Meta ||
		got.Depth != backup.DepthContents || last != 1 {
		t.Fatalf("key, database or meta differ: %+v", got)
	}
	st, _ := os.Stat(dst)
	if st.Size() != info.DBSize {
		t.Fatalf("restored %d bytes, meta says %d", st.Size(), info.DBSize)
	}
	// A bad file leaves no half-written database behind.
	b := readFile(t, info.Path)
	bad := writeFile(t, b[:len(b)*2/3])
	dst2 := filepath.Join(t.TempDir(), "restored2.db")
	if _, _, err := backup.Extract(bad, secret, recovery, dst2, nil); !errors.Is(err, backup.ErrTruncated) {
		t.Fatalf("truncated: %v", err)
	}
	if _, err := os.Stat(dst2); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("half-written database left: %v", err)
	}
}

// failingOut is a backup medium that fails after limit bytes with err, or
// (with corrupt) silently stores a wrong byte.
type failingOut struct {
	f       *os.File
	limit   int64
	n       int64
	err     error
	corrupt bool
	during  func() // called once, at the first write
}

func (o *failingOut) Write(p []byte) (int, error) {
	if o.during != nil {
		o.during()
		o.during = nil
	}
	if o.corrupt && o.n <= o.limit && o.n+int64(len(p)) > o.limit {
		q := bytes.Clone(p)
		q[o.limit-o.n] ^= 1
		n, err := o.f.Write(q)
		o.n += int64(n)
		return n, err
	}
	if !o.corrupt && o.n+int64(len(p)) > o.limit {
		k := o.limit - o.n
		n, _ := o.f.Write(p[:k])
		o.n += int64(n)
		return n, o.err
	}
	n, err := o.f.Write(p)
	o.n += int64(n)
	return n, err
}

func (o *failingOut) Sync() error  { return o.f.Sync() }
func (o *failingOut) Close() error { return o.f.Close() }

func breakMedium(t *testing.T, out *failingOut) {
	t.Cleanup(backup.SetCreateOut(func(path string) (backup.FileOut, error) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		out.f = f
		return out, err
	}))
}

// TestInterruptedWrite_LeavesNoFileWithABackupsName: a stick that fills up
// or is pulled out mid-write leaves nothing named like a backup (nor the
// temporary file), and the message says what happened.
func TestInterruptedWrite_LeavesNoFileWithABackupsName(t *testing.T) {
	d := newDB(t, 40)
	probe := makeBackup(t, d)
	for _, c := range []struct {
		err  error
		want string
	}{
		{syscall.ENOSPC, "空间不足"},
		{syscall.EIO, "拔出"},
		{syscall.ENODEV, "拔出"},
	} {
		dir := t.TempDir()
		var during []string
		out := &failingOut{limit: probe.Size / 2, err: c.err}
		out.during = func() { during = names(t, dir) }
		breakMedium(t, out)
		_, err := backup.Create(d.source(t), dir, secret, recKey(), fixedNow, nil)
		msg := backup.Message(err)
		if err == nil || !errors.Is(err, c.err) || !strings.Contains(msg, c.want) || !strings.Contains(msg, "没有留下不完整的备份文件") {
			t.Fatalf("%v: err %v, message %q", c.err, err, msg)
		}
		if left := names(t, dir); len(left) != 0 {
			t.Fatalf("%v: left behind %v", c.err, left)
		}
		// While it was being written, the file had only its temporary name.
		if len(during) != 1 || !strings.HasSuffix(during[0], ".sdbk.tmp") {
			t.Fatalf("during the write the folder held %v", during)
		}
	}
}

// TestReadBack_CatchesAMediumThatStoresWrongBytes: the read-back compares
// what the stick gives back with what was written.
func TestReadBack_CatchesAMediumThatStoresWrongBytes(t *testing.T) {
	d := newDB(t, 40)
	probe := makeBackup(t, d)
	for _, at := range []int64{10, probe.Size / 2, probe.Size - 1} {
		dir := t.TempDir()
		breakMedium(t, &failingOut{limit: at, corrupt: true})
		_, err := backup.Create(d.source(t), dir, secret, recKey(), fixedNow, nil)
		if !errors.Is(err, backup.ErrReadBack) || !strings.Contains(backup.Message(err), "读回校验") {
			t.Fatalf("bad medium at %d: %v", at, err)
		}
		if left := names(t, dir); len(left) != 0 {
			t.Fatalf("a backup that did not read back was kept: %v", left)
		}
	}
}

func TestCreate_FolderMissing(t *testing.T) {
	d := newDB(t, 1)
	_, err := backup.Create(d.source(t), filepath.Join(t.TempDir(), "gone"), secret, recKey(), fixedNow, nil)
	if err == nil || backup.Message(err) == "" {
		t.Fatalf("missing folder: %v %q", err, backup.Message(err))
	}
}

// TestSnapshot_ConsistentUnderConcurrentWrites: registrations going on during
// the backup end up either wholly in it or wholly out of it.
func TestSnapshot_ConsistentUnderConcurrentWrites(t *testing.T) {
	d := newDB(t, 5)
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		i := 100
		for {
			select {
			case <-stop:
				done <- i
				return
			default:
			}
			if err := d.register(i); err != nil {
				t.Error(err)
			}
			i++
			time.Sleep(time.Millisecond) // about as fast as the service registers, not faster
		}
	}()
	var infos []backup.Info
	for k := 0; k < 3; k++ {
		infos = append(infos, makeBackup(t, d))
	}
	close(stop)
	if n := <-done; n == 100 || infos[len(infos)-1].Counts.Carriers == 5 {
		t.Fatalf("no registration during the backups (%d, %+v)", n-100, infos[len(infos)-1].Counts)
	}
	for _, info := range infos {
		dst := filepath.Join(t.TempDir(), "r.db")
		if _, _, err := backup.Extract(info.Path, secret, recovery, dst, nil); err != nil {
			t.Fatal(err)
		}
		db, err := models.Open(dst)
		if err != nil {
			t.Fatal(err)
		}
		var carriers, events, audit int64
		db.Raw(`SELECT count(*) FROM carriers`).Scan(&carriers)
		db.Raw(`SELECT count(*) FROM carrier_events`).Scan(&events)
		db.Raw(`SELECT count(*) FROM audit_log`).Scan(&audit)
		models.Close(db)
		c := info.Counts
		if carriers != c.Carriers || events != c.Events || audit != c.Audit {
			t.Fatalf("restored %d/%d/%d, meta %+v", carriers, events, audit, c)
		}
	}
}

// TestSnapshot_VacuumIntoFallback: when the log can't be emptied the
// snapshot is made with VACUUM INTO, and the backup is as good.
func TestSnapshot_VacuumIntoFallback(t *testing.T) {
	d := newDB(t, 8)
	t.Cleanup(backup.ForceVacuumSnapshot())
	info := makeBackup(t, d)
	dst := filepath.Join(t.TempDir(), "r.db")
	if _, _, err := backup.Extract(info.Path, secret, recovery, dst, nil); err != nil || info.Counts.Carriers != 8 {
		t.Fatalf("vacuum snapshot: %v %+v", err, info.Counts)
	}
}
