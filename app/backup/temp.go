package backup

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"secdoc/internal/private"
)

// Every plaintext temporary copy of the database the program makes beside
// it (a backup's snapshot, a restore's extracted database) is named
//
//	.secdoc-tmp-PURPOSE-TAG-RANDOM.db
//
// PURPOSE says what it is for (TempSnapshot, TempRestore); TAG is the
// first 12 hex digits of the SHA-256 of the database's file name, so that
// the copies of two databases kept in one folder are told apart; RANDOM is
// 16 hex digits. SQLite may add -wal, -shm or -journal to it while it has
// it open. A program killed while such a file exists leaves it behind, a
// full unencrypted copy of the register: CleanLeftovers, run when the
// database is next opened, removes it.
const tempPrefix = ".secdoc-tmp-"

// The purposes of temporary copies.
const (
	TempSnapshot = "snapshot" // a backup's consistent copy of the live database
	TempRestore  = "restore"  // a restore's extracted database, before it is swapped in
)

// companions are the suffixes SQLite gives the files it keeps beside a
// database it has open.
var companions = []string{"-wal", "-shm", "-journal"}

var purposeRE = regexp.MustCompile(`^[a-z]+$`)

// tempTag is the part of a temporary copy's name that says which database
// of its folder it copies.
func tempTag(dbPath string) string {
	sum := sha256.Sum256([]byte(filepath.Base(dbPath)))
	return hex.EncodeToString(sum[:6])
}

// TempName is a new path for a plaintext temporary copy of the database at
// dbPath, in the database's folder (never on removable media, and on the
// same file system for a rename into place). Nothing is created: create it
// with private.CreateExcl (as Extract does) or CreateTemp.
func TempName(dbPath, purpose string) (string, error) {
	if !purposeRE.MatchString(purpose) {
		return "", fmt.Errorf("temporary file purpose %q", purpose)
	}
	db, err := realDB(dbPath)
	if err != nil {
		return "", err
	}
	r := make([]byte, 8)
	if _, err := rand.Read(r); err != nil {
		return "", err
	}
	name := tempPrefix + purpose + "-" + tempTag(db) + "-" + hex.EncodeToString(r) + ".db"
	return filepath.Join(filepath.Dir(db), name), nil
}

// realDB is the database's absolute path, symbolic links resolved when it
// exists: its copies are made, and looked for, beside the real file.
func realDB(dbPath string) (string, error) {
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real, nil
	}
	return abs, nil
}

// CreateTemp creates a new, empty plaintext temporary copy's file for the
// database at dbPath (see TempName), readable by its owner only (0600; on
// Windows an access list of the owner's), and returns its path. A file that
// exists can take SQLite's VACUUM INTO (into an empty file), which keeps
// its mode; one that SQLite created would be 0644 less the umask.
func CreateTemp(dbPath, purpose string) (string, error) {
	for tries := 0; ; tries++ {
		name, err := TempName(dbPath, purpose)
		if err != nil {
			return "", err
		}
		f, err := private.CreateExcl(name)
		if errors.Is(err, fs.ErrExist) && tries < 3 {
			continue
		}
		if err != nil {
			return "", err
		}
		return name, f.Close()
	}
}

