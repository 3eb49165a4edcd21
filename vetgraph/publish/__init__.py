"""Graph → files for others: exports in every format (a registry of formats → bytes), JSON-LD
against the published context, VoID/DCAT, the ontology and query documentation, diffs between
releases, and the pipeline that writes a whole build folder.
"""
