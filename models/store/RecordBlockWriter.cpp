#include "store/RecordBlockWriter.h"

#include "store/RecordBlocks.h"
#include "store/Sqlite.h"

#include <sqlite3.h>
#define ZDICT_STATIC_LINKING_ONLY // ZDICT_trainFromBuffer_fastCover (exported by libzstd 1.4+)
#include <zdict.h>
#include <zstd.h>

#include <algorithm>
#include <future>
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

RecordBlockWriter::RecordBlockWriter(sql::Db &db)
    : m_db(db)
{
}

RecordBlockWriter::~RecordBlockWriter()
{
    BlockCompressor::Done d;
    while (m_compressor.take(d, true)) { } // no job may outlive the dictionaries it uses
    // (a pending training's future waits for its thread as it is destroyed)
}

namespace {
// A dictionary trained on samples (payloads back to back, sizes[i] bytes each); empty when
// training fails (too few or too uniform samples).
std::string trainOn(const std::string &samples, const std::vector<size_t> &sizes)
{
    std::string dict(RecordBlockWriter::kDictBytes, '\0');
    // fastCover with fixed parameters: 0.07 s for 1 MiB of JSON lines against 0.3 s for
    // ZDICT_trainFromBuffer's parameter search, for a dictionary 3 % less effective.
    ZDICT_fastCover_params_t params {};
    // f: the d-mer frequency table has 2^f entries (4 bytes each, and 2 more per entry for the
    // segment counts), allocated and zeroed by every training. zstd's default 20 makes that 6 MiB
    // for 1 MiB of samples; 16 (384 KiB) trains the EVTX corpus's 12 dictionaries in ~0.1 s less
    // CPU with record blocks as small (whole corpus 46.25 MB vs 46.33 MB; 300 000 generated
    // JSON lines 23.96 MB vs 24.14 MB).
    params.k = 200;
    params.d = 8;
    params.f = 16;
    params.accel = 1;
    params.splitPoint = 1.0;
    params.zParams.compressionLevel = blocks::kLevel;
    const size_t n = ZDICT_trainFromBuffer_fastCover(
        dict.data(), dict.size(), samples.data(), sizes.data(), static_cast<unsigned>(sizes.size()), params);
    if (ZDICT_isError(n))
        return {};
    dict.resize(n);
    return dict;
}
} // namespace

void RecordBlockWriter::begin(int64_t sourceId, std::string_view sourceFormat)
{
    m_sourceId = sourceId;
    m_format.assign(sourceFormat);
    m_key.clear();
    m_dict = nullptr;
    m_training = false;
    m_samples.clear();
    m_sampleSizes.clear();
    m_current = Block {};
    m_adopted.clear(); // the previous transaction committed (a rollback calls discard() first)
    auto next = m_db.cached("SELECT coalesce(max(id), 0) + 1 FROM record_blocks");
    m_nextId = next->step() ? next->int64(0) : 1;
}

RecordRef RecordBlockWriter::add(std::string_view payload, std::string_view channel)
{
    if (m_key.empty()) {
        m_key = m_format + '|' + std::string(channel);
        resolveDictionary();
    }
    if (!m_current.ends.empty() && m_current.data.size() + payload.size() > blocks::kTargetBytes)
        closeBlock();
    if (m_current.ends.empty()) {
        m_current.id = m_nextId++;
        // One allocation per block instead of ~13 doublings, each copying what it held so far
        // (the writer thread's largest memmove in the profile, BENCHMARKS.md).
        m_current.data.reserve(std::max(blocks::kTargetBytes, payload.size()));
    }
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
        startTraining();
    while (writeOne(true)) { }
}

void RecordBlockWriter::discard()
{
    BlockCompressor::Done d;
    while (m_compressor.take(d, true)) { } // dropped: their rows went with the transaction
    m_current = Block {};
    m_training = false;
    m_samples.clear();
    m_sampleSizes.clear();
    m_dict = nullptr;
    m_dicts.clear(); // one made in the rolled-back transaction no longer exists
    // A dictionary trained on the rolled-back source would keep pieces of it: dropped (those of
    // earlier, committed sources stay pending).
    std::erase_if(m_trainings, [this](const auto &t) { return t.second.sourceId == m_sourceId; });
    for (auto &[key, t] : m_adopted)
        if (t.sourceId != m_sourceId)
            m_trainings.insert_or_assign(key, std::move(t));
    m_adopted.clear();
}