// TempDir creates a new, empty folder for plaintext work files of the
// database at dbPath, the owner's only (0700), beside the database and
// named like its copies but ending in .d instead of .db:
//
//	.secdoc-tmp-PURPOSE-TAG-RANDOM.d
//
// A workbook of thousands of rows spills its sheet to a file while it is
// written (TempWorkbook); in the system's temporary folder that would be a
// plaintext part of the register that a killed program leaves behind
// where nothing looks for it. Here CleanLeftovers removes it at the next
// opening. Remove it with os.RemoveAll when the work is done.
func TempDir(dbPath, purpose string) (string, error) {
	for tries := 0; ; tries++ {
		name, err := TempName(dbPath, purpose)
		if err != nil {
			return "", err
		}
		name = strings.TrimSuffix(name, ".db") + ".d"
		err = os.Mkdir(name, private.DirMode)
		if errors.Is(err, fs.ErrExist) && tries < 3 {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := private.Restrict(name); err != nil {
			os.Remove(name)
			return "", err
		}
		return name, nil
	}
}

// TempWorkbook is the purpose of the folder a workbook being written spills to.
const TempWorkbook = "xlsx"

// RemoveTemp removes a temporary copy and whatever SQLite kept beside it.
func RemoveTemp(path string) {
	for _, suffix := range append([]string{""}, companions...) {
		os.Remove(path + suffix)
	}
}

// leftoverRE matches the names of the temporary copies of the database
// named base, in its folder, and their companions:
//
//   - .secdoc-tmp-PURPOSE-TAG-RANDOM.db[-wal|-shm|-journal], TAG base's;
//   - base.恢复中-YYYYMMDD-HHMMSS[-N][-wal|-shm|-journal]: where earlier
//     versions extracted a restore;
//   - .secdoc-snapshot-DIGITS.db[-journal]: earlier versions' snapshots
//     (os.CreateTemp's names). These don't say which database they copy:
//     see CleanLeftovers.
func leftoverRE(base string) *regexp.Regexp {
	return regexp.MustCompile(`^(?:` +
		regexp.QuoteMeta(tempPrefix) + `[a-z]+-` + tempTag(base) + `-[0-9a-f]{16}\.db` +
		`|` + regexp.QuoteMeta(base) + `\.恢复中-[0-9]{8}-[0-9]{6}(?:-[0-9]+)?` +
		`|\.secdoc-snapshot-[0-9]+\.db` +
		`)(?:-wal|-shm|-journal)?$`)
}

// leftoverDirRE matches the names of the work folders (TempDir) of the
// database named base.
func leftoverDirRE(base string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(tempPrefix) + `[a-z]+-` + tempTag(base) + `-[0-9a-f]{16}\.d$`)
}

// CleanLeftovers removes the plaintext temporary copies of the database at
// dbPath that a killed or crashed backup or restore left in its folder,
// and the work folders (TempDir) a killed export left, with what is in
// them, and returns their names (for the audit trail), sorted. It touches
// only regular files and folders (never a symbolic link) whose names match
// the program's own patterns for that database (leftoverRE, leftoverDirRE):
// never the database, its -wal and -shm, its rollback copies (NAME.回滚-…,
// kept on purpose), nor any other file.
//
// It must be called by the holder of the database's single-instance lock
// (instance.Acquire), before it starts any backup or restore: then no live
// process can be using one of these files. Only the lock's holder makes
// copies of this database, and the tag in their names keeps another
// database's copies (another program on another database in the same
// folder) out of reach. The one exception is the earlier versions' snapshot
// name, which carries no tag: an earlier version backing up another
// database of the same folder at this very moment would lose its snapshot
// and report a failed backup (nothing else is lost). If a file is in use
// after all, Windows refuses to remove it and the error says so; Unix
// removes the name and the user keeps an open copy, as any removal would.
//
// Removing is not wiping: the file's blocks stay on the disk, unreferenced,
// until the file system reuses them (secure_delete zeroes the pages SQLite
// frees inside the database, not a file removed whole). Overwriting first
// would not reliably reach those blocks on an SSD or a journaling file
// system either; what protects them is the machine's own safeguards (disk
// encryption, custody of the disk). A plain remove is what is done.
func CleanLeftovers(dbPath string) ([]string, error) {
	db, err := realDB(dbPath)
	if err != nil {
		return nil, err
	}
	dir, base := filepath.Split(db)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	re, dirRE := leftoverRE(base), leftoverDirRE(base)
	var removed []string
	var errs []error
	for _, e := range entries {
		name := e.Name()
		remove := os.Remove
		switch {
		case e.Type().IsRegular() && re.MatchString(name) && name != base:
		case e.IsDir() && dirRE.MatchString(name):
			remove = os.RemoveAll // does not follow a link inside
		default:
			continue
		}
		if err := remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		removed = append(removed, name)
	}
	sort.Strings(removed)
	return removed, errors.Join(errs...)
}
