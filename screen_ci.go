//go:build ci

package main

// screenSize can't be read without a window system: the tests' build.
func screenSize() (w, h int, ok bool) { return 0, 0, false }
