//go:build unix

package instance

func isUnix() bool { return true }
