#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace tt {

struct RawEvent;
class ZeekNormalizer;
namespace store {
class CaseWriter;
}

// Turns a format-neutral RawEvent into the case's rows: the generic `events` row with the full
// payload, plus the canonical tables (logons, processes, files, connections, shares, services,
// DNS) for the event types inference and the workbench use. Every other event is still stored
// in `events` with its payload: nothing is dropped.
class Normalizer {
public:
    explicit Normalizer(store::CaseWriter &writer);
    ~Normalizer();

    // Returns the events.id of the stored record.
    int64_t store(const RawEvent &ev);

    // Renders system + fields as the JSON payload stored for formats without an original text.
    static void renderPayload(const RawEvent &ev, std::string &out);

    // "0x00000000000FC635" / "1033781" -> "0xfc635": one spelling for logon ids from any event.
    static std::string normaliseLogonId(std::string_view v);
    // Parses decimal or 0x-hex; kNoValue-like sentinel (INT64_MIN) when not a number.
    static int64_t parseInteger(std::string_view v);
    // "{b34bc01c-...}" -> "{B34BC01C-...}"
    static std::string normaliseGuid(std::string_view v);

private:
    enum class Kind { Other, Security, System, Sysmon, RdpLsm, RdpRcm, RdpCoreTs, Zeek, Linux, Esxi, Mac };
    Kind classify(const RawEvent &ev) const;
    int64_t primaryAccount(const RawEvent &ev, Kind kind);
    void security(const RawEvent &ev, int64_t eventRow, int64_t host);
    void system(const RawEvent &ev, int64_t eventRow, int64_t host);
    void sysmon(const RawEvent &ev, int64_t eventRow, int64_t host);
    // A Sysmon file, pipe or image-load record as a file_events row of kind (Image, ProcessGuid,
    // ProcessId, User from the record).
    void sysmonFileEvent(const RawEvent &ev, int64_t eventRow, int64_t host, int64_t ts, std::string_view kind,
        std::string_view path, std::string_view hashes);
    void rdp(const RawEvent &ev, Kind kind, int64_t eventRow, int64_t host);
    int64_t accountFromQualified(std::string_view qualified, std::string_view sid = {});

    store::CaseWriter &m_w;
    std::string m_payload;
    std::string m_scratch[4];
    std::unique_ptr<ZeekNormalizer> m_zeek; // importers/zeek, made on the first Zeek record
};

} // namespace tt
