package backup

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

func lowCosts(t *testing.T) {
	old, oldRec := KDF, RecoveryKDF
	KDF = KDFParams{Time: 1, MemoryKiB: 1024, Threads: 1}
	RecoveryKDF = KDF
	t.Cleanup(func() { KDF, RecoveryKDF = old, oldRec })
}

func TestGeneratePassphrase_StrongAndEasyToCopy(t *testing.T) {
	bits := float64(passphraseGroups*passphraseGroupSize) * math.Log2(float64(len(passphraseAlphabet)))
	if bits < 100 {
		t.Fatalf("%.1f bits", bits)
	}
	for _, c := range "0oO1lIi" {
		if strings.ContainsRune(passphraseAlphabet, c) {
			t.Fatalf("look-alike %q in the alphabet", c)
		}
	}
	seen := map[string]bool{}
	freq := map[rune]int{}
	const n = 2000
	for i := 0; i < n; i++ {
		p := GeneratePassphrase()
		if err := CheckSecret(Secret{Passphrase: p}); err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		if err := CheckRecoveryPassphrase(p); err != nil {
			t.Fatalf("%q: %v", p, err)
		}
		groups := strings.Split(p, "-")
		if len(groups) != passphraseGroups || utf8.RuneCountInString(p) != 35 {
			t.Fatalf("shape of %q", p)
		}
		for _, g := range groups {
			if len(g) != passphraseGroupSize {
				t.Fatalf("shape of %q", p)
			}
			for _, c := range g {
				if !strings.ContainsRune(passphraseAlphabet, c) {
					t.Fatalf("%q outside the alphabet in %q", c, p)
				}
				freq[c]++
			}
		}
		if seen[p] {
			t.Fatalf("%q twice", p)
		}
		seen[p] = true
	}
	// Every symbol drawn, none much more than its share (unbiased draw).
	share := float64(n*30) / float64(len(passphraseAlphabet))
	for _, c := range passphraseAlphabet {
		if f := float64(freq[c]); f < share*0.85 || f > share*1.15 {
			t.Fatalf("%q drawn %v times, expected about %.0f", c, f, share)
		}
	}
}

func TestCheckSecret_Rules(t *testing.T) {
	random := func(n int) []byte {
		b := make([]byte, n)
		rand.Read(b)
		return b
	}
	hex64 := []byte(hex.EncodeToString(random(32)))
	for _, c := range []struct {
		name string
		s    Secret
		ok   bool
	}{
		{"16 characters", Secret{Passphrase: "correct-horse-ba"}, true},
		{"16 Chinese characters", Secret{Passphrase: "机要室的门在三楼东头第二间屋里面"}, true},
		{"15 characters", Secret{Passphrase: "correct-horse-b"}, false},
		{"empty", Secret{}, false},
		{"one character", Secret{Passphrase: strings.Repeat("a", 40)}, false},
		{"seven characters", Secret{Passphrase: strings.Repeat("abcdefg", 4)}, false},
		{"eight characters", Secret{Passphrase: strings.Repeat("abcdefgh", 2)}, true},
		{"random key file", Secret{KeyFile: random(32)}, true},
		{"new key file", Secret{KeyFile: NewKeyFile()}, true},
		{"large random key file", Secret{KeyFile: random(4096)}, true},
		{"31 random bytes", Secret{KeyFile: random(31)}, false},
		{"empty key file", Secret{KeyFile: []byte{}}, false},
		{"all zero", Secret{KeyFile: make([]byte, 64)}, false},
		{"all one byte", Secret{KeyFile: bytes.Repeat([]byte{0xa5}, 32)}, false},
		{"a run of 8", Secret{KeyFile: append(append(random(20), bytes.Repeat([]byte{0}, 8)...), random(20)...)}, false},
		{"a run of 8 after 64 bytes", Secret{KeyFile: append(random(64), bytes.Repeat([]byte{0}, 100)...)}, true},
		{"few values", Secret{KeyFile: bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 3, 2}, 4)}, false},
		{"a passphrase in a file", Secret{KeyFile: []byte("correct horse battery staple 2026\n")}, false},
		{"base64 of 32 bytes", Secret{KeyFile: []byte("q83vEjRWeJq83vEjRWeJq83vEjRWeJq83vEjRWeJq8=\n")}, false},
		{"hex of 32 bytes", Secret{KeyFile: hex64}, true},
		{"a counter", Secret{KeyFile: []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17}}, false},
		{"text of 64 bytes", Secret{KeyFile: []byte(strings.Repeat("correct horse battery staple ", 3))}, true},
	} {
		err := CheckSecret(c.s)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.name, err)
		}
		if err != nil && (!errors.Is(err, ErrWeakSecret) || Message(err) == "") {
			t.Errorf("%s: %v %q", c.name, err, Message(err))
		}
		if err != nil && c.s.KeyFile != nil && !strings.Contains(Message(err), "head -c 32 /dev/urandom > backup.key") {
			t.Errorf("%s: %q", c.name, Message(err))
		}
	}
	// Random key files pass, hex ones too.
	for i := 0; i < 20000; i++ {
		if err := CheckSecret(Secret{KeyFile: random(32)}); err != nil {
			t.Fatalf("random key file refused: %v", err)
		}
		if err := CheckSecret(Secret{KeyFile: []byte(hex.EncodeToString(random(32)) + "\n")}); err != nil {
			t.Fatalf("hex key file refused: %v", err)
		}
	}
	if err := CheckRecoveryPassphrase("short"); !errors.Is(err, ErrWeakSecret) || !strings.HasPrefix(Message(err), "恢复口令太短") {
		t.Fatalf("recovery: %v %q", err, Message(err))
	}
}

