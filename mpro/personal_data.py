"""Personal data: what mpro holds about a person or a company, as registries apps fill.

`mpro` imports no app, so every app that stores personal data registers, from `AppConfig.ready()`:

- an **export section** (`register_section`): `collect(user) -> JSON-able`, the data about that
  person only (subject access and portability, GDPR Art. 15 and 20);
- a **person step** (`register_person_step`): `plan(user) -> [Item]` says what happens to its rows
  when the person's account is erased (deleted, anonymised, or kept and why); `erase(user, ctx)`
  does it inside the erasure's transaction;
- a **company step** (`register_company_step`): the same for closing a company.

The privacy app builds the archive, the dry run and the erasure from these; the trips and
telematics apps add trips, positions, private-mode periods and working hours the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

DELETED, ANONYMISED, KEPT = "deleted", "anonymised", "kept"


@dataclass
class Item:
    """A line of an erasure or closure plan."""

    label: str | Promise
    count: int
    outcome: str  # DELETED, ANONYMISED or KEPT
    why: str | Promise = ""


@dataclass
class ErasureContext:
    """Shared by the steps of one erasure: the pseudonym that replaces the person's name."""

    actor: Any
    pseudonym: str
    email: str = ""
    names: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    collect: Callable[[Any], Any]
    order: int = 100


@dataclass(frozen=True)
class Step:
    key: str
    plan: Callable[[Any], list[Item]]
    erase: Callable[[Any, ErasureContext], None] | None = None
    order: int = 100  # lower runs first; the account itself is anonymised last
    blockers: Callable[[Any], list[str | Promise]] | None = None


SECTIONS: dict[str, Section] = {}
PERSON_STEPS: dict[str, Step] = {}
COMPANY_STEPS: dict[str, Step] = {}


def register_section(section: Section) -> None:
    SECTIONS[section.key] = section


def register_person_step(step: Step) -> None:
    PERSON_STEPS[step.key] = step


def register_company_step(step: Step) -> None:
    COMPANY_STEPS[step.key] = step


def ordered(registry: dict) -> list:
    return sorted(registry.values(), key=lambda item: (item.order, item.key))
