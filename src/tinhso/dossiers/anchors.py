"""Where a template put its signature block, read back from the rendered PDF.

WeasyPrint writes a named destination for every element ``id`` (page and top-left corner), so a
template marks its signature area with an id (``chu-ky`` on results, ``chu-ky-co-quan`` on the
one-stop-shop forms) and the signature lands there, wherever the text above pushed it.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from pypdf import PdfReader

logger = logging.getLogger(__name__)

MM = 72 / 25.4


@dataclass(frozen=True)
class Anchor:
    page: int  # from 1
    left: float  # points from the page's left edge
    top: float  # points from the page's bottom edge
    page_width: float


def anchor_find(pdf: bytes, name: str) -> Anchor | None:
    """The named destination ``name`` of ``pdf``; ``None`` when the PDF has none (an upload)."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        destination = reader.named_destinations.get(name)
        if destination is None:
            return None
        index = reader.get_destination_page_number(destination)
        if index is None or destination.left is None or destination.top is None:
            return None  # a destination without a page or a position: nothing to place against
        return Anchor(page=index + 1, left=float(destination.left), top=float(destination.top),
                      page_width=float(reader.pages[index].mediabox.width))
    except Exception:  # noqa: BLE001 - an odd file only loses the placement, never the signature
        logger.warning("named destination %r of a PDF could not be read", name, exc_info=True)
        return None
