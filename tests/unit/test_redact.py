"""Removal of personal data from canvassers' free-text notes (redact.py).

Every kind is found in sentence context and leaves none of its digits behind; ordinary content
(dates, amounts, years, times, counts, ages) survives untouched; spans are offsets in the
original text, sorted and non-overlapping; `redact` is idempotent and linear-time.
"""

from __future__ import annotations

import re
import string
import time
from collections.abc import Callable

import msgspec
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from samenspraak import redact as redact_module
from samenspraak.redact import KINDS, MARKERS, Redaction, has_personal_data, redact

# (kind, sentence, item): the item is the only thing in the sentence with digits.
FOUND = [
    # phone
    ("phone", "Bel me op 06-12345678 als het kan", "06-12345678"),
    ("phone", "Mobiel: 06 1234 5678, liefst na vijven.", "06 1234 5678"),
    ("phone", "Bereikbaar via 0612345678.", "0612345678"),
    ("phone", "Haar nummer is 06 12 34 56 78 zei ze", "06 12 34 56 78"),
    ("phone", "Zoon belt terug vanaf +31 6 12345678 morgen", "+31 6 12345678"),
    ("phone", "Whatsapp +31612345678 graag", "+31612345678"),
    ("phone", "Nummer +31 (0)6 1234 5678 staat op de lijst", "+31 (0)6 1234 5678"),
    ("phone", "Buitenlandse notatie 0031 6 12345678 gebruikt", "0031 6 12345678"),
    ("phone", "Ook 0031612345678 genoemd", "0031612345678"),
    ("phone", "Vaste lijn 070-1234567 werkt niet", "070-1234567"),
    ("phone", "Rotterdams nummer 010 123 4567 doorgegeven", "010 123 4567"),
    ("phone", "Bellen naar 0201234567 kan ook", "0201234567"),
    ("phone", "Kantoor (020) 123 45 67 is dicht", "(020) 123 45 67"),
    ("phone", "Via +31 20 123 4567 bereikbaar", "+31 20 123 4567"),
    ("phone", "De hulplijn 0800-1234 was bezet", "0800-1234"),
    ("phone", "Betaalnummer 0900-1234567 gebeld", "0900-1234567"),
    ("phone", "Nummer 06.1234.5678 opgeschreven", "06.1234.5678"),
    ("phone", "Tel 070/1234567 graag", "070/1234567"),
    ("phone", "Bel 06 - 12345678 na het eten", "06 - 12345678"),
    ("phone", "Belgisch nummer +32 470 12 34 56 van de dochter", "+32 470 12 34 56"),
    # email
    ("email", "Mail naar jan.jansen@example.nl voor de uitnodiging", "jan.jansen@example.nl"),
    ("email", "Reageren op a+b@sub.domain.com mag", "a+b@sub.domain.com"),
    ("email", "Contact: info@buurthuis-oost.nl.", "info@buurthuis-oost.nl"),
    ("email", "Haar adres is J.Jansen@Example.COM zegt ze", "J.Jansen@Example.COM"),
    (
        "email",
        "Stuur het naar fatima.el-amrani77@hotmail.com svp",
        "fatima.el-amrani77@hotmail.com",
    ),
    ("email", "Schrijf jürgen@example.de aan", "jürgen@example.de"),
    ("email", "Cc aan p_de_vries@gemeente.den-haag.nl", "p_de_vries@gemeente.den-haag.nl"),
    ("email", "Naar (buurtapp@mail.example.org) sturen", "buurtapp@mail.example.org"),
    ("email", "Mailadres noor+notities@x.co.uk gekregen", "noor+notities@x.co.uk"),
    # postcode
    ("postcode", "Woont op 2511 AB 12 sinds kort", "2511 AB 12"),
    ("postcode", "Adres 2511AB 12a doorgegeven", "2511AB 12a"),
    ("postcode", "Postcode 2511 ab 12-3 klopt niet", "2511 ab 12-3"),
    ("postcode", "Zie 2511AB12 voor de melding", "2511AB12"),
    ("postcode", "Melding uit 2511 AB, 12 ontvangen", "2511 AB, 12"),
    ("postcode", "Iemand uit 2511 AB klaagde", "2511 AB"),
    ("postcode", "Buurt 2511AB is onrustig", "2511AB"),
    ("postcode", "Flat op 1012 JS 1 heeft lekkage", "1012 JS 1"),
    ("postcode", "Postcode 3511 KL bij de melding", "3511 KL"),
    ("postcode", "Gezin op 9711 lm 34b is verhuisd", "9711 lm 34b"),
    # address
    ("address", "Ik woon op Dorpsstraat 12 naast de bakker", "Dorpsstraat 12"),
    ("address", "Overlast bij Dorpsstraat 12a elke nacht", "Dorpsstraat 12a"),
    ("address", "Het gaat om dorpsstraat 12-II boven", "dorpsstraat 12-II"),
    ("address", "Bewoner van de Van Boetzelaerlaan 3 belde", "Van Boetzelaerlaan 3"),
    ("address", "Woont aan de Laan van Meerdervoort 1024 al lang", "Laan van Meerdervoort 1024"),
    ("address", "Kantoor aan het Lange Voorhout 9 gesloten", "Lange Voorhout 9"),
    (
        "address",
        "Bij Burgemeester de Monchyplein 4 bis staat afval",
        "Burgemeester de Monchyplein 4 bis",
    ),
    ("address", "Hangplek bij Kerkweg 5 A", "Kerkweg 5 A"),
    ("address", "Lekkage op Oude Gracht 112 bs gemeld", "Oude Gracht 112 bs"),
    ("address", "Ingang van 's-Gravendijkwal 12 geblokkeerd", "'s-Gravendijkwal 12"),
    ("address", "Auto's voor Prins Hendrikkade 108 fout geparkeerd", "Prins Hendrikkade 108"),
    ("address", "Afspraak op Binnenhof 1 gemaakt", "Binnenhof 1"),
    ("address", "Brief naar Kerkstr. 12 gestuurd", "Kerkstr. 12"),
    ("address", "Woont op DORPSSTRAAT 7 boven", "DORPSSTRAAT 7"),
    # bsn
    ("bsn", "Haar BSN is 123456782 volgens de brief", "123456782"),
    ("bsn", "Hij noemde 123 456 782 als nummer", "123 456 782"),
    ("bsn", "Nummer 123.456.782 op de envelop", "123.456.782"),
    ("bsn", "Op het formulier stond 123-456-782", "123-456-782"),
    ("bsn", "Sofinummer 1234.56.782 gegeven", "1234.56.782"),
    ("bsn", "Het nummer 111222333 hoort bij hem", "111222333"),
    ("bsn", "Kind heeft 944117715 gekregen", "944117715"),
    ("bsn", "Oud nummer 27832302 zonder nul", "27832302"),
    ("bsn", "BSN: 853 194 130.", "853 194 130"),
    # iban
    ("iban", "Rekening NL91 ABNA 0417 1643 00 voor de borg", "NL91 ABNA 0417 1643 00"),
    ("iban", "Storten op NL91ABNA0417164300 graag", "NL91ABNA0417164300"),
    ("iban", "Ze schreef nl91abna0417164300 op", "nl91abna0417164300"),
    ("iban", "Rekening NL02 RABO 0123 4567 99 (geen controle nodig)", "NL02 RABO 0123 4567 99"),
    ("iban", "Duitse rekening DE89 3704 0044 0532 0130 00 genoemd", "DE89 3704 0044 0532 0130 00"),
    ("iban", "Belgisch BE68 5390 0754 7034 voor de huur", "BE68 5390 0754 7034"),
    ("iban", "Britse GB29 NWBK 6016 1331 9268 19 rekening", "GB29 NWBK 6016 1331 9268 19"),
    ("iban", "Frans FR14 2004 1010 0505 0001 3M02 606 nummer", "FR14 2004 1010 0505 0001 3M02 606"),
    ("iban", "Noors NO93 8601 1117 947 gebruikt", "NO93 8601 1117 947"),
    ("iban", "Compact DE89370400440532013000 opgegeven", "DE89370400440532013000"),
    # name (the title stays, the name goes)
    ("name", "Gesproken met mevrouw Jansen over de speeltuin", "Jansen"),
    ("name", "Volgens meneer J.P. de Vries is het onveilig", "J.P. de Vries"),
    ("name", "Klacht van dhr. Van den Berg over parkeren", "Van den Berg"),
    ("name", "Mw. Çelik vraagt om een bankje", "Çelik"),
    ("name", "De familie Özdemir heeft hulp nodig", "Özdemir"),
    ("name", "Mevr. Jansen-de Vries zag de inbraak", "Jansen-de Vries"),
    ("name", "Huisarts dr. D'Angelo is bezorgd", "D'Angelo"),
    ("name", "Juffrouw Ngô van groep drie zag het", "Ngô"),
    ("name", "De heer in 't Veld belde terug", "in 't Veld"),
    ("name", "Fam. El Amrani verhuist", "El Amrani"),
    ("name", "Gesprek met mw A.B.C. ter Horst gehad", "A.B.C. ter Horst"),
    ("name", "Advocaat mr. Bakker is ingeschakeld", "Bakker"),
    ("name", "Dit zei mevrouw de Groot gisteren", "de Groot"),
]


