#include "store/RecordBlockWriter.h"

#include "store/RecordBlocks.h"
#include "store/Sqlite.h"

#include <sqlite3.h>
#include <zdict.h>
#include <zstd.h>

#include <stdexcept>

namespace tt::store {

struct RecordBlockWriter::Dict {
    int64_t id = 0;
    ZSTD_CDict *cdict = nullptr;
    Dict(int64_t i, std::string_view bytes)
        : id(i)
        , cdict(ZSTD_createCDict(bytes.data(), bytes.size(), blocks::kLevel))
    {
    }
    ~Dict() { ZSTD_freeCDict(cdict); }
    Dict(const Dict &) = delete;
    Dict &operator=(const Dict &) = delete;
};

struct RecordBlockWriter::Zstd {
    ZSTD_CCtx *cctx = ZSTD_createCCtx();
    ~Zstd() { ZSTD_freeCCtx(cctx); }
};

RecordBlockWriter::RecordBlockWriter(sql::Db &db)
    : m_db(db)
    , m_z(std::make_unique<Zstd>())
{
}

RecordBlockWriter::~RecordBlockWriter() = default;

void RecordBlockWriter::begin(int64_t sourceId, std::string_view sourceFormat)
{
    m_sourceId = sourceId;
    m_format.assign(sourceFormat);
    m_key.clear();
    m_dict = nullptr;
    m_training = false;
    m_waitingBytes = 0;
    m_current = Block {};
    m_waiting.clear();
    m_nextId = m_db.queryInt("SELECT coalesce(max(id), 0) + 1 FROM record_blocks", 1);
}

RecordRef RecordBlockWriter::add(std::string_view payload, std::string_view channel)
{
    if (m_key.empty()) {
        m_key = m_format + '|' + std::string(channel);
        resolveDictionary();
    }
    if (!m_current.ends.empty() && m_current.data.size() + payload.size() > blocks::kTargetBytes)
        closeBlock();
    if (m_current.ends.empty())
        m_current.id = m_nextId++;
    m_current.data.append(payload);
    const RecordRef ref {m_current.id, static_cast<int>(m_current.ends.size())};
    m_current.ends.push_back(static_cast<uint32_t>(m_current.data.size()));
    ++m_stats.records;
    if (m_current.data.size() >= blocks::kTargetBytes || m_current.ends.size() >= blocks::kMaxRecords)
        closeBlock();
    return ref;
}

void RecordBlockWriter::finish()
{
    closeBlock();
    if (m_training)
        trainDictionary();
}

void RecordBlockWriter::discard()
{
    m_current = Block {};
    m_waiting.clear();
    m_waitingBytes = 0;
    m_training = false;
    m_dict = nullptr;
    m_dicts.clear(); // one made in the rolled-back transaction no longer exists
}

void RecordBlockWriter::closeBlock()
{
    if (m_current.ends.empty())
        return;
    if (m_training) {
        m_waitingBytes += m_current.data.size();
        m_waiting.push_back(std::move(m_current));
        m_current = Block {};
        if (m_waitingBytes >= kTrainBytes)
            trainDictionary();
        return;
    }
    writeBlock(m_current);
    m_current.data.clear();
    m_current.ends.clear();
}

void RecordBlockWriter::resolveDictionary()
{
    if (auto it = m_dicts.find(m_key); it != m_dicts.end()) {
        m_dict = it->second.get();
        return;
    }
    auto st = m_db.prepare("SELECT id, data FROM record_dicts WHERE key = ?");
    st.bind(1, std::string_view(m_key));
    if (st.step()) {
        const void *p = sqlite3_column_blob(st.handle(), 1);
        const auto n = static_cast<size_t>(sqlite3_column_bytes(st.handle(), 1));
        auto d = std::make_unique<Dict>(st.int64(0), std::string_view(static_cast<const char *>(p), n));
        if (d->cdict)
            m_dict = m_dicts.emplace(m_key, std::move(d)).first->second.get();
        return;
    }
    m_training = true; // the first source with this key: train on its first records
}

void RecordBlockWriter::trainDictionary()
{
    m_training = false;
    if (m_waitingBytes >= kMinTrainBytes) {
        std::string samples;
        samples.reserve(m_waitingBytes);
        std::vector<size_t> sizes;
        for (const Block &b : m_waiting) {
            samples.append(b.data);
            uint32_t begin = 0;
            for (uint32_t end : b.ends) {
                sizes.push_back(end - begin);
                begin = end;
            }
        }
        std::string dict(kDictBytes, '\0');
        const size_t n = ZDICT_trainFromBuffer(
            dict.data(), dict.size(), samples.data(), sizes.data(), static_cast<unsigned>(sizes.size()));
        if (!ZDICT_isError(n)) {
            dict.resize(n);
            auto ins = m_db.prepare("INSERT INTO record_dicts(key, data) VALUES(?, ?) ON CONFLICT(key) DO NOTHING");
            ins.bind(1, std::string_view(m_key)).bindBlob(2, dict.data(), dict.size());
            ins.exec();
            ++m_stats.dictionariesTrained;
            resolveDictionary(); // the stored one (another session may have stored its own first)
            m_training = false;
        }
    }
    for (const Block &b : m_waiting)
        writeBlock(b);
    m_waiting.clear();
    m_waitingBytes = 0;
}

void RecordBlockWriter::writeBlock(const Block &b)
{
    std::vector<std::string_view> records;
    records.reserve(b.ends.size());
    uint32_t begin = 0;
    for (uint32_t end : b.ends) {
        records.push_back(std::string_view(b.data).substr(begin, end - begin));
        begin = end;
    }
    m_packed.clear();
    blocks::pack(records, m_packed);
    const size_t bound = ZSTD_compressBound(m_packed.size());
    if (m_compressed.size() < bound)
        m_compressed.resize(bound);
    const size_t n = m_dict
        ? ZSTD_compress_usingCDict(
            m_z->cctx, m_compressed.data(), bound, m_packed.data(), m_packed.size(), m_dict->cdict)
        : ZSTD_compressCCtx(m_z->cctx, m_compressed.data(), bound, m_packed.data(), m_packed.size(), blocks::kLevel);
    if (ZSTD_isError(n))
        throw std::runtime_error(std::string("cannot compress record block: ") + ZSTD_getErrorName(n));
    auto ins = m_db.prepare(
        "INSERT INTO record_blocks(id, source_id, dict_id, records, raw_bytes, data) VALUES(?,?,?,?,?,?)");
    ins.bind(1, b.id).bind(2, m_sourceId);
    if (m_dict)
        ins.bind(3, m_dict->id);
    else
        ins.bindNull(3);
    ins.bind(4, static_cast<int64_t>(b.ends.size())).bind(5, static_cast<int64_t>(m_packed.size()));
    ins.bindBlobStatic(6, m_compressed.data(), n);
    ins.exec();
    ++m_stats.blocks;
    m_stats.rawBytes += static_cast<int64_t>(b.data.size());
    m_stats.storedBytes += static_cast<int64_t>(n);
}

} // namespace tt::store
