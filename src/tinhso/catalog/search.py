"""Procedure search: diacritics-insensitive, tolerant of a typo or a missing word, ranked.

How it works (docs/catalog.md, "Tìm kiếm"):

1. Every procedure stores ``search_text``: the folded words of its current name, its keyword
   phrases (other names people use), then of its code, sector and agencies (``core.text.fold``:
   no diacritics, đ → d, lower case).
2. A query is folded and split into words. Each word is *expanded* against the catalogue
   vocabulary (``SearchWord``): the word itself, the words it starts (3+ letters) and the words
   one typo away (Damerau distance 1: one letter added, dropped, changed or two swapped). A word
   typed without its spaces ("dangky", "khaisinh") is split back into catalogue syllables; when it
   splits more than one way ("thuchien": thu chien / thuc hien) every reading is searched at once
   and a procedure ranks by the reading that suits it best (pieces of two letters or more; the
   readings share a budget of ``MAX_LIKE_PATTERNS``, past which only the first is searched, so a
   query cannot multiply the SQL). Splitting the query, rather than
   storing a space-less copy of ``search_text``, keeps the word boundaries the ranking relies on,
   ranks a glued query exactly like the spaced one, and needs no second index: it is Python on
   the cached vocabulary, so both databases answer alike.
3. Retrieval is one SQL query: per query word, ``search_text LIKE '%w%'`` OR-ed over the word and
   its typo expansions; the groups are AND-ed: every word must match. When nothing does, the
   query is tried again with every word expanded, then (three words or more) with one word
   allowed to be missing. On PostgreSQL the GIN ``gin_trgm_ops`` index on
   ``search_text`` serves it; on SQLite it is a scan. The SQL is the same, so both return the
   same candidates.
4. Candidates are scored in Python (the same code on both databases), so rankings are identical:
   exact name → phrase in the name → every word in the name → the words in a row allowing
   prefixes and typos → every word allowing prefixes and typos → all words but one (on the
   tolerant try only) → words found only in the other fields. Within a category: more words
   matched, then the shortest stretch of the name holding them, then more exact words; then
   popularity, then Vietnamese collation of the name (``name_rank``).

Every match of a query word (exact, prefix or typo) implies one of that word's ``LIKE`` patterns,
and every category needs as many matched words as the SQL asks for, so step 3 never loses a
result that step 4 would rank.
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice, product

from tinhso.core.text import fold, sort_key

WORD = re.compile(r"[a-z0-9]+")
PART_SEPARATOR = "|"  # between name, keywords and the other fields
PHRASE_SEPARATOR = "/"  # between keyword phrases
MAX_WORD_LENGTH = 64
MAX_QUERY_WORDS = 8
MAX_SPLITS = 4  # readings of one glued word ("congan": cong an, con gan, co ngan)
MIN_PIECE = 2  # letters in a piece of a glued word (Vocabulary.splits)
MAX_READINGS = 8  # readings of a whole query (the product over its glued words)
# LIKE patterns the retrieval SQL may hold over all the readings of a query (``Query.like_count``).
# The first reading is always searched, whatever its size; the next ones only while they fit.
# A typical query needs 4 to 20 on the strict try, 15 to 70 expanded; before this bound, eight
# glued words that each split several ways needed over a thousand on the tolerant try.
MAX_LIKE_PATTERNS = 120
_NAME_PREFIX = "thu tuc "  # "Thủ tục đăng ký khai sinh" is the procedure "Đăng ký khai sinh"
_CODE = re.compile(r"\d\.\d{6}")

# Rank categories, best first.
EXACT_NAME = 0
PHRASE_IN_NAME = 1
ALL_WORDS_IN_NAME = 2
FUZZY_PHRASE = 3
ALL_WORDS_FUZZY = 4
MOST_WORDS_IN_NAME = 5
OTHER_FIELDS = 6

EXACT, PREFIX, TYPO = 3, 2, 1


# sort_key costs ~0.3 ms per name; names rarely change, so a long-lived process pays once.
collation_key = lru_cache(maxsize=50_000)(sort_key)


def name_for_sorting(name: str) -> str:
    """Names sort without the leading "Thủ tục" many national names carry."""
    trimmed = re.sub(r"^\s*thủ tục\s+", "", name or "", flags=re.IGNORECASE)
    return trimmed or name or ""


def words(text: str | None) -> list[str]:
    """Folded words of ``text``: what both the stored document and a query are made of.

    "y" is read as "i": Vietnamese spells the same syllable both ways (kỹ/kĩ, lý/lí, quý/quí),
    and people type "dang ki" for "đăng ký".
    """
    return WORD.findall(fold(text).replace("y", "i"))


def search_document(*, name: str, keywords: list[str], others: list[str]) -> str:
    """The stored ``search_text``: ``name words | keyword phrase / keyword phrase | other words``.

    Keywords are the names people actually search by ("giấy xác nhận độc thân"), so they rank
    like the name; code, sector and agencies rank below.
    """
    phrases = f" {PHRASE_SEPARATOR} ".join(" ".join(words(k)) for k in keywords if words(k))
    rest = " ".join(" ".join(words(value)) for value in others if value)
    return f"{' '.join(words(name))} {PART_SEPARATOR} {phrases} {PART_SEPARATOR} {rest}"


def document_parts(search_text: str) -> tuple[str, list[str], str]:
    """(name words, keyword phrases, other words) of a stored ``search_text``."""
    name, _, rest = search_text.partition(PART_SEPARATOR)
    keywords, _, others = rest.partition(PART_SEPARATOR)
    phrases = [p.strip() for p in keywords.split(PHRASE_SEPARATOR) if p.strip()]
    return name.strip(), phrases, others.strip()


def within_one_edit(a: str, b: str) -> bool:
    """Damerau–Levenshtein distance between ``a`` and ``b`` is at most 1."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diffs = [i for i in range(la) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    if la > lb:
        a, b = b, a
    # b is a with one extra character
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Vocabulary:
    """The catalogue's words with a deletion index (SymSpell) for one-typo lookups."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.sorted: list[str] = []
        self._by_delete: dict[str, set[str]] = {}

    def add(self, new_words) -> None:
        added = [w for w in new_words if w and w not in self.words]
        if not added:
            return
        for word in added:
            self.words.add(word)
            for variant in _deletes(word) | {word}:
                self._by_delete.setdefault(variant, set()).add(word)
        self.sorted = sorted(self.words)

    def prefixed(self, prefix: str) -> set[str]:
        start = bisect.bisect_left(self.sorted, prefix)
        found = set()
        for word in self.sorted[start:]:
            if not word.startswith(prefix):
                break
            found.add(word)
        return found

    def splits(self, word: str) -> list[tuple[str, ...]]:
        """The ways to cut ``word`` into the fewest catalogue words (at most ``MAX_SPLITS`` ways).

        Phones make people glue syllables ("dangky khaisinh"). Vietnamese writes every syllable as
        a word, so a glued word is a run of catalogue words; only the readings with the fewest
        pieces are kept, because more pieces means shorter, likelier accidental syllables
        ("b an an" for "banan"). When no reading uses whole words, the last piece may be the start
        of a word (3+ letters), as a typed word may: "khaisin" → khai sin(h).

        Pieces have two letters or more: the vocabulary holds every letter ("điểm a", "tia X"), and
        one-letter pieces would read any gibberish ("xxxxxxxxx", "thuchienx" → thuc hien x) as
        words, one of them a ``LIKE '%x%'`` that matches half the catalogue. The price: "nhao" is
        not read as "nhà ở" (type "nha o"). A reading of one syllable repeated ("an an an") is
        dropped too: the query words are de-duplicated, so it would search a single short word.
        """
        if not word.isalpha() or len(word) < 2 or len(word) > MAX_WORD_LENGTH:
            return []
        found = self._split(word, partial_end=False) or self._split(word, partial_end=True)
        return found[:MAX_SPLITS]

    def _split(self, word: str, *, partial_end: bool) -> list[tuple[str, ...]]:
        n = len(word)
        # fewest[i]: fewest pieces covering word[i:], None when it cannot be covered
        fewest: list[int | None] = [None] * n + [0]
        for i in range(n - 1, -1, -1):
            for j in range(i + MIN_PIECE, n + 1):
                piece = word[i:j]
                whole = piece in self.words
                start = partial_end and j == n and len(piece) >= 3 and bool(self.prefixed(piece))
                if (whole or start) and fewest[j] is not None:
                    count = fewest[j] + 1
                    if fewest[i] is None or count < fewest[i]:
                        fewest[i] = count
        if fewest[0] is None or fewest[0] < 2:
            return []
        readings: list[tuple[str, ...]] = []

        def walk(i: int, pieces: tuple[str, ...]) -> None:
            if len(readings) >= MAX_SPLITS:
                return
            if i == n:
                if len(set(pieces)) > 1:  # not one syllable repeated
                    readings.append(pieces)
                return
            # longer first pieces first: codas (c, ch, n, ng, nh, t) end a syllable more often
            # than they start the next one, so the usual reading comes first
            for j in range(n, i + MIN_PIECE - 1, -1):
                piece = word[i:j]
                whole = piece in self.words
                start = partial_end and j == n and len(piece) >= 3 and bool(self.prefixed(piece))
                if (whole or start) and fewest[j] is not None and fewest[j] + 1 == fewest[i]:
                    walk(j, (*pieces, piece))

        walk(0, ())
        return readings

    def typos(self, word: str) -> set[str]:
        """Catalogue words one edit away from ``word`` (not ``word`` itself).

        Only for words of four letters or more: a one-letter change turns most Vietnamese
        syllables of two or three letters into another real one (tau → thu, tru), so short
        words match exactly or as a prefix only.
        """
        if len(word) < 4:
            return set()
        candidates: set[str] = set()
        for variant in _deletes(word) | {word}:
            candidates |= self._by_delete.get(variant, set())
        return {w for w in candidates if w != word and within_one_edit(word, w)}


def _minimal(patterns: set[str]) -> list[str]:
    """Drop patterns that contain a shorter one: they add nothing to an OR of LIKEs."""
    kept: list[str] = []
    for pattern in sorted(patterns, key=len):
        if not any(shorter in pattern for shorter in kept):
            kept.append(pattern)
    return sorted(kept)


@dataclass
class QueryWord:
    text: str
    anchor: bool
    prefixes: frozenset[str] = field(default_factory=frozenset)
    typos: frozenset[str] = field(default_factory=frozenset)
    accepts: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.accepts = self.prefixes | self.typos | {self.text}

    @property
    def patterns(self) -> list[str]:
        """Substrings one of which a matching document contains: the word (exact and prefix
        matches contain it) and each typo expansion."""
        return _minimal({self.text} | set(self.typos))

    def match(self, doc_words: set[str]) -> int:
        if self.text in doc_words:
            return EXACT
        if self.prefixes and not doc_words.isdisjoint(self.prefixes):
            return PREFIX
        if self.typos and not doc_words.isdisjoint(self.typos):
            return TYPO
        return 0


@dataclass
class Query:
    text: str
    words: list[QueryWord]
    code: str = ""  # set when the whole query is a procedure code such as 1.001193
    expanded_all: bool = False  # every word of every reading was given its typo expansions
    missing_allowed: int = 0  # 1 on the last, most tolerant try of a query of three words or more
    # Other readings of glued words ("thuchien": this one is "thuc hien", another "thu chien").
    alternatives: list[Query] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.words

    @property
    def readings(self) -> list[Query]:
        """This reading and the alternatives: a procedure matches when one of them does."""
        return [self, *self.alternatives]

    @property
    def required(self) -> int:
        """How many query words a result must match (somewhere)."""
        return len(self.words) - self.missing_allowed

    @property
    def groups(self) -> list[list[str]]:
        """Per query word, the LIKE patterns; a result holds at least ``required`` groups."""
        return [w.patterns for w in self.words]

    @property
    def like_count(self) -> int:
        """``LIKE`` conditions in this reading's retrieval SQL (``selectors._reading_retrieval``):
        each group once, or — one word allowed missing — each group in all but one of the
        ``n`` ways to leave a word out."""
        patterns = sum(len(group) for group in self.groups)
        if self.required >= len(self.words):
            return patterns
        return patterns * (len(self.words) - 1)


def _token_readings(token: str, vocabulary: Vocabulary) -> list[tuple[str, ...]]:
    """The ways to read one typed word: as it is, or — glued syllables — as catalogue words.

    A word the catalogue holds, or the start of one (a word being typed: "sin"), is read as typed.
    Any other word may be glued syllables ("khaisinh"); when it is also a typo away from a
    catalogue word ("chian": chi an, or a typo of chien), both readings are kept and the catalogue
    decides: a procedure ranks by the reading that suits it best.
    """
    if token in vocabulary.words or len(token) < 3 or vocabulary.prefixed(token):
        return [(token,)]
    splits = vocabulary.splits(token)
    if not splits:
        return [(token,)]
    return [(token,), *splits] if vocabulary.typos(token) else splits


def query_parse(
    q: str | None, vocabulary: Vocabulary, *, expand_all: bool = False, allow_missing: bool = False
) -> Query:
    """Fold, split and expand a query (at most ``MAX_QUERY_WORDS`` words are used).

    A word the catalogue contains is taken as typed: most one-letter variants of a Vietnamese
    syllable are other real syllables (dang, dong, dung, danh), and expanding them would flood
    the results. Unknown words get their typo expansions; ``expand_all`` (the selector's second
    try when nothing matched) expands every word. Glued syllables are split back into words
    (``Vocabulary.splits``), so "dangky khaisinh" is searched, and ranked, as "dang ki khai sinh";
    a word that splits several ways gives the query several readings (``Query.alternatives``).
    """
    # A word typed twice is one word (every reading drops repeats anyway), and its readings must
    # not multiply: "thuchien thuchien" would otherwise read four ways, two of them mixes.
    tokens = list(dict.fromkeys(words(q)))
    # Typed words beyond a few times the limit cannot make it into a reading: skip their splitting.
    options = [_token_readings(token, vocabulary) for token in tokens[: 4 * MAX_QUERY_WORDS]]
    raw = (q or "").strip()
    code = raw if _CODE.fullmatch(raw) else ""
    readings: list[Query] = []
    seen: set[str] = set()
    budget = MAX_LIKE_PATTERNS
    # islice bounds the work when many choices repeat an earlier reading.
    for choice in islice(product(*options), 4 * MAX_READINGS):
        reading = _reading([w for piece in choice for w in piece], vocabulary, code=code, expand_all=expand_all,
                           allow_missing=allow_missing)
        if reading.text in seen:  # "ban an ba nan banan": both ways to read "banan" add nothing
            continue
        # The first reading is searched whatever it costs: it costs what the same words typed
        # with spaces would. Another only within the budget, so SQL and ranking stay bounded. On
        # the tolerant try a reading costs n - 1 times as much: fewer readings fit.
        if readings and reading.like_count > budget:
            break
        seen.add(reading.text)
        budget -= reading.like_count
        readings.append(reading)
        if len(readings) == MAX_READINGS:
            break
    first, *others = readings
    first.alternatives = others
    fully_expanded = all(r.expanded_all for r in readings)
    for reading in readings:
        reading.expanded_all = fully_expanded
    return first


def _reading(
    raw_tokens: list[str], vocabulary: Vocabulary, *, code: str, expand_all: bool, allow_missing: bool
) -> Query:
    tokens: list[str] = []
    # "thủ tục" (procedure) is part of many names and of many queries, and says nothing.
    if raw_tokens[:2] == ["thu", "tuc"] and len(raw_tokens) > 2:
        raw_tokens = raw_tokens[2:]
    for token in raw_tokens:
        if token not in tokens:
            tokens.append(token)
    tokens = tokens[:MAX_QUERY_WORDS]
    long_enough = any(len(t) >= 3 for t in tokens)
    parsed = []
    for token in tokens:
        anchor = len(token) >= 3 or not long_enough
        prefixes = frozenset(vocabulary.prefixed(token) - {token}) if len(token) >= 3 else frozenset()
        expand = expand_all or token not in vocabulary.words
        typos = frozenset(vocabulary.typos(token)) if expand else frozenset()
        parsed.append(QueryWord(token, anchor, prefixes, typos))
    return Query(text=" ".join(tokens), words=parsed, code=code,
                 expanded_all=expand_all or all(w.typos or len(w.text) < 4 for w in parsed),
                 missing_allowed=1 if allow_missing and len(parsed) >= 3 else 0)


def _span(query: Query, name_tokens: list[str]) -> int:
    """Length of the shortest run of name words holding a match of every matched query word.

    "đăng ký lại khai sinh" (5) is closer to "dang ky khai sinh" than a land procedure that has
    "đăng ký", "kê khai" and "phát sinh" twenty words apart.
    """
    wanted = [w.accepts for w in query.words]
    hits = [(i, k) for i, token in enumerate(name_tokens) for k, accepts in enumerate(wanted) if token in accepts]
    needed = {k for _, k in hits}
    if not needed:
        return 0
    best = len(name_tokens)
    counts: dict[int, int] = {}
    left = 0
    for position, k in hits:
        counts[k] = counts.get(k, 0) + 1
        while len(counts) == len(needed):
            best = min(best, position - hits[left][0] + 1)
            lk = hits[left][1]
            counts[lk] -= 1
            if not counts[lk]:
                del counts[lk]
            left += 1
    return best


def rank(query: Query, *, code: str, search_text: str, popularity: int, name_rank: int) -> tuple | None:
    """The sort key of one candidate, or ``None`` when it does not match."""
    name_part, phrases, other_part = document_parts(search_text)
    # Keyword phrases count as more names: their words are name words for ranking.
    name_tokens = name_part.split()
    for phrase in phrases:
        name_tokens += [PHRASE_SEPARATOR, *phrase.split()]
    name_words = set(name_tokens)
    words_ = query.words
    total = len(words_)

    in_name = [w.match(name_words) for w in words_]
    matched_name = total - in_name.count(0)
    anchored_in_name = any(m for m, w in zip(in_name, words_, strict=True) if w.anchor)
    if not anchored_in_name or matched_name < query.required:
        # Not enough in the name: the other fields (code, sector, agencies) may still match.
        all_words = name_words | set(other_part.split())
        anywhere = [m or w.match(all_words) for m, w in zip(in_name, words_, strict=True)]
        matched_any = total - anywhere.count(0)
        if matched_any < query.required or not any(m for m, w in zip(anywhere, words_, strict=True) if w.anchor):
            return None
        if not (query.code and query.code == code):
            return (OTHER_FIELDS, -matched_any, 0, -anywhere.count(EXACT), -popularity, name_rank, code)

    exact_name = in_name.count(EXACT)
    bare_name = name_part[len(_NAME_PREFIX):] if name_part.startswith(_NAME_PREFIX) else name_part
    if query.text in (bare_name, name_part) or (query.code and query.code == code):
        category = EXACT_NAME
    elif any(f" {query.text} " in f" {phrase} " for phrase in (name_part, *phrases)):
        category = PHRASE_IN_NAME
    elif exact_name == total:
        category = ALL_WORDS_IN_NAME
    elif matched_name == total:
        category = FUZZY_PHRASE if _span(query, name_tokens) == total else ALL_WORDS_FUZZY
    else:
        category = MOST_WORDS_IN_NAME
    span = 0 if category <= PHRASE_IN_NAME else _span(query, name_tokens)
    return (category, -matched_name, span, -exact_name, -popularity, name_rank, code)


def rank_readings(query: Query, *, code: str, search_text: str, popularity: int, name_rank: int) -> tuple | None:
    """The best sort key of a candidate over the query's readings (``rank``), or ``None``.

    A procedure holding "thực hiện" ranks as if "thuchien" had been typed "thuc hien", one holding
    "thu chiến" as if "thu chien"; a reading that fits no procedure costs nothing.
    """
    best = rank(query, code=code, search_text=search_text, popularity=popularity, name_rank=name_rank)
    for reading in query.alternatives:  # usually none: this runs once per candidate
        key = rank(reading, code=code, search_text=search_text, popularity=popularity, name_rank=name_rank)
        if key is not None and (best is None or key < best):
            best = key
    return best


# --- the per-process vocabulary cache ---------------------------------------------------------

_lock = threading.Lock()
_vocabulary = Vocabulary()
_stamp: tuple[int, int] = (0, 0)


def vocabulary_current() -> Vocabulary:
    """The cached vocabulary, topped up from ``SearchWord`` when another process added words.

    The table is append-only, so ``(MAX(id), COUNT(*))`` changes whenever a word is added; the
    count also catches a row committed late with a lower id.
    """
    from django.db.models import Count, Max

    from tinhso.catalog.models import SearchWord

    global _stamp
    stats = SearchWord.objects.aggregate(top=Max("id"), n=Count("id"))
    stamp = (stats["top"] or 0, stats["n"] or 0)
    if stamp == _stamp:
        return _vocabulary
    with _lock:
        if stamp != _stamp:
            if stamp[1] < len(_vocabulary.words):
                _vocabulary.__init__()  # rows disappeared: a fresh database, or a test rolled back
            _vocabulary.add(SearchWord.objects.values_list("word", flat=True).iterator(chunk_size=5000))
            _stamp = stamp
    return _vocabulary


def vocabulary_reset() -> None:
    """Forget the cache (tests that roll back the table between cases)."""
    global _stamp
    with _lock:
        _vocabulary.__init__()
        _stamp = (0, 0)
