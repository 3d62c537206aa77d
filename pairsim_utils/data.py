"""Loading and validating pairs files: ours, the outside benchmarks, or a user's own CSV.

Every problem is reported with the file, the line (``line 1`` is the header) and the column, so a
user can open the file and fix it. Checksums listed in a ``SHA256SUMS`` file beside the data are
verified on load.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pairsim_utils.paths import CONCEPT_PAIRS_DIR, relative_to_repo

REQUIRED_COLUMNS = ("sentence_0", "sentence_1", "label")
OPTIONAL_COLUMNS = ("relation", "domain", "original_score")
SPLITS = ("train", "dev", "test")
CHECKSUM_FILE = "SHA256SUMS"
MAX_PROBLEMS_SHOWN = 20


class PairsFileError(ValueError):
    """A pairs file that cannot be used, with every problem found (file, line, column)."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        shown = problems[:MAX_PROBLEMS_SHOWN]
        more = len(problems) - len(shown)
        lines = [f"{self.path}: {len(problems)} problem(s):", *[f"  {p}" for p in shown]]
        if more:
            lines.append(f"  … and {more} more")
        super().__init__("\n".join(lines) if len(problems) > 1 else f"{self.path}: {problems[0]}")


def _display(path: Path) -> str:
    return relative_to_repo(path) if path.is_absolute() else path.as_posix()


def sha256_of(path: Path | str) -> str:
    """The file's SHA-256 as 64 hex digits."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def checksums_bytes(files: Mapping[str, bytes]) -> bytes:
    """The ``SHA256SUMS`` content for ``files`` (name -> content), as ``sha256sum`` writes it.

    The one writer of the format :func:`read_checksums` reads; the data builds call it.
    """
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items()).encode()


def read_checksums(directory: Path) -> dict[str, str]:
    """Read ``SHA256SUMS`` (``<hex>  <file name>`` per line, as ``sha256sum`` writes it).

    Args:
        directory: The folder holding the data files.

    Returns:
        File name -> expected digest; empty when there is no checksum file.
    """
    path = directory / CHECKSUM_FILE
    if not path.is_file():
        return {}
    checksums = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = re.fullmatch(r"([0-9a-f]{64}) [ *](\S.*)", line.strip())
        if not match:
            raise PairsFileError(_display(path), [f"line {number}: expected '<sha256>  <file name>'"])
        checksums[match.group(2)] = match.group(1)
    return checksums


def verify_checksum(path: Path) -> None:
    """Compare a file with its line in the ``SHA256SUMS`` beside it, if it has one.

    Raises:
        PairsFileError: When the file's digest differs from the recorded one.
    """
    expected = read_checksums(path.parent).get(path.name)
    if expected is not None and sha256_of(path) != expected:
        raise PairsFileError(_display(path), [
            f"checksum mismatch: {CHECKSUM_FILE} records {expected[:12]}…, the file has "
            f"{sha256_of(path)[:12]}…. The file was changed after it was built; rebuild it "
            "(`make data`) or restore it from git."])


def _decode(raw: bytes, path: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_number = raw.count(b"\n", 0, error.start) + 1
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        header = next(csv.reader([raw.split(b"\n", 1)[0].decode("utf-8", "replace")]), [])
        fields_before = next(csv.reader([raw[line_start:error.start].decode("utf-8", "replace")]), [""])
        index = max(len(fields_before) - 1, 0)
        column = f"column '{header[index]}'" if index < len(header) else f"field {index + 1}"
        raise PairsFileError(path, [
            f"line {line_number}, {column}: byte 0x{raw[error.start]:02x} is not UTF-8; "
            "save the file as UTF-8"]) from None


def _check_header(header: list[str], extra_allowed: Iterable[str]) -> list[str]:
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        problems.append(f"line 1: missing required column(s) {', '.join(map(repr, missing))} "
                        f"(the header is {', '.join(map(repr, header))})")
    allowed = set(REQUIRED_COLUMNS) | set(extra_allowed)
    extra = [c for c in header if c not in allowed]
    if extra:
        problems.append(f"line 1: unexpected column(s) {', '.join(map(repr, extra))}; a pairs file "
                        f"has {', '.join(REQUIRED_COLUMNS)} and optionally {', '.join(extra_allowed)}")
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        problems.append(f"line 1: column(s) {', '.join(map(repr, repeated))} appear more than once")
    return problems


def _check_label(text: str) -> tuple[float | None, str | None]:
    if not text.strip():
        return None, "empty label"
    try:
        value = float(text)
    except ValueError:
        return None, f"label {text!r} is not a number"
    if math.isnan(value):
        return None, "label is NaN"
    if not 0.0 <= value <= 1.0:
        return None, f"label {text} is outside 0-1"
    return value, None


def phrase_key(phrase: str) -> str:
    """A key for a phrase that ignores case and surrounding spaces."""
    return phrase.strip().lower()


def pair_key(first: str, second: str) -> frozenset[str]:
    """A key for a pair that ignores order, case and surrounding spaces: the same pair in any file has the same key."""
    return frozenset((phrase_key(first), phrase_key(second)))


def phrase_keys(frame: pd.DataFrame) -> set[str]:
    """The distinct :func:`phrase_key` of a pairs frame's phrases."""
    return {phrase_key(phrase) for phrase in pd.concat([frame["sentence_0"], frame["sentence_1"]])}


