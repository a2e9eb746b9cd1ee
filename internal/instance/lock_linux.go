//go:build linux

package instance

// lockNote is false on Linux: flock(2) locks and SQLite's POSIX (fcntl)
// locks are separate, so the database file itself carries the flock while
// SQLite locks its byte ranges, in this process and in others (see
// TestSQLiteUnderLock). Not so over NFS or SMB, where flock is emulated with
// byte-range locks.
const lockNote = false
