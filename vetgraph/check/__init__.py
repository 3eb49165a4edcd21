"""Graph → report: the SHACL shapes and the ``*-violation`` check queries, run against a graph
and returned as a :class:`~vetgraph.check.validation.ValidationReport` (prints nothing), and the
counts that describe a graph (``stats``).
"""