def pair_keys(frame: pd.DataFrame) -> pd.Series:
    """The :func:`pair_key` of each row of a pairs frame, to find the same pair in two files."""
    return pd.Series([pair_key(a, b) for a, b in zip(frame["sentence_0"], frame["sentence_1"], strict=True)],
                     index=frame.index)


def load_pairs(path: Path | str, extra_columns: Iterable[str] = OPTIONAL_COLUMNS,
               verify: bool = True) -> pd.DataFrame:
    """Read and validate one pairs file.

    Args:
        path: A UTF-8 CSV with ``sentence_0, sentence_1, label`` (label in 0-1) and optionally
            the metadata columns in ``extra_columns``.
        extra_columns: Columns allowed besides the required ones.
        verify: Check the file against ``SHA256SUMS`` in its folder, when listed there.

    Returns:
        The pairs, with ``label`` as float and phrases stripped; row ``i`` of the frame is
        line ``i + 2`` of the file.

    Raises:
        PairsFileError: For a missing file, bad bytes, header, phrase or label, a duplicate pair
            (in either order) or a self-pair; naming file, line and column of each problem.
    """
    path = Path(path)
    shown = _display(path)
    if not path.is_file():
        raise PairsFileError(shown, ["no such file"])
    if verify:
        verify_checksum(path)
    rows = list(csv.reader(io.StringIO(_decode(path.read_bytes(), shown), newline="")))
    if not rows:
        raise PairsFileError(shown, ["the file is empty; expected a header line"])
    header, body = [c.strip() for c in rows[0]], rows[1:]
    extra_columns = tuple(extra_columns)
    problems = _check_header(header, extra_columns)
    if problems:
        raise PairsFileError(shown, problems)
    if not body:
        raise PairsFileError(shown, ["no pairs after the header"])
    records: list[dict[str, Any]] = []
    seen: dict[frozenset[str], int] = {}
    for line, row in enumerate(body, start=2):
        if len(row) != len(header):
            problems.append(f"line {line}: {len(row)} field(s), the header has {len(header)}")
            continue
        record: dict[str, Any] = dict(zip(header, row, strict=True))
        for column in ("sentence_0", "sentence_1"):
            if not record[column].strip():
                problems.append(f"line {line}, column '{column}': empty phrase")
        label, problem = _check_label(record["label"])
        if problem:
            problems.append(f"line {line}, column 'label': {problem}")
        first, second = record["sentence_0"].strip().lower(), record["sentence_1"].strip().lower()
        if first and first == second:
            problems.append(f"line {line}, column 'sentence_1': self-pair "
                            f"({record['sentence_0']!r} with itself)")
        key = pair_key(first, second)
        if first and second and key in seen:
            problems.append(f"line {line}, columns 'sentence_0'/'sentence_1': duplicate pair "
                            f"{record['sentence_0']!r} / {record['sentence_1']!r} "
                            f"(first on line {seen[key]}, in either order)")
        seen.setdefault(key, line)
        record["label"] = label
        records.append(record)
    if problems:
        raise PairsFileError(shown, problems)
    frame = pd.DataFrame.from_records(records, columns=header)
    frame["label"] = frame["label"].astype(float)
    for column in ("sentence_0", "sentence_1"):
        frame[column] = frame[column].str.strip()
    return frame


def split_paths(directory: Path | str = CONCEPT_PAIRS_DIR) -> dict[str, Path]:
    """``{"train": …/train.csv, "dev": …, "test": …}`` for a data folder."""
    return {split: Path(directory) / f"{split}.csv" for split in SPLITS}


