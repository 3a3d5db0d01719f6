"""The pure resolver cascade: position → quote → fuzzy (strings in, dataclasses out, no IO).

>>> resolver = Resolver(doc)                      # once per DocumentText
>>> resolution = resolver.resolve(annotation)     # per annotation
>>> resolutions = resolver.resolve_all(note)      # a whole note: refusals may also be placed
...                                               # between its other annotations (landmarks)
>>> resolution.status, resolution.span(OffsetUnit.UTF16), resolution.to_dict()

``Resolver`` and ``resolve`` come from the compiled copy of the pipeline when it is built and
current (:mod:`tether.resolve.implementation`), else from the pure modules: same answers.
"""

from typing import TYPE_CHECKING

from tether.resolve.implementation import module as _module
from tether.resolve.options import DEFAULT_OPTIONS, ResolveOptions
from tether.resolve.position import hypothesis_anchors_by_position
from tether.resolve.result import Candidate, Method, Resolution, Status

if TYPE_CHECKING:  # type checkers see the pure modules: the compiled copy has the same API
    from tether.resolve.cascade import Resolver, describe_context, resolve
else:
    # The compiled copy of the pipeline when it is built and current, else the pure modules
    # (see tether.resolve.implementation); both return the same result classes, imported above.
    _cascade = _module("cascade")
    Resolver = _cascade.Resolver
    describe_context = _cascade.describe_context
    resolve = _cascade.resolve

__all__ = [
    "DEFAULT_OPTIONS",
    "Candidate",
    "Method",
    "Resolution",
    "ResolveOptions",
    "Resolver",
    "Status",
    "describe_context",
    "hypothesis_anchors_by_position",
    "resolve",
]
