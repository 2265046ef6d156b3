#pragma once

// Version-resource facts of the executables the generator starts (Sysmon 1 fields) and
// stable fake hashes derived from the path.

#include <string>
#include <string_view>

namespace tt::gen {

struct ImageInfo {
    const char *fileVersion;
    const char *description;
    const char *product;
    const char *company;
    const char *originalFileName;
};

class Catalog {
public:
    // Looks up by file name (case-insensitive); unknown files get "-" everywhere (as unsigned
    // attacker tools have).
    static ImageInfo info(std::string_view image);
    // "SHA1=...,MD5=...,SHA256=...,IMPHASH=..." derived from the key (path or tool identity).
    static std::string hashes(std::string_view key);
    static std::string_view fileName(std::string_view path)
    {
        const size_t p = path.find_last_of('\\');
        return p == std::string_view::npos ? path : path.substr(p + 1);
    }
};

} // namespace tt::gen
