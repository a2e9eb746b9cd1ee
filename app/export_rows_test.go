package app

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"testing"

	"secdoc/models"
)

// The export reads by keyset the rows Page reads by offset, in the same
// order, for every sort, both ways, with a filter and with a keyword.
func TestExportPages_KeysetInThePagesOrder(t *testing.T) {
	s := newService(t)
	var forms []models.CarrierForm
	for i := 0; i < 14; i++ {
		f := form()
		f.DocNumber = fmt.Sprintf("遂安府办发〔2026〕%d号", 20-i%7)
		f.CopyNo = fmt.Sprint(1 + i/7)
		f.Title = []string{"关于甲的通知", "关于乙的通知", "关于保密的报告"}[i%3]
		f.Issuer = []string{"遂安市委办公室", "遂安市保密局"}[i%2]
		f.Level = []models.Level{models.LevelSecret, models.LevelConfidential, models.LevelTopSecret}[i%3]
		f.RegDate = fmt.Sprintf("2026-11-%02d", 1+i%4)
		if i%5 == 0 {
			f.Copies, f.CopyNo = "2", fmt.Sprintf("%d-%d", 3+i, 4+i)
		}
		forms = append(forms, f)
	}
	if _, err := s.RegisterMany(clerk(t, s), forms, nil); err != nil {
		t.Fatal(err)
	}
	for _, sort := range []SortKey{SortSeq, SortRegDate, SortLevel, SortTitle, SortIssuer, SortDocNumber} {
		for _, asc := range []bool{false, true} {
			for _, q := range []Query{{}, {Levels: []models.Level{models.LevelSecret, models.LevelTopSecret}}, {Keyword: "通知"}} {
				q.Sort, q.Asc = sort, asc
				want, err := s.Page(clerk(t, s), q, 0, 1000)
				if err != nil {
					t.Fatal(err)
				}
				var got []int64
				err = s.eachExportPage(t.Context(), q, 3, func(page []models.Carrier) error {
					for _, c := range page {
						got = append(got, c.Seq)
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				ws := make([]int64, len(want))
				for i, c := range want {
					ws[i] = c.Seq
				}
				if len(ws) == 0 || fmt.Sprint(got) != fmt.Sprint(ws) {
					t.Errorf("%+v: keyset %v, Page %v", q, got, ws)
				}
			}
		}
	}
}

// The chunks compressed side by side make one deflate stream of the data,
// whatever the writes' sizes; an empty stream too.
func TestParallelDeflate_OneStream(t *testing.T) {
	for _, n := range []int{0, 10, deflateChunk, 3*deflateChunk + 12345} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(i*7 + i/1000) // compressible, but not a single run
		}
		var out bytes.Buffer
		d := newParallelDeflate(&out)
		for p := data; len(p) > 0; {
			k := min(len(p), 1+len(p)%70000)
			if _, err := d.Write(p[:k]); err != nil {
				t.Fatal(err)
			}
			p = p[k:]
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		back, err := io.ReadAll(flate.NewReader(&out))
		if err != nil || !bytes.Equal(back, data) {
			t.Fatalf("%d bytes: read back %d, %v", n, len(back), err)
		}
	}
}
