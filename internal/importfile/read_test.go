package importfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Any bytes saved as a .csv are read into a table or refused with a
// Chinese message, never a panic; a table's rows keep their line order
// and every row is as wide as the header or wider.
func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("\ufeff登记日期,文件资料名称,密级,保管人\r\n2026-11-02,关于保密的通知,机密,王敏\r\n"))
	f.Add([]byte("序号;时间;内容\n1;2026-11-02;\"多行\n内容\"\n"))
	f.Add([]byte("\xff\xfe\x31\x00\x2c\x00\x32\x00"))
	f.Add([]byte("\xb5\xc7\xbc\xc7\xc8\xd5\xc6\xda,\xc3\xdc\xbc\xb6\n2026-11-02,\xbb\xfa\xc3\xdc\n"))
	f.Add([]byte{0x80, 0x81, 0xfe, '\n'})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(dir, "f.csv")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		tb, err := ReadImportFile(path, "")
		if err != nil {
			var fe *ImportFileError
			if !errors.As(err, &fe) || fe.Msg == "" {
				t.Fatalf("refused without a message: %v", err)
			}
			return
		}
		last := 0
		for _, r := range tb.Rows {
			if r.Line <= last || r.Line <= tb.HeaderLine {
				t.Fatalf("row line %d after %d (header %d)", r.Line, last, tb.HeaderLine)
			}
			last = r.Line
		}
	})
}
