"""Who says what: claimer candidates of a sentence, the type of its claim, and the credited source and
outlet that a text names, found by attribution patterns.

Patterns only propose; a reviewer decides. They look for a speaker phrase next to a reporting verb
("X said", "said X", "X told Reuters"), behind "according to" or "citing", unnamed sources ("people
familiar with the matter") and news organisations named in credit lines ("(Reuters) –", "Reuters
reported", "Our standards: Thomson Reuters Trust Principles"). A news organisation is recognised by a
short list of agencies, by a word that names a kind of outlet (Journal, Times, News ...), or by an
abbreviation the text itself defines ("The Wall Street Journal (WSJ)").
"""

import re
from dataclasses import dataclass

from .quotes import Span

# Wire services: the canonical name and the names a text may use for it.
NEWS_AGENCIES = {
    "Reuters": ("Reuters", "Thomson Reuters"),
    "The Associated Press": ("Associated Press", "AP"),
    "Agence France-Presse": ("Agence France-Presse", "Agence France Presse", "AFP"),
    "Bloomberg": ("Bloomberg", "Bloomberg News"),
    "Xinhua": ("Xinhua", "Xinhua News Agency"),
    "TASS": ("TASS", "Tass"),
    "Interfax": ("Interfax",),
    "RIA Novosti": ("RIA Novosti", "RIA"),
    "dpa": ("dpa", "DPA", "Deutsche Presse-Agentur"),
    "ANSA": ("ANSA",),
    "EFE": ("EFE",),
    "Kyodo News": ("Kyodo", "Kyodo News"),
    "Yonhap": ("Yonhap",),
    "Anadolu Agency": ("Anadolu", "Anadolu Agency"),
    "Press Trust of India": ("PTI", "Press Trust of India"),
    "United Press International": ("UPI", "United Press International"),
}
_AGENCY_OF = {alias.casefold(): name for name, aliases in NEWS_AGENCIES.items() for alias in aliases}
# A word that makes a name an outlet's: "The Kyiv Independent", "The Moscow Times", "Fox News".
_OUTLET_WORD = re.compile(
    r"\b(?:Journal|Times|Post|News|Press|Herald|Tribune|Gazette|Guardian|Telegraph|Independent|Observer|Magazine"
    r"|Radio|Television|TV|Network|Broadcasting|Daily|Wire|Chronicle|Economist|Politico|Axios|CNN|BBC|NPR|NBC"
    r"|CBS|ABC|WSJ|NYT|FT|Al Jazeera)\b"
)
# A capitalised name of up to six words ("The Wall Street Journal", "U.S. Secretary of State Antony
# Blinken"), with an abbreviation in brackets after it when the text defines one.
_NAME_WORD = r"[A-Z](?:[\w&'’-]|\.(?=\w))*(?:(?<=\b[A-Z])\.)?"  # "Reuters", "U.S." (a final full stop only after an initial)
_NAME = rf"(?:The[^\S\n]+)?{_NAME_WORD}(?:[^\S\n]+(?:of[^\S\n]+|for[^\S\n]+)?{_NAME_WORD}){{0,5}}"
_DEFINED_ABBREVIATION = re.compile(rf"({_NAME})[^\S\n]+\(([A-Z]{{2,6}})\)")


def _strip_the(name: str) -> str:
    return name[4:] if name.startswith("The ") else name


def abbreviations(text: str) -> dict[str, str]:
    """The outlets' abbreviations that ``text`` defines: ``{"WSJ": "The Wall Street Journal"}``."""
    return {short: long for long, short in _DEFINED_ABBREVIATION.findall(text) if _OUTLET_WORD.search(long)}


