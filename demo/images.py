"""Generate the demo images locally: wordless illustrations, no network, no logos.

Each image is drawn like a two-colour print in a magazine: a motif (figures, hills, a
globe…) over a sky that shades towards the ground, a large pale sun with a halftone
of dots, a wavy horizon, the motif's shadow offset beneath it as a misregistered
second plate, and a few scattered marks placed by a seed (the same drawing on every
run). There are no words in it, so it needs no translation; its alt text says what
it shows and is translated with each page that uses it.

`ILLUSTRATION_VERSION` names the drawing: `load_demo` redraws a demo image made by
an earlier version (demo/builder.py), so a site loaded before gets the new drawings.
"""

import io
import math
import random

from PIL import Image, ImageDraw

ILLUSTRATION_VERSION = 2
PALETTE = [
    ("#0b3d91", "#ffffff", "#f2c14e"),  # deep blue, white, ochre
    ("#1f6f50", "#ffffff", "#f2c14e"),  # green
    ("#8a3b12", "#ffffff", "#f2c14e"),  # terracotta
    ("#f2c14e", "#1a1a1a", "#8a3b12"),  # ochre
    ("#5b2a86", "#ffffff", "#f2c14e"),  # violet
    ("#e8eef7", "#0b3d91", "#1f6f50"),  # pale blue
]
WIDTH, HEIGHT = 1600, 900
LINE = 14


def _figures(draw, ink, accent, count=3):
    step = WIDTH // (count + 1)
    for n in range(1, count + 1):
        x, colour = n * step, accent if n % 2 else ink
        draw.ellipse((x - 70, 250, x + 70, 390), fill=colour)
        draw.rounded_rectangle((x - 120, 420, x + 120, 760), radius=110, fill=colour)


def _hills(draw, ink, accent):
    draw.ellipse((1050, 120, 1350, 420), fill=accent)
    draw.ellipse((-300, 520, 900, 1300), fill=ink)
    draw.ellipse((600, 600, 1900, 1400), outline=ink, width=LINE)


def _dunes(draw, ink, accent):
    draw.ellipse((200, 110, 420, 330), fill=accent)
    for row in range(4):
        base = 470 + row * 110
        points = [(x, base + 45 * math.sin(x / 160 + row)) for x in range(0, WIDTH + 40, 40)]
        draw.line(points, fill=ink, width=LINE)


