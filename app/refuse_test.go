package app

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// TestRefusals_EveryUseCaseNamedAndRecorded: every exported use case that
// checks a role records its refusals (defer s.refused), under a Chinese
// name of its own.
func TestRefusals_EveryUseCaseNamedAndRecorded(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	useCase := regexp.MustCompile(`(?m)^func \(s \*Service\) ([A-Z]\w*)\(sess \*Session[^\n]*\{\n((?:.*\n)*?)^}`)
	deferred := regexp.MustCompile(`defer s\.refused\(sess, "(\w+)"`)
	for _, f := range files {
		if regexp.MustCompile(`_test\.go$`).MatchString(f) {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range useCase.FindAllStringSubmatch(string(src), -1) {
			name, body := m[1], m[2]
			checks := regexp.MustCompile(`s\.authorize(Backup)?\(`).MatchString(body)
			d := deferred.FindStringSubmatch(body)
			switch {
			case checks && d == nil:
				t.Errorf("%s: %s checks a role but does not record refusals", f, name)
			case d != nil && d[1] != name:
				t.Errorf("%s: %s records its refusals as %s", f, name, d[1])
			case d != nil && OperationLabels[name] == "":
				t.Errorf("%s: %s has no Chinese name in OperationLabels", f, name)
			}
		}
	}
}
