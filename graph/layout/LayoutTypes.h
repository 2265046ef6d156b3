#pragma once

// Plain data in and out of graph layout (STYLE.md: layout produces rects and polylines; views
// only turn them into items). Coordinates are pixels (Graphviz dpi=72, so points = pixels), y
// grows downwards as in Qt, node positions are centres.

#include <cstdint>
#include <string>
#include <vector>

namespace tt::graph {

struct Point {
    double x = 0;
    double y = 0;
};

struct LayoutNode {
    int64_t id = 0;
    double width = 140; // the size the view will draw; Graphviz never sees labels
    double height = 44;
    bool pinned = false; // keep (x, y) as given
    double x = 0;
    double y = 0;
};

struct LayoutEdge {
    int64_t id = 0;
    int64_t source = 0;
    int64_t target = 0;
    double weight = 1; // e.g. transfer count: heavier edges are kept shorter / straighter
};

enum class Engine { Auto, Dot, Sfdp, Neato };

struct LayoutInput {
    std::vector<LayoutNode> nodes;
    std::vector<LayoutEdge> edges;
    Engine engine = Engine::Auto; // Auto: chooseEngine() (GraphvizLayout.h)
    bool leftToRight = true; // dot: rank direction
    // bench_layout (BENCHMARKS.md, graph layout by size): dot is the most readable and takes
    // ~40 ms at 100 nodes, ~200 ms at 250 but 11 s at 500 (its crossing minimisation grows
    // much faster than linearly with cross links); sfdp is ~linear. Dot up to 150 nodes and
    // 250 edges keeps the small-graph layout well under 150 ms on a loaded machine.
    static constexpr size_t kDotMaxNodes = 150;
    static constexpr size_t kDotMaxEdges = 250;
    // ... and only when sparse: dot's crossing minimisation explodes on dense graphs however small.
    // bench_gui on a 5 003-host case (BENCHMARKS.md, grouped graph): 44 group nodes with 206
    // edges took dot 6.0 s (load ~20), 155 edges 1.3 s; sfdp lays out the same in ~15 ms. A
    // transfer tree with 0.5 cross links per node (bench_layout) has 1.5 edges per node.
    static constexpr double kDotMaxEdgesPerNode = 2.0;
    // neato (pins honoured by Graphviz) grows ~quadratically: 2.7 s at 500 nodes.
    static constexpr size_t kNeatoMaxNodes = 300;
    // Above this, sfdp runs in its fast mode (GraphvizLayout.cpp): no edge routing, overlaps
    // removed by scaling.
    static constexpr size_t kFastMaxNodes = 600;
};

struct NodeGeometry {
    int64_t id = 0;
    Point centre;
    double width = 0;
    double height = 0;
};

struct EdgeGeometry {
    int64_t id = 0;
    // Cubic Bezier control points: p0, then (c1, c2, p) triples, as Graphviz produces them.
    std::vector<Point> spline;
    bool hasArrow = false;
    Point arrowTip; // where the arrowhead points to (at the target's border)
};

struct LayoutResult {
    std::vector<NodeGeometry> nodes;
    std::vector<EdgeGeometry> edges;
    double width = 0;
    double height = 0;
    Engine engine = Engine::Dot; // what was used
    double milliseconds = 0;
    std::string error; // empty on success
};

} // namespace tt::graph
