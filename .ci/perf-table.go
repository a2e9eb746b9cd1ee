//go:build ignore

// table reads the output of `go test -bench` runs (each benchmark run
// several times with -count) and prints make perf's table: for each piece
// of work its target, the median, minimum and maximum of the runs, and the
// anchor measured in the same runs where there is one.
//
//	go run .ci/perf-table.go FILE...
//
// A row names a benchmark (a regular expression over its full name, the
// -N suffix of GOMAXPROCS removed) and a unit of its output. When the
// expression matches several benchmarks (every filter, every keyword), the
// row shows the one whose median is worst, and names it (by the
// expression's first group when it has one).
package main

import (
	"bufio"
	"fmt"
	"log"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// runs holds every value seen: runs[benchmark][unit] is one per run.
var runs = map[string]map[string][]float64{}

var procSuffix = regexp.MustCompile(`-\d+$`)

func read(path string) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(fields[1]); err != nil {
			continue
		}
		name := procSuffix.ReplaceAllString(fields[0], "")
		if runs[name] == nil {
			runs[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				break
			}
			runs[name][fields[i+1]] = append(runs[name][fields[i+1]], v)
		}
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
}

type stat struct{ med, min, max float64 }

func stats(vs []float64) stat {
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	m := s[len(s)/2]
	if len(s)%2 == 0 {
		m = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return stat{m, s[0], s[len(s)-1]}
}

// row is a line of the table.
type row struct {
	work, target string
	bench, unit  string  // the benchmark (expression) and unit read
	scale        float64 // multiplies the values (ns/op → ms: 1e-6)
	shown        string  // the unit shown
	anchor       string  // a unit of the same benchmark measured as the anchor, or ""
	anchorName   string
}

func main() {
	for _, p := range os.Args[1:] {
		read(p)
	}
	ms := 1e-6
	rows := []row{
		{work: "window memory after every screen (Go heap, 2,000 carriers)", target: "", bench: `^BenchmarkScreens/size=2k$`, unit: "heap-MB", scale: 1, shown: "MB"},
		{work: "window memory after every screen (Go heap, 100k)", target: "≤ 150 MB, ≤ 1.3× the 2k", bench: `^BenchmarkScreens/size=100k$`, unit: "heap-MB", scale: 1, shown: "MB"},
		{work: "window memory after every screen (Go heap, 1M)", target: "≤ 200 MB", bench: `^BenchmarkScreens/size=1M$`, unit: "heap-MB", scale: 1, shown: "MB"},
		{work: "every home list and count (BenchmarkToDo)", target: "≤ 50 ms", bench: `^BenchmarkToDo/size=1M$`, unit: "ns/op", scale: ms, shown: "ms"},
		{work: "each ledger filter: count + first page (worst of all)", target: "≤ 5 ms", bench: `^BenchmarkFilter/size=1M/`, unit: "ns/op", scale: ms, shown: "ms"},
		{work: "the register's first page with its count", target: "≤ 5 ms", bench: `^BenchmarkFirstPage/size=1M/ledger$`, unit: "ns/op", scale: ms, shown: "ms"},
		{work: "a page half-way down", target: "≤ 20 ms", bench: `^BenchmarkFirstPage/size=1M/deep=half$`, unit: "ns/op", scale: ms, shown: "ms"},
		{work: "keyword or 文号 fragment: count + first page (worst)", target: "≤ 30 ms", bench: `^BenchmarkKeyword/size=1M/(term=[^/]+)/ledger$`, unit: "ns/op", scale: ms, shown: "ms"},
		{work: "one slip to PDF", target: "≤ 10 ms", bench: `^BenchmarkSlip$`, unit: "ns/op", scale: ms, shown: "ms"},
		{work: "one slip to PDF: allocated", target: "≤ 5 MB", bench: `^BenchmarkSlip$`, unit: "B/op", scale: 1e-6, shown: "MB"},
		{work: "one slip: LibreOffice converting a flow sheet (anchor)", target: "", bench: `^BenchmarkLibreOfficeFlowSheet$`, unit: "ns/op", scale: ms, shown: "ms"},
		{work: "backup to a folder, verified (1M)", target: "≤ 3× cp + sync", bench: `^BenchmarkBackup1M$`, unit: "backup-s", scale: 1, shown: "s", anchor: "cp+sync-s", anchorName: "cp + sync"},
		{work: "restore of a verified backup (1M: Extract)", target: "≤ 3× cp + sync", bench: `^BenchmarkBackup1M$`, unit: "extract-s", scale: 1, shown: "s", anchor: "cp+sync-s", anchorName: "cp + sync"},
		{work: "import of 100,000 rows from .xlsx", target: "≤ 10 s", bench: `^BenchmarkImportExcel100k$`, unit: "s/100k", scale: 1, shown: "s"},
		{work: "export of the 1M register to .xlsx", target: "≤ 20 s", bench: `^BenchmarkExportExcel/size=1M$`, unit: "s/export", scale: 1, shown: "s"},
		{work: "one save into the 1M register", target: "≤ 5 ms", bench: `^BenchmarkRegisterInto/size=1M$`, unit: "ns/op", scale: ms, shown: "ms"},
	}
	fmt.Println("| work | target | median | min | max | anchor (median) | runs |")
	fmt.Println("|---|---|---|---|---|---|---|")
	for _, r := range rows {
		re := regexp.MustCompile(r.bench)
		var worst string
		var ws stat
		n := 0
		for name, units := range runs {
			vs := units[r.unit]
			if !re.MatchString(name) || len(vs) == 0 {
				continue
			}
			st := stats(vs)
			if worst == "" || st.med > ws.med {
				worst, ws, n = name, st, len(vs)
			}
		}
		if worst == "" {
			fmt.Printf("| %s | %s | not run | | | | |\n", r.work, r.target)
			continue
		}
		work := r.work
		if m := re.FindStringSubmatch(worst); len(m) > 1 {
			work += " — " + m[1] // the expression's group names which one
		} else if m[0] != worst {
			work += " — " + strings.TrimPrefix(worst, m[0])
		}
		anchor := ""
		if r.anchor != "" {
			if vs := runs[worst][r.anchor]; len(vs) > 0 {
				a := stats(vs)
				anchor = fmt.Sprintf("%s %.3g %s (%.1f×)", r.anchorName, a.med*r.scale, r.shown, ws.med/a.med)
			}
		}
		f := func(v float64) string { return strconv.FormatFloat(v*r.scale, 'g', 3, 64) + " " + r.shown }
		fmt.Printf("| %s | %s | %s | %s | %s | %s | %d |\n", work, r.target, f(ws.med), f(ws.min), f(ws.max), anchor, n)
	}
}
