# Declarations for the Cython build only (setup.py); pure Python ignores this file.
#
# The two vote loops as C: int64 arrays read through typed memoryviews, C integers throughout
# (every value is a view position, needle offset or hit, far inside 64 bits). Pure Python never
# runs these loops (``COMPILED`` is False there; it keeps numpy).
cimport cython


@cython.locals(n=Py_ssize_t, size=Py_ssize_t, i=Py_ssize_t, j=Py_ssize_t, k=Py_ssize_t,
               lo=Py_ssize_t, hi=Py_ssize_t, mid=Py_ssize_t, total=Py_ssize_t,
               key="long long", c="long long", delta="long long",
               lows="long long[::1]", counts="long long[::1]", out="long long[::1]")
cpdef object gram_hits(const long long[::1] keys, const long long[::1] capped,
                       const long long[::1] shifted, const long long[::1] needle_keys,
                       long long base, long long factor)


@cython.locals(n=Py_ssize_t, j=Py_ssize_t, runs=Py_ssize_t, first=Py_ssize_t,
               count="long long", mask="long long", most="long long", previous="long long",
               diagonal="long long", offset="long long", f=Py_ssize_t, e=Py_ssize_t, r=Py_ssize_t,
               stamp="long long[::1]", firsts="long long[::1]", sizes="long long[::1]",
               votes="long long[::1]")
cpdef list clusters_loop(const long long[::1] hits, int shift, long long tolerance,
                         Py_ssize_t limit)
