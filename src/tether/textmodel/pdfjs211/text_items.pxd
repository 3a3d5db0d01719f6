# Declarations for the Cython build only (setup.py); pure Python ignores this file.
#
# The item being built and its builder are extension types with cpdef methods and C-double
# locals; show_text and textcontent cimport them (a subclass calls these methods through the
# same C method table as this module does). Numbers are C doubles where the .py only ever
# combines the value with floats (see text_state.pxd). ``_div`` stays in this module, beside its
# only caller, so it remains a direct C call.
cimport cython

from .text_state cimport TextState

cdef class TextItem:
    cdef public str text
    cdef public bint has_eol
    cdef public list boxes

cdef class _Chunk:
    cdef public bint initialized, vertical, has_eol, is_last_char_white_space
    cdef public list parts, boxes
    cdef public double total_width, total_height, width, height, last_char_size
    cdef public object prev_position
    cdef public double text_advance_scale, space_width
    cdef public double space_in_flow_min, space_in_flow_max, tracking_space_min

cdef class TextItemBuilder:
    cdef public object ctx
    cdef public _Chunk item
    cdef public TextState ts
    cdef public bint with_boxes

    @cython.locals(rise=double, t0=double, t1=double, t2=double, t3=double, t4=double,
                   t5=double, c0=double, c1=double, c2=double, c3=double, c4=double, c5=double,
                   i4=double, i5=double)
    cpdef tuple position(self)
    cpdef _Chunk ensure_item(self)
    cpdef update_advance_scale(self)
    cpdef emit(self, text, boxes, has_eol=*)
    cpdef pen_box(self, pos=*)
    cpdef flush(self)
    cpdef append_eol(self)
    cpdef bint add_fake_spaces(self, double width, double size, pos=*)
    @cython.locals(pos_x=double, pos_y=double, last_x=double, last_y=double,
                   advance_x=double, advance_y=double, half_last_char=double)
    cpdef compare_with_last_position(self)

cpdef double _div(double a, double b)
