#include "store/RecordReader.h"

#include "store/RecordBlocks.h"
#include "store/Sqlite.h"

#include <sqlite3.h>
#include <zstd.h>

#include <map>
#include <memory>
#include <vector>

namespace tt::store {

namespace {
std::string_view columnBlob(const sql::Stmt &st, int col)
{
    return st.blob(col);
}
} // namespace

struct RecordReader::Impl {
    struct Entry {
        int64_t block = 0;
        uint64_t used = 0;
        // The decompressed block. Not a std::string: resize() would zero 128 KiB before every
        // decompression, and a slot's buffer is reused for the next block it holds (an event
        // browser page in time order touches ~100 blocks).
        std::unique_ptr<char[]> raw;
        size_t rawSize = 0, rawCapacity = 0;
        std::vector<std::string_view> records;
        std::string error; // a corrupt block is remembered as such
    };
    sql::Db &db;
    size_t capacity;
    uint64_t clock = 0;
    int64_t decompressed = 0;
    std::vector<Entry> cache;
    sql::Stmt blockSt, dictSt;
    ZSTD_DCtx *dctx = ZSTD_createDCtx();
    std::map<int64_t, ZSTD_DDict *> dicts; // nullptr: the dictionary is missing or unusable

    Impl(sql::Db &d, size_t cap)
        : db(d)
        , capacity(cap ? cap : 1)
    {
        cache.reserve(capacity); // never reallocated: records are views into each entry's raw
    }
    ~Impl()
    {
        for (auto &kv : dicts)
            ZSTD_freeDDict(kv.second);
        ZSTD_freeDCtx(dctx);
    }

    ZSTD_DDict *dictionary(int64_t id)
    {
        if (auto it = dicts.find(id); it != dicts.end())
            return it->second;
        if (!dictSt.isPrepared())
            dictSt = db.prepare("SELECT data FROM record_dicts WHERE id = ?");
        dictSt.bind(1, id);
        ZSTD_DDict *d = nullptr;
        if (dictSt.step()) {
            const std::string_view bytes = columnBlob(dictSt, 0);
            d = ZSTD_createDDict(bytes.data(), bytes.size());
        }
        dictSt.reset();
        dicts.emplace(id, d);
        return d;
    }

    void load(Entry &e)
    {
        const std::string name = "record block " + std::to_string(e.block);
        if (!blockSt.isPrepared())
            blockSt = db.prepare("SELECT dict_id, raw_bytes, data FROM record_blocks WHERE id = ?");
        blockSt.bind(1, e.block);
        if (!blockSt.step()) {
            blockSt.reset();
            e.error = name + " is missing";
            return;
        }
        ZSTD_DDict *dict = nullptr;
        if (!blockSt.isNull(0) && !(dict = dictionary(blockSt.int64(0)))) {
            e.error = name + ": its dictionary " + std::to_string(blockSt.int64(0)) + " is missing or corrupt";
            blockSt.reset();
            return;
        }
        const int64_t rawBytes = blockSt.int64(1);
        const std::string_view data = columnBlob(blockSt, 2);
        const unsigned long long size = ZSTD_getFrameContentSize(data.data(), data.size());
        if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > blocks::kMaxRawBytes
            || size != static_cast<unsigned long long>(rawBytes)) {
            e.error = name + " is corrupt (bad frame header)";
            blockSt.reset();
            return;
        }
        if (e.rawCapacity < size) {
            e.raw = std::make_unique_for_overwrite<char[]>(size);
            e.rawCapacity = size;
        }
        e.rawSize = size;
        const size_t n = dict ? ZSTD_decompress_usingDDict(dctx, e.raw.get(), e.rawSize, data.data(), data.size(), dict)
                              : ZSTD_decompressDCtx(dctx, e.raw.get(), e.rawSize, data.data(), data.size());
        blockSt.reset();
        ++decompressed;
        if (ZSTD_isError(n) || n != size) {
            e.error = name + " is corrupt (" + (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "size mismatch") + ")";
            e.rawSize = 0;
            return;
        }
        std::string why;
        if (!blocks::unpack(std::string_view(e.raw.get(), e.rawSize), e.records, why))
            e.error = name + " is corrupt (" + why + ")";
    }

    Entry &entry(int64_t block)
    {
        ++clock;
        for (Entry &e : cache) {
            if (e.block == block) {
                e.used = clock;
                return e;
            }
        }
        Entry *slot = nullptr;
        if (cache.size() < capacity) {
            slot = &cache.emplace_back();
        } else {
            slot = &cache.front();
            for (Entry &e : cache)
                if (e.used < slot->used)
                    slot = &e;
            // Keep the slot's buffer for the next block; the rest starts afresh.
            slot->records.clear();
            slot->error.clear();
            slot->rawSize = 0;
        }
        slot->block = block;
        slot->used = clock;
        load(*slot);
        return *slot;
    }
};

RecordReader::RecordReader(sql::Db &db, size_t cachedBlocks)
    : m_d(std::make_unique<Impl>(db, cachedBlocks))
{
}

RecordReader::~RecordReader() = default;

bool RecordReader::read(int64_t block, int64_t index, std::string_view &out, std::string &error)
{
    out = {};
    if (block <= 0) {
        error = "the record has no stored payload";
        return false;
    }
    const Impl::Entry &e = m_d->entry(block);
    if (!e.error.empty()) {
        error = e.error;
        return false;
    }
    if (index < 0 || static_cast<size_t>(index) >= e.records.size()) {
        error = "record block " + std::to_string(block) + " has no record " + std::to_string(index);
        return false;
    }
    out = e.records[static_cast<size_t>(index)];
    return true;
}

bool RecordReader::read(const sql::Stmt &row, int blockColumn, std::string_view &out, std::string &error)
{
    return read(row.isNull(blockColumn) ? 0 : row.int64(blockColumn),
        row.isNull(blockColumn + 1) ? -1 : row.int64(blockColumn + 1), out, error);
}

int64_t RecordReader::blocksDecompressed() const
{
    return m_d->decompressed;
}

} // namespace tt::store
