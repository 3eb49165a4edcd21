// The network page's renderer: sigma.js draws, graphology holds the graph,
// ForceAtlas2 lays out again after a filter. One global: vetgraphVendor.
export { default as Graph } from "graphology";
export { default as Sigma } from "sigma";
export { default as forceAtlas2 } from "graphology-layout-forceatlas2";
