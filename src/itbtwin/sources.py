"""Source keys: every clinical rule and model parameter names where it comes from.

A key is the short name of a source (e.g. ``heetla2016``), optionally followed by a section after
a colon (``label:12.3``); `docs/sources.md` gives each key's full citation (a test keeps the two
lists equal). Two pseudo-keys say how sure we are: ``derived`` (arithmetic on sourced inputs,
not a published value) and ``assumption`` (a modelling choice the sources do not settle; a
configurable default).
"""

from __future__ import annotations

from functools import cache

SOURCES: dict[str, str] = {
    "label": "Lioresal Intrathecal (baclofen injection) US prescribing information, Saol 2019",
    "label-gablofen": "Gablofen (baclofen injection) US prescribing information",
    "product-page": "Lioresal Intrathecal HCP product page, lioresal.com/hcp",
    "heetla2016": "Heetla HW et al., Br J Clin Pharmacol 2016;81(1):101-112 (ITB PK-PD model)",
    "heetla2009": "Heetla HW et al., Spinal Cord 2009;47(10):751-6 (tolerance)",
    "mccormick2016": "McCormick ZL et al., PM R 2016;8(6):553-562 (ITB vs oral)",
    "saulino2016-dosing": "Saulino M et al., Neuromodulation 2016;19(6):623-31",
    "saulino2016-troubleshooting": "Saulino M et al., Neuromodulation 2016;19(6):632-41",
    "boster2016": "Boster AL et al., Neuromodulation 2016 (screening test)",
    "albright2007": "Albright AL et al., Dev Med Child Neurol 2007 (CSF levels at the catheter)",
    "he2014": "He Y et al., J Pediatr 2014;164(5):1181-1188 (oral popPK in children)",
    "oral-adult-pk": "Clin Pharmacol Ther 1985;38(3):251-7, PMID 4028618 (adult oral PK)",
    "mims": "MIMS baclofen monograph (oral absorption, CSF/plasma ratio, half-life)",
    "bf00265844": "Eur J Clin Pharmacol, DOI 10.1007/BF00265844 (bolus CSF PK, n=4)",
    "wesemann2014": "Wesemann K et al., Reg Anesth Pain Med 2014;39(4):341-6 (pump accuracy)",
    "maino2017": "Maino P et al., Neuromodulation 2017;20(7):733-739 (pocket fill detection)",
    "synchromed2": "Medtronic SynchroMed II labelling and patient/HCP material",
    "residual-withdrawal": "Withdrawal symptoms vs residual volume in SynchroMed pumps, 88 "
    "patients (abstract; [S25] in pumps.md §1.5: 21/88 at the 2 mL alarm, none after 4 mL)",
    "prometra": "Flowonix Prometra labelling",
    "codman3000": "Codman 3000 constant-flow pump patient material ([S59] in pumps.md)",
    "statpearls-csf": "StatPearls, Physiology, Cerebral Spinal Fluid (CSF volume and production)",
    "feller2021": "Feller CN et al., Neuromodulation 2021;24(7):1176-1180 ([S73] in pumps.md)",
    "clinic": "a clinic's own device definition file (values from the device IFU it holds)",
    "creedon1997": "Creedon SD, Dijkers MP, Hinderer SR, 1997 meta-analysis of ITB (abstract)",
    "spanish2000": "Spanish multicentre ITB study, Neuromodulation 2000;3(4):175-82",
    "overdose1991": "ITB overdose case series 1991 (acemap.info/paper/164881186; Delhaas, verify)",
    "ridley2006": "Ridley B, Rehabil Nurs 2006 (MS patients more sensitive to ITB)",
    "neurosurgerywiki": "neurosurgerywiki.com, intrathecal baclofen withdrawal (secondary)",
    "lioresal-isi": "lioresal.com Lioresal Intrathecal patient safety information (§1.10)",
    "hl7-fhir-r4": "HL7 FHIR Release 4 (4.0.1) specification: resources, data types, value sets "
    "(route-codes, vital signs) and its official JSON schema",
    "derived": "arithmetic on sourced inputs, not a published value",
    "assumption": "a modelling choice the reference does not settle; a configurable default",
}


def resolve(key: str) -> str:
    """Return the citation for a source key such as ``label:12.3``; unknown keys raise KeyError."""
    base, _, section = key.partition(":")
    citation = SOURCES[base]
    return f"{citation}, section {section}" if section else citation


@cache  # every clinical Reason checks its source: a clinic overview makes thousands (issue 13)
def check(key: str) -> str:
    """Return ``key`` unchanged after checking that it resolves (use where a source is declared)."""
    for part in key.split("+"):
        resolve(part.strip())
    return key
