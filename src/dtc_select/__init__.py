"""dtc-select: the selection pipeline for ITU-Cisco Digital Transformation Centres.

Stages, in order (each a module): intake -> eligibility -> scoring -> allocation -> report.
`dtc_select.pipeline.run` is the only place they are wired together.
"""

__version__ = "0.1.0"
