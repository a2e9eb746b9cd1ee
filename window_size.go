package main

import (
	"os"
	"strconv"

	"fyne.io/fyne/v2"
)

// The window's size on a screen large enough, and the room left around it
// on a smaller one for the title bar and a panel or taskbar.
const (
	idealWidth, idealHeight = 1360, 840
	marginX, marginY        = 40, 100
)

// startSize is the window's first size: the ideal one, made smaller to fit a
// screen of w×h pixels (1024×768 and 1366×768 are common in offices) at the
// toolkit's scale.
func startSize(w, h int, ok bool, scale float32) fyne.Size {
	if !ok {
		w, h = 1024, 768 // unknown: the smallest screen supported
	}
	if scale <= 0 {
		scale = 1
	}
	width := min(float32(idealWidth), float32(w)/scale-marginX)
	height := min(float32(idealHeight), float32(h)/scale-marginY)
	return fyne.NewSize(width, height)
}

// userScale is the scale FYNE_SCALE asks for, 1 when unset or unreadable.
func userScale() float32 {
	if f, err := strconv.ParseFloat(os.Getenv("FYNE_SCALE"), 32); err == nil && f > 0 {
		return float32(f)
	}
	return 1
}
