"""The offensive as a short video or GIF, for social media: every day from the baseline
to the last, each a frame of the print graphic (lib/graphic.py, the same renderer:
title and date, the legend with each holder's share, the scale bar, credits), square
(1080 x 1080) or 16:9 (1920 x 1080).

MP4 is encoded by the ffmpeg that the PyPI package imageio-ffmpeg ships in its wheel,
with bit-exact flags and one thread; GIF by Pillow. The same data and choices give the
same bytes.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path

from lib.data import Dataset
from lib.layers import by_key, default_keys

SHAPES = {"square": (1080, 1080), "wide": (1920, 1080)}
FORMATS = ("mp4", "gif")
SECONDS_A_DAY = 1.0
HOLD_LAST_SECONDS = 3.0  # the last day stays on screen: where it ended
FPS = 2  # a day a second: more frames of the same picture add nothing


def format_of(path: str) -> str:
    fmt = str(path).rsplit(".", 1)[-1].lower() if "." in str(path) else ""
    if fmt not in FORMATS:
        raise ValueError(f"the file name must end in .mp4 or .gif, got {path!r}")
    return fmt


def day_frames(
    ds: Dataset,
    keys=None,
    shape: str = "square",
    progress: Callable[[int, int], None] | None = None,
    size_px: tuple[int, int] | None = None,
) -> list[bytes]:
    """One PNG a day, from the baseline to the last day. `progress(done, total)` is
    called after each (the app's progress bar). `size_px` overrides the shape's size
    (the tests draw small frames)."""
    from lib.graphic import render

    keys = tuple(keys or default_keys())
    unknown = [k for k in keys if k not in by_key(ds)]
    if unknown:
        raise ValueError(f"unknown layer(s) {', '.join(unknown)}")
    if shape not in SHAPES:
        raise ValueError(f"the shape must be one of {', '.join(SHAPES)}, got {shape!r}")
    size = size_px or SHAPES[shape]
    days = ds.period.days()
    frames = []
    for i, day in enumerate(days):
        frames.append(render(ds, day, keys, "png", None, size))
        if progress:
            progress(i + 1, len(days))
    return frames


def _timeline(frames: list[bytes], fps: int) -> list[bytes]:
    """Each day's picture repeated for its time on screen, the last held longer."""
    per_day = max(1, round(SECONDS_A_DAY * fps))
    hold = max(1, round(HOLD_LAST_SECONDS * fps))
    return [f for f in frames[:-1] for _ in range(per_day)] + [frames[-1]] * (per_day + hold)


def encode(frames: list[bytes], fmt: str, fps: int = FPS) -> bytes:
    """The day frames (PNG bytes, all one size) as an MP4 or a GIF."""
    import numpy as np
    from PIL import Image

    pictures = [Image.open(io.BytesIO(f)).convert("RGB") for f in frames]
    if fmt == "gif":
        palette = [
            p.quantize(colors=255, method=Image.Quantize.MEDIANCUT, dither=0) for p in pictures
        ]
        out = io.BytesIO()
        durations = [int(1000 * SECONDS_A_DAY)] * (len(palette) - 1)
        durations.append(int(1000 * (SECONDS_A_DAY + HOLD_LAST_SECONDS)))
        palette[0].save(
            out,
            format="GIF",
            save_all=True,
            append_images=palette[1:],
            duration=durations,
            loop=0,
            optimize=False,
        )
        return out.getvalue()
    if fmt != "mp4":
        raise ValueError(f"format must be mp4 or gif, got {fmt!r}")
    import imageio_ffmpeg

    width, height = pictures[0].size
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "video.mp4"
        writer = imageio_ffmpeg.write_frames(
            str(path),
            (width, height),
            fps=fps,
            codec="libx264",
            pix_fmt_in="rgb24",
            pix_fmt_out="yuv420p",
            macro_block_size=8,
            ffmpeg_log_level="error",
            # the same frames, the same bytes: no encoder tag, no dates, one thread
            output_params=[
                "-threads", "1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
                "-map_metadata", "-1", "-movflags", "+faststart", "-crf", "20",
            ],
        )  # fmt: skip
        writer.send(None)  # starts ffmpeg
        for picture in _timeline(pictures, fps):
            writer.send(np.asarray(picture, dtype=np.uint8).tobytes())
        writer.close()
        return path.read_bytes()


def animate(
    ds: Dataset,
    fmt: str,
    keys=None,
    shape: str = "square",
    progress: Callable[[int, int], None] | None = None,
    size_px: tuple[int, int] | None = None,
) -> bytes:
    """The offensive, every day, as MP4 or GIF bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be mp4 or gif, got {fmt!r}")
    return encode(day_frames(ds, keys, shape, progress, size_px), fmt)
