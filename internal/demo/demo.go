// Package demo fills a register with realistic made-up carriers, for trying
// the program, for screenshots and for benchmarks. Everything here is
// invented: the city of 遂安市, the province of 川江省, their units, document
// numbers, titles and people.
//
// The data goes through the same use cases a clerk's registration goes
// through (app.Service.RegisterMany and Void), so every row passes the same
// checks and gets its register number, history line and index entry from
// the service.
package demo

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"secdoc/app"
	"secdoc/models"
)

// ChunkForms is how many registration forms go into one RegisterMany call
// (one transaction).
const ChunkForms = 5000

// Years is how far back the registration dates reach from the service's today.
const Years = 5

// Generate registers exactly n carriers of demo data into svc as the clerk sess, in
// registration order from Years ago up to svc's today, then voids a few of
// them (about 0.3%) as a clerk corrects mistaken registrations. The data
// depends only on n, seed and svc's today: the same arguments give the same
// titles, numbers and dates. progress, if not nil, is called now and then
// with the number of carriers registered so far and n.
//
// Document numbers count per issuer and year from the number of carriers
// already in the register, so generating into a register that already holds
// demo data does not collide with it.
func Generate(svc *app.Service, sess *app.Session, n int, seed int64, progress func(done, total int)) error {
	if n <= 0 {
		return nil
	}
	existing, err := svc.Count(sess, app.Query{})
	if err != nil {
		return fmt.Errorf("demo: count register: %w", err)
	}
	g := newGenerator(svc.Now(), n, seed, int(existing))
	done := 0
	for done < n {
		forms, voids, carriers := g.chunk(done, ChunkForms)
		before := done
		report := func(i, total int) {
			if progress != nil && (i%500 == 0 || i == total) {
				progress(before+g.carriersBefore(i), n)
			}
		}
		got, err := svc.RegisterMany(sess, forms, report)
		if err != nil {
			return fmt.Errorf("demo: register carriers %d–%d: %w", before+1, before+carriers, err)
		}
		if got != carriers {
			return fmt.Errorf("demo: registered %d carriers, expected %d", got, carriers)
		}
		done += carriers
		for _, v := range voids {
			if err := voidOne(svc, sess, v); err != nil {
				return err
			}
		}
		if progress != nil {
			progress(done, n)
		}
	}
	return nil
}

// Forms returns the registration forms Generate would register for n
// carriers into an empty register whose today is now (without the voiding):
// together they make exactly n carriers. For benchmarks of registration.
func Forms(now time.Time, n int, seed int64) []models.CarrierForm {
	g := newGenerator(now, n, seed, 0)
	var out []models.CarrierForm
	for done := 0; done < n; {
		forms, _, carriers := g.chunk(done, ChunkForms)
		out = append(out, forms...)
		done += carriers
	}
	return out
}

// plannedVoid is a registration the demo clerk will void once it is stored.
type plannedVoid struct {
	docNumber string
	copyNo    int
	reason    string
}

func voidOne(svc *app.Service, sess *app.Session, v plannedVoid) error {
	rows, err := svc.Page(sess, app.Query{Keyword: v.docNumber}, 0, 20)
	if err != nil {
		return fmt.Errorf("demo: find %s to void: %w", v.docNumber, err)
	}
	for _, c := range rows {
		if c.DocNumber == v.docNumber && c.CopyNo == v.copyNo && c.State == models.StateInStore {
			if err := svc.Void(sess, c.ID, c.Version, v.reason); err != nil {
				return fmt.Errorf("demo: void %s: %w", c.RegNo, err)
			}
			return nil
		}
	}
	return errors.New("demo: carrier to void not found: " + v.docNumber)
}

// generator draws forms one after another. It is not safe for concurrent use.
type generator struct {
	r        *rand.Rand
	x        *rand.Rand // the marks R20–R22 added, drawn apart so the rest of the demo stays as it was
	n        int
	workdays []time.Time
	// docSeq is the last number given per document-number prefix and year.
	docSeq  map[string]int
	seqBase int
	// sizes holds the carriers of each form of the current chunk, cumulated.
	sizes []int
	// notebooks numbers each custodian's notebooks per year.
	notebooks map[string]int

	issuerTotal float64
}

