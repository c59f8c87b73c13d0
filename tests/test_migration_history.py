"""A migration on main is never edited: a database that ran it would never run the new text, and would
say it is at head while lacking what the edit adds (issue 15). Changes go in a new migration.

Two checks. The manifest migrations/released.sha256 lists every migration with its SHA-256, in the
format `sha256sum` prints (so `cd migrations/versions && sha256sum -c ../released.sha256` checks it
by hand too): a listed file must keep its hash, and every file in migrations/versions/ must be
listed — a new migration is added to the manifest in the commit that adds it. Where the git history
is here (not a shallow clone), no migration may have been modified after it reached main, except the
historical edits listed below, which 0009 repairs.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from reemploi import migrate

MIGRATIONS = migrate.migrations_dir()
VERSIONS = MIGRATIONS / "versions"
MANIFEST = MIGRATIONS / "released.sha256"
REPOSITORY = Path(__file__).resolve().parent.parent

# Edits made to migrations after they reached main, before this check existed. Never add to this list:
# put the change in a new migration instead.
KNOWN_EDITS = {
    ("c0e6a520bf4a698198e4fe266c4e1b35c48c1cb7", "migrations/versions/20261126_0005_workshop.py"): (
        "ck_certificates_kind gained 'attestation' while 0006 was added; repaired by 0009"
    ),
    ("60a053bdb4d52dec6e62360483b3b3e9e68cc308", "migrations/versions/20261127_0007_reception.py"): (
        "sales gained series, buyer_partner_id (foreign key, index), a nullable beneficiary_id, 'organisation' "
        "in ck_sales_kind, ck_sales_one_buyer, ck_sales_series and uq_sales_series_year_number in place of "
        "uq_sales_year_number, after 0008 existed; repaired by 0009"
    ),
    ("bb95d8a1098ff7f6280fc6e86ee096a6d6a54c10", "migrations/versions/20261127_0007_reception.py"): (
        "sale_lines gained ht_cents after 0008 existed; repaired by 0009"
    ),
}


# --------------------------------------------------------------------------- the manifest


def read_manifest(manifest: Path) -> dict[str, str]:
    """File name -> SHA-256, from `sha256sum` lines (`<hash>  <name>`; a `*` before the name is binary mode)."""
    listed = {}
    for number, line in enumerate(manifest.read_text().splitlines(), 1):
        if not line.strip():
            continue
        digest, _, name = line.partition(" ")
        name = name.strip().removeprefix("*")
        assert len(digest) == 64 and name, (
            f"{manifest.name}, line {number}: expected '<sha256>  <file name>', not {line!r}"
        )
        listed[name] = digest.lower()
    return listed


def manifest_problems(versions: Path, manifest: Path) -> list[str]:
    """What breaks the rule, one sentence each: a listed migration changed or gone, a migration not listed."""
    listed = read_manifest(manifest)
    problems = []
    for name, digest in sorted(listed.items()):
        path = versions / name
        if not path.is_file():
            problems.append(
                f"{name} is listed in {manifest.name} but gone from {versions.name}/: a released migration is never "
                "removed (databases have run it)."
            )
            continue
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != digest:
            problems.append(
                f"{name} has changed since it was added to {manifest.name} (sha256 {actual}, listed as {digest}). "
                "A migration on main is never edited: restore it (git checkout origin/main -- "
                f"migrations/versions/{name}) and put the change in a new migration "
                "(alembic revision --autogenerate -m '...'). Only if it has never been on main, replace its line in "
                f"{manifest.name} with the output of: cd migrations/versions && sha256sum {name}"
            )
    for path in sorted(versions.glob("*.py")):
        if path.name not in listed:
            problems.append(
                f"{path.name} is not listed in migrations/{manifest.name}: add it in the commit that adds the migration, "
                f"with: cd migrations/versions && sha256sum {path.name} >> ../{manifest.name}"
            )
    return problems


def test_released_migrations_are_unchanged_and_every_migration_is_listed() -> None:
    problems = manifest_problems(VERSIONS, MANIFEST)
    assert not problems, "\n".join(problems)


@pytest.fixture
def copy_of_migrations(tmp_path: Path) -> tuple[Path, Path]:
    versions = tmp_path / "versions"
    shutil.copytree(VERSIONS, versions, ignore=shutil.ignore_patterns("__pycache__"))
    manifest = tmp_path / MANIFEST.name
    shutil.copyfile(MANIFEST, manifest)
    assert manifest_problems(versions, manifest) == []
    return versions, manifest


def test_an_edited_migration_is_reported(copy_of_migrations: tuple[Path, Path]) -> None:
    versions, manifest = copy_of_migrations
    edited = versions / "20261126_0005_workshop.py"
    content = bytearray(edited.read_bytes())
    content[content.index(b"'attestation'")] = ord('"')  # one byte: ' becomes "
    edited.write_bytes(bytes(content))
    problems = manifest_problems(versions, manifest)
    assert len(problems) == 1
    assert problems[0].startswith("20261126_0005_workshop.py has changed") and "new migration" in problems[0]


def test_a_migration_missing_from_the_manifest_is_reported(copy_of_migrations: tuple[Path, Path]) -> None:
    versions, manifest = copy_of_migrations
    (versions / "20261201_0099_colour.py").write_text('"""colour"""\nrevision = "0099"\n')
    (problems,) = manifest_problems(versions, manifest)
    assert "20261201_0099_colour.py is not listed" in problems
    assert "sha256sum 20261201_0099_colour.py >> ../released.sha256" in problems


def test_a_removed_migration_is_reported(copy_of_migrations: tuple[Path, Path]) -> None:
    versions, manifest = copy_of_migrations
    (versions / "20261127_0008_returns.py").unlink()
    (problems,) = manifest_problems(versions, manifest)
    assert problems.startswith("20261127_0008_returns.py is listed") and "never removed" in problems


# --------------------------------------------------------------------------- the git history


@dataclass(frozen=True)
class Edit:
    commit: str
    path: str
    status: str  # M (modified) or D (deleted)


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(REPOSITORY), *args], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def _history_available() -> str | None:
    """Why the history cannot be checked here, or None when it can."""
    try:
        top = Path(_git("rev-parse", "--show-toplevel").strip()).resolve()
        shallow = _git("rev-parse", "--is-shallow-repository").strip()
    except (OSError, subprocess.SubprocessError):
        return "not a git checkout (or no git)"
    if top != REPOSITORY or not VERSIONS.resolve().is_relative_to(top):
        return "the migrations are not those of this git checkout"
    if shallow != "false":
        return "a shallow clone"
    return None


def _release_ref() -> str:
    """The line releases are made from: main, else origin/main, else this checkout's own history."""
    for ref in ("main", "origin/main"):
        try:
            _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
            return ref
        except subprocess.CalledProcessError:
            continue
    return "HEAD"


