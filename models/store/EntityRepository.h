#pragma once

// The host and account entities inference resolves names and addresses into: reads of hosts,
// host_names, host_addresses and accounts, and the few writes resolution makes (a host known
// only by a name or an address, the address conflicts, the account links).

#include "store/InferenceRows.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tt::store {

class CaseStore;

class EntityRepository {
public:
    explicit EntityRepository(CaseStore &cs)
        : m_cs(cs)
    {
    }

    std::vector<HostEntityRow> hosts(); // by id
    std::vector<AddressBindingRow> addressBindings(); // those with a time, by id
    // Every name a host goes by (host_names) and of every named host.
    std::vector<std::string> hostNames();
    // The host with that spelling in host_names; 0 when none.
    int64_t hostIdByName(std::string_view name);
    // The host whose name (hosts.name) is exactly name; 0 when none.
    int64_t hostIdByEntityName(std::string_view name);
    // A machine named only by others (a UNC path, a peer's reverse DNS): the host named key
    // (created, or its FQDN filled in), with its NetBIOS and FQDN spellings.
    int64_t ensureNamedHost(std::string_view key, std::string_view fqdn);
    // A new IP-only host for ip, with that spelling.
    int64_t createIpHost(std::string_view ip);
    // Rewrites address_conflicts from host_addresses: two named hosts holding one address at
    // overlapping times, leaving out bindings learnt by the rule weakHow.
    void rewriteAddressConflicts(std::string_view weakHow);

    std::vector<AccountRow> accounts(); // by id
    // The upper-case name of one account ("" when unknown).
    std::string accountNameKey(int64_t id);
    // Replaces account_links with links.
    void replaceAccountLinks(const std::vector<AccountLinkRow> &links);

private:
    CaseStore &m_cs;
};

} // namespace tt::store
