// Package importfile reads an office's register from an .xlsx or CSV file
// into registration forms, without a database: the file (read.go, text.go),
// the mapping of its columns to the register's fields (mapping.go) and each
// row's cells (row.go). What the rows then do to the register is app's
// import use case.
package importfile
