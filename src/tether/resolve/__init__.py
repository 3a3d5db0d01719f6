"""The pure resolver cascade: position → quote → fuzzy (strings in, dataclasses out, no IO).

>>> resolver = Resolver(doc)                      # once per DocumentText
>>> resolution = resolver.resolve(annotation)     # per annotation
>>> resolutions = resolver.resolve_all(note)      # a whole note: refusals may also be placed
...                                               # between its other annotations (landmarks)
>>> resolution.status, resolution.span(OffsetUnit.UTF16), resolution.to_dict()
"""

from tether.resolve.cascade import Resolver, describe_context, resolve
from tether.resolve.options import DEFAULT_OPTIONS, ResolveOptions
from tether.resolve.position import hypothesis_anchors_by_position
from tether.resolve.result import Candidate, Method, Resolution, Status

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
