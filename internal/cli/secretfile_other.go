//go:build !unix

package cli

import "os"

// secretFileProblem checks nothing where files have no Unix modes
// (Windows keeps access lists, which a mode does not describe).
func secretFileProblem(os.FileInfo) (why string, otherOwner bool) { return "", false }
