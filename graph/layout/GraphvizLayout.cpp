#include "GraphvizLayout.h"

#include "OverlapRemoval.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tt::graph {

std::mutex &graphvizMutex()
{
    static std::mutex m;
    return m;
}

namespace {

// One context for the process: Graphviz loads its plugins once.
GVC_t *context()
{
    static GVC_t *gvc = gvContext();
    return gvc;
}

struct GraphCloser {
    void operator()(Agraph_t *g) const { agclose(g); }
};
using GraphPtr = std::unique_ptr<Agraph_t, GraphCloser>;

// cgraph takes char* for names and values (it copies them).
void set(void *obj, const char *name, const std::string &value, const char *dflt = "")
{
    agsafeset(obj, const_cast<char *>(name), const_cast<char *>(value.c_str()), const_cast<char *>(dflt));
}

std::string num(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", v);
    return buf;
}

const char *engineName(Engine e)
{
    switch (e) {
    case Engine::Sfdp:
        return "sfdp";
    case Engine::Neato:
        return "neato";
    default:
        return "dot";
    }
}

// Pins are exact and nothing overlaps: neato's own overlap removal may move pinned nodes (or
// leave overlaps, depending on the mode and the Graphviz version), so it is done here, moving
// only unpinned nodes; edges of moved or pinned nodes become straight lines (as neato draws
// them) between the final rectangles.
void settlePinned(const LayoutInput &input, LayoutResult &out)
{
    std::vector<bool> fixed(out.nodes.size(), false);
    std::unordered_map<int64_t, size_t> index;
    std::vector<bool> touched(out.nodes.size(), false);
    for (size_t i = 0; i < out.nodes.size(); ++i) {
        const LayoutNode &n = input.nodes[i]; // out.nodes follows input.nodes
        index.emplace(n.id, i);
        if (!n.pinned)
            continue;
        fixed[i] = true;
        touched[i] = out.nodes[i].centre.x != n.x || out.nodes[i].centre.y != n.y;
        out.nodes[i].centre = {n.x, n.y};
    }
    for (size_t i : removeOverlaps(out.nodes, fixed))
        touched[i] = true;
    std::unordered_map<int64_t, const LayoutEdge *> edges;
    for (const LayoutEdge &e : input.edges)
        edges.emplace(e.id, &e);
    for (EdgeGeometry &eg : out.edges) {
        const LayoutEdge *e = edges.at(eg.id);
        const size_t s = index.at(e->source), t = index.at(e->target);
        if ((touched[s] || touched[t]) && s != t)
            eg = straightEdge(eg.id, out.nodes[s], out.nodes[t]);
    }
    double right = 0, bottom = 0;
    for (const NodeGeometry &n : out.nodes) {
        right = std::max(right, n.centre.x + n.width / 2);
        bottom = std::max(bottom, n.centre.y + n.height / 2);
    }
    out.width = std::max(out.width, right);
    out.height = std::max(out.height, bottom);
}

} // namespace

Engine chooseEngine(const LayoutInput &input, bool anyPinned)
{
    if (input.engine != Engine::Auto)
        return input.engine;
    const bool small = input.nodes.size() <= LayoutInput::kDotMaxNodes
        && input.edges.size() <= LayoutInput::kDotMaxEdges
        && static_cast<double>(input.edges.size())
            <= LayoutInput::kDotMaxEdgesPerNode * static_cast<double>(input.nodes.size());
    if (anyPinned) // neato honours pins; past kNeatoMaxNodes sfdp and settlePinned place them
        return input.nodes.size() <= LayoutInput::kNeatoMaxNodes ? Engine::Neato : Engine::Sfdp;
    return small ? Engine::Dot : Engine::Sfdp;
}

