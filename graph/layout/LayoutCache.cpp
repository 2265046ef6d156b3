#include "LayoutCache.h"

#include <cstring>

namespace tt::graph {

namespace {
template<typename T> void put(std::string &out, const T &v)
{
    char buf[sizeof(T)];
    std::memcpy(buf, &v, sizeof(T));
    out.append(buf, sizeof(T));
}
} // namespace

LayoutCache &LayoutCache::shared()
{
    static LayoutCache cache;
    return cache;
}

std::string LayoutCache::keyOf(const LayoutInput &in)
{
    std::string k;
    k.reserve(in.nodes.size() * 41 + in.edges.size() * 32 + 16);
    put(k, static_cast<int>(in.engine));
    put(k, in.leftToRight);
    put(k, in.nodes.size());
    for (const LayoutNode &n : in.nodes) {
        put(k, n.id);
        put(k, n.width);
        put(k, n.height);
        put(k, n.pinned);
        if (n.pinned) {
            put(k, n.x);
            put(k, n.y);
        }
    }
    put(k, in.edges.size());
    for (const LayoutEdge &e : in.edges) {
        put(k, e.id);
        put(k, e.source);
        put(k, e.target);
        put(k, e.weight);
    }
    return k;
}

std::optional<LayoutResult> LayoutCache::find(const LayoutInput &input)
{
    const std::string key = keyOf(input);
    std::lock_guard lock(m_mutex);
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        if (it->first != key)
            continue;
        m_entries.splice(m_entries.begin(), m_entries, it);
        ++m_hits;
        LayoutResult r = m_entries.front().second;
        r.milliseconds = 0;
        return r;
    }
    return std::nullopt;
}

void LayoutCache::store(const LayoutInput &input, const LayoutResult &result)
{
    if (!result.error.empty() || m_capacity == 0)
        return;
    std::string key = keyOf(input);
    std::lock_guard lock(m_mutex);
    std::erase_if(m_entries, [&key](const auto &e) { return e.first == key; });
    m_entries.emplace_front(std::move(key), result);
    while (m_entries.size() > m_capacity)
        m_entries.pop_back();
}

void LayoutCache::clear()
{
    std::lock_guard lock(m_mutex);
    m_entries.clear();
    m_hits = 0;
}

} // namespace tt::graph
