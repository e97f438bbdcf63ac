"""Stage 1: facts read from a description, overridable by explicit arguments.

Quantities with units (payload, range, total impulse, key lengths, frequencies, APP/TPP), cues that
tell what kind of item it is (software, technology, material), encryption cues (algorithms,
protocols, "encrypts", key management), mass-market cues (retail, distributors, consumer), cues that
the cryptography is limited to authentication, copy protection or banking, and the transaction facts
a person adds (destination, end user, values for de minimis). The ranker and the rules read these
named facts; nothing downstream parses the description again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from classifier.quantities import KEY_LENGTH, Quantity, quantities

IMPLICATIONS = Path(__file__).resolve().parent.parent / "corpus" / "rules" / "implications.json"


@dataclass(frozen=True)
class Implication:
    """A product feature the EAR treats by implication (``corpus/rules/implications.json``)."""

    id: str
    pattern: re.Pattern[str]
    function: str
    effect: str  # "standard_crypto", "wpan_crypto", "civil_aircraft_part"
    analysis: str
    citation: str
    mass_market_presumed: bool = False


@cache
def _not_for(path: Path = IMPLICATIONS) -> tuple[re.Pattern[str], re.Pattern[str]]:
    table = json.loads(path.read_text(encoding="utf-8"))["not_for"]
    return re.compile(table["pattern"], re.I), re.compile(table["active"], re.I)


_HEAD_CLAUSE = re.compile(r"\bwith\b|\bfor\b|\bincluding\b|[,;(]", re.I)


def _passive_part(text: str) -> bool:
    """Is the item a part with no function of its own (an antenna, a front-end module, a cable …)? It must be
    what the head of the description names (before "with", "for" or a comma), and before any device that
    could hold a function: "a Wi-Fi antenna, U.FL cable" is; "a BLE tag with a battery" is not."""
    passive, active = _not_for()
    boundary = _HEAD_CLAUSE.search(text)
    head = text[: boundary.start()] if boundary else text
    part = passive.search(head)
    device = active.search(head)
    return part is not None and (device is None or part.start() < device.start())


@cache
def implications(path: Path = IMPLICATIONS) -> tuple[Implication, ...]:
    table = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        Implication(
            i["id"],
            re.compile(i["pattern"], re.I),
            i["function"],
            i["effect"],
            i["analysis"],
            i["citation"],
            bool(i.get("mass_market_presumed", False)),
        )
        for i in table["implications"]
    )


CRYPTO = re.compile(
    r"\b(encrypt\w*|decrypt\w*|crypto\w*|cipher\w*|aes|aes-?\d+|rsa|ecc|ecdh|ecdsa|diffie|ipsec|ssl|tls|https|"
    r"vpn|wpa2|wpa3|wpa|ssh|sftp|macsec|openvpn|wireguard|pgp|openpgp|srtp|kyber|dilithium|post-quantum|"
    r"key management|key exchange|secure element|hsm|hardware security module|fips 140|bitlocker|tpm|"
    r"self-encrypting|sed|tcg opal|end-to-end|e2ee|qkd|quantum key)\b",
    re.I,
)
MASS_MARKET = re.compile(
    r"\b(retail\w*|consumer\w*|mass[- ]market|sold (?:at|through|via|in|on|online)|distributors?|off[- ]the[- ]shelf|"
    r"app stores?|play store|download\w*|e-commerce|online stores?|big-box|published pric\w+|list pric\w+|"
    r"catalogue|catalog|home users?|household|user[- ]install\w*|not modifiable|cannot be (?:easily )?changed|"
    r"smartphone|laptop|tablet|smart ?tv|game console|home router)\b",
    re.I,
)
NOT_MASS_MARKET = re.compile(
    r"\b(government|classified|military|defen[cs]e|ministr\w+|"
    r"custom(?:i[sz]ed|[- ](?:built|made|designed|developed|cryptograph\w*|encryption|algorithms?))|"
    r"direct sales|negotiated|"
    r"only to|approved carriers|integrators?|type-1|high-assurance|source code)\b",
    re.I,
)
CRYPTO_LIMITED = re.compile(
    r"\b(authentication only|only for authentication|digital signature only|copy protection|drm|"
    r"digital rights management|banking use|money transactions|fare collection|oam|operations, administration|"
    r"management (?:plane|interface) only|ssh management only|only for management|secure authenticators?|"
    r"cryptoauthentication|challenge-response authentication|(?:fido2?|u2f|webauthn)\b[^.;]{0,40}\bonly)\b",
    re.I,
)
# "brute-force attack protection" defends a product; "brute-force password recovery" attacks one
CRYPTANALYTIC = re.compile(
    r"\b(cryptanaly\w+|password[- ]crack\w*|defeat\w* encryption|"
    r"(?<!against )(?<!from )brute[- ]forc\w*"
    r"(?! (?:password )?(?:attacks? )?(?:protection|prevention|defen[cs]e|lockout)))\b",
    re.I,
)
FORENSIC = re.compile(
    r"\b(forensic\w*|extract\w* (?:raw )?data|bypass\w* (?:the )?(?:lock|passcode)|unlock\w* phones?)\b", re.I
)
SOFTWARE = re.compile(
    r"\b(software|firmware|apps?(?!-id)|application|source code|program|sdk|librar(?:y|ies)|plug-ins?|os|browser|"
    r"operating system|driver|toolkit|antivirus|anti-?malware|endpoint protection|edr|saas|password manager|"
    r"vpn client|suite|subscription)\b",
    re.I,
)
# physical things: when one is named before any software word, the item is hardware that comes with software
HARDWARE = re.compile(
    r"\b(modules?|chips?|chipsets?|ics?|devices?|cameras?|switch(?:es)?|routers?|gateways?|drives?|ssds?|hdds?|"
    r"laptops?|notebooks?|desktops?|servers?|workstations?|boards?|motherboards?|controllers?|sensors?|cards?|"
    r"processors?|socs?|fpgas?|mcus?|microcontrollers?|phones?|smartphones?|tablets?|appliances?|adapters?|"
    r"radios?|receivers?|transceivers?|instruments?|oscilloscopes?|analy[sz]ers?|generators?|pumps?|valves?|"
    r"access points?|modems?|printers?|monitors?|displays?|keyboards?|mice|mouse|headsets?|speakers?|watch(?:es)?|"
    r"machines?|robots?|lasers?|lenses|lens|mirrors?|amplifiers?|antennas?|enclosures?|housings?|kits?|hardware|"
    r"firewalls?(?! software)|routing platforms?|chassis|rack[- ]?mount\w*|din[- ]rail|[12]u|ports?)\b",
    re.I,
)
NO_CRYPTO = re.compile(
    r"\b(no|without|non-?)[- ](?:data )?(encryption|crypto\w*|encrypted)\b"
    r"|\b(encryption|crypto\w*) (?:disabled|removed|none)\b",
    re.I,
)
TECHNOLOGY = re.compile(
    r"\b(technology|know-how|technical data|design data|drawings|documentation|process data|training)\b", re.I
)
MATERIAL = re.compile(
    r"\b(powder|alloy|fib(?:er|re)s?|prepreg|resin|chemical|cas |drums?|cylinders? of|toxin|virus|bacteri\w+|"
    r"wafer|ingot|granules)\b",
    re.I,
)
EVERYDAY = re.compile(
    r"\b(mug|t-shirt|shirt|apparel|furniture|chair|table|sofa|toy|teddy|plush|garden hose|hose|kitchen|knife|cookware|"
    r"pan|kettle|blender|shoes|footwear|wine|food|soap|cosmetic\w*|book|paper|pens?|umbrella|stroller|tent|mattress|"
    r"sheets|pet|dog|cat|golf|tennis|yoga|dumbbell|lamp|bulbs?|wall clock|faucet|tiles|paint|pallets?|boxes)\b",
    re.I,
)

RANGE_CONTEXT = re.compile(r"\b(range|distance|radius|reach|fly|flies|flight|to|over|up to)\b", re.I)
PAYLOAD_CONTEXT = re.compile(r"\b(payload|carry|carries|carrying|lift|lifts|warhead|deliver\w*)\b", re.I)
NAUTICAL = 1.852  # km per nautical mile: "300 nm range" means nautical miles, not nanometres


# facts a caller may give explicitly, with what each means
EXPLICIT_FACTS = {
    "destination": "country of destination (name or ISO code)",
    "end_user": "end user name (screened against the Consolidated Screening List)",
    "consignee": "consignee name (screened against the Consolidated Screening List)",
    "payload_kg": "payload in kg (MTCR)",
    "range_km": "range in km (MTCR)",
    "total_value": "value of the foreign-made item (de minimis)",
    "us_content_value": "value of U.S.-origin controlled content (de minimis)",
    "us_content_eccns": "ECCNs of the U.S.-origin content (de minimis)",
    "enc_authorization": "ENC authorization of U.S. encryption content: b1, b2, b3 or public-source (de minimis)",
    "mass_market": "the item meets the Cryptography Note (True/False)",
    "data_confidentiality": "the cryptography provides data confidentiality (True/False)",
    "answers": "answers to the result's questions, as {parameter: value} (e.g. {'frame rate': '30 Hz'})",
    "end_use": "a stated end use (15 CFR part 744): nuclear, missile, chemical-biological-weapons, military, "
    "military-intelligence, supercomputer, advanced-node-ic, semiconductor-manufacturing",
}


@dataclass(frozen=True)
class Facts:
    """Named facts about one classification request; explicit arguments override parsed ones."""

    text: str
    quantities: tuple[Quantity, ...] = ()
    key_lengths: tuple[tuple[str, int], ...] = ()  # (algorithm, bits): ("AES", 256)
    crypto_terms: tuple[str, ...] = ()
    mass_market_terms: tuple[str, ...] = ()
    not_mass_market_terms: tuple[str, ...] = ()
    crypto_limited_terms: tuple[str, ...] = ()
    cryptanalytic: bool = False
    forensic: bool = False
    is_software: bool = False
    is_technology: bool = False
    is_material: bool = False
    everyday_terms: tuple[str, ...] = ()
    implied: tuple[str, ...] = ()  # ids of the product features the EAR treats by implication (Wi-Fi, LTE …)
    payload_kg: float | None = None
    range_km: float | None = None
    destination: str | None = None
    end_user: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def uses_crypto(self) -> bool:
        return bool(self.crypto_terms)

    def implies(self, effect: str) -> list[Implication]:
        """The implications found in the description that have this effect."""
        return [i for i in implications() if i.id in self.implied and i.effect == effect]

    @property
    def answers(self) -> dict[str, Any]:
        """Answers the user gave to the questions of an earlier result (``answers={"frame rate": "30 Hz"}``)."""
        given = self.extra.get("answers")
        return dict(given) if isinstance(given, dict) else {}

    def with_overrides(self, **overrides: Any) -> Facts:
        """Explicit facts from the caller win over what was read from the text (None leaves a fact as read).

        Unknown names raise ValueError listing the accepted ones, so a typo is not silently ignored."""
        if not overrides:
            return self
        unknown = sorted(set(overrides) - set(EXPLICIT_FACTS))
        if unknown:
            raise ValueError(f"unknown fact(s) {', '.join(unknown)}; accepted: {', '.join(EXPLICIT_FACTS)}")
        overrides = {
            **_answered_facts(overrides.get("answers")),
            **{k: v for k, v in overrides.items() if v is not None},
        }
        known = {k: v for k, v in overrides.items() if v is not None and k in self.__dataclass_fields__}
        extra = {k: v for k, v in overrides.items() if v is not None and k not in self.__dataclass_fields__}
        return replace(self, **known, extra={**self.extra, **extra})


_YES = ("yes", "y", "true", "1")
_NO = ("no", "n", "false", "0")
_BOOLEAN_FACTS = ("mass_market", "data_confidentiality")
_NUMBER_FACTS = ("payload_kg", "range_km", "total_value", "us_content_value")


def _answered_facts(answers: object) -> dict[str, Any]:
    """Answers named like an explicit fact (``mass_market=no``, ``payload_kg=600``) are that fact."""
    if answers is None:
        return {}
    if not isinstance(answers, dict):
        raise ValueError("answers must be a mapping of parameter names to values, e.g. {'frame rate': '30 Hz'}")
    facts: dict[str, Any] = {}
    for name, value in answers.items():
        text = str(value).strip().lower()
        if name in _BOOLEAN_FACTS:
            if text not in _YES + _NO:
                raise ValueError(f"the answer to {name} must be yes or no, got {value!r}")
            facts[name] = text in _YES
        elif name in _NUMBER_FACTS:
            try:
                facts[name] = float(text)
            except ValueError:
                raise ValueError(f"the answer to {name} must be a number, got {value!r}") from None
    return facts


def _is_software(text: str) -> bool:
    """Is the item itself software? A software word with no physical thing named before it: "antivirus
    software for Windows" is software; "a hard drive with backup software" is hardware."""
    soft = SOFTWARE.search(text)
    if soft is None:
        return False
    hard = HARDWARE.search(text)
    return hard is None or soft.start() < hard.start()


