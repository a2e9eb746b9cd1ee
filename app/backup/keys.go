package backup

import (
	"bytes"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// The labels of the keys derived (see the package's documentation).
const (
	labelCheck = "secdoc-backup v2 key check"
	labelMAC   = "secdoc-backup v2 file mac"
	labelChunk = "secdoc-backup v2 chunk key"
)

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }

// masterKey is M: argon2id of the system administrator's secret. p must
// have passed valid().
func masterKey(secret []byte, p KDFParams, salt []byte) []byte {
	return argon2.IDKey(secret, salt, p.Time, p.MemoryKiB, p.Threads, 32)
}

// adminKeys are the keys M alone gives: the key check's and the file MAC's.
func adminKeys(master, salt []byte) (checkKey, macKey []byte, err error) {
	if checkKey, err = hkdf.Key(sha256.New, master, salt, labelCheck, 32); err != nil {
		return nil, nil, err
	}
	macKey, err = hkdf.Key(sha256.New, master, salt, labelMAC, 32)
	return checkKey, macKey, err
}

// keyCheck is the header's key check: a MAC of every header byte before it.
func keyCheck(checkKey, hdr []byte) []byte {
	m := hmac.New(sha256.New, checkKey)
	m.Write(hdr[:offCheck])
	return m.Sum(nil)[:checkLen]
}

// chunkKey is the key of the chunks: both secrets, bound to the header.
func chunkKey(master, shared, hdr []byte) ([]byte, error) {
	ikm := make([]byte, 0, len(master)+len(shared))
	ikm = append(append(ikm, master...), shared...)
	return hkdf.Key(sha256.New, ikm, hdr[:offCRC], labelChunk, 32)
}

// RecoveryKey is the security officer's recovery key pair, as the program
// keeps it: the public half, and the private half sealed in a box under
// the officer's recovery passphrase.
type RecoveryKey struct {
	Public []byte // the X25519 public key, 32 bytes
	Box    []byte // the recovery box (see the package's documentation), 107 bytes
	ID     string // hex of the first 8 bytes of SHA-256(Public)
}

// RecoverySecret is what the security officer types to read a backup.
type RecoverySecret struct {
	Passphrase string
}

// The recovery box's layout.
const (
	boxVersion   = 1
	boxOffKDF    = 1
	boxOffTime   = 2
	boxOffSalt   = boxOffTime + 9
	boxOffPublic = boxOffSalt + saltLen
	boxOffSealed = boxOffPublic + 32
	boxLen       = boxOffSealed + 32 + tagLen
)

// recoveryBox is a parsed recovery box.
type recoveryBox struct {
	raw    []byte
	kdf    KDFParams
	salt   []byte
	public []byte
	sealed []byte
}

// parseBox checks a recovery box's layout and costs, before any derivation.
func parseBox(b []byte) (*recoveryBox, error) {
	if len(b) != boxLen {
		return nil, badHeader("recovery box of %d bytes", len(b))
	}
	if b[0] != boxVersion || b[boxOffKDF] != kdfArgon2id {
		return nil, badHeader("recovery box version %d, key derivation %d", b[0], b[boxOffKDF])
	}
	box := &recoveryBox{raw: b, kdf: getKDF(b[boxOffTime:]), salt: b[boxOffSalt:boxOffPublic],
		public: b[boxOffPublic:boxOffSealed], sealed: b[boxOffSealed:]}
	if !box.kdf.valid() {
		return nil, badHeader("recovery box's argon2id costs out of bounds %+v", box.kdf)
	}
	return box, nil
}

// boxKey is the key a recovery passphrase gives for the box.
func (b *recoveryBox) key(passphrase string) []byte {
	return argon2.IDKey([]byte(passphrase), b.salt, b.kdf.Time, b.kdf.MemoryKiB, b.kdf.Threads, 32)
}

// open unseals the private key with the recovery passphrase.
func (b *recoveryBox) open(passphrase string) (*ecdh.PrivateKey, error) {
	priv, err := newAEAD(b.key(passphrase)).Open(nil, make([]byte, 12), b.sealed, b.raw[:boxOffSealed])
	if err != nil {
		return nil, ErrWrongRecovery
	}
	k, err := ecdh.X25519().NewPrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("%w: recovery key: %v", ErrCorrupt, err)
	}
	if !bytes.Equal(k.PublicKey().Bytes(), b.public) {
		// Sealed by the passphrase's holder, but not for this public key:
		// not something this program makes.
		return nil, fmt.Errorf("%w: the recovery box's private key does not match its public key", ErrCorrupt)
	}
	return k, nil
}

// NewRecoveryKey makes a new recovery key pair and seals its private half
// under passphrase (which must pass CheckRecoveryPassphrase), with the
// costs RecoveryKDF. The program keeps the RecoveryKey (none of it is
// secret without the passphrase) and gives it to Create.
func NewRecoveryKey(passphrase string) (RecoveryKey, error) {
	if err := CheckRecoveryPassphrase(passphrase); err != nil {
		return RecoveryKey{}, err
	}
	p := RecoveryKDF
	if !p.valid() {
		return RecoveryKey{}, fmt.Errorf("recovery key's argon2id costs out of bounds: %+v", p)
	}
	priv, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return RecoveryKey{}, err
	}
	b := make([]byte, boxOffSealed, boxLen)
	b[0], b[boxOffKDF] = boxVersion, kdfArgon2id
	putKDF(b[boxOffTime:], p)
	if _, err := rand.Read(b[boxOffSalt:boxOffPublic]); err != nil {
		return RecoveryKey{}, err
	}
	pub := priv.PublicKey().Bytes()
	copy(b[boxOffPublic:], pub)
	box := &recoveryBox{raw: b, kdf: p, salt: b[boxOffSalt:boxOffPublic]}
	// Each box has its own salt, hence its own key: a fixed nonce is used once.
	b = newAEAD(box.key(passphrase)).Seal(b, make([]byte, 12), priv.Bytes(), b[:boxOffSealed])
	return RecoveryKey{Public: pub, Box: b, ID: keyID(pub)}, nil
}

// OpenRecovery checks a recovery passphrase against a recovery box, as the
// window does when the security officer types it: nil when it opens the
// box, ErrWrongRecovery when it doesn't, ErrRecoveryKey when the box is
// not one NewRecoveryKey makes.
func OpenRecovery(box []byte, passphrase string) error {
	b, err := parseBox(box)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrRecoveryKey, err.Error())
	}
	if _, err := b.open(passphrase); err != nil {
		if err == ErrWrongRecovery {
			return err
		}
		return fmt.Errorf("%w: %v", ErrRecoveryKey, err.Error())
	}
	return nil
}

// parse checks a recovery key for a new backup: a box this program makes,
// for the public key (and id) given with it.
func (k RecoveryKey) parse() (*recoveryBox, *ecdh.PublicKey, error) {
	b, err := parseBox(k.Box)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrRecoveryKey, err.Error())
	}
	if !bytes.Equal(k.Public, b.public) {
		return nil, nil, fmt.Errorf("%w: the public key is not the box's", ErrRecoveryKey)
	}
	if k.ID != "" && k.ID != keyID(k.Public) {
		return nil, nil, fmt.Errorf("%w: id %q is not the public key's", ErrRecoveryKey, k.ID)
	}
	pub, err := ecdh.X25519().NewPublicKey(k.Public)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", ErrRecoveryKey, err)
	}
	return b, pub, nil
}
