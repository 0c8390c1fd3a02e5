"""The dataset builder writes contract-valid datasets."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from kansrijk.registry.contract import TABLES
from kansrijk.registry.validate import validate
from tests.spec.builder import DatasetBuilder


def _everything() -> DatasetBuilder:
    d = DatasetBuilder()
    mother, father = d.mother("mother1"), d.father("father1")
    child = d.child(mother, date(2021, 3, 5), father, ga_days=250, weight=2100)
    d.birth(None, date(2021, 4, 1), live=False, ga_days=170, mortality=2, weight=None, sex=None)
    d.address(mother, "GM0363", date(2015, 1, 1), date(2021, 6, 30), postcode4=1011)
    d.address(mother, "GM0457", date(2021, 7, 1))
    d.address(child, "GM0457", date(2021, 3, 5))
    d.income(mother, 2021, -1, household_type=None)
    d.income(father, 2021, 55)
    d.education(mother, 2021, "high")
    d.arrears(mother, 2021)
    d.wsnp(father, date(2019, 5, 1), date(2022, 5, 1))
    d.costs(mother, 2020, ggz=100.0)
    d.costs(mother, 2022, ggz=100.0)
    d.medication(father, 2021, "N05B")
    d.detention(father, date(2020, 1, 1), date(2020, 2, 1))
    d.divorce(mother, date(2018, 1, 1), partner="ex0001")
    d.death("ex0001", date(2019, 1, 1))
    traj = d.trajectory(mother, date(2021, 3, 1))
    d.claim(traj, date(2021, 3, 1))
    d.claim(traj, date(2021, 2, 1), "kraamzorg_intake")
    d.preconception(mother, date(2020, 5, 1))
    d.dbc(child, 2021)
    d.protection(child, date(2021, 5, 1), code=21)
    d.care(child, date(2021, 6, 1), date(2021, 9, 1), code=12)
    d.jgz(child, date(2023, 3, 1), height_cm=88.0, weight_kg=13.0, says_two_words=False)
    return d


def test_builder_writes_a_contract_valid_dataset(tmp_path: Path) -> None:
    data_dir = _everything().write(tmp_path / "data")
    report = validate(data_dir)
    assert report.ok, report
    assert sorted(p.stem for p in data_dir.iterdir()) == sorted(t.name for t in TABLES)


def test_empty_builder_writes_header_only_tables_that_validate(tmp_path: Path) -> None:
    data_dir = DatasetBuilder().write(tmp_path / "data")
    assert validate(data_dir).ok
    header = (data_dir / "births.csv").read_text(encoding="utf-8").splitlines()
    assert len(header) == 1 and header[0].startswith("birth_id,")


def test_rows_give_the_same_data_with_referenced_persons_declared() -> None:
    rows = _everything().rows()
    persons = {p["person_id"] for p in rows["persons"]}
    assert {"mother1", "father1", "ex0001"} <= persons
    assert rows["births"][0]["birth_date"] == date(2021, 3, 5)
    assert next(p for p in rows["persons"] if p["person_id"] == "ex0001")["death_date"] is None
