# Declarations for the Cython build only (setup.py); pure Python ignores this file.
#
# The hot classes become extension types (attribute access is a struct field, not a lookup) and
# their hot methods cpdef with C-double locals. Numbers are C doubles where the .py only ever
# combines the value with floats: Python converts an int operand to the same double first, so
# both builds compute the same floats (at most the sign of a zero differs, which no comparison
# or output depends on). Checked by tests/test_textmodel_compiled.py on every fixture PDF.
cimport cython

cdef class TextState:
    cdef public list ctm
    cdef public object font_name, font, font_matrix
    cdef public double font_size
    cdef public list text_matrix, text_line_matrix
    cdef public double char_spacing, word_spacing, leading, h_scale, rise

    @cython.locals(m0=double, m1=double, m2=double, m3=double, m4=double, m5=double)
    cpdef translate_text_matrix(self, double x, double y)
    @cython.locals(m0=double, m1=double, m2=double, m3=double, m4=double, m5=double)
    cpdef translate_text_line_matrix(self, double x, double y)
    cpdef carriage_return(self)

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

cdef class _Shown:
    cdef public list glyphs, parts, widths
    cdef public str text
    cdef public bint has_space

cdef class StateStack:
    cdef public TextState state
    cdef public list stack

cdef class _TextContentRun:
    cdef public object ctx, resources
    cdef public StateStack states
    cdef public int depth
    cdef public _Chunk item
    cdef public TextState ts
    cdef public dict _fonts
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
    cpdef _Shown _shown(self, font, chars)
    @cython.locals(scale=double, n=Py_ssize_t, i=Py_ssize_t, h_scale=double, a=double,
                   b=double, x=double, y=double, zc=double, zd=double, size=double,
                   scaled_dim=double, width=double, char_spacing=double,
                   last_char_size=double, was_split=bint, x0=double, y0=double, bx=double,
                   by=double, ux=double, uy=double, rise=double)
    cpdef build_item(self, chars, double extra_spacing, bint is_first_chunk)
    cpdef set_font(self, font)
    @cython.locals(space_factor=double, is_first_chunk=bint)
    cpdef show_spaced_text(self, list elements)

cpdef double _div(double a, double b)
