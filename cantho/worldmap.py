"""A world map drawn on the server as inline SVG, from Natural Earth boundaries.

The boundaries are the 1:110m countries of the ``world-atlas`` package, vendored
in ``cantho/data/countries-110m.json`` (see the README there). This module reads
that TopoJSON itself — quantized, delta-encoded arcs stitched into the rings of
polygons and multipolygons — projects it with the Robinson projection and turns
each country into SVG path data. The decoded shapes are cached per process, so a
request only fills in colours, links and titles.

Nothing here touches the database or the active language: the caller decides what
each country links to and says, and gets back an SVG string.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_countries import countries

DATA_FILE = Path(__file__).resolve().parent / "data" / "countries-110m.json"

#: Width of the drawing in SVG user units; the height follows from the projection.
WIDTH = 1000
#: ISO numeric codes left out of the drawing (Antarctica takes a fifth of the height).
LEFT_OUT = frozenset({"010"})

Point = tuple[float, float]
Ring = tuple[Point, ...]
Polygon = tuple[Ring, ...]


@dataclass(frozen=True)
class Feature:
    """One geometry of a TopoJSON object, decoded to longitude/latitude rings."""

    numeric: str  # ISO 3166-1 numeric ("392"), or "" for shapes without a code
    name: str  # the English name in the file
    polygons: tuple[Polygon, ...]  # each: outer ring, then holes


@dataclass(frozen=True)
class Shape:
    """A country ready to draw: its alpha-2 code and its projected SVG path data."""

    code: str  # ISO 3166-1 alpha-2 ("JP"), or "" when the shape has no code
    numeric: str
    name: str
    path: str
    bounds: tuple[float, float, float, float]  # min x, min y, max x, max y in SVG units


@dataclass(frozen=True)
class MapArea:
    """A country the caller wants drawn as a link: where it goes, what it says, its colour."""

    code: str
    href: str
    label: str
    fill: str


# -- TopoJSON ---------------------------------------------------------------------


def decode_arcs(topology: dict) -> list[list[Point]]:
    """The topology's arcs as absolute coordinates.

    A quantized topology (one with a ``transform``) stores each arc's first position
    as integers and every following one as the difference from the one before;
    positions are then scaled and translated back to degrees.
    """
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    for arc in topology["arcs"]:
        if transform:
            (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for position in arc:
                x += position[0]
                y += position[1]
                points.append((x * kx + dx, y * ky + dy))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(points)
    return arcs


def stitch(arcs: Sequence[Sequence[Point]], indexes: Iterable[int]) -> Ring:
    """One closed ring from arc indexes; index ``~i`` (negative) is arc ``i`` reversed.

    Consecutive arcs share their end and start point; it is kept once.
    """
    points: list[Point] = []
    for index in indexes:
        arc = list(arcs[index]) if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return tuple(points)


def decode_features(topology: dict, object_name: str = "countries") -> list[Feature]:
    """Every Polygon and MultiPolygon of ``topology.objects[object_name]``; other types are skipped."""
    arcs = decode_arcs(topology)
    features = []
    for geometry in topology["objects"][object_name].get("geometries", []):
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        features.append(
            Feature(
                numeric=str(geometry.get("id") or ""),
                name=(geometry.get("properties") or {}).get("name", ""),
                polygons=tuple(tuple(stitch(arcs, ring) for ring in polygon) for polygon in polygons),
            )
        )
    return features


# -- projection -------------------------------------------------------------------

# Robinson (1974): parallel length and distance from the equator at every 5° of latitude.
_ROBINSON = (
    (1.0000, 0.0000), (0.9986, 0.0620), (0.9954, 0.1240), (0.9900, 0.1860), (0.9822, 0.2480),
    (0.9730, 0.3100), (0.9600, 0.3720), (0.9427, 0.4340), (0.9216, 0.4958), (0.8962, 0.5571),
    (0.8679, 0.6176), (0.8350, 0.6769), (0.7986, 0.7346), (0.7597, 0.7903), (0.7186, 0.8435),
    (0.6732, 0.8936), (0.6213, 0.9394), (0.5722, 0.9761), (0.5322, 1.0000),
)  # fmt: skip


def robinson(lon: float, lat: float) -> Point:
    """Robinson projection of a point in degrees, on a sphere of radius 1; y grows northwards."""
    step = min(abs(lat), 90.0) / 5.0
    i = min(int(step), len(_ROBINSON) - 2)
    f = step - i
    (x0, y0), (x1, y1) = _ROBINSON[i], _ROBINSON[i + 1]
    length = x0 + (x1 - x0) * f
    distance = y0 + (y1 - y0) * f
    return 0.8487 * length * math.radians(lon), math.copysign(1.3523 * distance, lat)


# -- the antimeridian -------------------------------------------------------------


def _unwrap(ring: Sequence[Point]) -> list[Point]:
    """The ring with longitudes made continuous: no step of more than 180° between neighbours."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        previous = out[-1][0]
        while lon - previous > 180:
            lon -= 360
        while lon - previous < -180:
            lon += 360
        out.append((lon, lat))
    return out


def _clip(ring: Sequence[Point], low: float, high: float) -> list[Point]:
    """The part of a ring between the meridians ``low`` and ``high`` (Sutherland–Hodgman on each edge)."""

    def clip_edge(points: Sequence[Point], inside, cross) -> list[Point]:
        out: list[Point] = []
        for i, current in enumerate(points):
            before = points[i - 1]
            if inside(current):
                if not inside(before):
                    out.append(cross(before, current))
                out.append(current)
            elif inside(before):
                out.append(cross(before, current))
        return out

    def crossing(meridian: float):
        def cross(a: Point, b: Point) -> Point:
            t = (meridian - a[0]) / (b[0] - a[0])
            return meridian, a[1] + (b[1] - a[1]) * t

        return cross

    points = clip_edge(ring, lambda p: p[0] >= low, crossing(low))
    return clip_edge(points, lambda p: p[0] <= high, crossing(high)) if points else []


