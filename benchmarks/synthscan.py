"""Synthetic scans of marked answer sheets, for the scan benchmark and the tests.

A rendered answer sheet (its PDF, drawn at a scanner's resolution) is marked as people mark:
crosses, check marks, blacked-out boxes, pencil; then degraded as a scanner degrades (a few
degrees of rotation, scale, blur, noise, JPEG) or as a phone photo does (perspective up to
15°, uneven light, the table around the page). Where to draw is taken from the layout
(generator/scan/geometry.py), which the tests check against the PDF's drawn rectangles.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from generator.scan.geometry import PageGeometry, Rect

STYLES = ("cross", "check", "fill", "pencil")


@dataclass(frozen=True)
class Marked:
    """A filled-in page and what was meant on it."""

    image: Any
    answers: dict[int, str]  # printed number → letters meant ("" none)
    code: str | None
    doubtful: set[int]  # questions marked so that a person should look (light, crossed out)


def draw_pdf(pdf: bytes, dpi: int = 300) -> list[Any]:
    """Each page of a PDF as a grey picture."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for page in document:
        array = page.render(scale=dpi / 72, grayscale=True).to_numpy()
        pages.append(np.ascontiguousarray(array[:, :, 0] if array.ndim == 3 else array))
    document.close()
    return pages


def _px(rect: Rect, dpi: int) -> tuple[float, float, float, float]:
    scale = dpi / 25.4
    return rect.x * scale, rect.y * scale, rect.width * scale, rect.height * scale


def mark(image: Any, rect: Rect, style: str, rng: random.Random, dpi: int = 300) -> None:
    """Draw one mark in a box, as a pen (or pencil) would, a little off and uneven."""
    x, y, w, h = _px(rect, dpi)
    pen = max(2, round(dpi / 25.4 * rng.uniform(0.35, 0.6)))
    ink = rng.randint(10, 60)
    jitter = w * 0.12

    def point(fx: float, fy: float) -> tuple[int, int]:
        return (round(x + fx * w + rng.uniform(-jitter, jitter)),
                round(y + fy * h + rng.uniform(-jitter, jitter)))

    if style == "fill":
        corners = np.array([point(0.08, 0.1), point(0.92, 0.08), point(0.9, 0.92),
                            point(0.1, 0.9)], np.int32)
        cv2.fillPoly(image, [corners], ink)
        return
    if style in ("pencil", "faint"):
        ink = rng.randint(95, 135) if style == "pencil" else rng.randint(200, 215)
    if style == "check":
        cv2.polylines(image, [np.array([point(0.15, 0.55), point(0.4, 0.85),
                                        point(0.9, 0.1)], np.int32)], False, ink, pen,
                      cv2.LINE_AA)
        return
    cv2.line(image, point(0.1, 0.1), point(0.9, 0.9), ink, pen, cv2.LINE_AA)
    cv2.line(image, point(0.9, 0.1), point(0.1, 0.9), ink, pen, cv2.LINE_AA)


def fill_page(image: Any, page: PageGeometry, rng: random.Random, dpi: int = 300, *,
              blank_share: float = 0.08, tricky_share: float = 0.0,
              code: str | None = None) -> Marked:
    """Mark a page at random: most questions one box, some none; with `tricky_share`, some
    marked to be doubtful (two ticks, a crossed-out tick, a very light mark)."""
    answers: dict[int, str] = {}
    doubtful: set[int] = set()
    for number in page.questions:
        letters = page.letters(number)
        if rng.random() < blank_share:
            answers[number] = ""
            continue
        chosen = rng.choice(letters)
        if rng.random() < tricky_share and len(letters) > 1:
            other = rng.choice([letter for letter in letters if letter != chosen])
            kind = rng.choice(("two", "crossed", "faint"))
            doubtful.add(number)
            if kind == "two":
                mark(image, page.boxes[(number, chosen)], "cross", rng, dpi)
                mark(image, page.boxes[(number, other)], "cross", rng, dpi)
                answers[number] = "".join(sorted(chosen + other))
            elif kind == "crossed":
                mark(image, page.boxes[(number, other)], "fill", rng, dpi)
                mark(image, page.boxes[(number, chosen)], "cross", rng, dpi)
                answers[number] = chosen
            else:
                mark(image, page.boxes[(number, chosen)], "faint", rng, dpi)
                answers[number] = ""
            continue
        mark(image, page.boxes[(number, chosen)], rng.choice(STYLES), rng, dpi)
        answers[number] = chosen
    if code is not None:
        for row, digit in enumerate(code, start=1):
            mark(image, page.code[(row, int(digit))], rng.choice(("cross", "fill")), rng, dpi)
    return Marked(image, answers, code, doubtful)


