"""Charts and the map, drawn once and rendered twice: as SVG for the page and as PNG for
the PDF report.

A chart is a `Drawing`, a list of plain shapes in pixel coordinates. `svg` writes it as
inline markup (names on hover as `<title>`, links for drilling down); `png` paints the
same shapes with Pillow, so the page and the paper show the same picture. Nothing is
fetched from anywhere: no tiles, no fonts, no script.
"""

import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from PIL import Image, ImageDraw, ImageFont

Point = tuple[float, float]

# A sequential green scale (light to dark) for values, and grey for "no value".
SCALE = ["#e5f5e0", "#a1d99b", "#74c476", "#31a354", "#006d2c"]
NO_VALUE = "#d9d9d9"
INK = "#222222"
BAR = "#2b8cbe"


@dataclass
class Shape:
    kind: str  # "polygon" (SVG path data of straight rings), "rect", "text"
    d: str = ""
    box: tuple[float, float, float, float] = (0, 0, 0, 0)  # x, y, width, height
    fill: str = INK
    stroke: str = ""
    title: str = ""
    href: str = ""
    text: str = ""
    at: Point = (0, 0)
    size: int = 12
    anchor: str = "start"  # start, middle, end
    css: str = ""


@dataclass
class Drawing:
    width: int
    height: int
    label: str
    shapes: list[Shape] = field(default_factory=list)

    def text(self, x: float, y: float, text: str, size: int = 12, anchor: str = "start") -> None:
        self.shapes.append(Shape("text", at=(x, y), text=text, size=size, anchor=anchor))


def svg(drawing: Drawing, css_class: str = "chart") -> SafeString:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{escape(css_class)}" role="img" '
        f'viewBox="0 0 {drawing.width} {drawing.height}" aria-label="{escape(drawing.label)}">'
    ]
    for s in drawing.shapes:
        title = f"<title>{escape(s.title)}</title>" if s.title else ""
        css = f' class="{escape(s.css)}"' if s.css else ""
        stroke = f' stroke="{s.stroke}" stroke-width="0.8"' if s.stroke else ""
        if s.kind == "polygon":
            element = f'<path d="{s.d}" fill="{s.fill}"{stroke}{css}>{title}</path>'
        elif s.kind == "rect":
            x, y, w, h = s.box
            element = (
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
                f'fill="{s.fill}"{stroke}{css}>{title}</rect>'
            )
        else:
            x, y = s.at
            element = (
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="{s.size}" text-anchor="{s.anchor}" '
                f'fill="{s.fill}">{escape(s.text)}</text>'
            )
        if s.href:
            element = f'<a href="{escape(s.href)}">{element}</a>'
        parts.append(element)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text and attribute is escaped above)


def png(drawing: Drawing, scale: int = 2) -> bytes:
    image = Image.new("RGB", (drawing.width * scale, drawing.height * scale), "white")
    pen = ImageDraw.Draw(image)
    for s in drawing.shapes:
        if s.kind == "polygon":
            for ring in rings(s.d):
                pen.polygon(
                    [(x * scale, y * scale) for x, y in ring],
                    fill=s.fill,
                    outline=s.stroke or None,
                )
        elif s.kind == "rect":
            x, y, w, h = s.box
            pen.rectangle(
                [x * scale, y * scale, (x + w) * scale, (y + h) * scale],
                fill=s.fill,
                outline=s.stroke or None,
            )
        else:
            font = ImageFont.load_default(size=s.size * scale)
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[s.anchor]
            pen.text(
                (s.at[0] * scale, s.at[1] * scale), s.text, fill=s.fill, font=font, anchor=anchor
            )
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def bar_chart(
    label: str, items: Sequence[tuple[str, int]], show: Callable[[int], str] = str
) -> Drawing:
    """Horizontal bars, one per item, largest scale at the widest bar."""
    row, left, width = 22, 170, 560
    drawing = Drawing(width, row * len(items) + 30, label)
    drawing.text(0, 16, label, size=13)
    top = max((value for _, value in items), default=0) or 1
    for i, (name, value) in enumerate(items):
        y = 28 + i * row
        drawing.text(left - 6, y + 14, name[:26], anchor="end")
        length = (width - left - 90) * value / top
        drawing.shapes.append(
            Shape(
                "rect",
                box=(left, y + 3, max(length, 1), row - 6),
                fill=BAR,
                title=f"{name}: {show(value)}",
            )
        )
        drawing.text(left + length + 6, y + 14, show(value))
    return drawing


