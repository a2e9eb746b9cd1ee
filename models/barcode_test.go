package models

import "testing"

func TestBarcodeText_RoundTripsEveryNumberKind(t *testing.T) {
	for _, no := range []string{"收〔2026〕0001", "发〔2025〕12345", "复〔2026〕0002", "阅〔2026〕0003",
		"借〔2026〕0004", "携〔2026〕0005", "销〔2026〕0006", "退〔2026〕0007", "查〔2026〕0008", "交〔2026〕0009"} {
		code := BarcodeText(no)
		for _, r := range code {
			if r > 0x7e {
				t.Fatalf("%s: barcode text %q is not ASCII", no, code)
			}
		}
		if code == "" || code == no {
			t.Fatalf("%s: barcode text %q", no, code)
		}
		back, ok := FromBarcode(code)
		if !ok || back != no {
			t.Errorf("%s → %s → %s (%v)", no, code, back, ok)
		}
	}
	if got := BarcodeText("收〔2026〕0001"); got != "SW2026-0001" {
		t.Errorf("got %q", got)
	}
}

func TestBarcodeText_OtherShapes(t *testing.T) {
	if got := BarcodeText("ABC-123"); got != "ABC-123" {
		t.Errorf("ASCII kept: %q", got)
	}
	if got := BarcodeText("某〔2026〕1"); got != "" {
		t.Errorf("unknown head must give no barcode, got %q", got)
	}
	if _, ok := FromBarcode("ZZ2026-0001"); ok {
		t.Error("an unknown code must not read as a number")
	}
}

func TestNormalizeRegNo_AcceptsScannedTypedAndFullWidth(t *testing.T) {
	for in, want := range map[string]string{
		"SW2026-0001":   "收〔2026〕0001",
		" sw2026-0001 ": "收〔2026〕0001",
		"ＳＷ２０２６－０００１":   "收〔2026〕0001",
		"收[2026]0001":   "收〔2026〕0001",
		"收〔2026〕0001":   "收〔2026〕0001",
	} {
		if got := NormalizeRegNo(in); got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}

func TestSearchMatch_ScannedBarcodeFindsTheRegisterNumber(t *testing.T) {
	want, _ := SearchMatch("收〔2026〕0044")
	for _, in := range []string{"SW2026-0044", "sw2026-0044"} {
		if got, ok := SearchMatch(in); !ok || got != want {
			t.Errorf("%q → %q, want %q", in, got, want)
		}
	}
}
