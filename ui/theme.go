package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"secdoc/assets"
)

// secdocTheme is Fyne's default theme with the embedded CJK font for every
// text style and the light variant forced: Chinese must render on a machine
// with no Chinese system font (R11), and the office works on white paper.
type secdocTheme struct {
	fyne.Theme
	font fyne.Resource
}

var _ fyne.Theme = (*secdocTheme)(nil)

// NewTheme returns the theme of the window. main.go applies it with
// a.Settings().SetTheme(ui.NewTheme()).
func NewTheme() fyne.Theme {
	return &secdocTheme{
		Theme: theme.DefaultTheme(),
		font:  fyne.NewStaticResource(assets.FontName, assets.Font),
	}
}

// Font returns the embedded font whatever the style. WenQuanYi Micro Hei has
// no bold face and Fyne does not fake one, so bold text reads as regular;
// glyphs the font lacks fall back to Fyne's own font.
func (t *secdocTheme) Font(fyne.TextStyle) fyne.Resource { return t.font }

// Color always answers for the light variant. The disabled colour, which
// Fyne also gives explanatory notes (low-importance labels), is darkened
// from the default's near-white so a note can be read on a white form.
func (t *secdocTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameDisabled {
		return color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
	}
	return t.Theme.Color(n, theme.VariantLight)
}
