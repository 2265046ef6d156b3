#include "core/FileSource.h"

#include <cerrno>
#include <cstring>
#include <sys/stat.h>

namespace tt {

FileSource::FileSource(const std::string &path)
{
    m_file = std::fopen(path.c_str(), "rb");
    if (!m_file) {
        m_error = std::strerror(errno);
        return;
    }
    struct stat st { };
    if (::fstat(fileno(m_file), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            std::fclose(m_file);
            m_file = nullptr;
            m_error = "is a directory";
            return;
        }
        m_size = st.st_size;
    }
    std::setvbuf(m_file, nullptr, _IOFBF, 1 << 20);
}

FileSource::~FileSource()
{
    if (m_file)
        std::fclose(m_file);
}

long long FileSource::read(char *buf, size_t n)
{
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
