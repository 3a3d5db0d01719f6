# Declarations for the Cython build only (setup.py); pure Python ignores this file.
# The eexec / charstring cipher as a C loop. ``value`` is an unsigned char, as the bytes it
# iterates; ``r`` stays within 16 bits (``& 0xFFFF``), so C longs compute what Python's ints do.
cimport cython

@cython.locals(r=cython.long, i=Py_ssize_t, j=Py_ssize_t, value=cython.uchar, out=bytearray)
cpdef bytes decrypt(bytes data, long key, Py_ssize_t discard)

# The eexec-section tokenizer (tens of thousands of tokens per font): an extension type with
# C-typed position and current byte (-1 at the end, else 0..255).
cdef class Type1Tokenizer:
    cdef public bytes data
    cdef public Py_ssize_t pos
    cdef public long ch

    cpdef long next_char(self)
    cpdef bytes get_bytes(self, Py_ssize_t n)
    @cython.locals(end=Py_ssize_t)
    cpdef token(self)