def check_disjoint(splits: Mapping[str, pd.DataFrame], paths: Mapping[str, Path | str]) -> None:
    """Check that no phrase (case-insensitively) appears in two splits.

    Args:
        splits: Split name -> pairs.
        paths: Split name -> file, for the messages.

    Raises:
        PairsFileError: Naming, for each shared phrase, the file, line and column where the
            later split uses it and the split that already has it.
    """
    owner: dict[str, str] = {}
    problems: list[str] = []
    for split, frame in splits.items():
        reported = set()
        for line, row in enumerate(frame.itertuples(index=False), start=2):
            for column in ("sentence_0", "sentence_1"):
                phrase = getattr(row, column).lower()
                other = owner.get(phrase)
                if other is not None and other != split and phrase not in reported:
                    reported.add(phrase)
                    problems.append(f"{_display(Path(paths[split]))}: line {line}, column '{column}': "
                                    f"{getattr(row, column)!r} also appears in the {other} split")
        for phrase in pd.concat([frame["sentence_0"], frame["sentence_1"]]).str.lower():
            owner.setdefault(phrase, split)
    if problems:
        raise PairsFileError("splits overlap", problems)


def load_splits(directory: Path | str = CONCEPT_PAIRS_DIR, splits: Iterable[str] = SPLITS,
                require_disjoint: bool | None = None) -> dict[str, pd.DataFrame]:
    """Load several splits of one data set and check they share no phrase.

    Args:
        directory: Folder with ``train.csv``, ``dev.csv``, ``test.csv``.
        splits: Which splits to load.
        require_disjoint: Raise when a phrase appears in two splits. ``None``: as the folder's
            ``split.json`` says (a data set prepared from a benchmark such as MEN reuses words across
            its splits, and says so); required when there is no such record.

    Returns:
        Split name -> validated pairs.
    """
    if require_disjoint is None:
        record = Path(directory) / "split.json"
        require_disjoint = json.loads(record.read_text(encoding="utf-8")).get("phrase_disjoint", True) \
            if record.is_file() else True
    paths = {split: path for split, path in split_paths(directory).items() if split in set(splits)}
    frames = {split: load_pairs(path) for split, path in paths.items()}
    if require_disjoint:
        check_disjoint(frames, paths)
    return frames


def words(phrase: str) -> set[str]:
    """The lower-cased words of a phrase (split on spaces and hyphens)."""
    return {w for w in re.split(r"[\s\-]+", phrase.lower()) if w}


def contains_phrase(first: str, second: str) -> bool:
    """Whether one phrase's words appear, in order, inside the other's (*Tire* / *Tire Iron*).

    Args:
        first: A phrase.
        second: Another phrase.

    Returns:
        ``True`` when the shorter phrase (in words, case-insensitively) is a run of the longer one.
    """
    a, b = first.lower().split(), second.lower().split()
    shorter, longer = sorted((a, b), key=len)
    return any(longer[i:i + len(shorter)] == shorter for i in range(len(longer) - len(shorter) + 1))


def word_overlap(first: str, second: str) -> float:
    """Jaccard overlap of two phrases' words: 0 when they share none, 1 when identical.

    Args:
        first: A phrase.
        second: Another phrase.

    Returns:
        ``|shared words| / |all words|``.
    """
    a, b = words(first), words(second)
    return len(a & b) / len(a | b) if a | b else 0.0


def token_counts(phrases: Iterable[str], tokenizer) -> list[int]:
    """Count tokens per phrase as the card does: WordPieces plus [CLS] and [SEP].

    Args:
        phrases: Phrases to count.
        tokenizer: A Hugging Face tokenizer (``model.tokenizer``).

    Returns:
        One count per phrase.
    """
    return [len(ids) for ids in tokenizer(list(phrases))["input_ids"]]


def card_statistics(frame: pd.DataFrame, tokenizer) -> pd.DataFrame:
    """The seed card's data table for a pairs frame: min / mean / max tokens and label.

    Args:
        frame: Pairs with ``sentence_0``, ``sentence_1`` and ``label``.
        tokenizer: The base model's tokenizer.

    Returns:
        Rows ``sentence_0``, ``sentence_1``, ``label``; columns ``min``, ``mean``, ``max``.
    """
    table = {column: pd.Series(token_counts(frame[column], tokenizer), dtype=float)
             for column in ("sentence_0", "sentence_1")}
    table["label"] = frame["label"].astype(float)
    return pd.DataFrame({column: {"min": values.min(), "mean": values.mean(), "max": values.max()}
                         for column, values in table.items()}).T.rename_axis("column")