void RecordBlockWriter::closeBlock()
{
    if (m_current.ends.empty())
        return;
    if (m_training) {
        // The training samples are copies: the block goes to the compressor at once (without
        // the dictionary it will help train).
        m_samples.append(m_current.data);
        uint32_t begin = 0;
        for (uint32_t end : m_current.ends) {
            m_sampleSizes.push_back(end - begin);
            begin = end;
        }
        if (m_samples.size() >= kTrainBytes)
            startTraining();
    } else if (!m_dict && m_trainings.count(m_key)) {
        adoptTraining(); // the source's blocks after its training set use the dictionary
    }
    submit(std::move(m_current));
    m_current = Block {};
}

void RecordBlockWriter::resolveDictionary()
{
    if (auto it = m_dicts.find(m_key); it != m_dicts.end()) {
        m_dict = it->second.get();
        return;
    }
    if (m_trainings.count(m_key)) {
        adoptTraining();
        return;
    }
    auto st = m_db.prepare("SELECT id, data FROM record_dicts WHERE key = ?");
    st.bind(1, std::string_view(m_key));
    if (st.step()) {
        auto d = std::make_unique<Dict>(st.int64(0), st.blob(1));
        if (d->cdict)
            m_dict = m_dicts.emplace(m_key, std::move(d)).first->second.get();
        return;
    }
    m_training = true; // the first source with this key: train on its first records
}

void RecordBlockWriter::startTraining()
{
    m_training = false;
    std::string samples = std::move(m_samples);
    std::vector<size_t> sizes = std::move(m_sampleSizes);
    m_samples.clear();
    m_sampleSizes.clear();
    if (samples.size() < kMinTrainBytes)
        return; // too little: the next source with this key tries again
    Training t;
    t.pending = std::async(std::launch::async,
        [samples = std::move(samples), sizes = std::move(sizes)] { return trainOn(samples, sizes); });
    t.sourceId = m_sourceId;
    m_trainings.insert_or_assign(m_key, std::move(t));
}

const std::string &RecordBlockWriter::Training::dict()
{
    if (pending.valid()) // not fetched yet (get() leaves it invalid)
        bytes = pending.get();
    return bytes;
}

void RecordBlockWriter::insertDictionary(std::string_view key, const std::string &dict)
{
    auto ins = m_db.prepare("INSERT INTO record_dicts(key, data) VALUES(?, ?) ON CONFLICT(key) DO NOTHING");
    ins.bind(1, key).bindBlob(2, dict.data(), dict.size());
    ins.exec();
    if (m_db.changes() > 0) // (not when another session stored its own first)
        ++m_stats.dictionariesTrained;
}

void RecordBlockWriter::storeTrained()
{
    for (auto &[key, training] : m_trainings)
        if (const std::string &dict = training.dict(); !dict.empty())
            insertDictionary(key, dict);
    m_trainings.clear();
}

void RecordBlockWriter::adoptTraining()
{
    auto it = m_trainings.find(m_key);
    Training &t = m_adopted.insert_or_assign(m_key, std::move(it->second)).first->second;
    m_trainings.erase(it);
    const std::string &dict = t.dict();
    if (dict.empty())
        return; // training failed: this key stays without one until a source trains again
    insertDictionary(m_key, dict);
    resolveDictionary(); // the stored one (another session may have stored its own first)
    m_training = false;
}

void RecordBlockWriter::submit(Block &&b)
{
    while (m_compressor.inFlight() >= kMaxInFlight) // bounded memory: the oldest is written first
        writeOne(true);
    BlockCompressor::Job job;
    job.id = b.id;
    job.dictId = m_dict ? m_dict->id : 0;
    job.cdict = m_dict ? m_dict->cdict : nullptr;
    job.data = std::move(b.data);
    job.ends = std::move(b.ends);
    m_compressor.submit(std::move(job));
    while (writeOne(false)) { }
}

bool RecordBlockWriter::writeOne(bool wait)
{
    BlockCompressor::Done d;
    if (!m_compressor.take(d, wait))
        return false;
    if (!d.error.empty())
        throw std::runtime_error(d.error);
    if (!m_insert)
        m_insert = std::make_unique<sql::Stmt>(m_db.prepare(
            "INSERT INTO record_blocks(id, source_id, dict_id, records, raw_bytes, data) VALUES(?,?,?,?,?,?)"));
    sql::Stmt &ins = *m_insert;
    ins.bind(1, d.id).bind(2, m_sourceId);
    if (d.dictId)
        ins.bind(3, d.dictId);
    else
        ins.bindNull(3);
    ins.bind(4, d.records).bind(5, d.rawBytes);
    ins.bindBlobStatic(6, d.compressed.data(), d.compressed.size());
    ins.exec();
    ++m_stats.blocks;
    m_stats.rawBytes += d.payloadBytes;
    m_stats.storedBytes += static_cast<int64_t>(d.compressed.size());
    return true;
}

} // namespace tt::store
