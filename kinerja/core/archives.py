"""ZIP-based uploads (XLSX, DOCX, ODF) opened with a limit on how far they may inflate.

zipfile never hands out more than a member's declared size (a member that inflates past it fails
its checksum), so checking the declared sizes before reading bounds the work: a small "document"
that would inflate to gigabytes (a decompression bomb) is refused before anything is read.
"""
import zipfile
from io import BytesIO

MAX_INFLATED_BYTES = 256 * 1024 * 1024  # a 50,000-row XLSX inflates to ~40 MB
MAX_RATIO = 200  # office documents compress 3-20x; a bomb ~1,000x


class ArchiveTooLarge(ValueError):
    """The archive declares more inflated data than an upload may have."""


def open_zip(data: bytes, *, max_inflated: int = MAX_INFLATED_BYTES,
             max_ratio: int = MAX_RATIO) -> zipfile.ZipFile:
    """The archive, once its declared sizes are within bounds (BadZipFile if it is none)."""
    archive = zipfile.ZipFile(BytesIO(data))
    inflated = sum(info.file_size for info in archive.infolist())
    if inflated > max_inflated or inflated > max_ratio * max(len(data), 1024):
        archive.close()
        raise ArchiveTooLarge(f"declares {inflated} bytes inflated from {len(data)}")
    return archive


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member's bytes, refused when it holds more than `limit`."""
    with archive.open(name) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise ArchiveTooLarge(f"{name} holds more than {limit} bytes")
    return data
