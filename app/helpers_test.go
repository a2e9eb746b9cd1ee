package app

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"secdoc/models"
)

// fixedNow is the clock of every test: 2026-11-23 10:00 local.
var fixedNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)

func init() {
	// Cheap password hashing: tests sign in hundreds of times.
	Argon2Params.Time, Argon2Params.MemoryKiB, Argon2Params.Threads = 1, 1024, 1
}

// testPassword is every test account's password.
const testPassword = "Mima-2026-ok"

// newService opens a fresh database with the first-run accounts set up:
// sysadmin 张伟, secadmin 李娜, auditor 赵强 and the clerk 王敏, all with
// testPassword already changed from the first one.
func newService(t testing.TB) *Service {
	t.Helper()
	t.Setenv("SECDOC_KEY_DIR", t.TempDir())
	s, err := Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return fixedNow }
	t.Cleanup(func() { s.Close() })
	first := func(login, name string) NewAccount {
		return NewAccount{Login: login, FullName: name, Password: "First-pass-1"}
	}
	err = s.Setup(SetupInput{OfficeName: "遂安市机要局", Policy: models.DefaultPolicy,
		SysAdmin: first("sysadmin", "张伟"), SecAdmin: first("secadmin", "李娜"), Auditor: first("auditor", "赵强"),
		Clerks: []NewAccount{first("wangmin", "王敏")}})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"sysadmin", "secadmin", "auditor", "wangmin"} {
		sess, must, err := s.SignIn(l, "First-pass-1")
		if err != nil || !must {
			t.Fatalf("first sign-in %s: %v %v", l, must, err)
		}
		if err := s.ChangePassword(sess, "First-pass-1", testPassword); err != nil {
			t.Fatal(err)
		}
	}
	// The security officer's recovery key, without which nothing is backed up.
	sec, _, err := s.SignIn("secadmin", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetRecoveryKey(sec, bkRecovery.Passphrase, bkRecovery.Passphrase); err != nil {
		t.Fatal(err)
	}
	s.SignOut(sec)
	return s
}

var sessions sync.Map // *Service + name → *Session

// as returns a signed-in session of the person named: the four accounts of
// newService by name or role login, or a new clerk account made for the test.
func as(t testing.TB, s *Service, name string) *Session {
	t.Helper()
	key := s.Path() + "/" + name
	if v, ok := sessions.Load(key); ok {
		return v.(*Session)
	}
	logins := map[string]string{"王敏": "wangmin", "张伟": "sysadmin", "李娜": "secadmin", "赵强": "auditor",
		"sysadmin": "sysadmin", "secadmin": "secadmin", "auditor": "auditor", "clerk": "wangmin"}
	login, ok := logins[name]
	if !ok {
		login = fmt.Sprintf("u%x", len(name)*7919+int(name[0])*31+int(name[len(name)-1]))
		admin := as(t, s, "sysadmin")
		if _, err := s.CreateUser(admin, NewAccount{Login: login, FullName: name, Password: "First-pass-1"}); err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		sess, _, err := s.SignIn(login, "First-pass-1")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.ChangePassword(sess, "First-pass-1", testPassword); err != nil {
			t.Fatal(err)
		}
	}
	sess, _, err := s.SignIn(login, testPassword)
	if err != nil {
		t.Fatalf("sign in %s: %v", login, err)
	}
	sessions.Store(key, sess)
	return sess
}

// clerk is the clerk 王敏's session.
func clerk(t testing.TB, s *Service) *Session { return as(t, s, "王敏") }

// form is a valid incoming registration; tests change what they examine.
func form() models.CarrierForm {
	return models.CarrierForm{
		Direction: models.DirIncoming, RegDate: "2026-11-20", DocNumber: "遂安府办发〔2026〕30号",
		Title: "关于做好2026年度保密自查工作的通知", Issuer: "遂安市人民政府办公室", DocKind: "通知",
		Level: models.LevelSecret, TermKind: models.TermDefault, Copies: "1", CopyNo: "1", Pages: "6",
		Kind: models.KindPaper, NeedToKnow: "办公室主任、分管领导", Location: "机要室3号柜", Custodian: "王敏",
	}
}

func mustRegister(t testing.TB, s *Service, f models.CarrierForm) []models.Carrier {
	t.Helper()
	cs, err := s.Register(clerk(t, s), f)
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return cs
}
