package buildinfo

import (
	"os"
	"strings"
	"testing"
)

// The version has one source: FyneApp.toml, which the packages read, and
// this constant say the same.
func TestVersion_SameAsFyneApp(t *testing.T) {
	b, err := os.ReadFile("../../FyneApp.toml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "\nVersion = \""+Version+"\"\n") {
		t.Fatalf("FyneApp.toml does not say Version = %q", Version)
	}
	if got := ThisBuild().String(); !strings.HasPrefix(got, "secdoc "+Version+" ") {
		t.Fatalf("build line %q", got)
	}
}
