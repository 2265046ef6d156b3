#include "core/ArchiveReader.h"

#include <archive.h>
#include <archive_entry.h>

namespace tt {

class ArchiveReader::EntrySource final : public ByteSource {
public:
    explicit EntrySource(ArchiveReader &r)
        : m_r(r)
    {
    }
    long long read(char *buf, size_t n) override
    {
        la_ssize_t got = archive_read_data(m_r.m_a, buf, n);
        if (got < 0) {
            m_error = archive_error_string(m_r.m_a) ? archive_error_string(m_r.m_a) : "archive read error";
            return -1;
        }
        return static_cast<long long>(got);
    }
    std::string error() const override { return m_error; }
    long long sizeHint() const override { return m_size; }
    long long m_size = -1;
    std::string m_error;

private:
    ArchiveReader &m_r;
};

ArchiveReader::ArchiveReader()
    : m_entry(std::make_unique<EntrySource>(*this))
{
}

ArchiveReader::~ArchiveReader()
{
    if (m_a)
        archive_read_free(m_a);
}

bool ArchiveReader::setup()
{
    m_a = archive_read_new();
    archive_read_support_filter_all(m_a);
    archive_read_support_format_all(m_a);
    // A bare .gz / .bz2 / .xz / .zst is one "raw" member; tried only when no archive format bids.
    archive_read_support_format_raw(m_a);
    return m_a != nullptr;
}

long long ArchiveReader::readCallback(struct archive *, void *client, const void **buf)
{
    auto *self = static_cast<ArchiveReader *>(client);
    long long r = self->m_src->read(self->m_buf.data(), self->m_buf.size());
    *buf = self->m_buf.data();
    if (r < 0) {
        self->m_error = self->m_src->error();
        return -1;
    }
    return r;
}

bool ArchiveReader::open(ByteSource &src)
{
    m_src = &src;
    m_buf.resize(1 << 16);
    if (!setup())
        return false;
    int rc = archive_read_open(
        m_a, this, nullptr,
        [](struct archive *a, void *c, const void **b) -> la_ssize_t {
            return static_cast<la_ssize_t>(readCallback(a, c, b));
        },
        nullptr);
    if (rc != ARCHIVE_OK) {
        m_error = archive_error_string(m_a) ? archive_error_string(m_a) : "cannot open archive";
        return false;
    }
    return true;
}

bool ArchiveReader::openFile(const std::string &path)
{
    if (!setup())
        return false;
    if (archive_read_open_filename(m_a, path.c_str(), 1 << 16) != ARCHIVE_OK) {
        m_error = archive_error_string(m_a) ? archive_error_string(m_a) : "cannot open archive";
        return false;
    }
    return true;
}

bool ArchiveReader::next(Entry &entry)
{
    for (;;) {
        struct archive_entry *e = nullptr;
        int rc = archive_read_next_header(m_a, &e);
        if (rc == ARCHIVE_EOF)
            return false;
        if (rc == ARCHIVE_FATAL || (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) || !e) {
            m_error = archive_error_string(m_a) ? archive_error_string(m_a) : "corrupt archive";
            return false;
        }
        m_isRaw = archive_format(m_a) == ARCHIVE_FORMAT_RAW;
        if (!m_isRaw && archive_entry_filetype(e) != AE_IFREG)
            continue; // directories, links, devices
        const char *name = archive_entry_pathname_utf8(e);
        if (!name)
            name = archive_entry_pathname(e);
        entry.name = name ? name : "";
        entry.size = archive_entry_size_is_set(e) ? archive_entry_size(e) : -1;
        entry.mtime = archive_entry_mtime_is_set(e) ? archive_entry_mtime(e) : -1;
        entry.rawStream = m_isRaw;
        m_entry->m_size = entry.size;
        m_entry->m_error.clear();
        return true;
    }
}

std::string ArchiveReader::contentFormat() const
{
    const char *name = m_a ? archive_format_name(m_a) : nullptr;
    return name ? name : "";
}

int64_t ArchiveReader::compressedBytes() const
{
    return m_a ? archive_filter_bytes(m_a, -1) : 0;
}

} // namespace tt

namespace tt {
ByteSource &ArchiveReader::entryData()
{
    return *m_entry;
}
} // namespace tt