func newGenerator(now time.Time, n int, seed int64, seqBase int) *generator {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	var days []time.Time
	for d := today.AddDate(-Years, 0, 1); !d.After(today); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			days = append(days, d)
		}
	}
	if len(days) == 0 { // today is a weekend day and Years is 0: register today
		days = append(days, today)
	}
	g := &generator{
		r:         rand.New(rand.NewPCG(uint64(seed), 0x5ec_d0c_de30)),
		x:         rand.New(rand.NewPCG(uint64(seed), 0x5ec_d0c_de31)),
		n:         n,
		workdays:  days,
		docSeq:    map[string]int{},
		seqBase:   seqBase,
		notebooks: map[string]int{},
	}
	for _, is := range issuers {
		g.issuerTotal += is.weight
	}
	return g
}

// carriersBefore is how many carriers the first i forms of the current chunk make.
func (g *generator) carriersBefore(i int) int {
	if i <= 0 {
		return 0
	}
	if i > len(g.sizes) {
		i = len(g.sizes)
	}
	return g.sizes[i-1]
}

// chunk draws up to max forms that together make at most n-done carriers.
func (g *generator) chunk(done, max int) (forms []models.CarrierForm, voids []plannedVoid, carriers int) {
	g.sizes = g.sizes[:0]
	for len(forms) < max && done+carriers < g.n {
		f := g.form(done+carriers, g.n-done-carriers)
		k, _ := strconv.Atoi(f.Copies)
		forms = append(forms, f)
		carriers += k
		g.sizes = append(g.sizes, carriers)
		if f.DocNumber != "" && g.r.IntN(1000) < 3 {
			first, _ := strconv.Atoi(f.CopyNo)
			voids = append(voids, plannedVoid{docNumber: f.DocNumber, copyNo: first + g.r.IntN(k),
				reason: pick(g.r, voidReasons)})
		}
	}
	return forms, voids, carriers
}

// form draws the registration form of the carriers from number at (0-based)
// on; it makes at most left carriers.
func (g *generator) form(at, left int) models.CarrierForm {
	r := g.r
	date := g.workdays[int(int64(at)*int64(len(g.workdays))/int64(g.n))]
	year := date.Year()

	dir := models.DirIncoming
	if r.IntN(100) < 15 {
		dir = models.DirOutgoing
	}
	var is *issuer
	if dir == models.DirOutgoing {
		is = &ownUnit
	} else {
		is = g.pickIssuer()
	}

	level := models.LevelConfidential
	switch p := r.IntN(100); {
	case p < 8:
		level = models.LevelTopSecret
	case p < 40:
		level = models.LevelSecret
	}

	kind := g.pickKind(is, dir)
	custodian := pick(r, custodians)
	topic := g.pickTopic(is)

	f := models.CarrierForm{
		Direction: dir,
		RegDate:   date.Format(models.DateLayout),
		Issuer:    is.name,
		Level:     level,
		TermKind:  models.TermDefault,
		Urgency:   models.UrgencyNormal,
		Kind:      kind,
		Custodian: custodian,
		Location:  pick(r, locations),
	}

	switch kind {
	case models.KindNotebook:
		key := custodian + strconv.Itoa(year)
		g.notebooks[key]++
		f.Title = fmt.Sprintf("涉密工作笔记本（%s %d年第%d本）", custodian, year, g.notebooks[key])
		f.Pages = strconv.Itoa(80 + 20*r.IntN(3))
		f.NeedToKnow = "本人"
	case models.KindDisc, models.KindUSB:
		f.Title = fmt.Sprintf("%d年%s工作资料", g.workYear(date), topic.text)
		if kind == models.KindDisc {
			f.Remarks = "光盘1张，已做密级标识"
		} else {
			f.Remarks = "专用U盘，编号" + fmt.Sprintf("U%03d", 1+r.IntN(60))
		}
		if dir == models.DirIncoming {
			f.DocNumber = g.docNumber(is.prefixes[0], year)
		}
		f.NeedToKnow = pick(r, needToKnow)
	default:
		docKind, title := g.title(is, topic, date, kind)
		f.DocKind = docKind
		f.Title = title
		prefix := pick(r, is.prefixes)
		if kind == models.KindCipherTel || kind == models.KindPlainTel {
			prefix = is.telegram
		} else if docKind == "函" && is.letter != "" {
			prefix = is.letter
		}
		f.DocNumber = g.docNumber(prefix, year)
		f.NeedToKnow = pick(r, needToKnow)
		if kind == models.KindCipherTel || kind == models.KindPlainTel {
			f.Pages = strconv.Itoa(1 + r.IntN(3))
		} else {
			f.Pages = strconv.Itoa(g.pages())
		}
		switch p := r.IntN(100); {
		case p < 3:
			f.Urgency = models.UrgencyExtreme
		case p < 10:
			f.Urgency = models.UrgencyUrgent
		}
		if kind == models.KindCipherTel && f.Urgency == models.UrgencyNormal && r.IntN(2) == 0 {
			f.Urgency = models.UrgencyUrgent
		}
	}

	g.term(&f, date)

	copies := 1
	if kind != models.KindNotebook && r.IntN(100) < 12 {
		copies = 2 + r.IntN(4)
	}
	// The office prints its own documents for distribution: several
	// copies, one of them kept as the 存档份 (R25).
	if dir == models.DirOutgoing && kind == models.KindPaper && copies == 1 && g.x.IntN(100) < 60 {
		copies = 3 + g.x.IntN(5)
	}
	if level == models.LevelTopSecret && copies > 2 {
		copies = 2
	}
	if copies > left {
		copies = left
	}
	first := 1
	if dir == models.DirIncoming && f.DocNumber != "" {
		// Upper units number the copies they send out; this office gets a few of them.
		first = 1 + r.IntN(120)
	}
	f.CopyNo = strconv.Itoa(first)
	f.Copies = strconv.Itoa(copies)
	if f.Remarks == "" && r.IntN(100) < 6 {
		f.Remarks = pick(r, remarks)
	}
	g.lawfulMarks(&f, date)
	return f
}

