#pragma once

#include "LayoutTypes.h"

#include <cstddef>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace tt::graph {

// The last few layouts by their exact input (node ids, sizes, pins, edges, weights, engine,
// direction): going back in the filter history, or a pivot that leaves the same hosts and edges,
// draws the earlier picture again without running Graphviz (seconds at thousands of nodes).
// Thread-safe; the process-wide instance is LayoutCache::shared().
class LayoutCache {
public:
    explicit LayoutCache(size_t capacity = 8)
        : m_capacity(capacity)
    {
    }
    static LayoutCache &shared();
    std::optional<LayoutResult> find(const LayoutInput &input);
    void store(const LayoutInput &input, const LayoutResult &result); // results with an error are not kept
    void clear();
    size_t hits() const
    {
        std::lock_guard lock(m_mutex);
        return m_hits;
    }
    // The key: every field of the input, serialised (exact, no hash collisions).
    static std::string keyOf(const LayoutInput &input);

private:
    mutable std::mutex m_mutex;
    size_t m_capacity;
    size_t m_hits = 0;
    std::list<std::pair<std::string, LayoutResult>> m_entries; // most recent first
};

} // namespace tt::graph
