"""Numbers with units, in descriptions and in CCL paragraphs, converted to one base unit per dimension.

"150 WT", "600 kg", "1,000 km", "2.5 × 10^5 lbf·s", "AES-256", "300 nm (nautical miles)": the ranker
compares a description's quantities with a paragraph's thresholds ("exceeding 70 WT"), and the rules
read payload, range and key lengths from them. Conversions are physical constants, not regulation.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# unit spelling -> (dimension, factor to the base unit)
UNITS: dict[str, tuple[str, float]] = {
    # mass (kg)
    "kg": ("mass", 1.0),
    "kilogram": ("mass", 1.0),
    "kilograms": ("mass", 1.0),
    "g": ("mass", 1e-3),
    "grams": ("mass", 1e-3),
    "gram": ("mass", 1e-3),
    "t": ("mass", 1000.0),
    "tonne": ("mass", 1000.0),
    "tonnes": ("mass", 1000.0),
    "ton": ("mass", 1000.0),
    "tons": ("mass", 1000.0),
    "lb": ("mass", 0.45359237),
    "lbs": ("mass", 0.45359237),
    "pound": ("mass", 0.45359237),
    "pounds": ("mass", 0.45359237),
    # length / range (km)
    "km": ("length", 1.0),
    "kilometer": ("length", 1.0),
    "kilometers": ("length", 1.0),
    "kilometres": ("length", 1.0),
    "m": ("length", 1e-3),
    "meter": ("length", 1e-3),
    "meters": ("length", 1e-3),
    "metres": ("length", 1e-3),
    "mm": ("length", 1e-6),
    "µm": ("length", 1e-9),
    "um": ("length", 1e-9),
    "micron": ("length", 1e-9),
    "microns": ("length", 1e-9),
    "nm": ("length", 1e-12),
    "mi": ("length", 1.609344),
    "mile": ("length", 1.609344),
    "miles": ("length", 1.609344),
    "nmi": ("length", 1.852),
    "nautical miles": ("length", 1.852),
    "nautical mile": ("length", 1.852),
    "ft": ("length", 0.0003048),
    "inch": ("length", 2.54e-5),
    "inches": ("length", 2.54e-5),
    "-inch": ("length", 2.54e-5),
    "feet": ("length", 0.0003048),
    # total impulse (N·s)
    "n-s": ("impulse", 1.0),
    "n·s": ("impulse", 1.0),
    "n-sec": ("impulse", 1.0),
    "lbf-s": ("impulse", 4.4482216),
    "lbf·s": ("impulse", 4.4482216),
    "lb-sec": ("impulse", 4.4482216),
    "lbf-sec": ("impulse", 4.4482216),
    # key length (bits)
    "bit": ("bits", 1.0),
    "bits": ("bits", 1.0),
    "-bit": ("bits", 1.0),
    # frequency (Hz)
    "hz": ("frequency", 1.0),
    "khz": ("frequency", 1e3),
    "mhz": ("frequency", 1e6),
    "ghz": ("frequency", 1e9),
    "thz": ("frequency", 1e12),
    # power (W)
    "w": ("power", 1.0),
    "mw": ("power", 1e-3),
    "kw": ("power", 1e3),
    "dbm": ("power_dbm", 1.0),
    # computing performance
    "wt": ("app", 1.0),
    "weighted teraflops": ("app", 1.0),
    "tpp": ("tpp", 1.0),
    "tflops": ("flops", 1e12),
    "gflops": ("flops", 1e9),
    "teraflops": ("flops", 1e12),
    # data rate (bit/s)
    "gbit/s": ("rate", 1e9),
    "gbps": ("rate", 1e9),
    "mbit/s": ("rate", 1e6),
    "mbps": ("rate", 1e6),
    "kbit/s": ("rate", 1e3),
    "kbps": ("rate", 1e3),
    "msps": ("samples", 1e6),
    "gsps": ("samples", 1e9),
    "ksps": ("samples", 1e3),
    "mega samples per second": ("samples", 1e6),
    "giga samples per second": ("samples", 1e9),
    "gsa/s": ("samples", 1e9),
    "msa/s": ("samples", 1e6),
    # memory size (bits); "Mb"/"Gb" are bits and "MB"/"GB" bytes, told apart by case in quantities()
    "kbit": ("storage", 1e3),
    "kbits": ("storage", 1e3),
    "mbit": ("storage", 1e6),
    "mbits": ("storage", 1e6),
    "gbit": ("storage", 1e9),
    "gbits": ("storage", 1e9),
    "tbit": ("storage", 1e12),
    "kbyte": ("storage", 8e3),
    "kbytes": ("storage", 8e3),
    "mbyte": ("storage", 8e6),
    "mbytes": ("storage", 8e6),
    "gbyte": ("storage", 8e9),
    "gbytes": ("storage", 8e9),
    "kb/s": ("rate", 8e3),
    "mb/s": ("rate", 8e6),
    "gb/s": ("rate", 8e9),
    "tb/s": ("rate", 8e12),
    "kb": ("storage", 8e3),
    "mb": ("storage", 8e6),
    "gb": ("storage", 8e9),
    "tb": ("storage", 8e12),
    # temperature (K)
    "k": ("temperature", 1.0),
    "°c": ("temperature_c", 1.0),
    "℃": ("temperature_c", 1.0),
    # speed, pressure, time, others
    "m/s": ("speed", 1.0),
    "km/h": ("speed", 1 / 3.6),
    "knots": ("speed", 0.514444),
    "mach": ("mach", 1.0),
    "mpa": ("pressure", 1e6),
    "kpa": ("pressure", 1e3),
    "pa": ("pressure", 1.0),
    "psi": ("pressure", 6894.757),
    "bar": ("pressure", 1e5),
    "ms": ("time", 1e-3),
    "s": ("time", 1.0),
    "ns": ("time", 1e-9),
    "ps": ("time", 1e-12),
    "hours": ("time", 3600.0),
    "hour": ("time", 3600.0),
    "h": ("time", 3600.0),
    "minutes": ("time", 60.0),
    "rpm": ("rotation", 1.0),
    "%": ("percent", 1.0),
    "percent": ("percent", 1.0),
    "db": ("db", 1.0),
    "v": ("voltage", 1.0),
    "kv": ("voltage", 1e3),
    "mrad": ("angle", 1e-3),
    "µrad": ("angle", 1e-6),
    "urad": ("angle", 1e-6),
    "g rms": ("acceleration", 1.0),
    "gy": ("dose", 1.0),
    "rad": ("dose", 0.01),
    "mm2": ("area", 1e-6),
}

_UNIT_ALTERNATION = "|".join(sorted((re.escape(u) for u in UNITS if "_" not in u), key=len, reverse=True))
# (?<![0-9]): a number starts where a run of digits starts; trying every digit of a 20,000-digit run as a start
# took minutes (each start backtracks through the run and every unit)
_NUMBER = (
    r"(?<![0-9])(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
    r"(?:\s*[x×]\s*10\^?(?P<exp>[−-]?[0-9]+))?"
)
QUANTITY = re.compile(rf"{_NUMBER}\s?(?P<unit>{_UNIT_ALTERNATION})(?![A-Za-z0-9])", re.I)
KEY_LENGTH = re.compile(
    r"\b(?P<alg>AES|RSA|ECC|ECDSA|ECDH|DH|DES|3DES|ChaCha20|Blowfish|Twofish|Camellia|SM4|ARIA|SEED|Serpent|IDEA|"
    r"RC5|RC6|CAST|GOST|Kuznyechik|curve)[\s\-]?(?P<bits>[0-9]{2,5})\b",
    re.I,
)
# comparison words in paragraphs, nearest before the number
_COMPARATORS = (
    (re.compile(r"(exceeding|more than|greater than|above|over|in excess of|higher than)\s*$", re.I), ">"),
    (re.compile(r"(equal to or (more|greater) than|or more|at least|not less than|≥)\s*$", re.I), ">="),
    (re.compile(r"(less than|below|under|lower than|fewer than)\s*$", re.I), "<"),
    (re.compile(r"(not exceeding|equal to or less than|or less|up to|at most|≤)\s*$", re.I), "<="),
)

# comparison words right after the number: "16 bit or more", "10 kg or less"
_TRAILING = (
    (re.compile(r"^\s*(\([^)]*\)\s*)?(or more|or greater|or higher|and above|or above|minimum)\b", re.I), ">="),
    (re.compile(r"^\s*(\([^)]*\)\s*)?(or less|or lower|and below|or below|maximum)\b", re.I), "<="),
)


_BYTES_OR_BITS = frozenset({"kb", "mb", "gb", "tb", "kb/s", "mb/s", "gb/s", "tb/s"})


@dataclass(frozen=True)
class Quantity:
    value: float  # in the base unit of the dimension
    dimension: str
    text: str
    comparator: str = ""  # for thresholds: ">", ">=", "<", "<="; empty for a plain value

    def satisfies(self, threshold: Quantity) -> bool:
        """Does this value meet ``threshold`` ("150 WT" meets "exceeding 70 WT")?"""
        op = threshold.comparator or ">="
        a, b = self.value, threshold.value
        return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op]


# Numbers beyond these are not product specifications; they are dropped from what is read (and a description
# holding one is refused by the engine, see ``out_of_range``). Checked before computing: "10^100000000" is
# never raised to its power.
MAX_EXPONENT = 30
MAX_MAGNITUDE = 1e30


def _number(match: re.Match[str]) -> float | None:
    """The number of a QUANTITY match, or None when it is out of range (exponent or magnitude too large)."""
    exp_text = match["exp"]
    exponent = 0
    if exp_text:
        digits = exp_text.lstrip("−-").lstrip("0")
        if len(digits) > 3 or int(digits or "0") > MAX_EXPONENT:
            return None
        exponent = int(exp_text.replace("−", "-"))
    value = float(match["num"].replace(",", "")) * 10.0**exponent
    return value if math.isfinite(value) and abs(value) <= MAX_MAGNITUDE else None


def out_of_range(text: str) -> list[str]:
    """The numbers-with-units in ``text`` too large (or with too large an exponent) to be read."""
    return [m.group(0) for m in QUANTITY.finditer(text) if m["unit"].lower() in UNITS and _number(m) is None]


def quantities(text: str) -> list[Quantity]:
    """Every number-with-unit in ``text``, converted to its base unit, with the comparison word before it."""
    found = []
    for match in QUANTITY.finditer(text):
        unit = match["unit"].lower()
        if unit not in UNITS:
            continue
        dimension, factor = UNITS[unit]
        number = _number(match)
        if number is None:
            continue
        if unit in _BYTES_OR_BITS and match["unit"].split("/")[0][-1] == "b":
            factor /= 8  # "4Gb DDR3", "32Mb flash": a lower-case b is bits
        value = number * factor
        if dimension == "temperature_c":
            dimension, value = "temperature", value + 273.15
        before = text[max(0, match.start() - 40) : match.start()]
        after = text[match.end() : match.end() + 20]
        comparator = next((op for pattern, op in _COMPARATORS if pattern.search(before)), "")
        comparator = comparator or next((op for pattern, op in _TRAILING if pattern.match(after)), "")
        found.append(Quantity(value, dimension, match.group(0), comparator))
    for match in KEY_LENGTH.finditer(text):
        found.append(Quantity(float(match["bits"]), "bits", match.group(0)))
    return found


def agreement(description: list[Quantity], thresholds: list[Quantity]) -> tuple[int, int, int]:
    """(met, missed, shared dimensions) between a description's values and a paragraph's thresholds."""
    met = missed = 0
    dims = {t.dimension for t in thresholds if t.comparator}
    shared = {q.dimension for q in description} & dims
    for dim in shared:
        values = [q for q in description if q.dimension == dim]
        limits = [t for t in thresholds if t.dimension == dim and t.comparator]
        if any(v.satisfies(t) for v in values for t in limits):
            met += 1
        else:
            missed += 1
    return met, missed, len(shared)


def tightness(description: list[Quantity], thresholds: list[Quantity]) -> float:
    """How closely the description's values clear the lower bounds they meet, as 1 / (1 + log(value/bound)).

    150 WT clears "exceeding 70 WT" with 0.57 and ">= 0.0128 WT" with 0.10: the tighter fit points to the
    more specific entry. 0 when no lower bound is met."""
    best = 0.0
    for q in description:
        for t in thresholds:
            if (
                t.comparator in (">", ">=")
                and t.dimension == q.dimension
                and t.value > 0
                and q.value > 0
                and q.satisfies(t)
            ):
                best = max(best, 1.0 / (1.0 + math.log(q.value / t.value)))
    return best
