"""Compare the buffer-zone proposals: on one map, side by side, and in numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property, partial

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from lib import basemap, folium_parts, map_layers
from lib.data import Dataset
from lib.data.dates import fmt_day
from lib.figures import (
    change_words,
    held_faction,
    held_words,
    people_text,
    point_report,
    user_layer_row,
    whatif_label,
)
from lib.frame import Frame
from lib.layers.control import zones_only
from lib.layers.proposals import WHATIF_COLOR
from lib.mapview import moved_view, new_click
from lib.search import locate
from lib.text import md_escape
from lib.upload import user_layer_figures
from ui import compare, data, publish, state
from ui.page import setup


@dataclass(frozen=True)
class Shown:
    """What the reader chose to compare: every part of the page takes it."""

    ds: Dataset
    day: date
    chosen: list  # proposal ids, nearest first
    whatif_mi: float | None
    user_layer: object | None  # lib.upload.UserLayer
    user_figs: dict | None  # its figures on `day`, computed once a run

    @cached_property  # read in every label's format function: made once a run
    def proposals(self) -> dict:
        return {p.id: p for p in self.ds.proposals}


def controls(ds) -> Shown | None:
    """The page's controls, drawn; what the reader chose, or None when there is
    nothing to compare."""
    proposals = {p.id: p for p in ds.proposals}
    st.title("Compare the buffer-zone proposals")
    st.caption(
        "Each zone is the part of Syria within that distance of the Turkish border, computed "
        "in metres. The article's proposals run from the Adana Agreement's 3 miles to the 30 "
        "miles Turkish-backed forces held after Aleppo fell."
    )
    state.show_url_warnings()  # a bad date in the address: said on every page
    for message in st.session_state.get(state.CMP_WARNINGS, []):
        st.warning(md_escape(message), icon="⚠️")

    pick_col, date_col = st.columns([3, 2])
    pick_col.multiselect(
        "Proposals to compare",
        options=list(proposals),
        format_func=lambda pid: proposals[pid].label,
        help="Two or more: the ground each deeper zone adds to the one before is shown as a "
        "ring. The same proposals as the map's.",
        **state.bind_compare_picks(ds),
    )
    date_col.select_slider(
        "Who holds the ground on",
        options=ds.period.days(),
        format_func=fmt_day,
        **state.bind(state.COMPARE_DAY_SLIDER, state.DAY),
    )
    whatif_col, dist_col = st.columns([1, 4])
    whatif_col.toggle(
        "What if...",
        key=state.CMP_WHATIF_ON,
        help="Draw and count a zone of any depth from 1 to 40 miles",
    )
    if st.session_state[state.CMP_WHATIF_ON]:  # shown when on: no dead control
        dist_col.slider(
            "Depth of the what-if zone (miles)",
            min_value=state.WHATIF_RANGE[0],
            max_value=state.WHATIF_RANGE[1],
            step=0.5,
            key=state.CMP_WHATIF,
            format="%.1f mi",
        )
    state.sync_compare_url(ds)

    with st.expander("Add your own layer (GeoJSON)"):
        upload = st.file_uploader(
            "A zone of your own, or a front line from another source: a GeoJSON file with "
            "polygons, up to 10 MB. It stays in your session only.",
            type=["geojson", "json"],
            key=state.CMP_UPLOAD,
        )
    user_layer = compare.user_layer(upload, ds)

    day = st.session_state[state.DAY]
    view = state.compare_view(ds)
    chosen = sorted(view.proposals, key=list(proposals).index)
    # Once a run: the map (in its fragment) and the table both use it.
    user_figs = user_layer_figures(ds, user_layer, day) if user_layer is not None else None
    if not chosen and view.whatif_mi is None and user_layer is None:
        st.info("Pick at least one proposal, or turn on the what-if zone.")
        return None
    return Shown(ds, day, chosen, view.whatif_mi, user_layer, user_figs)


def zone_groups(s: Shown, proposal_ids, with_rings: bool, whatif) -> list:
    """Feature groups for zones: rings first, then the deepest zone first, so the
    shallower outlines stay on top and readable where they nest."""
    groups = []
    if with_rings:
        for inner, outer in zip(proposal_ids, proposal_ids[1:]):
            geojson = data.compare_layer("ring", inner, outer, s.day, s.ds)
            groups.append(folium_parts.feature_group(f"ring_{inner}_{outer}", geojson))
    for pid in reversed(proposal_ids):
        groups.append(folium_parts.feature_group(pid, data.layer_geojson(pid, s.day, s.ds)))
    if whatif is not None:
        geojson = data.compare_layer("what_if", whatif, None, s.day, s.ds)
        groups.append(folium_parts.feature_group("what_if", geojson))
    return groups


def key_rows(s: Shown, proposal_ids, with_rings: bool, whatif, user: bool) -> list[list]:
    """The map's key: each outline drawn, shallowest first, then the rings' shading."""
    rows = [
        [s.proposals[p].label, s.proposals[p].color, bool(s.proposals[p].dash), "line"]
        for p in proposal_ids
    ]
    if whatif is not None:
        rows.append([whatif_label(whatif), WHATIF_COLOR, False, "line"])
    if user:
        rows.append([s.user_layer.name, map_layers.USER_COLOR, False, "line"])
    if with_rings and len(proposal_ids) > 1:
        rows.append(["Shaded: the ground a deeper zone adds", "#888888", False, "fill"])
    return rows


def context_groups(s: Shown, show_control: bool) -> list:
    groups = [basemap.basemap_group(s.ds, st.session_state[state.BASEMAP])]
    if show_control:
        groups.append(
            folium_parts.feature_group(
                "control",
                zones_only(data.layer_geojson("control", s.day, s.ds)),
                interactive=False,
            )
        )
    return groups


@st.fragment
def overlay_map(s: Shown) -> None:
    show_control = st.toggle("Show who holds the ground", key=state.CMP_SHOW_CONTROL)
    map_col, info_col = st.columns([3, 1])
    groups = context_groups(s, show_control) + zone_groups(s, s.chosen, True, s.whatif_mi)
    groups.append(
        map_layers.zone_key(key_rows(s, s.chosen, True, s.whatif_mi, s.user_layer is not None))
    )
    if s.user_layer is not None:
        groups.append(
            folium_parts.feature_group(
                "user_layer", map_layers.user_layer_geojson(s.ds, s.user_layer, s.user_figs)
            )
        )
    click = st.session_state.get(state.CMP_CLICK)
    if click:
        report = point_report(s.ds, click["lng"], click["lat"], s.day)
        groups.append(
            folium_parts.feature_group(
                "point", map_layers.point_geojson(click["lng"], click["lat"], "Clicked point")
            )
        )
    with map_col:
        out = st_folium(
            map_layers.base_map(map_layers.syria_bounds(s.ds)),
            key="cmp_overlay",
            height=600,
            use_container_width=True,
            feature_group_to_add=groups,
            render=False,  # st_folium's own render pass only: the same map (test_map_layers)
            returned_objects=["last_clicked", "last_object_clicked"],
        )
    # A click on open ground comes as last_clicked, on a zone as last_object_clicked
    # (the layer takes the click); either carries the point clicked.
    clicked = new_click(out, st.session_state.setdefault(state.CMP_SEEN_CLICKS, {}), click)
    if clicked:
        st.session_state[state.CMP_CLICK] = clicked
        st.rerun(scope="fragment")  # draw the marker and the report
    with info_col:
        st.markdown(
            "**Click the map**, or find a place, for a point's distance to the border, "
            "the zones that would contain it and who holds it."
        )
        st.text_input(
            "Find a place, or type a latitude and longitude",
            key=state.CMP_FIND,
            on_change=find_point,
            args=(s.ds,),
            placeholder="Manbij, تل رفعت, or 36.47, 37.09",
            help="Any spelling GeoNames lists, or the Arabic name; press Enter.",
        )
        if st.session_state.get(state.CMP_FIND_NOTE):
            st.caption(md_escape(st.session_state[state.CMP_FIND_NOTE]))
        if click:
            point_panel(s, click, report)


def find_point(ds) -> None:
    """The point typed (a name or coordinates) becomes the point the map reports on, as
    a click would: the same query by keyboard."""
    found, why = locate(ds, st.session_state[state.CMP_FIND])
    st.session_state[state.CMP_FIND_NOTE] = why
    if found:
        st.session_state[state.CMP_CLICK] = {
            "lat": found.lat,
            "lng": found.lng,
            "label": found.label,
        }


def point_panel(s: Shown, click, report) -> None:
    name = f"{md_escape(click['label'])}: " if click.get("label") else ""
    st.markdown(f"**{name}Point** {click['lat']:.4f}° N, {click['lng']:.4f}° E")
    st.markdown(
        f"{report['distance_mi']:.1f} miles ({report['distance_km']:.1f} km) "
        "from the Turkish border"
    )
    if not report["in_syria"]:
        st.caption("Outside Syria: no proposal covers it.")
        return
    names = [s.proposals[p].label for p in report["proposals"]]
    st.markdown("Inside: " + (md_escape(", ".join(names)) if names else "none of the proposals"))
    if report["controller"]:
        st.markdown(
            f"Held on {fmt_day(s.day)} by **{md_escape(s.ds.factions[report['controller']].name)}**"
        )
    if report["nearest_place"]:
        st.caption(
            f"Nearest place: {md_escape(report['nearest_place'])}, held by "
            f"{md_escape(s.ds.factions[report['nearest_place_controller']].short)}"
        )


@st.fragment
def side_by_side(s: Shown) -> None:
    options = s.chosen or list(s.proposals)
    left_col, right_col = st.columns(2)
    left = left_col.selectbox(
        "Left", options, index=0, key=state.CMP_LEFT, format_func=lambda pid: s.proposals[pid].label
    )
    right = right_col.selectbox(
        "Right",
        options,
        index=len(options) - 1,
        key=state.CMP_RIGHT,
        format_func=lambda pid: s.proposals[pid].label,
    )
    # None until a map is moved: both open on all of Syria
    synced = st.session_state.get(state.CMP_VIEW)
    reports = st.session_state.setdefault(state.CMP_REPORTS, {})
    outs = {}
    for col, pid, key in ((left_col, left, "cmp_map_left"), (right_col, right, "cmp_map_right")):
        with col:
            row = data.comparison_rows(s.day, (pid,), None, s.ds)[0]
            st.caption(
                f"{row['area_km2']:,.0f} km² · {row['share_of_syria']:.1%} of Syria · "
                f"{row['places']} places"
            )
            outs[key] = st_folium(
                map_layers.base_map(map_layers.syria_bounds(s.ds)),
                key=key,
                height=520,
                use_container_width=True,
                feature_group_to_add=context_groups(s, True)
                + zone_groups(s, [pid], False, s.whatif_mi)
                + [map_layers.zone_key(key_rows(s, [pid], False, s.whatif_mi, False))],
                render=False,  # st_folium's own render pass only: the same map (test_map_layers)
                returned_objects=["center", "zoom"],
                **({"center": synced["center"], "zoom": synced["zoom"]} if synced else {}),
            )
    # Keep the two maps on one view: a map whose reported view changed was moved.
    moved = moved_view(reports, outs, synced)
    if moved:
        st.session_state[state.CMP_VIEW] = {"center": moved[:2], "zoom": moved[2]}
        st.rerun(scope="fragment")


def maps(s: Shown) -> None:
    mode = st.radio(
        "Map",
        ["Overlay", "Side by side"],
        horizontal=True,
        key=state.CMP_MODE,
        label_visibility="collapsed",
    )
    if mode == "Overlay":
        overlay_map(s)
    else:
        side_by_side(s)


def numbers(s: Shown) -> None:
    """The table of figures, its downloads and the print graphic."""
    st.subheader(f"In numbers, with the ground held on {fmt_day(s.day)}")
    rows = data.comparison_rows(s.day, tuple(s.chosen), s.whatif_mi, s.ds)
    if s.user_layer is not None:
        rows = rows + [user_layer_row(s.user_layer.name, s.user_figs)]
    since = st.selectbox(
        "Show the change in who holds each zone since",
        [None, *s.ds.period.days()],
        format_func=lambda d: "(no other s.day)" if d is None else fmt_day(d),
        key=state.CMP_SINCE,
        help="Each zone's ground gained or lost by each holder between that s.day and "
        f"{fmt_day(s.day)}, in km².",
    )
    before_rows = data.comparison_rows(since, tuple(s.chosen), s.whatif_mi, s.ds) if since else None
    if s.user_layer is not None and since:
        before_rows = before_rows + [
            user_layer_row(s.user_layer.name, user_layer_figures(s.ds, s.user_layer, since))
        ]

    # One row a zone, in columns that fit a laptop's width: who holds the zone is one
    # column of words (a column per holder needed sideways scrolling at 1400 px).
    table = pd.DataFrame(
        {
            "Zone": [r["label"] for r in rows],
            "Depth": [
                ""
                if r["kind"] in ("your layer",)
                else f"{r['distance_mi']:g} mi ({r['distance_km']:.1f} km)"
                for r in rows
            ],
            "Area (km²)": [r["area_km2"] for r in rows],
            "Share of Syria (%)": [r["share_of_syria_pct"] for r in rows],
            "Places": [r["places"] for r in rows],
            "People": [
                people_text(r["population"], r["places"], r["places_without_population"])
                for r in rows
            ],
            f"Held on {fmt_day(s.day)} (km²)": [held_words(s.ds, held_of(r)) for r in rows],
            **(
                {
                    f"Change since {fmt_day(since)} (km²)": [
                        change_words(s.ds, held_of(b), held_of(r))
                        for b, r in zip(before_rows, rows)
                    ]
                }
                if since
                else {}
            ),
            "Proposed": [
                ", ".join(x for x in (r.get("proposed_by", ""), r.get("when", "")) if x)
                for r in rows
            ],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        placeholder="—",  # a missing figure, not the word None
        column_config={
            "Area (km²)": st.column_config.NumberColumn(format="%,.0f"),
            "Share of Syria (%)": st.column_config.NumberColumn(format="%.1f"),
            "People": st.column_config.TextColumn(
                help="Sum of GeoNames populations. Where some places have no figure, the sum "
                "is a floor: 'at least'."
            ),
        },
    )
    st.caption(
        "Rings ('22 mi adds to 10 mi') are the ground a deeper zone adds to the one before "
        "it. People counts only places with a GeoNames population; control areas come from "
        "the approximate control zones."
    )
    down_csv, down_geo, down_print = st.columns(3)
    down_csv.download_button(
        "Download the table (CSV)",
        data=partial(data.comparison_csv, s.day, tuple(s.chosen), s.whatif_mi, s.ds),
        on_click="ignore",
        file_name=f"buffer-zones-{s.day}.csv",
        mime="text/csv",
        width="stretch",
    )
    down_geo.download_button(
        "Download the zones (GeoJSON)",
        data=partial(data.zones_json, s.day, tuple(s.chosen), s.whatif_mi, s.ds),
        on_click="ignore",
        file_name=f"buffer-zones-{s.day}.geojson",
        mime="application/geo+json",
        width="stretch",
    )
    with down_print:
        # the registered proposals with the ground held; the what-if and an upload are not
        # in the graphic (they are in the GeoJSON)
        printed = ("control", *s.chosen)
        publish.print_popover(
            s.ds,
            "compare",
            s.day,
            printed,
            {"The border zones": Frame.around(s.ds, s.chosen, s.day), "All of Syria": None},
        )


def places_inside(s: Shown) -> None:
    st.subheader("Places inside a zone")
    focus_options = s.chosen + (["what_if"] if s.whatif_mi is not None else [])
    focus = st.selectbox(
        "Zone",
        focus_options,
        key=state.CMP_FOCUS,
        format_func=lambda z: (
            s.proposals[z].label if z in s.proposals else whatif_label(s.whatif_mi)
        ),
    )
    miles = s.proposals[focus].distance_mi if focus in s.proposals else s.whatif_mi
    places = data.places_table(miles, s.day, s.ds)
    places["controller"] = places["controller"].map(lambda f: s.ds.factions[f].short)
    st.dataframe(
        places.rename(
            columns={
                "name": "Place",
                "population": "Population",
                "admin1": "Province",
                "distance_mi": "Miles from the border",
                "controller": f"Held on {fmt_day(s.day)} by",
            }
        ),
        hide_index=True,
        width="stretch",
        placeholder="—",  # a missing figure, not the word None
        column_config={
            "Population": st.column_config.NumberColumn(format="%,d"),
            "Miles from the border": st.column_config.NumberColumn(format="%.1f"),
        },
    )


def held_of(row: dict) -> dict:
    return {held_faction(k): v for k, v in row.items() if held_faction(k) and v}


def main() -> None:
    ds = setup("Compare buffer zones")
    state.init_compare(ds)
    shown = controls(ds)
    if shown is None:
        return
    maps(shown)
    numbers(shown)
    places_inside(shown)


main()
