"""A per-user cache of extracted page texts, keyed by the PDF's content (the IO edge).

Why: extraction is most of a check's time, and people check the same PDF again and again (after
each edit of their notes, in CI). An entry holds what a check needs — the page texts and the
document fingerprint, no character boxes — for one (PDF bytes, model, model revision).

- Where: ``$TETHER_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/tether``, else ``~/.cache/tether``
  (entries live in its ``text/`` folder).
- Key: SHA-256 of the PDF's bytes, plus the model name, the model's revision
  (:data:`tether.textmodel.load.MODEL_REVISIONS`: bumped whenever a model's output changes) and
  :data:`FORMAT_VERSION` (the entry layout). A changed file, model or revision is a miss.
- Safe under concurrent runs: an entry is written to a temporary file in the same folder and
  renamed over the final name (atomic on POSIX and Windows), so a reader sees a whole entry or
  none. Two writers of one key write the same content; the last rename wins.
- Damage is harmless: an unreadable, truncated or foreign entry is a miss (and is overwritten by
  the next store); a cache folder that cannot be created or written only costs the time saved.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import zlib
from pathlib import Path

from tether.textmodel.model import DocumentText

#: Layout of an entry (zlib-compressed JSON ``{"format", "model", "revision", "sha256",
#: "fingerprint", "pages": [text, ...]}``). Bump when it changes.
FORMAT_VERSION = 1
#: Read the PDF in chunks of this many bytes when hashing it.
_CHUNK = 1 << 20


def cache_dir() -> Path:
    """The cache folder for this user (not created here)."""
    explicit = os.environ.get("TETHER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg else Path.home() / ".cache"
    return base / "tether"


def content_hash(path: Path | str) -> str:
    """Hex SHA-256 of the file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


class TextCache:
    """Page texts by (PDF content, model, model revision) in ``root`` (default
    :func:`cache_dir`)."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root is not None else cache_dir()

    def entry_path(self, digest: str, model: str, revision: str) -> Path:
        name = hashlib.sha256(
            f"{FORMAT_VERSION}\0{model}\0{revision}\0{digest}".encode()).hexdigest()
        return self.root / "text" / f"{name}.json.z"

    def load(self, digest: str, model: str, revision: str) -> DocumentText | None:
        """The cached text, or ``None`` (absent, damaged, or made for another key)."""
        path = self.entry_path(digest, model, revision)
        try:
            data = json.loads(zlib.decompress(path.read_bytes()))
            if (data["format"], data["model"], data["revision"], data["sha256"]) != (
                    FORMAT_VERSION, model, revision, digest):
                return None
            pages = data["pages"]
            fingerprint = data["fingerprint"]
            if not isinstance(pages, list) or not all(isinstance(p, str) for p in pages) \
                    or not (fingerprint is None or isinstance(fingerprint, str)):
                return None
        except (OSError, ValueError, KeyError, TypeError, zlib.error, RecursionError):
            return None
        return DocumentText.from_page_texts(pages, model=model, fingerprint=fingerprint)

    def store(self, digest: str, revision: str, doc: DocumentText) -> bool:
        """Write ``doc`` (its page texts and fingerprint) atomically; ``False`` if the cache
        cannot be written (nothing else happens then)."""
        path = self.entry_path(digest, doc.model, revision)
        payload = zlib.compress(json.dumps({
            "format": FORMAT_VERSION, "model": doc.model, "revision": revision,
            "sha256": digest, "fingerprint": doc.fingerprint,
            "pages": [p.text for p in doc.pages],
        }).encode("ascii"), 1)  # ASCII JSON: lone surrogates (raw UTF-16 codes) survive
        tmp = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".part", dir=path.parent)
            with os.fdopen(fd, "wb") as fh:
                fh.write(payload)
            os.replace(tmp, path)
            return True
        except OSError:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            return False
