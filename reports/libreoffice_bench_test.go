package reports

import (
	"archive/zip"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The way clerks print forms today is a Word template filled in and turned
// into PDF by an office suite. BenchmarkLibreOfficeFlowSheet measures that
// on this machine, for a one-page 文件阅办单 with the same fields as
// BenchmarkSlip's, so the README can state the ratio. It needs LibreOffice
// (apt-get install libreoffice-writer-nogui) and is skipped without it.

// docxFlowSheet writes a minimal .docx: the flow sheet's title and its
// caption/value table.
func docxFlowSheet(path string, f FlowSheet) error {
	esc := func(s string) string {
		return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
	}
	para := func(text string, size int, center bool) string {
		jc := ""
		if center {
			jc = `<w:jc w:val="center"/>`
		}
		return fmt.Sprintf(`<w:p><w:pPr>%s</w:pPr><w:r><w:rPr><w:sz w:val="%d"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r></w:p>`,
			jc, size, esc(text))
	}
	cell := func(text string, width int) string {
		return fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>%s</w:tc>`, width, para(text, 21, false))
	}
	row := func(height int, cells ...string) string {
		return fmt.Sprintf(`<w:tr><w:trPr><w:trHeight w:val="%d"/></w:trPr>%s</w:tr>`, height, strings.Join(cells, ""))
	}
	c := f.Carrier
	rows := []string{
		row(500, cell("收文号", 1400), cell(c.RegNo, 3600), cell("收文日期", 1400), cell(f.ReceivedOn, 3600)),
		row(500, cell("来文机关", 1400), cell(c.Issuer, 3600), cell("来文号", 1400), cell(c.DocNumber, 3600)),
		row(500, cell("密级", 1400), cell(c.Marking, 3600), cell("缓急", 1400), cell(f.Urgency, 3600)),
		row(800, cell("文件标题", 1400), cell(c.Title, 3600), cell("份数", 1400), cell(c.Count, 3600)),
		row(1900, cell("拟办意见", 1400), cell(f.Proposed, 3600), cell("", 1400), cell("签字：    年  月  日", 3600)),
		row(2700, cell("领导批示", 1400), cell(f.Instructions, 3600), cell("", 1400), cell("签字：    年  月  日", 3600)),
		row(1700, cell("部门意见", 1400), cell(f.DeptOpinion, 3600), cell("", 1400), cell("签字：    年  月  日", 3600)),
		row(1700, cell("办理结果", 1400), cell(f.Result, 3600), cell("", 1400), cell("签字：    年  月  日", 3600)),
	}
	border := `<w:tblBorders><w:top w:val="single" w:sz="4"/><w:left w:val="single" w:sz="4"/><w:bottom w:val="single" w:sz="4"/><w:right w:val="single" w:sz="4"/><w:insideH w:val="single" w:sz="4"/><w:insideV w:val="single" w:sz="4"/></w:tblBorders>`
	body := para(fmt.Sprintf("%06d", f.CopyNo), 24, false) + para(f.Marking, 32, false) + para(f.Urgency, 32, false) +
		para(f.Office+"文件阅办单", 36, true) +
		`<w:tbl><w:tblPr><w:tblW w:w="10000" w:type="dxa"/>` + border + `</w:tblPr>` + strings.Join(rows, "") + `</w:tbl>` +
		`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="850" w:right="850" w:bottom="850" w:left="850"/></w:sectPr>`
	files := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			body + `</w:body></w:document>`,
	}
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	z := zip.NewWriter(out)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		w, err := z.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write([]byte(files[name])); err != nil {
			return err
		}
	}
	if err := z.Close(); err != nil {
		return err
	}
	return out.Close()
}

func BenchmarkLibreOfficeFlowSheet(b *testing.B) {
	soffice, err := exec.LookPath("libreoffice")
	if err != nil {
		b.Skip("libreoffice not installed (apt-get install libreoffice-writer-nogui)")
	}
	dir := b.TempDir()
	f := benchFlowSheet()
	docx := filepath.Join(dir, "flow.docx")
	if err := docxFlowSheet(docx, f); err != nil {
		b.Fatal(err)
	}
	profile := "file://" + filepath.Join(dir, "profile")
	convert := func() {
		cmd := exec.Command(soffice, "-env:UserInstallation="+profile, "--headless", "--convert-to", "pdf",
			"--outdir", dir, docx)
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("libreoffice: %v\n%s", err, out)
		}
	}
	convert() // the first run builds LibreOffice's profile; not counted
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		convert()
	}
	b.StopTimer()
	st, err := os.Stat(filepath.Join(dir, "flow.pdf"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(st.Size()), "bytes/pdf")
}

// benchFlowSheet is the flow sheet both benchmarks print.
func benchFlowSheet() FlowSheet {
	h := sampleHead("阅〔2026〕0007")
	return FlowSheet{Head: h, Carrier: sampleCarrier(), Urgency: "特急", ReceivedOn: "2026-11-02",
		Proposed: "请办公室牵头，拟呈王局长阅示。", Instructions: "同意，请抓紧落实。", DeptOpinion: "已组织学习。",
		Result: "已按要求完成自查并报送。"}
}
