"""Reading one scanned page (OpenCV, imported here only): its QR code, its corner marks, the
page set straight, and each box's ink.

The QR code gives the page's edition and a first idea of where the page lies (its four
corners, whichever way up the page is); the corner marks, looked for where that idea puts
them, give the exact perspective. The page is then warped onto the layout read from the
rendered answer sheet (geometry.py), its lighting evened out, and each box's inside measured:
the share of dark pixels (ink), and of lighter ones (a faint pencil mark).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .geometry import CORNERS, PageGeometry, Rect

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import numpy.typing as npt

    Gray = npt.NDArray[np.uint8]
else:
    Gray = Any

PX_PER_MM = 6.0  # the page set straight: a 5 mm box is 30 pixels
INSET_MM = 0.9  # the inside of a box: its border and a little misregistration left out
DARK = 0.62  # a pixel this much darker than the paper around it is ink
FAINT = 0.86  # … this much, a faint mark
TICKED = 0.10  # share of dark pixels inside a box: ticked from here
FILLED = 0.70  # … blacked out from here (a crossed-out answer when another box is ticked)
UNSURE = 0.035  # … below TICKED but from here: doubtful
FAINT_SHARE = 0.10  # share of faint pixels (with too few dark ones): a very light mark
BLANK_STD = 6.0  # a page whose grey levels vary less than this is blank


class PageProblem(Exception):
    """A page that cannot be read, with the reason as a user reads it."""


@dataclass(frozen=True)
class BoxReading:
    dark: float  # share of dark pixels inside
    faint: float  # share of faint (or dark) pixels

    @property
    def state(self) -> str:
        """empty, ticked, filled, or doubtful (a light or small mark)."""
        if self.dark >= FILLED:
            return "filled"
        if self.dark >= TICKED:
            return "ticked"
        if self.dark >= UNSURE or self.faint >= FAINT_SHARE:
            return "doubtful"
        return "empty"


@dataclass
class QuestionReading:
    letters: str  # as written in the table: "", "B", "AC"
    doubtful: bool
    why: str  # "", or what makes it doubtful, for the review page
    boxes: dict[str, BoxReading] = field(default_factory=dict)


def decide(boxes: dict[str, BoxReading]) -> QuestionReading:
    """One question's answer from its boxes: a single tick or blacked-out box is the answer;
    a box blacked out beside a ticked one is an answer crossed out (the ticked one counts);
    two ticks, and any light or small mark, are doubtful."""
    states = {letter: reading.state for letter, reading in boxes.items()}
    ticked = "".join(sorted(letter for letter, state in states.items() if state == "ticked"))
    filled = "".join(sorted(letter for letter, state in states.items() if state == "filled"))
    unsure = "".join(sorted(letter for letter, state in states.items() if state == "doubtful"))
    reasons = []
    if ticked and filled:
        letters = ticked
        reasons.append(f"crossed out {filled}")
    else:
        letters = ticked or filled
    if len(letters) > 1:
        reasons.append("several ticks")
    if unsure:
        reasons.append(f"light mark in {unsure}")
    return QuestionReading(letters, bool(reasons), ", ".join(reasons), boxes)


def _cv2() -> Any:
    import cv2

    return cv2


def is_blank(gray: Gray) -> bool:
    """Nothing printed: grey levels all but even (a blank or an empty scanner glass)."""
    small = _cv2().resize(gray, (200, 280))
    return float(small.std()) < BLANK_STD


QR_SIDE = 320  # pixels: the QR code is decoded from a crop enlarged (or not) to this size


def _decode(image: Gray) -> tuple[str, Any] | None:
    """Text and corners of the QR code in `image`, by OpenCV's two detectors, or None."""
    cv2 = _cv2()
    import numpy as np

    for detector in (cv2.QRCodeDetectorAruco(), cv2.QRCodeDetector()):
        try:
            text, points, _ = detector.detectAndDecode(image)
        except cv2.error:  # some damaged pictures trip an assertion inside the detector
            continue
        if text and points is not None:
            return str(text), np.asarray(points, dtype=np.float64).reshape(4, 2)
    return None


