"""Whether a machine can run Windows 11, from what its hardware reports say (issue 17, item 6).

Pure: the facts in, a verdict out, with the reason of each "no" and what the reports do not say. The
requirements and the processor lists live in figures.toml (`[windows11]`) and rules/windows11/.

How a processor is matched: its name as dmidecode or lshw writes it ("Intel(R) Core(TM) i5-8350U CPU @
1.70GHz") and each model of the lists ("Core(TM) i5-8350U") are lower-cased, their (R), (TM), ® and ™
taken out, hyphens read as spaces and every other sign but "." and "+" too; a model matches when its
words appear in the name as whole words, in order ("ryzen 5 3600" is not "ryzen 5 3600x").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reemploi.rules import figures

LISTS = Path(__file__).with_name("windows11")
NO_TPM = "none"  # as reemploi.workshop.hardware writes it

# The reasons, as codes (their French in reemploi.texts.hardware.WINDOWS11_REASONS).
CPU_UNSUPPORTED = "cpu_unsupported"
TPM_MISSING = "tpm_missing"
TPM_TOO_OLD = "tpm_too_old"
MEMORY_LOW = "memory_low"
STORAGE_SMALL = "storage_small"
NO_UEFI = "no_uefi"
CPU_UNKNOWN = "cpu_unknown"
TPM_UNKNOWN = "tpm_unknown"
MEMORY_UNKNOWN = "memory_unknown"
STORAGE_UNKNOWN = "storage_unknown"
UEFI_UNKNOWN = "uefi_unknown"


@dataclass(frozen=True, slots=True)
class Facts:
    """What the reports of one machine say, None where they do not."""

    cpu: str | None = None
    memory_mb: int | None = None
    largest_drive_bytes: int | None = None
    tpm: str | None = None  # "2.0", "1.2", NO_TPM
    uefi: bool | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    eligible: bool | None  # None: nothing says no, but something is not known
    failed: tuple[str, ...]  # why not
    unknown: tuple[str, ...]  # what the reports do not say


def _words(name: str) -> str:
    name = re.sub(r"\((?:r|tm)\)|®|™", " ", name.casefold())
    return " ".join(re.sub(r"[^0-9a-z.+]+", " ", name).split())


@cache
def supported_models() -> frozenset[str]:
    models = set()
    for name in figures()["windows11"]["processor_lists"]:
        for line in (LISTS / name).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and line != "EOF" and not re.fullmatch(r"\d{4}\.\d+\.\d+", line):  # the list's date, its end
                models.add(_words(line))
    return frozenset(models)


def cpu_supported(cpu: str) -> bool:
    name = f" {_words(cpu)} "
    return any(f" {model} " in name for model in supported_models())


def assess(facts: Facts) -> Verdict:
    rules = figures()["windows11"]
    failed: list[str] = []
    unknown: list[str] = []
    if facts.cpu is None:
        unknown.append(CPU_UNKNOWN)
    elif not cpu_supported(facts.cpu):
        failed.append(CPU_UNSUPPORTED)
    if facts.tpm is None:
        unknown.append(TPM_UNKNOWN)
    elif facts.tpm == NO_TPM:
        failed.append(TPM_MISSING)
    elif _version(facts.tpm) < _version(rules["tpm_version"]):
        failed.append(TPM_TOO_OLD)
    if facts.memory_mb is None:
        unknown.append(MEMORY_UNKNOWN)
    elif facts.memory_mb < rules["min_memory_mb"]:
        failed.append(MEMORY_LOW)
    if facts.largest_drive_bytes is None:
        unknown.append(STORAGE_UNKNOWN)
    elif facts.largest_drive_bytes < rules["min_storage_bytes"]:
        failed.append(STORAGE_SMALL)
    if facts.uefi is None:
        unknown.append(UEFI_UNKNOWN)
    elif not facts.uefi:
        failed.append(NO_UEFI)
    eligible = False if failed else (None if unknown else True)
    return Verdict(eligible, tuple(failed), tuple(unknown))


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)) or (0,)


def source() -> str:
    rules = figures()["windows11"]
    return f"{rules['source']} ; listes des processeurs du {rules['processor_lists_date']}"
