package ui

import (
	"errors"
	"os/exec"
	"runtime"
	"time"
)

// viewerWait is how long the system's opener is given to say it failed.
// One that launched a viewer has returned by then, or is still running the
// viewer itself (some desktops' fallbacks do): either way the file is open.
const viewerWait = 3 * time.Second

// errNoViewer is what openWithSystem reports when nothing opened the file.
var errNoViewer = errors.New("no program opened the file")

// openWithSystem opens a file or folder with the program the desktop has
// for it (xdg-open on Linux, the shell's association on Windows), and waits
// up to viewerWait to hear whether it failed. The opener is always waited
// for, so no finished process is left behind. It never blocks the window:
// call it from env.run.
func openWithSystem(path string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", path)
	case "darwin":
		cmd = exec.Command("open", path)
	default:
		opener, err := exec.LookPath("xdg-open")
		if err != nil {
			return errNoViewer
		}
		cmd = exec.Command(opener, path)
	}
	if err := cmd.Start(); err != nil {
		return errNoViewer
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }() // reaps the process whenever it ends
	select {
	case err := <-done:
		if err != nil {
			return errNoViewer // xdg-open: 3 when no program handles the type
		}
		return nil
	case <-time.After(viewerWait):
		return nil
	}
}
