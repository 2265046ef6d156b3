#include "esxi/ShellTracker.h"

#include "core/RawEvent.h"
#include "esxi/EsxiMessage.h"

#include <string_view>
#include <vector>

namespace tt::esxi {

namespace {

std::vector<std::string_view> words(std::string_view s)
{
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && (s[i] == ' ' || s[i] == '\t'))
            ++i;
        const size_t b = i;
        while (i < s.size() && s[i] != ' ' && s[i] != '\t')
            ++i;
        if (i > b)
            out.push_back(s.substr(b, i - b));
    }
    return out;
}

// dir + "/" + rel with "." and ".." resolved.
std::string join(const std::string &dir, std::string_view rel)
{
    std::vector<std::string> parts;
    auto push = [&](std::string_view path) {
        size_t i = 0;
        while (i <= path.size()) {
            size_t j = path.find('/', i);
            if (j == std::string_view::npos)
                j = path.size();
            const std::string_view p = path.substr(i, j - i);
            if (p == "..") {
                if (!parts.empty())
                    parts.pop_back();
            } else if (!p.empty() && p != ".") {
                parts.emplace_back(p);
            }
            i = j + 1;
        }
    };
    if (rel.empty() || rel.front() != '/')
        push(dir);
    push(rel);
    std::string out;
    for (const std::string &p : parts)
        out += '/' + p;
    return out.empty() ? "/" : out;
}

} // namespace

void ShellTracker::apply(RawEvent &ev)
{
    if (ev.channel != "esxi:shell" || ev.eventId != shell::kCommand)
        return;
    const std::string key = ev.computer + '\n' + std::string(ev.field("pid"));
    auto it = m_cwd.find(key);
    std::string cwd = it == m_cwd.end() ? std::string() : it->second;
    const std::string command(ev.field("command"));
    const std::string startCwd = cwd;
    std::string image;
    // Segments of "cd /tmp && ./x; y": cd moves the shell, the first other segment names the program.
    size_t i = 0;
    while (i < command.size()) {
        size_t end = command.size(), step = 0;
        for (std::string_view sep : {"&&", "||", ";", "|"}) {
            const size_t at = command.find(sep, i);
            if (at != std::string::npos && at < end) {
                end = at;
                step = sep.size();
            }
        }
        const std::vector<std::string_view> w = words(std::string_view(command).substr(i, end - i));
        i = end + step;
        if (w.empty())
            continue;
        if (w[0] == "cd") {
            if (w.size() < 2 || w[1] == "~")
                cwd = "/";
            else if (w[1].front() == '/')
                cwd = join("/", w[1]);
            else if (!cwd.empty())
                cwd = join(cwd, w[1]);
            else
                cwd.clear(); // relative to a directory not known
            continue;
        }
        if (!image.empty())
            continue;
        const std::string_view prog = w[0];
        if (prog.front() == '/')
            image = join("/", prog);
        else if (prog.find('/') != std::string_view::npos)
            image = cwd.empty() ? std::string(prog) : join(cwd, prog);
        else
            image = std::string(prog);
    }
    if (!startCwd.empty())
        ev.fields.push_back({"cwd", startCwd});
    if (!image.empty())
        ev.fields.push_back({"image", image});
    if (cwd.empty())
        m_cwd.erase(key);
    else
        m_cwd[key] = cwd;
}

} // namespace tt::esxi
