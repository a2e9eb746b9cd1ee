package app

import "secdoc/internal/importfile"

// The import file's types and readers, which the window and the command
// line reach through app (internal/importfile reads files without the
// register; excel.go is the import use case).
type (
	ImportTable     = importfile.ImportTable
	ImportRow       = importfile.ImportRow
	ImportField     = importfile.ImportField
	ImportFileError = importfile.ImportFileError
	ImportMapping   = importfile.ImportMapping
	ImportProblem   = importfile.ImportProblem
)

// FieldOrigRegNo is the import-only field of the file's own register number.
const FieldOrigRegNo = importfile.FieldOrigRegNo

// ImportFields are the fields of an import, in the order of a register.
var ImportFields = importfile.ImportFields

var (
	ReadImportFile    = importfile.ReadImportFile
	GuessMapping      = importfile.GuessMapping
	ApplyMappingSpec  = importfile.ApplyMappingSpec
	ApplyDefaultsSpec = importfile.ApplyDefaultsSpec
	ImportFieldLabel  = importfile.ImportFieldLabel
	ClipCell          = importfile.ClipCell
	ColumnName        = importfile.ColumnName
	PreviewCell       = importfile.PreviewCell
	ParseCarrierKind  = importfile.ParseCarrierKind
	ParseUrgency      = importfile.ParseUrgency
)
