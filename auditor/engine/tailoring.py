"""Tailoring: an administrator's thresholds for one facility, reported in every output.

    facility_id: CDF-0002          # the facility it is for, or "*"
    approved_by: J. Rivera, Field Office Director
    reason: Why these thresholds differ from the catalogue defaults.
    overrides:
      MC-INTAKE-SCREEN:
        limit: {hours: 8}

Only a kind's tunable parameters may change (a deadline's limit, a temperature's max, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditor.engine.kinds import KINDS
from auditor.standards.model import Edition, Requirement


@dataclass
class Tailoring:
    facility_id: str
    approved_by: str
    reason: str
    overrides: dict[str, dict[str, Any]]
    file: str
    sha256: str

    def check_for(self, requirement: Requirement) -> dict[str, Any]:
        return {**requirement.check, **self.overrides.get(requirement.id, {})}

    def as_dict(self, edition: Edition) -> dict[str, Any]:
        described = {}
        for rid, params in self.overrides.items():
            requirement = edition.requirements[rid]
            kind = KINDS[requirement.kind]
            described[rid] = {
                "parameters": params,
                "default": kind.describe(requirement.check),
                "tailored": kind.describe(self.check_for(requirement)),
            }
        return {
            "file": self.file,
            "sha256": self.sha256,
            "facility_id": self.facility_id,
            "approved_by": self.approved_by,
            "reason": self.reason,
            "overrides": described,
        }
