"""Rule ``encryption``: does Category 5 Part 2 apply, which entry, and which License Exception ENC path.

Order of questions (each answered from named facts, each with its citation):
1. cryptanalytic or forensic-extraction item → 5A004.a / 5A004.b (ENC (b)(2));
2. cryptography limited to authentication, integrity, DRM, banking, OAM … → not 'cryptography for data
   confidentiality' (5A002.a Technical Note 1, Note 2): Part 2 does not apply;
3. key lengths stated and none above the 'described security algorithm' limits → Part 2 does not apply;
4. mass market (Cryptography Note 3) → 5A992.c / 5D992.c, ENC (b)(1) or, for chips, modules and
   libraries, (b)(3); self-classification report when the symmetric key exceeds 64 bits;
5. otherwise → 5A002.a / 5D002.c.1 / 5E002.a, ENC (b)(2) for infrastructure, government or custom items,
   else (b)(1).
Limits come from ``corpus/rules/encryption.json``.
"""

from __future__ import annotations

import re
from typing import Any

from classifier.result import Finding, Question
from classifier.rules.base import RuleContext, finding

RULE = "encryption"
PART2 = ("5A002", "5B002", "5D002", "5E002", "5A003", "5A004", "5A992", "5D992", "5E992")
SYMMETRIC = ("AES", "DES", "3DES", "CHACHA20", "BLOWFISH", "TWOFISH", "CAMELLIA", "SM4")
COMPONENT = re.compile(
    r"\b(chips?|chipsets?|modules?|components?|librar(?:y|ies)|sdk|toolkits?|fpgas?|asics?|"
    r"secure elements?|ip cores?)\b",
    re.I,
)
B2_CUES = re.compile(
    r"\b(carrier|operators?|backbone|core router|data cent(?:er|re) interconnect|satellite|"
    r"government|ministr\w+|police|defen[cs]e|classified|custom\w*|source code|infrastructure|"
    r"high-assurance|link encryptor|quantum)\b",
    re.I,
)


QUANTUM = re.compile(r"\b(quantum key distribution|qkd|quantum cryptography)\b", re.I)
DEVELOPMENT = re.compile(
    r"\b(development (?:kit|toolkit|software|tools?)|for (?:designing|developing|producing)|"
    r"build tools|toolkit)\b",
    re.I,
)


def _kind(ctx: RuleContext) -> str:
    """Technology, software (said so, or the ranker's best Part 2 entry is software), or a commodity."""
    if ctx.facts.is_technology and not ctx.facts.is_software:
        return "technology"
    top = ctx.top
    ranked_software = top is not None and top.head in PART2 and top.head[1] == "D"
    return "software" if ctx.facts.is_software or ranked_software else "commodity"


def _described_algorithm(keys: tuple[tuple[str, int], ...], limits: dict[str, Any]) -> bool | None:
    """True/False when key lengths are stated; None when the description states none."""
    if not keys:
        return None
    for alg, bits in keys:
        if alg in SYMMETRIC and bits > limits["symmetric_bits_exceeding"]:
            return True
        if alg in limits["asymmetric_algorithms"] and bits > limits["asymmetric_factorization_bits_exceeding"]:
            return True
        if (
            alg in [a.upper() for a in limits["elliptic_curve_algorithms"]]
            and bits > limits["elliptic_curve_bits_exceeding"]
        ):
            return True
    return False


PRIMARY_SECURITY = re.compile(
    r"\b(encryptors?|vpn|firewalls?|hsm|hardware security modules?|crypto\w*|secure voice|"
    r"key management|information security)\b",
    re.I,
)
NETWORKING = re.compile(
    r"\b(routers?|switch\w*|radios?|modems?|gateways?|access points?|base stations?|"
    r"transceivers?|network\w*|telecom\w*)\b",
    re.I,
)


def _paragraph_5a002a(text: str, entry_paragraph: str) -> str:
    """5A002.a.1 (information security primary), .a.2 (communications/networking), .a.3 (computing/storage)."""
    if PRIMARY_SECURITY.search(text):
        return f"{entry_paragraph}.1"
    if NETWORKING.search(text):
        return f"{entry_paragraph}.2"
    return f"{entry_paragraph}.3"


