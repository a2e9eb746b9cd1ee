// Benchmarks of the register at realistic sizes.
//
// Run them with
//
//	go test ./app -run '^$' -bench 'Keyword|Filter|FirstPage|Stats|Annual|RegisterInto|Register$' -timeout 60m
//	go test ./app -run '^$' -bench 'Register100k' -benchtime 1x -timeout 60m
//
// (BenchmarkRegister100k registers 100,000 carriers per op: give it -benchtime 1x.)
//
// BenchmarkRegister and BenchmarkRegister100k write fresh databases under a
// temporary folder; BenchmarkRegisterInto writes into a private copy of a
// cached register. The query benchmarks (BenchmarkKeyword, BenchmarkFilter,
// BenchmarkFirstPage, BenchmarkStats) read demo registers of 100,000 and
// 1,000,000 carriers (sub-benchmarks size=100k and size=1M) made by
// internal/demo.Generate with a fixed seed and a fixed today. Each is built
// once and kept for later runs as
//
//	$SECDOC_BENCH_DIR/bench-<size>-d<benchDataVersion>.db
//
// or, without SECDOC_BENCH_DIR, under $TMPDIR/secdoc-bench (their audit keys
// in its keys folder). A build writes a temporary file and renames it when
// complete, so an interrupted build never leaves a half-filled database
// behind; a sidecar .json records how long the build took and the file's
// size. Delete the files (or bump benchDataVersion when the demo data
// changes) to rebuild. A cached file is opened with app.Open, so new schema
// migrations are applied to it as they would be to a clerk's register.
//
// Building the 100k register takes about a minute; the 1M one about ten
// minutes on a two-core machine and 1.7 GB, so size=1M is skipped unless
// -short is off and either SECDOC_BENCH_1M=1 is set or its cached file
// already exists:
//
//	SECDOC_BENCH_1M=1 go test ./app -run '^$' -bench 'Keyword|Filter|FirstPage|Stats' -timeout 60m
//
// The default go test timeout (10 minutes) is too short for a first 1M build:
// pass -timeout as above.
package app_test

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"secdoc/app"
	"secdoc/app/backup"
	"secdoc/internal/demo"
	"secdoc/internal/instance"
	"secdoc/models"
	"secdoc/reports"
)

// benchDataVersion names the cached databases: bump it when internal/demo
// changes the data it generates, so that stale caches are not reused.
const benchDataVersion = 2

// benchSeed and benchNow fix the demo data of the cached databases.
const benchSeed = 20261123

var benchNow = time.Date(2026, 11, 23, 10, 0, 0, 0, time.Local)

type benchSize struct {
	label string
	n     int
}

var benchSizes = []benchSize{{"100k", 100_000}, {"1M", 1_000_000}}

// benchPassword is the password of the demo accounts of bench databases.
const benchPassword = "Bench-pass-2026"

var (
	clerkMu  sync.Mutex
	clerkFor = map[*app.Service]*app.Session{}
)

// clerkOf signs in the demo clerk of svc, creating the demo accounts first on
// a database without any.
func clerkOf(b testing.TB, svc *app.Service) *app.Session {
	b.Helper()
	clerkMu.Lock()
	defer clerkMu.Unlock()
	if s := clerkFor[svc]; s != nil {
		return s
	}
	if need, err := svc.NeedsSetup(); err != nil {
		b.Fatal(err)
	} else if need {
		if err := svc.SetupDemo(benchPassword); err != nil {
			b.Fatal(err)
		}
	}
	s, _, err := svc.SignIn("clerk", benchPassword)
	if err != nil {
		b.Fatal(err)
	}
	clerkFor[svc] = s
	return s
}

func init() {
	// Audit keys of the cached databases live beside them, so a cached file
	// stays usable across runs.
	if os.Getenv("SECDOC_KEY_DIR") == "" {
		os.Setenv("SECDOC_KEY_DIR", filepath.Join(benchDir(), "keys"))
	}
}

func benchDir() string {
	if d := os.Getenv("SECDOC_BENCH_DIR"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "secdoc-bench")
}

