package backup_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"secdoc/app"
	"secdoc/app/backup"
	"secdoc/models"
)

func init() {
	app.Argon2Params.Time, app.Argon2Params.MemoryKiB, app.Argon2Params.Threads = 1, 1024, 1
	backup.KDF = backup.KDFParams{Time: 1, MemoryKiB: 1024, Threads: 1}
	backup.ChunkSize = 16 << 10 // many chunks even in a small test database
}

const (
	demoPW = "Demo-pass-2026"
	pass   = "备份口令-correct horse"
)

var secret = backup.Secret{Passphrase: pass}

var fixedNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)

// newDB opens a demo database with n registered carriers, one of them edited
// (so there is history) and with audit records.
func newDB(t testing.TB, n int) *app.Service {
	t.Helper()
	t.Setenv("SECDOC_KEY_DIR", t.TempDir())
	svc, err := app.Open(filepath.Join(t.TempDir(), "secdoc.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	if err := svc.SetupDemo(demoPW); err != nil {
		t.Fatal(err)
	}
	clerk, _, err := svc.SignIn("clerk", demoPW)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		cs, err := svc.Register(clerk, form(i))
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			f := form(i)
			f.Title += "（修订）"
			if _, err := svc.Edit(clerk, cs[0].ID, cs[0].Version, f, "题名有误"); err != nil {
				t.Fatal(err)
			}
		}
	}
	return svc
}

func form(i int) models.CarrierForm {
	return models.CarrierForm{
		Direction: models.DirIncoming, RegDate: "2026-11-20", DocNumber: fmt.Sprintf("遂安府办发〔2026〕%d号", i+1),
		Title: fmt.Sprintf("关于做好2026年度保密自查工作的通知之%d", i+1), Issuer: "遂安市人民政府办公室", DocKind: "通知",
		Level: models.LevelSecret, TermKind: models.TermDefault, Copies: "1", CopyNo: "1", Pages: "6",
		Kind: models.KindPaper, Custodian: "王敏",
	}
}

func source(t testing.TB, svc *app.Service) backup.Source {
	t.Helper()
	sqlDB, err := svc.DB().DB()
	if err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile(svc.AuditKeyPath())
	if err != nil {
		t.Fatal(err)
	}
	return backup.Source{DB: sqlDB, Path: svc.Path(), AuditKey: key, Program: "test"}
}

// makeBackup backs svc up into a new folder and returns the file.
func makeBackup(t testing.TB, svc *app.Service) (backup.Info, string) {
	t.Helper()
	dir := t.TempDir()
	info, err := backup.Create(source(t, svc), dir, secret, fixedNow, nil)
	if err != nil {
		t.Fatal(err)
	}
	return info, dir
}

func count(t testing.TB, svc *app.Service, table string) int64 {
	var n int64
	if err := svc.DB().Raw(`SELECT count(*) FROM ` + table).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func names(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Name())
	}
	return out
}