@pytest.mark.parametrize(("kind", "sentence", "item"), FOUND, ids=[f[2] for f in FOUND])
def test_each_kind_is_found_in_context(kind: str, sentence: str, item: str) -> None:
    assert item in sentence
    out, found = redact(sentence)
    assert [f for f in found if f.kind == kind and item in sentence[f.start : f.end]], found
    assert MARKERS[kind] in out
    assert item not in out
    assert not any(c.isdigit() for c in out), out  # no digit of the item survives
    if kind == "name":  # only the name part: the title word stays
        assert out.lower().startswith(sentence[: sentence.index(item)].lower())
        assert item.split()[-1] not in out


@pytest.mark.parametrize("kind", KINDS)
def test_corpus_has_at_least_eight_examples_per_kind(kind: str) -> None:
    assert sum(f[0] == kind for f in FOUND) >= 8


SURVIVES = [
    # dates
    "Op 12 mei 2024 was er een bijeenkomst",
    "Datum 12-05-2024 genoteerd",
    "Gesprek op 12/5/2024 in het buurthuis",
    "Sinds 2024-05-12 is de lamp kapot",
    "op 3 maart komt de wijkagent",
    "maandag 12 mei weer langs",
    "Maandag 12 mei weer langs",
    "Vrijdag 3 juni is er een buurtfeest",
    "Het was op 03-05-2024 10 uur 's avonds",
    "Op 1 januari en 31 december is het druk",
    "Terug op 5 okt of 12 nov",
    # years
    "in 2019 begonnen de problemen",
    "sinds 1998 woont ze hier",
    "2023 en 2024 waren rustig",
    "in 2023 en 2024 ging het beter",
    "In 2020 tm 2022 was het rustig",
    "Koningsdag 2024 was gezellig",
    "Kerstmarkt 2023 was druk",
    "Sinds 2015 wonen hier statushouders",
    # amounts
    "Het kost € 12,50 per maand",
    "Het kost €12.50 per maand",
    "Schade van 1.250 euro",
    "Boete EUR 300 gekregen",
    "Huur steeg 12% dit jaar",
    "Huur steeg 12 procent dit jaar",
    "Ruim 12.345.678 euro subsidie voor de wijk",
    # times
    "Overlast om 14:30 bij de school",
    "Vanaf 9 uur begint het lawaai",
    "Om half 9 gaan de scooters rijden",
    "Tot 14.30 uur was het druk",
    "Rond 22.00 uur komen de jongeren",
    # counts and ages
    "Ze heeft 3 kinderen op school",
    "Meneer is 78 jaar oud",
    "Zoon zit in groep 8",
    "Groep 8 gaat op kamp",
    "Lijn 12 rijdt niet meer door de wijk",
    "Artikel 12 van de APV",
    "Herdenking WO 2 in de kerk",
    "Een 12-jarige jongen werd lastiggevallen",
    "Zeker 40 jongeren bij de ingang",
    "Jongeren 12 keer weggestuurd",
    "Het gebeurde 3x deze week",
    # words like straat, counts with keer
    "Wie veegt de straat?",
    "De straat is 12 keer schoongemaakt",
    "de straat 12 keer schoongemaakt",
    "Hij nam bus 12 naar huis",
    "Nummer 12345678 op het briefje",  # 8 digits failing the elfproef
    "Code 123456789 werkt niet",  # 9 digits failing the elfproef
    "Factuur 1234567890 betaald",
    # titles without a name
    "meneer zei dat hij het niet wist",
    "mevrouw van de overkant belde",
    "meneer van de bakkerij is boos",
    "de buurvrouw klaagt over de herrie",
    "De heer des huizes was niet thuis",
    "Mevrouw vond het gesprek fijn.",
    "Een meneer uit Syrië vroeg naar taalles",
    # ordinary sentences about nuisance, safety, refugees, youth
    "Veel overlast van jongeren bij het Kerkplein, vooral in het weekend.",
    "Bewoners voelen zich onveilig door slechte verlichting in het park.",
    "Zorgen over de opvang van vluchtelingen in de oude school.",
    "Er zijn te weinig plekken voor jongeren om te sporten.",
    "Buren helpen elkaar sinds de brand van vorig jaar.",
    "Het AZC heeft 300 plekken en de buurt is verdeeld.",
    "Scooters rijden 50 km per uur over het fietspad.",
    "Wijkagent komt 2 keer per week langs.",
    "Met Kerst 2023 was er veel vuurwerk.",
    "Graag meer groen en bankjes op het plein.",
    "In de zomer is het tot 23 uur onrustig.",
    "Ongeveer 15 mensen kwamen naar de avond in het buurthuis.",
]


