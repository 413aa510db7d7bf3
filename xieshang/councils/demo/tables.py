"""The raw material of the demo: names, bodies, units and places.

Everything here is fictional: 江南省 and its cities and counties do not
exist, and the people are drawn at random from common surnames and given
names. Only the kinds of things (sectors, parties, departments) are real.
"""

from __future__ import annotations

from dataclasses import dataclass

# One password for every demo account; it passes the password policy
# (≥ 10 characters, three kinds of characters). Printed by `demo_logins`.
DEMO_PASSWORD = "Minghu-2026!"  # noqa: S105 (published on purpose; demo only)

# Fixed seed: the same demo on every machine and every run.
DEMO_SEED = 20260129


@dataclass(frozen=True)
class CouncilSpec:
    slug: str
    name: str
    level: str
    parent: str | None
    place: str  # the place name as used in unit and office names
    term_number: int
    # Fictional address codes for ID numbers of people from this place.
    address_codes: tuple[str, ...]


PROVINCE = CouncilSpec("province", "江南省政协", "province", None, "江南省", 13, ("339900", "339901"))
DEMO_CITY = CouncilSpec(
    "demo-city", "明湖市政协", "city", "province", "明湖市", 14, ("339902", "339903", "339904", "339905")
)
OTHER_CITY = CouncilSpec("yunling", "云岭市政协", "city", "province", "云岭市", 14, ("339920", "339921"))
COUNTIES = (
    CouncilSpec("hudong", "明湖市湖东区政协", "county", "demo-city", "湖东区", 11, ("339906",)),
    CouncilSpec("qingxi", "明湖市清溪县政协", "county", "demo-city", "清溪县", 12, ("339907",)),
    CouncilSpec("songshan", "云岭市松山县政协", "county", "yunling", "松山县", 10, ("339922",)),
)
ALL_COUNCILS = (PROVINCE, DEMO_CITY, OTHER_CITY, *COUNTIES)

# Sectors (界别) of the demo city, in the customary order, with how many
# seats each has (roughly 300 in all).
SECTORS: tuple[tuple[str, int], ...] = (
    ("中国共产党", 22),
    ("民革", 8),
    ("民盟", 10),
    ("民建", 10),
    ("民进", 10),
    ("农工党", 8),
    ("致公党", 6),
    ("九三学社", 8),
    ("无党派人士", 8),
    ("共青团", 6),
    ("工会", 8),
    ("妇联", 8),
    ("青联", 6),
    ("工商联", 16),
    ("科技界", 12),
    ("社科界", 8),
    ("经济界", 20),
    ("农业界", 12),
    ("教育界", 16),
    ("体育界", 6),
    ("新闻出版界", 6),
    ("文化艺术界", 12),
    ("医药卫生界", 16),
    ("对外友好界", 6),
    ("社会福利和社会保障界", 8),
    ("少数民族界", 6),
    ("宗教界", 6),
    ("特邀人士", 12),
)

# Parties and organisations (党派团体). The party sectors seat members of
# that party; other sectors mix CPC members, non-party people and others.
AFFILIATIONS: tuple[str, ...] = (
    "中国共产党",
    "中国国民党革命委员会",
    "中国民主同盟",
    "中国民主建国会",
    "中国民主促进会",
    "中国农工民主党",
    "中国致公党",
    "九三学社",
    "台湾民主自治同盟",
    "无党派人士",
)
PARTY_SECTOR_AFFILIATION = {
    "中国共产党": "中国共产党",
    "民革": "中国国民党革命委员会",
    "民盟": "中国民主同盟",
    "民建": "中国民主建国会",
    "民进": "中国民主促进会",
    "农工党": "中国农工民主党",
    "致公党": "中国致公党",
    "九三学社": "九三学社",
    "无党派人士": "无党派人士",
}

