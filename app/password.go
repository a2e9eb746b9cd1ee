package app

// Password hashing (argon2id) and the password rules of the policy.

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"secdoc/models"
)

// Argon2Params are the argon2id cost parameters for new password hashes.
// Tests lower them; stored hashes carry their own.
var Argon2Params = struct {
	Time, MemoryKiB uint32
	Threads         uint8
}{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}

func hashPassword(pw string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	p := Argon2Params
	sum := argon2.IDKey([]byte(pw), salt, p.Time, p.MemoryKiB, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.MemoryKiB, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(sum))
}

// The bounds of a stored hash's argon2id cost and lengths. A stored hash
// carries its own cost, and the database is not trusted with it: zero
// passes would make argon2 panic, a memory cost of gigabytes would exhaust
// the machine at every sign-in. Outside these bounds a hash matches no
// password.
const (
	maxArgon2Time      = 10
	maxArgon2MemoryKiB = 256 * 1024 // 256 MiB
	maxArgon2Threads   = 16
	minArgon2Bytes     = 16 // salt and hash
	maxArgon2Bytes     = 64
)

// argon2Hash is a stored password hash, taken apart.
type argon2Hash struct {
	time, memoryKiB uint32
	threads         uint8
	salt, sum       []byte
}

// parseArgon2 takes a stored hash apart, checking every part against the
// bounds above; ok is false for anything else.
func parseArgon2(encoded string) (h argon2Hash, ok bool) {
	if len(encoded) > 512 {
		return h, false
	}
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return h, false
	}
	cost := strings.Split(parts[3], ",")
	if len(cost) != 3 {
		return h, false
	}
	var vals [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		v, found := strings.CutPrefix(cost[i], name)
		if !found {
			return h, false
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return h, false
		}
		vals[i] = n
	}
	m, t, p := vals[0], vals[1], vals[2]
	if t < 1 || t > maxArgon2Time || p < 1 || p > maxArgon2Threads || m < 8*p || m > maxArgon2MemoryKiB {
		return h, false
	}
	enc := base64.RawStdEncoding
	if len(parts[4]) > enc.EncodedLen(maxArgon2Bytes) || len(parts[5]) > enc.EncodedLen(maxArgon2Bytes) {
		return h, false
	}
	salt, err1 := enc.DecodeString(parts[4])
	sum, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < minArgon2Bytes || len(salt) > maxArgon2Bytes ||
		len(sum) < minArgon2Bytes || len(sum) > maxArgon2Bytes {
		return h, false
	}
	return argon2Hash{time: uint32(t), memoryKiB: uint32(m), threads: uint8(p), salt: salt, sum: sum}, true
}

// checkPassword reports whether pw matches the stored hash. A hash that is
// malformed or whose cost is out of bounds matches nothing.
func checkPassword(encoded, pw string) bool {
	h, ok := parseArgon2(encoded)
	if !ok {
		return false
	}
	got := argon2.IDKey([]byte(pw), h.salt, h.time, h.memoryKiB, h.threads, uint32(len(h.sum)))
	return subtle.ConstantTimeCompare(got, h.sum) == 1
}

// dummyHash makes a sign-in with an unknown login cost as much as a real
// one; it is made once, at the first such sign-in.
var (
	dummyOnce sync.Once
	dummyHash string
)

// checkDummy spends on pw what checking a real account's password costs.
func checkDummy(pw string) {
	dummyOnce.Do(func() { dummyHash = hashPassword("secdoc-dummy") })
	checkPassword(dummyHash, pw)
}

// CheckPassword tests a new password against the policy and returns the
// Chinese reason it is refused, or "".
func CheckPassword(p models.Policy, login, pw string) string {
	if n := utf8.RuneCountInString(pw); n < p.MinLength {
		return fmt.Sprintf("密码至少 %d 位，现在只有 %d 位", p.MinLength, n)
	}
	var upper, lower, digit, other bool
	for _, r := range pw {
		switch {
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsLower(r):
			lower = true
		case unicode.IsDigit(r):
			digit = true
		case unicode.IsSpace(r):
			return "密码不能含空格"
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{upper, lower, digit, other} {
		if b {
			classes++
		}
	}
	if classes < p.MinClasses {
		return fmt.Sprintf("密码须包含大写字母、小写字母、数字、符号中的至少 %d 类", p.MinClasses)
	}
	if login != "" && strings.Contains(strings.ToLower(pw), strings.ToLower(login)) {
		return "密码不能包含登录名"
	}
	return ""
}