def find_code(gray: Gray) -> tuple[str, Any] | None:
    """The QR code's text and its four corners in the picture (in the code's own order, so
    whichever way up the page is), or None. Found first (at half size, which is quicker,
    then at full size), then decoded from a crop around it enlarged to QR_SIDE pixels (a
    scan's modules are a few pixels wide); else looked for in the whole picture, as it is
    and enlarged by half."""
    cv2 = _cv2()
    import numpy as np

    for size in (0.5, 1.0):
        try:
            image = gray if size == 1.0 else cv2.resize(gray, None, fx=size, fy=size,
                                                        interpolation=cv2.INTER_AREA)
            found, points = cv2.QRCodeDetectorAruco().detect(image)
        except cv2.error:  # some damaged pictures trip an assertion inside the detector
            continue
        if not found or points is None:
            continue
        corners = np.asarray(points, dtype=np.float64).reshape(-1, 2) / size
        (x0, y0), (x1, y1) = corners.min(axis=0), corners.max(axis=0)
        margin = max(x1 - x0, y1 - y0) * 0.3
        left, top = int(max(0, x0 - margin)), int(max(0, y0 - margin))
        right, bottom = int(x1 + margin), int(y1 + margin)
        window = gray[top:bottom, left:right]
        if window.size:
            scale = max(1.0, QR_SIDE / max(1.0, max(x1 - x0, y1 - y0)))
            enlarged = cv2.resize(window, None, fx=scale, fy=scale,
                                  interpolation=cv2.INTER_CUBIC)
            decoded = _decode(enlarged)
            if decoded is not None:
                return decoded[0], decoded[1] / scale + np.array([left, top])
    whole = _decode(gray)
    if whole is not None or max(gray.shape[:2]) > 2400:
        return whole
    enlarged = _decode(cv2.resize(gray, None, fx=1.5, fy=1.5, interpolation=cv2.INTER_CUBIC))
    return None if enlarged is None else (enlarged[0], enlarged[1] / 1.5)


def _homography(source: list[tuple[float, float]], target: Any) -> Any:
    import numpy as np

    return _cv2().getPerspectiveTransform(np.asarray(source, dtype=np.float32),
                                          np.asarray(target, dtype=np.float32))


def _project(matrix: Any, point: tuple[float, float]) -> tuple[float, float]:
    import numpy as np

    x, y, w = matrix @ np.array([point[0], point[1], 1.0])
    return float(x / w), float(y / w)


def _marks(gray: Gray, corners: Any, page: PageGeometry) -> Any:
    """Where the page lies: the perspective (page mm → picture) from its corner marks.

    Every solid dark square of about a mark's size (judged from the QR code's size), clear of
    the picture's edge (a mark cut off there would put its centre out), is a candidate; the
    QR code's corners give a first, affine idea of the page's directions, and each corner's
    mark is the candidate furthest towards that corner: boxes blacked out on the sheet are
    all further in. The marks then place the page in a few ways (all four, or three when one
    is lost), and the printed boxes say which way is right (`registration`)."""
    cv2 = _cv2()
    import numpy as np

    qr = np.asarray(page.qr.corners(), dtype=np.float32)
    found = np.asarray(corners, dtype=np.float32)
    affine, _ = cv2.estimateAffine2D(found, qr)  # picture → page mm, roughly
    if affine is None:
        raise PageProblem("its QR code is too distorted to place the page: scan it flat")
    mm = float(np.mean([np.hypot(*(found[i] - found[(i + 1) % 4])) for i in range(4)])
               ) / page.qr.width  # picture pixels a millimetre, near the code
    mark = page.marks[CORNERS[0]]
    side = mark.width * mm
    block = int(side * 4) | 1
    shrink = 0.5 if side >= 20 else 1.0  # marks of 20 pixels or more are found at half size
    gray_full = gray
    if shrink != 1.0:
        gray = cv2.resize(gray, None, fx=shrink, fy=shrink, interpolation=cv2.INTER_AREA)
        side, block = side * shrink, int(side * shrink * 4) | 1
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                max(block, 3), 25)
    _count, _, stats, centroids = cv2.connectedComponentsWithStats(ink)
    centroids = (centroids + 0.5) / shrink - 0.5
    areas = stats[1:, cv2.CC_STAT_AREA].astype(np.float64)
    widths = stats[1:, cv2.CC_STAT_WIDTH].astype(np.float64)
    heights = stats[1:, cv2.CC_STAT_HEIGHT].astype(np.float64)
    keep = ((areas >= 0.35 * side * side) & (areas <= 2.5 * side * side)
            & (areas >= 0.7 * widths * heights)
            & (widths <= 2 * heights) & (heights <= 2 * widths)
            & ~_touches_edge(stats[1:], ink.shape))  # a mark cut off: its centre would be off
    points = centroids[1:][keep]
    if len(points) < 4:
        raise PageProblem("its corner marks were not found (covered, folded or cut off?): "
                          "scan the whole page, flat")
    placed = points @ affine[:, :2].T + affine[:, 2]
    chosen: list[tuple[float, float]] = []
    for name in CORNERS:
        target = page.marks[name].centre
        direction = np.array([1.0 if "right" in name else -1.0,
                              1.0 if "bottom" in name else -1.0])
        score = placed @ direction - 0.3 * np.hypot(*(placed - target).T)
        x, y = points[int(np.argmax(score))]
        chosen.append((float(x), float(y)))
    return _best_placement(gray_full, chosen, found, page, mm)


