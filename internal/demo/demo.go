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

type rank int

const (
	rankUpper rank = iota // province, city party committee and government
	rankPeer              // city departments
	rankLower             // counties, districts, subordinate units
	rankOwn               // this office, for outgoing documents
)

// Areas of work: topics of an area fit issuers that list it.
const (
	areaGeneral  = 'G'
	areaSecrecy  = 'S' // 保密、密码、机要
	areaEmergent = 'E' // 应急、防汛、安全生产
	areaPolice   = 'P' // 公安、政法
	areaEconomy  = 'C' // 发展、财政、统计、国资
	areaParty    = 'O' // 组织、人事、纪检
	areaPublic   = 'H' // 卫生、教育、环境、交通、住建、农业
)

type issuer struct {
	name     string
	prefixes []string // 文号 prefixes of documents
	letter   string   // prefix of 函, if the unit numbers them apart
	telegram string   // prefix of telegrams; "" if the unit sends none
	rank     rank
	areas    string // areas of work besides the general one
	weight   float64
}

// ownUnit is the office this register belongs to (its outgoing documents).
var ownUnit = issuer{name: "遂安市发展和改革委员会", prefixes: []string{"遂发改发", "遂发改办"},
	letter: "遂发改函", rank: rankOwn, areas: "CSE", weight: 1}

var issuers = []issuer{
	{"中共川江省委办公厅", []string{"川委办发"}, "川委办函", "川委办电", rankUpper, "SOEP", 3},
	{"川江省人民政府办公厅", []string{"川政办发"}, "川政办函", "川政办电", rankUpper, "SECHP", 4},
	{"川江省国家保密局", []string{"川保发"}, "川保函", "", rankUpper, "S", 3},
	{"川江省国家密码管理局", []string{"川密发"}, "川密函", "", rankUpper, "S", 1.5},
	{"川江省公安厅", []string{"川公发"}, "", "", rankUpper, "P", 1.5},
	{"川江省应急管理厅", []string{"川应急发"}, "", "", rankUpper, "E", 1.5},
	{"川江省发展和改革委员会", []string{"川发改发"}, "川发改函", "", rankUpper, "C", 2},
	{"中共遂安市委", []string{"遂发"}, "", "遂委电", rankUpper, "SOEP", 3},
	{"中共遂安市委办公室", []string{"遂办发"}, "遂办函", "遂办电", rankUpper, "SOEPC", 6},
	{"遂安市人民政府", []string{"遂安府发"}, "", "遂安府电", rankUpper, "CEHP", 4},
	{"遂安市人民政府办公室", []string{"遂安府办发"}, "遂安府办函", "遂安府办电", rankUpper, "SCEHP", 8},
	{"遂安市国家保密局", []string{"遂保发"}, "遂保函", "", rankUpper, "S", 5},
	{"中共遂安市委机要局", []string{"遂机要发"}, "", "", rankUpper, "S", 2},
	{"中共遂安市委组织部", []string{"遂组发", "遂组通"}, "", "", rankUpper, "O", 2.5},
	{"中共遂安市委宣传部", []string{"遂宣发"}, "", "", rankUpper, "O", 1.5},
	{"中共遂安市纪律检查委员会", []string{"遂纪发"}, "", "", rankUpper, "O", 2},
	{"中共遂安市委政法委员会", []string{"遂政法发"}, "", "", rankUpper, "P", 1.5},
	{"遂安市防汛抗旱指挥部", []string{"遂汛指发"}, "", "遂汛指电", rankUpper, "E", 1.5},
	{"遂安市安全生产委员会", []string{"遂安委发"}, "遂安委办函", "", rankUpper, "E", 1.5},
	{"遂安市公安局", []string{"遂公发", "遂公通"}, "遂公函", "", rankPeer, "P", 4},
	{"遂安市国家安全局", []string{"遂安全发"}, "", "", rankPeer, "PS", 1.5},
	{"遂安市应急管理局", []string{"遂应急发"}, "遂应急函", "", rankPeer, "E", 2.5},
	{"遂安市财政局", []string{"遂财发", "遂财预"}, "遂财函", "", rankPeer, "C", 3},
	{"遂安市人力资源和社会保障局", []string{"遂人社发"}, "遂人社函", "", rankPeer, "O", 1.5},
	{"遂安市自然资源和规划局", []string{"遂自然资源发"}, "", "", rankPeer, "EH", 1.5},
	{"遂安市水利局", []string{"遂水发"}, "遂水函", "", rankPeer, "E", 1.5},
	{"遂安市卫生健康委员会", []string{"遂卫健发"}, "", "", rankPeer, "H", 1.5},
	{"遂安市教育局", []string{"遂教发"}, "", "", rankPeer, "H", 1},
	{"遂安市工业和信息化局", []string{"遂工信发"}, "遂工信函", "", rankPeer, "CS", 2},
	{"遂安市生态环境局", []string{"遂环发"}, "", "", rankPeer, "H", 1},
	{"遂安市交通运输局", []string{"遂交发"}, "", "", rankPeer, "HE", 1},
	{"遂安市住房和城乡建设局", []string{"遂建发"}, "", "", rankPeer, "HE", 1},
	{"遂安市审计局", []string{"遂审发"}, "遂审函", "", rankPeer, "C", 1.5},
	{"遂安市统计局", []string{"遂统发"}, "", "", rankPeer, "C", 1},
	{"遂安市国有资产监督管理委员会", []string{"遂国资发"}, "", "", rankPeer, "C", 1},
	{"遂安市市场监督管理局", []string{"遂市监发"}, "", "", rankPeer, "CH", 1},
	{"遂安市农业农村局", []string{"遂农发"}, "", "", rankPeer, "H", 1},
	{"遂安市气象局", []string{"遂气发"}, "", "", rankPeer, "E", 0.8},
	{"遂安市中级人民法院", []string{"遂中法发"}, "", "", rankPeer, "P", 0.8},
	{"遂安市人民检察院", []string{"遂检发"}, "", "", rankPeer, "P", 0.8},
	{"遂安市人民武装部", []string{"遂武发"}, "", "", rankPeer, "PE", 0.8},
	{"青溪县人民政府", []string{"青政发", "青政办发"}, "青政函", "", rankLower, "CEH", 2},
	{"遂安市云台区人民政府", []string{"云政发"}, "云政函", "", rankLower, "CEH", 1.5},
	{"遂安市能源投资集团有限公司", []string{"遂能投发"}, "", "", rankLower, "CE", 1},
	{"遂安市数据和信息中心", []string{"遂数信发"}, "", "", rankLower, "CS", 0.8},
}

