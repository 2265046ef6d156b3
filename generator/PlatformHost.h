#pragma once

// A host outside the Windows domain and the Linux servers (ESXi, macOS): its rendered log lines
// per file, written by generate() as they are (PlatformActivity builds them).

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace tt::gen {

struct PlatformLog {
    std::string file; // relative to the output folder
    std::string importHost; // the --host NAME the file needs (it names no host), else empty
    struct Line {
        int64_t us;
        uint64_t seq;
        std::string text;
        bool operator<(const Line &o) const { return us != o.us ? us < o.us : seq < o.seq; }
    };
    std::vector<Line> lines;
    void add(int64_t us, std::string text) { lines.push_back({us, lines.size(), std::move(text)}); }
    void sort() { std::sort(lines.begin(), lines.end()); }
};

struct PlatformHost {
    std::string kind; // "esxi" | "macos"
    std::string name, fqdn, ip;
    std::vector<PlatformLog> logs;
};

} // namespace tt::gen
