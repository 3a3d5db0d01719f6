# Declarations for the Cython build only (setup.py); pure Python ignores this file.
# The cipher and the tokenizer are type1_lexer's C function and extension type: cimported, so
# this module calls ``decrypt`` and the tokenizer's ``cpdef`` methods in C, as when they were
# defined here.
from .type1_lexer cimport Type1Tokenizer, decrypt
