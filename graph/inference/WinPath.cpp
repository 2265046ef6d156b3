#include "inference/WinPath.h"

#include "store/HostName.h"

namespace tt::inference {

namespace {
char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
}
// Case-insensitive (ASCII) comparison that takes '/' for '\\': a and b are equal when
// of(a) == of(b).
struct FoldTable {
    unsigned char t[256] = {};
    constexpr FoldTable()
    {
        for (int c = 0; c < 256; ++c)
            t[c] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + 32 : c == '/' ? '\\' : c);
    }
    unsigned char of(char c) const { return t[static_cast<unsigned char>(c)]; }
};
constexpr FoldTable kFold;
std::string_view trimQuotes(std::string_view s)
{
    while (!s.empty() && (s.front() == '"' || s.front() == '\'' || s.front() == ' '))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == '"' || s.back() == '\'' || s.back() == ' '))
        s.remove_suffix(1);
    return s;
}
} // namespace

std::string WinPath::stripNtPrefix(std::string_view p)
{
    for (std::string_view pre :
        {std::string_view("\\??\\"), std::string_view("\\\\?\\"), std::string_view("\\DosDevices\\")})
        if (startsWithI(p, pre))
            return std::string(p.substr(pre.size()));
    return std::string(p);
}

std::string WinPath::join(std::string_view shareLocalPath, std::string_view relative)
{
    std::string base = stripNtPrefix(shareLocalPath);
    while (!relative.empty() && (relative.front() == '\\' || relative.front() == '/'))
        relative.remove_prefix(1);
    if (base.empty())
        return std::string(relative);
    if (relative.empty())
        return base;
    if (base.front() == '/') {
        // A POSIX share root (a Mac's or a Samba server's): '/' between the parts.
        if (base.back() != '/')
            base.push_back('/');
        for (char c : relative)
            base.push_back(c == '\\' ? '/' : c);
        return base;
    }
    if (base.back() != '\\')
        base.push_back('\\');
    base.append(relative);
    return base;
}

std::string_view WinPath::fileName(std::string_view p)
{
    while (!p.empty() && (p.back() == '\\' || p.back() == '/'))
        p.remove_suffix(1);
    const auto pos = p.find_last_of("\\/");
    return pos == std::string_view::npos ? p : p.substr(pos + 1);
}

std::string_view WinPath::directory(std::string_view p)
{
    const auto pos = p.find_last_of("\\/");
    return pos == std::string_view::npos ? std::string_view() : p.substr(0, pos);
}

std::string WinPath::key(std::string_view p)
{
    std::string out;
    out.reserve(p.size());
    for (char c : p) {
        c = c == '/' ? '\\' : lower(c);
        // Doubled separators inside a path ("C:\\x" from escaped logs) mean one.
        if (c == '\\' && out.size() > 1 && out.back() == '\\')
            continue;
        out.push_back(c);
    }
    return out;
}

bool WinPath::equal(std::string_view a, std::string_view b)
{
    return key(a) == key(b);
}

bool WinPath::endsWithI(std::string_view s, std::string_view suffix)
{
    if (suffix.size() > s.size())
        return false;
    for (size_t i = 0; i < suffix.size(); ++i)
        if (kFold.of(s[s.size() - suffix.size() + i]) != kFold.of(suffix[i]))
            return false;
    return true;
}

bool WinPath::startsWithI(std::string_view s, std::string_view prefix)
{
    if (prefix.size() > s.size())
        return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (kFold.of(s[i]) != kFold.of(prefix[i]))
            return false;
    return true;
}

bool WinPath::containsI(std::string_view s, std::string_view needle)
{
    if (needle.empty())
        return true;
    if (needle.size() > s.size())
        return false;
    // Compared through the table, the first character tested before the rest: this
    // runs over every command line of a case (CommandParser::mayMoveFiles, eleven needles each).
    const unsigned char first = kFold.of(needle[0]);
    const size_t last = s.size() - needle.size();
    for (size_t i = 0; i <= last; ++i) {
        if (kFold.of(s[i]) != first)
            continue;
        size_t k = 1;
        while (k < needle.size() && kFold.of(s[i + k]) == kFold.of(needle[k]))
            ++k;
        if (k == needle.size())
            return true;
    }
    return false;
}

bool WinPath::containsAnyI(std::string_view s, std::initializer_list<std::string_view> needles)
{
    bool firsts[256] = {};
    for (std::string_view n : needles) {
        if (n.empty())
            return true;
        firsts[kFold.of(n[0])] = true;
    }
    for (size_t i = 0; i < s.size(); ++i) {
        if (!firsts[kFold.of(s[i])])
            continue;
        for (std::string_view n : needles) {
            if (n.size() > s.size() - i || kFold.of(n[0]) != kFold.of(s[i]))
                continue;
            size_t k = 1;
            while (k < n.size() && kFold.of(s[i + k]) == kFold.of(n[k]))
                ++k;
            if (k == n.size())
                return true;
        }
    }
    return false;
}

