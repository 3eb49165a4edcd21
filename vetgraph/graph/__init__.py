"""Files → graph: where the bundled folders are, the namespaces, the Oxigraph store, and the
build that reads ontology and data files (with their claims and provenance) into one dataset;
stores on disk (``disk``) and the cache that keeps your files in them (``cache``).
Every other room starts from a :class:`~vetgraph.graph.store.KnowledgeGraph` made here.
"""
