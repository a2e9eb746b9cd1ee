package backup_test

import (
	"crypto/rand"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"secdoc/app/backup"
	"secdoc/models"
)

// BenchmarkBackup1M times, in one run on a private copy of the cached
// 1,000,000-carrier demo database (see app/bench_test.go; it is never
// changed), a plain copy of the database file, then Create (with the time
// of each stage), Check, Verify and Extract, with the production argon2id
// costs. It calls this package directly: the service's Backup and Restore
// (the audit records, the migration and swap of a restore) are app's to
// time. It is skipped when the cached database is missing.
//
//	CGO_ENABLED=0 go test ./app/backup -run '^$' -bench Backup1M -benchtime 1x -timeout 30m
func BenchmarkBackup1M(b *testing.B) {
	dir := os.Getenv("SECDOC_BENCH_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "secdoc-bench")
	}
	cached := filepath.Join(dir, "bench-1M-d2.db")
	if _, err := os.Stat(cached); err != nil {
		b.Skip("no cached 1M database at", cached)
	}
	kdf, rkdf, chunk := backup.KDF, backup.RecoveryKDF, backup.ChunkSize
	backup.KDF = backup.KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}
	backup.RecoveryKDF = backup.KDF
	backup.ChunkSize = 1 << 20
	defer func() { backup.KDF, backup.RecoveryKDF, backup.ChunkSize = kdf, rkdf, chunk }()

	work := b.TempDir()
	db := filepath.Join(work, "secdoc.db")
	copyOnce(b, cached, db, false)
	gdb, err := models.Open(db) // migrates the cached schema forward, once
	if err != nil {
		b.Fatal(err)
	}
	defer models.Close(gdb)
	sqlDB, err := gdb.DB()
	if err != nil {
		b.Fatal(err)
	}
	gdb.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`)
	key := make([]byte, 32)
	rand.Read(key)
	src := backup.Source{DB: sqlDB, Path: db, AuditKey: key, Program: "bench"}
	sec := backup.Secret{Passphrase: "备份口令-benchmark-2026"}
	rs := backup.RecoverySecret{Passphrase: "恢复口令-benchmark-2026"}
	rec, err := backup.NewRecoveryKey(rs.Passphrase)
	if err != nil {
		b.Fatal(err)
	}
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
		info, err := backup.Create(src, out, sec, rec, time.Now(), func(s string, _ float64) {
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
		if _, err := backup.Check(info.Path, sec, nil); err != nil {
			b.Fatal(err)
		}
		checkT := time.Since(t0)
		t0 = time.Now()
		if _, err := backup.Verify(info.Path, sec, rs, nil); err != nil {
			b.Fatal(err)
		}
		verify := time.Since(t0)
		t0 = time.Now()
		staged, err := backup.TempName(db, backup.TempRestore)
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := backup.Extract(info.Path, sec, rs, staged, nil); err != nil {
			b.Fatal(err)
		}
		extract := time.Since(t0)
		backup.RemoveTemp(staged)
		b.Logf("check %s; database %d MB, backup %d MB (%.0f%%)", info.Checked, fileSize(db)>>20, info.Size>>20,
			100*float64(info.Size)/float64(fileSize(db)))
		b.Logf("cp %.2fs, cp+fsync %.2fs; backup %.2fs (%.1fx cp+fsync): snapshot %.2fs, write %.2fs, waiting for the page check %.2fs, read-back %.2fs; check %.2fs; verify %.2fs; extract (restore) %.2fs (%.1fx cp+fsync)",
			cp.Seconds(), cpSync.Seconds(), total.Seconds(), total.Seconds()/cpSync.Seconds(),
			stages[backup.StageSnapshot].Seconds(), stages[backup.StageWrite].Seconds(), stages[backup.StageCheck].Seconds(),
			stages[backup.StageReadBack].Seconds(), checkT.Seconds(), verify.Seconds(), extract.Seconds(),
			extract.Seconds()/cpSync.Seconds())
		b.ReportMetric(cpSync.Seconds(), "cp+sync-s")
		b.ReportMetric(cp.Seconds(), "cp-s")
		b.ReportMetric(total.Seconds(), "backup-s")
		b.ReportMetric(checkT.Seconds(), "check-s")
		b.ReportMetric(verify.Seconds(), "verify-s")
		b.ReportMetric(extract.Seconds(), "extract-s")
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
