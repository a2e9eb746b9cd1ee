package cli

import "secdoc/internal/buildinfo"

// Version is the program's version, shown by `secdoc version`.
const Version = buildinfo.Version

// ThisBuild describes the running binary.
func ThisBuild() buildinfo.Build { return buildinfo.ThisBuild() }
