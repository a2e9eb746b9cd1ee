package reports

import (
	"bytes"
	"testing"
)

// BenchmarkSlip renders one 文件阅办单 per op and reports the PDF's size.
func BenchmarkSlip(b *testing.B) {
	f := benchFlowSheet() // the same flow sheet BenchmarkLibreOfficeFlowSheet converts
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := RenderFlowSheet(&buf, f, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "pdf-bytes/op")
}

// BenchmarkRegister1000 renders a 涉密文件登记簿 of 1,000 rows per op and
// reports the PDF's size.
func BenchmarkRegister1000(b *testing.B) {
	book := sampleRegisterOf(registerRows(1000))
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := RenderRegister(&buf, book, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "pdf-bytes/op")
}