def split_at_antimeridian(ring: Sequence[Point]) -> list[list[Point]]:
    """A ring crossing ±180° as the pieces on either side of it; any other ring unchanged.

    Drawn as they are, such rings would streak across the whole map.
    """
    unwrapped = _unwrap(ring)
    lons = [lon for lon, _ in unwrapped]
    if min(lons) >= -180 and max(lons) <= 180:
        return [list(ring)]
    pieces = []
    for shift in (-360, 0, 360):
        piece = _clip([(lon + shift, lat) for lon, lat in unwrapped], -180, 180)
        if len(piece) >= 3:
            pieces.append(piece)
    return pieces


# -- SVG path data ----------------------------------------------------------------


def _tenths(value: int) -> str:
    """An integer count of tenths as a short SVG number: 12 -> "1.2", -3 -> "-.3", 40 -> "4"."""
    whole, part = divmod(abs(value), 10)
    sign = "-" if value < 0 else ""
    if part == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{part}" if whole else f"{sign}.{part}"


def ring_path(ring: Sequence[tuple[int, int]]) -> str:
    """SVG path data for a ring of points in integer tenths: one absolute move, relative lines, close."""
    (x, y), rest = ring[0], ring[1:]
    moves = []
    for nx, ny in rest:
        moves.append(f"{_tenths(nx - x)},{_tenths(ny - y)}")
        x, y = nx, ny
    return f"M{_tenths(ring[0][0])},{_tenths(ring[0][1])}l{' '.join(moves)}z"


def _quantize(points: Iterable[Point], origin: Point, scale: float) -> list[tuple[int, int]]:
    """Projected points in integer tenths of an SVG unit (y downwards), repeated points dropped."""
    ox, oy = origin
    out: list[tuple[int, int]] = []
    for lon, lat in points:
        px, py = robinson(lon, lat)
        q = (round((px - ox) * scale * 10), round((oy - py) * scale * 10))
        if not out or q != out[-1]:
            out.append(q)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


@lru_cache(maxsize=1)
def _layout() -> tuple[tuple[Shape, ...], int]:
    """Decode, project and encode every country once per process: (shapes, SVG height)."""
    topology = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    features = [f for f in decode_features(topology) if f.numeric not in LEFT_OUT]
    projected = [robinson(lon, lat) for f in features for polygon in f.polygons for ring in polygon for lon, lat in ring]
    half_width = 0.8487 * math.pi
    top = max(y for _, y in projected)
    bottom = min(y for _, y in projected)
    scale = WIDTH / (2 * half_width)
    pad = 4 / scale  # a few SVG units of sea above and below
    origin = (-half_width, top + pad)
    height = math.ceil((top - bottom + 2 * pad) * scale)
    shapes = []
    for feature in features:
        rings = [_quantize(piece, origin, scale) for polygon in feature.polygons for ring in polygon for piece in split_at_antimeridian(ring)]
        rings = [ring for ring in rings if len(ring) >= 3]
        if not rings:
            continue
        xs = [x / 10 for ring in rings for x, _ in ring]
        ys = [y / 10 for ring in rings for _, y in ring]
        shapes.append(
            Shape(
                code=(countries.alpha2(feature.numeric) or "") if feature.numeric else "",
                numeric=feature.numeric,
                name=feature.name,
                path="".join(ring_path(ring) for ring in rings),
                bounds=(min(xs), min(ys), max(xs), max(ys)),
            )
        )
    return tuple(shapes), height


def shapes() -> tuple[Shape, ...]:
    """Every country of the map, projected (cached)."""
    return _layout()[0]


def shapes_by_code() -> dict[str, Shape]:
    """The drawable countries by alpha-2 code."""
    return {shape.code: shape for shape in shapes() if shape.code}


def drawn_codes() -> frozenset[str]:
    """Alpha-2 codes of the countries the map can draw (small states are missing at 1:110m)."""
    return frozenset(shapes_by_code())


def viewbox() -> tuple[int, int]:
    """(width, height) of the drawing in SVG user units."""
    return WIDTH, _layout()[1]


# -- the map ----------------------------------------------------------------------


def render_svg(areas: Iterable[MapArea], *, title: str, desc: str, base_fill: str = "#e4e7eb", id_prefix: str = "world-map") -> SafeString:
    """The world map as an inline ``<svg>``: ``areas`` drawn as links, every other country in ``base_fill``.

    Each area is an ``<a>`` around its ``<path>`` with a ``<title>`` (its accessible
    name and tooltip); the countries without a link are one decorative path. The
    result is well-formed XML; all text is escaped here.
    """
    width, height = viewbox()
    wanted = {area.code: area for area in areas}
    plain, linked = [], []
    for shape in shapes():
        area = wanted.get(shape.code) if shape.code else None
        if area is None:
            plain.append(shape.path)
        else:
            linked.append(
                f'<a href="{escape(area.href)}"><title>{escape(area.label)}</title><path fill="{escape(area.fill)}" fill-rule="evenodd" d="{shape.path}"/></a>'
            )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{id_prefix}-title {id_prefix}-desc">',
        f'<title id="{id_prefix}-title">{escape(title)}</title>',
        f'<desc id="{id_prefix}-desc">{escape(desc)}</desc>',
        f'<path fill="{escape(base_fill)}" fill-rule="evenodd" aria-hidden="true" d="{"".join(plain)}"/>',
        *linked,
        "</svg>",
    ]
    return mark_safe("\n".join(parts))  # noqa: S308 - every text and attribute above is escaped
