"""Files → graph: where the bundled folders are, the namespaces, the Oxigraph store, and the
build that reads ontology and data files (with their claims and provenance) into one dataset.
Every other room starts from a :class:`~vetgraph.graph.store.KnowledgeGraph` made here.
"""