func benchPath(size benchSize) string {
	return filepath.Join(benchDir(), fmt.Sprintf("bench-%s-d%d.db", size.label, benchDataVersion))
}

// benchMeta is what the sidecar file records about a build.
type benchMeta struct {
	Carriers     int       `json:"carriers"`
	Seed         int64     `json:"seed"`
	BuildSeconds float64   `json:"build_seconds"`
	Bytes        int64     `json:"bytes"`
	FreeBytes    int64     `json:"free_bytes"` // of those, pages freed by dropping the build's helper index
	BuiltAt      time.Time `json:"built_at"`
}

// benchDB is one cached register, opened at most once per process (app.Open
// holds the file exclusively) and shared by every benchmark of its size.
type benchDB struct {
	once sync.Once
	svc  *app.Service
	meta benchMeta
	err  error
}

var (
	benchMu  sync.Mutex
	benchDBs = map[string]*benchDB{}
)

// openBench returns the service of the cached register of size, building it
// first if needed, or skips b when size=1M is not wanted.
func openBench(b *testing.B, size benchSize) *app.Service {
	b.Helper()
	path := benchPath(size)
	if size.n >= 1_000_000 {
		_, statErr := os.Stat(path)
		if testing.Short() || (os.Getenv("SECDOC_BENCH_1M") != "1" && statErr != nil) {
			b.Skipf("size=%s skipped: set SECDOC_BENCH_1M=1 (without -short) to build %s", size.label, path)
		}
	}
	benchMu.Lock()
	d := benchDBs[path]
	if d == nil {
		d = &benchDB{}
		benchDBs[path] = d
	}
	benchMu.Unlock()
	d.once.Do(func() {
		d.meta, d.err = ensureBenchDB(b, path, size)
		if d.err != nil {
			return
		}
		d.svc, d.err = app.Open(path)
		if d.err == nil {
			d.svc.Now = func() time.Time { return benchNow }
			b.Logf("size=%s: %s, %d carriers, %.0f MB (%.0f MB free pages), built in %.0f s on %s", size.label, path,
				d.meta.Carriers, float64(d.meta.Bytes)/1e6, float64(d.meta.FreeBytes)/1e6, d.meta.BuildSeconds,
				d.meta.BuiltAt.Format(time.DateOnly))
		}
	})
	if d.err != nil {
		b.Fatalf("bench database %s: %v", path, d.err)
	}
	return d.svc
}

// ensureBenchDB builds the register at path unless it exists, and returns
// what its sidecar says about it.
func ensureBenchDB(b *testing.B, path string, size benchSize) (benchMeta, error) {
	metaPath := path + ".json"
	if _, err := os.Stat(path); err == nil {
		var m benchMeta
		if raw, err := os.ReadFile(metaPath); err == nil {
			json.Unmarshal(raw, &m)
		}
		if fi, err := os.Stat(path); err == nil {
			m.Bytes = fi.Size()
		}
		return m, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return benchMeta{}, err
	}
	removeStaleBuilds(path)
	tmp := path + ".building-" + strconv.Itoa(os.Getpid())
	fmt.Fprintf(os.Stderr, "bench size=%s: building %s (%d carriers)…\n", size.label, path, size.n)
	start := time.Now()
	svc, err := app.Open(tmp)
	if err != nil {
		return benchMeta{}, err
	}
	svc.Now = func() time.Time { return benchNow }
	lastLog := time.Now()
	err = demo.Generate(svc, clerkOf(b, svc), size.n, benchSeed, func(done, total int) {
		if time.Since(lastLog) > 30*time.Second {
			lastLog = time.Now()
			// Straight to stderr: a benchmark's log only shows when it ends.
			fmt.Fprintf(os.Stderr, "bench size=%s: %d/%d carriers after %.0f s\n",
				size.label, done, total, time.Since(start).Seconds())
		}
	})
	var pages, free, pageSize int64
	if err == nil {
		db := svc.DB()
		db.Raw(`PRAGMA page_count`).Scan(&pages)
		db.Raw(`PRAGMA freelist_count`).Scan(&free)
		db.Raw(`PRAGMA page_size`).Scan(&pageSize)
	}
	if cerr := svc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		removeBuild(tmp)
		return benchMeta{}, err
	}
	elapsed := time.Since(start)
	// Closing the last connection checkpoints the log into the file: the
	// renamed file must be complete on its own.
	if fi, err := os.Stat(tmp + "-wal"); err == nil && fi.Size() > 0 {
		removeBuild(tmp)
		return benchMeta{}, fmt.Errorf("%s left a write-ahead log of %d bytes", tmp, fi.Size())
	}
	if err := os.Rename(tmp, path); err != nil {
		removeBuild(tmp)
		return benchMeta{}, err
	}
	removeBuild(tmp)
	m := benchMeta{Carriers: size.n, Seed: benchSeed, BuildSeconds: elapsed.Seconds(), BuiltAt: time.Now(),
		FreeBytes: free * pageSize}
	if fi, err := os.Stat(path); err == nil {
		m.Bytes = fi.Size()
	}
	if raw, err := json.MarshalIndent(m, "", "  "); err == nil {
		os.WriteFile(metaPath, raw, 0o600)
	}
	b.Logf("size=%s: built in %.1f s", size.label, elapsed.Seconds())
	return m, nil
}

