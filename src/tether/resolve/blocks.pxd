# Declarations for the Cython build only (setup.py); pure Python ignores this file.
#
# The windows' alignment (``alignment_blocks``) as C: 64-bit words in one typed memoryview
# (a numpy array), characters as Py_UCS4, positions as Py_ssize_t. Pure Python never runs it
# outside the tests (``COMPILED`` is False there; it keeps rapidfuzz's opcodes).
cimport cython


@cython.locals(n1=Py_ssize_t, n2=Py_ssize_t, p=Py_ssize_t, s=Py_ssize_t, len1=Py_ssize_t,
               len2=Py_ssize_t, words=Py_ssize_t, distinct=Py_ssize_t, i=Py_ssize_t,
               j=Py_ssize_t, k=Py_ssize_t, w=Py_ssize_t, row=Py_ssize_t, col=Py_ssize_t,
               code=Py_ssize_t, ch=Py_ssize_t, run=Py_ssize_t, runs=Py_ssize_t,
               blocks=Py_ssize_t, most=Py_ssize_t, q=Py_ssize_t, v=Py_ssize_t, n=Py_ssize_t,
               at=Py_ssize_t, matrix=Py_ssize_t, runs_at=Py_ssize_t,
               blocks_at=Py_ssize_t, a=Py_UCS4, b=Py_UCS4, overflow=bint,
               one="unsigned long long", mask="unsigned long long", old="unsigned long long",
               u="unsigned long long", x="unsigned long long", carry="unsigned long long",
               buf="unsigned long long[::1]")
cpdef list alignment_blocks(str quote, str window, Py_ssize_t lo, Py_ssize_t shortest,
                             int[::1] slots)
