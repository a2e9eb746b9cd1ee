package backup

import (
	"crypto/rand"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Secret unlocks a backup: the system administrator's passphrase, or the
// bytes of a key file kept apart from the backups.
type Secret struct {
	Passphrase string
	KeyFile    []byte
}

func (s Secret) bytes() []byte {
	if s.KeyFile != nil {
		return s.KeyFile
	}
	return []byte(s.Passphrase)
}

func (s Secret) source() string {
	if s.KeyFile != nil {
		return SourceKeyFile
	}
	return SourcePassphrase
}

// The least a new backup's (or recovery key's) secret must be.
const (
	MinPassphrase = 16 // characters (runes), for the backup and the recovery passphrase
	MinDistinct   = 8  // different characters in a passphrase
	MinKeyFile    = 32 // bytes
)

// weakError is ErrWeakSecret with the Chinese sentence saying what to do.
type weakError struct{ why, msg string }

func (e *weakError) Error() string { return ErrWeakSecret.Error() + ": " + e.why }
func (e *weakError) Unwrap() error { return ErrWeakSecret }

const keyFileHint = "请改用随机数据做密钥文件（例如在 Linux 上执行 head -c 32 /dev/urandom > backup.key），或者改用口令"

// CheckSecret refuses a secret too weak for a new backup:
//
//   - a passphrase of fewer than MinPassphrase characters, or of fewer than
//     MinDistinct different characters;
//   - a key file of fewer than MinKeyFile bytes, or one that plainly is not
//     random. A text file (printable ASCII and line ends only) shorter than
//     64 bytes is a passphrase saved in a file (or base64), not a key; a
//     longer one (a 64-digit hex key) needs 10 different characters in its
//     first 64 bytes. Any file: no run of 8 bytes in arithmetic progression
//     (8 equal bytes, a counter) in its first 64 bytes. A binary file: 16
//     different byte values in its first 32 bytes. 32 random bytes fail
//     these with a chance of about 10⁻¹³. Only the start is looked at (a
//     key file is used whole), and only for obvious mistakes: a file with a
//     structured header (an image) may pass, and nothing here can tell
//     whether a file is secret.
//
// Readers don't check: a backup opens with the secret it was made with.
func CheckSecret(s Secret) error {
	if s.KeyFile != nil {
		return checkKeyFile(s.KeyFile)
	}
	return checkPassphrase(s.Passphrase, "备份口令")
}

// CheckRecoveryPassphrase refuses a recovery passphrase too weak for a new
// recovery key: the same rules as a backup passphrase's.
func CheckRecoveryPassphrase(passphrase string) error {
	return checkPassphrase(passphrase, "恢复口令")
}

func checkPassphrase(p, what string) error {
	if n := utf8.RuneCountInString(p); n < MinPassphrase {
		return &weakError{why: fmt.Sprintf("%d characters, %d needed", n, MinPassphrase),
			msg: fmt.Sprintf("%s太短：至少 %d 个字符（现在 %d 个）。可以用“生成口令”得到一个随机口令", what, MinPassphrase, n)}
	}
	distinct := map[rune]bool{}
	for _, r := range p {
		distinct[r] = true
	}
	if len(distinct) < MinDistinct {
		return &weakError{why: fmt.Sprintf("%d different characters, %d needed", len(distinct), MinDistinct),
			msg: fmt.Sprintf("%s太简单：至少要有 %d 个不同的字符。可以用“生成口令”得到一个随机口令", what, MinDistinct)}
	}
	return nil
}

func checkKeyFile(k []byte) error {
	if len(k) < MinKeyFile {
		return &weakError{why: fmt.Sprintf("key file of %d bytes, %d needed", len(k), MinKeyFile),
			msg: fmt.Sprintf("密钥文件太短：至少 %d 字节（现在 %d 字节）。%s", MinKeyFile, len(k), keyFileHint)}
	}
	notRandom := func(why, what string) error {
		return &weakError{why: "key file not random: " + why,
			msg: "这个文件不像随机生成的密钥文件（" + what + "），不能用作密钥。" + keyFileHint}
	}
	text := true
	for _, c := range k {
		if (c < 0x20 || c > 0x7e) && c != '\n' && c != '\r' && c != '\t' {
			text = false
			break
		}
	}
	if text && len(k) < 64 {
		return notRandom("short text", "它是不足 64 字节的文字，像是存进文件的口令")
	}
	head := k[:min(len(k), 64)]
	for i, run := 2, 2; i < len(head); i++ {
		if head[i]-head[i-1] == head[i-1]-head[i-2] {
			run++
		} else {
			run = 2
		}
		if run >= 8 {
			return notRandom("a run of bytes in arithmetic progression", "开头有连续 8 个相同或依次递增、递减的字节")
		}
	}
	need, span := 16, k[:32]
	if text {
		need, span = 10, head
	}
	var seen [256]bool
	distinct := 0
	for _, c := range span {
		if !seen[c] {
			seen[c] = true
			distinct++
		}
	}
	if distinct < need {
		return notRandom(fmt.Sprintf("%d different byte values in %d", distinct, len(span)),
			fmt.Sprintf("开头 %d 个字节里只有 %d 种不同的值", len(span), distinct))
	}
	return nil
}

// passphraseAlphabet has no letters or digits that look alike (0 O o, 1 l I i)
// and no capitals: 31 symbols, easy to read out and to type.
const passphraseAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

// The shape of a generated passphrase: groups of letters, joined by '-'.
const (
	passphraseGroups    = 6
	passphraseGroupSize = 5
)

// GeneratePassphrase returns a new random passphrase that is easy to copy
// by hand: 6 groups of 5 characters from 31 (no look-alikes), joined by '-',
// as xxxxx-xxxxx-xxxxx-xxxxx-xxxxx-xxxxx: 30 × log2(31) ≈ 148 bits.
func GeneratePassphrase() string {
	var b strings.Builder
	var one [1]byte
	const limit = 256 - 256%len(passphraseAlphabet) // unbiased: bytes at or above are drawn again
	for g := 0; g < passphraseGroups; g++ {
		if g > 0 {
			b.WriteByte('-')
		}
		for i := 0; i < passphraseGroupSize; {
			if _, err := rand.Read(one[:]); err != nil {
				panic(err) // crypto/rand does not fail
			}
			if int(one[0]) >= limit {
				continue
			}
			b.WriteByte(passphraseAlphabet[int(one[0])%len(passphraseAlphabet)])
			i++
		}
	}
	return b.String()
}

// NewKeyFile returns the contents of a new key file: 32 random bytes.
func NewKeyFile() []byte {
	k := make([]byte, MinKeyFile)
	if _, err := rand.Read(k); err != nil {
		panic(err) // crypto/rand does not fail
	}
	return k
}
