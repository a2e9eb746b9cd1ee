// Benchmarks of the Excel import and export (issue 6).
//
//	CGO_ENABLED=0 go test ./app -run '^$' -bench 'ImportExcel|ExportExcel' -benchtime 1x -timeout 60m
//
// BenchmarkImportExcel100k writes a register of 100,000 rows as offices keep
// it (their column names, dates as date cells, 机密★10年 marks, 纸介质 and U盘)
// to an .xlsx under b.TempDir(), then does what the clerk does: reads the
// file, guesses the mapping, runs the dry run and imports it in one
// transaction into an empty database. BenchmarkExportExcel exports the whole
// cached demo register (see bench_test.go) of 100,000 carriers, and of
// 1,000,000 when that one is built.
package app_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"secdoc/app"
	"secdoc/internal/demo"
	"secdoc/models"
)

// officeKindName is how a register of an office writes our carrier kinds.
var officeKindName = map[models.CarrierKind]string{models.KindPaper: "纸介质", models.KindUSB: "U盘"}

// writeOfficeRegister writes the first n forms of the demo data as the rows
// of an office's Excel register, with a title row above the header.
func writeOfficeRegister(b *testing.B, path string, n int) int {
	b.Helper()
	// A demo registration averages about 1.6 copies: ask for twice the
	// carriers to have n forms.
	forms := demo.Forms(benchNow, n*2, benchSeed)
	if len(forms) < n {
		b.Fatalf("demo made %d forms, want %d", len(forms), n)
	}
	forms = forms[:n]
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		b.Fatal(err)
	}
	if err := sw.SetRow("A1", []any{"2021—2026年涉密文件登记簿"}); err != nil {
		b.Fatal(err)
	}
	header := []any{"序号", "登记日期", "文件资料名称", "制作发文单位", "载体类别", "文号或编号", "密级", "页数或容量",
		"份数", "份号", "使用范围", "保管人", "备注", "文种", "缓急", "存放位置", "收发类别"}
	if err := sw.SetRow("A2", header); err != nil {
		b.Fatal(err)
	}
	carriers := 0
	row := make([]any, len(header))
	for i, fm := range forms {
		date, err := models.ParseDate(fm.RegDate)
		if err != nil {
			b.Fatal(err)
		}
		mark := fm.Level.String()
		if fm.TermKind != models.TermDefault {
			years, _ := strconv.Atoi(fm.TermYears)
			months, _ := strconv.Atoi(fm.TermMonths)
			mark = models.Marking(fm.Level, models.Term{Kind: fm.TermKind, Years: years, Months: months,
				Until: fm.TermUntil, Condition: fm.TermCondition})
		}
		kind := string(fm.Kind)
		if k, ok := officeKindName[fm.Kind]; ok {
			kind = k
		}
		first, _ := strconv.Atoi(fm.CopyNo)
		copies, _ := strconv.Atoi(fm.Copies)
		carriers += copies
		copyNo := models.FormatCopyNo(first)
		if copies > 1 {
			copyNo += "-" + models.FormatCopyNo(first+copies-1)
		}
		var pages any
		if fm.Pages != "" {
			pages, _ = strconv.Atoi(fm.Pages)
		}
		urgency := ""
		if fm.Urgency != models.UrgencyNormal {
			urgency = string(fm.Urgency)
		}
		row = append(row[:0], i+1, excelize.Cell{StyleID: dateStyle, Value: date}, fm.Title, fm.Issuer, kind,
			fm.DocNumber, mark, pages, copies, copyNo, fm.NeedToKnow, fm.Custodian, fm.Remarks, fm.DocKind, urgency,
			fm.Location, fm.Direction.String())
		cell, _ := excelize.CoordinatesToCellName(1, i+3)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	return carriers
}

// BenchmarkImportExcel100k imports 100,000 Excel rows: read, dry run, one
// transaction. Run it with -benchtime 1x.
func BenchmarkImportExcel100k(b *testing.B) {
	const n = 100_000
	dir := b.TempDir()
	path := filepath.Join(dir, "登记簿.xlsx")
	carriers := writeOfficeRegister(b, path, n)
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	var read, dry, write, cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		svc, err := app.Open(filepath.Join(b.TempDir(), "import.db"))
		if err != nil {
			b.Fatal(err)
		}
		svc.Now = func() time.Time { return benchNow }
		sess := clerkOf(b, svc)
		b.StartTimer()

		t0, c0 := time.Now(), cpuTime()
		tb, err := app.ReadImportFile(path, "")
		if err != nil {
			b.Fatal(err)
		}
		m := app.GuessMapping(tb.Header)
		t1 := time.Now()
		rep, err := svc.ImportDryRun(sess, tb, m)
		if err != nil {
			b.Fatal(err)
		}
		if !rep.OK() {
			b.Fatalf("dry run: %d problems, first %+v", len(rep.Problems), rep.Problems[0])
		}
		t2 := time.Now()
		rep, err = svc.Import(sess, tb, m, nil)
		if err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		read, dry, write = read+t1.Sub(t0), dry+t2.Sub(t1), write+t3.Sub(t2)
		cpu += cpuTime() - c0

		b.StopTimer()
		if rep.Rows != n || rep.Carriers != carriers {
			b.Fatalf("imported %d rows, %d carriers; want %d, %d", rep.Rows, rep.Carriers, n, carriers)
		}
		if err := svc.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	total := read + dry + write
	per := func(d time.Duration) float64 { return d.Seconds() / float64(b.N) }
	b.ReportMetric(per(total), "s/100k")
	b.ReportMetric(float64(total.Nanoseconds())/float64(b.N*n), "ns/row")
	b.ReportMetric(per(read), "read-s")
	b.ReportMetric(per(dry), "dryrun-s")
	b.ReportMetric(per(write), "import-s")
	b.ReportMetric(per(cpu), "cpu-s")
	b.ReportMetric(float64(carriers), "carriers")
	b.ReportMetric(float64(fi.Size())/1e6, "xlsx-MB")
}

