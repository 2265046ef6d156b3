#include "store/CaseLock.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <sys/file.h>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>

namespace tt::store {

namespace {

std::string canonical(const std::string &path)
{
    std::error_code ec;
    auto p = std::filesystem::weakly_canonical(std::filesystem::path(path), ec);
    return ec ? path : p.string();
}

// "pid host" as written by the owner, made safe to show (digits, letters, '-', '.', '_').
std::string ownerOf(int fd)
{
    char buf[256] = {};
    const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    if (n <= 0)
        return {};
    std::string pid, host;
    size_t i = 0;
    for (; i < size_t(n) && buf[i] >= '0' && buf[i] <= '9' && pid.size() < 10; ++i)
        pid.push_back(buf[i]);
    if (i < size_t(n) && buf[i] == ' ')
        for (++i; i < size_t(n) && host.size() < 64; ++i) {
            const char c = buf[i];
            if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.'
                || c == '_')
                host.push_back(c);
            else
                break;
        }
    if (pid.empty())
        return {};
    return "pid " + pid + (host.empty() ? std::string() : " on host " + host);
}

std::string heldMessage(const std::string &owner)
{
    return "opened by another TransferTrace" + (owner.empty() ? std::string() : " (" + owner + ")");
}

} // namespace

std::string CaseLock::lockPathFor(const std::string &casePath)
{
    return canonical(casePath) + ".lock";
}

std::unique_ptr<CaseLock> CaseLock::acquire(const std::string &casePath, std::string *why)
{
    auto say = [&](const std::string &s) {
        if (why)
            *why = s;
    };
    const std::string lockPath = lockPathFor(casePath);
    for (int attempt = 0; attempt < 10; ++attempt) {
        int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0 && (errno == EACCES || errno == EROFS || errno == EPERM)) {
            // No sidecar possible (folder not writable): lock the case file itself.
            fd = ::open(canonical(casePath).c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                say(std::string("cannot take the case lock: ") + std::strerror(errno));
                return nullptr;
            }
            if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
                const int err = errno;
                ::close(fd);
                say(err == EWOULDBLOCK ? heldMessage({})
                                       : std::string("cannot take the case lock: ") + std::strerror(err));
                return nullptr;
            }
            std::unique_ptr<CaseLock> l(new CaseLock);
            l->m_fd = fd;
            return l;
        }
        if (fd < 0) {
            say("cannot take the case lock '" + lockPath + "': " + std::strerror(errno));
            return nullptr;
        }
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int err = errno;
            const std::string owner = err == EWOULDBLOCK ? ownerOf(fd) : std::string();
            ::close(fd);
            say(err == EWOULDBLOCK ? heldMessage(owner)
                                   : std::string("cannot take the case lock: ") + std::strerror(err));
            return nullptr;
        }
        // The previous owner may have removed the sidecar between our open and flock: then we
        // hold a lock on an unlinked file; start over on the current one.
        struct stat mine {
        }, now {};
        if (::fstat(fd, &mine) != 0 || ::stat(lockPath.c_str(), &now) != 0 || mine.st_ino != now.st_ino
            || mine.st_dev != now.st_dev) {
            ::close(fd);
            continue;
        }
        char host[128] = {};
        if (::gethostname(host, sizeof host - 1) != 0)
            host[0] = 0;
        const std::string content = std::to_string(::getpid()) + " " + host + "\n";
        if (::ftruncate(fd, 0) == 0) {
            const ssize_t w = ::pwrite(fd, content.data(), content.size(), 0);
            (void)w; // the owner note is informative only
        }
        std::unique_ptr<CaseLock> l(new CaseLock);
        l->m_fd = fd;
        l->m_lockPath = lockPath;
        return l;
    }
    say("cannot take the case lock '" + lockPath + "': it keeps changing");
    return nullptr;
}

CaseLock::~CaseLock()
{
    if (m_fd < 0)
        return;
    if (!m_lockPath.empty())
        ::unlink(m_lockPath.c_str()); // while still holding the lock (see acquire's inode check)
    ::close(m_fd);
}

} // namespace tt::store