// removeBuild removes a build's temporary file and its companions.
func removeBuild(tmp string) {
	for _, suffix := range []string{"", "-wal", "-shm", ".lock"} {
		os.Remove(tmp + suffix)
	}
}

// removeStaleBuilds removes the leftovers of interrupted builds of path: the
// temporary files whose lock no running process holds.
func removeStaleBuilds(path string) {
	matches, _ := filepath.Glob(path + ".building-*.lock")
	for _, lockName := range matches {
		tmp := lockName[:len(lockName)-len(".lock")]
		l, err := instance.Acquire(tmp)
		if err != nil {
			continue // another process is building it
		}
		l.Release()
		removeBuild(tmp)
	}
}

// forSizes runs fn as a sub-benchmark per cached register size.
func forSizes(b *testing.B, fn func(b *testing.B, svc *app.Service, size benchSize)) {
	for _, size := range benchSizes {
		b.Run("size="+size.label, func(b *testing.B) {
			svc := openBench(b, size)
			b.ResetTimer()
			fn(b, svc, size)
		})
	}
}

// benchForm is a valid incoming registration whose 文号 is made unique by i.
func benchForm(i int) models.CarrierForm {
	return models.CarrierForm{
		Direction: models.DirIncoming, RegDate: "2026-11-20",
		DocNumber: fmt.Sprintf("遂安府办发〔2026〕%d号", i+1),
		Title:     "关于做好2026年度保密自查工作的通知", Issuer: "遂安市人民政府办公室", DocKind: "通知",
		Level: models.LevelSecret, TermKind: models.TermDefault, Copies: "1", CopyNo: "1", Pages: "6",
		Kind: models.KindPaper, NeedToKnow: "办公室主任、分管领导", Location: "机要室3号柜", Custodian: "王敏",
	}
}

func openFresh(b *testing.B) *app.Service {
	b.Helper()
	svc, err := app.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	svc.Now = func() time.Time { return benchNow }
	b.Cleanup(func() { svc.Close() })
	return svc
}

