"""Carrying out each right over the personal-data registry, one module per right.

None of these modules lists models: they walk ``subjects.registry.registry`` and ask each
entry for the subject's rows, its erasure strategy and its legal hold.
"""