SPECIAL_COMMITTEES: tuple[str, ...] = (
    "提案委员会",
    "经济委员会",
    "人口资源环境委员会",
    "教科卫体委员会",
    "社会和法制委员会",
    "文史和学习委员会",
)

# Handling units (承办单位): name, short name, pinyin code for the liaison login.
HANDLING_UNITS: tuple[tuple[str, str, str], ...] = (
    ("市发展和改革委员会", "市发改委", "fgw"),
    ("市教育局", "市教育局", "jyj"),
    ("市科学技术局", "市科技局", "kjj"),
    ("市公安局", "市公安局", "gaj"),
    ("市民政局", "市民政局", "mzj"),
    ("市司法局", "市司法局", "sfj"),
    ("市财政局", "市财政局", "czj"),
    ("市人力资源和社会保障局", "市人社局", "rsj"),
    ("市自然资源和规划局", "市资规局", "zgj"),
    ("市生态环境局", "市生态环境局", "sthjj"),
    ("市住房和城乡建设局", "市住建局", "zjj"),
    ("市交通运输局", "市交通运输局", "jtj"),
    ("市水利局", "市水利局", "slj"),
    ("市农业农村局", "市农业农村局", "nyncj"),
    ("市商务局", "市商务局", "swj"),
    ("市文化广电旅游局", "市文广旅局", "wglj"),
    ("市卫生健康委员会", "市卫健委", "wjw"),
    ("市应急管理局", "市应急局", "yjj"),
    ("市市场监督管理局", "市市场监管局", "scjgj"),
    ("市城市管理局", "市城管局", "cgj"),
    ("市医疗保障局", "市医保局", "ybj"),
)

# Contact groups (委员联系小组) by area, and supervisor groups (民主监督小组)
# posted to the units named.
CONTACT_GROUPS: tuple[str, ...] = (
    "第一委员联系小组（湖东片区）",
    "第二委员联系小组（湖西片区）",
    "第三委员联系小组（清溪片区）",
    "第四委员联系小组（新城片区）",
    "第五委员联系小组（高新区）",
    "第六委员联系小组（经开区）",
)
SUPERVISED_UNITS: tuple[str, ...] = (
    "市教育局",
    "市生态环境局",
    "市住房和城乡建设局",
    "市卫生健康委员会",
    "市市场监督管理局",
    "市城市管理局",
)
SECTOR_GROUPS: tuple[str, ...] = ("经济界", "教育界", "医药卫生界", "农业界", "文化艺术界")

SURNAMES: tuple[str, ...] = (
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛",
    "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱",
    "严", "覃", "武", "戴", "孔", "汤", "欧阳", "诸葛", "司马",
)  # fmt: skip
GIVEN_MALE: tuple[str, ...] = (
    "伟", "强", "磊", "军", "勇", "杰", "涛", "明", "超", "斌", "辉", "鹏", "华", "飞", "刚",
    "建国", "志强", "海涛", "国平", "文斌", "振华", "立新", "晓东", "俊杰", "宏伟", "永康",
    "德明", "家豪", "子轩", "浩然", "博文", "建华", "卫东", "春生", "正阳", "思远", "宇航",
    "光明", "学军", "庆丰",
)  # fmt: skip
GIVEN_FEMALE: tuple[str, ...] = (
    "芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "婷", "雪", "慧", "颖", "琳", "倩", "洁",
    "秀英", "桂兰", "玉梅", "丽华", "晓红", "海燕", "春梅", "雅琴", "淑贞", "婉清", "思琪",
    "欣怡", "梦瑶", "雨涵", "佳怡", "文静", "美玲", "红梅", "晓燕", "凤英", "翠萍", "丹丹",
    "莉莉", "晶晶", "亚楠",
)  # fmt: skip
# Han majority, as in most eastern cities; the share is roughly realistic.
ETHNICITIES: tuple[tuple[str, int], ...] = (
    ("汉族", 90),
    ("回族", 3),
    ("满族", 2),
    ("畲族", 1),
    ("蒙古族", 1),
    ("壮族", 1),
    ("土家族", 1),
    ("苗族", 1),
)

