"""tether: keep PDF annotations tied to the text they highlight.

Pipeline: pdf text model (:mod:`tether.textmodel`) → selectors (:mod:`tether.selectors`)
→ resolver cascade (:mod:`tether.resolve`) → report / repair (:mod:`tether.report`,
:mod:`tether.repair`). File formats live at the edges in :mod:`tether.formats`.
"""

__version__ = "0.1.0"
