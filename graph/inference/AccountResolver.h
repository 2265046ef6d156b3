#pragma once

// One account per identity across its spellings: DOMAIN\user, DNS-domain\user
// (THESHIRE.LOCAL\user from Kerberos logons), user@dns.domain (UPN), and SID-only rows. The
// importer stores each spelling as written; inference links them and records the links in
// account_links so the CLI and views can show one account. A SID joins spellings only when it
// is a domain account's: a local account (its domain is a host's name, or its machine SID is
// seen under two names, as on cloned VMs) is keyed by (machine, name).

#include "store/InferenceRows.h"

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace tt::store {
class EntityRepository;
}

namespace tt::inference {

class AccountResolver {
public:
    explicit AccountResolver(store::EntityRepository &entities)
        : m_entities(entities)
    {
    }
    // Reads accounts, links them, rewrites account_links.
    void load();
    int64_t canonical(int64_t account) const;
    // SYSTEM, LOCAL / NETWORK SERVICE, ANONYMOUS LOGON, machine accounts: identities of a
    // host itself, never the person who moved a file.
    bool isServiceIdentity(int64_t account) const;
    std::string display(int64_t account) const;
    size_t linkCount() const { return m_links; }
    // The domain (or machine) part of an S-1-5-21 account SID; "" for other SIDs.
    static std::string domainSidOf(const std::string &sid);
    // False for well-known SIDs (SYSTEM, the NULL SID, ANONYMOUS, BUILTIN groups, ...) that are
    // the same on every machine and so never join two accounts.
    static bool isIdentitySid(const std::string &sid);

private:
    using Acc = store::AccountRow;
    int64_t find(int64_t id);
    void unite(int64_t a, int64_t b);
    // Joins the accounts of group that share a domain (NetBIOS or DNS spelling); domain-less
    // ones join when the group holds a single domain.
    void uniteByDomain(const std::vector<int64_t> &group);

    store::EntityRepository &m_entities;
    std::unordered_map<int64_t, Acc> m_accounts;
    std::unordered_map<int64_t, int64_t> m_parent;
    std::unordered_map<int64_t, int64_t> m_canonical;
    size_t m_links = 0;
};

} // namespace tt::inference
