"""The bench: a device's storage media, its functional tests and the erasure of each medium (NIST SP
800-88), and what the sale gate sees of them (since the last owner, after a return under warranty)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from reemploi import rules, texts
from reemploi.actors import Actor
from reemploi.collections.models import Collection
from reemploi.db import utcnow, write_transaction
from reemploi.devices import service as devices
from reemploi.devices.lifecycle import is_for_sale
from reemploi.devices.models import Device, DeviceEvent
from reemploi.errors import DeviceOnSale, Invalid, NotFound, UnexplainedFailure
from reemploi.identifiers import identifier
from reemploi.partners.models import Partner, PartnerKind
from reemploi.scope import EVERYTHING, Scope
from reemploi.workshop import gate
from reemploi.workshop.models import Erasure, FunctionalTest, StorageMedium

MEDIUM_KINDS = ("hdd", "ssd", "nvme", "emmc", "other")


def medium_label(medium: StorageMedium) -> str:
    kind = texts.DRIVE_KINDS.get(medium.kind, texts.UI["drive"])
    if medium.serial:
        identity = texts.medium_serial(medium.serial)
    elif medium.wwn:
        identity = texts.medium_wwn(medium.wwn)
    else:
        identity = texts.MEDIUM_TO_IDENTIFY if medium.needs_identification else ""
    return f"{kind} {medium.model or ''}{identity}".replace("  ", " ").strip()


@dataclass(frozen=True, slots=True)
class NewMedium:
    kind: str
    model: str = ""
    serial: str | None = None
    capacity_bytes: int | None = None
    replacement: bool = False


def not_on_sale(device: Device) -> None:
    """A device on sale was cleared by the gate: what would change that verdict (a new test, a new
    disk) waits until it is withdrawn from sale."""
    if is_for_sale(device.state):
        raise DeviceOnSale(texts.withdraw_first(device.code), current_state=device.state)


async def add_medium(session: AsyncSession, code: str, new: NewMedium, scope: Scope = EVERYTHING) -> StorageMedium:
    """A medium the reports did not name (a phone's flash, a disk read by hand) or a replacement."""
    if new.kind not in MEDIUM_KINDS:
        raise Invalid(texts.unknown_choice(texts.UI["medium_kind"], new.kind, MEDIUM_KINDS))
    async with write_transaction(session):
        device = await devices.get_by_code(session, code, scope)
        not_on_sale(device)
        medium = StorageMedium(
            device_id=device.id,
            kind=new.kind,
            model=new.model.strip()[:200],
            serial=identifier(new.serial),
            capacity_bytes=new.capacity_bytes,
            origin="replacement" if new.replacement else "original",
            created_at=utcnow(),
        )
        session.add(medium)
        await session.flush()
        return medium


OUTCOMES = ("pass", "fail", "na")


@dataclass(frozen=True, slots=True)
class CheckResult:
    outcome: str
    note: str = ""


async def record_test(
    session: AsyncSession,
    code: str,
    results: dict[str, CheckResult],
    actor: Actor,
    *,
    battery_percent: int | None = None,
    note: str = "",
    all_working: bool = False,
    scope: Scope = EVERYTHING,
) -> FunctionalTest:
    """Record one run of the category's checklist: every check answered (`all_working`: those left
    unanswered pass), none unknown. It passes when
    no check failed, and the battery (when measured) holds at least the workshop's minimum."""
    async with write_transaction(session):
        device = await devices.get_by_code(session, code, scope)
        not_on_sale(device)
        checks = rules.checklist(device.category)
        if all_working:  # "Tout fonctionne": every check left unanswered passes; the answers given stay
            results = {check: CheckResult("pass") for check in checks} | results
        unknown = sorted(set(results) - set(checks))
        if unknown:
            raise Invalid(texts.unknown_checks(unknown, checks))
        unanswered = [check for check in checks if check not in results]
        if unanswered:
            raise Invalid(texts.unanswered_checks(unanswered))
        bad = sorted(check for check, result in results.items() if result.outcome not in OUTCOMES)
        if bad:
            raise Invalid(texts.bad_outcomes(bad, OUTCOMES))
        unexplained = [
            check for check in checks if results[check].outcome == "fail" and not results[check].note.strip()
        ]
        if unexplained:
            raise UnexplainedFailure(texts.failed_without_note(unexplained))
        if battery_percent is not None and not 0 <= battery_percent <= 150:
            raise Invalid(texts.BAD_BATTERY_PERCENT)
        answers = {
            check: {"outcome": results[check].outcome, "note": results[check].note.strip()[:500]} for check in checks
        }
        if battery_percent is not None and "battery" in answers and battery_percent < rules.battery_min_percent():
            answers["battery"] = {
                "outcome": "fail",
                "note": texts.battery_too_weak(battery_percent, rules.battery_min_percent()),
            }
        passed = all(answer["outcome"] != "fail" for answer in answers.values())
        test = FunctionalTest(
            device_id=device.id,
            at=utcnow(),
            **actor.columns(),
            passed=passed,
            results=answers,
            battery_percent=battery_percent,
            note=note.strip()[:2000],
        )
        session.add(test)
        await session.flush()
        return test


VERIFICATIONS = ("full", "sampled", "none")


RESULTS = ("success", "failure")


@dataclass(frozen=True, slots=True)
class NewErasure:
    medium_id: int
    level: str
    technique: str
    tool: str
    started_at: datetime
    ended_at: datetime
    verification: str
    result: str
    tool_version: str = ""
    passes: int | None = None
    note: str = ""


def plausible_moment(moment: datetime) -> datetime:
    """A date and time typed for an erasure: between 2000 and 2100 (a year 1 is a typing error, and no
    time zone can be applied to it)."""
    if not 2000 <= moment.year <= 2100:
        raise Invalid(texts.ERASURE_DATE_RANGE)
    return moment


async def record_erasure(
    session: AsyncSession, code: str, new: NewErasure, actor: Actor, scope: Scope = EVERYTHING
) -> Erasure:
    """Record the sanitization of one of the device's media. Overwriting flash is recorded with a
    warning (NIST SP 800-88), never silently taken for a purge."""
    problems = []
    if new.level not in rules.erasure_levels():
        problems.append(texts.unknown_choice(texts.UI["erasure_level"], new.level, rules.erasure_levels()))
    if new.technique not in rules.erasure_techniques():
        problems.append(texts.unknown_choice(texts.UI["erasure_technique"], new.technique, rules.erasure_techniques()))
    if new.verification not in VERIFICATIONS:
        problems.append(texts.unknown_choice(texts.UI["erasure_verification"], new.verification, VERIFICATIONS))
    if new.result not in RESULTS:
        problems.append(texts.unknown_choice(texts.UI["erasure_result"], new.result, RESULTS))
    if (new.level == "destroy") != (new.technique == "physical_destruction"):
        problems.append(texts.DESTROY_IS_PHYSICAL)
    if new.ended_at < new.started_at:
        problems.append(texts.ERASURE_ENDS_BEFORE_START)
    if new.ended_at > utcnow() + timedelta(minutes=5):
        problems.append(texts.ERASURE_IN_FUTURE)
    if not new.tool.strip():
        problems.append(texts.ERASURE_NEEDS_TOOL)
    if new.passes is not None and not 0 < new.passes <= 100:
        problems.append(texts.BAD_PASSES)
    if problems:
        raise Invalid(" ".join(problems))
    async with write_transaction(session):
        device = await devices.get_by_code(session, code, scope)
        medium = await session.get(StorageMedium, new.medium_id)
        if medium is None or medium.device_id != device.id:
            raise NotFound(texts.medium_not_on_device(new.medium_id, device.code))
        erasure = Erasure(
            medium_id=medium.id,
            device_id=device.id,
            level=new.level,
            technique=new.technique,
            tool=new.tool.strip()[:100],
            tool_version=new.tool_version.strip()[:50],
            passes=new.passes,
            verification=new.verification,
            result=new.result,
            started_at=new.started_at,
            ended_at=new.ended_at,
            warning=gate.erasure_warning(medium.kind, new.technique) or "",
            note=new.note.strip()[:2000],
            **actor.columns(),
            recorded_at=utcnow(),
        )
        session.add(erasure)
        await session.flush()
        return erasure


@dataclass(frozen=True, slots=True)
class Workbench:
    """Everything the workshop recorded on a device, for its card and its certificate."""

    tests: list[FunctionalTest]
    media: list[StorageMedium]
    erasures: list[Erasure]


async def workbench(session: AsyncSession, device: Device) -> Workbench:
    tests = (
        (
            await session.execute(
                select(FunctionalTest).where(FunctionalTest.device_id == device.id).order_by(FunctionalTest.id)
            )
        )
        .scalars()
        .all()
    )
    media = (
        (
            await session.execute(
                select(StorageMedium).where(StorageMedium.device_id == device.id).order_by(StorageMedium.id)
            )
        )
        .scalars()
        .all()
    )
    erasures = (
        (await session.execute(select(Erasure).where(Erasure.device_id == device.id).order_by(Erasure.id)))
        .scalars()
        .all()
    )
    return Workbench(list(tests), list(media), list(erasures))


def _gate_media(bench: Workbench) -> list[gate.Medium]:
    done: dict[int, str] = {}
    for erasure in bench.erasures:  # the latest successful one of each medium counts
        if erasure.result == "success":
            done[erasure.medium_id] = erasure.level
    return [
        gate.Medium(
            medium_label(m),
            m.kind,
            m.origin == "replacement",
            erased=m.id in done and done[m.id] != "destroy",
            destroyed=done.get(m.id) == "destroy",
        )
        for m in bench.media
    ]


async def since_last_owner(session: AsyncSession, device: Device, bench: Workbench) -> Workbench:
    """What counts for the gate: after a return under warranty, only the tests and erasures made since
    (the buyer's data must be erased and every function tested again before the next owner)."""
    returned: datetime | None = (
        await session.execute(
            select(func.max(DeviceEvent.at)).where(
                DeviceEvent.device_id == device.id, DeviceEvent.action == "return_under_warranty"
            )
        )
    ).scalar_one()
    if returned is None:
        return bench
    return Workbench(
        [t for t in bench.tests if t.at > returned],
        bench.media,
        [e for e in bench.erasures if e.recorded_at > returned],
    )


async def donated_by_public_body(session: AsyncSession, device: Device) -> bool:
    kind = (
        await session.execute(
            select(Partner.kind)
            .join(Collection, Collection.donor_id == Partner.id)
            .where(Collection.id == device.collection_id)
        )
    ).scalar_one_or_none()
    return kind == PartnerKind.COLLECTIVITY.value


async def sale_facts(session: AsyncSession, device: Device, price_cents: int | None) -> gate.SaleFacts:
    bench = await since_last_owner(session, device, await workbench(session, device))
    cap = rules.price_cap(device.category) if await donated_by_public_body(session, device) else None
    age = utcnow().year - device.year if device.year else None
    return gate.SaleFacts(
        category=device.category,
        test_passed=bench.tests[-1].passed if bench.tests else None,
        media=_gate_media(bench),
        grade=device.grade,
        price_cents=price_cents,
        price_cap_cents=cap.cents if cap else None,
        age_years=age,
    )


# What the device card shows of the workshop's records, and the erasure each kind of medium usually gets.
DEFAULT_ERASURE = {  # kind → (level, technique, tool)
    "hdd": ("clear", "overwrite", "nwipe"),
    "ssd": ("purge", "ata_secure_erase", "hdparm"),
    "nvme": ("purge", "nvme_sanitize", "nvme-cli"),
    "emmc": ("purge", "crypto_erase", texts.FACTORY_RESET),
    "other": ("purge", "crypto_erase", ""),
}


async def bench_view(session: AsyncSession, device: Device, open_section: str = "") -> dict[str, Any]:
    bench = await since_last_owner(session, device, await workbench(session, device))
    gate_media = _gate_media(bench)
    status = {
        m.id: "replacement" if g.replacement else "destroyed" if g.destroyed else "erased" if g.erased else "to_erase"
        for m, g in zip(bench.media, gate_media, strict=True)
    }
    facts = await sale_facts(session, device, device.price_cents)
    return {
        "checklist": rules.checklist(device.category),
        "tests": bench.tests,
        "media": bench.media,
        "labels": {m.id: g.label for m, g in zip(bench.media, gate_media, strict=True)},
        "status": status,
        "levels": rules.erasure_levels(),
        "techniques": rules.erasure_techniques(),
        "default_level": {k: v[0] for k, v in DEFAULT_ERASURE.items()},
        "default_technique": {k: v[1] for k, v in DEFAULT_ERASURE.items()},
        "default_tool": {k: v[2] for k, v in DEFAULT_ERASURE.items()},
        "missing": gate.missing_for_sale(facts),
        "certifiable": any(e.result == "success" for e in bench.erasures),
        "open": open_section,
    }
