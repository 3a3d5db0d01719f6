# Declarations for the Cython build only (setup.py); pure Python ignores this file.
#
# The operator loop is an extension type extending show_text's TextShower (cimported with the
# classes its fields hold), so the glyph code it calls goes through the C method table.
from .show_text cimport TextShower
from .text_state cimport StateStack

cdef class _TextContentRun(TextShower):
    cdef public object resources
    cdef public StateStack states
    cdef public int depth
    cdef public dict _fonts

    cpdef set_font(self, font)
