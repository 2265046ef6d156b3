#pragma once

#include "LayoutEngine.h"

#include <mutex>

namespace tt::graph {

// Lays out with Graphviz (cgraph + gvc): `dot` left to right for small graphs, `sfdp` for
// large ones, `neato` when nodes are pinned (it honours fixed positions). Only ids and sizes
// reach Graphviz, never log-derived text, so nothing attacker-controlled is parsed by it.
// Graphviz keeps global state, so layouts are serialised process-wide.
// Held around every use of Graphviz's (global, not thread-safe) state, by layouts and exports.
std::mutex &graphvizMutex();

// The engine Auto stands for (LayoutTypes.h: the thresholds and why).
Engine chooseEngine(const LayoutInput &input, bool anyPinned);

class GraphvizLayout final : public LayoutEngine {
public:
    LayoutResult layout(const LayoutInput &input) override;
};

} // namespace tt::graph