def outlet_name(name: str, defined: dict[str, str]) -> tuple[str, bool] | None:
    """The canonical name of the news organisation that ``name`` ends with, and whether it is a wire
    service; None when ``name`` names none. ``defined`` holds the text's own abbreviations."""
    words = name.replace("’", "'").removesuffix("'s").removesuffix("'").split()
    for first in range(len(words)):  # the longest tail first: "China's Xinhua" -> "Xinhua"
        tail = " ".join(words[first:])
        bare = _strip_the(tail)
        abbreviation = re.fullmatch(r"(.+?)\s+\(([A-Z]{2,6})\)", bare)
        if abbreviation:
            bare = _strip_the(abbreviation.group(1))
        if bare.casefold() in _AGENCY_OF:
            return _AGENCY_OF[bare.casefold()], True
        if bare in defined:
            return outlet_name(defined[bare], {}) or (defined[bare], False)
        if _OUTLET_WORD.search(bare) and bare[0].isupper():
            return (tail if tail.startswith("The ") else bare), False
    return None


# ---------------------------------------------------------------------------
# Credited source and outlet
# ---------------------------------------------------------------------------

_COPYRIGHT = re.compile(rf"(?:©|\b[Cc]opyright\b)[^\S\n]*(?:\(c\)[^\S\n]*)?(?:\d{{4}}(?:[^\S\n]*[-–][^\S\n]*\d{{4}})?[^\S\n]+)?(?P<name>{_NAME})")
# (pattern name, regex with a group "name", weight): a credit line that names whose reporting this is.
_CREDITS = [
    ("'(NAME) –' dateline", re.compile(rf"(?m)^[^\S\n]*(?:[A-Z][A-Za-z.,' -]*\s)?(?P<evidence>\((?P<name>{_NAME})\)\s*[-–—])"), 3),
    ("'NAME reported'", re.compile(rf"(?P<name>{_NAME})\s+(?:reported|reports|has reported|first reported)\b"), 1),
    ("'according to NAME'", re.compile(rf"\baccording to\s+(?:(?:an?|the)\s+(?:[\w-]+\s+){{0,3}}?(?:report|story|article|reporting)\s+(?:from|by|in)\s+)?(?P<name>{_NAME})"), 1),
    ("'told NAME'", re.compile(rf"\btold\s+(?P<name>{_NAME})"), 1),
    ("'a NAME source'", re.compile(rf"\b(?:an?|one|two|three|four|five|several)\s+(?P<name>{_NAME})\s+sources?\b|(?P<name2>{_NAME})['’]s?\s+sources\b"), 1),
    ("'citing NAME'", re.compile(rf"\b(?:citing|reported by)\s+(?P<name>{_NAME})"), 1),
    ("'NAME Trust Principles' standards", re.compile(rf"(?P<name>{_NAME})\s+Trust Principles"), 1),
    ("'Copyright NAME'", _COPYRIGHT, 1),  # a wire service's only: another copyright holder publishes this copy
]
# Lines that name the outlet publishing this copy (whatever the name: the line says it is an outlet).
_OUTLET_LINES = [
    ("'NAME news desk' byline", re.compile(rf"(?P<name>{_NAME})\s+(?:news\s*desk|newsroom|staff writers?|editorial (?:team|board))"), "stated"),
    ("'read more ... from NAME' promotion", re.compile(rf"\b(?:[Rr]ead|[Gg]et|[Ss]ee|[Ff]ind)\s+more\b[^.\n]{{0,60}}?\b(?:from|on|at)\s+(?P<name>{_NAME})"), "inferred"),
    ("'Copyright NAME'", _COPYRIGHT, "inferred"),
]


@dataclass(frozen=True)
class Mention:
    """A news organisation named at ``span`` of the text by the pattern ``pattern``."""

    name: str
    agency: bool
    span: Span
    pattern: str
    weight: int = 1


def _named(match: re.Match) -> str:
    groups = match.groupdict()
    return groups["name"] or groups.get("name2")


def credit_mentions(text: str, defined: dict[str, str]) -> list[Mention]:
    """Every news organisation that a credit pattern names, in text order."""
    mentions = []
    for pattern, regex, weight in _CREDITS:
        for match in regex.finditer(text):
            found = outlet_name(_named(match), defined)
            if found is not None and (found[1] or regex is not _COPYRIGHT):
                span = match.span("evidence") if "evidence" in regex.groupindex else match.span()
                mentions.append(Mention(found[0], found[1], span, pattern, weight))
    return sorted(mentions, key=lambda mention: mention.span)


