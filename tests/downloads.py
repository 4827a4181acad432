"""Reading a download in tests, whether the response streams (CSV, .xlsx lists) or not."""

import io
import zipfile


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def text_of(response) -> str:
    """What a person would read in the response: the page, the CSV, or for an .xlsx file the
    text of every part (a zip's compressed bytes would hide a name from a search)."""
    data = body(response)
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "".join(
                archive.read(name).decode(errors="replace") for name in archive.namelist()
            )
    return data.decode(errors="replace")
