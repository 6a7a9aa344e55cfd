"""Domain thresholds and formats in one place (see shared design notes, domain.md).

Scale per Permenperin 64/M-IND/PER/7/2016 (investment excludes land and buildings):
- kecil: <= 19 workers and investment < Rp 1 miliar;
- menengah: <= 19 workers and investment >= Rp 1 miliar,
  or >= 20 workers and investment <= Rp 15 miliar;
- anything larger (>= 20 workers and investment > Rp 15 miliar) is not an IKM: kept, but flagged.
"""

PROVINCE_CODE = "61"  # Kalimantan Barat (Kemendagri code), the province SIPI serves

SMALL_MAX_WORKERS = 19
SMALL_MAX_INVESTMENT_EXCLUSIVE = 1_000_000_000
MEDIUM_MAX_INVESTMENT = 15_000_000_000

NIB_REGEX = r"^[0-9]{13}$"
NIK_REGEX = r"^[0-9]{16}$"
KBLI_REGEX = r"^[0-9]{5}$"
NPWP_REGEX = r"^[0-9]{15,16}$"  # digits only after normalising dots and dashes
DESA_CODE_REGEX = r"^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$"
REGION_CODE_REGEX = r"^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$"
SENTRA_MIN_UNITS = 5
