package importfile

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"secdoc/models"
)

func TestParseKindsAndDates(t *testing.T) {
	for in, want := range map[string]models.CarrierKind{"纸介质": models.KindPaper, "U盘": models.KindUSB,
		"ｕ盘": models.KindUSB, "密电": models.KindCipherTel, "光盘": models.KindDisc, "U盘/移动存储介质": models.KindUSB} {
		if k, ok := ParseCarrierKind(in); !ok || k != want {
			t.Errorf("kind %q: %q %v", in, k, ok)
		}
	}
	if _, ok := ParseCarrierKind("软盘机"); ok {
		t.Error("unknown kind accepted")
	}
	for in, want := range map[string]string{"46346": "2026-11-20", "46346.5": "2026-11-20"} {
		if d, ok := excelDate(in); !ok || d != want {
			t.Errorf("serial %s: %s %v", in, d, ok)
		}
	}
}

var fuzzToday = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// A row of any cells is read into a form or into problems that each name a
// field and a message, never a panic; a row without problems is a form the
// register's own check accepts.
func FuzzReadRow(f *testing.F) {
	f.Add("2026-01-20", "川委办发〔2026〕9号", "关于年度考核的通知", "秘密★1年", "4", "", "2025-12-01")
	f.Add("2026-02-03", "川府发〔2026〕2号", "关于会议安排的通知", "机密★会议开始前", "2", "000012", "2026-02-01")
	f.Add("2026-02-05", "", "内部明电", "内部", "1", "", "")
	f.Add("2026-02-07", "SM-U-0007", "会议材料", "机密★10年", "8GB", "000001-000003", "2026-02-01")
	f.Add("46346", "x", "y", "绝密*长期", "三页", "1、3", "2026/13/1")
	header := []string{"登记日期", "文号", "文件资料名称", "密级", "页数或容量", "份号", "成文日期", "保管人", "制作发文单位"}
	m := GuessMapping(header)
	f.Fuzz(func(t *testing.T, date, docNo, title, mark, pages, copyNo, docDate string) {
		row := ImportRow{Line: 2, Cells: []string{date, docNo, title, mark, pages, copyNo, docDate, "王敏", "川委办"}}
		form, fields, probs, err := ReadRow(m, row, fuzzToday)
		if err != nil {
			t.Fatalf("check failed: %v", err)
		}
		for _, p := range probs {
			if p.Field == "" || p.Msg == "" || p.Line != 2 || utf8.RuneCountInString(p.Value) > 60 {
				t.Fatalf("problem %+v", p)
			}
		}
		if len(probs) == 0 {
			if _, err := form.Check(fuzzToday); err != nil {
				t.Fatalf("a row without problems whose form is refused: %v", err)
			}
			if fields.Copies < 1 || len(fields.CopyNos) != fields.Copies {
				t.Fatalf("copies %d, numbers %v", fields.Copies, fields.CopyNos)
			}
		}
	})
}

// Any header is mapped without a panic, each column to at most one field
// and each field from at most one column.
func FuzzGuessMapping(f *testing.F) {
	f.Add("登记日期,文号或编号,文件资料名称,密级,份号")
	f.Add("序号,时间,内容,制作发文单位,载体类别,,保管人")
	f.Add("收文日期,收文日期,密级★期限,页数/容量")
	f.Fuzz(func(t *testing.T, line string) {
		header := strings.Split(line, ",")
		m := GuessMapping(header)
		seen := map[int]string{}
		for _, fd := range ImportFields {
			c, ok := m.Column(fd.Key)
			if !ok {
				continue
			}
			if c < 0 || c >= len(header) {
				t.Fatalf("%s mapped to column %d of %d", fd.Key, c, len(header))
			}
			if other, dup := seen[c]; dup {
				t.Fatalf("column %d mapped to %s and %s", c, other, fd.Key)
			}
			seen[c] = fd.Key
		}
	})
}
