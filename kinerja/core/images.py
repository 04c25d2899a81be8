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
