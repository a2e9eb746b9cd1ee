//go:build windows

package instance

func isUnix() bool { return false }
