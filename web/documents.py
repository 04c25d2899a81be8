"""PDF documents from HTML rendered by a view: IKM reports, appraisal documents, certificates,
the guide's handouts and the counters' QR posters.

Every document is self-contained (styles, charts, QR codes and faces are inline), so WeasyPrint
is allowed to fetch nothing: a URL slipped into a document cannot make the server read a file
or call another host.
"""
import base64


def _no_fetching(url: str, *args, **kwargs):
    # A data: URL carries its bytes in the document (the kabupaten's logo): nothing is read.
    if url.startswith("data:image/png;base64,"):
        from weasyprint.urls import URLFetcherResponse  # noqa: PLC0415 - loaded by to_pdf already

        return URLFetcherResponse(url, base64.b64decode(url.split(",", 1)[1], validate=True),
                                  {"Content-Type": "image/png"})
    raise ValueError(f"external resource refused: {url[:80]}")


def png_data_uri(png: bytes | None) -> str:
    """A PNG as a data: URL, to embed in a document ("" when there is none)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else ""


def to_pdf(html: str) -> bytes:
    """The HTML as a PDF."""
    from weasyprint import HTML  # noqa: PLC0415 - slow to import; only the PDF exports need it

    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()
