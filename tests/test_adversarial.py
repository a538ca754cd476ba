"""Adversarial inputs (issue 7/7): each case is a real file built in tmp_path and run through the
command line. XML entities (XXE, billion laughs) in DOCX and eForms, zip bombs and path traversal
in packages, absurd PDF page sizes, extremely long lines, documents in languages clausecheck does
not support, and HTML/script text that must reach the HTML review only escaped.

Expected of every case: exit 0 (read) or 3 (refused with one sentence), never a traceback, nothing
written outside the output asked for. No test is timed (speed is the benchmarks' job); the
pathological inputs here once took minutes, so a regression shows as a stalled suite.
"""

from __future__ import annotations

import io
import json
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest

from tests import docx_builder
from tests.test_bad_input import _zip_with
from tests.test_fuzz import HAND_PDF_LINES, minimal_pdf

SECRET = "TOPSECRET-7f3a9c"


def _stderr_lines(result) -> list[str]:
    lines = [l for l in result.stderr.splitlines() if l.strip()]
    assert all(l.startswith("clausecheck: ") for l in lines), f"stray output on stderr: {lines}"
    return lines


def _assert_refused(result, out: Path, *words: str) -> str:
    """Exit 3, one line `clausecheck: error: ...` containing `words`, no traceback, no output file."""
    assert result.exit_code == 3, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    lines = _stderr_lines(result)
    assert len(lines) == 1 and lines[0].startswith("clausecheck: error: "), lines
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert not out.exists()
    return lines[0]


def _no_leak(tmp_path: Path, result, *secrets: str) -> None:
    """No secret in stdout, stderr or any file under tmp_path (outputs included)."""
    texts = [result.stdout, result.stderr]
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.name != "secret.txt":
            data = path.read_bytes()
            if path.suffix == ".docx" or data[:2] == b"PK":
                with zipfile.ZipFile(path) as archive:
                    texts += [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()]
            texts.append(data.decode("utf-8", "replace"))
    for secret in secrets:
        assert not any(secret in t for t in texts), f"{secret!r} leaked"


# --- XML entities in DOCX -------------------------------------------------------------------------

BODY = docx_builder.p("Leverandøren skal ansætte 2 lærlinge &xxe; i kontraktperioden.") + docx_builder.p(
    "Løn- og ansættelsesvilkår skal overholdes."
)
LAUGHS = "<!ENTITY lol \"lol\">" + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
)


