"""The curated medicine catalogue and drug search."""

from __future__ import annotations

from kaari.safety.catalogue import medicine_search, product_by_vnr
from kaari.safety.knowledge import knowledge_base
from kaari.safety.knowledge.model import Package, Product


def test_the_catalogue_holds_some_three_hundred_medicines_each_with_products():
    medicines = knowledge_base().medicines
    assert len(medicines) >= 300
    assert all(m.products and m.name_fi for m in medicines)
    assert all(p.route and p.form and p.strength for m in medicines for p in m.products)


def test_search_finds_a_medicine_by_its_finnish_name_prefix():
    assert [m.atc for m in medicine_search(query="metfor")][0] == "A10BA02"


def test_search_ignores_diacritics_and_case():
    assert "J01CR02" in [m.atc for m in medicine_search(query="beetalaktamaasin estaja")]
    assert [m.atc for m in medicine_search(query="METFORMIINI")][0] == "A10BA02"


def test_search_finds_by_atc_code_and_by_english_name():
    assert [m.atc for m in medicine_search(query="C10AA05")] == ["C10AA05"]
    assert "B01AF02" in [m.atc for m in medicine_search(query="apixaban")]


def test_search_ranks_name_prefixes_before_substrings():
    names = [m.name_fi for m in medicine_search(query="prednis")]
    assert names[:2] == ["prednisoloni", "prednisoni"]


def test_a_national_product_with_vnr_packages_is_found_by_its_package_number():
    product = Product(
        id="national-1",
        atc="A10BA02",
        name_fi="metformiini",
        name_en="metformin",
        form="tabletti",
        route="oral",
        strength="500 mg",
        trade_name="Metformin Example",
        packages=(Package(vnr="123456", size="100 fol"),),
    )
    assert product_by_vnr(vnr="123456", products=[product]) is product
    assert product_by_vnr(vnr="654321", products=[product]) is None
