package app

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"secdoc/app/backup"
	"secdoc/models"
)

// damagePage overwrites, in the database file under s, bytes of the root
// page of the named index or table: what the medium or a torn write does.
// With change nil, the page's second half is zeroed.
func damagePage(t *testing.T, s *Service, name string, change func(page []byte)) {
	t.Helper()
	if err := s.db.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`).Error; err != nil {
		t.Fatal(err)
	}
	var ps, root int
	s.db.Raw(`PRAGMA page_size`).Scan(&ps)
	s.db.Raw(`SELECT rootpage FROM sqlite_schema WHERE name = ?`, name).Scan(&root)
	if root == 0 {
		t.Fatalf("no %s", name)
	}
	f, err := os.OpenFile(s.path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	page := make([]byte, ps)
	if _, err := f.ReadAt(page, int64((root-1)*ps)); err != nil {
		t.Fatal(err)
	}
	if change == nil {
		clear(page[ps/2:])
	} else {
		change(page)
	}
	if _, err := f.WriteAt(page, int64((root-1)*ps)); err != nil {
		t.Fatal(err)
	}
}

// TestBackup_DamagedRegisterRefused_R18: a register with a damaged index
// page is not backed up; the administrator is told so in Chinese, the
// folder stays empty, and the trail records the refusal with what was found.
func TestBackup_DamagedRegisterRefused_R18(t *testing.T) {
	s := newService(t)
	registered(t, s, 30)
	damagePage(t, s, "idx_carriers_reg_no", nil)
	dir := t.TempDir()
	_, err := s.Backup(as(t, s, "sysadmin"), dir, bkSecret, nil)
	if !errors.Is(err, backup.ErrSourceCorrupt) {
		t.Fatalf("backup of a damaged register: %v", err)
	}
	if m := backup.Message(err); !strings.Contains(m, "没有通过完整性检查，没有生成备份") {
		t.Fatalf("message %q", m)
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Fatalf("the folder holds %v", got)
	}
	r := lastAudit(t, s)
	if r.Event != models.EventBackup || r.Success || !strings.Contains(r.Detail, "没有生成备份") || !strings.Contains(r.Detail, "page ") {
		t.Fatalf("refusal audited as %+v", r)
	}
}

// TestCheckDatabase_ResultInTheTrailAndBackupsHeed: the full check at a
// quiet time records its result, good or bad, in the trail; a backup says
// when the register last passed it, and is refused while the newest full
// check found damage that the page check alone can't see (an index entry
// changed in place), until a full check passes again.
func TestCheckDatabase_ResultInTheTrailAndBackupsHeed(t *testing.T) {
	s := newService(t)
	registered(t, s, 30)
	admin := as(t, s, "sysadmin")
	if _, err := s.CheckDatabase(as(t, s, "wangmin")); !errors.Is(err, models.ErrForbidden) {
		t.Fatalf("a clerk runs the full check: %v", err)
	}
	c, err := s.CheckDatabase(admin)
	if err != nil || !c.OK {
		t.Fatalf("full check of a sound register: %+v %v", c, err)
	}
	if r := lastAudit(t, s); r.Event != models.EventDBCheck || !r.Success || !strings.Contains(r.Detail, "通过") {
		t.Fatalf("check audited as %+v", r)
	}
	if _, err := s.Backup(admin, t.TempDir(), bkSecret, nil); err != nil {
		t.Fatal(err)
	}
	if r := lastAudit(t, s); r.Event != models.EventBackup || !strings.Contains(r.Detail, "最近一次全面检查 ") {
		t.Fatalf("backup audited as %+v", r)
	}

	// An index entry changed in place: the index no longer matches its table.
	var entry []byte
	damagePage(t, s, "idx_carriers_reg_no", func(page []byte) {
		var regNo string
		s.db.Raw(`SELECT reg_no FROM carriers ORDER BY seq LIMIT 1 OFFSET 5`).Scan(&regNo)
		i := bytes.Index(page, []byte(regNo))
		if i < 0 {
			t.Fatalf("%s not on the index's root page", regNo)
		}
		entry = page[i : i+len(regNo)]
		entry[len(entry)-1] ^= 0x01
	})
	c, err = s.CheckDatabase(admin)
	if err != nil || c.OK || len(c.Findings) == 0 {
		t.Fatalf("full check of a damaged register: %+v %v", c, err)
	}
	if r := lastAudit(t, s); r.Event != models.EventDBCheck || r.Success || !strings.Contains(r.Detail, "发现数据库损坏") {
		t.Fatalf("failed check audited as %+v", r)
	}
	last, found, err := s.LastDBCheck(admin)
	if err != nil || !found || last.OK {
		t.Fatalf("last check %+v %v %v", last, found, err)
	}
	dir := t.TempDir()
	_, err = s.Backup(admin, dir, bkSecret, nil)
	if !errors.Is(err, backup.ErrSourceCorrupt) || !strings.Contains(RestoreMessage(err), "最近一次数据库全面检查") {
		t.Fatalf("backup after a failed full check: %v", err)
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Fatalf("the folder holds %v", got)
	}
	if r := lastAudit(t, s); r.Event != models.EventBackup || r.Success || !strings.Contains(r.Detail, "全面检查") {
		t.Fatalf("refusal audited as %+v", r)
	}
}
