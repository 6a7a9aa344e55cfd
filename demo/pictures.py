"""Generated product pictures for the demo data (Pillow only, no downloads).

A coloured background with a motif of the product's kind (woven diamonds, stripes, jars, waves or
circles) and the product name on a band. Deterministic for a given slug; fast (a few ms each).
"""

from __future__ import annotations

import functools
import io
import random
import zlib

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1024, 768


@functools.lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def _motif(draw: ImageDraw.ImageDraw, rng: random.Random, motif: str, c1, c2) -> None:
    if motif == "diamonds":  # tenun: rows of diamonds
        size = rng.choice((48, 64, 80))
        for row, y in enumerate(range(-size, HEIGHT, size)):
            for x in range(-size + (row % 2) * size // 2, WIDTH + size, size):
                cx, cy, h = x + size // 2, y + size // 2, size // 2
                draw.polygon(
                    [(cx, cy - h), (cx + h, cy), (cx, cy + h), (cx - h, cy)], outline=c1, width=6
                )
                draw.polygon(
                    [(cx, cy - h // 3), (cx + h // 3, cy), (cx, cy + h // 3), (cx - h // 3, cy)],
                    fill=c2,
                )
    elif motif == "stripes":  # anyaman: crossing bands
        step = rng.choice((40, 56, 72))
        for i, x in enumerate(range(0, WIDTH, step)):
            draw.rectangle((x, 0, x + step // 2, HEIGHT), fill=c1 if i % 2 else c2)
        for j, y in enumerate(range(0, HEIGHT, step)):
            if j % 2:
                draw.rectangle((0, y, WIDTH, y + step // 3), fill=_mix(c1, c2, 0.5))
    elif motif == "jar":  # keramik: a jar silhouette with a band
        cx = WIDTH // 2 + rng.randint(-120, 120)
        draw.ellipse((cx - 210, 170, cx + 210, 610), fill=c1)
        draw.rectangle((cx - 90, 110, cx + 90, 220), fill=c1)
        draw.ellipse((cx - 110, 90, cx + 110, 140), fill=_mix(c1, (0, 0, 0), 0.3))
        draw.rectangle((cx - 200, 360, cx + 200, 400), fill=c2)
        for k in range(5):
            x = cx - 160 + k * 80
            draw.ellipse((x - 18, 440, x + 18, 476), fill=c2)
    elif motif == "waves":
        for k in range(7):
            y = 60 + k * 95 + rng.randint(-20, 20)
            draw.arc((-100, y, WIDTH // 2 + 100, y + 160), 180, 360, fill=c1, width=18)
            draw.arc((WIDTH // 2 - 100, y, WIDTH + 100, y + 160), 0, 180, fill=c2, width=18)
    else:  # circles
        for _ in range(9):
            r = rng.randint(50, 170)
            x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT - 200)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.choice((c1, c2)))


def _fit_text(draw: ImageDraw.ImageDraw, text: str, max_width: int, size: int):
    while size > 22:
        font = _font(size)
        if draw.textlength(text, font=font) <= max_width:
            return font
        size -= 6
    return _font(size)


def product_picture(
    *, slug: str, name: str, place: str, colors, motif: str, fmt: str = "JPEG"
) -> bytes:
    """Encoded picture (JPEG by default) for a product."""
    rng = random.Random(zlib.crc32(slug.encode()))
    bg, c1, c2 = colors
    bg = _mix(bg, (255, 255, 255), rng.uniform(0.0, 0.25))
    img = Image.new("RGB", (WIDTH, HEIGHT), bg)
    draw = ImageDraw.Draw(img)
    _motif(draw, rng, motif, c1, c2)
    # Name band at the bottom.
    band_top = HEIGHT - 190
    draw.rectangle((0, band_top, WIDTH, HEIGHT), fill=(250, 248, 242))
    draw.rectangle((0, band_top, WIDTH, band_top + 10), fill=c1)
    font = _fit_text(draw, name, WIDTH - 80, 64)
    draw.text((40, band_top + 38), name, fill=(35, 35, 35), font=font)
    draw.text((40, band_top + 120), place, fill=(90, 90, 90), font=_font(34))
    out = io.BytesIO()
    img.save(out, fmt, quality=88)
    return out.getvalue()
