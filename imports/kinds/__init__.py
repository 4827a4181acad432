"""The import kinds, by the name used in URLs, commands and ImportJob.kind."""

from .enterprises import EnterpriseImport
from .grassroots import GrassrootsImport
from .members import MemberImport
from .targets import TargetImport
from .training import TrainingImport
from .units import UnitImport

KINDS = {
    UnitImport.kind: UnitImport,
    GrassrootsImport.kind: GrassrootsImport,
    MemberImport.kind: MemberImport,
    TargetImport.kind: TargetImport,
    EnterpriseImport.kind: EnterpriseImport,
    TrainingImport.kind: TrainingImport,
}

__all__ = [
    "KINDS",
    "EnterpriseImport",
    "GrassrootsImport",
    "MemberImport",
    "TargetImport",
    "TrainingImport",
    "UnitImport",
]
