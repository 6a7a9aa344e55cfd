"""Demo data for SIPI IKM Kalbar: vocabulary (real products and places) and a deterministic plan."""

from .plan import CertPlan, Plan, ProductPlan, UnitPlan, build_plan
from .vocabulary import CERT_TYPES, FAMILIES, KABUPATEN, SEED, Family, ProductType

__all__ = [
    "CERT_TYPES",
    "FAMILIES",
    "KABUPATEN",
    "SEED",
    "CertPlan",
    "Family",
    "Plan",
    "ProductPlan",
    "ProductType",
    "UnitPlan",
    "build_plan",
]
