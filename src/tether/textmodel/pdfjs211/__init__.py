"""An emulation of PDF.js 2.11's ``getTextContent({normalizeWhitespace: true})``.

The page text that Hypothesis (and so Obsidian Annotator) indexes is the concatenation of these
items' strings. Reproducing it character for character needs the facts PDF.js decides spaces from:
the text operators themselves (Tc/Tw/TJ kerning vs text moves), each font's space width from the
PDF's own font data, and raw character codes for unmapped glyphs. So this package interprets the
content streams itself, using PyMuPDF only for low-level object access (xref objects, decoded
streams, embedded font programs).

Modules: ``syntax`` (PDF tokenizer / object parser: ``lexer``, ``parser``, ``fast_operations``),
``objects`` (xref access over PyMuPDF), ``fonts`` (PDF.js font semantics: encodings, ToUnicode,
widths, space width), ``textcontent`` (the getTextContent port: its operator loop over
``text_state``, ``text_items`` and ``show_text``), ``extract`` (whole-document driver).
"""

MODEL_NAME = "pdfjs-2.11"
#: Bumped whenever this model's page texts change for some PDF (a fix in the emulation): cached
#: texts (:mod:`tether.textmodel.cache`) made by another revision are then not used.
MODEL_REVISION = "1"
