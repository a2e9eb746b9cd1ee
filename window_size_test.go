package main

import (
	"testing"

	"fyne.io/fyne/v2"
)

func TestStartSize_FitsTheScreen(t *testing.T) {
	for _, c := range []struct {
		w, h  int
		ok    bool
		scale float32
		want  fyne.Size
	}{
		{1920, 1080, true, 1, fyne.NewSize(1360, 840)},
		{1366, 768, true, 1, fyne.NewSize(1326, 668)},
		{1024, 768, true, 1, fyne.NewSize(984, 668)},
		{2048, 1536, true, 2, fyne.NewSize(984, 668)},
		{0, 0, false, 1, fyne.NewSize(984, 668)},
	} {
		if got := startSize(c.w, c.h, c.ok, c.scale); got != c.want {
			t.Errorf("screen %dx%d scale %v: %v, want %v", c.w, c.h, c.scale, got, c.want)
		}
	}
}
