# Declarations for the Cython build only (setup.py); pure Python ignores this file.
#
# Extension types: attribute access is a struct field, not a lookup, in this module and in the
# modules that cimport them (text_items, show_text, textcontent). Numbers are C doubles where
# the .py only ever combines the value with floats: Python converts an int operand to the same
# double first, so both builds compute the same floats (at most the sign of a zero differs,
# which no comparison or output depends on). Checked by tests/test_textmodel_compiled.py.
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

cdef class StateStack:
    cdef public TextState state
    cdef public list stack
