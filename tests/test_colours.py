"""Every pair of holders' colours can be told apart on the map: under normal vision
and simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009), laid at
the map's fill opacity over the offline basemap, by at least MIN_DELTA_E (CIE76)."""

import itertools

import pytest

from lib.colours import SIMULATIONS, difference
from lib.data.records import CONTESTED
from lib.layers.control import FILL_OPACITY
from lib.map_layers import map_legend

MIN_DELTA_E = 5.0


@pytest.mark.parametrize("vision", sorted(SIMULATIONS))
def test_the_holders_colours_are_told_apart(ds, vision):
    holders = [row for row in map_legend(ds) if not row[2]]  # contested: hatched instead
    assert len(holders) >= 7
    for (a, ca, _), (b, cb, _) in itertools.combinations(holders, 2):
        delta = difference(ca, cb, vision, FILL_OPACITY)
        assert delta >= MIN_DELTA_E, (vision, a, b, round(delta, 1))


def test_the_simulation_confuses_what_it_should():
    """Red and green, told apart by normal vision, merge for a deuteranope."""
    assert difference("#d62728", "#2ca02c", "normal") > 60
    assert (
        difference("#d62728", "#2ca02c", "deuteranopia")
        < difference("#d62728", "#2ca02c", "normal") / 2
    )


def test_contested_ground_is_not_a_holders_colour(ds):
    assert [row for row in map_legend(ds) if row[2]] == [
        [ds.factions[CONTESTED].short, ds.factions[CONTESTED].color, True]
    ]
