#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// The on-disk shape of a record block (schema v6, table record_blocks): the payloads of
// consecutive records of one source, concatenated after a little-endian u32 header (record count,
// then each record's end offset), the whole zstd-compressed, with the case's trained dictionary
// for the source's format / channel when there is one (record_dicts). An events row keeps only
// (block_id, block_index). Written by RecordBlockWriter, read by RecordReader.
namespace tt::store::blocks {

// A block is closed once it holds this many payload bytes or records. 256 KiB (128 KiB up to
// schema 9): a compressed 128 KiB block is ~8.5 KB, so SQLite's 16 KiB pages held one blob each
// and 43 % of record_blocks' pages were empty; at 256 KiB blobs are ~15 KB and compress ~1.2x
// better (BENCHMARKS.md "Compact case, import speed"), and a block still decompresses in ~0.3 ms.
inline constexpr size_t kTargetBytes = 256 * 1024;
inline constexpr size_t kMaxRecords = 4096;
// Largest block a reader accepts (a hostile case file could claim any size): one record may
// reach the importers' 256 MiB limit and a block adds at most kTargetBytes to it.
inline constexpr uint64_t kMaxRawBytes = 257ULL * 1024 * 1024;
inline constexpr int kLevel = 1;

// Appends the header and payloads of `records` (views into caller memory) to out.
void pack(const std::vector<std::string_view> &records, std::string &out);

// Splits a decompressed block into its records (views into raw); false with an error text when
// the header does not describe raw.
bool unpack(std::string_view raw, std::vector<std::string_view> &records, std::string &error);

} // namespace tt::store::blocks
