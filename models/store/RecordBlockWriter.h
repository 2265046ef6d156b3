#pragma once

#include "store/BlockCompressor.h"

#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace tt::sql {
class Db;
class Stmt;
} // namespace tt::sql

namespace tt::store {

// Where a record's payload lives: events.block_id / events.block_index.
struct RecordRef {
    int64_t block = 0;
    int index = 0;
};

// Packs one source's payloads into zstd-compressed blocks (store/RecordBlocks.h) inside the
// source's transaction. Block ids are handed out as records arrive (the writer holds the case's
// write lock, so ids continue after the last block); a full block is compressed on a helper
// thread (BlockCompressor) and written by the next add() or finish() on the caller's thread.
//
// Dictionaries: per key "source format|channel of the source's first record", trained once per
// case from the first source that brings the key (its first kTrainBytes of payloads), stored in
// record_dicts and reused by every later source with that key. ~1.5x smaller blocks on JSON lines
// (BENCHMARKS.md); a source too small to train on is compressed without one. Training runs on a
// thread of its own (~10 ms per dictionary): the blocks it is trained on are compressed without
// it meanwhile, and the source's next block, or the next source with that key, waits for it and
// stores it (so a folder of small files never waits for a training it does not need yet).
class RecordBlockWriter {
public:
    explicit RecordBlockWriter(sql::Db &db);
    ~RecordBlockWriter();
    RecordBlockWriter(const RecordBlockWriter &) = delete;
    RecordBlockWriter &operator=(const RecordBlockWriter &) = delete;

    void begin(int64_t sourceId, std::string_view sourceFormat);
    // Copies the payload into the current block; its reference is final at once.
    RecordRef add(std::string_view payload, std::string_view channel);
    // Writes every pending block (before the source's commit).
    void finish();
    // The transaction was rolled back: drops pending blocks and the dictionaries it may have made.
    void discard();
    // Whether a dictionary was trained (or is being trained) that no source has stored yet.
    bool trainingPending() const { return !m_trainings.empty(); }
    // Stores every such dictionary in the open transaction (waiting for its training), for later
    // sources and later imports; no block of the sources it was trained on uses it.
    void storeTrained();

    struct Stats {
        int64_t blocks = 0, records = 0, rawBytes = 0, storedBytes = 0, dictionariesTrained = 0;
    };
    const Stats &stats() const { return m_stats; }

    static constexpr size_t kTrainBytes = 1024 * 1024; // samples a dictionary is trained on
    static constexpr size_t kMinTrainBytes = 64 * 1024; // below this, no dictionary
    static constexpr size_t kDictBytes = 64 * 1024;

private:
    struct Block {
        int64_t id = 0;
        std::string data;
        std::vector<uint32_t> ends;
    };
    struct Dict;

    void closeBlock();
    void resolveDictionary();
    void startTraining();
    void adoptTraining(); // waits for this key's training, stores and uses its dictionary
    void insertDictionary(std::string_view key, const std::string &dict); // into record_dicts
    void submit(Block &&b);
    bool writeOne(bool wait); // writes the oldest compressed block; false when none (is ready)

    sql::Db &m_db;
    int64_t m_sourceId = 0;
    int64_t m_nextId = 1;
    std::string m_format;
    std::string m_key; // "" until the first record
    Dict *m_dict = nullptr; // this source's dictionary, null when none
    bool m_training = false; // collecting this source's first payloads to train on
    std::string m_samples;
    std::vector<size_t> m_sampleSizes;
    Block m_current;
    std::map<std::string, std::unique_ptr<Dict>, std::less<>> m_dicts; // by key, as stored in the case
    struct Training {
        std::future<std::string> pending;
        std::string bytes; // the dictionary once trained (empty: training failed)
        int64_t sourceId = 0; // the source it is trained on
        const std::string &dict(); // waits for the training
    };
    std::map<std::string, Training, std::less<>> m_trainings; // by key, not stored yet
    // Stored in the current transaction: pending again if it is rolled back (unless it was
    // trained on the rolled-back source itself).
    std::map<std::string, Training, std::less<>> m_adopted;
    BlockCompressor m_compressor;
    std::unique_ptr<sql::Stmt> m_insert;
    static constexpr size_t kMaxInFlight = 4; // blocks handed to the compressor, not yet written
    Stats m_stats;
};

} // namespace tt::store
