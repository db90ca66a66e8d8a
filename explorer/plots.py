"""Inline SVG plots (no script, no remote resource): precision-recall curves, similarity heatmaps, bars.

Series are told apart by dash pattern and by a text legend as well as by colour; every plot has a
title and a description for screen readers. Coordinates are rounded, so output is deterministic and small.
"""

from html import escape

from markupsafe import Markup

from .scores import Heatmap

# Okabe-Ito: distinguishable with the common colour-vision deficiencies, all readable on white.
SERIES_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
SERIES_DASHES = ("", "6 3", "2 2", "8 3 2 3", "1 3", "10 4", "4 4")
# Ten shades of one blue hue, light to dark, for similarities 0-0.1, ..., 0.9-1.
HEAT_SHADES = ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#08519c", "#08306b", "#041b3f")
GOLD_STROKE = "#D55E00"

PLOT_WIDTH, PLOT_HEIGHT = 360, 240
LEFT, TOP, BOTTOM = 48, 12, 40  # room for the axis labels
LEGEND_ROW = 18


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(slug: str, title: str, description: str, width: int, height: int, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="plot" role="img" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{slug}-title {slug}-desc"><title id="{slug}-title">{escape(title)}</title><desc id="{slug}-desc">{escape(description)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _x(recall: float) -> float:
    return round((LEFT + recall * PLOT_WIDTH) * 2) / 2  # half-pixel grid


def _y(precision: float) -> float:
    return round((TOP + (1 - precision) * PLOT_HEIGHT) * 2) / 2


def _steps(recall: list[float], precision: list[float]) -> list[tuple[float, float]]:
    """Screen points of the curve drawn as scikit-learn draws it (each precision held until the next
    recall), so that the area under it is the average precision."""
    points = [(_x(recall[0]), _y(precision[0]))]
    for r, held, p in zip(recall[1:], precision, precision[1:]):
        points += [(_x(r), _y(held)), (_x(r), _y(p))]
    return points


def _thin(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Drop the points that change nothing on screen: repeats and the middles of straight horizontal or
    vertical runs (half a million ranked pairs give a few hundred points)."""
    kept: list[tuple[float, float]] = []
    for point in points:
        if kept and point == kept[-1]:
            continue
        if len(kept) >= 2 and (kept[-2][0] == kept[-1][0] == point[0] or kept[-2][1] == kept[-1][1] == point[1]):
            kept[-1] = point
        else:
            kept.append(point)
    return kept


def _axes(x_label: str, y_label: str) -> list[str]:
    ticks = (0.0, 0.25, 0.5, 0.75, 1.0)
    body = [f'<rect x="{LEFT}" y="{TOP}" width="{PLOT_WIDTH}" height="{PLOT_HEIGHT}" class="frame"/>']
    for t in ticks:
        body.append(f'<line x1="{_x(t)}" y1="{TOP + PLOT_HEIGHT}" x2="{_x(t)}" y2="{TOP + PLOT_HEIGHT + 4}" class="tick"/>')
        body.append(f'<text x="{_x(t)}" y="{TOP + PLOT_HEIGHT + 16}" text-anchor="middle">{t:g}</text>')
        body.append(f'<line x1="{LEFT - 4}" y1="{_y(t)}" x2="{LEFT}" y2="{_y(t)}" class="tick"/>')
        body.append(f'<text x="{LEFT - 6}" y="{_y(t) + 4}" text-anchor="end">{t:g}</text>')
    body.append(f'<text x="{LEFT + PLOT_WIDTH / 2:g}" y="{TOP + PLOT_HEIGHT + 32}" text-anchor="middle">{escape(x_label)}</text>')
    body.append(f'<text transform="translate(12 {TOP + PLOT_HEIGHT / 2:g}) rotate(-90)" text-anchor="middle">{escape(y_label)}</text>')
    return body


def _series_style(index: int) -> str:
    colour, dash = SERIES_COLOURS[index % len(SERIES_COLOURS)], SERIES_DASHES[index % len(SERIES_DASHES)]
    return f'stroke="{colour}" stroke-dasharray="{dash}" class="series"'


def _legend_entry(index: int, top: int, label: str) -> str:
    y = top + index * LEGEND_ROW
    return (
        f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + 28}" y2="{y}" {_series_style(index)}/>'
        f'<text x="{LEFT + 36}" y="{y + 4}">{escape(label)}</text>'
    )


def pr_curves(slug: str, title: str, series: list[tuple[str, list[float], list[float]]]) -> Markup:
    """Precision-recall curves, one per (label, recall, precision), with a legend of labels under them."""
    body = _axes("recall", "precision")
    legend_top = TOP + PLOT_HEIGHT + BOTTOM + 8
    for index, (label, recall, precision) in enumerate(series):
        points = " ".join(f"{_number(x)},{_number(y)}" for x, y in _thin(_steps(recall, precision)))
        body.append(f'<polyline points="{points}" {_series_style(index)}><title>{escape(label)}</title></polyline>')
        body.append(_legend_entry(index, legend_top, label))
    description = "Precision against recall as the decision threshold falls. " + "; ".join(label for label, _, _ in series) + "."
    height = legend_top + len(series) * LEGEND_ROW
    return _svg(slug, title, description, LEFT + PLOT_WIDTH + 12, height, body)


def _shade(score: float) -> int:
    return min(int(score * len(HEAT_SHADES)), len(HEAT_SHADES) - 1)


def _cell_path(x: int, y: int, size: int) -> str:
    return f"M{x} {y}h{size}v{size}h-{size}z"


def heatmap(slug: str, title: str, map_: Heatmap, short_names: dict[str, str]) -> Markup:
    """The lower triangle of the similarity matrix, one path per shade; gold positive pairs outlined.
    Small matrices also print each score and name their rows and columns (``short_names``)."""
    n = len(map_.items)
    cell = max(4, min(44, 440 // n))
    labelled = cell >= 30
    margin = 40 if labelled else 8
    shades: dict[int, list[str]] = {}
    outlines, values = [], []
    for i in range(n):
        for j in range(i):
            score = map_.scores[i][j]
            if score is None:
                continue
            x, y = margin + j * cell, margin + i * cell
            shades.setdefault(_shade(score), []).append(_cell_path(x, y, cell))
            if map_.gold[i][j]:
                outlines.append(_cell_path(x + 1, y + 1, cell - 2))
            if labelled:
                ink = ' class="on-dark"' if _shade(score) >= 5 else ""
                values.append(f'<text x="{x + cell / 2:g}" y="{y + cell / 2 + 4:g}" text-anchor="middle"{ink}>{score:.2f}</text>')
    body = [f'<path d="{"".join(paths)}" fill="{HEAT_SHADES[shade]}" class="cells"/>' for shade, paths in sorted(shades.items())]
    if outlines:
        body.append(f'<path d="{"".join(outlines)}" fill="none" stroke="{GOLD_STROKE}" stroke-width="{2 if labelled else 1}"/>')
    body += values
    if labelled:
        for k, item in enumerate(map_.items):
            name = escape(short_names.get(item, item))
            body.append(f'<text x="{margin - 4}" y="{margin + k * cell + cell / 2 + 4:g}" text-anchor="end">{name}</text>')
            body.append(f'<text x="{margin + k * cell + cell / 2:g}" y="{margin + n * cell + 14}" text-anchor="middle">{name}</text>')
    size = margin + n * cell + (20 if labelled else 8)
    description = f"Similarity of each pair of the {n} items, lower triangle, darker is more similar; gold positive pairs are outlined."
    return _svg(slug, title, description, size, size, body)


def shade_legend(slug: str) -> Markup:
    """The key to the heatmaps' shades and outlines."""
    body = []
    for index, colour in enumerate(HEAT_SHADES):
        body.append(f'<rect x="{8 + index * 24}" y="4" width="24" height="14" fill="{colour}" class="swatch"/>')
    body += ['<text x="8" y="32">0</text>', f'<text x="{8 + 5 * 24}" y="32" text-anchor="middle">0.5</text>', f'<text x="{8 + 10 * 24}" y="32" text-anchor="end">1</text>']
    body.append(f'<path d="{_cell_path(270, 4, 14)}" fill="none" stroke="{GOLD_STROKE}" stroke-width="2"/><text x="290" y="16">gold positive pair</text>')
    return _svg(slug, "Heatmap key", "Ten shades from white (similarity 0) to dark blue (1); an orange outline marks a gold positive pair.", 420, 38, body)


def bars(slug: str, title: str, rows: list[tuple[str, float | None]]) -> Markup:
    """One horizontal bar per (label, value in [0, 1]), its value printed beside it."""
    label_width, bar_width, row = 220, 200, 20
    body = []
    for index, (label, value) in enumerate(rows):
        y = 4 + index * row
        body.append(f'<text x="{label_width - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>')
        if value is not None:
            body.append(f'<rect x="{label_width}" y="{y + 2}" width="{_number(value * bar_width)}" height="{row - 6}" class="bar"/>')
        body.append(f'<text x="{label_width + (value or 0) * bar_width + 6:.1f}" y="{y + 13}">{"n/a" if value is None else f"{value:.3f}"}</text>')
    description = "; ".join(f"{label}: {'n/a' if value is None else f'{value:.3f}'}" for label, value in rows)
    return _svg(slug, title, description, label_width + bar_width + 60, 8 + len(rows) * row, body)
