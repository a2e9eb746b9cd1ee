// Package reports renders the register's forms and lists to PDF: pure
// functions from data to document, with the embedded CJK font, and no
// database access. The forms themselves arrive with the printing work; this
// package exists now so the layering check covers it from the start.
package reports
