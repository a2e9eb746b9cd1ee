// Package assets embeds the files the program ships inside its binary: the
// CJK font that renders every Chinese character of the window and the PDFs
// (WenQuanYi Micro Hei, licence in fonts/LICENSE-wqy-microhei.txt) and the
// icon. Nothing is ever loaded from outside (R11).
package assets

import _ "embed"

// FontName is the embedded font's file name.
const FontName = "wqy-microhei.ttf"

// Font is the TrueType bytes of WenQuanYi Micro Hei, face 0 of Debian's
// fonts-wqy-microhei collection extracted to a single .ttf.
//
//go:embed fonts/wqy-microhei.ttf
var Font []byte

// FontLicense is the font's licence text, shown in the About dialog.
//
//go:embed fonts/LICENSE-wqy-microhei.txt
var FontLicense string

// Icon is the application icon (PNG).
//
//go:embed icon.png
var Icon []byte
