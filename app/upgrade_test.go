package app

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/glebarez/go-sqlite"

	"secdoc/models"
)

// A database written by the previous version is copied before it is
// migrated: an owner-only rollback copy at the old schema, listed with the
// rollback copies; the upgrade is in the audit trail and told by Upgraded.
// A database already current is neither copied nor upgraded.
func TestOpen_UpgradeKeepsACopyOfTheOlderDatabase(t *testing.T) {
	s := newService(t)
	mustRegister(t, s, form())
	raw := rawDB(t, s)
	undoMigration28(t, raw)
	mustExec(t, raw, `DROP TABLE term_reviews`, `DELETE FROM schema_migrations WHERE version >= 27`)
	path := s.Path()
	s.Close()
	s2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	u := s2.Upgraded()
	if u == nil || u.From != 26 || u.To != models.SchemaVersion() || !strings.Contains(u.Copy, ".回滚-") ||
		!strings.HasSuffix(u.Copy, "-升级前-版本26") {
		t.Fatalf("upgrade %+v", u)
	}
	copyPath := filepath.Join(filepath.Dir(path), u.Copy)
	st, err := os.Stat(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if os.PathSeparator == '/' && st.Mode().Perm() != 0o600 {
		t.Errorf("copy mode %v", st.Mode().Perm())
	}
	old, err := sql.Open("sqlite", "file:"+copyPath+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	var version, carriers int
	old.QueryRow(`SELECT max(version) FROM schema_migrations`).Scan(&version)
	old.QueryRow(`SELECT count(*) FROM carriers`).Scan(&carriers)
	if version != 26 || carriers != 1 {
		t.Fatalf("the copy is at schema %d with %d carriers", version, carriers)
	}
	if r := lastAudit(t, s2); r.Event != models.EventUpgrade || !strings.Contains(r.Detail, "从版本 26 升级到") ||
		!strings.Contains(r.Detail, u.Copy) {
		t.Fatalf("audit %+v", r)
	}
	list, err := s2.rollbacks()
	if err != nil || len(list) != 1 || list[0].Name != u.Copy {
		t.Fatalf("rollback copies %+v %v", list, err)
	}
	s2.Close()
	s3, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s3.Close()
	if s3.Upgraded() != nil {
		t.Fatal("a current database was upgraded again")
	}
}
