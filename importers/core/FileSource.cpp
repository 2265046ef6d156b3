#include "core/FileSource.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tt {

FileSource::FileSource(const std::string &path, const std::atomic<bool> *cancel)
    : m_cancel(cancel)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        m_error = std::strerror(errno);
        return;
    }
    struct stat st { };
    if (::fstat(fd, &st) != 0) {
        m_error = std::strerror(errno);
        ::close(fd);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        ::close(fd);
        m_error = "is a directory";
        return;
    }
    if (S_ISFIFO(st.st_mode)) {
        m_fifo = fd;
        return;
    }
    // Regular files (and devices): ordinary blocking, buffered reads.
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    m_file = ::fdopen(fd, "rb");
    if (!m_file) {
        m_error = std::strerror(errno);
        ::close(fd);
        return;
    }
    if (S_ISREG(st.st_mode))
        m_size = st.st_size;
    std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
}

FileSource::~FileSource()
{
    if (m_file)
        std::fclose(m_file);
    if (m_fifo >= 0)
        ::close(m_fifo);
}

long long FileSource::readFifo(char *buf, size_t n)
{
    for (;;) {
        if (m_cancel && m_cancel->load()) {
            m_error = "cancelled";
            return -1;
        }
        const ssize_t r = ::read(m_fifo, buf, n);
        if (r > 0)
            return r;
        if (r == 0) {
            // No writer. Linux reports POLLHUP on a FIFO only once a writer has come and gone, so
            // a poll tells "not started yet" (wait) from "finished" (end of data).
            struct pollfd p {
                m_fifo, POLLIN, 0
            };
            const int ready = ::poll(&p, 1, 200);
            if (ready > 0 && (p.revents & POLLHUP) && !(p.revents & POLLIN))
                return 0;
            continue;
        }
        if (errno == EAGAIN || errno == EINTR) {
            struct pollfd p {
                m_fifo, POLLIN, 0
            };
            ::poll(&p, 1, 200); // woken by data, the writer closing, a signal, or the round ending
            continue;
        }
        m_error = std::strerror(errno);
        return -1;
    }
}

long long FileSource::read(char *buf, size_t n)
{
    if (m_fifo >= 0)
        return readFifo(buf, n);
    if (!m_file)
        return -1;
    size_t r = std::fread(buf, 1, n, m_file);
    if (r == 0 && std::ferror(m_file)) {
        m_error = std::strerror(errno);
        return -1;
    }
    return static_cast<long long>(r);
}

long long MemorySource::read(char *buf, size_t n)
{
    size_t left = m_size - m_pos;
    if (n > left)
        n = left;
    if (n)
        std::memcpy(buf, m_data + m_pos, n);
    m_pos += n;
    return static_cast<long long>(n);
}

} // namespace tt
