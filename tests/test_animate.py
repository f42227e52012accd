"""The offensive as a video or a GIF: every day a frame, of the size asked, the same
bytes every time (lib/animate.py). Small frames of the made-up dataset keep it quick."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from lib import animate

pytestmark = pytest.mark.slow  # draws a graphic a day and runs ffmpeg

SIZE = (320, 320)


def test_a_gif_has_a_frame_a_day_of_the_size_asked_and_the_same_bytes(mini):
    gif = animate.animate(mini, "gif", size_px=SIZE)
    assert animate.animate(mini, "gif", size_px=SIZE) == gif  # deterministic
    picture = Image.open(io.BytesIO(gif))
    assert picture.n_frames == len(mini.period.days()) and picture.size == SIZE
    picture.seek(0)
    first = picture.convert("RGB").tobytes()
    picture.seek(picture.n_frames - 1)
    assert picture.convert("RGB").tobytes() != first  # the last day is another map


def test_an_mp4_holds_every_day_and_the_same_bytes(mini):
    import imageio_ffmpeg

    frames = animate.day_frames(mini, size_px=SIZE)
    assert len(frames) == len(mini.period.days())
    assert frames[0] != frames[-1]
    video = animate.encode(frames, "mp4")
    assert animate.encode(frames, "mp4") == video  # deterministic
    assert video[4:8] == b"ftyp"
    path = io.BytesIO(video)
    # ffmpeg reads it back: its size, and the frames of every day and the hold at the end
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "v.mp4"
        file.write_bytes(path.getvalue())
        reader = imageio_ffmpeg.read_frames(str(file))
        meta = next(reader)
        count = sum(1 for _ in reader)
    assert tuple(meta["size"]) == SIZE
    per_day = round(animate.SECONDS_A_DAY * animate.FPS)
    hold = round(animate.HOLD_LAST_SECONDS * animate.FPS)
    assert count == len(frames) * per_day + hold


def test_the_command_line_writes_a_video_and_says_how_far_it_got(tmp_path):
    from tests.test_cli import run

    out = tmp_path / "fall.gif"
    res = run("animate", "--out", str(out), "--data", "tests/fixtures/mini", "--layers", "control")
    assert res.returncode == 0, res.stderr
    assert "drew day 1 of" in res.stderr and res.stdout == ""
    assert Image.open(out).size == animate.SHAPES["square"]
    res = run("animate", "--out", str(tmp_path / "fall.avi"))
    assert res.returncode == 2 and "must end in .mp4 or .gif" in res.stderr