def _bridge(draw, ink, accent):
    draw.arc((250, 250, 1350, 1150), start=180, end=360, fill=ink, width=LINE * 2)
    draw.line((150, 700, 1450, 700), fill=ink, width=LINE * 2)
    for x in range(350, 1300, 150):
        rise = int(450 * math.sqrt(max(0, 1 - ((x - 800) / 550) ** 2))) - LINE
        draw.line((x, 700, x, 700 - rise), fill=ink, width=LINE // 2)
    for row in range(3):
        y = 770 + row * 45
        draw.line((150 + row * 60, y, 1450 - row * 60, y), fill=accent, width=LINE // 2)


def _seedling(draw, ink, accent):
    draw.rectangle((0, 700, WIDTH, HEIGHT), fill=accent)
    draw.line((800, 700, 800, 300), fill=ink, width=LINE * 2)
    draw.ellipse((570, 360, 800, 470), fill=ink)  # left leaf, touching the stem
    draw.ellipse((800, 260, 1060, 380), fill=ink)  # right leaf


def _circles(draw, ink, accent):
    draw.ellipse((380, 170, 940, 730), outline=ink, width=LINE * 2)
    draw.ellipse((660, 170, 1220, 730), outline=accent, width=LINE * 2)


def _globe(draw, ink, accent):
    box = (500, 150, 1100, 750)
    draw.ellipse(box, outline=ink, width=LINE)
    for inset in (120, 240):
        draw.ellipse((500 + inset, 150, 1100 - inset, 750), outline=ink, width=LINE // 2)
    for y in (300, 450, 600):
        half = int(math.sqrt(300**2 - (y - 450) ** 2))
        draw.line((800 - half, y, 800 + half, y), fill=accent, width=LINE // 2)


def _steps(draw, ink, accent):
    for n in range(5):
        draw.rectangle((250 + n * 220, 720 - n * 110, 450 + n * 220, 760), fill=ink)
    draw.ellipse((1240, 110, 1380, 250), fill=accent)


def _bars(draw, ink, accent):
    for n, height in enumerate((160, 260, 340, 470, 580)):
        colour = accent if n == 4 else ink
        draw.rectangle((330 + n * 200, 760 - height, 470 + n * 200, 760), fill=colour)
    draw.line((250, 770, 1350, 770), fill=ink, width=LINE)


def _speech(draw, ink, accent):
    draw.rounded_rectangle((250, 170, 900, 520), radius=80, fill=ink)
    draw.polygon([(400, 500), (380, 640), (520, 510)], fill=ink)
    draw.rounded_rectangle((750, 400, 1350, 720), radius=80, fill=accent)
    draw.polygon([(1180, 700), (1220, 820), (1080, 710)], fill=accent)


def _play(draw, ink, accent):
    draw.ellipse((550, 200, 1050, 700), fill=ink)
    draw.polygon([(720, 320), (720, 580), (940, 450)], fill=accent)


def _envelope(draw, ink, accent):
    draw.rectangle((450, 230, 1150, 680), outline=ink, width=LINE)
    draw.line([(450, 230), (800, 500), (1150, 230)], fill=ink, width=LINE)
    draw.ellipse((1070, 150, 1230, 310), fill=accent)


MOTIFS = {
    "figures": _figures,
    "group": lambda draw, ink, accent: _figures(draw, ink, accent, count=5),
    "hills": _hills,
    "dunes": _dunes,
    "bridge": _bridge,
    "seedling": _seedling,
    "circles": _circles,
    "globe": _globe,
    "steps": _steps,
    "bars": _bars,
    "speech": _speech,
    "play": _play,
    "envelope": _envelope,
}


def _rgb(colour):
    if isinstance(colour, tuple):
        return colour
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(colour, other, share):
    """`colour` moved `share` (0…1) of the way towards `other`, as an RGB tuple."""
    a, b = _rgb(colour), _rgb(other)
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))


def _sky(background):
    """A vertical gradient: lighter at the top, deeper at the ground."""
    top, bottom = _mix(background, "#ffffff", 0.22), _mix(background, "#000000", 0.1)
    column = Image.new("RGB", (1, HEIGHT))
    column.putdata([_mix(top, bottom, y / (HEIGHT - 1)) for y in range(HEIGHT)])
    return column.resize((WIDTH, HEIGHT))


def _sun(image, background, seed):
    """A large pale disc with a halftone of dots and a thin ring around it."""
    draw = ImageDraw.Draw(image)
    cx, cy, r = (1260, 250, 300) if seed.random() < 0.5 else (330, 240, 280)
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_mix(background, "#ffffff", 0.14))
    dot = _mix(background, "#ffffff", 0.3)
    for y in range(cy - r, cy + r, 26):
        for x in range(cx - r + (13 if (y // 26) % 2 else 0), cx + r, 26):
            distance = math.hypot(x - cx, y - cy)
            if distance < r - 12:
                size = 2 + 5 * (1 - distance / r)  # dots grow towards the centre
                draw.ellipse((x - size, y - size, x + size, y + size), fill=dot)
    ring = r + 40
    draw.ellipse((cx - ring, cy - ring, cx + ring, cy + ring), outline=dot, width=4)


def _horizon(image, background):
    draw = ImageDraw.Draw(image)
    for band, (base, share) in enumerate(((800, 0.16), (850, 0.26))):
        wave = [(x, base + 18 * math.sin(x / 210 + band * 2)) for x in range(0, WIDTH + 20, 20)]
        draw.polygon([*wave, (WIDTH, HEIGHT), (0, HEIGHT)], fill=_mix(background, "#000000", share))


def _marks(image, accent, background, seed):
    """A few small marks scattered where the motif is not: the print's liveliness."""
    draw = ImageDraw.Draw(image)
    colours = (accent, _mix(background, "#ffffff", 0.45))
    for n in range(9):
        x = seed.choice((seed.randint(60, 300), seed.randint(1300, 1540)))
        y = seed.randint(80, 700)
        size = seed.randint(8, 18)
        colour = colours[n % 2]
        if n % 3 == 0:
            draw.polygon([(x, y - size), (x + size, y + size), (x - size, y + size)], fill=colour)
        elif n % 3 == 1:
            draw.ellipse((x - size, y - size, x + size, y + size), outline=colour, width=5)
        else:
            draw.line((x - size, y, x + size, y), fill=colour, width=6)
            draw.line((x, y - size, x, y + size), fill=colour, width=6)


def illustration(motif, colour_index, image_format="JPEG"):
    """Bytes of a 1600×900 wordless illustration of `motif` (a key of MOTIFS), in
    `image_format` (JPEG: a fraction of a PNG's weight for these gradients)."""
    background, ink, accent = PALETTE[colour_index % len(PALETTE)]
    seed = random.Random(f"{motif}/{colour_index}")  # noqa: S311 (a drawing, not a secret)
    image = _sky(background)
    _sun(image, background, seed)
    _horizon(image, background)
    _marks(image, accent, background, seed)
    # The shadow plate: the motif in one deeper shade, offset down and right.
    shade = _mix(background, "#000000", 0.35)
    plate = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    MOTIFS[motif](ImageDraw.Draw(plate), shade, shade)
    image.paste(plate, (22, 18), plate)
    MOTIFS[motif](ImageDraw.Draw(image), ink, accent)
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.save(buffer, format="JPEG", quality=88, optimize=True, progressive=True)
    else:
        image.save(buffer, format=image_format, optimize=True)
    return buffer.getvalue()


def illustration_png(motif, colour_index):
    """The illustration as PNG bytes (an upload's test wants a PNG)."""
    return illustration(motif, colour_index, "PNG")