type topic struct {
	text   string
	area   byte
	weight float64 // out of 10: how often it comes up
}

var topics = []topic{
	{"保密自查自评", areaSecrecy, 10},
	{"保密自查", areaSecrecy, 8},
	{"涉密人员管理", areaSecrecy, 8},
	{"定密工作", areaSecrecy, 6},
	{"国家秘密载体管理", areaSecrecy, 7},
	{"涉密计算机清查", areaSecrecy, 5},
	{"保密宣传教育月", areaSecrecy, 4},
	{"保密检查", areaSecrecy, 8},
	{"密码电报管理", areaSecrecy, 4},
	{"国产密码算法应用", areaSecrecy, 3},
	{"商用密码应用安全性评估", areaSecrecy, 2},
	{"涉密会议保密管理", areaSecrecy, 4},
	{"保密要害部门部位管理", areaSecrecy, 3},
	{"涉密文件清退", areaSecrecy, 4},
	{"泄密隐患排查", areaSecrecy, 4},
	{"网络安全等级保护", areaSecrecy, 4},
	{"关键信息基础设施安全保护", areaSecrecy, 2},
	{"防汛抗旱", areaEmergent, 8},
	{"安全生产大检查", areaEmergent, 8},
	{"森林防火", areaEmergent, 5},
	{"地质灾害防治", areaEmergent, 4},
	{"突发事件应急预案修订", areaEmergent, 3},
	{"危险化学品安全专项整治", areaEmergent, 3},
	{"消防安全专项整治", areaEmergent, 4},
	{"汛期值班值守", areaEmergent, 4},
	{"地震应急演练", areaEmergent, 2},
	{"城镇燃气安全排查整治", areaEmergent, 3},
	{"重大活动安全保卫", areaPolice, 6},
	{"社会治安综合治理", areaPolice, 6},
	{"反恐怖防范", areaPolice, 4},
	{"重点人员稳控", areaPolice, 4},
	{"扫黑除恶常态化", areaPolice, 4},
	{"电信网络诈骗防范治理", areaPolice, 4},
	{"边界地区治安联防", areaPolice, 2},
	{"重大项目建设推进", areaEconomy, 7},
	{"财政预算执行", areaEconomy, 5},
	{"政府债务风险防控", areaEconomy, 4},
	{"统计数据质量核查", areaEconomy, 3},
	{"国有企业改革深化提升", areaEconomy, 3},
	{"重点产业链供应链安全", areaEconomy, 3},
	{"粮食安全责任制考核", areaEconomy, 3},
	{"审计发现问题整改", areaEconomy, 4},
	{"能源保供稳价", areaEconomy, 3},
	{"优化营商环境", areaEconomy, 4},
	{"干部选拔任用", areaParty, 5},
	{"领导班子和领导干部考核", areaParty, 4},
	{"党风廉政建设", areaParty, 5},
	{"巡察反馈问题整改", areaParty, 4},
	{"机构改革", areaParty, 3},
	{"意识形态工作责任制", areaParty, 3},
	{"干部人事档案专项审核", areaParty, 2},
	{"公共卫生应急处置", areaPublic, 4},
	{"生态环境保护督察整改", areaPublic, 4},
	{"耕地保护", areaPublic, 3},
	{"乡村振兴", areaPublic, 4},
	{"历史文化名城保护", areaPublic, 1},
	{"重点工作督查督办", areaGeneral, 6},
	{"年度目标责任考核", areaGeneral, 5},
	{"信访维稳", areaGeneral, 5},
	{"突发事件信息报送", areaGeneral, 4},
	{"节假日值班值守", areaGeneral, 4},
	{"档案规范化管理", areaGeneral, 3},
	{"数字政府建设", areaGeneral, 3},
	{"应急物资储备", areaGeneral, 3},
	{"古树名木保护", areaGeneral, 0.05},
}

