"""Draw the site's icons (static/img/): the favicon (SVG and ICO), the touch icon and
the web app manifest's icons, all from the one monogram, a lower-case "d" (a ring and
its stem) with an ochre point, white on the brand blue. Geometry only, no font, so the
PNGs match the SVG on any machine. Run again after changing it; the files are committed.

    .venv/bin/python scripts/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parents[1] / "static" / "img"
BLUE, WHITE, OCHRE = "#0b3d91", "#ffffff", "#f2c14e"
# On a 64-unit square: (corner radius, ring centre x, y, radius, stroke, stem box, point).
CORNER = 14
RING = (28, 39, 11.5, 7)
STEM = (36, 11, 43.5, 52)
POINT = (17, 17, 5.5)

SVG = f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">\
<rect width="64" height="64" rx="{CORNER}" fill="{BLUE}"/>\
<circle cx="{RING[0]}" cy="{RING[1]}" r="{RING[2]}" fill="none" stroke="{WHITE}" \
stroke-width="{RING[3]}"/>\
<rect x="{STEM[0]}" y="{STEM[1]}" width="{STEM[2] - STEM[0]}" height="{STEM[3] - STEM[1]}" \
rx="1.5" fill="{WHITE}"/>\
<circle cx="{POINT[0]}" cy="{POINT[1]}" r="{POINT[2]}" fill="{OCHRE}"/></svg>
"""


def draw(size, *, corner=True, padding=0):
    """The monogram on a `size` px square; `padding` (a share of the size) keeps it in
    a maskable icon's safe zone, `corner=False` fills the square (the platform rounds
    it)."""
    scale = 4  # drawn larger, then reduced: smooth edges
    full = size * scale
    image = Image.new("RGBA", (full, full), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    unit = full / 64
    pen.rounded_rectangle(
        (0, 0, full - 1, full - 1), radius=CORNER * unit if corner else 0, fill=BLUE
    )
    inner = 1 - 2 * padding

    def at(value):
        return (padding * 64 + value * inner) * unit

    x, y, r, stroke = RING
    outer, width = (r + stroke / 2) * inner * unit, stroke * inner * unit
    pen.ellipse(
        (at(x) - outer, at(y) - outer, at(x) + outer, at(y) + outer),
        outline=WHITE,
        width=round(width),
    )
    pen.rounded_rectangle(
        (at(STEM[0]), at(STEM[1]), at(STEM[2]), at(STEM[3])), radius=1.5 * inner * unit, fill=WHITE
    )
    px, py, pr = POINT
    pen.ellipse(
        (
            at(px) - pr * inner * unit,
            at(py) - pr * inner * unit,
            at(px) + pr * inner * unit,
            at(py) + pr * inner * unit,
        ),
        fill=OCHRE,
    )
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "favicon.svg").write_text(SVG)
    draw(180, corner=False).convert("RGB").save(OUT / "apple-touch-icon.png", optimize=True)
    draw(192).save(OUT / "icon-192.png", optimize=True)
    draw(512).save(OUT / "icon-512.png", optimize=True)
    draw(512, corner=False, padding=0.1).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(64).save(OUT / "favicon.ico", sizes=[(16, 16), (32, 32), (48, 48)])


if __name__ == "__main__":
    main()