def scanned(image: Any, rng: random.Random, *, degrees: float = 5.0, jpeg: int | None = 70
            ) -> Any:
    """As a flatbed scanner gives it: turned up to `degrees`, scaled ±3 %, shifted, a little
    blurred, noisy, and JPEG-compressed (`jpeg` quality; None: lossless)."""
    height, width = image.shape[:2]
    angle = rng.uniform(-degrees, degrees)
    scale = rng.uniform(0.97, 1.03)
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, scale)
    matrix[:, 2] += (rng.uniform(-15, 15), rng.uniform(-15, 15))
    out = cv2.warpAffine(image, matrix, (width, height), borderValue=250)
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.4, 1.1))
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(2, 7), out.shape)
    out = np.clip(out.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    return _jpeg(out, jpeg) if jpeg else out


def photographed(image: Any, rng: random.Random, *, tilt: float = 15.0, jpeg: int = 80
                 ) -> Any:
    """As a phone photo: the page on a darker table, seen at up to `tilt` degrees (its far
    edge shorter), turned a little, lit unevenly, blurred, noisy, JPEG."""
    height, width = image.shape[:2]
    page = cv2.resize(image, None, fx=0.55, fy=0.55, interpolation=cv2.INTER_AREA)
    ph, pw = page.shape[:2]
    canvas_w, canvas_h = int(pw * 1.35), int(ph * 1.3)
    shrink = math.sin(math.radians(rng.uniform(0, tilt))) * 0.9
    side = rng.choice((-1, 1))
    inset = pw * shrink / 2
    source = np.float32([[0, 0], [pw, 0], [pw, ph], [0, ph]])
    ox, oy = (canvas_w - pw) / 2, (canvas_h - ph) / 2
    if side > 0:  # the top edge further away
        target = [[ox + inset, oy], [ox + pw - inset, oy], [ox + pw, oy + ph], [ox, oy + ph]]
    else:  # the left edge further away
        target = [[ox, oy + inset], [ox + pw, oy], [ox + pw, oy + ph], [ox, oy + ph - inset]]
    turn = math.radians(rng.uniform(-4, 4))
    cx, cy = canvas_w / 2, canvas_h / 2
    target = [[cx + (px - cx) * math.cos(turn) - (py - cy) * math.sin(turn)
               + rng.uniform(-8, 8),
               cy + (px - cx) * math.sin(turn) + (py - cy) * math.cos(turn)
               + rng.uniform(-8, 8)] for px, py in target]
    matrix = cv2.getPerspectiveTransform(source, np.float32(target))
    out = cv2.warpPerspective(page, matrix, (canvas_w, canvas_h),
                              borderValue=rng.randint(60, 110), flags=cv2.INTER_LINEAR)
    ys, xs = np.mgrid[0:canvas_h, 0:canvas_w].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (xs * math.cos(angle) + ys * math.sin(angle)) / max(canvas_w, canvas_h)
    light = 1.0 - rng.uniform(0.15, 0.4) * (ramp - ramp.min()) / max(1e-6, np.ptp(ramp))
    out = out.astype(np.float32) * light
    out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 1.0))
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(3, 6), out.shape)
    del width, height
    return _jpeg(np.clip(out + noise, 0, 255).astype(np.uint8), jpeg)


def _jpeg(image: Any, quality: int) -> Any:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    return cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)


def encoded(image: Any, suffix: str = ".png", quality: int = 85) -> bytes:
    """A picture as the bytes of a file (PNG or JPEG)."""
    flags = [cv2.IMWRITE_JPEG_QUALITY, quality] if suffix in (".jpg", ".jpeg") else []
    ok, data = cv2.imencode(suffix, image, flags)
    assert ok
    return bytes(data)


def pdf_of(images: list[Any], dpi: int = 150) -> bytes:
    """Pictures as the pages of a PDF, JPEG-compressed as a scanner's (Pillow)."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    pages = [Image.fromarray(image) for image in images]
    pages[0].save(buffer, "PDF", resolution=dpi, save_all=True, append_images=pages[1:],
                  quality=80)
    return buffer.getvalue()