@pytest.mark.parametrize("text", SURVIVES)
def test_ordinary_content_survives(text: str) -> None:
    assert redact(text) == (text, [])
    assert not has_personal_data(text)


def test_mixed_sentence_with_every_kind() -> None:
    text = (
        "Mevrouw Jansen (Dorpsstraat 12, 2511 AB Den Haag) is op 12 mei bereikbaar via "
        "06-12345678 of jan@example.nl; BSN 123456782, rekening NL91 ABNA 0417 1643 00."
    )
    out, found = redact(text)
    assert out == (
        "Mevrouw [naam] ([adres], [postcode] Den Haag) is op 12 mei bereikbaar via "
        "[telefoon] of [e-mail]; BSN [bsn], rekening [iban]."
    )
    assert [f.kind for f in found] == [
        "name",
        "address",
        "postcode",
        "phone",
        "email",
        "bsn",
        "iban",
    ]
    assert [text[f.start : f.end] for f in found] == [
        "Jansen",
        "Dorpsstraat 12",
        "2511 AB",
        "06-12345678",
        "jan@example.nl",
        "123456782",
        "NL91 ABNA 0417 1643 00",
    ]
    assert has_personal_data(text)


def test_two_of_the_same_kind_are_both_found() -> None:
    text = "Bel 06-12345678 of 010 123 4567, of mail a@b.nl en c@d.nl"
    out, found = redact(text)
    assert out == "Bel [telefoon] of [telefoon], of mail [e-mail] en [e-mail]"
    assert [f.kind for f in found] == ["phone", "phone", "email", "email"]