// fakeSnapshot is a file that starts like a database.
func fakeSnapshot(t *testing.T, n int) string {
	b := make([]byte, n)
	rand.Read(b)
	copy(b, "SQLite format 3\x00")
	p := filepath.Join(t.TempDir(), "snap.db")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// writeTest writes a backup of a fake database for rec and returns its bytes
// and keys.
func writeTest(t *testing.T, secret Secret, rec RecoveryKey) ([]byte, *fileKeys) {
	_, pub, err := rec.parse()
	if err != nil {
		t.Fatal(err)
	}
	k, err := newFileKeys(secret, pub, rec.Box)
	if err != nil {
		t.Fatal(err)
	}
	snap := fakeSnapshot(t, 50<<10)
	meta := Meta{Schema: 12, DBID: "ab", DBSize: 50 << 10}
	out := filepath.Join(t.TempDir(), "b.sdbk")
	if _, _, _, err := writeTemp(out, k, &meta, make([]byte, 32), snap, 16<<10, func(float64) {}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b, k
}

// TestSwappedBox_DoesNotOpen: the system administrator knows M, so he can
// put a recovery box of his own into a backup and make the key check and the
// MAC match again; Check then passes (it proves only what M proves). But
// his box's private key is not the one the backup's ephemeral key was
// combined with: nothing decrypts.
func TestSwappedBox_DoesNotOpen(t *testing.T) {
	lowCosts(t)
	const officer, admin = "安全保密管理员的恢复口令-2026", "系统管理员自己的恢复口令-2026"
	secret := Secret{Passphrase: "系统管理员的备份口令-2026"}
	rec, err := NewRecoveryKey(officer)
	if err != nil {
		t.Fatal(err)
	}
	own, err := NewRecoveryKey(admin)
	if err != nil {
		t.Fatal(err)
	}
	b, k := writeTest(t, secret, rec)
	if _, err := readBytes(b, secret, &RecoverySecret{officer}); err != nil {
		t.Fatal(err)
	}

	// The swap, re-sealed with what M gives.
	forged := bytes.Clone(b)
	copy(forged[offBox:offCheck], own.Box)
	salt := forged[offSalt : offSalt+saltLen]
	checkKey, macKey, err := adminKeys(k.master, salt)
	if err != nil {
		t.Fatal(err)
	}
	sealHeader(forged, keyCheck(checkKey, forged))
	mac := hmac.New(sha256.New, macKey)
	mac.Write(forged[:len(forged)-32])
	copy(forged[len(forged)-32:], mac.Sum(nil))

	if _, err := readBytes(forged, secret, nil); err != nil {
		t.Fatalf("check of the re-sealed file: %v", err)
	}
	if _, err := readBytes(forged, secret, &RecoverySecret{admin}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("with his own box: %v", err)
	}
	if _, err := readBytes(forged, secret, &RecoverySecret{officer}); !errors.Is(err, ErrWrongRecovery) {
		t.Fatalf("the officer's passphrase on his box: %v", err)
	}
}

// TestMAC_CoversEveryByte: the trailer's MAC is over every byte before it,
// and the trailer counts them: a file cut at a chunk boundary with a trailer
// recomputed without the MAC key is refused.
func TestMAC_CoversEveryByte(t *testing.T) {
	lowCosts(t)
	secret := Secret{Passphrase: "系统管理员的备份口令-2026"}
	rec, err := NewRecoveryKey("安全保密管理员的恢复口令-2026")
	if err != nil {
		t.Fatal(err)
	}
	b, k := writeTest(t, secret, rec)
	salt := b[offSalt : offSalt+saltLen]
	_, macKey, _ := adminKeys(k.master, salt)
	mac := hmac.New(sha256.New, macKey)
	mac.Write(b[:len(b)-32])
	if !bytes.Equal(mac.Sum(nil), b[len(b)-32:]) {
		t.Fatal("the MAC is not over every byte before it")
	}
	tr := b[len(b)-trailerLen:]
	if binary.BigEndian.Uint64(tr[8:]) != uint64(len(b)-trailerLen) || binary.BigEndian.Uint64(tr) < 4 {
		t.Fatalf("trailer %x", tr[:16])
	}
	// A trailer that lies about the count, MAC made to match (by M's holder): refused.
	lie := bytes.Clone(b)
	binary.BigEndian.PutUint64(lie[len(lie)-trailerLen:], 99)
	mac.Reset()
	mac.Write(lie[:len(lie)-32])
	copy(lie[len(lie)-32:], mac.Sum(nil))
	if _, err := readBytes(lie, secret, nil); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("trailer lying: %v", err)
	}
}

func readBytes(b []byte, s Secret, r *RecoverySecret) (Info, error) {
	info := Info{Size: int64(len(b))}
	raw := &rawReader{r: bytes.NewReader(b), size: int64(len(b)), h: sha256.New()}
	_, err := readStream(raw, &info, readRequest{secret: s, recovery: r, db: discard{}})
	return info, err
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func TestHeaderLayout(t *testing.T) {
	if headerLen != 200 || bodyLen != 182 || boxLen != 107 || offCheck != 180 || offCRC != 196 || trailerLen != 48 {
		t.Fatalf("layout: header %d, body %d, box %d, check at %d, crc at %d", headerLen, bodyLen, boxLen, offCheck, offCRC)
	}
}