var titleTemplates = map[string][]string{
	"通知": {
		"关于开展{Y}年{T}工作的通知",
		"关于做好{T}工作的通知",
		"关于印发《{T}工作方案》的通知",
		"关于召开{T}工作会议的通知",
		"关于进一步加强{T}工作的通知",
		"关于{T}有关事项的通知",
	},
	"意见": {
		"关于加强{T}工作的意见",
		"关于进一步做好{T}工作的实施意见",
		"关于{T}的指导意见",
	},
	"报告": {
		"关于{Y}年{T}工作情况的报告",
		"关于{T}工作开展情况的报告",
		"关于{T}有关问题的报告",
	},
	"请示": {
		"关于{T}所需经费的请示",
		"关于申请开展{T}的请示",
		"关于{T}有关事项的请示",
	},
	"批复": {
		"关于同意{T}实施方案的批复",
		"关于{T}有关事项的批复",
	},
	"通报": {
		"关于{Y}年{T}检查情况的通报",
		"关于{T}工作进展情况的通报",
		"关于{T}中发现问题的通报",
	},
	"纪要": {
		"{T}专题会议纪要",
		"{T}工作协调会议纪要",
	},
	"决定": {
		"关于表彰{Y}年度{T}工作先进集体的决定",
		"关于调整{T}工作领导小组成员的决定",
	},
	"函": {
		"关于商请协助做好{T}工作的函",
		"关于{T}有关事项的复函",
	},
}

var custodians = []string{"王敏", "李静", "张伟", "刘洋", "陈晓红", "杨帆", "赵磊", "黄丽华", "周建国", "吴婷", "徐海峰", "孙莉"}

var locations = []string{
	"机要室1号柜", "机要室2号柜", "机要室3号柜", "机要室4号柜", "机要室5号柜", "机要室6号柜",
	"机要室密码柜", "保密室1号柜", "保密室2号柜", "档案室涉密库",
}

var needToKnow = []string{
	"主要领导", "主要领导、分管领导", "领导班子成员", "分管领导、办公室主任", "办公室主任",
	"相关科室负责人", "保密工作领导小组成员", "机要室", "承办科室全体涉密人员", "分管领导、承办科室负责人",
}

var conditions = []string{
	"项目竣工验收后解密", "会议精神公开传达后解密", "正式文件公开印发后解密", "相关案件审结后解密",
	"规划正式公布后解密", "演练结束后解密",
}

var remarks = []string{
	"附件1份", "随文附光盘1张", "原件存档", "领导已阅", "转承办科室办理", "需按期清退", "复印件已收回",
}

var voidReasons = []string{
	"重复登记，以先登记的为准",
	"误将非涉密文件登记为涉密文件",
	"来文误送，已退回来文单位",
	"登记信息有误，原件退回后另行处理",
}
