package app_test

import (
	"path/filepath"
	"testing"
	"time"

	"secdoc/app"
	"secdoc/internal/demo"
)

// The year's balance holds on the demo register, every year of it, and the
// statistics agree with the ledger's own counts (R26).
func TestAnnual_R26_DemoRegisterBalances(t *testing.T) {
	t.Setenv("SECDOC_KEY_DIR", t.TempDir())
	svc, err := app.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	svc.Now = func() time.Time { return benchNow }
	if err := svc.SetupDemo(benchPassword); err != nil {
		t.Fatal(err)
	}
	clerk, _, err := svc.SignIn("clerk", benchPassword)
	if err != nil {
		t.Fatal(err)
	}
	sec, _, err := svc.SignIn("secadmin", benchPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Generate(svc, clerk, 800, 20261123, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Workflows(svc, clerk, sec); err != nil {
		t.Fatal(err)
	}
	years, err := svc.Years(clerk)
	if err != nil || len(years) < 5 {
		t.Fatalf("years %v, %v", years, err)
	}
	for _, y := range years {
		r := app.CheckAnnual(t, svc, clerk, y)
		if r.Flow(app.FlowEnd, 0, "") == 0 {
			t.Errorf("%d: nothing held at the end", y)
		}
	}
	app.CheckAnnualLedger(t, svc, clerk, years)
}
