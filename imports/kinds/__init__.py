"""The import kinds, by the name used in URLs, commands and ImportJob.kind."""

from .grassroots import GrassrootsImport
from .members import MemberImport
from .targets import TargetImport
from .units import UnitImport

KINDS = {
    UnitImport.kind: UnitImport,
    GrassrootsImport.kind: GrassrootsImport,
    MemberImport.kind: MemberImport,
    TargetImport.kind: TargetImport,
}

__all__ = ["KINDS", "GrassrootsImport", "MemberImport", "TargetImport", "UnitImport"]
