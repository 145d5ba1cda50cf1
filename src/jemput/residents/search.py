"""Find residents by NIK or by a name spelt any of the ways Indonesian names are spelt.

Each word of a name gets a phonetic key (`word_key`) that folds the spellings offices
meet: the pre-1972 Dutch-based spelling (Soekarno, Djoko, Tjipto, Jusuf), doubled
letters (Muhammad/Muhamad), dropped h (Mochamad/Mohamad/Muhamad), y/i (Sity/Siti)
and more. The keys live in `resident_name_keys`, indexed, so a search first finds the
residents whose words' keys match the query's, inside the user's scope, and only those
few are ranked with rapidfuzz against what was typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process, utils
from sqlalchemy import (
    ColumnElement,
    Connection,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    delete,
    exists,
    func,
    intersect,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, aliased, mapped_column

from jemput.auth.access import scope_filter
from jemput.auth.models import User
from jemput.db import Base, Inserter, bulk_inserter, foreign_keys_checked_once
from jemput.residents.models import Resident

RESULT_LIMIT = 50
# Ranking is in Python; a one-word query for a common name ("Siti") would otherwise
# pull tens of thousands of rows at regency scale. Past this many, the query is too
# vague to rank usefully anyway, and the page says so. 500, not more: under twenty
# concurrent clients ranking is what a search server spends its time on.
CANDIDATE_LIMIT = 500
MAX_QUERY_WORDS = 6
BATCH = 5000
KEY_LENGTH = 40

_NIK_SEPARATORS = re.compile(r"[\s.\-]")
_WORD = re.compile(r"[a-z]+")
_DOUBLED = re.compile(r"(.)\1+")
# Old (Van Ophuijsen / Soewandi) spelling and loan-word digraphs, folded in this order:
# "dj" and "tj" before j is touched, "ch"/"kh" become "h" before h is dropped.
_DIGRAPHS = (
    ("oe", "u"), ("dj", "j"), ("tj", "c"), ("ch", "h"), ("kh", "h"),
    ("dz", "z"), ("th", "t"), ("dh", "d"), ("ph", "f"), ("ae", "ai"),
)
# j and y both become i: old "Jusuf" is new "Yusuf", y/i alternate (Sity, Tyas), and
# old "nj"/"sj" (Njoman, Sjahrir) meet new "ny"/"sy" without rules of their own.
# h goes: Mochamad, Mohamad and Muhamad differ mostly in it.
# Vowels: Javanese writes its open "a" as a or o (Rahman/Rohman, Jaka/Joko, Wijaya/Wijoyo,
# Mustafa/Mustofa) and o/u alternate (Mochamad/Muchamad), so a, o and u share one key
# letter; e and i alternate too (Arief/Arif, Syarief/Syarif). a/o/u and e/i stay
# apart, so Suparmi is not Suparmo and Siti is not Sari. Ranking on the typed text
# puts the spelling that was typed first.
_LETTERS = str.maketrans({"j": "i", "y": "i", "q": "k", "v": "f", "z": "s", "x": "ks",
                          "a": "u", "o": "u", "e": "i", "h": None})


class ResidentNameKey(Base):
    """The phonetic key of one word of a resident's name (search.word_key)."""

    __tablename__ = "resident_name_keys"
    __table_args__ = (
        # (key, resident_id): the key lookup and the "has this key too" check of a
        # multi-word query are both answered from the index alone.
        Index("ix_resident_name_keys_key", "key", "resident_id"),
    )

    resident_id: Mapped[int] = mapped_column(
        ForeignKey("residents.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    key: Mapped[str] = mapped_column(String(KEY_LENGTH))


def _words(text: str) -> list[str]:
    # NFKD splits "é" into "e" and a mark; apostrophes join ("Nu'man" is one word).
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _WORD.findall(re.sub(r"['`]", "", plain))


@lru_cache(maxsize=200_000)
def _fold(word: str, *, final_devoicing: bool = True) -> str:
    for old, new in _DIGRAPHS:
        word = word.replace(old, new)
    word = _DOUBLED.sub(r"\1", word.translate(_LETTERS))
    if final_devoicing and word.endswith("d"):  # Ahmad/Ahmat, Rahmad/Rahmat
        word = word[:-1] + "t"
    return word[:KEY_LENGTH]


def word_key(word: str) -> str:
    """Return the phonetic key of one name word ("" for a word of no letters)."""
    letters = _words(word)
    return _fold("".join(letters)) if letters else ""


def name_keys(name: str) -> list[str]:
    """Return the non-empty phonetic keys of a name's words, in order."""
    return [key for key in (_fold(word) for word in _words(name)) if key]


def rebuild_name_keys(*, session: Session, run_id: int | None = None) -> int:
    """Recompute the name keys of residents last written by import `run_id` (None: all)."""
    connection = session.connection()
    keys: Table = ResidentNameKey.__table__  # type: ignore[assignment]
    chosen = select(Resident.id)
    if run_id is not None:
        chosen = chosen.where(Resident.last_import_id == run_id)
    if connection.scalar(select(keys.c.resident_id).limit(1)) is not None:
        connection.execute(delete(keys).where(keys.c.resident_id.in_(chosen)))
        return _write_name_keys(connection=connection, run_id=run_id)
    # A first import has no keys to replace: skip a delete over a million ids, and fill
    # the empty table in bulk.
    with _keys_built_in_bulk(connection=connection, keys=keys):
        return _write_name_keys(connection=connection, run_id=run_id)


@contextmanager
def _keys_built_in_bulk(*, connection: Connection, keys: Table) -> Iterator[None]:
    # Into an empty table, building the secondary indexes once afterwards costs a sort,
    # where keeping them up to date costs a random index write per key; foreign keys
    # are checked once (db.foreign_keys_checked_once). Nobody searches a registry that
    # had no keys before this transaction, so the locks this takes hinder no one.
    indexes = sorted(keys.indexes, key=lambda index: index.name or "")
    for index in indexes:
        index.drop(connection)
    with foreign_keys_checked_once(connection, [keys]):
        yield
    for index in indexes:
        index.create(connection)


def _write_name_keys(*, connection: Connection, run_id: int | None) -> int:
    keys: Table = ResidentNameKey.__table__  # type: ignore[assignment]
    insert_keys = _key_writer(connection=connection, keys=keys)
    known: dict[str, list[str]] = {}
    written = 0
    last_id = 0
    while True:
        rows = connection.execute(
            select(Resident.id, Resident.name)
            .where(Resident.id > last_id, *([Resident.last_import_id == run_id]
                                            if run_id is not None else []))
            .order_by(Resident.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return written
        batch = [
            (resident_id, position, key)
            for resident_id, name in rows
            for position, key in enumerate(_keys_of(name or "", known))
        ]
        if batch:
            insert_keys(batch)
        written += len(batch)
        last_id = rows[-1][0]
        if len(known) > KNOWN_NAMES:
            known.clear()


def _key_writer(*, connection: Connection, keys: Table) -> Inserter:
    general = bulk_inserter(connection, keys)
    if connection.dialect.name != "postgresql":
        return general
    dbapi: Any = connection.connection.driver_connection
    sql = f"COPY {keys.name} (resident_id, position, key) FROM STDIN"

    def copy_block(rows: list[tuple[Any, ...]]) -> None:
        # One text block per batch instead of psycopg formatting each row: keys are
        # letters (word_key), which COPY's text format takes as they are; anything
        # else goes the general way.
        if not all(key.isascii() and key.isalnum() for _, _, key in rows):
            general(rows)
            return
        block = "".join(f"{resident_id}\t{position}\t{key}\n"
                        for resident_id, position, key in rows)
        with dbapi.cursor() as cursor, cursor.copy(sql) as copy:
            copy.write(block)

    return copy_block


# Names repeat (one in five is distinct in the demo regency): their keys are computed
# once per rebuild, up to this many distinct names held at a time.
KNOWN_NAMES = 200_000


def _keys_of(name: str, known: dict[str, list[str]]) -> list[str]:
    keys = known.get(name)
    if keys is None:
        keys = known[name] = name_keys(name)
    return keys


# How many residents, spread over the id range, are checked for keys built by older rules.
KEY_SAMPLE = 200


def name_keys_are_current(*, session: Session) -> bool:
    """Whether the stored name keys match today's `word_key` rules, judged on a sample."""
    low, high = session.execute(select(func.min(Resident.id), func.max(Resident.id))).one()
    if low is None:
        return True
    # Ids spread evenly over the whole range: an import after a rule change rebuilds the
    # keys of its own rows only, and those may all sit at one end of the table.
    stride = max(1, (high - low) // KEY_SAMPLE)
    ids = list(range(low, high + 1, stride))[:KEY_SAMPLE] + [high]
    names: dict[int, str | None] = {
        row.id: row.name
        for row in session.execute(select(Resident.id, Resident.name).where(Resident.id.in_(ids)))
    }
    stored: dict[int, list[str]] = {resident_id: [] for resident_id in names}
    for row in session.execute(
        select(ResidentNameKey.resident_id, ResidentNameKey.key)
        .where(ResidentNameKey.resident_id.in_(list(names)))
        .order_by(ResidentNameKey.resident_id, ResidentNameKey.position)
    ):
        stored[row.resident_id].append(row.key)
    return all(stored[resident_id] == name_keys(name or "") for resident_id, name in names.items())


def refresh_name_keys(*, session: Session) -> int:
    """Rebuild every resident's name keys if the key rules changed since they were built."""
    if name_keys_are_current(session=session):
        return 0
    return rebuild_name_keys(session=session)


def index_resident(*, session: Session, resident: Resident) -> None:
    """Recompute one resident's name keys after their name was set outside an import."""
    session.execute(delete(ResidentNameKey).where(ResidentNameKey.resident_id == resident.id))
    session.add_all(
        ResidentNameKey(resident_id=resident.id, position=position, key=key)
        for position, key in enumerate(name_keys(resident.name))
    )
    session.flush()


# --- queries --------------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What was typed, understood: a NIK, name keys, or something unusable."""

    kind: str  # "nik" | "nama" | "kosong" | "nik_salah"
    nik: str | None = None
    keys: tuple[str, ...] = ()
    # The last word may be unfinished: its key without final devoicing, matched as prefix.
    last_prefix: str | None = None


def parse_query(text: str) -> Query:
    """Decide whether `text` is a NIK or a name and build its keys."""
    compact = _NIK_SEPARATORS.sub("", text)
    if compact.isdigit():
        return Query("nik", nik=compact) if len(compact) == 16 else Query("nik_salah")
    words = [w for w in _words(text) if _fold(w)][:MAX_QUERY_WORDS]
    if not words:
        return Query("kosong")
    return Query(
        "nama",
        keys=tuple(_fold(w) for w in words),
        last_prefix=_fold(words[-1], final_devoicing=False),
    )


def _prefix_range(column: Any, prefix: str) -> ColumnElement[bool]:
    # A range, not LIKE: SQLite's LIKE is case-insensitive and cannot use a plain index,
    # and keys hold only a-z, so [prefix, prefix-with-last-letter+1) is every extension.
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (column >= prefix) & (column < upper)


def _term(alias: Any, key: str, prefix: str | None) -> ColumnElement[bool]:
    if prefix is None:
        return alias.key == key
    return or_(alias.key == key, _prefix_range(alias.key, prefix))


# A prefix this short matches a large part of every name key: intersecting its whole range
# costs more than checking it on the residents the other words already found.
INTERSECT_PREFIX_MIN = 3


def candidate_statement(*, user: User, query: Query) -> Any:
    """Build the SELECT of residents in scope whose name keys match every query key."""
    terms = [(key, None) for key in query.keys[:-1]] + [(query.keys[-1], query.last_prefix)]
    # Each selective word's residents come from one range of the key index; the database
    # intersects those sets instead of probing every resident of the most common word.
    selective = [t for t in terms if t[1] is None or len(t[1]) >= INTERSECT_PREFIX_MIN]
    loose = [t for t in terms if t not in selective]
    if not selective:  # one short, unfinished word: its range drives, as it must
        selective, loose = loose[:1], loose[1:]
    sets = [select(ResidentNameKey.resident_id).where(_term(ResidentNameKey, key, prefix))
            for key, prefix in selective]
    ids = sets[0] if len(sets) == 1 else intersect(*sets)
    checks = []
    for key, prefix in loose:
        other = aliased(ResidentNameKey)
        checks.append(exists().where(other.resident_id == Resident.id, _term(other, key, prefix)))
    # Only id and name: ranking up to 2,000 candidates needs no more, and loading
    # whole rows for them was most of a search's time under load.
    return (
        select(Resident.id, Resident.name)
        .where(Resident.id.in_(ids), scope_filter(user, Resident.desa_code), *checks)
        .limit(CANDIDATE_LIMIT + 1)
    )


@dataclass
class Found:
    residents: list[Resident]
    query: Query
    too_many: bool = False
    # Every resident in scope that matches, not only the 50 shown.
    total: int = 0


def count_matches(*, session: Session, user: User, query: Query) -> int:
    """Count every resident in the user's scope whose name keys match the query."""
    every = candidate_statement(user=user, query=query).limit(None).subquery()
    return session.scalar(select(func.count()).select_from(every)) or 0


@lru_cache(maxsize=100_000)
def _key_text(name: str) -> str:
    # Names repeat (a regency has a few thousand distinct ones): fold each once.
    return " ".join(name_keys(name))


def _scores(query_text: str, query_keys: str, names: list[str]) -> list[float]:
    """Score every candidate name against the query, in one call per scorer.

    Keys say "same name, other spelling"; the raw ratio prefers the spelling typed.
    rapidfuzz's `process.extract` runs the loop in C with the same scorers (and the same
    processor) as calling them one by one, so the scores are the same floats.
    """
    by_key = [0.0] * len(names)
    by_text = [0.0] * len(names)
    everything = len(names)
    for _, score, index in process.extract(query_keys, [_key_text(n) for n in names],
                                           scorer=fuzz.token_sort_ratio, limit=everything):
        by_key[index] = score
    for _, score, index in process.extract(query_text, names, scorer=fuzz.WRatio,
                                           processor=utils.default_process,
                                           limit=everything):
        by_text[index] = score
    return [0.6 * k + 0.4 * t for k, t in zip(by_key, by_text, strict=True)]


def search(*, session: Session, user: User, text: str) -> Found:
    """Return up to 50 residents in the user's scope matching a NIK or a name, best first."""
    query = parse_query(text)
    if query.kind == "nik":
        resident = session.scalar(
            select(Resident).where(
                Resident.nik == query.nik, scope_filter(user, Resident.desa_code)
            )
        )
        return Found([resident] if resident else [], query, total=1 if resident else 0)
    if query.kind != "nama":
        return Found([], query)
    candidates = session.execute(candidate_statement(user=user, query=query)).all()
    too_many = len(candidates) > CANDIDATE_LIMIT
    # Only a vague query needs the second, uncapped count; the rest were all fetched.
    total = count_matches(session=session, user=user, query=query) if too_many else len(
        candidates)
    rows = candidates[:CANDIDATE_LIMIT]
    scores = _scores(text, " ".join(query.keys), [row.name or "" for row in rows])
    ranked = sorted(zip(scores, rows, strict=True),
                    key=lambda pair: (-pair[0], pair[1].name, pair[1].id))[:RESULT_LIMIT]
    ids = [row.id for _, row in ranked]
    by_id = {r.id: r for r in session.scalars(select(Resident).where(Resident.id.in_(ids)))}
    return Found([by_id[i] for i in ids if i in by_id], query, too_many, total)
