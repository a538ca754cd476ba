"""eForms notices (XML, as published on TED), read safely.

defusedxml refuses any DTD, so external entities and entity-expansion bombs cannot run; files over
MAX_BYTES are refused before parsing. From the notice we take the contract facts (BT-23 contract
nature, BT-27 estimated value, BT-36 duration, BT-262 main CPV) and the strategic-procurement
fields (BT-06, BT-775 social objectives, BT-71 reserved participation, BT-736 reserved execution,
BT-754 accessibility), per procedure and per lot, with Danish and English labels from the eForms
code lists (clausecheck/data/eforms_codes.toml).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from clausecheck.errors import InputError
from clausecheck.resources import DATA_DIR

MAX_BYTES = 20 * 1024 * 1024
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
}
NOTICE_ROOTS = ("ContractNotice", "ContractAwardNotice", "PriorInformationNotice")
_DURATION_UNITS = {"MONTH": 1.0, "YEAR": 12.0, "DAY": 12 / 365, "WEEK": 12 / 52}


@lru_cache(maxsize=1)
def code_labels() -> dict[str, dict[str, dict[str, str]]]:
    import tomllib

    data = tomllib.loads((DATA_DIR / "eforms_codes.toml").read_text(encoding="utf-8"))
    return {name: {k: v for k, v in table.items() if isinstance(v, dict)} for name, table in data.items()}


def label(list_name: str, code: str, lang: str = "da") -> str:
    return code_labels().get(list_name, {}).get(code, {}).get(lang, code)


@dataclass
class Part:
    """The procedure as a whole, or one lot."""

    id: str
    title: str | None = None
    contract_nature: str | None = None  # BT-23
    estimated_value: float | None = None  # BT-27
    currency: str | None = None
    duration_months: float | None = None  # BT-36
    main_cpv: str | None = None  # BT-262
    additional_cpv: list[str] = field(default_factory=list)
    strategic: list[str] = field(default_factory=list)  # BT-06
    social_objectives: list[str] = field(default_factory=list)  # BT-775
    accessibility: list[str] = field(default_factory=list)  # BT-754
    reserved_procurement: list[str] = field(default_factory=list)  # BT-71
    reserved_execution: str | None = None  # BT-736


@dataclass
class Notice:
    path: str
    kind: str  # ContractNotice ...
    notice_type: str | None
    subtype: str | None
    buyer: str | None
    procedure: Part
    lots: list[Part]

    @property
    def parts(self) -> list[Part]:
        return [self.procedure, *self.lots]

    @property
    def social_objectives(self) -> list[str]:
        return sorted({c for p in self.parts for c in p.social_objectives})

    @property
    def strategic(self) -> list[str]:
        return sorted({c for p in self.parts for c in p.strategic})

    @property
    def reserved(self) -> list[str]:
        return sorted({c for p in self.parts for c in p.reserved_procurement if c != "none"})

    @property
    def reserved_execution(self) -> bool:
        return any(p.reserved_execution == "yes" for p in self.parts)

    def to_dict(self, lang: str = "da") -> dict:
        def part(p: Part) -> dict:
            d = dict(p.__dict__)
            d["social_objective_labels"] = [label("social-objective", c, lang) for c in p.social_objectives]
            d["strategic_labels"] = [label("strategic-procurement", c, lang) for c in p.strategic]
            d["reserved_procurement_labels"] = [label("reserved-procurement", c, lang) for c in p.reserved_procurement]
            d["accessibility_labels"] = [label("accessibility", c, lang) for c in p.accessibility]
            d["contract_nature_label"] = label("contract-nature", p.contract_nature, lang) if p.contract_nature else None
            return d

        return {
            "path": self.path, "kind": self.kind, "notice_type": self.notice_type, "subtype": self.subtype,
            "buyer": self.buyer, "procedure": part(self.procedure), "lots": [part(l) for l in self.lots],
        }


def _text(el, path: str) -> str | None:
    found = el.find(path, NS) if el is not None else None
    return found.text.strip() if found is not None and found.text and found.text.strip() else None


def _codes(el, list_name: str) -> list[str]:
    return [c.text.strip() for c in el.iter() if c.get("listName") == list_name and c.text and c.text.strip()]


def _part(part_id: str, project, terms) -> Part:
    p = Part(part_id)
    if project is not None:
        p.title = _text(project, "cbc:Name")
        p.contract_nature = _text(project, "cbc:ProcurementTypeCode[@listName='contract-nature']")
        amount = project.find("cac:RequestedTenderTotal/cbc:EstimatedOverallContractAmount", NS)
        if amount is not None and amount.text:
            try:
                p.estimated_value = float(amount.text)
                p.currency = amount.get("currencyID")
            except ValueError:
                pass
        duration = project.find("cac:PlannedPeriod/cbc:DurationMeasure", NS)
        if duration is not None and duration.text:
            try:
                p.duration_months = round(float(duration.text) * _DURATION_UNITS.get(duration.get("unitCode", "MONTH"), 1.0), 1)
            except ValueError:
                pass
        p.main_cpv = _text(project, "cac:MainCommodityClassification/cbc:ItemClassificationCode")
        p.additional_cpv = sorted({c.text.strip() for c in project.findall("cac:AdditionalCommodityClassification/cbc:ItemClassificationCode", NS) if c.text} - {p.main_cpv})
        for additional in project.findall("cac:ProcurementAdditionalType", NS):
            code = additional.find("cbc:ProcurementTypeCode", NS)
            if code is None or not code.text:
                continue
            kind = code.get("listName")
            if kind == "social-objective":
                p.social_objectives.append(code.text.strip())
            elif kind == "strategic-procurement":
                p.strategic.append(code.text.strip())
            elif kind == "accessibility":
                p.accessibility.append(code.text.strip())
    if terms is not None:
        p.reserved_procurement = _codes(terms, "reserved-procurement")
        execution = _codes(terms, "reserved-execution")
        p.reserved_execution = execution[0] if execution else None
    return p


def parse_notice(data: bytes, name: str) -> Notice:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring
    from xml.etree.ElementTree import ParseError

    if len(data) > MAX_BYTES:
        raise InputError(f"{name} is {len(data) // 2**20} MB; eForms notices over {MAX_BYTES // 2**20} MB are refused.")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise InputError(f"{name} declares a DTD or entities, which eForms notices never do; refusing to read it (possible XML attack).") from None
    except ParseError as exc:
        raise InputError(f"{name} is not well-formed XML ({exc}).") from None
    kind = root.tag.split("}")[-1]
    if kind not in NOTICE_ROOTS:
        raise InputError(f"{name} is XML but not an eForms notice (root element {kind!r}).")
    folder = _text(root, "cbc:ContractFolderID")
    procedure_project = root.find("cac:ProcurementProject", NS)
    procedure = _part("procedure", procedure_project, root.find("cac:TenderingTerms", NS))
    lots = []
    for lot in root.findall("cac:ProcurementProjectLot", NS):
        lot_id = _text(lot, "cbc:ID") or f"LOT-{len(lots) + 1:04d}"
        lots.append(_part(lot_id, lot.find("cac:ProcurementProject", NS), lot.find("cac:TenderingTerms", NS)))
    if not folder or (procedure.contract_nature is None and procedure.main_cpv is None and not any(l.contract_nature or l.main_cpv for l in lots)):
        missing = [n for n, ok in (("ContractFolderID", folder), ("contract nature (BT-23)", procedure.contract_nature), ("main CPV (BT-262)", procedure.main_cpv)) if not ok]
        raise InputError(f"{name} is not a valid eForms notice: it has no {', no '.join(missing)}.")
    buyer = None
    for org in root.iter(f"{{{NS['efac']}}}Organization"):
        buyer = _text(org, "efac:Company/cac:PartyName/cbc:Name")
        if buyer:
            break
    return Notice(
        path=name, kind=kind, notice_type=_text(root, "cbc:NoticeTypeCode"),
        subtype=_text(root, ".//efac:NoticeSubType/cbc:SubTypeCode"), buyer=buyer, procedure=procedure, lots=lots,
    )


def read_notice(path: str | Path) -> Notice:
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} does not exist.")
    if path.stat().st_size > MAX_BYTES:
        raise InputError(f"{path.name} is over {MAX_BYTES // 2**20} MB; eForms notices that large are refused.")
    return parse_notice(path.read_bytes(), path.name)


def notice_facts(notice: Notice):
    """ContractFacts from a notice (BT-23, BT-27, BT-36, BT-262), the notice as their evidence."""
    from clausecheck.facts import ContractFacts, Evidence, Fact
    from clausecheck.facts import _RATES

    parts = [notice.procedure, *notice.lots]
    first = lambda attr: next((getattr(p, attr) for p in parts if getattr(p, attr)), None)  # noqa: E731

    def ev(bt: str, value) -> Evidence:
        return Evidence(f"{bt}: {value}", 0, 0, "notice", notice.path, f"{notice.path} {bt}")

    facts = ContractFacts()
    nature = first("contract_nature")
    if nature in ("works", "services", "supplies"):
        facts.contract_type = Fact(nature, ev("BT-23", nature), 0.95)
    value = notice.procedure.estimated_value or sum(l.estimated_value or 0 for l in notice.lots) or None
    currency = (first("currency") or "DKK").upper()
    if value and (currency == "DKK" or currency.lower() in _RATES):  # other currencies: no guessed rate
        dkk = value * _RATES.get(currency.lower(), 1.0)
        facts.value_dkk = Fact(round(dkk), ev("BT-27", f"{value:,.2f} {currency}"), 0.95)
    months = first("duration_months")
    if months:
        facts.duration_months = Fact(months, ev("BT-36", f"{months} months"), 0.95)
    cpvs = [c for c in [notice.procedure.main_cpv, *(l.main_cpv for l in notice.lots)] if c]
    facts.cpv = [Fact(c, ev("BT-262", c), 0.95) for c in dict.fromkeys(cpvs)]
    return facts
