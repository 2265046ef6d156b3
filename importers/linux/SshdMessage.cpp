#include "linux/SshdMessage.h"

#include <string>

namespace tt::sshd {

namespace {

// Matches text against a pattern of literals and {} captures. A capture takes the shortest
// text up to the next literal; a capture at the end takes the rest. Captures are non-empty.
bool match(std::string_view text, std::string_view pattern, std::vector<std::string_view> &caps)
{
    caps.clear();
    size_t t = 0, p = 0;
    while (p < pattern.size()) {
        const size_t brace = pattern.find("{}", p);
        const std::string_view lit
            = pattern.substr(p, brace == std::string_view::npos ? std::string_view::npos : brace - p);
        if (text.substr(t, lit.size()) != lit)
            return false;
        t += lit.size();
        if (brace == std::string_view::npos)
            return t == text.size();
        p = brace + 2;
        const size_t nextBrace = pattern.find("{}", p);
        const std::string_view next
            = pattern.substr(p, nextBrace == std::string_view::npos ? std::string_view::npos : nextBrace - p);
        if (next.empty()) {
            if (t >= text.size())
                return false;
            caps.push_back(text.substr(t));
            t = text.size();
            continue;
        }
        const size_t at = text.find(next, t + 1);
        if (at == std::string_view::npos || at == t)
            return false;
        caps.push_back(text.substr(t, at - t));
        t = at;
    }
    return t == text.size();
}

std::string_view leadingDigits(std::string_view s)
{
    size_t i = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9')
        ++i;
    return s.substr(0, i);
}

void add(std::vector<Field> &f, const char *name, std::string_view v)
{
    f.push_back({name, std::string(v)});
}

// "root(uid=0)" -> "root"
std::string_view pamUser(std::string_view u)
{
    if (const size_t paren = u.find('('); paren != std::string_view::npos)
        u = u.substr(0, paren);
    return u;
}

} // namespace

bool isSshIdentifier(std::string_view id)
{
    return id == "sshd" || id == "sshd-session" || id == "sftp-server" || id == "internal-sftp";
}

int classify(std::string_view m, std::vector<Field> &f)
{
    while (!m.empty() && (m.back() == ' ' || m.back() == '\r' || m.back() == '\n'))
        m.remove_suffix(1);
    std::vector<std::string_view> c;
    if (match(m, "Accepted {} for {} from {} port {}", c)) {
        add(f, "method", c[0]);
        add(f, "user", c[1]);
        add(f, "ip", c[2]);
        add(f, "port", leadingDigits(c[3]));
        if (const size_t colon = c[3].find(": "); colon != std::string_view::npos)
            add(f, "key", c[3].substr(colon + 2));
        return kAccepted;
    }
    if (match(m, "Failed {} for invalid user {} from {} port {}", c)
        || match(m, "Failed {} for {} from {} port {}", c)) {
        add(f, "method", c[0]);
        add(f, "user", c[1]);
        add(f, "ip", c[2]);
        add(f, "port", leadingDigits(c[3]));
        if (m.find(" for invalid user ") != std::string_view::npos)
            add(f, "invalid_user", "1");
        return kFailed;
    }
    if (match(m, "Invalid user {} from {} port {}", c) || match(m, "Invalid user {} from {}", c)) {
        add(f, "user", c[0]);
        add(f, "ip", c[1].substr(0, c[1].find(' ')));
        if (c.size() > 2)
            add(f, "port", leadingDigits(c[2]));
        add(f, "invalid_user", "1");
        return kInvalidUser;
    }
    if (match(m, "pam_unix(sshd:session): session opened for user {} by {}", c)
        || match(m, "pam_unix(sshd:session): session opened for user {}", c)) {
        add(f, "user", pamUser(c[0]));
        return kPamSessionOpen;
    }
    if (match(m, "pam_unix(sshd:session): session closed for user {}", c)) {
        add(f, "user", pamUser(c[0]));
        return kPamSessionClose;
    }
    if (match(m, "subsystem request for {} by user {}", c)) {
        add(f, "subsystem", c[0]);
        add(f, "user", c[1]);
        return kSubsystem;
    }
    if (match(m, "subsystem request for {}", c)) {
        add(f, "subsystem", c[0].substr(0, c[0].find(' ')));
        return kSubsystem;
    }
    if (match(m, "Starting session: {} for {} from {} port {} id {}", c)) {
        std::string_view kind = c[0];
        add(f, "session_kind", kind);
        // "subsystem 'sftp'", "forced-command (config) 'internal-sftp'", "command", "shell on pts/0"
        if (kind.rfind("subsystem '", 0) == 0 && kind.size() > 12)
            add(f, "subsystem", kind.substr(11, kind.size() - 12));
        else if (kind.find("internal-sftp") != std::string_view::npos)
            add(f, "subsystem", "sftp");
        add(f, "user", c[1]);
        add(f, "ip", c[2]);
        add(f, "port", c[3]);
        add(f, "session_id", c[4]);
        return kSessionStart;
    }
    if (match(m, "Connection from {} port {} on {} port {}", c)) {
        add(f, "ip", c[0]);
        add(f, "port", c[1]);
        add(f, "local_ip", c[2]);
        add(f, "local_port", leadingDigits(c[3]));
        return kConnection;
    }
    if (match(m, "Close session: user {} from {} port {} id {}", c)) {
        add(f, "user", c[0]);
        add(f, "ip", c[1]);
        add(f, "port", c[2]);
        add(f, "session_id", c[3]);
        return kSessionClose;
    }
    if (match(m, "Disconnected from user {} {} port {}", c)) {
        add(f, "user", c[0]);
        add(f, "ip", c[1]);
        add(f, "port", leadingDigits(c[2]));
        return kDisconnect;
    }
    if (match(m, "Received disconnect from {} port {}:{}", c) || match(m, "Disconnected from {} port {}", c)) {
        add(f, "ip", c[0]);
        add(f, "port", leadingDigits(c[1]));
        return kDisconnect;
    }
    if (match(m, "session opened for local user {} from [{}]", c)) {
        add(f, "user", c[0]);
        add(f, "ip", c[1]);
        return kSftpSessionOpen;
    }
    if (match(m, "session closed for local user {} from [{}]", c)) {
        add(f, "user", c[0]);
        add(f, "ip", c[1]);
        return kSftpSessionClose;
    }
    if (match(m, "open \"{}\" flags {} mode {}", c)) {
        add(f, "path", c[0]);
        add(f, "flags", c[1]);
        add(f, "mode", c[2]);
        return kSftpOpen;
    }
    if (match(m, "close \"{}\" bytes read {} written {}", c)) {
        add(f, "path", c[0]);
        add(f, "bytes_read", c[1]);
        add(f, "bytes_written", c[2]);
        return kSftpClose;
    }
    return kOther;
}

} // namespace tt::sshd
