"""PDF documents from HTML rendered by a view: IKM reports, appraisal documents, certificates,
the guide's handouts and the counters' QR posters.

Every document is self-contained (styles, charts, QR codes and faces are inline), so WeasyPrint
is allowed to fetch nothing: a URL slipped into a document cannot make the server read a file
or call another host.
"""


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"external resource refused: {url[:80]}")


def to_pdf(html: str) -> bytes:
    """The HTML as a PDF."""
    from weasyprint import HTML  # noqa: PLC0415 - slow to import; only the PDF exports need it

    return HTML(string=html, url_fetcher=_no_fetching).write_pdf()
