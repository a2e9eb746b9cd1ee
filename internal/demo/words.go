package demo

// The vocabulary of the demo register: its issuers, topics, title
// templates, people, places and remarks, which the generator (demo.go)
// draws from.

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