func TestCreate_WritesVerifiedBackupWithHeaderFacts(t *testing.T) {
	svc := newDB(t, 30)
	var stages []string
	dir := t.TempDir()
	info, err := backup.Create(source(t, svc), dir, secret, fixedNow, func(stage string, f float64) {
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
	if c.Carriers != 30 || c.Carriers != count(t, svc, "carriers") || c.Events != count(t, svc, "carrier_events") ||
		c.Users != 4 || c.Audit == 0 || c.Audit > count(t, svc, "audit_log") {
		t.Fatalf("counts %+v", c)
	}
	if info.Schema != models.SchemaVersion() || info.Format != backup.FormatVersion || !info.Created.Equal(fixedNow) ||
		info.KeySource != backup.SourcePassphrase || len(info.SHA256) != 64 || info.Size <= 0 {
		t.Fatalf("header %+v", info)
	}
	// Only the database and its companions remain beside it: no snapshot.
	for _, n := range names(t, filepath.Dir(svc.Path())) {
		if strings.Contains(n, "snapshot") {
			t.Fatalf("snapshot left beside the database: %s", n)
		}
	}
	wantStages := []string{backup.StageSnapshot, backup.StageWrite, backup.StageCheck, backup.StageReadBack}
	if strings.Join(stages, ",") != strings.Join(wantStages, ",") {
		t.Fatalf("stages %v", stages)
	}
	again, err := backup.Verify(info.Path, secret, nil)
	if err != nil || again.SHA256 != info.SHA256 || again.DBSHA256 != info.DBSHA256 {
		t.Fatalf("verify: %v %+v", err, again)
	}
	// A second backup in the same second gets a name of its own.
	info2, err := backup.Create(source(t, svc), dir, secret, fixedNow, nil)
	if err != nil || filepath.Base(info2.Path) != "secdoc-备份-20261123-100000-2.sdbk" {
		t.Fatalf("second backup: %v %s", err, info2.Path)
	}
}

func TestCreate_RefusesShortPassphrase(t *testing.T) {
	svc := newDB(t, 1)
	dir := t.TempDir()
	_, err := backup.Create(source(t, svc), dir, backup.Secret{Passphrase: "短口令"}, fixedNow, nil)
	if !errors.Is(err, backup.ErrWeakSecret) || len(names(t, dir)) != 0 {
		t.Fatalf("short passphrase: %v, %v", err, names(t, dir))
	}
}

func TestKeyFile_UnlocksAndPassphraseDoesNot(t *testing.T) {
	svc := newDB(t, 2)
	kf := backup.Secret{KeyFile: bytes.Repeat([]byte{7}, 32)}
	info, err := backup.Create(source(t, svc), t.TempDir(), kf, fixedNow, nil)
	if err != nil || info.KeySource != backup.SourceKeyFile {
		t.Fatal(err, info.KeySource)
	}
	if _, err := backup.Verify(info.Path, secret, nil); !errors.Is(err, backup.ErrWrongSecret) {
		t.Fatalf("passphrase on a key-file backup: %v", err)
	}
}

// rewriteHeader changes the header's JSON body and recomputes its CRC, as
// a newer (or malicious) writer would.
func rewriteHeader(t *testing.T, b []byte, format uint16, edit func(body string) string) []byte {
	t.Helper()
	n := int(binary.BigEndian.Uint32(b[10:14]))
	body := edit(string(b[14 : 14+n]))
	var out bytes.Buffer
	out.WriteString(backup.Magic)
	binary.Write(&out, binary.BigEndian, format)
	binary.Write(&out, binary.BigEndian, uint32(len(body)))
	out.WriteString(body)
	binary.Write(&out, binary.BigEndian, crc32.ChecksumIEEE(out.Bytes()))
	out.Write(b[14+n+4:])
	return out.Bytes()
}

// TestBadFiles_EachSaysWhichItIs: every kind of bad file has its own error
// and its own Chinese sentence.
func TestBadFiles_EachSaysWhichItIs(t *testing.T) {
	svc := newDB(t, 40)
	info, _ := makeBackup(t, svc)
	good, err := os.ReadFile(info.Path)
	if err != nil {
		t.Fatal(err)
	}
	hdrLen := 14 + int(binary.BigEndian.Uint32(good[10:14])) + 4
	dbFile, _ := os.ReadFile(svc.Path())
	flip := func(at int) []byte {
		b := bytes.Clone(good)
		b[at] ^= 0x10
		return b
	}
	cases := []struct {
		name   string
		data   []byte
		secret backup.Secret
		want   error
	}{
		{"wrong passphrase", good, backup.Secret{Passphrase: pass + "x"}, backup.ErrWrongSecret},
		{"bit flipped in the middle", flip(len(good) / 2), secret, backup.ErrCorrupt},
		{"bit flipped in the last byte", flip(len(good) - 1), secret, backup.ErrCorrupt},
		{"bit flipped in the header", flip(30), secret, backup.ErrCorrupt},
		{"bit flipped in a chunk length", flip(hdrLen + 3), secret, backup.ErrCorrupt},
		{"cut in the middle of a chunk", good[:len(good)/2], secret, backup.ErrTruncated},
		{"cut before the final chunk", good[:len(good)-100], secret, backup.ErrTruncated},
		{"cut inside the header", good[:hdrLen-5], secret, backup.ErrTruncated},
		{"cut after the header", good[:hdrLen], secret, backup.ErrTruncated},
		{"garbage appended", append(bytes.Clone(good), 0), secret, backup.ErrCorrupt},
		{"the database file itself", dbFile, secret, backup.ErrNotBackup},
		{"a text file", []byte("这不是备份\n"), secret, backup.ErrNotBackup},
		{"an empty file", nil, secret, backup.ErrNotBackup},
		{"a newer file format", rewriteHeader(t, good, 2, func(s string) string { return s }), secret, backup.ErrNewer},
	}
	msgs := map[error]string{}
	for _, c := range cases {
		path := filepath.Join(t.TempDir(), "bad.sdbk")
		if err := os.WriteFile(path, c.data, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := backup.Verify(path, c.secret, nil)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
			continue
		}
		if !backup.IsBadFile(err) {
			t.Errorf("%s: not a bad file: %v", c.name, err)
		}
		msgs[c.want] = backup.Message(err)
	}
	want := map[error]string{
		backup.ErrNotBackup:   "不是本程序的备份文件",
		backup.ErrWrongSecret: "口令不对",
		backup.ErrCorrupt:     "备份文件已损坏（校验失败，可能被改动或介质出错）",
		backup.ErrTruncated:   "备份文件不完整（被截断）",
		backup.ErrNewer:       "备份来自更新版本的程序",
	}
	for e, m := range want {
		if !strings.HasPrefix(msgs[e], m) {
			t.Errorf("message for %v: %q, want it to start with %q", e, msgs[e], m)
		}
	}
}

func TestExtract_NewerSchemaRefusedBeforeWriting(t *testing.T) {
	svc := newDB(t, 3)
	if err := svc.DB().Exec(`INSERT INTO schema_migrations(version, name, applied_at) VALUES (99, 'future', ?)`,
		time.Now()).Error; err != nil {
		t.Fatal(err)
	}
	info, _ := makeBackup(t, svc)
	if info.Schema != 99 || !errors.Is(info.Restorable(), backup.ErrNewer) {
		t.Fatalf("schema %d, restorable %v", info.Schema, info.Restorable())
	}
	dst := filepath.Join(t.TempDir(), "restored.db")
	_, _, err := backup.Extract(info.Path, secret, dst, nil)
	if !errors.Is(err, backup.ErrNewer) || !strings.Contains(backup.Message(err), "数据库结构版本 99") {
		t.Fatalf("newer schema: %v %q", err, backup.Message(err))
	}
	if _, err := os.Stat(dst); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("something was written: %v", err)
	}
}

func TestExtract_WritesTheDatabaseAsItWas(t *testing.T) {
	svc := newDB(t, 12)
	info, _ := makeBackup(t, svc)
	dst := filepath.Join(t.TempDir(), "restored.db")
	got, key, err := backup.Extract(info.Path, secret, dst, nil)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(svc.AuditKeyPath())
	if !bytes.Equal(key, want) || got.DBSHA256 != info.DBSHA256 {
		t.Fatalf("key or database differ")
	}
	st, _ := os.Stat(dst)
	if st.Size() != info.DBSize {
		t.Fatalf("restored %d bytes, header says %d", st.Size(), info.DBSize)
	}
	// A bad file leaves no half-written database behind.
	bad := filepath.Join(t.TempDir(), "cut.sdbk")
	b, _ := os.ReadFile(info.Path)
	os.WriteFile(bad, b[:len(b)*2/3], 0o600)
	dst2 := filepath.Join(t.TempDir(), "restored2.db")
	if _, _, err := backup.Extract(bad, secret, dst2, nil); !errors.Is(err, backup.ErrTruncated) {
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
	svc := newDB(t, 40)
	probe, _ := makeBackup(t, svc)
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
		_, err := backup.Create(source(t, svc), dir, secret, fixedNow, nil)
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
	svc := newDB(t, 40)
	probe, _ := makeBackup(t, svc)
	dir := t.TempDir()
	breakMedium(t, &failingOut{limit: probe.Size / 2, corrupt: true})
	_, err := backup.Create(source(t, svc), dir, secret, fixedNow, nil)
	if !errors.Is(err, backup.ErrReadBack) || !strings.Contains(backup.Message(err), "读回校验") {
		t.Fatalf("bad medium: %v", err)
	}
	if left := names(t, dir); len(left) != 0 {
		t.Fatalf("a backup that did not read back was kept: %v", left)
	}
}

func TestCreate_FolderMissing(t *testing.T) {
	svc := newDB(t, 1)
	_, err := backup.Create(source(t, svc), filepath.Join(t.TempDir(), "gone"), secret, fixedNow, nil)
	if err == nil || backup.Message(err) == "" {
		t.Fatalf("missing folder: %v %q", err, backup.Message(err))
	}
}

// TestSnapshot_ConsistentUnderConcurrentWrites: registrations going on during
// the backup end up either wholly in it or wholly out of it.
func TestSnapshot_ConsistentUnderConcurrentWrites(t *testing.T) {
	svc := newDB(t, 5)
	clerk, _, err := svc.SignIn("clerk", demoPW)
	if err != nil {
		t.Fatal(err)
	}
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
			if _, err := svc.Register(clerk, form(i)); err != nil {
				t.Error(err)
			}
			i++
		}
	}()
	var infos []backup.Info
	for k := 0; k < 3; k++ {
		info, _ := makeBackup(t, svc)
		infos = append(infos, info)
	}
	close(stop)
	<-done
	for _, info := range infos {
		dst := filepath.Join(t.TempDir(), "r.db")
		if _, _, err := backup.Extract(info.Path, secret, dst, nil); err != nil {
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
			t.Fatalf("restored %d/%d/%d, header %+v", carriers, events, audit, c)
		}
	}
}

// TestSnapshot_VacuumIntoFallback: when the log can't be emptied the
// snapshot is made with VACUUM INTO, and the backup is as good.
func TestSnapshot_VacuumIntoFallback(t *testing.T) {
	svc := newDB(t, 8)
	t.Cleanup(backup.ForceVacuumSnapshot())
	info, _ := makeBackup(t, svc)
	dst := filepath.Join(t.TempDir(), "r.db")
	if _, _, err := backup.Extract(info.Path, secret, dst, nil); err != nil || info.Counts.Carriers != 8 {
		t.Fatalf("vacuum snapshot: %v %+v", err, info.Counts)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