// BenchmarkExportExcel exports the whole cached register to .xlsx, from a
// private copy of it (the cached file is only read). Besides the time it
// reports the largest heap seen during an export (sampled every 10 ms):
// flat, whatever the register's size.
func BenchmarkExportExcel(b *testing.B) {
	for _, size := range benchSizes {
		b.Run("size="+size.label, func(b *testing.B) {
			svc := openBenchCopy(b, size)
			sess := clerkOf(b, svc)
			dir := b.TempDir()
			var rows int
			var bytes int64
			runtime.GC()
			peak := watchHeap()
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				path := filepath.Join(dir, fmt.Sprintf("台账-%d.xlsx", i))
				n, err := svc.ExportLedgerFile(sess, app.Query{}, path, nil)
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				rows = n
				if fi, err := os.Stat(path); err == nil {
					bytes = fi.Size()
				}
				os.Remove(path)
				b.StartTimer()
			}
			b.StopTimer()
			cpu := cpuTime() - cpu0
			heap := peak()
			if rows < size.n*9/10 {
				b.Fatalf("exported %d rows of %d", rows, size.n)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*rows), "ns/row")
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/export")
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(float64(bytes)/1e6, "xlsx-MB")
			b.ReportMetric(float64(heap)/1e6, "peak-heap-MB")
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/export")
		})
	}
}

// watchHeap samples the heap in use until the function it returns is
// called, which returns the largest seen.
func watchHeap() func() uint64 {
	done := make(chan struct{})
	result := make(chan uint64)
	go func() {
		var peak uint64
		var ms runtime.MemStats
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				result <- peak
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 { close(done); return <-result }
}

// openBenchCopy opens a private copy of the cached register of size
// (building it first if there is none), with copies of its audit key and
// head, so that a benchmark that writes (an export is audited) leaves the
// cached file and its key folder as they were.
func openBenchCopy(b *testing.B, size benchSize) *app.Service {
	b.Helper()
	path := benchPath(size)
	if _, err := os.Stat(path); err != nil {
		openBench(b, size) // builds it, or skips 1M
	} else if size.n >= 1_000_000 && (testing.Short() || os.Getenv("SECDOC_BENCH_1M") != "1") {
		b.Skipf("size=%s skipped: set SECDOC_BENCH_1M=1 (without -short)", size.label)
	}
	dir := b.TempDir()
	copyPath := filepath.Join(dir, "copy.db")
	for _, suffix := range []string{"", "-wal"} {
		if err := copyFile(path+suffix, copyPath+suffix); err != nil && !(suffix != "" && os.IsNotExist(err)) {
			b.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite", "file:"+copyPath)
	if err != nil {
		b.Fatal(err)
	}
	var id string
	err = db.QueryRow(`SELECT value FROM settings WHERE key = 'db_id'`).Scan(&id)
	db.Close()
	if err != nil || !app.ValidDBID(id) {
		b.Fatalf("read the copy's id: %q %v", id, err)
	}
	keys := filepath.Join(dir, "keys")
	if err := os.MkdirAll(keys, 0o700); err != nil {
		b.Fatal(err)
	}
	for _, ext := range []string{".key", ".head"} {
		name := "audit-" + id + ext
		if err := copyFile(filepath.Join(os.Getenv("SECDOC_KEY_DIR"), name), filepath.Join(keys, name)); err != nil {
			b.Fatal(err)
		}
	}
	old := os.Getenv("SECDOC_KEY_DIR")
	os.Setenv("SECDOC_KEY_DIR", keys)
	svc, err := app.Open(copyPath)
	os.Setenv("SECDOC_KEY_DIR", old)
	if err != nil {
		b.Fatal(err)
	}
	svc.Now = func() time.Time { return benchNow }
	b.Cleanup(func() { svc.Close() })
	return svc
}
