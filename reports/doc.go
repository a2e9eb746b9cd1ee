// Package reports renders the register's forms and lists to PDF: pure
// functions from data to document, with the embedded CJK font and no
// database access. Output is deterministic: the same data and the same
// printing time give the same bytes.
package reports
