#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tt::sql {
class Db;
class PgDb;
} // namespace tt::sql

namespace tt::store {

// Host <-> address bindings (host_addresses, issue 10 item 2) from the sightings of ONE source:
// every record in which a host showed an address by one rule ('sysmon3-local': the local end of
// its own Sysmon 3 record). The import gathers a file's sightings and cuts them at its commit;
// a migration (schema 13) re-derives them for cases imported before the cut existed, so an old
// case and a new import of the same files hold the same bindings.
//
// One binding per run of sightings of a (host, address, rule) key: a run ends when the next
// sighting of the address comes more than kRebindGap after the run's last one and the same source
// saw the host at another address in between (DHCP or a VPN pool gave the host another address,
// then this one back: the days in between are not this binding's), or more than kStaleGap later
// with nothing in between (a lease is not assumed to last over a night nothing shows: the address
// may have been another host's). A host seen at two addresses in turn within the gap (two
// interfaces) keeps one binding per address.
struct AddressBinding {
    int64_t hostId = 0;
    std::string ip, how;
    int64_t first = 0, last = 0, count = 0, event = 0; // first / last: kNoValue when untimed
};

class AddressBindingBuilder {
public:
    static constexpr int64_t kRebindGap = 3600LL * 1000000;
    static constexpr int64_t kStaleGap = 12 * kRebindGap;

    // `ip` normalised and informative (the caller checks); ts kNoValue: a sighting without a time.
    void note(int64_t hostId, std::string_view ip, std::string_view how, int64_t ts, int64_t event);
    bool empty() const { return m_sightings.empty(); }
    // The bindings of the sightings noted, sorted by (host, ip, how, first): the same input gives
    // the same rows. Clears the builder.
    std::vector<AddressBinding> take();
    void clear();

private:
    struct Key {
        int64_t hostId;
        std::string ip, how;
    };
    struct Sighting {
        int64_t ts, event;
        uint32_t key;
    };
    std::unordered_map<std::string, uint32_t> m_index; // "host|ip|how" -> index in m_keys
    std::vector<Key> m_keys;
    std::vector<Sighting> m_sightings;
};

// INSERTs the bindings as rows of source `sourceId`.
void insertAddressBindings(sql::Db &db, int64_t sourceId, const std::vector<AddressBinding> &bindings);

// Schema 13: re-derives every 'sysmon3-local' binding from net_connections (per source, with the
// local-end rule of the importer and the runs above), drops the address conflicts (inference
// derives them from the bindings) and marks inference pending, as its transfers were resolved
// against the old bindings. Runs inside the caller's transaction: a case file's migration, or a
// server case's upgrade (PgDb, store/PgSchema.cpp).
void rebuildSysmonBindings(sql::Db &db);
void rebuildSysmonBindings(sql::PgDb &db);

} // namespace tt::store