def test_overlapping_matches_are_fused_and_keep_the_first_kind() -> None:
    # "Jansen" is a name (after a title) and "Jansen 12" an address: same start, longer wins.
    assert redact("meneer Jansen 12") == ("meneer [adres]", [Redaction("address", 7, 16)])
    # The account number inside an IBAN also looks like a landline: the IBAN starts first.
    text = "NL91 ABNA 0417 1643 00"
    assert redact(text) == ("[iban]", [Redaction("iban", 0, len(text))])


def test_merge_rule() -> None:
    merge = redact_module._merge
    assert merge([Redaction("bsn", 5, 15), Redaction("phone", 0, 10)]) == [
        Redaction("phone", 0, 15)
    ]
    assert merge([Redaction("name", 0, 5), Redaction("address", 0, 9)]) == [
        Redaction("address", 0, 9)
    ]
    assert merge([Redaction("name", 0, 5), Redaction("email", 0, 5)]) == [Redaction("email", 0, 5)]
    assert merge([Redaction("phone", 0, 5), Redaction("bsn", 5, 9)]) == [
        Redaction("phone", 0, 5),
        Redaction("bsn", 5, 9),
    ]
    assert merge([Redaction("phone", 0, 20), Redaction("bsn", 5, 9)]) == [Redaction("phone", 0, 20)]