LayoutResult GraphvizLayout::layout(const LayoutInput &input)
{
    const auto t0 = std::chrono::steady_clock::now();
    LayoutResult out;
    bool anyPinned = false;
    for (const auto &n : input.nodes)
        anyPinned |= n.pinned;
    const Engine engine = chooseEngine(input, anyPinned);
    out.engine = engine;
    // Large graphs: Graphviz routes no edges (straight lines are drawn here, between the final
    // rectangles) and sfdp's fast quadtree with overlap removal by scaling: prism overlap
    // removal and edge routing cost ~10x the layout itself at 5 000 nodes (bench_layout).
    const bool large = input.nodes.size() > LayoutInput::kFastMaxNodes;
    if (input.nodes.empty())
        return out;

    std::lock_guard lock(graphvizMutex());
    GVC_t *gvc = context();
    GraphPtr g(agopen(const_cast<char *>("g"), Agdirected, nullptr));
    set(g.get(), "rankdir", input.leftToRight ? "LR" : "TB");
    set(g.get(), "nodesep", "0.5");
    set(g.get(), "ranksep", "1.1");
    // Spline routing around obstacles costs seconds on hundreds of nodes: force-directed layouts
    // get straight edges (drawn as degenerate Beziers), dot keeps its splines.
    set(g.get(), "splines", engine == Engine::Dot ? "true" : (large ? "none" : "line"));
    if (engine != Engine::Dot) {
        set(g.get(), "overlap", engine == Engine::Sfdp ? (large ? "scale" : "prism") : "false");
        set(g.get(), "sep", "+12");
    }
    // Dense graphs (a grouped graph where most groups exchanged files: near-complete): sfdp pulls
    // them into a tight ball while a group hanging on by one edge lands far out, so the fit-all
    // view shows a dot of a ball. Stronger repulsion spreads the ball: on 43 near-complete groups
    // plus a chain of two, the drawing's extent went 5 168 -> 2 041 points with the ball's the same.
    if (engine == Engine::Sfdp
        && static_cast<double>(input.edges.size())
            > LayoutInput::kDotMaxEdgesPerNode * static_cast<double>(input.nodes.size()))
        set(g.get(), "repulsiveforce", "10");
    if (large && engine == Engine::Sfdp) {
        set(g.get(), "quadtree", "fast");
        // Fewer force iterations per level: the multilevel start is already close; the picture
        // of 5 000 nodes does not change visibly, the time halves.
        set(g.get(), "maxiter", "100");
    }
    agattr(g.get(), AGNODE, const_cast<char *>("shape"), const_cast<char *>("box"));
    agattr(g.get(), AGNODE, const_cast<char *>("fixedsize"), const_cast<char *>("true"));
    agattr(g.get(), AGNODE, const_cast<char *>("label"), const_cast<char *>(""));
    agattr(g.get(), AGNODE, const_cast<char *>("width"), const_cast<char *>("1"));
    agattr(g.get(), AGNODE, const_cast<char *>("height"), const_cast<char *>("0.5"));
    agattr(g.get(), AGEDGE, const_cast<char *>("weight"), const_cast<char *>("1"));

    std::unordered_map<int64_t, Agnode_t *> nodes;
    nodes.reserve(input.nodes.size());
    for (const auto &n : input.nodes) {
        const std::string name = "n" + std::to_string(n.id);
        Agnode_t *gn = agnode(g.get(), const_cast<char *>(name.c_str()), 1);
        set(gn, "width", num(n.width / 72.0));
        set(gn, "height", num(n.height / 72.0));
        if (n.pinned && engine == Engine::Neato) {
            // Graphviz's y axis points up; pins are given in points.
            set(gn, "pos", num(n.x) + "," + num(-n.y) + "!");
            set(gn, "pin", "true");
        }
        nodes.emplace(n.id, gn);
    }
    std::unordered_map<Agedge_t *, int64_t> edgeIds;
    for (const auto &e : input.edges) {
        auto s = nodes.find(e.source);
        auto t = nodes.find(e.target);
        if (s == nodes.end() || t == nodes.end())
            continue; // an edge to a hidden node is not drawn
        const std::string name = "e" + std::to_string(e.id);
        Agedge_t *ge = agedge(g.get(), s->second, t->second, const_cast<char *>(name.c_str()), 1);
        // dot wants an integer weight; keep it modest so heavy edges do not dominate.
        set(ge, "weight", std::to_string(1 + static_cast<int>(std::min(e.weight, 100.0) / 10)));
        edgeIds.emplace(ge, e.id);
    }

    if (gvLayout(gvc, g.get(), engineName(engine)) != 0) {
        out.error = std::string("graphviz ") + engineName(engine) + " layout failed";
        return out;
    }
    const boxf bb = GD_bb(g.get());
    // Graphviz y up -> Qt y down, origin at the bounding box's top-left.
    double dx = -bb.LL.x;
    double dy = bb.UR.y;
    auto toQt = [&](pointf p) { return Point {p.x + dx, dy - p.y}; };
    // Pinned nodes stay exactly where the analyst put them: shift everything accordingly.
    for (const auto &n : input.nodes) {
        if (!n.pinned)
            continue;
        const Point got = toQt(ND_coord(nodes.at(n.id)));
        dx += n.x - got.x;
        dy += n.y - got.y;
        break;
    }
    out.width = bb.UR.x - bb.LL.x;
    out.height = bb.UR.y - bb.LL.y;
    out.nodes.reserve(input.nodes.size());
    std::unordered_map<Agnode_t *, size_t> index; // Graphviz node -> out.nodes
    index.reserve(input.nodes.size());
    for (const auto &n : input.nodes) {
        Agnode_t *gn = nodes.at(n.id);
        index.emplace(gn, out.nodes.size());
        NodeGeometry ng;
        ng.id = n.id;
        ng.centre = toQt(ND_coord(gn));
        ng.width = ND_width(gn) * 72.0;
        ng.height = ND_height(gn) * 72.0;
        out.nodes.push_back(ng);
    }
    for (Agnode_t *n = agfstnode(g.get()); n; n = agnxtnode(g.get(), n)) {
        for (Agedge_t *e = agfstout(g.get(), n); e; e = agnxtout(g.get(), e)) {
            auto it = edgeIds.find(e);
            if (it == edgeIds.end())
                continue;
            EdgeGeometry eg;
            eg.id = it->second;
            const splines *spl = ED_spl(e);
            if (large) {
                eg = straightEdge(eg.id, out.nodes[index.at(agtail(e))], out.nodes[index.at(aghead(e))]);
            } else if (spl && spl->size > 0) {
                const bezier &bz = spl->list[0];
                eg.spline.reserve(static_cast<size_t>(bz.size));
                for (size_t i = 0; i < static_cast<size_t>(bz.size); ++i)
                    eg.spline.push_back(toQt(bz.list[i]));
                if (bz.eflag) {
                    eg.hasArrow = true;
                    eg.arrowTip = toQt(bz.ep);
                }
            }
            out.edges.push_back(std::move(eg));
        }
    }
    // Deterministic order for callers and tests.
    std::sort(
        out.edges.begin(), out.edges.end(), [](const EdgeGeometry &a, const EdgeGeometry &b) { return a.id < b.id; });
    gvFreeLayout(gvc, g.get());
    settlePinned(input, out);
    out.milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

} // namespace tt::graph