def _placements(chosen: list[tuple[float, float]], found: Any, page: PageGeometry,
                mm: float) -> list[Any]:
    """Every way the marks found may place the page (page mm → picture), among which the
    printed boxes choose: the four marks (a perspective); three of them (an affine map, which
    a scanner's flat glass makes exact, when a mark is cut off or covered); three marks and
    the QR code's corners (a photo's perspective with a mark missing). Each must put the QR
    code where it was found, within 3 mm."""
    cv2 = _cv2()
    import numpy as np

    centres = [page.marks[name].centre for name in CORNERS]
    matrices = [_homography(centres, chosen)]
    for left_out in range(len(CORNERS)):
        kept = [index for index in range(len(CORNERS)) if index != left_out]
        affine = cv2.getAffineTransform(np.asarray([centres[i] for i in kept], np.float32),
                                        np.asarray([chosen[i] for i in kept], np.float32))
        matrices.append(np.vstack([affine, [0.0, 0.0, 1.0]]))
        source = [centres[i] for i in kept] + page.qr.corners()
        seen = [chosen[i] for i in kept] + [tuple(point) for point in found]
        matrix, _ = cv2.findHomography(np.asarray(source, np.float32),
                                       np.asarray(seen, np.float32), 0)
        if matrix is not None:
            matrices.append(matrix)
    kept_matrices = []
    for matrix in matrices:
        landed = np.array([_project(matrix, point) for point in page.qr.corners()])
        if float(np.max(np.hypot(*(landed - found).T))) <= 3 * mm:
            kept_matrices.append(matrix)
    return kept_matrices


def registration(gray: Gray, matrix: Any, page: PageGeometry) -> float:
    """How well `matrix` lays the printed boxes on the picture: the share of boxes whose
    four borders (0.8 pt lines) are darker there than the paper 0.7 mm inside and outside
    them. Right, nearly every box shows its borders; a millimetre out, few do."""
    cv2 = _cv2()
    import numpy as np

    rects = [*page.boxes.values(), *page.code.values()]
    steps = np.linspace(0.2, 0.8, 5)
    points: list[tuple[float, float]] = []
    for rect in rects:
        for offset in (0.14, 0.84, -0.56):  # on the border line, inside, outside (mm)
            x0, y0 = rect.x + offset, rect.y + offset
            x1, y1 = rect.x + rect.width - offset, rect.y + rect.height - offset
            along_x = x0 + steps * (x1 - x0)
            along_y = y0 + steps * (y1 - y0)
            points.extend(zip(along_x, np.full(5, y0), strict=True))
            points.extend(zip(along_x, np.full(5, y1), strict=True))
            points.extend(zip(np.full(5, x0), along_y, strict=True))
            points.extend(zip(np.full(5, x1), along_y, strict=True))
    page_points = np.asarray(points, np.float64)
    projected = cv2.perspectiveTransform(page_points.reshape(-1, 1, 2), matrix).reshape(-1, 2)
    values = cv2.remap(gray, projected[:, 0].astype(np.float32).reshape(-1, 1),
                       projected[:, 1].astype(np.float32).reshape(-1, 1), cv2.INTER_LINEAR,
                       borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    per_edge = values.reshape(len(rects), 3, 4, 5).astype(np.float64).mean(axis=3)
    border, inside, outside = per_edge[:, 0], per_edge[:, 1], per_edge[:, 2]
    shows = (border < np.minimum(inside, outside) - 12).all(axis=1)
    return float(shows.mean())


FIT = 0.6  # share of boxes that must show their borders where the page is placed


def _best_placement(gray: Gray, chosen: list[tuple[float, float]], found: Any,
                    page: PageGeometry, mm: float) -> Any:
    """The placement that the printed boxes confirm best, or PageProblem when none does:
    a page placed a few millimetres out would be read wrong without a doubt raised."""
    scored = [(registration(gray, matrix, page), index, matrix)
              for index, matrix in enumerate(_placements(chosen, found, page, mm))]
    if not scored or max(scored)[0] < FIT:
        raise PageProblem("its corner marks were not found where the QR code says (a mark "
                          "covered, cut off, or a page folded?): scan the whole page, flat")
    return max(scored, key=lambda item: (item[0], -item[1]))[2]


def _touches_edge(stats: Any, shape: tuple[int, ...]) -> Any:
    """Which connected components (OpenCV's stats rows) reach the picture's edge."""
    cv2 = _cv2()
    left, top = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_TOP]
    right = left + stats[:, cv2.CC_STAT_WIDTH]
    bottom = top + stats[:, cv2.CC_STAT_HEIGHT]
    return (left <= 0) | (top <= 0) | (right >= shape[1]) | (bottom >= shape[0])