std::string WinPath::expandEnv(std::string_view p)
{
    struct Var {
        std::string_view name, value;
    };
    static constexpr Var kVars[] = {{"%systemroot%", "C:\\Windows"}, {"%windir%", "C:\\Windows"},
        {"\\systemroot", "C:\\Windows"}, {"%programdata%", "C:\\ProgramData"}, {"%systemdrive%", "C:"},
        {"%programfiles%", "C:\\Program Files"}, {"%public%", "C:\\Users\\Public"}, {"%temp%", "C:\\Windows\\Temp"}};
    for (const Var &v : kVars)
        if (startsWithI(p, v.name)) {
            std::string out(v.value);
            out.append(p.substr(v.name.size()));
            return out;
        }
    return std::string(p);
}

std::string WinPath::serviceExecutable(std::string_view imagePath)
{
    std::string_view s = imagePath;
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    if (s.empty())
        return {};
    std::string_view exe;
    if (s.front() == '"') {
        const auto close = s.find('"', 1);
        exe = s.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
    } else {
        // Unquoted: up to the first ".exe" / ".dll" / ".sys" followed by a blank or the end, else
        // the first blank. Service paths with spaces are usually quoted; this covers the rest.
        size_t end = std::string_view::npos;
        for (std::string_view ext : {std::string_view(".exe"), std::string_view(".dll"), std::string_view(".sys"),
                 std::string_view(".bat"), std::string_view(".cmd")}) {
            for (size_t i = 0; i + ext.size() <= s.size(); ++i)
                if (startsWithI(s.substr(i), ext) && (i + ext.size() == s.size() || s[i + ext.size()] == ' ')) {
                    end = std::min(end, i + ext.size());
                    break;
                }
        }
        if (end == std::string_view::npos)
            end = s.find(' ');
        exe = s.substr(0, end);
    }
    exe = trimQuotes(exe);
    if (exe.empty())
        return {};
    std::string out = stripNtPrefix(exe);
    out = expandEnv(out);
    // "System32\drivers\x.sys" (relative to the Windows directory, as the service manager reads it).
    if (out.size() < 2 || (out[1] != ':' && out[0] != '\\'))
        out = "C:\\Windows\\" + out;
    return out;
}

std::optional<WinPath::Unc> WinPath::parseUnc(std::string_view p)
{
    p = trimQuotes(p);
    for (std::string_view pre :
        {std::string_view("Microsoft.PowerShell.Core\\FileSystem::"), std::string_view("FileSystem::")})
        if (startsWithI(p, pre))
            p.remove_prefix(pre.size());
    if (p.size() < 3 || !((p[0] == '\\' && p[1] == '\\') || (p[0] == '/' && p[1] == '/')))
        return std::nullopt;
    p.remove_prefix(2);
    if (p.empty() || p.front() == '?' || p.front() == '.')
        return std::nullopt; // \\?\C:\ and \\.\pipe are local
    const auto hostEnd = p.find_first_of("\\/");
    Unc u;
    u.host = std::string(p.substr(0, hostEnd));
    if (u.host.empty() || u.host.find_first_of(" \"<>|*") != std::string::npos)
        return std::nullopt;
    if (hostEnd == std::string_view::npos)
        return u;
    p.remove_prefix(hostEnd + 1);
    const auto shareEnd = p.find_first_of("\\/");
    u.share = std::string(p.substr(0, shareEnd));
    if (shareEnd != std::string_view::npos)
        u.rest = std::string(p.substr(shareEnd + 1));
    while (!u.rest.empty() && (u.rest.back() == '\\' || u.rest.back() == '/'))
        u.rest.pop_back();
    return u;
}

std::string WinPath::shareShortName(std::string_view shareName)
{
    return std::string(fileName(shareName));
}

bool WinPath::isAdminShare(std::string_view s)
{
    if (s.size() == 2 && s[1] == '$' && ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')))
        return true;
    return key(s) == "admin$";
}

std::string WinPath::shareRoot(std::string_view shareShort, std::string_view shareLocalPath)
{
    if (!shareLocalPath.empty())
        return stripNtPrefix(shareLocalPath);
    if (key(shareShort) == "admin$")
        return "C:\\Windows";
    if (shareShort.size() == 2 && shareShort[1] == '$')
        return std::string(1, shareShort[0]) + ":\\";
    return {};
}

bool WinPath::isIpcShare(std::string_view s)
{
    return key(s) == "ipc$";
}

bool WinPath::isLoopbackHost(std::string_view host)
{
    const std::string k = key(host);
    if (k == "localhost" || k == "." || k == "127.0.0.1" || k == "::1" || k == "[::1]")
        return true;
    return store::isIpAddress(k) && store::isUninformativeIp(k);
}

bool WinPath::isHypervisorShareHost(std::string_view host)
{
    const std::string k = key(host);
    return k == "vboxsvr" || k == "vboxsrv" || k == "vmware-host" || k == "psf";
}

} // namespace tt::inference
