#pragma once

#include "core/RawEvent.h"

#include <algorithm>
#include <string_view>
#include <vector>

namespace tt::jsonl {

// Appending fields to a reused RawEvent without freeing the strings' buffers between records.

class FieldList {
public:
    FieldList(std::vector<Field> &v, std::vector<Field> &spare)
        : m_v(v)
        , m_spare(spare)
    {
    }
    Field &next()
    {
        if (m_n < m_v.size())
            return m_v[m_n++];
        if (!m_spare.empty()) {
            m_v.push_back(std::move(m_spare.back()));
            m_spare.pop_back();
        } else {
            m_v.emplace_back();
        }
        return m_v[m_n++];
    }
    void add(std::string_view name, std::string_view value)
    {
        Field &f = next();
        f.name.assign(name);
        f.value.assign(value);
    }
    size_t size() const { return m_n; }
    Field &at(size_t i) { return m_v[i]; }
    void finish()
    {
        while (m_v.size() > m_n) {
            m_spare.push_back(std::move(m_v.back()));
            m_v.pop_back();
        }
    }
    // Moves the entries at the ascending positions idx[0..n) to the end of another list, in
    // one pass that keeps the order of the rest (a rotate per entry moved ~25 fields each).
    void moveTo(const size_t *idx, size_t n, FieldList &other)
    {
        if (n == 0)
            return;
        size_t out = idx[0], k = 0;
        for (size_t i = idx[0]; i < m_n; ++i) {
            if (k < n && idx[k] == i) {
                std::swap(other.next(), m_v[i]);
                ++k;
            } else {
                if (out != i)
                    std::swap(m_v[out], m_v[i]);
                ++out;
            }
        }
        m_n = out;
        // Same order in `other` as moving them one by one from the last did (kept as it was).
        std::reverse(other.m_v.begin() + long(other.m_n - n), other.m_v.begin() + long(other.m_n));
    }

private:
    std::vector<Field> &m_v;
    std::vector<Field> &m_spare;
    size_t m_n = 0;
};

} // namespace tt::jsonl