def column_chart(label: str, items: Sequence[tuple[str, int]]) -> Drawing:
    """Vertical bars over time, e.g. one per month; every third label is written."""
    width, height, bottom, left = 720, 220, 190, 40
    drawing = Drawing(width, height, label)
    drawing.text(0, 16, label, size=13)
    top = max((value for _, value in items), default=0) or 1
    step = (width - left) / max(len(items), 1)
    drawing.text(left - 4, 40, f"{top:,}".replace(",", "."), size=10, anchor="end")
    for i, (name, value) in enumerate(items):
        h = (bottom - 40) * value / top
        x = left + i * step
        drawing.shapes.append(
            Shape(
                "rect",
                box=(x + 1, bottom - h, max(step - 2, 1), h),
                fill=BAR,
                title=f"{name}: {value:,}".replace(",", "."),
            )
        )
        if i % 3 == 0:
            drawing.text(x + step / 2, bottom + 16, name, size=10, anchor="middle")
    return drawing


@dataclass
class Area:
    code: str
    name: str
    d: str  # path data in the map's pixels (`outline`)
    value: float | None
    href: str = ""
    shown: str = ""


# The map's box: the areas fill MAP_WIDTH x MAP_HEIGHT; the legend sits to the right.
MAP_WIDTH, MAP_HEIGHT, LEGEND_WIDTH = 720, 560, 170


def outlines(geometries: dict[str, dict[str, Any]]) -> dict[str, str]:
    """Each GeoJSON (Multi)Polygon as SVG path data in the map's pixels, all on one scale.

    Equirectangular, with longitude shrunk by the cosine of the latitude: at a city's
    size that is as good as any projection. Holes are not drawn.
    """
    lonlat = {code: _rings(g) for code, g in geometries.items()}
    points = [p for rs in lonlat.values() for ring in rs for p in ring]
    if not points:
        return {}
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    south, north = min(p[1] for p in points), max(p[1] for p in points)
    shrink = math.cos(math.radians((north + south) / 2))
    span_x, span_y = (east - west) * shrink or 1, (north - south) or 1
    k = min((MAP_WIDTH - LEGEND_WIDTH - 20) / span_x, MAP_HEIGHT / span_y)
    return {
        code: " ".join(
            "M" + " L".join(
                f"{10 + (x - west) * shrink * k:.1f} {10 + (north - y) * k:.1f}" for x, y in ring
            ) + " Z"
            for ring in rs
        )
        for code, rs in lonlat.items()
    }  # fmt: skip


def rings(d: str) -> list[list[Point]]:
    """The rings of path data written by `outlines` (M, L and Z only)."""
    out = []
    for part in d.split("M")[1:]:
        ring = []
        for pair in part.replace("Z", "").split("L"):
            x, y = pair.split()
            ring.append((float(x), float(y)))
        out.append(ring)
    return out


def classes(values: Sequence[float], count: int = len(SCALE)) -> list[float]:
    """Upper bounds of equal-interval classes from 0 to the largest value."""
    top = max(values, default=0) or 1
    return [top * (i + 1) / count for i in range(count)]


def choropleth(label: str, areas: Sequence[Area], legend: Callable[[float], str]) -> Drawing:
    """One path per area, shaded by its value, with a legend of the classes."""
    drawing = Drawing(MAP_WIDTH, MAP_HEIGHT + 20, label)
    bounds = classes([a.value for a in areas if a.value is not None])
    for area in areas:
        if area.value is None:
            fill = NO_VALUE
        else:
            fill = SCALE[next(i for i, b in enumerate(bounds) if area.value <= b + 1e-9)]
        drawing.shapes.append(
            Shape(
                "polygon",
                d=area.d,
                fill=fill,
                stroke="#ffffff",
                title=f"{area.name}: {area.shown}",
                href=area.href,
                css="area",
            )
        )
    x = MAP_WIDTH - LEGEND_WIDTH
    drawing.text(x, 24, label[:24], size=12)
    lower = 0.0
    for i, upper in enumerate(bounds):
        y = 36 + i * 22
        drawing.shapes.append(Shape("rect", box=(x, y, 18, 16), fill=SCALE[i], stroke="#999999"))
        drawing.text(x + 24, y + 13, f"{legend(lower)} – {legend(upper)}", size=11)
        lower = upper
    y = 36 + len(bounds) * 22
    drawing.shapes.append(Shape("rect", box=(x, y, 18, 16), fill=NO_VALUE, stroke="#999999"))
    drawing.text(x + 24, y + 13, "—", size=11)
    return drawing


def _rings(geometry: dict[str, Any]) -> list[list[Point]]:
    """The outer rings of a GeoJSON Polygon or MultiPolygon, as (longitude, latitude)."""
    if geometry.get("type") == "Polygon":
        return [[(float(x), float(y)) for x, y, *_ in geometry["coordinates"][0]]]
    if geometry.get("type") == "MultiPolygon":
        return [
            [(float(x), float(y)) for x, y, *_ in polygon[0]] for polygon in geometry["coordinates"]
        ]
    return []