def _presumed_mass_market(ctx: RuleContext) -> bool:
    """Standard cryptography of a commercial product (Wi-Fi, LTE, TLS, SSH, encrypted storage, a chip's
    crypto engine; ``corpus/rules/implications.json``) is taken to meet the Cryptography Note unless the
    description says otherwise; the result asks the user to confirm."""
    return any(i.mass_market_presumed for i in ctx.facts.implies("standard_crypto"))


def _mass_market(ctx: RuleContext) -> bool:
    explicit = ctx.facts.extra.get("mass_market")
    if explicit is not None:
        return bool(explicit)
    if ctx.facts.not_mass_market_terms:
        return False
    return bool(ctx.facts.mass_market_terms) or _presumed_mass_market(ctx)


def _mass_market_basis(ctx: RuleContext) -> str:
    if ctx.facts.extra.get("mass_market") is not None:
        return "stated by the user"
    functions = ", ".join(i.function for i in ctx.facts.implies("standard_crypto") if i.mass_market_presumed)
    return f"presumed for a commercial product with standard cryptography: {functions}; confirm it"


def _ask_mass_market(ctx: RuleContext, table: dict[str, Any]) -> None:
    """When mass market was presumed, not stated, the answer hangs on it: ask."""
    if ctx.facts.extra.get("mass_market") is not None or ctx.facts.mass_market_terms:
        return
    ctx.ask(
        Question(
            "mass_market",
            "Is the item generally available to the public (sold from stock at retail or by mail, electronic "
            "or telephone order, with cryptography the user cannot easily change) and does it meet the rest "
            "of the Cryptography Note? Answer mass_market=yes or no.",
            "Note 3 to Category 5 Part 2 (Cryptography Note)",
            [table["mass_market"]["eccns"]["commodity"], table["controlled"]["eccns"]["commodity"]],
            table["mass_market"]["citation"],
        )
    )


def _enc(ctx: RuleContext, table: dict[str, Any], path: str) -> tuple[str, str]:
    enc = table["enc"][path]
    note = ""
    if ctx.destination is not None and (ctx.destination.in_group("E:1") or ctx.destination.in_group("E:2")):
        excluded = table["enc"]["e1_e2_excluded"]["citation"]
        note = f" License Exception ENC is not available to {ctx.destination.name} ({excluded})."
    return f"License Exception ENC {enc['citation']}: {enc['duty']}.{note}", enc["citation"]


