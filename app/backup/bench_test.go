package backup_test

import (
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"secdoc/app"
	"secdoc/app/backup"
)

// BenchmarkBackup1M times, in one run on a private copy of the cached
// 1,000,000-carrier demo database (see app/bench_test.go; it is never
// changed), a plain copy of the database file, then Service.Backup (with
// the time of each stage), VerifyBackup and Restore, with the production
// argon2id cost. It is skipped when the cached database is missing.
//
//	CGO_ENABLED=0 go test ./app/backup -run '^$' -bench Backup1M -benchtime 1x -timeout 30m
//	SECDOC_BACKUP_CHECK=quick_check ...   (the same with PRAGMA quick_check)
func BenchmarkBackup1M(b *testing.B) {
	dir := os.Getenv("SECDOC_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "secdoc-bench")
	}
	cached := filepath.Join(dir, "bench-1M-d2.db")
	if _, err := os.Stat(cached); err != nil {
		b.Skip("no cached 1M database at", cached)
	}
	kdf, check := backup.KDF, backup.CheckPragma
	backup.KDF = backup.KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}
	if c := os.Getenv("SECDOC_BACKUP_CHECK"); c != "" {
		backup.CheckPragma = c
	}
	defer func() { backup.KDF, backup.CheckPragma = kdf, check }()

	work := b.TempDir()
	keys := filepath.Join(work, "keys")
	os.MkdirAll(keys, 0o700)
	ks, _ := filepath.Glob(filepath.Join(dir, "keys", "*.key"))
	for _, k := range ks {
		copyOnce(b, k, filepath.Join(keys, filepath.Base(k)), false)
	}
	b.Setenv("SECDOC_KEY_DIR", keys)
	db := filepath.Join(work, "secdoc.db")
	copyOnce(b, cached, db, false)
	svc, err := app.Open(db) // migrates the cached schema forward, once
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	admin, _, err := svc.SignIn("sysadmin", "Bench-pass-2026")
	if err != nil {
		b.Fatal(err)
	}
	svc.DB().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	sec := backup.Secret{Passphrase: "备份口令-benchmark-2026"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		copyOnce(b, db, filepath.Join(work, "cp.db"), false)
		cp := time.Since(t0)
		t0 = time.Now()
		copyOnce(b, db, filepath.Join(work, "cp-sync.db"), true)
		cpSync := time.Since(t0)
		os.Remove(filepath.Join(work, "cp.db"))
		os.Remove(filepath.Join(work, "cp-sync.db"))

		out := b.TempDir()
		stages := map[string]time.Duration{}
		var stage string
		var since time.Time
		t0 = time.Now()
		rec, err := svc.Backup(admin, out, sec, func(s string, _ float64) {
			if s != stage {
				if stage != "" {
					stages[stage] += time.Since(since)
				}
				stage, since = s, time.Now()
			}
		})
		if err != nil {
			b.Fatal(err)
		}
		stages[stage] += time.Since(since)
		total := time.Since(t0)
		t0 = time.Now()
		if _, err := svc.VerifyBackup(admin, rec.Path, sec, nil); err != nil {
			b.Fatal(err)
		}
		verify := time.Since(t0)
		t0 = time.Now()
		if _, err := svc.Restore(admin, rec.Path, sec, nil); err != nil {
			b.Fatal(err)
		}
		restore := time.Since(t0)
		if admin, _, err = svc.SignIn("sysadmin", "Bench-pass-2026"); err != nil {
			b.Fatal(err)
		}
		b.Logf("check %s; database %d MB, backup %d MB (%.0f%%)", backup.CheckPragma, fileSize(db)>>20, rec.Size>>20,
			100*float64(rec.Size)/float64(fileSize(db)))
		b.Logf("cp %.2fs, cp+fsync %.2fs; backup %.2fs (%.1fx cp+fsync): snapshot %.2fs, write %.2fs, waiting for the check %.2fs, read-back %.2fs; verify %.2fs; restore %.2fs",
			cp.Seconds(), cpSync.Seconds(), total.Seconds(), total.Seconds()/cpSync.Seconds(),
			stages[backup.StageSnapshot].Seconds(), stages[backup.StageWrite].Seconds(), stages[backup.StageCheck].Seconds(),
			stages[backup.StageReadBack].Seconds(), verify.Seconds(), restore.Seconds())
		b.ReportMetric(cp.Seconds(), "cp-s")
		b.ReportMetric(total.Seconds(), "backup-s")
		b.ReportMetric(verify.Seconds(), "verify-s")
		b.ReportMetric(restore.Seconds(), "restore-s")
		for _, r := range []string{db + ".回滚-*"} {
			m, _ := filepath.Glob(r)
			for _, f := range m {
				os.Remove(f)
			}
		}
	}
}

func fileSize(p string) int64 {
	st, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return st.Size()
}

func copyOnce(b *testing.B, from, to string, sync bool) {
	in, err := os.Open(from)
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		b.Fatal(err)
	}
	if sync {
		out.Sync()
	}
	if err := out.Close(); err != nil {
		b.Fatal(err)
	}
}
