//go:build !ci

package main

import (
	"github.com/go-gl/glfw/v3.3/glfw"
)

// screenSize is the size in pixels of the primary screen, once the window
// system is up (after the first NewWindow); ok is false when it can't be
// read.
func screenSize() (w, h int, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return 0, 0, false
	}
	mode := m.GetVideoMode()
	if mode == nil || mode.Width <= 0 || mode.Height <= 0 {
		return 0, 0, false
	}
	return mode.Width, mode.Height, true
}
