"""bench.ab: page loads of copies of the app, compared with this checkout and the floor."""

import numpy as np
import pytest

from bench import ab
from bench.harness import ROOT


def _loads() -> dict[str, list[float]]:
    rng = np.random.default_rng(3)
    floor = 320 + rng.normal(0, 20, 12)
    return {
        ab.FLOOR: list(floor),
        ab.BASE: list(2.0 * floor + rng.normal(0, 20, 12)),
        "/tmp/pills": list(1.8 * floor + rng.normal(0, 20, 12)),
    }


def test_each_dashboard_is_set_against_the_floor_and_the_copy_against_this_checkout():
    loads = _loads()
    rows = {row["app"]: row for row in ab.compare(loads)}
    assert "vs_floor" not in rows[ab.FLOOR] and "vs_base" not in rows[ab.FLOOR]
    assert "vs_base" not in rows[ab.BASE]
    base_ratio, (low, high) = rows[ab.BASE]["vs_floor"]
    assert base_ratio == pytest.approx(np.median(loads[ab.BASE]) / np.median(loads[ab.FLOOR]))
    assert low < base_ratio < high
    copy_vs_base, (low, high) = rows["/tmp/pills"]["vs_base"]
    assert copy_vs_base == pytest.approx(np.median(loads["/tmp/pills"]) / np.median(loads[ab.BASE]))
    assert low < copy_vs_base < high < 1  # 10% faster, well outside the noise
    assert rows["/tmp/pills"]["median_ms"] == pytest.approx(np.median(loads["/tmp/pills"]))


def test_rounds_must_pair_up():
    loads = _loads()
    loads["/tmp/pills"] = loads["/tmp/pills"][:-1]
    with pytest.raises(ValueError, match="paired"):
        ab.compare(loads)


def test_a_folder_that_is_not_a_copy_is_named(tmp_path):
    with pytest.raises(SystemExit, match="not a copy of this project"):
        ab.copies([str(tmp_path)])
    with pytest.raises(SystemExit, match="this checkout"):
        ab.copies([str(ROOT)])
    (tmp_path / "app.py").write_text("")
    (tmp_path / "dashboard.py").write_text("")
    assert ab.copies([str(tmp_path)]) == [tmp_path.resolve()]


def test_too_few_loads_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit):
        ab.main(["--loads", "1", str(tmp_path)])
    assert "--loads must be at least 2" in capsys.readouterr().err


class _FakeTab:
    def __init__(self, name, log):
        self.name, self.log, self.reopened = name, log, False

    def reopen(self):
        self.reopened = True
        self.log.append(("reopen", self.name))

    def load(self, day):
        self.log.append(("load", self.name, self.reopened))
        return 100.0 if self.name == "a" else 200.0


def test_a_returning_reader_is_timed_in_a_new_tab_each_time_the_apps_in_turn():
    from bench.__main__ import returning_loads

    log = []
    tabs = {k: _FakeTab(k, log) for k in ("a", "b")}
    out = returning_loads(tabs, None, 2)
    assert out == {"a": [100.0, 100.0], "b": [200.0, 200.0]}
    # one untimed load each in the tab as it is, then each timed load in a new tab
    assert log[:2] == [("load", "a", False), ("load", "b", False)]
    assert (
        log[2:]
        == [
            ("reopen", "a"),
            ("load", "a", True),
            ("reopen", "b"),
            ("load", "b", True),
        ]
        * 2
    )


def test_a_returning_reader_on_a_kept_profile_is_warmed_twice_before_it_is_timed():
    # V8 keeps a script's compiled code from its second run on (bench/README)
    from bench.__main__ import returning_loads

    log = []
    returning_loads({"a": _FakeTab("a", log)}, None, 1, warm=2)
    assert log == [("load", "a", False), ("load", "a", False), ("reopen", "a"), ("load", "a", True)]
