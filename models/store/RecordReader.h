#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace tt::sql {
class Db;
class Stmt;
} // namespace tt::sql

namespace tt::store {

// The one way to read a stored record's payload (events.block_id / block_index, schema v6):
// the details pane, the event browser, evidence rows, the search indexer and exports all come
// here. Keeps the last few decompressed blocks (least recently used out), so reading the records
// of a page or a batch decompresses each block once. One reader per connection and thread.
class RecordReader {
public:
    explicit RecordReader(sql::Db &db, size_t cachedBlocks = kDefaultCachedBlocks);
    ~RecordReader();
    RecordReader(const RecordReader &) = delete;
    RecordReader &operator=(const RecordReader &) = delete;

    // The payload bytes exactly as imported; the view stays valid until the next read(). On a
    // missing or corrupt block: false and an error naming the block (other blocks still read).
    bool read(int64_t block, int64_t index, std::string_view &out, std::string &error);
    // The same, from a row whose columns blockColumn / blockColumn + 1 are block_id, block_index.
    bool read(const sql::Stmt &row, int blockColumn, std::string_view &out, std::string &error);

    int64_t blocksDecompressed() const; // for tests and benchmarks

    static constexpr size_t kDefaultCachedBlocks = 32;

private:
    struct Impl;
    std::unique_ptr<Impl> m_d;
};

} // namespace tt::store
