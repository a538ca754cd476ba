"""A synthetic corpus of tenders for bulk tests and the audit benchmark: variations of the samples.

    python benchmarks/synthetic_corpus.py OUT --documents 1000 [--seed 1] [--broken 0.03]

Each tender is a folder OUT/<buyer>-<year>-<n> holding one document (two for the construction
package). A variation of a sample renames the buyer, moves the years, scales the amounts and drops
some sub-sections at random (so social clauses come and go); it is written as DOCX (from the
samples' markup, by samples/build_samples.py), as plain text, or, for a share, as the sample's PDF
with a unique trailing comment (same text, new content hash). A share of tenders hold a broken file
(truncated PDF, a .docx that is not a zip, an empty file, random bytes). OUT/manifest.csv gives
buyer, year and contract type; OUT/expected.json lists which tenders are broken.
Deterministic: the same seed gives the same files.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import random
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# (markup sources, the built PDFs, contract type, the buyer name the sources use)
BASES = {
    "cleaning": (["cleaning-da.txt"], ["cleaning-da.pdf"], "services", "Egeskov Kommune"),
    "it": (["it-supply-da.txt"], ["it-supply-da.pdf"], "supplies", "Nørre Vium Kommune"),
    "services": (["services-en.txt"], ["services-en.pdf"], "services", "Northbridge City Council"),
    "construction": (
        ["construction-da/udbudsbetingelser.txt", "construction-da/kontrakt.txt"],
        ["construction-da/udbudsbetingelser.pdf", "construction-da/kontrakt.pdf"],
        "works",
        "Fjordby Kommune",
    ),
}
BUYERS_DA = ["Egeskov", "Fjordby", "Skovlund", "Nørre Vium", "Havbjerg", "Lindå", "Østerlund", "Bakkely", "Sønderhav", "Ravnsø"]
BUYERS_EN = ["Northbridge City Council", "Eastmoor Borough Council", "Kilvane County Council", "Westerly District Council"]
YEARS = range(2019, 2027)
SHARES = {"docx": 0.70, "txt": 0.18, "pdf": 0.12}  # of the working tenders
BROKEN_KINDS = ("truncated_pdf", "docx_not_zip", "empty", "random_bytes", "docx_without_body")


@dataclass
class Tender:
    name: str
    base: str
    buyer: str
    year: int
    contract_type: str
    format: str
    broken: str = ""


def _builder():
    spec = importlib.util.spec_from_file_location("build_samples", SAMPLES / "build_samples.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


def vary(markup: str, rng: random.Random, old_buyer: str, new_buyer: str, year: int) -> str:
    """Rename the buyer, move the years, scale amounts and drop some level-2 sections."""
    text = markup.replace(old_buyer, new_buyer)
    if old_buyer.endswith(" Kommune"):  # the town name alone ("Egeskov Rådhus")
        text = text.replace(old_buyer.removesuffix(" Kommune"), new_buyer.removesuffix(" Kommune"))
    delta = year - 2026
    text = re.sub(r"\b(20[12]\d)\b", lambda m: str(int(m.group(1)) + delta), text)
    factor = rng.choice([0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0])
    text = re.sub(
        r"\b(\d{1,3}(?:\.\d{3})+)(?= (?:kr\.|DKK|mio))",
        lambda m: f"{round(int(m.group(1).replace('.', '')) * factor):,}".replace(",", "."),
        text,
    )
    out, dropping = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            dropping = rng.random() < 0.2
        elif line.startswith("# "):
            dropping = False
        if not dropping:
            out.append(line)
    return "\n".join(out) + "\n"


def plain_text(markup: str) -> str:
    """The markup as a plain-text document with typed section numbers."""
    counters = [0, 0, 0]
    typed = "@numbering manual" in markup  # the headings already carry their numbers
    lines = []
    for line in markup.splitlines():
        if line.startswith("@title "):
            lines.append(line[7:])
        elif line.startswith("@") or not line.strip():
            continue
        elif m := re.match(r"^(#{1,3})\*?\s+(.*)$", line):
            level = len(m.group(1))
            counters[level - 1] += 1
            counters[level:] = [0] * (3 - level)
            number = ".".join(str(c) for c in counters[:level]) + ("." if level == 1 else "")
            lines.append(f"\n{m.group(2)}" if typed else f"\n{number} {m.group(2)}")
        elif line.startswith("|"):
            lines.append(" | ".join(c.strip() for c in line.strip("|").split("|")))
        else:
            lines.append(line.lstrip("-+ ") if line[:2] in ("- ", "+ ") else line)
    return "\n".join(lines) + "\n"


def _broken(kind: str, rng: random.Random) -> tuple[str, bytes]:
    if kind == "truncated_pdf":
        data = (SAMPLES / "cleaning-da.pdf").read_bytes()
        return "tender.pdf", data[: rng.randint(len(data) // 10, len(data) // 2)]
    if kind == "docx_not_zip":
        return "tender.docx", b"This was saved as plain text with a .docx name.\n"
    if kind == "empty":
        return "tender.pdf", b""
    if kind == "random_bytes":
        return "tender.pdf", rng.randbytes(4096)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", date_time=(2026, 1, 1, 0, 0, 0)), "<Types/>")
    return "tender.docx", buffer.getvalue()


def plan(documents: int, seed: int, broken: float) -> list[Tender]:
    """Tenders in a fixed order until they hold `documents` documents."""
    rng = random.Random(seed)
    bases = sorted(BASES)
    out: list[Tender] = []
    n = count = 0
    while count < documents:
        base = bases[n % len(bases)]
        english = base == "services"
        buyer = rng.choice(BUYERS_EN) if english else f"{rng.choice(BUYERS_DA)} Kommune"
        year = rng.choice(YEARS)
        fmt = rng.choices(list(SHARES), weights=list(SHARES.values()))[0]
        slug = re.sub(r"[^a-z0-9]+", "-", buyer.lower().replace("ø", "oe").replace("å", "aa").replace("æ", "ae")).strip("-")
        kind = BROKEN_KINDS[n % len(BROKEN_KINDS)] if rng.random() < broken else ""
        out.append(Tender(f"{slug}-{year}-{n:04d}", base, buyer, year, BASES[base][2], "broken" if kind else fmt, kind))
        count += 1 if kind else len(BASES[base][0])
        n += 1
    return out


def generate(out: Path, documents: int, seed: int = 1, broken: float = 0.03) -> list[Tender]:
    """Write a corpus of about `documents` documents into `out` (created); return its tenders."""
    builder = _builder()
    out.mkdir(parents=True, exist_ok=True)
    sources = {rel: (SAMPLES / "src" / rel).read_text(encoding="utf-8") for b in BASES.values() for rel in b[0]}
    rng = random.Random(seed + 1)
    written = plan(documents, seed, broken)
    for n, t in enumerate(written):
        folder = out / t.name
        folder.mkdir(exist_ok=True)
        srcs, pdfs, _, old_buyer = BASES[t.base]
        if t.broken:
            name, data = _broken(t.broken, rng)
            (folder / name).write_bytes(data)
            continue
        for rel, pdf in zip(srcs, pdfs):
            stem = Path(rel).stem
            if t.format == "pdf":  # same text; a trailing comment gives each copy its own content hash
                data = (SAMPLES / pdf).read_bytes() + f"\n% clausecheck synthetic {seed}-{n}\n".encode()
                (folder / f"{stem}.pdf").write_bytes(data)
                continue
            markup = vary(sources[rel], rng, old_buyer, t.buyer, t.year)
            if t.format == "txt":
                (folder / f"{stem}.txt").write_text(plain_text(markup), encoding="utf-8")
            else:
                src = folder / f".{stem}.markup"
                src.write_text(markup, encoding="utf-8")
                builder.Builder(builder.parse(src)).save(folder / f"{stem}.docx")
                src.unlink()
    with (out / "manifest.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["name", "buyer", "year", "contract_type"])
        w.writerows([t.name, t.buyer, t.year, t.contract_type] for t in written)
    expected = {"tenders": len(written), "documents": sum(1 if t.broken else len(BASES[t.base][0]) for t in written), "broken": sorted(t.name for t in written if t.broken),
                "formats": {f: sum(t.format == f for t in written) for f in (*SHARES, "broken")}}
    (out / "expected.json").write_text(json.dumps(expected, indent=1) + "\n", encoding="utf-8")
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--broken", type=float, default=0.03, help="share of tenders holding a broken file")
    args = parser.parse_args()
    written = generate(args.out, args.documents, args.seed, args.broken)
    docs = sum(1 for p in args.out.rglob("*") if p.is_file() and p.parent != args.out)
    print(f"{len(written)} tenders, {docs} documents -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
