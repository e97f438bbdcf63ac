"""Rule ``encryption``: does Category 5 Part 2 apply, which entry, and which License Exception ENC path.

Order of questions (each answered from named facts, each with its citation):
0. the description says there is no encryption → Part 2 does not apply (Category 5 Part 1, Note 3);
1. cryptanalytic item → 5A004.a (ENC (b)(2)(ii)); forensic extraction → 5A004.b (ENC (b)(3)(iii)(B));
2. cryptography limited to authentication, integrity, DRM, banking, OAM …, or an item for a 'connected
   civil industry application' → not controlled by 5A002.a (Technical Note 1, Note 2, Note 2.j);
3. key lengths stated and none a 'described security algorithm' (Technical Note 2: any symmetric
   algorithm over 56 bits, RSA/DH over 512, elliptic curve over 112, and the post-quantum algorithms of
   2.c whatever their size) → Part 2 does not apply;
4. mass market (Cryptography Note 3) → 5A992.c / 5D992.c under ENC (b)(1); a self-classification report
   (due by 1 February, § 740.17(e)(3)) only for components and executable software with keys over 64 bits;
5. otherwise → 5A002.a / 5D002.c.1 / 5E002.a: ENC (b)(2)(i)(A)(1) for VPN/WAN infrastructure at 250 Mbps or
   more, (b)(2) for government, custom or other infrastructure items, (b)(3)(i)(A) for chips, (b)(3)(i)(B)
   for libraries, modules and toolkits, else (b)(1).
Limits come from ``corpus/rules/encryption.json``.
"""

from __future__ import annotations

import re
from typing import Any

from classifier.facts import NO_CRYPTO, Facts
from classifier.result import Finding, Question
from classifier.rules.base import RuleContext, finding

RULE = "encryption"
PART2 = ("5A002", "5B002", "5D002", "5E002", "5A003", "5A004", "5A992", "5D992", "5E992")
CHIP = re.compile(r"\b(chips?|chipsets?|fpgas?|asics?|secure elements?|ip cores?|electronic assembl\w+|socs?)\b", re.I)
LIBRARY = re.compile(r"\b(librar(?:y|ies)|sdks?|toolkits?|development kits?|modules?|csps?)\b", re.I)
COMPONENT = re.compile(rf"{CHIP.pattern}|{LIBRARY.pattern}|\b(components?|executable software|firmware)\b", re.I)
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


def _described_algorithm(f: Facts, limits: dict[str, Any]) -> bool | None:
    """True/False when key lengths (or post-quantum algorithms) are stated; None when nothing is stated.

    Technical Note 2.a names no symmetric algorithms: any algorithm with a stated key length that is not an
    asymmetric or elliptic-curve one counts as symmetric (ARIA-256 is a described security algorithm);
    the algorithms of Technical Note 2.c count whatever their size (a Kyber-768 key exchange)."""
    post_quantum = limits["post_quantum"]["names"]
    if any(re.search(rf"\b{re.escape(n)}\b", f.text, re.I) for n in post_quantum):
        return True
    if not f.key_lengths:
        return None
    asymmetric = [a.upper() for a in limits["asymmetric_algorithms"]]
    elliptic = [a.upper() for a in limits["elliptic_curve_algorithms"]]
    for alg, bits in f.key_lengths:
        if alg in asymmetric:
            if bits > limits["asymmetric_factorization_bits_exceeding"]:
                return True
        elif alg in elliptic:
            if bits > limits["elliptic_curve_bits_exceeding"]:
                return True
        elif bits > limits["symmetric_bits_exceeding"]:
            return True
    return False


def _symmetric_bits(f: Facts, limits: dict[str, Any]) -> list[int]:
    others = {a.upper() for a in [*limits["asymmetric_algorithms"], *limits["elliptic_curve_algorithms"]]}
    return [bits for alg, bits in f.key_lengths if alg not in others]


