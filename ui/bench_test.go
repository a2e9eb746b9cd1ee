package ui

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"secdoc/app"
)

// BenchmarkScreens builds the clerk's window over the register named by
// SECDOC_BENCH_DB (its audit keys in SECDOC_KEY_DIR, or in keys/ beside it;
// the clerk's password in SECDOC_BENCH_PASSWORD, or the bench registers'
// own): sign-in, then every screen in turn, each loading what it shows, as
// the clerk visits them. One op is the whole round. heap-MB is the Go heap
// in use afterwards, the window still open, after a collection: what the
// window keeps, which must not grow with the register.
//
//	SECDOC_BENCH_DB=/tmp/secdoc-bench/bench-100k-d2.db go test ./ui -run '^$' -bench Screens -benchtime 3x
//
// The register is opened in place (give it a copy when it is at an older
// schema: opening it upgrades it).
func BenchmarkScreens(b *testing.B) {
	path := os.Getenv("SECDOC_BENCH_DB")
	if path == "" {
		b.Skip("set SECDOC_BENCH_DB to a register")
	}
	if os.Getenv("SECDOC_KEY_DIR") == "" {
		b.Setenv("SECDOC_KEY_DIR", filepath.Join(filepath.Dir(path), "keys"))
	}
	password := os.Getenv("SECDOC_BENCH_PASSWORD")
	if password == "" {
		password = "Bench-pass-2026"
	}
	svc, err := app.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer svc.Close()
	a := test.NewApp()
	defer a.Quit()
	// The window's theme and embedded font, as main sets them: with the
	// test app's own theme every Chinese character falls back to the
	// system's fonts, loaded from disk where there are any.
	a.Settings().SetTheme(NewTheme())
	st := Options{DBPath: path}
	var heap float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := test.NewWindow(nil)
		w.Resize(fyne.NewSize(1366, 768))
		s := newShell(a, w, svc, st, env{run: func(f func()) { f() }, now: time.Now})
		w.SetContent(s.Content())
		sess, _, err := svc.SignIn("clerk", password)
		if err != nil {
			b.Fatal(err)
		}
		s.signedIn(sess, false)
		if s.clerk == nil {
			b.Fatal("the clerk's window is not shown")
		}
		tabs := s.clerk.tabs
		for j := range tabs.Items {
			tabs.SelectIndex(j)
		}
		tabs.SelectIndex(0)
		b.StopTimer()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = float64(ms.HeapInuse) / (1 << 20)
		s.onWindowClosed()
		w.Close()
		b.StartTimer()
	}
	b.ReportMetric(heap, "heap-MB")
}
