"""What a machine can run, from what its stored reports say of it: `machine_facts` puts together the
reports of one device (processor, memory, largest drive, TPM, UEFI), `verdict` answers whether it can
run Windows 11 and why not (reemploi.rules.windows11)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reemploi.rules import windows11
from reemploi.rules.windows11 import NO_TPM
from reemploi.workshop import boot_medium


def _best_tpm(values: list[str | None]) -> str | None:
    """A TPM version any report states wins over "none", which wins over nothing said."""
    versions = [v for v in values if v and v != NO_TPM]
    if versions:
        return max(versions)
    return NO_TPM if NO_TPM in values else None


def machine_facts(extracted: Sequence[Mapping[str, Any]]) -> windows11.Facts:
    """What a device's stored reports (hardware.Report as JSON) say of the whole machine; the probe's boot
    medium is none of its drives. A report stored before the TPM and UEFI were read says nothing of them."""
    others = [x for x in extracted if x.get("kind") != boot_medium.KIND]
    boot = boot_medium.boot_drives(extracted)
    cpu = next((x["cpu"] for x in others if x.get("cpu")), None)
    memory = next((x["memory_mb"] for x in others if x.get("memory_mb")), None)
    capacities = [
        d["capacity_bytes"]
        for x in others
        for d in x.get("drives") or []
        if d.get("capacity_bytes") and not boot_medium.is_boot_medium(d, boot)
    ]
    tpm = _best_tpm([x.get("tpm") for x in others])
    uefi_said = [x.get("uefi") for x in others if x.get("uefi") is not None]
    uefi = True if True in uefi_said else (False if uefi_said else None)
    return windows11.Facts(cpu, memory, max(capacities) if capacities else None, tpm, uefi)


def verdict(extracted: Sequence[Mapping[str, Any]]) -> windows11.Verdict | None:
    """Whether the machine can run Windows 11 by its reports; None when none describes the machine."""
    if not any(x.get("kind") != boot_medium.KIND for x in extracted):
        return None
    return windows11.assess(machine_facts(extracted))
