#pragma once

// Renders one host's events to its file: NXLog / Logstash flat JSON lines (Mordor style) or
// wevtutil-style event XML (one <Event> per line inside an <Events> root). Keeps record numbers
// per channel, counts per channel/event id, and the file positions of ground-truth evidence.

#include "Event.h"
#include "Rng.h"
#include "Topology.h"

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace tt::gen {

struct EvidenceRef {
    int transfer = -1;
    Trap trap = Trap::None;
    std::string file; // file name relative to the output folder
    int64_t line = 0; // 1-based line in the file
    int64_t position = 0; // 1-based ordinal of the record in the file
    int64_t record = 0; // RecordNumber / EventRecordID
    std::string host;
    std::string channel;
    int eventId = 0;
    std::string time; // as recorded: EventTime (local) or UtcTime (Sysmon)
    std::string summary; // key=value of the fields that matter
};

class RecordWriter {
public:
    enum class Format { JsonLines, EventXml };

    RecordWriter(const Topology &topo, const Host &host, Format format, uint64_t seed);
    ~RecordWriter();
    RecordWriter(const RecordWriter &) = delete;
    RecordWriter &operator=(const RecordWriter &) = delete;

    bool open(const std::string &dir); // false on error (see error())
    void openStream(std::FILE *stream); // writes to stream (not closed, flushed by close())
    void write(const Event &e);
    bool close();

    const std::string &fileName() const { return m_fileName; }
    const std::string &error() const { return m_error; }
    int64_t count() const { return m_count; }
    int64_t firstUs() const { return m_firstUs; }
    int64_t lastUs() const { return m_lastUs; }
    const std::map<std::pair<int, int>, int64_t> &counts() const { return m_counts; }
    const std::vector<EvidenceRef> &evidence() const { return m_evidence; }
    const std::vector<EvidenceRef> &trapSamples() const { return m_trapSamples; }
    const int64_t *trapCounts() const { return m_trapCounts; }

    static const char *channelName(Channel c);

private:
    void writeJson(const Event &e, int64_t record);
    void writeXml(const Event &e, int64_t record);
    void appendMessage(std::string &out, const Event &e) const;
    void flushIfFull();
    void note(const Event &e, int64_t record);

    const Topology &m_topo;
    const Host &m_host;
    Format m_format;
    Rng m_rng;
    std::FILE *m_file = nullptr;
    bool m_ownsFile = true;
    std::string m_buf;
    std::string m_msg;
    std::string m_fileName;
    std::string m_error;
    std::string m_portText;
    int64_t m_count = 0;
    int64_t m_line = 0;
    int64_t m_firstUs = 0, m_lastUs = 0;
    int64_t m_records[3] = {};
    int64_t m_bitsRecords = 1000;
    uint32_t m_threads[3][4] = {};
    std::map<std::pair<int, int>, int64_t> m_counts;
    std::vector<EvidenceRef> m_evidence;
    std::vector<EvidenceRef> m_trapSamples;
    int64_t m_trapCounts[static_cast<int>(Trap::Count)] = {};
};

} // namespace tt::gen
