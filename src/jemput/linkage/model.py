"""The Splink model that scores (roster row, resident) pairs.

Fellegi-Sunter, as Splink implements it, on DuckDB in this process. Each comparison
below has levels from most to least alike; each level carries a prior m probability
(how often a true match looks like this) and u probability (how often two different
people do). The priors are written for an Indonesian regency and hold on a roster of
five rows; on a real registry the u probabilities are re-estimated from random pairs
of the data itself (seeded, so a re-run gives the same scores).

Mother's name is not compared: residents carry none in the registry today.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from typing import Any

import duckdb
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.internals.comparison_creator import ComparisonCreator
from splink.internals.comparison_level_creator import ComparisonLevelCreator

from jemput.linkage.people import Candidate, Person
from jemput.residents.search import name_keys, word_key

SEED = 8
# DuckDB's working memory for one run, beside Python's own (see _score).
DUCKDB_MEMORY_MB = 512
# Random pairs sampled to estimate u. Below MIN_RESIDENTS_FOR_U the sample is too small
# to say anything the priors do not, and a level no sampled pair reached gets u = 0.
U_SAMPLE_PAIRS = 3_000_000
MIN_RESIDENTS_FOR_U = 2_000
# Pairs scoring below this are not worth keeping, even as a runner-up.
KEEP_PROBABILITY = 0.0001
# The prior is "one resident in the registry is this row": 1 / registry size. A test's or
# a single desa's handful of residents is a sample of a regency, not the universe, so
# the prior never assumes fewer people than a small regency has.
MIN_REGISTRY_SIZE = 100_000


def _frame(people: Sequence[Person]) -> pd.DataFrame:
    records: list[dict[str, Any]] = []
    for person in people:
        keys = name_keys(person.name)
        records.append({
            "unique_id": person.id,
            "nik": person.nik or None,
            "name": " ".join(person.name.lower().split()) or None,
            # The search module's spelling key: Soekarno/Sukarno, Rahman/Rohman, Djoko/Joko.
            "name_key": " ".join(keys) or None,
            "first_key": keys[0][:4] if keys else None,
            "last_key": word_key(person.name.split()[-1]) if person.name.split() else None,
            "sex": person.sex,
            "birth_date": person.birth_date.isoformat() if person.birth_date else None,
            "birth_year": person.birth_date.year if person.birth_date else None,
            "birth_md": person.birth_date.strftime("%m%d") if person.birth_date else None,
            "desa_code": person.desa_code or None,
            "kecamatan_code": ".".join(person.desa_code.split(".")[:3])
            if person.desa_code else None,
        })
    columns = ["unique_id", "nik", "name", "name_key", "first_key", "last_key", "sex",
               "birth_date", "birth_year", "birth_md", "desa_code", "kecamatan_code"]
    frame = pd.DataFrame.from_records(records, columns=columns)
    frame["unique_id"] = frame["unique_id"].astype("int64")
    for column in ("sex", "birth_year"):
        frame[column] = frame[column].astype("Int64")
    return frame


def _level(sql: str, label: str, m: float, u: float) -> ComparisonLevelCreator:
    return cll.CustomLevel(sql, label_for_charts=label).configure(
        m_probability=m, u_probability=u)


def _null(*columns: str) -> ComparisonLevelCreator:
    either = " OR ".join(f"{c}_l IS NULL OR {c}_r IS NULL" for c in columns)
    return cll.CustomLevel(either, label_for_charts="tidak ada").configure(is_null_level=True)


def _comparisons() -> list[ComparisonCreator | dict[str, Any]]:
    nik = cl.CustomComparison(output_column_name="nik", comparison_levels=[
        _null("nik"),
        _level("nik_l = nik_r", "sama", 0.90, 0.000002),
        # One digit mistyped, or two neighbours swapped, by the school's operator. Not
        # two: a NIK spells its holder's birth date and sex, so two people born the same
        # day in neighbouring kecamatan (or regencies) have NIKs two digits apart, and
        # that would count the birth date twice.
        _level("damerau_levenshtein(nik_l, nik_r) <= 1", "beda 1 angka", 0.07, 0.0001),
        _level("TRUE", "lain", 0.03, 0.9995),
    ])
    # One comparison over both name columns, not two: the raw text and its spelling key
    # say the same thing twice, and Fellegi-Sunter would count that evidence twice.
    name = cl.CustomComparison(output_column_name="name", comparison_levels=[
        _null("name"),
        _level("name_l = name_r", "sama persis", 0.70, 0.0002),
        _level("name_key_l = name_key_r", "ejaan lama/baru, vokal", 0.14, 0.0004),
        # u is not small: Jaro-Winkler rewards a shared start, and half the boys of a
        # year are "Muhammad ..." - Muhammad Hasan and Muhammad Husein score 0.93.
        _level("jaro_winkler_similarity(name_l, name_r) >= 0.93 "
               "OR jaro_winkler_similarity(name_key_l, name_key_r) >= 0.95",
               "salah ketik", 0.10, 0.01),
        _level("jaro_winkler_similarity(name_key_l, name_key_r) >= 0.85", "mirip", 0.04, 0.02),
        _level("TRUE", "lain", 0.02, 0.9766),
    ])
    birth = cl.CustomComparison(output_column_name="birth_date", comparison_levels=[
        _null("birth_date"),
        _level("birth_date_l = birth_date_r", "sama", 0.90, 0.00006),
        # 03-07 written as 07-03: the day and month swapped between formats.
        _level("birth_year_l = birth_year_r AND substr(birth_md_l, 1, 2) = "
               "substr(birth_md_r, 3, 2) AND substr(birth_md_l, 3, 2) = substr(birth_md_r, 1, 2)",
               "hari/bulan tertukar", 0.04, 0.00006),
        _level("damerau_levenshtein(birth_date_l, birth_date_r) <= 1", "salah satu angka",
               0.04, 0.002),
        _level("birth_year_l = birth_year_r", "tahun sama", 0.01, 0.02),
        _level("TRUE", "lain", 0.01, 0.97794),
    ])
    sex = cl.CustomComparison(output_column_name="sex", comparison_levels=[
        _null("sex"),
        _level("sex_l = sex_r", "sama", 0.97, 0.5),
        _level("TRUE", "beda", 0.03, 0.5),
    ])
    place = cl.CustomComparison(output_column_name="desa", comparison_levels=[
        _null("desa_code"),
        _level("desa_code_l = desa_code_r", "desa sama", 0.80, 0.006),
        _level("kecamatan_code_l = kecamatan_code_r", "kecamatan sama", 0.12, 0.08),
        _level("TRUE", "lain", 0.08, 0.914),
    ])
    return [nik, name, birth, sex, place]


BLOCKING_RULES = (
    block_on("nik"),
    block_on("birth_date"),
    # A day/month swap or a typo in the date: same year, a name that starts alike.
    block_on("birth_year", "first_key"),
    block_on("birth_year", "last_key"),
    # A wrong year: same day and month, same first name.
    block_on("birth_md", "first_key"),
    block_on("desa_code", "sex", "name_key"),
)


def score_pairs(
    *, rows: Sequence[Person], residents: Sequence[Person], train: bool = True
) -> list[Candidate]:
    """Score every blocked (row, resident) pair with Splink; deterministic for the same input.

    `train`: re-estimate u from random pairs of the residents (seeded) when there are
    enough of them; the m priors are kept.
    """
    if not rows or not residents:
        return []
    with tempfile.TemporaryDirectory(prefix="jemput-linkage-") as spill:
        return _score(rows=rows, residents=residents, train=train, spill=spill)


def _score(
    *, rows: Sequence[Person], residents: Sequence[Person], train: bool, spill: str
) -> list[Candidate]:
    connection = duckdb.connect(":memory:")
    # One thread: DuckDB's seeded sample is repeatable only then.
    connection.execute("SET threads TO 1")
    # DuckDB would take up to 80% of the machine's memory; a background job may use
    # JEMPUT_JOB_MEMORY_MB in all (an address-space limit). Past this, DuckDB spills to
    # a private folder that goes when the run ends (it holds names and NIKs).
    connection.execute(f"SET memory_limit = '{DUCKDB_MEMORY_MB}MB'")
    connection.execute(f"SET temp_directory = '{spill}'")
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=_comparisons(),
        blocking_rules_to_generate_predictions=list(BLOCKING_RULES),
        # Each row is at most one resident: the prior odds of a random pair.
        probability_two_random_records_match=1 / max(len(residents), MIN_REGISTRY_SIZE),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker([_frame(rows), _frame(residents)], settings,
                    db_api=DuckDBAPI(connection), input_table_aliases=["rows", "residents"],
                    # Splink would otherwise call logging.basicConfig on the root logger.
                    set_up_basic_logging=False)
    if train and len(residents) >= MIN_RESIDENTS_FOR_U:
        linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=SEED)
    predictions = linker.inference.predict(threshold_match_probability=KEEP_PROBABILITY)
    frame = predictions.as_pandas_dataframe()
    connection.close()
    candidates = [
        Candidate(int(row_id), int(resident_id), float(weight))
        for source, row_id, resident_id, weight in zip(
            frame["source_dataset_l"], frame["unique_id_l"], frame["unique_id_r"],
            frame["match_weight"], strict=True)
        if source == "rows"
    ]
    candidates += [
        Candidate(int(row_id), int(resident_id), float(weight))
        for source, resident_id, row_id, weight in zip(
            frame["source_dataset_l"], frame["unique_id_l"], frame["unique_id_r"],
            frame["match_weight"], strict=True)
        if source != "rows"
    ]
    return sorted(candidates, key=lambda c: (c.row_id, -c.match_weight, c.resident_id))
