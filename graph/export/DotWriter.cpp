#include "DotWriter.h"

#include "GraphvizLayout.h"

#include <graphviz/cgraph.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <set>

namespace tt::exporting {

namespace {
char *cs(const std::string &s)
{
    return const_cast<char *>(s.c_str());
}

std::string doubled(const std::string &s)
{
    std::string out;
    out.reserve(s.size() + 8);
    for (char c : s) {
        out.push_back(c);
        if (c == '\\')
            out.push_back('\\');
    }
    return out;
}

std::string undoubled(const char *s)
{
    std::string out;
    for (; s && *s; ++s) {
        out.push_back(*s);
        if (*s == '\\' && s[1] == '\\')
            ++s;
    }
    return out;
}

struct GraphCloser {
    void operator()(Agraph_t *g) const { agclose(g); }
};
using GraphPtr = std::unique_ptr<Agraph_t, GraphCloser>;

// Declares every attribute name used by `kind` with an empty default first: agsafeset would
// otherwise make the first value it sees the default, and agwrite leaves defaults out.
void declare(Agraph_t *g, int kind, const std::set<std::string> &names)
{
    for (const std::string &n : names)
        agattr(g, kind, cs(n), const_cast<char *>(""));
}

std::map<std::string, std::string> attrsOf(Agraph_t *g, void *obj, int kind)
{
    std::map<std::string, std::string> out;
    for (Agsym_t *sym = agnxtattr(g, kind, nullptr); sym; sym = agnxtattr(g, kind, sym)) {
        const char *v = agxget(obj, sym);
        if (v && *v)
            out.emplace(undoubled(sym->name), undoubled(v));
    }
    return out;
}
} // namespace

std::optional<std::string> writeDot(const DotGraph &graph, std::string *error)
{
    std::lock_guard lock(graph::graphvizMutex());
    GraphPtr g(agopen(cs(doubled(graph.name)), Agdirected, nullptr));
    if (!g) {
        if (error)
            *error = "Graphviz could not create a graph";
        return std::nullopt;
    }
    std::set<std::string> gNames, nNames, eNames;
    auto names = [&](const DotGraph &d) {
        for (const auto &[k, v] : d.graphAttrs)
            gNames.insert(k);
        for (const DotNode &n : d.nodes)
            for (const auto &[k, v] : n.attrs)
                nNames.insert(k);
        for (const DotEdge &e : d.edges)
            for (const auto &[k, v] : e.attrs)
                eNames.insert(k);
    };
    names(graph);
    for (const DotGraph &sub : graph.subgraphs)
        names(sub);
    declare(g.get(), AGRAPH, gNames);
    declare(g.get(), AGNODE, nNames);
    declare(g.get(), AGEDGE, eNames);
    auto fill = [&](Agraph_t *into, const DotGraph &d) {
        for (const auto &[k, v] : d.graphAttrs)
            agsafeset(into, cs(k), cs(doubled(v)), const_cast<char *>(""));
        for (const DotNode &n : d.nodes) {
            Agnode_t *node = agnode(into, cs(doubled(n.name)), 1);
            for (const auto &[k, v] : n.attrs)
                agsafeset(node, cs(k), cs(doubled(v)), const_cast<char *>(""));
        }
        for (const DotEdge &e : d.edges) {
            Agnode_t *t = agnode(into, cs(doubled(e.tail)), 1);
            Agnode_t *h = agnode(into, cs(doubled(e.head)), 1);
            Agedge_t *edge = agedge(into, t, h, nullptr, 1);
            if (!edge)
                return false;
            for (const auto &[k, v] : e.attrs)
                agsafeset(edge, cs(k), cs(doubled(v)), const_cast<char *>(""));
        }
        return true;
    };
    bool ok = fill(g.get(), graph);
    for (const DotGraph &sub : graph.subgraphs)
        if (Agraph_t *sg = agsubg(g.get(), cs(doubled(sub.name)), 1); ok && sg)
            ok = fill(sg, sub);
    if (!ok) {
        if (error)
            *error = "Graphviz could not create an edge";
        return std::nullopt;
    }
    char *buf = nullptr;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        if (error)
            *error = "out of memory";
        return std::nullopt;
    }
    const int rc = agwrite(g.get(), f);
    std::fclose(f);
    std::string out(buf ? buf : "", len);
    std::free(buf);
    if (rc != 0) {
        if (error)
            *error = "Graphviz could not write the graph";
        return std::nullopt;
    }
    return out;
}

std::optional<DotGraph> readDot(const std::string &text, std::string *error)
{
    std::lock_guard lock(graph::graphvizMutex());
    GraphPtr g(agmemread(text.c_str()));
    if (!g) {
        if (error)
            *error = "not a DOT graph";
        return std::nullopt;
    }
    // Nodes and edges of a subgraph are listed with it, not with the root.
    std::set<Agnode_t *> inSub;
    std::set<Agedge_t *> edgeInSub;
    auto read = [&](Agraph_t *from, DotGraph &into, bool root) {
        into.name = undoubled(agnameof(from));
        into.graphAttrs = attrsOf(g.get(), from, AGRAPH);
        for (Agnode_t *n = agfstnode(from); n; n = agnxtnode(from, n)) {
            if (root && inSub.count(n))
                continue;
            if (!root)
                inSub.insert(n);
            DotNode dn;
            dn.name = undoubled(agnameof(n));
            dn.attrs = attrsOf(g.get(), n, AGNODE);
            into.nodes.push_back(std::move(dn));
        }
        for (Agnode_t *n = agfstnode(from); n; n = agnxtnode(from, n)) {
            for (Agedge_t *e = agfstout(from, n); e; e = agnxtout(from, e)) {
                if (root && edgeInSub.count(AGMKOUT(e)))
                    continue;
                if (!root)
                    edgeInSub.insert(AGMKOUT(e));
                DotEdge de;
                de.tail = undoubled(agnameof(agtail(e)));
                de.head = undoubled(agnameof(aghead(e)));
                de.attrs = attrsOf(g.get(), e, AGEDGE);
                into.edges.push_back(std::move(de));
            }
        }
    };
    DotGraph out;
    for (Agraph_t *sg = agfstsubg(g.get()); sg; sg = agnxtsubg(sg)) {
        DotGraph sub;
        read(sg, sub, false);
        out.subgraphs.push_back(std::move(sub));
    }
    read(g.get(), out, true);
    return out;
}

} // namespace tt::exporting
