import numpy as np

from kansrijk.registry.contract import ID_PATTERN
from kansrijk.synth.ids import make_ids


def test_ids_are_unique_prefixed_and_match_the_contract() -> None:
    ids = make_ids("P", np.arange(200_000), seed=5).to_pylist()
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("P") and len(i) == 20 for i in ids[:1000])
    import re

    assert all(re.match(ID_PATTERN, i) for i in ids[:1000])


def test_ids_depend_on_seed_and_prefix_and_negative_index_is_null() -> None:
    a = make_ids("P", np.array([0, 1, -1]), seed=1).to_pylist()
    b = make_ids("P", np.array([0, 1, -1]), seed=2).to_pylist()
    c = make_ids("B", np.array([0, 1, -1]), seed=1).to_pylist()
    assert a[2] is None
    assert a[:2] != b[:2]
    assert [x[1:] for x in a[:2]] != [x[1:] for x in c[:2]]
    assert make_ids("P", np.array([0, 1]), seed=1).to_pylist() == a[:2]
