"""One-off: draws the driver app's PNG icons (run with a Python that has Pillow; the PNGs are
committed, so mpro itself does not depend on Pillow).

    python tools/make_driverapp_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

OUT = Path(__file__).resolve().parent.parent / "driverapp" / "static" / "driverapp" / "icons"
BRAND, MARK = (11, 34, 57), (79, 179, 232)


def icon(size: int, *, maskable: bool = False) -> Image.Image:
    image = Image.new("RGB", (size, size), BRAND)
    draw = ImageDraw.Draw(image)
    # A maskable icon keeps its drawing inside the central 80 % safe zone.
    inset = size * (0.22 if maskable else 0.14)
    box = (inset, inset, size - inset, size - inset)
    draw.rounded_rectangle(box, radius=size * 0.12, fill=MARK)
    font = ImageFont.load_default(size=int(size * 0.5))
    draw.text((size / 2, size / 2), "m", fill=BRAND, font=font, anchor="mm")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    icon(192).save(OUT / "icon-192.png", optimize=True)
    icon(512).save(OUT / "icon-512.png", optimize=True)
    icon(512, maskable=True).save(OUT / "maskable-512.png", optimize=True)
    icon(180).save(OUT / "apple-touch-icon-180.png", optimize=True)


if __name__ == "__main__":
    main()