def evaluate(ctx: RuleContext) -> list[Finding]:
    table = ctx.corpus.rule_table("encryption")
    f = ctx.facts
    top_in_part2 = ctx.top is not None and ctx.top.head in PART2
    if not (f.uses_crypto or f.cryptanalytic or f.forensic or top_in_part2):
        return [
            finding(
                RULE,
                False,
                "no cryptography described: Category 5 Part 2 not indicated",
                table["controlled"]["citation"],
                "The description names no encryption, cryptographic protocol or key; if the item uses "
                "cryptography for data confidentiality, say so to have Category 5 Part 2 checked.",
            )
        ]
    kind = _kind(ctx)
    facts_used = {
        "crypto_terms": list(f.crypto_terms),
        "key_lengths": [f"{a}-{b}" for a, b in f.key_lengths],
        "mass_market_terms": list(f.mass_market_terms),
        "not_mass_market_terms": list(f.not_mass_market_terms),
        "kind": kind,
    }

    if f.cryptanalytic or f.forensic:
        cryptanalytic = table["cryptanalytic"]
        eccn = cryptanalytic["eccns"]["forensic"] if f.forensic else cryptanalytic["eccns"]["cryptanalytic"]
        if kind == "software":  # 5D002.c.3.a performs 5A004.a functions, 5D002.c.3.b those of 5A004.b
            eccn = f"{cryptanalytic['eccns']['software']}.{eccn[-1]}"
        change = ctx.promote(eccn, "cryptanalytic or forensic extraction functions")
        enc_text, enc_citation = _enc(ctx, table, "b2")
        return [
            finding(
                RULE,
                True,
                f"{eccn}: cryptanalytic / digital forensics item. {enc_text}",
                f"{cryptanalytic['citation']}; {enc_citation}",
                "The description says the item defeats cryptography or extracts raw data past authentication. "
                + (change + "." if change else ""),
                **facts_used,
            )
        ]

    limited = f.crypto_limited_terms or (f.extra.get("data_confidentiality") is False and ("stated by the user",))
    if limited:
        change = ctx.demote(PART2, "cryptography limited to functions outside data confidentiality")
        return [
            finding(
                RULE,
                True,
                "not Category 5 Part 2: the cryptography is not for data confidentiality",
                table["data_confidentiality_exclusions"]["citation"],
                f"The cryptography is limited to {', '.join(limited)}; such functions are excluded from "
                "'cryptography for data confidentiality' (Technical Note 1) or decontrolled by Note 2 to "
                "5A002.a. Classify the item on its other characteristics. " + (change + "." if change else ""),
                **facts_used,
            )
        ]

    described = _described_algorithm(f.key_lengths, table["described_security_algorithm"])
    if described is False:
        change = ctx.demote(("5A002", "5D002", "5A992", "5D992"), "no 'described security algorithm'")
        return [
            finding(
                RULE,
                True,
                "not 5A002/5A992: no 'described security algorithm'",
                table["described_security_algorithm"]["citation"],
                "Every stated key is at or below the limits of Technical Note 2 to 5A002.a (symmetric over 56 "
                "bits, RSA/DH over 512 bits, elliptic curve over 112 bits). " + (change + "." if change else ""),
                **facts_used,
            )
        ]

    if _mass_market(ctx):
        _ask_mass_market(ctx, table)
        mass = table["mass_market"]
        eccn = mass["eccns"]["software" if kind == "software" else "commodity"]
        component = bool(COMPONENT.search(f.text))
        path = "b3" if component else "b1"
        enc_text, enc_citation = _enc(ctx, table, path)
        symmetric = [bits for alg, bits in f.key_lengths if alg in SYMMETRIC]
        limit = table["mass_market_report"]["symmetric_bits_exceeding"]
        if path == "b1" and symmetric and max(symmetric) <= limit:
            enc_text = (
                "No classification request or self-classification report: symmetric keys of "
                f"{max(symmetric)} bits do not exceed {limit} ({table['mass_market_report']['citation']})."
            )
        change = ctx.promote(eccn, "mass-market encryption (Cryptography Note 3)")
        return [
            finding(
                RULE,
                True,
                f"{eccn}: mass-market encryption item. {enc_text}",
                f"{mass['citation']}; {enc_citation}",
                "Cryptography for data confidentiality in an item sold openly "
                f"({', '.join(f.mass_market_terms) or _mass_market_basis(ctx)}) with fixed cryptographic "
                "functionality meets the Cryptography Note and is released from EI and NS controls once the "
                "ENC duties are met"
                + (" (chips, modules and libraries go through § 740.17(b)(3))" if component else "")
                + ". "
                + (change + "." if change else ""),
                **facts_used,
            )
        ]

    controlled = table["controlled"]
    eccn = controlled["eccns"][kind]
    if kind == "commodity" and QUANTUM.search(f.text):
        eccn = controlled["eccns"]["quantum"]
    elif kind == "commodity":
        eccn = _paragraph_5a002a(f.text, eccn)
    elif kind == "software" and DEVELOPMENT.search(f.text):
        eccn = controlled["eccns"]["development_software"]
    path = "b2" if B2_CUES.search(f.text) else "b1"
    enc_text, enc_citation = _enc(ctx, table, path)
    change = ctx.promote(eccn, "cryptography for data confidentiality, not mass market")
    presumed = (
        ""
        if described
        else " No key lengths were stated; modern algorithms (AES-128 and up, RSA-2048) exceed the limits."
    )
    return [
        finding(
            RULE,
            True,
            f"{eccn}: controlled encryption item (EI, NS). {enc_text}",
            f"{controlled['citation']}; {enc_citation}",
            "Cryptography for data confidentiality with a described security algorithm, and no sign the item "
            "meets the Cryptography Note (retail availability, fixed functionality)."
            + presumed
            + " "
            + (change + "." if change else ""),
            **facts_used,
        )
    ]
