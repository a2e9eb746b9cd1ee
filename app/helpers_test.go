package app

import (
	"path/filepath"
	"testing"
	"time"

	"secdoc/models"
)

// fixedNow is the clock of every test: 2026-11-23 10:00 local.
var fixedNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)

func newService(t testing.TB) *Service {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	s.Now = func() time.Time { return fixedNow }
	t.Cleanup(func() { s.Close() })
	return s
}

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
	cs, err := s.Register("王敏", f)
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return cs
}
