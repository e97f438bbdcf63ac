import pytest

from classifier.engine import Classifier, InputError
from classifier.facts import read_facts


def test_payload_and_range_with_unit_conversions() -> None:
    f = read_facts("Cruise missile with 1,200 lb payload and 300 nm range")
    assert f.payload_kg == pytest.approx(544.3, abs=0.1) and f.range_km == pytest.approx(555.6, abs=0.1)
    assert read_facts("laser at 1550 nm").range_km is None  # nanometres are not a range


def test_crypto_cues_and_their_negation() -> None:
    assert read_facts("VPN router with IPsec and AES-256").crypto_terms
    assert read_facts("Modbus gateway, no encryption").crypto_terms == ()
    assert read_facts("AES-256 and RSA 2048").key_lengths == (("AES", 256), ("RSA", 2048))


def test_mass_market_and_limited_crypto_cues() -> None:
    f = read_facts("Sold at retail to consumers; encryption for authentication only")
    assert f.mass_market_terms and f.crypto_limited_terms


def test_unknown_explicit_facts_are_refused(classifier: Classifier) -> None:
    with pytest.raises(InputError, match="unknown fact"):
        classifier.classify("router", destinaton="China")
    with pytest.raises(InputError, match="Unknown destination"):
        classifier.classify("router", destination="Atlantis")


def test_classify_with_destination_adds_the_license_view(classifier: Classifier) -> None:
    result = classifier.classify("VPN gateway appliance, IPsec AES-256", destination="China")
    assert result.top.eccn.startswith("5A002.a")
    assert result.license is not None and result.license["destination"] == "China"
    assert all(f.citation for f in result.findings)