def outlet_mentions(text: str, defined: dict[str, str], credited: set[str]) -> list[tuple[Mention, str]]:
    """Outlets that a byline, a promotion or a copyright line names, each with its basis; a copyright
    line of a wire service or of the credited source names the source, not this copy's publisher."""
    found = []
    for pattern, regex, basis in _OUTLET_LINES:
        for match in regex.finditer(text):
            outlet = outlet_name(match.group("name"), defined) or (match.group("name"), False)
            if not (regex is _COPYRIGHT and (outlet[1] or outlet[0] in credited)):
                found.append((Mention(outlet[0], outlet[1], match.span(), pattern), basis))
    return sorted(found, key=lambda item: item[0].span)


# ---------------------------------------------------------------------------
# Claimers
# ---------------------------------------------------------------------------

_SPEECH = r"(?:said|says|say|told|tells|announced|added|noted|stated|warned|claimed|reported|reports|wrote|confirmed|insisted|explained|argued|acknowledged|denied|cautioned)"
_SPEECH_VERB = re.compile(rf"\b{_SPEECH}\b")
# "said X" after a quotation or a clause: "..., said Kremlin spokesman Dmitry Peskov."
_SAID_NAME = re.compile(rf"[,”\"]\s*(?P<verb>{_SPEECH})\s+(?P<name>(?:the\s+)?(?:[A-Z][\w.'’-]*|spokes\w+|officials?)(?:\s+(?:[A-Z][\w.'’-]*|of|for|spokes\w+|minister|secretary|president|officials?)){{0,7}})")
# Unnamed sources: "people familiar with the matter", "five sources familiar with the matter", "a source close to ..."
_ANONYMOUS = re.compile(
    r"\b(?:(?P<lead>according to|citing)\s+)?"
    r"(?P<name>(?:(?:an?|the|one|two|three|four|five|six|several|some|many|\d+)\s+)?(?:of\s+the\s+)?(?:[\w'’-]+\s+)?"
    r"(?:people|sources?|officials?|persons?|diplomats?|insiders?)\s+(?:familiar\s+with|briefed\s+on|close\s+to|with\s+knowledge\s+of)\s+the\s+(?:matter|situation|plans?|talks|discussions|issue|negotiations|thinking))"
    r"(?:\s+(?P<verb>said|say|says|told\s+\w+))?",
    re.IGNORECASE,
)
_ACCORDING_TO = re.compile(rf"\baccording to\s+(?:(?:an?|the)\s+(?:[\w-]+\s+){{0,3}}?(?:report|statement|story|article)s?\s+(?:from|by|in|of)\s+)?(?P<name>(?:the\s+)?{_NAME})")

_TOKEN = re.compile(r"[\w.'’&-]+")
# Lower-case words that belong to a speaker's description: "Kremlin spokesman Dmitry Peskov", "A Reuters source".
ROLE_WORDS = frozenset(
    "spokesman spokeswoman spokesperson president minister secretary chief leader official officials source sources "
    "people diplomat diplomats envoy ambassador adviser advisor aide aides director chairman chairwoman head analyst "
    "analysts expert experts officer commander lawmaker lawmakers senator governor mayor ministry government police "
    "prosecutors investigators residents witnesses party company deputy foreign prime state defense defence press top "
    "general spokespeople representative representatives finance interior economy health justice trade energy "
    "security military senior former vice".split()
)
_PERSON_ROLES = frozenset(
    "spokesman spokeswoman spokesperson president minister secretary chief leader official diplomat envoy ambassador "
    "adviser advisor aide director chairman chairwoman head analyst expert officer commander lawmaker senator governor "
    "mayor deputy representative general".split()
)
_DETERMINERS = frozenset("a an the one two three four five six seven eight nine ten several some many".split())
_CONNECTORS = frozenset(("of", "for", "and"))
# Capitalised words that open a clause rather than a name.
_NOT_NAMES = frozenset(
    "on in at but and when last since after before while meanwhile still however also as if so then yet although though "
    "because during from with without by to for of that this these those it its he she they we i you his her their our "
    "there here what who which where why how monday tuesday wednesday thursday friday saturday sunday january february "
    "march april may june july august september october november december".split()
)
# Words between a speaker and the verb: "A Reuters source now says", "Putin has said".
_BETWEEN = frozenset("now also previously later recently earlier has have had already again reportedly".split())
_ANONYMOUS_WORDS = re.compile(r"\b(?:sources?|people|persons|insiders|officials|diplomats)\b", re.IGNORECASE)
_ORGANIZATION_WORDS = re.compile(
    r"\b(?:Kremlin|Ministry|Government|government|White House|Pentagon|Department|Office|Council|Committee|Commission"
    r"|Party|Army|Military|Police|police|Court|Parliament|Congress|Senate|Bank|Embassy|Agency|Company|Inc|Corp"
    r"|Ltd|NATO|UN|EU|United Nations|European Union|Union|Administration|Cabinet|Presidency|United States|United Kingdom)\b|\bU\.[SK]\."
)