def _terms(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(0).lower() for m in pattern.finditer(text)))


# "ECC" of memories and storage is error correction, not elliptic-curve cryptography
MEMORY_ECC = re.compile(
    r"\b(?:(?:on-?(?:die|chip)|in-?band|side-?band) ecc|"
    r"ecc (?:memory|ram|dimms?|sodimms?|udimms?|rdimms?|registered|unbuffered|protection|engine for|correction)|"
    r"error[- ]correct\w*|(?:ddr\d|sdram|sram|dram|nand|nor|flash|gddr\d)\b[^.;]{0,80}\becc\b|"
    r"\becc\b[^.;]{0,40}\b(?:ddr\d|sdram|sram|dram|nand|flash|gddr\d))",
    re.I,
)
# a feature stated as absent ("no Wi-Fi", "without wireless module") implies nothing
ABSENT = re.compile(r"\b(?:no|without|non|w/o)[- ](?:\w+[- ]){0,2}$", re.I)


def _crypto_terms(text: str) -> tuple[str, ...]:
    terms = _terms(CRYPTO, text)
    if "ecc" in terms and MEMORY_ECC.search(text):
        terms = tuple(t for t in terms if t != "ecc")
    return terms


def _present(pattern: re.Pattern[str], text: str) -> bool:
    """The pattern is named and not as something the item lacks."""
    return any(not ABSENT.search(text[max(0, m.start() - 24) : m.start()]) for m in pattern.finditer(text))


