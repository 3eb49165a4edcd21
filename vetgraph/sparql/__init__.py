"""Graph → answers: the query library (headers, safe typed parameters, read-only guard), result
rows and their formats, remote endpoints (SPARQL Protocol, Graph Store push, the served store),
and deadlines for queries that must stop.
"""
