//go:build unix && !linux

package instance

// lockNote is true where flock and POSIX locks interact (the BSDs, macOS):
// a flock on the database would keep SQLite's own byte-range locks out. The
// note file beside the database's resolved path carries the flock instead.
const lockNote = true
