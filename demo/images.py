"""Generate the demo images locally: typographic posters, no network, no logos.

Each image shows its own caption in large type on a coloured background, so its
alt text can say exactly what is on it.
"""

import io
import textwrap

from PIL import Image, ImageDraw, ImageFont

PALETTE = [
    ("#0b3d91", "#ffffff"),  # deep blue
    ("#1f6f50", "#ffffff"),  # green
    ("#8a3b12", "#ffffff"),  # terracotta
    ("#f2c14e", "#1a1a1a"),  # ochre
    ("#5b2a86", "#ffffff"),  # violet
    ("#e8eef7", "#0b3d91"),  # pale blue
]
WIDTH, HEIGHT = 1600, 900


def poster_png(text, colour_index):
    """PNG bytes of a 1600×900 poster reading `text`."""
    background, foreground = PALETTE[colour_index % len(PALETTE)]
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    # Quiet geometric motif: concentric arcs in the corner.
    for step in range(6):
        radius = 260 + step * 70
        draw.ellipse(
            (WIDTH - radius, HEIGHT - radius, WIDTH + radius, HEIGHT + radius),
            outline=foreground,
            width=3,
        )
    font = ImageFont.load_default(size=96)
    lines = textwrap.wrap(text, width=22)[:4]
    y = 120
    for line in lines:
        draw.text((110, y), line, font=font, fill=foreground)
        y += 124
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