@pytest.mark.parametrize("prefix", ["Één ", "🎉🎉 ", "Ça va? ", "ＡＢ ", "日本語 ", ""])
def test_offsets_are_code_points_in_the_original(prefix: str) -> None:
    text = f"{prefix}Bel 06-12345678 of mevrouw Özdemir."
    out, found = redact(text)
    assert out == f"{prefix}Bel [telefoon] of mevrouw [naam]."
    start = text.index("06")
    assert found == [
        Redaction("phone", start, start + len("06-12345678")),
        Redaction("name", text.index("Özdemir"), text.index("Özdemir") + len("Özdemir")),
    ]


def test_look_alike_characters_are_normalised_with_offsets_kept() -> None:
    text = "Bel 06\u201112345678, 06\u00a012345678 of ０６１２３４５６７８ – dank"
    out, found = redact(text)
    assert out == "Bel [telefoon], [telefoon] of [telefoon] – dank"
    assert [text[f.start : f.end] for f in found] == [
        "06\u201112345678",
        "06\u00a012345678",
        "０６１２３４５６７８",
    ]


def test_a_marker_that_unblocks_a_rule_is_handled_by_the_second_pass() -> None:
    # Before the e-mail is replaced, "9 jan" reads as a date (9 January).
    text = "Lange Voorhout 9 jan@example.nl"
    out, found = redact(text)
    assert out == "[adres] [e-mail]"
    assert [f.kind for f in found] == ["address", "email"]
    assert redact(out) == (out, [])


def test_markers_are_never_matched_again() -> None:
    text = " ".join(MARKERS.values()) + " mevrouw [naam] zei [adres] 12"
    assert redact(text) == (text, [])


def test_redactions_hold_no_removed_text() -> None:
    _, found = redact("Bel 06-12345678")
    assert msgspec.json.decode(msgspec.json.encode(found)) == [
        {"kind": "phone", "start": 4, "end": 15}
    ]
    with pytest.raises(AttributeError):
        found[0].start = 0


# --- properties -----------------------------------------------------------------------------------

FILLER_WORDS = [
    "de",
    "het",
    "een",
    "buurt",
    "overlast",
    "Jongeren",
    "veiligheid",
    "zei",
    "dat",
    "nummer",
    "is",
    "mevrouw",
    "meneer",
    "Kerkplein",
    "Dorpsstraat",
    "graag",
    "nog",
    "eens",
    "bellen",
    ",",
    ".",
    ":",
    "(",
    ")",
    "—",
    "Één",
    "🎉",
]
filler = st.lists(st.sampled_from(FILLER_WORDS), max_size=6).map(" ".join)