// lawfulMarks gives a registration what real registers hold besides (R20–
// R22): the 成文日期 of most documents (a few days before they arrive), a
// 明电 that is 非密 or 内部, a few 内部 documents, terms in months, a
// received 秘密 document without a 份号.
func (g *generator) lawfulMarks(f *models.CarrierForm, date time.Time) {
	x := g.x
	paper := f.Kind == models.KindPaper || f.Kind == models.KindCipherTel || f.Kind == models.KindPlainTel
	if paper && x.IntN(100) < 85 {
		back := 0
		if f.Direction == models.DirIncoming {
			back = 1 + x.IntN(12)
		}
		f.DocDate = date.AddDate(0, 0, -back).Format(models.DateLayout)
	}
	// The office fixes an explicit term for what it produces (R24).
	if f.Direction == models.DirOutgoing && f.Level.IsStateSecret() && f.TermKind == models.TermDefault &&
		f.Kind != models.KindPlainTel {
		f.TermKind, f.TermYears = models.TermYears, strconv.Itoa(pick(x, []int{2, 5, f.Level.MaxTermYears()}))
	}
	switch {
	case f.Direction == models.DirOutgoing && f.Kind == models.KindPaper && f.Level == models.LevelConfidential &&
		x.IntN(100) < 20:
		// Much of what an office writes is 工作秘密: 内部, no 定密 (R21).
		f.Level = models.LevelInternal
		f.TermKind, f.TermYears, f.TermMonths = models.TermDefault, "", ""
	case f.Kind == models.KindPlainTel:
		f.Level = models.LevelNonSecret
		if x.IntN(4) == 0 {
			f.Level = models.LevelInternal
		}
		f.TermKind, f.TermYears, f.TermUntil, f.TermCondition = models.TermDefault, "", "", ""
	case f.Kind == models.KindPaper && f.Level == models.LevelConfidential && f.TermKind == models.TermDefault:
		switch p := x.IntN(100); {
		case p < 5:
			f.Level = models.LevelInternal
		case p < 8:
			f.TermKind, f.TermMonths = models.TermMonths, strconv.Itoa(3+3*x.IntN(3))
		case p < 10 && f.Direction == models.DirIncoming && f.Copies == "1":
			f.CopyNo = ""
		}
	}
}

// workYear is the year a report or review speaks of: last year early in the year.
func (g *generator) workYear(date time.Time) int {
	if date.Month() <= time.February {
		return date.Year() - 1
	}
	return date.Year()
}

func (g *generator) pages() int {
	// Mostly short documents; now and then a long plan or report.
	switch p := g.r.IntN(100); {
	case p < 55:
		return 1 + g.r.IntN(6)
	case p < 90:
		return 6 + g.r.IntN(15)
	default:
		return 20 + g.r.IntN(41)
	}
}

