"""PDF syntax: a tokenizer and object parser for content streams and object text.

The entry points the rest of the package uses, from three modules: :mod:`.lexer` (the value
types and tokens), :mod:`.parser` (objects, and a content stream's operations token by token)
and :mod:`.fast_operations` (a content stream's text operations, one regex match per
operation, always equal to the token loop's).

Values map to Python as: numbers → ``int``/``float``; names → :class:`Name` (decoded ``#xx``
escapes, no leading slash); strings → ``bytes``; arrays → ``list``; dictionaries → ``dict`` keyed
by name text; indirect references → :class:`Ref`; booleans/null → ``True``/``False``/``None``.
Content-stream operators come out as :class:`Op`. Malformed input never raises: unknown bytes are
skipped, an unterminated string or array ends at the end of the data (PDF.js is lenient too).
"""

from __future__ import annotations

from tether.textmodel.pdfjs211.fast_operations import text_operations
from tether.textmodel.pdfjs211.lexer import Name, Op, Ref, tokens
from tether.textmodel.pdfjs211.parser import MAX_NESTING, operations, parse_object

__all__ = ["MAX_NESTING", "Name", "Op", "Ref", "operations", "parse_object", "text_operations",
           "tokens"]