def _docx_with_doctype(path: Path, doctype: str, body: str, part: str = "word/document.xml") -> Path:
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="no"?>{doctype if part == "word/document.xml" else ""}'
        f"<w:document {docx_builder.W}><w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    styles = docx_builder.STYLES
    if part == "word/styles.xml":
        styles = styles.replace('standalone="yes"?>', f'standalone="no"?>{doctype}', 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", docx_builder.CONTENT_TYPES)
        z.writestr("_rels/.rels", docx_builder.RELS)
        z.writestr("word/_rels/document.xml.rels", docx_builder.DOC_RELS)
        z.writestr("word/document.xml", document)
        z.writestr("word/styles.xml", styles)
        z.writestr("word/numbering.xml", docx_builder.NUMBERING)
        z.writestr("word/header1.xml", docx_builder.HEADER)
    return path


def _docx_cases(tmp_path: Path) -> dict[str, tuple[str, str, str]]:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n")
    return {
        "xxe passwd": ('<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', BODY, "word/document.xml"),
        "xxe local file": (f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>', BODY, "word/document.xml"),
        "parameter entity": (f'<!DOCTYPE w:document [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>', BODY.replace("&xxe;", ""), "word/document.xml"),
        "billion laughs": (f"<!DOCTYPE w:document [{LAUGHS}]>", BODY.replace("&xxe;", "&lol9;"), "word/document.xml"),
        "xxe in styles.xml": (f'<!DOCTYPE w:styles [<!ENTITY xxe SYSTEM "file://{secret}">]>', BODY.replace("&xxe;", ""), "word/styles.xml"),
    }


@pytest.mark.parametrize("case", ["xxe passwd", "xxe local file", "parameter entity", "billion laughs", "xxe in styles.xml"])
@pytest.mark.parametrize("command", ["extract", "check"])
def test_docx_with_xml_entities_is_refused_without_reading_them(case: str, command: str, tmp_path: Path, run) -> None:
    doctype, body, part = _docx_cases(tmp_path)[case]
    path = _docx_with_doctype(tmp_path / "tender.docx", doctype, body, part)
    out = tmp_path / "out.json"
    result = run(command, str(path), "--format", "json", "-o", str(out))
    _assert_refused(result, out, "tender.docx declares a DTD or entities", part, "possible XML attack")
    _no_leak(tmp_path, result, SECRET, "root:", "lollollol")


def test_docx_with_entities_in_a_package_is_an_error_and_the_rest_is_reviewed(tmp_path: Path, run) -> None:
    folder = tmp_path / "tender"
    folder.mkdir()
    doctype, body, _ = _docx_cases(tmp_path)["xxe local file"]
    _docx_with_doctype(folder / "bilag.docx", doctype, body)
    (folder / "kontrakt.txt").write_text("1 Arbejdsklausul\n\nLeverandøren skal ansætte 2 lærlinge i kontraktperioden.\n", encoding="utf-8")
    out = tmp_path / "review.json"
    result = run("check", str(folder), "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    review = json.loads(out.read_text(encoding="utf-8"))
    assert review["status"] == "partial" and [e["document"] for e in review["errors"]] == ["bilag.docx"]
    assert "DTD or entities" in review["errors"][0]["error"]
    assert [d["name"] for d in review["documents"]] == ["kontrakt.txt"]
    assert any(l.startswith("clausecheck: error: bilag.docx declares a DTD") for l in _stderr_lines(result))
    _no_leak(tmp_path, result, SECRET)


# --- XML entities in eForms notices ---------------------------------------------------------------

NOTICE_BODY = (
    '<ContractNotice xmlns="urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2" '
    'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2" '
    'xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">'
    "<cbc:ContractFolderID>&e;</cbc:ContractFolderID><cac:ProcurementProject><cbc:Name>&e;</cbc:Name>"
    '<cbc:ProcurementTypeCode listName="contract-nature">services</cbc:ProcurementTypeCode></cac:ProcurementProject>'
    "</ContractNotice>"
)


def _notice_cases(tmp_path: Path) -> dict[str, bytes]:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n")
    laughs = LAUGHS.replace("lol9", "e")  # &e; expands to 10^9 "lol"s
    return {
        "billion laughs": f'<?xml version="1.0"?><!DOCTYPE x [{laughs}]>{NOTICE_BODY}'.encode(),
        "xxe": f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>{NOTICE_BODY}'.encode(),
        "external dtd": f'<?xml version="1.0"?><!DOCTYPE x SYSTEM "file://{secret}">{NOTICE_BODY.replace("&e;", "X")}'.encode(),
        "parameter entity": f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY % p SYSTEM "file://{secret}"> %p;]>{NOTICE_BODY.replace("&e;", "X")}'.encode(),
        "utf-16 xxe": f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>{NOTICE_BODY}'.encode("utf-16"),
    }


@pytest.mark.parametrize("case", ["billion laughs", "xxe", "external dtd", "parameter entity", "utf-16 xxe"])
def test_eforms_notice_with_entities_is_refused_with_a_clear_error(case: str, tmp_path: Path, run) -> None:
    notice = tmp_path / "notice.xml"
    notice.write_bytes(_notice_cases(tmp_path)[case])
    document = tmp_path / "kontrakt.txt"
    document.write_text("1 Arbejdsklausul\n\nLeverandøren skal ansætte 2 lærlinge i kontraktperioden.\n", encoding="utf-8")
    out = tmp_path / "review.json"
    result = run("check", str(notice), str(document), "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr  # the documents are still reviewed
    errors = [l for l in _stderr_lines(result) if l.startswith("clausecheck: error: ")]
    assert errors == ["clausecheck: error: notice.xml declares a DTD or entities, which eForms notices never do; refusing to read it (possible XML attack)."]
    review = json.loads(out.read_text(encoding="utf-8"))
    assert review["status"] == "partial" and review["errors"][0]["document"] == "notice.xml"
    assert review["facts"]["contract_type"] is None or review["facts"]["contract_type"]["evidence"]["source"] != "notice"
    _no_leak(tmp_path, result, SECRET, "lollollol")


def test_eforms_notice_alone_with_xxe_gives_no_review(tmp_path: Path, run) -> None:
    notice = tmp_path / "notice.xml"
    notice.write_bytes(_notice_cases(tmp_path)["xxe"])
    out = tmp_path / "review.json"
    result = run("check", str(notice), "--format", "json", "-o", str(out))
    assert result.exit_code == 3 and not out.exists()
    assert "Traceback" not in result.stderr
    assert any("notice.xml declares a DTD or entities" in l for l in _stderr_lines(result))
    _no_leak(tmp_path, result, SECRET)


# --- ZIP packages: path traversal and bombs -------------------------------------------------------

GOOD_TEXT = b"1 Arbejdsklausul\n\nLeverandoeren skal ansaette 2 laerlinge.\n"


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch) -> Path:
    """Packages unpack into a temp folder of the test's own, so we can see everything written."""
    folder = tmp_path / "tmpdir"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _traversal_names(tmp_path: Path) -> dict[str, tuple[str, Path]]:
    up = "../" * 40  # enough to climb to / from wherever the package is unpacked
    return {
        "dot-dot": ("../../evil.txt", tmp_path / "evil.txt"),
        "deep dot-dot to a known place": (up + str(tmp_path / "deep.txt").lstrip("/"), tmp_path / "deep.txt"),
        "absolute": (str(tmp_path / "abs.txt"), tmp_path / "abs.txt"),
        "backslashes": ("..\\..\\win.txt", tmp_path / "win.txt"),
        "drive letter": ("C:/evil.txt", tmp_path / "tmpdir" / "C:" / "evil.txt"),
        "inside then out": ("udbud/../../../evil2.txt", tmp_path / "evil2.txt"),
    }


@pytest.mark.parametrize("case", ["dot-dot", "deep dot-dot to a known place", "absolute", "backslashes", "drive letter", "inside then out"])
def test_zip_package_with_path_traversal_is_refused_and_writes_nothing(case: str, tmp_path: Path, private_tmp: Path, run) -> None:
    name, target = _traversal_names(tmp_path)[case]
    package = tmp_path / "tender.zip"
    package.write_bytes(_zip_with({"udbud/kontrakt.txt": GOOD_TEXT, name: b"owned\n"}))
    assert name in zipfile.ZipFile(package).namelist()  # stored as given (only extraction sanitises)
    out = tmp_path / "review.json"
    result = run("check", str(package), "--format", "json", "-o", str(out))
    _assert_refused(result, out, "tender.zip contains an unsafe path", "path traversal")
    assert not target.exists()
    assert list(private_tmp.iterdir()) == []  # nothing left behind in the unpacking folder either
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tender.zip", "tmpdir"]


def _bomb(member_mb: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("udbud/kontrakt.txt", GOOD_TEXT)
        with archive.open("udbud/bilag.txt", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(member_mb):
                member.write(chunk)
    return buffer.getvalue()


def _lying_sizes(real_mb: int, declared: int) -> bytes:
    """A member whose headers claim `declared` bytes but which inflates to `real_mb` MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("kontrakt.txt", b"x" * (real_mb << 20))
    data = bytearray(buffer.getvalue())
    struct.pack_into("<I", data, 22, declared)  # local header: uncompressed size
    central = data.rfind(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, declared)  # central directory: uncompressed size
    return bytes(data)


def _many_members(count: int) -> bytes:
    return _zip_with({f"udbud/{i}.txt": b"" for i in range(count)})


BOMBS = {
    "one huge member (540 MB of zeros)": (lambda: _bomb(540), "possible zip bomb"),
    "5,000 members": (lambda: _many_members(5000), "holds 5000 files; the limit is 2000"),
    "headers that lie about the size": (lambda: _lying_sizes(40, 1000), "is damaged: 'kontrakt.txt' cannot be unpacked"),
}


@pytest.mark.parametrize("case", sorted(BOMBS))
def test_zip_bomb_package_is_refused_fast(case: str, tmp_path: Path, private_tmp: Path, run) -> None:
    make, words = BOMBS[case]
    package = tmp_path / "tender.zip"
    package.write_bytes(make())
    assert package.stat().st_size < 5 * 2**20
    out = tmp_path / "review.json"
    result = run("check", str(package), "--format", "json", "-o", str(out))
    _assert_refused(result, out, words)
    assert list(private_tmp.iterdir()) == []  # what was unpacked before the refusal is gone


def test_docx_with_lying_sizes_is_refused(tmp_path: Path, run) -> None:
    path = tmp_path / "tender.docx"
    docx_builder.build(path, docx_builder.p("Leverandøren skal ansætte 2 lærlinge."))
    data = bytearray(path.read_bytes())
    for m in [i for i in range(len(data) - 4) if data[i : i + 4] == b"PK\x01\x02"]:
        if data[m + 46 : m + 46 + len(b"word/document.xml")] == b"word/document.xml":
            struct.pack_into("<I", data, m + 24, 10)  # claims 10 bytes
    path.write_bytes(bytes(data))
    out = tmp_path / "out.json"
    _assert_refused(run("extract", str(path), "--format", "json", "-o", str(out)), out, "tender.docx")


# --- absurd PDF page sizes ------------------------------------------------------------------------

PDFS = {
    "page of 14400 x 14400 pt": (dict(mediabox=(0, 0, 14400, 14400)), 0),
    "MediaBox of 1e6": (dict(mediabox=(0, 0, 1e6, 1e6)), 0),
    "UserUnit 75000": (dict(mediabox=(0, 0, 14400, 14400), page_extra="/UserUnit 75000"), 0),
    "negative MediaBox": (dict(mediabox=(-1e6, -1e6, -5, -5), y=700), 0),
    "empty MediaBox": (dict(mediabox=(0, 0, 0, 0), y=700), 0),
    "font size 1e9": (dict(font_size=1e9, y=700), 0),
    "MediaBox of 9e999": (dict(mediabox=("0", "0", "1e308", "9e999"), y=700), 3),
    "MediaBox of nan": (dict(mediabox=("nan", "0", "x", "1e6"), y=700), 3),
}


@pytest.mark.parametrize("case", list(PDFS))
def test_pdf_with_absurd_page_size_is_read_or_refused_cleanly(case: str, tmp_path: Path, run) -> None:
    options, expected = PDFS[case]
    path = tmp_path / "tender.pdf"
    path.write_bytes(minimal_pdf(HAND_PDF_LINES, **options))
    out = tmp_path / "out.json"
    result = run("extract", str(path), "--format", "json", "-o", str(out))
    assert "Traceback" not in result.stderr
    if expected == 3:
        _assert_refused(result, out, "tender.pdf is damaged or truncated")
        return
    assert result.exit_code == 0, result.stderr
    _stderr_lines(result)
    text = " ".join(c["text"] for c in json.loads(out.read_text(encoding="utf-8"))["clauses"])
    assert "laerlinge" in text and "5.000 kr." in text


# --- extremely long lines, very many lines --------------------------------------------------------

SENTENCE = "Leverandøren skal sikre løn og ansættelsesvilkår for lærlinge, anslået værdi 1.000.000 kr. i 24 måneder; "


def _long_line(path: Path) -> Path:
    line = (SENTENCE * (2_000_000 // len(SENTENCE) + 1))[:2_000_000]
    path.write_text("1 Arbejdsklausul\n\n" + line + "\n", encoding="utf-8")
    return path


def _many_lines(path: Path) -> Path:
    path.write_text("".join(f"Linje {i} skal overholdes.\n" for i in range(100_000)), encoding="utf-8")
    return path


BIG_TEXTS = {"one 2 MB line": _long_line, "100,000 short lines": _many_lines}


@pytest.mark.parametrize("case", list(BIG_TEXTS))
def test_extract_of_huge_text_completes(case: str, tmp_path: Path, run) -> None:
    """The reader joins a paragraph's lines; that was quadratic (100,000 lines: > 10 minutes)."""
    path = BIG_TEXTS[case](tmp_path / "tender.txt")
    out = tmp_path / "out.json"
    result = run("extract", str(path), "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    clauses = json.loads(out.read_text(encoding="utf-8"))["clauses"]
    text = "".join(c["text"] for c in clauses)
    assert len(text) >= (2_000_000 if case == "one 2 MB line" else 100_000 * len("Linje 0 skal overholdes."))
    if case == "100,000 short lines":
        assert "Linje 99999 skal overholdes." in text


@pytest.mark.slow
@pytest.mark.parametrize("case", list(BIG_TEXTS))
def test_check_of_huge_text_completes(case: str, tmp_path: Path, run) -> None:
    """The whole pipeline on the same inputs: about 20 s each on one core (one 2-3 MB clause)."""
    path = BIG_TEXTS[case](tmp_path / "tender.txt")
    out = tmp_path / "review.json"
    result = run("check", str(path), "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    review = json.loads(out.read_text(encoding="utf-8"))
    assert review["summary"]["clauses"] >= 1 and review["status"] == "complete"


def test_long_runs_of_digits_are_linear(tmp_path: Path, run) -> None:
    """Amount and element patterns that open with \\d+ were quadratic in a run of digits (20,000
    digits: minutes). 300,000 digits, plus a run of word characters, must take seconds."""
    path = tmp_path / "tender.txt"
    path.write_text(
        "1 Arbejdsklausul\n\nLeverandøren skal ansætte 2 lærlinge. Anslået værdi " + "7" * 200_000 + "x kr. og "
        + "9" * 100_000 + " år " + "a" * 100_000 + "årsværk.\n",
        encoding="utf-8",
    )
    out = tmp_path / "review.json"
    result = run("check", str(path), "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    facts = json.loads(out.read_text(encoding="utf-8"))["facts"]
    assert facts["value_dkk"] is None  # hundreds of digits are no contract value
    assert facts["total_months"] is None


# --- documents in languages clausecheck does not support ------------------------------------------

FOREIGN = {
    "de": """Ausschreibung: Reinigung der städtischen Gebäude

1 Gegenstand des Auftrags

Der Auftraggeber vergibt die Unterhaltsreinigung von zwölf Schulen und Kindergärten.
Der Auftragnehmer muss die Leistungen nach den Vorgaben der Leistungsbeschreibung erbringen.

2 Soziale Anforderungen

Der Auftragnehmer muss während der gesamten Vertragslaufzeit mindestens zwei Auszubildende beschäftigen.
Die Auszubildenden werden in der Reinigung eingesetzt, und der Auftragnehmer hat dies auf Verlangen nachzuweisen.
Der Auftragnehmer stellt sicher, dass die Beschäftigten Lohn- und Arbeitsbedingungen nach dem geltenden Tarifvertrag erhalten.
Bei Verstößen wird eine Vertragsstrafe von 5.000 Euro je Fall fällig.
""",
    "sv": """Upphandling av städtjänster för kommunens lokaler

1 Uppdragets omfattning

Upphandlande myndighet avser att teckna avtal om lokalvård för skolor och förskolor.
Leverantören ska utföra tjänsterna enligt kraven i förfrågningsunderlaget.

2 Särskilda kontraktsvillkor

Leverantören ska under hela avtalsperioden anställa minst två lärlingar inom lokalvård.
Lärlingarna ska ha ett lärlingsavtal och leverantören ska på begäran redovisa detta.
Leverantören ska säkerställa att de anställda har lön och arbetsvillkor enligt gällande kollektivavtal.
Vid brott mot villkoren utgår ett vite om 5 000 kronor per tillfälle.
""",
    "fr": """Marché public de services de nettoyage des bâtiments communaux

1 Objet du marché

Le pouvoir adjudicateur confie au titulaire le nettoyage des écoles et des crèches de la commune.
Le titulaire doit exécuter les prestations conformément au cahier des clauses techniques particulières.

2 Clauses sociales

Le titulaire doit employer au moins deux apprentis pendant toute la durée du marché.
Les apprentis sont affectés au nettoyage et le titulaire doit en justifier sur demande.
Le titulaire veille à ce que les salariés bénéficient des salaires et des conditions de travail de la convention collective.
En cas de manquement, une pénalité de 5 000 euros par infraction est appliquée.
""",
    "nb": """Anskaffelse av renholdstjenester for kommunens bygg

1 Oppdragets omfang

Oppdragsgiver skal inngå avtale om renhold av skoler og barnehager i kommunen.
Leverandøren skal utføre tjenestene i henhold til kravspesifikasjonen.

2 Særlige kontraktsvilkår

Leverandøren skal i hele avtaleperioden ha minst to lærlinger i arbeid med oppdraget.
Lærlingene skal ha lærekontrakt, og leverandøren skal dokumentere dette på forespørsel.
Leverandøren skal sørge for at de ansatte har lønns- og arbeidsvilkår i tråd med gjeldende tariffavtale.
Ved brudd på kravene ilegges en dagmulkt på 5 000 kroner per tilfelle.
""",
}
DANISH_CONTROL = """Udbud af rengøring af kommunens bygninger

1 Opgavens omfang

Ordregiver udbyder den daglige rengøring af skoler og daginstitutioner i kommunen.
Leverandøren skal levere ydelserne i overensstemmelse med kravspecifikationen.

2 Sociale klausuler

Leverandøren skal i hele kontraktperioden beskæftige mindst to lærlinge i rengøringsarbejdet.
Lærlingene skal have en uddannelsesaftale, og leverandøren skal dokumentere dette på forlangende.
Leverandøren skal sikre, at de ansatte har løn- og ansættelsesvilkår i overensstemmelse med den gældende overenskomst.
Ved overtrædelse af kravene betaler leverandøren en bod på 5.000 kr. pr. tilfælde.
"""
LANGUAGE_NAMES = {"de": "German", "sv": "Swedish", "fr": "French", "nb": "Norwegian"}


@pytest.mark.parametrize("lang", list(FOREIGN))
def test_document_in_an_unsupported_language_gets_a_warning_and_no_findings(lang: str, tmp_path: Path, run) -> None:
    path = tmp_path / f"udbud-{lang}.txt"
    path.write_text(FOREIGN[lang], encoding="utf-8")
    out = tmp_path / "review.json"
    result = run("check", str(path), "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    warnings = [l for l in _stderr_lines(result) if l.startswith("clausecheck: warning: ")]
    assert warnings == [
        f"clausecheck: warning: language not supported: udbud-{lang}.txt looks '{lang}'; clausecheck supports da, en, so no clause was classified."
    ], (LANGUAGE_NAMES[lang], warnings)
    review = json.loads(out.read_text(encoding="utf-8"))
    assert review["documents"][0]["lang"] == lang and review["documents"][0]["lang_supported"] is False
    assert review["clauses"] and all(c["labels"] == [] and not c["social"] and c["findings"] == [] for c in review["clauses"])
    assert review["findings"] == [] and review["summary"]["social_clauses"] == 0 and review["summary"]["labels"] == {}
    assert review["summary"]["missing"] == [] and review["summary"]["legal_risks"] == []


def test_the_same_tender_in_danish_is_classified(tmp_path: Path, run) -> None:
    """The control for the test above: the Danish version of the same text is read as social."""
    path = tmp_path / "udbud-da.txt"
    path.write_text(DANISH_CONTROL, encoding="utf-8")
    out = tmp_path / "review.json"
    result = run("check", str(path), "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert not [l for l in result.stderr.splitlines() if "language not supported" in l]
    review = json.loads(out.read_text(encoding="utf-8"))
    assert review["documents"][0]["lang"] == "da" and review["documents"][0]["lang_supported"] is True
    assert "apprentices" in review["summary"]["labels"]


def test_package_with_danish_and_german_documents_classifies_only_the_danish(tmp_path: Path, run) -> None:
    (tmp_path / "kontrakt.txt").write_text(DANISH_CONTROL, encoding="utf-8")
    (tmp_path / "anhang.txt").write_text(FOREIGN["de"], encoding="utf-8")
    out = tmp_path / "review.json"
    result = run("check", str(tmp_path / "kontrakt.txt"), str(tmp_path / "anhang.txt"), "--format", "json", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    warnings = [l for l in _stderr_lines(result) if "language not supported" in l]
    assert len(warnings) == 1 and "anhang.txt looks 'de'" in warnings[0]
    review = json.loads(out.read_text(encoding="utf-8"))
    social_documents = {c["document"] for c in review["clauses"] if c["social"]}
    assert social_documents == {"kontrakt.txt"}
    finding_documents = {f.get("document") for f in review["findings"]}
    assert "anhang.txt" not in finding_documents


def test_lang_option_refuses_an_unsupported_language(tmp_path: Path, run) -> None:
    path = tmp_path / "udbud.txt"
    path.write_text(FOREIGN["de"], encoding="utf-8")
    result = run("check", str(path), "--lang", "de", "-o", str(tmp_path / "r.json"))
    assert result.exit_code == 2 and "'de' is not supported" in result.stderr
    assert not (tmp_path / "r.json").exists()


# --- HTML and script text in documents ------------------------------------------------------------

PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(2)>', "javascript:alert(3)"]
HOSTILE = f"""1 Arbejdsklausul {PAYLOADS[0]}

Leverandøren skal sikre, at ansatte hos leverandøren og underleverandører, der udfører arbejde under kontrakten, har løn- og ansættelsesvilkår, der ikke er mindre gunstige end dem, der gælder i henhold til en overenskomst. {PAYLOADS[1]}

2 Lærlinge

Leverandøren skal i hele kontraktperioden beskæftige mindst 2 lærlinge {PAYLOADS[2]} med uddannelsesaftale. Se {PAYLOADS[3]}.
"""


def _hostile_tender(tmp_path: Path) -> Path:
    path = tmp_path / "udbud <b>fed<i>.txt"  # no "/" in a file name
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def test_html_review_escapes_script_and_markup_from_documents(tmp_path: Path, run) -> None:
    path = _hostile_tender(tmp_path)
    review_json = tmp_path / "review.json"
    assert run("check", str(path), "--format", "json", "-o", str(review_json)).exit_code == 0
    review = json.loads(review_json.read_text(encoding="utf-8"))
    social = [c for c in review["clauses"] if c["social"]]
    assert any(PAYLOADS[1] in c["text"] for c in social) and any(PAYLOADS[2] in c["text"] for c in social)  # reported

    out = tmp_path / "review.html"
    result = run("check", str(path), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    for raw in ("<script>alert", "<img src=x", "<svg onload", "<b>fed"):
        assert raw not in html, raw
    assert html.count("<script") == 1  # the review's own script, nothing from the document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;svg onload=alert(2)&gt;" in html
    assert 'href="javascript:' not in html and "href='javascript:" not in html
    assert "udbud &lt;b&gt;fed&lt;i&gt;.txt" in html


def test_markdown_and_docx_reviews_keep_the_text(tmp_path: Path, run) -> None:
    path = _hostile_tender(tmp_path)
    md = tmp_path / "review.md"
    assert run("check", str(path), "-o", str(md)).exit_code == 0
    assert "alert(1)" in md.read_text(encoding="utf-8")
    docx = tmp_path / "review.docx"
    result = run("check", str(path), "-o", str(docx))
    assert result.exit_code == 0, result.stderr
    with zipfile.ZipFile(docx) as archive:
        xml = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml"))
    assert "<script>" not in xml and "&lt;script&gt;" in xml  # escaped as XML text, the file stays valid
