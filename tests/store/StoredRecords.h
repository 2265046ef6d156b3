#pragma once

// Every stored record of a case in id order, read back through store::RecordReader (schema v6
// blocks), for the tests that compare them with their source bytes.

#include "store/RecordReader.h"
#include "store/Sqlite.h"

#include <string>
#include <vector>

namespace tt::test {

struct StoredRecord {
    int64_t id = 0, position = 0;
    std::string payload; // the error text when !ok
    bool ok = false;
};

inline std::vector<StoredRecord> storedRecords(sql::Db &db, int64_t *blocksDecompressed = nullptr)
{
    std::vector<StoredRecord> out;
    store::RecordReader reader(db);
    auto st = db.prepare("SELECT id, position, block_id, block_index FROM events ORDER BY id");
    std::string_view payload;
    std::string error;
    while (st.step()) {
        StoredRecord r;
        r.id = st.int64(0);
        r.position = st.int64(1);
        r.ok = reader.read(st, 2, payload, error);
        r.payload = r.ok ? std::string(payload) : error;
        out.push_back(std::move(r));
    }
    if (blocksDecompressed)
        *blocksDecompressed = reader.blocksDecompressed();
    return out;
}

} // namespace tt::test