@dataclass(frozen=True)
class Claimer:
    """A claimer candidate: its name as the text gives it, its kind and basis, its evidence (offsets in
    the sentence searched, until ``propose_article`` makes them the text's) and the pattern that found it."""

    name: str
    kind: str
    basis: str
    evidence: tuple[Span, ...]
    pattern: str


def claimer_kind(name: str, defined: dict[str, str]) -> str:
    """The claimer kind a speaker phrase suggests."""
    outlet = outlet_name(name, defined)
    if outlet is not None:
        return "news_agency" if outlet[1] else "other_outlet"
    words = {word.lower() for word in _TOKEN.findall(name)}
    if _ANONYMOUS_WORDS.search(name) and not words & _PERSON_ROLES:
        return "anonymous_sources"
    if _ORGANIZATION_WORDS.search(name) and not words & _PERSON_ROLES:
        return "organization"
    return "named_person"


def _speaker_before(sentence: str, end: int) -> Span | None:
    """The speaker phrase that ends just before ``end`` (a reporting verb), read backwards over names,
    role words and connectors up to a determiner or punctuation; None when there is none."""
    tokens = list(_TOKEN.finditer(sentence, 0, end))
    kept, limit = [], end
    for token in reversed(tokens):
        word, lower = token.group(), token.group().lower()
        if sentence[token.end() : limit].strip():  # punctuation between: the phrase ends here
            break
        if not kept and lower in _BETWEEN:
            limit = token.start()
            continue
        if lower in _DETERMINERS and kept:
            kept.append(token)
            break
        if (word[0].isupper() and lower not in _NOT_NAMES) or lower in ROLE_WORDS or (lower in _CONNECTORS and kept):
            kept.append(token)
            limit = token.start()
            if len(kept) == 8:
                break
            continue
        break
    while kept and kept[-1].group().lower() in _CONNECTORS:
        kept.pop()
    if not kept:
        return None
    head = kept[0].group()
    if not (head[0].isupper() or head.lower() in ROLE_WORDS):
        return None
    return kept[-1].start(), kept[0].end()


def _trimmed_name(sentence: str, start: int, end: int) -> Span:
    """``(start, end)`` without trailing connectors or punctuation ("Peskov." -> "Peskov")."""
    name = sentence[start:end]
    stripped = re.sub(r"(?:\s+(?:of|for|and|the))+$", "", name).rstrip(".,;:")
    return start, start + len(stripped)


def _inside(found: list[Claimer], at: int) -> bool:
    """Whether offset ``at`` lies in the evidence of a candidate already found (a phrase is found once)."""
    return any(start <= at < end for claimer in found for start, end in claimer.evidence)