def assert_removed(text: str, item: str) -> None:
    out, found = redact(text)
    start = text.index(item)
    assert not any(c.isdigit() for c in out), (text, out)
    covered = set().union(*(range(f.start, f.end) for f in found))
    assert all(i in covered for i in range(start, start + len(item)) if text[i].isdigit())


def elfproef_check_digit(first8: list[int]) -> int:
    return sum(w * d for w, d in zip((9, 8, 7, 6, 5, 4, 3, 2), first8, strict=True)) % 11


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 9), min_size=8, max_size=8),
    st.sampled_from(["{}", "{0:.3} {1:.3} {2:.3}", "{0:.3}.{1:.3}.{2:.3}", "{0:.3}-{1:.3}-{2:.3}"]),
    filler,
    filler,
)
def test_valid_bsns_are_always_removed(
    first8: list[int], layout: str, before: str, after: str
) -> None:
    check = elfproef_check_digit(first8)
    assume(check != 10 and any(first8))
    digits = "".join(map(str, first8)) + str(check)
    bsn = layout.format(digits, digits[3:], digits[6:]) if layout != "{}" else digits
    text = f"{before} {bsn} {after}"
    assert_removed(text, bsn)


def iban_check_digits(country: str, bban: str) -> str:
    number = "".join(str(int(c, 36)) for c in bban + country + "00")
    return f"{98 - int(number) % 97:02d}"


@settings(max_examples=300, deadline=None)
@given(
    st.text(string.ascii_uppercase, min_size=4, max_size=4),
    st.text("0123456789", min_size=10, max_size=10),
    st.sampled_from(["compact", "spaced", "lower"]),
    filler,
    filler,
)
def test_valid_dutch_ibans_are_always_removed(
    bank: str, account: str, layout: str, before: str, after: str
) -> None:
    compact = "NL" + iban_check_digits("NL", bank + account) + bank + account
    iban = {
        "compact": compact,
        "spaced": " ".join(re.findall(".{1,4}", compact)),
        "lower": compact.lower(),
    }[layout]
    text = f"{before} {iban} {after}"
    assert_removed(text, iban)


@settings(max_examples=200, deadline=None)
@given(st.text("0123456789", min_size=18, max_size=18), st.booleans(), filler, filler)
def test_valid_german_ibans_are_removed(bban: str, spaced: bool, before: str, after: str) -> None:
    compact = "DE" + iban_check_digits("DE", bban) + bban
    iban = " ".join(re.findall(".{1,4}", compact)) if spaced else compact
    text = f"{before} {iban} {after}"
    assert_removed(text, iban)


MOBILE_LAYOUTS: list[Callable[[str], str]] = [
    lambda d: f"06{d}",
    lambda d: f"06-{d}",
    lambda d: f"06 {d}",
    lambda d: f"06 {d[:4]} {d[4:]}",
    lambda d: f"06 {d[:2]} {d[2:4]} {d[4:6]} {d[6:]}",
    lambda d: f"06-{d[:2]}-{d[2:4]}-{d[4:6]}-{d[6:]}",
    lambda d: f"06.{d[:4]}.{d[4:]}",
    lambda d: f"(06) {d}",
    lambda d: f"+31 6 {d}",
    lambda d: f"+316{d}",
    lambda d: f"+31 (0)6 {d[:4]} {d[4:]}",
    lambda d: f"+31-6-{d}",
    lambda d: f"0031 6 {d}",
    lambda d: f"00316{d}",
]


@settings(max_examples=300, deadline=None)
@given(
    st.text("0123456789", min_size=8, max_size=8),
    st.sampled_from(MOBILE_LAYOUTS),
    filler,
    filler,
)
def test_mobile_numbers_are_always_removed(
    digits: str, layout: Callable[[str], str], before: str, after: str
) -> None:
    number = layout(digits)
    text = f"{before} {number} {after}"
    assert_removed(text, number)


