"""Every French text a person reads lives in reemploi/texts/, one module per domain, and texts stay a leaf.

The check reads the source, not the running app: it walks each module's string literals with `ast`,
skipping docstrings and the OpenAPI documentation, and flags those that read as French.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator
from pathlib import Path

import pytest

import reemploi
from reemploi import texts

PACKAGE = Path(reemploi.__file__).parent

# Not interface at all: the texts themselves, the legal figures (a data file with its sources) and the
# demo and benchmark data (names and addresses). Migrations live outside the package (migrations/).
NOT_SCANNED = ("texts/", "rules/", "demo.py", "benchseed.py")

# French that is data or API documentation, not interface: module -> top-level names.
NOT_INTERFACE = {
    "accounts/passwords.py": {"WORKSHOP_WORDS"},  # words refused as passwords because anyone tries them
    "collections/manifest.py": {"COLUMN_ALIASES", "CATEGORY_ALIASES"},  # what donors write, recognised
    "db.py": {"_FOLD_FROM", "_FOLD_TO"},  # the letters the lists' search folds (case, accents), not words
    "errors.py": {"problem_responses"},  # OpenAPI: the problems a route may answer with
    "sites/routes.py": {"TEMPLATE_HELP"},  # OpenAPI: a field's description
    "workshop/hardware.py": {"UTF16_LE"},  # a codec's name
}

# To be moved: interface French still in workshop modules that another branch is moving around right
# now. Move their texts into reemploi/texts/ once they have settled, and strike them from this list.
TO_BE_MOVED = (
    "workshop/pages.py",  # "{state} : {lot} n° {id}."
)

# Keyword arguments that document the API (Litestar routes and parameters, msgspec.Meta): left in place.
API_DOCUMENTATION = {"summary", "description"}
DECORATOR_DOCUMENTATION = API_DOCUMENTATION | {"title"}

_ACCENTED = re.compile(r"[àâæçéèêëîïôœùûüÿ«»]|\bn°", re.IGNORECASE)
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu)'[^\W\d_]", re.IGNORECASE)  # l'appareil, n'est, qu'une
_SPACED_PUNCTUATION = re.compile(r"[^\W\d_] [:;!?](?:\s|$)")  # "illisible : …", French typography
_WORDS = re.compile(r"[^\W\d_]+")
# Short words that are French and not English; two words and one of these is a French sentence.
_FRENCH_WORDS = frozenset(
    [
        "le",
        "la",
        "les",
        "une",
        "des",
        "du",
        "au",
        "aux",
        "et",
        "est",
        "sont",
        "pour",
        "avec",
        "dans",
        "sur",
        "par",
        "pas",
        "ne",
        "ni",
        "aucun",
        "aucune",
        "ce",
        "cette",
        "ces",
        "vous",
        "votre",
        "vos",
        "il",
        "elle",
        "ou",
        "qui",
        "que",
    ]
)


def looks_french(text: str) -> bool:
    if _ACCENTED.search(text) or _ELISION.search(text) or _SPACED_PUNCTUATION.search(text):
        return True
    words = _WORDS.findall(text.casefold())
    return len(words) >= 2 and any(word in _FRENCH_WORDS for word in words)


def _documentation(tree: ast.AST) -> set[int]:
    """The ids of the nodes a reader takes as documentation: docstrings and the API's descriptions."""
    documenting: list[ast.keyword] = []
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            skipped.add(id(node.value))  # a docstring, or a bare string standing for a comment
        elif isinstance(node, ast.Call):
            documenting += [k for k in node.keywords if k.arg in API_DOCUMENTATION]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call):
                    documenting += [k for k in decorator.keywords if k.arg in DECORATOR_DOCUMENTATION]
    for keyword in documenting:
        skipped.update(id(n) for n in ast.walk(keyword.value))
    return skipped


def _top_level_name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    return None


def french_literals(source: str, not_interface: Collection[str] = ()) -> list[tuple[int, str]]:
    """(line, text) of each string literal of `source` that reads as French interface text."""
    tree = ast.parse(source)
    skipped = _documentation(tree)
    found = []
    for statement in tree.body:
        if _top_level_name(statement) in not_interface:
            continue
        for node in ast.walk(statement):  # parents before children: an f-string before its parts
            if id(node) in skipped:
                continue
            if isinstance(node, ast.JoinedStr):  # an f-string reads as one sentence, {} for each value
                skipped.update(id(v) for v in node.values)
                text = "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                text = node.value
            else:
                continue
            if looks_french(text):
                found.append((node.lineno, node.col_offset, text))
    return [(line, text) for line, _, text in sorted(found)]


def _modules() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if not relative.startswith(NOT_SCANNED):
            yield relative, path


def test_no_french_interface_text_outside_texts() -> None:
    found = [
        f"reemploi/{relative}:{line}: {text[:70]!r}"
        for relative, path in _modules()
        if relative not in TO_BE_MOVED
        for line, text in french_literals(path.read_text(encoding="utf-8"), NOT_INTERFACE.get(relative, set()))
    ]
    assert not found, "French interface text outside reemploi/texts/ (move it there):\n" + "\n".join(found)