def _near(text: str, quantity: Quantity, context: re.Pattern[str], window: int = 40) -> bool:
    at = text.find(quantity.text)
    return at >= 0 and bool(context.search(text[max(0, at - window) : at + len(quantity.text) + window]))


def _range_km(text: str, found: tuple[Quantity, ...]) -> float | None:
    """The stated range: a distance near a range word, with "nm" read as nautical miles there."""
    for q in found:
        if q.dimension != "length" or not _near(text, q, RANGE_CONTEXT, window=25):
            continue
        if re.search(r"\bnm\b", q.text, re.I):
            number = re.match(r"[0-9][0-9,]*(?:\.[0-9]+)?", q.text)
            return float(number.group(0).replace(",", "")) * NAUTICAL if number else None
        if q.value >= 1.0:  # metres and millimetres are sizes, not ranges
            return q.value
    return None


def read_facts(text: str) -> Facts:
    """Everything stage 1 can read from a description."""
    found = tuple(quantities(text))
    payload = next((q.value for q in found if q.dimension == "mass" and _near(text, q, PAYLOAD_CONTEXT)), None)
    if payload is None:
        payload = next((q.value for q in found if q.dimension == "mass"), None)
    distance = _range_km(text, found)
    implied = tuple(
        i.id
        for i in implications()
        if _present(i.pattern, text) and not (i.effect != "civil_aircraft_part" and _passive_part(text))
    )
    no_crypto = bool(NO_CRYPTO.search(text))
    crypto = () if no_crypto else _crypto_terms(text)
    effects = {i.effect for i in implications() if i.id in implied}
    limited = _terms(CRYPTO_LIMITED, text)
    if not no_crypto and "standard_crypto" in effects:
        crypto += tuple(i.function for i in implications() if i.id in implied and i.effect == "standard_crypto")
    elif not no_crypto and "wpan_crypto" in effects and not crypto:
        # Note 2.f to 5A002.a: security limited to a wireless personal area network is not 5A002
        crypto = tuple(i.function for i in implications() if i.id in implied and i.effect == "wpan_crypto")
        limited += ("wireless personal area network only (Note 2.f)",)
    return Facts(
        text=text,
        quantities=found,
        key_lengths=tuple((m["alg"].upper(), int(m["bits"])) for m in KEY_LENGTH.finditer(text)),
        crypto_terms=crypto,
        mass_market_terms=_terms(MASS_MARKET, text),
        not_mass_market_terms=_terms(NOT_MASS_MARKET, text),
        crypto_limited_terms=limited,
        cryptanalytic=bool(CRYPTANALYTIC.search(text)),
        forensic=bool(FORENSIC.search(text)),
        is_software=_is_software(text),
        is_technology=bool(TECHNOLOGY.search(text)),
        is_material=bool(MATERIAL.search(text)),
        everyday_terms=_terms(EVERYDAY, text),
        implied=implied,
        payload_kg=payload,
        range_km=distance,
    )
