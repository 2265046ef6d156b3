#pragma once

// Graphviz DOT source built with the cgraph API (agopen / agnode / agedge / agsafeset /
// agwrite): cgraph quotes names and values and escapes '"'. It does not escape backslashes
// (Graphviz 2.43: a value ending in '\' or holding '\"' closes the quoted string early, so a
// crafted name could add nodes and attributes), so every backslash is doubled before cgraph
// sees it. In the file a backslash then always comes in pairs: Graphviz's lexer keeps them
// together, and escString attributes (label, xlabel, tooltip) render exactly the given text
// ("\N" or "\l" in log text stay literal). readDot (agmemread, for tests and checks) undoes
// the doubling, so values round-trip intact. Qt-free.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tt::exporting {

struct DotNode {
    std::string name;
    std::map<std::string, std::string> attrs;
};
struct DotEdge {
    std::string tail, head;
    std::map<std::string, std::string> attrs;
};
struct DotGraph {
    std::string name = "transfers";
    std::map<std::string, std::string> graphAttrs;
    std::vector<DotNode> nodes;
    std::vector<DotEdge> edges; // directed; several edges between the same pair are kept
    // Subgraphs ("cluster_..." ones are drawn boxed), one level deep: their nodes and edges are
    // listed there, not in the parent. Attribute names are shared with the parent.
    std::vector<DotGraph> subgraphs;
};

// The DOT text, or nullopt with *error set.
std::optional<std::string> writeDot(const DotGraph &graph, std::string *error = nullptr);
// Parses DOT (first graph only). Attributes are those with a non-empty value (defaults included).
std::optional<DotGraph> readDot(const std::string &text, std::string *error = nullptr);

} // namespace tt::exporting
