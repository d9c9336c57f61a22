"""The server-drawn world map: TopoJSON decoding, projection, SVG output."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from cantho import worldmap
from cantho.worldmap import MapArea

SVG = "{http://www.w3.org/2000/svg}"

# A quantized topology small enough to check by hand: three arcs, a triangle made
# of arc 0 and arc 1 reversed (~1 == -2), and a multipolygon of a square and that triangle.
TINY = {
    "type": "Topology",
    "transform": {"scale": [0.5, 2.0], "translate": [10.0, -20.0]},
    "arcs": [
        [[0, 0], [2, 0], [0, 2]],  # (10,-20) (11,-20) (11,-16)
        [[0, 0], [0, 1], [2, 1]],  # (10,-20) (10,-18) (11,-16)
        [[4, 4], [2, 0], [0, 2], [-2, 0], [0, -2]],  # a closed square
    ],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "392", "properties": {"name": "A"}, "arcs": [[0, -2]]},
                {"type": "MultiPolygon", "id": "156", "properties": {"name": "B"}, "arcs": [[[2]], [[1, ~0]]]},
                {"type": None, "id": "999"},
                {"type": "LineString", "arcs": [0]},
            ],
        }
    },
}


def rings_of(path: str) -> list[list[tuple[float, float]]]:
    """Absolute points of each ring of our path data ("M x,y l dx,dy ... z")."""
    rings = []
    for start, moves in re.findall(r"M([-\d.]+,[-\d.]+)l([^z]*)z", path):
        x, y = (float(v) for v in start.split(","))
        ring = [(x, y)]
        for pair in moves.split():
            dx, dy = (float(v) for v in pair.split(","))
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


# -- decoding ---------------------------------------------------------------------------------


def test_arcs_are_delta_decoded_and_transformed():
    arcs = worldmap.decode_arcs(TINY)
    assert arcs[0] == [(10.0, -20.0), (11.0, -20.0), (11.0, -16.0)]
    assert arcs[1] == [(10.0, -20.0), (10.0, -18.0), (11.0, -16.0)]
    assert arcs[2][0] == (12.0, -12.0) and arcs[2][-1] == arcs[2][0]


def test_unquantized_arcs_are_taken_as_they_are():
    topology = {"arcs": [[[1.5, 2.5], [3, 4]]]}
    assert worldmap.decode_arcs(topology) == [[(1.5, 2.5), (3.0, 4.0)]]


def test_negative_arc_index_means_the_arc_reversed_and_shared_points_are_kept_once():
    arcs = worldmap.decode_arcs(TINY)
    ring = worldmap.stitch(arcs, [0, -2])
    assert ring == ((10.0, -20.0), (11.0, -20.0), (11.0, -16.0), (10.0, -18.0), (10.0, -20.0))
    assert worldmap.stitch(arcs, [~0]) == ((11.0, -16.0), (11.0, -20.0), (10.0, -20.0))


def test_polygons_and_multipolygons_are_decoded_other_types_skipped():
    features = worldmap.decode_features(TINY)
    assert [(f.numeric, f.name, len(f.polygons)) for f in features] == [("392", "A", 1), ("156", "B", 2)]
    square = features[1].polygons[0][0]
    assert len(square) == 5 and square[0] == square[-1]


# -- projection -------------------------------------------------------------------------------


def test_robinson_projection_is_symmetric_and_bounded():
    assert worldmap.robinson(0, 0) == (0.0, 0.0)
    east, north = worldmap.robinson(120, 45)
    west, south = worldmap.robinson(-120, -45)
    assert east == pytest.approx(-west) and north == pytest.approx(-south)
    assert worldmap.robinson(180, 0)[0] == pytest.approx(0.8487 * 3.14159265, rel=1e-6)
    assert worldmap.robinson(0, 90)[1] == pytest.approx(1.3523)


def test_a_ring_across_the_antimeridian_is_cut_in_two():
    ring = [(170.0, -10.0), (-170.0, -10.0), (-170.0, -20.0), (170.0, -20.0), (170.0, -10.0)]
    pieces = worldmap.split_at_antimeridian(ring)
    assert len(pieces) == 2
    for piece in pieces:
        lons = [lon for lon, _lat in piece]
        assert max(lons) - min(lons) <= 10 + 1e-9
    assert worldmap.split_at_antimeridian([(0, 0), (1, 0), (1, 1)]) == [[(0, 0), (1, 0), (1, 1)]]


# -- the vendored map -------------------------------------------------------------------------


def test_japan_is_drawn_on_the_right_in_the_northern_half():
    width, height = worldmap.viewbox()
    japan = worldmap.shapes_by_code()["JP"]
    assert japan.numeric == "392" and japan.path.startswith("M")
    min_x, min_y, max_x, max_y = japan.bounds
    assert 0.8 * width < min_x < max_x < 0.9 * width  # 123°E–146°E
    assert 0.2 * height < min_y < max_y < 0.45 * height  # 24°N–45°N, north up
    points = [p for ring in rings_of(japan.path) for p in ring]
    assert all(min_x - 0.01 <= x <= max_x + 0.01 and min_y - 0.01 <= y <= max_y + 0.01 for x, y in points)


def test_codes_come_from_iso_numeric_ids_and_antarctica_is_left_out():
    codes = worldmap.drawn_codes()
    assert {"JP", "CN", "VN", "US", "FR", "KR", "BR", "AU"} <= codes
    assert "AQ" not in codes
    assert "SG" not in codes  # too small for 1:110m; the page lists it apart
    assert [s.name for s in worldmap.shapes() if not s.code] == ["N. Cyprus", "Somaliland", "Kosovo"]


def test_no_ring_streaks_across_the_map():
    width, _height = worldmap.viewbox()
    for shape in worldmap.shapes():
        for ring in rings_of(shape.path):
            xs = [x for x, _y in ring]
            assert max(xs) - min(xs) < width / 2, shape.name


def test_shapes_are_decoded_once_per_process():
    worldmap._layout.cache_clear()
    first = worldmap.shapes()
    again = worldmap.shapes()
    assert first is again
    assert worldmap._layout.cache_info().hits >= 1


# -- SVG ----------------------------------------------------------------------------------------


def test_svg_is_well_formed_with_links_titles_and_a_description():
    areas = [
        MapArea("JP", "/countries/jp/", "Nhật Bản: 2 đối tác", "#7fb2dc"),
        MapArea("FR", "/countries/fr/?a=1&b=2", 'Pháp & <"Co">: 1', "#b3d3ec"),
        MapArea("SG", "/countries/sg/", "Singapore", "#b3d3ec"),  # not drawable: ignored
    ]
    svg = worldmap.render_svg(areas, title="Bản đồ", desc="Mô tả & chú thích")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    width, height = worldmap.viewbox()
    assert root.get("viewBox") == f"0 0 {width} {height}"
    assert root.find(f"{SVG}title").text == "Bản đồ" and root.find(f"{SVG}desc").text == "Mô tả & chú thích"
    assert set(root.get("aria-labelledby").split()) == {root.find(f"{SVG}title").get("id"), root.find(f"{SVG}desc").get("id")}
    links = {a.get("href"): a for a in root.iter(f"{SVG}a")}
    assert set(links) == {"/countries/jp/", "/countries/fr/?a=1&b=2"}
    france = links["/countries/fr/?a=1&b=2"]
    assert france.find(f"{SVG}title").text == 'Pháp & <"Co">: 1'
    assert france.find(f"{SVG}path").get("fill") == "#b3d3ec"
    assert links["/countries/jp/"].find(f"{SVG}path").get("d") == worldmap.shapes_by_code()["JP"].path
    background = root.find(f"{SVG}path")
    assert background.get("aria-hidden") == "true" and background.get("fill") == "#e4e7eb"


def test_every_country_is_drawn_once():
    svg = worldmap.render_svg([MapArea("JP", "/jp/", "JP", "#000")], title="t", desc="d")
    root = ET.fromstring(svg)
    drawn = sum(len(rings_of(path.get("d"))) for path in root.iter(f"{SVG}path"))
    assert drawn == sum(len(rings_of(shape.path)) for shape in worldmap.shapes())
