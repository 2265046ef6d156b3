#pragma once

#include "LayoutTypes.h"

#include <vector>

namespace tt::graph {

// Moves the nodes that are not `fixed` until no two node rectangles (grown by `gap` on each
// side) intersect; fixed nodes never move (two fixed nodes may still overlap: the analyst put
// them there). Pairwise pushes along the axis of least overlap first, then, for a node still
// overlapping, the nearest free slot on rings around it: the second step always succeeds, so
// the result has no overlaps involving a movable node. Returns the indices of moved nodes.
std::vector<size_t> removeOverlaps(std::vector<NodeGeometry> &nodes, const std::vector<bool> &fixed, double gap = 12);

// True when the rectangles of a and b, grown by gap / 2 each, intersect.
bool nodesOverlap(const NodeGeometry &a, const NodeGeometry &b, double gap = 0);

// A straight edge from a's border to b's border with an arrowhead of `arrow` length at b.
EdgeGeometry straightEdge(int64_t id, const NodeGeometry &a, const NodeGeometry &b, double arrow = 10);

} // namespace tt::graph