@settings(max_examples=300, deadline=None)
@given(
    st.text("0123456789", min_size=8, max_size=8),
    st.lists(st.sampled_from(["", "", " ", "-", ".", "/", " - "]), min_size=9, max_size=9),
    filler,
    filler,
)
def test_mobile_numbers_with_random_separators_are_removed(
    digits: str, separators: list[str], before: str, after: str
) -> None:
    number = "".join(sep + digit for sep, digit in zip(separators, "6" + digits, strict=True))
    number = "0" + number
    text = f"{before} {number} {after}"
    assert_removed(text, number)


def assert_well_formed(text: str) -> None:
    out, found = redact(text)
    previous_end = 0
    for f in found:
        assert f.kind in KINDS
        assert previous_end <= f.start < f.end <= len(text)
        previous_end = f.end
    rebuilt, pos = [], 0
    for f in found:
        rebuilt += [text[pos : f.start], MARKERS[f.kind]]
        pos = f.end
    assert out == "".join(rebuilt) + text[pos:]
    assert redact(out) == (out, [])  # idempotent
    assert has_personal_data(text) == bool(found)


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_arbitrary_text_is_well_formed_and_idempotent(text: str) -> None:
    assert_well_formed(text)


TOKENS = [
    *"0123456789",
    "06",
    "0031",
    "+31",
    "(0)",
    "1234",
    "2511",
    "AB",
    "ab",
    "NL91",
    "ABNA",
    "BE68",
    " ",
    " ",
    "-",
    ".",
    ",",
    "/",
    "(",
    ")",
    "@",
    ".nl",
    "jan",
    "mei",
    "jaar",
    "meneer ",
    "mevr.",
    "Jansen",
    "de ",
    "van ",
    "Dorpsstraat",
    "laan",
    "Lange",
    "'s-",
    "'t",
    "bis",
    "Één",
    "[telefoon]",
    "[naam]",
    "é",
    "\u00a0",
    "\n",
]


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(TOKENS), max_size=40).map("".join))
def test_dutchish_text_is_well_formed_and_idempotent(text: str) -> None:
    assert_well_formed(text)


# --- performance ----------------------------------------------------------------------------------

ADVERSARIAL = [
    "1 " * 5000,
    "a@" * 5000,
    "Meneer " * 1500,
    "0" * 10000,
    "a" * 10000,
    "A" * 10000,
    "06 " * 3333,
    "Aa 1 " * 2000,
    "Aa " * 3333,
    "Aa-" * 3333,
    "a-" * 5000,
    "NL91 " * 2000,
    "1." * 5000,
    "a." * 5000,
    "a" * 9999 + "@",
    "x@" + "a." * 4999,
    "mevrouw J. " * 1000,
    "meneer de " * 1000,
    "Laan van " * 1111,
    "2511 AB " * 1250,
    "123 " * 2500,
    "(0" * 5000,
    "+31 " * 2500,
    " " * 10000,
    "Straat 1" * 1250,
    "Dorpsstraat 12 " * 666,
    "'s-" * 3333,
    "jan@x.nl Lange Voorhout 9 " * 400,
    "meneer Jansen2511 AB 12" * 435,
    "123456782+31612345678" * 476,
    "Bel 06-12345678 of mail jan@example.nl, Dorpsstraat 12, mevrouw Jansen. " * 140,
]


@pytest.mark.parametrize("text", ADVERSARIAL, ids=lambda t: repr(t[:12]))
def test_adversarial_input_is_fast(text: str) -> None:
    assert len(text) >= 9_990
    started = time.perf_counter()
    out, _ = redact(text)
    assert time.perf_counter() - started < 0.5
    assert redact(out)[0] == out