// BenchmarkRegister is one registration (one carrier, one transaction) per
// op, as a clerk saves a form, on a database that grows with b.N.
func BenchmarkRegister(b *testing.B) {
	svc := openFresh(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := svc.Register(clerkOf(b, svc), benchForm(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRegisterInto is one registration per op into a copy of a cached
// register: what a clerk waits for when saving a form in a full register.
// The copy is made once per size and process and grows across b.N rounds.
func BenchmarkRegisterInto(b *testing.B) {
	b.Cleanup(func() {
		for label, w := range intoCopies {
			w.svc.Close()
			os.RemoveAll(w.dir)
			delete(intoCopies, label)
		}
	})
	forSizes(b, func(b *testing.B, cached *app.Service, size benchSize) {
		b.StopTimer()
		w := intoCopy(b, cached, size)
		b.StartTimer()
		for i := 0; i < b.N; i++ {
			w.n++
			f := benchForm(w.n)
			f.DocNumber = fmt.Sprintf("遂安府办发〔2026〕B%d号", w.n)
			if _, err := w.svc.Register(clerkOf(b, w.svc), f); err != nil {
				b.Fatal(err)
			}
		}
	})
}

type writableCopy struct {
	svc *app.Service
	dir string
	n   int // registrations so far: numbers the 文号 B1, B2, …
}

var intoCopies = map[string]*writableCopy{}

// intoCopy opens (making it on first use) a private copy of the cached
// register of size, for benchmarks that write.
func intoCopy(b *testing.B, cached *app.Service, size benchSize) *writableCopy {
	b.Helper()
	if w := intoCopies[size.label]; w != nil {
		return w
	}
	// Fold the log into the file (signing in writes to the audit trail), so
	// that the file alone is the whole database.
	if err := cached.DB().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`).Error; err != nil {
		b.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "secdoc-bench-copy-")
	if err != nil {
		b.Fatal(err)
	}
	copyPath := filepath.Join(dir, "copy.db")
	if err := copyFile(benchPath(size), copyPath); err != nil {
		os.RemoveAll(dir)
		b.Fatal(err)
	}
	// The copy is the same register (the same id, the same key): it gets a
	// key folder of its own, with the key and the chain's head, or its
	// records would move on the cached register's head and leave that one
	// looking like an older copy put back.
	svc, err := openCopyWithOwnKeys(cached, copyPath, filepath.Join(dir, "keys"))
	if err != nil {
		os.RemoveAll(dir)
		b.Fatal(err)
	}
	svc.Now = func() time.Time { return benchNow }
	w := &writableCopy{svc: svc, dir: dir}
	intoCopies[size.label] = w
	return w
}

// openCopyWithOwnKeys opens the copy at path of the register cached is
// open on, with the key and head files copied into keys.
func openCopyWithOwnKeys(cached *app.Service, path, keys string) (*app.Service, error) {
	if err := os.MkdirAll(keys, 0o700); err != nil {
		return nil, err
	}
	for _, f := range []string{cached.AuditKeyPath(), cached.HeadPath()} {
		if err := copyFile(f, filepath.Join(keys, filepath.Base(f))); err != nil {
			return nil, err
		}
	}
	old := os.Getenv("SECDOC_KEY_DIR")
	os.Setenv("SECDOC_KEY_DIR", keys)
	defer os.Setenv("SECDOC_KEY_DIR", old)
	return app.Open(path)
}

// copyFile copies a closed or idle database file (its log is empty), and
// syncs the copy: the system writing back a fresh copy of 2.3 GB would
// otherwise slow the syncs of the first saves timed on it.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// BenchmarkRegister100k registers 100,000 demo carriers into an empty
// database through RegisterMany, demo.ChunkForms forms per call, as an import
// or the demo generator does.
func BenchmarkRegister100k(b *testing.B) {
	const n = 100_000
	forms := demo.Forms(benchNow, n, benchSeed)
	var total time.Duration
	var bytes int64
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		svc, err := app.Open(filepath.Join(dir, "bench.db"))
		if err != nil {
			b.Fatal(err)
		}
		svc.Now = func() time.Time { return benchNow }
		b.StartTimer()
		start := time.Now()
		got := 0
		for lo := 0; lo < len(forms); lo += demo.ChunkForms {
			hi := min(lo+demo.ChunkForms, len(forms))
			k, err := svc.RegisterMany(clerkOf(b, svc), forms[lo:hi], nil)
			if err != nil {
				b.Fatal(err)
			}
			got += k
		}
		total += time.Since(start)
		b.StopTimer()
		if got != n {
			b.Fatalf("registered %d carriers, want %d", got, n)
		}
		if err := svc.Close(); err != nil {
			b.Fatal(err)
		}
		if fi, err := os.Stat(filepath.Join(dir, "bench.db")); err == nil {
			bytes = fi.Size()
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N*n), "ns/carrier")
	b.ReportMetric(total.Seconds()/float64(b.N), "s/100k")
	b.ReportMetric(float64(bytes)/1e6, "MB")
}

// keywordTerms are typed into the ledger's keyword box: one character, two,
// four, a rare term and a 文号 fragment.
var keywordTerms = []struct{ name, term string }{
	{"1char", "密"},
	{"2char", "保密"},
	{"4char", "保密自查"},
	{"rare", "古树名木"},
	{"docno", "〔2024〕37号"},
}

// ledger does what the ledger view does for a query: count the matches for
// the status line and read the first page.
// ledger does what the window's ledger does for q: count the matches (a
// keyword's up to app.KeywordCountCap) and read the first page.
func ledger(b *testing.B, svc *app.Service, q app.Query, limit int) int64 {
	svc.ForgetKeywords() // each time a keyword typed afresh
	n, _, err := svc.CountUpTo(clerkOf(b, svc), q, app.KeywordCountCap)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Page(clerkOf(b, svc), q, 0, limit); err != nil {
		b.Fatal(err)
	}
	return n
}

// benchQuery runs the ledger (Count + first page), Count alone and the first
// page alone for q as three sub-benchmarks, and reports the number of matches.
func benchQuery(b *testing.B, svc *app.Service, q app.Query, limit int) {
	n, err := svc.Count(clerkOf(b, svc), q)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("ledger", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			ledger(b, svc, q, limit)
		}
		b.ReportMetric(float64(n), "matches")
	})
	b.Run("count", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, _, err := svc.CountUpTo(clerkOf(b, svc), q, app.KeywordCountCap); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "matches")
	})
	b.Run("exactcount", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := svc.Count(clerkOf(b, svc), q); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "matches")
	})
	b.Run("page", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if _, err := svc.Page(clerkOf(b, svc), q, 0, limit); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n), "matches")
	})
}

// BenchmarkKeyword is a keyword typed into the default view (what the office
// holds): count the matches and read the 50 newest.
func BenchmarkKeyword(b *testing.B) {
	forSizes(b, func(b *testing.B, svc *app.Service, _ benchSize) {
		for _, kt := range keywordTerms {
			b.Run("term="+kt.name, func(b *testing.B) {
				q := app.HeldQuery()
				q.Keyword = kt.term
				benchQuery(b, svc, q, 50)
			})
		}
	})
}

// filterCases are the ledger's filters as the window offers them, each
// alone (every 密级, every 状态 including the rare ones, two 载体类型, a
// year, an issuer) and in the combinations a clerk makes.
var filterCases = func() []struct {
	name string
	q    app.Query
} {
	type fc = struct {
		name string
		q    app.Query
	}
	out := []fc{
		{"held", app.HeldQuery()},
		{"all", app.Query{}},
	}
	for _, st := range models.States {
		out = append(out, fc{"state=" + string(st), app.Query{States: []models.State{st}}})
	}
	for _, l := range models.AllLevels {
		out = append(out, fc{fmt.Sprintf("level=%d", int(l)), app.Query{Levels: []models.Level{l}, States: models.HeldStates}})
	}
	for _, k := range []models.CarrierKind{models.KindDisc, models.KindNotebook} {
		out = append(out, fc{"kind=" + string(k), app.Query{Kinds: []models.CarrierKind{k}, States: models.HeldStates}})
	}
	out = append(out,
		fc{"year=2024", app.Query{Year: 2024}},
		fc{"year=2021", app.Query{Year: 2021, States: models.HeldStates}},
		fc{"issuer", app.Query{Issuer: "遂安市公安局", States: models.HeldStates}},
		fc{"level+state+year", app.Query{Levels: []models.Level{models.LevelSecret}, States: models.HeldStates, Year: 2024}},
		fc{"level+kind+year", app.Query{Levels: []models.Level{models.LevelTopSecret}, Kinds: []models.CarrierKind{models.KindDisc}, Year: 2023}},
		fc{"issuer+level+year", app.Query{Issuer: "遂安市公安局", Levels: []models.Level{models.LevelTopSecret}, Year: 2025}},
		fc{"on_loan+level", app.Query{States: []models.State{models.StateOnLoan}, Levels: []models.Level{models.LevelSecret}}},
	)
	return out
}()

// BenchmarkFilter is the ledger's filters: for each, what the window does
// when the clerk picks it (the count and the first page of 50).
func BenchmarkFilter(b *testing.B) {
	forSizes(b, func(b *testing.B, svc *app.Service, _ benchSize) {
		for _, fc := range filterCases {
			b.Run("filter="+fc.name, func(b *testing.B) {
				var n int64
				for i := 0; i < b.N; i++ {
					n = ledger(b, svc, fc.q, 50)
				}
				b.ReportMetric(float64(n), "matches")
			})
		}
	})
}

// BenchmarkFirstPage is opening the register: the default view's first page
// of 100 (alone, and with the count), and a page half-way down.
func BenchmarkFirstPage(b *testing.B) {
	forSizes(b, func(b *testing.B, svc *app.Service, size benchSize) {
		q := app.HeldQuery()
		b.Run("page", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := svc.Page(clerkOf(b, svc), q, 0, 100); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("ledger", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				ledger(b, svc, q, 100)
			}
		})
		b.Run("deep=half", func(b *testing.B) {
			offset := size.n / 2
			for i := 0; i < b.N; i++ {
				rows, err := svc.Page(clerkOf(b, svc), q, offset, 100)
				if err != nil {
					b.Fatal(err)
				}
				if len(rows) != 100 {
					b.Fatalf("page at %d has %d rows", offset, len(rows))
				}
			}
		})
	})
}

// BenchmarkStats is the counts of the home view and status bar.
func BenchmarkStats(b *testing.B) {
	forSizes(b, func(b *testing.B, svc *app.Service, _ benchSize) {
		for i := 0; i < b.N; i++ {
			if _, err := svc.Stats(clerkOf(b, svc)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAnnual is the year's statistics (R26) read afresh, as after any
// change of the register: the year of the bench's today, whose
// registrations are read one by one, and the register's second year; then
// the first page of the list behind the figure of everything held at the
// end of the year, and of a small figure.
func BenchmarkAnnual(b *testing.B) {
	forSizes(b, func(b *testing.B, svc *app.Service, _ benchSize) {
		sess := clerkOf(b, svc)
		for _, year := range []int{benchNow.Year(), benchNow.Year() - 4} {
			b.Run(fmt.Sprintf("year=%d", year), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					svc.ForgetAnnual()
					r, err := svc.Annual(sess, year)
					if err != nil || !r.Balanced {
						b.Fatalf("annual %d: %v %v", year, err, r.Balance)
					}
				}
			})
		}
		r, err := svc.Annual(sess, benchNow.Year())
		if err != nil {
			b.Fatal(err)
		}
		total := r.Tables[0].Rows[len(r.Tables[0].Rows)-1]
		for _, c := range []struct {
			name string
			cell app.AnnualCell
		}{{"list=held", total.Cells[app.FlowEnd]}, {"list=topsecret-received", r.Tables[0].Rows[0].Cells[app.FlowReceived]}} {
			b.Run(c.name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if _, n, err := svc.AnnualList(sess, benchNow.Year(), c.cell.Key, 0, 100); err != nil || n != c.cell.Count {
						b.Fatalf("list: %d of %d, %v", n, c.cell.Count, err)
					}
				}
			})
		}
	})
}

// BenchmarkLookups is what the window reads after every change for its
// lists of choices: the register's 来文单位, years and people.
func BenchmarkLookups(b *testing.B) {
	forSizes(b, func(b *testing.B, svc *app.Service, _ benchSize) {
		sess := clerkOf(b, svc)
		for i := 0; i < b.N; i++ {
			if _, err := svc.Issuers(sess); err != nil {
				b.Fatal(err)
			}
			if _, err := svc.Years(sess); err != nil {
				b.Fatal(err)
			}
			if _, err := svc.People(sess); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkToDo is everything the home reads when it is shown and after
// every change, as it reads it: the counts of the status bar and the
// cards, 待办文件 and 保密期限将到期, overdue loans, the approvals,
// inspections, returns and handovers waiting, the 催办 lines and the
// 发文待办 lists, each bounded as the home bounds it.
func BenchmarkToDo(b *testing.B) {
	forSizes(b, func(b *testing.B, svc *app.Service, _ benchSize) {
		sess := clerkOf(b, svc)
		const limit = 8 // what the home shows of a list
		check := func(err error) {
			if err != nil {
				b.Fatal(err)
			}
		}
		for i := 0; i < b.N; i++ {
			_, err := svc.Stats(sess)
			check(err)
			_, _, err = svc.OverdueHandling(sess, benchNow, app.DefaultHandlingThresholds, limit)
			check(err)
			_, _, err = svc.ExpiringTerms(sess, benchNow, app.DefaultWarnMonths, limit)
			check(err)
			_, err = svc.OverdueLoans(sess, time.Time{})
			check(err)
			_, err = svc.PendingCopyRequests(sess)
			check(err)
			_, err = svc.PendingLoans(sess)
			check(err)
			_, err = svc.DestructionBatches(sess)
			check(err)
			_, err = svc.InspectionsDue(sess, time.Time{}, nil)
			check(err)
			_, err = svc.ReturnBatches(sess)
			check(err)
			_, err = svc.TemporaryOpen(sess)
			check(err)
			_, _, _, _, err = svc.Urges(sess, benchNow, limit)
			check(err)
			_, _, err = svc.AwaitingClassification(sess, limit)
			check(err)
			_, _, err = svc.AwaitingDispatch(sess, limit)
			check(err)
			_, _, err = svc.OverdueReceipts(sess, limit)
			check(err)
		}
	})
}

// BenchmarkHomeLists is the home's lists of carriers, read after every
// change: 待办文件（超时未处理） and 保密期限将到期, the few shown and the
// counts (R7, R15).
func BenchmarkHomeLists(b *testing.B) {
	forSizes(b, func(b *testing.B, svc *app.Service, _ benchSize) {
		sess := clerkOf(b, svc)
		for i := 0; i < b.N; i++ {
			if _, _, err := svc.OverdueHandling(sess, benchNow, app.HandlingThresholds{}, 8); err != nil {
				b.Fatal(err)
			}
			if _, _, err := svc.ExpiringTerms(sess, benchNow, 0, 8); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkOwnDocuments is what the home's 发文待办 reads after every
// change: 待定密, 待分发 and 回执逾期, each bounded, with their totals.
func BenchmarkOwnDocuments(b *testing.B) {
	forSizes(b, func(b *testing.B, svc *app.Service, _ benchSize) {
		sess := clerkOf(b, svc)
		for i := 0; i < b.N; i++ {
			if _, _, err := svc.AwaitingClassification(sess, 8); err != nil {
				b.Fatal(err)
			}
			if _, _, err := svc.AwaitingDispatch(sess, 8); err != nil {
				b.Fatal(err)
			}
			if _, _, err := svc.OverdueReceipts(sess, 8); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkVerifyAudit is the auditor's whole check of a cached register:
// the schema, every audit record, the head, every sealed row and the digest.
func BenchmarkVerifyAudit(b *testing.B) {
	forSizes(b, func(b *testing.B, svc *app.Service, size benchSize) {
		clerkOf(b, svc) // the demo accounts exist
		aud, _, err := svc.SignIn("auditor", benchPassword)
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			v, err := svc.VerifyAudit(aud)
			if err != nil {
				b.Fatal(err)
			}
			if !v.OK {
				b.Fatalf("size=%s: %s", size.label, v.Problem)
			}
			b.ReportMetric(float64(v.Records), "records")
			b.ReportMetric(float64(v.Rows), "rows")
		}
	})
}

// BenchmarkBackupRestore is the system administrator's backup, check and
// restore of a private copy of each cached register, through the service,
// with the production argon2id costs: what the window and `secdoc backup`
// / `verify` / `restore` do (the restore with all its checks). One round:
//
//	SECDOC_BENCH_1M=1 CGO_ENABLED=0 go test ./app -run '^$' -bench BackupRestore -benchtime 1x -timeout 60m
func BenchmarkBackupRestore(b *testing.B) {
	kdf, rkdf := backup.KDF, backup.RecoveryKDF
	backup.KDF = backup.KDFParams{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}
	backup.RecoveryKDF = backup.KDF
	defer func() { backup.KDF, backup.RecoveryKDF = kdf, rkdf }()
	forSizes(b, func(b *testing.B, cached *app.Service, size benchSize) {
		b.StopTimer()
		clerkOf(b, cached) // the demo accounts exist
		dir, err := os.MkdirTemp("", "secdoc-bench-backup-")
		if err != nil {
			b.Fatal(err)
		}
		defer os.RemoveAll(dir)
		if err := cached.DB().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`).Error; err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(dir, "copy.db")
		if err := copyFile(benchPath(size), path); err != nil {
			b.Fatal(err)
		}
		svc, err := openCopyWithOwnKeys(cached, path, filepath.Join(dir, "keys"))
		if err != nil {
			b.Fatal(err)
		}
		defer svc.Close()
		svc.Now = func() time.Time { return benchNow }
		sec, _, err := svc.SignIn("secadmin", benchPassword)
		if err != nil {
			b.Fatal(err)
		}
		const recovery = "恢复口令-基准测试-2026-机要室"
		if err := svc.SetRecoveryKey(sec, recovery, recovery); err != nil {
			b.Fatal(err)
		}
		admin, _, err := svc.SignIn("sysadmin", benchPassword)
		if err != nil {
			b.Fatal(err)
		}
		secret := backup.Secret{Passphrase: "备份口令-基准测试-2026-U盘甲"}
		if err := os.MkdirAll(filepath.Join(dir, "out"), 0o700); err != nil {
			b.Fatal(err)
		}
		for i := 0; i < b.N; i++ {
			b.StartTimer()
			start := time.Now()
			rec, err := svc.Backup(admin, filepath.Join(dir, "out"), secret, nil)
			if err != nil {
				b.Fatal(err)
			}
			made := time.Since(start)
			start = time.Now()
			if _, err := svc.VerifyBackup(admin, rec.Path, secret, nil, nil); err != nil {
				b.Fatal(err)
			}
			checked := time.Since(start)
			start = time.Now()
			rep, err := svc.Restore(admin, app.RestoreInput{File: rec.Path, Secret: secret,
				Recovery: backup.RecoverySecret{Passphrase: recovery}}, nil)
			if err != nil {
				b.Fatal(err)
			}
			restored := time.Since(start)
			b.StopTimer()
			if !rep.Audit.OK {
				b.Fatalf("restored register: %s", rep.Audit.Problem)
			}
			b.ReportMetric(made.Seconds(), "backup-s")
			b.ReportMetric(checked.Seconds(), "check-s")
			b.ReportMetric(restored.Seconds(), "restore-s")
			b.ReportMetric(float64(rec.Size)/1e6, "file-MB")
			if admin, _, err = svc.SignIn("sysadmin", benchPassword); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkBooks is what the 保密检查 prints for a year (R26): the review
// list's count and first page, the 收文登记簿 of the year as PDF, and each
// running book of the year as PDF, each with its default marking.
func BenchmarkBooks(b *testing.B) {
	forSizes(b, func(b *testing.B, svc *app.Service, _ benchSize) {
		sess := clerkOf(b, svc)
		year := benchNow.Year() - 1
		from, to := fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year)
		b.Run("review", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, err := svc.ReviewCount(sess, year); err != nil {
					b.Fatal(err)
				}
				if _, err := svc.ReviewPage(sess, year, 0, 100); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("register", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				q := app.Query{Year: year, Direction: models.DirIncoming}
				p, err := svc.PrintRegister(sess, q, reports.Options{}, io.Discard)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(p.Carriers), "rows")
			}
		})
		for _, k := range app.Books {
			b.Run(string(k.Kind), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					p, err := svc.PrintBook(sess, k.Kind, from, to, reports.Options{}, io.Discard)
					if err != nil {
						b.Fatal(err)
					}
					b.ReportMetric(float64(p.Carriers), "rows")
				}
			})
		}
	})
}
