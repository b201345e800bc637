"""Phrasings, places and outlets the corpus generator draws from, written for the project.

Counts are always 3 or more so the Arabic templates can use one plural form (3-10)
and one singular-accusative form (11 and up) without a full agreement engine.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    """A city the gazetteer knows, with its country and (for running tolls) its province."""

    en: str
    ar: str
    country: str
    country_en: str
    country_ar: str
    province_en: str | None = None
    province_ar: str | None = None


PLACES = (
    Place("Aleppo", "حلب", "SY", "Syria", "سوريا", "Aleppo", "حلب"),
    Place("Idlib", "إدلب", "SY", "Syria", "سوريا", "Idlib", "إدلب"),
    Place("Homs", "حمص", "SY", "Syria", "سوريا", "Homs", "حمص"),
    Place("Daraa", "درعا", "SY", "Syria", "سوريا"),
    Place("Raqqa", "الرقة", "SY", "Syria", "سوريا"),
    Place("Mosul", "الموصل", "IQ", "Iraq", "العراق"),
    Place("Kirkuk", "كركوك", "IQ", "Iraq", "العراق"),
    Place("Khan Younis", "خان يونس", "PS", "the Gaza Strip", "قطاع غزة"),
    Place("Rafah", "رفح", "PS", "the Gaza Strip", "قطاع غزة"),
    Place("Taiz", "تعز", "YE", "Yemen", "اليمن", "Taiz", "تعز"),
    Place("Sanaa", "صنعاء", "YE", "Yemen", "اليمن"),
    Place("Hodeidah", "الحديدة", "YE", "Yemen", "اليمن"),
    Place("Marib", "مأرب", "YE", "Yemen", "اليمن", "Marib", "مأرب"),
    Place("Benghazi", "بنغازي", "LY", "Libya", "ليبيا"),
    Place("El Fasher", "الفاشر", "SD", "Sudan", "السودان"),
    Place("Hama", "حماة", "SY", "Syria", "سوريا"),
    Place("Latakia", "اللاذقية", "SY", "Syria", "سوريا"),
    Place("Tartus", "طرطوس", "SY", "Syria", "سوريا"),
    Place("Hasakah", "الحسكة", "SY", "Syria", "سوريا"),
    Place("Qamishli", "القامشلي", "SY", "Syria", "سوريا"),
    Place("Manbij", "منبج", "SY", "Syria", "سوريا"),
    Place("Baghdad", "بغداد", "IQ", "Iraq", "العراق"),
    Place("Fallujah", "الفلوجة", "IQ", "Iraq", "العراق"),
    Place("Ramadi", "الرمادي", "IQ", "Iraq", "العراق"),
    Place("Tikrit", "تكريت", "IQ", "Iraq", "العراق"),
    Place("Erbil", "أربيل", "IQ", "Iraq", "العراق"),
    Place("Aden", "عدن", "YE", "Yemen", "اليمن"),
    Place("Saada", "صعدة", "YE", "Yemen", "اليمن"),
    Place("Sirte", "سرت", "LY", "Libya", "ليبيا"),
    Place("Omdurman", "أم درمان", "SD", "Sudan", "السودان"),
    Place("Nyala", "نيالا", "SD", "Sudan", "السودان"),
    Place("Tyre", "صور", "LB", "Lebanon", "لبنان"),
    Place("Sidon", "صيدا", "LB", "Lebanon", "لبنان"),
    Place("Baalbek", "بعلبك", "LB", "Lebanon", "لبنان"),
    Place("Jabalia", "جباليا", "PS", "the Gaza Strip", "قطاع غزة"),
    Place("Beit Lahia", "بيت لاهيا", "PS", "the Gaza Strip", "قطاع غزة"),
    Place("Jenin", "جنين", "PS", "the West Bank", "الضفة الغربية"),
    Place("Nablus", "نابلس", "PS", "the West Bank", "الضفة الغربية"),
    Place("Tulkarm", "طولكرم", "PS", "the West Bank", "الضفة الغربية"),
)
# Left out on purpose: names the extractor spells differently per language (Basra/Basrah,
# Misrata/Misratah, Derna/Darnah) would make an incident's place name depend on which
# report came first; Khartoum, which the Arabic side places only at country level; and Wad
# Madani and Ibb, after whose Arabic names one phrasing ("... في مدينة إب في اليمن عن مقتل 49")
# also gives a second figure of 1 killed (a figure counted twice); and Deir
# al-Balah, which some English phrasings leave placed at "Gaza Strip" (both reported). A figure
# placed only at province level matches several incidents, and the tie is broken by incident id,
# which depends on arrival order.


@dataclass(frozen=True, slots=True)
class Outlet:
    """A news site: its name, host and language."""

    name: str
    host: str
    lang: str


OUTLETS = (
    Outlet("Daily Ledger", "dailyledger.example", "en"),
    Outlet("Wire Report", "wirereport.example", "en"),
    Outlet("Region Times", "regiontimes.example", "en"),
    Outlet("Morning Dispatch", "morningdispatch.example", "en"),
    Outlet("Frontline Post", "frontlinepost.example", "en"),
    Outlet("الخبر اليوم", "alkhabar-alyawm.example", "ar"),
    Outlet("صدى الأخبار", "sada-news.example", "ar"),
    Outlet("المرصد العربي", "almarsad.example", "ar"),
    Outlet("الوكالة الإخبارية", "newsagency-ar.example", "ar"),
    Outlet("أنباء الشرق", "anbaa-east.example", "ar"),
)
# Sites that only copy other outlets' stories; they never report on their own, so a
# republication never adds a source to an incident whichever copy arrives first.
MIRRORS = (
    Outlet("News Mirror", "newsmirror.example", "en"),
    Outlet("مرآة الأخبار", "mirat-news.example", "ar"),
)

VICTIMS = ("people", "civilians", "children")
# Arabic noun for 3-10 (plural, genitive) and 11+ (singular, accusative).
VICTIMS_AR = {
    "people": ("أشخاص", "شخصا"),
    "civilians": ("مدنيين", "مدنيا"),
    "children": ("أطفال", "طفلا"),
}
EN_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
]

QUALIFIER_EN = {"exact": "", "at_least": "at least ", "more_than": "more than "}
QUALIFIER_AR = {"exact": "", "at_least": "ما لا يقل عن ", "more_than": "أكثر من "}

# {q}: qualifier, {n}: count, {v}: victims, {place}, {country}, {source}
KILLED_EN = (
    "{Q}{n} {v} were killed in an airstrike on a market in {place}, {country}, {source} said.",
    "{Q}{n} {v} were killed when shells hit a residential area of {place}, {country}, according to {source}.",
    "An explosion in {place}, {country}, killed {q}{n} {v}, {source} said.",
    "{Q}{n} {v} died after a strike on a building in {place}, {country}, {source} reported.",
    "{Q}{n} {v} were killed in fighting on the outskirts of {place}, {country}, {source} said.",
    "Shelling of a crowded street in {place}, {country}, killed {q}{n} {v}, {source} said.",
)
INJURED_EN = (
    "{Q}{n} people were wounded when a blast struck a bus station in {place}, {country}, {source} said.",
    "{Q}{n} people were injured in shelling on a neighbourhood of {place}, {country}, according to {source}.",
)
ALSO_INJURED_EN = (
    "{Q}{n} other people were wounded, {source} added.",
    "The attack also wounded {q}{n} people.",
)
SOURCES_EN = (
    "rescue workers",
    "local officials",
    "medics",
    "the civil defence",
    "a monitoring group",
    "hospital sources",
)
TOLL_EN = "A monitoring group said {n} civilians have been killed in {province} province since the start of the year."

KILLED_AR = (
    "قتل {q}{n} {v} في غارة جوية استهدفت سوقا في مدينة {place} في {country}، بحسب {source}.",
    "أسفر قصف على حي سكني في مدينة {place} في {country} عن مقتل {q}{n} {v}، وفق {source}.",
    "لقي {q}{n} {v} حتفهم في انفجار هز مدينة {place} في {country}، حسبما ذكرت {source}.",
    "استشهد {q}{n} {v} في قصف استهدف مدينة {place} في {country}، بحسب {source}.",
)
INJURED_AR = (
    "أصيب {q}{n} {v} بجروح في انفجار استهدف محطة حافلات في مدينة {place} في {country}، بحسب {source}.",
)
ALSO_INJURED_AR = (
    "كما أصيب {q}{n} آخرين بجروح، بحسب {source}.",
    "وأصيب {q}{n} آخرون بجروح متفاوتة.",
)
SOURCES_AR = ("مصادر طبية", "الدفاع المدني", "مسؤولين محليين", "مرصد حقوقي")
TOLL_AR = "وارتفعت حصيلة القتلى المدنيين في محافظة {province} منذ بداية العام إلى {n} قتيلا، بحسب مرصد حقوقي."

# Background without numbers: realistic filler that must never look like a figure.
BACKGROUND_EN = (
    "Residents said the area had been calm in the days before the attack.",
    "Rescue teams were still searching the rubble of several buildings on the evening of the attack.",
    "Hospitals in the area appealed for blood donations and medical supplies.",
    "Witnesses described scenes of panic as families fled the neighbourhood.",
    "Aid agencies have repeatedly warned about the danger to civilians in the region.",
    "No group immediately claimed responsibility for the attack.",
    "Local authorities declared a day of mourning.",
    "The road leading to the area was closed while emergency crews worked.",
)
BACKGROUND_AR = (
    "وقال سكان إن المنطقة كانت تشهد هدوءا نسبيا في الأيام التي سبقت الهجوم.",
    "وواصلت فرق الإنقاذ البحث تحت أنقاض عدد من المباني حتى ساعات المساء.",
    "وناشدت مستشفيات المنطقة المواطنين التبرع بالدم وسط نقص في المستلزمات الطبية.",
    "ووصف شهود عيان حالة من الذعر بين العائلات التي فرت من الحي.",
    "وحذرت منظمات إغاثية مرارا من الخطر الذي يتهدد المدنيين في المنطقة.",
    "ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن.",
    "وأعلنت السلطات المحلية الحداد العام.",
)
COMMENTS_EN = ("May they rest in peace.", "Terrible news, thoughts with the families.", "When will this end?")
COMMENTS_AR = ("رحمهم الله.", "حسبنا الله ونعم الوكيل.", "متى ينتهي هذا؟")
RELATED_EN = ("Markets reopen after holiday", "Weather: rain expected this week", "Football: league results")
RELATED_AR = ("أسعار الذهب اليوم", "حالة الطقس غدا", "نتائج مباريات الدوري")
