"""Telling the holders' colours apart, for everyone: the colour-vision simulations of
Machado, Oliveira and Fernandes (2009, severity 1.0) and the CIE76 colour difference.
The tests hold the faction palette to a minimum difference under each."""

from __future__ import annotations

import numpy as np

# Linear-RGB matrices, Machado et al. 2009, severity 1.0
SIMULATIONS = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}


def _linear(hex_colour: str) -> np.ndarray:
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    xyz = m @ np.clip(linear_rgb, 0, 1) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen_as(hex_colour: str, vision: str, over: str = "#f7f5f0", opacity: float = 1.0):
    """The colour's CIELAB value as `vision` sees it, laid at `opacity` over `over`
    (the map draws zones at 0.38 over the offline basemap's cream)."""
    mixed = opacity * _linear(hex_colour) + (1 - opacity) * _linear(over)
    return _lab(SIMULATIONS[vision] @ mixed)


def difference(a: str, b: str, vision: str, opacity: float = 1.0) -> float:
    """CIE76 ΔE between two colours as `vision` sees them."""
    return float(
        np.linalg.norm(seen_as(a, vision, opacity=opacity) - seen_as(b, vision, opacity=opacity))
    )