def straighten(gray: Gray, corners: Any, page: PageGeometry) -> Gray:
    """The page warped onto its layout (PX_PER_MM), its lighting evened out: each pixel
    divided by the paper's brightness around it, so 1.0 is paper whatever the light."""
    cv2 = _cv2()
    import numpy as np

    matrix = _marks(gray, corners, page)
    scale = np.diag([1 / PX_PER_MM, 1 / PX_PER_MM, 1.0])
    size = (int(page.width * PX_PER_MM), int(page.height * PX_PER_MM))
    flat = cv2.warpPerspective(gray, matrix @ scale, size,
                               flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
                               borderMode=cv2.BORDER_REPLICATE)
    small = cv2.resize(flat, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    paper = cv2.dilate(small, np.ones((13, 13), np.uint8))
    paper = cv2.GaussianBlur(paper, (0, 0), 3)
    paper = cv2.resize(paper, size, interpolation=cv2.INTER_LINEAR)
    even = flat.astype(np.float32) / np.maximum(paper.astype(np.float32), 40.0)
    result: Gray = np.clip(even * 255, 0, 255).astype(np.uint8)
    return result


def measure(flat: Gray, box: Rect) -> BoxReading:
    """The ink inside one box of the straightened page."""
    left = round((box.x + INSET_MM) * PX_PER_MM)
    top = round((box.y + INSET_MM) * PX_PER_MM)
    right = round((box.x + box.width - INSET_MM) * PX_PER_MM)
    bottom = round((box.y + box.height - INSET_MM) * PX_PER_MM)
    inside = flat[top:bottom, left:right]
    if inside.size == 0:
        return BoxReading(0.0, 0.0)
    return BoxReading(float((inside < DARK * 255).mean()), float((inside < FAINT * 255).mean()))


def crop(flat: Gray, boxes: list[Rect], margin: float = 3.0) -> bytes:
    """A PNG of the straightened page around some boxes, with the printed number and letters
    at their left (for the review page); `margin` mm around, a third of it above and below
    so that the lines next to it stay out."""
    cv2 = _cv2()
    left = max(0, int((min(b.x for b in boxes) - margin - 6) * PX_PER_MM))
    top = max(0, int((min(b.y for b in boxes) - margin / 3) * PX_PER_MM))
    right = int((max(b.x + b.width for b in boxes) + margin) * PX_PER_MM)
    bottom = int((max(b.y + b.height for b in boxes) + margin / 3) * PX_PER_MM)
    ok, data = cv2.imencode(".png", flat[top:bottom, left:right])
    return bytes(data) if ok else b""


@dataclass
class PageReading:
    """What one page says: its answers by printed number, its participant code."""

    answers: dict[int, QuestionReading]
    code: str | None  # "0427", or None when no digit is ticked
    code_doubt: str  # "", or why the code is doubtful
    crops: dict[str, bytes] = field(default_factory=dict)  # "3" / "code" → PNG


def read_boxes(flat: Gray, page: PageGeometry,
               keep_crop: Callable[[str], bool] = lambda _: True) -> PageReading:
    """Every question's answer and the participant code, from the straightened page."""
    answers: dict[int, QuestionReading] = {}
    crops: dict[str, bytes] = {}
    for number in page.questions:
        boxes = {letter: measure(flat, page.boxes[(number, letter)])
                 for letter in page.letters(number)}
        answers[number] = reading = decide(boxes)
        if reading.doubtful and keep_crop(str(number)):
            crops[str(number)] = crop(flat, [page.boxes[(number, letter)] for letter in boxes])
    rows = sorted({row for row, _ in page.code})
    digits = []
    doubts = []
    for row in rows:
        marks = {str(digit): measure(flat, page.code[(row, digit)]) for digit in range(10)}
        reading = decide(marks)
        if reading.doubtful or len(reading.letters) > 1:
            doubts.append(f"digit {row}: {reading.why}")
        digits.append(reading.letters)
    code: str | None = "".join(digits)
    if not any(digits):
        code = None
    elif not all(len(digit) == 1 for digit in digits):
        doubts.append("some digits not ticked")
    if doubts and keep_crop("code"):
        crops["code"] = crop(flat, list(page.code.values()))
    return PageReading(answers, code, "; ".join(doubts), crops)