// docNumber hands out the next 文号 of prefix in year: 遂安府办发〔2024〕37号.
// Numbers are unique per prefix and year, so no two forms share a 文号.
func (g *generator) docNumber(prefix string, year int) string {
	key := prefix + strconv.Itoa(year)
	n, ok := g.docSeq[key]
	if !ok {
		n = g.seqBase
	}
	n += 1 + g.r.IntN(2) // other offices receive the numbers in between
	g.docSeq[key] = n
	return fmt.Sprintf("%s〔%d〕%d号", prefix, year, n)
}

func (g *generator) term(f *models.CarrierForm, date time.Time) {
	max := f.Level.MaxTermYears()
	switch p := g.r.IntN(100); {
	case p < 80:
		return // statutory maximum
	case p < 94:
		var choices []int
		for _, y := range []int{1, 2, 3, 5, 10, 15, 20, 30} {
			if y <= max {
				choices = append(choices, y)
			}
		}
		f.TermKind = models.TermYears
		f.TermYears = strconv.Itoa(pick(g.r, choices))
	case p < 98:
		// Until the end of a month some years ahead, well within the maximum.
		k := 1 + g.r.IntN(min(max-1, 10))
		d := date.AddDate(k, -g.r.IntN(6), 0)
		end := time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC)
		f.TermKind = models.TermUntil
		f.TermUntil = end.Format(models.DateLayout)
	default:
		f.TermKind = models.TermCondition
		f.TermCondition = pick(g.r, conditions)
	}
}

func (g *generator) pickIssuer() *issuer {
	x := g.r.Float64() * g.issuerTotal
	for i := range issuers {
		x -= issuers[i].weight
		if x < 0 {
			return &issuers[i]
		}
	}
	return &issuers[len(issuers)-1]
}

func (g *generator) pickKind(is *issuer, dir models.Direction) models.CarrierKind {
	p := g.r.IntN(1000)
	switch {
	case p < 50 && is.telegram != "":
		return models.KindCipherTel
	case p >= 50 && p < 70 && is.telegram != "":
		return models.KindPlainTel
	case p >= 70 && p < 90:
		return models.KindDisc
	case p >= 90 && p < 105:
		return models.KindUSB
	case p >= 105 && p < 125 && dir == models.DirOutgoing:
		return models.KindNotebook
	}
	return models.KindPaper
}

func (g *generator) pickTopic(is *issuer) topic {
	// Draw topics until one fits the issuer's line of work; the general ones fit all.
	for range 50 {
		t := topics[g.r.IntN(len(topics))]
		if g.r.Float64()*10 >= t.weight {
			continue
		}
		if t.area == areaGeneral || strings.ContainsRune(is.areas, rune(t.area)) {
			return t
		}
	}
	return topics[0]
}

// title draws a 文种 that suits the issuer's rank and a title of that 文种.
func (g *generator) title(is *issuer, t topic, date time.Time, kind models.CarrierKind) (docKind, title string) {
	var kinds []string
	switch is.rank {
	case rankUpper:
		kinds = []string{"通知", "通知", "通知", "通知", "意见", "意见", "通报", "通报", "批复", "纪要", "决定", "函"}
	case rankPeer:
		kinds = []string{"通知", "通知", "通知", "函", "函", "通报", "报告", "意见", "纪要"}
	case rankLower:
		kinds = []string{"报告", "报告", "报告", "请示", "请示", "请示", "函", "通知"}
	default: // own unit, outgoing
		kinds = []string{"请示", "请示", "报告", "报告", "报告", "通知", "通知", "函", "纪要", "意见"}
	}
	if kind == models.KindCipherTel || kind == models.KindPlainTel {
		kinds = []string{"通知", "通知", "通报"}
	}
	docKind = pick(g.r, kinds)
	tmpl := pick(g.r, titleTemplates[docKind])
	y := date.Year()
	if docKind == "报告" || docKind == "通报" || docKind == "决定" {
		y = g.workYear(date)
	}
	title = strings.NewReplacer("{T}", t.text, "{Y}", strconv.Itoa(y)).Replace(tmpl)
	if (kind == models.KindCipherTel || kind == models.KindPlainTel) && docKind == "通知" && g.r.IntN(2) == 0 {
		title = strings.TrimSuffix(title, "通知") + "紧急通知"
	}
	return docKind, title
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// ---- the invented world ----