# Employers and titles by sector; "{place}" becomes the city's name.
EMPLOYERS: dict[str, tuple[str, ...]] = {
    "中国共产党": (
        "{place}委党校 副校长",
        "{place}{district}党工委 书记",
        "{place}国有资产投资集团 党委书记",
    ),
    "工商联": ("{place}{company}有限公司 董事长", "{place}{company}股份有限公司 总经理"),
    "经济界": (
        "{place}{company}有限公司 董事长",
        "中国工商银行{place}分行 副行长",
        "{place}{company}集团 总经理",
        "{place}会计师事务所 主任会计师",
    ),
    "科技界": ("{place}{company}科技有限公司 首席科学家", "{place}科学院 研究员", "明湖大学 教授"),
    "社科界": ("明湖大学 教授", "{place}社会科学院 研究员", "{place}委党校 教授"),
    "农业界": ("{place}农业科学研究院 研究员", "{place}{district}{company}农民专业合作社 理事长"),
    "教育界": (
        "{place}第一中学 校长",
        "{place}实验小学 校长",
        "明湖大学 副教授",
        "{place}职业技术学院 院长",
        "{place}第二中学 高级教师",
    ),
    "体育界": ("{place}体育运动学校 校长", "{place}体育中心 主任"),
    "新闻出版界": ("{place}日报社 副总编辑", "{place}广播电视台 主任记者"),
    "文化艺术界": ("{place}文学艺术界联合会 副主席", "{place}博物馆 馆长", "{place}越剧团 国家一级演员"),
    "医药卫生界": (
        "{place}第一人民医院 主任医师",
        "{place}中医院 院长",
        "{place}妇幼保健院 副院长",
        "{place}疾病预防控制中心 主任",
    ),
    "对外友好界": ("{place}人民对外友好协会 秘书长", "{place}{company}进出口有限公司 总经理"),
    "社会福利和社会保障界": ("{place}慈善总会 副会长", "{place}社会福利院 院长"),
    "少数民族界": ("{place}民族宗教事务局 副局长", "{place}{district}民族中学 校长"),
    "宗教界": ("{place}佛教协会 副会长", "{place}基督教协会 会长"),
    "特邀人士": ("{place}律师事务所 主任", "{place}归国华侨联合会 副主席", "{place}台商协会 会长"),
}
DEFAULT_EMPLOYERS = (
    "{place}{district}人民政府 副区长",
    "{place}律师事务所 合伙人",
    "明湖大学 教授",
    "{place}{company}有限公司 总经理",
    "{place}第一人民医院 副主任医师",
)
DISTRICTS: tuple[str, ...] = ("湖东区", "湖西区", "清溪县", "新城区", "高新区")
COMPANIES: tuple[str, ...] = (
    "湖光", "瑞丰", "远航", "恒通", "华兴", "青禾", "锦程", "明德", "新源", "嘉和", "启明", "安达",
)  # fmt: skip

# Notifications in the demo member's and staff's inboxes: (title, body, read).
MEMBER_MESSAGES: tuple[tuple[str, str, bool], ...] = (
    (
        "关于征集市政协十四届五次会议提案的通知",
        "请各位委员围绕全市中心工作，于12月20日前通过平台提交提案。",
        False,
    ),
    ("市政协委员履职培训班报名通知", "履职培训班定于12月10日在市政协会议中心举办，请在线报名。", False),
    ("您的履职档案已更新", "2026年第三季度履职情况已汇总，请在“我的”中查看。", True),
)
STAFF_MESSAGES: tuple[tuple[str, str, bool], ...] = (
    ("委员信息年度核对提醒", "请于本月底前完成委员通讯信息的年度核对。", False),
    ("市委办公室转来批示件", "关于“加快老旧小区加装电梯”的协商成果已有领导批示，请查收。", False),
)
