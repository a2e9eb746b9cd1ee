//go:build unix

package app_test

import (
	"syscall"
	"time"
)

// cpuTime is the processor time the process has used so far, on all its
// threads: on a machine shared with other work it says what a benchmark
// costs when the wall clock can't.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
