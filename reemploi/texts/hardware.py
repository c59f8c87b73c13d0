"""Hardware reports (dmidecode, smartctl, lshw): their names, what a page shows, why one is refused."""

from __future__ import annotations

# --- Names: each value of the code as people say it -----------------------------------------------

REPORT_KINDS = {
    "dmidecode": "dmidecode",
    "smartctl": "smartctl (texte)",
    "smartctl-json": "smartctl -j",
    "lshw-json": "lshw -json",
    "boot-medium": "clé de démarrage de la sonde (pas un support de l'appareil)",
}

# Windows 11 on the card (reemploi.rules.windows11): why not, and what the reports do not say.
WINDOWS11_REASONS = {
    "cpu_unsupported": "processeur absent de la liste de Microsoft",
    "tpm_missing": "TPM 2.0 absent",
    "tpm_too_old": "TPM 1.2 seulement, 2.0 requis",
    "memory_low": "moins de 4 Go de mémoire",
    "storage_small": "stockage de moins de 64 Go",
    "no_uefi": "pas d'UEFI",
    "cpu_unknown": "processeur",
    "tpm_unknown": "TPM",
    "memory_unknown": "mémoire",
    "storage_unknown": "stockage",
    "uefi_unknown": "UEFI",
}


def windows11_line(eligible: bool | None, failed: tuple[str, ...], unknown: tuple[str, ...]) -> str:
    """ "Windows 11 : non (TPM 2.0 absent)", "Windows 11 : oui", "Windows 11 : à vérifier (non indiqué : TPM)"."""
    if eligible:
        return "Windows 11 : oui"
    if eligible is False:
        return f"Windows 11 : non ({', '.join(WINDOWS11_REASONS[r] for r in failed)})"
    return (
        f"Windows 11 : à vérifier (non indiqué par les rapports : {', '.join(WINDOWS11_REASONS[r] for r in unknown)})"
    )


WINDOWS11_HINT = (
    "D'après la configuration requise de Microsoft (processeur de sa liste, TPM 2.0, UEFI, 4 Go de mémoire, "
    "64 Go de stockage). Un TPM « absent » peut être désactivé dans le BIOS : "
    "l'activer, puis refaire le rapport dmidecode."
)

DRIVE_KINDS = {"hdd": "Disque dur", "ssd": "SSD", "nvme": "SSD NVMe"}


# --- Pages and documents --------------------------------------------------------------------------

UI_HARDWARE = {
    "hardware": "Matériel",
    "report": "Rapport",
    "what_it_says": "Ce qu'il dit",
    "memory": "Mémoire",
    "battery": "Batterie",
    "design_capacity": "capacité d'origine",
    "full_capacity": "capacité pleine charge",
    "drive": "Disque",
    "smart_passed": "SMART OK",
    "smart_failed": "SMART EN ÉCHEC",
    "reallocated": "secteurs réalloués",
    "pending": "secteurs en attente",
    "uncorrectable": "erreurs non corrigées",
    "wear": "usure",
    "no_report": "Aucun rapport matériel pour l'instant.",
    "add_reports": "Joindre des rapports (dmidecode, smartctl, lshw)",
    "send_reports": "Envoyer",
    "reports_hint": "Ou depuis la clé USB de diagnostic : sh reemploi-probe -u ADRESSE -t JETON -c CODE "
    "(le script est à /static/reemploi-probe).",
    "reports_added": "rapport(s) joint(s).",
}


# --- Refusals and notices -------------------------------------------------------------------------


def report_serial_mismatch(report_serial: str, device_serial: str) -> str:
    return (
        f"N° de série du rapport ({report_serial}) différent de celui de l'appareil ({device_serial}) : "
        "ce rapport est-il bien celui de cette machine ? Il n'a rien modifié."
    )


REPORT_FORMATS = "dmidecode, smartctl -a / -x (texte), smartctl -j (JSON), lshw -json"


def report_empty(name: str) -> str:
    return f"{name} : fichier vide. Relancez la collecte sur l'appareil ({REPORT_FORMATS})."


def report_not_text(name: str) -> str:
    return f"{name} : ce n'est pas un rapport texte ou JSON. Formats lus : {REPORT_FORMATS}."


def report_bad_json(name: str, line: int) -> str:
    where = f" (ligne {line})" if line else ""
    return f"{name} : JSON illisible{where}, le fichier est sans doute coupé. Recopiez-le en entier."


def report_unknown_json(name: str) -> str:
    return f"{name} : JSON qui n'est ni de smartctl -j ni de lshw -json. Formats lus : {REPORT_FORMATS}."


def report_unknown_format(name: str) -> str:
    return f"{name} : format non reconnu. Formats lus : {REPORT_FORMATS}."


def report_missing(name: str, tool: str, section: str) -> str:
    return (
        f"{name} : rapport {tool} sans « {section} » : le fichier est coupé ou incomplet. "
        "Relancez la commande et joignez sa sortie entière."
    )


NO_REPORT = (
    "Aucun rapport joint : envoyez un ou plusieurs fichiers (dmidecode, smartctl -a / -x / -j, "
    "lshw -json) dans le champ « files »."
)


def too_many_reports(count: int, maximum: int) -> str:
    return f"{count} rapports envoyés : {maximum} au plus à la fois. Envoyez-les en plusieurs fois."


def report_too_large(name: str, maximum: int) -> str:
    return f"{name[:200]} : fichier trop gros pour un rapport ({maximum // (1024 * 1024)} Mo au plus)."


def no_smbios(name: str) -> str:
    return (
        f"{name} : dmidecode n'a trouvé aucune table SMBIOS sur cette machine (machine virtuelle, carte "
        "sans SMBIOS) : rien à lire, le fichier est gardé pour mémoire. Les autres rapports sont pris en compte."
    )


# --- eReuse Workbench snapshots (reemploi.workshop.workbench) ---
SNAPSHOT_TOO_LARGE = "Instantané Workbench trop gros (plus de 2 Mo) : ce n'est pas un instantané, ou il est corrompu."
SNAPSHOT_NOT_JSON = (
    "Instantané Workbench illisible : ce n'est pas du JSON. Renvoyez le fichier tel que le Workbench l'a écrit."
)
SNAPSHOT_TOO_DEEP = "Instantané Workbench trop imbriqué : ce n'est pas un instantané du Workbench."


def snapshot_missing(what: str) -> str:
    return f"Instantané Workbench incomplet : {what} manque ou n'a pas la forme attendue."
