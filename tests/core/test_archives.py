"""ZIP-based uploads are opened only when they cannot inflate past the limits."""
import io
import zipfile

import pytest

from kinerja.core import archives


def zipped(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_an_ordinary_document_opens():
    with archives.open_zip(zipped(content=b"<doc>" * 1000)) as archive:
        assert archive.read("content").startswith(b"<doc>")


def test_an_archive_declaring_too_much_is_refused_before_reading():
    bomb = zipped(content=b"\0" * (8 * 1024 * 1024))
    with pytest.raises(archives.ArchiveTooLarge):
        archives.open_zip(bomb, max_inflated=1024 * 1024)
    with pytest.raises(archives.ArchiveTooLarge):  # ~1,000:1 is no office document
        archives.open_zip(bomb)


def test_a_member_is_read_only_up_to_its_limit():
    with archives.open_zip(zipped(mimetype=b"x" * 500)) as archive:
        with pytest.raises(archives.ArchiveTooLarge):
            archives.read_member(archive, "mimetype", 100)
        assert archives.read_member(archive, "mimetype", 500) == b"x" * 500