def claimer_candidates(sentence: str, defined: dict[str, str]) -> list[Claimer]:
    """Every claimer candidate of ``sentence`` that an attribution pattern finds, in text order."""
    found: list[Claimer] = []
    for match in _ANONYMOUS.finditer(sentence):
        if not (match.group("lead") or match.group("verb")):
            continue  # sources mentioned, not cited: "The sources familiar with the matter declined to be identified"
        evidence = match.span()
        pattern = f"'{match.group('lead').lower()} X'" if match.group("lead") else "'X said'"
        found.append(Claimer(match.group("name"), "anonymous_sources", "stated", (evidence,), f"{pattern}, unnamed sources"))
    for match in _ACCORDING_TO.finditer(sentence):
        start, end = _trimmed_name(sentence, *match.span("name"))
        if not _inside(found, start):
            name = sentence[start:end]
            found.append(Claimer(name, claimer_kind(name, defined), "stated", ((match.start(), end),), "'according to X'"))
    for match in _SPEECH_VERB.finditer(sentence):
        speaker = _speaker_before(sentence, match.start())
        if speaker is None or _inside(found, speaker[0]):
            continue
        name = sentence[speaker[0] : speaker[1]]
        evidence_end = match.end()
        told = re.match(rf"\s+(?:{_NAME}(?:\s+\([A-Z]{{2,6}}\))?|reporters|journalists)", sentence[match.end() :]) if match.group() in ("told", "tells") else None
        if told:
            evidence_end += told.end()
        found.append(Claimer(name, claimer_kind(name, defined), "stated", ((speaker[0], evidence_end),), f"'X {match.group()}'"))
    for match in _SAID_NAME.finditer(sentence):
        start, end = _trimmed_name(sentence, *match.span("name"))
        if end > start and not _inside(found, start):
            name = sentence[start:end]
            found.append(Claimer(name, claimer_kind(name, defined), "stated", ((match.start("verb"), end),), "'said X'"))
    return sorted(found, key=lambda claimer: claimer.evidence[0])


# The speaker of a claim rather than the outlet that relays it: "Putin announced ..., Reuters reported".
_PREFERENCE = {"anonymous_sources": 0, "named_person": 1, "organization": 1, "news_agency": 2, "other_outlet": 2}


def best_claimer(candidates: list[Claimer]) -> Claimer | None:
    """The candidate to propose: a speaker before a relaying outlet, then the first in the sentence."""
    return min(candidates, key=lambda c: (_PREFERENCE[c.kind], c.evidence[0]), default=None)


# ---------------------------------------------------------------------------
# Claim types
# ---------------------------------------------------------------------------

# A quotation of at least three words: words given in quotation marks (a scare-quoted term is not one).
_QUOTATION = re.compile(r"[“\"]([^”\"]+)[”\"]")
_NO_COMMENT = re.compile(
    r"\b(?:declined to (?:comment|discuss)|(?:did not|didn't|does not|doesn't) (?:immediately )?(?:respond|reply|return|comment|confirm)"
    r"|would not (?:discuss|comment|confirm)|no comment|nothing to say|(?:neither|not) confirm(?:ed)? nor den(?:y|ied)|refused to comment)\b",
    re.IGNORECASE,
)
_PLAN = re.compile(
    r"\b(?:will|won't|(?:plans?|planned|planning|expected|expects|intends?|intended|set|scheduled|preparing|is|are|going) to"
    r"|forecasts?|could take place|as soon as|as early as|next (?:week|month|year))\b",
    re.IGNORECASE,
)


def has_quotation(sentence: str) -> bool:
    return any(len(_TOKEN.findall(quoted)) >= 3 for quoted in _QUOTATION.findall(sentence))


def claim_type(sentence: str, attributed: bool) -> tuple[str, str]:
    """The claim type a sentence suggests, with the rule that chose it. What is claimed decides before
    who claims it: "Xi plans to visit ..., sources said" is a plan (reported by sources), as the reviewed
    types of our five articles have it (with the attribution first, far fewer proposed types agree:
    scripts/proposal-quality)."""
    if has_quotation(sentence):
        return "direct_quote", "quotation of 3+ words"
    if _NO_COMMENT.search(sentence):
        return "no_comment", "declined or did not respond"
    if _PLAN.search(sentence):
        return "plan_or_forecast", "will/plans to/expected to"
    if attributed:
        return "reported_statement", "attributed"
    return "characterization", "default (no other rule)"