@pytest.mark.parametrize("relative", TO_BE_MOVED)
def test_each_module_still_to_be_moved_exists_and_still_has_french(relative: str) -> None:
    path = PACKAGE / relative
    assert path.exists(), f"reemploi/{relative} moved or gone: update TO_BE_MOVED"
    assert french_literals(path.read_text(encoding="utf-8")), f"reemploi/{relative} is clean: strike it out"


@pytest.mark.parametrize(("relative", "name"), [(m, n) for m, names in NOT_INTERFACE.items() for n in names])
def test_each_exception_names_french_that_is_still_there(relative: str, name: str) -> None:
    tree = ast.parse((PACKAGE / relative).read_text(encoding="utf-8"))
    (statement,) = [s for s in tree.body if _top_level_name(s) == name]
    assert french_literals(ast.unparse(statement)), f"{name} in reemploi/{relative} has no French left"


# --- The check itself -----------------------------------------------------------------------------


def test_the_check_finds_a_french_message_raised_in_a_service() -> None:
    source = (
        "def sell(code):\n"
        "    raise Invalid('Aucun appareil ne porte ce code.')\n"
        "    raise Invalid(f'{code} est déjà vendu')\n"
        "    print('Comptes des personnes')\n"  # no accent: one of the short words gives it away
        "    help = 'Fichier PDF : le chemin'\n"
    )
    assert [line for line, _ in french_literals(source)] == [2, 3, 4, 5]


def test_the_check_leaves_docstrings_comments_and_api_documentation_alone() -> None:
    source = (
        '"""Le module : ses ventes."""\n'
        "@post('/sales', summary='Enregistrer une vente', description=\"Tout ou rien, à l'accueil.\")\n"
        "async def sell(q: Annotated[str, QueryParameter(description='Nom ou numéro')]) -> None:\n"
        '    """Vendre un appareil."""\n'
        "    # Vendre : le commentaire reste.\n"
        "    return None\n"
    )
    assert french_literals(source) == []


def test_the_check_skips_the_names_declared_as_data() -> None:
    source = "WORDS = ('réemploi', 'atelier')\nMESSAGE = 'Mot de passe trop facile à deviner.'\n"
    assert [text for _, text in french_literals(source, {"WORDS"})] == ["Mot de passe trop facile à deviner."]


@pytest.mark.parametrize(
    "text",
    [
        "a history starts with '{}', not {}",
        "integrity error on %s: %s",
        "PRAGMA journal_mode=WAL",
        "(kind = 'organisation' AND buyer_partner_id IS NOT NULL)",
        'inline; filename="{}"',
        "REEMPLOI_TIMEZONE must be a time zone such as Europe/Paris, not {}",
        "le",
        "de_DE",
        "don't, it's the device's",
        "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {} 1'>",
    ],
)
def test_the_check_does_not_take_english_or_code_for_french(text: str) -> None:
    assert not looks_french(text)


# Its blind spot: a few French words with no accent, elision or short word ("Connexion requise"). The
# single words passed to messages are texts too (texts.NAMES): the check cannot see those, a reviewer can.
@pytest.mark.parametrize(
    "text",
    [
        "Aucun appareil.",
        "Le code de site doit faire 1 à 4 lettres",
        "n'est pas un numéro",
        "Configuration invalide : {}",
        "Comptes des personnes",
        "Jeton n° {}",
    ],
)
def test_the_check_reads_french_as_french(text: str) -> None:
    assert looks_french(text)


# --- The package ---------------------------------------------------------------------------------


def _texts_modules() -> list[Path]:
    return sorted((PACKAGE / "texts").glob("*.py"))


@pytest.mark.parametrize("path", _texts_modules(), ids=lambda p: p.name)
def test_each_texts_module_says_what_it_holds_and_imports_only_texts(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstring = ast.get_docstring(tree)
    assert docstring and docstring.strip(), f"{path.name}: a one-line docstring saying what it holds"
    if path.name != "__init__.py":
        assert "\n" not in docstring.strip(), f"{path.name}: the docstring is one line"
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reemploi"):
            assert node.module.startswith("reemploi.texts."), f"{path.name} imports {node.module}: texts stay a leaf"
        if isinstance(node, ast.Import):
            assert not any(a.name.startswith("reemploi") for a in node.names), f"{path.name}: texts stay a leaf"


def test_no_text_is_defined_in_two_modules() -> None:
    # texts/__init__ re-exports every module's names: a second definition would silently win.
    owners: dict[str, list[str]] = {}
    for path in _texts_modules():
        if path.name == "__init__.py":
            continue
        for statement in ast.parse(path.read_text(encoding="utf-8")).body:
            name = _top_level_name(statement)
            if name and not name.startswith("_"):
                owners.setdefault(name, []).append(path.name)
    twice = {name: where for name, where in owners.items() if len(where) > 1}
    assert not twice


def test_every_module_name_is_reachable_as_texts_dot_name() -> None:
    # What templates (`t.X`) and the code (`texts.X`) rely on.
    for path in _texts_modules():
        for statement in ast.parse(path.read_text(encoding="utf-8")).body:
            name = _top_level_name(statement)
            if name and not name.startswith("_"):
                assert hasattr(texts, name), f"texts.{name} ({path.name}) is not re-exported"
