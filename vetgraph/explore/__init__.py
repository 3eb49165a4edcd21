"""Graph → network → page: the networkx projection of the entities and their sourced links,
analytics and explained paths, and the offline HTML views (network, timeline, path) with their
templates. The only room that imports pyvis or ships JavaScript.
"""
