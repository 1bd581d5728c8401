"""Baclofen injection products on the US market (reference/pharmacology.md §1.1).

A concentration that no listed product supplies is "compounded": allowed, but always flagged,
because the label says other strengths "must be diluted" and the twin cannot vouch for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from itbtwin import sources
from itbtwin.errors import ProductError

_LIORESAL = "lioresal.com/hcp ampules page, citing the label (sources: product-page, label)"
_GABLOFEN = "Gablofen label §16 How Supplied (source: label-gablofen:16)"
_OPENFDA = "openFDA NDC listing of baclofen injection products"


@dataclass(frozen=True)
class Product:
    """One marketed baclofen injection strength.

    `concentration_mcg_per_ml` in mcg/mL; `presentations` as printed on the label.
    """

    brand: str
    concentration_mcg_per_ml: float
    presentations: tuple[str, ...]
    use: str
    source: str
    where: str
    note: str = ""

    def __post_init__(self) -> None:
        sources.check(self.source)
        if self.concentration_mcg_per_ml <= 0:
            raise ProductError(f"{self.brand}: concentration must be positive")

    @property
    def name(self) -> str:
        """Brand and strength, as a clinician names it (``Lioresal 2000 mcg/mL``)."""
        return f"{self.brand} {self.concentration_mcg_per_ml:g} mcg/mL"


PRODUCTS: tuple[Product, ...] = (
    Product("Lioresal Intrathecal", 50, ("0.05 mg/1 mL ampule",), "screening", "label", _LIORESAL),
    Product("Lioresal Intrathecal", 500, ("10 mg/20 mL ampule",), "refill", "label", _LIORESAL),
    Product(
        "Lioresal Intrathecal",
        2000,
        ("10 mg/5 mL ampule", "40 mg/20 mL ampule"),
        "refill",
        "label",
        _LIORESAL,
    ),
    Product("Gablofen", 50, ("50 mcg/1 mL syringe",), "screening", "label-gablofen", _GABLOFEN),
    Product(
        "Gablofen", 500, ("10,000 mcg/20 mL vial/syringe",), "refill", "label-gablofen", _GABLOFEN
    ),
    Product(
        "Gablofen",
        1000,
        ("20,000 mcg/20 mL vial/syringe",),
        "refill",
        "label-gablofen",
        _GABLOFEN,
        "first new refill concentration in 20 years (Mallinckrodt 2013)",
    ),
    Product(
        "Gablofen", 2000, ("40,000 mcg/20 mL vial/syringe",), "refill", "label-gablofen", _GABLOFEN
    ),
    Product("baclofen injection (Advagen)", 1000, ("NDC 72888-146",), "refill", "label", _OPENFDA),
    Product("baclofen injection (Sagent)", 2000, ("NDC 25021-679",), "refill", "label", _OPENFDA),
    Product("baclofen injection (MAIA)", 50, ("NDC 70511-121",), "screening", "label", _OPENFDA),
)

_UNCONFIRMED = {
    3000.0: "Gablofen 3000 mcg/mL appears in one label version, but a marketed US strength was not "
    "confirmed (source: label-gablofen)",
}


@dataclass(frozen=True)
class ConcentrationMatch:
    """What the catalogue says about a concentration: the products that supply it, or a flag."""

    concentration_mcg_per_ml: float
    products: tuple[Product, ...]
    compounded: bool
    note: str


def match_concentration(concentration_mcg_per_ml: float) -> ConcentrationMatch:
    """Find the marketed products of a concentration (mcg/mL); anything else is compounded."""
    if not concentration_mcg_per_ml > 0:
        raise ProductError(
            f"a concentration must be positive, got {concentration_mcg_per_ml} mcg/mL"
        )
    found = tuple(p for p in PRODUCTS if p.concentration_mcg_per_ml == concentration_mcg_per_ml)
    if found:
        return ConcentrationMatch(concentration_mcg_per_ml, found, False, "")
    note = _UNCONFIRMED.get(
        float(concentration_mcg_per_ml),
        "no US-marketed product has this strength: compounded or diluted (label: other "
        "concentrations must be diluted)",
    )
    return ConcentrationMatch(concentration_mcg_per_ml, (), True, note)


def find_product(brand: str, concentration_mcg_per_ml: float) -> Product:
    """Return the product of ``brand`` (case-insensitive prefix) at a concentration in mcg/mL."""
    wanted = brand.strip().lower()
    for product in PRODUCTS:
        if (
            product.brand.lower().startswith(wanted)
            and product.concentration_mcg_per_ml == concentration_mcg_per_ml
        ):
            return product
    known = ", ".join(sorted({p.name for p in PRODUCTS}))
    raise ProductError(
        f"no product {brand!r} at {concentration_mcg_per_ml:g} mcg/mL; known products: {known}"
    )