def _commits_and_paths(output: str) -> list[tuple[str, list[str]]]:
    """`git log --format=%x00%H --name-status` output, as (commit, its lines) pairs."""
    entries = []
    for chunk in output.split("\0")[1:]:
        commit, *lines = chunk.strip().splitlines()
        entries.append((commit, [line for line in lines if line.strip()]))
    return entries


def edits_after_release(release_ref: str) -> list[Edit]:
    """Every commit reachable from HEAD that modified or deleted a migration after it had reached
    `release_ref`'s first-parent line. A migration changed on a branch before it was merged is not
    released yet, and its changes are not edits."""
    released_at: dict[str, str] = {}
    added = _git(
        "log",
        "--first-parent",
        "-m",
        "--no-renames",
        "--diff-filter=A",
        "--name-status",
        "--format=%x00%H",
        release_ref,
        "--",
        "migrations/versions",
    )
    for commit, lines in _commits_and_paths(added):
        for line in lines:
            released_at[line.split("\t")[-1]] = commit  # newest first: the oldest addition wins
    changed = _git(
        "log",
        "--no-renames",
        "--diff-filter=MD",
        "--name-status",
        "--format=%x00%H",
        "HEAD",
        "--",
        "migrations/versions",
    )
    edits = []
    for commit, lines in _commits_and_paths(changed):
        for line in lines:
            status, path = line.split("\t")[0], line.split("\t")[-1]
            release = released_at.get(path)
            if release is None or not path.endswith(".py"):
                continue
            try:
                _git("merge-base", "--is-ancestor", release, f"{commit}^")
            except subprocess.CalledProcessError:
                continue  # the edit came before the migration reached the release line
            edits.append(Edit(commit, path, status))
    return edits


def test_no_migration_was_edited_after_it_reached_main() -> None:
    if (reason := _history_available()) is not None:
        pytest.skip(f"git history not checked: {reason} (the manifest test still runs)")
    edits = edits_after_release(_release_ref())
    unexpected = [e for e in edits if (e.commit, e.path) not in KNOWN_EDITS]
    assert not unexpected, "\n".join(
        f"{e.commit[:10]} {'deleted' if e.status == 'D' else 'edited'} {e.path} after it reached main: a released "
        "migration is never changed; revert that and put the change in a new migration."
        for e in unexpected
    )
    # The check must be able to fail: it finds the historical edits, which are in every full clone.
    found = {(e.commit, e.path) for e in edits}
    assert set(KNOWN_EDITS) <= found, f"the historical edits were not found: {set(KNOWN_EDITS) - found}"
