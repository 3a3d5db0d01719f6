# Declarations for the Cython build only (setup.py); pure Python ignores this file.
#
# The glyph loop is the hot code of the text model: C-double locals, and its callees are cpdef
# methods reached through the C method table (those of TextItemBuilder, cimported, cost the same
# as methods of this module). Numbers are C doubles where the .py only ever combines the value
# with floats (see text_state.pxd).
cimport cython

from .text_items cimport TextItemBuilder

cdef class _Shown:
    cdef public list glyphs, parts, widths
    cdef public str text
    cdef public bint has_space

cdef class TextShower(TextItemBuilder):
    cpdef _Shown _shown(self, font, chars)
    @cython.locals(scale=double, n=Py_ssize_t, i=Py_ssize_t, h_scale=double, a=double,
                   b=double, x=double, y=double, zc=double, zd=double, size=double,
                   scaled_dim=double, width=double, char_spacing=double,
                   last_char_size=double, was_split=bint, x0=double, y0=double, bx=double,
                   by=double, ux=double, uy=double, rise=double)
    cpdef build_item(self, chars, double extra_spacing, bint is_first_chunk)
    @cython.locals(space_factor=double, is_first_chunk=bint)
    cpdef show_spaced_text(self, list elements)
