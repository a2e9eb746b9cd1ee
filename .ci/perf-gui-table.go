//go:build ignore

// perf-gui-table prints make perf-gui's table from what .ci/perf-gui
// wrote in DIR: times.tsv (register, what, milliseconds), rss.tsv
// (register, round, MB) and summary.txt (the idle CPU). One column per
// register; a screen's row gives the median of its three visits and, in
// brackets, the slowest.
//
//	go run .ci/perf-gui-table.go DIR
package main

import (
	"bufio"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func readTSV(path string) [][]string {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var rows [][]string
	sc := bufio.NewScanner(f)
	sc.Scan() // the header
	for sc.Scan() {
		if parts := strings.Split(sc.Text(), "\t"); len(parts) == 3 {
			rows = append(rows, parts)
		}
	}
	return rows
}

func main() {
	if len(os.Args) != 2 {
		log.Fatal("usage: go run .ci/perf-gui-table.go DIR")
	}
	dir := os.Args[1]
	var regs []string
	cell := map[[2]string][]int{} // (what, register) → milliseconds
	var whats []string
	round := regexp.MustCompile(`^round \d+ `)
	for _, r := range readTSV(filepath.Join(dir, "times.tsv")) {
		reg, what := r[0], round.ReplaceAllString(r[1], "")
		if round.MatchString(r[1]) {
			what = "→ " + what
		}
		ms, _ := strconv.Atoi(r[2])
		if !slices.Contains(regs, reg) {
			regs = append(regs, reg)
		}
		if !slices.Contains(whats, what) {
			whats = append(whats, what)
		}
		cell[[2]string{what, reg}] = append(cell[[2]string{what, reg}], ms)
	}
	rss := map[string][]string{}
	for _, r := range readTSV(filepath.Join(dir, "rss.tsv")) {
		rss[r[0]] = append(rss[r[0]], r[2])
	}
	idle := map[string]string{}
	if raw, err := os.ReadFile(filepath.Join(dir, "summary.txt")); err == nil {
		re := regexp.MustCompile(`^(\S+) idle CPU (\S+)% of a core`)
		for _, line := range strings.Split(string(raw), "\n") {
			if m := re.FindStringSubmatch(line); m != nil {
				idle[m[1]] = m[2] + "%"
			}
		}
	}

	fmt.Printf("| ms (median of the visits [slowest]) | %s |\n", strings.Join(regs, " | "))
	fmt.Printf("|---|%s\n", strings.Repeat("---|", len(regs)))
	for _, w := range whats {
		var cols []string
		for _, reg := range regs {
			v := cell[[2]string{w, reg}]
			if len(v) == 0 {
				cols = append(cols, "")
				continue
			}
			s := slices.Clone(v)
			slices.Sort(s)
			c := strconv.Itoa(s[len(s)/2])
			if len(s) > 1 {
				c += fmt.Sprintf(" [%d]", s[len(s)-1])
			}
			cols = append(cols, c)
		}
		fmt.Printf("| %s | %s |\n", w, strings.Join(cols, " | "))
	}
	var rs, is []string
	for _, reg := range regs {
		rs = append(rs, strings.Join(rss[reg], " / "))
		is = append(is, idle[reg])
	}
	fmt.Printf("| resident memory after rounds 1 / 2 / 3 (MB) | %s |\n", strings.Join(rs, " | "))
	fmt.Printf("| idle CPU on the home, 5–25 s after the last input | %s |\n", strings.Join(is, " | "))
}
