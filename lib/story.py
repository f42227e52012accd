"""The guided story (geodata/story.json, read by lib/geodata.py): each step's text as
escaped HTML, its map (a day, layers and a view), and its place in the URL.

The map page's atlas draws every step: a step sends the day, the layers and the view
to fly to (lib/assets/story_view.js), so the map keeps its place between steps.
"""

from __future__ import annotations

from html import escape

from lib.data import Dataset
from lib.data.dates import fmt_day
from lib.data.records import StoryStep
from lib.sources import cite_html, source_links_html
from lib.text import quoted

CHAPTERS = {
    "offensive": "The offensive",
    "bargaining": "The bargain over the buffer zone",
}
ARTICLE = "New Lines Magazine, 'The Backstory Behind the Fall of Aleppo'"


def step_keys(step: StoryStep) -> tuple[str, ...]:
    """The layers the step's map shows: its base layers, then its proposals."""
    return step.layers + step.proposals


def parse_step(ds: Dataset, raw: str | None) -> tuple[int, list[str]]:
    """(index of the step ?step= names, warnings); the first step when none or unknown."""
    ids = [s.id for s in ds.story]
    if raw is None:
        return 0, []
    if raw in ids:
        return ids.index(raw), []
    return 0, [f"Ignored step={quoted(raw)}: no such step. Showing the first."]


def when(ds: Dataset, step: StoryStep) -> str:
    """The event's date as the data gives it ('October 1998', '29 Nov 2024')."""
    event = ds.events.loc[step.event]
    return event["date_label"] or fmt_day(event["date"])


def heading(ds: Dataset, step: StoryStep) -> str:
    """The step's heading: its date and its title (the event's, unless the step has its
    own)."""
    return f"{when(ds, step)}: {step.title or ds.events.loc[step.event]['title']}"


def step_html(ds: Dataset, index: int) -> str:
    """The text beside the map: chapter, step, date, title, the article's words,
    our caption and the sources, all escaped."""
    step = ds.story[index]
    event = ds.events.loc[step.event]
    quote = step.quote or event["quote"]
    words = (
        f'<blockquote class="story-quote">&ldquo;{escape(quote)}&rdquo;'
        f"<footer>{escape(ARTICLE)}</footer></blockquote>"
        if quote
        else '<p class="story-noquote">The article does not cover this step.</p>'
    )
    # every step says the day its map shows, once
    shown = f'<p class="muted">The map shows who held the ground on {fmt_day(step.map_date)}.</p>'
    return (
        f'<div class="story-step" id="story-step" tabindex="-1">'
        f'<p class="story-chapter">{escape(CHAPTERS[step.chapter])} · step {index + 1} of '
        f"{len(ds.story)}</p>"
        f'<h2 class="story-heading">{escape(heading(ds, step))}</h2>'
        f"{words}<p>{escape(step.caption)}</p>{shown}"
        f'<p class="muted">{source_links_html(ds, step.source, limit=4)}</p>'
        f"{cite_html(ds, step.source)}</div>"
    )