PRIMARY_SECURITY = re.compile(
    r"\b(encryptors?|vpn|firewalls?|hsm|hardware security modules?|crypto\w*|secure voice|"
    r"key management|information security)\b",
    re.I,
)
SECURITY_END_ITEM = re.compile(
    r"\b(encryptors?|next[- ]generation firewalls?|ngfw|firewall appliances?|industrial firewalls?|utm appliances?|"
    r"security (?:appliances?|gateways?)|(?:aes[- ]?\d*\s+)?encryption options?|"
    r"vpn (?:gateways?|appliances?|concentrators?)|quantum key|qkd|key management (?:systems?|servers?|appliances?)|"
    r"secure (?:voice|phones?|radios?))\b",
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


# a part sold openly to be built into other products (Note 3.b to Category 5 Part 2 covers such components)
BUILT_IN = re.compile(
    r"\b(microcontrollers?|mcus?|socs?|system[- ]on[- ](?:a[- ])?chip|microprocessors?|mpus?|processors?|"
    r"wireless modules?|radio modules?|(?:wi-?fi|bluetooth|lte|cellular|lorawan|iot) modules?|"
    r"development (?:kits?|boards?)|evaluation (?:kits?|boards?)|single[- ]board computers?)\b",
    re.I,
)


def _infrastructure_rate(f: Facts, infrastructure: dict[str, Any]) -> bool:
    """A network infrastructure item (WAN, VPN, …) at a stated rate of at least ENC (b)(2)(i)(A)(1)'s."""
    rate = max((q.value for q in f.quantities if q.dimension == "rate"), default=None)
    return bool(re.search(infrastructure["cue"], f.text, re.I)) and rate is not None and (
        rate >= infrastructure["rate_bps_at_least"]
    )


def _presumed_mass_market(ctx: RuleContext, table: dict[str, Any]) -> bool:
    """Cryptography in a commercial product (Wi-Fi, LTE, TLS, SSH, a VPN server in a home router, encrypted
    storage, a chip's crypto engine; ``corpus/rules/implications.json``) is taken to meet the Cryptography Note
    unless the description says otherwise; the result asks the user to confirm. Not presumed for a dedicated
    security device (HSM, encryptor, firewall, security gateway): information security is what it is for."""
    if _infrastructure_rate(ctx.facts, table["network_infrastructure"]):
        return False  # network infrastructure at its rates is ENC (b)(2), never mass market
    top = ctx.top
    if top is not None and top.head in ("5A002", "5D002"):
        return False  # the ranker, trained on such products, places it under 5A002/5D002: not presumed otherwise
    ranked_mass_market = top is not None and top.head in ("5A992", "5D992")
    return bool(ctx.facts.crypto_terms) or ranked_mass_market


def _security_end_item(ctx: RuleContext) -> bool:
    """A dedicated security device: an HSM, an encryptor, a firewall or security gateway, an encryption option."""
    if SECURITY_END_ITEM.search(ctx.facts.text):
        return True
    return any(i.id == "hsm" for i in ctx.facts.implies("standard_crypto")) and not BUILT_IN.search(ctx.facts.text)


def _mass_market(ctx: RuleContext, table: dict[str, Any]) -> bool:
    explicit = ctx.facts.extra.get("mass_market")
    if explicit is not None:
        return bool(explicit)
    if ctx.facts.not_mass_market_terms or _security_end_item(ctx):
        return False
    return bool(ctx.facts.mass_market_terms) or _presumed_mass_market(ctx, table)


def _mass_market_basis(ctx: RuleContext) -> str:
    if ctx.facts.extra.get("mass_market") is not None:
        return "stated by the user"
    functions = ", ".join(ctx.facts.crypto_terms)
    return f"presumed for a commercial product with standard cryptography: {functions}; confirm it"


def _ask_mass_market(ctx: RuleContext, table: dict[str, Any], kind: str) -> None:
    """When mass market was presumed, not stated, the answer hangs on it: ask."""
    if ctx.facts.extra.get("mass_market") is not None or ctx.facts.mass_market_terms:
        return
    side = "software" if kind == "software" else "commodity"
    ctx.ask(
        Question(
            "mass_market",
            "Is the item generally available to the public (sold from stock at retail or by mail, electronic "
            "or telephone order, with cryptography the user cannot easily change) and does it meet the rest "
            "of the Cryptography Note? Answer mass_market=yes or no.",
            "Note 3 to Category 5 Part 2 (Cryptography Note)",
            [table["mass_market"]["eccns"][side], table["controlled"]["eccns"][side]],
            table["mass_market"]["citation"],
        )
    )


def _e1_note(ctx: RuleContext, table: dict[str, Any]) -> str:
    if ctx.destination is not None and (ctx.destination.in_group("E:1") or ctx.destination.in_group("E:2")):
        excluded = table["enc"]["e1_e2_excluded"]["citation"]
        return f" License Exception ENC is not available to {ctx.destination.name} ({excluded})."
    return ""


def _enc(ctx: RuleContext, table: dict[str, Any], path: str) -> tuple[str, str]:
    enc = table["enc"][path]
    return f"License Exception ENC {enc['citation']}: {enc['duty']}.{_e1_note(ctx, table)}", enc["citation"]


def _no_encryption(ctx: RuleContext, table: dict[str, Any]) -> list[Finding]:
    """Category 5 Part 1, Note 3: Part 2 does not apply where EI functionality is absent."""
    note = table["no_ei_functionality"]
    change = ctx.demote(PART2, "no encryption functionality (Category 5 Part 1, Note 3)")
    return [
        finding(
            RULE,
            True,
            "not Category 5 Part 2: the item has no encryption functionality",
            note["citation"],
            f"The description says the item has no encryption. {note['quote']} Classify the item on its other "
            "characteristics. " + (change + "." if change else ""),
        )
    ]


def _classified_elsewhere(ctx: RuleContext) -> str | None:
    """The entry that describes what the item is for, when it lies outside Categories 3, 4 and 5 (electronics,
    computers, telecommunications and information security) or is test equipment there (product group B,
    3A992 general-purpose electronic equipment): a thermal camera, a magnetometer or an aircraft
    part whose Wi-Fi or HTTPS supports a function that is not its primary one stays in its own entry. When the
    first answer is EAR99 and the best-fitting entry lies outside those categories too (a 3D printer, a marine
    radar, a car), the item stays EAR99."""
    top = ctx.top
    if top is None:
        return None
    if top.eccn == "EAR99":
        if ctx.facts.is_software or ctx.facts.is_technology:
            return None
        best = next((s for s in ctx.suggestions if s.eccn != "EAR99"), None)
        if best is None or best.eccn[0] in "345":
            return None
        return f"EAR99 (the nearest entry, {best.eccn}, describes an item outside Categories 3-5)"
    if top.eccn[0] in "345" and not (top.eccn[1] == "B" or top.head == "3A992"):
        return None  # electronics, computers, telecommunications: but test equipment is classified as such
    return top.eccn


def _mass_market_finding(ctx: RuleContext, table: dict[str, Any], kind: str, facts_used: dict[str, Any]) -> Finding:
    """Cryptography Note 3: 5A992.c / 5D992.c under ENC (b)(1); a report only for components with keys over 64 bits."""
    f = ctx.facts
    mass = table["mass_market"]
    eccn = mass["eccns"]["software" if kind == "software" else "commodity"]
    component = bool(COMPONENT.search(f.text))
    enc_text, enc_citation = _enc(ctx, table, "b1")
    symmetric = _symmetric_bits(f, table["described_security_algorithm"])
    limit = table["mass_market_report"]["symmetric_bits_exceeding"]
    report = table["enc"]["mass_market_report"]
    if symmetric and max(symmetric) <= limit:
        enc_text = (
            "No classification request or self-classification report: symmetric keys of "
            f"{max(symmetric)} bits do not exceed {limit} ({table['mass_market_report']['citation']})."
            + _e1_note(ctx, table)
        )
    elif not component:
        enc_text = (
            f"No classification request or self-classification report: {report['citation']} requires the report "
            "only for mass-market components and executable software, not for end items."
            + _e1_note(ctx, table)
        )
    else:
        enc_text += f" The report covers mass-market components and executable software ({report['citation']})."
    change = ctx.promote(eccn, "mass-market encryption (Cryptography Note 3)")
    return finding(
        RULE,
        True,
        f"{eccn}: mass-market encryption item. {enc_text}",
        f"{mass['citation']}; {enc_citation}",
        "Cryptography for data confidentiality in an item sold openly "
        f"({', '.join(f.mass_market_terms) or _mass_market_basis(ctx)}) with fixed cryptographic functionality meets "
        "the Cryptography Note and is released from EI and NS controls once the ENC duties are met. "
        + (change + "." if change else ""),
        **facts_used,
    )


def _controlled_path(ctx: RuleContext, table: dict[str, Any]) -> str:
    """The License Exception ENC paragraph for a 5A002/5D002 item that is not mass market."""
    f = ctx.facts
    infrastructure = table["network_infrastructure"]
    symmetric = _symmetric_bits(f, table["described_security_algorithm"])
    if _infrastructure_rate(f, infrastructure) and (
        not symmetric or max(symmetric) > infrastructure["symmetric_bits_exceeding"]
    ):
        return "b2_network_infrastructure"
    if B2_CUES.search(f.text):
        return "b2"
    if CHIP.search(f.text):
        return "b3_chips"
    if LIBRARY.search(f.text):
        return "b3_libraries"
    return "b1"


def evaluate(ctx: RuleContext) -> list[Finding]:
    table = ctx.corpus.rule_table("encryption")
    f = ctx.facts
    if NO_CRYPTO.search(f.text) and not (f.cryptanalytic or f.forensic):
        return _no_encryption(ctx, table)
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
        enc_text, enc_citation = _enc(ctx, table, "b3_forensics" if f.forensic else "b2_cryptanalytic")
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

    civil = table["connected_civil_industry"]
    if (m := re.search(civil["cue"], f.text, re.I)) and not _mass_market(ctx, table):
        change = ctx.demote(("5A002", "5D002"), "a 'connected civil industry application' (Note 2.j to 5A002.a)")
        return [
            finding(
                RULE,
                True,
                "not 5A002.a: an item for a 'connected civil industry application' (Note 2.j)",
                civil["citation"],
                f"The description names a civil industry application ('{m.group(0)}'). Note 2.j excludes such "
                "items from 5A002.a when their information security is limited to non-arbitrary data or OAM (or "
                "the device to that application) and uses only published or commercial standards that the user "
                "cannot easily change: confirm those conditions. " + (change + "." if change else ""),
                **facts_used,
            )
        ]

    described = _described_algorithm(f, table["described_security_algorithm"])
    if described is False:
        change = ctx.demote(("5A002", "5D002", "5A992", "5D992"), "no 'described security algorithm'")
        return [
            finding(
                RULE,
                True,
                "not 5A002/5A992: no 'described security algorithm'",
                table["described_security_algorithm"]["citation"],
                "Every stated key is at or below the limits of Technical Note 2 to 5A002.a (symmetric over 56 "
                "bits, RSA/DH over 512 bits, elliptic curve over 112 bits) and no algorithm of Technical Note 2.c "
                "is named. " + (change + "." if change else ""),
                **facts_used,
            )
        ]

    elsewhere = _classified_elsewhere(ctx)
    stated_not_mass_market = ctx.facts.extra.get("mass_market") is False or bool(ctx.facts.not_mass_market_terms)
    if elsewhere is not None and not stated_not_mass_market:
        return [
            finding(
                RULE,
                True,
                f"cryptography in an item classified by its primary function ({elsewhere}): not moved to Category 5 "
                "Part 2",
                table["primary_function"]["citation"],
                f"The best-fitting entry, {elsewhere}, describes what the item is for; the cryptography named "
                f"({', '.join(f.crypto_terms)}) supports a function that is not its primary one. "
                + table["primary_function"]["explanation"],
                **facts_used,
            )
        ]

    if _mass_market(ctx, table):
        _ask_mass_market(ctx, table, kind)
        return [_mass_market_finding(ctx, table, kind, facts_used)]

    controlled = table["controlled"]
    eccn = controlled["eccns"][kind]
    if kind == "commodity" and QUANTUM.search(f.text):
        eccn = controlled["eccns"]["quantum"]
    elif kind == "commodity" and elsewhere is not None:
        eccn = f"{eccn}.4"  # non-primary cryptography performed by a part that is not mass market
    elif kind == "commodity":
        eccn = _paragraph_5a002a(f.text, eccn)
    elif kind == "software" and DEVELOPMENT.search(f.text):
        eccn = controlled["eccns"]["development_software"]
    enc_text, enc_citation = _enc(ctx, table, _controlled_path(ctx, table))
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
