"""Uploaded pictures made safe to publish: decoded, turned upright, and written again without
their metadata (EXIF and the like can carry the GPS position and the camera)."""
import io
import warnings

from PIL import Image, ImageOps

FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb, not a portrait


class NotAPicture(ValueError):
    """The bytes do not decode as a picture of the given type, or it is far too large."""


def without_metadata(data: bytes, media_type: str) -> bytes:
    """The picture re-encoded in its own format with nothing but its pixels."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise NotAPicture("too many pixels")
                upright = ImageOps.exif_transpose(image)  # the EXIF turn, before EXIF goes
                upright.load()
    except (OSError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise NotAPicture(str(error)) from None
    fmt = FORMATS[media_type]
    if fmt == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    out = io.BytesIO()
    upright.save(out, format=fmt, **({"quality": 90} if fmt in ("JPEG", "WEBP") else {}))
    return out.getvalue()


def picture_type(data: bytes) -> str | None:
    """The media type of a JPEG, PNG or WebP picture, told by its first bytes (never by the
    name or the type the browser claims); None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


class TooManyPixels(NotAPicture):
    """The picture decodes, but to more pixels than allowed (a decompression bomb, or simply a
    picture far larger than its use)."""


def as_png(data: bytes, max_side: int, max_pixels: int = MAX_PIXELS) -> bytes:
    """A JPEG, PNG or WebP picture as a PNG of at most `max_side` pixels a side, with its
    transparency and nothing else: the pixels are copied into a new image, so no EXIF, text
    chunk or colour profile of the upload survives."""
    if picture_type(data) is None:
        raise NotAPicture("not a JPEG, PNG or WebP picture")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=("PNG", "JPEG", "WEBP")) as image:
                if image.width * image.height > max_pixels:
                    raise TooManyPixels(f"{image.width}x{image.height}")
                upright = ImageOps.exif_transpose(image)
                upright.load()
    except NotAPicture:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise TooManyPixels(str(error)) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise NotAPicture(str(error)) from None
    upright = upright.convert("RGBA")
    upright.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    clean = Image.frombytes("RGBA", upright.size, upright.tobytes())
    out = io.BytesIO()
    clean.save(out, format="PNG", optimize=True)
    return out.getvalue()
