"""Free-text job title -> role resolver.

Resolves a job title as people type it ("RN", "Bank President", "Weaver") to the
closest roles of the catalog. It depends only on numpy, scipy and scikit-learn and
receives the sentence encoder as a callable, so it knows nothing of the store or
of the embedding service.

Recipe (measured on the O*NET alternate-titles dev set, 26,935 titles, 1,016 roles,
all-MiniLM-L6-v2; acc@1 0.293 / acc@5 0.549 versus 0.24 / 0.45 for title+description
alone). For query ``q`` (one encoder pass) and role ``r``::

    score = 0.30 * max_p cos(q, title part p of r)          # role_title_texts()[1:]
          + 0.45 * cos(q, "title. description" of r)        # role_title_texts()[0]
          + 0.25 * max_t cos(q, task statement t of r)      # falls back to the previous term
          + 0.10 * tfidf_char(q, role title)                # char_wb 3-5 grams, singularised
          + 0.10 * bm25_word(q, 3 x title + description + tasks)   # k1 1.2, b 0.3, / per-query max

Title parts undo O*NET's compressed plural titles: "Cooks, Short Order" ->
"Short Order Cook"; "Electrical Power-Line Installers and Repairers" ->
"Electrical Power-Line Installer", "Electrical Power-Line Repairer";
"Textile Knitting and Weaving Machine Setters, Operators, and Tenders" ->
"Weaving Machine Operator", "Textile Knitting Machine Tender", ...

Queries are first read by :func:`engine.title_clean.clean_title` ("Sr. SWE II" ->
"Software Engineer", "Cook/Chef" -> "Cook", "Chef"); every reading is scored as above
and a role keeps its best weighted score (see :func:`_readings`). ``clean=False`` scores
the text as typed.

Task statements travel inside ``Role.description`` after a ``TASKS_MARKER`` line,
one ``- `` bullet per task (see :func:`compose_description`); they can also be
passed explicitly to :meth:`TitleMatcher.build`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from engine.title_clean import clean_title

__all__ = [
    "TASKS_MARKER",
    "TitleMatcher",
    "compose_description",
    "expand_title",
    "normalise",
    "role_title_texts",
    "split_description",
]

Encode = Callable[[list[str]], np.ndarray]

TASKS_MARKER = "Tasks:"
W_PARTS, W_DESC, W_TASKS, W_CHAR, W_WORD = 0.30, 0.45, 0.25, 0.10, 0.10
RAW_WEIGHT = 0.95  # the uncleaned title, as one more (slightly discounted) reading
UNMARKED_WEIGHT = 0.97  # readings without seniority markers, when the title had some
_STATE_VERSION = 1

# --------------------------------------------------------------------------- text


def compose_description(description: str, tasks: Sequence[str]) -> str:
    """Role.description as the importer should write it: O*NET text, then tasks."""
    description = description.strip()
    if not tasks:
        return description
    bullets = "\n".join(f"- {t.strip()}" for t in tasks if t.strip())
    return f"{description}\n\n{TASKS_MARKER}\n{bullets}"


def split_description(description: str) -> tuple[str, list[str]]:
    """Inverse of :func:`compose_description`: (plain description, task statements)."""
    head, sep, tail = description.partition(f"\n{TASKS_MARKER}\n")
    if not sep:
        return description.strip(), []
    tasks = [ln[2:].strip() for ln in tail.splitlines() if ln.startswith("- ") and ln[2:].strip()]
    return head.strip(), tasks


def _sing(w: str) -> str:
    """Very light English singulariser for lower-case words."""
    if len(w) <= 3 or w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


_TOKEN = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """Lower-case, tokenise and singularise (lexical matching on both sides)."""
    return " ".join(_sing(w) for w in _TOKEN.findall(text.lower()))


def _is_plural(word: str) -> bool:
    w = word.lower()
    return w.endswith("s") and not w.endswith(("ss", "us", "is")) and _sing(w) != w


def _sing_last(phrase: str) -> str:
    words = phrase.split()
    if words and _is_plural(words[-1]):
        s = _sing(words[-1].lower())
        words[-1] = words[-1][0] + s[1:] if words[-1][0].isupper() else s
    return " ".join(words)


def _sing_phrase(title: str) -> str:
    """Singularise every plural word of a title, keeping case and punctuation."""

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        if not _is_plural(w):
            return w
        s = _sing(w.lower())
        return w[0] + s[1:] if w[0].isupper() else s

    return re.sub(r"[A-Za-z]+", fix, title)


def _items(segment: str) -> list[str]:
    parts = re.split(r"\s*,\s*|\s+and\s+|\s+or\s+|/", segment)
    out = [re.sub(r"^(and|or)\s+", "", p.strip()) for p in parts]
    return [p for p in out if p and p.lower() not in ("and", "or")]


def expand_title(title: str) -> list[str]:
    """Singular job-title-like phrases hidden in a compressed (O*NET-style) title."""
    t = re.sub(r"\s*\([^)]*\)", "", title).strip()
    t = re.sub(r",\s*(All Other|Except\b.*)$", "", t).strip()
    if not t:
        return []
    out: list[str] = []
    if " of " in t:  # "First-Line Supervisors of Food Preparation and Serving Workers"
        a, b = t.split(" of ", 1)
        out.append(f"{_sing_last(a)} of {b}")
    else:
        segs = [s.strip() for s in t.split(",") if s.strip()]
        last = lambda s: s.split()[-1] if s.split() else ""  # noqa: E731
        if len(segs) >= 2 and _is_plural(last(segs[0])) and not any(_is_plural(last(s)) for s in segs[1:]):
            # "Cooks, Short Order" / "Bus Drivers, Transit and Intercity": qualifiers follow
            quals = [q for s in segs[1:] for q in _items(s)]
            for head in (_sing_last(x) for x in _items(segs[0])):
                out.extend(f"{q} {head}" for q in quals)
                out.append(head)
        else:
            items = _items(t)
            j = len(items)
            while j > 0 and _is_plural(last(items[j - 1])):
                j -= 1
            run, mods = (items[j:], items[:j]) if j < len(items) else (items, [])
            if run:
                first = run[0].split()
                stem = first[:-1]
                for head in [first[-1], *run[1:]]:
                    hw = head.split()
                    out.append(_sing_last(" ".join(stem + hw if len(hw) == 1 else hw)))
                    extra = [stem[-1]] if len(stem) > 1 else []
                    out.extend(_sing_last(" ".join([m, *extra, hw[-1]])) for m in mods)
    res: list[str] = []
    for o in out:
        o = re.sub(r"\s+", " ", o).strip()
        if o and o not in res:
            res.append(o)
    return res


def role_title_texts(title: str, description: str) -> list[str]:
    """Texts embedded per role: ``[title + ". " + description, singular title, *parts]``.

    The first entry uses the plain description (task bullets stripped); the
    remaining ones are the de-duplicated title phrases that are max-pooled.
    """
    plain, _ = split_description(description)
    first = f"{title}. {plain}" if plain else title
    phrases: list[str] = []
    for p in [_sing_phrase(title), *expand_title(title)]:
        if p and p not in phrases:
            phrases.append(p)
    return [first, *phrases]


# --------------------------------------------------------------------------- matcher


def _readings(queries: Sequence[str]) -> tuple[list[list[str]], list[np.ndarray]]:
    """Per query: its readings (:func:`engine.title_clean.clean_title`) and their weights.

    Readings that keep seniority markers weigh 1, those without :data:`UNMARKED_WEIGHT`
    (1 when the title has no marker), and the title as typed, when it differs,
    :data:`RAW_WEIGHT`: cleaning can add matches but rarely loses a good one, and a
    levelled catalog role ("Senior Data Engineer") still beats its unlevelled sibling.
    """
    readings: list[list[str]] = []
    weights: list[np.ndarray] = []
    for q in queries:
        c = clean_title(q)
        plain = [v for v in (c.text, *c.alternates) if v]
        marked = [v for v in c.marked if v not in plain]
        r = plain + marked
        w = [UNMARKED_WEIGHT if marked else 1.0] * len(plain) + [1.0] * len(marked)
        if not r:
            r, w = [q], [1.0]
        if q not in r:
            r, w = [*r, q], [*w, RAW_WEIGHT]
        readings.append(r)
        weights.append(np.asarray(w, np.float32))
    return readings, weights


def _unit(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim == 1:
        x = x[None, :]
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(n, 1e-12)


def _group_max(scores: np.ndarray, owner: np.ndarray, n_roles: int, fill: np.ndarray) -> np.ndarray:
    """Per-role max over columns of ``scores`` (owner sorted ascending); ``fill`` where none."""
    out = fill.copy()
    if owner.size == 0:
        return out
    starts = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
    out[:, owner[starts]] = np.maximum.reduceat(scores, starts, axis=1)
    return out


def _char_vectoriser() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, dtype=np.float32)


class _Lexical:
    """A fitted TF-IDF side; scores zero when the catalog has no usable vocabulary (or no roles)."""

    def __init__(self, vectoriser: TfidfVectorizer, docs: list[str]) -> None:
        self.vec: TfidfVectorizer | None = vectoriser
        try:
            self.m: sparse.csr_matrix = vectoriser.fit_transform(docs).T.tocsr()
        except ValueError:  # empty vocabulary
            self.vec = None
            self.m = sparse.csr_matrix((0, len(docs)), dtype=np.float32)

    def scores(self, queries: list[str]) -> np.ndarray:
        if self.vec is None:
            return np.zeros((len(queries), self.m.shape[1]), np.float32)
        return np.asarray((self.vec.transform(queries) @ self.m).todense(), dtype=np.float32)


class _BM25:
    """Okapi BM25 of binary query words against role documents, divided by each query's best score.

    Beats TF-IDF cosine on the dev titles (acc@5 0.549 vs 0.539 in the blend); the low
    length normalisation (b 0.3) keeps long task-rich documents from being penalised.
    """

    K1, B = 1.2, 0.3

    def __init__(self, docs: list[str]) -> None:
        self.vec: CountVectorizer | None = CountVectorizer(dtype=np.float32)
        n = len(docs)
        try:
            x = self.vec.fit_transform(docs).tocoo()
        except ValueError:  # empty vocabulary
            self.vec = None
            self.m = sparse.csr_matrix((0, n), dtype=np.float32)
            return
        df = np.bincount(x.col, minlength=x.shape[1])
        idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        dl = np.zeros(n, np.float32)
        np.add.at(dl, x.row, x.data)
        avg = float(dl.mean()) or 1.0
        tf = x.data.astype(np.float32)
        w = tf * (self.K1 + 1) / (tf + self.K1 * (1 - self.B + self.B * dl[x.row] / avg)) * idf[x.col]
        self.m = sparse.csr_matrix((w, (x.col, x.row)), shape=(x.shape[1], n), dtype=np.float32)

    def scores(self, queries: list[str]) -> np.ndarray:
        if self.vec is None:
            return np.zeros((len(queries), self.m.shape[1]), np.float32)
        q = self.vec.transform(queries).tocsr()
        q.data[:] = 1.0
        s = np.asarray((q @ self.m).todense(), dtype=np.float32)
        return s / (s.max(axis=1, keepdims=True) + 1e-6)


@dataclass
class TitleMatcher:
    """Ranks roles for free-text job titles (see module docstring for the recipe)."""

    role_ids: list[str]
    desc_emb: np.ndarray  # (n_roles, d) "title. description"
    part_emb: np.ndarray  # (n_parts, d) title phrases
    part_owner: np.ndarray  # (n_parts,) role index, ascending
    task_emb: np.ndarray  # (n_tasks, d)
    task_owner: np.ndarray  # (n_tasks,) role index, ascending
    char_docs: list[str]  # normalised titles
    word_docs: list[str]  # normalised 3 x title + description + tasks
    encode: Encode | None = None

    def __post_init__(self) -> None:
        self._char = _Lexical(_char_vectoriser(), self.char_docs)
        self._word = _BM25(self.word_docs)

    # ------------------------------------------------------------------ build
    @classmethod
    def build(
        cls,
        role_ids: Sequence[str],
        titles: Sequence[str],
        descriptions: Sequence[str],
        encode: Encode,
        tasks: Sequence[Sequence[str]] | None = None,
    ) -> TitleMatcher:
        """Encode the catalog side once.

        ``descriptions`` may carry task bullets (:func:`compose_description`);
        ``tasks`` given explicitly take precedence over those.
        """
        if not (len(role_ids) == len(titles) == len(descriptions)):
            raise ValueError("role_ids, titles and descriptions must have the same length")
        if tasks is not None and len(tasks) != len(role_ids):
            raise ValueError("tasks must have one entry per role")
        desc_texts: list[str] = []
        part_texts: list[str] = []
        part_owner: list[int] = []
        task_texts: list[str] = []
        task_owner: list[int] = []
        char_docs: list[str] = []
        word_docs: list[str] = []
        for i, (title, description) in enumerate(zip(titles, descriptions, strict=True)):
            plain, parsed = split_description(description)
            role_tasks = list(tasks[i]) if tasks is not None else parsed
            texts = role_title_texts(title, plain)
            desc_texts.append(texts[0])
            part_texts.extend(texts[1:])
            part_owner.extend([i] * (len(texts) - 1))
            role_tasks = [t for t in role_tasks if t.strip()]
            task_texts.extend(role_tasks)
            task_owner.extend([i] * len(role_tasks))
            char_docs.append(normalise(title))
            word_docs.append(normalise(" ".join([title] * 3 + [plain, *role_tasks])))

        d = int(getattr(encode, "dim", 0)) or (encode(["x"]).shape[1] if not desc_texts else 0)

        def enc(texts: list[str]) -> np.ndarray:
            return _unit(encode(texts)) if texts else np.zeros((0, d), np.float32)

        desc_emb = enc(desc_texts)
        d = desc_emb.shape[1] if desc_texts else d
        part_emb = enc(part_texts)
        task_emb = enc(task_texts) if task_texts else np.zeros((0, d), np.float32)
        return cls(
            role_ids=list(role_ids),
            desc_emb=desc_emb,
            part_emb=part_emb,
            part_owner=np.asarray(part_owner, dtype=np.int64),
            task_emb=task_emb,
            task_owner=np.asarray(task_owner, dtype=np.int64),
            char_docs=char_docs,
            word_docs=word_docs,
            encode=encode,
        )

    # ------------------------------------------------------------------ score
    def scores(self, queries: Sequence[str], query_emb: np.ndarray | None = None,
               encode: Encode | None = None, *, clean: bool = True) -> np.ndarray:
        """Dense (n_queries, n_roles) blended scores.

        With ``clean`` (and no precomputed ``query_emb``) each raw title is first read
        by :func:`engine.title_clean.clean_title`; a role's score is its best score
        over the readings ("Cook/Chef" -> "Cook", "Chef"), all encoded in one pass.
        """
        queries = list(queries)
        if clean and query_emb is None and queries:
            readings, weights = _readings(queries)
            owner = np.repeat(np.arange(len(queries)), [len(r) for r in readings])
            flat = [t for r in readings for t in r]
            s = self.scores(flat, encode=encode, clean=False) * np.concatenate(weights)[:, None]
            starts = np.r_[0, np.flatnonzero(np.diff(owner)) + 1]
            return np.maximum.reduceat(s, starts, axis=0)
        if query_emb is None:
            enc = encode or self.encode
            if enc is None:
                raise ValueError("no encode callable given")
            query_emb = enc(queries)
        q = _unit(query_emb)
        n = len(self.role_ids)
        s_desc = q @ self.desc_emb.T
        s_parts = _group_max(q @ self.part_emb.T, self.part_owner, n, s_desc)
        s_tasks = _group_max(q @ self.task_emb.T, self.task_owner, n, s_desc)
        norm_q = [normalise(x) for x in queries]
        s_char = self._char.scores(norm_q)
        s_word = self._word.scores(norm_q)
        return (W_PARTS * s_parts + W_DESC * s_desc + W_TASKS * s_tasks
                + W_CHAR * s_char + W_WORD * s_word)

    def match(self, queries: Sequence[str], k: int = 5, encode: Encode | None = None,
              query_emb: np.ndarray | None = None, *, clean: bool = True) -> list[list[tuple[str, float]]]:
        """Top-``k`` ``(role_id, score)`` per query, best first; scores roughly in [0, 1]."""
        if len(queries) == 0:
            return []
        s = self.scores(queries, query_emb=query_emb, encode=encode, clean=clean)
        k = max(0, min(k, s.shape[1]))
        if k == 0:
            return [[] for _ in queries]
        top = np.argpartition(-s, k - 1, axis=1)[:, :k]
        rows = np.arange(len(s))[:, None]
        order = np.argsort(-s[rows, top], axis=1, kind="stable")
        top = top[rows, order]
        return [[(self.role_ids[j], float(np.clip(s[i, j], 0.0, 1.0))) for j in top[i]]
                for i in range(len(s))]

    # ------------------------------------------------------------------ persistence
    def state(self) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """(arrays, JSON-able config) for persistence; inverse of :meth:`from_state`."""
        arrays = {
            "desc_emb": self.desc_emb,
            "part_emb": self.part_emb,
            "part_owner": self.part_owner,
            "task_emb": self.task_emb,
            "task_owner": self.task_owner,
        }
        config = {
            "version": _STATE_VERSION,
            "role_ids": list(self.role_ids),
            "char_docs": list(self.char_docs),
            "word_docs": list(self.word_docs),
            "weights": [W_PARTS, W_DESC, W_TASKS, W_CHAR, W_WORD],
        }
        return arrays, config

    @classmethod
    def from_state(cls, arrays: dict[str, np.ndarray], config: dict[str, Any],
                   encode: Encode | None = None) -> TitleMatcher:
        if config.get("version") != _STATE_VERSION:
            raise ValueError(f"unsupported TitleMatcher state version {config.get('version')!r}")
        return cls(
            role_ids=list(config["role_ids"]),
            desc_emb=np.asarray(arrays["desc_emb"], dtype=np.float32),
            part_emb=np.asarray(arrays["part_emb"], dtype=np.float32),
            part_owner=np.asarray(arrays["part_owner"], dtype=np.int64),
            task_emb=np.asarray(arrays["task_emb"], dtype=np.float32),
            task_owner=np.asarray(arrays["task_owner"], dtype=np.int64),
            char_docs=list(config["char_docs"]),
            word_docs=list(config["word_docs"]),
            encode=encode,
        )
